"""Seeded weight initialisation: fresh networks, re-drawn weights, and weights for a new neuron.

Scales follow the usual rules so that a signal neither dies nor explodes through the layers:
Xavier/Glorot (uniform on ±sqrt(6 / (n_in + n_out))) for saturating or linear activations, and
He (normal with standard deviation sqrt(2 / n_in)) for the ReLU family, which zeroes half its inputs.
Biases start at zero. The same seed always gives the same weights, bit for bit.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from explorer.engine.activations import get_activation
from explorer.engine.arrays import Array
from explorer.engine.network import Layer, Network

HE_ACTIVATIONS = frozenset({"relu", "leaky_relu"})


def scheme(activation: str) -> str:
    """Return "he" or "xavier", the rule used for a layer with this activation."""
    get_activation(activation)  # an unknown name fails here, with the list of choices
    return "he" if activation in HE_ACTIVATIONS else "xavier"


def _draw(shape: tuple[int, ...], n_out: int, n_in: int, activation: str, rng: np.random.Generator) -> Array:
    # The scale depends on the whole layer's shape even when only one row or column is drawn,
    # so a grown neuron looks like its neighbours.
    if scheme(activation) == "he":
        return rng.normal(0.0, np.sqrt(2.0 / max(n_in, 1)), size=shape)
    bound = np.sqrt(6.0 / max(n_in + n_out, 1))
    return rng.uniform(-bound, bound, size=shape)


def init_weights(n_out: int, n_in: int, activation: str, rng: np.random.Generator) -> Array:
    """Return a fresh (n_out, n_in) weight matrix for a layer with the given activation."""
    return _draw((n_out, n_in), n_out, n_in, activation, rng)


def init_layer(n_out: int, n_in: int, activation: str, rng: np.random.Generator, bias: bool = True) -> Layer:
    """Return a layer of n_out neurons fed by n_in, with seeded weights and zero biases."""
    if n_out < 1 or n_in < 1:
        raise ValueError(f"a layer needs at least one neuron and one input, not {n_out}×{n_in}")
    weights = init_weights(n_out, n_in, activation, rng)
    return Layer(weights, np.zeros(n_out) if bias else None, activation)


def _activations(activation: str | Sequence[str], count: int, output_activation: str | None) -> list[str]:
    if isinstance(activation, str):
        names = [activation] * count
    else:
        names = list(activation)
        if len(names) != count:
            raise ValueError(f"{count} layers need {count} activations, got {len(names)}")
    if output_activation is not None:
        names[-1] = output_activation
    return names


def new_network(
    sizes: Sequence[int],
    activation: str | Sequence[str],
    loss: str = "half_sse",
    output_activation: str | None = None,
    bias: bool = True,
    seed: int = 0,
    name: str = "",
) -> Network:
    """Build a validated network with layer sizes [n_0, ..., n_L] and seeded weights.

    `activation` is one name for every layer or one name per weight layer; `output_activation`,
    when given, replaces the last layer's.
    """
    sizes = [int(n) for n in sizes]
    if len(sizes) < 2:
        raise ValueError("a network needs an input size and at least one layer size")
    names = _activations(activation, len(sizes) - 1, output_activation)
    rng = np.random.default_rng(seed)
    layers = [
        init_layer(n_out, n_in, act, rng, bias) for n_in, n_out, act in zip(sizes[:-1], sizes[1:], names)
    ]
    network = Network(layers, loss, name)
    network.validate()
    return network


def reinitialise(network: Network, seed: int) -> Network:
    """Return a copy with the same shapes, activations, biases present and dtype, but fresh weights."""
    rng = np.random.default_rng(seed)
    dtype = network.dtype
    layers = []
    for layer in network.layers:
        fresh = init_layer(layer.size, layer.input_size, layer.activation, rng, layer.bias is not None)
        bias = None if fresh.bias is None else fresh.bias.astype(dtype)
        layers.append(Layer(fresh.weights.astype(dtype), bias, layer.activation))
    return Network(layers, network.loss, network.name)


def grow_row(n_out: int, n_in: int, activation: str, rng: np.random.Generator) -> Array:
    """Return the incoming weights, shape (n_in,), of a neuron added to a layer.

    (n_out, n_in) is the layer's shape *after* it grows; the row is drawn at that layer's scale.
    """
    return _draw((n_in,), n_out, n_in, activation, rng)


def grow_column(n_out: int, n_in: int, activation: str, rng: np.random.Generator) -> Array:
    """Return the outgoing weights, shape (n_out,), of a neuron added to the layer that feeds this one.

    (n_out, n_in) is the shape of the *next* layer after it gains the input; `activation` is its activation.
    """
    return _draw((n_out,), n_out, n_in, activation, rng)
