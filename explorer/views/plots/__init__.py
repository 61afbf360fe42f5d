"""The pyqtgraph panels shown beside the graph: loss, activation, gradient flow and fit.

Each is a QWidget built from the document (and the training controller where training matters):
LossPlot(document, controller), ActivationPlot(document), GradientFlowPlot(document, controller),
FitPlot(document, controller). Colours follow the widget palette (style.py).
"""

from explorer.views.plots.activation_plot import ActivationPlot
from explorer.views.plots.fit_plot import FitPlot
from explorer.views.plots.gradient_flow import GradientFlowPlot
from explorer.views.plots.loss_plot import LossPlot

__all__ = ["ActivationPlot", "FitPlot", "GradientFlowPlot", "LossPlot"]
