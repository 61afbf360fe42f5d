"""What a printed worksheet says: the given numbers, what to compute stage by stage, and the answer key.

No Qt: explorer.app.worksheet_pdf lays this out on paper. Questions and answers come from the same
entries practice asks for (explorer.text.practice), so the sheet, the key and the window agree.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from explorer.engine.losses import get_loss
from explorer.engine.stepper import Stepper
from explorer.files.model import NetworkFile
from explorer.text.notation import format_number, notation_unicode, subscript
from explorer.text.practice import Question, name, num, questions, sup

KEY_DIGITS = 6  # significant digits of every value in the answer key (at least 4 are asked)

INSTRUCTIONS = (
    "Work one forward pass, the error, backpropagation, the gradients and one update by hand, "
    "stage by stage. Give every number to at least 4 significant digits."
)
NOTATION = (
    "w_ij^(k): weight of layer k to neuron i from neuron j",
    "z^(k) = W^(k) a^(k−1) + b^(k),   a^(k) = g(z^(k)),   a^(0) = x,   ŷ = a^(L)",
    "e^(L) = ŷ − y,   J = ½ eᵀe,   δ^(k) = g'(z^(k)) ⊙ e^(k),   e^(k−1) = W^(k)ᵀ δ^(k)",
    "∂J/∂w_ij^(k) = δ_i^(k) a_j^(k−1),   W ← W − η ∂J/∂W",
)
ACTIVATION_FORMULAS = {
    "sigmoid": "σ(z) = 1/(1 + e^(−z)),  σ'(z) = σ(z)(1 − σ(z))",
    "tanh": "tanh'(z) = 1 − tanh²(z)",
    "relu": "relu(z) = max(0, z),  relu'(z) = 1 if z > 0 else 0",
    "leaky_relu": "g(z) = max(0.01z, z),  g'(z) = 1 if z > 0 else 0.01",
    "linear": "g(z) = z,  g'(z) = 1",
    "softplus": "g(z) = ln(1 + e^z),  g'(z) = σ(z)",
    "softmax": "a_i = e^(z_i) / Σ_j e^(z_j)",
}


_STATED_VALUE = re.compile(r" = [−-]?[0-9][0-9.]*(e[−+-]?[0-9]+)?$")


def without_value(formula: str) -> str:
    """Return a formula without the value it states at its end: "J = ½ eᵀe = 0.09" gives "J = ½ eᵀe"."""
    return _STATED_VALUE.sub("", formula)


@dataclass(frozen=True)
class Section:
    """One stage of the sheet: its number, title, formulas and the entries it asks for."""

    number: int
    title: str
    formulas: tuple[str, ...]  # as they are asked: no values
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class Worksheet:
    """One exercise: the network, its sample and learning rate, and the stages to work."""

    title: str
    subtitle: str
    stepper: Stepper
    given: tuple[str, ...]
    sections: tuple[Section, ...]

    @property
    def network_sizes(self) -> list[int]:
        """Return the layer sizes [n_0, ..., n_L]."""
        return self.stepper.network.sizes


def vector_text(values: np.ndarray) -> str:
    """Return a vector as [0.1, −0.2] with the numbers as given (up to 6 significant digits)."""
    return "[" + ", ".join(num(value, 6) for value in np.ravel(values)) + "]"


def matrix_text(values: np.ndarray) -> str:
    """Return a matrix row by row: [0.1  0.2; −0.3  0.4]."""
    return "[" + ";  ".join("  ".join(num(value, 6) for value in row) for row in values) + "]"


def build_worksheet(network_file: NetworkFile, learning_rate: float, title: str, note: str = "") -> Worksheet:
    """Return the worksheet of a network file's sample, one update with this learning rate."""
    assert network_file.sample_x is not None and network_file.sample_y is not None
    network = network_file.network
    stepper = Stepper(network, network_file.sample_x, network_file.sample_y, learning_rate)
    sizes = "-".join(map(str, network.sizes))
    activations = ", ".join(layer.activation for layer in network.layers)
    loss = get_loss(network.loss).formula
    subtitle = (
        f"Network {sizes} · activations {activations} · loss {loss} · learning rate η = {num(learning_rate)}"
    )
    if note:
        subtitle += f" · {note}"
    given = [
        f"x = a{sup(0)} = {vector_text(stepper.trace.x)}",
        f"y = {vector_text(stepper.trace.y)}",
        f"η = {num(learning_rate)}",
    ]
    for k, layer in enumerate(network.layers, start=1):
        line = f"W{sup(k)} = {matrix_text(layer.weights)}"
        if layer.bias is not None:
            line += f",   b{sup(k)} = {vector_text(layer.bias)}"
        line += f",   g = {layer.activation}"
        given.append(line)
    for activation in dict.fromkeys(layer.activation for layer in network.layers):
        if activation in ACTIVATION_FORMULAS:
            given.append(ACTIVATION_FORMULAS[activation])
    sections = []
    for index, stage in enumerate(stepper.stages):
        asked = questions(stepper, index)
        if asked:
            formulas = tuple(without_value(notation_unicode(formula)) for formula in stage.formulas)
            sections.append(Section(index + 1, notation_unicode(stage.title), formulas, tuple(asked)))
    return Worksheet(title, subtitle, stepper, tuple(given), tuple(sections))


def answer_line(question: Question) -> str:
    """Return the key's line for an entry: "z₁⁽¹⁾ = 0.3775" with KEY_DIGITS significant digits."""
    return f"{question.label} = {format_number(question.value, KEY_DIGITS, unicode_minus=True)}"


def working_line(question: Question) -> str:
    """Return how the entry is worked: the formula with the numbers substituted."""
    prefix = question.label + " = "
    working = question.working
    return working[len(prefix) :] if working.startswith(prefix) else working


def neuron_label(k: int, i: int, last: int) -> str:
    """Return what a neuron is called on the drawing: x₁, a₁⁽¹⁾ or ŷ₁."""
    if k == 0:
        return "x" + subscript(i + 1)
    if k == last:
        return "ŷ" + subscript(i + 1)
    return name("a", k, i)
