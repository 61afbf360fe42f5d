"""What the network graph writes: neuron numbers, edge labels, layer headings and tooltips.

Everything here is plain text or HTML built from the engine's trace and the set of quantities the
current stage has revealed, so a test can read exactly what the graph draws. Numbers on the graph
have notation's DIGITS significant digits, tooltips its DETAIL_DIGITS; an update "old → new" shows as
many as it takes for the two to differ.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from numpy.typing import ArrayLike

from explorer.engine.arrays import Array
from explorer.engine.network import Network, Trace
from explorer.text.notation import (
    DETAIL_DIGITS,
    DIGITS,
    EXACT,
    display,
    display_html,
    display_pair,
    distinct_digits,
    readable_name,
    subscript,
    superscript,
)

TIP_DIGITS = DETAIL_DIGITS


def num(value: float, digits: int = DIGITS) -> str:
    """Return `value` as the screen writes numbers: `digits` significant digits, "−", ×10ⁿ."""
    return display(value, digits)


def change(old: float, new: float, digits: int = DIGITS) -> str:
    """Return "old → new" with digits enough that the two read differently whenever they differ."""
    before, after = display_pair(old, new, digits)
    return f"{before} → {after}"


def sub(number: int) -> str:
    """Return a non-negative integer as Unicode subscript digits."""
    return subscript(number)


def sup_layer(layer: int) -> str:
    """Return the layer index as a bracketed Unicode superscript, e.g. ⁽¹⁾."""
    return superscript(f"({layer})")


def pair_sub(i: int, j: int) -> str:
    """Return the 1-based subscript pair of w_ij; a low comma separates indices of two digits or more."""
    if i + 1 < 10 and j + 1 < 10:
        return sub(i + 1) + sub(j + 1)
    return sub(i + 1) + "\u201a" + sub(j + 1)


def weight_name(layer: int, i: int, j: int) -> str:
    """Return w_ij^(k) as Unicode, 1-based as on the board: w₁₂⁽¹⁾."""
    return "w" + pair_sub(i, j) + sup_layer(layer)


def quantity_name(symbol: str, layer: int, i: int) -> str:
    """Return a per-neuron quantity such as z₁⁽¹⁾ or δ₂⁽²⁾."""
    return symbol + sub(i + 1) + sup_layer(layer)


def _value(values: ArrayLike, i: int) -> float:
    # A single sample gives vectors of shape (n,); a batch would give (n, batch): show the mean.
    array = np.asarray(values)
    return float(array[i] if array.ndim == 1 else np.mean(array[i]))


@dataclass(frozen=True)
class Facts:
    """What the graph may show right now: the network, its recorded trace, what the stage revealed, η."""

    network: Network
    trace: Trace
    revealed: frozenset[tuple[str, int]]
    learning_rate: float
    fresh: frozenset[tuple[str, int]] = frozenset()  # what the current stage itself computed

    def is_fresh(self, quantity: str, layer: int) -> bool:
        """Return True if the current stage is the one that computes `quantity` of `layer`."""
        return (quantity, layer) in self.fresh

    def known(self, quantity: str, layer: int) -> bool:
        """Return True once the stage has computed `quantity` ("z", "a", "e", "delta", ...) of `layer`."""
        return (quantity, layer) in self.revealed


@dataclass
class NeuronText:
    """The text of one neuron: its name in the circle, its bias above it, its numbers below it."""

    name: str
    bias: str = ""
    lines: list[str] = field(default_factory=list)
    fresh: set[int] = field(default_factory=set)  # indices of lines the current stage just computed

    def joined(self) -> str:
        """Return everything drawn for the neuron, one item per line."""
        return "\n".join(part for part in [self.name, self.bias, *self.lines] if part)

    def compact(self) -> str:
        """Return the numbers on one line, for small neurons of big layers."""
        return "  ".join(part.replace(" = ", "=") for part in [self.bias, *self.lines] if part)


def neuron_text(facts: Facts, k: int, i: int) -> NeuronText:
    """Return the name, bias and the numbers of neuron i of layer k that the current stage has revealed."""
    network, trace = facts.network, facts.trace
    L = network.num_layers
    if k == 0:
        text = NeuronText("x" + sub(i + 1))
        if facts.known("a", 0):
            text.lines.append(f"x = {num(_value(trace.activations[0], i))}")
            text.fresh = {0} if facts.is_fresh("a", 0) else set()
        return text
    name = ("ŷ" + sub(i + 1)) if k == L else ("a" + sub(i + 1) + sup_layer(k))
    bias = ""
    layer = network.layer(k)
    if layer.bias is not None:
        bias = f"b = {num(layer.bias[i])}"
        if facts.known("update", k) and trace.grad_biases[k] is not None:
            # The update stage's new bias, b − η ∂J/∂b, next to the old one.
            bias = f"b = {change(layer.bias[i], _new_bias(facts, layer.bias, k, i))}"
    text = NeuronText(name, bias)
    quantities: list[tuple[str, str, Sequence[Array | None]]] = [
        ("z", "z", trace.zs),
        ("a", "a", trace.activations),
    ]
    if k == L:
        quantities.append(("e", "y", [trace.y] * (L + 1)))
    quantities += [("e", "e", trace.errors), ("delta", "δ", trace.deltas)]
    for key, symbol, values in quantities:
        if facts.known(key, k):
            if facts.is_fresh(key, k):
                text.fresh.add(len(text.lines))
            value = values[k]
            assert value is not None  # a stage that revealed a quantity of layer k computed it
            text.lines.append(f"{symbol} = {num(_value(value, i))}")
    return text


def _new_bias(facts: Facts, biases: np.ndarray, k: int, i: int) -> float:
    """Return b − η ∂J/∂b for neuron i of layer k, whose layer has these `biases`."""
    bias = float(biases[i])
    grad = facts.trace.grad_biases[k]
    assert grad is not None  # a layer with biases has their gradient
    return bias - facts.learning_rate * _value(grad, i)


def _grad(facts: Facts, k: int, i: int, j: int) -> float:
    return float(np.asarray(facts.trace.grad_w(k))[i, j])


def edge_label(facts: Facts, k: int, i: int, j: int, gradient: bool = True) -> list[str]:
    """Return the lines of the label on edge w_ij^(k): name and value (→ the updated value at the
    update stage), then ∂J/∂w once known if `gradient` (small networks have room for it)."""
    w = float(facts.network.layer(k).weights[i, j])
    first = f"{weight_name(k, i, j)} = {num(w)}"
    if not facts.known("grad", k):
        return [first]
    grad = _grad(facts, k, i, j)
    if facts.known("update", k):
        first = f"{weight_name(k, i, j)} = {change(w, w - facts.learning_rate * grad)}"
    return [first, f"∂J/∂w = {num(grad)}"] if gradient else [first]


SHORT_ACTIVATIONS = {"sigmoid": "σ"}  # else readable_name: "leaky ReLU", "ReLU", ...


def heading_variants(facts: Facts, k: int, loss: bool = False) -> list[list[str]]:
    """Return ways to write column k's heading (name, then size and activation, and J on the output
    once known), longest first, for the view to take the first that fits.

    Each is at most three lines; shorter ones wrap the detail onto a line of its own, then abbreviate
    ("L3", "σ" for sigmoid), so a narrow column keeps whole words instead of "La…". With `loss` the
    output's heading shows J even before the stage that computes it (to reserve room for it).
    """
    network = facts.network
    sizes = network.sizes
    L = network.num_layers
    if k == 0:
        n = sizes[0]
        inputs = f"{n} input{'s' if n != 1 else ''}"
        return [["Input x = a⁽⁰⁾", inputs], ["Input x", inputs], ["x", f"{n} in"]]
    layer = network.layer(k)
    act = readable_name(layer.activation)
    short = SHORT_ACTIVATIONS.get(layer.activation, act)
    bias = layer.bias is not None
    n = sizes[k]
    with_bias = " · bias" if bias else ""
    if k < L:
        variants = [
            [f"Layer {k}", f"{n} · {act}{with_bias}"],
            [f"Layer {k}", f"{n} · {act}"] + (["+ bias"] if bias else []),
            [f"Layer {k}", f"{n} · {short}{with_bias}"],
            [f"L{k}", f"{n} · {short}"] + (["+ bias"] if bias else []),
            [f"L{k}", short],
        ]
        return _unique(variants)
    cost = [f"J = {num(facts.trace.loss)}"] if loss or facts.known("loss", L) else []
    title = f"Output ŷ = a{sup_layer(L)}"
    variants = [
        [title, f"Layer {L} · {n} · {act}{with_bias}"],
        [title, f"L{L} · {n} · {act}{with_bias}"],
        ["Output ŷ", f"L{L} · {n} · {short}{with_bias}"],
        ["Output ŷ", f"L{L} · {n} · {short}"],
        ["Output ŷ", f"L{L} · {short}"],
        ["ŷ", f"L{L} · {short}"],
        ["ŷ", short],
    ]
    return _unique([variant + cost for variant in variants])


def ghost_heading_variants(facts: Facts, k: int) -> list[list[str]]:
    """Return the heading of the faded copy of column k that starts the next row."""
    name = "input" if k == 0 else f"layer {k}"
    return [[f"(from {name})"], [f"({'x' if k == 0 else f'L{k}'})"]]


def _unique(variants: list[list[str]]) -> list[list[str]]:
    seen, result = set(), []
    for variant in variants:
        if tuple(variant) not in seen:
            seen.add(tuple(variant))
            result.append(variant)
    return result


# --- tooltips ----------------------------------------------------------------------------
def tip(value: float, digits: int = TIP_DIGITS) -> str:
    """Return `value` for an HTML tooltip: TIP_DIGITS significant digits, a power of ten in <sup>."""
    return display_html(value, digits)


def _row(name: str, value: float, meaning: str) -> str:
    return f"<tr><td><b>{name}</b> = {tip(value)}</td><td>&nbsp;&nbsp;{meaning}</td></tr>"


def _neuron_plan(facts: Facts, k: int, i: int) -> list[tuple[str, str, list, str]]:
    layer = facts.network.layer(k)
    output = k == facts.network.num_layers
    trace = facts.trace
    weighted = f"weighted input Σⱼ w{sub(i + 1)}ⱼ{sup_layer(k)} aⱼ{sup_layer(k - 1)}"
    return [
        ("z", "z", trace.zs, weighted + (" + b" if layer.bias is not None else "")),
        (
            "a",
            "a",
            trace.activations,
            f"{readable_name(layer.activation)}(z)" + (", the output ŷ" if output else ""),
        ),
        ("e", "e", trace.errors, "error ∂J/∂a" + (" (from ŷ and the target y)" if output else ", sent back")),
        ("delta", "δ", trace.deltas, "∂J/∂z = g′(z) ⊙ e"),
    ]


def neuron_tooltip(facts: Facts, k: int, i: int) -> str:
    """Return HTML with every known number of neuron i of layer k and what it means."""
    trace = facts.trace
    if k == 0:
        row = _row(quantity_name("x", 0, i), _value(trace.activations[0], i), f"input, also a{sub(i + 1)}⁽⁰⁾")
        return f"<b>Input {i + 1}</b><table>{row}</table>"
    layer = facts.network.layer(k)
    output = k == facts.network.num_layers
    rows, missing = [], []
    if layer.bias is not None:
        rows.append(_row(quantity_name("b", k, i), layer.bias[i], "bias, added to z"))
    for key, symbol, values, meaning in _neuron_plan(facts, k, i):
        if not facts.known(key, k):
            missing.append(symbol)
            continue
        rows.append(_row(quantity_name(symbol, k, i), _value(values[k], i), meaning))
        if key == "a" and output and facts.known("e", k):
            rows.append(_row(quantity_name("y", k, i), _value(trace.y, i), "target"))
    bias_grads = trace.grad_biases[k]
    if facts.known("update", k) and layer.bias is not None and bias_grads is not None:
        grad = _value(bias_grads, i)
        b, new = float(layer.bias[i]), _new_bias(facts, layer.bias, k, i)
        shown = distinct_digits(b, new, TIP_DIGITS)
        rate = display_html(facts.learning_rate, EXACT)
        how = f"b − η ∂J/∂b = {tip(b, shown)} − {rate} × {tip(grad)}"
        rows.append(f"<tr><td><b>new b</b> = {tip(new, shown)}</td><td>&nbsp;&nbsp;{how}</td></tr>")
    role = "output" if output else "hidden"
    kind = readable_name(layer.activation)
    text = f"<b>Neuron {i + 1} of layer {k}</b> ({role}, {kind})<table>{''.join(rows)}</table>"
    if missing:
        text += f"<i>Not computed yet at this stage: {', '.join(missing)}</i>"
    if layer.bias is not None:
        text += "<br>Double-click to edit the bias; Ctrl+drag up/down to nudge it."
    return text


def edge_tooltip(facts: Facts, k: int, i: int, j: int) -> str:
    """Return HTML describing w_ij^(k): its value, its role, and its gradient and update once known."""
    w = float(facts.network.layer(k).weights[i, j])
    name = weight_name(k, i, j)
    a_j = quantity_name("a", k - 1, j)
    text = (
        f"<b>{name} = {tip(w)}</b><br>"
        f"weight of layer {k} to neuron {i + 1} from neuron {j + 1} of layer {k - 1};"
        f" z{sub(i + 1)}{sup_layer(k)} gets {name} × {a_j}"
    )
    if not facts.known("grad", k):
        text += "<br><i>∂J/∂w is known after the gradient stage.</i>"
    else:
        delta = _value(facts.trace.delta(k), i)
        a = _value(facts.trace.activations[k - 1], j)
        grad = _grad(facts, k, i, j)
        product = f"{tip(delta)} × {tip(a)}"
        text += (
            f"<br>∂J/∂{name} = {quantity_name('δ', k, i)} {a_j} = {product}"
            f" = <b>{tip(grad)}</b> (how J changes per unit of this weight)"
        )
        if facts.known("update", k):
            rate = facts.learning_rate
            new = w - rate * grad
            shown = distinct_digits(w, new, TIP_DIGITS)
            text += (
                f"<br>new w = w − η ∂J/∂w = {tip(w, shown)} − {display_html(rate, EXACT)} × {tip(grad)}"
                f" = <b>{tip(new, shown)}</b>"
            )
    return text + "<br>Double-click to edit; Ctrl+drag up/down or Ctrl+wheel to nudge."
