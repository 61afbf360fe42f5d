"""Zoom for the network graph: fit to the window (laying a small network out afresh for the view's
proportions, see label_fit.py), zoom around the cursor, and the headings' room at each zoom.

GraphZoom is owned by NetworkGraphView. It keeps the zoom's own state, whether the user has zoomed
(then resizing the window no longer fits) and the layout shape chosen for the view, and sees the view
only through its public methods: the document, the layout, the headings, rebuild and scale_changed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF
from PySide6.QtGui import QTransform

from explorer.views.graph.label_fit import (
    ALWAYS_UP_TO,
    SHRINK_UP_TO,
    Room,
    View,
    Widest,
    choose_shape,
    heading_rooms,
    label_shares,
    widest_labels,
)
from explorer.views.graph.layout import Shape
from explorer.views.graph.overlay import HeadingItem
from explorer.views.graph.text import Facts, edge_label

if TYPE_CHECKING:
    from explorer.views.graph.view import NetworkGraphView

MAX_FIT_SCALE = 2.2  # a 1-1 network should not fill a projector with one giant circle
MAX_SCALE = 60.0
FIT_MARGIN = 14.0  # pixels around the graph when fitted
NOTE_PIXELS = 26.0  # the hint in the bottom corner


class GraphZoom:
    """Fitting and zooming for a NetworkGraphView.

    Attributes:
        user_zoomed  True once the user has zoomed: the view then keeps its zoom when resized
        shape        the layout shape the view is built with (chosen for the view's size at fit)
    """

    def __init__(self, view: NetworkGraphView) -> None:
        self._view = view
        self.user_zoomed = False
        self.shape = Shape()

    # --- the layout for the view -------------------------------------------------------
    def choose_shape(self) -> Shape:
        """Return the layout that keeps the text largest in the view at its current size."""
        view = self._view
        sizes = tuple(view.document.network.sizes)
        edges = sum(a * b for a, b in zip(sizes, sizes[1:]))
        biases = view.biases()
        stages = self._label_stages(edges)

        def label_fit(shape: Shape, scale: float) -> tuple[float, float]:
            return label_shares(sizes, shape, biases, scale, stages)

        share = label_fit if edges <= ALWAYS_UP_TO else None
        headings = view.column_headings()

        def reach(k: int, scale: float, room: Room) -> tuple[float, float]:
            return headings[k].extents(scale, *room)

        fitted = View(
            view.viewport().width(),
            view.viewport().height(),
            self._heading_pixels,
            reach,
            FIT_MARGIN,
            MAX_FIT_SCALE,
            NOTE_PIXELS if share else 0.0,
        )
        return choose_shape(list(sizes), fitted, share, every_label=edges <= SHRINK_UP_TO)

    def _label_stages(self, edges: int) -> tuple[Widest, ...]:
        """Return the widest labels of the first stage and of the last, the shortest and the longest:
        a layout that holds both holds every stage's (small networks only)."""
        if edges > SHRINK_UP_TO:
            return ()
        document = self._view.document
        network = document.network
        sizes = network.sizes
        every = frozenset((quantity, k) for quantity in ("grad", "update") for k in range(1, len(sizes)))
        stages = []
        for phase, revealed in (("forward", frozenset()), ("update", every)):
            facts = Facts(network, document.trace, revealed, document.learning_rate)
            labels = [
                edge_label(facts, k, i, j)
                for k in range(1, len(sizes))
                for i in range(sizes[k])
                for j in range(sizes[k - 1])
            ]
            stages.append(widest_labels(labels, phase, edges))
        return tuple(stages)

    # --- zoom --------------------------------------------------------------------------
    def scale(self) -> float:
        """Return the current zoom: pixels per scene unit."""
        return self._view.transform().m11()

    def _heading_pixels(self, scale: float) -> float:
        lines = max((len(h.lines()) for h in self._view.column_headings()), default=2)
        return HeadingItem.height_for(max(lines, 3), self._view.font(), scale)

    def fit_to_window(self) -> None:
        """Zoom and centre so the whole network and its headings fit; keep fitting on resize.

        A small network is first laid out afresh for the view's proportions (see label_fit.py).
        """
        view = self._view
        self.user_zoomed = False
        shape = self.choose_shape()
        if shape != view.graph_layout().shape:
            self.shape = shape
            view.rebuild(fit=False)
        layout = view.graph_layout()
        box = layout.content_rect()
        width, height = view.viewport().width(), view.viewport().height()
        scale, left, right, below = 1.0, 0.0, 0.0, 0.0
        for attempt in range(5):  # the headings grow with the zoom, which depends on their size
            head = self._heading_pixels(scale)
            # Pixels by which the headings stick out beyond the graph on either side.
            rooms = zip(view.all_headings(), self.heading_rooms(scale))
            reach = [(*h.extents(scale, *room), h.pos().x()) for h, room in rooms]
            left = max([0.0] + [out - (x - box.left) * scale for out, _, x in reach])
            right = max([0.0] + [out - (box.right - x) * scale for _, out, x in reach])
            across = (width - 2 * FIT_MARGIN - left - right) / box.width
            scale = min(across, (height - head - below - 2 * FIT_MARGIN) / box.height)
            scale = min(max(scale, 1e-4), MAX_FIT_SCALE)
            if attempt == 2:
                view.setTransform(QTransform.fromScale(scale, scale))
                # Keep the corner note (what this zoom leaves out) off the graph.
                below = NOTE_PIXELS if view.view_note() else 0.0
                if not below:
                    break
        centre_x = (box.left + box.right) / 2 + (right - left) / 2 / scale
        view.setTransform(QTransform.fromScale(scale, scale))
        view.centerOn(centre_x, (box.top + box.bottom) / 2 - (head - below) / 2 / scale)
        view.scale_changed()

    def heading_rooms(self, scale: float) -> list[Room]:
        """Return the room in pixels of each heading of the view's all_headings at zoom `scale` (see
        label_fit.heading_rooms)."""
        columns, ghosts = heading_rooms(self._view.graph_layout(), scale)
        return columns + ghosts

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom by `factor` keeping the scene point under `anchor` (viewport pixels) still."""
        view = self._view
        viewport = view.viewport()
        if anchor is None:
            anchor = QPointF(viewport.rect().center())
        box = view.graph_layout().content_rect()
        smallest = min(viewport.width() / box.width, viewport.height() / box.height) / 20
        scale = min(max(self.scale() * factor, smallest), MAX_SCALE)
        before = view.mapToScene(anchor.toPoint())
        centre = view.mapToScene(viewport.rect().center())
        view.setTransform(QTransform.fromScale(scale, scale))
        view.centerOn(centre)
        after = view.mapToScene(anchor.toPoint())
        view.centerOn(view.mapToScene(viewport.rect().center()) + (before - after))
        self.user_zoomed = True
        view.scale_changed()
