"""The main window: the graph in the centre, panels in docks, menus and the stage bar. Wiring only."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDockWidget, QMainWindow, QMessageBox, QWidget

from . import __version__
from .document import Document
from .file_controller import FileController
from .views.equation import EquationPanel
from .views.graph import NetworkGraphView
from .views.inspector import InspectorPanel
from .views.matrix_view import MatrixView
from .views.stage_bar import StageBar
from .views.stage_list import StageList
from .views.structure_panel import StructurePanel
from .views.undo_history import UndoHistory

APP_NAME = "MLP Explorer"


class MainWindow(QMainWindow):
    """One window showing one open document; File ▸ Open swaps the document and its views."""

    def __init__(self, document: Document, settings: QSettings | None = None) -> None:
        super().__init__()
        self.settings = settings if settings is not None else QSettings("MLP Explorer", "MLP Explorer")
        self.setObjectName("main_window")
        self.document: Document | None = None
        self.docks: dict[str, QDockWidget] = {}
        self.stage_bar: StageBar | None = None
        self.files = FileController(self)
        self._make_docks()
        self._make_menus()
        self.set_document(document)
        self._restore_layout()

    # --- building ----------------------------------------------------------------------
    def _make_docks(self) -> None:
        placement = [
            ("stages", "Stages", Qt.LeftDockWidgetArea),
            ("structure", "Structure", Qt.LeftDockWidgetArea),
            ("inspector", "Inspector", Qt.RightDockWidgetArea),
            ("matrix", "Matrices", Qt.RightDockWidgetArea),
            ("equation", "Equation", Qt.BottomDockWidgetArea),
            ("history", "Undo history", Qt.LeftDockWidgetArea),
        ]
        for key, title, area in placement:
            dock = QDockWidget(title, self)
            dock.setObjectName(f"dock_{key}")
            self.addDockWidget(area, dock)
            self.docks[key] = dock
        self.tabifyDockWidget(self.docks["structure"], self.docks["history"])
        self.docks["structure"].raise_()

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.files.populate_menu(file_menu)

        edit_menu = bar.addMenu("&Edit")
        self.undo_action = QAction("&Undo", self)
        self.undo_action.setShortcuts([QKeySequence.Undo])
        self.undo_action.triggered.connect(lambda: self.document.undo_stack.undo())
        self.redo_action = QAction("&Redo", self)
        self.redo_action.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence.Redo])
        self.redo_action.triggered.connect(lambda: self.document.undo_stack.redo())
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)

        self.view_menu = bar.addMenu("&View")
        self.fit_action = QAction("&Fit to Window", self)
        self.fit_action.setShortcuts([QKeySequence("Ctrl+0"), QKeySequence("F")])
        self.fit_action.triggered.connect(lambda: self.graph.fit_to_window())
        self.view_menu.addAction(self.fit_action)
        self.view_menu.addSeparator()
        for dock in self.docks.values():
            self.view_menu.addAction(dock.toggleViewAction())

        self.step_menu = bar.addMenu("&Step")
        help_menu = bar.addMenu("&Help")
        about = QAction("&About MLP Explorer", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def set_document(self, document: Document) -> None:
        """Show `document`: new views for it, old ones discarded."""
        old = self.document
        self.document = document
        document.setParent(self)
        self.graph = NetworkGraphView(document, self)
        self.setCentralWidget(self.graph)
        self.stage_list = StageList(document)
        self.structure = StructurePanel(document)
        self.inspector = InspectorPanel(document)
        self.matrix = MatrixView(document)
        self.equation = EquationPanel(document)
        self.history = UndoHistory(document)
        widgets = {
            "stages": self.stage_list,
            "structure": self.structure,
            "inspector": self.inspector,
            "matrix": self.matrix,
            "equation": self.equation,
            "history": self.history,
        }
        for key, widget in widgets.items():
            previous = self.docks[key].widget()
            self.docks[key].setWidget(widget)
            if previous is not None:
                previous.deleteLater()
        self._install_stage_bar(document)
        document.file_changed.connect(self._update_title)
        document.undo_stack.canUndoChanged.connect(self.undo_action.setEnabled)
        document.undo_stack.canRedoChanged.connect(self.redo_action.setEnabled)
        self.undo_action.setEnabled(document.undo_stack.canUndo())
        self.redo_action.setEnabled(document.undo_stack.canRedo())
        self._update_title()
        if old is not None:
            old.deleteLater()

    def _install_stage_bar(self, document: Document) -> None:
        if self.stage_bar is not None:
            self.removeToolBar(self.stage_bar)
            self.stage_bar.deleteLater()
        self.stage_bar = StageBar(document, self)
        self.stage_bar.setObjectName("stage_bar")
        self.addToolBar(Qt.TopToolBarArea, self.stage_bar)
        self.step_menu.clear()
        for action in (
            self.stage_bar.reset_action,
            self.stage_bar.back_action,
            self.stage_bar.step_action,
            self.stage_bar.end_action,
        ):
            self.step_menu.addAction(action)
        self.step_menu.addSeparator()
        self.step_menu.addAction(self.stage_bar.update_action)

    # --- state -------------------------------------------------------------------------
    def _update_title(self) -> None:
        document = self.document
        name = self.files.display_name(document)
        self.setWindowTitle(f"{name}[*] — {APP_NAME}")
        self.setWindowModified(document.is_modified)

    def _restore_layout(self) -> None:
        geometry = self.settings.value("window/geometry", QByteArray(), type=QByteArray)
        state = self.settings.value("window/state", QByteArray(), type=QByteArray)
        if not geometry.isEmpty():
            self.restoreGeometry(geometry)
        else:
            self.resize(1500, 950)
        if not state.isEmpty():
            self.restoreState(state)

    def save_layout(self) -> None:
        """Remember geometry and dock layout for the next run."""
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())

    def closeEvent(self, event) -> None:  # noqa: N802 - Qt's name
        if self.files.maybe_save():
            self.save_layout()
            event.accept()
        else:
            event.ignore()

    def show_status(self, message: str, timeout_ms: int = 6000) -> None:
        """Show a message in the status bar."""
        self.statusBar().showMessage(message, timeout_ms)

    def _about(self) -> None:
        QMessageBox.about(
            self,
            f"About {APP_NAME}",
            f"<b>{APP_NAME}</b> {__version__}<br>Step through backpropagation in a multi-layer "
            "perceptron, with every z, a, e and δ on the graph.",
        )

    def focus_graph(self) -> QWidget:
        """Give the graph the keyboard focus and return it."""
        self.graph.setFocus()
        return self.graph
