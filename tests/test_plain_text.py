"""File content is shown as plain text: HTML in a key or a CSV cell is never rendered or followed.

An <img src> points at a FIFO: if Qt rendered the message as rich text it would open the FIFO to
load the image, which a watcher thread notices (and the test still ends quickly).
"""

from __future__ import annotations

import json
import os
import threading

import pytest
from PySide6.QtCore import QPoint, QPointF, QSettings, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QToolTip

from explorer.app.main_window import MainWindow
from explorer.app.startup import open_state
from explorer.document import commands
from explorer.document.document import Document
from explorer.document.selection import Selection
from explorer.files import reader, writer
from explorer.views.plain_text import plain_tooltip


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


def test_html_in_a_name_a_path_and_csv_headers_is_shown_literally_everywhere(window, tmp_path, monkeypatch):
    watch = FifoWatch(tmp_path / "f")
    name = '<b>bold</b><img src="f">'
    path = tmp_path / '<img src="f"> & <a href=x>y.mlp.json'  # a file name holds no "/"
    state = open_state(None)
    state.network.name = name
    writer.save(path, state)
    assert window.files.open_path(str(path))
    QApplication.processEvents()
    assert path.name in window.windowTitle()
    assert window.statusBar().currentMessage() == f"Opened {path}"
    window.set_document(Document(reader.load(path)))  # unsaved: the title names the network
    assert window.windowTitle().startswith(name)

    graph = window.graph
    area = graph.mapToScene(graph.viewport().rect()).boundingRect()
    tips = set()
    for x in range(41):
        for y in range(41):
            point = QPointF(area.left() + area.width() * x / 40, area.top() + area.height() * y / 40)
            tips.add(graph.tooltip_at(point))
    tips.discard("")
    assert tips, "the graph offered no tooltip"
    for tip in tips:
        assert "<img" not in tip and "<b>bold" not in tip  # built from numbers and symbols only
        QToolTip.showText(QPoint(10, 10), tip, graph.viewport())
        QApplication.processEvents()
    QToolTip.hideText()

    window.document.select(Selection.neuron(1, 0))
    window.docks["inspector"].raise_()
    QApplication.processEvents()

    window.files._fill_recent()
    recent = [a for a in window.files.recent_menu.actions() if a.text().replace("&&", "&") == str(path)]
    assert len(recent) == 1
    tooltip = recent[0].toolTip()
    assert tooltip == plain_tooltip(str(path))
    shown = QTextDocument()
    shown.setHtml(tooltip)
    assert shown.toPlainText() == str(path)  # Qt reads it as the literal path
    QToolTip.showText(QPoint(10, 10), tooltip, window)
    QApplication.processEvents()
    QToolTip.hideText()

    table = tmp_path / "data.csv"
    table.write_text('"<b>bold</b>",<img src="f">,c,d\n1,2,3,4\n', encoding="utf-8")
    panel = window.panels["dataset"]
    panel.import_csv()
    dialog = panel.csv_dialog
    dialog.path_field.setText(str(table))
    dialog.load_preview()
    QApplication.processEvents()
    headers = [dialog.preview.horizontalHeaderItem(j).text() for j in range(2)]
    assert headers == ["<b>bold</b>", '<img src="f">']
    dialog.reject()

    assert_no_label_renders("<img")
    assert_no_label_renders("<b>bold")
    assert not watch.finish(), "an <img> in a name, a path or a header was loaded"
