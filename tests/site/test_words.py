"""What a reader reads: human labels, the range's provenance, numbers in one style."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from estimator.bands import STALE_DAYS, Band, RentalObservation
from estimator.data.profiles import SPEC_KEYS
from estimator.scenarios.model import Stage
from estimator.scenarios.schema import ASSUMPTIONS, IMPLIED_NAMES, QUANTITIES
from estimator.site import builder, labels, pages, provenance
from estimator.site.numbers import human, money, scientific
from estimator.site.pages import STAGE_SKIP

FIELD_NAME = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
"""snake_case: a field name that leaked onto a page."""


def reader_text(page: str) -> str:
    """The words a reader sees: no markup, no JSON-LD, no link targets, no URLs."""
    page = re.sub(r"<(script|style|svg)\b.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<head>.*?</head>", " ", page, flags=re.S)
    text = html.unescape(re.sub(r"<[^>]+>", " ", page))
    return re.sub(r"https?://\S+", " ", text)


def test_every_quantity_stage_field_and_assumption_has_a_label():
    stage_fields = {f.name for f in dataclasses.fields(Stage)} - STAGE_SKIP
    names = set(QUANTITIES) | stage_fields | set(ASSUMPTIONS.fields) | set(IMPLIED_NAMES) | \
        set(SPEC_KEYS)
    assert sorted(n for n in names if n not in labels.LABELS) == []


def test_labels_carry_units():
    assert labels.label("price_usd_per_gpu_hour", with_unit=True) == "Price per GPU-hour (USD)"
    assert labels.label("energy_it", with_unit=True) == "IT energy (kWh)"
    assert labels.label("gpu_hours", with_unit=True) == "GPU-hours"  # unit not repeated
    assert labels.label("some_new_field") == "Some new field"           # never snake_case
    assert labels.value_words("on_demand,commit_1y") == "on-demand, 1-year committed"
    assert labels.language_name("sv") == "Swedish" and labels.language_name(None) == ""
    assert labels.label("fx_rate_sek_per_usd") == "Exchange rate (SEK per US dollar)"


def _observation(provider: str, day: str, price: float) -> RentalObservation:
    return RentalObservation(provider=provider, tier="on_demand", provider_class="neocloud",
                             price_per_gpu_hour=price, currency="USD",
                             date=dt.date.fromisoformat(day), source="https://example.org/p",
                             as_of=dt.date.fromisoformat(day), confidence="primary",
                             price_usd_per_gpu_hour=price)


def test_provenance_counts_observations_and_names_the_newest_date():
    band = Band(6.30, 7.11, 7.91, rule="observations",
                used=(_observation("A", "2025-06-01", 7.91), _observation("A", "2026-02-01", 6.30)))
    # two observations of one provider: thin, as estimator.bands flags it (and the CLI says)
    assert provenance.range_provenance([band], "cost") == (
        "The range rests on 2 price observations from 1 provider, the newest dated 2026-02-01 "
        "(a thin band: treat its ends with care).")
    assert provenance.range_provenance([band], "energy_it") == (
        "The range spans the power-draw range (listed under Assumptions with their sources); "
        "no price observations are involved.")


def test_provenance_says_derived_and_stale():
    band = Band(1.0, 1.5, 2.0, rule="derived", stale=True, note="from the H100's band x 0.8",
                used=tuple(_observation(p, "2021-01-0" + str(i), 1.5)
                           for i, p in enumerate("ABC", start=1)))
    text = provenance.range_provenance([band], "price_usd_per_gpu_hour")
    assert text == ("The band is derived from another GPU's prices (3 observations, the newest "
                    "dated 2021-01-03), not observed for this one. The band is stale: no "
                    "observation in the 365 days before the price date.")
    many = Band(1.0, 1.5, 2.0, rule="observations",
                used=tuple(_observation(p, "2024-05-0" + str(i), 1.5)
                           for i, p in enumerate("ABCD", start=1)))
    assert provenance.range_provenance([many], "cost") == (
        "The range rests on 4 price observations from 4 providers, the newest dated "
        "2024-05-04.")


def test_matching_tiers_read_as_a_table_row():
    rows = pages.tier_rows([{"tier": "commit_3y", "price_date": "2020-05-28", "low": 1.21,
                             "high": 1.214, "extreme": "low"}])
    assert rows == [{"tier": "3-year committed", "when": "May 2020",
                     "band": "$1.21 to $1.21 per GPU-hour",
                     "where": "only at the band's low end"}]


def test_money_and_large_numbers_read_one_way():
    assert money(1.5) == "$1.50" and money(2.745) == "$2.75"      # cents below $10
    assert money(294_000) == "$294,000" and money(5_576_000) == "$5.576M"
    assert money(12.5) == "$12.5"
    assert scientific(3.29e24) == "3.290 × 10²⁴"
    assert human(1.838e23) == "1.838 × 10²³"
    assert human(12_345) == "12,345"


@given(st.floats(min_value=0.01, max_value=9.994, allow_nan=False))
def test_small_money_always_has_two_decimals(value):
    assert re.fullmatch(r"\$\d\.\d\d", money(value))


@pytest.fixture(scope="module")
def fresh_site(tmp_path_factory):
    """A site of one claim file as `estimator new --from-run` writes it, sources filled in."""
    from estimator.scenarios.template import from_run
    from estimator.site import build_site

    root = tmp_path_factory.mktemp("fresh")
    text = from_run("h200-claim", "H200", "1.2M USD", count="1024", hours="2 weeks",
                    today=dt.date(2026, 12, 7))
    text = text.replace("FILL IN: publication or author", "Example Daily").replace(
        "FILL IN: headline or paper title", "Training AI got cheap")
    (root / "claims").mkdir()
    (root / "claims" / "h200-claim.yaml").write_text(text, encoding="utf-8")
    build_site([root / "claims"], root / "site")
    return root / "site"


def test_fresh_claim_page_shows_no_field_names_or_python(fresh_site):
    page = (fresh_site / "h200-claim" / "index.html").read_text("utf-8")
    text = reader_text(page)
    assert FIELD_NAME.findall(text) == []
    assert "{'" not in text and "['" not in text and "None" not in text
    assert "Rental cost (USD)" in text and "Price per GPU-hour" in text
    # The claim states a cost: only that row is open; the other quantities are folded away.
    open_part = page.split("<details", 1)[0]
    assert "Rental cost (USD)" in open_part and "Emissions (t CO2e)" not in open_part
    assert "Emissions (t CO2e)" in page.split("<details", 1)[1]
    assert "What the range rests on:" in text and "price observation" in text


def test_index_row_names_the_quantity_and_scope_in_words(fresh_site):
    text = reader_text((fresh_site / "index.html").read_text("utf-8"))
    assert FIELD_NAME.findall(text) == []
    assert "(Rental cost, final run)" in text


def test_free_text_says_tiers_in_words():
    assert labels.in_words("4 rental observations (commit_1y, commit_3y, on_demand)") == \
        "4 rental observations (1-year committed, 3-year committed, on-demand)"
    assert labels.in_words("prices are read (provider_class neocloud)") == \
        "prices are read (provider class neocloud)"


def test_a_generated_title_reads_like_a_headline(fresh_site):
    page = (fresh_site / "h200-claim" / "index.html").read_text("utf-8")
    assert "<h1>Did training on 1,024 H200 GPUs for 2 weeks cost 1.2M USD?</h1>" in page
    assert "Claim: Training on 1,024 H200 GPUs for 2 weeks cost 1.2M USD</h2>" in page


def test_stale_band_on_a_page_names_the_rule_limit():
    # the page said "no observation in the last two years" while a band turns stale after
    # estimator.bands.STALE_DAYS (365) days; the words now come from the constant
    band = Band(1.0, 1.5, 2.0, rule="observations", stale=True,
                used=(_observation("A", "2021-01-01", 1.5),))
    assert pages._band(band)["stale_days"] == STALE_DAYS == 365
    env = builder.environment()
    source = env.loader.get_source(env, "scenario.html.j2")[0]
    assert "{{ b.stale_days }} days" in source and "two years" not in source
