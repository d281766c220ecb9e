"""Energy and carbon (estimator/energy.py, carbon.py) against published training figures."""

import pytest

import estimator
from estimator.data.grid_regions import intensity_kg_per_kwh, regions
from estimator.errors import UnknownNameError
from estimator.models import energy


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
    # by hand: 6 x 8e9 x 15e12 = 7.2e23 FLOP; / (989e12 FLOP/s BF16 dense x 0.4 x 3600 s/h)
    # = 505,561.2 GPU-h; x 0.700 kW TDP x 0.75 power fraction x 1.25 PUE (the defaults)
    # = 331,774.5 kWh; x 0.480 kg/kWh (Ember, Global Electricity Review 2024, world 2023)
    # = 159.25 t
    assert row["energy_kwh"] == pytest.approx(331_774.5, rel=1e-6)
    assert row["co2e_t"] == pytest.approx(159.2518, rel=1e-5)


def test_default_pue_and_power_fraction_by_hand():
    # defaults: power fraction 0.75 of TDP (Epoch AI, arXiv 2405.21015) and PUE 1.25;
    # H100 TDP 700 W (NVIDIA H100 datasheet): 1000 h x 0.700 kW x 0.75 x 1.25 = 656.25 kWh
    row = estimator.estimate(gpu="H100", count=1, hours=1000, price=2).iloc[0]
    assert row["energy_kwh"] == pytest.approx(656.25)
    row = estimator.estimate(gpu="H100", count=1, hours=1000, price=2, pue=1.0).iloc[0]
    assert row["energy_kwh"] == pytest.approx(525.0)            # 700 x 0.75
    row = estimator.estimate(gpu="H100", count=1, hours=1000, price=2,
                             power_fraction=1.0).iloc[0]
    assert row["energy_kwh"] == pytest.approx(875.0)            # 700 x 1.25
