"""Where the graph puts things: columns of neurons, edge segments as NumPy arrays, and hit tests.

Scene units are roughly screen pixels at zoom 1. Layers with more than COMPACT_ABOVE neurons are drawn
compactly (small circles, tight spacing) so a 784-neuron input still fits on a screen. A Shape says how
a small network is fitted to the view's proportions: columns closer together, numbers beside the circles
instead of under them (tall columns), or a deep chain wrapped into rows. A row after the first starts
with a ghost of the previous row's last column, so every edge still runs left to right. No Qt here:
the view turns these numbers into items.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

COMPACT_ABOVE = 40
RADIUS, SPACING = 26.0, 182.0  # a neuron with its name inside and up to five numbers under it
COMPACT_RADIUS, COMPACT_SPACING = 5.0, 14.0
BIAS_ABOVE = 22.0  # room for "b = 0.35" over the circle (clear of the stage halo)
BIAS_HALF_WIDTH = 66.0  # "b = 0.35 → 0.3477" at the update stage
BLOCK_GAP = 11.0  # between the circle and its numbers, clear of the halo
LINE_STEP = 17.1  # one line of numbers
BLOCK_BELOW = BLOCK_GAP + 5 * LINE_STEP + 4  # five lines of numbers (z, a, y, e, δ) under the circle
BLOCK_HALF_WIDTH = 50.0
COMPACT_TEXT_WIDTH = 70.0  # the one-line numbers to the right of a compact neuron
HALO = 9.0  # the stage highlight around a circle
# Numbers beside the circle: bias and numbers in a grid of two columns and up to three rows.
BESIDE_SPACING = 72.0
BESIDE_GAP = 12.0
BESIDE_WIDTH = 256.0
BESIDE_HALF_HEIGHT = 3 * LINE_STEP / 2 + 2
COLUMN_GAP = 24.0
LABEL_ROOM = 290.0  # the least room between one column's text and the next column


def column_spacing(sizes: list[int], tallest: float) -> float:
    """Return the horizontal distance between columns: room for edge labels, wider for tall columns."""
    layers = max(len(sizes) - 1, 1)
    # Never less than a whole label between two circles: "w₁₂⁽¹⁾ = −0.4567 → −0.4567" with its gaps.
    base = 400.0 if layers <= 3 else max(LABEL_ROOM, 400.0 - 25.0 * (layers - 3))
    densest = max((a * b for a, b in zip(sizes, sizes[1:])), default=0)
    if densest <= 80:
        # Every edge of a small network carries a label: more edges between two columns need more room.
        base += min(240.0, 25.0 * max(0, densest - 6))
    # A tall column next to short ones reads as a fan only when the columns are far enough apart.
    return max(base, 1.2 * tallest / layers)


@dataclass(frozen=True)
class Shape:
    """How a network is fitted to a view: column distance, rows, and where the numbers sit."""

    column_spacing: float = 0.0  # 0: the default, with room for every edge label
    rows: int = 1  # a deep network wrapped into this many rows
    row_gap: float = 0.0  # scene units between one row and the next, room for the next row's headings
    beside: bool = False  # numbers in a grid to the right of each circle, so neurons stack closer


@dataclass
class Rect:
    """An axis-aligned rectangle in scene units."""

    left: float
    top: float
    right: float
    bottom: float

    @property
    def width(self) -> float:
        """Return the width."""
        return self.right - self.left

    @property
    def height(self) -> float:
        """Return the height."""
        return self.bottom - self.top


@dataclass
class Ghost:
    """A faded copy of column `column` at the start of row `row`, where its outgoing edges begin."""

    column: int
    row: int
    x: float
    ys: np.ndarray


def split_rows(columns: int, rows: int) -> list[list[int]]:
    """Return the columns of each row; every row after the first also holds a ghost, so has one less."""
    rows = max(1, min(rows, columns // 2))
    per_row = math.ceil((columns + rows - 1) / rows)
    result, start = [], 0
    for r in range(rows):
        take = per_row if r == 0 else per_row - 1
        if start < columns:
            result.append(list(range(start, min(start + take, columns))))
        start += take
    return result


def least_spacing(beside: bool) -> float:
    """Return the least column distance at which neighbouring columns' text stays apart."""
    if beside:
        return RADIUS + BESIDE_GAP + BESIDE_WIDTH + RADIUS + HALO + COLUMN_GAP
    return 2 * max(BLOCK_HALF_WIDTH, BIAS_HALF_WIDTH) + COLUMN_GAP


def label_spacing(sizes: list[int], beside: bool) -> float:
    """Return the default column distance: room for edge labels between the columns' text."""
    compact = any(n > COMPACT_ABOVE for n in sizes)
    step = BESIDE_SPACING if beside and not compact else SPACING
    heights = [(n - 1) * (COMPACT_SPACING if n > COMPACT_ABOVE else step) for n in sizes]
    spacing = column_spacing(sizes, max(heights, default=0.0))
    if beside and not compact:
        # The numbers beside a circle take that much of the gap the labels had.
        spacing += BESIDE_GAP + BESIDE_WIDTH - HALO
    return spacing


class GraphLayout:
    """Positions of every neuron and edge of a network with the given layer sizes."""

    def __init__(self, sizes: list[int], shape: Shape | None = None, biases: tuple[bool, ...] = ()) -> None:
        self.sizes = list(sizes)
        self.shape = shape = shape or Shape()
        # Which weight layers have a bias (index k − 1); unknown ones are taken to have one.
        self.biases = tuple(biases) + (True,) * (len(self.sizes) - 1 - len(biases))
        self.compact = [n > COMPACT_ABOVE for n in self.sizes]
        self.beside = shape.beside and not any(self.compact)
        self.radius = np.array([COMPACT_RADIUS if c else RADIUS for c in self.compact])
        step = BESIDE_SPACING if self.beside else SPACING
        self.spacing = np.array([COMPACT_SPACING if c else step for c in self.compact])
        self.column_spacing = shape.column_spacing or label_spacing(self.sizes, self.beside)
        self.rows = (
            split_rows(len(self.sizes), shape.rows)
            if not any(self.compact)
            else [list(range(len(self.sizes)))]
        )
        self.row_of = [r for r, columns in enumerate(self.rows) for _ in columns]
        # Each column is centred on its row's line; numbers under the circles shift it up a little.
        shift = 0.0 if self.beside else BLOCK_BELOW / 3.0
        local = [
            (np.arange(n, dtype=float) - (n - 1) / 2.0) * s - (0.0 if c else shift)
            for n, s, c in zip(self.sizes, self.spacing, self.compact)
        ]
        self.xs = np.zeros(len(self.sizes))
        for r, columns in enumerate(self.rows):
            first_slot = 0 if r == 0 else 1
            for slot, k in enumerate(columns, start=first_slot):
                self.xs[k] = slot * self.column_spacing
        # Stack the rows: each starts row_gap below the lowest text of the one above.
        self.ys = list(local)
        self.ghosts: list[Ghost] = []
        self.row_lines = [0.0]
        bottom = 0.0  # (of the row above: the first row has none)
        for r, columns in enumerate(self.rows):
            members = columns + ([self.rows[r - 1][-1]] if r > 0 else [])
            ghost = members[-1] if r > 0 else None
            top = min(self._box_at(k, 0.0, float(local[k][0]), k == ghost).top for k in members)
            if r > 0:
                self.row_lines.append(bottom + shape.row_gap - top)
            line = self.row_lines[r]
            for k in columns:
                self.ys[k] = local[k] + line
            if r > 0:
                column = self.rows[r - 1][-1]
                self.ghosts.append(Ghost(column, r, 0.0, local[column] + line))
            bottom = max(self._box_at(k, 0.0, float(local[k][-1]) + line, k == ghost).bottom for k in members)
        self._segments: dict[int, tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]] = {}

    # --- geometry ----------------------------------------------------------------------
    @property
    def num_layers(self) -> int:
        """Return L, the number of weight layers."""
        return len(self.sizes) - 1

    def neuron(self, k: int, i: int) -> tuple[float, float]:
        """Return the centre of neuron i of layer k."""
        return float(self.xs[k]), float(self.ys[k][i])

    def source(self, k: int) -> tuple[float, np.ndarray]:
        """Return the x and the ys the edges of layer k start from: column k − 1, or its ghost."""
        for ghost in self.ghosts:
            if self.rows[ghost.row][0] == k:
                return ghost.x, ghost.ys
        return float(self.xs[k - 1]), self.ys[k - 1]

    def edge_ends(self, k: int, i: int, j: int) -> tuple[tuple[float, float], tuple[float, float]]:
        """Return the two ends of edge w_ij^(k) as drawn: from neuron j (or its ghost) to neuron i."""
        x, ys = self.source(k)
        return (x, float(ys[j])), self.neuron(k, i)

    def heading_anchor(self, k: int) -> tuple[float, float]:
        """Return where column k's heading sits: over the column, at the top of its row."""
        return float(self.xs[k]), self.row_top(self.row_of[k])

    def row_top(self, r: int) -> float:
        """Return the top of the text of row r."""
        columns = self.rows[r]
        boxes = [self.neuron_box(k, 0) for k in columns]
        boxes += [self._box_at(g.column, g.x, float(g.ys[0]), True) for g in self.ghosts if g.row == r]
        return min(box.top for box in boxes)

    def _box_at(self, k: int, x: float, y: float, ghost: bool = False) -> Rect:
        r = float(self.radius[k])
        if self.compact[k]:
            return Rect(x - r, y - r, x + r + COMPACT_TEXT_WIDTH, y + r)
        if ghost:  # a ghost shows its circle and name only
            return Rect(x - r - HALO, y - r - HALO, x + r + HALO, y + r + HALO)
        if self.beside:
            half = max(r + HALO, BESIDE_HALF_HEIGHT)
            return Rect(x - r - HALO, y - half, x + r + BESIDE_GAP + BESIDE_WIDTH, y + half)
        half = max(BLOCK_HALF_WIDTH, BIAS_HALF_WIDTH)
        return Rect(x - half, y - r - BIAS_ABOVE, x + half, y + r + BLOCK_BELOW)

    def neuron_box(self, k: int, i: int) -> Rect:
        """Return the area neuron i of layer k may draw on: circle, bias and numbers."""
        return self._box_at(k, *self.neuron(k, i))

    def number_lines(self, k: int) -> int:
        """Return the most lines of numbers a neuron of layer k shows: x; z, a, e, δ; or also y."""
        return 1 if k == 0 else 5 if k == self.num_layers else 4

    def neuron_parts(self, k: int, i: int) -> list[Rect]:
        """Return the bias strip (if the layer has a bias), the circle (with its halo) and the numbers
        block of a neuron, each as large as it can get at any stage: where labels must not go."""
        x, y = self.neuron(k, i)
        r = float(self.radius[k])
        if self.compact[k]:
            return [self.neuron_box(k, i)]
        circle = Rect(x - r - HALO, y - r - HALO, x + r + HALO, y + r + HALO)
        if self.beside:
            left = x + r + BESIDE_GAP
            half = BESIDE_HALF_HEIGHT if k else LINE_STEP / 2 + 2  # an input shows x only
            return [circle, Rect(left, y - half, left + BESIDE_WIDTH, y + half)]
        below = BLOCK_GAP + self.number_lines(k) * LINE_STEP + 4
        parts = [circle, Rect(x - BLOCK_HALF_WIDTH, y + r, x + BLOCK_HALF_WIDTH, y + r + below)]
        if k and self.biases[k - 1]:
            parts.append(Rect(x - BIAS_HALF_WIDTH, y - r - BIAS_ABOVE, x + BIAS_HALF_WIDTH, y - r))
        return parts

    def ghost_parts(self) -> list[Rect]:
        """Return the circles of the ghost columns, where labels must not go either."""
        return [self._box_at(g.column, g.x, float(y), True) for g in self.ghosts for y in g.ys]

    def content_rect(self) -> Rect:
        """Return the bounding rectangle of every neuron with its text."""
        boxes = [self.neuron_box(k, i) for k, n in enumerate(self.sizes) for i in (0, n - 1)]
        boxes += [self._box_at(g.column, g.x, float(g.ys[i]), True) for g in self.ghosts for i in (0, -1)]
        return Rect(
            min(b.left for b in boxes),
            min(b.top for b in boxes),
            max(b.right for b in boxes),
            max(b.bottom for b in boxes),
        )

    def segments(self, k: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Return (x1, y1, x2, y2) of every edge of layer k, flattened like W^(k): index i * n_{k−1} + j."""
        if k not in self._segments:
            n_to, n_from = self.sizes[k], self.sizes[k - 1]
            x0, ys0 = self.source(k)
            y_from = np.tile(ys0, n_to)
            y_to = np.repeat(self.ys[k], n_from)
            x_from = np.full(n_to * n_from, x0)
            x_to = np.full(n_to * n_from, self.xs[k])
            self._segments[k] = (x_from, y_from, x_to, y_to)
        return self._segments[k]

    def edge_point(self, k: int, i: int, j: int, t: float) -> tuple[float, float]:
        """Return the point a fraction t along edge w_ij^(k), from neuron j towards neuron i."""
        (x1, y1), (x2, y2) = self.edge_ends(k, i, j)
        return x1 + t * (x2 - x1), y1 + t * (y2 - y1)

    def edge_count(self) -> int:
        """Return the number of weights."""
        return int(sum(a * b for a, b in zip(self.sizes[:-1], self.sizes[1:])))

    # --- hit tests ---------------------------------------------------------------------
    def neuron_at(self, x: float, y: float, tolerance: float) -> tuple[int, int] | None:
        """Return (k, i) of the neuron whose circle (or ghost, grown by `tolerance`) holds the point."""
        best, best_distance = None, np.inf
        columns = [(k, float(self.xs[k]), self.ys[k]) for k in range(len(self.sizes))]
        columns += [(g.column, g.x, g.ys) for g in self.ghosts]
        for k, column_x, ys in columns:
            reach = self.radius[k] + tolerance
            if abs(x - column_x) > reach:
                continue
            i = int(np.clip(np.rint((y - ys[0]) / self.spacing[k]), 0, len(ys) - 1))
            distance = float(np.hypot(x - column_x, y - ys[i]))
            if distance <= reach and distance < best_distance:
                best, best_distance = (k, i), distance
        return best

    def nearest_edge(self, x: float, y: float, max_distance: float) -> tuple[int, int, int] | None:
        """Return (k, i, j) of the edge nearest the point if within `max_distance`, else None."""
        best, best_distance = None, max_distance
        for k in range(1, len(self.sizes)):
            if not self.source(k)[0] - max_distance <= x <= self.xs[k] + max_distance:
                continue
            distances = point_segment_distances(x, y, *self.segments(k))
            index = int(np.argmin(distances))
            if distances[index] <= best_distance:
                best_distance = float(distances[index])
                best = (k, *divmod(index, self.sizes[k - 1]))
        return best

    def visible_edges(self, k: int, rect: Rect, margin: float) -> np.ndarray:
        """Return a boolean mask of the edges of layer k that cross `rect` (grown by `margin`)."""
        x1, y1, x2, y2 = self.segments(k)
        left, right = rect.left - margin, rect.right + margin
        top, bottom = rect.top - margin, rect.bottom + margin
        start = self.source(k)[0]
        if self.xs[k] < left or start > right:
            return np.zeros(len(x1), dtype=bool)
        # Every edge of a layer spans the same x range, so clip once and compare the y's there.
        xa, xb = max(start, left), min(self.xs[k], right)
        span = self.xs[k] - start
        ta, tb = (xa - start) / span, (xb - start) / span
        ya = y1 + ta * (y2 - y1)
        yb = y1 + tb * (y2 - y1)
        return (np.maximum(ya, yb) >= top) & (np.minimum(ya, yb) <= bottom)

    def visible_neurons(self, k: int, rect: Rect, margin: float) -> range:
        """Return the indices of layer k's neurons whose boxes may touch `rect`."""
        box = self.neuron_box(k, 0)
        left = box.left - self.xs[k] - margin
        right = box.right - self.xs[k] + margin
        if self.xs[k] + right < rect.left or self.xs[k] + left > rect.right:
            return range(0)
        ys = self.ys[k]
        above = box.top - ys[0] - margin  # negative: the box reaches above the centre
        below = box.bottom - ys[0] + margin
        start = int(np.searchsorted(ys, rect.top - below, side="left"))
        stop = int(np.searchsorted(ys, rect.bottom - above, side="right"))
        return range(max(start, 0), min(stop, len(ys)))


def point_segment_distances(
    px: float | np.ndarray,
    py: float | np.ndarray,
    x1: np.ndarray,
    y1: np.ndarray,
    x2: np.ndarray,
    y2: np.ndarray,
) -> np.ndarray:
    """Return the distance from the point to each segment (vectorised over NumPy arrays)."""
    vx, vy = x2 - x1, y2 - y1
    dx, dy = px - x1, py - y1
    length2 = vx * vx + vy * vy
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.where(length2 > 0, (dx * vx + dy * vy) / length2, 0.0)
    t = np.clip(t, 0.0, 1.0)
    return np.hypot(dx - t * vx, dy - t * vy)
