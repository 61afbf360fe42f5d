"""The ordered stages of one forward and backward pass, each with its formula and its numbers.

A Stepper records one Trace and cuts it into the stages a teacher steps through on the board:
input; for k = 1..L the linear step z^(k) = W^(k) a^(k−1) and the nonlinear step a^(k) = g(z^(k));
the output error and J; for k = L..1 the δ^(k) step and (k > 1) the e^(k−1) = W^(k)ᵀ δ^(k) step;
the gradients ∂J/∂W^(k) = δ^(k) a^(k−1)ᵀ and ∂J/∂b^(k) = δ^(k); the update W ← W − η ∂J/∂W and
b ← b − η ∂J/∂b. Moving between stages costs nothing: every number comes from the one recorded trace.

Every equation is a sequence of tokens, and it holds with the numbers it carries: an operator
("=", "+", "−", "⊙" the element-wise product), a Term (a symbol and its values, already transposed
when the symbol ends in "ᵀ"), or an Apply (an activation applied to a Term). Two value tokens side by
side are their product (a matrix product, or a scalar times an array); a 1-D array is a column. The
window, the slides, the exports and `trace --json` all draw these same tokens.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, TypeAlias

import numpy as np

from explorer.engine.activations import get_activation
from explorer.engine.arrays import Array
from explorer.engine.losses import Loss, get_loss
from explorer.engine.network import Network, Trace

# Quantities a stage can reveal on the graph, as (kind, layer) pairs.
Z, A, E, DELTA, GRAD, UPDATE, LOSS = "z", "a", "e", "delta", "grad", "update", "loss"


@dataclass(frozen=True)
class Term:
    """One named matrix or vector in a formula with numbers, e.g. W^(1) and its values."""

    symbol: str
    values: Array

    @property
    def is_vector(self) -> bool:
        """Return True for a column vector (1-D values)."""
        return np.ndim(self.values) <= 1


@dataclass(frozen=True)
class Apply:
    """An activation applied to a term, g(z), e.g. sigmoid(z^(1))."""

    activation: str
    to: Term


OPERATORS = ("=", "+", "−", "⊙")

# An equation is a sequence of Terms, Applys and operator strings (OPERATORS).
Token: TypeAlias = "Term | Apply | str"
Equation: TypeAlias = "tuple[Token, ...]"


def token_record(token: Token) -> str | dict[str, Any]:
    """Return one token as JSON-ready data: the operator, {"symbol", "value"} or {"apply", "to"}."""
    if isinstance(token, Apply):
        return {"apply": token.activation, "to": token_record(token.to)}
    if isinstance(token, Term):
        value: Any = np.asarray(token.values).tolist()
        return {"symbol": token.symbol, "value": value}
    return token


def stage_record(stage: Stage) -> dict[str, Any]:
    """Return a stage as JSON-ready data: its title, formulas and equations as tokens."""
    return {
        "title": stage.title,
        "formulas": list(stage.formulas),
        "equations": [[token_record(token) for token in equation] for equation in stage.equations],
    }


# What a stage does, in the order of the pass; views and exports key on it. The last two are the
# stages of solving for the input (engine.inverse): e^(0) = ∂J/∂x, and x ← x − η e^(0).
StageKind: TypeAlias = Literal[
    "input",
    "linear",
    "nonlinear",
    "error",
    "delta",
    "backprop",
    "gradient",
    "update",
    "input_error",
    "input_update",
]


@dataclass(frozen=True)
class Stage:
    """One step of the pass: what it is, its formula, its numbers and what it touches."""

    kind: StageKind
    layer: int  # the layer k the stage belongs to (0 for input, gradient and update)
    title: str
    formulas: tuple[str, ...]  # in the lecture's notation, plain text with ^(k) superscripts
    equations: tuple[Equation, ...]  # the same formulas with the actual numbers
    # symbol -> values this stage produces (arrays; J, the loss, as a float)
    outputs: dict[str, Array | float] = field(default_factory=dict)
    neurons: tuple[tuple[int, int], ...] = ()  # (layer, index) of the neurons involved
    edge_layers: tuple[int, ...] = ()  # weight layers k whose edges are involved
    reveals: tuple[tuple[str, int], ...] = ()  # (quantity, layer) first known after this stage

    @property
    def formula(self) -> str:
        """Return the formulas joined into one line."""
        return ";  ".join(self.formulas)


def _neurons(layer: int, size: int) -> tuple[tuple[int, int], ...]:
    return tuple((layer, i) for i in range(size))


def _transposed(vector: Array) -> Array:
    # A 1-D column shown transposed must read as one row, not as the same column.
    return vector[None, :] if vector.ndim == 1 else vector.T


def build_stages(network: Network, trace: Trace, learning_rate: float) -> list[Stage]:
    """Return the stages of the recorded trace, in the order the lecture works them."""
    sizes = network.sizes
    L = network.num_layers
    stages = [
        Stage(
            "input",
            0,
            "Input: a^(0) = x",
            ("a^(0) = x",),
            ((Term("a^(0)", trace.activations[0]), "=", Term("x", trace.x)),),
            {"a^(0)": trace.activations[0]},
            _neurons(0, sizes[0]),
            (),
            ((A, 0),),
        )
    ]
    for k in range(1, L + 1):
        layer = network.layer(k)
        a_prev, z, a = trace.activations[k - 1], trace.zs[k], trace.activations[k]
        assert z is not None
        formula = f"z^({k}) = W^({k}) a^({k - 1})"
        equation: list[Term | str] = [
            Term(f"z^({k})", z),
            "=",
            Term(f"W^({k})", layer.weights),
            Term(f"a^({k - 1})", a_prev),
        ]
        if layer.bias is not None:
            formula += f" + b^({k})"
            equation += ["+", Term(f"b^({k})", layer.bias)]
        stages.append(
            Stage(
                "linear",
                k,
                f"Layer {k}, linear step",
                (formula,),
                (tuple(equation),),
                {f"z^({k})": z},
                _neurons(k - 1, sizes[k - 1]) + _neurons(k, sizes[k]),
                (k,),
                ((Z, k),),
            )
        )
        activation = get_activation(layer.activation)
        stages.append(
            Stage(
                "nonlinear",
                k,
                f"Layer {k}, nonlinear step ({layer.activation})",
                (f"a^({k}) = g(z^({k}))", activation.formula),
                ((Term(f"a^({k})", a), "=", Apply(layer.activation, Term(f"z^({k})", z))),),
                {f"a^({k})": a},
                _neurons(k, sizes[k]),
                (),
                ((A, k),),
            )
        )

    loss = get_loss(network.loss)
    output_activation = network.layer(L).activation
    target_sum = float(np.sum(trace.y))
    y_hat, e_out, z_out = trace.activations[L], trace.e(L), trace.z(L)
    loss_formula = _loss_formula(loss, output_activation)
    if loss.name == "cross_entropy":
        # e^(L) = ∂J/∂ŷ is not ŷ − y here: the stage shows ∂J/∂ŷ and says what it is.
        error_formula = f"e^({L}) = ∂J/∂ŷ, " + (
            "e_i = −y_i / ŷ_i" if output_activation == "softmax" else "e_i = (1−y_i)/(1−ŷ_i) − y_i/ŷ_i"
        )
        error_equation: Equation = (Term(f"e^({L})", e_out), "=", Term("∂J/∂ŷ", e_out))
        loss_equation = _cross_entropy_equation(z_out, trace.y, output_activation, trace.loss)
        error_formulas: tuple[str, ...] = (
            error_formula,
            f"{loss_formula} = {trace.loss:.6g}",
            f"δ^({L}) = ∂J/∂z^({L}) = ŷ − y",
        )
    else:
        error_equation = (Term(f"e^({L})", e_out), "=", Term("ŷ", y_hat), "−", Term("y", trace.y))
        loss_equation = (
            Term("J", np.asarray(trace.loss)),
            "=",
            Term("½", np.asarray(0.5)),
            Term(f"e^({L})ᵀ", _transposed(e_out)),
            Term(f"e^({L})", e_out),
        )
        error_formulas = (
            loss.error_formula.replace("(L)", f"({L})"),
            f"J = ½ e^({L})ᵀ e^({L}) = {trace.loss:.6g}",
        )
    stages.append(
        Stage(
            "error",
            L,
            "Output error and this sample's loss J",
            error_formulas,
            (error_equation, loss_equation),
            {f"e^({L})": e_out, "J": trace.loss},
            _neurons(L, sizes[L]),
            (),
            ((E, L), (LOSS, L)),
        )
    )
    for k in range(L, 0, -1):
        layer = network.layer(k)
        activation = get_activation(layer.activation)
        z, a, e, delta = trace.zs[k], trace.activations[k], trace.errors[k], trace.deltas[k]
        assert z is not None and e is not None and delta is not None
        if k == L and loss.name == "cross_entropy" and activation.name == "softmax" and target_sum != 1.0:
            # Targets that do not sum to 1 scale ŷ: the exact δ is ŷ Σy − y.
            formulas: tuple[str, ...] = (f"δ^({k}) = ŷ Σ_j y_j − y   (stable form of (∂a/∂z)ᵀ e)",)
            delta_equation: Equation = (
                Term(f"δ^({k})", delta),
                "=",
                Term("ŷ", a),
                Term("Σy", np.asarray(np.sum(trace.y))),
                "−",
                Term("y", trace.y),
            )
        elif k == L and loss.name == "cross_entropy":
            formulas = (loss.delta_formula.replace("(L)", f"({k})") + "   (stable form of g'(z) ⊙ e)",)
            delta_equation = (Term(f"δ^({k})", delta), "=", Term("ŷ", a), "−", Term("y", trace.y))
        elif activation.name == "softmax":
            jacobian = np.diag(a) - np.outer(a, a)
            # No Kronecker δ_ij here: δ already names backprop's quantity.
            formulas = (f"δ^({k}) = (∂a^({k})/∂z^({k}))ᵀ e^({k})", "∂a/∂z = diag(a) − a aᵀ")
            delta_equation = (
                Term(f"δ^({k})", delta),
                "=",
                Term("(∂a/∂z)ᵀ", jacobian.T),
                Term(f"e^({k})", e),
            )
        else:
            formulas = (f"δ^({k}) = g'(z^({k})) ⊙ e^({k})", activation.prime_formula)
            prime = activation.prime(z)
            delta_equation = (
                Term(f"δ^({k})", delta),
                "=",
                Term(f"g'(z^({k}))", prime),
                "⊙",
                Term(f"e^({k})", e),
            )
        stages.append(
            Stage(
                "delta",
                k,
                f"Layer {k}, δ step",
                formulas,
                (delta_equation,),
                {f"δ^({k})": delta},
                _neurons(k, sizes[k]),
                (),
                ((DELTA, k),),
            )
        )
        if k > 1:
            e_prev = trace.errors[k - 1]
            assert e_prev is not None
            stages.append(
                Stage(
                    "backprop",
                    k,
                    f"Layer {k} → {k - 1}, error sent back",
                    (f"e^({k - 1}) = W^({k})ᵀ δ^({k})",),
                    (
                        (
                            Term(f"e^({k - 1})", e_prev),
                            "=",
                            Term(f"W^({k})ᵀ", layer.weights.T),
                            Term(f"δ^({k})", delta),
                        ),
                    ),
                    {f"e^({k - 1})": e_prev},
                    _neurons(k, sizes[k]) + _neurons(k - 1, sizes[k - 1]),
                    (k,),
                    ((E, k - 1),),
                )
            )

    grad_formulas: list[str] = []
    grad_equations: list[Equation] = []
    grad_outputs: dict[str, Array | float] = {}
    for k in range(1, L + 1):
        grad_w, grad_b, delta = trace.grad_w(k), trace.grad_biases[k], trace.delta(k)
        grad_formulas.append(f"∂J/∂W^({k}) = δ^({k}) a^({k - 1})ᵀ")
        grad_equations.append(
            (
                Term(f"∂J/∂W^({k})", grad_w),
                "=",
                Term(f"δ^({k})", delta),
                Term(f"a^({k - 1})ᵀ", _transposed(trace.activations[k - 1])),
            )
        )
        grad_outputs[f"∂J/∂W^({k})"] = grad_w
        if grad_b is not None:
            grad_formulas.append(f"∂J/∂b^({k}) = δ^({k})")
            grad_equations.append((Term(f"∂J/∂b^({k})", grad_b), "=", Term(f"δ^({k})", delta)))
            grad_outputs[f"∂J/∂b^({k})"] = grad_b
    has_bias = any(layer.bias is not None for layer in network.layers)
    stages.append(
        Stage(
            "gradient",
            0,
            "Gradients of this sample's J: ∂J/∂w_ij^(k) = δ_i^(k) a_j^(k−1)"
            + (", ∂J/∂b_i^(k) = δ_i^(k)" if has_bias else ""),
            tuple(grad_formulas),
            tuple(grad_equations),
            grad_outputs,
            (),
            tuple(range(1, L + 1)),
            tuple((GRAD, k) for k in range(1, L + 1)),
        )
    )

    update_formulas: list[str] = []
    update_equations: list[Equation] = []
    update_outputs: dict[str, Array | float] = {}
    eta = Term("η", np.asarray(learning_rate, dtype=np.float64))
    for k in range(1, L + 1):
        layer = network.layer(k)
        grad_w, grad_b = trace.grad_w(k), trace.grad_biases[k]
        # The change is shown on its own: W new and W may agree to every digit shown.
        change_w = -(learning_rate * grad_w)
        new_weights = layer.weights + change_w  # equals W − η ∂J/∂W to the last bit
        update_formulas.append(f"W^({k}) ← W^({k}) − η ∂J/∂W^({k}) = W^({k}) + ΔW^({k})")
        # One row per parameter: ΔW = W new − W = −η ∂J/∂W, the old, the new and the change side by side.
        update_equations.append(
            (
                Term(f"ΔW^({k})", change_w),
                "=",
                Term(f"W^({k}) new", new_weights),
                "−",
                Term(f"W^({k})", layer.weights),
                "=",
                "−",
                eta,
                Term(f"∂J/∂W^({k})", grad_w),
            )
        )
        update_outputs[f"ΔW^({k})"] = change_w
        update_outputs[f"W^({k}) new"] = new_weights
        if layer.bias is not None:
            assert grad_b is not None  # a layer with a bias has its gradient
            change_b = -(learning_rate * grad_b)
            new_bias = layer.bias + change_b
            update_formulas.append(f"b^({k}) ← b^({k}) − η ∂J/∂b^({k}) = b^({k}) + Δb^({k})")
            update_equations.append(
                (
                    Term(f"Δb^({k})", change_b),
                    "=",
                    Term(f"b^({k}) new", new_bias),
                    "−",
                    Term(f"b^({k})", layer.bias),
                    "=",
                    "−",
                    eta,
                    Term(f"∂J/∂b^({k})", grad_b),
                )
            )
            update_outputs[f"Δb^({k})"] = change_b
            update_outputs[f"b^({k}) new"] = new_bias
    stages.append(
        Stage(
            "update",
            0,
            f"Update with learning rate η = {float(learning_rate)!r}",
            tuple(update_formulas),
            tuple(update_equations),
            update_outputs,
            (),
            tuple(range(1, L + 1)),
            tuple((UPDATE, k) for k in range(1, L + 1)),
        )
    )
    return stages


def _loss_formula(loss: Loss, output_activation: str) -> str:
    # Cross-entropy on sigmoid outputs is the binary form, one term per output.
    if loss.name == "cross_entropy" and output_activation == "sigmoid":
        return "J = −Σ [y log ŷ + (1−y) log(1−ŷ)]"
    return loss.formula


def _cross_entropy_equation(z: Array, y: Array, output_activation: str, loss: float) -> Equation:
    """Return J = −yᵀ log ŷ (softmax) or J = −yᵀ log ŷ − (1−y)ᵀ log(1−ŷ) (sigmoid), with log ŷ from z."""
    # log ŷ taken from z never meets log 0, as the loss itself does not.
    if output_activation == "softmax":
        shifted = z - np.max(z)
        log_y_hat = shifted - np.log(np.sum(np.exp(shifted)))
        return (Term("J", np.asarray(loss)), "=", "−", Term("yᵀ", _transposed(y)), Term("log ŷ", log_y_hat))
    log_y_hat = -np.logaddexp(0.0, -z)  # log σ(z)
    log_rest = -np.logaddexp(0.0, z)  # log(1 − σ(z)) = log σ(−z)
    return (
        Term("J", np.asarray(loss)),
        "=",
        "−",
        Term("yᵀ", _transposed(y)),
        Term("log ŷ", log_y_hat),
        "−",
        Term("(1−y)ᵀ", _transposed(1.0 - y)),
        Term("log(1−ŷ)", log_rest),
    )


def updated_network(network: Network, trace: Trace, learning_rate: float) -> Network:
    """Return a copy of the network after one step W ← W − η ∂J/∂W (and b ← b − η ∂J/∂b)."""
    new = network.copy()
    for k, layer in enumerate(new.layers, start=1):
        grad_w, grad_b = trace.grad_weights[k], trace.grad_biases[k]
        assert grad_w is not None
        layer.weights -= learning_rate * grad_w
        if layer.bias is not None:
            assert grad_b is not None  # a layer with a bias has its gradient
            layer.bias -= learning_rate * grad_b
    return new


class Stepper:
    """One recorded trace of a single sample, cut into stages, with a current position."""

    def __init__(self, network: Network, x: Array, y: Array, learning_rate: float = 0.5) -> None:
        self.network = network
        self.learning_rate = learning_rate
        self.trace = network.trace(x, y)
        self.stages = build_stages(network, self.trace, learning_rate)

    def __len__(self) -> int:
        return len(self.stages)

    def revealed(self, index: int) -> frozenset[tuple[str, int]]:
        """Return the (quantity, layer) pairs known once stage `index` has been done."""
        known: set[tuple[str, int]] = set()
        for stage in self.stages[: index + 1]:
            known.update(stage.reveals)
        return frozenset(known)

    def index_of(self, kind: StageKind, layer: int = 0) -> int:
        """Return the index of the first stage of this kind and layer."""
        for index, stage in enumerate(self.stages):
            if stage.kind == kind and stage.layer == layer:
                return index
        raise ValueError(f"no {kind} stage for layer {layer}")

    def updated_network(self) -> Network:
        """Return the network after the update stage's step."""
        return updated_network(self.network, self.trace, self.learning_rate)
