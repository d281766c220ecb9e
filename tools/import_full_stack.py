"""Import dated rental prices from the git history of a public price catalog into the profiles.

Not part of the package: a re-runnable maintenance script (issue 23). The catalog is
docs/cloud-gpus/cloud-gpus.csv of https://github.com/the-full-stack/website, a hand-maintained
table of cloud GPU instances (columns Cloud, GPU Type, GPUs, On-demand, Spot, Name; prices in USD
per instance-hour) changed in 50-odd commits from 2022 to 2025. Each commit is a dated snapshot.
Usage, from the repository root, with a local clone (the script never uses the network):

    python tools/import_full_stack.py PATH/TO/website-clone-or-git-dir

What it does:

* walks the commits that changed the file, oldest first (``git log --format=%H %as``);
* keeps a row only when it names exactly one of our chips (:func:`profile_for`: the catalog's
  "A100 (80 GB)" or "H100 (80 GB)" does not say SXM or PCIe, so only instance names whose form
  factor is known are kept; the rest are left out);
* turns the On-demand cell into an ``on_demand`` observation and the Spot cell into a ``spot``
  one, as ``price_per_instance_hour`` with ``gpus_per_instance`` (1-GPU rows: per GPU-hour);
* dates each price by the commit that first shows it (a price carried unchanged into later
  commits is not repeated): date = as_of = the commit date; source = the file at that commit;
  confidence ``secondary`` (a community-maintained copy of the providers' price pages);
* drops an observation another list of the profile already holds (same provider, tier, date,
  price to the cent: Epoch AI's table cites some of these rows);
* writes the result as ``catalog_rental_prices`` between the marker comments below, replacing
  what an earlier run wrote.
"""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CATALOG = "docs/cloud-gpus/cloud-gpus.csv"
REPO_URL = "https://github.com/the-full-stack/website/blob"
BEGIN = "# BEGIN catalog_rental_prices: written by tools/import_full_stack.py, do not edit"
END = "# END catalog_rental_prices"

HYPERSCALERS = {"AWS": "AWS", "GCP": "Google Cloud", "Azure": "Microsoft Azure",
                "Oracle": "Oracle Cloud", "Oracle Cloud": "Oracle Cloud"}
"""Catalog cloud names of the hyperscalers -> the provider name used in the profiles."""

INSTANCES = [
    # (cloud, instance-name regex, GPU-type regex, profile id)
    ("AWS", r"^p4d\.", r"A100 \(40 ?GB\)", "nvidia-a100-sxm4-40gb"),
    ("AWS", r"^p4de\.", r"A100 \(80 ?GB\)", "nvidia-a100-sxm4-80gb"),
    ("AWS", r"^p5\.", r"H100", "nvidia-h100-sxm5-80gb"),
    ("AWS", r"^p3dn\.", r"V100 \(32 ?GB\)", "nvidia-v100-sxm2-32gb"),
    ("GCP", r"^a2-(highgpu|megagpu)-", r"A100 \(40 ?GB\)", "nvidia-a100-sxm4-40gb"),
    ("GCP", r"^a2-ultragpu-", r"A100 \(80 ?GB\)", "nvidia-a100-sxm4-80gb"),
    ("GCP", r"^a3-", r"H100", "nvidia-h100-sxm5-80gb"),
    ("Azure", r"^ND96asr", r"A100 \(40 ?GB\)", "nvidia-a100-sxm4-40gb"),
    ("Azure", r"^ND96amsr", r"A100 \(80 ?GB\)", "nvidia-a100-sxm4-80gb"),
    ("Azure", r"^NC\d+ads A100 v4", r"A100 \(80 ?GB\)", "nvidia-a100-pcie-80gb"),
    ("Azure", r"^ND.*H100 v5", r"H100", "nvidia-h100-sxm5-80gb"),
    ("Oracle", r"^BM\.GPU\.H100\.8", r"H100", "nvidia-h100-sxm5-80gb"),
    ("Oracle", r"^BM\.GPU\.A100-v2\.8", r"A100 \(80 ?GB\)", "nvidia-a100-sxm4-80gb"),
    ("Oracle", r"^BM\.GPU4\.8", r"A100 \(40 ?GB\)", "nvidia-a100-sxm4-40gb"),
]
"""Instances whose chip (and SXM/PCIe form) is known from the provider's instance family."""

LEFT_OUT_CLOUDS = {
    "Dataoorts": "not comparable list prices (issue 23, item 2): the catalog's Dataoorts rows "
                 "of 2024-02-27 price an H100 at 0.69, an A100 80GB at 0.55 and the GH200 at "
                 "0.88 per GPU-hour; the same snapshot's cheapest other H100 is Lambda's 1x "
                 "H100 PCIe at 1.99 and its 8-GPU H100 prices are 4.03-4.76, so these read as "
                 "floor prices of a dynamic allocation, not on-demand rates; the GH200 row was "
                 "the profile's only price and set a band 7x below the market",
}
"""Catalog clouds whose rows are left out, and why (printed by the script)."""


def profile_for(row: dict) -> str | None:
    """Our profile id for a catalog row, or None when the chip is not surely one of ours."""
    cloud, gpu, name = row["Cloud"].strip(), row["GPU Type"].strip(), row["Name"].strip()
    gpus = _count(row["GPUs"])
    if cloud in LEFT_OUT_CLOUDS:
        return None
    if re.fullmatch(r"GH200 \(96 ?GB\)", gpu):
        return "nvidia-gh200-96gb"
    if "H100 HGX" in gpu:
        return "nvidia-h100-sxm5-80gb"
    if "H100 PCIe" in gpu:
        return "nvidia-h100-pcie-80gb"
    if cloud == "Lambda" and re.fullmatch(r"H100 \(80 ?GB\)", gpu):
        # Lambda's single-GPU H100 is the PCIe card (issue 23); its 8-GPU H100 is HGX (SXM5)
        return {1: "nvidia-h100-pcie-80gb", 8: "nvidia-h100-sxm5-80gb"}.get(gpus)
    if cloud == "Lambda" and re.fullmatch(r"A100 \(80 ?GB\)", gpu) and gpus == 8:
        return "nvidia-a100-sxm4-80gb"           # gpu_8x_a100_80gb_sxm4, Lambda's only 80 GB
    for c, inst, kind, pid in INSTANCES:
        if cloud.startswith(c) and re.search(inst, name) and re.search(kind, gpu):
            return pid
    return None


def _count(cell: str) -> int | None:
    try:
        return int(float(cell))
    except ValueError:
        return None


def _price(cell: str) -> float | None:
    text = cell.strip().replace("$", "").replace(",", "")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if value > 0 else None


def commits(git_dir: Path) -> list[tuple[str, str]]:
    """(commit, ISO date) of every commit that changed the catalog, oldest first."""
    out = subprocess.run(["git", f"--git-dir={git_dir}", "log", "--reverse",
                          "--format=%H %as", "--", CATALOG],
                         capture_output=True, text=True, check=True).stdout
    return [tuple(line.split()) for line in out.splitlines() if line.strip()]


def snapshot(git_dir: Path, commit: str) -> list[dict]:
    text = subprocess.run(["git", f"--git-dir={git_dir}", "show", f"{commit}:{CATALOG}"],
                          capture_output=True, text=True, check=True).stdout
    return list(csv.DictReader(io.StringIO(text)))


def observations(git_dir: Path) -> dict[str, list[dict]]:
    """Profile id -> observations, each price at the first commit that shows it."""
    seen: set = set()
    out: dict[str, list[dict]] = {}
    for commit, date in commits(git_dir):
        for row in snapshot(git_dir, commit):
            pid = profile_for(row)
            gpus = _count(row["GPUs"])
            if pid is None or not gpus:
                continue
            for column, tier in (("On-demand", "on_demand"), ("Spot", "spot")):
                price = _price(row[column])
                if price is None:
                    continue
                key = (pid, row["Cloud"].strip(), row["Name"].strip(), gpus, tier, price)
                if key in seen:
                    continue
                seen.add(key)
                out.setdefault(pid, []).append(_observation(row, gpus, tier, price, commit, date))
    return out


def _observation(row: dict, gpus: int, tier: str, price: float, commit: str, date: str) -> dict:
    cloud, name = row["Cloud"].strip(), row["Name"].strip()
    label = name or f"{gpus}x {row['GPU Type'].strip()}"
    provider = f"{HYPERSCALERS.get(cloud, cloud)} {label}"
    obs = {"provider": provider, "tier": tier,
           "provider_class": "hyperscaler" if cloud in HYPERSCALERS else "neocloud"}
    if gpus == 1:
        obs["price_per_gpu_hour"] = price
    else:
        obs.update(price_per_instance_hour=price, gpus_per_instance=gpus)
    obs.update(currency="USD", date=date, source=f"{REPO_URL}/{commit}/{CATALOG}", as_of=date,
               confidence="secondary",
               note=f"the-full-stack cloud GPU table, row '{cloud}, {row['GPU Type'].strip()}, "
                    f"{gpus} GPUs, {name or 'no instance name'}'; first shown at this commit"
                    + ("; per instance-hour" if gpus > 1 else ""))
    return obs


def _key(o: dict) -> tuple:
    from estimator.bands import provider_key

    per_gpu = o.get("price_per_gpu_hour") or o["price_per_instance_hour"] / o["gpus_per_instance"]
    return (provider_key(o["provider"]), o["tier"], str(o["date"]), round(per_gpu, 2))


def existing_keys(profile_text: str) -> set:
    """Keys of the observations the profile's other lists already hold."""
    import yaml

    from estimator.bands import LEGACY_KINDS

    doc = yaml.safe_load(profile_text) or {}
    keys = set()
    for r in (doc.get("rental_prices") or []) + (doc.get("imported_rental_prices") or []):
        r = dict(r, tier=r.get("tier") or LEGACY_KINDS.get(r.get("kind")))
        keys.add(_key(r))
    return keys


def write(pid: str, found: list[dict]) -> int:
    path = ROOT / "hardware_profiles" / f"{pid}.yaml"
    text = path.read_text(encoding="utf-8")
    text = re.sub(re.escape(BEGIN) + r".*?" + re.escape(END) + r"\n?", "", text, flags=re.S)
    seen = existing_keys(text)
    lines = [BEGIN, "catalog_rental_prices:"]
    kept = 0
    for o in sorted(found, key=lambda o: (o["date"], o["provider"], o["tier"])):
        if _key(o) in seen:
            continue
        seen.add(_key(o))
        kept += 1
        lines.append("  - {" + ", ".join(f"{k}: {json.dumps(v)}" for k, v in o.items()) + "}")
    text = text.rstrip("\n") + "\n" + ("\n".join(lines + [END]) + "\n" if kept else "")
    path.write_text(text, encoding="utf-8")
    return kept


def main(argv: list[str]) -> int:
    sys.path.insert(0, str(ROOT))
    if len(argv) != 2:
        print(__doc__.split("\n\n")[2], file=sys.stderr)
        return 2
    git_dir = Path(argv[1])
    if (git_dir / ".git").exists():
        git_dir = git_dir / ".git"
    found = observations(git_dir)
    written = {p.stem for p in (ROOT / "hardware_profiles").glob("*.yaml")
               if BEGIN in p.read_text(encoding="utf-8")}
    for pid in sorted(set(found) | written):
        kept = write(pid, found.get(pid, []))
        print(f"{pid}: {kept} new observations ({len(found.get(pid, []))} catalog prices)")
    for cloud, why in LEFT_OUT_CLOUDS.items():
        print(f"left out: {cloud}: {why}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
