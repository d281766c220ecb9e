"""Chart geometry for inline SVG: plain numbers and labels that templates/_charts.html.j2 draws.

Nothing here writes markup. Each chart carries a ``title`` and a ``description`` (the SVG's
<title> and <desc>, and its aria-label), so a screen reader or a text browser gets the same
facts as the picture.
"""

from __future__ import annotations

import datetime as dt
import math

from estimator.inputs.links import safe_href
from estimator.site.numbers import human, quantity

CLAIM_WIDTH, CLAIM_HEIGHT, CLAIM_MARGIN = 640, 110, 24
SCATTER_WIDTH, SCATTER_HEIGHT = 720, 360
SCATTER_MARGIN = {"left": 72, "right": 16, "top": 30, "bottom": 40}
"""Room around the plot [SVG units]; the top holds the y-axis title (20-unit type on a phone)."""


def _positive(values) -> list[float]:
    return [float(v) for v in values if v is not None and math.isfinite(v) and v > 0]


def log_domain(values, pad: float = 1.6) -> tuple[float, float]:
    """[low, high] covering the positive values with a margin of ``pad`` (a factor) each side."""
    finite = _positive(values)
    low, high = min(finite), max(finite)
    return low / pad, high * pad


def log_ticks(low: float, high: float) -> list[float]:
    """Powers of ten inside [low, high], with 2 and 5 multiples when fewer than three."""
    decades = range(math.floor(math.log10(low)), math.ceil(math.log10(high)) + 1)
    ticks = [10.0 ** d for d in decades if low <= 10.0 ** d <= high]
    if len(ticks) < 3:
        ticks = sorted(m * 10.0 ** d for d in decades for m in (1, 2, 5)
                       if low <= m * 10.0 ** d <= high)
    return ticks


def _scale_log(low: float, high: float, start: float, end: float):
    span = math.log10(high) - math.log10(low)
    return lambda v: start + (math.log10(v) - math.log10(low)) / span * (end - start)


def claim_chart(record: dict) -> dict | None:
    """A claim against its computed range on a log axis (record: a claim record of
    scenarios/verdicts.py). None when no value is positive (nothing to draw)."""
    unit = record["claim_unit"]
    claim_low, claim_high = record["claim_value"], record.get("claim_high")
    values = [record["range_low"], record["range_high"], record["stated_value"],
              record["range_typical"], claim_low, claim_high]
    if len(_positive(values)) < 2:
        return None
    low, high = log_domain(values)
    x = _scale_log(low, high, CLAIM_MARGIN, CLAIM_WIDTH - CLAIM_MARGIN)

    def at(value):
        return round(x(value), 1) if value and value > 0 and math.isfinite(value) else None

    chart = {
        "width": CLAIM_WIDTH, "height": CLAIM_HEIGHT,
        "range": [at(record["range_low"]), at(record["range_high"])],
        "typical": at(record["range_typical"]), "stated": at(record["stated_value"]),
        "claim": [at(claim_low), at(claim_high) if claim_high else None],
        "ticks": axis_ticks([{"x": at(t), "label": human(t)} for t in log_ticks(low, high)],
                            near=at(claim_low)),
        "claim_tick": ({"x": at(claim_low), "label": human(claim_low)}
                       if at(claim_low) is not None else None),
        "title": f"Claim vs computed range, {record['quantity']} in {unit} (log scale)",
    }
    chart["description"] = claim_description(record)
    return chart


MAX_TICKS = 6
"""At most this many labelled ticks on an axis; every other one is 'minor' (hidden on a
phone, where the SVG is drawn at about half its size)."""
CLAIM_TICK_GAP = 56
"""Axis ticks closer than this [SVG units] to the claim's own tick are left out (labels would
overlap): 56 units is about four digits of 12-unit text."""


def axis_ticks(ticks: list[dict], near=None, key: str = "x") -> list[dict]:
    """Thin ``ticks`` to at most :data:`MAX_TICKS`, drop those within :data:`CLAIM_TICK_GAP`
    of ``near`` (the claim's tick), and mark every other remaining one ``minor``."""
    if len(ticks) > MAX_TICKS:
        step = math.ceil(len(ticks) / MAX_TICKS)
        ticks = ticks[::step]
    if near is not None:
        ticks = [t for t in ticks if abs(t[key] - near) >= CLAIM_TICK_GAP]
    return [{**t, "minor": len(ticks) > 3 and i % 2 == 1} for i, t in enumerate(ticks)]


def claim_description(record: dict) -> str:
    """The chart in words: the claim, the stated-assumption value and the range."""
    unit = record["claim_unit"]
    claim = quantity(record["claim_value"], unit)
    if record.get("claim_high"):
        claim += f" to {quantity(record['claim_high'], unit)}"
    parts = [f"Claimed {claim}"]
    if record["stated_value"] is not None:
        parts.append(f"at the source's assumptions {quantity(record['stated_value'], unit)}")
    parts.append(f"computed range {quantity(record['range_low'], unit)} to "
                 f"{quantity(record['range_high'], unit)}, typical "
                 f"{quantity(record['range_typical'], unit)}")
    return "; ".join(parts) + f". Verdict: {record['verdict']}."


def year_fraction(day: dt.date) -> float:
    return day.year + (day.timetuple().tm_yday - 1) / 365.25


def scatter(points: list[dict], *, title: str, description: str, y_label: str,
            log_y: bool) -> dict | None:
    """Dated points [{'date', 'y', 'low', 'high', 'label', 'href', 'series'}] on a time axis.

    ``y`` may be on a log scale (costs over decades) or linear from zero (prices).
    """
    points = [p for p in points if p["date"] and p["y"] is not None and math.isfinite(p["y"])
              and (p["y"] > 0 or not log_y)]
    if not points:
        return None
    m = SCATTER_MARGIN
    xs = [year_fraction(p["date"]) for p in points]
    x_low, x_high = math.floor(min(xs)), math.floor(max(xs)) + 1
    x = _linear(x_low, x_high, m["left"], SCATTER_WIDTH - m["right"])
    ys = [v for p in points for v in (p["y"], p.get("low"), p.get("high"))
          if v is not None and math.isfinite(v) and (v > 0 or not log_y)]
    if log_y:
        y_low, y_high = log_domain(ys, pad=1.3)
        y = _scale_log(y_low, y_high, SCATTER_HEIGHT - m["bottom"], m["top"])
        y_ticks = log_ticks(y_low, y_high)
    else:
        y_low, y_high = 0.0, max(ys) * 1.15 or 1.0
        y = _linear(y_low, y_high, SCATTER_HEIGHT - m["bottom"], m["top"])
        y_ticks = _linear_ticks(y_high)
    step = max(1, (x_high - x_low) // 8)
    return {
        "width": SCATTER_WIDTH, "height": SCATTER_HEIGHT, "margin": m, "title": title,
        "description": description, "y_label": y_label,
        "x_ticks": axis_ticks([{"x": round(x(t), 1), "label": str(t)}
                               for t in range(x_low, x_high + 1, step)]),
        "y_ticks": axis_ticks([{"y": round(y(t), 1), "label": human(t)} for t in y_ticks],
                              key="y"),
        "points": [_point(p, x, y, log_y) for p in points],
        "series": sorted({p.get("series") or "" for p in points}),
    }


def _point(p: dict, x, y, log_y: bool) -> dict:
    def scaled(value):
        ok = value is not None and math.isfinite(value) and (value > 0 or not log_y)
        return round(y(value), 1) if ok else None

    return {"x": round(x(year_fraction(p["date"])), 1), "y": scaled(p["y"]),
            "low": scaled(p.get("low")), "high": scaled(p.get("high")),
            "label": p["label"], "href": safe_href(p.get("href"), relative=True),
            "series": p.get("series") or ""}


def _linear(low: float, high: float, start: float, end: float):
    span = (high - low) or 1.0
    return lambda v: start + (v - low) / span * (end - start)


def _linear_ticks(high: float) -> list[float]:
    """About five round ticks from 0 to ``high`` (steps of 1, 2 or 5 x 10^k)."""
    raw = high / 5
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    return [i * step for i in range(int(high // step) + 1)]
