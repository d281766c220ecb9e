"""Price coverage per GPU x tier x class x quarter (estimator/calc/coverage.py), counted by
hand on the fixture profile tests/fixtures/profiles/user/acme-x1.yaml, and its commands."""

import datetime as dt
import json

from estimator.calc.coverage import coverage_grid, price_coverage, quarter, quarters
from tests.conftest import FIXTURES

USER = str(FIXTURES / "profiles" / "user")


def test_quarters():
    assert quarter(dt.date(2025, 3, 31)) == "2025Q1" and quarter(dt.date(2025, 10, 1)) == "2025Q4"
    assert quarters(dt.date(2024, 11, 5), dt.date(2025, 4, 1)) == ["2024Q4", "2025Q1", "2025Q2"]


def test_counts_and_gaps_by_hand():
    frame = price_coverage("acme-x1", as_of="2025-12-31", profiles=[USER])
    # acme-x1 (all neocloud by name): on_demand CloudF 2022-01-01, CloudA 2025-07-01, CloudB
    # 2025-08-01, CloudE 2025-09-20; commit_1y CloudC 2025-09-01; spot (not in "all") and the
    # assumption left out
    od = frame[frame["tier"] == "on_demand"].set_index("quarter")
    assert list(od.index[[0, -1]]) == ["2022Q1", "2025Q4"] and len(od) == 16
    assert (od.loc["2022Q1", "observations"], od.loc["2022Q1", "status"]) == (1, "thin")
    assert tuple(od.loc["2025Q3", ["observations", "providers", "status"]]) == (3, 3, "covered")
    assert (od["status"] == "gap").sum() == 14
    c1 = frame[frame["tier"] == "commit_1y"]
    assert list(c1["quarter"]) == ["2025Q3", "2025Q4"] and list(c1["status"]) == ["thin", "gap"]
    assert set(frame["provider_class"]) == {"neocloud"} and "spot" not in set(frame["tier"])
    # as_of cuts observations and quarters: on 2025-08-15 CloudE is not yet observed
    early = price_coverage("acme-x1", tier="on_demand", as_of="2025-08-15", profiles=[USER])
    assert tuple(early.iloc[-1][["quarter", "observations", "status"]]) == ("2025Q3", 2, "thin")


def test_grid_marks_gaps_and_leaves_quarters_before_the_first_blank():
    grid = coverage_grid(price_coverage("acme-x1", as_of="2025-12-31", profiles=[USER]))
    row = grid[grid["tier"] == "commit_1y"].iloc[0]
    assert row["2025Q3"] == "1/1" and row["2025Q4"] == "-" and row["2024Q1"] == ""
    assert grid[grid["tier"] == "on_demand"].iloc[0]["2025Q3"] == "3/3"


def test_prices_coverage_command(run):
    code, out, err = run("prices", "coverage", "acme-x1", "--as-of", "2025-12-31",
                         "--prices", USER)
    assert code == 0 and "2025Q3" in out and "3/3" in out
    assert "1 covered" in err and "2 thin" in err and "15 gaps" in err
    code, out, _ = run("prices", "coverage", "acme-x1", "--as-of", "2025-12-31", "--prices",
                       USER, "--format", "json")
    records = json.loads(out)
    assert {"gpu", "tier", "provider_class", "quarter", "observations", "providers",
            "status"} <= set(records[0])
    code, _, err = run("prices", "coverage", "acme-x1", "--tier", "reserved", "--prices", USER)
    assert code == 2 and "reserved" in err and "on_demand" in err


def test_plot_coverage_writes_a_png(run, tmp_path):
    out = tmp_path / "coverage.png"
    code, _, err = run("plot", "coverage", "--gpu", "acme-x1", "--as-of", "2025-12-31",
                       "--prices", USER, "--out", str(out))
    assert code == 0, err
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
