"""The full breakdown of one scenario, as text or JSON (`estimator run`)."""

from __future__ import annotations

import datetime as dt

from estimator.bands import band_evidence
from estimator.render.escaping import visible
from estimator.render.output import fmt_number, plain, render, to_json
from estimator.scenarios.explain import fmt
from estimator.scenarios.verdicts import claim_record


def assumption_items(assumptions: dict) -> list[str]:
    out = []
    for key, value in assumptions.items():
        if value is None:
            continue
        if isinstance(value, tuple):
            low, high = (v.value for v in value)
            value = f"{low:g}" if low == high else f"{low:g}:{high:g}"
        elif isinstance(value, dt.date):
            value = value.isoformat()
        elif hasattr(value, "value"):
            value = f"{value.value:g}"
        elif key == "price":
            value = f"{value:g} USD per GPU-hour"
        out.append(f"{key}: {value}")
    return out


def breakdown_text(result) -> str:
    s = result.scenario
    lines = [f"{s.title} ({s.id})", f"file: {s.file}", "", "Sources:"]
    for src in s.sources:
        lang = f", {src['language']}" if src.get("language") else ""
        lines.append(f"  - {src['outlet']}: {src['title']} ({src['date'].isoformat()}{lang}, "
                     f"{src['role']})" + (f" {src['url']}" if src.get("url") else ""))
        if src.get("quote"):
            lines.append(f"      \"{src['quote']}\"")
    items = assumption_items(s.assumptions)
    lines += ["", "Assumptions: " + ("; ".join(items) if items else "none stated"), "",
              "Stages:"]
    lines.append(render(result.stage_frame(), "table"))
    totals = result.totals
    hours = totals["hours"].typical
    clock = (f"{fmt_number(hours)} h ({fmt_number(hours / 24)} days), stages in sequence"
             if hours == hours else "n/a (a stage has no GPU count)")
    gpu_hours = fmt_number(totals["gpu_hours"].typical)
    lines += ["", f"Total GPU-hours: {gpu_hours}; wall clock: {clock}"]
    for c in result.claims:
        claim = c.claim
        derived = " [derived by the file's author]" if claim.derived else ""
        lines += ["", f"Claim ({claim.quantity}, {claim.scope}): {claim.text}{derived}",
                  f"  claimed {claim.relation} {fmt(claim.value, claim)}"
                  + (f" to {fmt(claim.high, claim)}" if claim.high else ""),
                  f"  computed: stated {fmt(c.computed.stated, claim)}; range "
                  f"{fmt(c.computed.low, claim)} / {fmt(c.computed.typical, claim)} / "
                  f"{fmt(c.computed.high, claim)} (low / typical / high)",
                  f"  verdict: {c.verdict}" + (f" (expected {c.expected}"
                                               f"{'' if c.ok else ' - MISMATCH'})"
                                               if c.expected else ""),
                  f"  {c.explanation}"]
        if c.implied:
            lines.append("  implied: " + ", ".join(f"{k} = {v:.4g}"
                                                  for k, v in c.implied.items()))
        if c.mismatch:
            lines.append(f"  MISMATCH: {c.mismatch}")
    bands = {st.gpu_id: st.price_band for st in result.stages if st.price_band is not None}
    if bands:
        lines += ["", "Price observations behind the market band:"]
        for gpu, band in bands.items():
            used = ", ".join(f"{o.provider} {o.kind} {o.date.isoformat()} "
                             f"${o.price_usd_per_gpu_hour:.2f}" for o in band.used) or band.rule
            evidence = band_evidence(band)
            lines.append(f"  {gpu}: low ${band.low:.2f}, typical ${band.typical:.2f}, high "
                         f"${band.high:.2f}" + (f"; {evidence}" if evidence else "")
                         + f" ({used})")
    lines += _time_and_work(result)
    if s.notes:
        lines += ["", "Notes: " + " ".join(s.notes.split())]
    return visible("\n".join(lines), keep_newlines=True)


def _time_and_work(result) -> list[str]:
    """Stages with both hardware time and work: implied MFU (with its peak basis) and goodput."""
    out = []
    for st in result.stages:
        goodput = st.values["goodput"]
        if not goodput.finite:
            continue
        mfu = st.values["mfu"].reference
        out.append(f"  {st.stage.name}: implied MFU {mfu:.3g} over the wall-clock GPU-hours "
                   f"({st.precision.upper()} peak); goodput {goodput.reference:.3g} "
                   f"(range {goodput.low:.3g}-{goodput.high:.3g}) at the MFU range "
                   f"{st.inputs['mfu'].low:.3g}-{st.inputs['mfu'].high:.3g}")
    return (["", "Hardware time and work:"] + out) if out else []


def breakdown_json(result) -> str:
    s = result.scenario
    data = {
        "scenario": s.id, "title": s.title, "file": s.file,
        "sources": [{k: (v.isoformat() if isinstance(v, dt.date) else v)
                     for k, v in src.items() if v is not None} for src in s.sources],
        "assumptions": assumption_items(s.assumptions),
        "stages": plain(result.stage_frame().to_dict(orient="records")),
        "totals": {q: plain([v.stated, v.low, v.typical, v.high])
                   for q, v in result.totals.items()},
        "claims": [plain(claim_record(s, c)) for c in result.claims],
        "notes": s.notes,
    }
    return to_json(data)
