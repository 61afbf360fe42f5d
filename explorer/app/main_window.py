"""The main window: the graph in the centre, panels in docks, menus and the stage bar. Wiring only."""

from __future__ import annotations

import weakref

from PySide6.QtCore import QEvent, QObject, QSettings, QSize, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QCloseEvent,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPaintEvent,
    QResizeEvent,
    QShowEvent,
)
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QDockWidget,
    QFrame,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from explorer import __version__
from explorer.app import compact
from explorer.app import help as help_pages
from explorer.app.docks import PANELS
from explorer.app.export_menu import ExportActions
from explorer.app.file_controller import FileController
from explorer.app.practice_actions import PracticeActions
from explorer.app.presentation import Presentation
from explorer.app.recovery import Autosave, Recovery, ask_recovery, offer_recovery
from explorer.app.settings_values import read_bytes
from explorer.app.text_size import TextSize
from explorer.app.training_actions import TrainingActions
from explorer.app.undo_keys import UndoKeys
from explorer.document.document import Document
from explorer.document.training_run import TrainingController
from explorer.views.graph.banner import update_banner
from explorer.views.graph.view import NetworkGraphView
from explorer.views.panels.stage_bar import StageBar

APP_NAME = "MLP Explorer"


class MainWindow(QMainWindow):
    """One window showing one open document; File ▸ Open swaps the document and its views."""

    def __init__(self, document: Document, settings: QSettings | None = None) -> None:
        super().__init__()
        self.settings = settings if settings is not None else QSettings("MLP Explorer", "MLP Explorer")
        self.setObjectName("main_window")
        self.document = document  # its views come in set_document below, once the docks exist
        self.docks: dict[str, QDockWidget] = {}
        self._holders: dict[str, _Holder] = {}
        self._pending_catch_up: set[str] = set()
        self.stage_bar: StageBar | None = None
        self.files = FileController(self)
        self.text_size = TextSize(self, self.settings)
        self.presentation = Presentation(self)
        self.training_actions = TrainingActions(self)
        self._make_docks()
        self._make_menus()
        self.set_document(document)
        self._restore_layout()
        self.autosave = Autosave(self)  # unsaved changes go to a recovery file (app.recovery)
        # Shortcuts live on the window too, so they work with the menus and tool bar hidden.
        self.addActions(help_pages.window_actions(self))

    # --- building ----------------------------------------------------------------------
    def _make_docks(self) -> None:
        # The central widget and each dock keep one holder for their whole life; opening another
        # file swaps what is inside, so the window's layout and sizes stay as the user left them.
        self._central = _Holder()
        self.setCentralWidget(self._central)
        for spec in PANELS:
            dock = QDockWidget(spec.title, self)
            self._holders[spec.key] = _Holder()
            dock.setWidget(self._holders[spec.key])
            dock.setObjectName(f"dock_{spec.key}")
            dock.visibilityChanged.connect(self._dock_visibility_changed)
            self.addDockWidget(spec.area, dock)
            self.docks[spec.key] = dock
        self.splitDockWidget(self.docks["equation"], self.docks["loss"], Qt.Orientation.Horizontal)
        self._layout_restored = False

    # Slots are bound methods, not lambdas that capture self: PySide drops a bound method's
    # connection with its object, while a lambda keeps the window alive in a reference cycle that
    # the garbage collector later broke after Qt had deleted the window (a crash at exit).
    def _dock_visibility_changed(self, visible: bool) -> None:
        # A panel that skips work behind another tab catches up when its tab comes to the front
        # (its own paint event may not come: its children cover it).
        dock = self.sender()
        if visible and dock is not None:
            self._pending_catch_up.add(dock.objectName().removeprefix("dock_"))
            QTimer.singleShot(0, self._catch_up_pending)

    def _catch_up_pending(self) -> None:
        while self._pending_catch_up:
            self._catch_up(self._pending_catch_up.pop())

    def _catch_up(self, key: str) -> None:
        panel = getattr(self, "panels", {}).get(key)  # looked up now: a file opened meanwhile has new panels
        if panel is not None and hasattr(panel, "catch_up"):
            panel.catch_up()

    def _default_dock_layout(self) -> None:
        # This runs on first show: dock sizes only stick once the window has its real size, and
        # tab groups built before the window is shown leave stale tab bars painted over the graph.
        docks = self.docks
        for spec in PANELS:
            if spec.tab_with:
                self.tabifyDockWidget(docks[spec.tab_with], docks[spec.key])
        for key in ("structure", "inspector", "training", "loss"):
            docks[key].raise_()
        self.resizeDocks([docks["stages"], docks["inspector"]], [375, 400], Qt.Orientation.Horizontal)
        self.resizeDocks([docks["equation"], docks["loss"]], [700, 800], Qt.Orientation.Horizontal)
        self.resizeDocks([docks["stages"], docks["structure"]], [300, 400], Qt.Orientation.Vertical)
        self.resizeDocks([docks["inspector"], docks["training"]], [330, 370], Qt.Orientation.Vertical)
        self.resizeDocks([docks["equation"]], [330], Qt.Orientation.Vertical)
        if compact.is_compact(self):
            compact.compact_dock_layout(self)

    def _make_menus(self) -> None:
        bar = self.menuBar()
        file_menu = bar.addMenu("&File")
        self.files.populate_menu(file_menu)
        self.exports = ExportActions(self, self.files.export_menu)

        edit_menu = bar.addMenu("&Edit")
        self.undo_action = QAction("&Undo", self)
        self.undo_action.setShortcuts([QKeySequence(QKeySequence.StandardKey.Undo)])
        self.undo_action.triggered.connect(self._undo)
        self.redo_action = QAction("&Redo", self)
        self.redo_action.setShortcuts(redo_keys())
        self.redo_action.triggered.connect(self._redo)
        edit_menu.addAction(self.undo_action)
        edit_menu.addAction(self.redo_action)
        self._undo_keys = UndoKeys(self, self.undo_action.shortcuts() + self.redo_action.shortcuts())

        self.view_menu = bar.addMenu("&View")
        self.fit_action = QAction("&Fit to Window", self)
        self.fit_action.setShortcuts([QKeySequence("F")])
        self.fit_action.triggered.connect(self._fit_graph)
        self.view_menu.addAction(self.fit_action)
        self.view_menu.addAction(self.presentation.action)
        self.view_menu.addAction(self.presentation.blank_action)
        self.view_menu.addSeparator()
        self.view_menu.addAction(self.text_size.larger_action)
        self.view_menu.addAction(self.text_size.smaller_action)
        self.view_menu.addAction(self.text_size.normal_action)
        self.view_menu.addSeparator()
        self.reset_layout_action = QAction("&Reset Layout", self)
        self.reset_layout_action.triggered.connect(self.reset_layout)
        self.view_menu.addAction(self.reset_layout_action)
        self.view_menu.addSeparator()
        for dock in self.docks.values():
            self.view_menu.addAction(dock.toggleViewAction())

        self.step_menu = bar.addMenu("&Step")
        self.solve_input_action = QAction("Solve for the &Input…", self)
        self.solve_input_action.setStatusTip("Recover the input x from measured outputs y, weights fixed")
        self.solve_input_action.triggered.connect(self.open_inverse_dialog)
        self.inverse_dialog: QWidget | None = None
        self.practice_actions = PracticeActions(self)
        help_menu = bar.addMenu("&Help")
        started = QAction("&Getting Started", self)
        started.triggered.connect(self.show_getting_started)
        help_menu.addAction(started)
        keys = QAction("&Keyboard Shortcuts", self)
        keys.setShortcut(QKeySequence(QKeySequence.StandardKey.HelpContents))
        keys.triggered.connect(self.show_shortcuts)
        help_menu.addAction(keys)
        help_menu.addSeparator()
        about = QAction("&About MLP Explorer", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)
        about_qt = QAction("About &Qt", self)
        about_qt.triggered.connect(QApplication.aboutQt)
        help_menu.addAction(about_qt)

    def set_document(self, document: Document) -> None:
        """Show `document`: new views for it, old ones discarded, the dock layout kept."""
        old = self.document
        self.document = document
        document.setParent(self)
        old_controller = getattr(self, "training", None)
        if old_controller is not None:
            old_controller.pause()
        self.training = TrainingController(document, self)
        self.training.stopped.connect(self._training_stopped)
        self.training_actions.attach(self.training)
        with self.text_size.building():  # new panels are built at the usual size, then enlarged
            self.graph = NetworkGraphView(document, self)
            self.graph.status_message.connect(self.show_status)
            self._central.replace_content(self.graph)
            self.panels: dict[str, QWidget] = {}
            for spec in PANELS:
                if spec.lazy:
                    self._holders[spec.key].replace_content(_Unbuilt(self, spec.key))
                    continue
                widget = spec.build(document, self.training)
                self.panels[spec.key] = widget
                self._holders[spec.key].replace_content(_scrollable(widget))
            self._install_stage_bar(document)
        status = getattr(self.panels["training"], "status_message", None)
        if status is not None:
            status.connect(self.show_status)
        self.practice_actions.attach()
        document.file_changed.connect(self._update_title)
        document.undo_stack.canUndoChanged.connect(self.undo_action.setEnabled)
        document.undo_stack.canRedoChanged.connect(self.redo_action.setEnabled)
        document.undo_stack.undoTextChanged.connect(self._name_undo)
        document.undo_stack.redoTextChanged.connect(self._name_redo)
        self.undo_action.setEnabled(document.undo_stack.canUndo())
        self.redo_action.setEnabled(document.undo_stack.canRedo())
        self._name_undo(document.undo_stack.undoText())
        self._name_redo(document.undo_stack.redoText())
        self._update_title()
        if old is not document:
            old.deleteLater()
        if old_controller is not None:
            old_controller.deleteLater()

    def panel(self, key: str) -> QWidget:
        """Return the panel docked under `key`, building a lazily built one (a plot) now."""
        widget = self.panels.get(key)
        if widget is None:
            spec = next(spec for spec in PANELS if spec.key == key)
            with self.text_size.building():  # built at the usual size, then given the text size
                widget = spec.build(self.document, self.training)
                self.panels[key] = widget
                self._holders[key].replace_content(_scrollable(widget))
        return widget

    def _install_stage_bar(self, document: Document) -> None:
        if self.stage_bar is not None:
            self.removeToolBar(self.stage_bar)
            self.stage_bar.deleteLater()
        self.stage_bar = StageBar(document, self)
        self.stage_bar.setObjectName("stage_bar")
        self.stage_bar.status_message.connect(self._show_lasting_status)
        self.stage_bar.update_applied.connect(self._update_applied)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.stage_bar)
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
        self.step_menu.addSeparator()
        self.step_menu.addActions(self.training_actions.actions())
        self.step_menu.addSeparator()
        self.step_menu.addAction(self.solve_input_action)
        self.practice_actions.install(self.stage_bar, self.step_menu)
        self.addActions(self.stage_bar.actions())  # their keys work with the tool bar hidden too
        compact.fit_stage_bar(self.stage_bar, compact.is_compact(self))

    # --- state -------------------------------------------------------------------------
    def _update_title(self) -> None:
        document = self.document
        name = self.files.display_name(document)
        self.setWindowTitle(f"{name}[*] — {APP_NAME}")
        self.setWindowModified(document.is_modified)
        autosave = getattr(self, "autosave", None)
        if autosave is not None and not document.is_modified:
            autosave.remove()  # saved (or undone to the saved state): nothing to recover

    def _restore_layout(self) -> None:
        # A value of any other type, or bytes Qt cannot use, is ignored: the default layout is used.
        geometry = read_bytes(self.settings, "window/geometry")
        state = read_bytes(self.settings, "window/state")
        if geometry is None or not self.restoreGeometry(geometry):
            self.resize(_first_size(self))
        if state is not None:
            self._layout_restored = self.restoreState(state)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        if not self._layout_restored:
            self._layout_restored = True
            self._default_dock_layout()

    def save_layout(self) -> None:
        """Remember geometry and dock layout for the next run."""
        self.settings.setValue("window/geometry", self.saveGeometry())
        self.settings.setValue("window/state", self.saveState())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        self.training.pause()  # a run in progress becomes an undo step, so it can be saved
        if self.files.maybe_save():
            self.save_layout()
            self.autosave.remove()  # a normal close: nothing to recover next time
            event.accept()
        else:
            event.ignore()

    def offer_recovery(self) -> bool:
        """Offer the unsaved changes a crashed or killed window left behind; True if restored."""
        return offer_recovery(self)

    def recovery_question(self, recovery: Recovery) -> str:
        """Ask Restore / Discard / Later about a recovery file (tests replace this)."""
        return ask_recovery(self, recovery)

    def _name_undo(self, text: str) -> None:
        self.undo_action.setText(f"&Undo {text}" if text else "&Undo")

    def _name_redo(self, text: str) -> None:
        self.redo_action.setText(f"&Redo {text}" if text else "&Redo")

    def tool_bars(self) -> list[QToolBar]:
        """Return the window's tool bars (the stage bar among them)."""
        return self.findChildren(QToolBar)

    def reset_layout(self) -> None:
        """Put every panel back where it starts: View ▸ Reset layout."""
        if self.presentation.active:
            self.presentation.leave()
        for spec in PANELS:
            dock = self.docks[spec.key]
            dock.setFloating(False)
            self.removeDockWidget(dock)
        for spec in PANELS:
            dock = self.docks[spec.key]
            self.addDockWidget(spec.area, dock)
            dock.show()
        self.splitDockWidget(self.docks["equation"], self.docks["loss"], Qt.Orientation.Horizontal)
        for bar in self.tool_bars():
            bar.show()
        self._default_dock_layout()

    def show_shortcuts(self) -> QWidget:
        """Open Help ▸ Keyboard shortcuts: every action's keys, read from the actions themselves."""
        return help_pages.show_page(self, "Keyboard shortcuts", help_pages.shortcuts_html(self.actions()))

    def show_getting_started(self) -> QWidget:
        """Open Help ▸ Getting started: the notation and the three things to try first."""
        return help_pages.show_page(self, "Getting started", help_pages.getting_started_html())

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if event.key() == Qt.Key.Key_Escape and self.presentation.key_escape():
            return
        super().keyPressEvent(event)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self.presentation.window_resized()
        self.presentation.fit_docks()
        if self.stage_bar is not None:
            compact.fit_stage_bar(self.stage_bar, compact.is_compact(self))

    def _undo(self) -> None:
        self.document.undo()

    def _redo(self) -> None:
        self.document.redo()

    def _fit_graph(self) -> None:
        self.graph.fit_to_window()

    def _update_applied(self, before: float, after: float) -> None:
        message = update_banner(before, after)
        self.graph.set_banner(message)
        self.show_status(message, 0)

    def _show_lasting_status(self, message: str) -> None:
        self.show_status(message, 0)

    def _training_stopped(self, reason: str) -> None:
        if reason not in ("paused", "finished"):
            self.show_status(f"Training stopped: {reason}", 0)

    def show_status(self, message: str, timeout_ms: int = 6000) -> None:
        """Show a message in the status bar."""
        self.statusBar().showMessage(message, timeout_ms)

    def open_inverse_dialog(self) -> QWidget:
        """Open Step ▸ Solve for the input… on the current network (a fresh dialog each time)."""
        from explorer.views.panels.inverse import InverseDialog

        assert self.document is not None
        if self.inverse_dialog is not None:
            self.inverse_dialog.close()
            self.inverse_dialog.deleteLater()
        self.inverse_dialog = InverseDialog(self.document, self)
        self.inverse_dialog.show()
        return self.inverse_dialog

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


def redo_keys() -> list[QKeySequence]:
    """Return Redo's keys: Ctrl+Shift+Z and Ctrl+Y on every platform, each once (Qt's own Redo keys
    on Linux include Ctrl+Shift+Z, and a key bound twice is ambiguous: neither fires)."""
    keys = [QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")]
    for key in QKeySequence.keyBindings(QKeySequence.StandardKey.Redo):
        if key not in keys:
            keys.append(key)
    return keys


def _first_size(window: QWidget) -> QSize:
    """Return the size of a first window: 1500×950, or nine tenths of a smaller screen."""
    screen = window.screen() or QGuiApplication.primaryScreen()
    wanted = QSize(1500, 950)
    if screen is None:
        return wanted
    room = screen.availableGeometry().size() * 0.9
    return wanted.boundedTo(room)


class _Holder(QWidget):
    """The central widget's or a dock's one lasting child; opening another file swaps its content."""

    def __init__(self) -> None:
        super().__init__()
        self._box = QVBoxLayout(self)
        self._box.setContentsMargins(0, 0, 0, 0)

    def replace_content(self, content: QWidget) -> None:
        """Show `content` instead of what was shown (which is hidden and deleted)."""
        while self._box.count():
            item = self._box.takeAt(0)
            old = item.widget() if item is not None else None
            if old is not None:
                old.hide()
                old.deleteLater()
        self._box.addWidget(content)


class _Unbuilt(QWidget):
    """Holds a lazily built panel's place in its dock; its first paint has the window build the panel."""

    # Built after that paint, not before it: the window appears first, then pyqtgraph is imported.
    def __init__(self, window: MainWindow, key: str) -> None:
        super().__init__()
        self._window = weakref.ref(window)
        self._key = key
        self._asked = False

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if not self._asked:
            self._asked = True
            QTimer.singleShot(0, self, self._build)  # dropped if another file replaces this first

    def _build(self) -> None:
        window = self._window()
        if window is not None and self.isVisible():  # not replaced by another file's placeholder
            window.panel(self._key)
        else:
            self._asked = False


class _PanelScroll(QScrollArea):
    """Fits its panel to the dock, and scrolls only when the dock is below the panel's minimum."""

    # QScrollArea's own resizing asks a word-wrapping panel for its preferred height, so a panel
    # with a wrapped label would scroll in any dock shorter than its ideal size.
    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._fit()

    def setWidget(self, widget: QWidget) -> None:  # noqa: N802 - Qt's name
        super().setWidget(widget)
        widget.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # A panel whose content grows (a table appears at a later stage) asks for a new layout;
        # its minimum may now exceed the dock, and then it must scroll rather than overlap itself.
        if watched is self.widget() and event.type() == QEvent.Type.LayoutRequest:
            QTimer.singleShot(0, self, self._fit)  # with a context: dropped if a file open deletes self
        return super().eventFilter(watched, event)

    def _fit(self) -> None:
        widget = self.widget()
        if widget is None:
            return
        minimum = widget.minimumSizeHint().expandedTo(widget.minimumSize())
        viewport = self.viewport().size()
        widget.resize(max(viewport.width(), minimum.width()), max(viewport.height(), minimum.height()))


def _scrollable(widget: QWidget) -> QWidget:
    # A panel taller than its dock scrolls instead of forcing the whole window to grow.
    if isinstance(widget, QAbstractScrollArea):
        return widget
    area = _PanelScroll()
    area.setWidget(widget)
    area.setFrameShape(QFrame.Shape.NoFrame)
    return area
