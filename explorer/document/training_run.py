"""Training in short slices of the event loop, so the window never freezes.

The document shows the weights live while a run goes on (throttled), without touching the undo
stack; when the run pauses, finishes or diverges, the whole run becomes one undo step
("Train 120 epochs") whose undo restores the weights from before it.

Signals:
    started()          a run began
    progress()         epochs were added to `history` (at most ~30 times a second)
    stopped(str)       the run ended: "paused", "finished" or the divergence reason
    speed_changed(obj) the pace changed: epochs a second, or None for as fast as possible

A run goes as fast as it can, or at a pace (set_speed: 1, 5, 20 … epochs a second) at which every
epoch is shown, so that a class can watch the weights and the loss move.
"""

from __future__ import annotations

import dataclasses
import time
import weakref

import numpy as np
from PySide6.QtCore import QObject, QTimer, Signal

from explorer.document.commands import ReplaceState
from explorer.document.document import Document
from explorer.engine.network import Network
from explorer.engine.training import History, Trainer, TrainingSettings
from explorer.files.model import NetworkFile

# Training time per event-loop slice: a click waits about this long at most, plus a live update.
# (0.03 let a click wait 60+ ms; 0.02 costs no throughput: benchmarks/bench_training_window.py.)
SLICE_SECONDS = 0.02
# How often the plots follow the history (progress) and the graph and panels follow the weights
# during a run. A weights update costs the views most (the graph repaints, every number panel
# refreshes: benchmarks/bench_training_window.py), so it runs at half the plots' rate; both still
# move smoothly enough to watch.
LIVE_INTERVAL = 1 / 10
WEIGHTS_INTERVAL = 1 / 5
UNLIMITED = 2**62
# A paced run (epochs_per_second set) shows every epoch it trains, up to this many times a second.
PACED_SHOW_INTERVAL = 1 / 30


class TrainingController(QObject):
    """Plays, pauses and steps training of one document's network on its data set."""

    started = Signal()
    progress = Signal()
    stopped = Signal(str)
    speed_changed = Signal(object)  # epochs a second, or None for as fast as possible

    def __init__(self, document: Document, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.document = document
        self.trainer: Trainer | None = None
        self.history = History(document.network.num_layers)
        self.last_reason: str | None = None
        self._timer = QTimer(self)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._slice)
        self._run_start_state: NetworkFile | None = None
        self._run_start_epoch = 0
        self._run_start_marks = (0, 0)
        self._run_target = 0
        self._last_live = 0.0
        self._last_weights = 0.0
        self._applying = False
        self.epochs_per_second: float | None = None  # None: as fast as possible
        self._pace_start = 0.0
        self._pace_epoch = 0
        self._shown_epoch = 0
        document.edit_starting.connect(self._edit_starting)
        document.weights_changed.connect(self._document_changed)
        document.structure_changed.connect(self._structure_changed)
        document.data_changed.connect(self._document_changed)

    # --- state -------------------------------------------------------------------------
    @property
    def is_running(self) -> bool:
        """Return True while a run is going on."""
        return self._timer.isActive()

    @property
    def run_target(self) -> int:
        """Return the epoch at which the current (or last) run stops by itself."""
        return self._run_target

    @property
    def epochs_done(self) -> int:
        """Return the epochs recorded in the history."""
        return len(self.history)

    def data(self) -> tuple[np.ndarray, np.ndarray]:
        """Return the training rows: the data set, or the sample as one row when there is none."""
        state = self.document.state
        if state.dataset_x is not None and state.dataset_y is not None and len(state.dataset_x):
            return state.dataset_x, state.dataset_y
        # NetworkFile fills in a sample left out (from the data set, else zeros): never None here.
        assert state.sample_x is not None and state.sample_y is not None
        return state.sample_x[None, :], state.sample_y[None, :]

    def settings(self) -> TrainingSettings:
        """Return the document's training settings, with no epoch limit (runs count their own)."""
        return dataclasses.replace(self.document.state.training, epochs=UNLIMITED)

    def set_speed(self, epochs_per_second: float | None) -> None:
        """Train at most this many epochs a second (None: as fast as possible), from now on."""
        self.epochs_per_second = epochs_per_second
        self._timer.setInterval(_interval_ms(epochs_per_second))
        if self.trainer is not None:
            self._pace_start = time.perf_counter()
            self._pace_epoch = self.trainer.epoch
        self.speed_changed.emit(epochs_per_second)

    # --- actions -----------------------------------------------------------------------
    def play(self, epochs: int | None = None) -> bool:
        """Start a run of `epochs` (default: the document's epoch setting); False with a reason if not."""
        if self.is_running:
            return True
        trainer = self._ensure_trainer()
        if trainer is None:
            return False
        count = int(self.document.state.training.epochs if epochs is None else epochs)
        if count <= 0:
            self._stop("no epochs to run (set Epochs above 0)")
            return False
        self._run_start_state = self.document.replaced()
        self._run_start_epoch = trainer.epoch
        self._run_start_marks = self.history.marks()
        self._run_target = trainer.epoch + count
        self.last_reason = None
        self._pace_start = time.perf_counter()
        self._pace_epoch = trainer.epoch
        self._timer.start(_interval_ms(self.epochs_per_second))
        self.started.emit()
        return True

    def pause(self) -> None:
        """Stop the run after the current slice; the epochs done so far become one undo step."""
        if self.is_running:
            self._timer.stop()
            self._finish("paused")

    def train_epochs(self, count: int = 1) -> int:
        """Run `count` epochs now (blocking; for "Train one epoch"); return how many ran."""
        if self.is_running:
            return 0
        trainer = self._ensure_trainer()
        if trainer is None:
            return 0
        self._run_start_state = self.document.replaced()
        self._run_start_epoch = trainer.epoch
        self._run_start_marks = self.history.marks()
        self._run_target = trainer.epoch + count
        trainer.run(count)
        self.progress.emit()
        reason = trainer.stopped_reason
        self._finish("finished" if reason is None else reason)
        return trainer.epoch - self._run_start_epoch

    def clear_history(self) -> None:
        """Forget the recorded epochs (e.g. after re-initialising the weights)."""
        self.history = History(self.document.network.num_layers)
        self.trainer = None
        self.progress.emit()

    # --- internals ---------------------------------------------------------------------
    def _ensure_trainer(self) -> Trainer | None:
        """Return the trainer to run (a fresh one if there is none or it stopped); None with a reason."""
        if self.trainer is not None and not self.trainer.stopped:
            return self.trainer
        X, Y = self.data()
        try:
            trainer = Trainer(self.document.network, X, Y, self.settings())
        except ValueError as error:
            self._stop(str(error))
            return None
        if self.history.num_layers != trainer.network.num_layers:
            self.history = History(trainer.network.num_layers)
        # One history across runs and pauses, so the loss curve continues.
        trainer.history = self.history
        self.history.stopped_reason = None  # an old divergence must not stop the fresh trainer
        trainer.epoch = len(self.history)
        self.trainer = trainer
        return trainer

    def _slice(self) -> None:
        trainer = self.trainer
        assert trainer is not None  # the timer runs only after play() made a trainer
        start = time.perf_counter()
        deadline = start + SLICE_SECONDS
        target, paced = self._run_target, self.epochs_per_second
        if paced is not None:
            # The epochs due by now at this pace (the first at once), never more than the run's.
            target = min(target, self._pace_epoch + 1 + int((start - self._pace_start) * paced))
        while trainer.epoch < target and time.perf_counter() < deadline:
            if not trainer.run_epoch():
                break
        now = time.perf_counter()
        done = trainer.epoch >= self._run_target or trainer.stopped
        if paced is not None:
            # Paced, every epoch shows (as often as PACED_SHOW_INTERVAL allows).
            if not done and (
                trainer.epoch == self._shown_epoch or now - self._last_weights < PACED_SHOW_INTERVAL
            ):
                return
            self._last_weights = self._last_live = now - 1.0
        self._shown_epoch = trainer.epoch
        if done or now - self._last_weights >= WEIGHTS_INTERVAL:
            self._last_weights = now
            self._show(trainer.network)
        if done or now - self._last_live >= LIVE_INTERVAL:
            self._last_live = now
            self.progress.emit()
        if done:
            self._timer.stop()
            self._finish(trainer.stopped_reason or "finished")

    def _show(self, network: Network) -> None:
        self._applying = True
        try:
            self.document._set_state(self.document.replaced(network=network.copy()))
        finally:
            self._applying = False

    def _finish(self, reason: str) -> None:
        trainer = self.trainer
        assert trainer is not None  # a run ends only after play() or train_epochs() made a trainer
        ran = trainer.epoch - self._run_start_epoch
        if ran > 0:
            final = self.document.replaced(network=trainer.network.copy())
            self._applying = True
            try:
                text = f"Train {ran} epoch{'s' if ran != 1 else ''}"
                run = TrainingRun(self, final, text, self._run_start_state, self._run_start_marks)
                self.document.begin_edit()
                self.document.undo_stack.push(run)
            finally:
                self._applying = False
        elif self._run_start_state is not None:
            self._show(self._run_start_state.network)
        self.progress.emit()
        self._stop(reason)

    def _stop(self, reason: str) -> None:
        self.last_reason = reason
        self.stopped.emit(reason)

    def _edit_starting(self) -> None:
        # Record the run before the edit is pushed, so the edit (or undo) lands on top of it.
        if self.is_running and not self._applying:
            self.pause()

    def _document_changed(self, *_args: object) -> None:
        if not self._applying:
            if self.is_running:
                self._timer.stop()
                self._finish("paused")
            # The network was edited by hand or by undo: the next run starts from it afresh.
            self.trainer = None

    def _structure_changed(self) -> None:
        self._document_changed()
        if self.history.num_layers != self.document.network.num_layers:
            self.history = History(self.document.network.num_layers)


def _interval_ms(epochs_per_second: float | None) -> int:
    """Return the timer interval for this pace: 0 (every idle moment) unpaced, else a tenth of an epoch."""
    if epochs_per_second is None:
        return 0
    return max(1, min(100, int(100 / epochs_per_second)))


class TrainingRun(ReplaceState):
    """One training run as an undo step: the weights, and the run's epochs in the loss history.

    Undo puts back the weights from before the run and cuts the history back to where the run
    began, so the loss curve and the status describe the weights shown; redo brings both back.
    """

    def __init__(
        self,
        controller: TrainingController,
        final: NetworkFile,
        text: str,
        start_state: NetworkFile | None,
        start_marks: tuple[int, int],
    ) -> None:
        super().__init__(controller.document, final, text, start_state)
        self._controller = weakref.ref(controller)  # weakly, like the document (see document/commands.py)
        self.history = controller.history
        self.before = start_marks
        self.after = controller.history.marks()

    def redo(self) -> None:
        super().redo()
        controller = self._controller()
        if (
            controller is not None
            and controller.history is self.history
            and self.history.marks() == self.before
        ):
            self.history.rewind(self.after)
            controller.progress.emit()

    def undo(self) -> None:
        super().undo()
        controller = self._controller()
        if (
            controller is not None
            and controller.history is self.history
            and self.history.marks() == self.after
        ):
            self.history.rewind(self.before)
            controller.progress.emit()
