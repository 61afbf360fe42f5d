"""Compare hidden activations: train sigmoid, tanh and ReLU copies in event-loop slices and overlay them.

The upper plot is each copy's per-layer gradient size (RMS of ∂J/∂W^(k)) after the first epoch
(solid) and after the last (dashed); the lower plot is their loss curves. The copies run on the
engine (explorer/engine/compare.py) a few milliseconds at a time, so the window stays responsive.
"""

from __future__ import annotations

import html
import time

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QProgressBar,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from explorer.document.document import Document
from explorer.document.training_run import TrainingController
from explorer.engine.compare import DEFAULT_ACTIVATIONS, ActivationComparison
from explorer.text.notation import display
from explorer.views.plots.style import (
    PlotPanel,
    legend_html,
    make_plot,
    note_label,
    pen,
    set_log_data,
    style_plot,
)

SLICE_SECONDS = 0.025
HUES = {"sigmoid": 0, "tanh": 2, "relu": 3}  # blue, green, vermillion: apart in every palette
LABELS = {"sigmoid": "sigmoid", "tanh": "tanh", "relu": "ReLU"}


class CompareView(PlotPanel):
    """Run the activation comparison on demand and plot its gradient sizes and loss curves."""

    finished = Signal()

    def __init__(
        self, document: Document, controller: TrainingController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("compare_view")
        self.doc = document
        self.controller = controller
        self.comparison: ActivationComparison | None = None
        self._error = ""
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._slice)

        self.button = QPushButton("Compare activations")
        self.button.setObjectName("compare_button")
        self.button.setToolTip("Train a sigmoid, a tanh and a ReLU copy of this network and overlay them")
        # Never narrower than its label (it was clipped to "npare activati" in a narrow dock).
        self.button.setMinimumWidth(self.button.sizeHint().width())
        self.epochs = QSpinBox()
        self.epochs.setRange(1, 100_000)
        self.epochs.setValue(200)
        self.epochs.setSuffix(" epochs")
        self.start_box = QComboBox()
        self.start_box.addItem("from the current weights", "keep")
        self.start_box.addItem("from fresh weights", "reinitialise")
        self.start_box.setToolTip(
            "Current weights: only the activation differs.\n"
            "Fresh weights: each copy re-drawn with the training seed at its activation's usual scale\n"
            "(in a one-neuron-wide chain a fresh ReLU is often off for every sample: 'dead')."
        )
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(120)
        self.progress.hide()
        controls = QHBoxLayout()
        for widget in (self.button, self.epochs, self.start_box):
            controls.addWidget(widget)
        controls.addWidget(self.progress)
        controls.addStretch(1)

        self.grad_plot = make_plot("layer k", "RMS of ∂J/∂W⁽ᵏ⁾")
        self.grad_plot.getPlotItem().setLogMode(y=True)
        self.loss_plot = make_plot("epoch", "loss J")
        self.loss_plot.getPlotItem().setLogMode(y=True)
        self.note = note_label()
        self.note.setObjectName("compare_note")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        self.legend = note_label()
        self.legend.setObjectName("compare_legend")
        layout.addWidget(self.legend)
        layout.addWidget(self.grad_plot, 3)
        layout.addWidget(self.loss_plot, 2)
        layout.addWidget(self.note)

        self._curves: dict[str, tuple[pg.PlotDataItem, pg.PlotDataItem, pg.PlotDataItem]] = {}
        self.button.clicked.connect(self.toggle)
        document.structure_changed.connect(self.clear)
        self._ready = True
        self.restyle()

    # --- state -------------------------------------------------------------------------
    @property
    def is_running(self) -> bool:
        """Return True while the copies are training."""
        return self._timer.isActive()

    def sizes(self) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Return each activation's per-layer RMS ∂J/∂W after its first and its last epoch."""
        if self.comparison is None:
            return {}
        return {
            name: (h.grad_norms[0].copy(), h.grad_norms[-1].copy())
            for name, h in self.comparison.histories.items()
            if len(h)
        }

    # --- actions -----------------------------------------------------------------------
    def toggle(self) -> None:
        """Start a comparison, or stop the one running."""
        if self.is_running:
            self.stop()
        else:
            self.start()

    def start(self) -> bool:
        """Start training the copies; False (with the reason shown) if the network or data do not fit."""
        self.stop()
        X, Y = self.controller.data()
        settings = self.controller.settings()
        try:
            self.comparison = ActivationComparison(
                self.doc.network,
                X,
                Y,
                settings,
                DEFAULT_ACTIVATIONS,
                epochs=self.epochs.value(),
                seed=settings.seed,
                start=self.start_box.currentData(),
            )
        except ValueError as error:
            self.comparison = None
            self._error = str(error)
            self.redraw()
            return False
        self._error = ""
        self.button.setText("Stop")
        self.progress.setValue(0)
        self.progress.show()
        self._timer.start()
        return True

    def stop(self) -> None:
        """Stop a running comparison, keeping what it has so far."""
        if self.is_running:
            self._timer.stop()
            self._done()

    def clear(self) -> None:
        """Forget the results (the network's shape changed, so they no longer describe it)."""
        self._timer.stop()
        self.comparison = None
        self._error = ""
        self._done()

    def _slice(self) -> None:
        comparison = self.comparison
        if comparison is None:  # cleared: the timer stops with it
            self._timer.stop()
            return
        deadline = time.perf_counter() + SLICE_SECONDS
        done = comparison.done
        while not done and time.perf_counter() < deadline:
            done = comparison.advance(1)
        self.progress.setValue(round(1000 * comparison.fraction_done))
        self.redraw()
        if done:
            self._timer.stop()
            self._done()
            self.finished.emit()

    def _done(self) -> None:
        self.button.setText("Compare activations")
        self.progress.hide()
        self.redraw()

    # --- drawing -----------------------------------------------------------------------
    def redraw(self) -> None:
        """Draw the copies' gradient sizes and loss curves as they stand."""
        histories = {} if self.comparison is None else self.comparison.histories
        if set(histories) != set(self._curves):
            self._make_curves(list(histories))
        L = next(iter(histories.values())).num_layers if histories else self.doc.network.num_layers
        for name, history in histories.items():
            first, last, loss = self._curves[name]
            count = len(history)
            layers = np.arange(1, history.num_layers + 1, dtype=float)
            if count:
                set_log_data(first, layers, history.grad_norms[0])
                set_log_data(last, layers, history.grad_norms[-1])
                set_log_data(loss, history.epochs, history.loss)
            else:
                for curve in (first, last, loss):
                    curve.setData([], [])
        axis = self.grad_plot.getPlotItem().getAxis("bottom")
        axis.setTicks([[(float(k), str(k)) for k in range(1, L + 1, max(1, (L + 11) // 12))]])
        self.note.setText(self._summary())

    def _summary(self) -> str:
        colours = self.colours()
        if self._error:
            error = html.escape(self._error)
            return f'<span style="color: {colours.warning.name()}">Cannot compare: {error}</span>'
        comparison = self.comparison
        if comparison is None:
            return "Press <b>Compare activations</b>: solid = after epoch 1, dashed = after the last epoch."
        parts = []
        for name, history in comparison.histories.items():
            if not len(history):
                continue
            grads = history.grad_norms[0]
            label = LABELS.get(name, name)
            if np.all(grads[:-1] == 0):
                parts.append(f"{label}: no gradient below the output layer (every unit off: “dead”)")
            elif grads[-1] > 0:
                parts.append(f"{label} {display(grads[0] / grads[-1])}×")
        text = ""
        if parts:
            text = "Layer 1's gradient over the last layer's after epoch 1: " + "; ".join(parts) + "."
        for name, reason in comparison.stopped_reasons().items():
            text += (
                f'<br><span style="color: {colours.warning.name()}">{LABELS.get(name, name)} stopped: '
                f"{html.escape(reason)}</span>"
            )
        return text

    def _make_curves(self, names: list[str]) -> None:
        for first, last, loss in self._curves.values():
            self.grad_plot.removeItem(first)
            self.grad_plot.removeItem(last)
            self.loss_plot.removeItem(loss)
        colours = self.colours()
        self._curves = {}
        entries = []
        for index, name in enumerate(names):
            colour = colours.hue(HUES.get(name, 4 + index))
            label = LABELS.get(name, name)
            # After epoch 1 (the lecture's argument: the gradient as it starts) solid and filled;
            # after the last epoch dashed and hollow.
            first = self.grad_plot.plot(pen=pen(colour, 3), symbol="o", symbolSize=9, symbolBrush=colour)
            first.setSymbolPen(pen(colour, 1))
            last = self.grad_plot.plot(
                pen=pen(colour, 2, Qt.PenStyle.DashLine),
                symbol="o",
                symbolSize=7,
                symbolBrush=colours.background,
            )
            last.setSymbolPen(pen(colour, 1.5))
            loss = self.loss_plot.plot(pen=pen(colour, 2.5))
            self._curves[name] = (first, last, loss)
            entries.append((label, colour, "line"))
        if names:
            # Two grey samples explain the line styles once, instead of six legend lines.
            epochs = self.comparison.epochs if self.comparison is not None else self.epochs.value()
            entries.append(("after epoch 1,", colours.muted, "line"))
            entries.append((f"after epoch {epochs}", colours.muted, "dashed"))
        self.legend.setText(legend_html(entries))
        self.legend.setVisible(bool(names))

    def restyle(self) -> None:
        """Apply palette colours to the plots, legends and curves."""
        colours = self.colours()
        for plot in (self.grad_plot, self.loss_plot):
            style_plot(plot, colours)
        self.note.setStyleSheet(f"color: {colours.muted.name()};")
        if self._curves:
            self._make_curves(list(self._curves))  # cheap, and picks up the new palette's hues
        self.redraw()
