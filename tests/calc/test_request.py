"""The request context (estimator/calc/request.py): built once, checked once, frozen."""

import dataclasses
import datetime as dt

import pandas as pd
import pytest

from estimator.calc.request import Request, finish
from estimator.errors import EstimatorError


def test_keywords_are_parsed_once_into_a_frozen_request():
    request = Request.from_keywords(as_of="2024-06-30", tier="commit_1y,on_demand",
                                    provider_class="hyperscaler", dollars="2023")
    assert request.as_of == dt.date(2024, 6, 30)
    assert request.fx_on == dt.date(2024, 6, 30)           # no fx_date: the price date
    assert (request.tier, request.provider_class, request.dollars) == (
        "commit_1y,on_demand", "hyperscaler", 2023)
    with pytest.raises(dataclasses.FrozenInstanceError):
        request.as_of = None


@pytest.mark.parametrize("keywords, key", [
    ({"as_of": "2024-13-01"}, "as_of"), ({"tier": "weekly"}, "tier"),
    ({"provider_class": "cloud"}, "provider_class"), ({"dollars": "20x3"}, "dollars"),
    ({"dollars": 2023, "deflator": "gdp"}, None)])
def test_bad_keywords_are_errors_named_after_the_option(keywords, key):
    with pytest.raises(EstimatorError) as info:
        Request.from_keywords(**keywords)
    if key:
        assert info.value.key == key


def test_finish_adds_currency_and_co2_only_when_asked():
    frame = pd.DataFrame({"cost_usd_low": [1.0], "cost_usd_typical": [2.0],
                          "cost_usd_high": [4.0], "energy_kwh": [1000.0],
                          "price_date": ["2025-01-31"]})
    assert list(finish(frame.copy(), Request()).columns) == list(frame.columns)
    done = finish(frame.copy(), Request.from_keywords(
        currency="SEK", fx_date="2025-01-31", carbon_intensity=0.4))
    # ECB 2025-01-31: 11.040 SEK per USD; 1,000 kWh x 0.4 kg/kWh = 0.4 t
    assert done["cost_sek_typical"].iloc[0] == pytest.approx(2 * 11.040, rel=1e-3)
    assert done["co2e_t"].iloc[0] == pytest.approx(0.4)


def test_sweep_takes_the_request_or_its_keywords_alike():
    # issue 24: sweep builds the one Request; its keywords are a thin layer over it
    from estimator.calc.sweep import chunk_frame, sweep_grid

    keywords = dict(gpu=["H100", "A100"], count=[8, 16], hours=[10], as_of="2025-06-30")
    by_keywords = sweep_grid(**keywords, tier="on_demand")
    request = Request.from_keywords(as_of="2025-06-30", tier="on_demand")
    by_request = sweep_grid(["H100", "A100"], [8, 16], [10], request=request)
    pd.testing.assert_frame_equal(chunk_frame(by_keywords, 0, by_keywords.rows),
                                  chunk_frame(by_request, 0, by_request.rows))
    assert by_request.price_date <= "2025-06-30"


@pytest.mark.parametrize("function, keywords", [
    ("sweep", dict(gpu="H100", count=8, hours=10)),
    ("plan", dict(params="7B", tokens="100B", gpu="H100"))])
def test_sweep_and_plan_refuse_a_bad_date_through_the_request(function, keywords):
    import estimator

    with pytest.raises(EstimatorError) as info:
        getattr(estimator, function)(**keywords, as_of="2025-02-30")
    assert info.value.key == "as_of"
