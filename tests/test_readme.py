"""README's console examples are real: every output line README shows is what the tool prints.

Each ```console block of README.md is split into `$ estimator ...` commands and the lines shown
after each (up to the next `$` or the end of the block). Every command with shown output is run
in-process (click's CliRunner, as tests/golden/record.py does) and every shown line, whitespace
normalised, must appear among the lines the tool printed (stdout and stderr together). Lines that
are just "..." mark an abbreviation; a "..." inside a shown line stands for an omitted part of the
printed line. Commands that write files (--out) are skipped, as are commands marked
`# not reproducible` in README.

Run alone: python -m pytest tests/test_readme.py -q
"""

from __future__ import annotations

import shlex
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from click.testing import CliRunner

from estimator import profile_path
from estimator.cli import cli

README = Path(__file__).resolve().parents[1] / "README.md"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
ELLIPSIS = "..."
NOT_REPRODUCIBLE = "not reproducible"


@dataclass
class Example:
    """One `$ estimator ...` command of a README console block and the output lines it shows."""

    line_number: int
    command: str
    shown: list[str] = field(default_factory=list)

    @property
    def argv(self) -> list[str]:
        """The arguments after `estimator`, the trailing `# comment` removed (shlex rules)."""
        return shlex.split(self.command, comments=True)[1:]

    @property
    def skipped_because(self) -> str | None:
        if NOT_REPRODUCIBLE in self.command:
            return "README marks it not reproducible"
        if "--out" in self.argv:
            return "writes a file (--out)"
        return None


def console_blocks(text: str) -> list[tuple[int, list[str]]]:
    """(first line number, lines) of every ```console block in a markdown text."""
    blocks, current, start = [], None, 0
    for number, line in enumerate(text.splitlines(), start=1):
        if current is None and line.strip() == "```console":
            current, start = [], number + 1
        elif current is not None and line.strip().startswith("```"):
            blocks.append((start, current))
            current = None
        elif current is not None:
            current.append(line)
    return blocks


def examples_in(block_start: int, lines: list[str]) -> list[Example]:
    """The `$ estimator` commands of one console block (backslash continuations joined) with
    their shown output; other commands (`$ mkdir`, `$ python3`) end the previous command's
    output and are not collected."""
    found: list[Example] = []
    current: Example | None = None
    index = 0
    while index < len(lines):
        line, number = lines[index], block_start + index
        index += 1
        if line.startswith("$ "):
            command = line[2:]
            while command.rstrip().endswith("\\") and index < len(lines):
                command = command.rstrip()[:-1] + " " + lines[index].strip()
                index += 1
            current = Example(number, command) if command.startswith("estimator ") else None
            if current is not None:
                found.append(current)
        elif current is not None and _is_output(line):
            current.shown.append(line)
    return found


def _is_output(line: str) -> bool:
    """A shown output line: not blank, not a bare "...", not a comment continuing the command's
    `# ...` on the next line."""
    stripped = line.strip()
    return bool(stripped) and stripped != ELLIPSIS and not stripped.startswith("#")


def readme_examples(text: str) -> list[Example]:
    return [example for start, lines in console_blocks(text)
            for example in examples_in(start, lines)]


def normalised(line: str) -> str:
    return " ".join(line.split())


def line_is_printed(shown: str, printed_lines: list[str]) -> bool:
    """Whether a shown line is among the printed ones; each "..." in the shown line stands for an
    omitted part of the printed line (the other parts must appear in order)."""
    wanted = normalised(shown)
    if ELLIPSIS in wanted:
        parts = [normalised(part) for part in wanted.split(ELLIPSIS) if part.strip()]
        return any(_contains_in_order(printed, parts) for printed in printed_lines)
    return wanted in printed_lines


def _contains_in_order(printed: str, parts: list[str]) -> bool:
    position = 0
    for part in parts:
        found = printed.find(part, position)
        if found < 0:
            return False
        position = found + len(part)
    return True


EXAMPLES = [example for example in readme_examples(README.read_text(encoding="utf-8"))
            if example.shown]


def test_the_parser_finds_readme_examples():
    # README's first console block (the R1 check) shows output for `solve` and `run`; the
    # troubleshooting block shows three error lines. Fewer than 8 examples with output means the
    # parser, not README, broke.
    assert len(EXAMPLES) >= 8
    first = EXAMPLES[0]
    assert first.argv[:3] == ["solve", "--gpu", "H800"]
    assert any(example.shown[0].startswith("Error: gpu: unknown GPU 'H900'")
               for example in EXAMPLES)


def test_a_missing_line_is_detected():
    # The check must be able to fail: a changed number is not found.
    printed = [normalised("  verdict: inconsistent (expected inconsistent)")]
    assert line_is_printed("verdict: inconsistent (expected inconsistent)", printed)
    assert not line_is_printed("verdict: reproduced (expected inconsistent)", printed)
    assert line_is_printed("... (expected inconsistent)", printed)
    assert not line_is_printed("... (expected reproduced)", printed)
    assert line_is_printed("verdict: ... (expected inconsistent)", printed)
    assert not line_is_printed("(expected inconsistent) ... verdict:", printed)


def test_continuations_and_comments_are_parsed():
    lines = ["$ estimator new --price \"2 USD/h\" \\", "    --id r1 --out x.yaml   # comment",
             "                    # more comment", "shown", "...", "$ mkdir -p a", "not collected"]
    (example,) = examples_in(1, lines)
    assert example.argv == ["new", "--price", "2 USD/h", "--id", "r1", "--out", "x.yaml"]
    assert example.shown == ["shown"]
    assert example.skipped_because == "writes a file (--out)"


def prepare_example_folder(folder: Path) -> None:
    """The files README's examples refer to by relative path: `my-gpus/` (a copy of the H800
    profile, as README's `mkdir -p my-gpus && cp "$(estimator gpu path H800)" my-gpus/` makes it)
    and `broken/` (a profile with a misspelled key, tests/fixtures/profiles/broken)."""
    (folder / "my-gpus").mkdir()
    shutil.copy(profile_path("H800"), folder / "my-gpus")
    shutil.copytree(FIXTURES / "profiles" / "broken", folder / "broken")


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: f"README:{e.line_number}")
def test_readme_example_output_is_real(example: Example, tmp_path, monkeypatch):
    if example.skipped_because:
        pytest.skip(example.skipped_because)
    prepare_example_folder(tmp_path)
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, example.argv, catch_exceptions=False)
    printed = [normalised(line) for line in result.output.splitlines()]
    missing = [line for line in example.shown if not line_is_printed(line, printed)]
    assert not missing, (f"README.md:{example.line_number} `{example.command}` shows lines the "
                         f"tool does not print:\n" + "\n".join(missing)
                         + "\n--- the tool printed:\n" + result.output)
