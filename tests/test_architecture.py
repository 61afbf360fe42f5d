"""The layers keep their shape: engine, files and text never load Qt, and no module imports in a cycle.

Both are checked on the real modules: the Qt check imports them in a fresh interpreter, the cycle
check reads every module's imports (top level and inside functions) and looks for a cycle among them.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import explorer

PACKAGE_DIR = Path(explorer.__file__).resolve().parent
QT_PREFIXES = ("PySide6", "shiboken6", "pyqtgraph")
QT_FREE_FOLDERS = ("engine", "files", "text")


def module_name(path: Path) -> str:
    """Return the dotted name of a module file inside the package."""
    parts = path.relative_to(PACKAGE_DIR.parent).with_suffix("").parts
    if parts[-1] == "__init__":
        parts = parts[:-1]
    return ".".join(parts)


def all_modules() -> dict[str, Path]:
    """Return every module of the package by dotted name."""
    return {module_name(path): path for path in sorted(PACKAGE_DIR.rglob("*.py"))}


def qt_free_modules() -> list[str]:
    """Return every module of the Qt-free folders, found by walking them."""
    names = []
    for folder in QT_FREE_FOLDERS:
        names += [module_name(path) for path in sorted((PACKAGE_DIR / folder).rglob("*.py"))]
    return names


# Runs in the child: import the given modules, then report which Qt modules came with them.
CHILD = """
import importlib, json, sys
for name in json.loads(sys.argv[1]):
    importlib.import_module(name)
prefixes = tuple(json.loads(sys.argv[2]))
print(json.dumps(sorted(m for m in sys.modules if m.split(".")[0].startswith(prefixes))))
"""


def test_module_walk_finds_every_qt_free_folder() -> None:
    names = qt_free_modules()
    for expected in (
        "explorer.engine",
        "explorer.engine.network",
        "explorer.engine.stepper",
        "explorer.files.reader",
        "explorer.files.writer",
        "explorer.text.notation",
    ):
        assert expected in names


def test_engine_files_and_text_never_import_qt() -> None:
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


def imported_modules(path: Path, name: str, known: set[str]) -> set[str]:
    """Return the package modules that the module at `path` imports when it runs, anywhere in its body.

    Imports under `if TYPE_CHECKING:` are left out: they never run, so they cannot make a cycle.
    """
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    tree = ast.parse(path.read_text(encoding="utf-8"))
    type_only: set[int] = set()
    for node in ast.walk(tree):
        test = node.test if isinstance(node, ast.If) else None
        if (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
            isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
        ):
            type_only.update(id(inner) for statement in node.body for inner in ast.walk(statement))
    for node in ast.walk(tree):
        if id(node) in type_only:
            continue
        targets: list[str] = []
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = name.split(".") if is_package else name.split(".")[:-1]
                base = base[: len(base) - (node.level - 1)]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            targets = [source] + [f"{source}.{alias.name}" for alias in node.names]
        for target in targets:
            if target in known and target != name:
                found.add(target)
    return found


def find_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """Return one import cycle as a list of modules (first repeated last), or None."""
    state: dict[str, int] = {}  # 1: on the current path, 2: finished
    path: list[str] = []

    def visit(node: str) -> list[str] | None:
        state[node] = 1
        path.append(node)
        for successor in sorted(graph.get(node, ())):
            if state.get(successor) == 1:
                return path[path.index(successor) :] + [successor]
            if successor not in state:
                cycle = visit(successor)
                if cycle:
                    return cycle
        path.pop()
        state[node] = 2
        return None

    for node in sorted(graph):
        if node not in state:
            cycle = visit(node)
            if cycle:
                return cycle
    return None


def import_graph() -> dict[str, set[str]]:
    """Return module -> the package modules it imports, for the whole package.

    A package's `__init__` is left out as a target: importing explorer.engine.network runs
    explorer/engine/__init__.py first whoever asks, so it is no edge of the modules' own design.
    """
    modules = all_modules()
    known = {name for name, path in modules.items() if path.name != "__init__.py"}
    return {name: imported_modules(path, name, known) for name, path in modules.items()}


def test_no_module_imports_in_a_cycle() -> None:
    graph = import_graph()
    assert len(graph) > 50  # the walk found the package
    cycle = find_cycle(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cycle_check_finds_a_cycle() -> None:
    # Guards against a check that could never fail: a made-up graph with a cycle, and the real one
    # with one edge added backwards (the engine importing the document, which imports the engine).
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": set()}) is None
    graph = import_graph()
    graph["explorer.engine.network"].add("explorer.document.document")
    assert find_cycle(graph) is not None


def test_every_module_imports_on_its_own() -> None:
    # Each module in a fresh interpreter of its own would be slow; one interpreter importing them
    # in sorted order still fails on a cycle that only shows at import time.
    names = sorted(name for name in all_modules() if not name.endswith("__main__"))  # runs the app
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import importlib, sys\nfor n in sys.argv[1:]: importlib.import_module(n)",
            *names,
        ],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
