"""Functions that jump at z = 0 (step and sign, the derivatives of ReLU and leaky ReLU), found and drawn.

piecewise breaks such a curve at the jump; Jump draws it as a dashed riser, a filled dot at the value
taken at 0 and an open dot at the limit not taken. The activation panel (activation.py) uses both.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor

from explorer.views.plots.style import pen


def piecewise(
    function: Callable[[np.ndarray], np.ndarray], z: np.ndarray
) -> tuple[np.ndarray, np.ndarray, tuple[float, float, float] | None]:
    """Return x, y of `function` on z, broken by NaN at a jump at 0, and the jump (left, at 0, right)."""
    eps = 1e-9
    left, at, right = (float(v) for v in function(np.array([-eps, 0.0, eps])))
    y = np.asarray(function(z), dtype=float)
    if abs(right - left) < 1e-6:
        return z, y, None
    split = np.searchsorted(z, 0.0)
    # Drop z = 0 itself from the curve: the dots show the value there.
    x = np.concatenate([z[:split][z[:split] < 0], [np.nan], z[split:][z[split:] > 0]])
    values = np.asarray(function(np.nan_to_num(x)), dtype=float)
    values[np.isnan(x)] = np.nan
    return x, values, (left, at, right)


class Jump:
    """The drawing of a jump at z = 0: a dashed riser, a filled dot at g(0), open dots at other limits."""

    def __init__(self, plot: pg.PlotWidget) -> None:
        self.riser = plot.plot()
        self.closed = pg.ScatterPlotItem(size=10)
        self.open = pg.ScatterPlotItem(size=10)
        plot.addItem(self.closed)
        plot.addItem(self.open)
        self._colour = None

    def show(self, jump: tuple[float, float, float] | None) -> None:
        """Draw the jump (left limit, value at 0, right limit), or nothing for None."""
        if jump is None:
            for item in (self.riser, self.closed, self.open):
                item.setData([], [])
            return
        left, at, right = jump
        self.riser.setData([0.0, 0.0], [min(left, right, at), max(left, right, at)])
        self.closed.setData([0.0], [at])
        limits = sorted({value for value in (left, right) if abs(value - at) > 1e-9})
        self.open.setData([0.0] * len(limits), limits)

    def restyle(self, colour: QColor, background: QColor) -> None:
        """Colour the jump like its curve, the open dots filled with the background."""
        self.riser.setPen(pen(colour, 1.5, Qt.PenStyle.DashLine))
        self.closed.setPen(pen(colour, 2))
        self.closed.setBrush(colour)
        self.open.setPen(pen(colour, 2))
        self.open.setBrush(background)
        # Dots above the curve so the open one reads as a hole in it.
        self.closed.setZValue(5)
        self.open.setZValue(5)
