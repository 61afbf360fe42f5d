"""Catch the PySide6 6.12.0 + CPython ≤ 3.11 crash (Fatal Python error: none_dealloc).

That pair over-releases None in methods that return nothing, so after a few thousand calls the
interpreter aborts. The calls run in a fresh interpreter, because the crash kills the process.
"""

from __future__ import annotations

import os
import subprocess
import sys

CALLS = 20_000

SNIPPET = f"""
import sys

import PySide6
from PySide6.QtGui import QPen
from PySide6.QtWidgets import QApplication, QGraphicsLineItem

app = QApplication.instance() or QApplication([])
item = QGraphicsLineItem(0.0, 0.0, 1.0, 1.0)
pen = QPen()
for _ in range({CALLS}):
    item.setPos(1.0, 2.0)
for _ in range({CALLS}):
    item.setPen(pen)
    item.setZValue(1.0)
    item.setVisible(True)
print("finished", PySide6.__version__, sys.version.split()[0], flush=True)
"""


def test_methods_returning_nothing_do_not_crash_the_interpreter() -> None:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    result = subprocess.run(
        [sys.executable, "-c", SNIPPET], capture_output=True, text=True, timeout=120, env=env
    )
    detail = f"return code {result.returncode}; stderr: {result.stderr.strip()[-400:]}"
    assert result.returncode == 0, f"PySide6 crashed this Python ({sys.version.split()[0]}): {detail}"
    assert result.stdout.startswith("finished"), detail
