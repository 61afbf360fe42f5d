"""The list of all stages of the pass: done ones plain, the current one bold with ▶, later ones dimmed.

Every recompute of the trace (ten a second while training runs) reaches the list, but only a new
structure changes the stages' titles: the list is rebuilt only then (a tooltip may change alone).
Marking the current stage reads the stages from the document, never from the rows: whichever signal
of a change arrives first, the list rebuilds itself if its rows are not the document's stages.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from explorer.document.document import Document
from explorer.text.notation import notation_unicode

CURRENT_MARK = "▶"


class StageList(QListWidget):
    """Every stage of the step-through; clicking one (or moving with the arrow keys) jumps there."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = document
        self.setObjectName("stage_list")
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setUniformItemSizes(True)
        font = QFont(self.font())
        font.setPointSize(max(11, font.pointSize()))
        self.setFont(font)
        self._syncing = False
        self._texts: list[tuple[str, str]] = []  # (title, formula) of each stage listed
        self._marked = -1  # the stage marked current
        self.currentRowChanged.connect(self._on_row_changed)
        document.stage_changed.connect(self._mark_current)
        document.trace_changed.connect(self._trace_changed)
        self.rebuild()

    def _stage_texts(self) -> list[tuple[str, str]]:
        return [(stage.title, stage.formula) for stage in self.doc.stages]

    def _trace_changed(self) -> None:
        texts = self._stage_texts()
        if [title for title, _ in texts] != [title for title, _ in self._texts]:
            self.rebuild()
            return
        # Same titles; a formula may carry a number (J = 0.1176) shown in the tooltip.
        for index, (old, new) in enumerate(zip(self._texts, texts)):
            if old != new:
                self.item(index).setToolTip(self._tooltip(*new))
        self._texts = texts
        if self.doc.stage_index != self._marked:
            self._mark_current()

    @staticmethod
    def _tooltip(title: str, formula: str) -> str:
        return f"{notation_unicode(title)}\n{notation_unicode(formula)}"

    def rebuild(self) -> None:
        """Fill the list from the document's stages (their titles change with the structure)."""
        self._texts = self._stage_texts()
        self._syncing = True
        try:
            self.clear()
            for index, stage in enumerate(self.doc.stages):
                item = QListWidgetItem()
                item.setData(Qt.ItemDataRole.UserRole, index)
                item.setToolTip(self._tooltip(stage.title, stage.formula))
                self.addItem(item)
        finally:
            self._syncing = False
        self._mark_current()

    def _mark_current(self, *_args: object) -> None:
        stages = self.doc.stages
        if self.count() != len(stages) or [title for title, _ in self._texts] != [s.title for s in stages]:
            self.rebuild()  # the rows are another structure's; rebuild marks the current stage
            return
        current = self.doc.stage_index
        self._marked = current
        palette = self.palette()
        text, base = palette.color(QPalette.ColorRole.Text), palette.color(QPalette.ColorRole.Base)
        normal = QBrush(text)
        # Stages not reached yet: dimmed halfway to the background, still legible on a projector.
        later = QBrush(
            QColor(
                (text.red() + base.red()) // 2,
                (text.green() + base.green()) // 2,
                (text.blue() + base.blue()) // 2,
            )
        )
        self._syncing = True
        try:
            for index, stage in enumerate(stages):
                item = self.item(index)
                mark = CURRENT_MARK if index == current else "   "
                item.setText(f"{mark} {index + 1}. {notation_unicode(stage.title)}")
                font = QFont(self.font())
                font.setBold(index == current)
                item.setFont(font)
                item.setForeground(later if index > current else normal)
            self.setCurrentRow(current)
            self.scrollToItem(self.item(current), QAbstractItemView.ScrollHint.EnsureVisible)
        finally:
            self._syncing = False

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        # Wide enough for the longest title, so a dock opens without cutting the titles off.
        hint = super().sizeHint()
        scroll_bar = self.verticalScrollBar().sizeHint().width()
        width = self.sizeHintForColumn(0) + 2 * self.frameWidth() + scroll_bar
        return QSize(max(hint.width(), min(width, 520)), hint.height())

    def _on_row_changed(self, row: int) -> None:
        if not self._syncing and row >= 0:
            self.doc.set_stage(row)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange) and self.count():
            self._mark_current()  # the dimmed colour comes from the palette
