"""The list of all stages of the pass: done ones plain, the current one bold with ▶, later ones dimmed."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPalette
from PySide6.QtWidgets import QAbstractItemView, QListWidget, QListWidgetItem, QWidget

from ..document import Document
from .formatting import notation_unicode

CURRENT_MARK = "▶"


class StageList(QListWidget):
    """Every stage of the step-through; clicking one (or moving with the arrow keys) jumps there."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = document
        self.setObjectName("stage_list")
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.setUniformItemSizes(True)
        font = QFont(self.font())
        font.setPointSize(max(11, font.pointSize()))
        self.setFont(font)
        self._syncing = False
        self.currentRowChanged.connect(self._on_row_changed)
        document.stage_changed.connect(self._mark_current)
        document.trace_changed.connect(self.rebuild)
        self.rebuild()

    def rebuild(self) -> None:
        """Fill the list from the document's stages (their titles change with the structure)."""
        self._syncing = True
        try:
            self.clear()
            for index, stage in enumerate(self.doc.stages):
                item = QListWidgetItem()
                item.setData(Qt.UserRole, index)
                item.setToolTip(f"{notation_unicode(stage.title)}\n{notation_unicode(stage.formula)}")
                self.addItem(item)
        finally:
            self._syncing = False
        self._mark_current()

    def _mark_current(self, *_args) -> None:
        current = self.doc.stage_index
        palette = self.palette()
        text, base = palette.color(QPalette.Text), palette.color(QPalette.Base)
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
            for index, stage in enumerate(self.doc.stages):
                item = self.item(index)
                mark = CURRENT_MARK if index == current else "   "
                item.setText(f"{mark} {index + 1}. {notation_unicode(stage.title)}")
                font = QFont(self.font())
                font.setBold(index == current)
                item.setFont(font)
                item.setForeground(later if index > current else normal)
            self.setCurrentRow(current)
            self.scrollToItem(self.item(current), QAbstractItemView.EnsureVisible)
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
        if event.type() in (QEvent.PaletteChange, QEvent.ApplicationPaletteChange) and self.count():
            self._mark_current()  # the dimmed colour comes from the palette
