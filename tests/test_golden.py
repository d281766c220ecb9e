"""The refactor guard: every recorded command still prints what it printed (tests/golden)."""

import json
import math

import pytest

from tests.golden.record import COMMANDS, HERE, run

CASES = json.loads((HERE / "cases.json").read_text())


def same(a, b, path="") -> list[str]:
    """Differences between two JSON values; numbers equal to 1e-9 relative."""
    if isinstance(a, dict) and isinstance(b, dict):
        out = [f"{path}.{k}: missing" for k in a.keys() - b.keys()]
        out += [f"{path}.{k}: added" for k in b.keys() - a.keys()]
        for k in a.keys() & b.keys():
            out += same(a[k], b[k], f"{path}.{k}")
        return out
    if isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} items, now {len(b)}"]
        return [d for i, (x, y) in enumerate(zip(a, b)) for d in same(x, y, f"{path}[{i}]")]
    if isinstance(a, (int, float)) and isinstance(b, (int, float)) and not isinstance(a, bool):
        return [] if math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12) else [f"{path}: {a} -> {b}"]
    return [] if a == b else [f"{path}: {a!r} -> {b!r}"]


@pytest.mark.parametrize("command", COMMANDS, ids=[" ".join(c)[:60] for c in COMMANDS])
def test_output_unchanged(command):
    expected = CASES[" ".join(command)]
    code, output = run(command)
    assert code == expected["exit_code"]
    differences = same(expected["output"], output)
    assert not differences, "\n".join(differences[:20])
