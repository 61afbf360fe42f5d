"""Network forward and backward against the lecture's example worked by hand and finite differences."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest

from explorer.engine.activations import ACTIVATIONS
from explorer.engine.network import Layer, Network

W1 = [[0.15, 0.20], [0.25, 0.30]]
B1 = [0.35, 0.35]
W2 = [[0.40, 0.45], [0.50, 0.55]]
B2 = [0.60, 0.60]
X = [0.05, 0.10]
Y = [0.01, 0.99]


def lecture_by_hand(b2: list[float] | None) -> dict:
    """Work the 2-2-2 sigmoid network of the lecture in plain Python floats, one neuron at a time."""

    def sigmoid(z: float) -> float:
        return 1.0 / (1.0 + math.exp(-z))

    z1 = [W1[i][0] * X[0] + W1[i][1] * X[1] + B1[i] for i in range(2)]
    a1 = [sigmoid(v) for v in z1]
    z2 = [W2[i][0] * a1[0] + W2[i][1] * a1[1] + (b2[i] if b2 else 0.0) for i in range(2)]
    a2 = [sigmoid(v) for v in z2]
    e2 = [a2[i] - Y[i] for i in range(2)]
    loss = 0.5 * (e2[0] ** 2 + e2[1] ** 2)
    delta2 = [a2[i] * (1 - a2[i]) * e2[i] for i in range(2)]
    e1 = [W2[0][j] * delta2[0] + W2[1][j] * delta2[1] for j in range(2)]
    delta1 = [a1[i] * (1 - a1[i]) * e1[i] for i in range(2)]
    e0 = [W1[0][j] * delta1[0] + W1[1][j] * delta1[1] for j in range(2)]
    return {
        "z": [None, z1, z2],
        "a": [X, a1, a2],
        "e": [e0, e1, e2],
        "delta": [None, delta1, delta2],
        "J": loss,
        "grad_W": [None, [[d * a for a in X] for d in delta1], [[d * a for a in a1] for d in delta2]],
        "grad_b": [None, delta1, delta2 if b2 else None],
    }


def lecture_network(with_b2: bool = True, dtype: type = np.float64) -> Network:
    """Return the lecture's 2-2-2 sigmoid network (optionally without the layer-2 bias)."""
    return Network(
        [
            Layer(np.array(W1, dtype=dtype), np.array(B1, dtype=dtype), "sigmoid"),
            Layer(np.array(W2, dtype=dtype), np.array(B2, dtype=dtype) if with_b2 else None, "sigmoid"),
        ],
        "half_sse",
        "lecture",
    )


def test_hand_worked_numbers_match_the_well_known_reference() -> None:
    # Guards the hand arithmetic above: the widely published values for this example.
    by_hand = lecture_by_hand(B2)
    assert by_hand["J"] == pytest.approx(0.298371109, abs=1e-9)
    assert by_hand["grad_W"][2][0][0] == pytest.approx(0.082167041, abs=1e-9)
    assert by_hand["grad_W"][1][0][0] == pytest.approx(0.000438568, abs=1e-9)


@pytest.mark.parametrize("with_b2", [True, False])
def test_trace_matches_lecture_worked_by_hand(with_b2: bool) -> None:
    by_hand = lecture_by_hand(B2 if with_b2 else None)
    network = lecture_network(with_b2)
    network.validate()
    trace = network.trace(np.array(X), np.array(Y))
    assert trace.loss == pytest.approx(by_hand["J"], rel=1e-13)
    assert trace.zs[0] is None and trace.deltas[0] is None and trace.grad_weights[0] is None
    np.testing.assert_allclose(trace.x, X, rtol=0)
    np.testing.assert_allclose(trace.output, by_hand["a"][2], rtol=1e-14)
    for k in (1, 2):
        np.testing.assert_allclose(trace.zs[k], by_hand["z"][k], rtol=1e-14)
        np.testing.assert_allclose(trace.activations[k], by_hand["a"][k], rtol=1e-14)
        np.testing.assert_allclose(trace.deltas[k], by_hand["delta"][k], rtol=1e-12)
        np.testing.assert_allclose(trace.grad_weights[k], by_hand["grad_W"][k], rtol=1e-12)
    for k in (0, 1, 2):
        np.testing.assert_allclose(trace.errors[k], by_hand["e"][k], rtol=1e-12)
    np.testing.assert_allclose(trace.grad_biases[1], by_hand["grad_b"][1], rtol=1e-12)
    if with_b2:
        np.testing.assert_allclose(trace.grad_biases[2], by_hand["grad_b"][2], rtol=1e-12)
    else:
        assert trace.grad_biases[2] is None
    assert network.loss_value(np.array(X), np.array(Y)) == pytest.approx(by_hand["J"], rel=1e-13)


def test_training_trace_skips_only_the_input_error() -> None:
    network = lecture_network()
    full = network.trace(np.array(X), np.array(Y))
    training = network.trace(np.array(X), np.array(Y), input_error=False)
    assert training.errors[0] is None
    for k in (1, 2):
        np.testing.assert_array_equal(training.grad_weights[k], full.grad_weights[k])
        np.testing.assert_array_equal(training.errors[k], full.errors[k])


def test_batch_is_the_mean_of_single_samples() -> None:
    by_hand = lecture_by_hand(B2)
    network = lecture_network()
    other_x, other_y = np.array([0.7, -0.3]), np.array([0.5, 0.2])
    single = network.trace(other_x, other_y)
    batch = network.trace(np.column_stack([X, other_x]), np.column_stack([Y, other_y]))
    assert batch.loss == pytest.approx((by_hand["J"] + single.loss) / 2, rel=1e-13)
    np.testing.assert_allclose(batch.per_sample_loss, [by_hand["J"], single.loss], rtol=1e-13)
    for k in (1, 2):
        mean = (np.array(by_hand["grad_W"][k]) + single.grad_weights[k]) / 2
        np.testing.assert_allclose(batch.grad_weights[k], mean, rtol=1e-12)
        mean_b = (np.array(by_hand["grad_b"][k]) + single.grad_biases[k]) / 2
        np.testing.assert_allclose(batch.grad_biases[k], mean_b, rtol=1e-12)
        np.testing.assert_allclose(batch.deltas[k][:, 0], by_hand["delta"][k], rtol=1e-12)


def test_a_batch_of_one_column_equals_the_single_sample() -> None:
    by_hand = lecture_by_hand(B2)
    trace = lecture_network().trace(np.array(X)[:, None], np.array(Y)[:, None])
    assert trace.loss == pytest.approx(by_hand["J"], rel=1e-13)
    for k in (1, 2):
        np.testing.assert_allclose(trace.grad_weights[k], by_hand["grad_W"][k], rtol=1e-12)
        np.testing.assert_allclose(trace.grad_biases[k], by_hand["grad_b"][k], rtol=1e-12)


def test_float32_network_stays_float32() -> None:
    network = lecture_network(dtype=np.float32)
    trace = network.trace(np.array(X), np.array(Y))
    for values in trace.zs[1:] + trace.activations + trace.errors + trace.deltas[1:] + trace.grad_weights[1:]:
        assert values.dtype == np.float32
    assert trace.loss == pytest.approx(lecture_by_hand(B2)["J"], rel=1e-6)


# --- random networks against central finite differences of a forward pass written here ---------------

REFERENCE_G = {
    "step": lambda z: (z > 0).astype(float),
    "sign": np.sign,
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "tanh": np.tanh,
    "relu": lambda z: np.where(z > 0, z, 0.0),
    "leaky_relu": lambda z: np.where(z > 0, z, 0.01 * z),
    "linear": lambda z: z,
    "softplus": lambda z: np.log1p(np.exp(z)),
    "softmax": lambda z: np.exp(z) / np.exp(z).sum(axis=0),
}


def reference_loss(params: list, activations: list[str], loss: str, x: np.ndarray, y: np.ndarray) -> float:
    """Return the mean J over columns, by a forward pass independent of the engine."""
    a = x if x.ndim == 2 else x[:, None]
    for (weights, bias), name in zip(params, activations):
        z = weights @ a + (0.0 if bias is None else bias[:, None])
        a = REFERENCE_G[name](z)
    y = y if y.ndim == 2 else y[:, None]
    if loss == "half_sse":
        per_sample = 0.5 * ((a - y) ** 2).sum(axis=0)
    elif activations[-1] == "softmax":
        per_sample = -(y * np.log(a)).sum(axis=0)
    else:
        per_sample = -(y * np.log(a) + (1 - y) * np.log(1 - a)).sum(axis=0)
    return float(per_sample.mean())


def numeric_gradients(params: list, activations: list[str], loss: str, x, y, h: float = 1e-6):
    """Return ∂J/∂W and ∂J/∂b for every layer by central differences."""
    grads = []
    for weights, bias in params:
        layer_grads = []
        for array in (weights, bias):
            if array is None:
                layer_grads.append(None)
                continue
            grad = np.zeros_like(array)
            for index in np.ndindex(array.shape):
                saved = array[index]
                array[index] = saved + h
                up = reference_loss(params, activations, loss, x, y)
                array[index] = saved - h
                down = reference_loss(params, activations, loss, x, y)
                array[index] = saved
                grad[index] = (up - down) / (2 * h)
            layer_grads.append(grad)
        grads.append(layer_grads)
    return grads


def copied_parameters(network: Network) -> list:
    """Return [(W, b or None)] copies, so that nudging them cannot touch the network."""
    return [
        (layer.weights.copy(), None if layer.bias is None else layer.bias.copy()) for layer in network.layers
    ]


def random_case(sizes, activations, loss, with_bias, batch, seed):
    """Return (network, x, y) with every hidden z at least 1e-3 away from the kinks at 0."""
    rng = np.random.default_rng(seed)
    for _ in range(100):
        layers = [
            Layer(
                rng.uniform(-1, 1, (sizes[k], sizes[k - 1])),
                rng.uniform(-0.5, 0.5, sizes[k]) if with_bias else None,
                activations[k - 1],
            )
            for k in range(1, len(sizes))
        ]
        x = rng.uniform(-1, 1, (sizes[0],) if batch == 1 else (sizes[0], batch))
        shape = (sizes[-1],) if batch == 1 else (sizes[-1], batch)
        if loss == "cross_entropy" and activations[-1] == "softmax":
            y = np.zeros(shape)
            y[rng.integers(0, sizes[-1])] = 1.0
        else:
            y = rng.uniform(0.05, 0.95, shape)
        network = Network(layers, loss)
        if all(np.abs(z).min() > 1e-3 for z in network.forward(x)[0][1:]):
            return network, x, y
    raise AssertionError("no kink-free case found")


HIDDEN = [name for name, act in ACTIVATIONS.items() if not act.last_layer_only]
CASES = [("half_sse", hidden, output) for hidden in HIDDEN for output in ACTIVATIONS] + [
    ("cross_entropy", hidden, output) for hidden in HIDDEN for output in ("softmax", "sigmoid")
]


@pytest.mark.parametrize("loss, hidden, output", CASES)
def test_gradients_match_finite_differences(loss: str, hidden: str, output: str) -> None:
    sizes = [3, 4, 3, 2] if hidden == "tanh" else [3, 4, 2]
    activations = [hidden] * (len(sizes) - 2) + [output]
    for case, (with_bias, batch) in enumerate(itertools.product((True, False), (1, 5))):
        network, x, y = random_case(sizes, activations, loss, with_bias, batch, seed=case)
        network.validate()
        trace = network.trace(x, y)
        params = copied_parameters(network)
        assert trace.loss == pytest.approx(reference_loss(params, activations, loss, x, y), rel=1e-12)
        numeric = numeric_gradients(params, activations, loss, x, y)
        blocked = [k for k, name in enumerate(activations, start=1) if name in ("step", "sign")]
        for k in range(1, len(sizes)):
            grad_w, grad_b = numeric[k - 1]
            if any(k <= blocked_k for blocked_k in blocked):
                # A step or sign at layer k or above passes no gradient down to layer k.
                assert np.all(trace.grad_weights[k] == 0.0)
            np.testing.assert_allclose(trace.grad_weights[k], grad_w, rtol=1e-6, atol=1e-9)
            if with_bias:
                np.testing.assert_allclose(trace.grad_biases[k], grad_b, rtol=1e-6, atol=1e-9)
            else:
                assert trace.grad_biases[k] is None


def test_mixed_activations_in_a_deep_network() -> None:
    sizes, activations = [4, 5, 4, 3, 3], ["tanh", "leaky_relu", "softplus", "softmax"]
    network, x, y = random_case(sizes, activations, "cross_entropy", True, 6, seed=11)
    trace = network.trace(x, y)
    params = copied_parameters(network)
    numeric = numeric_gradients(params, activations, "cross_entropy", x, y)
    for k in range(1, 5):
        np.testing.assert_allclose(trace.grad_weights[k], numeric[k - 1][0], rtol=1e-6, atol=1e-9)
        np.testing.assert_allclose(trace.grad_biases[k], numeric[k - 1][1], rtol=1e-6, atol=1e-9)


# --- structure --------------------------------------------------------------------------------------


def test_shape_helpers_and_copies() -> None:
    network = lecture_network(with_b2=False)
    assert network.sizes == [2, 2, 2]
    assert network.num_layers == 2
    assert network.parameter_count() == 4 + 2 + 4
    assert network.layer(2) is network.layers[1]
    with pytest.raises(IndexError):
        network.layer(0)
    copy = network.copy()
    copy.layers[0].weights[0, 0] = 9.0
    assert network.layers[0].weights[0, 0] == 0.15
    single = network.astype(np.float32)
    assert single.dtype == np.float32 and single.layers[1].bias is None


def test_validate_names_the_layer_with_wrong_shape() -> None:
    network = lecture_network()
    network.layers[1] = Layer(np.ones((2, 3)), None, "sigmoid")
    with pytest.raises(ValueError, match=r"layer 2.*3 columns.*expected 2"):
        network.validate()


def test_validate_rejects_a_bias_of_the_wrong_size() -> None:
    network = lecture_network()
    network.layers[0].bias = np.ones(3)
    with pytest.raises(ValueError, match="layer 1: bias"):
        network.validate()


def test_validate_rejects_softmax_before_the_last_layer() -> None:
    network = lecture_network()
    network.layers[0].activation = "softmax"
    with pytest.raises(ValueError, match="layer 1: softmax.*last layer"):
        network.validate()


@pytest.mark.parametrize("output", ["tanh", "relu", "linear"])
def test_validate_rejects_cross_entropy_without_a_probability_output(output: str) -> None:
    network = lecture_network()
    network.loss = "cross_entropy"
    network.layers[1].activation = output
    with pytest.raises(ValueError, match=f"cross_entropy.*softmax or sigmoid.*{output}"):
        network.validate()


def test_validate_rejects_unknown_names_and_empty_networks() -> None:
    network = lecture_network()
    network.layers[0].activation = "swish"
    with pytest.raises(ValueError, match="layer 1.*swish"):
        network.validate()
    network = lecture_network()
    network.loss = "hinge"
    with pytest.raises(ValueError, match="hinge"):
        network.validate()
    with pytest.raises(ValueError, match="at least one layer"):
        Network([]).validate()


def test_trace_rejects_inputs_and_targets_of_the_wrong_size() -> None:
    network = lecture_network()
    with pytest.raises(ValueError, match="x has 3 .* 2 inputs"):
        network.trace(np.ones(3), np.ones(2))
    with pytest.raises(ValueError, match="y .* 2 outputs"):
        network.trace(np.ones(2), np.ones(3))
    # A (2,) target against a batch of 2 columns would broadcast silently; it must be refused.
    with pytest.raises(ValueError, match="y has shape"):
        network.trace(np.ones((2, 2)), np.ones(2))
