"""Placeholders left in a scenario file (issue 22): "FILL IN" from `estimator new --from-run`,
the sample texts of the `estimator new` template, TODO / TBD and example.com links.

A file with placeholders loads and runs (so `check` shows its verdicts while it is written),
but `lint` reports each one, `check --strict` refuses the file and `site` publishes it only as
a draft (`site --draft`: every page carries a draft banner).
"""

from __future__ import annotations

import re
from pathlib import Path

from estimator.data.yamlio import load_file
from estimator.errors import DataFileError

MARKERS = re.compile(r"\bFILL[ _-]?IN\b|\bTODO\b|\bTBD\b|\bexample\.(?:com|org|net)\b",
                     re.IGNORECASE)
"""Words that mark a value as not filled in yet."""

TEMPLATE_SAMPLES = (
    "What was claimed, in a few words",
    "Publication or author",
    "Headline or paper title",
    "the sentence with the number, in the source's language",
    "Model X cost $1 million to train on 1,000 H100s in 10 days",
    "Why the claim is or is not what it seems; what the figure covers.",
)
"""The sample values of scenarios/template.py's TEMPLATE, left as written."""


def find_placeholders(node, path: str = "", line: int | None = None) -> list[tuple]:
    """(line, key, text) of every string under ``node`` (a loaded YAML document) that is a
    placeholder, in document order."""
    out = []
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}.{key}" if path else str(key)
            out += find_placeholders(value, here, _line(node, key, line))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            out += find_placeholders(value, f"{path}[{i}]", _line(node, i, line))
    elif isinstance(node, str) and is_placeholder(node):
        out.append((line, path, node))
    return out


def is_placeholder(text: str) -> bool:
    """Is ``text`` a placeholder (MARKERS, or a template sample as written)?"""
    return bool(MARKERS.search(text)) or text.strip() in TEMPLATE_SAMPLES


def placeholder_errors(file) -> list[DataFileError]:
    """One located error per placeholder in the scenario file ``file``."""
    doc = load_file(Path(file))
    return [DataFileError(f"placeholder {text!r} is not filled in", file=str(file),
                          line=line, key=key,
                          hint="Replace it with the source's value (`estimator site "
                               "--draft` publishes the file as a draft).")
            for line, key, text in find_placeholders(doc)]


def _line(node, key, default):
    try:
        return node.line_of(key)
    except (AttributeError, KeyError, IndexError, TypeError):
        return default
