"""Numbers as a reader sees them on the site, one style everywhere.

* four significant figures, thousands grouped: 12,345 / 0.3464 / 5.576M / 1.2B;
* very large values (from 10^15, FLOP) as 3.290 × 10²⁴, never the programmer's 3.29e+24;
* money below 10 (a price per GPU-hour) to the cent: $1.50, $2.75, never $1.5 or $2.745.
"""

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
        return scientific(value, digits)
    for bound, suffix in SUFFIXES:
        if size >= bound:
            return f"{value / bound:.{digits}g}{suffix}"
    if size >= 1000:
        return f"{value:,.0f}"
    return f"{value:.{digits}g}"


SUPERSCRIPT = str.maketrans("-0123456789", "⁻⁰¹²³⁴⁵⁶⁷⁸⁹")
CENTS_BELOW = 10
"""Money amounts smaller than this (and from one cent) are printed to the cent ($2.75)."""


def scientific(value: float, digits: int = 4) -> str:
    """'3.290 × 10²⁴': a mantissa of ``digits`` significant figures and a superscript power."""
    mantissa, _, exponent = f"{value:.{digits - 1}e}".partition("e")
    return f"{mantissa} × 10{str(int(exponent)).translate(SUPERSCRIPT)}"


def money(value, currency: str = "USD") -> str:
    """A money amount with its currency: '$5.576M', '61.56M SEK', '$2.75' (cents below 10)."""
    text = human(value)
    if text == "—":
        return text
    if 0.01 <= abs(float(value)) < CENTS_BELOW:
        text = f"{float(value):.2f}"
    return f"${text}" if currency == "USD" else f"{text} {currency}"


def quantity(value, unit: str) -> str:
    """A value with its unit, money in the money style."""
    if unit in ("USD", "EUR", "SEK", "DKK", "RON", "CNY") or len(unit) == 3 and unit.isupper():
        return money(value, unit)
    text = human(value)
    return text if text == "—" else f"{text} {unit}"
