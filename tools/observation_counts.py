"""Count the built-in rental observations per GPU x year x tier x provider class.

Not part of the package: a maintenance aid for the price-data work of issue 23. Usage, from the
repository root (prints a Markdown table; `--quarters` counts per quarter and marks the quarters
since the GPU's first observation that have fewer than 3 observations or 1 provider):

    python tools/observation_counts.py [--quarters] [GPU ...]
"""

from __future__ import annotations

import sys
from collections import defaultdict

from estimator.bands import provider_key
from estimator.data.profiles import load_profiles


def rows(names, per_quarter: bool):
    profiles = load_profiles()
    chosen = [profiles.get(n) for n in names] if names else list(profiles)
    for p in sorted(chosen, key=lambda p: p.id):
        cells = defaultdict(list)
        for o in p.rental:
            if o.assumption:
                continue
            period = (f"{o.date.year}Q{(o.date.month - 1) // 3 + 1}" if per_quarter
                      else str(o.date.year))
            cells[(period, o.tier, o.provider_class)].append(provider_key(o.provider))
        for (period, tier, cls), provs in sorted(cells.items()):
            yield p.id, period, tier, cls, len(provs), len(set(provs))


def main(argv) -> int:
    per_quarter = "--quarters" in argv
    names = [a for a in argv if not a.startswith("--")]
    print("| profile | period | tier | class | observations | providers |")
    print("|---|---|---|---|---|---|")
    for r in rows(names, per_quarter):
        print("| " + " | ".join(str(x) for x in r) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
