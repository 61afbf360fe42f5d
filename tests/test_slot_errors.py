"""No traceback in a slot: structure edits at a late stage, undone and redone, reach every view cleanly.

pytest-qt captures an exception raised in a slot (Qt would only print it) and fails the test; the
tests here check that this capture is on, and that the views follow the document's stage afterwards.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QObject, QSettings, Signal

from explorer.app.main_window import MainWindow
from explorer.document import structure_edits
from explorer.document.document import Document
from explorer.files import examples, reader
from explorer.views.panels.stage_list import CURRENT_MARK, StageList

ROOT = Path(__file__).resolve().parent.parent


def _window(qtbot, tmp_path, document: Document) -> MainWindow:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    window = MainWindow(document, settings)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _to_last_stage(document: Document) -> None:
    document.set_stage(len(document.stages) - 1)


def assert_views_show_current_stage(window: MainWindow) -> None:
    """Check the graph and the stage list against the document, not against each other."""
    document = window.document
    stage = document.stage
    graph = window.graph
    assert graph.graph_layout().sizes == list(document.network.sizes)
    assert len(graph.column_headings()) == len(document.network.sizes)
    assert graph.highlighted_neurons() == set(stage.neurons)
    assert graph.highlighted_edge_layers() == set(stage.edge_layers)
    stage_list = window.findChild(StageList)
    assert stage_list is not None
    assert stage_list.count() == len(document.stages)
    assert stage_list.currentRow() == document.stage_index
    marked = [
        row for row in range(stage_list.count()) if stage_list.item(row).text().startswith(CURRENT_MARK)
    ]
    assert marked == [document.stage_index]


@pytest.mark.parametrize("path", examples.example_paths(), ids=lambda p: Path(p).name)
def test_remove_layer_undo_redo_at_the_last_stage(qtbot, tmp_path, path):
    document = Document(reader.load(path), None)
    window = _window(qtbot, tmp_path, document)
    layers = document.network.num_layers
    assert layers >= 2, "every example has a hidden layer to remove"
    with qtbot.capture_exceptions() as exceptions:
        _to_last_stage(document)
        structure_edits.remove_layer(document, min(2, layers - 1))
        qtbot.wait(1)
        assert_views_show_current_stage(window)
        document.undo_stack.undo()
        qtbot.wait(1)
        assert document.network.num_layers == layers
        assert_views_show_current_stage(window)
        _to_last_stage(document)
        structure_edits.remove_layer(document, 1)
        qtbot.wait(1)
        assert_views_show_current_stage(window)
        document.undo_stack.undo()
        qtbot.wait(1)
        assert_views_show_current_stage(window)
        document.undo_stack.redo()
        qtbot.wait(1)
    assert not exceptions, [str(error) for _, error, _ in exceptions]
    assert document.network.num_layers == layers - 1
    assert_views_show_current_stage(window)
    document.undo_stack.setClean()


def test_the_document_is_consistent_before_any_listener_hears_of_a_structure_change(qtbot):
    document = Document(reader.load(examples.example_paths()[0]), None)
    _to_last_stage(document)
    layers = document.network.num_layers
    seen: list[tuple[str, int, int, int]] = []

    def record(name: str):
        def slot(*_args: object) -> None:
            # What a view would read: the stage must be one of the stages, for the network as it is now.
            index = document.stage_index
            assert 0 <= index < len(document.stages)
            assert document.stage is document.stages[index]
            seen.append((name, index, len(document.stages), document.network.num_layers))

        return slot

    for name in ("structure_changed", "weights_changed", "trace_changed", "stage_changed"):
        getattr(document, name).connect(record(name))
    with qtbot.capture_exceptions() as exceptions:
        structure_edits.remove_layer(document, 1)
    assert not exceptions, [str(error) for _, error, _ in exceptions]
    names = [name for name, *_ in seen]
    # The broadest news first, the stage last: a view rebuilt for the structure is rebuilt in time.
    assert names == ["structure_changed", "trace_changed", "stage_changed"]
    assert {state[1:] for state in seen} == {(document.stage_index, len(document.stages), layers - 1)}


def test_views_follow_the_document_whichever_signal_arrives_first(qtbot, tmp_path):
    document = Document(reader.load(examples.example_paths()[0]), None)
    # A listener connected before the views that moves the stage as soon as the structure changes:
    # stage_changed then reaches the graph and the stage list before their own structure slots.
    document.structure_changed.connect(lambda: document.set_stage(0))
    window = _window(qtbot, tmp_path, document)
    with qtbot.capture_exceptions() as exceptions:
        _to_last_stage(document)
        structure_edits.remove_layer(document, 1)
        qtbot.wait(1)
        document.undo_stack.undo()
        qtbot.wait(1)
    assert not exceptions, [str(error) for _, error, _ in exceptions]
    assert document.stage_index == 0
    assert_views_show_current_stage(window)
    document.undo_stack.setClean()


class _Emitter(QObject):
    fired = Signal()


def test_a_raising_slot_is_captured(qtbot):
    emitter = _Emitter()

    def broken() -> None:
        raise RuntimeError("a slot that fails")

    emitter.fired.connect(broken)
    with qtbot.capture_exceptions() as exceptions:
        emitter.fired.emit()
    assert len(exceptions) == 1
    assert exceptions[0][0] is RuntimeError


def test_the_suite_wide_capture_of_slot_errors_stays_on(request):
    # pytest-qt fails any test in which a slot raised, unless this option turns that off.
    assert not request.config.getini("qt_no_exception_capture")
    for name in ("pyproject.toml", "pytest.ini", "tox.ini", "setup.cfg"):
        config = ROOT / name
        if config.exists():
            assert "qt_no_exception_capture" not in config.read_text(encoding="utf-8"), name
