"""solve(): give all but one of count, hours (or GPU-hours), price and cost; get the missing one.

cost [USD] = count [GPU] x hours [h] x price [USD/(GPU·h)] (rental.py), solved for each term.
Without a price, the profile's price band gives low / typical / high solutions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from estimator.bands import DEFAULT_TIER
from estimator.calc.estimate import price_ranges, resolve_gpus
from estimator.calc.price_columns import add_price_columns, kind_axes
from estimator.calc.request import Request, finish
from estimator.calc.request_docs import documents_request
from estimator.data.fx import parsed_usd
from estimator.errors import InputError
from estimator.inputs.axes import check_derived, product_indices
from estimator.inputs.request import given_time, parse_axis, time_inputs
from estimator.models import rental


def _given(name, value, kind):
    return None if value is None else parse_axis(value, kind, name)


def _money(cost, on) -> np.ndarray:
    """The given cost(s) [USD]; other currencies at the rate of ``on`` (fx_date or as_of)."""
    money = parse_axis(cost, "money", "cost", on=on, to_usd=parsed_usd)
    if (money == 0).any():
        raise InputError("cost must be above zero", key="cost")
    return money


@documents_request
def solve(gpu="H800", count=None, hours=None, gpu_hours=None, price=None, cost=None, *,
          as_of=None, currency=None, fx_date=None, profiles=None, tier=DEFAULT_TIER,
          provider_class=None, dollars=None, deflator="ppi") -> pd.DataFrame:
    """Solve cost = count x hours x price for the one unknown.

    Give exactly one of these unknown: ``cost``; ``price`` (then count and hours, or
    gpu_hours, must be given); ``hours`` (with count; or gpu_hours, alone); ``count`` (with
    hours). ``price`` may be omitted when it is not the unknown: the GPU's price band is used
    and the result has _low / _typical / _high variants. (``cost_usd`` is the solved or given
    total; estimate() gives the same as ``cost_usd_typical``.)

    Parameters
    ----------
    gpu : str
        GPU id, alias or name ("H800").
    count : numeric or text, optional
        Number of GPUs [GPU].
    hours : numeric or text, optional
        Wall-clock duration [h] ("3.7 days").
    gpu_hours : numeric or text, optional
        Total GPU time [GPU·h] ("2.788M").
    price : numeric or text, optional
        Rental price [USD/(GPU·h)] ("2 USD/h", "14 CNY/h").
    cost : numeric or text, optional
        Total rental cost [USD, or another currency at ``fx_date``] ("5.576M USD").
    {request_parameters}

    Returns
    -------
    pandas.DataFrame
        One row per GPU: gpu, solved_for, count [GPU], hours [h], gpu_hours [GPU·h],
        cost_usd{,_low,_typical,_high} [USD], price_usd_per_gpu_hour [USD/(GPU·h)],
        band_usd_per_gpu_hour_{low,typical,high} and price_vs_band (where the price sits
        against the profile's band).
    """
    request = Request.from_keywords(as_of=as_of, fx_date=fx_date, currency=currency,
                                    profiles=profiles, tier=tier, provider_class=provider_class,
                                    dollars=dollars, deflator=deflator)
    as_of, tier, provider_class = request.as_of, request.tier, request.provider_class
    if hours is not None and gpu_hours is not None:
        raise InputError("give hours or gpu_hours, not both", key="hours")
    gpus = resolve_gpus(gpu, profiles)
    c, h, gh = _given("count", count, "count"), _given("hours", hours, "hours"), \
        _given("gpu_hours", gpu_hours, "gpu_hours")
    money = None if cost is None else _money(cost, request.fx_on)
    unknown = _unknown(count, hours, gpu_hours, price, money)
    # tiers and classes are axes: one row per GPU x class x tier, priced at (or, with a given
    # price, compared with) that tier's and class's band
    gpus, row_tiers, row_classes = kind_axes(gpus, tier, provider_class, as_of)
    kinds = {"tier": row_tiers, "provider_class": row_classes}
    band_labels, bands, used = price_ranges(gpus, price, as_of=as_of, fx_date=request.fx_date,
                                            **(kinds if price is None else {}))
    axes = [np.arange(len(gpus)), np.arange(len(bands) if price is not None else 1)] + [
        a for a in (c, h, gh, money) if a is not None]
    idx = product_indices([len(a) for a in axes])
    rows = {"gpu": np.array([p.id for p in gpus])[idx[0]], "solved_for": unknown}
    cols = iter(idx[2:])
    cv = c[next(cols)] if c is not None else None
    hv = h[next(cols)] if h is not None else None
    ghv = gh[next(cols)] if gh is not None else None
    mv = money[next(cols)] if money is not None else None
    band = bands.take(idx[1] if price is not None else idx[0])
    _fill(rows, unknown, cv, hv, ghv, mv, band, price is not None)
    _check_solved(rows, unknown)
    frame = pd.DataFrame(rows)
    _compare(frame, gpus, idx[0], as_of, kinds["tier"], kinds["provider_class"])
    add_price_columns(frame, [used[i] for i in (idx[1] if price is not None else idx[0])], tier,
                      price is not None, request.fx_on)
    if price is not None and len(set(zip(row_tiers, row_classes))) > 1:
        # a given price: the rows differ only in the band they are compared with; name it
        frame["band_tier"] = np.array(row_tiers)[idx[0]]
        if any(c is not None for c in row_classes):
            frame["band_provider_class"] = np.array([c or "all" for c in row_classes])[idx[0]]
    return finish(frame, request)


def _unknown(count, hours, gpu_hours, price, money) -> str:
    """Which of cost, price, hours, count or gpu_hours is to be solved for."""
    given = given_time(count, hours, gpu_hours)
    complete = given in ({"count", "hours"}, {"gpu_hours"}, {"gpu_hours", "count"})
    if money is None:
        time_inputs(count, hours, gpu_hours, modes=COMPLETE_MODES)   # raises the one message
        return "cost_usd"
    if price is None and complete:
        return "price_usd_per_gpu_hour"
    unknown = {frozenset({"count"}): "hours", frozenset({"hours"}): "count",
               frozenset(): "gpu_hours"}.get(frozenset(given))
    if unknown is None:
        raise InputError("give all but one of count, hours (or gpu_hours), price and cost",
                         key="cost", hint="E.g. --count 512 --cost 294000 --price 2 solves hours.")
    return unknown


COMPLETE_MODES = ("count*hours", "gpu_hours", "gpu_hours/count")
"""Time inputs that fix the GPU-hours (solving for the cost or the price)."""


def _fill(rows, unknown, c, h, gh, money, band, price_given) -> None:
    """Compute the unknown for each row; band holds each row's low/typical/high price
    [USD per GPU-hour] (RangeColumns)."""
    if gh is None and c is not None and h is not None:
        gh = rental.gpu_hours(c, h)
    if unknown == "price_usd_per_gpu_hour":
        rows.update(count=c, hours=h if h is not None else (gh / c if c is not None else None),
                    gpu_hours=gh, cost_usd=money, price_usd_per_gpu_hour=money / gh)
        return
    if unknown == "cost_usd":
        rows.update(count=c, hours=h if h is not None else (gh / c if c is not None else None),
                    gpu_hours=gh)
        for name, price in band.items():
            rows[f"cost_usd_{name}"] = rental.rental_cost_usd(gh, price)
        rows["cost_usd"] = rows["cost_usd_typical"]
        rows["price_usd_per_gpu_hour"] = band.typical
        return
    # unknown is hours, gpu_hours or count: GPU-hours = cost / price, at each price of the
    # band (the lowest price buys the most hours)
    per = {"hours": c, "count": h}.get(unknown)
    gh_at = {name: money / price for name, price in band.items()}
    solved = {name: value / per if per is not None else value for name, value in gh_at.items()}
    rows.update(count=c, hours=h, cost_usd=money, price_usd_per_gpu_hour=band.typical)
    rows[unknown] = solved["typical"]
    if not price_given or (band.low != band.high).any():
        rows[f"{unknown}_low"] = solved["high"]             # at the highest price
        rows[f"{unknown}_high"] = solved["low"]             # at the lowest price
    if unknown != "gpu_hours":
        rows["gpu_hours"] = gh_at["typical"]


SOLVED_KINDS = {"count": "count", "hours": "hours", "gpu_hours": "gpu_hours",
                "price_usd_per_gpu_hour": "price", "cost_usd": "money"}
"""units.KINDS of each column solve() can compute; their limits bound the solved values."""

INPUTS = {"count": "cost, price and hours", "hours": "cost, price and count",
          "gpu_hours": "cost and price", "price_usd_per_gpu_hour": "cost and GPU-hours",
          "cost_usd": "GPU-hours and price"}


def _check_solved(rows: dict, unknown: str) -> None:
    """Every computed column (the unknown, its low/high variants, derived GPU-hours and hours)
    within the documented limits of its kind; a solved count has no minimum (0.3 GPUs is an
    answer), a solved count above 1e9 GPUs is an error."""
    for column, kind in SOLVED_KINDS.items():
        for name in (column, f"{column}_low", f"{column}_high", f"{column}_typical"):
            if rows.get(name) is None:
                continue
            solved = "solved" if column == unknown else "derived"
            check_derived(rows[name], kind, f"{solved} {column}", INPUTS[unknown], key=column)


def _compare(frame: pd.DataFrame, gpus, gpu_index, as_of, tier=DEFAULT_TIER,
             provider_class=None) -> None:
    """Add the GPU's own price band (in ``tier``) and where the row's price sits against it;
    ``tier`` and ``provider_class`` may be lists, one per entry of ``gpus`` (kind_axes)."""
    lows, typs, highs, where = [], [], [], []
    per_entry = isinstance(tier, list)
    for i, price in zip(gpu_index, frame["price_usd_per_gpu_hour"]):
        if per_entry:
            tier_i, class_i = tier[i], provider_class[i]
        else:
            tier_i, class_i = tier, provider_class
        band = gpus[i].band(as_of, tier_i, class_i)
        if band is None and gpus[i].first_observation_date(tier_i) is not None:
            gpus[i].market_band(as_of, tier_i, class_i)   # raises: all after as_of
        if band is None:
            lows.append(np.nan), typs.append(np.nan), highs.append(np.nan)
            where.append("no market band")
            continue
        lows.append(band.low), typs.append(band.typical), highs.append(band.high)
        where.append(_position(price, band))
    frame["band_usd_per_gpu_hour_low"] = lows
    frame["band_usd_per_gpu_hour_typical"] = typs
    frame["band_usd_per_gpu_hour_high"] = highs
    frame["price_vs_band"] = where


def _position(price: float, band) -> str:
    if price > band.high:
        return f"above the band high ${band.high:.2f} ({price / band.high:.2f}x)"
    if price < band.low:
        return f"below the band low ${band.low:.2f} ({price / band.low:.2f}x)"
    return f"within the band ${band.low:.2f}-${band.high:.2f}"
