"""The New-network dialog: sizes typed as 2-3-2, OK only when the input makes a network."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import Qt

from explorer.document.document import Document
from explorer.views.panels.new_network import NewNetworkDialog, parse_sizes


def choose(combo, identifier: str) -> None:
    """Pick the item whose data is `identifier` (the combo shows a readable name), as a click does."""
    index = combo.findData(identifier)
    assert index >= 0, identifier
    combo.setCurrentIndex(index)


@pytest.fixture
def dialog(qtbot) -> NewNetworkDialog:
    widget = NewNetworkDialog()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def type_sizes(qtbot, dialog: NewNetworkDialog, text: str) -> None:
    dialog.sizes_field.selectAll()
    qtbot.keyClick(dialog.sizes_field, Qt.Key_Delete)
    qtbot.keyClicks(dialog.sizes_field, text)


def test_sizes_2_3_2_make_that_network(qtbot, dialog):
    type_sizes(qtbot, dialog, "2-3-2")
    assert dialog.ok_button.isEnabled()
    assert dialog.sizes() == [2, 3, 2]
    network = dialog.network()
    assert network.sizes == [2, 3, 2]
    assert [layer.activation for layer in network.layers] == ["sigmoid", "sigmoid"]
    assert all(layer.bias is not None and not layer.bias.any() for layer in network.layers)
    assert network.loss == "half_sse"
    # 2·3 + 3 + 3·2 + 2 parameters
    assert dialog.summary.text() == "2 inputs, 1 hidden layer, 2 outputs: 17 parameters"


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("2-x-2", "“x”"),
        ("1", "at least two"),
        ("", "type the layer sizes"),
        ("2-0-2", "“0”"),
        ("2--2", "empty"),
        ("2-2.5-2", "“2.5”"),
        ("2-³-2", "“³”"),  # a digit to str.isdigit, not a decimal number
        ("4000-3000", "too many"),
    ],
)
def test_bad_sizes_are_refused_with_a_reason(qtbot, dialog, text, words):
    if text.isascii():
        type_sizes(qtbot, dialog, text)
    else:
        dialog.sizes_field.setText(text)  # QTest cannot type characters outside Latin-1
    assert not dialog.ok_button.isEnabled()
    assert words in dialog.summary.text()
    with pytest.raises(ValueError):
        dialog.network()


def test_parse_sizes_accepts_spaces_and_commas():
    assert parse_sizes(" 2 - 3 - 2 ") == [2, 3, 2]
    assert parse_sizes("4, 8, 1") == [4, 8, 1]
    assert parse_sizes("4 8 1") == [4, 8, 1]


def test_choices_reach_the_network(qtbot, dialog):
    type_sizes(qtbot, dialog, "3-4-5-2")
    choose(dialog.hidden_activation, "relu")
    choose(dialog.loss, "cross_entropy")
    choose(dialog.output_activation, "tanh")
    assert not dialog.ok_button.isEnabled()
    assert "softmax or sigmoid" in dialog.summary.text()
    choose(dialog.output_activation, "softmax")
    assert dialog.ok_button.isEnabled()
    qtbot.keyClick(dialog.bias, Qt.Key_Space)
    network = dialog.network()
    assert network.sizes == [3, 4, 5, 2]
    assert [layer.activation for layer in network.layers] == ["relu", "relu", "softmax"]
    assert network.loss == "cross_entropy"
    assert all(layer.bias is None for layer in network.layers)
    hidden = dialog.hidden_activation
    assert "softmax" not in [hidden.itemText(n) for n in range(hidden.count())]


def test_seed_makes_the_weights_reproducible(qtbot, dialog):
    first = dialog.network()
    again = dialog.network()
    for a, b in zip(first.layers, again.layers):
        np.testing.assert_array_equal(a.weights, b.weights)
    dialog.seed.setValue(7)
    other = dialog.network()
    assert not np.array_equal(first.layers[0].weights, other.layers[0].weights)


def test_state_has_a_sample_of_the_right_width(qtbot, dialog):
    type_sizes(qtbot, dialog, "3-4-2")
    dialog.seed.setValue(11)
    dialog.name.setText("xor-ish")
    state = dialog.state()
    assert state.network.sizes == [3, 4, 2]
    assert state.network.name == "xor-ish"
    np.testing.assert_array_equal(state.sample_x, [0.5, 0.5, 0.5])
    np.testing.assert_array_equal(state.sample_y, [1.0, 0.0])
    assert state.dataset_x is None
    assert state.training.seed == 11


def test_a_new_softmax_network_has_something_to_learn(qtbot, dialog):
    type_sizes(qtbot, dialog, "2-3-3")
    choose(dialog.loss, "cross_entropy")
    choose(dialog.output_activation, "softmax")
    assert dialog.ok_button.isEnabled()
    qtbot.keyClick(dialog.sizes_field, Qt.Key_Return)
    document = Document(dialog.state())
    np.testing.assert_array_equal(document.state.sample_y, [1.0, 0.0, 0.0])  # one-hot on class 1
    # J = −log ŷ₁, worked out here from the new weights without the engine.
    (w1, b1), (w2, b2) = [(layer.weights, layer.bias) for layer in document.network.layers]
    x = np.array([0.5, 0.5])
    hidden = [1 / (1 + math.exp(-(w1[i, 0] * x[0] + w1[i, 1] * x[1] + b1[i]))) for i in range(3)]
    z = [sum(w2[i, j] * hidden[j] for j in range(3)) + b2[i] for i in range(3)]
    y_hat = [math.exp(v) / sum(math.exp(u) for u in z) for v in z]
    assert document.trace.loss == pytest.approx(-math.log(y_hat[0]), rel=1e-12)
    assert document.trace.loss > 0.1
    # δ⁽²⁾ = ŷ − y for softmax with cross-entropy: every entry moves, so there is something to step.
    np.testing.assert_allclose(document.trace.deltas[2], np.array(y_hat) - [1, 0, 0], rtol=1e-12)
    assert np.all(np.abs(document.trace.grad_weights[1]) > 0)


def test_a_new_sigmoid_network_has_a_non_zero_error(qtbot, dialog):
    state = dialog.state()  # the default 2-2-2 sigmoid network with ½‖e‖²
    np.testing.assert_array_equal(state.sample_x, [0.5, 0.5])
    np.testing.assert_array_equal(state.sample_y, [1.0, 0.0])
    document = Document(state)
    assert document.trace.loss > 0.01 and np.all(document.trace.deltas[2] != 0)


def test_enter_accepts_only_when_valid(qtbot, dialog):
    type_sizes(qtbot, dialog, "2-x")
    qtbot.keyClick(dialog.sizes_field, Qt.Key_Return)
    assert dialog.isVisible() and dialog.result() == 0
    type_sizes(qtbot, dialog, "2-2")
    qtbot.keyClick(dialog.sizes_field, Qt.Key_Return)
    assert dialog.result() == NewNetworkDialog.Accepted
    assert not dialog.hidden_activation.isEnabled()  # no hidden layer to set
