"""estimator/calc/engines.py: seeds and blocks of draws (the same on every engine)."""
import pytest

from estimator.calc.engines import SAMPLE_BLOCK, blocks, check_seed
from estimator.errors import InputError


def test_draws_are_split_into_blocks_of_one_million():
    sizes = [size for size, _ in blocks(2_500_000, seed=1)]
    assert SAMPLE_BLOCK == 1_000_000
    assert sizes == [1_000_000, 1_000_000, 500_000]
    assert [size for size, _ in blocks(10, seed=1)] == [10]


@pytest.mark.parametrize("seed", [-1, 1.5, True, "3"])
def test_a_seed_is_a_non_negative_integer(seed):
    with pytest.raises(InputError, match="seed must be a non-negative integer"):
        check_seed(seed)
    assert check_seed(7) == 7 and check_seed(None) is None
