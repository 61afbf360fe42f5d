"""Initialisation: scales, seeds, shapes, and growing a neuron."""

import math

import numpy as np
import pytest

from explorer.engine.edit import add_neuron
from explorer.engine.init import (
    grow_column,
    grow_row,
    init_layer,
    init_weights,
    new_network,
    reinitialise,
    scheme,
)


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "linear", "softmax", "step", "sign", "softplus"])
def test_xavier_uniform_bounds_and_spread(activation):
    n_out, n_in = 200, 300
    weights = init_weights(n_out, n_in, activation, np.random.default_rng(0))
    bound = math.sqrt(6 / (n_in + n_out))
    assert weights.shape == (n_out, n_in) and scheme(activation) == "xavier"
    assert np.abs(weights).max() <= bound and np.abs(weights).max() > 0.99 * bound
    # A uniform on ±b has standard deviation b/√3 and mean 0.
    assert weights.std() == pytest.approx(bound / math.sqrt(3), rel=0.02)
    assert abs(weights.mean()) < 0.01 * bound


@pytest.mark.parametrize("activation", ["relu", "leaky_relu"])
def test_he_normal_spread(activation):
    n_out, n_in = 300, 400
    weights = init_weights(n_out, n_in, activation, np.random.default_rng(1))
    assert scheme(activation) == "he"
    assert weights.std() == pytest.approx(math.sqrt(2 / n_in), rel=0.02)
    assert abs(weights.mean()) < 0.01 * math.sqrt(2 / n_in)
    assert (weights < 0).any() and (weights > 0).any()


def test_layer_biases_start_at_zero_or_are_absent():
    layer = init_layer(3, 2, "tanh", np.random.default_rng(0))
    assert layer.weights.shape == (3, 2) and layer.activation == "tanh"
    np.testing.assert_array_equal(layer.bias, np.zeros(3))
    assert init_layer(3, 2, "tanh", np.random.default_rng(0), bias=False).bias is None
    with pytest.raises(ValueError, match="at least one neuron"):
        init_layer(0, 2, "tanh", np.random.default_rng(0))
    with pytest.raises(KeyError, match="unknown activation"):
        init_layer(2, 2, "swish", np.random.default_rng(0))


def test_new_network_shapes_activations_and_loss():
    network = new_network(
        [2, 4, 3, 2],
        ["relu", "tanh", "linear"],
        output_activation="softmax",
        loss="cross_entropy",
        seed=3,
        name="demo",
    )
    assert network.sizes == [2, 4, 3, 2] and network.name == "demo" and network.loss == "cross_entropy"
    assert [layer.activation for layer in network.layers] == ["relu", "tanh", "softmax"]
    assert all(layer.bias is not None for layer in network.layers)
    plain = new_network([3, 1], "sigmoid", bias=False)
    assert plain.layers[0].bias is None and plain.layers[0].weights.shape == (1, 3)


def test_new_network_refuses_bad_shapes():
    with pytest.raises(ValueError, match="2 layers need 2 activations"):
        new_network([2, 3, 1], ["tanh"])
    with pytest.raises(ValueError, match="input size and at least one layer"):
        new_network([2], "tanh")
    with pytest.raises(ValueError, match="last layer only"):
        new_network([2, 3, 2], "softmax")


def weights_of(network):
    return [layer.weights for layer in network.layers]


def test_same_seed_gives_the_same_weights_bit_for_bit():
    a = new_network([2, 5, 5, 1], "relu", output_activation="sigmoid", seed=7)
    b = new_network([2, 5, 5, 1], "relu", output_activation="sigmoid", seed=7)
    c = new_network([2, 5, 5, 1], "relu", output_activation="sigmoid", seed=8)
    for wa, wb, wc in zip(weights_of(a), weights_of(b), weights_of(c)):
        assert wa.tobytes() == wb.tobytes()
        assert not np.array_equal(wa, wc)


def test_reinitialise_keeps_structure_and_draws_fresh_weights():
    original = new_network([3, 4, 2], ["tanh", "sigmoid"], seed=0, name="n").astype(np.float32)
    original.layers[1].bias = None
    again = reinitialise(original, seed=5)
    assert again.sizes == original.sizes and again.name == "n" and again.loss == original.loss
    assert [layer.activation for layer in again.layers] == ["tanh", "sigmoid"]
    assert again.layers[0].bias is not None and again.layers[1].bias is None
    assert all(layer.weights.dtype == np.float32 for layer in again.layers)
    assert not np.array_equal(again.layers[0].weights, original.layers[0].weights)
    twice = reinitialise(original, seed=5)
    for wa, wb in zip(weights_of(again), weights_of(twice)):
        assert wa.tobytes() == wb.tobytes()
    # Reinitialising with seed s draws what a fresh network with seed s draws.
    fresh = new_network([3, 4, 2], ["tanh", "sigmoid"], seed=5)
    for wa, wb in zip(weights_of(again), weights_of(fresh)):
        np.testing.assert_array_equal(wa, wb.astype(np.float32))


def test_grown_row_and_column_have_the_grown_layer_scale():
    rng = np.random.default_rng(0)
    row = grow_row(401, 600, "tanh", rng)
    column = grow_column(500, 801, "relu", rng)
    assert row.shape == (600,) and column.shape == (500,)
    assert np.abs(row).max() <= math.sqrt(6 / (600 + 401))
    assert row.std() == pytest.approx(math.sqrt(6 / 1001) / math.sqrt(3), rel=0.1)
    assert column.std() == pytest.approx(math.sqrt(2 / 801), rel=0.1)


def test_added_neuron_keeps_old_weights_and_adds_a_row_and_a_column():
    network = new_network([2, 3, 1], "tanh", output_activation="sigmoid", seed=1)
    network.layers[0].bias[:] = [0.1, 0.2, 0.3]
    grown = add_neuron(network, 1, seed=9)
    assert grown.sizes == [2, 4, 1] and network.sizes == [2, 3, 1]
    first, second = grown.layers
    np.testing.assert_array_equal(first.weights[:3], network.layers[0].weights)
    np.testing.assert_array_equal(first.bias, [0.1, 0.2, 0.3, 0.0])
    np.testing.assert_array_equal(second.weights[:, :3], network.layers[1].weights)
    assert np.all(first.weights[3] != 0) and second.weights[0, 3] != 0
    grown.validate()
    again = add_neuron(network, 1, seed=9)
    np.testing.assert_array_equal(again.layers[1].weights, second.weights)
    # The output layer grows too (a new row only), and the input layer (a new column only).
    assert add_neuron(network, 2, seed=0).sizes == [2, 3, 2]
    assert add_neuron(network, 0, seed=0).sizes == [3, 3, 1]
