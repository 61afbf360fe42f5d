"""The Matrices panel: W^(k) and ∂J/∂W^(k) of one layer as coloured tables, linked to the graph's selection.

The tables read the document's NumPy arrays through a model (a 128 × 784 layer is 100,000 cells:
item widgets would take seconds), colour each cell by value with a diverging map mixed into the
palette's base colour (blue for positive, orange-red for negative, so it reads in light and dark
themes), and turn a typed value into one undoable weight edit; text that is not a number is refused
with a message. Columns follow their widest number after every change, and each table keeps room for
a few whole rows, so in a short dock the panel scrolls rather than hiding row 2.

Keys: once a cell has the focus, the table keeps Left / Right / Up / Down / Home / End for moving
between cells (the stage bar's window-wide Left / Right / Home / End shortcuts yield to it, as they
do to any field); F10 and Shift+F10 still step forward and back from there.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import (
    QAbstractTableModel,
    QEvent,
    QItemSelection,
    QItemSelectionModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSize,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QFont, QKeyEvent, QPaintEvent, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from explorer.document import commands
from explorer.document.document import Document
from explorer.document.selection import Selection
from explorer.text.notation import DETAIL_DIGITS, EXACT, display, notation_unicode, parse_number
from explorer.views.visibility import on_screen

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


class MatrixModel(QAbstractTableModel):
    """A read-only or editable view of one matrix of the document (W^(k) or ∂J/∂W^(k))."""

    refused = Signal(str)  # a typed value was not a number: the message for the user

    def __init__(self, document: Document, quantity: str, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.doc = document
        self.quantity = quantity  # "weights" (editable) or "grad"
        self.layer = 1
        self.values = np.zeros((0, 0))
        self.scale = 1.0
        self.base = QColor(Qt.GlobalColor.white)

    def set_layer(self, layer: int) -> None:
        """Show layer `layer`'s matrix."""
        self.layer = layer
        self.refresh()

    def refresh(self) -> None:
        """Read the matrix again from the document; reset only if its shape changed."""
        doc = self.doc
        source: npt.ArrayLike
        if not 1 <= self.layer <= doc.network.num_layers:
            source = np.zeros((0, 0))
        elif self.quantity == "weights":
            source = doc.network.layer(self.layer).weights
        else:
            source = doc.trace.grad_w(self.layer)
        values = np.asarray(source, dtype=float)
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
            self.dataChanged.emit(
                self.index(0, 0), self.index(rows - 1, cols - 1), [Qt.ItemDataRole.BackgroundRole]
            )

    def symbol(self, i: int, j: int) -> str:
        """Return the cell's name in the lecture's notation, e.g. w₁₂⁽¹⁾ or ∂J/∂w₁₂⁽¹⁾."""
        name = notation_unicode(f"w_{i + 1}{j + 1}^({self.layer})" if max(i, j) < 9 else f"w^({self.layer})")
        if max(i, j) >= 9:
            name += f"[{i + 1},{j + 1}]"
        return name if self.quantity == "weights" else f"∂J/∂{name}"

    # --- Qt model interface --------------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() else self.values.shape[0]

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008, N802
        return 0 if parent.isValid() or self.values.ndim < 2 else self.values.shape[1]

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if not index.isValid():
            return None
        value = float(self.values[index.row(), index.column()])
        if role == Qt.ItemDataRole.DisplayRole:
            return display(value)
        if role == Qt.ItemDataRole.EditRole:
            return display(value, EXACT)  # every digit, so an untouched edit changes nothing
        if role == Qt.ItemDataRole.BackgroundRole:
            return diverging_colour(value, self.scale, self.base)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            i, j = index.row(), index.column()
            return f"{self.symbol(i, j)} = {display(value, DETAIL_DIGITS)}  (to {i + 1} from {j + 1})"
        return None

    def headerData(  # noqa: N802 - Qt's name
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        return f"from {section + 1}" if orientation == Qt.Orientation.Horizontal else f"to {section + 1}"

    def flags(self, index: QModelIndex | QPersistentModelIndex) -> Qt.ItemFlag:
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        if self.quantity == "weights":
            flags |= Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(  # noqa: N802 - Qt's name
        self, index: QModelIndex | QPersistentModelIndex, value: object, role: int = Qt.ItemDataRole.EditRole
    ) -> bool:
        if role != Qt.ItemDataRole.EditRole or self.quantity != "weights" or not index.isValid():
            return False
        i, j = index.row(), index.column()
        try:
            number = parse_number(str(value))  # the delegate gives text: the one parser of every field
        except ValueError as error:
            keeps = display(float(self.values[i, j]))
            self.refused.emit(f"{error}: {self.symbol(i, j)} keeps {keeps}")
            return False
        if number != float(self.values[i, j]):
            commands.edit_weight(self.doc, self.layer, i, j, number)
        return True


ROWS_KEPT = 4  # a table never gets shorter than this many rows (or all of them, if fewer)


class KeepNavigationKeys(QObject):
    """Let a focused table keep the arrow, Home and End keys that the stage bar uses window-wide."""

    KEYS = (
        Qt.Key.Key_Left,
        Qt.Key.Key_Right,
        Qt.Key.Key_Up,
        Qt.Key.Key_Down,
        Qt.Key.Key_Home,
        Qt.Key.Key_End,
    )

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if (
            event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.key() in self.KEYS
            and not event.modifiers()
        ):
            event.accept()  # accepted override: the key goes to the table, not to the shortcut
            return True
        return False


class CurrentPageStack(QStackedWidget):
    """A stacked widget sized by the page it shows, so a one-line placeholder does not take a table's room."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.currentChanged.connect(lambda _index: self.updateGeometry())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        page = self.currentWidget()
        return page.sizeHint() if page is not None else super().sizeHint()

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        page = self.currentWidget()
        if page is None:
            return super().minimumSizeHint()
        return page.minimumSizeHint().expandedTo(page.minimumSize())


class MatrixTable(QTableView):
    """A table that never gets shorter than ROWS_KEPT whole rows (all, if fewer), scroll bar included."""

    def keep_rows(self) -> None:
        """Set the minimum height to the header, up to ROWS_KEPT rows and a needed horizontal scroll bar."""
        model = self.model()
        shown = min(model.rowCount(), ROWS_KEPT) if model is not None else 0
        height = self.horizontalHeader().sizeHint().height() + 2 * self.frameWidth()
        height += shown * self.verticalHeader().defaultSectionSize()
        room = self.width() - self.verticalHeader().width() - 2 * self.frameWidth()
        if self.horizontalHeader().length() > room:
            height += self.horizontalScrollBar().sizeHint().height()
        self.setMinimumHeight(height)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.keep_rows()  # narrower now: a horizontal scroll bar may need its own row


class Content(QWidget):
    """The view's scrolled content: as tall as its minimum needs at a width, wrapped labels included."""

    # QBoxLayout's own height-for-width is the *preferred* height (tables at full size), which would
    # make the scroll area scroll even where every table fits at its minimum.
    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        layout = self.layout()
        if layout is None:
            return super().heightForWidth(width)
        margins = layout.contentsMargins()
        inner = width - margins.left() - margins.right()
        heights = []
        for index in range(layout.count()):
            item = layout.itemAt(index)
            if item is None or item.isEmpty():
                continue
            minimum = item.minimumSize().height()
            heights.append(max(minimum, item.heightForWidth(inner)) if item.hasHeightForWidth() else minimum)
        return margins.top() + margins.bottom() + sum(heights) + layout.spacing() * max(len(heights) - 1, 0)


FIT_COLUMNS_UP_TO = 40  # measuring every column of a 784-wide matrix would be slow
CELL_POINTS = 10  # still readable on a projector (the house minimum)


class MatrixView(QWidget):
    """One layer's W^(k) (editable) and, once the gradient stage is reached, ∂J/∂W^(k)."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.doc = document
        self.setObjectName("matrix_view")
        self._syncing = False
        self._arrow_keys = KeepNavigationKeys(self)
        font = QFont(self.font())
        font.setPointSize(max(11, font.pointSize()))
        self.setFont(font)

        self.layer_box = QComboBox()
        self.layer_box.setObjectName("matrix_layer")
        self.layer_box.setAccessibleName("Layer shown")
        top = QHBoxLayout()
        top.addWidget(QLabel("Layer"))
        top.addWidget(self.layer_box)
        top.addStretch(1)

        self.weights_model = MatrixModel(document, "weights", self)
        self.grad_model = MatrixModel(document, "grad", self)
        self.weights_table = self._table(self.weights_model, "weights_table")
        self.grad_table = self._table(self.grad_model, "grad_table")
        self.weights_table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.weights_table.setToolTip("Double-click a weight, or select it and type, to change it")
        self.weights_label = QLabel()
        self.weights_label.setWordWrap(True)
        self.grad_label = QLabel()
        self.grad_label.setWordWrap(True)
        self.not_computed = QLabel("not computed yet at this stage")
        self.not_computed.setObjectName("grad_not_computed")
        self.not_computed.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # No word wrap (its two short lines break by hand): a wrapping page would make the stack answer
        # height-for-width with its tallest page, the gradient table at full size.
        self.grad_stack = CurrentPageStack()
        self.grad_stack.addWidget(self.not_computed)
        self.grad_stack.addWidget(self.grad_table)
        self.message = QLabel()
        self.message.setObjectName("matrix_message")
        self.message.setTextFormat(Qt.TextFormat.PlainText)  # it quotes what was typed
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {NEGATIVE.name()};")
        self.message.hide()

        # The tables sit in a scroll area of the view's own: it follows their minimum heights as they
        # change (a layer with more rows, a scroll bar that appears), so nothing is drawn over them.
        self.content = Content()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        layout = QVBoxLayout(self.content)
        layout.setContentsMargins(6, 6, 6, 6)  # a dock is often ~400 × 280: every row of pixels counts
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addWidget(self.weights_label)
        layout.addWidget(self.weights_table, 3)
        layout.addWidget(self.message)
        layout.addWidget(self.grad_label)
        layout.addWidget(self.grad_stack, 2)
        self._layout = layout

        self.weights_model.refused.connect(self._show_message)
        self.layer_box.currentIndexChanged.connect(self._on_layer_chosen)
        for table in (self.weights_table, self.grad_table):
            table.selectionModel().currentChanged.connect(self._on_cell_chosen)
        self._stale = False
        document.trace_changed.connect(self._on_trace_changed)
        document.stage_changed.connect(self._show_grad_if_known)
        document.selection_changed.connect(self._follow_selection)
        self._apply_palette()
        self._fill_layer_box(1)
        self._follow_selection()

    def _table(self, model: MatrixModel, name: str) -> MatrixTable:
        table = MatrixTable(self)  # parented first, so its font (and so the widths below) is ours
        table.setObjectName(name)
        cells = QFont(self.font())
        cells.setPointSize(CELL_POINTS)  # a point less than the labels: four columns fit a 400 px dock
        table.setFont(cells)
        table.setModel(model)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.installEventFilter(self._arrow_keys)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 6)
        table.verticalHeader().setMinimumSectionSize(table.fontMetrics().height() + 2)
        table.horizontalHeader().setDefaultSectionSize(
            table.fontMetrics().horizontalAdvance("−0.00000000") + 12
        )
        return table

    def _fit(self, table: MatrixTable) -> None:
        """Size columns to their widest number and keep room for up to ROWS_KEPT whole rows."""
        if 0 < table.model().columnCount() <= FIT_COLUMNS_UP_TO:
            table.resizeColumnsToContents()  # a value that grew (−1.6 → −1.61803) is never elided
        table.keep_rows()

    @property
    def layer(self) -> int:
        """Return the layer k whose matrices are shown."""
        return self.weights_model.layer

    # --- following the document --------------------------------------------------------
    def _fill_layer_box(self, layer: int) -> None:
        network = self.doc.network
        layer = max(1, min(layer, network.num_layers))
        self._syncing = True
        try:
            self.layer_box.clear()
            for k in range(1, network.num_layers + 1):
                rows, cols = network.layer(k).weights.shape
                self.layer_box.addItem(f"{k}: {notation_unicode(f'W^({k})')}  {rows} × {cols}", k)
            self.layer_box.setCurrentIndex(layer - 1)
        finally:
            self._syncing = False
        self.show_layer(layer)

    def show_layer(self, layer: int) -> None:
        """Show W^(layer) and ∂J/∂W^(layer)."""
        if layer != self.layer_box.currentIndex() + 1:
            self._syncing = True
            self.layer_box.setCurrentIndex(layer - 1)
            self._syncing = False
        self.weights_model.set_layer(layer)
        self.grad_model.set_layer(layer)
        rows, cols = self.weights_model.values.shape
        w = notation_unicode(f"W^({layer})")
        self.weights_label.setText(f"<b>{w}</b> to layer {layer} (rows i) from layer {layer - 1} (columns j)")
        self.grad_label.setText(f"<b>∂J/∂{w}</b> = δ<sup>({layer})</sup> a<sup>({layer - 1})T</sup>")
        for table in (self.weights_table, self.grad_table):
            self._fit(table)
        self._show_message("")
        self._show_grad_if_known()

    def _show_grad_if_known(self, *_args: object) -> None:
        known = ("grad", self.layer) in self.doc.revealed
        if not known:
            where = next((n for n, stage in enumerate(self.doc.stages, 1) if stage.kind == "gradient"), 0)
            self.not_computed.setText(
                f"not computed yet at this stage\n(step to stage {where}, the gradients)"
            )
        self.grad_stack.setCurrentIndex(1 if known else 0)
        # The placeholder is two lines: give the spare height to W rather than to empty space.
        self._layout.setStretchFactor(self.grad_stack, 2 if known else 0)

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def _on_trace_changed(self) -> None:
        if self.isVisible() and not on_screen(self):
            # Tabbed behind another dock: during training this ran ten times a second for nothing.
            self._stale = True
            return
        self._stale = False
        network = self.doc.network
        if self.layer_box.count() != network.num_layers or any(
            self.layer_box.itemText(k - 1).split("  ")[-1]
            != "{} × {}".format(*network.layer(k).weights.shape)
            for k in range(1, network.num_layers + 1)
        ):
            self._fill_layer_box(self.layer)  # layers or sizes changed
        else:
            self.weights_model.refresh()
            self.grad_model.refresh()
            for table in (self.weights_table, self.grad_table):
                self._fit(table)
            self._show_grad_if_known()
        self._follow_selection()

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if self._stale:
            QTimer.singleShot(0, self.catch_up)

    def catch_up(self) -> None:
        """Show the current numbers if they were skipped while the panel was hidden."""
        if self._stale and on_screen(self):
            self._on_trace_changed()

    def _on_layer_chosen(self, index: int) -> None:
        if not self._syncing and index >= 0:
            self.show_layer(index + 1)

    def _follow_selection(self) -> None:
        """Highlight what is selected on the graph: an edge's cell, a neuron's row (or input's column)."""
        selection = self.doc.selection
        if selection.kind == "edge":
            layer = selection.layer
        elif selection.kind == "neuron":
            layer = max(selection.layer, 1)
        else:
            layer = self.layer
        if selection.kind is not None and layer != self.layer:
            self.show_layer(layer)
        self._syncing = True
        try:
            for table in (self.weights_table, self.grad_table):
                self._highlight(table, selection)
        finally:
            self._syncing = False

    def _highlight(self, table: QTableView, selection: Selection) -> None:
        model = table.model()
        chooser = table.selectionModel()
        if selection.kind == "edge":
            index = model.index(selection.i, selection.j)
            chooser.setCurrentIndex(index, QItemSelectionModel.SelectionFlag.ClearAndSelect)
            table.scrollTo(index)
        elif selection.kind == "neuron" and model.rowCount() and model.columnCount():
            rows, cols = model.rowCount(), model.columnCount()
            if selection.layer == 0:  # an input neuron: its outgoing weights, column j of W^(1)
                first, last = model.index(0, selection.i), model.index(rows - 1, selection.i)
            else:  # its incoming weights, row i of W^(k)
                first, last = model.index(selection.i, 0), model.index(selection.i, cols - 1)
            chooser.select(QItemSelection(first, last), QItemSelectionModel.SelectionFlag.ClearAndSelect)
            table.scrollTo(first)
        else:
            chooser.clearSelection()

    def _on_cell_chosen(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if self._syncing or not current.isValid():
            return
        self._show_message("")
        self.doc.select(Selection.edge(self.layer, current.row(), current.column()))

    # --- palette -----------------------------------------------------------------------
    def _apply_palette(self) -> None:
        base = self.palette().color(QPalette.ColorRole.Base)
        self.weights_model.set_base_colour(base)
        self.grad_model.set_base_colour(base)

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() in (QEvent.Type.PaletteChange, QEvent.Type.ApplicationPaletteChange):
            self._apply_palette()
