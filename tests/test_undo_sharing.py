"""Undo snapshots share arrays read-only instead of copying the whole file per structure edit."""

from __future__ import annotations

import tracemalloc

import numpy as np

from explorer.document import commands, structure_edits
from explorer.document.document import UNDO_LIMIT, Document
from explorer.engine.network import Layer, Network
from explorer.files.model import NetworkFile


def big_document(rows: int = 2000) -> Document:
    rng = np.random.default_rng(0)
    layers = [
        Layer(rng.normal(size=(64, 196)), np.zeros(64), "sigmoid"),
        Layer(rng.normal(size=(10, 64)), np.zeros(10), "sigmoid"),
    ]
    X = rng.random((rows, 196))
    Y = np.eye(10)[rng.integers(0, 10, rows)]
    return Document(NetworkFile(Network(layers, "half_sse"), dataset_x=X, dataset_y=Y))


def test_structure_edits_share_the_data_set_and_unchanged_weights(qtbot):
    document = big_document()
    dataset = document.state.dataset_x
    structure_edits.set_activation(document, 1, "tanh")
    command = document.undo_stack.command(0)
    assert command.old.dataset_x is dataset and command.new.dataset_x is dataset
    assert document.state.dataset_x is dataset
    assert not dataset.flags.writeable  # shared, so read-only
    assert command.old.network.layer(1).weights is command.new.network.layer(1).weights
    assert command.old.network.layer(1).activation == "sigmoid"


def test_a_weight_edit_after_sharing_copies_first_and_undo_restores(qtbot):
    document = big_document(10)
    structure_edits.set_activation(document, 1, "tanh")
    shared = document.network.layer(1).weights
    before = float(shared[0, 0])
    commands.edit_weight(document, 1, 0, 0, 123.0)
    assert document.network.layer(1).weights[0, 0] == 123.0
    assert shared[0, 0] == before  # the snapshot's array was not written
    document.undo()
    assert document.network.layer(1).weights[0, 0] == before
    document.undo()
    assert document.network.layer(1).activation == "sigmoid"
    document.redo()
    document.redo()
    assert document.network.layer(1).weights[0, 0] == 123.0


def test_ten_structure_edits_cost_a_small_part_of_the_file():
    document = big_document()
    state = document.state
    once = state.dataset_x.nbytes + state.dataset_y.nbytes
    once += sum(layer.weights.nbytes + layer.bias.nbytes for layer in state.network.layers)
    tracemalloc.start()
    start = tracemalloc.get_traced_memory()[0]
    for i in range(10):
        structure_edits.set_activation(document, 1, "tanh" if i % 2 == 0 else "sigmoid")
    grown = tracemalloc.get_traced_memory()[0] - start
    tracemalloc.stop()
    assert grown < once / 4, (grown, once)


def test_the_undo_stack_is_limited_and_the_history_panel_says_so(qtbot):
    from explorer.views.panels.undo_history import UndoHistory

    document = big_document(5)
    assert document.undo_stack.undoLimit() == UNDO_LIMIT
    for i in range(UNDO_LIMIT + 20):
        commands.edit_weight(document, 1, 0, 0, float(i))
    assert document.undo_stack.count() == UNDO_LIMIT
    panel = UndoHistory(document)
    qtbot.addWidget(panel)
    assert str(UNDO_LIMIT) in panel.emptyLabel() and str(UNDO_LIMIT) in panel.toolTip()
