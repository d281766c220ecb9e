"""Fixtures of the site tests: one site built from the built-in scenarios per session
(building takes ~3 s), and for the browser tests Debian's chromium and axe-core."""

from __future__ import annotations

import os
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
AXE_PACKAGE = "axe-core@4"
"""The accessibility engine the audit injects (npm registry; MPL-2.0). $AXE_CORE_JS may name
an axe.min.js already on disk (.ci/run fetches one); otherwise `npm pack` fetches it."""


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


def _cannot_run(reason: str):
    """Skip with the reason locally; under CI=true a missing tool is a failure, never a skip."""
    if os.environ.get("CI"):
        pytest.fail(f"browser tests cannot run in CI: {reason}")
    pytest.skip(f"browser tests skipped: {reason}")


def _missing_browser() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "playwright is not installed (pip install -e '.[test]')"
    if not (os.path.exists(CHROMIUM) or shutil.which("chromium")):
        return f"no browser at {CHROMIUM} (apt-get install chromium; .ci/run does this)"
    return None


@pytest.fixture(scope="session")
def browser():
    reason = _missing_browser()
    if reason:
        _cannot_run(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        executable = CHROMIUM if os.path.exists(CHROMIUM) else shutil.which("chromium")
        browser = p.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def axe_js(tmp_path_factory) -> str:
    """The text of axe.min.js: from $AXE_CORE_JS, else `npm pack axe-core@4` into a temp
    folder. Skips (fails under CI=true) when neither works."""
    given = os.environ.get("AXE_CORE_JS")
    if given:
        if not Path(given).is_file():
            _cannot_run(f"$AXE_CORE_JS is {given}, not a file")
        return Path(given).read_text(encoding="utf-8")
    npm = shutil.which("npm")
    if npm is None:
        _cannot_run("no npm to fetch axe-core (apt-get install npm, or set $AXE_CORE_JS)")
    folder = tmp_path_factory.mktemp("axe")
    try:
        done = subprocess.run([npm, "pack", AXE_PACKAGE, "--silent"], cwd=folder, timeout=180,
                              capture_output=True, text=True)
    except (OSError, subprocess.TimeoutExpired) as exc:
        _cannot_run(f"npm pack {AXE_PACKAGE} failed: {exc}")
    packs = sorted(folder.glob("axe-core-*.tgz"))
    if done.returncode != 0 or not packs:
        _cannot_run(f"npm pack {AXE_PACKAGE} failed: {done.stderr.strip()[:200]}")
    with tarfile.open(packs[-1]) as tar:
        member = tar.extractfile("package/axe.min.js")
        return member.read().decode("utf-8")
