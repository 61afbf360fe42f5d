"""The network graph in the centre of the window: layers as columns, weights as edges, numbers on it.

Edges, neurons and edge labels are three batched items painted from arrays (see edges.py, neurons.py
and labels.py); only headings and the selection are items of their own, so a 784-128-10 network costs
a dozen items. The view draws; two objects it owns do the rest: `interaction` (a GraphInteraction, see
interaction.py), to which it hands its mouse, wheel, key and tooltip events, and `zoom` (a GraphZoom,
see zoom.py), which fits the graph to the window and zooms it. The view never edits the network:
clicks select through document.select, edits go through commands.edit_weight / edit_bias, and the
document's signals bring the numbers back here. Every slot checks that the items were built for
the document's network as it is now, and rebuilds them first if not, so no slot indexes the items of
a network that is gone, whichever order the signals of a change arrive in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt, Signal, SignalInstance
from PySide6.QtGui import QFont, QKeyEvent, QMouseEvent, QPainter, QResizeEvent, QWheelEvent
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QWidget

from explorer.document.document import Document
from explorer.document.selection import NOTHING, Selection
from explorer.views.graph.banner import paint_banner
from explorer.views.graph.colors import GraphColors
from explorer.views.graph.edges import EdgeBatchItem, to_rect
from explorer.views.graph.editor import InlineEditor
from explorer.views.graph.interaction import GraphInteraction
from explorer.views.graph.label_fit import LABEL_PX, label_phase
from explorer.views.graph.labels import EdgeLabelItem
from explorer.views.graph.layout import GraphLayout
from explorer.views.graph.neurons import NeuronBatchItem
from explorer.views.graph.overlay import HeadingItem, SelectedEdgeItem, SelectedNeuronItem
from explorer.views.graph.text import (
    Facts,
    NeuronText,
    edge_label,
    edge_tooltip,
    ghost_heading_variants,
    heading_variants,
    neuron_text,
    neuron_tooltip,
)
from explorer.views.graph.zoom import GraphZoom

HIT_PIXELS = 5.0  # how close to an edge a click must be


class Recolourable(Protocol):
    """An item of the graph that follows the palette."""

    def set_colors(self, colors: GraphColors) -> None: ...


class NetworkGraphView(QGraphicsView):
    """The network drawn as a graph, showing the numbers the current stage has revealed.

    Signals:
        status_message(str)  a one-line message for the status bar (e.g. a refused entry)

    Attributes:
        interaction  the GraphInteraction its mouse, wheel, key and tooltip events go to first
        zoom         the GraphZoom that fits and zooms it
    """

    status_message = Signal(str)

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        scene = QGraphicsScene(self)
        scene.setItemIndexMethod(QGraphicsScene.ItemIndexMethod.NoIndex)  # a dozen items with large bounds
        self.setScene(scene)
        self.setRenderHints(QPainter.RenderHint.Antialiasing | QPainter.RenderHint.TextAntialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.NoAnchor)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._colors = GraphColors.from_palette(self.palette())
        self.setBackgroundBrush(self._colors.background)
        self._document: Document  # set by set_document below
        self._connections: list[tuple[SignalInstance, Callable[..., None]]] = []
        self.interaction = GraphInteraction(self)
        self.zoom = GraphZoom(self)
        self._headings: list[HeadingItem] = []
        self._ghost_headings: list[HeadingItem] = []
        self._built_for: tuple[object, ...] = ()  # the _structure the items were built for
        self._text_factor = 1.0
        self._banner = ""
        self.set_document(document)

    # --- document ----------------------------------------------------------------------
    @property
    def document(self) -> Document:
        """Return the document shown."""
        return self._document

    def set_document(self, document: Document) -> None:
        """Show another open network."""
        for signal, slot in self._connections:
            try:
                signal.disconnect(slot)
            except (RuntimeError, TypeError):
                pass  # the old document is already gone
        self._document = document
        self._connections = [
            (document.structure_changed, self.rebuild),
            (document.weights_changed, self._on_weights_changed),
            (document.trace_changed, self._on_numbers_changed),
            (document.stage_changed, self._on_stage_changed),
            (document.selection_changed, self._on_selection_changed),
        ]
        for signal, slot in self._connections:
            signal.connect(slot)
        self.zoom.user_zoomed = False
        self.rebuild()

    def _refresh_facts(self) -> None:
        document = self._document
        fresh = frozenset(document.stage.reveals)
        rate = document.learning_rate
        self._facts = Facts(document.network, document.trace, document.revealed, rate, fresh)

    def rebuild(self, fit: bool = True) -> None:
        """Build the graph's items afresh for the document's network; with `fit` (and unless the user
        has zoomed), choose its layout for the view's size and fit it to the window."""
        self.interaction.cancel()
        scene = self.scene()
        scene.clear()
        self._built_for = self._structure()
        self._refresh_facts()
        network = self._document.network
        # Headings first: how much room they need is part of choosing the layout.
        self._headings, self._ghost_headings = [], []
        for k in range(len(network.sizes)):
            heading = HeadingItem([[]], self._colors, self.font())
            heading.set_variants(heading_variants(self._facts, k), heading_variants(self._facts, k, True))
            self._headings.append(heading)
        if fit and not self.zoom.user_zoomed:  # (fit_to_window has chosen the shape it rebuilds for)
            self.zoom.shape = self.zoom.choose_shape()
        self._layout = layout = GraphLayout(network.sizes, self.zoom.shape, self.biases())
        weights = [None] + [layer.weights for layer in network.layers]
        self._edges = EdgeBatchItem(layout, self._colors, weights)
        largest = max(LABEL_PX, round(LABEL_PX * self._text_factor))
        self._labels = EdgeLabelItem(layout, self._colors, self._label_for, self._weight_for, largest)
        self._labels.setZValue(1)
        self._neurons = NeuronBatchItem(layout, self._colors, self._text_for)
        self._neurons.setZValue(2)
        self._selected_edge = SelectedEdgeItem(self._colors)
        self._selected_neuron = SelectedNeuronItem(self._colors)
        for item in (self._edges, self._labels, self._neurons, self._selected_edge, self._selected_neuron):
            scene.addItem(item)
        for k, heading in enumerate(self._headings):
            heading.setPos(*layout.heading_anchor(k))
        for ghost in layout.ghosts:
            variants = ghost_heading_variants(self._facts, ghost.column)
            heading = HeadingItem(variants, self._colors, self.font(), muted=True)
            heading.setPos(ghost.x, layout.row_top(ghost.row))
            self._ghost_headings.append(heading)
        for heading in self.all_headings():
            heading.setZValue(4)
            scene.addItem(heading)
        box = layout.content_rect()
        pad = max(box.width, box.height, 500.0) * 20
        scene.setSceneRect(QRectF(box.left - pad, box.top - pad, box.width + 2 * pad, box.height + 2 * pad))
        self._on_stage_changed()
        self._on_selection_changed()
        if self.zoom.user_zoomed or not fit:
            self.scale_changed()
        else:
            self.zoom.fit_to_window()

    def _structure(self) -> tuple[object, ...]:
        """Return what the items are laid out by: the layer sizes and which layers have a bias."""
        return (tuple(self._document.network.sizes), self.biases())

    def _rebuilt_if_stale(self) -> bool:
        """Rebuild the items if they were built for another network; return True if it did."""
        if self._built_for == self._structure():
            return False
        self.rebuild()
        return True

    def text_factor(self) -> float:
        """Return how much larger than usual the edge labels are written where there is room."""
        return self._text_factor

    def set_text_factor(self, factor: float) -> None:
        """Write the edge labels `factor` times their usual size where there is room, and refit."""
        if factor != self._text_factor:
            self._text_factor = factor
            self.rebuild(fit=not self.zoom.user_zoomed)

    def banner(self) -> str:
        """Return the message shown at the top of the graph ("" if none)."""
        return self._banner

    def set_banner(self, text: str) -> None:
        """Show `text` at the top of the graph until the stage changes ("" hides it)."""
        if text != self._banner:
            self._banner = text
            self.viewport().update()

    def biases(self) -> tuple[bool, ...]:
        """Return for each weight layer whether it has a bias (a bias label takes room over its neurons)."""
        return tuple(layer.bias is not None for layer in self._document.network.layers)

    def _text_for(self, k: int, i: int) -> NeuronText:
        return neuron_text(self._facts, k, i)

    def _label_for(self, k: int, i: int, j: int) -> list[str]:
        return edge_label(self._facts, k, i, j)

    def _weight_for(self, k: int, i: int, j: int) -> float:
        return float(self._facts.network.layer(k).weights[i, j])

    # --- document signals --------------------------------------------------------------
    def _on_weights_changed(self, layer: int) -> None:
        if self._rebuilt_if_stale():
            return
        self._refresh_facts()
        network = self._document.network
        weights = [None] + [layer_.weights for layer_ in network.layers]
        self._edges.set_weights(weights, layer if 0 < layer <= network.num_layers else 0)
        self._on_numbers_changed()
        self._on_selection_changed()

    def _on_numbers_changed(self) -> None:
        if self._rebuilt_if_stale():
            return
        self._refresh_facts()
        for k, heading in enumerate(self._headings):
            heading.set_variants(heading_variants(self._facts, k), heading_variants(self._facts, k, True))
        self._neurons.update()
        self._labels.set_phase(label_phase(self._facts.revealed))
        self._labels.update()

    def _on_stage_changed(self, _index: int = 0) -> None:
        self.set_banner("")
        if self._rebuilt_if_stale():
            return
        self._refresh_facts()
        stage = self._document.stage
        self._neurons.set_highlight(frozenset(stage.neurons))
        self._edges.set_highlight(frozenset(stage.edge_layers))
        self._on_numbers_changed()

    def _on_selection_changed(self) -> None:
        if self._rebuilt_if_stale():
            return
        selection = self._document.selection
        self._selected_edge.hide()
        self._selected_neuron.hide()
        self._labels.set_selected(None)
        if selection.kind == "edge":
            k, i, j = selection.layer, selection.i, selection.j
            index = i * self._layout.sizes[k - 1] + j
            start, end = (QPointF(*point) for point in self._layout.edge_ends(k, i, j))
            colour = self._edges.colour_of(k, index)
            self._selected_edge.set_edge(start, end, self._edges.width_of(k, index), colour)
            self._labels.set_selected((k, i, j))
        elif selection.kind == "neuron":
            radius = float(self._layout.radius[selection.layer])
            self._selected_neuron.set_neuron(self.neuron_position(selection.layer, selection.i), radius)

    # --- public queries ----------------------------------------------------------------
    def edge_position(self, k: int, i: int, j: int) -> QPointF:
        """Return the scene point on edge w_ij^(k) where its label sits (clicking there selects it)."""
        return QPointF(*self._labels.anchor(k, i, j))

    def neuron_position(self, k: int, i: int) -> QPointF:
        """Return the scene centre of neuron i of layer k."""
        return QPointF(*self._layout.neuron(k, i))

    def neuron_text(self, k: int, i: int) -> str:
        """Return the text drawn in and around neuron i of layer k at the current zoom, one item a line."""
        return self._neurons.drawn_text(k, i, self._scale())

    def edge_label_text(self, k: int, i: int, j: int) -> str:
        """Return the label drawn on edge w_ij^(k) at the current zoom ("" when labels are hidden)."""
        if (k, i, j) in self.shown_edge_labels():
            return "\n".join(self._labels.lines(k, i, j, self._scale()))
        return ""

    def shown_edge_labels(self) -> list[tuple[int, int, int]]:
        """Return the edges (k, i, j) whose labels are drawn in the view right now."""
        return self._labels.shown(to_rect(self._visible_scene_rect()), self._scale())

    def edge_label_pixels(self) -> float:
        """Return the size of the edge labels' text on screen, in pixels, at the current zoom."""
        return self._labels.style(self._scale()).px * self._scale()

    def edge_label_rect(self, k: int, i: int, j: int) -> QRectF:
        """Return the scene rectangle of the label of w_ij^(k) (where it is, or would be, drawn)."""
        return self._labels.label_rect(k, i, j)

    def neuron_rects(self, k: int, i: int) -> list[QRectF]:
        """Return the scene rectangles neuron i of layer k paints on: its circle, bias and numbers."""
        return self._neurons.drawn_rects(k, i)

    def heading_rect(self, k: int) -> QRectF:
        """Return where the heading of column k is drawn, in viewport pixels."""
        heading = self._headings[k]
        return heading.boundingRect().translated(QPointF(self.mapFromScene(heading.pos())))

    def graph_layout(self) -> GraphLayout:
        """Return the positions the graph is drawn with (they depend on the view's size at fit)."""
        return self._layout

    def highlighted_neurons(self) -> set[tuple[int, int]]:
        """Return the (k, i) neurons lit by the current stage."""
        return set(self._neurons._highlight)

    def highlighted_edge_layers(self) -> set[int]:
        """Return the weight layers lit by the current stage."""
        return set(self._edges._highlight)

    def heading_text(self, k: int) -> str:
        """Return the heading of column k as drawn."""
        return "\n".join(self._headings[k].lines())

    def column_headings(self) -> list[HeadingItem]:
        """Return the heading of each column, in order."""
        return self._headings

    def all_headings(self) -> list[HeadingItem]:
        """Return the columns' headings, then those of the ghost columns (where a wrapped row goes on)."""
        return self._headings + self._ghost_headings

    def editor(self) -> InlineEditor | None:
        """Return the open in-place editor, if any."""
        return self.interaction.editor

    def selection_at(self, point: QPointF) -> Selection:
        """Return what a click at this scene point selects: a neuron (its circle, bias or numbers), else a
        label's or the nearest edge."""
        scale = self._scale()
        hit = self._layout.neuron_at(point.x(), point.y(), 3.0 / scale)
        if hit is None:
            # The numbers and the bias are the neuron's too: students point at them.
            hit = self._neurons.text_at(point.x(), point.y(), scale)
        if hit is not None:
            return Selection.neuron(*hit)
        area = to_rect(self._visible_scene_rect())
        label = self._labels.label_at(point.x(), point.y(), area, scale)
        if label is not None:
            return Selection.edge(*label)
        edge = self._layout.nearest_edge(point.x(), point.y(), HIT_PIXELS / scale)
        return Selection.edge(*edge) if edge is not None else NOTHING

    def tooltip_at(self, point: QPointF) -> str:
        """Return the tooltip HTML for the neuron or edge at this scene point ("" for empty space)."""
        hit = self.selection_at(point)
        if hit.kind == "neuron":
            return neuron_tooltip(self._facts, hit.layer, hit.i)
        if hit.kind == "edge":
            return edge_tooltip(self._facts, hit.layer, hit.i, hit.j)
        return ""

    # --- zoom --------------------------------------------------------------------------
    def fit_to_window(self) -> None:
        """Zoom and centre so the whole network and its headings fit; keep fitting on resize."""
        self.zoom.fit_to_window()

    def zoom_by(self, factor: float, anchor: QPointF | None = None) -> None:
        """Zoom by `factor` keeping the scene point under `anchor` (viewport pixels) still."""
        self.zoom.zoom_by(factor, anchor)

    def scale_changed(self) -> None:
        """Give the edge labels and the headings the current zoom (and the headings their room at it)."""
        scale = self._scale()
        self._labels.set_scale(scale)
        for heading, room in zip(self.all_headings(), self.zoom.heading_rooms(scale)):
            heading.set_scale(scale, *room)

    def _scale(self) -> float:
        return self.zoom.scale()

    def _visible_scene_rect(self) -> QRectF:
        return self.mapToScene(self.viewport().rect()).boundingRect()

    # --- events: mouse, wheel and keys go to the interaction first -----------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if not self.interaction.mouse_press(event):
            super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if not self.interaction.mouse_move(event):
            super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if not self.interaction.mouse_release(event):
            super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if not self.interaction.mouse_double_click(event):
            super().mouseDoubleClickEvent(event)

    def wheelEvent(self, event: QWheelEvent) -> None:  # noqa: N802 - Qt's name
        if not self.interaction.wheel(event):
            super().wheelEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if not self.interaction.key_press(event):
            super().keyPressEvent(event)

    def viewportEvent(self, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        return self.interaction.viewport_event(event) or super().viewportEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if not self.zoom.user_zoomed:
            self.zoom.fit_to_window()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._colors = GraphColors.from_palette(self.palette())
            self.setBackgroundBrush(self._colors.background)
            items: list[Recolourable] = [self._edges, self._labels, self._neurons]
            items += [self._selected_edge, self._selected_neuron, *self.all_headings()]
            for item in items:
                item.set_colors(self._colors)

    def view_note(self) -> str:
        """Return the hint shown in the corner: what the current zoom leaves out ("" if nothing)."""
        notes = []
        if self._edges.limited:
            total = self._layout.edge_count()
            notes.append(f"Showing the strongest {self._edges.shown_edges:,} of {total:,} weights")
        scale = self._scale()
        hidden = [k for k in range(len(self._layout.sizes)) if not self._neurons.text_visible(k, scale)]
        if any(not self._layout.compact[k] for k in hidden):
            notes.append("numbers hidden at this size")
        text = "; ".join(notes) + ("; zoom in (wheel) to see more" if notes else "")
        crowded = len(self._labels.left_out(scale)) if self._labels.visible(scale) else 0
        if crowded:
            # Zooming does not make room for these: the layout has none. The tooltip has the value.
            many = "s" if crowded > 1 else ""
            text += ("; " if text else "") + (
                f"{crowded} weight label{many} left out for room: zoom in (wheel) or hover an edge"
            )
        return text

    def drawForeground(self, painter: QPainter, rect: QRectF | QRect) -> None:  # noqa: N802 - Qt's name
        if self._banner:
            size = (self.viewport().width(), self.viewport().height())
            below = 30.0 if self.view_note() else 0.0
            colours = (self._colors.background, self._colors.text)
            paint_banner(painter, self._banner, self.font(), size, colours, below)
        note = self.view_note()
        if not note:
            return
        painter.save()
        painter.resetTransform()
        font = QFont(self.font())
        font.setPointSizeF(max(font.pointSizeF(), 10.0))
        painter.setFont(font)
        metrics = painter.fontMetrics()
        height = metrics.height() + 6
        box = QRectF(8, self.viewport().height() - height - 4, metrics.horizontalAdvance(note) + 12, height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._colors.label_fill)
        painter.drawRoundedRect(box, 4, 4)
        painter.setPen(self._colors.muted)
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, note)
        painter.restore()
