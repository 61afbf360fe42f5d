"""What the mouse, wheel and keys do on the network graph, and the in-place editor they open.

A mixin for NetworkGraphView (kept apart so the view itself stays about drawing): click selects,
dragging empty space pans, double-click edits, Ctrl+drag and Ctrl/Alt+wheel nudge, the wheel zooms.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QTransform
from PySide6.QtWidgets import QApplication, QGraphicsItem, QToolTip

from explorer.document.selection import NOTHING, Selection
from explorer.views.graph.editor import InlineEditor
from explorer.views.graph.gestures import DragNudge, current_value, nudgeable, set_value
from explorer.views.graph.text import quantity_name, weight_name


class GraphInteraction:
    """Mouse, wheel, key and tooltip handling for NetworkGraphView."""

    # --- editing -----------------------------------------------------------------------
    def open_editor(self, target: Selection) -> bool:
        """Open the in-place editor on an edge's weight or a neuron's bias; False if it has none."""
        self._close_editor()
        document = self._document
        if target.kind == "neuron" and not nudgeable(document, target):
            where = "an input" if target.layer == 0 else f"layer {target.layer}"
            self.status_message.emit(f"{where.capitalize()} has no bias to edit.")
            return False
        if target.kind == "edge":
            title = weight_name(target.layer, target.i, target.j)
            anchor = self.edge_position(target.layer, target.i, target.j)
        elif target.kind == "neuron":
            title = quantity_name("b", target.layer, target.i)
            anchor = self.neuron_position(target.layer, target.i)
        else:
            return False
        editor = InlineEditor(title, current_value(document, target))
        editor.accepted.connect(lambda value: self._apply_edit(target, value))
        editor.cancelled.connect(self._close_editor)
        editor.refused.connect(self.status_message)
        proxy = self.scene().addWidget(editor)
        proxy.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        proxy.setZValue(10)
        editor.adjustSize()
        proxy.setPos(anchor)
        proxy.setTransform(QTransform.fromTranslate(-editor.width() / 2, -editor.height() / 2))
        self._editor, self._editor_proxy = editor, proxy
        self.setFocus()
        self.scene().setFocusItem(proxy)
        editor.entry.setFocus(Qt.FocusReason.OtherFocusReason)
        editor.entry.selectAll()
        return True

    def _apply_edit(self, target: Selection, value: float) -> None:
        self._close_editor()
        set_value(self._document, target, value)

    def _close_editor(self) -> None:
        proxy, self._editor_proxy, self._editor = self._editor_proxy, None, None
        if proxy is not None:
            proxy.hide()
            proxy.deleteLater()  # not at once: we may be inside the editor's own key handler
            self.setFocus()

    # --- mouse, wheel, keys ------------------------------------------------------------
    def _on_editor(self, pos: QPoint) -> bool:
        return self._editor_proxy is not None and self.itemAt(pos) is self._editor_proxy

    def mousePressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self._on_editor(event.position().toPoint()):
            super().mousePressEvent(event)
            return
        self._close_editor()
        if event.button() != Qt.MouseButton.LeftButton:
            super().mousePressEvent(event)
            return
        self._pressed = True
        point = self.mapToScene(event.position().toPoint())
        hit = self.selection_at(point)
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            target = hit if nudgeable(self._document, hit) else self._document.selection
            if nudgeable(self._document, target):
                self._document.select(target)
                self._drag = DragNudge(self._document, target, event.position().y())
                self.viewport().setCursor(Qt.CursorShape.SizeVerCursor)
                return
        if not hit.is_empty:
            self._document.select(hit)
            return
        self._pan_from = event.position().toPoint()
        self._panning = False

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self._drag is not None:
            self._drag.move(event.position().y(), bool(event.modifiers() & Qt.KeyboardModifier.ShiftModifier))
            return
        if self._pan_from is not None:
            pos = event.position().toPoint()
            moved = pos - self._pan_from
            if not self._panning and moved.manhattanLength() >= QApplication.startDragDistance():
                self._panning = True
                self.viewport().setCursor(Qt.ClosedHandCursor)
            if self._panning:
                self.horizontalScrollBar().setValue(self.horizontalScrollBar().value() - moved.x())
                self.verticalScrollBar().setValue(self.verticalScrollBar().value() - moved.y())
                self._pan_from = pos
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self._pressed:
            # Our press, our release: say so, or Qt reports the release as unhandled.
            self._pressed = False
            event.accept()
        if self._drag is not None:
            self._drag = None
            self.viewport().unsetCursor()
            return
        if self._pan_from is not None:
            if not self._panning:
                self._document.select(NOTHING)
            self._pan_from = None
            self._panning = False
            self.viewport().unsetCursor()
            return
        super().mouseReleaseEvent(event)

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self._on_editor(event.position().toPoint()):
            super().mouseDoubleClickEvent(event)
            return
        hit = self.selection_at(self.mapToScene(event.position().toPoint()))
        if hit.is_empty:
            return
        self._document.select(hit)
        self.open_editor(hit)

    def wheelEvent(self, event) -> None:  # noqa: N802 - Qt's name
        delta = event.angleDelta().y() or event.angleDelta().x()  # Alt turns the wheel sideways
        if not delta:
            return
        modifiers = event.modifiers()
        if modifiers & (Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier):
            hit = self.selection_at(self.mapToScene(event.position().toPoint()))
            if nudgeable(self._document, hit):
                self._document.select(hit)
                self._wheel.nudge(
                    self._document, hit, delta / 120.0, bool(modifiers & Qt.KeyboardModifier.ShiftModifier)
                )
                return
        self.zoom_by(1.0015**delta, event.position())

    def keyPressEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if (
            event.key() == Qt.Key.Key_Escape
            and self._editor is None
            and not self._document.selection.is_empty
        ):
            self._document.select(NOTHING)
            return
        super().keyPressEvent(event)

    def viewportEvent(self, event) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.ToolTip:
            text = self.tooltip_at(self.mapToScene(event.pos()))
            if text:
                QToolTip.showText(event.globalPos(), text, self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)
