"""The friendly API: names and quantities in, pandas DataFrames out.

``rental_estimate()`` is the rental what-if calculator behind ``estimator cost`` (the API's one
``estimate``, calc/cost_methods/by_method.py, calls it when no other method is asked for), plus
the helpers the calculators share: resolving GPU names and the price bands they use. Every
argument may be a scalar or a list; lists form the cartesian product, one row per combination.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from estimator.bands import DEFAULT_TIER, RANGE_ENDS, Band, RangeColumns
from estimator.calc.price_columns import add_price_columns, kind_axes, price_kind
from estimator.calc.request import Request, finish
from estimator.calc.request_docs import documents_request
from estimator.data.fx import parsed_usd
from estimator.data.profiles import HardwareProfile, load_profiles
from estimator.errors import EstimatorError, InputError
from estimator.inputs.axes import as_list, check_derived, product_indices
from estimator.inputs.request import is_range, parse_axis, parse_band, time_inputs, to_date
from estimator.models import energy, rental

BAND = RANGE_ENDS


def resolve_gpus(gpu, profiles=None) -> list[HardwareProfile]:
    """Profiles for one GPU name or a list of names."""
    names = as_list(gpu)
    if not names:
        raise InputError("no GPU given", key="gpu", hint="Pass e.g. gpu='H800'.")
    table = load_profiles(profiles)
    try:
        found = [table.get(name) for name in names]
    except EstimatorError as exc:
        raise exc.located(key="gpu")
    for p in found:
        if p.id in table.replaced:
            warnings.warn(f"{p.id}: using {table.replaced[p.id]}, which replaces the "
                          "built-in profile", stacklevel=2)
    return found


def price_ranges(gpus: list[HardwareProfile], price=None, *, as_of=None,
                 fx_date=None, tier=DEFAULT_TIER,
                 provider_class=None) -> tuple[list[str], RangeColumns, list[Band]]:
    """Labels, the low/typical/high prices [USD per GPU-hour] as named columns (one row per
    label), and the bands used.

    Without ``price`` each GPU's band comes from its profile at ``as_of`` within ``tier``
    and ``provider_class`` (HardwareProfile.market_band; lists of one tier and class per GPU
    from :func:`estimator.calc.price_columns.kind_axes` price each row at its own); with it, each
    given price (or "low:high" range, typical = midpoint) applies to every GPU.
    """
    if price is None:
        if isinstance(tier, list) and len(tier) == len(gpus):     # per row (kind_axes)
            kinds = list(zip(tier, provider_class or [None] * len(gpus)))
        else:
            kinds = [price_kind(tier, provider_class)] * len(gpus)
        bands = [p.market_band(as_of, t, c) for p, (t, c) in zip(gpus, kinds)]
        return [p.id for p in gpus], RangeColumns.of(bands), bands
    items = list(parse_axis(price, "price", "price")) if is_range(price) else as_list(price)
    bands = [parse_band(item, "price", "price", on=fx_date or as_of, to_usd=parsed_usd)
             for item in items]
    return [str(item) for item in items], RangeColumns.of(bands), bands


@documents_request
def rental_estimate(gpu="H800", count=None, hours=None, gpu_hours=None, price=None, *,
                    pue=energy.DEFAULT_PUE, power_fraction=energy.DEFAULT_POWER_FRACTION,
                    as_of=None, currency=None, fx_date=None, carbon_intensity=None,
                    profiles=None, tier=DEFAULT_TIER, provider_class=None, dollars=None,
                    deflator="ppi") -> pd.DataFrame:
    """Rental cost range, GPU-hours and energy of training runs; one row per combination.

    Parameters
    ----------
    gpu : str or list of str
        GPU id, alias or name ("H800", "nvidia-h100-sxm5-80gb").
    count : numeric, text or list
        Number of GPUs [GPU].
    hours : numeric, text or list
        Wall-clock duration [h]; text may carry units ("3.7 days").
    gpu_hours : numeric, text or list
        Total GPU time [GPU·h] ("2.788M"). Give either count and hours, or gpu_hours
        (optionally with count or hours to get the other).
    price : numeric, text or list, optional
        Rental price [USD/(GPU·h)] ("2 USD/h", "14 CNY/h", "1.5:3"); default: each GPU's
        price band from its profile (low / typical / high).
    pue, power_fraction : numeric or list
        Power usage effectiveness and average draw as a share of TDP (energy.py).
    {request_parameters}

    Returns
    -------
    pandas.DataFrame with columns gpu, count, hours, gpu_hours,
    price_usd_per_gpu_hour_{low,typical,high}, cost_usd_{low,typical,high}, energy_kwh,
    pue, power_fraction, tier, price_date, and, when asked for, cost_real_usd_{low,typical,
    high} and dollar_year, cost_<cur>_{low,typical,high}, fx_rate_<cur>_per_usd, co2e_t.
    """
    request = Request.from_keywords(as_of=as_of, fx_date=fx_date, currency=currency,
                                    carbon_intensity=carbon_intensity, profiles=profiles,
                                    tier=tier, provider_class=provider_class,
                                    dollars=dollars, deflator=deflator)
    as_of, fx_date = request.as_of, request.fx_date
    gpus = resolve_gpus(gpu, profiles)
    kinds = {"tier": tier, "provider_class": provider_class}
    if price is None:       # tiers and classes are axes: one row per GPU x class x tier
        gpus, row_tiers, row_classes = kind_axes(gpus, tier, provider_class, as_of)
        kinds = {"tier": row_tiers, "provider_class": row_classes}
    price_labels, prices, bands = price_ranges(gpus, price, as_of=as_of, fx_date=fx_date,
                                               **kinds)
    axes, mode = time_axes(count, hours, gpu_hours)
    if price is not None:
        axes["price"] = np.arange(len(price_labels))
    axes["pue"] = parse_axis(pue, "ratio", "pue")
    axes["power_fraction"] = parse_axis(power_fraction, "fraction", "power_fraction")
    names = ["gpu"] + list(axes)
    idx = dict(zip(names, product_indices([len(gpus)] + [len(a) for a in axes.values()])))
    columns = time_columns({k: axes[k][idx[k]] for k in axes
                            if k in ("count", "hours", "gpu_hours")}, mode)
    band_rows = prices.take(idx["price"] if price is not None else idx["gpu"])
    tdp = np.array([p.tdp_w if p.tdp_w else np.nan for p in gpus])[idx["gpu"]]
    frame = _frame(np.array([p.id for p in gpus])[idx["gpu"]], columns, band_rows, tdp,
                   axes["pue"][idx["pue"]], axes["power_fraction"][idx["power_fraction"]])
    row_bands = [bands[i] for i in (idx["price"] if price is not None else idx["gpu"])]
    add_price_columns(frame, row_bands, request.tier, price is not None, request.fx_on)
    return finish(frame, request)


def market_bands(gpu, as_of=None, profiles=None, tier=DEFAULT_TIER,
                 provider_class=None) -> dict:
    """GPU id -> the market price Band a cost frame used (None where a GPU has none), with
    the observations behind it: what `estimate()` prices with when no price is given."""
    as_of = to_date(as_of, "as_of")
    tier, provider_class = price_kind(tier, provider_class)
    return {p.id: p.band(as_of, tier, provider_class) for p in resolve_gpus(gpu, profiles)}


def time_axes(count, hours, gpu_hours) -> tuple[dict, str]:
    """The given time inputs as axes, and their combination (request.time_inputs)."""
    values = {"count": count, "hours": hours, "gpu_hours": gpu_hours}
    time = time_inputs(count, hours, gpu_hours)
    return {k: parse_axis(values[k], k, k) for k in ("count", "hours", "gpu_hours")
            if k in time.given}, time.mode


def time_columns(cols: dict, mode: str) -> dict:
    """Fill in count / hours / gpu_hours from the two (or one) given."""
    if mode == "count*hours":
        cols["gpu_hours"] = rental.gpu_hours(cols["count"], cols["hours"])
    elif mode == "gpu_hours/count":
        cols["hours"] = rental.wall_clock_hours(cols["gpu_hours"], cols["count"])
    elif mode == "gpu_hours/hours":
        cols["count"] = rental.gpu_count(cols["gpu_hours"], cols["hours"])
    derived = {"count*hours": ("gpu_hours", "count and hours"),
               "gpu_hours/count": ("hours", "gpu_hours and count"),
               "gpu_hours/hours": ("count", "gpu_hours and hours")}.get(mode)
    if derived:
        check_derived(cols[derived[0]], derived[0], f"computed {derived[0]}", derived[1])
    n = len(cols["gpu_hours"])
    return {k: cols.get(k, np.full(n, np.nan)) for k in ("count", "hours", "gpu_hours")}


def _frame(gpu_ids, time_cols, band_rows: RangeColumns, tdp_w, pue,
           power_fraction) -> pd.DataFrame:
    gh = time_cols["gpu_hours"]
    data = {"gpu": gpu_ids, **time_cols}
    for name, price in band_rows.items():
        data[f"price_usd_per_gpu_hour_{name}"] = price
    for name, price in band_rows.items():
        data[f"cost_usd_{name}"] = rental.rental_cost_usd(gh, price)
    data["energy_kwh"] = energy.energy_kwh(gh, energy.average_power_w(tdp_w, power_fraction), pue)
    data["pue"] = pue
    data["power_fraction"] = power_fraction
    return pd.DataFrame(data)
