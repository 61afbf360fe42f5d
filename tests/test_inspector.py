"""The inspector, used as a teacher would: select, read the numbers, type a value, press Enter, undo.

Every number the panel shows is checked against arithmetic written out here for the lecture's
2-2-2 sigmoid network, never against the engine.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import Qt

from explorer.document.document import Document
from explorer.document.selection import NOTHING, Selection
from explorer.engine.network import Layer, Network
from explorer.files.model import NetworkFile
from explorer.views.panels.inspector import HINT, PENDING, InspectorPanel, symbol

X, Y = (0.05, 0.10), (0.01, 0.99)
W1, B1 = ((0.15, 0.20), (0.25, 0.30)), (0.35, 0.35)
W2 = ((0.40, 0.45), (0.50, 0.55))
ETA = 0.5


def sig(v: float) -> float:
    return 1.0 / (1.0 + math.exp(-v))


def hand_pass(w1=W1, b1=B1, w2=W2):
    """Return z1, a1, z2, a2, delta2, e1, delta1 of the lecture net, one scalar at a time."""
    z1 = [w1[i][0] * X[0] + w1[i][1] * X[1] + b1[i] for i in range(2)]
    a1 = [sig(z) for z in z1]
    z2 = [w2[i][0] * a1[0] + w2[i][1] * a1[1] for i in range(2)]
    a2 = [sig(z) for z in z2]
    delta2 = [(a2[i] - Y[i]) * a2[i] * (1 - a2[i]) for i in range(2)]
    e1 = [w2[0][j] * delta2[0] + w2[1][j] * delta2[1] for j in range(2)]
    delta1 = [a1[j] * (1 - a1[j]) * e1[j] for j in range(2)]
    return z1, a1, z2, a2, delta2, e1, delta1


def number(text: str) -> float:
    """Read the last number of a displayed value ("… = 0.123" or "0.123")."""
    return float(text.rsplit("=", 1)[-1].strip().replace("\u2212", "-"))


@pytest.fixture
def document() -> Document:
    network = Network(
        [Layer(np.array(W1), np.array(B1), "sigmoid"), Layer(np.array(W2), None, "sigmoid")], name="lecture"
    )
    return Document(NetworkFile(network, np.array(X), np.array(Y)))


@pytest.fixture
def panel(qtbot, document) -> InspectorPanel:
    widget = InspectorPanel(document)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def type_value(qtbot, panel: InspectorPanel, text: str) -> None:
    panel.editor.selectAll()
    qtbot.keyClick(panel.editor, Qt.Key_Delete)
    if text.isascii():
        qtbot.keyClicks(panel.editor, text)
    else:
        panel.editor.insert(text)  # QTest cannot synthesise keys outside Latin-1; a paste does the same
    qtbot.keyClick(panel.editor, Qt.Key_Return)


def test_symbols_use_the_lecture_notation():
    assert symbol("w", 1, 1, 2) == "w₁₂⁽¹⁾"
    assert symbol("δ", 3, 12) == "δ₁₂⁽³⁾"
    assert symbol("w", 2, 12, 3) == "w₁₂,₃⁽²⁾"  # two-digit index: a comma keeps i and j apart


def test_nothing_selected_shows_a_hint(panel, document):
    assert panel.shown_values()["selection"] == HINT
    assert panel.editor_box.isHidden()
    document.select(Selection.edge(1, 0, 1))
    assert panel.shown_values()["selection"] == "w₁₂⁽¹⁾: to neuron 1 of layer 1 from neuron 2 of layer 0"
    document.select(NOTHING)
    assert panel.shown_values()["selection"] == HINT


def test_typing_a_weight_changes_the_network_and_downstream_numbers_and_undo_restores(qtbot, panel, document):
    document.select(Selection.edge(1, 0, 0))
    assert panel.shown_values()["w₁₁⁽¹⁾"] == "0.15"
    type_value(qtbot, panel, "0.3")
    assert document.network.layer(1).weights[0, 0] == 0.3
    assert document.undo_stack.count() == 1

    w1 = ((0.3, 0.20), (0.25, 0.30))
    z1, a1, z2, a2, *_ = hand_pass(w1=w1)
    document.run_to_end()
    document.select(Selection.neuron(1, 0))
    shown = panel.shown_values()
    assert number(shown["z₁⁽¹⁾"]) == pytest.approx(z1[0], rel=1e-9)
    assert number(shown["a₁⁽¹⁾"]) == pytest.approx(a1[0], rel=1e-9)
    document.select(Selection.neuron(2, 0))
    shown = panel.shown_values()
    assert number(shown["z₁⁽²⁾"]) == pytest.approx(z2[0], rel=1e-9)
    assert number(shown["a₁⁽²⁾"]) == pytest.approx(a2[0], rel=1e-9)

    document.undo_stack.undo()
    assert document.network.layer(1).weights[0, 0] == 0.15
    z1, a1, z2, a2, *_ = hand_pass()
    assert number(panel.shown_values()["z₁⁽²⁾"]) == pytest.approx(z2[0], rel=1e-9)
    document.select(Selection.edge(1, 0, 0))
    assert panel.shown_values()["w₁₁⁽¹⁾"] == "0.15"


@pytest.mark.parametrize("text", ["abc", "0,3", "", "nan", "1e999", "0.1.2"])
def test_a_non_number_shows_a_message_and_changes_nothing(qtbot, panel, document, text):
    document.select(Selection.edge(2, 1, 0))
    type_value(qtbot, panel, text)
    shown = panel.shown_values()
    assert shown["message"]
    if text:
        assert text in shown["message"]
    assert document.network.layer(2).weights[1, 0] == 0.50
    assert document.undo_stack.count() == 0
    # A good value afterwards applies and clears the message.
    type_value(qtbot, panel, "1e-3")
    assert document.network.layer(2).weights[1, 0] == 0.001
    assert "message" not in panel.shown_values()


def test_typographic_minus_and_same_value(qtbot, panel, document):
    document.select(Selection.edge(2, 0, 0))
    type_value(qtbot, panel, "\u22120.25")
    assert document.network.layer(2).weights[0, 0] == -0.25
    type_value(qtbot, panel, "-0.25")  # the same value again: no second undo step
    assert document.undo_stack.count() == 1


def test_delta_is_hidden_before_its_stage_and_shown_after(panel, document):
    _, a1, _, _, delta2, _, _ = hand_pass()
    document.select(Selection.edge(2, 0, 1))
    document.set_stage(document.stepper.index_of("linear", 2))
    shown = panel.shown_values()
    assert number(shown["a₂⁽¹⁾"]) == pytest.approx(a1[1], rel=1e-9)
    assert number(shown["w₁₂⁽²⁾ a₂⁽¹⁾"]) == pytest.approx(0.45 * a1[1], rel=1e-9)
    assert "δ₁⁽²⁾" not in shown and "∂J/∂w₁₂⁽²⁾" not in shown
    assert "δ₁⁽²⁾" in shown[PENDING]

    document.set_stage(document.stepper.index_of("delta", 2))
    shown = panel.shown_values()
    assert number(shown["δ₁⁽²⁾"]) == pytest.approx(delta2[0], rel=1e-9)
    assert "∂J/∂w₁₂⁽²⁾" not in shown

    document.run_to_end()
    shown = panel.shown_values()
    grad = delta2[0] * a1[1]
    assert number(shown["∂J/∂w₁₂⁽²⁾"]) == pytest.approx(grad, rel=1e-9)
    assert number(shown["new w₁₂⁽²⁾"]) == pytest.approx(0.45 - ETA * grad, rel=1e-9)
    assert PENDING not in shown


def test_hidden_neuron_shows_every_backward_number(panel, document):
    z1, a1, _, _, _, e1, delta1 = hand_pass()
    document.select(Selection.neuron(1, 1))
    document.reset_stages()
    assert "z₂⁽¹⁾" not in panel.shown_values()
    document.run_to_end()
    shown = panel.shown_values()
    assert number(shown["z₂⁽¹⁾"]) == pytest.approx(z1[1], rel=1e-9)
    assert number(shown["e₂⁽¹⁾"]) == pytest.approx(e1[1], rel=1e-9)
    assert number(shown["g'(z₂⁽¹⁾)"]) == pytest.approx(a1[1] * (1 - a1[1]), rel=1e-9)
    assert number(shown["δ₂⁽¹⁾"]) == pytest.approx(delta1[1], rel=1e-9)
    assert number(shown["new b₂⁽¹⁾"]) == pytest.approx(0.35 - ETA * delta1[1], rel=1e-9)


def test_output_neuron_shows_target_and_loss_and_has_no_bias_editor(panel, document):
    _, _, _, a2, _, _, _ = hand_pass()
    document.select(Selection.neuron(2, 1))
    document.run_to_end()
    shown = panel.shown_values()
    assert panel.editor_box.isHidden()
    assert shown["bias"] == "none"
    assert number(shown["y₂"]) == 0.99
    assert number(shown["e₂⁽²⁾"]) == pytest.approx(a2[1] - 0.99, rel=1e-9)
    loss = 0.5 * ((a2[0] - 0.01) ** 2 + (a2[1] - 0.99) ** 2)
    assert number(shown["J (this sample)"]) == pytest.approx(loss, rel=1e-9)


def test_typing_a_bias_applies_it(qtbot, panel, document):
    document.select(Selection.neuron(1, 1))
    assert panel.shown_values()["b₂⁽¹⁾"] == "0.35"
    type_value(qtbot, panel, "-1.5")
    assert document.network.layer(1).bias[1] == -1.5
    z1, *_ = hand_pass(b1=(0.35, -1.5))
    document.run_to_end()
    assert number(panel.shown_values()["z₂⁽¹⁾"]) == pytest.approx(z1[1], rel=1e-9)
    document.undo_stack.undo()
    assert panel.shown_values()["b₂⁽¹⁾"] == "0.35"


def test_input_neuron_shows_its_value(panel, document):
    document.select(Selection.neuron(0, 1))
    shown = panel.shown_values()
    assert shown["selection"] == "Neuron 2 of layer 0 (input)"
    assert number(shown["a₂⁽⁰⁾"]) == 0.10
    assert panel.editor_box.isHidden()


def test_remove_this_neuron_deletes_its_row_and_column_and_undo_restores(qtbot, panel, document):
    document.select(Selection.neuron(1, 0))  # hidden neuron 1, picked on the graph
    assert panel.remove_button.isVisible() and panel.add_button.isVisible()
    qtbot.mouseClick(panel.remove_button, Qt.LeftButton)
    net = document.network
    assert net.sizes == [2, 1, 2]
    # Row 1 of W1 and b1 go (its incoming weights), and column 1 of W2 (its outgoing ones).
    assert net.layer(1).weights.tolist() == [[0.25, 0.30]] and net.layer(1).bias.tolist() == [0.35]
    assert net.layer(2).weights.tolist() == [[0.45], [0.55]]
    # The pass now runs through the remaining neuron: ŷ₁ = σ(0.45 σ(0.25·0.05 + 0.3·0.1 + 0.35)).
    a1 = sig(0.25 * X[0] + 0.30 * X[1] + 0.35)
    assert document.trace.activations[2][0] == pytest.approx(sig(0.45 * a1), rel=1e-12)
    assert document.undo_stack.count() == 1 and not panel.message.isVisible()
    document.undo_stack.undo()
    assert document.network.sizes == [2, 2, 2]
    assert document.network.layer(2).weights.tolist() == [list(row) for row in W2]


def test_remove_is_offered_only_where_a_neuron_can_go(qtbot, panel, document):
    document.select(Selection.neuron(0, 1))  # an input of two: it can go, with column 2 of W1
    assert panel.remove_button.isVisible()
    qtbot.mouseClick(panel.remove_button, Qt.LeftButton)
    assert document.network.sizes == [1, 2, 2]
    assert document.network.layer(1).weights.tolist() == [[0.15], [0.25]]
    document.select(Selection.neuron(0, 0))  # now the only input: no remove button
    assert not panel.remove_button.isVisible() and panel.add_button.isVisible()
    qtbot.mouseClick(panel.add_button, Qt.LeftButton)  # and it can have a sibling again
    assert document.network.sizes == [2, 2, 2] and document.undo_stack.count() == 2
    document.select(Selection.edge(1, 0, 0))  # a weight: no neuron buttons
    assert not panel.neuron_actions.isVisible()
    document.select(NOTHING)
    assert not panel.neuron_actions.isVisible()


def test_removing_the_last_neuron_of_a_hidden_layer_says_why_not(qtbot, panel, document):
    document.select(Selection.neuron(1, 1))
    qtbot.mouseClick(panel.remove_button, Qt.LeftButton)
    assert document.network.sizes == [2, 1, 2]
    document.select(Selection.neuron(1, 0))  # the only hidden neuron: offered, but refused with a reason
    assert panel.remove_button.isVisible()
    qtbot.mouseClick(panel.remove_button, Qt.LeftButton)
    assert document.network.sizes == [2, 1, 2] and document.undo_stack.count() == 1
    assert panel.message.isVisible()
    assert panel.message.text() == "Layer 1 has only one neuron; remove the layer instead"
    qtbot.mouseClick(panel.add_button, Qt.LeftButton)  # adding works and clears the message
    assert document.network.sizes == [2, 2, 2] and not panel.message.isVisible()
    w2 = document.network.layer(2).weights
    assert w2.shape == (2, 2) and w2[:, 0].tolist() == [0.40, 0.50]  # the kept weights are untouched
