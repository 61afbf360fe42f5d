"""Command line: `mlp-explorer [FILE]` opens the window; verbs trace, train, gradcheck, slides and more.

Exit status: 0 success; 1 a check failed, training diverged, a traced value overflowed, or the
window/slides could not start;
2 a bad file or a usage error (one line on stderr, never a traceback); 130 interrupted.
The verbs need no Qt; the window and the slides import it only when asked for.
"""

from __future__ import annotations

import argparse
import difflib
import json
import math
import os
import sys
from collections.abc import Sequence
from contextlib import AbstractContextManager, nullcontext
from typing import TYPE_CHECKING, Any

import numpy as np

from explorer import __version__
from explorer.app import exchange_cli, worksheet_cli
from explorer.app.arguments import PROG, Parser, UsageError, count, epochs, positive, whole
from explorer.app.shot import SLIDE_SIZE, Shot, add_shot_arguments, shot_from, window_size
from explorer.files import reader, writer
from explorer.files.model import FileFormatError, NetworkFile
from explorer.text.notation import format_values

if TYPE_CHECKING:
    from explorer.engine.stepper import Stepper
    from explorer.engine.training import Trainer

GRADCHECK_SAMPLE = 1000  # parameters a gradcheck differences unless --all: about 0.2 s on 784-128-10
GRADCHECK_SECONDS = 1.0  # the default sample shrinks to fit this (each parameter costs two losses)
THREADS_HELP = "BLAS threads for the numbers (default 1, as in the window)"

VERBS = (
    "trace",
    "train",
    "gradcheck",
    "slides",
    "invert",
    "export",
    "import",
    "worksheet",
    "install-desktop",
)


def _window_parser() -> Parser:
    parser = Parser(
        prog=PROG,
        description="Step through backpropagation in a multi-layer perceptron, number by number.",
        formatter_class=argparse.RawDescriptionHelpFormatter,
        epilog=(
            "verbs (no window; '%(prog)s VERB --help' describes one):\n"
            "  trace FILE [--json] [--lr RATE]     print the step-through of the file's sample\n"
            "  train FILE [--epochs N] [--lr RATE] [--output OUT]\n"
            "                                      train on the file's data set, save the result\n"
            "  gradcheck FILE [--epsilon EPS] [--all | --sample N] [--seed S]\n"
            "                                      compare backprop with finite differences (a sample of\n"
            "                                      1,000 parameters on a bigger network; --all: every one)\n"
            "  slides FILE --out DIR|FILE.pdf [--size WxH]\n"
            "                                      write one PNG (or PDF page) per stage\n"
            "  invert FILE --target Y [--start X]  solve for the input that gives the measured outputs Y\n"
            + exchange_cli.HELP
            + "\n"
            + worksheet_cli.HELP
            + "\n  install-desktop [--uninstall]       add the app and its icon to this user's Linux menus\n"
            "\n"
            "Every verb uses one BLAS thread, as the window does; '--threads N' (before the verb or\n"
            "after it) allows N.\n"
            "Qt's own switches (-style fusion, -platform xcb, ...) are passed to Qt."
        ),
    )
    parser.add_argument(
        "file", nargs="?", help="a .mlp.json network file (default: the lecture's 2-2-2 example)"
    )
    parser.add_argument("--screenshot", metavar="OUT.png", help="render the window to a PNG and exit")
    add_shot_arguments(parser)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    return parser


def _verb_parser() -> Parser:
    parser = Parser(prog=PROG)
    verbs = parser.add_subparsers(dest="verb", required=True, parser_class=Parser)

    trace = verbs.add_parser("trace", help="print the step-through of the file's sample, stage by stage")
    trace.add_argument("file")
    trace.add_argument("--json", action="store_true", help="print every quantity as JSON, full precision")
    trace.add_argument("--lr", type=positive, metavar="RATE", help="learning rate of the update stage")
    trace.set_defaults(run=run_trace)

    train = verbs.add_parser("train", help="train on the file's data set (or its sample) and save the result")
    train.add_argument("file")
    train.add_argument(
        "--epochs", type=epochs, metavar="N", help="epochs to run, at most 10^9 (default: the file's)"
    )
    train.add_argument("--lr", type=positive, metavar="RATE", help="learning rate (default: the file's)")
    train.add_argument("--output", "-o", metavar="OUT", help="write the trained network here")
    train.set_defaults(run=run_train)

    check = verbs.add_parser("gradcheck", help="compare backprop with finite differences")
    check.add_argument("file")
    check.add_argument("--epsilon", type=positive, default=1e-6, help="finite-difference step (default 1e-6)")
    which = check.add_mutually_exclusive_group()
    which.add_argument("--all", action="store_true", help="check every parameter (slow on big networks)")
    which.add_argument(
        "--sample",
        type=whole,
        metavar="N",
        help=(
            f"check a seeded random N parameters, every layer represented (default {GRADCHECK_SAMPLE:,}, "
            f"fewer if that many would take over {GRADCHECK_SECONDS:g} s on the file's rows)"
        ),
    )
    check.add_argument("--seed", type=count, default=0, help="seed of the sample (default 0)")
    check.set_defaults(run=run_gradcheck)

    slides = verbs.add_parser("slides", help="write one PNG per stage of the step-through")
    slides.add_argument("file")
    slides.add_argument(
        "--out", required=True, metavar="DIR|FILE.pdf", help="a folder for PNGs, or a .pdf (a page a stage)"
    )
    slides.add_argument(
        "--size", type=window_size, default=SLIDE_SIZE, metavar="WxH", help="default 1920x1080"
    )
    slides.set_defaults(run=run_slides)

    from explorer.app.invert_verb import add_invert_parser

    add_invert_parser(verbs, positive, count)

    exchange_cli.add_verbs(verbs)
    worksheet_cli.add_verb(verbs, positive, count)

    desktop = verbs.add_parser(
        "install-desktop", help="add the app, its icon and its file type to this user's Linux desktop menus"
    )
    desktop.add_argument("--uninstall", action="store_true", help="remove what install-desktop wrote")
    desktop.set_defaults(run=run_install_desktop)
    for verb in verbs.choices.values():
        verb.add_argument("--threads", type=whole, metavar="N", help=THREADS_HELP)
    return parser


def _global_threads(args: list[str]) -> tuple[list[str], int | None]:
    """Take a `--threads N` given before the verb out of `args`; return the rest and N."""
    if args and args[0].startswith("--threads"):
        if "=" in args[0]:
            text, rest = args[0].partition("=")[2], args[1:]
        elif len(args) > 1:
            text, rest = args[1], args[2:]
        else:
            raise UsageError("--threads needs a number")
        try:
            return rest, whole(text)
        except argparse.ArgumentTypeError as error:
            raise UsageError(f"--threads: {error}") from None
    return args, None


def _blas_threads(threads: int | None) -> AbstractContextManager[object]:
    """Return a context that limits BLAS to `threads` threads (1 when None) and gives them back after."""
    # The verbs share the machine as the window does (app.startup): one BLAS thread unless asked.
    # On two busy cores, a BLAS pool of every core ran the verbs about four times slower.
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - threadpoolctl is a dependency
        return nullcontext()
    return threadpool_limits(limits=threads or 1, user_api="blas")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    _tolerant_output()
    try:
        args, threads = _global_threads(args)
        if args and args[0] in VERBS:
            options = _verb_parser().parse_args(args)
            # Extreme but valid weights may overflow; the numbers printed say so, warnings would not.
            with _blas_threads(options.threads or threads), np.errstate(all="ignore"):
                status: int = options.run(options)
                return status
        if args and not args[0].startswith("-") and not os.path.exists(args[0]):
            close = difflib.get_close_matches(args[0], VERBS, n=1, cutoff=0.7)
            if close:
                raise UsageError(f"unknown verb {args[0]!r} (did you mean {close[0]!r}?)")
        from explorer.app.display import split_qt_arguments

        args, qt_args = split_qt_arguments(args)
        options = _window_parser().parse_args(args)
        return open_window(options.file, shot_from(options), qt_args)
    except UsageError as error:
        print(f"{PROG}: {error} (see '{PROG} --help')", file=sys.stderr)
        return 2
    except FileFormatError as error:
        print(error, file=sys.stderr)
        return 2
    except SystemExit as exit_:  # --help and --version print, then exit
        return exit_.code if isinstance(exit_.code, int) else 0
    except KeyboardInterrupt:
        print(f"{PROG}: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # e.g. `trace FILE | head`
        sys.stderr.close()
        return 0


def _tolerant_output() -> None:
    # A name with a lone surrogate or a file name that is not UTF-8 is printed escaped, not raised.
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            try:
                reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # a closed or detached stream: nothing to print to anyway
                pass


def open_window(path: str | None, screenshot: Shot | None = None, qt_args: Sequence[str] = ()) -> int:
    """Open the main window on `path` (the lecture example when None); `qt_args` go to Qt."""
    try:
        from explorer.app.startup import run_gui
    except ImportError as error:
        print(f"{PROG}: cannot open the window ({error}); the verbs still work, see --help", file=sys.stderr)
        return 1
    if qt_args:
        return run_gui(path, screenshot=screenshot, qt_args=qt_args)
    if screenshot:
        return run_gui(path, screenshot=screenshot)
    return run_gui(path)


# --- trace ---------------------------------------------------------------------------------
def _sample(network_file: NetworkFile) -> tuple[np.ndarray, np.ndarray]:
    # NetworkFile fills in a sample left out (from the data set, else zeros): never None here.
    assert network_file.sample_x is not None and network_file.sample_y is not None
    return network_file.sample_x, network_file.sample_y


def _print_stages(network_file: NetworkFile, stepper: Stepper, source: str) -> None:
    from explorer.engine.stepper import Apply, Term

    network = network_file.network
    sizes = "-".join(str(n) for n in network.sizes)
    title = network.name or os.path.basename(source)
    print(f"{title}: sizes {sizes}, loss {network.loss}, learning rate η = {stepper.learning_rate:g}")
    count = len(stepper.stages)
    for number, stage in enumerate(stepper.stages, start=1):
        print(f"\n[{number}/{count}] {stage.title}")
        for formula in stage.formulas:
            print(f"    {formula}")
        shown: set[str] = set()
        for equation in stage.equations:
            for token in equation:
                part = token.to if isinstance(token, Apply) else token
                if isinstance(part, Term) and part.symbol not in shown:
                    shown.add(part.symbol)
                    prefix = f"      {part.symbol} = "
                    print(prefix + format_values(part.values, len(prefix)))
        for symbol, values in stage.outputs.items():
            if symbol not in shown:
                prefix = f"      {symbol} = "
                print(prefix + format_values(values, len(prefix)))


def trace_json(network_file: NetworkFile, learning_rate: float) -> dict[str, Any]:
    """Return every quantity of the sample's forward and backward pass, and its steps, as JSON-ready values.

    Numbers that overflowed stay nan or inf here; finite_json() turns them into null.
    """
    from explorer.engine.stepper import Stepper, stage_record

    network = network_file.network
    stepper = Stepper(network, *_sample(network_file), learning_rate)
    trace = stepper.trace
    layers: list[dict[str, Any]] = [{"a": trace.activations[0].tolist()}]
    for k in range(1, network.num_layers + 1):
        bias = trace.grad_biases[k]
        layers.append(
            {
                "z": trace.z(k).tolist(),
                "a": trace.activations[k].tolist(),
                "e": trace.e(k).tolist(),
                "delta": trace.delta(k).tolist(),
                "dJ_dW": trace.grad_w(k).tolist(),
                "dJ_db": None if bias is None else bias.tolist(),
            }
        )
    updated = stepper.updated_network()
    return {
        "loss": float(trace.loss),
        "layers": layers,
        "name": network.name,
        "loss_function": network.loss,
        "sizes": network.sizes,
        "x": trace.x.tolist(),
        "y": trace.y.tolist(),
        "y_hat": trace.output.tolist(),
        "input_error": trace.e(0).tolist(),
        "learning_rate": learning_rate,
        "updated": [
            {"W": layer.weights.tolist(), "b": None if layer.bias is None else layer.bias.tolist()}
            for layer in updated.layers
        ],
        "stages": [stage.title for stage in stepper.stages],
        "steps": [stage_record(stage) for stage in stepper.stages],
    }


def _is_array(value: list[Any]) -> bool:
    return all(
        isinstance(item, (int, float)) or (isinstance(item, list) and _is_array(item)) for item in value
    )


def _finite_array(value: Any) -> tuple[Any, bool]:
    """Return the nested list with nan and inf as None, and whether any was replaced."""
    if isinstance(value, list):
        items = [_finite_array(item) for item in value]
        return [item for item, _ in items], any(bad for _, bad in items)
    if isinstance(value, float) and not math.isfinite(value):
        return None, True
    return value, False


def finite_json(value: Any, path: str, non_finite: list[str]) -> Any:
    """Return `value` with every nan or inf as None; append the path of each quantity that held one."""
    if isinstance(value, dict):
        return {
            key: finite_json(item, f"{path}.{key}" if path else key, non_finite)
            for key, item in value.items()
        }
    if isinstance(value, list) and value and _is_array(value) or isinstance(value, float):
        clean, bad = _finite_array(value)
        if bad:
            non_finite.append(path)
        return clean
    if isinstance(value, list):
        return [finite_json(item, f"{path}[{index}]", non_finite) for index, item in enumerate(value)]
    return value


def run_trace(options: argparse.Namespace) -> int:
    """Print the step-through of the file's sample (--json: strict JSON, status 1 if a value overflowed)."""
    from explorer.engine.stepper import Stepper

    network_file = reader.load(options.file)
    rate = network_file.training.learning_rate if options.lr is None else options.lr
    if options.json:
        non_finite: list[str] = []
        result = finite_json(trace_json(network_file, rate), "", non_finite)
        result["non_finite"] = non_finite
        print(json.dumps(result, allow_nan=False))
        if non_finite:
            shown = ", ".join(non_finite[:3]) + (
                f" and {len(non_finite) - 3} more" if len(non_finite) > 3 else ""
            )
            count = len(non_finite)
            print(
                f"{PROG}: {count} quantities overflowed (not finite), written as null: {shown}",
                file=sys.stderr,
            )
            return 1
        return 0
    stepper = Stepper(network_file.network, *_sample(network_file), rate)
    _print_stages(network_file, stepper, options.file)
    return 0


# --- train ---------------------------------------------------------------------------------
def _rows(network_file: NetworkFile) -> tuple[np.ndarray, np.ndarray, str]:
    if network_file.dataset_x is not None and network_file.dataset_y is not None:
        count = len(network_file.dataset_x)
        return network_file.dataset_x, network_file.dataset_y, f"the {count} samples of the data set"
    sample_x, sample_y = _sample(network_file)
    return sample_x[None, :], sample_y[None, :], "the file's sample (it has no data set)"


def _rows_text(count: int, kind: str) -> str:
    return f"{count} {kind} row" + ("" if count == 1 else "s")


def _describe_training(trainer: Trainer, what: str, epochs: int) -> list[str]:
    """Return the lines that say what trains: rows, validation choice, batches, shuffle and momentum."""
    settings = trainer.settings
    lines = [f"data: {what}"]
    lines.append(f"training on {_rows_text(trainer.num_samples, 'training')}")
    held = trainer.num_validation_samples
    if held:
        lines[-1] += (
            f", validating on {_rows_text(held, 'validation')} held back "
            f"(validation fraction {settings.validation_fraction:g}; the rows are the first of a "
            f"random permutation drawn from seed {settings.seed})"
        )
    batch = settings.batch_size
    if batch is None or batch >= trainer.num_samples:
        lines.append(f"{epochs} epochs of one full-batch step each (no shuffle)")
    else:
        lines.append(
            f"{epochs} epochs of mini-batches of {batch} rows, the rows reshuffled every epoch "
            f"by a generator seeded with {settings.seed}"
        )
    step = f"learning rate η = {settings.learning_rate:g}"
    if settings.momentum:
        step += f", momentum μ = {settings.momentum:g}: v ← μv − η ∂J/∂W, W ← W + v (and so for b)"
    else:
        step += ", no momentum: W ← W − η ∂J/∂W (and so for b)"
    lines.append(step)
    lines.append("each loss below is the mean J over the rows named, taken at the end of the epoch shown")
    return lines


def _losses_text(trainer: Trainer) -> str:
    """Return "training loss … validation loss …" of the trainer's current weights."""
    network = trainer.network
    x, y = trainer.training_data
    text = f"training loss {network.loss_value(x.T, y.T)!r}"
    held = trainer.validation_data
    if held is not None:
        text += f"  validation loss {network.loss_value(held[0].T, held[1].T)!r}"
    return text


def run_train(options: argparse.Namespace) -> int:
    """Train with the file's settings and optionally save the trained network.

    If the loss or a weight stops being finite, training stops; the weights from before the
    failing step are kept (and saved with --output), the reason is printed and the status is 1.
    """
    import dataclasses

    from explorer.engine.training import Trainer, TrainingSettings

    network_file = reader.load(options.file)
    epochs = network_file.training.epochs if options.epochs is None else options.epochs
    rate = network_file.training.learning_rate if options.lr is None else options.lr
    settings = TrainingSettings(
        **{**network_file.training.as_kwargs(), "learning_rate": rate, "epochs": epochs}
    )
    X, Y, what = _rows(network_file)
    try:
        trainer = Trainer(network_file.network, X, Y, settings)
    except ValueError as error:
        raise FileFormatError(str(error), options.file) from None
    for line in _describe_training(trainer, what, epochs):
        print(line)
    print(f"before training: {_losses_text(trainer)}")
    every = max(1, epochs // 10)

    def report(trainer: Trainer) -> None:
        if trainer.epoch % every == 0 or trainer.epoch == epochs:
            print(f"end of epoch {trainer.epoch:>{len(str(epochs))}}: {_losses_text(trainer)}")

    interrupted = False
    try:
        trainer.run(epochs, callback=report)
    except KeyboardInterrupt:
        interrupted = True
    diverged = trainer.stopped and trainer.epoch < epochs
    print(f"after {trainer.epoch} epochs: {_losses_text(trainer)}")
    if trainer.warning:
        print(f"warning: {trainer.warning}")
    status = 0
    if diverged:
        print(f"training stopped: {trainer.stopped_reason}; kept the last finite weights", file=sys.stderr)
        status = 1
    if interrupted:
        print(f"interrupted after {trainer.epoch} epochs; kept the weights so far", file=sys.stderr)
        status = 130
    if options.output:
        writer.save(options.output, dataclasses.replace(network_file, network=trainer.network))
        print(f"wrote {options.output}")
    return status


# --- gradcheck and slides ------------------------------------------------------------------
def run_gradcheck(options: argparse.Namespace) -> int:
    """Compare backprop with central differences; status 0 if within the tolerance, else 1."""
    from explorer.engine.gradcheck import gradient_check

    network_file = reader.load(options.file)
    X, Y, what = _rows(network_file)
    sample = options.sample or _affordable_sample(network_file, X, Y)
    try:
        result = gradient_check(
            network_file.network,
            X,
            Y,
            epsilon=options.epsilon,
            sample=None if options.all else sample,
            seed=options.seed,
        )
    except ValueError as error:  # an ε too small to resolve anything
        raise UsageError(f"--epsilon: {error}") from None
    k, kind, i, j = result.where
    place = f"layer {k} bias {i + 1}" if kind == "bias" else f"layer {k} weight row {i + 1} column {j + 1}"
    if result.seed is None:
        print(f"checked all {result.parameters} parameters on {what}, ε = {options.epsilon:g}")
    else:
        print(
            f"checked {result.checked} of {result.parameters} parameters (a random sample, seed "
            f"{result.seed}, every layer represented; --all checks every one) on {what}, "
            f"ε = {options.epsilon:g}"
        )
    print(
        f"largest relative error {result.max_relative_error:.3g} at {result.describe_where()} ({place}): "
        f"backprop {result.backprop!r}, finite difference {result.numeric!r}"
    )
    if result.passed:
        print(f"passed (tolerance {result.tolerance:g})")
        return 0
    print(f"FAILED (tolerance {result.tolerance:g})")
    return 1


def _affordable_sample(network_file: NetworkFile, X: np.ndarray, Y: np.ndarray) -> int:
    """Return the default sample: GRADCHECK_SAMPLE, or fewer if two losses each would pass the budget."""
    import time

    network = network_file.network.astype(np.float64)
    x, y = np.asarray(X, dtype=np.float64).T, np.asarray(Y, dtype=np.float64).T
    costs = []
    for _ in range(2):  # the first may pay for warming caches up
        started = time.perf_counter()
        network.loss_value(x, y)
        costs.append(2 * (time.perf_counter() - started))
    cost = min(costs)
    return max(1, min(GRADCHECK_SAMPLE, int(GRADCHECK_SECONDS / max(cost, 1e-9))))


def run_slides(options: argparse.Namespace) -> int:
    """Write one PNG per stage of the file's step-through."""
    reader.load(options.file)  # a bad file is reported before Qt starts
    try:
        from explorer.app.slides import write_slides
    except ImportError as error:
        print(f"{PROG}: cannot render slides ({error})", file=sys.stderr)
        return 1
    try:
        count = write_slides(options.file, options.out, options.size)
    except OSError as error:
        reason = error.strerror or str(error)
        print(f"{PROG}: {options.out}: cannot write the slides there: {reason}", file=sys.stderr)
        return 2
    print(f"wrote {count} slides to {options.out}")
    return 0


def run_install_desktop(options: argparse.Namespace) -> int:
    """Install (or with --uninstall remove) the menu entry, icon and file type for this user."""
    from explorer.app import desktop

    try:
        paths = desktop.uninstall() if options.uninstall else desktop.install()
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        print(f"{PROG}: {where}{error.strerror or error}", file=sys.stderr)
        return 1
    verb = "removed" if options.uninstall else "wrote"
    for path in paths:
        print(f"{verb} {path}")
    if options.uninstall and not paths:
        print("nothing to remove: install-desktop had not been run for this user")
    return 0
