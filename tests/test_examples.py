"""The bundled examples: each loads, traces, trains and passes the gradient check, and shows its point."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from explorer.app import cli
from explorer.files import examples, model, reader, writer

NAMES = [
    "deep-relu-chain",
    "deep-sigmoid-chain",
    "deep-tanh-chain",
    "fin-surrogate-1-4-4",
    "lecture-2-2-2",
    "sine-1-8-1",
    "softmax-blobs-2-4-3",
    "step-activation",
    "xor-2-2-1",
]


def example(name: str) -> str:
    return str(examples.EXAMPLES_DIR / f"{name}.mlp.json")


def trained(capsys, tmp_path, name: str) -> model.NetworkFile:
    out_path = tmp_path / f"{name}.trained.mlp.json"
    assert cli.main(["train", example(name), "--output", str(out_path)]) == 0
    capsys.readouterr()
    return reader.load(out_path)


def test_the_examples_are_all_there():
    assert [path.name for path in examples.example_paths()] == [f"{name}.mlp.json" for name in NAMES]


@pytest.mark.parametrize("name", NAMES)
def test_every_verb_runs_cleanly(capsys, tmp_path, name):
    path = example(name)
    assert cli.main(["trace", path]) == 0
    assert cli.main(["trace", path, "--json"]) == 0
    traced = json.loads(capsys.readouterr().out.splitlines()[-1])  # the JSON is the last line
    assert np.isfinite(traced["loss"])
    assert cli.main(["gradcheck", path]) == 0
    assert "passed" in capsys.readouterr().out
    out_path = tmp_path / "trained.mlp.json"
    assert cli.main(["train", path, "--output", str(out_path)]) == 0
    out, err = capsys.readouterr()
    assert err == "" and f"wrote {out_path}" in out
    before, after = reader.load(path), reader.load(out_path)
    X, Y = (
        (before.dataset_x, before.dataset_y)
        if before.dataset_x is not None
        else (before.sample_x[None], before.sample_y[None])
    )
    assert after.network.loss_value(X.T, Y.T) < before.network.loss_value(X.T, Y.T)


def test_files_match_their_generator():
    # The generator stays in the source tree (resources/examples/make_examples.py); it is not shipped.
    generator = Path(__file__).resolve().parents[1] / "resources" / "examples" / "make_examples.py"
    spec = importlib.util.spec_from_file_location("make_examples", generator)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert sorted(module.EXAMPLES) == NAMES
    for name, make in module.EXAMPLES.items():
        assert writer.dumps(make()) == (examples.EXAMPLES_DIR / f"{name}.mlp.json").read_text(
            encoding="utf-8"
        )


def test_lecture_example_is_the_lecture_network():
    loaded = reader.load(example("lecture-2-2-2"))
    assert loaded.network.sizes == [2, 2, 2] and loaded.dataset_x is None
    assert loaded.network.layer(2).weights.tolist() == [[0.40, 0.45], [0.50, 0.55]]


def test_lecture_sample_is_learnt(capsys, tmp_path):
    result = trained(capsys, tmp_path, "lecture-2-2-2")
    assert result.network.loss_value(result.sample_x, result.sample_y) < 1e-3


def test_xor_is_learnt(capsys, tmp_path):
    result = trained(capsys, tmp_path, "xor-2-2-1")
    predictions = result.network.predict(result.dataset_x.T)[0]
    assert np.array_equal(predictions > 0.5, [False, True, True, False])
    assert np.all(np.abs(predictions - result.dataset_y[:, 0]) < 0.1)


def test_blobs_are_classified(capsys, tmp_path):
    result = trained(capsys, tmp_path, "softmax-blobs-2-4-3")
    probabilities = result.network.predict(result.dataset_x.T)
    assert np.array_equal(probabilities.argmax(axis=0), result.dataset_y.argmax(axis=1))
    np.testing.assert_allclose(probabilities.sum(axis=0), 1.0, rtol=1e-12)


def test_sine_is_fitted(capsys, tmp_path):
    result = trained(capsys, tmp_path, "sine-1-8-1")
    error = result.network.predict(result.dataset_x.T)[0] - np.sin(result.dataset_x[:, 0])
    assert np.max(np.abs(error)) < 0.05


def layer_gradient_sizes(name: str) -> list[float]:
    loaded = reader.load(example(name))
    trace = loaded.network.trace(loaded.dataset_x.T, loaded.dataset_y.T)
    return [float(np.sqrt(np.mean(g**2))) for g in trace.grad_weights[1:]]


def test_sigmoid_chain_gradients_vanish_and_relu_chain_gradients_do_not():
    sigmoid = layer_gradient_sizes("deep-sigmoid-chain")
    tanh = layer_gradient_sizes("deep-tanh-chain")
    relu = layer_gradient_sizes("deep-relu-chain")
    assert len(sigmoid) == len(tanh) == len(relu) == 12
    assert sigmoid[0] < 1e-6 * sigmoid[-1]  # at most 0.25 per layer, eleven times over
    assert tanh[0] > 1e-2 * tanh[-1] and relu[0] > 1e-2 * relu[-1]


def test_step_hidden_layer_gets_no_gradient(capsys):
    assert cli.main(["trace", example("step-activation"), "--json"]) == 0
    layers = json.loads(capsys.readouterr().out)["layers"]
    assert np.all(np.array(layers[1]["dJ_dW"]) == 0) and np.all(np.array(layers[1]["delta"]) == 0)
    assert np.any(np.array(layers[2]["dJ_dW"]) != 0)  # the sigmoid output layer still learns


def test_step_hidden_layer_does_not_move_in_training(capsys, tmp_path):
    before = reader.load(example("step-activation"))
    after = trained(capsys, tmp_path, "step-activation")
    assert np.array_equal(after.network.layer(1).weights, before.network.layer(1).weights)
    assert not np.array_equal(after.network.layer(2).weights, before.network.layer(2).weights)
