"""Edge labels "w₁₂⁽¹⁾ = 0.2" as one graphics item, placed so that labels of crossing edges stay apart.

Each label sits on its own edge, a fraction t of the way from the sending neuron. On small networks
every edge is labelled and t is chosen greedily per edge among candidate fractions so no label covers
another label or a neuron's text. On larger networks labels appear only once zoomed in far enough
that few of them are in view (and then sit at a fraction that depends on the sending neuron).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from .graph_colors import GraphColors
from .graph_edges import to_rect, viewport_rect
from .graph_layout import GraphLayout, Rect, point_segment_distances
from .graph_neurons import LINE_HEIGHT, scene_font

LABEL_PX = 13.0
ALWAYS_UP_TO = 80  # networks with at most this many weights label every edge
LABEL_BUDGET = 160  # otherwise labels show once no more than this many are in view
# Fractions to try after the default one, middle first: there the edges are furthest apart.
CANDIDATES = tuple(sorted(np.round(np.arange(0.12, 0.885, 0.04), 2), key=lambda t: (abs(t - 0.5), t)))
GRADIENT_LINE_UP_TO = 12  # networks this small also show ∂J/∂w under each weight
# Nominal label, wide enough for a typical weight at the update stage with its gradient below.
NOMINAL_LINES = ("w₁₂⁽¹⁾ = −0.4567 → −0.4567", "∂J/∂w = −0.01234")
PAD_X, PAD_Y = 5.0, 2.0
MIN_LABEL_PX = 8.0  # labels are denser than neuron text: they need a little more size to read
LABEL_GAP = 8.0


def default_fraction(n_from: int, j: int) -> float:
    """Return where along its edge the label of an edge from neuron j (of n_from) sits by default."""
    if n_from <= 1:
        return 0.5
    return 0.22 + 0.56 * j / (n_from - 1)


def _overlap(a: Rect, b: Rect) -> float:
    width = min(a.right, b.right) - max(a.left, b.left)
    height = min(a.bottom, b.bottom) - max(a.top, b.top)
    return width * height if width > 0 and height > 0 else 0.0


def place_labels(layout: GraphLayout, width: float, height: float) -> dict[int, np.ndarray]:
    """Return per layer the fraction t of each label, chosen so labels and neuron boxes do not overlap.

    A label also avoids sitting where another edge passes under its centre (a crossing), where it
    would be unclear which of the two edges it names, and if it can, any place another edge crosses.
    """
    neurons = [(k, i) for k, n in enumerate(layout.sizes) for i in range(n)]
    obstacles = [part for k, i in neurons for part in layout.neuron_parts(k, i)]
    placed: list[Rect] = []
    fractions = {}
    for k in range(1, len(layout.sizes)):
        n_to, n_from = layout.sizes[k], layout.sizes[k - 1]
        segments = layout.segments(k)
        chosen = np.empty(n_to * n_from)
        for i in range(n_to):
            for j in range(n_from):
                best_t, best_cost = 0.5, np.inf
                for t in (default_fraction(n_from, j), *CANDIDATES):
                    x, y = layout.edge_point(k, i, j, t)
                    rect = Rect(x - width / 2, y - height / 2, x + width / 2, y + height / 2)
                    crossing = point_segment_distances(x, y, *segments) < height / 2 + 4
                    crossing[i * n_from + j] = False
                    # Small preference for the middle breaks ties between equally free places.
                    cost = sum(_overlap(rect, other) for other in obstacles) + abs(t - 0.5)
                    cost += sum(_overlap(rect, other) for other in placed)
                    cost += 5000.0 * int(crossing.sum())
                    if cost < best_cost:
                        best_t, best_cost = t, cost
                    if cost < 1.0:
                        break
                chosen[i * n_from + j] = best_t
                x, y = layout.edge_point(k, i, j, best_t)
                # Grown by a gap, so two labels never touch and each reads as its own edge's.
                half_w, half_h = width / 2 + LABEL_GAP, height / 2 + LABEL_GAP
                placed.append(Rect(x - half_w, y - half_h, x + half_w, y + half_h))
        fractions[k] = chosen
    return fractions


class EdgeLabelItem(QGraphicsItem):
    """Labels on the edges: name, value, and after the gradient stage ∂J/∂w (and the new value)."""

    def __init__(
        self,
        layout: GraphLayout,
        colors: GraphColors,
        label_for: Callable[[int, int, int, bool], list[str]],
        weight_for: Callable[[int, int, int], float],
    ) -> None:
        super().__init__()
        self._weight_for = weight_for
        self.setFlag(QGraphicsItem.ItemUsesExtendedStyleOption, True)
        self._layout = layout
        self._colors = colors
        self._label_for = label_for
        self._font = scene_font(LABEL_PX)
        self._metrics = QFontMetricsF(self._font)
        self._selected: tuple[int, int, int] | None = None
        self.always = layout.edge_count() <= ALWAYS_UP_TO and not any(layout.compact)
        self.gradient_line = layout.edge_count() <= GRADIENT_LINE_UP_TO
        nominal = NOMINAL_LINES if self.gradient_line else NOMINAL_LINES[:1]
        width = max(self._metrics.horizontalAdvance(line) for line in nominal) + 2 * PAD_X
        height = len(nominal) * LABEL_PX * LINE_HEIGHT + 2 * PAD_Y
        if self.always:
            self._fractions = place_labels(layout, width, height)
        else:
            self._fractions = {}
            for k in range(1, len(layout.sizes)):
                row = [default_fraction(layout.sizes[k - 1], j) for j in range(layout.sizes[k - 1])]
                self._fractions[k] = np.tile(row, layout.sizes[k])
        self._anchors = {}
        for k, t in self._fractions.items():
            x1, y1, x2, y2 = layout.segments(k)
            self._anchors[k] = (x1 + t * (x2 - x1), y1 + t * (y2 - y1))
        box = layout.content_rect()
        bounds = QRectF(box.left, box.top, box.width, box.height)
        self._bounds = bounds.adjusted(-width, -height, width, height)
        self._half = (width / 2, height / 2)

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt's name
        return self._bounds

    def set_colors(self, colors: GraphColors) -> None:
        """Repaint with new palette colours."""
        self._colors = colors
        self.update()

    def set_selected(self, edge: tuple[int, int, int] | None) -> None:
        """Outline the label of the selected edge."""
        if edge != self._selected:
            self._selected = edge
            self.update()

    def anchor(self, k: int, i: int, j: int) -> tuple[float, float]:
        """Return the point on edge w_ij^(k) where its label is centred."""
        index = i * self._layout.sizes[k - 1] + j
        xs, ys = self._anchors[k]
        return float(xs[index]), float(ys[index])

    def visible(self, scale: float) -> bool:
        """Return True if labels are readable at this zoom."""
        return LABEL_PX * scale >= MIN_LABEL_PX

    def shown(self, area: Rect, scale: float) -> list[tuple[int, int, int]]:
        """Return the edges (k, i, j) whose labels are painted in `area` at this zoom.

        On small networks that is every label in the area. On larger ones, once few enough are in
        view, the strongest weights get theirs first and a label that would cover one already
        placed is left out.
        """
        if not self.visible(scale):
            return []
        half_w, half_h = self._half
        candidates, total = [], 0
        for k, (xs, ys) in self._anchors.items():
            inside = (
                (xs >= area.left - half_w) & (xs <= area.right + half_w)
                & (ys >= area.top - half_h) & (ys <= area.bottom + half_h)
            )
            indices = np.flatnonzero(inside)
            total += len(indices)
            candidates.append((k, indices))
        n_from = self._layout.sizes
        edges = [(k, *divmod(int(index), n_from[k - 1])) for k, indices in candidates for index in indices]
        if self.always:
            return edges
        if total > LABEL_BUDGET:
            return []
        edges.sort(key=lambda edge: -abs(self._weight_for(*edge)))
        kept, rects = [], []
        for edge in edges:
            rect = self.label_rect(*edge).adjusted(-2, -2, 2, 2)
            if not any(rect.intersects(other) for other in rects):
                kept.append(edge)
                rects.append(rect)
        return kept

    def label_rect(self, k: int, i: int, j: int) -> QRectF:
        """Return the rectangle the label of w_ij^(k) is painted in."""
        lines = self._label_for(k, i, j, self.gradient_line)
        width = max(self._metrics.horizontalAdvance(line) for line in lines) + 2 * PAD_X
        height = len(lines) * LABEL_PX * LINE_HEIGHT + 2 * PAD_Y
        x, y = self.anchor(k, i, j)
        return QRectF(x - width / 2, y - height / 2, width, height)

    def label_at(self, x: float, y: float, area: Rect, scale: float) -> tuple[int, int, int] | None:
        """Return the edge whose painted label holds the point, or None."""
        for edge in self.shown(area, scale):
            if self.label_rect(*edge).contains(x, y):
                return edge
        return None

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None):
        scale = painter.worldTransform().m11()
        # Decide on the whole view, not the exposed patch, so a partial repaint shows the same labels.
        shown = self.shown(to_rect(viewport_rect(widget, option.exposedRect)), scale)
        if not shown:
            return
        painter.setRenderHint(QPainter.Antialiasing, True)
        painter.setFont(self._font)
        step = LABEL_PX * LINE_HEIGHT
        colors = self._colors
        for k, i, j in shown:
            lines = self._label_for(k, i, j, self.gradient_line)
            rect = self.label_rect(k, i, j)
            selected = self._selected == (k, i, j)
            edge_colour = colors.positive if self._weight_for(k, i, j) >= 0 else colors.negative
            pen = QPen(colors.selection if selected else edge_colour, 2.5 if selected else 1.0)
            pen.setCosmetic(True)
            painter.setPen(pen)
            painter.setBrush(colors.label_fill)
            painter.drawRoundedRect(rect, 4, 4)
            painter.setPen(colors.text)
            for n, line in enumerate(lines):
                row = QRectF(rect.left(), rect.top() + PAD_Y + n * step, rect.width(), step)
                painter.drawText(row, Qt.AlignCenter, line)
