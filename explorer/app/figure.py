"""A plot panel exported as a figure: only its plots (no check boxes or combo boxes), at a size and
resolution the user chooses, drawn from the current data even if the panel was never on screen.

The plots of a panel (those of its current page) are stacked top to bottom. Each plot's PlotItem is
laid out at the figure's size for the drawing and put back afterwards, and its scene is rendered
directly, so a panel hidden behind another tab (whose widgets were never laid out) draws as well.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import QPoint, QRectF, QSize
from PySide6.QtGui import QImage, QPainter
from PySide6.QtWidgets import QWidget

from explorer.app.pictures import image_png, svg_drawing


def figure_bytes(panel: QWidget, suffix: str, figure: FigureSize, title: str = "") -> bytes:
    """Return the figure as PNG or SVG data by `suffix` (".png" or ".svg")."""
    return figure_png(panel, figure) if suffix == ".png" else figure_svg(panel, figure, title)


@dataclass(frozen=True)
class FigureSize:
    """A figure's size in pixels at scale 1, and the scale its PNG is drawn at (2: twice as sharp)."""

    width: int = 900
    height: int = 560
    scale: float = 2.0


def figure_plots(panel: QWidget) -> list:
    """Return the panel's plots on its current page (pyqtgraph PlotWidgets), top to bottom."""
    import pyqtgraph as pg

    # Not isVisibleTo: a panel never shown has every child "hidden"; keep those not hidden on purpose.
    plots = [plot for plot in panel.findChildren(pg.PlotWidget) if not plot.isHidden()]
    plots = [plot for plot in plots if _page_is_current(plot, panel)]
    plots.sort(key=lambda plot: plot.mapTo(panel, QPoint(0, 0)).y())
    return plots


def _page_is_current(widget: QWidget, panel: QWidget) -> bool:
    from PySide6.QtWidgets import QStackedWidget

    child, parent = widget, widget.parentWidget()
    while parent is not None and child is not panel:
        if isinstance(parent, QStackedWidget) and parent.currentWidget() is not child:
            return False
        child, parent = parent, parent.parentWidget()
    return True


def bring_up_to_date(panel: QWidget) -> None:
    """Draw the panel from the current data if it skipped redraws while hidden."""
    catch_up = getattr(panel, "catch_up", None)
    if callable(catch_up):
        catch_up()
    redraw = getattr(panel, "_redraw", None)
    if callable(redraw):
        redraw()  # also when it did not notice: a panel never shown may not know it is behind


def _draw(panel: QWidget, painter: QPainter, size: QSize) -> None:
    plots = figure_plots(panel)
    if not plots:
        raise ValueError("This panel shows no plot to export.")
    bring_up_to_date(panel)
    height = size.height() / len(plots)
    for index, plot in enumerate(plots):
        item = plot.getPlotItem()
        scene = plot.scene()
        old = item.geometry()
        target = QRectF(0, index * height, size.width(), height)
        item.setGeometry(QRectF(old.x(), old.y(), size.width(), height))
        item.layout.activate()
        try:
            source = item.sceneBoundingRect()
            painter.fillRect(target, plot.backgroundBrush())
            scene.render(painter, target, source)
        finally:
            item.setGeometry(old)
            item.layout.activate()


def figure_png(panel: QWidget, figure: FigureSize) -> bytes:
    """Return the panel's plots as PNG data of figure.width × figure.height times figure.scale."""
    if not figure.scale > 0:
        raise ValueError(f"The scale must be positive, not {figure.scale}.")
    size = QSize(figure.width, figure.height)
    pixels = QSize(round(figure.width * figure.scale), round(figure.height * figure.scale))
    image = QImage(pixels, QImage.Format.Format_ARGB32)
    image.setDevicePixelRatio(figure.scale)
    image.fill(0)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        _draw(panel, painter, size)
    finally:
        painter.end()
    return image_png(image)


def figure_svg(panel: QWidget, figure: FigureSize, title: str = "") -> bytes:
    """Return the panel's plots as SVG data of figure.width × figure.height."""
    size = QSize(figure.width, figure.height)
    return svg_drawing(size, title, lambda painter: _draw(panel, painter, size))
