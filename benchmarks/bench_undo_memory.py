"""Undo memory: ten structure edits on 784-128-10 with a 5000×784 data set (not run in CI).

Prints the growth of the process's resident memory beside the goal: less than a quarter of what
the network and the data set take once. Run: PYTHONPATH=. python benchmarks/bench_undo_memory.py
"""

from __future__ import annotations

import gc
import os

import numpy as np

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from explorer.document import structure_edits  # noqa: E402 - after the platform is chosen
from explorer.document.document import Document  # noqa: E402
from explorer.engine.network import Layer, Network  # noqa: E402
from explorer.files.model import NetworkFile  # noqa: E402

MIB = 2**20


def resident_bytes() -> int:
    """Return the resident set size of this process (Linux /proc)."""
    with open("/proc/self/statm", encoding="ascii") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def main() -> None:
    """Build the document, make ten activation changes, print the memory they cost."""
    from PySide6.QtCore import QCoreApplication

    app = QCoreApplication.instance() or QCoreApplication([])  # noqa: F841 - QObjects need one
    rng = np.random.default_rng(0)
    layers = [
        Layer(rng.normal(size=(128, 784)) * 0.05, np.zeros(128), "sigmoid"),
        Layer(rng.normal(size=(10, 128)) * 0.1, np.zeros(10), "sigmoid"),
    ]
    X = rng.random((5000, 784))
    Y = np.eye(10)[rng.integers(0, 10, 5000)]
    document = Document(NetworkFile(Network(layers, "half_sse"), dataset_x=X, dataset_y=Y))
    once = X.nbytes + Y.nbytes + sum(layer.weights.nbytes + layer.bias.nbytes for layer in layers)
    gc.collect()
    before = resident_bytes()
    for i in range(10):
        structure_edits.set_activation(document, 1, "tanh" if i % 2 == 0 else "sigmoid")
    gc.collect()
    grown = resident_bytes() - before
    goal = once / 4
    print(f"network + data set once: {once / MIB:.1f} MiB")
    print(f"ten structure edits grew memory by {grown / MIB:.1f} MiB (goal: below {goal / MIB:.1f} MiB)")
    print("PASS" if grown < goal else "FAIL")


if __name__ == "__main__":
    main()
