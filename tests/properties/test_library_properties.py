"""Hypothesis: adding a scenario never changes another scenario's verdicts."""

import shutil
import tempfile
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from estimator.scenarios import builtin_scenario_dir, check

LIBRARY = sorted((builtin_scenario_dir() / "public").glob("*.yaml"))
EXTRA = """id: extra-claim
title: generated
sources:
  - {{outlet: o, title: t, date: "2025-01-01", language: en}}
claim: {{text: c, value: "{value} USD", relation: {relation}}}
stages:
  - {{name: s, gpu: {gpu}, count: {count}, hours: {hours}}}
assumptions: {{price: {price}}}
"""


@settings(max_examples=8, deadline=None)
@given(st.lists(st.sampled_from(LIBRARY), min_size=1, max_size=4, unique=True),
       st.sampled_from(["H800", "H100", "A100", "V100", "TPUv4"]),
       st.integers(1, 10_000), st.integers(1, 5_000), st.floats(0.5, 10),
       st.floats(1e3, 1e9), st.sampled_from(["approx", "at_least", "at_most"]))
def test_adding_a_scenario_never_changes_another(files, gpu, count, hours, price, value,
                                                 relation):
    alone = check(files).set_index(["scenario", "claim"])["verdict"]
    with tempfile.TemporaryDirectory() as tmp:
        for f in files:
            shutil.copy(f, tmp)
        Path(tmp, "extra-claim.yaml").write_text(EXTRA.format(
            gpu=gpu, count=count, hours=hours, price=price, value=value, relation=relation))
        together = check([tmp]).set_index(["scenario", "claim"])["verdict"]
    assert together.drop("extra-claim", level="scenario").sort_index().equals(alone.sort_index())
