"""The few per-thing items of the graph: layer headings and the selected edge or neuron."""

from __future__ import annotations

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from .graph_colors import GraphColors, with_alpha

HEADING_PIXELS = 15  # about 11 pt: the smallest heading, for a zoomed-out graph
HEADING_MAX_PIXELS = 24  # headings grow with the zoom up to this, in step with the numbers
HEADING_GAP = 8.0  # pixels between a heading and the top of the graph


def heading_pixels(scale: float) -> int:
    """Return the heading font size in pixels for a graph zoomed by `scale`."""
    return int(min(max(14.0 * scale, HEADING_PIXELS), HEADING_MAX_PIXELS))


def heading_fonts(base: QFont, pixels: int = HEADING_PIXELS) -> tuple[QFont, QFont]:
    """Return the bold first-line font and the plain font of layer headings."""
    plain = QFont(base)
    plain.setPixelSize(pixels)
    bold = QFont(plain)
    bold.setBold(True)
    return bold, plain


class HeadingItem(QGraphicsItem):
    """A column heading that keeps its screen size at any zoom, centred over its column."""

    def __init__(self, lines: list[str], colors: GraphColors, base_font: QFont) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.ItemIgnoresTransformations, True)
        self._colors = colors
        self._base_font = QFont(base_font)
        self._pixels = HEADING_PIXELS
        self._fonts = heading_fonts(base_font)
        self._metrics = tuple(QFontMetricsF(font) for font in self._fonts)
        self._max_width = 10_000.0
        self._lines: list[str] = []
        self._shown: list[str] = []
        self._rect = QRectF()
        self.set_lines(lines)

    @staticmethod
    def height_for(lines: int, base_font: QFont, scale: float) -> float:
        """Return the pixel height of a heading of `lines` lines (for fitting the graph under it)."""
        metrics = [QFontMetricsF(font) for font in heading_fonts(base_font, heading_pixels(scale))]
        return metrics[0].height() + (lines - 1) * metrics[1].height() + HEADING_GAP

    def natural_width(self, scale: float) -> float:
        """Return the pixel width of the heading, not elided, at zoom `scale`."""
        fonts = heading_fonts(self._base_font, heading_pixels(scale))
        metrics = [QFontMetricsF(font) for font in fonts]
        widths = [metrics[0 if n == 0 else 1].horizontalAdvance(line) for n, line in enumerate(self._lines)]
        return max(widths, default=0.0)

    def set_scale(self, scale: float, max_width: float) -> None:
        """Size the text for a graph zoomed by `scale`; elide lines wider than `max_width` pixels."""
        pixels = heading_pixels(scale)
        if pixels != self._pixels:
            self._pixels = pixels
            self._fonts = heading_fonts(self._base_font, pixels)
            self._metrics = tuple(QFontMetricsF(font) for font in self._fonts)
            self._max_width = -1.0  # force a relayout
        self.set_max_width(max_width)

    def lines(self) -> list[str]:
        """Return the heading text as painted (elided when the column is narrow on screen)."""
        return list(self._shown)

    def set_lines(self, lines: list[str]) -> None:
        """Show new heading text."""
        self._lines = list(lines)
        self._relayout()

    def set_max_width(self, pixels: float) -> None:
        """Elide lines wider than `pixels` (the distance between columns on screen)."""
        pixels = max(pixels, 40.0)
        if abs(pixels - self._max_width) > 0.5:
            self._max_width = pixels
            self._relayout()

    def set_colors(self, colors: GraphColors) -> None:
        """Repaint with new palette colours."""
        self._colors = colors
        self.update()

    def _relayout(self) -> None:
        self.prepareGeometryChange()
        shown = []
        for n, line in enumerate(self._lines):
            metrics = self._metrics[0 if n == 0 else 1]
            shown.append(metrics.elidedText(line, Qt.ElideRight, self._max_width))
        self._shown = shown
        width = max((self._metrics[0 if n == 0 else 1].horizontalAdvance(s) for n, s in enumerate(shown)),
                    default=0.0)
        height = sum(self._metrics[0 if n == 0 else 1].height() for n in range(len(shown)))
        self._rect = QRectF(-width / 2 - 2, -height - HEADING_GAP, width + 4, height)
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt's name
        return self._rect

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None):
        painter.setRenderHint(QPainter.TextAntialiasing, True)
        y = self._rect.top()
        for n, line in enumerate(self._shown):
            metrics = self._metrics[0 if n == 0 else 1]
            painter.setFont(self._fonts[0 if n == 0 else 1])
            painter.setPen(self._colors.text if n == 0 else self._colors.muted)
            row = QRectF(self._rect.left(), y, self._rect.width(), metrics.height())
            painter.drawText(row, Qt.AlignCenter, line)
            y += metrics.height()


class SelectedEdgeItem(QGraphicsItem):
    """The selected edge, drawn over the others with a glow in the selection colour."""

    def __init__(self, colors: GraphColors) -> None:
        super().__init__()
        self._colors = colors
        self._line = QLineF()
        self._width = 2.0
        self.setZValue(0.5)
        self.hide()

    def set_edge(self, start: QPointF, end: QPointF, width: float, colour) -> None:
        """Show the selection on the segment from `start` to `end`, over an edge drawn `width` wide."""
        self.prepareGeometryChange()
        self._line = QLineF(start, end)
        self._width = width
        self._edge_colour = colour
        self.show()
        self.update()

    def set_colors(self, colors: GraphColors) -> None:
        """Repaint with new palette colours."""
        self._colors = colors
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt's name
        # The pens are cosmetic (pixel widths); a generous margin covers them at ordinary zooms.
        return QRectF(self._line.p1(), self._line.p2()).normalized().adjusted(-20, -20, 20, 20)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None):
        painter.setRenderHint(QPainter.Antialiasing, True)
        glow = QPen(with_alpha(self._colors.selection, 110), self._width + 9, Qt.SolidLine, Qt.RoundCap)
        glow.setCosmetic(True)
        painter.setPen(glow)
        painter.drawLine(self._line)
        core = QPen(self._colors.selection, max(self._width, 2.5), Qt.SolidLine, Qt.RoundCap)
        core.setCosmetic(True)
        painter.setPen(core)
        painter.drawLine(self._line)


class SelectedNeuronItem(QGraphicsItem):
    """A ring in the selection colour around the selected neuron."""

    def __init__(self, colors: GraphColors) -> None:
        super().__init__()
        self._colors = colors
        self._rect = QRectF()
        self.setZValue(3)
        self.hide()

    def set_neuron(self, centre: QPointF, radius: float) -> None:
        """Ring the neuron at `centre`."""
        self.prepareGeometryChange()
        grow = max(radius * 0.25, 2.0)
        r = radius + grow
        self._rect = QRectF(centre.x() - r, centre.y() - r, 2 * r, 2 * r)
        self.show()
        self.update()

    def set_colors(self, colors: GraphColors) -> None:
        """Repaint with new palette colours."""
        self._colors = colors
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt's name
        return self._rect.adjusted(-6, -6, 6, 6)

    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None):
        painter.setRenderHint(QPainter.Antialiasing, True)
        pen = QPen(self._colors.selection, 4.0)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(Qt.NoBrush)
        painter.drawEllipse(self._rect)
