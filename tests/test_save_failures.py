"""A save that fails is reported, and a close waiting on it never loses the edits."""

from __future__ import annotations

import dataclasses
import os

import pytest
from PySide6.QtCore import QSettings

from explorer.app.main_window import MainWindow
from explorer.app.startup import open_state
from explorer.document import commands
from explorer.document.document import Document
from explorer.files import reader, writer


@pytest.fixture
def make_window(qtbot, tmp_path):
    def make(state, path=None) -> MainWindow:
        settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
        win = MainWindow(Document(state, path), settings)
        qtbot.addWidget(win)
        win.answers, win.errors = [], []
        win.files.ask_unsaved = lambda: win.answers.pop(0) if win.answers else "discard"
        win.files.show_error = win.errors.append
        win.show()
        return win

    return make


def surrogate_state():
    state = open_state(None)
    network = state.network.copy()
    network.name = "bad \ud800 name"
    return dataclasses.replace(state, network=network)


def test_closing_with_save_that_fails_on_a_lone_surrogate_stays_open(make_window, tmp_path):
    target = tmp_path / "net.mlp.json"
    window = make_window(surrogate_state(), str(target))
    commands.edit_weight(window.document, 1, 0, 0, 0.9)
    window.answers.append("save")
    window.close()
    assert window.isVisible()
    assert window.document.network.layer(1).weights[0, 0] == 0.9
    assert len(window.errors) == 1 and "\n" not in window.errors[0]
    assert "lone surrogate" in window.errors[0] and "nothing was closed" in window.errors[0]
    assert not target.exists()
    window.answers.append("discard")
    window.close()


def test_an_unforeseen_error_in_save_is_reported_and_the_close_cancelled(make_window, tmp_path, monkeypatch):
    window = make_window(open_state(None), str(tmp_path / "net.mlp.json"))
    commands.edit_weight(window.document, 1, 0, 0, 0.9)

    def broken(path, state):
        raise RuntimeError("disk said no\nat length")

    monkeypatch.setattr(writer, "save", broken)
    assert not window.files.save()
    assert window.errors[-1].endswith("could not save: disk said no at length")
    window.answers.append("save")
    window.close()
    assert window.isVisible() and window.document.is_modified
    window.answers.append("discard")
    window.close()


def test_save_through_a_symlink_keeps_the_link_and_hard_links_stay_joined(make_window, tmp_path):
    real = tmp_path / "real.mlp.json"
    writer.save(real, open_state(None))
    os.chmod(real, 0o640)
    link = tmp_path / "link.mlp.json"
    link.symlink_to(real)
    hard = tmp_path / "hard.mlp.json"
    os.link(real, hard)
    (tmp_path / ".real.mlp.json.0123abcd.tmp").write_text("left by a killed save")
    os.utime(tmp_path / ".real.mlp.json.0123abcd.tmp", (0, 0))
    window = make_window(reader.load(link), str(link))
    commands.edit_weight(window.document, 1, 0, 0, 0.9)
    assert window.files.save()
    assert link.is_symlink()
    assert reader.load(hard).network.layer(1).weights[0, 0] == 0.9
    assert os.stat(real).st_nlink == 2 and (os.stat(real).st_mode & 0o777) == 0o640
    assert not (tmp_path / ".real.mlp.json.0123abcd.tmp").exists()
