"""The Practice panel: one field per number the next stage computes, Enter to check, hints, answers, score.

Predict, then reveal: the panel asks for the entries of the stage after the current one (every z of
a linear step, all of δ^(k), each ∂J/∂w_ij^(k)). Enter in any field checks them all against the engine
at the tolerance shown; a wrong entry is named, and its Hint button gives first the formula with the
numbers substituted, then the inputs it uses and the stage each came from. "Show" reveals an entry.
When every entry is right or shown the stage is revealed and the next one is asked. Nothing here
changes the file: practice never pushes an undo command.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QDoubleValidator, QFont, QPalette
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.document.document import Document
from explorer.document.practice import Practice
from explorer.text.notation import format_number, notation_html, parse_number
from explorer.text.practice import ANSWER_DIGITS, OPEN, RIGHT, Tolerance, num
from explorer.views.fields import error_color, is_dark, muted_color


def right_color(palette: QPalette) -> QColor:
    """Return a green that reads well on the palette's window colour."""
    return QColor("#81c784") if is_dark(palette) else QColor("#1b5e20")


class PracticePanel(QWidget):
    """Asks for the next stage's numbers and checks them; owns the document's Practice session."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("practice_panel")
        self.doc = document
        self.practice = Practice(document, self)
        self.fields: dict[str, QLineEdit] = {}
        self.status_labels: dict[str, QLabel] = {}
        self.hint_buttons: dict[str, QToolButton] = {}
        self.show_buttons: dict[str, QToolButton] = {}

        layout = QVBoxLayout(self)
        self.off_box = QWidget()
        off = QVBoxLayout(self.off_box)
        off.setContentsMargins(0, 0, 0, 0)
        explain = QLabel(
            "Predict, then reveal: the panel asks for the numbers of the next stage; type them, press "
            "Enter, and the stage is revealed when they are right."
        )
        explain.setWordWrap(True)
        off.addWidget(explain)
        self.start_button = QPushButton("Start practice")
        self.start_button.setObjectName("practice_start")
        self.start_button.clicked.connect(lambda: self.practice.set_active(True))
        off.addWidget(self.start_button)
        layout.addWidget(self.off_box)

        self.on_box = QWidget()
        on = QVBoxLayout(self.on_box)
        on.setContentsMargins(0, 0, 0, 0)
        self.heading = QLabel()
        self.heading.setObjectName("practice_heading")
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        self.heading.setWordWrap(True)
        on.addWidget(self.heading)

        tolerance = QHBoxLayout()
        tolerance.addWidget(QLabel("Right within"))
        self.digits_box = QSpinBox()
        self.digits_box.setObjectName("practice_digits")
        self.digits_box.setRange(1, 8)
        self.digits_box.setValue(self.practice.tolerance.digits)
        self.digits_box.setAccessibleName("Significant digits")
        tolerance.addWidget(self.digits_box)
        tolerance.addWidget(QLabel("significant digits or ±"))
        self.absolute_field = QLineEdit(format_number(self.practice.tolerance.absolute))
        self.absolute_field.setObjectName("practice_absolute")
        self.absolute_field.setValidator(QDoubleValidator(0.0, 1e9, 12))
        self.absolute_field.setMaximumWidth(80)
        self.absolute_field.setAccessibleName("Absolute tolerance")
        tolerance.addWidget(self.absolute_field)
        tolerance.addStretch(1)
        on.addLayout(tolerance)
        self.digits_box.valueChanged.connect(self._tolerance_edited)
        self.absolute_field.editingFinished.connect(self._tolerance_edited)

        self.grid_holder = QWidget()
        self.grid = QGridLayout(self.grid_holder)
        self.grid.setContentsMargins(0, 4, 0, 4)
        self.grid.setColumnStretch(1, 1)
        on.addWidget(self.grid_holder)

        buttons = QHBoxLayout()
        self.check_button = QPushButton("Check (Enter)")
        self.check_button.setObjectName("practice_check")
        self.check_button.clicked.connect(self.check)
        buttons.addWidget(self.check_button)
        buttons.addStretch(1)
        self.over_button = QPushButton("Start over")
        self.over_button.setObjectName("practice_start_over")
        self.over_button.setToolTip("Back to the input, with a fresh score")
        self.over_button.clicked.connect(self.practice.start_over)
        buttons.addWidget(self.over_button)
        self.stop_button = QPushButton("Stop")
        self.stop_button.setObjectName("practice_stop")
        self.stop_button.clicked.connect(lambda: self.practice.set_active(False))
        buttons.addWidget(self.stop_button)
        on.addLayout(buttons)

        self.message = QLabel()
        self.message.setObjectName("practice_message")
        self.message.setWordWrap(True)
        self.message.setTextFormat(Qt.TextFormat.PlainText)
        on.addWidget(self.message)
        self.hint_label = QLabel()
        self.hint_label.setObjectName("practice_hints")
        self.hint_label.setWordWrap(True)
        self.hint_label.setTextFormat(Qt.TextFormat.PlainText)
        self.hint_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        on.addWidget(self.hint_label)
        self.score_label = QLabel()
        self.score_label.setObjectName("practice_score")
        bold = QFont(self.score_label.font())
        bold.setBold(True)
        self.score_label.setFont(bold)
        on.addWidget(self.score_label)
        layout.addWidget(self.on_box)
        layout.addStretch(1)

        self.practice.asked_changed.connect(self._rebuild_rows)
        self.practice.changed.connect(self._sync)
        self.practice.active_changed.connect(self._active_changed)
        self._rebuild_rows()
        self._active_changed(self.practice.active)

    # --- gestures ----------------------------------------------------------------------
    def check(self) -> None:
        """Check every open field against the engine."""
        self.practice.check({key: field.text() for key, field in self.fields.items()})
        for entry in self.practice.entries:
            if entry.status == OPEN and entry.wrong_tries and entry.question.key in self.fields:
                field = self.fields[entry.question.key]
                field.setFocus()
                field.selectAll()
                break

    def _tolerance_edited(self) -> None:
        try:
            absolute = parse_number(self.absolute_field.text() or "0")
        except ValueError:
            absolute = self.practice.tolerance.absolute
        self.practice.set_tolerance(Tolerance(self.digits_box.value(), max(absolute, 0.0)))

    # --- following the session ---------------------------------------------------------
    def _active_changed(self, active: bool) -> None:
        self.off_box.setVisible(not active)
        self.on_box.setVisible(active)

    def _rebuild_rows(self) -> None:
        while self.grid.count():
            item = self.grid.takeAt(0)
            widget = item.widget() if item is not None else None
            if widget is not None:
                widget.deleteLater()
        self.fields, self.status_labels, self.hint_buttons, self.show_buttons = {}, {}, {}, {}
        for row, entry in enumerate(self.practice.entries):
            key = entry.question.key
            label = QLabel(entry.question.label + " =")
            label.setToolTip("Type the value, then press Enter")
            field = QLineEdit()
            field.setObjectName(f"answer:{key}")
            field.setAccessibleName(entry.question.label)
            field.setPlaceholderText("?")
            field.returnPressed.connect(self.check)
            label.setBuddy(field)
            status = QLabel()
            status.setObjectName(f"status:{key}")
            status.setMinimumWidth(60)
            hint = QToolButton()
            hint.setText("Hint")
            hint.setObjectName(f"hint:{key}")
            hint.setToolTip("First the formula with the numbers put in, then the inputs it uses")
            hint.clicked.connect(lambda _checked=False, k=key: self.practice.hint(k))
            show = QToolButton()
            show.setText("Show")
            show.setObjectName(f"show:{key}")
            show.setToolTip("Show the answer (it counts as shown)")
            show.clicked.connect(lambda _checked=False, k=key: self.practice.show_answer(k))
            for column, widget in enumerate((label, field, status, hint, show)):
                self.grid.addWidget(widget, row, column)
            self.fields[key], self.status_labels[key] = field, status
            self.hint_buttons[key], self.show_buttons[key] = hint, show
        self._sync()

    def _sync(self) -> None:
        practice = self.practice
        stage = practice.asked_stage
        if stage is None:
            self.heading.setText("<b>The pass is complete.</b> Start over to practise it again.")
        else:
            formulas = "<br>".join(notation_html(formula) for formula in stage.formulas)
            count = len(self.doc.stages)
            self.heading.setText(
                f"<b>Compute stage {practice.asked + 1 if practice.asked is not None else 0} / {count}: "
                f"{notation_html(stage.title)}</b><br>{formulas}"
            )
        palette = self.palette()
        for entry in practice.entries:
            key = entry.question.key
            field, status = self.fields.get(key), self.status_labels.get(key)
            if field is None or status is None:
                continue
            if entry.status == RIGHT:
                colour, text = right_color(palette), "✓ right"
            elif entry.status == OPEN and entry.wrong_tries:
                colour, text = error_color(palette), "✗ wrong"
            elif entry.status == OPEN:
                colour, text = muted_color(palette), ""
            else:
                colour, text = muted_color(palette), "shown"
                field.setText(num(entry.question.value, ANSWER_DIGITS))
            settled = entry.status != OPEN
            field.setReadOnly(settled)
            border = (
                ""
                if entry.status == OPEN and not entry.wrong_tries
                else f"border: 2px solid {colour.name()};"
            )
            field.setStyleSheet(f"QLineEdit {{ {border} }}" if border else "")
            status.setText(text)
            status.setStyleSheet(f"color: {colour.name()}; font-weight: bold")
            self.hint_buttons[key].setEnabled(not settled)
            self.hint_buttons[key].setText("Hint 2" if entry.hints >= 1 else "Hint")
            self.show_buttons[key].setEnabled(not settled)
        self.check_button.setEnabled(stage is not None)
        wrong = any(entry.status == OPEN and entry.wrong_tries for entry in practice.entries)
        colour = error_color(palette) if wrong else self.palette().color(QPalette.ColorRole.WindowText)
        self.message.setStyleSheet(f"color: {colour.name()}")
        self.message.setText(practice.message)
        self.message.setVisible(bool(practice.message))
        self.hint_label.setText("\n".join(practice.hints))
        self.hint_label.setVisible(bool(practice.hints))
        self.score_label.setText(f"{practice.score.line()}\nTolerance: {practice.tolerance.describe()}")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._sync()
