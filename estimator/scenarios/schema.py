"""The scenario file format: one published claim, its inputs, and the verdict expected.

Documented for users in docs/scenario-format.md; exported as JSON Schema by
`estimator schema scenario`.
"""

from __future__ import annotations

from dataclasses import dataclass

from estimator.bands import PROVIDER_CLASSES, TIERS
from estimator.data.profiles import PRECISIONS  # noqa: E402
from estimator.data.schema import (
    Bool,
    Date,
    Field,
    ListOf,
    Num,
    Quantity,
    Scalar,
    Str,
    Struct,
    Type,
    Url,
    _described,
)

PRECISION_NAMES = tuple(PRECISIONS)

QUANTITIES = {
    "cost": ("money", "rental cost of the GPU time (any currency)"),
    "capex": ("money", "capital cost of buying the fleet (ownership model)"),
    "gpu_hours": ("gpu_hours", "GPU-hours (chip-hours for TPUs)"),
    "hours": ("hours", "wall-clock duration"),
    "flop": ("flop", "training compute"),
    "energy": ("energy", "electricity used at the facility (after PUE); same as energy_facility"),
    "energy_facility": ("energy", "electricity used at the facility (after PUE)"),
    "energy_it": ("energy", "electricity used by the GPUs alone (before PUE)"),
    "co2": ("mass", "emissions in tonnes CO2e"),
    "mfu": ("fraction", "model FLOP utilisation: model FLOP / (GPU-hours x peak of the "
                        "precision basis)"),
    "throughput_tflops_per_gpu": ("tflops", "achieved model TFLOP/s per GPU (a bare number is "
                                            "TFLOP/s; '147 TFLOP/s' also works)"),
    "tokens_per_second": ("token_rate", "training tokens per second of wall clock, whole run "
                                        "(a bare number, or '24,000 tokens/s')"),
    "price_usd_per_gpu_hour": ("price", "rental price per GPU-hour (any currency)"),
    "gpu_count": ("count", "GPUs used (with relation at_most for 'up to N GPUs')"),
}
"""What a claim can state: name -> (unit kind, description)."""

INTENSIVE = ("mfu", "throughput_tflops_per_gpu", "tokens_per_second", "price_usd_per_gpu_hour",
             "gpu_count", "goodput")
"""Quantities that are ratios or counts, not sums: a total over stages is derived from the
summed FLOP, GPU-hours, tokens and cost (gpu_count: the largest stage), not added up."""

IMPLIED_NAMES = {
    "price_usd_per_gpu_hour": "rental price per GPU-hour that makes a cost claim exact",
    "gpu_hours": "GPU-hours at the stated price (cost claims)",
    "hours": "wall-clock hours (cost claims at the stated price; gpu_hours, gpu_count and "
             "tokens_per_second claims)",
    "cost_usd": "cost of the run's GPU-hours at the claimed price (price_usd_per_gpu_hour "
                "claims)",
    "count": "GPU count (hours, capex and gpu_count claims)",
    "capex_usd_per_gpu": "capital cost per GPU (capex claims)",
    "mfu": "MFU (cost, gpu_hours, flop, throughput claims)",
    "power_w_per_gpu": "average power per GPU before PUE, at the scenario's PUE (energy claims)",
    "pue": "PUE (energy_facility claims with a stated IT energy)",
    "carbon_intensity_kg_per_kwh": "grid intensity (co2 claims)",
    "fx_rate_per_usd": "exchange rate, claim currency per USD (non-USD money claims)",
    "goodput": "useful compute time / wall-clock GPU time (stages with hardware time and work)",
}
"""The names `expect.implied` may bound; implied values are reported under these names
(fx_rate_per_usd as fx_rate_<currency>_per_usd)."""

RELATIONS = ("approx", "at_least", "at_most", "between")
VERDICTS = ("reproduced", "consistent", "inconsistent")
SCOPES = ("final-run", "pre-training", "post-training", "rl-stage", "fine-tune", "all-stages",
          "budget", "fleet", "stage", "other")

DEFAULT_TOLERANCE = 0.05
"""Relative tolerance of an `approx` claim: 5% covers the rounding of published figures."""

SOURCE = Struct({
    "outlet": Field(Str(description="publication, or author for a paper"), required=True),
    "author": Field(Str()),
    "title": Field(Str(), required=True),
    "date": Field(Date(), required=True),
    "url": Field(Url()),
    "language": Field(Str(pattern=r"[a-z]{2}", description="ISO 639-1 code, e.g. sv")),
    "role": Field(Str(choices=("article", "primary", "secondary", "estimate")),
                  default="article"),
    "quote": Field(Str(description="the passage with the figure, in the source's language")),
})

IMPLIED_BOUND = Struct({"min": Field(Num(minimum=0, exclusive=False)),
                        "max": Field(Num(minimum=0, exclusive=False))})

IMPLIED = Struct({name: Field(Struct(dict(IMPLIED_BOUND.fields), description=text))
                  for name, text in IMPLIED_NAMES.items()},
                 description="bounds {min, max} on implied values; names as listed")

EXPECT = Struct({
    "verdict": Field(Str(choices=VERDICTS), required=True),
    "implied": Field(IMPLIED, default={}),
})

LAYOUT = Struct({
    **{k: Field(Num(integer=True, description=text)) for k, text in (
        ("tp", "tensor-parallel size"), ("pp", "pipeline stages"),
        ("dp", "data-parallel size (default: count / (tp x pp))"),
        ("micro_batch", "sequences per micro-batch (default 1)"),
        ("global_batch", "sequences per optimizer step"),
        ("interleave", "interleaved pipeline chunks per GPU (default 1)"),
        ("layers", "transformer layers"), ("hidden", "hidden size"),
        ("heads", "attention heads"), ("seq_len", "sequence length"),
        ("vocab", "vocabulary size"))},
    "zero": Field(Num(integer=True, exclusive=False, maximum=3,
                      description="ZeRO stage (3: 1.5x the data-parallel traffic)")),
    "model": Field(Str(description="built-in architecture (data/architectures.yaml)")),
    "recompute": Field(Str(choices=("none", "selective", "full"))),
    "sequence_parallel": Field(Bool()),
    "dp_overlap": Field(Bool()),
    "flash_attention": Field(Bool()),
    "matmul_fraction": Field(Num(maximum=1.0)),
    "tp_gb_per_s": Field(Num()),
    "dp_gb_per_s": Field(Num()),
}, description="the parallel layout the source reports, for mfu: auto (issue 26)")

RANGE_PINNED = "pinned"
RANGE_DEFAULT = "default"


@dataclass
class Assumed(Type):
    """A source's figure: `0.471` (stated; the range stays the default), `"0.3:0.5"` (a range,
    nothing stated) or `{value: 0.471, range: pinned | default | "0.3:0.5"}`."""

    kind: str
    description: str = ""
    auto: bool = False              # accepts "auto": predicted from the stage's layout (issue 26)

    def validate(self, value, ctx):
        if self.auto and isinstance(value, str) and value.strip().lower() == "auto":
            return AssumedValue(None, None, auto=True)
        if isinstance(value, dict):
            spec = Struct({"value": Field(Quantity(self.kind), required=True),
                           "range": Field(Scalar(description="pinned, default or low:high"),
                                          default=RANGE_DEFAULT)})
            node = spec.validate(value, ctx)
            return AssumedValue(node["value"].value, _range(node["range"], self.kind,
                                                           node["value"].value,
                                                           ctx.child("range",
                                                                     node.line_of("range"))))
        low, high = Quantity(self.kind, ranged=True).validate(value, ctx)
        if low.value == high.value and not (isinstance(value, str) and ":" in value):
            return AssumedValue(low.value, None)
        return AssumedValue(None, (low.value, high.value))

    def json_schema(self):
        return _described({"oneOf": [
            {"type": ["number", "string"]},
            {"type": "object", "properties": {"value": {"type": ["number", "string"]},
                                              "range": {"type": ["number", "string"]}},
             "required": ["value"], "additionalProperties": False}]},
            self.description or f"{self.kind}: the source's figure (the range stays the "
                                "default), a 'low:high' range, or {value, range: pinned | "
                                "default | 'low:high'}")


@dataclass(frozen=True)
class AssumedValue:
    """stated: the source's figure (None if it states none); range: (low, high), or None for
    the default market/technical range."""

    stated: float | None
    range: tuple | None
    auto: bool = False              # mfu: auto, predicted by calc/mfu.py from the layout

    @property
    def pinned(self) -> bool:
        return self.range is not None and self.range[0] == self.range[1]


def _range(raw, kind: str, stated: float, ctx):
    if raw == RANGE_DEFAULT:
        return None
    if raw == RANGE_PINNED:
        return (stated, stated)
    if not (isinstance(raw, str) and ":" in raw):
        raise ctx.error(f"expected pinned, default or low:high, got {raw!r}",
                        hint="e.g. range: pinned, or range: \"0.3:0.5\".")
    low, high = Quantity(kind, ranged=True).validate(raw, ctx)
    return (low.value, high.value)

# --- Issue 13 (pricing): which price, at which date, in which year's dollars -------------
# Keys owned by the pricing work; merged into CLAIM, STAGE and ASSUMPTIONS below.
# See docs/scenario-format.md and README "Which price?".

_TIER = Str(choices=TIERS + ("all",), description="price tier of the GPU's market band "
                                                  "(default on_demand)")
_PROVIDER_CLASS = Str(choices=PROVIDER_CLASSES, description="only prices from this class "
                                                            "of provider (default every class)")

CLAIM_PRICING = {
    "tier": Field(_TIER),
    "provider_class": Field(_PROVIDER_CLASS),
    "dollar_year": Field(Num(minimum=1990, exclusive=False, maximum=2100, integer=True,
                             description="the claim is in constant dollars of this year "
                                         "(computed USD are restated to it with the PPI "
                                         "deflator before comparing)")),
}
STAGE_PRICING = {
    "start": Field(Date(description="first day of this stage's training: its price date")),
    "end": Field(Date(description="last day of this stage's training (price date when no "
                                  "start is given)")),
}
ASSUMPTIONS_PRICING = {
    "tier": Field(_TIER),
    "provider_class": Field(_PROVIDER_CLASS),
}
# --- end of issue 13 keys ---------------------------------------------------------------

CLAIM = Struct({
    "text": Field(Str(description="the claim, quoted or paraphrased"), required=True),
    "quantity": Field(Str(choices=tuple(QUANTITIES)), default="cost"),
    "value": Field(Scalar(description="the claimed value with unit or currency, "
                                      "e.g. '294000 USD', '60M SEK', '2.788M'"), required=True),
    "relation": Field(Str(choices=RELATIONS), default="approx"),
    "tolerance": Field(Num(minimum=0, exclusive=False, maximum=10), default=DEFAULT_TOLERANCE),
    "high": Field(Scalar(description="upper end of a `between` claim")),
    "scope": Field(Str(choices=SCOPES), default="final-run"),
    "source": Field(Str(description="which source makes the claim (outlet)")),
    "stages": Field(ListOf(Str(description="stage name")), default=[]),
    "compare_to": Field(Scalar(description="a reference amount to report the ratio to, "
                                           "e.g. '5.576M USD'")),
    "compare_label": Field(Str(description="what compare_to is, e.g. 'the V3 final run'")),
    "expect": Field(EXPECT),
    "derived": Field(Bool(description="the figure was computed by the file's author, not "
                                      "stated by the source"), default=False),
    "note": Field(Str()),
    **CLAIM_PRICING,
})

# --- Issue 15: the cost method of a claim (keep this block separate) -----------------------

CLAIM_METHODS = ("rental", "cloud", "amortised", "acquisition")
"""How a cost claim counts (calc/cost_methods): the rental band at the claim's price date
(default), Epoch AI's cloud (3-year committed-use price at the training date), amortised
(hardware capex + energy) or acquisition (the cluster's purchase price)."""

DEVELOPMENT_SCOPE = "development"
"""Claim scope: the final run plus experiments and R&D staff (models/development.py)."""

CLAIM.fields["method"] = Field(Str(choices=CLAIM_METHODS, description="how a cost claim "
                                   "counts: rental, cloud, amortised or acquisition"),
                               default="rental")
EXPERIMENTS_SCOPE = "experiments"
"""Claim scope (issue 22): the final run plus preliminary experiments, compute only (no
staff): the final-run cost x Epoch AI's experiments factor (models/development.py)."""

CLAIM.fields["scope"] = Field(Str(choices=SCOPES + (DEVELOPMENT_SCOPE, EXPERIMENTS_SCOPE)),
                              default="final-run")
CLAIM.fields.setdefault("dollar_year", Field(Num(
    minimum=1990, exclusive=False, maximum=2100, integer=True,
    description="the claim's money is constant December-<year> USD")))

# --- end of issue 15 ----------------------------------------------------------------------


STAGE = Struct({
    "name": Field(Str(), required=True),
    "gpu": Field(Str(description="GPU id or alias"), required=True),
    "count": Field(Quantity("count")),
    "hours": Field(Quantity("hours")),
    "gpu_hours": Field(Quantity("gpu_hours")),
    "params": Field(Quantity("params", description="activated parameters (6ND)")),
    "tokens": Field(Quantity("tokens")),
    "flop": Field(Quantity("flop")),
    "flop_per_token": Field(Quantity("flop")),
    "mfu": Field(Assumed("fraction", auto=True, description="MFU: the source's figure, a "
                         "'low:high' range, or auto (predicted from the stage's layout)")),
    "layout": Field(LAYOUT),
    "precision": Field(Str(choices=PRECISION_NAMES)),
    "price": Field(Quantity("price", description="this stage's stated price per GPU-hour")),
    "power_w": Field(Assumed("power", description="average power per GPU/chip as the source "
                                                  "states it (stated value; the range stays "
                                                  "TDP x the power-fraction range unless "
                                                  "pinned)")),
    "pue": Field(Assumed("ratio", description="this stage's PUE (overrides assumptions.pue)")),
    "carbon_intensity": Field(Assumed("carbon_intensity", description="this stage's grid "
                                      "intensity (overrides assumptions.carbon_intensity)")),
    "region": Field(Str(description="grid region from grid_intensity.yaml: the stage's "
                                    "stated grid intensity")),
    "secondary": Field(Bool(description="inputs from secondary or unverified sources")),
    "note": Field(Str()),
    # issue 22: what sources report about a run, as stage inputs
    "throughput_tflops_per_gpu": Field(Scalar(description="achieved model TFLOP/s per GPU as "
                                              "the source states it ('147' or '147 TFLOP/s'): "
                                              "the stated MFU is it / the peak")),
    "tokens_per_second_per_gpu": Field(Quantity("token_rate", description="training tokens "
                                                "per second per GPU ('24,000 tokens/s'); with "
                                                "tokens, gives the GPU-hours")),
    "tokens_per_second": Field(Quantity("token_rate", description="training tokens per "
                                        "second of the whole cluster; with tokens, gives the "
                                        "wall clock")),
    "layers": Field(Quantity("count", description="transformer layers (with hidden and "
                                                  "seq_len: the attention FLOP term)")),
    "hidden": Field(Quantity("count", description="hidden size")),
    "seq_len": Field(Quantity("count", description="sequence length [tokens]")),
    "recompute": Field(Str(choices=("none", "selective", "full"), description="activation "
                           "recomputation counted in the FLOP (full: 8ND), as `compute "
                           "--recompute`")),
    "route": Field(Str(description="this stage is one of several alternative descriptions of "
                                   "the same run (e.g. 'reported-hours' and '6nd'): stages of "
                                   "different routes are never summed, and every claim names "
                                   "its stages")),
    **STAGE_PRICING,
})

ASSUMPTIONS = Struct({
    "price": Field(Quantity("price", description="the source's stated price per GPU-hour")),
    "as_of": Field(Date(description="the price date of every stage (wins over stage start/end "
                                    "and the scenario's date; --as-of wins over it)")),
    "fx_date": Field(Date(description="date of the exchange rate for money claims")),
    "pue": Field(Assumed("ratio")),
    "power_fraction": Field(Assumed("fraction")),
    "mfu": Field(Assumed("fraction")),
    "precision": Field(Str(choices=PRECISION_NAMES), default="bf16"),
    "carbon_intensity": Field(Assumed("carbon_intensity")),
    "purchase_price": Field(Quantity("money", ranged=True)),
    "server_overhead": Field(Quantity("ratio", ranged=True)),
    "interconnect_share": Field(Num(minimum=0, exclusive=False, maximum=0.9)),
    **ASSUMPTIONS_PRICING,
})

FORMAT_VERSION = 1
"""The scenario format this estimator writes and reads (``format_version``; absent = 1).
Raise it only with a format change that old files need to follow, and add the update advice
to FORMAT_UPDATES (docs/scenario-format.md, CHANGELOG.md)."""

FORMAT_UPDATES: dict[int, str] = {}
"""version -> how to update a file of the version before it (none yet: format 1 is every
file written up to estimator 0.3)."""

RESERVED_IDS = ("static", "hardware", "library", "methods")
"""Folder names of the published site's own sections: a scenario page lives at <id>/, so a
scenario with one of these ids would overwrite a section page (or fail on the static files)."""


@dataclass
class ScenarioId(Str):
    """A scenario id: lower-case letters, digits and hyphens, and not a site section's name."""

    pattern: str | None = r"[a-z0-9][a-z0-9-]*"

    def validate(self, value, ctx):
        value = super().validate(value, ctx)
        if value in RESERVED_IDS:
            raise ctx.error(f"id {value!r} is the name of a section of the published site",
                            hint="Reserved ids: " + ", ".join(RESERVED_IDS)
                            + ". Choose another id, e.g. the outlet and the claim.")
        return value


SCENARIO = Struct({
    "format_version": Field(Num(minimum=1, exclusive=False, integer=True, description=(
        f"the scenario format the file follows (current {FORMAT_VERSION}; absent = 1)"))),
    "id": Field(ScenarioId(), required=True),
    "title": Field(Str(), required=True),
    "date": Field(Date(description="when the claim was published")),
    "sources": Field(ListOf(SOURCE, min_items=1), required=True),
    "claim": Field(CLAIM),
    "claims": Field(ListOf(CLAIM, min_items=1)),
    "stages": Field(ListOf(STAGE, min_items=1), required=True),
    "assumptions": Field(ASSUMPTIONS, default=None),
    "expect": Field(EXPECT),
    "tags": Field(ListOf(Str()), default=[]),
    "notes": Field(Str()),
}, one_of=(("claim", "claims"),), title="estimator scenario")
