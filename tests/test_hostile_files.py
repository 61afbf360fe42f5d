"""Hostile but syntactically valid files: devices, FIFOs, huge counts, lone surrogates, odd targets.

Each is refused quickly through the real reader and the real command line, with one short line.
"""

from __future__ import annotations

import json
import os
import time

import pytest

from explorer.app import cli
from explorer.files import reader
from explorer.files.model import MAX_FILE_BYTES, MAX_KEYS, MAX_LAYERS, MAX_MESSAGE, MAX_NEURONS

BASE = {
    "format": "mlp-explorer/network",
    "version": 1,
    "name": "base",
    "loss": "half_sse",
    "layers": [{"activation": "sigmoid", "weights": [[0.1, 0.2]], "bias": [0.0]}],
    "sample": {"x": [0.5, 0.5], "y": [1.0]},
}


def run_cli(capsys, *args: str) -> tuple[int, str]:
    """Run the real command line; return the status and stderr, checked to be one short line."""
    started = time.monotonic()
    status = cli.main(list(args))
    err = capsys.readouterr().err
    assert time.monotonic() - started < 10
    assert err.count("\n") <= 1 and "Traceback" not in err
    return status, err


def refused(tmp_path, capsys, data, *fragments: str) -> str:
    path = tmp_path / "bad.mlp.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    status, err = run_cli(capsys, "trace", str(path))
    assert status == 2, err
    for fragment in fragments:
        assert fragment in err
    assert len(err) < 2 * MAX_MESSAGE + len(str(path))
    return err


def test_a_fifo_is_refused_without_blocking(tmp_path, capsys):
    fifo = tmp_path / "pipe.mlp.json"
    os.mkfifo(fifo)
    status, err = run_cli(capsys, "trace", str(fifo))
    assert status == 2 and "is a FIFO (named pipe), not a network file" in err


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_is_refused_without_reading_it(capsys, device):
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    status, err = run_cli(capsys, "trace", device)
    assert status == 2 and "is a device, not a network file" in err


def test_a_folder_is_refused(tmp_path, capsys):
    status, err = run_cli(capsys, "trace", str(tmp_path))
    assert status == 2 and "is a folder" in err


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path, capsys):
    big = tmp_path / "big.mlp.json"
    with open(big, "wb") as handle:
        handle.truncate(MAX_FILE_BYTES + 1)  # sparse: costs no disk and would cost 256 MiB to read
    status, err = run_cli(capsys, "trace", str(big))
    assert status == 2 and "the file is too big" in err and "MiB" in err


def test_too_many_layers_is_refused_quickly(tmp_path, capsys):
    layers = [{"activation": "linear", "weights": [[1.0]]} for _ in range(100_000)]
    data = {**BASE, "layers": layers, "sample": {"x": [0.0], "y": [0.0]}}
    refused(tmp_path, capsys, data, f"100,000 layers (the limit is {MAX_LAYERS})")


def test_too_many_neurons_in_a_layer(tmp_path, capsys):
    data = {**BASE, "layers": [{"activation": "linear", "weights": [[0.0]] * (MAX_NEURONS + 1)}]}
    refused(tmp_path, capsys, data, f"(the limit is {MAX_NEURONS:,})")


def test_an_object_with_a_million_keys_is_refused_quickly(tmp_path, capsys):
    text = "{" + ",".join(f'"k{i}": 0' for i in range(1_000_000)) + "}"
    started = time.monotonic()
    refused(tmp_path, capsys, text, f"1,000,000 keys (the limit is {MAX_KEYS})")
    assert time.monotonic() - started < 5


def test_a_ten_megabyte_key_gives_a_short_message(tmp_path, capsys):
    data = {**BASE, "k" * 10_000_000: 1}
    err = refused(tmp_path, capsys, data, "unknown key 'kkkk", "…")
    assert len(err) < 600


def test_a_lone_surrogate_in_the_name_is_refused(tmp_path, capsys):
    text = json.dumps({**BASE, "name": "a\ud800b"})  # json.dumps writes it as the escape \ud800
    assert "\\ud800" in text
    refused(tmp_path, capsys, text, "name holds a lone surrogate (U+D800)")


def test_a_lone_surrogate_in_a_key_is_escaped_in_the_message(tmp_path, capsys):
    err = refused(tmp_path, capsys, json.dumps({**BASE, "x\udfff": 1}), "unknown key", "\\udfff")
    err.encode("utf-8")  # printable


def test_cross_entropy_refuses_targets_outside_zero_and_one(tmp_path, capsys):
    data = {
        **BASE,
        "loss": "cross_entropy",
        "sample": {"x": [0.5, 0.5], "y": [0.5]},
        "dataset": {"x": [[0, 0], [1, 1], [0, 1]], "y": [[0], [1], [3]]},
    }
    refused(tmp_path, capsys, data, "dataset y row 3, target 1 is 3: cross-entropy needs targets")
    data["dataset"] = None
    data["sample"] = {"x": [0.5, 0.5], "y": [-0.5]}
    refused(tmp_path, capsys, data, "sample y: target 1 is -0.5")


def test_read_regular_file_names_what_it_got(tmp_path):
    fifo = tmp_path / "p"
    os.mkfifo(fifo)
    with pytest.raises(reader.FileFormatError, match="FIFO"):
        reader.read_regular_file(str(fifo), 10, "CSV file")


def test_a_file_name_that_is_not_utf8_is_printed_escaped(tmp_path):
    import subprocess
    import sys

    name = os.fsencode(tmp_path) + b"/bad-\xff.mlp.json"
    with open(name, "wb") as handle:
        handle.write(json.dumps({**BASE, "name": ""}).encode())
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run(
        [sys.executable, "-m", "explorer", "trace", name], capture_output=True, timeout=60, env=env
    )
    assert result.returncode == 0, result.stderr
    assert b"Traceback" not in result.stderr
    assert b"bad-\\udcff" in result.stdout  # the title is the file name, escaped


def test_csv_import_refuses_cross_entropy_targets_naming_the_spreadsheet_row():
    from explorer.engine.csvdata import CsvError, load_csv

    with pytest.raises(CsvError, match=r"^row 4, target 1 is 2: cross-entropy needs targets"):
        load_csv("x,y\n0,0.5\n\n1,2\n", loss="cross_entropy")
    load_csv("x,y\n0,0.5\n1,2\n", loss="half_sse")


def test_csv_reader_refuses_devices_and_quotes_cells_briefly(tmp_path):
    from explorer.engine.csvdata import CsvError, load_csv

    with pytest.raises(CsvError, match="is a device, not a CSV file"):
        load_csv("/dev/zero")
    with pytest.raises(CsvError) as caught:
        load_csv("x,y\n0," + "z" * 100_000 + "\n")
    assert len(str(caught.value)) < 200 and "…" in str(caught.value)


def test_the_new_dialog_refuses_more_layers_or_neurons_than_a_file_may_hold(qtbot):
    from explorer.views.panels.new_network import NewNetworkDialog

    dialog = NewNetworkDialog()
    qtbot.addWidget(dialog)
    dialog.sizes_field.setText("-".join(["2"] * 5002))
    assert "5,000 hidden layers is too many" in dialog.problem()
    assert not dialog.ok_button.isEnabled()
    dialog.sizes_field.setText("2-20000-1")
    assert "at most 10,000 neurons" in dialog.problem()
    dialog.sizes_field.setText("2-" + "9" * 5000 + "-1")
    assert len(dialog.problem()) < 200
    dialog.sizes_field.setText("2-3-1")
    assert dialog.problem() == ""


def test_structure_edits_keep_the_caps_and_cross_entropy_targets(qtbot):
    import dataclasses

    import numpy as np

    from explorer.app.startup import open_state
    from explorer.document import structure_edits
    from explorer.document.document import Document
    from explorer.engine.network import Layer, Network

    layers = [Layer(np.ones((1, 1)), None, "linear") for _ in range(MAX_LAYERS - 1)]
    layers.append(Layer(np.ones((1, 1)), None, "sigmoid"))
    state = dataclasses.replace(open_state(None), network=Network(layers, "half_sse"), dataset_x=None)
    state = dataclasses.replace(state, dataset_y=None, sample_x=np.zeros(1), sample_y=np.array([2.0]))
    document = Document(state)
    with pytest.raises(ValueError, match=f"at most {MAX_LAYERS} layers"):
        structure_edits.add_layer(document, 1, 1, "linear")
    with pytest.raises(ValueError, match="cannot switch to cross_entropy: sample row 1, target 1 is 2"):
        structure_edits.set_loss(document, "cross_entropy")
    structure_edits.set_sample(document, [0.0], [0.5])
    structure_edits.set_loss(document, "cross_entropy")
    with pytest.raises(ValueError, match="sample y: target 1 is -1: cross-entropy"):
        structure_edits.set_sample(document, [0.0], [-1.0])
