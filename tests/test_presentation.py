"""In front of a class: clicker keys, presentation mode, the blank screen, text size, undo names, help."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF, QSettings, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit

from explorer.app.main_window import MainWindow, redo_keys
from explorer.app.startup import open_state
from explorer.app.text_size import SETTING
from explorer.document import commands
from explorer.document.document import Document


def make_window(qtbot, settings: QSettings, size: tuple[int, int] = (1280, 720)) -> MainWindow:
    win = MainWindow(Document(open_state(None)), settings)
    qtbot.addWidget(win)
    win.files.ask_unsaved = lambda: "discard"
    win.resize(*size)
    win.show()
    win.activateWindow()
    qtbot.waitExposed(win)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=2000)
    return win


@pytest.fixture
def settings(tmp_path):
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, settings):
    win = make_window(qtbot, settings)
    yield win
    win.text_size.normal()  # the application font is shared by every test


def graph_in_view(win: MainWindow) -> bool:
    graph = win.graph
    box = graph.graph_layout().content_rect()
    items = graph.mapFromScene(QRectF(box.left, box.top, box.width, box.height)).boundingRect()
    return QRectF(graph.viewport().rect()).adjusted(-1, -1, 1, 1).contains(QRectF(items))


@pytest.mark.parametrize(
    ("key", "modifier", "moves"),
    [
        (Qt.Key.Key_PageDown, Qt.KeyboardModifier.NoModifier, 1),
        (Qt.Key.Key_Space, Qt.KeyboardModifier.NoModifier, 1),
        (Qt.Key.Key_Right, Qt.KeyboardModifier.NoModifier, 1),
        (Qt.Key.Key_F10, Qt.KeyboardModifier.NoModifier, 1),
        (Qt.Key.Key_PageUp, Qt.KeyboardModifier.NoModifier, -1),
        (Qt.Key.Key_Left, Qt.KeyboardModifier.NoModifier, -1),
        (Qt.Key.Key_F10, Qt.KeyboardModifier.ShiftModifier, -1),
    ],
)
def test_clicker_and_keyboard_keys_step(window, qtbot, key, modifier, moves):
    window.document.set_stage(3)
    graph = window.focus_graph()
    qtbot.keyClick(graph, key, modifier)
    assert window.document.stage_index == 3 + moves


def test_home_and_end_still_reset_and_run_to_the_end(window, qtbot):
    graph = window.focus_graph()
    qtbot.keyClick(graph, Qt.Key.Key_End)
    assert window.document.stage_index == len(window.document.stages) - 1
    qtbot.keyClick(graph, Qt.Key.Key_Home)
    assert window.document.stage_index == 0


def test_page_down_never_scrolls_the_graph_out_of_view(window, qtbot):
    graph = window.focus_graph()
    for _ in range(len(window.document.stages) + 3):  # past the last stage, where Step is off
        qtbot.keyClick(graph, Qt.Key.Key_PageDown)
        assert graph_in_view(window)
    for key in (Qt.Key.Key_Space, Qt.Key.Key_Down, Qt.Key.Key_End, Qt.Key.Key_PageDown):
        qtbot.keyClick(graph, key)
        assert graph_in_view(window)
    assert window.document.stage_index == len(window.document.stages) - 1
    for _ in range(len(window.document.stages) + 3):
        qtbot.keyClick(graph, Qt.Key.Key_PageUp)
        assert graph_in_view(window)
    assert window.document.stage_index == 0


def test_space_in_a_text_field_types_a_space(window, qtbot):
    field = QLineEdit(window.panels["training"])
    field.show()
    field.setFocus()
    qtbot.keyClicks(field, "a b")
    assert field.text() == "a b"
    assert window.document.stage_index == 0


def test_b_blanks_the_screen_and_back(window, qtbot):
    graph = window.focus_graph()
    qtbot.keyClick(graph, Qt.Key.Key_B)
    assert window.presentation.blanked
    cover = window.findChild(type(window.presentation._blank), "blank_screen")
    assert cover is not None and cover.geometry() == window.rect()
    qtbot.keyClick(graph, Qt.Key.Key_Period)
    assert not window.presentation.blanked


def test_presentation_shows_graph_and_equation_and_restores_the_docks(window, qtbot):
    window.docks["history"].show()
    window.docks["history"].raise_()
    qtbot.wait(10)
    before = {key: dock.isVisible() for key, dock in window.docks.items()}
    places = {
        key: dock.geometry() for key, dock in window.docks.items() if dock.isVisible() and dock.y() >= 0
    }
    window.presentation.enter(full_screen=False)
    qtbot.wait(10)
    shown = {key for key, dock in window.docks.items() if dock.isVisible()}
    assert shown == {"equation"}
    assert not window.menuBar().isVisible() and not window.stage_bar.isVisible()
    assert window.graph.text_factor() > 1.2
    qtbot.keyClick(window.focus_graph(), Qt.Key.Key_Escape)
    qtbot.wait(10)
    assert not window.presentation.active
    assert {key: dock.isVisible() for key, dock in window.docks.items()} == before
    for key, place in places.items():
        now = window.docks[key].geometry()
        assert abs(now.width() - place.width()) <= 4 and abs(now.height() - place.height()) <= 4, key
        assert window.dockWidgetArea(window.docks[key]) != Qt.DockWidgetArea.NoDockWidgetArea
    assert window.menuBar().isVisible() and window.stage_bar.isVisible()
    assert window.graph.text_factor() == 1.0


def test_f5_enters_presentation_and_keys_still_step(window, qtbot):
    graph = window.focus_graph()
    qtbot.keyClick(graph, Qt.Key.Key_F5)
    assert window.presentation.active
    qtbot.keyClick(window.focus_graph(), Qt.Key.Key_PageDown)
    qtbot.keyClick(window.focus_graph(), Qt.Key.Key_PageDown)
    assert window.document.stage_index == 2
    window.presentation.leave()


def test_text_size_grows_shrinks_and_is_remembered(qtbot, settings):
    win = make_window(qtbot, settings)
    base = QApplication.font().pointSizeF()
    equation = win.panels["equation"]
    equation_size = equation.font().pointSizeF()
    qtbot.keyClick(win.focus_graph(), Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(win.focus_graph(), Qt.Key.Key_Plus, Qt.KeyboardModifier.ControlModifier)
    assert QApplication.font().pointSizeF() > base * 1.2
    assert equation.font().pointSizeF() > equation_size * 1.2
    assert win.graph.text_factor() > 1.2
    assert int(settings.value(SETTING)) > 2
    win.close()
    again = make_window(qtbot, settings)
    assert again.text_size.factor() == win.text_size.factor()
    assert again.panels["equation"].font().pointSizeF() == pytest.approx(equation.font().pointSizeF())
    qtbot.keyClick(again.focus_graph(), Qt.Key.Key_0, Qt.KeyboardModifier.ControlModifier)
    assert again.text_size.factor() == 1.0
    assert QApplication.font().pointSizeF() == pytest.approx(base)
    assert again.panels["equation"].font().pointSizeF() == pytest.approx(equation_size)


def test_f_fits_the_graph_after_a_zoom(window, qtbot):
    window.graph.zoom_by(3.0)
    assert window.graph.zoom.user_zoomed
    qtbot.keyClick(window.focus_graph(), Qt.Key.Key_F)
    assert not window.graph.zoom.user_zoomed
    assert graph_in_view(window)


def test_redo_has_ctrl_y_and_no_key_twice():
    keys = [key.toString() for key in redo_keys()]
    assert "Ctrl+Y" in keys and "Ctrl+Shift+Z" in keys
    assert len(keys) == len(set(keys))


def test_undo_and_redo_name_what_they_do(window, qtbot):
    commands.edit_weight(window.document, 2, 0, 1, 0.45)
    assert window.undo_action.text().startswith("&Undo ")
    assert "0.45" in window.undo_action.text()
    qtbot.keyClick(window.focus_graph(), Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.redo_action.text().startswith("&Redo ") and "0.45" in window.redo_action.text()
    qtbot.keyClick(window.focus_graph(), Qt.Key.Key_Y, Qt.KeyboardModifier.ControlModifier)
    assert window.document.network.layer(2).weights[0, 1] == 0.45


def test_ctrl_z_after_typing_a_weight_on_the_graph_undoes_it(window, qtbot):
    graph = window.focus_graph()
    from explorer.document.selection import Selection

    assert graph.interaction.open_editor(Selection.edge(1, 0, 0))
    editor = graph.editor()
    editor.entry.setText("0.9")
    qtbot.keyClick(editor.entry, Qt.Key.Key_Return)
    assert window.document.network.layer(1).weights[0, 0] == 0.9
    qtbot.keyClick(QApplication.focusWidget() or graph, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.document.network.layer(1).weights[0, 0] == 0.15


def test_keyboard_shortcuts_list_every_action_with_keys(window):
    dialog = window.show_shortcuts()
    from PySide6.QtWidgets import QTextBrowser

    page = dialog.findChild(QTextBrowser).toPlainText()
    for action in window.actions():
        for key in action.shortcuts():
            assert key.toString(QKeySequence.SequenceFormat.NativeText) in page
    for needed in ("PgDown", "F5", "Ctrl+Y", "Ctrl++", "Ctrl+0"):
        assert needed in page
    dialog.close()


def test_getting_started_and_reset_layout(window, qtbot):
    dialog = window.show_getting_started()
    from PySide6.QtWidgets import QTextBrowser

    page = dialog.findChild(QTextBrowser).toPlainText()
    assert "Three things to try first" in page and "δ" in page
    dialog.close()
    window.docks["inspector"].setFloating(True)
    window.docks["equation"].hide()
    window.reset_layout()
    qtbot.wait(10)
    assert not window.docks["inspector"].isFloating()
    assert window.docks["equation"].isVisible()
    assert window.dockWidgetArea(window.docks["inspector"]) == Qt.DockWidgetArea.RightDockWidgetArea


@pytest.mark.parametrize("size", [(1024, 700), (1280, 720)])
def test_a_small_window_keeps_half_for_the_graph_and_apply_update_in_view(qtbot, settings, size):
    win = make_window(qtbot, settings, size)
    qtbot.wait(20)
    graph = win.graph.size()
    share = graph.width() * graph.height() / (win.width() * win.height())
    print(f"{size}: graph {graph.width()}x{graph.height()}, {share:.0%} of the window")
    assert share >= 0.5
    bar = win.stage_bar
    for action in (bar.reset_action, bar.back_action, bar.step_action, bar.end_action, bar.update_action):
        button = bar.widgetForAction(action)
        assert button is not None and button.isVisible(), action.text()
        assert bar.rect().contains(button.geometry()), action.text()


def test_ctrl_z_after_typing_a_weight_in_the_inspector_undoes_it(window, qtbot):
    from explorer.document.selection import Selection

    window.document.select(Selection.edge(1, 0, 0))
    field = window.panels["inspector"].editor
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "0.9")
    qtbot.keyClick(field, Qt.Key.Key_Return)
    assert window.document.network.layer(1).weights[0, 0] == 0.9
    qtbot.keyClick(QApplication.focusWidget() or field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert window.document.network.layer(1).weights[0, 0] == 0.15


def test_ctrl_z_while_typing_in_a_field_undoes_the_typing_only(window, qtbot):
    from explorer.document.selection import Selection

    window.document.select(Selection.edge(1, 0, 0))
    field = window.panels["inspector"].editor
    field.setFocus()
    field.selectAll()
    qtbot.keyClicks(field, "0.7")
    qtbot.keyClick(field, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert field.text() != "0.7"
    assert window.document.network.layer(1).weights[0, 0] == 0.15
    assert not window.document.undo_stack.canRedo()


def test_shortcuts_name_the_stepping_actions_in_a_small_window_too(qtbot, settings):
    from PySide6.QtWidgets import QTextBrowser

    win = make_window(qtbot, settings, (1024, 700))
    assert win.stage_bar.step_action.text() == "▶"
    dialog = win.show_shortcuts()
    page = dialog.findChild(QTextBrowser).toPlainText()
    assert "Step ▶" in page and "Step back" in page and "Run to end" in page
    dialog.close()
