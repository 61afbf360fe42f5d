"""Exercise networks for working by hand: every number has one or two decimals, no neuron saturates.

Weights are tenths in ±0.1..±0.9 (never 0), biases tenths in −0.5..0.5, inputs multiples of 0.05 in
0.05..0.95, and targets fit the output: multiples of 0.05 inside a sigmoid's (0, 1) or a tanh's
(−1, 1), tenths in −1..1 for unbounded outputs, 0/1 for binary and one-hot for categorical
cross-entropy. Draws are integers from numpy.random.default_rng(seed), scaled by 10 or 100, so a
seed gives the same network on every machine. Draws repeat until the forward pass keeps every
sigmoid, tanh or softplus neuron at |z| ≤ MAX_ABS_Z, every ReLU input clear of its kink with one
neuron of each ReLU layer on, and the output error large enough to be worth propagating.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from explorer.engine.activations import get_activation
from explorer.engine.arrays import Array
from explorer.engine.losses import get_loss
from explorer.engine.network import Layer, Network

MAX_ABS_Z = 2.5  # sigmoid' ≥ 0.07 and tanh' ≥ 0.03 here: far from the flat tails
SMOOTH = frozenset({"sigmoid", "tanh", "softplus", "softmax"})
KINKED = frozenset({"relu", "leaky_relu"})
MIN_KINK_DISTANCE = 0.05  # a ReLU input this close to 0 makes g'(z) a matter of rounding
MIN_ERROR = 0.1  # the largest |e^(L)| is at least this: backprop has something to carry
MAX_ATTEMPTS = 5000
WEIGHT_TENTHS = np.array([-9, -8, -7, -6, -5, -4, -3, -2, -1, 1, 2, 3, 4, 5, 6, 7, 8, 9])


@dataclass(frozen=True)
class Exercise:
    """A hand-friendly network with its one sample (x, y) and the seed that made it."""

    network: Network
    x: Array
    y: Array
    seed: int


def _tenths(rng: np.random.Generator, shape: tuple[int, ...], low: int, high: int) -> Array:
    return rng.integers(low, high + 1, size=shape).astype(np.float64) / 10.0


def _weights(rng: np.random.Generator, n_out: int, n_in: int) -> Array:
    picks = rng.integers(0, len(WEIGHT_TENTHS), size=(n_out, n_in))
    return WEIGHT_TENTHS[picks].astype(np.float64) / 10.0


def _twentieths(rng: np.random.Generator, size: int, low: int, high: int) -> Array:
    # Multiples of 0.05 written as hundredths: 5 × k / 100 with integer k.
    return (5 * rng.integers(low, high + 1, size=size)).astype(np.float64) / 100.0


def _targets(rng: np.random.Generator, size: int, output: str, loss: str) -> Array:
    if loss == "cross_entropy":
        if output == "softmax":
            y = np.zeros(size)
            y[int(rng.integers(0, size))] = 1.0
            return y
        return rng.integers(0, 2, size=size).astype(np.float64)
    if output == "sigmoid":
        return _twentieths(rng, size, 1, 19)
    if output == "tanh":
        return _twentieths(rng, size, -18, 18)
    if output in ("relu", "softplus"):
        return _tenths(rng, (size,), 0, 10)
    return _tenths(rng, (size,), -10, 10)


def is_hand_friendly(network: Network, x: Array, y: Array) -> bool:
    """Return True if no neuron saturates or sits on a kink and the output error is worth propagating."""
    zs, activations = network.forward(x)
    for k, layer in enumerate(network.layers, start=1):
        z = zs[k]
        assert z is not None
        if layer.activation in SMOOTH and np.max(np.abs(z)) > MAX_ABS_Z:
            return False
        if layer.activation in KINKED and (np.min(np.abs(z)) < MIN_KINK_DISTANCE or np.max(z) <= 0):
            return False
    trace = network.trace(x, y, input_error=False)
    return bool(np.max(np.abs(trace.e(network.num_layers))) >= MIN_ERROR and np.isfinite(trace.loss))


def exercise_network(
    sizes: Sequence[int],
    activation: str = "sigmoid",
    loss: str = "half_sse",
    seed: int = 0,
    output_activation: str | None = None,
    bias: bool = True,
) -> Exercise:
    """Return a seeded hand-friendly network with sizes [n_0, ..., n_L] and its sample.

    `activation` is used in every layer; `output_activation` (default: softmax for cross-entropy
    with several outputs, sigmoid for cross-entropy with one, else `activation`) in the last.
    """
    sizes = [int(n) for n in sizes]
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError("an exercise needs an input size and at least one layer, each of 1 or more")
    if max(sizes) > 6 or len(sizes) > 5:
        raise ValueError("an exercise to work by hand has at most 4 layers of at most 6 neurons")
    get_loss(loss)  # an unknown name fails here, with the choices
    if output_activation is None:
        if loss == "cross_entropy":
            output_activation = "softmax" if sizes[-1] > 1 else "sigmoid"
        else:
            output_activation = activation
    names = [activation] * (len(sizes) - 2) + [output_activation]
    for name in names:
        if not get_activation(name).differentiable:
            raise ValueError(f"{name} has no derivative to propagate: choose another activation")
    rng = np.random.default_rng(int(seed))
    for _attempt in range(MAX_ATTEMPTS):
        layers = [
            Layer(_weights(rng, n_out, n_in), _tenths(rng, (n_out,), -5, 5) if bias else None, name)
            for n_in, n_out, name in zip(sizes[:-1], sizes[1:], names)
        ]
        network = Network(layers, loss, f"Exercise {'-'.join(map(str, sizes))}, seed {seed}")
        network.validate()
        x = _twentieths(rng, sizes[0], 1, 19)
        y = _targets(rng, sizes[-1], output_activation, loss)
        with np.errstate(all="ignore"):
            if is_hand_friendly(network, x, y):
                return Exercise(network, x, y, int(seed))
    raise ValueError(f"no hand-friendly {'-'.join(map(str, sizes))} network found for seed {seed}")


def parse_sizes(text: str) -> list[int]:
    """Return the layer sizes written as 2-2-2 (or 2,2,2 or 2 2 2)."""
    parts = [part for part in text.replace(",", "-").replace(" ", "-").split("-") if part]
    try:
        sizes = [int(part) for part in parts]
    except ValueError:
        raise ValueError(f"sizes {text!r} are not whole numbers like 2-2-2") from None
    if len(sizes) < 2 or min(sizes) < 1:
        raise ValueError(f"sizes {text!r} need an input size and at least one layer, like 2-2-2")
    return sizes
