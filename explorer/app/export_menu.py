"""File ▸ Export: each picture (graph, plots) as PNG or SVG, and the step-through as CSV/Markdown/LaTeX."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QMenu, QWidget

from explorer.app import export
from explorer.app.figure import FigureSize
from explorer.app.figure_dialog import ask_figure_size
from explorer.files.model import one_line

if TYPE_CHECKING:
    from explorer.app.main_window import MainWindow

PICTURE_FILTER = "PNG image (*.png);;SVG drawing (*.svg)"
STEPTHROUGH_FILTER = "CSV (*.csv);;Markdown (*.md);;LaTeX (*.tex)"

# (menu text, panel key or "graph", default file stem)
PICTURES = (
    ("&Graph…", "graph", "graph"),
    ("&Loss Curve…", "loss", "loss"),
    ("&Activation and Derivative…", "activation", "activation"),
    ("Gradient &Flow…", "gradients", "gradient-flow"),
    ("F&it…", "fit", "fit"),
    ("&Equation Panel…", "equation", "equation"),
)


class ExportActions:
    """The Export submenu of one main window; ask_path is replaced in tests."""

    def __init__(self, window: MainWindow, menu: QMenu) -> None:
        self.window = window
        self._figure = FigureSize()
        for text, key, stem in PICTURES:
            action = QAction(text, window)
            action.triggered.connect(lambda _checked=False, k=key, s=stem: self.export_picture(k, s))
            menu.addAction(action)
        menu.addSeparator()
        action = QAction("&Step-through (CSV, Markdown, LaTeX)…", window)
        action.triggered.connect(lambda _checked=False: self.export_stepthrough())
        menu.addAction(action)
        action = QAction("&Worksheet with Answer Key (PDF)…", window)
        action.triggered.connect(lambda _checked=False: self.export_worksheet())
        menu.addAction(action)

    def ask_path(self, title: str, suggestion: str, filters: str) -> str | None:
        """Ask where to write; None if cancelled."""
        path, chosen = QFileDialog.getSaveFileName(self.window, title, suggestion, filters)
        if path and not Path(path).suffix and chosen:
            path += chosen[chosen.index("*") + 1 : chosen.index(")")]
        return path or None

    def _suggestion(self, stem: str, suffix: str) -> str:
        folder = self.window.files.folder()
        return str(Path(folder) / f"{stem}{suffix}")

    def widget_for(self, key: str) -> QWidget:
        """Return the widget shown for a picture key, built and brought up to date if it never showed."""
        if key == "graph":
            return self.window.graph
        widget = self.window.panel(key)
        catch_up = getattr(widget, "catch_up", None)
        if catch_up is not None:
            catch_up()  # a panel behind another tab skipped its redraws
        return widget

    def ask_figure(self) -> FigureSize | None:
        """Ask for a plot figure's size and resolution; None if cancelled."""
        return ask_figure_size(self.window, self._figure)

    def export_picture(self, key: str, stem: str) -> bool:
        """Ask for a .png or .svg path and write the picture there (a plot: as a figure of the size and
        resolution asked for, its plots only, from the current data)."""
        figure = None
        if key not in ("graph", "equation"):
            figure = self.ask_figure()
            if figure is None:
                return False
            self._figure = figure
        path = self.ask_path("Export picture", self._suggestion(stem, ".png"), PICTURE_FILTER)
        if not path:
            return False
        widget = self.widget_for(key)
        try:
            if figure is None:
                export.export_widget(widget, path, title=stem)
            else:
                export.export_figure(widget, path, figure, title=stem)
        except (OSError, ValueError) as error:
            self.window.files.show_error(str(error))
            return False
        except Exception as error:  # noqa: BLE001 - any failure of a write is reported, never raised
            self.window.files.show_error(f"{path}: could not export: {one_line(error)}")
            return False
        self.window.show_status(f"Exported {path}")
        return True

    def export_stepthrough(self) -> bool:
        """Ask for a .csv, .md or .tex path and write the current sample's step-through there."""
        suggestion = self._suggestion("stepthrough", ".md")
        path = self.ask_path("Export step-through", suggestion, STEPTHROUGH_FILTER)
        if not path:
            return False
        try:
            export.export_stepthrough(self.window.document.stepper, path)
        except (OSError, ValueError) as error:
            self.window.files.show_error(str(error))
            return False
        except Exception as error:  # noqa: BLE001 - any failure of a write is reported, never raised
            self.window.files.show_error(f"{path}: could not export: {one_line(error)}")
            return False
        self.window.show_status(f"Exported {path}")
        return True

    def export_worksheet(self) -> bool:
        """Ask for a .pdf path and print the current network as a worksheet with its answer key."""
        from explorer.app.worksheet_pdf import write_worksheet
        from explorer.text.worksheet import build_worksheet

        document = self.window.document
        path = self.ask_path("Export worksheet", self._suggestion("worksheet", ".pdf"), "PDF (*.pdf)")
        if not path:
            return False
        title = f"Exercise: {self.window.files.display_name(document)}"
        try:
            write_worksheet(path, [build_worksheet(document.state, document.learning_rate, title)])
        except (OSError, ValueError) as error:
            self.window.files.show_error(f"{path}: cannot write the worksheet: {error}")
            return False
        self.window.show_status(f"Exported {path}")
        return True
