"""Opening and saving a large file keep the window alive: a busy dialog after half a second, and Cancel.

The slow parts are made slow on purpose (an Event the test releases), so the tests neither need
hundreds of megabytes nor depend on the machine's speed; one test loads through the real child process.
"""

from __future__ import annotations

import json
import threading

import pytest
from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtWidgets import QApplication

from explorer.app import file_controller, progress
from explorer.app.main_window import MainWindow
from explorer.app.startup import open_state
from explorer.document import commands
from explorer.document.document import Document
from explorer.files import reader, writer
from explorer.files.background import ProcessLoad, ThreadJob


@pytest.fixture
def make_window(qtbot, tmp_path):
    def make(path=None) -> MainWindow:
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        state = reader.load(path) if path else open_state(None)
        win = MainWindow(Document(state, str(path) if path else None), settings)
        qtbot.addWidget(win)
        win.answers, win.errors = [], []
        win.files.ask_unsaved = lambda: win.answers.pop(0) if win.answers else "discard"
        win.files.show_error = win.errors.append
        win.show()
        return win

    return make


@pytest.fixture
def window(make_window):
    return make_window()


@pytest.fixture
def dialogs(monkeypatch):
    """Record every busy dialog that is made."""
    made: list[progress.BusyDialog] = []

    class Recorded(progress.BusyDialog):
        def __init__(self, parent, text) -> None:
            super().__init__(parent, text)
            made.append(self)

    monkeypatch.setattr(progress, "BusyDialog", Recorded)
    return made


def press_cancel_when_shown(dialogs, seen: list[dict]) -> None:
    """Once a busy dialog shows, note what it says and press its Cancel button."""

    def check() -> None:
        shown = [d for d in dialogs if d.isVisible()]
        if not shown:
            QTimer.singleShot(50, check)
            return
        dialog = shown[-1]
        seen.append(
            {
                "text": dialog.text_label.text(),
                "format": dialog.text_label.textFormat(),
                "modal": dialog.windowModality(),
            }
        )
        dialog.cancel_button.click()
        seen[-1]["after"] = dialog.text_label.text()
        seen[-1]["visible_after"] = dialog.isVisible()

    QTimer.singleShot(50, check)


def a_file(tmp_path, name="other.mlp.json", weight=0.5):
    state = open_state(None)
    state.network.layer(1).weights[0, 0] = weight
    path = tmp_path / name
    writer.save(path, state)
    return path


def test_a_slow_open_shows_progress_and_cancel_keeps_the_document(window, tmp_path, monkeypatch, dialogs):
    monkeypatch.setattr(file_controller, "LARGE_FILE_BYTES", 0)
    path = a_file(tmp_path, 'big <img src="f">.mlp.json')
    release = threading.Event()

    def slow_load(gate):
        release.wait(10)
        return reader.load(path)

    window.files.start_load = lambda p: ThreadJob(slow_load)
    commands.edit_weight(window.document, 1, 0, 0, 0.9)
    window.answers.append("discard")  # the question comes first; cancelling the load keeps it all
    before = window.document
    seen: list[dict] = []
    press_cancel_when_shown(dialogs, seen)
    assert not window.files.open_path(str(path))
    release.set()
    assert seen and seen[0]["text"] == 'Opening big <img src="f">.mlp.json…'
    assert seen[0]["format"] == Qt.TextFormat.PlainText
    assert seen[0]["modal"] == Qt.WindowModality.ApplicationModal
    assert window.document is before and window.document.network.layer(1).weights[0, 0] == 0.9
    assert window.errors == []
    assert not window.files.busy and not any(d.isVisible() for d in dialogs)
    window.document.undo_stack.setClean()


def test_a_fast_open_shows_no_dialog(window, tmp_path, monkeypatch, dialogs):
    monkeypatch.setattr(file_controller, "LARGE_FILE_BYTES", 0)
    path = a_file(tmp_path)
    window.files.start_load = lambda p: ThreadJob(lambda gate: reader.load(p))
    assert window.files.open_path(str(path))
    assert dialogs == []
    assert window.document.network.layer(1).weights[0, 0] == 0.5


def test_a_small_file_opens_without_any_background_work(window, tmp_path, monkeypatch):
    window.files.start_load = lambda p: pytest.fail("a small file went to the background")
    assert window.files.open_path(str(a_file(tmp_path)))


def test_a_large_file_loads_in_a_child_process_and_its_errors_read_as_before(window, tmp_path, monkeypatch):
    monkeypatch.setattr(file_controller, "LARGE_FILE_BYTES", 0)
    assert window.files.open_path(str(a_file(tmp_path, weight=0.25)))
    assert window.document.network.layer(1).weights[0, 0] == 0.25
    bad = tmp_path / "bad.mlp.json"
    bad.write_text('{"format": "mlp-explorer", "version": 1, "layers": [', encoding="utf-8")
    assert not window.files.open_path(str(bad))
    with pytest.raises(reader.FileFormatError) as in_process:
        reader.load(bad)
    assert window.errors == [str(in_process.value)]  # the same one line as a load on the window's thread


def test_a_cancelled_child_process_is_stopped(tmp_path):
    job = ProcessLoad(str(a_file(tmp_path)))
    assert job.cancel()
    assert job.wait(20)
    assert job._process.poll() is not None


def big_enough(monkeypatch):
    monkeypatch.setattr(file_controller, "LARGE_SAVE_NUMBERS", 0)


def test_a_failing_background_save_reports_one_line_and_stays_open(window, tmp_path, monkeypatch, dialogs):
    big_enough(monkeypatch)
    target = tmp_path / "net.mlp.json"
    network = window.document.network
    network.name = "bad \ud800 name"  # dumps refuses it in the thread
    window.document.mark_saved(str(target))
    commands.edit_weight(window.document, 1, 0, 0, 0.9)
    window.answers.append("save")
    window.close()
    assert window.isVisible() and window.document.is_modified
    assert len(window.errors) == 1 and "\n" not in window.errors[0]
    assert "lone surrogate" in window.errors[0] and "nothing was closed" in window.errors[0]
    assert not target.exists()
    network.name = "fine"

    def slow_failing_write(path, text):
        threading.Event().wait(0.8)
        raise PermissionError(13, "Permission denied\non that disk", path)

    monkeypatch.setattr(writer, "write", slow_failing_write)
    window.answers.append("save")
    window.close()
    assert window.isVisible() and window.document.is_modified
    assert len(dialogs) == 1  # it took long enough to show progress
    assert window.errors[-1].startswith(f"{target}: could not save: Permission denied")
    assert "\n" not in window.errors[-1] and window.errors[-1].endswith("the changes are still here.")
    window.answers.append("discard")
    window.close()


def test_cancel_before_writing_leaves_the_old_file(make_window, tmp_path, monkeypatch, dialogs):
    big_enough(monkeypatch)
    target = a_file(tmp_path, "net.mlp.json", weight=0.5)
    old = target.read_bytes()
    window = make_window(target)  # opened at the start: no old panels are left to delete
    commands.edit_weight(window.document, 1, 0, 0, 0.9)
    release = threading.Event()
    real_dumps = writer.dumps

    def slow_dumps(state, source):
        release.wait(10)
        return real_dumps(state, source)

    monkeypatch.setattr(writer, "dumps", slow_dumps)
    seen: list[dict] = []
    press_cancel_when_shown(dialogs, seen)
    assert not window.files.save()
    assert seen[0]["text"] == "Saving net.mlp.json…"
    release.set()
    QApplication.processEvents()
    threading.Event().wait(0.3)  # the thread, released, stops at its gate
    assert target.read_bytes() == old
    assert not list(tmp_path.glob(".net.mlp.json.*.tmp"))
    assert window.document.is_modified
    window.document.undo_stack.setClean()


def test_cancel_once_writing_started_finishes_the_save(make_window, tmp_path, monkeypatch, dialogs):
    big_enough(monkeypatch)
    target = a_file(tmp_path, "net.mlp.json", weight=0.5)
    window = make_window(target)
    commands.edit_weight(window.document, 1, 0, 0, 0.9)
    real_write = writer.write

    def slow_write(path, text):
        threading.Event().wait(1.0)
        real_write(path, text)

    monkeypatch.setattr(writer, "write", slow_write)
    seen: list[dict] = []
    press_cancel_when_shown(dialogs, seen)
    assert window.files.save()
    assert seen[0]["after"] == "Finishing the save of net.mlp.json…" and seen[0]["visible_after"]
    assert json.loads(target.read_text())["layers"][0]["weights"][0][0] == 0.9
    assert not window.document.is_modified


def test_a_save_waits_for_its_answer_with_a_paused_training(window, tmp_path, monkeypatch):
    big_enough(monkeypatch)
    target = tmp_path / "net.mlp.json"
    window.files.ask_save_path = lambda: str(target)
    paused: list[bool] = []
    window.training.pause = lambda: paused.append(True)
    commands.edit_weight(window.document, 1, 0, 0, 0.9)
    assert window.files.save()
    assert paused and reader.load(target).network.layer(1).weights[0, 0] == 0.9
