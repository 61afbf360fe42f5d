"""The command line's exchange verbs: `export FILE OUT` and `import SRC --output OUT.mlp.json`.

No Qt: the formats live in explorer.files.exchange; errors are FileFormatError (one line, status 2).
"""

from __future__ import annotations

import argparse
from typing import Any

from explorer.engine.losses import LOSSES
from explorer.files import reader, writer
from explorer.files.exchange import FRAMEWORKS, export_network, import_network, parse_activations
from explorer.files.exchange_common import DTYPES

HELP = (
    "  export FILE OUT [--dtype float32|float64] [--framework numpy|torch]\n"
    "                                      write OUT.py (a script), OUT.npz or OUT.onnx\n"
    "  import SRC --output OUT.mlp.json [--activations g1,g2,...] [--loss NAME]\n"
    "                                      read .npz, .safetensors or .onnx weights"
)


def add_verbs(verbs: Any) -> None:
    """Add the export and import verbs to the command line's subparsers."""
    export = verbs.add_parser("export", help="write the network as a NumPy/PyTorch script, .npz or .onnx")
    export.add_argument("file")
    export.add_argument("out", help="OUT.py, OUT.npz or OUT.onnx: the suffix picks the format")
    export.add_argument(
        "--dtype", choices=tuple(DTYPES), default="float64", help="float type (default float64)"
    )
    export.add_argument(
        "--framework", choices=FRAMEWORKS, default="numpy", help="for .py: numpy (default) or torch"
    )
    export.set_defaults(run=run_export)

    imported = verbs.add_parser(
        "import", help="read weights from .npz, .safetensors or .onnx into a network file"
    )
    imported.add_argument("src")
    imported.add_argument(
        "--output", "-o", required=True, metavar="OUT.mlp.json", help="the network file to write"
    )
    imported.add_argument(
        "--activations", metavar="G1,G2,...", help="one activation per layer, when the file names none"
    )
    imported.add_argument(
        "--loss", choices=tuple(LOSSES), help="the loss (default: the file's, else half_sse)"
    )
    imported.set_defaults(run=run_import)


def run_export(options: argparse.Namespace) -> int:
    """Export the network file in the format of OUT's suffix."""
    network_file = reader.load(options.file)
    export_network(network_file, options.out, options.dtype, options.framework)
    print(f"wrote {options.out}")
    return 0


def run_import(options: argparse.Namespace) -> int:
    """Import weights into a network file."""
    activations = None if options.activations is None else parse_activations(options.activations)
    network_file = import_network(options.src, activations, options.loss)
    writer.save(options.output, network_file)
    network = network_file.network
    sizes = "-".join(map(str, network.sizes))
    names = ", ".join(layer.activation for layer in network.layers)
    print(f"wrote {options.output}: sizes {sizes}, activations {names}, loss {network.loss}")
    return 0
