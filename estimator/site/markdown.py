"""README's method sections as blocks for the "how we compute" page.

The page is generated from README itself (the sections named in :data:`METHOD_SECTIONS`), so the
site and README cannot drift apart. This is a small reader for the Markdown README uses
(headings, paragraphs, lists, fenced code, tables, inline code, bold, links); it returns plain
data (block and span dicts) that templates/methods.html.j2 renders with autoescaping, so no HTML
is built from strings here.
"""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

from estimator.errors import DataFileError
from estimator.inputs.links import safe_href

METHOD_SECTIONS = ("Verdicts", "Cost models", "Price bands")
"""README headings whose sections (with their sub-sections) make the "how we compute" page."""

_INLINE = re.compile(r"`([^`]+)`|\*\*([^*]+)\*\*|\[([^\]]+)\]\(([^)\s]+)\)")
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
_ITEM = re.compile(r"^(?:[-*]|\d+\.)\s+(.*)$")


def readme_path() -> Path:
    """README.md: in the source checkout, or the copy the wheel ships in estimator/_builtin."""
    shipped = Path(str(resources.files("estimator"))) / "_builtin" / "README.md"
    if shipped.is_file():
        return shipped
    return Path(__file__).resolve().parents[2] / "README.md"


def section(text: str, heading: str) -> list[str]:
    """The lines of the section titled ``heading``, up to the next heading of its level or
    higher (code fences are skipped when looking for headings)."""
    lines = text.splitlines()
    start = level = None
    fenced = False
    for i, line in enumerate(lines):
        if line.startswith("```"):
            fenced = not fenced
        match = None if fenced else _HEADING.match(line)
        if not match:
            continue
        if start is None and match.group(2).strip() == heading:
            start, level = i, len(match.group(1))
        elif start is not None and len(match.group(1)) <= level:
            return lines[start:i]
    if start is None:
        raise DataFileError(f"README has no section {heading!r}", file=str(readme_path()),
                            hint="Sections used by the site: " + ", ".join(METHOD_SECTIONS) + ".")
    return lines[start:]


def method_sections(readme: Path | None = None) -> list[dict]:
    """[{'title', 'anchor', 'blocks'}] for each of METHOD_SECTIONS, in order."""
    path = readme or readme_path()
    text = path.read_text(encoding="utf-8")
    out = []
    for heading in METHOD_SECTIONS:
        lines = section(text, heading)
        level = len(_HEADING.match(lines[0]).group(1))
        out.append({"title": heading, "anchor": anchor(heading),
                    "blocks": blocks(lines[1:], section_level=level)})
    return out


def anchor(title: str) -> str:
    """A URL fragment for a heading: lower case, words joined by '-'."""
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")


def blocks(lines: list[str], section_level: int = 1) -> list[dict]:
    """Block dicts: heading (level, spans), paragraph (spans), list (items of spans),
    code (text), table (header, rows of spans).

    The section is an <h2> on the page, so a heading one level below ``section_level`` in
    README becomes <h3>, and no heading skips a level (an accessibility rule)."""
    out: list[dict] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if not line.strip() or line.startswith("!["):
            i += 1
        elif line.startswith("```"):
            end = next((j for j in range(i + 1, len(lines)) if lines[j].startswith("```")),
                       len(lines))
            out.append({"kind": "code", "text": "\n".join(lines[i + 1:end])})
            i = end + 1
        elif _HEADING.match(line):
            level, title = _HEADING.match(line).groups()
            previous = ([b["level"] for b in out if b["kind"] == "heading"] or [2])[-1]
            page_level = min(2 + len(level) - section_level, previous + 1, 6)
            out.append({"kind": "heading", "level": max(page_level, 3),
                        "spans": spans(title), "anchor": anchor(title)})
            i += 1
        elif line.startswith("|"):
            i = _table(lines, i, out)
        elif _ITEM.match(line):
            i = _list(lines, i, out)
        else:
            i = _paragraph(lines, i, out)
    return out


def _starts_block(line: str) -> bool:
    return (not line.strip() or line.startswith(("```", "|", "![")) or bool(_HEADING.match(line))
            or bool(_ITEM.match(line)))


def _paragraph(lines, i, out) -> int:
    text = [lines[i]]
    i += 1
    while i < len(lines) and not _starts_block(lines[i]):
        text.append(lines[i])
        i += 1
    out.append({"kind": "paragraph", "spans": spans(" ".join(t.strip() for t in text))})
    return i


def _list(lines, i, out) -> int:
    items: list[list[str]] = []
    while i < len(lines) and lines[i].strip():
        match = _ITEM.match(lines[i])
        if match:
            items.append([match.group(1)])
        elif lines[i].startswith(" ") and items:
            items[-1].append(lines[i].strip())
        else:
            break
        i += 1
    ordered = bool(re.match(r"^\d+\.", lines[i - len(items)] if items else ""))
    out.append({"kind": "list", "ordered": ordered,
                "items": [spans(" ".join(item)) for item in items]})
    return i


def _table(lines, i, out) -> int:
    rows = []
    while i < len(lines) and lines[i].startswith("|"):
        cells = [c.strip() for c in lines[i].strip().strip("|").split("|")]
        if not all(re.fullmatch(r":?-+:?", c) for c in cells):
            rows.append([spans(c) for c in cells])
        i += 1
    out.append({"kind": "table", "header": rows[0] if rows else [], "rows": rows[1:]})
    return i


def spans(text: str) -> list[dict]:
    """Inline spans: {'kind': text|code|strong|link, 'text', 'href'}."""
    out, pos = [], 0
    for match in _INLINE.finditer(text):
        if match.start() > pos:
            out.append({"kind": "text", "text": text[pos:match.start()]})
        code, strong, label, href = match.groups()
        if code is not None:
            out.append({"kind": "code", "text": code})
        elif strong is not None:
            out.append({"kind": "strong", "text": strong})
        else:
            out.append(_link(label, href))
        pos = match.end()
    if pos < len(text):
        out.append({"kind": "text", "text": text[pos:]})
    return out


def _link(label: str, href: str) -> dict:
    """External links stay links; README-relative ones (docs/..., examples/...) become text,
    since those files are not part of the site."""
    if href.startswith(("http://", "https://")) and safe_href(href):
        return {"kind": "link", "text": label, "href": safe_href(href)}
    return {"kind": "text", "text": label, "href": None}
