"""Solving for the input: e^(0) is ∂J/∂x, a linear network gives least squares, the fin surrogate gives h."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest

from explorer.app import cli
from explorer.engine.activations import ACTIVATIONS
from explorer.engine.datasets import make_dataset
from explorer.engine.heat_transfer import FIN, LUMPED_COOLING, Scaling, model_for_network
from explorer.engine.inverse import (
    INPUT_ERROR,
    INPUT_UPDATE,
    InverseSettings,
    InverseStepper,
    downsample,
    input_gradient,
    iteration_stages,
    solve,
)
from explorer.engine.network import Layer, Network
from explorer.files import examples, reader

FIN_EXAMPLE = str(examples.EXAMPLES_DIR / "fin-surrogate-1-4-4.mlp.json")
SMOOTH = [
    name
    for name, activation in ACTIVATIONS.items()
    if activation.differentiable and name not in ("relu", "leaky_relu", "softmax")
]


def random_network(sizes: list[int], activation: str, seed: int, bias: bool = True) -> Network:
    rng = np.random.default_rng(seed)
    layers = [
        Layer(rng.normal(0, 0.8, (n_out, n_in)), rng.normal(0, 0.3, n_out) if bias else None, activation)
        for n_in, n_out in zip(sizes[:-1], sizes[1:])
    ]
    return Network(layers)


# --- e^(0) is the gradient of J with respect to the input ------------------------------------------
@pytest.mark.parametrize("activation", SMOOTH + ["relu", "leaky_relu"])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_input_error_equals_a_central_difference_of_j(activation, seed):
    network = random_network([3, 5, 4, 2], activation, seed)
    rng = np.random.default_rng(100 + seed)
    x, y = rng.normal(0, 1, 3), rng.uniform(0, 1, 2)
    loss, gradient = input_gradient(network, x, y)
    eps = 1e-6
    numeric = np.empty(3)
    for j in range(3):
        step = np.zeros(3)
        step[j] = eps
        numeric[j] = (network.loss_value(x + step, y) - network.loss_value(x - step, y)) / (2 * eps)
    assert loss == pytest.approx(network.loss_value(x, y))
    np.testing.assert_allclose(gradient, numeric, rtol=1e-6, atol=1e-9)


def test_input_error_with_a_softmax_output_and_cross_entropy():
    network = random_network([2, 4, 3], "tanh", 5)
    network.layers[-1].activation = "softmax"
    network.loss = "cross_entropy"
    x, y = np.array([0.3, -0.7]), np.array([0.0, 1.0, 0.0])
    _, gradient = input_gradient(network, x, y)
    eps = 1e-6
    numeric = [
        (network.loss_value(x + eps * e, y) - network.loss_value(x - eps * e, y)) / (2 * eps)
        for e in np.eye(2)
    ]
    np.testing.assert_allclose(gradient, numeric, rtol=1e-6, atol=1e-10)


# --- a linear network: the iteration converges to the least-squares input ---------------------------
@pytest.mark.parametrize("seed", [0, 1, 2, 3])
def test_linear_network_inversion_is_least_squares(seed):
    network = random_network([3, 6, 5], "linear", seed)
    rng = np.random.default_rng(seed + 50)
    y = rng.normal(0, 1, 5)  # not in the range of the network: a true least-squares problem
    A = network.layer(2).weights @ network.layer(1).weights
    c = network.layer(2).weights @ network.layer(1).bias + network.layer(2).bias
    expected = np.linalg.lstsq(A, y - c, rcond=None)[0]
    rate = 1.0 / np.linalg.norm(A, 2) ** 2
    result = solve(network, y, np.zeros(3), InverseSettings(rate, 200_000, 1e-12))
    assert result.converged and result.reason == "converged"
    np.testing.assert_allclose(result.x, expected, rtol=1e-8, atol=1e-8)
    assert result.loss == pytest.approx(0.5 * np.sum((A @ expected + c - y) ** 2), rel=1e-9)


def test_bounds_clip_every_step_and_a_minimum_on_a_bound_counts_as_converged():
    network = Network([Layer(np.array([[2.0]]), np.array([0.0]), "linear")])
    settings = InverseSettings(0.1, 1000, 1e-9, np.array([-1.0]), np.array([0.5]))
    result = solve(network, [4.0], [0.0], settings)  # unbounded answer x = 2
    assert result.converged and result.x.tolist() == [0.5]
    assert all(-1.0 <= x[0] <= 0.5 for x in result.xs)
    outside = solve(network, [0.0], [9.0], settings)  # the start is clipped in first
    assert outside.xs[0].tolist() == [0.5]


def test_settings_that_do_not_fit_are_refused_with_a_sentence():
    network = random_network([2, 3, 1], "tanh", 0)
    with pytest.raises(ValueError, match="target needs 1 numbers"):
        solve(network, [1.0, 2.0], [0.0, 0.0], InverseSettings())
    with pytest.raises(ValueError, match="learning rate"):
        solve(network, [1.0], [0.0, 0.0], InverseSettings(learning_rate=-1))
    with pytest.raises(ValueError, match="lower bound is above"):
        solve(network, [1.0], [0.0, 0.0], InverseSettings(lower=np.ones(2), upper=np.zeros(2)))


def test_history_is_downsampled_with_first_and_last():
    assert downsample(5, 200) == [0, 1, 2, 3, 4]
    picked = downsample(5001, 200)
    assert len(picked) <= 200 and picked[0] == 0 and picked[-1] == 5000


# --- the stages of one iteration --------------------------------------------------------------------
def test_iteration_stages_end_with_e0_and_the_update_of_x():
    network = random_network([2, 3, 2], "sigmoid", 4)
    x, y = np.array([0.2, -0.4]), np.array([0.3, 0.6])
    settings = InverseSettings(0.5, lower=np.array([-1.0, -1.0]), upper=np.array([1.0, 1.0]))
    stages = iteration_stages(network, x, y, settings)
    kinds = [stage.kind for stage in stages]
    assert kinds[0] == "input" and kinds[-2:] == [INPUT_ERROR, INPUT_UPDATE]
    assert "gradient" not in kinds and "update" not in kinds
    assert kinds.index("delta") < kinds.index(INPUT_ERROR)
    trace = network.trace(x, y)
    e0 = stages[-2].outputs["e^(0)"]
    np.testing.assert_allclose(e0, network.layer(1).weights.T @ trace.deltas[1])
    np.testing.assert_allclose(stages[-1].outputs["x new"], np.clip(x - 0.5 * e0, -1, 1))
    assert stages[-2].formulas == ("e^(0) = W^(1)ᵀ δ^(1) = ∂J/∂x",)
    assert "clip" in stages[-1].formulas[0]


def test_stepper_advances_and_runs():
    network = random_network([1, 4, 3], "tanh", 7)
    y = network.predict(np.array([0.3]))
    stepper = InverseStepper(network, y, [0.0], InverseSettings(1.0))
    before = stepper.loss
    stepper.advance()
    assert stepper.iterations == 1 and stepper.loss < before
    result = stepper.run()
    assert result.converged and stepper.x[0] == pytest.approx(0.3, abs=1e-4)


# --- the heat-transfer data sets and the fin surrogate ----------------------------------------------
def test_scaling_round_trips():
    scaling = Scaling(10.0, 250.0, -1.0, 1.0)
    np.testing.assert_allclose(scaling.to_scaled([10.0, 130.0, 250.0]), [-1.0, 0.0, 1.0])
    np.testing.assert_allclose(scaling.to_physical(scaling.to_scaled([37.0])), [37.0])


@pytest.mark.parametrize("model", [FIN, LUMPED_COOLING])
def test_heat_transfer_data_sets_are_scaled_for_sigmoid_and_tanh(model):
    data = make_dataset(model.key, n_samples=21)
    assert data.X.shape == (21, 1) and data.Y.shape == (21, 4)
    assert data.X.min() == pytest.approx(-1.0) and data.X.max() == pytest.approx(1.0)
    assert 0.1 <= data.Y.min() and data.Y.max() <= 0.9
    noisy = make_dataset(model.key, n_samples=21, noise=0.01, seed=3)
    assert np.array_equal(noisy.Y, make_dataset(model.key, n_samples=21, noise=0.01, seed=3).Y)
    assert not np.array_equal(noisy.Y, data.Y)


def test_fin_formula_and_lumped_formula():
    h = 100.0
    m = math.sqrt(2 * h / (180.0 * 0.002))
    expected = [math.cosh(m * (0.05 - x)) / math.cosh(m * 0.05) for x in (0.0125, 0.025, 0.0375, 0.05)]
    np.testing.assert_allclose(FIN.outputs(h)[0], expected, rtol=1e-12)
    tau = 2700 * 900 * 0.01 / 6 / h
    np.testing.assert_allclose(
        LUMPED_COOLING.outputs(h)[0], [25 + 175 * math.exp(-t / tau) for t in (15, 30, 60, 120)], rtol=1e-12
    )


def test_the_example_is_recognised_as_the_fin_surrogate():
    network = reader.load(FIN_EXAMPLE).network
    assert model_for_network(network.name, network.input_size, network.output_size) is FIN
    assert model_for_network("Finite things", 1, 4) is None


def exact_h_from_tip(theta_tip: float) -> float:
    """Solve θ_tip = 1/cosh(mL) for m by bisection, then h = k t m² / 2 (independent of the app)."""
    low, high = 0.0, 200.0
    for _ in range(200):
        middle = (low + high) / 2
        if 1.0 / math.cosh(middle * 0.05) > theta_tip:
            low = middle
        else:
            high = middle
    m = (low + high) / 2
    return 180.0 * 0.002 * m * m / 2


@pytest.mark.parametrize("h", [12.0, 20.0, 35.0, 60.0, 100.0, 150.0, 200.0, 240.0])
def test_fin_surrogate_recovers_h_within_two_percent(h):
    network = reader.load(FIN_EXAMPLE).network
    m = math.sqrt(2 * h / (180.0 * 0.002))
    theta = [math.cosh(m * (0.05 - x)) / math.cosh(m * 0.05) for x in (0.0125, 0.025, 0.0375, 0.05)]
    exact = exact_h_from_tip(theta[-1])
    assert exact == pytest.approx(h, rel=1e-9)
    target = [0.1 + 0.8 * (t - 0.3) / 0.7 for t in theta]  # the data set's scaling, written out
    settings = InverseSettings(1.0, 5000, 1e-9, np.array([-1.0]), np.array([1.0]))
    result = solve(network, target, [0.0], settings)
    recovered = 10.0 + (result.x[0] + 1.0) * 120.0
    assert result.converged
    assert abs(recovered - exact) <= 0.02 * exact


# --- the invert verb --------------------------------------------------------------------------------
def test_invert_prints_iterations_and_the_recovered_input(capsys):
    theta = FIN.outputs(50.0)[0]
    target = ",".join(repr(float(v)) for v in theta)
    assert cli.main(["invert", FIN_EXAMPLE, "--target", target, "--physical"]) == 0
    out, err = capsys.readouterr()
    assert err == ""
    assert "converged after" in out and "recovered x = " in out
    line = next(line for line in out.splitlines() if line.startswith("recovered h = "))
    assert float(line.split()[3]) == pytest.approx(50.0, rel=0.02)


def test_invert_json_is_strict_and_complete(capsys):
    y = FIN.output_scaling.to_scaled(FIN.outputs(120.0))[0]
    target = ",".join(repr(float(v)) for v in y)
    assert cli.main(["invert", FIN_EXAMPLE, "--target", target, "--start", "0.9", "--lr", "1", "--json"]) == 0
    out = capsys.readouterr().out
    data = json.loads(out, parse_constant=lambda name: pytest.fail(f"{name} in strict JSON"))
    assert set(data) >= {"x", "loss", "iterations", "converged", "history"}
    assert data["converged"] is True and len(data["x"]) == 1
    assert 2 <= len(data["history"]) <= 300
    assert data["history"][0]["x"] == [0.9] and data["history"][-1]["x"] == data["x"]
    assert data["physical"]["h"][0] == pytest.approx(120.0, rel=0.02)


def test_invert_history_is_at_most_a_few_hundred_points(capsys):
    lecture = str(examples.LECTURE_EXAMPLE)
    assert cli.main(["invert", lecture, "--target", "0.01,0.99", "--steps", "3000", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["iterations"] == 3000 and data["converged"] is False
    assert len(data["history"]) <= 300


@pytest.mark.parametrize(
    "target, words",
    [
        ("0.5,0.5", "needs 4 numbers, got 2"),
        ("0.5,abc,0.5,0.5", "“abc”"),
        ("0.5,nan,0.5,0.5", "“nan”"),
        ("", ""),
    ],
)
def test_invert_bad_targets_exit_2_with_one_line(capsys, target, words):
    assert cli.main(["invert", FIN_EXAMPLE, "--target", target]) == 2
    out, err = capsys.readouterr()
    assert out == "" and len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert words in err


def test_invert_bad_start_and_bounds_exit_2(capsys):
    assert cli.main(["invert", FIN_EXAMPLE, "--target", "0.5,0.5,0.5,0.5", "--start", "1,2"]) == 2
    assert (
        cli.main(["invert", FIN_EXAMPLE, "--target", "0.5,0.5,0.5,0.5", "--lower", "2", "--upper", "1"]) == 2
    )
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 2
