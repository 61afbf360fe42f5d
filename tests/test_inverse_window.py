"""Step ▸ Solve for the input… as a user: set the measured outputs, step, run; the shown x and J."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import Qt

from explorer.app.main_window import MainWindow
from explorer.document.document import Document
from explorer.engine.heat_transfer import FIN
from explorer.engine.inverse import InverseSettings, solve
from explorer.engine.network import Layer, Network
from explorer.files import examples, reader
from explorer.files.model import NetworkFile
from explorer.views.panels.inverse import InverseDialog

FIN_EXAMPLE = str(examples.EXAMPLES_DIR / "fin-surrogate-1-4-4.mlp.json")


@pytest.fixture
def fin_dialog(qtbot):
    document = Document(reader.load(FIN_EXAMPLE), FIN_EXAMPLE)
    dialog = InverseDialog(document)
    qtbot.addWidget(dialog)
    dialog.show()
    return document, dialog


def type_into(qtbot, field, text: str) -> None:
    field.selectAll()
    qtbot.keyClicks(field, text)


def test_opens_with_the_physics_and_the_bounds_of_h(fin_dialog):
    _, dialog = fin_dialog
    assert "Fin" in dialog.physics_label.text()
    assert dialog.physics_label.textFormat() == Qt.TextFormat.PlainText
    assert (
        dialog.lower_field.text() == "−1" and dialog.upper_field.text() == "1"
    )  # as every field shows numbers
    assert "clipped" in dialog.bounds_note.text()
    assert dialog.current_stage_title().startswith("Iteration 1, stage 1 / 11")


def test_typed_target_stepped_to_e0_then_run_recovers_h(qtbot, fin_dialog):
    document, dialog = fin_dialog
    weights_before = [layer.weights.copy() for layer in document.network.layers]
    y = FIN.output_scaling.to_scaled(FIN.outputs(80.0))[0]
    type_into(qtbot, dialog.target_field, ", ".join(repr(float(v)) for v in y))
    qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)
    for _ in range(9):
        qtbot.mouseClick(dialog.step_button, Qt.MouseButton.LeftButton)
    assert dialog.current_stage_title().endswith("Error sent back to the input: ∂J/∂x = e⁽⁰⁾")
    stage = dialog.stepper.stages[dialog.stage_index]
    assert stage.kind == "input_error"
    expected_e0 = document.network.trace(np.array([0.0]), y).errors[0]
    np.testing.assert_allclose(stage.outputs["e^(0)"], expected_e0)
    shown = dialog.equation.toPlainText()
    assert "∂J/∂x" in shown and f"{expected_e0[0]:.6g}".replace("-", "−") in shown
    qtbot.mouseClick(dialog.step_button, Qt.MouseButton.LeftButton)  # the update stage
    assert dialog.stepper.stages[dialog.stage_index].kind == "input_update"
    qtbot.mouseClick(dialog.step_button, Qt.MouseButton.LeftButton)  # applies it: iteration 2
    assert dialog.stepper.iterations == 1
    np.testing.assert_allclose(dialog.shown_x(), np.clip(0.0 - 1.0 * expected_e0, -1, 1))

    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    expected = solve(
        document.network, y, [0.0], InverseSettings(1.0, 5000, 1e-7, np.array([-1.0]), np.array([1.0]))
    )
    np.testing.assert_allclose(dialog.shown_x(), expected.x, rtol=1e-6, atol=1e-8)
    assert dialog.shown_loss() == pytest.approx(expected.loss, rel=1e-3, abs=1e-12)
    text = dialog.result_text()
    assert "converged" in text
    h = float(text.split("recovered h = ")[1].split()[0])
    assert h == pytest.approx(80.0, rel=0.02)
    assert "true h" not in text  # a typed target: the truth is not known
    # the weights are untouched and nothing went on the undo stack
    assert all(np.array_equal(a, layer.weights) for a, layer in zip(weights_before, document.network.layers))
    assert document.undo_stack.count() == 0


def test_row_with_noise_shows_the_true_h(qtbot, fin_dialog):
    document, dialog = fin_dialog
    dialog.row.setValue(11)  # h = 70
    dialog.noise.setValue(0.002)
    qtbot.mouseClick(dialog.use_row_button, Qt.MouseButton.LeftButton)
    target = np.array([float(v) for v in dialog.target_field.text().split(",")])
    assert not np.allclose(target, document.state.dataset_y[10])  # noise was added
    assert np.abs(target - document.state.dataset_y[10]).max() < 0.01
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    text = dialog.result_text()
    assert "true h = 70 W/m²K" in text
    assert float(text.split("recovered h = ")[1].split()[0]) == pytest.approx(70.0, rel=0.05)
    assert len(dialog.loss_curve.getData()[0]) == dialog.stepper.iterations + 1


def test_bad_fields_say_so_inline_and_nothing_runs(qtbot, fin_dialog):
    _, dialog = fin_dialog
    type_into(qtbot, dialog.target_field, "0.5, oops")
    qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)
    assert dialog.message.isVisible() and "oops" in dialog.message.text()
    assert not dialog.run_button.isEnabled() and dialog.stepper is None
    type_into(qtbot, dialog.target_field, "0.5, 0.5, 0.5, 0.5")
    type_into(qtbot, dialog.rate_field, "-2")
    qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)
    assert "learning rate" in dialog.message.text().lower()
    type_into(qtbot, dialog.rate_field, "1")
    qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)
    assert not dialog.message.isVisible() and dialog.run_button.isEnabled()


def test_a_network_without_physics_works_in_its_own_units(qtbot):
    network = Network(
        [Layer(np.array([[2.0, 0.0], [0.0, 1.0]]), np.array([0.0, 1.0]), "linear")], name="plain"
    )
    document = Document(NetworkFile(network, np.zeros(2), np.zeros(2)))
    dialog = InverseDialog(document)
    qtbot.addWidget(dialog)
    assert "No physical model" in dialog.physics_label.text()
    type_into(qtbot, dialog.target_field, "4, 3")
    type_into(qtbot, dialog.rate_field, "0.2")
    qtbot.mouseClick(dialog.reset_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(dialog.run_button, Qt.MouseButton.LeftButton)
    np.testing.assert_allclose(dialog.shown_x(), [2.0, 2.0], atol=1e-6)
    assert dialog.shown_loss() < 1e-12


def test_the_step_menu_opens_the_dialog(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    document = Document(reader.load(FIN_EXAMPLE), FIN_EXAMPLE)
    window = MainWindow(document, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    qtbot.addWidget(window)
    titles = [action.text() for action in window.step_menu.actions()]
    assert "Solve for the &Input…" in titles
    window.solve_input_action.trigger()
    assert isinstance(window.inverse_dialog, InverseDialog) and window.inverse_dialog.isVisible()
