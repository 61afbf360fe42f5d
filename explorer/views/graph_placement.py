"""Where each edge label goes: a fraction along its edge, chosen so labels and neuron text stay apart.

Pure geometry on a GraphLayout (no Qt), cached per layout shape: the view asks again for every layout
it considers when fitting a window, and again when it builds the one it chose.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .graph_layout import GraphLayout, Rect, Shape, point_segment_distances

# Fractions to try after the default one, middle first: there the edges are furthest apart.
CANDIDATES = tuple(sorted(np.round(np.arange(0.12, 0.885, 0.04), 2), key=lambda t: (abs(t - 0.5), t)))
LABEL_GAP = 8.0
CROWDED = 0.02  # a label overlapping other text by more than this share of its area is left out


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


def place_labels(layout: GraphLayout, width: float, height: float) -> tuple[dict[int, np.ndarray], set]:
    """Return per layer the fraction t of each label, chosen so labels and neuron boxes do not overlap,
    and the set of edges (k, i, j) whose label found no free place (those are not drawn).

    A label also avoids sitting where another edge passes under its centre (a crossing), where it
    would be unclear which of the two edges it names, and if it can, any place another edge crosses.
    Each label takes the first candidate fraction that is free, else the least bad one.
    """
    neurons = [(k, i) for k, n in enumerate(layout.sizes) for i in range(n)]
    obstacles = _rows([part for k, i in neurons for part in layout.neuron_parts(k, i)] + layout.ghost_parts())
    placed = np.empty((0, 4))  # labels so far, grown by a gap to keep the next ones clear
    drawn = np.empty((0, 4))  # the same, as drawn
    fractions, crowded = {}, set()
    for k in range(1, len(layout.sizes)):
        n_to, n_from = layout.sizes[k], layout.sizes[k - 1]
        segments = layout.segments(k)
        chosen = np.empty(n_to * n_from)
        for i in range(n_to):
            for j in range(n_from):
                ts = np.array((default_fraction(n_from, j), *CANDIDATES))
                (x1, y1), (x2, y2) = layout.edge_ends(k, i, j)
                xs, ys = x1 + ts * (x2 - x1), y1 + ts * (y2 - y1)
                lefts, tops = xs - width / 2, ys - height / 2
                crossing = point_segment_distances(xs[:, None], ys[:, None], *segments) < height / 2 + 4
                crossing[:, i * n_from + j] = False
                overlap = _overlaps(lefts, tops, width, height, obstacles)
                overlap += _overlaps(lefts, tops, width, height, placed)
                # Small preference for the middle breaks ties between equally free places.
                cost = overlap + np.abs(ts - 0.5) + 5000.0 * crossing.sum(axis=1)
                free = np.flatnonzero(cost < 1.0)
                best = int(free[0]) if len(free) else int(np.argmin(cost))
                chosen[i * n_from + j] = ts[best]
                rect = np.array([[lefts[best], tops[best], lefts[best] + width, tops[best] + height]])
                covered = _overlaps(rect[:, 0], rect[:, 1], width, height, np.vstack([obstacles, drawn]))[0]
                if covered > CROWDED * width * height:
                    # No free place: left out rather than covering other text. Its anchor (where a
                    # click or the editor goes) returns to the default, clear of the circles.
                    crowded.add((k, i, j))
                    chosen[i * n_from + j] = ts[0]
                    continue
                drawn = np.vstack([drawn, rect])
                # Grown by a gap, so two labels never touch and each reads as its own edge's.
                placed = np.vstack([placed, rect + (-LABEL_GAP, -LABEL_GAP, LABEL_GAP, LABEL_GAP)])
        fractions[k] = chosen
    return fractions, crowded


@lru_cache(maxsize=48)
def placement(sizes: tuple[int, ...], shape: Shape, width: float, height: float) -> tuple[dict, frozenset]:
    """Return place_labels for a network of these sizes laid out in `shape` (cached; do not modify)."""
    fractions, crowded = place_labels(GraphLayout(list(sizes), shape), width, height)
    return fractions, frozenset(crowded)


def placed_share(sizes: tuple[int, ...], shape: Shape, width: float, height: float) -> float:
    """Return the share of edge labels that find a free place in this layout."""
    edges = sum(a * b for a, b in zip(sizes, sizes[1:]))
    return 1.0 - len(placement(sizes, shape, width, height)[1]) / max(edges, 1)
