"""Loss functions: the value J(ŷ, y) per sample, e = ∂J/∂ŷ, and δ^(L) = ∂J/∂z^(L).

Arrays are columns: shape (outputs,) for one sample or (outputs, batch) for many.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np

from explorer.engine.activations import Activation
from explorer.engine.arrays import Array

# J per sample: an array over a batch's columns, a NumPy scalar for one sample (a 1-D column).
PerSample: TypeAlias = "Array | np.floating[Any]"


def _tiny(values: Array) -> np.floating[Any]:
    """Return the smallest normal number of values' float type (keeps −y/ŷ finite at ŷ = 0)."""
    # A fixed 1e-300 would round to 0 in float32 and divide by zero there.
    tiny: np.floating[Any] = np.finfo(np.result_type(values, np.float32)).tiny
    return tiny


def half_sse_value(z: Array, y_hat: Array, y: Array, activation: Activation) -> PerSample:
    """Return J = ½ eᵀe per sample (the lecture's loss)."""
    e = y_hat - y
    squares: PerSample = (e * e).sum(axis=0)
    return 0.5 * squares


def half_sse_error(z: Array, y_hat: Array, y: Array, activation: Activation) -> Array:
    """Return e = ∂J/∂ŷ = ŷ − y."""
    return y_hat - y


def half_sse_delta(z: Array, y_hat: Array, y: Array, activation: Activation) -> Array:
    """Return δ^(L) = g'(z) ⊙ e (or the Jacobian product for softmax)."""
    return activation.delta(z, y_hat, y_hat - y)


def _sigmoid_of_minus_abs(z: Array) -> Array:
    """Return σ(−|z|) = e/(1 + e) with e = e^−|z|, exact in its tail and never overflowing."""
    exp = np.exp(-np.abs(z))
    exp /= exp + 1.0
    return exp


def cross_entropy_value(z: Array, y_hat: Array, y: Array, activation: Activation) -> PerSample:
    """Return the cross-entropy per sample, computed from z so that it never takes log 0."""
    if activation.name == "softmax":
        # −Σ y log softmax(z) = Σy log Σ e^(z−m) − Σ y (z − m) with m = max z. The sum holds the
        # 1 = e^0 of the maximum itself, so log Σ e^(z−m) = log1p(r) with r the sum of the others:
        # a confident right answer's tiny J keeps every digit of r, which log(1 + r) would round
        # away (as would a difference of large numbers).
        shifted = z - z.max(axis=0)
        exp = np.exp(shifted)
        largest = shifted == 0.0
        np.putmask(exp, largest, 0.0)
        rest: PerSample = exp.sum(axis=0)
        if np.count_nonzero(largest) != largest[0].size:  # a tie for the maximum: count the others
            rest += largest.sum(axis=0) - 1
        categorical: PerSample = np.log1p(rest) * y.sum(axis=0) - (y * shifted).sum(axis=0)
        return categorical
    # Binary per output: −[y log σ(z) + (1−y) log(1−σ(z))] = y softplus(−z) + (1−y) softplus(z);
    # numpy's logaddexp(0, x) is max(x, 0) + log1p(e^−|x|), exact in both tails.
    binary: PerSample = (y * np.logaddexp(0.0, -z) + (1.0 - y) * np.logaddexp(0.0, z)).sum(axis=0)
    return binary


def cross_entropy_error(z: Array, y_hat: Array, y: Array, activation: Activation) -> Array:
    """Return e = ∂J/∂ŷ for categorical (softmax) or binary (sigmoid) cross-entropy."""
    if activation.name == "softmax":
        return -y / np.maximum(y_hat, _tiny(y_hat))
    # (1−y)/(1−ŷ) − y/ŷ written with z: 1/σ(z) = 1 + e^−z and 1/(1−σ(z)) = 1 + e^z. From ŷ, a
    # saturated output (ŷ rounded to 1) would lose every digit; beyond the float range it is capped.
    with np.errstate(over="ignore", invalid="ignore"):
        e = (1.0 - y) * (1.0 + np.exp(z)) - y * (1.0 + np.exp(-z))
    largest = np.finfo(np.result_type(z, y_hat)).max
    return np.clip(np.nan_to_num(e, nan=0.0, posinf=largest, neginf=-largest), -largest, largest)


def cross_entropy_delta(z: Array, y_hat: Array, y: Array, activation: Activation) -> Array:
    """Return δ^(L) = ŷ − y, exact also where ŷ rounds to 1 (softmax or sigmoid outputs)."""
    if activation.name == "softmax":
        # The exact ∂J/∂z is ŷ Σy − y; it is ŷ − y whenever the targets sum to 1 (one-hot). Its
        # entries sum to Σy (Σŷ − 1) = 0, so where ŷ_t > ½ (at most once per column) δ_t is minus
        # the sum of the others: that keeps every digit of a confident ŷ_t − 1 (−Σ_{j≠t} ŷ_j for a
        # one-hot y), of which ŷ_t, rounded near 1, keeps only the part above 1e-16.
        delta: Array = y_hat * y.sum(axis=0) - y
        confident = y_hat > 0.5
        np.putmask(delta, confident, 0.0)
        np.copyto(delta, -delta.sum(axis=0), where=confident)
        return delta
    # σ(z) − y with σ(z) = 1 − σ(−z) for z ≥ 0: for y = 1 that is −σ(−z) exactly, not 1 − 1.
    tail = _sigmoid_of_minus_abs(z)
    return np.where(z >= 0, (1.0 - y) - tail, tail - y)


@dataclass(frozen=True)
class Loss:
    """One loss: J per sample, e = ∂J/∂ŷ, δ^(L) = ∂J/∂z^(L), and how to write them."""

    name: str
    value: Callable[[Array, Array, Array, Activation], PerSample]
    error: Callable[[Array, Array, Array, Activation], Array]
    delta: Callable[[Array, Array, Array, Activation], Array]
    formula: str
    error_formula: str
    delta_formula: str
    output_activations: tuple[str, ...] | None = None


LOSSES: dict[str, Loss] = {
    loss.name: loss
    for loss in (
        Loss(
            "half_sse",
            half_sse_value,
            half_sse_error,
            half_sse_delta,
            "J = ½ eᵀe",
            "e^(L) = ŷ − y",
            "δ^(L) = g'(z^(L)) ⊙ e^(L)",
        ),
        Loss(
            "cross_entropy",
            cross_entropy_value,
            cross_entropy_error,
            cross_entropy_delta,
            "J = −Σ y log ŷ",
            "e^(L) = ∂J/∂ŷ",
            "δ^(L) = ŷ − y",
            output_activations=("softmax", "sigmoid"),
        ),
    )
}


def get_loss(name: str) -> Loss:
    """Look up a loss by name; raise KeyError naming the choices."""
    try:
        return LOSSES[name]
    except KeyError:
        choices = ", ".join(LOSSES)
        raise KeyError(f"unknown loss {name!r} (choose from {choices})") from None


def target_range_problem(loss: str, targets: Array, row_numbers: Sequence[int] | None = None) -> str | None:
    """Return a sentence naming the first row of `targets` (rows = samples) outside the loss's range, or None.

    Rows are numbered from 1, or by `row_numbers` (a spreadsheet's rows) when given.

    Cross-entropy reads a target as a probability: one outside [0, 1] makes J unbounded below, so
    training "improves" it towards −∞ instead of fitting anything.
    """
    if loss != "cross_entropy":
        return None
    rows = np.atleast_2d(np.asarray(targets, dtype=np.float64))
    bad = np.flatnonzero(((rows < 0) | (rows > 1)).any(axis=1))
    if not len(bad):
        return None
    row = int(bad[0])
    column = int(np.flatnonzero((rows[row] < 0) | (rows[row] > 1))[0])
    number = row + 1 if row_numbers is None else row_numbers[row]
    return (
        f"row {number}, target {column + 1} is {rows[row, column]:g}: cross-entropy needs targets "
        "between 0 and 1 (probabilities)"
    )
