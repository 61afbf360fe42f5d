"""The document and its undo commands, with no widgets: every edit is one undo step and signals."""

from __future__ import annotations

import dataclasses
import math

import numpy as np
import pytest

from explorer.document import commands
from explorer.document import structure_edits as structure
from explorer.document.document import Document
from explorer.document.selection import Selection
from explorer.engine.network import Layer, Network
from explorer.files.model import NetworkFile


def sig(v: float) -> float:
    return 1.0 / (1.0 + math.exp(-v))


def lecture_state() -> NetworkFile:
    network = Network(
        [
            Layer(np.array([[0.15, 0.20], [0.25, 0.30]]), np.array([0.35, 0.35]), "sigmoid"),
            Layer(np.array([[0.40, 0.45], [0.50, 0.55]]), None, "sigmoid"),
        ],
        name="lecture",
    )
    return NetworkFile(network, np.array([0.05, 0.10]), np.array([0.01, 0.99]))


@pytest.fixture
def document() -> Document:
    return Document(lecture_state())


def test_set_weight_recomputes_trace_and_undo_restores(document):
    seen = []
    document.trace_changed.connect(lambda: seen.append("trace"))
    commands.edit_weight(document, 1, 0, 1, 0.7)
    # Hand arithmetic: z1^(1) = 0.15*0.05 + 0.7*0.10 + 0.35
    assert document.trace.zs[1][0] == pytest.approx(0.15 * 0.05 + 0.7 * 0.10 + 0.35, abs=1e-15)
    a1 = [sig(0.15 * 0.05 + 0.7 * 0.10 + 0.35), sig(0.25 * 0.05 + 0.30 * 0.10 + 0.35)]
    assert document.trace.zs[2][0] == pytest.approx(0.40 * a1[0] + 0.45 * a1[1], abs=1e-15)
    assert seen == ["trace"]
    assert document.is_modified
    document.undo_stack.undo()
    assert document.network.layer(1).weights[0, 1] == 0.20
    assert document.trace.zs[1][0] == pytest.approx(0.15 * 0.05 + 0.20 * 0.10 + 0.35, abs=1e-15)
    assert not document.is_modified


def test_one_gesture_is_one_undo_step(document):
    gesture = commands.new_gesture()
    for value in (0.41, 0.42, 0.43, 0.44):
        commands.edit_weight(document, 2, 0, 0, value, gesture)
    assert document.undo_stack.count() == 1
    commands.edit_weight(document, 2, 0, 0, 0.5, commands.new_gesture())
    assert document.undo_stack.count() == 2
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert document.network.layer(2).weights[0, 0] == 0.40


def test_separate_edits_without_gesture_do_not_merge(document):
    commands.edit_weight(document, 2, 0, 0, 0.1)
    commands.edit_weight(document, 2, 0, 0, 0.2)
    assert document.undo_stack.count() == 2


def test_bias_edit_and_undo(document):
    commands.edit_bias(document, 1, 1, -0.5)
    assert document.trace.zs[1][1] == pytest.approx(0.25 * 0.05 + 0.30 * 0.10 - 0.5, abs=1e-15)
    document.undo_stack.undo()
    assert document.network.layer(1).bias[1] == 0.35


def test_structure_edits_undo_and_redo_exactly(document):
    before = [layer.weights.copy() for layer in document.network.layers]
    emitted = []
    document.structure_changed.connect(lambda: emitted.append(1))
    structure.add_neuron(document, 1)
    assert document.network.sizes == [2, 3, 2]
    structure.add_layer(document, 2, 4, "tanh")
    assert document.network.sizes == [2, 3, 4, 2]
    structure.set_activation(document, 1, "relu")
    structure.set_bias_enabled(document, 2, True)
    structure.remove_neuron(document, 2, 0)
    assert document.network.sizes == [2, 3, 3, 2]
    assert len(emitted) == 5
    after = document.state.to_dict()
    for _ in range(5):
        document.undo_stack.undo()
    assert document.network.sizes == [2, 2, 2]
    for old, layer in zip(before, document.network.layers):
        assert np.array_equal(old, layer.weights)
    for _ in range(5):
        document.undo_stack.redo()
    assert document.state.to_dict() == after


def test_input_neuron_grows_sample_and_undo_shrinks_it(document):
    structure.add_neuron(document, 0)
    assert document.network.sizes == [3, 2, 2]
    assert list(document.state.sample_x) == [0.05, 0.10, 0.0]
    document.undo_stack.undo()
    assert list(document.state.sample_x) == [0.05, 0.10]


def test_bad_structure_edit_raises_and_changes_nothing(document):
    with pytest.raises(ValueError, match="last layer"):
        structure.set_activation(document, 1, "softmax")
    with pytest.raises(ValueError, match="only one neuron|hidden"):
        structure.remove_layer(document, 2)
    assert document.undo_stack.count() == 0
    assert document.network.sizes == [2, 2, 2]


def test_apply_update_is_w_minus_eta_gradient(document):
    trace = document.trace
    expected = document.network.layer(2).weights - 0.5 * np.outer(trace.deltas[2], trace.activations[1])
    # The gradient of w11^(2) by hand: (a1 - y1) a1 (1 - a1) * h1
    h = [sig(0.3775), sig(0.3925)]
    o1 = sig(0.40 * h[0] + 0.45 * h[1])
    grad = (o1 - 0.01) * o1 * (1 - o1) * h[0]
    structure.apply_update(document)
    assert document.network.layer(2).weights[0, 0] == pytest.approx(0.40 - 0.5 * grad, abs=1e-15)
    assert np.allclose(document.network.layer(2).weights, expected, rtol=0, atol=1e-15)
    document.undo_stack.undo()
    assert document.network.layer(2).weights[0, 0] == 0.40


def test_stage_moves_are_clamped_and_survive_edits(document):
    document.run_to_end()
    last = len(document.stages) - 1
    assert document.stage_index == last
    document.step()
    assert document.stage_index == last
    structure.add_layer(document, 1, 2, "tanh")
    # Three layers have more stages; the window stays on the same step, the update.
    assert len(document.stages) > last + 1
    assert document.stage.kind == "update"
    document.undo_stack.undo()
    assert document.stage_index == len(document.stages) - 1


def test_a_structure_edit_keeps_the_same_step_not_the_same_number(document):
    document.set_stage(document.stepper.index_of("delta", 2))
    structure.add_layer(document, 2, 3, "tanh")  # the old layer 2 is now layer 3
    assert (document.stage.kind, document.stage.layer) == ("delta", 2)
    document.undo_stack.undo()
    assert (document.stage.kind, document.stage.layer) == ("delta", 2)
    commands.edit_weight(document, 1, 0, 0, 0.9)  # same structure: the index simply stays
    assert (document.stage.kind, document.stage.layer) == ("delta", 2)


def test_selection_is_dropped_when_the_item_disappears(document):
    structure.add_neuron(document, 1)
    document.select(Selection.neuron(1, 2))
    assert document.selection == Selection.neuron(1, 2)
    document.undo_stack.undo()
    assert document.selection.is_empty


def test_sample_edit_is_checked(document):
    with pytest.raises(ValueError, match="2 inputs"):
        structure.set_sample(document, [1.0], [0.0, 1.0])
    structure.set_sample(document, [1.0, 2.0], [0.0, 1.0])
    assert document.trace.zs[1][0] == pytest.approx(0.15 + 0.40 + 0.35, abs=1e-15)
    document.undo_stack.undo()
    assert list(document.state.sample_x) == [0.05, 0.10]


def test_removing_an_input_or_output_neuron_removes_its_own_sample_entry(document):
    structure.remove_neuron(document, 0, 0)
    assert list(document.state.sample_x) == [0.10]
    # z^(1) now sees only x2 = 0.10 through the old second column of W^(1).
    assert document.trace.zs[1][0] == pytest.approx(0.20 * 0.10 + 0.35, abs=1e-15)
    structure.remove_neuron(document, 2, 0)
    assert list(document.state.sample_y) == [0.99]
    document.undo_stack.undo()
    document.undo_stack.undo()
    assert list(document.state.sample_x) == [0.05, 0.10]


def test_an_update_that_would_overflow_is_refused_and_changes_nothing(document):
    # Targets far away make ∂J/∂w of order 10, so η = 1e308 steps past the largest float.
    structure.set_sample(document, [1.0, 2.0], [100.0, -100.0])
    huge = document.replaced(training=dataclasses.replace(document.state.training, learning_rate=1e308))
    commands.replace_state(document, huge, "η = 1e308")
    before = [layer.weights.copy() for layer in document.network.layers]
    with pytest.raises(ValueError, match="smaller learning rate"):
        structure.apply_update(document)
    assert document.undo_stack.count() == 2
    for old, layer in zip(before, document.network.layers):
        assert np.array_equal(old, layer.weights)
