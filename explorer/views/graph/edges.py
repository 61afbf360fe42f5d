"""All the weights of the network as one graphics item, painted from NumPy arrays.

One QGraphicsItem per edge is far too slow for 100,000 weights, so this item keeps the weights as
arrays and paints them bucketed by sign and width with QPainter.drawLines. Software rasterising costs
per pixel: a fully connected 784 × 128 layer at fit zoom is 100,000 lines of 1,000+ pixels each,
seconds of work that would only paint a solid fan. So when more than EDGE_BUDGET edges cross the
visible area, the layer is drawn as a faint band with its strongest EDGE_BUDGET edges (by |w|) on
top; zooming in brings back every edge as soon as few enough cross the view.
"""

from __future__ import annotations

import numpy as np
from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsView, QStyleOptionGraphicsItem, QWidget

from explorer.views.graph.colors import GraphColors, blend, with_alpha
from explorer.views.graph.layout import GraphLayout, Rect

EDGE_BUDGET = 4000
ANTIALIAS_UP_TO = 800  # antialiased lines cost several times more to rasterise
WIDTHS = (1.5, 2.2, 3.0, 4.0, 5.2)  # pixels; thinner cosmetic lines take Qt's slow path
DIM = 0.5  # how far edges outside the current stage fade towards the background
DENSE_PIXELS = 250.0
STRENGTH_GROUPS = 8


def zoomed_width(width: float, scale: float) -> float:
    """Return a pen width that thins towards the thinnest when zoomed out, so dense layers stay apart."""
    thinnest = WIDTHS[0]
    return thinnest + (width - thinnest) * min(1.0, max(scale, 0.0))


def viewport_rect(widget: QWidget | None, fallback: QRectF) -> QRectF:
    """Return the scene rectangle the view shows (the painted area when painting off-screen)."""
    view = widget.parent() if widget is not None else None
    if widget is not None and isinstance(view, QGraphicsView):
        return view.mapToScene(widget.rect()).boundingRect()
    return fallback


def to_rect(rect: QRectF) -> Rect:
    """Return a QRectF as a layout Rect."""
    return Rect(rect.left(), rect.top(), rect.right(), rect.bottom())


class EdgeBatchItem(QGraphicsItem):
    """Every edge w_ij^(k), coloured by sign, wider with |w|, faded outside the current stage."""

    def __init__(self, layout: GraphLayout, colors: GraphColors, weights: list[np.ndarray | None]) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self._layout = layout
        self._colors = colors
        self._weights: dict[int, np.ndarray] = {}
        self._largest = 1.0
        self._highlight: frozenset[int] = frozenset()
        self.shown_edges = 0  # edges painted by the last paint, and whether the budget cut them
        self.limited = False
        box = layout.content_rect()
        self._bounds = QRectF(box.left, box.top, box.width, box.height).adjusted(-8, -8, 8, 8)
        self.set_weights(weights)

    # --- state -------------------------------------------------------------------------
    def set_weights(self, weights: list[np.ndarray | None], layer: int = 0) -> None:
        """Take new weight matrices (index 0 unused, 1..L); `layer` > 0 means only that one changed."""
        layers = [layer] if layer else range(1, len(weights))
        for k in layers:
            self._weights[k] = np.asarray(weights[k], dtype=float).ravel()
        largest = max((float(np.max(np.abs(w))) for w in self._weights.values() if w.size), default=0.0)
        self._largest = largest if np.isfinite(largest) and largest > 0 else 1.0
        self.update()

    def set_highlight(self, layers: frozenset[int]) -> None:
        """Draw the edges of these layers in full colour and the rest faded."""
        if layers != self._highlight:
            self._highlight = frozenset(layers)
            self.update()

    def set_colors(self, colors: GraphColors) -> None:
        """Repaint with new palette colours."""
        self._colors = colors
        self.update()

    def width_of(self, k: int, index: int) -> float:
        """Return the pen width in pixels of edge `index` of layer k."""
        return WIDTHS[int(self._buckets(self._weights[k][[index]])[0])]

    def colour_of(self, k: int, index: int) -> QColor:
        """Return the colour edge `index` of layer k is drawn with."""
        return self._colour(k, self._weights[k][index] >= 0)

    # --- painting ----------------------------------------------------------------------
    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt's name
        return self._bounds

    def _buckets(self, values: np.ndarray) -> np.ndarray:
        ratio = np.abs(values) / self._largest
        return np.digitize(ratio, (0.2, 0.4, 0.6, 0.8))

    def _colour(self, k: int, positive: bool) -> QColor:
        colour = self._colors.positive if positive else self._colors.negative
        return colour if k in self._highlight else blend(colour, self._colors.background, DIM)

    def _chosen(self, area: Rect, scale: float) -> dict[int, np.ndarray]:
        """Return per layer the indices of the edges to paint: all visible ones, or the strongest."""
        margin = 4.0 / max(scale, 1e-9)
        visible = {k: np.flatnonzero(self._layout.visible_edges(k, area, margin)) for k in self._weights}
        total = sum(len(v) for v in visible.values())
        self.limited = total > EDGE_BUDGET
        if not self.limited:
            return visible
        chosen = {}
        for k, indices in visible.items():
            # More lines than about one per DENSE_PIXELS of the band only paint it solid.
            quota = min(EDGE_BUDGET * len(indices) / total, self._band_pixels(k, area, scale) / DENSE_PIXELS)
            quota = max(1, int(quota))
            if len(indices) > quota:
                strength = np.abs(self._weights[k][indices])
                indices = indices[np.argpartition(-strength, quota - 1)[:quota]]
            chosen[k] = indices
        return chosen

    def _band_pixels(self, k: int, area: Rect, scale: float) -> float:
        """Return roughly how many screen pixels of layer k's band are in view."""
        layout = self._layout
        start, ys = layout.source(k)
        left, right = max(start, area.left), min(layout.xs[k], area.right)
        top = max(min(ys[0], layout.ys[k][0]), area.top)
        bottom = min(max(ys[-1], layout.ys[k][-1]), area.bottom)
        return max(right - left, 0.0) * scale * max((bottom - top) * scale, 1.0)

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        scale = painter.worldTransform().m11()
        area = to_rect(viewport_rect(widget, option.exposedRect))
        chosen = self._chosen(area, scale)
        for k in sorted(self._highlight):
            if k in self._weights:
                self._paint_backdrop(painter, k)
        if self.limited:
            for k in chosen:
                self._paint_band(painter, k)
        self.shown_edges = sum(len(v) for v in chosen.values())
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, self.shown_edges <= ANTIALIAS_UP_TO)
        for k, indices in chosen.items():
            self._paint_layer(painter, k, indices)

    def _paint_backdrop(self, painter: QPainter, k: int) -> None:
        """Tint the strip between columns k−1 and k: the weights the current stage uses."""
        layout = self._layout
        pad = layout.radius[k] + 18
        left, ys = layout.source(k)
        right = layout.xs[k]
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(with_alpha(self._colors.accent, 40 if self._colors.dark else 38))
        top0, bottom0 = ys[0] - pad, ys[-1] + pad
        top1, bottom1 = layout.ys[k][0] - pad, layout.ys[k][-1] + pad
        if abs(top0 - top1) < 1 and abs(bottom0 - bottom1) < 1:
            painter.drawRoundedRect(QRectF(left, top0, right - left, bottom0 - top0), 18, 18)
        else:  # columns of different heights: follow the fan
            corners = [(left, top0), (right, top1), (right, bottom1), (left, bottom0)]
            painter.drawPolygon(QPolygonF([QPointF(x, y) for x, y in corners]))

    def _paint_band(self, painter: QPainter, k: int) -> None:
        layout = self._layout
        x0, y0 = layout.source(k)
        x1, y1 = layout.xs[k], layout.ys[k]
        band = QPolygonF([QPointF(x0, y0[0]), QPointF(x1, y1[0]), QPointF(x1, y1[-1]), QPointF(x0, y0[-1])])
        positive = float(np.mean(self._weights[k] >= 0)) if self._weights[k].size else 0.5
        tint = blend(self._colors.negative, self._colors.positive, positive)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QBrush(with_alpha(tint, 40)))
        painter.drawPolygon(band)

    def _paint_layer(self, painter: QPainter, k: int, indices: np.ndarray) -> None:
        if len(indices) == 0:
            return
        scale = painter.worldTransform().m11()
        values = self._weights[k][indices]
        # Weak before strong, so the strongest weights end up on top; each strength group draws both
        # signs, so neither colour buries the other in a dense fan.
        order = np.argsort(np.abs(values), kind="stable")
        indices, values = indices[order], values[order]
        buckets = self._buckets(values)
        x1, y1, x2, y2 = (array[indices].tolist() for array in self._layout.segments(k))
        groups = np.array_split(np.arange(len(indices)), min(STRENGTH_GROUPS, len(indices)))
        pens = {}
        for group in groups:
            for sign in (True, False):
                for bucket in np.unique(buckets[group]):
                    members = group[(buckets[group] == bucket) & ((values[group] >= 0) == sign)]
                    if len(members) == 0:
                        continue
                    key = (sign, int(bucket))
                    if key not in pens:
                        pens[key] = QPen(self._colour(k, sign), zoomed_width(WIDTHS[int(bucket)], scale))
                        pens[key].setCosmetic(True)
                        pens[key].setCapStyle(Qt.PenCapStyle.FlatCap)
                    painter.setPen(pens[key])
                    painter.drawLines([QLineF(x1[m], y1[m], x2[m], y2[m]) for m in members.tolist()])
