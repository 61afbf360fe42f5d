"""Train copies of one network that differ only in the hidden layers' activation, to compare them.

The lecture's vanishing-gradient argument in one experiment: δ^(k) = g'(z^(k)) ⊙ W^(k+1)ᵀ δ^(k+1)
multiplies one factor g' per layer on the way back, so a sigmoid (g' ≤ 0.25) shrinks the gradient
layer by layer, tanh (g' ≤ 1) less, and ReLU (g' = 1 where active) not at all.

Every copy has the same shapes, biases present, loss and output activation (only the hidden layers
switch), and is trained on the same rows with the same settings and seed. Two starting points:

- start="reinitialise" (the default): each copy gets fresh weights from init.reinitialise with the
  same seed, so each starts as that activation is usually started (Xavier scale for sigmoid and
  tanh, He scale for ReLU) and no copy inherits weights tuned for another activation. Caveat: in a
  very narrow network (one neuron per layer) fresh signed weights often switch a ReLU off for every
  sample, and a dead ReLU passes no gradient at all.
- start="keep": each copy starts from the network's current weights, so the activation is the only
  difference. This is the clearer picture for the deep one-neuron chains of the examples.

Use compare_activations() for a blocking run, or ActivationComparison.advance() in slices (e.g. from
a GUI timer) and read .histories as they grow.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import numpy as np

from explorer.engine.activations import get_activation
from explorer.engine.init import reinitialise
from explorer.engine.network import Layer, Network
from explorer.engine.training import History, Trainer, TrainingSettings

DEFAULT_ACTIVATIONS = ("sigmoid", "tanh", "relu")
STARTS = ("reinitialise", "keep")


def with_hidden_activation(network: Network, activation: str) -> Network:
    """Return a copy whose hidden layers use `activation`; the output layer keeps its own."""
    act = get_activation(activation)  # an unknown name fails here with the list of choices
    if act.last_layer_only:
        raise ValueError(f"{activation} can only be used in the output layer")
    last = network.num_layers - 1
    layers = [
        Layer(
            layer.weights.copy(),
            None if layer.bias is None else layer.bias.copy(),
            layer.activation if k == last else activation,
        )
        for k, layer in enumerate(network.layers)
    ]
    return Network(layers, network.loss, network.name)


class ActivationComparison:
    """Trainers for one copy of the network per hidden activation, advanced together in slices."""

    def __init__(
        self,
        network: Network,
        X: np.ndarray,
        Y: np.ndarray,
        settings: TrainingSettings | None = None,
        activations: Sequence[str] = DEFAULT_ACTIVATIONS,
        epochs: int = 200,
        seed: int = 0,
        start: str = "reinitialise",
    ) -> None:
        if network.num_layers < 2:
            raise ValueError("comparing activations needs at least one hidden layer")
        if start not in STARTS:
            raise ValueError(f"start must be one of {', '.join(STARTS)}, not {start!r}")
        if epochs < 1:
            raise ValueError(f"the number of epochs must be at least 1, not {epochs}")
        if not activations:
            raise ValueError("name at least one activation to compare")
        base = settings or TrainingSettings()
        # The same settings and seed for every copy: only the activation (and its init scale) differs.
        settings = dataclasses.replace(base, epochs=int(epochs), seed=int(seed))
        self.epochs = int(epochs)
        self.start = start
        self.trainers: dict[str, Trainer] = {}
        for name in activations:
            copy = with_hidden_activation(network, name)
            if start == "reinitialise":
                copy = reinitialise(copy, seed)
            self.trainers[name] = Trainer(copy, X, Y, settings)

    @property
    def histories(self) -> dict[str, History]:
        """Return each activation's history (growing while the comparison runs)."""
        return {name: trainer.history for name, trainer in self.trainers.items()}

    @property
    def done(self) -> bool:
        """Return True when every copy has run its epochs or stopped (e.g. diverged)."""
        return all(trainer.stopped for trainer in self.trainers.values())

    @property
    def fraction_done(self) -> float:
        """Return the share of the planned epochs run so far, counting a stopped copy as complete."""
        total = self.epochs * len(self.trainers)
        ran = sum(self.epochs if t.stopped else t.epoch for t in self.trainers.values())
        return ran / total

    def stopped_reasons(self) -> dict[str, str]:
        """Return the copies that stopped early (diverged), with the reason."""
        return {
            name: reason
            for name, trainer in self.trainers.items()
            if (reason := trainer.stopped_reason) is not None and trainer.epoch < self.epochs
        }

    def advance(self, epochs: int = 1) -> bool:
        """Run up to `epochs` more epochs of every copy; return True when the comparison is done."""
        for trainer in self.trainers.values():
            for _ in range(epochs):
                if not trainer.run_epoch():
                    break
        return self.done


def compare_activations(
    network: Network,
    X: np.ndarray,
    Y: np.ndarray,
    settings: TrainingSettings | None = None,
    activations: Sequence[str] = DEFAULT_ACTIVATIONS,
    epochs: int = 200,
    seed: int = 0,
    start: str = "reinitialise",
) -> dict[str, History]:
    """Train one copy per hidden activation for `epochs` epochs; return each copy's History."""
    comparison = ActivationComparison(network, X, Y, settings, activations, epochs, seed, start)
    while not comparison.advance(epochs):
        pass
    return comparison.histories
