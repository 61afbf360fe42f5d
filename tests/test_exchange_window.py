"""File ▸ Export Network and File ▸ Import Network… in the main window; the test answers the dialogs."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from PySide6.QtCore import QSettings

from explorer.app.exchange_actions import ActivationsDialog
from explorer.app.main_window import MainWindow
from explorer.app.startup import open_state
from explorer.document.document import Document
from explorer.files import examples
from explorer.files.exchange import read_layers


@pytest.fixture
def window(qtbot, tmp_path):
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)
    win = MainWindow(Document(open_state(None)), settings)
    qtbot.addWidget(win)
    win.errors = []
    win.files.ask_unsaved = lambda: "discard"
    win.files.exchange.show_error = win.errors.append
    win.show()
    return win


def test_the_file_menu_has_the_export_submenu_and_import(window) -> None:
    exchange = window.files.exchange
    texts = [action.text() for action in exchange.export_menu.actions()]
    assert texts == [
        "&NumPy Script (.py)…",
        "&PyTorch Script (.py)…",
        "NumPy &Arrays (.npz)…",
        "&ONNX Model (.onnx)…",
    ]
    assert exchange.import_action.text() == "&Import Network…"


@pytest.mark.parametrize("index", [0, 1, 2, 3])
def test_each_export_entry_writes_its_format(window, tmp_path: Path, index: int) -> None:
    pytest.importorskip("onnx")
    exchange = window.files.exchange
    target = tmp_path / "net"  # no suffix: the format adds it
    exchange.ask_export_path = lambda suggestion, filters: str(target)
    exchange.export_menu.actions()[index].trigger()
    written = list(tmp_path.glob("net.*"))
    assert len(written) == 1 and window.errors == []
    data = written[0].read_bytes()
    if index == 0:
        assert b"import numpy as np" in data and b"torch" not in data
    elif index == 1:
        assert b"nn.Sequential(" in data
    elif index == 2:
        assert data.startswith(b"PK")
    else:
        assert written[0].suffix == ".onnx"


def test_an_export_error_is_shown_once_as_plain_text(window, tmp_path: Path) -> None:
    exchange = window.files.exchange
    exchange.ask_export_path = lambda suggestion, filters: str(tmp_path / "missing-folder" / "<b>net</b>.npz")
    assert not exchange.export(".npz")
    assert len(window.errors) == 1 and "cannot write" in window.errors[0] and "<b>net</b>" in window.errors[0]


def test_import_asks_for_activations_and_opens_untitled_and_modified(window, tmp_path: Path) -> None:
    src = tmp_path / "state.npz"
    np.savez(src, **{"0.weight": np.array([[1.0, 2.0]]), "0.bias": np.array([0.5])})
    exchange = window.files.exchange
    exchange.ask_import_path = lambda: str(src)
    asked = []
    exchange.ask_activations = lambda layers: asked.append(layers.sizes) or (("tanh",), "half_sse")
    exchange.import_action.trigger()
    assert asked == [[2, 1]] and window.errors == []
    document = window.document
    assert document.path is None and document.is_modified
    layer = document.network.layers[0]
    assert (
        layer.activation == "tanh" and layer.weights.tolist() == [[1.0, 2.0]] and layer.bias.tolist() == [0.5]
    )


def test_import_of_our_npz_needs_no_question(window, tmp_path: Path, capsys) -> None:
    from explorer.app import cli

    src = tmp_path / "ours.npz"
    assert cli.main(["export", str(examples.EXAMPLES_DIR / "xor-2-2-1.mlp.json"), str(src)]) == 0
    exchange = window.files.exchange
    exchange.ask_import_path = lambda: str(src)
    exchange.ask_activations = lambda layers: pytest.fail("the file names its activations")
    assert exchange.import_network()
    with np.load(src, allow_pickle=False) as npz:
        meta = json.loads(str(npz["meta"]))
    assert [layer.activation for layer in window.document.network.layers] == meta["activations"]


def test_a_refused_import_shows_one_line_and_keeps_the_network(window, tmp_path: Path) -> None:
    before = window.document
    (tmp_path / "model.pt").write_bytes(b"\x80\x04K\x01.")
    window.files.exchange.ask_import_path = lambda: str(tmp_path / "model.pt")
    assert not window.files.exchange.import_network()
    assert window.document is before
    assert len(window.errors) == 1 and "never loaded" in window.errors[0] and "\n" not in window.errors[0]


def test_activations_dialog_offers_every_layer(qtbot, tmp_path: Path) -> None:
    np.savez(tmp_path / "w.npz", W1=np.zeros((3, 2)), W2=np.zeros((1, 3)))
    dialog = ActivationsDialog(read_layers(str(tmp_path / "w.npz")))
    qtbot.addWidget(dialog)
    dialog.boxes[1].setCurrentText("linear")
    assert dialog.choice() == (("sigmoid", "linear"), "half_sse")
