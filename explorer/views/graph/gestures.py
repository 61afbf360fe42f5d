"""Nudging a weight or bias with Ctrl+drag or Ctrl+wheel: one gesture becomes one undo step.

Every edit of one drag (or of one burst of wheel notches less than BURST_SECONDS apart) passes the
same gesture token to commands.edit_weight / edit_bias, so the undo stack merges them.
"""

from __future__ import annotations

import time

from explorer.document import commands
from explorer.document.document import Document
from explorer.document.selection import Selection

DRAG_STEP, FINE_DRAG_STEP = 0.01, 0.001  # per pixel of vertical drag
WHEEL_STEP, FINE_WHEEL_STEP = 0.01, 0.001  # per wheel notch
BURST_SECONDS = 0.5


def nudgeable(document: Document, selection: Selection) -> bool:
    """Return True for an edge, or a neuron of a layer with a bias."""
    if selection.kind == "edge":
        return True
    if selection.kind == "neuron" and selection.layer >= 1:
        return document.network.layer(selection.layer).bias is not None
    return False


def current_value(document: Document, selection: Selection) -> float:
    """Return the weight or bias the selection points at."""
    layer = document.network.layer(selection.layer)
    if selection.kind == "edge":
        return float(layer.weights[selection.i, selection.j])
    assert layer.bias is not None, "a neuron is selected for editing only where it has a bias (nudgeable)"
    return float(layer.bias[selection.i])


def _nudged(value: float) -> float:
    """Return a nudged value rounded to 10 decimals: 0.15 + 3 × 0.01 reads 0.18, not 0.18000000000000002."""
    return round(value, 10)  # only nudges: a typed value is stored exactly (1e-12 stays 1e-12)


def set_value(document: Document, selection: Selection, value: float, gesture: int = 0) -> None:
    """Push an undoable edit of the weight or bias the selection points at, exactly as given."""
    if selection.kind == "edge":
        commands.edit_weight(document, selection.layer, selection.i, selection.j, value, gesture)
    else:
        commands.edit_bias(document, selection.layer, selection.i, value, gesture)


class DragNudge:
    """One Ctrl+drag: moving up raises the value, moving down lowers it."""

    def __init__(self, document: Document, target: Selection, y: float) -> None:
        self.document = document
        self.target = target
        self.value = current_value(document, target)
        self.last_y = y
        self.gesture = commands.new_gesture()

    def move(self, y: float, fine: bool) -> None:
        """Follow the pointer to height `y` (pixels); `fine` takes ten times smaller steps."""
        step = FINE_DRAG_STEP if fine else DRAG_STEP
        change = (self.last_y - y) * step
        self.last_y = y
        if change:
            self.value += change
            set_value(self.document, self.target, _nudged(self.value), self.gesture)


class WheelNudger:
    """Ctrl/Alt+wheel over a weight or bias: notches close in time merge into one undo step."""

    def __init__(self) -> None:
        self._target: Selection | None = None
        self._gesture = 0
        self._last = 0.0

    def nudge(self, document: Document, target: Selection, notches: float, fine: bool) -> None:
        """Change the target by `notches` wheel steps."""
        now = time.monotonic()
        if target != self._target or now - self._last > BURST_SECONDS or self._gesture == 0:
            self._gesture = commands.new_gesture()
            self._target = target
        self._last = now
        step = FINE_WHEEL_STEP if fine else WHEEL_STEP
        set_value(document, target, _nudged(current_value(document, target) + notches * step), self._gesture)
