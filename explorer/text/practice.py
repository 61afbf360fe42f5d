"""Predict-then-reveal: the entries a stage computes, their two hints, the tolerance and the score.

A stage of the step-through asks for every number it computes: z₁⁽¹⁾ … in a linear step, all of
δ⁽²⁾ in a δ step, each ∂J/∂w_ij^(k) in the gradient step. Each entry has two hints that never give
its value: the formula with the numbers substituted, and the inputs it uses with the stage each came
from. No Qt here: the window's practice panel and the printed worksheet both build on this.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

from explorer.engine.activations import get_activation
from explorer.engine.stepper import DELTA, GRAD, A, E, Stepper, Z
from explorer.text.notation import format_number, parse_number, subscript, superscript

_BRACKETED_NEGATIVE = re.compile(r"\(−[0-9.e+−]+\)")
HINT_DIGITS = 4  # numbers inside the hints, as on the graph
ANSWER_DIGITS = 6  # numbers in an answer key


def num(value: float, digits: int = HINT_DIGITS) -> str:
    """Return `value` with `digits` significant digits and a typographic minus."""
    return format_number(float(value), digits, unicode_minus=True)


def factor(value: float) -> str:
    """Return a number as a factor of a product: negative numbers in brackets, (−0.2)."""
    text = num(value)
    return f"({text})" if value < 0 else text


def _plus(terms: list[str]) -> str:
    # "a + (−b)" reads wrongly on paper: a negative term that is not a product becomes "− b".
    text = terms[0]
    for term in terms[1:]:
        text += f" − {term[2:-1]}" if _BRACKETED_NEGATIVE.fullmatch(term) else f" + {term}"
    return text


def sup(layer: int) -> str:
    """Return the bracketed superscript layer index, ⁽¹⁾."""
    return superscript(f"({layer})")


def name(symbol: str, layer: int, i: int) -> str:
    """Return a per-neuron quantity, 1-based as on the board: z₁⁽¹⁾."""
    return symbol + subscript(i + 1) + sup(layer)


def pair(i: int, j: int) -> str:
    """Return the subscript pair ij of w_ij, 1-based; a low comma separates indices of two digits."""
    if i + 1 < 10 and j + 1 < 10:
        return subscript(i + 1) + subscript(j + 1)
    return subscript(i + 1) + "\u201a" + subscript(j + 1)


def weight(layer: int, i: int, j: int) -> str:
    """Return w_ij^(k) as Unicode: w₁₂⁽¹⁾."""
    return "w" + pair(i, j) + sup(layer)


@dataclass(frozen=True)
class Question:
    """One number a stage computes: its name, value, the two hints, and where it sits on the graph."""

    key: str  # unique within the pass, e.g. "z 1 0" or "grad_w 2 1 0"
    label: str  # z₁⁽¹⁾, ∂J/∂w₁₂⁽²⁾, new w₁₂⁽²⁾
    value: float
    stage: int  # index of the stage that computes it
    working: str  # hint 1: the formula with the numbers put in, without the result
    inputs: tuple[str, ...]  # hint 2: what it uses, e.g. "a₂⁽¹⁾ = 0.5969 from stage 3"
    neuron: tuple[int, int] | None = None  # (layer, i) on the graph
    edge: tuple[int, int, int] | None = None  # (layer, i, j) on the graph

    @property
    def uses(self) -> str:
        """Return hint 2 as one line."""
        return "uses " + "; ".join(self.inputs)


class _Sources:
    """Where each quantity of the pass is first known: the stage number a student sees (1-based)."""

    def __init__(self, stepper: Stepper) -> None:
        self.stage_of: dict[tuple[str, int], int] = {}
        for index, stage in enumerate(stepper.stages):
            for reveal in stage.reveals:
                self.stage_of.setdefault(reveal, index)

    def known(self, text: str, quantity: str, layer: int, asked: int) -> str:
        index = self.stage_of.get((quantity, layer))
        if index is None:
            return f"{text} (given)"
        if index == asked:
            return f"{text} (asked in this stage)"
        if index == 0:
            return f"{text} (the input, stage 1)"
        return f"{text} from stage {index + 1}"


def _sigmoid_working(z: float) -> str:
    return f"1 / (1 + e^({num(-z)}))"


def _activation_working(activation: str, z: float, zs: np.ndarray) -> str:
    if activation == "sigmoid":
        return _sigmoid_working(z)
    if activation == "tanh":
        return f"tanh({num(z)})"
    if activation == "relu":
        return f"max(0, {num(z)})"
    if activation == "leaky_relu":
        return f"max(0.01 × {factor(z)}, {num(z)})"
    if activation == "softplus":
        return f"ln(1 + e^({num(z)}))"
    if activation == "softmax":
        others = " + ".join(f"e^({num(value)})" for value in zs)
        return f"e^({num(z)}) / ({others})"
    if activation == "linear":
        return num(z)
    return f"g({num(z)}) with g = {activation}"


def _prime_working(activation: str, z: float, a: float) -> str:
    if activation == "sigmoid":
        return f"{num(a)} × (1 − {num(a)})"
    if activation == "tanh":
        return f"(1 − {factor(a)}²)"
    if activation == "relu":
        return f"{'1' if z > 0 else '0'} (z = {num(z)} {'>' if z > 0 else '≤'} 0)"
    if activation == "leaky_relu":
        return f"{'1' if z > 0 else '0.01'} (z = {num(z)} {'>' if z > 0 else '≤'} 0)"
    if activation == "softplus":
        return _sigmoid_working(z)
    if activation == "linear":
        return "1"
    return num(float(get_activation(activation).prime(np.array([z]))[0]))


def questions(stepper: Stepper, index: int) -> list[Question]:
    """Return the numbers stage `index` computes, each with its hints (none for the input stage)."""
    stage = stepper.stages[index]
    network, trace = stepper.network, stepper.trace
    sources = _Sources(stepper)
    L = network.num_layers
    k = stage.layer
    found: list[Question] = []

    def known(text: str, quantity: str, layer: int) -> str:
        return sources.known(text, quantity, layer, index)

    if stage.kind == "linear":
        layer = network.layer(k)
        a_prev, z = trace.activations[k - 1], trace.z(k)
        for i in range(layer.size):
            terms = [f"{factor(layer.weights[i, j])} × {factor(a_prev[j])}" for j in range(layer.input_size)]
            inputs = [
                known(f"{name('a', k - 1, j)} = {num(a_prev[j])}", A, k - 1) for j in range(len(a_prev))
            ]
            weights = ", ".join(
                f"{weight(k, i, j)} = {num(layer.weights[i, j])}" for j in range(layer.input_size)
            )
            inputs.append(f"{weights} (given)")
            if layer.bias is not None:
                terms.append(factor(layer.bias[i]))
                inputs.append(f"{name('b', k, i)} = {num(layer.bias[i])} (given)")
            found.append(
                Question(
                    f"z {k} {i}",
                    name("z", k, i),
                    float(z[i]),
                    index,
                    f"{name('z', k, i)} = {_plus(terms)}",
                    tuple(inputs),
                    neuron=(k, i),
                )
            )
    elif stage.kind == "nonlinear":
        activation = network.layer(k).activation
        z, a = trace.z(k), trace.activations[k]
        for i in range(len(a)):
            shown = range(len(z)) if activation == "softmax" else [i]
            given = (known(", ".join(f"{name('z', k, j)} = {num(z[j])}" for j in shown), Z, k),)
            found.append(
                Question(
                    f"a {k} {i}",
                    name("a", k, i),
                    float(a[i]),
                    index,
                    f"{name('a', k, i)} = {activation}({name('z', k, i)}) = "
                    + _activation_working(activation, float(z[i]), z),
                    given,
                    neuron=(k, i),
                )
            )
    elif stage.kind == "error":
        found += _error_questions(stepper, index, sources)
    elif stage.kind == "delta":
        found += _delta_questions(stepper, index, sources)
    elif stage.kind == "backprop":
        layer = network.layer(k)
        delta, e_prev = trace.delta(k), trace.e(k - 1)
        for j in range(layer.input_size):
            terms = [f"{factor(layer.weights[i, j])} × {factor(delta[i])}" for i in range(layer.size)]
            inputs = [known(f"{name('δ', k, i)} = {num(delta[i])}", DELTA, k) for i in range(layer.size)]
            column = ", ".join(f"{weight(k, i, j)} = {num(layer.weights[i, j])}" for i in range(layer.size))
            inputs.append(f"{column} (given; column {j + 1} of W{sup(k)}, i.e. row {j + 1} of W{sup(k)}ᵀ)")
            found.append(
                Question(
                    f"e {k - 1} {j}",
                    name("e", k - 1, j),
                    float(e_prev[j]),
                    index,
                    f"{name('e', k - 1, j)} = {_plus(terms)}",
                    tuple(inputs),
                    neuron=(k - 1, j),
                )
            )
    elif stage.kind == "gradient":
        for k in range(1, L + 1):
            layer = network.layer(k)
            delta, a_prev = trace.delta(k), trace.activations[k - 1]
            grad = trace.grad_w(k)
            for i in range(layer.size):
                for j in range(layer.input_size):
                    found.append(
                        Question(
                            f"grad_w {k} {i} {j}",
                            "∂J/∂" + weight(k, i, j),
                            float(grad[i, j]),
                            index,
                            f"∂J/∂{weight(k, i, j)} = {name('δ', k, i)} {name('a', k - 1, j)} = "
                            f"{factor(delta[i])} × {factor(a_prev[j])}",
                            (
                                known(f"{name('δ', k, i)} = {num(delta[i])}", DELTA, k),
                                known(f"{name('a', k - 1, j)} = {num(a_prev[j])}", A, k - 1),
                            ),
                            edge=(k, i, j),
                        )
                    )
                grad_b = trace.grad_biases[k]
                if grad_b is not None:
                    found.append(
                        Question(
                            f"grad_b {k} {i}",
                            "∂J/∂" + name("b", k, i),
                            float(grad_b[i]),
                            index,
                            f"∂J/∂{name('b', k, i)} = {name('δ', k, i)} (the δ of that neuron)",
                            (known(f"{name('δ', k, i)} = {num(delta[i])}", DELTA, k),),
                            neuron=(k, i),
                        )
                    )
    elif stage.kind == "update":
        rate = stepper.learning_rate
        updated = stepper.updated_network()
        for k in range(1, L + 1):
            layer, new = network.layer(k), updated.layer(k)
            grad = trace.grad_w(k)
            for i in range(layer.size):
                for j in range(layer.input_size):
                    found.append(
                        Question(
                            f"w {k} {i} {j}",
                            "new " + weight(k, i, j),
                            float(new.weights[i, j]),
                            index,
                            f"new {weight(k, i, j)} = {weight(k, i, j)} − η ∂J/∂{weight(k, i, j)} = "
                            f"{num(layer.weights[i, j])} − {num(rate)} × {factor(grad[i, j])}",
                            (
                                f"{weight(k, i, j)} = {num(layer.weights[i, j])} and η = {num(rate)} (given)",
                                known(f"∂J/∂{weight(k, i, j)} = {num(grad[i, j])}", GRAD, k),
                            ),
                            edge=(k, i, j),
                        )
                    )
                grad_b = trace.grad_biases[k]
                if layer.bias is not None and new.bias is not None and grad_b is not None:
                    found.append(
                        Question(
                            f"b {k} {i}",
                            "new " + name("b", k, i),
                            float(new.bias[i]),
                            index,
                            f"new {name('b', k, i)} = {name('b', k, i)} − η ∂J/∂{name('b', k, i)} = "
                            f"{num(layer.bias[i])} − {num(rate)} × {factor(grad_b[i])}",
                            (
                                f"{name('b', k, i)} = {num(layer.bias[i])} and η = {num(rate)} (given)",
                                known(f"∂J/∂{name('b', k, i)} = {num(grad_b[i])}", GRAD, k),
                            ),
                            neuron=(k, i),
                        )
                    )
    return found


def _error_questions(stepper: Stepper, index: int, sources: _Sources) -> list[Question]:
    network, trace = stepper.network, stepper.trace
    L = network.num_layers
    y_hat, y, e = trace.activations[L], trace.y, trace.e(L)
    output = network.layer(L).activation
    found = []
    uses: tuple[str, ...]
    for i in range(len(y_hat)):
        uses = (
            sources.known(f"{name('a', L, i)} = ŷ{subscript(i + 1)} = {num(y_hat[i])}", A, L, index),
            f"y{subscript(i + 1)} = {num(y[i])} (given)",
        )
        if network.loss == "half_sse":
            working = f"ŷ{subscript(i + 1)} − y{subscript(i + 1)} = {num(y_hat[i])} − {factor(y[i])}"
        elif output == "softmax":
            working = f"−y{subscript(i + 1)} / ŷ{subscript(i + 1)} = −{factor(y[i])} / {num(y_hat[i])}"
        else:
            working = (
                f"(1 − y)/(1 − ŷ) − y/ŷ = (1 − {num(y[i])}) / (1 − {num(y_hat[i])}) − "
                f"{num(y[i])} / {num(y_hat[i])}"
            )
        found.append(
            Question(
                f"e {L} {i}",
                name("e", L, i),
                float(e[i]),
                index,
                f"{name('e', L, i)} = {working}",
                uses,
                neuron=(L, i),
            )
        )
    if network.loss == "half_sse":
        squares = " + ".join(f"{factor(value)}²" for value in e)
        working = f"J = ½ eᵀe = ½ × ({squares})"
        uses = (
            ", ".join(f"{name('e', L, i)} = {num(e[i])}" for i in range(len(e))) + " (asked in this stage)",
        )
    else:
        if output == "softmax":
            terms = " + ".join(f"{num(y[i])} × ln {num(y_hat[i])}" for i in range(len(y)))
            working = f"J = −Σ y ln ŷ = −({terms})"
        else:
            terms = " + ".join(
                f"{num(y[i])} × ln {num(y_hat[i])} + (1 − {num(y[i])}) × ln(1 − {num(y_hat[i])})"
                for i in range(len(y))
            )
            working = f"J = −Σ [y ln ŷ + (1 − y) ln(1 − ŷ)] = −({terms})"
        uses = (
            sources.known(
                ", ".join(f"ŷ{subscript(i + 1)} = {num(y_hat[i])}" for i in range(len(y))), A, L, index
            ),
            ", ".join(f"y{subscript(i + 1)} = {num(y[i])}" for i in range(len(y))) + " (given)",
        )
    found.append(Question("J", "J", float(trace.loss), index, working, uses))
    return found


def _delta_questions(stepper: Stepper, index: int, sources: _Sources) -> list[Question]:
    network, trace = stepper.network, stepper.trace
    stage = stepper.stages[index]
    k, L = stage.layer, network.num_layers
    activation = network.layer(k).activation
    z, a, e, delta = trace.z(k), trace.activations[k], trace.e(k), trace.delta(k)
    found = []
    for i in range(len(delta)):
        label = name("δ", k, i)
        y_i, hat_i = f"y{subscript(i + 1)}", f"ŷ{subscript(i + 1)}"
        e_text = sources.known(f"{name('e', k, i)} = {num(e[i])}", E, k, index)
        a_text = sources.known(f"{name('a', k, i)} = {num(a[i])}", A, k, index)
        if k == L and network.loss == "cross_entropy":
            total = float(np.sum(trace.y))
            if activation == "softmax" and total != 1.0:
                working = f"{label} = {hat_i} Σy − {y_i} = {num(a[i])} × {num(total)} − {factor(trace.y[i])}"
            else:
                working = f"{label} = {hat_i} − {y_i} = {num(a[i])} − {factor(trace.y[i])}"
            uses: tuple[str, ...] = (a_text, f"y{subscript(i + 1)} = {num(trace.y[i])} (given)")
        elif activation == "softmax":
            terms = []
            for j in range(len(a)):
                slope = a[j] * ((1.0 if i == j else 0.0) - a[i])
                terms.append(f"{factor(slope)} × {factor(e[j])}")
            working = f"{label} = Σⱼ (∂aⱼ/∂z{subscript(i + 1)}) eⱼ = {_plus(terms)}"
            uses = (
                sources.known(
                    ", ".join(f"{name('a', k, j)} = {num(a[j])}" for j in range(len(a))), A, k, index
                ),
                sources.known(
                    ", ".join(f"{name('e', k, j)} = {num(e[j])}" for j in range(len(e))), E, k, index
                ),
            )
        else:
            prime = _prime_working(activation, float(z[i]), float(a[i]))
            working = f"{label} = g'({name('z', k, i)}) {name('e', k, i)} = {prime} × {factor(e[i])}"
            first = (
                a_text
                if activation in ("sigmoid", "tanh")
                else sources.known(f"{name('z', k, i)} = {num(z[i])}", Z, k, index)
            )
            uses = (first, e_text)
        found.append(Question(f"δ {k} {i}", label, float(delta[i]), index, working, uses, neuron=(k, i)))
    return found


# --- checking ------------------------------------------------------------------------------
@dataclass(frozen=True)
class Tolerance:
    """An answer is right if it agrees to `digits` significant digits or within `absolute`."""

    digits: int = 3
    absolute: float = 1e-3

    def allows(self, answer: float, value: float) -> bool:
        """Return True if `answer` is close enough to the engine's `value`."""
        if not (math.isfinite(answer) and math.isfinite(value)):
            return answer == value
        slack = 1.0 + 1e-9  # 0.5965 typed for 0.59650000001 is a right rounding
        difference = abs(answer - value)
        if difference <= self.absolute * slack:
            return True
        if value == 0.0 or self.digits <= 0:
            return False
        unit = 10.0 ** (math.floor(math.log10(abs(value))) - self.digits + 1)
        return difference <= 0.5 * unit * slack

    def describe(self) -> str:
        """Return the tolerance as shown on screen: "3 significant digits or ±0.001"."""
        digits = f"{self.digits} significant digit{'s' if self.digits != 1 else ''}"
        return f"{digits} or ±{format_number(self.absolute, 3)}" if self.absolute > 0 else digits


OPEN, RIGHT, SHOWN = "open", "right", "shown"


@dataclass
class Entry:
    """One asked number and how the student has fared with it."""

    question: Question
    status: str = OPEN  # OPEN, RIGHT or SHOWN
    wrong_tries: int = 0
    hints: int = 0  # 0, 1 or 2 hints seen
    answer: str = ""

    @property
    def helped(self) -> bool:
        """Return True if a hint or a wrong try came before the right answer."""
        return self.hints > 0 or self.wrong_tries > 0

    def check(self, text: str, tolerance: Tolerance) -> bool | None:
        """Check a typed answer; return True/False, or None for an empty or unreadable field."""
        self.answer = text
        if self.status != OPEN:
            return self.status == RIGHT
        try:
            value = parse_number(text)
        except ValueError:
            return None
        if tolerance.allows(value, self.question.value):
            self.status = RIGHT
            return True
        self.wrong_tries += 1
        return False

    def hint(self) -> str:
        """Return the next hint (the working, then the inputs) and count it."""
        self.hints = min(self.hints + 1, 2)
        return self.question.working if self.hints == 1 else self.question.uses

    def show(self) -> None:
        """Reveal the answer: the entry counts as shown."""
        if self.status == OPEN:
            self.status = SHOWN


@dataclass
class Score:
    """Entries right first time, right after hints or wrong tries, and shown."""

    first_time: int = 0
    after_hints: int = 0
    shown: int = 0

    def record(self, entry: Entry) -> None:
        """Count an entry that has just been settled (right or shown)."""
        if entry.status == OPEN:
            return
        if entry.status == SHOWN:
            self.shown += 1
        elif entry.helped:
            self.after_hints += 1
        else:
            self.first_time += 1

    def line(self) -> str:
        """Return the score line shown under the entries."""
        return (
            f"Score: {self.first_time} right first time · {self.after_hints} after hints or retries · "
            f"{self.shown} shown"
        )
