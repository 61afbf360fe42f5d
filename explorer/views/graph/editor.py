"""The small in-place editor that opens over an edge or a neuron to type a weight or a bias."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from explorer.text.notation import EXACT, display, parse_number
from explorer.views.fields import error_color


class _Entry(QLineEdit):
    """A line edit that reports Escape instead of ignoring it."""

    escaped = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() == Qt.Key.Key_Escape:
            self.escaped.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class InlineEditor(QFrame):
    """ "w₁₂⁽¹⁾ = [0.2]": Enter applies a finite number, Escape cancels, anything else shows why."""

    accepted = Signal(float)
    cancelled = Signal()
    refused = Signal(str)  # the message shown for an entry that is not a finite number

    def __init__(self, title: str, value: float, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.entry = _Entry(display(value, EXACT))  # every digit: Enter on it unchanged changes nothing
        self.entry.setMinimumWidth(self.entry.fontMetrics().horizontalAdvance("−0.123456789") + 16)
        self.entry.selectAll()
        self.entry.setToolTip("Enter applies, Escape cancels")
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # it quotes what was typed
        self.message.setStyleSheet(f"color: {error_color(self.palette()).name()};")
        self.message.hide()
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(f"{title} ="))
        row.addWidget(self.entry, 1)
        column = QVBoxLayout(self)
        column.setContentsMargins(6, 4, 6, 4)
        column.setSpacing(2)
        column.addLayout(row)
        column.addWidget(self.message)
        self.entry.returnPressed.connect(self._apply)
        self.entry.escaped.connect(self.cancelled)

    def error_text(self) -> str:
        """Return the message shown for the last refused entry ("" if none)."""
        return self.message.text()

    def _apply(self) -> None:
        try:
            value = parse_number(self.entry.text())
        except ValueError as error:
            self.message.setText(str(error))
            self.message.show()
            self.adjustSize()
            self.refused.emit(str(error))
            return
        self.accepted.emit(value)
