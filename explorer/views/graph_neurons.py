"""All the neurons of the network as one graphics item: circles, names, biases and numbers.

Text is painted only for the neurons inside the exposed area and only when it would be readable at
the current zoom, so a 784-neuron column costs a few hundred ellipses and no text at fit zoom.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QPainter, QPen
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from .graph_colors import GraphColors, with_alpha
from .graph_edges import to_rect
from .graph_layout import BIAS_ABOVE, BLOCK_GAP, GraphLayout
from .graph_text import NeuronText

NAME_PX, NUMBER_PX, BIAS_PX, COMPACT_PX = 15.0, 14.0, 12.0, 5.0
LINE_HEIGHT = 1.22  # of the font's pixel size
MIN_TEXT_PX = 6.5  # below this on screen, text is noise: leave it out
MIN_RADIUS_PX = 1.6


def scene_font(pixels: float, bold: bool = False) -> QFont:
    """Return a font sized in scene units, so it zooms with the graph."""
    font = QFont()
    font.setPixelSize(max(1, round(pixels)))
    font.setBold(bold)
    return font


class NeuronBatchItem(QGraphicsItem):
    """Every neuron: a circle with its name, its bias above and its revealed numbers below."""

    def __init__(self, layout: GraphLayout, colors: GraphColors, text_for: Callable[[int, int], NeuronText]):
        super().__init__()
        self.setFlag(QGraphicsItem.ItemUsesExtendedStyleOption, True)
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
    def paint(self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None):
        scale = painter.worldTransform().m11()
        area = to_rect(option.exposedRect)
        margin = 2.0 / max(scale, 1e-9)
        for k in range(len(self._layout.sizes)):
            indices = self._layout.visible_neurons(k, area, margin)
            if len(indices) == 0:
                continue
            painter.setRenderHint(QPainter.Antialiasing, len(indices) <= 400 or scale > 0.5)
            self._paint_circles(painter, k, indices)
            if self.text_visible(k, scale):
                painter.setRenderHint(QPainter.TextAntialiasing, True)
                for i in indices:
                    if self._layout.compact[k]:
                        self._paint_compact_text(painter, k, i)
                    else:
                        self._paint_text(painter, k, i)

    def _paint_circles(self, painter: QPainter, k: int, indices: range) -> None:
        colors = self._colors
        x = float(self._layout.xs[k])
        ys = self._layout.ys[k]
        scale = painter.worldTransform().m11()
        # Never smaller than a visible dot: a zoomed-out 784-neuron column still reads as a column.
        r = max(float(self._layout.radius[k]), MIN_RADIUS_PX / max(scale, 1e-9))
        compact = self._layout.compact[k]
        lit = [i for i in indices if (k, i) in self._highlight]
        if lit:
            # A soft halo reads as "this is what the stage is about" in both themes.
            glow = r + (3.0 if compact else 9.0) * min(1.0, r / float(self._layout.radius[k]))
            painter.setPen(Qt.NoPen)
            painter.setBrush(with_alpha(colors.accent, 120 if colors.dark else 140))
            for i in lit:
                painter.drawEllipse(QRectF(x - glow, ys[i] - glow, 2 * glow, 2 * glow))
        normal = QPen(colors.neuron_outline if self._highlight else colors.text, 1.0 if compact else 2.0)
        ring = colors.accent if colors.dark else colors.accent.darker(115)
        accent = QPen(ring, 1.5 if compact else 3.0)
        for pen in (normal, accent):
            pen.setCosmetic(True)
        painter.setBrush(colors.neuron_fill)
        lit_set = set(lit)
        for i in indices:
            painter.setPen(accent if i in lit_set else normal)
            painter.drawEllipse(QRectF(x - r, ys[i] - r, 2 * r, 2 * r))

    def _paint_text(self, painter: QPainter, k: int, i: int) -> None:
        colors = self._colors
        x, y = self._layout.neuron(k, i)
        r = float(self._layout.radius[k])
        text = self._text_for(k, i)
        painter.setPen(colors.text)
        painter.setFont(self._fonts["name"])
        painter.drawText(QRectF(x - r, y - r, 2 * r, 2 * r), Qt.AlignCenter, text.name)
        if text.bias:
            painter.setFont(self._fonts["bias"])
            painter.setPen(colors.muted)
            width = self._metrics["bias"].horizontalAdvance(text.bias) + 8
            painter.drawText(
                QRectF(x - width / 2, y - r - BIAS_ABOVE - 2, width, BIAS_ABOVE - 6),
                Qt.AlignHCenter | Qt.AlignBottom,
                text.bias,
            )
        if not text.lines:
            return
        number_metrics, fresh_metrics = self._metrics["number"], self._metrics["fresh"]
        width = max(
            (fresh_metrics if n in text.fresh else number_metrics).horizontalAdvance(line)
            for n, line in enumerate(text.lines)
        )
        step = NUMBER_PX * LINE_HEIGHT
        block = QRectF(x - width / 2 - 5, y + r + BLOCK_GAP, width + 10, step * len(text.lines) + 4)
        painter.setPen(Qt.NoPen)
        painter.setBrush(colors.label_fill)
        painter.drawRoundedRect(block, 5, 5)
        painter.setPen(colors.text)
        for n, line in enumerate(text.lines):
            painter.setFont(self._fonts["fresh" if n in text.fresh else "number"])
            row = QRectF(block.left() + 5, block.top() + 2 + n * step, width, step)
            painter.drawText(row, Qt.AlignLeft | Qt.AlignVCenter, line)

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
        painter.setPen(Qt.NoPen)
        painter.setBrush(self._colors.label_fill)
        painter.drawRect(box)
        painter.setPen(self._colors.text)
        painter.setFont(self._fonts["compact"])
        painter.drawText(box, Qt.AlignCenter, line)
