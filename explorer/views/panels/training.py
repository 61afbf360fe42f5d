"""The training panel: settings, Play/Pause, Train one epoch, Reset weights, and a live status line.

Each setting applies on Enter or when the field loses focus, through data_edits.set_training (one
undo step, saved in the file). Bad input shows a one-line message under the fields, keeps the typed
text so it can be fixed, and changes nothing; Escape puts the stored value back. While a run goes on
the settings are read-only (a change would restart the trainer): pause first.

Only the settings scroll: in a short dock the fields keep their height and scroll, while the wrapped
message, the buttons, the status and a stop reason stay in view under them with all their lines.

Play/Pause is one button; its shortcut is Ctrl+Space anywhere in the window that holds the panel
(plain Space would type into the fields, and Ctrl+Space works whichever widget has the focus).

Signals:
    status_message(str)   a run ended; the sentence is meant for the main window's status bar
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from explorer.document import data_edits
from explorer.document.document import Document
from explorer.document.training_run import TrainingController
from explorer.files.model import MAX_EPOCHS
from explorer.text.notation import EXACT, display, parse_number
from explorer.views.fields import error_color
from explorer.views.panels.training_speed import SpeedBox

PLAY_TEXT, PAUSE_TEXT = "▶  Play", "❚❚  Pause"
PLAY_SHORTCUT = "Ctrl+Space"
FULL_BATCH_WORDS = ("", "full", "all", "none")


def _whole(text: str) -> int:
    value = parse_number(text)
    if not value.is_integer():
        raise ValueError(f"“{text.strip()}” is not a whole number")  # the panel names the setting
    return int(value)


def _epochs(text: str) -> int:
    value = _whole(text)
    if not 0 <= value <= MAX_EPOCHS:
        raise ValueError(f"the number of epochs must be between 0 and {MAX_EPOCHS:,}, not {value:,}")
    return value


def _batch(text: str) -> int | None:
    if text.strip().lower() in FULL_BATCH_WORDS:
        return None
    return _whole(text)


def _fraction(text: str) -> float:
    cleaned = text.strip()
    if cleaned.endswith("%"):  # "20%" reads as 0.2
        return parse_number(cleaned[:-1]) / 100
    return parse_number(cleaned)


def _show_number(value: float) -> str:
    return display(value, EXACT)  # every digit, as the tool bar's η shows it: 2, 0.1, 1×10⁻⁷


# key, label, parser, formatter, tooltip; a formatter takes the stored setting, whose type is the key's
_FIELDS: list[tuple[str, str, Callable[[str], object], Callable[[Any], str], str]] = [
    (
        "learning_rate",
        "Learning rate η",
        parse_number,
        _show_number,
        "Step size of W ← W − η ∂J/∂W; lower it if training diverges",
    ),
    (
        "momentum",
        "Momentum μ",
        parse_number,
        _show_number,
        "v ← μv − η ∂J/∂W, W ← W + v; 0 is plain gradient descent, below 1",
    ),
    (
        "batch_size",
        "Batch size",
        _batch,
        lambda v: "full" if v is None else str(v),
        "Samples per step; empty or “full” uses the whole data set in one step per epoch",
    ),
    (
        "epochs",
        "Epochs per run",
        _epochs,
        str,
        f"How many epochs Play runs before it stops by itself (at most {MAX_EPOCHS:,})",
    ),
    (
        "seed",
        "Seed",
        _whole,
        str,
        "Seeds the mini-batch shuffle, the validation split and Reset weights",
    ),
    (
        "validation_fraction",
        "Validation fraction",
        _fraction,
        _show_number,
        "Share of the data set held back to measure J on unseen samples (0 = none; 0.2 or 20%)",
    ),
]


def _is_play_key(event: QKeyEvent) -> bool:
    return QKeySequence(event.keyCombination()) == QKeySequence(PLAY_SHORTCUT)


class TrainingPanel(QWidget):
    """Edit the training settings and play, pause, step or reset training of the document's network."""

    status_message = Signal(str)

    def __init__(
        self, document: Document, controller: TrainingController, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.controller = controller
        self._stepping = False
        self._bad_key: str | None = None

        font = self.font()
        if font.pointSizeF() < 10:  # readable on a projector
            font.setPointSizeF(10)
            self.setFont(font)

        self.fields: dict[str, QLineEdit] = {}
        self._parsers: dict[str, Callable[[str], object]] = {}
        self._formatters: dict[str, Callable[[Any], str]] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, label, parser, formatter, tip in _FIELDS:
            field = QLineEdit()
            field.setObjectName(f"training_{key}")
            field.setToolTip(tip + ". Press Enter to apply, Escape to undo the typing")
            field.editingFinished.connect(lambda key=key: self._apply(key))
            field.installEventFilter(self)
            self.fields[key] = field
            self._parsers[key], self._formatters[key] = parser, formatter
            form.addRow(label, field)
        self.fields["batch_size"].setPlaceholderText("full")

        self.message = QLabel()
        self.message.setObjectName("training_message")
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # it quotes what was typed
        self.message.setWordWrap(True)
        self.message.hide()

        self.play_button = QPushButton(PLAY_TEXT)
        self.play_button.setShortcut(QKeySequence(PLAY_SHORTCUT))
        self.play_button.setToolTip(f"Train until the epochs are done, or pause ({PLAY_SHORTCUT})")
        self.play_button.clicked.connect(self.toggle_play)
        self.step_button = QPushButton("Train one epoch")
        self.step_button.setToolTip("Run one epoch now (one undo step)")
        self.step_button.clicked.connect(self.train_one_epoch)
        self.reset_button = QPushButton("Reset weights")
        self.reset_button.setToolTip("Draw fresh weights from the seed and clear the curves (undoable)")
        self.reset_button.clicked.connect(self.reset_weights)
        buttons = QHBoxLayout()
        for button in (self.play_button, self.step_button, self.reset_button):
            buttons.addWidget(button)
        self.speed_box = SpeedBox(controller)
        form.insertRow(0, "Speed", self.speed_box)  # how fast Play trains: slow enough to watch, or flat out

        self.status = QLabel()
        self.status.setObjectName("training_status")
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status.setWordWrap(True)
        status_font = self.status.font()
        status_font.setPointSizeF(status_font.pointSizeF() + 1)
        status_font.setBold(True)
        self.status.setFont(status_font)
        self.reason = QLabel()
        self.reason.setObjectName("training_reason")
        self.reason.setWordWrap(True)
        self.reason.hide()

        # Only the fields scroll: in a short dock they keep their height (a plain layout squeezed
        # them to slivers) while the message, the buttons and the status stay in view below them.
        self.content = QWidget()
        self.content.setLayout(form)
        form.setContentsMargins(0, 0, 0, 0)  # the panel's margins are enough: fields line up with buttons
        self.settings_scroll = QScrollArea()
        self.settings_scroll.setObjectName("training_scroll")
        self.settings_scroll.setWidgetResizable(True)
        self.settings_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.settings_scroll.setWidget(self.content)
        layout = QVBoxLayout(self)
        layout.addWidget(self.settings_scroll)  # as tall as the fields when there is room, shorter when not
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(self.reason)
        layout.addStretch(1)
        for field in self.fields.values():  # after parenting, so the hint uses the panel's font
            field.setMinimumHeight(field.sizeHint().height())
        # In a short dock the fields may scroll down to one row, so the labels below keep their lines.
        self.settings_scroll.setMinimumHeight(self.fields["learning_rate"].minimumHeight() + 2)
        self._apply_colors()

        document.data_changed.connect(self.refresh_fields)
        controller.started.connect(self._started)
        controller.progress.connect(self.refresh_status)
        controller.stopped.connect(self._stopped)
        self.refresh_fields()
        self._set_running(controller.is_running)
        self.refresh_status()

    # --- reading --------------------------------------------------------------------------
    def status_text(self) -> str:
        """Return the status line: the epoch and the last training (and validation) loss."""
        history = self.controller.history
        if len(history) == 0:
            return "not trained yet"
        validation = history.validation_loss
        # The epoch's J is a mean over rows, not the one sample the graph and the inspector show.
        rows = "the training rows" if len(validation) else "the data set"
        epoch = int(history.epochs[-1])  # old epochs may be thinned out: the last point's own number
        target = self.controller.run_target
        of = f" of {target:,}" if self.controller.is_running and target else ""  # the run's limit, in view
        text = f"epoch {epoch}{of} · mean J over {rows} = {display(history.loss[-1])}"
        if len(validation):
            text += f" (validation rows: {display(validation[-1])})"
        return text

    def refresh_status(self) -> None:
        """Show the current epoch and loss."""
        self.status.setText(self.status_text())

    def refresh_fields(self) -> None:
        """Show the document's settings (fields being typed into keep their text)."""
        config = self.document.state.training
        for key, field in self.fields.items():
            if field.hasFocus() and field.isModified():
                continue
            field.setText(self._formatters[key](getattr(config, key)))
            field.setModified(False)

    # --- gestures ---------------------------------------------------------------------------
    def toggle_play(self) -> None:
        """Pause a run that is going on, else start one (a refusal shows its reason)."""
        if self.controller.is_running:
            self.controller.pause()
            return
        if not self._apply_all():
            return
        self.controller.play()

    def train_one_epoch(self) -> None:
        """Run one epoch now."""
        if self.controller.is_running or not self._apply_all():
            return
        self._stepping = True
        try:
            self.controller.train_epochs(1)
        finally:
            self._stepping = False
        self._bad_key = None

    def reset_weights(self) -> None:
        """Pause, draw fresh weights from the seed (undoable) and forget the recorded epochs."""
        if self.controller.is_running:
            self.controller.pause()
        if not self._apply_all():
            return
        try:
            data_edits.reset_weights(self.document, self.document.state.training.seed)
        except ValueError as error:
            self.show_message(str(error))
            return
        self.controller.clear_history()
        self._show_reason("")

    def _apply(self, key: str) -> bool:
        field = self.fields[key]
        config = self.document.state.training
        text = field.text()
        if text == self._formatters[key](getattr(config, key)):
            self.show_message("")
            return True
        name = data_edits.SETTING_NAMES[key]
        try:
            value = self._parsers[key](text)
            data_edits.set_training(self.document, **{key: value})
        except ValueError as error:
            message = str(error)
            if name not in message:
                message = f"{name}: {message}"
            self.show_message(message, key)  # the typed text stays so that it can be fixed
            return False
        field.setModified(False)
        self.show_message("")
        self.refresh_fields()  # shows the value as stored, e.g. "20%" as 0.2
        return True

    def _apply_all(self) -> bool:
        """Apply every field whose text differs from the document; False if one is bad."""
        return all(self._apply(key) for key in self.fields)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if not isinstance(event, QKeyEvent):
            return super().eventFilter(watched, event)
        if event.type() == QEvent.Type.ShortcutOverride and _is_play_key(event):
            # A line edit claims Ctrl+Space as typing; leave it unclaimed so Play/Pause fires.
            event.ignore()
            return True
        if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Escape:
            for key, field in self.fields.items():
                if field is watched:
                    field.setText(self._formatters[key](getattr(self.document.state.training, key)))
                    field.setModified(False)
                    self.show_message("")
                    return True
        return super().eventFilter(watched, event)

    # --- controller -------------------------------------------------------------------------
    def _started(self) -> None:
        self._show_reason("")
        self._set_running(True)

    def _stopped(self, reason: str) -> None:
        self._set_running(False)
        self.refresh_status()
        epochs = len(self.controller.history)
        trainer = self.controller.trainer
        warning = trainer.warning if trainer is not None else None
        if reason == "paused":
            self._show_reason(f"Warning: {warning}." if warning else "")
            self.status_message.emit(f"Training paused at epoch {epochs}")
        elif reason == "finished":
            self._show_reason(f"Warning: {warning}." if warning else "")
            if not self._stepping:
                self.status_message.emit(
                    f"Training finished at epoch {epochs}" + (f"; warning: {warning}" if warning else "")
                )
        else:
            self._show_reason(
                f"Stopped: {reason}. Before playing again, undo the run or reset the "
                "weights: the last weights may be too large to train from."
            )
            self.status_message.emit(f"Training stopped: {reason}")

    def _set_running(self, running: bool) -> None:
        self.play_button.setText(PAUSE_TEXT if running else PLAY_TEXT)
        self.play_button.setShortcut(QKeySequence(PLAY_SHORTCUT))  # setText may clear it
        self.step_button.setEnabled(not running)
        for field in self.fields.values():
            field.setEnabled(not running)
        if running:
            self.show_message("")

    # --- looks ------------------------------------------------------------------------------
    def show_message(self, text: str, key: str | None = None) -> None:
        """Show a one-line problem with a typed setting, framing field `key` (empty text hides it)."""
        self.message.setText(text)
        self.message.setVisible(bool(text))
        self._bad_key = key if text else None
        self._frame_bad_field()

    def _frame_bad_field(self) -> None:
        error = error_color(self.palette()).name()
        for key, field in self.fields.items():
            field.setStyleSheet(f"border: 2px solid {error}" if key == self._bad_key else "")

    def _show_reason(self, text: str) -> None:
        self.reason.setText(text)
        self.reason.setVisible(bool(text))

    def reason_text(self) -> str:
        """Return the stop reason shown under the status line (empty when none)."""
        return self.reason.text() if self.reason.isVisibleTo(self) else ""

    def _apply_colors(self) -> None:
        error = error_color(self.palette()).name()
        self.message.setStyleSheet(f"color: {error}; font-weight: bold")
        self.reason.setStyleSheet(f"color: {error}; font-weight: bold")
        self._frame_bad_field()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_colors()
        super().changeEvent(event)
