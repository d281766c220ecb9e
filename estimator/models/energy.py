"""Energy and carbon of GPU time.

energy [kWh] = gpu_hours [GPU·h] x TDP [W] x power_fraction x PUE / 1000
co2e [t] = energy [kWh] x grid intensity [kg CO2e/kWh] / 1000

The form follows Patterson et al. 2021 ("Carbon Emissions and Large Neural Network
Training", arXiv 2104.10350, eq. 1: energy = hours x processors x average power x PUE)
and Epoch AI's cost model (arXiv 2405.21015: TDP x utilisation x PUE).
"""

from __future__ import annotations

import numpy as np

DEFAULT_POWER_FRACTION = 0.75
"""Average draw as a share of TDP during training; Epoch AI (arXiv 2405.21015) assumes
0.75 utilisation of TDP. Meta's model cards use 1.0 (peak power per GPU)."""

DEFAULT_PUE = 1.25
"""Power usage effectiveness of a non-hyperscaler data centre, Epoch AI (arXiv
2405.21015: 1.1 hyperscaler, 1.25 other). Use --pue 1.1 for a hyperscaler, 1.0 to
count the GPUs alone."""


def average_power_w(tdp_w, power_fraction=DEFAULT_POWER_FRACTION):
    """Average draw per accelerator [W] = TDP [W] x power fraction (Epoch AI: 0.75 of TDP)."""
    return np.multiply(tdp_w, power_fraction)


def energy_kwh(gpu_hours, power_w, pue=DEFAULT_PUE):
    """Facility energy [kWh] = GPU-hours [GPU·h] x average power per GPU [W] x PUE / 1000.

    ``power_w`` is the average draw (:func:`average_power_w` of the TDP, or a figure the source
    states); Patterson et al. 2021, eq. 1.
    """
    return np.multiply(np.multiply(gpu_hours, power_w), pue) / 1000.0


def co2e_tonnes(energy_kwh_, carbon_intensity_kg_per_kwh):
    """Emissions [t CO2e] = energy [kWh] x grid intensity [kg CO2e/kWh] / 1000."""
    return np.multiply(energy_kwh_, carbon_intensity_kg_per_kwh) / 1000.0


def implied_carbon_intensity(co2e_t, energy_kwh_):
    """Grid intensity [kg CO2e/kWh] that turns ``energy_kwh_`` into ``co2e_t`` tonnes."""
    return np.divide(np.multiply(co2e_t, 1000.0), energy_kwh_)


def implied_power_w(energy_kwh_, gpu_hours, pue=DEFAULT_PUE):
    """Average power per GPU [W] that makes :func:`energy_kwh` equal ``energy_kwh_``:
    energy x 1000 / (GPU-hours x PUE) (the inverse of Patterson et al. 2021, eq. 1)."""
    return np.divide(np.multiply(energy_kwh_, 1000.0), np.multiply(gpu_hours, pue))


def implied_pue(facility_kwh, it_kwh):
    """PUE = facility energy / IT energy (The Green Grid's definition)."""
    return np.divide(facility_kwh, it_kwh)
