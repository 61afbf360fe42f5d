"""Activation functions g(z), each beside its derivative g'(z), and a registry by name.

All functions work element-wise on arrays of any shape, except softmax, which normalises
along axis 0 (a column per sample, as in the lecture's column vectors).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

Array = np.ndarray


def step(z: Array) -> Array:
    """Heaviside step H(z): 1 where z > 0, else 0."""
    return (z > 0).astype(np.result_type(z, np.float32))


def step_prime(z: Array) -> Array:
    """Return 0 everywhere: the step has no useful derivative, so backprop cannot pass."""
    return np.zeros_like(z, dtype=np.result_type(z, np.float32))


def sign(z: Array) -> Array:
    """Sign function: -1, 0 or +1."""
    return np.sign(z).astype(np.result_type(z, np.float32))


def sign_prime(z: Array) -> Array:
    """Return 0 everywhere, for the same reason as the step."""
    return np.zeros_like(z, dtype=np.result_type(z, np.float32))


def sigmoid(z: Array) -> Array:
    """Logistic sigmoid 1 / (1 + e^-z), exact in both tails and silent for large |z|."""
    # For z ≪ 0, e^-z overflows to inf and 1/(1+inf) = 0 is the right limit, so the overflow
    # flag is silenced rather than avoided with a costlier two-branch form.
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(np.negative(z)))


def sigmoid_prime(z: Array) -> Array:
    """Return σ(z)(1 − σ(z)), whose peak is 0.25 at z = 0."""
    # e/(1+e)² with e = e^-|z| equals σ(1−σ) without the cancellation of 1 − σ near 1.
    exp = np.exp(-np.abs(np.asarray(z)))
    return exp / ((1.0 + exp) * (1.0 + exp))


def sigmoid_delta(z: Array, a: Array, e: Array) -> Array:
    """Return δ = σ'(z) ⊙ e, using σ' = a(1 − a) from the a = σ(z) the forward pass already has."""
    delta = 1.0 - a
    delta *= a
    delta *= e
    return delta


def tanh(z: Array) -> Array:
    """Hyperbolic tangent."""
    return np.tanh(z)


def tanh_prime(z: Array) -> Array:
    """Return 1 − tanh²(z), which is 1 at z = 0."""
    # 4e/(1+e)² with e = e^-2|z| equals sech²(z) and keeps precision in the tails.
    exp = np.exp(-2.0 * np.abs(np.asarray(z)))
    return 4.0 * exp / ((1.0 + exp) * (1.0 + exp))


def tanh_delta(z: Array, a: Array, e: Array) -> Array:
    """Return δ = tanh'(z) ⊙ e, using tanh' = 1 − a² from a = tanh(z)."""
    return (1.0 - a * a) * e


def relu(z: Array) -> Array:
    """Rectified linear unit max(0, z)."""
    return np.maximum(z, 0.0).astype(np.result_type(z, np.float32), copy=False)


def relu_prime(z: Array) -> Array:
    """Return 1 where z > 0, else 0 (the derivative at 0 is taken as 0)."""
    return (z > 0).astype(np.result_type(z, np.float32))


LEAKY_SLOPE = 0.01


def leaky_relu(z: Array) -> Array:
    """Leaky ReLU: z for z > 0, 0.01 z otherwise."""
    return np.where(z > 0, z, LEAKY_SLOPE * z)


def leaky_relu_prime(z: Array) -> Array:
    """Return 1 where z > 0, else 0.01."""
    dtype = np.result_type(z, np.float32)
    return np.where(z > 0, dtype.type(1.0), dtype.type(LEAKY_SLOPE))


def linear(z: Array) -> Array:
    """Identity g(z) = z."""
    return np.asarray(z)


def linear_prime(z: Array) -> Array:
    """Return 1 everywhere."""
    return np.ones_like(z, dtype=np.result_type(z, np.float32))


def softplus(z: Array) -> Array:
    """Softplus log(1 + e^z), stable for large |z|."""
    return np.logaddexp(0.0, z).astype(np.result_type(z, np.float32), copy=False)


def softplus_prime(z: Array) -> Array:
    """Return σ(z), the derivative of softplus."""
    return sigmoid(z)


def softmax(z: Array) -> Array:
    """Softmax along axis 0, shifted by the maximum so that it never overflows."""
    exp = z - z.max(axis=0, keepdims=True)
    np.exp(exp, out=exp)
    exp /= exp.sum(axis=0, keepdims=True)
    return exp


def softmax_prime(z: Array) -> Array:
    """Return the diagonal of the softmax Jacobian, a_i(1 − a_i) (for display; δ uses the full Jacobian)."""
    a = softmax(z)
    return a * (1.0 - a)


def _elementwise_delta(prime: Callable[[Array], Array]) -> Callable[[Array, Array, Array], Array]:
    def delta(z: Array, a: Array, e: Array) -> Array:
        return prime(z) * e

    return delta


def softmax_delta(z: Array, a: Array, e: Array) -> Array:
    """Return Jᵀe for the softmax Jacobian J = diag(a) − a aᵀ, i.e. a ⊙ (e − aᵀe)."""
    return a * (e - np.sum(a * e, axis=0, keepdims=True))


@dataclass(frozen=True)
class Activation:
    """One nonlinearity: its function, derivative, how δ is formed, and how to write it."""

    name: str
    fn: Callable[[Array], Array]
    prime: Callable[[Array], Array]
    delta: Callable[[Array, Array, Array], Array]
    formula: str
    prime_formula: str
    differentiable: bool = True
    last_layer_only: bool = False

    def __call__(self, z: Array) -> Array:
        return self.fn(z)


def _make(name, fn, prime, formula, prime_formula, delta=None, **extra) -> Activation:
    delta = delta or _elementwise_delta(prime)
    return Activation(name, fn, prime, delta, formula, prime_formula, **extra)


ACTIVATIONS: dict[str, Activation] = {
    act.name: act
    for act in (
        _make("step", step, step_prime, "g(z) = H(z)", "g'(z) = 0 (z ≠ 0)", differentiable=False),
        _make("sign", sign, sign_prime, "g(z) = sgn(z)", "g'(z) = 0 (z ≠ 0)", differentiable=False),
        _make(
            "sigmoid",
            sigmoid,
            sigmoid_prime,
            "g(z) = 1/(1+e^(−z))",
            "g'(z) = σ(z)(1−σ(z))",
            delta=sigmoid_delta,
        ),
        _make("tanh", tanh, tanh_prime, "g(z) = tanh(z)", "g'(z) = 1 − tanh²(z)", delta=tanh_delta),
        _make("relu", relu, relu_prime, "g(z) = max(0, z)", "g'(z) = 1 if z > 0 else 0"),
        _make(
            "leaky_relu",
            leaky_relu,
            leaky_relu_prime,
            "g(z) = max(0.01z, z)",
            "g'(z) = 1 if z > 0 else 0.01",
        ),
        _make("linear", linear, linear_prime, "g(z) = z", "g'(z) = 1"),
        _make("softplus", softplus, softplus_prime, "g(z) = log(1+e^z)", "g'(z) = σ(z)"),
        Activation(
            "softmax",
            softmax,
            softmax_prime,
            softmax_delta,
            "g(z)_i = e^(z_i) / Σ_j e^(z_j)",
            "∂a_i/∂z_j = a_i(δ_ij − a_j)",
            last_layer_only=True,
        ),
    )
}


def get_activation(name: str) -> Activation:
    """Look up an activation by name; raise KeyError naming the choices."""
    try:
        return ACTIVATIONS[name]
    except KeyError:
        choices = ", ".join(ACTIVATIONS)
        raise KeyError(f"unknown activation {name!r} (choose from {choices})") from None
