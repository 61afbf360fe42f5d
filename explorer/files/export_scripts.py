"""Export a network as a runnable Python script: NumPy in the lecture's notation, or PyTorch with autograd.

Both scripts hold the weights inline (repr of each float, so exact), run the file's sample and print
one JSON line {"y_hat": ..., "loss": J, "dJ_dW": [∂J/∂W^(1), ..., ∂J/∂W^(L)]} that equals
`mlp-explorer trace FILE --json`. No Qt here.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from explorer.files.exchange_common import network_arrays
from explorer.files.model import NetworkFile

# g(z) and δ = g'(z) ⊙ e for the NumPy script, written as the engine computes them (same rounding).
_NUMPY_G = {
    "sigmoid": (
        "1.0 / (1.0 + np.exp(-z))",
        "a / (1.0 + np.exp(z)) * e",
        "σ'(z) = σ(z) σ(−z) = a / (1 + e^z), exact even where a rounds to 1",
    ),
    "tanh": (
        "np.tanh(z)",
        "4.0 * np.exp(-2.0 * np.abs(z)) / ((1.0 + np.exp(-2.0 * np.abs(z))) ** 2) * e",
        "tanh'(z) = 1 − a² = 4 e^(−2|z|) / (1 + e^(−2|z|))², exact even where a rounds to ±1",
    ),
    "relu": ("np.maximum(z, 0.0)", "(z > 0).astype(z.dtype) * e", "g'(z) = 1 if z > 0 else 0"),
    "leaky_relu": (
        "np.where(z > 0, z, 0.01 * z)",
        "np.where(z > 0, z.dtype.type(1.0), z.dtype.type(0.01)) * e",
        "g'(z) = 1 if z > 0 else 0.01",
    ),
    "linear": ("z", "np.ones_like(z) * e", "g'(z) = 1"),
    "softplus": ("np.logaddexp(0.0, z)", "(1.0 / (1.0 + np.exp(-z))) * e", "softplus'(z) = σ(z)"),
    "step": ("(z > 0).astype(z.dtype)", "np.zeros_like(z) * e", "H'(z) = 0: nothing flows back"),
    "sign": ("np.sign(z)", "np.zeros_like(z) * e", "sgn'(z) = 0: nothing flows back"),
    "softmax": (
        "np.exp(z - z.max())  # shifted by the largest z: never overflows\n    return exp / exp.sum()",
        "a * (e - np.sum(a * e))",
        "Jacobian diag(a) − a aᵀ applied to e",
    ),
}

_TORCH_MODULE = {
    "sigmoid": "nn.Sigmoid()",
    "tanh": "nn.Tanh()",
    "relu": "nn.ReLU()",
    "leaky_relu": "nn.LeakyReLU(0.01)",
    "linear": "nn.Identity()",
    "softplus": "nn.Softplus(threshold=40.0)",  # beyond 40, log(1 + e^z) = z in float64 anyway
    "step": "Step()",
    "sign": "Sign()",
    "softmax": "nn.Softmax(dim=-1)",
}


def _literal(values: Any) -> str:
    """Return a nested list of floats as Python source, each float as its exact repr."""
    if isinstance(values, list):
        return "[" + ", ".join(_literal(v) for v in values) + "]"
    return repr(float(values))


def _matrix_literal(values: np.ndarray, indent: str) -> str:
    rows = [_literal(row) for row in values.tolist()]
    if len(rows) == 1:
        return "[" + rows[0] + "]"
    inner = (",\n" + indent + " ").join(rows)
    return "[\n" + indent + " " + inner + ",\n" + indent + "]"


def _header(network_file: NetworkFile, dtype: str, framework: str, needs: str) -> list[str]:
    network = network_file.network
    sizes = "-".join(map(str, network.sizes))
    title = network.name or "network"
    return [
        f'"""{title}: one forward and backward pass of the {sizes} MLP, {framework} version.',
        "",
        f"Exported by MLP Explorer ({dtype}). Needs {needs}. Run it: python THIS_FILE.py",
        "It prints one JSON line: ŷ, the loss J and every ∂J/∂W^(k), for the sample below.",
        "W^(k) has shape (outputs, inputs): row i = to neuron i, column j = from neuron j.",
        '"""',
        "",
    ]


def numpy_script(network_file: NetworkFile, dtype: str = "float64") -> str:
    """Return a self-contained NumPy script of the forward and backward pass in the lecture's notation."""
    network = network_file.network
    L = network.num_layers
    lines = _header(network_file, dtype, "NumPy", "only NumPy")
    lines += ["import json", "", "import numpy as np", "", f"DTYPE = np.{dtype}", ""]
    used = sorted({layer.activation for layer in network.layers}, key=list(_NUMPY_G).index)
    lines.append("# --- activations g(z) and δ = g'(z) ⊙ e (e: the error arriving at the layer) ---")
    for name in used:
        g, delta, prime = _NUMPY_G[name]
        body = f"    exp = {g}" if name == "softmax" else f"    return {g}"
        lines += [
            f"def {name}(z):",
            body,
            "",
            "",
            f"def {name}_delta(z, a, e):",
            f'    """Return δ = g\'(z) ⊙ e with {prime}."""',
            f"    return {delta}",
            "",
            "",
        ]
    lines.append("# --- the network: W^(k), b^(k) and g of layer k (index 0 is the input layer) ---")
    for k, (weights, bias) in enumerate(network_arrays(network, dtype), start=1):
        layer = network.layers[k - 1]
        lines.append(
            f"# layer {k}: {layer.input_size} inputs -> {layer.size} neurons, g = {layer.activation}"
        )
        lines.append(f"W{k} = np.array({_matrix_literal(weights, '')}, dtype=DTYPE)")
        lines.append(
            f"b{k} = " + ("None" if bias is None else f"np.array({_literal(bias.tolist())}, dtype=DTYPE)")
        )
    names = ", ".join(f"W{k}" for k in range(1, L + 1))
    lines += [
        f"W = [None, {names}]",
        f"b = [None, {', '.join(f'b{k}' for k in range(1, L + 1))}]",
        f"g = [None, {', '.join(layer.activation for layer in network.layers)}]",
        f"g_delta = [None, {', '.join(layer.activation + '_delta' for layer in network.layers)}]",
        f"L = {L}",
        "",
        "# --- the sample ---",
        f"x = np.array({_literal(np.asarray(network_file.sample_x, dtype=dtype).tolist())}, dtype=DTYPE)",
        f"y = np.array({_literal(np.asarray(network_file.sample_y, dtype=dtype).tolist())}, dtype=DTYPE)",
        "",
        "# --- forward: z^(k) = W^(k) a^(k−1) + b^(k), a^(k) = g(z^(k)) ---",
        "a = [x]",
        "z = [None]",
        "for k in range(1, L + 1):",
        "    z_k = W[k] @ a[k - 1]",
        "    if b[k] is not None:",
        "        z_k = z_k + b[k]",
        "    z.append(z_k)",
        "    a.append(g[k](z_k))",
        "y_hat = a[L]",
        "",
    ]
    output = network.layers[-1].activation
    if network.loss == "cross_entropy" and output == "softmax":
        lines += [
            "# --- loss: categorical cross-entropy J = −Σ y log ŷ, computed from z^(L) (never log 0) ---",
            "# log Σ e^(z − max z) = log1p(sum of the others): a confident answer's tiny J keeps its digits",
            "shifted = z[L] - z[L].max()",
            "largest = shifted == 0.0",
            "others = np.where(largest, 0.0, np.exp(shifted)).sum() + (np.count_nonzero(largest) - 1)",
            "J = np.log1p(others) * y.sum() - (y * shifted).sum()",
            "",
            "# --- backward: softmax with cross-entropy gives δ^(L) = ŷ Σy − y (= ŷ − y for one-hot y) ---",
            "delta = [None] * (L + 1)",
            "e = [None] * (L + 1)",
            "delta[L] = y_hat * y.sum() - y",
            "# δ sums to 0: where ŷ > ½ it is minus the sum of the others, keeping every digit of ŷ − 1",
            "confident = y_hat > 0.5",
            "delta[L][confident] = 0.0",
            "delta[L][confident] = -delta[L].sum()",
        ]
    elif network.loss == "cross_entropy":
        lines += [
            "# --- loss: binary cross-entropy J = Σ −[y log ŷ + (1 − y) log(1 − ŷ)], from z^(L) ---",
            "J = (y * np.logaddexp(0.0, -z[L]) + (1.0 - y) * np.logaddexp(0.0, z[L])).sum()",
            "",
            "# --- backward: sigmoid and cross-entropy together give δ^(L) = ŷ − y ---",
            "# written with σ(−|z|) so that a confident ŷ (rounded to 1) keeps its digits",
            "delta = [None] * (L + 1)",
            "e = [None] * (L + 1)",
            "tail = np.exp(-np.abs(z[L]))",
            "tail = tail / (tail + 1.0)",
            "delta[L] = np.where(z[L] >= 0, (1.0 - y) - tail, tail - y)",
        ]
    else:
        lines += [
            "# --- loss: e^(L) = ŷ − y, J = ½ eᵀe ---",
            "e = [None] * (L + 1)",
            "e[L] = y_hat - y",
            "J = 0.5 * (e[L] * e[L]).sum()",
            "",
            "# --- backward: δ^(L) = g'(z^(L)) ⊙ e^(L) ---",
            "delta = [None] * (L + 1)",
            "delta[L] = g_delta[L](z[L], a[L], e[L])",
        ]
    lines += [
        "dJ_dW = [None] * (L + 1)",
        "dJ_db = [None] * (L + 1)",
        "for k in range(L, 0, -1):",
        "    if k < L:",
        "        delta[k] = g_delta[k](z[k], a[k], e[k])  # δ^(k) = g'(z^(k)) ⊙ e^(k)",
        "    dJ_dW[k] = np.outer(delta[k], a[k - 1])  # ∂J/∂W^(k) = δ^(k) a^(k−1)ᵀ",
        "    dJ_db[k] = delta[k]  # ∂J/∂b^(k) = δ^(k)",
        "    e[k - 1] = W[k].T @ delta[k]  # e^(k−1) = W^(k)ᵀ δ^(k)",
        "",
        'print(json.dumps({"y_hat": y_hat.tolist(), "loss": float(J), '
        '"dJ_dW": [dJ_dW[k].tolist() for k in range(1, L + 1)]}))',
    ]
    return "\n".join(lines) + "\n"


def torch_script(network_file: NetworkFile, dtype: str = "float64") -> str:
    """Return a PyTorch script: nn.Sequential of nn.Linear and activations, the file's loss, autograd."""
    network = network_file.network
    lines = _header(network_file, dtype, "PyTorch", "PyTorch")
    lines += ["import json", "", "import torch", "from torch import nn", "", f"DTYPE = torch.{dtype}", ""]
    used = {layer.activation for layer in network.layers}
    if "step" in used:
        lines += [
            "class Step(nn.Module):",
            '    """Apply the Heaviside step H(z): 1 where z > 0, else 0; no gradient passes through it."""',
            "",
            "    def forward(self, z):",
            "        return (z > 0).to(z.dtype)",
            "",
            "",
        ]
    if "sign" in used:
        lines += [
            "class Sign(nn.Module):",
            '    """Apply sgn(z): −1, 0 or +1; its gradient is 0."""',
            "",
            "    def forward(self, z):",
            "        return torch.sign(z)",
            "",
            "",
        ]
    lines += [
        "# Layer k is model[2k − 2] (an nn.Linear: weight = W^(k), bias = b^(k)) and its g is model[2k − 1].",
        "model = nn.Sequential(",
    ]
    for k, layer in enumerate(network.layers, start=1):
        no_bias = "" if layer.bias is not None else ", bias=False"
        lines.append(f"    nn.Linear({layer.input_size}, {layer.size}{no_bias}),  # layer {k}")
        lines.append(f"    {_TORCH_MODULE[layer.activation]},")
    lines += [").to(DTYPE)", "", "with torch.no_grad():"]
    for k, (weights, bias) in enumerate(network_arrays(network, dtype), start=1):
        index = 2 * (k - 1)
        lines.append(
            f"    model[{index}].weight.copy_(torch.tensor({_matrix_literal(weights, '    ')}, dtype=DTYPE))"
        )
        if bias is not None:
            lines.append(
                f"    model[{index}].bias.copy_(torch.tensor({_literal(bias.tolist())}, dtype=DTYPE))"
            )
    output = network.layers[-1].activation
    lines += [
        "",
        "",
        "def loss_fn(z_L, y_hat, y):",
    ]
    if network.loss == "cross_entropy" and output == "softmax":
        lines += [
            '    """Return the categorical cross-entropy J = −Σ y log ŷ, from the logits z^(L)."""',
            "    return -(y * torch.log_softmax(z_L, dim=-1)).sum()",
        ]
    elif network.loss == "cross_entropy":
        lines += [
            '    """Return the binary cross-entropy per output, summed, from the logits z^(L)."""',
            '    return nn.functional.binary_cross_entropy_with_logits(z_L, y, reduction="sum")',
        ]
    else:
        lines += [
            '    """Return J = ½ eᵀe with e = ŷ − y (summed over outputs, as in the lecture)."""',
            "    e = y_hat - y",
            "    return 0.5 * (e * e).sum()",
        ]
    lines += [
        "",
        "",
        "def forward(x):",
        '    """Return (z^(L), ŷ): the last layer\'s input to g, and the output."""',
        "    z_L = model[:-1](x)",
        "    return z_L, model[-1](z_L)",
        "",
        "",
        f"x = torch.tensor({_literal(np.asarray(network_file.sample_x, dtype=dtype).tolist())}, dtype=DTYPE)",
        f"y = torch.tensor({_literal(np.asarray(network_file.sample_y, dtype=dtype).tolist())}, dtype=DTYPE)",
        "",
        "z_L, y_hat = forward(x)",
        "J = loss_fn(z_L, y_hat, y)",
        "if J.requires_grad:  # False only when a step or sign output layer cuts every path back",
        "    J.backward()  # autograd: every ∂J/∂W^(k) lands in model[2k − 2].weight.grad",
        "linears = [m for m in model if isinstance(m, nn.Linear)]",
        "# A step or sign layer passes no gradient: PyTorch then leaves .grad as None, which is 0 here.",
        "dJ_dW = [torch.zeros_like(m.weight) if m.weight.grad is None else m.weight.grad for m in linears]",
        'print(json.dumps({"y_hat": y_hat.tolist(), "loss": J.item(), '
        '"dJ_dW": [g.tolist() for g in dJ_dW]}))',
        "",
        "# --- to continue training from these weights, uncomment (and put your data in X, Y) ---",
        f"# optimizer = torch.optim.SGD(model.parameters(), lr={network_file.training.learning_rate!r}, "
        f"momentum={network_file.training.momentum!r})",
        "# X, Y = x[None, :], y[None, :]  # one sample per row",
        f"# for epoch in range({network_file.training.epochs}):",
        "#     optimizer.zero_grad()",
        "#     z_L, y_hat = forward(X)",
        "#     J = loss_fn(z_L, y_hat, Y) / len(X)  # the mean J over the samples",
        "#     J.backward()",
        "#     optimizer.step()",
        '# print("loss after training:", loss_fn(*forward(X), Y).item() / len(X))',
    ]
    return "\n".join(lines) + "\n"
