"""The app's exception hook: a plain one-line dialog, the traceback in a capped log, never recursion."""

from __future__ import annotations

import sys
import types

import pytest
from PySide6.QtCore import Qt

from explorer.app import crash_report


class RecordingBox:
    """Stands in for QMessageBox: records what would have been shown instead of blocking."""

    shown: list[RecordingBox] = []

    class Icon:
        Critical = "critical"

    class StandardButton:
        Ok = "ok"

    def __init__(self, parent=None) -> None:
        self.text = ""
        self.text_format = None
        self.title = ""

    def setIcon(self, icon) -> None:  # noqa: N802 - Qt's name
        pass

    def setWindowTitle(self, title: str) -> None:  # noqa: N802 - Qt's name
        self.title = title

    def setTextFormat(self, text_format) -> None:  # noqa: N802 - Qt's name
        self.text_format = text_format

    def setText(self, text: str) -> None:  # noqa: N802 - Qt's name
        self.text = text

    def setStandardButtons(self, buttons) -> None:  # noqa: N802 - Qt's name
        pass

    def exec(self) -> int:
        RecordingBox.shown.append(self)
        return 0


@pytest.fixture
def boxes(monkeypatch, qapp):
    RecordingBox.shown = []
    monkeypatch.setattr(crash_report, "QMessageBox", RecordingBox)
    return RecordingBox.shown


def _raised(error: BaseException) -> tuple[type[BaseException], BaseException, types.TracebackType | None]:
    def failing_slot() -> None:
        raise error

    try:
        failing_slot()
    except BaseException as caught:  # noqa: BLE001 - any exception is what the hook receives
        return type(caught), caught, caught.__traceback__
    raise AssertionError("not raised")


def test_installer_replaces_the_hook_of_the_target_only(tmp_path):
    def previous(*_args):
        pass

    fake = types.SimpleNamespace(excepthook=previous)
    before = sys.excepthook
    reporter = crash_report.install_exception_hook(fake, lambda: tmp_path)
    assert fake.excepthook is reporter
    assert reporter.previous is previous
    assert sys.excepthook is before  # pytest-qt's capture is left alone


def test_an_error_is_logged_and_shown_as_one_plain_line(tmp_path, boxes, capsys):
    fake = types.SimpleNamespace(excepthook=None)
    folder = tmp_path / "not" / "there" / "yet"
    crash_report.install_exception_hook(fake, lambda: folder)
    fake.excepthook(*_raised(IndexError("layer 12 is not in 1..11\n<b>second line</b>")))
    assert len(boxes) == 1
    box = boxes[0]
    assert box.text_format == Qt.TextFormat.PlainText
    assert "\n" not in box.text
    assert "IndexError" in box.text and "failing_slot" in box.text
    log = folder / crash_report.LOG_NAME
    assert str(log) in box.text
    text = log.read_text(encoding="utf-8")
    assert "Traceback (most recent call last)" in text
    assert "in failing_slot" in text
    assert "IndexError: layer 12 is not in 1..11" in text
    assert "Traceback" in capsys.readouterr().err  # stderr still has it, for a terminal


def test_the_same_error_again_is_logged_without_a_second_dialog(tmp_path, boxes):
    fake = types.SimpleNamespace(excepthook=None)
    crash_report.install_exception_hook(fake, lambda: tmp_path)
    for _ in range(3):
        fake.excepthook(*_raised(ValueError("painted every frame")))
    assert len(boxes) == 1
    assert (tmp_path / crash_report.LOG_NAME).read_text(encoding="utf-8").count("painted every frame") >= 3


def test_an_error_inside_the_hook_goes_to_stderr_and_does_not_recurse(tmp_path, monkeypatch, capsys, qapp):
    calls = []

    class BrokenBox(RecordingBox):
        def exec(self) -> int:
            calls.append(1)
            raise RuntimeError("the dialog itself failed")

    monkeypatch.setattr(crash_report, "QMessageBox", BrokenBox)
    fake = types.SimpleNamespace(excepthook=None)
    reporter = crash_report.install_exception_hook(fake, lambda: tmp_path)
    reporter(*_raised(KeyError("first")))  # must return, not raise
    assert calls == [1]
    err = capsys.readouterr().err
    assert "the error report itself failed" in err
    assert "the dialog itself failed" in err


def test_an_unwritable_folder_still_gives_a_dialog(tmp_path, boxes):
    blocker = tmp_path / "a file"
    blocker.write_text("not a folder", encoding="utf-8")
    fake = types.SimpleNamespace(excepthook=None)
    crash_report.install_exception_hook(fake, lambda: blocker / "logs")
    fake.excepthook(*_raised(ZeroDivisionError("x")))
    assert len(boxes) == 1
    assert "could not be written" in boxes[0].text and "\n" not in boxes[0].text


def test_keyboard_interrupt_goes_to_the_previous_hook(tmp_path, boxes):
    seen = []
    fake = types.SimpleNamespace(excepthook=lambda *args: seen.append(args[0]))
    crash_report.install_exception_hook(fake, lambda: tmp_path)
    fake.excepthook(*_raised(KeyboardInterrupt()))
    assert seen == [KeyboardInterrupt]
    assert not boxes


def test_the_log_is_capped(tmp_path, monkeypatch):
    monkeypatch.setattr(crash_report, "MAX_LOG_BYTES", 4000)
    for n in range(40):
        crash_report.write_log(tmp_path, f"report {n}\n" + "x" * 300 + "\n")
    sizes = [path.stat().st_size for path in tmp_path.iterdir()]
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        crash_report.LOG_NAME,
        crash_report.LOG_NAME + ".1",
    ]
    assert all(size <= 4000 for size in sizes)
    assert "report 39" in (tmp_path / crash_report.LOG_NAME).read_text(encoding="utf-8")
    huge = crash_report.write_log(tmp_path / "huge", "start\n" + "y" * 10_000 + "\nthe end\n")
    assert huge.stat().st_size <= 4000
    assert huge.read_text(encoding="utf-8").endswith("the end\n")


def test_data_folder_is_the_app_data_location(qapp):
    # AppDataLocation ends in the application's name (MLP Explorer once startup has named the app).
    folder = crash_report.data_folder()
    assert folder.is_absolute()
    assert folder.name == qapp.applicationName()


def test_run_gui_installs_the_hook_for_the_event_loop_only(monkeypatch, qapp):
    import explorer.app.display
    import explorer.app.main_window
    from explorer.app import startup

    during = []

    class FakeApp:
        def exec(self) -> int:
            during.append(sys.excepthook)
            return 7

    class FakeWindow:
        def __init__(self, document) -> None:
            self.document = document

        def show(self) -> None:
            pass

        def offer_recovery(self) -> None:
            pass

    monkeypatch.setattr(explorer.app.display, "window_problem", lambda _args: None)
    monkeypatch.setattr(startup, "make_application", lambda _argv: FakeApp())
    monkeypatch.setattr(explorer.app.main_window, "MainWindow", FakeWindow)
    before = sys.excepthook  # pytest-qt's own
    assert startup.run_gui(None) == 7
    assert len(during) == 1 and isinstance(during[0], crash_report.ErrorReporter)
    assert during[0].previous is before
    assert sys.excepthook is before
