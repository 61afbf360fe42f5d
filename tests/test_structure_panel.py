"""The structure panel, used as a teacher would: spin, click, pick, type; undo and redo restore exactly."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from explorer.document import commands
from explorer.document.document import Document
from explorer.document.selection import Selection
from explorer.engine.network import Layer, Network
from explorer.files.model import NetworkFile
from explorer.views.panels.structure import StructurePanel
from explorer.views.panels.undo_history import UndoHistory


def choose(combo, identifier: str) -> None:
    """Pick the item whose data is `identifier` (the combo shows a readable name), as a click does."""
    index = combo.findData(identifier)
    assert index >= 0, identifier
    combo.setCurrentIndex(index)


@pytest.fixture
def document() -> Document:
    network = Network(
        [
            Layer(np.array([[0.15, 0.20], [0.25, 0.30]]), np.array([0.35, 0.35]), "sigmoid"),
            Layer(np.array([[0.40, 0.45], [0.50, 0.55]]), None, "sigmoid"),
        ],
        name="lecture",
    )
    return Document(NetworkFile(network, np.array([0.05, 0.10]), np.array([0.01, 0.99])))


@pytest.fixture
def panel(qtbot, document) -> StructurePanel:
    widget = StructurePanel(document)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def shape(document: Document) -> tuple:
    """Return what undo must restore: sizes, activations, bias presence and loss."""
    network = document.network
    return (
        tuple(network.sizes),
        tuple(layer.activation for layer in network.layers),
        tuple(layer.bias is not None for layer in network.layers),
        network.loss,
    )


def items(combo) -> list[str]:
    return [combo.itemText(n) for n in range(combo.count())]


def type_into(qtbot, field, text: str) -> None:
    field.selectAll()
    qtbot.keyClick(field, Qt.Key_Delete)
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key_Return)


def test_panel_shows_the_network(panel):
    assert [row.size.value() for row in panel.rows] == [2, 2, 2]
    assert [row.name.text() for row in panel.rows] == ["0 input", "1 hidden", "2 output"]
    assert panel.rows[1].activation.currentData() == "sigmoid"
    assert panel.rows[1].bias.isChecked() and not panel.rows[2].bias.isChecked()
    assert "softmax" not in items(panel.rows[1].activation)
    assert "softmax" in items(panel.rows[2].activation)
    assert panel.loss.currentData() == "half_sse" and panel.loss.currentText() == "½ sum of squared errors"
    assert panel.x_field.text() == "0.05, 0.1" and panel.y_field.text() == "0.01, 0.99"
    assert panel.parameters.text() == "10 parameters"


def test_edits_then_undo_and_redo_restore_each_shape_exactly(qtbot, panel, document):
    shapes = [shape(document)]

    def record():
        shapes.append(shape(document))

    qtbot.keyClick(panel.rows[1].size, Qt.Key_Up)  # one more hidden neuron
    assert document.network.sizes == [2, 3, 2]
    record()
    qtbot.keyClick(panel.rows[0].size, Qt.Key_Up)  # one more input: the sample grows with a 0
    assert document.network.sizes == [3, 3, 2]
    assert list(document.state.sample_x) == [0.05, 0.10, 0.0]
    assert panel.x_field.text() == "0.05, 0.1, 0"
    record()
    qtbot.keyClick(panel.rows[1].size, Qt.Key_Down)
    assert document.network.sizes == [3, 2, 2]
    record()
    qtbot.mouseClick(panel.add_layer_button, Qt.LeftButton)
    assert document.network.sizes == [3, 2, 2, 2]
    assert [row.name.text() for row in panel.rows] == ["0 input", "1 hidden", "2 hidden", "3 output"]
    record()
    choose(panel.rows[2].activation, "tanh")
    assert document.network.layer(2).activation == "tanh"
    record()
    qtbot.keyClick(panel.rows[3].bias, Qt.Key_Space)
    assert document.network.layer(3).bias is not None
    record()
    choose(panel.loss, "cross_entropy")
    assert document.network.loss == "cross_entropy"
    record()
    qtbot.mouseClick(panel.rows[1].remove, Qt.LeftButton)
    assert document.network.sizes == [3, 2, 2]
    assert [layer.activation for layer in document.network.layers] == ["tanh", "sigmoid"]
    record()
    assert document.undo_stack.count() == len(shapes) - 1

    for expected in reversed(shapes[:-1]):
        document.undo_stack.undo()
        assert shape(document) == expected
        assert [row.size.value() for row in panel.rows] == list(expected[0])
        assert [row.activation.currentData() for row in panel.rows[1:]] == list(expected[1])
        assert [row.bias.isChecked() for row in panel.rows[1:]] == list(expected[2])
        assert panel.loss.currentData() == expected[3]
    for expected in shapes[1:]:
        document.undo_stack.redo()
        assert shape(document) == expected
        assert [row.size.value() for row in panel.rows] == list(expected[0])


def test_a_typed_size_is_one_undo_step(qtbot, panel, document):
    type_into(qtbot, panel.rows[1].size.lineEdit(), "6")
    assert document.network.sizes == [2, 6, 2]
    assert document.network.layer(2).weights.shape == (2, 6)
    assert document.undo_stack.count() == 1
    # The neurons that were there keep their weights; the new bias entries start at 0.
    np.testing.assert_array_equal(document.network.layer(1).weights[:2], [[0.15, 0.20], [0.25, 0.30]])
    np.testing.assert_array_equal(document.network.layer(2).weights[:, :2], [[0.40, 0.45], [0.50, 0.55]])
    np.testing.assert_array_equal(document.network.layer(1).bias, [0.35, 0.35, 0, 0, 0, 0])
    assert np.all(document.network.layer(1).weights[2:] != 0)
    type_into(qtbot, panel.rows[1].size.lineEdit(), "1")
    assert document.network.sizes == [2, 1, 2]
    document.undo_stack.undo()
    assert document.network.sizes == [2, 6, 2]
    document.undo_stack.undo()
    assert document.network.sizes == [2, 2, 2]
    assert panel.rows[1].size.value() == 2


def test_a_size_over_the_parameter_limit_is_refused(qtbot, panel, document):
    type_into(qtbot, panel.rows[0].size.lineEdit(), "4000")
    assert document.network.sizes == [4000, 2, 2]
    assert document.undo_stack.count() == 1
    type_into(qtbot, panel.rows[1].size.lineEdit(), "3000")
    # 4000·3000 weights + 3000 biases in layer 1, 3000·2 weights in layer 2
    expected = f"{4000 * 3000 + 3000 + 3000 * 2:,}"
    message = f"3000 neurons in layer 1 would make {expected} parameters (the limit is 10,000,000)"
    assert panel.message.text() == message
    assert document.network.sizes == [4000, 2, 2]
    assert panel.rows[1].size.value() == document.network.sizes[1]


def test_an_edit_that_does_not_fit_shows_the_message_and_changes_nothing(panel, document):
    choose(panel.loss, "cross_entropy")
    count = document.undo_stack.count()
    choose(panel.rows[2].activation, "tanh")  # cross-entropy needs a sigmoid or softmax output
    assert "cross_entropy" in panel.message.text() and panel.message.isVisible()
    assert document.network.layer(2).activation == "sigmoid"
    assert panel.rows[2].activation.currentData() == "sigmoid"
    assert document.undo_stack.count() == count
    choose(panel.rows[2].activation, "softmax")
    assert document.network.layer(2).activation == "softmax"
    assert panel.message.isHidden()


def test_add_layer_goes_after_the_selected_hidden_layer(qtbot, panel, document):
    qtbot.mouseClick(panel.add_layer_button, Qt.LeftButton)
    choose(panel.rows[2].activation, "relu")
    document.select(Selection.neuron(1, 0))
    assert panel.add_layer_button.text() == "Add hidden layer after layer 1"
    qtbot.mouseClick(panel.add_layer_button, Qt.LeftButton)
    assert document.network.sizes == [2, 2, 2, 2, 2]
    # Inserted as layer 2, with the activation of its neighbour before it (layer 1).
    activations = [layer.activation for layer in document.network.layers]
    assert activations == ["sigmoid", "sigmoid", "relu", "sigmoid"]


def test_rows_are_kept_while_only_numbers_change(panel, document):
    spin, combo = panel.rows[1].size, panel.rows[1].activation
    commands.edit_weight(document, 1, 0, 0, 0.9)
    document.run_to_end()
    assert panel.rows[1].size is spin and panel.rows[1].activation is combo


def test_sample_edit_applies_and_bad_entries_are_named(qtbot, panel, document):
    type_into(qtbot, panel.x_field, "0.05, zz")
    assert "entry 2" in panel.message.text() and "zz" in panel.message.text()
    assert list(document.state.sample_x) == [0.05, 0.10]
    assert document.undo_stack.count() == 0
    assert panel.x_field.text() == "0.05, zz"  # kept, so that the typo can be fixed
    type_into(qtbot, panel.x_field, "1 2 3")
    assert panel.message.text() == "x needs 2 numbers, got 3"
    type_into(qtbot, panel.y_field, "0.5;1e-3")
    assert panel.message.text() == "x needs 2 numbers, got 3"  # x is read first and is still wrong
    type_into(qtbot, panel.x_field, "0.5   -2")
    assert list(document.state.sample_x) == [0.5, -2.0]
    assert list(document.state.sample_y) == [0.5, 0.001]
    assert panel.message.isHidden()
    document.undo_stack.undo()
    assert panel.x_field.text() == "0.05, 0.1"


def test_undo_history_lists_the_edits(qtbot, panel, document):
    history = UndoHistory(document)
    qtbot.addWidget(history)
    qtbot.keyClick(panel.rows[1].size, Qt.Key_Up)
    choose(panel.loss, "cross_entropy")
    model = history.model()
    assert model.rowCount() == 3
    assert model.index(1, 0).data() == "Add neuron to layer 1"
    assert model.index(2, 0).data() == "Loss: cross_entropy"
