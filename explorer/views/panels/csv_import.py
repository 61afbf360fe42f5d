"""Import a data set from a CSV file: pick the file, see its first rows, choose input and target columns.

OK reads the whole file with csvdata.load_csv and checks its width against the document's network.
Any problem (ragged rows, a cell that is not a number, columns that do not fit the network) is shown
in the dialog in one line naming the row and column, the dialog stays open, and nothing changes.
The file dialog is opened by `_ask_path` only, so tests can type the path into `path_field` instead.
"""

from __future__ import annotations

import csv
import io
import itertools
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from explorer.document.document import Document
from explorer.engine.csvdata import CsvError, check_width, csv_columns, load_csv, quote, read_csv_bytes
from explorer.files.model import MAX_DATASET_NUMBERS
from explorer.views.fields import ErrorLabel, sentence_case

PREVIEW_ROWS = 8
PREVIEW_BYTES = 256 * 1024
HEADER_CHOICES = {
    "Guess from the first row": None,
    "Yes, row 1 holds names": True,
    "No, all rows are data": False,
}


def preview_rows(path: str, count: int = PREVIEW_ROWS) -> list[tuple[int, list[str]]]:
    """Return the first `count` non-blank rows of a CSV file as (spreadsheet row, text cells), for showing."""
    # Only the head is read, through csvdata's reader, which never opens a FIFO or device.
    text = read_csv_bytes(path, head=PREVIEW_BYTES).decode("utf-8-sig", errors="replace")
    stream = io.StringIO(text, newline="")
    numbered = [(n, line) for n, line in enumerate(itertools.islice(stream, 10 * count), start=1)]
    lines = [(n, line) for n, line in numbered if line.strip()][:count]
    first = lines[0][1] if lines else ""
    # The same rule as csvdata: tabs, else semicolons when there is no comma, else commas.
    delimiter = "\t" if "\t" in first else ";" if ";" in first and "," not in first else ","
    rows = []
    for n, line in lines:
        try:
            cells = next(csv.reader([line], delimiter=delimiter), [])
        except csv.Error:
            cells = [line.rstrip("\r\n")]
        rows.append((n, [cell.strip() for cell in cells]))
    return rows


def _generic(names: list[str]) -> bool:
    return names == [f"column {j + 1}" for j in range(len(names))]


class ColumnChecks(QScrollArea):
    """One check box per CSV column; `ticked(index)` is emitted when the user ticks one."""

    ticked = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.boxes: list[QCheckBox] = []
        self._body = QWidget()
        self._column = QVBoxLayout(self._body)
        self._column.addStretch(1)
        self.setWidget(self._body)
        self.setWidgetResizable(True)
        self.setMinimumHeight(110)

    def set_names(self, names: list[str]) -> None:
        """Show one unticked box per column name."""
        for box in self.boxes:
            box.hide()
            box.deleteLater()
        self.boxes = []
        for j, name in enumerate(names):
            box = QCheckBox(name)
            box.toggled.connect(lambda on, j=j: self._toggled(j, on))
            self._column.insertWidget(j, box)
            self.boxes.append(box)

    def _toggled(self, index: int, on: bool) -> None:
        if on:
            self.ticked.emit(index)

    def chosen(self) -> list[int]:
        """Return the positions of the ticked boxes."""
        return [j for j, box in enumerate(self.boxes) if box.isChecked()]

    def set_chosen(self, indices: list[int]) -> None:
        """Tick exactly the boxes at these positions (no signal)."""
        for j in range(len(self.boxes)):
            self.set_checked(j, j in indices)

    def set_checked(self, index: int, on: bool) -> None:
        """Tick or untick one box without emitting `ticked`."""
        box = self.boxes[index]
        blocked = box.blockSignals(True)
        box.setChecked(on)
        box.blockSignals(blocked)


class CsvImportDialog(QDialog):
    """Choose a CSV file and its input and target columns; `result_data()` gives (X, Y) after OK."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.setWindowTitle("Import data set from CSV")
        self.names: list[str] = []
        self._loaded: tuple[str, bool | None] | None = None  # (path, header choice) the lists were built for
        self._result: tuple[np.ndarray, np.ndarray] | None = None

        font = self.font()
        if font.pointSizeF() < 10:  # readable on a projector
            font.setPointSizeF(10)
            self.setFont(font)

        self.path_field = QLineEdit()
        self.path_field.setPlaceholderText("path of a .csv file")
        self.path_field.editingFinished.connect(self.load_preview)
        self.path_field.installEventFilter(self)
        self.browse_button = QPushButton("Browse…")
        self.browse_button.clicked.connect(self.browse)
        path_row = QHBoxLayout()
        path_row.addWidget(self.path_field, 1)
        path_row.addWidget(self.browse_button)
        self.header_combo = QComboBox()
        self.header_combo.addItems(list(HEADER_CHOICES))
        self.header_combo.currentIndexChanged.connect(lambda _index: self.load_preview())
        form = QFormLayout()
        form.addRow("File", path_row)
        form.addRow("Header row", self.header_combo)

        self.preview = QTableWidget(0, 0)
        self.preview.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.preview.setMinimumHeight(180)

        sizes = document.network.sizes
        self.inputs_list = ColumnChecks()
        self.targets_list = ColumnChecks()
        self.inputs_list.ticked.connect(lambda j: self._untick_twin(self.targets_list, j))
        self.targets_list.ticked.connect(lambda j: self._untick_twin(self.inputs_list, j))
        self.network_label = QLabel(
            f"The network takes {sizes[0]} input{'s' if sizes[0] != 1 else ''} "
            f"and gives {sizes[-1]} output{'s' if sizes[-1] != 1 else ''}."
        )
        columns = QGridLayout()
        columns.addWidget(QLabel("<b>Input columns</b>"), 0, 0)
        columns.addWidget(QLabel("<b>Target columns</b>"), 0, 1)
        columns.addWidget(self.inputs_list, 1, 0)
        columns.addWidget(self.targets_list, 1, 1)

        self.message = ErrorLabel("csv_message")
        self.message.hide()

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(QLabel("First rows of the file"))
        layout.addWidget(self.preview, 1)
        layout.addWidget(self.network_label)
        layout.addLayout(columns)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(620, 560)

    # --- choosing -------------------------------------------------------------------------
    def has_header(self) -> bool | None:
        """Return the header choice: True, False or None (guess)."""
        return HEADER_CHOICES[self.header_combo.currentText()]

    def browse(self) -> None:
        """Ask for a file and show its preview."""
        path = self._ask_path()
        if path:
            self.path_field.setText(path)
            self.load_preview()

    def _ask_path(self) -> str:
        """Open the file dialog; return the chosen path or ""."""
        path, _ = QFileDialog.getOpenFileName(
            self, "Import data set", self.path_field.text(), "CSV files (*.csv *.tsv *.txt);;All files (*)"
        )
        return path

    def load_preview(self) -> None:
        """Read the file's columns and first rows; fill the preview and the column lists."""
        path = self.path_field.text().strip()
        key = (path, self.has_header())
        if key == self._loaded:
            return
        self._loaded = key
        self.names = []
        self._fill_lists([])
        self._fill_preview([], [])
        if not path:
            self.show_message("")
            return
        try:
            rows = preview_rows(path)
        except CsvError as error:  # no such file, a FIFO, a device, a folder
            self.show_message(str(error))
            return
        try:
            self.names = csv_columns(path, self.has_header())
        except CsvError as error:
            self._fill_preview([], rows)
            self.show_message(str(error))
            return
        header_used = self.has_header() or (self.has_header() is None and not _generic(self.names))
        self._fill_preview(self.names, rows[1:] if header_used else rows)
        self._fill_lists(self.names)
        self.show_message("")

    def chosen_columns(self) -> tuple[list[int], list[int]]:
        """Return the 0-based positions of the ticked input and target columns."""
        return self.inputs_list.chosen(), self.targets_list.chosen()

    def set_columns(self, inputs: list[int], targets: list[int]) -> None:
        """Tick exactly these input and target columns (0-based)."""
        self.inputs_list.set_chosen(inputs)
        self.targets_list.set_chosen(targets)

    def _fill_lists(self, names: list[str]) -> None:
        sizes = self.document.network.sizes
        width = len(names)
        if width >= sizes[0] + sizes[-1]:
            # The first columns feed the inputs and the last ones are the targets, as in most files.
            inputs, targets = list(range(sizes[0])), list(range(width - sizes[-1], width))
        else:
            inputs, targets = list(range(width - 1)), [width - 1] if width else []
        self.inputs_list.set_names(names)
        self.targets_list.set_names(names)
        self.set_columns(inputs, targets)

    @staticmethod
    def _untick_twin(other: ColumnChecks, index: int) -> None:
        # A column is an input or a target, not both: ticking it on one side unticks the other.
        other.set_checked(index, False)

    def _fill_preview(self, names: list[str], rows: list[tuple[int, list[str]]]) -> None:
        width = max([len(names)] + [len(cells) for _, cells in rows])
        self.preview.clear()
        self.preview.setColumnCount(width)
        self.preview.setRowCount(len(rows))
        self.preview.setHorizontalHeaderLabels(names or [f"column {j + 1}" for j in range(width)])
        # Rows carry the file's own numbers, the ones the error messages use.
        self.preview.setVerticalHeaderLabels([str(n) for n, _ in rows])
        for i, (_, cells) in enumerate(rows):
            for j, cell in enumerate(cells):
                self.preview.setItem(i, j, QTableWidgetItem(cell))
        self.preview.resizeColumnsToContents()
        self.preview.resizeRowsToContents()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # Enter in the path field shows the file's columns; it must not press Import as well.
        if (
            watched is self.path_field
            and isinstance(event, QKeyEvent)
            and event.type() == QEvent.Type.KeyPress
        ):
            if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.load_preview()
                return True
        return super().eventFilter(watched, event)

    # --- result -------------------------------------------------------------------------------
    def read(self) -> tuple[np.ndarray, np.ndarray]:
        """Read the chosen columns of the whole file; raise CsvError with a one-line reason."""
        path = self.path_field.text().strip()
        if not path:
            raise CsvError("choose a CSV file first")
        if not Path(path).is_file():
            read_csv_bytes(path, head=0)  # raises, saying what the path is instead
            raise CsvError(f"there is no file {quote(path, 200)}")
        self.load_preview()  # the path may have been typed without Enter
        csv_columns(path, self.has_header())  # a ragged file fails here, naming the row
        inputs, targets = self.chosen_columns()
        X, Y, _names = load_csv(path, inputs, targets, self.has_header(), loss=self.document.network.loss)
        check_width(X, Y, self.document.network.sizes)
        if X.size + Y.size > MAX_DATASET_NUMBERS:
            raise CsvError(
                f"the data set is too big: {X.size + Y.size:,} numbers (the limit is {MAX_DATASET_NUMBERS:,})"
            )
        return X, Y

    def accept(self) -> None:
        """Close with the data if the file reads and fits; else show why and stay open."""
        try:
            self._result = self.read()
        except CsvError as error:
            self.show_message(str(error))
            return
        self.show_message("")
        super().accept()

    def result_data(self) -> tuple[np.ndarray, np.ndarray]:
        """Return (X, Y), one sample per row, from the last successful OK."""
        if self._result is None:
            raise RuntimeError("the dialog has not been accepted")
        return self._result

    def file_name(self) -> str:
        """Return the chosen file's name (for the undo text)."""
        return Path(self.path_field.text().strip()).name

    # --- looks --------------------------------------------------------------------------------
    def show_message(self, text: str) -> None:
        """Show a one-line problem (empty text hides it); a leading file name keeps its case."""
        path = self.path_field.text().strip()
        self.message.show_text(sentence_case(text, (Path(path).name, path) if path else ()))
