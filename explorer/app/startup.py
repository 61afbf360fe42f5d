"""QApplication start-up: open a file (or the lecture example) in the main window.

The application's identity is set once here: name, organisation, version, icon and the desktop file
name (so Linux desktops match the window to mlp-explorer.desktop). Before Qt starts, app.display
checks that a window can open at all, so a machine without a display or without Qt's xcb libraries
gets one line naming the fix instead of an abort.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtCore import QCoreApplication, QMessageLogContext, QtMsgType

    from explorer.app.shot import Shot
    from explorer.files.model import NetworkFile


def settle_window(
    app: QCoreApplication, window: Any, size: tuple[int, int], presentation: bool, stage: int | None
) -> None:
    """Show `window` at `size` (in presentation mode if asked, at 1-based `stage`) and let it settle."""
    window.resize(*size)
    window.show()
    for _ in range(5):
        app.processEvents()
    if presentation:
        window.presentation.enter(full_screen=False)  # the picture's size, not the screen's
        for _ in range(5):
            app.processEvents()
    if stage is not None:
        window.document.set_stage(stage - 1)
    app.processEvents()
    window.graph.fit_to_window()
    app.processEvents()


def _limit_blas_threads() -> object:
    # Training and plotting share two cores; one BLAS thread keeps the window responsive.
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl is a dependency
        return None
    return threadpool_limits(limits=1, user_api="blas")


def _quiet_offscreen_warnings() -> None:
    # The offscreen platform (screenshots, slides) warns about every top-level window it cannot
    # size by hints; that says nothing to a user, so only that message is dropped.
    from PySide6.QtCore import qInstallMessageHandler

    previous: Callable[[QtMsgType, QMessageLogContext, str], Any] | None = None

    def handler(mode: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if "does not support propagateSizeHints" in message:
            return
        if previous is not None:
            previous(mode, context, message)
        else:
            print(message, file=sys.stderr)

    if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
        previous = qInstallMessageHandler(handler)


def make_application(argv: list[str] | None = None) -> QCoreApplication:
    """Return the QApplication, creating it if needed (argv[1:] are Qt's own switches)."""
    from PySide6.QtGui import QIcon
    from PySide6.QtWidgets import QApplication

    from explorer import __version__
    from explorer.files.examples import icon_path

    app = QApplication.instance()
    if app is None:
        _quiet_offscreen_warnings()
        app = QApplication(argv if argv is not None else sys.argv[:1])
        app.setApplicationName("MLP Explorer")
        app.setOrganizationName("MLP Explorer")
        app.setApplicationVersion(__version__)
        QApplication.setDesktopFileName("mlp-explorer")
        QApplication.setWindowIcon(QIcon(str(icon_path())))
    return app


def open_state(path: str | None) -> NetworkFile:
    """Load `path`, or the lecture example when None; raise FileFormatError on a bad file."""
    from explorer.files import examples, reader

    return reader.load(path or examples.default_example_path())


def run_gui(
    path: str | None = None, screenshot: Shot | str | None = None, qt_args: Sequence[str] = ()
) -> int:
    """Open the window; with `screenshot` (a Shot, or just the PNG's name), render it offscreen and exit.

    `qt_args` are Qt's own switches (-style fusion, -platform xcb), handed to QApplication.
    """
    if screenshot and "QT_QPA_PLATFORM" not in os.environ:
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from explorer.app.display import window_problem

    problem = None if screenshot else window_problem(list(qt_args))
    if problem:
        print(f"mlp-explorer: cannot open the window: {problem}", file=sys.stderr)
        return 1
    from explorer.files import examples, model

    limits = _limit_blas_threads()  # noqa: F841 - kept alive for the whole run
    app = make_application([sys.argv[0] if sys.argv and sys.argv[0] else "mlp-explorer", *qt_args])
    from explorer.app.main_window import MainWindow
    from explorer.document.document import Document

    try:
        state = open_state(path)
    except model.FileFormatError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    # A shipped example opens as an untitled copy, so Save never overwrites it.
    is_example = path is None or examples.is_example(path)
    if screenshot:
        from explorer.app.shot import Shot

        shot = Shot(screenshot) if isinstance(screenshot, str) else screenshot
        with tempfile.TemporaryDirectory(prefix="mlp-explorer-") as scratch:
            return _screenshot(app, state, None if is_example else path, shot, scratch)
    from explorer.app.crash_report import install_exception_hook

    # An error in a slot is shown and logged, and the window goes on (Python's hook only prints it).
    reporter = install_exception_hook()
    try:
        window = MainWindow(Document(state, None if is_example else path))
        if path is not None and not is_example:
            window.files.add_recent(path)
        window.show()
        from PySide6.QtCore import QTimer

        QTimer.singleShot(0, window.offer_recovery)  # once the window shows: changes a crash left behind
        return app.exec()
    finally:
        if sys.excepthook is reporter:
            sys.excepthook = reporter.previous


def _screenshot(app: QCoreApplication, state: NetworkFile, path: str | None, shot: Shot, scratch: str) -> int:
    """Render the window as `shot` asks; settings live in `scratch`, removed afterwards."""
    from PySide6.QtCore import QSettings

    from explorer.app.main_window import MainWindow
    from explorer.document.document import Document

    # A screenshot neither reads nor changes the user's layout: it always shows the default one.
    settings = QSettings(os.path.join(scratch, "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Document(state, path), settings)
    out = shot.out
    if shot.stage is not None:
        last = len(window.document.stages)
        if shot.stage > last:
            print(f"error: --stage {shot.stage}: this network has {last} stages", file=sys.stderr)
            window.document.undo_stack.setClean()
            window.close()
            return 2
    settle_window(app, window, shot.size, shot.presentation, shot.stage)
    ok = _write_png(window.grab(), out)
    window.document.undo_stack.setClean()
    window.close()
    settings.sync()
    window.deleteLater()
    app.processEvents()
    del window, settings  # nothing may write into the scratch folder once it is removed
    if not ok:
        print(f"error: could not write {out}", file=sys.stderr)
        return 1
    print(f"wrote {out}")
    return 0


def _write_png(pixmap: Any, out: str) -> bool:
    """Write the grab through files.atomic (as every file the app writes); False if it failed."""
    from explorer.app.pictures import pixmap_png
    from explorer.files.atomic import write_atomic

    try:
        write_atomic(out, pixmap_png(pixmap))
    except OSError:
        return False
    return True
