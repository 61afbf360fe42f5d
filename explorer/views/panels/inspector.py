"""The inspector: every number of the selected weight or neuron, each with what it means.

Only quantities the current stage has revealed are shown, so stepping through the pass fills the
panel in the order the lecture computes it. The weight (or bias) has an exact editor: Enter pushes
an undoable edit through explorer.commands; bad text gets an inline message and changes nothing.
A selected neuron also has "Remove this neuron" (hidden layers, and input or output layers of more
than one neuron) and "Add a neuron to this layer", both undoable through explorer.structure; an
edit that does not fit (say, a loaded data set fixes the input width) shows its reason inline.
"""

from __future__ import annotations

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
from explorer.views.fields import NumberField, error_color, fill_with_scrolling, muted_color, sentence_case
from explorer.views.panels.inspector_rows import Editor, Row, edge_rows, neuron_rows, sub, sup, symbol

# The rows are worked out in inspector_rows; its names stay importable from here, where they used to be.
__all__ = ["HINT", "PENDING", "Editor", "InspectorPanel", "Row", "sub", "sup", "symbol"]

HINT = "Click a weight or a neuron on the graph"
PENDING = "not yet computed"


class InspectorPanel(QWidget):
    """Show the selected weight or neuron with all its revealed numbers; edit its value exactly."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self._editor_key: tuple | None = None
        self._rows: list[Row] = []
        self._row_widgets: list[tuple[QLabel, QLabel, QLabel]] = []

        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextSelectableByMouse)
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
        editor, pending = None, []
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

    def _structure_edit(self, edit) -> None:
        try:
            edit()
        except ValueError as error:  # nothing changed: say why, where the button was pressed
            self._show_message(sentence_case(str(error)))
            return
        self._show_message("")

    def _set_neuron_actions(self, selection) -> None:
        shown = selection.kind == "neuron"
        self.neuron_actions.setVisible(shown)
        if shown:
            sizes = self.document.network.sizes
            hidden = 0 < selection.layer < len(sizes) - 1
            self.remove_button.setVisible(hidden or sizes[selection.layer] > 1)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _set_editor(self, selection, editor: Editor | None) -> None:
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
            value.setTextInteractionFlags(Qt.TextSelectableByMouse)
            value.setWordWrap(True)
            value.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
            meaning.setWordWrap(True)
            meaning.setContentsMargins(0, 0, 0, 6)  # a gap between one quantity and the next
            meaning.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)
            name.setAlignment(Qt.AlignLeft | Qt.AlignTop)
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
        if event.type() == QEvent.PaletteChange:
            self._apply_colors()
        super().changeEvent(event)
