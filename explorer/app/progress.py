"""Waiting for background work (files.background) with the window alive: a busy dialog with Cancel.

The caller gets an answer before it goes on (a close waiting on a save needs one), so the wait is a
local event loop: the window repaints, and after half a second a busy dialog offers Cancel.
"""

from __future__ import annotations

from PySide6.QtCore import QEventLoop, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

from explorer.files.background import Job
from explorer.views.plain_text import plain_label

FAST_SECONDS = 0.05  # a job done this soon is waited for plainly: no event loop, no dialog
DIALOG_AFTER_MS = 500
POLL_MS = 15


class BusyDialog(QProgressDialog):
    """A busy indicator with Cancel; its text names a file, so it is shown as plain text."""

    cancel_requested = Signal()

    def __init__(self, parent: QWidget | None, text: str) -> None:
        super().__init__(parent)
        self.setObjectName("busy_dialog")
        self.setWindowTitle("MLP Explorer")
        self.text_label = plain_label(text)
        self.setLabel(self.text_label)
        self.cancel_button = QPushButton("Cancel")
        self.setCancelButton(self.cancel_button)
        self.setRange(0, 0)  # no known amount of work: a busy indicator
        self.setAutoClose(False)
        self.setAutoReset(False)
        # Application-modal: no other window may start a load or a save inside this wait.
        self.setWindowModality(Qt.WindowModality.ApplicationModal)
        self.canceled.connect(self.cancel_requested)

    def reject(self) -> None:
        """Treat Escape as Cancel; whether the dialog closes is the waiter's decision."""
        self.canceled.emit()

    def finishing(self, text: str) -> None:
        """Say that the work can no longer be stopped and keep the dialog up until it ends."""
        self.text_label.setText(text)
        self.cancel_button.setEnabled(False)
        self.show()  # QProgressDialog hides itself on cancel


def wait_for(parent: QWidget | None, job: Job, text: str, finishing: str = "") -> bool:
    """Wait for `job`; after half a second show `text` with Cancel. Return False if it was cancelled.

    A job whose cancel() refuses (a save already writing) is waited for to the end with `finishing`
    shown, and then counts as finished.
    """
    if job.wait(FAST_SECONDS):
        return True
    loop = QEventLoop()
    poll = QTimer()
    poll.setInterval(POLL_MS)
    poll.timeout.connect(lambda: loop.quit() if job.done() else None)
    poll.start()
    deadline = QTimer()
    deadline.setSingleShot(True)
    deadline.timeout.connect(loop.quit)
    deadline.start(max(0, DIALOG_AFTER_MS - int(FAST_SECONDS * 1000)))
    # Keys and clicks wait (Qt keeps them) until the modal dialog shows: nothing may change the
    # document under the job, and the half second without a dialog is no longer than it was before.
    loop.exec(QEventLoop.ProcessEventsFlag.ExcludeUserInputEvents)
    deadline.stop()
    if job.done():
        poll.stop()
        return True
    dialog = BusyDialog(parent, text)
    cancelled = False

    def cancel() -> None:
        nonlocal cancelled
        if job.done() or cancelled:
            return
        if job.cancel():
            cancelled = True
            loop.quit()
        else:
            dialog.finishing(finishing or text)

    dialog.cancel_requested.connect(cancel)
    dialog.show()
    if not job.done():
        loop.exec()
    poll.stop()
    dialog.hide()
    dialog.deleteLater()
    return not cancelled
