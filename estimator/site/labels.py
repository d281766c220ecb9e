"""The words a reader sees for every field name: one table, human names with their units.

Templates never print a field name: a quantity, a stage input, an assumption or an extra claim
field is shown through :func:`label` (and :func:`unit` for the unit a value is printed in).
A name missing from :data:`LABELS` is turned into words ("flop_per_token" -> "Flop per token")
so a field added elsewhere in the package still reads as words, never as ``snake_case``;
tests/site/test_labels.py checks that every quantity, stage field and assumption the package
knows has an entry here.
"""

from __future__ import annotations

import re

LABELS: dict[str, tuple[str, str]] = {
    # computed quantities (scenarios/schema.py QUANTITIES, and the stage values)
    "cost": ("Rental cost", "USD"),
    "capex": ("Cost of buying the GPUs", "USD"),
    "gpu_hours": ("GPU-hours", "GPU-hours"),
    "hours": ("Wall-clock time", "hours"),
    "flop": ("Training compute", "FLOP"),
    "peak_flop": ("Peak compute of the GPU time", "FLOP"),
    "energy": ("Facility energy", "kWh"),
    "energy_facility": ("Facility energy", "kWh"),
    "energy_it": ("IT energy", "kWh"),
    "co2": ("Emissions", "t CO2e"),
    "mfu": ("Model FLOP utilisation", ""),
    "throughput_tflops_per_gpu": ("Throughput per GPU", "TFLOP/s"),
    "tokens_per_second": ("Training tokens per second", "tokens/s"),
    "flop_formula": ("How the training compute was counted", ""),
    "route": ("Description of the run (one of several)", ""),
    "price_usd_per_gpu_hour": ("Price per GPU-hour", "USD"),
    "gpu_count": ("Number of GPUs", "GPUs"),
    "goodput": ("Goodput", ""),
    # stage inputs (scenarios/model.py Stage)
    "gpu": ("GPU", ""),
    "count": ("Number of GPUs", "GPUs"),
    "params": ("Parameters", ""),
    "tokens": ("Training tokens", ""),
    "flop_per_token": ("Compute per token", "FLOP"),
    "precision": ("Number format", ""),
    "price_usd": ("Price per GPU-hour", "USD"),
    "power_w": ("Power per GPU", "W"),
    "secondary": ("Secondary stage", ""),
    "start": ("Start date", ""),
    "end": ("End date", ""),
    # assumptions (scenarios/schema.py ASSUMPTIONS)
    "price": ("Price per GPU-hour", "USD"),
    "power_fraction": ("Share of rated power drawn", ""),
    "pue": ("Power usage effectiveness (PUE)", ""),
    "carbon_intensity": ("Grid carbon intensity", "kg CO2e/kWh"),
    "region": ("Grid region", ""),
    "fx_date": ("Exchange-rate date", ""),
    "as_of": ("Prices as of", ""),
    "purchase_price": ("Purchase price per GPU", "USD"),
    "server_overhead": ("Server cost on top of the GPUs", ""),
    "interconnect_share": ("Share of cost for the network", ""),
    "tier": ("Price tier", ""),
    "provider_class": ("Provider class", ""),
    "price_date": ("Prices as of", ""),
    "derived": ("Figure derived by the file's author", ""),
    "dollar_year": ("Dollar year", ""),
    "method": ("Cost method", ""),
    "compare_ratio": ("Ratio to the compared figure", ""),
    # implied values (scenarios/schema.py IMPLIED_NAMES)
    "cost_usd": ("Cost", "USD"),
    "capex_usd_per_gpu": ("Purchase cost per GPU", "USD"),
    "power_w_per_gpu": ("Average power per GPU", "W"),
    "carbon_intensity_kg_per_kwh": ("Grid carbon intensity", "kg CO2e/kWh"),
    "fx_rate_per_usd": ("Exchange rate per US dollar", ""),
    # hardware specs (data/profiles.py)
    "fp64_tflops": ("FP64 peak", "TFLOP/s"),
    "fp64_tensor_tflops": ("FP64 tensor-core peak", "TFLOP/s"),
    "tf32_dense_tflops": ("TF32 dense peak", "TFLOP/s"),
    "bf16_dense_tflops": ("BF16 dense peak", "TFLOP/s"),
    "fp16_dense_tflops": ("FP16 dense peak", "TFLOP/s"),
    "fp8_dense_tflops": ("FP8 dense peak", "TFLOP/s"),
    "fp4_dense_tflops": ("FP4 dense peak", "TFLOP/s"),
    "int8_dense_tops": ("INT8 dense peak", "TOPS"),
    "tdp_w": ("Rated power (TDP)", "W"),
    "memory_gb": ("Memory", "GB"),
    "memory_bandwidth_tb_per_s": ("Memory bandwidth", "TB/s"),
    "nvlink_gb_per_s": ("GPU-to-GPU bandwidth per GPU", "GB/s"),
    "launch_date": ("Launch date", ""),
}
"""field name -> (what a reader calls it, the unit its values are printed in; "" = none)."""

WORDS = {"on_demand": "on-demand", "commit_1y": "1-year committed", "commit_3y": "3-year committed",
         "spot": "spot", "marketplace": "marketplace", "hyperscaler": "hyperscaler",
         "neocloud": "specialist GPU cloud", "index": "price index",
         "final-run": "final run", "pre-training": "pre-training", "post-training": "post-training",
         "rl-stage": "reinforcement-learning stage", "fine-tune": "fine-tuning",
         "all-stages": "all stages", "development": "development", "budget": "budget",
         "fleet": "fleet", "approx": "about", "at_least": "at least", "at_most": "at most",
         "between": "between", "provider_class": "provider class"}
"""Data values (tiers, provider classes, scopes, relations) in a reader's words."""


def words(name) -> str:
    """A field name as words: 'flop_per_token' -> 'Flop per token' (fallback for new names)."""
    text = str(name).replace("_", " ").replace("-", " ").strip()
    return text[:1].upper() + text[1:]


_FX_RATE = re.compile(r"fx_rate_([a-z]{3})_per_usd")


def _entry(name) -> tuple[str, str]:
    """(label, unit) of a field name; 'fx_rate_sek_per_usd' is the SEK-per-dollar rate."""
    fx = _FX_RATE.fullmatch(str(name))
    if fx:
        return f"Exchange rate ({fx.group(1).upper()} per US dollar)", ""
    return LABELS.get(str(name), (words(name), ""))


def label(name, with_unit: bool = False) -> str:
    """The reader's name for a field, e.g. 'IT energy' or, ``with_unit``, 'IT energy (kWh)'."""
    text, unit_text = _entry(name)
    return f"{text} ({unit_text})" if with_unit and unit_text and unit_text != text else text


def unit(name) -> str:
    """The unit a field's values are printed in ('' when none): 'kWh', 'USD', 'GPU-hours'."""
    return _entry(name)[1]


def value_words(value) -> str:
    """A data value (tier, provider class, scope, relation) as a reader says it; a
    comma-joined list of them word by word ('on_demand,spot' -> 'on-demand, spot')."""
    if value is None:
        return ""
    parts = [p.strip() for p in str(value).split(",")]
    return ", ".join(WORDS.get(p, p.replace("_", " ")) for p in parts)


SOURCE_ROLES = {"article": "the news report making the claim", "primary": "primary source",
                "secondary": "secondary source", "estimate": "independent estimate"}
"""A source's role (scenarios/schema.py) as the Sources list says it."""

LANGUAGES = {"en": "English", "sv": "Swedish", "da": "Danish", "de": "German", "ro": "Romanian",
             "fr": "French", "es": "Spanish", "it": "Italian", "nl": "Dutch", "no": "Norwegian",
             "nb": "Norwegian", "fi": "Finnish", "pl": "Polish", "pt": "Portuguese",
             "zh": "Chinese", "ja": "Japanese", "ko": "Korean", "ru": "Russian"}
"""BCP 47 language codes of the sources, by their English names (unknown codes print as given)."""

BAND_RULES = {"observations": "from dated price observations",
              "derived": "derived from another GPU's prices",
              "override": "set by the scenario file", "given": "as given",
              "default": "a default range", "computed": "computed"}
"""How a band was made (bands.py Band.rule), in words."""


def band_rule(rule) -> str:
    """How a band was made, in words: 'observations' -> 'from dated price observations'."""
    return BAND_RULES.get(rule, words(rule or ""))


def language_name(code) -> str:
    """'sv' -> 'Swedish'; '' for no code; an unknown code as given."""
    if not code:
        return ""
    return LANGUAGES.get(str(code).split("-")[0].lower(), str(code))


_DATA_TOKEN = re.compile(r"\b(?:" + "|".join(sorted((re.escape(k) for k in WORDS if "_" in k),
                                                     key=len, reverse=True)) + r")\b")


def in_words(text) -> str:
    """Free text (an explanation, a band's note) with the data's tier names said in words:
    '(commit_1y, on_demand)' -> '(1-year committed, on-demand)'."""
    return _DATA_TOKEN.sub(lambda m: WORDS[m.group(0)], "" if text is None else str(text))
