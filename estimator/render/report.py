"""A Markdown fact-check of one scenario, for pasting into an article (`estimator report`)."""

from __future__ import annotations

from estimator import clock
from estimator.bands import BAND_RULE
from estimator.render.breakdown import assumption_items
from estimator.render.escaping import visible
from estimator.render.output import render
from estimator.scenarios.explain import fmt


def markdown_report(result) -> str:
    s = result.scenario
    out = [f"# Fact-check: {s.title}", ""]
    for c in result.claims:
        out += [f"**Claim** ({c.claim.scope.replace('-', ' ')}): {c.claim.text}", "",
                f"**Verdict: {c.verdict.upper()}.** {c.explanation}", ""]
    out += ["## Sources", ""]
    for src in s.sources:
        title = f"[{src['title']}]({src['url']})" if src.get("url") else src["title"]
        lang = f", in {src['language']}" if src.get("language") else ""
        out.append(f"- {src['outlet']}: {title} ({src['date'].isoformat()}{lang}; "
                   f"{src['role']})")
        if src.get("quote"):
            out.append(f"  > {src['quote']}")
    out += ["", "## Assumptions", ""]
    out += [f"- {item}" for item in _assumptions(s)] or ["- none stated by the source"]
    out += ["", "## Stage by stage", "", render(_stage_table(result), "markdown"), "",
            "## Computed values", "",
            "| claim | claimed | at the source's assumptions | low | typical | high |",
            "|---|---|---|---|---|---|"]
    for c in result.claims:
        v = c.computed
        cells = [fmt(x, c.claim) for x in (c.claim.value, v.stated, v.low, v.typical, v.high)]
        out.append(f"| {c.claim.quantity} | " + " | ".join(cells) + " |")
    implied = [(c, k, val) for c in result.claims for k, val in c.implied.items()]
    if implied:
        out += ["", "What would make each claim exactly true:", ""]
        basis = result.stages[0].precision.upper() if result.stages else "BF16"
        out += [f"- {c.claim.quantity}: {implied_text(k, val, c.claim, basis)}"
                for c, k, val in implied]
    out += _observations(result)
    if s.notes:
        out += ["", "## Notes", "", " ".join(s.notes.split())]
    out += ["", f"*Checked with estimator on {clock.today().isoformat()}; scenario "
                f"`{s.id}`. Market ranges are each GPU's rental price band at the claim's price "
                f"date: each provider's latest price before it ({BAND_RULE.label}).*"]
    return visible("\n".join(out), keep_newlines=True) + "\n"


IMPLIED_TEXT = {
    "price_usd_per_gpu_hour": "a price of ${:,.2f} per GPU-hour",
    "gpu_hours": "{:,.0f} GPU-hours at the stated price", "hours": "{:,.0f} hours",
    "mfu": "an MFU of {:.2f}", "count": "{:,.0f} GPUs", "capex_usd_per_gpu": "${:,.0f} per GPU",
    "power_w_per_gpu": "{:,.0f} W per GPU before PUE, at the scenario's PUE",
    "pue": "a PUE of {:.3g}", "goodput": "at a goodput of {:.3g}",
    "carbon_intensity_kg_per_kwh": "a grid intensity of {:.3f} kg CO2e per kWh",
}


COST_COLUMNS = ("price_usd_per_gpu_hour_stated", "cost_usd_stated", "cost_usd_low",
                "cost_usd_typical", "cost_usd_high")


def _stage_table(result):
    """The stage table; without cost columns when no claim is about money per GPU-hour."""
    frame = result.stage_frame()
    if any(c.claim.quantity in ("cost", "price_usd_per_gpu_hour") for c in result.claims):
        return frame
    return frame.drop(columns=[c for c in COST_COLUMNS if c in frame.columns])


def implied_text(key: str, value: float, claim, basis: str = "BF16") -> str:
    """An implied value as words: 'a price of $7.18 per GPU-hour'."""
    if key.startswith("fx_rate_"):
        return f"an exchange rate of {value:.3f} {claim.currency} per USD"
    if key == "mfu":
        return f"an MFU of {value:.2f} ({basis} peak)"
    text = IMPLIED_TEXT.get(key, key.replace("_", " ") + " {:,.4g}").format(value)
    return text + (" at the stated price" if key == "hours" and claim.quantity == "cost" else "")


def _assumptions(s) -> list[str]:
    return [item for item in assumption_items(s.assumptions) if not item.startswith(
        "precision: bf16")]


def _observations(result) -> list[str]:
    bands = {st.gpu_id: st.price_band for st in result.stages
             if st.price_band is not None and st.price_band.used}
    if not bands:
        return []
    out = ["", "## Price observations used for the market range", ""]
    for gpu, band in bands.items():
        out.append(f"**{gpu}**: low ${band.low:.2f}, typical ${band.typical:.2f}, high "
                   f"${band.high:.2f} per GPU-hour, from:")
        out += [f"- {o.provider}, {o.kind}, {o.date.isoformat()}: ${o.price_usd_per_gpu_hour:.2f}"
                f" ({o.confidence}; {o.source})" for o in band.used]
    return out
