"""The output formats, in one place (read by render/output.py and the CLI's --format)."""

FORMATS = ("table", "csv", "json", "markdown")
"""Formats of tabular output: aligned text, CSV, JSON records, Markdown."""

TEXT_FORMATS = ("text", "json")
"""Formats of one-object output (`run`, `gpu show`): readable text or one JSON document."""
