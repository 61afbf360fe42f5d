"""Command line on files written here, checked against a reference in plain floats to 1e-9.

The reference below uses only the math module and lists: no NumPy, nothing from explorer.engine.
Its sums are math.fsum (correctly rounded) and its derivatives use the forms that stay accurate in
the tails (σ'(z) = σ(z)σ(−z), tanh' = sech²), so it is closer to the exact value than the engine.
The network files are typed out as text with their own number spellings, not written by fileformat.
"""

from __future__ import annotations

import json
import math
import random
import re
import subprocess
import sys
from pathlib import Path

import pytest

from explorer.app import cli

REL, ABS = 1e-9, 1e-12
SMOOTH = ("sigmoid", "tanh", "linear", "softplus")
HIDDEN = ("step", "sign", "relu", "leaky_relu") + SMOOTH
fsum, exp = math.fsum, math.exp


# --- reference: activations ------------------------------------------------------------------
def sigmoid(z: float) -> float:
    """Return 1/(1+e^−z) without overflow on either side."""
    if z >= 0:
        return 1.0 / (1.0 + exp(-z))
    t = exp(z)
    return t / (1.0 + t)


def softplus(z: float) -> float:
    """Return log(1 + e^z) without overflow."""
    return z + math.log1p(exp(-z)) if z > 0 else math.log1p(exp(z))


def sech2(z: float) -> float:
    """Return 1/cosh²(z), the derivative of tanh, without the cancellation of 1 − tanh²."""
    c = 1.0 / math.cosh(z) if abs(z) < 700 else 0.0
    return c * c


# name -> (g, g'); softmax is handled as a vector below.
ELEMENTWISE = {
    "step": (lambda z: 1.0 if z > 0 else 0.0, lambda z: 0.0),
    "sign": (lambda z: 1.0 if z > 0 else (-1.0 if z < 0 else 0.0), lambda z: 0.0),
    "sigmoid": (sigmoid, lambda z: sigmoid(z) * sigmoid(-z)),
    "tanh": (math.tanh, sech2),
    "relu": (lambda z: z if z > 0 else 0.0, lambda z: 1.0 if z > 0 else 0.0),
    "leaky_relu": (lambda z: z if z > 0 else 0.01 * z, lambda z: 1.0 if z > 0 else 0.01),
    "linear": (lambda z: z, lambda z: 1.0),
    "softplus": (softplus, sigmoid),
}


def activate(name: str, z: list) -> list:
    """Return g(z) for a layer's vector z."""
    if name == "softmax":
        m = max(z)
        t = [exp(v - m) for v in z]
        s = fsum(t)
        return [v / s for v in t]
    return [ELEMENTWISE[name][0](v) for v in z]


# --- reference: losses -----------------------------------------------------------------------
def output_terms(loss: str, act: str, z: list, a: list, y: list) -> tuple[float, list, list]:
    """Return (J, e = ∂J/∂ŷ, δ = ∂J/∂z) at the output layer."""
    n = len(z)
    if loss == "half_sse":
        e = [a[i] - y[i] for i in range(n)]
        if act == "softmax":  # δ_j = Σ_i ∂a_i/∂z_j e_i with ∂a_i/∂z_j = a_i(δ_ij − a_j)
            delta = [fsum(a[i] * ((i == j) - a[j]) * e[i] for i in range(n)) for j in range(n)]
        else:
            delta = [ELEMENTWISE[act][1](z[i]) * e[i] for i in range(n)]
        return 0.5 * fsum(v * v for v in e), e, delta
    if act == "softmax":  # categorical: J = −Σ y log ŷ, log ŷ_i = z_i − m − log Σ e^(z_j − m)
        top = z.index(max(z))
        log_sum = math.log1p(fsum(exp(z[j] - z[top]) for j in range(n) if j != top))
        J = fsum(-y[i] * (z[i] - z[top] - log_sum) for i in range(n))
        e = [-y[i] / a[i] for i in range(n)]
        total = fsum(y)
        return J, e, [a[i] * total - y[i] for i in range(n)]
    # binary per output: log ŷ = −softplus(−z), log(1 − ŷ) = −softplus(z)
    J = fsum(y[i] * softplus(-z[i]) + (1 - y[i]) * softplus(z[i]) for i in range(n))
    # ∂J/∂ŷ = −y/ŷ + (1−y)/(1−ŷ) with 1/ŷ = 1 + e^−z and 1/(1−ŷ) = 1 + e^z: no 1 − ŷ to round.
    grow = [math.inf if abs(v) > 709 else exp(v) for v in z]  # e^z, infinite past the float range
    shrink = [math.inf if abs(v) > 709 else exp(-v) for v in z]
    e = [(1 - y[i]) * (1 + grow[i]) - y[i] * (1 + shrink[i]) for i in range(n)]
    delta = [(1 - y[i]) * sigmoid(z[i]) - y[i] * sigmoid(-z[i]) for i in range(n)]  # ŷ − y
    return J, e, delta


# --- reference: forward, backward, update ----------------------------------------------------
def reference_trace(layers: list, loss: str, x: list, y: list) -> dict:
    """Return J and per layer z, a, e, δ, ∂J/∂W, ∂J/∂b (layers: dicts W, b, act) and e^(0)."""
    a_list, z_list = [list(x)], [None]
    for layer in layers:
        W, b, a = layer["W"], layer["b"], a_list[-1]
        z = [fsum([W[i][j] * a[j] for j in range(len(a))] + ([b[i]] if b else [])) for i in range(len(W))]
        z_list.append(z)
        a_list.append(activate(layer["act"], z))
    L = len(layers)
    J, e, delta = output_terms(loss, layers[-1]["act"], z_list[L], a_list[L], y)
    out: list = [None] * (L + 1)
    for k in range(L, 0, -1):
        W, b = layers[k - 1]["W"], layers[k - 1]["b"]
        if k < L:
            prime = ELEMENTWISE[layers[k - 1]["act"]][1]
            delta = [prime(z_list[k][i]) * e[i] for i in range(len(e))]
        a_prev = a_list[k - 1]
        out[k] = {
            "z": z_list[k],
            "a": a_list[k],
            "e": e,
            "delta": delta,
            "dJ_dW": [[d * aj for aj in a_prev] for d in delta],
            "dJ_db": list(delta) if b else None,
        }
        e = [fsum(W[i][j] * delta[i] for i in range(len(W))) for j in range(len(a_prev))]
    out[0] = {"a": list(x)}
    return {"loss": J, "layers": out, "input_error": e, "y_hat": a_list[L]}


def stepped(layers: list, grads: list, rate: float) -> list:
    """Return the layers after W ← W − η ∂J/∂W and b ← b − η ∂J/∂b."""
    new = []
    for layer, (gw, gb) in zip(layers, grads):
        W = [[w - rate * g for w, g in zip(row, grow)] for row, grow in zip(layer["W"], gw)]
        b = None if layer["b"] is None else [v - rate * g for v, g in zip(layer["b"], gb)]
        new.append({"W": W, "b": b, "act": layer["act"]})
    return new


def mean_loss_and_grads(layers: list, loss: str, X: list, Y: list) -> tuple[float, list]:
    """Return the mean J over the rows and the mean of each row's gradients."""
    traces = [reference_trace(layers, loss, x, y) for x, y in zip(X, Y)]
    n = len(traces)
    grads = []
    for k in range(1, len(layers) + 1):
        rows = [t["layers"][k] for t in traces]
        gw = [
            [fsum(r["dJ_dW"][i][j] for r in rows) / n for j in range(len(rows[0]["dJ_dW"][0]))]
            for i in range(len(rows[0]["dJ_dW"]))
        ]
        gb = None
        if rows[0]["dJ_db"] is not None:
            gb = [fsum(r["dJ_db"][i] for r in rows) / n for i in range(len(gw))]
        grads.append((gw, gb))
    return fsum(t["loss"] for t in traces) / n, grads


# --- files typed out here ----------------------------------------------------------------------
def spell(v: float, style: str, rng: random.Random) -> str:
    """Write one number as JSON text in a given style; every style reads back as the same float."""
    if style == "mixed":
        style = rng.choice(("repr", "exp", "int", "short"))
    if style == "int" and v == int(v) and abs(v) < 1e15:
        return str(int(v))
    if style == "exp":
        return f"{v:.16e}"  # 17 significant digits always read back exactly
    if style == "short":  # the shortest exponent form that reads back exactly, e.g. 1e-03, 2.5E+01
        for digits in range(17):
            text = f"{v:.{digits}e}"
            if float(text) == v:
                mantissa, power = text.split("e")
                mantissa = mantissa.rstrip("0").rstrip(".") if "." in mantissa else mantissa
                return mantissa + rng.choice("eE") + power
    return repr(float(v))


def encode(value, style: str, rng: random.Random, indent: str = "") -> str:
    """Write a JSON value with floats spelt in `style`; objects keep the caller's key order."""
    inner = indent + "  " if indent else ""
    sep = ",\n" + inner if indent else rng.choice((",", ", "))
    if isinstance(value, dict):
        items = [f"{json.dumps(k)}: {encode(v, style, rng, inner)}" for k, v in value.items()]
        if not indent:
            return "{" + sep.join(items) + "}"
        return "{\n" + inner + sep.join(items) + "\n" + indent + "}"
    if isinstance(value, list):
        return "[" + ", ".join(encode(v, style, rng) for v in value) + "]"
    if isinstance(value, float):
        return spell(value, style, rng)
    return json.dumps(value)


def shuffled(d: dict, rng: random.Random, unusual: bool) -> dict:
    """Return d with its keys in a random order when `unusual` (JSON objects are unordered)."""
    keys = list(d)
    if unusual:
        rng.shuffle(keys)
    return {k: d[k] for k in keys}


# --- random networks --------------------------------------------------------------------------
def number(rng: random.Random, scale: float) -> float:
    """Return a weight or input: mostly Gaussian, sometimes a whole number or a short decimal."""
    kind = rng.random()
    if kind < 0.12:
        return float(rng.randint(-3, 3))
    if kind < 0.2:
        return rng.choice((1e-3, -2.5e-4, 0.5, -0.125, 1e-7))
    return rng.gauss(0.0, scale)


def random_file(seed: int, gentle: bool = False, smooth: bool = False) -> dict:
    """Return the content of a random network file (as a dict, keys in file order)."""
    rng = random.Random(seed)
    depth = rng.randint(1, 3 if gentle else 5)
    sizes = [rng.randint(1, 6) for _ in range(depth + 1)]
    hidden = SMOOTH if smooth else HIDDEN
    # Every output activation in turn, the two that allow cross-entropy twice as often.
    outputs = ("softmax", "sigmoid") + hidden[:4] + ("softmax", "sigmoid") + hidden[4:]
    last = outputs[seed % len(outputs)]
    acts = [rng.choice(hidden) for _ in range(depth - 1)] + [last]
    if last == "softmax" and rng.random() < 0.8:  # a softmax of one output is constant: rarely useful
        sizes[-1] = rng.randint(2, 6)
    loss = "cross_entropy" if last in ("softmax", "sigmoid") and rng.random() < 0.6 else "half_sse"
    unusual = rng.random() < 0.5
    layers = []
    for k in range(depth):
        scale = rng.choice((0.3, 1.0) if gentle else (0.05, 0.5, 1.0, 2.5, 8.0))
        layer = {
            "activation": acts[k],
            "weights": [[number(rng, scale) for _ in range(sizes[k])] for _ in range(sizes[k + 1])],
        }
        if rng.random() < 0.6:
            layer["bias"] = [number(rng, scale) for _ in range(sizes[k + 1])]
        elif rng.random() < 0.5:
            layer["bias"] = None
        if rng.random() < 0.08:  # a neuron with no input at all: z = 0 exactly, the kinks' own point
            layer["weights"][0] = [0] * sizes[k]
            layer.pop("bias", None)
        layers.append(shuffled(layer, rng, unusual))
    in_scale = rng.choice((0.5, 1.0) if gentle else (0.01, 1.0, 4.0, 15.0))

    def target() -> list:
        if loss == "half_sse":
            return [number(rng, 1.0) for _ in range(sizes[-1])]
        if acts[-1] == "sigmoid":
            return [rng.choice((0, 1, rng.random())) for _ in range(sizes[-1])]
        if rng.random() < 0.7:  # one-hot, or targets in [0, 1] not summing to 1 (then δ = ŷ Σy − y)
            hot = rng.randrange(sizes[-1])
            return [float(i == hot) for i in range(sizes[-1])]
        return [rng.random() for _ in range(sizes[-1])]  # cross-entropy refuses targets above 1

    def row() -> list:
        return [number(rng, in_scale) for _ in range(sizes[0])]

    data: dict = {"format": "mlp-explorer/network", "version": 1}
    if rng.random() < 0.7:
        data["name"] = f"random {seed}"
    if loss != "half_sse" or rng.random() < 0.5:
        data["loss"] = loss
    data["layers"] = layers
    if gentle or rng.random() < 0.5:
        rows = rng.randint(1, 5)
        data["dataset"] = {"x": [row() for _ in range(rows)], "y": [target() for _ in range(rows)]}
    if rng.random() < 0.75:
        data["sample"] = shuffled({"x": row(), "y": target()}, rng, unusual)
    choice = rng.random()
    rate = rng.choice((0.05, 0.1, 0.2) if gentle else (0.5, 1e-3, 0.25, 2))
    if choice < 0.35:
        data["training"] = {"learning_rate": rate}
    elif choice < 0.8:
        data["training"] = shuffled(
            {
                "epochs": 50,
                "momentum": 0,
                "learning_rate": rate,
                "seed": 7,
                "batch_size": rng.choice((None, 9)),
            },
            rng,
            unusual,
        )
    return shuffled(data, rng, unusual)


def write_case(tmp_path: Path, seed: int, **kind) -> tuple[Path, dict]:
    """Type a random file out as text; return its path and its content as JSON reads it back."""
    content = random_file(seed, **kind)
    rng = random.Random(seed + 1000)
    style = rng.choice(("repr", "exp", "int", "short", "mixed"))
    text = encode(content, style, rng, indent=rng.choice(("", "  ")))
    path = tmp_path / f"net-{seed}.mlp.json"
    path.write_text(text + rng.choice(("", "\n")), encoding="utf-8")
    return path, json.loads(text)


def parsed(data: dict) -> tuple[list, str, list, list, float]:
    """Return (layers, loss, sample x, sample y, learning rate), with the file format's defaults."""
    layers = [
        {
            "W": [[float(v) for v in r] for r in d["weights"]],
            "act": d["activation"],
            "b": None if d.get("bias") is None else [float(v) for v in d["bias"]],
        }
        for d in data["layers"]
    ]
    if "sample" in data:
        x, y = data["sample"]["x"], data["sample"]["y"]
    elif "dataset" in data:
        x, y = data["dataset"]["x"][0], data["dataset"]["y"][0]
    else:
        x, y = [0.0] * len(layers[0]["W"][0]), [0.0] * len(layers[-1]["W"])
    rate = (data.get("training") or {}).get("learning_rate", 0.5)
    return layers, data.get("loss", "half_sse"), [float(v) for v in x], [float(v) for v in y], float(rate)


# --- comparison --------------------------------------------------------------------------------
# For the report (pytest -s): quantity -> largest |got − want| / max(|want|, 1e-3), and the largest
# share of the tolerance used, |got − want| / (1e-9 |want| + 1e-12).
WORST: dict[str, float] = {}
USED: dict[str, float] = {}


def close(got, want, where: str, quantity: str) -> None:
    """Assert every number of got is within 1e-9 relative (1e-12 absolute near 0) of want."""
    if want is None:
        assert got is None, f"{where}: expected null, got {got!r}"
        return
    if isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), f"{where}: shape {got!r} vs {want!r}"
        for i, (g, w) in enumerate(zip(got, want)):
            close(g, w, f"{where}[{i}]", quantity)
        return
    if not math.isfinite(want):
        # Beyond the float range (e^(L) of a sigmoid saturated at z = 800): the engine caps it.
        assert abs(got) >= 1e300, f"{where}: command line {got!r}, reference overflowed"
        return
    diff = abs(got - want)
    WORST[quantity] = max(WORST.get(quantity, 0.0), diff / max(abs(want), 1e-3))
    USED[quantity] = max(USED.get(quantity, 0.0), diff / (REL * abs(want) + ABS))
    assert diff <= REL * abs(want) + ABS, f"{where}: command line {got!r}, reference {want!r}"


def compare_trace(result: dict, data: dict, source: str, unchecked: tuple = ()) -> None:
    """Compare one `trace --json` object with the reference; `unchecked` lists (layer, key) to leave out."""
    layers, loss, x, y, rate = parsed(data)
    ref = reference_trace(layers, loss, x, y)
    assert result["sizes"] == [len(layers[0]["W"][0])] + [len(layer["W"]) for layer in layers]
    assert result["loss_function"] == loss and result["learning_rate"] == rate
    assert result["x"] == x and result["y"] == y
    close(result["loss"], ref["loss"], f"{source}: loss", "loss")
    close(result["y_hat"], ref["y_hat"], f"{source}: y_hat", "a")
    close(result["input_error"], ref["input_error"], f"{source}: input_error", "e")
    assert len(result["layers"]) == len(layers) + 1 and set(result["layers"][0]) == {"a"}
    for k, want in enumerate(ref["layers"]):
        assert set(result["layers"][k]) == set(want), f"{source}: layer {k} keys"
        for key, value in want.items():
            if (k, key) in unchecked:
                continue
            close(result["layers"][k][key], value, f"{source}: layer {k} {key}", key)
    grads = [(t["dJ_dW"], t["dJ_db"]) for t in ref["layers"][1:]]
    for k, (got, want) in enumerate(zip(result["updated"], stepped(layers, grads, rate)), start=1):
        close(got["W"], want["W"], f"{source}: updated W^({k})", "updated")
        close(got["b"], want["b"], f"{source}: updated b^({k})", "updated")


# --- tests ---------------------------------------------------------------------------------------
TRACE_SEEDS = range(40)
SUBPROCESS_SEEDS = (3, 17, 29)


@pytest.mark.parametrize("seed", TRACE_SEEDS)
def test_trace_json_matches_reference(tmp_path, capsys, seed):
    path, data = write_case(tmp_path, seed)
    status = cli.main(["trace", str(path), "--json"])
    out, err = capsys.readouterr()
    assert status == 0 and err == "", err
    compare_trace(json.loads(out), data, path.name)


@pytest.mark.parametrize("seed", SUBPROCESS_SEEDS)
def test_trace_json_from_python_m_explorer_matches_reference(tmp_path, seed):
    # `python -m explorer` is what main.py and the installed command run; from a folder outside the
    # checkout it is the installed package that answers.
    path, data = write_case(tmp_path, seed)
    done = subprocess.run(
        [sys.executable, "-m", "explorer", "trace", str(path), "--json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr
    compare_trace(json.loads(done.stdout), data, path.name)


def test_random_files_cover_every_case(tmp_path):
    """Check that the generated files reach what the comparison is meant to test."""
    seen: set = set()
    for seed in TRACE_SEEDS:
        path, data = write_case(tmp_path, seed)
        text = path.read_text(encoding="utf-8")
        if re.search(r"\d[eE][+-]\d", text):
            seen.add("exponent")
        if re.search(r"[\[,] ?-?\d+[,\]]", text):  # a whole number written without a point
            seen.add("integer literal")
        layers, loss, x, y, _ = parsed(data)
        ref = reference_trace(layers, loss, x, y)
        for k, layer in enumerate(layers, start=1):
            seen.add(layer["act"])
            seen.add("bias" if layer["b"] else "no bias")
            z = ref["layers"][k]["z"]
            if max(abs(v) for v in z) > 20:
                seen.add(("saturated", layer["act"]))
            if 0.0 in z:
                seen.add(("z = 0", layer["act"]))
        seen.add((loss, layers[-1]["act"]))
        seen.update(key for key in ("sample", "dataset", "training", "name", "loss") if key not in data)
        seen.add(("depth", len(layers)))
        seen.add("unusual order" if list(data)[0] != "format" else "usual order")
    wanted = {*ELEMENTWISE, "softmax", "bias", "no bias", "unusual order", "usual order", "exponent"}
    wanted.add("integer literal")
    wanted |= {("half_sse", "softmax"), ("cross_entropy", "softmax"), ("cross_entropy", "sigmoid")}
    wanted |= {("saturated", a) for a in ("sigmoid", "tanh", "softmax", "softplus", "relu")}
    wanted |= {("depth", d) for d in range(1, 6)}
    wanted |= {"sample", "dataset", "training", "name", "loss"}  # each left out of some file
    assert wanted <= seen, wanted - seen
    assert any(key[0] == "z = 0" for key in seen if isinstance(key, tuple))


SATURATED = (
    # cross-entropy on sigmoid outputs with z^(2) = 2, −2, 30, −40, 800 after a tanh at z = 30
    """{"format": "mlp-explorer/network", "version": 1, "loss": "cross_entropy",
       "layers": [{"activation": "tanh", "weights": [[10]]},
                  {"weights": [[2], [-2], [30], [-40], [800]], "activation": "sigmoid", "bias": null}],
       "sample": {"y": [0, 1, 0.3, 1, 0], "x": [3]}}""",
    # cross-entropy on softmax outputs spread over 60, one-hot and not; half_sse on the same
    """{"format": "mlp-explorer/network", "version": 1, "loss": "cross_entropy",
       "layers": [{"activation": "softmax", "weights": [[1, 0], [0, 1], [-1, 1]], "bias": [0, 60, 0]}],
       "sample": {"x": [20, -0.5], "y": [1, 0, 0]}}""",
    """{"format": "mlp-explorer/network", "version": 1, "loss": "cross_entropy",
       "layers": [{"activation": "softmax", "weights": [[1, 0], [0, 1], [-1, 1]], "bias": [0, 60, 0]}],
       "sample": {"x": [20, -0.5], "y": [0.25, 0.95, 0]}}""",
    """{"format": "mlp-explorer/network", "version": 1,
       "layers": [{"activation": "sigmoid", "weights": [[25, 1], [-1, 1]]},
                  {"activation": "softmax", "weights": [[1, 0], [0, 1], [-1, 1]], "bias": [0, 60, 0]}],
       "sample": {"x": [1, -0.5], "y": [0.2, 0.3, 0.5]}}""",
)


@pytest.mark.parametrize("index", range(len(SATURATED)))
def test_trace_json_matches_reference_when_saturated(tmp_path, capsys, index):
    path = tmp_path / f"saturated-{index}.mlp.json"
    path.write_text(SATURATED[index], encoding="utf-8")
    assert cli.main(["trace", str(path), "--json"]) == 0
    data = json.loads(SATURATED[index])
    compare_trace(json.loads(capsys.readouterr().out), data, path.name, ())


def read_floats(out: str, pattern: str) -> list[float]:
    return [float(v) for v in re.findall(pattern, out)]


@pytest.mark.parametrize("seed", range(100, 112))
def test_train_matches_reference_gradient_descent(tmp_path, capsys, seed):
    path, data = write_case(tmp_path, seed, gentle=True)
    output = tmp_path / "trained.mlp.json"
    status = cli.main(["train", str(path), "--epochs", "3", "--output", str(output)])
    out, err = capsys.readouterr()
    assert status == 0 and err == "", err
    layers, loss, x, y, rate = parsed(data)
    X, Y = (data["dataset"]["x"], data["dataset"]["y"]) if "dataset" in data else ([x], [y])
    X, Y = [[float(v) for v in r] for r in X], [[float(v) for v in r] for r in Y]
    losses = []
    for _ in range(3):
        mean, grads = mean_loss_and_grads(layers, loss, X, Y)
        losses.append(mean)
        layers = stepped(layers, grads, rate)
    final = mean_loss_and_grads(layers, loss, X, Y)[0]
    # Every loss the verb prints is taken at the end of the epoch it names (after that epoch's step).
    close(
        read_floats(out, r"before training: training loss (\S+)"),
        losses[:1],
        f"{path.name}: before",
        "train J",
    )
    close(
        read_floats(out, r"end of epoch +\d+: training loss (\S+)"),
        losses[1:] + [final],
        f"{path.name}: epochs",
        "train J",
    )
    close(read_floats(out, r"after 3 epochs: training loss (\S+)"), [final], f"{path.name}: after", "train J")
    trained = json.loads(output.read_text(encoding="utf-8"))
    for k, (got, want) in enumerate(zip(trained["layers"], layers), start=1):
        close(got["weights"], want["W"], f"{path.name}: trained W^({k})", "trained")
        close(got["bias"], want["b"], f"{path.name}: trained b^({k})", "trained")


@pytest.mark.parametrize("seed", range(200, 206))
def test_gradcheck_passes_on_smooth_networks(tmp_path, capsys, seed):
    path, _ = write_case(tmp_path, seed, gentle=True, smooth=True)
    status = cli.main(["gradcheck", str(path)])
    out, err = capsys.readouterr()
    assert status == 0 and "passed" in out, out + err


# --- the reference itself ----------------------------------------------------------------------
@pytest.mark.parametrize("name", list(ELEMENTWISE))
def test_reference_derivatives_match_finite_differences(name):
    g, prime = ELEMENTWISE[name]
    for z in (-3.1, -0.7, 0.4, 2.3):
        h = 1e-6
        assert prime(z) == pytest.approx((g(z + h) - g(z - h)) / (2 * h), rel=1e-6, abs=1e-9)
    assert ELEMENTWISE["relu"][1](0.0) == 0.0 and ELEMENTWISE["sign"][0](0.0) == 0.0


@pytest.mark.parametrize("seed", range(300, 306))
def test_reference_gradients_match_finite_differences(tmp_path, seed):
    """The reference's e, δ and ∂J/∂W agree with central differences of its own J."""
    _, data = write_case(tmp_path, seed, gentle=True, smooth=True)
    layers, loss, x, y, _ = parsed(data)
    ref = reference_trace(layers, loss, x, y)
    h = 1e-6
    for k, layer in enumerate(layers, start=1):
        for i, row in enumerate(layer["W"]):
            for j, w in enumerate(row):
                row[j] = w + h
                up = reference_trace(layers, loss, x, y)["loss"]
                row[j] = w - h
                down = reference_trace(layers, loss, x, y)["loss"]
                row[j] = w
                assert ref["layers"][k]["dJ_dW"][i][j] == pytest.approx((up - down) / (2 * h), abs=1e-7)
    # e^(L) = ∂J/∂ŷ: move one output with z fixed, through the loss written in terms of ŷ.
    y_hat = ref["y_hat"]
    for i in range(len(y_hat)):
        step = 1e-7 * (1.0 if loss == "half_sse" else max(1e-3, min(y_hat[i], 1 - y_hat[i])))
        up, down = list(y_hat), list(y_hat)
        up[i] += step
        down[i] -= step
        numeric = (
            loss_of_outputs(loss, layers[-1]["act"], up, y)
            - loss_of_outputs(loss, layers[-1]["act"], down, y)
        ) / (2 * step)
        assert ref["layers"][-1]["e"][i] == pytest.approx(numeric, rel=1e-5, abs=1e-7)


def loss_of_outputs(loss: str, act: str, p: list, y: list) -> float:
    """Return J as a function of the outputs ŷ = p (the textbook forms, for differentiating by ŷ)."""
    if loss == "half_sse":
        return 0.5 * fsum((p[m] - y[m]) ** 2 for m in range(len(p)))
    if act == "softmax":
        return -fsum(y[m] * math.log(p[m]) for m in range(len(p)))
    return -fsum(y[m] * math.log(p[m]) + (1 - y[m]) * math.log(1 - p[m]) for m in range(len(p)))
