"""The data set panel: pick a built-in data set or import a CSV, clear it, and see what is loaded.

Loading and clearing go through data_edits (one undo step each, saved in the file). A data set whose
width does not fit the network is refused with a sentence saying so, and nothing changes. Without a
data set, training uses the step-through sample as its one row.
"""

from __future__ import annotations

import inspect
from typing import Any

import numpy as np
from PySide6.QtCore import QAbstractTableModel, QEvent, QModelIndex, QObject, QPersistentModelIndex, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from explorer.document import data_edits
from explorer.document.document import Document
from explorer.engine.datasets import DATASETS, make_dataset
from explorer.engine.heat_transfer import MODELS
from explorer.text.notation import DIGITS, EXACT, display, subscript
from explorer.views.fields import ErrorLabel, RealSpinBox, WholeSpinBox, muted_color, sentence_case
from explorer.views.panels.csv_import import CsvImportDialog

PREVIEW_ROWS = 1000
MAX_SAMPLES = 100_000

# name in DATASETS: (label, what it is)
BUILT_IN = {
    "xor": ("XOR", "the four corners of the unit square; class x₁ XOR x₂"),
    "blobs": ("Two blobs", "two Gaussian clouds round (−1, −1) and (1, 1); noise is their spread"),
    "circles": ("Circles", "a ring of radius 1 round a ring of radius 0.5"),
    "spirals": ("Two spirals", "two interleaved arms, one per class: hard for a small network"),
    "sine": ("Sine", "y = sin(x) on evenly spaced x; noise is added to y"),
    "polynomial": ("Polynomial", "y = x³ − x on [−1.5, 1.5]; noise is added to y"),
    "lecture": ("Lecture sample", "x = (0.05, 0.10), y = (0.01, 0.99), repeated n times"),
    "fin": ("Fin (heat transfer)", "h → θ/θ_b at four points of a fin with an insulated tip; physics below"),
    "lumped_cooling": (
        "Lumped cooling (heat transfer)",
        "h → T at four times of a cooling body; physics below",
    ),
}


def physics_text(name: str) -> str:
    """Return the physics, units, scaling and a few physical rows of a heat-transfer data set, else ""."""
    model = MODELS.get(name)
    if model is None:
        return ""
    return model.describe() + "\nPhysical values:\n" + "\n".join("  " + row for row in model.example_rows())


def _count(n: int, word: str) -> str:
    return f"{n:,} {word}" if n == 1 else f"{n:,} {word}s"


def describe(X: np.ndarray, Y: np.ndarray) -> str:
    """Return the size of a data set, e.g. "4 samples, 2 inputs → 1 target"."""
    return f"{_count(len(X), 'sample')}, {_count(X.shape[1], 'input')} → {_count(Y.shape[1], 'target')}"


def _defaults(name: str) -> dict[str, Any]:
    parameters = inspect.signature(DATASETS[name]).parameters
    return {key: p.default for key, p in parameters.items() if p.default is not inspect.Parameter.empty}


class DataTableModel(QAbstractTableModel):
    """The first rows of a data set: input columns x₁…, then target columns y₁…, 6 significant digits."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.X = np.empty((0, 0))
        self.Y = np.empty((0, 0))
        self.names: list[str] = []

    def set_data(self, X: np.ndarray | None, Y: np.ndarray | None) -> None:
        """Show these rows (None: nothing)."""
        self.beginResetModel()
        if X is None or Y is None:
            self.X, self.Y, self.names = np.empty((0, 0)), np.empty((0, 0)), []
        else:
            self.X, self.Y = X[:PREVIEW_ROWS], Y[:PREVIEW_ROWS]
            n_in, n_out = X.shape[1], Y.shape[1]
            self.names = ["x" + subscript(j + 1) for j in range(n_in)]
            self.names += ["y"] if n_out == 1 else ["y" + subscript(j + 1) for j in range(n_out)]
        self.endResetModel()

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.X)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.names)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            row, column = index.row(), index.column()
            n_in = self.X.shape[1]
            value = self.X[row, column] if column < n_in else self.Y[row, column - n_in]
            return display(value, DIGITS if role == Qt.ItemDataRole.DisplayRole else EXACT)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None

    def headerData(  # noqa: N802 - Qt's name
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return self.names[section] if section < len(self.names) else None
        return str(section + 1)


class DatasetPanel(QWidget):
    """Choose, import or clear the training data set; show its size and first rows."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.csv_dialog: CsvImportDialog | None = None

        font = self.font()
        if font.pointSizeF() < 10:  # readable on a projector
            font.setPointSizeF(10)
            self.setFont(font)

        self.choice = QComboBox()
        for name, (label, about) in BUILT_IN.items():
            self.choice.addItem(label, name)
            self.choice.setItemData(self.choice.count() - 1, about, Qt.ItemDataRole.ToolTipRole)
        self.about = QLabel()
        self.about.setWordWrap(True)
        self.about.installEventFilter(self)
        self.physics = QLabel()
        self.physics.setObjectName("dataset_physics")
        self.physics.setTextFormat(Qt.TextFormat.PlainText)
        self.physics.setWordWrap(True)
        self.physics.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.physics.installEventFilter(self)
        self.samples = WholeSpinBox("samples")
        self.samples.setRange(1, MAX_SAMPLES)
        self.samples.setToolTip("Number of rows (samples) to generate")
        self.noise = RealSpinBox("noise")
        self.noise.setRange(0.0, 10.0)
        self.noise.setSingleStep(0.05)
        self.noise.setToolTip("Standard deviation of the Gaussian noise added")
        self.seed = WholeSpinBox("seed")
        self.seed.setRange(0, 999_999)
        self.seed.setToolTip("The same seed always gives the same rows")
        self.one_hot = QCheckBox("One target column per class (one-hot)")
        self.one_hot.setToolTip(
            "Two target columns for a 2-output (e.g. softmax) network; "
            "else one column holding the class, 0 or 1"
        )
        self.use_button = QPushButton("Use this data set")
        self.use_button.clicked.connect(self.use_built_in)
        built_in = QGroupBox("Built-in data set")
        form = QFormLayout(built_in)
        form.addRow("Data set", self.choice)
        form.addRow(self.about)
        form.addRow(self.physics)
        # Short settings two to a row, so the data table below stays in view in a small dock.
        settings = QGridLayout()
        places = (("Samples", self.samples, 0, 0), ("Noise", self.noise, 0, 2), ("Seed", self.seed, 1, 0))
        for text, box, row, column in places:
            caption = QLabel(text)
            caption.setBuddy(box)
            settings.addWidget(caption, row, column)
            settings.addWidget(box, row, column + 1)
        settings.setColumnStretch(1, 1)
        settings.setColumnStretch(3, 1)
        form.addRow(settings)
        form.addRow(self.one_hot)
        form.addRow(self.use_button)

        self.import_button = QPushButton("Import CSV…")
        self.import_button.clicked.connect(self.import_csv)
        self.clear_button = QPushButton("Clear data set")
        self.clear_button.setToolTip("Train on the step-through sample alone (undoable)")
        self.clear_button.clicked.connect(self.clear)
        buttons = QHBoxLayout()
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.clear_button)

        self.message = ErrorLabel("dataset_message")
        self.message.hide()
        for box in (self.samples, self.noise, self.seed):
            box.refused.connect(self.show_message)

        self.summary = QLabel()
        self.summary.setObjectName("dataset_summary")
        self.summary.setWordWrap(True)
        summary_font = self.summary.font()
        summary_font.setBold(True)
        self.summary.setFont(summary_font)
        self.more = QLabel()
        self.model = DataTableModel(self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setAlternatingRowColors(True)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 6)
        self.table.setMinimumHeight(140)

        layout = QVBoxLayout(self)
        layout.addWidget(built_in)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.more)
        self._apply_colors()

        self.choice.currentIndexChanged.connect(self._chosen)
        document.data_changed.connect(self.refresh)
        document.structure_changed.connect(self._structure_changed)
        self._chosen()
        self.refresh()

    # --- reading ----------------------------------------------------------------------------
    def chosen_name(self) -> str:
        """Return the DATASETS key of the built-in data set chosen."""
        return self.choice.currentData()

    def choose(self, name: str) -> None:
        """Select a built-in data set by its DATASETS key (as picking it in the list does)."""
        self.choice.setCurrentIndex(self.choice.findData(name))

    def summary_text(self) -> str:
        """Return the line that describes the current data set."""
        return self.summary.text()

    def refresh(self) -> None:
        """Show the document's data set: its size and first rows."""
        state = self.document.state
        X, Y = state.dataset_x, state.dataset_y
        if X is None or Y is None or len(X) == 0:
            self.summary.setText("No data set: training uses the sample as its one row")
            x, y = state.sample_x, state.sample_y
            self.model.set_data(None if x is None else x[None, :], None if y is None else y[None, :])
            self.more.setText("")
            self.clear_button.setEnabled(False)
            return
        self.summary.setText(describe(X, Y))
        self.model.set_data(X, Y)
        more = len(X) > PREVIEW_ROWS
        self.more.setText(f"Showing the first {PREVIEW_ROWS:,} of {len(X):,} rows" if more else "")
        self.clear_button.setEnabled(True)

    # --- gestures -----------------------------------------------------------------------------
    def use_built_in(self) -> None:
        """Generate the chosen data set with the settings shown and load it (one undo step)."""
        name = self.chosen_name()
        label = BUILT_IN[name][0]
        options = {"n_samples": self.samples.value(), "noise": self.noise.value(), "seed": self.seed.value()}
        if "one_hot" in _defaults(name):
            options["one_hot"] = self.one_hot.isChecked()
        try:
            dataset = make_dataset(name, **options)
            text = f"Use data set {label} ({_count(len(dataset), 'sample')})"
            data_edits.set_dataset(self.document, dataset.X, dataset.Y, text, name=label)
        except ValueError as error:
            self.show_message(self._with_hint(str(error), name))
            return
        self.show_message("")

    def import_csv(self) -> None:
        """Open the CSV import dialog (not blocking); its OK loads the data (one undo step)."""
        if self.csv_dialog is not None:
            self.csv_dialog.deleteLater()
        self.csv_dialog = CsvImportDialog(self.document, self)
        self.csv_dialog.accepted.connect(self._csv_accepted)
        self.csv_dialog.open()

    def clear(self) -> None:
        """Remove the data set (one undo step)."""
        data_edits.clear_dataset(self.document)
        self.show_message("")

    def _csv_accepted(self) -> None:
        dialog = self.csv_dialog
        if dialog is None:
            return
        X, Y = dialog.result_data()
        try:
            name = dialog.file_name()
            data_edits.set_dataset(self.document, X, Y, f"Import {name}", name=name)
        except ValueError as error:
            self.show_message(str(error))
            return
        self.show_message("")

    def _with_hint(self, message: str, name: str) -> str:
        # A two-class set fits a 1- or a 2-output network: point at the box that switches it.
        if "one_hot" in _defaults(name) and "output" in message:
            outputs = self.document.network.sizes[-1]
            if outputs == 2 and not self.one_hot.isChecked():
                return message + "; tick “one-hot” for 2 target columns"
            if outputs == 1 and self.one_hot.isChecked():
                return message + "; untick “one-hot” for 1 target column"
        return message

    def _chosen(self) -> None:
        name = self.chosen_name()
        defaults = _defaults(name)
        self.about.setText(BUILT_IN[name][1])
        physics = physics_text(name)
        self.physics.setText(physics)
        self.physics.setVisible(bool(physics))
        self._fit_about()
        self.samples.setValue(defaults.get("n_samples", 100))
        self.noise.setValue(defaults.get("noise", 0.0))
        self.one_hot.setEnabled("one_hot" in defaults)
        self._match_one_hot()
        self.show_message("")

    def _match_one_hot(self) -> None:
        self.one_hot.setChecked(self.one_hot.isEnabled() and self.document.network.sizes[-1] == 2)

    def _structure_changed(self) -> None:
        self._match_one_hot()
        self.show_message("")
        self.refresh()

    # --- looks ------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched in (self.about, self.physics) and event.type() == QEvent.Type.Resize:
            self._fit_about()
        return super().eventFilter(watched, event)

    def _fit_about(self) -> None:
        # A wrapped label in a form gets one line's height when space is short (the table below
        # wants it all); pin its height to what its text needs at the width it was given.
        for label in (self.about, self.physics):
            needed = label.heightForWidth(label.width()) if label.isVisibleTo(self) else 0
            if needed >= 0 and needed != label.minimumHeight():
                label.setMinimumHeight(max(needed, 0))

    def show_message(self, text: str) -> None:
        """Show a one-line problem (empty text hides it); a leading file name keeps its case."""
        self.message.show_text(sentence_case(text))

    def _apply_colors(self) -> None:
        self.about.setStyleSheet(f"color: {muted_color(self.palette()).name()}")

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.PaletteChange:
            self._apply_colors()
        super().changeEvent(event)
