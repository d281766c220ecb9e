"""One exception family for everything a user can get wrong.

Every error subclasses :class:`EstimatorError` and also the builtin it resembles
(the pattern pint uses: ``class DefinitionError(ValueError, PintError)``), so
callers may catch either. Messages follow one style::

    <file>:<line>: <key>: <what is wrong>. <what to do>

with the location parts left out where there is no file, line or key.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


class EstimatorError(Exception):
    """Base class of every error the estimator raises on purpose."""

    def __init__(self, message: str, *, file: str | None = None, line: int | None = None,
                 key: str | None = None, hint: str | None = None):
        super().__init__(message)
        self.message = message
        self.file = file
        self.line = line
        self.key = key
        self.hint = hint

    def located(self, *, file: str | None = None, line: int | None = None,
                key: str | None = None) -> EstimatorError:
        """Fill in location parts that are still unknown; returns self."""
        self.file = self.file or file
        self.line = self.line or line
        self.key = self.key or key
        return self

    def __str__(self) -> str:
        where = ""
        if self.file:
            where += f"{self.file}:"
            if self.line:
                where += f"{self.line}:"
            where += " "
        if self.key:
            where += f"{self.key}: "
        text = f"{where}{self.message}"
        if self.hint:
            text = text if text.endswith((".", "?", "!")) else text + "."
            text = f"{text} {self.hint}"
        return " ".join(text.split("\n"))


class InputError(EstimatorError, ValueError):
    """A value given by the user is malformed, out of range or of the wrong kind."""


class UnitError(InputError):
    """A quantity has the wrong dimension or an unknown unit."""


class UnknownNameError(EstimatorError, LookupError):
    """A name (GPU, scenario, currency, region...) is not known."""


class DataFileError(InputError):
    """A YAML data file (profile, scenario, FX table) is malformed."""


class ScenarioError(InputError):
    """A scenario is well-formed YAML but cannot be evaluated as written."""


def did_you_mean(name: str, choices: Iterable[str], *, limit: int = 3) -> str:
    """Return '; did you mean X?' for the closest choices, or ''."""
    pool = list(choices)
    lowered = {c.lower(): c for c in pool}
    close = difflib.get_close_matches(name.lower(), list(lowered), n=limit, cutoff=0.6)
    if not close:
        return ""
    return "; did you mean " + " or ".join(lowered[c] for c in close) + "?"


def unknown_name(kind: str, name: str, choices: Iterable[str], **where) -> UnknownNameError:
    """Build the standard 'unknown X' error listing the valid choices."""
    pool = sorted(set(choices), key=str.lower)
    message = f"unknown {kind} {name!r}{did_you_mean(name, pool)}"
    hint = "Known: " + ", ".join(pool) + "." if pool else None
    return UnknownNameError(message, hint=hint, **where)
