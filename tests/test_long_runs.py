"""Long runs stay bounded, and quiet wrong answers are refused or flagged."""

from __future__ import annotations

import numpy as np
import pytest

from explorer.app import cli
from explorer.engine.gradcheck import gradient_check, smallest_epsilon
from explorer.engine.network import Layer, Network
from explorer.engine.training import History, Trainer, TrainingSettings
from explorer.files import examples
from explorer.files.model import MAX_EPOCHS


def xor_path() -> str:
    return next(str(p) for p in examples.example_paths() if p.name.startswith("xor"))


def test_history_thins_old_epochs_and_keeps_recent_ones():
    history = History(2, capacity=4, max_points=1000)
    for epoch in range(1, 100_001):
        history.append(float(epoch), [epoch, epoch], [0.0, 0.0], validation_loss=-float(epoch))
    assert len(history) == 100_000
    assert 750 <= len(history.loss) <= 1000 and len(history.validation_loss) == len(history.loss)
    assert np.all(np.diff(history.epochs) > 0) and history.epochs[-1] == 100_000
    assert np.array_equal(history.loss, history.epochs.astype(float))  # each point keeps its epoch
    assert np.array_equal(history.validation_epochs, history.epochs)
    assert np.all(np.diff(history.epochs[-200:]) == 1)  # the latest epochs one by one
    assert history._loss.nbytes <= 1000 * 8


def test_history_rewinds_across_thinning():
    history = History(1, capacity=4, max_points=16)
    for epoch in range(1, 41):
        history.append(float(epoch), [0.0], [0.0])
    marks = history.marks()
    for epoch in range(41, 61):
        history.append(float(epoch), [0.0], [0.0])
    assert history.rewind((40, 0))
    assert len(history) == 40 and history.epochs[-1] <= 40
    assert not history.rewind((1000, 0))
    assert marks == (40, 0)


def test_a_long_run_keeps_a_bounded_history():
    net = Network([Layer(np.array([[0.5]]), None, "linear")], "half_sse")
    trainer = Trainer(net, np.ones((1, 1)), np.ones((1, 1)), TrainingSettings(0.1, epochs=10**9))
    trainer.history = History(1, max_points=1000)
    trainer.run(20_000)
    assert len(trainer.history) == 20_000 and len(trainer.history.loss) <= 1000


def test_train_refuses_epochs_above_the_file_cap(capsys):
    assert cli.main(["train", xor_path(), "--epochs", "1000000000000"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"limit of {MAX_EPOCHS:,} epochs" in err


def test_gradcheck_refuses_an_epsilon_that_cannot_resolve_a_difference(capsys):
    assert cli.main(["gradcheck", xor_path(), "--epsilon", "1e-300"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "too small to resolve" in err
    assert cli.main(["gradcheck", xor_path()]) == 0
    big = Network([Layer(np.array([[1e6]]), None, "sigmoid")], "half_sse")
    with pytest.raises(ValueError, match="too small"):
        gradient_check(big, np.ones((1, 1)), np.ones((1, 1)), epsilon=1e-9)
    assert smallest_epsilon(big) > 1e-9


def test_a_huge_learning_rate_is_flagged(tmp_path, capsys):
    assert cli.main(["train", xor_path(), "--lr", "1e308", "--epochs", "20"]) == 0
    out = capsys.readouterr().out
    assert "warning: every sigmoid/tanh neuron is saturated" in out and "1e+308" in out
    assert cli.main(["train", xor_path(), "--epochs", "20"]) == 0
    assert "warning" not in capsys.readouterr().out


def test_the_window_flags_saturation_and_shows_its_epoch_limit(qtbot, tmp_path):
    import dataclasses

    from PySide6.QtCore import QSettings

    from explorer.app.main_window import MainWindow
    from explorer.document.document import Document
    from explorer.files import reader

    state = reader.load(xor_path())
    state = dataclasses.replace(state, training=dataclasses.replace(state.training, learning_rate=1e308))
    settings = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(Document(state), settings)
    qtbot.addWidget(window)
    panel = window.panels["training"]
    window.training.train_epochs(10)
    assert "saturated" in panel.reason_text()
    window.document.undo_stack.setClean()


def test_the_epochs_field_refuses_more_than_the_cap():
    from explorer.views.panels.training import _epochs

    assert _epochs("1000") == 1000
    with pytest.raises(ValueError, match="1,000,000,000"):
        _epochs("1e12")
