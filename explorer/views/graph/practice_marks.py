"""Rings on the graph around the numbers practice asks for: orange while open, red when wrong, green right.

A transparent widget over the graph's viewport, repainted with it, so it follows zoom and pan and
survives the graph rebuilding its scene. It takes no mouse events: clicks reach the graph.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPoint, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QMoveEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QWidget

from explorer.document.practice import Practice
from explorer.text.practice import OPEN, RIGHT, Entry
from explorer.views.fields import error_color, is_dark
from explorer.views.graph.view import NetworkGraphView
from explorer.views.panels.practice import right_color


def asked_color(dark: bool) -> QColor:
    """Return the colour of an entry still to be answered."""
    return QColor("#ffb74d") if dark else QColor("#e65100")


class PracticeMarks(QWidget):
    """Marks the asked neurons and weights on one graph view."""

    def __init__(self, graph: NetworkGraphView, practice: Practice) -> None:
        super().__init__(graph.viewport())
        self.setObjectName("practice_marks")
        self.graph = graph
        self.practice = practice
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WidgetAttribute.WA_NoSystemBackground)
        self.resize(graph.viewport().size())
        graph.viewport().installEventFilter(self)
        practice.changed.connect(self.update)
        practice.asked_changed.connect(self.update)
        self.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.graph.viewport() and event.type() == QEvent.Type.Resize:
            self.resize(self.graph.viewport().size())
        return False

    def moveEvent(self, event: QMoveEvent) -> None:  # noqa: N802 - Qt's name
        # A pan scrolls the viewport with QWidget.scroll, which moves its children too: stay put.
        super().moveEvent(event)
        if self.pos() != QPoint(0, 0):
            self.move(0, 0)
            self.update()

    def marks(self) -> list[tuple[Entry, QRectF]]:
        """Return each asked entry that sits on the graph with its ring, in viewport pixels."""
        found: list[tuple[Entry, QRectF]] = []
        if not self.practice.active:
            return found
        for entry in self.practice.entries:
            question = entry.question
            try:
                if question.neuron is not None:
                    rect = self.graph.neuron_rects(*question.neuron)[0]
                elif question.edge is not None:
                    rect = self.graph.edge_label_rect(*question.edge)
                else:
                    continue
            except (IndexError, KeyError, ValueError):
                continue  # the graph has not caught up with an edit yet
            top_left = QPointF(self.graph.mapFromScene(rect.topLeft()))
            bottom_right = QPointF(self.graph.mapFromScene(rect.bottomRight()))
            found.append((entry, QRectF(top_left, bottom_right).normalized().adjusted(-5, -5, 5, 5)))
        return found

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        marks = self.marks()
        if not marks:
            return
        palette = self.graph.palette()
        dark = is_dark(palette)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        font = QFont(self.font())
        font.setBold(True)
        painter.setFont(font)
        for entry, rect in marks:
            if entry.status == RIGHT:
                colour = right_color(palette)
            elif entry.status == OPEN and entry.wrong_tries:
                colour = error_color(palette)
            elif entry.status == OPEN:
                colour = asked_color(dark)
            else:
                colour = QColor("#90a4ae")
            pen = QPen(colour, 3)
            pen.setStyle(Qt.PenStyle.DashLine if entry.status == OPEN else Qt.PenStyle.SolidLine)
            painter.setPen(pen)
            painter.setBrush(Qt.BrushStyle.NoBrush)
            if entry.question.neuron is not None:
                painter.drawEllipse(rect)
            else:
                painter.drawRoundedRect(rect, 4, 4)
            tag = entry.question.label + (" ?" if entry.status == OPEN else "")
            width = painter.fontMetrics().horizontalAdvance(tag) + 8
            height = painter.fontMetrics().height() + 2
            box = QRectF(rect.center().x() - width / 2, rect.top() - height - 2, width, height)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(colour)
            painter.drawRoundedRect(box, 3, 3)
            painter.setPen(QColor("#000000") if dark else QColor("#ffffff"))
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, tag)
        painter.end()
