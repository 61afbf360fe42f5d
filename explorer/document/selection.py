"""What the user has selected on the graph: nothing, one neuron, or one edge (weight)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Selection:
    """A neuron (layer k = 0..L, index i) or an edge w_ij^(k) (layer k = 1..L, to i, from j)."""

    kind: str | None = None  # "neuron", "edge" or None
    layer: int = 0
    i: int = 0
    j: int = 0

    @classmethod
    def neuron(cls, layer: int, i: int) -> Selection:
        """Return a selection of neuron i of layer `layer`."""
        return cls("neuron", layer, i, 0)

    @classmethod
    def edge(cls, layer: int, i: int, j: int) -> Selection:
        """Return a selection of weight w_ij^(layer)."""
        return cls("edge", layer, i, j)

    @property
    def is_empty(self) -> bool:
        """Return True when nothing is selected."""
        return self.kind is None

    def fits(self, sizes: list[int]) -> bool:
        """Return True if the selected item exists in a network of these layer sizes."""
        if self.kind == "neuron":
            return 0 <= self.layer < len(sizes) and 0 <= self.i < sizes[self.layer]
        if self.kind == "edge":
            return (
                1 <= self.layer < len(sizes)
                and 0 <= self.i < sizes[self.layer]
                and 0 <= self.j < sizes[self.layer - 1]
            )
        return True


NOTHING = Selection()
