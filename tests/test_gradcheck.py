"""Gradient check: numbers match hand arithmetic and its own differences; wrong gradients fail."""

from __future__ import annotations

import math

import numpy as np
import pytest

from explorer.engine import activations, losses
from explorer.engine.activations import ACTIVATIONS, Activation
from explorer.engine.gradcheck import (
    NOISE_SCALE,
    TOLERANCE,
    GradCheckResult,
    gradient_check,
    noise_floor,
    relative_error,
)
from explorer.engine.network import Layer, Network


def lecture_network() -> Network:
    return Network(
        [
            Layer(np.array([[0.15, 0.20], [0.25, 0.30]]), np.array([0.35, 0.35]), "sigmoid"),
            Layer(np.array([[0.40, 0.45], [0.50, 0.55]]), None, "sigmoid"),
        ]
    )


def sig(v: float) -> float:
    return 1.0 / (1.0 + math.exp(-v))


def lecture_loss(w1, b1, w2, x=(0.05, 0.10), y=(0.01, 0.99)) -> float:
    """J of the lecture network written out by hand, with plain floats."""
    h = [sig(w1[i][0] * x[0] + w1[i][1] * x[1] + b1[i]) for i in range(2)]
    out = [sig(w2[i][0] * h[0] + w2[i][1] * h[1]) for i in range(2)]
    return 0.5 * ((out[0] - y[0]) ** 2 + (out[1] - y[1]) ** 2)


def test_lecture_gradients_match_hand_arithmetic():
    x, y = (0.05, 0.10), (0.01, 0.99)
    result = gradient_check(lecture_network(), np.array(x), np.array(y))
    h = [sig(0.15 * 0.05 + 0.20 * 0.10 + 0.35), sig(0.25 * 0.05 + 0.30 * 0.10 + 0.35)]
    out = [sig(0.40 * h[0] + 0.45 * h[1]), sig(0.50 * h[0] + 0.55 * h[1])]
    delta2 = [(out[i] - y[i]) * out[i] * (1 - out[i]) for i in range(2)]
    e1 = [0.40 * delta2[0] + 0.50 * delta2[1], 0.45 * delta2[0] + 0.55 * delta2[1]]
    delta1 = [e1[j] * h[j] * (1 - h[j]) for j in range(2)]
    expected_w2 = [[delta2[i] * h[j] for j in range(2)] for i in range(2)]
    expected_w1 = [[delta1[i] * x[j] for j in range(2)] for i in range(2)]
    np.testing.assert_allclose(result.grad_weights[2], expected_w2, rtol=1e-12)
    np.testing.assert_allclose(result.grad_weights[1], expected_w1, rtol=1e-12)
    np.testing.assert_allclose(result.grad_biases[1], delta1, rtol=1e-12)
    assert result.grad_biases[2] is None and result.numeric_biases[2] is None
    assert expected_w2[0][0] == pytest.approx(0.08545843854729, rel=1e-12)
    assert result.passed and result.max_relative_error < 1e-6
    assert result.parameters == 10 and result.loss == pytest.approx(
        lecture_loss([[0.15, 0.20], [0.25, 0.30]], [0.35, 0.35], [[0.40, 0.45], [0.50, 0.55]]), rel=1e-14
    )


def test_numeric_slopes_match_a_difference_written_here():
    result = gradient_check(lecture_network(), np.array([0.05, 0.10]), np.array([0.01, 0.99]), epsilon=1e-5)
    w1, b1, w2 = [[0.15, 0.20], [0.25, 0.30]], [0.35, 0.35], [[0.40, 0.45], [0.50, 0.55]]
    for i in range(2):
        for j in range(2):
            plus = [row[:] for row in w2]
            minus = [row[:] for row in w2]
            plus[i][j] += 1e-5
            minus[i][j] -= 1e-5
            slope = (lecture_loss(w1, b1, plus) - lecture_loss(w1, b1, minus)) / 2e-5
            assert result.numeric_weights[2][i, j] == pytest.approx(slope, rel=1e-6)
        plus, minus = b1[:], b1[:]
        plus[i] += 1e-5
        minus[i] -= 1e-5
        slope = (lecture_loss(w1, plus, w2) - lecture_loss(w1, minus, w2)) / 2e-5
        assert result.numeric_biases[1][i] == pytest.approx(slope, rel=1e-6)


def test_relative_error_definition():
    assert relative_error(np.array(1.0), np.array(1.1), 1e-8) == pytest.approx(0.1 / 2.1)
    assert relative_error(np.array(0.0), np.array(0.0), 1e-8) == 0.0
    # Below the floor the difference is measured against the floor, not against tiny slopes.
    assert relative_error(np.array(1e-12), np.array(3e-12), 1e-6) == pytest.approx(2e-6)
    assert noise_floor(0.5, 1e-6) == pytest.approx(NOISE_SCALE * 0.5 / 1e-6)
    assert NOISE_SCALE == pytest.approx(1e7 * 2.220446049250313e-16)
    assert noise_floor(0.0, 1e-6) > 0


def register(monkeypatch, name: str, delta) -> None:
    """Add a sigmoid whose backward step is `delta` to the registry for this test only."""
    broken = Activation(
        name, activations.sigmoid, activations.sigmoid_prime, delta, "g(z) = σ(z)", "g'(z) = ?"
    )
    monkeypatch.setitem(ACTIVATIONS, name, broken)


def with_hidden(name: str) -> Network:
    network = lecture_network()
    network.layers[0].activation = name
    return network


def test_a_wrong_derivative_fails(monkeypatch):
    register(monkeypatch, "sigmoid_wrong", lambda z, a, e: activations.sigmoid(z) * e)  # g instead of g'
    result = gradient_check(with_hidden("sigmoid_wrong"), np.array([0.05, 0.10]), np.array([0.01, 0.99]))
    assert not result.passed
    assert result.max_relative_error > 0.3  # σ is about 2.5 σ′ here: (2.5 − 1) / (2.5 + 1)
    assert result.where[0] == 1  # the broken layer, not the healthy output layer
    assert result.errors_weights[2].max() < 1e-6


def test_a_slightly_wrong_derivative_fails(monkeypatch):
    register(monkeypatch, "sigmoid_off", lambda z, a, e: 1.001 * activations.sigmoid_prime(z) * e)
    X = np.array([[0.05, 0.10], [0.9, -0.4], [-1.0, 2.0]])
    Y = np.array([[0.01, 0.99], [0.5, 0.5], [1.0, 0.0]])
    result = gradient_check(with_hidden("sigmoid_off"), X, Y)
    assert not result.passed
    assert 1e-4 < result.max_relative_error < 1e-3  # 0.1 % off scores about 0.1 % / 2


def test_a_wrong_loss_gradient_fails(monkeypatch):
    half = losses.LOSSES["half_sse"]
    doubled = losses.Loss(
        "doubled",
        half.value,
        half.error,
        lambda z, a, y, act: 2 * half.delta(z, a, y, act),
        half.formula,
        half.error_formula,
        half.delta_formula,
    )
    monkeypatch.setitem(losses.LOSSES, "half_sse", doubled)
    result = gradient_check(lecture_network(), np.array([0.05, 0.10]), np.array([0.01, 0.99]))
    assert result.max_relative_error == pytest.approx(1 / 3, rel=1e-4)  # |2g − g| / (2g + g)
    assert not result.passed


def test_nan_gradient_fails(monkeypatch):
    register(monkeypatch, "sigmoid_nan", lambda z, a, e: np.full_like(z, np.nan))
    result = gradient_check(with_hidden("sigmoid_nan"), np.array([0.05, 0.10]), np.array([0.01, 0.99]))
    assert result.max_relative_error == math.inf and not result.passed


def test_vanishing_gradients_of_a_deep_chain_pass():
    rng = np.random.default_rng(4)
    layers = [Layer(rng.uniform(0.8, 1.2, (1, 1)), rng.uniform(0, 0.2, 1), "sigmoid") for _ in range(12)]
    X = np.linspace(-1, 1, 8)[:, None]
    result = gradient_check(Network(layers), X, 0.5 + 0.3 * X)
    assert abs(result.grad_weights[1][0, 0]) < 1e-6  # faded to rounding-noise size
    assert result.passed


def test_rows_and_a_single_sample_agree():
    network = lecture_network()
    one = gradient_check(network, np.array([0.05, 0.10]), np.array([0.01, 0.99]))
    rows = gradient_check(network, np.array([[0.05, 0.10]]), np.array([[0.01, 0.99]]))
    for k in (1, 2):
        np.testing.assert_allclose(one.grad_weights[k], rows.grad_weights[k], rtol=1e-14)
        np.testing.assert_allclose(one.numeric_weights[k], rows.numeric_weights[k], rtol=1e-14)


def test_batch_gradient_is_the_mean_of_sample_gradients():
    X = np.array([[0.05, 0.10], [0.9, -0.4]])
    Y = np.array([[0.01, 0.99], [0.5, 0.5]])
    both = gradient_check(lecture_network(), X, Y)
    each = [gradient_check(lecture_network(), X[n], Y[n]) for n in range(2)]
    for k in (1, 2):
        mean = (each[0].numeric_weights[k] + each[1].numeric_weights[k]) / 2
        np.testing.assert_allclose(both.numeric_weights[k], mean, rtol=1e-6)


def test_float32_network_is_checked_in_float64_and_left_unchanged():
    network = lecture_network().astype(np.float32)
    before = [layer.weights.tobytes() for layer in network.layers]
    result = gradient_check(network, np.array([0.05, 0.10]), np.array([0.01, 0.99]))
    assert result.grad_weights[1].dtype == np.float64 and result.numeric_weights[1].dtype == np.float64
    assert result.passed
    assert [layer.weights.tobytes() for layer in network.layers] == before


def test_relu_on_its_kink_is_reported_honestly():
    # z = 0 exactly: backprop takes g'(0) = 0, the central difference sees half the slope.
    network = Network(
        [Layer(np.array([[1.0, -1.0]]), None, "relu"), Layer(np.array([[2.0]]), None, "linear")]
    )
    result = gradient_check(network, np.array([0.5, 0.5]), np.array([1.0]))
    assert not result.passed and result.where[0] == 1


def test_result_names_the_worst_parameter_in_lecture_notation():
    result = GradCheckResult(0.5, (2, "weight", 0, 1), 1.0, 2.0, [], [], [], [], [], [], 4, 0.1, 1e-8)
    assert result.describe_where() == "w_12^(2)" and not result.passed and result.tolerance == TOLERANCE
    result.where = (1, "bias", 2, 0)
    assert result.describe_where() == "b_3^(1)"


def test_shapes_are_checked():
    with pytest.raises(ValueError, match="a single sample needs 2 values, not 3"):
        gradient_check(lecture_network(), np.zeros(3), np.zeros(2))
    with pytest.raises(ValueError, match="rows must have 2 columns"):
        gradient_check(lecture_network(), np.zeros((4, 2)), np.zeros((4, 3)))


def wide_network(hidden: str = "sigmoid") -> Network:
    """Return a seeded 30-20-5 network with `hidden` as its hidden activation (725 parameters)."""
    rng = np.random.default_rng(3)
    layers = [
        Layer(rng.normal(0, 0.3, (20, 30)), rng.normal(0, 0.1, 20), hidden),
        Layer(rng.normal(0, 0.3, (5, 20)), rng.normal(0, 0.1, 5), "sigmoid"),
    ]
    return Network(layers)


def test_a_sample_checks_every_layer_and_still_fails_a_wrong_derivative(monkeypatch):
    register(monkeypatch, "sigmoid_off", lambda z, a, e: 1.01 * activations.sigmoid_prime(z) * e)
    rng = np.random.default_rng(4)
    X, Y = rng.random((3, 30)), rng.random((3, 5))
    broken = gradient_check(wide_network("sigmoid_off"), X, Y, sample=40, seed=7)
    assert not broken.passed and broken.where[0] == 1  # the wrong layer is found
    assert broken.checked <= 45 and broken.parameters == 725 and broken.seed == 7
    for k in (1, 2):  # every weight matrix and bias vector had some of its entries checked
        for numeric in (broken.numeric_weights[k], broken.numeric_biases[k]):
            assert 0 < np.count_nonzero(~np.isnan(numeric)) < numeric.size
    healthy = gradient_check(wide_network(), X, Y, sample=40, seed=7)
    assert healthy.passed and healthy.checked == broken.checked
    again = gradient_check(wide_network(), X, Y, sample=40, seed=7)
    np.testing.assert_array_equal(np.isnan(again.numeric_weights[1]), np.isnan(healthy.numeric_weights[1]))


def test_a_sample_as_large_as_the_network_checks_everything():
    result = gradient_check(lecture_network(), np.array([0.05, 0.10]), np.array([0.01, 0.99]), sample=100)
    assert result.checked == result.parameters and result.seed is None
    assert not np.isnan(result.numeric_weights[1]).any()
