"""The open network as a QObject: its state, undo stack, file path, stage position and selection.

Views only read the document and listen to its signals; every change to the network goes through
an undo command (explorer/document/commands.py), which calls the underscore setters here. The setters emit
only on a real change.

Signals:
    weights_changed(int)   values of W^(k)/b^(k) changed in layer k (0: several layers), shape unchanged
    structure_changed()    layers, sizes, activations, bias presence or loss changed
    data_changed()         the sample, data set or training settings changed
    trace_changed()        the recorded trace was recomputed (after any of the above)
    stage_changed(int)     the current stage index moved
    selection_changed()    the selected neuron or edge changed
    file_changed()         the path or the modified flag changed
    edit_starting()        an edit, undo or redo is about to change the state (a training run
                           stops and is recorded first, so the edit lands on top of it)

A change is made whole before anyone hears of it: the state, the stages, the stage index (clamped to
the new stages) and the selection are all updated first. Only then are the signals emitted, the
broadest first: structure_changed (or weights_changed), data_changed, trace_changed, stage_changed,
selection_changed. So a view rebuilt on structure_changed or trace_changed is already rebuilt when
stage_changed reaches it, and no listener can read a stage index that points past the stages.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import numpy as np
from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoStack

from explorer.document.selection import NOTHING, Selection
from explorer.engine.network import Network, Trace
from explorer.engine.stepper import Stage, Stepper
from explorer.files.model import NetworkFile

UNDO_LIMIT = 100  # steps kept; the undo history panel says so (snapshots share arrays, see commands)


class Document(QObject):
    """One open network file and everything the window shows about it."""

    weights_changed = Signal(int)
    structure_changed = Signal()
    data_changed = Signal()
    trace_changed = Signal()
    stage_changed = Signal(int)
    selection_changed = Signal()
    file_changed = Signal()
    edit_starting = Signal()

    def __init__(self, state: NetworkFile, path: str | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._state = state
        self._path = path
        self._selection = NOTHING
        self._stage_index = 0
        self.undo_stack = QUndoStack(self)
        self.undo_stack.setUndoLimit(UNDO_LIMIT)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self._stepper = self._new_stepper()
        self._previous_kinds = _kinds(self._stepper)

    # --- reading -----------------------------------------------------------------------
    @property
    def state(self) -> NetworkFile:
        """Return the whole file content (network, sample, data set, training settings)."""
        return self._state

    @property
    def network(self) -> Network:
        """Return the engine Network being edited."""
        return self._state.network

    @property
    def path(self) -> str | None:
        """Return the file path, or None for a network never saved."""
        return self._path

    @property
    def is_modified(self) -> bool:
        """Return True if there are changes since the last save or load."""
        return not self.undo_stack.isClean()

    @property
    def learning_rate(self) -> float:
        """Return η, used by the update stage and by training."""
        return float(self._state.training.learning_rate)

    @property
    def stepper(self) -> Stepper:
        """Return the recorded trace of the sample, cut into stages."""
        return self._stepper

    @property
    def trace(self) -> Trace:
        """Return the recorded forward and backward pass of the sample."""
        return self._stepper.trace

    @property
    def stages(self) -> list[Stage]:
        """Return the ordered stages of the step-through."""
        return self._stepper.stages

    @property
    def stage_index(self) -> int:
        """Return the index of the current stage."""
        return self._stage_index

    @property
    def stage(self) -> Stage:
        """Return the current stage."""
        return self._stepper.stages[self._stage_index]

    @property
    def revealed(self) -> frozenset[tuple[str, int]]:
        """Return the (quantity, layer) pairs computed by the current stage and those before it."""
        return self._stepper.revealed(self._stage_index)

    @property
    def selection(self) -> Selection:
        """Return the selected neuron or edge (or NOTHING)."""
        return self._selection

    # --- non-undoable view state -------------------------------------------------------
    def set_stage(self, index: int) -> None:
        """Move to stage `index` (clamped to the valid range)."""
        index = max(0, min(index, len(self._stepper.stages) - 1))
        if index != self._stage_index:
            self._stage_index = index
            self.stage_changed.emit(index)

    def step(self) -> None:
        """Advance one stage."""
        self.set_stage(self._stage_index + 1)

    def step_back(self) -> None:
        """Go back one stage."""
        self.set_stage(self._stage_index - 1)

    def reset_stages(self) -> None:
        """Go back to the first stage (only the input known)."""
        self.set_stage(0)

    def run_to_end(self) -> None:
        """Go to the last stage (everything known)."""
        self.set_stage(len(self._stepper.stages) - 1)

    def select(self, selection: Selection) -> None:
        """Select a neuron or an edge (NOTHING clears the selection)."""
        if not selection.fits(self.network.sizes):
            selection = NOTHING
        if selection != self._selection:
            self._selection = selection
            self.selection_changed.emit()

    def begin_edit(self) -> None:
        """Announce that an edit is about to be pushed (commands call this before building one)."""
        self.edit_starting.emit()

    def undo(self) -> None:
        """Undo the last edit."""
        self.begin_edit()
        self.undo_stack.undo()

    def redo(self) -> None:
        """Redo the last undone edit."""
        self.begin_edit()
        self.undo_stack.redo()

    def mark_saved(self, path: str) -> None:
        """Record that the state was written to `path`."""
        self._path = path
        self.undo_stack.setClean()
        self.file_changed.emit()

    def _clean_changed(self, _clean: bool) -> None:
        self.file_changed.emit()

    # --- setters for undo commands only ------------------------------------------------
    def _set_weight(self, layer: int, i: int, j: int, value: float) -> None:
        weights = _writable(self.network.layer(layer), "weights")
        if weights[i, j] != value:
            weights[i, j] = value
            moved = self._recompute()
            self.weights_changed.emit(layer)
            self._announce_trace(moved)

    def _set_bias(self, layer: int, i: int, value: float) -> None:
        bias = _writable(self.network.layer(layer), "bias")
        if bias is not None and bias[i] != value:
            bias[i] = value
            moved = self._recompute()
            self.weights_changed.emit(layer)
            self._announce_trace(moved)

    def _set_state(self, state: NetworkFile) -> None:
        """Replace the whole state; emit what kind of change it was."""
        old = self._state
        self._state = state
        structure = _structure_key(old.network) != _structure_key(state.network)
        data = not _same_data(old, state)
        # Everything a listener may read is brought up to date before the first signal goes out.
        moved = self._recompute()
        deselected = not self._selection.fits(state.network.sizes)
        if deselected:
            self._selection = NOTHING
        if structure:
            self.structure_changed.emit()
        else:
            self.weights_changed.emit(0)
        if data:
            self.data_changed.emit()
        self._announce_trace(moved)
        if deselected:
            self.selection_changed.emit()

    def _announce_trace(self, stage_moved: bool) -> None:
        """Emit trace_changed, then stage_changed if the recompute moved the stage index."""
        self.trace_changed.emit()
        if stage_moved:
            self.stage_changed.emit(self._stage_index)

    def _new_stepper(self) -> Stepper:
        state = self._state
        # NetworkFile fills in a sample left out (from the data set, else zeros): never None here.
        assert state.sample_x is not None and state.sample_y is not None
        # Huge weights (a diverging run, a typed 1e300) may overflow: show inf/nan, don't warn.
        with np.errstate(all="ignore"):
            return Stepper(state.network, state.sample_x, state.sample_y, self.learning_rate)

    def _recompute(self) -> bool:
        """Record the trace afresh and clamp the stage index to its stages; return True if the index
        moved (the caller emits stage_changed once every other signal of the change is out)."""
        previous = self._stepper.stages[self._stage_index]
        self._stepper = self._new_stepper()
        stages = self._stepper.stages
        index = min(self._stage_index, len(stages) - 1)
        if len(stages) != len(self._previous_kinds):
            # The layers changed: stay on the same step (say, layer 2's δ) rather than the same number.
            matches = [
                i
                for i, stage in enumerate(stages)
                if (stage.kind, stage.layer) == (previous.kind, previous.layer)
            ]
            index = matches[0] if matches else index
        self._previous_kinds = _kinds(self._stepper)
        moved = index != self._stage_index
        self._stage_index = index
        return moved

    def replaced(self, **changes: Any) -> NetworkFile:
        """Return a copy of the state with some fields replaced (the network is copied)."""
        changes.setdefault("network", self.network.copy())
        return dataclasses.replace(self._state, **changes)


def _writable(layer: Any, name: str) -> Any:
    # Undo snapshots share arrays read-only (document.commands): copy one before writing into it.
    array = getattr(layer, name)
    if array is not None and not array.flags.writeable:
        array = array.copy()
        setattr(layer, name, array)
    return array


def _kinds(stepper: Stepper) -> list[tuple[str, int]]:
    return [(stage.kind, stage.layer) for stage in stepper.stages]


def _structure_key(network: Network) -> tuple[object, ...]:
    return (
        network.loss,
        tuple((layer.weights.shape, layer.bias is None, layer.activation) for layer in network.layers),
    )


def _same_data(old: NetworkFile, new: NetworkFile) -> bool:
    def same(a: np.ndarray | None, b: np.ndarray | None) -> bool:
        if a is None or b is None:
            return a is b
        return bool(np.array_equal(a, b))

    return (
        same(old.sample_x, new.sample_x)
        and same(old.sample_y, new.sample_y)
        and same(old.dataset_x, new.dataset_x)
        and same(old.dataset_y, new.dataset_y)
        and old.training == new.training
    )
