"""Write the example networks of this folder: `python resources/examples/make_examples.py`.

Weights and data are drawn from fixed seeds and rounded, so the files are short, readable and the
same on every run. Each file is written through explorer.fileformat, so it is valid by construction.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from explorer.engine.datasets import make_dataset
from explorer.engine.network import Layer, Network
from explorer.engine.training import Trainer
from explorer.files.model import NetworkFile, TrainingConfig
from explorer.files.writer import save

HERE = Path(__file__).resolve().parent


def _uniform(rng: np.random.Generator, low: float, high: float, shape, digits: int = 2) -> np.ndarray:
    return np.round(rng.uniform(low, high, shape), digits)


def lecture() -> NetworkFile:
    """Return the lecture's 2-2-2 sigmoid network and its one sample (bias on the hidden layer only)."""
    network = Network(
        [
            Layer(np.array([[0.15, 0.20], [0.25, 0.30]]), np.array([0.35, 0.35]), "sigmoid"),
            Layer(np.array([[0.40, 0.45], [0.50, 0.55]]), None, "sigmoid"),
        ],
        "half_sse",
        "Lecture 55: two inputs, two hidden, two outputs",
    )
    return NetworkFile(network, np.array([0.05, 0.10]), np.array([0.01, 0.99]), training=TrainingConfig(0.5))


def xor() -> NetworkFile:
    """Return a 2-2-1 sigmoid network that learns XOR with plain gradient descent."""
    rng = np.random.default_rng(1)
    w1, b1 = _uniform(rng, -1, 1, (2, 2)), _uniform(rng, -1, 1, 2)
    w2, b2 = _uniform(rng, -1, 1, (1, 2)), _uniform(rng, -1, 1, 1)
    network = Network([Layer(w1, b1, "sigmoid"), Layer(w2, b2, "sigmoid")], "half_sse", "XOR: 2-2-1 sigmoid")
    x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([[0.0], [1.0], [1.0], [0.0]])
    return NetworkFile(network, dataset_x=x, dataset_y=y, training=TrainingConfig(2.0, epochs=3000))


def chain(activation: str) -> NetworkFile:
    """Return 12 layers of one neuron each: gradients fade (sigmoid, tanh) or keep their size (relu)."""
    rng = np.random.default_rng({"sigmoid": 11, "tanh": 12, "relu": 13}[activation])
    layers = []
    for k in range(12):
        last = k == 11
        name = "linear" if activation == "relu" and last else activation
        # Positive weights and biases keep every ReLU z^(k) > 0, away from the kink.
        low = 0.6 if activation == "relu" else 0.8
        layers.append(Layer(_uniform(rng, low, 1.2, (1, 1)), _uniform(rng, 0.0, 0.2, 1), name))
    if activation == "relu":
        x = np.round(np.linspace(0.0, 1.0, 8), 4)[:, None]
        y = np.round(0.5 + 0.5 * x, 4)
    else:
        x = np.round(np.linspace(-1.0, 1.0, 8), 4)[:, None]
        y = np.round((0.5 + 0.3 * x) if activation == "sigmoid" else 0.5 * x, 4)
    network = Network(layers, "half_sse", f"Deep {activation} chain: 12 layers of one neuron")
    rate = {"sigmoid": 1.0, "tanh": 0.1, "relu": 0.01}[activation]
    return NetworkFile(network, dataset_x=x, dataset_y=y, training=TrainingConfig(rate, epochs=500))


def step() -> NetworkFile:
    """Return a 2-3-1 network with a step hidden layer: no gradient passes back through it."""
    rng = np.random.default_rng(5)
    w1, b1 = _uniform(rng, -1, 1, (3, 2)), _uniform(rng, -0.9, 0.9, 3)
    w2, b2 = _uniform(rng, -1, 1, (1, 3)), _uniform(rng, -0.5, 0.5, 1)
    network = Network(
        [Layer(w1, b1, "step"), Layer(w2, b2, "sigmoid")], "half_sse", "Step hidden layer: backprop stalls"
    )
    x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
    y = np.array([[0.0], [0.0], [0.0], [1.0]])
    z = x @ w1.T + b1
    assert np.abs(z).min() > 1e-3, "a hidden z sits on the step; a finite difference would jump"
    sample_x, sample_y = x[3], y[3]  # the one row whose target is 1
    return NetworkFile(network, sample_x, sample_y, x, y, TrainingConfig(1.0, epochs=500))


def softmax_blobs() -> NetworkFile:
    """Return a 2-4-3 tanh/softmax classifier with cross-entropy and three blobs of ten points."""
    rng = np.random.default_rng(7)
    centres = np.array([[-1.0, -0.6], [1.0, -0.6], [0.0, 1.0]])
    x = np.round(np.concatenate([c + 0.3 * rng.standard_normal((10, 2)) for c in centres]), 3)
    y = np.repeat(np.eye(3), 10, axis=0)
    w1, b1 = _uniform(rng, -1, 1, (4, 2)), np.zeros(4)
    w2, b2 = _uniform(rng, -1, 1, (3, 4)), np.zeros(3)
    layers = [Layer(w1, b1, "tanh"), Layer(w2, b2, "softmax")]
    network = Network(layers, "cross_entropy", "Three blobs: 2-4-3 softmax with cross-entropy")
    return NetworkFile(network, dataset_x=x, dataset_y=y, training=TrainingConfig(0.5, epochs=500))


def sine() -> NetworkFile:
    """Return a 1-8-1 tanh network and thirty points of sin(x) on [−π, π]."""
    rng = np.random.default_rng(3)
    w1, b1 = _uniform(rng, -1.5, 1.5, (8, 1)), _uniform(rng, -1.5, 1.5, 8)
    w2, b2 = _uniform(rng, -1, 1, (1, 8)), np.zeros(1)
    network = Network(
        [Layer(w1, b1, "tanh"), Layer(w2, b2, "linear")], "half_sse", "Sine regression: 1-8-1 tanh"
    )
    x = np.round(np.linspace(-np.pi, np.pi, 30), 4)[:, None]
    y = np.round(np.sin(x), 4)
    return NetworkFile(
        network, dataset_x=x, dataset_y=y, training=TrainingConfig(0.1, momentum=0.9, epochs=2000)
    )


def _parameters(network: Network) -> np.ndarray:
    return np.concatenate([np.concatenate([layer.weights.ravel(), layer.bias]) for layer in network.layers])


def _with_parameters(network: Network, values: np.ndarray) -> Network:
    new, start = network.copy(), 0
    for layer in new.layers:
        for array in (layer.weights, layer.bias):
            array[...] = values[start : start + array.size].reshape(array.shape)
            start += array.size
    return new


def _levenberg_marquardt(network: Network, X: np.ndarray, Y: np.ndarray, iterations: int) -> Network:
    """Return the network after Levenberg–Marquardt steps on the weights (finite-difference Jacobian)."""

    def residuals(values: np.ndarray) -> np.ndarray:
        return (_with_parameters(network, values).predict(X.T) - Y.T).ravel()

    values, damping, eps = _parameters(network), 1e-3, 1e-6
    r = residuals(values)
    for _ in range(iterations):
        jacobian = np.empty((r.size, values.size))
        for j in range(values.size):
            shift = np.zeros_like(values)
            shift[j] = eps
            jacobian[:, j] = (residuals(values + shift) - residuals(values - shift)) / (2 * eps)
        normal, gradient = jacobian.T @ jacobian, jacobian.T @ r
        while damping < 1e12:
            step = np.linalg.solve(normal + damping * np.diag(np.diag(normal) + 1e-12), -gradient)
            trial = residuals(values + step)
            if trial @ trial < r @ r:
                values, r, damping = values + step, trial, max(damping / 3, 1e-12)
                break
            damping *= 4
    return _with_parameters(network, values)


def fin_surrogate() -> NetworkFile:
    """Return a 1-4-4 tanh/sigmoid network trained as a surrogate of the fin: scaled h → θ/θ_b at four x.

    Plain gradient descent (the app's Trainer, 3000 epochs) gets the shape; Levenberg–Marquardt steps
    on the weights then bring the largest error below 10⁻³, which recovering a small h needs.
    """
    data = make_dataset("fin")
    rng = np.random.default_rng(4)
    w1, b1 = _uniform(rng, -1.5, 1.5, (4, 1)), _uniform(rng, -1, 1, 4)
    w2, b2 = _uniform(rng, -1, 1, (4, 4)), np.zeros(4)
    network = Network(
        [Layer(w1, b1, "tanh"), Layer(w2, b2, "sigmoid")],
        "half_sse",
        "Fin surrogate: h → θ/θ_b at four sensors",
    )
    settings = TrainingConfig(2.0, momentum=0.9, epochs=3000)
    trainer = Trainer(network, data.X, data.Y, settings)
    trainer.run(settings.epochs)
    trained = _levenberg_marquardt(trainer.network, data.X, data.Y, 60)
    for layer in trained.layers:  # short, readable numbers; the fit does not notice
        layer.weights[...] = np.round(layer.weights, 6)
        layer.bias[...] = np.round(layer.bias, 6)
    middle = len(data.X) // 2
    return NetworkFile(
        trained,
        data.X[middle],
        data.Y[middle],
        data.X,
        data.Y,
        TrainingConfig(0.1, momentum=0.9, epochs=1000),
    )


EXAMPLES = {
    "lecture-2-2-2": lecture,
    "xor-2-2-1": xor,
    "deep-sigmoid-chain": lambda: chain("sigmoid"),
    "deep-tanh-chain": lambda: chain("tanh"),
    "deep-relu-chain": lambda: chain("relu"),
    "step-activation": step,
    "softmax-blobs-2-4-3": softmax_blobs,
    "sine-1-8-1": sine,
    "fin-surrogate-1-4-4": fin_surrogate,
}

if __name__ == "__main__":
    for stem, make in EXAMPLES.items():
        save(HERE / f"{stem}.mlp.json", make())
        print(f"wrote {stem}.mlp.json")
