"""File ▸ Export Network ▸ (NumPy script, PyTorch script, .npz, ONNX) and File ▸ Import Network… of a window.

The formats are in explorer.files.exchange; here are only the dialogs, which tests replace
(ask_export_path, ask_import_path, ask_activations, show_error). Errors show as plain text.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QWidget,
)

from explorer.document.document import Document
from explorer.engine.activations import ACTIVATIONS
from explorer.engine.losses import LOSSES
from explorer.files.exchange import build_file, export_network, read_layers
from explorer.files.exchange_common import ImportedLayers
from explorer.files.model import FileFormatError, one_line

# (menu text, suffix, framework, file dialog filter)
EXPORT_FORMATS = (
    ("&NumPy Script (.py)…", ".py", "numpy", "NumPy script (*.py)"),
    ("&PyTorch Script (.py)…", ".py", "torch", "PyTorch script (*.py)"),
    ("NumPy &Arrays (.npz)…", ".npz", "numpy", "NumPy arrays (*.npz)"),
    ("&ONNX Model (.onnx)…", ".onnx", "numpy", "ONNX model (*.onnx)"),
)
IMPORT_FILTER = "Network weights (*.npz *.safetensors *.onnx);;All files (*)"


class ActivationsDialog(QDialog):
    """Ask for one activation per imported layer, and the loss."""

    def __init__(self, layers: ImportedLayers, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Import network: activations")
        form = QFormLayout(self)
        note = QLabel("The file holds weights but no activations. Choose g for each layer:")
        note.setTextFormat(Qt.TextFormat.PlainText)
        form.addRow(note)
        sizes = layers.sizes
        self.boxes: list[QComboBox] = []
        for k in range(1, len(sizes)):
            box = QComboBox(self)
            box.addItems(list(ACTIVATIONS))
            box.setCurrentText("sigmoid")
            form.addRow(f"Layer {k} ({sizes[k - 1]} → {sizes[k]}):", box)
            self.boxes.append(box)
        self.loss = QComboBox(self)
        self.loss.addItems(list(LOSSES))
        self.loss.setCurrentText(layers.loss or "half_sse")
        form.addRow("Loss:", self.loss)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)

    def choice(self) -> tuple[tuple[str, ...], str]:
        """Return the chosen activations and loss."""
        return tuple(box.currentText() for box in self.boxes), self.loss.currentText()


class ExchangeActions:
    """The network export submenu and the import action, added to a File menu."""

    def __init__(self, window: Any, menu: QMenu) -> None:
        self.window = window
        self.export_menu = menu.addMenu("Export &Network")
        for text, suffix, framework, filters in EXPORT_FORMATS:
            action = QAction(text, window)
            action.triggered.connect(
                lambda _checked=False, s=suffix, f=framework, d=filters: self.export(s, f, d)
            )
            self.export_menu.addAction(action)
        self.import_action = QAction("&Import Network…", window)
        self.import_action.triggered.connect(lambda _checked=False: self.import_network())
        menu.addAction(self.import_action)

    # --- dialogs (replaced in tests) ---------------------------------------------------
    def ask_export_path(self, suggestion: str, filters: str) -> str | None:
        """Ask where to export; None if cancelled."""
        path, _ = QFileDialog.getSaveFileName(self.window, "Export network", suggestion, filters)
        return path or None

    def ask_import_path(self) -> str | None:
        """Ask for a weights file to import; None if cancelled."""
        folder = self.window.files.folder()
        path, _ = QFileDialog.getOpenFileName(self.window, "Import network", folder, IMPORT_FILTER)
        return path or None

    def ask_activations(self, layers: ImportedLayers) -> tuple[tuple[str, ...], str] | None:
        """Ask for the activations and loss of layers read without them; None if cancelled."""
        dialog = ActivationsDialog(layers, self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.choice()

    def show_error(self, message: str) -> None:
        """Show a one-line error as plain text (a file name with < or & is not markup)."""
        box = QMessageBox(QMessageBox.Icon.Critical, "MLP Explorer", message, parent=self.window)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.exec()

    # --- actions -----------------------------------------------------------------------
    def export(self, suffix: str, framework: str = "numpy", filters: str = "") -> bool:
        """Ask for a path and export the current network there in the chosen format."""
        document = self.window.document
        stem = self.window.files.display_name(document).split(".")[0] or "network"
        suggestion = str(Path(self.window.files.folder()) / f"{stem}{suffix}")
        path = self.ask_export_path(suggestion, filters)
        if not path:
            return False
        if not path.lower().endswith(suffix):
            path += suffix
        try:
            export_network(document.state, path, "float64", framework)
        except FileFormatError as error:
            self.show_error(str(error))
            return False
        except Exception as error:  # noqa: BLE001 - any failure of a write is reported, never raised
            self.show_error(f"{path}: could not export: {one_line(error)}")
            return False
        self.window.show_status(f"Exported {path}")
        return True

    def import_network(self) -> bool:
        """Ask for a weights file (and activations if it has none); open it untitled and modified."""
        if not self.window.files.maybe_save():
            return False
        path = self.ask_import_path()
        if not path:
            return False
        try:
            layers = read_layers(path)
            activations, loss = layers.activations, layers.loss
            if activations is None:
                answer = self.ask_activations(layers)
                if answer is None:
                    return False
                activations, loss = answer
            state = build_file(layers, path, activations, loss)
        except FileFormatError as error:
            self.show_error(str(error))
            return False
        document = Document(state, None)
        self.window.set_document(document)
        document.undo_stack.resetClean()  # never saved: Save asks for a name, closing asks first
        self.window.show_status(f"Imported {path}")
        return True
