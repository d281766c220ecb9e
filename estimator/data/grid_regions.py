"""Grid carbon intensity: a number with units, or a region name from a sourced table."""

from __future__ import annotations

import functools
from importlib import resources

from estimator.data.schema import Ctx, Date, Field, MapOf, Num, Str, Struct
from estimator.data.yamlio import load_file
from estimator.errors import unknown_name
from estimator.inputs.request import parse_scalar

GRID_SCHEMA = Struct({
    "regions": Field(MapOf(Struct({
        "kg_co2e_per_kwh": Field(Num(), required=True),
        "year": Field(Num()),
        "source": Field(Str(), required=True),
        "as_of": Field(Date(), required=True),
        "confidence": Field(Str(), default="primary"),
        "note": Field(Str()),
    })), required=True),
})


@functools.lru_cache(maxsize=1)
def regions() -> dict:
    """Region name -> validated entry, from estimator/data/grid_intensity.yaml."""

    path = str(resources.files("estimator") / "data" / "grid_intensity.yaml")
    return dict(GRID_SCHEMA.validate(load_file(path), Ctx(path))["regions"])


def intensity_kg_per_kwh(value) -> float:
    """Parse "0.42 kg/kWh", a plain number [kg CO2e/kWh], or a region name."""
    if isinstance(value, str) and value.strip() and not value.strip()[0].isdigit() \
            and not value.strip().startswith("."):
        table = regions()
        key = value.strip().lower()
        if key not in table:
            raise unknown_name("grid region", value, table).located(key="carbon_intensity")
        return table[key]["kg_co2e_per_kwh"]
    return parse_scalar(value, "carbon_intensity", key="carbon_intensity")
