"""The gradient-flow panel: how large δ^(k) and ∂J/∂W^(k) are in each layer, on a log axis.

Three views: the current sample (filled in from the output back as the stages reveal δ^(k), like the
graph), every layer over the training epochs, and a comparison of sigmoid, tanh and ReLU hidden
layers trained from the same start. Sizes are root-mean-square values, as in the training History:
sqrt(mean of squares) over a layer's neurons (δ) or weights (∂J/∂W), so wide and narrow layers compare.
Only the view on screen redraws: a hidden panel or page notes that it is out of date and catches up
when shown. The epoch view's range grows in steps (ranges.py), so its axes rarely re-render.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QRadioButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from explorer.document.document import Document
from explorer.document.training_run import TrainingController
from explorer.text.notation import display, superscript
from explorer.views.plots.compare_view import CompareView
from explorer.views.plots.ranges import RangeFollower, RunningBounds
from explorer.views.plots.style import (
    PlotPanel,
    Throttle,
    layer_ramp,
    legend_html,
    make_plot,
    note_label,
    pen,
    set_log_data,
    style_legend,
    style_plot,
)

SAMPLE, EPOCHS, COMPARE = range(3)
MAX_LEGEND = 10


def rms(values: np.ndarray) -> float:
    """Return sqrt(mean(values²)), the size History records per layer."""
    values = np.asarray(values, dtype=float)
    return math.sqrt(float(np.mean(values * values))) if values.size else math.nan


def layer_ticks(count: int) -> list[list[tuple[float, str]]]:
    """Return integer ticks 1..count for a layer axis, thinned to about a dozen labels."""
    step = max(1, math.ceil(count / 12))
    return [[(float(k), str(k)) for k in range(1, count + 1) if (k - 1) % step == 0 or k == count]]


def positive_or_nan(values: np.ndarray) -> np.ndarray:
    """Return the values with zeros and non-finite entries as NaN (a gap on a log axis)."""
    values = np.array(values, dtype=float)
    values[~(np.isfinite(values) & (values > 0))] = np.nan
    return values


class GradientFlowPlot(PlotPanel):
    """Plot the per-layer size of δ and ∂J/∂W: for the sample, over epochs, and across activations."""

    def __init__(self, document: Document, controller: TrainingController, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("gradient_flow")
        self.doc = document
        self.controller = controller
        self._delta = np.empty(0)
        self._grad = np.empty(0)
        self._epoch_curves: list[pg.PlotDataItem] = []

        self.modes = QButtonGroup(self)
        mode_row = QHBoxLayout()
        for index, (text, tip) in enumerate(
            [
                ("This sample", "δ and ∂J/∂W of the sample stepped through, per layer"),
                ("Over epochs", "Each layer's gradient size at every training epoch"),
                ("sigmoid vs tanh vs ReLU", "Train copies with each hidden activation and compare"),
            ]
        ):
            button = QRadioButton(text)
            button.setToolTip(tip)
            self.modes.addButton(button, index)
            mode_row.addWidget(button)
        mode_row.addStretch(1)

        self.sample_plot = make_plot("layer k", "RMS size")
        self.sample_plot.getPlotItem().setLogMode(y=True)
        self.sample_legend = self.sample_plot.getPlotItem().addLegend(offset=(8, 8))
        self.delta_curve = self.sample_plot.plot(name="δ⁽ᵏ⁾", symbol="o", symbolSize=11)
        self.grad_curve = self.sample_plot.plot(name="∂J/∂W⁽ᵏ⁾", symbol="s", symbolSize=10)
        self.sample_note = note_label()
        self.sample_note.setObjectName("gradient_sample_note")
        sample_page = _page(self.sample_plot, self.sample_note)

        self.quantity = QComboBox()
        self.quantity.addItems(["δ⁽ᵏ⁾ (error signal)", "∂J/∂W⁽ᵏ⁾ (weight gradient)"])
        self.quantity.setToolTip("Which size to plot per layer and epoch")
        self.epoch_plot = make_plot("epoch", "RMS size")
        self.epoch_plot.getPlotItem().setLogMode(y=True)
        self.epoch_range = RangeFollower(self.epoch_plot.getPlotItem())
        self._epoch_bounds = RunningBounds()
        self.epoch_legend = note_label()
        self.epoch_legend.setObjectName("gradient_epoch_legend")
        self.epoch_note = note_label()
        epoch_page = _page(self.epoch_plot, self.epoch_note, header=self.quantity, legend=self.epoch_legend)

        self.compare = CompareView(document, controller)

        self.stack = QStackedWidget()
        for page in (sample_page, epoch_page, self.compare):
            self.stack.addWidget(page)
        self.stack.currentChanged.connect(self._fit_to_page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(mode_row)
        layout.addWidget(self.stack, 1)

        self.modes.idToggled.connect(self._mode_toggled)
        self.quantity.currentIndexChanged.connect(self.refresh_epochs)
        document.trace_changed.connect(self.refresh_sample)
        document.stage_changed.connect(self.refresh_sample)
        document.structure_changed.connect(self._structure_changed)
        self._epochs_stale = False
        self._sample_stale = False
        self._epoch_throttle = Throttle(self.refresh_epochs, self)
        controller.progress.connect(self._history_grew)
        controller.started.connect(self._training_started)
        controller.stopped.connect(self._training_stopped)
        self._ready = True
        self.restyle()
        self.set_mode(SAMPLE)
        self._fit_to_page(SAMPLE)

    # --- reading (for tests) -----------------------------------------------------------
    def layer_sizes(self) -> tuple[np.ndarray, np.ndarray]:
        """Return the sample's RMS of δ^(k) and of ∂J/∂W^(k) per layer; NaN where not yet revealed."""
        if self._sample_stale:
            self._redraw_sample()
        return self._delta.copy(), self._grad.copy()

    def is_stale(self) -> bool:
        """Return True if the view on screen skipped a redraw while the panel was hidden."""
        mode = self.mode()
        return (mode == SAMPLE and self._sample_stale) or (mode == EPOCHS and self._epochs_stale)

    def catch_up(self) -> None:
        """Redraw the view on screen if it changed while the panel was hidden."""
        if self.mode() == SAMPLE and self._sample_stale:
            self._redraw_sample()
        elif self.mode() == EPOCHS and self._epochs_stale:
            self.refresh_epochs()

    def mode(self) -> int:
        """Return the view shown: SAMPLE, EPOCHS or COMPARE."""
        return self.stack.currentIndex()

    # --- actions -----------------------------------------------------------------------
    def set_mode(self, mode: int) -> None:
        """Show the sample, epochs or comparison view."""
        self.modes.button(mode).setChecked(True)
        self.stack.setCurrentIndex(mode)

    def _fit_to_page(self, index: int) -> None:
        # A stacked widget is as tall as its tallest page; let hidden pages ask for nothing, so
        # the panel fits a short dock when only the small sample view shows.
        for position in range(self.stack.count()):
            policy = QSizePolicy.Policy.Preferred if position == index else QSizePolicy.Policy.Ignored
            page = self.stack.widget(position)
            if page is not None:
                page.setSizePolicy(policy, policy)
        self.stack.adjustSize()

    def _mode_toggled(self, mode: int, checked: bool) -> None:
        if checked:
            self.stack.setCurrentIndex(mode)
            self.catch_up()

    def _history_grew(self) -> None:
        # Only the visible view redraws while training; the hidden one catches up when shown.
        if self.mode() == EPOCHS and self.is_shown():
            self._epoch_throttle.request()
        else:
            self._epochs_stale = True

    def _training_stopped(self, _reason: str) -> None:
        self.epoch_range.live = False
        if self.mode() == EPOCHS and self.is_shown():
            self._epoch_throttle.flush()
            self.refresh_epochs()  # at rest the view fits the curves snugly
        else:
            self._epochs_stale = True

    def _training_started(self) -> None:
        self.epoch_range.resume()  # a new run shows every epoch again, even after a zoom
        self.epoch_range.live = True
        if self.mode() == SAMPLE:
            self.set_mode(EPOCHS)

    def _structure_changed(self) -> None:
        self.refresh_sample()
        self.refresh_epochs()

    # --- the sample --------------------------------------------------------------------
    def refresh_sample(self, *_args: object) -> None:
        """Recompute the per-layer sizes of the document's trace and redraw them (later, if not on screen)."""
        if self.mode() == SAMPLE and self.is_shown():
            self._redraw_sample()
        else:
            self._sample_stale = True

    def _redraw_sample(self) -> None:
        self._sample_stale = False
        trace, revealed = self.doc.trace, self.doc.revealed
        L = self.doc.network.num_layers
        layers = np.arange(1, L + 1, dtype=float)
        with np.errstate(over="ignore", invalid="ignore"):
            delta = np.array(
                [rms(trace.delta(k)) if ("delta", k) in revealed else math.nan for k in range(1, L + 1)]
            )
            grad = np.array(
                [rms(trace.grad_w(k)) if ("grad", k) in revealed else math.nan for k in range(1, L + 1)]
            )
        self._delta, self._grad = delta, grad
        # Log mode maps zeros to gaps itself; NaN here keeps unrevealed layers out of the range.
        set_log_data(self.delta_curve, layers, positive_or_nan(delta))
        set_log_data(self.grad_curve, layers, positive_or_nan(grad))
        item = self.sample_plot.getPlotItem()
        item.getAxis("bottom").setTicks(layer_ticks(L))
        item.setXRange(0.6, L + 0.4, padding=0)
        item.enableAutoRange(axis="y")
        self.sample_note.setText(self._sample_summary(delta, grad, L))

    def _sample_summary(self, delta: np.ndarray, grad: np.ndarray, L: int) -> str:
        if np.all(np.isnan(delta)):
            return "Step into backprop (or press End): δ⁽ᵏ⁾ appears layer by layer from the output back."
        parts = []
        shown = np.flatnonzero(~np.isnan(delta))
        first, last = shown.min(), shown.max()
        if first < last and delta[last] > 0:
            ratio = delta[first] / delta[last]
            parts.append(
                f"RMS δ{superscript(f'({first + 1})')} = {display(ratio)} × "
                f"RMS δ{superscript(f'({last + 1})')}"
                + (": the error fades on its way back." if ratio < 1e-2 else ".")
            )
        zero = [str(k + 1) for k in shown if delta[k] == 0]
        if zero:
            parts.append(f"δ = 0 in layer {', '.join(zero)}: no gradient passes back from there.")
        if len(shown) < L:
            parts.append("Step on to see the remaining layers.")
        elif np.all(np.isnan(grad)):
            parts.append("Step to the gradient stage to add ∂J/∂W⁽ᵏ⁾.")
        return " ".join(parts)

    # --- the epochs --------------------------------------------------------------------
    def refresh_epochs(self, *_args: object) -> None:
        """Redraw one curve per layer from the controller's history."""
        self._epochs_stale = False
        history = self.controller.history
        quantity = self.quantity.currentIndex()
        sizes = history.delta_norms if quantity == 0 else history.grad_norms
        count, L = sizes.shape
        if len(self._epoch_curves) != L:
            self._make_epoch_curves(L)
        x = history.epochs  # older epochs of a long run are thinned out: each point has its number
        for k, curve in enumerate(self._epoch_curves):
            set_log_data(curve, x, sizes[:, k])
        # Rows are epochs: the bounds take in the new ones only (another quantity is another source).
        self._epoch_bounds.update(sizes, history, quantity)
        self.epoch_range.follow(len(history), self._epoch_bounds, log=True)
        if count == 0:
            self.epoch_note.setText("No epochs yet: train the network to follow each layer's gradient.")
        else:
            last = sizes[-1]
            text = f"Epoch {count}: layer 1 {display(last[0])}, layer {L} {display(last[-1])}."
            self.epoch_note.setText(text)

    def _make_epoch_curves(self, L: int) -> None:
        item = self.epoch_plot.getPlotItem()
        for curve in self._epoch_curves:
            item.removeItem(curve)
        colours = layer_ramp(L, self.palette())
        self._epoch_curves = []
        for k in range(L):
            curve = pg.PlotDataItem(pen=pen(colours[k], 2.2))
            item.addItem(curve)
            # After addItem, which applies the plot's own (off) downsampling to the curve.
            curve.setDownsampling(auto=True, method="peak")
            curve.setClipToView(True)
            self._epoch_curves.append(curve)
        self._fill_epoch_legend()

    def _fill_epoch_legend(self) -> None:
        L = len(self._epoch_curves)
        colours = layer_ramp(L, self.palette())
        step = max(1, math.ceil(L / MAX_LEGEND))
        shown = [k for k in range(L) if k % step == 0 or k == L - 1]
        self.epoch_legend.setText(legend_html([(str(k + 1), colours[k], "line") for k in shown], "layer"))

    # --- style -------------------------------------------------------------------------
    def restyle(self) -> None:
        """Apply palette colours to every plot and curve."""
        colours = self.colours()
        style_plot(self.sample_plot, colours)
        style_legend(self.sample_legend, colours)
        style_plot(self.epoch_plot, colours)
        for curve, colour in ((self.delta_curve, colours.hue(0)), (self.grad_curve, colours.hue(1))):
            curve.setPen(pen(colour, 2.5))
            curve.setSymbolBrush(colour)
            curve.setSymbolPen(pen(colours.text, 1))
        for note in (self.sample_note, self.epoch_note):
            note.setStyleSheet(f"color: {colours.muted.name()};")
        ramp = layer_ramp(len(self._epoch_curves), self.palette())
        for curve, colour in zip(self._epoch_curves, ramp):
            curve.setPen(pen(colour, 2.2))
        self._fill_epoch_legend()
        self.refresh_sample()
        self.refresh_epochs()


def _page(
    plot: pg.PlotWidget, note: QLabel, header: QWidget | None = None, legend: QWidget | None = None
) -> QWidget:
    page = QWidget()
    layout = QVBoxLayout(page)
    layout.setContentsMargins(0, 0, 0, 0)
    if header is not None:
        row = QHBoxLayout()
        row.addWidget(header)
        row.addStretch(1)
        layout.addLayout(row)
    if legend is not None:
        layout.addWidget(legend)
    layout.addWidget(plot, 1)
    layout.addWidget(note)
    note.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
    return page
