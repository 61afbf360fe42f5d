"""The equation panel: the current stage's formula in the lecture's notation, then with its numbers.

Qt lays out rich-text tables slowly, so the page stays small: a layer wider than MAX_SHOWN shows
KEPT of its rows or columns (the first ones, an ellipsis, the last one). While hidden (a tab behind
another) the panel skips its redraws, ten a second during training, and catches up when shown.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QTimer
from PySide6.QtGui import QFont, QPaintEvent, QPalette, QShowEvent
from PySide6.QtWidgets import QTextBrowser, QWidget

from explorer.document.document import Document
from explorer.text.equations import equation_html
from explorer.text.notation import notation_html
from explorer.views.visibility import on_screen

PANEL_POINT_SIZE = 14  # legible from the back of a lecture hall
MAX_SHOWN = 12  # rows or columns shown whole
KEPT = 8  # rows or columns left of a longer dimension, the ellipsis included


class EquationPanel(QTextBrowser):
    """Show the current stage: title, symbolic formulas, and the same formulas with bracketed numbers."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("equation_panel")
        self.doc = document
        self.setOpenLinks(False)
        self.setReadOnly(True)
        font = QFont(self.font())
        font.setPointSize(max(PANEL_POINT_SIZE, font.pointSize()))
        self.setFont(font)
        self.document().setDefaultFont(font)
        self.setMinimumHeight(120)
        # Long equations scroll sideways instead of squeezing numbers onto two lines.
        self.setLineWrapMode(QTextBrowser.LineWrapMode.NoWrap)
        self._stage_shown = -1
        self._stale = False  # the stage or its numbers changed while the panel was hidden
        # A dock tab brought to the front gets a paint, not a show event: catch up just after it.
        self._catch_up = QTimer(self)
        self._catch_up.setSingleShot(True)
        self._catch_up.setInterval(0)
        self._catch_up.timeout.connect(self._catch_up_if_shown)
        document.stage_changed.connect(self._on_stage_changed)
        document.trace_changed.connect(self.refresh)
        self.refresh()

    # --- content -----------------------------------------------------------------------
    def stage_html(self) -> str:
        """Return the HTML shown for the document's current stage."""
        document = self.doc
        stage = document.stage
        palette = self.palette()
        text = palette.color(QPalette.ColorRole.Text).name()
        muted = palette.color(QPalette.ColorRole.PlaceholderText).name()
        count = len(document.stages)
        parts = [
            f'<p style="margin: 0 0 4px 0; color: {muted};">Stage {document.stage_index + 1} / {count}</p>',
            f'<p style="margin: 0 0 8px 0; font-size: 125%;"><b>{notation_html(stage.title)}</b></p>',
        ]
        for formula in stage.formulas:
            parts.append(
                f'<p style="margin: 2px 0 2px 16px; font-size: 130%;"><i>{notation_html(formula)}</i></p>'
            )
        for equation in stage.equations:
            parts.append('<div style="margin-top: 10px;">')
            parts.append(equation_html(equation, MAX_SHOWN, MAX_SHOWN, 6, colour=text, kept=KEPT))
            parts.append("</div>")
        return f'<div style="color: {text};">' + "".join(parts) + "</div>"

    def refresh(self) -> None:
        """Redraw for the current stage and numbers, keeping the scroll position if the stage is the same.

        While the panel is hidden this only notes that it is out of date.
        """
        if not on_screen(self):
            self._stale = True
            return
        self._redraw()

    def flush(self) -> None:
        """Redraw now if the panel skipped a redraw while hidden."""
        if self._stale:
            self._redraw()

    def _redraw(self) -> None:
        self._stale = False
        bar = self.verticalScrollBar()
        keep = bar.value() if self._stage_shown == self.doc.stage_index else 0
        self.setHtml(self.stage_html())
        self._stage_shown = self.doc.stage_index
        bar.setValue(keep)

    def plain_text(self) -> str:
        """Return what the panel shows as plain text, one table cell or paragraph per line."""
        self.flush()
        lines = (line.strip() for line in self.toPlainText().replace("\u00a0", " ").splitlines())
        return "\n".join(line for line in lines if line)

    # --- events ------------------------------------------------------------------------
    def _on_stage_changed(self, _index: int) -> None:
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self.flush()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if self._stale:
            self._catch_up.start()

    def _catch_up_if_shown(self) -> None:
        if on_screen(self):
            self.flush()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self.refresh()  # bracket and text colours come from the palette
