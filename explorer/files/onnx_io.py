"""ONNX in and out: write a network as a plain graph of standard operators, read an MLP chain back.

Export: layer k is Gemm(a^(k−1), W^(k), b^(k), transB=1), so W keeps the lecture's (outputs, inputs)
shape, followed by its activation: Sigmoid, Tanh, Relu, Sign and Softmax are single operators; the
step is Greater + Cast, leaky ReLU Where(z > 0, z, 0.01 z) and softplus max(z, 0) + log1p(e^−|z|).
Import: a chain of Gemm or MatMul + Add and those activations, as torch.onnx.export writes for an
nn.Sequential of Linear layers. Needs the optional `onnx` package; no Qt here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import numpy.typing as npt

from explorer.engine.activations import LEAKY_SLOPE
from explorer.engine.network import Network
from explorer.files.exchange_common import (
    FloatArray,
    ImportedLayers,
    as_float64,
    check_file_size,
    network_arrays,
    require_extra,
)
from explorer.files.model import MAX_PARAMETERS, FileFormatError

OPSET = 17
IR_VERSION = 8  # what opset 17 needs; older runtimes and Netron read it
_SINGLE_OPS = {"sigmoid": "Sigmoid", "tanh": "Tanh", "relu": "Relu", "sign": "Sign"}
_ACTIVATION_OF_OP = {op: name for name, op in _SINGLE_OPS.items()}

Node = Any  # onnx.NodeProto: the onnx package is optional and imported only when used


def _onnx(what: str, source: str) -> Any:
    return require_extra("onnx", "onnx", what, source)


# --- export -------------------------------------------------------------------------------
def _activation_nodes(
    onnx: Any, activation: str, z: str, a: str, k: int, elem_type: int, dtype: str
) -> tuple[list[Node], list[Any]]:
    """Return the nodes computing a = g(z) for layer k, and the constants they need."""
    helper, numpy_helper = onnx.helper, onnx.numpy_helper
    kind = np.dtype(dtype)
    if activation in _SINGLE_OPS:
        op = _SINGLE_OPS[activation]
        return [helper.make_node(op, [z], [a], name=f"g{k}_{activation}")], []
    if activation == "leaky_relu":
        # Not the LeakyRelu operator: its alpha attribute is a float32, which is not 0.01 in float64.
        zero = numpy_helper.from_array(np.array(0.0, dtype=kind), f"zero{k}")
        slope = numpy_helper.from_array(np.array(LEAKY_SLOPE, dtype=kind), f"slope{k}")
        nodes = [
            helper.make_node("Greater", [z, zero.name], [f"{z}_positive"], name=f"g{k}_leaky_compare"),
            helper.make_node("Mul", [z, slope.name], [f"{z}_scaled"], name=f"g{k}_leaky_scale"),
            helper.make_node("Where", [f"{z}_positive", z, f"{z}_scaled"], [a], name=f"g{k}_leaky_relu"),
        ]
        return nodes, [zero, slope]
    if activation == "softmax":
        return [helper.make_node("Softmax", [z], [a], name=f"g{k}_softmax", axis=-1)], []
    if activation == "step":
        zero = numpy_helper.from_array(np.array(0.0, dtype=kind), f"zero{k}")
        nodes = [
            helper.make_node("Greater", [z, zero.name], [f"{z}_positive"], name=f"g{k}_step_compare"),
            helper.make_node("Cast", [f"{z}_positive"], [a], name=f"g{k}_step_cast", to=elem_type),
        ]
        return nodes, [zero]
    if activation == "softplus":
        # softplus(z) = max(z, 0) + log1p(e^−|z|); ONNX has no log1p, so log1p(t) is computed as
        # t·log(u)/(u − 1) with u = 1 + t (exact to rounding; t itself where u rounds to 1).
        one = numpy_helper.from_array(np.array(1.0, dtype=kind), f"one{k}")
        zero = numpy_helper.from_array(np.array(0.0, dtype=kind), f"zero{k}")
        p = f"{z}_softplus"
        steps = [
            ("Relu", [z], "positive_part"),
            ("Abs", [z], "abs"),
            ("Neg", [f"{p}_abs"], "minus_abs"),
            ("Exp", [f"{p}_minus_abs"], "t"),
            ("Add", [one.name, f"{p}_t"], "u"),
            ("Sub", [f"{p}_u", one.name], "u_minus_1"),
            ("Log", [f"{p}_u"], "log_u"),
            ("Mul", [f"{p}_t", f"{p}_log_u"], "t_log_u"),
            ("Div", [f"{p}_t_log_u", f"{p}_u_minus_1"], "ratio"),
            ("Equal", [f"{p}_u_minus_1", zero.name], "u_is_1"),
            ("Where", [f"{p}_u_is_1", f"{p}_t", f"{p}_ratio"], "log1p"),
        ]
        nodes = [
            helper.make_node(op, inputs, [f"{p}_{out}"], name=f"g{k}_softplus_{out}")
            for op, inputs, out in steps
        ]
        nodes.append(
            helper.make_node("Add", [f"{p}_positive_part", f"{p}_log1p"], [a], name=f"g{k}_softplus")
        )
        return nodes, [one, zero]
    raise ValueError(f"no ONNX form for activation {activation!r}")


def onnx_model(network: Network, dtype: str = "float64") -> Any:
    """Return the network as an onnx.ModelProto: input x (N, n_0), output y_hat (N, n_L)."""
    onnx = _onnx("writing ONNX", "<onnx>")
    helper, numpy_helper = onnx.helper, onnx.numpy_helper
    elem_type = onnx.helper.np_dtype_to_tensor_dtype(np.dtype(dtype))
    nodes: list[Node] = []
    initializers: list[Any] = []
    a = "x"
    L = network.num_layers
    for k, (weights, bias) in enumerate(network_arrays(network, dtype), start=1):
        activation = network.layers[k - 1].activation
        out = "y_hat" if k == L else f"a{k}"
        z = out if activation == "linear" else f"z{k}"
        initializers.append(numpy_helper.from_array(weights, f"W{k}"))
        inputs = [a, f"W{k}"]
        if bias is not None:
            initializers.append(numpy_helper.from_array(bias, f"b{k}"))
            inputs.append(f"b{k}")
        gemm = helper.make_node("Gemm", inputs, [z], name=f"layer{k}", transB=1)
        gemm.doc_string = f"z^({k}) = W^({k}) a^({k - 1})" + (f" + b^({k})" if bias is not None else "")
        nodes.append(gemm)
        if activation != "linear":
            more, constants = _activation_nodes(onnx, activation, z, out, k, elem_type, dtype)
            nodes += more
            initializers += constants
        a = out
    graph = helper.make_graph(
        nodes,
        network.name or "mlp",
        [helper.make_tensor_value_info("x", elem_type, ["N", network.input_size])],
        [helper.make_tensor_value_info("y_hat", elem_type, ["N", network.output_size])],
        initializers,
        doc_string=f"MLP {'-'.join(map(str, network.sizes))}, loss {network.loss}; rows are samples",
    )
    model = helper.make_model(
        graph,
        opset_imports=[helper.make_opsetid("", OPSET)],
        ir_version=IR_VERSION,
        producer_name="mlp-explorer",
        doc_string="Exported by MLP Explorer: Gemm with transB=1 keeps W^(k) as (outputs, inputs).",
    )
    onnx.checker.check_model(model, full_check=True)
    return model


def onnx_bytes(network: Network, dtype: str = "float64", source: str = "<onnx>") -> bytes:
    """Return the serialized ONNX model of the network."""
    _onnx("writing ONNX", source)
    data: bytes = onnx_model(network, dtype).SerializeToString()
    return data


# --- import -------------------------------------------------------------------------------
class _Chain:
    """Walks the nodes of an ONNX graph as one chain from the input; each refusal names the node."""

    def __init__(self, onnx: Any, model: Any, source: str) -> None:
        self.onnx = onnx
        self.source = source
        graph = model.graph
        self.constants: dict[str, npt.NDArray[Any]] = {}
        total = 0
        for tensor in graph.initializer:
            if tensor.data_location == onnx.TensorProto.EXTERNAL:
                raise self.fail(f"initializer {tensor.name!r} is stored in an external file; not read")
            total += int(np.prod(tensor.dims, dtype=np.int64))
            if total > 2 * MAX_PARAMETERS:
                raise self.fail(f"too big: over {MAX_PARAMETERS:,} parameters")
            self.constants[tensor.name] = onnx.numpy_helper.to_array(tensor)
        self.nodes = []
        for node in graph.node:
            if node.op_type == "Constant" and node.domain in ("", "ai.onnx"):
                value = [attr for attr in node.attribute if attr.name == "value"]
                if not value:
                    raise self.fail(f"Constant node {node.name!r} has no tensor value")
                self.constants[node.output[0]] = onnx.numpy_helper.to_array(value[0].t)
            else:
                self.nodes.append(node)
        inputs = [value.name for value in graph.input if value.name not in self.constants]
        if len(inputs) != 1 or len(graph.output) != 1:
            raise self.fail(
                f"the graph has {len(inputs)} inputs and {len(graph.output)} outputs; an MLP has one of each"
            )
        self.input, self.output = inputs[0], graph.output[0].name

    def fail(self, problem: str) -> FileFormatError:
        return FileFormatError(problem, self.source)

    def where(self, index: int) -> str:
        node = self.nodes[index]
        return f"{node.op_type} node {node.name or '(unnamed)'!r} (node {index + 1})"

    def constant(self, index: int, name: str) -> npt.NDArray[Any]:
        if name not in self.constants:
            raise self.fail(f"{self.where(index)}: input {name!r} is not a stored tensor")
        return self.constants[name]

    def attributes(self, node: Node) -> dict[str, Any]:
        return {attr.name: self.onnx.helper.get_attribute_value(attr) for attr in node.attribute}

    def layers(self) -> ImportedLayers:
        weights: list[FloatArray] = []
        biases: list[FloatArray | None] = []
        activations: list[str | None] = []
        current = self.input
        i = 0
        while i < len(self.nodes):
            node = self.nodes[i]
            if node.domain not in ("", "ai.onnx"):
                raise self.fail(f"{self.where(i)}: operator domain {node.domain!r} is not standard ONNX")
            dynamic = [name for name in node.input if name and name not in self.constants]
            if dynamic != [current]:
                raise self.fail(
                    f"{self.where(i)} reads {', '.join(map(repr, dynamic)) or 'no tensor'}, not the previous "
                    f"output {current!r}: a branch, not a chain of layers"
                )
            if len(node.output) != 1:
                raise self.fail(f"{self.where(i)} has {len(node.output)} outputs; a layer has one")
            used = 1
            if node.op_type == "Gemm":
                weight, bias = self.gemm(i, current)
            elif node.op_type == "MatMul":
                weight, bias, used = self.matmul(i, current)
            elif node.op_type == "Identity":
                current = node.output[0]
                i += 1
                continue
            else:
                activation, used = self.activation(i)
                if not weights or activations[-1] is not None:
                    before = (
                        "no Linear layer" if not weights else f"the {activations[-1]} of layer {len(weights)}"
                    )
                    raise self.fail(f"{self.where(i)}: activation {activation} follows {before}")
                activations[-1] = activation
                current = self.nodes[i + used - 1].output[0]
                i += used
                continue
            k = len(weights) + 1
            if weights and weight.shape[1] != weights[-1].shape[0]:
                raise self.fail(
                    f"{self.where(i)}: W^({k}) takes {weight.shape[1]} inputs, "
                    f"but layer {k - 1} has {weights[-1].shape[0]} outputs"
                )
            weights.append(weight)
            biases.append(bias)
            activations.append(None)
            current = self.nodes[i + used - 1].output[0]
            i += used
        if not weights:
            raise self.fail("the graph has no Gemm or MatMul layer")
        if current != self.output:
            raise self.fail(f"the chain ends at {current!r}, not at the graph output {self.output!r}")
        return ImportedLayers(weights, biases, tuple(a or "linear" for a in activations))

    def float_constant(self, index: int, name: str, what: str) -> FloatArray:
        return as_float64(self.constant(index, name), f"{self.where(index)} {what} {name!r}", self.source)

    def gemm(self, i: int, current: str) -> tuple[FloatArray, FloatArray | None]:
        node = self.nodes[i]
        attributes = self.attributes(node)
        for name, expected in (("alpha", 1.0), ("beta", 1.0), ("transA", 0)):
            if attributes.get(name, expected) != expected:
                raise self.fail(
                    f"{self.where(i)}: {name} = {attributes[name]} (only {expected} is supported)"
                )
        if node.input[0] != current:
            raise self.fail(f"{self.where(i)}: the layer input must be Gemm's first operand")
        matrix = self.float_constant(i, node.input[1], "weight")
        if matrix.ndim != 2:
            raise self.fail(f"{self.where(i)}: weight has shape {tuple(matrix.shape)}, not a matrix")
        # Gemm computes A·B' + C with B' = Bᵀ when transB = 1: B is then (outputs, inputs) like W.
        weight = matrix if attributes.get("transB", 0) else matrix.T.copy()
        bias = None
        if len(node.input) > 2 and node.input[2]:
            bias = self.bias(i, node.input[2], weight.shape[0])
        return weight, bias

    def matmul(self, i: int, current: str) -> tuple[FloatArray, FloatArray | None, int]:
        node = self.nodes[i]
        if node.input[0] != current:
            raise self.fail(f"{self.where(i)}: the layer input must be MatMul's first operand (x·W)")
        matrix = self.float_constant(i, node.input[1], "weight")
        if matrix.ndim != 2:
            raise self.fail(f"{self.where(i)}: weight has shape {tuple(matrix.shape)}, not a matrix")
        weight = matrix.T.copy()  # MatMul's x·B stores B as (inputs, outputs)
        following = self.nodes[i + 1] if i + 1 < len(self.nodes) else None
        if following is None or following.op_type != "Add" or node.output[0] not in following.input:
            return weight, None, 1
        others = [name for name in following.input if name != node.output[0]]
        if len(others) != 1 or others[0] not in self.constants:
            return weight, None, 1
        return weight, self.bias(i + 1, others[0], weight.shape[0]), 2

    def bias(self, i: int, name: str, size: int) -> FloatArray:
        bias = self.float_constant(i, name, "bias")
        if bias.size != size or bias.shape not in ((size,), (1, size)):
            raise self.fail(
                f"{self.where(i)}: bias {name!r} has shape {tuple(bias.shape)}, expected ({size},)"
            )
        return bias.reshape(size)

    def activation(self, i: int) -> tuple[str, int]:
        node = self.nodes[i]
        op = node.op_type
        attributes = self.attributes(node)
        for name, matcher in _COMPOSITIONS.items():  # before single operators: softplus starts with Relu
            used = matcher(self, i)
            if used:
                return name, used
        if op in _ACTIVATION_OF_OP:
            return _ACTIVATION_OF_OP[op], 1
        if op == "LeakyRelu":
            alpha = attributes.get("alpha", 0.01)
            if not np.isclose(alpha, LEAKY_SLOPE, rtol=1e-6, atol=0.0):
                raise self.fail(
                    f"{self.where(i)}: LeakyRelu alpha = {alpha:g} (only {LEAKY_SLOPE} is supported)"
                )
            return "leaky_relu", 1
        if op == "Softmax":
            if attributes.get("axis", -1) not in (-1, 1):
                raise self.fail(
                    f"{self.where(i)}: Softmax over axis {attributes['axis']} (only the last axis)"
                )
            return "softmax", 1
        raise self.fail(
            f"unsupported operator {self.where(i)}: an MLP here is Gemm or MatMul + Add layers with "
            "Sigmoid, Tanh, Relu, LeakyRelu, Sign, Softmax, step or softplus activations"
        )


def _match_composition(chain: _Chain, i: int, activation: str) -> int:
    """Return how many nodes from i compute `activation` exactly as this module writes it, else 0."""
    onnx = chain.onnx
    start = chain.nodes[i]
    z = start.input[0]
    canonical, constants = _activation_nodes(
        onnx, activation, "Z", "A", 0, onnx.TensorProto.DOUBLE, "float64"
    )
    values = {tensor.name: onnx.numpy_helper.to_array(tensor) for tensor in constants}
    if i + len(canonical) > len(chain.nodes):
        return 0
    names = {"Z": z}
    for offset, expected in enumerate(canonical):
        node = chain.nodes[i + offset]
        if node.op_type != expected.op_type or len(node.input) != len(expected.input):
            return 0
        got = {k: v for k, v in chain.attributes(node).items() if k != "to"}
        if got != {k: v for k, v in chain.attributes(expected).items() if k != "to"}:
            return 0
        for mine, theirs in zip(expected.input, node.input):
            if mine in values:
                found = chain.constants.get(theirs)
                if found is None or not np.array_equal(found, values[mine].astype(found.dtype)):
                    return 0
            elif names.get(mine) != theirs:
                return 0
        names[expected.output[0]] = node.output[0]
    # Every intermediate result must stay inside the composition (no branch leaves it).
    inner = {chain.nodes[i + j].output[0] for j in range(len(canonical) - 1)}
    for node in chain.nodes[i + len(canonical) :]:
        if inner.intersection(node.input):
            return 0
    return len(canonical)


_COMPOSITIONS: dict[str, Callable[[_Chain, int], int]] = {
    "step": lambda chain, i: _match_composition(chain, i, "step"),
    "leaky_relu": lambda chain, i: _match_composition(chain, i, "leaky_relu"),
    "softplus": lambda chain, i: _match_composition(chain, i, "softplus"),
}


def read_onnx(path: str) -> ImportedLayers:
    """Read an MLP from an .onnx file: a chain of Gemm or MatMul + Add layers and activations."""
    check_file_size(path)
    onnx = _onnx("reading .onnx", path)
    try:
        model = onnx.load(path, load_external_data=False)
    except Exception as error:  # protobuf's DecodeError and friends
        raise FileFormatError(f"not a valid ONNX model ({type(error).__name__})", path) from None
    if not model.graph.node:
        raise FileFormatError("not an ONNX model with a graph (no nodes)", path)
    return _Chain(onnx, model, path).layers()
