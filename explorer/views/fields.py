"""Number entry and display for panels: exact parsing with clear messages, and a validated line edit.

A teacher types values like 0.15, -2, 1e-3 or −0.5 (the typographic minus that panels display);
anything else is refused with a one-line message that names the bad entry, and nothing changes.
"""

from __future__ import annotations

import re

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPalette
from PySide6.QtWidgets import QApplication, QFrame, QLabel, QLineEdit, QScrollArea, QVBoxLayout, QWidget

from explorer.text.notation import exact_text, parse_number

_MINUS = "\u2212"


_PLAIN_WORD = re.compile(r"[a-z]+(?=[\s,:;]|$)")


def sentence_case(text: str, names: tuple[str, ...] = ()) -> str:
    """Return `text` with a capital first letter, unless it starts with a name that must keep its case.

    A message may begin with a file or column name ("binary.csv is not a UTF-8 text file"): it is
    left alone when it starts with one of `names`, or with anything but a plain lower-case word.
    """
    if any(name and text.startswith(name) for name in names) or not _PLAIN_WORD.match(text):
        return text
    return text[:1].upper() + text[1:]


def is_dark(palette: QPalette) -> bool:
    """Return True when the palette draws light text on a dark window."""
    return palette.color(QPalette.ColorRole.Window).lightness() < 128


def error_color(palette: QPalette) -> QColor:
    """Return a red that reads well on the palette's window colour."""
    return QColor("#ff8a80") if is_dark(palette) else QColor("#b3261e")


def muted_color(palette: QPalette) -> QColor:
    """Return a text colour between the palette's text and window colours (for explanations)."""
    text, window = palette.color(QPalette.ColorRole.WindowText), palette.color(QPalette.ColorRole.Window)
    # Two thirds text, one third window: quieter than text, still legible on a projector.
    return QColor(
        (2 * text.red() + window.red()) // 3,
        (2 * text.green() + window.green()) // 3,
        (2 * text.blue() + window.blue()) // 3,
    )


class NumberField(QLineEdit):
    """A line edit for one exact number: Enter emits value_entered or invalid; Escape reverts."""

    value_entered = Signal(float)
    invalid = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._value = 0.0
        self.setPlaceholderText("a number, e.g. 0.15 or 1e-3")
        self.returnPressed.connect(self._submit)

    def value(self) -> float:
        """Return the last value shown or entered."""
        return self._value

    def set_value(self, value: float) -> None:
        """Show `value` exactly, unless the user is in the middle of typing a new one."""
        self._value = float(value)
        if self.hasFocus() and self.isModified():
            return
        self.setText(exact_text(value))
        self.setModified(False)

    def _submit(self) -> None:
        try:
            value = parse_number(self.text())
        except ValueError as error:
            self.invalid.emit(str(error))
            return
        self._value = value
        self.setModified(False)
        self.value_entered.emit(value)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() == Qt.Key.Key_Escape and self.isModified():
            self.setText(exact_text(self._value))
            self.setModified(False)
            self.invalid.emit("")
            return
        super().keyPressEvent(event)


class ErrorLabel(QLabel):
    """A word-wrapped message in the palette's error colour, hidden while it has no text."""

    def __init__(self, object_name: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(object_name)
        self.setTextFormat(Qt.TextFormat.PlainText)  # messages quote files and typed values: never HTML
        self.setWordWrap(True)
        self.setVisible(False)
        self._apply_colors()

    def show_text(self, text: str) -> None:
        """Show `text`, or hide the label when it is empty."""
        self.setText(text)
        self.setVisible(bool(text))

    def _apply_colors(self) -> None:
        # The colour comes from the surrounding palette: the label's own one is changed by the
        # style sheet, and a sheet set again on every palette change would loop.
        parent = self.parentWidget()
        palette = parent.palette() if parent is not None else QApplication.palette()
        sheet = f"color: {error_color(palette).name()}; font-weight: bold"
        if sheet != self.styleSheet():
            self.setStyleSheet(sheet)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() in (
            QEvent.Type.PaletteChange,
            QEvent.Type.ApplicationPaletteChange,
            QEvent.Type.ParentChange,
        ):
            self._apply_colors()
        super().changeEvent(event)


def fill_with_scrolling(panel: QWidget, body: QWidget) -> QScrollArea:
    """Lay `body` into `panel` inside a frameless scroll area, so a long panel never forces its dock."""
    scroll = QScrollArea()
    scroll.setWidget(body)
    scroll.setWidgetResizable(True)
    scroll.setFrameShape(QFrame.Shape.NoFrame)
    outer = QVBoxLayout(panel)
    outer.setContentsMargins(0, 0, 0, 0)
    outer.addWidget(scroll)
    return scroll
