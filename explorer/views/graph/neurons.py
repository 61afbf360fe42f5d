"""All the neurons of the network as one graphics item: circles, names, biases and numbers.

Text is painted only for the neurons inside the exposed area and only when it would be readable at
the current zoom, so a 784-neuron column costs a few hundred ellipses and no text at fit zoom.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from explorer.views.graph.colors import GraphColors, with_alpha
from explorer.views.graph.edges import to_rect
from explorer.views.graph.layout import BESIDE_GAP, BIAS_ABOVE, BLOCK_GAP, Ghost, GraphLayout, Rect
from explorer.views.graph.text import NeuronText

NAME_PX, NUMBER_PX, BIAS_PX, COMPACT_PX = 15.0, 14.0, 12.0, 5.0
LINE_HEIGHT = 1.22  # of the font's pixel size
MIN_TEXT_PX = 6.5  # below this on screen, text is noise: leave it out
MIN_RADIUS_PX = 1.6
GRID_GAP = 10.0  # between the two columns of numbers beside a circle
GRID_PAIRS = (("b", "y"), ("z", "a"), ("e", "δ"))
TEXT_REACH = 12.0  # how far drawn text may stick out of a neuron's layout box (scene units)


def scene_font(pixels: float, bold: bool = False) -> QFont:
    """Return a font sized in scene units, so it zooms with the graph."""
    font = QFont()
    font.setPixelSize(max(1, round(pixels)))
    font.setBold(bold)
    return font


def grid_rows(cells: list[tuple[str, str]]) -> list[list[tuple[str, str] | None]]:
    """Return (text, font) cells paired in rows of two as drawn beside a circle: b with y, z with a,
    e with δ (matched by the symbol before " ="); anything else on a row of its own."""
    named = {text.split(" ", 1)[0]: (text, font) for text, font in cells}
    rows = [[named.pop(a, None), named.pop(b, None)] for a, b in GRID_PAIRS]
    rows = [row for row in rows if row[0] or row[1]]
    return rows + [[cell, None] for cell in named.values()]


class NeuronBatchItem(QGraphicsItem):
    """Every neuron: a circle with its name, its bias above and its revealed numbers below."""

    def __init__(self, layout: GraphLayout, colors: GraphColors, text_for: Callable[[int, int], NeuronText]):
        super().__init__()
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemUsesExtendedStyleOption, True)
        self._layout = layout
        self._colors = colors
        self._text_for = text_for
        self._highlight: frozenset = frozenset()
        self._fonts = {
            "name": scene_font(NAME_PX, bold=True),
            "number": scene_font(NUMBER_PX),
            "fresh": scene_font(NUMBER_PX, bold=True),
            "bias": scene_font(BIAS_PX),
            "compact": scene_font(COMPACT_PX),
        }
        self._metrics = {key: QFontMetricsF(font) for key, font in self._fonts.items()}
        box = layout.content_rect()
        self._bounds = QRectF(box.left, box.top, box.width, box.height).adjusted(-12, -12, 12, 12)

    def set_highlight(self, neurons: frozenset) -> None:
        """Light up these (k, i) neurons with the stage accent."""
        if neurons != self._highlight:
            self._highlight = frozenset(neurons)
            self.update()

    def set_colors(self, colors: GraphColors) -> None:
        """Repaint with new palette colours."""
        self._colors = colors
        self.update()

    def boundingRect(self) -> QRectF:  # noqa: N802 - Qt's name
        return self._bounds

    # --- what is drawn -----------------------------------------------------------------
    def text_visible(self, k: int, scale: float) -> bool:
        """Return True if layer k's text is readable (and so drawn) at this zoom."""
        pixels = COMPACT_PX if self._layout.compact[k] else NUMBER_PX
        return pixels * scale >= MIN_TEXT_PX

    def drawn_text(self, k: int, i: int, scale: float) -> str:
        """Return the text painted in and around neuron i of layer k at this zoom."""
        if not self.text_visible(k, scale):
            return ""
        text = self._text_for(k, i)
        return text.compact() if self._layout.compact[k] else text.joined()

    # --- painting ----------------------------------------------------------------------
    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        scale = painter.worldTransform().m11()
        area = to_rect(option.exposedRect)
        margin = 2.0 / max(scale, 1e-9)
        for k in range(len(self._layout.sizes)):
            indices = self._layout.visible_neurons(k, area, margin)
            if len(indices) == 0:
                continue
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, len(indices) <= 400 or scale > 0.5)
            self._paint_circles(painter, k, float(self._layout.xs[k]), self._layout.ys[k], indices)
            if self.text_visible(k, scale):
                painter.setRenderHint(QPainter.RenderHint.TextAntialiasing, True)
                for i in indices:
                    if self._layout.compact[k]:
                        self._paint_compact_text(painter, k, i)
                    else:
                        self._paint_text(painter, k, i)
        for ghost in self._layout.ghosts:
            self._paint_ghost(painter, ghost, self.text_visible(ghost.column, scale))

    def _paint_circles(
        self, painter: QPainter, k: int, x: float, ys: np.ndarray, indices: range, ghost: bool = False
    ) -> None:
        colors = self._colors
        scale = painter.worldTransform().m11()
        # Never smaller than a visible dot: a zoomed-out 784-neuron column still reads as a column.
        r = max(float(self._layout.radius[k]), MIN_RADIUS_PX / max(scale, 1e-9))
        compact = self._layout.compact[k]
        lit = [i for i in indices if (k, i) in self._highlight]
        if lit:
            # A soft halo reads as "this is what the stage is about" in both themes.
            glow = r + (3.0 if compact else 9.0) * min(1.0, r / float(self._layout.radius[k]))
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(with_alpha(colors.accent, 120 if colors.dark else 140))
            for i in lit:
                painter.drawEllipse(QRectF(x - glow, ys[i] - glow, 2 * glow, 2 * glow))
        normal = QPen(colors.neuron_outline if self._highlight else colors.text, 1.0 if compact else 2.0)
        ring = colors.accent if colors.dark else colors.accent.darker(115)
        accent = QPen(ring, 1.5 if compact else 3.0)
        for pen in (normal, accent):
            pen.setCosmetic(True)
            if ghost:
                pen.setStyle(Qt.PenStyle.DashLine)
        painter.setBrush(colors.neuron_fill)
        lit_set = set(lit)
        for i in indices:
            painter.setPen(accent if i in lit_set else normal)
            painter.drawEllipse(QRectF(x - r, ys[i] - r, 2 * r, 2 * r))

    def _blocks(self, k: int, i: int, text: NeuronText) -> list[tuple[QRectF, bool, list]]:
        """Return where the bias and the numbers of a neuron go: per block its rect, whether it has a
        backdrop, and its lines as (row rect, text, font key). Painting and tests both use this."""
        x, y = self._layout.neuron(k, i)
        r = float(self._layout.radius[k])
        step = NUMBER_PX * LINE_HEIGHT
        cells = [(line, "fresh" if n in text.fresh else "number") for n, line in enumerate(text.lines)]
        blocks = []
        if self._layout.beside:
            # Bias and numbers in pairs to the right of the circle: b and y, z and a, e and δ.
            rows = grid_rows(([(text.bias, "bias")] if text.bias else []) + cells)
            left = x + r + BESIDE_GAP
            top = y - (len(rows) * step + 4) / 2
        else:
            if text.bias:
                width = self._metrics["bias"].horizontalAdvance(text.bias) + 8
                rect = QRectF(x - width / 2, y - r - BIAS_ABOVE - 2, width, BIAS_ABOVE - 6)
                blocks.append((rect, False, [(rect, text.bias, "bias")]))
            rows = [[cell, None] for cell in cells]
            width = max((self._metrics[f].horizontalAdvance(t) for t, f in cells), default=0.0)
            left, top = x - width / 2 - 5, y + r + BLOCK_GAP
        if not rows:
            return blocks
        advance = {font: metrics.horizontalAdvance for font, metrics in self._metrics.items()}
        widths = [max((advance[f](t) for t, f in filter(None, col)), default=0.0) for col in zip(*rows)]
        gap = GRID_GAP if widths[1] else 0.0
        rect = QRectF(left, top, widths[0] + gap + widths[1] + 10, len(rows) * step + 4)
        lines = []
        for n, row in enumerate(rows):
            column_left = left + 5
            for cell, width in zip(row, widths):
                if cell:
                    lines.append((QRectF(column_left, top + 2 + n * step, width, step), *cell))
                column_left += width + gap
        blocks.append((rect, True, lines))
        return blocks

    def drawn_rects(self, k: int, i: int) -> list[QRectF]:
        """Return the scene rectangles neuron i of layer k paints on: its circle and its text blocks."""
        x, y = self._layout.neuron(k, i)
        r = float(self._layout.radius[k])
        circle = QRectF(x - r, y - r, 2 * r, 2 * r)
        if self._layout.compact[k]:
            return [circle]
        return [circle] + [rect for rect, _, _ in self._blocks(k, i, self._text_for(k, i))]

    def text_at(self, x: float, y: float, scale: float) -> tuple[int, int] | None:
        """Return (k, i) of the neuron whose drawn bias or numbers hold the point, or None.

        Only the one or two neurons of a column whose boxes may reach the point are looked at.
        """
        spot = Rect(x, y, x, y)
        for k in range(len(self._layout.sizes)):
            if self._layout.compact[k] or not self.text_visible(k, scale):
                continue  # no text drawn there to point at
            for i in self._layout.visible_neurons(k, spot, TEXT_REACH):
                if any(rect.contains(x, y) for rect in self.drawn_rects(k, i)[1:]):
                    return k, i
        return None

    def _paint_text(self, painter: QPainter, k: int, i: int) -> None:
        colors = self._colors
        x, y = self._layout.neuron(k, i)
        r = float(self._layout.radius[k])
        text = self._text_for(k, i)
        painter.setPen(colors.text)
        painter.setFont(self._fonts["name"])
        painter.drawText(QRectF(x - r, y - r, 2 * r, 2 * r), Qt.AlignmentFlag.AlignCenter, text.name)
        # Edges run under the numbers beside a circle: a firmer backdrop keeps them clean there.
        fill = with_alpha(colors.label_fill, 245) if self._layout.beside else colors.label_fill
        for rect, backdrop, lines in self._blocks(k, i, text):
            if backdrop:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(fill)
                painter.drawRoundedRect(rect, 5, 5)
            for row, line, font in lines:
                painter.setFont(self._fonts[font])
                painter.setPen(colors.muted if font == "bias" else colors.text)
                align = (
                    Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignBottom
                    if not backdrop
                    else Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
                )
                painter.drawText(row, align, line)

    def _paint_ghost(self, painter: QPainter, ghost: Ghost, with_name: bool) -> None:
        """Draw a dashed copy of a column at the start of the next row, where its edges continue."""
        k = ghost.column
        self._paint_circles(painter, k, ghost.x, ghost.ys, range(len(ghost.ys)), ghost=True)
        if not with_name or self._layout.compact[k]:
            return
        r = float(self._layout.radius[k])
        painter.setPen(self._colors.muted)
        painter.setFont(self._fonts["name"])
        for i, y in enumerate(ghost.ys):
            rect = QRectF(ghost.x - r, float(y) - r, 2 * r, 2 * r)
            painter.drawText(rect, Qt.AlignmentFlag.AlignCenter, self._text_for(k, i).name)

    def _paint_compact_text(self, painter: QPainter, k: int, i: int) -> None:
        line = self._text_for(k, i).compact()
        if not line:
            return
        x, y = self._layout.neuron(k, i)
        r = float(self._layout.radius[k])
        metrics = self._metrics["compact"]
        width = metrics.horizontalAdvance(line)
        height = metrics.height()
        box = QRectF(x + r + 1.5, y - height / 2, width + 2, height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(self._colors.label_fill)
        painter.drawRect(box)
        painter.setPen(self._colors.text)
        painter.setFont(self._fonts["compact"])
        painter.drawText(box, Qt.AlignmentFlag.AlignCenter, line)
