"""Edge labels "w₁₂⁽¹⁾ = 0.2" as one graphics item, placed so that labels of crossing edges stay apart.

Each label sits on its own edge, a fraction t of the way from the sending neuron. On small networks
every edge is labelled and t is chosen per edge among candidate fractions so no label covers another
label or a neuron's text; where the labels do not fit at their usual size, they are written smaller
or shorter (label_fit.py chooses both). On larger networks labels appear only once zoomed in far enough
that few of them are in view (and then sit at a fraction that depends on the sending neuron).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from explorer.views.graph.colors import GraphColors
from explorer.views.graph.edges import to_rect, viewport_rect
from explorer.views.graph.label_fit import (
    ALWAYS_UP_TO,
    GRADIENT_LINE_UP_TO,
    LABEL_PX,
    MIN_LABEL_PX,
    PAD_X,
    PAD_Y,
    SHRINK_UP_TO,
    LabelStyle,
    Widest,
    choose_style,
    default_fraction,
    reshape,
    smallest_px,
    usual_style,
    widest_labels,
)
from explorer.views.graph.layout import GraphLayout, Rect
from explorer.views.graph.neurons import LINE_HEIGHT, scene_font

LABEL_BUDGET = 160  # on larger networks labels show once no more than this many are in view


class EdgeLabelItem(QGraphicsItem):
    """Labels on the edges: name, value, and after the gradient stage ∂J/∂w (and the new value)."""

    def __init__(
        self,
        layout: GraphLayout,
        colors: GraphColors,
        label_for: Callable[[int, int, int], list[str]],
        weight_for: Callable[[int, int, int], float],
        largest: int = LABEL_PX,
    ) -> None:
        super().__init__()
        self.largest = largest  # the label size in scene units when there is room (LABEL_PX, or enlarged)
        self._weight_for = weight_for
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self._layout = layout
        self._colors = colors
        self._label_for = label_for
        self._selected: tuple[int, int, int] | None = None
        self.always = layout.edge_count() <= ALWAYS_UP_TO and not any(layout.compact)
        self.gradient_line = layout.edge_count() <= GRADIENT_LINE_UP_TO
        self._phase = "forward"
        self._widest: Widest | None = None
        self._scale = 1.0
        self._fixed: tuple[LabelStyle, dict, frozenset] | None = None
        usual = usual_style(layout.edge_count(), largest)
        if not self.always:
            fractions = {}
            for k in range(1, len(layout.sizes)):
                row = [default_fraction(layout.sizes[k - 1], j) for j in range(layout.sizes[k - 1])]
                fractions[k] = np.tile(row, layout.sizes[k])
            self._fixed = (usual, fractions, frozenset())
        self._anchors: dict = {}
        self._metrics: dict[int, QFontMetricsF] = {}
        w, h = usual.size()
        box = layout.content_rect()
        self._bounds = QRectF(box.left, box.top, box.width, box.height).adjusted(-w, -h, w, h)

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

    def set_phase(self, phase: str) -> None:
        """Write the labels for this stage ("forward", "gradient" or "update"; see label_phase) and
        measure them afresh (their numbers may have changed)."""
        self._phase = phase
        self._widest = None
        self.update()

    def set_scale(self, scale: float) -> None:
        """Follow the view's zoom: how small labels may be written depends on it."""
        self._scale = scale

    # --- style and placement -----------------------------------------------------------
    def _state(self, scale: float | None = None) -> tuple[LabelStyle, dict, frozenset]:
        """Return the style, the fractions along the edges and the edges left out at this zoom."""
        if self._fixed is not None:
            return self._fixed
        layout = self._layout
        smallest = smallest_px(self._scale if scale is None else scale)
        if self._widest is None:
            self._widest = ()
            edges = layout.edge_count()
            if edges <= SHRINK_UP_TO:
                labels = [self._label_for(*edge) for edge in self._edges()]
                self._widest = widest_labels(labels, self._phase, edges)
        return choose_style(
            tuple(layout.sizes), layout.shape, layout.biases, smallest, self._widest, self.largest
        )

    def _edges(self) -> list[tuple[int, int, int]]:
        sizes = self._layout.sizes
        return [(k, i, j) for k in range(1, len(sizes)) for i in range(sizes[k]) for j in range(sizes[k - 1])]

    def style(self, scale: float | None = None) -> LabelStyle:
        """Return how labels are written at this zoom (the view's, by default)."""
        return self._state(scale)[0]

    def left_out(self, scale: float | None = None) -> frozenset:
        """Return the edges (k, i, j) whose labels found no room at this zoom (small networks only)."""
        return self._state(scale)[2]

    def _anchor_arrays(self, scale: float | None = None) -> dict[int, tuple[np.ndarray, np.ndarray]]:
        fractions = self._state(scale)[1]
        key = id(fractions)
        if key not in self._anchors:
            if len(self._anchors) > 32:  # a long drag in a small window tries many placements
                self._anchors.clear()
            anchors = {}
            for k, t in fractions.items():
                x1, y1, x2, y2 = self._layout.segments(k)
                anchors[k] = (x1 + t * (x2 - x1), y1 + t * (y2 - y1))
            self._anchors[key] = (fractions, anchors)  # the fractions are kept alive with their id
        return self._anchors[key][1]

    def anchor(self, k: int, i: int, j: int) -> tuple[float, float]:
        """Return the point on edge w_ij^(k) where its label is centred."""
        index = i * self._layout.sizes[k - 1] + j
        xs, ys = self._anchor_arrays()[k]
        return float(xs[index]), float(ys[index])

    def lines(self, k: int, i: int, j: int, scale: float | None = None) -> list[str]:
        """Return the lines of the label of w_ij^(k) as written at this zoom."""
        lines = self._label_for(k, i, j)
        return reshape(lines if self.gradient_line else lines[:1], self.style(scale).form)

    def visible(self, scale: float) -> bool:
        """Return True if labels are readable at this zoom."""
        return self.style(scale).px * scale >= MIN_LABEL_PX

    def shown(self, area: Rect, scale: float) -> list[tuple[int, int, int]]:
        """Return the edges (k, i, j) whose labels are painted in `area` at this zoom.

        On small networks that is every label in the area that found room. On larger ones, once few
        enough are in view, the strongest weights get theirs first and a label that would cover one
        already placed is left out.
        """
        if not self.visible(scale):
            return []
        width, height = self.style(scale).size()
        half_w, half_h = width / 2, height / 2
        candidates: list[tuple[int, np.ndarray]] = []
        total = 0
        for k, (xs, ys) in self._anchor_arrays(scale).items():
            inside = (
                (xs >= area.left - half_w)
                & (xs <= area.right + half_w)
                & (ys >= area.top - half_h)
                & (ys <= area.bottom + half_h)
            )
            indices = np.flatnonzero(inside)
            total += len(indices)
            candidates.append((k, indices))
        n_from = self._layout.sizes
        edges = [(k, *divmod(int(index), n_from[k - 1])) for k, indices in candidates for index in indices]
        if self.always:
            left_out = self.left_out(scale)
            return [edge for edge in edges if edge not in left_out]
        if total > LABEL_BUDGET:
            return []
        edges.sort(key=lambda edge: -abs(self._weight_for(*edge)))
        kept: list[tuple[int, int, int]] = []
        rects: list[QRectF] = []
        for edge in edges:
            rect = self.label_rect(*edge, scale).adjusted(-2, -2, 2, 2)
            if not any(rect.intersects(other) for other in rects):
                kept.append(edge)
                rects.append(rect)
        return kept

    def label_rect(self, k: int, i: int, j: int, scale: float | None = None) -> QRectF:
        """Return the rectangle the label of w_ij^(k) is painted in (at the view's zoom by default)."""
        style = self.style(scale)
        lines = self.lines(k, i, j, scale)
        if style.px not in self._metrics:
            self._metrics[style.px] = QFontMetricsF(scene_font(style.px))
        metrics = self._metrics[style.px]
        width = max(metrics.horizontalAdvance(line) for line in lines) + 2 * PAD_X
        height = len(lines) * style.px * LINE_HEIGHT + 2 * PAD_Y
        index = i * self._layout.sizes[k - 1] + j
        xs, ys = self._anchor_arrays(scale)[k]
        x, y = float(xs[index]), float(ys[index])
        return QRectF(x - width / 2, y - height / 2, width, height)

    def label_at(self, x: float, y: float, area: Rect, scale: float) -> tuple[int, int, int] | None:
        """Return the edge whose painted label holds the point, or None."""
        for edge in self.shown(area, scale):
            if self.label_rect(*edge, scale).contains(x, y):
                return edge
        return None

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        scale = painter.worldTransform().m11()
        # Decide on the whole view, not the exposed patch, so a partial repaint shows the same labels.
        shown = self.shown(to_rect(viewport_rect(widget, option.exposedRect)), scale)
        if not shown:
            return
        style = self.style(scale)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        painter.setFont(scene_font(style.px))
        step = style.px * LINE_HEIGHT
        colors = self._colors
        for k, i, j in shown:
            lines = self.lines(k, i, j, scale)
            rect = self.label_rect(k, i, j, scale)
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
                painter.drawText(row, Qt.AlignmentFlag.AlignCenter, line)
