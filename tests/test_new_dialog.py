"""The New-network dialog: sizes typed as 2-3-2, OK only when the input makes a network."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from explorer.views.new_network_dialog import NewNetworkDialog, parse_sizes


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
    dialog.hidden_activation.setCurrentText("relu")
    dialog.loss.setCurrentText("cross_entropy")
    dialog.output_activation.setCurrentText("tanh")
    assert not dialog.ok_button.isEnabled()
    assert "softmax or sigmoid" in dialog.summary.text()
    dialog.output_activation.setCurrentText("softmax")
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


def test_state_has_a_zero_sample_of_the_right_width(qtbot, dialog):
    type_sizes(qtbot, dialog, "3-4-2")
    dialog.seed.setValue(11)
    dialog.name.setText("xor-ish")
    state = dialog.state()
    assert state.network.sizes == [3, 4, 2]
    assert state.network.name == "xor-ish"
    np.testing.assert_array_equal(state.sample_x, [0.0, 0.0, 0.0])
    np.testing.assert_array_equal(state.sample_y, [0.0, 0.0])
    assert state.dataset_x is None
    assert state.training.seed == 11


def test_enter_accepts_only_when_valid(qtbot, dialog):
    type_sizes(qtbot, dialog, "2-x")
    qtbot.keyClick(dialog.sizes_field, Qt.Key_Return)
    assert dialog.isVisible() and dialog.result() == 0
    type_sizes(qtbot, dialog, "2-2")
    qtbot.keyClick(dialog.sizes_field, Qt.Key_Return)
    assert dialog.result() == NewNetworkDialog.Accepted
    assert not dialog.hidden_activation.isEnabled()  # no hidden layer to set
