"""A one-line message at the top of the graph, e.g. what Apply update did to J: "J 0.2457 → 0.2304"."""

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


def paint_banner(painter: QPainter, text: str, font: QFont, width: int, fill: QColor, ink: QColor) -> QRectF:
    """Paint `text` centred at the top of a viewport `width` pixels wide; return where it went."""
    painter.save()
    painter.resetTransform()
    big = QFont(font)
    big.setPointSizeF(max(font.pointSizeF(), 9.0) * BANNER_POINTS)
    big.setBold(True)
    painter.setFont(big)
    metrics = painter.fontMetrics()
    height = metrics.height() + 10
    text_width = metrics.horizontalAdvance(text) + 24
    box = QRectF(max(4.0, (width - text_width) / 2), 6, min(text_width, width - 8), height)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(fill)
    painter.drawRoundedRect(box, 6, 6)
    painter.setPen(ink)
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
    painter.restore()
    return box
