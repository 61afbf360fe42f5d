"""The few per-thing items of the graph: layer headings and the selected edge or neuron."""

from __future__ import annotations

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from explorer.views.graph.colors import GraphColors, with_alpha

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
    """A column heading that keeps its screen size at any zoom, over its column.

    It is given several ways to say the same thing, longest first, and shows the first whose lines
    all fit the room it has on screen; only when none fits is the shortest one elided. The room may
    be lopsided (the last column of a row has nothing to its right): then a wide heading is centred
    as far as its narrow side allows and reaches out on the other.
    """

    def __init__(
        self, variants: list[list[str]], colors: GraphColors, base_font: QFont, muted: bool = False
    ) -> None:
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations, True)
        self._colors = colors
        self._muted = muted  # a ghost column's heading: one quiet line
        self._base_font = QFont(base_font)
        self._pixels = HEADING_PIXELS
        self._fonts = heading_fonts(base_font)
        self._sized: dict[int, list[QFontMetricsF]] = {}
        self._advances: dict[tuple[int, str], float] = {}
        self._metrics = self._metrics_for(HEADING_PIXELS)
        self._room: tuple[float, ...] = (5_000.0,) * 4
        self._variants: list[list[str]] = [[]]
        self._reserve: list[list[str]] = [[]]
        self._shown: list[str] = []
        self._rect = QRectF()
        self.set_variants(variants)

    @staticmethod
    def height_for(lines: int, base_font: QFont, scale: float) -> float:
        """Return the pixel height of a heading of `lines` lines (for fitting the graph under it)."""
        metrics = [QFontMetricsF(font) for font in heading_fonts(base_font, heading_pixels(scale))]
        return metrics[0].height() + (lines - 1) * metrics[1].height() + HEADING_GAP

    @staticmethod
    def width_for(lines: list[str], base_font: QFont) -> float:
        """Return the pixel width of a heading of these lines at its smallest size."""
        metrics = [QFontMetricsF(font) for font in heading_fonts(base_font)]
        widths = [metrics[0 if n == 0 else 1].horizontalAdvance(line) for n, line in enumerate(lines)]
        return max(widths, default=0.0)

    def _font_index(self, n: int) -> int:
        return 0 if n == 0 and not self._muted else 1

    def _widths(self, lines: list[str], metrics: list[QFontMetricsF]) -> list[float]:
        widths = []
        for n, line in enumerate(lines):
            font = metrics[self._font_index(n)]
            key = (id(font), line)  # the metrics objects live as long as this item, in _sized
            if key not in self._advances:
                self._advances[key] = font.horizontalAdvance(line)
            widths.append(self._advances[key])
        return widths

    def _metrics_for(self, pixels: int) -> list[QFontMetricsF]:
        if pixels not in self._sized:  # fitting asks often, at a handful of sizes
            self._sized[pixels] = [QFontMetricsF(font) for font in heading_fonts(self._base_font, pixels)]
        return self._sized[pixels]

    def _choose(
        self, metrics: list[QFontMetricsF], room: tuple[float, ...], variants: list[list[str]] | None = None
    ) -> tuple[list[str], float, float]:
        """Return the first variant that fits the room, else the first that fits the stretched room,
        else the shortest; with the room it takes (left, right)."""
        variants = variants or self._variants
        left, right, far_left, far_right = room
        for limits in ((left, right), (far_left, far_right)):
            for variant in variants:
                if max(self._widths(variant, metrics), default=0.0) <= sum(limits):
                    return variant, *limits
        return variants[-1], far_left, far_right

    @staticmethod
    def _span(width: float, left: float, right: float) -> tuple[float, float]:
        """Return how far a heading `width` wide reaches left and right of its column in this room."""
        if width / 2 <= min(left, right):
            return width / 2, width / 2
        if left < right:
            return left, min(width - left, right)
        return min(width - right, left), right

    @staticmethod
    def _room_of(room: tuple[float, ...]) -> tuple[float, ...]:
        left, right = max(room[0], 20.0), max(room[1], 20.0)
        far = room[2:] if len(room) == 4 else (left, right)
        return left, right, max(far[0], left), max(far[1], right)

    def extents(self, scale: float, *room: float) -> tuple[float, float]:
        """Return how many pixels the heading (with its reserve) reaches left and right of its column
        at zoom `scale`, given the room either side: (left, right), or (left, right, at most left, at
        most right)."""
        metrics = self._metrics_for(heading_pixels(scale))
        lines, left, right = self._choose(metrics, self._room_of(room), self._reserve)
        return self._span(max(self._widths(lines, metrics), default=0.0), left, right)

    def set_scale(self, scale: float, *room: float) -> None:
        """Size the text for a graph zoomed by `scale`; shorten it to fit the room, given as (left,
        right) pixels either side of the column, or (left, right, at most left, at most right) for
        a heading that may reach further out when no shorter variant fits the first room."""
        pixels = heading_pixels(scale)
        if pixels != self._pixels:
            self._pixels = pixels
            self._fonts = heading_fonts(self._base_font, pixels)
            self._metrics = self._metrics_for(pixels)
            self._room = (-1.0,) * 4  # force a relayout
        self.set_room(*room)

    def lines(self) -> list[str]:
        """Return the heading text as painted (shortened when the column is narrow on screen)."""
        return list(self._shown)

    def set_variants(self, variants: list[list[str]], reserve: list[list[str]] | None = None) -> None:
        """Show new heading text, given as variants from the longest to the shortest; `reserve` is
        text it may grow to at a later stage (J), which the fit makes room for (see extents)."""
        variants = [list(v) for v in variants] or [[]]
        reserve = [list(v) for v in reserve] if reserve else variants
        if (variants, reserve) == (self._variants, self._reserve):
            return  # most steps and edits leave a heading as it was
        self._variants, self._reserve = variants, reserve
        self._relayout()

    def set_lines(self, lines: list[str]) -> None:
        """Show new heading text with no shorter variant."""
        self.set_variants([lines])

    def set_room(self, *room: float) -> None:
        """Shorten the text to fit the room around the column (see set_scale)."""
        room = self._room_of(room)
        if len(room) != len(self._room) or any(abs(a - b) > 0.5 for a, b in zip(room, self._room)):
            self._room = room
            self._relayout()

    def set_colors(self, colors: GraphColors) -> None:
        """Repaint with new palette colours."""
        self._colors = colors
        self.update()

    def _relayout(self) -> None:
        self.prepareGeometryChange()
        chosen, left, right = self._choose(self._metrics, self._room)
        self._shown = [
            self._metrics[self._font_index(n)].elidedText(line, Qt.TextElideMode.ElideRight, left + right)
            for n, line in enumerate(chosen)
        ]
        width = max(self._widths(self._shown, self._metrics), default=0.0)
        reach_left, _ = self._span(width, left, right)
        height = sum(self._metrics[self._font_index(n)].height() for n in range(len(self._shown)))
        self._rect = QRectF(-reach_left - 2, -height - HEADING_GAP, width + 4, height)
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt's name
        return self._rect

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
        y = self._rect.top()
        for n, line in enumerate(self._shown):
            index = self._font_index(n)
            metrics = self._metrics[index]
            painter.setFont(self._fonts[index])
            painter.setPen(self._colors.text if index == 0 else self._colors.muted)
            row = QRectF(self._rect.left(), y, self._rect.width(), metrics.height())
            painter.drawText(row, Qt.AlignmentFlag.AlignCenter, line)
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

    def set_edge(self, start: QPointF, end: QPointF, width: float, colour: QColor) -> None:
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

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        glow = QPen(
            with_alpha(self._colors.selection, 110),
            self._width + 9,
            Qt.PenStyle.SolidLine,
            Qt.PenCapStyle.RoundCap,
        )
        glow.setCosmetic(True)
        painter.setPen(glow)
        painter.drawLine(self._line)
        core = QPen(
            self._colors.selection, max(self._width, 2.5), Qt.PenStyle.SolidLine, Qt.PenCapStyle.RoundCap
        )
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

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, True)
        pen = QPen(self._colors.selection, 4.0)
        pen.setCosmetic(True)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawEllipse(self._rect)
