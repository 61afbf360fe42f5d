"""The plot panels as a user sees them, checked against arithmetic done here by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtTest import QTest

from explorer.document import structure_edits as structure
from explorer.document.document import Document
from explorer.document.selection import NOTHING, Selection
from explorer.document.training_run import TrainingController
from explorer.engine.network import Layer, Network
from explorer.files import examples, model, reader
from explorer.views.plots.activation import ActivationPlot
from explorer.views.plots.fit_plot import FitPlot
from explorer.views.plots.gradient_flow import COMPARE, EPOCHS, SAMPLE, GradientFlowPlot
from explorer.views.plots.loss_plot import LossPlot

EXAMPLES = examples.default_example_path().parent


def sigmoid(v: float) -> float:
    return 1.0 / (1.0 + math.exp(-v))


def load(name: str) -> Document:
    return Document(reader.load(EXAMPLES / f"{name}.mlp.json"))


def xor_document(learning_rate: float = 2.0, output: str = "sigmoid") -> Document:
    rng = np.random.default_rng(3)
    network = Network(
        [
            Layer(rng.uniform(-1, 1, (3, 2)), np.zeros(3), "tanh"),
            Layer(rng.uniform(-1, 1, (1, 3)), np.zeros(1), output),
        ]
    )
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = np.array([[0.0], [1.0], [1.0], [0.0]])
    training = model.TrainingConfig(learning_rate=learning_rate, epochs=300)
    return Document(model.NetworkFile(network, None, None, X, Y, training))


def show(qtbot, widget, width: int = 500, height: int = 420):
    qtbot.addWidget(widget)
    widget.resize(width, height)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


# --- loss ------------------------------------------------------------------------------
def test_loss_curve_has_every_epoch_of_the_history_and_the_log_box_switches_the_axis(qtbot):
    doc = xor_document()
    controller = TrainingController(doc)
    panel = show(qtbot, LossPlot(doc, controller))
    assert panel.readout.text().startswith("No epochs yet")
    controller.train_epochs(50)
    x, y = panel.curve_data()
    assert np.array_equal(x, np.arange(1, 51))
    assert np.array_equal(y, controller.history.loss)
    # The first epoch's J is taken at the starting weights: ½(ŷ − y)² by hand, averaged.
    start = doc.undo_stack.command(0)
    assert start is not None
    doc.undo_stack.undo()
    W1, b1 = doc.network.layer(1).weights, doc.network.layer(1).bias
    W2, b2 = doc.network.layer(2).weights, doc.network.layer(2).bias
    losses = []
    for row, target in zip(doc.state.dataset_x, doc.state.dataset_y):
        hidden = [math.tanh(sum(W1[i, j] * row[j] for j in range(2)) + b1[i]) for i in range(3)]
        y_hat = sigmoid(sum(W2[0, i] * hidden[i] for i in range(3)) + b2[0])
        losses.append(0.5 * (y_hat - target[0]) ** 2)
    assert y[0] == pytest.approx(sum(losses) / 4, rel=1e-12)
    assert "last epoch 50 · J = " in panel.readout.text()

    assert not panel.is_log_scale()
    qtbot.mouseClick(panel.log_box, Qt.LeftButton)
    assert panel.is_log_scale()
    qtbot.mouseClick(panel.log_box, Qt.LeftButton)
    assert not panel.is_log_scale()


def test_the_readout_follows_the_mouse(qtbot):
    doc = xor_document()
    controller = TrainingController(doc)
    panel = show(qtbot, LossPlot(doc, controller))
    controller.train_epochs(40)
    qtbot.wait(50)
    view = panel.plot.getPlotItem().vb
    scene_point = view.mapViewToScene(QPointF(25.2, float(controller.history.loss[24])))
    QTest.mouseMove(panel.plot.viewport(), panel.plot.mapFromScene(scene_point))
    qtbot.waitUntil(lambda: panel.readout.text().startswith("epoch 25 "), timeout=2000)
    value = float(panel.readout.text().split("J = ")[1])
    assert value == pytest.approx(controller.history.loss[24], rel=5e-4)  # 4 significant digits
    assert panel.crosshair.isVisible() and panel.crosshair.value() == 25


def test_divergence_is_explained_in_the_panel_and_cleared_by_the_next_run(qtbot):
    doc = xor_document(learning_rate=50.0, output="linear")
    controller = TrainingController(doc)
    panel = show(qtbot, LossPlot(doc, controller))
    with qtbot.waitSignal(controller.stopped, timeout=20000):
        controller.play(10**6)
    assert panel.warning.isVisible()
    assert "Training stopped" in panel.warning.text() and "smaller" in panel.warning.text()
    assert panel.is_log_scale()  # J climbed by many orders of magnitude: only a log axis shows it
    controller.started.emit()
    assert not panel.warning.isVisible()


def test_validation_loss_gets_its_own_curve(qtbot):
    doc = load("sine-1-8-1")
    training = model.TrainingConfig(learning_rate=0.05, epochs=20, validation_fraction=0.25)
    doc._set_state(doc.replaced(training=training))
    controller = TrainingController(doc)
    panel = show(qtbot, LossPlot(doc, controller))
    controller.train_epochs(20)
    x, y = panel.validation_curve.getOriginalDataset()
    assert np.array_equal(y, controller.history.validation_loss) and len(x) == 20
    assert "validation J" in panel.readout.text()


# --- activation ------------------------------------------------------------------------
def lecture_z() -> dict[int, list[float]]:
    # z^(1) = W^(1) x + b^(1) and z^(2) = W^(2) σ(z^(1)) (no bias), the lecture's numbers.
    x = [0.05, 0.10]
    z1 = [0.15 * x[0] + 0.20 * x[1] + 0.35, 0.25 * x[0] + 0.30 * x[1] + 0.35]
    a1 = [sigmoid(v) for v in z1]
    z2 = [0.40 * a1[0] + 0.45 * a1[1], 0.50 * a1[0] + 0.55 * a1[1]]
    return {1: z1, 2: z2}


@pytest.mark.parametrize("selection", [Selection.neuron(1, 1), Selection.edge(2, 0, 1)])
def test_markers_sit_at_z_and_at_sigmoid_slope_by_hand(qtbot, selection):
    doc = load("lecture-2-2-2")
    panel = show(qtbot, ActivationPlot(doc))
    doc.run_to_end()
    doc.select(selection)
    k = selection.layer
    assert panel.layer == k and panel.layer_box.currentIndex() == k - 1
    expected = [(z, sigmoid(z), sigmoid(z) * (1 - sigmoid(z))) for z in lecture_z()[k]]
    assert panel.markers() == [pytest.approx(m, rel=1e-12) for m in expected]
    # What is drawn, not only what is reported: the dots on both plots.
    drawn_g = sorted(zip(panel.g_markers.data["x"], panel.g_markers.data["y"]))
    drawn_prime = sorted(zip(panel.prime_markers.data["x"], panel.prime_markers.data["y"]))
    assert drawn_g == [pytest.approx((z, g)) for z, g, _ in sorted(expected)]
    assert drawn_prime == [pytest.approx((z, p)) for z, _, p in sorted(expected)]
    assert any(abs(line.value() - 0.25) < 1e-12 for line in panel._references)


def test_the_layer_follows_selection_and_stage_and_the_combo(qtbot):
    doc = load("lecture-2-2-2")
    panel = show(qtbot, ActivationPlot(doc))
    assert panel.layer == 1 and panel.markers() == []  # z^(1) not computed at the input stage
    assert "Step to layer 1" in panel.note.text()
    doc.step()
    assert len(panel.markers()) == 2
    doc.select(Selection.neuron(0, 1))  # an input neuron shows layer 1
    assert panel.layer == 1
    doc.select(NOTHING)
    doc.set_stage(next(i for i, s in enumerate(doc.stages) if s.kind == "linear" and s.layer == 2))
    assert panel.layer == 2
    panel.layer_box.setCurrentIndex(0)
    panel.layer_box.activated.emit(0)
    assert panel.layer == 1


def test_step_has_zero_derivative_everywhere_and_a_drawn_jump(qtbot):
    doc = load("step-activation")
    panel = show(qtbot, ActivationPlot(doc))
    doc.run_to_end()
    doc.select(Selection.neuron(1, 0))
    _, prime = panel.prime_curve.getData()
    assert len(prime) > 100 and np.all(prime[np.isfinite(prime)] == 0)
    assert all(m[2] == 0 for m in panel.markers())
    W, b = doc.network.layer(1).weights, doc.network.layer(1).bias
    x = doc.state.sample_x
    for (z, g, _), row, bias in zip(panel.markers(), W, b):
        assert z == pytest.approx(row[0] * x[0] + row[1] * x[1] + bias)
        assert g == (1.0 if z > 0 else 0.0)
    # The jump is a vertical riser at 0, not a steep slope: no curve point lies strictly between 0 and 1.
    zs, g_values = panel.g_curve.getData()
    finite = np.isfinite(g_values)
    assert not np.any((g_values[finite] > 0) & (g_values[finite] < 1))
    assert list(panel.g_jump.riser.getData()[0]) == [0.0, 0.0]
    assert list(panel.g_jump.riser.getData()[1]) == [0.0, 1.0]
    assert list(panel.g_jump.closed.data["y"]) == [0.0] and list(panel.g_jump.open.data["y"]) == [1.0]
    assert "no gradient passes back" in panel.note.text()


def test_softmax_shows_the_jacobian_diagonal_by_hand(qtbot):
    doc = load("softmax-blobs-2-4-3")
    panel = show(qtbot, ActivationPlot(doc))
    doc.run_to_end()
    doc.select(Selection.neuron(2, 0))
    z = [float(v) for v in doc.trace.zs[2]]
    total = sum(math.exp(v) for v in z)
    for (mz, a, slope), zi in zip(panel.markers(), z):
        share = math.exp(zi) / total
        assert mz == zi and a == pytest.approx(share) and slope == pytest.approx(share * (1 - share))
    assert "Jacobian" in panel.note.text()


# --- gradient flow ---------------------------------------------------------------------
def chain_deltas(network: Network, x: float, y: float) -> list[float]:
    """Return |δ^(k)| for k = 1..L of a one-neuron-per-layer chain, by hand."""
    zs, a = [], x
    for layer in network.layers:
        z = layer.weights[0, 0] * a + (0.0 if layer.bias is None else layer.bias[0])
        zs.append(z)
        a = {"sigmoid": sigmoid, "relu": lambda v: max(v, 0.0), "linear": lambda v: v}[layer.activation](z)
    slope = {
        "sigmoid": lambda v: sigmoid(v) * (1 - sigmoid(v)),
        "relu": lambda v: 1.0 if v > 0 else 0.0,
        "linear": lambda v: 1.0,
    }
    L = network.num_layers
    deltas = [0.0] * L
    deltas[-1] = slope[network.layers[-1].activation](zs[-1]) * (a - y)
    for k in range(L - 2, -1, -1):
        deltas[k] = (
            slope[network.layers[k].activation](zs[k]) * network.layers[k + 1].weights[0, 0] * deltas[k + 1]
        )
    return [abs(d) for d in deltas]


def test_sigmoid_chain_gradient_fades_towards_the_input_but_relu_does_not(qtbot):
    sizes = {}
    for name in ("deep-sigmoid-chain", "deep-relu-chain"):
        doc = load(name)
        panel = show(qtbot, GradientFlowPlot(doc, TrainingController(doc)))
        assert np.all(np.isnan(panel.layer_sizes()[0]))  # nothing revealed at the input stage
        doc.run_to_end()
        delta, grad = panel.layer_sizes()
        expected = chain_deltas(doc.network, float(doc.state.sample_x[0]), float(doc.state.sample_y[0]))
        assert delta == pytest.approx(expected, rel=1e-9)
        sizes[name] = delta
        # ∂J/∂W^(1) = δ^(1) x: zero when the sample's x is 0 (the ReLU chain's first row).
        assert grad[0] == pytest.approx(expected[0] * abs(float(doc.state.sample_x[0])), rel=1e-9, abs=1e-300)
        assert np.all(grad[1:] > 0)
    sigmoid_delta, relu_delta = sizes["deep-sigmoid-chain"], sizes["deep-relu-chain"]
    assert len(sigmoid_delta) == 12
    assert sigmoid_delta[0] < 1e-4 * sigmoid_delta[-1]
    assert relu_delta[0] > 1e-2 * relu_delta[-1]


def test_backprop_fills_the_sample_view_from_the_output_back(qtbot):
    doc = load("lecture-2-2-2")
    panel = show(qtbot, GradientFlowPlot(doc, TrainingController(doc)))
    first_delta = next(i for i, s in enumerate(doc.stages) if s.kind == "delta")
    doc.set_stage(first_delta)
    delta, grad = panel.layer_sizes()
    assert np.isnan(delta[0]) and delta[1] > 0 and np.all(np.isnan(grad))
    doc.run_to_end()
    delta, grad = panel.layer_sizes()
    d2 = np.asarray(doc.trace.deltas[2])
    assert delta[1] == pytest.approx(math.sqrt((d2[0] ** 2 + d2[1] ** 2) / 2))
    assert np.all(grad > 0)


def test_training_switches_to_epochs_with_one_curve_per_layer(qtbot):
    doc = xor_document()
    controller = TrainingController(doc)
    panel = show(qtbot, GradientFlowPlot(doc, controller))
    assert panel.mode() == SAMPLE
    with qtbot.waitSignal(controller.stopped, timeout=10000):
        controller.play(30)
    assert panel.mode() == EPOCHS
    assert len(panel._epoch_curves) == 2

    def shown(k: int) -> np.ndarray:
        return panel._epoch_curves[k].getOriginalDataset()[1]

    # Redraws are throttled while training; the last one lands shortly after the run.
    history = controller.history
    qtbot.waitUntil(lambda: shown(1) is not None and len(shown(1)) == 30, timeout=2000)
    for k in range(2):
        assert np.array_equal(shown(k), history.delta_norms[:, k])
    panel.quantity.setCurrentIndex(1)
    assert np.array_equal(shown(0), history.grad_norms[:, 0])


def test_compare_button_overlays_sigmoid_tanh_and_relu_without_blocking(qtbot):
    doc = load("deep-sigmoid-chain")
    panel = show(qtbot, GradientFlowPlot(doc, TrainingController(doc)), 600, 560)
    panel.set_mode(COMPARE)
    compare = panel.compare
    compare.epochs.setValue(30)
    with qtbot.waitSignal(compare.finished, timeout=20000):
        qtbot.mouseClick(compare.button, Qt.LeftButton)
        assert compare.is_running and compare.button.text() == "Stop"
    sizes = compare.sizes()
    assert set(sizes) == {"sigmoid", "tanh", "relu"}
    assert sizes["sigmoid"][0][0] < 1e-4 * sizes["relu"][0][0]
    first, last, loss = compare._curves["relu"]
    assert np.array_equal(first.getOriginalDataset()[1], compare.comparison.histories["relu"].grad_norms[0])
    assert len(loss.getData()[0]) == 30
    assert "ReLU" in compare.legend.text() and "sigmoid" in compare.note.text()


def test_compare_explains_a_network_it_cannot_compare(qtbot):
    doc = Document(model.NetworkFile(Network([Layer(np.ones((1, 2)), None, "sigmoid")])))
    panel = show(qtbot, GradientFlowPlot(doc, TrainingController(doc)))
    panel.set_mode(COMPARE)
    qtbot.mouseClick(panel.compare.button, Qt.LeftButton)
    assert not panel.compare.is_running
    assert "hidden layer" in panel.compare.note.text()


# --- fit -------------------------------------------------------------------------------
def test_fit_curve_is_the_prediction_by_hand_and_follows_training(qtbot):
    doc = load("sine-1-8-1")
    controller = TrainingController(doc)
    panel = show(qtbot, FitPlot(doc, controller))
    x, y = panel.prediction_curve()
    data = doc.state.dataset_x[:, 0]
    span = data.max() - data.min()
    assert x[0] == pytest.approx(data.min() - 0.1 * span) and x[-1] == pytest.approx(data.max() + 0.1 * span)
    W1, b1 = doc.network.layer(1).weights[:, 0], doc.network.layer(1).bias
    W2, b2 = doc.network.layer(2).weights[0], doc.network.layer(2).bias[0]
    for i in (0, 123, len(x) - 1):
        by_hand = sum(W2[h] * math.tanh(W1[h] * x[i] + b1[h]) for h in range(8)) + b2
        assert y[i] == pytest.approx(by_hand, rel=1e-12)
    controller.train_epochs(20)
    _, after = panel.prediction_curve()
    assert not np.allclose(after, y)
    assert np.allclose(after, doc.network.predict(x[None, :])[0])


def test_fit_regions_of_a_two_input_network(qtbot):
    doc = xor_document()
    panel = show(qtbot, FitPlot(doc, TrainingController(doc)))
    image = panel.prediction_image()
    assert image.shape == (100, 100)
    # The bottom-left grid cell is (−0.1, −0.1): the data range [0, 1] widened by a tenth.
    W1, b1 = doc.network.layer(1).weights, doc.network.layer(1).bias
    W2, b2 = doc.network.layer(2).weights, doc.network.layer(2).bias
    hidden = [math.tanh(W1[i, 0] * -0.1 + W1[i, 1] * -0.1 + b1[i]) for i in range(3)]
    assert image[0, 0] == pytest.approx(sigmoid(sum(W2[0, i] * hidden[i] for i in range(3)) + b2[0]))
    assert len(panel.points[0].data) == 4


def test_fit_plot_says_when_it_has_no_picture(qtbot):
    network = Network([Layer(np.ones((2, 3)), None, "sigmoid"), Layer(np.ones((1, 2)), None, "sigmoid")])
    doc = Document(model.NetworkFile(network))
    panel = show(qtbot, FitPlot(doc, TrainingController(doc)))
    assert panel.stack.currentWidget() is panel.message
    assert "1 or 2 inputs" in panel.message.text()
    x, y = panel.prediction_curve()
    assert len(x) == 0


# --- structure edits ------------------------------------------------------------------
def test_panels_follow_structure_edits_and_undo(qtbot):
    doc = load("lecture-2-2-2")
    controller = TrainingController(doc)
    activation = show(qtbot, ActivationPlot(doc))
    flow = show(qtbot, GradientFlowPlot(doc, controller))
    fit = show(qtbot, FitPlot(doc, controller))
    doc.run_to_end()
    structure.add_layer(doc, 2, 3, "relu")
    assert activation.layer_box.count() == 3 and activation.layer_box.itemText(1) == "Layer 2: relu"
    assert len(flow.layer_sizes()[0]) == 3
    structure.set_activation(doc, 1, "tanh")
    doc.select(Selection.neuron(1, 0))
    assert activation.layer_box.itemText(0) == "Layer 1: tanh"
    assert activation.markers()[0][2] == pytest.approx(1 - math.tanh(activation.markers()[0][0]) ** 2)
    doc.undo_stack.undo()
    doc.undo_stack.undo()
    assert activation.layer_box.count() == 2 and len(flow.layer_sizes()[0]) == 2
    assert fit.prediction_image().shape == (100, 100, 3)  # two outputs: argmax class colours


# --- palette ---------------------------------------------------------------------------
def test_panels_take_their_background_from_the_palette(qtbot):
    doc = xor_document()
    controller = TrainingController(doc)
    panels = [LossPlot(doc, controller), FitPlot(doc, controller), GradientFlowPlot(doc, controller)]
    for panel in panels:
        show(qtbot, panel)
        dark = QPalette(panel.palette())
        dark.setColor(QPalette.Base, QColor("#1e1e1e"))
        dark.setColor(QPalette.Window, QColor("#2b2b2b"))
        dark.setColor(QPalette.Text, QColor("#e8e8e8"))
        panel.setPalette(dark)
        plot = panel.plot if hasattr(panel, "plot") else panel.sample_plot
        assert plot.backgroundBrush().color().name() == "#1e1e1e"
