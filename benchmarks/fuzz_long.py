"""A long fuzz run (not in CI): mutated network files and CSVs through the real readers.

Every file must be read (and then write back and read again to the same content) or refused with a
FileFormatError/CsvError of one line of at most a few hundred characters; anything else is a crash.
Run: PYTHONPATH=. python benchmarks/fuzz_long.py [--files 10000] [--csv 10000] [--seed 1]
"""

from __future__ import annotations

import argparse
import copy
import json
import random
import sys
import time
import traceback
from collections import Counter
from typing import Any

from explorer.engine.csvdata import CsvError, load_csv
from explorer.files import examples, reader, writer
from explorer.files.model import MAX_MESSAGE, FileFormatError

HOSTILE = [
    '<img src="/dev/zero">',
    "<a href='x'>k</a>",
    "\ud800",
    "a\udfffb",
    "\x00",
    "k" * 20_000,
    "é\u202e",
]
KEYS = ["format", "version", "name", "loss", "layers", "sample", "dataset", "training", "activation",
        "weights", "bias", "x", "y", "learning_rate", "momentum", "batch_size", "epochs", "seed",
        "validation_fraction", "wieghts", "", *HOSTILE]  # fmt: skip
SCALARS: list[Any] = [None, True, False, 0, -1, 1, 0.5, -0.0, 1e-320, 1e308, 10**400, 2**63, float("nan"),
                      float("inf"), "sigmoid", "softmax", "relu", "step", "cross_entropy", "half_sse",
                      "mlp-explorer/network", 1.5, 2, -3, *HOSTILE]  # fmt: skip


def paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    found = [prefix]
    if isinstance(node, dict):
        for key, child in node.items():
            found += paths(child, prefix + (key,))
    elif isinstance(node, list):
        for index, child in enumerate(node):
            found += paths(child, prefix + (index,))
    return found


def value(rng: random.Random, depth: int = 0) -> Any:
    roll = rng.random()
    if depth < 2 and roll < 0.15:
        return [value(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    if depth < 2 and roll < 0.25:
        return {rng.choice(KEYS): value(rng, depth + 1) for _ in range(rng.randint(0, 3))}
    return rng.choice(SCALARS)


def mutate(rng: random.Random, tree: Any) -> Any:
    path = rng.choice(paths(tree))
    kind = rng.choice(["replace", "delete", "insert", "wrap", "unwrap", "duplicate", "grow"])
    if not path:
        return value(rng) if kind == "replace" else tree
    parent = tree
    for step in path[:-1]:
        parent = parent[step]
    last = path[-1]
    node = parent[last]
    if kind == "replace":
        parent[last] = value(rng)
    elif kind == "delete":
        del parent[last]
    elif kind == "insert" and isinstance(node, dict):
        node[rng.choice(KEYS)] = value(rng)
    elif kind == "insert" and isinstance(node, list):
        node.insert(rng.randint(0, len(node)), value(rng))
    elif kind == "wrap":
        parent[last] = [node] if rng.random() < 0.5 else {"x": node}
    elif kind == "unwrap" and isinstance(node, (list, dict)) and node:
        parent[last] = next(iter(node.values())) if isinstance(node, dict) else node[0]
    elif kind == "duplicate" and isinstance(node, list) and node:
        node.append(copy.deepcopy(node[-1]))
    elif kind == "grow" and isinstance(node, list) and node:
        node.extend(copy.deepcopy(node[-1]) for _ in range(rng.choice([10, 200, 2000])))
    return tree


def check_message(message: str, limit: int) -> str | None:
    if "\n" in message:
        return "message has a line break"
    if len(message) > limit:
        return f"message of {len(message)} characters"
    try:
        message.encode("utf-8")
    except UnicodeEncodeError:
        return "message not printable as UTF-8"
    return None


def run_files(count: int, rng: random.Random, counts: Counter[str], failures: list[str]) -> None:
    bases = [json.loads(path.read_text(encoding="utf-8")) for path in examples.example_paths()]
    for n in range(count):
        tree = copy.deepcopy(rng.choice(bases))
        for _ in range(rng.randint(1, 4)):
            tree = mutate(rng, tree)
        text = json.dumps(tree, allow_nan=True)
        if rng.random() < 0.2:  # damage the text itself
            cut = rng.randint(0, len(text))
            text = (
                text[:cut]
                + rng.choice(["", "{", "]", '"', "\\", ",", "\ud800"])
                + text[cut + rng.randint(0, 3) :]
            )
        started = time.perf_counter()
        try:
            loaded = reader.loads(text, "fuzz.mlp.json")
            again = reader.loads(writer.dumps(loaded))
            if again != loaded:
                failures.append(f"file {n}: does not round-trip")
            counts["files read"] += 1
        except FileFormatError as error:
            counts["files refused"] += 1
            problem = check_message(error.problem, MAX_MESSAGE)
            if problem:
                failures.append(f"file {n}: {problem}")
        except Exception:  # noqa: BLE001 - the point of the run: any other exception is a crash
            counts["files crashed"] += 1
            failures.append(f"file {n}: {traceback.format_exc(limit=3)}")
        counts["slowest file ms"] = max(
            counts["slowest file ms"], int(1000 * (time.perf_counter() - started))
        )


CSV_CELLS = [
    "",
    "nan",
    "inf",
    "-1",
    "2",
    "0.5",
    "1e308",
    '<img src="f">',
    "\ud800",
    "a;b",
    '"',
    "z" * 5000,
    "\t",
]


def run_csv(count: int, rng: random.Random, counts: Counter[str], failures: list[str]) -> None:
    for n in range(count):
        width = rng.randint(2, 5)
        rows = [[f"c{j}" for j in range(width)]] + [
            [str(rng.choice([0, 1, 0.25])) for _ in range(width)] for _ in range(rng.randint(1, 8))
        ]
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(rows))
            kind = rng.choice(["cell", "drop", "duplicate", "widen"])
            if kind == "cell" and rows[i]:
                rows[i][rng.randrange(len(rows[i]))] = rng.choice(CSV_CELLS)
            elif kind == "drop" and len(rows) > 1:
                del rows[i]
            elif kind == "duplicate":
                rows.insert(i, list(rows[i]))
            elif kind == "widen":
                rows[i].append(rng.choice(CSV_CELLS))
        text = "\n".join(",".join(row) for row in rows) + "\n"
        loss = rng.choice(["half_sse", "cross_entropy", None])
        try:
            X, Y, _ = load_csv(text, loss=loss)
            counts["CSVs read"] += 1
            if loss == "cross_entropy" and not ((Y >= 0) & (Y <= 1)).all():
                failures.append(f"CSV {n}: cross-entropy target outside [0, 1] accepted")
        except CsvError as error:
            counts["CSVs refused"] += 1
            problem = check_message(str(error), 400)
            if problem:
                failures.append(f"CSV {n}: {problem}")
        except Exception:  # noqa: BLE001 - any other exception is a crash
            counts["CSVs crashed"] += 1
            failures.append(f"CSV {n}: {traceback.format_exc(limit=3)}")


def main() -> int:
    """Run the fuzzers and print the counts; status 1 if anything crashed or misbehaved."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--csv", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    rng = random.Random(options.seed)
    counts: Counter[str] = Counter()
    failures: list[str] = []
    started = time.perf_counter()
    run_files(options.files, rng, counts, failures)
    run_csv(options.csv, rng, counts, failures)
    names = ["files read", "files refused", "files crashed", "slowest file ms"]
    for name in names + ["CSVs read", "CSVs refused", "CSVs crashed"]:
        print(f"{name}: {counts[name]}")
    print(f"problems: {len(failures)}; {time.perf_counter() - started:.1f} s")
    for failure in failures[:10]:
        print(failure, file=sys.stderr)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
