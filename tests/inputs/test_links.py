"""Which URLs may become links on a published page (issue 21: stored XSS through source URLs)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from estimator.inputs.links import ALLOWED_SCHEMES, refused_scheme, safe_href, url_scheme

HOSTILE = [
    "javascript:alert(document.domain)",
    " javascript:alert(1)",              # leading space
    "JaVaScRiPt:alert(1)",               # mixed case
    "java\tscript:alert(1)",             # tab inside: browsers remove it
    "java\nscript:alert(1)",
    "\x01javascript:alert(1)",           # C0 control before the scheme
    "\u200bjavascript:alert(1)",         # zero-width space
    "vbscript:msgbox(1)",
    "VBSCRIPT:msgbox(1)",
    "data:text/html,<script>alert(1)</script>",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "file:///etc/passwd",
    "//evil.example/x",                  # scheme-relative: another site
    "http:",                             # nothing after the scheme
    "",
    "   ",
]


@pytest.mark.parametrize("url", HOSTILE)
def test_hostile_urls_never_become_links(url):
    assert safe_href(url) is None
    assert safe_href(url, relative=True) is None
    assert refused_scheme(url) is not None


@pytest.mark.parametrize("url, href", [
    ("https://arxiv.org/abs/2405.21015", "https://arxiv.org/abs/2405.21015"),
    ("HTTP://example.com/a", "HTTP://example.com/a"),
    ("  https://example.com/a\n", "https://example.com/a"),
    ("mailto:desk@example.com", "mailto:desk@example.com"),
])
def test_web_and_mail_links_stay_links(url, href):
    assert safe_href(url) == href
    assert refused_scheme(url) is None


def test_relative_links_only_for_the_sites_own_pages():
    assert safe_href("../deepseek-v3/index.html") is None
    assert safe_href("../deepseek-v3/index.html", relative=True) == "../deepseek-v3/index.html"


def test_free_text_sources_refuse_only_script_schemes():
    assert refused_scheme("Kaplan et al. 2020, arXiv:2001.08361", url_field=False) is None
    assert refused_scheme("ref:sheet", url_field=False) is None
    assert refused_scheme("Note: read off the chart", url_field=False) is None
    assert refused_scheme(" JavaScript:alert(1)", url_field=False) == "javascript"
    assert refused_scheme("data:text/html,x", url_field=False) == "data"


@given(st.text())
def test_a_link_always_has_an_allowed_scheme(text):
    href = safe_href(text)
    if href is not None:
        assert url_scheme(href) in ALLOWED_SCHEMES
        assert href == href.strip() and not any(ord(c) < 0x20 for c in href)


@given(st.sampled_from(["javascript", "vbscript", "data"]), st.text(alphabet=" \t\n\r\x00\x08"),
       st.data())
def test_any_spelling_of_a_script_scheme_is_refused(scheme, junk, data):
    spelled = "".join(c.upper() if data.draw(st.booleans()) else c for c in scheme)
    at = data.draw(st.integers(0, len(spelled)))
    url = junk + spelled[:at] + "\t" + spelled[at:] + ":alert(1)"
    assert safe_href(url) is None
