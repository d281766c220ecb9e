"""From a news sentence to a checked claim: `estimator claim "TEXT"`.

    >>> from estimator.claimtext import read_claim
    >>> reading = read_claim("DeepSeek trained R1 on 512 Nvidia H800 chips for 80 hours for "
    ...                      "$294,000", date="2025-09-19")            # doctest: +SKIP
    >>> reading.frame()                                    # the check record  # doctest: +SKIP

The sentence is read in its language (languages.py: number conventions, scale words,
currencies, durations, chip nouns, relations), the figures become a scenario file (the same
YAML `--out` writes), and the file is judged exactly as `estimator check` judges it. When the
sentence lacks the run's inputs (no GPU, count or hours), a built-in claim with the same
amount that the sentence does not contradict supplies them (library.py), and says so.
Libraries used: py3langid (language of `--lang auto`), dateparser (dates written in words).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from estimator.claimtext.build import build_scenario
from estimator.claimtext.extract import Item, Reader, lookup_key
from estimator.claimtext.languages import LANGUAGES, SUPPORTED
from estimator.data.profiles import load_profiles
from estimator.errors import InputError

__all__ = ["ClaimReading", "SUPPORTED", "claim", "detect_language", "read_claim", "read_items"]

MAX_TEXT_CHARS = 5_000
"""Longest text `claim` reads (a paragraph; longer input is refused with exit 2)."""

FILE_NAME = "<claim text>"


def detect_language(text: str) -> str:
    """The text's language among SUPPORTED, by py3langid (Lui & Baldwin 2012, langid.py)
    restricted to the languages the reader knows."""
    import py3langid.langid as langid  # lazy: its model loads in 0.3 s, for --lang auto only

    identifier = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)
    identifier.set_languages(list(SUPPORTED))
    return identifier.classify(text)[0]


def gpu_names(profiles) -> dict:
    """Lowercase names and aliases -> profile id, for every loaded profile."""
    names = {}
    for p in profiles:
        for name in (p.id, p.name, *p.aliases):
            key = lookup_key(name)
            if len(key) >= 3 and re.search(r"\d", key):
                names.setdefault(key, p.id)
    return names


def read_items(text: str, lang: str = "auto", profiles=None) -> tuple[str, list[Item]]:
    """(language code, items read) for ``text``; no judging."""
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(f"the text is {len(text):,} characters; claim reads at most "
                         f"{MAX_TEXT_CHARS:,}", key="TEXT",
                         hint="Pass the sentence with the claim, not the whole article.")
    explicit = lang != "auto"
    code = lang if explicit else detect_language(text)
    if code not in LANGUAGES:
        raise InputError(f"unknown language {lang!r}", key="--lang",
                         hint=f"Choose one of: auto, {', '.join(SUPPORTED)}.")
    reader = Reader(LANGUAGES[code], gpu_names(load_profiles(profiles)), explicit)
    items = reader.read(text) + _dates(text, code)
    return code, sorted(items, key=lambda i: i.start)


ISO_DATE = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")


def _dates(text: str, lang: str) -> list[Item]:
    """Dates written in the text: ISO dates, and day-month-year in words (dateparser)."""
    found = []
    for m in ISO_DATE.finditer(text):
        try:
            found.append(Item("date", dt.date(*map(int, m.groups())).isoformat(), "",
                              m.group(0), m.start()))
        except ValueError:
            continue
    if found:
        return found
    words = re.compile(r"\b\d{1,2}\.?\s+[^\W\d]{3,12}\.?,?\s+\d{4}\b"
                       r"|\b[^\W\d]{3,12}\s+\d{1,2},?\s+\d{4}\b")
    for m in words.finditer(text):
        from dateparser import parse  # lazy: 0.1 s to import, for dates written in words

        day = parse(m.group(0), languages=[lang, "en"],
                    settings={"REQUIRE_PARTS": ["day", "month", "year"], "STRICT_PARSING": True})
        if day is not None:
            found.append(Item("date", day.date().isoformat(), "", m.group(0), m.start()))
    return found


@dataclass
class ClaimReading:
    """What was read from a sentence, the scenario built from it, and its verdict."""

    text: str
    language: str
    items: list
    scenario_text: str
    library_match: str | None = None
    notes: list = field(default_factory=list)
    result: object = None

    def extracted(self) -> list[dict]:
        return [i.record() for i in self.items]

    def frame(self):
        """The check records (one row per claim) with `language` and `extracted` added."""
        frame = self.result.frame()
        frame["language"] = self.language
        frame["extracted"] = [self.extracted()] * len(frame)
        frame["library_match"] = self.library_match
        return frame


def read_claim(text: str, *, date=None, lang: str = "auto", profiles=None, gpu=None,
               count=None, hours=None, gpu_hours=None, cost=None, price=None, like=None,
               scenario_id: str | None = None) -> ClaimReading:
    """Read a cost claim from ``text`` and judge it as a scenario file would.

    Parameters
    ----------
    text : str
        The sentence (or a short paragraph) with the claim, in any SUPPORTED language.
    date : date or "YYYY-MM-DD", optional
        The claim's date (its price date and FX date); default a date written in the text.
    lang : str
        "auto" (py3langid) or a code of SUPPORTED.
    gpu, count, hours, gpu_hours, cost, price : optional
        Override what was read (the same text the CLI flags take: "H800", 512, "80 h",
        "2.788M", "294000 USD", "2 USD/h").
    like : str, optional
        The id of a built-in claim whose stages to use when the sentence lacks them.
    profiles : path or list of paths, optional
        Extra folders of hardware profiles.

    Returns
    -------
    ClaimReading
        ``.items`` what was read, ``.scenario_text`` the YAML, ``.frame()`` the verdict.
    """
    code, items = read_items(text, lang, profiles)
    reading = ClaimReading(text=text, language=code, items=items, scenario_text="")
    build_scenario(reading, date=date, profiles=profiles, gpu=gpu, count=count, hours=hours,
                   gpu_hours=gpu_hours, cost=cost, price=price, like=like,
                   scenario_id=scenario_id)
    return reading


def claim(text: str, **options):
    """The verdict on the cost claim in ``text``: the DataFrame of `estimator claim --format
    json` (the check records with ``language`` and ``extracted``). Options as
    :func:`read_claim`."""
    return read_claim(text, **options).frame()
