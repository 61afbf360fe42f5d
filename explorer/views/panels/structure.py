"""The structure panel: layer sizes, activations, biases, the loss and the sample, all editable.

Every edit goes through explorer.document.structure_edits (one undo step each). An edit that does not
fit raises ValueError there; the panel shows its message inline, in an error colour, and nothing changes.
Widgets are kept and updated in place on structure_changed / data_changed, never on trace_changed.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from explorer.document import structure_edits as structure
from explorer.document.document import Document
from explorer.engine import ACTIVATIONS, LOSSES
from explorer.engine.init import grow_column, grow_row
from explorer.engine.network import Network
from explorer.files.model import MAX_NEURONS, MAX_PARAMETERS
from explorer.text.notation import EXACT, display, parse_field_numbers, readable_name
from explorer.views.fields import ErrorLabel, WholeSpinBox, fill_with_scrolling

MAX_LAYER_SIZE = MAX_NEURONS  # as the file format allows (files.model)
HIDDEN_ACTIVATIONS = [name for name, act in ACTIVATIONS.items() if not act.last_layer_only]
OUTPUT_ACTIVATIONS = list(ACTIVATIONS)


def parameter_count(sizes: list[int], biases: list[bool]) -> int:
    """Return the number of weights and biases of layers with these sizes (biases[k-1] for layer k)."""
    return sum(n_in * n_out + (n_out if bias else 0) for n_in, n_out, bias in zip(sizes, sizes[1:], biases))


def resized_network(network: Network, k: int, size: int, seed: int) -> Network:
    """Return a copy whose layer k has `size` neurons: kept ones unchanged, new ones seeded at the end."""
    new = network.copy()
    rng = np.random.default_rng(seed)
    dtype = network.dtype
    old = network.sizes[k]
    keep = min(old, size)
    if k >= 1:
        target = new.layers[k - 1]
        rows = [grow_row(size, target.input_size, target.activation, rng) for _ in range(size - keep)]
        target.weights = np.vstack([target.weights[:keep]] + [row.astype(dtype)[None, :] for row in rows])
        if target.bias is not None:
            target.bias = np.concatenate([target.bias[:keep], np.zeros(size - keep, dtype)])
    if k < network.num_layers:
        following = new.layers[k]
        columns = [grow_column(following.size, size, following.activation, rng) for _ in range(size - keep)]
        following.weights = np.hstack(
            [following.weights[:, :keep]] + [column.astype(dtype)[:, None] for column in columns]
        )
    return new


class _LayerRow:
    """The widgets of one layer k: name, size, activation, bias and a remove button."""

    def __init__(self, panel: StructurePanel, k: int) -> None:
        self.k = k
        self.name = QLabel()
        self.size = WholeSpinBox(f"neurons in layer {k}")  # typed numbers apply on Enter
        self.size.setRange(1, MAX_LAYER_SIZE)
        self.size.setAccelerated(True)
        self.size.refused.connect(panel.show_message)
        self.size.setToolTip("Neurons in this layer; new neurons are added at the end, removed from the end")
        self.size.valueChanged.connect(lambda value: panel._resize(k, value))
        widgets: list[QWidget] = [self.name, self.size]
        # The input layer (k = 0) has only a name and a size.
        self.activation: QComboBox | None = None
        self.bias: QCheckBox | None = None
        self.remove: QToolButton | None = None
        if k >= 1:
            self.activation = activation = QComboBox()  # readable names; the identifier is the item data
            activation.currentIndexChanged.connect(
                lambda _index: panel._set_activation(k, activation.currentData())
            )
            self.bias = bias = QCheckBox()
            bias.setToolTip(f"Add b⁽{k}⁾ to the weighted sum (new biases start at 0)")
            bias.toggled.connect(lambda on: panel._set_bias(k, on))
            self.remove = remove = QToolButton()
            remove.setText("✕")
            remove.setToolTip(f"Remove hidden layer {k}; the next layer gets fresh weights")
            remove.setAccessibleName(f"Remove layer {k}")
            remove.clicked.connect(lambda: panel._remove_layer(k))
            widgets += [activation, bias, remove]
        self.widgets = widgets
        for column, widget in enumerate(widgets):
            panel.layers_grid.addWidget(widget, k + 1, column)

    def discard(self) -> None:
        """Remove the row's widgets from the panel."""
        for widget in self.widgets:
            widget.hide()
            widget.deleteLater()


class StructurePanel(QWidget):
    """Edit the network's shape, activations, biases, loss and sample; every edit is undoable."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.rows: list[_LayerRow] = []

        font = self.font()
        if font.pointSizeF() < 10:  # readable on a projector
            font.setPointSizeF(10)
            self.setFont(font)

        layers_box = QGroupBox("Layers")
        self.layers_grid = QGridLayout()
        self.layers_grid.setHorizontalSpacing(6)
        for column, text in enumerate(("Layer", "Neurons", "Activation", "Bias")):
            header = QLabel(f"<b>{text}</b>")
            self.layers_grid.addWidget(header, 0, column)
        self.add_layer_button = QPushButton()
        self.add_layer_button.clicked.connect(self._add_layer)
        self.parameters = QLabel()
        box = QVBoxLayout(layers_box)
        box.addLayout(self.layers_grid)
        box.addWidget(self.add_layer_button)
        box.addWidget(self.parameters)

        self.loss = QComboBox()  # readable names; the identifier files keep is the item data
        for name, loss in LOSSES.items():
            self.loss.addItem(readable_name(name), name)
            self.loss.setItemData(self.loss.count() - 1, loss.formula, Qt.ItemDataRole.ToolTipRole)
        self.loss.currentIndexChanged.connect(lambda _index: self._set_loss(self.loss.currentData()))
        self.x_field = QLineEdit()
        self.y_field = QLineEdit()
        for field in (self.x_field, self.y_field):
            field.setPlaceholderText("numbers separated by “, ” or spaces")
            field.setToolTip(
                "Type the numbers (a dot for decimals), separated by “, ” or spaces, and press Enter"
            )
            field.returnPressed.connect(self._set_sample)
        self.x_label, self.y_label = QLabel("x"), QLabel("y")
        sample_box = QGroupBox("Loss and sample")
        form = QFormLayout(sample_box)
        form.addRow("Loss", self.loss)
        form.addRow(self.x_label, self.x_field)
        form.addRow(self.y_label, self.y_field)

        self.message = ErrorLabel("structure_message")
        self.message.hide()

        body = QWidget()
        content = QVBoxLayout(body)
        content.addWidget(layers_box)
        content.addWidget(sample_box)
        content.addWidget(self.message)
        content.addStretch(1)
        # Scrolls rather than forcing its dock wide or tall when the network has many layers.
        fill_with_scrolling(self, body)

        document.structure_changed.connect(self.refresh)
        document.data_changed.connect(self.refresh_sample)
        document.selection_changed.connect(self._update_add_button)
        self.refresh()

    # --- reading the document -----------------------------------------------------------
    def refresh(self) -> None:
        """Show the document's current structure and sample."""
        self.refresh_layers()
        self.refresh_sample()

    def refresh_layers(self) -> None:
        """Update the layer rows and the loss in place (rows are added or dropped at the end)."""
        network = self.document.network
        L = network.num_layers
        while len(self.rows) > L + 1:
            self.rows.pop().discard()
        while len(self.rows) < L + 1:
            self.rows.append(_LayerRow(self, len(self.rows)))
        sizes = network.sizes
        for k, row in enumerate(self.rows):
            role = "input" if k == 0 else "output" if k == L else "hidden"
            row.name.setText(f"{k} {role}")
            _quietly(row.size, row.size.setValue, sizes[k])
            activation, bias, remove = row.activation, row.bias, row.remove
            if activation is None or bias is None or remove is None:  # the input layer, k = 0
                continue
            layer = network.layer(k)
            names = OUTPUT_ACTIVATIONS if k == L else HIDDEN_ACTIVATIONS
            if [activation.itemData(n) for n in range(activation.count())] != names:
                _quietly(activation, _fill_combo, activation, names)
            _quietly(activation, activation.setCurrentIndex, activation.findData(layer.activation))
            _quietly(bias, bias.setChecked, layer.bias is not None)
            remove.setVisible(k < L)
        _quietly(self.loss, self.loss.setCurrentIndex, self.loss.findData(network.loss))
        self.parameters.setText(f"{network.parameter_count():,} parameters")
        self._update_add_button()

    def refresh_sample(self) -> None:
        """Show the sample x and y exactly."""
        state = self.document.state
        sizes = self.document.network.sizes
        if state.sample_x is None or state.sample_y is None:  # NetworkFile always fills the sample in
            return
        self.x_field.setText(", ".join(display(v, EXACT) for v in state.sample_x))
        self.y_field.setText(", ".join(display(v, EXACT) for v in state.sample_y))
        self.x_label.setText(f"x ({sizes[0]})")
        self.y_label.setText(f"y ({sizes[-1]})")

    # --- edits ---------------------------------------------------------------------------
    def _run(self, edit: Callable[[], None]) -> bool:
        """Run one edit; show its ValueError inline and put the widgets back. Return success."""
        try:
            edit()
        except ValueError as error:
            self.show_message(str(error))
            self.refresh_layers()
            return False
        self.show_message("")
        return True

    def _resize(self, k: int, size: int) -> None:
        doc = self.document
        sizes = doc.network.sizes
        current = sizes[k]
        if size == current:
            return

        def edit() -> None:
            new_sizes = sizes[:k] + [size] + sizes[k + 1 :]
            count = parameter_count(new_sizes, [layer.bias is not None for layer in doc.network.layers])
            if count > MAX_PARAMETERS:
                raise ValueError(
                    f"{size} neurons in layer {k} would make {count:,} parameters "
                    f"(the limit is {MAX_PARAMETERS:,})"
                )
            if size == current + 1:
                structure.add_neuron(doc, k)
            elif size == current - 1:
                structure.remove_neuron(doc, k)
            else:
                # A typed size is one undo step, built in one go instead of one command per neuron.
                seed = int(doc.state.training.seed) * 1000 + doc.undo_stack.index()
                network = resized_network(doc.network, k, size, seed)
                structure.set_network(doc, network, f"Layer {k}: {current} → {size} neurons")

        self._run(edit)

    def _set_activation(self, k: int, name: str | None) -> None:
        if name:
            self._run(lambda: structure.set_activation(self.document, k, name))

    def _set_bias(self, k: int, on: bool) -> None:
        self._run(lambda: structure.set_bias_enabled(self.document, k, on))

    def _set_loss(self, name: str | None) -> None:
        if name:
            self._run(lambda: structure.set_loss(self.document, name))

    def _remove_layer(self, k: int) -> None:
        self._run(lambda: structure.remove_layer(self.document, k))

    def add_layer_position(self) -> int:
        """Return where Add hidden layer inserts: after the selected hidden layer, else after the last."""
        selection, L = self.document.selection, self.document.network.num_layers
        if selection.kind is not None and 1 <= selection.layer < L:
            return selection.layer + 1
        return L

    def _add_layer(self) -> None:
        network = self.document.network
        position = self.add_layer_position()
        # Take the activation of the hidden neighbour before it (or after it, when there is none).
        neighbour = network.layer(position - 1 if position > 1 else position).activation
        if ACTIVATIONS[neighbour].last_layer_only:
            neighbour = "sigmoid"
        self._run(lambda: structure.add_layer(self.document, position, 2, neighbour))

    def _set_sample(self) -> None:
        sizes = self.document.network.sizes

        def edit() -> None:
            x = parse_field_numbers(self.x_field.text(), sizes[0], "x")
            y = parse_field_numbers(self.y_field.text(), sizes[-1], "y")
            structure.set_sample(self.document, x, y)

        try:
            edit()
        except ValueError as error:
            self.show_message(str(error))  # the typed text stays so that it can be fixed
            return
        self.show_message("")

    # --- looks ---------------------------------------------------------------------------
    def show_message(self, text: str) -> None:
        """Show an error under the panel (empty text hides it)."""
        self.message.show_text(text)

    def _update_add_button(self) -> None:
        after = self.add_layer_position() - 1
        where = "the input" if after == 0 else f"layer {after}"
        self.add_layer_button.setText(f"Add hidden layer after {where}")
        self.add_layer_button.setToolTip(
            "Insert a hidden layer of 2 neurons; select a hidden neuron first to choose where it goes"
        )


def _fill_combo(combo: QComboBox, names: list[str]) -> None:
    combo.clear()
    for name in names:
        combo.addItem(readable_name(name), name)
        combo.setItemData(combo.count() - 1, ACTIVATIONS[name].formula, Qt.ItemDataRole.ToolTipRole)


def _quietly(widget: QWidget, setter: Callable[..., object], *args: object) -> None:
    """Call a widget setter without emitting its change signal (the document is already right)."""
    blocked = widget.blockSignals(True)
    try:
        setter(*args)
    finally:
        widget.blockSignals(blocked)
