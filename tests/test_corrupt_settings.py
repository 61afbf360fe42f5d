"""A settings file with values of the wrong type or size never stops the window from starting."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QByteArray, QSettings

from explorer.app.file_controller import MAX_RECENT
from explorer.app.main_window import MainWindow
from explorer.app.settings_values import read_bytes, read_paths
from explorer.app.startup import open_state
from explorer.document.document import Document

BAD_VALUES = [
    "hello",
    "1, 2, 3",
    "42",
    "-1",
    "true",
    "@ByteArray()",
    "@ByteArray(garbage\\0\\x1\\xff)",
    "@Invalid()",
    "@Variant(\\0\\0\\0\\x7f\\0\\0\\0\\x1)",
    "@Rect(1 2 3 4)",
    "@Size(-5 -5)",
    "@Point(1 2)",
    '"',
    "@ByteArray(\\0\\0\\0\\xff\\0\\0\\0\\0)",
]


def start(qtbot, tmp_path, text: str) -> MainWindow:
    path = tmp_path / "settings.ini"
    path.write_text(text, encoding="utf-8")
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    window = MainWindow(Document(open_state(None)), settings)
    qtbot.addWidget(window)
    window.show()
    return window


@pytest.mark.parametrize("key", ["window/state", "window/geometry", "recent_files"])
@pytest.mark.parametrize("value", BAD_VALUES + ["a, b, c"])
def test_the_readers_ignore_every_corrupt_variant(tmp_path, key, value):
    group, _, name = key.rpartition("/")
    path = tmp_path / "settings.ini"
    path.write_text(f"[{group or 'General'}]\n{name}={value}\n", encoding="utf-8")
    settings = QSettings(str(path), QSettings.Format.IniFormat)
    got = read_bytes(settings, key)
    assert got is None or isinstance(got, QByteArray)
    paths = read_paths(settings, key, MAX_RECENT)
    assert isinstance(paths, list) and all(isinstance(p, str) and p for p in paths)


@pytest.mark.parametrize("value", BAD_VALUES)
def test_the_window_starts_whatever_the_layout_and_recent_files_hold(qtbot, tmp_path, value):
    text = f"[window]\nstate={value}\ngeometry={value}\n[General]\nrecent_files={value}\n"
    window = start(qtbot, tmp_path, text)
    assert window.isVisible() and window.width() > 100
    window.files._fill_recent()
    window.save_layout()  # and the next start reads a good one again


def test_a_hundred_thousand_recent_files_are_capped_when_read(qtbot, tmp_path):
    paths = ", ".join(f"/tmp/file-{i}.mlp.json" for i in range(100_000))
    started = time.monotonic()
    window = start(qtbot, tmp_path, f"[General]\nrecent_files={paths}\n")
    window.files._fill_recent()
    assert time.monotonic() - started < 5
    assert len(window.files.recent_files()) == MAX_RECENT
    assert len(window.files.recent_menu.actions()) == MAX_RECENT
