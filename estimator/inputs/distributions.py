"""Uncertain inputs: a point, a range, or a distribution, sampled with numpy.

Text forms (every argument may carry units, parsed with the input's kind):

* ``"2"`` or ``"2 USD/h"``: a point;
* ``"1.5:4"``: uniform between low and high;
* ``"uniform(1.5, 4)"``, ``"triangular(1.5, 2, 4)"`` (low, mode, high);
* ``"lognormal(1.5, 4)"``: lognormal whose 5th and 95th percentiles are the two values, the
  form Epoch AI uses for its cost inputs (Cottier et al. 2024, arXiv 2405.21015, appendix).

In the API a Distribution object, a (low, high) tuple (uniform) or a number work too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from estimator.errors import InputError
from estimator.inputs.axes import as_list
from estimator.inputs.request import Converter, parse_band, parse_scalar

Z95 = 1.6448536269514722
"""The standard normal 95th percentile: a 90% interval spans +-1.645 sigma."""


@dataclass(frozen=True)
class Distribution:
    """A named distribution over values in a kind's canonical unit."""

    kind: str                       # point | uniform | triangular | lognormal
    params: tuple

    def sample(self, n: int, rng: np.random.Generator) -> np.ndarray:
        p = self.params
        if self.kind == "point":
            return np.full(n, p[0])
        if self.kind == "uniform":
            return rng.uniform(p[0], p[1], n)
        if self.kind == "triangular":
            return rng.triangular(p[0], p[1], p[2], n) if p[0] < p[2] else np.full(n, p[1])
        mu, sigma = lognormal_params(p[0], p[1])
        return rng.lognormal(mu, sigma, n)

    @property
    def typical(self) -> float:
        """Median of the distribution (mode for triangular)."""
        p = self.params
        if self.kind == "lognormal":
            return float(np.sqrt(p[0] * p[1]))
        if self.kind == "uniform":
            return (p[0] + p[1]) / 2
        return p[1] if self.kind == "triangular" else p[0]

    def __str__(self) -> str:
        return f"{self.kind}({', '.join(f'{x:g}' for x in self.params)})"


def lognormal_params(p5: float, p95: float) -> tuple[float, float]:
    """(mu, sigma) of the lognormal whose 5th and 95th percentiles are p5 and p95."""
    mu = (np.log(p5) + np.log(p95)) / 2
    sigma = (np.log(p95) - np.log(p5)) / (2 * Z95)
    return float(mu), float(sigma)


_CALL = re.compile(r"^\s*(uniform|triangular|lognormal)\s*\((.*)\)\s*(.*)$", re.I)
_ARITY = {"uniform": 2, "triangular": 3, "lognormal": 2}


def parse_distribution(value, kind: str, key: str, *, on=None,
                       to_usd: Converter | None = None) -> Distribution:
    """Parse a point, "low:high", a call like "lognormal(1.5, 4)", or pass a Distribution.

    Every number is read by request.parse_scalar, so units, SI suffixes and currencies work
    as everywhere else (other currencies converted to USD at ``on`` with ``to_usd``)."""
    if isinstance(value, Distribution):
        return value
    if isinstance(value, str) and not _CALL.match(value):
        try:
            as_list(value)          # "2,048" is refused here as in every list input
        except InputError as exc:
            raise exc.located(key=key)

    def scalar(text):
        return parse_scalar(text, kind, key, on=on, to_usd=to_usd)

    if isinstance(value, tuple) and len(value) == 2:
        return _checked(Distribution("uniform", tuple(scalar(v) for v in value)), key)
    if isinstance(value, str):
        match = _CALL.match(value)
        if match:
            name, args, unit = match.group(1).lower(), match.group(2), match.group(3)
            parts = [a.strip() for a in args.split(",")]
            if len(parts) != _ARITY[name]:
                raise InputError(f"{name}() takes {_ARITY[name]} values, got {len(parts)}",
                                 key=key, hint=f"E.g. {name}({', '.join(['1'] * _ARITY[name])}).")
            numbers = tuple(scalar(f"{p} {unit}".strip()) for p in parts)
            return _checked(Distribution(name, numbers), key)
        if ":" in value:
            band = parse_band(value, kind, key, on=on, to_usd=to_usd)
            return _checked(Distribution("uniform", (band.low, band.high)), key)
    return Distribution("point", (scalar(value),))


def _checked(dist: Distribution, key: str) -> Distribution:
    p = dist.params
    if dist.kind in ("uniform", "lognormal") and p[0] > p[1]:
        raise InputError(f"{dist} has low > high", key=key)
    if dist.kind == "triangular" and not p[0] <= p[1] <= p[2]:
        raise InputError(f"{dist} needs low <= mode <= high", key=key)
    if dist.kind == "lognormal" and p[0] == p[1]:
        return Distribution("point", (p[0],))
    return dist
