"""Report an unexpected error to the user and keep the window running.

An exception nobody catches inside a Qt slot reaches sys.excepthook; Python's own hook prints it on
stderr, which a user who started the app from a menu (or the console-less Windows launcher) never
sees, while the window goes on in a half-updated state. The hook installed here instead writes the
full traceback to a log file in the app's data folder (QStandardPaths.AppDataLocation, size capped),
shows one plain-text line saying what failed and where the details are, and returns to the event loop.

It is installed by startup.run_gui only: under pytest, pytest-qt owns sys.excepthook and turns every
exception in a slot into a test failure, which must stay so.
"""

from __future__ import annotations

import datetime
import os
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from explorer.files.atomic import write_atomic

LOG_NAME = "errors.log"
MAX_LOG_BYTES = 256 * 1024  # the log and one older copy (LOG_NAME + ".1") at most
MAX_MESSAGE_CHARS = 160  # of the exception's message in the dialog's one line
DIALOG_TITLE = "MLP Explorer: unexpected error"

ExceptHook = Callable[[type[BaseException], BaseException, TracebackType | None], Any]


def data_folder() -> Path:
    """Return the app's data folder (where the error log goes); it may not exist yet."""
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))


def write_log(folder: Path, text: str) -> Path:
    """Append `text` to the error log in `folder` (created as needed, size capped); return its path."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / LOG_NAME
    data = text.encode("utf-8", errors="replace")
    if len(data) > MAX_LOG_BYTES // 2:
        # A huge report (a deep recursion) keeps its end: the exception and the innermost frames.
        data = b"[... start of this report left out ...]\n" + data[-(MAX_LOG_BYTES // 2) :]
    old = path.read_bytes() if path.exists() else b""
    if len(old) + len(data) > MAX_LOG_BYTES:
        os.replace(path, folder / (LOG_NAME + ".1"))
        old = b""
    # Rewritten whole through files.atomic (at most 256 KB): a crash while logging leaves the old log.
    write_atomic(path, old + data)
    return path


def one_line(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    """Return what failed, as one line: the exception, its message and the function it was raised in."""
    message = " ".join(str(exc).split())
    if len(message) > MAX_MESSAGE_CHARS:
        message = message[: MAX_MESSAGE_CHARS - 1] + "…"
    where = ""
    frames = traceback.extract_tb(tb) if tb is not None else []
    if frames:
        where = f" in {frames[-1].name}"
    what = f"{exc_type.__name__}: {message}" if message else exc_type.__name__
    return f"An unexpected error occurred{where} ({what})"


class ErrorReporter:
    """A sys.excepthook that logs the traceback, tells the user in a dialog and never raises.

    Attributes:
        previous  the hook it replaced (called for KeyboardInterrupt and SystemExit; put back on exit)
    """

    def __init__(self, folder: Callable[[], Path] = data_folder, previous: ExceptHook | None = None) -> None:
        self._folder = folder
        self.previous: ExceptHook = previous or sys.__excepthook__
        self._busy = False  # a report is being made (its dialog may run a nested event loop)
        self._shown: set[tuple[str, str, int]] = set()  # where errors a dialog was shown for came from

    def __call__(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        """Report one uncaught exception; an error while reporting goes to stderr only."""
        if not issubclass(exc_type, Exception):
            # Ctrl+C, SystemExit: not an error to report; Python's own handling applies.
            self.previous(exc_type, exc, tb)
            return
        try:
            self._report(exc_type, exc, tb)
        except Exception as failure:  # the hook must never raise, so never run itself again
            _to_stderr("mlp-explorer: the error report itself failed:", failure)

    def _report(self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
        details = "".join(traceback.format_exception(exc_type, exc, tb))
        _to_stderr(details)
        stamp = datetime.datetime.now().isoformat(sep=" ", timespec="seconds")
        try:
            path = write_log(self._folder(), f"==== {stamp} {_versions()} ====\n{details}\n")
            where = f"the details were written to {path}"
        except OSError as error:
            where = f"the details could not be written to a log ({error.strerror or error}), only to stderr"
        frames = traceback.extract_tb(tb) if tb is not None else []
        place = (exc_type.__name__, frames[-1].filename, frames[-1].lineno or 0) if frames else ("", "", 0)
        # One dialog at a time, and one per place: an error in painting repeats on every frame.
        if self._busy or place in self._shown:
            return
        self._shown.add(place)
        self._busy = True
        try:
            self._show(f"{one_line(exc_type, exc, tb)}; {where}.")
        finally:
            self._busy = False

    def _show(self, text: str) -> None:
        if QApplication.instance() is None:
            return  # no window to show it in: stderr has it
        box = QMessageBox(QApplication.activeWindow())
        box.setIcon(QMessageBox.Icon.Critical)
        box.setWindowTitle(DIALOG_TITLE)
        box.setTextFormat(Qt.TextFormat.PlainText)  # a message or path may hold < or &
        box.setText(text)
        box.setStandardButtons(QMessageBox.StandardButton.Ok)
        box.exec()


def install_exception_hook(target: Any = sys, folder: Callable[[], Path] = data_folder) -> ErrorReporter:
    """Make `target.excepthook` (sys's by default) an ErrorReporter logging into `folder()`."""
    reporter = ErrorReporter(folder, getattr(target, "excepthook", None))
    target.excepthook = reporter
    return reporter


def _versions() -> str:
    from explorer import __version__

    return f"MLP Explorer {__version__}, Python {sys.version.split()[0]}, {sys.platform}"


def _to_stderr(*parts: object) -> None:
    stream = sys.stderr or sys.__stderr__  # None under the console-less Windows launcher
    if stream is None:
        return
    try:
        for part in parts:
            if isinstance(part, BaseException):
                traceback.print_exception(type(part), part, part.__traceback__, file=stream)
            else:
                print(part, file=stream, end="" if str(part).endswith("\n") else "\n")
    except Exception:  # a closed stderr leaves nowhere else to say it
        pass
