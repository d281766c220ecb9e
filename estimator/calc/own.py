"""own(): fleet capital cost and the cost per GPU-hour of owning rather than renting."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from estimator import clock
from estimator.bands import DEFAULT_TIER, Band, Range, RangeColumns, derive_purchase_band
from estimator.calc.estimate import price_ranges, resolve_gpus
from estimator.calc.price_columns import add_price_columns, kind_axes
from estimator.calc.request import Request, finish
from estimator.calc.request_docs import documents_request
from estimator.data.fx import parsed_usd
from estimator.errors import InputError
from estimator.inputs.axes import product_indices
from estimator.inputs.request import parse_axis, parse_quantity, parse_quantity_range, parse_scalar
from estimator.models import ownership as om
from estimator.models.energy import DEFAULT_PUE


def _purchase_band(profile, purchase_price, as_of: dt.date | None) -> Band:
    if purchase_price is not None:
        low, high = (parsed_usd(p, as_of, "purchase_price")
                     for p in parse_quantity_range(purchase_price, "money", key="purchase_price"))
        return Band.given(low, high)
    band = derive_purchase_band(profile.purchase, as_of or clock.today())
    if band is None:
        raise InputError(f"{profile.name} has no purchase price observation",
                         key="purchase_price", hint="Pass --purchase-price, e.g. 30000.")
    return band


def capex_input_bands(purchase: Band | None, server_overhead=None,
                      interconnect_share=None) -> dict[str, Range]:
    """The capex policy shared by `own` and scenario capex claims, as input ranges (the
    purchase price a price Band, the policy ones Ranges).

    low is the chips alone at the lowest purchase price (a floor: no server, no network);
    typical the median price x the midpoint of the server overhead range / (1 - interconnect
    share); high the highest price x the top of the overhead range, same share (Epoch AI,
    arXiv 2405.21015; models/ownership.py). ``server_overhead`` is a (low, high) pair
    (default 1.54-1.69), ``interconnect_share`` a fraction (default 0.19); ``purchase`` is the
    purchase price band [USD per GPU] (NaN where there is none).
    """
    low_oh, high_oh = server_overhead or om.SERVER_OVERHEAD
    share = om.INTERCONNECT_SHARE if interconnect_share is None else interconnect_share
    mid = (low_oh + high_oh) / 2
    nan = float("nan")
    return {
        "purchase_usd": purchase or Band(nan, nan, nan),
        "server_overhead": Range(1.0, mid, high_oh, mid, rule="policy"),
        "interconnect_share": Range(0.0, share, share, share, rule="policy"),
    }


@documents_request
def own(gpu="H100", count=1, *, lifetime=om.DEFAULT_LIFETIME_YEARS,
        utilisation=om.DEFAULT_UTILISATION, electricity=om.DEFAULT_ELECTRICITY_USD_PER_KWH,
        pue=DEFAULT_PUE,
        server_overhead=f"{om.SERVER_OVERHEAD[0]}:{om.SERVER_OVERHEAD[1]}",
        interconnect_share=om.INTERCONNECT_SHARE,
        server_power_factor=om.DEFAULT_SERVER_POWER_FACTOR, purchase_price=None, price=None,
        as_of=None, currency=None, fx_date=None, profiles=None, tier=DEFAULT_TIER,
        provider_class=None, dollars=None, deflator="ppi") -> pd.DataFrame:
    """Capital cost of a fleet and its cost per utilised GPU-hour, low / typical / high.

    low is the chips alone at the lowest purchase observation (a floor: no server, no
    network); typical is the median observation x the midpoint of Epoch AI's server overhead
    (1.54-1.69) / (1 - interconnect share 0.19); high the highest observation x the top of
    the overhead range, same share. See models/ownership.py for the formulas and their
    sources. ``breakeven_utilisation`` compares the typical cost with the typical rental
    price (the profile's band within ``tier`` and ``provider_class``, or ``price``; its ``tier``
    and ``price_date`` are columns); ``dollars`` adds ``capex_real_usd_*``.

    Parameters
    ----------
    gpu : str
        GPU id, alias or name ("H100").
    count : numeric or text
        Number of GPUs in the fleet [GPU].
    lifetime : numeric or text
        Depreciation period [years].
    utilisation : numeric or text
        Share of the lifetime the GPUs are busy [fraction].
    electricity : numeric or text
        Electricity price [USD/kWh].
    pue : numeric or text
        Power usage effectiveness [ratio].
    server_overhead : numeric or text
        Server cost over the chips' [ratio], a point or "low:high".
    interconnect_share : numeric or text
        Share of the cluster's cost that is network [fraction].
    server_power_factor : numeric or text
        Server power over the GPUs' TDP [ratio].
    purchase_price : numeric or text, optional
        Price per GPU [USD, or another currency at ``fx_date``], a point or "low:high";
        default: the profile's purchase observations.
    price : numeric or text, optional
        Rental price to compare with [USD/(GPU·h)]; default: the profile's band.
    {request_parameters}

    Returns
    -------
    pandas.DataFrame
        One row: gpu, count, lifetime_years, utilisation,
        purchase_usd_per_gpu_{low,typical,high} [USD], capex_usd_{low,typical,high} [USD],
        power_usd_per_gpu_hour, cost_usd_per_gpu_hour_{low,typical,high},
        rental_usd_per_gpu_hour_typical [USD/(GPU·h)], breakeven_utilisation [fraction].
    """
    request = Request.from_keywords(as_of=as_of, fx_date=fx_date, currency=currency,
                                    profiles=profiles, tier=tier, provider_class=provider_class,
                                    dollars=dollars, deflator=deflator)
    as_of, fx_date = request.as_of, request.fx_date
    gpus = resolve_gpus(gpu, profiles)
    kinds = {"tier": tier, "provider_class": provider_class}
    if price is None:       # tiers and classes are axes: one row per GPU x class x tier
        gpus, row_tiers, row_classes = kind_axes(gpus, tier, provider_class, as_of)
        kinds = {"tier": row_tiers, "provider_class": row_classes}
    counts = parse_axis(count, "count", "count")
    years = parse_axis(lifetime, "years", "lifetime")
    utils = parse_axis(utilisation, "fraction", "utilisation")
    lo_oh, hi_oh = (p.value for p in parse_quantity_range(server_overhead, "ratio",
                                                         key="server_overhead"))
    share = parse_quantity(interconnect_share, "fraction", key="interconnect_share").value
    if share >= 1:
        raise InputError("interconnect share must be below 1", key="interconnect_share")
    kwh_price = parse_scalar(electricity, "electricity_price", key="electricity")
    pue_v = parse_scalar(pue, "ratio", key="pue")
    factor = parse_scalar(server_power_factor, "ratio", key="server_power_factor")
    policy = [capex_input_bands(_purchase_band(p, purchase_price, as_of), (lo_oh, hi_oh), share)
              for p in gpus]
    purchase = RangeColumns.of(bands["purchase_usd"] for bands in policy)   # [USD per GPU]
    labels, rent, rent_bands = price_ranges(gpus, price, as_of=as_of, fx_date=fx_date,
                                            **kinds)
    if price is not None and len(labels) > 1:
        raise InputError("own takes one rental price to break even against", key="price")
    rent = rent if price is None else rent.take(np.zeros(len(gpus), dtype=int))
    g, c, y, u = product_indices([len(gpus), len(counts), len(years), len(utils)])
    overhead, share_range = policy[0]["server_overhead"], policy[0]["interconnect_share"]
    capex = {name: om.capex_per_gpu_usd(column[g], getattr(overhead, name),
                                        getattr(share_range, name))
             for name, column in purchase.items()}
    tdp = np.array([p.tdp_w or np.nan for p in gpus])[g]
    power = om.power_usd_per_gpu_hour(tdp, kwh_price, pue_v, factor)
    data = {"gpu": np.array([p.id for p in gpus])[g], "count": counts[c],
            "lifetime_years": years[y], "utilisation": utils[u]}
    for name, column in purchase.items():
        data[f"purchase_usd_per_gpu_{name}"] = column[g]
    for name in capex:
        data[f"capex_usd_{name}"] = om.fleet_capex_usd(counts[c], capex[name])
    data["power_usd_per_gpu_hour"] = power
    for name in capex:
        data[f"cost_usd_per_gpu_hour_{name}"] = om.ownership_usd_per_gpu_hour(
            capex[name], years[y], utils[u], power)
    data["rental_usd_per_gpu_hour_typical"] = rent.typical[g]
    data["breakeven_utilisation"] = om.breakeven_utilisation(capex["typical"], years[y], power,
                                                             rent.typical[g])
    frame = pd.DataFrame(data)
    add_price_columns(frame, [rent_bands[0 if price is not None else i] for i in g],
                      request.tier, price is not None, request.fx_on)
    return finish(frame, request, real_prefixes=("capex",), currency_prefix="capex")
