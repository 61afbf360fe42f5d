"""Export what the window shows: any plot or the graph as PNG or SVG, the step-through as CSV/Markdown/LaTeX.

SVG goes through QSvgGenerator and Qt's own painting, not pyqtgraph's exporter (which fails with
Qt ≥ 6.11): a QGraphicsView (the graph, every pyqtgraph PlotWidget) renders its scene, so lines stay
paths and labels stay text. The step-through texts reuse explorer.views.formatting, so an exported
formula reads exactly as it does in the equation panel.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from pathlib import Path

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsView, QWidget

from .engine.losses import get_loss
from .engine.stepper import Stepper
from .views.formatting import (
    equation_latex,
    equation_shape_notes,
    format_number,
    matrix_latex,
    matrix_text,
    notation_latex,
    stages_markdown,
)

PathLike = str | os.PathLike
IMAGE_SUFFIXES = (".png", ".svg")
CSV_COLUMNS = ("stage_index", "stage_kind", "layer", "stage_title", "quantity", "i", "j", "value")


# --- files -------------------------------------------------------------------------------
def write_bytes(path: PathLike, data: bytes) -> None:
    """Write `data` to `path` via a temporary file in the same folder, so a failure keeps the old file."""
    target = Path(path)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise


def write_text(path: PathLike, text: str) -> None:
    """Write `text` to `path` as UTF-8, replacing the file in one step (temporary file + os.replace)."""
    write_bytes(path, text.encode("utf-8"))


def _os_error(path: PathLike, error: OSError) -> OSError:
    reason = error.strerror or str(error) or type(error).__name__
    return OSError(f"Could not write {os.fspath(path)}: {reason}".replace("\n", " "))


# --- pictures ------------------------------------------------------------------------------
def _picture_dpi() -> int:
    """Return the resolution QPicture assumes (Qt's default DPI), which pyqtgraph's axes record in."""
    # An axis replays a recorded QPicture, which Qt rescales by (device DPI / default DPI): a device
    # at another resolution would draw the axes shrunk and shifted. Give every device this one.
    if QGuiApplication.testAttribute(Qt.AA_Use96Dpi):
        return 96
    screen = QGuiApplication.primaryScreen()
    return round(screen.logicalDotsPerInchX()) if screen is not None else 96


def _picture_size(widget: QWidget) -> QSize:
    """Return the size of what is exported: a view's visible scene area, else the whole widget."""
    size = widget.viewport().size() if isinstance(widget, QGraphicsView) else widget.size()
    if size.width() <= 0 or size.height() <= 0:
        raise ValueError("Nothing to export: the view has no size yet.")
    return size


def _paint(widget: QWidget, painter: QPainter, size: QSize) -> None:
    """Paint `widget` with `painter` into the rectangle (0, 0, size) of the painter's device."""
    if isinstance(widget, QGraphicsView):
        # The scene itself, not a grab of the screen: items paint as vectors on a vector device.
        viewport = widget.viewport()
        target = QRectF(0, 0, size.width(), size.height())
        painter.fillRect(target, viewport.palette().color(viewport.backgroundRole()))
        QGraphicsView.render(widget, painter, target, viewport.rect())
        return
    # Views inside a panel would otherwise paint their cached background as one bitmap.
    views = widget.findChildren(QGraphicsView)
    modes = [view.cacheMode() for view in views]
    try:
        for view in views:
            view.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)
            view.resetCachedContent()
        QWidget.render(widget, painter, QPoint(0, 0))
    finally:
        for view, mode in zip(views, modes):
            view.setCacheMode(mode)


def png_bytes(widget: QWidget, scale: float = 1.0) -> bytes:
    """Return the widget as PNG data, `scale` times its size in pixels (2 for crisp slides)."""
    if not scale > 0:
        raise ValueError(f"The scale must be positive, not {scale}.")
    size = _picture_size(widget)
    image = QImage(
        max(1, round(size.width() * scale)), max(1, round(size.height() * scale)), QImage.Format_ARGB32
    )
    image.fill(0)
    dots_per_metre = round(_picture_dpi() / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setRenderHint(QPainter.TextAntialiasing)
        painter.scale(image.width() / size.width(), image.height() / size.height())
        _paint(widget, painter, size)
    finally:
        painter.end()
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise OSError("Could not encode the picture as PNG.")
    buffer.close()
    return bytes(data)


def svg_bytes(widget: QWidget, title: str = "") -> bytes:
    """Return the widget as SVG data: lines as paths, labels as text, sized like the widget."""
    size = _picture_size(widget)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(size)
    generator.setViewBox(QRect(QPoint(0, 0), size))
    generator.setResolution(_picture_dpi())
    generator.setTitle(title or widget.windowTitle() or "MLP Explorer")
    generator.setDescription("Exported from MLP Explorer")
    painter = QPainter()
    if not painter.begin(generator):
        raise OSError("Could not start the SVG writer.")
    try:
        painter.setRenderHint(QPainter.Antialiasing)
        _paint(widget, painter, size)
    finally:
        painter.end()
    buffer.close()
    return bytes(data)


def export_png(widget: QWidget, path: PathLike, scale: float = 1.0) -> None:
    """Save the widget (a view: its visible scene) as a PNG of `scale` times its size."""
    write_bytes(path, png_bytes(widget, scale))


def export_svg(widget: QWidget, path: PathLike, title: str = "") -> None:
    """Save the widget (a view: its visible scene) as an SVG drawing."""
    write_bytes(path, svg_bytes(widget, title))


def export_widget(widget: QWidget, path: PathLike, scale: float = 1.0, title: str = "") -> None:
    """Save the widget as PNG or SVG by the file's suffix; ValueError/OSError carry a one-line message."""
    suffix = Path(path).suffix.lower()
    if suffix not in IMAGE_SUFFIXES:
        shown = f'"{suffix}"' if suffix else "no suffix"
        raise ValueError(f"Cannot export a picture as {shown}: choose a .png or .svg file name.")
    try:
        if suffix == ".png":
            export_png(widget, path, scale)
        else:
            export_svg(widget, path, title)
    except OSError as error:
        raise _os_error(path, error) from error


# --- the step-through as text ------------------------------------------------------------
def _value_text(value: np.generic) -> str:
    """Return the shortest text that reads back to exactly this number in its own precision."""
    return str(value)  # NumPy scalars print shortest round-trip digits (float32 stays float32)


def _cells(values):
    """Yield (i, j, value) for every entry: i and j empty for a scalar, j empty for a vector."""
    array = np.asarray(values)
    if array.ndim == 0:
        yield "", "", array[()]
    elif array.ndim == 1:
        for i, value in enumerate(array):
            yield i, "", value
    else:
        matrix = array.reshape(array.shape[0], -1)
        for i in range(matrix.shape[0]):
            for j in range(matrix.shape[1]):
                yield i, j, matrix[i, j]


def stepthrough_csv(stepper: Stepper) -> str:
    """Return every quantity each stage produces, one row per stage, quantity and entry (J included)."""
    stream = io.StringIO()
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for index, stage in enumerate(stepper.stages):
        for symbol, values in stage.outputs.items():
            for i, j, value in _cells(values):
                writer.writerow(
                    (index, stage.kind, stage.layer, stage.title, symbol, i, j, _value_text(value))
                )
    return stream.getvalue()


def _summary(stepper: Stepper) -> dict[str, str]:
    """Return the plain-text facts heading an export: network, sizes, loss, sample, learning rate."""
    network = stepper.network
    activations = ", ".join(f"{k}: {layer.activation}" for k, layer in enumerate(network.layers, start=1))
    biases = [str(k) for k, layer in enumerate(network.layers, start=1) if layer.bias is not None]
    return {
        "name": network.name or "Untitled network",
        "sizes": "-".join(str(n) for n in network.sizes),
        "activations": activations,
        "biases": ", ".join(biases) if biases else "none",
        "loss": network.loss,
        "x": matrix_text(stepper.trace.x),
        "y": matrix_text(stepper.trace.y),
        "eta": format_number(stepper.learning_rate),
    }


def _markdown_escape(text: str) -> str:
    return "".join("\\" + char if char in "\\`*_{}[]<>#|!" else char for char in text)


def stepthrough_markdown(stepper: Stepper) -> str:
    """Return the step-through as Markdown: a header with the set-up, then every stage with its numbers."""
    facts = _summary(stepper)
    loss_formula = notation_latex(get_loss(stepper.network.loss).formula)
    header = [
        f"# Backpropagation step by step: {_markdown_escape(facts['name'])}",
        "",
        f"- Network: {facts['sizes']} neurons (activations by layer {facts['activations']}; "
        f"bias in layers: {facts['biases']})",
        f"- Loss: {facts['loss']}, ${loss_formula}$",
        f"- Sample: x = {facts['x']}, y = {facts['y']}",
        f"- Learning rate: η = {facts['eta']}",
        "",
    ]
    return "\n".join(header) + "\n" + stages_markdown(stepper.stages)


# --- LaTeX -------------------------------------------------------------------------------
_TEXT_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "%": r"\%",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}


def latex_text(text: str) -> str:
    """Return plain text safe for LaTeX text mode; Greek letters and symbols become inline math."""
    out = []
    for char in text:
        if char in _TEXT_ESCAPES:
            out.append(_TEXT_ESCAPES[char])
        elif ord(char) > 127 and notation_latex(char) != char:
            out.append(f"${notation_latex(char)}$")
        else:
            out.append(char)
    return "".join(out)


def _is_math_word(word: str) -> bool:
    if "_" in word and "_{" in notation_latex(word):
        return True  # w_ij is notation; leaky_relu is a name
    return any(char in "^=" or ord(char) > 127 for char in word)


def latex_title(title: str) -> str:
    """Return a stage title for LaTeX: words in the lecture's notation as math, the rest as text."""
    words = title.split(" ")
    flags = [_is_math_word(word) for word in words]
    for index in range(1, len(words)):
        flags[index] = flags[index] or words[index - 1] == "="  # "η = 0.5": the value joins the math
    out, run, run_math = [], [], None
    for word, math in zip(words + [""], flags + [None]):
        if math != run_math and run:
            text = " ".join(run)
            out.append(f"${notation_latex(text)}$" if run_math else latex_text(text))
            run = []
        run.append(word)
        run_math = math
    return " ".join(out)


_PREAMBLE = r"""\documentclass[11pt]{article}
\usepackage[T1]{fontenc}
\usepackage[utf8]{inputenc}
\usepackage{amsmath,amssymb}
\usepackage{graphicx}
\usepackage[margin=2cm]{geometry}
\setcounter{MaxMatrixCols}{20}
\newsavebox{\mlpbox}
% A display that shrinks to the line width only when it would not fit (wide matrices).
\newcommand{\fitdisplay}[1]{\sbox{\mlpbox}{$\displaystyle #1$}\begin{center}%
\ifdim\wd\mlpbox>\linewidth\resizebox{\linewidth}{!}{\usebox{\mlpbox}}\else\usebox{\mlpbox}\fi
\end{center}}
\setlength{\parindent}{0pt}
"""


def stepthrough_latex(stepper: Stepper) -> str:
    """Return the step-through as a LaTeX document that compiles on its own: one section per stage."""
    facts = _summary(stepper)
    loss = get_loss(stepper.network.loss)
    lines = [
        _PREAMBLE,
        r"\begin{document}",
        rf"\section*{{Backpropagation step by step: {latex_text(facts['name'])}}}",
        r"\begin{itemize}",
        rf"\item Network: {facts['sizes']} neurons (activations by layer {latex_text(facts['activations'])};"
        rf" bias in layers: {facts['biases']})",
        rf"\item Loss: {latex_text(facts['loss'])}, ${notation_latex(loss.formula)}$",
        rf"\item Sample: $x = {matrix_latex(stepper.trace.x)}$, $y = {matrix_latex(stepper.trace.y)}$",
        rf"\item Learning rate: $\eta = {facts['eta']}$",
        r"\end{itemize}",
        "",
    ]
    for stage in stepper.stages:
        lines.append(rf"\section*{{{latex_title(stage.title)}}}")
        for formula in stage.formulas:
            lines.append(rf"\[ {notation_latex(formula)} \]")
        for equation in stage.equations:
            lines.append(rf"\fitdisplay{{{equation_latex(equation)}}}")
            for note in equation_shape_notes(equation):
                lines.append(rf"(shown in part: ${notation_latex(note)}$)")
        lines.append("")
    lines.append(r"\end{document}")
    return "\n".join(lines) + "\n"


STEPTHROUGH_FORMATS = {".csv": stepthrough_csv, ".md": stepthrough_markdown, ".tex": stepthrough_latex}


def export_stepthrough(stepper: Stepper, path: PathLike) -> None:
    """Save the step-through as CSV, Markdown or LaTeX by the file's suffix (.csv, .md, .tex)."""
    suffix = Path(path).suffix.lower()
    if suffix not in STEPTHROUGH_FORMATS:
        shown = f'"{suffix}"' if suffix else "no suffix"
        raise ValueError(f"Cannot export the step-through as {shown}: choose a .csv, .md or .tex file name.")
    text = STEPTHROUGH_FORMATS[suffix](stepper)
    try:
        write_text(path, text)
    except OSError as error:
        raise _os_error(path, error) from error
