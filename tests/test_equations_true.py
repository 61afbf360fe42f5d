"""The equation panel, the window's view of a stage, states true equations: cross-entropy and bias rows.

Expected numbers are worked here with the math module from the example file's weights.
"""

from __future__ import annotations

import json
import math

from explorer.document.document import Document
from explorer.files import examples, reader
from explorer.views.panels.equation import EquationPanel


def blobs_by_hand() -> tuple[list[float], list[float]]:
    """Return ŷ and y of the softmax-blobs sample, worked with math from the file."""
    (path,) = [p for p in examples.example_paths() if p.name == "softmax-blobs-2-4-3.mlp.json"]
    data = json.loads(path.read_text(encoding="utf-8"))
    a = data["sample"]["x"]
    for layer in data["layers"]:
        bias = layer.get("bias") or [0.0] * len(layer["weights"])
        z = [math.fsum(w * v for w, v in zip(row, a)) + b for row, b in zip(layer["weights"], bias)]
        if layer["activation"] == "softmax":
            top = max(z)
            exps = [math.exp(v - top) for v in z]
            a = [v / math.fsum(exps) for v in exps]
        else:
            assert layer["activation"] == "tanh"
            a = [math.tanh(v) for v in z]
    return a, data["sample"]["y"]


def panel_text(qtbot, name: str, kind: str, layer: int | None = None) -> str:
    (path,) = [p for p in examples.example_paths() if p.name == name]
    document = Document(reader.load(path), str(path))
    panel = EquationPanel(document)
    qtbot.addWidget(panel)
    panel.resize(1200, 800)
    panel.show()
    index = next(
        i for i, s in enumerate(document.stages) if s.kind == kind and (layer is None or s.layer == layer)
    )
    document.set_stage(index)
    return panel.plain_text()


def test_cross_entropy_error_stage_shows_de_dy_hat_with_its_numbers(qtbot) -> None:
    y_hat, y = blobs_by_hand()
    text = panel_text(qtbot, "softmax-blobs-2-4-3.mlp.json", "error")
    lines = text.splitlines()
    assert "∂J/∂ŷ" in lines and "e(2) = ŷ − y" not in text
    target = y.index(1)
    e_t = f"{-1 / y_hat[target]:.6g}".replace("-", "−")
    assert lines.count(e_t) == 2  # e^(2) and ∂J/∂ŷ, the same numbers on both sides
    j = f"{-math.log(y_hat[target]):.6g}"
    assert j in lines and "log ŷ" in lines
    # ŷ − y would put ŷ_t − 1 there; the panel does not.
    assert f"{y_hat[target] - 1:.6g}".replace("-", "−") not in lines


def test_lecture_gradient_and_update_stages_have_bias_rows(qtbot) -> None:
    gradient = panel_text(qtbot, "lecture-2-2-2.mlp.json", "gradient").splitlines()
    assert "∂J/∂b(1) = δ(1)" in gradient and "∂J/∂b(1)" in gradient
    update = panel_text(qtbot, "lecture-2-2-2.mlp.json", "update").splitlines()
    assert "Δb(1)" in update and "b(1) new" in update and "ΔW(2)" in update
    # b^(1) = 0.35 appears as the old value, and the new value beside it differs.
    assert "0.35" in update
