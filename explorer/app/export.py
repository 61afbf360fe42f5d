"""Export what the window shows: any plot or the graph as PNG or SVG, the step-through as CSV/Markdown/LaTeX.

This module chooses the format by the file's suffix and writes the file so that a failure keeps the
old one; app.pictures makes the PNG and SVG data and files.step_through the step-through texts.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtWidgets import QWidget

from explorer.app.figure import FigureSize, figure_bytes
from explorer.app.pictures import png_bytes, svg_bytes
from explorer.engine.stepper import Stepper
from explorer.files.atomic import write_atomic
from explorer.files.step_through import (
    stepthrough_csv,
    stepthrough_latex,
    stepthrough_markdown,
)

PathLike = str | os.PathLike
IMAGE_SUFFIXES = (".png", ".svg")


# --- files -------------------------------------------------------------------------------
def write_bytes(path: PathLike, data: bytes) -> None:
    """Write `data` to `path` with files.atomic: all old or all new, links and the file's mode kept."""
    write_atomic(path, data)


def write_text(path: PathLike, text: str) -> None:
    """Write `text` to `path` as UTF-8 with files.atomic."""
    write_bytes(path, text.encode("utf-8"))


def _os_error(path: PathLike, error: OSError) -> OSError:
    reason = error.strerror or str(error) or type(error).__name__
    return OSError(f"Could not write {os.fspath(path)}: {reason}".replace("\n", " "))


# --- pictures ------------------------------------------------------------------------------
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


def export_figure(panel: QWidget, path: PathLike, figure: FigureSize, title: str = "") -> None:
    """Save a plot panel's plots as a PNG or SVG figure of the given size (see app.figure)."""
    suffix = Path(path).suffix.lower()
    if suffix not in IMAGE_SUFFIXES:
        shown = f'"{suffix}"' if suffix else "no suffix"
        raise ValueError(f"Cannot export a picture as {shown}: choose a .png or .svg file name.")
    data = figure_bytes(panel, suffix, figure, title)
    try:
        write_bytes(path, data)
    except OSError as error:
        raise _os_error(path, error) from error


# --- the step-through as text ------------------------------------------------------------
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
