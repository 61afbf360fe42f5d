"""How to lay a small network out for the view it is fitted to, so its text stays as large as it can.

The default layout leaves room for an edge label between columns and five lines of numbers under
every circle. In a view whose proportions do not suit the network, that makes the text tiny at fit:
a 12-layer chain is a thin strip across a wide view, a 1-8-1 network a tall diamond. Here each way of
laying it out (columns closer together, numbers beside the circles, the chain wrapped into rows) is
fitted to the view, and the one whose text comes out largest wins, with a preference for the default
and for keeping the edge labels. No Qt here.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from explorer.views.graph.layout import GraphLayout, Shape, label_spacing, least_spacing

GOOD_SCALE = 1.0  # numbers at 14 px: larger reads no better, so past this the default layout wins
LABEL_PX = 13.0  # as in graph_label_styles
MIN_LABEL_PX = 8.0  # as in graph_label_styles: smaller labels are not drawn
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
    return [tuple(room) for room in columns], [tuple(room) for room in ghosts]


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
        fit = label_fit(shape, scale) if labelled and scale * LABEL_PX >= MIN_LABEL_PX else None
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
    if every_label:
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
