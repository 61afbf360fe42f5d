"""A hand-friendly exercise network (engine.exercise) as the content of a network file. No Qt here."""

from __future__ import annotations

from collections.abc import Sequence

from explorer.engine.exercise import exercise_network
from explorer.files.model import NetworkFile, TrainingConfig

DEFAULT_LEARNING_RATE = 0.5


def exercise_file(
    sizes: Sequence[int],
    activation: str = "sigmoid",
    loss: str = "half_sse",
    seed: int = 0,
    learning_rate: float = DEFAULT_LEARNING_RATE,
) -> NetworkFile:
    """Return a seeded exercise network with its sample, η and the seed in the training settings."""
    exercise = exercise_network(sizes, activation, loss, seed)
    return NetworkFile(
        exercise.network,
        exercise.x,
        exercise.y,
        training=TrainingConfig(learning_rate=learning_rate, seed=int(seed)),
    )
