"""Message boxes and labels that show text as typed: a file's content is never read as HTML.

Qt guesses rich text from a leading tag, so a key such as <img src="/dev/zero"> in an error message
would make a message box load that "image". Every text that quotes a file, a CSV cell, a path or a
typed value goes through these, whose text format is PlainText, or through plain_tooltip.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QMessageBox, QWidget

MAX_SHOWN = 600  # characters; messages are one line of a few hundred, this only guards the dialog's size


def message_box(
    parent: QWidget | None,
    icon: QMessageBox.Icon,
    title: str,
    text: str,
    buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
    default: QMessageBox.StandardButton = QMessageBox.StandardButton.NoButton,
) -> QMessageBox:
    """Return a message box that shows `text` as plain text (at most MAX_SHOWN characters)."""
    box = QMessageBox(icon, title, "", buttons, parent)
    box.setTextFormat(Qt.TextFormat.PlainText)
    box.setText(text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…")
    if default != QMessageBox.StandardButton.NoButton:
        box.setDefaultButton(default)
    return box


def ask(box: QMessageBox) -> QMessageBox.StandardButton:
    """Run the box modally and return the button pressed."""
    return QMessageBox.StandardButton(box.exec())


def plain_label(text: str = "", parent: QWidget | None = None) -> QLabel:
    """Return a label that shows `text` as plain text."""
    label = QLabel(parent)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setText(text)
    return label


def plain_tooltip(text: str) -> str:
    """Return a tooltip that Qt shows as `text` itself: escaped HTML, so a tag is never followed."""
    # QToolTip and setToolTip guess rich text (Qt.mightBeRichText), so a plain string that starts
    # with a tag would be rendered; escaped inside a paragraph it always reads literally.
    return "<p style='white-space:pre-wrap'>" + html.escape(text) + "</p>"
