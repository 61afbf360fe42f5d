"""Writing a file so that a crash or a full disk never leaves it half written: the one way the app writes.

The data goes to a temporary file beside the real target, is flushed to disk, and replaces the
target in one rename. A symbolic link is followed, so the link stays a link and the file it points
to gets the new content; a file with several hard links is rewritten in place (after the data was
written out once in full), so every link keeps seeing it. A new file gets the usual mode (0666 less
the umask, applied by the system); an existing one keeps its mode. The process umask is never
changed. Temporary files that a killed save left behind in the folder are removed by the next save
there. No Qt here.
"""

from __future__ import annotations

import os
import re
import secrets
import stat
import time

TEMPORARY = re.compile(r"^\..+\.[0-9a-f]{8}\.tmp$")
STALE_SECONDS = 60.0  # a temporary file older than this belongs to no save still running


def temporary_name(target: str) -> str:
    """Return a fresh temporary path beside `target`: .NAME.xxxxxxxx.tmp."""
    folder, name = os.path.split(target)
    return os.path.join(folder, f".{name}.{secrets.token_hex(4)}.tmp")


def remove_stale_temporaries(folder: str, now: float | None = None) -> list[str]:
    """Remove temporary files that earlier saves into `folder` left behind; return their paths."""
    removed: list[str] = []
    now = time.time() if now is None else now
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return removed
    for entry in entries:
        if not TEMPORARY.match(entry.name):
            continue
        try:
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime > STALE_SECONDS:
                os.unlink(entry.path)
                removed.append(entry.path)
        except OSError:
            continue
    return removed


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


def _write_all(descriptor: int, data: bytes) -> None:
    with os.fdopen(descriptor, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())


def write_atomic(path: str | os.PathLike[str], data: bytes) -> str:
    """Write `data` to `path` (through symbolic links) so that it is either all old or all new.

    Return the real path written. Raise OSError (IsADirectoryError for a folder, PermissionError
    for a read-only file or folder) with the file unchanged.
    """
    target = os.path.realpath(os.fspath(path))
    folder = os.path.dirname(target)
    mode = 0o666  # os.open applies the umask to a new file, as for any program
    links = 1
    try:
        info = os.stat(target)
    except FileNotFoundError:
        info = None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, "that is a folder", target)
        if not stat.S_ISREG(info.st_mode):
            raise OSError(22, "that is not a regular file", target)
        if not os.access(target, os.W_OK):
            raise PermissionError(13, "the file is read-only", target)
        mode = stat.S_IMODE(info.st_mode)
        links = info.st_nlink
    remove_stale_temporaries(folder)
    temporary = temporary_name(target)
    try:
        _write_all(os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode), data)
        if links == 1:
            os.replace(temporary, target)
    except BaseException:
        try:
            os.unlink(temporary)
        except OSError:
            pass
        raise
    if links > 1:
        # Every hard link must see the new content, so it is copied into the file itself. The
        # data is safe in the temporary file first: if the copy fails, that file is kept and named.
        try:
            _write_all(os.open(target, os.O_WRONLY | os.O_TRUNC), data)
        except OSError as error:
            raise OSError(
                error.errno, f"{error.strerror}; the new content is kept in {temporary}", target
            ) from None
        os.unlink(temporary)
    _sync_folder(folder)
    return target


def write_text_atomic(path: str | os.PathLike[str], text: str) -> str:
    """Write `text` as UTF-8 with write_atomic; return the real path written."""
    return write_atomic(path, text.encode("utf-8"))
