"""Gradient check: backprop's ∂J/∂W and ∂J/∂b against central finite differences of J.

For every weight and bias θ the numerical slope is (J(θ + ε) − J(θ − ε)) / 2ε, with J the mean
loss over the rows given. Both sides are computed in float64 whatever the network's type.

The error of one parameter is

    relative error = |backprop − numeric| / max(|backprop| + |numeric|, floor)
    floor = NOISE_SCALE · J / ε,   NOISE_SCALE = 10^7 · u ≈ 2.2e-9   (u = float64 machine epsilon)

A central difference of J in float64 carries rounding noise of about u·J/ε (measured: 1e-11 for
J ≈ 0.05, ε = 1e-6), so slopes near that size cannot be checked to many digits. Above the floor
(2.2e-3·J for ε = 1e-6) the measure is the usual scale-free relative error; below it, it becomes
the absolute difference over the floor, so pure rounding noise scores about 1e-7 while a wrong
slope still fails unless it is off by less than ~2e-8·J.
A correct network with smooth activations scores well below TOLERANCE = 1e-5 (typically 1e-9).
Activations with kinks (relu, leaky_relu, step, sign) can fail honestly when some z^(k) lies
within ε of the kink: there the two sides of the difference see different slopes.

With `sample` = n, only a seeded random n of the parameters are differenced (each weight matrix
and bias vector gets its share, and at least one): on 784-128-10 every one takes about 2 × 101,770
forward passes. The parameters not checked keep NaN as their numeric slope and error.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

from explorer.engine.arrays import Array
from explorer.engine.network import Network

TOLERANCE = 1e-5
NOISE_SCALE = 1e7 * float(np.finfo(np.float64).eps)
_TINY = 1e-300  # keeps the floor positive when J is exactly 0
# The smallest ε is this many times u · max(1, largest |θ|): below it fewer than about three digits
# of J(θ ± ε) differ, and a step that tiny can vanish in θ + ε altogether (every slope 0, a "pass").
MIN_STEP_FACTOR = 1e3


def smallest_epsilon(network: Network) -> float:
    """Return the smallest finite-difference step that can resolve a change of the parameters."""
    scale = 1.0
    for layer in network.layers:
        scale = max(scale, float(np.max(np.abs(layer.weights), initial=0.0)))
        if layer.bias is not None:
            scale = max(scale, float(np.max(np.abs(layer.bias), initial=0.0)))
    return MIN_STEP_FACTOR * float(np.finfo(np.float64).eps) * scale


# (layer k, "weight" or "bias", i, j); j is 0 for a bias
Where: TypeAlias = tuple[int, str, int, int]
# (relative error, where, backprop slope, numeric slope) of the worst parameter so far
Worst: TypeAlias = tuple[float, Where, float, float]


@dataclass
class GradCheckResult:
    """Backprop and numerical gradients per layer, their relative errors, and the worst one."""

    max_relative_error: float
    where: Where  # (layer k, "weight" or "bias", i, j); j is 0 for a bias
    backprop: float  # the two slopes at `where`
    numeric: float
    grad_weights: list[Array | None]  # index k = 1..L (index 0 is None), as in Trace
    numeric_weights: list[Array | None]
    grad_biases: list[Array | None]  # None for a layer without bias
    numeric_biases: list[Array | None]
    errors_weights: list[Array | None]
    errors_biases: list[Array | None]
    parameters: int
    loss: float
    floor: float
    tolerance: float = TOLERANCE
    checked: int = 0  # parameters differenced: all of them unless a sample was asked for
    seed: int | None = None  # the sample's seed; None when every parameter was checked

    @property
    def passed(self) -> bool:
        """Return True if the largest relative error is below the tolerance."""
        return self.max_relative_error < self.tolerance

    def describe_where(self) -> str:
        """Return the worst parameter in the lecture's notation, e.g. "w_12^(2)" (indices from 1)."""
        k, kind, i, j = self.where
        return f"b_{i + 1}^({k})" if kind == "bias" else f"w_{i + 1}{j + 1}^({k})"


def noise_floor(loss: float, epsilon: float) -> float:
    """Return the slope size below which a central difference of J is mostly rounding noise."""
    return max(NOISE_SCALE * abs(loss) / epsilon, _TINY)


def relative_error(backprop: Array, numeric: Array, floor: float) -> Array:
    """Return |a − b| / max(|a| + |b|, floor) element-wise."""
    error: Array = np.abs(backprop - numeric) / np.maximum(np.abs(backprop) + np.abs(numeric), floor)
    return error


def _columns(values: npt.ArrayLike, width: int) -> npt.NDArray[np.float64]:
    array = np.asarray(values, dtype=np.float64)
    if array.ndim == 1:
        if array.shape != (width,):
            raise ValueError(f"a single sample needs {width} values, not {array.shape[0]}")
        return array
    if array.ndim != 2 or array.shape[1] != width:
        raise ValueError(f"rows must have {width} columns, not shape {array.shape}")
    columns: npt.NDArray[np.float64] = array.T  # the engine works on columns
    return columns


def _shares(sizes: list[int], sample: int) -> list[int]:
    """Return how many of each parameter array to check: proportional to its size, at least one."""
    total = sum(sizes)
    return [min(size, max(1, round(sample * size / total))) for size in sizes]


def _numeric(
    network: Network,
    parameter: Array,
    x: Array,
    y: Array,
    epsilon: float,
    indices: npt.NDArray[np.int64] | None = None,
) -> Array:
    slopes = np.full_like(parameter, np.nan)
    flat, out = parameter.reshape(-1), slopes.reshape(-1)
    for index in range(flat.size) if indices is None else indices.tolist():
        original = flat[index]
        flat[index] = original + epsilon
        plus = network.loss_value(x, y)
        flat[index] = original - epsilon
        minus = network.loss_value(x, y)
        flat[index] = original
        out[index] = (plus - minus) / (2.0 * epsilon)
    return slopes


def gradient_check(
    network: Network,
    X: npt.ArrayLike,
    Y: npt.ArrayLike,
    epsilon: float = 1e-6,
    tolerance: float = TOLERANCE,
    sample: int | None = None,
    seed: int = 0,
) -> GradCheckResult:
    """Compare backprop with central differences for every weight and bias (or a sample); return the result.

    X and Y are rows, shape (N, n_inputs) and (N, n_outputs), or one sample as 1-D arrays.
    With `sample` below the parameter count, a random `sample` of them (seeded by `seed`, every
    weight matrix and bias vector represented) is checked instead of all.
    The network is not changed (the check works on a float64 copy). Raise ValueError if `epsilon`
    is below smallest_epsilon(network) or not finite.
    """
    smallest = smallest_epsilon(network)
    if not (np.isfinite(epsilon) and epsilon >= smallest):
        raise ValueError(
            f"ε = {epsilon:g} is too small to resolve a change of these parameters (the smallest "
            f"useful step is {smallest:.2g}: {MIN_STEP_FACTOR:g} × machine epsilon × the largest |θ|)"
        )
    net = network.astype(np.float64)
    x, y = _columns(X, net.input_size), _columns(Y, net.output_size)
    with np.errstate(over="ignore", under="ignore"):
        trace = net.trace(x, y, input_error=False)
        floor = noise_floor(trace.loss, epsilon)
        L = net.num_layers
        numeric_w: list[Array | None] = [None] * (L + 1)
        numeric_b: list[Array | None] = [None] * (L + 1)
        errors_w: list[Array | None] = [None] * (L + 1)
        errors_b: list[Array | None] = [None] * (L + 1)
        worst: Worst = (-1.0, (1, "weight", 0, 0), 0.0, 0.0)
        arrays = [(k, "weight") for k in range(1, L + 1)]
        arrays += [(k, "bias") for k in range(1, L + 1) if net.layer(k).bias is not None]
        sizes = [_parameter(net, k, kind).size for k, kind in arrays]
        sampled = sample is not None and sample < sum(sizes)
        shares = _shares(sizes, sample) if sample is not None and sampled else sizes
        rng = np.random.default_rng(seed)
        for (k, kind), size, share in zip(arrays, sizes, shares):
            parameter = _parameter(net, k, kind)
            grad = trace.grad_weights[k] if kind == "weight" else trace.grad_biases[k]
            assert grad is not None  # every weight, and a layer's bias when it has one, has its gradient
            indices = np.sort(rng.choice(size, share, replace=False)) if sampled else None
            slopes = _numeric(net, parameter, x, y, epsilon, indices)
            errors = relative_error(grad, slopes, floor)
            (numeric_w if kind == "weight" else numeric_b)[k] = slopes
            (errors_w if kind == "weight" else errors_b)[k] = errors
            worst = _worse(worst, errors, grad, slopes, k, kind, indices)
    error, where, backprop, numeric = worst
    return GradCheckResult(
        max_relative_error=error,
        where=where,
        backprop=backprop,
        numeric=numeric,
        grad_weights=trace.grad_weights,
        numeric_weights=numeric_w,
        grad_biases=trace.grad_biases,
        numeric_biases=numeric_b,
        errors_weights=errors_w,
        errors_biases=errors_b,
        parameters=net.parameter_count(),
        loss=trace.loss,
        floor=floor,
        tolerance=tolerance,
        checked=sum(shares),
        seed=seed if sampled else None,
    )


def _parameter(network: Network, k: int, kind: str) -> Array:
    layer = network.layer(k)
    parameter = layer.weights if kind == "weight" else layer.bias
    assert parameter is not None
    return parameter


def _worse(
    worst: Worst,
    errors: Array,
    backprop: Array,
    numeric: Array,
    k: int,
    kind: str,
    indices: npt.NDArray[np.int64] | None,
) -> Worst:
    # NaN counts as the worst possible error, so a broken gradient can never pass; the entries a
    # sample left out (NaN by design) do not count.
    scores = np.where(np.isnan(errors), np.inf, errors)
    if indices is not None:
        kept = np.full(scores.size, -np.inf)
        kept[indices] = scores.reshape(-1)[indices]
        scores = kept.reshape(scores.shape)
    index = int(np.argmax(scores))
    if scores.flat[index] <= worst[0]:
        return worst
    i, j = np.unravel_index(index, errors.shape) if errors.ndim == 2 else (index, 0)
    return (
        float(scores.flat[index]),
        (k, kind, int(i), int(j)),
        float(backprop.flat[index]),
        float(numeric.flat[index]),
    )
