"""Number entry for panels: a line edit and spin boxes that read what is typed with notation's one parser.

A teacher types values like 0.15, -2, 1e-3, 1×10⁻³ or −0.5 (the typographic minus that panels
display); anything else is refused with notation's one-line message, and nothing changes. Fields show
a value with every digit it needs (display(value, EXACT)), so what is shown reads back unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QPalette, QValidator
from PySide6.QtWidgets import (
    QApplication,
    QDoubleSpinBox,
    QFrame,
    QLabel,
    QLineEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from explorer.text.notation import EXACT, display, parse_number

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
        self.setText(display(value, EXACT))
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
            self.setText(display(self._value, EXACT))
            self.setModified(False)
            self.invalid.emit("")
            return
        super().keyPressEvent(event)


def number_problem(
    text: str, low: float, high: float, whole: bool = False, check: Callable[[float], object] | None = None
) -> str:
    """Return why `text` is not a number from `low` to `high` (whole if `whole`, passing `check`), or ""."""
    try:
        value = parse_number(text)
        if check is not None:
            check(value)  # the domain's own rule and message, e.g. the trainer's for η
    except ValueError as error:
        return str(error)
    if whole and not value.is_integer():
        return f"“{text.strip()}” is not a whole number"
    if not low <= value <= high:
        bounds = f"{display(low, EXACT)} to {display(high, EXACT)}"
        return f"“{text.strip()}” is out of range: type a number from {bounds}"
    return ""


STEP_DIGITS = 12  # an arrow step lands on 0.15 or 1.1e-07, not on the float sum 0.15000000000000002


def _spin_state(problem: str) -> QValidator.State:
    # Anything may be typed (Intermediate): a refusal then explains itself on Enter, instead of the
    # box dropping keys so that "1e999" silently becomes 1999.
    return QValidator.State.Intermediate if problem else QValidator.State.Acceptable


class RealSpinBox(QDoubleSpinBox):
    """A spin box for one real number, shown exactly, typed by notation's rules; `refused` says why not."""

    refused = Signal(str)  # "<name>: <why>", for a message under the fields or in the status bar

    def __init__(
        self, name: str, check: Callable[[float], object] | None = None, parent: QWidget | None = None
    ):
        super().__init__(parent)
        self.name = name
        self.check = check
        self.setDecimals(323)  # Qt's most: QDoubleSpinBox rounds every value to its decimals
        self.setKeyboardTracking(False)  # a refused entry goes back to the value before the typing

    def textFromValue(self, value: float) -> str:  # noqa: N802 - Qt's name
        return display(value, EXACT)

    def stepBy(self, steps: int) -> None:  # noqa: N802 - Qt's name
        super().stepBy(steps)
        rounded = float(f"{self.value():.{STEP_DIGITS}g}")
        if rounded != self.value():
            self.setValue(rounded)

    def valueFromText(self, text: str) -> float:  # noqa: N802 - Qt's name
        try:
            return parse_number(text)
        except ValueError:
            return self.value()

    def validate(self, text: str, position: int) -> tuple[QValidator.State, str, int]:
        problem = number_problem(text, self.minimum(), self.maximum(), check=self.check)
        return _spin_state(problem), text, position

    def fixup(self, text: str) -> str:
        problem = number_problem(text, self.minimum(), self.maximum(), check=self.check)
        if problem:
            self.refused.emit(f"{self.name}: {problem}")  # the box then shows its value again
        return text


class WholeSpinBox(QSpinBox):
    """A spin box for a whole number, typed by notation's rules (1e3 is 1000); `refused` says why not."""

    refused = Signal(str)

    def __init__(self, name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.name = name
        self.setKeyboardTracking(False)  # a refused entry goes back to the value before the typing

    def valueFromText(self, text: str) -> int:  # noqa: N802 - Qt's name
        try:
            return int(parse_number(text))
        except ValueError:
            return self.value()

    def validate(self, text: str, position: int) -> tuple[QValidator.State, str, int]:
        problem = number_problem(text, self.minimum(), self.maximum(), whole=True)
        return _spin_state(problem), text, position

    def fixup(self, text: str) -> str:
        problem = number_problem(text, self.minimum(), self.maximum(), whole=True)
        if problem:
            self.refused.emit(f"{self.name}: {problem}")
        return text


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
