"""Networks in and out: export a network file to .py, .npz or .onnx, import .npz, .safetensors or .onnx.

The format follows the file name's suffix. An import becomes a NetworkFile checked by the file
format's reader, so an imported network obeys every rule a saved one does. No Qt here.
"""

from __future__ import annotations

import os
from collections.abc import Sequence

from explorer.engine.activations import ACTIVATIONS
from explorer.files import reader
from explorer.files.exchange_common import DTYPES, ImportedLayers, write_atomic
from explorer.files.export_scripts import numpy_script, torch_script
from explorer.files.model import FORMAT, VERSION, FileFormatError, NetworkFile
from explorer.files.onnx_io import onnx_bytes, read_onnx
from explorer.files.weights_io import npz_bytes, read_npz, read_safetensors

EXPORT_SUFFIXES = (".py", ".npz", ".onnx")
IMPORT_SUFFIXES = (".npz", ".safetensors", ".onnx")
FRAMEWORKS = ("numpy", "torch")
ALIASES = {"identity": "linear"}


def export_network(
    network_file: NetworkFile, path: str, dtype: str = "float64", framework: str = "numpy"
) -> None:
    """Write the network to `path` in the format of its suffix; FileFormatError names any problem."""
    if dtype not in DTYPES:
        raise FileFormatError(f"unknown dtype {dtype!r} (choose from {', '.join(DTYPES)})", path)
    if framework not in FRAMEWORKS:
        raise FileFormatError(f"unknown framework {framework!r} (choose from {', '.join(FRAMEWORKS)})", path)
    suffix = os.path.splitext(path)[1].lower()
    if suffix != ".py" and framework != "numpy":
        raise FileFormatError(
            f"--framework {framework} writes a .py script, not {suffix or 'a file without suffix'}", path
        )
    if suffix == ".py":
        script = numpy_script if framework == "numpy" else torch_script
        data = script(network_file, dtype).encode("utf-8")
    elif suffix == ".npz":
        data = npz_bytes(network_file.network, dtype)
    elif suffix == ".onnx":
        data = onnx_bytes(network_file.network, dtype, path)
    else:
        raise FileFormatError(
            f"cannot tell the format from the suffix {suffix or '(none)'!r}; use .py, .npz or .onnx", path
        )
    write_atomic(path, data)


def read_layers(path: str) -> ImportedLayers:
    """Read the weight layers (and activations and loss if the file names them) from `path`."""
    suffix = os.path.splitext(path)[1].lower()
    if suffix == ".npz":
        return read_npz(path)
    if suffix == ".safetensors":
        return read_safetensors(path)
    if suffix == ".onnx":
        return read_onnx(path)
    if suffix in (".pt", ".pth", ".pkl", ".pickle", ".ckpt", ".bin"):
        raise FileFormatError(
            f"{suffix} files are pickles and are never loaded; save the weights as .safetensors or .npz", path
        )
    raise FileFormatError(
        f"cannot import {suffix or 'a file without suffix'}; import reads .npz, .safetensors or .onnx", path
    )


def parse_activations(text: str, source: str = "--activations") -> tuple[str, ...]:
    """Return the activation names of a comma-separated list; FileFormatError names an unknown one."""
    names = tuple(ALIASES.get(part.strip(), part.strip()) for part in text.split(","))
    for name in names:
        if name not in ACTIVATIONS:
            raise FileFormatError(
                f"unknown activation {name!r} (choose from {', '.join(ACTIVATIONS)})", source
            )
    return names


def build_file(
    layers: ImportedLayers,
    source: str,
    activations: Sequence[str] | None = None,
    loss: str | None = None,
    name: str | None = None,
) -> NetworkFile:
    """Return the NetworkFile of imported layers, checked as the reader checks a saved file."""
    count = len(layers.weights)
    chosen = tuple(activations) if activations is not None else layers.activations
    if chosen is None:
        raise FileFormatError(
            f"the file holds {count} weight layers (sizes {'-'.join(map(str, layers.sizes))}) but no "
            f"activations; name them with --activations, e.g. {','.join(['sigmoid'] * count)}",
            source,
        )
    if len(chosen) != count:
        raise FileFormatError(f"{len(chosen)} activations named for {count} weight layers", source)
    if (
        activations is not None
        and layers.activations is not None
        and tuple(activations) != layers.activations
    ):
        raise FileFormatError(
            f"the file names its activations ({','.join(layers.activations)}); --activations "
            f"{','.join(activations)} disagrees",
            source,
        )
    data = {
        "format": FORMAT,
        "version": VERSION,
        "name": name if name is not None else layers.name or os.path.basename(source).split(".")[0],
        "loss": loss or layers.loss or "half_sse",
        "layers": [
            {"activation": g, "weights": w.tolist(), "bias": None if b is None else b.tolist()}
            for g, w, b in zip(chosen, layers.weights, layers.biases)
        ],
    }
    return reader.from_dict(data, source)


def import_network(
    path: str, activations: Sequence[str] | None = None, loss: str | None = None
) -> NetworkFile:
    """Read `path` and return it as a NetworkFile (activations/loss given here override none in the file)."""
    return build_file(read_layers(path), path, activations, loss)
