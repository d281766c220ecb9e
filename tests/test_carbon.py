"""Energy and carbon (estimator/energy.py, carbon.py) against published training figures."""

import pytest

import estimator
from estimator import energy
from estimator.carbon import intensity_kg_per_kwh, regions
from estimator.errors import UnknownNameError


def test_gpt3_energy_to_co2():
    # Patterson et al. 2021 (arXiv 2104.10350), Table 4: GPT-3 1,287 MWh, 0.429 kg/kWh, 552 t.
    assert energy.co2e_tonnes(1_287_000, 0.429) == pytest.approx(552, rel=0.001)
    assert regions()["patterson-2021-gpt3-datacenter"]["kg_co2e_per_kwh"] == 0.429
    assert energy.implied_carbon_intensity(552, 1_287_000) == pytest.approx(0.429, abs=0.001)


def test_llama3_8b_model_card():
    # meta-llama/llama3 MODEL_CARD.md: 1.3M H100-80GB GPU-hours at 700 W, 390 tCO2eq
    # location-based; Meta's power figures already include PUE, so pue=1, power_fraction=1.
    row = estimator.estimate(gpu="H100", gpu_hours="1.3M", price=2, pue=1, power_fraction=1,
                             carbon_intensity="0.4286 kg/kWh").iloc[0]
    assert row["energy_kwh"] == pytest.approx(910_000)
    assert row["co2e_t"] == pytest.approx(390, rel=0.001)


def test_region_names_and_units():
    assert intensity_kg_per_kwh("us-average") == regions()["us-average"]["kg_co2e_per_kwh"]
    assert intensity_kg_per_kwh("420 g/kWh") == pytest.approx(0.42)
    assert intensity_kg_per_kwh(0.3) == 0.3
    with pytest.raises(UnknownNameError, match="did you mean sweden"):
        intensity_kg_per_kwh("swedn")


def test_every_region_is_sourced():
    for name, entry in regions().items():
        assert entry["source"] and entry["as_of"], name
        assert 0 < entry["kg_co2e_per_kwh"] < 1.5, name


def test_co2_on_compute(run_json):
    [row] = run_json("compute", "--params", "8B", "--tokens", "15T", "--gpu", "H100",
                     "--mfu", "0.4", "--carbon-intensity", "world-average")
    assert row["co2e_t"] == pytest.approx(row["energy_kwh"] * 0.48 / 1000)
