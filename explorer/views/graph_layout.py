"""Where the graph puts things: columns of neurons, edge segments as NumPy arrays, and hit tests.

Scene units are roughly screen pixels at zoom 1. Layers with more than COMPACT_ABOVE neurons are drawn
compactly (small circles, tight spacing) so a 784-neuron input still fits on a screen. No Qt here:
the view turns these numbers into items.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

COMPACT_ABOVE = 40
RADIUS, SPACING = 26.0, 182.0  # a neuron with its name inside and up to five numbers under it
COMPACT_RADIUS, COMPACT_SPACING = 5.0, 14.0
BIAS_ABOVE = 22.0  # room for "b = 0.35" over the circle (clear of the stage halo)
BIAS_HALF_WIDTH = 66.0  # "b = 0.35 → 0.3477" at the update stage
BLOCK_GAP = 11.0  # between the circle and its numbers, clear of the halo
BLOCK_BELOW = BLOCK_GAP + 5 * 17.1 + 4  # five lines of numbers (z, a, y, e, δ) under the circle
BLOCK_HALF_WIDTH = 50.0
COMPACT_TEXT_WIDTH = 70.0  # the one-line numbers to the right of a compact neuron


def column_spacing(sizes: list[int], tallest: float) -> float:
    """Return the horizontal distance between columns: room for edge labels, wider for tall columns."""
    layers = max(len(sizes) - 1, 1)
    base = 400.0 if layers <= 3 else max(250.0, 400.0 - 25.0 * (layers - 3))
    densest = max((a * b for a, b in zip(sizes, sizes[1:])), default=0)
    if densest <= 80:
        # Every edge of a small network carries a label: more edges between two columns need more room.
        base += min(240.0, 25.0 * max(0, densest - 6))
    # A tall column next to short ones reads as a fan only when the columns are far enough apart.
    return max(base, 1.2 * tallest / layers)


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


class GraphLayout:
    """Positions of every neuron and edge of a network with the given layer sizes."""

    def __init__(self, sizes: list[int]) -> None:
        self.sizes = list(sizes)
        self.compact = [n > COMPACT_ABOVE for n in self.sizes]
        self.radius = np.array([COMPACT_RADIUS if c else RADIUS for c in self.compact])
        self.spacing = np.array([COMPACT_SPACING if c else SPACING for c in self.compact])
        heights = [(n - 1) * s for n, s in zip(self.sizes, self.spacing)]
        self.column_spacing = column_spacing(self.sizes, max(heights) if heights else 0.0)
        self.xs = np.arange(len(self.sizes), dtype=float) * self.column_spacing
        # Each column is centred on y = 0; the numbers hang under the circles, so shift up a little.
        self.ys = [
            (np.arange(n, dtype=float) - (n - 1) / 2.0) * s - (0.0 if c else BLOCK_BELOW / 3.0)
            for n, s, c in zip(self.sizes, self.spacing, self.compact)
        ]
        self._segments: dict[int, tuple[np.ndarray, ...]] = {}

    # --- geometry ----------------------------------------------------------------------
    @property
    def num_layers(self) -> int:
        """Return L, the number of weight layers."""
        return len(self.sizes) - 1

    def neuron(self, k: int, i: int) -> tuple[float, float]:
        """Return the centre of neuron i of layer k."""
        return float(self.xs[k]), float(self.ys[k][i])

    def neuron_box(self, k: int, i: int) -> Rect:
        """Return the area neuron i of layer k may draw on: circle, bias above, numbers below."""
        x, y = self.neuron(k, i)
        r = float(self.radius[k])
        if self.compact[k]:
            return Rect(x - r, y - r, x + r + COMPACT_TEXT_WIDTH, y + r)
        half = max(BLOCK_HALF_WIDTH, BIAS_HALF_WIDTH)
        return Rect(x - half, y - r - BIAS_ABOVE, x + half, y + r + BLOCK_BELOW)

    def neuron_parts(self, k: int, i: int) -> list[Rect]:
        """Return the bias strip, the circle (with its halo) and the numbers block of a neuron."""
        x, y = self.neuron(k, i)
        r = float(self.radius[k])
        if self.compact[k]:
            return [self.neuron_box(k, i)]
        return [
            Rect(x - BIAS_HALF_WIDTH, y - r - BIAS_ABOVE, x + BIAS_HALF_WIDTH, y - r),
            Rect(x - r - 9, y - r - 9, x + r + 9, y + r + 9),
            Rect(x - BLOCK_HALF_WIDTH, y + r, x + BLOCK_HALF_WIDTH, y + r + BLOCK_BELOW),
        ]

    def content_rect(self) -> Rect:
        """Return the bounding rectangle of every neuron with its text."""
        boxes = [self.neuron_box(k, i) for k, n in enumerate(self.sizes) for i in (0, n - 1)]
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
            y_from = np.tile(self.ys[k - 1], n_to)
            y_to = np.repeat(self.ys[k], n_from)
            x_from = np.full(n_to * n_from, self.xs[k - 1])
            x_to = np.full(n_to * n_from, self.xs[k])
            self._segments[k] = (x_from, y_from, x_to, y_to)
        return self._segments[k]

    def edge_point(self, k: int, i: int, j: int, t: float) -> tuple[float, float]:
        """Return the point a fraction t along edge w_ij^(k), from neuron j towards neuron i."""
        x1, y1 = self.neuron(k - 1, j)
        x2, y2 = self.neuron(k, i)
        return x1 + t * (x2 - x1), y1 + t * (y2 - y1)

    def edge_count(self) -> int:
        """Return the number of weights."""
        return int(sum(a * b for a, b in zip(self.sizes[:-1], self.sizes[1:])))

    # --- hit tests ---------------------------------------------------------------------
    def neuron_at(self, x: float, y: float, tolerance: float) -> tuple[int, int] | None:
        """Return (k, i) of the neuron whose circle (grown by `tolerance`) holds the point, or None."""
        best, best_distance = None, np.inf
        for k, n in enumerate(self.sizes):
            reach = self.radius[k] + tolerance
            if abs(x - self.xs[k]) > reach:
                continue
            ys = self.ys[k]
            i = int(np.clip(np.rint((y - ys[0]) / self.spacing[k]), 0, n - 1))
            distance = float(np.hypot(x - self.xs[k], y - ys[i]))
            if distance <= reach and distance < best_distance:
                best, best_distance = (k, i), distance
        return best

    def nearest_edge(self, x: float, y: float, max_distance: float) -> tuple[int, int, int] | None:
        """Return (k, i, j) of the edge nearest the point if within `max_distance`, else None."""
        best, best_distance = None, max_distance
        for k in range(1, len(self.sizes)):
            if not self.xs[k - 1] - max_distance <= x <= self.xs[k] + max_distance:
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
        if self.xs[k] < left or self.xs[k - 1] > right:
            return np.zeros(len(x1), dtype=bool)
        # Every edge of a layer spans the same x range, so clip once and compare the y's there.
        xa, xb = max(self.xs[k - 1], left), min(self.xs[k], right)
        span = self.xs[k] - self.xs[k - 1]
        ta, tb = (xa - self.xs[k - 1]) / span, (xb - self.xs[k - 1]) / span
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


def point_segment_distances(px: float, py: float, x1, y1, x2, y2) -> np.ndarray:
    """Return the distance from the point to each segment (vectorised over NumPy arrays)."""
    vx, vy = x2 - x1, y2 - y1
    dx, dy = px - x1, py - y1
    length2 = vx * vx + vy * vy
    with np.errstate(invalid="ignore", divide="ignore"):
        t = np.where(length2 > 0, (dx * vx + dy * vy) / length2, 0.0)
    t = np.clip(t, 0.0, 1.0)
    return np.hypot(dx - t * vx, dy - t * vy)
