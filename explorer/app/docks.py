"""Which panels the main window docks, where, and how each is built for a document."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

from explorer.document.document import Document
from explorer.document.training_run import TrainingController
from explorer.views.panels.dataset import DatasetPanel
from explorer.views.panels.equation import EquationPanel
from explorer.views.panels.inspector import InspectorPanel
from explorer.views.panels.matrices import MatrixView
from explorer.views.panels.practice import PracticePanel
from explorer.views.panels.stage_list import StageList
from explorer.views.panels.structure import StructurePanel
from explorer.views.panels.training import TrainingPanel
from explorer.views.panels.undo_history import UndoHistory


# The plot panels need pyqtgraph (half a second to import) and are built only when first shown or
# exported (MainWindow.panel), so these builders import them on the first call.
def _loss(document: Document, controller: TrainingController) -> QWidget:
    from explorer.views.plots.loss_plot import LossPlot

    return LossPlot(document, controller)


def _activation(document: Document, controller: TrainingController) -> QWidget:
    from explorer.views.plots.activation import ActivationPlot

    return ActivationPlot(document)


def _gradients(document: Document, controller: TrainingController) -> QWidget:
    from explorer.views.plots.gradient_flow import GradientFlowPlot

    return GradientFlowPlot(document, controller)


def _fit(document: Document, controller: TrainingController) -> QWidget:
    from explorer.views.plots.fit_plot import FitPlot

    return FitPlot(document, controller)


@dataclass(frozen=True)
class PanelSpec:
    """One dock: its key, title, default area, and how to build its widget."""

    key: str
    title: str
    area: Qt.DockWidgetArea
    build: Callable[[Document, TrainingController], QWidget]
    tab_with: str | None = None  # stack as a tab behind this dock by default
    lazy: bool = False  # built when its dock is first painted or its widget is first asked for


PANELS: tuple[PanelSpec, ...] = (
    PanelSpec("stages", "Stages", Qt.DockWidgetArea.LeftDockWidgetArea, lambda d, c: StageList(d)),
    PanelSpec("structure", "Structure", Qt.DockWidgetArea.LeftDockWidgetArea, lambda d, c: StructurePanel(d)),
    PanelSpec(
        "dataset", "Data set", Qt.DockWidgetArea.LeftDockWidgetArea, lambda d, c: DatasetPanel(d), "structure"
    ),
    PanelSpec(
        "history",
        "Undo history",
        Qt.DockWidgetArea.LeftDockWidgetArea,
        lambda d, c: UndoHistory(d),
        "structure",
    ),
    PanelSpec(
        "inspector", "Inspector", Qt.DockWidgetArea.RightDockWidgetArea, lambda d, c: InspectorPanel(d)
    ),
    PanelSpec(
        "practice",
        "Practice",
        Qt.DockWidgetArea.RightDockWidgetArea,
        lambda d, c: PracticePanel(d),
        "inspector",
    ),
    PanelSpec("training", "Training", Qt.DockWidgetArea.RightDockWidgetArea, TrainingPanel),
    PanelSpec(
        "matrix", "Matrices", Qt.DockWidgetArea.RightDockWidgetArea, lambda d, c: MatrixView(d), "training"
    ),
    PanelSpec("equation", "Equation", Qt.DockWidgetArea.BottomDockWidgetArea, lambda d, c: EquationPanel(d)),
    PanelSpec("loss", "Loss", Qt.DockWidgetArea.BottomDockWidgetArea, _loss, lazy=True),
    PanelSpec("activation", "g and g'", Qt.DockWidgetArea.BottomDockWidgetArea, _activation, "loss", True),
    PanelSpec("gradients", "Gradient flow", Qt.DockWidgetArea.BottomDockWidgetArea, _gradients, "loss", True),
    PanelSpec("fit", "Fit", Qt.DockWidgetArea.BottomDockWidgetArea, _fit, "loss", True),
)
