"""estimator/data/schema.py: the validators data files and scenarios go through."""
import pytest

from estimator.data.schema import Ctx, Num
from estimator.errors import DataFileError


def test_a_child_context_extends_the_key_path_and_keeps_the_line():
    ctx = Ctx("gpu.yaml", 3).child("rental_prices", 7).child(0, None)
    assert (ctx.file, ctx.line, ctx.path) == ("gpu.yaml", 7, "rental_prices[0]")


def test_num_returns_a_float_and_rejects_the_minimum_when_exclusive():
    assert Num().validate(80, Ctx("f.yaml")) == 80.0
    with pytest.raises(DataFileError, match=r"0 is out of range; must be > 0") as info:
        Num().validate(0, Ctx("f.yaml", 4, "memory_gb"))
    assert (info.value.file, info.value.line, info.value.key) == ("f.yaml", 4, "memory_gb")


@pytest.mark.parametrize("value, message", [
    (True, "expected a number, got"),             # a YAML boolean is not a number
    ("80", "expected a number, got"),             # units live in the key name, not the value
    (float("inf"), "is not a finite number"),
])
def test_num_refuses_what_is_not_a_plain_finite_number(value, message):
    with pytest.raises(DataFileError, match=message):
        Num().validate(value, Ctx("f.yaml"))


def test_num_checks_whole_numbers_and_the_maximum():
    with pytest.raises(DataFileError, match="2.5 is not a whole number"):
        Num(integer=True).validate(2.5, Ctx("f.yaml"))
    with pytest.raises(DataFileError, match="must be <= 1"):
        Num(maximum=1.0).validate(1.5, Ctx("f.yaml"))
