"""View ▸ Larger text / Smaller text / Normal size: one factor for the text of the whole window.

The factor scales the application font (every widget that does not set its own), the widgets that
set their own (the equation panel, titles: their own size times the factor), the plots' axes, and the
graph's edge labels (NetworkGraphView.set_text_factor). Presentation mode multiplies it by a boost of
its own. The chosen step is remembered in QSettings under view/text_size.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QApplication, QWidget

if TYPE_CHECKING:
    from explorer.app.main_window import MainWindow

STEPS = (0.8, 0.9, 1.0, 1.15, 1.3, 1.5, 1.75, 2.0, 2.5)
NORMAL = STEPS.index(1.0)
SETTING = "view/text_size"
BASE_PROPERTY = "explorer_base_point_size"  # a widget's own font size at factor 1


def base_point_size() -> float:
    """Return the application font's size before any factor (remembered on the application)."""
    app = QApplication.instance()
    assert app is not None
    base = app.property(BASE_PROPERTY)
    if base is None:
        base = QApplication.font().pointSizeF()
        app.setProperty(BASE_PROPERTY, base)
    return float(base)


class TextSize(QObject):
    """The window's text factor: a step of STEPS times the presentation boost; actions to change it.

    Signals: changed(float), the new factor.
    """

    changed = Signal(float)

    def __init__(self, window: MainWindow, settings: QSettings) -> None:
        super().__init__(window)
        self._window = window
        self._settings = settings
        base_point_size()
        try:
            step = int(settings.value(SETTING, NORMAL))  # type: ignore[call-overload]
        except (TypeError, ValueError):
            step = NORMAL
        self._step = min(max(step, 0), len(STEPS) - 1)
        self._boost = 1.0
        self._building = False
        self.larger_action = self._action("&Larger Text", ["Ctrl++", "Ctrl+="], self.larger)
        self.smaller_action = self._action("&Smaller Text", ["Ctrl+-"], self.smaller)
        self.normal_action = self._action("&Normal Size", ["Ctrl+0"], self.normal)

    def _action(self, text: str, keys: list[str], slot: object) -> QAction:
        action = QAction(text, self._window)
        action.setShortcuts([QKeySequence(key) for key in keys])
        action.triggered.connect(slot)
        return action

    # --- the factor --------------------------------------------------------------------
    def factor(self) -> float:
        """Return the factor text is shown at: the chosen step times the presentation boost."""
        return STEPS[self._step] * self._boost

    def step_factor(self) -> float:
        """Return the chosen step's factor (without the presentation boost)."""
        return STEPS[self._step]

    def larger(self) -> None:
        """Show all text one step larger."""
        self._set_step(self._step + 1)

    def smaller(self) -> None:
        """Show all text one step smaller."""
        self._set_step(self._step - 1)

    def normal(self) -> None:
        """Show all text at its usual size."""
        self._set_step(NORMAL)

    def set_boost(self, boost: float) -> None:
        """Multiply the chosen size by `boost` (presentation mode), or by 1 again."""
        self._boost = boost
        self.apply()

    def _set_step(self, step: int) -> None:
        step = min(max(step, 0), len(STEPS) - 1)
        if step == self._step:
            return
        self._step = step
        self._settings.setValue(SETTING, step)
        self.apply()

    # --- applying it -------------------------------------------------------------------
    @contextmanager
    def building(self) -> Iterator[None]:
        """Build new panels at the normal size inside this block; apply the factor to them after it."""
        self._building = True
        _set_app_font(1.0)
        try:
            yield
        finally:
            self._building = False
            self.apply()

    def apply(self) -> None:
        """Give the application font, widgets with a font of their own, plots and graph the factor."""
        if self._building:
            return
        factor = self.factor()
        _set_app_font(factor)
        window = self._window
        for widget in window.findChildren(QWidget):
            if widget.testAttribute(Qt.WidgetAttribute.WA_SetFont):
                _scale_own_font(widget, factor)
        _scale_plots(window, factor)
        window.graph.set_text_factor(factor)
        self.smaller_action.setEnabled(self._step > 0)
        self.larger_action.setEnabled(self._step < len(STEPS) - 1)
        self.changed.emit(factor)


def _set_app_font(factor: float) -> None:
    font = QFont(QApplication.font())
    font.setPointSizeF(base_point_size() * factor)
    QApplication.setFont(font)


def _scale_own_font(widget: QWidget, factor: float) -> None:
    base = widget.property(BASE_PROPERTY)
    if base is None:
        base = widget.font().pointSizeF()
        if base <= 0:
            return  # a size in pixels: leave it
        widget.setProperty(BASE_PROPERTY, base)
    font = QFont(widget.font())
    font.setPointSizeF(float(base) * factor)
    widget.setFont(font)


def _scale_plots(window: QWidget, factor: float) -> None:
    import pyqtgraph as pg

    from explorer.views.plots.style import PLOT_POINT_SIZE, plot_font

    size = max(6, round(PLOT_POINT_SIZE * factor))
    font = plot_font(size)
    for plot in window.findChildren(pg.PlotWidget):
        item = plot.getPlotItem()
        for name in ("left", "bottom", "right", "top"):
            axis = item.getAxis(name)
            axis.labelStyle["font-size"] = f"{size}pt"
            axis.setTickFont(font)
            axis.label.setFont(font)
            axis.picture = None
            axis.update()
