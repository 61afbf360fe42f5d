"""The loss panel: J per epoch (training and validation), live while training, with a crosshair readout.

The view grows in steps (ranges.py) rather than fitting every new epoch, and a hidden panel skips
its redraws until shown: both keep the window's share of a training run small.
"""

from __future__ import annotations

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, QPointF, Qt
from PySide6.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from explorer.document.document import Document
from explorer.document.training_run import TrainingController
from explorer.text.notation import display
from explorer.views.plots.ranges import RangeFollower, RunningBounds
from explorer.views.plots.style import (
    PlotPanel,
    Throttle,
    make_plot,
    note_label,
    pen,
    style_legend,
    style_plot,
)

QUIET_REASONS = ("paused", "finished")


class LossPlot(PlotPanel):
    """Plot the mean J of every recorded epoch; a label follows the mouse with the epoch and its J."""

    def __init__(self, document: Document, controller: TrainingController, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("loss_plot")
        self.doc = document
        self.controller = controller
        self._hover_epoch: int | None = None
        self._stale = False  # the history changed while the panel was hidden
        self._bounds = RunningBounds()
        self._validation_bounds = RunningBounds()

        self.log_box = QCheckBox("Log scale")
        self.log_box.setToolTip("Show J on a logarithmic axis: slow late progress becomes visible")
        self.readout = QLabel()
        self.readout.setObjectName("loss_readout")
        self.readout.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.readout.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warning = note_label()
        self.warning.setObjectName("loss_warning")
        self.warning.hide()

        self.plot = make_plot("epoch", "loss J")
        item = self.plot.getPlotItem()
        self.legend = item.addLegend(offset=(-10, 10))
        self.training_curve = self.plot.plot(name="training")
        self.validation_curve = self.plot.plot(name="validation")
        for curve in (self.training_curve, self.validation_curve):
            # A million epochs stay smooth: only the visible range is drawn, at most ~2 points a pixel.
            curve.setDownsampling(auto=True, method="peak")
            curve.setClipToView(True)
            curve.setSkipFiniteCheck(True)  # the history records finite epochs only
        self.crosshair = pg.InfiniteLine(angle=90, movable=False)
        self.crosshair.hide()
        item.addItem(self.crosshair, ignoreBounds=True)
        self.view_range = RangeFollower(item)

        top = QHBoxLayout()
        top.addWidget(self.log_box)
        top.addStretch(1)
        top.addWidget(self.readout, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.warning)
        layout.addWidget(self.plot, 1)

        self.log_box.toggled.connect(self.set_log_scale)
        self.plot.scene().sigMouseMoved.connect(self._mouse_moved)
        self.plot.viewport().installEventFilter(self)
        # Live but bounded: a million-epoch redraw is throttled to a fraction of the loop's time.
        self._throttle = Throttle(self.refresh, self)
        controller.progress.connect(self._throttle.request)
        controller.started.connect(self._started)
        controller.stopped.connect(self._stopped)
        # A new structure gives the controller a new, empty history.
        document.structure_changed.connect(self.refresh)
        self._ready = True
        self.restyle()
        if controller.last_reason:
            self._stopped(controller.last_reason)
        self.refresh()

    # --- reading (for tests and other views) --------------------------------------------
    def curve_data(self) -> tuple[np.ndarray, np.ndarray]:
        """Return the training curve's epochs and J values as plotted (before any downsampling)."""
        self.flush()
        x, y = self.training_curve.getOriginalDataset()
        if x is None:
            return np.empty(0), np.empty(0)
        return np.asarray(x), np.asarray(y)

    def is_log_scale(self) -> bool:
        """Return True when the J axis is logarithmic."""
        return bool(self.plot.getPlotItem().getAxis("left").logMode)

    # --- actions -----------------------------------------------------------------------
    def set_log_scale(self, on: bool) -> None:
        """Switch the J axis between linear and logarithmic."""
        if self.log_box.isChecked() != on:
            self.log_box.setChecked(on)  # comes back here through toggled
            return
        self.plot.getPlotItem().setLogMode(x=False, y=on)
        self.view_range.resume()
        self._follow_data()

    def flush(self) -> None:
        """Redraw now if a redraw is waiting (throttled, or skipped while hidden)."""
        self._throttle.flush()
        self.catch_up()

    def refresh(self) -> None:
        """Redraw the curves from the controller's history, or only note it while the panel is hidden."""
        self.redraw_when_shown()

    # --- internals ---------------------------------------------------------------------
    def _redraw(self) -> None:
        self._stale = False
        history = self.controller.history
        # A long run's history keeps older epochs thinned out (engine.training.History): each point
        # carries its own epoch number.
        loss = history.loss
        self.training_curve.setData(history.epochs, loss)
        validation = history.validation_loss
        if len(validation):
            self.validation_curve.setData(history.validation_epochs, validation)
            self.validation_curve.show()
        elif self.validation_curve.isVisible():
            self.validation_curve.setData([], [])
            self.validation_curve.hide()
        self._show_legend(len(validation) > 0)
        self._bounds.update(loss, history)
        self._validation_bounds.update(validation, history)
        self._follow_data()
        self._update_readout()

    def _follow_data(self) -> None:
        bounds = self._bounds.merged(self._validation_bounds)
        self.view_range.follow(len(self.controller.history), bounds, self.is_log_scale())

    def _show_legend(self, with_validation: bool) -> None:
        self.legend.setVisible(with_validation)

    def _started(self) -> None:
        self.warning.hide()
        self.view_range.resume()  # a new run shows the whole curve again, even after a zoom
        self.view_range.live = True

    def _stopped(self, reason: str) -> None:
        self.view_range.live = False
        self._throttle.flush()
        self.refresh()  # at rest the view fits the curve snugly
        if reason in QUIET_REASONS:
            self.warning.hide()
            return
        self.warning.setText(f"<b>Training stopped:</b> {reason}")
        self.warning.show()
        loss = self.controller.history.loss
        if len(loss) and np.max(loss) > 1e6 * max(np.min(loss), 1e-300):
            # A blow-up spans hundreds of orders of magnitude: only a log axis shows the climb.
            self.set_log_scale(True)

    def _mouse_moved(self, position: QPointF) -> None:
        item = self.plot.getPlotItem()
        count = len(self.controller.history)
        if count == 0 or not item.sceneBoundingRect().contains(position):
            self._hover(None)
            return
        x = item.vb.mapSceneToView(position).x()
        self._hover(int(min(max(round(x), 1), count)))

    def _hover(self, epoch: int | None) -> None:
        self._hover_epoch = epoch
        if epoch is None:
            self.crosshair.hide()
        else:
            self.crosshair.setPos(epoch)
            self.crosshair.show()
        self._update_readout()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Leave:
            self._hover(None)
        return super().eventFilter(watched, event)

    def _update_readout(self) -> None:
        history = self.controller.history
        count = len(history)
        if count == 0:
            self.readout.setText("No epochs yet: train the network to plot J")
            return
        epoch = self._hover_epoch if self._hover_epoch is not None and self._hover_epoch <= count else count
        # The stored point at or before the epoch (older epochs may be thinned out).
        point = max(int(np.searchsorted(history.epochs, epoch, side="right")) - 1, 0)
        epoch = int(history.epochs[point])
        text = f"epoch {epoch} · J = {display(history.loss[point])}"
        validation = history.validation_loss
        index = int(np.searchsorted(history.validation_epochs, epoch)) if len(validation) else -1
        if 0 <= index < len(validation) and history.validation_epochs[index] == epoch:
            text += f" · validation J = {display(validation[index])}"
        if self._hover_epoch is None:
            text = "last " + text
        self.readout.setText(text)

    def restyle(self) -> None:
        """Apply palette colours to the plot, the curves and the warning."""
        colours = self.colours()
        style_plot(self.plot, colours)
        style_legend(self.legend, colours)
        self.training_curve.setPen(pen(colours.hue(0), 2.5))
        self.validation_curve.setPen(pen(colours.hue(1), 2.5, Qt.PenStyle.DashLine))
        self.crosshair.setPen(pen(colours.faint(140), 1, Qt.PenStyle.DashLine))
        self.warning.setStyleSheet(f"color: {colours.warning.name()};")
