"""One site built from the built-in scenarios per test session (building takes ~3 s)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def built_site(tmp_path_factory):
    """The site of every built-in scenario (library included), as estimator site builds it."""
    from estimator.site import build_site

    out = tmp_path_factory.mktemp("site") / "site"
    build_site(None, out)
    return out


@pytest.fixture(scope="session")
def check_frame():
    """estimator.check() of the same scenarios: the verdicts the site must show."""
    import estimator

    return estimator.check()
