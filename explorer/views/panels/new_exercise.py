"""File ▸ New exercise…: a random network with hand-friendly numbers, for practice or a worksheet.

Sizes, activation, loss and a seed; the same seed gives the same network on every machine
(explorer.engine.exercise). OK stays disabled, with the reason shown, while no exercise can be made.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from explorer.engine import ACTIVATIONS, LOSSES
from explorer.files.exercise_file import exercise_file
from explorer.files.model import NetworkFile
from explorer.views.fields import error_color
from explorer.views.panels.new_network import parse_sizes

HAND_ACTIVATIONS = tuple(
    name
    for name, activation in ACTIVATIONS.items()
    if activation.differentiable and not activation.last_layer_only
)
MAX_SEED = 2**31 - 1


class NewExerciseDialog(QDialog):
    """Asks for an exercise network's shape and seed; state() is the new file's content."""

    def __init__(self, parent: QWidget | None = None, seed: int = 1) -> None:
        super().__init__(parent)
        self.setWindowTitle("New exercise")
        self.setObjectName("new_exercise_dialog")
        layout = QVBoxLayout(self)
        intro = QLabel(
            "A network whose weights, biases, input and target have one or two decimals and whose "
            "neurons stay away from saturation: a pass can be worked with a calculator."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.sizes_field = QLineEdit("2-2-2")
        self.sizes_field.setObjectName("exercise_sizes")
        self.sizes_field.setToolTip("Layer sizes, input first, at most 6 neurons a layer: 2-2-2, 3-2-1")
        form.addRow("Layer sizes", self.sizes_field)
        self.activation_box = QComboBox()
        self.activation_box.setObjectName("exercise_activation")
        self.activation_box.addItems(HAND_ACTIVATIONS)
        self.activation_box.setCurrentText("sigmoid")
        form.addRow("Activation", self.activation_box)
        self.loss_box = QComboBox()
        self.loss_box.setObjectName("exercise_loss")
        self.loss_box.addItems(tuple(LOSSES))
        form.addRow("Loss", self.loss_box)
        self.seed_box = QSpinBox()
        self.seed_box.setObjectName("exercise_seed")
        self.seed_box.setRange(0, MAX_SEED)
        self.seed_box.setValue(seed)
        form.addRow("Seed", self.seed_box)
        layout.addLayout(form)
        self.message = QLabel()
        self.message.setObjectName("exercise_message")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {error_color(self.palette()).name()}")
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self._state: NetworkFile | None = None
        self.sizes_field.textChanged.connect(self._update)
        self.activation_box.currentTextChanged.connect(self._update)
        self.loss_box.currentTextChanged.connect(self._update)
        self.seed_box.valueChanged.connect(self._update)
        self._update()

    def _update(self, *_args: object) -> None:
        try:
            sizes = parse_sizes(self.sizes_field.text())
            self._state = exercise_file(
                sizes, self.activation_box.currentText(), self.loss_box.currentText(), self.seed_box.value()
            )
            self.message.setText("")
        except ValueError as error:
            self._state = None
            self.message.setText(str(error))
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if ok is not None:
            ok.setEnabled(self._state is not None)
        self.message.setVisible(self._state is None)

    def state(self) -> NetworkFile:
        """Return the exercise network's file content (OK is enabled only when there is one)."""
        if self._state is None:
            raise ValueError(self.message.text())
        return self._state
