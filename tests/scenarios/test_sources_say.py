"""Issue 22: scenario files hold what sources write (grouped thousands in one-value fields,
'tCO2eq'), from real claim files under tests/fixtures/scenarios/issue22/."""

import pytest

from estimator.errors import InputError
from estimator.inputs import units
from estimator.inputs.request import parse_quantity, parse_scalar
from estimator.scenarios import load_scenario
from tests.conftest import FIXTURES

ISSUE22 = FIXTURES / "scenarios" / "issue22"


def test_llama2_70b_model_card_as_copied():
    # Llama 2 model card, Carbon Footprint table: 70B, 1720320 GPU-hours, 400 W, 291.42 tCO2eq.
    scenario = load_scenario(ISSUE22 / "llama2-70b-2023.yaml")
    assert scenario.stages[0].gpu_hours == 1_720_320
    gh, co2 = scenario.run().claims
    assert gh.verdict == "reproduced" and gh.computed.stated == 1_720_320
    assert co2.claim.value == pytest.approx(291.42) and co2.verdict == "consistent"
    # implied grid intensity: 291.42 t / (1,720,320 h x 0.4 kW x PUE 1.0) = 0.4235 kg/kWh
    assert co2.implied["carbon_intensity_kg_per_kwh"] == pytest.approx(
        291.42e3 / (1_720_320 * 0.4), rel=1e-6)


@pytest.mark.parametrize("text", ["291.42 t", "291.42 tCO2eq", "291.42 tCO2e", "291.42 t CO2",
                                  "291.42 t CO2e", "291.42 t CO2-eq", "291,420 kg CO2e"])
def test_tonnes_of_co2_as_sources_write_them(text):
    assert units.parse(text, "mass").value == pytest.approx(291.42)


@pytest.mark.parametrize("text, kind, value", [
    ("1,720,320", "gpu_hours", 1_720_320), ("2,048", "count", 2048),
    ("1,287 MWh", "energy", 1_287_000), ("2,000,000.5", "number", 2_000_000.5)])
def test_one_value_fields_read_grouped_thousands(text, kind, value):
    assert parse_quantity(text, kind).value == pytest.approx(value)
    assert parse_scalar(text, kind, kind) == pytest.approx(value)


@pytest.mark.parametrize("text", ["1,2", "12,34", "1,2345"])
def test_a_comma_that_is_not_a_thousands_separator_is_still_refused(text):
    with pytest.raises(InputError):
        parse_quantity(text, "count")
