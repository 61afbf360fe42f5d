"""The hand-friendly exercise generator: decimals, seeds, no saturation, sensible targets and loss."""

from __future__ import annotations

import numpy as np
import pytest

from explorer.engine.exercise import exercise_network, parse_sizes

SIZES = ([2, 2, 2], [3, 2, 1], [2, 3, 2], [1, 2, 1], [4, 3, 2], [2, 3, 3, 2])


def numbers(exercise):
    """Return every weight, bias, input and target of an exercise."""
    values = [exercise.x, exercise.y]
    for layer in exercise.network.layers:
        values.append(layer.weights.ravel())
        if layer.bias is not None:
            values.append(layer.bias)
    return np.concatenate(values)


def forward_zs(exercise):
    """Return z^(k) of every layer, computed here with plain NumPy (σ and tanh written out)."""
    functions = {"sigmoid": lambda z: 1 / (1 + np.exp(-z)), "tanh": np.tanh}
    a, zs = exercise.x, []
    for layer in exercise.network.layers:
        z = layer.weights @ a + (0 if layer.bias is None else layer.bias)
        zs.append(z)
        a = functions[layer.activation](z)
    return zs


@pytest.mark.parametrize("activation", ["sigmoid", "tanh"])
@pytest.mark.parametrize("sizes", SIZES)
def test_every_number_has_at_most_two_decimals_and_no_neuron_saturates(sizes, activation):
    for seed in range(40):
        exercise = exercise_network(sizes, activation, seed=seed)
        hundredths = numbers(exercise) * 100
        assert np.all(np.abs(hundredths - np.round(hundredths)) < 1e-9), seed
        for z in forward_zs(exercise):
            assert np.max(np.abs(z)) <= 4.0, (seed, z)


def test_the_same_seed_gives_the_same_network_and_other_seeds_differ():
    first = exercise_network([2, 3, 2], "sigmoid", seed=123)
    again = exercise_network([2, 3, 2], "sigmoid", seed=123)
    other = exercise_network([2, 3, 2], "sigmoid", seed=124)
    assert np.array_equal(numbers(first), numbers(again))
    assert not np.array_equal(numbers(first), numbers(other))


def test_a_seed_gives_these_numbers_on_every_machine():
    # Integer draws of PCG64 scaled by 10 or 100: fixed by the seed, not by the platform's floats.
    exercise = exercise_network([2, 2, 2], "sigmoid", seed=7)
    assert exercise.network.layer(1).weights.tolist() == [[0.9, 0.3], [0.4, 0.8]]
    assert exercise.network.layer(1).bias.tolist() == [0.1, 0.3]
    assert exercise.network.layer(2).weights.tolist() == [[0.7, -0.5], [-0.9, -0.4]]
    assert exercise.x.tolist() == [0.9, 0.05]
    assert exercise.y.tolist() == [0.5, 0.8]


def test_weights_are_never_zero_and_stay_within_one():
    for seed in range(30):
        for layer in exercise_network([3, 3, 2], "tanh", seed=seed).network.layers:
            assert np.all(layer.weights != 0)
            assert np.max(np.abs(layer.weights)) <= 0.9


@pytest.mark.parametrize("activation", ["sigmoid", "tanh", "relu", "linear"])
def test_targets_fit_the_output_and_the_loss_is_worth_propagating(activation):
    for seed in range(30):
        exercise = exercise_network([2, 2, 2], activation, seed=seed)
        y = exercise.y
        if activation == "sigmoid":
            assert np.all((y > 0) & (y < 1))
        if activation == "tanh":
            assert np.all((y > -1) & (y < 1))
        trace = exercise.network.trace(exercise.x, y)
        y_hat = trace.output
        assert trace.loss == pytest.approx(0.5 * np.sum((y_hat - y) ** 2))
        assert np.max(np.abs(y_hat - y)) >= 0.1
        assert 0 < trace.loss < 10


def test_relu_layers_keep_a_neuron_on_and_clear_of_the_kink():
    for seed in range(30):
        exercise = exercise_network([2, 3, 2], "relu", seed=seed)
        zs, _ = exercise.network.forward(exercise.x)
        for z in zs[1:]:
            assert np.max(z) > 0
            assert np.min(np.abs(z)) >= 0.05


def test_cross_entropy_gets_softmax_and_a_one_hot_target():
    for seed in range(20):
        exercise = exercise_network([2, 2, 3], "sigmoid", "cross_entropy", seed=seed)
        assert exercise.network.layer(2).activation == "softmax"
        assert sorted(exercise.y.tolist()) == [0.0, 0.0, 1.0]
        binary = exercise_network([2, 2, 1], "tanh", "cross_entropy", seed=seed)
        assert binary.network.layer(2).activation == "sigmoid"
        assert binary.y.tolist() in ([0.0], [1.0])


def test_refuses_what_cannot_be_worked_by_hand():
    with pytest.raises(ValueError, match="no derivative"):
        exercise_network([2, 2], "step")
    with pytest.raises(ValueError, match="at most"):
        exercise_network([2, 20, 2])
    with pytest.raises(ValueError):
        parse_sizes("2-x-2")
    assert parse_sizes("2-3-1") == [2, 3, 1]
