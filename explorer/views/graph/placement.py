"""Where each edge label goes: a fraction along its edge, chosen so labels and neuron text stay apart.

Pure geometry on a GraphLayout (no Qt), cached per layout shape and label size: the view asks again for
every layout and label size it considers when fitting a window, and again when it builds the one it
chose.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from explorer.views.graph.layout import GraphLayout, Rect, Shape, point_segment_distances

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


def _overlaps(lefts, tops, width: float, height: float, others: np.ndarray) -> np.ndarray:
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
