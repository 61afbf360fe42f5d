"""Undo commands: the only way the document's network, sample or settings change.

Each stores the old value in __init__, sets the new one in redo and the old one in undo.
SetWeight and SetBias merge consecutive edits of the same parameter within one gesture (a drag or a
wheel nudge), so one gesture is one undo step.
"""

from __future__ import annotations

import itertools
import weakref
from typing import overload

import numpy as np
from PySide6.QtGui import QUndoCommand

from explorer.document.document import Document
from explorer.engine.network import Layer, Network
from explorer.files.model import NetworkFile


class _DocumentCommand(QUndoCommand):
    """A command that knows its document weakly.

    The document owns its undo stack and the stack owns the commands; a strong reference back would
    close a cycle that the garbage collector may free after Qt has already deleted the commands.
    """

    def __init__(self, document: Document, text: str) -> None:
        super().__init__(text)
        self._document = weakref.ref(document)

    @property
    def document(self) -> Document:
        """Return the document this command changes."""
        document = self._document()
        if document is None:  # the document owns the stack that owns this command: not while it runs
            raise ReferenceError("the document of this undo command is gone")
        return document


_WEIGHT_ID = 1001
_BIAS_ID = 1002
_gesture_counter = itertools.count(1)


def new_gesture() -> int:
    """Return a fresh token; edits that pass the same token merge into one undo step."""
    return next(_gesture_counter)


class SetWeight(_DocumentCommand):
    """Set w_ij^(k) to a new value."""

    def __init__(
        self, document: Document, layer: int, i: int, j: int, value: float, gesture: int = 0
    ) -> None:
        super().__init__(document, f"Set w{i + 1}{j + 1}^({layer}) = {value:.6g}")
        self.key = (layer, i, j)
        self.old = float(document.network.layer(layer).weights[i, j])
        self.new = float(value)
        self.gesture = gesture

    def id(self) -> int:  # noqa: A003 - Qt's name
        return _WEIGHT_ID

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt's name
        if not isinstance(other, SetWeight) or other.key != self.key:
            return False
        if self.gesture == 0 or other.gesture != self.gesture:
            return False
        self.new = other.new
        layer, i, j = self.key
        self.setText(f"Set w{i + 1}{j + 1}^({layer}) = {self.new:.6g}")
        return True

    def redo(self) -> None:
        self.document._set_weight(*self.key, self.new)

    def undo(self) -> None:
        self.document._set_weight(*self.key, self.old)


class SetBias(_DocumentCommand):
    """Set b_i^(k) to a new value."""

    def __init__(self, document: Document, layer: int, i: int, value: float, gesture: int = 0) -> None:
        super().__init__(document, f"Set b{i + 1}^({layer}) = {value:.6g}")
        bias = document.network.layer(layer).bias
        if bias is None:
            raise ValueError(f"layer {layer} has no bias")
        self.key = (layer, i)
        self.old = float(bias[i])
        self.new = float(value)
        self.gesture = gesture

    def id(self) -> int:  # noqa: A003 - Qt's name
        return _BIAS_ID

    def mergeWith(self, other: QUndoCommand) -> bool:  # noqa: N802 - Qt's name
        if not isinstance(other, SetBias) or other.key != self.key:
            return False
        if self.gesture == 0 or other.gesture != self.gesture:
            return False
        self.new = other.new
        layer, i = self.key
        self.setText(f"Set b{i + 1}^({layer}) = {self.new:.6g}")
        return True

    def redo(self) -> None:
        self.document._set_bias(*self.key, self.new)

    def undo(self) -> None:
        self.document._set_bias(*self.key, self.old)


class ReplaceState(_DocumentCommand):
    """Swap in a whole new state: structure edits, activation, loss, sample, training runs, updates."""

    def __init__(
        self, document: Document, new_state: NetworkFile, text: str, old_state: NetworkFile | None = None
    ) -> None:
        super().__init__(document, text)
        # old_state is given when the document already shows the new state (a live training run).
        self.old = _snapshot(document.state if old_state is None else old_state)
        self.new = _snapshot(new_state)

    def redo(self) -> None:
        self.document._set_state(_snapshot(self.new))

    def undo(self) -> None:
        self.document._set_state(_snapshot(self.old))


def _snapshot(state: NetworkFile) -> NetworkFile:
    """Return a new NetworkFile and Network around the same arrays, each made read-only.

    Snapshots share every array (the data set above all) instead of copying it: ten edits of a
    784-128-10 network with a 5000×784 data set would otherwise keep twenty copies of it. An array
    is never written in place once shared: Document._set_weight/_set_bias copy one that is
    read-only before changing it, and every other change builds new arrays.
    """
    layers = [
        Layer(_frozen(layer.weights), _frozen(layer.bias), layer.activation) for layer in state.network.layers
    ]
    network = Network(layers, state.network.loss, state.network.name)
    return NetworkFile(
        network,
        _frozen(state.sample_x),
        _frozen(state.sample_y),
        _frozen(state.dataset_x),
        _frozen(state.dataset_y),
        state.training,
    )


@overload
def _frozen(array: np.ndarray) -> np.ndarray: ...
@overload
def _frozen(array: None) -> None: ...
def _frozen(array: np.ndarray | None) -> np.ndarray | None:
    if array is not None and array.flags.writeable:
        array.flags.writeable = False
    return array


def edit_weight(document: Document, layer: int, i: int, j: int, value: float, gesture: int = 0) -> None:
    """Push an undoable change of w_ij^(layer)."""
    document.begin_edit()
    document.undo_stack.push(SetWeight(document, layer, i, j, value, gesture))


def edit_bias(document: Document, layer: int, i: int, value: float, gesture: int = 0) -> None:
    """Push an undoable change of b_i^(layer)."""
    document.begin_edit()
    document.undo_stack.push(SetBias(document, layer, i, value, gesture))


def replace_state(
    document: Document, new_state: NetworkFile, text: str, old_state: NetworkFile | None = None
) -> None:
    """Push an undoable replacement of the whole state (undo goes back to old_state if given)."""
    document.begin_edit()
    document.undo_stack.push(ReplaceState(document, new_state, text, old_state))
