"""Objects that Qt also owns must not sit in Python reference cycles.

A cycle is freed by the garbage collector at some later time, possibly after Qt has deleted the
C++ side (an undo stack deletes its commands, a scene its items); freeing it then crashed the
interpreter at exit. These tests build the objects, drop them, and ask the collector what it
would have had to free.
"""

from __future__ import annotations

import gc

import numpy as np
import pytest
from PySide6.QtCore import QCoreApplication, QEvent

from explorer.document import commands
from explorer.document import structure_edits as structure
from explorer.document.document import Document
from explorer.document.training_run import TrainingController
from explorer.files import examples, reader
from explorer.views.plots.activation import ActivationPlot


def cyclic_garbage() -> list[str]:
    """Return the type names of explorer and Qt objects that only a cycle collection would free."""
    QCoreApplication.sendPostedEvents(None, QEvent.DeferredDelete)
    gc.collect()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        gc.collect()
        names = sorted(
            {
                f"{type(o).__module__}.{type(o).__qualname__}"
                for o in gc.garbage
                if type(o).__module__.startswith(("explorer", "PySide6", "pyqtgraph"))
            }
        )
    finally:
        gc.garbage.clear()
        gc.set_debug(0)
    return names


@pytest.fixture
def empty_start(qapp):
    gc.collect()
    assert cyclic_garbage() == []


def test_a_document_with_undo_history_and_a_training_run_is_freed_without_cycles(qtbot, empty_start):
    document = Document(reader.load(examples.EXAMPLES_DIR / "xor-2-2-1.mlp.json"))
    controller = TrainingController(document)
    commands.edit_weight(document, 1, 0, 0, 0.5)
    structure.add_neuron(document, 1)
    controller.train_epochs(3)
    document.undo()
    assert np.isfinite(document.trace.loss)
    del document, controller
    assert cyclic_garbage() == []


def test_the_activation_panel_is_freed_without_cycles(qtbot, empty_start):
    document = Document(reader.load(examples.default_example_path()))
    document.run_to_end()
    panel = ActivationPlot(document)
    panel.resize(400, 400)
    panel.show()
    qtbot.waitExposed(panel)
    panel.close()
    panel.deleteLater()
    del panel, document
    assert cyclic_garbage() == []
