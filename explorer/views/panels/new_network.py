"""The New-network dialog: layer sizes typed as "2-3-2", activations, loss, bias and a seed.

OK stays disabled while the sizes or the choices do not make a network, and a one-line message
says why. The network is built by explorer.engine.init.new_network with the chosen seed.

The new file's sample is x = 0.5 for every input and y = 1 for the first output, 0 for the rest:
one-hot on class 1 for a softmax (or sigmoid) output, a plain target for any other. An all-zero y
gave J = 0 for softmax with cross-entropy, so there was nothing to step through or learn.
"""

from __future__ import annotations

import re

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from explorer.engine import ACTIVATIONS, LOSSES, get_loss
from explorer.engine.init import new_network
from explorer.engine.network import Network
from explorer.files.model import MAX_LAYERS, MAX_NEURONS, MAX_PARAMETERS, NetworkFile, TrainingConfig, elide
from explorer.text.notation import readable_name
from explorer.views.fields import WholeSpinBox, error_color, muted_color

_SEPARATOR = re.compile(r"\s*[-,]\s*|\s+")
_MAX_SEED = 2**31 - 1
SAMPLE_INPUT = 0.5  # every x_j of a new file's sample


def parse_sizes(text: str) -> list[int]:
    """Return the layer sizes written like "2-3-2"; raise ValueError with a message for the user."""
    stripped = text.strip()
    if not stripped:
        raise ValueError("type the layer sizes, input first, e.g. 2-3-2")
    sizes = []
    entries = _SEPARATOR.split(stripped)
    if len(entries) > MAX_LAYERS + 1:  # the input plus MAX_LAYERS layers with weights
        raise ValueError(f"{len(entries) - 2:,} hidden layers is too many (the limit is {MAX_LAYERS - 1})")
    for position, entry in enumerate(entries, start=1):
        if not entry.isdecimal() or not entry.isascii() or int(entry) < 1:
            shown = f"“{elide(entry)}”" if entry else "an empty entry"
            raise ValueError(f"size {position}: {shown} is not a whole number ≥ 1 (write e.g. 2-3-2)")
        if len(entry) > 9 or int(entry) > MAX_NEURONS:
            raise ValueError(f"size {position}: at most {MAX_NEURONS:,} neurons per layer")
        sizes.append(int(entry))
    if len(sizes) < 2:
        raise ValueError("give at least two sizes: the inputs and the outputs, e.g. 2-2")
    return sizes


def parameter_count(sizes: list[int], bias: bool) -> int:
    """Return the number of weights (and biases) of a network with these layer sizes."""
    return sum(n_in * n_out + (n_out if bias else 0) for n_in, n_out in zip(sizes, sizes[1:]))


class NewNetworkDialog(QDialog):
    """Ask for the shape of a new network; network() and state() build it."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New network")
        font = self.font()
        if font.pointSizeF() < 10:  # readable on a projector
            font.setPointSizeF(10)
            self.setFont(font)

        self.sizes_field = QLineEdit("2-2-2")
        self.sizes_field.setToolTip("Neurons per layer, input first, separated by dashes: 2-3-2")
        hidden_choices = [name for name, act in ACTIVATIONS.items() if not act.last_layer_only]
        self.hidden_activation = _combo(hidden_choices, "sigmoid")
        self.output_activation = _combo(list(ACTIVATIONS), "sigmoid")
        self.loss = _combo(list(LOSSES), "half_sse")
        for name, loss in LOSSES.items():
            self.loss.setItemData(self.loss.findData(name), loss.formula, Qt.ItemDataRole.ToolTipRole)
        self.bias = QCheckBox("every layer has a bias")
        self.bias.setChecked(True)
        self.seed = WholeSpinBox("seed")
        self.seed.setRange(0, _MAX_SEED)
        self.seed.refused.connect(self._show_problem)
        self.seed.setToolTip("The same seed gives the same starting weights")
        self.name = QLineEdit()
        self.name.setPlaceholderText("optional")
        self.summary = QLabel()
        self.summary.setTextFormat(Qt.TextFormat.PlainText)  # it quotes what was typed
        self.summary.setWordWrap(True)
        self.summary.setObjectName("new_network_summary")

        form = QFormLayout()
        form.addRow("Layer sizes", self.sizes_field)
        form.addRow("Hidden activation", self.hidden_activation)
        form.addRow("Output activation", self.output_activation)
        form.addRow("Loss", self.loss)
        form.addRow("Bias", self.bias)
        form.addRow("Seed", self.seed)
        form.addRow("Name", self.name)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        column = QVBoxLayout(self)
        column.addLayout(form)
        column.addWidget(self.summary)
        column.addWidget(self.buttons)

        self.sizes_field.textChanged.connect(self._validate)
        for combo in (self.hidden_activation, self.output_activation, self.loss):
            combo.currentIndexChanged.connect(self._validate)
        self.bias.toggled.connect(self._validate)
        self._validate()
        self.setMinimumWidth(420)

    @property
    def ok_button(self) -> QPushButton:
        """Return the OK button (disabled while the input is invalid)."""
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def sizes(self) -> list[int]:
        """Return the typed layer sizes; raise ValueError if they are not valid."""
        return parse_sizes(self.sizes_field.text())

    def problem(self) -> str:
        """Return why the input does not make a network, or "" when it does."""
        try:
            sizes = self.sizes()
        except ValueError as error:
            return str(error)
        count = parameter_count(sizes, self.bias.isChecked())
        if count > MAX_PARAMETERS:
            return f"{count:,} parameters is too many (the limit is {MAX_PARAMETERS:,})"
        allowed = get_loss(self.loss.currentData()).output_activations
        if allowed is not None and self.output_activation.currentData() not in allowed:
            needed = " or ".join(readable_name(name) for name in allowed)
            return f"the {self.loss.currentText()} loss needs a {needed} output layer"
        return ""

    def network(self) -> Network:
        """Return the new engine network, seeded; raise ValueError if the input is invalid."""
        problem = self.problem()
        if problem:
            raise ValueError(problem)
        return new_network(
            self.sizes(),
            self.hidden_activation.currentData(),
            loss=self.loss.currentData(),
            output_activation=self.output_activation.currentData(),
            bias=self.bias.isChecked(),
            seed=self.seed.value(),
            name=self.name.text().strip(),
        )

    def state(self) -> NetworkFile:
        """Return a file state with the new network, a sample x = 0.5…, y = [1, 0, …] and the seed."""
        network = self.network()
        n_in, n_out = network.sizes[0], network.sizes[-1]
        x = np.full(n_in, SAMPLE_INPUT)
        y = np.zeros(n_out)
        y[0] = 1.0  # class 1 for softmax or sigmoid outputs; a non-zero target for the others
        return NetworkFile(network, x, y, training=TrainingConfig(seed=self.seed.value()))

    def _show_problem(self, problem: str) -> None:
        """Show `problem` in the summary line, in the error colour."""
        self.summary.setText(problem)
        self.summary.setStyleSheet(f"color: {error_color(self.palette()).name()}; font-weight: bold")

    def _validate(self) -> None:
        problem = self.problem()
        self.ok_button.setEnabled(not problem)
        palette = self.palette()
        if problem:
            self._show_problem(problem)
            return
        sizes = self.sizes()
        self.hidden_activation.setEnabled(len(sizes) > 2)
        count = parameter_count(sizes, self.bias.isChecked())
        hidden = len(sizes) - 2
        self.summary.setText(
            f"{sizes[0]} inputs, {hidden} hidden layer{'s' if hidden != 1 else ''}, {sizes[-1]} outputs: "
            f"{count:,} parameters"
        )
        self.summary.setStyleSheet(f"color: {muted_color(palette).name()}")


def _combo(names: list[str], current: str) -> QComboBox:
    """Return a combo box showing readable names, each item's data the identifier the file keeps."""
    combo = QComboBox()
    for name in names:
        combo.addItem(readable_name(name), name)
        if name in ACTIVATIONS:
            combo.setItemData(combo.count() - 1, ACTIVATIONS[name].formula, Qt.ItemDataRole.ToolTipRole)
    combo.setCurrentIndex(combo.findData(current))
    return combo
