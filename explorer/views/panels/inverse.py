"""Solve for the input: a dialog that recovers x from measured outputs y with the weights fixed.

The engine (explorer.engine.inverse) does the work and builds the stages of one iteration; this
dialog only reads the fields, shows the stages with their numbers, and plots J and x per iteration.
It never edits the document: the weights stay as they are, so there is nothing to undo.
"""

from __future__ import annotations

import math

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from explorer.document.document import Document
from explorer.engine.heat_transfer import HeatTransferModel, model_for_network
from explorer.engine.inverse import InverseSettings, InverseStepper
from explorer.text.equations import equation_html
from explorer.text.notation import (
    DETAIL_DIGITS,
    EXACT,
    display,
    display_values,
    notation_html,
    notation_unicode,
    parse_field_numbers,
    parse_number,
)
from explorer.views.fields import ErrorLabel, RealSpinBox, WholeSpinBox, muted_color, sentence_case
from explorer.views.plots.style import make_plot, pen, plot_colors, set_log_data, style_plot

MAX_SHOWN = 12


def _plain_label(text: str = "", name: str = "") -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)
    label.setWordWrap(True)
    if name:
        label.setObjectName(name)
    return label


class InverseDialog(QDialog):
    """Recover the input x from measured outputs y by gradient descent on x, stage by stage or to the end."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("inverse_dialog")
        self.setWindowTitle("Solve for the input")
        self.doc = document
        self.stepper: InverseStepper | None = None
        self.stage_index = 0
        self.true_x: np.ndarray | None = None
        self.status = ""
        network = document.network
        self.model: HeatTransferModel | None = model_for_network(
            network.name, network.input_size, network.output_size
        )

        # --- measured outputs ------------------------------------------------------------------
        self.target_field = QLineEdit()
        self.target_field.setObjectName("target_field")
        self.target_field.setPlaceholderText(f"{network.output_size} numbers, e.g. 0.5, 0.4")
        self.row = WholeSpinBox("row")
        self.row.setObjectName("row_box")
        self.noise = RealSpinBox("noise")
        self.noise.setObjectName("noise_box")
        self.noise.setRange(0.0, 1.0)
        self.noise.setSingleStep(0.001)
        self.noise.setToolTip(
            "Standard deviation of Gaussian noise added to the row's outputs (network units)"
        )
        self.seed = WholeSpinBox("seed")
        self.seed.setRange(0, 999_999)
        self.use_row_button = QPushButton("Use row")
        self.use_row_button.setObjectName("use_row_button")
        self.use_row_button.clicked.connect(self.use_row)
        self.target_field.textEdited.connect(self._target_typed)
        measured = QGroupBox("Measured outputs y (the network's scaled units)")
        measured_form = QFormLayout(measured)
        measured_form.addRow("y", self.target_field)
        row_line = QHBoxLayout()
        for text, widget in (("Row", self.row), ("Noise σ", self.noise), ("Seed", self.seed)):
            label = QLabel(text)
            label.setBuddy(widget)
            row_line.addWidget(label)
            row_line.addWidget(widget, 1)
        row_line.addWidget(self.use_row_button)
        measured_form.addRow("From the data set", row_line)

        # --- start, bounds and settings ----------------------------------------------------------
        self.start_field = QLineEdit()
        self.start_field.setObjectName("start_field")
        self.lower_field = QLineEdit()
        self.lower_field.setObjectName("lower_field")
        self.upper_field = QLineEdit()
        self.upper_field.setObjectName("upper_field")
        for field in (self.lower_field, self.upper_field):
            field.setPlaceholderText("none")
        self.rate_field = QLineEdit("1")
        self.rate_field.setObjectName("rate_field")
        self.tol_field = QLineEdit(display(1e-7, EXACT))
        self.tol_field.setObjectName("tol_field")
        self.steps_box = WholeSpinBox("steps")
        self.steps_box.setObjectName("steps_box")
        self.steps_box.setRange(0, 1_000_000)
        self.steps_box.setValue(5000)
        settings = QGroupBox("Start, bounds and step")
        grid = QGridLayout(settings)
        places: tuple[tuple[str, QWidget, int, int], ...] = (
            ("Start x", self.start_field, 0, 0),
            ("Step size η", self.rate_field, 0, 2),
            ("Lower bound", self.lower_field, 1, 0),
            ("Upper bound", self.upper_field, 1, 2),
            ("Tolerance on ‖∂J/∂x‖", self.tol_field, 2, 0),
            ("Step limit", self.steps_box, 2, 2),
        )
        for text, field_widget, row, column in places:
            label = QLabel(text)
            label.setBuddy(field_widget)
            grid.addWidget(label, row, column)
            grid.addWidget(field_widget, row, column + 1)
        self.bounds_note = _plain_label(
            "After every step x is clipped into [lower, upper] (a projection onto the bounds); "
            "empty bounds do not clip.",
            "bounds_note",
        )
        grid.addWidget(self.bounds_note, 3, 0, 1, 4)
        self.physics_label = _plain_label("", "physics_label")
        self.message = ErrorLabel("inverse_message")
        for box in (self.row, self.noise, self.seed, self.steps_box):
            box.refused.connect(self.message.show_text)

        # --- buttons ---------------------------------------------------------------------------
        self.reset_button = QPushButton("Reset")
        self.reset_button.setObjectName("reset_button")
        self.back_button = QPushButton("◀ Back")
        self.back_button.setObjectName("back_button")
        self.step_button = QPushButton("Step ▶")
        self.step_button.setObjectName("step_button")
        self.iterate_button = QPushButton("One iteration")
        self.iterate_button.setObjectName("iterate_button")
        self.run_button = QPushButton("Run ▶|")
        self.run_button.setObjectName("run_button")
        self.run_button.setToolTip(
            "Iterate until ‖∂J/∂x‖ is within the tolerance or the step limit is reached"
        )
        self.reset_button.clicked.connect(self.reset)
        self.back_button.clicked.connect(self.step_back)
        self.step_button.clicked.connect(self.step)
        self.iterate_button.clicked.connect(self.iterate)
        self.run_button.clicked.connect(self.run)
        buttons = QHBoxLayout()
        for button in (
            self.reset_button,
            self.back_button,
            self.step_button,
            self.iterate_button,
            self.run_button,
        ):
            buttons.addWidget(button)

        # --- stage, result and plots -------------------------------------------------------------
        self.stage_title = _plain_label("", "stage_title")
        title_font = self.stage_title.font()
        title_font.setBold(True)
        title_font.setPointSizeF(max(title_font.pointSizeF(), 10) * 1.15)
        self.stage_title.setFont(title_font)
        self.equation = QTextBrowser()
        self.equation.setObjectName("inverse_equation")
        self.equation.setLineWrapMode(QTextBrowser.LineWrapMode.NoWrap)
        equation_font = self.equation.font()
        equation_font.setPointSize(max(12, equation_font.pointSize()))
        self.equation.setFont(equation_font)
        self.equation.document().setDefaultFont(equation_font)
        self.result_label = _plain_label("", "result_label")
        result_font = self.result_label.font()
        result_font.setBold(True)
        self.result_label.setFont(result_font)
        self.loss_plot = make_plot("iteration", "J")
        self.loss_plot.getPlotItem().setLogMode(y=True)
        self.x_plot = make_plot("iteration", "x")
        colours = plot_colors(self.palette())
        for plot in (self.loss_plot, self.x_plot):
            style_plot(plot, colours)
            plot.setMinimumHeight(150)
        self.loss_curve = self.loss_plot.plot(pen=pen(colours.hue(0)))
        self.x_curves: list[pg.PlotDataItem] = []
        self.true_lines: list[pg.InfiniteLine] = []

        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.physics_label)
        left_layout.addWidget(measured)
        left_layout.addWidget(settings)
        left_layout.addWidget(self.message)
        left_layout.addLayout(buttons)
        left_layout.addWidget(self.result_label)
        plots = QHBoxLayout()
        plots.addWidget(self.loss_plot)
        plots.addWidget(self.x_plot)
        left_layout.addLayout(plots, 1)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.stage_title)
        right_layout.addWidget(self.equation, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([560, 840])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        self.resize(1400, 780)

        self._fill_defaults()
        document.weights_changed.connect(self._network_changed)
        document.structure_changed.connect(self._network_changed)
        document.data_changed.connect(self._data_changed)
        self.reset()

    # --- reading -----------------------------------------------------------------------------
    def current_stage_title(self) -> str:
        """Return the title of the stage shown."""
        return self.stage_title.text()

    def shown_x(self) -> np.ndarray:
        """Return the current x of the iteration."""
        return np.array([]) if self.stepper is None else self.stepper.x

    def shown_loss(self) -> float:
        """Return J at the current x."""
        return math.nan if self.stepper is None else self.stepper.loss

    # --- defaults ------------------------------------------------------------------------------
    def _fill_defaults(self) -> None:
        network = self.doc.network
        state = self.doc.state
        if self.model is not None:
            scaling = self.model.input_scaling
            self.lower_field.setText(display(scaling.scaled_low, EXACT))
            self.upper_field.setText(display(scaling.scaled_high, EXACT))
            self.start_field.setText(display((scaling.scaled_low + scaling.scaled_high) / 2, EXACT))
            input_line, output_line = self.model.scaling_lines()
            self.physics_label.setText(
                f"Surrogate of: {self.model.label}. Bounds are the physical range of "
                f"{self.model.input_name}.\n{input_line}\n{output_line}"
            )
        else:
            self.start_field.setText(", ".join("0" for _ in range(network.input_size)))
            self.physics_label.setText(
                "No physical model is known for this network: x and y are in the network's own units."
            )
        self._data_changed()
        if state.sample_y is not None and state.sample_x is not None:
            self.target_field.setText(", ".join(display(v, EXACT) for v in state.sample_y))
            self.true_x = np.array(state.sample_x, dtype=np.float64)

    def _data_changed(self) -> None:
        state = self.doc.state
        rows = 0 if state.dataset_y is None else len(state.dataset_y)
        self.row.setRange(1, max(rows, 1))
        for widget in (self.row, self.noise, self.seed, self.use_row_button):
            widget.setEnabled(rows > 0)

    def _target_typed(self, _text: str) -> None:
        self.true_x = None  # typed outputs: the true input is not known

    def _network_changed(self, *_args: object) -> None:
        self.reset()

    # --- gestures ------------------------------------------------------------------------------
    def use_row(self) -> None:
        """Fill y with a row of the data set (plus seeded noise) and remember the row's x as the truth."""
        state = self.doc.state
        if state.dataset_y is None or state.dataset_x is None:
            return
        index = self.row.value() - 1
        y = np.array(state.dataset_y[index], dtype=np.float64)
        if self.noise.value():
            y = y + np.random.default_rng(self.seed.value()).normal(0.0, self.noise.value(), y.shape)
        self.target_field.setText(", ".join(display(v, EXACT) for v in y))
        self.true_x = np.array(state.dataset_x[index], dtype=np.float64)
        self.reset(keep_truth=True)

    def reset(self, keep_truth: bool = True) -> bool:
        """Start again from the start x as typed; return False, saying why, if a field is wrong."""
        if not keep_truth:
            self.true_x = None
        try:
            target, start, settings = self._read_fields()
            self.stepper = InverseStepper(self.doc.network.copy(), target, start, settings)
        except ValueError as error:
            self.stepper = None
            self.message.show_text(sentence_case(str(error)))
            self._show()
            return False
        self.message.show_text("")
        self.stage_index = 0
        self.status = "at the start"
        self._show()
        return True

    def step(self) -> None:
        """Show the next stage; after the update stage, apply the update and start the next iteration."""
        if self.stepper is None and not self.reset():
            return
        assert self.stepper is not None
        if self.stage_index < len(self.stepper.stages) - 1:
            self.stage_index += 1
        else:
            self.stepper.advance()
            self.stage_index = 0
            self.status = f"{self.stepper.iterations} iterations"
        self._show()

    def step_back(self) -> None:
        """Show the previous stage of this iteration."""
        if self.stepper is not None and self.stage_index > 0:
            self.stage_index -= 1
            self._show()

    def show_stage(self, kind: str) -> None:
        """Show the first stage of this kind (e.g. "input_error") in the current iteration."""
        if self.stepper is None:
            return
        for index, stage in enumerate(self.stepper.stages):
            if stage.kind == kind:
                self.stage_index = index
                self._show()
                return

    def iterate(self) -> None:
        """Apply one whole update x ← Π(x − η e^(0)) and show the new iteration's first stage."""
        if self.stepper is None and not self.reset():
            return
        assert self.stepper is not None
        self.stepper.advance()
        self.stage_index = 0
        self.status = f"{self.stepper.iterations} iterations"
        self._show()

    def run(self) -> None:
        """Iterate from the current x until converged or the step limit; show the last iteration."""
        if self.stepper is None and not self.reset():
            return
        assert self.stepper is not None
        result = self.stepper.run()
        self.stage_index = len(self.stepper.stages) - 1
        self.status = {
            "converged": f"converged after {self.stepper.iterations} iterations",
            "step limit": f"step limit reached after {self.stepper.iterations} iterations (not converged)",
            "diverged": "diverged: J stopped being finite; try a smaller step size",
        }.get(result.reason, result.reason)
        self._show()

    # --- fields --------------------------------------------------------------------------------
    def _read_fields(self) -> tuple[np.ndarray, np.ndarray, InverseSettings]:
        network = self.doc.network
        n_in, n_out = network.input_size, network.output_size
        target = np.array(parse_field_numbers(self.target_field.text(), n_out, "y"), dtype=np.float64)
        start = np.array(parse_field_numbers(self.start_field.text(), n_in, "start x"), dtype=np.float64)
        lower = self._bound(self.lower_field.text(), n_in, "lower bound")
        upper = self._bound(self.upper_field.text(), n_in, "upper bound")
        rate = parse_number(self.rate_field.text())
        tolerance = parse_number(self.tol_field.text())
        settings = InverseSettings(rate, self.steps_box.value(), tolerance, lower, upper)
        settings.validate(n_in)
        return target, start, settings

    @staticmethod
    def _bound(text: str, count: int, name: str) -> np.ndarray | None:
        if not text.strip():
            return None
        parts = [part for part in text.replace(",", " ").split() if part]
        if len(parts) == 1:
            return np.full(count, parse_number(parts[0]))
        return np.array(parse_field_numbers(text, count, name), dtype=np.float64)

    # --- showing -------------------------------------------------------------------------------
    def _show(self) -> None:
        stepper = self.stepper
        for button in (self.back_button, self.step_button, self.iterate_button, self.run_button):
            button.setEnabled(stepper is not None)
        if stepper is None:
            self.stage_title.setText("")
            self.equation.setHtml("")
            self.result_label.setText("")
            return
        self.back_button.setEnabled(self.stage_index > 0)
        stage = stepper.stages[self.stage_index]
        count = len(stepper.stages)
        self.stage_title.setText(
            f"Iteration {stepper.iterations + 1}, stage {self.stage_index + 1} / {count}: "
            + notation_unicode(stage.title)
        )
        self.equation.setHtml(self._stage_html())
        self.result_label.setText(self._result_text())
        self._plot()

    def _stage_html(self) -> str:
        assert self.stepper is not None
        stage = self.stepper.stages[self.stage_index]
        text = self.palette().color(QPalette.ColorRole.Text).name()
        parts = [f'<p style="margin: 0 0 8px 0; font-size: 120%;"><b>{notation_html(stage.title)}</b></p>']
        for formula in stage.formulas:
            parts.append(
                f'<p style="margin: 2px 0 2px 16px; font-size: 120%;"><i>{notation_html(formula)}</i></p>'
            )
        for equation in stage.equations:
            parts.append('<div style="margin-top: 10px;">')
            parts.append(equation_html(equation, MAX_SHOWN, MAX_SHOWN, 6, colour=text))
            parts.append("</div>")
        return f'<div style="color: {text};">' + "".join(parts) + "</div>"

    def result_text(self) -> str:
        """Return the line that reports x, J and, for a surrogate, the physical input."""
        return self.result_label.text()

    def _result_text(self) -> str:
        assert self.stepper is not None
        x, loss = self.stepper.x, self.stepper.loss
        lines = [
            f"x = {display_values(x, DETAIL_DIGITS)}   J = {display(loss, DETAIL_DIGITS)}   ({self.status})"
        ]
        if self.model is not None:
            scaling = self.model.input_scaling
            name, unit = self.model.input_name, self.model.input_unit
            physical = float(scaling.to_physical(x)[0])
            line = f"recovered {name} = {display(physical, DETAIL_DIGITS)} {unit}"
            if self.true_x is not None and self.true_x.shape == x.shape:
                true = float(scaling.to_physical(self.true_x)[0])
                error = f"{100 * (physical - true) / true:+.2f}".replace("-", "−")
                line += f"   (true {name} = {display(true, DETAIL_DIGITS)} {unit}, error {error}%)"
            lines.append(line)
        elif self.true_x is not None and self.true_x.shape == x.shape:
            lines.append(f"true x = {display_values(self.true_x, DETAIL_DIGITS)}")
        return "\n".join(lines)

    def _plot(self) -> None:
        assert self.stepper is not None
        colours = plot_colors(self.palette())
        steps = np.arange(len(self.stepper.xs), dtype=np.float64)
        set_log_data(self.loss_curve, steps, np.array(self.stepper.losses))
        xs = np.array(self.stepper.xs)
        label = "x"
        if self.model is not None:
            xs = self.model.input_scaling.to_physical(xs)
            label = f"{self.model.input_name} ({self.model.input_unit})"
        self.x_plot.getPlotItem().setLabel("left", label)
        while len(self.x_curves) < xs.shape[1]:
            self.x_curves.append(self.x_plot.plot(pen=pen(colours.hue(len(self.x_curves)))))
        for j, curve in enumerate(self.x_curves):
            curve.setData(steps, xs[:, j])
        for line in self.true_lines:
            self.x_plot.removeItem(line)
        self.true_lines = []
        if self.true_x is not None and self.true_x.shape == self.stepper.x.shape:
            truth = self.true_x if self.model is None else self.model.input_scaling.to_physical(self.true_x)
            for value in truth:
                line = pg.InfiniteLine(
                    float(value), angle=0, pen=pen(muted_color(self.palette()), 1.5, Qt.PenStyle.DashLine)
                )
                self.x_plot.addItem(line)
                self.true_lines.append(line)
