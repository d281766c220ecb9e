"""A built-in claim that supplies the run a sentence leaves out.

"R1 cost $294,000 to train" names no GPU or hours; the built-in scenarios already hold a
sourced description of that run. A built-in cost claim is a candidate when its amount equals
the sentence's (same currency, within 2%) and its stages contradict nothing the sentence
states (GPU, count, hours). Candidates are ranked by the words the sentence shares with the
claim's text, title and quoted sources; a tie is asked about (`--like ID`), never guessed.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from estimator.data.profiles import load_profiles
from estimator.data.yamlio import load_file
from estimator.errors import InputError
from estimator.inputs.units import parse, parse_value
from estimator.scenarios import find_scenario_files
from estimator.scenarios.model import parse_scenario

NOT_A_RUN = ("development", "budget", "fleet")
"""Claim scopes that describe no one run (R&D totals, budgets, fleets): never borrowed, and
neither are claims the file's author derived (`derived: true`)."""

AMOUNT_TOLERANCE = 0.02
"""Relative difference within which a built-in claim's amount is the sentence's amount."""


@dataclass(frozen=True)
class LibraryMatch:
    id: str
    scope: str
    stages: list          # plain dicts, as in the file
    assumptions: dict
    score: float


def _words(text: str) -> set:
    return {w for w in re.findall(r"[^\W_]{3,}|\d+", text.lower())}


def _plain(node):
    return json.loads(json.dumps(node, default=str))


def _amount(value: str) -> tuple[float, str]:
    """(amount, currency) of a money text, by the parser scenario files use."""
    parsed = parse(value, "money")
    return parsed.value, parsed.currency


def _contradicts(raw_stages, stage, profiles) -> bool:
    gpu = stage.get("gpu")
    if gpu and not any(profiles.get(str(s.get("gpu"))).id == profiles.get(gpu).id
                       for s in raw_stages):
        return True
    if stage.get("count") and not any(
            s.get("count") is not None and parse_value(s["count"], "count") == float(
                stage["count"]) for s in raw_stages):
        return True
    if stage.get("hours"):
        hours = parse_value(stage["hours"], "hours")
        if not any(s.get("hours") is not None
                   and abs(parse_value(s["hours"], "hours") - hours) <= 0.05 * hours
                   for s in raw_stages):
            return True
    return False


def candidates(reading, claim_value: str, stage: dict, profiles=None) -> list[LibraryMatch]:
    """Built-in cost claims with the sentence's amount that its figures don't contradict,
    best first."""
    amount, currency = _amount(claim_value)
    loaded = load_profiles(profiles)
    said = _words(reading.text)
    found = []
    for path in find_scenario_files():
        raw = load_file(path)
        scenario = parse_scenario(raw, str(path))
        for claim in scenario.claims:
            if (claim.quantity != "cost" or claim.currency != currency or claim.derived
                    or claim.scope in NOT_A_RUN):
                continue
            if abs(claim.value - amount) > AMOUNT_TOLERANCE * max(amount, 1e-9):
                continue
            stages = [_plain(s) for s in raw["stages"]
                      if not claim.stages or s["name"] in claim.stages]
            if _contradicts(stages, stage, loaded):
                continue
            context = " ".join([claim.text, scenario.title] + [
                str(s.get("quote", "")) for s in raw["sources"]])
            score = len(said & _words(context)) / max(len(said), 1)
            found.append(LibraryMatch(scenario.id, claim.scope, stages,
                                      _plain(raw.get("assumptions") or {}), score))
    return sorted(found, key=lambda m: -m.score)


def match_library(reading, claim_value: str, stage: dict, like=None, profiles=None):
    """The built-in claim to take the run from (None when there is none)."""
    found = candidates(reading, claim_value, stage, profiles)
    if like is not None:
        chosen = [m for m in found if m.id == like]
        if not chosen:
            raise InputError(f"built-in claim {like!r} is not one with the amount "
                             f"{claim_value} that the text allows", key="--like",
                             hint="Choose one of: " + (", ".join(m.id for m in found)
                                                       or "(none)") + ".")
        return chosen[0]
    if not found:
        return None
    if len(found) > 1 and found[0].score == found[1].score:
        tied = [m.id for m in found if m.score == found[0].score]
        raise InputError(f"the text matches {len(tied)} built-in claims equally: "
                         f"{', '.join(tied)}", key="--like",
                         hint="Pass --like ID to use that claim's run, or --gpu, --count and "
                              "--hours to give the run yourself.")
    return found[0]
