"""Ctrl+Z / Redo reach the window's Undo and Redo after a field's edit was entered.

A QLineEdit claims the undo keys for its own typing history, so after typing a weight and pressing Enter
Ctrl+Z would only undo the typing in the field. This filter lets the field keep the keys while it holds
typing not yet entered (isModified), and hands them to the window's actions otherwise.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QKeyEvent, QKeySequence
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QLineEdit, QWidget


def _is_undo_or_redo(event: QKeyEvent, keys: list[QKeySequence]) -> bool:
    pressed = QKeySequence(event.keyCombination())
    return any(pressed.matches(key) == QKeySequence.SequenceMatch.ExactMatch for key in keys)


class UndoKeys(QObject):
    """An application event filter giving the undo keys to `window` when a field has nothing to undo."""

    def __init__(self, window: QWidget, keys: list[QKeySequence]) -> None:
        super().__init__(window)
        self._window = window
        self._keys = keys
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() != QEvent.Type.ShortcutOverride or not isinstance(event, QKeyEvent):
            return False
        if not isinstance(watched, QWidget) or watched.window() is not self._window:
            return False
        field = watched if isinstance(watched, QLineEdit) else None
        if isinstance(watched, QAbstractSpinBox):
            field = watched.findChild(QLineEdit)
        if field is None or field.isModified() or field.isReadOnly():
            return False
        # Not delivered to the field, so not accepted: the window's Undo / Redo shortcut fires.
        return _is_undo_or_redo(event, self._keys)
