"""Writing a network file: an exact, readable JSON layout, checked before it is written atomically.

Every file written goes through `save` (or `dumps` then `write`): checked by the reader first, so
load never refuses it. No Qt here.
"""

from __future__ import annotations

import json
import os
from typing import Any

from explorer.files.atomic import write_text_atomic
from explorer.files.model import FileFormatError, NetworkFile
from explorer.files.reader import from_dict


def _encode(value: Any, indent: int = 0) -> str:
    # Objects and lists of lists/objects go one item per line; a list of numbers stays on one
    # line, so each matrix row reads as a row. json.dumps writes floats with repr: exact.
    pad = "  " * indent
    if isinstance(value, dict) and value:
        items = [f"{pad}  {json.dumps(key)}: {_encode(item, indent + 1)}" for key, item in value.items()]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    if isinstance(value, list) and any(isinstance(item, (list, dict)) for item in value):
        if len(value) == 1 and isinstance(value[0], list) and not any(isinstance(v, list) for v in value[0]):
            return "[" + _encode(value[0]) + "]"  # a one-row matrix reads best on one line
        items = [f"{pad}  {_encode(item, indent + 1)}" for item in value]
        return "[\n" + ",\n".join(items) + f"\n{pad}]"
    return json.dumps(value, allow_nan=False, ensure_ascii=False)


def dumps(network_file: NetworkFile, source: str = "<string>") -> str:
    """Return the file's text; raise FileFormatError if the content could not be read back."""
    data = network_file.to_dict()
    try:
        from_dict(data, source)  # never write what load would refuse
    except FileFormatError as error:
        raise FileFormatError(f"cannot save: {error.problem}", source) from None
    return _encode(data) + "\n"


def save(path: str | os.PathLike[str], network_file: NetworkFile) -> None:
    """Write the file atomically (files.atomic): the old file stays whole if anything fails."""
    target = os.fspath(path)
    write(target, dumps(network_file, target))


def write(path: str | os.PathLike[str], text: str) -> None:
    """Write the text `dumps` returned atomically; raise FileFormatError with the old file unchanged."""
    target = os.fspath(path)
    try:
        write_text_atomic(target, text)
    except OSError as error:
        reason = error.strerror or str(error) or type(error).__name__
        if isinstance(error, IsADirectoryError):
            raise FileFormatError("cannot save: that is a folder", target) from None
        if isinstance(error, PermissionError) and "read-only" in reason:
            raise FileFormatError("cannot save: the file is read-only", target) from None
        raise FileFormatError(f"cannot save: {reason}; the old file is unchanged", target) from None
