"""File ▸ Export of a plot: a figure (plots only) of the chosen size, always from the current data."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QImage

from explorer.app.figure import FigureSize, figure_plots
from explorer.app.main_window import MainWindow
from explorer.document.document import Document
from explorer.files import reader
from explorer.files.examples import examples_dir


@pytest.fixture
def window(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    win = MainWindow(Document(reader.load(str(examples_dir() / "xor-2-2-1.mlp.json"))), settings)
    qtbot.addWidget(win)
    win.files.ask_unsaved = lambda: "discard"
    win.resize(1280, 800)
    win.show()
    qtbot.waitExposed(win)
    return win


def export(win, key: str, stem: str, path, figure: FigureSize) -> bool:
    win.exports.ask_figure = lambda: figure
    win.exports.ask_path = lambda *_args: str(path)
    return win.exports.export_picture(key, stem)


def test_a_plot_never_shown_exports_the_current_data(window, tmp_path, qtbot):
    window.docks["activation"].raise_()  # the loss curve is behind its tab from now on
    qtbot.wait(20)
    assert export(window, "loss", "loss", tmp_path / "before.png", FigureSize(700, 400, 2.0))
    window.training.train_epochs(40)
    qtbot.wait(20)
    loss = window.panel("loss")
    assert export(window, "loss", "loss", tmp_path / "loss.png", FigureSize(700, 400, 2.0))
    image = QImage(str(tmp_path / "loss.png"))
    assert (image.width(), image.height()) == (1400, 800)
    assert image != QImage(str(tmp_path / "before.png"))  # the curve is in the picture
    epochs, _values = loss.curve_data()
    assert len(epochs) == 40  # drawn from the history, not the "No epochs yet" of before training
    assert "No epochs yet" not in loss.readout.text()


def test_a_figure_has_the_plots_only_and_the_size_asked_for(window, tmp_path):
    activation = window.panel("activation")
    assert len(figure_plots(activation)) == 2  # g and g', none of the panel's controls
    assert export(window, "activation", "activation", tmp_path / "g.svg", FigureSize(600, 800, 1.0))
    svg = (tmp_path / "g.svg").read_text()
    assert 'width="600' in svg or "600px" in svg or 'viewBox="0 0 600 800"' in svg
    assert "g′(z)" in svg or "g'(z)" in svg or "g&#8242;" in svg


def test_cancelling_the_size_exports_nothing(window, tmp_path):
    window.exports.ask_figure = lambda: None
    window.exports.ask_path = lambda *_args: pytest.fail("no path is asked for after a cancel")
    assert not window.exports.export_picture("loss", "loss")
