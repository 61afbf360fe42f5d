"""Print what the window costs while training: epochs per second with the window open and plots live,
against the same training with no window (Trainer.run), and how often the event loop got a turn.

Run by hand (never in CI):
    QT_QPA_PLATFORM=offscreen python benchmarks/bench_training_window.py [--quick] [--profile]

Two networks: XOR on 2-2-1 (tiny: the per-epoch overhead shows) and two spirals on 2-16-16-1 tanh
(200 samples, full batch). The window is explorer.app.main_window.MainWindow when it can be built, else a
stand-in: the graph view with the training, data set, inspector and equation panels and every plot
panel that exists, all visible at once (more drawing than the main window's tabbed docks).
A 10 ms QTimer counts event-loop ticks during each run: ticks / (run time / 10 ms) near 1 means the
window stayed responsive. --profile prints the top functions (cProfile) of each windowed run.
--steps times each stage step (set_stage and the repaint) of a 784-128-10 network in the main window,
where a big layer's matrices fill the equation panel.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import pstats
import sys
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication, QGridLayout, QWidget

from explorer.document import training_run as training_controller
from explorer.document.document import Document
from explorer.document.training_run import TrainingController
from explorer.engine.datasets import make_dataset
from explorer.engine.init import new_network
from explorer.engine.training import Trainer, TrainingSettings
from explorer.files import model

TICK_MS = 10


def xor_state() -> model.NetworkFile:
    """Return XOR (4 rows) on a seeded 2-2-1 sigmoid network."""
    data = make_dataset("xor")
    network = new_network([2, 2, 1], "sigmoid", seed=1)
    config = model.TrainingConfig(learning_rate=2.0)
    return model.NetworkFile(network, None, None, data.X, data.Y, config)


def spirals_state() -> model.NetworkFile:
    """Return two spirals (200 rows) on a seeded 2-16-16-1 tanh network with a sigmoid output."""
    data = make_dataset("spirals", n_samples=200)
    network = new_network([2, 16, 16, 1], "tanh", output_activation="sigmoid", seed=1)
    config = model.TrainingConfig(learning_rate=0.5)
    return model.NetworkFile(network, None, None, data.X, data.Y, config)


def bare_seconds(state: model.NetworkFile, epochs: int, repeat: int = 3) -> float:
    """Return the best time of Trainer.run(epochs) with no Qt at all."""
    best = float("inf")
    for _ in range(repeat):
        values = state.training.as_kwargs()
        values["epochs"] = epochs
        trainer = Trainer(state.network, state.dataset_x, state.dataset_y, TrainingSettings(**values))
        start = time.perf_counter()
        trainer.run(epochs)
        best = min(best, time.perf_counter() - start)
    return best


def stand_in_window(document: Document, controller: TrainingController) -> tuple[QWidget, str]:
    """Return a widget with the graph, the panels and the plot panels that exist, and its description."""
    from explorer.views.graph.view import NetworkGraphView
    from explorer.views.panels.dataset import DatasetPanel
    from explorer.views.panels.training import TrainingPanel

    window = QWidget()
    grid = QGridLayout(window)
    grid.addWidget(NetworkGraphView(document, window), 0, 0, 2, 2)
    grid.addWidget(TrainingPanel(document, controller), 0, 2)
    grid.addWidget(DatasetPanel(document), 1, 2)
    names = ["graph", "training", "dataset"]
    extras = [
        ("explorer.views.panels.inspector", "InspectorPanel", False),
        ("explorer.views.panels.equation", "EquationPanel", False),
        ("explorer.views.plots.loss_plot", "LossPlot", True),
        ("explorer.views.plots.gradient_flow", "GradientFlowPlot", True),
        ("explorer.views.plots.activation", "ActivationPlot", False),
        ("explorer.views.plots.fit_plot", "FitPlot", True),
    ]
    column = 0
    for module_name, class_name, wants_controller in extras:
        try:
            cls = getattr(importlib.import_module(module_name), class_name)
        except (ImportError, AttributeError):
            continue
        widget = cls(document, controller) if wants_controller else cls(document)
        grid.addWidget(widget, 2 + column // 3, column % 3)
        names.append(class_name)
        column += 1
    window.resize(1600, 1000)
    return window, "stand-in window: " + ", ".join(names)


def open_window(document: Document, settings_path: str) -> tuple[QWidget, TrainingController, str]:
    """Return the main window (or the stand-in), its training controller, and what it is."""
    try:
        from explorer.app.main_window import MainWindow

        settings = QSettings(settings_path, QSettings.IniFormat)
        window = MainWindow(document, settings)
        window.resize(1600, 1000)
        return window, window.training, "explorer.app.main_window.MainWindow"
    except Exception as error:  # the window is being built by others; measure what exists
        print(f"  (MainWindow not usable: {type(error).__name__}: {error}; using a stand-in)")
        controller = TrainingController(document)
        window, what = stand_in_window(document, controller)
        return window, controller, what


def played_run(state: model.NetworkFile, epochs: int, window: bool, profile: bool = False) -> dict:
    """Play `epochs` epochs through a TrainingController, in a shown window or with no views at all.

    Return seconds, event-loop ticks and the longest wait between them, live updates, epochs run.
    """
    app = QApplication.instance()
    document = Document(state)
    with tempfile.TemporaryDirectory() as folder:
        if window:
            shown, controller, what = open_window(document, str(Path(folder) / "bench.ini"))
            shown.show()
        else:
            shown, controller, what = None, TrainingController(document), "controller, no window"
        for _ in range(20):
            app.processEvents()
        tick_times: list[float] = []
        progress = [0]
        timer = QTimer()
        timer.timeout.connect(lambda: tick_times.append(time.perf_counter()))
        controller.progress.connect(lambda: progress.__setitem__(0, progress[0] + 1))
        loop = QEventLoop()
        controller.stopped.connect(lambda _reason: loop.quit())
        profiler = cProfile.Profile() if profile else None
        timer.start(TICK_MS)
        start = time.perf_counter()
        if profiler:
            profiler.enable()
        controller.play(epochs)
        if controller.is_running:
            loop.exec()
        if profiler:
            profiler.disable()
        end = time.perf_counter()
        timer.stop()
        ran = len(controller.history)
        if shown is not None:
            # hide(), not close(): the main window asks about unsaved changes on close, which would block.
            shown.hide()
            shown.deleteLater()
        app.processEvents()
    if profiler:
        stats = pstats.Stats(profiler)
        stats.sort_stats("cumulative").print_stats(30)
        stats.sort_stats("tottime").print_stats(15)
    # The longest wait of the event loop: how long a click or a key press could have had to wait.
    moments = [start, *tick_times, end]
    return {
        "seconds": end - start,
        "ticks": len(tick_times),
        "longest": max(b - a for a, b in zip(moments, moments[1:])),
        "progress": progress[0],
        "epochs": ran,
        "what": what,
    }


def best_run(runs: list[dict]) -> dict:
    """Return the fastest run: the one other processes on a shared machine disturbed least."""
    return min(runs, key=lambda run: run["seconds"] / max(run["epochs"], 1))


def report(name: str, state: model.NetworkFile, epochs: int, repeat: int, profile: bool) -> None:
    """Measure one network three ways, interleaved and repeated, and print the best of each."""
    bare, quiet, windowed = [], [], []
    for _ in range(repeat):
        # Interleaved, so that a burst of load from other processes hits every variant alike.
        bare.append(bare_seconds(state, epochs, repeat=1))
        quiet.append(played_run(state, epochs, window=False))
        windowed.append(played_run(state, epochs, window=True))
    bare_seconds_best = min(bare)
    quiet, windowed = best_run(quiet), best_run(windowed)
    bare_rate = epochs / bare_seconds_best
    print(f"{name}: {epochs} epochs, best of {repeat}  [{windowed['what']}]")
    print(f"  no window (Trainer.run):      {bare_rate:10,.0f} epochs/s  ({bare_seconds_best:.3f} s)")
    for label, run in (("controller, no views (play):", quiet), ("window, plots live (play):", windowed)):
        seconds = run["seconds"]
        rate = run["epochs"] / seconds
        ratio = rate / bare_rate
        print(
            f"  {label:29s} {rate:10,.0f} epochs/s  ({seconds:.3f} s)  ratio {ratio:.2f}, "
            f"cost {100 * (1 - ratio):.0f}%"
        )
        print(
            f"      event loop: {run['ticks']} ticks of a {TICK_MS} ms timer "
            f"(~{seconds * 1000 / TICK_MS:.0f} possible), longest wait {1000 * run['longest']:.0f} ms; "
            f"live updates {run['progress'] / seconds:.1f}/s"
        )
    if profile:
        print("  profile of one windowed run:")
        played_run(state, epochs, window=True, profile=True)


def step_times(repeat: int = 3) -> None:
    """Print the time of each stage step of a 784-128-10 network in the main window (best of repeat)."""
    from explorer.app.main_window import MainWindow

    app = QApplication.instance()
    rng = np.random.default_rng(0)
    network = new_network([784, 128, 10], "sigmoid", seed=1)
    document = Document(model.NetworkFile(network, rng.random(784), np.eye(10)[3]))
    with tempfile.TemporaryDirectory() as folder:
        window = MainWindow(document, QSettings(str(Path(folder) / "bench.ini"), QSettings.IniFormat))
        window.resize(1600, 1000)
        window.show()
        for _ in range(20):
            app.processEvents()
        best = [float("inf")] * len(document.stages)
        for _ in range(repeat):
            document.set_stage(0)
            app.processEvents()
            for index in range(1, len(document.stages)):
                start = time.perf_counter()
                document.set_stage(index)
                app.processEvents()  # the repaint of everything that changed
                best[index] = min(best[index], time.perf_counter() - start)
        window.hide()
        window.deleteLater()
        app.processEvents()
    print(f"784-128-10 stage steps in the main window, best of {repeat}:")
    for index, stage in enumerate(document.stages[1:], start=1):
        print(f"  {index + 1:2d}. {stage.kind:10s} {1000 * best[index]:6.1f} ms")
    print(f"  longest step {1000 * max(best[1:]):.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer epochs")
    parser.add_argument("--profile", action="store_true", help="print cProfile tables of the windowed runs")
    parser.add_argument("--only", choices=("xor", "spirals"), help="measure one network")
    parser.add_argument("--steps", action="store_true", help="time stage steps of a 784-128-10 network")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each variant (best is shown)")
    parser.add_argument("--slice", type=float, help="try another SLICE_SECONDS (training time per slice)")
    parser.add_argument("--live", type=float, help="try another LIVE_INTERVAL (seconds between live updates)")
    args = parser.parse_args()
    # The controller reads these module constants at each slice, so a trial value takes effect.
    if args.slice is not None:
        training_controller.SLICE_SECONDS = args.slice
    if args.live is not None:
        training_controller.LIVE_INTERVAL = args.live
    # Reported once instead of per update (see the report): a plot hands pyqtgraph all-NaN points.
    warnings.filterwarnings("once", message="All-NaN slice encountered")
    app = QApplication.instance() or QApplication(sys.argv[:1])
    del app  # kept alive by Qt; only its existence matters
    print(
        f"SLICE_SECONDS = {training_controller.SLICE_SECONDS}, "
        f"LIVE_INTERVAL = {training_controller.LIVE_INTERVAL:.3f} s, NumPy {np.__version__}"
    )
    if args.steps:
        step_times()
        return
    scale = 4 if args.quick else 1
    repeat = 1 if args.quick else args.repeat
    if args.only in (None, "xor"):
        report("XOR 2-2-1 (4 samples)", xor_state(), 40_000 // scale, repeat, args.profile)
    if args.only in (None, "spirals"):
        name = "two spirals 2-16-16-1 (200 samples, full batch)"
        report(name, spirals_state(), 8_000 // scale, repeat, args.profile)


if __name__ == "__main__":
    main()
