"""Dated exchange rates (estimator/fx.py, fx_api.py).

Rates: ECB euro foreign exchange reference rates
(https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/),
crossed through USD: 2025-01-31 SEK 11.474 and USD 1.0393 per EUR -> 11.040 SEK per USD.
"""

import datetime as dt

import pytest

import estimator
from estimator.data.fx import load_fx
from estimator.errors import InputError, UnknownNameError

SEK_0131 = 11.474 / 1.0393     # SEK per USD on 2025-01-31 (ECB: SEK 11.474, USD 1.0393 per EUR)
EUR_0131 = 1 / 1.0393


def test_nearest_earlier_date_is_used():
    rate = load_fx().rate("SEK", dt.date(2025, 2, 2))     # a Sunday
    assert (rate.per_usd, rate.date) == (pytest.approx(SEK_0131), dt.date(2025, 1, 31))
    # 19 Sep 2025: CNY 8.351 and USD 1.1736 per EUR
    assert load_fx().rate("CNY", dt.date(2025, 9, 19)).per_usd == pytest.approx(8.351 / 1.1736)


def test_swedish_article_60_million_kronor():
    # $5.576M (DeepSeek-V3 Table 1) at the ECB rate of 31 Jan 2025 is 61.6M SEK.
    row = estimator.convert("5.576M USD", to="SEK", on="2025-02-02").iloc[0]
    assert row["result"] == pytest.approx(61.56e6, rel=1e-3)
    assert row["fx_date"] == "2025-01-31"


def test_cross_rate_between_two_non_usd_currencies():
    row = estimator.convert("100 EUR", to="SEK", on="2025-01-31").iloc[0]
    assert row["result"] == pytest.approx(100 * SEK_0131 / EUR_0131)


def test_errors():
    with pytest.raises(UnknownNameError, match="unknown currency 'XYZ'"):
        load_fx().rate("XYZ")
    with pytest.raises(InputError, match="no SEK rate on or before 1998-12-31"):
        load_fx().rate("SEK", dt.date(1998, 12, 31))     # the ECB series starts 1999-01-04


def test_cost_in_sek(run_json):
    [row] = run_json("cost", "--gpu", "H800", "--gpu-hours", "2.788M", "--price", "2",
                     "--currency", "SEK", "--fx-date", "2025-01-31")
    assert row["cost_sek_typical"] == pytest.approx(5.576e6 * SEK_0131)
    assert row["fx_rate_sek_per_usd"] == pytest.approx(SEK_0131, abs=1e-4)
    assert row["fx_date"] == "2025-01-31"


def test_currency_on_solve_sweep_and_simulate(run_json):
    import estimator

    [row] = run_json("solve", "--gpu", "H800", "--count", "512", "--hours", "80", "--cost",
                     "294000", "--currency", "SEK", "--fx-date", "2025-09-19")
    assert row["cost_sek"] == pytest.approx(294_000 * 11.0705 / 1.1736)
    frame = estimator.sweep(gpu="H800", count=[512], hours=[80], price=2, currency="EUR",
                            fx_date="2025-01-31")
    assert frame["cost_eur_typical"].iloc[0] == pytest.approx(81_920 * EUR_0131)
    sim = estimator.simulate(gpu="H800", count=512, hours=80, price=2, n=100, seed=1,
                             currency="SEK", fx_date="2025-01-31")
    sek = sim.summary.set_index("output").loc["cost_sek"]
    assert sek["p50"] == pytest.approx(81_920 * SEK_0131)
