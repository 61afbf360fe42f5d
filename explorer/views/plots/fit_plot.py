"""The fit panel: what the network computes over its input space, with the data on top.

One input: the data points and the prediction curve ŷ(x) (one curve per output). Two inputs: the
prediction on a grid as a colour map (ŷ for one output, the argmax class for several) with the points
coloured by their target. Any other input size has no picture here, and the panel says so.
The grid is re-evaluated at most every REDRAW_MS while training runs, and not at all while the
panel is hidden (a tab behind another): it catches up when shown. Training changes only the
picture, so the data points are handed to pyqtgraph again only when the data or colours change.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QLabel, QStackedWidget, QVBoxLayout, QWidget

from explorer.document.document import Document
from explorer.document.training_run import TrainingController
from explorer.engine.network import Network
from explorer.text.notation import display_html
from explorer.views.plots.ranges import stepped_range
from explorer.views.plots.style import (
    PlotColors,
    PlotPanel,
    class_colors,
    legend_html,
    make_plot,
    note_label,
    pen,
    style_plot,
)

CURVE_POINTS = 400
GRID = 100
MARGIN = 0.1  # share of the data range added on each side
REDRAW_MS = 60
BOUNDED = {"sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0), "softmax": (0.0, 1.0), "step": (0.0, 1.0)}


def padded_range(values: np.ndarray) -> tuple[float, float]:
    """Return the range of the finite values widened by MARGIN on each side (±1 around a single value)."""
    values = np.asarray(values, dtype=float)
    values = values[np.isfinite(values)]
    if not len(values):
        return -1.0, 1.0
    low, high = float(values.min()), float(values.max())
    if high - low < 1e-12:
        return low - 1.0, high + 1.0
    pad = MARGIN * (high - low)
    return low - pad, high + pad


def mix(colour: QColor, background: QColor, amount: float) -> QColor:
    """Return `amount` of colour over (1 − amount) of background."""
    return QColor(
        round(amount * colour.red() + (1 - amount) * background.red()),
        round(amount * colour.green() + (1 - amount) * background.green()),
        round(amount * colour.blue() + (1 - amount) * background.blue()),
    )


def _rgb(colour: QColor) -> tuple[int, int, int]:
    """Return the colour's red, green and blue (0-255), as getRgb()[:3] does."""
    return colour.red(), colour.green(), colour.blue()


class FitPlot(PlotPanel):
    """Show the network's prediction over its 1-D or 2-D input space, with the data points."""

    def __init__(
        self, document: Document, controller: TrainingController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("fit_plot")
        self.doc = document
        self.controller = controller
        self._curve_x = np.empty(0)
        self._curve_y = np.empty(0)
        self._pending = False
        self._points_key: tuple | None = None  # what the scatter points show now
        self._shown_view: tuple | None = None  # axis labels and range set last
        self._ring: tuple | None = None
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(REDRAW_MS)
        self._timer.timeout.connect(self._timer_fired)

        self.plot = make_plot()
        item = self.plot.getPlotItem()
        self.image = pg.ImageItem()
        self.image.setZValue(-10)
        item.addItem(self.image)
        self.boundary = pg.IsocurveItem(level=0.5)
        self.boundary.setParentItem(self.image)  # drawn in the image's pixel coordinates
        self.curves: list[pg.PlotDataItem] = []
        self.points: list[pg.ScatterPlotItem] = []
        self.sample_ring = pg.ScatterPlotItem(size=22, symbol="o")
        self.sample_ring.setZValue(20)
        item.addItem(self.sample_ring)
        self.legend = note_label()
        self.legend.setObjectName("fit_legend")
        self.message = QLabel("The fit plot needs a network with 1 or 2 inputs.")
        self.message.setObjectName("fit_message")
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        font = self.message.font()
        font.setPointSize(max(12, font.pointSize()))
        self.message.setFont(font)

        plot_page = QWidget()
        plot_layout = QVBoxLayout(plot_page)
        plot_layout.setContentsMargins(0, 0, 0, 0)
        plot_layout.addWidget(self.legend)
        plot_layout.addWidget(self.plot, 1)
        self.stack = QStackedWidget()
        self.stack.addWidget(plot_page)
        self.stack.addWidget(self.message)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(self.stack)

        controller.progress.connect(self.schedule)
        document.weights_changed.connect(self.schedule)
        document.structure_changed.connect(self.redraw_soon)
        document.data_changed.connect(self.redraw_soon)
        self._ready = True
        self.restyle()

    # --- reading (for tests) -----------------------------------------------------------
    def prediction_curve(self) -> tuple[np.ndarray, np.ndarray]:
        """Return the 1-D curve: x (m,) and ŷ, (m,) for one output or (m, n_out); empty for 2-D input."""
        self.flush()
        return self._curve_x.copy(), self._curve_y.copy()

    def prediction_image(self) -> np.ndarray | None:
        """Return the 2-D grid of predictions shown (ŷ or the class index), or None."""
        self.flush()
        return None if self.image.image is None else np.array(self.image.image)

    # --- updating ----------------------------------------------------------------------
    def schedule(self, *_args: object) -> None:
        """Redraw soon: many changes in a burst (training) cost one grid evaluation; none while hidden."""
        self._pending = True
        if self.is_shown() and not self._timer.isActive():
            self._timer.start()

    def redraw_soon(self, *_args: object) -> None:
        """Redraw at once if the panel is shown, else when it is (a new structure or new data)."""
        self._pending = True
        if self.is_shown():
            self.flush()

    def flush(self) -> None:
        """Redraw now if a redraw is waiting."""
        if self._pending:
            self._timer.stop()
            self.refresh()

    def is_stale(self) -> bool:
        """Return True if a redraw was skipped while the panel was hidden (none is on its way)."""
        return self._pending and not self._timer.isActive()

    def catch_up(self) -> None:
        """Show the current network once the panel comes into view."""
        self.flush()

    def _timer_fired(self) -> None:
        if self.is_shown():
            self.refresh()  # else the redraw waits, pending, until the panel is shown

    def refresh(self) -> None:
        """Evaluate the network over the input range and redraw."""
        self._pending = False
        self._timer.stop()
        network = self.doc.network
        X, Y = self.controller.data()
        X, Y = np.asarray(X, dtype=float), np.asarray(Y, dtype=float)
        self._curve_x, self._curve_y = np.empty(0), np.empty(0)
        if network.input_size not in (1, 2):
            self.stack.setCurrentIndex(1)
            self.message.setText(
                f"The fit plot needs a network with 1 or 2 inputs; this one has {network.input_size}."
            )
            return
        self.stack.setCurrentIndex(0)
        colours = self.colours()
        with np.errstate(all="ignore"):  # a diverging run may overflow; show what comes out
            if network.input_size == 1:
                self._draw_curve(network, X, Y, colours)
            else:
                self._draw_regions(network, X, Y, colours)
        sample = np.asarray(self.doc.state.sample_x, dtype=float)
        if network.input_size == 1:
            sample_y = float(network.predict(sample)[0]) if np.all(np.isfinite(sample)) else np.nan
            ring = (float(sample[0]), sample_y)
        else:
            ring = (float(sample[0]), float(sample[1]))
        if ring != self._ring:
            self._ring = ring
            self.sample_ring.setData([ring[0]], [ring[1]])

    def _points_unchanged(self, key: tuple) -> bool:
        """Return True if the scatter points already show `key`; else remember it as shown next."""
        if key == self._points_key:
            return True
        self._points_key = key
        return False

    def _set_view(self, bottom: str, left: str, x_range: tuple, y_range: tuple) -> None:
        """Set the axis labels and the range, only if they changed: each change re-renders an axis."""
        view = (bottom, left, x_range, y_range)
        if view == self._shown_view:
            return
        self._shown_view = view
        item = self.plot.getPlotItem()
        item.setLabel("bottom", bottom)
        item.setLabel("left", left)
        item.setRange(xRange=x_range, yRange=y_range, padding=0)

    def _set_points(self, groups: list[tuple], colours: PlotColors) -> None:
        """Show the data: one scatter per group (x, y, brush or list of brushes[, outline pen])."""
        item = self.plot.getPlotItem()
        while len(self.points) > len(groups):
            item.removeItem(self.points.pop())
        while len(self.points) < len(groups):
            points = pg.ScatterPlotItem(size=10)
            points.setZValue(10)
            item.addItem(points)
            self.points.append(points)
        for points, (x, y, colour, *outline) in zip(self.points, groups):
            points.setData(x, y, brush=colour, pen=outline[0] if outline else pen(colours.text, 1.2))

    def _set_curves(self, count: int) -> None:
        item = self.plot.getPlotItem()
        while len(self.curves) > count:
            item.removeItem(self.curves.pop())
        while len(self.curves) < count:
            self.curves.append(self.plot.plot())

    def _draw_curve(self, network: Network, X: np.ndarray, Y: np.ndarray, colours: PlotColors) -> None:
        self.image.clear()
        self.boundary.setData(None)
        low, high = padded_range(np.concatenate([X[:, 0], np.asarray(self.doc.state.sample_x, dtype=float)]))
        x = np.linspace(low, high, CURVE_POINTS)
        y = network.predict(x[None, :]).T  # (m, n_out)
        outputs = y.shape[1]
        self._curve_x, self._curve_y = x, (y[:, 0] if outputs == 1 else y)
        self._set_curves(outputs)
        hues = class_colors(outputs, self.palette())
        for j, curve in enumerate(self.curves):
            curve.setData(x, y[:, j], connect="finite")
            curve.setPen(pen(hues[j], 3))
        # Data in the second hue, so points on a good fit still stand apart from the curve.
        data_colour = colours.hue(1) if outputs == 1 else colours.muted
        if not self._points_unchanged(("curve", outputs, X.tobytes(), Y.tobytes())):
            groups: list[tuple[Any, ...]]  # (x, y, brush[, outline pen]), as _set_points takes them
            if outputs == 1:
                groups = [(X[:, 0], Y[:, 0], data_colour)]
            else:
                groups = [(X[:, 0], Y[:, j], colours.background, pen(hues[j], 2)) for j in range(outputs)]
            self._set_points(groups, colours)
        # The y range moves in steps as the curve changes, not with every redraw (ranges.py).
        values = np.concatenate([y[np.isfinite(y)], Y.ravel()])
        y_range = stepped_range(float(values.min()), float(values.max())) if len(values) else (0.0, 1.0)
        pad = 0.04 * (y_range[1] - y_range[0])
        self._set_view("x", "ŷ and y", (low, high), (y_range[0] - pad, y_range[1] + pad))
        entries = [("ŷ(x)" if outputs == 1 else f"ŷ{j + 1}(x)", hues[j], "line") for j in range(outputs)]
        entries.append(("data y" if outputs == 1 else "data (ring per output)", data_colour, "dot"))
        entries.append(("the sample", colours.text, "ring"))
        self.legend.setText(legend_html(entries))

    def _draw_regions(self, network: Network, X: np.ndarray, Y: np.ndarray, colours: PlotColors) -> None:
        self._set_curves(0)
        sample = np.asarray(self.doc.state.sample_x, dtype=float)[None, :]
        rows = np.vstack([X, sample]) if len(X) else sample
        x_low, x_high = padded_range(rows[:, 0])
        y_low, y_high = padded_range(rows[:, 1])
        gx, gy = np.linspace(x_low, x_high, GRID), np.linspace(y_low, y_high, GRID)
        mesh_x, mesh_y = np.meshgrid(gx, gy, indexing="ij")  # [i, j] = (gx[i], gy[j]): ImageItem's order
        inputs = np.vstack([mesh_x.ravel(), mesh_y.ravel()])
        out = network.predict(inputs)  # (n_out, GRID²)
        outputs = out.shape[0]
        rect = (x_low, y_low, x_high - x_low, y_high - y_low)
        if outputs == 1:
            values = out[0].reshape(GRID, GRID)
            low, high = self._levels(network, values, Y)
            lut = self._ramp(colours, 0.6)
            self.image.setImage(values, levels=(low, high), lut=lut, autoLevels=False)
            self.boundary.setData(np.nan_to_num(values, nan=low), level=(low + high) / 2)
            # The points in the same ramp at full strength, so each target reads against its region.
            vivid = self._ramp(colours, 1.0)
            if not self._points_unchanged(("ramp", low, high, X.tobytes(), Y.tobytes())):
                index = np.clip(np.nan_to_num((Y[:, 0] - low) / (high - low) * 255), 0, 255).astype(int)
                brushes = [pg.mkBrush(*vivid[i]) for i in index]
                self._set_points([(X[:, 0], X[:, 1], brushes)], colours)
            ends = [
                (display_html(low), QColor(*vivid[0]), "box"),
                (display_html(high), QColor(*vivid[-1]), "box"),
            ]
            halfway = display_html((low + high) / 2)
            tail = f"╍ ŷ = {halfway} &nbsp; ● targets &nbsp; ◯ the sample"
            self.legend.setText(legend_html(ends, "ŷ from", tail))
        else:
            classes = np.argmax(out, axis=0).reshape(GRID, GRID)
            hues = class_colors(outputs, self.palette())
            faded = np.array([_rgb(mix(h, colours.background, 0.45)) for h in hues], dtype=np.uint8)
            self.image.setImage(faded[classes], autoLevels=False, levels=(0, 255))
            self.boundary.setData(None)
            if not self._points_unchanged(("classes", outputs, X.tobytes(), Y.tobytes())):
                target = np.argmax(Y, axis=1) if len(Y) else np.empty(0, dtype=int)
                groups = [(X[target == c, 0], X[target == c, 1], hues[c]) for c in range(outputs)]
                self._set_points(groups, colours)
            entries = [(f"class {c + 1}", hues[c], "box") for c in range(outputs)]
            self.legend.setText(legend_html(entries, "region = largest ŷᵢ:", "◯ the sample"))
        self.image.setRect(*rect)
        self._set_view("x₁", "x₂", (x_low, x_high), (y_low, y_high))

    def _levels(self, network: Network, values: np.ndarray, Y: np.ndarray) -> tuple[float, float]:
        bounded = BOUNDED.get(network.layers[-1].activation)
        if bounded is not None:
            return bounded
        finite = np.concatenate([values[np.isfinite(values)], Y.ravel()])
        low, high = (float(finite.min()), float(finite.max())) if len(finite) else (0.0, 1.0)
        return (low, high) if high > low else (low - 1.0, high + 1.0)

    def _ramp(self, colours: PlotColors, strength: float) -> np.ndarray:
        """Return a 256-entry colour table blue → background → orange, its ends at `strength` of the hues."""
        low = mix(colours.hue(0), colours.background, strength)
        high = mix(colours.hue(1), colours.background, strength)
        t = np.linspace(0.0, 1.0, 256)[:, None]
        mid = np.array(_rgb(colours.background), dtype=float)
        a, b = np.array(_rgb(low), dtype=float), np.array(_rgb(high), dtype=float)
        table = np.where(t < 0.5, a + (mid - a) * (t / 0.5), mid + (b - mid) * ((t - 0.5) / 0.5))
        return table.round().astype(np.uint8)

    def restyle(self) -> None:
        """Apply palette colours and redraw."""
        colours = self.colours()
        style_plot(self.plot, colours)
        self.boundary.setPen(pen(colours.text, 2, Qt.PenStyle.DashLine))
        self.sample_ring.setPen(pen(colours.text, 2.5))
        self.sample_ring.setBrush(QColor(0, 0, 0, 0))
        self.legend.setStyleSheet(f"color: {colours.muted.name()};")
        self.message.setStyleSheet(f"color: {colours.muted.name()};")
        self._points_key = None  # the points take their colours from the palette too
        self.redraw_soon()
