"""Structure edits keep the numbers the class knows: only weights of new places are drawn."""

from __future__ import annotations

import numpy as np

from explorer.app.startup import open_state
from explorer.document import structure_edits as structure
from explorer.document.document import Document
from explorer.engine import edit


def lecture() -> Document:
    return Document(open_state(None))


def test_adding_and_removing_a_neuron_keeps_every_other_weight():
    document = lecture()
    old = document.network.copy()
    structure.add_neuron(document, 1)
    new = document.network
    assert np.array_equal(new.layer(1).weights[:2], old.layer(1).weights)
    assert np.array_equal(new.layer(2).weights[:, :2], old.layer(2).weights)
    structure.remove_neuron(document, 1, 2)
    assert np.array_equal(document.network.layer(1).weights, old.layer(1).weights)
    assert np.array_equal(document.network.layer(2).weights, old.layer(2).weights)


def test_adding_a_layer_keeps_the_weights_of_the_layers_around_it():
    network = lecture().network
    grown = edit.add_layer(network, 2, 3, "tanh", seed=1)
    assert grown.sizes == [2, 2, 3, 2]
    assert np.array_equal(grown.layer(1).weights, network.layer(1).weights)  # before it: untouched
    # The old layer 2 is now layer 3, from 3 neurons instead of 2: its w_ij for j = 1, 2 are kept.
    assert np.array_equal(grown.layer(4 - 1).weights[:, :2], network.layer(2).weights)
    assert np.isfinite(grown.layer(3).weights[:, 2]).all()


def test_removing_a_layer_keeps_the_weights_whose_place_is_still_there():
    network = edit.add_layer(lecture().network, 2, 3, "tanh", seed=1)
    shrunk = edit.remove_layer(network, 2, seed=2)
    assert shrunk.sizes == [2, 2, 2]
    assert np.array_equal(shrunk.layer(1).weights, network.layer(1).weights)
    assert np.array_equal(shrunk.layer(2).weights, network.layer(3).weights[:, :2])


def test_removing_then_adding_a_layer_in_a_document_keeps_the_lecture_weights():
    document = lecture()
    old = document.network.copy()
    structure.add_layer(document, 2, 2, "sigmoid")
    structure.remove_layer(document, 2)
    assert np.array_equal(document.network.layer(1).weights, old.layer(1).weights)
    assert np.array_equal(document.network.layer(2).weights, old.layer(2).weights)
