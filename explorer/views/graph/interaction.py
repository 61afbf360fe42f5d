"""What the mouse, wheel and keys do on the network graph, and the in-place editor they open.

GraphInteraction is owned by NetworkGraphView, which hands it its events (the way orange-canvas-core's
scene hands them to its current UserInteraction): click selects, dragging empty space pans,
double-click edits, Ctrl+drag and Ctrl/Alt+wheel nudge, the wheel zooms. Each handler returns True
when it took the event; otherwise the view passes it on to QGraphicsView. The interaction keeps its
own state (the open editor, a drag, a pan, the wheel's nudge burst) and sees the view only through
its public methods.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QHelpEvent, QKeyEvent, QMouseEvent, QTransform, QWheelEvent
from PySide6.QtWidgets import QApplication, QGraphicsItem, QGraphicsProxyWidget, QToolTip

from explorer.document.selection import NOTHING, Selection
from explorer.views.graph.editor import InlineEditor
from explorer.views.graph.gestures import DragNudge, WheelNudger, current_value, nudgeable, set_value
from explorer.views.graph.text import quantity_name, weight_name

if TYPE_CHECKING:
    from explorer.views.graph.view import NetworkGraphView

# Keys QGraphicsView scrolls with; stepping is theirs (see stage_bar.py), never scrolling.
SCROLL_KEYS = frozenset(
    (
        Qt.Key.Key_PageUp,
        Qt.Key.Key_PageDown,
        Qt.Key.Key_Home,
        Qt.Key.Key_End,
        Qt.Key.Key_Left,
        Qt.Key.Key_Right,
        Qt.Key.Key_Up,
        Qt.Key.Key_Down,
        Qt.Key.Key_Space,
    )
)


class GraphInteraction:
    """Mouse, wheel, key and tooltip handling for a NetworkGraphView, and its in-place editor."""

    def __init__(self, view: NetworkGraphView) -> None:
        self._view = view
        self._editor: InlineEditor | None = None
        self._editor_proxy: QGraphicsProxyWidget | None = None
        self._drag: DragNudge | None = None
        self._pan_from: QPoint | None = None
        self._panning = False
        self._pressed = False
        self._wheel = WheelNudger()

    # --- editing -----------------------------------------------------------------------
    @property
    def editor(self) -> InlineEditor | None:
        """Return the open in-place editor, if any."""
        return self._editor

    def open_editor(self, target: Selection) -> bool:
        """Open the in-place editor on an edge's weight or a neuron's bias; False if it has none."""
        self.close_editor()
        view = self._view
        document = view.document
        if target.kind == "neuron" and not nudgeable(document, target):
            where = "an input" if target.layer == 0 else f"layer {target.layer}"
            view.status_message.emit(f"{where.capitalize()} has no bias to edit.")
            return False
        if target.kind == "edge":
            title = weight_name(target.layer, target.i, target.j)
            anchor = view.edge_position(target.layer, target.i, target.j)
        elif target.kind == "neuron":
            title = quantity_name("b", target.layer, target.i)
            anchor = view.neuron_position(target.layer, target.i)
        else:
            return False
        editor = InlineEditor(title, current_value(document, target))
        editor.accepted.connect(lambda value: self._apply_edit(target, value))
        editor.cancelled.connect(self.close_editor)
        editor.refused.connect(view.status_message)
        proxy = view.scene().addWidget(editor)
        proxy.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        proxy.setZValue(10)
        editor.adjustSize()
        proxy.setPos(anchor)
        proxy.setTransform(QTransform.fromTranslate(-editor.width() / 2, -editor.height() / 2))
        self._editor, self._editor_proxy = editor, proxy
        view.setFocus()
        view.scene().setFocusItem(proxy)
        editor.entry.setFocus(Qt.FocusReason.OtherFocusReason)
        editor.entry.selectAll()
        return True

    def _apply_edit(self, target: Selection, value: float) -> None:
        self.close_editor()
        set_value(self._view.document, target, value)

    def close_editor(self) -> None:
        """Close the in-place editor, if open, without applying what it holds."""
        proxy, self._editor_proxy, self._editor = self._editor_proxy, None, None
        if proxy is not None:
            proxy.hide()
            proxy.deleteLater()  # not at once: we may be inside the editor's own key handler
            self._view.setFocus()

    def cancel(self) -> None:
        """Close the editor and forget a drag: the graph they point into is about to be rebuilt."""
        self.close_editor()
        self._drag = None

    # --- mouse, wheel, keys ------------------------------------------------------------
    def _on_editor(self, pos: QPoint) -> bool:
        return self._editor_proxy is not None and self._view.itemAt(pos) is self._editor_proxy

    def mouse_press(self, event: QMouseEvent) -> bool:
        """Select, start a nudge (Ctrl) or a pan; False leaves the press to QGraphicsView."""
        view = self._view
        if self._on_editor(event.position().toPoint()):
            return False
        self.close_editor()
        if event.button() != Qt.MouseButton.LeftButton:
            return False
        self._pressed = True
        document = view.document
        point = view.mapToScene(event.position().toPoint())
        hit = view.selection_at(point)
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            target = hit if nudgeable(document, hit) else document.selection
            if nudgeable(document, target):
                document.select(target)
                self._drag = DragNudge(document, target, event.position().y())
                view.viewport().setCursor(Qt.CursorShape.SizeVerCursor)
                return True
        if not hit.is_empty:
            document.select(hit)
            return True
        self._pan_from = event.position().toPoint()
        self._panning = False
        return True

    def mouse_move(self, event: QMouseEvent) -> bool:
        """Nudge or pan; False leaves the move to QGraphicsView."""
        view = self._view
        if self._drag is not None:
            self._drag.move(event.position().y(), bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
            return True
        if self._pan_from is not None:
            pos = event.position().toPoint()
            moved = pos - self._pan_from
            if not self._panning and moved.manhattanLength() >= QApplication.startDragDistance():
                self._panning = True
                view.viewport().setCursor(Qt.CursorShape.ClosedHandCursor)
            if self._panning:
                view.horizontalScrollBar().setValue(view.horizontalScrollBar().value() - moved.x())
                view.verticalScrollBar().setValue(view.verticalScrollBar().value() - moved.y())
                self._pan_from = pos
            return True
        return False

    def mouse_release(self, event: QMouseEvent) -> bool:
        """End a nudge or a pan (a click on empty space selects nothing); False leaves the release to
        QGraphicsView."""
        view = self._view
        if self._pressed:
            # Our press, our release: say so, or Qt reports the release as unhandled.
            self._pressed = False
            event.accept()
        if self._drag is not None:
            self._drag = None
            view.viewport().unsetCursor()
            return True
        if self._pan_from is not None:
            if not self._panning:
                view.document.select(NOTHING)
            self._pan_from = None
            self._panning = False
            view.viewport().unsetCursor()
            return True
        return False

    def mouse_double_click(self, event: QMouseEvent) -> bool:
        """Open the editor on what was double-clicked; False leaves the event to QGraphicsView (the
        editor's own)."""
        view = self._view
        if self._on_editor(event.position().toPoint()):
            return False
        hit = view.selection_at(view.mapToScene(event.position().toPoint()))
        if hit.is_empty:
            return True
        view.document.select(hit)
        self.open_editor(hit)
        return True

    def wheel(self, event: QWheelEvent) -> bool:
        """Nudge (Ctrl or Alt) or zoom around the cursor; the wheel is always taken."""
        view = self._view
        delta = event.angleDelta().y() or event.angleDelta().x()  # Alt turns the wheel sideways
        if not delta:
            return True
        modifiers = event.modifiers()
        if modifiers & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            document = view.document
            hit = view.selection_at(view.mapToScene(event.position().toPoint()))
            if nudgeable(document, hit):
                document.select(hit)
                self._wheel.nudge(
                    document, hit, delta / 120.0, bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
                )
                return True
        view.zoom_by(1.0015**delta, event.position())
        return True

    def key_press(self, event: QKeyEvent) -> bool:
        """Escape clears the selection (unless the editor is open); the keys that would scroll the graph
        out of view are taken and do nothing; False leaves other keys to QGraphicsView."""
        document = self._view.document
        if self._editor is not None:
            return False
        if event.key() == Qt.Key.Key_Escape and not document.selection.is_empty:
            document.select(NOTHING)
            return True
        if event.key() in SCROLL_KEYS:
            # Step / Step back are these keys' shortcuts; at the first or last stage they are off, and
            # QGraphicsView would scroll the whole network away instead.
            event.accept()
            return True
        return False

    def viewport_event(self, event: QEvent) -> bool:
        """Show the tooltip of what is under the cursor; False for every other event."""
        if event.type() != QEvent.Type.ToolTip or not isinstance(event, QHelpEvent):
            return False
        view = self._view
        text = view.tooltip_at(view.mapToScene(event.pos()))
        if text:
            QToolTip.showText(event.globalPos(), text, view.viewport())
        else:
            QToolTip.hideText()
            event.ignore()
        return True
