"""Command line: trace numbers against hand arithmetic, training against a loop written here, exit codes."""

from __future__ import annotations

import json
import math
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from explorer.app import cli
from explorer.engine.activations import ACTIVATIONS, Activation, sigmoid, sigmoid_prime
from explorer.files import examples, reader

LECTURE = str(examples.LECTURE_EXAMPLE)


def run(capsys, *args: str) -> tuple[int, str, str]:
    status = cli.main(list(args))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return status, out, err


def write(tmp_path, data: dict, name: str = "net.mlp.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data))
    return str(path)


def sig(v: float) -> float:
    return 1.0 / (1.0 + math.exp(-v))


# --- trace ---------------------------------------------------------------------------------
def test_trace_json_matches_hand_arithmetic(capsys):
    status, out, _ = run(capsys, "trace", LECTURE, "--json")
    assert status == 0
    result = json.loads(out)
    x, y = [0.05, 0.10], [0.01, 0.99]
    z1 = [0.15 * 0.05 + 0.20 * 0.10 + 0.35, 0.25 * 0.05 + 0.30 * 0.10 + 0.35]
    a1 = [sig(v) for v in z1]
    z2 = [0.40 * a1[0] + 0.45 * a1[1], 0.50 * a1[0] + 0.55 * a1[1]]
    a2 = [sig(v) for v in z2]
    e2 = [a2[0] - y[0], a2[1] - y[1]]
    loss = 0.5 * (e2[0] ** 2 + e2[1] ** 2)
    d2 = [a2[i] * (1 - a2[i]) * e2[i] for i in range(2)]
    e1 = [0.40 * d2[0] + 0.50 * d2[1], 0.45 * d2[0] + 0.55 * d2[1]]
    d1 = [a1[i] * (1 - a1[i]) * e1[i] for i in range(2)]
    expected = [
        {"a": x},
        {
            "z": z1,
            "a": a1,
            "e": e1,
            "delta": d1,
            "dJ_dW": [[d1[i] * x[j] for j in range(2)] for i in range(2)],
            "dJ_db": d1,
        },
        {
            "z": z2,
            "a": a2,
            "e": e2,
            "delta": d2,
            "dJ_dW": [[d2[i] * a1[j] for j in range(2)] for i in range(2)],
            "dJ_db": None,
        },
    ]
    assert z1 == pytest.approx([0.3775, 0.3925], abs=1e-15)
    assert result["loss"] == pytest.approx(loss, rel=1e-12, abs=1e-15)
    assert len(result["layers"]) == 3 and set(result["layers"][0]) == {"a"}
    for got, want in zip(result["layers"], expected):
        assert set(got) == set(want)
        for key, value in want.items():
            if value is None:
                assert got[key] is None
            else:
                np.testing.assert_allclose(got[key], value, rtol=1e-12, atol=1e-15)
    w2 = [[0.40, 0.45], [0.50, 0.55]]
    new_w2 = [[w2[i][j] - 0.5 * d2[i] * a1[j] for j in range(2)] for i in range(2)]
    np.testing.assert_allclose(result["updated"][1]["W"], new_w2, rtol=1e-12)
    assert result["updated"][1]["b"] is None and result["learning_rate"] == 0.5
    assert result["stages"][0].startswith("Input") and len(result["stages"]) == 11


def test_trace_json_keeps_every_digit(capsys):
    _, out, _ = run(capsys, "trace", LECTURE, "--json")
    z = json.loads(out)["layers"][1]["z"][1]
    assert z == 0.25 * 0.05 + 0.30 * 0.10 + 0.35  # 0.39249999999999996, bit for bit
    assert "0.39249999999999996" in out


def test_trace_text_shows_stages_formulas_and_numbers(capsys):
    status, out, _ = run(capsys, "trace", LECTURE)
    assert status == 0
    for text in (
        "[1/11] Input: a^(0) = x",
        "[2/11] Layer 1, linear step",
        "z^(1) = W^(1) a^(0) + b^(1)",
        "z^(1) = [0.3775, 0.39249999999999996]",
        "W^(1) = [[0.15, 0.2],",
        "e^(1) = W^(2)ᵀ δ^(2)",
        "J = 0.2457499166369",
        "[11/11] Update with learning rate η = 0.5",
    ):
        assert text in out, text


def test_trace_lr_sets_the_update_step(capsys):
    _, out, _ = run(capsys, "trace", LECTURE, "--json", "--lr", "0.1")
    result = json.loads(out)
    grad = result["layers"][2]["dJ_dW"][0][0]
    assert result["learning_rate"] == 0.1
    assert result["updated"][1]["W"][0][0] == pytest.approx(0.40 - 0.1 * grad, rel=1e-15)


def test_format_values_aligns_columns():
    text = cli.format_values(np.array([[1.0, -0.5], [0.25, 10.0]]), indent=4)
    assert text == "[[ 1.0, -0.5],\n     [0.25, 10.0]]"
    assert cli.format_values(0.1 + 0.2) == "0.30000000000000004"


# --- train ---------------------------------------------------------------------------------
def descend(w1, b1, w2, b2, X, Y, rate, epochs):
    """Full-batch gradient descent on a sigmoid 2-layer network, written out here."""
    w1, w2 = np.array(w1, float), np.array(w2, float)
    b1 = None if b1 is None else np.array(b1, float)
    b2 = None if b2 is None else np.array(b2, float)
    X, Y = np.array(X, float), np.array(Y, float)
    n = len(X)
    for _ in range(epochs):
        gw1, gw2, gb1, gb2 = 0 * w1, 0 * w2, np.zeros(len(w1)), np.zeros(len(w2))
        for x, y in zip(X, Y):
            h = 1 / (1 + np.exp(-(w1 @ x + (0 if b1 is None else b1))))
            o = 1 / (1 + np.exp(-(w2 @ h + (0 if b2 is None else b2))))
            d2 = (o - y) * o * (1 - o)
            d1 = (w2.T @ d2) * h * (1 - h)
            gw2 += np.outer(d2, h) / n
            gw1 += np.outer(d1, x) / n
            gb2 += d2 / n
            gb1 += d1 / n
        w1, w2 = w1 - rate * gw1, w2 - rate * gw2
        b1 = None if b1 is None else b1 - rate * gb1
        b2 = None if b2 is None else b2 - rate * gb2
    return w1, b1, w2, b2


def test_train_on_the_sample_matches_a_loop_written_here(capsys, tmp_path):
    out_path = tmp_path / "trained.mlp.json"
    status, out, _ = run(capsys, "train", LECTURE, "--epochs", "25", "--output", str(out_path))
    assert status == 0
    assert "data: the file's sample (it has no data set)" in out and "training on 1 training row\n" in out
    assert f"wrote {out_path}" in out
    trained = reader.load(out_path)
    w1, b1, w2, _ = descend(
        [[0.15, 0.20], [0.25, 0.30]],
        [0.35, 0.35],
        [[0.40, 0.45], [0.50, 0.55]],
        None,
        [[0.05, 0.10]],
        [[0.01, 0.99]],
        0.5,
        25,
    )
    np.testing.assert_allclose(trained.network.layer(1).weights, w1, rtol=1e-12)
    np.testing.assert_allclose(trained.network.layer(1).bias, b1, rtol=1e-12)
    np.testing.assert_allclose(trained.network.layer(2).weights, w2, rtol=1e-12)
    assert trained.network.layer(2).bias is None
    original = reader.load(LECTURE)
    assert trained.training == original.training and trained.name == original.name
    assert trained.sample_x.tolist() == original.sample_x.tolist()


def test_train_on_a_data_set_with_lr_override(capsys, tmp_path):
    xor = reader.load(examples.EXAMPLES_DIR / "xor-2-2-1.mlp.json")
    out_path = tmp_path / "xor.mlp.json"
    args = ["train", str(examples.EXAMPLES_DIR / "xor-2-2-1.mlp.json"), "--epochs", "40", "--lr", "0.7"]
    status, out, _ = run(capsys, *args, "-o", str(out_path))
    assert status == 0 and "data: the 4 samples of the data set\ntraining on 4 training rows\n" in out
    first, second = xor.network.layers
    expected = descend(
        first.weights, first.bias, second.weights, second.bias, xor.dataset_x, xor.dataset_y, 0.7, 40
    )
    trained = reader.load(out_path).network
    for got, want in zip(
        [trained.layer(1).weights, trained.layer(1).bias, trained.layer(2).weights, trained.layer(2).bias],
        expected,
    ):
        np.testing.assert_allclose(got, want, rtol=1e-11)
    assert reader.load(out_path).training.learning_rate == xor.training.learning_rate  # settings kept
    np.testing.assert_array_equal(reader.load(out_path).dataset_x, xor.dataset_x)


def test_train_zero_epochs_resaves_the_same_content(capsys, tmp_path):
    for path in examples.example_paths():
        out_path = tmp_path / path.name
        status, _, _ = run(capsys, "train", str(path), "--epochs", "0", "--output", str(out_path))
        assert status == 0
        assert reader.load(out_path) == reader.load(path)
        assert json.loads(out_path.read_text()) == json.loads(path.read_text())


def test_train_prints_progress_and_uses_the_files_epochs(capsys, tmp_path):
    data = json.loads(examples.LECTURE_EXAMPLE.read_text())
    data["training"]["epochs"] = 30
    status, out, _ = run(capsys, "train", write(tmp_path, data))
    assert status == 0
    lines = [line for line in out.splitlines() if line.startswith("end of epoch")]
    assert [line.split()[3] for line in lines] == [f"{n}:" for n in range(3, 31, 3)]
    assert "before training: training loss 0.2457499166369" in out and "after 30 epochs: training loss" in out
    assert "wrote" not in out


def test_train_reports_validation_loss(capsys, tmp_path):
    data = json.loads((examples.EXAMPLES_DIR / "sine-1-8-1.mlp.json").read_text())
    data["training"].update(validation_fraction=0.2, epochs=10)
    status, out, _ = run(capsys, "train", write(tmp_path, data))
    assert status == 0 and "validation loss" in out


def test_diverging_training_keeps_the_last_finite_weights(capsys, tmp_path):
    data = {
        "format": "mlp-explorer/network",
        "version": 1,
        "layers": [{"activation": "linear", "weights": [[1.0]]}],
        "dataset": {"x": [[10.0]], "y": [[0.0]]},
        "training": {"learning_rate": 1.0, "epochs": 1000},
    }
    out_path = tmp_path / "diverged.mlp.json"
    status, out, err = run(capsys, "train", write(tmp_path, data), "--output", str(out_path))
    assert status == 1
    assert err.startswith("training stopped: the ") and "kept the last finite weights" in err
    assert err.count("\n") == 1
    weight = reader.load(out_path).network.layer(1).weights[0, 0]
    assert math.isfinite(weight) and abs(weight) > 1e100  # each step multiplies it by −99


# --- gradcheck -----------------------------------------------------------------------------
def test_gradcheck_passes_on_the_lecture_network(capsys):
    status, out, _ = run(capsys, "gradcheck", LECTURE)
    assert status == 0
    assert "checked all 10 parameters on the file's sample" in out
    assert "largest relative error" in out and "passed (tolerance 1e-05)" in out


def test_gradcheck_fails_on_a_wrong_derivative(capsys, tmp_path, monkeypatch):
    def wrong(z, a, e):
        return 2.0 * sigmoid_prime(z) * e

    broken = Activation("sigmoid_twice", sigmoid, sigmoid_prime, wrong, "g(z) = σ(z)", "g'(z) = 2σ'(z)")
    monkeypatch.setitem(ACTIVATIONS, "sigmoid_twice", broken)
    data = json.loads(examples.LECTURE_EXAMPLE.read_text())
    data["layers"][0]["activation"] = "sigmoid_twice"
    status, out, _ = run(capsys, "gradcheck", write(tmp_path, data))
    assert status == 1
    assert "FAILED" in out and "(layer 1 " in out


def test_gradcheck_samples_with_a_printed_seed_and_all_checks_every_parameter(capsys):
    status, out, _ = run(capsys, "gradcheck", LECTURE, "--sample", "4", "--seed", "5")
    assert status == 0
    assert "of 10 parameters (a random sample, seed 5, every layer represented" in out
    status, out, _ = run(capsys, "gradcheck", LECTURE, "--all")
    assert status == 0 and "checked all 10 parameters" in out
    status, _, err = run(capsys, "gradcheck", LECTURE, "--all", "--sample", "4")
    assert status == 2 and "not allowed with" in err


def blas_threads() -> list[int]:
    from threadpoolctl import threadpool_info

    return [pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"]


@pytest.mark.parametrize(
    ("args", "expected"),
    [((), 1), (("--threads", "2"), 2), (("--threads=2",), 2)],
)
def test_verbs_use_one_blas_thread_unless_threads_says_otherwise(capsys, monkeypatch, args, expected):
    seen: list[list[int]] = []

    def spy(options):
        seen.append(blas_threads())
        return 0

    monkeypatch.setattr(cli, "run_trace", spy)
    before = blas_threads()
    assert run(capsys, *args, "trace", LECTURE)[0] == 0  # before the verb
    assert run(capsys, "trace", LECTURE, *args)[0] == 0  # or after it
    if before:  # a NumPy without a BLAS pool has nothing to limit
        assert seen == [[expected] * len(before)] * 2
    assert blas_threads() == before  # given back when the verb ends
    status, _, err = run(capsys, "--threads", "0", "trace", LECTURE)
    assert status == 2 and "--threads" in err


# --- window, slides, usage -----------------------------------------------------------------
@pytest.fixture
def fake_gui(monkeypatch):
    import explorer.app.startup

    calls = []

    def run_gui(path=None, screenshot=None):
        calls.append((path, getattr(screenshot, "out", screenshot)))
        return 0

    monkeypatch.setattr(explorer.app.startup, "run_gui", run_gui)
    return calls


def test_window_is_opened_with_the_file(capsys, fake_gui):
    assert run(capsys)[0] == 0
    assert run(capsys, LECTURE)[0] == 0
    assert run(capsys, "--screenshot", "shot.png", LECTURE)[0] == 0
    assert run(capsys, "--screenshot", "shot.png")[0] == 0
    assert fake_gui == [(None, None), (LECTURE, None), (LECTURE, "shot.png"), (None, "shot.png")]


def test_window_that_cannot_start_says_so(capsys, monkeypatch):
    monkeypatch.setitem(sys.modules, "explorer.app.startup", None)  # makes the import fail
    status, _, err = run(capsys, LECTURE)
    assert status == 1
    assert err.startswith("mlp-explorer: cannot open the window (") and err.count("\n") == 1


def test_slides_are_handed_to_the_slides_module(capsys, monkeypatch, tmp_path):
    import explorer.app.slides

    calls = []
    monkeypatch.setattr(
        explorer.app.slides, "write_slides", lambda path, out, size: calls.append((path, out, size)) or 11
    )
    status, out, _ = run(capsys, "slides", LECTURE, "--out", str(tmp_path))
    assert status == 0 and out == f"wrote 11 slides to {tmp_path}\n"
    assert calls == [(LECTURE, str(tmp_path), (1920, 1080))]
    status, out, _ = run(capsys, "slides", LECTURE, "--out", "deck.pdf", "--size", "1280x720")
    assert status == 0 and calls[-1] == (LECTURE, "deck.pdf", (1280, 720))
    status, _, err = run(capsys, "slides", str(tmp_path / "missing.mlp.json"), "--out", str(tmp_path))
    assert status == 2 and err.endswith("missing.mlp.json: no such file\n") and len(calls) == 2


@pytest.mark.parametrize(
    "args, message",
    [
        (["trace"], "the following arguments are required: file"),
        (["train", LECTURE, "--epochs", "-3"], "argument --epochs: -3 must be 0 or more"),
        (["train", LECTURE, "--epochs", "ten"], "argument --epochs: 'ten' is not a whole number"),
        (["trace", LECTURE, "--lr", "0"], "argument --lr: 0 must be a positive number"),
        (["trace", LECTURE, "--lr", "nan"], "argument --lr: nan must be a positive number"),
        (["slides", LECTURE], "the following arguments are required: --out"),
        (["tarce", LECTURE], "unknown verb 'tarce' (did you mean 'trace'?)"),
        (["a.mlp.json", "b.mlp.json"], "unrecognized arguments: b.mlp.json"),
        (["--colour"], "unrecognized arguments: --colour"),
    ],
)
def test_usage_errors(capsys, args, message):
    status, out, err = run(capsys, *args)
    assert status == 2 and out == ""
    assert err.startswith("mlp-explorer: ") and message in err and err.count("\n") == 1


def test_help_lists_the_verbs(capsys):
    status, out, _ = run(capsys, "--help")
    assert status == 0
    for verb in ("trace FILE", "train FILE", "gradcheck FILE", "slides FILE --out DIR"):
        assert verb in out
    status, out, _ = run(capsys, "train", "--help")
    assert status == 0 and "--epochs N" in out


def test_verbs_never_load_qt(tmp_path):
    script = textwrap.dedent(
        f"""
        import sys
        from explorer.app import cli
        for args in (["trace", {LECTURE!r}], ["trace", {LECTURE!r}, "--json"], ["gradcheck", {LECTURE!r}],
                     ["train", {LECTURE!r}, "--epochs", "3", "-o", {str(tmp_path / "t.mlp.json")!r}]):
            assert cli.main(args) == 0, args
        loaded = [name for name in sys.modules if name.startswith(("PySide6", "pyqtgraph"))]
        assert not loaded, loaded
        """
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr


def test_slides_into_an_unusable_folder_is_one_line_and_status_2(tmp_path, capsys):
    from explorer.app import cli
    from explorer.files import examples

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    for out in (blocker, blocker / "sub"):
        status = cli.main(["slides", str(examples.default_example_path()), "--out", str(out)])
        err = capsys.readouterr().err
        assert status == 2
        assert str(out) in err and "Traceback" not in err and err.count("\n") == 1
