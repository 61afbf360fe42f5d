"""Gradient descent over a data set, with momentum and mini-batches, and a cheap per-epoch history.

Data sets hold one sample per row: X has shape (N, n_inputs), Y has shape (N, n_outputs), like a CSV.
The trainer turns them into columns once, so every step feeds the network (n, batch) blocks.

An epoch's loss is the mean per-sample J over the epoch, each batch's J taken at the weights its
step starts from (for a full batch: J before the epoch's one step). Validation J is taken after the
epoch. Each step puts new arrays into layer.weights and layer.bias rather than writing in place,
so an array a view holds stays as it was.

Sizes recorded per epoch and per layer are root-mean-square values, sqrt(mean of squares), so
layers of different widths can be compared on one plot:
- delta_norms[e, k−1] is the RMS of δ^(k) over the layer's neurons and all samples of epoch e;
- grad_norms[e, k−1] is the RMS of the entries of ∂J/∂W^(k), each step's batch-mean gradient
  weighted by its batch size (for a full batch, simply the RMS of the one gradient).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import numpy.typing as npt

from explorer.engine.arrays import Array
from explorer.engine.csvdata import width_problem
from explorer.engine.network import Network
from explorer.engine.saturation import all_saturated

Float64s: TypeAlias = npt.NDArray[np.float64]
# A step's new weights (or bias) and, with momentum, the step that made them.
NewValues: TypeAlias = tuple[Array, Array | None]


@dataclass(frozen=True)
class TrainingSettings:
    """How to train: step size η, momentum μ, batch size (None = full batch), epoch limit, seed."""

    learning_rate: float = 0.5
    momentum: float = 0.0
    batch_size: int | None = None
    epochs: int = 1000
    seed: int = 0
    validation_fraction: float = 0.0

    def validate(self) -> None:
        """Raise ValueError with a one-line reason if a setting is out of range."""
        if not (math.isfinite(self.learning_rate) and self.learning_rate > 0):
            raise ValueError(f"the learning rate must be a positive number, not {self.learning_rate}")
        if not (math.isfinite(self.momentum) and 0 <= self.momentum < 1):
            raise ValueError(f"the momentum must be at least 0 and below 1, not {self.momentum}")
        if self.batch_size is not None and self.batch_size < 1:
            raise ValueError(f"the batch size must be at least 1, not {self.batch_size}")
        if self.epochs < 0:
            raise ValueError(f"the number of epochs cannot be negative ({self.epochs})")
        if not 0 <= self.validation_fraction < 1:
            raise ValueError(
                f"the validation fraction must be at least 0 and below 1, not {self.validation_fraction}"
            )


SATURATION_EPOCHS = 5  # the first epochs are checked for total saturation (engine.saturation)
MAX_HISTORY_POINTS = 100_000  # epochs kept at full detail; older ones are thinned, see History


class History:
    """Per-epoch records in NumPy buffers that double when full; the properties are views.

    Memory is bounded: once `max_points` epochs are stored, the older half is thinned to every
    other point, so a run of any length keeps between 3/4 and all of `max_points` points; the most
    recent epochs are always kept one by one, older ones at a spacing that doubles with their age.
    len() is the number of epochs recorded; `epochs` gives the epoch number of each stored point.
    """

    def __init__(self, num_layers: int, capacity: int = 256, max_points: int = MAX_HISTORY_POINTS) -> None:
        self.num_layers = num_layers
        self.stopped_reason: str | None = None
        self.max_points = max(4, max_points)
        capacity = min(capacity, self.max_points)
        self._count = 0  # epochs recorded
        self._validation_count = 0  # validation entries recorded
        self._stored = 0  # points stored (≤ _count once thinned)
        self._validation_stored = 0
        self._filled = 0  # points in the buffers, some maybe beyond a rewind (for redo)
        self._validation_filled = 0
        self._loss: Float64s = np.empty(capacity)
        self._epochs: npt.NDArray[np.int64] = np.empty(capacity, dtype=np.int64)
        self._validation: Float64s = np.empty(capacity)
        self._validation_epochs: npt.NDArray[np.int64] = np.empty(capacity, dtype=np.int64)
        # The running count of validation entries at each stored validation point (for rewind).
        self._validation_numbers: npt.NDArray[np.int64] = np.empty(capacity, dtype=np.int64)
        self._deltas: Float64s = np.empty((capacity, num_layers))
        self._grads: Float64s = np.empty((capacity, num_layers))

    def __len__(self) -> int:
        return self._count

    @property
    def epochs(self) -> npt.NDArray[np.int64]:
        """Return the epoch number (from 1) of each stored point, shape (points,)."""
        return self._epochs[: self._stored]

    @property
    def validation_epochs(self) -> npt.NDArray[np.int64]:
        """Return the epoch number of each stored validation point."""
        return self._validation_epochs[: self._validation_stored]

    @property
    def loss(self) -> Float64s:
        """Return the mean training J of each stored epoch, shape (points,)."""
        return self._loss[: self._stored]

    @property
    def validation_loss(self) -> Float64s:
        """Return the validation J of each stored epoch, or empty without validation data."""
        return self._validation[: self._validation_stored]

    @property
    def delta_norms(self) -> Float64s:
        """Return the RMS of δ^(k) per stored epoch, shape (points, L); column k−1 is layer k."""
        return self._deltas[: self._stored]

    @property
    def grad_norms(self) -> Float64s:
        """Return the RMS of ∂J/∂W^(k) per stored epoch, shape (points, L); column k−1 is layer k."""
        return self._grads[: self._stored]

    def marks(self) -> tuple[int, int]:
        """Return (epochs, validation entries) recorded so far, for rewind()."""
        return self._count, self._validation_count

    def rewind(self, marks: tuple[int, int]) -> bool:
        """Go back to earlier marks, or forward again to marks whose data is still in the buffers.

        Return False (and change nothing) if the marks lie beyond what the buffers hold.
        """
        count, validation_count = marks
        last = int(self._epochs[self._filled - 1]) if self._filled else 0
        validation_last = self._validation_count_at(self._validation_filled)
        if count > last or validation_count > validation_last:
            return False
        self._count, self._validation_count = count, validation_count
        self._stored = int(np.searchsorted(self._epochs[: self._filled], count, side="right"))
        self._validation_stored = int(
            np.searchsorted(self._validation_numbers[: self._validation_filled], validation_count, "right")
        )
        return True

    def _validation_count_at(self, filled: int) -> int:
        return int(self._validation_numbers[filled - 1]) if filled else 0

    def append(
        self,
        loss: float,
        delta_norms: npt.ArrayLike,
        grad_norms: npt.ArrayLike,
        validation_loss: float | None = None,
    ) -> None:
        """Record one epoch."""
        if self._stored == len(self._loss):
            self._make_room()
        i = self._stored
        self._count += 1
        self._loss[i] = loss
        self._epochs[i] = self._count
        self._deltas[i] = delta_norms
        self._grads[i] = grad_norms
        self._stored = self._filled = i + 1
        if validation_loss is not None:
            if self._validation_stored == len(self._validation):
                self._make_validation_room()
            v = self._validation_stored
            self._validation_count += 1
            self._validation[v] = validation_loss
            self._validation_epochs[v] = self._count
            self._validation_numbers[v] = self._validation_count
            self._validation_stored = self._validation_filled = v + 1

    def _make_room(self) -> None:
        names = ("_loss", "_epochs", "_deltas", "_grads")
        if len(self._loss) < self.max_points:
            self._resize(names, min(2 * len(self._loss), self.max_points))
        else:
            self._thin(names, "_stored", "_filled")

    def _make_validation_room(self) -> None:
        names = ("_validation", "_validation_epochs", "_validation_numbers")
        if len(self._validation) < self.max_points:
            self._resize(names, min(2 * len(self._validation), self.max_points))
        else:
            self._thin(names, "_validation_stored", "_validation_filled")

    def _resize(self, names: tuple[str, ...], capacity: int) -> None:
        for name in names:
            old = getattr(self, name)
            new = np.empty((capacity,) + old.shape[1:], dtype=old.dtype)
            new[: len(old)] = old
            setattr(self, name, new)

    def _thin(self, names: tuple[str, ...], stored: str, filled: str) -> None:
        # Every other point of the older half goes: the buffer is then 3/4 full.
        n = getattr(self, stored)
        half = n // 2
        keep = np.concatenate([np.arange(0, half, 2), np.arange(half, n)])
        for name in names:
            array = getattr(self, name)
            array[: len(keep)] = array[keep]
        setattr(self, stored, len(keep))
        setattr(self, filled, len(keep))


def split(X: Array, Y: Array, validation_fraction: float, seed: int) -> tuple[Array, Array, Array, Array]:
    """Shuffle the rows with a seeded generator and hold back a fraction for validation.

    Return (X_train, Y_train, X_val, Y_val). A positive fraction holds back at least one row and
    keeps at least one for training; a fraction of 0 gives empty validation arrays.
    """
    X, Y = np.asarray(X), np.asarray(Y)
    n = len(X)
    if len(Y) != n:
        raise ValueError(f"X has {n} rows but Y has {len(Y)}")
    if not 0 <= validation_fraction < 1:
        raise ValueError(f"the validation fraction must be at least 0 and below 1, not {validation_fraction}")
    order = np.random.default_rng(seed).permutation(n)
    held = 0 if validation_fraction == 0 else min(max(1, round(n * validation_fraction)), n - 1)
    train, val = order[held:], order[:held]
    return X[train], Y[train], X[val], Y[val]


def _read_only(array: Array) -> Array:
    view: Array = array.view()
    view.flags.writeable = False
    return view


def _rows(values: npt.ArrayLike, name: str) -> Float64s:
    array = np.asarray(values, dtype=float)
    if array.ndim == 1:
        array = array[:, None]  # one column of values, e.g. a regression target
    if array.ndim != 2:
        raise ValueError(f"{name} must be a table of shape (samples, columns), not {array.shape}")
    if not np.isfinite(array).all():
        raise ValueError(f"{name} contains values that are not finite numbers")
    return array


class Trainer:
    """Trains a copy of a network (held in `trainer.network`) by gradient descent on rows X, Y."""

    def __init__(
        self,
        network: Network,
        X: Array,
        Y: Array,
        settings: TrainingSettings | None = None,
        X_val: Array | None = None,
        Y_val: Array | None = None,
    ) -> None:
        self.settings = settings = settings or TrainingSettings()
        settings.validate()
        network.validate()
        X, Y = _rows(X, "X"), _rows(Y, "Y")
        if len(X) != len(Y):
            raise ValueError(f"X has {len(X)} rows but Y has {len(Y)}")
        if len(X) == 0:
            raise ValueError("the data set has no samples")
        problem = width_problem(X.shape[1], Y.shape[1], network.sizes, "data")
        if problem:
            raise ValueError(problem)
        if X_val is None and settings.validation_fraction > 0:
            X, Y, X_val, Y_val = split(X, Y, settings.validation_fraction, settings.seed)
        self.network = network.copy()
        dtype = self.network.dtype
        # Columns, contiguous, in the network's float type: converted once, not per step.
        self._x = np.ascontiguousarray(X.T, dtype=dtype)
        self._y = np.ascontiguousarray(Y.T, dtype=dtype)
        self._x_val: Array | None = None
        self._y_val: Array | None = None
        if X_val is not None and Y_val is not None and len(X_val):
            X_val, Y_val = _rows(X_val, "X_val"), _rows(Y_val, "Y_val")
            problem = width_problem(X_val.shape[1], Y_val.shape[1], network.sizes, "validation data")
            if problem:
                raise ValueError(problem)
            self._x_val = np.ascontiguousarray(X_val.T, dtype=dtype)
            self._y_val = np.ascontiguousarray(Y_val.T, dtype=dtype)
        self._rng = np.random.default_rng(settings.seed)
        self._velocity_w = [np.zeros_like(layer.weights) for layer in self.network.layers]
        self._velocity_b = [
            None if layer.bias is None else np.zeros_like(layer.bias) for layer in self.network.layers
        ]
        # Per layer k: neurons n_k (for the δ RMS) and weight count (for the ∂J/∂W RMS).
        self._widths = [layer.size for layer in self.network.layers]
        self._weight_counts = [layer.weights.size for layer in self.network.layers]
        self._ones_w = [np.ones_like(layer.weights) for layer in self.network.layers]
        self._ones_b = [
            None if layer.bias is None else np.ones_like(layer.bias) for layer in self.network.layers
        ]
        self.epoch = 0
        self.history = History(self.network.num_layers)
        self.warning: str | None = None  # a problem the run's message should mention (saturation)

    # --- state ---------------------------------------------------------------------------
    @property
    def num_samples(self) -> int:
        """Return the number of training rows (after any validation split)."""
        return int(self._x.shape[1])

    @property
    def num_validation_samples(self) -> int:
        """Return the number of validation rows (0 without validation data)."""
        return 0 if self._x_val is None else int(self._x_val.shape[1])

    @property
    def training_data(self) -> tuple[Array, Array]:
        """Return the training rows (X, Y) as read-only views, one sample per row."""
        return _read_only(self._x.T), _read_only(self._y.T)

    @property
    def validation_data(self) -> tuple[Array, Array] | None:
        """Return the validation rows (X, Y) as read-only views, or None without any."""
        if self._x_val is None or self._y_val is None:  # both are None, or neither
            return None
        return _read_only(self._x_val.T), _read_only(self._y_val.T)

    @property
    def stopped_reason(self) -> str | None:
        """Return why training stopped (divergence or the epoch limit), or None while it can go on."""
        return self.history.stopped_reason

    @property
    def stopped(self) -> bool:
        """Return True once training has stopped."""
        return self.history.stopped_reason is not None

    def resume(self) -> None:
        """Clear the stop, e.g. after lowering the learning rate or raising the epoch limit."""
        self.history.stopped_reason = None

    def validation_loss(self) -> float | None:
        """Return the mean J of the current network on the validation rows, or None without any."""
        if self._x_val is None or self._y_val is None:  # both are None, or neither
            return None
        return self.network.loss_value(self._x_val, self._y_val)

    # --- training ------------------------------------------------------------------------
    def run(
        self,
        epochs: int | None = None,
        callback: Callable[[Trainer], None] | None = None,
        should_stop: Callable[[], bool] | None = None,
    ) -> int:
        """Run up to `epochs` more epochs (all that the limit allows if None); return how many ran.

        `callback(trainer)` is called after each epoch; `should_stop()` is asked before each one and
        ends the run early without marking the trainer stopped.
        """
        remaining = self.settings.epochs - self.epoch if epochs is None else epochs
        done = 0
        while done < remaining and not (should_stop is not None and should_stop()):
            before = self.epoch
            going = self.run_epoch()
            if self.epoch > before:
                done += 1
                if callback is not None:
                    callback(self)
            if not going:
                break
        return done

    def run_epoch(self) -> bool:
        """Run one epoch; return False if training is stopped and no further epoch can run.

        An epoch that completes is recorded in the history. One that produces a non-finite loss
        or weight is abandoned: the network keeps the weights from before the failing step.
        """
        if self.stopped:
            return False
        settings = self.settings
        if self.epoch >= settings.epochs:
            self.history.stopped_reason = f"reached the limit of {settings.epochs} epochs"
            return False
        n = self.num_samples
        batch = n if settings.batch_size is None else min(settings.batch_size, n)
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            if batch == n:
                # Sample order does not change a full-batch mean, so no shuffle.
                batches = [(self._x, self._y)]
            else:
                order = self._rng.permutation(n)
                x, y = self._x[:, order], self._y[:, order]
                batches = [(x[:, s : s + batch], y[:, s : s + batch]) for s in range(0, n, batch)]
            record = self._epoch(batches)
            if record is None:
                return False
            validation = self.validation_loss()
        self.epoch += 1
        self.history.append(*record, validation)
        if self.warning is None and self.epoch <= SATURATION_EPOCHS and all_saturated(self.network, self._x):
            self.warning = (
                f"every sigmoid/tanh neuron is saturated after epoch {self.epoch} (g'(z) ≈ 0, so J "
                f"barely changes): learning rate {settings.learning_rate:g} is probably too large"
            )
        if self.epoch >= settings.epochs:
            self.history.stopped_reason = f"reached the limit of {settings.epochs} epochs"
            return False
        return True

    def _epoch(self, batches: list[tuple[Array, Array]]) -> tuple[float, list[float], list[float]] | None:
        network = self.network
        layers = network.layers
        lr = self.settings.learning_rate
        mu = self.settings.momentum
        velocity_w, velocity_b = self._velocity_w, self._velocity_b
        ones_w, ones_b = self._ones_w, self._ones_b
        vdot = np.vdot
        L = len(layers)
        loss_sum = 0.0
        delta_sq = [0.0] * L
        grad_sq = [0.0] * L
        new_w: list[NewValues | None] = [None] * L
        new_b: list[NewValues | None] = [None] * L
        step_w: Array | None
        step_b: Array | None
        for x, y in batches:
            trace = network.trace(x, y, input_error=False)
            loss = trace.loss
            if not math.isfinite(loss):
                self._fail(f"the loss became {loss}")
                return None
            size = x.shape[1]
            loss_sum += loss * size
            deltas, grads_w, grads_b = trace.deltas, trace.grad_weights, trace.grad_biases
            # The sum of every new weight and bias: one scalar, finite unless some value is nan or
            # inf (or so close to overflow that the sum overflows). Cheaper than isfinite per array.
            check = 0.0
            for i in range(L):
                layer = layers[i]
                delta, grad_w, grad_b = deltas[i + 1], grads_w[i + 1], grads_b[i + 1]
                assert delta is not None and grad_w is not None  # None only at k = 0
                delta_sq[i] += vdot(delta, delta)
                grad_sq[i] += vdot(grad_w, grad_w) * size
                if mu:
                    # v ← μv − η g, W ← W + v; the velocity is committed only with the weights.
                    step_w = mu * velocity_w[i] - lr * grad_w
                    weights = layer.weights + step_w
                else:
                    step_w = None
                    weights = layer.weights - lr * grad_w
                check += vdot(weights, ones_w[i])
                new_w[i] = (weights, step_w)
                if grad_b is not None:
                    velocity, ones = velocity_b[i], ones_b[i]
                    # A gradient for a bias means a bias, and its velocity and ones are set.
                    assert layer.bias is not None and velocity is not None and ones is not None
                    if mu:
                        step_b = mu * velocity - lr * grad_b
                        bias = layer.bias + step_b
                    else:
                        step_b = None
                        bias = layer.bias - lr * grad_b
                    check += vdot(bias, ones)
                    new_b[i] = (bias, step_b)
            if not math.isfinite(check):
                self._fail(_blow_up(new_w, new_b))
                return None
            for i in range(L):
                layer = layers[i]
                new_weights, new_bias = new_w[i], new_b[i]
                assert new_weights is not None  # set for every layer above
                layer.weights, step_w = new_weights
                if mu:
                    assert step_w is not None
                    velocity_w[i] = step_w
                if new_bias is not None:
                    layer.bias, step_b = new_bias
                    if mu:
                        velocity_b[i] = step_b
        n = self.num_samples
        widths = self._widths
        delta_rms = [math.sqrt(delta_sq[i] / (widths[i] * n)) for i in range(L)]
        grad_rms = [math.sqrt(grad_sq[i] / (self._weight_counts[i] * n)) for i in range(L)]
        return loss_sum / n, delta_rms, grad_rms

    def _fail(self, what: str) -> None:
        settings = self.settings
        rate = f"learning rate {settings.learning_rate:g}"
        if settings.momentum:
            rate += f" with momentum {settings.momentum:g}"
        self.history.stopped_reason = (
            f"{what} at epoch {self.epoch + 1} ({rate} is probably too large; try a smaller one)"
        )


def _blow_up(new_w: list[NewValues | None], new_b: list[NewValues | None]) -> str:
    """Describe the first layer whose new weights or biases are not finite (or sum past the float range)."""
    for k, new_weights in enumerate(new_w, start=1):
        assert new_weights is not None  # set for every layer
        weights, _ = new_weights
        values = weights.ravel()
        new_bias = new_b[k - 1]
        if new_bias is not None:
            values = np.concatenate([values, new_bias[0]])
        if np.isnan(values).any():
            return f"the weights of layer {k} became nan"
        if np.isinf(values).any():
            return f"the weights of layer {k} became inf"
        if not math.isfinite(float(np.sum(values))):
            return f"the weights of layer {k} grew to {float(np.max(np.abs(values))):.3g}"
    return "the weights became too large"
