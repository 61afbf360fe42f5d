"""Writing a network file: an exact, readable JSON layout, checked before it is written atomically.

Every file written goes through `save`: checked by the reader first, so load never refuses it. No Qt here.
"""

from __future__ import annotations

import json
import os
import secrets
import stat
from typing import Any

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
    """Write the file atomically: a temporary file in the same folder, fsync, then os.replace."""
    target = os.fspath(path)
    text = dumps(network_file, target)
    folder = os.path.dirname(os.path.abspath(target))
    mode = 0o666  # os.open applies the umask, as for any new file
    if os.path.isdir(target):
        raise FileFormatError("cannot save: that is a folder", target)
    if os.path.exists(target):
        if not os.access(target, os.W_OK):
            raise FileFormatError("cannot save: the file is read-only", target)
        mode = stat.S_IMODE(os.stat(target).st_mode)
    temporary = os.path.join(folder, f".{os.path.basename(target)}.{secrets.token_hex(4)}.tmp")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException as error:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        if isinstance(error, OSError):
            reason = error.strerror or str(error)
            raise FileFormatError(f"cannot save: {reason}; the old file is unchanged", target) from None
        raise
    _sync_folder(folder)


def _sync_folder(folder: str) -> None:
    # Makes the rename itself durable; some systems cannot open a folder, which is harmless.
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
