"""One text for the request parameters the API functions share (issue 24).

``estimate``, ``compute``, ``own``, ``solve``, ``sweep``, ``simulate`` and ``plan`` take the same
keywords for the request around a calculation: the price date, the output currency and its
rate date, the grid intensity, extra profile folders, the price tier and provider class, and
constant dollars with their deflator. Their docstrings say ``{request_parameters}`` where
these belong; :func:`documents_request` puts in the entries of the keywords the function
accepts, in one order, from :data:`REQUEST_PARAMETERS`, so the text cannot drift apart.
"""

from __future__ import annotations

import inspect

REQUEST_PARAMETERS = {
    "as_of": """as_of : date or "YYYY-MM-DD", optional
    Build price bands from observations dated on or before this day (default today).""",
    "currency": """currency : str, optional
    Also give costs in this currency ("SEK"), at the ECB rate of ``fx_date``.""",
    "fx_date": """fx_date : date or "YYYY-MM-DD", optional
    Date of the exchange rate (the nearest earlier published rate is used; default latest).""",
    "carbon_intensity": """carbon_intensity : numeric, text or region name, optional
    Grid intensity [kg CO2e/kWh] ("0.42 kg/kWh", "us-average") for ``co2e_t``.""",
    "profiles": """profiles : path or list of paths, optional
    Extra folders of hardware profiles.""",
    "tier": """tier : str or list, optional
    Price tier(s) of the profile bands: "on_demand" (default), "commit_1y", "commit_3y",
    "spot", "marketplace", or "all" (every tier in which the GPU has a band); a comma list is
    an axis where the calculator prices from the bands (one row per tier); output columns
    ``tier`` and ``price_date``.""",
    "provider_class": """provider_class : str or list, optional
    Only prices set by "hyperscaler", "neocloud", "marketplace" or "index" (default: the band
    pooled over every class); a comma list is an axis where the calculator prices from the
    bands (one row per class, column ``provider_class``).""",
    "dollars": """dollars : int or "YYYY", optional
    Also restate costs from each row's price date into constant December-YEAR USD
    (``*_real_usd_*`` columns and ``dollar_year``), with ``deflator``.""",
    "deflator": """deflator : {"ppi", "cpi"}, default "ppi"
    The index for ``dollars``: "ppi" is FRED PCU518210518210, the series Epoch AI uses
    (monthly); "cpi" the BLS CPI-U annual averages (calc/deflator.py).""",
}
"""Numpydoc entry of each shared request keyword (name line, then its description)."""

PLACEHOLDER = "{request_parameters}"


def request_parameters_text(names, indent: str = "    ") -> str:
    """The entries of ``names`` (those in REQUEST_PARAMETERS, in its order), indented."""
    entries = [REQUEST_PARAMETERS[name] for name in REQUEST_PARAMETERS if name in names]
    return "\n".join(indent + line for entry in entries for line in entry.splitlines())


def documents_request(function):
    """Decorator: fill the ``{request_parameters}`` line of ``function``'s docstring with the
    shared entries of the request keywords it accepts."""
    doc = function.__doc__ or ""
    if PLACEHOLDER not in doc:
        raise ValueError(f"{function.__qualname__}: no {PLACEHOLDER} in the docstring")
    line = next(line for line in doc.splitlines() if line.strip() == PLACEHOLDER)
    indent = line[: len(line) - len(line.lstrip())]
    names = inspect.signature(function).parameters
    function.__doc__ = doc.replace(line, request_parameters_text(names, indent))
    return function
