"""Every file the app writes goes through files.atomic: links kept, modes kept, leftovers removed."""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np

import explorer
from explorer.app import export
from explorer.app.startup import open_state
from explorer.engine.stepper import Stepper
from explorer.files import exchange

PACKAGE = Path(explorer.__file__).resolve().parent  # the package under test, installed or not
# Ways of opening a file for writing other than files.atomic; reading opens are fine.
WRITERS = re.compile(
    r"open\([^)]*[\"'][wax]b?[\"']|\.write_text\(|\.write_bytes\(|tempfile\.mkstemp|os\.O_WRONLY"
    r"|\.grab\(\)\.save\(|np\.save\(|\.tofile\("
)


def test_no_module_but_files_atomic_opens_a_file_for_writing():
    offenders = []
    modules = list(PACKAGE.rglob("*.py"))
    assert len(modules) > 50  # the scan found the package
    for path in modules:
        if path.name == "atomic.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if WRITERS.search(line) and "def write_" not in line:
                offenders.append(f"{path.relative_to(PACKAGE)}:{number}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def links_and_leftover(tmp_path: Path, name: str, content: bytes):
    real = tmp_path / name
    real.write_bytes(content)
    os.chmod(real, 0o604)
    link = tmp_path / f"link-{name}"
    link.symlink_to(real)
    hard = tmp_path / f"hard-{name}"
    os.link(real, hard)
    leftover = tmp_path / f".{name}.deadbeef.tmp"
    leftover.write_text("left by a killed save")
    os.utime(leftover, (0, 0))
    return real, link, hard, leftover


def check(real: Path, link: Path, hard: Path, leftover: Path, old: bytes) -> None:
    assert link.is_symlink()
    assert real.read_bytes() != old and hard.read_bytes() == real.read_bytes()
    assert os.stat(real).st_mode & 0o777 == 0o604
    assert not leftover.exists()


def test_the_step_through_export_follows_links_and_keeps_the_mode(tmp_path):
    old = b"old content\n"
    paths = links_and_leftover(tmp_path, "steps.csv", old)
    state = open_state(None)
    stepper = Stepper(state.network, state.sample_x, state.sample_y, 0.5)
    export.export_stepthrough(stepper, paths[1])
    check(*paths, old)


def test_the_weights_export_follows_links_and_keeps_the_mode(tmp_path):
    old = b"old"
    paths = links_and_leftover(tmp_path, "net.npz", old)
    exchange.export_network(open_state(None), str(paths[1]))
    check(*paths, old)
    with np.load(paths[0]) as arrays:
        assert len(arrays.files) >= 2
