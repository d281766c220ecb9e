"""Numbers in each language's convention: one reading, or a question (issue 28)."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from estimator.claimtext.languages import SUPPORTED
from estimator.claimtext.numbers import AmbiguousNumber, format_number, parse_number
from estimator.errors import InputError


@pytest.mark.parametrize("text, lang, value", [
    ("294.000", "de", 294_000),          # German thousands by dot (seed 003)
    ("294.000", "da", 294_000),          # Danish (seed 000)
    ("294.000", "ro", 294_000),          # Romanian (seed 001)
    ("294,000", "en", 294_000),          # English thousands by comma (seed 004)
    ("2 048", "sv", 2048),               # Swedish thousands by space (seed 002)
    ("4\u00a0096", "sv", 4096),          # no-break space
    ("4\u202f096", "no", 4096),          # narrow no-break space
    ("2,79", "de", 2.79),                # decimal comma
    ("2.79", "de", 2.79),                # a dot before two digits can only be a decimal
    ("5,5", "sv", 5.5),
    ("1,720,320", "en", 1_720_320),
    ("1.720.320", "de", 1_720_320),
    ("1.234.567,89", "de", 1_234_567.89),
    ("1,234,567.89", "en", 1_234_567.89),
    ("2.048", "de", 2048),
    ("3.5", "en", 3.5),
])
def test_reads_each_convention(text, lang, value):
    assert parse_number(text, lang) == pytest.approx(value)


def test_before_a_scale_word_the_decimal_mark_is_a_decimal_and_a_group_mark_is_asked():
    # "2.788 million" (en) and "2,788 Millionen" (de) are 2.788e6
    assert parse_number("2.788", "en", scaled=True) == pytest.approx(2.788)
    assert parse_number("2,788", "de", scaled=True) == pytest.approx(2.788)
    # "5,576 million" in English is 5.576 million (a decimal comma) or 5,576 million: asked
    for text, lang in (("5,576", "en"), ("2.788", "de")):
        with pytest.raises(AmbiguousNumber):
            parse_number(text, lang, scaled=True)


def test_english_three_decimals_is_asked_when_the_language_was_only_detected():
    with pytest.raises(AmbiguousNumber) as err:
        parse_number("294.000", "en", explicit_language=False)
    assert err.value.readings == (294_000, 294.0)
    # named explicitly, English reads a dot as the decimal separator
    assert parse_number("294.000", "en") == 294.0


@pytest.mark.parametrize("text", ["1,23,4", "12.34.5", "1.234,5,6"])
def test_malformed_numbers_are_errors(text):
    with pytest.raises(InputError):
        parse_number(text, "de")


@given(st.integers(min_value=0, max_value=10**12), st.sampled_from(SUPPORTED))
def test_integers_round_trip_in_every_language(value, lang):
    assert parse_number(format_number(value, lang), lang) == value


@given(st.integers(min_value=0, max_value=10**9), st.integers(min_value=1, max_value=99),
       st.sampled_from(SUPPORTED))
def test_decimals_with_two_places_round_trip(whole, cents, lang):
    value = whole + cents / 100
    assert parse_number(format_number(value, lang, 2), lang) == pytest.approx(value)
