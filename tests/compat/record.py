"""The compatibility corpus: every scenario file main accepted before issue 22, with its verdicts.

    python tests/compat/record.py        # re-record after an intended verdict change (say why)

tests/compat/files/<blob>/<id>.yaml are byte copies of every version of every scenario file in
main's history up to 888dc48 (built-in scenarios/, scenarios/public/, tests/fixtures/scenarios/;
the directory is the first 8 hex digits of the git blob, so the file name stays the id), and the
two files the README's `estimator new` examples wrote at 888dc48. verdicts.json holds, per file,
where it came from and the verdict of each claim in file order, as recorded by 888dc48's code
(tests/compat/test_compat.py asserts them). One exception is noted in the file: the PaLM holdout
fixture did not run at 888dc48 (TPU v4 has no price before 2022-05-11, and its claims need none);
its verdicts are its own ``expect`` values, which it now gets.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).parent
FILES = HERE / "files"
VERDICTS = HERE / "verdicts.json"


def verdicts(path: Path) -> list:
    """'quantity: verdict' of each claim of one file, in file order."""
    from estimator.scenarios import load_scenario

    frame = load_scenario(path).run().frame()
    return [f"{row.quantity}: {row.verdict}" for row in frame.itertuples()]


def main() -> int:
    old = json.loads(VERDICTS.read_text()) if VERDICTS.exists() else {}
    out = {}
    for path in sorted(FILES.glob("*/*.yaml")):
        key = path.relative_to(FILES).as_posix()
        entry = dict(old.get(key, {}))
        entry["verdicts"] = verdicts(path)
        out[key] = entry
    VERDICTS.write_text(json.dumps(out, indent=1, sort_keys=True) + "\n")
    print(f"recorded {len(out)} files")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parent.parent))
    sys.exit(main())
