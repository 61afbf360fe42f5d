"""The NumPy engine: the lecture's maths and nothing else. It never imports Qt."""

from explorer.engine.activations import ACTIVATIONS, get_activation
from explorer.engine.losses import LOSSES, get_loss
from explorer.engine.network import Layer, Network, Trace

__all__ = ["ACTIVATIONS", "LOSSES", "Layer", "Network", "Trace", "get_activation", "get_loss"]
