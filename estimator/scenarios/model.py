"""Scenario objects: validated, typed, frozen; built from YAML by :func:`parse_scenario`."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import ClassVar

from estimator import __version__
from estimator.data.fx import to_usd
from estimator.data.grid_regions import regions
from estimator.data.schema import Ctx
from estimator.errors import DataFileError, EstimatorError, InputError, unknown_name
from estimator.inputs import units
from estimator.inputs.axes import ungrouped
from estimator.inputs.request import parse_quantity
from estimator.models import transformer_flops as tf
from estimator.scenarios.schema import (
    FORMAT_UPDATES,
    FORMAT_VERSION,
    QUANTITIES,
    SCENARIO,
    AssumedValue,
)

UNIT_LABELS = {"gpu_hours": "GPU-hours", "hours": "h", "flop": "FLOP", "energy": "kWh",
               "mass": "t CO2e", "fraction": "", "tflops": "TFLOP/s per GPU",
               "number": "tokens/s", "token_rate": "tokens/s", "count": "GPUs"}


@dataclass(frozen=True)
class Claim:
    text: str
    quantity: str                   # key of QUANTITIES
    value: float                    # in the claim's unit (canonical, or the claim currency)
    currency: str                   # for money claims; "USD" otherwise
    relation: str
    tolerance: float
    high: float | None
    scope: str
    expect_verdict: str | None
    expect_implied: dict = field(default_factory=dict)
    source: str | None = None
    note: str | None = None
    line: int | None = None
    compare_to: float | None = None
    compare_label: str | None = None
    stages: tuple = ()                # names of the stages the claim covers; () = all
    derived: bool = False             # computed by the file's author, not stated by the source
    tier: str | None = None           # the claim's price tier (else assumptions.tier)
    provider_class: str | None = None   # the claim's provider class (else assumptions')
    dollar_year: int | None = None    # the claim is in constant dollars of this year
    # issue 15: how a cost claim counts, and its constant-dollar year (None: nominal)
    method: str = "rental"            # rental | cloud | amortised | acquisition
    method_dollar_year: int | None = None

    @property
    def is_money(self) -> bool:
        return QUANTITIES[self.quantity][0] in ("money", "price")

    @property
    def unit(self) -> str:
        kind = QUANTITIES[self.quantity][0]
        if kind == "price":
            return f"{self.currency}/GPU-h"
        return self.currency if kind == "money" else UNIT_LABELS.get(kind, kind)


@dataclass(frozen=True)
class Stage:
    name: str
    gpu: str
    count: float | None = None
    hours: float | None = None
    gpu_hours: float | None = None
    params: float | None = None
    tokens: float | None = None
    flop: float | None = None
    flop_per_token: float | None = None
    mfu: object = None               # AssumedValue (stated, range) or None
    layout: dict | None = None       # for mfu: auto (calc/mfu.stage_band)
    precision: str | None = None
    price_usd: float | None = None
    power_w: object = None           # AssumedValue or None
    secondary: bool = False
    pue: object = None               # AssumedValue or None: overrides assumptions.pue
    carbon_intensity: object = None  # AssumedValue or None (from carbon_intensity or region)
    note: str | None = None
    line: int | None = None
    start: dt.date | None = None     # training dates: the stage's price date (issue 13)
    end: dt.date | None = None
    route: str | None = None         # one of several alternative descriptions (issue 22)
    throughput_tflops_per_gpu: float | None = None   # stated; the stated MFU = it / peak
    flop_formula: str | None = None  # how flop was counted from layers/hidden/recompute


@dataclass(frozen=True)
class Scenario:
    id: str
    title: str
    sources: tuple
    claims: tuple
    stages: tuple
    assumptions: dict
    tags: tuple = ()
    notes: str | None = None
    date: dt.date | None = None
    file: str | None = None
    id_line: int | None = None
    lines: dict = field(default_factory=dict)     # key -> line, for located errors
    reprice_at: dt.date | None = None   # check/run --as-of: every stage priced at this date
    format_version: int = FORMAT_VERSION  # the file's format_version (absent: 1)

    def price_date(self, stage: Stage | None = None) -> dt.date:
        """The date a stage's GPU is priced at, one rule for every claim kind and method
        (README, "Which price?"; docs/scenario-format.md): --as-of when set (repricing on
        purpose), else ``assumptions.as_of`` (the file says so explicitly), else the stage's
        ``start`` (or ``end``) training date, else the scenario's ``date`` (publication), else
        the earliest source's date. Never today's date, so verdicts do not change with the
        calendar."""
        return self._price_date_and_key(stage)[0]

    def price_date_key(self, stage: Stage | None = None) -> str:
        """The scenario key behind :meth:`price_date` (for located errors): as_of (the
        option), assumptions.as_of, start, end, date or sources."""
        return self._price_date_and_key(stage)[1]

    def _price_date_and_key(self, stage: Stage | None) -> tuple:
        if self.reprice_at is not None:
            return self.reprice_at, "as_of"
        if self.assumptions.get("as_of"):
            return self.assumptions["as_of"], "assumptions.as_of"
        if stage is not None and (stage.start or stage.end):
            return (stage.start, "start") if stage.start else (stage.end, "end")
        if self.date:
            return self.date, "date"
        return min(src["date"] for src in self.sources), "sources"

    @property
    def fx_date(self) -> dt.date:
        """The date of the exchange rate for money in other currencies (see fx_date_of)."""
        return fx_date_of(self.assumptions.get("fx_date"), self.date, self.sources)

    evaluator: ClassVar[Callable | None] = None
    """The function that judges a scenario's claims (``scenarios.evaluate.run_scenario``),
    installed by the ``estimator.scenarios`` package when it is imported (always, before this
    module). The evaluator imports this data model, so the model does not import the
    evaluator: the dependency goes one way, with no import circle and no lazy import."""

    def run(self, profiles=None, collect_errors: bool = False):
        """Evaluate every claim; returns a ScenarioResult (a convenience for
        ``estimator.scenarios.evaluate.run_scenario``). A claim that cannot be judged raises
        its error, or with ``collect_errors`` is listed in the result's ``errors`` while the
        other claims are judged."""
        return Scenario.evaluator(self, profiles, collect_errors)


def fx_date_of(fx_date: dt.date | None, date: dt.date | None, sources) -> dt.date:
    """The one FX-date rule: ``assumptions.fx_date``, else the scenario's ``date`` (when the
    claim was published), else its earliest source's date."""
    return fx_date or date or min(src["date"] for src in sources)


def parse_scenario(data, file: str) -> Scenario:
    """Validate a parsed YAML document and build a Scenario; errors name file, line and key."""
    s = SCENARIO.validate(data, Ctx(file))
    version = _format_version(s, file)
    if Path(file).stem != s["id"] and not file.startswith("<"):
        raise DataFileError(f"id {s['id']!r} differs from the file name {Path(file).stem!r}",
                            file=file, line=s.line_of("id"), key="id",
                            hint=f"Rename the file {s['id']}.yaml or change the id.")
    raw_claims = [s["claim"]] if s["claim"] else list(s["claims"])
    claims = tuple(_claim(c, s["expect"], file, "claim" if s["claim"] else f"claims[{i}]")
                   for i, c in enumerate(raw_claims))
    fx_on = fx_date_of((s["assumptions"] or {}).get("fx_date"), s["date"], s["sources"])
    stages = tuple(_stage(st, file, i, fx_on) for i, st in enumerate(s["stages"]))
    names = {st.name for st in stages}
    for i, (raw, claim) in enumerate(zip(raw_claims, claims)):
        unknown = [n for n in claim.stages if n not in names]
        if unknown:
            raise DataFileError(f"claim names stage {unknown[0]!r}, which is not in stages",
                                file=file, line=raw.line_of("stages"),
                                key=("claim" if s["claim"] else f"claims[{i}]") + ".stages",
                                hint="Stage names: " + ", ".join(sorted(names)) + ".")
    _check_routes(stages, claims, raw_claims, "claim" if s["claim"] else "claims", file)
    assumptions = dict(s["assumptions"] or {})
    if assumptions.get("price") is not None:
        assumptions["price"] = _usd_price(assumptions["price"], fx_on, file,
                                          s["assumptions"].line_of("price"))
    lines = {"date": s.line_of("date")}
    if s["assumptions"]:
        lines["assumptions.fx_date"] = s["assumptions"].line_of("fx_date")
        lines["assumptions.as_of"] = s["assumptions"].line_of("as_of")
    return Scenario(lines=lines, id_line=s.line_of("id"), id=s["id"], title=s["title"],
                    sources=tuple(s["sources"]), claims=claims,
                    stages=stages, assumptions=assumptions, tags=tuple(s["tags"]),
                    notes=s["notes"], date=s["date"], file=file, format_version=version)


def _format_version(s, file: str) -> int:
    """The file's format_version (absent: 1); a newer one than this estimator reads is an
    error saying to upgrade; an older one is updated by FORMAT_UPDATES' advice."""
    version = int(s["format_version"]) if s["format_version"] is not None else 1
    if version > FORMAT_VERSION:
        raise DataFileError(f"format_version {version} is newer than this estimator reads "
                            f"(format {FORMAT_VERSION}, estimator {__version__})",
                            file=file, line=s.line_of("format_version"), key="format_version",
                            hint="Upgrade: pip install -U training-cost-estimator "
                                 "(CHANGELOG.md lists the format changes).")
    if version < FORMAT_VERSION:
        steps = " ".join(FORMAT_UPDATES[v] for v in range(version + 1, FORMAT_VERSION + 1))
        raise DataFileError(f"format_version {version} is older than the current "
                            f"{FORMAT_VERSION}", file=file, line=s.line_of("format_version"),
                            key="format_version", hint=steps)
    return version



def _claim(c, top_expect, file: str, key: str) -> Claim:
    kind = QUANTITIES[c["quantity"]][0]
    value = _parse(c["value"], kind, file, c.line_of("value"), f"{key}.value")
    if value.value == 0:
        raise DataFileError("a claimed value of zero cannot be checked", file=file,
                            line=c.line_of("value"), key=f"{key}.value",
                            hint="Give the figure the source states.")
    high = None
    if c["relation"] == "between":
        if c["high"] is None:
            raise DataFileError("a 'between' claim needs 'high'", file=file, line=c.line,
                                key=f"{key}.high")
        high = _parse(c["high"], kind, file, c.line_of("high"), f"{key}.high")
        _same_currency(high, value, file, c.line_of("high"), f"{key}.high")
        if high.value < value.value:
            raise DataFileError("'high' is below 'value'", file=file, line=c.line_of("high"),
                                key=f"{key}.high")
    if c["dollar_year"] is not None and c["quantity"] != "cost":
        raise DataFileError(f"dollar_year applies to cost claims, not {c['quantity']}",
                            file=file, line=c.line_of("dollar_year"), key=f"{key}.dollar_year",
                            hint="Remove it, or use quantity: cost.")
    expect = c["expect"] or top_expect
    compare = None
    if c["compare_to"] is not None:
        parsed = _parse(c["compare_to"], kind, file, c.line_of("compare_to"),
                        f"{key}.compare_to")
        _same_currency(parsed, value, file, c.line_of("compare_to"), f"{key}.compare_to")
        compare = parsed.value
    return Claim(compare_to=compare, compare_label=c["compare_label"], stages=tuple(c["stages"]),
                 derived=bool(c["derived"]), text=c["text"], quantity=c["quantity"],
                 value=value.value,
                 currency=value.currency, relation=c["relation"], tolerance=c["tolerance"],
                 high=high.value if high else None, scope=c["scope"],
                 expect_verdict=expect["verdict"] if expect else None,
                 expect_implied=_implied_bounds(expect),
                 source=c["source"], note=c["note"], line=c.line, tier=c["tier"],
                 provider_class=c["provider_class"], dollar_year=c["dollar_year"],
                 **_method_fields(c, file, key))


def _method_fields(c, file: str, key: str) -> dict:
    """Issue 15: the claim's cost method and dollar year; a method other than rental is for
    cost claims only."""
    if c["method"] != "rental" and c["quantity"] != "cost":
        raise DataFileError(f"method {c['method']!r} applies to cost claims, not "
                            f"{c['quantity']}", file=file, line=c.line_of("method"),
                            key=f"{key}.method", hint="Remove method, or use quantity: cost.")
    year = c.get("dollar_year")
    return {"method": c["method"], "method_dollar_year": None if year is None else int(year)}


def _implied_bounds(expect) -> dict:
    """expect.implied as name -> {min, max}, the names given only."""
    if not expect:
        return {}
    return {k: dict(v) for k, v in (expect["implied"] or {}).items() if v is not None}


def _same_currency(parsed, value, file: str, line: int, key: str) -> None:
    if parsed.currency != value.currency:
        raise DataFileError(f"in {parsed.currency}, but the claim's value is in {value.currency}",
                            file=file, line=line, key=key,
                            hint=f"Write it in {value.currency} too.")


def _parse(raw, kind: str, file: str, line: int, key: str) -> units.Parsed:
    try:
        if kind == "tflops":          # a bare number is TFLOP/s; text with units is FLOP/s
            return _tflops(raw)
        return parse_quantity(raw, kind)
    except InputError as exc:
        raise DataFileError(exc.message, file=file, line=line, key=key, hint=exc.hint) from None


def _tflops(raw) -> units.Parsed:
    """A throughput claim in TFLOP/s per GPU: '147' or '147 TFLOP/s'."""
    try:
        return units.Parsed(float(str(ungrouped(raw)).replace("_", "")))
    except ValueError:
        return units.Parsed(parse_quantity(raw, "flop_rate").value / 1e12)


def _usd_price(parsed: units.Parsed, on, file: str, line: int,
               key: str = "assumptions.price") -> float:
    if parsed.currency == "USD":
        return parsed.value
    try:
        return float(to_usd(parsed.value, parsed.currency, on)[0])
    except EstimatorError as exc:
        raise DataFileError(exc.message, file=file, line=line, key=key,
                            hint=exc.hint) from None


TIME_INPUTS = ({"count", "hours"}, {"gpu_hours"}, {"gpu_hours", "count"}, {"flop"},
               {"params", "tokens"}, {"flop_per_token", "tokens"}, {"count"})
"""Accepted input sets of a stage; count alone describes a fleet (capex claims only)."""


def _stage(st, file: str, index: int, fx_on=None) -> Stage:
    key = f"stages[{index}]"
    value = {k: (st[k].value if st[k] is not None else None)
             for k in ("count", "hours", "gpu_hours", "params", "tokens", "flop",
                       "flop_per_token")}
    _time_from_token_rates(st, value, file, key)
    given = {k for k, v in value.items() if v is not None}
    if "tokens" in given and not given & {"params", "flop_per_token"} and given - {"tokens"}:
        given = given - {"tokens"}        # tokens with hardware time: for tokens per second
    route = given - {"count"} if given & {"flop", "params", "flop_per_token"} else given
    if route not in TIME_INPUTS and not is_dual_route(given):
        raise DataFileError(
            f"give count and hours, or gpu_hours (optionally with count), or compute inputs "
            f"(params and tokens, flop, or flop_per_token and tokens), or count alone for a "
            f"fleet; got "
            f"{', '.join(sorted(given)) or 'none'}", file=file, line=st.line, key=key)
    mfu = st["mfu"]
    if (mfu is not None and mfu.auto) != (st["layout"] is not None):
        raise DataFileError("mfu: auto and layout go together: the layout is what the MFU is "
                            "predicted from", file=file, line=st.line, key=f"{key}.mfu")
    throughput = _stage_throughput(st, file, key)
    formula = _transformer_flop(st, value, file, key)
    price = None
    if st["price"] is not None:
        price = _usd_price(st["price"], fx_on, file, st.line_of("price"),
                           f"stages[{index}].price")
    return Stage(name=st["name"], gpu=st["gpu"], **value, mfu=mfu, layout=st["layout"],
                 precision=st["precision"],
                 price_usd=price, power_w=st["power_w"],
                 secondary=bool(st["secondary"]), note=st["note"], start=st["start"],
                 end=st["end"], line=st.line, route=st["route"],
                 throughput_tflops_per_gpu=throughput, flop_formula=formula,
                 **_stage_overrides(st, file, index))


# --- Issue 22: what sources report, as stage inputs ------------------------------------

def _time_from_token_rates(st, value: dict, file: str, key: str) -> None:
    """GPU-hours from tokens_per_second_per_gpu (tokens / rate / 3600), wall clock from the
    cluster's tokens_per_second; each needs ``tokens`` and replaces a time input."""
    rates = {"tokens_per_second_per_gpu": "gpu_hours", "tokens_per_second": "hours"}
    for name, target in rates.items():
        if st[name] is None:
            continue
        if value["tokens"] is None:
            raise DataFileError(f"{name} needs tokens (the run's training tokens)", file=file,
                                line=st.line_of(name), key=f"{key}.{name}",
                                hint="Add tokens, e.g. tokens: 300B.")
        if value["hours"] is not None or value["gpu_hours"] is not None:
            raise DataFileError(f"give {name} or the run's hours/gpu_hours, not both",
                                file=file, line=st.line_of(name), key=f"{key}.{name}")
        value[target] = value["tokens"] / st[name].value / 3600.0   # tokens / (tokens/s) [s]


def _stage_throughput(st, file: str, key: str) -> float | None:
    """The stated model TFLOP/s per GPU (its MFU is it / the peak, evaluate.input_bands)."""
    if st["throughput_tflops_per_gpu"] is None:
        return None
    if st["mfu"] is not None:
        raise DataFileError("give mfu or throughput_tflops_per_gpu, not both (one is the "
                            "other x the peak)", file=file,
                            line=st.line_of("throughput_tflops_per_gpu"),
                            key=f"{key}.throughput_tflops_per_gpu")
    return _parse(st["throughput_tflops_per_gpu"], "tflops", file,
                  st.line_of("throughput_tflops_per_gpu"),
                  f"{key}.throughput_tflops_per_gpu").value


def _transformer_flop(st, value: dict, file: str, key: str) -> str | None:
    """Training FLOP from params, tokens and the transformer shape (layers, hidden, seq_len:
    the attention term; recompute), by the model `compute` uses
    (models/transformer_flops.py); sets value['flop'] and returns the formula's name."""
    shape = {k: st[k].value for k in ("layers", "hidden", "seq_len") if st[k] is not None}
    if not shape and st["recompute"] is None:
        return None
    if value["params"] is None or value["tokens"] is None:
        raise DataFileError("layers, hidden, seq_len and recompute refine 6ND: they need "
                            "params and tokens", file=file, line=st.line, key=key,
                            hint="Add params and tokens, or remove the shape keys.")
    if shape and len(shape) != 3:
        missing = sorted({"layers", "hidden", "seq_len"} - set(shape))
        raise DataFileError(f"the attention term needs layers, hidden and seq_len; missing "
                            f"{', '.join(missing)}", file=file, line=st.line,
                            key=f"{key}.{missing[0]}")
    recompute = st["recompute"] or "none"
    value["flop"] = float(tf.training_flop(value["params"], value["tokens"],
                                           recompute=tf.recompute_code(recompute), **shape))
    return tf.formula_name(recompute, attention=bool(shape))


def _check_routes(stages: tuple, claims: tuple, raw_claims: list, key: str, file: str) -> None:
    """Stages with ``route:`` describe one run in alternative ways and are never summed: with
    routes, every claim names its ``stages:``, all of one route (plus stages without one)."""
    routes = sorted({st.route for st in stages if st.route is not None})
    if not routes:
        return
    route_of = {st.name: st.route for st in stages}
    for i, (raw, claim) in enumerate(zip(raw_claims, claims)):
        where = key if key == "claim" else f"{key}[{i}]"
        if not claim.stages:
            example = [st.name for st in stages if st.route in (None, routes[0])]
            raise DataFileError(
                f"the stages describe one run in alternative ways (routes "
                f"{', '.join(routes)}), so the claim must say which stages it covers",
                file=file, line=raw.line, key=f"{where}.stages",
                hint=f"Add e.g. stages: [{', '.join(example)}] to the claim; stages of "
                     "different routes are never summed.")
        mixed = sorted({route_of[n] for n in claim.stages if route_of[n] is not None})
        if len(mixed) > 1:
            raise DataFileError(
                f"the claim's stages belong to different routes ({', '.join(mixed)}): "
                "alternative descriptions of one run cannot be summed", file=file,
                line=raw.line_of("stages"), key=f"{where}.stages",
                hint="Name the stages of one route only (stages without a route may be "
                     "added to any).")


# --- Issue 16: stages with both hardware time and work; per-stage energy overrides ---------

HARDWARE_TIME = ({"count", "hours"}, {"gpu_hours"}, {"gpu_hours", "count"})
WORK = ({"flop"}, {"params", "tokens"}, {"flop_per_token", "tokens"})


def is_dual_route(given: set) -> bool:
    """A stage with both hardware time (count x hours or gpu_hours) and work (params x tokens,
    flop, or flop_per_token x tokens): the tool reports its implied MFU and goodput."""
    work = given & {"flop", "params", "tokens", "flop_per_token"}
    return work in WORK and (given - work) in HARDWARE_TIME


def _stage_overrides(st, file: str, index: int) -> dict:
    """Per-stage pue and grid intensity (carbon_intensity, or region's intensity as stated)."""
    intensity = st["carbon_intensity"]
    if st["region"] is not None:
        if intensity is not None:
            raise DataFileError("give carbon_intensity or region, not both", file=file,
                                line=st.line_of("region"), key=f"stages[{index}].region")
        table = regions()
        name = st["region"].strip().lower()
        if name not in table:
            raise unknown_name("grid region", st["region"], table).located(
                file=file, line=st.line_of("region"), key=f"stages[{index}].region")
        intensity = AssumedValue(table[name]["kg_co2e_per_kwh"], None)
    return {"pue": st["pue"], "carbon_intensity": intensity}
