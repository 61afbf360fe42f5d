"""Numbers and the lecture's notation, written one way everywhere: screen, files, the command line, LaTeX.

- notation: w_ij^(k) as HTML (w<sub>ij</sub><sup>(k)</sup>), Unicode (wᵢⱼ⁽ᵏ⁾) or LaTeX, with one table
  of sub- and superscript characters (`subscript`, `superscript`) for every label the app builds;
- numbers: significant-digit display text, the shortest round-trip text for files and the command
  line, matrices elided to what fits, and the parsers that read what a user types.

Formulas arrive as plain text such as "z^(1) = W^(1) a^(0) + b^(1)" or "∂J/∂w_ij^(k)". A layer index
keeps its brackets as on the board; an exponent such as e^(−z) loses them. No Qt here.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Callable, Iterable
from typing import SupportsFloat

import numpy as np
import numpy.typing as npt

LAYER_INDEX = re.compile(r"^([0-9]+|[A-Za-z])([−+\-][0-9A-Za-z]+)?$")  # (1), (12), (k), (k−1), (L+1)
_LETTER = re.compile(r"[A-Za-zα-ωΑ-Ωŷ]")
_SUB_RUN = re.compile(r"[A-Za-z0-9]+")
_SUP_RUN = re.compile(r"[−\-]?[A-Za-z0-9.]+")
GREEK_LATEX = {  # LaTeX for the symbols the lecture writes, the matrix ellipses included
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


def _scripts(
    text: str,
    plain: Callable[[str], str],
    inner: Callable[[str, str, bool], str],
    wrap: Callable[[str, str], str],
) -> str:
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
_SUPERSCRIPT_TABLE = str.maketrans(_SUPERSCRIPTS)
_SUBSCRIPT_TABLE = str.maketrans(_SUBSCRIPTS)


def superscript(text: object) -> str:
    """Return `text` with every character that has a Unicode superscript raised: "(12)" becomes ⁽¹²⁾."""
    return str(text).translate(_SUPERSCRIPT_TABLE)


def subscript(text: object) -> str:
    """Return `text` with every character that has a Unicode subscript lowered: "12" becomes ₁₂."""
    return str(text).translate(_SUBSCRIPT_TABLE)


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
        return "".join(GREEK_LATEX.get(char, _latex_char(char)) for char in content)

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


# --- names ----------------------------------------------------------------------------------
READABLE_NAMES = {  # what a person reads for the identifiers files keep
    "half_sse": "½ sum of squared errors",
    "cross_entropy": "cross-entropy",
    "leaky_relu": "leaky ReLU",
    "relu": "ReLU",
}


def readable_name(identifier: str) -> str:
    """Return the name shown for an activation or loss identifier: "leaky_relu" reads "leaky ReLU"."""
    return READABLE_NAMES.get(identifier, identifier.replace("_", " "))


# --- numbers on screen ----------------------------------------------------------------------
MINUS = "\u2212"
DIGITS = 4  # significant digits of every number on screen: the graph, the panels, the tables
DETAIL_DIGITS = 10  # where one number is read closely: tooltips, the inspector, the status line
EXACT = None  # digits=EXACT: every digit needed to read back the same float (fields show this)
MAX_DIGITS = 17  # a double never needs more


def _decimal_parts(value: float, digits: int | None) -> tuple[str, int | None]:
    """Return |value| as decimal digits and its power of ten (None: written without one)."""
    text = repr(abs(value)) if digits is None else f"{abs(value):.{digits}g}"
    mantissa, _, exponent = text.partition("e")
    mantissa = mantissa.removesuffix(".0")
    return mantissa, (int(exponent) if exponent else None)


def _display(value: SupportsFloat, digits: int | None, power: Callable[[str], str]) -> str:
    number = float(value)
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return MINUS + "∞" if number < 0 else "∞"
    mantissa, exponent = _decimal_parts(number, digits)
    if exponent is None and float(mantissa) == 0:
        return "0"  # never −0: a sign on nothing only puzzles
    sign = MINUS if number < 0 else ""
    if exponent is None:
        return sign + mantissa
    return f"{sign}{mantissa}×10{power(str(exponent).replace('-', MINUS))}"


def display(value: SupportsFloat, digits: int | None = DIGITS) -> str:
    """Return `value` for a plain-text widget: `digits` significant digits, "−", ×10 with a raised power.

    1.5e-07 reads "1.5×10⁻⁷", -0.0 reads "0"; digits=EXACT keeps every digit needed to read it back.
    """
    return _display(value, digits, superscript)


def display_html(value: SupportsFloat, digits: int | None = DIGITS) -> str:
    """Return `value` as HTML, as display() writes it but with the power in <sup>: 1.5×10<sup>−7</sup>."""
    return _display(value, digits, lambda power: f"<sup>{power}</sup>")


def distinct_digits(old: SupportsFloat, new: SupportsFloat, digits: int = DIGITS) -> int:
    """Return the fewest significant digits, `digits` or more, at which `old` and `new` read differently.

    Equal values keep `digits`; any two different doubles differ at MAX_DIGITS.
    """
    if float(old) == float(new):
        return digits
    for shown in range(min(digits, MAX_DIGITS), MAX_DIGITS):
        if display(old, shown) != display(new, shown):
            return shown
    return MAX_DIGITS


def display_pair(old: SupportsFloat, new: SupportsFloat, digits: int = DIGITS) -> tuple[str, str]:
    """Return `old` and `new` for "old → new" as display() writes them, differing whenever the values do."""
    shown = distinct_digits(old, new, digits)
    return display(old, shown), display(new, shown)


def display_values(values: Iterable[SupportsFloat], digits: int | None = DIGITS) -> str:
    """Return the numbers of a short vector, comma separated, as display() writes each."""
    return ", ".join(display(value, digits) for value in values)


def format_number(value: SupportsFloat, digits: int = 6, unicode_minus: bool = False) -> str:
    """Return `value` with `digits` significant digits for LaTeX, Markdown and exports: 1.5e-7, no "-0".

    The screen uses display() / display_html(); number_html() turns this text into the screen's form.
    """
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


def _as_matrix(values: npt.ArrayLike) -> npt.NDArray[np.float64]:
    array = np.asarray(values, dtype=float)
    if array.ndim == 0:
        return array.reshape(1, 1)
    if array.ndim == 1:
        return array[:, None]  # a column vector, as the lecture writes one sample
    return array.reshape(array.shape[0], -1)


def shape_text(values: npt.ArrayLike) -> str:
    """Return the shape the way the lecture says it, e.g. "784 × 128" or "2 × 1"."""
    rows, cols = _as_matrix(values).shape
    return f"{rows} × {cols}"


def is_elided(values: npt.ArrayLike, max_rows: int = 12, max_cols: int = 12) -> bool:
    """Return True if `values` is too big to show whole."""
    rows, cols = _as_matrix(values).shape
    return bool(rows > max_rows or cols > max_cols)


def matrix_cells(
    values: npt.ArrayLike,
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
    cells: list[list[str]] = []
    for i in rows:
        line: list[str] = []
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
    values: npt.ArrayLike,
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


def matrix_text(values: npt.ArrayLike, max_rows: int = 12, max_cols: int = 12, digits: int = 6) -> str:
    """Return a matrix in one line, rows separated by ";": [0.15 0.2; 0.25 0.3]."""
    cells = matrix_cells(values, max_rows, max_cols, digits)
    return "[" + "; ".join(" ".join(line) for line in cells) + "]"


def matrix_latex(values: npt.ArrayLike, max_rows: int = 12, max_cols: int = 12, digits: int = 6) -> str:
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


# --- numbers a user types --------------------------------------------------------------------
# One set of rules for every field (README, "Using the window"): a dot for decimals; "-", "−" or "+"
# before the number; a power of ten as e-3, E-3, ×10⁻³, ×10^-3, x10^-3 or *10^-3 (so any number the
# screen shows can be typed back). A decimal comma is refused, with a hint, in every field: in a list
# field "0,5" would otherwise be two numbers in one place and one number in another. A list field
# separates its numbers by spaces, ";" or ", " (parse_field_numbers); the command line's
# "--target 0.01,0.99" splits at bare commas too (parse_numbers). Nothing else (no "inf", "1_000").
EXAMPLES = "e.g. 0.15, −2 or 1e-3"
DECIMAL_COMMA_HINT = "use a dot for decimals"
_POWER_PLAIN = re.compile(r"\s*[×xX*·]\s*10\s*\^\s*\(?([+\-]?[0-9]+)\)?$")
_POWER_RAISED = re.compile(r"\s*[×xX*·]\s*10([⁺⁻]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)$")
_DECIMAL = re.compile(r"[+\-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+\-]?[0-9]+)?")
_DECIMAL_COMMA = re.compile(r"[0-9],[0-9]")
_LOWERED = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻", "0123456789+-")
_LIST_SEPARATORS = re.compile(r"[,;\s]+")


def _standard_text(text: str) -> str:
    """Return the typed number in Python's own form: ASCII minus, a power of ten as "e"."""
    cleaned = text.strip().replace(MINUS, "-")
    for pattern, lower in ((_POWER_PLAIN, False), (_POWER_RAISED, True)):
        match = pattern.search(cleaned)
        if match and match.start() > 0:
            power = match.group(1).translate(_LOWERED) if lower else match.group(1)
            return f"{cleaned[: match.start()]}e{power}"
    return cleaned


def parse_number(text: str) -> float:
    """Return the finite float that `text` writes exactly; raise ValueError with the message for the user.

    "0.1" gives the float 0.1, "1e-12" gives 1e-12 (nothing is rounded). The messages are the same
    in every field: see the rules above.
    """
    shown = text.strip()
    if not shown:
        raise ValueError(f"type a number, {EXAMPLES}")
    if _DECIMAL_COMMA.search(shown):
        dotted = shown.replace(",", ".")
        example = (
            f" ({dotted})" if shown.count(",") == 1 and _DECIMAL.fullmatch(_standard_text(dotted)) else ""
        )
        raise ValueError(f"“{shown}” is not a number: {DECIMAL_COMMA_HINT}{example}")
    standard = _standard_text(shown)
    if not _DECIMAL.fullmatch(standard):
        raise ValueError(f"“{shown}” is not a number")
    value = float(standard)
    if not math.isfinite(value):
        raise ValueError(f"“{shown}” is too large: a number must be finite (below about 1.8×10³⁰⁸)")
    if value == 0 and any(digit in "123456789" for digit in re.split("[eE]", standard)[0]):
        raise ValueError(f"“{shown}” is too close to 0 to store (the smallest is about 5×10⁻³²⁴)")
    return value


def parse_numbers(text: str, count: int, name: str) -> list[float]:
    """Return `count` numbers separated by commas, ";" or spaces; raise ValueError naming the bad entry."""
    entries = [entry for entry in _LIST_SEPARATORS.split(text.strip()) if entry]
    values = []
    for position, entry in enumerate(entries, start=1):
        try:
            values.append(parse_number(entry))
        except ValueError as error:
            raise ValueError(f"{name}, entry {position}: {error}") from None
    if len(values) != count:
        raise ValueError(f"{name} needs {count} number{'s' if count != 1 else ''}, got {len(values)}")
    return values


def parse_field_numbers(text: str, count: int, name: str) -> list[float]:
    """Return `count` numbers typed in a list field, separated by spaces, ";" or ", "; raise ValueError.

    A comma between two digits is a decimal comma, refused as in every single-number field.
    """
    for entry in re.split(r"[;\s]+", text.strip()):
        if _DECIMAL_COMMA.search(entry):
            number = entry.strip(",")
            try:
                parse_number(number)
            except ValueError as error:
                raise ValueError(f"{name}: {error}; between numbers put a space or “, ”") from None
    return parse_numbers(text, count, name)


# --- numbers for files and the command line ----------------------------------------------------
def exact_text(value: SupportsFloat) -> str:
    """Return the shortest text that reads back as exactly `value` (repr), for files and the command line."""
    return repr(float(value))


def format_vector(values: Iterable[SupportsFloat], digits: int = 6) -> str:
    """Return the numbers of a short vector, comma separated, for the command line (1.5e-07 stays so)."""
    return ", ".join(f"{float(v):.{digits}g}".replace("-", MINUS) for v in values)


def format_values(values: npt.ArrayLike, indent: int = 0) -> str:
    """Return a number, vector or matrix as text, columns aligned, every digit kept."""
    array = np.asarray(values, dtype=np.float64)
    if array.ndim == 0:
        return exact_text(array)
    if array.ndim == 1:
        return "[" + ", ".join(exact_text(v) for v in array) + "]"
    cells = [[exact_text(v) for v in row] for row in array]
    widths = [max(len(row[j]) for row in cells) for j in range(array.shape[1])] if cells else []
    lines = ["[" + ", ".join(cell.rjust(width) for cell, width in zip(row, widths)) + "]" for row in cells]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"
