"""Cross-entropy at confident outputs: J and δ^(L) = ŷ − y keep every digit, and gradcheck passes.

Expected values are worked out here with 50-digit decimal arithmetic (log-sum-exp in decimal),
never with the engine. A confident output ŷ rounds to 1 in float64, so anything computed through
log ŷ, log(1 + r) or ŷ − 1 keeps only the digits above 1e-16; the tests ask for 1e-12 relative.
"""

from __future__ import annotations

from decimal import Decimal, localcontext

import numpy as np
import pytest

from explorer.engine.gradcheck import gradient_check
from explorer.engine.network import Layer, Network

RTOL = 1e-12
MARGINS = [20.0, 30.0, 40.0]


def _softmax_cross_entropy(z: list[float], y: list[float]) -> Decimal:
    """Return −Σ y_i log softmax(z)_i = Σ y_i (log Σ_j e^(z_j) − z_i), in decimal."""
    with localcontext() as context:
        context.prec = 50
        log_sum = sum((Decimal(v).exp() for v in z), Decimal(0)).ln()
        return sum((Decimal(t) * (log_sum - Decimal(v)) for v, t in zip(z, y)), Decimal(0))


def _softmax_delta(z: list[float], y: list[float]) -> list[float]:
    """Return ∂J/∂z_i = softmax(z)_i Σy − y_i, in decimal."""
    with localcontext() as context:
        context.prec = 50
        exps = [Decimal(v).exp() for v in z]
        total, target = sum(exps, Decimal(0)), sum((Decimal(t) for t in y), Decimal(0))
        return [float(e / total * target - Decimal(t)) for e, t in zip(exps, y)]


def _binary_cross_entropy(z: float, y: float) -> float:
    """Return −[y log σ(z) + (1−y) log(1 − σ(z))] = y log(1 + e^−z) + (1−y) log(1 + e^z), in decimal."""
    with localcontext() as context:
        context.prec = 50
        d, t = Decimal(z), Decimal(y)
        return float(t * (1 + (-d).exp()).ln() + (1 - t) * (1 + d.exp()).ln())


def _binary_delta(z: float, y: float) -> float:
    """Return σ(z) − y, in decimal."""
    with localcontext() as context:
        context.prec = 50
        return float(1 / (1 + (-Decimal(z)).exp()) - Decimal(y))


def _output_layer(z: list[float], activation: str) -> Network:
    """Return a one-layer network whose outputs get exactly z for x = 1 (a weight column, no bias)."""
    return Network([Layer(np.array(z)[:, None], None, activation)], "cross_entropy")


def _softmax_cases() -> list[tuple[list[float], list[float]]]:
    cases = []
    for margin in MARGINS:
        cases.append(([margin, 0.0, -1.0], [1.0, 0.0, 0.0]))  # confident and right
        cases.append(([3.0, 3.0 - margin, 2.0 - margin], [1.0, 0.0, 0.0]))
        cases.append(([margin, 0.0, -1.0], [0.0, 1.0, 0.0]))  # confident and wrong
        cases.append(([margin, 0.5, -1.0], [0.75, 0.25, 0.0]))  # soft targets
    return cases


def test_softmax_cross_entropy_value_is_exact_for_confident_outputs() -> None:
    for z, y in _softmax_cases():
        network = _output_layer(z, "softmax")
        trace = network.trace(np.array([1.0]), np.array(y))
        expected = float(_softmax_cross_entropy(z, y))
        assert trace.loss == pytest.approx(expected, rel=RTOL, abs=0), (z, y)
        assert network.loss_value(np.array([1.0]), np.array(y)) == pytest.approx(expected, rel=RTOL, abs=0)


def test_softmax_cross_entropy_value_with_a_tie_for_the_maximum() -> None:
    # Two outputs share the largest z (5 or 40); the third gets −30. One column per sample.
    layer = Layer(np.array([[1.0], [1.0], [0.0]]), np.array([0.0, 0.0, -30.0]), "softmax")
    y = np.array([[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]])
    trace = Network([layer], "cross_entropy").trace(np.array([[5.0, 40.0]]), y)
    expected = [
        _softmax_cross_entropy([5.0, 5.0, -30.0], [1.0, 0.0, 0.0]),
        _softmax_cross_entropy([40.0, 40.0, -30.0], [0.0, 1.0, 0.0]),
    ]
    np.testing.assert_allclose(trace.per_sample_loss, [float(v) for v in expected], rtol=RTOL, atol=0)


def test_softmax_cross_entropy_delta_is_exact_for_confident_outputs() -> None:
    for z, y in _softmax_cases():
        trace = _output_layer(z, "softmax").trace(np.array([1.0]), np.array(y))
        np.testing.assert_allclose(trace.deltas[1], _softmax_delta(z, y), rtol=RTOL, atol=0)
    # The same in a batch: one column per case.
    cases = _softmax_cases()
    z_columns = np.array([case[0] for case in cases]).T
    y_columns = np.array([case[1] for case in cases]).T
    network = Network([Layer(np.eye(3), None, "softmax")], "cross_entropy")
    trace = network.trace(z_columns, y_columns)
    expected = np.array([_softmax_delta(*case) for case in cases]).T
    np.testing.assert_allclose(trace.deltas[1], expected, rtol=RTOL, atol=0)
    expected_loss = [float(_softmax_cross_entropy(*case)) for case in cases]
    np.testing.assert_allclose(trace.per_sample_loss, expected_loss, rtol=RTOL, atol=0)


def test_binary_cross_entropy_value_and_delta_are_exact_when_saturated() -> None:
    z = [-40.0, -30.0, -20.0, 20.0, 30.0, 40.0]
    network = _output_layer(z, "sigmoid")
    for y in (1.0, 0.0, 0.25):
        trace = network.trace(np.array([1.0]), np.full(len(z), y))
        np.testing.assert_array_equal(trace.zs[1], z)
        expected_delta = [_binary_delta(v, y) for v in z]
        np.testing.assert_allclose(trace.deltas[1], expected_delta, rtol=RTOL, atol=0)
        expected_loss = sum(_binary_cross_entropy(v, y) for v in z)
        assert trace.loss == pytest.approx(expected_loss, rel=RTOL, abs=0)


def test_binary_cross_entropy_of_single_confident_outputs() -> None:
    # J alone, one output at a time: for y = 1 and z = 30 it is log(1 + e^−30) ≈ 9.4e−14.
    for z in [-40.0, -30.0, -20.0, 20.0, 30.0, 40.0]:
        for y in (0.0, 1.0):
            trace = _output_layer([z], "sigmoid").trace(np.array([1.0]), np.array([y]))
            assert trace.loss == pytest.approx(_binary_cross_entropy(z, y), rel=RTOL, abs=0), (z, y)
            assert trace.deltas[1][0] == pytest.approx(_binary_delta(z, y), rel=RTOL, abs=0), (z, y)


def _confident_network(seed: int) -> tuple[Network, np.ndarray, np.ndarray]:
    """Return a random n0-h-n softmax + cross-entropy network with large weights, rows X, one-hot Y.

    The targets are the network's own answers, so it is right, often confidently: then J and δ^(L)
    are tiny, and many hidden neurons sit far out in their tails.
    """
    rng = np.random.default_rng(seed)
    n0, hidden, n_out, samples = (int(v) for v in rng.integers([2, 2, 2, 1], [5, 6, 5, 4]))
    activation = ("tanh", "sigmoid", "softplus")[seed % 3]
    network = Network(
        [
            Layer(rng.standard_normal((hidden, n0)) * 5.0, rng.standard_normal(hidden), activation),
            Layer(rng.standard_normal((n_out, hidden)) * 5.0, rng.standard_normal(n_out), "softmax"),
        ],
        "cross_entropy",
    )
    X = rng.standard_normal((samples, n0))
    labels = network.predict(X.T).argmax(axis=0)
    return network, X, np.eye(n_out)[labels]


def test_confident_softmax_networks_pass_gradcheck() -> None:
    confident, failures = 0, []
    for seed in range(48):
        network, X, Y = _confident_network(seed)
        y_hat = network.predict(X.T)
        confident += bool(np.any(1.0 - y_hat.max(axis=0) < 1e-6))
        result = gradient_check(network, X, Y)
        if not result.passed:
            failures.append((seed, result.max_relative_error, result.describe_where(), result.loss))
    assert failures == []
    assert confident >= 12  # the premise: a quarter of them are sure of some answer to 6 digits
