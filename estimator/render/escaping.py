"""Control and bidirectional-text characters made visible in every text output.

A scenario title or profile note may hold characters a terminal or Markdown viewer acts on
instead of showing: C0/C1 controls (ESC starts terminal escape sequences, CR rewrites a line)
and the Unicode bidi controls (U+202E RIGHT-TO-LEFT OVERRIDE turns "0.6$ rof" into "for $6.0",
the "Trojan Source" trick, CVE-2021-42574). Text outputs show each as an escape such as
``\\u202e``; JSON output writes the same escape, which JSON parsers read back as the exact
original character. CSV has no escape syntax, so CSV keeps strings exactly.
"""

from __future__ import annotations

import re

_BIDI = "\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069"
_UNSAFE = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}]")
_UNSAFE_BUT_NEWLINE = re.compile(f"[\x00-\x09\x0b-\x1f\x7f-\x9f{_BIDI}]")
_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(match: re.Match) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text, *, keep_newlines: bool = False) -> str:
    """``text`` with every control and bidi character written as an escape (``\\u202e``,
    ``\\x1b``, ``\\t``); newlines stay when ``keep_newlines`` (multi-line text)."""
    pattern = _UNSAFE_BUT_NEWLINE if keep_newlines else _UNSAFE
    return pattern.sub(_escape, str(text))


def json_visible(json_text: str) -> str:
    """JSON text with the same characters written as ``\\uXXXX`` escapes: still valid JSON
    that parses to the exact original strings. (json.dumps already escapes C0 controls inside
    strings, so every raw newline left is layout.)"""
    return _UNSAFE_BUT_NEWLINE.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)
