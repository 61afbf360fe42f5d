"""Activation functions g(z), each beside its derivative g'(z), and a registry by name.

All functions work element-wise on arrays of any shape, except softmax, which normalises
along axis 0 (a column per sample, as in the lecture's column vectors).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from explorer.engine.arrays import Array


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


def _new_float_like(z: Array) -> Array:
    """Return an uninitialised floating array of z's shape (float64 for integer z), to write into."""
    dtype = z.dtype if z.dtype.kind == "f" else np.dtype(np.float64)
    return np.empty(z.shape, dtype)


def _scaled(prime: Array, e: Array) -> Array:
    """Return prime ⊙ e, in place in prime (a fresh array) when that keeps numpy's result type."""
    if prime.shape == np.shape(e) and prime.dtype == np.result_type(prime, e):
        prime *= e
        return prime
    return prime * e


def sigmoid(z: Array) -> Array:
    """Logistic sigmoid 1 / (1 + e^-z), exact in both tails and silent for large |z|."""
    # For z ≪ 0, e^-z overflows to inf and 1/(1+inf) = 0 is the right limit, so the overflow
    # flag is silenced rather than avoided with a costlier two-branch form. Worked in one array.
    z = np.asarray(z)
    out = np.negative(z, out=_new_float_like(z))
    with np.errstate(over="ignore"):
        np.exp(out, out=out)
    out += 1.0
    return np.divide(1.0, out, out=out)


def _sigmoid_prime_given(z: Array, a: Array) -> Array:
    """Return σ'(z) = σ(z) σ(−z) as a / (1 + e^z), given a = σ(z): a new array."""
    # Both factors keep their relative precision for every z, unlike σ(1−σ), whose 1 − σ cancels
    # near σ = 1 (10 % wrong at z = 32, 0 from z ≈ 36.7). Where e^z overflows (z > 709 in float64,
    # 88.7 in float32) the result is 0 instead of a subnormal e^−z.
    z = np.asarray(z)
    with np.errstate(over="ignore"):
        out = np.exp(z, out=_new_float_like(z))
    out += 1.0
    return np.divide(a, out, out=out)


def sigmoid_prime(z: Array) -> Array:
    """Return σ'(z) = σ(z)(1 − σ(z)), whose peak is 0.25 at z = 0, to full precision for every z."""
    return _sigmoid_prime_given(z, sigmoid(z))


def sigmoid_delta(z: Array, a: Array, e: Array) -> Array:
    """Return δ = σ'(z) ⊙ e for a = σ(z): the same σ'(z), bit for bit, that sigmoid_prime(z) shows."""
    return _scaled(_sigmoid_prime_given(z, a), e)


def tanh(z: Array) -> Array:
    """Hyperbolic tangent."""
    return np.tanh(z)


def tanh_prime(z: Array) -> Array:
    """Return tanh'(z) = 1 − tanh²(z), which is 1 at z = 0, to full precision for every z."""
    # 4e/(1+e)² with e = e^−2|z| equals sech²(z); 1 − a² from a = tanh(z) would be 0 for |z| ≥ 19.06.
    z = np.asarray(z)
    exp = np.abs(z, out=_new_float_like(z))
    exp *= -2.0
    np.exp(exp, out=exp)
    denominator = exp + 1.0
    denominator *= denominator
    exp *= 4.0
    exp /= denominator
    return exp


def tanh_delta(z: Array, a: Array, e: Array) -> Array:
    """Return δ = tanh'(z) ⊙ e with tanh'(z) computed from z (not 1 − a², which rounds through a)."""
    return _scaled(tanh_prime(z), e)


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
    prime: Array = np.where(z > 0, dtype.type(1.0), dtype.type(LEAKY_SLOPE))
    return prime


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
    exp: Array = z - z.max(axis=0, keepdims=True)
    np.exp(exp, out=exp)
    exp /= exp.sum(axis=0, keepdims=True)
    return exp


def softmax_prime(z: Array) -> Array:
    """Return the diagonal of the softmax Jacobian, a_i(1 − a_i) (for display; δ uses the full Jacobian)."""
    a = softmax(z)
    # 1 − a_i = Σ_{j≠i} a_j: summed from the others where a_i > ½, since 1 − a_i would cancel there.
    rest = 1.0 - a
    confident = a > 0.5
    np.copyto(rest, np.where(confident, 0.0, a).sum(axis=0), where=confident)
    rest *= a
    return rest


def _elementwise_delta(prime: Callable[[Array], Array]) -> Callable[[Array, Array, Array], Array]:
    # Every prime here returns a fresh array, so δ may be formed in it.
    def delta(z: Array, a: Array, e: Array) -> Array:
        return _scaled(prime(z), e)

    return delta


def softmax_delta(z: Array, a: Array, e: Array) -> Array:
    """Return Jᵀe for the softmax Jacobian J = diag(a) − a aᵀ, i.e. a ⊙ (e − aᵀe)."""
    projection: Array = np.sum(a * e, axis=0, keepdims=True)
    return a * (e - projection)


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


def _make(
    name: str,
    fn: Callable[[Array], Array],
    prime: Callable[[Array], Array],
    formula: str,
    prime_formula: str,
    delta: Callable[[Array, Array, Array], Array] | None = None,
    **extra: bool,
) -> Activation:
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
