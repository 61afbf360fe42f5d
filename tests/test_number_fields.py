"""Every number field of the window follows the same rules, used as a teacher would: type, press Enter.

The rules (notation.parse_number): a dot for decimals, "0,5" refused everywhere with the same hint;
a typed value stored exactly; "1e999" refused by spin boxes, not turned into 1999; η reads the same in
the tool bar and the Training panel; the update stage shows old and new differently; no e-notation on
screen. Expected values are worked out here by hand, never read back from the code under test.
"""

from __future__ import annotations

import math
import re

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractItemView, QLabel, QLineEdit

from explorer.app.main_window import MainWindow
from explorer.document import data_edits
from explorer.document.document import Document
from explorer.document.selection import Selection
from explorer.files import examples, reader
from explorer.views.panels.new_network import NewNetworkDialog

COMMA_MESSAGE = "“0,5” is not a number: use a dot for decimals (0.5)"
TOO_LARGE = "“1e999” is too large"
E_NOTATION = re.compile(r"[0-9.][eE][+\-−]?[0-9]")
RAISED = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
DEEP_CHAIN = examples.EXAMPLES_DIR / "deep-sigmoid-chain.mlp.json"


def read_shown(text: str) -> float:
    """Return the number a screen text such as "−1.5×10⁻⁷" stands for (this file's own reader)."""
    text = text.strip().replace("\u2212", "-")
    if "×10" in text:
        mantissa, power = text.split("×10")
        return float(mantissa) * 10.0 ** int(power.translate(RAISED))
    return float(text)


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


@pytest.fixture
def window(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)
    win = MainWindow(Document(reader.load(examples.LECTURE_EXAMPLE)), settings)
    qtbot.addWidget(win)
    win.files.ask_unsaved = lambda: "discard"
    win.resize(1600, 1000)
    win.show()
    qtbot.waitExposed(win)
    win.messages = []
    win.statusBar().messageChanged.connect(lambda text: win.messages.append(text) if text else None)
    return win


def type_into(qtbot, widget, text: str) -> None:
    """Replace the text of a line edit or spin box with `text` and press Enter."""
    widget.setFocus()
    line = widget if isinstance(widget, QLineEdit) else widget.lineEdit()
    line.selectAll()
    QTest.keyClick(line, Qt.Key_Delete)
    if text.isascii():
        QTest.keyClicks(line, text)
    else:
        line.insert(text)  # QTest cannot synthesise keys outside Latin-1; a paste does the same
    QTest.keyClick(line, Qt.Key_Return)


def open_graph_editor(window, target: Selection):
    graph = window.graph
    point = graph.edge_position(target.layer, target.i, target.j)
    QTest.mouseDClick(graph.viewport(), Qt.LeftButton, Qt.NoModifier, graph.mapFromScene(point))
    editor = graph.editor()
    assert editor is not None
    return editor


# --- a decimal comma: the same refusal in every field -----------------------------------------
def test_a_decimal_comma_is_refused_the_same_way_in_every_field(qtbot, window):
    doc = window.document if hasattr(window, "document") else window.graph.document
    before = doc.state
    panels = window.panels

    doc.select(Selection.edge(1, 0, 0))
    inspector = panels["inspector"]
    type_into(qtbot, inspector.editor, "0,5")
    assert COMMA_MESSAGE in inspector.shown_values()["message"]

    editor = open_graph_editor(window, Selection.edge(1, 0, 0))
    editor.entry.selectAll()
    QTest.keyClicks(editor.entry, "0,5")
    QTest.keyClick(editor.entry, Qt.Key_Return)
    assert COMMA_MESSAGE in editor.error_text()
    QTest.keyClick(editor.entry, Qt.Key_Escape)

    matrix = panels["matrix"]
    table = matrix.weights_table
    table.setCurrentIndex(table.model().index(0, 0))
    table.edit(table.model().index(0, 0))
    cell = table.findChild(QLineEdit)
    cell.selectAll()
    QTest.keyClicks(cell, "0,5")
    QTest.keyClick(cell, Qt.Key_Return)
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.EditingState)
    assert COMMA_MESSAGE in matrix.message.text()

    training = panels["training"]
    type_into(qtbot, training.fields["learning_rate"], "0,5")
    assert COMMA_MESSAGE in training.message.text()
    training.fields["learning_rate"].setText(training.fields["learning_rate"].text())  # leave it
    QTest.keyClick(training.fields["learning_rate"], Qt.Key_Escape)

    type_into(qtbot, window.stage_bar.rate_box, "0,5")
    assert any(COMMA_MESSAGE in message for message in window.messages)

    structure = panels["structure"]
    type_into(qtbot, structure.x_field, "0,5")
    assert COMMA_MESSAGE in structure.message.text()
    type_into(qtbot, structure.rows[1].size, "0,5")
    assert COMMA_MESSAGE in structure.message.text()

    dataset = panels["dataset"]
    type_into(qtbot, dataset.noise, "0,5")
    assert COMMA_MESSAGE in dataset.message.text()

    assert doc.state == before and doc.undo_stack.count() == 0  # nothing changed anywhere


def test_the_new_network_dialog_refuses_a_decimal_comma_and_1e999_in_its_seed(qtbot):
    dialog = NewNetworkDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.seed.setValue(7)
    type_into(qtbot, dialog.seed, "0,5")
    assert COMMA_MESSAGE in dialog.summary.text() and dialog.seed.value() == 7
    type_into(qtbot, dialog.seed, "1e999")
    assert TOO_LARGE in dialog.summary.text() and dialog.seed.value() == 7
    type_into(qtbot, dialog.seed, "1e3")  # the same parser: 1e3 is 1000
    assert dialog.seed.value() == 1000


# --- exact values -----------------------------------------------------------------------------
def test_the_graph_editor_stores_1e_minus_12_exactly(window):
    doc = window.graph.document
    editor = open_graph_editor(window, Selection.edge(2, 1, 0))
    editor.entry.selectAll()
    QTest.keyClicks(editor.entry, "1e-12")
    QTest.keyClick(editor.entry, Qt.Key_Return)
    assert doc.network.layer(2).weights[1, 0] == 1e-12  # not rounded to 10 decimals (0)
    assert "w₂₁⁽²⁾ = 1×10⁻¹²" in window.graph.edge_label_text(2, 1, 0)
    editor = open_graph_editor(window, Selection.edge(2, 1, 0))
    assert editor.entry.text() == "1×10⁻¹²"  # every digit; Enter on it keeps the value
    QTest.keyClick(editor.entry, Qt.Key_Return)
    assert doc.network.layer(2).weights[1, 0] == 1e-12


def test_typed_values_are_the_floats_typed(qtbot, window):
    doc = window.graph.document
    doc.select(Selection.edge(1, 1, 1))
    type_into(qtbot, window.panels["inspector"].editor, "−0.1")
    assert doc.network.layer(1).weights[1, 1] == -0.1
    type_into(qtbot, window.panels["training"].fields["momentum"], "1×10⁻³")
    assert doc.state.training.momentum == 0.001


def test_eta_reads_the_same_in_the_tool_bar_and_the_training_panel(qtbot, window):
    doc = window.graph.document
    data_edits.set_training(doc, learning_rate=2.0)
    assert window.stage_bar.rate_box.text() == "2"
    assert window.panels["training"].fields["learning_rate"].text() == "2"
    data_edits.set_training(doc, learning_rate=1e-7)
    assert window.stage_bar.rate_box.text() == "1×10⁻⁷"
    assert window.panels["training"].fields["learning_rate"].text() == "1×10⁻⁷"


def test_the_tool_bar_eta_explains_a_refusal_in_the_status_bar(qtbot, window):
    doc = window.graph.document
    box = window.stage_bar.rate_box
    rate = doc.learning_rate
    type_into(qtbot, box, "fast")
    assert any("“fast” is not a number" in message for message in window.messages)
    type_into(qtbot, box, "0")  # the Training panel's rule: η must be positive
    assert any("positive" in message for message in window.messages)
    assert doc.learning_rate == rate and box.value() == rate


def test_spin_boxes_refuse_1e999_instead_of_reading_1999(qtbot, window):
    structure, dataset = window.panels["structure"], window.panels["dataset"]
    for box, panel in (
        (dataset.samples, dataset),
        (dataset.noise, dataset),
        (dataset.seed, dataset),
        (structure.rows[1].size, structure),
    ):
        value = box.value()
        type_into(qtbot, box, "1e999")
        assert box.value() == value, box
        assert TOO_LARGE in panel.message.text(), box
    value = window.stage_bar.rate_box.value()
    type_into(qtbot, window.stage_bar.rate_box, "1e999")
    assert window.stage_bar.rate_box.value() == value
    assert any(TOO_LARGE in message for message in window.messages)
    assert window.graph.document.network.sizes == [2, 2, 2]


# --- what the screen shows --------------------------------------------------------------------
def test_the_update_stage_shows_old_and_new_apart_when_they_differ_by_1e_minus_9(window):
    doc = window.graph.document
    # Hand forward pass of the lecture network, then ∂J/∂w₁₁⁽²⁾ = (ŷ₁ − y₁) ŷ₁(1 − ŷ₁) a₁⁽¹⁾.
    a1 = [sigmoid(0.15 * 0.05 + 0.20 * 0.1 + 0.35), sigmoid(0.25 * 0.05 + 0.30 * 0.1 + 0.35)]
    y1 = sigmoid(0.40 * a1[0] + 0.45 * a1[1])
    grad = (y1 - 0.01) * y1 * (1 - y1) * a1[0]
    eta = 1e-9 / grad  # the weight moves by 1e-9
    data_edits.set_training(doc, learning_rate=eta)
    doc.run_to_end()
    line = window.graph.edge_label_text(2, 0, 0).splitlines()[0]
    old, new = line.split(" = ", 1)[1].split(" → ")
    assert old != new
    assert read_shown(old) == pytest.approx(0.40, abs=1e-12)
    assert read_shown(new) == pytest.approx(0.40 - 1e-9, abs=1e-12)
    assert read_shown(new) < read_shown(old)
    doc.select(Selection.edge(2, 0, 0))
    update = window.panels["inspector"].shown_values()["new w₁₁⁽²⁾"]
    parts = update.split(" = ")[-2:]  # "... = 0.4 − η × ∂J/∂w", then the new value
    assert read_shown(parts[1]) == pytest.approx(0.40 - 1e-9, abs=1e-12)


def visible_texts(window) -> list[str]:
    texts = [label.text() for label in window.findChildren(QLabel) if label.isVisible()]
    graph, network = window.graph, window.graph.document.network
    for k in range(network.num_layers + 1):
        texts.append(graph.heading_text(k))
        for i in range(network.sizes[k]):
            texts.append(graph.neuron_text(k, i))
            if k:
                texts += [graph.edge_label_text(k, i, j) for j in range(network.sizes[k - 1])]
    for name in ("inspector",):
        texts += list(window.panels[name].shown_values().values())
    matrix = window.panels["matrix"]
    for table in (matrix.weights_table, matrix.grad_table):
        model = table.model()
        texts += [
            str(model.data(model.index(r, c)))
            for r in range(model.rowCount())
            for c in range(model.columnCount())
        ]
    return texts


@pytest.mark.parametrize("path", [DEEP_CHAIN, examples.LECTURE_EXAMPLE])
def test_no_e_notation_and_no_minus_zero_on_screen(qtbot, tmp_path, path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)
    win = MainWindow(Document(reader.load(path)), settings)
    qtbot.addWidget(win)
    win.show()
    doc = win.graph.document
    doc.set_stage(next(n for n, stage in enumerate(doc.stages) if stage.kind == "delta" and stage.layer == 1))
    doc.select(Selection.neuron(1, 0))
    texts = visible_texts(win)
    doc.run_to_end()
    doc.select(Selection.edge(1, 0, 0))
    texts += visible_texts(win)
    for text in texts:
        assert not E_NOTATION.search(text), text
        assert not re.search(r"(?<![0-9.])−0(?![.0-9×])", text), text


def test_combo_boxes_show_readable_names_and_keep_identifiers(qtbot, window):
    structure = window.panels["structure"]
    assert structure.loss.currentText() == "½ sum of squared errors"
    assert structure.loss.currentData() == "half_sse"
    names = [structure.loss.itemText(n) for n in range(structure.loss.count())]
    assert "cross-entropy" in names
    activations = [
        structure.rows[1].activation.itemText(n) for n in range(structure.rows[1].activation.count())
    ]
    assert "leaky ReLU" in activations and "leaky_relu" not in activations
    index = structure.rows[1].activation.findText("leaky ReLU")
    structure.rows[1].activation.setCurrentIndex(index)
    assert window.graph.document.network.layer(1).activation == "leaky_relu"  # the file keeps the identifier


def test_the_two_js_are_labelled(qtbot, window):
    doc = window.graph.document
    doc.run_to_end()
    doc.select(Selection.neuron(2, 0))
    assert "J (this sample)" in window.panels["inspector"].shown_values()
    training = window.panels["training"]
    QTest.mouseClick(training.step_button, Qt.LeftButton, pos=QPoint(5, 5))
    assert "mean J over the data set" in training.status_text()
