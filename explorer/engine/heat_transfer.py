"""Heat-transfer forward models that make data sets for a surrogate network: a fin and lumped cooling.

Each model maps one physical input, the heat-transfer coefficient h, to temperatures at a few sensors.
The data a network sees is scaled: h to [−1, 1] (the middle of a tanh), temperatures to [0.1, 0.9]
(inside a sigmoid). A Scaling converts both ways, so the window and the command line can show a
recovered input in W/m²K. No Qt here.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Scaling:
    """An affine map from a physical range [physical_low, physical_high] to [scaled_low, scaled_high]."""

    physical_low: float
    physical_high: float
    scaled_low: float
    scaled_high: float

    @property
    def gain(self) -> float:
        """Return d(scaled)/d(physical)."""
        return (self.scaled_high - self.scaled_low) / (self.physical_high - self.physical_low)

    def to_scaled(self, physical: npt.ArrayLike) -> FloatArray:
        """Return the scaled values of physical ones."""
        values = np.asarray(physical, dtype=np.float64)
        return np.asarray(self.scaled_low + self.gain * (values - self.physical_low), dtype=np.float64)

    def to_physical(self, scaled: npt.ArrayLike) -> FloatArray:
        """Return the physical values of scaled ones."""
        values = np.asarray(scaled, dtype=np.float64)
        return np.asarray(self.physical_low + (values - self.scaled_low) / self.gain, dtype=np.float64)

    def describe(self, scaled: str, physical: str, unit: str) -> str:
        """Return the map as one line, e.g. "x = −1 + (h − 10)/120, h in W/m²K"."""
        slope = 1.0 / self.gain
        low = f"{self.scaled_low:g}".replace("-", "−")
        return (
            f"{scaled} = {low} + ({physical} − {self.physical_low:g})/{slope:.4g}"
            f"   ({physical} from {self.physical_low:g} to {self.physical_high:g}{' ' + unit if unit else ''}"
            f" → {scaled} from {low} to {self.scaled_high:g})"
        )


@dataclass(frozen=True)
class HeatTransferModel:
    """One forward model: h → temperatures at sensors, its physics in words, units and scalings."""

    key: str
    label: str
    input_name: str  # e.g. "h"
    input_unit: str
    input_scaling: Scaling
    output_names: tuple[str, ...]  # one per sensor, e.g. "θ/θ_b at x = 12.5 mm"
    output_unit: str  # "" for a dimensionless output
    output_scaling: Scaling
    formulas: tuple[str, ...]
    constants: tuple[str, ...]
    noise_unit: str
    response: Callable[[FloatArray], FloatArray]  # h of shape (N,) → outputs of shape (N, sensors)

    @property
    def sensors(self) -> int:
        """Return the number of outputs."""
        return len(self.output_names)

    def outputs(self, h: npt.ArrayLike) -> FloatArray:
        """Return the physical outputs, one row per value of h."""
        values = np.atleast_1d(np.asarray(h, dtype=np.float64))
        return self.response(values)

    def scaled_data(self, n_samples: int, noise: float, seed: int) -> tuple[FloatArray, FloatArray]:
        """Return scaled X (N, 1) and Y (N, sensors) at evenly spaced h; noise (physical units) on Y."""
        scaling = self.input_scaling
        h = np.linspace(scaling.physical_low, scaling.physical_high, n_samples)
        outputs = self.outputs(h)
        if noise:
            outputs = outputs + np.random.default_rng(seed).normal(0.0, noise, outputs.shape)
        return scaling.to_scaled(h)[:, None], self.output_scaling.to_scaled(outputs)

    def scaling_lines(self) -> tuple[str, str]:
        """Return how the input and the outputs are scaled, one line each."""
        out_symbol = "T" if self.output_unit else "θ/θ_b"
        return (
            self.input_scaling.describe("x", self.input_name, self.input_unit),
            self.output_scaling.describe("y_i", out_symbol, self.output_unit),
        )

    def describe(self) -> str:
        """Return the physics, the constants, the sensors and the scaling as plain text lines."""
        lines = [*self.formulas, "Constants: " + ", ".join(self.constants)]
        lines.append("Outputs: " + "; ".join(self.output_names))
        lines.append(f"Noise: standard deviation in {self.noise_unit}, added to the outputs")
        lines.append("Scaling for the network:")
        lines.extend("  " + line for line in self.scaling_lines())
        return "\n".join(lines)

    def example_rows(self, count: int = 3) -> list[str]:
        """Return a few physical rows, e.g. "h = 10 W/m²K → 0.98, 0.96, 0.94, 0.94"."""
        scaling = self.input_scaling
        h = np.linspace(scaling.physical_low, scaling.physical_high, count)
        rows = []
        for value, outputs in zip(h, self.outputs(h)):
            numbers = ", ".join(f"{v:.4g}" for v in outputs)
            rows.append(
                f"{self.input_name} = {value:g} {self.input_unit} → {numbers} {self.output_unit}".strip()
            )
        return rows


# --- the fin -------------------------------------------------------------------------------------
FIN_K = 180.0  # W/m·K, an aluminium alloy
FIN_THICKNESS = 0.002  # m; a wide straight fin, so P/A ≈ 2/t
FIN_LENGTH = 0.05  # m
FIN_SENSORS = (0.0125, 0.025, 0.0375, 0.05)  # m from the base; the last one is the tip
FIN_H_RANGE = (10.0, 250.0)  # W/m²K


def fin_m(h: npt.ArrayLike) -> FloatArray:
    """Return the fin parameter m = √(hP/(kA)) = √(2h/(k t)) in 1/m."""
    return np.asarray(np.sqrt(2.0 * np.asarray(h, dtype=np.float64) / (FIN_K * FIN_THICKNESS)), np.float64)


def fin_response(h: FloatArray) -> FloatArray:
    """Return θ/θ_b = cosh(m(L − x))/cosh(mL) at the sensors, one row per h."""
    m = fin_m(h)[:, None]
    x = np.asarray(FIN_SENSORS, dtype=np.float64)[None, :]
    return np.asarray(np.cosh(m * (FIN_LENGTH - x)) / np.cosh(m * FIN_LENGTH), dtype=np.float64)


def fin_h_from_tip(theta_tip: float) -> float:
    """Return the h that gives this tip temperature, from θ_tip/θ_b = 1/cosh(mL) solved for m."""
    m = math.acosh(1.0 / theta_tip) / FIN_LENGTH
    return m * m * FIN_K * FIN_THICKNESS / 2.0


FIN = HeatTransferModel(
    key="fin",
    label="Fin (adiabatic tip)",
    input_name="h",
    input_unit="W/m²K",
    input_scaling=Scaling(*FIN_H_RANGE, -1.0, 1.0),
    output_names=tuple(f"θ/θ_b at x = {1000 * x:g} mm" for x in FIN_SENSORS),
    output_unit="",
    output_scaling=Scaling(0.3, 1.0, 0.1, 0.9),
    formulas=(
        "Straight fin with an insulated (adiabatic) tip: θ = T − T∞, θ_b = T_b − T∞",
        "θ(x)/θ_b = cosh(m(L − x)) / cosh(mL),   m = √(hP/(kA)) ≈ √(2h/(k t))",
    ),
    constants=(
        f"k = {FIN_K:g} W/m·K (aluminium)",
        f"t = {1000 * FIN_THICKNESS:g} mm",
        f"L = {1000 * FIN_LENGTH:g} mm",
        f"h from {FIN_H_RANGE[0]:g} to {FIN_H_RANGE[1]:g} W/m²K (mL from 0.37 to 1.86)",
    ),
    noise_unit="θ/θ_b (e.g. 0.005)",
    response=fin_response,
)


# --- lumped cooling ------------------------------------------------------------------------------
LUMPED_RHO_C = 2700.0 * 900.0  # J/m³K, aluminium
LUMPED_DIAMETER = 0.01  # m; a sphere, V/A = D/6
LUMPED_T0, LUMPED_T_INF = 200.0, 25.0  # °C
LUMPED_TIMES = (15.0, 30.0, 60.0, 120.0)  # s
LUMPED_H_RANGE = (10.0, 200.0)  # W/m²K


def lumped_tau(h: npt.ArrayLike) -> FloatArray:
    """Return the time constant τ = ρcV/(hA) in s."""
    return np.asarray(LUMPED_RHO_C * LUMPED_DIAMETER / 6.0 / np.asarray(h, dtype=np.float64), np.float64)


def lumped_response(h: FloatArray) -> FloatArray:
    """Return T = T∞ + (T₀ − T∞) e^(−t/τ) at the measuring times, one row per h."""
    tau = lumped_tau(h)[:, None]
    t = np.asarray(LUMPED_TIMES, dtype=np.float64)[None, :]
    return np.asarray(LUMPED_T_INF + (LUMPED_T0 - LUMPED_T_INF) * np.exp(-t / tau), dtype=np.float64)


LUMPED_COOLING = HeatTransferModel(
    key="lumped_cooling",
    label="Lumped cooling",
    input_name="h",
    input_unit="W/m²K",
    input_scaling=Scaling(*LUMPED_H_RANGE, -1.0, 1.0),
    output_names=tuple(f"T at t = {t:g} s" for t in LUMPED_TIMES),
    output_unit="°C",
    output_scaling=Scaling(LUMPED_T_INF, LUMPED_T0, 0.1, 0.9),
    formulas=(
        "A small body cooling in a fluid, uniform inside (Biot number below 0.1):",
        "T(t) = T∞ + (T₀ − T∞) e^(−t/τ),   τ = ρcV/(hA)",
    ),
    constants=(
        "aluminium sphere, ρc = 2700 × 900 J/m³K",
        f"D = {1000 * LUMPED_DIAMETER:g} mm (V/A = D/6)",
        f"T₀ = {LUMPED_T0:g} °C, T∞ = {LUMPED_T_INF:g} °C",
        f"h from {LUMPED_H_RANGE[0]:g} to {LUMPED_H_RANGE[1]:g} W/m²K (τ from 405 s to 20 s)",
    ),
    noise_unit="°C (e.g. 0.5)",
    response=lumped_response,
)

MODELS: dict[str, HeatTransferModel] = {FIN.key: FIN, LUMPED_COOLING.key: LUMPED_COOLING}

# A network is read as the surrogate of a model when its name, before any colon, holds one of these
# words and its widths fit (the file format has no field for it).
NAME_TAGS: dict[str, str] = {"fin": FIN.key, "lumped cooling": LUMPED_COOLING.key}


def model_for_network(name: str, n_inputs: int, n_outputs: int) -> HeatTransferModel | None:
    """Return the model a network named `name` is the surrogate of (its widths must fit), or None."""
    title = name.lower().split(":")[0]
    for tag, key in NAME_TAGS.items():
        model = MODELS[key]
        if re.search(rf"\b{tag}\b", title) and n_inputs == 1 and n_outputs == model.sensors:
            return model
    return None
