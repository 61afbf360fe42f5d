"""View ▸ Presentation (F5; Esc leaves) and the blank screen (B or .), for teaching in front of a class.

Presentation mode shows the window full screen with the graph and the Equation panel only (the panel
starts with the stage's number and title), the text enlarged for a room (TextSize.set_boost). On
leaving, the docks, tool bar, menus and window state come back exactly as they were (saveState /
restoreState). The keys a presentation clicker sends (PageDown, PageUp, Space, B, .) work in both modes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QObject, Qt
from PySide6.QtGui import QAction, QKeySequence, QPalette
from PySide6.QtWidgets import QWidget

if TYPE_CHECKING:
    from explorer.app.main_window import MainWindow

PRESENTATION_BOOST = 1.4  # text in presentation mode, times the chosen size
EQUATION_SHARE = 0.26  # of the screen's height for the Equation panel
SHOWN_DOCKS = ("equation",)


@dataclass
class _Saved:
    state: QByteArray
    geometry: QByteArray
    window_state: Qt.WindowState
    full_screen: bool
    menu_bar: bool
    status_bar: bool


class Presentation(QObject):
    """Presentation mode and the blank screen of a MainWindow, with their actions."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._saved: _Saved | None = None
        self._blank: QWidget | None = None
        self.action = QAction("&Presentation", window)
        self.action.setCheckable(True)
        self.action.setShortcut(QKeySequence("F5"))
        self.action.setToolTip("Full screen: the graph and the equation, text enlarged (F5; Esc leaves)")
        self.action.toggled.connect(self._toggled)
        self.blank_action = QAction("&Blank Screen", window)
        self.blank_action.setCheckable(True)
        self.blank_action.setShortcuts([QKeySequence("B"), QKeySequence(".")])
        self.blank_action.setToolTip("Turn the screen black, and back (B or .)")
        self.blank_action.toggled.connect(self._set_blank)

    @property
    def active(self) -> bool:
        """Return True while in presentation mode."""
        return self._saved is not None

    def enter(self, full_screen: bool = True) -> None:
        """Show the graph and the equation only, text enlarged; full screen unless told otherwise."""
        if self._saved is not None:
            return
        window = self._window
        self._saved = _Saved(
            window.saveState(),
            window.saveGeometry(),
            window.windowState(),
            full_screen,
            window.menuBar().isVisible(),
            window.statusBar().isVisible(),
        )
        for key, dock in window.docks.items():
            dock.setVisible(key in SHOWN_DOCKS)
        for bar in window.tool_bars():
            bar.hide()
        window.menuBar().hide()
        window.statusBar().hide()
        if full_screen:
            window.showFullScreen()
            screen = window.screen()
            if screen is not None:  # without a window manager (a bare X server) full screen is only a flag
                window.setGeometry(screen.geometry())
        self.action.setChecked(True)
        window.text_size.set_boost(PRESENTATION_BOOST)
        self.fit_docks()
        window.graph.setFocus()

    def fit_docks(self) -> None:
        """Give the Equation panel its share of the window's height (the graph keeps the rest)."""
        window = self._window
        if self._saved is None:
            return
        height = max(120, int(window.height() * EQUATION_SHARE))
        window.resizeDocks([window.docks["equation"]], [height], Qt.Orientation.Vertical)

    def leave(self) -> None:
        """Bring back the docks, bars and window state as they were before presentation mode."""
        saved, self._saved = self._saved, None
        if saved is None:
            return
        window = self._window
        self._set_blank(False)
        if saved.full_screen:
            window.setWindowState(saved.window_state)
            window.restoreGeometry(saved.geometry)
        window.menuBar().setVisible(saved.menu_bar)
        window.statusBar().setVisible(saved.status_bar)
        window.restoreState(saved.state)
        self.action.setChecked(False)
        window.text_size.set_boost(1.0)

    def _toggled(self, on: bool) -> None:
        if on:
            self.enter()
        else:
            self.leave()

    # --- the blank screen --------------------------------------------------------------
    @property
    def blanked(self) -> bool:
        """Return True while the screen is black."""
        return self._blank is not None

    def _set_blank(self, on: bool) -> None:
        if on == self.blanked:
            return
        if on:
            blank = _BlankCover(self._window)
            blank.setGeometry(self._window.rect())
            blank.show()
            blank.raise_()
            self._blank = blank
        else:
            cover, self._blank = self._blank, None
            if cover is not None:
                cover.hide()
                cover.deleteLater()
        self.blank_action.setChecked(on)

    def key_escape(self) -> bool:
        """Escape, when nothing else took it: unblank, else leave presentation mode; False if neither."""
        if self.blanked:
            self._set_blank(False)
            return True
        if self.active:
            self.leave()
            return True
        return False

    def window_resized(self) -> None:
        """Keep the black cover over the whole window."""
        if self._blank is not None:
            self._blank.setGeometry(self._window.rect())


class _BlankCover(QWidget):
    """A black widget over the whole window (clicks on it do nothing)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(QPalette.ColorRole.Window, Qt.GlobalColor.black)
        self.setPalette(palette)
        self.setObjectName("blank_screen")

    def event(self, event: QEvent) -> bool:
        # Take the mouse so nothing under the black is clicked by mistake.
        if event.type() in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick, QEvent.Type.Wheel):
            return True
        return super().event(event)
