"""File format v1: every refused file gets exit status 2 and one precise line; saves are exact and atomic."""

from __future__ import annotations

import copy
import errno
import json
import os
import stat

import numpy as np
import pytest

from explorer.app import cli
from explorer.engine.network import Layer, Network
from explorer.files import examples, reader, writer
from explorer.files.model import FileFormatError, NetworkFile, TrainingConfig

LECTURE = {
    "format": "mlp-explorer/network",
    "version": 1,
    "name": "Lecture 55: two inputs, two hidden, two outputs",
    "loss": "half_sse",
    "layers": [
        {"activation": "sigmoid", "weights": [[0.15, 0.20], [0.25, 0.30]], "bias": [0.35, 0.35]},
        {"activation": "sigmoid", "weights": [[0.40, 0.45], [0.50, 0.55]], "bias": None},
    ],
    "sample": {"x": [0.05, 0.10], "y": [0.01, 0.99]},
    "dataset": {"x": [[0.0, 1.0], [1.0, 0.0]], "y": [[1.0, 0.0], [0.0, 1.0]]},
    "training": {"learning_rate": 0.5, "momentum": 0.0, "batch_size": None, "epochs": 1000, "seed": 0},
}


def lecture_text() -> str:
    return json.dumps(LECTURE)  # one line: [[0.15, 0.2], [0.25, 0.3]] ...


def refused(tmp_path, capsys, content, *fragments: str, name: str = "bad.mlp.json") -> str:
    """Write content to a file, run `trace` on it, and check status 2 and a one-line message."""
    path = tmp_path / name
    if isinstance(content, dict):
        content = json.dumps(content)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)
    status = cli.main(["trace", str(path)])
    out, err = capsys.readouterr()
    assert status == 2
    assert out == ""
    assert err.endswith("\n") and err.count("\n") == 1, err
    assert err.startswith(f"{path}: "), err
    assert "Traceback" not in err
    for fragment in fragments:
        assert fragment in err, (fragment, err)
    return err


def changed(edit) -> dict:
    data = copy.deepcopy(LECTURE)
    edit(data)
    return data


# --- the text itself -----------------------------------------------------------------------
def test_not_json_names_line_and_column(tmp_path, capsys):
    text = '{\n  "format": "mlp-explorer/network",,\n  "version": 1\n}'
    refused(tmp_path, capsys, text, "not valid JSON", "line 2, column")


def test_truncated_file(tmp_path, capsys):
    text = lecture_text()
    refused(tmp_path, capsys, text[: len(text) // 2], "truncated")
    refused(tmp_path, capsys, text[:-1], "truncated")


def test_truncated_inside_a_string(tmp_path, capsys):
    refused(tmp_path, capsys, '{"format": "mlp-explo', "truncated")


def test_extra_text_after_the_json(tmp_path, capsys):
    refused(tmp_path, capsys, lecture_text() + "\n}", "not valid JSON", "Extra data")


@pytest.mark.parametrize("content", [b"", b"  \n\t\n"])
def test_empty_file(tmp_path, capsys, content):
    refused(tmp_path, capsys, content, "empty")


def test_not_utf8(tmp_path, capsys):
    content = lecture_text().replace("Lecture", "L\u00e9cture").encode("latin-1")
    refused(tmp_path, capsys, content, "not UTF-8", "0xe9")


def test_utf16_is_named(tmp_path, capsys):
    refused(tmp_path, capsys, lecture_text().encode("utf-16"), "UTF-16", "UTF-8")


def test_utf8_with_byte_order_mark_is_read(tmp_path):
    path = tmp_path / "bom.mlp.json"
    path.write_bytes(b"\xef\xbb\xbf" + lecture_text().encode())
    assert reader.load(path).name == LECTURE["name"]


def test_nesting_too_deep(tmp_path, capsys):
    refused(tmp_path, capsys, "[" * 100_000 + "]" * 100_000, "nested too deeply")


# --- what the file says it is --------------------------------------------------------------
def test_top_level_not_an_object(tmp_path, capsys):
    refused(tmp_path, capsys, "[1, 2]", "top level must be a JSON object, not a list")


def test_wrong_format(tmp_path, capsys):
    data = changed(lambda d: d.update(format="mlp-explorer/dataset"))
    refused(tmp_path, capsys, data, "format is the string 'mlp-explorer/dataset'", "'mlp-explorer/network'")


def test_some_other_json_file(tmp_path, capsys):
    refused(tmp_path, capsys, {"name": "my-package", "dependencies": {}}, "not an MLP Explorer network file")


@pytest.mark.parametrize(
    "version, shown", [("1", "the string '1'"), (1.0, "1.0"), (True, "true"), (None, "null")]
)
def test_version_not_an_integer(tmp_path, capsys, version, shown):
    data = changed(lambda d: d.update(version=version))
    refused(tmp_path, capsys, data, f"version must be an integer, not {shown}")


def test_newer_version(tmp_path, capsys):
    data = changed(lambda d: d.update(version=3, future_key=[1]))  # newer keys are not the problem
    err = refused(tmp_path, capsys, data)
    assert err.endswith(": written by a newer MLP Explorer (version 3); this one reads version 1\n")


def test_version_zero(tmp_path, capsys):
    refused(tmp_path, capsys, changed(lambda d: d.update(version=0)), "version 0 does not exist")


# --- keys ----------------------------------------------------------------------------------
def test_missing_top_level_keys(tmp_path, capsys):
    refused(tmp_path, capsys, changed(lambda d: d.pop("layers")), "missing key 'layers' at the top level")
    data = changed(lambda d: (d.pop("layers"), d.pop("version")))
    refused(tmp_path, capsys, data, "missing keys 'version', 'layers'")


def test_missing_layer_key(tmp_path, capsys):
    data = changed(lambda d: d["layers"][1].pop("weights"))
    refused(tmp_path, capsys, data, "missing key 'weights' in layer 2")


def test_misspelt_layer_key_suggests_the_right_one(tmp_path, capsys):
    data = changed(lambda d: d["layers"][1].update(wieghts=d["layers"][1].pop("weights")))
    refused(tmp_path, capsys, data, "unknown key 'wieghts' in layer 2 (did you mean 'weights'?)")


@pytest.mark.parametrize(
    "edit, message",
    [
        (
            lambda d: d.update(traning=d.pop("training")),
            "unknown key 'traning' at the top level (did you mean 'training'?)",
        ),
        (
            lambda d: d.update(fromat=d.pop("format")),
            "unknown key 'fromat' at the top level (did you mean 'format'?)",
        ),
        (
            lambda d: d["training"].update(learnig_rate=1.0),
            "unknown key 'learnig_rate' in training (did you mean 'learning_rate'?)",
        ),
        (lambda d: d["sample"].update(z=[1.0]), "unknown key 'z' in sample (expected x, y)"),
        (
            lambda d: d["dataset"].update(X=d["dataset"].pop("x")),
            "unknown key 'X' in dataset (did you mean 'x'?)",
        ),
    ],
)
def test_unknown_keys(tmp_path, capsys, edit, message):
    refused(tmp_path, capsys, changed(edit), message)


def test_duplicate_key(tmp_path, capsys):
    text = lecture_text().replace('"bias": null', '"bias": null, "bias": [1.0, 2.0]')
    refused(tmp_path, capsys, text, "key 'bias' is written twice in layer 2")


# --- types ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "edit, message",
    [
        (
            lambda d: d["layers"][0]["weights"][0].__setitem__(1, "0.2"),
            "layer 1: weights row 1, column 2 must be a number, not the string '0.2'",
        ),
        (
            lambda d: d["layers"][1]["weights"][1].__setitem__(0, True),
            "layer 2: weights row 2, column 1 must be a number, not true",
        ),
        (
            lambda d: d["layers"][0]["bias"].__setitem__(1, None),
            "layer 1: bias, entry 2 must be a number, not null",
        ),
        (
            lambda d: d["layers"][0].update(bias="0.35"),
            "layer 1: bias must be a list of numbers, not the string '0.35'",
        ),
        (
            lambda d: d["layers"][0].update(weights=[0.15, 0.2]),
            "layer 1: weights row 1 must be a list of numbers, not 0.15",
        ),
        (lambda d: d["layers"][0].update(weights=0.15), "layer 1: weights must be a list of rows"),
        (
            lambda d: d.update(layers={"activation": "sigmoid"}),
            "layers must be a list of layer objects, not an object",
        ),
        (lambda d: d.update(layers=[]), "a network needs at least one layer"),
        (lambda d: d["layers"].__setitem__(0, [1, 2]), "layer 1 must be a JSON object, not a list"),
        (lambda d: d.update(name=5), "name must be a string, not 5"),
        (lambda d: d["sample"]["x"].__setitem__(0, False), "sample x, entry 1 must be a number, not false"),
        (
            lambda d: d["dataset"]["y"][1].__setitem__(0, "1"),
            "dataset y row 2, column 1 must be a number, not the string '1'",
        ),
        (lambda d: d["training"].update(epochs=10.5), "training epochs must be an integer, not 10.5"),
        (lambda d: d["training"].update(learning_rate="fast"), "training learning_rate must be a number"),
        (lambda d: d["layers"][0].update(activation=1), "layer 1: activation must be a name, not 1"),
    ],
)
def test_wrong_types(tmp_path, capsys, edit, message):
    refused(tmp_path, capsys, changed(edit), message)


# --- shapes --------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "edit, message",
    [
        (
            lambda d: d["layers"][0]["weights"][1].pop(),
            "layer 1: weights row 2 has 1 number, but row 1 has 2",
        ),
        (
            lambda d: d["layers"][1]["weights"][1].append(0.1),
            "layer 2: weights row 2 has 3 numbers, but row 1 has 2",
        ),
        (
            lambda d: d["layers"][1].update(weights=[[0.4, 0.45, 0.1], [0.5, 0.55, 0.1]]),
            "layer 2: weights have 3 columns, expected 2 (one per neuron of layer 1)",
        ),
        (
            lambda d: d["layers"][0]["bias"].append(0.35),
            "layer 1: bias has 3 numbers, expected 2 (one per neuron of layer 1)",
        ),
        (lambda d: d["layers"][0].update(weights=[[], []]), "layer 1: weights row 1 is empty"),
        (lambda d: d["layers"][0].update(weights=[]), "layer 1: weights has no rows"),
        (
            lambda d: d["sample"]["x"].append(0.2),
            "sample x has 3 numbers, expected 2 (the network's input size)",
        ),
        (lambda d: d["sample"]["y"].pop(), "sample y has 1 number, expected 2 (the network's output size)"),
        (
            lambda d: d["dataset"]["x"][1].append(0.0),
            "dataset x row 2 has 3 numbers, expected 2 (the network's input size)",
        ),
        (
            lambda d: d["dataset"]["y"][0].pop(),
            "dataset y row 1 has 1 number, expected 2 (the network's output size)",
        ),
        (lambda d: d["dataset"]["y"].pop(), "dataset has 2 x rows but 1 y rows"),
        (lambda d: d["dataset"].update(x=[], y=[]), "dataset x has no rows"),
    ],
)
def test_shapes(tmp_path, capsys, edit, message):
    refused(tmp_path, capsys, changed(edit), message)


# --- numbers that are not finite float64 values --------------------------------------------
@pytest.mark.parametrize(
    "literal, message",
    [
        ("NaN", "layer 1: weights row 1, column 2 is NaN; only finite numbers are allowed"),
        ("Infinity", "layer 1: weights row 1, column 2 is Infinity"),
        ("-Infinity", "layer 1: weights row 1, column 2 is -Infinity"),
        ("1e400", "layer 1: weights row 1, column 2 is too large for a 64-bit float"),
        ("-1e400", "layer 1: weights row 1, column 2 is too large for a 64-bit float"),
        ("1" + "0" * 400, "layer 1: weights row 1, column 2 is too large for a 64-bit float"),
    ],
)
def test_non_finite_numbers(tmp_path, capsys, literal, message):
    text = lecture_text().replace("0.2]", f"{literal}]", 1)
    assert literal in text
    refused(tmp_path, capsys, text, message)


def test_integer_with_thousands_of_digits(tmp_path, capsys):
    text = lecture_text().replace("0.2]", "9" * 5000 + "]", 1)
    refused(tmp_path, capsys, text, "a number is too large")


def test_non_finite_training_values(tmp_path, capsys):
    text = lecture_text().replace('"learning_rate": 0.5', '"learning_rate": NaN')
    refused(tmp_path, capsys, text, "training learning_rate is NaN")
    text = lecture_text().replace('"learning_rate": 0.5', '"learning_rate": 1e999')
    refused(tmp_path, capsys, text, "training learning_rate is too large")
    text = lecture_text().replace('"epochs": 1000', '"epochs": ' + "9" * 500)
    refused(tmp_path, capsys, text, "training epochs is too large")


def test_big_integers_that_fit_are_numbers():
    text = lecture_text().replace("0.2]", "12345678901234567890]", 1)
    loaded = reader.loads(text)
    assert loaded.network.layers[0].weights[0, 1] == 12345678901234567890.0


# --- names ---------------------------------------------------------------------------------
def test_unknown_activation_lists_the_choices(tmp_path, capsys):
    data = changed(lambda d: d["layers"][0].update(activation="sigmod"))
    err = refused(
        tmp_path, capsys, data, "layer 1: unknown activation 'sigmod' (did you mean 'sigmoid'?", "choose from"
    )
    for name in ("step", "sigmoid", "tanh", "relu", "linear", "softmax"):
        assert name in err


def test_unknown_loss_lists_the_choices(tmp_path, capsys):
    data = changed(lambda d: d.update(loss="mse"))
    refused(tmp_path, capsys, data, "unknown loss 'mse'", "choose from half_sse, cross_entropy")


def test_softmax_only_last(tmp_path, capsys):
    data = changed(lambda d: d["layers"][0].update(activation="softmax"))
    refused(tmp_path, capsys, data, "layer 1: softmax is allowed in the last layer only")


def test_cross_entropy_needs_softmax_or_sigmoid_output(tmp_path, capsys):
    data = changed(lambda d: (d.update(loss="cross_entropy"), d["layers"][1].update(activation="relu")))
    refused(
        tmp_path,
        capsys,
        data,
        "loss cross_entropy needs a softmax or sigmoid output layer, not relu (layer 2)",
    )


def test_cross_entropy_with_softmax_is_accepted():
    data = changed(lambda d: (d.update(loss="cross_entropy"), d["layers"][1].update(activation="softmax")))
    assert reader.from_dict(data).network.loss == "cross_entropy"


# --- size and training settings ------------------------------------------------------------
def test_network_too_big(tmp_path, capsys):
    width = 3163  # 3163² = 10,004,569 weights, just over the limit
    row = "[" + ",".join(["0"] * width) + "]"
    weights = "[" + ",".join([row] * width) + "]"
    text = (
        '{"format": "mlp-explorer/network", "version": 1, "layers": ['
        f'{{"activation": "linear", "weights": {weights}}}]}}'
    )
    refused(tmp_path, capsys, text, "network too big: 10,004,569 parameters (the limit is 10,000,000)")


@pytest.mark.parametrize(
    "key, value, message",
    [
        ("learning_rate", 0, "training learning_rate must be above 0, not 0.0"),
        ("learning_rate", -0.5, "training learning_rate must be above 0, not -0.5"),
        ("epochs", -1, "training epochs must be between 0 and 1,000,000,000, not -1"),
        ("batch_size", 0, "training batch_size must be between 1 and"),
        ("batch_size", 2.5, "training batch_size must be an integer, not 2.5"),
        ("momentum", 1.0, "training momentum must be at least 0 and below 1, not 1.0"),
        ("momentum", -0.1, "training momentum must be at least 0 and below 1, not -0.1"),
        ("seed", -3, "training seed must be between 0 and"),
        ("validation_fraction", 1, "training validation_fraction must be at least 0 and below 1"),
    ],
)
def test_training_values_out_of_range(tmp_path, capsys, key, value, message):
    refused(tmp_path, capsys, changed(lambda d: d["training"].update({key: value})), message)


# --- the file system -----------------------------------------------------------------------
def test_no_such_file(tmp_path, capsys):
    path = tmp_path / "missing.mlp.json"
    assert cli.main(["gradcheck", str(path)]) == 2
    assert capsys.readouterr().err == f"{path}: no such file\n"


def test_a_folder(tmp_path, capsys):
    assert cli.main(["trace", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"{tmp_path}: is a folder, not a network file\n"


def test_unreadable_file(tmp_path, capsys, monkeypatch):
    path = tmp_path / "locked.mlp.json"
    path.write_text(lecture_text())
    path.chmod(0)
    if os.access(path, os.R_OK):  # root reads anything: make open() refuse as it would for a user

        def refuse(name, *args, **kwargs):
            raise PermissionError(errno.EACCES, "Permission denied", name)

        monkeypatch.setattr(reader, "_open_descriptor", refuse)
    assert cli.main(["trace", str(path)]) == 2
    assert capsys.readouterr().err == f"{path}: cannot read the file (permission denied)\n"


def test_error_is_one_line_even_if_the_cause_is_not():
    error = FileFormatError("first line\nsecond line", "net.mlp.json")
    assert str(error) == "net.mlp.json: first line second line"
    assert (error.source, error.problem) == ("net.mlp.json", "first line second line")


# --- defaults ------------------------------------------------------------------------------
MINIMAL = {
    "format": "mlp-explorer/network",
    "version": 1,
    "layers": [{"activation": "tanh", "weights": [[1.0, 2.0, 3.0]]}],
}


def test_minimal_file_gets_the_documented_defaults():
    loaded = reader.from_dict(MINIMAL)
    assert loaded.name == "" and loaded.network.loss == "half_sse"
    assert loaded.network.layers[0].bias is None
    assert loaded.sample_x.tolist() == [0.0, 0.0, 0.0] and loaded.sample_y.tolist() == [0.0]
    assert loaded.dataset_x is None and loaded.dataset_y is None
    assert loaded.training == TrainingConfig(0.5, 0.0, None, 1000, 0, 0.0)


def test_sample_defaults_to_the_first_data_row():
    data = dict(MINIMAL, dataset={"x": [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], "y": [[0.5], [0.25]]})
    loaded = reader.from_dict(data)
    assert loaded.sample_x.tolist() == [1.0, 2.0, 3.0] and loaded.sample_y.tolist() == [0.5]
    assert loaded.dataset_x.shape == (2, 3) and loaded.dataset_y.shape == (2, 1)


def test_null_sample_dataset_and_training_mean_defaults():
    data = dict(MINIMAL, sample=None, dataset=None, training=None)
    assert reader.from_dict(data) == reader.from_dict(MINIMAL)


def test_loaded_values_and_layout():
    loaded = reader.loads(lecture_text(), "lecture")
    w1 = loaded.network.layer(1).weights
    assert w1.dtype == np.float64 and w1[0, 1] == 0.20 and w1[1, 0] == 0.25  # weights[i][j] is w_ij
    assert loaded.network.layer(2).bias is None
    assert loaded.network.sizes == [2, 2, 2]
    assert loaded.training.as_kwargs() == dict(LECTURE["training"], validation_fraction=0.0)
    assert loaded.to_dict() == LECTURE


def test_validation_fraction_is_written_only_when_set():
    data = changed(lambda d: d["training"].update(validation_fraction=0.25))
    loaded = reader.from_dict(data)
    assert loaded.training.validation_fraction == 0.25
    assert loaded.to_dict()["training"]["validation_fraction"] == 0.25
    assert "validation_fraction" not in reader.from_dict(LECTURE).to_dict()["training"]


def test_default_example_is_the_lecture_network():
    path = examples.default_example_path()
    assert path == examples.LECTURE_EXAMPLE and path.name == "lecture-2-2-2.mlp.json"
    assert path.is_file() and path.parent == examples.EXAMPLES_DIR and path.parent.parent.name == "resources"
    loaded = reader.load(path)
    assert loaded.network.layer(1).weights.tolist() == [[0.15, 0.20], [0.25, 0.30]]
    assert loaded.sample_x.tolist() == [0.05, 0.10] and loaded.sample_y.tolist() == [0.01, 0.99]


# --- writing: exact -------------------------------------------------------------------------
def awkward_floats(rng: np.random.Generator, count: int) -> np.ndarray:
    bits = rng.integers(0, 2**64, size=4 * count, dtype=np.uint64).view(np.float64)
    special = [
        0.1 + 0.2,
        -0.0,
        0.0,
        5e-324,
        -5e-324,
        2.2250738585072014e-308,
        2.225073858507201e-308,
        1.7976931348623157e308,
        -1.7976931348623157e308,
        1 / 3,
        1e-310,
        123456789.123456789,
    ]
    values = np.concatenate([special, bits[np.isfinite(bits)][: count - len(special)]])
    return values[:count]


def test_round_trip_is_bit_exact(tmp_path):
    rng = np.random.default_rng(2024)
    values = awkward_floats(rng, 60)
    layers = [
        Layer(values[:12].reshape(4, 3), values[12:16].copy(), "linear"),
        Layer(values[16:24].reshape(2, 4), None, "linear"),
    ]
    original = NetworkFile(
        Network(layers, "half_sse", "exact ✓"),
        values[24:27].copy(),
        values[27:29].copy(),
        values[29:59:2][:15].reshape(5, 3),
        values[30:60:2][:10].reshape(5, 2),
    )
    path = tmp_path / "exact.mlp.json"
    writer.save(path, original)
    loaded = reader.load(path)
    pairs = [(a.weights, b.weights) for a, b in zip(original.network.layers, loaded.network.layers)]
    pairs += [(original.network.layers[0].bias, loaded.network.layers[0].bias)]
    pairs += [(original.sample_x, loaded.sample_x), (original.sample_y, loaded.sample_y)]
    pairs += [(original.dataset_x, loaded.dataset_x), (original.dataset_y, loaded.dataset_y)]
    for before, after in pairs:
        assert before.tobytes() == after.tobytes()  # -0.0 and subnormals included
    assert writer.dumps(loaded) == path.read_text(encoding="utf-8")
    assert loaded.name == "exact ✓"


def test_saved_text_is_readable(tmp_path):
    path = tmp_path / "lecture.mlp.json"
    writer.save(path, reader.from_dict(LECTURE))
    text = path.read_text()
    assert "        [0.15, 0.2],\n        [0.25, 0.3]\n" in text  # each matrix row on its own line
    assert '"bias": [0.35, 0.35]' in text and '"bias": null' in text
    assert json.loads(text) == LECTURE


def test_saving_refuses_what_loading_would(tmp_path):
    path = tmp_path / "keep.mlp.json"
    path.write_text("old content")
    bad = reader.from_dict(LECTURE)
    bad.network.layer(2).weights[0, 1] = np.nan
    with pytest.raises(FileFormatError, match="cannot save: layer 2: weights row 1, column 2 is NaN"):
        writer.save(path, bad)
    assert path.read_text() == "old content"


# --- writing: atomic -----------------------------------------------------------------------
def leftovers(folder) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("failing", ["replace", "fsync"])
def test_failed_save_keeps_the_old_file(tmp_path, monkeypatch, failing):
    path = tmp_path / "net.mlp.json"
    path.write_text("the old file")

    def fail(*args, **kwargs):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, failing, fail)
    with pytest.raises(FileFormatError, match="cannot save: Input/output error; the old file is unchanged"):
        writer.save(path, reader.from_dict(LECTURE))
    monkeypatch.undo()
    assert path.read_text() == "the old file"
    assert leftovers(tmp_path) == []


def test_disk_full_half_way_keeps_the_old_file(tmp_path, monkeypatch):
    path = tmp_path / "net.mlp.json"
    path.write_text("the old file")
    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, text):
            self.handle.write(text[: len(text) // 2])
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fdopen", lambda *a, **k: HalfWriter(real_fdopen(*a, **k)))
    with pytest.raises(FileFormatError, match="No space left on device"):
        writer.save(path, reader.from_dict(LECTURE))
    assert path.read_text() == "the old file"
    assert leftovers(tmp_path) == []


def test_save_keeps_the_permissions_of_the_old_file(tmp_path):
    path = tmp_path / "net.mlp.json"
    path.write_text("old")
    path.chmod(0o640)
    writer.save(path, reader.from_dict(LECTURE))
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert reader.load(path) == reader.from_dict(LECTURE)


def test_new_file_gets_the_usual_permissions(tmp_path):
    umask = os.umask(0o022)
    try:
        path = tmp_path / "new.mlp.json"
        writer.save(path, reader.from_dict(LECTURE))
    finally:
        os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_save_refuses_a_read_only_file(tmp_path, monkeypatch):
    path = tmp_path / "net.mlp.json"
    path.write_text("old")
    path.chmod(0o444)
    if os.access(path, os.W_OK):  # root may write anything: report the file as read-only anyway
        real_access = os.access
        monkeypatch.setattr(os, "access", lambda p, mode: False if mode == os.W_OK else real_access(p, mode))
    with pytest.raises(FileFormatError, match="cannot save: the file is read-only"):
        writer.save(path, reader.from_dict(LECTURE))
    assert path.read_text() == "old"


def test_save_into_a_missing_folder(tmp_path):
    path = tmp_path / "no" / "such" / "net.mlp.json"
    with pytest.raises(FileFormatError, match=r"net\.mlp\.json: cannot save: No such file or directory"):
        writer.save(path, reader.from_dict(LECTURE))


def test_shipped_examples_are_recognised_so_they_open_untitled(tmp_path):
    from explorer.files.examples import default_example_path, is_example
    from explorer.files.writer import save

    assert is_example(default_example_path())
    copy = tmp_path / "lecture-2-2-2.mlp.json"
    save(copy, reader.load(default_example_path()))
    assert not is_example(copy)
