"""Undoable structure edits on a document: each builds the new state and pushes one ReplaceState.

They raise ValueError with a message for the user when an edit does not fit (the caller shows it);
nothing changes then. The sample grows or shrinks with the input and output layers (new entries 0).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from explorer.document.commands import replace_state
from explorer.document.document import Document
from explorer.engine import edit
from explorer.engine.losses import target_range_problem
from explorer.engine.network import Network
from explorer.files.model import MAX_LAYERS, MAX_NEURONS, NetworkFile


def _seed(document: Document) -> int:
    # A fresh but reproducible seed per edit: the undo stack's position.
    return int(document.state.training.seed) * 1000 + document.undo_stack.index()


def _sample(state: NetworkFile) -> tuple[np.ndarray, np.ndarray]:
    # NetworkFile fills in a sample left out (from the data set, else zeros): never None here.
    assert state.sample_x is not None and state.sample_y is not None
    return state.sample_x, state.sample_y


def _resized(values: np.ndarray, size: int) -> np.ndarray:
    out = np.zeros(size, dtype=float)
    keep = min(size, len(values))
    out[:keep] = values[:keep]
    return out


def _push_network(
    document: Document, network: Network, text: str, removed: tuple[int, int] | None = None
) -> None:
    """Push the new network; `removed` = (layer, index) of a deleted neuron, whose sample entry goes too."""
    network.validate()
    state = document.state
    sizes = network.sizes
    changes: dict[str, Any] = {"network": network}
    old_x, old_y = _sample(state)
    sample_x, sample_y = old_x, old_y
    if removed is not None and removed[0] == 0:
        sample_x = np.delete(sample_x, removed[1])
    if removed is not None and removed[0] == len(sizes) - 1:
        sample_y = np.delete(sample_y, removed[1])
    if sizes[0] != len(old_x) or sizes[-1] != len(old_y):
        dataset_x, dataset_y = state.dataset_x, state.dataset_y  # both arrays or both None
        if (
            dataset_x is not None
            and dataset_y is not None
            and (sizes[0] != dataset_x.shape[1] or sizes[-1] != dataset_y.shape[1])
        ):
            raise ValueError(
                f"the data set has {dataset_x.shape[1]} inputs and {dataset_y.shape[1]} "
                "targets; the input and output layers must keep those sizes while it is loaded"
            )
        changes["sample_x"] = _resized(sample_x, sizes[0])
        changes["sample_y"] = _resized(sample_y, sizes[-1])
    replace_state(document, document.replaced(**changes), text)


def add_neuron(document: Document, layer: int) -> None:
    """Add a neuron at the end of layer `layer` (0 = input)."""
    network = edit.add_neuron(document.network, layer, _seed(document))
    _push_network(document, network, f"Add neuron to layer {layer}")


def remove_neuron(document: Document, layer: int, index: int | None = None) -> None:
    """Remove neuron `index` (default: the last) of layer `layer`."""
    if index is None:
        index = document.network.sizes[layer] - 1
    network = edit.remove_neuron(document.network, layer, index)
    _push_network(document, network, f"Remove neuron {index + 1} of layer {layer}", (layer, index))


def add_layer(document: Document, position: int, size: int, activation: str) -> None:
    """Insert a hidden layer of `size` neurons as layer `position`; ValueError beyond the caps."""
    if document.network.num_layers >= MAX_LAYERS:
        raise ValueError(f"a network has at most {MAX_LAYERS} layers (the file format's limit)")
    if size > MAX_NEURONS:
        raise ValueError(f"a layer has at most {MAX_NEURONS:,} neurons (the file format's limit)")
    network = edit.add_layer(document.network, position, size, activation, _seed(document))
    _push_network(document, network, f"Add layer {position} ({size} {activation})")


def remove_layer(document: Document, layer: int) -> None:
    """Remove hidden layer `layer`."""
    network = edit.remove_layer(document.network, layer, _seed(document))
    _push_network(document, network, f"Remove layer {layer}")


def set_activation(document: Document, layer: int, activation: str) -> None:
    """Change the activation of layer `layer`."""
    if document.network.layer(layer).activation == activation:
        return
    network = edit.set_activation(document.network, layer, activation)
    _push_network(document, network, f"Layer {layer} activation: {activation}")


def set_bias_enabled(document: Document, layer: int, enabled: bool) -> None:
    """Switch the bias of layer `layer` on (zeros) or off."""
    if (document.network.layer(layer).bias is not None) == enabled:
        return
    network = edit.set_bias_enabled(document.network, layer, enabled)
    _push_network(document, network, f"Layer {layer} bias {'on' if enabled else 'off'}")


def set_loss(document: Document, loss: str) -> None:
    """Change the loss."""
    if document.network.loss == loss:
        return
    state = document.state
    for name, targets in (("data set", state.dataset_y), ("sample", state.sample_y)):
        problem = None if targets is None else target_range_problem(loss, targets)
        if problem:
            raise ValueError(f"cannot switch to {loss}: {name} {problem}")
    network = edit.sharing_copy(document.network)  # the arrays are shared read-only with undo
    network.loss = loss
    _push_network(document, network, f"Loss: {loss}")


def set_sample(document: Document, x: npt.ArrayLike, y: npt.ArrayLike) -> None:
    """Replace the sample that the step-through uses."""
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    sizes = document.network.sizes
    if x.shape != (sizes[0],) or y.shape != (sizes[-1],):
        raise ValueError(f"the sample needs {sizes[0]} inputs and {sizes[-1]} targets")
    if not (np.all(np.isfinite(x)) and np.all(np.isfinite(y))):
        raise ValueError("the sample must be finite numbers")
    problem = target_range_problem(document.network.loss, y)
    if problem:
        raise ValueError("sample y: " + problem.split(", ", 1)[1])
    sample_x, sample_y = _sample(document.state)
    if np.array_equal(x, sample_x) and np.array_equal(y, sample_y):
        return
    replace_state(document, document.replaced(sample_x=x, sample_y=y), "Change sample")


def apply_update(document: Document) -> None:
    """Apply the update stage's step W ← W − η ∂J/∂W as one undoable edit.

    A step that would make a weight or bias inf or NaN is refused (ValueError), as training does.
    """
    with np.errstate(all="ignore"):
        network = document.stepper.updated_network()
    finite = all(
        np.all(np.isfinite(layer.weights)) and (layer.bias is None or np.all(np.isfinite(layer.bias)))
        for layer in network.layers
    )
    if not finite:
        raise ValueError(
            f"the update with η = {document.learning_rate:g} would make weights infinite or NaN; "
            "try a smaller learning rate"
        )
    replace_state(
        document, document.replaced(network=network), f"Apply update (η = {document.learning_rate:g})"
    )


def set_network(document: Document, network: Network, text: str) -> None:
    """Replace the network (e.g. after training or re-initialisation) as one undoable edit."""
    _push_network(document, network, text)
