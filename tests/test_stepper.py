"""Stepper stages: their order, the numbers in their equations, what they reveal, and the update."""

from __future__ import annotations

import math

import numpy as np
import pytest

from explorer.engine.network import Layer, Network
from explorer.engine.stepper import Apply, Stepper, Term

ETA = 0.5
X = [0.05, 0.10]
Y = [0.01, 0.99]
LECTURE = {
    "weights": [[[0.15, 0.20], [0.25, 0.30]], [[0.40, 0.45], [0.50, 0.55]]],
    "biases": [[0.35, 0.35], [0.60, 0.60]],
}
DEEP = {
    "weights": [
        [[0.1, -0.2], [0.4, 0.3], [-0.5, 0.2]],
        [[0.3, -0.1, 0.2], [0.6, 0.5, -0.4]],
        [[0.7, -0.3], [-0.2, 0.9]],
    ],
    "biases": [[0.1, -0.1, 0.05], None, [0.2, -0.3]],
}


def sigmoid_net_by_hand(weights: list, biases: list, x: list[float], y: list[float]) -> dict:
    """Work a sigmoid network with half-SSE loss in plain Python floats, neuron by neuron."""
    L = len(weights)
    z, a = [None], [list(x)]
    for k in range(1, L + 1):
        w, b = weights[k - 1], biases[k - 1]
        zk = [
            sum(w[i][j] * a[k - 1][j] for j in range(len(a[k - 1]))) + (b[i] if b else 0.0)
            for i in range(len(w))
        ]
        z.append(zk)
        a.append([1.0 / (1.0 + math.exp(-v)) for v in zk])
    e = [None] * (L + 1)
    delta = [None] * (L + 1)
    prime = [None] * (L + 1)
    e[L] = [a[L][i] - y[i] for i in range(len(y))]
    for k in range(L, 0, -1):
        prime[k] = [v * (1.0 - v) for v in a[k]]
        delta[k] = [prime[k][i] * e[k][i] for i in range(len(a[k]))]
        w = weights[k - 1]
        e[k - 1] = [sum(w[i][j] * delta[k][i] for i in range(len(w))) for j in range(len(w[0]))]
    grad_w = [None] + [[[d * v for v in a[k - 1]] for d in delta[k]] for k in range(1, L + 1)]
    new_w = [None] + [
        [
            [weights[k - 1][i][j] - ETA * grad_w[k][i][j] for j in range(len(a[k - 1]))]
            for i in range(len(a[k]))
        ]
        for k in range(1, L + 1)
    ]
    new_b = [None] + [
        None if biases[k - 1] is None else [biases[k - 1][i] - ETA * delta[k][i] for i in range(len(a[k]))]
        for k in range(1, L + 1)
    ]
    loss = 0.5 * sum(v * v for v in e[L])
    return {"z": z, "a": a, "e": e, "delta": delta, "prime": prime, "grad_w": grad_w, "J": loss,
            "new_w": new_w, "new_b": new_b}  # fmt: skip


def make_network(spec: dict) -> Network:
    """Return a sigmoid half-SSE network from nested lists."""
    layers = [
        Layer(np.array(w), None if b is None else np.array(b), "sigmoid")
        for w, b in zip(spec["weights"], spec["biases"])
    ]
    return Network(layers, "half_sse")


def terms(equation: tuple) -> dict[str, np.ndarray]:
    """Return symbol -> values for the Terms of one equation (an applied activation's Term included)."""
    found = [item.to if isinstance(item, Apply) else item for item in equation]
    return {item.symbol: np.asarray(item.values) for item in found if isinstance(item, Term)}


@pytest.fixture
def lecture() -> tuple[Stepper, dict]:
    network = make_network(LECTURE)
    return Stepper(network, np.array(X), np.array(Y), ETA), sigmoid_net_by_hand(**LECTURE, x=X, y=Y)


def test_hand_arithmetic_matches_the_well_known_reference(lecture) -> None:
    _, by_hand = lecture
    assert by_hand["J"] == pytest.approx(0.298371109, abs=1e-9)
    assert by_hand["grad_w"][2][0][0] == pytest.approx(0.082167041, abs=1e-9)
    assert by_hand["grad_w"][1][0][0] == pytest.approx(0.000438568, abs=1e-9)


def test_stage_order_for_two_layers(lecture) -> None:
    stepper, _ = lecture
    order = [(stage.kind, stage.layer) for stage in stepper.stages]
    assert order == [
        ("input", 0),
        ("linear", 1), ("nonlinear", 1),
        ("linear", 2), ("nonlinear", 2),
        ("error", 2),
        ("delta", 2), ("backprop", 2),
        ("delta", 1),
        ("gradient", 0),
        ("update", 0),
    ]  # fmt: skip
    assert len(stepper) == len(order)


def test_stage_order_for_three_layers() -> None:
    stepper = Stepper(make_network(DEEP), np.array([0.3, -0.6]), np.array([0.2, 0.8]), ETA)
    order = [(stage.kind, stage.layer) for stage in stepper.stages]
    assert order == [
        ("input", 0),
        ("linear", 1), ("nonlinear", 1),
        ("linear", 2), ("nonlinear", 2),
        ("linear", 3), ("nonlinear", 3),
        ("error", 3),
        ("delta", 3), ("backprop", 3),
        ("delta", 2), ("backprop", 2),
        ("delta", 1),
        ("gradient", 0),
        ("update", 0),
    ]  # fmt: skip
    assert stepper.index_of("delta", 2) == 10
    with pytest.raises(ValueError):
        stepper.index_of("backprop", 1)


@pytest.mark.parametrize("spec, x, y", [(LECTURE, X, Y), (DEEP, [0.3, -0.6], [0.2, 0.8])])
def test_equation_numbers_match_hand_arithmetic(spec: dict, x: list, y: list) -> None:
    stepper = Stepper(make_network(spec), np.array(x), np.array(y), ETA)
    by_hand = sigmoid_net_by_hand(spec["weights"], spec["biases"], x, y)
    L = len(spec["weights"])

    def check(stage_terms: dict, symbol: str, expected) -> None:
        np.testing.assert_allclose(stage_terms[symbol], expected, rtol=1e-12, atol=1e-17, err_msg=symbol)

    for stage in stepper.stages:
        k = stage.layer
        values = {}
        for equation in stage.equations:
            values.update(terms(equation))
        if stage.kind == "input":
            check(values, "a^(0)", x)
        elif stage.kind == "linear":
            check(values, f"z^({k})", by_hand["z"][k])
            check(values, f"W^({k})", spec["weights"][k - 1])
            check(values, f"a^({k - 1})", by_hand["a"][k - 1])
            assert (f"b^({k})" in values) == (spec["biases"][k - 1] is not None)
            if spec["biases"][k - 1] is not None:
                check(values, f"b^({k})", spec["biases"][k - 1])
            check(stage.outputs, f"z^({k})", by_hand["z"][k])
        elif stage.kind == "nonlinear":
            check(values, f"a^({k})", by_hand["a"][k])
            check(values, f"z^({k})", by_hand["z"][k])
        elif stage.kind == "error":
            check(values, f"e^({L})", by_hand["e"][L])
            check(values, f"e^({L})ᵀ", [by_hand["e"][L]])
            check(values, "ŷ", by_hand["a"][L])
            check(values, "y", y)
            assert stage.outputs["J"] == pytest.approx(by_hand["J"], rel=1e-13)
            assert float(values["J"]) == pytest.approx(by_hand["J"], rel=1e-13)
            assert float(values["½"]) == 0.5
        elif stage.kind == "delta":
            check(values, f"δ^({k})", by_hand["delta"][k])
            check(values, f"g'(z^({k}))", by_hand["prime"][k])
            check(values, f"e^({k})", by_hand["e"][k])
        elif stage.kind == "backprop":
            check(values, f"e^({k - 1})", by_hand["e"][k - 1])
            check(values, f"W^({k})ᵀ", np.array(spec["weights"][k - 1]).T)
            check(values, f"δ^({k})", by_hand["delta"][k])
        elif stage.kind == "gradient":
            for j in range(1, L + 1):
                check(values, f"∂J/∂W^({j})", by_hand["grad_w"][j])
                check(values, f"a^({j - 1})ᵀ", [by_hand["a"][j - 1]])
                check(stage.outputs, f"∂J/∂W^({j})", by_hand["grad_w"][j])
                if spec["biases"][j - 1] is not None:
                    check(stage.outputs, f"∂J/∂b^({j})", by_hand["delta"][j])
                    check(values, f"∂J/∂b^({j})", by_hand["delta"][j])
        elif stage.kind == "update":
            for j in range(1, L + 1):
                check(values, f"W^({j}) new", by_hand["new_w"][j])
                check(values, f"W^({j})", spec["weights"][j - 1])
                check(stage.outputs, f"W^({j}) new", by_hand["new_w"][j])
                change = np.array(by_hand["new_w"][j]) - np.array(spec["weights"][j - 1])
                np.testing.assert_allclose(values[f"ΔW^({j})"], change, rtol=1e-9, atol=1e-15)
                if spec["biases"][j - 1] is not None:
                    check(stage.outputs, f"b^({j}) new", by_hand["new_b"][j])
                    check(values, f"b^({j}) new", by_hand["new_b"][j])
                    check(values, f"b^({j})", spec["biases"][j - 1])
            assert float(values["η"]) == ETA


def test_revealed_grows_and_hides_each_delta_until_its_stage(lecture) -> None:
    stepper, _ = lecture
    previous: frozenset = frozenset()
    assert stepper.revealed(-1) == frozenset()
    for index in range(len(stepper)):
        known = stepper.revealed(index)
        assert previous <= known and previous != known
        previous = known
    for k in (1, 2):
        first = stepper.index_of("delta", k)
        for index in range(len(stepper)):
            assert (("delta", k) in stepper.revealed(index)) == (index >= first)
        assert ("z", k) in stepper.revealed(stepper.index_of("linear", k))
        assert ("a", k) not in stepper.revealed(stepper.index_of("linear", k))
        assert ("a", k) in stepper.revealed(stepper.index_of("nonlinear", k))
    assert ("e", 1) not in stepper.revealed(stepper.index_of("delta", 2))
    assert ("e", 1) in stepper.revealed(stepper.index_of("backprop", 2))
    assert ("grad", 1) not in stepper.revealed(stepper.index_of("delta", 1))
    assert {("grad", 1), ("grad", 2)} <= stepper.revealed(stepper.index_of("gradient"))
    assert ("update", 2) in stepper.revealed(len(stepper) - 1)


@pytest.mark.parametrize("spec, x, y", [(LECTURE, X, Y), (DEEP, [0.3, -0.6], [0.2, 0.8])])
def test_updated_network_is_one_gradient_step_by_hand(spec: dict, x: list, y: list) -> None:
    network = make_network(spec)
    stepper = Stepper(network, np.array(x), np.array(y), ETA)
    by_hand = sigmoid_net_by_hand(spec["weights"], spec["biases"], x, y)
    updated = stepper.updated_network()
    for k in range(1, len(spec["weights"]) + 1):
        np.testing.assert_allclose(updated.layer(k).weights, by_hand["new_w"][k], rtol=1e-13)
        if spec["biases"][k - 1] is None:
            assert updated.layer(k).bias is None
        else:
            np.testing.assert_allclose(updated.layer(k).bias, by_hand["new_b"][k], rtol=1e-13)
        # The stepper's network is left as it was.
        np.testing.assert_array_equal(network.layer(k).weights, spec["weights"][k - 1])


def _softmax_case(loss: str, y: list[float]) -> tuple[Stepper, list[float], list[float]]:
    network = Network(
        [
            Layer(np.array(LECTURE["weights"][0]), np.array(LECTURE["biases"][0]), "sigmoid"),
            Layer(np.array([[0.4, 0.45], [0.5, 0.55], [-0.3, 0.2]]), None, "softmax"),
        ],
        loss,
    )
    stepper = Stepper(network, np.array(X), np.array(y), ETA)
    z = list(stepper.trace.zs[2])
    exps = [math.exp(v) for v in z]
    y_hat = [v / sum(exps) for v in exps]
    return stepper, y_hat, y


def test_softmax_half_sse_delta_shows_the_jacobian() -> None:
    stepper, y_hat, y = _softmax_case("half_sse", [0.2, 0.3, 0.5])
    values = terms(stepper.stages[stepper.index_of("delta", 2)].equations[0])
    jacobian = [[y_hat[i] * ((i == j) - y_hat[j]) for j in range(3)] for i in range(3)]
    np.testing.assert_allclose(values["(∂a/∂z)ᵀ"], np.array(jacobian).T, rtol=1e-12)
    e = [y_hat[i] - y[i] for i in range(3)]
    delta = [sum(jacobian[i][j] * e[i] for i in range(3)) for j in range(3)]
    np.testing.assert_allclose(values["δ^(2)"], delta, rtol=1e-12, atol=1e-17)


@pytest.mark.parametrize("y", [[0.0, 1.0, 0.0], [0.5, 1.0, 0.25]])
def test_cross_entropy_delta_equation_adds_up(y: list[float]) -> None:
    stepper, y_hat, _ = _softmax_case("cross_entropy", y)
    stage = stepper.stages[stepper.index_of("delta", 2)]
    delta = [y_hat[i] * sum(y) - y[i] for i in range(3)]
    np.testing.assert_allclose(stage.outputs["δ^(2)"], delta, rtol=1e-12, atol=1e-17)
    # Whatever the equation shows, its right-hand terms combine to the δ it states.
    equation = stage.equations[0]
    left, right = equation[0], equation[2:]
    assert right[-2] == "−"
    scale = right[1].values if len(right) == 4 else 1.0  # ŷ Σy − y, or ŷ − y for one-hot targets
    np.testing.assert_allclose(
        right[0].values * scale - right[-1].values, left.values, rtol=1e-12, atol=1e-17
    )
    np.testing.assert_allclose(right[-1].values, y, rtol=0)
