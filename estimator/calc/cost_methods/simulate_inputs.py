"""The inputs simulate() draws for a cost method other than rental (by_method.estimate).

Each method's price is a lognormal input whose 90% interval is 0.5x-2x its central value,
as in Epoch AI's Monte Carlo (arXiv 2405.21015, uncertainty notebook; models/constants.py
PRICE_RANGE); the central value is the deterministic method's typical price at the
training date:

* ``cloud`` -- ``price`` [USD/GPU-h], the 3-year committed-use price; cost = GPU-hours x price;
* ``amortised`` -- ``hardware_usd_per_gpu_hour`` [USD/GPU-h], the depreciated server value
  used up per GPU-hour incl. interconnect; cost = GPU-hours x (hardware + energy per
  GPU-hour), energy scaling with the drawn PUE and power fraction (energy is linear in both,
  docs/epoch-method.md §2.2 step 5);
* ``acquisition`` -- ``server_usd_per_gpu`` [USD/GPU], server price per chip incl.
  interconnect; cost = GPUs x that (needs a GPU count).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from estimator.calc.cost_methods import by_method
from estimator.errors import InputError
from estimator.inputs.distributions import Distribution
from estimator.models import cost_formulas as formulas

PRICE_INPUT = {"cloud": "price", "amortised": "hardware_usd_per_gpu_hour",
               "acquisition": "server_usd_per_gpu"}
"""The name of the drawn price input per method (a key of Simulation.inputs)."""


@dataclass
class MethodDraws:
    """A method's drawn price input and what turns draws into cost."""

    method: str
    name: str
    distribution: Distribution
    energy_usd_per_gpu_hour_unit: float
    """Energy [USD/GPU-h] at PUE 1 and power fraction 1 (amortised), else 0."""
    date: str

    def cost_usd(self, draws: dict, gpu_hours: np.ndarray) -> np.ndarray:
        """Cost [USD] of each draw by the method (see the module docstring)."""
        drawn = draws[self.name]
        if self.method == "acquisition":     # the drawn price includes the interconnect share
            return formulas.acquisition_cost(draws["count"], drawn, interconnect_share=0.0)
        energy = self.energy_usd_per_gpu_hour_unit * draws["pue"] * draws["power_fraction"]
        return formulas.cloud_cost(drawn + (energy if self.method == "amortised" else 0.0),
                                   gpu_hours)


def method_draws(profile, method: str, date, *, price, given: set, profiles=None):
    """The MethodDraws of ``method`` for ``profile`` at training start ``date``, or None for
    rental. ``given`` names the time inputs given (acquisition needs ``count``)."""
    name = by_method.parse_methods(method)
    if len(name) != 1:
        raise InputError("simulate takes one method", key="method",
                         hint="Run it once per method: rental, cloud, amortised, acquisition.")
    name = name[0]
    if name == "rental":
        return None
    if price is not None:
        raise InputError(f"--price is the rental price; the {name} method prices from the "
                         "profile", key="price", hint="Drop --price, or use --method rental.")
    if name == "acquisition" and "count" not in given:
        raise InputError("the acquisition method needs the GPU count", key="count",
                         hint="Give --count (and --hours), not only --gpu-hours.")
    row = by_method.estimate(gpu=profile.id, count=1, hours=1, method=name, date=date,
                                pue=1, power_fraction=1, profiles=profiles).iloc[0]
    if row["warnings"] and not np.isfinite(row["cost_usd_typical"]):
        raise InputError(row["warnings"], key="method")
    unit_energy = float(row["energy_usd"]) if name == "amortised" else 0.0
    central = (float(row["cost_usd_typical"]) if name == "acquisition"
               else float(row["price_usd_per_gpu_hour_typical"]) - unit_energy)
    low, _, high = formulas.price_band(central)
    return MethodDraws(name, PRICE_INPUT[name], Distribution("lognormal", (low, high)),
                       unit_energy, str(row["date"]))
