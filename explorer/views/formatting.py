"""Turn the lecture's notation and a stage's numbers into HTML, plain text, LaTeX and Markdown.

Formulas arrive as plain text such as "z^(1) = W^(1) a^(0) + b^(1)" or "∂J/∂w_ij^(k)"; equations
arrive as tuples mixing stepper Terms (a symbol and its values) with operator strings ("=", "⊙",
"sigmoid(", ")"). No Qt here: the panels feed the HTML to Qt, and exports use the text forms.

The work is done in three layers, each importing only the ones before it: notation (symbols with
scripts), number_format (numbers and elided matrices) and equation_format (equations, stage
Markdown). This module gathers their public names, so callers import from one place.
"""

from __future__ import annotations

from explorer.text.equations import (
    equation_html,
    equation_latex,
    equation_shape_notes,
    equation_symbols,
    equation_terms,
    equation_text,
    stage_markdown,
    stages_markdown,
)
from explorer.text.notation import LAYER_INDEX, notation_html, notation_latex, notation_unicode
from explorer.text.number_format import (
    MINUS,
    format_number,
    is_elided,
    matrix_cells,
    matrix_html,
    matrix_latex,
    matrix_text,
    number_html,
    shape_text,
)

__all__ = [
    "LAYER_INDEX",
    "MINUS",
    "equation_html",
    "equation_latex",
    "equation_shape_notes",
    "equation_symbols",
    "equation_terms",
    "equation_text",
    "format_number",
    "is_elided",
    "matrix_cells",
    "matrix_html",
    "matrix_latex",
    "matrix_text",
    "notation_html",
    "notation_latex",
    "notation_unicode",
    "number_html",
    "shape_text",
    "stage_markdown",
    "stages_markdown",
]
