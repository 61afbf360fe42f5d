"""Command line: `python main.py [FILE]` opens the window; verbs trace, train, gradcheck."""

import sys


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    print("MLP Explorer: the command line is being built.", file=sys.stderr)
    return 0
