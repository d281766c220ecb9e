"""Numbers written as text for people: the inverse of parsing them (units.py).

Here, in the bottom layer, because both the verdict sentences (scenarios/explain.py) and the
tables (render/output.py) write numbers the same way, and scenarios/ must not import render/.
"""

from __future__ import annotations

import math


def fmt_number(value: float) -> str:
    """Human formatting: thousands separators, about four significant digits."""
    if value is None or not math.isfinite(float(value)):
        return ""                               # not applicable; never 'inf' or 'nan'
    value = float(value)
    if value == 0:
        return "0"
    magnitude = abs(value)
    if magnitude >= 1e15 or magnitude < 1e-3:
        return f"{value:.4g}"
    if magnitude >= 1000:
        return f"{value:,.0f}"
    if magnitude >= 100:
        return f"{value:,.1f}".rstrip("0").rstrip(".")
    return f"{value:.4g}"
