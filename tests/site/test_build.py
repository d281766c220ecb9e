"""The site builder without a browser: content, escaping, safe output, the CLI."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from estimator.cli import cli
from estimator.errors import DataFileError
from estimator.scenarios import builtin_scenario_dir
from estimator.site import charts, markdown
from estimator.site.numbers import human, money
from estimator.site.publish import MARKER

SEK = builtin_scenario_dir() / "deepseek-v3-60-million-sek.yaml"


def test_every_claim_is_in_the_index_with_its_verdict(built_site, check_frame):
    html = (built_site / "index.html").read_text(encoding="utf-8")
    rows = re.findall(r'<tr data-scenario="([^"]+)" data-verdict="([^"]+)">', html)
    expected = list(zip(check_frame["scenario"], check_frame["verdict"]))
    assert sorted(rows) == sorted(expected)


def test_layout_has_a_page_per_scenario_and_profile(built_site, check_frame):
    for scenario in set(check_frame["scenario"]):
        assert (built_site / scenario / "index.html").is_file()
    for page in ("library", "hardware", "methods", "hardware/nvidia-h800-sxm5-80gb"):
        assert (built_site / page / "index.html").is_file()
    assert (built_site / "static" / "site.css").is_file()
    assert (built_site / MARKER).is_file()
    assert not any(p.suffix in (".yaml", ".yml") for p in built_site.rglob("*"))


def test_scenario_page_shows_quote_language_and_numbers(built_site):
    html = (built_site / "deepseek-v3-60-million-sek" / "index.html").read_text("utf-8")
    # The Swedish quote is marked as Swedish, the English paper's link as English.
    assert '<blockquote lang="sv"><p>Det sägs att Deepseek' in html
    assert 'hreflang="en"' in html
    # $5.576M x 11.04 SEK per USD (ECB, 2025-01-31; README "Currencies") = 61,559,040 SEK.
    assert "61.56M SEK" in html
    assert "✓</span> Reproduced" in html            # the verdict in words, not colour alone
    assert re.search(r'<svg role="img"[^>]*aria-label="Claim vs computed range', html)


def test_scenario_text_is_escaped(tmp_path):
    text = SEK.read_text(encoding="utf-8").replace("id: deepseek-v3-60-million-sek",
                                                   "id: evil")
    text = text.replace('title: "', 'title: "<script>alert(1)</script> ', 1)
    (tmp_path / "claims").mkdir()
    (tmp_path / "claims" / "evil.yaml").write_text(text, encoding="utf-8")
    from estimator.site import build_site

    build_site([tmp_path / "claims"], tmp_path / "out")
    html = (tmp_path / "out" / "evil" / "index.html").read_text("utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_methods_page_comes_from_readme_sections(built_site):
    html = (built_site / "methods" / "index.html").read_text("utf-8")
    readme = markdown.readme_path().read_text("utf-8")
    for heading in markdown.METHOD_SECTIONS:
        assert f"## {heading}" in readme or f"### {heading}" in readme
        assert f"<h2>{heading}</h2>" in html
    # A sentence of README's band rule, as README has it (inline code rendered as <code>).
    assert "typical = the weighted median; low / high = the weighted" in html


def test_missing_readme_section_is_a_located_error():
    with pytest.raises(DataFileError, match="README has no section 'Nope'"):
        markdown.section("# a\n## b\ntext\n", "Nope")
    assert markdown.section("# a\n## b\nx\n```\n## not a heading\n```\n## c\n", "b") == \
        ["## b", "x", "```", "## not a heading", "```"]


def test_claim_chart_positions_on_a_log_axis():
    record = {"claim_unit": "USD", "claim_value": 100.0, "claim_high": None,
              "range_low": 10.0, "range_high": 1000.0, "range_typical": 100.0,
              "stated_value": None, "quantity": "cost", "verdict": "consistent"}
    chart = charts.claim_chart(record)
    # Domain 10/1.6 .. 1000*1.6 is symmetric around 100 in log space, so 100 sits at the
    # middle of the 24..616 px axis: (24 + 616) / 2 = 320.
    assert chart["claim"][0] == 320.0
    assert chart["typical"] == 320.0
    assert chart["stated"] is None
    # The claim gets its own tick (labelled with its value); the 100 tick it sits on is
    # dropped, 10 and 1,000 are 163.1 px away (> CLAIM_TICK_GAP): log10 steps of 296 / 1.816.
    assert chart["claim_tick"] == {"x": 320.0, "label": "100"}
    assert [t["label"] for t in chart["ticks"]] == ["10", "1,000"]


def test_numbers_read_like_a_reader_expects():
    assert human(5_576_000) == "5.576M"
    assert human(12_345) == "12,345"
    assert human(0.346412) == "0.3464"
    assert human(float("nan")) == "—"
    assert money(294_000) == "$294,000"
    assert money(61_559_040, "SEK") == "61.56M SEK"


def test_bad_scenario_stops_the_build_and_writes_nothing(tmp_path):
    claims = tmp_path / "claims"
    claims.mkdir()
    shutil.copy(SEK, claims / SEK.name)
    (claims / "broken.yaml").write_text("id: broken\ntitle: x\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["site", str(claims), "--out", str(tmp_path / "out")])
    assert result.exit_code == 2
    assert "broken.yaml:1" in result.output and "sources" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["claims"]     # no site, no .part


def test_existing_site_needs_force_and_force_replaces_only_a_site(tmp_path):
    out = tmp_path / "out"
    args = ["site", str(SEK), "--out", str(out)]
    assert CliRunner().invoke(cli, args).exit_code == 0
    again = CliRunner().invoke(cli, args)
    assert again.exit_code == 2 and "already exists" in again.output
    assert CliRunner().invoke(cli, args + ["--force"]).exit_code == 0
    assert (out / "deepseek-v3-60-million-sek" / "index.html").is_file()
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    refused = CliRunner().invoke(cli, ["site", str(SEK), "--out", str(mine), "--force"])
    assert refused.exit_code == 2 and "not a site built by estimator" in refused.output
    assert (mine / "notes.txt").read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "out"]


def test_out_may_not_hold_an_input(tmp_path):
    claims = tmp_path / "claims"
    claims.mkdir()
    shutil.copy(SEK, claims / SEK.name)
    (tmp_path / MARKER).write_text("", encoding="utf-8")      # even a folder marked as a site
    result = CliRunner().invoke(cli, ["site", str(claims), "--out", str(tmp_path), "--force"])
    assert result.exit_code == 2 and "refusing to write there" in result.output
    assert (claims / SEK.name).read_bytes() == SEK.read_bytes()


def test_what_if_path_does_not_import_jinja2():
    code = ("import sys; from click.testing import CliRunner; from estimator.cli import cli; "
            "r = CliRunner().invoke(cli, ['cost', '--gpu', 'H800', '--count', '512', "
            "'--hours', '80', '--price', '2']); assert r.exit_code == 0, r.output; "
            "print('jinja2' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parents[2])
    assert out.stdout.strip() == "False"


def test_wheel_ships_readme_templates_and_static_files():
    """The methods page reads README from estimator/_builtin in an installed wheel; templates
    and static files are package data under estimator/site (hatch ships the package folder)."""
    root = Path(__file__).resolve().parents[2]
    pyproject = (root / "pyproject.toml").read_text(encoding="utf-8")
    assert '"README.md" = "estimator/_builtin/README.md"' in pyproject
    assert 'packages = ["estimator"]' in pyproject
    for name in ("templates/index.html.j2", "templates/scenario.html.j2", "static/site.css",
                 "static/site.js"):
        assert (root / "estimator" / "site" / name).is_file()


# ---------------------------------------------------------------- links and CSP (issue 21)


def _render_scenario_page(sources: list[dict]) -> str:
    """The scenario template with hostile sources, bypassing the loader (which refuses them),
    so the page itself is tested as the last line of defence."""
    import datetime as dt

    from estimator.site import builder, pages

    env = builder.environment()
    page = {"id": "x", "title": "t\u202eevil", "date": None, "tags": [], "notes": [],
            "sources": [pages._source(s) for s in sources], "claims": [], "stages": [],
            "assumptions": [], "totals": {}}
    return env.get_template("scenario.html.j2").render(page=page, root="../",
                                                       built=dt.date(2026, 1, 1))


@pytest.mark.parametrize("url", ["javascript:alert(document.domain)", " javascript:alert(1)",
                                 "JaVaScRiPt:alert(1)", "java\tscript:alert(1)",
                                 "vbscript:msgbox(1)", "data:text/html,<script>alert(1)</script>"])
def test_a_script_url_in_a_source_is_text_not_a_link(url):
    html = _render_scenario_page([{"outlet": "o", "title": "The source", "date": None,
                                   "url": url}])
    assert "<cite>The source</cite>" in html
    assert "script:" not in html.lower() and "data:text" not in html


def test_a_web_url_in_a_source_is_a_link_and_titles_show_bidi_controls():
    html = _render_scenario_page([{"outlet": "o", "title": "The source", "date": None,
                                   "url": "https://example.com/a?b=1&c=2"}])
    assert '<a href="https://example.com/a?b=1&amp;c=2">The source</a>' in html
    head = html.split("</title>")[0]        # the template escapes the <title> itself
    assert "\u202e" not in head and "<title>t\\u202eevil · " in head


def test_every_page_has_a_content_security_policy_and_no_inline_script(built_site):
    from estimator.site.builder import CONTENT_SECURITY_POLICY

    assert "script-src 'self'" in CONTENT_SECURITY_POLICY
    assert "unsafe-inline" not in CONTENT_SECURITY_POLICY
    for page in built_site.rglob("*.html"):
        html = page.read_text(encoding="utf-8")
        assert f'<meta http-equiv="Content-Security-Policy" content="{CONTENT_SECURITY_POLICY}">' \
            .replace("'", "&#39;") in html, page
        # no inline script: only files, and JSON-LD data (ClaimReview), which never runs
        assert not re.search(r"<script(?![^>]*\b(?:src=|type=\"application/ld\+json\"))",
                             html), page
        assert not re.search(r"\son[a-z]+\s*=", html), page              # no handler attributes
        for href in re.findall(r'href="([^"]*)"', html):
            assert not re.match(r"\s*(javascript|vbscript|data):", href, re.I), (page, href)
