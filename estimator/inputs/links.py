"""Which URLs may become links on a published page.

A scenario's source ``url`` or a profile's ``source`` is text a contributor wrote; rendered as
``<a href="javascript:...">`` it runs script in the reader's browser when clicked (stored XSS).
Browsers strip leading/trailing whitespace and C0 controls from a URL and remove tab and
newline anywhere inside it before reading its scheme, case-insensitively (WHATWG URL Standard,
"basic URL parser", https://url.spec.whatwg.org/#concept-basic-url-parser), so
``" JaVa\\tScRiPt:alert(1)"`` is a ``javascript:`` URL. :func:`safe_href` reads the scheme the
same way and allows only an allow-list; everything else is shown as text.
"""

from __future__ import annotations

import re

ALLOWED_SCHEMES = ("http", "https", "mailto")
"""URL schemes that may become a link on a page (OWASP XSS Prevention Cheat Sheet, rule 5:
allow-list the scheme of any user-supplied URL placed in an href)."""

_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u00ad\u061c\u180e\u200b-\u200f\u2028-\u202e"
                        "\u2060-\u2069\ufeff]")
"""Controls, DEL and invisible format characters (zero-width, bidi): removed anywhere."""
_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*):")


def _cleaned(url) -> str:
    return _INVISIBLE.sub("", "" if url is None else str(url)).strip(" ")


def url_scheme(url) -> str | None:
    """The scheme a browser would read from ``url`` (lower case), or None for a relative URL."""
    text = _cleaned(url)
    match = _SCHEME.match(text)
    if not match:
        return None
    head = re.split(r"[/?#]", text, maxsplit=1)[0]
    return match.group(1).lower() if ":" in head else None


def safe_href(url, *, relative: bool = False) -> str | None:
    """``url`` cleaned of whitespace and control characters if it may be a link, else None.

    Allowed: http, https and mailto URLs (case-insensitive) with something after the scheme,
    and, only when ``relative`` (the site's own links between its pages), relative paths
    without a scheme. None means: show the text, not a link.
    """
    text = _cleaned(url)
    if not text:
        return None
    scheme = url_scheme(text)
    if scheme is None:
        return text if relative and not text.startswith("//") else None
    if scheme not in ALLOWED_SCHEMES or len(text) <= len(scheme) + 1:
        return None
    return text


SCRIPT_SCHEMES = ("javascript", "vbscript", "livescript", "data", "blob", "file")
"""Schemes refused even in free text that only may hold a URL (a profile's ``source`` is a URL
or a citation, and "Note: ..." must stay a valid citation): those that run script or reach
the reader's own files."""


def refused_scheme(text, *, url_field: bool = True) -> str | None:
    """The scheme of ``text`` if a data file must refuse it: for a URL field any scheme but
    the allowed ones (a relative or scheme-less URL too, reported as ''), for free text
    (``url_field=False``) the script schemes. None when the text is acceptable."""
    scheme = url_scheme(text)
    if url_field:
        if scheme is None:
            return ""
        return None if safe_href(text) else scheme
    return scheme if scheme in SCRIPT_SCHEMES else None
