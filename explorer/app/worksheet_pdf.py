"""Print worksheets to PDF with QPdfWriter and QPainter: the text stays text (searchable and sharp).

Each exercise gets the network drawn with its numbers, the given values, and every stage's entries
with room to write; the answer key follows on pages of its own, every value worked out stage by
stage. A4 or Letter follows the locale (LC_PAPER, else QLocale's measurement system) unless chosen.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QLocale, QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPageLayout, QPageSize, QPainter, QPdfWriter, QPen

from explorer.files.atomic import write_atomic
from explorer.text.notation import notation_unicode
from explorer.text.practice import num
from explorer.text.worksheet import (
    INSTRUCTIONS,
    NOTATION,
    Worksheet,
    answer_line,
    neuron_label,
    working_line,
)

PAPERS = {"a4": QPageSize.PageSizeId.A4, "letter": QPageSize.PageSizeId.Letter}
# Territories that print on Letter although some of them measure in metric.
LETTER_TERRITORIES = frozenset(
    {
        QLocale.Country.UnitedStates,
        QLocale.Country.Canada,
        QLocale.Country.Mexico,
        QLocale.Country.Philippines,
        QLocale.Country.Chile,
        QLocale.Country.Colombia,
        QLocale.Country.Venezuela,
        QLocale.Country.PuertoRico,
    }
)
RESOLUTION = 72  # one device unit is one point; the PDF keeps text and lines as vectors anyway
MARGIN_MM = 16
ROW = 24.0  # points per line of answers, room to write


def locale_paper(locale_name: str | None = None) -> str:
    """Return "letter" or "a4" for a locale name (default: LC_PAPER, then the system locale)."""
    name = locale_name if locale_name is not None else os.environ.get("LC_PAPER", "")
    locale = QLocale(name.split(".")[0]) if name and name not in ("C", "POSIX") else QLocale()
    if locale.territory() in LETTER_TERRITORIES:
        return "letter"
    return "letter" if locale.measurementSystem() == QLocale.MeasurementSystem.ImperialUSSystem else "a4"


class _Pages:
    """A painter on a PDF in points, with a cursor that moves down and starts new pages."""

    def __init__(self, device: QBuffer, paper: str, title: str) -> None:
        self.writer = QPdfWriter(device)
        self.writer.setResolution(RESOLUTION)
        self.writer.setTitle(title)
        self.writer.setCreator("MLP Explorer")
        layout = QPageLayout(
            QPageSize(PAPERS[paper]),
            QPageLayout.Orientation.Portrait,
            QMarginsF(MARGIN_MM, MARGIN_MM, MARGIN_MM, MARGIN_MM),
            QPageLayout.Unit.Millimeter,
        )
        self.writer.setPageLayout(layout)
        self.painter = QPainter()
        if not self.painter.begin(self.writer):
            raise OSError("cannot start a PDF")
        paint = layout.paintRect(QPageLayout.Unit.Point)
        self.width, self.height = paint.width(), paint.height()
        self.y = 0.0
        self.pages = 1
        self.fresh = True

    def font(self, size: float, bold: bool = False, italic: bool = False) -> QFont:
        font = QFont("DejaVu Sans")
        font.setStyleHint(QFont.StyleHint.SansSerif)
        font.setPointSizeF(size)
        font.setBold(bold)
        font.setItalic(italic)
        font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
        return font

    def metrics(self, font: QFont) -> QFontMetricsF:
        return QFontMetricsF(font, self.writer)

    def new_page(self) -> None:
        if not self.fresh:
            self.writer.newPage()
            self.pages += 1
        self.y = 0.0
        self.fresh = True

    def need(self, height: float) -> None:
        if self.y + height > self.height:
            self.new_page()

    def text(
        self,
        text: str,
        size: float = 10,
        bold: bool = False,
        italic: bool = False,
        indent: float = 0.0,
        colour: str = "#000000",
        after: float = 2.0,
    ) -> None:
        font = self.font(size, bold, italic)
        width = self.width - indent
        metrics = self.metrics(font)
        box = metrics.boundingRect(QRectF(0, 0, width, 10000), Qt.TextFlag.TextWordWrap, text)
        self.need(box.height())
        self.painter.setFont(font)
        self.painter.setPen(QColor(colour))
        self.painter.drawText(QRectF(indent, self.y, width, box.height() + 2), Qt.TextFlag.TextWordWrap, text)
        self.y += box.height() + after
        self.fresh = False

    def rule(self, after: float = 6.0) -> None:
        self.painter.setPen(QPen(QColor("#888888"), 0.5))
        self.painter.drawLine(QPointF(0, self.y), QPointF(self.width, self.y))
        self.y += after

    def finish(self) -> None:
        self.painter.end()


def _draw_network(pages: _Pages, sheet: Worksheet, height: float) -> None:
    network = sheet.stepper.network
    trace = sheet.stepper.trace
    sizes = network.sizes
    last = len(sizes) - 1
    painter = pages.painter
    pages.need(height)
    top = pages.y
    side = 70.0  # room for x = … on the left and y = … on the right
    span = pages.width - 2 * side
    heading_room = 16.0
    body = height - heading_room
    radius = min(15.0, body / (2 * max(sizes)) - 6)

    def centre(k: int, i: int) -> QPointF:
        x = side + span * k / max(last, 1)
        return QPointF(x, top + 10 + body * (i + 0.5) / sizes[k])

    small, label_font = pages.font(7.5), pages.font(8.5)
    edge_pen = QPen(QColor("#5b7fa6"), 0.8)
    for k, layer in enumerate(network.layers, start=1):
        for i in range(layer.size):
            for j in range(layer.input_size):
                start, end = centre(k - 1, j), centre(k, i)
                painter.setPen(edge_pen)
                painter.drawLine(start + QPointF(radius, 0), end - QPointF(radius, 0))
        # Labels after the lines of the layer, each on a white box, at staggered places along its edge.
        painter.setFont(small)
        metrics = pages.metrics(small)
        for i in range(layer.size):
            for j in range(layer.input_size):
                start, end = centre(k - 1, j) + QPointF(radius, 0), centre(k, i) - QPointF(radius, 0)
                # Falling edges are labelled near their source, rising ones near their target and level
                # ones midway: the labels of two crossing edges never meet at the crossing.
                rise = end.y() - start.y()
                t = 0.5 if abs(rise) < 1 else (0.28 if rise > 0 else 0.72)
                point = start + (end - start) * t
                text = num(layer.weights[i, j])
                w, h = metrics.horizontalAdvance(text) + 4, metrics.height()
                box = QRectF(point.x() - w / 2, point.y() - h / 2, w, h)
                painter.setPen(QPen(QColor("#5b7fa6"), 0.5))
                painter.setBrush(QColor("#ffffff"))
                painter.drawRoundedRect(box, 2, 2)
                painter.setPen(QColor("#000000"))
                painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
    painter.setBrush(QColor("#ffffff"))
    for k, n in enumerate(sizes):
        bias = network.layer(k).bias if k > 0 else None
        for i in range(n):
            point = centre(k, i)
            painter.setPen(QPen(QColor("#000000"), 1.0))
            painter.setBrush(QColor("#ffffff"))
            painter.drawEllipse(point, radius, radius)
            painter.setFont(label_font)
            box = QRectF(point.x() - radius, point.y() - radius, 2 * radius, 2 * radius)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, neuron_label(k, i, last))
            painter.setFont(small)
            if bias is not None:
                painter.drawText(
                    QRectF(point.x() - 40, point.y() - radius - 12, 80, 11),
                    Qt.AlignmentFlag.AlignCenter,
                    f"b = {num(bias[i])}",
                )
            if k == 0:
                painter.drawText(
                    QRectF(point.x() - radius - side, point.y() - 6, side - 4, 12),
                    Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                    f"x{neuron_label(0, i, last)[1:]} = {num(trace.x[i])}",
                )
            if k == last:
                painter.drawText(
                    QRectF(point.x() + radius + 4, point.y() - 6, side, 12),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    f"y{neuron_label(0, i, last)[1:]} = {num(trace.y[i])}",
                )
        heading = "input" if k == 0 else f"layer {k} · {network.layer(k).activation}"
        if k == last:
            heading = f"output, layer {k} · {network.layer(k).activation}"
        painter.setPen(QColor("#444444"))
        painter.drawText(
            QRectF(centre(k, 0).x() - 70, top + height - heading_room, 140, heading_room),
            Qt.AlignmentFlag.AlignCenter,
            heading,
        )
    painter.setBrush(Qt.BrushStyle.NoBrush)
    pages.y = top + height + 6
    pages.fresh = False


def _exercise_pages(pages: _Pages, sheet: Worksheet) -> None:
    pages.new_page()
    pages.text(sheet.title, 16, bold=True, after=2)
    pages.text(sheet.subtitle, 9, colour="#333333", after=6)
    pages.text("Name: ______________________________        Date: ______________", 10, after=8)
    pages.text(INSTRUCTIONS, 9.5, after=4)
    for line in NOTATION:
        pages.text(notation_unicode(line), 9, colour="#333333", indent=12, after=1)
    pages.y += 6
    biggest = max(sheet.network_sizes)
    _draw_network(pages, sheet, min(60.0 + 42.0 * biggest, 250.0))
    pages.text("Given", 11, bold=True, after=2)
    for line in sheet.given:
        pages.text(line, 9, indent=12, after=1)
    pages.y += 6
    pages.text("Compute", 11, bold=True, after=4)
    columns = 3
    column_width = pages.width / columns
    for section in sheet.sections:
        rows = -(-len(section.questions) // columns)
        pages.need(14 + 12 * len(section.formulas) + ROW * rows + 8)
        pages.text(f"Stage {section.number}. {section.title}", 10, bold=True, after=1)
        for formula in section.formulas:
            pages.text(formula, 9, italic=True, indent=12, colour="#333333", after=1)
        font = pages.font(10)
        pages.painter.setFont(font)
        pages.painter.setPen(QColor("#000000"))
        for index, question in enumerate(section.questions):
            row, column = divmod(index, columns)
            x = 12 + column * column_width
            y = pages.y + row * ROW
            label = question.label + " ="
            pages.painter.drawText(QRectF(x, y + 4, column_width, ROW), Qt.AlignmentFlag.AlignLeft, label)
            label_width = pages.metrics(font).horizontalAdvance(label) + 4
            pages.painter.setPen(QPen(QColor("#999999"), 0.5))
            line_y = y + ROW - 6
            pages.painter.drawLine(QPointF(x + label_width, line_y), QPointF(x + column_width - 18, line_y))
            pages.painter.setPen(QColor("#000000"))
        pages.y += rows * ROW + 8


def _answer_pages(pages: _Pages, sheet: Worksheet) -> None:
    pages.new_page()
    pages.text(f"Answer key: {sheet.title}", 16, bold=True, after=2)
    pages.text(sheet.subtitle, 9, colour="#333333", after=4)
    pages.text(
        "Every value to 6 significant digits, worked stage by stage in the lecture's notation.", 9, after=8
    )
    for section in sheet.sections:
        pages.need(40)
        pages.text(f"Stage {section.number}. {section.title}", 10.5, bold=True, after=1)
        for formula in section.formulas:
            pages.text(formula, 9, italic=True, indent=12, colour="#333333", after=1)
        for question in section.questions:
            pages.need(26)
            pages.text(answer_line(question), 10, bold=True, indent=12, after=0)
            pages.text(working_line(question), 8.5, indent=28, colour="#444444", after=3)
        pages.y += 5


def write_worksheet(path: str, sheets: Sequence[Worksheet], paper: str | None = None) -> int:
    """Write the exercises, then their answer keys, to a PDF at `path`; return the number of pages.

    The PDF is made in memory and written with files.atomic, so a failed write leaves no half file.
    """
    chosen = paper or locale_paper()
    if chosen not in PAPERS:
        raise ValueError(f"paper {chosen!r} is not one of {', '.join(PAPERS)}")
    title = sheets[0].title if len(sheets) == 1 else "Backpropagation exercises"
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    pages = _Pages(buffer, chosen, title)
    try:
        for sheet in sheets:
            _exercise_pages(pages, sheet)
        for sheet in sheets:
            _answer_pages(pages, sheet)
    finally:
        pages.finish()
        count = pages.pages
        del pages.writer  # the writer finishes the PDF into the buffer when it goes
        buffer.close()
    write_atomic(path, bytes(data.data()))
    return count
