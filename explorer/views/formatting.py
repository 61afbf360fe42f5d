"""Turn the lecture's notation and a stage's numbers into HTML, plain text, LaTeX and Markdown.

Formulas arrive as plain text such as "z^(1) = W^(1) a^(0) + b^(1)" or "∂J/∂w_ij^(k)"; equations
arrive as tuples mixing stepper Terms (a symbol and its values) with operator strings ("=", "⊙",
"sigmoid(", ")"). No Qt here: the panels feed the HTML to Qt, and exports use the text forms.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Sequence

import numpy as np

MINUS = "\u2212"
LAYER_INDEX = re.compile(r"^([0-9]+|[A-Za-z])([−+\-][0-9A-Za-z]+)?$")  # (1), (12), (k), (k−1), (L+1)
_LETTER = re.compile(r"[A-Za-zα-ωΑ-Ωŷ]")
_SUB_RUN = re.compile(r"[A-Za-z0-9]+")
_SUP_RUN = re.compile(r"[−\-]?[A-Za-z0-9.]+")
_GREEK_LATEX = {
    "α": r"\alpha",
    "β": r"\beta",
    "γ": r"\gamma",
    "δ": r"\delta",
    "ε": r"\varepsilon",
    "η": r"\eta",
    "λ": r"\lambda",
    "μ": r"\mu",
    "σ": r"\sigma",
    "Σ": r"\sum",
    "∂": r"\partial ",
    "⊙": r"\odot",
    "←": r"\leftarrow",
    "→": r"\rightarrow",
    "−": "-",
    "≠": r"\neq",
    "×": r"\times",
    "½": r"\tfrac{1}{2}",
    "²": "^{2}",
    "ŷ": r"\hat{y}",
    "ᵀ": r"^{\mathsf{T}}",
    "⋯": r"\cdots",
    "⋮": r"\vdots",
    "⋱": r"\ddots",
}


# --- notation ----------------------------------------------------------------------------
def _group(text: str, start: int) -> tuple[str, int, bool]:
    """Return the script starting at text[start] (after ^ or _), the index after it, and if bracketed."""
    opener = text[start] if start < len(text) else ""
    if opener in "({":
        closer = ")" if opener == "(" else "}"
        depth = 0
        for index in range(start, len(text)):
            if text[index] == opener:
                depth += 1
            elif text[index] == closer:
                depth -= 1
                if depth == 0:
                    return text[start + 1 : index], index + 1, opener == "("
        return text[start + 1 :], len(text), opener == "("
    match = (_SUP_RUN if text[start - 1 : start] == "^" else _SUB_RUN).match(text, start)
    if match is None:
        return "", start, False
    return match.group(0), match.end(), False


def _subscript_allowed(text: str, index: int) -> bool:
    # "w_ij", "Σ_j", "g(z)_i" take a subscript; "leaky_relu" is a name, not w with a subscript.
    before = text[index - 1] if index > 0 else ""
    if before == ")":
        return True
    if not before or not _LETTER.match(before):
        return False
    return index < 2 or not _LETTER.match(text[index - 2])


def _tokens(text: str) -> list[tuple[str, str, bool]]:
    """Split `text` into ("plain" | "sup" | "sub", content, bracketed) pieces."""
    tokens: list[tuple[str, str, bool]] = []
    index = plain_start = 0
    while index < len(text):
        char = text[index]
        if char == "ᵀ":
            tokens += [("plain", text[plain_start:index], False), ("sup", "T", False)]
            index = plain_start = index + 1
            continue
        kind = "sup" if char == "^" else "sub" if char == "_" and _subscript_allowed(text, index) else None
        content, end, bracketed = _group(text, index + 1) if kind else ("", index + 1, False)
        if kind is None or end == index + 1:
            index += 1
            continue
        tokens += [("plain", text[plain_start:index], False), (kind, content, bracketed)]
        index = plain_start = end
    tokens.append(("plain", text[plain_start:], False))
    return [token for token in tokens if token[0] != "plain" or token[1]]


def _scripts(text: str, plain, inner, wrap) -> str:
    """Render `text`: plain runs through plain(), scripts through inner() and wrap(kind, body).

    Adjacent superscripts merge into one, so a^(k−1)ᵀ reads as a with "(k−1)T" above it.
    """
    out: list[str] = []
    tokens = _tokens(text)
    index = 0
    while index < len(tokens):
        kind, content, bracketed = tokens[index]
        if kind == "plain":
            out.append(plain(content))
            index += 1
            continue
        body = [inner(kind, content, bracketed)]
        index += 1
        while kind == "sup" and index < len(tokens) and tokens[index][0] == "sup":
            body.append(inner(*tokens[index]))
            index += 1
        out.append(wrap(kind, "".join(body)))
    return "".join(out)


def _keeps_brackets(kind: str, content: str, bracketed: bool) -> bool:
    # The layer index keeps its brackets, as on the board: W^(1); an exponent e^(−z) loses them.
    return kind == "sup" and bracketed and bool(LAYER_INDEX.match(content))


def notation_html(text: str) -> str:
    """Return `text` in the lecture's notation as HTML: w_ij^(k) becomes w<sub>ij</sub><sup>(k)</sup>."""

    def inner(kind: str, content: str, bracketed: bool) -> str:
        body = notation_html(content)
        return f"({body})" if _keeps_brackets(kind, content, bracketed) else body

    return _scripts(
        text,
        lambda plain: html.escape(plain, quote=False),
        inner,
        lambda kind, body: f"<{kind}>{body}</{kind}>",
    )


_SUPERSCRIPTS = dict(zip("0123456789()+−-=inkLTljz", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾⁺⁻⁻⁼ⁱⁿᵏᴸᵀˡʲᶻ"))
_SUBSCRIPTS = dict(zip("0123456789()+−-aehijklmnoprstuvx", "₀₁₂₃₄₅₆₇₈₉₍₎₊₋₋ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓ"))


def notation_unicode(text: str) -> str:
    """Return `text` with scripts as Unicode characters where they exist: w_ij^(k) becomes wᵢⱼ⁽ᵏ⁾."""

    def inner(kind: str, content: str, bracketed: bool) -> str:
        return f"({content})" if _keeps_brackets(kind, content, bracketed) else content

    def wrap(kind: str, body: str) -> str:
        table = _SUPERSCRIPTS if kind == "sup" else _SUBSCRIPTS
        if all(char in table for char in body):
            return "".join(table[char] for char in body)
        # No Unicode form for some character: keep the source notation, which stays readable.
        return ("^" if kind == "sup" else "_") + (body if len(body) == 1 else f"({body})")

    return _scripts(text, lambda plain: plain, inner, wrap)


def notation_latex(text: str) -> str:
    """Return `text` in the lecture's notation as LaTeX (math mode): w_ij^(k) becomes w_{ij}^{(k)}."""
    text = text.replace(" new", "_new")

    def plain(content: str) -> str:
        return "".join(_GREEK_LATEX.get(char, _latex_char(char)) for char in content)

    def inner(kind: str, content: str, bracketed: bool) -> str:
        if kind == "sup" and content == "T":
            return r"\mathsf{T}"
        if kind == "sub" and content == "new":
            return r"\text{new}"
        body = notation_latex(content)
        return f"({body})" if _keeps_brackets(kind, content, bracketed) else body

    return _scripts(text, plain, inner, lambda kind, body: ("^" if kind == "sup" else "_") + "{" + body + "}")


def _latex_char(char: str) -> str:
    if char in "#$%&_":
        return "\\" + char
    return char


# --- numbers -----------------------------------------------------------------------------
def format_number(value: float, digits: int = 6, unicode_minus: bool = False) -> str:
    """Return `value` with `digits` significant digits, no trailing zeros, and no "-0"."""
    value = float(value)
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        text = "∞" if unicode_minus else "inf"
        return (MINUS if unicode_minus else "-") + text if value < 0 else text
    text = f"{value:.{digits}g}"
    if text in ("-0", "0"):
        return "0"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    if unicode_minus:
        text = text.replace("-", MINUS)
    return text


def _elided_indices(count: int, limit: int, kept: int | None = None) -> list[int | None]:
    """Return the indices to show out of `count`, None marking the elided gap.

    Up to `limit` entries show whole; beyond that `kept` entries (default `limit`) remain, the gap
    included: the first ones, the gap and the last one.
    """
    if count <= limit:
        return list(range(count))
    head = max((limit if kept is None else kept) - 2, 1)
    return list(range(head)) + [None, count - 1]


def _as_matrix(values) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    if array.ndim == 0:
        return array.reshape(1, 1)
    if array.ndim == 1:
        return array[:, None]  # a column vector, as the lecture writes one sample
    return array.reshape(array.shape[0], -1)


def shape_text(values) -> str:
    """Return the shape the way the lecture says it, e.g. "784 × 128" or "2 × 1"."""
    rows, cols = _as_matrix(values).shape
    return f"{rows} × {cols}"


def is_elided(values, max_rows: int = 12, max_cols: int = 12) -> bool:
    """Return True if `values` is too big to show whole."""
    rows, cols = _as_matrix(values).shape
    return rows > max_rows or cols > max_cols


def matrix_cells(
    values,
    max_rows: int = 12,
    max_cols: int = 12,
    digits: int = 6,
    unicode_minus: bool = False,
    kept: int | None = None,
) -> list[list[str]]:
    """Return the shown cells of a matrix as text, with ⋯, ⋮ and ⋱ where rows or columns are elided.

    A dimension longer than its limit keeps `kept` entries (default: the limit), the ellipsis included.
    """
    matrix = _as_matrix(values)
    rows = _elided_indices(matrix.shape[0], max_rows, kept)
    cols = _elided_indices(matrix.shape[1], max_cols, kept)
    cells = []
    for i in rows:
        line = []
        for j in cols:
            if i is None and j is None:
                line.append("⋱")
            elif i is None:
                line.append("⋮")
            elif j is None:
                line.append("⋯")
            else:
                line.append(format_number(matrix[i, j], digits, unicode_minus))
        cells.append(line)
    return cells


def number_html(text: str) -> str:
    """Return a formatted number as HTML, writing 1.5e-7 as 1.5×10<sup>−7</sup> for the screen."""
    if "e" not in text or not _looks_numeric(text.replace(MINUS, "-")):
        return html.escape(text)
    mantissa, exponent = text.split("e")
    exponent = exponent.replace("-", MINUS).lstrip("+")
    return f"{html.escape(mantissa)}×10<sup>{exponent}</sup>"


def matrix_html(
    values,
    max_rows: int = 12,
    max_cols: int = 12,
    digits: int = 6,
    bracket_colour: str = "currentColor",
    kept: int | None = None,
) -> str:
    """Return a matrix or column vector as a bracketed HTML table (elided beyond max_rows/max_cols)."""
    cells = matrix_cells(values, max_rows, max_cols, digits, unicode_minus=True, kept=kept)
    border = f"2px solid {bracket_colour}"
    if is_elided(values, max_rows, max_cols):
        return _columns_html(cells, border)
    last = len(cells) - 1
    out = ['<table cellspacing="0" cellpadding="0" style="border-collapse: collapse;">']
    for r, line in enumerate(cells):

        def bracket(side: str, r: int = r) -> str:
            styles = [f"border-{side}: {border}"]
            if r == 0:
                styles.append(f"border-top: {border}")
            if r == last:
                styles.append(f"border-bottom: {border}")
            return f'<td width="5" style="{"; ".join(styles)};">&nbsp;</td>'

        out.append("<tr>" + bracket("left"))
        for text in line:
            align = "center" if text in "⋯⋮⋱" else "right"
            out.append(
                f'<td align="{align}" style="padding: 1px 7px; white-space: nowrap;">{number_html(text)}</td>'
            )
        out.append(bracket("right") + "</tr>")
    out.append("</table>")
    return "".join(out)


def _columns_html(cells: list[list[str]], border: str) -> str:
    """Return an elided matrix as one table row: a bracket, one cell per column (rows as lines), a bracket.

    Qt lays out a table cell slowly: a page of a few 128 × 784 matrices as cell-per-number tables
    takes 100+ ms to show, as column cells a few ms. The rows line up since every line has the same
    font. (As plain text such a matrix reads column by column.)
    """
    side = f"border-top: {border}; border-bottom: {border}"
    out = ['<table cellspacing="0" cellpadding="0"><tr>']
    out.append(f'<td width="5" style="border-left: {border}; {side};">&nbsp;</td>')
    for column in zip(*cells):
        align = "center" if column[0] in "⋯⋮⋱" else "right"
        lines = "<br>".join(number_html(text) for text in column)
        out.append(f'<td align="{align}" style="padding: 1px 7px; white-space: nowrap;">{lines}</td>')
    out.append(f'<td width="5" style="border-right: {border}; {side};">&nbsp;</td>')
    out.append("</tr></table>")
    return "".join(out)


def matrix_text(values, max_rows: int = 12, max_cols: int = 12, digits: int = 6) -> str:
    """Return a matrix in one line, rows separated by ";": [0.15 0.2; 0.25 0.3]."""
    cells = matrix_cells(values, max_rows, max_cols, digits)
    return "[" + "; ".join(" ".join(line) for line in cells) + "]"


def matrix_latex(values, max_rows: int = 12, max_cols: int = 12, digits: int = 6) -> str:
    """Return a matrix as a LaTeX bmatrix."""
    cells = matrix_cells(values, max_rows, max_cols, digits)
    body = r" \\ ".join(" & ".join(_GREEK_LATEX.get(text, text) for text in line) for line in cells)
    return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"


# --- equations ---------------------------------------------------------------------------
def _is_term(part) -> bool:
    return hasattr(part, "symbol") and hasattr(part, "values")


def _balanced_brackets(equation: Sequence) -> bool:
    opened = 0
    for part in equation:
        if isinstance(part, str):
            opened += part.count("(") - part.count(")")
            if opened < 0:
                return False
    return opened == 0


def equation_terms(equation: Sequence) -> list:
    """Return the Terms of an equation, in order."""
    return [part for part in equation if _is_term(part)]


def equation_shape_notes(equation: Sequence, max_rows: int = 12, max_cols: int = 12) -> list[str]:
    """Return "W^(1) is 128 × 784" notes for every elided term."""
    return [
        f"{term.symbol} is {shape_text(term.values)}"
        for term in equation_terms(equation)
        if is_elided(term.values, max_rows, max_cols)
    ]


def equation_html(
    equation: Sequence,
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
    for part in equation:
        if _is_term(part):
            top.append(
                f'<td valign="middle" align="center">'
                f"{matrix_html(part.values, max_rows, max_cols, digits, colour, kept)}</td>"
            )
            bottom.append(
                f'<td align="center" style="font-size: {label_size}; white-space: nowrap;">'
                f"{notation_html(part.symbol)}</td>"
            )
        else:
            text = str(part).replace("-", MINUS) if _looks_numeric(str(part)) else str(part)
            top.append(
                f'<td valign="middle" align="center" style="padding: 0 6px; white-space: nowrap;">'
                f"{notation_html(text)}</td>"
            )
            bottom.append("<td></td>")
    out = '<table cellspacing="5" cellpadding="0"><tr>' + "".join(top) + "</tr>"
    if any(_is_term(part) for part in equation):
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


def _looks_numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def equation_text(equation: Sequence, max_rows: int = 12, max_cols: int = 12, digits: int = 6) -> str:
    """Return an equation with numbers as one line of plain text: [0.3775; 0.3925] = [0.15 0.2; ...] ..."""
    parts = []
    for part in equation:
        parts.append(matrix_text(part.values, max_rows, max_cols, digits) if _is_term(part) else str(part))
    text = " ".join(parts)
    text = re.sub(r"\( ", "(", text)
    return re.sub(r" \)", ")", text)


def equation_symbols(equation: Sequence) -> str:
    """Return the equation with each Term replaced by its symbol (plain notation)."""
    text = " ".join(part.symbol if _is_term(part) else str(part) for part in equation)
    return re.sub(r" \)", ")", re.sub(r"\( ", "(", text))


def equation_latex(equation: Sequence, max_rows: int = 12, max_cols: int = 12, digits: int = 6) -> str:
    """Return an equation with numbers as LaTeX: bmatrix terms labelled underneath with their symbol."""
    balanced = _balanced_brackets(equation)
    parts = []
    for part in equation:
        if _is_term(part):
            matrix = matrix_latex(part.values, max_rows, max_cols, digits)
            parts.append(rf"\underset{{{notation_latex(part.symbol)}}}{{{matrix}}}")
            continue
        text = str(part)
        if _looks_numeric(text):
            parts.append(text)
            continue
        name, opening = (text[:-1], True) if text.endswith("(") else (text, False)
        if opening and len(name) > 1 and name.replace("_", "").isalpha():
            name = name.replace("_", r"\_")
            parts.append(rf"\operatorname{{{name}}}" + (r"\left(" if balanced else "("))
        elif text == ")" and balanced:
            parts.append(r"\right)")
        else:
            parts.append(notation_latex(text))
    return " ".join(parts).replace(r"\left( ", r"\left(").replace(r" \right)", r"\right)")


def stage_markdown(stage, max_rows: int = 12, max_cols: int = 12, digits: int = 6) -> str:
    """Return a stage as Markdown: its title, its formulas, and a LaTeX block with the numbers."""
    lines = [f"## {stage.title}", ""]
    for formula in stage.formulas:
        lines += [f"${notation_latex(formula)}$", ""]
    for equation in stage.equations:
        lines += ["$$", equation_latex(equation, max_rows, max_cols, digits), "$$", ""]
        for note in equation_shape_notes(equation, max_rows, max_cols):
            lines += [f"(shown in part: ${notation_latex(note)}$)", ""]
    return "\n".join(lines).rstrip() + "\n"


def stages_markdown(stages: Iterable, **options) -> str:
    """Return several stages as one Markdown document."""
    return "\n".join(stage_markdown(stage, **options) for stage in stages)
