"""The words and numbers of the activation panel: the values table under the plots, the note, the tooltips.

Which neurons the table lists (the first few, the selected one in the last place), the colour of each
neuron's dot, the note that explains what the layer's activation does to δ, and a dot's tooltip.
No drawing here: activation_plot owns the plots and calls these. Split from activation_plot, which
re-exports the public names.
"""

from __future__ import annotations

from PySide6.QtGui import QColor

from explorer.document.selection import Selection
from explorer.views.formatting import format_number
from explorer.views.plots.style import PlotColors

MAX_LISTED = 5  # neurons listed with their values under the plots; the others have tooltips
SUBSCRIPT = str.maketrans("0123456789()", "₀₁₂₃₄₅₆₇₈₉₍₎")
SUPERSCRIPT = str.maketrans("0123456789()", "⁰¹²³⁴⁵⁶⁷⁸⁹⁽⁾")


def neuron_name(symbol: str, layer: int, index: int) -> str:
    """Return e.g. z₁⁽²⁾ for symbol z, layer 2, neuron index 0 (neurons count from 1 on screen)."""
    return f"{symbol}{str(index + 1).translate(SUBSCRIPT)}{f'({layer})'.translate(SUPERSCRIPT)}"


def listed_neurons(count: int, selection: Selection, layer: int) -> list[int]:
    """Return the neurons the table lists out of `count`: the first few, and the selected one."""
    listed = list(range(min(count, MAX_LISTED)))
    if selection.kind == "neuron" and selection.layer == layer and MAX_LISTED <= selection.i < count:
        listed[-1] = selection.i
    return listed


def marker_colour(index: int, listed: list[int], colours: PlotColors, softmax: bool) -> QColor:
    """Return the colour of neuron `index`'s dot (and of its dot in the values table)."""
    if softmax:
        return colours.hue(index)  # the colour of the neuron's own curve
    if index in listed:
        # Skip the two hues of the g and g' curves so the dots stand out on them.
        return colours.hue(2 + listed.index(index))
    other = QColor(colours.muted)
    other.setAlpha(170)  # unlisted neurons stay in the background
    return other


def values_html(
    markers: list[tuple[float, float, float]],
    listed: list[int],
    chosen: int | None,
    colours: PlotColors,
    softmax: bool,
) -> str:
    """Return a table of z, a and g'(z) for the listed neurons, under the plots so it covers nothing."""
    rows = [
        ("z", 0, False),
        ("a = g(z)" if not softmax else "a", 1, False),
        ("g′(z)" if not softmax else "∂a<sub>i</sub>/∂z<sub>i</sub>", 2, True),
    ]
    cell = 'style="padding: 1px 12px 1px 0px; white-space: nowrap;"'
    header = [f"<td {cell}>neuron</td>"]
    for i in listed:
        dot = f'<span style="color: {marker_colour(i, listed, colours, softmax).name()};">●</span>'
        name = f"<b>{i + 1}</b>" if i == chosen else f"{i + 1}"  # bold: the selected neuron
        header.append(f"<td {cell}>{dot}&nbsp;{name}</td>")
    lines = ["<tr>" + "".join(header) + "</tr>"]
    for label, column, bold in rows:
        values = [format_number(markers[i][column], 6) for i in listed]
        if bold:
            label, values = f"<b>{label}</b>", [f"<b>{v}</b>" for v in values]
        lines.append(
            f"<tr><td {cell}>{label}</td>" + "".join(f"<td {cell}>{v}</td>" for v in values) + "</tr>"
        )
    return f'<table style="color: {colours.text.name()};" cellspacing="0">' + "".join(lines) + "</table>"


def explanation(activation: str, k: int, revealed: bool, count: int) -> str:
    """Return the note under the plots for layer k's activation, or "" when there is nothing to say."""
    parts = []
    if not revealed:
        z_name = f"z{f'({k})'.translate(SUPERSCRIPT)}"
        parts.append(f"Step to layer {k}'s linear step (or press End) to place the neurons at {z_name}.")
    elif count > MAX_LISTED:
        parts.append(f"{count} neurons, {MAX_LISTED} listed: hover a grey dot for the others.")
    if activation in ("step", "sign"):
        parts.append(
            "g′ = 0 wherever it exists (at z = 0 the jump has none), so δ = g′ ⊙ e = 0: "
            "no gradient passes back through this layer."
        )
    elif activation == "softmax":
        parts.append(
            "Softmax couples its neurons: each curve moves one z<sub>i</sub> with the others held. "
            "The lower plot is the Jacobian's diagonal ∂a<sub>i</sub>/∂z<sub>i</sub> = "
            "a<sub>i</sub>(1 − a<sub>i</sub>); the off-diagonal terms −a<sub>i</sub>a<sub>j</sub> "
            "also enter δ."
        )
    elif activation == "sigmoid":
        parts.append(
            "σ′ ≤ 0.25: on the way back each sigmoid layer multiplies the error by a quarter or less "
            "(before the weights), so δ fades in deep sigmoid networks."
        )
    return " ".join(parts)


def tip_text(markers: list[tuple[float, float, float]], k: int, index) -> str:
    """Return the tooltip of neuron `index`'s dot in layer k: its z, a and g'(z), or "" if out of range."""
    if not 0 <= index < len(markers):
        return ""
    z, g, prime = markers[index]
    return (
        f"{neuron_name('z', k, index)} = {format_number(z, 6)}\n"
        f"{neuron_name('a', k, index)} = {format_number(g, 6)}\ng′(z) = {format_number(prime, 6)}"
    )
