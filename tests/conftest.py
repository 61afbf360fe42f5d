"""Test configuration: Qt runs offscreen so that plain `pytest` works without a screen."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

# Recovery files (app.recovery) go to a scratch folder, never to the user's data folder.
if "MLP_EXPLORER_DATA_DIR" not in os.environ:
    import tempfile

    os.environ["MLP_EXPLORER_DATA_DIR"] = tempfile.mkdtemp(prefix="mlp-explorer-test-data-")
