"""The undo history: every edit of the open document, newest last; clicking one goes back to it."""

from __future__ import annotations

from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QUndoView, QWidget

from explorer.document.document import UNDO_LIMIT, Document


class UndoHistory(QUndoView):
    """A list view of the document's undo stack."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(document.undo_stack, parent)
        self.document = document
        # The first row is where undo can go back to: the opened file, or the oldest step kept.
        self.setEmptyLabel(f"<opened, or the oldest of the last {UNDO_LIMIT} steps kept>")
        self.setToolTip(
            "Click an entry to return to that point; later edits stay available for redo. "
            f"The last {UNDO_LIMIT} steps are kept."
        )

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        # Jumping in the history is an undo or redo: a training run must be recorded first.
        self.document.begin_edit()
        super().mousePressEvent(event)
