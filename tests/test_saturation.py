"""Saturated neurons: g'(z) and δ = g'(z) ⊙ e stay exact far into the tails of sigmoid and tanh.

Every expected value is worked out here with 50-digit decimal arithmetic, never with the engine.
σ(1 − σ) and 1 − a² from a rounded a = g(z) lose every digit there (σ' was 10 % wrong at z = 32
and 0 from z ≈ 36.7; tanh' was 0 for |z| ≥ 19.06), so each test below fails on such code.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal, localcontext

import numpy as np
import pytest

from explorer.engine.activations import get_activation
from explorer.engine.network import Layer, Network
from explorer.engine.stepper import Stepper, Term

Z_VALUES = [-40.0, -30.0, -20.0, 20.0, 30.0, 40.0]
RTOL = 1e-12


def _sigmoid(z: float) -> Decimal:
    with localcontext() as context:
        context.prec = 50
        return 1 / (1 + (-Decimal(z)).exp())


def _sigmoid_prime(z: float) -> Decimal:
    with localcontext() as context:
        context.prec = 50
        exp = (-Decimal(z)).exp()
        return exp / ((1 + exp) * (1 + exp))


def _tanh(z: float) -> Decimal:
    with localcontext() as context:
        context.prec = 50
        exp = (-2 * Decimal(z)).exp()
        return (1 - exp) / (1 + exp)


def _tanh_prime(z: float) -> Decimal:
    with localcontext() as context:
        context.prec = 50
        exp = (-2 * Decimal(z)).exp()
        return 4 * exp / ((1 + exp) * (1 + exp))


EXACT: dict[str, tuple[Callable[[float], Decimal], Callable[[float], Decimal]]] = {
    "sigmoid": (_sigmoid, _sigmoid_prime),
    "tanh": (_tanh, _tanh_prime),
}


def _product(*factors: Decimal) -> float:
    with localcontext() as context:
        context.prec = 50
        result = Decimal(1)
        for factor in factors:
            result *= factor
        return float(result)


def _one_neuron(z: float, activation: str) -> Network:
    """Return a network whose single neuron gets z = w·x with x = 1 (no bias), half SSE loss."""
    return Network([Layer(np.array([[z]]), None, activation)], "half_sse")


def _hidden_neuron(z: float, activation: str) -> Network:
    """Return x → one hidden neuron (z = w·1) → a linear output with weight 1, half SSE loss."""
    return Network(
        [Layer(np.array([[z]]), None, activation), Layer(np.array([[1.0]]), None, "linear")], "half_sse"
    )


@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
def test_derivative_is_exact_in_the_tails(name: str) -> None:
    act = get_activation(name)
    _, exact_prime = EXACT[name]
    z = np.array(Z_VALUES)
    expected = [float(exact_prime(v)) for v in Z_VALUES]
    np.testing.assert_allclose(act.prime(z), expected, rtol=RTOL, atol=0)
    # δ with e = 1 is g'(z) itself, whichever a the caller holds.
    np.testing.assert_allclose(act.delta(z, act.fn(z), np.ones_like(z)), expected, rtol=RTOL, atol=0)


@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
def test_output_neuron_delta_is_exact_when_saturated(name: str) -> None:
    # One neuron, y = 0: e = ŷ − y = g(z), so δ = g'(z) g(z).
    exact, exact_prime = EXACT[name]
    for z in Z_VALUES:
        trace = _one_neuron(z, name).trace(np.array([1.0]), np.array([0.0]))
        assert trace.zs[1][0] == z
        expected = _product(exact_prime(z), exact(z))
        assert trace.deltas[1][0] == pytest.approx(expected, rel=RTOL, abs=0), z


@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
def test_hidden_neuron_delta_is_exact_when_saturated(name: str) -> None:
    # Linear output with weight 1 and y = 0: e^(1) = δ^(2) = ŷ = g(z), so δ^(1) = g'(z) g(z).
    exact, exact_prime = EXACT[name]
    for z in Z_VALUES:
        trace = _hidden_neuron(z, name).trace(np.array([1.0]), np.array([0.0]))
        assert trace.zs[1][0] == z
        expected = _product(exact_prime(z), exact(z))
        assert trace.deltas[1][0] == pytest.approx(expected, rel=RTOL, abs=0), z
        # ∂J/∂w = δ^(1) x with x = 1.
        assert trace.grad_weights[1][0, 0] == pytest.approx(expected, rel=RTOL, abs=0), z


def test_saturated_delta_is_exact_for_a_batch_in_float64() -> None:
    # The batch path (columns) must use the same exact derivative as the single sample.
    network = Network(
        [Layer(np.array([[1.0]]), None, "sigmoid"), Layer(np.array([[1.0]]), None, "linear")], "half_sse"
    )
    x = np.array([Z_VALUES])
    trace = network.trace(x, np.zeros_like(x))
    expected = [_product(_sigmoid_prime(z), _sigmoid(z)) for z in Z_VALUES]
    np.testing.assert_array_equal(trace.zs[1][0], Z_VALUES)
    np.testing.assert_allclose(trace.deltas[1][0], expected, rtol=RTOL, atol=0)


@pytest.mark.parametrize("name", ["sigmoid", "tanh"])
@pytest.mark.parametrize("where", ["output", "hidden"])
def test_step_through_shows_the_derivative_that_multiplies_e(name: str, where: str) -> None:
    # The δ stage reads δ = g'(z) ⊙ e; its g'(z) must be the true derivative and, multiplied by the
    # e it shows, give exactly the δ it shows (and that the gradients use).
    _, exact_prime = EXACT[name]
    for z in Z_VALUES:
        network = _one_neuron(z, name) if where == "output" else _hidden_neuron(z, name)
        stepper = Stepper(network, np.array([1.0]), np.array([0.0]))
        stage = stepper.stages[stepper.index_of("delta", 1)]
        terms = [part for part in stage.equations[0] if isinstance(part, Term)]
        delta, prime, error = (term.values for term in terms)
        assert [term.symbol for term in terms] == ["δ^(1)", "g'(z^(1))", "e^(1)"]
        assert prime[0] == pytest.approx(float(exact_prime(z)), rel=RTOL, abs=0), z
        assert delta[0] == prime[0] * error[0], z
        assert stepper.trace.deltas[1][0] == delta[0]


def test_softmax_derivative_shown_for_a_confident_output_is_exact() -> None:
    # The diagonal a_i(1 − a_i) of the softmax Jacobian, which the inspector shows as g'(z).
    z = [30.0, 0.0, -1.0]
    with localcontext() as context:
        context.prec = 50
        exps = [Decimal(v).exp() for v in z]
        total = sum(exps, Decimal(0))
        expected = [float(e / total * (1 - e / total)) for e in exps]
    shown = get_activation("softmax").prime(np.array(z))
    np.testing.assert_allclose(shown, expected, rtol=RTOL, atol=0)
    columns = get_activation("softmax").prime(np.array([z, z[::-1]]).T)
    np.testing.assert_allclose(columns[:, 0], expected, rtol=RTOL, atol=0)
    np.testing.assert_allclose(columns[:, 1], expected[::-1], rtol=RTOL, atol=0)
