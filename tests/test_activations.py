"""Activations against formulas written here and against central finite differences."""

from __future__ import annotations

import math

import numpy as np
import pytest

from explorer.engine.activations import ACTIVATIONS, get_activation

ELEMENTWISE = [name for name, act in ACTIVATIONS.items() if name != "softmax"]
SMOOTH = ["sigmoid", "tanh", "linear", "softplus"]
EXTREMES = [-1e4, -1e3, -710.0, -100.0, -40.0, -1.0, 0.0, 1.0, 40.0, 100.0, 710.0, 1e3, 1e4]


def _sigmoid(z: float) -> float:
    # Written in the branch that cannot overflow, independently of the engine.
    return 1.0 / (1.0 + math.exp(-z)) if z >= 0 else math.exp(z) / (1.0 + math.exp(z))


# Each g and g' written out for one float; used element by element.
FORMULAS = {
    "step": (lambda z: 1.0 if z > 0 else 0.0, lambda z: 0.0),
    "sign": (lambda z: (z > 0) - (z < 0), lambda z: 0.0),
    "sigmoid": (_sigmoid, lambda z: _sigmoid(z) * (1.0 - _sigmoid(z))),
    "tanh": (math.tanh, lambda z: 1.0 - math.tanh(z) ** 2),
    "relu": (lambda z: max(0.0, z), lambda z: 1.0 if z > 0 else 0.0),
    "leaky_relu": (lambda z: z if z > 0 else 0.01 * z, lambda z: 1.0 if z > 0 else 0.01),
    "linear": (lambda z: z, lambda z: 1.0),
    "softplus": (lambda z: max(z, 0.0) + math.log1p(math.exp(-abs(z))), _sigmoid),
}


def _points(seed: int = 0) -> np.ndarray:
    """Return z values spread over [-6, 6], none within 1e-3 of a kink at 0."""
    z = np.random.default_rng(seed).uniform(-6.0, 6.0, 40)
    return z[np.abs(z) > 1e-3]


def _central_difference(f, z: np.ndarray, h: float = 1e-6) -> np.ndarray:
    return (f(z + h) - f(z - h)) / (2.0 * h)


def _softmax_by_hand(z: list[float]) -> list[float]:
    top = max(z)
    exps = [math.exp(v - top) for v in z]
    return [v / sum(exps) for v in exps]


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_value_and_derivative_match_formulas(name: str) -> None:
    act = get_activation(name)
    z = np.concatenate([_points(), [-3.0, -0.5, 0.5, 3.0]])
    g, g_prime = FORMULAS[name]
    np.testing.assert_allclose(act.fn(z), [g(float(v)) for v in z], rtol=1e-13, atol=1e-15)
    np.testing.assert_allclose(act.prime(z), [g_prime(float(v)) for v in z], rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(act(z), act.fn(z), rtol=0, atol=0)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_derivative_matches_finite_differences(name: str) -> None:
    act = get_activation(name)
    z = _points(1)
    np.testing.assert_allclose(act.prime(z), _central_difference(act.fn, z), rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("name", ELEMENTWISE)
def test_elementwise_delta_is_derivative_times_error(name: str) -> None:
    act = get_activation(name)
    rng = np.random.default_rng(2)
    z = rng.uniform(-4, 4, (3, 5))
    z[np.abs(z) < 1e-3] = 0.5
    e = rng.standard_normal((3, 5))
    g, g_prime = FORMULAS[name]
    expected = np.vectorize(lambda v: g_prime(float(v)))(z) * e
    np.testing.assert_allclose(act.delta(z, act.fn(z), e), expected, rtol=1e-9, atol=1e-15)


@pytest.mark.parametrize("name", ["step", "sign"])
def test_step_and_sign_pass_no_gradient(name: str) -> None:
    act = get_activation(name)
    z = np.array([-2.0, -1e-9, 0.0, 1e-9, 2.0])
    assert not act.differentiable
    assert np.all(act.prime(z) == 0.0)
    assert np.all(act.delta(z, act.fn(z), np.ones(5)) == 0.0)


def test_kink_conventions() -> None:
    assert get_activation("relu").prime(np.array([0.0]))[0] == 0.0
    assert get_activation("step").fn(np.array([0.0]))[0] == 0.0
    assert get_activation("sign").fn(np.array([0.0]))[0] == 0.0
    leaky = get_activation("leaky_relu")
    np.testing.assert_allclose(leaky.fn(np.array([-2.0, 3.0])), [-0.02, 3.0], rtol=1e-15)
    np.testing.assert_allclose(leaky.prime(np.array([-2.0, 0.0, 3.0])), [0.01, 0.01, 1.0], rtol=1e-15)


def test_sigmoid_derivative_peaks_at_quarter_at_zero() -> None:
    z = np.linspace(-10, 10, 2001)
    prime = get_activation("sigmoid").prime(z)
    assert prime.max() <= 0.25
    assert z[np.argmax(prime)] == 0.0
    assert prime[1000] == 0.25


def test_tanh_derivative_is_one_at_zero() -> None:
    assert get_activation("tanh").prime(np.array([0.0]))[0] == 1.0


def test_softmax_matches_formula_and_sums_to_one() -> None:
    softmax = get_activation("softmax")
    assert softmax.last_layer_only
    z = np.random.default_rng(3).uniform(-5, 5, (4, 6))
    a = softmax.fn(z)
    for column in range(6):
        np.testing.assert_allclose(a[:, column], _softmax_by_hand(list(z[:, column])), rtol=1e-13)
    np.testing.assert_allclose(a.sum(axis=0), np.ones(6), rtol=1e-14)
    np.testing.assert_allclose(softmax.fn(z[:, 0]).sum(), 1.0, rtol=1e-14)


def _softmax_jacobian_by_differences(fn, z: np.ndarray, h: float = 1e-6) -> np.ndarray:
    """Return J[i, j] = ∂a_i/∂z_j by central differences of fn."""
    jacobian = np.empty((z.size, z.size))
    for j in range(z.size):
        step = np.zeros_like(z)
        step[j] = h
        jacobian[:, j] = (fn(z + step) - fn(z - step)) / (2 * h)
    return jacobian


def test_softmax_delta_is_jacobian_transpose_times_error() -> None:
    softmax = get_activation("softmax")
    rng = np.random.default_rng(4)
    z = rng.uniform(-3, 3, (4, 3))
    e = rng.standard_normal((4, 3))
    delta = softmax.delta(z, softmax.fn(z), e)
    for column in range(3):
        jacobian = _softmax_jacobian_by_differences(softmax.fn, z[:, column])
        np.testing.assert_allclose(delta[:, column], jacobian.T @ e[:, column], rtol=1e-6, atol=1e-10)
        single = softmax.delta(z[:, column], softmax.fn(z[:, column]), e[:, column])
        np.testing.assert_allclose(single, delta[:, column], rtol=1e-14)
    # The displayed prime is the Jacobian's diagonal a_i(1 − a_i).
    jacobian = _softmax_jacobian_by_differences(softmax.fn, z[:, 0])
    np.testing.assert_allclose(softmax.prime(z[:, 0]), np.diag(jacobian), rtol=1e-6)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_extreme_inputs_stay_finite_without_warnings(name: str, dtype: type) -> None:
    act = get_activation(name)
    z = np.array(EXTREMES, dtype=dtype)
    if act.last_layer_only:
        z = np.stack([z, z[::-1], np.zeros_like(z)])
    a = act.fn(z)
    e = np.ones_like(z)
    for values in (a, act.prime(z), act.delta(z, a, e)):
        assert np.all(np.isfinite(values)), values
        assert values.dtype == dtype


def test_extreme_values_are_right() -> None:
    z = np.array([-1e4, 1e4])
    np.testing.assert_array_equal(get_activation("sigmoid").fn(z), [0.0, 1.0])
    np.testing.assert_array_equal(get_activation("sigmoid").prime(z), [0.0, 0.0])
    np.testing.assert_array_equal(get_activation("tanh").prime(z), [0.0, 0.0])
    np.testing.assert_array_equal(get_activation("softplus").fn(z), [0.0, 1e4])
    np.testing.assert_array_equal(get_activation("softmax").fn(z), [0.0, 1.0])
    # Far tails keep relative precision: σ(−40) ≈ e^−40 and σ'(40) ≈ e^−40.
    np.testing.assert_allclose(get_activation("sigmoid").fn(np.array([-40.0])), [math.exp(-40)], rtol=1e-12)
    np.testing.assert_allclose(get_activation("sigmoid").prime(np.array([40.0])), [math.exp(-40)], rtol=1e-12)


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_float32_stays_float32(name: str) -> None:
    act = get_activation(name)
    z = np.random.default_rng(5).uniform(-3, 3, (3, 4)).astype(np.float32)
    a = act.fn(z)
    assert a.dtype == np.float32
    assert act.prime(z).dtype == np.float32
    assert act.delta(z, a, np.ones_like(z)).dtype == np.float32


def test_unknown_activation_names_the_choices() -> None:
    with pytest.raises(KeyError, match="sigmoid"):
        get_activation("swish")
