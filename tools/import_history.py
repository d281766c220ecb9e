"""Import dated rental prices from Epoch AI's Hardware prices.csv into the built-in profiles.

Not part of the package: a one-off, re-runnable maintenance script (a later issue builds
``estimator prices import``). Usage, from the repository root:

    python tools/import_history.py [PATH/TO/Hardware prices.csv]   # default ../shared/data/epoch

What it does:

* reads the CSV as utf-8-sig with the csv module (BOM, quoted cells with newlines);
* keeps rows whose ``Hardware model`` (and, where Epoch's name is coarse, the instance
  description) names exactly one of our chips (:func:`profile_for`; see MAPPED and the
  comments there for what is left out and why);
* turns each price column into one observation: ``on-demand`` -> tier ``on_demand``,
  ``1-year CUD`` -> ``commit_1y``, ``3-year CUD`` -> ``commit_3y`` (already USD per
  chip-hour in Epoch's file); marketplaces (vast.ai, Salad) -> tier ``marketplace``;
* source = the row's own archive URL + "via Epoch AI Hardware prices.csv, row N" (N counts
  data rows from 1, in file order, header excluded); date = the row's ``Price date``;
  as_of = the same date (the date the archived page shows); confidence ``faithful-copy``;
* drops a row that repeats an observation already in the profile (same provider, tier,
  date and price to the cent, hand-entered or from an earlier row: e.g. Azure's NC24ads,
  NC48ads and NC96ads A100 v4 rows of one day are one price);
* writes the result into each profile as the ``imported_rental_prices`` list, between the
  marker comments below, replacing what an earlier run wrote; hand-written keys are never
  touched.

SkyPilot's catalogs (../shared/data/skypilot) are left out of the built-in history: their
extraction date is unknown (SOURCE.md: "after mid-2025"), and every built-in scenario is
dated on or before 2025-09-19, so a guessed date would either price past claims with later
prices or misdate the observations.
"""

from __future__ import annotations

import csv
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CSV = ROOT.parent / "shared" / "data" / "epoch" / "Hardware prices.csv"
BEGIN = "# BEGIN imported_rental_prices: written by tools/import_history.py, do not edit"
END = "# END imported_rental_prices"

MAPPED = {
    "NVIDIA H100 SXM5 80GB": "nvidia-h100-sxm5-80gb",
    "NVIDIA H200 SXM": "nvidia-h200-sxm-141gb",
    "NVIDIA H800 SXM5": "nvidia-h800-sxm5-80gb",
    "NVIDIA A100 SXM4 80 GB": "nvidia-a100-sxm4-80gb",
    "NVIDIA A100 SXM4 40 GB": "nvidia-a100-sxm4-40gb",
    "NVIDIA H100 NVL": "nvidia-h100-nvl-94gb",
    "NVIDIA L40S": "nvidia-l40s-48gb",
    "Google TPU v3": "google-tpu-v3",
    "Google TPU v4": "google-tpu-v4",
    "Google TPU v5e": "google-tpu-v5e",
    "Google TPU v6e Trillium": "google-tpu-v6e",
}
"""Epoch hardware names that name exactly one of our chips."""

LEFT_OUT = {
    "NVIDIA Tesla V100 SXM2 16 GB": "16 GB: a different memory size from our V100 SXM2 32GB",
    "NVIDIA Tesla V100 PCIe 16 GB": "PCIe 16 GB: no profile",
    "NVIDIA A800 PCIe": "PCIe: our A800 profile is the SXM4 80GB part",
    "Google TPU v2": "no profile",
}
"""Epoch names with prices that are not ours, and why (printed by the script)."""

CORRECTIONS = {
    326: {"profile": "nvidia-h100-pcie-80gb",
          "why": "moved from H100 SXM5: Lambda's $1.99 of June 2023 was its 1x H100 PCIe price "
                 "(its 8x H100 SXM was $2.59 that month); Epoch files it under H100 SXM5 80GB"},
    327: {"tier": "commit_1y",
          "why": "not on-demand: Databricks' MPT-30B post prices H100s at 'current MosaicML "
                 "reserved cluster pricing'; a reserved cluster's term is not stated, filed as "
                 "commit_1y, the shortest commitment tier"},
}
"""Epoch rows (numbered as in ``source``) that Epoch mislabels, and how they are filed here
(issue 23): another profile and/or another tier, with the reason appended to the note."""

HYPERSCALERS = {"Amazon Web Services", "Microsoft Azure", "Google Cloud", "Oracle Cloud"}
MARKETPLACES = {"vast.ai", "Salad"}
COLUMNS = {"Price per chip-hour (on-demand)": "on_demand",
           "Price per chip-hour (1-year CUD)": "commit_1y",
           "Price per chip-hour (3-year CUD)": "commit_3y"}


def profile_for(row: dict) -> str | None:
    """Our profile id for an Epoch row, or None when the chip is not surely one of ours."""
    name, vendor = row["Hardware model"], row["Vendor"]
    text = f"{row['Cloud GPU description']} {row['Notes']}"
    if name in MAPPED:
        return MAPPED[name]
    if name == "NVIDIA H100 PCIe":
        # H100 PCIe is 80 GB; a "94GB" H100 PCIe is the H100 NVL
        return "nvidia-h100-nvl-94gb" if "94GB" in text else "nvidia-h100-pcie-80gb"
    if name == "NVIDIA A100 PCIe":
        if "NC24ads A100 v4" in text or "80GB" in text.replace(" ", ""):
            return "nvidia-a100-pcie-80gb"       # Azure NC A100 v4: A100 PCIe 80GB
        return "nvidia-a100-pcie-40gb" if "40GB" in text.replace(" ", "") else None
    if name == "NVIDIA A100":                    # coarse name: only known instances
        if re.search(r"NC\d+ads A100 v4", text):
            return "nvidia-a100-pcie-80gb"
        if "ND96amsr" in text:
            return "nvidia-a100-sxm4-80gb"
        if "ND96asr" in text or "p4d.24xlarge" in text:
            return "nvidia-a100-sxm4-40gb"       # ND96asr A100 v4 and p4d: A100 SXM4 40GB
        return None
    if name == "NVIDIA Tesla V100 DGXS 32 GB" and vendor == "Amazon Web Services":
        return "nvidia-v100-sxm2-32gb"           # AWS's only 32 GB V100 is p3dn (SXM2 32GB)
    if name == "NVIDIA V100" and "ND40rs v2" in text:
        return "nvidia-v100-sxm2-32gb"           # Azure ND40rs v2: 8x V100 SXM2 32GB
    return None


def provider_class(vendor: str) -> str:
    if vendor in HYPERSCALERS:
        return "hyperscaler"
    return "marketplace" if vendor in MARKETPLACES else "neocloud"


def observations(rows: list[dict]) -> dict[str, list[dict]]:
    """Profile id -> observation mappings (the profile file's row format)."""
    out: dict[str, list[dict]] = {}
    for number, row in enumerate(rows, start=1):
        pid = profile_for(row)
        if pid is None or not row["Price date"].strip():
            continue
        for column, tier in COLUMNS.items():
            price = _price(row[column])
            if price is None:
                continue
            if row["Vendor"] in MARKETPLACES:
                tier = "marketplace"
            fix = CORRECTIONS.get(number, {})
            obs = _observation(row, number, fix.get("tier", tier), price)
            if fix:
                obs["note"] = f"{obs['note']} [correction: {fix['why']}]"
            out.setdefault(fix.get("profile", pid), []).append(obs)
    return out


def _price(cell: str) -> float | None:
    """USD per chip-hour, or None for an empty or zero cell (no price)."""
    text = cell.strip().replace("$", "").replace(",", "")
    if not text:
        return None
    value = float(text)
    return value if value > 0 else None


def _observation(row: dict, number: int, tier: str, price: float) -> dict:
    vendor = row["Vendor"].strip() or "unknown vendor"
    location = row["Location"].strip()
    described = " ".join(f"{row['Cloud GPU description']} {row['Notes']}".split())
    note = f"Epoch: {row['Hardware model']}" + (f"; {described[:160]}" if described else "")
    return {
        "provider": vendor + (f" ({location})" if location else ""),
        "tier": tier, "provider_class": provider_class(vendor),
        "price_per_gpu_hour": price, "currency": "USD", "date": row["Price date"].strip(),
        "source": f"{row['Price source'].strip()} via Epoch AI Hardware prices.csv, row {number}",
        "as_of": row["Price date"].strip(), "confidence": "faithful-copy", "note": note,
    }


def existing_keys(profile_text: str) -> set:
    """(provider key, tier, date, cents) of the hand-entered rental prices of a profile."""
    import yaml

    sys.path.insert(0, str(ROOT))
    from estimator.bands import LEGACY_KINDS, provider_key

    doc = yaml.safe_load(profile_text) or {}
    keys = set()
    for r in doc.get("rental_prices") or []:
        per_gpu = r.get("price_per_gpu_hour") or (
            r["price_per_instance_hour"] / r["gpus_per_instance"])
        tier = r.get("tier") or LEGACY_KINDS.get(r.get("kind"))
        keys.add((provider_key(r["provider"]), tier, str(r["date"]), round(per_gpu, 2)))
    return keys


def _key(o: dict) -> tuple:
    from estimator.bands import provider_key

    return (provider_key(o["provider"]), o["tier"], o["date"], round(o["price_per_gpu_hour"], 2))


def render(found: list[dict], seen: set) -> tuple[str, int]:
    """The marked block for one profile, and how many observations it holds."""
    lines = [BEGIN, "imported_rental_prices:"]
    kept = 0
    for o in sorted(found, key=lambda o: (o["date"], o["provider"], o["tier"])):
        if _key(o) in seen:
            continue
        seen.add(_key(o))
        kept += 1
        lines.append("  - {" + ", ".join(f"{k}: {json.dumps(v)}" for k, v in o.items()) + "}")
    if kept == 0:
        return "", 0
    return "\n".join(lines + [END]) + "\n", kept


def write(pid: str, found: list[dict]) -> int:
    path = ROOT / "hardware_profiles" / f"{pid}.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(re.escape(BEGIN) + r".*?" + re.escape(END) + r"\n?", "", text, flags=re.S)
    block, kept = render(found, existing_keys(text))
    text = text.rstrip("\n") + "\n" + (block if block else "")
    path.write_text(text, encoding="utf-8")
    return kept


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    csv_path = Path(argv[1]) if len(argv) > 1 else DEFAULT_CSV
    with open(csv_path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    found = observations(rows)
    for pid in sorted(found):
        print(f"{pid}: {write(pid, found[pid])} new observations "
              f"({len(found[pid])} Epoch prices)")
    for name, why in LEFT_OUT.items():
        print(f"left out: {name}: {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
