"""The scenario file a read sentence becomes, and its verdict.

The file is the same text `claim --out` writes, parsed by the scenario loader and judged by
the evaluator `check` uses: one path from a sentence and from a file to a verdict.
"""

from __future__ import annotations

import json
import re

from estimator.claimtext.library import match_library
from estimator.data.yamlio import loads
from estimator.errors import EstimatorError, InputError
from estimator.scenarios.evaluate import run_scenario
from estimator.scenarios.model import parse_scenario

DURATION_UNITS = {"hour": "h", "day": "days", "week": "weeks", "month": "months"}


def _one(items, kind, flag, describe=lambda i: f"{i.value:,g} {i.unit}".strip()):
    """The single distinct item of ``kind`` (None if absent); several distinct: ask."""
    found = [i for i in items if i.kind == kind]
    distinct = {(i.value, i.unit) for i in found}
    if len(distinct) > 1:
        shown = "; ".join(f"{describe(i)} ({i.text!r})" for i in found)
        raise InputError(f"the text gives more than one {kind.replace('_', ' ')}: {shown}",
                         key=flag, hint=f"Pass {flag} with the one the claim is about.")
    if found and found[0].doubt:
        raise InputError(found[0].doubt, key=flag,
                         hint=f"Pass {flag} with the figure (e.g. written without separators, "
                              "with its currency), or --lang for the text's language.")
    return found[0] if found else None


def _money_text(value: float, unit: str) -> str:
    return f"{value:.10g} {unit}"


def build_scenario(reading, *, date=None, profiles=None, gpu=None, count=None, hours=None,
                   gpu_hours=None, cost=None, price=None, like=None, scenario_id=None):
    """Fill ``reading.scenario_text`` and ``reading.result`` (ClaimReading of __init__)."""
    items = reading.items
    gpus = [i for i in items if i.kind == "gpu"]
    counts = [i for i in items if i.kind == "count"]
    # a GPU named right after a count is the run's GPU; other names are context
    if gpu is None and len({g.value for g in gpus}) > 1:
        near = [g for g in gpus if any(0 <= g.start - c.start <= 40 for c in counts)]
        gpus = near if len({g.value for g in near}) == 1 else gpus
    def read(found, kind, flag, override, **kw):     # a flag settles what the text leaves open
        return None if override is not None else _one(found, kind, flag, **kw)

    gpu_item = read(gpus, "gpu", "--gpu", gpu, describe=lambda i: i.value)
    count_item = read(counts, "count", "--count", count)
    duration = read(items, "duration", "--hours", hours)
    gh_item = read(items, "gpu_hours", "--gpu-hours", gpu_hours)
    money = read(items, "money", "--cost", cost)
    price_item = read(items, "price", "--price", price)
    relation = read(items, "relation", "--cost", cost, describe=lambda i: i.value)
    date_item = read(items, "date", "--date", date, describe=lambda i: i.value)

    stage = {
        "gpu": gpu or (gpu_item.value if gpu_item else None),
        "count": count if count is not None else (count_item.value if count_item else None),
        "hours": hours if hours is not None else (
            f"{duration.value:g} {DURATION_UNITS[duration.unit]}" if duration else None),
        "gpu_hours": gpu_hours if gpu_hours is not None else (
            f"{gh_item.value:.10g}" if gh_item else None),
    }
    claim_value = cost if cost is not None else (
        _money_text(money.value, money.unit) if money else None)
    stated_price = price if price is not None else (
        _money_text(price_item.value, price_item.unit.split("/")[0]) + "/h"
        if price_item else None)
    day = str(date) if date is not None else (date_item.value if date_item else None)

    if claim_value is None:
        raise InputError("no amount of money read in the text", key="--cost",
                         hint="Pass --cost (e.g. --cost '294000 USD'), or a sentence that "
                              "states what the training cost.")
    complete = stage["gpu"] and (stage["gpu_hours"] or (stage["count"] and stage["hours"]))
    library = None
    if not complete:
        library = match_library(reading, claim_value, stage, like=like)
    if library is None and not complete:
        missing = [flag for flag, ok in (("--gpu", stage["gpu"]),
                                         ("--count", stage["count"] or stage["gpu_hours"]),
                                         ("--hours", stage["hours"] or stage["gpu_hours"]))
                   if not ok]
        unknown = "" if stage["gpu"] else (" (no GPU name the tool knows is in the text: "
                                           "`estimator gpus` lists them)")
        raise InputError(f"the text gives no {', no '.join(m[2:] for m in missing)} "
                         f"for the run{unknown}", key=missing[0],
                         hint=f"Pass {' and '.join(missing)} (or --gpu-hours), e.g. --gpu H800 "
                              "--count 512 --hours 80.")
    if day is None:
        raise InputError("the claim has no date: the price band and exchange rate depend on it",
                         key="--date", hint="Pass --date YYYY-MM-DD (the day the claim was "
                                            "published).")
    text = scenario_yaml(reading, scenario_id or f"claim-{day}", day, claim_value,
                         relation.value if relation else "approx", stage, stated_price,
                         library)
    reading.library_match = library.id if library else None
    reading.scenario_text = text
    try:
        scenario = parse_scenario(loads(text, file=CLAIM_FILE), CLAIM_FILE)
        reading.result = run_scenario(scenario, profiles)
    except EstimatorError as exc:
        if exc.file == CLAIM_FILE:                  # a figure read from the text, or a flag
            exc.file, exc.line = None, None
            exc.key = flag_of(exc.key)
        raise


CLAIM_FILE = "<claim>"
"""The file name errors in the built scenario carry before they are re-keyed to flags."""


def flag_of(key) -> str:
    """The `claim` flag that sets a key of the built file ("stages[0].hours" -> "--hours")."""
    if not key:
        return "TEXT"
    leaf = re.sub(r"^stages\[\d+\]\.", "", str(key))
    return {"claim.value": "--cost", "date": "--date", "assumptions.price": "--price",
            "gpu": "--gpu", "count": "--count", "hours": "--hours",
            "gpu_hours": "--gpu-hours", "price": "--price"}.get(leaf, "TEXT")


def scenario_yaml(reading, scenario_id, day, claim_value, relation, stage, price,
                  library) -> str:
    """The scenario file text (what `claim --out` writes)."""
    q = json.dumps
    sentence = re.sub(r"\s+", " ", reading.text).strip()
    lines = [
        f"# Written by `estimator claim` from a {reading.language} sentence; fill in the "
        "source, then `estimator check`.",
        f"id: {scenario_id}",
        f"title: {q(sentence[:120])}",
        f"date: {q(day)}",
        "sources:",
        f"  - outlet: {q('FILL IN: publication or author')}",
        f"    title: {q('FILL IN: headline')}",
        f"    date: {q(day)}",
        f"    language: {reading.language}",
        "    role: article",
        f"    quote: {q(sentence[:1000])}",
        "claim:",
        f"  text: {q(sentence[:300])}",
        "  quantity: cost",
        f"  value: {q(claim_value)}",
        f"  relation: {relation}",
    ]
    if library is not None:
        lines += [f"  scope: {library.scope}",
                  f"stages:   # the run as the built-in claim {library.id} describes it"]
        for raw in library.stages:
            lines.append(f"  - {json.dumps(raw, default=str, ensure_ascii=False)}")
        assumptions = dict(library.assumptions)
        if price is not None:
            assumptions["price"] = price
        if assumptions:
            lines.append(f"assumptions: {json.dumps(assumptions, default=str)}")
    else:
        lines += ["stages:", f"  - name: {q('as the text states it')}"]
        lines += [f"    {k}: {q(str(v))}" for k, v in stage.items() if v is not None]
        if price is not None:
            lines += ["assumptions:", f"  price: {q(price)}"]
    return "\n".join(lines) + "\n"
