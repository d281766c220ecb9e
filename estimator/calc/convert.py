"""convert(): money between currencies at dated ECB reference rates."""

from __future__ import annotations

import pandas as pd

from estimator.calc.estimate import to_date
from estimator.data.fx import load_fx
from estimator.inputs.request import parse_quantity


def convert(amount, to: str, on=None) -> pd.DataFrame:
    """Convert ``amount`` to currency ``to`` at the ECB reference rate.

    The rate is the ECB reference rate of ``on`` or the nearest earlier publication date
    (both rates when neither side is USD: cross via USD).

    Parameters
    ----------
    amount : numeric or text
        Money with its currency ("5.576M USD", "60M SEK"); a bare number is USD.
    to : str
        Target currency code ("SEK").
    on : date or "YYYY-MM-DD", optional
        Date of the rate (default: the latest published).

    Returns
    -------
    pandas.DataFrame
        One row: amount, currency, to, result [``to``], rate [``to`` per unit of the
        source currency], fx_date (the publication date used), source.
    """
    parsed = parse_quantity(amount, "money", key="amount")
    on = to_date(on, "on")
    table = load_fx()
    source = table.rate(parsed.currency, on)
    target = table.rate(to, on)
    usd = parsed.value / source.per_usd
    result = usd * target.per_usd
    dates = {r.date for r in (source, target) if r.currency != "USD"}
    return pd.DataFrame([{
        "amount": parsed.value, "currency": parsed.currency, "to": target.currency,
        "result": result, "rate": target.per_usd / source.per_usd,
        "fx_date": max(dates).isoformat() if dates else None,
        "source": "; ".join(sorted({r.source for r in (source, target) if r.currency != "USD"})),
    }])
