"""View ranges that move in steps, so a live plot's axes re-render now and then, not on every update.

pyqtgraph's auto-range fits the view to the data on every new point: the tick labels and grid are
then drawn afresh at each live update, which costs more than the curves. While training runs, the
x range here ends at the next 1, 2 or 5 × 10ⁿ epochs and the y range ends on a grid of a quarter of
the data's span or less (whole decades on a log axis), so the view changes only when the data
crosses a step. At rest the view fits the data snugly, as auto-range would.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg

MIN_EPOCHS = 10  # a live x range never ends before this many epochs
PADDING = 0.03  # share of the range kept free around the data (y, and x's right end at rest)


def nice_ceiling(value: float) -> float:
    """Return the smallest 1, 2 or 5 × 10ⁿ at or above `value` (1 for anything not above 0)."""
    if not value > 0 or not math.isfinite(value):
        return 1.0
    power = 10.0 ** math.floor(math.log10(value))
    for mantissa in (1.0, 2.0, 5.0, 10.0):
        if mantissa * power >= value * (1 - 1e-12):
            return mantissa * power
    return 10.0 * power  # not reached; rounding safety


def epoch_range(count: int) -> tuple[float, float]:
    """Return the x range for `count` epochs: 0 to the next 1-2-5 step (at least MIN_EPOCHS)."""
    return 0.0, nice_ceiling(max(count, MIN_EPOCHS))


def stepped_range(low: float, high: float) -> tuple[float, float]:
    """Return a range holding [low, high] whose ends sit on a 1-2-5 grid of about a quarter of the span."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return 0.0, 1.0
    span = high - low
    if span <= 0:
        span = abs(high) if high != 0 else 1.0
    step = nice_ceiling(span / 4)
    bottom, top = math.floor(low / step) * step, math.ceil(high / step) * step
    if top <= bottom:
        top = bottom + step
    return bottom, top


def decade_range(smallest_positive: float, largest: float) -> tuple[float, float]:
    """Return a log10 range of whole decades holding the positive values (0..1 when there are none)."""
    if not (smallest_positive > 0 and largest > 0 and math.isfinite(largest)):
        return 0.0, 1.0
    bottom = math.floor(math.log10(smallest_positive) + 1e-12)
    top = math.ceil(math.log10(largest) - 1e-12)
    return float(bottom), float(max(top, bottom + 1))


class RunningBounds:
    """The minimum, maximum and smallest positive finite value of an array that only grows.

    Each update looks at the new entries only; a new source (another History) or a shorter array
    starts afresh. Cheap at a million epochs, where a full min/max would cost a millisecond an update.
    """

    def __init__(self) -> None:
        self.reset()

    def reset(self) -> None:
        """Forget everything seen."""
        self._source: object = None
        self._tag: object = None
        self._seen = 0
        self.low = math.inf
        self.high = -math.inf
        self.positive = math.inf

    def update(self, values: np.ndarray, source: object = None, tag: object = None) -> None:
        """Take in the entries (rows) of `values` after the ones already seen.

        `source` is the object the values belong to (compared by identity) and `tag` says which of
        its arrays they are (compared by value): a change of either starts afresh.
        """
        if source is not self._source or tag != self._tag or len(values) < self._seen:
            self.reset()
            self._source, self._tag = source, tag
        new = np.asarray(values[self._seen :], dtype=float)
        self._seen = len(values)
        new = new[np.isfinite(new)]
        if not new.size:
            return
        self.low = min(self.low, float(new.min()))
        self.high = max(self.high, float(new.max()))
        positive = new[new > 0]
        if positive.size:
            self.positive = min(self.positive, float(positive.min()))

    def merged(self, other: RunningBounds) -> RunningBounds:
        """Return bounds covering both."""
        both = RunningBounds()
        both.low, both.high = min(self.low, other.low), max(self.high, other.high)
        both.positive = min(self.positive, other.positive)
        return both


def snug_range(low: float, high: float) -> tuple[float, float]:
    """Return [low, high] itself, or a unit range around a single value (the data's own range at rest)."""
    if not (math.isfinite(low) and math.isfinite(high)):
        return 0.0, 1.0
    if high > low:
        return low, high
    half = 0.5 * abs(low) if low != 0 else 0.5
    return low - half, high + half


class RangeFollower:
    """Keep an epoch plot's view on its data; a pan or zoom by the user stops it until resume().

    While `live` (a run going on) the view moves in steps; at rest it fits the data snugly.
    """

    def __init__(self, item: pg.PlotItem) -> None:
        self._item = item
        self._shown: tuple | None = None
        self.following = True
        self.live = False
        item.disableAutoRange()
        item.vb.sigRangeChangedManually.connect(self._moved_by_user)

    def resume(self) -> None:
        """Follow the data again (after a new run, a log switch, or a new history)."""
        self.following = True
        self._shown = None

    def target(self, count: int, bounds: RunningBounds, log: bool) -> tuple[tuple, tuple]:
        """Return the x and y ranges (log10 units on a log axis), padding included, for the data."""
        if log:
            if not (bounds.positive > 0 and bounds.high > 0):
                y = (0.0, 1.0)
            elif self.live:
                y = decade_range(bounds.positive, bounds.high)
            else:
                y = snug_range(math.log10(bounds.positive), math.log10(bounds.high))
        elif bounds.low <= bounds.high:
            y = (stepped_range if self.live else snug_range)(bounds.low, bounds.high)
        else:
            y = (0.0, 1.0)
        pad = PADDING * (y[1] - y[0])
        y = (y[0] - pad, y[1] + pad)
        if self.live or count == 0:
            return epoch_range(count), y
        return (0.0, count * (1 + PADDING)), y

    def follow(self, count: int, bounds: RunningBounds, log: bool) -> None:
        """Set the view to the target range if it moved (nothing to draw when it did not)."""
        if not self.following:
            return
        x, y = self.target(count, bounds, log)
        if (x, y) == self._shown:
            return
        self._shown = (x, y)
        self._item.setRange(xRange=x, yRange=y, padding=0)

    def _moved_by_user(self, *_args: object) -> None:
        self.following = False
