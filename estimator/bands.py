"""Dated price observations and the one rule that turns them into a price band.

The band rule (documented in docs/profile-format.md, "The band rule", and README; its
parameters, :data:`BAND_RULE`, are chosen by the time-forward backtest
``benchmarks/price_backtest.py``):

* a band is computed within a **tier** (``on_demand`` by default; ``all`` = every tier except
  ``spot``, which is interruptible and unfit for a training run) and optionally a **provider
  class**, at a **reference date** (``--as-of``);
* candidates are the rental observations of those tiers (and class) dated on or before the
  reference date; somebody's assumed price (``assumption: true``, e.g. DeepSeek's $2) is kept
  as an observation but never a candidate;
* **one provider, one price**: of the candidates from one provider (see :func:`provider_key`)
  in one tier only its latest date counts (a price a provider has since changed is no longer
  on offer), and several prices of that date (regions, instance sizes) count as their median;
* providers whose latest price is older than :attr:`BandRule.window_days` drop out; if none
  is that recent, every provider's last price is used and the band is ``stale``. Within the
  window a price weighs 0.5 ** (age / :attr:`BandRule.half_life_days`);
* every price is converted to USD per GPU-hour with the FX rate of its own date;
* typical = weighted median, low / high = the :attr:`BandRule.quantile` and 1 - quantile
  weighted quantiles, at least typical x (1 -/+ :attr:`BandRule.min_half_width`) wide
  (estimator/price_quantiles.py);
* a band whose newest price is older than :data:`STALE_DAYS` is ``stale``; one resting on
  fewer than :data:`THIN_PROVIDERS` providers is ``thin``; :func:`band_evidence` says so;
* no candidate at all -> no band (``HardwareProfile.market_band`` raises, naming the
  earliest observation).

A profile may override the band with an explicit, sourced ``price_band``, or derive it
from another profile's band times a sourced factor (``derived_from``; rule ``derived``).
"""

from __future__ import annotations

import datetime as dt
import math
import re
from dataclasses import dataclass, fields, replace

import numpy as np

from estimator.errors import unknown_name
from estimator.price_quantiles import age_weights, band_values

TIERS = ("on_demand", "commit_1y", "commit_3y", "spot", "marketplace")
"""Price tiers: list price by the hour, 1- and 3-year commitments, interruptible, and
community/auction marketplaces."""

ALL_TIERS = tuple(t for t in TIERS if t != "spot")
"""What ``tier="all"`` means: every tier a training run can be bought at (not spot)."""

DEFAULT_TIER = "on_demand"

PROVIDER_CLASSES = ("hyperscaler", "neocloud", "marketplace", "index")
"""Who set the price: AWS/Azure/Google/Oracle; other clouds at their own list price;
community or auction marketplaces; published price indices."""

LEGACY_KINDS = {"on-demand": "on_demand", "1-yr": "commit_1y", "3-yr": "commit_3y",
                "spot": "spot", "market": "marketplace", "assumption": None}
"""The old ``kind`` key of a rental price -> its tier (None: ``assumption: true``)."""



@dataclass(frozen=True)
class BandRule:
    """The parameters of the band rule (module docstring)."""

    window_days: int = 730          # providers whose latest price is older drop out [days]
    half_life_days: float | None = None   # a price's weight halves every this many days
    quantile: float = 0.0           # low = this quantile, high = 1 - this (0: min / max)
    min_half_width: float = 0.0     # low <= typical x (1 - this), high >= typical x (1 + this)
    one_per_provider: bool = True   # a provider's prices of its latest date count once
    stale_days: int | None = None   # newest price older than this: stale (None: STALE_DAYS)

    @property
    def label(self) -> str:
        half = f"half-life {self.half_life_days:g} d" if self.half_life_days else "no decay"
        return (f"window {self.window_days} d, {half}, quantiles {self.quantile:g}/"
                f"{1 - self.quantile:g}, min width +/-{self.min_half_width:.0%}")


BAND_RULE = BandRule(window_days=365, half_life_days=180, quantile=0.1, min_half_width=0.35)
"""The band rule every market band uses, chosen by ``benchmarks/price_backtest.py`` (README,
"Price bands", has its table) among 4 windows x 3 half-lives x 3 quantiles x 3 minimum widths:
the narrowest rule that meets the targets (>= 80 % of observations inside their band, median
factor typical/price <= 1.25; the share that gets a band at all is the data's), else the one
with the most observations inside. On the 407 observations of 0.3.0 none met the targets and
the 730-day window was chosen (77 % inside, factor 1.26); on the 599 of the third data pass
(archived neocloud price pages) several rules meet them, and the one chosen (narrowest, then
most often inside) is a 365-day window (83 % inside, factor 1.18, as the 730-day window): a
provider's last price counts for a year, its weight halving every 180 days."""

LEGACY_RULE = BandRule(window_days=730, half_life_days=None, quantile=0.0, min_half_width=0.0,
                       one_per_provider=False, stale_days=730)
"""The rule before issue 23: 730-day window, min / median / max over every current price.
Kept for Epoch AI's cloud method (median of prices, calc/cost_methods/price_sources.py) and as a
backtest candidate."""

WINDOW_DAYS = BAND_RULE.window_days
"""The band rule's window [days] (:attr:`BandRule.window_days`)."""

STALE_DAYS = 365
"""A band whose newest price is older than this at its reference date is ``stale`` [days]:
list prices of a rentable GPU change several times a year (README backtest: share inside
the band falls once the newest price is over a year old)."""

THIN_PROVIDERS = 2
"""A band resting on fewer providers than this is ``thin``: one provider's price list is
not a market (the backtest's bands from one provider hold fewer quotes)."""

_PROVIDER_ALIASES = {"amazon": "aws", "microsoft": "azure", "gcp": "google",
                     "lambdalabs": "lambda"}


def provider_key(provider: str) -> str:
    """The company behind a provider label, for supersession and provider counts:
    the first word, lower-case, with a few aliases ("Amazon Web Services" and
    "AWS p5.48xlarge (us-east-1)" -> "aws"; "Lambda Labs" -> "lambda")."""
    words = re.findall(r"[a-z0-9.]+", provider.lower())
    first = words[0] if words else provider.lower()
    return _PROVIDER_ALIASES.get(first, first)


def parse_tiers(tier) -> tuple:
    """``"on_demand"``, ``"on_demand,commit_1y"``, ``"all"`` or a list -> a tuple of tiers;
    UnknownNameError naming the valid choices otherwise."""
    if tier is None:
        return (DEFAULT_TIER,)
    names = [t.strip() for t in tier.split(",")] if isinstance(tier, str) else list(tier)
    out: list = []
    for name in names:
        if name == "all":
            out += [t for t in ALL_TIERS if t not in out]
        elif name in TIERS:
            out += [name] if name not in out else []
        else:
            raise unknown_name("tier", name, TIERS + ("all",))
    if not out:
        raise unknown_name("tier", str(tier), TIERS + ("all",))
    return tuple(out)


def parse_provider_classes(provider_class) -> tuple | None:
    """None (every class), one class, a comma list or a list -> tuple; error on a typo."""
    if provider_class is None:
        return None
    names = ([c.strip() for c in provider_class.split(",")] if isinstance(provider_class, str)
             else list(provider_class))
    for name in names:
        if name not in PROVIDER_CLASSES:
            raise unknown_name("provider class", name, PROVIDER_CLASSES)
    return tuple(names)


@dataclass(frozen=True)
class RentalObservation:
    """One observed rental price; ``price_usd_per_gpu_hour`` is converted at ``date``.

    ``assumption`` marks somebody's assumed price (not a market quote): shown, never in a
    band."""

    provider: str
    tier: str
    provider_class: str
    price_per_gpu_hour: float       # in ``currency``
    currency: str
    date: dt.date
    source: str
    as_of: dt.date
    confidence: str
    price_usd_per_gpu_hour: float
    gpus_per_instance: int | None = None
    note: str | None = None
    assumption: bool = False
    origin: str | None = None       # the observation file it was imported from (None: built-in)

    @property
    def kind(self) -> str:
        """A display label: the tier, or "assumption"."""
        return "assumption" if self.assumption else self.tier


@dataclass(frozen=True)
class PurchaseObservation:
    """One observed purchase price per GPU (card, board, DGX or server share)."""

    seller: str
    what: str
    price_per_gpu: float
    currency: str
    date: dt.date
    source: str
    as_of: dt.date
    confidence: str
    price_usd_per_gpu: float
    note: str | None = None


@dataclass(frozen=True, eq=False)
class Range:
    """A value known as a range: ``low <= typical <= high``, the source's own ``stated`` value
    where there is one (NaN otherwise), the ``rule`` that made it and its ``source``.

    The range type of every value that is not a market price: input ranges (MFU, PUE, power
    fraction, grid intensity, server overhead) and computed quantities of a scenario (cost,
    GPU-hours, energy...). Values may be NaN where a quantity cannot be computed (a stage
    without a purchase price has no capex). Prices are :class:`Band`, a Range with the
    provenance of a price (observations, reference date, tier, provider class, stale).
    Equality is field by field with NaN equal to NaN, and only between objects of one type;
    the hash agrees with it (equal ranges hash alike).
    """

    low: float
    typical: float
    high: float
    stated: float = math.nan
    rule: str = "given"     # observations | derived | override | given | default | computed
    source: str | None = None
    note: str | None = None         # e.g. how a derived band was derived

    def __post_init__(self):
        finite = [v for v in (self.low, self.typical, self.high) if math.isfinite(v)]
        if len(finite) == 3 and not (self.low <= self.typical <= self.high):
            raise ValueError(f"band not ordered: {self.low} {self.typical} {self.high}")

    def __eq__(self, other) -> bool:
        """Field by field, with NaN equal to NaN (a range without a stated value equals its
        copy); a Range never equals a Band (a price carries provenance a Range has not)."""
        if not isinstance(other, Range):
            return NotImplemented
        return type(self) is type(other) and all(
            _same(getattr(self, f.name), getattr(other, f.name)) for f in fields(self))

    def __hash__(self) -> int:
        """Consistent with ``__eq__``: equal ranges (NaN equal to NaN) hash alike, so a set or a
        dict key holds one of them."""
        return hash((type(self).__name__,
                     *(_hash_key(getattr(self, f.name)) for f in fields(self))))

    @classmethod
    def given(cls, low: float, high: float | None = None, **provenance):
        """A user's point or "low:high" range; typical is the midpoint, stated the point."""
        high = low if high is None else high
        stated = low if low == high else math.nan
        return cls(low, low / 2 + high / 2, high, stated, **{"rule": "given", **provenance})

    @classmethod
    def around(cls, typical: float, low: float, high: float, stated: float = math.nan,
               **provenance):
        """A default range with its own typical value (e.g. MFU 0.15-0.65, typical 0.375)."""
        return cls(low, typical, high, stated, **{"rule": "default", **provenance})

    @property
    def reference(self) -> float:
        """The value a claim is compared with first: stated if there is one, else typical."""
        return self.stated if math.isfinite(self.stated) else self.typical

    @property
    def has_stated(self) -> bool:
        return math.isfinite(self.stated)

    @property
    def is_point(self) -> bool:
        """True where low and high are (numerically) the same value."""
        return math.isclose(self.low, self.high, rel_tol=1e-9)

    @property
    def finite(self) -> bool:
        return math.isfinite(self.low) and math.isfinite(self.high)

    def values(self) -> np.ndarray:
        """[low, typical, high] as an array."""
        return np.array([self.low, self.typical, self.high], dtype=float)

    def __add__(self, other: "Range") -> "Range":
        """Ranges of parts that add up (stages run one after another): low + low, etc.; the
        sum is a computed Range (a total has no single price provenance)."""
        return Range(self.low + other.low, self.typical + other.typical,
                     self.high + other.high, self.stated + other.stated, rule="computed")

    @classmethod
    def total(cls, ranges) -> "Range":
        """The sum of several ranges (see ``__add__``); a zero Range for none."""
        out = Range(0.0, 0.0, 0.0, 0.0, rule="computed")
        for part in ranges:
            out = out + part
        return out

    def scaled(self, factor: float):
        """Every value times ``factor`` (e.g. USD -> SEK), provenance kept."""
        return replace(self, low=self.low * factor, typical=self.typical * factor,
                       high=self.high * factor, stated=self.stated * factor)


@dataclass(frozen=True, eq=False)
class Band(Range):
    """A price as a range (USD per GPU-hour for rentals, USD per GPU for purchases): a
    :class:`Range` with where the price came from, the band rule's output (module docstring).

    Rule ``observations`` bands rest on ``used`` observations at ``reference_date``, within
    ``tier`` (comma-joined) and ``provider_class`` (None: every class), and say whether they are
    ``stale`` or ``thin``; ``override`` and ``derived`` bands come from a profile's
    ``price_band`` and ``derived_from``; ``given`` from the user (``--price 2:3``).
    """

    reference_date: dt.date | None = None
    used: tuple = ()                # the observations behind it
    stale: bool = False
    tier: str | None = None         # the tier(s), comma-joined ("on_demand")
    provider_class: str | None = None   # the provider-class filter, None = every class

    @property
    def count(self) -> int:
        """How many observations the band rests on (0 for a given or override band)."""
        return len(self.used)

    @property
    def provider_count(self) -> int:
        """How many providers (:func:`provider_key`) the band rests on."""
        return len({provider_key(o.provider) for o in self.used if hasattr(o, "provider")})

    @property
    def newest(self) -> dt.date | None:
        """Date of the newest observation behind the band (None without observations)."""
        return max((o.date for o in self.used), default=None)

    @property
    def thin(self) -> bool:
        """A band from observations of fewer than :data:`THIN_PROVIDERS` providers."""
        return bool(self.used) and self.provider_count < THIN_PROVIDERS


RANGE_ENDS = ("low", "typical", "high")
"""The values of a range by name, in column order (``cost_usd_low``, ``cost_usd_typical``...)."""


@dataclass(frozen=True)
class RangeColumns:
    """Many ranges as three aligned float arrays, one entry per row: the vectorised form of
    a list of Ranges, addressed by name (``.low``, ``.typical``, ``.high``), never by a
    position in an [n, 3] array."""

    low: np.ndarray
    typical: np.ndarray
    high: np.ndarray

    @classmethod
    def of(cls, ranges) -> "RangeColumns":
        """The columns of a sequence of Ranges (or Bands)."""
        ranges = list(ranges)
        return cls(*(np.array([getattr(r, end) for r in ranges], dtype=float)
                     for end in RANGE_ENDS))

    def __len__(self) -> int:
        return len(self.typical)

    def take(self, index) -> "RangeColumns":
        """The rows at ``index`` (an integer array), as columns."""
        return RangeColumns(self.low[index], self.typical[index], self.high[index])

    def items(self):
        """(name, column) for low, typical and high, in that order."""
        return zip(RANGE_ENDS, (self.low, self.typical, self.high))


PriceBand = Band
"""The name of a price band in earlier releases; the same type."""


def _hash_key(value):
    """A field value as ``Band.__hash__`` sees it: every NaN the same key (as in ``_same``)."""
    if isinstance(value, float) and math.isnan(value):
        return "nan"
    return value


def _same(a, b) -> bool:
    if isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        return True
    return a == b


def derive_band(observations, reference_date: dt.date, window_days: int | None = None,
                tier=DEFAULT_TIER, provider_class=None, rule: BandRule = BAND_RULE
                ) -> Band | None:
    """Apply the band rule (module docstring) to rental ``observations`` within ``tier``
    (and ``provider_class``); None when no candidate is dated on or before the date.
    ``window_days`` overrides ``rule.window_days``."""
    tiers = parse_tiers(tier)
    classes = parse_provider_classes(provider_class)
    if window_days is not None:
        rule = replace(rule, window_days=window_days)
    candidates = [o for o in observations
                  if not o.assumption and o.tier in tiers and o.date <= reference_date
                  and (classes is None or o.provider_class in classes)]
    band = rental_band(current(candidates), reference_date, rule)
    if band is None:
        return None
    return replace(band, tier=",".join(tiers),
                   provider_class=",".join(classes) if classes else None)


def current(observations) -> list:
    """Supersession: per (provider, tier), only the observations of the latest date."""
    latest: dict = {}
    for o in observations:
        key = (provider_key(o.provider), o.tier)
        latest[key] = max(latest.get(key, o.date), o.date)
    return [o for o in observations if o.date == latest[(provider_key(o.provider), o.tier)]]


def providers(observations) -> set:
    """The distinct providers (:func:`provider_key`) behind some observations."""
    return {provider_key(o.provider) for o in observations}


def rental_band(latest, reference_date: dt.date, rule: BandRule = BAND_RULE) -> Band | None:
    """The band over providers' latest prices (:func:`current`) at ``reference_date``."""
    if not latest:
        return None
    start = reference_date - dt.timedelta(days=rule.window_days)
    recent = [o for o in latest if o.date > start]
    chosen = recent or latest
    if rule.one_per_provider:
        groups: dict = {}
        for o in chosen:
            groups.setdefault((provider_key(o.provider), o.tier), []).append(o)
        prices = np.array([np.median([o.price_usd_per_gpu_hour for o in g])
                           for g in groups.values()])
        dates = [g[0].date for g in groups.values()]
    else:
        prices = np.array([o.price_usd_per_gpu_hour for o in chosen])
        dates = [o.date for o in chosen]
    ages = np.array([(reference_date - d).days for d in dates], dtype=float)
    # weights are relative: ages counted from the newest price, so prices centuries before the
    # date (a far --as-of) keep finite weights instead of underflowing to 0 (a NaN band)
    low, typical, high = band_values(prices, age_weights(ages - ages.min(), rule.half_life_days),
                                     rule.quantile, rule.min_half_width)
    newest = max(dates)
    return Band(low=low, typical=typical, high=high, rule="observations",
                reference_date=reference_date,
                used=tuple(sorted(chosen, key=lambda o: (o.date, o.provider))),
                stale=not recent or (reference_date - newest).days > (rule.stale_days
                                                                      or STALE_DAYS))


def band_evidence(band: Band | None) -> str:
    """What a band rests on, in one phrase for explanations, `prices`, `plan` and the site:
    "range from 2 observations (1 provider), newest 2025-03-17; thin, stale"; derived and
    override bands say so (a derived band with its note: from what it was derived). Empty
    for a band that is not a market band."""
    if band is None or band.rule not in ("observations", "derived", "override"):
        return ""
    if band.rule == "override":
        return "explicit price band from the profile" + (f" ({band.source})" if band.source
                                                           else "")
    n, k = band.count, band.provider_count
    text = (f"range from {n} observation{'s' if n != 1 else ''} "
            f"({k} provider{'s' if k != 1 else ''})")
    if band.newest is not None:
        text += f", newest {band.newest.isoformat()}"
    flags = [f for f, on in (("derived", band.rule == "derived"), ("thin", band.thin),
                             ("stale", band.stale)) if on]
    how = f"; {band.note}" if band.rule == "derived" and band.note else ""
    return text + ("; " + ", ".join(flags) if flags else "") + how


def derive_purchase_band(observations, reference_date: dt.date,
                         window_days: int = LEGACY_RULE.window_days) -> Band | None:
    """min / median / max of purchase observations [USD per GPU] dated within ``window_days``
    before ``reference_date`` (else all of them, stale); no tiers, no supersession."""
    candidates = [o for o in observations if o.date <= reference_date]
    if not candidates:
        return None
    start = reference_date - dt.timedelta(days=window_days)
    recent = [o for o in candidates if o.date > start]
    chosen = recent or candidates
    values = np.array([o.price_usd_per_gpu for o in chosen])
    return Band(
        low=float(values.min()), typical=float(np.median(values)), high=float(values.max()),
        rule="observations", reference_date=reference_date,
        used=tuple(sorted(chosen, key=lambda o: (o.date, getattr(o, "seller", "")))),
        stale=not recent,
    )


# --- Fallback bands: a band for every question the market can answer, marked as derived ---
#
# When a GPU has no observation of other providers in the tier and class asked for, its band
# may be derived from the same GPU's own prices elsewhere, scaled by a ratio measured on OTHER
# GPUs at the same date. Three steps are implemented (fallback_band's ``steps``):
#
# * "class": the same tier in the other provider classes (pooled), times the median ratio
#   (this class / the other classes) of the tier's typical prices on other GPUs;
# * "tier": the same class in another tier (on_demand first, FALLBACK_TIERS), times the
#   median ratio (this tier / that tier) of typical prices on other GPUs, same class;
# * "class+tier": the other classes in another tier, times the ratio of those two markets.
#
# benchmarks/price_backtest.py keeps a step only when the bands it adds hold the price at
# least as often as the pooled band (what `cost` uses by default); on the data of this
# release "class" and "class+tier" pass, "tier" does not (FALLBACK_ORDER; README, "Price
# bands", has the figures).
# Then nothing: a GPU with no rental price of its own gets no band (another GPU's price is
# never borrowed silently; a profile may say so explicitly with ``derived_from``).
#
# Every band and ratio is computed with the band rule at the reference date from
# observations dated on or before it (derive_band), so a fallback never sees a later price.

FALLBACK_ORDER = ("class", "class+tier")
"""The fallback steps used, in order, when the exact tier + class band has no observation
(chosen by the backtest; see the comment above and README, "Price bands")."""

FALLBACK_TIERS = ("on_demand", "commit_1y", "commit_3y", "marketplace", "spot")
"""The tiers a "tier" fallback scales from, first one with a band and a ratio wins: the
list price by the hour is the most observed tier, so it comes first."""

FALLBACK_WIDEN = True
"""A fallback band's low and high are also scaled by the smallest and largest of the other
GPUs' ratios (the ratio's own spread), chosen by the backtest: the derived bands hold the
price more often that way (README, "Price bands")."""

RATIO_MIN_GPUS = 1
"""A ratio is measured on at least this many other GPUs (each GPU's ratio counts once; the
median of them is used)."""


@dataclass(frozen=True)
class MarketRatio:
    """The ratio of two markets' typical prices, measured on other GPUs at a date: the
    median over GPUs (``value``), its smallest and largest (``low``, ``high``) and the GPUs."""

    value: float
    low: float
    high: float
    gpus: tuple

    @property
    def spread(self) -> tuple:
        """(low / value, high / value): how far the GPUs' own ratios lie from the median."""
        return self.low / self.value, self.high / self.value


def market_ratio(market, reference_date: dt.date, numerator: tuple, denominator: tuple,
                 rule: BandRule = BAND_RULE) -> MarketRatio | None:
    """The median over GPUs of typical(numerator) / typical(denominator) at ``reference_date``.

    ``market`` maps a GPU id to its rental observations; ``numerator`` and ``denominator`` are
    (tier, provider classes or None) pairs. A GPU counts when both its bands exist and neither
    is stale (a ratio of a current and a two-year-old price says nothing about the market);
    None when fewer than :data:`RATIO_MIN_GPUS` GPUs count."""
    ratios, gpus = [], []
    for gpu, observations in sorted(market.items()):
        top = derive_band(observations, reference_date, tier=numerator[0],
                          provider_class=numerator[1], rule=rule)
        if top is None or top.stale:
            continue
        bottom = derive_band(observations, reference_date, tier=denominator[0],
                             provider_class=denominator[1], rule=rule)
        if bottom is None or bottom.stale:
            continue
        ratios.append(top.typical / bottom.typical)
        gpus.append(gpu)
    if len(ratios) < max(RATIO_MIN_GPUS, 1):
        return None
    return MarketRatio(float(np.median(ratios)), float(min(ratios)), float(max(ratios)),
                       tuple(gpus))


def fallback_band(observations, reference_date: dt.date, tier=DEFAULT_TIER,
                  provider_class=None, market=None, rule: BandRule = BAND_RULE,
                  steps=FALLBACK_ORDER, widen: bool = FALLBACK_WIDEN) -> Band | None:
    """The band of ``tier`` and ``provider_class`` at ``reference_date``: the band rule over
    ``observations`` (:func:`derive_band`), else the first fallback step of ``steps`` that
    gives one (:data:`FALLBACK_ORDER`), with ratios measured on ``market`` (GPU id ->
    observations of the OTHER GPUs); None when no step does.

    A fallback band has ``rule="derived"`` and a ``note`` saying from what; it keeps the
    observations (and so the count, newest date, thin and stale flags) of the band it was
    scaled from. ``widen`` also scales low and high by the smallest and largest of the GPUs'
    ratios (the ratio's own spread). Only a single tier falls back (a tier list pools)."""
    exact = derive_band(observations, reference_date, tier=tier, provider_class=provider_class,
                        rule=rule)
    tiers = parse_tiers(tier)
    if exact is not None or not market or len(tiers) != 1:
        return exact
    (wanted,), classes = tiers, parse_provider_classes(provider_class)
    for step in steps:
        if step == "class" and classes is not None:
            others = tuple(c for c in PROVIDER_CLASSES if c not in classes)
            found = _scaled(observations, reference_date, market, rule, (wanted, classes),
                            (wanted, others), widen)
        elif step in ("tier", "class+tier"):
            base_classes = classes if step == "tier" else (
                tuple(c for c in PROVIDER_CLASSES if c not in classes) if classes else None)
            if step == "class+tier" and base_classes is None:
                continue
            found = next((band for other in FALLBACK_TIERS if other != wanted
                          for band in [_scaled(observations, reference_date, market, rule,
                                               (wanted, classes), (other, base_classes),
                                               widen)]
                          if band is not None), None)
        else:
            continue
        if found is not None:
            return replace(found, tier=wanted,
                           provider_class=",".join(classes) if classes else None)
    return None


def _scaled(observations, reference_date, market, rule, target: tuple, base_kind: tuple,
            widen: bool = FALLBACK_WIDEN) -> Band | None:
    """The ``base_kind`` band of ``observations`` times the ``target``/``base_kind`` market
    ratio, as a derived band; None if either is missing."""
    base = derive_band(observations, reference_date, tier=base_kind[0],
                       provider_class=base_kind[1], rule=rule)
    if base is None:
        return None
    ratio = market_ratio(market, reference_date, target, base_kind, rule)
    if ratio is None:
        return None
    low_factor, high_factor = (ratio.low, ratio.high) if widen else (ratio.value, ratio.value)
    return replace(base, low=base.low * low_factor, typical=base.typical * ratio.value,
                   high=base.high * high_factor, rule="derived",
                   note=(f"derived from the {_kind_label(base_kind)} band x {ratio.value:.2f}, "
                         f"the median {_kind_label(target)} / {_kind_label(base_kind)} ratio "
                         f"of typical prices on {len(ratio.gpus)} other "
                         f"GPU{'s' if len(ratio.gpus) != 1 else ''} at "
                         f"{reference_date.isoformat()}"))


def _kind_label(kind: tuple) -> str:
    tier, classes = kind
    return tier + (f" {'+'.join(classes)}" if classes else "")
