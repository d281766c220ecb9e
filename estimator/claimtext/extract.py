"""Find the figures of a cost claim in a news sentence: money, GPU counts and names, durations,
GPU-hours, FLOP, prices per GPU-hour and the relation words before an amount.

Each item keeps the words it came from (``text``) and where (``start``), so the CLI can show
what it read beside the sentence. Nothing is guessed: a number with two readings raises
numbers.AmbiguousNumber, and a currency sign that names two currencies ("¥", "kr" in a
language without its own krona) is reported, not assumed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from estimator.claimtext.languages import FILLER_WORDS, FRACTION_WORDS, NUMBER_JOINERS, Language
from estimator.claimtext.numbers import NUMBER_PATTERN, AmbiguousNumber, parse_number
from estimator.errors import InputError

MAX_EXPONENT = 300
"""Largest power of ten read from e-notation ("3.8e25 FLOP"); floats overflow past 10^308."""

KINDS = ("money", "price", "gpu", "count", "duration", "gpu_hours", "flop", "relation", "date")


@dataclass(frozen=True)
class Item:
    """One thing read from the sentence.

    kind : one of KINDS; value : the number (money in its own currency, a count, a duration
    in ``unit``), the GPU id, or the relation name; unit : currency code, pint unit, "GPU",
    "GPU-hour", "FLOP" or ""; text : the words it came from; start : offset in the sentence.
    """

    kind: str
    value: object
    unit: str
    text: str
    start: int
    doubt: str | None = None      # why this reading is not certain: asked unless a flag settles it

    def record(self) -> dict:
        """The JSON form: {kind, value, unit, text}."""
        return {"kind": self.kind, "value": self.value, "unit": self.unit, "text": self.text}


def _words(options) -> str:
    """A regex alternation of phrases, longest first, spaces and hyphens interchangeable."""
    ordered = sorted(set(options), key=len, reverse=True)
    return "|".join(re.escape(o).replace(r"\ ", r"[\s\-\"“”„«»']+") for o in ordered)


SCI_PATTERN = (r"(?P<sci>\d+(?:[.,]\d+)?\s*(?:e\+?|[x×*·]\s*10\^?)\s*(?P<exp>\d{1,3})"
               r"|10\^(?P<exp2>\d{1,3}))")
PRODUCT_PATTERN = r"(?P<product>\d+\s*[*×x]\s*\d+)(?=\s)"


@dataclass
class _Quantity:
    value: float
    start: int
    end: int
    text: str
    doubt: str | None = None


class Reader:
    """Reads one sentence in one language against the known GPUs."""

    def __init__(self, lang: Language, gpu_names: dict, explicit_language: bool = True):
        self.lang = lang
        self.explicit = explicit_language
        self.gpu_names = gpu_names           # lowercase name/alias -> profile id
        L = lang
        scale = _words(L.scales)
        small = _words(L.small_numbers)
        self.number_re = re.compile(
            rf"{SCI_PATTERN}|{PRODUCT_PATTERN}"
            rf"|(?P<num>{NUMBER_PATTERN})(?:\s*(?P<scale>{scale})(?![\w]))?"
            rf"|(?<![\w])(?P<word>{small})\s+(?P<wscale>{scale})(?![\w])"
            rf"|(?<![\w])(?P<small>{small})(?=\s)", re.IGNORECASE)
        words = _words([w for w in L.small_numbers if len(w) > 1] + list(L.scales))
        joiner = _words(NUMBER_JOINERS)
        self.words_number_re = re.compile(
            rf"(?<![\w])(?:{words})(?:[\s-]+(?:(?:{joiner})[\s-]+)?(?:{words}))+(?![\w])"
            rf"|(?<![\w])(?:{_words(FRACTION_WORDS)})[\s-]+(?:(?:of|a|an|en|et|ein|eine|o)\s+)*"
            rf"(?:{scale})(?![\w])", re.IGNORECASE)
        self.scale_of = {k.lower(): v for k, v in L.scales.items()}
        self.small_of = {k.lower(): v for k, v in L.small_numbers.items()}
        cur = {k: v for k, v in L.currencies.items()}
        self.currency_of = {k.lower(): v for k, v in cur.items()}
        after_cur = _words([k for k in cur if k not in ("$", "us$")])
        self.after_currency_re = re.compile(rf"\s*(?:de\s+)?(?P<cur>{after_cur})(?![\w])",
                                            re.IGNORECASE)
        codes = _words(["usd", "eur", "gbp", "sek", "dkk", "nok", "cny", "rmb", "chf"])
        self.before_currency_re = re.compile(rf"(?P<cur>us\$|\$|€|£|¥|{codes})\s*$",
                                             re.IGNORECASE)
        self.duration_re = re.compile(rf"\s*(?:de\s+)?(?P<unit>{_words(L.durations)})(?![\w])",
                                      re.IGNORECASE)
        self.duration_of = {k.lower(): v for k, v in L.durations.items()}
        gpu_pat = _words(gpu_names)
        self.gpu_re = re.compile(
            rf"(?<![\w])(?:(?:nvidia|amd|google|intel|aws)[\s-]+)?(?P<gpu>{gpu_pat})"
            rf"(?=s\b|-|\b|$)", re.IGNORECASE)
        self.gpu_hours_re = re.compile(
            rf"\s*(?:de\s+)?(?:(?P<gpu>{gpu_pat})[\s-]+)?(?P<unit>{_words(L.gpu_hour_words)})"
            rf"(?![\w])", re.IGNORECASE)
        self.flop_re = re.compile(r"\s*(?:total\s+)?(?:flops?|flop)(?![\w/])", re.IGNORECASE)
        filler = _words(FILLER_WORDS)
        self.count_re = re.compile(
            rf"(?:\s+(?:{filler}))*\s*[\s-]?(?:(?:{filler})\s+)*"
            rf"(?:(?P<gpu>{gpu_pat})(?:s\b|-[\w]+|\b)\s*(?:(?P<noun2>{_words(L.chip_nouns)})\b)?"
            rf"|(?P<noun>{_words(L.chip_nouns)})\b)", re.IGNORECASE)
        self.per_hour_re = re.compile(
            rf"\s*(?:(?:per|pro|pr\.?|på|om|pe|an?)\s+)?(?:(?:{gpu_pat})[\s-]+)?"
            rf"(?:gpu[\s-]*)?(?:hour|stunde|time|timme|oră|ora|h)\b|\s*/\s*(?:gpu[\s-]*)?h",
            re.IGNORECASE)
        rel = [(w, "at_most") for w in L.at_most] + [(w, "at_least") for w in L.at_least] \
            + [(w, "approx") for w in L.approx]
        self.relation_of = {w.lower(): r for w, r in rel}
        self.relation_re = re.compile(rf"(?<![\w])(?P<rel>{_words(self.relation_of)})\s+"
                                      rf"(?:(?:de|of|af|av|von)\s+)?$", re.IGNORECASE)

    # -- numbers ----------------------------------------------------------------------------
    def quantities(self, text: str) -> list[_Quantity]:
        self._refuse_numbers_in_words(text)
        found = []
        for m in self.number_re.finditer(text):
            doubt = None
            if m.group("sci") or m.group("exp2"):
                exp = int(m.group("exp") or m.group("exp2"))
                if exp > MAX_EXPONENT:
                    raise InputError(f"{m.group(0)!r} is beyond the largest number the tool "
                                     f"reads (10^{MAX_EXPONENT})", key="TEXT",
                                     hint="Check the figure in the text.")
                mant = m.group("sci")
                base = 1.0
                if mant:
                    base = float(re.match(r"\d+(?:[.,]\d+)?", mant).group(0).replace(",", "."))
                value = base * 10.0 ** exp
            elif m.group("product"):
                a, b = re.split(r"\s*[*×x]\s*", m.group("product"))
                value = float(int(a) * int(b))
            elif m.group("num"):
                scale = m.group("scale")
                try:
                    value = parse_number(m.group("num"), self.lang.code, scaled=bool(scale),
                                         explicit_language=self.explicit)
                except AmbiguousNumber as exc:       # kept, and asked about if it is used
                    value, doubt = exc.readings[0], exc.message
                if scale:
                    value *= self.scale_of[scale.lower()]
            elif m.group("word"):
                value = self.small_of[m.group("word").lower()] \
                    * self.scale_of[m.group("wscale").lower()]
            else:
                value = float(self.small_of[m.group("small").lower()])
            if not math.isfinite(value) or value > 10.0 ** MAX_EXPONENT:
                raise InputError(f"{m.group(0)[:40]!r} is beyond the largest number the tool "
                                 f"reads (10^{MAX_EXPONENT})", key="TEXT",
                                 hint="Check the figure in the text.")
            found.append(_Quantity(value, m.start(), m.end(), m.group(0), doubt))
        return found

    def _refuse_numbers_in_words(self, text: str) -> None:
        """A number spelt in several words ("five hundred and twelve", "half a million") is
        asked for as digits: reading one word of it would be a silently wrong figure."""
        for m in self.words_number_re.finditer(text):
            tokens = re.findall(r"[^\W\d_]+", m.group(0).lower())
            one_scale = (len(tokens) == 2 and tokens[0] in self.small_of
                         and tokens[1] in self.scale_of)          # "sechs Millionen"
            if not one_scale:
                raise InputError(f"{m.group(0)!r} is a number written in words the reader "
                                 "does not combine", key="TEXT",
                                 hint="Write it in digits in the text, or pass the figure as a "
                                      "flag (--count, --hours, --cost ...).")

    # -- the items --------------------------------------------------------------------------
    def read(self, text: str) -> list[Item]:
        items: list[Item] = []
        used_gpu_spans = []
        for q in self.quantities(text):
            rest, before = text[q.end:], text[:q.start]
            item = (self._money(q, rest, before) or self._gpu_hours(q, rest)
                    or self._duration(q, rest) or self._flop(q, rest) or self._count(q, rest))
            if item is None:
                continue
            if q.doubt:
                item = Item(item.kind, item.value, item.unit, item.text, item.start, q.doubt)
            if item.kind == "money":
                rel = self.relation_re.search(text[:item.start])
                if rel:
                    items.append(Item("relation", self.relation_of[
                        re.sub(r"[\s\-\"“”„«»']+", " ", rel.group("rel").lower())],
                        "", rel.group("rel"), rel.start("rel")))
            if item.kind in ("count", "gpu_hours") and item.unit.startswith("GPU:"):
                gpu_id, span = item.unit[4:].split("@")
                used_gpu_spans.append(int(span))
                items.append(Item("gpu", gpu_id, "", *self._gpu_text(text, int(span))))
                item = Item(item.kind, item.value, "GPU" if item.kind == "count" else "GPU-hour",
                            item.text, item.start)
            items.append(item)
        for m in self.gpu_re.finditer(text):
            if not any(m.start() <= s < m.end() for s in used_gpu_spans):
                items.append(Item("gpu", self.gpu_names[lookup_key(m.group("gpu"))], "",
                                  m.group(0), m.start()))
        return sorted(items, key=lambda i: i.start)

    def _gpu_text(self, text: str, start: int) -> tuple[str, int]:
        m = self.gpu_re.search(text, max(0, start - 8))
        return (m.group(0), m.start()) if m else (text[start:start + 8], start)

    def _money(self, q, rest, before):
        after = self.after_currency_re.match(rest)
        sign = self.before_currency_re.search(before[-6:])
        code = None
        if sign:
            code = self.currency_of[sign.group("cur").lower()]
            words = before[len(before) - len(before[-6:]) + sign.start():] + q.text
            start = q.start - (len(before[-6:]) - sign.start())
        elif after:
            code = self.currency_of[re.sub(r"[\s-]+", " ", after.group("cur").lower())
                                    .replace("us dollar", "us-dollar")]
            words, start = q.text + rest[:after.end()], q.start
        if code is None:
            return None
        symbol = (sign or after).group("cur")
        doubt = None
        if code == "":
            doubt = f"{symbol!r} names more than one currency in {self.lang.name}"
        elif code in ("DKK", "NOK") and not self.explicit and symbol.lower().startswith("kr"):
            doubt = (f"{symbol!r} is DKK in Danish and NOK in Norwegian, and the language was "
                     f"only detected ({self.lang.name})")
        tail = rest[after.end():] if after else rest
        per = self.per_hour_re.match(tail)
        if per:
            return Item("price", q.value, f"{code}/GPU-hour", words + tail[:per.end()], start,
                        doubt)
        return Item("money", q.value, code, words, start, doubt)

    def _gpu_hours(self, q, rest):
        m = self.gpu_hours_re.match(rest)
        if not m:
            return None
        unit = "GPU-hour"
        if m.group("gpu"):
            unit = f"GPU:{self.gpu_names[lookup_key(m.group('gpu'))]}@{q.end + m.start('gpu')}"
        return Item("gpu_hours", q.value, unit, q.text + rest[:m.end()], q.start)

    def _duration(self, q, rest):
        m = self.duration_re.match(rest)
        if not m:
            return None
        unit = self.duration_of[m.group("unit").lower()]
        if unit == "hour" and m.group("unit").lower() in ("h", "t") and not re.match(
                r"\s*(?:\W|$)", rest[m.end():]):
            return None
        return Item("duration", q.value, unit, q.text + rest[:m.end()], q.start)

    def _flop(self, q, rest):
        m = self.flop_re.match(rest)
        return Item("flop", q.value, "FLOP", q.text + rest[:m.end()], q.start) if m else None

    def _count(self, q, rest):
        m = self.count_re.match(rest)
        if not m or q.value != int(q.value) or q.value < 1:
            return None
        unit = "GPU"
        if m.group("gpu"):
            unit = f"GPU:{self.gpu_names[lookup_key(m.group('gpu'))]}@{q.end + m.start('gpu')}"
        return Item("count", int(q.value), unit, (q.text + rest[:m.end()]).strip(), q.start)


def lookup_key(name: str) -> str:
    """The lookup form of a GPU name as written ("H800", "h800", "TPU-v4" -> "tpu v4")."""
    return re.sub(r"[\s-]+", " ", name.lower()).strip()
