"""Step ▸ Practice and its toggle on the stage bar: turn predict-then-reveal on for the open document."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QToolBar

from explorer.views.graph.practice_marks import PracticeMarks
from explorer.views.panels.practice import PracticePanel

PANEL_WIDTH, PANEL_HEIGHT = 470, 560

if TYPE_CHECKING:
    from explorer.app.main_window import MainWindow


class PracticeActions:
    """The Practice toggle of one main window; it follows the Practice panel of the open document."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.action = QAction("&Practice: Predict, Then Reveal", window)
        self.action.setObjectName("practice_action")
        self.action.setCheckable(True)
        self.action.setShortcut(QKeySequence("Ctrl+Shift+P"))
        self.action.setIconText("Practice")
        self.action.setToolTip("Type the next stage's numbers before they are revealed (Ctrl+Shift+P)")
        self.action.toggled.connect(self._toggled)
        self.marks: PracticeMarks | None = None

    def panel(self) -> PracticePanel:
        """Return the open document's Practice panel."""
        panel = self.window.panels["practice"]
        assert isinstance(panel, PracticePanel)
        return panel

    def install(self, bar: QToolBar, menu: QMenu) -> None:
        """Put the toggle on a new stage bar and in the Step menu."""
        bar.addSeparator()
        bar.addAction(self.action)
        menu.addSeparator()
        menu.addAction(self.action)

    def attach(self) -> None:
        """Follow the Practice session of the document just shown (practice stays on if it was)."""
        practice = self.panel().practice
        practice.active_changed.connect(self._active_changed)
        self.marks = PracticeMarks(self.window.graph, practice)
        if self.action.isChecked():
            practice.set_active(True)

    def _toggled(self, on: bool) -> None:
        panels = getattr(self.window, "panels", {})
        if "practice" not in panels:
            return
        self.panel().practice.set_active(on)
        if on:
            docks = self.window.docks
            docks["practice"].show()
            docks["practice"].raise_()
            # The entries, hints and score need room: more than the inspector's default share.
            self.window.resizeDocks([docks["practice"]], [PANEL_WIDTH], Qt.Orientation.Horizontal)
            if docks["training"].isVisible() and not docks["training"].isFloating():
                self.window.resizeDocks(
                    [docks["practice"], docks["training"]], [PANEL_HEIGHT, 150], Qt.Orientation.Vertical
                )

    def _active_changed(self, on: bool) -> None:
        if self.action.isChecked() != on:
            self.action.setChecked(on)
