"""What each page of the site shows, as plain data (dicts and lists) for the templates.

Fields that other parts of the package may add to claim records, stages or price observations
are passed through with ``.get`` and listed generically ("more"), so a new field appears on the
site without a template change.
"""

from __future__ import annotations

import dataclasses
import math
import re

import estimator.site.charts as charts
from estimator.inputs.links import safe_href
from estimator.render.escaping import visible
from estimator.scenarios.evaluate import (
    MFU_BAND,
    POWER_FRACTION_BAND,
    PUE_BAND,
    grid_intensity_band,
)
from estimator.scenarios.verdicts import claim_record
from estimator.site.numbers import human

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

QUANTITY_UNITS = {"gpu_hours": "GPU-hours", "hours": "h", "flop": "FLOP", "cost": "USD",
                  "capex": "USD", "energy": "kWh", "co2": "t CO2e"}
STAGE_SKIP = {"name", "line", "note"}
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
        "notes": [text_parts(p) for p in (s.notes or "").split("\n\n") if p.strip()],
        "sources": [_source(src) for src in s.sources],
        "claims": [_claim(s, c) for c in result.claims],
        "stages": [_stage(v, s) for v in result.stages],
        "assumptions": _assumptions(s.assumptions),
        "totals": {q: b for q, b in result.totals.items() if math.isfinite(b.typical)},
    }


def _source(src: dict) -> dict:
    """A source as shown: its url a link only when :func:`safe_href` allows it."""
    return {**src, "date": plain(src.get("date")), "language": src.get("language"),
            "url": safe_href(src.get("url"))}


def _claim(scenario, c) -> dict:
    record = claim_record(scenario, c)
    claim = c.claim
    more = {k: v for k, v in record.items() if k not in SHOWN_RECORD_KEYS and v is not None}
    return {
        "record": record, "text": claim.text, "badge": VERDICTS[c.verdict],
        "chart": charts.claim_chart(record), "source": claim.source, "note": claim.note,
        "tolerance": claim.tolerance, "stages": list(claim.stages),
        "implied": [{"name": k, "value": v} for k, v in record["implied"].items()],
        "method": record.get("method"), "dollar_year": record.get("dollar_year"),
        "mismatch": record.get("mismatch"), "matching_tiers": record.get("matching_tiers"),
        "more": [{"name": k, "value": plain(v)} for k, v in more.items()],
        "explanation": record["explanation"],
    }


def _stage(values, scenario) -> dict:
    """A stage's inputs (every field the file gave, new ones included), its computed
    quantities and the price band behind its cost."""
    stage = values.stage
    fields = {f.name: getattr(stage, f.name) for f in dataclasses.fields(stage)}
    inputs = [{"name": k, "value": plain(v)} for k, v in fields.items()
              if k not in STAGE_SKIP and v not in (None, False, (), [], {})]
    quantities = [{"name": q, "band": b, "unit": QUANTITY_UNITS.get(q, "")}
                  for q, b in values.values.items() if math.isfinite(b.typical)]
    return {"name": stage.name, "gpu_id": values.gpu_id, "note": stage.note, "inputs": inputs,
            "quantities": quantities, "price_band": _band(values.price_band)}


def _band(band) -> dict | None:
    if band is None:
        return None
    return {"low": band.low, "typical": band.typical, "high": band.high, "rule": band.rule,
            "reference_date": plain(band.reference_date), "stale": band.stale,
            "source": text_parts(band.source) if band.source else None,
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
    (each with its source)."""
    rows = [{"name": k, "value": plain(v), "source": "the scenario file"}
            for k, v in assumptions.items() if v is not None]
    for row in rows:
        if row["name"] == "price":              # stored in USD per GPU-hour (model.py)
            row["value"] = f"${row['value']} per GPU-hour"
    defaults = {**DEFAULT_RANGES, "carbon_intensity": grid_intensity_band()}
    for name, band in defaults.items():
        if assumptions.get(name) is None:
            rows.append({"name": name, "value": f"{human(band.low)}–{human(band.high)} "
                                                f"(typical {human(band.typical)})",
                         "source": f"default range: {band.source}"})
    return rows
