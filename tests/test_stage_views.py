"""Stage bar, stage list, equation panel and matrix view, used as a user would, checked by hand arithmetic."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QGraphicsScene, QGraphicsView, QLineEdit, QMainWindow

from explorer.document import data_edits
from explorer.document import structure_edits as structure
from explorer.document.document import Document
from explorer.document.selection import Selection
from explorer.engine.network import Layer, Network
from explorer.files.model import NetworkFile, TrainingConfig
from explorer.views.panels.equation import EquationPanel
from explorer.views.panels.matrices import MatrixView
from explorer.views.panels.stage_bar import StageBar
from explorer.views.panels.stage_list import StageList

# The lecture's 2-2-2 network, and its pass worked out with math alone.
W1 = [[0.15, 0.20], [0.25, 0.30]]
B1 = [0.35, 0.35]
W2 = [[0.40, 0.45], [0.50, 0.55]]
X = [0.05, 0.10]
Y = [0.01, 0.99]
ETA = 0.5


def sigmoid(v: float) -> float:
    return 1.0 / (1.0 + math.exp(-v))


def by_hand() -> dict:
    """Return the forward and backward pass of the lecture network, written out element by element."""
    z1 = [W1[i][0] * X[0] + W1[i][1] * X[1] + B1[i] for i in range(2)]
    a1 = [sigmoid(v) for v in z1]
    z2 = [W2[i][0] * a1[0] + W2[i][1] * a1[1] for i in range(2)]
    a2 = [sigmoid(v) for v in z2]
    e2 = [a2[i] - Y[i] for i in range(2)]
    d2 = [a2[i] * (1 - a2[i]) * e2[i] for i in range(2)]
    e1 = [W2[0][j] * d2[0] + W2[1][j] * d2[1] for j in range(2)]  # W2 transposed times δ2
    d1 = [a1[j] * (1 - a1[j]) * e1[j] for j in range(2)]
    g2 = [[d2[i] * a1[j] for j in range(2)] for i in range(2)]
    g1 = [[d1[i] * X[j] for j in range(2)] for i in range(2)]
    gb1 = d1
    return {
        "z1": z1,
        "a1": a1,
        "z2": z2,
        "a2": a2,
        "d2": d2,
        "e1": e1,
        "d1": d1,
        "g1": g1,
        "g2": g2,
        "gb1": gb1,
    }


def six(value: float) -> str:
    """Return a number as the equation panel prints it (6 significant digits, typographic minus)."""
    return f"{value:.6g}".replace("-", "\u2212")


def shown(value: float, digits: int = 4) -> str:
    """Return a number as the screen writes it: 4 significant digits, typographic minus, ×10 raised."""
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, power = text.split("e")
        raised = str(int(power)).translate(str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹"))
        text = f"{mantissa}×10{raised}"
    return text.replace("-", "\u2212")


@pytest.fixture
def doc(qtbot):
    network = Network(
        [Layer(np.array(W1), np.array(B1), "sigmoid"), Layer(np.array(W2), None, "sigmoid")],
        "half_sse",
        "lecture",
    )
    state = NetworkFile(network, np.array(X), np.array(Y), training=TrainingConfig(learning_rate=ETA))
    return Document(state)


@pytest.fixture
def window(qtbot, doc):
    """A window like the app's: the stage bar on top and a graphics view (the graph) with the focus."""
    win = QMainWindow()
    qtbot.addWidget(win)
    bar = StageBar(doc, win)
    win.addToolBar(bar)
    scene = QGraphicsScene(win)
    scene.addRect(0, 0, 200, 200)
    graph = QGraphicsView(scene)
    win.setCentralWidget(graph)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(lambda: win.isActiveWindow())
    graph.setFocus()
    win.bar, win.graph = bar, graph
    return win


def stage_of(doc, kind: str, layer: int = 0) -> int:
    return next(n for n, stage in enumerate(doc.stages) if stage.kind == kind and stage.layer == layer)


# --- stage bar ---------------------------------------------------------------------------
def test_keys_step_through_while_the_graph_has_focus(window, doc):
    last = len(doc.stages) - 1
    assert last == 10  # input, 2 × (linear, nonlinear), error, δ2, e1, δ1, gradients, update
    QTest.keyClick(window.graph, Qt.Key_F10)
    assert doc.stage_index == 1
    QTest.keyClick(window.graph, Qt.Key_Right)
    assert doc.stage_index == 2
    QTest.keyClick(window.graph, Qt.Key_Left)
    assert doc.stage_index == 1
    QTest.keyClick(window.graph, Qt.Key_F10, Qt.ShiftModifier)
    assert doc.stage_index == 0
    assert not window.bar.back_action.isEnabled() and not window.bar.reset_action.isEnabled()
    QTest.keyClick(window.graph, Qt.Key_End)
    assert doc.stage_index == last
    assert not window.bar.step_action.isEnabled() and not window.bar.end_action.isEnabled()
    QTest.keyClick(window.graph, Qt.Key_Right)  # at the end: nothing happens
    assert doc.stage_index == last
    QTest.keyClick(window.graph, Qt.Key_Home)
    assert doc.stage_index == 0
    assert window.bar.step_action.isEnabled()


def test_buttons_and_label(window, doc):
    bar = window.bar
    QTest.mouseClick(bar.widgetForAction(bar.step_action), Qt.LeftButton)
    QTest.mouseClick(bar.widgetForAction(bar.step_action), Qt.LeftButton)
    assert doc.stage_index == 2
    assert bar.stage_label.text().startswith("Stage 3 / 11: Layer 1, nonlinear step")
    QTest.mouseClick(bar.widgetForAction(bar.back_action), Qt.LeftButton)
    assert doc.stage_index == 1
    QTest.mouseClick(bar.widgetForAction(bar.end_action), Qt.LeftButton)
    assert doc.stage_index == 10
    QTest.mouseClick(bar.widgetForAction(bar.reset_action), Qt.LeftButton)
    assert doc.stage_index == 0


def test_apply_update_moves_weights_down_the_gradient_and_undo_restores(window, doc):
    hand = by_hand()
    before = [doc.network.layer(k).weights.copy() for k in (1, 2)]
    bias_before = doc.network.layer(1).bias.copy()
    bar = window.bar
    QTest.mouseClick(bar.widgetForAction(bar.update_action), Qt.LeftButton)
    for k, (weights, grad) in enumerate(((W1, hand["g1"]), (W2, hand["g2"])), start=1):
        expected = [[weights[i][j] - ETA * grad[i][j] for j in range(2)] for i in range(2)]
        assert np.allclose(doc.network.layer(k).weights, expected, rtol=0, atol=1e-12)
    assert np.allclose(
        doc.network.layer(1).bias, [B1[i] - ETA * hand["gb1"][i] for i in range(2)], atol=1e-12
    )
    doc.undo_stack.undo()
    for k in (1, 2):
        assert np.array_equal(doc.network.layer(k).weights, before[k - 1])
    assert np.array_equal(doc.network.layer(1).bias, bias_before)


def test_learning_rate_field_is_one_undoable_change(window, doc):
    box = window.bar.rate_box
    assert box.text() == "0.5"
    box.setFocus()
    box.selectAll()
    QTest.keyClicks(box, "0.1")
    QTest.keyClick(box, Qt.Key_Return)
    assert doc.learning_rate == pytest.approx(0.1)
    assert doc.state.training.learning_rate == pytest.approx(0.1)
    assert doc.undo_stack.count() == 1
    assert "0.1" in doc.stages[-1].title  # the update stage now uses η = 0.1
    doc.undo_stack.undo()
    assert doc.learning_rate == 0.5
    assert box.text() == "0.5"
    box.selectAll()
    QTest.keyClicks(box, "2e-3")  # scientific notation is fine
    QTest.keyClick(box, Qt.Key_Return)
    assert doc.learning_rate == pytest.approx(0.002)
    box.selectAll()
    QTest.keyClicks(box, "fast")  # letters are refused as they are typed; nothing changes
    QTest.keyClick(box, Qt.Key_Return)
    assert doc.learning_rate == pytest.approx(0.002)
    assert doc.undo_stack.count() == 1  # the undone 0.1 step was replaced by this one


def test_learning_rate_box_takes_what_the_training_panel_takes(qtbot, window, doc):
    box, graph = window.bar.rate_box, window.graph
    window.resize(1400, 400)  # wide enough that the box is on the bar, not in its overflow menu
    qtbot.waitUntil(box.isVisible)
    data_edits.set_training(doc, learning_rate=1000.0)  # as the Training panel does
    QTest.mouseClick(box.lineEdit(), Qt.LeftButton)  # click into the box and out again
    assert box.hasFocus()
    graph.setFocus()
    assert doc.learning_rate == 1000.0 and doc.undo_stack.count() == 1  # only the panel's change
    assert box.text() == "1000" and box.value() == 1000.0
    for typed, expected, shown in (
        ("250", 250.0, "250"),
        ("1e-7", 1e-7, "1×10⁻⁷"),
        ("1e-12", 1e-12, "1×10⁻¹²"),
        ("1e12", 1e12, "1000000000000"),
        ("0.123456789", 0.123456789, "0.123456789"),
    ):
        box.setFocus()
        box.selectAll()
        QTest.keyClicks(box, typed)
        QTest.keyClick(box, Qt.Key_Return)
        assert doc.learning_rate == expected, typed
        assert box.text() == shown, typed
    count = doc.undo_stack.count()
    graph.setFocus()
    assert doc.undo_stack.count() == count  # leaving the box without typing adds nothing
    data_edits.set_training(doc, learning_rate=3e-9)
    assert box.text() == "3×10⁻⁹"
    box.setFocus()
    box.selectAll()
    QTest.keyClicks(box, "-2")  # not positive: the box goes back to the stored value
    graph.setFocus()
    assert doc.learning_rate == 3e-9 and box.text() == "3×10⁻⁹"


def test_learning_rate_arrow_step_lands_on_a_round_number(window, doc):
    box = window.bar.rate_box
    data_edits.set_training(doc, learning_rate=1e-7)
    box.setFocus()
    QTest.keyClick(box, Qt.Key_Up)
    assert box.text() == "1.1×10⁻⁷"
    QTest.keyClick(box, Qt.Key_Return)
    assert doc.learning_rate == 1.1e-7  # 1e-7 + 1e-8 rounded to 12 digits, not 1.0999999999999999e-07


# --- stage list ---------------------------------------------------------------------------
def test_clicking_a_stage_jumps_there_and_current_is_marked(qtbot, doc):
    stage_list = StageList(doc)
    qtbot.addWidget(stage_list)
    stage_list.resize(400, 400)
    stage_list.show()
    qtbot.waitExposed(stage_list)
    item = stage_list.item(6)
    QTest.mouseClick(stage_list.viewport(), Qt.LeftButton, pos=stage_list.visualItemRect(item).center())
    assert doc.stage_index == 6
    assert stage_list.currentRow() == 6
    assert stage_list.item(6).text().startswith("▶ 7.")
    assert stage_list.item(6).font().bold() and not stage_list.item(5).font().bold()
    doc.step()
    assert stage_list.currentRow() == 7 and stage_list.item(7).text().startswith("▶")
    assert not stage_list.item(6).text().startswith("▶")


def test_stage_list_rebuilds_when_the_structure_changes(qtbot, doc):
    stage_list = StageList(doc)
    qtbot.addWidget(stage_list)
    assert stage_list.count() == 11
    structure.add_layer(doc, 2, 3, "tanh")  # L = 3: 1 + 2L + 1 + L + (L − 1) + 2 stages
    assert stage_list.count() == 15
    assert any("nonlinear step (tanh)" in stage_list.item(n).text() for n in range(15))
    doc.undo_stack.undo()
    assert stage_list.count() == 11


# --- equation panel -------------------------------------------------------------------------
def test_equation_panel_linear_step_shows_the_numbers(qtbot, doc):
    panel = EquationPanel(doc)
    qtbot.addWidget(panel)
    doc.set_stage(stage_of(doc, "linear", 1))
    lines = panel.plain_text().splitlines()
    z1 = [0.15 * 0.05 + 0.2 * 0.1 + 0.35, 0.25 * 0.05 + 0.3 * 0.1 + 0.35]
    assert six(z1[0]) == "0.3775" and six(z1[1]) == "0.3925"
    # z, then W row by row, then a0, then b, as on the board.
    expected = ["0.3775", "0.3925", "=", "0.15", "0.2", "0.25", "0.3", "0.05", "0.1", "+", "0.35", "0.35"]
    start = lines.index("0.3775")
    assert lines[start : start + len(expected)] == expected
    assert "Layer 1, linear step" in lines
    assert "z(1) = W(1) a(0) + b(1)" in lines  # the formula, superscripts flattened by plain text


def test_equation_panel_delta_and_backprop_stages(qtbot, doc):
    hand = by_hand()
    panel = EquationPanel(doc)
    qtbot.addWidget(panel)
    doc.set_stage(stage_of(doc, "delta", 2))
    text = panel.plain_text()
    assert "⊙" in text
    lines = text.splitlines()
    start = lines.index(six(hand["d2"][0]))
    assert lines[start + 1] == six(hand["d2"][1])
    doc.set_stage(stage_of(doc, "backprop", 2))
    lines = panel.plain_text().splitlines()
    start = lines.index(six(hand["e1"][0]))
    # e1 = W2ᵀ δ2: the matrix comes transposed, row 1 is (w11, w21) = (0.4, 0.5).
    assert lines[start : start + 8] == [
        six(hand["e1"][0]),
        six(hand["e1"][1]),
        "=",
        "0.4",
        "0.5",
        "0.45",
        "0.55",
        six(hand["d2"][0]),
    ]
    assert "W(2)T" in lines


def test_equation_panel_gradient_and_update(qtbot, doc):
    hand = by_hand()
    panel = EquationPanel(doc)
    qtbot.addWidget(panel)
    doc.set_stage(stage_of(doc, "gradient"))
    text = panel.plain_text()
    for row in hand["g2"]:
        for value in row:
            assert six(value) in text.splitlines()
    doc.run_to_end()
    lines = panel.plain_text().splitlines()
    new_w11 = W1[0][0] - ETA * hand["g1"][0][0]
    assert six(new_w11) in lines and "0.5" in lines and "−" in lines


def test_equation_panel_elides_a_large_matrix(qtbot):
    rng = np.random.default_rng(1)
    network = Network([Layer(rng.normal(size=(30, 40)), None, "tanh")], "half_sse")
    big = Document(NetworkFile(network, rng.normal(size=40), rng.normal(size=30)))
    panel = EquationPanel(big)
    qtbot.addWidget(panel)
    big.set_stage(1)
    text = panel.plain_text()
    assert "⋮" in text and "⋯" in text and "W(1) is 30 × 40" in text
    assert len(text.splitlines()) < 400  # not 1,200 weights


# --- matrix view ---------------------------------------------------------------------------
def cell_center(table, row: int, column: int):
    return table.visualRect(table.model().index(row, column)).center()


@pytest.fixture
def matrix(qtbot, doc):
    view = MatrixView(doc)
    qtbot.addWidget(view)
    view.resize(700, 600)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_matrix_view_shows_w_and_gradient_only_once_computed(matrix, doc):
    hand = by_hand()
    model = matrix.weights_table.model()
    assert [model.data(model.index(i, j)) for i in range(2) for j in range(2)] == [
        "0.15",
        "0.2",
        "0.25",
        "0.3",
    ]
    assert model.headerData(1, Qt.Vertical) == "to 2" and model.headerData(0, Qt.Horizontal) == "from 1"
    doc.set_stage(stage_of(doc, "gradient") - 1)
    assert matrix.grad_stack.currentWidget() is matrix.not_computed
    assert "not computed yet at this stage" in matrix.not_computed.text()
    doc.step()
    assert matrix.grad_stack.currentWidget() is matrix.grad_table
    grad = matrix.grad_table.model()
    assert grad.data(grad.index(1, 0)) == shown(hand["g1"][1][0])
    matrix.layer_box.setCurrentIndex(1)
    assert matrix.layer == 2 and grad.data(grad.index(1, 1)) == shown(hand["g2"][1][1])
    assert model.data(model.index(0, 1)) == "0.45"


def test_editing_a_cell_changes_the_weight_and_undo_restores(qtbot, matrix, doc):
    table = matrix.weights_table
    QTest.mouseClick(table.viewport(), Qt.LeftButton, pos=cell_center(table, 0, 1))
    QTest.mouseDClick(table.viewport(), Qt.LeftButton, pos=cell_center(table, 0, 1))
    editor = table.findChild(QLineEdit)
    assert editor is not None and editor.isVisible()
    editor.selectAll()
    QTest.keyClicks(editor, "0.7")
    QTest.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.EditingState)  # Qt commits on a queued call
    assert doc.network.layer(1).weights[0, 1] == 0.7
    assert table.model().data(table.model().index(0, 1)) == "0.7"
    doc.undo_stack.undo()
    assert doc.network.layer(1).weights[0, 1] == 0.2
    assert table.model().data(table.model().index(0, 1)) == "0.2"


def test_a_non_number_is_refused_with_a_message(qtbot, matrix, doc):
    table = matrix.weights_table
    QTest.mouseClick(table.viewport(), Qt.LeftButton, pos=cell_center(table, 1, 0))
    QTest.keyClick(table.viewport(), "a")  # typing on a selected cell starts editing it
    editor = table.findChild(QLineEdit)
    assert editor is not None and editor.hasFocus()
    QTest.keyClicks(editor, "bc")
    assert editor.text() == "abc"
    QTest.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.EditingState)
    assert doc.network.layer(1).weights[1, 0] == 0.25
    assert doc.undo_stack.count() == 0
    assert "not a number" in matrix.message.text() and "0.25" in matrix.message.text()


def test_cell_and_graph_selection_are_linked(matrix, doc):
    table = matrix.weights_table
    QTest.mouseClick(table.viewport(), Qt.LeftButton, pos=cell_center(table, 1, 0))
    assert doc.selection == Selection.edge(1, 1, 0)
    doc.select(Selection.edge(2, 0, 1))  # picked on the graph
    assert matrix.layer == 2 and matrix.layer_box.currentIndex() == 1
    assert table.currentIndex().row() == 0 and table.currentIndex().column() == 1
    doc.select(Selection.neuron(2, 1))  # a neuron: its incoming weights, row 2 of W2
    selected = {(index.row(), index.column()) for index in table.selectionModel().selectedIndexes()}
    assert selected == {(1, 0), (1, 1)}
    doc.select(Selection.neuron(0, 0))  # an input neuron: its outgoing weights, column 1 of W1
    selected = {(index.row(), index.column()) for index in table.selectionModel().selectedIndexes()}
    assert matrix.layer == 1 and selected == {(0, 0), (1, 0)}


def test_matrix_view_handles_a_784_by_128_layer(qtbot):
    rng = np.random.default_rng(2)
    network = Network(
        [
            Layer(rng.normal(0, 0.05, (128, 784)), np.zeros(128), "relu"),
            Layer(rng.normal(size=(10, 128)), None, "sigmoid"),
        ],
        "half_sse",
    )
    big = Document(NetworkFile(network, rng.random(784), np.zeros(10)))
    view = MatrixView(big)
    qtbot.addWidget(view)
    view.show()
    model = view.weights_table.model()
    assert (model.rowCount(), model.columnCount()) == (128, 784)
    assert model.data(model.index(127, 783)) == shown(network.layer(1).weights[127, 783])
    big.select(Selection.edge(1, 100, 700))
    current = view.weights_table.currentIndex()
    assert (current.row(), current.column()) == (100, 700)


def test_a_dock_sized_view_shows_whole_numbers_and_rows(qtbot):
    rng = np.random.default_rng(4)
    network = Network(
        [
            Layer(rng.uniform(-1, 1, (4, 2)), np.zeros(4), "tanh"),
            Layer(rng.uniform(-1, 1, (3, 4)), None, "softmax"),
        ],
        "cross_entropy",
    )
    doc = Document(NetworkFile(network, np.array([0.5, -0.5]), np.array([1.0, 0.0, 0.0])))
    view = MatrixView(doc)
    qtbot.addWidget(view)
    view.resize(400, 280)  # the Matrices dock in the default 1600 × 1000 window
    view.show()
    qtbot.waitExposed(view)
    doc.run_to_end()
    table = view.weights_table
    QTest.mouseClick(table.viewport(), Qt.LeftButton, pos=cell_center(table, 0, 0))
    QTest.keyClick(table.viewport(), "-")  # typing on a selected cell starts editing it
    editor = table.findChild(QLineEdit)
    QTest.keyClicks(editor, "1.61803398875")
    QTest.keyClick(editor, Qt.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.EditingState)
    assert doc.network.layer(1).weights[0, 0] == -1.61803398875
    assert table.model().data(table.model().index(0, 0)) == "−1.618"
    tip = table.model().data(table.model().index(0, 0), Qt.ToolTipRole)
    assert "= −1.618033989 " in tip  # the tooltip has the digits the cell leaves out
    for layer in (1, 2):
        view.layer_box.setCurrentIndex(layer - 1)
        qtbot.wait(10)  # let the layout settle
        for grid in (view.weights_table, view.grad_table):
            rows, cols = grid.model().rowCount(), grid.model().columnCount()
            for j in range(cols):  # no number is cut to “−1.6…”
                assert grid.columnWidth(j) >= grid.sizeHintForColumn(j), (layer, grid.objectName(), j)
            last = grid.visualRect(grid.model().index(rows - 1, 0))
            assert last.bottom() < grid.viewport().height(), (layer, grid.objectName())  # every row shows


def test_f10_steps_while_a_matrix_cell_has_the_arrow_keys(qtbot, doc):
    win = QMainWindow()
    qtbot.addWidget(win)
    bar = StageBar(doc, win)
    win.addToolBar(bar)
    view = MatrixView(doc)
    win.setCentralWidget(view)
    win.resize(900, 600)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    qtbot.waitUntil(win.isActiveWindow)
    table = view.weights_table
    QTest.mouseClick(table.viewport(), Qt.LeftButton, pos=cell_center(table, 0, 0))
    assert table.hasFocus()
    QTest.keyClick(table, Qt.Key_Right)  # moves to the next cell; the stage stays
    assert (table.currentIndex().row(), table.currentIndex().column()) == (0, 1) and doc.stage_index == 0
    QTest.keyClick(table, Qt.Key_End)
    assert doc.stage_index == 0
    QTest.keyClick(table, Qt.Key_F10)
    QTest.keyClick(table, Qt.Key_F10)
    assert doc.stage_index == 2
    QTest.keyClick(table, Qt.Key_F10, Qt.ShiftModifier)
    assert doc.stage_index == 1
