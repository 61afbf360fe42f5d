"""Write a lecture's slides: one picture per stage of a file's step-through, the graph with the stage
highlighted and the equation panel below it, text sized as in presentation mode.

`out` is a folder (one PNG per stage, SLIDE_SIZE by default) or a .pdf file (one page per stage, drawn
through QPainter onto QPdfWriter, so the labels and equations stay text). Every slide of a deck puts the
network at the same scale and position: the equation gets the height the tallest stage needs, the graph
is fitted once for the whole deck, and its nodes do not jump from slide to slide.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from explorer.app.pictures import pixmap_png
from explorer.app.shot import SLIDE_SIZE
from explorer.files.atomic import write_atomic

if TYPE_CHECKING:
    from explorer.engine.stepper import Stage

EQUATION_MIN_HEIGHT = 220
EQUATION_MAX_SHARE = 0.34  # of the slide's height
SLIDE_TEXT = 1.25  # the equation: as in presentation mode, a little smaller so the update stage fits
SLIDE_LABELS = 1.6  # the edge labels: a slide has no zoom to make them larger
PDF_DPI = 96


def write_slides(path: str, out: str, size: tuple[int, int] = SLIDE_SIZE) -> int:
    """Render every stage of `path`'s sample to `out` (a folder of PNGs or a .pdf); return the count."""
    pdf = out.lower().endswith(".pdf")
    if pdf:
        Path(out).parent.mkdir(parents=True, exist_ok=True)
    else:
        Path(out).mkdir(parents=True, exist_ok=True)
    deck = SlideDeck(path, size)
    writer = _PdfDeck(out, size) if pdf else None
    written = 0
    try:
        for index, stage in deck.slides():
            if writer is not None:
                writer.add_page(deck.page, written == 0)
            else:
                name = f"stage-{index + 1:02d}-{stage.kind}{stage.layer if stage.layer else ''}.png"
                write_atomic(Path(out) / name, pixmap_png(deck.page.grab()))
            written += 1
    finally:
        if writer is not None:
            writer.finish()
        deck.close()
    return written


class SlideDeck:
    """The page slides are drawn from: the graph over the equation, one zoom for every stage.

    Attributes: page (the QWidget drawn), graph, equation, document.
    """

    def __init__(self, path: str, size: tuple[int, int] = SLIDE_SIZE) -> None:
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QVBoxLayout, QWidget

        from explorer.app.startup import make_application
        from explorer.document.document import Document
        from explorer.files import reader
        from explorer.views.graph.view import NetworkGraphView
        from explorer.views.panels.equation import EquationPanel

        state = reader.load(path)
        self._app = app = make_application()
        self.page = page = QWidget()
        self.document = document = Document(state, path, page)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(8, 8, 8, 8)
        self.graph = graph = NetworkGraphView(document, page)
        graph.set_text_factor(SLIDE_LABELS)
        self.equation = equation = EquationPanel(document)
        equation.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        equation.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        font = equation.font()
        font.setPointSizeF(font.pointSizeF() * SLIDE_TEXT * min(1.0, size[1] / SLIDE_SIZE[1]) ** 0.5)
        equation.setFont(font)
        equation.document().setDefaultFont(font)
        layout.addWidget(graph, 1)
        layout.addWidget(equation)
        page.resize(*size)
        page.show()
        app.processEvents()

        # One equation height for the deck (the tallest stage's, within limits): the graph keeps one size.
        needed = EQUATION_MIN_HEIGHT
        for index in range(len(document.stages)):
            document.set_stage(index)
            equation.flush()
            app.processEvents()
            needed = max(needed, int(equation.document().size().height()) + 2 * equation.frameWidth() + 8)
        equation.setFixedHeight(min(needed, int(size[1] * EQUATION_MAX_SHARE)))
        app.processEvents()
        # Fit once, at the stage with the most on the graph, and keep that zoom for every slide.
        document.set_stage(len(document.stages) - 1)
        app.processEvents()
        graph.fit_to_window()
        graph.zoom.user_zoomed = True
        app.processEvents()

    def slides(self) -> Iterator[tuple[int, Stage]]:
        """Show each stage in turn on the page; yield its index and the stage."""
        for index, stage in enumerate(self.document.stages):
            self.document.set_stage(index)
            self.equation.flush()
            self.equation.verticalScrollBar().setValue(0)
            self._app.processEvents()
            yield index, stage

    def close(self) -> None:
        """Close the page."""
        self.page.close()
        self.page.deleteLater()


class _PdfDeck:
    """A PDF of one page per slide, each drawn by the widgets' own painting (text stays text)."""

    def __init__(self, out: str, size: tuple[int, int]) -> None:
        from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QSizeF
        from PySide6.QtGui import QPageLayout, QPageSize, QPainter, QPdfWriter

        # Drawn into memory, then written through files.atomic: a failure never leaves half a deck.
        self._data = QByteArray()
        self._buffer = QBuffer(self._data)
        self._buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        self._writer = QPdfWriter(self._buffer)
        self._writer.setResolution(PDF_DPI)
        points = QSizeF(size[0] * 72 / PDF_DPI, size[1] * 72 / PDF_DPI)
        page_size = QPageSize(points, QPageSize.Unit.Point, "slide", QPageSize.SizeMatchPolicy.ExactMatch)
        no_margins = QMarginsF(0, 0, 0, 0)
        portrait = QPageLayout.Orientation.Portrait
        self._writer.setPageLayout(QPageLayout(page_size, portrait, no_margins, QPageLayout.Unit.Point))
        self._writer.setTitle(Path(out).stem)
        self._painter = QPainter()
        self._out = out

    def add_page(self, page: object, first: bool) -> None:
        """Draw `page` (a QWidget) on a new page of the PDF."""
        from PySide6.QtWidgets import QWidget

        assert isinstance(page, QWidget)
        if first:
            if not self._painter.begin(self._writer):
                raise OSError(f"could not write {self._out}")
        else:
            self._writer.newPage()
        from PySide6.QtCore import QPoint

        page.render(self._painter, QPoint(0, 0))

    def finish(self) -> None:
        """Close the PDF and write it to its file."""
        if self._painter.isActive():
            self._painter.end()
        self._buffer.close()
        write_atomic(self._out, bytes(self._data.data()))
