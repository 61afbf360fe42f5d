"""The engine's array type: a NumPy array of floats (float64 usually, float32 in some training)."""

from __future__ import annotations

from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

Array: TypeAlias = npt.NDArray[np.floating[Any]]
