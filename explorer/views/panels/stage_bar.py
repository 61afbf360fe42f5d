"""The step-through tool bar: reset, back, step, run to end, apply the update, and the learning rate.

Shortcuts are window-wide (Qt.ShortcutContext.WindowShortcut) so they work while the graph has focus.
A presentation clicker's PageDown / PageUp step too, and so does Space. F10 / Shift+F10 always work;
Right / Left, Space and Home / End lose to a widget that uses those keys itself (a line edit, a spin
box, a table being edited), which is what someone typing in such a field wants.
"""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Callable

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QAction, QFont, QKeySequence
from PySide6.QtWidgets import QAbstractSpinBox, QLabel, QSizePolicy, QToolBar, QWidget

from explorer.document import commands, data_edits
from explorer.document import structure_edits as structure
from explorer.document.document import Document
from explorer.text.notation import EXACT, display, notation_html
from explorer.views.fields import RealSpinBox

# The Training panel takes any positive finite η, so the bar does too: a narrower range would clamp
# the shown value (η = 1000 shown as 100) and a click in and out would save the clamped one.
LEARNING_RATE_RANGE = (sys.float_info.min, sys.float_info.max)
LEARNING_RATE_SETTLE_MS = 400  # arrow clicks and wheel ticks within this time make one undo step


class LearningRateBox(RealSpinBox):
    """A spin box for any positive η that shows it exactly and briefly: 0.5, 1000, 1×10⁻⁷."""

    def __init__(self, check: Callable[[float], object] | None = None, parent: QWidget | None = None) -> None:
        super().__init__(data_edits.SETTING_NAMES["learning_rate"], check, parent)
        self.setRange(*LEARNING_RATE_RANGE)
        self.setStepType(QAbstractSpinBox.StepType.AdaptiveDecimalStepType)


class StageBar(QToolBar):
    """Tool bar that moves through the stages of the pass and applies the update step.

    Signals: status_message(str), a refusal to show in the status bar; update_applied(float, float),
    the loss J of the sample before and after Apply update.
    """

    status_message = Signal(str)
    update_applied = Signal(float, float)

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__("Step through", parent)
        self.doc = document
        self.setObjectName("stage_bar")
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        font = QFont(self.font())
        font.setPointSize(max(11, font.pointSize()))
        self.setFont(font)

        self.reset_action = self._action(
            "|◀ Reset", ["Home"], "Go back to the input (Home)", document.reset_stages
        )
        self.back_action = self._action(
            "◀ Step back",
            ["PgUp", "Left", "Shift+F10"],
            "Undo one stage (PageUp, Left, Shift+F10)",
            document.step_back,
        )
        self.step_action = self._action(
            "Step ▶",
            ["PgDown", "Space", "Right", "F10"],
            "Compute the next stage (PageDown, Space, Right, F10)",
            document.step,
        )
        self.end_action = self._action(
            "Run to end ▶|", ["End"], "Compute every stage (End)", document.run_to_end
        )
        for action in (self.reset_action, self.back_action, self.step_action, self.end_action):
            self.addAction(action)

        self.addSeparator()
        self.stage_label = QLabel()
        self.stage_label.setObjectName("stage_label")
        self.stage_label.setTextFormat(Qt.TextFormat.RichText)
        self.stage_label.setMinimumWidth(220)
        self.stage_label.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.stage_label.setContentsMargins(8, 0, 8, 0)
        self.addWidget(self.stage_label)

        self.addSeparator()
        self.addWidget(QLabel(" Learning rate η "))
        # The Training panel's rule and message for η (a positive finite number), said in the status bar.
        self.rate_box = LearningRateBox(
            lambda value: data_edits.checked_training(self.doc.state.training, learning_rate=value)
        )
        self.rate_box.setObjectName("learning_rate")
        self.rate_box.refused.connect(lambda text: self.status_message.emit(f"Not changed: {text}"))
        self.rate_box.setToolTip("η in W ← W − η ∂J/∂W; a change is one undoable step")
        self.rate_box.setAccessibleName("Learning rate")
        self.rate_box.setMinimumWidth(self.rate_box.fontMetrics().horizontalAdvance("0.0001234567") + 40)
        self.addWidget(self.rate_box)
        self._rate_timer = QTimer(self)
        self._rate_timer.setSingleShot(True)
        self._rate_timer.setInterval(LEARNING_RATE_SETTLE_MS)
        self._rate_timer.timeout.connect(self.commit_learning_rate)
        self.rate_box.valueChanged.connect(lambda _value: self._rate_timer.start())
        self.rate_box.editingFinished.connect(self.commit_learning_rate)

        self.update_action = QAction("Apply update", self)
        self.update_action.setObjectName("apply_update")
        self.update_action.triggered.connect(self.apply_update)
        self.addSeparator()
        self.addAction(self.update_action)
        button = self.widgetForAction(self.update_action)
        bold = QFont(button.font())
        bold.setBold(True)
        button.setFont(bold)  # it changes the weights, unlike the stepping buttons: make it stand out

        document.stage_changed.connect(self._sync_stage)
        document.trace_changed.connect(self._sync_stage)
        document.data_changed.connect(self._sync_rate)
        self._sync_stage()
        self._sync_rate()

    def _action(self, text: str, keys: list[str], tip: str, slot: Callable[[], object]) -> QAction:
        action = QAction(text, self)
        action.setShortcuts([QKeySequence(key) for key in keys])
        action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.setToolTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        return action

    # --- gestures ----------------------------------------------------------------------
    def apply_update(self) -> None:
        """Push one undoable W ← W − η ∂J/∂W step for the current sample (or say why not), then go back
        to stage 1 of the new pass and tell what the step did to J."""
        before = float(self.doc.trace.loss)
        try:
            structure.apply_update(self.doc)
        except ValueError as error:
            self.status_message.emit(f"Update refused: {error}")
            return
        self.doc.reset_stages()
        after = float(self.doc.trace.loss)
        self.update_applied.emit(before, after)

    def commit_learning_rate(self) -> None:
        """Push the learning rate in the field as one undoable change, if it differs."""
        self._rate_timer.stop()
        value = float(self.rate_box.value())
        if value == self.doc.learning_rate or value == self._shown_rate:
            return  # unchanged (a focus change alone, or a value the box could only approximate)
        training = dataclasses.replace(self.doc.state.training, learning_rate=value)
        commands.replace_state(
            self.doc, self.doc.replaced(training=training), f"Learning rate {display(value, EXACT)}"
        )

    # --- following the document --------------------------------------------------------
    def _sync_stage(self, *_args: object) -> None:
        doc = self.doc
        index, last = doc.stage_index, len(doc.stages) - 1
        self.stage_label.setText(f"Stage {index + 1} / {last + 1}: {notation_html(doc.stage.title)}")
        self.reset_action.setEnabled(index > 0)
        self.back_action.setEnabled(index > 0)
        self.step_action.setEnabled(index < last)
        self.end_action.setEnabled(index < last)

    def _sync_rate(self) -> None:
        self._rate_timer.stop()
        self.rate_box.blockSignals(True)
        self.rate_box.setValue(self.doc.learning_rate)
        self.rate_box.blockSignals(False)
        self._shown_rate = float(self.rate_box.value())
        self.update_action.setToolTip(
            f"Change the weights by one step W ← W − {display(self.doc.learning_rate, EXACT)} ∂J/∂W for this "
            "sample (Ctrl+Z undoes it)"
        )
