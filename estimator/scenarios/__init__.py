"""Scenario files: published claims checked by the calculator.

    >>> import estimator
    >>> estimator.load_scenario("deepseek-v3-final-run").run().frame()   # doctest: +SKIP
    >>> estimator.check()                       # every built-in scenario, one row per claim
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from estimator.calc.estimate import to_date
from estimator.data.files import builtin_data_dir, list_data_files
from estimator.data.profiles import PROFILE_SCHEMA
from estimator.data.yamlio import load_file
from estimator.errors import DataFileError, EstimatorError, unknown_name
from estimator.inputs.paths import one_path, path_list
from estimator.scenarios.evaluate import run_scenario
from estimator.scenarios.model import Claim, Scenario, Stage, parse_scenario
from estimator.scenarios.placeholders import find_placeholders, placeholder_errors
from estimator.scenarios.schema import SCENARIO

__all__ = ["CheckReport", "Claim", "Scenario", "Stage", "at_date", "builtin_scenario_dir",
           "check", "check_report", "find_placeholders",
           "find_scenario_files", "load_scenario", "load_scenarios", "parse_scenario"]

Scenario.evaluator = run_scenario
"""Scenario.run judges through the evaluator, which sits above the data model (model.py)."""


def builtin_scenario_dir() -> Path:
    """The folder of built-in scenarios (inside the wheel, or the source checkout)."""
    return builtin_data_dir("scenarios")


def find_scenario_files(paths=None) -> list[Path]:
    """YAML files named by ``paths`` (one or a list of files, folders searched recursively, or
    built-in ids); default every built-in scenario."""
    targets = [Path(p) for p in (path_list(paths) or [builtin_scenario_dir()])]
    files: list[Path] = []
    for target in targets:
        if target.is_dir():
            found = list_data_files(target, recursive=True)
            if not found:
                raise DataFileError("folder holds no *.yaml scenario files", file=str(target),
                                    hint="Point at a folder of scenarios, or a .yaml file.")
            files += found
        elif target.exists():
            files.append(target)
        elif target.suffix not in (".yaml", ".yml") and "/" not in str(target):
            files.append(_builtin_by_id(str(target)))
        else:
            raise DataFileError("no such file or folder", file=str(target))
    return files


def _builtin_by_id(name: str) -> Path:
    index = {p.stem: p for p in find_scenario_files()}
    if name not in index:
        raise unknown_name("scenario", name, index)
    return index[name]


def load_scenario(name_or_path) -> Scenario:
    """A scenario from a file path, or a built-in one by id."""
    path = Path(one_path(name_or_path))
    if path.suffix in (".yaml", ".yml") or path.exists():
        return parse_scenario(load_file(path), str(path))
    path = _builtin_by_id(str(name_or_path))
    return parse_scenario(load_file(path), str(path))


def at_date(scenario: Scenario, as_of=None) -> Scenario:
    """The scenario priced at ``as_of``'s bands (overrides assumptions.as_of); unchanged for
    None. Used by check, run and report --as-of."""
    if as_of is None:
        return scenario
    return replace(scenario, reprice_at=to_date(as_of, "as_of"))


JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


def json_schema(kind: str = "scenario") -> dict:
    """The JSON Schema of scenario or profile files, for editors (`estimator schema`).

    Parameters
    ----------
    kind : {"scenario", "profile"}
        Which file format.

    Returns
    -------
    dict
        The schema (draft 2020-12), ready for json.dumps.
    """
    schemas = {"scenario": SCENARIO, "profile": PROFILE_SCHEMA}
    if kind not in schemas:
        raise unknown_name("schema", kind, schemas)
    return {"$schema": JSON_SCHEMA_DIALECT, **schemas[kind].json_schema()}


def run(scenario, profiles=None, as_of=None, collect_errors=False):
    """One scenario evaluated in full: what `estimator run` shows.

    Parameters
    ----------
    scenario : Scenario, str or path
        A loaded scenario, a built-in id or a path to a .yaml file.
    profiles : path or list of paths, optional
        Extra folders of hardware profiles.
    as_of : date or "YYYY-MM-DD", optional
        Price the stages at the bands of this day (overrides assumptions.as_of).
    collect_errors : bool
        Judge every claim that can be judged and list the others' errors in the result's
        ``errors`` (default: raise the first).

    Returns
    -------
    ScenarioResult
        The stages' quantities (low / typical / high), the verdict of every claim and the
        implied values (render.breakdown shows it as text or JSON).
    """
    loaded = scenario if isinstance(scenario, Scenario) else load_scenario(scenario)
    return at_date(loaded, as_of).run(profiles, collect_errors)


def load_scenarios(paths=None) -> list[Scenario]:
    """Every scenario under ``paths`` (files, folders or built-in ids; default: all built-in),
    in file order; a DataFileError when two files use one id."""
    scenarios = [load_scenario(p) for p in find_scenario_files(paths)]
    seen: dict = {}
    for s in scenarios:
        if s.id in seen:
            raise _duplicate(s, seen)
        seen[s.id] = s.file
    return scenarios


def _duplicate(s: Scenario, seen: dict) -> DataFileError:
    return DataFileError(f"scenario id {s.id!r} also used by {seen[s.id]}", file=s.file,
                         line=s.id_line, key="id")


@dataclass
class CheckReport:
    """What `estimator check` prints: one row per claim (``frame``; a claim that could not be
    judged is a row with verdict ``error``) and every error, located (``errors``: files that
    do not load or run, claims that cannot be judged), in file order."""

    frame: pd.DataFrame
    errors: list

    @property
    def ok(self) -> bool:
        return not self.errors and (self.frame.empty or bool(self.frame["ok"].all()))


def check_report(paths=None, profiles=None, as_of=None, strict: bool = False) -> CheckReport:
    """Run every scenario under ``paths`` (files, folders or built-in ids; default: all
    built-in), going on past a file that does not load or run: its error is collected and
    every other file and claim is judged (issue 22). ``as_of`` prices every scenario at that
    date's bands; ``strict`` makes each placeholder left in a file ("FILL IN",
    scenarios/placeholders.py) an error too."""
    frames, errors, seen = [], [], {}
    for path in find_scenario_files(paths):
        try:
            if strict:
                errors += placeholder_errors(path)
            scenario = at_date(load_scenario(path), as_of)
            if scenario.id in seen:
                raise _duplicate(scenario, seen)
            seen[scenario.id] = scenario.file
            result = scenario.run(profiles, collect_errors=True)
        except EstimatorError as exc:
            errors.append(exc.located(file=str(path)))
            continue
        frames.append(result.frame())
        errors += result.errors
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return CheckReport(frame, errors)


def check(paths=None, profiles=None, as_of=None):
    """Run every scenario under ``paths`` (files, folders or built-in ids; default: all
    built-in); one row per claim. ``as_of`` prices every scenario at that date's bands.
    Raises the first error (a file that does not load, a claim that cannot be judged);
    :func:`check_report` collects them all and judges the rest."""
    report = check_report(paths, profiles, as_of)
    if report.errors:
        raise report.errors[0]
    return report.frame
