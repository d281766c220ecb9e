"""Citations in the code resolve for a user of the package (issue 24 item 6): a public URL,
a paper, or a file of this repository, never a file outside it."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CODE = [p for folder in ("estimator", "benchmarks", "tools") for p in (ROOT / folder).rglob("*")
        if p.suffix in {".py", ".yaml", ".md"}]


def test_no_citation_points_outside_the_repository():
    for path in CODE:
        text = path.read_text(encoding="utf-8")
        assert "shared/reference" not in text, path
        assert not re.search(r"per project reference|reference/[\w-]+\.md", text), path


def test_every_cited_doc_exists():
    cited = {name for path in CODE
             for name in re.findall(r"docs/([\w-]+\.md)", path.read_text(encoding="utf-8"))}
    assert "epoch-method.md" in cited
    for name in cited:
        assert (ROOT / "docs" / name).is_file(), name


def test_the_method_notes_cite_public_sources():
    notes = (ROOT / "docs" / "epoch-method.md").read_text(encoding="utf-8")
    for source in ("https://arxiv.org/abs/2405.21015",
                   "https://github.com/epoch-research/training-cost-trends",
                   "https://fred.stlouisfed.org/series/PCU518210518210"):
        assert source in notes
    sections = set(re.findall(r"^## (§[\d.]+)", notes, flags=re.M))
    for path in CODE:
        for section in re.findall(r"epoch-method\.md (§\d(?:\.\d)?)", path.read_text("utf-8")):
            assert any(s == section or s.startswith(section + ".") for s in sections), \
                (path, section)
