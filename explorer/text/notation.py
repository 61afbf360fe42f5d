"""Write the lecture's notation as HTML, Unicode or LaTeX: w_ij^(k) as w<sub>ij</sub><sup>(k)</sup>, wᵢⱼ⁽ᵏ⁾.

Formulas arrive as plain text such as "z^(1) = W^(1) a^(0) + b^(1)" or "∂J/∂w_ij^(k)". A layer index
keeps its brackets as on the board; an exponent such as e^(−z) loses them. No Qt here. Split from
formatting, which re-exports the public names.
"""

from __future__ import annotations

import html
import re

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
