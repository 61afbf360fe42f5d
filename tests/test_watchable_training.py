"""Watchable training (a speed control, one more epoch from the keyboard) and what Apply update did."""

from __future__ import annotations

import time

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication

from explorer.app.main_window import MainWindow
from explorer.document.document import Document
from explorer.files import reader
from explorer.files.examples import examples_dir


@pytest.fixture
def xor_window(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(Document(reader.load(str(examples_dir() / "xor-2-2-1.mlp.json"))), settings)
    qtbot.addWidget(win)
    win.files.ask_unsaved = lambda: "discard"
    win.resize(1280, 720)
    win.show()
    win.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is win, timeout=2000)
    yield win
    win.training.pause()


def test_five_epochs_a_second_trains_about_five_in_a_second(xor_window, qtbot):
    win = xor_window
    panel = win.panels["training"]
    panel.speed_box.setCurrentIndex(1)
    panel.speed_box.activated.emit(1)
    assert win.training.epochs_per_second == 5.0
    frames = []
    win.training.progress.connect(lambda: frames.append(win.training.epochs_done))
    start = time.perf_counter()
    panel.toggle_play()
    qtbot.wait(1000)
    elapsed = time.perf_counter() - start
    done = win.training.epochs_done
    win.training.pause()
    assert 2 <= done <= 5 * elapsed + 3, (done, elapsed)
    # Every epoch was shown: the plots heard of each (a paced run does not skip frames).
    assert len(set(frames)) >= done - 1


def test_as_fast_as_possible_is_still_the_default_and_fast(xor_window, qtbot):
    win = xor_window
    assert win.training.epochs_per_second is None
    win.panels["training"].toggle_play()
    qtbot.wait(500)
    win.training.pause()
    assert win.training.epochs_done > 50


def test_keys_change_the_speed_and_train_one_more_epoch(xor_window, qtbot):
    win = xor_window
    graph = win.focus_graph()
    qtbot.keyClick(graph, Qt.Key.Key_BracketLeft)
    assert win.training.epochs_per_second == 100.0
    qtbot.keyClick(graph, Qt.Key.Key_BracketLeft)
    assert win.panels["training"].speed_box.speed() == 20.0
    qtbot.keyClick(graph, Qt.Key.Key_BracketRight)
    assert win.training.epochs_per_second == 100.0
    before = win.document.network.layer(1).weights.copy()
    qtbot.keyClick(graph, Qt.Key.Key_E)
    assert win.training.epochs_done == 1
    assert (win.document.network.layer(1).weights != before).any()
    win.presentation.enter(full_screen=False)
    qtbot.keyClick(win.focus_graph(), Qt.Key.Key_E)
    assert win.training.epochs_done == 2
    win.presentation.leave()


def test_the_speed_is_kept_when_another_file_opens(xor_window):
    win = xor_window
    win.training.set_speed(5.0)
    win.set_document(Document(reader.load(str(examples_dir() / "lecture-2-2-2.mlp.json"))))
    assert win.training.epochs_per_second == 5.0
    assert win.panels["training"].speed_box.speed() == 5.0


def test_apply_update_goes_to_stage_one_and_tells_what_j_did(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(Document(reader.load(str(examples_dir() / "lecture-2-2-2.mlp.json"))), settings)
    qtbot.addWidget(win)
    win.files.ask_unsaved = lambda: "discard"
    win.show()
    document = win.document
    document.run_to_end()
    before = float(document.trace.loss)
    win.stage_bar.update_action.trigger()
    after = float(document.trace.loss)
    assert document.stage_index == 0
    assert after < before
    banner = win.graph.banner()
    assert "J 0.2457" in banner and "→" in banner and "dropped" in banner
    assert banner in win.statusBar().currentMessage()
    document.step()
    assert win.graph.banner() == ""


def test_in_presentation_mode_a_new_speed_is_said_on_the_graph(xor_window, qtbot):
    win = xor_window
    win.presentation.enter(full_screen=False)
    qtbot.keyClick(win.focus_graph(), Qt.Key.Key_BracketLeft)
    assert win.graph.banner() == "Training speed: 100 epochs a second"
    qtbot.waitUntil(lambda: win.graph.banner() == "", timeout=5000)
    win.presentation.leave()
