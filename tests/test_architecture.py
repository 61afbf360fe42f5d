"""The engine and the file format never load Qt: checked in a fresh interpreter."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import explorer

PACKAGE_DIR = Path(explorer.__file__).resolve().parent
QT_PREFIXES = ("PySide6", "shiboken6", "pyqtgraph")


def qt_free_modules() -> list[str]:
    """Return every module of explorer.engine found by walking its folder, and the file-format modules."""
    names = []
    for path in sorted((PACKAGE_DIR / "engine").rglob("*.py")):
        parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
        if parts[-1] == "__init__":
            parts = parts[:-1]
        names.append(".".join(parts))
    # The file format and the modules it is split into: all of them must stay free of Qt.
    names += sorted(f"explorer.{path.stem}" for path in PACKAGE_DIR.glob("fileformat*.py"))
    return names


# Runs in the child: import the given modules, then report which Qt modules came with them.
CHILD = """
import importlib, json, sys
for name in json.loads(sys.argv[1]):
    importlib.import_module(name)
prefixes = tuple(json.loads(sys.argv[2]))
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0].startswith(prefixes))))
"""


def test_module_walk_finds_the_engine() -> None:
    names = qt_free_modules()
    for expected in ("explorer.engine", "explorer.engine.network", "explorer.engine.stepper"):
        assert expected in names


def test_engine_and_file_format_never_import_qt() -> None:
    names = qt_free_modules()
    result = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(names), json.dumps(QT_PREFIXES)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded == [], f"importing {names} loaded Qt modules: {loaded}"


def test_the_check_itself_sees_qt_when_it_is_imported() -> None:
    # Guards against a check that could never fail (for example a wrong prefix match).
    result = subprocess.run(
        [sys.executable, "-c", CHILD, json.dumps(["shiboken6"]), json.dumps(QT_PREFIXES)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "shiboken6" in json.loads(result.stdout.strip().splitlines()[-1])
