"""The network file format `.mlp.json`, version 1: dict <-> NetworkFile, load/save, one error type.

A file holds the network (layers of weights, optional bias and activation, and the loss), the
sample the step-through uses, an optional data set and the training settings. Every problem is
reported as a FileFormatError whose text is one line, "FILE: problem". No Qt here.

The format lives in three parts, all re-exported here so that `from explorer.fileformat import X`
keeps working: fileformat_model (constants and the data types), fileformat_reader (loads and its
checks) and fileformat_writer (dumps and the atomic save). This module reads files from disk and
knows the bundled examples.
"""

from __future__ import annotations

import os
from pathlib import Path

from explorer.files.model import (
    FORMAT,
    MAX_DATASET_NUMBERS,
    MAX_EPOCHS,
    MAX_PARAMETERS,
    SUFFIX,
    VERSION,
    FileFormatError,
    NetworkFile,
    TrainingConfig,
)
from explorer.files.reader import loads
from explorer.files.writer import dumps, save

__all__ = [
    "EXAMPLES_DIR",
    "FORMAT",
    "LECTURE_EXAMPLE",
    "MAX_DATASET_NUMBERS",
    "MAX_EPOCHS",
    "MAX_PARAMETERS",
    "SUFFIX",
    "VERSION",
    "FileFormatError",
    "NetworkFile",
    "TrainingConfig",
    "default_example_path",
    "dumps",
    "example_paths",
    "is_example",
    "load",
    "loads",
    "save",
]

EXAMPLES_DIR = Path(__file__).resolve().parents[2] / "resources" / "examples"
LECTURE_EXAMPLE = EXAMPLES_DIR / "lecture-2-2-2.mlp.json"


def load(path: str | os.PathLike) -> NetworkFile:
    """Read and check a network file; raise FileFormatError naming the file and the problem."""
    source = os.fspath(path)
    try:
        if os.path.isdir(source):
            raise FileFormatError("is a folder, not a network file", source)
        with open(source, "rb") as handle:
            data = handle.read()
    except FileNotFoundError:
        raise FileFormatError("no such file", source) from None
    except PermissionError:
        raise FileFormatError("cannot read the file (permission denied)", source) from None
    except IsADirectoryError:
        raise FileFormatError("is a folder, not a network file", source) from None
    except OSError as error:
        raise FileFormatError(f"cannot read the file ({error.strerror or error})", source) from None
    return loads(data, source)


def is_example(path: str | os.PathLike) -> bool:
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
