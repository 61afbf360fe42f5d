"""Saturation: whether every sigmoid-like neuron sits where its slope is zero in float64.

A learning rate far too large throws the weights so far in the first epochs that every z lands
deep in a flat tail: J then stops changing and training looks merely "finished". Trainer asks
this after its first epochs and says so in the run's message.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from explorer.engine.activations import get_activation
from explorer.engine.network import Network

SATURATING = ("sigmoid", "tanh")
FLAT_SLOPE = 1e-8  # g'(z) below this is flat: a step of any sensible size moves nothing
ROWS_CHECKED = 256  # a sample of the rows is enough to tell, and keeps the check cheap


def all_saturated(network: Network, X: npt.ArrayLike) -> bool:
    """Return True if the network has sigmoid/tanh neurons and every one is flat on every row given.

    X has one sample per column (the engine's layout), as Trainer keeps it.
    """
    x = np.asarray(X, dtype=np.float64)
    if x.ndim == 2 and x.shape[1] > ROWS_CHECKED:
        x = x[:, :: max(1, x.shape[1] // ROWS_CHECKED)]
    with np.errstate(all="ignore"):
        zs, _ = network.forward(x)
    checked = False
    for layer, z in zip(network.layers, zs[1:], strict=True):
        if layer.activation not in SATURATING or z is None:
            continue
        with np.errstate(all="ignore"):
            slope = get_activation(layer.activation).prime(z)
        if not np.all(np.abs(slope) < FLAT_SLOPE):
            return False
        checked = True
    return checked
