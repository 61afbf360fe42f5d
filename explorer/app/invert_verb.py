"""The `invert` verb: solve for the input x whose output matches measured outputs, weights fixed.

    mlp-explorer invert FILE --target "y1,y2,..." [--start "x1,..."] [--lr RATE] [--steps N] [--tol T]
                             [--lower "..."] [--upper "..."] [--physical] [--noise SIGMA --seed N] [--json]

A network recognised as a heat-transfer surrogate (engine.heat_transfer) is bounded to its physical
range by default and its answer is also printed in physical units; with --physical the target and
start are typed in physical units. No Qt here.
"""

from __future__ import annotations

import argparse
import json
import math
import os
from collections.abc import Callable
from typing import Any

import numpy as np

from explorer.app.arguments import UsageError
from explorer.engine.heat_transfer import HeatTransferModel, model_for_network
from explorer.engine.inverse import InverseResult, InverseSettings, downsample, solve
from explorer.engine.network import Network
from explorer.files import reader
from explorer.text.notation import format_vector, parse_numbers

PRINTED_ROWS = 40  # iterations printed in the text output (evenly spread, first and last included)


def add_invert_parser(
    verbs: Any, positive: Callable[[str], float], count: Callable[[str], int]
) -> argparse.ArgumentParser:
    """Add the invert verb to the verbs' subparsers and return its parser."""
    invert = verbs.add_parser(
        "invert", help="solve for the input that gives measured outputs (weights fixed)"
    )
    invert.add_argument("file")
    invert.add_argument(
        "--target", required=True, metavar="Y", help='measured outputs, e.g. "0.8,0.6,0.5,0.5"'
    )
    invert.add_argument(
        "--start", metavar="X", help="initial input (default: the middle of the bounds, or 0)"
    )
    invert.add_argument("--lr", type=positive, default=1.0, metavar="RATE", help="step size η (default 1)")
    invert.add_argument("--steps", type=count, default=5000, metavar="N", help="step limit (default 5000)")
    invert.add_argument(
        "--tol", type=_non_negative, default=1e-7, metavar="T", help="tolerance on ‖∂J/∂x‖ (default 1e-7)"
    )
    invert.add_argument("--lower", metavar="X", help="lower bounds on x (one number, or one per input)")
    invert.add_argument("--upper", metavar="X", help="upper bounds on x (one number, or one per input)")
    invert.add_argument(
        "--physical", action="store_true", help="target and start are in physical units (surrogates only)"
    )
    invert.add_argument(
        "--noise", type=_non_negative, default=0.0, metavar="SIGMA", help="add Gaussian noise"
    )
    invert.add_argument("--seed", type=count, default=0, metavar="N", help="seed of the noise (default 0)")
    invert.add_argument("--json", action="store_true", help="print one JSON object")
    invert.set_defaults(run=run_invert)
    return invert


def _non_negative(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not (math.isfinite(value) and value >= 0):
        raise argparse.ArgumentTypeError(f"{text} must be zero or a positive number")
    return value


def _numbers(text: str, count: int, name: str, broadcast: bool = False) -> np.ndarray:

    try:
        if broadcast and len([part for part in text.replace(",", " ").split() if part]) == 1:
            return np.full(count, parse_numbers(text, 1, name)[0])
        return np.array(parse_numbers(text, count, name), dtype=np.float64)
    except ValueError as error:
        raise UsageError(str(error)) from None


def _bounds(
    options: argparse.Namespace, network: Network, model: HeatTransferModel | None
) -> tuple[np.ndarray | None, np.ndarray | None]:
    n = network.input_size
    lower = None if options.lower is None else _numbers(options.lower, n, "--lower", broadcast=True)
    upper = None if options.upper is None else _numbers(options.upper, n, "--upper", broadcast=True)
    if model is not None:
        scaling = model.input_scaling
        lower = np.array([scaling.scaled_low]) if lower is None else lower
        upper = np.array([scaling.scaled_high]) if upper is None else upper
    return lower, upper


def _start(lower: np.ndarray | None, upper: np.ndarray | None, n: int) -> np.ndarray:
    if lower is not None and upper is not None:
        return (lower + upper) / 2.0
    return np.zeros(n)


def run_invert(options: argparse.Namespace) -> int:
    """Solve for the input; print the iterations and the recovered x (or one JSON object)."""

    network_file = reader.load(options.file)
    network = network_file.network
    model = model_for_network(network.name, network.input_size, network.output_size)
    if options.physical and model is None:
        raise UsageError("--physical needs a heat-transfer surrogate network (a fin or lumped cooling)")
    target = _numbers(options.target, network.output_size, "--target")
    if options.noise:
        target = target + np.random.default_rng(options.seed).normal(0.0, options.noise, target.shape)
    lower, upper = _bounds(options, network, model)
    start = None if options.start is None else _numbers(options.start, network.input_size, "--start")
    if options.physical and model is not None:
        target = model.output_scaling.to_scaled(target)
        start = None if start is None else model.input_scaling.to_scaled(start)
    if start is None:
        start = _start(lower, upper, network.input_size)
    settings = InverseSettings(options.lr, options.steps, options.tol, lower, upper)
    try:
        result = solve(network, target, start, settings)
    except ValueError as error:
        raise UsageError(str(error)) from None
    if options.json:
        data = result.to_json()
        if model is not None:
            data["physical"] = _finite_or_none(
                {
                    model.input_name: model.input_scaling.to_physical(result.x).tolist(),
                    "unit": model.input_unit,
                }
            )
        print(json.dumps(data, allow_nan=False))
    else:
        _print_run(network, options.file, target, settings, result, model)
    return 0 if result.reason != "diverged" else 1


def _finite_or_none(data: dict[str, Any]) -> dict[str, Any]:
    return {
        key: [v if math.isfinite(v) else None for v in value] if isinstance(value, list) else value
        for key, value in data.items()
    }


def _print_run(
    network: Network,
    source: str,
    target: np.ndarray,
    settings: InverseSettings,
    result: InverseResult,
    model: HeatTransferModel | None,
) -> None:
    title = network.name or os.path.basename(source)
    sizes = "-".join(str(n) for n in network.sizes)
    print(f"{title}: sizes {sizes}; solving for the input x with the weights fixed")
    print(f"target y = {format_vector(target, 8)}" + (" (scaled)" if model is not None else ""))
    bounds = "none"
    if settings.bounded:
        low = "−∞" if settings.lower is None else format_vector(settings.lower)
        high = "+∞" if settings.upper is None else format_vector(settings.upper)
        bounds = f"x clipped into [{low}, {high}] after every step"
    print(
        f"η = {settings.learning_rate:g}, tolerance {settings.tolerance:g} on ‖∂J/∂x‖, "
        f"at most {settings.max_steps} steps"
    )
    print(f"bounds: {bounds}")
    print("x ← x − η e^(0), e^(0) = W^(1)ᵀ δ^(1) = ∂J/∂x")
    width = len(str(result.iterations))
    print(f"{'step':>{max(width, 4)}}  {'J':<24}  x")
    for i in downsample(len(result.xs), PRINTED_ROWS):
        print(f"{i:>{max(width, 4)}}  {result.losses[i]!r:<24}  {format_vector(result.xs[i], 10)}")
    words = {
        "converged": f"converged after {result.iterations} steps",
        "step limit": f"stopped at the step limit ({result.iterations} steps) before converging",
        "diverged": f"diverged after {result.iterations} steps: J or x stopped being finite",
    }
    print(words.get(result.reason, result.reason))
    print(f"recovered x = {format_vector(result.x, 10)}")
    print(f"J = {result.loss!r}")
    if model is not None:
        physical = model.input_scaling.to_physical(result.x)
        print(
            f"recovered {model.input_name} = {format_vector(physical, 6)} {model.input_unit} ({model.label})"
        )
