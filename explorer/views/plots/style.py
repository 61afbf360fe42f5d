"""Palette-aware colours, pens and fonts shared by the plot panels, and their common base class.

Colours come from the widget palette (background, text) or from the Okabe–Ito set, which stays
distinguishable for colour-blind viewers; each hue has a darker variant for light backgrounds and a
lighter one for dark backgrounds, so curves keep their contrast on a projector in either scheme.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QPaintEvent, QPalette, QPen, QShowEvent
from PySide6.QtWidgets import QGraphicsItem, QLabel, QWidget

from explorer.views.fields import error_color, is_dark, muted_color
from explorer.views.plots.axes import LogFriendlyAxis, PlotAxis
from explorer.views.visibility import on_screen

PLOT_POINT_SIZE = 11  # axis labels, ticks and legends: readable from the back of a lecture hall
NOTE_POINT_SIZE = 11

# Okabe–Ito hues: blue, orange, bluish green, vermillion, reddish purple, sky blue, yellow.
_SERIES_LIGHT = ("#0064a8", "#c77700", "#00805c", "#c24f00", "#a8437f", "#2f8fc7", "#8c7a00")
_SERIES_DARK = ("#5ab4f0", "#f0a830", "#30c896", "#ff7a3d", "#e28cc0", "#8fd3ff", "#f0e442")


@dataclass(frozen=True)
class PlotColors:
    """The colours of one palette: plot background, text, quieter text, warnings and curve hues."""

    dark: bool
    background: QColor
    text: QColor
    muted: QColor
    warning: QColor
    series: tuple[QColor, ...]

    def hue(self, index: int) -> QColor:
        """Return the index-th categorical colour (cycling)."""
        return QColor(self.series[index % len(self.series)])

    def faint(self, alpha: int = 90) -> QColor:
        """Return the text colour, translucent: for reference lines and grids."""
        colour = QColor(self.text)
        colour.setAlpha(alpha)
        return colour


def plot_colors(palette: QPalette) -> PlotColors:
    """Return the plot colours that read well on this palette."""
    dark = is_dark(palette)
    series = tuple(QColor(name) for name in (_SERIES_DARK if dark else _SERIES_LIGHT))
    return PlotColors(
        dark=dark,
        background=palette.color(QPalette.ColorRole.Base),
        text=palette.color(QPalette.ColorRole.Text),
        muted=muted_color(palette),
        warning=error_color(palette),
        series=series,
    )


def layer_ramp(count: int, palette: QPalette) -> list[QColor]:
    """Return `count` colours running from blue (layer 1, the input side) to orange-red (layer L)."""
    dark = is_dark(palette)
    # Hue 215° (blue) → 20° (orange-red) through purple, so neighbouring layers differ and the
    # ends are the two hues of the weights. Lightness lifted on dark backgrounds.
    hues = np.linspace(215.0, 380.0, max(count, 1)) % 360.0
    lightness = 0.68 if dark else 0.42
    return [QColor.fromHslF(h / 360.0, 0.75, lightness) for h in hues[:count]]


def class_colors(count: int, palette: QPalette) -> list[QColor]:
    """Return one colour per class (categorical hues, cycling past seven)."""
    colours = plot_colors(palette)
    return [colours.hue(i) for i in range(count)]


def pen(colour: QColor, width: float = 2.5, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    """Return a cosmetic pen (width in pixels at any zoom)."""
    result = pg.mkPen(colour, width=width, style=style)
    result.setCosmetic(True)
    return result


def set_log_data(curve: pg.PlotDataItem, x: np.ndarray, y: np.ndarray) -> None:
    """Give a curve on a log axis its data, gaps at zeros and NaN; none at all when nothing is positive.

    (pyqtgraph warns about an all-NaN range, and the tests turn warnings into errors.)
    """
    y = np.asarray(y, dtype=float)
    if len(y):
        top = np.max(y)  # one cheap pass; NaN if any entry is NaN
        if top > 0 or np.any(y[np.isfinite(y)] > 0):
            curve.setData(x, y, connect="finite")
            return
    curve.setData([], [])


def plot_font(point_size: int = PLOT_POINT_SIZE) -> QFont:
    """Return the font for ticks, legends and text items on the plots."""
    font = QFont()
    font.setPointSize(point_size)
    return font


def make_plot(x_label: str = "", y_label: str = "", parent: QWidget | None = None) -> pg.PlotWidget:
    """Return a PlotWidget with the panels' common settings (labels set, menu off, grid on)."""
    axes = {"left": LogFriendlyAxis("left"), "bottom": PlotAxis("bottom")}
    plot = pg.PlotWidget(parent=parent, axisItems=axes)
    item = plot.getPlotItem()
    item.setMenuEnabled(False)  # its options (FFT, log x ...) would confuse; the panels offer their own
    item.hideButtons()
    item.showGrid(x=True, y=True, alpha=0.18)
    if x_label:
        item.setLabel("bottom", x_label)
    if y_label:
        item.setLabel("left", y_label)
    for name in ("left", "bottom", "right", "top"):
        # An axis draws the grid across the whole plot, so without a cache every new curve point
        # repaints all grid lines and tick labels (~3-6 ms a paint). Cached, a paint is a blit; the
        # axis re-renders only when its range, pens or fonts change.
        item.getAxis(name).setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
    plot.setMinimumSize(200, 110)
    return plot


def style_plot(plot: pg.PlotWidget, colours: PlotColors) -> None:
    """Apply the palette's background, text colour and fonts to a plot's axes and legend."""
    plot.setBackground(colours.background)
    item = plot.getPlotItem()
    font = plot_font()
    for name in ("left", "bottom", "right", "top"):
        axis = item.getAxis(name)
        axis.labelStyle["font-size"] = f"{PLOT_POINT_SIZE}pt"
        axis.setPen(pen(colours.faint(160), 1))
        axis.setTextPen(colours.text)  # also recolours the axis label
        axis.setTickFont(font)
        axis.enableAutoSIPrefix(False)  # "(x0.001)" beside a label reads as part of the formula
    legend = item.legend
    if legend is not None:
        style_legend(legend, colours)
    item.titleLabel.item.setDefaultTextColor(colours.text)


def style_legend(legend: pg.LegendItem, colours: PlotColors) -> None:
    """Give a legend a translucent palette background and palette text."""
    background = QColor(colours.background)
    background.setAlpha(215)
    legend.setBrush(background)
    legend.setPen(pen(colours.faint(110), 1))
    legend.setLabelTextColor(colours.text)
    legend.setLabelTextSize(f"{PLOT_POINT_SIZE}pt")
    for _sample, label in legend.items:
        label.setText(label.text)  # pyqtgraph applies a new colour and size only when text is set


SAMPLES = {"line": "━━", "dashed": "╍╍", "dot": "●", "box": "■", "ring": "◯"}


def legend_html(entries: list[tuple[str, QColor, str]], lead: str = "", tail: str = "") -> str:
    """Return a one-line legend as rich text: a coloured sample before each label.

    Each entry is (label, colour, sample) with sample one of "line", "dashed", "dot", "box", "ring".
    Used above a plot instead of a legend inside it, so it never covers a curve.
    """
    parts = [lead] if lead else []
    for label, colour, sample in entries:
        glyph = SAMPLES[sample]
        parts.append(f'<span style="color: {colour.name()}; font-weight: bold;">{glyph}</span>&nbsp;{label}')
    if tail:
        parts.append(tail)
    # Each entry stays on one line; the legend wraps between entries only.
    return " &nbsp; ".join(f'<span style="white-space: nowrap;">{part}</span>' for part in parts)


def note_label(parent: QWidget | None = None) -> QLabel:
    """Return a word-wrapped label for explanations under or over a plot."""
    label = QLabel(parent)
    label.setWordWrap(True)
    label.setTextFormat(Qt.TextFormat.RichText)
    font = label.font()
    font.setPointSize(max(NOTE_POINT_SIZE, font.pointSize()))
    label.setFont(font)
    return label


class Throttle(QObject):
    """Run a redraw at once, or later when the previous ones were slow.

    After a redraw that took t seconds the next waits until `ratio` × t has passed, so a plot of a
    million epochs takes at most about 1/(1 + ratio) of the time while training runs, and a cheap
    plot redraws every time it is asked.
    """

    def __init__(self, callback: Callable[[], None], parent: QObject, ratio: float = 4.0) -> None:
        super().__init__(parent)
        # A weak reference: a strong one would tie the panel into a reference cycle that the
        # garbage collector may break at any moment, even while Qt is painting.
        self._callback = weakref.WeakMethod(callback)
        self._ratio = ratio
        self._cost = 0.0
        self._last_end = -1e9
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._run)

    @property
    def pending(self) -> bool:
        """Return True while a redraw is waiting."""
        return self._timer.isActive()

    def request(self, *_args: object) -> None:
        """Redraw now if the last redraw was long enough ago, else once, soon."""
        if self._timer.isActive():
            return
        wait = self._last_end + self._ratio * self._cost - time.perf_counter()
        if wait <= 0:
            self._run()
        else:
            self._timer.start(int(wait * 1000) + 1)

    def flush(self) -> None:
        """Run a waiting redraw now."""
        if self._timer.isActive():
            self._timer.stop()
            self._run()

    def _run(self) -> None:
        callback = self._callback()
        if callback is None:
            return
        start = time.perf_counter()
        callback()
        self._last_end = time.perf_counter()
        self._cost = self._last_end - start


class PlotPanel(QWidget):
    """Base of the plot panels: re-applies colours whenever the palette changes.

    Subclasses set `self._ready = True` once built; palette events before that are ignored.
    A hidden panel (a dock tab behind another) skips its redraws and catches up when shown: while
    training runs, drawing what nobody sees would cost as much as the training.
    """

    _ready = False
    _stale = False  # a redraw was skipped while the panel was hidden
    _catch_up_timer: QTimer | None = None

    def is_shown(self) -> bool:
        """Return True when some of the panel is on screen: not closed, not a dock tab behind another."""
        return on_screen(self)

    def redraw_when_shown(self) -> None:
        """Redraw now if the panel is on screen, else remember to redraw when it comes into view."""
        if self.is_shown():
            self._redraw()
        else:
            self._stale = True

    def _redraw(self) -> None:
        """Draw the panel from the current state and clear `_stale` (subclasses that defer redraws)."""
        self._stale = False

    def is_stale(self) -> bool:
        """Return True if the panel skipped a redraw while hidden."""
        return self._stale

    def catch_up(self) -> None:
        """Redraw what changed while the panel was hidden."""
        if self._stale:
            self._redraw()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if self._ready:
            self.catch_up()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        # A dock tab brought to the front gets no show event, only a paint: catch up just after it.
        super().paintEvent(event)
        if self._ready and self.is_stale():
            if self._catch_up_timer is None:
                self._catch_up_timer = QTimer(self)
                self._catch_up_timer.setSingleShot(True)
                self._catch_up_timer.setInterval(0)
                self._catch_up_timer.timeout.connect(self._catch_up_if_shown)
            self._catch_up_timer.start()

    def _catch_up_if_shown(self) -> None:
        if self.is_shown():
            self.catch_up()

    def colours(self) -> PlotColors:
        """Return the plot colours for the widget's current palette."""
        return plot_colors(self.palette())

    def restyle(self) -> None:
        """Apply palette colours to every plot and label (subclasses extend this)."""

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        restyling = (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange, QEvent.Type.StyleChange)
        if self._ready and event.type() in restyling:
            self.restyle()
        super().changeEvent(event)
