"""The network graph, used as a teacher would: click, double-click and type, Ctrl+drag, step, undo.

Expected numbers are worked by hand from the lecture's 2-2-2 network (sigmoid, b^(1) = 0.35, no bias
in layer 2, x = [0.05, 0.1], y = [0.01, 0.99]), never read back from the engine.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt
from PySide6.QtGui import QColor, QHelpEvent, QImage, QPainter, QPalette, QWheelEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QToolTip

from explorer.document import structure_edits as structure
from explorer.document.document import Document
from explorer.document.selection import NOTHING, Selection
from explorer.engine.network import Layer, Network
from explorer.files import examples, model, reader
from explorer.views.graph.view import NetworkGraphView

X = (0.05, 0.1)
Y = (0.01, 0.99)
W1 = ((0.15, 0.20), (0.25, 0.30))
B1 = 0.35
W2 = ((0.40, 0.45), (0.50, 0.55))


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


def shown(value: float) -> str:
    """Return a number as the graph writes it: 4 significant digits, typographic minus."""
    return f"{value:.4g}".replace("-", "\u2212")


def hand_forward(w1=W1):
    """Return (z1, a1, z2, a2) of the lecture network, worked out with plain arithmetic."""
    z1 = [w1[i][0] * X[0] + w1[i][1] * X[1] + B1 for i in range(2)]
    a1 = [sigmoid(z) for z in z1]
    z2 = [W2[i][0] * a1[0] + W2[i][1] * a1[1] for i in range(2)]
    a2 = [sigmoid(z) for z in z2]
    return z1, a1, z2, a2


@pytest.fixture
def lecture(qtbot):
    document = Document(reader.load(examples.LECTURE_EXAMPLE))
    view = NetworkGraphView(document)
    qtbot.addWidget(view)
    view.resize(1000, 650)
    view.show()
    qtbot.waitExposed(view)
    return view, document


def at(view: NetworkGraphView, point: QPointF) -> QPoint:
    return view.mapFromScene(point)


def click(view, point: QPointF, modifiers=Qt.NoModifier) -> None:
    QTest.mouseClick(view.viewport(), Qt.LeftButton, modifiers, at(view, point))


def wheel(view, point: QPointF, delta: int, modifiers=Qt.NoModifier) -> None:
    pos = QPointF(at(view, point))
    event = QWheelEvent(
        pos,
        QPointF(view.viewport().mapToGlobal(pos.toPoint())),
        QPoint(0, 0),
        QPoint(0, delta),
        Qt.NoButton,
        modifiers,
        Qt.NoScrollPhase,
        False,
    )
    QApplication.sendEvent(view.viewport(), event)


def empty_point(view) -> QPointF:
    """Return a scene point 60 pixels left of the input column, where there is nothing to hit."""
    middle = view.neuron_position(0, view.document.network.sizes[0] // 2)
    return view.mapToScene(at(view, middle) - QPoint(60, 0))


# --- selecting -----------------------------------------------------------------------------
def test_clicking_each_edge_label_point_selects_that_edge(lecture):
    view, document = lecture
    for k in (1, 2):
        for i in range(2):
            for j in range(2):
                click(view, view.edge_position(k, i, j))
                assert document.selection == Selection.edge(k, i, j)
    assert document.selection == Selection.edge(2, 1, 1)


def test_clicking_a_neuron_selects_it_and_empty_space_clears(lecture):
    view, document = lecture
    click(view, view.neuron_position(1, 1))
    assert document.selection == Selection.neuron(1, 1)
    click(view, view.edge_position(2, 0, 1))
    assert document.selection == Selection.edge(2, 0, 1)
    click(view, empty_point(view))
    assert document.selection == NOTHING


def neuron_name(k: int, i: int) -> str:
    """Return how a neuron's tooltip names it."""
    return f"Input {i + 1}" if k == 0 else f"Neuron {i + 1} of layer {k}"


def test_a_neurons_numbers_and_bias_select_it_and_show_its_tooltip(lecture):
    view, document = lecture
    document.run_to_end()  # every number shown: the boxes are at their largest
    for k, n in enumerate(document.network.sizes):
        for i in range(n):
            circle, *texts = view.neuron_rects(k, i)
            # Layer 1 has a bias above the circle and numbers under it; the others have numbers only.
            assert [rect.bottom() < circle.top() for rect in texts] == ([True, False] if k == 1 else [False])
            for rect in texts:
                inset = rect.adjusted(4, 4, -4, -4)
                for point in (inset.center(), inset.topLeft(), inset.bottomRight()):
                    document.select(NOTHING)
                    click(view, point)
                    assert document.selection == Selection.neuron(k, i), (k, i, rect, point)
                    assert neuron_name(k, i) in view.tooltip_at(point), (k, i, point)
    click(view, view.edge_position(2, 1, 0))
    click(view, view.neuron_rects(2, 1)[1].center())  # from another selection too
    assert document.selection == Selection.neuron(2, 1)


def test_hovering_a_neurons_numbers_shows_its_tooltip(lecture):
    view, document = lecture
    document.set_stage(4)
    pos = at(view, view.neuron_rects(2, 0)[1].center())
    QApplication.sendEvent(view.viewport(), QHelpEvent(QEvent.ToolTip, pos, view.viewport().mapToGlobal(pos)))
    assert "Neuron 1 of layer 2" in QToolTip.text() and f"{hand_forward()[3][0]:.6g}" in QToolTip.text()
    QToolTip.hideText()


def test_double_clicking_the_bias_label_edits_that_bias(lecture):
    view, document = lecture
    circle, bias = view.neuron_rects(1, 1)  # nothing computed yet: no numbers under the circle
    assert bias.bottom() < circle.top()
    QTest.mouseDClick(view.viewport(), Qt.LeftButton, Qt.NoModifier, at(view, bias.center()))
    editor = view.editor()
    assert editor is not None
    editor.entry.selectAll()
    QTest.keyClicks(editor.entry, "0.5")
    QTest.keyClick(editor.entry, Qt.Key_Return)
    assert list(document.network.layer(1).bias) == [0.35, 0.5]
    assert "b = 0.5" in view.neuron_text(1, 1).splitlines()
    assert document.selection == Selection.neuron(1, 1)


def test_dragging_empty_space_pans_without_clearing_the_selection(lecture):
    view, document = lecture
    click(view, view.edge_position(1, 1, 0))
    start = at(view, empty_point(view))
    centre_before = view.mapToScene(view.viewport().rect().center())
    QTest.mousePress(view.viewport(), Qt.LeftButton, Qt.NoModifier, start)
    for step in range(1, 6):
        QTest.mouseMove(view.viewport(), start + QPoint(20 * step, 0))
    QTest.mouseRelease(view.viewport(), Qt.LeftButton, Qt.NoModifier, start + QPoint(100, 0))
    moved = view.mapToScene(view.viewport().rect().center()) - centre_before
    assert moved.x() == pytest.approx(-100 / view.transform().m11(), abs=2 / view.transform().m11())
    assert document.selection == Selection.edge(1, 1, 0)


# --- editing -------------------------------------------------------------------------------
def test_double_click_edit_changes_the_weight_and_the_numbers_downstream(lecture):
    view, document = lecture
    document.run_to_end()
    QTest.mouseDClick(view.viewport(), Qt.LeftButton, Qt.NoModifier, at(view, view.edge_position(1, 0, 0)))
    editor = view.editor()
    assert editor is not None
    editor.entry.selectAll()
    QTest.keyClicks(editor.entry, "0.5")
    QTest.keyClick(editor.entry, Qt.Key_Return)
    assert view.editor() is None
    assert document.network.layer(1).weights[0, 0] == 0.5
    z1, a1, z2, a2 = hand_forward(((0.5, 0.20), (0.25, 0.30)))
    assert z1[0] == pytest.approx(0.395)  # 0.5·0.05 + 0.2·0.1 + 0.35
    hidden = view.neuron_text(1, 0).splitlines()
    assert f"z = {shown(z1[0])}" in hidden and f"a = {shown(a1[0])}" in hidden
    for i in range(2):
        output = view.neuron_text(2, i).splitlines()
        assert f"z = {shown(z2[i])}" in output and f"a = {shown(a2[i])}" in output
    assert "w₁₁⁽¹⁾ = 0.5" in view.edge_label_text(1, 0, 0)

    document.undo_stack.undo()
    assert document.network.layer(1).weights[0, 0] == 0.15
    assert f"z = {shown(hand_forward()[0][0])}" in view.neuron_text(1, 0).splitlines()


def test_a_non_number_is_refused_with_a_message_and_escape_cancels(lecture, qtbot):
    view, document = lecture
    QTest.mouseDClick(view.viewport(), Qt.LeftButton, Qt.NoModifier, at(view, view.edge_position(2, 1, 0)))
    editor = view.editor()
    editor.entry.selectAll()
    QTest.keyClicks(editor.entry, "abc")
    with qtbot.waitSignal(view.status_message, timeout=1000) as message:
        QTest.keyClick(editor.entry, Qt.Key_Return)
    assert "not a number" in message.args[0]
    assert "not a number" in editor.error_text()
    assert view.editor() is editor  # still open, to correct the entry
    assert document.network.layer(2).weights[1, 0] == 0.5
    assert document.undo_stack.count() == 0
    QTest.keyClick(editor.entry, Qt.Key_Escape)
    assert view.editor() is None
    assert document.network.layer(2).weights[1, 0] == 0.5


def test_double_click_on_a_neuron_edits_its_bias_only_where_there_is_one(lecture, qtbot):
    view, document = lecture
    QTest.mouseDClick(view.viewport(), Qt.LeftButton, Qt.NoModifier, at(view, view.neuron_position(1, 1)))
    editor = view.editor()
    editor.entry.selectAll()
    editor.entry.insert("−0.25")  # pasted: the typographic minus the graph itself shows (QTest types ASCII)
    QTest.keyClick(editor.entry, Qt.Key_Enter)
    assert document.network.layer(1).bias[1] == -0.25
    assert "b = −0.25" in view.neuron_text(1, 1).splitlines()
    with qtbot.waitSignal(view.status_message, timeout=1000) as message:
        QTest.mouseDClick(view.viewport(), Qt.LeftButton, Qt.NoModifier, at(view, view.neuron_position(2, 0)))
    assert view.editor() is None
    assert "no bias" in message.args[0]


def test_ctrl_drag_nudges_the_weight_live_as_one_undo_step(lecture):
    view, document = lecture
    start = at(view, view.edge_position(2, 0, 1))
    QTest.mousePress(view.viewport(), Qt.LeftButton, Qt.ControlModifier, start)
    assert document.selection == Selection.edge(2, 0, 1)
    for step in range(1, 7):
        QTest.mouseMove(view.viewport(), start - QPoint(0, 5 * step))
        assert document.network.layer(2).weights[0, 1] == pytest.approx(0.45 + 0.05 * step)
    assert "w₁₂⁽²⁾ = 0.75" in view.edge_label_text(2, 0, 1)
    QTest.mouseRelease(view.viewport(), Qt.LeftButton, Qt.ControlModifier, start - QPoint(0, 30))
    assert document.network.layer(2).weights[0, 1] == pytest.approx(0.75)  # 30 px up × 0.01
    assert document.undo_stack.count() == 1
    document.undo_stack.undo()
    assert document.network.layer(2).weights[0, 1] == 0.45


def test_ctrl_wheel_nudges_in_one_step_and_plain_wheel_zooms_around_the_cursor(lecture):
    view, document = lecture
    point = view.edge_position(1, 1, 1)
    for _ in range(3):
        wheel(view, point, 120, Qt.ControlModifier)
    assert document.network.layer(1).weights[1, 1] == pytest.approx(0.33)
    assert document.undo_stack.count() == 1
    scale = view.transform().m11()
    under = view.neuron_position(2, 1)
    pixel = at(view, under)
    wheel(view, under, 240)
    assert view.transform().m11() > scale * 1.3
    assert at(view, under).x() == pytest.approx(pixel.x(), abs=2)
    assert at(view, under).y() == pytest.approx(pixel.y(), abs=2)


# --- stages --------------------------------------------------------------------------------
def test_numbers_appear_only_once_their_stage_is_reached(lecture):
    view, document = lecture
    z1, a1, z2, a2 = hand_forward()
    document.set_stage(2)  # layer 1, nonlinear step
    hidden = view.neuron_text(1, 0).splitlines()
    assert f"z = {shown(z1[0])}" in hidden and f"a = {shown(a1[0])}" in hidden
    assert "b = 0.35" in hidden
    assert not any(line.startswith(("e =", "δ =")) for line in hidden)
    assert not any(line.startswith(("z =", "a =")) for line in view.neuron_text(2, 0).splitlines())
    assert "x = 0.05" in view.neuron_text(0, 0).splitlines()

    document.run_to_end()
    delta_out = [(a2[i] - Y[i]) * a2[i] * (1 - a2[i]) for i in range(2)]
    error_hidden = [W2[0][j] * delta_out[0] + W2[1][j] * delta_out[1] for j in range(2)]
    delta_hidden = [error_hidden[j] * a1[j] * (1 - a1[j]) for j in range(2)]
    for i in range(2):
        output = view.neuron_text(2, i).splitlines()
        assert f"δ = {shown(delta_out[i])}" in output
        assert f"e = {shown(a2[i] - Y[i])}" in output and f"y = {shown(Y[i])}" in output
        assert f"δ = {shown(delta_hidden[i])}" in view.neuron_text(1, i).splitlines()
    # Gradient and update of w₁₂⁽²⁾ = 0.45 on its label: ∂J/∂w = δ₁⁽²⁾ a₂⁽¹⁾, new w = w − 0.5 ∂J/∂w.
    gradient = delta_out[0] * a1[1]
    label = view.edge_label_text(2, 0, 1)
    assert f"∂J/∂w = {shown(gradient)}" in label
    assert f"→ {shown(0.45 - 0.5 * gradient)}" in label
    tip = view.tooltip_at(view.edge_position(2, 0, 1))
    assert f"{0.45 - 0.5 * gradient:.6g}" in tip and "δ₁⁽²⁾" in tip


def test_hovering_shows_a_tooltip_with_the_numbers(lecture):
    view, document = lecture
    document.set_stage(4)  # forward pass done, nothing backward yet
    pos = at(view, view.neuron_position(2, 1))
    QApplication.sendEvent(view.viewport(), QHelpEvent(QEvent.ToolTip, pos, view.viewport().mapToGlobal(pos)))
    text = QToolTip.text()
    assert "Neuron 2 of layer 2" in text and f"{hand_forward()[3][1]:.6g}" in text
    assert "Not computed yet at this stage: e, δ" in text
    QToolTip.hideText()


def test_highlights_follow_the_stage(lecture):
    view, document = lecture
    document.set_stage(3)  # layer 2, linear step: z⁽²⁾ from a⁽¹⁾ through W⁽²⁾
    assert view.highlighted_neurons() == {(1, 0), (1, 1), (2, 0), (2, 1)}
    assert view.highlighted_edge_layers() == {2}
    document.set_stage(4)  # layer 2, nonlinear step: no weights involved
    assert view.highlighted_neurons() == {(2, 0), (2, 1)}
    assert view.highlighted_edge_layers() == set()
    for index, stage in enumerate(document.stages):
        document.set_stage(index)
        assert view.highlighted_neurons() == set(stage.neurons)
        assert view.highlighted_edge_layers() == set(stage.edge_layers)


def test_lecture_labels_overlap_nothing_at_the_busiest_stage(lecture):
    view, document = lecture
    document.run_to_end()
    edges = [(k, i, j) for k in (1, 2) for i in range(2) for j in range(2)]
    rects = {edge: view.edge_label_rect(*edge) for edge in edges}
    for a in edges:
        for b in edges:
            if a < b:
                assert not rects[a].intersects(rects[b]), (a, b)
        for k in range(3):
            for i in range(2):
                centre = view.neuron_position(k, i)
                assert not rects[a].adjusted(-26, -26, 26, 26).contains(centre), (a, k, i)


def test_headings_name_layers_sizes_and_activations(lecture):
    view, document = lecture
    assert view.heading_text(0).splitlines()[0] == "Input x = a⁽⁰⁾"
    assert "2 · sigmoid" in view.heading_text(1)
    assert view.heading_text(2).startswith("Output ŷ = a⁽²⁾")
    structure.add_neuron(document, 1)
    assert "3 · sigmoid" in view.heading_text(1)
    assert view.neuron_position(1, 2).y() > view.neuron_position(1, 1).y()
    document.undo_stack.undo()
    assert "2 · sigmoid" in view.heading_text(1)


def test_fit_follows_resizes_until_the_user_zooms(lecture, qtbot):
    view, document = lecture
    scale = view.transform().m11()
    view.resize(600, 400)
    qtbot.wait(10)
    smaller = view.transform().m11()
    assert smaller < scale
    wheel(view, view.neuron_position(1, 0), 120)
    zoomed = view.transform().m11()
    view.resize(900, 600)
    qtbot.wait(10)
    assert view.transform().m11() == pytest.approx(zoomed)
    view.fit_to_window()
    assert view.transform().m11() > smaller


def test_dark_palette_gives_a_dark_background(lecture):
    view, document = lecture
    palette = QPalette(view.palette())
    palette.setColor(QPalette.Base, QColor("#1e1e1e"))
    palette.setColor(QPalette.Text, QColor("#e6e6e6"))
    view.setPalette(palette)
    assert view.backgroundBrush().color().lightness() < 60


def test_switching_documents_shows_the_new_one_and_ignores_the_old(lecture, qtbot):
    view, document = lecture
    rng = np.random.default_rng(3)
    layers = [Layer(rng.normal(size=(3, 1)), None, "tanh"), Layer(rng.normal(size=(1, 3)), None, "linear")]
    network = Network(layers)
    other = Document(model.NetworkFile(network, np.array([0.5]), np.array([0.0])))
    view.set_document(other)
    assert view.document is other
    assert "3 · tanh" in view.heading_text(1)
    document.select(Selection.edge(2, 1, 1))
    assert other.selection == NOTHING
    click(view, view.neuron_position(1, 2))
    assert other.selection == Selection.neuron(1, 2)


# --- a big network -------------------------------------------------------------------------
def test_784_128_10_builds_with_few_items_and_still_hits(qtbot):
    rng = np.random.default_rng(0)
    sizes = [784, 128, 10]
    layers = [Layer(rng.normal(0, 0.05, (b, a)), np.zeros(b), "sigmoid") for a, b in zip(sizes, sizes[1:])]
    document = Document(model.NetworkFile(Network(layers), rng.random(784), np.eye(10)[2]))
    view = NetworkGraphView(document)
    qtbot.addWidget(view)
    view.resize(1200, 800)
    view.show()
    qtbot.waitExposed(view)
    assert len(view.scene().items()) < 300
    image = QImage(1200, 800, QImage.Format_ARGB32_Premultiplied)
    painter = QPainter(image)
    view.render(painter)
    painter.end()
    assert view.neuron_text(0, 400) == ""  # no text on a 784-neuron column at fit zoom
    assert view.shown_edge_labels() == []
    assert "strongest" in view.view_note()
    click(view, view.neuron_position(2, 7))
    assert document.selection == Selection.neuron(2, 7)
    click(view, empty_point(view))
    assert document.selection == NOTHING

    # Zoomed in on an output neuron its numbers appear; zoomed in on a weight, labels appear.
    document.run_to_end()
    target = view.neuron_position(2, 7)
    while view.transform().m11() < 1.0:
        view.zoom_by(1.5, QPointF(at(view, target)))
    assert "δ = " in view.neuron_text(2, 7)
    assert view.shown_edge_labels() == []  # still hundreds of weights in view
    view.centerOn(view.edge_position(2, 7, 64))
    while view.transform().m11() < 3.0:
        view.zoom_by(1.5)
    labels = view.shown_edge_labels()
    assert 0 < len(labels) <= 160
    k, i, j = labels[0]
    click(view, view.edge_position(k, i, j))
    assert document.selection == Selection.edge(k, i, j)
