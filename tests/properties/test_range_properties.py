"""Range and Band (estimator/bands.py, issue 24): equality and hash agree, and range-only
values carry no price provenance."""

import dataclasses
import datetime as dt
import math

from hypothesis import given
from hypothesis import strategies as st

from estimator.bands import Band, Range

VALUE = st.one_of(st.floats(-1e6, 1e6, allow_nan=False), st.just(math.nan))
RULES = st.sampled_from(["given", "default", "computed", "observations"])
SOURCES = st.one_of(st.none(), st.sampled_from(["Epoch AI", "x"]))


@st.composite
def ranges(draw, kind=None):
    """A Range or a Band with ordered values, drawn from a small pool so that equal pairs
    come up often."""
    low, typical, high = sorted(draw(st.lists(st.sampled_from([0.0, 1.0, 2.5, 3.0]),
                                              min_size=3, max_size=3)))
    common = dict(stated=draw(st.sampled_from([math.nan, 1.0, 2.5])), rule=draw(RULES),
                  source=draw(SOURCES))
    cls = kind or draw(st.sampled_from([Range, Band]))
    if cls is Band:
        common.update(stale=draw(st.booleans()),
                      tier=draw(st.sampled_from([None, "on_demand", "spot"])),
                      reference_date=draw(st.sampled_from([None, dt.date(2025, 1, 1)])))
    return cls(low, typical, high, **common)


@given(ranges(), ranges())
def test_equal_ranges_hash_alike(a, b):
    if a == b:
        assert hash(a) == hash(b)
        assert len({a, b}) == 1
    else:
        assert len({a, b}) == 2


@given(ranges())
def test_a_range_equals_its_copy_nan_included(a):
    copy = dataclasses.replace(a)
    assert copy == a and hash(copy) == hash(a) and copy is not a


@given(ranges(kind=Range))
def test_a_range_never_equals_a_band_of_the_same_values(r):
    band = Band(r.low, r.typical, r.high, r.stated, rule=r.rule, source=r.source)
    assert r != band and band != r
    assert len({r, band}) == 2


@given(st.lists(ranges(), max_size=4))
def test_sums_are_computed_ranges_of_the_parts(parts):
    total = Range.total(parts)
    assert type(total) is Range and total.rule == "computed"
    assert math.isclose(total.typical, sum(p.typical for p in parts), abs_tol=1e-9)


def test_range_has_no_price_provenance_band_has():
    price_fields = {"reference_date", "used", "stale", "tier", "provider_class"}
    range_fields = {f.name for f in dataclasses.fields(Range)}
    assert range_fields == {"low", "typical", "high", "stated", "rule", "source", "note"}
    assert not price_fields & range_fields
    assert {f.name for f in dataclasses.fields(Band)} == range_fields | price_fields
    mfu = Range.around(0.375, 0.15, 0.65)
    assert not hasattr(mfu, "thin") and not hasattr(mfu, "tier")
    # the old Band keywords still build a Band
    band = Band(1.0, 2.0, 3.0, rule="observations", reference_date=dt.date(2025, 1, 1),
                tier="on_demand", provider_class="neocloud", stale=True, source="s", note="n")
    assert (band.tier, band.stale, band.count, band.thin) == ("on_demand", True, 0, False)


def test_range_columns_address_ranges_by_name():
    from estimator.bands import RangeColumns

    cols = RangeColumns.of([Range(1.0, 2.0, 4.0), Band(0.5, 0.5, 0.5, tier="spot")])
    assert cols.low.tolist() == [1.0, 0.5] and cols.high.tolist() == [4.0, 0.5]
    picked = cols.take([1, 0, 0])
    assert picked.typical.tolist() == [0.5, 2.0, 2.0] and len(picked) == 3
    assert [name for name, _ in picked.items()] == ["low", "typical", "high"]
