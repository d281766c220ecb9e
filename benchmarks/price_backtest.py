"""Time-forward backtest of the price-band rule (issue 23).

    python benchmarks/price_backtest.py [--prices DIR] [--format table|markdown|json]

Every rental observation of the profiles (not an assumption) is predicted from the
observations dated strictly before it, of the same GPU and tier, from **other** providers
(a provider never predicts its own price): the band of its provider class (the rule's
per-class band) and the pooled band across classes (what `cost` uses without
``--provider-class``). For each candidate band rule (windows, age half-lives, quantiles,
minimum widths: :data:`CANDIDATES`) it counts

* ``banded``: the share of observations that get a band at all;
* ``inside``: of those, the share whose price lies within low..high;
* ``factor``: the median of max(price / typical, typical / price);
* ``width``: the median high / low.

A GPU that one provider alone sells in a tier and class (a TPU: Google) can never be predicted
from other providers; the summary also gives the figures where 2+ providers sell it.

The rule chosen is the narrowest (smallest median width) of those meeting :data:`TARGETS`
on the per-class bands (widths equal to 0.01 tie), ties to the one more often inside, then
the simpler rule (listed first); nothing is fitted to one quote: every figure is over all
observations at once.
Then the chosen rule's figures per GPU, year, tier and provider class. The package's rule
is ``estimator.bands.BAND_RULE``; the run says whether it is the one chosen. Runs on the
built-in profiles in seconds.
"""

from __future__ import annotations

import argparse
import itertools
import json
import sys
from dataclasses import dataclass

import pandas as pd

from estimator.bands import (
    BAND_RULE,
    FALLBACK_ORDER,
    FALLBACK_WIDEN,
    LEGACY_RULE,
    BandRule,
    current,
    fallback_band,
    provider_key,
    rental_band,
)
from estimator.data.profiles import load_profiles

TARGETS = {"banded": 0.90, "inside": 0.80, "factor": 1.25}
"""Issue 23: >= 90 % of observations get a band, >= 80 % fall inside it, median factor
between price and typical <= 1.25."""

WINDOWS_DAYS = (180, 365, 540, 730)
HALF_LIVES_DAYS = (None, 180, 365)
QUANTILES = (0.1, 0.2, 0.25)
"""Low / high quantile levels tried (never 0 = min / max: one outlier would set the band)."""
MIN_HALF_WIDTHS = (0.0, 0.15, 0.25, 0.3, 0.35)

CANDIDATES = (LEGACY_RULE,) + tuple(
    BandRule(window_days=w, half_life_days=h, quantile=q, min_half_width=m)
    for w, h, q, m in itertools.product(WINDOWS_DAYS, HALF_LIVES_DAYS, QUANTILES,
                                        MIN_HALF_WIDTHS))
"""The rules compared: the pre-issue-23 rule first, then the grid (simplest first)."""


@dataclass(frozen=True)
class Case:
    """One observation to predict and the providers' latest prices before its date."""

    gpu: str
    date: object
    tier: str
    provider_class: str
    provider: str
    price: float
    own_class: tuple      # latest prices of other providers, same tier and class
    pooled: tuple         # same, every class
    sellers: int = 0      # providers with any price of this GPU, tier and class (any date)
    history: tuple = ()   # other providers' earlier prices of this GPU, every tier and class
    market: tuple = ()    # (GPU id, observations): other providers' earlier prices of OTHER GPUs


def cases(profiles) -> list[Case]:
    """Every observation of every profile with its two histories (other providers only)."""
    out = []
    own = [p for p in profiles if p.derived is None and p.band_override is None]
    everything = {p.id: [o for o in p.rental if not o.assumption] for p in own}
    for profile in own:
        pool = everything[profile.id]
        sellers: dict = {}
        for o in pool:
            sellers.setdefault((o.tier, o.provider_class), set()).add(provider_key(o.provider))
        for o in pool:
            before = [x for x in pool if x.tier == o.tier and x.date < o.date
                      and provider_key(x.provider) != provider_key(o.provider)]
            latest = current(before)
            seller = provider_key(o.provider)
            history = tuple(x for x in pool
                            if x.date < o.date and provider_key(x.provider) != seller)
            market = tuple((gpu, tuple(x for x in obs if x.date < o.date
                                       and provider_key(x.provider) != seller))
                           for gpu, obs in everything.items() if gpu != profile.id)
            out.append(Case(profile.id, o.date, o.tier, o.provider_class, seller,
                            o.price_usd_per_gpu_hour,
                            tuple(x for x in latest if x.provider_class == o.provider_class),
                            tuple(latest), len(sellers[(o.tier, o.provider_class)]),
                            history, tuple((g, x) for g, x in market if x)))
    return out


def predict(all_cases, rule: BandRule, which: str) -> pd.DataFrame:
    """One row per case: its band under ``rule`` from ``which`` history (own_class/pooled)."""
    return _rows(all_cases, lambda c: (rental_band(list(getattr(c, which)), c.date, rule),
                                       "exact"))


def fallback_prediction(case: Case, rule: BandRule, which: str, steps=FALLBACK_ORDER,
                        widen: bool = False):
    """(band, how) for one case with the package's fallbacks (estimator.bands.fallback_band):
    how = "exact", the fallback step that gave the band, or "none". The case's history and
    market hold only other providers' earlier prices, so a provider never predicts itself."""
    classes = (case.provider_class,) if which == "own_class" else None
    market = dict(case.market)
    band = fallback_band(case.history, case.date, case.tier, classes, market, rule, steps=())
    if band is not None:
        return band, "exact"
    for step in steps:
        band = fallback_band(case.history, case.date, case.tier, classes, market, rule,
                             steps=(step,), widen=widen)
        if band is not None:
            return band, step
    return None, "none"


def predict_fallback(all_cases, rule: BandRule, which: str, steps=FALLBACK_ORDER,
                     widen: bool = False) -> pd.DataFrame:
    """:func:`predict` with the fallback steps; a column ``how`` says which band each got."""
    return _rows(all_cases, lambda c: fallback_prediction(c, rule, which, steps, widen))


def _rows(all_cases, band_of) -> pd.DataFrame:
    rows = []
    for c in all_cases:
        band, how = band_of(c)
        row = {"gpu": c.gpu, "year": c.date.year, "tier": c.tier, "class": c.provider_class,
               "price": c.price, "banded": band is not None, "sellers": c.sellers,
               "how": how if band is not None else "none"}
        if band is not None:
            row.update(low=band.low, typical=band.typical, high=band.high,
                       inside=band.low * (1 - 1e-9) <= c.price <= band.high * (1 + 1e-9),
                       factor=max(c.price / band.typical, band.typical / c.price),
                       width=band.high / band.low, stale=band.stale,
                       providers=band.provider_count)
        rows.append(row)
    return pd.DataFrame(rows)


def score(frame: pd.DataFrame) -> dict:
    """n, banded share, inside share, median factor and median width of predictions."""
    banded = frame[frame["banded"]] if "inside" in frame else frame.iloc[:0]
    return {"n": int(len(frame)),
            "banded": float(frame["banded"].mean()) if len(frame) else float("nan"),
            "inside": float(banded["inside"].astype(bool).mean()) if len(banded) else float("nan"),
            "factor": float(banded["factor"].median()) if len(banded) else float("nan"),
            "width": float(banded["width"].median()) if len(banded) else float("nan")}


def meets(s: dict) -> bool:
    """The rule's targets: inside and factor (the banded share is the data's, not the
    rule's: every rule gives a band wherever an earlier price exists; it is reported)."""
    return s["inside"] >= TARGETS["inside"] and s["factor"] <= TARGETS["factor"]


def compare(all_cases) -> tuple[pd.DataFrame, BandRule]:
    """Every candidate's per-class and pooled scores, and the rule chosen."""
    rows = []
    for rule in CANDIDATES:
        own, pooled = score(predict(all_cases, rule, "own_class")), score(
            predict(all_cases, rule, "pooled"))
        rows.append({"rule": rule, **own, "pooled_inside": pooled["inside"],
                     "pooled_factor": pooled["factor"], "pooled_width": pooled["width"],
                     "meets": meets(own)})
    table = pd.DataFrame(rows)
    ok = table[table["meets"]]
    if len(ok):
        chosen = ok.assign(neg_inside=-ok["inside"], shown_width=ok["width"].round(2)).sort_values(
            ["shown_width", "neg_inside", "factor"], kind="stable").iloc[0]["rule"]
    else:   # nothing meets every target: the most often inside, then the closest typical
        chosen = table.sort_values(["inside", "factor"], ascending=[False, True],
                                   kind="stable").iloc[0]["rule"]
    return table, chosen


FALLBACK_STEPS = ("class", "tier", "class+tier")
"""The fallback steps tried, in this order (estimator.bands.fallback_band): the same tier in
the other classes, the same class in another tier, the other classes in another tier."""


def choose_fallbacks(all_cases, rule: BandRule) -> tuple[pd.DataFrame, tuple, bool]:
    """Which fallback steps to keep and whether to widen them by the ratio's spread.

    Where the per-class band has no price, each step of :data:`FALLBACK_STEPS` in turn is
    kept when the bands it adds (after the steps kept before it) hold the price at least as
    often as the pooled band does (what `cost` uses by default: a derived band no worse than
    the default). Widening is chosen when, with the steps kept that way, more observations
    fall inside a fallback band (ties: not widened, the simpler). Returns the table of every
    step tried, the steps kept and the widening."""
    baseline = score(predict(all_cases, rule, "pooled"))["inside"]
    rows, choice = [], {}
    for widen in (False, True):
        kept: tuple = ()
        for step in FALLBACK_STEPS:
            frame = predict_fallback(all_cases, rule, "own_class", kept + (step,), widen)
            added = score(frame[frame["how"] == step])
            keep = added["n"] > 0 and added["inside"] >= baseline
            rows.append({"step": step, "widened": widen, "after": ", ".join(("exact",) + kept),
                         "added": added["n"], "inside": added["inside"],
                         "factor": added["factor"], "width": added["width"],
                         "pooled_inside": baseline, "kept": keep})
            kept += (step,) if keep else ()
        frame = predict_fallback(all_cases, rule, "own_class", kept, widen)
        added = frame[frame["how"].isin(kept)]
        choice[widen] = (kept, int(added["inside"].astype(bool).sum()) if len(added) else 0)
    widen = choice[True][1] > choice[False][1]
    return pd.DataFrame(rows), choice[widen][0], widen


def breakdown(all_cases, rule: BandRule, steps=FALLBACK_ORDER,
              widen: bool = FALLBACK_WIDEN) -> dict[str, pd.DataFrame]:
    """The chosen rule's scores per GPU, year, tier and provider class (per-class bands with
    the fallback ``steps``), which band each observation got, why some got none, and the
    pooled band's by class."""
    own = predict_fallback(all_cases, rule, "own_class", steps, widen)
    out = {"band (exact, fallback step, none)": pd.DataFrame(
        [{"band": how, "n": int(len(group)), "share": len(group) / len(own),
          **{k: v for k, v in score(group).items() if k not in ("n", "banded")}}
         for how, group in own.groupby("how", sort=False)])}
    alone = own.assign(no_other=[not c.history for c in all_cases])
    out["no band, why (per GPU)"] = pd.DataFrame([
        {"gpu": gpu, "no band": int((~g["banded"]).sum()),
         "no earlier price from another provider": int((~g["banded"] & g["no_other"]).sum()),
         "no ratio or step": int((~g["banded"] & ~g["no_other"]).sum())}
        for gpu, g in alone.groupby("gpu") if (~g["banded"]).any()])
    for key in ("gpu", "year", "tier", "class"):
        out[key] = pd.DataFrame([{key: name, **score(group)}
                                 for name, group in own.groupby(key, sort=True)])
    pooled = predict(all_cases, rule, "pooled")
    out["pooled band, by class"] = pd.DataFrame(
        [{"class": name, **score(group)} for name, group in pooled.groupby("class")])
    several = own[own["sellers"] >= 2]
    exact = predict(all_cases, rule, "own_class")
    others = own[[bool(c.history) for c in all_cases]]
    out["all"] = pd.DataFrame([
        {"band": "per class, exact", **score(exact)},
        {"band": "per class, with fallbacks", **score(own)},
        {"band": "per class, where 2+ providers sell it", **score(several)},
        {"band": "per class, where another provider priced the GPU before", **score(others)},
        {"band": "pooled", **score(pooled)},
        {"band": "pooled, with fallbacks",
         **score(predict_fallback(all_cases, rule, "pooled", steps, widen))}])
    return out


def formatted(frame: pd.DataFrame) -> pd.DataFrame:
    out = frame.copy()
    for col in ("banded", "inside", "pooled_inside", "share"):
        if col in out:
            out[col] = out[col].map(lambda v: "-" if v != v else f"{v:.0%}")
    for col in ("factor", "width", "pooled_factor", "pooled_width"):
        if col in out:
            out[col] = out[col].map(lambda v: "-" if v != v else f"{v:.2f}")
    if "rule" in out:
        out["rule"] = out["rule"].map(lambda r: r.label + (" (pre-issue-23)"
                                                           if r == LEGACY_RULE else ""))
    return out


def markdown(frame: pd.DataFrame) -> str:
    """A pipe table of the frame's text (no index)."""
    lines = ["| " + " | ".join(str(c) for c in frame.columns) + " |",
             "|" + "|".join("---" for _ in frame.columns) + "|"]
    lines += ["| " + " | ".join(str(v) for v in row) + " |"
              for row in frame.itertuples(index=False)]
    return "\n".join(lines)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prices", action="append", default=None,
                        help="extra profile or observation folder (repeatable)")
    parser.add_argument("--format", choices=("table", "markdown", "json"), default="table")
    parser.add_argument("--top", type=int, default=8, help="candidate rules listed (table)")
    args = parser.parse_args(argv)
    all_cases = cases(load_profiles(args.prices))
    table, chosen = compare(all_cases)
    steps_table, steps, widen = choose_fallbacks(all_cases, chosen)
    parts = breakdown(all_cases, chosen, steps, widen)
    package_fallbacks = (FALLBACK_ORDER, FALLBACK_WIDEN) == (steps, widen)
    if args.format == "json":
        payload = {"targets": TARGETS, "chosen": chosen.label,
                   "package_rule": BAND_RULE.label, "package_rule_is_chosen": chosen == BAND_RULE,
                   "fallback_steps": steps_table.to_dict("records"),
                   "fallbacks_chosen": {"order": list(steps), "widened": widen},
                   "package_fallbacks_are_chosen": package_fallbacks,
                   "candidates": [{**{k: v for k, v in r.items() if k != "rule"},
                                   "rule": r["rule"].label} for r in table.to_dict("records")],
                   **{k: v.to_dict("records") for k, v in parts.items()}}
        json.dump(payload, sys.stdout, indent=2, default=str)
        print()
        return 0
    show = markdown if args.format == "markdown" else (lambda f: f.to_string(index=False))
    print(f"{len(all_cases)} observations, {len(CANDIDATES)} candidate rules; targets: "
          f"banded >= {TARGETS['banded']:.0%}, inside >= {TARGETS['inside']:.0%}, "
          f"factor <= {TARGETS['factor']}")
    ranked = table.assign(neg_inside=-table["inside"], shown_width=table["width"].round(2)
                          ).sort_values(["meets", "shown_width", "neg_inside", "factor"],
                                        ascending=[False, True, True, True], kind="stable"
                                        ).drop(columns=["neg_inside", "shown_width"])
    legacy = table[table["rule"] == LEGACY_RULE]
    listed = pd.concat([ranked.head(args.top), legacy]).drop_duplicates("rule")
    print("\n" + show(formatted(listed.drop(columns=["n"]))))
    print(f"\nchosen: {chosen.label}"
          + ("" if table.loc[table["rule"] == chosen, "meets"].iloc[0] else
             " (no candidate meets every target)"))
    print("package rule (estimator.bands.BAND_RULE): " + BAND_RULE.label
          + (" = chosen" if chosen == BAND_RULE else " != chosen"))
    print("\nfallback steps (where the per-class band has no price; kept when the bands a "
          "step adds hold the price at least as often as the pooled band):\n"
          + show(formatted(steps_table)))
    print(f"\nfallbacks chosen: {', '.join(steps) or 'none'}"
          + (", widened by the ratio's spread" if widen else ", not widened")
          + "; package (estimator.bands.FALLBACK_ORDER, FALLBACK_WIDEN): "
          + ", ".join(FALLBACK_ORDER) + (", widened" if FALLBACK_WIDEN else ", not widened")
          + (" = chosen" if package_fallbacks else " != chosen"))
    for name, frame in parts.items():
        print(f"\nby {name}:\n" + show(formatted(frame)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
