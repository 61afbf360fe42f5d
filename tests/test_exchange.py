"""Networks in and out through the real command line: scripts, .npz, .safetensors and ONNX, and refusals.

Expected values come from `trace --json` (the engine), from arrays built here by hand, and from
arithmetic written out in the test; never from the exporter checking itself.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import pickle
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pytest

from explorer.app import cli
from explorer.engine.network import Layer, Network
from explorer.files import examples, reader, writer
from explorer.files.model import NetworkFile

onnx = pytest.importorskip("onnx", reason="the onnx extra: pip install 'mlp-explorer[onnx]'")
ort = pytest.importorskip("onnxruntime", reason="onnxruntime is in the test extra")
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

# The shipped examples, wherever the package is installed (CI runs this suite against the wheel).
EXAMPLES = examples.example_paths()
LECTURE = examples.LECTURE_EXAMPLE
ALL_ACTIVATIONS = ("step", "sign", "sigmoid", "tanh", "relu", "leaky_relu", "linear", "softplus", "softmax")


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = cli.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return status, out, err


def trace_values(path: Path) -> dict:
    """Return ŷ, J and every ∂J/∂W^(k) as `trace --json` prints them (the real CLI, in this process)."""
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        assert cli.main(["trace", str(path), "--json"]) == 0
    data = json.loads(buffer.getvalue())
    return {
        "y_hat": data["y_hat"],
        "loss": data["loss"],
        "dJ_dW": [layer["dJ_dW"] for layer in data["layers"][1:]],
    }


def run_script(path: Path) -> dict:
    result = subprocess.run([sys.executable, str(path)], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 1
    return json.loads(lines[0])


def assert_close(got: object, expected: object, tol: float) -> None:
    np.testing.assert_allclose(
        np.asarray(got, dtype=float), np.asarray(expected, dtype=float), rtol=tol, atol=tol
    )


def same_layers(a: Network, b: Network) -> bool:
    return all(
        x.activation == y.activation
        and x.weights.dtype == y.weights.dtype == np.float64
        and x.weights.tobytes() == y.weights.tobytes()
        and (x.bias is None) == (y.bias is None)
        and (x.bias is None or x.bias.tobytes() == y.bias.tobytes())
        for x, y in zip(a.layers, b.layers, strict=True)
    )


def every_activation_network(activation: str, seed: int = 1) -> NetworkFile:
    rng = np.random.default_rng(seed)
    hidden = "tanh" if activation == "softmax" else activation
    layers = [
        Layer(rng.normal(size=(4, 3)) * 3, rng.normal(size=4), hidden),
        Layer(rng.normal(size=(3, 4)) * 3, None, activation),
    ]
    return NetworkFile(Network(layers, "half_sse", f"all {activation}"), np.array([0.5, -1.0, 2.0]))


# --- the lecture example by hand -----------------------------------------------------------
def test_lecture_script_matches_the_lecture_arithmetic(tmp_path: Path, capsys) -> None:
    out = tmp_path / "lecture.py"
    assert run_cli(capsys, "export", LECTURE, out)[0] == 0
    printed = run_script(out)
    # Written out: z1 = W1 x + b1 with W1 = [[.15,.2],[.25,.3]], b1 = .35, x = (.05,.1); layer 2 has no bias.
    sigmoid = lambda v: 1 / (1 + math.exp(-v))  # noqa: E731
    a1 = [sigmoid(0.15 * 0.05 + 0.2 * 0.1 + 0.35), sigmoid(0.25 * 0.05 + 0.3 * 0.1 + 0.35)]
    y_hat = [sigmoid(0.4 * a1[0] + 0.45 * a1[1]), sigmoid(0.5 * a1[0] + 0.55 * a1[1])]
    loss = 0.5 * ((y_hat[0] - 0.01) ** 2 + (y_hat[1] - 0.99) ** 2)
    assert_close(printed["y_hat"], y_hat, 1e-15)
    assert printed["loss"] == pytest.approx(loss, rel=1e-14)
    delta2 = [(y_hat[i] - (0.01, 0.99)[i]) * y_hat[i] * (1 - y_hat[i]) for i in range(2)]
    assert_close(printed["dJ_dW"][1], [[d * a for a in a1] for d in delta2], 1e-14)


def test_numpy_script_reads_in_the_lectures_notation(tmp_path: Path, capsys) -> None:
    out = tmp_path / "lecture.py"
    run_cli(capsys, "export", LECTURE, out)
    source = out.read_text(encoding="utf-8")
    for text in (
        "z^(k) = W^(k) a^(k−1) + b^(k)",
        "e^(k−1) = W^(k)ᵀ δ^(k)",
        "δ^(k) a^(k−1)ᵀ",
        "W1 = np.array(",
    ):
        assert text in source
    assert "0.15" in source and "import explorer" not in source and "from explorer" not in source


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name.split(".")[0])
def test_numpy_script_prints_exactly_what_trace_json_says(example: Path, tmp_path: Path, capsys) -> None:
    out = tmp_path / "net.py"
    status, printed, _ = run_cli(capsys, "export", example, out, "--framework", "numpy")
    assert status == 0 and printed.strip() == f"wrote {out}"
    assert run_script(out) == trace_values(example)


def test_float32_numpy_script_runs_in_float32(tmp_path: Path, capsys) -> None:
    out = tmp_path / "net32.py"
    assert run_cli(capsys, "export", LECTURE, out, "--dtype", "float32")[0] == 0
    printed = run_script(out)
    assert "DTYPE = np.float32" in out.read_text(encoding="utf-8")
    expected = trace_values(LECTURE)
    assert_close(printed["y_hat"], expected["y_hat"], 1e-6)
    assert printed["y_hat"] != expected["y_hat"]  # float32 rounding shows


# --- the PyTorch script --------------------------------------------------------------------
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name.split(".")[0])
def test_torch_script_compiles_with_a_sequential_of_linear_layers(
    example: Path, tmp_path: Path, capsys
) -> None:
    out = tmp_path / "net_torch.py"
    assert run_cli(capsys, "export", example, out, "--framework", "torch")[0] == 0
    source = out.read_text(encoding="utf-8")
    compile(source, str(out), "exec")
    layers = reader.load(example).network.layers
    assert "nn.Sequential(" in source
    assert source.count("nn.Linear(") == len(layers)
    assert source.count(".weight.copy_(") == len(layers)
    assert "# optimizer = torch.optim.SGD(" in source and "J.backward()" in source


# Runs every exported script in one interpreter (importing torch once), one JSON line per script.
RUN_ALL = """
import contextlib, io, json, runpy, sys
for path in sys.argv[1:]:
    buffer = io.StringIO()
    with contextlib.redirect_stdout(buffer):
        runpy.run_path(path, run_name="__main__")
    print(json.dumps(json.loads(buffer.getvalue())))
"""


def test_torch_scripts_autograd_agrees_with_trace_json(tmp_path: Path, capsys) -> None:
    pytest.importorskip("torch", reason="running the exported PyTorch scripts needs torch (not an extra)")
    scripts = []
    for example in EXAMPLES:
        scripts.append(tmp_path / f"{example.name.split('.')[0].replace('-', '_')}.py")
        assert run_cli(capsys, "export", example, scripts[-1], "--framework", "torch")[0] == 0
    result = subprocess.run(
        [sys.executable, "-c", RUN_ALL, *map(str, scripts)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    lines = result.stdout.strip().splitlines()
    assert len(lines) == len(EXAMPLES)
    for example, line in zip(EXAMPLES, lines, strict=True):
        printed, expected = json.loads(line), trace_values(example)
        assert printed["loss"] == pytest.approx(expected["loss"], rel=1e-12, abs=1e-12), example.name
        assert_close(printed["y_hat"], expected["y_hat"], 1e-12)
        for got, want in zip(printed["dJ_dW"], expected["dJ_dW"], strict=True):
            assert_close(got, want, 1e-12)


# --- ONNX ----------------------------------------------------------------------------------
@pytest.mark.parametrize("dtype", ["float64", "float32"])
@pytest.mark.parametrize("activation", ALL_ACTIVATIONS)
def test_onnx_runs_in_onnxruntime_like_the_engine(activation: str, dtype: str, tmp_path: Path) -> None:
    from explorer.files.exchange import export_network

    network_file = every_activation_network(activation)
    out = tmp_path / "net.onnx"
    export_network(network_file, str(out), dtype)
    model = onnx.load(str(out))
    onnx.checker.check_model(model, full_check=True)
    session = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    rng = np.random.default_rng(7)
    X = np.vstack([np.zeros(3), rng.normal(size=(40, 3)) * 4]).astype(dtype)  # one row hits z = b exactly
    (got,) = session.run(None, {"x": X})
    assert got.dtype == np.dtype(dtype)
    expected = network_file.network.astype(dtype).predict(X.T).T
    tol = 1e-12 if dtype == "float64" else 1e-5
    np.testing.assert_allclose(got, expected, rtol=tol, atol=tol)


def test_onnx_graph_is_gemm_with_transb_and_single_activation_ops(tmp_path: Path, capsys) -> None:
    out = tmp_path / "lecture.onnx"
    assert run_cli(capsys, "export", LECTURE, out)[0] == 0
    graph = onnx.load(str(out)).graph
    assert [node.op_type for node in graph.node] == ["Gemm", "Sigmoid", "Gemm", "Sigmoid"]
    gemm = graph.node[0]
    assert {a.name: helper.get_attribute_value(a) for a in gemm.attribute} == {"transB": 1}
    W1 = numpy_helper.to_array(next(t for t in graph.initializer if t.name == "W1"))
    np.testing.assert_array_equal(W1, [[0.15, 0.2], [0.25, 0.3]])  # (outputs, inputs), as in the lecture
    assert graph.input[0].type.tensor_type.elem_type == TensorProto.DOUBLE


# --- .npz ----------------------------------------------------------------------------------
def test_npz_holds_lecture_arrays_and_meta(tmp_path: Path, capsys) -> None:
    out = tmp_path / "w.npz"
    assert run_cli(capsys, "export", examples.EXAMPLES_DIR / "softmax-blobs-2-4-3.mlp.json", out)[0] == 0
    with np.load(out, allow_pickle=False) as npz:
        names = sorted(npz.files)
        meta = json.loads(str(npz["meta"]))
        W1 = npz["W1"]
    network = reader.load(examples.EXAMPLES_DIR / "softmax-blobs-2-4-3.mlp.json").network
    assert names == sorted(["meta"] + [f"W{k}" for k in (1, 2)] + [f"b{k}" for k in (1, 2)])
    assert meta["activations"] == [layer.activation for layer in network.layers]
    assert meta["loss"] == "cross_entropy" and meta["sizes"] == [2, 4, 3]
    assert W1.tobytes() == network.layers[0].weights.tobytes()


def test_npz_leaves_out_the_bias_a_layer_does_not_have(tmp_path: Path, capsys) -> None:
    source = tmp_path / "nobias.mlp.json"
    writer.save(source, every_activation_network("relu"))
    run_cli(capsys, "export", source, tmp_path / "w.npz", "--dtype", "float32")
    with np.load(tmp_path / "w.npz", allow_pickle=False) as npz:
        assert sorted(npz.files) == ["W1", "W2", "b1", "meta"]
        assert npz["W2"].dtype == np.float32


# --- round trips ---------------------------------------------------------------------------
@pytest.mark.parametrize("suffix", [".npz", ".onnx"])
@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.name.split(".")[0])
def test_round_trip_keeps_every_weight_bit_for_bit(
    example: Path, suffix: str, tmp_path: Path, capsys
) -> None:
    out, back = tmp_path / f"net{suffix}", tmp_path / "back.mlp.json"
    assert run_cli(capsys, "export", example, out)[0] == 0
    original = reader.load(example).network
    status, printed, err = run_cli(capsys, "import", out, "--output", back, "--loss", original.loss)
    assert status == 0, err
    assert same_layers(reader.load(back).network, original)


@pytest.mark.parametrize("activation", ALL_ACTIVATIONS)
def test_onnx_round_trip_recognises_every_activation(activation: str, tmp_path: Path, capsys) -> None:
    source, out, back = tmp_path / "a.mlp.json", tmp_path / "a.onnx", tmp_path / "b.mlp.json"
    writer.save(source, every_activation_network(activation))
    run_cli(capsys, "export", source, out)
    assert run_cli(capsys, "import", out, "--output", back)[0] == 0
    assert same_layers(reader.load(back).network, reader.load(source).network)


# --- imports of files made elsewhere -------------------------------------------------------
def torch_style_arrays() -> dict[str, np.ndarray]:
    # nn.Sequential(Linear(2, 3), Sigmoid(), Linear(3, 1, bias=False)) as its state_dict names it.
    return {
        "0.weight": np.array([[1.0, -2.0], [0.5, 0.25], [3.0, 4.0]], dtype=np.float32),
        "0.bias": np.array([0.1, -0.2, 0.3], dtype=np.float32),
        "2.weight": np.array([[1.5, -1.0, 2.0]], dtype=np.float32),
    }


def test_import_npz_with_pytorch_names_needs_and_takes_activations(tmp_path: Path, capsys) -> None:
    src, out = tmp_path / "state.npz", tmp_path / "net.mlp.json"
    np.savez(src, **torch_style_arrays())
    status, _, err = run_cli(capsys, "import", src, "--output", out)
    assert status == 2 and err.count("\n") == 1
    assert "no activations" in err and "--activations" in err and str(src) in err
    status, printed, err = run_cli(capsys, "import", src, "-o", out, "--activations", "sigmoid,identity")
    assert status == 0, err
    network = reader.load(out).network
    assert [layer.activation for layer in network.layers] == ["sigmoid", "linear"]
    assert network.layers[1].bias is None
    # ŷ by hand for x = (1, 1); the biases are the float32 values, the weights are exact in float32.
    b = [float(np.float32(v)) for v in (0.1, -0.2, 0.3)]
    z1 = np.array([1.0 - 2.0 + b[0], 0.5 + 0.25 + b[1], 3.0 + 4.0 + b[2]])
    expected = 1.5 / (1 + np.exp(-z1[0])) - 1.0 / (1 + np.exp(-z1[1])) + 2.0 / (1 + np.exp(-z1[2]))
    assert network.predict(np.array([1.0, 1.0]))[0] == pytest.approx(expected, rel=1e-14)


def test_import_npz_with_lecture_names_and_a_module_prefix(tmp_path: Path, capsys) -> None:
    src = tmp_path / "prefixed.npz"
    np.savez(src, **{f"net.{name}": value for name, value in torch_style_arrays().items()})
    status, _, err = run_cli(
        capsys, "import", src, "-o", tmp_path / "a.mlp.json", "--activations", "tanh,linear"
    )
    assert status == 0, err
    lecture = tmp_path / "lecture.npz"
    np.savez(lecture, W1=np.eye(2), b1=np.zeros(2), W2=np.ones((1, 2)))
    status, _, err = run_cli(
        capsys, "import", lecture, "-o", tmp_path / "b.mlp.json", "--activations", "relu,linear"
    )
    assert status == 0, err
    assert reader.load(tmp_path / "b.mlp.json").network.sizes == [2, 2, 1]


def test_import_safetensors_with_sequential_names(tmp_path: Path, capsys) -> None:
    safetensors_numpy = pytest.importorskip("safetensors.numpy", reason="the safetensors extra")
    src, out = tmp_path / "model.safetensors", tmp_path / "net.mlp.json"
    safetensors_numpy.save_file(torch_style_arrays(), str(src))
    status, _, err = run_cli(
        capsys, "import", src, "-o", out, "--activations", "relu,sigmoid", "--loss", "cross_entropy"
    )
    assert status == 0, err
    network = reader.load(out).network
    assert network.loss == "cross_entropy"
    assert network.layers[0].weights.tolist() == [[1.0, -2.0], [0.5, 0.25], [3.0, 4.0]]
    assert network.layers[0].bias.tolist() == [
        np.float32(0.1).item(),
        np.float32(-0.2).item(),
        np.float32(0.3).item(),
    ]


def _model(
    nodes: list, initializers: list, n_in: int, n_out: int, elem: int = TensorProto.FLOAT
) -> onnx.ModelProto:
    graph = helper.make_graph(
        nodes,
        "main_graph",
        [helper.make_tensor_value_info("input", elem, ["batch", n_in])],
        [helper.make_tensor_value_info("output", elem, ["batch", n_out])],
        initializers,
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


def torch_like_gemm_model() -> tuple[onnx.ModelProto, dict[str, np.ndarray]]:
    """Lay out nn.Sequential(Linear(2,3), Sigmoid(), Linear(3,2), Softmax(-1)) as torch.onnx.export does."""
    arrays = {
        "0.weight": np.array([[0.1, 0.2], [0.3, -0.4], [0.5, 0.6]], dtype=np.float32),
        "0.bias": np.array([0.01, 0.02, 0.03], dtype=np.float32),
        "2.weight": np.array([[1.0, -1.0, 0.5], [0.25, 0.75, -2.0]], dtype=np.float32),
        "2.bias": np.array([0.0, 0.5], dtype=np.float32),
    }
    nodes = [
        helper.make_node(
            "Gemm",
            ["input", "0.weight", "0.bias"],
            ["/0/Gemm_output_0"],
            name="/0/Gemm",
            alpha=1.0,
            beta=1.0,
            transB=1,
        ),
        helper.make_node("Sigmoid", ["/0/Gemm_output_0"], ["/1/Sigmoid_output_0"], name="/1/Sigmoid"),
        helper.make_node(
            "Gemm",
            ["/1/Sigmoid_output_0", "2.weight", "2.bias"],
            ["/2/Gemm_output_0"],
            name="/2/Gemm",
            alpha=1.0,
            beta=1.0,
            transB=1,
        ),
        helper.make_node("Softmax", ["/2/Gemm_output_0"], ["output"], name="/3/Softmax", axis=-1),
    ]
    inits = [numpy_helper.from_array(value, name) for name, value in arrays.items()]
    return _model(nodes, inits, 2, 2), arrays


def test_import_onnx_gemm_chain_as_torch_exports_it(tmp_path: Path, capsys) -> None:
    model, arrays = torch_like_gemm_model()
    src, out = tmp_path / "torch.onnx", tmp_path / "net.mlp.json"
    onnx.save(model, str(src))
    status, printed, err = run_cli(capsys, "import", src, "-o", out, "--loss", "cross_entropy")
    assert status == 0, err
    assert "activations sigmoid, softmax" in printed
    network = reader.load(out).network
    np.testing.assert_array_equal(network.layers[0].weights, arrays["0.weight"])  # transB=1: kept as is
    np.testing.assert_array_equal(network.layers[1].bias, arrays["2.bias"])
    # The imported network computes what onnxruntime computes from the same file.
    X = np.array([[1.0, 2.0], [-3.0, 0.5]], dtype=np.float32)
    (expected,) = ort.InferenceSession(str(src), providers=["CPUExecutionProvider"]).run(None, {"input": X})
    np.testing.assert_allclose(network.predict(X.T.astype(np.float64)).T, expected, rtol=1e-6)


def test_import_onnx_matmul_add_with_in_out_weights(tmp_path: Path, capsys) -> None:
    W_in_out = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])  # MatMul's B is (inputs, outputs)
    nodes = [
        helper.make_node("MatMul", ["input", "onnx::MatMul_7"], ["/0/MatMul_output_0"], name="/0/MatMul"),
        helper.make_node("Add", ["0.bias", "/0/MatMul_output_0"], ["/0/Add_output_0"], name="/0/Add"),
        helper.make_node("Tanh", ["/0/Add_output_0"], ["/1/Tanh_output_0"], name="/1/Tanh"),
        helper.make_node("MatMul", ["/1/Tanh_output_0", "onnx::MatMul_8"], ["output"], name="/2/MatMul"),
    ]
    inits = [
        numpy_helper.from_array(W_in_out, "onnx::MatMul_7"),
        numpy_helper.from_array(np.array([0.5, -0.5, 0.0]), "0.bias"),
        numpy_helper.from_array(np.array([[1.0], [0.0], [-1.0]]), "onnx::MatMul_8"),
    ]
    src, out = tmp_path / "matmul.onnx", tmp_path / "net.mlp.json"
    onnx.save(_model(nodes, inits, 2, 1, TensorProto.DOUBLE), str(src))
    assert run_cli(capsys, "import", src, "-o", out)[0] == 0
    network = reader.load(out).network
    assert network.layers[0].weights.tolist() == [[1.0, 4.0], [2.0, 5.0], [3.0, 6.0]]  # W = Bᵀ
    assert network.layers[0].bias.tolist() == [0.5, -0.5, 0.0]
    assert [layer.activation for layer in network.layers] == ["tanh", "linear"] and network.layers[
        1
    ].bias is None
    x = np.array([0.1, 0.2])
    expected = math.tanh(0.1 * 1 + 0.2 * 4 + 0.5) - math.tanh(0.1 * 3 + 0.2 * 6)
    assert network.predict(x)[0] == pytest.approx(expected, rel=1e-15)


# --- refusals, each one line with status 2 -------------------------------------------------
def _refused(capsys, *args: str) -> str:
    status, out, err = run_cli(capsys, *args)
    assert status == 2 and out == ""
    assert err.count("\n") == 1 and "Traceback" not in err
    return err


def test_a_pickle_is_never_loaded(tmp_path: Path, capsys) -> None:
    marker = tmp_path / "executed"
    payload = pickle.dumps({"W1": np.eye(2)})
    (tmp_path / "model.pt").write_bytes(payload)
    (tmp_path / "renamed.npz").write_bytes(payload)
    np.savez(tmp_path / "objects.npz", W1=np.array([{"a": 1}], dtype=object))
    out = tmp_path / "x.mlp.json"
    assert "pickles and are never loaded" in _refused(capsys, "import", tmp_path / "model.pt", "-o", out)
    assert "a pickled file" in _refused(capsys, "import", tmp_path / "renamed.npz", "-o", out)
    err = _refused(capsys, "import", tmp_path / "objects.npz", "-o", out)
    assert "'W1' is a pickled object array" in err
    assert not marker.exists() and not out.exists()


def test_refusals_name_what_was_found_and_where(tmp_path: Path, capsys) -> None:
    out = str(tmp_path / "x.mlp.json")
    np.savez(tmp_path / "conv.npz", **{"0.weight": np.zeros((8, 3, 3, 3)), "0.bias": np.zeros(8)})
    err = _refused(capsys, "import", tmp_path / "conv.npz", "-o", out, "--activations", "relu")
    assert "0.weight has shape (8, 3, 3, 3)" in err and "convolution" in err
    np.savez(tmp_path / "shapes.npz", W1=np.zeros((3, 2)), W2=np.zeros((1, 4)))
    err = _refused(capsys, "import", tmp_path / "shapes.npz", "-o", out, "--activations", "relu,linear")
    assert "W2 has shape (1, 4)" in err and "layer 1 has 3 outputs" in err
    np.savez(tmp_path / "odd.npz", W1=np.zeros((3, 2)), running_mean=np.zeros(3))
    assert "unexpected array 'running_mean'" in _refused(capsys, "import", tmp_path / "odd.npz", "-o", out)
    np.savez(tmp_path / "nan.npz", W1=np.array([[1.0, np.nan]]))
    err = _refused(capsys, "import", tmp_path / "nan.npz", "-o", out, "--activations", "linear")
    assert "NaN" in err and "layer 1" in err
    np.savez(tmp_path / "ints.npz", W1=np.array([[1, 2]]))
    assert "int64" in _refused(capsys, "import", tmp_path / "ints.npz", "-o", out, "--activations", "linear")
    np.savez(tmp_path / "two.npz", W1=np.zeros((3, 2)), W2=np.zeros((1, 3)))
    err = _refused(capsys, "import", tmp_path / "two.npz", "-o", out, "--activations", "relu")
    assert "1 activations named for 2 weight layers" in err
    assert "unknown activation 'gelu'" in _refused(
        capsys, "import", tmp_path / "two.npz", "-o", out, "--activations", "gelu,relu"
    )
    err = _refused(
        capsys,
        "import",
        tmp_path / "two.npz",
        "-o",
        out,
        "--activations",
        "relu,linear",
        "--loss",
        "cross_entropy",
    )
    assert "needs a softmax or sigmoid output layer" in err
    (tmp_path / "notes.txt").write_text("hello")
    assert "import reads .npz, .safetensors or .onnx" in _refused(
        capsys, "import", tmp_path / "notes.txt", "-o", out
    )
    assert "no such file" in _refused(capsys, "import", tmp_path / "missing.onnx", "-o", out)
    assert not Path(out).exists()


def _onnx_refusal(tmp_path: Path, capsys, nodes: list, inits: list, n_out: int = 2) -> str:
    src = tmp_path / "bad.onnx"
    onnx.save(_model(nodes, inits, 2, n_out), str(src))
    return _refused(capsys, "import", src, "-o", tmp_path / "x.mlp.json")


def test_onnx_convolution_branch_and_unsupported_ops_are_refused(tmp_path: Path, capsys) -> None:
    W = numpy_helper.from_array(np.ones((2, 2), dtype=np.float32), "W")
    conv = [helper.make_node("Conv", ["input", "W"], ["output"], name="conv1")]
    assert "unsupported operator Conv node 'conv1' (node 1)" in _onnx_refusal(tmp_path, capsys, conv, [W])
    branch = [
        helper.make_node("Gemm", ["input", "W"], ["h"], name="fc", transB=1),
        helper.make_node("Relu", ["h"], ["r"], name="act"),
        helper.make_node("Add", ["r", "input"], ["output"], name="residual"),
    ]
    err = _onnx_refusal(tmp_path, capsys, branch, [W])
    assert "Add node 'residual' (node 3)" in err and "branch" in err
    gelu = [
        helper.make_node("Gemm", ["input", "W"], ["h"], name="fc", transB=1),
        helper.make_node("Erf", ["h"], ["output"], name="erf"),
    ]
    assert "unsupported operator Erf node 'erf' (node 2)" in _onnx_refusal(tmp_path, capsys, gelu, [W])
    leaky = [
        helper.make_node("Gemm", ["input", "W"], ["h"], transB=1),
        helper.make_node("LeakyRelu", ["h"], ["output"], name="lr", alpha=0.2),
    ]
    assert "LeakyRelu alpha = 0.2" in _onnx_refusal(tmp_path, capsys, leaky, [W])
    scaled = [helper.make_node("Gemm", ["input", "W"], ["output"], name="fc", alpha=2.0, transB=1)]
    assert "alpha = 2.0 (only 1.0 is supported)" in _onnx_refusal(tmp_path, capsys, scaled, [W])
    (tmp_path / "junk.onnx").write_bytes(b"\x08\x07garbage that is not protobuf" * 3)
    assert "not a valid ONNX model" in _refused(
        capsys, "import", tmp_path / "junk.onnx", "-o", tmp_path / "x.mlp.json"
    )


def test_onnx_external_data_is_not_followed(tmp_path: Path, capsys) -> None:
    model, _ = torch_like_gemm_model()
    onnx.save(
        model,
        str(tmp_path / "ext.onnx"),
        save_as_external_data=True,
        all_tensors_to_one_file=True,
        location="weights.bin",
        size_threshold=0,
    )
    err = _refused(capsys, "import", tmp_path / "ext.onnx", "-o", tmp_path / "x.mlp.json")
    assert "stored in an external file" in err


def test_sizes_are_limited_before_arrays_are_loaded(tmp_path: Path, capsys, monkeypatch) -> None:
    from explorer.files import exchange_common, weights_io

    monkeypatch.setattr(weights_io, "MAX_PARAMETERS", 10)
    np.savez(tmp_path / "big.npz", W1=np.zeros((4, 3)))
    assert "network too big: over 10 parameters" in _refused(
        capsys, "import", tmp_path / "big.npz", "-o", tmp_path / "x.mlp.json", "--activations", "relu"
    )
    monkeypatch.setattr(exchange_common, "MAX_FILE_BYTES", 200)
    monkeypatch.setattr(weights_io, "MAX_FILE_BYTES", 200)
    assert "file too big" in _refused(capsys, "import", tmp_path / "big.npz", "-o", tmp_path / "x.mlp.json")
    with zipfile.ZipFile(tmp_path / "bomb.npz", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("W1.npy", b"\0" * 10_000)
    assert "too big once unpacked: 10,000 bytes" in _refused(
        capsys, "import", tmp_path / "bomb.npz", "-o", tmp_path / "x.mlp.json"
    )


def test_export_refusals(tmp_path: Path, capsys) -> None:
    assert "use .py, .npz or .onnx" in _refused(capsys, "export", LECTURE, tmp_path / "net.txt")
    assert "--framework torch writes a .py script" in _refused(
        capsys, "export", LECTURE, tmp_path / "n.npz", "--framework", "torch"
    )
    status, _, err = run_cli(capsys, "export", LECTURE, tmp_path / "n.npz", "--dtype", "float16")
    assert status == 2 and "invalid choice" in err
    assert "no such file" in _refused(capsys, "export", tmp_path / "missing.mlp.json", tmp_path / "n.npz")


@pytest.mark.parametrize(
    ("args", "extra"),
    [
        (("export", str(LECTURE), "OUT.onnx"), "onnx"),
        (("import", "IN.onnx", "-o", "x.mlp.json"), "onnx"),
        (("import", "IN.safetensors", "-o", "x.mlp.json"), "safetensors"),
    ],
)
def test_a_missing_extra_says_which_to_install(args, extra: str, tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    for name in ("IN.onnx", "IN.safetensors"):
        (tmp_path / name).write_bytes(b"x")
    monkeypatch.setitem(sys.modules, extra, None)  # makes `import onnx` raise ImportError
    err = _refused(capsys, *args)
    assert f'pip install "mlp-explorer[{extra}]"' in err
    assert not (tmp_path / "OUT.onnx").exists()


def test_help_lists_the_new_verbs(capsys) -> None:
    status, out, _ = run_cli(capsys, "--help")
    assert status == 0 and "export FILE OUT" in out and "import SRC --output" in out


def test_exchange_modules_never_import_qt() -> None:
    code = (
        "import sys\n"
        "import explorer.files.exchange, explorer.app.exchange_cli\n"
        "print(sorted(m for m in sys.modules if m.startswith(('PySide6', 'shiboken6', 'pyqtgraph'))))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=Path(__file__).parent
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
