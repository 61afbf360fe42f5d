"""What `--screenshot OUT.png [--size WxH] [--presentation] [--stage N]` asks for (no Qt here)."""

from __future__ import annotations

import argparse
import re
from dataclasses import dataclass

SCREENSHOT_SIZE = (1600, 1000)
SLIDE_SIZE = (1920, 1080)


def window_size(text: str) -> tuple[int, int]:
    """Return "WxH" (e.g. 1280x720) as (width, height), or raise argparse's type error."""
    match = re.fullmatch(r"\s*(\d+)\s*[xX×]\s*(\d+)\s*", text)
    if not match:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size like 1280x720")
    width, height = int(match.group(1)), int(match.group(2))
    if not (200 <= width <= 10000 and 150 <= height <= 10000):
        raise argparse.ArgumentTypeError(f"{text} is outside 200x150 … 10000x10000")
    return width, height


def stage_number(text: str) -> int:
    """Return a 1-based stage number, or raise argparse's type error."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"stage {value}: stages are counted from 1")
    return value


@dataclass(frozen=True)
class Shot:
    """How to render the window to a picture: its size, presentation mode, and the stage (1-based)."""

    out: str
    size: tuple[int, int] = SCREENSHOT_SIZE
    presentation: bool = False
    stage: int | None = None


def add_shot_arguments(parser: argparse.ArgumentParser) -> None:
    """Add --size, --presentation and --stage (which go with --screenshot) to the window's parser."""
    parser.add_argument("--size", type=window_size, metavar="WxH", help="its size (default 1600x1000)")
    parser.add_argument("--presentation", action="store_true", help="the screenshot in presentation mode")
    parser.add_argument("--stage", type=stage_number, metavar="N", help="the screenshot at stage N (from 1)")


def shot_from(options: argparse.Namespace) -> Shot | None:
    """Return the Shot the window's command line asks for (None without --screenshot)."""
    if not options.screenshot:
        return None
    size = options.size or SCREENSHOT_SIZE
    return Shot(options.screenshot, size, options.presentation, options.stage)
