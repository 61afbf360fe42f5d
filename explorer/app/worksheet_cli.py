"""The command line's worksheet verb: `worksheet [FILE] --out sheet.pdf`, exercises with answer keys.

Without FILE each exercise is a random hand-friendly network (engine.exercise) drawn from --seed,
--seed + 1, ...; --network saves them so a lecturer can open them in the window. Qt is loaded only
to draw the PDF.
"""

from __future__ import annotations

import argparse
import os
import secrets
import sys
from typing import Any

from explorer.app.arguments import PROG, UsageError
from explorer.engine.activations import ACTIVATIONS
from explorer.engine.exercise import parse_sizes
from explorer.engine.losses import LOSSES
from explorer.files import reader, writer
from explorer.files.exercise_file import DEFAULT_LEARNING_RATE, exercise_file
from explorer.files.model import SUFFIX, NetworkFile
from explorer.text.worksheet import Worksheet, build_worksheet

HELP = (
    "  worksheet [FILE] --out SHEET.pdf [--seed S] [--sizes 2-2-2] [--activation G] [--count N]\n"
    "            [--network OUT.mlp.json] [--paper a4|letter]\n"
    "                                      print exercises to work by hand, with answer keys"
)


def add_verb(verbs: Any, positive: Any, count: Any) -> None:
    """Add the worksheet verb to the command line's subparsers."""
    sheet = verbs.add_parser("worksheet", help="write a printable PDF of exercises with their answer keys")
    sheet.add_argument("file", nargs="?", help="the network to work (default: a random exercise network)")
    sheet.add_argument("--out", required=True, metavar="SHEET.pdf", help="the PDF to write")
    sheet.add_argument(
        "--seed", type=count, metavar="S", help="seed of the first random network (default: random)"
    )
    sheet.add_argument("--sizes", default="2-2-2", metavar="2-2-2", help="layer sizes of random networks")
    sheet.add_argument(
        "--activation", default="sigmoid", choices=tuple(ACTIVATIONS), help="activation of every layer"
    )
    sheet.add_argument("--loss", default="half_sse", choices=tuple(LOSSES), help="loss of random networks")
    sheet.add_argument(
        "--lr", type=positive, metavar="RATE", help="learning rate of the update (default: 0.5)"
    )
    sheet.add_argument("--count", type=count, default=1, metavar="N", help="number of exercises (default 1)")
    sheet.add_argument("--network", metavar="OUT.mlp.json", help="also save the random network(s) here")
    sheet.add_argument("--paper", choices=("a4", "letter"), help="paper size (default: from the locale)")
    sheet.set_defaults(run=run_worksheet)


def network_paths(path: str, count: int) -> list[str]:
    """Return where --network saves `count` networks: the path, or path-1, path-2, ... before the suffix."""
    if count == 1:
        return [path]
    stem, suffix = (path[: -len(SUFFIX)], SUFFIX) if path.endswith(SUFFIX) else os.path.splitext(path)
    return [f"{stem}-{number}{suffix}" for number in range(1, count + 1)]


def sheets_for(options: argparse.Namespace) -> tuple[list[Worksheet], list[NetworkFile]]:
    """Return the worksheets the options ask for, and the random network files made for them."""
    if options.count < 1:
        raise UsageError("--count must be 1 or more")
    if options.file:
        if options.count != 1 or options.network:
            raise UsageError("with FILE the worksheet is that network: leave out --count and --network")
        network_file = reader.load(options.file)
        rate = options.lr or network_file.training.learning_rate
        title = network_file.network.name or os.path.basename(options.file)
        return [build_worksheet(network_file, rate, f"Exercise: {title}")], []
    try:
        sizes = parse_sizes(options.sizes)
    except ValueError as error:
        raise UsageError(str(error)) from None
    first = options.seed if options.seed is not None else secrets.randbelow(1_000_000)
    rate = options.lr or DEFAULT_LEARNING_RATE
    sheets, files = [], []
    for number in range(options.count):
        seed = first + number
        try:
            network_file = exercise_file(sizes, options.activation, options.loss, seed, rate)
        except ValueError as error:
            raise UsageError(str(error)) from None
        files.append(network_file)
        title = f"Exercise {number + 1}" if options.count > 1 else "Exercise"
        sheets.append(build_worksheet(network_file, rate, title, f"seed {seed}"))
    return sheets, files


def run_worksheet(options: argparse.Namespace) -> int:
    """Write the worksheet PDF (and with --network the random networks)."""
    sheets, files = sheets_for(options)
    if options.network:
        for path, network_file in zip(network_paths(options.network, len(files)), files):
            writer.save(path, network_file)
            print(f"wrote {path}")
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    try:
        from explorer.app.startup import make_application
        from explorer.app.worksheet_pdf import write_worksheet
    except ImportError as error:
        print(f"{PROG}: cannot draw the worksheet ({error})", file=sys.stderr)
        return 1
    make_application()
    try:
        pages = write_worksheet(options.out, sheets, options.paper)
    except OSError as error:
        print(
            f"{PROG}: {options.out}: cannot write the worksheet: {error.strerror or error}", file=sys.stderr
        )
        return 2
    seeds = ", ".join(sheet.subtitle.rsplit("seed ", 1)[1] for sheet in sheets if "seed " in sheet.subtitle)
    print(
        f"wrote {options.out}: {len(sheets)} exercise(s), {pages} pages"
        + (f", seeds {seeds}" if seeds else "")
    )
    return 0
