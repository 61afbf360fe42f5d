"""What a network file holds: the format's constants, FileFormatError, TrainingConfig and NetworkFile.

The reader (files.reader) builds these from JSON and the writer (files.writer) turns them back into
JSON; both build on this module and neither imports the other. No Qt here.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

import numpy as np

from explorer.engine.network import Network
from explorer.engine.training import TrainingSettings

FORMAT = "mlp-explorer/network"
VERSION = 1
SUFFIX = ".mlp.json"
MAX_PARAMETERS = 10**7
MAX_DATASET_NUMBERS = 10**7
MAX_EPOCHS = 10**9
# Caps that keep a valid file from freezing the window; the README's file-format section lists them.
MAX_FILE_BYTES = 256 * 2**20  # 10^7 numbers at ~25 characters each fit
MAX_LAYERS = 100  # layers with weights (hidden + output)
MAX_NEURONS = 10_000  # per layer, inputs included
MAX_ROWS = 10**6  # data-set rows
MAX_KEYS = 64  # per JSON object (the format uses at most 8)
MAX_NAME = 200  # characters of the network's name
MAX_MESSAGE = 300  # characters of an error message's problem; longer ones end in "…"
QUOTE = 40  # characters of file content quoted in a message before "…"

_TOP_KEYS = ("format", "version", "name", "loss", "layers", "sample", "dataset", "training")
_LAYER_KEYS = ("activation", "weights", "bias")
_PAIR_KEYS = ("x", "y")
_TRAINING_KEYS = ("learning_rate", "momentum", "batch_size", "epochs", "seed", "validation_fraction")


class FileFormatError(Exception):
    """A file that cannot be read or written; str() is one line, "SOURCE: problem"."""

    def __init__(self, problem: str, source: str = "<string>") -> None:
        self.problem = elide(" ".join(str(problem).split()), MAX_MESSAGE)  # one short line
        self.source = elide(str(source), MAX_MESSAGE)
        super().__init__(f"{self.source}: {self.problem}")


def elide(text: str, limit: int = QUOTE) -> str:
    """Return `text` cut to `limit` characters, ending in "…" when it was longer."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def one_line(error: BaseException, limit: int = 200) -> str:
    """Return an exception's message on one line of at most `limit` characters (its type if empty)."""
    return elide(" ".join(str(error).split()) or type(error).__name__, limit)


def quote(value: object, limit: int = QUOTE) -> str:
    """Return a repr of file content for a message: at most `limit` characters, lone surrogates escaped."""
    text = str(value)
    shown = repr(elide(text, limit))
    return shown.encode("utf-8", "backslashreplace").decode("utf-8")


@dataclass(frozen=True)
class TrainingConfig(TrainingSettings):
    """The training settings stored in a file: the engine's TrainingSettings, written as JSON."""

    def as_kwargs(self) -> dict[str, Any]:
        """Return the settings as keyword arguments for TrainingSettings(**kwargs)."""
        return asdict(self)

    def to_dict(self) -> dict[str, Any]:
        """Return the file's "training" object (validation_fraction only when it is not 0)."""
        data = asdict(self)
        if not self.validation_fraction:
            del data["validation_fraction"]
        return data


@dataclass(eq=False)
class NetworkFile:
    """Everything one file holds; sample_x/sample_y left as None get the documented defaults.

    dataset_x has shape (N, n_inputs) and dataset_y (N, n_outputs), one sample per row.
    """

    network: Network
    sample_x: np.ndarray | None = None
    sample_y: np.ndarray | None = None
    dataset_x: np.ndarray | None = None
    dataset_y: np.ndarray | None = None
    training: TrainingConfig = field(default_factory=TrainingConfig)

    def __post_init__(self) -> None:
        if self.dataset_x is not None and self.dataset_y is not None and len(self.dataset_x) > 0:
            first_x, first_y = self.dataset_x[0], self.dataset_y[0]
        else:
            first_x, first_y = np.zeros(self.network.input_size), np.zeros(self.network.output_size)
        if self.sample_x is None:
            self.sample_x = np.array(first_x, dtype=np.float64)
        if self.sample_y is None:
            self.sample_y = np.array(first_y, dtype=np.float64)

    @property
    def name(self) -> str:
        """Return the network's name."""
        return self.network.name

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, NetworkFile):
            return NotImplemented
        return self.to_dict() == other.to_dict()

    def to_dict(self) -> dict[str, Any]:
        """Return the file's content as plain JSON-ready Python values."""
        net = self.network
        data: dict[str, Any] = {"format": FORMAT, "version": VERSION, "name": net.name, "loss": net.loss}
        data["layers"] = [
            {
                "activation": layer.activation,
                "weights": _floats(layer.weights),
                "bias": None if layer.bias is None else _floats(layer.bias),
            }
            for layer in net.layers
        ]
        data["sample"] = {"x": _floats(self.sample_x), "y": _floats(self.sample_y)}
        if self.dataset_x is not None and self.dataset_y is not None:
            data["dataset"] = {"x": _floats(self.dataset_x), "y": _floats(self.dataset_y)}
        data["training"] = self.training.to_dict()
        return data


def _floats(values: Any) -> Any:
    return np.asarray(values, dtype=np.float64).tolist()
