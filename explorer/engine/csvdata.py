"""Read a data set from CSV text, with one-line errors that name the row and column at fault.

Rows are numbered from 1 as a spreadsheet shows them (the header, if any, is row 1); columns are
named by their header, or numbered from 1 when the file has none. In the API, columns are picked by
header name or by 0-based position (negative positions count from the end, -1 is the last column).
"""

from __future__ import annotations

import csv
import io
import math
import os
import stat
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from explorer.engine.arrays import Array
from explorer.engine.losses import target_range_problem

Column = str | int
MAX_CSV_BYTES = 256 * 2**20  # as for network files (files.model.MAX_FILE_BYTES)
MAX_CSV_ROWS = 10**6  # as for a network file's data set (files.model.MAX_ROWS)
QUOTE = 40  # characters of a cell quoted in a message before "…"


class CsvError(ValueError):
    """A CSV problem, described in one line for the user."""


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


def width_problem(
    n_input_columns: int, n_target_columns: int, network_sizes: Sequence[int], source: str = "CSV"
) -> str | None:
    """Return a sentence explaining a mismatch between data columns and the network, or None."""
    problems = []
    if network_sizes[0] != n_input_columns:
        problems.append(
            f"the network takes {_plural(network_sizes[0], 'input')}, "
            f"the {source} gives {_plural(n_input_columns, 'input column')}"
        )
    if network_sizes[-1] != n_target_columns:
        problems.append(
            f"the network gives {_plural(network_sizes[-1], 'output')}, "
            f"the {source} gives {_plural(n_target_columns, 'target column')}"
        )
    return "; ".join(problems) or None


def check_width(X: Array, Y: Array, network_sizes: Sequence[int]) -> None:
    """Raise CsvError if X and Y do not have the columns the network of these sizes needs."""
    problem = width_problem(np.shape(X)[1], np.shape(Y)[1], network_sizes)
    if problem:
        raise CsvError(problem)


def quote(text: object, limit: int = QUOTE) -> str:
    """Return a repr of a cell or name for a message: at most `limit` characters, then "…"."""
    text = str(text)
    shown = repr(text if len(text) <= limit else text[: limit - 1] + "…")
    return shown.encode("utf-8", "backslashreplace").decode("utf-8")


def _shown(name: str) -> str:
    # A file name starts the message as it is; only a long or unprintable one is cut or escaped.
    return quote(name, 80)[1:-1]


def _kind(mode: int) -> str | None:
    if stat.S_ISREG(mode):
        return None
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def read_csv_bytes(
    path: str | os.PathLike[str], limit: int = MAX_CSV_BYTES, head: int | None = None
) -> bytes:
    """Return the bytes of a regular file of at most `limit` bytes; a FIFO or device is never read.

    With `head`, return only the first `head` bytes (for a preview) and allow any size.
    The kind is checked with stat before opening, and the open does not block, so a FIFO cannot hang.
    """
    name = Path(path).name
    try:
        kind = _kind(os.stat(path).st_mode)
        if kind is None:
            descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
            with os.fdopen(descriptor, "rb") as handle:
                info = os.fstat(handle.fileno())
                kind = _kind(info.st_mode)
                if kind is None and head is not None:
                    return handle.read(head)
                if kind is None:
                    if info.st_size > limit:
                        raise CsvError(
                            f"{name} is too big ({info.st_size / 2**20:,.1f} MiB; the limit is "
                            f"{limit / 2**20:,.0f} MiB)"
                        )
                    data = handle.read(limit + 1)
                    if len(data) > limit:
                        raise CsvError(f"{name} is too big (the limit is {limit / 2**20:,.0f} MiB)")
                    return data
    except FileNotFoundError:
        raise CsvError(f"there is no file {quote(os.fspath(path), 200)}") from None
    except OSError as error:
        raise CsvError(f"cannot read {_shown(name)}: {error.strerror or error}") from None
    raise CsvError(f"{_shown(name)} is {kind}, not a CSV file")


def _read_text(source: str | os.PathLike[str]) -> str:
    if isinstance(source, str) and not os.path.lexists(source):
        # Not a file: CSV text if it looks like data (or is blank), else a path that is missing.
        if "\n" in source or not source.strip() or any(mark in source for mark in ",;\t"):
            return source
        raise CsvError(f"there is no file {quote(source, 200)}")
    path = Path(source)
    try:
        return read_csv_bytes(path).decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvError(f"{_shown(path.name)} is not a UTF-8 text file") from None


def _delimiter(text: str) -> str:
    first = next((line for line in text.splitlines() if line.strip()), "")
    if "\t" in first:
        return "\t"
    if ";" in first and "," not in first:
        return ";"
    return ","


def _is_number(cell: str) -> bool:
    try:
        float(cell)
    except ValueError:
        return False
    return True


def _table(text: str, has_header: bool | None) -> tuple[list[str], list[tuple[int, list[str]]], bool]:
    """Split text into (column names, [(spreadsheet row, cells)], whether row 1 is a header)."""
    text = text.lstrip("\ufeff")
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
    rows = []
    try:
        for cells in reader:
            if any(cell.strip() for cell in cells):  # blank lines are skipped but still counted
                rows.append((reader.line_num, [cell.strip() for cell in cells]))
                if len(rows) > MAX_CSV_ROWS + 1:  # + 1: a header row
                    raise CsvError(f"the file has more than {MAX_CSV_ROWS:,} rows (the limit)")
    except csv.Error as error:
        raise CsvError(f"row {reader.line_num}: {error}") from None
    if not rows:
        raise CsvError("the file is empty")
    first_row, first = rows[0]
    if has_header is None:
        # A header is a first row with some non-numeric cell.
        has_header = any(cell and not _is_number(cell) for cell in first)
    width = len(first)
    for row, cells in rows[1:]:
        if len(cells) != width:
            raise CsvError(
                f"row {row} has {_plural(len(cells), 'cell')} but row {first_row} has {width} "
                "(every row needs the same number of columns)"
            )
    if has_header:
        names = [cell or f"column {j + 1}" for j, cell in enumerate(first)]
        return names, rows[1:], True
    return [f"column {j + 1}" for j in range(width)], rows, False


def _label(names: list[str], index: int, has_header: bool) -> str:
    return f"column {index + 1} ({quote(names[index])})" if has_header else f"column {index + 1}"


def _resolve(column: Column, names: list[str], has_header: bool) -> int:
    width = len(names)
    if isinstance(column, (int, np.integer)) and not isinstance(column, bool):
        if not -width <= column < width:
            raise CsvError(
                f"there is no column {column + 1 if column >= 0 else column} "
                f"(the file has {_plural(width, 'column')})"
            )
        return int(column) % width
    if not has_header:
        raise CsvError(f"the file has no header row, so column {quote(column)} must be given by number")
    matches = [j for j, name in enumerate(names) if name == column]
    if not matches:
        listed = ", ".join(names)
        listed = listed if len(listed) <= 200 else listed[:199] + "…"
        raise CsvError(f"there is no column named {quote(column)} (the columns are: {listed})")
    if len(matches) > 1:
        raise CsvError(f"{len(matches)} columns are named {quote(column)}; pick one by number")
    return matches[0]


def csv_columns(path_or_text: str | os.PathLike[str], has_header: bool | None = None) -> list[str]:
    """Return the column names of a CSV file (or "column 1", ... when it has no header)."""
    return _table(_read_text(path_or_text), has_header)[0]


def load_csv(
    path_or_text: str | os.PathLike[str],
    input_columns: Sequence[Column] | None = None,
    target_columns: Sequence[Column] | None = None,
    has_header: bool | None = None,
    loss: str | None = None,
) -> tuple[Array, Array, list[str]]:
    """Read rows of numbers; return (X, Y, column_names) with one sample per row.

    `path_or_text` is a path, or the CSV text itself (a string with a newline or a delimiter that is
    not a file). By default the last column is the target and every other column an input.
    `has_header=None` guesses: the first row is a header if a cell in it is not a number.
    column_names lists the input columns' names, then the target columns'. With `loss`, targets
    that loss cannot take (cross-entropy: outside [0, 1]) are refused, naming the row.
    """
    names, rows, has_header = _table(_read_text(path_or_text), has_header)
    if not rows:
        raise CsvError("the file has a header row but no data rows")
    width = len(names)
    targets = (
        [width - 1] if target_columns is None else [_resolve(c, names, has_header) for c in target_columns]
    )
    if input_columns is None:
        inputs = [j for j in range(width) if j not in targets]
    else:
        inputs = [_resolve(c, names, has_header) for c in input_columns]
    if not inputs:
        raise CsvError("no input columns are chosen")
    if not targets:
        raise CsvError("no target columns are chosen")
    for j in set(inputs) & set(targets):
        raise CsvError(f"{_label(names, j, has_header)} is chosen as both an input and a target")
    chosen = inputs + targets
    values = np.empty((len(rows), len(chosen)))
    for i, (row, cells) in enumerate(rows):
        for c, j in enumerate(chosen):
            cell = cells[j]
            try:
                number = float(cell)
            except ValueError:
                where = f"row {row}, {_label(names, j, has_header)}"
                if not cell:
                    raise CsvError(f"{where} is empty; every chosen column needs a number") from None
                raise CsvError(f"{where}: {quote(cell)} is not a number") from None
            if not math.isfinite(number):
                raise CsvError(
                    f"row {row}, {_label(names, j, has_header)}: {quote(cell)} is not a finite number"
                )
            values[i, c] = number
    n_in = len(inputs)
    problem = None if loss is None else target_range_problem(loss, values[:, n_in:], [r for r, _ in rows])
    if problem:
        raise CsvError(problem)
    return values[:, :n_in].copy(), values[:, n_in:].copy(), [names[j] for j in chosen]
