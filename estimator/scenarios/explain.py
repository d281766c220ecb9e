"""One or two sentences saying why a claim got its verdict."""

from __future__ import annotations

import math

from estimator.render.output import fmt_number
from estimator.scenarios.implied import stated_price

RANGE_BASIS = {
    "cost": "the market price band", "capex": "observed purchase prices and server overhead",
    "gpu_hours": "the MFU range", "hours": "the MFU range", "flop": "the MFU range",
    "energy": "the power-draw and PUE ranges", "co2": "the energy and grid-intensity ranges",
}


def fmt(value: float, claim) -> str:
    """A value in the claim's unit, for sentences: '$294,000', '61.6M SEK', '2,788,000 GPU-hours'."""
    if value is None or not math.isfinite(value):
        return "n/a"
    if claim.is_money:
        text = _money(value)
        return f"${text}" if claim.currency == "USD" else f"{text} {claim.currency}"
    if claim.quantity == "flop":
        return f"{value:.3g} FLOP"
    return f"{fmt_number(value)} {claim.unit}"


def _money(value: float) -> str:
    if abs(value) >= 1e9:
        return f"{value / 1e9:.3g}B"
    if abs(value) >= 1e7:
        return f"{value / 1e6:.3g}M"
    return fmt_number(value)


QUANTITY_LABELS = {"cost": "cost", "capex": "capital cost", "gpu_hours": "GPU-hour total",
                   "hours": "wall clock", "flop": "training compute", "energy": "energy",
                   "co2": "CO2e"}


def _span(v, c) -> str:
    if math.isclose(v.low, v.high, rel_tol=1e-9):
        return f"the {fmt(v.low, c)}"
    return f"the range {fmt(v.low, c)} to {fmt(v.high, c)}"


def explain(result, scenario, stages, totals) -> str:
    c, v = result.claim, result.computed
    claimed = fmt(c.value, c) if c.relation != "between" else \
        f"{fmt(c.value, c)} to {fmt(c.high, c)}"
    relation = {"approx": "", "at_least": "at least ", "at_most": "at most ",
                "between": ""}[c.relation]
    span = _span(v, c)
    basis = RANGE_BASIS[c.quantity]
    stated = math.isfinite(v.stated)
    assumptions = _assumption_text(scenario, stages)
    if result.verdict == "reproduced":
        text = (f"At the source's own assumptions ({assumptions}) the "
                f"{QUANTITY_LABELS[c.quantity]} comes to {fmt(v.stated, c)}, which matches the "
                f"claimed {relation}{claimed}")
        if c.relation == "approx":
            text += f" within {c.tolerance * 100:g}% (factor {result.factor:.3f})"
        return text + "." + _compare_sentence(result)
    if result.verdict == "consistent":
        text = (f"The claimed {relation}{claimed} fits {span} computed across "
                f"{basis} (typical {fmt(v.typical, c)})")
        if stated:
            text += f"; at the source's own assumptions it would be {fmt(v.stated, c)}"
        return text + "." + _implied_sentence(result, stages) + _compare_sentence(result)
    ref_text = (f"the {fmt(v.stated, c)} computed at the source's own assumptions ({assumptions})"
                if stated else f"the typical {fmt(v.typical, c)}")
    where = "outside" if span.startswith("the range") else "and differs from"
    text = (f"The claimed {relation}{claimed} is {_times(result.factor)} {ref_text}, {where} "
            f"{span} computed across {basis}.")
    return text + _implied_sentence(result, stages) + _currency_hint(result, scenario, totals)


def _times(factor: float) -> str:
    """'3.59x' for sentences; a factor against a computed zero is no number ('infx')."""
    if factor is None or not math.isfinite(factor):
        return "not a finite multiple of"
    return f"{factor:.3g}x"


def _assumption_text(scenario, stages) -> str:
    parts = []
    price = stated_price(scenario, stages)
    if price is not None:
        parts.append(f"${price:.2f} per GPU-hour")
    gh = sum(s.values["gpu_hours"].stated for s in stages)
    if math.isfinite(gh):
        parts.append(f"{fmt_number(gh)} GPU-hours")
    return ", ".join(parts) or "as stated"


def _implied_sentence(result, stages) -> str:
    implied, c = result.implied, result.claim
    parts = []
    if "price_usd_per_gpu_hour" in implied:
        p = implied["price_usd_per_gpu_hour"]
        parts.append(f"${p:.2f} per GPU-hour{_band_position(p, stages)}")
    if "hours" in implied and c.quantity == "cost":
        parts.append(f"{fmt_number(implied['hours'])} h at the stated price")
    elif "gpu_hours" in implied and c.quantity == "cost":
        parts.append(f"{fmt_number(implied['gpu_hours'])} GPU-hours at the stated price")
    count_label = ("{:,.0f} GPUs at the typical cost per GPU" if c.quantity == "capex"
                   else "{:,.0f} GPUs")
    labels = {"mfu": "an MFU of {:.3g}", "count": count_label,
              "capex_usd_per_gpu": "${:,.0f} per GPU",
              "power_w_per_gpu": "{:,.0f} W per GPU (facility, incl. PUE)",
              "carbon_intensity_kg_per_kwh": "a grid intensity of {:.3g} kg CO2e/kWh"}
    for key, label in labels.items():
        if key in implied and math.isfinite(implied[key]):
            parts.append(label.format(implied[key]))
    fx = [k for k in implied if k.startswith("fx_rate_")]
    for key in fx:
        parts.append(f"an exchange rate of {implied[key]:.3g} {c.currency} per USD"
                     + (f" (ECB: {result.fx.per_usd:.4g} on {result.fx.date})" if result.fx
                        else ""))
    if not parts:
        return ""
    if c.relation == "approx":
        return " The claim would be exact at " + ", or ".join(parts) + "."
    return " The claim's bound is met exactly at " + ", or ".join(parts) + "."


def _compare_sentence(result) -> str:
    c = result.claim
    if c.compare_to is None:
        return ""
    ratio = result.computed.typical / c.compare_to
    return (f" The typical computed value is {ratio:,.3g}x {c.compare_label or 'the comparison'}"
            f" ({fmt(c.compare_to, c)}).")


def _band_position(price: float, stages) -> str:
    bands = [s.price_band for s in stages if s.price_band is not None]
    if not bands:
        return ""
    high = max(b.high for b in bands)
    low = min(b.low for b in bands)
    if price > high:
        return f" (above every observed market price; highest ${high:.2f})"
    if price < low:
        return f" (below every observed market price; lowest ${low:.2f})"
    return f" (within the market band ${low:.2f}-${high:.2f})"


def _currency_hint(result, scenario, totals) -> str:
    """Detect a figure that is the computed amount in another currency, labelled wrongly."""
    c = result.claim
    if not c.is_money:
        return ""
    from estimator.data.fx import load_fx
    from estimator.scenarios.verdicts import fx_date

    table = load_fx()
    usd = totals[c.quantity].reference
    on = fx_date(scenario)
    from estimator.errors import InputError

    matches = []                    # (distance, code, amount, rate): the closest one is named
    for code in sorted(table.currencies() - {c.currency}):
        try:
            rate = table.rate(code, on)
        except InputError:          # no rate that early: nothing to compare with
            continue
        amount = usd * rate.per_usd
        if abs(c.value / amount - 1) <= 0.1:
            matches.append((abs(c.value / amount - 1), code, amount, rate))
    if not matches:
        return ""
    _, code, amount, rate = min(matches, key=lambda m: m[0])
    return (f" The figure matches the computed cost expressed in {code} "
            f"({_money(amount)} {code} at {rate.per_usd:.4g} {code}/USD on {rate.date}):"
            f" likely a {code} amount reported as {c.currency}.")
