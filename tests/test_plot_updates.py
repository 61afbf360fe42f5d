"""What the panels do while training runs: hidden ones wait, shown ones redraw only what changed.

A panel in a dock tab behind another does not redraw (the window's share of a training run is the
point), yet it shows the current network as soon as its tab comes to the front, and its accessors
always answer with current values.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QPalette, QWheelEvent
from PySide6.QtWidgets import QApplication, QDockWidget, QLabel, QMainWindow, QWidget

from explorer.document import structure_edits as structure
from explorer.document.document import Document
from explorer.document.training_run import TrainingController
from explorer.engine.network import Layer, Network
from explorer.files import model
from explorer.views.panels.equation import EquationPanel
from explorer.views.panels.stage_list import StageList
from explorer.views.plots.activation import ActivationPlot
from explorer.views.plots.fit_plot import FitPlot
from explorer.views.plots.gradient_flow import EPOCHS, GradientFlowPlot
from explorer.views.plots.loss_plot import LossPlot
from explorer.views.plots.ranges import (
    RangeFollower,
    RunningBounds,
    decade_range,
    epoch_range,
    nice_ceiling,
    stepped_range,
)
from explorer.views.plots.style import make_plot


def sigmoid(v: float) -> float:
    return 1.0 / (1.0 + math.exp(-v))


def xor_document() -> Document:
    rng = np.random.default_rng(3)
    network = Network(
        [
            Layer(rng.uniform(-1, 1, (3, 2)), np.zeros(3), "tanh"),
            Layer(rng.uniform(-1, 1, (1, 3)), np.zeros(1), "sigmoid"),
        ]
    )
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = np.array([[0.0], [1.0], [1.0], [0.0]])
    training = model.TrainingConfig(learning_rate=2.0, epochs=300)
    return Document(model.NetworkFile(network, None, None, X, Y, training))


def predict_by_hand(doc: Document, x1: float, x2: float) -> float:
    W1, b1 = doc.network.layer(1).weights, doc.network.layer(1).bias
    W2, b2 = doc.network.layer(2).weights, doc.network.layer(2).bias
    hidden = [math.tanh(W1[i, 0] * x1 + W1[i, 1] * x2 + b1[i]) for i in range(3)]
    return sigmoid(sum(W2[0, i] * hidden[i] for i in range(3)) + b2[0])


def behind_a_tab(qtbot, panel: QWidget) -> tuple[QMainWindow, QDockWidget, QDockWidget]:
    """Return a window with `panel` in a dock tabbed behind another one, and the two docks."""
    window = QMainWindow()
    window.setCentralWidget(QLabel("graph"))
    back = QDockWidget("Panel", window)
    back.setWidget(panel)
    front = QDockWidget("Other", window)
    front.setWidget(QLabel("another panel"))
    window.addDockWidget(Qt.BottomDockWidgetArea, back)
    window.addDockWidget(Qt.BottomDockWidgetArea, front)
    window.tabifyDockWidget(back, front)
    qtbot.addWidget(window)
    window.resize(900, 700)
    window.show()
    qtbot.waitExposed(window)
    front.raise_()
    qtbot.wait(20)
    return window, back, front


def bring_to_front(qtbot, dock: QDockWidget) -> None:
    dock.raise_()
    qtbot.wait(50)  # the tab's paint, then the catch-up just after it


# --- the fit panel -------------------------------------------------------------------------
def test_a_hidden_fit_panel_waits_for_its_tab_then_shows_the_current_network(qtbot):
    doc = xor_document()
    controller = TrainingController(doc)
    panel = FitPlot(doc, controller)
    window, back, _ = behind_a_tab(qtbot, panel)
    assert not panel.is_shown()
    shown_before = None if panel.image.image is None else np.array(panel.image.image)
    with qtbot.waitSignal(controller.stopped, timeout=10000):
        controller.play(200)
    qtbot.wait(150)  # longer than the redraw interval: a shown panel would have redrawn by now
    now = None if panel.image.image is None else np.array(panel.image.image)
    assert (now is None and shown_before is None) or np.array_equal(now, shown_before)

    bring_to_front(qtbot, back)
    assert panel.is_shown()
    qtbot.waitUntil(lambda: panel.image.image is not None and not panel.is_stale(), timeout=2000)
    image = np.array(panel.image.image)
    # Grid cell [0, 0] is (−0.1, −0.1), cell [99, 99] is (1.1, 1.1): the data range widened by a tenth.
    assert image[0, 0] == pytest.approx(predict_by_hand(doc, -0.1, -0.1), rel=1e-9)
    assert image[99, 99] == pytest.approx(predict_by_hand(doc, 1.1, 1.1), rel=1e-9)


def test_a_fit_panel_never_shown_still_answers_with_the_current_network(qtbot):
    doc = xor_document()
    controller = TrainingController(doc)
    panel = FitPlot(doc, controller)
    qtbot.addWidget(panel)
    controller.train_epochs(30)
    image = panel.prediction_image()
    assert image[0, 0] == pytest.approx(predict_by_hand(doc, -0.1, -0.1), rel=1e-9)


def test_training_does_not_hand_the_unchanged_data_points_over_again(qtbot):
    doc = xor_document()
    controller = TrainingController(doc)
    panel = FitPlot(doc, controller)
    qtbot.addWidget(panel)
    panel.resize(500, 400)
    panel.show()
    qtbot.waitExposed(panel)
    points = panel.points[0]
    spots = points.points()[0]  # pyqtgraph makes new spot objects when the data is set again
    controller.train_epochs(20)
    panel.flush()
    assert panel.points[0] is points and points.points()[0] is spots
    new_y = np.array([[1.0], [0.0], [0.0], [1.0]])
    doc._set_state(doc.replaced(dataset_y=new_y))
    doc.data_changed.emit()
    panel.flush()
    assert points.points()[0] is not spots  # new targets: new colours for the points


# --- the loss panel ------------------------------------------------------------------------
def shown_loss_plot(qtbot, doc: Document, controller: TrainingController) -> LossPlot:
    panel = LossPlot(doc, controller)
    qtbot.addWidget(panel)
    panel.resize(600, 400)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def test_the_loss_axes_grow_in_steps_while_training_and_fit_the_curve_at_rest(qtbot):
    doc = xor_document()
    controller = TrainingController(doc)
    panel = shown_loss_plot(qtbot, doc, controller)
    view = panel.plot.getPlotItem().vb
    seen = []  # the x range at each live update, after the panel has drawn it

    def live_update() -> None:
        if controller.is_running:
            seen.append(view.viewRange()[0][1])

    controller.progress.connect(live_update)
    with qtbot.waitSignal(controller.stopped, timeout=20000):
        controller.play(6000)
    assert seen and all(end in (10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000) for end in seen)
    assert seen == sorted(seen)
    # At rest: every epoch, and little else (3% to spare on the right).
    assert view.viewRange()[0] == pytest.approx([0, 6000 * 1.03])
    low, high = view.viewRange()[1]
    loss = controller.history.loss
    assert low <= loss.min() and loss.max() <= high and high - low < 1.1 * (loss.max() - loss.min())


def test_a_live_range_moves_only_when_the_data_crosses_a_step(qtbot):
    plot = make_plot("epoch", "J")
    qtbot.addWidget(plot)
    follower = RangeFollower(plot.getPlotItem())
    follower.live = True
    bounds = RunningBounds()
    bounds.update(np.array([0.25, 0.2, 0.1]))
    follower.follow(30, bounds, log=False)
    first = plot.getPlotItem().vb.viewRange()
    assert first[0] == pytest.approx([0, 50])
    # 0.25 − 0.1 = 0.15: a grid of 0.05, so J from 0.1 to 0.25 shows as 0.1 to 0.25 with 3% to spare.
    assert first[1] == pytest.approx([0.1 - 0.0045, 0.25 + 0.0045])
    bounds.update(np.array([0.25, 0.2, 0.1, 0.09, 0.06]))
    follower.follow(45, bounds, log=False)
    assert plot.getPlotItem().vb.viewRange()[0] == pytest.approx([0, 50])
    assert plot.getPlotItem().vb.viewRange()[1][0] < 0.05
    follower.follow(60, bounds, log=False)
    assert plot.getPlotItem().vb.viewRange()[0] == pytest.approx([0, 100])
    follower.live = False
    follower.follow(60, bounds, log=False)
    assert plot.getPlotItem().vb.viewRange()[0] == pytest.approx([0, 61.8])


def test_a_zoom_by_the_user_holds_until_the_next_run(qtbot):
    doc = xor_document()
    controller = TrainingController(doc)
    panel = shown_loss_plot(qtbot, doc, controller)
    controller.train_epochs(30)
    panel.flush()
    view = panel.plot.getPlotItem().vb
    viewport = panel.plot.viewport()
    centre = QPointF(viewport.rect().center())
    wheel = QWheelEvent(
        centre,
        QPointF(viewport.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, 240),
        Qt.NoButton,
        Qt.NoModifier,
        Qt.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(viewport, wheel)
    zoomed = view.viewRange()[0]
    assert zoomed[1] - zoomed[0] < 25
    controller.train_epochs(40)
    panel.flush()
    assert view.viewRange()[0] == pytest.approx(zoomed)  # the user's view stays
    with qtbot.waitSignal(controller.stopped, timeout=10000):
        controller.play(10)
    panel.flush()
    assert view.viewRange()[0] == pytest.approx([0, 80 * 1.03])  # a new run shows every epoch again


def test_a_hidden_loss_panel_catches_up_when_its_tab_comes_to_the_front(qtbot):
    doc = xor_document()
    controller = TrainingController(doc)
    panel = LossPlot(doc, controller)
    window, back, _ = behind_a_tab(qtbot, panel)
    controller.train_epochs(25)
    qtbot.wait(50)
    x, _ = panel.training_curve.getOriginalDataset()
    assert x is None or len(x) == 0  # nothing drawn behind the other tab
    bring_to_front(qtbot, back)
    qtbot.waitUntil(lambda: not panel.is_stale(), timeout=2000)
    x, y = panel.training_curve.getOriginalDataset()
    assert len(x) == 25 and np.array_equal(y, controller.history.loss)
    assert "last epoch 25" in panel.readout.text()


def test_range_steps():
    assert [nice_ceiling(v) for v in (0.3, 1, 1.5, 2, 3, 7, 10, 11, 4999, 5001)] == [
        0.5,
        1,
        2,
        2,
        5,
        10,
        10,
        20,
        5000,
        10000,
    ]
    assert epoch_range(0) == (0.0, 10.0) and epoch_range(101) == (0.0, 200.0)
    # A span of 0.24 steps by 0.1 (the next 1-2-5 value above 0.24 / 4 = 0.06).
    assert stepped_range(0.01, 0.25) == pytest.approx((0.0, 0.3))
    assert stepped_range(0.69, 0.70) == pytest.approx((0.69, 0.70))
    assert stepped_range(2.0, 2.0) == pytest.approx((2.0, 2.5))
    assert decade_range(3e-5, 0.2) == (-5.0, 0.0)
    assert decade_range(0.1, 0.1) == (-1.0, 0.0)


# --- the activation and gradient panels ----------------------------------------------------
def test_the_activation_panel_reuses_its_items_and_waits_while_hidden(qtbot):
    doc = xor_document()
    doc.run_to_end()
    controller = TrainingController(doc)
    panel = ActivationPlot(doc)
    qtbot.addWidget(panel)
    panel.resize(500, 500)
    panel.show()
    qtbot.waitExposed(panel)
    panel.set_layer(1)
    items = len(panel.prime_plot.getPlotItem().items)
    reference = panel.reference
    for _ in range(5):
        controller.train_epochs(2)
    assert len(panel.prime_plot.getPlotItem().items) == items and panel.reference is reference
    assert reference.value() == 1.0 and reference.isVisible()
    assert reference.label.textItem.toPlainText() == "tanh′(0) = 1, the largest slope"
    panel.hide()
    controller.train_epochs(3)
    assert panel.is_stale()
    z = np.asarray(doc.trace.zs[1])
    assert [m[0] for m in panel.markers()] == list(z)  # answers with the current trace anyway
    assert [m[2] for m in panel.markers()] == pytest.approx([1 - math.tanh(v) ** 2 for v in z])


def test_the_gradient_epochs_view_waits_behind_its_tab(qtbot):
    doc = xor_document()
    controller = TrainingController(doc)
    panel = GradientFlowPlot(doc, controller)
    panel.set_mode(EPOCHS)
    window, back, _ = behind_a_tab(qtbot, panel)
    with qtbot.waitSignal(controller.stopped, timeout=10000):
        controller.play(40)
    qtbot.wait(50)
    assert panel.is_stale()
    bring_to_front(qtbot, back)
    qtbot.waitUntil(lambda: not panel.is_stale(), timeout=2000)
    shown = panel._epoch_curves[0].getOriginalDataset()[1]
    assert len(shown) == 40 and np.array_equal(shown, controller.history.delta_norms[:, 0])


# --- the stage list and the equation panel -------------------------------------------------
def test_the_stage_list_is_rebuilt_only_when_the_titles_change(qtbot):
    doc = xor_document()
    controller = TrainingController(doc)
    stage_list = StageList(doc)
    qtbot.addWidget(stage_list)
    mark = Qt.UserRole + 7
    for n in range(stage_list.count()):
        stage_list.item(n).setData(mark, "first build")
    controller.train_epochs(10)  # new weights, a new trace, new numbers: the same stages
    assert all(stage_list.item(n).data(mark) == "first build" for n in range(stage_list.count()))
    error = next(n for n, stage in enumerate(doc.stages) if stage.kind == "error")
    assert stage_list.item(error).toolTip().endswith(doc.stages[error].formula.split("= ")[-1])
    structure.add_layer(doc, 2, 3, "tanh")
    assert stage_list.count() == 15
    assert all(stage_list.item(n).data(mark) is None for n in range(stage_list.count()))


def big_document() -> Document:
    rng = np.random.default_rng(1)
    network = Network([Layer(rng.normal(size=(30, 40)), None, "tanh")], "half_sse")
    return Document(model.NetworkFile(network, rng.normal(size=40), rng.normal(size=30)))


def test_a_big_matrix_keeps_eight_rows_and_columns(qtbot):
    doc = big_document()
    panel = EquationPanel(doc)
    qtbot.addWidget(panel)
    doc.set_stage(1)  # z = W a: W is 30 × 40
    lines = panel.plain_text().splitlines()
    W = doc.network.layer(1).weights

    # An elided matrix reads column by column: W's first column is rows 1-6, ⋮, row 30.
    def six(value: float) -> str:
        return f"{value:.6g}".replace("-", "−")

    shown = [six(W[i, 0]) for i in (0, 1, 2, 3, 4, 5)] + ["⋮", six(W[29, 0])]
    start = lines.index(shown[0])
    assert lines[start : start + 8] == shown
    assert six(W[6, 0]) not in lines  # the seventh row is left out
    assert "W(1) is 30 × 40" in panel.plain_text()


def test_a_hidden_equation_panel_catches_up_when_its_tab_comes_to_the_front(qtbot):
    doc = xor_document()
    panel = EquationPanel(doc)
    window, back, _ = behind_a_tab(qtbot, panel)
    before = panel.toPlainText()
    doc.set_stage(len(doc.stages) - 1)
    assert panel.toPlainText() == before  # not redrawn behind the other tab
    bring_to_front(qtbot, back)
    qtbot.waitUntil(lambda: "Update" in panel.toPlainText(), timeout=2000)
    assert f"Stage {len(doc.stages)} / {len(doc.stages)}" in panel.toPlainText()


def test_the_log_axis_labels_the_loss_values_themselves(qtbot):
    doc = xor_document()
    controller = TrainingController(doc)
    panel = shown_loss_plot(qtbot, doc, controller)
    controller.train_epochs(3000)  # J falls from about 0.13 to below 0.001
    panel.flush()
    dark = QPalette(panel.palette())  # a new palette restyles the axes (once mislabelled them)
    dark.setColor(QPalette.Base, QColor("#1e1e1e"))
    dark.setColor(QPalette.Text, QColor("#e8e8e8"))
    panel.setPalette(dark)
    axis = panel.plot.getPlotItem().getAxis("left")

    def labels() -> set[str]:
        image = QImage(10, 10, QImage.Format_ARGB32_Premultiplied)
        painter = QPainter(image)
        painter.setFont(axis.style["tickFont"])
        _, _, texts = axis.generateDrawSpecs(painter)
        painter.end()
        return {text for _, _, text in texts}

    assert "0.05" in labels() and "50" not in labels()  # not a hidden "milli" scale
    panel.set_log_scale(True)
    panel.flush()
    assert {"0.1", "0.01", "0.001"} <= labels()
    assert not labels() & {"1", "10", "100"}


def test_the_fast_axis_fills_the_pixels_pyqtgraph_would_draw(qtbot):
    doc = xor_document()
    controller = TrainingController(doc)
    panel = shown_loss_plot(qtbot, doc, controller)
    controller.train_epochs(300)
    panel.flush()
    for name in ("left", "bottom"):
        axis = panel.plot.getPlotItem().getAxis(name)
        bounds = axis.boundingRect()
        images = []
        for draw in (pg.AxisItem.drawPicture, type(axis).drawPicture):
            size = (int(bounds.width()) + 2, int(bounds.height()) + 2)
            image = QImage(*size, QImage.Format_ARGB32_Premultiplied)
            image.fill(QColor("white"))
            painter = QPainter(image)
            painter.translate(-bounds.left() + 0.3, -bounds.top() + 0.6)  # not on whole pixels
            painter.setFont(axis.style["tickFont"])
            specs = axis.generateDrawSpecs(painter)
            draw(axis, painter, *specs)
            painter.end()
            images.append(image)
        assert len(specs[1]) > 10  # grid lines and ticks were drawn
        assert images[0] == images[1]
