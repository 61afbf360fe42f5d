"""Data set and training-settings edits with no widgets: one undo step each, refusals change nothing."""

from __future__ import annotations

import math

import numpy as np
import pytest

from explorer.document import data_edits
from explorer.document.document import Document
from explorer.engine.network import Layer, Network
from explorer.files.model import NetworkFile, TrainingConfig

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([[0.0], [1.0], [1.0], [0.0]])


def lecture_document() -> Document:
    network = Network(
        [
            Layer(np.array([[0.15, 0.20], [0.25, 0.30]]), np.array([0.35, 0.35]), "sigmoid"),
            Layer(np.array([[0.40, 0.45], [0.50, 0.55]]), None, "sigmoid"),
        ],
        name="lecture",
    )
    return Document(NetworkFile(network, np.array([0.05, 0.10]), np.array([0.01, 0.99])))


def xor_document() -> Document:
    network = Network(
        [
            Layer(np.array([[1.0, -1.0], [-1.0, 1.0]]), np.zeros(2), "sigmoid"),
            Layer(np.array([[1.0, 1.0]]), np.zeros(1), "sigmoid"),
        ]
    )
    return Document(NetworkFile(network, np.array([0.0, 1.0]), np.array([1.0])))


def test_set_dataset_is_one_undo_step_and_copies_the_rows():
    doc = xor_document()
    seen = []
    doc.data_changed.connect(lambda: seen.append("data"))
    X = XOR_X.copy()
    data_edits.set_dataset(doc, X, XOR_Y, "Use XOR")
    X[0, 0] = 9.0  # the caller's array is not the document's
    assert doc.state.dataset_x.shape == (4, 2) and doc.state.dataset_y.shape == (4, 1)
    assert doc.state.dataset_x[0, 0] == 0.0
    assert seen == ["data"]
    assert doc.undo_stack.count() == 1 and doc.undo_stack.text(0) == "Use XOR"
    doc.undo_stack.undo()
    assert doc.state.dataset_x is None and doc.state.dataset_y is None
    doc.undo_stack.redo()
    assert np.array_equal(doc.state.dataset_y, XOR_Y)


def test_set_dataset_accepts_a_flat_target_column():
    doc = xor_document()
    data_edits.set_dataset(doc, XOR_X, [0, 1, 1, 0], "Use XOR")
    assert doc.state.dataset_y.shape == (4, 1)


@pytest.mark.parametrize(
    ("X", "Y", "words"),
    [
        (np.ones((4, 3)), np.ones((4, 1)), "spirals has 3 inputs and 1 target; the network takes 2 inputs"),
        (np.ones((4, 2)), np.ones((4, 2)), "spirals has 2 inputs and 2 targets; the network gives 1 output"),
        (np.ones((4, 2)), np.ones((3, 1)), "4 input rows but 3 target rows"),
        (np.ones((0, 2)), np.ones((0, 1)), "no samples"),
        (np.array([[0.0, math.nan]]), np.ones((1, 1)), "not finite"),
    ],
)
def test_set_dataset_refuses_what_does_not_fit_and_changes_nothing(X, Y, words):
    doc = xor_document()
    with pytest.raises(ValueError, match=words):
        data_edits.set_dataset(doc, X, Y, "Use spirals", name="spirals")
    assert doc.state.dataset_x is None
    assert doc.undo_stack.count() == 0


def test_the_same_data_set_again_pushes_nothing():
    doc = xor_document()
    data_edits.set_dataset(doc, XOR_X, XOR_Y, "Use XOR")
    data_edits.set_dataset(doc, XOR_X.copy(), XOR_Y.copy(), "Use XOR")
    assert doc.undo_stack.count() == 1


def test_clear_dataset_is_undoable_and_a_no_op_without_one():
    doc = xor_document()
    data_edits.clear_dataset(doc)
    assert doc.undo_stack.count() == 0
    data_edits.set_dataset(doc, XOR_X, XOR_Y, "Use XOR")
    data_edits.clear_dataset(doc)
    assert doc.state.dataset_x is None
    assert doc.undo_stack.text(1) == "Clear data set"
    doc.undo_stack.undo()
    assert np.array_equal(doc.state.dataset_x, XOR_X)


def test_set_training_changes_the_file_and_the_update_stage_and_undo_restores():
    doc = lecture_document()
    data_edits.set_training(doc, learning_rate=0.1, batch_size=2)
    assert doc.state.training.learning_rate == 0.1
    assert doc.state.training.batch_size == 2
    assert doc.learning_rate == 0.1
    assert doc.state.to_dict()["training"]["learning_rate"] == 0.1  # saved with the file
    assert doc.undo_stack.text(0) == "Training: learning rate 0.1, batch size 2"
    # The update stage uses the new η: w ← w − η ∂J/∂w, with ∂J/∂w^(2)_11 worked by hand.
    h1 = 1 / (1 + math.exp(-(0.15 * 0.05 + 0.20 * 0.10 + 0.35)))
    h2 = 1 / (1 + math.exp(-(0.25 * 0.05 + 0.30 * 0.10 + 0.35)))
    o1 = 1 / (1 + math.exp(-(0.40 * h1 + 0.45 * h2)))
    grad = (o1 - 0.01) * o1 * (1 - o1) * h1
    assert doc.stepper.updated_network().layer(2).weights[0, 0] == pytest.approx(0.40 - 0.1 * grad, rel=1e-12)
    doc.undo_stack.undo()
    assert doc.state.training == TrainingConfig()


def test_set_training_full_batch_and_no_change():
    doc = lecture_document()
    data_edits.set_training(doc, batch_size=8)
    data_edits.set_training(doc, batch_size=None)
    assert doc.state.training.batch_size is None
    assert doc.undo_stack.text(1) == "Training: batch size full"
    data_edits.set_training(doc, learning_rate=doc.state.training.learning_rate)
    assert doc.undo_stack.count() == 2


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"learning_rate": 0.0}, "learning rate must be a positive number"),
        ({"learning_rate": math.inf}, "learning rate"),
        ({"momentum": 1.0}, "momentum must be at least 0 and below 1"),
        ({"batch_size": 0}, "batch size must be from 1"),
        ({"batch_size": 2.5}, "batch size must be a whole number"),
        ({"epochs": -1}, "number of epochs must be from 0"),
        ({"seed": -3}, "seed must be from 0"),
        ({"validation_fraction": 1.0}, "validation fraction must be at least 0 and below 1"),
        ({"speed": 3}, "no training setting 'speed'"),
        ({"learning_rate": "fast"}, "learning rate must be a number"),
    ],
)
def test_set_training_refuses_bad_values_and_changes_nothing(changes, words):
    doc = lecture_document()
    with pytest.raises(ValueError, match=words):
        data_edits.set_training(doc, **changes)
    assert doc.state.training == TrainingConfig()
    assert doc.undo_stack.count() == 0


def test_reset_weights_draws_xavier_weights_from_the_seed_and_undo_restores():
    doc = lecture_document()
    before = [layer.weights.copy() for layer in doc.network.layers]
    data_edits.reset_weights(doc, 7)
    # Independent draw: Glorot uniform on ±sqrt(6 / (n_in + n_out)), layer by layer from one generator.
    rng = np.random.default_rng(7)
    bound = math.sqrt(6 / 4)
    expected = [rng.uniform(-bound, bound, (2, 2)), rng.uniform(-bound, bound, (2, 2))]
    for layer, weights in zip(doc.network.layers, expected):
        assert np.array_equal(layer.weights, weights)
    assert np.array_equal(doc.network.layer(1).bias, np.zeros(2))
    assert doc.network.layer(2).bias is None  # the structure is kept
    assert doc.undo_stack.text(0) == "Reset weights (seed 7)"
    doc.undo_stack.undo()
    for layer, weights in zip(doc.network.layers, before):
        assert np.array_equal(layer.weights, weights)
    assert np.array_equal(doc.network.layer(1).bias, [0.35, 0.35])


def test_reset_weights_refuses_a_negative_seed():
    doc = lecture_document()
    with pytest.raises(ValueError, match="seed"):
        data_edits.reset_weights(doc, -1)
    assert doc.undo_stack.count() == 0
