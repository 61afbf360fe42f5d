"""The multi-layer perceptron of the lecture: layers of (W, b or None, g); forward and backward.

Notation (lecture 55): W^(k)[i, j] = w_ij^(k) is the weight of layer k *to* neuron i *from*
neuron j. Vectors are columns: one sample has shape (n,), a batch has shape (n, batch).
Index k runs from 1 to L; lists indexed by k keep a placeholder at index 0 where layer 0
has no such quantity (the input layer has an activation a^(0) = x and nothing else).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from explorer.engine.activations import get_activation
from explorer.engine.arrays import Array
from explorer.engine.losses import PerSample, get_loss


@dataclass
class Layer:
    """Layer k: weights W^(k) (neurons of k × neurons of k−1), optional bias b^(k), activation name."""

    weights: Array
    bias: Array | None
    activation: str

    @property
    def size(self) -> int:
        """Return the number of neurons in this layer."""
        return int(self.weights.shape[0])

    @property
    def input_size(self) -> int:
        """Return the number of neurons feeding this layer."""
        return int(self.weights.shape[1])

    def copy(self) -> Layer:
        """Return a deep copy."""
        bias = None if self.bias is None else self.bias.copy()
        return Layer(self.weights.copy(), bias, self.activation)


@dataclass
class Trace:
    """Every quantity of one forward and backward pass, indexed by layer k = 0..L.

    zs[0], deltas[0], grad_weights[0] and grad_biases[0] are None (layer 0 is the input);
    errors[0] = W^(1)ᵀ δ^(1) is filled only when asked for. For a batch, J and the gradients
    are means over the batch.
    """

    x: Array
    y: Array
    zs: list[Array | None]
    activations: list[Array]
    errors: list[Array | None]
    deltas: list[Array | None]
    grad_weights: list[Array | None]
    grad_biases: list[Array | None]  # also None for a layer without bias
    loss: float
    per_sample_loss: PerSample | None = field(repr=False, default=None)

    @property
    def output(self) -> Array:
        """Return ŷ = a^(L)."""
        return self.activations[-1]

    def z(self, k: int) -> Array:
        """Return z^(k) for a layer k = 1..L."""
        return _layer_value(self.zs, k, "z")

    def e(self, k: int) -> Array:
        """Return e^(k) (k = 0 only when the trace was asked for the error at the input)."""
        return _layer_value(self.errors, k, "e")

    def delta(self, k: int) -> Array:
        """Return δ^(k) for a layer k = 1..L."""
        return _layer_value(self.deltas, k, "δ")

    def grad_w(self, k: int) -> Array:
        """Return ∂J/∂W^(k) for a layer k = 1..L."""
        return _layer_value(self.grad_weights, k, "∂J/∂W")


def _layer_value(values: list[Array | None], k: int, name: str) -> Array:
    """Return values[k], raising IndexError (not a None passed on) where layer k has no such value."""
    value = values[k]
    if value is None:
        raise IndexError(f"{name}^({k}) is not part of this trace")
    return value


class Network:
    """An MLP with a loss: the engine's single source of truth for one network."""

    def __init__(self, layers: list[Layer], loss: str = "half_sse", name: str = "") -> None:
        self.layers = layers
        self.loss = loss
        self.name = name

    # --- shape -------------------------------------------------------------------------
    @property
    def num_layers(self) -> int:
        """Return L, the number of weight layers."""
        return len(self.layers)

    @property
    def sizes(self) -> list[int]:
        """Return the neuron counts [n_0, n_1, ..., n_L], input first."""
        if not self.layers:
            return []
        return [self.layers[0].input_size] + [layer.size for layer in self.layers]

    @property
    def input_size(self) -> int:
        """Return n_0, the width of x."""
        return self.layers[0].input_size

    @property
    def output_size(self) -> int:
        """Return n_L, the width of ŷ."""
        return self.layers[-1].size

    @property
    def dtype(self) -> np.dtype[Any]:
        """Return the floating type of the weights."""
        return self.layers[0].weights.dtype

    def layer(self, k: int) -> Layer:
        """Return layer k, counting from 1 as the lecture does."""
        if not 1 <= k <= self.num_layers:
            raise IndexError(f"layer {k} is not in 1..{self.num_layers}")
        return self.layers[k - 1]

    def parameter_count(self) -> int:
        """Return the number of weights and biases."""
        return sum(
            layer.weights.size + (0 if layer.bias is None else layer.bias.size) for layer in self.layers
        )

    def copy(self) -> Network:
        """Return a deep copy."""
        return Network([layer.copy() for layer in self.layers], self.loss, self.name)

    def astype(self, dtype: npt.DTypeLike) -> Network:
        """Return a copy whose weights and biases are of the given float type."""
        layers = [
            Layer(
                layer.weights.astype(dtype),
                None if layer.bias is None else layer.bias.astype(dtype),
                layer.activation,
            )
            for layer in self.layers
        ]
        return Network(layers, self.loss, self.name)

    def validate(self) -> None:
        """Raise ValueError if shapes, activations or the loss do not fit together."""
        if not self.layers:
            raise ValueError("a network needs at least one layer")
        try:
            loss = get_loss(self.loss)
        except KeyError as error:
            raise ValueError(error.args[0]) from None
        previous = self.layers[0].input_size
        for k, layer in enumerate(self.layers, start=1):
            if layer.weights.ndim != 2:
                raise ValueError(f"layer {k}: weights must be a matrix")
            if layer.input_size != previous:
                raise ValueError(
                    f"layer {k}: weights have {layer.input_size} columns, expected {previous} "
                    f"(the size of layer {k - 1})"
                )
            if layer.bias is not None and layer.bias.shape != (layer.size,):
                raise ValueError(f"layer {k}: bias has {layer.bias.size} entries, expected {layer.size}")
            try:
                activation = get_activation(layer.activation)
            except KeyError as error:
                raise ValueError(f"layer {k}: {error.args[0]}") from None
            if activation.last_layer_only and k != self.num_layers:
                raise ValueError(f"layer {k}: {layer.activation} is allowed in the last layer only")
            previous = layer.size
        allowed = loss.output_activations
        if allowed is not None and self.layers[-1].activation not in allowed:
            raise ValueError(
                f"loss {self.loss} needs a {' or '.join(allowed)} output layer, "
                f"not {self.layers[-1].activation}"
            )

    # --- passes ------------------------------------------------------------------------
    def _floating(self) -> np.dtype[Any]:
        # Integer weights (hand-typed arrays) must not truncate x and y to integers.
        dtype = self.dtype
        return dtype if dtype.kind == "f" else np.dtype(np.float64)

    def _as_input(self, values: npt.ArrayLike) -> Array:
        x = np.asarray(values, dtype=self._floating())
        if x.ndim not in (1, 2) or x.shape[0] != self.input_size:
            raise ValueError(
                f"x has {x.shape[0] if x.ndim else 1} entries per sample, "
                f"the network takes {self.input_size} inputs"
            )
        return x

    def _as_target(self, values: npt.ArrayLike, y_hat: Array) -> Array:
        y = np.asarray(values, dtype=y_hat.dtype)
        if y.shape != y_hat.shape:
            if y.ndim == 0 or y.shape[0] != y_hat.shape[0]:
                raise ValueError(
                    f"y has {y.shape[0] if y.ndim else 1} entries per sample, "
                    f"the network has {y_hat.shape[0]} outputs"
                )
            raise ValueError(f"y has shape {y.shape}, expected {y_hat.shape} like the output")
        return y

    def forward(self, x: npt.ArrayLike) -> tuple[list[Array | None], list[Array]]:
        """Return (zs, activations) with zs[k] = W^(k) a^(k−1) (+ b^(k)) and activations[k] = g(zs[k])."""
        a = self._as_input(x)
        zs: list[Array | None] = [None]
        activations: list[Array] = [a]
        for layer in self.layers:
            z = layer.weights @ a
            if layer.bias is not None:
                z += layer.bias if z.ndim == 1 else layer.bias[:, None]
            a = get_activation(layer.activation).fn(z)
            zs.append(z)
            activations.append(a)
        return zs, activations

    def predict(self, x: npt.ArrayLike) -> Array:
        """Return ŷ = a^(L) for x."""
        return self.forward(x)[1][-1]

    def trace(self, x: npt.ArrayLike, y: npt.ArrayLike, input_error: bool = True) -> Trace:
        """Run forward and backward; return every z, a, e, δ, ∂J/∂W and ∂J/∂b.

        Backward, as in the lecture: δ^(k) = g'(z^(k)) ⊙ e^(k), e^(k−1) = W^(k)ᵀ δ^(k),
        ∂J/∂W^(k) = δ^(k) a^(k−1)ᵀ and ∂J/∂b^(k) = δ^(k). With input_error=False the unused
        e^(0) is skipped (training does not need it).
        """
        zs, activations = self.forward(x)
        z_out, y_hat = zs[-1], activations[-1]
        assert z_out is not None  # zs[L] of the last layer; only zs[0] is None
        target = self._as_target(y, y_hat)
        loss = get_loss(self.loss)
        output_activation = get_activation(self.layers[-1].activation)
        per_sample = loss.value(z_out, y_hat, target, output_activation)

        L = self.num_layers
        errors: list[Array | None] = [None] * (L + 1)
        deltas: list[Array | None] = [None] * (L + 1)
        grad_weights: list[Array | None] = [None] * (L + 1)
        grad_biases: list[Array | None] = [None] * (L + 1)
        errors[L] = loss.error(z_out, y_hat, target, output_activation)
        delta = loss.delta(z_out, y_hat, target, output_activation)
        batch = 1 if y_hat.ndim == 1 else y_hat.shape[1]
        for k in range(L, 0, -1):
            layer = self.layers[k - 1]
            if k < L:
                z, e = zs[k], errors[k]
                assert z is not None and e is not None  # set for every k ≥ 1, e^(k) on the step before
                delta = get_activation(layer.activation).delta(z, activations[k], e)
            deltas[k] = delta
            a_prev = activations[k - 1]
            if delta.ndim == 1:
                grad_weights[k] = delta[:, None] * a_prev  # the outer product δ a^(k−1)ᵀ
                if layer.bias is not None:
                    grad_biases[k] = delta
            else:
                # Dividing the narrow δ rather than the wide product makes the mean cheap.
                delta_mean = delta * (1.0 / batch)
                grad_weights[k] = delta_mean @ a_prev.T
                if layer.bias is not None:
                    grad_biases[k] = delta_mean.sum(axis=1)
            if k > 1 or input_error:
                errors[k - 1] = layer.weights.T @ delta
        return Trace(
            x=activations[0],
            y=target,
            zs=zs,
            activations=activations,
            errors=errors,
            deltas=deltas,
            grad_weights=grad_weights,
            grad_biases=grad_biases,
            loss=float(per_sample) if y_hat.ndim == 1 else float(per_sample.sum()) / batch,
            per_sample_loss=per_sample,
        )

    def loss_value(self, x: npt.ArrayLike, y: npt.ArrayLike) -> float:
        """Return J for one sample, or the mean J over a batch of columns."""
        zs, activations = self.forward(x)
        z_out, y_hat = zs[-1], activations[-1]
        assert z_out is not None  # zs[L] of the last layer; only zs[0] is None
        target = self._as_target(y, y_hat)
        activation = get_activation(self.layers[-1].activation)
        per_sample = get_loss(self.loss).value(z_out, y_hat, target, activation)
        return float(np.mean(per_sample))
