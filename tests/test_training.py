"""Training: updates checked against finite differences of a mean J written out here, not the engine's."""

import dataclasses
import math

import numpy as np
import pytest

from explorer.engine.datasets import make_dataset
from explorer.engine.init import new_network
from explorer.engine.network import Layer, Network
from explorer.engine.training import History, Trainer, TrainingSettings, split

# --- an independent forward pass and mean J, for sigmoid / tanh / linear layers and ½‖e‖² -----------
G = {
    "sigmoid": lambda z: 1.0 / (1.0 + np.exp(-z)),
    "tanh": np.tanh,
    "linear": lambda z: z,
}


def params_of(network):
    return [
        (layer.weights.copy(), None if layer.bias is None else layer.bias.copy()) for layer in network.layers
    ]


def forward_z(params, acts, X, z_offsets=None):
    """Return the list of z per layer (rows = samples) and the output; z_offsets[k] is added to z^(k+1)."""
    a = X
    zs = []
    for k, ((W, b), act) in enumerate(zip(params, acts)):
        z = a @ W.T + (0.0 if b is None else b)
        if z_offsets is not None:
            z = z + z_offsets[k]
        zs.append(z)
        a = G[act](z)
    return zs, a


def per_sample_J(params, acts, X, Y, z_offsets=None):
    _, out = forward_z(params, acts, X, z_offsets)
    return 0.5 * np.sum((out - Y) ** 2, axis=1)


def mean_J(params, acts, X, Y):
    return float(np.mean(per_sample_J(params, acts, X, Y)))


def fd_gradients(params, acts, X, Y, h=1e-6):
    """Return central differences of mean J for every weight and bias."""
    grads = []
    for W, b in params:
        pair = []
        for array in (W, b):
            if array is None:
                pair.append(None)
                continue
            grad = np.zeros_like(array)
            for index in np.ndindex(array.shape):
                old = array[index]
                array[index] = old + h
                plus = mean_J(params, acts, X, Y)
                array[index] = old - h
                minus = mean_J(params, acts, X, Y)
                array[index] = old
                grad[index] = (plus - minus) / (2 * h)
            pair.append(grad)
        grads.append(tuple(pair))
    return grads


def small_problem():
    rng = np.random.default_rng(42)
    layers = [
        Layer(rng.normal(0, 0.8, (3, 2)), rng.normal(0, 0.3, 3), "tanh"),
        Layer(rng.normal(0, 0.8, (2, 3)), None, "sigmoid"),
    ]
    network = Network(layers, "half_sse")
    X = rng.uniform(-1, 1, (5, 2))
    Y = rng.uniform(0, 1, (5, 2))
    return network, X, Y, ["tanh", "sigmoid"]


def assert_params_close(network, params, tol=1e-8):
    for layer, (W, b) in zip(network.layers, params):
        np.testing.assert_allclose(layer.weights, W, atol=tol, rtol=0)
        if b is None:
            assert layer.bias is None
        else:
            np.testing.assert_allclose(layer.bias, b, atol=tol, rtol=0)


# --- one step, momentum, mini-batches ------------------------------------------------------------------
def test_full_batch_epoch_matches_finite_difference_update():
    network, X, Y, acts = small_problem()
    params = params_of(network)
    lr = 0.7
    trainer = Trainer(network, X, Y, TrainingSettings(learning_rate=lr, epochs=5))
    assert trainer.run_epoch()
    grads = fd_gradients(params, acts, X, Y)
    expected = [(W - lr * gW, None if b is None else b - lr * gb) for (W, b), (gW, gb) in zip(params, grads)]
    assert_params_close(trainer.network, expected)
    # The epoch's loss is J before the step; the original network is left alone.
    assert trainer.history.loss[0] == pytest.approx(mean_J(params, acts, X, Y), abs=1e-12)
    assert_params_close(network, params, tol=0)
    # Gradient size: RMS of each layer's ∂J/∂W.
    for k, (gW, _) in enumerate(grads):
        assert trainer.history.grad_norms[0, k] == pytest.approx(math.sqrt(np.mean(gW**2)), rel=1e-6)


def test_delta_norms_are_rms_of_dJ_dz():
    network, X, Y, acts = small_problem()
    params = params_of(network)
    trainer = Trainer(network, X, Y, TrainingSettings(epochs=1))
    trainer.run_epoch()
    zs, _ = forward_z(params, acts, X)
    h = 1e-6
    for k, z in enumerate(zs):
        delta = np.zeros_like(z)  # δ^(k)[s, i] = ∂J_s/∂z_i^(k), per sample
        for i in range(z.shape[1]):
            offsets = [np.zeros_like(zz) for zz in zs]
            offsets[k][:, i] = h
            plus = per_sample_J(params, acts, X, Y, offsets)
            offsets[k][:, i] = -h
            minus = per_sample_J(params, acts, X, Y, offsets)
            delta[:, i] = (plus - minus) / (2 * h)
        assert trainer.history.delta_norms[0, k] == pytest.approx(math.sqrt(np.mean(delta**2)), rel=1e-6)


def test_momentum_matches_two_hand_rolled_steps():
    network, X, Y, acts = small_problem()
    params = params_of(network)
    lr, mu = 0.4, 0.9
    trainer = Trainer(network, X, Y, TrainingSettings(learning_rate=lr, momentum=mu, epochs=2))
    trainer.run(2)
    # v1 = −η g(W0); W1 = W0 + v1; v2 = μ v1 − η g(W1); W2 = W1 + v2  (biases alike)
    g0 = fd_gradients(params, acts, X, Y)
    v1 = [(-lr * gW, None if gb is None else -lr * gb) for gW, gb in g0]
    w1 = [(W + vW, None if b is None else b + vb) for (W, b), (vW, vb) in zip(params, v1)]
    g1 = fd_gradients([(W.copy(), None if b is None else b.copy()) for W, b in w1], acts, X, Y)
    v2 = [
        (mu * vW - lr * gW, None if gb is None else mu * vb - lr * gb) for (vW, vb), (gW, gb) in zip(v1, g1)
    ]
    w2 = [(W + vW, None if b is None else b + vb) for (W, b), (vW, vb) in zip(w1, v2)]
    assert_params_close(trainer.network, w2)
    assert trainer.history.loss[1] == pytest.approx(mean_J(w1, acts, X, Y), abs=1e-12)


def test_mini_batch_epoch_loss_is_weighted_mean_of_batch_losses():
    network, X, Y, acts = small_problem()
    params = params_of(network)
    lr, seed = 0.5, 3
    trainer = Trainer(network, X, Y, TrainingSettings(learning_rate=lr, batch_size=2, seed=seed))
    trainer.run_epoch()
    # The documented shuffle: one permutation per epoch from a generator seeded with settings.seed.
    order = np.random.default_rng(seed).permutation(len(X))
    batches = [order[0:2], order[2:4], order[4:5]]
    total = 0.0
    current = [(W.copy(), None if b is None else b.copy()) for W, b in params]
    for rows in batches:
        total += mean_J(current, acts, X[rows], Y[rows]) * len(rows)
        grads = fd_gradients(current, acts, X[rows], Y[rows])
        current = [
            (W - lr * gW, None if b is None else b - lr * gb) for (W, b), (gW, gb) in zip(current, grads)
        ]
    assert trainer.history.loss[0] == pytest.approx(total / len(X), abs=1e-12)
    assert_params_close(trainer.network, current)


# --- training actually learns ----------------------------------------------------------------------------
def accuracy(network, data):
    predicted = network.predict(data.X.T)[0] >= 0.5
    return float(np.mean(predicted == (data.Y[:, 0] >= 0.5)))


def test_xor_is_learned():
    data = make_dataset("xor")
    network = new_network([2, 4, 1], "tanh", output_activation="sigmoid", seed=0)
    trainer = Trainer(network, data.X, data.Y, TrainingSettings(learning_rate=1.0, epochs=1000))
    trainer.run()
    loss = trainer.history.loss
    assert loss[-1] < 0.01 and loss[-1] < loss[0] / 10
    assert accuracy(trainer.network, data) == 1.0


def test_spirals_are_learned():
    data = make_dataset("spirals", n_samples=200)
    network = new_network([2, 16, 16, 1], "tanh", output_activation="sigmoid", seed=0)
    settings = TrainingSettings(learning_rate=0.5, momentum=0.9, epochs=3000)
    trainer = Trainer(network, data.X, data.Y, settings)
    trainer.run()
    loss = trainer.history.loss
    assert loss[-1] < 0.01 and loss[-1] < loss[0] / 10
    assert accuracy(trainer.network, data) == 1.0


def test_sine_is_fitted():
    data = make_dataset("sine", n_samples=50)
    network = new_network([1, 16, 1], "tanh", output_activation="linear", seed=0)
    trainer = Trainer(network, data.X, data.Y, TrainingSettings(learning_rate=0.1, epochs=2000))
    trainer.run()
    loss = trainer.history.loss
    assert loss[-1] < 0.01 and loss[-1] < loss[0] / 20
    worst = np.max(np.abs(trainer.network.predict(data.X.T)[0] - np.sin(data.X[:, 0])))
    assert worst < 0.25


def test_float32_network_trains_in_float32():
    data = make_dataset("xor")
    network = new_network([2, 4, 1], "tanh", output_activation="sigmoid", seed=0).astype(np.float32)
    trainer = Trainer(network, data.X, data.Y, TrainingSettings(learning_rate=1.0, epochs=300))
    trainer.run()
    assert all(layer.weights.dtype == np.float32 for layer in trainer.network.layers)
    assert trainer.history.loss[-1] < trainer.history.loss[0] / 5


# --- divergence ----------------------------------------------------------------------------------------
def snapshot(network):
    return [
        (layer.weights.copy(), None if layer.bias is None else layer.bias.copy()) for layer in network.layers
    ]


def test_huge_learning_rate_stops_on_an_infinite_loss_and_keeps_the_last_finite_weights():
    data = make_dataset("sine", n_samples=30)
    network = new_network([1, 8, 1], "tanh", output_activation="linear", seed=1)
    trainer = Trainer(network, data.X, data.Y, TrainingSettings(learning_rate=50.0, epochs=10_000))
    snapshots = [snapshot(trainer.network)]
    ran = trainer.run(callback=lambda t: snapshots.append(snapshot(t.network)))
    assert trainer.stopped and ran < 10_000
    reason = trainer.stopped_reason
    assert f"at epoch {ran + 1} " in reason and "learning rate 50 is probably too large" in reason
    assert "loss became" in reason or "weights of layer" in reason
    assert len(trainer.history.loss) == ran and np.isfinite(trainer.history.loss).all()
    for layer in trainer.network.layers:
        assert np.isfinite(layer.weights).all() and np.isfinite(layer.bias).all()
    assert_params_close(trainer.network, snapshots[-1], tol=0)
    # A stopped trainer does nothing more.
    assert trainer.run_epoch() is False and len(trainer.history.loss) == ran


def test_weights_overflowing_stop_at_the_first_step():
    # The first loss is finite; the first step's η ∂J/∂W passes the largest float.
    data = make_dataset("xor")
    network = new_network([2, 2, 1], "tanh", output_activation="linear", seed=0)
    trainer = Trainer(network, data.X, 100 * data.Y, TrainingSettings(learning_rate=1e308, epochs=10))
    assert trainer.run_epoch() is False
    assert trainer.stopped_reason.startswith("the weights of layer")
    assert (
        "at epoch 1 (learning rate 1e+308 is probably too large; try a smaller one)" in trainer.stopped_reason
    )
    assert_params_close(trainer.network, snapshot(network), tol=0)
    assert len(trainer.history) == 0 and trainer.epoch == 0


def replay_until_failure(network, X, Y, lr, mu, batch, seed):
    """Redo momentum SGD by hand (Network.trace for the gradients); return (weights, epoch, step)."""
    params = snapshot(network)
    velocity = [(np.zeros_like(W), np.zeros_like(b)) for W, b in params]
    rng = np.random.default_rng(seed)
    with np.errstate(over="ignore", invalid="ignore"):
        for epoch in range(1, 1000):
            order = rng.permutation(len(X))
            for step, start in enumerate(range(0, len(X), batch)):
                rows = order[start : start + batch]
                probe = Network(
                    [Layer(W, b, layer.activation) for (W, b), layer in zip(params, network.layers)]
                )
                trace = probe.trace(X[rows].T, Y[rows].T)
                if not np.isfinite(trace.loss):
                    return params, epoch, step
                velocity = [
                    (mu * vW - lr * trace.grad_weights[k + 1], mu * vb - lr * trace.grad_biases[k + 1])
                    for k, (vW, vb) in enumerate(velocity)
                ]
                stepped = [(W + vW, b + vb) for (W, b), (vW, vb) in zip(params, velocity)]
                if not all(np.isfinite(W).all() and np.isfinite(b).all() for W, b in stepped):
                    return params, epoch, step
                params = stepped
    raise AssertionError("the replay never diverged")


def test_divergence_mid_epoch_keeps_the_weights_before_the_failing_batch():
    data = make_dataset("sine", n_samples=40)
    network = new_network([1, 8, 1], "tanh", output_activation="linear", seed=2)
    settings = TrainingSettings(learning_rate=10.0, momentum=0.5, batch_size=7, epochs=1000, seed=0)
    trainer = Trainer(network, data.X, data.Y, settings)
    trainer.run()
    assert trainer.stopped and "momentum 0.5" in trainer.stopped_reason
    expected, epoch, step = replay_until_failure(network, data.X, data.Y, 10.0, 0.5, 7, seed=0)
    assert step > 0, "the example should fail after some steps of its epoch"
    assert f"at epoch {epoch} " in trainer.stopped_reason and trainer.epoch == epoch - 1
    assert_params_close(trainer.network, expected, tol=1e-9)
    for layer in trainer.network.layers:
        assert np.isfinite(layer.weights).all() and np.isfinite(layer.bias).all()


# --- history, limits, seeds ------------------------------------------------------------------------------
def test_history_shapes_and_validation():
    data = make_dataset("blobs", n_samples=40)
    network = new_network([2, 5, 3, 1], "tanh", output_activation="sigmoid", seed=0)
    settings = TrainingSettings(learning_rate=0.3, batch_size=8, epochs=7, validation_fraction=0.25)
    trainer = Trainer(network, data.X, data.Y, settings)
    assert trainer.num_samples == 30 and trainer.num_validation_samples == 10
    (X_train, Y_train), (X_val, _) = trainer.training_data, trainer.validation_data
    assert X_train.shape == (30, 2) and Y_train.shape == (30, 1) and X_val.shape == (10, 2)
    together = np.concatenate([X_train, X_val])
    assert sorted(map(tuple, together)) == sorted(map(tuple, data.X))  # a partition of the rows
    assert trainer.run() == 7 and trainer.stopped_reason == "reached the limit of 7 epochs"
    history = trainer.history
    assert history.loss.shape == (7,) and history.validation_loss.shape == (7,)
    assert history.delta_norms.shape == (7, 3) and history.grad_norms.shape == (7, 3)
    assert np.all(history.delta_norms > 0) and np.all(history.grad_norms > 0)
    no_validation = Trainer(network, data.X, data.Y, TrainingSettings(epochs=3))
    no_validation.run()
    assert no_validation.history.validation_loss.shape == (0,)


def test_explicit_validation_rows_give_the_loss_after_each_epoch():
    network, X, Y, acts = small_problem()
    X_val, Y_val = X[:2] + 0.1, Y[:2]
    trainer = Trainer(network, X, Y, TrainingSettings(epochs=3), X_val, Y_val)
    trainer.run_epoch()
    assert trainer.history.validation_loss[0] == pytest.approx(
        mean_J(params_of(trainer.network), acts, X_val, Y_val), abs=1e-12
    )


def test_history_buffers_grow_and_keep_values():
    history = History(num_layers=2, capacity=2)
    for i in range(1000):
        history.append(float(i), [i, -i], [2 * i, 3 * i], validation_loss=i / 2 if i % 2 == 0 else None)
    assert len(history) == 1000
    np.testing.assert_array_equal(history.loss, np.arange(1000.0))
    np.testing.assert_array_equal(history.delta_norms[:, 1], -np.arange(1000.0))
    np.testing.assert_array_equal(history.grad_norms[:, 1], 3 * np.arange(1000.0))
    np.testing.assert_array_equal(history.validation_loss, np.arange(0, 1000, 2) / 2)


def test_run_counts_callbacks_and_can_be_asked_to_stop():
    network, X, Y, _ = small_problem()
    trainer = Trainer(network, X, Y, TrainingSettings(epochs=50))
    seen = []
    assert trainer.run(5, callback=lambda t: seen.append(t.epoch)) == 5
    assert seen == [1, 2, 3, 4, 5]
    assert trainer.run(should_stop=lambda: trainer.epoch >= 12) == 7
    assert not trainer.stopped
    assert trainer.run() == 38 and trainer.epoch == 50 and trainer.stopped
    assert trainer.run_epoch() is False and trainer.epoch == 50
    trainer.settings = dataclasses.replace(trainer.settings, epochs=60)  # a raised limit and resume()
    trainer.resume()
    assert trainer.run() == 10 and trainer.epoch == 60


def test_same_seed_same_training_bit_for_bit():
    data = make_dataset("circles", n_samples=60, noise=0.1)

    def train(seed):
        network = new_network([2, 6, 1], "tanh", output_activation="sigmoid", seed=4)
        settings = TrainingSettings(learning_rate=0.3, momentum=0.5, batch_size=16, epochs=20, seed=seed)
        trainer = Trainer(network, data.X, data.Y, settings)
        trainer.run()
        return trainer

    a, b, c = train(1), train(1), train(2)
    for la, lb in zip(a.network.layers, b.network.layers):
        np.testing.assert_array_equal(la.weights, lb.weights)
    np.testing.assert_array_equal(a.history.loss, b.history.loss)
    assert not np.array_equal(a.history.loss, c.history.loss)


# --- split and bad input ---------------------------------------------------------------------------------
def test_split_is_a_seeded_partition():
    X = np.arange(20.0).reshape(10, 2)
    Y = np.arange(10.0)[:, None]
    X_train, Y_train, X_val, Y_val = split(X, Y, 0.3, seed=5)
    assert X_train.shape == (7, 2) and X_val.shape == (3, 2) and Y_val.shape == (3, 1)
    np.testing.assert_array_equal(np.sort(np.concatenate([Y_train, Y_val])[:, 0]), np.arange(10.0))
    np.testing.assert_array_equal(X_val[:, 0], 2 * Y_val[:, 0])  # rows stay paired
    again = split(X, Y, 0.3, seed=5)
    np.testing.assert_array_equal(again[2], X_val)
    assert split(X, Y, 0.0, seed=5)[2].shape == (0, 2)
    assert split(X, Y, 0.01, seed=5)[2].shape == (1, 2)


@pytest.mark.parametrize(
    "settings, words",
    [
        (TrainingSettings(learning_rate=0.0), "learning rate"),
        (TrainingSettings(learning_rate=math.nan), "learning rate"),
        (TrainingSettings(momentum=1.0), "momentum"),
        (TrainingSettings(batch_size=0), "batch size"),
        (TrainingSettings(epochs=-1), "epochs"),
        (TrainingSettings(validation_fraction=1.0), "validation fraction"),
    ],
)
def test_bad_settings_are_refused(settings, words):
    network, X, Y, _ = small_problem()
    with pytest.raises(ValueError, match=words):
        Trainer(network, X, Y, settings)


def test_data_that_does_not_fit_the_network_is_refused():
    network, X, Y, _ = small_problem()
    with pytest.raises(ValueError, match="the network takes 2 inputs, the data gives 3 input columns"):
        Trainer(network, np.ones((5, 3)), Y)
    with pytest.raises(ValueError, match="X has 5 rows but Y has 4"):
        Trainer(network, X, Y[:4])
    with pytest.raises(ValueError, match="not finite"):
        Trainer(network, np.full((5, 2), np.inf), Y)
