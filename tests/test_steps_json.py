"""`trace --json`: every equation of "steps" holds with its own numbers; overflow gives strict JSON.

The equations are evaluated here with NumPy written in this file (matrix products, element-wise
products, sums) and activations written here with numpy: nothing from explorer.engine computes
them. An equation holds when both sides agree to 1e-9 of the size of the terms that make them
(the bound on a sum's rounding), entry by entry.
"""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from explorer.app import cli
from explorer.engine.activations import ACTIVATIONS
from explorer.files import examples

REL = 1e-9
OPERATORS = {"=", "+", "−", "⊙"}


def _softmax(z: np.ndarray) -> np.ndarray:
    exps = np.exp(z - z.max())
    return exps / exps.sum()


# Written here, from the definitions: g(z) for every activation the app offers.
ACTIVATION_FUNCTIONS = {
    "step": lambda z: np.where(z > 0, 1.0, 0.0),
    "sign": np.sign,
    "sigmoid": lambda z: np.where(
        z >= 0, 1 / (1 + np.exp(-np.abs(z))), np.exp(-np.abs(z)) / (1 + np.exp(-np.abs(z)))
    ),
    "tanh": np.tanh,
    "relu": lambda z: np.where(z > 0, z, 0.0),
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
    "linear": lambda z: z,
    "softplus": lambda z: np.maximum(z, 0) + np.log1p(np.exp(-np.abs(z))),
    "softmax": _softmax,
}


def test_every_activation_has_a_function_here() -> None:
    assert set(ACTIVATION_FUNCTIONS) == set(ACTIVATIONS)


def _value(token: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Return a value token as (value, size), 1-D lists as columns; size bounds the entries' magnitude."""
    if "apply" in token:
        z, _ = _value(token["to"])
        a = ACTIVATION_FUNCTIONS[token["apply"]](z.ravel()).reshape(z.shape)
        return a, np.abs(a)
    assert set(token) == {"symbol", "value"} and isinstance(token["symbol"], str), token
    value = np.array(token["value"], dtype=float)
    assert value.ndim <= 2, token
    if value.ndim == 1:
        value = value[:, None]
    return value, np.abs(value)


def _product(left: tuple[np.ndarray, np.ndarray], right: tuple[np.ndarray, np.ndarray], hadamard: bool):
    (a, a_size), (b, b_size) = left, right
    if hadamard:
        assert a.shape == b.shape
        return a * b, a_size * b_size
    if a.ndim == 0 or b.ndim == 0:  # a scalar such as η times an array
        return a * b, a_size * b_size
    assert a.shape[1] == b.shape[0], (a.shape, b.shape)
    return a @ b, a_size @ b_size


def _side(tokens: list[Any]) -> tuple[np.ndarray, np.ndarray]:
    """Return one side's value and its terms' size: terms joined by + and −, factors by ⊙ or side by side."""
    total: tuple[np.ndarray, np.ndarray] | None = None
    sign = 1.0
    factor: tuple[np.ndarray, np.ndarray] | None = None
    hadamard = False

    def close(total, factor, sign):
        assert factor is not None, tokens
        value, size = factor
        if total is None:
            return sign * value, size
        return total[0] + sign * value, total[1] + size

    for token in tokens:
        if isinstance(token, str):
            assert token in OPERATORS and token != "=", token
            if token == "⊙":
                assert factor is not None and not hadamard
                hadamard = True
                continue
            if factor is not None:
                total = close(total, factor, sign)
            elif total is not None:
                raise AssertionError(f"two operators in a row in {tokens}")
            sign = 1.0 if token == "+" else -1.0
            factor = None
            continue
        value = _value(token)
        factor = value if factor is None else _product(factor, value, hadamard)
        hadamard = False
    return close(total, factor, sign)


def check_equation(equation: list[Any], where: str) -> None:
    sides: list[list[Any]] = [[]]
    for token in equation:
        if token == "=":
            sides.append([])
        else:
            sides[-1].append(token)
    assert len(sides) >= 2, f"{where}: no '=' in {equation}"
    values = [_side(side) for side in sides]
    first, first_size = values[0]
    for value, size in values[1:]:
        assert value.size == first.size, f"{where}: {first.shape} vs {value.shape}"
        got, got_size = value.reshape(first.shape), size.reshape(first.shape)
        bound = REL * np.maximum(np.maximum(first_size, got_size), np.maximum(np.abs(first), np.abs(got)))
        assert np.all(np.abs(got - first) <= bound), f"{where}: {first.tolist()} vs {got.tolist()}"


def trace_steps(capsys, path: Path | str, *extra: str) -> dict[str, Any]:
    status = cli.main(["trace", str(path), "--json", *extra])
    out, err = capsys.readouterr()
    assert status == 0 and err == "", err
    return json.loads(out, parse_constant=_refuse)


def _refuse(name: str) -> None:
    raise AssertionError(f"not strict JSON: {name}")


def check_steps(data: dict[str, Any], name: str) -> int:
    """Check the structure and every equation of "steps"; return how many equations there were."""
    steps = data["steps"]
    assert [step["title"] for step in steps] == data["stages"]
    checked = 0
    for number, step in enumerate(steps):
        assert set(step) == {"title", "formulas", "equations"}
        assert all(isinstance(formula, str) for formula in step["formulas"])
        for index, equation in enumerate(step["equations"]):
            check_equation(equation, f"{name} step {number} ({step['title']}) equation {index}")
            checked += 1
    return checked


@pytest.mark.parametrize("path", examples.example_paths(), ids=lambda path: path.name)
def test_every_equation_of_every_example_holds(capsys, path: Path) -> None:
    data = trace_steps(capsys, path)
    assert check_steps(data, path.name) >= 6


def _random_network(
    seed: int, hidden: str, output: str, loss: str, bias: bool, targets: str
) -> dict[str, Any]:
    rng = random.Random(seed)
    sizes = [rng.randint(1, 4), rng.randint(2, 4), rng.randint(1, 3), rng.randint(2, 4)]
    layers = []
    for k in range(1, len(sizes)):
        layers.append(
            {
                "activation": output if k == len(sizes) - 1 else hidden,
                "weights": [[rng.uniform(-2, 2) for _ in range(sizes[k - 1])] for _ in range(sizes[k])],
                "bias": [rng.uniform(-1, 1) for _ in range(sizes[k])] if bias and k != 2 else None,
            }
        )
    n_out = sizes[-1]
    if targets == "one-hot":
        y = [0.0] * n_out
        y[rng.randrange(n_out)] = 1.0
    elif targets == "any":  # soft targets that need not sum to 1
        y = [rng.uniform(0, 1) for _ in range(n_out)]  # in [0, 1], as the reader requires
    else:
        y = [rng.uniform(0, 1) for _ in range(n_out)]
    return {
        "format": "mlp-explorer/network",
        "version": 1,
        "loss": loss,
        "layers": layers,
        "sample": {"x": [rng.uniform(-3, 3) for _ in range(sizes[0])], "y": y},
        "training": {"learning_rate": rng.choice([0.5, 0.1, 1e-7, 3.0])},
    }


HIDDEN = [name for name, activation in ACTIVATIONS.items() if not activation.last_layer_only]
CASES = (
    [("half_sse", hidden, output, "unit") for hidden in HIDDEN for output in ACTIVATIONS]
    + [("cross_entropy", hidden, "softmax", "one-hot") for hidden in HIDDEN]
    + [("cross_entropy", hidden, "softmax", "any") for hidden in ("sigmoid", "tanh")]
    + [("cross_entropy", hidden, "sigmoid", "unit") for hidden in HIDDEN]
)


@pytest.mark.parametrize("bias", [True, False], ids=["bias", "no-bias"])
@pytest.mark.parametrize("loss, hidden, output, targets", CASES)
def test_every_equation_of_a_random_network_holds(
    capsys, tmp_path, loss, hidden, output, targets, bias
) -> None:
    for seed in range(3):
        content = _random_network(seed, hidden, output, loss, bias, targets)
        path = tmp_path / f"net-{seed}.mlp.json"
        path.write_text(json.dumps(content), encoding="utf-8")
        data = trace_steps(capsys, path)
        check_steps(data, path.name)
        if bias:
            gradient, update = data["steps"][-2], data["steps"][-1]
            gradient_symbols = [eq[0]["symbol"] for eq in gradient["equations"]]
            update_symbols = [eq[0]["symbol"] for eq in update["equations"]]
            for k, layer in enumerate(content["layers"], start=1):
                has_bias = layer["bias"] is not None
                assert (f"∂J/∂b^({k})" in gradient_symbols) == has_bias
                assert (f"Δb^({k})" in update_symbols) == has_bias


def _tokens(data: dict[str, Any], title_start: str) -> list[list[Any]]:
    (step,) = [step for step in data["steps"] if step["title"].startswith(title_start)]
    return step["equations"]


def test_cross_entropy_error_stage_states_de_dy_hat_not_y_hat_minus_y(capsys) -> None:
    path = examples.example_paths()
    (blobs,) = [p for p in path if p.name == "softmax-blobs-2-4-3.mlp.json"]
    data = trace_steps(capsys, blobs)
    y_hat, y = np.array(data["y_hat"]), np.array(data["y"])
    error, loss = _tokens(data, "Output error")
    # e^(L) = ∂J/∂ŷ = −y/ŷ, by hand from ŷ and y.
    assert [token if isinstance(token, str) else token["symbol"] for token in error] == [
        "e^(2)",
        "=",
        "∂J/∂ŷ",
    ]
    np.testing.assert_allclose(error[0]["value"], -y / y_hat, rtol=1e-12)
    assert not np.allclose(error[0]["value"], y_hat - y)
    assert loss[0]["symbol"] == "J" and loss[0]["value"] == pytest.approx(
        -float(np.log(y_hat[y == 1][0])), rel=1e-12
    )
    (delta,) = _tokens(data, "Layer 2, δ")
    assert [token if isinstance(token, str) else token["symbol"] for token in delta] == [
        "δ^(2)",
        "=",
        "ŷ",
        "−",
        "y",
    ]
    np.testing.assert_allclose(delta[0]["value"], y_hat - y, rtol=1e-12, atol=1e-16)


def test_the_softmax_jacobian_is_written_without_a_kronecker_delta(capsys, tmp_path) -> None:
    content = _random_network(1, "tanh", "softmax", "half_sse", True, "unit")
    path = tmp_path / "softmax.mlp.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    data = trace_steps(capsys, path)
    (step,) = [step for step in data["steps"] if step["title"].startswith("Layer 3, δ")]
    assert any("diag(a) − a aᵀ" in formula for formula in step["formulas"])
    assert not any("δ_ij" in formula or "δ_i" in formula for formula in step["formulas"])


def test_update_shows_the_change_for_each_weight_and_bias(capsys) -> None:
    data = trace_steps(capsys, examples.LECTURE_EXAMPLE, "--lr", "0.5")
    update = data["steps"][-1]["equations"]
    symbols = [[token if isinstance(token, str) else token["symbol"] for token in eq] for eq in update]
    for name in ("W^(1)", "b^(1)", "W^(2)"):
        change = "Δ" + name
        assert [change, "=", f"{name} new", "−", name, "=", "−", "η", f"∂J/∂{name}"] in symbols
    # The lecture's layer-1 change, by hand: ΔW^(1)_11 = −0.5 δ_1^(1) x_1 with δ^(1) from the board.
    row = next(eq for eq in update if eq[0]["symbol"] == "ΔW^(1)")
    change, new, old, gradient = row[0]["value"], row[2]["value"], row[4]["value"], row[8]["value"]
    assert change[0][0] == pytest.approx(-0.5 * gradient[0][0], rel=1e-15) and change[0][0] != 0
    assert new[0][0] == old[0][0] + change[0][0] and new[0][0] != old[0][0]


# --- overflow --------------------------------------------------------------------------------
OVERFLOWING = {
    "format": "mlp-explorer/network",
    "version": 1,
    "layers": [
        {"activation": "linear", "weights": [[1e200, 1e200]], "bias": [0.0]},
        {"activation": "linear", "weights": [[1e200]]},
    ],
    "sample": {"x": [1e200, 1.0], "y": [0.5]},
}


def test_trace_json_with_overflow_is_strict_json_with_nulls_and_status_1(capsys, tmp_path) -> None:
    path = tmp_path / "overflow.mlp.json"
    path.write_text(json.dumps(OVERFLOWING), encoding="utf-8")
    status = cli.main(["trace", str(path), "--json"])
    out, err = capsys.readouterr()
    assert status == 1
    data = json.loads(out, parse_constant=_refuse)  # no NaN or Infinity anywhere
    assert len(err.strip().splitlines()) == 1 and "overflow" in err and "Traceback" not in err
    # 1e200 · 1e200 overflows: z^(1) is infinite, so it is null and named in "non_finite".
    assert data["layers"][1]["z"] == [None]
    assert "layers[1].z" in data["non_finite"]
    assert data["loss"] is None and "loss" in data["non_finite"]
    assert any(where.startswith("steps[") for where in data["non_finite"])
    assert data["layers"][0]["a"] == [1e200, 1.0]  # finite values stay as they are


def test_trace_json_without_overflow_has_an_empty_non_finite_list(capsys) -> None:
    data = trace_steps(capsys, examples.LECTURE_EXAMPLE)
    assert data["non_finite"] == []
