"""Training from the window's point of view: slices, one undo step per run, divergence, no freeze."""

from __future__ import annotations

import numpy as np

from explorer.document import commands
from explorer.document.document import Document
from explorer.document.training_run import TrainingController
from explorer.engine.network import Layer, Network
from explorer.files import model


def xor_document(learning_rate=2.0, epochs=300, output="sigmoid") -> Document:
    rng = np.random.default_rng(3)
    network = Network(
        [
            Layer(rng.uniform(-1, 1, (3, 2)), np.zeros(3), "tanh"),
            Layer(rng.uniform(-1, 1, (1, 3)), np.zeros(1), output),
        ]
    )
    X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    Y = np.array([[0.0], [1.0], [1.0], [0.0]])
    training = model.TrainingConfig(learning_rate=learning_rate, epochs=epochs)
    return Document(model.NetworkFile(network, None, None, X, Y, training))


def mean_loss(network, X, Y) -> float:
    # Independent of the engine's loss code: ½ Σ (ŷ − y)² per row, averaged.
    out = network.predict(X.T).T
    return float(np.mean(0.5 * np.sum((out - Y) ** 2, axis=1)))


def test_play_runs_in_slices_and_becomes_one_undo_step(qtbot):
    document = xor_document()
    controller = TrainingController(document)
    before = [layer.weights.copy() for layer in document.network.layers]
    X, Y = document.state.dataset_x, document.state.dataset_y
    loss_before = mean_loss(document.network, X, Y)
    progress = []
    controller.progress.connect(lambda: progress.append(len(controller.history)))
    with qtbot.waitSignal(controller.stopped, timeout=20000) as stop:
        assert controller.play()
    assert stop.args == ["finished"]
    assert len(controller.history) == 300
    assert len(progress) >= 1
    assert mean_loss(document.network, X, Y) < 0.5 * loss_before
    assert document.undo_stack.count() == 1
    assert document.undo_stack.text(0) == "Train 300 epochs"
    document.undo_stack.undo()
    for old, layer in zip(before, document.network.layers):
        assert np.array_equal(old, layer.weights)


def test_pause_keeps_the_window_responsive(qtbot):
    document = xor_document(epochs=10**7)
    controller = TrainingController(document)
    ticks = []
    from PySide6.QtCore import QTimer

    timer = QTimer()
    timer.timeout.connect(lambda: ticks.append(1))
    timer.start(10)
    controller.play()
    qtbot.wait(400)
    controller.pause()
    timer.stop()
    assert controller.last_reason == "paused"
    assert len(controller.history) > 0
    assert len(ticks) >= 5  # other events were processed while training ran
    assert document.undo_stack.count() == 1


def test_divergence_stops_with_a_reason_and_finite_weights(qtbot):
    # A linear output with a huge step overshoots further each epoch until the numbers overflow.
    document = xor_document(learning_rate=50.0, epochs=10**6, output="linear")
    controller = TrainingController(document)
    with qtbot.waitSignal(controller.stopped, timeout=20000) as stop:
        controller.play()
    assert "learning rate" in stop.args[0]
    for layer in document.network.layers:
        assert np.all(np.isfinite(layer.weights))


def test_an_edit_between_runs_starts_a_fresh_trainer(qtbot):
    document = xor_document()
    controller = TrainingController(document)
    assert controller.train_epochs(1) == 1
    assert document.undo_stack.text(0) == "Train 1 epoch"
    commands.edit_weight(document, 1, 0, 0, 5.0)
    assert controller.trainer is None
    controller.train_epochs(1)
    # The second epoch started from the hand-edited weight, so it moved only a little from 5.
    assert abs(document.network.layer(1).weights[0, 0] - 5.0) < 1.0
    assert len(controller.history) == 2


def test_an_edit_during_a_run_lands_on_top_of_the_recorded_run(qtbot):
    document = xor_document(epochs=10**7)
    controller = TrainingController(document)
    controller.play()
    qtbot.waitUntil(lambda: len(controller.history) > 20, timeout=5000)
    commands.edit_weight(document, 2, 0, 0, 7.0)
    assert not controller.is_running
    stack = document.undo_stack
    assert stack.count() == 2
    assert stack.text(0).startswith("Train ") and stack.text(1).startswith("Set w11^(2)")
    assert document.network.layer(2).weights[0, 0] == 7.0
    trained = document.network.layer(1).weights.copy()
    document.undo()
    assert document.network.layer(2).weights[0, 0] != 7.0
    assert np.array_equal(document.network.layer(1).weights, trained)


def test_undo_during_a_run_records_the_run_then_undoes_it(qtbot):
    document = xor_document(epochs=10**7)
    start = document.network.layer(1).weights.copy()
    controller = TrainingController(document)
    controller.play()
    qtbot.waitUntil(lambda: len(controller.history) > 20, timeout=5000)
    document.undo()
    assert not controller.is_running
    assert document.undo_stack.index() == 0 and document.undo_stack.count() == 1
    assert np.array_equal(document.network.layer(1).weights, start)


def test_after_a_divergence_an_edit_lets_training_start_again(qtbot):
    document = xor_document(learning_rate=50.0, epochs=10**6, output="linear")
    controller = TrainingController(document)
    with qtbot.waitSignal(controller.stopped, timeout=20000):
        controller.play()
    document.undo()  # back to the weights before the run
    commands.replace_state(
        document,
        document.replaced(training=model.TrainingConfig(learning_rate=0.1, epochs=5)),
        "Learning rate 0.1",
    )
    with qtbot.waitSignal(controller.stopped, timeout=20000) as stop:
        assert controller.play()
    assert stop.args == ["finished"]


def test_undoing_a_run_cuts_the_loss_history_back_and_redo_restores_it(qtbot):
    document = xor_document()
    controller = TrainingController(document)
    controller.train_epochs(30)
    first = controller.history.loss.copy()
    controller.train_epochs(20)
    assert len(controller.history) == 50
    document.undo()
    assert len(controller.history) == 30
    assert np.array_equal(controller.history.loss, first)
    document.undo()
    assert len(controller.history) == 0
    document.redo()
    document.redo()
    assert len(controller.history) == 50
    # A run after an undo continues from the weights shown, and its epochs follow the cut history.
    document.undo()
    controller.train_epochs(5)
    assert len(controller.history) == 35
    assert np.array_equal(controller.history.loss[:30], first)
