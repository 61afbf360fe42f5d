"""Write numbers and matrices of numbers as text, HTML and LaTeX, eliding what is too big to show.

A matrix or column vector beyond its row or column limit keeps its first entries, a ⋯ / ⋮ / ⋱ gap and
its last entry. No Qt here. Split from formatting, which re-exports the public names.
"""

from __future__ import annotations

import html
import math

import numpy as np

from explorer.text.notation import GREEK_LATEX

MINUS = "\u2212"


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
    if "e" not in text or not looks_numeric(text.replace(MINUS, "-")):
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
    body = r" \\ ".join(" & ".join(GREEK_LATEX.get(text, text) for text in line) for line in cells)
    return rf"\begin{{bmatrix}} {body} \end{{bmatrix}}"


def looks_numeric(text: str) -> bool:
    """Return True if `text` reads as a float (plain ASCII minus)."""
    try:
        float(text)
    except ValueError:
        return False
    return True
