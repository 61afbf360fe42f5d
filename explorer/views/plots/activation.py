"""The activation panel: g(z) above g'(z) for one layer, with each neuron placed at its current z.

The layer follows the selection (an edge: its layer; a neuron: its layer, the input layer counting as
layer 1), else the current stage's layer; the combo box picks another. Neurons appear once the stage
has computed z^(k), like the numbers on the graph. Functions that jump at z = 0 (step and sign, and
the derivatives of ReLU and leaky ReLU) are drawn as a jump: a dashed riser, a filled dot at the value
taken at 0 and an open dot at the limit not taken (activation_jump finds and draws it).
Under the plots, a values table lists the first few neurons (the selected one in the last place) with
the colour of each neuron's dot, and a note explains what the layer's activation does to δ.
While the panel is hidden (a tab behind another) it only notes that it is out of date, and redraws
when shown; its plot items are made once and updated, not made afresh on every new trace.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable

import numpy as np
import pyqtgraph as pg
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from explorer.document.document import Document
from explorer.document.selection import Selection
from explorer.engine.activations import Activation, get_activation
from explorer.text.notation import display, notation_html, subscript, superscript
from explorer.views.plots.activation_jump import Jump, piecewise
from explorer.views.plots.style import (
    PlotColors,
    PlotPanel,
    make_plot,
    note_label,
    pen,
    plot_font,
    style_plot,
)

MAX_LISTED = 5  # neurons listed with their values under the plots; the others have tooltips


def neuron_name(symbol: str, layer: int, index: int) -> str:
    """Return e.g. z₁⁽²⁾ for symbol z, layer 2, neuron index 0 (neurons count from 1 on screen)."""
    return f"{symbol}{subscript(index + 1)}{superscript(f'({layer})')}"


def listed_neurons(count: int, selection: Selection, layer: int) -> list[int]:
    """Return the neurons the table lists out of `count`: the first few, and the selected one."""
    listed = list(range(min(count, MAX_LISTED)))
    if selection.kind == "neuron" and selection.layer == layer and MAX_LISTED <= selection.i < count:
        listed[-1] = selection.i
    return listed


def marker_colour(index: int, listed: list[int], colours: PlotColors, softmax: bool) -> QColor:
    """Return the colour of neuron `index`'s dot (and of its dot in the values table)."""
    if softmax:
        return colours.hue(index)  # the colour of the neuron's own curve
    if index in listed:
        # Skip the two hues of the g and g' curves so the dots stand out on them.
        return colours.hue(2 + listed.index(index))
    other = QColor(colours.muted)
    other.setAlpha(170)  # unlisted neurons stay in the background
    return other


def values_html(
    markers: list[tuple[float, float, float]],
    listed: list[int],
    chosen: int | None,
    colours: PlotColors,
    softmax: bool,
) -> str:
    """Return a table of z, a and g'(z) for the listed neurons, under the plots so it covers nothing."""
    rows = [
        ("z", 0, False),
        ("a = g(z)" if not softmax else "a", 1, False),
        ("g′(z)" if not softmax else "∂a<sub>i</sub>/∂z<sub>i</sub>", 2, True),
    ]
    cell = 'style="padding: 1px 12px 1px 0px; white-space: nowrap;"'
    header = [f"<td {cell}>neuron</td>"]
    for i in listed:
        dot = f'<span style="color: {marker_colour(i, listed, colours, softmax).name()};">●</span>'
        name = f"<b>{i + 1}</b>" if i == chosen else f"{i + 1}"  # bold: the selected neuron
        header.append(f"<td {cell}>{dot}&nbsp;{name}</td>")
    lines = ["<tr>" + "".join(header) + "</tr>"]
    for label, column, bold in rows:
        values = [display(markers[i][column]) for i in listed]
        if bold:
            label, values = f"<b>{label}</b>", [f"<b>{v}</b>" for v in values]
        lines.append(
            f"<tr><td {cell}>{label}</td>" + "".join(f"<td {cell}>{v}</td>" for v in values) + "</tr>"
        )
    return f'<table style="color: {colours.text.name()};" cellspacing="0">' + "".join(lines) + "</table>"


def explanation(activation: str, k: int, revealed: bool, count: int) -> str:
    """Return the note under the plots for layer k's activation, or "" when there is nothing to say."""
    parts = []
    if not revealed:
        z_name = f"z{superscript(f'({k})')}"
        parts.append(f"Step to layer {k}'s linear step (or press End) to place the neurons at {z_name}.")
    elif count > MAX_LISTED:
        parts.append(f"{count} neurons, {MAX_LISTED} listed: hover a grey dot for the others.")
    if activation in ("step", "sign"):
        parts.append(
            "g′ = 0 wherever it exists (at z = 0 the jump has none), so δ = g′ ⊙ e = 0: "
            "no gradient passes back through this layer."
        )
    elif activation == "softmax":
        parts.append(
            "Softmax couples its neurons: each curve moves one z<sub>i</sub> with the others held. "
            "The lower plot is the Jacobian's diagonal ∂a<sub>i</sub>/∂z<sub>i</sub> = "
            "a<sub>i</sub>(1 − a<sub>i</sub>); the off-diagonal terms −a<sub>i</sub>a<sub>j</sub> "
            "also enter δ."
        )
    elif activation == "sigmoid":
        parts.append(
            "σ′ ≤ 0.25: on the way back each sigmoid layer multiplies the error by a quarter or less "
            "(before the weights), so δ fades in deep sigmoid networks."
        )
    return " ".join(parts)


def tip_text(markers: list[tuple[float, float, float]], k: int, index: int) -> str:
    """Return the tooltip of neuron `index`'s dot in layer k: its z, a and g'(z), or "" if out of range."""
    if not 0 <= index < len(markers):
        return ""
    z, g, prime = markers[index]
    return (
        f"{neuron_name('z', k, index)} = {display(z)}\n"
        f"{neuron_name('a', k, index)} = {display(g)}\ng′(z) = {display(prime)}"
    )


Z_HALF_RANGE = 6.0
SAMPLES = 801
REFERENCES = {
    "sigmoid": (0.25, "σ′(0) = 0.25, the largest slope"),
    "tanh": (1.0, "tanh′(0) = 1, the largest slope"),
}


class ActivationPlot(PlotPanel):
    """Show g and g' of the chosen layer's activation with its neurons' current z marked on both."""

    def __init__(self, document: Document, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("activation_plot")
        self.doc = document
        self._layer = 1
        self._markers: list[tuple[float, float, float]] = []
        self._softmax_curves: list[tuple[pg.PlotDataItem, pg.PlotDataItem]] = []  # the ones in use
        self._softmax_pool: list[tuple[pg.PlotDataItem, pg.PlotDataItem]] = []
        self._marker_styles: dict[tuple, tuple] = {}  # (colour, chosen) -> (brush, pen), per palette
        self._stale = False

        self.layer_box = QComboBox()
        self.layer_box.setObjectName("activation_layer")
        self.layer_box.setToolTip("The layer whose activation is shown (follows the selection and the stage)")
        self.formula = QLabel()
        self.formula.setTextFormat(Qt.TextFormat.RichText)
        self.formula.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note = note_label()
        self.note.setObjectName("activation_note")

        self.g_plot = make_plot("", "g(z)")
        self.prime_plot = make_plot("z", "g′(z)")
        self.prime_plot.setXLink(self.g_plot)
        self.g_curve = self.g_plot.plot()
        self.prime_curve = self.prime_plot.plot()
        self.g_jump = Jump(self.g_plot)
        self.prime_jump = Jump(self.prime_plot)
        # The tooltip callback holds the panel weakly: a bound method would make a reference cycle
        # that the garbage collector could break in the middle of a paint.
        tip = _weak_tip(self)
        self.g_markers = pg.ScatterPlotItem(size=11, hoverable=True, tip=tip)
        self.prime_markers = pg.ScatterPlotItem(size=11, hoverable=True, tip=tip)
        self.g_plot.addItem(self.g_markers)
        self.prime_plot.addItem(self.prime_markers)
        self.g_markers.setZValue(10)
        self.prime_markers.setZValue(10)
        # The dashed line at g′'s largest value (sigmoid, tanh, softmax); hidden for the others.
        self.reference = pg.InfiniteLine(angle=0, movable=False, label="", labelOpts={"position": 0.98})
        self.reference.label.anchors = [(1, 1), (1, 1)]
        self.reference.label.setFont(plot_font(10))
        self.reference.hide()
        # The label points back at its line: a reference cycle that the garbage collector broke
        # after Qt had deleted the scene, which crashed the interpreter. A weak back-reference
        # lets the line go with the panel instead.
        self.reference.label.line = weakref.proxy(self.reference)
        self.prime_plot.addItem(self.reference, ignoreBounds=True)
        self.values = note_label()
        self.values.setObjectName("activation_values")
        self.values.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        top = QHBoxLayout()
        top.addWidget(self.layer_box)
        top.addWidget(self.formula, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.g_plot, 1)
        layout.addWidget(self.prime_plot, 1)
        layout.addWidget(self.values)
        layout.addWidget(self.note)

        self.layer_box.activated.connect(self._layer_picked)
        document.selection_changed.connect(self.follow)
        document.stage_changed.connect(self.follow)
        document.structure_changed.connect(self._structure_changed)
        document.trace_changed.connect(self.refresh)
        self._fill_layer_box()
        self._ready = True
        self.restyle()
        self.follow()

    # --- reading (for tests) -----------------------------------------------------------
    @property
    def layer(self) -> int:
        """Return the layer k shown."""
        return self._layer

    def markers(self) -> list[tuple[float, float, float]]:
        """Return (z, g(z), g'(z)) of each neuron marked, in neuron order (empty before z is known)."""
        self.flush()
        return list(self._markers)

    @property
    def _references(self) -> list[pg.InfiniteLine]:
        """Return the reference lines shown (at most one)."""
        self.flush()
        return [self.reference] if self.reference.isVisible() else []

    def flush(self) -> None:
        """Redraw now if the panel skipped a redraw while hidden."""
        self.catch_up()

    # --- choosing the layer ------------------------------------------------------------
    def auto_layer(self) -> int:
        """Return the layer the selection or, failing that, the current stage points at."""
        selection = self.doc.selection
        if selection.kind in ("neuron", "edge"):
            return max(1, selection.layer)
        return max(1, min(self.doc.stage.layer, self.doc.network.num_layers))

    def follow(self, *_args: object) -> None:
        """Show the layer of the selection or stage."""
        self.set_layer(self.auto_layer())

    def set_layer(self, k: int) -> None:
        """Show layer k."""
        self._layer = max(1, min(int(k), self.doc.network.num_layers))
        self.layer_box.setCurrentIndex(self._layer - 1)
        self.refresh()

    def _layer_picked(self, index: int) -> None:
        self.set_layer(index + 1)

    def _fill_layer_box(self) -> None:
        self.layer_box.clear()
        for k, layer in enumerate(self.doc.network.layers, start=1):
            self.layer_box.addItem(f"Layer {k}: {layer.activation}")

    def _structure_changed(self) -> None:
        self._fill_layer_box()
        self.follow()

    # --- drawing -----------------------------------------------------------------------
    def refresh(self) -> None:
        """Redraw the curves and markers of the layer shown (once shown, if the panel is hidden)."""
        network, k = self.doc.network, self._layer
        if k > network.num_layers:
            self._structure_changed()
            return
        name = network.layer(k).activation
        self.layer_box.setItemText(k - 1, f"Layer {k}: {name}")
        self.redraw_when_shown()

    def _redraw(self) -> None:
        self._stale = False
        network, k = self.doc.network, self._layer
        if k > network.num_layers:
            self._structure_changed()
            return
        activation = get_activation(network.layer(k).activation)
        revealed = ("z", k) in self.doc.revealed
        z = np.asarray(self.doc.trace.zs[k], dtype=float) if revealed else np.empty(0)
        finite = z[np.isfinite(z)]
        low, high = -Z_HALF_RANGE, Z_HALF_RANGE
        if len(finite):
            low, high = min(low, finite.min()), max(high, finite.max())
            margin = 0.08 * (high - low)
            low, high = low - margin, high + margin
        grid = np.union1d(np.linspace(low, high, SAMPLES), [0.0])  # 0 on the grid keeps a kink sharp
        self.formula.setText(
            f"{notation_html(activation.formula)} &nbsp;&nbsp; {notation_html(activation.prime_formula)}"
        )
        softmax = activation.name == "softmax"
        self.g_plot.setLabel("left", "aᵢ(zᵢ)" if softmax else "g(z)")
        self.prime_plot.setLabel("left", "∂aᵢ/∂zᵢ" if softmax else "g′(z)")
        self.prime_plot.setLabel("bottom", "zᵢ" if softmax else "z")
        if softmax:
            self._draw_softmax(grid, z, k)
        else:
            self._draw_elementwise(activation, grid, z, k)
        self.g_plot.setXRange(low, high, padding=0.02)
        self._place_labels(k)
        self._explain(activation, k, revealed)

    def _draw_elementwise(self, activation: Activation, grid: np.ndarray, z: np.ndarray, k: int) -> None:
        with np.errstate(over="ignore"):
            x, y, jump = piecewise(activation.fn, grid)
            self.g_curve.setData(x, y, connect="finite")
            self.g_jump.show(jump)
            x, y, jump = piecewise(activation.prime, grid)
            self.prime_curve.setData(x, y, connect="finite")
            self.prime_jump.show(jump)
            g = np.asarray(activation.fn(z), dtype=float)
            prime = np.asarray(activation.prime(z), dtype=float)
        self._markers = [(float(a), float(b), float(c)) for a, b, c in zip(z, g, prime)]
        top = float(np.nanmax(y)) if len(y) else 1.0
        self._use_softmax_curves(0)
        reference = REFERENCES.get(activation.name)
        self._set_reference(reference)
        if reference is not None:
            top = max(top, reference[0])
        bottom = min(float(np.nanmin(y)) if len(y) else 0.0, 0.0)
        if top - bottom < 1e-9:
            # A flat g' (0 for step and sign, 1 for linear) sits mid-axis, clearly flat.
            bottom, top = top - 1.0, top + 1.0
        span = top - bottom
        self.prime_plot.setYRange(bottom - 0.08 * span, top + 0.25 * span, padding=0)
        self.g_plot.enableAutoRange(axis="y")

    def _draw_softmax(self, grid: np.ndarray, z: np.ndarray, k: int) -> None:
        # a_i as z_i varies with every other z_j held: σ(z_i − log Σ_{j≠i} e^{z_j}).
        self.g_curve.setData([], [])
        self.prime_curve.setData([], [])
        self.g_jump.show(None)
        self.prime_jump.show(None)
        colours = self.colours()
        markers = []
        known = len(z) and np.all(np.isfinite(z))
        self._use_softmax_curves(len(z) if known else 0)
        if known:
            a = get_activation("softmax").fn(z)
            for i, (g_item, p_item) in enumerate(self._softmax_curves):
                others = np.delete(z, i)
                shift = -np.inf  # log Σ_{j≠i} e^{z_j}, shifted by the maximum so it never overflows
                if len(others):
                    shift = np.log(np.sum(np.exp(others - others.max()))) + others.max()
                with np.errstate(over="ignore"):
                    curve = 1.0 / (1.0 + np.exp(shift - grid))
                colour = colours.hue(i)
                g_item.setData(grid, curve, pen=pen(colour, 2.5))
                p_item.setData(grid, curve * (1 - curve), pen=pen(colour, 2.5))
                markers.append((float(z[i]), float(a[i]), float(a[i] * (1 - a[i]))))
        self._markers = markers
        self._set_reference((0.25, "largest a(1 − a) = 0.25, at a = ½"))
        self.prime_plot.setYRange(-0.03, 0.3, padding=0)
        self.g_plot.setYRange(-0.05, 1.05, padding=0)

    def _set_reference(self, reference: tuple[float, str] | None) -> None:
        """Show the dashed reference line at (value, text), or hide it."""
        if reference is None:
            self.reference.hide()
            return
        value, text = reference
        self.reference.show()  # first: a hidden line's label ignores a new text
        if self.reference.value() != value:
            self.reference.setValue(value)
        if self.reference.label.textItem.toPlainText() != text:
            self.reference.label.setFormat(text)

    def _use_softmax_curves(self, count: int) -> None:
        """Keep `count` pairs of softmax curves in the plots (made once, then reused)."""
        while len(self._softmax_pool) < count:
            pair = (self.g_plot.plot(), self.prime_plot.plot())
            self._softmax_pool.append(pair)
        for index, (g_item, p_item) in enumerate(self._softmax_pool):
            g_item.setVisible(index < count)
            p_item.setVisible(index < count)
        self._softmax_curves = self._softmax_pool[:count]

    def listed(self) -> list[int]:
        """Return the neurons whose values the table lists: the first few, and the selected one."""
        return listed_neurons(len(self._markers), self.doc.selection, self._layer)

    def _place_labels(self, k: int) -> None:
        colours = self.colours()
        selection = self.doc.selection
        chosen = selection.i if selection.kind == "neuron" and selection.layer == k else None
        listed = self.listed()
        order = list(range(len(self._markers)))
        if chosen is not None and chosen < len(order):
            # The selected neuron last, so it is drawn on top of any neighbour at a similar z.
            order.append(order.pop(chosen))
        softmax = bool(self._softmax_curves)
        brushes, pens, sizes = [], [], []
        for i in order:
            brush, outline = self._marker_style(marker_colour(i, listed, colours, softmax), i == chosen)
            brushes.append(brush)
            pens.append(outline)
            sizes.append(17 if i == chosen else (12 if i in listed or self._softmax_curves else 9))
        values = np.array([self._markers[i] for i in order], dtype=float).reshape(-1, 3)
        for markers, column in ((self.g_markers, 1), (self.prime_markers, 2)):
            markers.setData(
                x=values[:, 0], y=values[:, column], data=order, brush=brushes, pen=pens, size=sizes
            )
        self.values.setText(values_html(self._markers, listed, chosen, colours, softmax))
        self.values.setVisible(bool(listed))

    def _marker_style(self, colour: QColor, chosen: bool) -> tuple:
        """Return the brush and outline pen of a dot, made once per colour and kept.

        pyqtgraph draws each dot's picture once per brush and pen *object*: new ones on every
        trace would redraw every dot's picture (and grow its atlas) at each live update.
        """
        key = (colour.rgba(), chosen)
        style = self._marker_styles.get(key)
        if style is None:
            style = (pg.mkBrush(colour), pen(self.colours().text, 2.5 if chosen else 1.2))
            self._marker_styles[key] = style
        return style

    def _explain(self, activation: Activation, k: int, revealed: bool) -> None:
        text = explanation(activation.name, k, revealed, len(self._markers))
        self.note.setText(text)
        self.note.setVisible(bool(text))

    def _tip(self, x: float, y: float, data: int) -> str:
        return tip_text(self._markers, self._layer, data)

    def restyle(self) -> None:
        """Apply palette colours to the plots and curves."""
        colours = self.colours()
        for plot in (self.g_plot, self.prime_plot):
            style_plot(plot, colours)
        self.g_curve.setPen(pen(colours.hue(0), 3))
        self.prime_curve.setPen(pen(colours.hue(1), 3))
        self.g_jump.restyle(colours.hue(0), colours.background)
        self.prime_jump.restyle(colours.hue(1), colours.background)
        self.note.setStyleSheet(f"color: {colours.muted.name()};")
        self._marker_styles = {}  # outlines take the palette's text colour
        self.reference.setPen(pen(colours.faint(120), 1.2, Qt.PenStyle.DashLine))
        self.reference.label.setColor(colours.muted)
        self.refresh()


def _weak_tip(panel: ActivationPlot) -> Callable[[float, float, int], str]:
    ref = weakref.ref(panel)

    def tip(x: float, y: float, data: int) -> str:
        target = ref()
        return "" if target is None else target._tip(x, y, data)

    return tip
