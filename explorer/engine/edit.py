"""Structure edits as pure functions: each returns a new Network and leaves its argument alone.

New weights are seeded-random, drawn by init.py so that the same edit with the same seed gives the same
network; removing a neuron removes its row in its own layer and its column in the next layer. Every
existing weight whose place still exists is kept (the numbers a class has been working with): when a
layer is added or removed, the layer after it keeps w_ij for every i, j it still has, and only the
weights of new places are drawn.
"""

from __future__ import annotations

import numpy as np

from explorer.engine.activations import get_activation
from explorer.engine.init import grow_column, grow_row, init_weights
from explorer.engine.network import Layer, Network


def add_neuron(network: Network, layer: int, seed: int = 0) -> Network:
    """Return a copy with one more neuron at the end of layer `layer` (0 = input, L = output)."""
    new = network.copy()
    rng = np.random.default_rng(seed)
    dtype = network.dtype
    if layer >= 1:
        target = new.layers[layer - 1]
        row = grow_row(target.size + 1, target.input_size, target.activation, rng)
        target.weights = np.vstack([target.weights, row.astype(dtype)[None, :]])
        if target.bias is not None:
            target.bias = np.append(target.bias, dtype.type(0))
    if layer < new.num_layers:
        following = new.layers[layer]
        column = grow_column(following.size, following.input_size + 1, following.activation, rng)
        following.weights = np.hstack([following.weights, column.astype(dtype)[:, None]])
    return new


def remove_neuron(network: Network, layer: int, index: int) -> Network:
    """Return a copy without neuron `index` of layer `layer`; a layer keeps at least one neuron."""
    sizes = network.sizes
    if sizes[layer] <= 1:
        raise ValueError(f"layer {layer} has only one neuron; remove the layer instead")
    new = network.copy()
    if layer >= 1:
        target = new.layers[layer - 1]
        target.weights = np.delete(target.weights, index, axis=0)
        if target.bias is not None:
            target.bias = np.delete(target.bias, index)
    if layer < new.num_layers:
        following = new.layers[layer]
        following.weights = np.delete(following.weights, index, axis=1)
    return new


def add_layer(network: Network, position: int, size: int, activation: str, seed: int = 0) -> Network:
    """Return a copy with a new hidden layer of `size` neurons inserted as layer `position` (1..L)."""
    if not 1 <= position <= network.num_layers:
        raise ValueError(f"a new hidden layer goes at position 1..{network.num_layers}")
    if get_activation(activation).last_layer_only:
        raise ValueError(f"{activation} is allowed in the last layer only")
    rng = np.random.default_rng(seed)
    dtype = network.dtype
    sizes = network.sizes
    n_in = sizes[position - 1]
    new = network.copy()
    has_bias = new.layers[position - 1].bias is not None
    weights = init_weights(size, n_in, activation, rng).astype(dtype)
    layer = Layer(weights, np.zeros(size, dtype) if has_bias else None, activation)
    following = new.layers[position - 1]
    fresh = init_weights(following.size, size, following.activation, rng).astype(dtype)
    following.weights = _kept(following.weights, fresh)
    new.layers.insert(position - 1, layer)
    return new


def remove_layer(network: Network, layer: int, seed: int = 0) -> Network:
    """Return a copy without hidden layer `layer`; the next layer keeps its weights from the neurons
    that are still there (by index) and gets fresh ones for the others."""
    if not 1 <= layer < network.num_layers:
        raise ValueError("only a hidden layer can be removed")
    rng = np.random.default_rng(seed)
    new = network.copy()
    removed = new.layers.pop(layer - 1)
    following = new.layers[layer - 1]
    n_in = removed.input_size
    fresh = init_weights(following.size, n_in, following.activation, rng).astype(network.dtype)
    following.weights = _kept(following.weights, fresh)
    return new


def sharing_copy(network: Network) -> Network:
    """Return a new Network of new Layers around the same weight and bias arrays."""
    layers = [Layer(layer.weights, layer.bias, layer.activation) for layer in network.layers]
    return Network(layers, network.loss, network.name)


def _kept(old: np.ndarray, fresh: np.ndarray) -> np.ndarray:
    """Return `fresh` with every place (i, j) that `old` also has holding `old`'s weight."""
    rows, columns = min(old.shape[0], fresh.shape[0]), min(old.shape[1], fresh.shape[1])
    result: np.ndarray = fresh.copy()
    result[:rows, :columns] = old[:rows, :columns]
    return result


def set_activation(network: Network, layer: int, activation: str) -> Network:
    """Return a copy whose layer `layer` uses `activation`; raise ValueError if it does not fit.

    The copy shares the weight and bias arrays with `network` (nothing in them changes): write
    into neither in place.
    """
    new = sharing_copy(network)
    new.layers[layer - 1].activation = activation
    new.validate()
    return new


def set_bias_enabled(network: Network, layer: int, enabled: bool) -> Network:
    """Return a copy with layer `layer`'s bias switched on (zeros) or off; other arrays are shared."""
    new = sharing_copy(network)
    target = new.layers[layer - 1]
    if enabled and target.bias is None:
        target.bias = np.zeros(target.size, network.dtype)
    elif not enabled:
        target.bias = None
    return new
