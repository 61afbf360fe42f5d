"""Solve for the input: with the weights fixed, find x whose output ŷ matches measured outputs y.

Gradient descent on x. The misfit J = ½ eᵀe with e = ŷ − y has ∂J/∂x = e^(0) = W^(1)ᵀ δ^(1), the
error the backward pass sends past the first layer. One iteration is x ← Π(x − η e^(0)), where Π clips
each entry into its bounds [lower, upper] (the projection onto a box). The stages of one iteration,
with their formulas and numbers, are built here so that the command line and the window show the same.
No Qt here.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from explorer.engine.network import Network
from explorer.engine.stepper import UPDATE, E, Stage, StageKind, Term, build_stages

FloatArray = npt.NDArray[np.float64]
BoolArray = npt.NDArray[np.bool_]

HISTORY_LIMIT = 200  # points kept when a history is written out
INPUT_ERROR: StageKind = "input_error"
INPUT_UPDATE: StageKind = "input_update"


@dataclass(frozen=True)
class InverseSettings:
    """Step size η, step limit, tolerance on the projected gradient, and optional bounds on x."""

    learning_rate: float = 1.0
    max_steps: int = 5000
    tolerance: float = 1e-7
    lower: FloatArray | None = None
    upper: FloatArray | None = None

    def validate(self, n_inputs: int) -> None:
        """Raise ValueError with a one-line reason if a setting is out of range or bounds do not fit."""
        if not (math.isfinite(self.learning_rate) and self.learning_rate > 0):
            raise ValueError(f"the learning rate must be a positive number, not {self.learning_rate}")
        if self.max_steps < 0:
            raise ValueError(f"the step limit cannot be negative ({self.max_steps})")
        if not (math.isfinite(self.tolerance) and self.tolerance >= 0):
            raise ValueError(f"the tolerance must be zero or positive, not {self.tolerance}")
        for name, bound in (("lower", self.lower), ("upper", self.upper)):
            if bound is not None and bound.shape != (n_inputs,):
                raise ValueError(f"the {name} bounds need {n_inputs} numbers, got {bound.size}")
            if bound is not None and np.isnan(bound).any():
                raise ValueError(f"the {name} bounds must be numbers")
        if self.lower is not None and self.upper is not None and np.any(self.lower > self.upper):
            raise ValueError("a lower bound is above its upper bound")

    @property
    def bounded(self) -> bool:
        """Return True if any bound is set."""
        return self.lower is not None or self.upper is not None


def vector(values: npt.ArrayLike) -> FloatArray:
    """Return values as a 1-D float64 array (a copy)."""
    return np.array(values, dtype=np.float64).reshape(-1)


def project(x: FloatArray, lower: FloatArray | None, upper: FloatArray | None) -> FloatArray:
    """Return x clipped into [lower, upper], entry by entry (missing bounds do not clip)."""
    result: FloatArray = x.copy()
    if lower is not None:
        result = np.maximum(result, lower)
    if upper is not None:
        result = np.minimum(result, upper)
    return result


def input_gradient(network: Network, x: FloatArray, y: FloatArray) -> tuple[float, FloatArray]:
    """Return J(x) and ∂J/∂x = e^(0) = W^(1)ᵀ δ^(1) for one sample."""
    trace = network.trace(x, y, input_error=True)
    return float(trace.loss), np.asarray(trace.e(0), dtype=np.float64)


@dataclass(frozen=True)
class Iteration:
    """One step of the descent: x before, J and ∂J/∂x there, x after, and which entries were clipped."""

    x: FloatArray
    loss: float
    gradient: FloatArray
    x_new: FloatArray
    clipped: BoolArray


def iterate(network: Network, x: FloatArray, y: FloatArray, settings: InverseSettings) -> Iteration:
    """Return one projected gradient step x ← Π(x − η ∂J/∂x) from x."""
    loss, gradient = input_gradient(network, x, y)
    free = x - settings.learning_rate * gradient
    x_new = project(free, settings.lower, settings.upper)
    return Iteration(x, loss, gradient, x_new, np.asarray(x_new != free, dtype=np.bool_))


@dataclass
class InverseResult:
    """The outcome of a run: the last x, its J, steps taken, whether it converged, and the path."""

    x: FloatArray
    loss: float
    iterations: int
    converged: bool
    reason: str
    xs: list[FloatArray] = field(default_factory=list)  # x_0, x_1, ..., x_n
    losses: list[float] = field(default_factory=list)  # J(x_0), ..., J(x_n)

    def history(self, limit: int = HISTORY_LIMIT) -> list[dict[str, Any]]:
        """Return at most `limit` points {"x": [...], "loss": J}, first and last always included."""
        return [{"x": self.xs[i].tolist(), "loss": self.losses[i]} for i in downsample(len(self.xs), limit)]

    def to_json(self, limit: int = HISTORY_LIMIT) -> dict[str, Any]:
        """Return the result as JSON-ready values (finite numbers only, or None)."""
        data: dict[str, Any] = _finite(
            {
                "x": self.x.tolist(),
                "loss": self.loss,
                "iterations": self.iterations,
                "converged": self.converged,
                "history": self.history(limit),
            }
        )
        return data


def _finite(value: Any) -> Any:
    # Strict JSON has no NaN or Infinity: a diverged run writes null there.
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, list):
        return [_finite(item) for item in value]
    if isinstance(value, dict):
        return {key: _finite(item) for key, item in value.items()}
    return value


def downsample(count: int, limit: int) -> list[int]:
    """Return at most `limit` indices spread evenly over range(count), keeping the first and the last."""
    if count <= limit:
        return list(range(count))
    if limit <= 1:
        return [count - 1]
    picked = np.unique(np.round(np.linspace(0, count - 1, limit)).astype(int))
    return [int(i) for i in picked]


def solve(
    network: Network,
    y: npt.ArrayLike,
    start: npt.ArrayLike,
    settings: InverseSettings,
    callback: Callable[[int, FloatArray, float], bool] | None = None,
) -> InverseResult:
    """Descend from `start` until the projected gradient is within the tolerance or max_steps are done.

    The projected gradient is (x − Π(x − η e^(0)))/η: e^(0) itself inside the bounds, and only its
    inward part on a bound, so a minimum on a bound counts as converged. The start is clipped into
    the bounds first. callback(step, x, J), if given, is called before every update; returning False
    stops the run (reason "stopped"). A J or x that stops being finite ends it (reason "diverged").
    """
    settings.validate(network.input_size)
    target = vector(y)
    if target.shape != (network.output_size,):
        raise ValueError(f"the target needs {network.output_size} numbers, got {target.size}")
    x = vector(start)
    if x.shape != (network.input_size,):
        raise ValueError(f"the start needs {network.input_size} numbers, got {x.size}")
    x = project(x, settings.lower, settings.upper)
    xs: list[FloatArray] = [x]
    losses: list[float] = []  # losses[i] = J(xs[i])
    reason, converged, steps = "step limit", False, 0
    with np.errstate(all="ignore"):
        while True:
            loss, gradient = input_gradient(network, x, target)
            losses.append(loss)
            if not (math.isfinite(loss) and np.isfinite(gradient).all()):
                reason = "diverged"
                break
            x_new = project(x - settings.learning_rate * gradient, settings.lower, settings.upper)
            if float(np.max(np.abs(x_new - x), initial=0.0)) <= settings.tolerance * settings.learning_rate:
                reason, converged = "converged", True
                break
            if steps >= settings.max_steps:
                break
            if not np.isfinite(x_new).all():
                reason = "diverged"
                break
            if callback is not None and not callback(steps, x, loss):
                reason = "stopped"
                break
            x = x_new
            xs.append(x)
            steps += 1
    return InverseResult(x, losses[-1], steps, converged, reason, xs, losses)


# --- the stages of one iteration -------------------------------------------------------------------
def iteration_stages(
    network: Network, x: npt.ArrayLike, y: npt.ArrayLike, settings: InverseSettings
) -> list[Stage]:
    """Return the stages of one iteration: forward, error and J, δ from L down to 1, e^(0), the x update.

    The forward, error and δ stages are the training step-through's (explorer.engine.stepper); the
    gradient and weight-update stages are replaced by e^(0) = W^(1)ᵀ δ^(1) and the update of x.
    """
    x_now, target = vector(x), vector(y)
    trace = network.trace(x_now, target, input_error=True)
    stages = build_stages(network, trace, settings.learning_rate)
    kept = [stage for stage in stages if stage.kind not in ("gradient", "update")]
    kept[0] = dataclasses.replace(kept[0], title="Input: a^(0) = x, the current guess")
    error_stage = next(i for i, stage in enumerate(kept) if stage.kind == "error")
    kept[error_stage] = dataclasses.replace(
        kept[error_stage], title="Output error against the measured y, and J"
    )
    step = iterate(network, x_now, target, settings)
    first = network.layer(1)
    sizes = network.sizes
    inputs = tuple((0, i) for i in range(sizes[0]))
    kept.append(
        Stage(
            INPUT_ERROR,
            1,
            "Error sent back to the input: ∂J/∂x = e^(0)",
            ("e^(0) = W^(1)ᵀ δ^(1) = ∂J/∂x",),
            (
                (
                    Term("e^(0)", step.gradient),
                    "=",
                    Term("W^(1)ᵀ", first.weights.T),
                    Term("δ^(1)", trace.delta(1)),
                ),
            ),
            {"e^(0)": step.gradient},
            tuple((1, i) for i in range(sizes[1])) + inputs,
            (1,),
            ((E, 0),),
        )
    )
    formulas = ["x ← x − η e^(0)"]
    equation: tuple[Any, ...] = (
        Term("x new", step.x_new),
        "=",
        Term("x", x_now),
        "−",
        f"{settings.learning_rate:g}",
        Term("e^(0)", step.gradient),
    )
    if settings.bounded:
        formulas = ["x ← clip(x − η e^(0), x_min, x_max)   (projection onto the bounds)"]
        equation = (
            Term("x new", step.x_new),
            "=",
            "clip(",
            Term("x", x_now),
            "−",
            f"{settings.learning_rate:g}",
            Term("e^(0)", step.gradient),
            ")",
        )
        clipped = [str(i + 1) for i in np.flatnonzero(step.clipped)]
        formulas.append(
            f"clipped to its bound: entry {', '.join(clipped)}" if clipped else "no entry hit a bound"
        )
    kept.append(
        Stage(
            INPUT_UPDATE,
            0,
            f"Update the input with step η = {settings.learning_rate:g}",
            tuple(formulas),
            (equation,),
            {"x new": step.x_new, "J": trace.loss},
            inputs,
            (),
            ((UPDATE, 0),),
        )
    )
    return kept


class InverseStepper:
    """The stages of the current iteration and a history of the iterations done, for step-by-step use."""

    def __init__(
        self, network: Network, y: npt.ArrayLike, start: npt.ArrayLike, settings: InverseSettings
    ) -> None:
        settings.validate(network.input_size)
        self.network = network
        self.settings = settings
        self.target = vector(y)
        if self.target.shape != (network.output_size,):
            raise ValueError(f"the target needs {network.output_size} numbers, got {self.target.size}")
        start_x = vector(start)
        if start_x.shape != (network.input_size,):
            raise ValueError(f"the start needs {network.input_size} numbers, got {start_x.size}")
        self.x = project(start_x, settings.lower, settings.upper)
        self.xs: list[FloatArray] = [self.x]
        self.losses: list[float] = [network.loss_value(self.x, self.target)]
        self.stages = iteration_stages(network, self.x, self.target, settings)

    @property
    def iterations(self) -> int:
        """Return the number of updates done."""
        return len(self.xs) - 1

    @property
    def loss(self) -> float:
        """Return J at the current x."""
        return self.losses[-1]

    def advance(self) -> Iteration:
        """Apply one update x ← Π(x − η e^(0)) and rebuild the stages at the new x."""
        step = iterate(self.network, self.x, self.target, self.settings)
        self._move_to(step.x_new)
        return step

    def run(self, callback: Callable[[int, FloatArray, float], bool] | None = None) -> InverseResult:
        """Run to convergence or the step limit from the current x; keep the path in the history."""
        result = solve(self.network, self.target, self.x, self.settings, callback)
        self.xs.extend(result.xs[1:])
        self.losses.extend(result.losses[1:])
        self.x = result.x
        self.stages = iteration_stages(self.network, self.x, self.target, self.settings)
        return result

    def _move_to(self, x: FloatArray) -> None:
        self.x = x
        self.xs.append(x)
        self.losses.append(self.network.loss_value(x, self.target))
        self.stages = iteration_stages(self.network, x, self.target, self.settings)
