"""`train` says what it trains: training and validation rows, and each set's mean J, checked by hand.

The losses here come from a forward pass written with the math module; the validation rows are
the first of numpy's seeded permutation (the documented rule), the weights after training are read
back from the file the verb writes.
"""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pytest

from explorer.app import cli

DATA = {
    "format": "mlp-explorer/network",
    "version": 1,
    "loss": "half_sse",
    "layers": [
        {"activation": "sigmoid", "weights": [[0.5, -0.4], [0.3, 0.8]], "bias": [0.1, -0.2]},
        {"activation": "sigmoid", "weights": [[1.2, -0.7]], "bias": [0.05]},
    ],
    "dataset": {
        "x": [[0, 0], [0, 1], [1, 0], [1, 1], [0.5, 0.5], [0.2, 0.9], [0.9, 0.1], [0.3, 0.3]],
        "y": [[0], [1], [1], [0], [0.5], [1], [1], [0]],
    },
    "training": {"learning_rate": 0.7, "epochs": 4, "seed": 11, "validation_fraction": 0.25},
}


def sigmoid(z: float) -> float:
    return 1 / (1 + math.exp(-z))


def mean_j(layers: list[dict], rows_x: list[list[float]], rows_y: list[list[float]]) -> float:
    """Return the mean of J = ½ Σ (ŷ − y)² over the rows, by hand."""
    total = []
    for x, y in zip(rows_x, rows_y):
        a = x
        for layer in layers:
            bias = layer["bias"] or [0.0] * len(layer["weights"])
            a = [
                sigmoid(math.fsum(w * v for w, v in zip(row, a)) + b)
                for row, b in zip(layer["weights"], bias)
            ]
        total.append(0.5 * math.fsum((p - t) ** 2 for p, t in zip(a, y)))
    return math.fsum(total) / len(total)


def test_train_reports_row_counts_and_both_losses(capsys, tmp_path) -> None:
    path, out_path = tmp_path / "net.mlp.json", tmp_path / "trained.mlp.json"
    path.write_text(json.dumps(DATA), encoding="utf-8")
    status = cli.main(["train", str(path), "--output", str(out_path)])
    out, err = capsys.readouterr()
    assert status == 0 and err == ""
    # 8 rows, fraction 0.25: 2 held back, the first two of the seeded permutation.
    order = [int(i) for i in np.random.default_rng(11).permutation(8)]
    held, kept = order[:2], order[2:]
    assert "training on 6 training rows, validating on 2 validation rows" in out
    X, Y = DATA["dataset"]["x"], DATA["dataset"]["y"]
    train = ([X[i] for i in kept], [Y[i] for i in kept])
    valid = ([X[i] for i in held], [Y[i] for i in held])

    before = re.search(r"before training: training loss (\S+)  validation loss (\S+)", out)
    assert before is not None, out
    assert float(before[1]) == pytest.approx(mean_j(DATA["layers"], *train), rel=1e-12)
    assert float(before[2]) == pytest.approx(mean_j(DATA["layers"], *valid), rel=1e-12)
    # The mixed mean over all 8 rows is not what the verb calls the training loss.
    assert float(before[1]) != pytest.approx(mean_j(DATA["layers"], X, Y), rel=1e-6)

    trained = json.loads(out_path.read_text(encoding="utf-8"))["layers"]
    after = re.search(r"after 4 epochs: training loss (\S+)  validation loss (\S+)", out)
    assert after is not None, out
    assert float(after[1]) == pytest.approx(mean_j(trained, *train), rel=1e-12)
    assert float(after[2]) == pytest.approx(mean_j(trained, *valid), rel=1e-12)
    epochs = re.findall(r"end of epoch (\d+): training loss (\S+)  validation loss (\S+)", out)
    assert [int(e) for e, _, _ in epochs] == [1, 2, 3, 4]
    assert (float(epochs[-1][1]), float(epochs[-1][2])) == (float(after[1]), float(after[2]))


def test_train_without_validation_says_so_and_prints_one_loss(capsys, tmp_path) -> None:
    data = dict(DATA, training={"learning_rate": 0.7, "epochs": 2, "batch_size": 3, "momentum": 0.5})
    path = tmp_path / "net.mlp.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert cli.main(["train", str(path)]) == 0
    out = capsys.readouterr().out
    assert "training on 8 training rows\n" in out and "validation" not in out
    assert "mini-batches of 3 rows, the rows reshuffled every epoch" in out
    assert "v ← μv − η ∂J/∂W, W ← W + v" in out
    before = re.search(r"before training: training loss (\S+)\n", out)
    assert before is not None
    assert float(before[1]) == pytest.approx(
        mean_j(DATA["layers"], DATA["dataset"]["x"], DATA["dataset"]["y"])
    )
