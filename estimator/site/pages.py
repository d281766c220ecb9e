"""What each page of the site shows, as plain data (dicts and lists) for the templates.

Fields that other parts of the package may add to claim records, stages or price observations
are passed through with ``.get`` and listed generically ("more"), so a new field appears on the
site without a template change.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re

import estimator.site.charts as charts
import estimator.site.labels as labels
import estimator.site.provenance as provenance
from estimator.bands import STALE_DAYS
from estimator.inputs.links import safe_href
from estimator.render.escaping import visible
from estimator.scenarios.evaluate import (
    MFU_BAND,
    POWER_FRACTION_BAND,
    PUE_BAND,
    grid_intensity_band,
)
from estimator.scenarios.verdicts import claim_record
from estimator.site.numbers import human, money, quantity

VERDICTS = {
    "reproduced": {"symbol": "✓", "label": "Reproduced",
                   "meaning": "the arithmetic at the source's own assumptions gives the claim"},
    "consistent": {"symbol": "≈", "label": "Consistent",
                   "meaning": "not reproduced, but inside the computed range"},
    "inconsistent": {"symbol": "✗", "label": "Inconsistent",
                     "meaning": "outside the computed range"},
}
"""Each verdict's symbol and words: the badge never relies on colour alone."""

SHOWN_RECORD_KEYS = {"scenario", "claim", "quantity", "scope", "relation", "claim_value",
                     "claim_high", "claim_unit", "computed_value", "stated_value", "range_low",
                     "range_typical", "range_high", "factor", "verdict", "expected_verdict", "ok",
                     "implied", "explanation", "file", "compare_ratio", "method", "dollar_year",
                     "mismatch", "matching_tiers"}
"""Claim-record keys with a place of their own on a scenario page; the rest go under 'more'."""

STAGE_SKIP = {"name", "line", "note", "layout"}
"""Stage fields never shown as a row: bookkeeping, and the parallel layout of `mfu: auto`
(a mapping; its prediction shows as the MFU)."""
SAME_QUANTITY = {"energy": "energy_facility", "energy_facility": "energy"}
"""Claim quantities computed under another name too (facility energy is both)."""
_URL = re.compile(r"https?://[^\s)\]>,;]+")


def text_parts(text) -> list[dict]:
    """Plain text split into {'text'} and {'text', 'href'} parts, so URLs become links."""
    text = "" if text is None else str(text)
    parts, pos = [], 0
    for match in _URL.finditer(text):
        if match.start() > pos:
            parts.append({"text": text[pos:match.start()], "href": None})
        parts.append({"text": match.group(0), "href": safe_href(match.group(0))})
        pos = match.end()
    if pos < len(text):
        parts.append({"text": text[pos:], "href": None})
    return parts


def plain(value) -> str:
    """A value of a scenario or profile as text: numbers in the site's style, parsed
    quantities by their value, pairs as 'low–high'."""
    if value is None:
        return "—"
    if hasattr(value, "value") and not isinstance(value, (int, float)):
        return human(value.value)
    if isinstance(value, (tuple, list)):
        return "–".join(plain(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return human(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def headline_source(scenario) -> dict:
    """The source a reader knows the claim from: the first article, else the first source."""
    articles = [s for s in scenario.sources if s.get("role") == "article"]
    return (articles or list(scenario.sources))[0]


def index_rows(results) -> list[dict]:
    """One row per claim, for the index table."""
    rows = []
    for result in results:
        s = result.scenario
        source = headline_source(s)
        for c in result.claims:
            record = claim_record(s, c)
            rows.append({"scenario": s.id, "title": visible(s.title), "claim": c.claim.text,
                         "verdict": c.verdict, "badge": VERDICTS[c.verdict],
                         "expected": c.expected, "ok": c.ok, "factor": record["factor"],
                         "quantity": c.claim.quantity, "scope": c.claim.scope,
                         "outlet": source.get("outlet"), "date": source.get("date"),
                         "mismatch": record.get("mismatch")})
    return rows


def scenario_page(result) -> dict:
    """Everything the scenario page shows."""
    s = result.scenario
    return {
        "id": s.id, "title": visible(s.title), "date": s.date, "tags": list(s.tags),
        "headline_source": headline_source(s),
        "notes": [text_parts(p) for p in (s.notes or "").split("\n\n") if p.strip()],
        "sources": [_source(src) for src in s.sources],
        "claims": [_claim(s, c, result.stages) for c in result.claims],
        "stages": [_stage(v, claimed_quantities(result)) for v in result.stages],
        "assumptions": _assumptions(s.assumptions),
        "totals": {q: b for q, b in result.totals.items() if math.isfinite(b.typical)},
    }


def claimed_quantities(result) -> list[str]:
    """The quantities the scenario's claims state, in claim order (facility energy under
    both its names), so the stage table can show them first."""
    names = []
    for c in result.claims:
        for name in (c.claim.quantity, SAME_QUANTITY.get(c.claim.quantity)):
            if name and name not in names:
                names.append(name)
    return names


def _source(src: dict) -> dict:
    """A source as shown: its url a link only when :func:`safe_href` allows it."""
    return {**src, "date": plain(src.get("date")), "language": src.get("language"),
            "url": safe_href(src.get("url")),
            "language_name": labels.language_name(src.get("language")),
            "role_words": labels.SOURCE_ROLES.get(src.get("role"), labels.words(src.get("role")))}


def _claim(scenario, c, stage_values=()) -> dict:
    record = claim_record(scenario, c)
    claim = c.claim
    more = {k: v for k, v in record.items() if k not in SHOWN_RECORD_KEYS and v is not None}
    return {
        "record": record, "text": claim.text, "badge": VERDICTS[c.verdict],
        "chart": charts.claim_chart(record), "source": claim.source, "note": claim.note,
        "tolerance": claim.tolerance, "stages": list(claim.stages),
        "implied": [{"name": labels.label(k), "value": _with_unit(v, labels.unit(k))}
                    for k, v in record["implied"].items()],
        "method": record.get("method"), "dollar_year": record.get("dollar_year"),
        "mismatch": record.get("mismatch"),
        "matching_tiers": tier_rows(record.get("matching_tiers")),
        "more": [{"name": labels.label(k), "value": _more_value(v)} for k, v in more.items()],
        "explanation": record["explanation"],
        "provenance": provenance.range_provenance(
            provenance.claim_bands(stage_values, claim), claim.quantity),
    }


def _more_value(value) -> str:
    """An extra claim field's value in words (tiers and classes named as a reader says them)."""
    if isinstance(value, str):
        return labels.value_words(value)
    return plain(value)


def tier_rows(matches) -> list[dict]:
    """The price tiers whose band holds the claim's implied price (scenarios/tiers.py), one
    readable row each: 'On-demand' / 'December 2026' / '$6.30 to $7.91' / 'at its low end'."""
    rows = []
    for m in matches or ():
        day = m.get("price_date")
        when = _month(day)
        extreme = {"low": "only at the band's low end",
                   "high": "only at the band's high end"}.get(m.get("extreme"), "inside the band")
        rows.append({"tier": labels.value_words(m.get("tier")).capitalize(), "when": when,
                     "band": f"{money(m.get('low'))} to {money(m.get('high'))} per GPU-hour",
                     "where": extreme})
    return rows


def _month(day) -> str:
    try:
        return dt.date.fromisoformat(str(day)).strftime("%B %Y")
    except ValueError:
        return str(day)


def _with_unit(value, unit: str) -> str:
    return quantity(value, unit) if unit else human(value)


def _stage(values, claimed=()) -> dict:
    """A stage's inputs (every field the file gave, new ones included), its computed
    quantities (the ones the claims state first, the rest apart) and the price band behind
    its cost."""
    stage = values.stage
    fields = {f.name: getattr(stage, f.name) for f in dataclasses.fields(stage)}
    inputs = [{"name": labels.label(k), "value": _input_value(k, v)}
              for k, v in fields.items()
              if k not in STAGE_SKIP and v not in (None, False, (), [], {})]
    quantities = [{"key": q, "name": labels.label(q, with_unit=True), "band": b,
                   "unit": labels.unit(q)}
                  for q, b in values.values.items() if math.isfinite(b.typical)
                  and not (q in SAME_QUANTITY and SAME_QUANTITY[q] in values.values
                           and q == "energy_facility")]      # the same number twice
    order = {q: i for i, q in enumerate(claimed)}
    first = sorted((q for q in quantities if q["key"] in order), key=lambda q: order[q["key"]])
    rest = [q for q in quantities if q["key"] not in order]
    return {"name": stage.name, "gpu_id": values.gpu_id, "note": stage.note, "inputs": inputs,
            "quantities": first, "other_quantities": rest,
            "price_band": _band(values.price_band)}


def _input_value(name: str, value) -> str:
    """A stage input with its unit: '1,024 GPUs', '336 hours', '$2.00' per GPU-hour."""
    text = plain(value)
    unit = labels.unit(name)
    if unit == "USD" and isinstance(value, (int, float)):
        return f"{money(value)}"
    if unit and isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{text} {unit}"
    return labels.value_words(text) if isinstance(value, str) and name != "gpu" else text


def _band(band) -> dict | None:
    if band is None:
        return None
    return {"low": band.low, "typical": band.typical, "high": band.high, "rule": band.rule,
            "rule_words": labels.band_rule(band.rule),
            "reference_date": plain(band.reference_date), "stale": band.stale,
            "stale_days": STALE_DAYS,
            "source": text_parts(labels.in_words(band.source)) if band.source else None,
            "used": [observation(o) for o in band.used]}


def observation(o) -> dict:
    """A price observation (dataclass or dict) for a table row; tier and provider_class
    where the data has them, the kind otherwise."""
    d = dataclasses.asdict(o) if dataclasses.is_dataclass(o) else dict(o)
    return {"provider": d.get("provider") or d.get("seller"), "kind": d.get("kind"),
            "tier": d.get("tier") or d.get("kind"), "provider_class": d.get("provider_class"),
            "date": plain(d.get("date")), "raw_date": d.get("date"),
            "price": d.get("price_per_gpu_hour", d.get("price_per_gpu")),
            "currency": d.get("currency"),
            "price_usd": d.get("price_usd_per_gpu_hour", d.get("price_usd_per_gpu")),
            "what": d.get("what"), "source": text_parts(d.get("source")),
            "note": d.get("note"), "confidence": d.get("confidence")}


DEFAULT_RANGES = {"mfu": MFU_BAND, "power_fraction": POWER_FRACTION_BAND, "pue": PUE_BAND}


def _assumptions(assumptions: dict) -> list[dict]:
    """The scenario's stated assumptions, then the default ranges used where it states none
    (each with its source), each under its reader's name with its unit."""
    rows = []
    for k, v in assumptions.items():
        if v is None:
            continue
        value = plain(v)
        if k == "price":              # stored in USD per GPU-hour (model.py)
            number = getattr(v, "value", v)
            value = (f"{money(number)} per GPU-hour" if isinstance(number, (int, float))
                     else f"${value} per GPU-hour")
        elif labels.unit(k) and not hasattr(v, "isoformat"):
            value = f"{value} {labels.unit(k)}"
        rows.append({"name": labels.label(k), "value": value, "source": "the scenario file"})
    defaults = {**DEFAULT_RANGES, "carbon_intensity": grid_intensity_band()}
    for name, band in defaults.items():
        if assumptions.get(name) is None:
            unit = f" {labels.unit(name)}" if labels.unit(name) else ""
            rows.append({"name": labels.label(name),
                         "value": f"{human(band.low)}–{human(band.high)}{unit} "
                                  f"(typical {human(band.typical)})",
                         "source": DEFAULT_SOURCES.get(name) or f"default range: {band.source}"})
    return rows


DEFAULT_SOURCES = {"carbon_intensity": "default range: the cleanest to the dirtiest of the "
                                       "built-in grid regions; typical: the world average "
                                       "(Ember, Global Electricity Review 2024)"}
"""Defaults whose band source is a data file's name, said as a reader's source."""
