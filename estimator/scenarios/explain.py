"""One or two sentences saying why a claim got its verdict."""

from __future__ import annotations

import math

from estimator.data.fx import load_fx
from estimator.errors import InputError
from estimator.inputs.numbers import fmt_number
from estimator.scenarios.implied import stated_price

RANGE_BASIS = {
    "cost": "the market price band", "capex": "observed purchase prices and server overhead",
    "gpu_hours": "the MFU range", "hours": "the MFU range", "flop": "the MFU range",
    "energy": "the power-draw and PUE ranges", "co2": "the energy and grid-intensity ranges",
    "energy_facility": "the power-draw and PUE ranges", "energy_it": "the power-draw range",
    "mfu": "the MFU range", "throughput_tflops_per_gpu": "the MFU range",
    "tokens_per_second": "the MFU range", "price_usd_per_gpu_hour": "the market price band",
    "gpu_count": "the stated GPU counts",
}


def fmt(value: float, claim) -> str:
    """A value in the claim's unit, for sentences: '$294,000', '61.6M SEK',
    '2,788,000 GPU-hours'."""
    if value is None or not math.isfinite(value):
        return "n/a"
    if claim.is_money:
        text = _money(value)
        per = " per GPU-hour" if claim.quantity == "price_usd_per_gpu_hour" else ""
        if per:
            text = f"{value:,.2f}"
        return (f"${text}" if claim.currency == "USD" else f"{text} {claim.currency}") + per
    if claim.quantity == "flop":
        return f"{value:.3g} FLOP"
    if claim.quantity == "mfu":
        return f"MFU {value:.3g}"
    return f"{fmt_number(value)} {claim.unit}"


def _money(value: float) -> str:
    if abs(value) >= 1e9:
        return f"{value / 1e9:.3g}B"
    if abs(value) >= 1e7:
        return f"{value / 1e6:.3g}M"
    return fmt_number(value)


QUANTITY_LABELS = {"cost": "cost", "capex": "capital cost", "gpu_hours": "GPU-hour total",
                   "hours": "wall clock", "flop": "training compute", "energy": "energy",
                   "co2": "CO2e", "energy_facility": "facility energy",
                   "energy_it": "IT energy (before PUE)", "mfu": "MFU",
                   "throughput_tflops_per_gpu": "throughput per GPU",
                   "tokens_per_second": "token throughput",
                   "price_usd_per_gpu_hour": "price per GPU-hour", "gpu_count": "GPU count"}


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
    basis = RANGE_BASIS[c.quantity] if not v.is_point else _point_basis(stages)
    stated = math.isfinite(v.stated)
    assumptions = _assumption_text(scenario, stages, c.quantity)
    own = (f"At the source's own assumptions ({assumptions})" if assumptions
           else "At the source's own figures")
    if _by_method(c):               # issue 15: a cost counted by the claim's own method
        basis, assumptions, own = METHOD_RANGE_BASIS, "", "At the method's central prices"
    the_claim = (f"The claimed {claimed}" if c.relation in ("approx", "between")
                 else f"The claim of {relation}{claimed}")
    tail = _inputs_sentence(stages, c.quantity) + _derived_sentence(c)
    if result.verdict == "reproduced":
        text = (f"{own} the {QUANTITY_LABELS[c.quantity]} comes to {fmt(v.stated, c)}, which "
                f"matches the claimed {relation}{claimed}")
        if c.relation == "approx":
            text += f" within {c.tolerance * 100:g}% (factor {result.factor:.3f})"
        return text + "." + tail + _implied_sentence(result, stages, rates_only=True,
                                                     scenario=scenario) + \
            _compare_sentence(result)
    if result.verdict == "consistent":
        text = (f"{the_claim} fits {span} computed across "
                f"{basis} (typical {fmt(v.typical, c)})")
        if stated:
            text += (f"; at the method's central prices it would be {fmt(v.stated, c)}"
                     if _by_method(c) else
                     f"; at the source's own assumptions it would be {fmt(v.stated, c)}")
        return text + "." + tail + _implied_sentence(result, stages, scenario=scenario) + \
            _compare_sentence(result)
    at = f" ({assumptions})" if assumptions else ""
    own_words = "the method's central prices" if _by_method(c) else \
        "the source's own assumptions"
    ref_text = (f"the {fmt(v.stated, c)} computed at {own_words}{at}"
                if stated else f"the typical {fmt(v.typical, c)}")
    where = "outside" if span.startswith("the range") else "and differs from"
    text = (f"{the_claim} is {_times(result.factor)} {ref_text}, {where} "
            f"{span} computed across {basis}.")
    return text + tail + _implied_sentence(result, stages, scenario=scenario) + \
        _currency_hint(result, scenario, totals)


METHOD_RANGE_BASIS = ("the method's price range (each price 0.5x-2x, Epoch AI) and the "
                      "stage's chip-hours")
"""What the range of a claim counted by cloud, amortised or acquisition spans (issue 15)."""


def _by_method(claim) -> bool:
    """A cost claim counted by cloud, amortised or acquisition rather than the rental band."""
    return getattr(claim, "method", "rental") != "rental" and claim.quantity == "cost"


def _times(factor: float) -> str:
    """'3.59x' for sentences; a factor against a computed zero is no number ('infx')."""
    if factor is None or not math.isfinite(factor):
        return "not a finite multiple of"
    return f"{factor:.3g}x"


ENERGY_QUANTITIES = ("energy", "energy_facility", "energy_it", "co2")
MFU_QUANTITIES = ("mfu", "throughput_tflops_per_gpu", "gpu_hours", "hours", "flop",
                  "tokens_per_second")


def _assumption_text(scenario, stages, quantity: str = "cost") -> str:
    """The source's own inputs behind the stated value, in words ('' where it states none);
    energy and CO2 name the watts, PUE and grid intensity used."""
    parts = []
    price = stated_price(scenario, stages)
    if price is not None and quantity not in ENERGY_QUANTITIES:
        parts.append(f"${price:.2f} per GPU-hour")
    gh = sum(s.values["gpu_hours"].stated for s in stages)
    if math.isfinite(gh):
        parts.append(f"{fmt_number(gh)} GPU-hours")
    if quantity in ENERGY_QUANTITIES:
        parts += _energy_inputs(stages, quantity)
    return ", ".join(parts)


def _energy_inputs(stages, quantity: str) -> list:
    """'400 W per GPU', 'PUE 1.1', '0.385 kg CO2e/kWh': the stated inputs of the energy chain."""
    names = [("power_w", "{:,.0f} W per GPU")]
    if quantity != "energy_it":
        names.append(("pue", "PUE {:.3g}"))
    if quantity == "co2":
        names.append(("carbon_intensity", "{:.3g} kg CO2e/kWh"))
    out = []
    for key, label in names:
        values = {s.inputs[key].stated for s in stages if s.inputs[key].has_stated}
        if len(values) == 1 and len(stages) == len([s for s in stages
                                                    if s.inputs[key].has_stated]):
            out.append(label.format(values.pop()))
    return out


INPUT_LABELS = {"mfu": "MFU", "power_w": "power per GPU [W]", "pue": "PUE",
                "carbon_intensity": "grid intensity [kg CO2e/kWh]"}
QUANTITY_INPUTS = {"energy": ("power_w", "pue"), "energy_facility": ("power_w", "pue"),
                   "energy_it": ("power_w",), "co2": ("power_w", "pue", "carbon_intensity")}


def _inputs_sentence(stages, quantity: str) -> str:
    """Which inputs the source states, and whether their range is kept or pinned."""
    keys = QUANTITY_INPUTS.get(quantity, ("mfu",) if quantity in MFU_QUANTITIES else ())
    parts = []
    for key in keys:
        band = stages[0].inputs[key] if stages and stages[0].inputs else None
        if band is not None and band.rule == "predicted":
            parts.append(f"MFU predicted from the stated layout by the step-time model: "
                         f"{band.typical:.3g}, range {band.low:.3g}-{band.high:.3g} (the "
                         f"model's error on published runs; {band.note})")
            continue
        if band is None or not band.has_stated:
            continue
        if band.rule == "pinned":
            parts.append(f"{INPUT_LABELS[key]} {band.stated:.3g} (pinned by the file)")
        else:
            parts.append(f"{INPUT_LABELS[key]} {band.stated:.3g} as stated, range "
                         f"{band.low:.3g}-{band.high:.3g} kept")
    if quantity in ("mfu", "throughput_tflops_per_gpu") and stages:
        parts.append(f"MFU on a {stages[0].precision.upper()} peak basis")
    return (" Inputs: " + "; ".join(parts) + ".") if parts else ""


def _derived_sentence(claim) -> str:
    return " The figure is derived by the file's author, not stated by the source." \
        if claim.derived else ""


def _implied_sentence(result, stages, rates_only: bool = False, scenario=None) -> str:
    implied, c = result.implied, result.claim
    if rates_only:          # a reproduced claim: only the goodput of a time-and-work stage
        return _goodput_sentence(implied)
    parts = []
    own_count = _by_method(c) or c.scope in ("development", "experiments")   # no one price
    if "price_usd_per_gpu_hour" in implied and not own_count:
        p = implied["price_usd_per_gpu_hour"]
        parts.append(f"${p:.2f} per GPU-hour{_band_position(p, stages)}")
    if own_count:
        pass
    elif "hours" in implied and c.quantity == "cost":
        parts.append(f"{fmt_number(implied['hours'])} h at the stated price")
    elif "gpu_hours" in implied and c.quantity == "cost":
        parts.append(f"{fmt_number(implied['gpu_hours'])} GPU-hours at the stated price")
    count_label = ("{} GPUs at the typical cost per GPU" if c.quantity == "capex"
                   else "{} GPUs")
    basis = stages[0].precision.upper() if stages else "BF16"
    mfu_label = "an MFU of {:.3g} (" + basis + " peak)"
    if c.quantity == "cost":          # say which MFU: the one the claimed money buys
        which = "stated" if scenario is not None and stated_price(scenario, stages) \
            else "typical"
        mfu_label += (f", the MFU at which the claimed cost buys the training FLOP at the "
                      f"{which} price")
    labels = {"mfu": mfu_label, "count": count_label,
              "capex_usd_per_gpu": "${:,.0f} per GPU",
              "power_w_per_gpu": "{:,.0f} W per GPU (before PUE, at the scenario's PUE)",
              "pue": "a PUE of {:.3g}",
              "carbon_intensity_kg_per_kwh": "a grid intensity of {:.3g} kg CO2e/kWh"}
    if own_count:     # the MFU the rental price buys says nothing of another method's count
        labels.pop("mfu")
    for key, label in labels.items():
        if key in implied and math.isfinite(implied[key]):
            value = _gpus(implied[key]) if key == "count" else implied[key]
            parts.append(label.format(value))
    fx = [k for k in implied if k.startswith("fx_rate_")]
    for key in fx:
        parts.append(f"an exchange rate of {implied[key]:.3g} {c.currency} per USD"
                     + (f" (ECB: {result.fx.per_usd:.4g} on {result.fx.date})" if result.fx
                        else ""))
    goodput = _goodput_sentence(implied)      # a property of the stage, not a way to exact
    if not parts:
        return goodput
    if c.relation == "approx":
        return " The claim would be exact at " + ", or ".join(parts) + "." + goodput
    return " The claim's bound is met exactly at " + ", or ".join(parts) + "." + goodput


def _goodput_sentence(implied: dict) -> str:
    if "goodput" not in implied or not math.isfinite(implied["goodput"]):
        return ""
    return (f" Goodput {implied['goodput']:.3g}: the useful compute time at the stated MFU over "
            "the wall-clock GPU time.")


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
    if any(b.rule == "derived" for b in bands):   # not observed: scaled from a sibling GPU
        if price > high:
            return f" (above the market band derived from a sibling GPU's prices; highest " \
                   f"${high:.2f})"
        if price < low:
            return f" (below the market band derived from a sibling GPU's prices; lowest " \
                   f"${low:.2f})"
        return f" (within the derived market band ${low:.2f}-${high:.2f})"
    if price > high:
        return f" (above every observed market price; highest ${high:.2f})"
    if price < low:
        return f" (below every observed market price; lowest ${low:.2f})"
    return f" (within the market band ${low:.2f}-${high:.2f})"


def _gpus(count: float) -> str:
    """A GPU count in words: '20,503' (rounding moves it by under 0.5%), '14.6' (a small
    count keeps three digits: 'exact at 15 GPUs' for 14.57 read wrong)."""
    if abs(count) >= 100 or math.isclose(count, round(count), abs_tol=1e-9):
        return f"{count:,.0f}"
    return f"{count:.3g}"


def _point_basis(stages) -> str:
    """What a single-valued computed range rests on: the inputs the file pinned, or (nothing
    pinned) the source's figures, none of which has a range for this quantity."""
    pinned = any(b.rule == "pinned" for s in stages for b in (s.inputs or {}).values()
                 if getattr(b, "rule", None))
    if pinned:
        return "the source's pinned inputs"
    return "the source's own figures (none of the inputs of this quantity has a range)"


LANGUAGE_CURRENCIES = {
    "sv": "SEK", "da": "DKK", "nb": "NOK", "no": "NOK", "ro": "RON", "pl": "PLN", "cs": "CZK",
    "hu": "HUF", "bg": "BGN", "de": "EUR", "fr": "EUR", "es": "EUR", "it": "EUR", "nl": "EUR",
    "fi": "EUR", "pt": "EUR", "el": "EUR", "zh": "CNY", "ja": "JPY", "ko": "KRW", "en": "GBP",
    "tr": "TRY", "ru": "RUB", "hi": "INR",
}
"""The currency a reader of a source in that language (ISO 639-1) would most likely think in:
the candidates for a currency mix-up, with USD, EUR and CNY (DeepSeek's home currency)."""

ALWAYS_CANDIDATES = ("USD", "EUR", "CNY")


def mixup_candidates(scenario, claim_currency: str) -> list[str]:
    """Currencies a figure might really be in: those of the sources' languages, USD, EUR and
    CNY. Testing every ECB currency would match some currency by chance (with 40 of them, one
    is usually within 10%)."""
    codes = {LANGUAGE_CURRENCIES.get(s.get("language") or "", "") for s in scenario.sources}
    codes.update(ALWAYS_CANDIDATES)
    return sorted(codes - {"", claim_currency})


def _currency_hint(result, scenario, totals) -> str:
    """Detect a figure that is the computed amount in another currency, labelled wrongly (a
    currency of the sources' languages, mixup_candidates)."""
    c = result.claim
    if not c.is_money:
        return ""
    table = load_fx()
    usd = totals[c.quantity].reference
    on = scenario.fx_date
    matches = []                    # (distance, code, amount, rate): the closest one is named
    for code in mixup_candidates(scenario, c.currency):
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
