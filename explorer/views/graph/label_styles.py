"""Which text and size the edge labels take so that every one of them finds room.

A label shows at most "w₁₂⁽¹⁾ = 0.15 → 0.1499" and "∂J/∂w = 0.0002312". Labels are first placed for
the widest such label of a typical weight, so they sit at the same places at every stage. Where that
leaves some out (a small window), a small network (SHRINK_UP_TO weights) places them for the labels it
actually shows at this stage, tries them smaller, down to what stays legible on screen, then with
fewer lines: without ∂J/∂w, the update on two lines, and last the name with the new value only. The
first style that places every label wins, else the one that leaves out fewest. An edge's tooltip
always has every number.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

from PySide6.QtGui import QFontMetricsF

from explorer.views.graph.layout import Shape
from explorer.views.graph.neurons import LINE_HEIGHT, scene_font
from explorer.views.graph.placement import placement

LABEL_PX = 13  # the usual size, in scene units
SMALLEST_PX = 8  # the smallest in scene units, however far the view is zoomed in
MIN_LABEL_PX = 8.0  # on screen: smaller labels are not drawn
ALWAYS_UP_TO = 80  # networks with at most this many weights label every edge
GRADIENT_LINE_UP_TO = 12  # networks this small also show ∂J/∂w under each weight
SHRINK_UP_TO = 20  # networks this small make labels smaller or shorter before leaving one out
PAD_X, PAD_Y = 5.0, 2.0
ROUND = 4.0  # label widths are placed in steps of this, so editing a weight seldom moves the labels
# The widest label of a typical weight (the update stage's): what labels are first placed for.
TYPICAL = ("w₁₂⁽¹⁾ = −0.4567 → −0.4567", "∂J/∂w = −0.01234")
# Ways to write a label, richest first, for each stage.
FORMS = {
    "forward": ("one",),
    "gradient": ("full", "one"),
    "update": ("full", "one", "stack", "new", "tight"),
}

Widest = tuple[tuple[str, tuple[str, ...]], ...]  # per form the lines of its widest label


def label_phase(revealed: frozenset) -> str:
    """Return which labels the stage shows: "forward" (weights), "gradient" (∂J/∂w), "update" (→ new)."""
    quantities = {quantity for quantity, _layer in revealed}
    return "update" if "update" in quantities else "gradient" if "grad" in quantities else "forward"


def reshape(lines: list[str] | tuple[str, ...], form: str) -> list[str]:
    """Return a label's lines ([w = v (→ new)], then ∂J/∂w once known) written in `form`."""
    first = lines[0]
    old, arrow, new = first.partition(" → ")
    if form == "full":
        return list(lines)
    if form == "stack" and arrow:
        return [old, f"→ {new}"]
    if form in ("new", "tight") and arrow:
        arrow = " → " if form == "new" else "→"
        return [f"{old.split(' = ')[0]}{arrow}{new}"]
    return [first]


def label_size(lines: tuple[str, ...] | list[str], px: int) -> tuple[float, float]:
    """Return the width and height of a label with these lines at this size (scene units)."""
    metrics = QFontMetricsF(scene_font(px))
    width = max(metrics.horizontalAdvance(line) for line in lines) + 2 * PAD_X
    return width, len(lines) * px * LINE_HEIGHT + 2 * PAD_Y


@dataclass(frozen=True)
class LabelStyle:
    """How labels are written: the form of their text, its size in scene units, and the label placement
    makes room for."""

    form: str
    px: int
    widest: tuple[str, ...]

    def size(self) -> tuple[float, float]:
        """Return the width (in steps of ROUND) and height of the label placement makes room for."""
        width, height = label_size(self.widest, self.px)
        return ROUND * math.ceil(width / ROUND - 1e-9), height


def widest_labels(labels: list[list[str]], phase: str, edges: int) -> Widest:
    """Return per form of this stage the lines of the widest of these labels (each as edge_label gives
    them), taller ones first among equally wide."""
    metrics = QFontMetricsF(scene_font(LABEL_PX))
    result = []
    for form in _forms(phase, edges):
        written = [tuple(reshape(_lines(lines, edges), form)) for lines in labels]
        result.append((form, max(written, key=lambda ls: (max(map(metrics.horizontalAdvance, ls)), len(ls)))))
    return tuple(result)


def _lines(lines, edges: int):
    return lines if edges <= GRADIENT_LINE_UP_TO else lines[:1]


def _forms(phase: str, edges: int) -> tuple[str, ...]:
    forms = FORMS[phase]
    return forms if edges <= GRADIENT_LINE_UP_TO else tuple(form for form in forms if form != "full")


def usual_style(edges: int) -> LabelStyle:
    """Return the style labels are first placed with: a typical update-stage label at LABEL_PX."""
    return LabelStyle("full" if edges <= GRADIENT_LINE_UP_TO else "one", LABEL_PX, _lines(TYPICAL, edges))


def styles(edges: int, smallest: int, widest: Widest = ()) -> list[LabelStyle]:
    """Return the styles to try for a network of `edges` weights, no smaller than `smallest` px, the
    preferred first: the usual one, then per form of `widest` (richest first) from large to small."""
    result = [usual_style(edges)]
    if edges <= SHRINK_UP_TO:
        for form, lines in widest:
            result += [LabelStyle(form, px, lines) for px in range(LABEL_PX, smallest - 1, -1)]
    return result


@lru_cache(maxsize=256)
def choose_style(
    sizes: tuple[int, ...], shape: Shape, biases: tuple[bool, ...], smallest: int, widest: Widest = ()
) -> tuple[LabelStyle, dict, frozenset]:
    """Return the style labels take in this layout when no smaller than `smallest` px (see smallest_px)
    and written as in `widest` (see widest_labels), their fractions along the edges and the edges left
    out (cached; do not modify)."""
    edges = sum(a * b for a, b in zip(sizes, sizes[1:]))
    usual, *rest = styles(edges, smallest, widest)
    best = (usual, *placement(sizes, shape, *usual.size(), biases))
    forms = list(dict.fromkeys(style.form for style in rest))
    for form in forms if best[2] else ():
        sizes_of_form = [style for style in rest if style.form == form]  # large to small
        smallest_of_form = (sizes_of_form[-1], *placement(sizes, shape, *sizes_of_form[-1].size(), biases))
        if smallest_of_form[2]:
            # Even at its smallest this form leaves labels out: larger ones will not fit either.
            best = min(best, smallest_of_form, key=lambda item: len(item[2]))
            continue
        for style in sizes_of_form:
            fractions, crowded = placement(sizes, shape, *style.size(), biases)
            if not crowded:
                return style, fractions, crowded
    return best


def label_shares(
    sizes: tuple[int, ...], shape: Shape, biases: tuple[bool, ...], scale: float, stages: tuple[Widest, ...]
) -> tuple[float, float]:
    """Return the share of labels that find room in this layout at their usual look, and the least
    share that finds room at any of these stages (each given by its widest labels, see widest_labels)
    in the best style legible at this zoom."""
    edges = max(sum(a * b for a, b in zip(sizes, sizes[1:])), 1)
    placed = 1.0 - len(placement(sizes, shape, *usual_style(edges).size(), biases)[1]) / edges
    if edges > SHRINK_UP_TO or placed == 1.0:
        return placed, placed
    # Each form at its smallest decides: where that leaves labels out, larger ones will not fit either;
    # where one of them does not, choose_style finds it or a richer style that also fits.
    smallest = smallest_px(scale)
    for widest in stages:
        least = edges
        for form, lines in widest:
            style = LabelStyle(form, smallest, lines)
            least = min(least, len(placement(sizes, shape, *style.size(), biases)[1]))
            if not least:
                break
        if least:
            return placed, 1.0 - least / edges  # this stage leaves some out: no need to look further
    return placed, 1.0


def smallest_px(scale: float) -> int:
    """Return the smallest label size (scene units) that is legible at this zoom."""
    return max(SMALLEST_PX, math.ceil(MIN_LABEL_PX / max(scale, 1e-9) - 1e-6))
