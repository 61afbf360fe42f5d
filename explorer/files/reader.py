"""Reading a network file: parse the JSON text, then check every piece and build a NetworkFile.

`load` reads a file from disk, `loads` its text and `from_dict` parsed JSON. Every failure is a
FileFormatError naming the place and what was expected. No Qt here.
"""

from __future__ import annotations

import difflib
import json
import math
import os
import re
import stat
from typing import Any

import numpy as np

from explorer.engine.activations import ACTIVATIONS
from explorer.engine.losses import LOSSES, target_range_problem
from explorer.engine.network import Layer, Network
from explorer.files.model import (
    _LAYER_KEYS,
    _PAIR_KEYS,
    _TOP_KEYS,
    _TRAINING_KEYS,
    FORMAT,
    MAX_DATASET_NUMBERS,
    MAX_EPOCHS,
    MAX_FILE_BYTES,
    MAX_KEYS,
    MAX_LAYERS,
    MAX_NAME,
    MAX_NEURONS,
    MAX_PARAMETERS,
    MAX_ROWS,
    VERSION,
    FileFormatError,
    NetworkFile,
    TrainingConfig,
    quote,
)

_SURROGATE = re.compile("[\ud800-\udfff]")


class _TooManyKeys(Exception):
    """Raised from inside the JSON parser so that a huge object is refused before it is checked."""


class _Constant:
    """NaN, Infinity or -Infinity as written in the text, kept so that the check can say where."""

    def __init__(self, text: str) -> None:
        self.text = text


class _Object(dict[str, Any]):
    """A JSON object that remembers keys written twice."""

    duplicates: tuple[str, ...] = ()


def _object(pairs: list[tuple[str, Any]]) -> _Object:
    if len(pairs) > MAX_KEYS:
        raise _TooManyKeys(len(pairs))
    obj = _Object(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        repeated: list[str] = []
        for key, _ in pairs:
            if key in seen:
                repeated.append(key)
            seen.add(key)
        obj.duplicates = tuple(repeated)
    return obj


def _describe(value: Any) -> str:
    if isinstance(value, _Constant):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "null"
    if isinstance(value, str):
        return f"the string {quote(value)}"
    if isinstance(value, (list, tuple)):
        return "a list"
    if isinstance(value, dict):
        return "an object"
    return repr(value)


def _is_number(value: Any) -> bool:
    return type(value) in (float, int) or (
        isinstance(value, (int, float, np.floating, np.integer)) and not isinstance(value, (bool, np.bool_))
    )


class _Reader:
    """Checks a parsed file piece by piece; each failure names the place and what was expected."""

    def __init__(self, source: str) -> None:
        self.source = source
        self.loss = "half_sse"

    def no_surrogates(self, text: str, where: str) -> None:
        # Valid JSON ("\ud800") but not Unicode: no UTF-8 file could hold it, so Save would fail.
        found = _SURROGATE.search(text)
        if found:
            code = f"U+{ord(found.group()):04X}"
            raise self.fail(f"{where} holds a lone surrogate ({code}), which is not a character; remove it")

    def fail(self, problem: str) -> FileFormatError:
        return FileFormatError(problem, self.source)

    def keys(
        self, obj: Any, allowed: tuple[str, ...], required: tuple[str, ...], what: str, place: str
    ) -> None:
        if not isinstance(obj, dict):
            raise self.fail(f"{what} must be a JSON object, not {_describe(obj)}")
        for key in getattr(obj, "duplicates", ()):
            raise self.fail(f"key {quote(key)} is written twice {place}")
        for key in obj:
            if key not in allowed:
                close = _suggest(key, allowed)
                hint = f"did you mean {close!r}?" if close else "expected " + ", ".join(allowed)
                raise self.fail(f"unknown key {quote(key)} {place} ({hint})")
        missing = [key for key in required if key not in obj]
        if missing:
            names = ", ".join(repr(key) for key in missing)
            raise self.fail(f"missing key{'s' if len(missing) > 1 else ''} {names} {place}")

    def number(self, value: Any, where: str) -> float:
        if isinstance(value, _Constant):
            raise self.fail(f"{where} is {value.text}; only finite numbers are allowed")
        if not _is_number(value):
            raise self.fail(f"{where} must be a number, not {_describe(value)}")
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if math.isnan(number):
            raise self.fail(f"{where} is NaN; only finite numbers are allowed")
        if math.isinf(number):
            raise self.fail(f"{where} is too large for a 64-bit float (beyond ±1.8e308)")
        return number

    def integer(self, value: Any, where: str, low: int, high: int) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            if isinstance(value, float) and math.isinf(value):
                raise self.fail(f"{where} is too large (at most {high:,})")
            raise self.fail(f"{where} must be an integer, not {_describe(value)}")
        if value > high and len(str(value)) > 20:
            raise self.fail(f"{where} is too large (at most {high:,})")
        if not low <= value <= high:
            raise self.fail(f"{where} must be between {low:,} and {high:,}, not {value}")
        return value

    def vector(
        self, value: Any, where: str, length: int | None = None, expected: str = "", item: str = "entry"
    ) -> np.ndarray:
        if not isinstance(value, list):
            raise self.fail(f"{where} must be a list of numbers, not {_describe(value)}")
        if length is not None and len(value) != length:
            raise self.fail(f"{where} has {_count(len(value), 'number')}, expected {length}{expected}")
        if not all(type(v) is float or type(v) is int for v in value):
            for j, v in enumerate(value):  # slow path only to name the culprit
                self.number(v, f"{where}, {item} {j + 1}")
        try:
            array = np.array(value, dtype=np.float64)
        except OverflowError:  # an integer beyond the float range
            array = np.array([self.number(v, f"{where}, {item} {j + 1}") for j, v in enumerate(value)])
        if not np.isfinite(array).all():
            j = int(np.flatnonzero(~np.isfinite(array))[0])
            self.number(value[j], f"{where}, {item} {j + 1}")
        return array

    def matrix(self, value: Any, where: str, what: str = "row") -> list[Any]:
        """Check a list of lists and return it; the caller checks widths and converts."""
        if not isinstance(value, list):
            raise self.fail(f"{where} must be a list of {what}s (lists of numbers), not {_describe(value)}")
        if not value:
            raise self.fail(f"{where} has no {what}s")
        limit = MAX_ROWS if what == "row" and where.startswith("dataset") else MAX_NEURONS
        if len(value) > limit:
            raise self.fail(f"{where} has {len(value):,} {what}s (the limit is {limit:,})")
        for i, row in enumerate(value):
            if not isinstance(row, list):
                raise self.fail(f"{where} {what} {i + 1} must be a list of numbers, not {_describe(row)}")
        return value

    def rows(self, value: list[Any], where: str, width: int, expected: str, what: str = "row") -> np.ndarray:
        for i, row in enumerate(value):
            if len(row) != width:
                raise self.fail(
                    f"{where} {what} {i + 1} has {_count(len(row), 'number')}, expected {width}{expected}"
                )
            self.vector(row, f"{where} {what} {i + 1}", item="column")
        return np.array(value, dtype=np.float64).reshape(len(value), width)

    def file(self, data: Any) -> NetworkFile:
        if not isinstance(data, dict):
            raise self.fail(f"not a network file: the top level must be a JSON object, not {_describe(data)}")
        if "format" in data:
            if data["format"] != FORMAT:
                raise self.fail(
                    f"not a network file: format is {_describe(data['format'])}, expected {FORMAT!r}"
                )
        elif not any(_suggest(key, ("format",)) for key in data):
            raise self.fail(f'not an MLP Explorer network file (no "format": "{FORMAT}" key)')
        if "version" in data:
            version = data["version"]
            if isinstance(version, bool) or not isinstance(version, int):
                raise self.fail(f"version must be an integer, not {_describe(version)}")
            if version > VERSION:
                raise self.fail(
                    f"written by a newer MLP Explorer (version {version}); this one reads version {VERSION}"
                )
            if version < VERSION:
                raise self.fail(f"version {version} does not exist; this one reads version {VERSION}")
        self.keys(data, _TOP_KEYS, ("format", "version", "layers"), "the file", "at the top level")
        name = data.get("name", "")
        if not isinstance(name, str):
            raise self.fail(f"name must be a string, not {_describe(name)}")
        if len(name) > MAX_NAME:
            raise self.fail(f"name has {len(name):,} characters (the limit is {MAX_NAME})")
        self.no_surrogates(name, "name")
        loss = data.get("loss", "half_sse")
        if not isinstance(loss, str):
            raise self.fail(f"loss must be a name, not {_describe(loss)}")
        if loss not in LOSSES:
            raise self.fail(f"unknown loss {quote(loss)}{_choices(loss, LOSSES)}")
        network = Network(self.layers(data["layers"]), loss, name)
        allowed = LOSSES[loss].output_activations
        if allowed is not None and network.layers[-1].activation not in allowed:
            raise self.fail(
                f"loss {loss} needs a {' or '.join(allowed)} output layer, "
                f"not {network.layers[-1].activation} (layer {network.num_layers})"
            )
        try:
            network.validate()
        except (ValueError, KeyError) as error:  # a guard: the checks above should have said it
            raise self.fail(str(error)) from None
        n_in, n_out = network.input_size, network.output_size
        dataset_x = dataset_y = None
        self.loss = loss
        if data.get("dataset") is not None:
            dataset_x, dataset_y = self.dataset(data["dataset"], n_in, n_out)
        sample_x = sample_y = None
        if data.get("sample") is not None:
            sample = data["sample"]
            self.keys(sample, _PAIR_KEYS, _PAIR_KEYS, "sample", "in sample")
            sample_x = self.vector(sample["x"], "sample x", n_in, " (the network's input size)")
            sample_y = self.vector(sample["y"], "sample y", n_out, " (the network's output size)")
            problem = target_range_problem(loss, sample_y)
            if problem:
                raise self.fail("sample y: " + problem.split(", ", 1)[1])
        training = self.training(data.get("training") or {})
        return NetworkFile(network, sample_x, sample_y, dataset_x, dataset_y, training)

    def layers(self, value: Any) -> list[Layer]:
        if not isinstance(value, list):
            raise self.fail(f"layers must be a list of layer objects, not {_describe(value)}")
        if not value:
            raise self.fail("layers is empty: a network needs at least one layer")
        if len(value) > MAX_LAYERS:
            raise self.fail(f"the network has {len(value):,} layers (the limit is {MAX_LAYERS})")
        layers: list[Layer] = []
        previous = None
        count = 0
        for k, item in enumerate(value, start=1):
            where = f"layer {k}"
            self.keys(item, _LAYER_KEYS, ("activation", "weights"), where, f"in {where}")
            activation = item["activation"]
            if not isinstance(activation, str):
                raise self.fail(f"{where}: activation must be a name, not {_describe(activation)}")
            if activation not in ACTIVATIONS:
                raise self.fail(
                    f"{where}: unknown activation {quote(activation)}{_choices(activation, ACTIVATIONS)}"
                )
            if ACTIVATIONS[activation].last_layer_only and k != len(value):
                raise self.fail(
                    f"{where}: {activation} is allowed in the last layer only (this network has {len(value)})"
                )
            rows = self.matrix(item["weights"], f"{where}: weights")
            width = len(rows[0])
            if width == 0:
                raise self.fail(f"{where}: weights row 1 is empty (a layer needs at least one input)")
            if width > MAX_NEURONS:
                raise self.fail(f"{where}: weights have {width:,} columns (the limit is {MAX_NEURONS:,})")
            if previous is not None and width != previous:
                raise self.fail(
                    f"{where}: weights have {width} columns, expected {previous} "
                    f"(one per neuron of layer {k - 1})"
                )
            count += len(rows) * width + (0 if item.get("bias") is None else len(rows))
            if count > MAX_PARAMETERS:
                total = count + sum(_size_guess(later) for later in value[k:])
                raise self.fail(f"network too big: {total:,} parameters (the limit is {MAX_PARAMETERS:,})")
            for i, row in enumerate(rows):
                if len(row) != width:
                    raise self.fail(
                        f"{where}: weights row {i + 1} has {_count(len(row), 'number')}, "
                        f"but row 1 has {width} (every row needs one weight per input)"
                    )
            weights = self.rows(rows, f"{where}: weights", width, "")
            bias = item.get("bias")
            if bias is not None:
                bias = self.vector(bias, f"{where}: bias", len(rows), f" (one per neuron of layer {k})")
            layers.append(Layer(weights, bias, activation))
            previous = len(rows)
        return layers

    def dataset(self, value: Any, n_in: int, n_out: int) -> tuple[np.ndarray, np.ndarray]:
        self.keys(value, _PAIR_KEYS, _PAIR_KEYS, "dataset", "in dataset")
        x_rows = self.matrix(value["x"], "dataset x")
        y_rows = self.matrix(value["y"], "dataset y")
        if len(x_rows) != len(y_rows):
            raise self.fail(f"dataset has {len(x_rows)} x rows but {len(y_rows)} y rows (they must pair up)")
        numbers = len(x_rows) * (n_in + n_out)
        if numbers > MAX_DATASET_NUMBERS:
            raise self.fail(f"dataset too big: {numbers:,} numbers (the limit is {MAX_DATASET_NUMBERS:,})")
        x = self.rows(x_rows, "dataset x", n_in, " (the network's input size)")
        y = self.rows(y_rows, "dataset y", n_out, " (the network's output size)")
        problem = target_range_problem(self.loss, y)
        if problem:
            raise self.fail(f"dataset y {problem}")
        return x, y

    def training(self, value: Any) -> TrainingConfig:
        self.keys(value, _TRAINING_KEYS, (), "training", "in training")
        defaults = TrainingConfig()
        rate = self.number(value.get("learning_rate", defaults.learning_rate), "training learning_rate")
        if rate <= 0:
            raise self.fail(f"training learning_rate must be above 0, not {rate!r}")
        momentum = self.number(value.get("momentum", defaults.momentum), "training momentum")
        if not 0 <= momentum < 1:
            raise self.fail(f"training momentum must be at least 0 and below 1, not {momentum!r}")
        batch = value.get("batch_size")
        if batch is not None:
            batch = self.integer(batch, "training batch_size", 1, MAX_DATASET_NUMBERS)
        epochs = self.integer(value.get("epochs", defaults.epochs), "training epochs", 0, MAX_EPOCHS)
        seed = self.integer(value.get("seed", defaults.seed), "training seed", 0, 2**63 - 1)
        fraction = self.number(value.get("validation_fraction", 0.0), "training validation_fraction")
        if not 0 <= fraction < 1:
            raise self.fail(f"training validation_fraction must be at least 0 and below 1, not {fraction!r}")
        return TrainingConfig(rate, momentum, batch, epochs, seed, fraction)


def _size_guess(layer: Any) -> int:
    try:
        return len(layer["weights"]) * len(layer["weights"][0]) + len(layer.get("bias") or ())
    except (TypeError, KeyError, IndexError, AttributeError):
        return 0


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


def _suggest(word: Any, choices: tuple[str, ...] | list[str]) -> str | None:
    """Return the choice closest to word, ignoring case, or None if none is close."""
    lowered = {choice.lower(): choice for choice in choices}
    close = difflib.get_close_matches(str(word).lower(), list(lowered), n=1, cutoff=0.6)
    return lowered[close[0]] if close else None


def _choices(value: Any, names: dict[str, Any]) -> str:
    close = _suggest(value, list(names)) if isinstance(value, str) else None
    hint = f"did you mean {close!r}? " if close else ""
    return f" ({hint}choose from {', '.join(names)})"


def _decode(data: bytes, source: str) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise FileFormatError("the file is UTF-16 text; save it as UTF-8", source)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        byte = data[error.start]
        raise FileFormatError(
            f"not UTF-8 text (byte 0x{byte:02x} at offset {error.start}); save the file as UTF-8", source
        ) from None


def loads(text: str | bytes, source: str = "<string>") -> NetworkFile:
    """Parse and check the text of a network file; raise FileFormatError naming the problem."""
    if isinstance(text, (bytes, bytearray)):
        if not text:
            raise FileFormatError("the file is empty (0 bytes)", source)
        text = _decode(bytes(text), source)
    if not text.strip():
        raise FileFormatError("the file is empty" + (" (only whitespace)" if text else ""), source)
    try:
        data = json.loads(text, parse_constant=_Constant, object_pairs_hook=_object)
    except json.JSONDecodeError as error:
        where = f"line {error.lineno}, column {error.colno}"
        if error.pos >= len(text.rstrip()) or error.msg.startswith("Unterminated string"):
            raise FileFormatError(f"the file is truncated: the JSON stops early ({where})", source) from None
        raise FileFormatError(f"not valid JSON: {error.msg} at {where}", source) from None
    except RecursionError:
        raise FileFormatError("not a network file: the JSON is nested too deeply", source) from None
    except _TooManyKeys as error:
        raise FileFormatError(
            f"not a network file: an object has {error.args[0]:,} keys (the limit is {MAX_KEYS})", source
        ) from None
    except ValueError as error:  # Python refuses integers of more than 4300 digits
        if "digits" in str(error):
            raise FileFormatError(
                "a number is too large (an integer with thousands of digits)", source
            ) from None
        raise FileFormatError(f"not valid JSON: {error}", source) from None
    return from_dict(data, source)


def from_dict(data: Any, source: str = "<dict>") -> NetworkFile:
    """Check a parsed file and build a NetworkFile; raise FileFormatError naming the problem."""
    return _Reader(source).file(data)


def load(path: str | os.PathLike[str]) -> NetworkFile:
    """Read and check a network file; raise FileFormatError naming the file and the problem.

    Only a regular file of at most MAX_FILE_BYTES is read: it is checked with stat before it is
    opened, and opened without blocking, so a FIFO or a device never hangs or floods the reader.
    """
    source = os.fspath(path)
    return loads(read_regular_file(source, MAX_FILE_BYTES, "network file"), source)


def read_regular_file(source: str, limit: int, what: str = "file") -> bytes:
    """Return the bytes of a regular file of at most `limit` bytes; raise FileFormatError otherwise."""
    try:
        kind = _kind(os.stat(source).st_mode)
        if kind:
            raise FileFormatError(f"is {kind}, not a {what}", source)
        descriptor = _open_descriptor(source, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as handle:
            info = os.fstat(handle.fileno())  # what was opened, should the path have changed since
            kind = _kind(info.st_mode)
            if kind:
                raise FileFormatError(f"is {kind}, not a {what}", source)
            if info.st_size > limit:
                raise FileFormatError(_too_big(info.st_size, limit), source)
            data = handle.read(limit + 1)
    except FileNotFoundError:
        raise FileFormatError("no such file", source) from None
    except PermissionError:
        raise FileFormatError("cannot read the file (permission denied)", source) from None
    except IsADirectoryError:
        raise FileFormatError("is a folder, not a network file", source) from None
    except OSError as error:
        raise FileFormatError(f"cannot read the file ({error.strerror or error})", source) from None
    if len(data) > limit:  # grew while being read
        raise FileFormatError(_too_big(len(data), limit), source)
    return data


_open_descriptor = os.open  # tests replace it to act as an unprivileged user


def _too_big(size: int, limit: int) -> str:
    return f"the file is too big ({size / 2**20:,.1f} MiB; the limit is {limit / 2**20:,.0f} MiB)"


def _kind(mode: int) -> str | None:
    """Return what a non-regular file is ("a folder", "a FIFO", ...), or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "something other than a regular file"
