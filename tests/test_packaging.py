"""The app as users install it: shipped files, `python -m explorer`, start-up checks, desktop entry.

These tests run against whatever `import explorer` finds: the checkout in development, the installed
wheel in CI (which runs this suite from a folder outside the checkout).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

import explorer
from explorer.app import desktop, display
from explorer.files import examples, reader

PACKAGE_DIR = Path(explorer.__file__).resolve().parent
PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"


def run_app(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess:
    """Run `python -m explorer ARGS` in a fresh interpreter."""
    return subprocess.run(
        [sys.executable, "-m", "explorer", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env if env is not None else os.environ.copy(),
        cwd=cwd,
    )


# --- what the package carries ----------------------------------------------------------------
def test_every_example_and_the_icon_are_shipped_and_readable():
    names = sorted(path.name for path in examples.example_paths())
    assert "lecture-2-2-2.mlp.json" in names and len(names) >= 8
    for path in examples.example_paths():
        assert reader.load(path).network.num_layers >= 1
    icon = examples.icon_path().read_text(encoding="utf-8")
    assert icon.lstrip().startswith("<?xml") and "<svg" in icon
    assert (examples.resources_dir() / "mlp-explorer.desktop").is_file()


def test_pyproject_lists_every_package_folder():
    if not PYPROJECT.is_file():
        pytest.skip("no pyproject.toml beside the tests")
    text = PYPROJECT.read_text(encoding="utf-8")
    listed = set(
        re.findall(r'^\s*"(explorer[\w.]*)",?\s*$', text.split("packages = [", 1)[1].split("]", 1)[0], re.M)
    )
    folders = {"explorer"} | {
        "explorer." + ".".join(path.parent.relative_to(PACKAGE_DIR).parts)
        for path in PACKAGE_DIR.rglob("__init__.py")
        if path.parent != PACKAGE_DIR
    }
    folders = {name for name in folders if "__pycache__" not in name}
    assert folders <= listed, f"package folders missing from pyproject.toml: {sorted(folders - listed)}"
    assert "explorer.resources" in listed


def test_one_source_for_the_version():
    assert re.fullmatch(r"\d+\.\d+\.\d+", explorer.__version__)
    if PYPROJECT.is_file():
        text = PYPROJECT.read_text(encoding="utf-8")
        project = text.split("\n[project]\n", 1)[1].split("\n[", 1)[0]
        assert 'dynamic = ["version"]' in project and not re.search(r"^version\s*=", project, re.M)
        assert 'version = { attr = "explorer.__version__" }' in text
    result = run_app("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"mlp-explorer {explorer.__version__}"


# --- python -m explorer and Qt's switches --------------------------------------------------------
def test_python_m_explorer_runs_the_command_line(tmp_path):
    result = run_app("trace", str(examples.LECTURE_EXAMPLE), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "[1/11] Input" in result.stdout


def test_qt_switches_are_passed_to_qt_not_refused(tmp_path):
    out = tmp_path / "shot.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    result = run_app("-style", "fusion", "--screenshot", str(out), "-reverse", env=env)
    assert result.returncode == 0, result.stderr
    assert out.read_bytes()[:4] == b"\x89PNG"


def test_split_qt_arguments_keeps_the_apps_own():
    own, qt = display.split_qt_arguments(
        ["-style", "fusion", "net.mlp.json", "--screenshot", "a.png", "-platform=xcb"]
    )
    assert own == ["net.mlp.json", "--screenshot", "a.png"]
    assert qt == ["-style", "fusion", "-platform=xcb"]


def test_the_application_gets_its_switches_icon_version_and_desktop_name():
    code = (
        "import sys\n"
        "from explorer.app.startup import make_application\n"
        "app = make_application(['mlp-explorer', '-style', 'windows'])\n"
        "print(app.style().name(), app.applicationVersion(), app.desktopFileName(),\n"
        "      app.windowIcon().isNull(), sorted(app.windowIcon().availableSizes() or ['scalable'])[:1])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert result.returncode == 0, result.stderr
    style, version, desktop_name, icon_null, _ = result.stdout.split(" ", 4)
    assert style.lower() == "windows"
    assert version == explorer.__version__ and desktop_name == "mlp-explorer" and icon_null == "False"


# --- starting the window never aborts ------------------------------------------------------------
def test_no_display_gives_one_line_and_status_1(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in ("DISPLAY", "WAYLAND_DISPLAY")}
    env.pop("QT_QPA_PLATFORM", None)
    result = run_app(env=env, cwd=tmp_path)
    if not sys.platform.startswith("linux"):
        pytest.skip("the display check is for Linux")
    assert result.returncode == 1, (result.returncode, result.stderr)
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "no display" in result.stderr and "QT_QPA_PLATFORM=offscreen" in result.stderr


def test_a_display_that_does_not_answer_gives_one_line(tmp_path):
    if not sys.platform.startswith("linux"):
        pytest.skip("the display check is for Linux")
    env = {
        key: value for key, value in os.environ.items() if key not in ("WAYLAND_DISPLAY", "QT_QPA_PLATFORM")
    }
    env["DISPLAY"] = ":87"  # no X server listens there
    result = run_app(env=env, cwd=tmp_path)
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    # Which of the two causes is found first depends on the machine: missing xcb libraries, or none.
    assert "sudo apt install" in result.stderr or "no X server answers on display ':87'" in result.stderr


def test_missing_library_is_named_with_its_debian_package(tmp_path, monkeypatch):
    # A stand-in for Qt's plugin: a shared library linked against a library that is then removed.
    compiler = next(
        (c for c in ("cc", "gcc") if subprocess.run(["which", c], capture_output=True).returncode == 0), None
    )
    if compiler is None:
        pytest.skip("needs a C compiler to build a plugin with a missing library")
    (tmp_path / "gone.c").write_text("int gone(void) { return 1; }\n")
    (tmp_path / "plugin.c").write_text("int gone(void); int plugin(void) { return gone(); }\n")
    subprocess.run(
        [
            compiler,
            "-shared",
            "-fPIC",
            "-o",
            tmp_path / "libmlpgone.so.3",
            tmp_path / "gone.c",
            "-Wl,-soname,libmlpgone.so.3",
        ],
        check=True,
    )
    subprocess.run(
        [
            compiler,
            "-shared",
            "-fPIC",
            "-o",
            tmp_path / "libqfake.so",
            tmp_path / "plugin.c",
            tmp_path / "libmlpgone.so.3",
        ],
        check=True,
    )
    (tmp_path / "libmlpgone.so.3").unlink()
    monkeypatch.setattr(display, "_qt_plugin", lambda name: tmp_path / "libqfake.so")
    monkeypatch.setenv("DISPLAY", ":87")
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    monkeypatch.delenv("QT_QPA_PLATFORM", raising=False)
    problem = display.window_problem([])
    assert problem is not None and "libmlpgone.so.3 is missing" in problem
    assert "sudo apt install libxcb-cursor0" in problem and problem.endswith(" libmlpgone3")


@pytest.mark.parametrize(
    ("soname", "package"),
    [
        ("libxcb-icccm.so.4", "libxcb-icccm4"),
        ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
        ("libEGL.so.1", "libegl1"),
        ("libxcb-cursor.so.0", "libxcb-cursor0"),
    ],
)
def test_debian_package_names(soname, package):
    assert display.debian_package(soname) == package


def test_other_platforms_are_left_to_qt(monkeypatch):
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.setenv("QT_QPA_PLATFORM", "offscreen")
    assert display.window_problem([]) is None
    monkeypatch.delenv("QT_QPA_PLATFORM")
    assert display.window_problem(["-platform", "minimal"]) is None


# --- screenshots leave nothing behind ------------------------------------------------------------
def test_screenshot_leaves_nothing_in_the_temporary_folder(tmp_path):
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    out = tmp_path / "shot.png"
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "TMPDIR": str(scratch)}
    result = run_app("--screenshot", str(out), env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert out.is_file() and list(scratch.iterdir()) == []


# --- the desktop entry -----------------------------------------------------------------------------
def test_install_desktop_writes_into_the_users_data_folder_and_uninstall_removes_it(tmp_path):
    env = {**os.environ, "HOME": str(tmp_path)}
    env.pop("XDG_DATA_HOME", None)
    result = run_app("install-desktop", env=env)
    assert result.returncode == 0, result.stderr
    base = tmp_path / ".local" / "share"
    entry = base / "applications" / "mlp-explorer.desktop"
    icon = base / "icons" / "hicolor" / "scalable" / "apps" / "mlp-explorer.svg"
    mime = base / "mime" / "packages" / "mlp-explorer.xml"
    assert entry.is_file() and icon.is_file() and mime.is_file()
    assert icon.read_text(encoding="utf-8") == examples.icon_path().read_text(encoding="utf-8")
    lines = entry.read_text(encoding="utf-8").splitlines()
    assert "Icon=mlp-explorer" in lines and "Type=Application" in lines
    exec_line = next(line for line in lines if line.startswith("Exec="))
    program = exec_line[len("Exec=") :].rsplit(" %f", 1)[0]
    assert exec_line.endswith(" %f") and (Path(program.split()[0]).is_absolute())
    assert "*.mlp.json" in mime.read_text(encoding="utf-8")
    for path in (entry, icon, mime):
        assert str(path) in result.stdout

    result = run_app("install-desktop", "--uninstall", env=env)
    assert result.returncode == 0, result.stderr
    assert not entry.exists() and not icon.exists() and not mime.exists()


def test_install_desktop_follows_xdg_data_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    written = desktop.install()
    assert all(str(path).startswith(str(tmp_path / "data")) for path in written) and len(written) == 3
    assert sorted(desktop.uninstall()) == sorted(written)
    assert desktop.uninstall() == []
