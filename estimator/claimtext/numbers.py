"""Numbers as newsrooms print them, in each language's convention.

"294.000" is 294,000 in German, Danish and Romanian, and 294.0 in English; "2,79" is 2.79 in
Swedish; "4 096" groups by a space. A number is read one way or not at all: when the
language does not decide between a grouped integer and a decimal, :class:`AmbiguousNumber`
asks instead of guessing (the CLI turns it into an exit-2 message naming the flag).
"""

from __future__ import annotations

import re

from estimator.claimtext.languages import LANGUAGES
from estimator.errors import InputError

SPACES = " \u00a0\u202f\u2009\u200b'\u2019"
"""Marks that only ever group thousands: plain, no-break (U+00A0), narrow no-break (U+202F),
thin and zero-width spaces (web copy), and the Swiss apostrophes ' and U+2019."""

NUMBER_PATTERN = (r"(?<![\w.,])\d{1,3}(?:[" + SPACES + r"]\d{3})+(?:[.,]\d+)?(?![\d]|[.,]\d)"
                  r"|(?<![\w.,])\d+(?:[.,]\d+)*(?![\d]|[.,]\d)")
"""A printed number: digits with '.' or ',' separators, or 3-digit groups split by spaces or
apostrophes. A letter may follow ("$5.6M"): the reader decides whether it is a scale word."""
NUMBER_RE = re.compile(NUMBER_PATTERN)


class AmbiguousNumber(InputError):
    """A number with two readings in the text's language (e.g. "2.048" in English)."""

    def __init__(self, text: str, readings: tuple, lang: str):
        shown = " or ".join(f"{r:,g}" for r in readings)
        name = LANGUAGES[lang].name if lang in LANGUAGES else lang
        super().__init__(f"{text!r} has two readings in {name}: {shown}", key="TEXT",
                         hint="Pass --lang for the text's language, or the figure as a flag "
                              "(--count, --hours, --cost ...), written without separators.")
        self.readings = readings


def _groups_ok(parts: list[str]) -> bool:
    """Thousands groups: a first group of 1-3 digits, then groups of exactly 3."""
    return 1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])


def readings(text: str) -> tuple[float, ...]:
    """Every value a printed number can mean, whatever the language (one or two)."""
    s = text
    if any(sp in s for sp in SPACES):
        decimal = re.search(r"[.,](\d+)$", s)
        parts = re.split("[" + SPACES + "]", s[:decimal.start()] if decimal else s)
        if not _groups_ok(parts):
            return ()
        whole = float("".join(parts))
        return (whole + float("0." + decimal.group(1)) if decimal else whole,)
    seps = [c for c in s if c in ".,"]
    if not seps:
        return (float(s),)
    if len(set(seps)) == 2:
        last = max(s.rfind("."), s.rfind(","))
        decimal_sep = s[last]
        group_sep = "," if decimal_sep == "." else "."
        parts = s[:last].split(group_sep)
        if s.count(decimal_sep) != 1 or not _groups_ok(parts):
            return ()
        return (float("".join(parts) + "." + s[last + 1:]),)
    sep = seps[0]
    parts = s.split(sep)
    if len(parts) > 2:                               # "1,720,320": only grouping
        return (float("".join(parts)),) if _groups_ok(parts) else ()
    whole, frac = parts
    as_decimal = float(f"{whole}.{frac}")
    if len(frac) == 3 and _groups_ok(parts):
        return (float(whole + frac), as_decimal)     # grouped integer, or a decimal
    return (as_decimal,)


def parse_number(text: str, lang: str, *, scaled: bool = False,
                 explicit_language: bool = True) -> float:
    """The value of a printed number in language ``lang``.

    Parameters
    ----------
    text : str
        The digits as printed ("294.000", "2,79", "4 096", "1,720,320").
    lang : str
        A code of languages.LANGUAGES: its decimal and group separators decide a single
        separator before exactly three digits.
    scaled : bool
        The number is followed by a scale word ("2.788 million"): a single separator is then
        a decimal separator in every language (nobody groups thousands before "million").
    explicit_language : bool
        The user named the language (--lang). When it was only detected, a reading as a
        decimal with three decimals ("294.000" in an English sentence) is asked about.

    Raises
    ------
    AmbiguousNumber
        When the reading is not decided.
    InputError
        When the text is not a number in any convention ("1,23,4").
    """
    values = readings(text)
    if not values:
        raise InputError(f"{text!r} is not a number in any convention (groups of three "
                         "digits, one decimal separator)", key=text)
    if len(values) == 1:
        return values[0]
    grouped, decimal = values
    sep = "." if "." in text else ","
    conv = LANGUAGES.get(lang)
    if conv is None:
        raise AmbiguousNumber(text, values, lang)
    if scaled:          # "2.788 million": a decimal, unless the mark groups thousands here
        if sep in conv.group:           # "5,576 million" in English: 5.576 or 5,576 million?
            raise AmbiguousNumber(text, (grouped, decimal), lang)
        return decimal
    if sep in conv.group:
        return grouped
    if sep == conv.decimal and explicit_language:
        return decimal
    raise AmbiguousNumber(text, values, lang)


def format_number(value: float, lang: str, decimals: int = 0) -> str:
    """``value`` printed in ``lang``'s convention (the inverse of :func:`parse_number`; used by
    the tests' round-trip property)."""
    conv = LANGUAGES[lang]
    text = f"{value:,.{decimals}f}"                 # English: 1,234,567.89
    group = conv.group[0]
    return text.replace(",", "\0").replace(".", conv.decimal).replace("\0", group)
