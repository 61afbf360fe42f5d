"""File ▸ New / Open / Open Example / Open Recent / Save / Save As / Quit for the main window.

The dialogs are methods (ask_open_path, ask_save_path, ask_unsaved, show_error) so that tests can
replace them; nothing else here blocks. A large file loads in a child process and a large network
saves in a thread (files.background), with a busy dialog and Cancel after half a second (app.progress).
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMenu, QMessageBox

from explorer.app.exchange_actions import ExchangeActions
from explorer.app.progress import wait_for
from explorer.app.settings_values import read_paths
from explorer.document.document import Document
from explorer.files import examples, model, reader, writer
from explorer.files.background import Gate, Job, ThreadJob, load_job
from explorer.views.plain_text import ask, message_box, plain_tooltip

if TYPE_CHECKING:
    from explorer.app.main_window import MainWindow
    from explorer.views.panels.new_exercise import NewExerciseDialog

FILE_FILTER = "MLP Explorer networks (*.mlp.json *.json);;All files (*)"
MAX_RECENT = 8
# Below these a file loads or saves on the window's thread, as fast as ever (tens of milliseconds);
# above them starting a process or a thread is cheap next to the work.
LARGE_FILE_BYTES = 4 * 2**20
LARGE_SAVE_NUMBERS = 200_000


def examples_folder() -> Path:
    """Return the folder of the example networks shipped with the app."""
    return Path(examples.default_example_path()).parent


class FileController:
    """The file actions of one main window."""

    def __init__(self, window: MainWindow) -> None:
        self.window = window
        self.busy = False  # a load or save is running in the background; no other may start

    # --- menu --------------------------------------------------------------------------
    def populate_menu(self, menu: QMenu) -> None:
        """Fill the File menu."""
        window = self.window
        self.new_action = self._action("&New…", QKeySequence.StandardKey.New, self.new)
        self.new_exercise_action = QAction("New E&xercise…", window)
        self.new_exercise_action.triggered.connect(lambda _checked=False: self.new_exercise())
        self.open_action = self._action("&Open…", QKeySequence.StandardKey.Open, self.open)
        self.save_action = self._action("&Save", QKeySequence.StandardKey.Save, self.save)
        self.save_as_action = self._action("Save &As…", QKeySequence.StandardKey.SaveAs, self.save_as)
        self.quit_action = self._action("&Quit", QKeySequence.StandardKey.Quit, window.close)
        menu.addAction(self.new_action)
        menu.addAction(self.new_exercise_action)
        menu.addAction(self.open_action)
        self.examples_menu = menu.addMenu("Open &Example")
        for path in sorted(examples_folder().glob("*.mlp.json")):
            action = QAction(_menu_text(_title_of(path)), window)
            action.triggered.connect(lambda _checked=False, p=str(path): self.open_path(p))
            self.examples_menu.addAction(action)
        self.recent_menu = menu.addMenu("Open &Recent")
        self.recent_menu.aboutToShow.connect(self._fill_recent)
        self._fill_recent()
        menu.addSeparator()
        menu.addAction(self.save_action)
        menu.addAction(self.save_as_action)
        self.export_menu = menu.addMenu("&Export")
        self.exchange = ExchangeActions(window, menu)
        menu.addSeparator()
        menu.addAction(self.quit_action)

    def _action(self, text: str, shortcut: QKeySequence.StandardKey, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self.window)
        action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        return action

    # --- dialogs (replaced in tests) ---------------------------------------------------
    def ask_open_path(self) -> str | None:
        """Ask for a file to open; None if cancelled."""
        path, _ = QFileDialog.getOpenFileName(self.window, "Open network", self.folder(), FILE_FILTER)
        return path or None

    def ask_save_path(self) -> str | None:
        """Ask where to save; None if cancelled."""
        suggestion = str(Path(self.folder()) / (self.display_name(self.window.document) + ".mlp.json"))
        path, _ = QFileDialog.getSaveFileName(self.window, "Save network", suggestion, FILE_FILTER)
        if path and not path.endswith(".json"):
            path += ".mlp.json"
        return path or None

    def ask_unsaved(self) -> str:
        """Ask what to do with unsaved changes: 'save', 'discard' or 'cancel'."""
        name = self.display_name(self.window.document)
        box = message_box(
            self.window,
            QMessageBox.Icon.Warning,
            "Unsaved changes",
            f"“{name}” has changes that are not saved.",
            QMessageBox.StandardButton.Save
            | QMessageBox.StandardButton.Discard
            | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Save,
        )
        answer = ask(box)
        return {QMessageBox.StandardButton.Save: "save", QMessageBox.StandardButton.Discard: "discard"}.get(
            answer, "cancel"
        )

    def show_error(self, message: str) -> None:
        """Show a one-line error as plain text (it may quote a file's content)."""
        ask(message_box(self.window, QMessageBox.Icon.Critical, "MLP Explorer", message))

    # --- actions -----------------------------------------------------------------------
    def new(self) -> bool:
        """Ask for a new network's shape and open it unsaved."""
        from explorer.views.panels.new_network import NewNetworkDialog

        if not self.maybe_save():
            return False
        dialog = NewNetworkDialog(self.window)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.window.set_document(Document(dialog.state()))
        return True

    def new_exercise(self) -> bool:
        """Ask for a hand-friendly exercise network's shape and seed, and open it unsaved."""
        if not self.maybe_save():
            return False
        dialog = self.exercise_dialog()
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return False
        self.window.set_document(Document(dialog.state()))
        return True

    def exercise_dialog(self) -> NewExerciseDialog:
        """Return the New exercise dialog (replaced in tests)."""
        from explorer.views.panels.new_exercise import NewExerciseDialog

        return NewExerciseDialog(self.window)

    def open(self) -> bool:
        """Ask for a file and open it."""
        if not self.maybe_save():
            return False
        path = self.ask_open_path()
        if not path:
            return False
        return self._load_into_window(path)

    def open_path(self, path: str) -> bool:
        """Open `path` after the unsaved-changes question."""
        return self.maybe_save() and self._load_into_window(path)

    def start_load(self, path: str) -> Job:
        """Start loading a large file in the background (replaced in tests)."""
        return load_job(path)

    def _load_into_window(self, path: str) -> bool:
        if self.busy:
            return False
        try:
            state = self._read(path)
        except model.FileFormatError as error:
            self.show_error(str(error))
            if not os.path.exists(path):
                self.forget_recent(path)
            return False
        if state is None:
            self.window.show_status(f"Opening {path} was cancelled")
            return False  # the open document stays as it was
        is_example = examples.is_example(path)
        # An example opens as an untitled copy, so Save never overwrites the shipped file.
        self.window.set_document(Document(state, None if is_example else path))
        if not is_example:
            self.add_recent(path)
        self.window.show_status(f"Opened {path}")
        return True

    def _read(self, path: str) -> model.NetworkFile | None:
        # None when the user cancelled a load that took long.
        if not _is_large_file(path):
            return reader.load(path)
        self.busy = True
        try:
            job = self.start_load(path)
            if not wait_for(self.window, job, f"Opening {Path(path).name}…"):
                job.cancel()
                return None
            state: model.NetworkFile = job.result()
            return state
        finally:
            self.busy = False

    def save(self, after_failure: str = "") -> bool:
        """Save to the current path (asks for one if there is none); False if not saved."""
        document = self.window.document
        if document.path is None:
            return self.save_as(after_failure)
        return self._write(document.path, after_failure)

    def save_as(self, after_failure: str = "") -> bool:
        """Ask for a path and save there; False if cancelled or not saved."""
        path = self.ask_save_path()
        if not path:
            return False
        return self._write(path, after_failure)

    def _write(self, path: str, after_failure: str = "") -> bool:
        # Every failure is reported and returns False, so that a close waiting on the save stays open.
        document = self.window.document
        if self.busy:
            return False
        try:
            if _number_count(document.state) < LARGE_SAVE_NUMBERS:
                writer.save(path, document.state)
            elif not self._save_in_background(path, document.state):
                self.window.show_status(f"Save cancelled; {path} was not changed")
                return False
        except model.FileFormatError as error:
            self.show_error(str(error) + after_failure)  # already names the file and the reason
            return False
        except OSError as error:
            reason = " ".join(str(error.strerror or error).split())  # one line, whatever the system said
            self.show_error(f"{path}: could not save: {reason}{after_failure}")
            return False
        except Exception as error:  # noqa: BLE001 - an unforeseen failure must not close the window
            self.show_error(f"{path}: could not save: {model.one_line(error)}{after_failure}")
            return False
        document.mark_saved(path)
        self.add_recent(path)
        self.window.show_status(f"Saved {path}")
        return True

    def _save_in_background(self, path: str, state: model.NetworkFile) -> bool:
        # False if cancelled before writing began; a save already writing cannot be stopped safely
        # (a file with hard links is rewritten in place), so Cancel then waits for it to complete.
        training = getattr(self.window, "training", None)
        if training is not None:
            training.pause()  # nothing may change the network while the thread reads it

        def work(gate: Gate) -> bool:
            text = writer.dumps(state, path)
            if not gate.go_through():
                return False
            writer.write(path, text)
            return True

        self.busy = True
        try:
            job = ThreadJob(work)
            name = Path(path).name
            if not wait_for(self.window, job, f"Saving {name}…", f"Finishing the save of {name}…"):
                return False
            return bool(job.result())
        finally:
            self.busy = False

    def maybe_save(self) -> bool:
        """Ask about unsaved changes; return False if the user cancelled."""
        if self.busy:
            return False  # a close during a background save waits for it to end
        document = self.window.document
        training = getattr(self.window, "training", None)
        if training is not None:
            training.pause()  # a run in progress becomes an undo step before the question
        if not document.is_modified:
            return True
        answer = self.ask_unsaved()
        if answer == "save":
            return self.save(" — not saved, so nothing was closed and the changes are still here.")
        return answer == "discard"

    # --- recent files and names --------------------------------------------------------
    def recent_files(self) -> list[str]:
        """Return the recently used files, newest first."""
        return read_paths(self.window.settings, "recent_files", MAX_RECENT)

    def add_recent(self, path: str) -> None:
        """Put `path` first in the recent files."""
        path = os.path.abspath(path)
        files = [path] + [p for p in self.recent_files() if p != path]
        self.window.settings.setValue("recent_files", files[:MAX_RECENT])
        self.window.settings.sync()  # written when it changes: a crash later keeps it

    def forget_recent(self, path: str) -> None:
        """Drop `path` from the recent files (it no longer exists)."""
        path = os.path.abspath(path)
        self.window.settings.setValue("recent_files", [p for p in self.recent_files() if p != path])

    def _fill_recent(self) -> None:
        self.recent_menu.clear()
        files = self.recent_files()
        for path in files:
            action = QAction(_menu_text(path), self.recent_menu)
            action.setToolTip(plain_tooltip(path))
            action.triggered.connect(lambda _checked=False, p=path: self.open_path(p))
            self.recent_menu.addAction(action)
        if not files:
            empty = QAction("(none)", self.recent_menu)
            empty.setEnabled(False)
            self.recent_menu.addAction(empty)

    def display_name(self, document: Document) -> str:
        """Return the file name, or the network's name for an unsaved one."""
        if document.path:
            return Path(document.path).name
        return document.network.name or "Untitled"

    def folder(self) -> str:
        """Return the folder that file dialogs start in."""
        document = self.window.document
        if document.path:
            return str(Path(document.path).parent)
        return str(Path.home())


def _menu_text(text: str) -> str:
    # A menu reads "&" as the mark of a shortcut letter; a path's "&" must show as itself.
    return text.replace("&", "&&")


def _is_large_file(path: str) -> bool:
    try:
        info = os.stat(path)
    except OSError:
        return False  # the reader says what is wrong
    return stat.S_ISREG(info.st_mode) and info.st_size >= LARGE_FILE_BYTES


def _number_count(state: model.NetworkFile) -> int:
    arrays = [state.sample_x, state.sample_y, state.dataset_x, state.dataset_y]
    return state.network.parameter_count() + sum(0 if a is None else a.size for a in arrays)


def _title_of(path: Path) -> str:
    try:
        return reader.load(path).network.name or path.name
    except model.FileFormatError:
        return path.name
