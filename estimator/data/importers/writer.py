"""Write imported observations as observation files (data/observation_files.py) into a
folder, all or nothing: every file is written to a temporary folder beside the target, then
moved into place; nothing is left half-written on an error (render/writers.py rules: never
over a data file the tool reads, never over an existing file without ``force``)."""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import re
import shutil
import tempfile
from pathlib import Path

from estimator.errors import InputError
from estimator.render.writers import check_target

KEY_ORDER = ("gpu", "provider", "provider_class", "tier", "price_per_gpu_hour",
             "price_min_per_gpu_hour", "price_max_per_gpu_hour", "rows_used",
             "gpus_per_instance", "currency", "date", "as_of", "confidence", "source", "note")


def _scalar(value) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool) or value is None:
        return json.dumps(value)
    if isinstance(value, (int, float)):
        return repr(value)
    return json.dumps(str(value), ensure_ascii=False)     # a JSON string is YAML too


def observation_yaml(result) -> str:
    """One ImportResult as the text of an observation file."""
    lines = [f"# Imported by `estimator prices import --format {result.format}` from "
             f"{result.name}.", f"format: {result.format}",
             f"imported_from: [{_scalar(result.name)}]"]
    dropped = {k: v for k, v in sorted(result.dropped.items()) if v}
    lines.append("dropped:" + ("" if dropped else " {}"))
    lines += [f"  {_scalar(k)}: {v}" for k, v in dropped.items()]
    lines.append("observations:" + ("" if result.observations else " []"))
    for obs in result.observations:
        keys = [k for k in KEY_ORDER if k in obs]
        lines += [("  - " if i == 0 else "    ") + f"{k}: {_scalar(obs[k])}"
                  for i, k in enumerate(keys)]
    return "\n".join(lines) + "\n"


def file_name(result) -> str:
    """``aws-vms.csv`` -> ``aws-vms.yaml`` (a name safe on every file system)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", Path(result.file).stem) + ".yaml"


def write_folder(results, out, *, force: bool = False, inputs=(),
                 profiles=None) -> list[Path]:
    """Write one observation file per result into folder ``out``; returns the paths.

    Refused (render/protected.py): a folder the tool reads, i.e. a folder of ``inputs``,
    ``profiles`` (--profiles/--prices), $ESTIMATOR_PROFILES/$ESTIMATOR_PRICES, or the
    built-in data; a new observation file there would be read as data by the next run."""
    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out} is a file, not a folder", key="out",
                         hint="--out names a folder for the observation files.")
    names = [file_name(r) for r in results]
    if len(set(names)) != len(names):
        raise InputError("two input files would write the same observation file",
                         key="file", hint="Rename one of the inputs.")
    targets = [check_target(out / n, force=force, inputs=inputs,
                            profiles=profiles) for n in names]
    parent = out.parent if not out.exists() else out
    parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".part", dir=parent))
    try:
        for result, name in zip(results, names):
            (tmp / name).write_text(observation_yaml(result), encoding="utf-8")
        if not out.exists():
            os.rename(tmp, out)
            return targets
        for name, target in zip(names, targets):
            os.replace(tmp / name, target)
        return targets
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(tmp) if tmp.exists() else None
