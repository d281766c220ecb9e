"""The words of each language the claim reader knows: number conventions, scale words, small
number words, currencies, durations, GPU nouns and relations.

One table per language, so adding one is adding an entry. Sources for the conventions:
the Unicode CLDR number symbols (decimal and group separators per locale,
https://cldr.unicode.org/translation/number-currency-formats/number-symbols) and the long
scale used by German, the Scandinavian languages and Romanian ("Billion" = 10^12,
https://en.wikipedia.org/wiki/Long_and_short_scales).
"""

from __future__ import annotations

from dataclasses import dataclass, field

SHORT_SCALE = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}


@dataclass(frozen=True)
class Language:
    """One language's conventions and words (all words lowercase)."""

    code: str
    name: str
    decimal: str                      # the decimal separator (CLDR)
    group: tuple                      # thousands separators (CLDR; a space also counts)
    scales: dict                      # scale word -> factor
    small_numbers: dict               # number word -> value (small counts, "tre veckor")
    currencies: dict                  # currency word -> ISO code ("" when ambiguous)
    durations: dict                   # duration word -> pint unit name
    gpu_hour_words: tuple             # words after a number that mean GPU-hours
    chip_nouns: tuple                 # what a newsroom calls a GPU ("chips", "kretsar")
    at_most: tuple                    # relation words before an amount
    at_least: tuple
    approx: tuple
    per_hour: tuple = field(default=("per hour", "an hour", "/h", "/hour"))


_EN_SMALL = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
             "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
             "fourteen": 14, "fifteen": 15, "sixteen": 16, "eighteen": 18, "twenty": 20,
             "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
             "ninety": 90, "hundred": 100, "a": 1, "an": 1}
_COMMON_CURRENCIES = {"$": "USD", "us$": "USD", "usd": "USD", "€": "EUR", "eur": "EUR",
                      "£": "GBP", "gbp": "GBP", "sek": "SEK", "dkk": "DKK", "nok": "NOK",
                      "cny": "CNY", "rmb": "CNY", "yuan": "CNY", "renminbi": "CNY",
                      "ron": "RON", "chf": "CHF", "jpy": "JPY", "¥": "", "euro": "EUR",
                      "euros": "EUR", "us-dollar": "USD", "us-dollars": "USD"}
_GPU_HOURS = ("gpu-hours", "gpu hours", "gpu-hour", "gpu hour", "gpu-h", "gpuh")

LANGUAGES: dict[str, Language] = {}


def _add(lang: Language) -> None:
    LANGUAGES[lang.code] = lang


_add(Language(
    code="en", name="English", decimal=".", group=(",",),
    scales={"thousand": 1e3, "k": 1e3, "million": 1e6, "millions": 1e6, "mn": 1e6, "m": 1e6,
            "mln": 1e6, "billion": 1e9, "billions": 1e9, "bn": 1e9, "b": 1e9,
            "trillion": 1e12, "t": 1e12},
    small_numbers=_EN_SMALL,
    currencies={**_COMMON_CURRENCIES, "dollars": "USD", "dollar": "USD", "us dollars": "USD",
                "pounds": "GBP", "kronor": "SEK", "kroner": "DKK", "kr": ""},
    durations={"hours": "hour", "hour": "hour", "hrs": "hour", "hr": "hour", "h": "hour",
               "days": "day", "day": "day", "weeks": "week", "week": "week",
               "months": "month", "month": "month"},
    gpu_hour_words=_GPU_HOURS,
    chip_nouns=("chips", "chip", "gpus", "gpu", "processors", "accelerators", "graphics cards",
                "cards"),
    at_most=("less than", "under", "below", "up to", "at most", "no more than", "fewer than"),
    at_least=("more than", "over", "above", "at least", "upwards of", "in excess of",
              "much more than", "well over"),
    approx=("about", "around", "roughly", "approximately", "some", "nearly", "almost",
            "only", "just", "a mere", "circa", "c."),
))
_add(Language(
    code="de", name="German", decimal=",", group=(".",),
    scales={"tausend": 1e3, "million": 1e6, "millionen": 1e6, "mio": 1e6, "mio.": 1e6,
            "milliarde": 1e9, "milliarden": 1e9, "mrd": 1e9, "mrd.": 1e9,
            "billion": 1e12, "billionen": 1e12},
    small_numbers={"ein": 1, "eine": 1, "einer": 1, "zwei": 2, "drei": 3, "vier": 4,
                   "fünf": 5, "sechs": 6, "sieben": 7, "acht": 8, "neun": 9, "zehn": 10,
                   "elf": 11, "zwölf": 12, "vierzehn": 14, "zwanzig": 20, "dreißig": 30,
                   "hundert": 100},
    currencies={**_COMMON_CURRENCIES, "dollar": "USD", "us-dollar": "USD", "dollars": "USD",
                "kronen": "", "kr": ""},
    durations={"stunden": "hour", "stunde": "hour", "std.": "hour", "std": "hour",
               "h": "hour", "tage": "day", "tagen": "day", "tag": "day", "wochen": "week",
               "woche": "week", "monate": "month", "monaten": "month", "monat": "month"},
    gpu_hour_words=("gpu-stunden", "gpu-stunde", "gpu stunden", *_GPU_HOURS),
    chip_nouns=("chips", "chip", "gpus", "gpu", "grafikprozessoren", "prozessoren",
                "beschleuniger", "grafikkarten"),
    at_most=("weniger als", "unter", "höchstens", "bis zu", "maximal", "nicht mehr als"),
    at_least=("mehr als", "über", "mindestens", "weit über", "deutlich mehr als"),
    approx=("etwa", "rund", "ungefähr", "circa", "ca.", "knapp", "nur", "lediglich", "gut"),
))
_add(Language(
    code="da", name="Danish", decimal=",", group=(".",),
    scales={"tusind": 1e3, "million": 1e6, "millioner": 1e6, "mio": 1e6, "mio.": 1e6,
            "milliard": 1e9, "milliarder": 1e9, "mia": 1e9, "mia.": 1e9,
            "billion": 1e12, "billioner": 1e12},
    small_numbers={"en": 1, "et": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6,
                   "syv": 7, "otte": 8, "ni": 9, "ti": 10, "elleve": 11, "tolv": 12,
                   "fjorten": 14, "tyve": 20, "hundrede": 100},
    currencies={**_COMMON_CURRENCIES, "dollars": "USD", "dollar": "USD", "kroner": "DKK",
                "kr": "DKK", "kr.": "DKK", "kronor": "SEK"},
    durations={"timer": "hour", "time": "hour", "t": "hour", "dage": "day", "dag": "day",
               "døgn": "day", "uger": "week", "uge": "week", "måneder": "month",
               "måned": "month"},
    gpu_hour_words=("gpu-timer", "gpu timer", *_GPU_HOURS),
    chip_nouns=("chips", "chip", "gpu'er", "gpuer", "gpu", "processorer", "grafikkort"),
    at_most=("mindre end", "under", "højst", "op til", "ikke mere end"),
    at_least=("mere end", "over", "mindst", "meget mere end", "langt over"),
    approx=("omkring", "cirka", "ca.", "knap", "kun", "blot", "godt"),
))
_add(Language(
    code="sv", name="Swedish", decimal=",", group=(" ",),
    scales={"tusen": 1e3, "miljon": 1e6, "miljoner": 1e6, "milj": 1e6, "milj.": 1e6,
            "mkr": 1e6, "miljard": 1e9, "miljarder": 1e9, "mdr": 1e9, "md": 1e9,
            "biljon": 1e12, "biljoner": 1e12},
    small_numbers={"en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6,
                   "sju": 7, "åtta": 8, "nio": 9, "tio": 10, "elva": 11, "tolv": 12,
                   "fjorton": 14, "tjugo": 20, "hundra": 100},
    currencies={**_COMMON_CURRENCIES, "dollar": "USD", "dollars": "USD", "kronor": "SEK",
                "kr": "SEK", "mkr": "SEK", "kroner": "DKK"},
    durations={"timmar": "hour", "timme": "hour", "tim": "hour", "h": "hour", "dagar": "day",
               "dag": "day", "dygn": "day", "veckor": "week", "vecka": "week",
               "månader": "month", "månad": "month"},
    gpu_hour_words=("gpu-timmar", "gpu-timme", "gpu timmar", *_GPU_HOURS),
    chip_nouns=("chips", "chip", "kretsar", "krets", "gpu:er", "grafikkort", "processorer"),
    at_most=("mindre än", "under", "högst", "upp till", "inte mer än"),
    at_least=("mer än", "över", "minst", "långt över"),
    approx=("omkring", "cirka", "ca", "ca.", "runt", "ungefär", "drygt", "knappt", "bara",
            "endast"),
))
_add(Language(
    code="no", name="Norwegian", decimal=",", group=(" ",),
    scales={"tusen": 1e3, "million": 1e6, "millioner": 1e6, "mill.": 1e6, "mill": 1e6,
            "milliard": 1e9, "milliarder": 1e9, "mrd": 1e9, "mrd.": 1e9,
            "billion": 1e12, "billioner": 1e12},
    small_numbers={"en": 1, "ett": 1, "to": 2, "tre": 3, "fire": 4, "fem": 5, "seks": 6,
                   "sju": 7, "åtte": 8, "ni": 9, "ti": 10, "tolv": 12, "fjorten": 14,
                   "tjue": 20, "hundre": 100},
    currencies={**_COMMON_CURRENCIES, "dollar": "USD", "dollars": "USD", "kroner": "NOK",
                "kr": "NOK", "kr.": "NOK", "kronor": "SEK"},
    durations={"timer": "hour", "time": "hour", "dager": "day", "dag": "day", "døgn": "day",
               "uker": "week", "uke": "week", "måneder": "month", "måned": "month"},
    gpu_hour_words=("gpu-timer", "gpu timer", *_GPU_HOURS),
    chip_nouns=("chips", "chip", "brikker", "gpu-er", "grafikkort", "prosessorer"),
    at_most=("mindre enn", "under", "høyst", "opp til"),
    at_least=("mer enn", "over", "minst"),
    approx=("omkring", "cirka", "ca.", "rundt", "bare", "kun"),
))
_add(Language(
    code="ro", name="Romanian", decimal=",", group=(".",),
    scales={"mii": 1e3, "mie": 1e3, "milion": 1e6, "milioane": 1e6, "mil.": 1e6,
            "miliard": 1e9, "miliarde": 1e9, "mld.": 1e9, "mld": 1e9,
            "bilion": 1e12, "bilioane": 1e12},
    small_numbers={"un": 1, "o": 1, "unu": 1, "doi": 2, "două": 2, "trei": 3, "patru": 4,
                   "cinci": 5, "șase": 6, "sase": 6, "șapte": 7, "opt": 8, "nouă": 9,
                   "zece": 10, "doisprezece": 12, "paisprezece": 14, "douăzeci": 20,
                   "sută": 100},
    currencies={**_COMMON_CURRENCIES, "dolari": "USD", "dolar": "USD", "de dolari": "USD",
                "dolari americani": "USD", "lei": "RON", "coroane": ""},
    durations={"ore": "hour", "oră": "hour", "ora": "hour", "zile": "day", "zi": "day",
               "săptămâni": "week", "saptamani": "week", "săptămână": "week",
               "luni": "month", "lună": "month"},
    gpu_hour_words=("ore gpu", "ore-gpu", "ore de gpu", *_GPU_HOURS),
    chip_nouns=("procesoare", "procesor", "cipuri", "cip", "chipuri", "chip-uri", "gpu-uri",
                "plăci", "acceleratoare"),
    at_most=("mai puțin de", "sub", "cel mult", "până la", "nu mai mult de"),
    at_least=("mai mult de", "peste", "cel puțin", "mult peste"),
    approx=("aproximativ", "circa", "aproape", "în jur de", "doar", "numai", "cam"),
))

SUPPORTED = tuple(LANGUAGES)
"""Language codes `estimator claim --lang` takes (besides auto)."""

NUMBER_JOINERS = ("and", "og", "und", "och", "și", "si", "e")
"""Words that join the parts of a number written in words ("five hundred and twelve")."""

FRACTION_WORDS = ("half", "quarter", "third", "halv", "halvt", "halb", "halbe", "halben",
                  "kvart", "viertel", "jumătate", "sfert")
"""Words before a scale word that make a fraction of it ("half a million")."""

FILLER_WORDS = ("de", "of", "nvidia", "amd", "google", "intel", "x", "×", "sådana", "such",
                "these", "von", "der", "af", "its", "their", "deres", "sina", "seine", "sale")
"""Words that may stand between a count and its chip noun ("512 procesoare Nvidia H800")."""
