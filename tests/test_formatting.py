"""The notation and number formatting used by the panels and exports, checked against hand-written text."""

from __future__ import annotations

import math
import re

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from explorer.engine.stepper import Stage, Term
from explorer.text.equations import equation_html, equation_latex, equation_text, stage_markdown
from explorer.text.notation import (
    format_number,
    matrix_cells,
    matrix_html,
    matrix_latex,
    matrix_text,
    notation_html,
    notation_latex,
    notation_unicode,
)

# The lecture's layer-1 linear step, worked by hand: z = W a + b.
W1 = [[0.15, 0.20], [0.25, 0.30]]
X = [0.05, 0.10]
B1 = [0.35, 0.35]
Z1 = [0.15 * 0.05 + 0.20 * 0.10 + 0.35, 0.25 * 0.05 + 0.30 * 0.10 + 0.35]  # 0.3775, 0.3925


def linear_equation():
    return (
        Term("z^(1)", np.array(Z1)),
        "=",
        Term("W^(1)", np.array(W1)),
        Term("a^(0)", np.array(X)),
        "+",
        Term("b^(1)", np.array(B1)),
    )


def test_notation_html_writes_sub_and_superscripts():
    assert notation_html("w_ij^(k)") == "w<sub>ij</sub><sup>(k)</sup>"
    assert notation_html("z^(1)") == "z<sup>(1)</sup>"
    assert notation_html("δ^(2)") == "δ<sup>(2)</sup>"
    assert notation_html("a^(k−1)ᵀ") == "a<sup>(k−1)T</sup>"
    assert notation_html("z^(1) = W^(1) a^(0) + b^(1)") == (
        "z<sup>(1)</sup> = W<sup>(1)</sup> a<sup>(0)</sup> + b<sup>(1)</sup>"
    )


def test_notation_html_exponents_names_and_escaping():
    # An exponent loses its brackets; a layer index keeps them.
    assert notation_html("1/(1+e^(−z))") == "1/(1+e<sup>−z</sup>)"
    assert notation_html("e^(z_i)") == "e<sup>z<sub>i</sub></sup>"
    # A function name with an underscore is not "leaky" with subscript "relu".
    assert notation_html("leaky_relu(") == "leaky_relu("
    assert notation_html("a < b & c") == "a &lt; b &amp; c"
    assert notation_html("g(z)_i") == "g(z)<sub>i</sub>"


def test_notation_unicode_and_latex():
    assert notation_unicode("w_ij^(k)") == "wᵢⱼ⁽ᵏ⁾"
    assert notation_unicode("a^(k−1)ᵀ") == "a⁽ᵏ⁻¹⁾ᵀ"
    assert notation_unicode("Input: a^(0) = x") == "Input: a⁽⁰⁾ = x"
    assert notation_latex("w_ij^(k)") == "w_{ij}^{(k)}"
    assert notation_latex("a^(k−1)ᵀ") == r"a^{(k-1)\mathsf{T}}"  # one superscript, not a double one
    assert notation_latex("δ^(2) = g'(z^(2)) ⊙ e^(2)") == r"\delta^{(2)} = g'(z^{(2)}) \odot e^{(2)}"
    assert notation_latex("W^(1) new") == r"W^{(1)}_{\text{new}}"
    assert notation_latex("leaky_relu") == r"leaky\_relu"


def test_format_number_significant_digits():
    assert format_number(0.3775) == "0.3775"
    assert format_number(1 / 3) == "0.333333"
    assert format_number(1 / 3, 4) == "0.3333"
    assert format_number(-0.0) == "0"
    assert format_number(1234567.0) == "1.23457e6"
    assert format_number(-2.5e-7, unicode_minus=True) == "\u22122.5e\u22127"
    assert format_number(float("nan")) == "NaN"
    assert format_number(float("-inf")) == "-inf"


@settings(max_examples=60, deadline=None)
@given(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e12, max_value=1e12))
def test_format_number_keeps_six_significant_digits(value):
    back = float(format_number(value))
    assert math.isclose(back, value, rel_tol=5e-6, abs_tol=1e-300)


def test_matrix_html_is_a_bracketed_table():
    text = matrix_html(W1)
    assert text.count("<tr>") == 2
    cells = re.findall(r"<td align=\"right\"[^>]*>([^<]*)</td>", text)
    assert cells == ["0.15", "0.2", "0.25", "0.3"]
    assert "border-left" in text and "border-right" in text
    vector = matrix_html(X)  # a column vector: two rows of one number
    assert vector.count("<tr>") == 2
    assert "−0.5" in matrix_html([-0.5])


def test_large_matrix_is_elided():
    values = np.arange(20 * 30, dtype=float).reshape(20, 30)
    cells = matrix_cells(values, 12, 12)
    assert len(cells) == 12 and all(len(row) == 12 for row in cells)
    assert cells[0][:2] == ["0", "1"] and cells[0][-2:] == ["⋯", "29"]
    assert cells[-2][0] == "⋮" and cells[-2][-2] == "⋱"
    assert cells[-1][-1] == str(20 * 30 - 1)
    html_text = equation_html((Term("W^(1)", values),))
    assert "20 × 30" in html_text and "Shown in part" in html_text


def test_equation_text_and_latex_of_the_linear_step():
    assert equation_text(linear_equation()) == (
        "[0.3775; 0.3925] = [0.15 0.2; 0.25 0.3] [0.05; 0.1] + [0.35; 0.35]"
    )
    latex = equation_latex(linear_equation())
    assert latex.startswith(r"\underset{z^{(1)}}{\begin{bmatrix} 0.3775 \\ 0.3925 \end{bmatrix}} =")
    assert r"\underset{W^{(1)}}{\begin{bmatrix} 0.15 & 0.2 \\ 0.25 & 0.3 \end{bmatrix}}" in latex
    assert matrix_latex(W1) == r"\begin{bmatrix} 0.15 & 0.2 \\ 0.25 & 0.3 \end{bmatrix}"
    assert matrix_text([[1.0, -2.0]]) == "[1 -2]"


def test_equation_with_function_and_hadamard():
    a1 = [1 / (1 + math.exp(-z)) for z in Z1]
    nonlinear = (Term("a^(1)", np.array(a1)), "=", "sigmoid(", Term("z^(1)", np.array(Z1)), ")")
    assert equation_text(nonlinear) == f"[{a1[0]:.6g}; {a1[1]:.6g}] = sigmoid([0.3775; 0.3925])"
    latex = equation_latex(nonlinear)
    assert r"\operatorname{sigmoid}\left(" in latex and latex.endswith(r"\right)")
    delta = (
        Term("δ^(2)", np.array([0.1, 0.2])),
        "=",
        Term("g'(z^(2))", np.array([0.5, 0.5])),
        "⊙",
        Term("e^(2)", np.array([0.2, 0.4])),
    )
    assert r"\odot" in equation_latex(delta)
    assert "⊙" in equation_html(delta)


def test_stage_markdown_has_title_formula_and_numbers():
    stage = Stage("linear", 1, "Layer 1, linear step", ("z^(1) = W^(1) a^(0) + b^(1)",), (linear_equation(),))
    markdown = stage_markdown(stage)
    lines = markdown.splitlines()
    assert lines[0] == "## Layer 1, linear step"
    assert "$z^{(1)} = W^{(1)} a^{(0)} + b^{(1)}$" in lines
    start = lines.index("$$")
    assert lines[start + 2] == "$$"
    assert r"\begin{bmatrix} 0.3775 \\ 0.3925 \end{bmatrix}" in lines[start + 1]


def test_two_digit_layer_numbers_keep_their_brackets():
    # Deep chains have layers 10, 11, 12: without brackets W¹⁰ would read as a power.
    assert notation_html("W^(12)ᵀ") == "W<sup>(12)T</sup>"
    assert notation_unicode("δ^(10)") == "δ⁽¹⁰⁾"
    assert notation_latex("a^(11)") == "a^{(11)}"
