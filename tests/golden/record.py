"""Golden outputs: what the tool printed before a refactor, asserted unchanged after it.

    python tests/golden/record.py        # re-record after an intended change (say why in git)

Each case is a command line run in-process; its JSON output is stored in cases.json. Dates are
pinned (--as-of) so the record does not depend on the day it runs.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).parent
AS_OF = ["--as-of", "2026-11-29"]

COMMANDS = [
    # scenarios are priced at their own date (issue 13): no --as-of needed to be stable
    ["check", "--format", "json"],
    ["check", "public", "--format", "json"],
    ["solve", "--gpu", "H800", "--count", "512", "--hours", "80", "--cost", "294000", *AS_OF],
    ["solve", "--gpu", "H800", "--count", "512", "--cost", "294000", "--price", "2", *AS_OF],
    ["solve", "--gpu", "H100", "--cost", "100M", "--hours", "2160", *AS_OF],
    ["cost", "--gpu", "H800", "--count", "512", "--hours", "80", "--price", "2", *AS_OF],
    ["cost", "--gpu", "H800,H100,A100", "--gpu-hours", "2.788M", *AS_OF],
    ["cost", "--gpu", "H800", "--gpu-hours", "2.788M", "--count", "2048", *AS_OF],
    ["cost", "--gpu", "H800", "--count", "512,2048", "--hours", "80,96", *AS_OF],
    ["cost", "--gpu", "H100", "--count", "8", "--hours", "3.7 days", "--price", "1.5:3", *AS_OF],
    ["cost", "--gpu", "H800", "--gpu-hours", "2.788M", "--price", "2", "--currency", "SEK",
     "--fx-date", "2025-01-31", *AS_OF],
    ["cost", "--gpu", "H100", "--gpu-hours", "1.3M", "--pue", "1.1", "--power-fraction", "1",
     "--carbon-intensity", "0.4 kg/kWh", *AS_OF],
    ["cost", "--gpu", "H100", "--gpu-hours", "1M", "--as-of", "2024-06-30"],
    ["gpus", *AS_OF],
    ["compute", "--params", "37B", "--tokens", "14.8T", "--gpu", "H800", "--gpu-hours", "2.664M",
     *AS_OF],
    ["compute", "--flop-per-token", "250G", "--tokens", "14.8T", "--gpu", "H800",
     "--gpu-hours", "2.664M", *AS_OF],
    ["compute", "--params", "37B", "--tokens", "14.8T", "--gpu", "H800", "--mfu", "0.3:0.45",
     "--count", "2048", "--price", "2", *AS_OF],
    ["own", "--gpu", "H100", "--count", "50000", *AS_OF],
    ["own", "--gpu", "H800", "--count", "2048", "--lifetime", "5y", "--utilisation", "0.9",
     "--price", "2", *AS_OF],
    ["convert", "5.576M USD", "--to", "SEK", "--on", "2025-01-31"],
    ["simulate", "--gpu", "H800", "--count", "512", "--hours", "70:90", "--samples", "20000",
     "--seed", "1", *AS_OF],
    ["simulate", "--scenario", "deepseek-r1-headline-512xh800-80h", "--samples", "20000",
     "--seed", "1"],
    ["sweep", "--gpu", "H100", "--count", "512,1024", "--hours", "80,96", *AS_OF],
    ["sweep", "--gpu", "H800,A100", "--count", "256..1024..256", "--hours", "24,48",
     "--price", "2", *AS_OF],
    # issue 24: the cost methods, the planner, the Markdown report and the attention term
    ["cost", "--gpu", "H100", "--count", "16384", "--gpu-hours", "30.84M", "--date", "2024-04-01",
     "--method", "cloud,amortised,acquisition", "--dollar-year", "2024", *AS_OF],
    ["cost", "--gpu", "H800", "--flop", "3.4e24", "--count", "2048", "--method", "amortised",
     "--scope", "development", *AS_OF],
    ["cost", "--gpu", "V100", "--count", "10000", "--hours", "14.8 days", "--date", "2020-01-28",
     "--method", "rental,cloud,amortised,acquisition", *AS_OF],
    ["cost", "--gpu", "V100", "--count", "10000", "--hours", "14.8 days", "--date", "2020-01-28",
     "--method", "cloud,amortised,acquisition", "--conventions", "epoch", *AS_OF],
    ["cost", "--gpu", "H100", "--flop", "3.8e25", "--date", "2024-04-01", *AS_OF],
    ["simulate", "--gpu", "H100", "--count", "1000", "--hours", "100", "--method", "cloud",
     "--date", "2024-06-01", "--samples", "20000", "--seed", "1", *AS_OF],
    ["plan", "--params", "70B", "--tokens", "2T", "--deadline", "30d", "--top", "5", *AS_OF],
    ["plan", "--params", "8B", "--tokens", "1T", "--gpu", "H100,A100", "--deadline", "60d",
     "--budget", "5M", "--top", "5", *AS_OF],
    ["report", "deepseek-r1-headline-512xh800-80h"],
    ["report", "deepseek-v3-final-run"],
    ["compute", "--params", "70B", "--tokens", "15T", "--layers", "80", "--hidden", "8192",
     "--seq-len", "8192", "--gpu", "H100", "--count", "16384", *AS_OF],
    ["compute", "--params", "37B", "--tokens", "14.8T", "--layers", "61", "--hidden", "7168",
     "--seq-len", "4096", "--gpu", "H800", "--gpu-hours", "2.664M", *AS_OF],
]


CHECKED_ON = re.compile(r"(Checked with estimator on )\d{4}-\d{2}-\d{2}")
"""The date a Markdown report was made (``report``'s footer): today, so left out of the record."""


def run(args: list[str]):
    from click.testing import CliRunner

    from estimator.cli import cli

    text_output = args[0] == "report"  # Markdown, stored as text
    if "--format" not in args and not text_output:
        args = [*args, "--format", "json"]
    if args[:2] == ["check", "public"]:
        from estimator.scenarios import builtin_scenario_dir

        args = ["check", str(builtin_scenario_dir() / "public"), *args[2:]]
    result = CliRunner().invoke(cli, args, catch_exceptions=False)
    if text_output:     # the report's footer names the day it ran: not part of the record
        return result.exit_code, CHECKED_ON.sub(r"\1<the day it ran>", result.stdout)
    if not result.stdout.strip():
        return result.exit_code, result.stdout
    return result.exit_code, json.loads(result.stdout)


def record() -> dict:
    return {" ".join(c): dict(zip(("exit_code", "output"), run(c))) for c in COMMANDS}


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[1]))
    data = record()
    (HERE / "cases.json").write_text(json.dumps(data, indent=1, sort_keys=True) + "\n")
    print(f"recorded {len(data)} cases", file=sys.stderr)
