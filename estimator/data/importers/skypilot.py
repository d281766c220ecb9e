"""Read a SkyPilot catalog (``vms.csv`` of github.com/skypilot-org/skypilot-catalog) into
per-GPU rental observations.

The traps (../shared/data/skypilot/SOURCE.md), each handled here:

* ``Price`` / ``SpotPrice`` are USD per hour for the whole row (``AcceleratorCount`` GPUs):
  divided by the GPU count; 0 or empty means "no price" (counted, never free);
* ``SpotPrice`` -> tier ``spot``; a spot price above the on-demand one is left out and counted
  (every row of a GPU so: "the columns look swapped", e.g. RunPod L40S);
* GCP prices a GPU VM as a host row (``InstanceType``, no accelerator) plus an accelerator
  row (no ``InstanceType``); the VM costs the sum (host matched by machine type and zone;
  a missing or 0.0 host price, e.g. a4-highgpu for B200, leaves the row out, counted);
* GCP TPU slices are named by TensorCores on v4 and v5p (2 per chip), by chips on v5e and v6e;
  the 700.0 placeholder prices of some TPU v6e rows are left out, counted;
* exact duplicate rows (GCP TPU v4, RunPod 2x B200) are read once, counted;
* columns are read by name (their order differs by cloud); CRLF and a BOM are fine.

The catalog has no date: the caller passes it (``--as-of``).
"""

from __future__ import annotations

import datetime as dt
import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from estimator.data.importers.common import (
    ImportResult,
    map_names,
    money_column,
    per_row,
    recode,
    require_columns,
    summarise,
)
from estimator.data.importers.reading import (
    check_header,
    first_long_row,
    header_row,
    read_price_text,
)
from estimator.data.observations import infer_provider_class
from estimator.errors import DataFileError, InputError

NEEDED = ("AcceleratorName", "AcceleratorCount", "Price", "SpotPrice", "Region")
USED = (*NEEDED, "InstanceType", "AvailabilityZone")
"""The columns read (duplicates are rows equal in all of them)."""

CLOUDS = {"aws": "AWS", "gcp": "Google Cloud", "lambda": "Lambda", "runpod": "RunPod",
          "azure": "Azure", "oci": "Oracle Cloud"}
"""SkyPilot cloud folder / file prefix -> provider name."""

NAMES = {
    "A100": "nvidia-a100-sxm4-40gb", "A100-80GB": "nvidia-a100-sxm4-80gb",
    "H100": "nvidia-h100-sxm5-80gb", "H100-MEGA": "nvidia-h100-sxm5-80gb",
    "H200": "nvidia-h200-sxm-141gb", "B200": "nvidia-b200-sxm-180gb",
    "GB200": "nvidia-gb200-186gb", "L40S": "nvidia-l40s-48gb",
    "V100-32GB": "nvidia-v100-sxm2-32gb", "MI300X": "amd-mi300x",
    "tpu-v4": "google-tpu-v4", "tpu-v5litepod": "google-tpu-v5e", "tpu-v5p": "google-tpu-v5p",
    "tpu-v6e": "google-tpu-v6e",
}
"""SkyPilot accelerator name -> profile id (SkyPilot's A100 is the 40 GB SXM4 part; H100-MEGA
is GCP's a3-megagpu H100 SXM). V100 (16 GB), Gaudi, GH200 and B300 have no profile."""

RUNPOD_NAMES = {
    "A100-80GB": "nvidia-a100-pcie-80gb", "A100-80GB-SXM": "nvidia-a100-sxm4-80gb",
    "H100": "nvidia-h100-pcie-80gb", "H100-SXM": "nvidia-h100-sxm5-80gb",
    "H100-NVL": "nvidia-h100-nvl-94gb", "H200-SXM": "nvidia-h200-sxm-141gb",
}
"""RunPod's own names (its A100-80GB and H100 are the PCIe cards)."""

PCIE = {"nvidia-h100-sxm5-80gb": "nvidia-h100-pcie-80gb"}
"""An instance type naming 'pcie' (Lambda gpu_1x_h100_pcie) -> the PCIe profile."""

GCP_HOSTS = {("A100", 16): "a2-megagpu-16g", ("H100-MEGA", 8): "a3-megagpu-8g",
             ("H200", 8): "a3-ultragpu-8g", ("B200", 8): "a4-highgpu-8g",
             **{("A100", n): f"a2-highgpu-{n}g" for n in (1, 2, 4, 8)},
             **{("A100-80GB", n): f"a2-ultragpu-{n}g" for n in (1, 2, 4, 8)},
             **{("H100", n): f"a3-highgpu-{n}g" for n in (1, 2, 4, 8)}}
"""GCP (accelerator, count) -> the host machine type priced beside it (cloud.google.com/
compute/docs/gpus); V100 runs on n1 hosts, which the catalog lists per vCPU only."""

TPU = re.compile(r"^(tpu-v\d+[a-z]*)-(\d+)$")
CORES_PER_CHIP = {"tpu-v2": 2, "tpu-v3": 2, "tpu-v4": 2, "tpu-v5p": 2}
"""TensorCores per chip where a slice is named by cores (cloud.google.com/tpu/docs/v4,
/v5p); v5litepod (v5e) and v6e slices are named by chips."""

MAX_GPUS_PER_ROW = 100_000
"""Largest AcceleratorCount read [GPUs per row]: catalog instances have 1-16 GPUs (TPU slices,
counted in chips, up to a few thousand); more is a broken cell, not an instance."""

PLACEHOLDERS = (700.0,)
"""Prices SkyPilot writes for TPU v6e regions without a real price (SOURCE.md) [USD/h]."""


def cloud_of(path: str | Path, provider: str | None) -> tuple:
    """(cloud key, provider name): from ``provider``, else the file name or its folder."""
    path = Path(path)
    for candidate in ([provider] if provider else [path.stem, path.parent.name]):
        key = re.split(r"[-_.]", candidate.lower())[0]
        if key in CLOUDS:
            return key, (provider or CLOUDS[key])
    if provider:
        return provider.lower(), provider
    raise InputError(f"cannot tell which cloud {path.name} is from", key="provider",
                     hint="Pass --provider NAME (aws, gcp, lambda, runpod...); file names "
                          "like aws-vms.csv or aws/vms.csv are recognised.")


def read_skypilot(path, *, date: dt.date, provider: str | None = None, extra_names=None,
                  skip_unknown: bool = False, known_gpus=(),
                  encoding: str | None = None) -> ImportResult:
    """A SkyPilot ``vms.csv`` -> ImportResult of per-GPU observations (module doc)."""
    result = ImportResult(str(path), "skypilot")
    cloud, provider_name = cloud_of(path, provider)
    frame = _read(path, result, encoding)
    rows = pd.Series(frame.index + 2, index=frame.index)         # header is line 1
    duplicated = _duplicated(frame)
    result.dropped["duplicate rows"] += int(duplicated.sum())
    frame, rows = frame[~duplicated], rows[~duplicated]
    prices = pd.DataFrame({c: money_column(frame, c, result, rows) for c in ("Price",
                                                                            "SpotPrice")})
    for column in prices:
        placeholder = prices[column].isin(PLACEHOLDERS)
        result.dropped[f"placeholder {column} 700.0"] += int(placeholder.sum())
        prices[column] = prices[column].where(~placeholder)
    gpus, names = _gpus_and_names(frame, result, rows)
    if cloud == "gcp":
        prices = _add_gcp_hosts(frame, prices, result)
    per_gpu = prices.div(gpus, axis=0)
    per_gpu = _spot_checks(per_gpu, names, result)
    table = {**NAMES, **(RUNPOD_NAMES if cloud == "runpod" else {}), **(extra_names or {})}
    accel = names.notna()
    ids = map_names(names[accel], table, result, rows=rows, column="AcceleratorName",
                    skip_unknown=skip_unknown, choices=known_gpus)
    types = frame.get("InstanceType", pd.Series("", index=frame.index, dtype="category"))
    pcie = per_row(types, _is_pcie, False)[accel.to_numpy()]
    ids = _pcie_ids(ids, pcie)
    for column, tier in (("Price", "on_demand"), ("SpotPrice", "spot")):
        usd = per_gpu.loc[accel, column]
        keep = (usd.notna() & ids.notna()).to_numpy()
        part = pd.DataFrame({"gpu": ids[keep], "tier": pd.Categorical.from_codes(
            np.zeros(int(keep.sum()), dtype=np.int8), [tier]), "usd": usd[keep],
            "row": rows[accel][keep]})
        summarise(part, result, provider=provider_name,
                  provider_class=infer_provider_class(provider_name, tier), date=date,
                  what=f"SkyPilot catalog, {provider_name}, {column} / AcceleratorCount")
    _note_flags(result, table)
    return result


def _note_flags(result: ImportResult, table: dict) -> None:
    """Copy a GPU's spot-above-on-demand flag onto its on-demand observation."""
    for name, text in result.flags.items():
        for obs in result.observations:
            if obs["gpu"] == table.get(name) and obs["tier"] == "on_demand":
                obs["note"] = text


def _duplicated(frame: pd.DataFrame) -> pd.Series:
    """``frame.duplicated()`` (rows equal in every column, NaN equal to NaN), hashing the
    number and category columns of each row first: only rows whose hash repeats can be
    duplicates, and only those are compared in full."""
    row_hash = np.zeros(len(frame), dtype=np.uint64)
    for column in frame:
        values = _hashable(frame[column])
        if values is not None:
            row_hash = (row_hash ^ pd.util.hash_array(values)) * np.uint64(1099511628211)
    candidates = pd.Series(row_hash).duplicated(keep=False).to_numpy()
    out = np.zeros(len(frame), dtype=bool)
    if candidates.any():
        out[candidates] = frame[candidates].duplicated().to_numpy()
    return pd.Series(out, index=frame.index)


def _hashable(column: pd.Series):
    """A numpy array equal where cells are equal (categories by code, one NaN, -0.0 as
    0.0), or None for a text column (left to the full comparison)."""
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy()
    if column.dtype.kind in "iub":
        return column.to_numpy()
    if column.dtype.kind == "f":
        values = column.to_numpy()
        return np.where(np.isnan(values), np.nan, values) + 0.0
    return None


def _pcie_ids(ids: pd.Series, pcie: np.ndarray) -> pd.Series:
    """Profile ids with the PCIe part where the instance type says 'pcie' (PCIE)."""
    if not pcie.any():
        return ids
    ids = ids.astype(object)
    return ids.where(~pcie, ids.replace(PCIE)).astype("category")


def _is_pcie(instance_type: str) -> bool:
    return "pcie" in instance_type.lower()


NAME_COLUMNS = ("AcceleratorName", "InstanceType", "Region", "AvailabilityZone")
"""The columns of names (text)."""

DTYPES = {"AcceleratorName": "category", "InstanceType": "category",
          "AcceleratorCount": float, "Price": float, "SpotPrice": float}
"""Types given to the CSV parser: a catalog repeats a few dozen accelerator and instance
names over thousands of rows (categories: one look-up per name); Region and
AvailabilityZone have hundreds of values and stay text (cheaper to parse)."""


def _read(path, result: ImportResult, encoding: str | None = None) -> pd.DataFrame:
    """The USED columns of a catalog read by importers/reading.py (regular file, size cap,
    one encoding); duplicated columns and rows longer than the header are located errors."""
    text = read_price_text(path, encoding)
    header = [h.strip() for h in header_row(text, result.file)]
    check_header(header, result.file)
    require_columns(header, NEEDED, result, "a SkyPilot catalog (vms.csv)")
    raw = text.encode("utf-8", "surrogatepass")     # one copy, shared by both readers
    long = first_long_row(raw, len(header))
    if long is not None:         # pandas would drop the extra cells (or shift the columns)
        raise DataFileError(f"the row has more cells than the header's {len(header)} columns",
                            file=result.file, line=long,
                            hint="Quote cells that contain commas, or add the column to the "
                                 "header.")
    try:
        try:
            frame = _read_csv(raw, header, DTYPES)
        except (pd.errors.ParserError, pd.errors.EmptyDataError):
            raise
        except ValueError:          # a number column with text: money_column names the row
            frame = _read_csv(raw, header,
                              {c: t for c, t in DTYPES.items() if t == "category"})
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataFileError(f"cannot read the file as CSV: {exc}", file=result.file,
                            hint="Check the quotes and the number of cells of that row.") \
            from None
    return frame


def _read_csv(raw: bytes, header: list, dtypes: dict) -> pd.DataFrame:
    """The USED columns of a catalog (UTF-8 bytes; empty cell -> NaN, nothing else is
    'missing')."""
    return pd.read_csv(io.BytesIO(raw), encoding="utf-8-sig", header=0, names=header,
                       index_col=False,
                       usecols=lambda c: c in USED, dtype=dtypes, keep_default_na=False,
                       na_values=[""])


def _gpus_and_names(frame, result, rows) -> tuple:
    """(GPUs per row, accelerator family name per row): TPU slices become chips."""
    names = frame["AcceleratorName"]
    counts = money_column(frame, "AcceleratorCount", result, rows, what="a GPU count")
    result.dropped.pop("no AcceleratorCount (0 or empty)", None)
    chips = per_row(names, _tpu_chips, np.nan)
    gpu_rows = names.notna() & np.isnan(chips)
    bad = gpu_rows & counts.notna() & ((counts % 1 != 0) | (counts > MAX_GPUS_PER_ROW))
    if bad.any():
        first = bad.idxmax()
        raise DataFileError(f"AcceleratorCount {frame['AcceleratorCount'].loc[first]!r} is not "
                            f"a whole number of GPUs from 1 to {MAX_GPUS_PER_ROW:,}",
                            file=result.file, line=int(rows.loc[first]), key="AcceleratorCount",
                            hint="The count of GPUs in the instance (8 for p5.48xlarge).")
    no_count = gpu_rows & counts.isna()
    result.dropped["no AcceleratorCount (0 or empty)"] += int(no_count.sum())
    counts = counts.where(np.isnan(chips), chips)
    return counts, recode(names, _family)


def _tpu_chips(name: str) -> float:
    """Chips in a TPU slice named by cores or chips (NaN for a GPU name)."""
    match = TPU.match(name)
    return int(match[2]) / CORES_PER_CHIP.get(match[1], 1) if match else np.nan


def _family(name: str) -> str:
    """'tpu-v4-16' -> 'tpu-v4'; a GPU name as it is."""
    match = TPU.match(name)
    return match[1] if match else name


def _add_gcp_hosts(frame, prices, result) -> pd.DataFrame:
    """GCP: accelerator row price + its host row price, matched on machine type and zone;
    accelerator rows without a priced host are left out (counted). TPU rows stand alone."""
    frame = frame.astype({c: object for c in NAME_COLUMNS if c in frame})
    names, count = frame["AcceleratorName"], pd.to_numeric(frame["AcceleratorCount"],
                                                           errors="coerce")
    host_type = pd.Series([GCP_HOSTS.get((n, int(c))) if c == c else None
                           for n, c in zip(names, count)], index=frame.index, dtype=object)
    zone = frame.get("AvailabilityZone", frame["Region"])
    is_host = names.isna()
    host_prices = prices[is_host].assign(key=frame["InstanceType"][is_host] + "@"
                                         + zone[is_host])
    host_prices = host_prices.drop_duplicates("key").set_index("key")
    keys = host_type + "@" + zone
    out = prices.copy()
    needs_host = host_type.notna()
    for column in prices:
        host = keys.map(host_prices[column])
        missing = needs_host & out[column].notna() & host.isna()
        result.dropped[f"no priced GCP host row ({column})"] += int(missing.sum())
        out[column] = (out[column] + host.fillna(0)).where(~missing)
    unpaired = names.notna() & host_type.isna() & ~names.fillna("").str.startswith("tpu-")
    for column in prices:
        result.dropped[f"no GCP host type known ({column})"] += int(
            (unpaired & out[column].notna()).sum())
        out[column] = out[column].where(~unpaired)
    return out.where(~is_host)


def _spot_checks(per_gpu, names, result) -> pd.DataFrame:
    """Leave out spot prices above on-demand (counted); name GPUs where every row is so."""
    above = per_gpu["SpotPrice"] > per_gpu["Price"]
    result.dropped["SpotPrice above Price (spot left out)"] += int(above.sum())
    both = per_gpu["SpotPrice"].notna() & per_gpu["Price"].notna()
    for name in sorted(names[above].dropna().unique()):
        rows = both & (names == name)
        share = f"{int((above & rows).sum())} of {int(rows.sum())}"
        swapped = " (every row: the columns look swapped; check Price)" if (
            above[rows].all()) else ""
        result.flags[name] = f"SpotPrice above Price in {share} rows{swapped}"
        result.notes.append(f"{result.name}: {name}: {result.flags[name]}")
    return per_gpu.assign(SpotPrice=per_gpu["SpotPrice"].where(~above))
