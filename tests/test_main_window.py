"""The main window as a user meets it: open, edit, undo, save, reopen, unsaved changes, bad files."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest
from PySide6.QtCore import QSettings, Qt

from explorer.app.figure import FigureSize
from explorer.app.main_window import MainWindow
from explorer.app.startup import open_state
from explorer.document import commands
from explorer.document.document import Document
from explorer.files import examples, writer


@pytest.fixture
def window(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)
    win = MainWindow(Document(open_state(None)), settings)
    qtbot.addWidget(win)
    win.answers = []
    win.errors = []
    # Dialogs would block a test: answer them from lists instead.
    win.files.ask_unsaved = lambda: win.answers.pop(0) if win.answers else "discard"
    win.files.show_error = win.errors.append
    win.show()
    return win


def test_opens_on_the_lecture_example(window):
    network = window.document.network
    assert network.sizes == [2, 2, 2]
    assert network.layer(1).weights[0, 1] == 0.20
    assert "Lecture" in window.windowTitle()
    assert not window.isWindowModified()


def test_edit_marks_modified_and_undo_shortcut_restores(window, qtbot):
    commands.edit_weight(window.document, 1, 0, 0, 0.9)
    assert window.isWindowModified()
    qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier)
    assert window.document.network.layer(1).weights[0, 0] == 0.15
    assert not window.isWindowModified()
    qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier | Qt.ShiftModifier)
    assert window.document.network.layer(1).weights[0, 0] == 0.9


def test_save_and_reopen_gives_the_same_network(window, tmp_path):
    commands.edit_weight(window.document, 2, 1, 0, -1.25)
    target = tmp_path / "edited.mlp.json"
    window.files.ask_save_path = lambda: str(target)
    assert window.files.save()  # an example opens untitled, so Save asks for a path
    assert not window.isWindowModified()
    assert "edited.mlp.json" in window.windowTitle()
    saved = json.loads(target.read_text())
    assert saved["layers"][1]["weights"][1][0] == -1.25
    before = window.document.state.to_dict()
    assert window.files.open_path(str(target))
    assert window.document.path == str(target)
    assert window.document.state.to_dict() == before
    assert window.files.recent_files()[0] == str(target)


def test_close_with_unsaved_changes_asks(window):
    commands.edit_weight(window.document, 1, 0, 0, 0.9)
    window.answers.append("cancel")
    window.close()
    assert window.isVisible()
    window.answers.append("discard")
    window.close()
    assert not window.isVisible()


def test_open_with_unsaved_changes_asks_and_cancel_keeps_the_edit(window, tmp_path):
    other = tmp_path / "other.mlp.json"
    writer.save(other, open_state(None))
    commands.edit_weight(window.document, 1, 0, 0, 0.9)
    window.answers.append("cancel")
    assert not window.files.open_path(str(other))
    assert window.document.network.layer(1).weights[0, 0] == 0.9
    window.answers.append("discard")
    assert window.files.open_path(str(other))
    assert window.document.network.layer(1).weights[0, 0] == 0.15


def test_a_bad_file_shows_one_line_and_leaves_the_network(window, tmp_path):
    bad = tmp_path / "broken.mlp.json"
    bad.write_text('{"format": "mlp-explorer/network", "version": 1, "layers": [')
    weights = window.document.network.layer(1).weights.copy()
    assert not window.files.open_path(str(bad))
    assert len(window.errors) == 1
    assert "broken.mlp.json" in window.errors[0] and "\n" not in window.errors[0]
    assert np.array_equal(window.document.network.layer(1).weights, weights)


def test_step_shortcuts_move_through_the_stages(window, qtbot):
    window.focus_graph()
    qtbot.keyClick(window.graph, Qt.Key_F10)
    qtbot.keyClick(window.graph, Qt.Key_F10)
    assert window.document.stage_index == 2
    qtbot.keyClick(window.graph, Qt.Key_End)
    assert window.document.stage_index == len(window.document.stages) - 1
    qtbot.keyClick(window.graph, Qt.Key_Home)
    assert window.document.stage_index == 0


def test_layout_and_recent_files_persist(window, tmp_path, qtbot):
    window.files.add_recent(str(tmp_path / "a.mlp.json"))
    window.save_layout()
    again = MainWindow(Document(open_state(None)), window.settings)
    qtbot.addWidget(again)
    assert again.files.recent_files()[0] == str(tmp_path / "a.mlp.json")
    assert again.settings.value("window/state") is not None


def test_screenshot_option_writes_a_png(tmp_path):
    out = tmp_path / "shot.png"
    result = subprocess.run(
        [sys.executable, "-m", "explorer", "--screenshot", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_slides_write_one_png_per_stage(qtbot, tmp_path):
    from explorer.app.slides import write_slides

    count = write_slides(str(examples.default_example_path()), str(tmp_path))
    stages = Document(open_state(None)).stages
    pngs = sorted(tmp_path.glob("*.png"))
    assert count == len(stages) == len(pngs)
    assert all(p.read_bytes()[:4] == b"\x89PNG" for p in pngs)


def _sigmoid(v: float) -> float:
    import math

    return 1.0 / (1.0 + math.exp(-v))


def _shown(value: float) -> str:
    # The graph prints 4 significant digits with a typographic minus.
    return f"{value:.4g}".replace("-", "−")


def test_click_edge_edit_in_inspector_graph_follows_and_undo_restores(window, qtbot):
    from explorer.document.selection import Selection

    graph = window.graph
    window.resize(1600, 1000)
    qtbot.wait(50)
    graph.fit_to_window()
    point = graph.mapFromScene(graph.edge_position(1, 1, 0))
    qtbot.mouseClick(graph.viewport(), Qt.LeftButton, pos=point)
    assert window.document.selection == Selection.edge(1, 1, 0)

    editor = window.panels["inspector"].editor
    editor.selectAll()
    qtbot.keyClicks(editor, "0.75")
    qtbot.keyClick(editor, Qt.Key_Return)
    assert window.document.network.layer(1).weights[1, 0] == 0.75

    qtbot.keyClick(graph, Qt.Key_End)
    # By hand: the hidden neuron 2 now gets 0.75·0.05 + 0.30·0.10 + 0.35.
    z = 0.75 * 0.05 + 0.30 * 0.10 + 0.35
    lines = graph.neuron_text(1, 1).splitlines()
    assert f"z = {_shown(z)}" in lines and f"a = {_shown(_sigmoid(z))}" in lines
    h = [_sigmoid(0.15 * 0.05 + 0.20 * 0.10 + 0.35), _sigmoid(z)]
    z_out = 0.40 * h[0] + 0.45 * h[1]
    assert f"z = {_shown(z_out)}" in graph.neuron_text(2, 0).splitlines()

    qtbot.keyClick(window, Qt.Key_Z, Qt.ControlModifier)
    z = 0.25 * 0.05 + 0.30 * 0.10 + 0.35
    assert f"z = {_shown(z)}" in graph.neuron_text(1, 1).splitlines()
    assert window.document.network.layer(1).weights[1, 0] == 0.25


def test_a_vanished_recent_file_is_forgotten_and_a_save_error_says_it_once(window, tmp_path):
    gone = tmp_path / "gone.mlp.json"
    writer.save(gone, open_state(None))
    window.files.add_recent(str(gone))
    gone.unlink()
    assert not window.files.open_path(str(gone))
    assert str(gone) not in window.files.recent_files()
    window.files.ask_save_path = lambda: str(tmp_path / "no-such-folder" / "x.mlp.json")
    assert not window.files.save()
    assert window.errors[-1].count("x.mlp.json") == 1


def test_opening_another_file_keeps_the_window_layout(window, qtbot):
    window.resize(1600, 1000)
    qtbot.wait(50)
    before = (window.graph.width(), window.docks["stages"].width(), window.docks["inspector"].width())
    assert window.files.open_path(str(examples.EXAMPLES_DIR / "xor-2-2-1.mlp.json"))
    qtbot.wait(50)
    after = (window.graph.width(), window.docks["stages"].width(), window.docks["inspector"].width())
    assert after == before


def test_matrices_tabbed_behind_training_catch_up_when_raised(window, qtbot):
    window.resize(1600, 1000)
    window.docks["training"].raise_()
    qtbot.wait(50)
    matrix = window.panels["matrix"]
    matrix.show_layer(1)
    commands.edit_weight(window.document, 1, 0, 0, 0.625)
    assert matrix._stale  # hidden behind the Training tab: no work done
    window.docks["matrix"].raise_()
    qtbot.waitUntil(lambda: not matrix._stale, timeout=2000)
    model = matrix.weights_model
    assert model.data(model.index(0, 0), Qt.DisplayRole) == "0.625"


def test_plot_panels_are_built_when_shown_and_a_never_shown_plot_exports_current_data(
    window, qtbot, tmp_path
):
    window.resize(1600, 1000)
    assert not {"loss", "activation", "gradients", "fit"} & set(window.panels)  # none before a paint
    qtbot.waitUntil(lambda: "loss" in window.panels, timeout=5000)  # its tab is in front
    qtbot.wait(50)
    assert "gradients" not in window.panels  # behind the Loss tab: never shown, never built
    window.training.train_epochs(25)
    window.exports.ask_figure = lambda: FigureSize()  # the size dialog would wait for a click
    window.exports.ask_path = lambda *_args: str(tmp_path / "gradients.png")
    assert window.exports.export_picture("gradients", "gradient-flow")
    assert (tmp_path / "gradients.png").stat().st_size > 0
    assert not window.panel("gradients").is_stale()  # drawn from the 25 epochs for the export
    window.docks["fit"].raise_()  # the loss plot goes behind a tab and skips its redraws
    qtbot.wait(50)
    window.training.train_epochs(5)
    window.exports.ask_path = lambda *_args: str(tmp_path / "loss.svg")
    assert window.exports.export_picture("loss", "loss")
    x, y = window.panel("loss").curve_data()
    assert len(x) == 30 and np.array_equal(y, window.training.history.loss)
