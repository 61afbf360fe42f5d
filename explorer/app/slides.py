"""Write one PNG per stage of a file's step-through: the graph with the stage highlighted, and the
equation panel below it, at a fixed size ready for a lecture's slides."""

from __future__ import annotations

import os
from pathlib import Path

from explorer.files.atomic import write_atomic

SLIDE_SIZE = (1600, 1000)
EQUATION_MIN_HEIGHT = 300
EQUATION_MAX_HEIGHT = 560


def write_slides(path: str, out_dir: str) -> int:
    """Render every stage of `path`'s sample into `out_dir`; return the number of PNGs written."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtWidgets import QVBoxLayout, QWidget

    from explorer.app.pictures import pixmap_png
    from explorer.app.startup import make_application
    from explorer.document.document import Document
    from explorer.files import reader
    from explorer.views.graph.view import NetworkGraphView
    from explorer.views.panels.equation import EquationPanel

    state = reader.load(path)
    app = make_application()
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)

    page = QWidget()
    document = Document(state, path, page)
    layout = QVBoxLayout(page)
    layout.setContentsMargins(8, 8, 8, 8)
    graph = NetworkGraphView(document, page)
    equation = EquationPanel(document)
    equation.setFixedHeight(EQUATION_MIN_HEIGHT)
    # Slides are read from the back of a lecture hall: larger than the window's panel.
    font = equation.font()
    font.setPointSizeF(font.pointSizeF() * 1.4)
    equation.setFont(font)
    equation.document().setDefaultFont(font)
    layout.addWidget(graph, 1)
    layout.addWidget(equation)
    page.resize(*SLIDE_SIZE)
    page.show()
    app.processEvents()
    graph.fit_to_window()

    written = 0
    for index, stage in enumerate(document.stages):
        document.set_stage(index)
        app.processEvents()
        # Give the equation the height it needs (the update stage has one row per layer).
        needed = int(equation.document().size().height()) + 2 * equation.frameWidth() + 8
        equation.setFixedHeight(max(EQUATION_MIN_HEIGHT, min(needed, EQUATION_MAX_HEIGHT)))
        app.processEvents()
        graph.fit_to_window()
        app.processEvents()
        name = f"stage-{index + 1:02d}-{stage.kind}{stage.layer if stage.layer else ''}.png"
        write_atomic(out / name, pixmap_png(page.grab()))
        written += 1
    page.close()
    page.deleteLater()
    return written
