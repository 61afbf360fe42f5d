"""Exports: PNG and SVG of widgets and plots, the step-through as CSV, Markdown and LaTeX."""

from __future__ import annotations

import csv
import io
import math
import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET

import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QByteArray
from PySide6.QtGui import QImage, QPainter
from PySide6.QtSvg import QSvgRenderer
from PySide6.QtWidgets import QFrame, QLabel, QVBoxLayout, QWidget

from explorer.app import export, pictures
from explorer.engine.network import Layer, Network
from explorer.engine.stepper import Stepper
from explorer.files import step_through

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: bytes) -> tuple[int, int]:
    """Read width and height from the PNG header (IHDR is always the first chunk)."""
    assert data[:8] == PNG_SIGNATURE
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def svg_tags(data: bytes) -> tuple[ET.Element, list[str]]:
    root = ET.fromstring(data)
    return root, [element.tag.rsplit("}", 1)[-1] for element in root.iter()]


def svg_text(root: ET.Element) -> str:
    return "".join(
        "".join(element.itertext()) for element in root.iter() if element.tag.rsplit("}", 1)[-1] == "text"
    )


@pytest.fixture
def label(qtbot) -> QLabel:
    widget = QLabel("Hello δ & <world>")
    widget.setFrameShape(QFrame.Box)
    widget.resize(200, 80)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture
def plot(qtbot) -> pg.PlotWidget:
    widget = pg.PlotWidget()
    x = np.linspace(0.0, 50.0, 200)
    widget.plot(x, np.exp(-x / 10.0), pen=pg.mkPen("#0064a8", width=2.5))
    widget.plot([10.0, 20.0], [0.5, 0.2], pen=None, symbol="o", symbolSize=12, symbolBrush="#c24f00")
    widget.setLabel("bottom", "epoch")
    widget.resize(420, 300)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


# --- pictures ------------------------------------------------------------------------------
def test_png_has_the_signature_and_the_widget_size(label, tmp_path):
    path = tmp_path / "label.png"
    export.export_widget(label, path)
    assert png_size(path.read_bytes()) == (200, 80)
    export.export_widget(label, tmp_path / "label@2.PNG", scale=2)
    assert png_size((tmp_path / "label@2.PNG").read_bytes()) == (400, 160)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["label.png", "label@2.PNG"]  # no temp files left


def test_png_of_a_plot_shows_its_visible_scene(plot, tmp_path):
    path = tmp_path / "plot.png"
    export.export_png(plot, path)
    viewport = plot.viewport().size()
    assert png_size(path.read_bytes()) == (viewport.width(), viewport.height())
    image = QImage(str(path))
    assert not image.isNull()
    # The blue curve is in the picture (not just an empty background).
    assert any(
        image.pixelColor(x, y).blue() > 120 > image.pixelColor(x, y).red()
        for x in range(0, 420, 2)
        for y in range(0, 300, 2)
    )
    # Twice the pixels, the same picture (not the same picture in one corner).
    double = QImage.fromData(pictures.png_bytes(plot, scale=2))
    assert (double.width(), double.height()) == (2 * viewport.width(), 2 * viewport.height())
    a, b = ink(image, 8), ink(double, 16)
    assert (a & b).sum() / (a | b).sum() > 0.85


def test_svg_of_a_label_is_vector_text(label, tmp_path):
    path = tmp_path / "label.svg"
    export.export_widget(label, path, title="A label")
    root, tags = svg_tags(path.read_bytes())
    assert root.tag.endswith("svg")
    assert root.get("viewBox") == "0 0 200 80"
    assert "image" not in tags
    assert {"rect", "path", "polyline"} & set(tags)  # the frame is a shape
    assert "Hello δ & <world>" in svg_text(root).replace("  ", " ")
    assert "".join(next(e for e in root.iter() if e.tag.endswith("title")).itertext()) == "A label"


def test_svg_of_a_plot_is_vector_and_matches_the_png(plot, tmp_path):
    # pyqtgraph's own SVG exporter fails with Qt >= 6.11; this is the case it breaks on.
    data = pictures.svg_bytes(plot)
    root, tags = svg_tags(data)
    assert root.tag.endswith("svg")
    assert tags.count("polyline") + tags.count("path") >= 5  # curve, axes, ticks
    assert "image" not in tags  # markers drawn as shapes, not stamped from pyqtgraph's bitmap atlas
    # The curve is in picture units, not data units under a huge scaling transform with
    # vector-effect="non-scaling-stroke" (which office suites ignore, drawing bars hundreds wide).
    width, height = plot.viewport().width(), plot.viewport().height()
    curve = [
        float(value)
        for group in root.iter()
        if group.get("stroke") == "#0064a8"
        for line in group
        for value in re.split(r"[ ,]+", line.get("points", "").strip())
        if value
    ]
    xs, ys = curve[0::2], curve[1::2]
    assert len(xs) > 100
    assert 0 <= min(xs) and max(xs) <= width and max(xs) - min(xs) > width / 2
    assert 0 <= min(ys) and max(ys) <= height and max(ys) - min(ys) > height / 2
    assert not any(element.get("vector-effect") for element in root.iter())
    text = svg_text(root)
    assert "epoch" in text and "50" in text  # axis label and tick labels as text

    # Rendered back, the SVG shows what the PNG shows: same ink, in the same places.
    # (Axes replay a QPicture; at the wrong device DPI they come out shrunk and shifted.)
    png = QImage.fromData(pictures.png_bytes(plot))
    rendered = QImage(png.size(), QImage.Format_ARGB32)
    rendered.fill(0)
    renderer = QSvgRenderer(QByteArray(data))
    assert renderer.isValid()
    painter = QPainter(rendered)
    renderer.render(painter)
    painter.end()
    rendered.save(str(tmp_path / "rendered.png"))
    a, b = ink(rendered), ink(png)
    assert (a & b).sum() / (a | b).sum() > 0.9


def ink(image: QImage, block: int = 8) -> np.ndarray:
    """Return which block×block cells of the image hold anything brighter than the black background."""
    image = image.convertToFormat(QImage.Format_RGB32)
    rows = np.frombuffer(image.constBits(), np.uint8).reshape(image.height(), image.bytesPerLine())
    pixels = rows[:, : image.width() * 4].reshape(image.height(), image.width(), 4)
    bright = pixels[..., :3].max(axis=2) > 60
    h, w = (bright.shape[0] // block) * block, (bright.shape[1] // block) * block
    return bright[:h, :w].reshape(h // block, block, w // block, block).any(axis=(1, 3))


def test_svg_of_a_panel_keeps_its_plot_vector(qtbot, tmp_path):
    panel = QWidget()
    layout = QVBoxLayout(panel)
    layout.addWidget(QLabel("Loss over epochs"))
    inner = pg.PlotWidget()
    inner.plot([0, 1, 2, 3], [3, 1, 2, 0.5])
    layout.addWidget(inner)
    panel.resize(400, 300)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    mode = inner.cacheMode()
    root, tags = svg_tags(pictures.svg_bytes(panel))
    assert "image" not in tags  # the view's cached background would be a bitmap
    assert "polyline" in tags or "path" in tags
    assert "Loss over epochs" in svg_text(root)
    assert inner.cacheMode() == mode


def test_bake_strokes_maps_scaled_thin_lines_and_keeps_the_rest():
    svg = (
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100">'
        '<g stroke="red" transform="matrix(10,0,0,-10,5,50)">'
        '<polyline vector-effect="non-scaling-stroke" points="0,0 1,1 "/>'
        '<path vector-effect="non-scaling-stroke" d="M0,0 L1,0 C1,1 0,1 0,0 Z"/>'
        '<text x="1" y="2">label</text>'
        '<circle vector-effect="non-scaling-stroke" cx="1" cy="1" r="0.5"/>'
        '<path vector-effect="non-scaling-stroke" d="M0,0 A1,1 0 0 1 1,1"/>'
        "</g>"
        '<g transform="matrix(1,0,0,1,3,4)">'
        '<polyline vector-effect="non-scaling-stroke" points="1,1 2,2"/></g>'
        "</svg>"
    )
    root = ET.fromstring(pictures.bake_strokes(svg.encode()))
    scaled, shifted = [g for g in root if g.tag.endswith("g")]
    assert "transform" not in scaled.attrib
    kids = list(scaled)
    assert kids[0].get("points") == "5,50 15,40" and "vector-effect" not in kids[0].attrib
    assert kids[1].get("d") == "M 5,50 L 15,50 C 15,40 5,40 5,50 Z"
    # Text keeps its own units inside a group with the old transform, in the same drawing order.
    assert kids[2].tag.endswith("g") and kids[2].get("transform") == "matrix(10,0,0,-10,5,50)"
    assert [_.text for _ in kids[2]] == ["label"]
    assert (kids[3].get("cx"), kids[3].get("cy"), kids[3].get("r")) == ("15", "40", "5")
    # An arc is not mapped (its radii would need more than a point map): it keeps the transform.
    assert kids[4].tag.endswith("g") and kids[4][0].get("vector-effect") == "non-scaling-stroke"
    # A shift does not change widths: only the attribute goes.
    assert shifted.get("transform") == "matrix(1,0,0,1,3,4)" and "vector-effect" not in shifted[0].attrib


def test_bad_suffix_and_bad_folder_give_one_line_messages(label, tmp_path):
    for name in ("label.jpg", "label"):
        with pytest.raises(ValueError, match=r"\.png or \.svg"):
            export.export_widget(label, tmp_path / name)
    assert list(tmp_path.iterdir()) == []
    missing = tmp_path / "no such folder" / "label.svg"
    with pytest.raises(OSError) as caught:
        export.export_widget(label, missing)
    message = str(caught.value)
    assert "\n" not in message and str(missing) in message


def test_a_widget_without_size_is_refused(qtbot):
    empty = QWidget()
    qtbot.addWidget(empty)
    empty.resize(0, 0)
    with pytest.raises(ValueError, match="no size"):
        pictures.png_bytes(empty)


def test_write_text_replaces_the_file_in_utf8(tmp_path):
    path = tmp_path / "notes.md"
    path.write_text("old")
    export.write_text(path, "δ^(2) ⊙ e\n")
    assert path.read_bytes() == "δ^(2) ⊙ e\n".encode()
    assert [p.name for p in tmp_path.iterdir()] == ["notes.md"]


# --- the step-through ------------------------------------------------------------------------
def lecture_stepper(dtype=np.float64) -> Stepper:
    network = Network(
        [
            Layer(np.array([[0.15, 0.2], [0.25, 0.3]]), np.array([0.35, 0.35]), "sigmoid"),
            Layer(np.array([[0.4, 0.45], [0.5, 0.55]]), None, "sigmoid"),
        ],
        "half_sse",
        "Lecture 2-2-2",
    ).astype(dtype)
    return Stepper(network, np.array([0.05, 0.1], dtype), np.array([0.01, 0.99], dtype), 0.5)


def by_hand() -> dict:
    """Work the lecture network through with plain floats."""
    x, y = [0.05, 0.1], [0.01, 0.99]
    W1, b1, W2 = [[0.15, 0.2], [0.25, 0.3]], [0.35, 0.35], [[0.4, 0.45], [0.5, 0.55]]
    sig = lambda v: 1.0 / (1.0 + math.exp(-v))  # noqa: E731
    z1 = [W1[i][0] * x[0] + W1[i][1] * x[1] + b1[i] for i in range(2)]
    a1 = [sig(v) for v in z1]
    z2 = [W2[i][0] * a1[0] + W2[i][1] * a1[1] for i in range(2)]
    a2 = [sig(v) for v in z2]
    e2 = [a2[i] - y[i] for i in range(2)]
    d2 = [a2[i] * (1 - a2[i]) * e2[i] for i in range(2)]
    return {
        "z1": z1,
        "J": 0.5 * (e2[0] ** 2 + e2[1] ** 2),
        "gW2": [[d2[i] * a1[j] for j in range(2)] for i in range(2)],
    }


def test_csv_has_one_row_per_stage_quantity_and_entry():
    stepper = lecture_stepper()
    rows = list(csv.reader(io.StringIO(step_through.stepthrough_csv(stepper))))
    assert rows[0] == list(step_through.CSV_COLUMNS)
    body = [dict(zip(rows[0], row)) for row in rows[1:]]
    assert all(len(row) == 8 for row in rows)  # titles with commas are quoted
    hand = by_hand()

    z = [row for row in body if row["quantity"] == "z^(1)"]
    assert [(row["i"], row["j"]) for row in z] == [("0", ""), ("1", "")]
    assert (
        z[0]["stage_kind"] == "linear"
        and z[0]["layer"] == "1"
        and z[0]["stage_title"] == "Layer 1, linear step"
    )
    assert float(z[0]["value"]) == pytest.approx(0.3775, abs=1e-15)  # .15*.05 + .2*.1 + .35
    assert float(z[1]["value"]) == pytest.approx(hand["z1"][1], abs=1e-15)
    assert float(z[1]["value"]) == stepper.trace.zs[1][1]  # full precision: reads back exactly

    grads = {(row["i"], row["j"]): float(row["value"]) for row in body if row["quantity"] == "∂J/∂W^(2)"}
    assert set(grads) == {("0", "0"), ("0", "1"), ("1", "0"), ("1", "1")}
    for (i, j), value in grads.items():
        assert value == pytest.approx(hand["gW2"][int(i)][int(j)], rel=1e-12)

    (loss,) = [row for row in body if row["quantity"] == "J"]
    assert (loss["i"], loss["j"], loss["stage_kind"]) == ("", "", "error")
    assert float(loss["value"]) == pytest.approx(hand["J"], rel=1e-12)

    # Every stage, in order, with each quantity it produces in order.
    order = []
    for row in body:
        key = (int(row["stage_index"]), row["quantity"])
        if key not in order:
            order.append(key)
    expected = [(index, symbol) for index, stage in enumerate(stepper.stages) for symbol in stage.outputs]
    assert order == expected
    # Gradients: ∂J/∂W^(1), ∂J/∂b^(1), ∂J/∂W^(2).
    # Update: ΔW^(1), W^(1) new, Δb^(1), b^(1) new, ΔW^(2), W^(2) new.
    gradients, update = 4 + 2 + 4, 4 + 4 + 2 + 2 + 4 + 4
    assert ("δ^(2)" in {row["quantity"] for row in body}) and len(body) == 2 * 9 + 1 + gradients + update


def test_csv_of_a_float32_network_keeps_float32_digits():
    rows = list(csv.DictReader(io.StringIO(step_through.stepthrough_csv(lecture_stepper(np.float32)))))
    (first,) = [row for row in rows if row["quantity"] == "a^(0)" and row["i"] == "1"]
    assert first["value"] == "0.1"


def test_markdown_has_the_set_up_every_stage_and_the_numbers():
    stepper = lecture_stepper()
    text = step_through.stepthrough_markdown(stepper)
    assert text.startswith("# ") and "Lecture 2-2-2" in text.splitlines()[0]
    for fact in ("2-2-2", "half_sse", "x = [0.05; 0.1]", "y = [0.01; 0.99]", "η = 0.5"):
        assert fact in text
    for stage in stepper.stages:
        assert f"## {stage.title}" in text
    hand = by_hand()
    for number in ("0.3775", f"{hand['gW2'][0][1]:.6g}", f"{hand['gW2'][1][0]:.6g}"):
        assert number in text


def test_latex_is_a_whole_document_with_balanced_braces(tmp_path):
    stepper = lecture_stepper()
    text = step_through.stepthrough_latex(stepper)
    assert text.startswith(r"\documentclass")
    assert r"\usepackage{amsmath" in text
    assert text.count(r"\begin{document}") == 1 and text.rstrip().endswith(r"\end{document}")
    assert text.count(r"\section*{") == len(stepper.stages) + 1
    assert text.count(r"\begin{bmatrix}") == text.count(r"\end{bmatrix}") > 20
    unescaped = text.replace(r"\{", "").replace(r"\}", "")
    depth = 0
    for char in unescaped:
        depth += {"{": 1, "}": -1}.get(char, 0)
        assert depth >= 0
    assert depth == 0
    for line in text.splitlines():
        if not line.startswith("%"):
            assert line.replace(r"\$", "").count("$") % 2 == 0, line
    assert "0.3775" in text and "Update with learning rate $\\eta = 0.5$" in text
    if shutil.which("pdflatex"):  # compile only where TeX is installed; the structure checks stand alone
        (tmp_path / "steps.tex").write_text(text, encoding="utf-8")
        done = subprocess.run(
            ["pdflatex", "-interaction=nonstopmode", "-halt-on-error", "steps.tex"],
            cwd=tmp_path,
            capture_output=True,
            timeout=60,
        )
        assert done.returncode == 0, done.stdout[-2000:]


def test_latex_of_a_wide_layer_fits_the_matrix_column_limit():
    rng = np.random.default_rng(3)
    network = Network(
        [Layer(rng.normal(size=(3, 30)), None, "tanh"), Layer(rng.normal(size=(2, 3)), None, "sigmoid")]
    )
    text = step_through.stepthrough_latex(Stepper(network, rng.normal(size=30), np.array([0.0, 1.0])))
    limit = int(re.search(r"\\setcounter\{MaxMatrixCols\}\{(\d+)\}", text).group(1))
    widest = max(
        row.count("&") + 1
        for body in re.findall(r"\\begin\{bmatrix\}(.*?)\\end\{bmatrix\}", text)
        for row in body.split(r"\\")
    )
    assert 10 < widest <= limit  # amsmath stops at 10 columns unless told
    assert r"\cdots" in text and "(shown in part:" in text


def test_latex_titles_and_text_are_escaped():
    latex_title = step_through.latex_title
    assert latex_title("Update with learning rate η = 0.5") == r"Update with learning rate $\eta = 0.5$"
    assert latex_title("Layer 2 → 1, error sent back") == r"Layer 2 $\rightarrow$ 1, error sent back"
    assert latex_title("Layer 1, nonlinear step (leaky_relu)") == r"Layer 1, nonlinear step (leaky\_relu)"
    assert step_through.latex_text("50% & $x_1 #{η}") == r"50\% \& \$x\_1 \#\{$\eta$\}"


def test_stepthrough_is_saved_by_suffix(tmp_path):
    stepper = lecture_stepper()
    for name in ("steps.csv", "steps.md", "steps.tex"):
        export.export_stepthrough(stepper, tmp_path / name)
    assert (tmp_path / "steps.csv").read_text(encoding="utf-8") == step_through.stepthrough_csv(stepper)
    assert (tmp_path / "steps.tex").read_text(encoding="utf-8").endswith("\\end{document}\n")
    with pytest.raises(ValueError, match=r"\.csv, \.md or \.tex"):
        export.export_stepthrough(stepper, tmp_path / "steps.docx")
    with pytest.raises(OSError) as caught:
        export.export_stepthrough(stepper, tmp_path / "missing" / "steps.md")
    assert "\n" not in str(caught.value)


def test_an_export_is_an_ordinary_file_not_a_private_one(tmp_path):
    import os

    old = os.umask(0o022)
    try:
        export.write_text(tmp_path / "notes.md", "# notes\n")
    finally:
        os.umask(old)
    assert (tmp_path / "notes.md").stat().st_mode & 0o777 == 0o644


def test_a_shape_note_keeps_its_words_outside_the_maths():
    from explorer.text.equations import shape_note_latex

    assert shape_note_latex("W^(1) is 128 × 784") == r"$W^{(1)}$ is $128 \times 784$"
