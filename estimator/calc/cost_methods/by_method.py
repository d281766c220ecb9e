"""estimate(): the cost of training runs by one or more of the field's methods.

Methods (``method``, a comma list):

* ``rental`` -- chip-hours x the profile's market price band (or ``price``); the default and
  what ``estimate()`` always did;
* ``cloud`` -- chip-hours x the 3-year committed-use price at the training date (Epoch AI's
  cloud method, arXiv 2405.21015);
* ``amortised`` -- the depreciated server value used up by the run, plus interconnect, plus
  energy (Epoch AI's amortised hardware capex + energy);
* ``acquisition`` -- count x the per-chip server price / (1 - interconnect share) (Epoch AI).

Prices come from the profile (price_sources.ProfilePrices); the costs from the one cost path
(costs.py). Ranges: each price is a lognormal input
of Epoch AI's Monte Carlo with a 90% interval of 0.5x-2x (the rental band keeps its observed
low/high); chip-hours imputed from ``flop`` use MFU 0.15-0.65 (typical 0.375,
models/constants.py) unless ``mfu`` is given. low pairs the low price with the low
chip-hours, high the high ones.
``scope="development"`` adds experiments and staff (models/development.py).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import numpy as np
import pandas as pd

from estimator import clock
from estimator.bands import Range
from estimator.calc import estimate as base
from estimator.calc.cost_methods import costs, rules
from estimator.calc.cost_methods.price_sources import ProfilePrices
from estimator.calc.deflator import deflate
from estimator.calc.price_columns import band_date, band_tier, price_kind
from estimator.calc.request import Request, finish
from estimator.calc.request_docs import documents_request
from estimator.errors import InputError, unknown_name
from estimator.inputs.axes import as_list, product_indices
from estimator.inputs.request import parse_axis, parse_band, parse_scalar, to_date
from estimator.models import constants, energy
from estimator.models import cost_formulas as formulas
from estimator.models import development as dev

METHODS = costs.METHODS
SCOPES = ("final-run", "all-stages", "development")
BAND = base.BAND


def parse_methods(method) -> list[str]:
    """The method names of a comma list (rental, cloud, amortised, acquisition)."""
    names = [str(m).strip().lower().replace("amortized", "amortised") for m in as_list(method)]
    for name in names:
        if name not in METHODS:
            raise unknown_name("method", name, METHODS, key="method")
    return list(dict.fromkeys(names)) or ["rental"]


def parse_scope(scope) -> str:
    scope = "final-run" if scope is None else str(scope).strip().lower()
    if scope not in SCOPES:
        raise unknown_name("scope", scope, SCOPES, key="scope")
    return scope


@documents_request
def estimate(gpu="H800", count=None, hours=None, gpu_hours=None, price=None, *,
             method=None, date=None, flop=None, mfu=None, precision="bf16", scope=None,
             dollar_year=None, depreciation=formulas.DEPRECIATION_OOM_PER_YEAR,
             server_factor=None,
             interconnect_share=formulas.INTERCONNECT_SHARE, electricity_price=None,
             pue=energy.DEFAULT_PUE, power_fraction=energy.DEFAULT_POWER_FRACTION,
             as_of=None, currency=None, fx_date=None, carbon_intensity=None,
             profiles=None, tier=None, provider_class=None, dollars=None,
             deflator="ppi", conventions="product") -> pd.DataFrame:
    """Training cost by method; one row per GPU x inputs x method.

    Without ``method``, ``flop`` and ``scope`` this is the rental calculator
    (calc/estimate.py). Otherwise the rows gain ``method``, ``date``,
    ``gpu_hours_low/high``, ``hardware_usd_per_gpu`` (server value per chip the method used),
    ``energy_usd``, ``basis`` (where the price came from) and ``dollars`` (the month of the
    nominal USD); ``tier`` and ``price_date`` say which price (rental: the band's; cloud:
    commit_3y at the date; amortised and acquisition: the date, no tier).

    Parameters
    ----------
    gpu, count, hours, gpu_hours, price, pue, power_fraction :
        As in ``calc.estimate.rental_estimate``: GPU names, GPUs [GPU], wall clock [h], GPU time
        [GPU·h], rental price [USD/(GPU·h)], PUE, share of TDP drawn.
    method : "rental" | "cloud" | "amortised" | "acquisition" or a list / comma list.
    date : date or "YYYY-MM-DD", optional
        Training start (default ``as_of``, else today): dates the cloud price (start - 60 d),
        the depreciation and the electricity price year.
    flop, mfu, precision : training compute [FLOP], utilisation (point or "low:high";
        default 0.375 in 0.15-0.65, models/constants.py) and the peak's precision; chip-hours =
        FLOP / (peak x MFU) / 3600. Give at most one of count and hours with ``flop``.
    scope : "final-run" (default), "all-stages" (the same for one run), "development"
        (adds ``experiments_usd_*``, ``staff_usd_*`` and ``total_usd_*``).
    {request_parameters}
    dollar_year : int, optional
        The older option: restate the money columns *in place* into constant
        December-``dollar_year`` USD from the training date (``dollars`` says so);
        scenarios/methods.py counts a claim's dollars with it.
    depreciation, server_factor, interconnect_share, electricity_price :
        Epoch AI's constants: 0.14 OOM/year, the chip's server price factor, 0.19, the US
        industrial price of the training year [USD/kWh].
    conventions : "product" (default) | "epoch"
        Where the product's defaults differ from Epoch AI's code (rules.Conventions;
        docs/epoch-method.md "Where the product differs"): "epoch" matches providers to the
        committed-use discounts case as written and skips providers outside that table,
        prices electricity in the year of the publication date Epoch's rule implies
        (start + wall clock, else 793.5 h, + 60 d) and refuses years outside the EIA table;
        "product" matches in any case, gives other providers AWS's discounts, prices
        electricity in the start year and takes the nearest year of the table.

    Returns
    -------
    pandas.DataFrame
        One row per combination: the rental columns of ``calc.estimate.rental_estimate``, or with
        a
        method the ``method``, ``cost_usd_low/typical/high`` [USD] and the columns above.
    """
    asked = {"tier": tier, "provider_class": provider_class}   # lists stay axes (kind_axes)
    tier, provider_class = price_kind(tier, provider_class)
    if dollars is not None and dollar_year is not None:
        raise InputError("give dollars or dollar_year, not both", key="dollars",
                         hint="dollars keeps the nominal columns and adds cost_real_usd_*.")
    if method is None and flop is None and scope is None and dollar_year is None:
        return base.rental_estimate(gpu, count, hours, gpu_hours, price, pue=pue,
                                    power_fraction=power_fraction, as_of=as_of,
                                    currency=currency, fx_date=fx_date,
                                    carbon_intensity=carbon_intensity, profiles=profiles,
                                    **asked, dollars=dollars, deflator=deflator)
    methods, scope = parse_methods(method if method is not None else "rental"), \
        parse_scope(scope)
    request = Request.from_keywords(as_of=as_of, fx_date=fx_date, currency=currency,
                                    carbon_intensity=carbon_intensity, profiles=profiles,
                                    tier=tier, provider_class=provider_class,
                                    dollars=dollars, deflator=deflator)
    as_of, fx_date = request.as_of, request.fx_date
    start = to_date(date, "date") or as_of or clock.today()
    options = _options(depreciation, server_factor, interconnect_share, electricity_price,
                       conventions)
    gpus = base.resolve_gpus(gpu, profiles)
    runs = _runs(gpus, count, hours, gpu_hours, flop, mfu, precision, pue, power_fraction)
    rental = (_rental_bands(gpus, price, as_of, fx_date, tier, provider_class)
              if "rental" in methods else None)
    rows = [_row(gpus[run["gpu_index"]], run, name, start, options, rental)
            for run in runs for name in methods]
    frame = pd.DataFrame(rows)
    _constant_dollars(frame, dollar_year, start)
    if scope == "development":
        add_development(frame)
    frame["scope"] = scope
    return finish(frame, request, real_prefixes=("cost", "total"))


def parse_conventions(name) -> rules.Conventions:
    """The conventions named (product, epoch)."""
    key = "product" if name is None else str(name).strip().lower()
    if key not in rules.CONVENTIONS:
        raise unknown_name("conventions", key, rules.CONVENTIONS, key="conventions")
    return rules.CONVENTIONS[key]


def _options(depreciation, server_factor, interconnect_share, electricity_price, conventions):
    share = parse_scalar(interconnect_share, "fraction", "interconnect_share")
    if share >= 1:
        raise InputError("interconnect share must be below 1", key="interconnect_share")
    factor = None if server_factor is None else parse_scalar(server_factor, "ratio",
                                                              "server_factor")
    kwh = None if electricity_price is None else parse_scalar(
        electricity_price, "electricity_price", "electricity_price")
    try:
        trend = float(depreciation)
    except (TypeError, ValueError):
        raise InputError(f"expected a number, got {depreciation!r}", key="depreciation",
                         hint="Orders of magnitude a year, e.g. 0.14.") from None
    if not 0 <= trend < 10:
        raise InputError("depreciation must be >= 0 orders of magnitude a year",
                         key="depreciation", hint="Epoch AI's is 0.14.")
    return costs.Options(trend_oom_per_year=trend, interconnect_share=share,
                         server_factor=factor, usd_per_kwh=kwh,
                         conventions=parse_conventions(conventions))


def _runs(gpus, count, hours, gpu_hours, flop, mfu, precision, pue, power_fraction) -> list:
    """One dict per GPU x time inputs x PUE x power fraction, with chip-hours low/typ/high."""
    pues = parse_axis(pue, "ratio", "pue")
    fractions = parse_axis(power_fraction, "fraction", "power_fraction")
    times = (_flop_times(gpus, count, hours, gpu_hours, flop, mfu, precision) if flop is not None
             else _given_times(gpus, count, hours, gpu_hours))
    runs = []
    for time in times:
        for p in pues:
            for f in fractions:
                runs.append({**time, "pue": float(p), "power_fraction": float(f)})
    return runs


def _given_times(gpus, count, hours, gpu_hours) -> list:
    axes, mode = base.time_axes(count, hours, gpu_hours)
    idx = product_indices([len(gpus)] + [len(a) for a in axes.values()])
    cols = base.time_columns({k: axes[k][i] for k, i in zip(axes, idx[1:])}, mode)
    return [{"gpu_index": int(g), "count": cols["count"][n], "hours": cols["hours"][n],
             "gpu_hours": cols["gpu_hours"][n], "gpu_hours_low": cols["gpu_hours"][n],
             "gpu_hours_high": cols["gpu_hours"][n], "mfu": np.nan}
            for n, g in enumerate(idx[0])]


def _flop_times(gpus, count, hours, gpu_hours, flop, mfu, precision) -> list:
    """Chip-hours from FLOP: FLOP / (peak x MFU) / 3600 (Epoch AI, docs/epoch-method.md §2.0)."""
    if gpu_hours is not None or (count is not None and hours is not None):
        raise InputError("with flop give at most one of count and hours (not gpu_hours)",
                         key="flop", hint="The chip-hours come from the FLOP and the MFU.")
    flops = parse_axis(flop, "flop", "flop")
    band = (Range.around(constants.DEFAULT_MFU, *constants.MFU_RANGE) if mfu is None
            else parse_band(mfu, "fraction", "mfu"))
    other = {"count": None if count is None else parse_scalar(count, "count", "count"),
             "hours": None if hours is None else parse_scalar(hours, "hours", "hours")}
    out = []
    for g, profile in enumerate(gpus):
        peak = profile.peak_tflops(precision) * 1e12
        for total in flops:
            low, typical, high = (float(formulas.chip_hours_from_flop(total, peak, u))
                                  for u in (band.high, band.typical, band.low))
            n, h = other["count"], other["hours"]
            n = typical / h if h else n
            h = typical / n if n else h
            out.append({"gpu_index": g, "count": n if n else np.nan, "hours": h if h else np.nan,
                        "gpu_hours": typical, "gpu_hours_low": low, "gpu_hours_high": high,
                        "mfu": band.typical, "flop": float(total)})
    return out


def _rental_bands(gpus, price, as_of, fx_date, tier, provider_class) -> list:
    """Per GPU: (the rental price band [USD/GPU-h] as low/typical/high, its tier, its price
    date) from the profile band, or the one given price."""
    labels, _, bands = base.price_ranges(gpus, price, as_of=as_of, fx_date=fx_date,
                                         tier=tier, provider_class=provider_class)
    table = [np.array([b.low, b.typical, b.high], dtype=float) for b in bands]
    if price is not None and len(labels) > 1:
        raise InputError("give one price (or one low:high range) with --method", key="price")
    given = price is not None
    return [(table[0], band_tier(bands[0], tier, True), band_date(bands[0], fx_date or as_of))
            if given else (table[i], band_tier(bands[i], tier, False),
                           band_date(bands[i], as_of)) for i in range(len(gpus))]


def _row(profile, run, method, start, options, rental) -> dict:
    row = {"gpu": profile.id, "method": method, "date": start.isoformat(),
           **{k: v for k, v in run.items() if k != "gpu_index"}}
    hours = np.array([run["gpu_hours_low"], run["gpu_hours"], run["gpu_hours_high"]])
    the_run = costs.Run(profile.name, hours, count=run["count"],
                        tdp_w=float(profile.tdp_w or np.nan), pue=run["pue"],
                        power_fraction=run["power_fraction"], label=profile.id)
    if method == "rental":
        cost = costs.rental(rental[run["gpu_index"]][0], the_run)
    else:
        source = ProfilePrices(profile, conventions=options.conventions, tables=options.tables)
        year = rules.electricity_year_of(options.conventions, start=start,
                                         publication=rules.publication_date(
                                             start, run["hours"], tables=options.tables))
        cost = costs.method_cost(method, source, the_run, start,
                                 replace(options, electricity_year=year))
    row["tier"], row["price_date"] = _which_price(method, run, start, rental)
    for i, name in enumerate(BAND):
        row[f"price_usd_per_gpu_hour_{name}"] = cost.rate[i]
    for i, name in enumerate(BAND):
        row[f"cost_usd_{name}"] = float(cost.cost[i])
    row["hardware_usd_per_gpu"] = cost.per_gpu[1]
    row["energy_usd"] = cost.energy_usd
    row["energy_kwh"] = (cost.energy_kwh if method == "amortised" else float(energy.energy_kwh(
        run["gpu_hours"], energy.average_power_w(profile.tdp_w or np.nan,
                                                 run["power_fraction"]), run["pue"])))
    row["basis"] = cost.basis
    row["warnings"] = cost.warning
    return row


def _which_price(method: str, run: dict, start: dt.date, rental) -> tuple:
    """(tier, price date) of a method row: the rental band's, else the training date."""
    if method == "rental":
        return rental[run["gpu_index"]][1:]
    return (formulas.THREE_YEAR if method == "cloud" else "", start.isoformat())


def _constant_dollars(frame: pd.DataFrame, dollar_year, start: dt.date) -> None:
    """Costs in constant December-``dollar_year`` USD (or nominal USD of the date's month)."""
    if dollar_year is None:
        frame["dollars"] = f"nominal {start:%Y-%m}"
        return
    year = int(parse_scalar(dollar_year, "number", "dollar_year"))
    factor = float(deflate(1.0, start, year))
    for column in [c for c in frame.columns if c.startswith(("cost_usd_", "price_usd_"))] + [
            "hardware_usd_per_gpu", "energy_usd"]:
        frame[column] = frame[column] * factor
    frame["dollars"] = f"constant Dec-{year}"


def add_development(frame: pd.DataFrame) -> None:
    """Experiments, staff and total columns (models/development.py); NaN for acquisition
    (a fleet's purchase is not a cost of use that experiments multiply)."""
    use = frame["method"] != "acquisition"
    factors, shares = dev.experiment_factors(), dev.staff_shares()
    for name, factor, share in zip(BAND, factors, shares):
        final = frame[f"cost_usd_{name}"].where(use)
        experiments = dev.experiments_usd(final, factor)
        staff = dev.staff_usd(final + experiments, share)
        frame[f"experiments_usd_{name}"] = experiments
        frame[f"staff_usd_{name}"] = staff
        frame[f"total_usd_{name}"] = final + experiments + staff
