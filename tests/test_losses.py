"""Losses against hand formulas: J per sample, e = ∂J/∂ŷ and δ^(L) = ∂J/∂z by finite differences."""

from __future__ import annotations

import math

import numpy as np
import pytest

from explorer.engine.activations import ACTIVATIONS, get_activation
from explorer.engine.losses import LOSSES, get_loss

H = 1e-6
SMOOTH_OUTPUTS = ["sigmoid", "tanh", "linear", "softplus", "softmax", "relu", "leaky_relu"]
# (loss, output activation) pairs the engine allows.
PAIRS = [("half_sse", name) for name in SMOOTH_OUTPUTS] + [
    ("cross_entropy", "softmax"),
    ("cross_entropy", "sigmoid"),
]


def _half_sse_by_hand(y_hat: list[float], y: list[float]) -> float:
    return 0.5 * sum((p - t) ** 2 for p, t in zip(y_hat, y))


def _categorical_by_hand(y_hat: list[float], y: list[float]) -> float:
    return -sum(t * math.log(p) for p, t in zip(y_hat, y))


def _binary_by_hand(y_hat: list[float], y: list[float]) -> float:
    return -sum(t * math.log(p) + (1 - t) * math.log(1 - p) for p, t in zip(y_hat, y))


def _loss_by_hand(loss: str, output: str):
    if loss == "half_sse":
        return _half_sse_by_hand
    return _categorical_by_hand if output == "softmax" else _binary_by_hand


def _targets(loss: str, output: str, shape: tuple[int, ...], rng: np.random.Generator) -> np.ndarray:
    if loss == "cross_entropy" and output == "softmax":
        y = rng.random(shape)  # a distribution per column, not only one-hot
        return y / y.sum(axis=0)
    return rng.random(shape)


def _per_column(func, *arrays: np.ndarray) -> np.ndarray:
    return np.array([func(*(list(map(float, a[:, c])) for a in arrays)) for c in range(arrays[0].shape[1])])


@pytest.mark.parametrize("loss_name, output", PAIRS)
def test_value_per_sample_matches_hand_formula(loss_name: str, output: str) -> None:
    rng = np.random.default_rng(0)
    loss, act = get_loss(loss_name), get_activation(output)
    z = rng.uniform(-3, 3, (3, 5))
    y = _targets(loss_name, output, (3, 5), rng)
    y_hat = act.fn(z)
    expected = _per_column(_loss_by_hand(loss_name, output), y_hat, y)
    np.testing.assert_allclose(loss.value(z, y_hat, y, act), expected, rtol=1e-12)
    # A single sample gives a scalar J.
    single = loss.value(z[:, 1], y_hat[:, 1], y[:, 1], act)
    np.testing.assert_allclose(single, expected[1], rtol=1e-12)
    assert np.ndim(single) == 0


@pytest.mark.parametrize("loss_name, output", PAIRS)
def test_error_is_derivative_of_loss_wrt_output(loss_name: str, output: str) -> None:
    rng = np.random.default_rng(1)
    loss, act = get_loss(loss_name), get_activation(output)
    y_hat = rng.uniform(0.05, 0.95, 4)  # a valid output of every pair's activation
    y = _targets(loss_name, output, (4, 1), rng)[:, 0]
    by_hand = _loss_by_hand(loss_name, output)
    numeric = np.empty(4)
    for i in range(4):
        up, down = y_hat.copy(), y_hat.copy()
        up[i] += H
        down[i] -= H
        numeric[i] = (by_hand(list(up), list(y)) - by_hand(list(down), list(y))) / (2 * H)
    z = np.log(y_hat / (1.0 - y_hat))  # the z behind ŷ for a sigmoid; the other losses ignore z
    np.testing.assert_allclose(loss.error(z, y_hat, y, act), numeric, rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("loss_name, output", PAIRS)
def test_output_delta_is_derivative_of_loss_wrt_z(loss_name: str, output: str) -> None:
    rng = np.random.default_rng(2)
    loss, act = get_loss(loss_name), get_activation(output)
    z = rng.uniform(-3, 3, (4, 3))
    z[np.abs(z) < 1e-3] = 0.5  # keep away from relu's kink
    y = _targets(loss_name, output, (4, 3), rng)
    by_hand = _loss_by_hand(loss_name, output)
    delta = loss.delta(z, act.fn(z), y, act)
    for c in range(3):
        numeric = np.empty(4)
        for i in range(4):
            up, down = z[:, c].copy(), z[:, c].copy()
            up[i] += H
            down[i] -= H
            numeric[i] = (
                by_hand(list(act.fn(up)), list(y[:, c])) - by_hand(list(act.fn(down)), list(y[:, c]))
            ) / (2 * H)
        np.testing.assert_allclose(delta[:, c], numeric, rtol=1e-6, atol=1e-9)


def test_softmax_cross_entropy_delta_is_output_minus_target_for_one_hot() -> None:
    act, loss = get_activation("softmax"), get_loss("cross_entropy")
    z = np.array([0.3, -1.2, 2.0])
    y = np.array([0.0, 1.0, 0.0])
    np.testing.assert_allclose(loss.delta(z, act.fn(z), y, act), act.fn(z) - y, rtol=1e-14)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("loss_name, output", PAIRS)
def test_extreme_z_gives_finite_loss_error_and_delta(loss_name: str, output: str, dtype: type) -> None:
    loss, act = get_loss(loss_name), get_activation(output)
    z = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 1e4], [0.0, -1e4, -1e4]], dtype=dtype)
    y = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]], dtype=dtype)
    y_hat = act.fn(z)
    value = loss.value(z, y_hat, y, act)
    error = loss.error(z, y_hat, y, act)
    delta = loss.delta(z, y_hat, y, act)
    for values in (value, error, delta):
        assert np.all(np.isfinite(values)), values
        assert values.dtype == dtype
    if loss_name == "cross_entropy":
        # A confident wrong answer costs about |z| differences, never inf.
        assert 1e4 <= value.max() <= 3e4


def test_registry_and_allowed_outputs() -> None:
    assert set(LOSSES) == {"half_sse", "cross_entropy"}
    assert get_loss("half_sse").output_activations is None
    assert set(get_loss("cross_entropy").output_activations) == {"softmax", "sigmoid"}
    assert set(get_loss("cross_entropy").output_activations) <= set(ACTIVATIONS)
    with pytest.raises(KeyError, match="half_sse"):
        get_loss("hinge")


def test_softmax_cross_entropy_delta_holds_for_targets_not_summing_to_one() -> None:
    # J = −Σ y log softmax(z) has ∂J/∂z = ŷ Σy − y, which is ŷ − y only when Σy = 1.
    act, loss = get_activation("softmax"), get_loss("cross_entropy")
    z = np.array([0.3, -1.2, 2.0])
    y = np.array([0.5, 1.0, 0.25])
    numeric = np.empty(3)
    for i in range(3):
        up, down = z.copy(), z.copy()
        up[i] += H
        down[i] -= H
        j_up = _categorical_by_hand(list(act.fn(up)), list(y))
        j_down = _categorical_by_hand(list(act.fn(down)), list(y))
        numeric[i] = (j_up - j_down) / (2 * H)
    np.testing.assert_allclose(loss.delta(z, act.fn(z), y, act), numeric, rtol=1e-6)


def test_confident_right_answers_keep_their_small_loss_exact() -> None:
    # J = log(1 + e^−10) here; a difference of two numbers near 1000 would lose 8 digits of it.
    z, expected = np.array([1000.0, 990.0]), math.log1p(math.exp(-10.0))
    softmax, sigmoid = get_activation("softmax"), get_activation("sigmoid")
    loss = get_loss("cross_entropy")
    assert loss.value(z, softmax.fn(z), np.array([1.0, 0.0]), softmax) == pytest.approx(expected, rel=1e-12)
    binary = loss.value(np.array([10.0]), sigmoid.fn(np.array([10.0])), np.array([1.0]), sigmoid)
    assert binary == pytest.approx(expected, rel=1e-12)
