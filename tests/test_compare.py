"""Comparing hidden activations: shapes, what switches, the starting loss by hand, vanishing gradients."""

from __future__ import annotations

import math

import numpy as np
import pytest

from explorer.engine import init
from explorer.engine.compare import ActivationComparison, compare_activations, with_hidden_activation
from explorer.engine.network import Layer, Network
from explorer.engine.training import TrainingSettings


def chain(depth: int = 10, weight: float = 1.0, bias: float = 0.5) -> Network:
    """Return `depth` sigmoid layers of one neuron, every weight `weight` and bias `bias`."""
    return Network([Layer(np.array([[weight]]), np.array([bias]), "sigmoid") for _ in range(depth)])


def chain_data() -> tuple[np.ndarray, np.ndarray]:
    x = np.linspace(0.0, 1.0, 8)[:, None]
    return x, 0.5 + 0.3 * x


def test_histories_have_one_row_per_epoch_and_one_column_per_layer():
    network = init.new_network([2, 5, 4, 1], "sigmoid", seed=3)
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = np.array([[0.0], [1.0], [1.0], [0.0]])
    histories = compare_activations(network, X, Y, TrainingSettings(learning_rate=0.5), epochs=30)
    assert list(histories) == ["sigmoid", "tanh", "relu"]
    for history in histories.values():
        assert history.loss.shape == (30,)
        assert history.delta_norms.shape == (30, 3)
        assert history.grad_norms.shape == (30, 3)
        assert np.all(np.isfinite(history.grad_norms))


def test_hidden_layers_switch_and_the_output_layer_keeps_its_activation():
    network = init.new_network([2, 3, 3, 2], "tanh", output_activation="softmax", loss="cross_entropy")
    copy = with_hidden_activation(network, "relu")
    assert [layer.activation for layer in copy.layers] == ["relu", "relu", "softmax"]
    assert [layer.activation for layer in network.layers] == ["tanh", "tanh", "softmax"]
    comparison = ActivationComparison(network, np.ones((3, 2)), np.tile([1.0, 0.0], (3, 1)), epochs=2)
    for name, trainer in comparison.trainers.items():
        assert [layer.activation for layer in trainer.network.layers] == [name, name, "softmax"]
        assert trainer.network.sizes == network.sizes


def test_reinitialised_copies_start_from_the_seeded_weights_and_keep_copies_from_the_network():
    network = init.new_network([1, 3, 1], "sigmoid", seed=9)
    X, Y = chain_data()
    fresh = ActivationComparison(network, X, Y, epochs=1, seed=4)
    kept = ActivationComparison(network, X, Y, epochs=1, seed=4, start="keep")
    for name in ("sigmoid", "relu"):
        again = init.reinitialise(with_hidden_activation(network, name), 4)
        for layer, expected in zip(fresh.trainers[name].network.layers, again.layers):
            assert np.array_equal(layer.weights, expected.weights)
        for layer, original in zip(kept.trainers[name].network.layers, network.layers):
            assert np.array_equal(layer.weights, original.weights)


def test_the_first_epoch_loss_of_a_kept_start_matches_a_hand_forward_pass():
    # 1-1-1: hidden weight 0.7, bias 0.1; output weight −0.4, bias 0.2, sigmoid output; J = ½(ŷ − y)².
    network = Network(
        [
            Layer(np.array([[0.7]]), np.array([0.1]), "sigmoid"),
            Layer(np.array([[-0.4]]), np.array([0.2]), "sigmoid"),
        ]
    )
    X = np.array([[-1.0], [0.5], [2.0]])
    Y = np.array([[0.3], [0.6], [0.9]])
    hidden = {"sigmoid": lambda z: 1 / (1 + math.exp(-z)), "tanh": math.tanh, "relu": lambda z: max(z, 0.0)}
    settings = TrainingSettings(learning_rate=0.1)
    histories = compare_activations(network, X, Y, settings, epochs=3, start="keep")
    for name, g in hidden.items():
        losses = []
        for (x,), (y,) in zip(X, Y):
            y_hat = 1 / (1 + math.exp(-(-0.4 * g(0.7 * x + 0.1) + 0.2)))
            losses.append(0.5 * (y_hat - y) ** 2)
        assert histories[name].loss[0] == pytest.approx(sum(losses) / 3, rel=1e-12)


def test_sigmoid_gradient_vanishes_towards_the_input_of_a_deep_chain_while_relu_keeps_it():
    X, Y = chain_data()
    settings = TrainingSettings(learning_rate=0.1)
    histories = compare_activations(chain(), X, Y, settings, epochs=5, start="keep")
    sigmoid, relu = histories["sigmoid"].grad_norms[0], histories["relu"].grad_norms[0]
    assert sigmoid[0] < 1e-4 * relu[0]
    assert sigmoid[0] < 1e-4 * sigmoid[-1]  # the fall along the chain, not just a smaller scale
    assert relu[0] > 1e-2 * relu[-1]


def test_with_fresh_weights_a_deep_wide_sigmoid_net_loses_orders_more_gradient_than_relu():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, (32, 4))
    Y = (X[:, :1] * X[:, 1:2] > 0).astype(float)
    network = init.new_network([4] + [16] * 8 + [1], "sigmoid", seed=1)
    histories = compare_activations(network, X, Y, TrainingSettings(learning_rate=0.1), epochs=2)
    fall = {name: h.grad_norms[0, 0] / h.grad_norms[0, -1] for name, h in histories.items()}
    assert fall["sigmoid"] < 1e-4 * fall["relu"]
    assert fall["sigmoid"] < 1e-4 * fall["tanh"]


def test_slices_give_the_same_histories_as_one_run():
    X, Y = chain_data()
    settings = TrainingSettings(learning_rate=0.5)
    whole = compare_activations(chain(4), X, Y, settings, epochs=25, start="keep")
    comparison = ActivationComparison(chain(4), X, Y, settings, epochs=25, start="keep")
    fractions = []
    while not comparison.advance(7):
        fractions.append(comparison.fraction_done)
    assert fractions == sorted(fractions) and fractions[0] == pytest.approx(7 / 25)
    assert comparison.fraction_done == 1.0
    for name, history in comparison.histories.items():
        assert np.array_equal(history.loss, whole[name].loss)
        assert np.array_equal(history.grad_norms, whole[name].grad_norms)


def test_a_diverging_copy_stops_early_with_its_reason():
    X, Y = chain_data()
    network = Network(
        [Layer(np.array([[0.5]]), np.array([0.1]), "tanh"), Layer(np.array([[0.5]]), None, "linear")]
    )
    settings = TrainingSettings(learning_rate=1e12)  # each step multiplies the error by ~1e11
    comparison = ActivationComparison(network, X, Y, settings, ("sigmoid", "tanh"), epochs=40, start="keep")
    while not comparison.advance(10):
        pass
    reasons = comparison.stopped_reasons()
    assert set(reasons) == {"sigmoid", "tanh"}
    assert "smaller" in reasons["tanh"]
    assert len(comparison.histories["tanh"]) < 40


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"epochs": 0}, "at least 1"),
        ({"start": "fresh"}, "start must be one of"),
        ({"activations": ("softmax",)}, "output layer"),
        ({"activations": ()}, "at least one activation"),
    ],
)
def test_bad_requests_give_one_line_reasons(kwargs, message):
    network = init.new_network([1, 2, 1], "sigmoid")
    with pytest.raises(ValueError, match=message):
        ActivationComparison(network, np.ones((2, 1)), np.ones((2, 1)), **kwargs)


def test_a_network_without_hidden_layers_cannot_be_compared():
    network = init.new_network([2, 1], "sigmoid")
    with pytest.raises(ValueError, match="hidden layer"):
        compare_activations(network, np.ones((2, 2)), np.ones((2, 1)))
