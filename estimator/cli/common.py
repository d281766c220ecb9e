"""Shared CLI pieces: the error-handling group, option bundles, output."""

from __future__ import annotations

import contextlib
import warnings

import click

from estimator.bands import ALL_TIERS, DEFAULT_TIER, PROVIDER_CLASSES, TIERS
from estimator.calc.deflator import INDEXES
from estimator.data.profiles import PRECISIONS
from estimator.errors import EstimatorError
from estimator.models.energy import DEFAULT_POWER_FRACTION, DEFAULT_PUE
from estimator.render.escaping import visible
from estimator.render.formats import FORMATS
from estimator.render.output import render

EXIT_BAD_INPUT = 2


class BadInput(click.ClickException):
    """An EstimatorError shown as 'Error: ...' with exit code 2."""

    exit_code = EXIT_BAD_INPUT


class EstimatorGroup(click.Group):
    """A click group that turns EstimatorError into a one-line message and exit code 2."""

    def invoke(self, ctx):
        with reported_errors():
            return super().invoke(ctx)


@contextlib.contextmanager
def reported_errors():
    """Run a command: EstimatorError -> 'Error: ...' and exit 2, warnings -> one line each."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        try:
            yield
        except EstimatorError as exc:
            raise BadInput(visible(str(exc))) from None
        except click.ClickException as exc:    # usage errors quote the user's values
            exc.message = visible(exc.message)
            raise
        finally:
            shown = set()          # one line per distinct warning, however often raised
            for w in caught:
                if issubclass(w.category, UserWarning) and str(w.message) not in shown:
                    shown.add(str(w.message))
                    note(f"Warning: {w.message}")


def format_option(formats=FORMATS):
    """--format: one of FORMATS (render/formats.py), or TEXT_FORMATS for one-object output."""
    return click.option("--format", "fmt", type=click.Choice(formats), default=formats[0],
                        show_default=True, help="Output format.")


OPTIONS = {
    "gpu": (("--gpu",), dict(metavar="NAMES", help="GPU ids or aliases (H800, H100, A100...); "
                                                   "comma list allowed.")),
    "count": (("--count",), dict(metavar="N", help="Number of GPUs, e.g. 512; comma list or "
                                                   "start..stop..step allowed.")),
    "hours": (("--hours",), dict(metavar="H", help="Wall-clock hours, e.g. 80 or '3.7 days'; "
                                                   "comma list or range allowed.")),
    "gpu_hours": (("--gpu-hours", "gpu_hours"), dict(
        metavar="N", help="Total GPU-hours, e.g. 2.788M (instead of --count x --hours).")),
    "price": (("--price",), dict(metavar="PRICE", help=(
        "Rental price per GPU-hour, e.g. 2, '2 USD/h', '14 CNY/h', '1.5:3'. Default: each "
        "GPU's market price band."))),
    "pue": (("--pue",), dict(default=str(DEFAULT_PUE), show_default=True,
                             help="Data-centre power usage effectiveness.")),
    "power_fraction": (("--power-fraction", "power_fraction"), dict(
        default=str(DEFAULT_POWER_FRACTION), show_default=True,
        help="Average draw as a share of TDP.")),
    "precision": (("--precision",), dict(
        default="bf16", show_default=True, type=click.Choice(list(PRECISIONS)),
        help="Precision whose dense peak MFU refers to.")),
    "tier": (("--tier",), dict(
        default=DEFAULT_TIER, show_default=True, metavar="TIERS",
        help=f"Price tier(s) of the market band: {', '.join(TIERS)}; comma list, or 'all' "
             f"({', '.join(ALL_TIERS)}). README, 'Which price?'.")),
    "provider_class": (("--provider-class", "provider_class"), dict(
        default=None, metavar="CLASSES",
        help=f"Only prices set by {', '.join(PROVIDER_CLASSES)}; comma list (default every "
             "class).")),
    "dollars": (("--dollars", "--dollar-year", "dollars"), dict(
        default=None, metavar="YEAR",
        help="Also restate USD amounts from their price date into constant December-YEAR "
             "dollars (adds *_real_usd_* and dollar_year; nominal columns stay).")),
    "deflator": (("--deflator",), dict(
        default="ppi", show_default=True, metavar="INDEX",
        help=f"Index for --dollars: {', '.join(INDEXES)} (ppi: FRED PCU518210518210, "
             "monthly, the series Epoch AI uses; cpi: CPI-U annual averages).")),
}
"""Every option shared by several commands, declared once: name -> (flags, click settings).
Defaults and choices come from the library (models/energy.py, data/profiles.py)."""

DISTRIBUTION_HELP = (" Also low:high (uniform), triangular(low, mode, high) or "
                     "lognormal(p5, p95).")


def option(name: str, *, extra_help: str = "", **overrides):
    """The shared declaration of option ``name`` (OPTIONS), with per-command overrides
    (default, required, show_default) and extra help text."""
    flags, settings = OPTIONS[name]
    settings = {**settings, **overrides}
    if extra_help:
        settings["help"] = settings["help"] + extra_help
    return click.option(*flags, **settings)


def run_options(*names, **overrides_by_name):
    """Apply several shared options in order (``run_options("gpu", "count", gpu={...})``)."""
    def decorate(func):
        for name in reversed(names):
            func = option(name, **overrides_by_name.get(name, {}))(func)
        return func
    return decorate


def pricing_options(func):
    """--tier, --provider-class, --dollars (alias --dollar-year) and --deflator."""
    return run_options("tier", "provider_class", "dollars", "deflator")(func)


def profiles_option(func):
    return prices_option(click.option("--profiles", "profiles", multiple=True, type=click.Path(),
                        help="Folder of your own hardware profiles (repeatable; also "
                             "$ESTIMATOR_PROFILES). A profile with an existing id replaces "
                             "the built-in one.")(func))


def as_of_option(func):
    return click.option("--as-of", "as_of", default=None, metavar="DATE",
                        help="Price bands from observations dated on or before DATE "
                             "(YYYY-MM-DD or 'today'; default today, and for a scenario its "
                             "own date: README, 'Which price?').")(func)


def currency_options(func):
    func = click.option("--fx-date", "fx_date", default=None, metavar="DATE",
                        help="Date of the ECB exchange rate (nearest earlier one is used).")(func)
    return click.option("--currency", default=None, metavar="CODE",
                        help="Also show money in this currency (SEK, EUR, DKK, RON, CNY...).")(func)


def echo_frame(frame, fmt: str, columns=None) -> None:
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
    """The --profiles folders, then the --prices folders (prices_option), as a list, or None;
    an empty one is refused (it would mean the current folder)."""
    if any(p == "" for p in profiles):
        raise click.BadParameter("an empty path names no folder", param_hint="'--profiles'")
    context = click.get_current_context(silent=True)
    imported = list(context.meta.get(PRICES_KEY, ())) if context else []
    return list(profiles) + imported or None


# --- --prices (issue 14): folders of imported observation files ------------------------------
PRICES_KEY = "estimator.prices"


def _remember_prices(ctx, param, value):
    if any(p == "" for p in value):
        raise click.BadParameter("an empty path names no folder", param_hint="'--prices'")
    ctx.meta[PRICES_KEY] = tuple(value)
    return value


def prices_option(func):
    """--prices DIR (repeatable; also $ESTIMATOR_PRICES): observation files written by
    `estimator prices import`, layered onto the built-in price history. Every command with
    --profiles has it; profiles_arg() adds the folders to the --profiles list."""
    return click.option("--prices", "prices_dirs", multiple=True, type=click.Path(),
                        expose_value=False, callback=_remember_prices, is_eager=True,
                        help="Folder of imported price observations (estimator prices "
                             "import; repeatable; also $ESTIMATOR_PRICES).")(func)


class OutPath(click.Path):
    """The type of every --out: a path, never the empty string (which would mean the current
    folder, or silently print instead of writing)."""

    def convert(self, value, param, ctx):
        if isinstance(value, str) and not value.strip():
            self.fail("an empty path names no file or folder; give a name, e.g. --out "
                      "result.csv", param, ctx)
        return super().convert(value, param, ctx)
