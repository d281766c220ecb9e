"""Owning instead of renting: fleet capital cost and cost per GPU-hour of ownership.

Pure vectorised functions. The method follows Epoch AI's amortised-hardware model
(Cottier et al. 2024, "The rising costs of training frontier AI models", arXiv
2405.21015, and epoch-research/training-cost-trends):

* capex per GPU [USD] = purchase price x server overhead (1.54-1.69 x chip price for the
  rest of the server), divided by (1 - interconnect share) (cluster networking is about
  19% of cluster cost);
* amortisation [USD/(GPU·h)] = capex per GPU / (lifetime [h] x utilisation);
* power [USD/(GPU·h)] = TDP [kW] x server power factor x PUE x electricity [USD/kWh],
  per utilised hour (the GPUs draw it while they run);
* cost to own [USD/(GPU·h)] = amortisation + power;
* break-even utilisation against a rental price p: the utilisation u at which
  capex / (lifetime x u) + power = p, i.e. u = capex / (lifetime x (p - power)).
"""

from __future__ import annotations

import numpy as np

from estimator.models.constants import HOURS_PER_YEAR, INTERCONNECT_SHARE

SERVER_OVERHEAD = (1.54, 1.69)
"""Server cost as a multiple of the chip price, Epoch AI (arXiv 2405.21015)."""

DEFAULT_LIFETIME_YEARS = 4.0
"""Amortisation period [years]. Epoch AI's base case; hyperscalers depreciate servers over
5-6 years, so this is an assumption to vary (--lifetime)."""

DEFAULT_UTILISATION = 0.75
"""Share of hours the fleet does useful work (Epoch AI's 0.75 utilisation assumption)."""

DEFAULT_ELECTRICITY_USD_PER_KWH = 0.08
"""Industrial electricity price [USD/kWh] used in the issue's example; US industrial
average was 0.08 USD/kWh in 2023-2024 (EIA Electric Power Monthly, Table 5.6.A)."""

DEFAULT_SERVER_POWER_FACTOR = 1.0
"""Server power as a multiple of GPU TDP; 1.0 counts the GPUs alone (override to add
CPUs, memory and networking)."""


def capex_per_gpu_usd(purchase_usd, server_overhead, interconnect_share=INTERCONNECT_SHARE):
    """Capital cost per GPU in a cluster [USD] = price x overhead / (1 - interconnect share)."""
    return np.divide(np.multiply(purchase_usd, server_overhead),
                     np.subtract(1.0, interconnect_share))


def fleet_capex_usd(count, capex_per_gpu):
    """Fleet capital cost [USD] = GPUs x capex per GPU."""
    return np.multiply(count, capex_per_gpu)


def power_usd_per_gpu_hour(tdp_w, electricity_usd_per_kwh, pue,
                           server_power_factor=DEFAULT_SERVER_POWER_FACTOR):
    """Electricity per utilised GPU-hour [USD/(GPU·h)] = TDP/1000 x factor x PUE x price."""
    return np.divide(tdp_w, 1000.0) * np.multiply(server_power_factor,
                                                  np.multiply(pue, electricity_usd_per_kwh))


def amortisation_usd_per_gpu_hour(capex_per_gpu, lifetime_years, utilisation):
    """Capital per utilised GPU-hour [USD/(GPU·h)] = capex / (lifetime [h] x utilisation)."""
    return np.divide(capex_per_gpu, np.multiply(np.multiply(lifetime_years, HOURS_PER_YEAR),
                                                utilisation))


def ownership_usd_per_gpu_hour(capex_per_gpu, lifetime_years, utilisation, power_usd):
    """Cost to own per utilised GPU-hour [USD/(GPU·h)] = amortisation + power."""
    return amortisation_usd_per_gpu_hour(capex_per_gpu, lifetime_years, utilisation) + power_usd


def breakeven_utilisation(capex_per_gpu, lifetime_years, power_usd, rental_usd_per_gpu_hour):
    """Utilisation at which owning costs as much per used hour as renting at the given price.

    u = capex / (lifetime [h] x (rental - power)); inf where rental <= power (never pays).
    """
    margin = np.subtract(rental_usd_per_gpu_hour, power_usd)
    with np.errstate(divide="ignore", invalid="ignore"):
        u = np.divide(capex_per_gpu, np.multiply(np.multiply(lifetime_years, HOURS_PER_YEAR),
                                                 margin))
    return np.where(margin > 0, u, np.inf)
