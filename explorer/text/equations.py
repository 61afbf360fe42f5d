"""Write a stage's equations with their numbers as HTML, plain text and LaTeX, and stages as Markdown.

An equation arrives as the stepper's tokens: Terms (a symbol and its values), Applys (an activation
applied to a Term, drawn as "sigmoid(z)") and operator strings ("=", "+", "−", "⊙"); other strings
(e.g. "clip(") are drawn as they are. A Term with one number (η, J) is drawn as that number with its
symbol underneath. The numbers and the notation come from explorer.text.notation. No Qt here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Protocol, TypeAlias, TypeGuard

import numpy as np
import numpy.typing as npt

from explorer.text.notation import (
    MINUS,
    format_number,
    is_elided,
    looks_numeric,
    matrix_html,
    matrix_latex,
    matrix_text,
    notation_html,
    notation_latex,
    number_html,
    shape_text,
)

if TYPE_CHECKING:
    from explorer.engine.stepper import Stage


class TermLike(Protocol):
    """What an equation's term offers (the stepper's Term): a symbol and its values."""

    @property
    def symbol(self) -> str: ...

    @property
    def values(self) -> npt.ArrayLike: ...


class ApplyLike(Protocol):
    """What an applied activation offers (the stepper's Apply): the activation's name and its Term."""

    @property
    def activation(self) -> str: ...

    @property
    def to(self) -> TermLike: ...


# Tokens, e.g. (Term("z^(1)", ...), "=", Term("W^(1)", ...), Term("a^(0)", ...)).
EquationParts: TypeAlias = Sequence["TermLike | ApplyLike | str"]
# The tokens with every Apply spelled out as "name(", its Term, ")".
FlatParts: TypeAlias = Sequence["TermLike | str"]


def _is_term(part: object) -> TypeGuard[TermLike]:
    return hasattr(part, "symbol") and hasattr(part, "values")


def _is_apply(part: object) -> TypeGuard[ApplyLike]:
    return hasattr(part, "activation") and hasattr(part, "to")


def _flat(equation: EquationParts) -> list[TermLike | str]:
    """Return the tokens with every Apply written out as "name(", its Term, ")"."""
    out: list[TermLike | str] = []
    for part in equation:
        if _is_apply(part):
            out += [f"{part.activation}(", part.to, ")"]
        elif _is_term(part):
            out.append(part)
        else:
            out.append(str(part))
    return out


def _is_scalar(term: TermLike) -> bool:
    return np.ndim(term.values) == 0


def _scalar_text(term: TermLike, digits: int, unicode_minus: bool = False) -> str:
    return format_number(np.asarray(term.values, dtype=float), digits, unicode_minus)


def _balanced_brackets(equation: FlatParts) -> bool:
    opened = 0
    for part in equation:
        if isinstance(part, str):
            opened += part.count("(") - part.count(")")
            if opened < 0:
                return False
    return opened == 0


def equation_terms(equation: EquationParts) -> list[TermLike]:
    """Return the Terms of an equation, in order (an Apply's Term included)."""
    return [part for part in _flat(equation) if _is_term(part)]


def equation_shape_notes(equation: EquationParts, max_rows: int = 12, max_cols: int = 12) -> list[str]:
    """Return "W^(1) is 128 × 784" notes for every elided term."""
    return [
        f"{term.symbol} is {shape_text(term.values)}"
        for term in equation_terms(equation)
        if is_elided(term.values, max_rows, max_cols)
    ]


def formula_latex(text: str) -> str:
    """Return a formula or symbol in the lecture's notation as LaTeX math (Δ and log included)."""
    # notation_latex leaves Δ as a Unicode letter, which pdflatex's utf8 input cannot typeset.
    latex = notation_latex(text).replace("Δ", r"\Delta ")
    return re.sub(r"(?<![\\A-Za-z])log\b", r"\\log", latex)


def shape_note_latex(note: str) -> str:
    """Return a "W^(1) is 128 × 784" note for LaTeX: symbol and shape in math, "is" in text."""
    symbol, _, shape = note.partition(" is ")
    return f"${notation_latex(symbol)}$ is ${notation_latex(shape)}$"


def equation_html(
    equation: EquationParts,
    max_rows: int = 12,
    max_cols: int = 12,
    digits: int = 6,
    colour: str = "currentColor",
    label_size: str = "80%",
    kept: int | None = None,
) -> str:
    """Return an equation with numbers as HTML: bracketed matrices in a row, symbols underneath.

    A dimension longer than max_rows or max_cols keeps `kept` entries (default: the limit).
    """
    top, bottom = [], []
    flat = _flat(equation)
    for part in flat:
        if _is_term(part):
            shown = (
                number_html(_scalar_text(part, digits, unicode_minus=True))
                if _is_scalar(part)
                else matrix_html(part.values, max_rows, max_cols, digits, colour, kept)
            )
            top.append(f'<td valign="middle" align="center" style="white-space: nowrap;">{shown}</td>')
            bottom.append(
                f'<td align="center" style="font-size: {label_size}; white-space: nowrap;">'
                f"{notation_html(part.symbol)}</td>"
            )
        else:
            text = str(part).replace("-", MINUS) if looks_numeric(str(part)) else str(part)
            top.append(
                f'<td valign="middle" align="center" style="padding: 0 6px; white-space: nowrap;">'
                f"{notation_html(text)}</td>"
            )
            bottom.append("<td></td>")
    out = '<table cellspacing="5" cellpadding="0"><tr>' + "".join(top) + "</tr>"
    if any(_is_term(part) for part in flat):
        out += "<tr>" + "".join(bottom) + "</tr>"
    out += "</table>"
    notes = equation_shape_notes(equation, max_rows, max_cols)
    if notes:
        out += (
            '<p style="font-size: 80%;">Shown in part: '
            + "; ".join(notation_html(note) for note in notes)
            + ".</p>"
        )
    return out


def equation_text(equation: EquationParts, max_rows: int = 12, max_cols: int = 12, digits: int = 6) -> str:
    """Return an equation with numbers as one line of plain text: [0.3775; 0.3925] = [0.15 0.2; ...] ..."""
    parts = []
    for part in _flat(equation):
        if _is_term(part):
            scalar = _is_scalar(part)
            parts.append(
                _scalar_text(part, digits) if scalar else matrix_text(part.values, max_rows, max_cols, digits)
            )
        else:
            parts.append(str(part))
    text = " ".join(parts)
    text = re.sub(r"\( ", "(", text)
    return re.sub(r" \)", ")", text)


def equation_symbols(equation: EquationParts) -> str:
    """Return the equation with each Term replaced by its symbol (plain notation)."""
    text = " ".join(part.symbol if _is_term(part) else str(part) for part in _flat(equation))
    return re.sub(r" \)", ")", re.sub(r"\( ", "(", text))


def equation_latex(equation: EquationParts, max_rows: int = 12, max_cols: int = 12, digits: int = 6) -> str:
    """Return an equation with numbers as LaTeX: bmatrix terms labelled underneath with their symbol."""
    flat = _flat(equation)
    balanced = _balanced_brackets(flat)
    parts = []
    for part in flat:
        if _is_term(part):
            scalar = _is_scalar(part)
            matrix = (
                _scalar_text(part, digits)
                if scalar
                else matrix_latex(part.values, max_rows, max_cols, digits)
            )
            parts.append(rf"\underset{{{formula_latex(part.symbol)}}}{{{matrix}}}")
            continue
        text = str(part)
        if looks_numeric(text):
            parts.append(text)
            continue
        name, opening = (text[:-1], True) if text.endswith("(") else (text, False)
        if opening and len(name) > 1 and name.replace("_", "").isalpha():
            name = name.replace("_", r"\_")
            parts.append(rf"\operatorname{{{name}}}" + (r"\left(" if balanced else "("))
        elif text == ")" and balanced:
            parts.append(r"\right)")
        else:
            parts.append(formula_latex(text))
    return " ".join(parts).replace(r"\left( ", r"\left(").replace(r" \right)", r"\right)")


def stage_markdown(stage: Stage, max_rows: int = 12, max_cols: int = 12, digits: int = 6) -> str:
    """Return a stage as Markdown: its title, its formulas, and a LaTeX block with the numbers."""
    lines = [f"## {stage.title}", ""]
    for formula in stage.formulas:
        lines += [f"${formula_latex(formula)}$", ""]
    for equation in stage.equations:
        lines += ["$$", equation_latex(equation, max_rows, max_cols, digits), "$$", ""]
        for note in equation_shape_notes(equation, max_rows, max_cols):
            lines += [f"(shown in part: {shape_note_latex(note)})", ""]
    return "\n".join(lines).rstrip() + "\n"


def stages_markdown(stages: Iterable[Stage], **options: int) -> str:
    """Return several stages as one Markdown document."""
    return "\n".join(stage_markdown(stage, **options) for stage in stages)
