"""Practice mode through the window: type the next stage's numbers, Enter, hints, show answer, score."""

from __future__ import annotations

import math

import pytest
from PySide6.QtCore import QSettings, Qt

from explorer.app.main_window import MainWindow
from explorer.app.startup import open_state
from explorer.document.document import Document
from explorer.text.practice import Tolerance

# The lecture's 2-2-2 network, worked here by hand (independent of the engine).
X, Y = (0.05, 0.10), (0.01, 0.99)
W1, B1, W2 = ((0.15, 0.20), (0.25, 0.30)), (0.35, 0.35), ((0.40, 0.45), (0.50, 0.55))


def sigma(z):
    return 1 / (1 + math.exp(-z))


Z1 = [W1[i][0] * X[0] + W1[i][1] * X[1] + B1[i] for i in range(2)]
A1 = [sigma(z) for z in Z1]
Z2 = [W2[i][0] * A1[0] + W2[i][1] * A1[1] for i in range(2)]
A2 = [sigma(z) for z in Z2]
E2 = [A2[i] - Y[i] for i in range(2)]
DELTA2 = [A2[i] * (1 - A2[i]) * E2[i] for i in range(2)]


@pytest.fixture
def window(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)
    win = MainWindow(Document(open_state(None)), settings)
    qtbot.addWidget(win)
    win.resize(1500, 950)
    win.show()
    return win


def practise(window, stage_index):
    """Go to stage `stage_index`, turn practice on with the stage bar's toggle; return the panel."""
    window.document.set_stage(stage_index)
    bar = window.stage_bar
    button = bar.widgetForAction(window.practice_actions.action)
    assert button is not None and button.isVisible()
    button.click()
    panel = window.panels["practice"]
    assert panel.practice.active
    return panel


def answer(qtbot, panel, key, text, enter=True):
    field = panel.fields[key]
    field.setFocus()
    field.clear()
    qtbot.keyClicks(field, text)
    if enter:
        qtbot.keyClick(field, Qt.Key_Return)


def test_right_answers_reveal_the_stage_and_ask_the_next(window, qtbot):
    panel = practise(window, 0)
    assert "Layer 1, linear step" in panel.heading.text()
    assert set(panel.fields) == {"z 1 0", "z 1 1"}
    answer(qtbot, panel, "z 1 0", f"{Z1[0]:.4f}", enter=False)
    answer(qtbot, panel, "z 1 1", f"{Z1[1]:.4f}")
    assert window.document.stage_index == 1  # stage 2, the linear step, is revealed
    assert "stage 2" in panel.message.text() and "revealed" in panel.message.text()
    assert set(panel.fields) == {"a 1 0", "a 1 1"}  # the nonlinear step is asked now
    assert "2 right first time" in panel.score_label.text()
    # Practice is session state: no undo command, the file is unchanged.
    assert window.document.undo_stack.count() == 0
    assert not window.document.is_modified and not window.isWindowModified()


def test_a_wrong_entry_is_named_and_the_stage_stays_hidden(window, qtbot):
    delta_stage = window.document.stepper.index_of("delta", 2)
    panel = practise(window, delta_stage - 1)
    assert set(panel.fields) == {"δ 2 0", "δ 2 1"}
    answer(qtbot, panel, "δ 2 0", f"{DELTA2[0]:.4f}", enter=False)
    answer(qtbot, panel, "δ 2 1", "-0.05")
    assert window.document.stage_index == delta_stage - 1
    assert "δ₂⁽²⁾ is wrong" in panel.message.text()
    assert "δ₁⁽²⁾" not in panel.message.text()
    assert panel.status_labels["δ 2 1"].text() == "✗ wrong"
    assert panel.status_labels["δ 2 0"].text() == "✓ right"
    assert panel.fields["δ 2 0"].isReadOnly()
    marks = {entry.question.label: entry.status for entry, _rect in window.practice_actions.marks.marks()}
    assert marks == {"δ₁⁽²⁾": "right", "δ₂⁽²⁾": "open"}


def test_hints_give_the_working_then_the_inputs_but_never_the_value(window, qtbot):
    panel = practise(window, window.document.stepper.index_of("delta", 2) - 1)
    answer(qtbot, panel, "δ 2 1", "-0.05")
    qtbot.mouseClick(panel.hint_buttons["δ 2 1"], Qt.LeftButton)
    hints = panel.hint_label.text()
    assert f"{A2[1]:.4f} × (1 − {A2[1]:.4f}) × (−{abs(E2[1]):.4f})" in hints
    value = f"{abs(DELTA2[1]):.4g}"
    assert value not in hints
    assert panel.hint_buttons["δ 2 1"].text() == "Hint 2"
    qtbot.mouseClick(panel.hint_buttons["δ 2 1"], Qt.LeftButton)
    hints = panel.hint_label.text()
    assert f"a₂⁽²⁾ = {A2[1]:.4f} from stage 5" in hints
    assert f"e₂⁽²⁾ = −{abs(E2[1]):.4f} from stage 6" in hints
    assert value not in hints
    answer(qtbot, panel, "δ 2 0", f"{DELTA2[0]:.5f}", enter=False)
    answer(qtbot, panel, "δ 2 1", f"{DELTA2[1]:.5f}")
    assert "1 right first time · 1 after hints or retries · 0 shown" in panel.score_label.text()
    assert window.document.stage.kind == "delta"


def test_show_answer_reveals_the_entry_and_counts_it_as_shown(window, qtbot):
    panel = practise(window, 0)
    qtbot.mouseClick(panel.show_buttons["z 1 0"], Qt.LeftButton)
    assert panel.status_labels["z 1 0"].text() == "shown"
    assert panel.fields["z 1 0"].text() == "0.3775"
    assert "0 right first time · 0 after hints or retries · 1 shown" in panel.score_label.text()
    assert window.document.stage_index == 0  # z₂⁽¹⁾ is still open
    qtbot.mouseClick(panel.show_buttons["z 1 1"], Qt.LeftButton)
    assert window.document.stage_index == 1
    assert "2 shown" in panel.score_label.text()
    assert window.document.undo_stack.count() == 0


def test_the_tolerance_on_screen_is_the_one_used(window, qtbot):
    panel = practise(window, 0)
    assert "3 significant digits or ±0.001" in panel.score_label.text()
    panel.digits_box.setValue(6)
    panel.absolute_field.setText("0")
    panel.absolute_field.editingFinished.emit()
    assert "6 significant digits" in panel.score_label.text()
    answer(qtbot, panel, "z 1 0", "0.377", enter=False)  # right to 3 digits, not to 6
    answer(qtbot, panel, "z 1 1", f"{Z1[1]:.6f}")
    assert "z₁⁽¹⁾ is wrong" in panel.message.text()
    assert window.document.stage_index == 0


def test_step_menu_toggle_and_stop(window):
    action = window.practice_actions.action
    assert action in window.step_menu.actions()
    action.trigger()
    panel = window.panels["practice"]
    assert panel.practice.active and panel.on_box.isVisible()
    panel.stop_button.click()
    assert not panel.practice.active and not action.isChecked()
    assert window.practice_actions.marks.marks() == []


@pytest.mark.parametrize(
    ("answer_", "value", "right"),
    [
        (0.597, 0.5968843, True),  # 3 significant digits
        (0.5961, 0.5968843, True),  # within 1e-3
        (0.595, 0.5968843, False),
        (123.0, 123.456, True),
        (124.0, 123.456, False),
        (0.0, 2e-4, True),  # the absolute 1e-3 takes in small values
    ],
)
def test_tolerance(answer_, value, right):
    assert Tolerance().allows(answer_, value) is right


def test_tolerance_without_the_absolute_part():
    strict = Tolerance(3, 0.0)
    assert not strict.allows(0.0, 2e-4)
    assert strict.allows(2.31e-4, 2.3121e-4)
    assert strict.describe() == "3 significant digits"
