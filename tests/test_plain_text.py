"""File content is shown as plain text: HTML in a key or a CSV cell is never rendered or followed.

An <img src> points at a FIFO: if Qt rendered the message as rich text it would open the FIFO to
load the image, which a watcher thread notices (and the test still ends quickly).
"""

from __future__ import annotations

import json
import os
import threading

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox

from explorer.app.main_window import MainWindow
from explorer.app.startup import open_state
from explorer.document import commands
from explorer.document.document import Document


class FifoWatch:
    """A FIFO whose opening by anyone but the test is recorded."""

    def __init__(self, path) -> None:
        self.path = str(path)
        os.mkfifo(self.path)
        self.opened_by_someone = False
        self._closing = False
        self._thread = threading.Thread(target=self._wait, daemon=True)
        self._thread.start()

    def _wait(self) -> None:
        descriptor = os.open(self.path, os.O_WRONLY)  # blocks until a reader opens the FIFO
        if not self._closing:
            self.opened_by_someone = True
        os.close(descriptor)

    def finish(self) -> bool:
        """Unblock the watcher; return whether something else opened the FIFO."""
        self._closing = not self.opened_by_someone
        descriptor = os.open(self.path, os.O_RDONLY | os.O_NONBLOCK)
        self._thread.join(5)
        os.close(descriptor)
        return self.opened_by_someone


@pytest.fixture
def window(qtbot, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # the <img src="f"> below is relative: short enough to be quoted whole
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(Document(open_state(None)), settings)
    qtbot.addWidget(win)
    win.show()
    return win


def shown_boxes(monkeypatch) -> list[tuple[Qt.TextFormat, str]]:
    """Replace QMessageBox.exec: show the real box for a moment, record its text and format."""
    seen: list[tuple[Qt.TextFormat, str]] = []

    def exec_(box: QMessageBox) -> int:
        box.show()
        QApplication.processEvents()
        label = box.findChild(QLabel, "qt_msgbox_label")
        seen.append((label.textFormat(), label.text()))
        box.close()
        return int(QMessageBox.StandardButton.Ok)

    monkeypatch.setattr(QMessageBox, "exec", exec_)
    return seen


def assert_no_label_renders(marker: str) -> None:
    for widget in QApplication.allWidgets():
        if isinstance(widget, QLabel) and marker in widget.text():
            assert widget.textFormat() == Qt.TextFormat.PlainText, widget.objectName()


def test_an_html_key_is_shown_as_text_and_its_image_never_loaded(window, tmp_path, monkeypatch):
    watch = FifoWatch(tmp_path / "f")
    key = '<img src="f"><a href="x">click</a>'
    bad = tmp_path / "bad.mlp.json"
    data = json.loads(json.dumps(open_state(None).to_dict()))
    data[key] = 1
    bad.write_text(json.dumps(data), encoding="utf-8")
    seen = shown_boxes(monkeypatch)
    assert not window.files.open_path(str(bad))
    assert len(seen) == 1
    text_format, text = seen[0]
    assert '<img src="f">' in text  # before the first line break: Qt's AutoText would guess HTML
    assert text_format == Qt.TextFormat.PlainText
    assert_no_label_renders("<img")
    assert not watch.finish(), "the <img> in the message was loaded"


def test_an_html_csv_cell_is_shown_as_text_with_unsaved_edits_kept(window, tmp_path, monkeypatch):
    watch = FifoWatch(tmp_path / "f")
    commands.edit_weight(window.document, 1, 0, 0, 0.9)  # unsaved: an abort would lose it
    table = tmp_path / "data.csv"
    table.write_text('a,b,c,d\n1,2,<img src="f">,4\n', encoding="utf-8")
    panel = window.panels["dataset"]
    panel.import_csv()
    dialog = panel.csv_dialog
    dialog.path_field.setText(str(table))
    dialog.load_preview()
    dialog.accept()
    QApplication.processEvents()
    assert '<img src="f">' in dialog.message.text()
    assert dialog.message.textFormat() == Qt.TextFormat.PlainText
    assert_no_label_renders("<img")
    assert not watch.finish()
    assert window.document.network.layer(1).weights[0, 0] == 0.9
    dialog.reject()
    window.document.undo_stack.setClean()  # closing asks no question


def test_the_csv_dialog_says_what_a_fifo_is_without_opening_it(window, tmp_path):
    watch = FifoWatch(tmp_path / "pipe.csv")
    panel = window.panels["dataset"]
    panel.import_csv()
    dialog = panel.csv_dialog
    dialog.path_field.setText(watch.path)
    dialog.load_preview()
    assert "FIFO" in dialog.message.text()
    dialog.accept()
    assert "FIFO" in dialog.message.text()
    assert not watch.finish()
    dialog.reject()
