"""Test configuration: Qt runs offscreen so that plain `pytest` works without a screen."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
