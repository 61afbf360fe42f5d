"""The example networks shipped with the app: the lecture's 2-2-2 network and the others."""

from __future__ import annotations

import os
from pathlib import Path

from explorer.files.model import SUFFIX

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "resources" / "examples"
LECTURE_EXAMPLE = EXAMPLES_DIR / "lecture-2-2-2.mlp.json"


def is_example(path: str | os.PathLike[str]) -> bool:
    """Return True for a file shipped in resources/examples (it opens as an untitled copy)."""
    try:
        return Path(path).resolve().parent == EXAMPLES_DIR.resolve()
    except OSError:
        return False


def default_example_path() -> Path:
    """Return the path of the lecture's 2-2-2 example, the network the window opens first."""
    return LECTURE_EXAMPLE


def example_paths() -> list[Path]:
    """Return the bundled example files, sorted by name."""
    return sorted(EXAMPLES_DIR.glob("*" + SUFFIX))
