"""The one clock: every place that needs today's date asks :func:`today`.

``ESTIMATOR_TODAY=YYYY-MM-DD`` in the environment sets the date (a testing aid: README,
"Which price?"; tests set it to years ahead to show verdicts do not depend on the
calendar). Tests may also monkeypatch :func:`today` in this module.
"""

from __future__ import annotations

import datetime as dt
import os

from estimator.errors import InputError

ENV_VAR = "ESTIMATOR_TODAY"


def today() -> dt.date:
    """Today's date, or the date in $ESTIMATOR_TODAY (YYYY-MM-DD) when it is set."""
    text = os.environ.get(ENV_VAR, "").strip()
    if not text:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise InputError(f"${ENV_VAR} is {text!r}, not a date", key=ENV_VAR,
                         hint="Use YYYY-MM-DD, e.g. 2027-06-01, or unset it.") from None
