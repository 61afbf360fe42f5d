"""The files shipped inside the package: the example networks (the lecture's 2-2-2 first), the icon.

The source tree keeps them in the top-level resources/ folder; the wheel carries that folder as the
package explorer.resources, read through importlib.resources. Run from a source checkout that was
never installed, the same folder is found beside the explorer package.
"""

from __future__ import annotations

import importlib.resources
import os
from pathlib import Path

from explorer.files.model import SUFFIX

LECTURE_NAME = "lecture-2-2-2" + SUFFIX


def resources_dir() -> Path:
    """Return the folder of the shipped files (installed package or source checkout)."""
    try:
        root = importlib.resources.files("explorer.resources")
    except ModuleNotFoundError:  # a source checkout used without installing: resources/ beside explorer/
        return Path(__file__).resolve().parents[2] / "resources"
    # Installed as files (a wheel, or an editable install): a real folder the dialogs can show.
    return Path(str(root))


def examples_dir() -> Path:
    """Return the folder of the example networks."""
    return resources_dir() / "examples"


def icon_path() -> Path:
    """Return the application icon (SVG)."""
    return resources_dir() / "icons" / "mlp-explorer.svg"


EXAMPLES_DIR = examples_dir()
LECTURE_EXAMPLE = EXAMPLES_DIR / LECTURE_NAME


def is_example(path: str | os.PathLike[str]) -> bool:
    """Return True for a shipped example file (it opens as an untitled copy)."""
    try:
        return Path(path).resolve().parent == EXAMPLES_DIR.resolve()
    except OSError:
        return False


def default_example_path() -> Path:
    """Return the path of the lecture's 2-2-2 example, the network the window opens first."""
    return LECTURE_EXAMPLE


def example_paths() -> list[Path]:
    """Return the shipped example files, sorted by name."""
    return sorted(EXAMPLES_DIR.glob("*" + SUFFIX))
