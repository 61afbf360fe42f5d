"""The network graph fitted to windows of the sizes a class sees: deep, tall and lecture networks stay
legible and nothing overlaps.

Sizes: the graph of the main window at its default 1600 × 1000 (about 813 × 560) and the graph of a
slide (1584 × 570). Checks are geometric (what the view draws where), so they hold for any numbers.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRectF

from explorer.document.document import Document
from explorer.document.selection import NOTHING, Selection
from explorer.files import examples, reader
from explorer.views.graph.label_fit import View, choose_shape, reshape
from explorer.views.graph.layout import GraphLayout, Shape, label_spacing, split_rows
from explorer.views.graph.neurons import NUMBER_PX
from explorer.views.graph.overlay import HeadingItem
from explorer.views.graph.text import Facts, heading_variants
from explorer.views.graph.view import NetworkGraphView

WINDOW, SLIDE = (813, 560), (1584, 570)
EXAMPLES = [
    "deep-sigmoid-chain",
    "deep-relu-chain",
    "sine-1-8-1",
    "softmax-blobs-2-4-3",
    "lecture-2-2-2",
    "xor-2-2-1",
    "step-activation",
]


def fitted(qtbot, name: str, size: tuple[int, int], last: bool = True) -> tuple[NetworkGraphView, Document]:
    document = Document(reader.load(examples.EXAMPLES_DIR / f"{name}.mlp.json"))
    view = NetworkGraphView(document)
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    if last:
        document.run_to_end()
    return view, document


def on_screen(view: NetworkGraphView, rect: QRectF) -> QRectF:
    return view.mapFromScene(rect).boundingRect().toRectF()


def area(a: QRectF, b: QRectF) -> float:
    common = a.intersected(b)
    return max(common.width(), 0.0) * max(common.height(), 0.0)


def assert_nothing_overlaps(view: NetworkGraphView, document: Document) -> None:
    sizes = document.network.sizes
    neurons = [(k, i) for k, n in enumerate(sizes) for i in range(n)]
    drawn = {neuron: view.neuron_rects(*neuron) for neuron in neurons}
    for a in neurons:
        for b in neurons:
            if a < b:
                for ra in drawn[a]:
                    for rb in drawn[b]:
                        assert area(ra, rb) < 0.5, (a, b, ra, rb)
    labels = view.shown_edge_labels()
    rects = {edge: view.edge_label_rect(*edge) for edge in labels}
    for a in labels:
        for b in labels:
            if a < b:
                assert not rects[a].intersects(rects[b]), (a, b)
        covered = sum(area(rects[a], r) for neuron in neurons for r in drawn[neuron])
        assert covered <= 0.02 * rects[a].width() * rects[a].height(), a
    headings = [view.heading_rect(k) for k in range(len(sizes))]
    viewport = QRectF(view.viewport().rect())
    everything = [on_screen(view, r) for neuron in neurons for r in drawn[neuron]]
    for k, heading in enumerate(headings):
        assert viewport.contains(heading), (k, heading)
        for other in headings[k + 1 :]:
            assert not heading.intersects(other), (k, view.heading_text(k))
        for rect in everything:
            assert area(heading, rect) < 0.5, (k, view.heading_text(k), rect)
    for rect in everything:
        assert viewport.contains(rect), rect


# --- the views a class sees ---------------------------------------------------------------------
@pytest.mark.parametrize("size", [WINDOW, SLIDE])
@pytest.mark.parametrize("name", EXAMPLES)
def test_at_fit_every_number_shows_headings_are_whole_and_nothing_overlaps(qtbot, name, size):
    view, document = fitted(qtbot, name, size)
    for k, n in enumerate(document.network.sizes):
        for i in range(n):
            assert "=" in view.neuron_text(k, i), (k, i)  # its numbers, not only its name
        assert "…" not in view.heading_text(k)
    assert_nothing_overlaps(view, document)


# 9 px, not 10, in the window sizes: at the update stage every weight and bias now shows "old → new"
# with the digits that tell them apart (a vanishing gradient needs ten of them), and the fit makes
# room for those labels too.
@pytest.mark.parametrize(("size", "pixels"), [(WINDOW, 9.0), ((811, 608), 9.0), (SLIDE, 11.0)])
def test_the_deep_chain_fills_the_view_with_legible_numbers(qtbot, size, pixels):
    view, document = fitted(qtbot, "deep-sigmoid-chain", size)
    scale = view.transform().m11()
    assert NUMBER_PX * scale >= pixels  # it was 3 px in the window, 6.5 px on a slide
    layout = view.graph_layout()
    # 13 columns in two rows (three in a small window, for the update stage's longer labels), each
    # row after the first led by a copy of the last layer of the row before.
    assert len(layout.rows) in (2, 3)
    box = on_screen(
        view,
        QRectF(
            layout.content_rect().left,
            layout.content_rect().top,
            layout.content_rect().width,
            layout.content_rect().height,
        ),
    )
    used = box.bottom() - view.heading_rect(1).top()  # from the first row's headings down
    assert used > 0.6 * view.viewport().height()  # it used a tenth
    assert box.width() > 0.85 * view.viewport().width()
    lines = view.neuron_text(12, 0).splitlines()
    assert lines[0] == "ŷ₁" and any(line.startswith("δ = ") for line in lines)
    for k in range(1, 12):
        assert view.heading_text(k).startswith(f"Layer {k}\n")


def test_the_chain_headings_shorten_to_whole_words_in_a_narrow_window(qtbot):
    view, document = fitted(qtbot, "deep-sigmoid-chain", (640, 560))
    spacing = view.graph_layout().column_spacing * view.transform().m11()
    for k in range(1, 12):
        heading = view.heading_text(k)
        assert "…" not in heading and (heading.startswith(f"Layer {k}") or heading.startswith(f"L{k}"))
        assert view.heading_rect(k).width() <= spacing
    assert "J = " in view.heading_text(12)


def test_a_tall_network_puts_its_numbers_beside_the_circles(qtbot):
    view, document = fitted(qtbot, "sine-1-8-1", WINDOW)
    layout = view.graph_layout()
    assert layout.beside
    assert NUMBER_PX * view.transform().m11() >= 10.0  # 4.5 px under the circles, so hidden
    x, y = layout.neuron(1, 3)
    numbers = view.neuron_rects(1, 3)[-1]
    assert numbers.left() > x and numbers.top() < y < numbers.bottom()


def test_numbers_beside_a_circle_select_their_neuron(qtbot):
    from tests.test_graph_view import click

    view, document = fitted(qtbot, "sine-1-8-1", WINDOW)
    assert view.graph_layout().beside
    for i in (0, 3, 7):
        grid = view.neuron_rects(1, i)[-1]  # b with y, z with a, e with δ, right of the circle
        for point in (grid.center(), grid.adjusted(4, 4, -4, -4).bottomRight()):
            document.select(NOTHING)
            click(view, point)
            assert document.selection == Selection.neuron(1, i), (i, point)
            assert f"Neuron {i + 1} of layer 1" in view.tooltip_at(point)


@pytest.mark.parametrize("size", [WINDOW, SLIDE, (1000, 650), (700, 500)])
def test_the_lecture_network_keeps_its_layout_and_every_label(qtbot, size):
    view, document = fitted(qtbot, "lecture-2-2-2", size)
    layout = view.graph_layout()
    assert (len(layout.rows), layout.beside) == (1, False)
    assert layout.column_spacing == label_spacing([2, 2, 2], False) == 400.0
    assert len(view.shown_edge_labels()) == 8
    assert view.view_note() == ""


# --- the lecture network in small windows --------------------------------------------------------
LAPTOP, SMALL = (440, 350), (590, 460)  # the graph of a 1100 × 700 window, and of a slightly larger one
SUB, SUP = str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"), str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def lecture_weights() -> dict[tuple[int, int, int], tuple[float, float]]:
    """Return each weight of the lecture network with its value after one step of η = 0.5, by hand."""
    from tests.test_graph_view import W1, W2, X, Y, hand_forward

    _, a1, _, a2 = hand_forward()
    delta2 = [(a2[i] - Y[i]) * a2[i] * (1 - a2[i]) for i in range(2)]
    delta1 = [(W2[0][j] * delta2[0] + W2[1][j] * delta2[1]) * a1[j] * (1 - a1[j]) for j in range(2)]
    weights = {}
    for i in range(2):
        for j in range(2):
            weights[(1, i, j)] = (W1[i][j], W1[i][j] - 0.5 * delta1[i] * X[j])
            weights[(2, i, j)] = (W2[i][j], W2[i][j] - 0.5 * delta2[i] * a1[j])
    return weights


def weight_label_name(k: int, i: int, j: int) -> str:
    return f"w{str(i + 1).translate(SUB)}{str(j + 1).translate(SUB)}⁽{str(k).translate(SUP)}⁾"


@pytest.mark.parametrize("stage", ["forward", "gradient", "last"])
@pytest.mark.parametrize("size", [LAPTOP, SMALL, WINDOW, SLIDE])
def test_the_lecture_network_labels_every_weight_in_small_windows_too(qtbot, size, stage):
    from tests.test_graph_view import click, shown

    last = stage == "last"
    view, document = fitted(qtbot, "lecture-2-2-2", size, last=last)
    if stage == "forward":
        document.set_stage(document.stepper.index_of("nonlinear", 2))  # the forward pass done
    elif stage == "gradient":
        document.set_stage(document.stepper.index_of("gradient"))  # every ∂J/∂w, no update yet
    labels = view.shown_edge_labels()
    assert len(labels) == 8 and view.view_note() == ""  # it left all 8 out at the laptop's size
    assert view.edge_label_pixels() >= 8.0
    for (k, i, j), (value, new) in lecture_weights().items():
        text = view.edge_label_text(k, i, j)
        assert text.startswith(weight_label_name(k, i, j)), text
        assert (shown(new) if last else f"= {shown(value)}") in text, text  # the update, or the weight
        click(view, view.edge_position(k, i, j))
        assert document.selection == Selection.edge(k, i, j)
    if last and size in (WINDOW, SLIDE):
        assert all("∂J/∂w = " in view.edge_label_text(*edge) for edge in labels)  # room for everything
    for k, n in enumerate(document.network.sizes):
        for i in range(n):
            assert "=" in view.neuron_text(k, i), (k, i)  # the numbers stay on the graph as well
    assert_nothing_overlaps(view, document)


def test_labels_are_shortened_a_line_at_a_time():
    update = ["w₁₂⁽¹⁾ = 0.2 → 0.1998", "∂J/∂w = 0.0004624"]
    assert reshape(update, "full") == update
    assert reshape(update, "one") == ["w₁₂⁽¹⁾ = 0.2 → 0.1998"]
    assert reshape(update, "stack") == ["w₁₂⁽¹⁾ = 0.2", "→ 0.1998"]
    assert reshape(update, "new") == ["w₁₂⁽¹⁾ → 0.1998"]
    assert reshape(update, "tight") == ["w₁₂⁽¹⁾→0.1998"]
    assert reshape(["w₁₂⁽¹⁾ = 0.2"], "tight") == ["w₁₂⁽¹⁾ = 0.2"]  # nothing to shorten before the update


def test_a_crowded_network_says_which_labels_it_left_out(qtbot):
    view, document = fitted(qtbot, "sine-1-8-1", WINDOW)  # 16 weights beside eight columns of numbers
    sizes = document.network.sizes
    edges = {(k, i, j) for k in (1, 2) for i in range(sizes[k]) for j in range(sizes[k - 1])}
    left_out = sorted(edges - set(view.shown_edge_labels()))
    assert left_out and f"{len(left_out)} weight labels left out for room" in view.view_note()
    k, i, j = left_out[0]
    weight = document.network.layer(k).weights[i, j]
    assert f"{weight:.6g}".replace("-", "−") in view.tooltip_at(view.edge_position(k, i, j))  # a hover away


def test_the_wrapped_chain_keeps_every_label_in_the_window(qtbot):
    view, document = fitted(qtbot, "deep-sigmoid-chain", WINDOW)  # it used to leave all 12 out
    assert len(view.shown_edge_labels()) == 12 and view.view_note() == ""
    assert view.edge_label_pixels() >= 8.0
    assert "w₁₁⁽³⁾" in view.edge_label_text(3, 0, 0)
    assert_nothing_overlaps(view, document)


# --- the wrapped chain is still one network ------------------------------------------------------
def test_the_edge_that_wraps_starts_at_the_copy_and_can_be_clicked(qtbot):
    from tests.test_graph_view import click

    view, document = fitted(qtbot, "deep-sigmoid-chain", WINDOW, last=False)
    layout = view.graph_layout()
    k = layout.rows[1][0]  # the first layer of the second row
    (x1, y1), (x2, y2) = layout.edge_ends(k, 0, 0)
    ghost = layout.ghosts[0]
    assert (ghost.column, x1, y1) == (k - 1, ghost.x, float(ghost.ys[0]))
    assert (x2, y2) == layout.neuron(k, 0) and x1 < x2
    click(view, view.edge_position(k, 0, 0))
    assert document.selection == Selection.edge(k, 0, 0)
    click(view, view.mapToScene(view.mapFromScene(x1, y1)))  # the dashed copy selects the real neuron
    assert document.selection == Selection.neuron(k - 1, 0)
    document.set_stage(document.stepper.index_of("linear", k))
    assert (k - 1, 0) in view.highlighted_neurons() and k in view.highlighted_edge_layers()


def test_rows_split_evenly_and_stack_without_touching():
    assert split_rows(13, 1) == [list(range(13))]
    assert split_rows(13, 2) == [list(range(7)), list(range(7, 13))]
    assert split_rows(13, 3) == [[0, 1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]
    assert split_rows(3, 4) == [[0, 1, 2]]  # too few columns to wrap
    layout = GraphLayout([1] * 13, Shape(160.0, 2, 90.0))
    assert [g.column for g in layout.ghosts] == [6]
    bottom_of_first = max(layout.neuron_box(k, 0).bottom for k in layout.rows[0])
    assert layout.row_top(1) == pytest.approx(bottom_of_first + 90.0)
    assert layout.neuron(7, 0)[0] == 160.0 and layout.neuron(6, 0)[0] == 6 * 160.0
    assert layout.neuron_at(layout.ghosts[0].x, float(layout.ghosts[0].ys[0]), 1.0) == (6, 0)


def test_choosing_a_shape_wraps_a_deep_chain_and_leaves_the_lecture_alone():
    view = View(813, 560, lambda scale: 62.0, lambda k, scale, room: (50.0, 50.0))
    assert choose_shape([1] * 13, view, None).rows == 2
    assert choose_shape([1, 8, 1], view, None).beside
    lecture = choose_shape(
        [2, 2, 2], view, lambda shape, scale: (1.0, 1.0) if shape.column_spacing >= 400 else (0.5, 0.5), True
    )
    assert (lecture.rows, lecture.beside, lecture.column_spacing) == (1, False, 400.0)
    assert choose_shape([784, 128, 10], view, None) == Shape()  # big networks keep their layout


# --- headings ------------------------------------------------------------------------------------
def test_heading_variants_shorten_without_eliding(qtbot):
    document = Document(reader.load(examples.EXAMPLES_DIR / "deep-sigmoid-chain.mlp.json"))
    facts = Facts(document.network, document.trace, document.revealed, 1.0)
    variants = heading_variants(facts, 3)
    assert variants[0] == ["Layer 3", "1 · sigmoid · bias"]
    assert ["L3", "1 · σ", "+ bias"] in variants and all(len(v) <= 3 for v in variants)
    assert heading_variants(facts, 12)[0][0] == "Output ŷ = a⁽¹²⁾"
    assert heading_variants(facts, 12, loss=True)[0][-1].startswith("J = ")
    item = HeadingItem([["x"]], None, document_font(qtbot))
    item.set_variants(variants)
    item.set_room(45.0, 45.0)
    assert item.lines() in variants[1:] and item.boundingRect().width() <= 94.0
    item.set_room(20.0, 20.0)
    assert item.lines()[0].startswith("L3") or item.lines()[0].endswith("…")


def document_font(qtbot):
    from PySide6.QtWidgets import QWidget

    widget = QWidget()
    qtbot.addWidget(widget)
    return widget.font()
