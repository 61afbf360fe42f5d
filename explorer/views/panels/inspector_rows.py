"""What the inspector shows for a weight or a neuron: its title, editor and rows of revealed numbers.

Each row is a symbol in the lecture's notation, its value (with the arithmetic that gives it) and what
it means; a quantity the current stage has not revealed yet goes to the "step on to see" list instead.
No widgets here: inspector lays these out. Split from inspector, which re-exports the public names.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from explorer.document.document import Document
from explorer.engine import get_activation, get_loss
from explorer.views.fields import format_number

_SUB = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉")
_SUP = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")


def sub(*indices: int | str) -> str:
    """Return indices as subscripts, joined by commas once one of them has two digits."""
    joiner = "," if any(len(str(index)) > 1 for index in indices) else ""
    return joiner.join(str(index).translate(_SUB) for index in indices)


def sup(layer: int) -> str:
    """Return the layer superscript, e.g. ⁽¹⁾."""
    return f"({layer})".translate(_SUP)


def symbol(name: str, layer: int | None, *indices: int) -> str:
    """Return e.g. w₁₂⁽¹⁾ for symbol("w", 1, 1, 2); indices are 1-based."""
    return f"{name}{sub(*indices)}{'' if layer is None else sup(layer)}"


@dataclass(frozen=True)
class Row:
    """One line of the inspector: a symbol, its value (often with the arithmetic), what it means."""

    label: str
    value: str
    meaning: str = ""


@dataclass(frozen=True)
class Editor:
    """The exact editor for the selection's own parameter (a weight or a bias)."""

    label: str
    value: float
    meaning: str


def _f(value: float) -> str:
    return format_number(value, 10)


# title, subtitle, the editor (None: nothing to edit), the rows shown, the labels still pending
Shown = tuple[str, str, Editor | None, list[Row], list[str]]


def edge_rows(doc: Document, k: int, i: int, j: int) -> Shown:
    """Return what the inspector shows for weight w_ij^(k): title, subtitle, editor, rows, pending."""
    trace, revealed, eta = doc.trace, doc.revealed, doc.learning_rate
    w = float(doc.network.layer(k).weights[i, j])
    w_sym, a_sym, d_sym = symbol("w", k, i + 1, j + 1), symbol("a", k - 1, j + 1), symbol("δ", k, i + 1)
    title = f"{w_sym}: to neuron {i + 1} of layer {k} from neuron {j + 1} of layer {k - 1}"
    subtitle = f"Entry (row {i + 1}, column {j + 1}) of the weight matrix W{sup(k)}."
    editor = Editor(w_sym, w, "Type a new weight and press Enter; Edit ▸ Undo takes it back.")
    rows, pending = [], []
    a = float(trace.activations[k - 1][j])
    if ("a", k - 1) in revealed:
        source = f"the input {symbol('x', None, j + 1)}" if k == 1 else "the sending neuron's output"
        rows.append(Row(a_sym, _f(a), f"{source}, which this weight multiplies"))
    if ("z", k) in revealed:
        rows.append(
            Row(
                f"{w_sym} {a_sym}",
                f"{_f(w)} × {_f(a)} = {_f(w * a)}",
                f"this edge's share of {symbol('z', k, i + 1)}",
            )
        )
    else:
        pending.append(f"{w_sym} {a_sym}")
    delta = float(trace.deltas[k][i])
    if ("delta", k) in revealed:
        rows.append(Row(d_sym, _f(delta), "δ = ∂J/∂z of the receiving neuron: how J changes with its z"))
    else:
        pending.append(d_sym)
    grad = float(trace.grad_weights[k][i, j])
    if ("grad", k) in revealed:
        rows.append(
            Row(
                f"∂J/∂{w_sym}",
                f"{d_sym} {a_sym} = {_f(delta)} × {_f(a)} = {_f(grad)}",
                "how J changes when this weight changes",
            )
        )
    else:
        pending.append(f"∂J/∂{w_sym}")
    if ("update", k) in revealed:
        arithmetic = f"w − η ∂J/∂w = {_f(w)} − {eta:g} × {_f(grad)} = {_f(w - eta * grad)}"
        rows.append(
            Row(
                f"new {w_sym}",
                arithmetic,
                f"the weight after one gradient-descent step with learning rate η = {eta:g}",
            )
        )
    else:
        pending.append(f"new {w_sym}")
    return title, subtitle, editor, rows, pending


def neuron_rows(doc: Document, k: int, i: int) -> Shown:
    """Return what the inspector shows for neuron i of layer k: title, subtitle, editor, rows, pending."""
    network, trace, revealed, eta = doc.network, doc.trace, doc.revealed, doc.learning_rate
    L = network.num_layers
    role = "input" if k == 0 else "output" if k == L else "hidden"
    title = f"Neuron {i + 1} of layer {k} ({role})"
    a_sym = symbol("a", k, i + 1)
    a = float(trace.activations[k][i])
    if k == 0:
        subtitle = f"{a_sym} = {symbol('x', None, i + 1)}: the input passes to layer 1 unchanged."
        rows = [Row(a_sym, _f(a), "this input's value; edit the sample in the Structure panel")]
        return title, subtitle, None, rows, []
    layer = network.layer(k)
    activation = get_activation(layer.activation)
    z_sym, e_sym, d_sym, b_sym = (symbol(name, k, i + 1) for name in ("z", "e", "δ", "b"))
    subtitle = f"{a_sym} = g({z_sym}), with g = {layer.activation}: {activation.formula}"
    rows = [Row("layer", f"{k} of {L} ({role}), {layer.size} neurons")]
    editor = None
    if layer.bias is not None:
        editor = Editor(b_sym, float(layer.bias[i]), "the bias, added to the weighted sum; Enter applies")
    else:
        rows.append(Row("bias", "none", f"layer {k} has no bias; switch it on in the Structure panel"))
    pending: list[str] = []
    z = float(trace.zs[k][i])
    plus_b = f" + {b_sym}" if layer.bias is not None else ""
    z_meaning = f"Σⱼ w{sub(i + 1)}ⱼ{sup(k)} aⱼ{sup(k - 1)}{plus_b}: the weighted sum fed to g"
    steps = [
        ("z", z_sym, _f(z), z_meaning),
        ("a", a_sym, _f(a), "ŷ, the network's output" if k == L else "the neuron's output g(z)"),
    ]
    if k == L:
        y = float(trace.y[i])
        steps.append(("e", symbol("y", None, i + 1), _f(y), "the target for this output"))
    e_meaning = "e = ∂J/∂a: how J changes with this neuron's output"
    if k < L:
        e_meaning += f"; sent back as Σₘ wₘ{sub(i + 1)}{sup(k + 1)} δₘ{sup(k + 1)}"
    steps.append(("e", e_sym, _f(float(trace.errors[k][i])), e_meaning))
    prime = float(np.asarray(activation.prime(trace.zs[k]))[i])
    if activation.name == "softmax":
        label, prime_meaning = "∂a/∂z (diagonal)", "a(1 − a); δ uses the whole softmax Jacobian"
    else:
        label, prime_meaning = f"g'({z_sym})", f"{activation.prime_formula}: the slope of g at z"
    steps.append(("delta", label, _f(prime), prime_meaning))
    d_meaning = "δ = ∂J/∂z: how J changes with this neuron's z"
    if k == L and network.loss == "cross_entropy":
        d_meaning += " (stable form ŷ − y)"
    delta = float(trace.deltas[k][i])
    steps.append(("delta", d_sym, _f(delta), d_meaning))
    if layer.bias is not None:
        b = float(layer.bias[i])
        steps.append(("grad", f"∂J/∂{b_sym}", f"{d_sym} = {_f(delta)}", "the bias gradient equals δ"))
        steps.append(
            (
                "update",
                f"new {b_sym}",
                f"b − η ∂J/∂b = {_f(b)} − {eta:g} × {_f(delta)} = {_f(b - eta * delta)}",
                f"the bias after one step with η = {eta:g}",
            )
        )
    if k == L:
        loss = get_loss(network.loss)
        steps.append(("loss", "J", _f(trace.loss), f"the loss {loss.formula} of this sample"))
    for quantity, label, value, meaning in steps:
        if (quantity, k) in revealed:
            rows.append(Row(label, value, meaning))
        elif label not in pending:
            pending.append(label)
    return title, subtitle, editor, rows, pending
