"""The widgets the matrix view is built from: its tables, the gradient's page stack, the scrolled content.

Each keeps the view usable in a short dock: a table keeps room for a few whole rows, the stack is as
tall as the page it shows, and the content reports the height its minimums need, so the view scrolls
rather than squeezing a table below its rows. A focused table keeps the arrow, Home and End keys.
Split from matrix_view.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QStackedWidget, QTableView, QWidget

ROWS_KEPT = 4  # a table never gets shorter than this many rows (or all of them, if fewer)


class KeepNavigationKeys(QObject):
    """Let a focused table keep the arrow, Home and End keys that the stage bar uses window-wide."""

    KEYS = (Qt.Key_Left, Qt.Key_Right, Qt.Key_Up, Qt.Key_Down, Qt.Key_Home, Qt.Key_End)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.ShortcutOverride and event.key() in self.KEYS and not event.modifiers():
            event.accept()  # accepted override: the key goes to the table, not to the shortcut
            return True
        return False


class CurrentPageStack(QStackedWidget):
    """A stacked widget sized by the page it shows, so a one-line placeholder does not take a table's room."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentChanged.connect(lambda _index: self.updateGeometry())

    def sizeHint(self):  # noqa: N802 - Qt's name
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()

    def minimumSizeHint(self):  # noqa: N802 - Qt's name
        page = self.currentWidget()
        if page is None:
            return super().minimumSizeHint()
        return page.minimumSizeHint().expandedTo(page.minimumSize())


class MatrixTable(QTableView):
    """A table that never gets shorter than ROWS_KEPT whole rows (all, if fewer), scroll bar included."""

    def keep_rows(self) -> None:
        """Set the minimum height to the header, up to ROWS_KEPT rows and a needed horizontal scroll bar."""
        model = self.model()
        shown = min(model.rowCount(), ROWS_KEPT) if model is not None else 0
        height = self.horizontalHeader().sizeHint().height() + 2 * self.frameWidth()
        height += shown * self.verticalHeader().defaultSectionSize()
        room = self.width() - self.verticalHeader().width() - 2 * self.frameWidth()
        if self.horizontalHeader().length() > room:
            height += self.horizontalScrollBar().sizeHint().height()
        self.setMinimumHeight(height)

    def resizeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.keep_rows()  # narrower now: a horizontal scroll bar may need its own row


class Content(QWidget):
    """The view's scrolled content: as tall as its minimum needs at a width, wrapped labels included."""

    # QBoxLayout's own height-for-width is the *preferred* height (tables at full size), which would
    # make the scroll area scroll even where every table fits at its minimum.
    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        layout = self.layout()
        margins = layout.contentsMargins()
        inner = width - margins.left() - margins.right()
        heights = []
        for index in range(layout.count()):
            item = layout.itemAt(index)
            if item.isEmpty():
                continue
            minimum = item.minimumSize().height()
            heights.append(max(minimum, item.heightForWidth(inner)) if item.hasHeightForWidth() else minimum)
        return margins.top() + margins.bottom() + sum(heights) + layout.spacing() * max(len(heights) - 1, 0)
