"""A one-line message at the foot of the graph, e.g. what Apply update did to J: "J 0.2457 → 0.2304".

It goes at the bottom centre, on an opaque box: at stage 1 (where Apply update leads) the graph shows
no numbers there, and the headings at the top stay readable.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QColor, QFont, QPainter

from explorer.text.notation import format_number

BANNER_POINTS = 1.5  # times the view's font


def update_banner(before: float, after: float) -> str:
    """Return the line telling how one update changed the loss J of the sample."""
    change = after - before
    if change < 0:
        verdict = f"the loss dropped by {format_number(-change)}"
    elif change > 0:
        verdict = f"the loss rose by {format_number(change)}: try a smaller η"
    else:
        verdict = "the loss did not change"
    return f"Update applied: J {format_number(before)} → {format_number(after)}, {verdict}"


def paint_banner(
    painter: QPainter,
    text: str,
    font: QFont,
    size: tuple[int, int],
    colours: tuple[QColor, QColor],
    below: float = 0.0,
) -> QRectF:
    """Paint `text` at the bottom centre of a viewport of `size` pixels, `below` pixels above its foot
    (room for the corner note), in (fill, ink) `colours`; return where it went."""
    width, bottom = size
    fill, ink = colours
    painter.save()
    painter.resetTransform()
    big = QFont(font)
    big.setPointSizeF(max(font.pointSizeF(), 9.0) * BANNER_POINTS)
    big.setBold(True)
    painter.setFont(big)
    metrics = painter.fontMetrics()
    height = metrics.height() + 10
    text_width = metrics.horizontalAdvance(text) + 24
    top = bottom - height - 8 - below
    box = QRectF(max(4.0, (width - text_width) / 2), top, min(text_width, width - 8), height)
    painter.setPen(ink)
    painter.setBrush(fill)
    painter.drawRoundedRect(box, 6, 6)
    painter.setPen(ink)
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()
    return box
