"""Fitting the edge labels, and with them the layout, to the view: where each label goes, in which
style, and which layout shape shows the text largest. One algorithm in three steps, each built on the
one before:

Placement. Each edge label sits a fraction along its edge, chosen so labels and neuron text stay
apart: pure geometry on a GraphLayout, cached per layout shape and label size, since the view asks
again for every layout and label size it considers when fitting a window, and again when it builds the
one it chose.

Styles. A label shows at most "w₁₂⁽¹⁾ = 0.15 → 0.1499" and "∂J/∂w = 0.0002312". Labels are first
placed for the widest such label of a typical weight, so they sit at the same places at every stage.
Where that leaves some out (a small window), a small network (SHRINK_UP_TO weights) places them for the
labels it actually shows at this stage, tries them smaller, down to what stays legible on screen, then
with fewer lines: without ∂J/∂w, the update on two lines, and last the name with the new value only.
The first style that places every label wins, else the one that leaves out fewest. An edge's tooltip
always has every number.

Shape. The default layout leaves room for an edge label between columns and five lines of numbers
under every circle. In a view whose proportions do not suit the network, that makes the text tiny at
fit: a 12-layer chain is a thin strip across a wide view, a 1-8-1 network a tall diamond. Each way of
laying it out (columns closer together, numbers beside the circles, the chain wrapped into rows) is
fitted to the view, and the one whose text comes out largest wins, with a preference for the default
and for keeping the edge labels (which the label styles above decide).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from typing import TypeVar

import numpy as np
from PySide6.QtGui import QFontMetricsF

from explorer.views.graph.layout import (
    GraphLayout,
    Rect,
    Shape,
    label_spacing,
    least_spacing,
    point_segment_distances,
)
from explorer.views.graph.neurons import LINE_HEIGHT, scene_font

# --- placement: a fraction along each edge --------------------------------------------------------
# Fractions to try after the default one, middle first: there the edges are furthest apart. Fine steps,
# so a label finds a narrow free spot between two blocks of numbers in a small window.
CANDIDATES = tuple(sorted(np.round(np.arange(0.06, 0.945, 0.02), 2), key=lambda t: (abs(t - 0.5), t)))
FINE_CANDIDATES = tuple(sorted(np.round(np.arange(0.05, 0.951, 0.005), 3), key=lambda t: (abs(t - 0.5), t)))
LABEL_GAP = 8.0
CROWDED = 0.02  # a label overlapping other text by more than this share of its area is left out
SEARCH_BUDGET = 3000  # label choices tried before the search settles for the most labels it found


def default_fraction(n_from: int, j: int) -> float:
    """Return where along its edge the label of an edge from neuron j (of n_from) sits by default."""
    if n_from <= 1:
        return 0.5
    return 0.22 + 0.56 * j / (n_from - 1)


def _overlaps(
    lefts: np.ndarray, tops: np.ndarray, width: float, height: float, others: np.ndarray
) -> np.ndarray:
    """Return for each rectangle (left, top, width × height) its summed overlap area with `others`
    (rows of left, top, right, bottom)."""
    if len(others) == 0:
        return np.zeros(len(lefts))
    left, top = lefts[:, None], tops[:, None]
    across = np.minimum(left + width, others[:, 2]) - np.maximum(left, others[:, 0])
    down = np.minimum(top + height, others[:, 3]) - np.maximum(top, others[:, 1])
    return (np.clip(across, 0.0, None) * np.clip(down, 0.0, None)).sum(axis=1)


def _rows(rects: list[Rect]) -> np.ndarray:
    return np.array([(r.left, r.top, r.right, r.bottom) for r in rects], dtype=float).reshape(-1, 4)


def _crossings(segments: tuple[np.ndarray, ...], index: int) -> tuple[np.ndarray, np.ndarray]:
    """Return the points where edge `index` of a layer crosses the layer's other edges.

    The edges of a layer all run between the same two x's, so two cross where their heights swap.
    """
    x1, y1, x2, y2 = segments
    start, end = y1 - y1[index], y2 - y2[index]  # the other edges' heights relative to this one
    with np.errstate(invalid="ignore", divide="ignore"):
        t = start / (start - end)
    cross = (start * end < 0) & np.isfinite(t)
    t = t[cross]
    return x1[cross] + t * (x2[cross] - x1[cross]), y1[cross] + t * (y2[cross] - y1[cross])


class _Spots:
    """The places a label may take along its edge, with what each one costs on its own."""

    def __init__(
        self,
        layout: GraphLayout,
        edge: tuple[int, int, int],
        width: float,
        height: float,
        obstacles: np.ndarray,
    ) -> None:
        self._measure(layout, edge, width, height, obstacles, CANDIDATES)
        if len(self.free) == 0:
            # A narrow free spot between two blocks of numbers may lie between the usual fractions.
            self._measure(layout, edge, width, height, obstacles, FINE_CANDIDATES)

    def _measure(
        self,
        layout: GraphLayout,
        edge: tuple[int, int, int],
        width: float,
        height: float,
        obstacles: np.ndarray,
        candidates: tuple[float, ...],
    ) -> None:
        k, i, j = edge
        n_from = layout.sizes[k - 1]
        self.ts = np.array((default_fraction(n_from, j), *candidates))
        (x1, y1), (x2, y2) = layout.edge_ends(k, i, j)
        self.xs, self.ys = x1 + self.ts * (x2 - x1), y1 + self.ts * (y2 - y1)
        self.lefts, self.tops = self.xs - width / 2, self.ys - height / 2
        # A label would not say which edge it names if another edge passed under its centre, or if
        # it covered the point where its edge crosses another.
        segments = layout.segments(k)
        distances = point_segment_distances(self.xs[:, None], self.ys[:, None], *segments)
        distances[:, i * n_from + j] = np.inf
        crossing = distances < height / 2 + 4
        # Where the edge itself can be pointed at: clear of neuron text and of other edges.
        inside = (
            (self.xs[:, None] >= obstacles[:, 0])
            & (self.xs[:, None] <= obstacles[:, 2])
            & (self.ys[:, None] >= obstacles[:, 1])
            & (self.ys[:, None] <= obstacles[:, 3])
        )
        self.bare = ~inside.any(axis=1) & (distances.min(axis=1, initial=np.inf) > 8)
        cx, cy = _crossings(segments, i * n_from + j)
        crossing = np.column_stack(
            [
                crossing,
                (np.abs(self.xs[:, None] - cx) < width / 2 + 4)
                & (np.abs(self.ys[:, None] - cy) < height / 2 + 4),
            ]
        )
        self.covers = _overlaps(self.lefts, self.tops, width, height, obstacles)
        # Small preference for the default, then for keeping a label's height clear of a crossing (so
        # both edges are seen to run past it), then the middle, breaks ties between free places.
        near = (np.abs(self.xs[:, None] - cx) < width / 2 + height) & (np.abs(self.ys[:, None] - cy) < height)
        preference = np.abs(self.ts - 0.5) + 0.5 * near.any(axis=1)
        preference[0] = -1.0
        self.cost = self.covers + preference + 5000.0 * crossing.sum(axis=1)
        free = np.flatnonzero(self.covers + 5000.0 * crossing.sum(axis=1) < 0.5)
        self.free = free[np.argsort(preference[free], kind="stable")]


def _search(spots: list[_Spots], width: float, height: float) -> dict[int, int]:
    """Return a free spot for as many labels as a bounded search finds, as {label: spot}, with no two
    labels closer than LABEL_GAP. The labels with the fewest free spots choose first."""
    order = sorted(range(len(spots)), key=lambda n: (len(spots[n].free), n))
    reach_x, reach_y = width + LABEL_GAP, height + LABEL_GAP
    best: dict[int, int] = {}
    chosen: dict[int, int] = {}
    xs, ys = np.empty(len(spots)), np.empty(len(spots))
    budget = [SEARCH_BUDGET]

    def visit(depth: int, placed: int) -> bool:
        nonlocal best
        if placed + len(order) - depth <= len(best) or budget[0] <= 0:
            return False
        if depth == len(order):
            best = dict(chosen)
            return len(best) == len(order)
        n = order[depth]
        here = spots[n]
        taken = list(chosen)
        options = here.free
        if taken:
            apart = (np.abs(here.xs[options, None] - xs[taken]) >= reach_x) | (
                np.abs(here.ys[options, None] - ys[taken]) >= reach_y
            )
            options = options[apart.all(axis=1)]
        for spot in options:
            budget[0] -= 1
            chosen[n] = int(spot)
            xs[n], ys[n] = here.xs[spot], here.ys[spot]
            if visit(depth + 1, placed + 1):
                return True
            del chosen[n]
            if budget[0] <= 0:
                break
        return visit(depth + 1, placed) if len(options) == 0 else False

    visit(0, 0)
    return best


def place_labels(layout: GraphLayout, width: float, height: float) -> tuple[dict[int, np.ndarray], set]:
    """Return per layer the fraction t of each label, chosen so labels and neuron boxes do not overlap,
    and the set of edges (k, i, j) whose label found no free place (those are not drawn).

    A label avoids the numbers and biases of every neuron as large as they get at any stage, and
    sitting where another edge passes under its centre (a crossing), where it would be unclear which
    of the two edges it names. A search gives every label it can a free place; the rest take the least
    bad one, or are left out if that would cover other text.
    """
    neurons = [(k, i) for k, n in enumerate(layout.sizes) for i in range(n)]
    obstacles = _rows([part for k, i in neurons for part in layout.neuron_parts(k, i)] + layout.ghost_parts())
    edges = [
        (k, i, j)
        for k in range(1, len(layout.sizes))
        for i in range(layout.sizes[k])
        for j in range(layout.sizes[k - 1])
    ]
    spots = [_Spots(layout, edge, width, height, obstacles) for edge in edges]
    found = _search(spots, width, height)
    drawn = (
        _rows([])
        if not found
        else np.array(
            [
                (spots[n].lefts[s], spots[n].tops[s], spots[n].lefts[s] + width, spots[n].tops[s] + height)
                for n, s in found.items()
            ]
        )
    )
    crowded = set()
    for n, edge in enumerate(edges):
        if n in found:
            continue
        here = spots[n]
        grown = drawn + (-LABEL_GAP, -LABEL_GAP, LABEL_GAP, LABEL_GAP)
        best = int(np.argmin(here.cost + _overlaps(here.lefts, here.tops, width, height, grown)))
        covered = here.covers[best]
        covered += _overlaps(here.lefts[[best]], here.tops[[best]], width, height, drawn)[0]
        if covered > CROWDED * width * height:
            # No free place: left out rather than covering other text. Its anchor (where a click,
            # a hover or the editor goes) is a point of the edge clear of neuron text, nearest the middle.
            crowded.add(edge)
            bare = np.flatnonzero(here.bare)
            found[n] = int(bare[np.argmin(np.abs(here.ts[bare] - 0.5))]) if len(bare) else 0
            continue
        found[n] = best
        drawn = np.vstack(
            [drawn, [[here.lefts[best], here.tops[best], here.lefts[best] + width, here.tops[best] + height]]]
        )
    fractions, start = {}, 0
    for k in range(1, len(layout.sizes)):
        count = layout.sizes[k] * layout.sizes[k - 1]
        fractions[k] = np.array([spots[n].ts[found[n]] for n in range(start, start + count)])
        start += count
    return fractions, crowded


@lru_cache(maxsize=512)
def placement(
    sizes: tuple[int, ...], shape: Shape, width: float, height: float, biases: tuple[bool, ...] = ()
) -> tuple[dict, frozenset]:
    """Return place_labels for a network of these sizes (and layers with a bias) laid out in `shape`
    (cached; do not modify)."""
    fractions, crowded = place_labels(GraphLayout(list(sizes), shape, biases), width, height)
    return fractions, frozenset(crowded)


# --- styles: the text and size labels take --------------------------------------------------------
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
Lines = TypeVar("Lines", list[str], tuple[str, ...])  # a label's lines


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


def _lines(lines: Lines, edges: int) -> Lines:
    return lines if edges <= GRADIENT_LINE_UP_TO else lines[:1]


def _forms(phase: str, edges: int) -> tuple[str, ...]:
    forms = FORMS[phase]
    return forms if edges <= GRADIENT_LINE_UP_TO else tuple(form for form in forms if form != "full")


def usual_style(edges: int, px: int = LABEL_PX) -> LabelStyle:
    """Return the style labels are first placed with: a typical update-stage label at `px` (LABEL_PX,
    or larger where the text is enlarged, see View ▸ Larger text and presentation mode)."""
    return LabelStyle("full" if edges <= GRADIENT_LINE_UP_TO else "one", px, _lines(TYPICAL, edges))


def styles(edges: int, smallest: int, widest: Widest = (), largest: int = LABEL_PX) -> list[LabelStyle]:
    """Return the styles to try for a network of `edges` weights, from `largest` px down to no smaller
    than `smallest` px, the preferred first: the usual one, then per form of `widest` (richest first)
    from large to small."""
    result = [usual_style(edges, largest)]
    if edges <= SHRINK_UP_TO:
        for form, lines in widest:
            result += [LabelStyle(form, px, lines) for px in range(largest, smallest - 1, -1)]
    return result


@lru_cache(maxsize=256)
def choose_style(
    sizes: tuple[int, ...],
    shape: Shape,
    biases: tuple[bool, ...],
    smallest: int,
    widest: Widest = (),
    largest: int = LABEL_PX,
) -> tuple[LabelStyle, dict, frozenset]:
    """Return the style labels take in this layout when no smaller than `smallest` px (see smallest_px)
    nor larger than `largest` px and written as in `widest` (see widest_labels), their fractions along
    the edges and the edges left out (cached; do not modify)."""
    edges = sum(a * b for a, b in zip(sizes, sizes[1:]))
    usual, *rest = styles(edges, smallest, widest, largest)
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


# --- shape: the layout whose text is largest ------------------------------------------------------
GOOD_SCALE = 1.0  # numbers at 14 px: larger reads no better, so past this the default layout wins
READABLE_LABEL_PX = 10.0  # labels smaller than this on screen are not worth wider columns
LABEL_BONUS = 1.3  # keeping the edge labels is worth this much smaller text
ROW_COST = 0.96  # each extra row and numbers beside the circles cost a little: the default reads best
BESIDE_COST = 0.96
MAX_ROWS = 4
WRAP_FROM = 5  # columns; fewer are never wrapped
ROW_PAD = 10.0  # scene units between a row's text and the headings of the row under it
STEP = 8.0  # column distances and row gaps are multiples of this
WIDEN_LAYOUTS = 2  # how many squeezed layouts to move apart for the labels
WIDEN_STEPS = (1, 1, 2, 2, 4, 4, 8, 8)  # by so many STEPs at a time: fine first, then faster


Room = tuple[float, float, float, float]  # pixels left and right of a column, then at most left, right


@dataclass(frozen=True)
class View:
    """The view a layout is fitted to: its size in pixels and what its headings take."""

    width: float
    height: float
    heading_height: Callable[[float], float]  # pixels of headings above a row, at a zoom
    # How far column k's heading reaches left and right of it at a zoom, given its room.
    heading_reach: Callable[[int, float, Room], tuple[float, float]] = lambda k, scale, room: (0.0, 0.0)
    margin: float = 14.0
    largest: float = 2.2  # the largest zoom a fit may use
    below: float = 0.0  # pixels kept free under the graph (for the corner note)


def heading_rooms(layout: GraphLayout, scale: float) -> tuple[list[Room], list[Room]]:
    """Return the room of each column's heading and of each ghost's, in pixels at zoom `scale`.

    A heading has half the way to the next column on either side; where a row starts or ends, as
    far as the graph goes. The input's and output's headings may reach half a column further out
    (past the graph: the fit makes room) before they are shortened to nothing: J is worth that.
    """
    box = layout.content_rect()
    half = (layout.column_spacing * scale - 14) / 2
    columns = [[half] * 4 for _ in layout.sizes]
    ghosts = [[half] * 4 for _ in layout.ghosts]
    starts = {g.row: (ghosts[n], g.x) for n, g in enumerate(layout.ghosts)}
    for r, row in enumerate(layout.rows):
        first, x = starts.get(r, (columns[row[0]], layout.xs[row[0]]))
        first[0] = first[2] = max(half, (x - box.left) * scale)
        columns[row[-1]][1] = columns[row[-1]][3] = max(half, (box.right - layout.xs[row[-1]]) * scale)
    columns[0][2] += half
    columns[-1][3] += half
    return [(a, b, c, d) for a, b, c, d in columns], [(a, b, c, d) for a, b, c, d in ghosts]


def fitted_scale(layout: GraphLayout, view: View, scale: float = 1.0) -> tuple[float, float]:
    """Return the zoom at which `layout` fits the view as fit-to-window does it, headings included,
    and the pixels the headings stick out left and right of the graph."""
    box = layout.content_rect()
    sides = 0.0
    for _ in range(2):  # how far the headings stick out depends on the zoom, and the other way round
        rooms, _ = heading_rooms(layout, scale)
        reach = [(view.heading_reach(k, scale, room), float(layout.xs[k])) for k, room in enumerate(rooms)]
        left = max([0.0] + [out - (x - box.left) * scale for (out, _), x in reach])
        right = max([0.0] + [out - (box.right - x) * scale for (_, out), x in reach])
        sides = left + right
        head = view.heading_height(scale)
        across = (view.width - 2 * view.margin - sides) / box.width
        scale = min(across, (view.height - 2 * view.margin - head - view.below) / box.height, view.largest)
        scale = max(scale, 1e-4)
    return scale, sides


def _candidate(sizes: list[int], rows: int, beside: bool, view: View, floor: float) -> tuple[Shape, float]:
    """Return the shape for these choices with the column distance that best fills the view (no less
    than `floor`), and its zoom."""
    labels = label_spacing(sizes, beside)
    floor = min(floor, labels)
    scale, spacing, gap, sides = 0.5, labels, 0.0, 0.0
    room = view.width - 2 * view.margin
    for _ in range(3):  # the row gap holds headings of a fixed pixel size, so it depends on the zoom
        head = view.heading_height(scale)
        gap = STEP * math.ceil((head / scale + ROW_PAD) / STEP) if rows > 1 else 0.0
        layout = GraphLayout(sizes, Shape(labels, rows, gap, beside))
        box = layout.content_rect()
        tall = (view.height - 2 * view.margin - head - view.below) / box.height
        slots = max(len(row) + (r > 0) for r, row in enumerate(layout.rows)) - 1
        # Bring the columns together until the width limits the zoom no more than the height does,
        # and no further than text of a good size needs: wider columns leave room for labels.
        extra = box.width - slots * labels
        if slots:
            spacing = ((room - sides) / max(min(tall, GOOD_SCALE), 1e-6) - extra) / slots
        if spacing < labels:  # in steps, so a window being resized reuses the labels' placement
            spacing = max(floor, STEP * math.floor(spacing / STEP))
        spacing = min(max(spacing, floor), labels)
        shape = Shape(float(spacing), rows, float(gap), beside)
        scale, sides = fitted_scale(GraphLayout(sizes, shape), view, scale)
    return shape, scale


# (shape, zoom) -> share of labels placed at their usual look, and in any legible style
LabelFit = Callable[[Shape, float], tuple[float, float]]


def choose_shape(
    sizes: list[int], view: View, label_fit: LabelFit | None, every_label: bool = False
) -> Shape:
    """Return the layout shape whose text is largest when fitted to `view`.

    `label_fit(shape, scale)` gives the share of edge labels that find room in a layout at their usual
    look and in any style legible at that zoom (smaller or shorter), for a network that labels every
    edge (else None). No layout may drop labels the default layout shows; readable labels in place
    earn a bonus. With `every_label` (a small network, where the labels are the point) a layout that
    shows every label in some style wins over all that do not, as long as its text is no more than
    LABEL_BONUS times smaller: if none does, columns are moved apart a step at a time until they fit.
    """
    if any(n > 40 for n in sizes) or view.width < 50 or view.height < 50:
        return Shape()
    labelled = label_fit is not None
    every_label = every_label and labelled
    columns = len(sizes)
    options = [(1, False, True)]  # the default first: it wins ties
    for rows in range(1, (MAX_ROWS if columns >= WRAP_FROM else 1) + 1):
        for beside in (False, True):
            for keep in (True, False) if labelled else (False,):
                if (rows, beside, keep) != options[0]:
                    options.append((rows, beside, keep))
    best, best_score, keep_share = Shape(), -1.0, None
    plain = 0.0  # the best score without label bonuses
    complete: list[tuple] = []  # layouts that show every label: scores, shape, share at the usual look
    squeezed: list[tuple[float, int, bool, Shape]] = []  # layouts that could move their columns apart
    for rows, beside, keep in options:
        floor = label_spacing(sizes, beside) if keep else least_spacing(beside)
        shape, scale = _candidate(sizes, rows, beside, view, floor)
        score = _score(scale, rows, beside)
        plain = max(plain, score)
        if best_score >= 0 and score * LABEL_BONUS <= min(best_score, plain) * 1.02:
            continue  # cannot win even with every label: spare placing them (milliseconds each)
        fit = label_fit(shape, scale) if label_fit is not None and scale * LABEL_PX >= MIN_LABEL_PX else None
        if fit is not None and fit[1] == 1.0:
            complete.append((_with_labels(score, scale, fit), score, shape, fit[0]))
        elif fit is not None and not keep:
            squeezed.append((score, rows, beside, shape))
        share = fit[0] if fit else None
        if best_score < 0 and share is not None:
            keep_share = share - 0.05  # the default shows these labels: no layout may lose them
        elif keep_share is not None and (share is None or share < keep_share):
            continue
        score = _with_labels(score, scale, fit)
        if score > best_score * 1.02:
            best, best_score = shape, score
    if every_label and label_fit is not None:  # (every_label implies a label_fit)
        if not complete:
            complete = _widened(sizes, view, label_fit, squeezed, plain / LABEL_BONUS)
        # Smaller or shorter labels do not make up for any the default shows at their usual look.
        usual = -1.0 if keep_share is None else keep_share
        complete = [item for item in complete if item[1] * LABEL_BONUS >= plain and item[3] >= usual]
        if complete:
            return max(complete, key=lambda item: item[0])[2]
    return best


def _with_labels(score: float, scale: float, fit: tuple[float, float] | None) -> float:
    """Return a layout's score with the bonus its readable labels at their usual look earn, up to
    LABEL_BONUS when all are there."""
    if fit is None or scale * LABEL_PX < READABLE_LABEL_PX:
        return score
    return score * max(1.0, LABEL_BONUS ** (2.0 * fit[0] - 1.0))


def _score(scale: float, rows: int, beside: bool) -> float:
    """Return how good a layout's text size is: its zoom, less a little for rows and side numbers."""
    return min(scale, GOOD_SCALE) * ROW_COST ** (rows - 1) * (BESIDE_COST if beside else 1.0)


def _widened(
    sizes: list[int], view: View, label_fit: LabelFit, squeezed: list, least: float
) -> list[tuple[float, float, Shape, float]]:
    """Return layouts that show every label, found by moving the columns of the best squeezed layouts
    apart step by step while the score stays at least `least` (the first for each)."""
    found = []
    for _, rows, beside, shape in sorted(squeezed, key=lambda item: -item[0])[:WIDEN_LAYOUTS]:
        spacing = shape.column_spacing
        for steps in WIDEN_STEPS:
            if spacing >= label_spacing(sizes, beside):
                break
            spacing += steps * STEP
            shape, scale = _candidate(sizes, rows, beside, view, spacing)
            score = _score(scale, rows, beside)
            if score < least or scale * LABEL_PX < MIN_LABEL_PX:
                break
            fit = label_fit(shape, scale)
            if fit[1] == 1.0:
                found.append((_with_labels(score, scale, fit), score, shape, fit[0]))
                break
    return found
