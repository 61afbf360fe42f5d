"""What the import and export formats share: the layers read from a file, optional extras, atomic writes.

No Qt here, and nothing from a file is ever executed: readers take arrays and names, never code.
"""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass
from types import ModuleType

import numpy as np
import numpy.typing as npt

from explorer.engine.network import Network
from explorer.files import atomic
from explorer.files.model import MAX_PARAMETERS, FileFormatError

FloatArray = npt.NDArray[np.float64]

# Bytes a file may hold beyond its parameters (headers, names, graph structure).
OVERHEAD_BYTES = 16 * 2**20
MAX_FILE_BYTES = MAX_PARAMETERS * 8 + OVERHEAD_BYTES

DTYPES: dict[str, type[np.floating]] = {"float64": np.float64, "float32": np.float32}


@dataclass(frozen=True)
class ImportedLayers:
    """The weight layers found in a file, W^(k) as (outputs, inputs); activations/loss when it names them."""

    weights: list[FloatArray]
    biases: list[FloatArray | None]
    activations: tuple[str, ...] | None = None
    loss: str | None = None
    name: str | None = None

    @property
    def sizes(self) -> list[int]:
        """Return the neuron counts [n_0, ..., n_L]."""
        return [int(self.weights[0].shape[1])] + [int(w.shape[0]) for w in self.weights]


def require_extra(module: str, extra: str, what: str, source: str) -> ModuleType:
    """Import an optional package or raise FileFormatError naming the extra to install."""
    try:
        return importlib.import_module(module)
    except ImportError:
        raise FileFormatError(
            f"{what} needs the optional package {module}; "
            f'install it with pip install "mlp-explorer[{extra}]"',
            source,
        ) from None


def check_file_size(path: str) -> None:
    """Raise FileFormatError if the file is missing, a folder, or too big to hold a network we accept."""
    if os.path.isdir(path):
        raise FileFormatError("is a folder, not a network file", path)
    try:
        size = os.path.getsize(path)
    except FileNotFoundError:
        raise FileFormatError("no such file", path) from None
    except OSError as error:
        raise FileFormatError(f"cannot read the file ({error.strerror or error})", path) from None
    if size > MAX_FILE_BYTES:
        raise FileFormatError(
            f"file too big: {size:,} bytes (a network has at most {MAX_PARAMETERS:,} parameters)", path
        )


def as_float64(array: npt.NDArray[np.generic], name: str, source: str) -> FloatArray:
    """Return a float array as float64 (exact for float16/32); refuse other types, naming the array."""
    if array.dtype.kind != "f":
        raise FileFormatError(f"{name} holds {array.dtype} values; expected floating-point weights", source)
    return np.asarray(array, dtype=np.float64)


def network_arrays(network: Network, dtype: str) -> list[tuple[FloatArray, FloatArray | None]]:
    """Return each layer's (W, b or None) converted to the named float type."""
    kind = DTYPES[dtype]
    return [
        (layer.weights.astype(kind), None if layer.bias is None else layer.bias.astype(kind))
        for layer in network.layers
    ]


def write_atomic(path: str, data: bytes) -> None:
    """Write bytes with files.atomic (links followed, mode kept); FileFormatError on failure."""
    if os.path.isdir(path):
        raise FileFormatError("cannot write: that is a folder", path)
    try:
        atomic.write_atomic(path, data)
    except OSError as error:
        raise FileFormatError(f"cannot write: {error.strerror or error}", path) from None
