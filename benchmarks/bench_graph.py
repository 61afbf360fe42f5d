"""How fast the network graph builds, redraws and follows an edit (off-screen, prints figures).

    python benchmarks/bench_graph.py [--all-edges]

Figures: building the view of a 784-128-10 network (101,632 weights); a full redraw of it into a
1600 × 1000 QImage at fit zoom, zoomed in, and after a stage change; a click's hit test; and for the
lecture's 2-2-2 network the time from commands.edit_weight to a repainted image; and the cost of a
window resize for small networks, which are laid out afresh for the view's proportions (the deep
chain wraps into rows, columns close up; see explorer/views/graph/label_fit.py). Goals: a full
redraw under 60 ms, an edit repainted under 16 ms, a resize (new layout, fit and repaint) under
60 ms. --all-edges also times painting every one of the 101,632 edges with no level of detail
(seconds: the reason the graph paints the strongest few thousand when that many would only fill
the fan solid).
"""

from __future__ import annotations

import os
import statistics
import sys
import time

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402
from PySide6.QtCore import QPointF  # noqa: E402
from PySide6.QtGui import QImage, QPainter  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from explorer.document import commands
from explorer.document.document import Document  # noqa: E402
from explorer.engine.network import Layer, Network  # noqa: E402
from explorer.files import examples, model, reader  # noqa: E402
from explorer.views.graph import edges as graph_edges  # noqa: E402
from explorer.views.graph.view import NetworkGraphView  # noqa: E402

SIZE = (1600, 1000)
REDRAW_GOAL_MS = 60.0
EDIT_GOAL_MS = 16.0
RESIZE_GOAL_MS = 60.0


def big_document() -> Document:
    """Return a 784-128-10 sigmoid network with seeded random weights."""
    rng = np.random.default_rng(0)
    sizes = [784, 128, 10]
    layers = [
        Layer(rng.normal(0.0, 1.0 / np.sqrt(n_in), (n_out, n_in)), np.zeros(n_out), "sigmoid")
        for n_in, n_out in zip(sizes, sizes[1:])
    ]
    network = Network(layers, "half_sse", "784-128-10")
    return Document(model.NetworkFile(network, rng.random(784), np.eye(10)[3]))


def render(view: NetworkGraphView, image: QImage) -> None:
    """Paint the view into the image, as a repaint of the window would."""
    painter = QPainter(image)
    view.render(painter)
    painter.end()


def timed(action, repeats: int) -> tuple[float, float]:
    """Return the median and the best time of `action` in milliseconds."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times)


def line(label: str, median: float, best: float, goal: float | None = None) -> None:
    """Print one figure, with its ratio to the goal when there is one."""
    text = f"  {label:<50} median {median:8.2f} ms   best {best:8.2f} ms"
    if goal is not None:
        text += f"   {median / goal:5.2f} × goal ({goal:g} ms)"
    print(text)


def main() -> None:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    image = QImage(*SIZE, QImage.Format_ARGB32_Premultiplied)
    print(f"Graph benchmark, off-screen, {SIZE[0]} × {SIZE[1]} image, Python {sys.version.split()[0]}")

    document = big_document()
    print(f"784-128-10 network: {document.network.parameter_count():,} parameters")
    views = []

    def build() -> None:
        view = NetworkGraphView(document)
        view.resize(*SIZE)
        view.fit_to_window()
        views.append(view)

    line("build the view (layout, items, fit)", *timed(build, 5))
    view = views[-1]
    print(f"  graphics items in the scene: {len(view.scene().items())}")
    render(view, image)
    line("full redraw at fit zoom", *timed(lambda: render(view, image), 15), REDRAW_GOAL_MS)
    print(f"    edges painted: {view._edges.shown_edges:,} of {view._layout.edge_count():,}")

    stage = [0]

    def next_stage() -> None:
        stage[0] = (stage[0] + 1) % len(document.stages)
        document.set_stage(stage[0])
        render(view, image)

    line("stage change + redraw", *timed(next_stage, 15), REDRAW_GOAL_MS)
    centre = view.neuron_position(1, 64)
    view.zoom_by(6.0, QPointF(view.mapFromScene(centre)))
    label = f"redraw zoomed ×6 on layer 1 (scale {view.transform().m11():.2f})"
    line(label, *timed(lambda: render(view, image), 15), REDRAW_GOAL_MS)
    print(f"    edges painted: {view._edges.shown_edges:,}, all visible ones: {not view._edges.limited}")
    view.fit_to_window()
    point = view.edge_position(1, 64, 400)
    line("hit test of a click (neuron, label, nearest edge)", *timed(lambda: view.selection_at(point), 30))

    def nudge() -> None:
        value = float(document.network.layer(2).weights[3, 5])
        commands.edit_weight(document, 2, 3, 5, value + 0.01, gesture=1)
        app.processEvents()
        render(view, image)

    line("big network: edit (engine recompute) + redraw", *timed(nudge, 10))

    if "--all-edges" in sys.argv:
        budget = graph_edges.EDGE_BUDGET
        dense = graph_edges.DENSE_PIXELS
        graph_edges.EDGE_BUDGET, graph_edges.DENSE_PIXELS = 10**9, 1e-9
        every = timed(lambda: render(view, image), 1)
        line("for reference: every edge painted, no LOD", *every, REDRAW_GOAL_MS)
        graph_edges.EDGE_BUDGET, graph_edges.DENSE_PIXELS = budget, dense

    lecture = Document(reader.load(examples.LECTURE_EXAMPLE))
    lecture.run_to_end()
    small = NetworkGraphView(lecture)
    small.resize(*SIZE)
    small.fit_to_window()
    render(small, image)
    value = [0.15]

    def edit() -> None:
        value[0] += 0.001
        commands.edit_weight(lecture, 1, 0, 0, value[0])
        render(small, image)

    print("lecture 2-2-2 network, last stage (every number and label shown):")
    line("full redraw", *timed(lambda: render(small, image), 30), REDRAW_GOAL_MS)
    line("commands.edit_weight → repainted image", *timed(edit, 50), EDIT_GOAL_MS)
    app.processEvents()

    print("window resizes (about 813 × 560 growing, as a drag would), last stage:")
    for name, document in resize_documents():
        line(name, *resize_times(app, document), RESIZE_GOAL_MS)


def resize_documents() -> list[tuple[str, Document]]:
    """Return the deep sigmoid chain, the lecture network and a 3-5-5-5-3 network (80 weights)."""
    rng = np.random.default_rng(1)
    sizes = [3, 5, 5, 5, 3]
    layers = [Layer(rng.normal(size=(b, a)), np.zeros(b), "tanh") for a, b in zip(sizes, sizes[1:])]
    wide = Document(model.NetworkFile(Network(layers), rng.random(3), rng.random(3)))
    chain = Document(reader.load(examples.EXAMPLES_DIR / "deep-sigmoid-chain.mlp.json"))
    lecture = Document(reader.load(examples.LECTURE_EXAMPLE))
    return [("deep sigmoid chain (1 × 13)", chain), ("lecture 2-2-2", lecture), ("3-5-5-5-3", wide)]


def resize_times(app, document: Document) -> tuple[float, float]:
    """Return the median and best ms of a resize step with its re-layout, fit and repaint."""
    document.run_to_end()
    view = NetworkGraphView(document)
    view.resize(813, 560)
    view.show()
    app.processEvents()
    step = [0]

    def resize() -> None:
        step[0] += 1
        view.resize(813 + 9 * (step[0] % 40), 560 + 3 * (step[0] % 40))
        app.processEvents()
        image = QImage(view.viewport().size(), QImage.Format_ARGB32_Premultiplied)
        render(view, image)

    result = timed(resize, 40)
    view.close()
    return result


if __name__ == "__main__":
    main()
