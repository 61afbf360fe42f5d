"""Small windows (1024×700, or a HiDPI screen at QT_SCALE_FACTOR=2): the graph keeps at least half the
window and no primary action of the stage bar disappears into its overflow menu.

Below COMPACT_WIDTH × COMPACT_HEIGHT logical pixels the default layout keeps one side column (the left
panels go behind the Inspector's and Training's tabs) and a shorter bottom row, and the stage bar's
stepping buttons show their arrows only (their tool tips still name them).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt

if TYPE_CHECKING:
    from explorer.app.main_window import MainWindow
    from explorer.views.panels.stage_bar import StageBar

COMPACT_WIDTH = 1300
COMPACT_HEIGHT = 860
SIDE_SHARE = 0.24  # of the window's width, for the one side column
BOTTOM_SHARE = 0.21  # of the window's height, for the equation and the plots
SHORT_TEXTS = {"reset_action": "|◀", "back_action": "◀", "step_action": "▶", "end_action": "▶|"}


def is_compact(window: MainWindow) -> bool:
    """Return True if the window is too small for the full layout."""
    return window.width() < COMPACT_WIDTH or window.height() < COMPACT_HEIGHT


def compact_dock_layout(window: MainWindow) -> None:
    """Lay the docks out for a small window: one side column, a short bottom row, the graph the rest."""
    docks = window.docks
    right = Qt.DockWidgetArea.RightDockWidgetArea
    for key in ("stages", "structure", "dataset", "history"):
        window.addDockWidget(right, docks[key])
    window.tabifyDockWidget(docks["inspector"], docks["stages"])
    for key in ("structure", "dataset", "history", "matrix"):
        window.tabifyDockWidget(docks["training"], docks[key])
    for key in ("activation", "gradients", "fit"):
        window.tabifyDockWidget(docks["loss"], docks[key])
    for key in ("inspector", "training", "loss"):
        docks[key].raise_()
    width, height = window.width(), window.height()
    window.resizeDocks([docks["inspector"]], [int(width * SIDE_SHARE)], Qt.Orientation.Horizontal)
    window.resizeDocks([docks["equation"]], [int(height * BOTTOM_SHARE)], Qt.Orientation.Vertical)
    halves = [width // 2, width // 2]
    window.resizeDocks([docks["equation"], docks["loss"]], halves, Qt.Orientation.Horizontal)


def fit_stage_bar(bar: StageBar, compact: bool) -> None:
    """Show the stepping buttons with their arrows only in a compact window, in full otherwise."""
    for name, short in SHORT_TEXTS.items():
        action = getattr(bar, name)
        full = action.property("full_text")
        if full is None:
            full = action.text()
            action.setProperty("full_text", full)
        text = short if compact else str(full)
        if action.text() != text:
            action.setText(text)
