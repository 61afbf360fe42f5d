"""The Training panel's speed control: how many epochs a second a run trains (and shows)."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QWidget

from explorer.document.training_run import TrainingController

# (text, epochs a second); None trains as fast as the machine can, showing ~10 frames a second.
SPEEDS: tuple[tuple[str, float | None], ...] = (
    ("1 epoch/s", 1.0),
    ("5 epochs/s", 5.0),
    ("20 epochs/s", 20.0),
    ("100 epochs/s", 100.0),
    ("As fast as possible", None),
)


class SpeedBox(QComboBox):
    """Chooses the pace of a training run; follows the controller's pace when changed elsewhere."""

    def __init__(self, controller: TrainingController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("training_speed")
        self.setToolTip("How fast a run trains: slow enough to watch each epoch move the weights ([ and ])")
        self.setAccessibleName("Training speed")
        self._controller = controller
        for text, speed in SPEEDS:
            self.addItem(text, speed)
        self._follow(controller.epochs_per_second)
        self.activated.connect(self._chosen)
        controller.speed_changed.connect(self._follow)

    def speed(self) -> float | None:
        """Return the chosen epochs a second (None: as fast as possible)."""
        return SPEEDS[self.currentIndex()][1]

    def _chosen(self, index: int) -> None:
        self._controller.set_speed(SPEEDS[index][1])

    def _follow(self, speed: object) -> None:
        for index, (_text, value) in enumerate(SPEEDS):
            if value == speed:
                self.setCurrentIndex(index)


def faster(speed: float | None, steps: int) -> float | None:
    """Return the speed `steps` places along SPEEDS from `speed` (positive: faster), within its ends."""
    values = [value for _text, value in SPEEDS]
    index = values.index(speed) if speed in values else len(values) - 1
    return values[min(max(index + steps, 0), len(values) - 1)]
