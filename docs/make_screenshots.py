"""Render the README's pictures offscreen: `python docs/make_screenshots.py [OUT_DIR]`."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QSettings  # noqa: E402

from explorer.app.main_window import MainWindow  # noqa: E402
from explorer.app.shot import SCREENSHOT_SIZE  # noqa: E402
from explorer.app.startup import make_application, settle_window  # noqa: E402
from explorer.document.document import Document  # noqa: E402
from explorer.document.selection import Selection  # noqa: E402
from explorer.files import examples, reader  # noqa: E402


def window_for(path: Path) -> MainWindow:
    """Return a shown main window on `path` with scratch settings (the default layout)."""
    settings = QSettings(os.path.join(tempfile.mkdtemp(), "s.ini"), QSettings.IniFormat)
    window = MainWindow(Document(reader.load(path), None), settings)
    window.resize(*SCREENSHOT_SIZE)
    window.show()
    return window


def settle(app, window: MainWindow) -> None:
    for _ in range(5):
        app.processEvents()
    window.graph.fit_to_window()
    app.processEvents()


def main(out_dir: str = "docs") -> int:
    """Write screenshot.png (a δ stage), presentation.png (presentation mode at 1280×720, the gradient
    stage) and training.png (a training run in progress)."""
    app = make_application()
    out = Path(out_dir)
    examples_dir = examples.EXAMPLES_DIR

    window = window_for(examples_dir / "lecture-2-2-2.mlp.json")
    document = window.document
    document.set_stage(document.stepper.index_of("delta", 2))
    document.select(Selection.edge(2, 0, 1))
    settle(app, window)
    window.grab().save(str(out / "screenshot.png"))
    window.document.undo_stack.setClean()
    window.close()

    # Presentation mode as a 1280×720 projector shows it: the path of --screenshot --presentation.
    window = window_for(examples_dir / "lecture-2-2-2.mlp.json")
    settle_window(app, window, (1280, 720), True, window.document.stepper.index_of("gradient", 0) + 1)
    window.grab().save(str(out / "presentation.png"))
    window.presentation.leave()
    window.document.undo_stack.setClean()
    window.close()

    window = window_for(examples_dir / "xor-2-2-1.mlp.json")
    window.docks["fit"].raise_()
    settle(app, window)
    window.training.play(epochs=3000)
    # Grab mid-run, as a class would see it while the network learns; a real event loop, so the
    # plots' redraw timers run as they do in the app.
    loop = QEventLoop()
    window.training.progress.connect(lambda: window.training.epochs_done >= 1500 and loop.quit())
    window.training.stopped.connect(loop.quit)
    loop.exec()
    window.panels["fit"].flush()  # its throttled redraw may be a few epochs behind the grab
    window.grab().save(str(out / "training.png"))
    window.training.pause()
    window.document.undo_stack.setClean()
    window.close()
    print(f"wrote {out / 'screenshot.png'}, {out / 'presentation.png'} and {out / 'training.png'}")
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:]))
