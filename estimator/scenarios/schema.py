"""The scenario file format: one published claim, its inputs, and the verdict expected.

Documented for users in docs/scenario-format.md; exported as JSON Schema by
`estimator schema scenario`.
"""

from __future__ import annotations

from estimator.data.profiles import PRECISIONS  # noqa: E402
from estimator.data.schema import (
    Bool,
    Date,
    Field,
    ListOf,
    MapOf,
    Num,
    Quantity,
    Scalar,
    Str,
    Struct,
)

PRECISION_NAMES = tuple(PRECISIONS)

QUANTITIES = {
    "cost": ("money", "rental cost of the GPU time (any currency)"),
    "capex": ("money", "capital cost of buying the fleet (ownership model)"),
    "gpu_hours": ("gpu_hours", "GPU-hours (chip-hours for TPUs)"),
    "hours": ("hours", "wall-clock duration"),
    "flop": ("flop", "training compute"),
    "energy": ("energy", "electricity used"),
    "co2": ("mass", "emissions in tonnes CO2e"),
}
"""What a claim can state: name -> (unit kind, description)."""

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
    "url": Field(Str()),
    "language": Field(Str(pattern=r"[a-z]{2}", description="ISO 639-1 code, e.g. sv")),
    "role": Field(Str(choices=("article", "primary", "secondary", "estimate")),
                  default="article"),
    "quote": Field(Str(description="the passage with the figure, in the source's language")),
})

IMPLIED_BOUND = Struct({"min": Field(Num(minimum=0, exclusive=False)),
                        "max": Field(Num(minimum=0, exclusive=False))})

EXPECT = Struct({
    "verdict": Field(Str(choices=VERDICTS), required=True),
    "implied": Field(MapOf(IMPLIED_BOUND), default={}),
})

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
    "note": Field(Str()),
})

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
    "mfu": Field(Quantity("fraction", ranged=True)),
    "precision": Field(Str(choices=PRECISION_NAMES)),
    "price": Field(Quantity("price", description="this stage's stated price per GPU-hour")),
    "power_w": Field(Quantity("power", description="average power per GPU/chip as the source "
                                                   "states it (replaces TDP x power fraction)")),
    "secondary": Field(Bool(description="inputs from secondary or unverified sources")),
    "note": Field(Str()),
})

ASSUMPTIONS = Struct({
    "price": Field(Quantity("price", description="the source's stated price per GPU-hour")),
    "as_of": Field(Date(description="price bands from observations up to this date")),
    "fx_date": Field(Date(description="date of the exchange rate for money claims")),
    "pue": Field(Quantity("ratio", ranged=True)),
    "power_fraction": Field(Quantity("fraction", ranged=True)),
    "mfu": Field(Quantity("fraction", ranged=True)),
    "precision": Field(Str(choices=PRECISION_NAMES), default="bf16"),
    "carbon_intensity": Field(Quantity("carbon_intensity", ranged=True)),
    "purchase_price": Field(Quantity("money", ranged=True)),
    "server_overhead": Field(Quantity("ratio", ranged=True)),
    "interconnect_share": Field(Num(minimum=0, exclusive=False, maximum=0.9)),
})

SCENARIO = Struct({
    "id": Field(Str(pattern=r"[a-z0-9][a-z0-9-]*"), required=True),
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
