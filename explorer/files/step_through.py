"""The step-through as text: CSV (every number), Markdown and a LaTeX document that compiles alone.

The texts reuse explorer.text, so an exported formula reads exactly as it does in the
equation panel. Split from explorer.export, which writes the files and re-exports these names.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import Any

import numpy as np
from numpy.typing import ArrayLike

from explorer.engine.losses import get_loss
from explorer.engine.stepper import Stepper
from explorer.text.equations import (
    equation_latex,
    equation_shape_notes,
    formula_latex,
    shape_note_latex,
    stages_markdown,
)
from explorer.text.notation import format_number, matrix_latex, matrix_text, notation_latex

CSV_COLUMNS = ("stage_index", "stage_kind", "layer", "stage_title", "quantity", "i", "j", "value")


def _value_text(value: np.generic) -> str:
    """Return the shortest text that reads back to exactly this number in its own precision."""
    return str(value)  # NumPy scalars print shortest round-trip digits (float32 stays float32)


def _cells(values: ArrayLike) -> Iterator[tuple[int | str, int | str, Any]]:
    """Yield (i, j, value) for every entry: i and j empty for a scalar, j empty for a vector."""
    array = np.asarray(values)
    if array.ndim == 0:
        yield "", "", array[()]
    elif array.ndim == 1:
        for i, value in enumerate(array):
            yield i, "", value
    else:
        matrix = array.reshape(array.shape[0], -1)
        for i in range(matrix.shape[0]):
            for j in range(matrix.shape[1]):
                yield i, j, matrix[i, j]


def stepthrough_csv(stepper: Stepper) -> str:
    """Return every quantity each stage produces, one row per stage, quantity and entry (J included)."""
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for index, stage in enumerate(stepper.stages):
        for symbol, values in stage.outputs.items():
            for i, j, value in _cells(values):
                writer.writerow(
                    (index, stage.kind, stage.layer, stage.title, symbol, i, j, _value_text(value))
                )
    return stream.getvalue()


def _summary(stepper: Stepper) -> dict[str, str]:
    """Return the plain-text facts heading an export: network, sizes, loss, sample, learning rate."""
    network = stepper.network
    activations = ", ".join(f"{k}: {layer.activation}" for k, layer in enumerate(network.layers, start=1))
    biases = [str(k) for k, layer in enumerate(network.layers, start=1) if layer.bias is not None]
    return {
        "name": network.name or "Untitled network",
        "sizes": "-".join(str(n) for n in network.sizes),
        "activations": activations,
        "biases": ", ".join(biases) if biases else "none",
        "loss": network.loss,
        "x": matrix_text(stepper.trace.x),
        "y": matrix_text(stepper.trace.y),
        "eta": format_number(stepper.learning_rate),
    }


def _markdown_escape(text: str) -> str:
    return "".join("\\" + char if char in "\\`*_{}[]<>#|!" else char for char in text)


def stepthrough_markdown(stepper: Stepper) -> str:
    """Return the step-through as Markdown: a header with the set-up, then every stage with its numbers."""
    facts = _summary(stepper)
    loss_formula = notation_latex(get_loss(stepper.network.loss).formula)
    header = [
        f"# Backpropagation step by step: {_markdown_escape(facts['name'])}",
        "",
        f"- Network: {facts['sizes']} neurons (activations by layer {facts['activations']}; "
        f"bias in layers: {facts['biases']})",
        f"- Loss: {facts['loss']}, ${loss_formula}$",
        f"- Sample: x = {facts['x']}, y = {facts['y']}",
        f"- Learning rate: η = {facts['eta']}",
        "",
    ]
    return "\n".join(header) + "\n" + stages_markdown(stepper.stages)


# --- LaTeX -------------------------------------------------------------------------------
_TEXT_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "%": r"\%",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}


def latex_text(text: str) -> str:
    """Return plain text safe for LaTeX text mode; Greek letters and symbols become inline math."""
    out = []
    for char in text:
        if char in _TEXT_ESCAPES:
            out.append(_TEXT_ESCAPES[char])
        elif ord(char) > 127 and notation_latex(char) != char:
            out.append(f"${notation_latex(char)}$")
        else:
            out.append(char)
    return "".join(out)


def _is_math_word(word: str) -> bool:
    if "_" in word and "_{" in notation_latex(word):
        return True  # w_ij is notation; leaky_relu is a name
    return any(char in "^=" or ord(char) > 127 for char in word)


def latex_title(title: str) -> str:
    """Return a stage title for LaTeX: words in the lecture's notation as math, the rest as text."""
    words = title.split(" ")
    flags = [_is_math_word(word) for word in words]
    for index in range(1, len(words)):
        flags[index] = flags[index] or words[index - 1] == "="  # "η = 0.5": the value joins the math
    out: list[str] = []
    run: list[str] = []
    run_math: bool | None = None
    for word, math in zip(words + [""], flags + [None]):
        if math != run_math and run:
            text = " ".join(run)
            out.append(f"${notation_latex(text)}$" if run_math else latex_text(text))
            run = []
        run.append(word)
        run_math = math
    return " ".join(out)


_PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage{amsmath,amssymb}
\usepackage{graphicx}
\usepackage[margin=2cm]{geometry}
\setcounter{MaxMatrixCols}{20}
\newsavebox{\mlpbox}
% A display that shrinks to the line width only when it would not fit (wide matrices).
\newcommand{\fitdisplay}[1]{\sbox{\mlpbox}{$\displaystyle #1$}\begin{center}%
\ifdim\wd\mlpbox>\linewidth\resizebox{\linewidth}{!}{\usebox{\mlpbox}}\else\usebox{\mlpbox}\fi
\end{center}}
\setlength{\parindent}{0pt}
"""


def stepthrough_latex(stepper: Stepper) -> str:
    """Return the step-through as a LaTeX document that compiles on its own: one section per stage."""
    facts = _summary(stepper)
    loss = get_loss(stepper.network.loss)
    lines = [
        _PREAMBLE,
        r"\begin{document}",
        rf"\section*{{Backpropagation step by step: {latex_text(facts['name'])}}}",
        r"\begin{itemize}",
        rf"\item Network: {facts['sizes']} neurons (activations by layer {latex_text(facts['activations'])};"
        rf" bias in layers: {facts['biases']})",
        rf"\item Loss: {latex_text(facts['loss'])}, ${notation_latex(loss.formula)}$",
        rf"\item Sample: $x = {matrix_latex(stepper.trace.x)}$, $y = {matrix_latex(stepper.trace.y)}$",
        rf"\item Learning rate: $\eta = {facts['eta']}$",
        r"\end{itemize}",
        "",
    ]
    for stage in stepper.stages:
        lines.append(rf"\section*{{{latex_title(stage.title)}}}")
        for formula in stage.formulas:
            lines.append(rf"\[ {formula_latex(formula)} \]")
        for equation in stage.equations:
            lines.append(rf"\fitdisplay{{{equation_latex(equation)}}}")
            for note in equation_shape_notes(equation):
                lines.append(f"(shown in part: {shape_note_latex(note)})")
        lines.append("")
    lines.append(r"\end{document}")
    return "\n".join(lines) + "\n"
