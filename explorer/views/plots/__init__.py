"""The pyqtgraph panels shown beside the graph: loss, activation, gradient flow and fit.

Each is a QWidget built from the document (and the training run where training matters):
LossPlot(document, controller), ActivationPlot(document), GradientFlowPlot(document, controller),
FitPlot(document, controller). Colours follow the widget palette (style.py).
"""
