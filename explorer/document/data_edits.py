"""Undoable data set and training-settings edits on a document, as structure_edits.py does for the shape.

Each builds the new state and pushes one ReplaceState, so it is one undo step and is saved in the
file. A change that does not fit raises ValueError with a one-line message for the user (the caller
shows it); nothing changes then. An edit to the values already held pushes nothing.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from explorer.document import structure_edits as structure
from explorer.document.commands import replace_state
from explorer.document.document import Document
from explorer.engine.init import reinitialise
from explorer.engine.training import TrainingSettings
from explorer.files.model import MAX_DATASET_NUMBERS, MAX_EPOCHS, TrainingConfig

MAX_SEED = 2**63 - 1

# How each setting is named in messages and undo texts.
SETTING_NAMES = {
    "learning_rate": "learning rate",
    "momentum": "momentum",
    "batch_size": "batch size",
    "epochs": "epochs",
    "seed": "seed",
    "validation_fraction": "validation fraction",
}


def _count(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def fit_problem(name: str, n_inputs: int, n_targets: int, sizes: Sequence[int]) -> str | None:
    """Return a sentence saying why data of this width does not fit a network of `sizes`, or None."""
    wrong = []
    if sizes[0] != n_inputs:
        wrong.append(f"takes {_count(sizes[0], 'input')}")
    if sizes[-1] != n_targets:
        wrong.append(f"gives {_count(sizes[-1], 'output')}")
    if not wrong:
        return None
    return (
        f"{name} has {_count(n_inputs, 'input')} and {_count(n_targets, 'target')}; "
        f"the network {' and '.join(wrong)}"
    )


def _table(values: npt.ArrayLike, what: str) -> np.ndarray:
    array = np.array(values, dtype=float)  # a copy: later edits of the caller's array stay out
    if array.ndim == 1:
        array = array[:, None]
    if array.ndim != 2 or array.shape[1] == 0:
        raise ValueError(f"the {what} must be a table with one sample per row")
    if not np.isfinite(array).all():
        raise ValueError(f"the {what} contain values that are not finite numbers")
    return array


def set_dataset(
    document: Document, X: npt.ArrayLike, Y: npt.ArrayLike, text: str, name: str = "the data set"
) -> None:
    """Replace the training data set with rows X (N, n_inputs) and Y (N, n_outputs), undoably."""
    X, Y = _table(X, "inputs"), _table(Y, "targets")
    if len(X) != len(Y):
        raise ValueError(f"{name} has {len(X)} input rows but {len(Y)} target rows")
    if len(X) == 0:
        raise ValueError(f"{name} has no samples")
    numbers = X.size + Y.size
    if numbers > MAX_DATASET_NUMBERS:
        raise ValueError(f"{name} is too big: {numbers:,} numbers (the limit is {MAX_DATASET_NUMBERS:,})")
    problem = fit_problem(name, X.shape[1], Y.shape[1], document.network.sizes)
    if problem:
        raise ValueError(problem)
    state = document.state
    if (
        state.dataset_x is not None
        and state.dataset_y is not None
        and np.array_equal(state.dataset_x, X)
        and np.array_equal(state.dataset_y, Y)
    ):
        return
    replace_state(document, document.replaced(dataset_x=X, dataset_y=Y), text)


def clear_dataset(document: Document) -> None:
    """Remove the data set (training then uses the sample as its one row), undoably."""
    if document.state.dataset_x is None:
        return
    replace_state(document, document.replaced(dataset_x=None, dataset_y=None), "Clear data set")


def _whole(value: object, name: str, low: int, high: int) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"the {name} must be a whole number, not {value!r}")
    if isinstance(value, (float, np.floating)) and not (math.isfinite(value) and float(value).is_integer()):
        raise ValueError(f"the {name} must be a whole number, not {value:g}")
    number = int(value)
    if not low <= number <= high:
        raise ValueError(f"the {name} must be from {low:,} to {high:,}, not {number:,}")
    return number


def checked_training(config: TrainingConfig, **changes: Any) -> TrainingConfig:
    """Return `config` with `changes` applied; raise ValueError naming the first bad setting."""
    for key in changes:
        if key not in SETTING_NAMES:
            raise ValueError(f"there is no training setting {key!r} (choose from {', '.join(SETTING_NAMES)})")
    if "batch_size" in changes and changes["batch_size"] is not None:
        changes["batch_size"] = _whole(changes["batch_size"], "batch size", 1, MAX_DATASET_NUMBERS)
    if "epochs" in changes:
        changes["epochs"] = _whole(changes["epochs"], "number of epochs", 0, MAX_EPOCHS)
    if "seed" in changes:
        changes["seed"] = _whole(changes["seed"], "seed", 0, MAX_SEED)
    for key in ("learning_rate", "momentum", "validation_fraction"):
        if key in changes:
            try:
                changes[key] = float(changes[key])
            except (TypeError, ValueError):
                raise ValueError(f"the {SETTING_NAMES[key]} must be a number, not {changes[key]!r}") from None
    new = dataclasses.replace(config, **changes)
    TrainingSettings(**new.as_kwargs()).validate()  # the trainer's own rules, with its messages
    return new


def _describe(changes: dict[str, Any]) -> str:
    parts = []
    for key, value in changes.items():
        if value is None:
            shown = "full"  # only the batch size can be None
        elif isinstance(value, float):
            shown = f"{value:g}"
        else:
            shown = str(value)
        parts.append(f"{SETTING_NAMES[key]} {shown}")
    return "Training: " + ", ".join(parts)


def set_training(document: Document, **changes: Any) -> None:
    """Change training settings (learning_rate=..., batch_size=None for full batch, ...), undoably."""
    old = document.state.training
    new = checked_training(old, **changes)
    if new == old:
        return
    changed = {key: getattr(new, key) for key in changes if getattr(new, key) != getattr(old, key)}
    replace_state(document, document.replaced(training=new), _describe(changed))


def reset_weights(document: Document, seed: int) -> None:
    """Draw fresh weights (zero biases) for the same structure from `seed`, undoably."""
    seed = _whole(seed, "seed", 0, MAX_SEED)
    network = reinitialise(document.network, seed)
    structure.set_network(document, network, f"Reset weights (seed {seed})")
