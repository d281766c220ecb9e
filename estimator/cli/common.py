"""Shared CLI pieces: the error-handling group, option bundles, output."""

from __future__ import annotations


import click

from estimator.errors import EstimatorError
from estimator.render.escaping import visible

EXIT_BAD_INPUT = 2


class BadInput(click.ClickException):
    """An EstimatorError shown as 'Error: ...' with exit code 2."""

    exit_code = EXIT_BAD_INPUT


class EstimatorGroup(click.Group):
    """A click group that turns EstimatorError into a one-line message and exit code 2."""

    def invoke(self, ctx):
        import warnings

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always", UserWarning)
            try:
                return super().invoke(ctx)
            except EstimatorError as exc:
                raise BadInput(visible(str(exc))) from None
            except click.ClickException as exc:    # usage errors quote the user's values
                exc.message = visible(exc.message)
                raise
            finally:
                for w in caught:
                    if issubclass(w.category, UserWarning):
                        note(f"Warning: {w.message}")


def format_option(formats=("table", "csv", "json", "markdown")):
    return click.option("--format", "fmt", type=click.Choice(formats), default="table",
                         show_default=True, help="Output format.")


def profiles_option(func):
    return click.option("--profiles", "profiles", multiple=True, type=click.Path(),
                        help="Folder of your own hardware profiles (repeatable; also "
                             "$ESTIMATOR_PROFILES). A profile with an existing id replaces "
                             "the built-in one.")(func)


def as_of_option(func):
    return click.option("--as-of", "as_of", default=None, metavar="DATE",
                        help="Price bands from observations dated on or before DATE "
                             "(YYYY-MM-DD; default today).")(func)


def currency_options(func):
    func = click.option("--fx-date", "fx_date", default=None, metavar="DATE",
                        help="Date of the ECB exchange rate (nearest earlier one is used).")(func)
    return click.option("--currency", default=None, metavar="CODE",
                        help="Also show money in this currency (SEK, EUR, DKK, RON, CNY...).")(func)


def echo_frame(frame, fmt: str, columns=None) -> None:
    from estimator.render.output import render

    click.echo(render(frame, fmt, columns))
    rates = [c for c in frame.columns if c.startswith("fx_rate_")] if hasattr(frame, "columns") \
        else []
    for column in rates:
        code = column[len("fx_rate_"):-len("_per_usd")].upper()
        note(f"{code} at {frame[column].iloc[0]:.4g} per USD, ECB reference rate of "
             f"{frame['fx_date'].iloc[0]} (the latest on or before --fx-date, else --as-of, "
             "else the latest in the data).")


def note(message: str) -> None:
    """A message for people, on stderr (control and bidi characters escaped)."""
    click.echo(visible(message, keep_newlines=True), err=True)


def warn_rows(frame) -> None:
    """Print distinct warnings from a frame's 'warnings' column to stderr."""
    if "warnings" not in frame:
        return
    seen = []
    for text in frame["warnings"]:
        for part in (text or "").split("; "):
            if part and part not in seen:
                seen.append(part)
    for part in seen:
        note(f"Warning: {part}")


def profiles_arg(profiles):
    """The --profiles folders as a list, or None; an empty one is refused (it would mean
    the current folder)."""
    if any(p == "" for p in profiles):
        raise click.BadParameter("an empty path names no folder", param_hint="'--profiles'")
    return list(profiles) or None
