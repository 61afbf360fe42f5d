"""The plot panels' axes: drawn fast, cached by make_plot, and labelled 1, 2, 5 × 10ⁿ on a log scale.

pyqtgraph redraws an axis, grid lines included, through a QPicture on every paint; here an axis
works out its ticks when they change and draws them as plain pixels (see PlotAxis.drawPicture).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage, QPainter, QTransform
from PySide6.QtWidgets import QStyleOptionGraphicsItem, QWidget

from explorer.text.notation import superscript


def log_tick_text(value: float) -> str:
    """Return a tick label for a log axis: plain for 0.001..9999, else 10ⁿ or m·10ⁿ."""
    exponent = int(np.floor(np.log10(value) + 1e-9))
    mantissa = round(value / 10.0**exponent)
    if -3 <= exponent <= 3:
        return f"{value:.{max(0, -exponent)}f}"
    power = "10" + superscript(exponent)
    return power if mantissa == 1 else f"{mantissa}·{power}"


_SPECS_READY = object()  # stands in for pyqtgraph's QPicture: "the ticks are worked out"


class PlotAxis(pg.AxisItem):
    """An axis that draws its ticks, grid and labels straight onto the painter.

    pyqtgraph records an axis into a QPicture and replays it on every paint; replaying its text
    costs ~3 ms an axis, ten times drawing it. make_plot caches each axis as a pixmap instead, so
    this paint runs only when the axis really changes.
    """

    _specs: tuple | None = None
    picture: object  # pyqtgraph's QPicture of the axis, None when stale; here _SPECS_READY once worked out

    def updateAutoSIPrefix(self) -> None:  # noqa: N802 - pyqtgraph's name
        # pyqtgraph 0.14 scales the ticks to an SI prefix even with the prefix disabled whenever the
        # log mode changes: a log axis of J from 0.0007 to 0.13 was labelled 1 to 100 (milli, unsaid).
        if self.autoSIPrefix:
            super().updateAutoSIPrefix()
            return
        self.autoSIPrefixScale = 1.0
        self.labelUnitPrefix = ""
        self._updateLabel()

    def paint(  # noqa: ARG002 - pyqtgraph's signature
        self, p: QPainter, opt: QStyleOptionGraphicsItem, widget: QWidget | None
    ) -> None:
        p.save()  # restored even if drawing fails: Qt crashes on a painter left saved
        try:
            if self.picture is None:  # pyqtgraph's mark that the ticks must be worked out again
                if self.style["tickFont"]:
                    p.setFont(self.style["tickFont"])
                self._specs = self.generateDrawSpecs(p)
                self.picture = _SPECS_READY
            if self._specs is not None:
                self.drawPicture(p, *self._specs)
        finally:
            p.restore()

    def drawPicture(  # noqa: N802, N803 - pyqtgraph's names
        self, p: QPainter, axisSpec: tuple, tickSpecs: list[tuple], textSpecs: list[tuple]
    ) -> None:
        """Draw the axis line, the ticks and grid lines, and the labels (the same pixels as pyqtgraph).

        The grid lines are translucent, and Qt's raster engine draws a translucent line ~30× slower
        than it fills a translucent rectangle: a horizontal line is filled as a one-pixel-high
        rectangle, and the vertical lines of one height are set in a one-row image stretched to
        that height. That takes an axis from ~5-10 ms to ~1 ms.
        """
        p.setRenderHint(p.RenderHint.Antialiasing, False)
        p.setRenderHint(p.RenderHint.TextAntialiasing, True)
        p.setRenderHint(p.RenderHint.SmoothPixmapTransform, False)
        # Only under a translation (no scaling, e.g. in a high-DPI cache) are the pixels known here.
        transform = p.transform()
        plain = transform.type().value <= QTransform.TransformationType.TxTranslate.value
        dx, dy = transform.dx(), transform.dy()
        rows: list[tuple[QRect, QColor]] = []
        columns: dict[tuple[int, int], list[tuple[int, QColor]]] = {}
        for pen, start, end in [axisSpec, *tickSpecs]:
            if plain and pen.isCosmetic() and pen.widthF() <= 1 and pen.style() == Qt.PenStyle.SolidLine:
                # Qt's aliased one-pixel line from a to b fills the device pixels floor(a)..floor(b).
                if start.x() == end.x():
                    top, bottom = sorted((math.floor(start.y() + dy), math.floor(end.y() + dy)))
                    columns.setdefault((top, bottom), []).append((math.floor(start.x() + dx), pen.color()))
                    continue
                if start.y() == end.y():
                    left, right = sorted((math.floor(start.x() + dx), math.floor(end.x() + dx)))
                    rows.append((QRect(left, math.floor(start.y() + dy), right - left + 1, 1), pen.color()))
                    continue
            p.setPen(pen)
            p.drawLine(start, end)
        if rows or columns:
            p.save()
            p.resetTransform()  # device pixels
            for rect, colour in rows:
                p.fillRect(rect, colour)
            for (top, bottom), lines in columns.items():
                _draw_columns(p, top, bottom, lines)
            p.restore()
        if self.style["tickFont"] is not None:
            p.setFont(self.style["tickFont"])
        p.setPen(self.textPen())
        p.setClipRect(self.boundingRect().toAlignedRect())
        for rect, flags, text in textSpecs:
            p.drawText(rect, int(flags), text)


def _draw_columns(p: QPainter, top: int, bottom: int, lines: list[tuple[int, QColor]]) -> None:
    """Fill device columns x from row top to bottom, each in its colour, as one stretched image row."""
    first = min(x for x, _ in lines)
    strip = QImage(max(x for x, _ in lines) - first + 1, 1, QImage.Format.Format_ARGB32_Premultiplied)
    strip.fill(Qt.GlobalColor.transparent)
    painter = QPainter(strip)  # blends lines that share a column, as drawing both would
    for x, colour in lines:
        painter.fillRect(x - first, 0, 1, 1, colour)
    painter.end()
    p.drawImage(QRect(first, top, strip.width(), bottom - top + 1), strip)


class LogFriendlyAxis(PlotAxis):
    """An axis whose log mode labels only 1, 2 and 5 × 10ⁿ (only 10ⁿ across many decades)."""

    def logTickStrings(  # noqa: N802 - pyqtgraph's name
        self, values: Iterable[float], scale: float, spacing: float
    ) -> list[str]:
        values = [10.0 ** float(v) * scale for v in values]
        if not values:
            return []
        decades = np.log10(max(values) / min(values)) if min(values) > 0 else 0.0
        keep = (1,) if decades > 3 else (1, 2, 5)
        strings = []
        for value in values:
            exponent = np.floor(np.log10(value) + 1e-9)
            mantissa = value / 10.0**exponent
            near = min(keep, key=lambda m: abs(m - mantissa))
            strings.append(log_tick_text(value) if abs(near - mantissa) < 1e-6 * near else "")
        return strings
