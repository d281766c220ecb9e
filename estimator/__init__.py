"""estimator: what does training an AI model cost, and does a published claim add up?

The public API (all return pandas DataFrames or plain objects):

    >>> import estimator
    >>> estimator.estimate(gpu="H800", count=512, hours=80, price=2)   # doctest: +SKIP
    >>> estimator.get_profile("H800")                                   # doctest: +SKIP
"""

__version__ = "0.1.0"

_EXPORTS = {
    "estimate": "api", "load_profiles": "profiles", "get_profile": "profiles",
    "HardwareProfile": "profiles", "PriceBand": "prices",
    "EstimatorError": "errors", "InputError": "errors", "UnitError": "errors",
    "UnknownNameError": "errors", "DataFileError": "errors", "ScenarioError": "errors",
    "compute": "compute_api", "own": "ownership_api", "convert": "fx_api",
    "profiles_frame": "tables",
    "load_scenario": "scenarios", "check": "scenarios", "solve": "solving",
    "simulate": "simulation", "Simulation": "simulation", "sweep": "sweeping",
    "sweep_to_file": "sweeping", "library": "run_library", "lint": "linting",
    "plan": "planning", "InfeasiblePlanError": "planning",
}

__all__ = sorted(_EXPORTS) + ["__version__"]

_SUBMODULES = {"scenarios", "plots", "report", "units", "rental", "energy", "flops",
               "ownership", "fx", "carbon", "profiles", "prices", "distributions", "engines",
               "writers", "output", "tables", "errors", "api", "cli", "sweeping", "simulation",
               "solving", "run_library", "linting", "compute_api", "ownership_api", "fx_api",
               "models", "architectures"}
"""Module names never shadow an API function: `estimator.solve` is always the function."""


def __getattr__(name):
    """Import API modules lazily so `import estimator` (and the CLI) start fast."""
    import importlib

    module = _EXPORTS.get(name)
    if module is None:
        if name in _SUBMODULES:
            return importlib.import_module(f".{name}", __name__)
        raise AttributeError(f"module 'estimator' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value
