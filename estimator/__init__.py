"""estimator: what does training an AI model cost, and does a published claim add up?

Everything the command line does is a function here, under the same name, taking the same
input syntax (numbers, text with units, comma lists, "low:high" ranges, "a..b..step" axes):

    >>> import estimator
    >>> estimator.estimate(gpu="H800", count=512, hours=80, price=2)   # doctest: +SKIP
    >>> estimator.check("deepseek-v3-final-run")                        # doctest: +SKIP

Layers (data flows one way): ``inputs`` (parsing) and ``data`` (files) feed ``models`` (pure
formulas) through ``calc`` (the API functions) and ``scenarios`` (claims and verdicts);
``render`` and ``cli`` present the results.
"""

import importlib

__version__ = "0.4.0"

_EXPORTS = {
    # calculators (estimator cost, compute, own, convert, solve, sweep, simulate)
    "estimate": "calc.cost_methods.by_method", "compute": "calc.compute", "own": "calc.own",
    "convert": "calc.convert", "solve": "calc.solve", "sweep": "calc.sweep",
    "sweep_to_file": "calc.sweep", "simulate": "calc.simulate", "Simulation": "calc.simulate",
    # planning (estimator plan)
    "plan": "calc.plan", "InfeasiblePlanError": "calc.plan",
    # hardware (estimator gpus, gpu show, gpu path)
    "load_profiles": "data.profiles", "get_profile": "data.profiles",
    "HardwareProfile": "data.profiles", "profiles_frame": "calc.tables",
    "profile_detail": "calc.tables", "profile_path": "calc.tables",
    # price bands
    "Band": "bands", "PriceBand": "bands", "Range": "bands",
    # claims (estimator check, run, new, schema, library, lint, simulate --scenario)
    "load_scenario": "scenarios", "check": "scenarios", "run": "scenarios",
    "Scenario": "scenarios",
    "simulate_scenario": "scenarios.montecarlo", "scenario_template": "scenarios.template",
    "json_schema": "scenarios", "library": "scenarios.library", "lint": "scenarios.lint",
    # prices (estimator prices GPU, prices import, prices template)
    "import_prices": "calc.prices", "price_template": "calc.prices",
    "price_observations": "calc.prices", "price_coverage": "calc.coverage",
    "band_evidence": "bands",
    # a claim read from a news sentence (estimator claim)
    "claim": "claimtext", "read_claim": "claimtext",
    # the fact-check site (estimator site)
    "build_site": "site",
    # presentation (estimator report, plot)
    "markdown_report": "render.report", "plot_check": "render.plots",
    "plot_cost": "render.plots", "plot_simulate": "render.plots", "plot_library": "render.plots",
    "plot_goodput": "render.plots", "plot_prices": "render.plots", "plot_coverage": "render.plots",
    "plot_methods": "render.plots", "scenario_methods": "scenarios.methods",
    "plot_mfu": "render.plots", "anchor_table": "calc.mfu",
    "goodput": "models.goodput",
    # errors
    "EstimatorError": "errors", "InputError": "errors", "UnitError": "errors",
    "UnknownNameError": "errors", "DataFileError": "errors", "ScenarioError": "errors",
}

__all__ = sorted(_EXPORTS) + ["__version__"]

_SUBPACKAGES = {"models", "calc", "inputs", "data", "render", "scenarios", "cli", "bands",
                "errors", "claimtext"}
"""Subpackages reachable as attributes (``estimator.models.rental``); module names never
shadow an API function: ``estimator.solve`` is always the function."""


def __getattr__(name):
    """Import API modules lazily so `import estimator` (and the CLI) start fast."""
    module = _EXPORTS.get(name)
    if module is None:
        if name in _SUBPACKAGES:
            return importlib.import_module(f".{name}", __name__)
        raise AttributeError(f"module 'estimator' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
