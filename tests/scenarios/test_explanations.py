"""Issue 22, item 6: explanations that read wrong, each case pinned word for word."""

from estimator.scenarios import load_scenario


def _claims(name_or_path):
    return {c.claim.quantity: c for c in load_scenario(name_or_path).run().claims}


def test_a_derived_band_is_not_called_observed():
    # DeepSeek-R1's headline on H800: its band is the H100's neocloud band x 0.866 (derived)
    cost = _claims("deepseek-r1-headline-512xh800-80h")["cost"]
    assert ("The claim would be exact at $7.18 per GPU-hour (above the market band derived "
            "from a sibling GPU's prices; highest $3.49), or 287.1 h at the stated price."
            ) in cost.explanation
    assert "observed" not in cost.explanation


def test_an_unpinned_point_range_is_not_called_pinned():
    # BloombergGPT's FLOP claim: GPU-hours and FLOP stated, nothing pinned
    flop = _claims("bloomberggpt-50b-2023")["flop"]
    assert flop.explanation == (
        "The claimed 2.36e+23 FLOP is 1.37x the 1.73e+23 FLOP computed at the source's own "
        "assumptions, and differs from the 1.73e+23 FLOP computed across the source's own "
        "figures (none of the inputs of this quantity has a range).")


def test_an_implied_gpu_count_keeps_its_fraction():
    # TinyLlama: 3T tokens at the typical MFU take 2,938 h on 16 GPUs = 47,008 GPU-hours;
    # in 2,160 h that is 21.8 GPUs (it read "22 GPUs")
    hours = _claims("tinyllama-1b-2023")["hours"]
    assert hours.explanation == (
        "The claimed 2,160 h fits the range 1,695 h to 7,345 h computed across the MFU range "
        "(typical 2,938 h). The claim would be exact at 21.8 GPUs.")


def test_the_implied_mfu_of_a_cost_claim_says_which_mfu():
    [cost] = [c for c in load_scenario("gopher-280b-2021").run().claims
              if c.claim.quantity == "cost" and c.claim.method == "rental"]
    assert ("or an MFU of 3.67 (BF16 peak), the MFU at which the claimed cost buys the "
            "training FLOP at the typical price.") in cost.explanation


def test_a_cost_counted_by_another_method_names_no_rental_mfu():
    # Epoch AI's amortised figure for BloombergGPT: it read "exact at an MFU of 1.25"
    [cost] = [c for c in load_scenario("bloomberggpt-50b-2023").run().claims
              if c.claim.method == "amortised"]
    assert "MFU" not in cost.explanation and "amortised" in cost.explanation


GOODPUT = """id: goodput
title: t
date: "2024-06-01"
sources:
  - {outlet: o, title: t, date: "2024-06-01"}
claims:
  - {text: co2, quantity: co2, value: "300 t"}
stages:
  - {name: s, gpu: H100, count: 1000, hours: 720, params: 70B, tokens: 1T, mfu: 0.4,
     power_w: 700, pue: 1.1, carbon_intensity: 0.1}
"""


def test_goodput_is_its_own_sentence_not_a_way_to_be_exact(tmp_path):
    # It read "The claim would be exact at (goodput 0.852), or a grid intensity of 0.414".
    path = tmp_path / "goodput.yaml"
    path.write_text(GOODPUT)
    co2 = _claims(path)["co2"]
    # 720,000 GPU-h x 0.7 kW x 1.1 = 554,400 kWh; 300 t / 554,400 kWh = 0.541 kg/kWh
    # goodput = 6 x 70e9 x 1e12 / (989e12 x 0.4 x 3600) / 720,000 = 0.4095
    assert co2.explanation.endswith(
        "The claim would be exact at a grid intensity of 0.541 kg CO2e/kWh. Goodput 0.41: the "
        "useful compute time at the stated MFU over the wall-clock GPU time.")
    assert "(goodput" not in co2.explanation
