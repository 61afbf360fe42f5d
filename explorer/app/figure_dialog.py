"""The dialog File ▸ Export asks a plot's figure size and resolution with."""

from __future__ import annotations

from PySide6.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QSpinBox, QWidget

from explorer.app.figure import FigureSize

SCALES = ((1.0, "1× (screen)"), (2.0, "2× (slides, print)"), (3.0, "3× (poster)"))


def ask_figure_size(parent: QWidget, last: FigureSize) -> FigureSize | None:
    """Ask for a figure's width, height and resolution (starting from `last`); None if cancelled."""
    dialog = QDialog(parent)
    dialog.setWindowTitle("Figure size")
    form = QFormLayout(dialog)
    width, height = QSpinBox(), QSpinBox()
    for box, value in ((width, last.width), (height, last.height)):
        box.setRange(200, 8000)
        box.setSuffix(" px")
        box.setValue(value)
    scale = QComboBox()
    for factor, text in SCALES:
        scale.addItem(text, factor)
    factors = [factor for factor, _text in SCALES]
    scale.setCurrentIndex(factors.index(last.scale) if last.scale in factors else 1)
    form.addRow("Width", width)
    form.addRow("Height", height)
    form.addRow("Resolution", scale)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    form.addRow(buttons)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return FigureSize(width.value(), height.value(), float(scale.currentData()))
