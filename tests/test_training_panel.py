"""The training panel as a user: type settings, Play/Pause, one epoch, reset, divergence; undo all."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QVBoxLayout, QWidget

from explorer.document.document import Document
from explorer.document.training_run import TrainingController
from explorer.engine.network import Layer, Network
from explorer.files import model
from explorer.views.panels.training import PAUSE_TEXT, PLAY_TEXT, TrainingPanel

XOR_X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
XOR_Y = np.array([[0.0], [1.0], [1.0], [0.0]])


def xor_document(learning_rate=2.0, epochs=10**6, output="sigmoid") -> Document:
    rng = np.random.default_rng(3)
    network = Network(
        [
            Layer(rng.uniform(-1, 1, (3, 2)), np.zeros(3), "tanh"),
            Layer(rng.uniform(-1, 1, (1, 3)), np.zeros(1), output),
        ]
    )
    training = model.TrainingConfig(learning_rate=learning_rate, epochs=epochs)
    return Document(model.NetworkFile(network, None, None, XOR_X, XOR_Y, training))


def hand_loss(network, X, Y) -> float:
    # ½ Σ (ŷ − y)² per row, averaged, written out here without the engine.
    W1, b1 = network.layers[0].weights, network.layers[0].bias
    W2, b2 = network.layers[1].weights, network.layers[1].bias
    hidden = np.tanh(X @ W1.T + b1)
    out = 1 / (1 + np.exp(-(hidden @ W2.T + b2)))
    return float(np.mean(0.5 * np.sum((out - Y) ** 2, axis=1)))


@pytest.fixture
def setup(qtbot):
    document = xor_document()
    controller = TrainingController(document)
    panel = TrainingPanel(document, controller)
    qtbot.addWidget(panel)
    panel.show()
    qtbot.waitExposed(panel)
    return document, controller, panel


def type_into(qtbot, field, text: str) -> None:
    field.setFocus()
    qtbot.keyClick(field, Qt.Key_A, Qt.ControlModifier)
    qtbot.keyClick(field, Qt.Key_Delete)
    qtbot.keyClicks(field, text)
    qtbot.keyClick(field, Qt.Key_Return)


def test_typing_a_learning_rate_changes_the_document_and_undo_restores(qtbot, setup):
    document, _, panel = setup
    field = panel.fields["learning_rate"]
    assert field.text() == "2"
    type_into(qtbot, field, "0.1")
    assert document.state.training.learning_rate == 0.1
    assert document.learning_rate == 0.1
    assert document.undo_stack.count() == 1
    document.undo_stack.undo()
    assert document.state.training.learning_rate == 2.0
    assert field.text() == "2"


def test_a_bad_value_shows_a_message_and_changes_nothing(qtbot, setup):
    document, _, panel = setup
    field = panel.fields["learning_rate"]
    type_into(qtbot, field, "fast")
    assert panel.message.isVisible()
    assert "learning rate" in panel.message.text() and "not a number" in panel.message.text()
    assert field.text() == "fast"  # kept, to be fixed
    type_into(qtbot, field, "0")
    assert "positive" in panel.message.text()
    qtbot.keyClick(field, Qt.Key_Escape)
    assert field.text() == "2" and not panel.message.isVisible()
    type_into(qtbot, panel.fields["momentum"], "1.5")
    assert "momentum" in panel.message.text()
    type_into(qtbot, panel.fields["epochs"], "12.5")
    assert "whole number" in panel.message.text()
    assert document.state.training == model.TrainingConfig(learning_rate=2.0, epochs=10**6)
    assert document.undo_stack.count() == 0


def test_batch_size_full_or_a_number_and_validation_as_percent(qtbot, setup):
    document, _, panel = setup
    type_into(qtbot, panel.fields["batch_size"], "2")
    assert document.state.training.batch_size == 2
    type_into(qtbot, panel.fields["batch_size"], "")
    assert document.state.training.batch_size is None
    assert panel.fields["batch_size"].text() == "full"
    type_into(qtbot, panel.fields["validation_fraction"], "25%")
    assert document.state.training.validation_fraction == 0.25
    assert panel.fields["validation_fraction"].text() == "0.25"
    assert document.undo_stack.count() == 3


def test_play_then_pause_is_one_undo_step_that_restores_the_weights(qtbot, setup):
    document, controller, panel = setup
    before = [(layer.weights.copy(), layer.bias.copy()) for layer in document.network.layers]
    qtbot.mouseClick(panel.play_button, Qt.LeftButton)
    assert controller.is_running
    assert panel.play_button.text() == PAUSE_TEXT
    assert not panel.fields["learning_rate"].isEnabled() and not panel.step_button.isEnabled()
    qtbot.wait(250)
    qtbot.mouseClick(panel.play_button, Qt.LeftButton)
    assert not controller.is_running
    assert panel.play_button.text() == PLAY_TEXT and panel.fields["learning_rate"].isEnabled()
    epochs = len(controller.history)
    assert epochs > 0
    assert panel.status_text().startswith(f"epoch {epochs} · mean J over the data set = ")
    assert panel.status.text() == panel.status_text()
    assert document.undo_stack.count() == 1
    assert hand_loss(document.network, XOR_X, XOR_Y) < hand_loss_of(before)
    document.undo_stack.undo()
    for (weights, bias), layer in zip(before, document.network.layers):
        assert np.array_equal(weights, layer.weights) and np.array_equal(bias, layer.bias)


def hand_loss_of(parameters) -> float:
    network = Network([Layer(w, b, act) for (w, b), act in zip(parameters, ("tanh", "sigmoid"))])
    return hand_loss(network, XOR_X, XOR_Y)


def test_ctrl_space_plays_and_pauses(qtbot, setup):
    _, controller, panel = setup
    panel.activateWindow()
    qtbot.waitActive(panel)
    panel.fields["seed"].setFocus()
    # Typed into a field, Ctrl+Space still reaches the button (which shows a short press).
    qtbot.keyClick(panel.fields["seed"], Qt.Key_Space, Qt.ControlModifier)
    qtbot.waitUntil(lambda: controller.is_running, timeout=2000)
    assert panel.fields["seed"].text() == "0"
    qtbot.keyClick(panel.fields["seed"], Qt.Key_Space, Qt.ControlModifier)
    qtbot.waitUntil(lambda: not controller.is_running, timeout=2000)
    assert controller.last_reason == "paused"


def test_train_one_epoch_shows_the_loss_before_its_step(qtbot, setup):
    document, controller, panel = setup
    loss = hand_loss(document.network, XOR_X, XOR_Y)  # full batch: J at the weights the step starts from
    messages = []
    panel.status_message.connect(messages.append)
    qtbot.mouseClick(panel.step_button, Qt.LeftButton)
    assert len(controller.history) == 1
    assert panel.status_text() == f"epoch 1 · mean J over the data set = {loss:.4g}"
    assert document.undo_stack.text(0) == "Train 1 epoch"
    assert messages == []  # one step is not news for the status bar
    assert panel.reason_text() == ""


def test_validation_loss_appears_in_the_status(qtbot, setup):
    document, _, panel = setup
    type_into(qtbot, panel.fields["validation_fraction"], "0.25")
    qtbot.mouseClick(panel.step_button, Qt.LeftButton)
    assert "(validation " in panel.status_text()


def test_reset_weights_is_undoable_and_clears_the_history(qtbot, setup):
    document, controller, panel = setup
    qtbot.mouseClick(panel.step_button, Qt.LeftButton)
    trained = [layer.weights.copy() for layer in document.network.layers]
    type_into(qtbot, panel.fields["seed"], "5")
    qtbot.mouseClick(panel.reset_button, Qt.LeftButton)
    assert len(controller.history) == 0 and panel.status_text() == "not trained yet"
    assert document.undo_stack.text(document.undo_stack.index() - 1) == "Reset weights (seed 5)"
    assert not np.array_equal(document.network.layers[0].weights, trained[0])
    assert np.array_equal(document.network.layers[0].bias, np.zeros(3))
    document.undo_stack.undo()
    for weights, layer in zip(trained, document.network.layers):
        assert np.array_equal(weights, layer.weights)


def test_divergence_is_shown_in_the_error_colour_and_sent_to_the_status_bar(qtbot):
    document = xor_document(learning_rate=50.0, output="linear")
    controller = TrainingController(document)
    panel = TrainingPanel(document, controller)
    qtbot.addWidget(panel)
    messages = []
    panel.status_message.connect(messages.append)
    with qtbot.waitSignal(controller.stopped, timeout=10000):
        qtbot.mouseClick(panel.play_button, Qt.LeftButton)
    assert "smaller" in panel.reason_text() and "learning rate 50" in panel.reason_text()
    assert "color: #b3261e" in panel.reason.styleSheet()
    assert messages and messages[-1].startswith("Training stopped: ") and "smaller" in messages[-1]
    assert panel.play_button.text() == PLAY_TEXT
    assert "undo the run or reset the weights" in panel.reason_text()
    # Undo goes back to the weights before the run; a lower rate then trains, and the reason goes.
    document.undo_stack.undo()
    type_into(qtbot, panel.fields["learning_rate"], "0.01")
    type_into(qtbot, panel.fields["epochs"], "3")
    with qtbot.waitSignal(controller.stopped, timeout=10000):
        qtbot.mouseClick(panel.play_button, Qt.LeftButton)
    assert panel.reason_text() == ""
    assert messages[-1] == f"Training finished at epoch {len(controller.history)}"


def test_a_bad_field_keeps_play_from_starting(qtbot, setup):
    _, controller, panel = setup
    panel.fields["momentum"].setText("lots")
    qtbot.mouseClick(panel.play_button, Qt.LeftButton)
    assert not controller.is_running
    assert "momentum" in panel.message.text()


def test_a_short_dock_scrolls_the_fields_instead_of_squeezing_them(qtbot):
    document = xor_document(learning_rate=50.0, output="linear")
    controller = TrainingController(document)
    dock = QWidget()  # about the size of the Training dock in the default 1600 × 1000 window
    qtbot.addWidget(dock)
    panel = TrainingPanel(document, controller)
    QVBoxLayout(dock).addWidget(panel)
    dock.resize(400, 280)
    dock.show()
    qtbot.waitExposed(dock)
    with qtbot.waitSignal(controller.stopped, timeout=10000):
        qtbot.mouseClick(panel.play_button, Qt.LeftButton)  # η = 50 diverges: a long reason
    assert "smaller" in panel.reason_text()
    type_into(qtbot, panel.fields["momentum"], "lots")  # and a wrapped message under the fields
    assert panel.message.isVisible()
    qtbot.wait(10)
    line = panel.fields["seed"].fontMetrics().height()
    for key, field in panel.fields.items():
        assert field.height() >= line + 4, key  # not squeezed to a sliver
    for widget in (panel.reason, panel.message, panel.status, panel.play_button):
        top = widget.mapTo(dock, widget.rect().topLeft()).y()
        bottom = widget.mapTo(dock, widget.rect().bottomLeft()).y()
        assert 0 <= top and bottom < dock.height(), widget.objectName()  # in view, whole
    for label in (panel.reason, panel.message):
        assert label.height() >= label.heightForWidth(label.width())  # every wrapped line is there
    seed = panel.fields["seed"]
    panel.settings_scroll.ensureWidgetVisible(seed)  # the fields that do not fit are a scroll away
    viewport = panel.settings_scroll.viewport()
    assert 0 <= seed.mapTo(viewport, seed.rect().bottomLeft()).y() < viewport.height()
