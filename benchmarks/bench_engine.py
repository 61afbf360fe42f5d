"""Print the engine's speed: training steps per second, matmul share, Stepper and trace cost.

Run by hand (never in CI):  python benchmarks/bench_engine.py [--threads 1 2] [--quick]
Each figure is the best of several repeats, so that other processes on the machine add little noise.
"""

from __future__ import annotations

import argparse
import os
import timeit
from collections.abc import Callable

import numpy as np
from threadpoolctl import threadpool_limits

from explorer.engine.network import Layer, Network
from explorer.engine.stepper import Stepper

LEARNING_RATE = 0.1


def best_seconds(func: Callable[[], object], repeat: int) -> float:
    """Return the best time of one call of func over `repeat` short loops (about 40 ms each)."""
    # Many short loops and their minimum: other processes on a shared machine rarely hit them all.
    timer = timeit.Timer(func)
    number, _ = timer.autorange()  # about 0.2 s worth of calls
    number = max(1, number // 5)
    return min(timer.repeat(repeat=repeat, number=number)) / number


def make_network(
    sizes: list[int], hidden: str, output: str, loss: str, dtype: type, seed: int = 0
) -> Network:
    """Return a seeded network with biases, `hidden` activations and an `output` last layer."""
    rng = np.random.default_rng(seed)
    layers = []
    for k in range(1, len(sizes)):
        scale = 1.0 / np.sqrt(sizes[k - 1])
        weights = (rng.standard_normal((sizes[k], sizes[k - 1])) * scale).astype(dtype)
        bias = (rng.standard_normal(sizes[k]) * 0.1).astype(dtype)
        layers.append(Layer(weights, bias, output if k == len(sizes) - 1 else hidden))
    network = Network(layers, loss)
    network.validate()
    return network


def lecture_network() -> Network:
    """Return the lecture's 2-2-2 sigmoid network with biases, half SSE loss."""
    return Network(
        [
            Layer(np.array([[0.15, 0.20], [0.25, 0.30]]), np.array([0.35, 0.35]), "sigmoid"),
            Layer(np.array([[0.40, 0.45], [0.50, 0.55]]), np.array([0.60, 0.60]), "sigmoid"),
        ],
        "half_sse",
    )


def train_step(network: Network, x: np.ndarray, y: np.ndarray) -> None:
    """Do one gradient-descent step in place: trace without e^(0), then W −= η ∂J/∂W."""
    trace = network.trace(x, y, input_error=False)
    for k, layer in enumerate(network.layers, start=1):
        layer.weights -= LEARNING_RATE * trace.grad_weights[k]
        if layer.bias is not None:
            layer.bias -= LEARNING_RATE * trace.grad_biases[k]


def train_step_in_place(network: Network, x: np.ndarray, y: np.ndarray) -> None:
    """Do the same step, scaling the trace's own gradient by η instead of making a temporary."""
    trace = network.trace(x, y, input_error=False)
    for k, layer in enumerate(network.layers, start=1):
        grad = trace.grad_weights[k]
        grad *= LEARNING_RATE
        layer.weights -= grad
        if layer.bias is not None:
            layer.bias -= LEARNING_RATE * trace.grad_biases[k]


def inlined_numpy_step(network: Network, x: np.ndarray, y: np.ndarray) -> Callable[[], None]:
    """Return the sigmoid → softmax + cross-entropy step written inline: the floor for NumPy."""
    (w1, b1), (w2, b2) = [(layer.weights, layer.bias) for layer in network.layers]
    inverse_batch = 1.0 / x.shape[1]

    def run() -> None:
        z1 = w1 @ x
        z1 += b1[:, None]
        a1 = 1.0 / (1.0 + np.exp(-z1))
        z2 = w2 @ a1
        z2 += b2[:, None]
        exp = np.exp(z2 - z2.max(axis=0))
        delta2 = (exp / exp.sum(axis=0) - y) * inverse_batch
        delta1 = a1 * (1.0 - a1) * (w2.T @ delta2)
        np.subtract(w2, LEARNING_RATE * (delta2 @ a1.T), out=w2)
        np.subtract(b2, LEARNING_RATE * delta2.sum(axis=1), out=b2)
        np.subtract(w1, LEARNING_RATE * (delta1 @ x.T), out=w1)
        np.subtract(b1, LEARNING_RATE * delta1.sum(axis=1), out=b1)

    return run


def matmuls_only(network: Network, x: np.ndarray) -> Callable[[], None]:
    """Return a function doing just the step's matrix products: W a, δ aᵀ and Wᵀ δ for k > 1."""
    weights = [layer.weights for layer in network.layers]
    activations = [x]
    for w in weights:
        activations.append(w @ activations[-1])
    deltas = [None] + activations[1:]  # same shapes as the real δ^(k)

    def run() -> None:
        a = x
        for w in weights:
            a = w @ a
        for k in range(len(weights), 0, -1):
            _ = deltas[k] @ activations[k - 1].T
            if k > 1:
                _ = weights[k - 1].T @ deltas[k]

    return run


def one_sample(sizes: list[int], batch: int, dtype: type, seed: int = 1) -> tuple[np.ndarray, np.ndarray]:
    """Return a seeded input batch and one-hot (or 0/1) targets."""
    rng = np.random.default_rng(seed)
    shape_x = (sizes[0],) if batch == 1 else (sizes[0], batch)
    x = rng.random(shape_x).astype(dtype)
    n_out = sizes[-1]
    if n_out == 1:
        y = (rng.random((1, batch)) > 0.5).astype(dtype)
    else:
        labels = rng.integers(0, n_out, batch)
        y = np.eye(n_out, dtype=dtype)[:, labels]
    return x, (y[:, 0] if batch == 1 else y)


def run(threads: int, repeat: int) -> None:
    """Print every figure with BLAS limited to `threads` threads."""
    print(f"--- BLAS threads: {threads} ---")
    with threadpool_limits(limits=threads, user_api="blas"):
        lecture = lecture_network()
        x, y = np.array([0.05, 0.10]), np.array([0.01, 0.99])
        t_trace = best_seconds(lambda: lecture.trace(x, y), repeat)
        t_trace_train = best_seconds(lambda: lecture.trace(x, y, input_error=False), repeat)
        t_stepper = best_seconds(lambda: Stepper(lecture, x, y, 0.5), repeat)
        print(f"2-2-2 trace(x, y)                  {t_trace * 1e6:9.1f} µs   (target ~20 µs)")
        print(f"2-2-2 trace(input_error=False)     {t_trace_train * 1e6:9.1f} µs")
        print(
            f"2-2-2 Stepper(...) construction    {t_stepper * 1e6:9.1f} µs   "
            f"({t_stepper / t_trace:.1f}× a trace)"
        )

        cases = [
            ("2-2-2 sigmoid, half_sse, 1 sample, float64", lecture.copy(), x, y, None),
            (
                "2-8-8-1 sigmoid, sigmoid+cross_entropy, batch 256, float64",
                make_network([2, 8, 8, 1], "sigmoid", "sigmoid", "cross_entropy", np.float64),
                *one_sample([2, 8, 8, 1], 256, np.float64),
                None,
            ),
            (
                "784-128-10 sigmoid, softmax+cross_entropy, batch 128, float32",
                make_network([784, 128, 10], "sigmoid", "softmax", "cross_entropy", np.float32),
                *one_sample([784, 128, 10], 128, np.float32),
                "matmuls",
            ),
        ]
        for title, network, xs, ys, with_matmuls in cases:
            t_step = best_seconds(lambda n=network, a=xs, b=ys: train_step(n, a, b), repeat)
            print(f"{title:64s} {1 / t_step:10.0f} steps/s  ({t_step * 1e6:8.1f} µs/step)")
            if with_matmuls:
                assert network.dtype == np.float32
                t_mm = best_seconds(matmuls_only(network, xs), repeat)
                t_trace = best_seconds(lambda n=network, a=xs, b=ys: n.trace(a, b, input_error=False), repeat)
                t_in_place = best_seconds(lambda n=network, a=xs, b=ys: train_step_in_place(n, a, b), repeat)
                t_inlined = best_seconds(inlined_numpy_step(network, xs, ys), repeat)
                for label, seconds in (
                    ("its matrix products alone", t_mm),
                    ("step (W −= η·∂J/∂W, as above)", t_step),
                    ("trace(input_error=False) alone", t_trace),
                    ("step scaling ∂J/∂W by η in place", t_in_place),
                    ("same step hand-inlined in NumPy (the floor)", t_inlined),
                ):
                    print(
                        f"   {label:61s} {seconds * 1e6:8.1f} µs   ×{seconds / t_mm:.2f} the matmuls"
                        + ("   (target for the step ≤ 1.3)" if seconds is t_step else "")
                    )


def main() -> None:
    """Parse the options and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threads", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    print(f"numpy {np.__version__}; load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores")
    for threads in args.threads:
        run(threads, args.repeat)


if __name__ == "__main__":
    main()
