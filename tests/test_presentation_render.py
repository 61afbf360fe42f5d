"""The lecture's 2-2-2 network in presentation mode: every weight label and ∂J/∂w drawn, large enough."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from explorer.app.main_window import MainWindow
from explorer.app.startup import settle_window
from explorer.document.document import Document
from explorer.files import reader
from explorer.files.examples import examples_dir

EDGES = [(k, i, j) for k in (1, 2) for i in range(2) for j in range(2)]


@pytest.fixture
def lecture_window(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    state = reader.load(str(examples_dir() / "lecture-2-2-2.mlp.json"))
    win = MainWindow(Document(state), settings)
    qtbot.addWidget(win)
    win.files.ask_unsaved = lambda: "discard"
    yield win
    win.presentation.leave()


@pytest.mark.parametrize(("size", "least"), [((1280, 720), 18.0), ((1920, 1080), 24.0)])
def test_every_label_is_drawn_and_large_enough_at_every_stage(lecture_window, size, least):
    win = lecture_window
    settle_window(QApplication.instance(), win, size, True, 1)
    graph = win.graph
    smallest = []
    for index, stage in enumerate(win.document.stages):
        win.document.set_stage(index)
        QApplication.processEvents()
        assert sorted(graph.shown_edge_labels()) == EDGES, stage.title
        assert not graph.view_note(), stage.title
        for edge in EDGES:
            text = graph.edge_label_text(*edge)
            assert text.startswith("w"), text
            if stage.kind in ("gradient", "update"):
                assert "∂J/∂w" in text, (stage.title, text)
        smallest.append(graph.edge_label_pixels())
    print(f"{size}: smallest edge label {min(smallest):.1f} px")
    assert min(smallest) >= least


def test_slides_keep_the_network_in_one_place_on_every_slide(qtbot):
    from explorer.app.slides import SlideDeck

    deck = SlideDeck(str(examples_dir() / "lecture-2-2-2.mlp.json"), (1920, 1080))
    graph = deck.graph
    places = set()
    for _index, _stage in deck.slides():
        points = [graph.mapFromScene(graph.neuron_position(k, i)) for k in range(3) for i in range(2)]
        places.add(tuple((p.x(), p.y()) for p in points))
        assert sorted(graph.shown_edge_labels()) == EDGES
        assert graph.edge_label_pixels() >= 24
    deck.close()
    assert len(places) == 1


def test_pdf_slides_keep_the_equations_as_text(tmp_path):
    import shutil
    import subprocess

    from explorer.app.slides import write_slides

    out = tmp_path / "deck.pdf"
    count = write_slides(str(examples_dir() / "lecture-2-2-2.mlp.json"), str(out))
    assert count == 11 and out.read_bytes()[:5] == b"%PDF-"
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout
    pages = text.split("\f")
    assert len([page for page in pages if page.strip()]) == 11
    assert "Stage 10 / 11" in pages[9] and "∂J/∂w₁₁⁽¹⁾" not in pages[0]
    assert pages[9].count("∂J/∂w") >= 8 and "δ" in pages[9]
    assert "w₁₁⁽¹⁾ = 0.15" in pages[0]


def test_screenshot_in_presentation_mode_at_a_stage(tmp_path):
    import os
    import subprocess
    import sys

    out = tmp_path / "shot.png"
    args = ["--screenshot", str(out), "--size", "1280x720", "--presentation", "--stage", "4"]
    result = subprocess.run(
        [sys.executable, "-m", "explorer", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    assert (width, height) == (1280, 720)
