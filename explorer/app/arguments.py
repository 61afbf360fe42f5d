"""What every command-line verb shares: the program name, a parser that reports in one line, number types."""

from __future__ import annotations

import argparse
import math
from typing import NoReturn

PROG = "mlp-explorer"


class UsageError(Exception):
    """A command line that cannot be run, described in one line."""


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that raises UsageError instead of printing its usage and exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def positive(text: str) -> float:
    """Return `text` as a finite number above 0, or raise argparse's type error."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number") from None
    if not (math.isfinite(value) and value > 0):
        raise argparse.ArgumentTypeError(f"{text} must be a positive number")
    return value


def count(text: str) -> int:
    """Return `text` as a whole number of 0 or more, or raise argparse's type error."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"{text} must be 0 or more")
    return value


def whole(text: str) -> int:
    """Return `text` as a whole number of 1 or more, or raise argparse's type error."""
    value = count(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"{text} must be 1 or more")
    return value


def epochs(text: str) -> int:
    """Return `text` as a number of epochs: a whole number from 0 to the file format's cap."""
    from explorer.files.model import MAX_EPOCHS

    value = count(text)
    if value > MAX_EPOCHS:
        raise argparse.ArgumentTypeError(f"{text} is above the limit of {MAX_EPOCHS:,} epochs")
    return value
