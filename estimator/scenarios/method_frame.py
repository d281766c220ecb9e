"""A scenario's runs counted by every cost method (`estimator plot methods SCENARIO`)."""

from __future__ import annotations

import pandas as pd

from estimator.calc import method_costs
from estimator.errors import EstimatorError
from estimator.scenarios.methods import _stage_time
from estimator.scenarios.model import Scenario

ALL_METHODS = "rental,cloud,amortised,acquisition"


def scenario_methods(scenario: Scenario, profiles=None) -> pd.DataFrame:
    """``estimate(..., method="rental,cloud,amortised,acquisition")`` for each stage of
    ``scenario``: its GPU and count with its hours, GPU-hours or FLOP, priced (and dated) at
    ``scenario.price_date(stage)``. One row per stage x method, with a ``run`` column naming
    the stage."""
    frames = []
    for stage in scenario.stages:
        on = scenario.price_date(stage)
        try:
            frame = method_costs.estimate(stage.gpu, method=ALL_METHODS, date=on, as_of=on,
                                          precision=stage.precision or scenario.assumptions.get(
                                              "precision") or "bf16",
                                          profiles=profiles, **_stage_time(stage))
        except EstimatorError as exc:
            raise exc.located(file=scenario.file, line=stage.line, key="stages")
        frame.insert(0, "run", stage.name)
        frames.append(frame)
    return pd.concat(frames, ignore_index=True)
