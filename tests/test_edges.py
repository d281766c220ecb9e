"""Honest edges (issue 11): inclusive tolerance boundaries, input minimums, finite output,
no price band before the first observation, carbon-intensity warnings."""

import json

import pytest

import estimator
from estimator.scenarios import check
from estimator.scenarios.model import Claim
from estimator.scenarios.verdicts import holds, relation_verdict

NAN = float("nan")


def claim(relation, value, high=None, tolerance=0.05):
    return Claim("c", "cost", value, "USD", relation, tolerance, high, "final-run", None)


# 512 GPUs x 80 h x 2 USD/GPU-h = 81,920 USD; 5% of it is 4,096, so the documented
# inclusive boundary of an approx claim is 77,824 and 86,016 USD. In floating point
# 77824 / 81920 - 1 is -0.050000000000000044, just past 0.05 without an epsilon.
@pytest.mark.parametrize("relation, value, high, stated, verdict", [
    ("approx", 77_824, None, 81_920, "reproduced"),      # exactly -5%
    ("approx", 86_016, None, 81_920, "reproduced"),      # exactly +5%
    ("approx", 77_823, None, 81_920, "inconsistent"),    # one dollar past -5%
    ("approx", 86_017, None, 81_920, "inconsistent"),    # one dollar past +5%
    ("at_least", 81_920, None, 77_824, "reproduced"),    # 81,920 x 0.95 = 77,824
    ("at_least", 81_920, None, 77_823, "inconsistent"),
    ("at_most", 78_000, None, 81_900, "reproduced"),     # 78,000 x 1.05 = 81,900
    ("at_most", 78_000, None, 81_901, "inconsistent"),
    ("between", 80_000, 90_000, 76_000, "reproduced"),   # 80,000 x 0.95 = 76,000
    ("between", 80_000, 90_000, 75_999, "inconsistent"),
    ("between", 80_000, 90_000, 94_500, "reproduced"),   # 90,000 x 1.05 = 94,500
    ("between", 80_000, 90_000, 94_501, "inconsistent"),
])
def test_stated_value_at_exactly_the_tolerance_boundary(relation, value, high, stated, verdict):
    # low = high = stated: the range cannot rescue a value the stated one misses.
    assert relation_verdict(claim(relation, value, high), stated, stated, stated) == verdict


def test_approx_boundary_exact_in_binary_kills_strict_comparison():
    # 125 / 100 - 1 = 0.25 and 75 / 100 - 1 = -0.25 exactly in binary: a strict "< tol"
    # would reject them even without any rounding error.
    assert bool(holds(claim("approx", 125, tolerance=0.25), 100))
    assert bool(holds(claim("approx", 75, tolerance=0.25), 100))
    assert not bool(holds(claim("approx", 125.01, tolerance=0.25), 100))


def test_between_boundaries_inclusive():
    # between 100 and 200, tolerance 0: 100 and 200 hold, 99.99 and 200.01 do not.
    c = claim("between", 100, 200, tolerance=0.0)
    assert holds(c, [100, 200, 99.99, 200.01]).tolist() == [True, True, False, False]


@pytest.mark.parametrize("relation, value, high, low, top, verdict", [
    # approx: the claim lies within the range widened by 5%: 81,920 x 1.05 = 86,016.
    ("approx", 86_016, None, 50_000, 81_920, "consistent"),
    ("approx", 86_017, None, 50_000, 81_920, "inconsistent"),
    # 81,920 x 0.95 = 77,824 below the range's low end
    ("approx", 77_824, None, 81_920, 90_000, "consistent"),
    ("approx", 77_823, None, 81_920, 90_000, "inconsistent"),
    # at_least 100: the range's top 95 reaches 100 x 0.95
    ("at_least", 100, None, 50, 95, "consistent"),
    ("at_least", 100, None, 50, 94.9, "inconsistent"),
    # at_most 100: the range's bottom 105 reaches 100 x 1.05
    ("at_most", 100, None, 105, 200, "consistent"),
    ("at_most", 100, None, 105.1, 200, "inconsistent"),
    # between 100 and 200: a range 210..300 reaches 200 x 1.05
    ("between", 100, 200, 210, 300, "consistent"),
    ("between", 100, 200, 210.1, 300, "inconsistent"),
])
def test_consistent_range_check_uses_the_tolerance(relation, value, high, low, top, verdict):
    # stated is unknown (NaN): only the range check can decide.
    assert relation_verdict(claim(relation, value, high), NAN, low, top) == verdict


SCENARIO = """id: edge
title: t
sources:
  - {outlet: o, title: t, date: "2025-01-01", language: en}
claim:
  text: c
  value: "CLAIM USD"
stages:
  - {name: s, gpu: H800, count: 512, hours: 80}
assumptions:
  price: 2
"""


@pytest.mark.parametrize("claimed", ["77824", "86016"])
def test_claim_at_five_percent_reproduces_in_api_and_cli(run, tmp_path, claimed):
    path = tmp_path / "edge.yaml"
    path.write_text(SCENARIO.replace("CLAIM", claimed))
    [row] = check([path]).to_dict("records")
    assert row["verdict"] == "reproduced" and row["computed_value"] == 81_920
    code, out, _ = run("check", path, "--format", "json")
    assert code == 0 and json.loads(out)[0]["verdict"] == "reproduced"


# --- input minimums and limits on computed values (README "Numbers and units") ---

@pytest.mark.parametrize("kind, below, at_minimum", [
    ("hours", "1e-7", 1e-6), ("gpu_hours", "1e-7", 1e-6), ("price", "1e-7", 1e-6),
    ("money", "1e-7", 1e-6), ("fraction", "1e-7", 1e-6), ("flop", "0.5", 1.0),
    ("carbon_intensity", "1e-7", 1e-6),
])
def test_minimums_are_inclusive(kind, below, at_minimum):
    from estimator.inputs import units

    assert units.parse_value(str(at_minimum), kind) == at_minimum
    with pytest.raises(estimator.EstimatorError, match="is below the minimum"):
        units.parse_value(below, kind)


def test_zero_stays_allowed_where_it_means_something():
    from estimator.inputs import units

    assert units.parse_value("0", "money") == 0.0
    assert units.parse_value("0", "carbon_intensity") == 0.0


def test_array_inputs_have_the_same_minimums():
    import numpy as np

    with pytest.raises(estimator.EstimatorError, match="hours: 1e-07 is not a valid value"):
        estimator.estimate("H800", count=512, hours=np.array([80.0, 1e-7]), price=2)


FUZZ_SOLVE = ["--gpu", "H800", "--cost", "1.0", "--price", "7.85e-212", "--hours", "7.85e-212"]


def test_fuzz_find_solve_with_tiny_price_and_hours_is_exit_2(run):
    # Found by the hypothesis fuzz group: printed a count of inf / null with exit 0.
    code, out, err = run("solve", *FUZZ_SOLVE)
    assert code == 2 and out == ""
    assert "hours: '7.85e-212' is below the minimum 1e-06 for hours" in err
    with pytest.raises(estimator.EstimatorError, match="below the minimum"):
        estimator.solve("H800", cost=1.0, price=7.85e-212, hours=7.85e-212)


@pytest.mark.parametrize("args, words", [
    # 1e15 USD / (1e-6 USD/GPU-h x 1e-6 h) = 1e27 GPUs
    (["--cost", "1e15", "--price", "1e-6", "--hours", "1e-6"],
     "count: the solved count 1e27 is beyond the limit of 1e9 GPUs"),
    # 1 USD / (1e5 USD/GPU-h x 1e9 GPUs) = 1e-14 h
    (["--cost", "1", "--price", "1e5", "--count", "1e9"],
     "hours: the solved hours 1e-14 is below the minimum of 1e-6 hours"),
    # 1e15 USD / 1e-6 USD/GPU-h = 1e21 GPU-hours
    (["--cost", "1e15", "--price", "1e-6"],
     "gpu_hours: the solved gpu_hours 1e21 is beyond the limit of 1e15 GPU-hours"),
    # 1e15 GPU-h x 1e5 USD/GPU-h = 1e20 USD
    (["--gpu-hours", "1e15", "--price", "1e5"],
     "cost_usd: the solved cost_usd 1e20 is beyond the limit of 1e15 USD"),
])
def test_solved_values_beyond_the_documented_limits(run, args, words):
    code, out, err = run("solve", "--gpu", "H800", *args)
    assert code == 2 and words in err and "inf" not in err


def test_solve_at_the_limits_still_answers(run_json):
    # 1e15 USD / (1e5 USD/GPU-h x 1e7 h) = 1e15 / 1e12 = 1,000 GPUs
    [row] = run_json("solve", "--gpu", "H800", "--cost", "1e15", "--price", "1e5",
                     "--hours", "1e7")
    assert row["count"] == 1000
    # 1e-6 USD / (1e-6 USD/GPU-h x 1 GPU) = 1 h
    frame = estimator.solve("H800", cost=1e-6, price=1e-6, count=1)
    assert frame["hours"].iloc[0] == 1.0


@pytest.mark.parametrize("args, words", [
    # 1e9 GPUs x 1e7 h = 1e16 GPU-hours, past 1e15
    (["--count", "1e9", "--hours", "1e7"], "the computed gpu_hours 1e16 is beyond the limit"),
    # 1e15 GPU-h / 1 GPU = 1e15 h, past 1e7
    (["--gpu-hours", "1e15", "--count", "1"], "the computed hours 1e15 is beyond the limit"),
    (["--gpu-hours", "1e-320"], "'1e-320' is below the minimum 1e-06 for GPU-hours"),
])
def test_cost_derived_time_within_limits(run, args, words):
    code, out, err = run("cost", "--gpu", "H800", "--price", "2", *args)
    assert code == 2 and words in err
    assert "infx" not in err and "e-321" not in out


def test_compute_tiny_mfu_is_exit_2(run):
    code, out, err = run("compute", "--gpu", "H800", "--params", "37B", "--tokens", "14.8T",
                         "--mfu", "1e-300")
    assert code == 2 and "mfu: '1e-300' is below the minimum 1e-06" in err
    with pytest.raises(estimator.EstimatorError, match="below the minimum"):
        estimator.compute("H800", params="37B", tokens="14.8T", mfu=1e-300)


def test_compute_gpu_hours_beyond_the_limit(run):
    # 1e35 FLOP / (989e12 FLOP/s x 1e-6 x 3600 s/h) = 2.81e22 GPU-hours, past 1e15
    code, _, err = run("compute", "--gpu", "H800", "--flop", "1e35", "--mfu", "1e-6")
    assert code == 2 and "the computed gpu_hours 2.81e22 is beyond the limit of 1e15" in err


# --- carbon intensity: g/kWh figures typed without a unit ---

def test_bare_420_carbon_intensity_is_an_error_suggesting_g_per_kwh(run):
    code, out, err = run("cost", "--gpu", "H800", "--count", "512", "--hours", "80",
                         "--price", "2", "--carbon-intensity", "420")
    assert code == 2 and out == ""
    assert "420 (a bare number, read as kg CO2e per kWh) is above the maximum 10; " \
           "did you mean '420 g/kWh'?" in err
    with pytest.raises(estimator.EstimatorError, match="did you mean '420 g/kWh'"):
        estimator.estimate("H800", count=512, hours=80, price=2, carbon_intensity=420)


@pytest.mark.parametrize("value", ["1e308 kg/kWh", "20 kg/kWh"])
def test_carbon_intensity_above_ten_kg_is_an_error(run, value):
    code, out, err = run("cost", "--gpu", "H800", "--count", "512", "--hours", "80",
                         "--price", "2", "--carbon-intensity", value)
    assert code == 2 and "is above the maximum 10 for kg CO2e per kWh" in err
    assert "inf" not in out


def test_carbon_intensity_above_two_kg_warns_and_computes(run):
    # 512 x 80 h = 40,960 GPU-h; H800 TDP 700 W x 0.75 x PUE 1.25 -> 26,880 kWh;
    # x 5 kg/kWh = 134,400 kg = 134.4 t CO2e
    code, out, err = run("cost", "--gpu", "H800", "--count", "512", "--hours", "80",
                         "--price", "2", "--carbon-intensity", "5", "--format", "json")
    assert code == 0 and json.loads(out)[0]["co2e_t"] == 134.4
    assert "Warning: carbon intensity 5 kg CO2e/kWh is above 2 kg/kWh" in err
    assert "did you mean '5 g/kWh'?" in err
    code, _, err = run("cost", "--gpu", "H800", "--count", "512", "--hours", "80",
                       "--price", "2", "--carbon-intensity", "5 kg/kWh")
    assert code == 0 and "above 2 kg/kWh" in err and "did you mean" not in err
    with pytest.warns(UserWarning, match="did you mean '5 g/kWh'"):
        frame = estimator.estimate("H800", count=512, hours=80, price=2, carbon_intensity=5)
    assert frame["co2e_t"].iloc[0] == pytest.approx(134.4)


def test_carbon_intensity_in_grams_is_silent(run):
    # 26,880 kWh x 0.42 kg/kWh = 11,289.6 kg = 11.2896 t
    code, out, err = run("cost", "--gpu", "H800", "--count", "512", "--hours", "80",
                         "--price", "2", "--carbon-intensity", "420 g/kWh", "--format", "json")
    assert code == 0 and err == "" and json.loads(out)[0]["co2e_t"] == 11.2896


# --- no price band before a GPU's first rental observation ---
# The earliest H800 band observation in hardware_profiles/nvidia-h800-sxm5-80gb.yaml is dated
# 2024-08-24.
BEFORE = "has no rental price observation on or before 1999-01-01; the earliest is dated " \
         "2023-06-22"   # the H100 SXM base of the derived H800 band (issue 13): Latitude.sh's
                        # rows; Lambda's 2023-06-20 $1.99 is H100 PCIe (issue 23)


@pytest.mark.parametrize("command", [
    ["cost", "--count", "512", "--hours", "80"],
    ["solve", "--count", "512", "--hours", "80"],
    ["solve", "--count", "512", "--hours", "80", "--price", "2"],   # the band comparison
    ["sweep", "--count", "512", "--hours", "80"],
    ["simulate", "--count", "512", "--hours", "80", "--seed", "1"],
    ["compute", "--params", "37B", "--tokens", "14.8T"],
])
def test_band_before_the_first_observation_is_exit_2(run, command):
    code, out, err = run(*command, "--gpu", "H800", "--as-of", "1999-01-01")
    assert code == 2 and out == "" and f"NVIDIA H800 SXM5 80GB {BEFORE}" in err


@pytest.mark.parametrize("call", [
    lambda: estimator.estimate("H800", count=512, hours=80, as_of="1999-01-01"),
    lambda: estimator.solve("H800", count=512, hours=80, price=2, as_of="1999-01-01"),
    lambda: estimator.simulate("H800", count=512, hours=80, as_of="1999-01-01", n=10, seed=1),
])
def test_band_before_the_first_observation_in_the_api(call):
    with pytest.raises(estimator.InputError, match=BEFORE):
        call()


def test_scenario_as_of_before_the_first_observation(run, tmp_path):
    # Used to report the stated $2 as the "range", "computed across the market price band".
    # Issue 22: the cost claim is the one that cannot be judged; the error names it, the GPU,
    # the date and its key, and the earliest band (the H100 SXM base of the derived H800).
    path = tmp_path / "edge.yaml"
    path.write_text(SCENARIO.replace("CLAIM", "81920") + "  as_of: 1999-01-01\n")
    with pytest.raises(estimator.InputError) as info:
        check([path])
    assert str(info.value).startswith(f'{path}:6: claim: the claim "c" needs a rental price '
                                      "of NVIDIA H800 SXM5 80GB (stage 's') on 1999-01-01 "
                                      "(its assumptions.as_of), but its earliest price band is "
                                      "on 2023-06-22")
    for command in (["check", path], ["run", path]):
        code, out, err = run(*command)
        assert code == 2 and f"{path}:6: claim:" in err and "2023-06-22" in err
    code, out, err = run("simulate", "--scenario", path)     # simulate needs every price
    assert code == 2 and f"{path}:12: assumptions.as_of:" in err and BEFORE in err


# --- every printed number is finite ---

def test_an_infinite_number_never_reaches_the_output():
    import pandas as pd

    from estimator.render.output import fmt_number, records, render

    frame = pd.DataFrame({"gpu": ["H800"], "co2e_t": [float("inf")]})
    for fmt in ("table", "csv", "json", "markdown"):
        with pytest.raises(estimator.InputError,
                           match=r"co2e_t: the computed co2e_t is infinite \(row 1: gpu H800\)"):
            render(frame, fmt)
    with pytest.raises(estimator.InputError, match="infinite"):
        records(frame)
    assert fmt_number(float("inf")) == "" and fmt_number(float("nan")) == ""


def test_breakeven_never_pays_is_a_word_not_inf(run):
    # At 0.01 USD/GPU-h the rental price is below the power cost, 700 W x 1.25 PUE x
    # 0.08 USD/kWh = 0.07 USD/GPU-h, so owning never pays (ownership.py).
    args = ["own", "--gpu", "H800", "--count", "2", "--price", "0.01"]
    code, out, _ = run(*args)
    # the breakeven column reads "never" (the tier and price_date columns follow it)
    assert code == 0 and " never " in out.splitlines()[2] and "inf" not in out
    code, out, _ = run(*args, "--format", "csv")
    assert code == 0 and ",0.01,," in out.splitlines()[1] and "inf" not in out
    code, out, _ = run(*args, "--format", "json")
    assert code == 0 and json.loads(out)[0]["breakeven_utilisation"] is None


def test_explanation_against_a_computed_zero_has_no_infx(run, tmp_path):
    # carbon_intensity 0, pinned (a bare value keeps the grid range, issue 16), makes the
    # computed CO2e 0 t, so claim / computed has no finite factor.
    path = tmp_path / "edge.yaml"
    path.write_text(SCENARIO.replace('value: "CLAIM USD"', 'quantity: co2\n  value: "100 t"')
                    + "  carbon_intensity: {value: 0, range: pinned}\n")
    [row] = check([path]).to_dict("records")
    assert row["factor"] is None and "infx" not in row["explanation"]
    assert "The claimed 100 t CO2e is not a finite multiple of the typical 0 t CO2e" \
        in row["explanation"]
    code, out, _ = run("check", path)
    assert code == 0 and "inf" not in out


def test_check_as_of_option_before_the_first_observation(run):
    # The date comes from --as-of, not the file: the advice is a later --as-of. The claims
    # that need no price are judged (issue 22).
    code, out, err = run("check", "deepseek-v3-final-run", "--as-of", "1999-01-01")
    assert code == 2 and "deepseek-v3-final-run.yaml:" in err
    assert "NVIDIA H800 SXM5 80GB" in err and "on 1999-01-01 (its --as-of)" in err
    assert "Pass --as-of 2023-06-22 or later" in err and "assumptions.as_of" not in err
    assert "3 claim(s) in 1 scenario(s)" in err and "gpu_hours" in out
    with pytest.raises(estimator.InputError, match="earliest price band is on 2023-06-22"):
        check(["deepseek-v3-final-run"], as_of="1999-01-01")
    code, out, err = run("check", "deepseek-v3-final-run", "--as-of", "2023-06-22")
    assert code in (0, 1) and "Error" not in err


def test_sweep_checks_the_largest_product(run):
    # 1e9 GPUs x 1e7 h = 1e16 GPU-hours, past the 1e15 limit
    code, out, err = run("sweep", "--gpu", "H800", "--count", "512, 1e9", "--hours", "80, 1e7",
                         "--price", "2")
    assert code == 2 and "the computed gpu_hours 1e16 is beyond the limit of 1e15" in err
