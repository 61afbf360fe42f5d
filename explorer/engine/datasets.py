"""Built-in data sets, seeded: the XOR corners, blobs, circles, spirals, a sine, a cubic, the lecture sample,
and two heat-transfer data sets (a fin, lumped cooling) scaled for a sigmoid/tanh network.

Every maker takes (n_samples, noise, seed) and returns a Dataset with one sample per row.
Two-class targets: by default one column holding the class, 0 or 1, which a single sigmoid output
fits; with one_hot=True two columns, where column c is 1 for class c (for a softmax output).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from explorer.engine.arrays import Array
from explorer.engine.heat_transfer import FIN, LUMPED_COOLING, HeatTransferModel

CLASSIFICATION, REGRESSION = "classification", "regression"


@dataclass
class Dataset:
    """Inputs X (N, n_inputs), targets Y (N, n_outputs), and whether it is classification or regression."""

    name: str
    X: Array
    Y: Array
    kind: str
    input_names: tuple[str, ...] = ()
    target_names: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if not self.input_names:
            self.input_names = tuple(f"x{j + 1}" for j in range(self.X.shape[1]))
        if not self.target_names:
            count = self.Y.shape[1]
            self.target_names = ("y",) if count == 1 else tuple(f"y{j + 1}" for j in range(count))

    def __len__(self) -> int:
        return len(self.X)

    def labels(self) -> npt.NDArray[np.integer[Any]]:
        """Return each row's class as an integer (argmax of one-hot targets, else target ≥ 0.5)."""
        if self.Y.shape[1] > 1:
            classes: npt.NDArray[np.integer[Any]] = np.argmax(self.Y, axis=1)
            return classes
        return (self.Y[:, 0] >= 0.5).astype(int)


def _check(n_samples: int, noise: float, least: int = 1) -> None:
    if n_samples < least:
        raise ValueError(f"this data set needs at least {least} samples, not {n_samples}")
    if not noise >= 0:
        raise ValueError(f"the noise must be zero or positive, not {noise}")


def _two_classes(
    name: str, X: Array, labels: npt.NDArray[np.integer[Any] | np.floating[Any]], one_hot: bool
) -> Dataset:
    classes: Array = labels.astype(float)
    Y = np.column_stack([1.0 - classes, classes]) if one_hot else classes[:, None]
    return Dataset(name, X, Y, CLASSIFICATION)


def xor(n_samples: int = 4, noise: float = 0.0, seed: int = 0, one_hot: bool = False) -> Dataset:
    """Return the corners (0,0), (0,1), (1,0), (1,1) repeated to n_samples rows, class x1 XOR x2."""
    _check(n_samples, noise)
    corners = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    X = corners[np.arange(n_samples) % 4]
    labels = (X[:, 0] != X[:, 1]).astype(float)
    if noise:
        X = X + np.random.default_rng(seed).normal(0.0, noise, X.shape)
    return _two_classes("xor", X, labels, one_hot)


def blobs(n_samples: int = 100, noise: float = 0.5, seed: int = 0, one_hot: bool = False) -> Dataset:
    """Return two Gaussian clouds of spread `noise` round (−1, −1) (class 0) and (1, 1) (class 1)."""
    _check(n_samples, noise, 2)
    labels = np.arange(n_samples) % 2
    centres = np.where(labels[:, None] == 1, 1.0, -1.0) * np.ones((1, 2))
    X = centres + np.random.default_rng(seed).normal(0.0, noise, (n_samples, 2))
    return _two_classes("blobs", X, labels, one_hot)


def circles(
    n_samples: int = 200, noise: float = 0.05, seed: int = 0, one_hot: bool = False, factor: float = 0.5
) -> Dataset:
    """Return an outer ring of radius 1 (class 0) round an inner ring of radius `factor` (class 1)."""
    _check(n_samples, noise, 2)
    rng = np.random.default_rng(seed)
    labels = np.arange(n_samples) % 2
    angles = rng.uniform(0.0, 2.0 * np.pi, n_samples)
    radii = np.where(labels == 1, factor, 1.0)
    X = radii[:, None] * np.column_stack([np.cos(angles), np.sin(angles)])
    X += rng.normal(0.0, noise, X.shape)
    return _two_classes("circles", X, labels, one_hot)


def spirals(
    n_samples: int = 200, noise: float = 0.0, seed: int = 0, one_hot: bool = False, turns: float = 1.5
) -> Dataset:
    """Return two interleaved spirals of `turns` turns inside the unit disc, one per class."""
    _check(n_samples, noise, 2)
    labels = np.arange(n_samples) % 2
    counts = np.bincount(labels, minlength=2)
    # Position along each arm, from near the centre out to radius 1; the second arm is the first
    # turned by half a circle, which interleaves them.
    t = np.empty(n_samples)
    for c in (0, 1):
        t[labels == c] = np.linspace(0.1, 1.0, counts[c])
    angles = 2.0 * np.pi * turns * t + np.pi * labels
    X = t[:, None] * np.column_stack([np.cos(angles), np.sin(angles)])
    if noise:
        X = X + np.random.default_rng(seed).normal(0.0, noise, X.shape)
    return _two_classes("spirals", X, labels, one_hot)


def _curve(
    name: str, fn: Callable[[Array], Array], low: float, high: float, n: int, noise: float, seed: int
) -> Dataset:
    X = np.linspace(low, high, n)[:, None]
    Y = fn(X)
    if noise:
        Y = Y + np.random.default_rng(seed).normal(0.0, noise, Y.shape)
    return Dataset(name, X, Y, REGRESSION)


def sine(n_samples: int = 50, noise: float = 0.0, seed: int = 0) -> Dataset:
    """Return y = sin x (+ Gaussian noise of spread `noise`) at n_samples even steps of x over [−π, π]."""
    _check(n_samples, noise)
    return _curve("sine", np.sin, -np.pi, np.pi, n_samples, noise, seed)


def polynomial(n_samples: int = 50, noise: float = 0.0, seed: int = 0) -> Dataset:
    """Return y = x³ − x (+ Gaussian noise) at n_samples even steps of x over [−1.5, 1.5]."""
    _check(n_samples, noise)
    return _curve("polynomial", lambda x: x**3 - x, -1.5, 1.5, n_samples, noise, seed)


def lecture(n_samples: int = 1, noise: float = 0.0, seed: int = 0) -> Dataset:
    """Return the single worked sample x = (0.05, 0.10), y = (0.01, 0.99), repeated n_samples times."""
    _check(n_samples, noise)
    X = np.tile([[0.05, 0.10]], (n_samples, 1))
    Y = np.tile([[0.01, 0.99]], (n_samples, 1))
    if noise:
        X = X + np.random.default_rng(seed).normal(0.0, noise, X.shape)
    return Dataset("lecture", X, Y, REGRESSION)


def _heat_transfer(model: HeatTransferModel, n_samples: int, noise: float, seed: int) -> Dataset:
    _check(n_samples, noise, 2)
    X, Y = model.scaled_data(n_samples, noise, seed)
    names = tuple(f"y{j + 1}" for j in range(model.sensors))
    return Dataset(model.key, X, Y, REGRESSION, (f"x ({model.input_name} scaled)",), names)


def fin(n_samples: int = 41, noise: float = 0.0, seed: int = 0) -> Dataset:
    """Return scaled h → θ/θ_b at four sensors of a fin with an insulated tip (heat_transfer.FIN)."""
    return _heat_transfer(FIN, n_samples, noise, seed)


def lumped_cooling(n_samples: int = 41, noise: float = 0.0, seed: int = 0) -> Dataset:
    """Return scaled h → T at four times of a body cooling as one lump (heat_transfer.LUMPED_COOLING)."""
    return _heat_transfer(LUMPED_COOLING, n_samples, noise, seed)


DATASETS: dict[str, Callable[..., Dataset]] = {
    "xor": xor,
    "blobs": blobs,
    "circles": circles,
    "spirals": spirals,
    "sine": sine,
    "polynomial": polynomial,
    "lecture": lecture,
    "fin": fin,
    "lumped_cooling": lumped_cooling,
}


def make_dataset(name: str, **options: Any) -> Dataset:
    """Build a registered data set by name; options go to its maker (n_samples, noise, seed, ...)."""
    try:
        maker = DATASETS[name]
    except KeyError:
        raise KeyError(f"unknown data set {name!r} (choose from {', '.join(DATASETS)})") from None
    return maker(**options)
