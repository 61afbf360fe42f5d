"""Reading QSettings defensively: a value of the wrong type or size is ignored, never raised.

A settings file is edited by hand, synced between machines with other Qt versions, or left corrupt
by a crash; none of that may stop the window from starting.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QSettings


def read_bytes(settings: QSettings, key: str) -> QByteArray | None:
    """Return the byte array stored under `key`, or None if there is none or it is anything else."""
    try:
        value = settings.value(key)
    except Exception:  # noqa: BLE001 - a value Qt cannot convert is as good as none
        return None
    if isinstance(value, (bytes, bytearray)):
        value = QByteArray(bytes(value))
    if isinstance(value, QByteArray) and not value.isEmpty():
        return value
    return None


def read_paths(settings: QSettings, key: str, limit: int) -> list[str]:
    """Return at most `limit` non-empty path strings stored under `key`; anything else is dropped.

    A longer list is cut to `limit` in the settings too, so it is converted only once.
    """
    try:
        value = settings.value(key)
    except Exception:  # noqa: BLE001 - a value Qt cannot convert is as good as none
        return []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return []
    paths = [item for item in value[: 4 * limit] if isinstance(item, str) and item and "\0" not in item]
    paths = list(dict.fromkeys(paths))[:limit]
    if len(value) > limit or len(paths) != len(value):
        try:
            settings.setValue(key, paths)
        except Exception:  # noqa: BLE001, S110 - a read-only settings file keeps its list; it is capped here anyway
            pass
    return paths
