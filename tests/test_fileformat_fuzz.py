"""Mutated network files: `loads` either reads them or raises FileFormatError, never anything else."""

from __future__ import annotations

import copy
import json

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from explorer.engine.csvdata import CsvError, load_csv
from explorer.files import examples, reader, writer
from explorer.files.model import MAX_MESSAGE, FileFormatError

BASES = [
    json.loads(path.read_text(encoding="utf-8"))
    for path in examples.example_paths()
    if path.name in ("lecture-2-2-2.mlp.json", "xor-2-2-1.mlp.json", "softmax-blobs-2-4-3.mlp.json")
]
KEYS = [
    "format",
    "version",
    "name",
    "loss",
    "layers",
    "sample",
    "dataset",
    "training",
    "activation",
    "weights",
    "bias",
    "x",
    "y",
    "learning_rate",
    "momentum",
    "batch_size",
    "epochs",
    "seed",
    "validation_fraction",
    "wieghts",
    "",
    "ß",
    '<img src="/dev/zero">',
    "<a href='x'>k</a>",
    "\ud800",
    "k" * 5000,
]
HOSTILE = ['<img src="f">', "<b>x</b>", "\ud800", "a\udfffb", "\x00", "k" * 3000, "é\u202e"]

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.sampled_from(
        ["sigmoid", "softmax", "relu", "step", "cross_entropy", "half_sse", "mlp-explorer/network"]
    ),
    st.sampled_from(HOSTILE),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=4), inner, max_size=4),
    ),
    max_leaves=12,
)


def paths(node, prefix=()):
    """Yield the path of every node of a JSON tree, the root first."""
    yield prefix
    if isinstance(node, dict):
        for key, child in node.items():
            yield from paths(child, prefix + (key,))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            yield from paths(child, prefix + (index,))


def at(node, path):
    for step in path:
        node = node[step]
    return node


def mutate(data, tree):
    """Apply one drawn mutation to tree and return the result."""
    path = data.draw(st.sampled_from(list(paths(tree))))
    kind = data.draw(
        st.sampled_from(["replace", "delete", "insert", "wrap", "unwrap", "duplicate", "numbers"])
    )
    if not path:
        return data.draw(values) if kind == "replace" else tree
    parent, last = at(tree, path[:-1]), path[-1]
    node = parent[last]
    if kind == "replace":
        parent[last] = data.draw(values)
    elif kind == "delete":
        del parent[last]
    elif kind == "insert" and isinstance(node, dict):
        node[data.draw(st.sampled_from(KEYS))] = data.draw(values)
    elif kind == "insert" and isinstance(node, list):
        node.insert(data.draw(st.integers(0, len(node))), data.draw(values))
    elif kind == "wrap":
        parent[last] = [node] if data.draw(st.booleans()) else {"x": node}
    elif kind == "unwrap" and isinstance(node, (list, dict)) and node:
        parent[last] = next(iter(node.values())) if isinstance(node, dict) else node[0]
    elif kind == "duplicate" and isinstance(node, list) and node:
        node.append(copy.deepcopy(node[-1]))
    elif kind == "numbers" and isinstance(node, (int, float)) and not isinstance(node, bool):
        parent[last] = data.draw(
            st.sampled_from([0, -1, 0.0, -0.0, 1e-320, 1e308, 10**400, 2**63, 0.5, 1e-9])
        )
    return tree


def check(text: str) -> None:
    try:
        loaded = reader.loads(text, "fuzz.mlp.json")
    except FileFormatError as error:
        message = str(error)
        assert "\n" not in message and message.startswith("fuzz.mlp.json: ")
        assert len(error.problem) <= MAX_MESSAGE  # quoted content is elided
        message.encode("utf-8")  # printable: no lone surrogate
        return
    # Whatever was read must write back and read again to the same content.
    again = reader.loads(writer.dumps(loaded))
    assert again == loaded


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_files_are_read_or_refused_cleanly(data):
    tree = copy.deepcopy(data.draw(st.sampled_from(BASES)))
    for _ in range(data.draw(st.integers(1, 3))):
        tree = mutate(data, tree)
    check(json.dumps(tree, allow_nan=True))


@settings(max_examples=100, deadline=None)
@given(st.data())
def test_damaged_text_is_read_or_refused_cleanly(data):
    text = json.dumps(data.draw(st.sampled_from(BASES)))
    cut = data.draw(st.integers(0, len(text)))
    damage = data.draw(st.sampled_from(["truncate", "insert", "delete"]))
    if damage == "truncate":
        text = text[:cut]
    elif damage == "insert":
        text = text[:cut] + data.draw(st.text(min_size=1, max_size=3)) + text[cut:]
    else:
        text = text[:cut] + text[cut + data.draw(st.integers(1, 5)) :]
    check(text)
    # The same damage as raw bytes, possibly not UTF-8.
    raw = text.encode("utf-8", "surrogatepass")
    position = data.draw(st.integers(0, len(raw)))
    try:
        reader.loads(raw[:position] + data.draw(st.binary(max_size=2)) + raw[position:], "fuzz.mlp.json")
    except FileFormatError:
        pass


CSV_BASE = "x1,x2,y\n0,0,0\n0,1,1\n1,0,1\n1,1,0\n"
CSV_CELLS = ["", "nan", "inf", "-1", "2", "0.5", "1e308", '<img src="f">', "\ud800", "a;b", '"', "z" * 500]


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_mutated_csv_is_read_or_refused_cleanly(data):
    rows = [line.split(",") for line in CSV_BASE.splitlines()]
    for _ in range(data.draw(st.integers(1, 4))):
        kind = data.draw(st.sampled_from(["cell", "drop", "duplicate", "widen", "separator"]))
        i = data.draw(st.integers(0, len(rows) - 1)) if rows else 0
        if kind == "cell" and rows:
            j = data.draw(st.integers(0, len(rows[i]) - 1)) if rows[i] else 0
            if rows[i]:
                rows[i][j] = data.draw(st.sampled_from(CSV_CELLS) | st.text(max_size=6))
        elif kind == "drop" and rows:
            del rows[i]
        elif kind == "duplicate" and rows:
            rows.insert(i, list(rows[i]))
        elif kind == "widen" and rows:
            rows[i].append(data.draw(st.sampled_from(CSV_CELLS)))
        elif kind == "separator":
            rows = [[";".join(row)] for row in rows]
    text = "\n".join(",".join(row) for row in rows) + "\n"
    loss = data.draw(st.sampled_from(["half_sse", "cross_entropy", None]))
    try:
        X, Y, names = load_csv(text, loss=loss)
    except CsvError as error:
        message = str(error)
        assert "\n" not in message and len(message) <= 400, message
        message.encode("utf-8")
        return
    assert X.shape[0] == Y.shape[0] and np.isfinite(X).all() and np.isfinite(Y).all()
    if loss == "cross_entropy":
        assert ((Y >= 0) & (Y <= 1)).all()
