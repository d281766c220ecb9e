"""The fast paths of the SkyPilot importer (issue 14 item 5) keep every trap's behaviour:
duplicates found through a row hash, prices parsed as floats with a fallback for text,
per-GPU groups from one sort."""

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from estimator.data.importers.common import compact_rows
from estimator.data.importers.skypilot import _duplicated, read_skypilot
from estimator.errors import DataFileError

DAY = dt.date(2025, 9, 1)
HEADER = "InstanceType,AcceleratorName,AcceleratorCount,Price,SpotPrice,Region\n"


def test_duplicates_need_every_column_equal_and_nan_equals_nan():
    frame = pd.DataFrame({
        "AcceleratorName": pd.Categorical(["H100", "H100", "H100", "A100", "A100", "A100"]),
        "Price": [10.0, 10.0, 10.0, np.nan, np.nan, -0.0],
        "Region": ["us-east-1", "us-west-2", "us-east-1", "eu", "eu", "eu"]})
    # row 1 differs from row 0 only in its text column; row 2 repeats row 0; row 4 repeats
    # row 3 (NaN = NaN, as DataFrame.duplicated); row 5 (-0.0) differs from NaN
    assert _duplicated(frame).tolist() == [False, False, True, False, True, False]


def test_text_price_still_names_row_and_column(tmp_path):
    path = tmp_path / "aws-vms.csv"
    path.write_text(HEADER + "p5,H100,8.0,98.32,,us-east-1\np5,H100,8.0,n/a,,us-west-2\n")
    with pytest.raises(DataFileError, match=r"aws-vms.csv:3: Price: expected a price"):
        read_skypilot(path, date=DAY)


def test_text_gpu_count_still_names_row_and_column(tmp_path):
    path = tmp_path / "aws-vms.csv"
    path.write_text(HEADER + "p5,H100,eight,98.32,,us-east-1\n")
    with pytest.raises(DataFileError, match=r"aws-vms.csv:2: AcceleratorCount: expected"):
        read_skypilot(path, date=DAY)


def test_groups_sorted_by_gpu_with_rows_in_file_order(tmp_path):
    path = tmp_path / "aws-vms.csv"
    path.write_text(HEADER + "p5,H100,8.0,80.0,,a\np4d,A100,8.0,16.0,,a\n"
                    "p5,H100,8.0,96.0,,b\np4d,A100,8.0,24.0,,b\np5,H100,8.0,88.0,,c\n")
    result = read_skypilot(path, date=DAY)
    on_demand = [o for o in result.observations if o["tier"] == "on_demand"]
    assert [o["gpu"] for o in on_demand] == ["nvidia-a100-sxm4-40gb", "nvidia-h100-sxm5-80gb"]
    a100, h100 = on_demand
    # A100 rows 3 and 5: 16/8 = 2.0, 24/8 = 3.0 -> median 2.5
    assert (a100["price_per_gpu_hour"], a100["rows_used"]) == (2.5, 2)
    assert a100["source"].startswith("aws-vms.csv rows 3, 5 (")
    # H100 rows 2, 4, 6: 80/8 = 10, 96/8 = 12, 88/8 = 11 -> median 11, min 10, max 12
    assert (h100["price_per_gpu_hour"], h100["price_min_per_gpu_hour"],
            h100["price_max_per_gpu_hour"]) == (11.0, 10.0, 12.0)
    assert h100["source"].startswith("aws-vms.csv rows 2, 4, 6 (")


def test_compact_rows_sorts_rows_given_out_of_order():
    assert compact_rows([9, 3, 2, 4, 3]) == "2-4, 9"
