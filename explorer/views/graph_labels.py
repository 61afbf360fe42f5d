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
from .graph_layout import GraphLayout, Rect
from .graph_neurons import LINE_HEIGHT, scene_font
from .graph_placement import default_fraction, placement

LABEL_PX = 13.0
ALWAYS_UP_TO = 80  # networks with at most this many weights label every edge
LABEL_BUDGET = 160  # otherwise labels show once no more than this many are in view
GRADIENT_LINE_UP_TO = 12  # networks this small also show ∂J/∂w under each weight
# Nominal label, wide enough for a typical weight at the update stage with its gradient below.
NOMINAL_LINES = ("w₁₂⁽¹⁾ = −0.4567 → −0.4567", "∂J/∂w = −0.01234")
PAD_X, PAD_Y = 5.0, 2.0
MIN_LABEL_PX = 8.0  # labels are denser than neuron text: they need a little more size to read


def nominal_size(edges: int) -> tuple[float, float]:
    """Return the size labels are placed for in a network of `edges` weights (scene units)."""
    nominal = NOMINAL_LINES if edges <= GRADIENT_LINE_UP_TO else NOMINAL_LINES[:1]
    metrics = QFontMetricsF(scene_font(LABEL_PX))
    width = max(metrics.horizontalAdvance(line) for line in nominal) + 2 * PAD_X
    return width, len(nominal) * LABEL_PX * LINE_HEIGHT + 2 * PAD_Y


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
        width, height = nominal_size(layout.edge_count())
        self.crowded: set = set()
        if self.always:
            self._fractions, self.crowded = placement(tuple(layout.sizes), layout.shape, width, height)
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
            return [edge for edge in edges if edge not in self.crowded]
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
