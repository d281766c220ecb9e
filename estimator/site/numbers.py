"""Numbers as a reader sees them on the site: four significant figures, thousands separated."""

from __future__ import annotations

import math

SUFFIXES = ((1e12, "T"), (1e9, "B"), (1e6, "M"))


def human(value, digits: int = 4) -> str:
    """12,345 / 5.576M / 3.29e+24 / 0.3464; an em dash for a missing or non-finite value."""
    if value is None or isinstance(value, bool):
        return "—"
    try:
        value = float(value)
    except (TypeError, ValueError):
        return str(value)
    if not math.isfinite(value):
        return "—"
    size = abs(value)
    if size >= 1e15:
        return f"{value:.{digits - 1}e}"
    for bound, suffix in SUFFIXES:
        if size >= bound:
            return f"{value / bound:.{digits}g}{suffix}"
    if size >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}g}"


def money(value, currency: str = "USD") -> str:
    """A money amount with its currency: '$5.576M', '61.56M SEK'."""
    text = human(value)
    if text == "—":
        return text
    return f"${text}" if currency == "USD" else f"{text} {currency}"


def quantity(value, unit: str) -> str:
    """A value with its unit, money in the money style."""
    if unit in ("USD", "EUR", "SEK", "DKK", "RON", "CNY") or len(unit) == 3 and unit.isupper():
        return money(value, unit)
    text = human(value)
    return text if text == "—" else f"{text} {unit}"
