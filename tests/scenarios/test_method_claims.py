"""Claims counted by their own method (issue 15): method, dollar_year, scope development."""

import math

import pytest

from estimator.bands import Band
from estimator.data.yamlio import loads
from estimator.errors import DataFileError
from estimator.scenarios import builtin_scenario_dir, check, load_scenario
from estimator.scenarios.methods import MethodCount, development
from estimator.scenarios.model import parse_scenario

GPT3 = builtin_scenario_dir() / "public" / "gpt3-175b-2020.yaml"

SCENARIO = """\
id: method-claim
title: "t"
date: "2023-06-01"
sources:
  - {outlet: "o", title: "t", date: "2023-06-01"}
claims:
  - text: "c"
    quantity: QUANTITY
    value: "VALUE"
    method: METHOD
stages:
  - {name: "s", gpu: A100, count: 1000, hours: 100}
"""


def write(tmp_path, method="cloud", quantity="cost", value="1M USD"):
    path = tmp_path / "method-claim.yaml"
    path.write_text(SCENARIO.replace("METHOD", method).replace("QUANTITY", quantity)
                    .replace("VALUE", value))
    return path


def test_development_multiplies_by_experiments_and_staff():
    # low: 1e6 x 1.2 / (1 - 0.29) = 1,690,140.85; typical: 2e6 x sqrt(1.2 x 4) / (1 - 0.39)
    # = 2e6 x 2.190890 / 0.61 = 7,183,246.6; high: 4e6 x 4 / (1 - 0.49) = 31,372,549.0
    # (Epoch AI: experiments 1.2x-4x, staff 29-49% of the total; models/development.py)
    final = MethodCount(Band(1e6, 2e6, 4e6, 2e6), "rental", "nominal USD", "")
    claim = load_scenario(GPT3).claims[0]
    band = development(final, claim, load_scenario(GPT3)).band
    assert band.low == pytest.approx(1_690_140.85, rel=1e-8)
    assert band.typical == pytest.approx(7_183_246.6, rel=1e-7)
    assert band.high == pytest.approx(31_372_549.0, rel=1e-8)
    assert math.isnan(band.stated)          # no source states experiments or staff


def test_epoch_figures_of_gpt3_are_checked_by_their_method():
    frame = check([str(GPT3)])
    cost = frame[frame["quantity"] == "cost"].set_index("claim_value")
    amortised, cloud = cost.loc[2.06e6], cost.loc[4.34e6]
    assert amortised["verdict"] == cloud["verdict"] == "consistent"
    assert "amortised" in amortised["explanation"]
    assert "constant December-2023 USD" in amortised["explanation"]
    assert "constant December-2024 USD" in cloud["explanation"]
    # cloud = 3,552,000 chip-hours x one price taken at 0.5x and 2x: high / low = 4 exactly
    assert cloud["range_high"] / cloud["range_low"] == pytest.approx(4.0, rel=1e-12)
    assert cloud["range_typical"] / cloud["range_low"] == pytest.approx(2.0, rel=1e-12)


def test_acquisition_claim_scales_with_the_gpu_count(tmp_path):
    # acquisition = count x server price per chip / (1 - 0.19): 1,000 A100 -> 2,000 A100 is 2x
    one = check([str(write(tmp_path, "acquisition"))]).iloc[0]
    path = tmp_path / "method-claim.yaml"
    path.write_text(path.read_text().replace("count: 1000", "count: 2000"))
    two = check([str(path)]).iloc[0]
    assert two["range_typical"] / one["range_typical"] == pytest.approx(2.0, rel=1e-12)


def test_method_on_a_non_cost_claim_is_a_located_error(tmp_path):
    with pytest.raises(DataFileError) as err:
        load_scenario(write(tmp_path, "cloud", quantity="gpu_hours", value="100000"))
    assert err.value.key == "claims[0].method" and err.value.line == 10
    assert "applies to cost claims" in str(err.value)


def test_unknown_method_names_the_choices(tmp_path):
    with pytest.raises(DataFileError) as err:
        load_scenario(write(tmp_path, "rentl"))
    text = str(err.value)
    assert "method" in text and "amortised" in text and "cloud" in text


def test_deepseek_development_scenario_gives_its_verdicts():
    frame = check([str(builtin_scenario_dir() / "deepseek-development-cost.yaml")])
    assert frame["ok"].all(), frame[~frame["ok"]][["claim", "mismatch"]]
    assert list(frame["verdict"]) == ["inconsistent", "inconsistent", "consistent",
                                      "consistent"]
    # development range / final-run band: low x 1.2 / 0.71, high x 4 / 0.51 (Epoch AI)
    assert "development scope" in frame.iloc[0]["explanation"]


DOLLAR_YEAR = """
id: rental-dollars
title: "A rental claim in constant dollars"
date: "2025-01-31"
sources: [{outlet: test, title: test, date: "2025-01-31"}]
claims:
  - {text: "81,920 USD in 2023 dollars", quantity: cost, value: "81920 USD", dollar_year: 2023}
stages:
  - {name: run, gpu: H800, count: 512, hours: 80}
assumptions: {price: 2}
"""


def test_rental_claim_in_constant_dollars_is_restated_before_comparing():
    [claim] = parse_scenario(loads(DOLLAR_YEAR, file="<d>"), "<d>").run().claims
    # 512 x 80 x $2 = $81,920 nominal, priced at the scenario's date (Jan 2025); FRED
    # PCU518210518210: Dec 2023 = 119.029, Jan 2025 = 120.806, so in December-2023 dollars
    # 81,920 x 119.029 / 120.806 = 80,714.99 USD
    assert claim.computed.stated == pytest.approx(81_920 * 119.029 / 120.806, rel=1e-9)
    assert claim.computed.stated == pytest.approx(80_714.99, abs=0.01)
    assert claim.verdict == "reproduced"      # 81,920 is within 5% of 80,715
    assert "constant December-2023 USD" in claim.explanation
