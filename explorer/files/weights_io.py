"""Weights as named arrays: write .npz (W1, b1, ..., meta) and read .npz or .safetensors into layers.

Array names understood: ours and any W1, b1, W2, ... set, or PyTorch state-dict names of an
nn.Sequential (`0.weight`, `0.bias`, `2.weight`, ..., optionally under one prefix such as `net.`).
Both store W^(k) as (outputs, inputs). Nothing is unpickled (allow_pickle=False). No Qt here.
"""

from __future__ import annotations

import io
import json
import re
import zipfile
from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt

from explorer.engine.network import Network
from explorer.files.exchange_common import (
    MAX_FILE_BYTES,
    FloatArray,
    ImportedLayers,
    as_float64,
    check_file_size,
    network_arrays,
    require_extra,
)
from explorer.files.model import MAX_PARAMETERS, FileFormatError

MAX_ARRAYS = 2000
_LECTURE_NAME = re.compile(r"^([Wb])([1-9][0-9]*)$")
_TORCH_NAME = re.compile(r"^(?:(.+)\.)?([0-9]+)\.(weight|bias)$")
_PICKLE_MAGIC = (b"\x80", b"(", b"c")


def npz_bytes(network: Network, dtype: str = "float64") -> bytes:
    """Return an .npz holding W1, b1, ..., WL, bL (no bK without bias) and a JSON string `meta`."""
    arrays: dict[str, Any] = {}
    for k, (weights, bias) in enumerate(network_arrays(network, dtype), start=1):
        arrays[f"W{k}"] = weights
        if bias is not None:
            arrays[f"b{k}"] = bias
    meta = {
        "format": "mlp-explorer/weights",
        "name": network.name,
        "loss": network.loss,
        "activations": [layer.activation for layer in network.layers],
        "sizes": network.sizes,
        "layout": "W^(k) has shape (outputs, inputs); z = W a + b",
    }
    arrays["meta"] = np.array(json.dumps(meta))
    buffer = io.BytesIO()
    np.savez(buffer, **arrays)
    return buffer.getvalue()


def read_npz(path: str) -> ImportedLayers:
    """Read layers from an .npz without unpickling anything; FileFormatError names what is wrong."""
    check_file_size(path)
    with open(path, "rb") as handle:
        head = handle.read(4)
    if head.startswith(_PICKLE_MAGIC):
        raise FileFormatError("a pickled file, not an .npz archive; pickles are never loaded", path)
    if not head.startswith(b"PK"):
        raise FileFormatError("not an .npz archive (no zip header)", path)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as error:
        raise FileFormatError(f"not a valid .npz archive ({error})", path) from None
    if len(members) > MAX_ARRAYS:
        raise FileFormatError(f"too many arrays: {len(members):,} (at most {MAX_ARRAYS:,})", path)
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_FILE_BYTES:
        raise FileFormatError(
            f"too big once unpacked: {unpacked:,} bytes "
            f"(a network has at most {MAX_PARAMETERS:,} parameters)",
            path,
        )
    arrays: dict[str, npt.NDArray[Any]] = {}
    try:
        with np.load(path, allow_pickle=False) as npz:
            for name in npz.files:
                try:
                    arrays[name] = npz[name]
                except ValueError as error:
                    if "pickle" in str(error):
                        raise FileFormatError(
                            f"array {name!r} is a pickled object array; pickles are never loaded", path
                        ) from None
                    raise FileFormatError(f"array {name!r} cannot be read ({error})", path) from None
    except (OSError, ValueError, zipfile.BadZipFile, EOFError) as error:
        raise FileFormatError(f"not a valid .npz archive ({error})", path) from None
    meta = _meta(arrays.pop("meta", None), path)
    layers = layers_from_arrays(arrays, path)
    activations = meta.get("activations")
    if activations is not None:
        if not isinstance(activations, list) or not all(isinstance(a, str) for a in activations):
            raise FileFormatError("meta activations must be a list of names", path)
        if len(activations) != len(layers.weights):
            raise FileFormatError(
                f"meta names {len(activations)} activations for {len(layers.weights)} layers", path
            )
    loss = meta.get("loss")
    if loss is not None and not isinstance(loss, str):
        raise FileFormatError("meta loss must be a name", path)
    name = meta.get("name")
    if name is not None and not isinstance(name, str):
        raise FileFormatError("meta name must be a string", path)
    return ImportedLayers(
        layers.weights, layers.biases, None if activations is None else tuple(activations), loss, name
    )


def _meta(value: npt.NDArray[Any] | None, source: str) -> dict[str, Any]:
    if value is None:
        return {}
    if value.dtype.kind != "U" or value.shape != ():
        raise FileFormatError(
            f"array 'meta' must be one JSON string, not {value.dtype} {value.shape}", source
        )
    try:
        meta = json.loads(str(value))
    except ValueError as error:
        raise FileFormatError(f"array 'meta' is not valid JSON ({error})", source) from None
    if not isinstance(meta, dict):
        raise FileFormatError("array 'meta' must hold a JSON object", source)
    return meta


def read_safetensors(path: str) -> ImportedLayers:
    """Read layers from a .safetensors file with PyTorch nn.Sequential names (or W1, b1, ...)."""
    check_file_size(path)
    require_extra("safetensors", "safetensors", "reading .safetensors", path)
    from safetensors import safe_open

    arrays: dict[str, npt.NDArray[Any]] = {}
    try:
        with safe_open(path, framework="numpy") as handle:
            names = list(handle.keys())
            if len(names) > MAX_ARRAYS:
                raise FileFormatError(f"too many tensors: {len(names):,} (at most {MAX_ARRAYS:,})", path)
            for name in names:
                dtype = handle.get_slice(name).get_dtype()
                if dtype not in ("F16", "F32", "F64"):
                    raise FileFormatError(
                        f"tensor {name!r} holds {dtype} values; expected F16, F32 or F64 weights", path
                    )
                arrays[name] = handle.get_tensor(name)
    except FileFormatError:
        raise
    except Exception as error:  # the safetensors package raises its own error types
        raise FileFormatError(f"not a valid .safetensors file ({error})", path) from None
    return layers_from_arrays(arrays, path)


def layers_from_arrays(arrays: Mapping[str, npt.NDArray[Any]], source: str) -> ImportedLayers:
    """Return the layers named W1/b1/... or N.weight/N.bias; refuse anything else, naming it."""
    if not arrays:
        raise FileFormatError("the file holds no arrays", source)
    names = sorted(arrays)
    if all(_LECTURE_NAME.match(name) for name in names):
        pairs = {
            (int(m.group(2)), "weight" if m.group(1) == "W" else "bias"): name
            for name in names
            if (m := _LECTURE_NAME.match(name))
        }
    elif all(_TORCH_NAME.match(name) for name in names):
        matches = {name: _TORCH_NAME.match(name) for name in names}
        prefixes = {m.group(1) for m in matches.values() if m}
        if len(prefixes) > 1:
            shown = ", ".join(sorted(repr(p or "") for p in prefixes))
            raise FileFormatError(
                f"arrays under more than one module ({shown}): not one nn.Sequential", source
            )
        pairs = {(int(m.group(2)), m.group(3)): name for name, m in matches.items() if m}
    else:
        odd = next(n for n in names if not (_LECTURE_NAME.match(n) or _TORCH_NAME.match(n)))
        raise FileFormatError(
            f"unexpected array {odd!r}: expected W1, b1, W2, ... or PyTorch names 0.weight, 0.bias, ...",
            source,
        )
    indices = sorted({index for index, _ in pairs})
    if names[0][0] in "Wb" and indices != list(range(1, len(indices) + 1)):
        missing = min(set(range(1, len(indices) + 1)) - set(indices))
        raise FileFormatError(f"W{missing} is missing: layers are numbered 1, 2, ... without gaps", source)
    weights: list[FloatArray] = []
    biases: list[FloatArray | None] = []
    total = 0
    for index in indices:
        weight_name = pairs.get((index, "weight"))
        bias_name = pairs.get((index, "bias"))
        if weight_name is None:
            raise FileFormatError(f"{bias_name} has no weight matrix beside it", source)
        weight = arrays[weight_name]
        if weight.ndim != 2:
            hint = " (a convolution?)" if weight.ndim > 2 else ""
            raise FileFormatError(
                f"{weight_name} has shape {tuple(weight.shape)}: not a Linear layer's matrix{hint}", source
            )
        k = len(weights) + 1
        if weights and weight.shape[1] != weights[-1].shape[0]:
            raise FileFormatError(
                f"{weight_name} has shape {tuple(weight.shape)} (outputs, inputs): {weight.shape[1]} inputs, "
                f"but layer {k - 1} has {weights[-1].shape[0]} outputs",
                source,
            )
        if 0 in weight.shape:
            raise FileFormatError(f"{weight_name} is empty (shape {tuple(weight.shape)})", source)
        bias: FloatArray | None = None
        if bias_name is not None:
            raw = arrays[bias_name]
            if raw.shape != (weight.shape[0],):
                raise FileFormatError(
                    f"{bias_name} has shape {tuple(raw.shape)}, expected ({weight.shape[0]},) "
                    f"like the rows of {weight_name}",
                    source,
                )
            bias = as_float64(raw, bias_name, source)
        total += weight.size + (0 if bias is None else bias.size)
        if total > MAX_PARAMETERS:
            raise FileFormatError(f"network too big: over {MAX_PARAMETERS:,} parameters", source)
        weights.append(as_float64(weight, weight_name, source))
        biases.append(bias)
    return ImportedLayers(weights, biases)
