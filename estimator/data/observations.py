"""Rental price observations and derived bands in profile files: schema and parsing.

Every rental price has a ``tier`` (:data:`estimator.bands.TIERS`) and a ``provider_class``
(:data:`estimator.bands.PROVIDER_CLASSES`); somebody's assumed price is ``assumption: true``
(with a tier, kept out of every band). The old ``kind`` key (``on-demand``, ``1-yr``,
``3-yr``, ``spot``, ``market``, ``assumption``) is still read: it maps to a tier
(``market`` -> ``marketplace``; ``assumption`` -> ``on_demand`` with ``assumption: true``),
and a missing ``provider_class`` is then inferred from the provider's name
(:func:`infer_provider_class`). See docs/profile-format.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from estimator.bands import LEGACY_KINDS, PROVIDER_CLASSES, TIERS, RentalObservation, provider_key
from estimator.data.fx import to_usd as convert
from estimator.data.schema import Bool, Citation, Date, Field, Num, Str, Struct
from estimator.errors import DataFileError, EstimatorError
from estimator.inputs.units import KINDS

SOURCE_FIELDS = {
    "source": Field(Citation(description="URL, citation, or ref:<name> from references"),
                    required=True),
    "as_of": Field(Date(), required=True),
    "confidence": Field(Str(choices=("primary", "faithful-copy", "secondary", "unverified",
                                     "estimate")), default="primary"),
    "note": Field(Str()),
}

RENTAL_SCHEMA = Struct({
    "provider": Field(Str(), required=True),
    "tier": Field(Str(choices=TIERS, description="price tier")),
    "provider_class": Field(Str(choices=PROVIDER_CLASSES, description="who set the price")),
    "kind": Field(Str(choices=tuple(LEGACY_KINDS),
                      description="old name for tier (read, mapped; use tier)")),
    "assumption": Field(Bool(description="somebody's assumed price, never in a band"),
                        default=False),
    "price_per_gpu_hour": Field(Num(description="price per GPU-hour (chip-hour) in currency")),
    "price_per_instance_hour": Field(Num(description="price per instance-hour in currency")),
    "gpus_per_instance": Field(Num(integer=True, description="GPUs in the priced instance")),
    "currency": Field(Str(pattern=r"[A-Z]{3}"), default="USD"),
    "date": Field(Date(description="when the price was listed or observed"), required=True),
    "outlier": Field(Str(description="why a price far above the others is right (lint)")),
    **SOURCE_FIELDS,
}, one_of=(("price_per_gpu_hour", "price_per_instance_hour"), ("tier", "kind")))

DERIVED_SCHEMA = Struct({
    "profile": Field(Str(description="id or alias of the profile whose band is scaled"),
                     required=True),
    "factor": Field(Num(description="band of that profile times this factor"), required=True),
    "reason": Field(Str(), required=True),
    "source": Field(Str(description="where the factor comes from"), required=True),
    "as_of": Field(Date(), required=True),
    "provider_class": Field(Str(choices=PROVIDER_CLASSES, description="only that profile's "
                                "prices from this class of provider (e.g. neocloud: where "
                                "the derived GPU is really rented)")),
})

HYPERSCALERS = {"aws", "azure", "google", "oracle"}
"""Provider keys (:func:`estimator.bands.provider_key`) of the hyperscalers."""

MARKETPLACES = {"vast.ai", "vast", "salad", "china"}
"""Provider keys of community/auction marketplaces (and the China server-rental market)."""


def infer_provider_class(provider: str, tier: str) -> str:
    """The provider class of an observation written with the old ``kind`` key: hyperscaler
    for AWS, Azure, Google Cloud, Oracle; marketplace for marketplace-tier prices and known
    marketplaces; index for names containing "index"; neocloud otherwise."""
    key = provider_key(provider)
    if key in HYPERSCALERS:
        return "hyperscaler"
    if "index" in provider.lower():
        return "index"
    if tier == "marketplace" or key in MARKETPLACES:
        return "marketplace"
    return "neocloud"


@dataclass(frozen=True)
class DerivedFrom:
    """A band derived from another profile's band: ``band(profile) x factor``."""

    profile: str
    factor: float
    reason: str
    source: str
    as_of: dt.date
    provider_class: str | None = None   # only the base profile's prices from this class

    @property
    def note(self) -> str:
        which = f" {self.provider_class}" if self.provider_class else ""
        return (f"derived: {self.profile}{which} band x {self.factor:g} ({self.reason}; "
                f"factor: {self.source})")


def derived_from(d, file: str) -> DerivedFrom | None:
    """The validated ``derived_from`` mapping of a profile, or None."""
    if d is None:
        return None
    if not d["factor"] > 0:
        raise DataFileError("derived_from.factor must be above 0", file=file, line=d.line,
                            key="derived_from.factor")
    return DerivedFrom(d["profile"], float(d["factor"]), d["reason"], d["source"], d["as_of"],
                       d["provider_class"])


def rental(r, i: int, source: str, file: str, key_name: str = "rental_prices"
           ) -> RentalObservation:
    """One validated rental row -> RentalObservation (USD at the rate of its date)."""
    key = f"{key_name}[{i}]"
    per_gpu = r["price_per_gpu_hour"]
    if per_gpu is None:
        if not r["gpus_per_instance"]:
            raise DataFileError("price_per_instance_hour needs gpus_per_instance", file=file,
                                line=r.line, key=key)
        per_gpu = r["price_per_instance_hour"] / r["gpus_per_instance"]
    tier, assumption = r["tier"], r["assumption"]
    if tier is None:
        tier = LEGACY_KINDS[r["kind"]] or "on_demand"
        assumption = assumption or r["kind"] == "assumption"
    provider_class = r["provider_class"] or infer_provider_class(r["provider"], tier)
    usd = to_usd(per_gpu, r["currency"], r["date"], file, f"{key}.currency", r.line)
    check_price_limits(usd, r["currency"], file, r.line,
                       f"{key}.price_per_{'gpu' if r['price_per_gpu_hour'] else 'instance'}_hour")
    return RentalObservation(
        provider=r["provider"], tier=tier, provider_class=provider_class,
        price_per_gpu_hour=per_gpu, currency=r["currency"], date=r["date"], source=source,
        as_of=r["as_of"], confidence=r["confidence"], price_usd_per_gpu_hour=usd,
        gpus_per_instance=int(r["gpus_per_instance"]) if r["gpus_per_instance"] else None,
        note=r["note"], assumption=assumption)


def check_price_limits(usd_per_gpu_hour: float, currency: str, file: str, line, key: str
                       ) -> None:
    """DataFileError unless the price, in USD per GPU-hour after conversion, is within the
    limits every price input has (inputs/units.py, README "Numbers and units")."""
    low, high = KINDS["price"].minimum, KINDS["price"].maximum
    if low <= usd_per_gpu_hour <= high:
        return
    where = "below the minimum" if usd_per_gpu_hour < low else "above the maximum"
    converted = "" if currency == "USD" else f" (converted from {currency})"
    raise DataFileError(f"the price {usd_per_gpu_hour:.4g} USD per GPU-hour{converted} is {where} "
                        f"{low if usd_per_gpu_hour < low else high:g} USD per GPU-hour",
                        file=file, line=line, key=key,
                        hint="Check the number and its unit: a price per instance needs "
                             "gpus_per_instance; a tiny or huge value is a broken cell.")


def to_usd(amount: float, currency: str, on: dt.date, file: str, key: str, line: int) -> float:
    """``amount`` [currency] in USD at the rate of ``on``; a DataFileError naming the key."""
    try:
        return float(convert(amount, currency, on)[0])
    except EstimatorError as exc:
        raise DataFileError(exc.message, file=file, line=line, key=key, hint=exc.hint) from None
