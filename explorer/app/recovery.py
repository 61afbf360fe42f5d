"""Crash recovery: unsaved changes are written to a recovery file, offered back after a crash.

While the open network has unsaved changes, it is written every AUTOSAVE_SECONDS (30 s; the
MLP_EXPLORER_AUTOSAVE_SECONDS environment variable changes it) to RECOVERY_FOLDER/<pid>.mlp.json in
the app's data folder (QStandardPaths' AppDataLocation, or MLP_EXPLORER_DATA_DIR), never over the
user's file, through files.atomic. A sidecar <pid>.json names the file it belongs to. A save, a
discard or a normal close removes both. The next start finds those of processes no longer running
and offers them: Restore (the recovered network opens as an unsaved, undoable change of its file),
Discard (deleted) or Later (kept for the next start).
"""

from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QStandardPaths, QTimer
from PySide6.QtWidgets import QMessageBox, QWidget

from explorer.files import reader, writer
from explorer.files.atomic import write_text_atomic
from explorer.files.model import FileFormatError, NetworkFile
from explorer.views.plain_text import ask, message_box

if TYPE_CHECKING:
    from explorer.app.main_window import MainWindow

AUTOSAVE_SECONDS = 30.0
RECOVERY_FOLDER = "recovery"
DATA_DIR_VARIABLE = "MLP_EXPLORER_DATA_DIR"
INTERVAL_VARIABLE = "MLP_EXPLORER_AUTOSAVE_SECONDS"


def data_folder() -> str:
    """Return the app's data folder (MLP_EXPLORER_DATA_DIR, else Qt's AppDataLocation)."""
    folder = os.environ.get(DATA_DIR_VARIABLE)
    if not folder:
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation)
    return folder or os.path.join(os.path.expanduser("~"), ".local", "share", "mlp-explorer")


def recovery_folder() -> str:
    """Return the folder that holds recovery files."""
    return os.path.join(data_folder(), RECOVERY_FOLDER)


def autosave_seconds() -> float:
    """Return the autosave interval: AUTOSAVE_SECONDS unless the environment variable sets one."""
    try:
        seconds = float(os.environ.get(INTERVAL_VARIABLE, AUTOSAVE_SECONDS))
    except ValueError:
        return AUTOSAVE_SECONDS
    return seconds if 0.05 <= seconds <= 86_400 else AUTOSAVE_SECONDS


@dataclass(frozen=True)
class Recovery:
    """One recovery file left by an earlier process."""

    network_path: str  # the recovery file itself
    meta_path: str
    original: str | None  # the user's file it belongs to, None for an untitled network
    written: float  # seconds since the epoch

    def describe(self) -> str:
        """Return one line naming the file and when it was written."""
        name = os.path.basename(self.original) if self.original else "an untitled network"
        when = time.strftime("%Y-%m-%d %H:%M", time.localtime(self.written))
        return (
            f"Unsaved changes to {name} were recovered from {when}, "
            "after MLP Explorer did not close normally."
        )

    def discard(self) -> None:
        """Delete the recovery file and its sidecar."""
        for path in (self.network_path, self.meta_path):
            try:
                os.unlink(path)
            except OSError:
                pass


class Autosave(QObject):
    """Writes the window's document to this process's recovery file while it has unsaved changes."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window
        stem = os.path.join(recovery_folder(), str(os.getpid()))
        self.network_path, self.meta_path = stem + ".mlp.json", stem + ".json"
        self._written_index: tuple[int, int] | None = None
        self.last_error = ""
        self.timer = QTimer(self)
        self.timer.setInterval(int(autosave_seconds() * 1000))
        self.timer.timeout.connect(self.tick)
        self.timer.start()

    def tick(self) -> None:
        """Write the recovery file if there are changes it does not hold yet; remove it when clean."""
        document = self.window.document
        if not document.is_modified:
            self.remove()
            return
        index = (id(document), document.undo_stack.index())
        if index == self._written_index and os.path.exists(self.network_path):
            return
        try:
            self.write(document.state, document.path)
        except (OSError, FileFormatError, ValueError) as error:
            # Autosave is a safety net: a failure must not interrupt the user; it is kept for a look.
            self.last_error = str(error)
            return
        self._written_index = index

    def write(self, state: NetworkFile, original: str | None) -> None:
        """Write `state` and its sidecar through files.atomic."""
        os.makedirs(os.path.dirname(self.network_path), exist_ok=True)
        write_text_atomic(self.network_path, writer.dumps(state, self.network_path))
        meta: dict[str, object] = {"original": os.path.abspath(original) if original else None}
        meta.update(pid=os.getpid(), written=time.time())
        write_text_atomic(self.meta_path, json.dumps(meta))

    def remove(self) -> None:
        """Delete this process's recovery file (after a save, a discard or a normal close)."""
        self._written_index = None
        for path in (self.network_path, self.meta_path):
            try:
                os.unlink(path)
            except OSError:  # already gone, or the folder is read-only: nothing more to do
                pass


def _running(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, owned by someone else
        return True
    return True


def find_recoveries() -> list[Recovery]:
    """Return the recovery files of processes that no longer run, newest first."""
    folder = recovery_folder()
    try:
        names = os.listdir(folder)
    except OSError:
        return []
    found = []
    for name in names:
        if not name.endswith(".json") or name.endswith(".mlp.json"):
            continue
        meta_path = os.path.join(folder, name)
        network_path = meta_path[: -len(".json")] + ".mlp.json"
        try:
            meta = json.loads(reader.read_regular_file(meta_path, 64 * 1024, "recovery note"))
            pid = int(meta.get("pid", 0))
            original = meta.get("original")
            written = float(meta.get("written", 0.0))
        except (FileFormatError, ValueError, TypeError, AttributeError):
            continue
        if _running(pid) or not os.path.exists(network_path):
            continue
        found.append(
            Recovery(network_path, meta_path, original if isinstance(original, str) else None, written)
        )
    return sorted(found, key=lambda recovery: recovery.written, reverse=True)


def ask_recovery(parent: QWidget | None, recovery: Recovery) -> str:
    """Ask what to do with a recovery: 'restore', 'discard' or 'later'."""
    box = message_box(parent, QMessageBox.Icon.Question, "Recover unsaved changes", recovery.describe())
    restore = box.addButton("Restore", QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton("Discard", QMessageBox.ButtonRole.DestructiveRole)
    box.addButton("Later", QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(restore)
    ask(box)
    clicked = box.clickedButton()
    return "restore" if clicked is restore else "discard" if clicked is discard else "later"


def offer_recovery(window: MainWindow, answer: str | None = None) -> bool:
    """Offer the newest recovery file, if any; return True if one was restored.

    `answer` ("restore", "discard", "later") skips the question (tests, scripts).
    """
    from explorer.document.commands import replace_state
    from explorer.document.document import Document

    recoveries = find_recoveries()
    if not recoveries:
        return False
    recovery = recoveries[0]
    choice = answer or window.recovery_question(recovery)
    if choice == "discard":
        recovery.discard()
        return False
    if choice != "restore":
        return False
    try:
        recovered = reader.load(recovery.network_path)
    except FileFormatError as error:
        window.files.show_error(f"Could not restore the unsaved changes: {error}")
        return False
    if not window.files.maybe_save():
        return False
    base, path = recovered, None
    if recovery.original and os.path.exists(recovery.original):
        try:
            base, path = reader.load(recovery.original), recovery.original
        except FileFormatError:
            base, path = recovered, None
    document = Document(base, path)
    window.set_document(document)
    # An undoable change on top of the file as saved: Save keeps it, Undo shows what was on disk.
    replace_state(document, recovered, "Restore unsaved changes")
    recovery.discard()
    window.show_status("Restored the unsaved changes; save them to keep them", 0)
    return True
