"""The inspector: every number of the selected weight or neuron, each with what it means.

Each row is a symbol in the lecture's notation, its value (with the arithmetic that gives it) and what
it means. Only quantities the current stage has revealed are shown; the others go to a "step on to
see" list, so stepping through the pass fills the panel in the order the lecture computes it. The
weight (or bias) has an exact editor: Enter pushes an undoable edit through document.commands; bad
text gets an inline message and changes nothing. A selected neuron also has "Remove this neuron"
(hidden layers, and input or output layers of more than one neuron) and "Add a neuron to this layer",
both undoable through document.structure_edits; an edit that does not fit (say, a loaded data set fixes
the input width) shows its reason inline.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from explorer.document import commands
from explorer.document import structure_edits as structure
from explorer.document.document import Document
from explorer.document.selection import Selection
from explorer.engine import get_activation, get_loss
from explorer.text.notation import (
    DETAIL_DIGITS,
    EXACT,
    display,
    display_pair,
    readable_name,
    subscript,
    superscript,
)
from explorer.views.fields import NumberField, error_color, fill_with_scrolling, muted_color, sentence_case


def sub(*indices: int | str) -> str:
    """Return indices as subscripts, joined by commas once one of them has two digits."""
    joiner = "," if any(len(str(index)) > 1 for index in indices) else ""
    return joiner.join(subscript(index) for index in indices)


def sup(layer: int) -> str:
    """Return the layer superscript, e.g. ⁽¹⁾."""
    return superscript(f"({layer})")


def symbol(name: str, layer: int | None, *indices: int) -> str:
    """Return e.g. w₁₂⁽¹⁾ for symbol("w", 1, 1, 2); indices are 1-based."""
    return f"{name}{sub(*indices)}{'' if layer is None else sup(layer)}"


@dataclass(frozen=True)
class Row:
    """One line of the inspector: a symbol, its value (often with the arithmetic), what it means."""

    label: str
    value: str
    meaning: str = ""


@dataclass(frozen=True)
class Editor:
    """The exact editor for the selection's own parameter (a weight or a bias)."""

    label: str
    value: float
    meaning: str


def _f(value: float) -> str:
    return display(value, DETAIL_DIGITS)  # one quantity read closely: more digits than the graph


def _update(old: float, eta: float, grad: float, name: str) -> str:
    """Return "w − η ∂J/∂w = old − η × grad = new", new with digits enough to differ from old."""
    before, after = display_pair(old, old - eta * grad, DETAIL_DIGITS)
    return f"{name} − η ∂J/∂{name} = {before} − {display(eta, EXACT)} × {_f(grad)} = {after}"


# title, subtitle, the editor (None: nothing to edit), the rows shown, the labels still pending
Shown = tuple[str, str, Editor | None, list[Row], list[str]]


def edge_rows(doc: Document, k: int, i: int, j: int) -> Shown:
    """Return what the inspector shows for weight w_ij^(k): title, subtitle, editor, rows, pending."""
    trace, revealed, eta = doc.trace, doc.revealed, doc.learning_rate
    w = float(doc.network.layer(k).weights[i, j])
    w_sym, a_sym, d_sym = symbol("w", k, i + 1, j + 1), symbol("a", k - 1, j + 1), symbol("δ", k, i + 1)
    title = f"{w_sym}: to neuron {i + 1} of layer {k} from neuron {j + 1} of layer {k - 1}"
    subtitle = f"Entry (row {i + 1}, column {j + 1}) of the weight matrix W{sup(k)}."
    editor = Editor(w_sym, w, "Type a new weight and press Enter; Edit ▸ Undo takes it back.")
    rows: list[Row] = []
    pending: list[str] = []
    a = float(trace.activations[k - 1][j])
    if ("a", k - 1) in revealed:
        source = f"the input {symbol('x', None, j + 1)}" if k == 1 else "the sending neuron's output"
        rows.append(Row(a_sym, _f(a), f"{source}, which this weight multiplies"))
    if ("z", k) in revealed:
        rows.append(
            Row(
                f"{w_sym} {a_sym}",
                f"{_f(w)} × {_f(a)} = {_f(w * a)}",
                f"this edge's share of {symbol('z', k, i + 1)}",
            )
        )
    else:
        pending.append(f"{w_sym} {a_sym}")
    delta = float(trace.delta(k)[i])
    if ("delta", k) in revealed:
        rows.append(Row(d_sym, _f(delta), "δ = ∂J/∂z of the receiving neuron: how J changes with its z"))
    else:
        pending.append(d_sym)
    grad = float(trace.grad_w(k)[i, j])
    if ("grad", k) in revealed:
        rows.append(
            Row(
                f"∂J/∂{w_sym}",
                f"{d_sym} {a_sym} = {_f(delta)} × {_f(a)} = {_f(grad)}",
                "how J changes when this weight changes",
            )
        )
    else:
        pending.append(f"∂J/∂{w_sym}")
    if ("update", k) in revealed:
        rows.append(
            Row(
                f"new {w_sym}",
                _update(w, eta, grad, "w"),
                f"the weight after one gradient-descent step with learning rate η = {display(eta, EXACT)}",
            )
        )
    else:
        pending.append(f"new {w_sym}")
    return title, subtitle, editor, rows, pending


def neuron_rows(doc: Document, k: int, i: int) -> Shown:
    """Return what the inspector shows for neuron i of layer k: title, subtitle, editor, rows, pending."""
    network, trace, revealed, eta = doc.network, doc.trace, doc.revealed, doc.learning_rate
    L = network.num_layers
    role = "input" if k == 0 else "output" if k == L else "hidden"
    title = f"Neuron {i + 1} of layer {k} ({role})"
    a_sym = symbol("a", k, i + 1)
    a = float(trace.activations[k][i])
    if k == 0:
        subtitle = f"{a_sym} = {symbol('x', None, i + 1)}: the input passes to layer 1 unchanged."
        rows = [Row(a_sym, _f(a), "this input's value; edit the sample in the Structure panel")]
        return title, subtitle, None, rows, []
    layer = network.layer(k)
    activation = get_activation(layer.activation)
    z_sym, e_sym, d_sym, b_sym = (symbol(name, k, i + 1) for name in ("z", "e", "δ", "b"))
    subtitle = f"{a_sym} = g({z_sym}), with g = {readable_name(layer.activation)}: {activation.formula}"
    rows = [Row("layer", f"{k} of {L} ({role}), {layer.size} neurons")]
    editor = None
    if layer.bias is not None:
        editor = Editor(b_sym, float(layer.bias[i]), "the bias, added to the weighted sum; Enter applies")
    else:
        rows.append(Row("bias", "none", f"layer {k} has no bias; switch it on in the Structure panel"))
    pending: list[str] = []
    z = float(trace.z(k)[i])
    plus_b = f" + {b_sym}" if layer.bias is not None else ""
    z_meaning = f"Σⱼ w{sub(i + 1)}ⱼ{sup(k)} aⱼ{sup(k - 1)}{plus_b}: the weighted sum fed to g"
    steps = [
        ("z", z_sym, _f(z), z_meaning),
        ("a", a_sym, _f(a), "ŷ, the network's output" if k == L else "the neuron's output g(z)"),
    ]
    if k == L:
        y = float(trace.y[i])
        steps.append(("e", symbol("y", None, i + 1), _f(y), "the target for this output"))
    e_meaning = "e = ∂J/∂a: how J changes with this neuron's output"
    if k < L:
        e_meaning += f"; sent back as Σₘ wₘ{sub(i + 1)}{sup(k + 1)} δₘ{sup(k + 1)}"
    steps.append(("e", e_sym, _f(float(trace.e(k)[i])), e_meaning))
    prime = float(np.asarray(activation.prime(trace.z(k)))[i])
    if activation.name == "softmax":
        label, prime_meaning = "∂a/∂z (diagonal)", "a(1 − a); δ uses the whole softmax Jacobian"
    else:
        label, prime_meaning = f"g'({z_sym})", f"{activation.prime_formula}: the slope of g at z"
    steps.append(("delta", label, _f(prime), prime_meaning))
    d_meaning = "δ = ∂J/∂z: how J changes with this neuron's z"
    if k == L and network.loss == "cross_entropy":
        d_meaning += " (stable form ŷ − y)"
    delta = float(trace.delta(k)[i])
    steps.append(("delta", d_sym, _f(delta), d_meaning))
    if layer.bias is not None:
        b = float(layer.bias[i])
        steps.append(("grad", f"∂J/∂{b_sym}", f"{d_sym} = {_f(delta)}", "the bias gradient equals δ"))
        steps.append(
            (
                "update",
                f"new {b_sym}",
                _update(b, eta, delta, "b"),
                f"the bias after one step with η = {display(eta, EXACT)}",
            )
        )
    if k == L:
        loss = get_loss(network.loss)
        # "this sample": the Training panel shows another J, the mean over the data set.
        steps.append(("loss", "J (this sample)", _f(trace.loss), f"the loss {loss.formula} of this sample"))
    for quantity, label, value, meaning in steps:
        if (quantity, k) in revealed:
            rows.append(Row(label, value, meaning))
        elif label not in pending:
            pending.append(label)
    return title, subtitle, editor, rows, pending


HINT = "Click a weight or a neuron on the graph"
PENDING = "not yet computed"


class InspectorPanel(QWidget):
    """Show the selected weight or neuron with all its revealed numbers; edit its value exactly."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._editor_key: tuple[Selection, str] | None = None
        self._rows: list[Row] = []
        self._row_widgets: list[tuple[QLabel, QLabel, QLabel]] = []

        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = QFont(self.title.font())
        font.setPointSizeF(max(font.pointSizeF(), 10.0) * 1.2)
        font.setBold(True)
        self.title.setFont(font)
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)

        self.editor_label = QLabel()
        self.editor = NumberField()
        self.editor.setToolTip("Type any number (0.15, -2, 1e-3) and press Enter; Escape reverts")
        self.editor.value_entered.connect(self._apply)
        self.editor.invalid.connect(self._show_message)
        editor_row = QHBoxLayout()
        editor_row.setContentsMargins(0, 0, 0, 0)
        editor_row.addWidget(self.editor_label)
        editor_row.addWidget(self.editor, 1)
        self.editor_box = QWidget()
        self.editor_box.setLayout(editor_row)
        self.editor_meaning = QLabel()
        self.editor_meaning.setWordWrap(True)
        self.remove_button = QPushButton("Remove this neuron")
        self.remove_button.setObjectName("remove_neuron")
        self.remove_button.setToolTip("Delete this neuron and its weights in and out (undoable)")
        self.remove_button.clicked.connect(self.remove_neuron)
        self.add_button = QPushButton("Add a neuron to this layer")
        self.add_button.setObjectName("add_neuron")
        self.add_button.setToolTip("Append a neuron with small random weights to this layer (undoable)")
        self.add_button.clicked.connect(self.add_neuron)
        neuron_row = QHBoxLayout()
        neuron_row.setContentsMargins(0, 0, 0, 0)
        neuron_row.addWidget(self.remove_button)
        neuron_row.addWidget(self.add_button)
        neuron_row.addStretch(1)
        self.neuron_actions = QWidget()
        self.neuron_actions.setLayout(neuron_row)
        self.message = QLabel()
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # it quotes what was typed
        self.message.setWordWrap(True)
        self.message.setObjectName("inspector_message")
        self.pending = QLabel()
        self.pending.setWordWrap(True)

        self.grid = QGridLayout()
        self.grid.setColumnStretch(1, 1)
        self.grid.setHorizontalSpacing(12)
        self.grid.setVerticalSpacing(2)

        body = QWidget()
        column = QVBoxLayout(body)
        for widget in (
            self.title,
            self.subtitle,
            self.editor_box,
            self.editor_meaning,
            self.neuron_actions,
            self.message,
        ):
            column.addWidget(widget)
        column.addLayout(self.grid)
        column.addWidget(self.pending)
        column.addStretch(1)
        fill_with_scrolling(self, body)

        self._apply_font_floor()
        self._apply_colors()
        document.selection_changed.connect(self.refresh)
        document.trace_changed.connect(self.refresh)
        document.stage_changed.connect(self.refresh)
        self.refresh()

    # --- public --------------------------------------------------------------------------
    def shown_values(self) -> dict[str, str]:
        """Return label → displayed text of everything the panel shows (for tests and scripts)."""
        shown = {"selection": self.title.text()}
        if not self.editor_box.isHidden():
            shown[self.editor_label.text().removesuffix(" =")] = self.editor.text()
        shown.update({row.label: row.value for row in self._rows})
        if self.pending.text():
            shown[PENDING] = self.pending.text().split(": ", 1)[-1]
        if self.message.text():
            shown["message"] = self.message.text()
        return shown

    def refresh(self) -> None:
        """Redraw for the document's current selection, trace and stage."""
        selection = self.document.selection
        editor: Editor | None = None
        pending: list[str] = []
        if selection.kind == "edge":
            title, subtitle, editor, rows, pending = edge_rows(
                self.document, selection.layer, selection.i, selection.j
            )
        elif selection.kind == "neuron":
            title, subtitle, editor, rows, pending = neuron_rows(self.document, selection.layer, selection.i)
        else:
            title, rows = HINT, []
            subtitle = "Its value, the numbers of the current stage and their meaning appear here."
        self.title.setText(title)
        self.subtitle.setText(subtitle)
        self._set_neuron_actions(selection)
        self._set_editor(selection, editor)
        self._set_rows(rows)
        self.pending.setText(f"Step on to see: {', '.join(pending)}" if pending else "")
        self.pending.setVisible(bool(pending))

    # --- editing -------------------------------------------------------------------------
    def _apply(self, value: float) -> None:
        selection = self.document.selection
        self._show_message("")
        if selection.kind == "edge":
            k, i, j = selection.layer, selection.i, selection.j
            if value != float(self.document.network.layer(k).weights[i, j]):
                commands.edit_weight(self.document, k, i, j, value)
        elif selection.kind == "neuron" and selection.layer >= 1:
            bias = self.document.network.layer(selection.layer).bias
            if bias is not None and value != float(bias[selection.i]):
                commands.edit_bias(self.document, selection.layer, selection.i, value)

    def remove_neuron(self) -> None:
        """Remove the selected neuron (one undo step); a refusal is shown under the buttons."""
        selection = self.document.selection
        if selection.kind == "neuron":
            self._structure_edit(lambda: structure.remove_neuron(self.document, selection.layer, selection.i))

    def add_neuron(self) -> None:
        """Append a neuron to the selected neuron's layer (one undo step)."""
        selection = self.document.selection
        if selection.kind == "neuron":
            self._structure_edit(lambda: structure.add_neuron(self.document, selection.layer))

    def _structure_edit(self, edit: Callable[[], object]) -> None:
        try:
            edit()
        except ValueError as error:  # nothing changed: say why, where the button was pressed
            self._show_message(sentence_case(str(error)))
            return
        self._show_message("")

    def _set_neuron_actions(self, selection: Selection) -> None:
        shown = selection.kind == "neuron"
        self.neuron_actions.setVisible(shown)
        if shown:
            sizes = self.document.network.sizes
            hidden = 0 < selection.layer < len(sizes) - 1
            self.remove_button.setVisible(hidden or sizes[selection.layer] > 1)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _set_editor(self, selection: Selection, editor: Editor | None) -> None:
        self.editor_box.setVisible(editor is not None)
        self.editor_meaning.setVisible(editor is not None)
        if editor is None:
            self._editor_key = None
            self._show_message("")
            return
        key = (selection, editor.label)
        if key != self._editor_key:
            # A new selection: drop half-typed text and any message about the old one.
            self._editor_key = key
            self.editor.setModified(False)
            self._show_message("")
        self.editor_label.setText(f"{editor.label} =")
        self.editor.set_value(editor.value)
        self.editor_meaning.setText(editor.meaning)

    def _set_rows(self, rows: list[Row]) -> None:
        self._rows = rows
        while len(self._row_widgets) < len(rows):
            n = len(self._row_widgets)
            name, value, meaning = QLabel(), QLabel(), QLabel()
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            value.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            meaning.setWordWrap(True)
            meaning.setContentsMargins(0, 0, 0, 6)  # a gap between one quantity and the next
            meaning.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
            name.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
            self.grid.addWidget(name, 2 * n, 0)
            self.grid.addWidget(value, 2 * n, 1)
            self.grid.addWidget(meaning, 2 * n + 1, 0, 1, 2)
            self._row_widgets.append((name, value, meaning))
            self._apply_colors()
        for index, (name, value, meaning) in enumerate(self._row_widgets):
            shown = index < len(rows)
            for widget in (name, value, meaning):
                widget.setVisible(shown)
            if shown:
                name.setText(rows[index].label)
                value.setText(rows[index].value)
                meaning.setText(rows[index].meaning)
                meaning.setVisible(bool(rows[index].meaning))
                value.setContentsMargins(0, 0, 0, 0 if rows[index].meaning else 6)

    # --- looks ---------------------------------------------------------------------------
    def _apply_font_floor(self) -> None:
        # Readable on a projector: never below 10 pt, whatever the platform default.
        font = self.font()
        if font.pointSizeF() < 10:
            font.setPointSizeF(10)
            self.setFont(font)

    def _apply_colors(self) -> None:
        palette = self.palette()
        muted, error = muted_color(palette), error_color(palette)
        quiet = [self.subtitle, self.editor_meaning, self.pending] + [m for _, _, m in self._row_widgets]
        for label in quiet:
            label.setStyleSheet(f"color: {muted.name()}")
        self.message.setStyleSheet(f"color: {error.name()}; font-weight: bold")
        bold = QFont(self.font())
        bold.setBold(True)
        for name, _, _ in self._row_widgets:
            name.setFont(bold)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_colors()
        super().changeEvent(event)
