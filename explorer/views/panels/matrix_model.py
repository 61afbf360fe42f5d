"""The table model behind the matrix view: one layer's W^(k) or ∂J/∂W^(k), coloured by value.

A model rather than item widgets, because a 128 × 784 layer is 100,000 cells. Each cell is mixed from
the palette's base colour towards blue (positive) or orange-red (negative), so it reads in light and
dark themes; a typed value becomes one undoable weight edit, and text that is not a number is refused
with a message. Split from matrix_view, which re-exports these names.
"""

from __future__ import annotations

import math

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QModelIndex, Qt, Signal
from PySide6.QtGui import QColor

from explorer.document import commands
from explorer.document.document import Document
from explorer.views.formatting import format_number, notation_unicode

POSITIVE = QColor(33, 113, 181)  # blue, as the graph draws positive weights
NEGATIVE = QColor(217, 72, 1)  # orange-red for negative ones
MAX_MIX = 0.65  # strongest cells keep a third of the base colour, so the text stays readable


def diverging_colour(value: float, scale: float, base: QColor) -> QColor:
    """Return `base` mixed towards blue (positive) or orange-red (negative) by |value| / scale."""
    if not math.isfinite(value) or scale <= 0:
        return QColor(base)
    t = min(abs(value) / scale, 1.0) * MAX_MIX
    hue = POSITIVE if value >= 0 else NEGATIVE
    return QColor(
        round(base.red() + (hue.red() - base.red()) * t),
        round(base.green() + (hue.green() - base.green()) * t),
        round(base.blue() + (hue.blue() - base.blue()) * t),
    )


def parse_value(text: str) -> float:
    """Return the number typed in `text`; raise ValueError with a message for the user."""
    cleaned = str(text).strip().replace("−", "-").replace(",", ".")
    if not cleaned:
        raise ValueError("type a number")
    try:
        value = float(cleaned)
    except ValueError:
        raise ValueError(f"“{str(text).strip()}” is not a number") from None
    if not math.isfinite(value):
        raise ValueError("a weight must be a finite number")
    return value


class MatrixModel(QAbstractTableModel):
    """A read-only or editable view of one matrix of the document (W^(k) or ∂J/∂W^(k))."""

    refused = Signal(str)  # a typed value was not a number: the message for the user

    def __init__(self, document: Document, quantity: str, parent=None) -> None:
        super().__init__(parent)
        self.doc = document
        self.quantity = quantity  # "weights" (editable) or "grad"
        self.layer = 1
        self.values = np.zeros((0, 0))
        self.scale = 1.0
        self.base = QColor(Qt.white)

    def set_layer(self, layer: int) -> None:
        """Show layer `layer`'s matrix."""
        self.layer = layer
        self.refresh()

    def refresh(self) -> None:
        """Read the matrix again from the document; reset only if its shape changed."""
        doc = self.doc
        if not 1 <= self.layer <= doc.network.num_layers:
            values = np.zeros((0, 0))
        elif self.quantity == "weights":
            values = doc.network.layer(self.layer).weights
        else:
            values = doc.trace.grad_weights[self.layer]
        values = np.asarray(values, dtype=float)
        finite = np.abs(values[np.isfinite(values)])
        self.scale = float(finite.max()) if finite.size else 1.0
        if values.shape != self.values.shape:
            self.beginResetModel()
            self.values = values
            self.endResetModel()
        else:
            self.values = values
            if values.size:
                self.dataChanged.emit(self.index(0, 0), self.index(values.shape[0] - 1, values.shape[1] - 1))

    def set_base_colour(self, colour: QColor) -> None:
        """Mix cell colours into `colour` (the palette's base)."""
        self.base = QColor(colour)
        if self.values.size:
            rows, cols = self.values.shape
            self.dataChanged.emit(self.index(0, 0), self.index(rows - 1, cols - 1), [Qt.BackgroundRole])

    def symbol(self, i: int, j: int) -> str:
        """Return the cell's name in the lecture's notation, e.g. w₁₂⁽¹⁾ or ∂J/∂w₁₂⁽¹⁾."""
        name = notation_unicode(f"w_{i + 1}{j + 1}^({self.layer})" if max(i, j) < 9 else f"w^({self.layer})")
        if max(i, j) >= 9:
            name += f"[{i + 1},{j + 1}]"
        return name if self.quantity == "weights" else f"∂J/∂{name}"

    # --- Qt model interface --------------------------------------------------------------
    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's name
        return 0 if parent.isValid() else self.values.shape[0]

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008, N802 - Qt's name
        return 0 if parent.isValid() or self.values.ndim < 2 else self.values.shape[1]

    def data(self, index: QModelIndex, role: int = Qt.DisplayRole):
        if not index.isValid():
            return None
        value = float(self.values[index.row(), index.column()])
        if role == Qt.DisplayRole:
            return format_number(value, 6, unicode_minus=True)
        if role == Qt.EditRole:
            return repr(value)  # full precision, so an untouched edit changes nothing
        if role == Qt.BackgroundRole:
            return diverging_colour(value, self.scale, self.base)
        if role == Qt.TextAlignmentRole:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.ToolTipRole:
            i, j = index.row(), index.column()
            return f"{self.symbol(i, j)} = {format_number(value, 10, True)}  (to {i + 1} from {j + 1})"
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.DisplayRole):  # noqa: N802
        if role != Qt.DisplayRole:
            return None
        return f"from {section + 1}" if orientation == Qt.Horizontal else f"to {section + 1}"

    def flags(self, index: QModelIndex) -> Qt.ItemFlags:
        flags = Qt.ItemIsEnabled | Qt.ItemIsSelectable
        if self.quantity == "weights":
            flags |= Qt.ItemIsEditable
        return flags

    def setData(self, index: QModelIndex, value, role: int = Qt.EditRole) -> bool:  # noqa: N802 - Qt's name
        if role != Qt.EditRole or self.quantity != "weights" or not index.isValid():
            return False
        i, j = index.row(), index.column()
        try:
            number = parse_value(value)
        except ValueError as error:
            keeps = format_number(float(self.values[i, j]), 6, True)
            self.refused.emit(f"{error}: {self.symbol(i, j)} keeps {keeps}")
            return False
        if number != float(self.values[i, j]):
            commands.edit_weight(self.doc, self.layer, i, j, number)
        return True
