"""Crash recovery through a real process: edit, autosave, kill -9, start again, restore."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

from explorer.app.startup import open_state
from explorer.files import reader, writer

CHILD = textwrap.dedent(
    """
    import sys
    from PySide6.QtCore import QSettings, QTimer
    from explorer.app.main_window import MainWindow
    from explorer.app.startup import make_application, open_state
    from explorer.document import commands
    from explorer.document.document import Document

    path, settings_path, mode = sys.argv[1], sys.argv[2], sys.argv[3]
    app = make_application()
    settings = QSettings(settings_path, QSettings.Format.IniFormat)
    window = MainWindow(Document(open_state(path), path), settings)
    window.files.add_recent(path)
    window.show()
    if mode == "edit":
        commands.edit_weight(window.document, 1, 0, 0, 0.875)
        print("edited", flush=True)
        app.exec()  # killed with SIGKILL by the test
    else:
        offered = []
        window.recovery_question = lambda recovery: offered.append(recovery.describe()) or "restore"
        restored = window.offer_recovery()
        print("offered", offered, flush=True)
        print("restored", restored, window.document.network.layer(1).weights[0, 0],
              window.document.is_modified, window.document.path, flush=True)
        window.document.undo_stack.setClean()
        window.close()
    """
)


def test_a_killed_window_offers_its_unsaved_changes_at_the_next_start(tmp_path):
    network = tmp_path / "net.mlp.json"
    writer.save(network, open_state(None))
    data = tmp_path / "data"
    env = {
        **os.environ,
        "QT_QPA_PLATFORM": "offscreen",
        "MLP_EXPLORER_DATA_DIR": str(data),
        "MLP_EXPLORER_AUTOSAVE_SECONDS": "0.2",
        "PYTHONPATH": str(Path(__file__).resolve().parent.parent),
    }
    settings = str(tmp_path / "settings.ini")
    args = [sys.executable, "-c", CHILD, str(network), settings]
    child = subprocess.Popen([*args, "edit"], env=env, stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout.readline().strip() == "edited"
        recovery = data / "recovery" / f"{child.pid}.mlp.json"
        deadline = time.monotonic() + 30
        while not (recovery.exists() and recovery.with_suffix("").with_suffix(".json").exists()):
            assert time.monotonic() < deadline, "no autosave within 30 s"
            time.sleep(0.05)
        time.sleep(0.2)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(10)
        child.stdout.close()
    assert child.returncode == -signal.SIGKILL
    assert reader.load(network).network.layer(1).weights[0, 0] == 0.15  # the user's file untouched
    assert reader.load(recovery).network.layer(1).weights[0, 0] == 0.875
    assert str(network) in Path(settings).read_text()  # the recent entry was written at once

    again = subprocess.run([*args, "restore"], env=env, capture_output=True, text=True, timeout=60)
    assert again.returncode == 0, again.stderr
    lines = again.stdout.splitlines()
    assert lines[0].startswith("offered") and "net.mlp.json" in lines[0]
    assert lines[1] == f"restored True 0.875 True {network}"
    assert not recovery.exists()  # restored, then a normal close


def test_a_save_removes_the_recovery_file(qtbot, tmp_path, monkeypatch):
    from PySide6.QtCore import QSettings

    from explorer.app.main_window import MainWindow
    from explorer.document import commands
    from explorer.document.document import Document

    monkeypatch.setenv("MLP_EXPLORER_DATA_DIR", str(tmp_path / "data"))
    target = tmp_path / "net.mlp.json"
    writer.save(target, open_state(None))
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Document(open_state(str(target)), str(target)), settings)
    qtbot.addWidget(window)
    commands.edit_weight(window.document, 1, 0, 0, 0.5)
    window.autosave.tick()
    recovery = Path(window.autosave.network_path)
    assert recovery.exists() and json.loads(Path(window.autosave.meta_path).read_text())["original"]
    assert reader.load(target).network.layer(1).weights[0, 0] == 0.15
    assert window.files.save()
    assert not recovery.exists()
