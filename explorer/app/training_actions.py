"""Training from the keyboard, in presentation mode too: play/pause, one more epoch, faster, slower."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QTimer
from PySide6.QtGui import QAction, QKeySequence

from explorer.views.panels.training_speed import SPEEDS, faster

BANNER_MS = 2500  # how long presentation mode shows a new training speed on the graph

if TYPE_CHECKING:
    from explorer.app.main_window import MainWindow
    from explorer.document.training_run import TrainingController


class TrainingActions(QObject):
    """The Step menu's training actions of a MainWindow; the chosen speed outlives an opened file."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self.speed: float | None = SPEEDS[-1][1]
        self.play_action = self._action("&Train / Pause", "P", self.toggle_play)
        self.epoch_action = self._action("Train One More &Epoch", "E", self.one_epoch)
        self.faster_action = self._action("Train &Faster", "]", self.faster)
        self.slower_action = self._action("Train &Slower", "[", self.slower)
        self._banner_timer = QTimer(self)
        self._banner_timer.setSingleShot(True)
        self._banner_timer.setInterval(BANNER_MS)
        self._banner_timer.timeout.connect(self._clear_banner)

    def _action(self, text: str, key: str, slot: object) -> QAction:
        action = QAction(text, self._window)
        action.setShortcut(QKeySequence(key))
        action.triggered.connect(slot)
        return action

    def actions(self) -> list[QAction]:
        """Return the actions, in menu order."""
        return [self.play_action, self.epoch_action, self.faster_action, self.slower_action]

    def attach(self, controller: TrainingController) -> None:
        """Give a new document's controller the chosen speed, and follow its changes."""
        controller.set_speed(self.speed)
        controller.speed_changed.connect(self._remember)

    def _remember(self, speed: object) -> None:
        self.speed = speed if isinstance(speed, float) else None

    def _panel(self) -> object:
        return self._window.panels["training"]

    def toggle_play(self) -> None:
        """Start a run with the Training panel's settings, or pause the one going on."""
        self._panel().toggle_play()  # type: ignore[attr-defined]

    def one_epoch(self) -> None:
        """Train one more epoch now."""
        self._panel().train_one_epoch()  # type: ignore[attr-defined]

    def faster(self) -> None:
        """Train at the next faster speed."""
        self._window.training.set_speed(faster(self._window.training.epochs_per_second, 1))
        self._say()

    def slower(self) -> None:
        """Train at the next slower speed."""
        self._window.training.set_speed(faster(self._window.training.epochs_per_second, -1))
        self._say()

    def _say(self) -> None:
        speed = self._window.training.epochs_per_second
        text = "Training speed: " + ("as fast as possible" if speed is None else f"{speed:g} epochs a second")
        self._window.show_status(text)
        if self._window.presentation.active:  # no status bar there: say it on the graph for a moment
            self._window.graph.set_banner(text)
            self._banner_timer.start()

    def _clear_banner(self) -> None:
        graph = self._window.graph
        if graph.banner().startswith("Training speed: "):
            graph.set_banner("")
