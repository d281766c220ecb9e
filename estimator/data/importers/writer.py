"""Write imported observations as observation files (data/observation_files.py) into a
folder, all or nothing: every file is written to a temporary folder beside the target, then
moved into place; nothing is left half-written on an error (data/writers.py rules: never
over a data file the tool reads, never over an existing file without ``force``)."""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import json
import os
import re
import shutil
from pathlib import Path

from estimator import clock
from estimator.data.files import MAX_FILE_BYTES
from estimator.data.observation_files import parse_observation_file
from estimator.data.writers import check_target, make_folders, temp_folder
from estimator.data.yamlio import loads
from estimator.errors import DataFileError, InputError

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


def observation_yaml(result, starts: list | None = None) -> str:
    """One ImportResult as the text of an observation file; ``starts`` (if given) receives
    the line where each observation begins."""
    lines = [f"# Imported by `estimator prices import --format {result.format}` from "
             f"{result.name}.", f"format: {result.format}",
             f"imported_from: [{_scalar(result.name)}]"]
    dropped = {k: v for k, v in sorted(result.dropped.items()) if v}
    lines.append("dropped:" + ("" if dropped else " {}"))
    lines += [f"  {_scalar(k)}: {v}" for k, v in dropped.items()]
    lines.append("observations:" + ("" if result.observations else " []"))
    for obs in result.observations:
        if starts is not None:
            starts.append(len(lines) + 1)
        keys = [k for k in KEY_ORDER if k in obs]
        lines += [("  - " if i == 0 else "    ") + f"{k}: {_scalar(obs[k])}"
                  for i, k in enumerate(keys)]
    return "\n".join(lines) + "\n"


def file_name(result) -> str:
    """``aws-vms.csv`` -> ``aws-vms.yaml`` (a name safe on every file system)."""
    return re.sub(r"[^A-Za-z0-9._-]+", "_", Path(result.file).stem) + ".yaml"


def verified_yaml(result, today: dt.date, gpu_known) -> str:
    """The observation file of ``result``, read back by the loader ``--prices`` uses: an
    observation the tool would refuse (a price beyond the limits, a date in the future, a
    file beyond the size cap, an unknown GPU...) is a DataFileError naming the input file
    and row, so nothing the tool refuses is ever written."""
    for obs in result.observations:
        if obs["date"] > today:
            raise DataFileError(f"the date {obs['date'].isoformat()} is in the future (today "
                                f"is {today.isoformat()})", file=result.file,
                                line=obs.get("_line"), key="date",
                                hint="Prices are observations: date a quote by the day it "
                                     "was given; a future price would never be used.")
    starts: list = []
    text = observation_yaml(result, starts)
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise DataFileError(f"the import would write {len(result.observations):,} observations "
                            f"({len(text.encode('utf-8')):,} bytes), more than an observation "
                            f"file may hold ({MAX_FILE_BYTES:,} bytes)", file=result.file,
                            hint="Split the file, or import a catalog (--format skypilot "
                                 "summarises its rows).")
    name = f"{result.file} (as imported)"
    try:
        parsed = parse_observation_file(loads(text, file=name), name)
        for i, (gpu, _, _) in enumerate(parsed):
            if not gpu_known(gpu):
                raise DataFileError(f"unknown GPU {gpu!r}", file=name, line=starts[i])
    except DataFileError as exc:
        index = bisect.bisect_right(starts, exc.line or 0) - 1
        row = result.observations[index].get("_line") if index >= 0 else None
        raise DataFileError(f"this row would be written as an observation the tool refuses: "
                            f"{exc.message}", file=result.file, line=row,
                            key=re.sub(r"^observations\[\d+\]\.?", "", exc.key or "") or None,
                            hint=exc.hint) from None
    return text


def write_folder(results, out, *, force: bool = False, inputs=(),
                 profiles=None, today: dt.date | None = None,
                 gpu_known=lambda name: True) -> list[Path]:
    """Write one observation file per result into folder ``out``; returns the paths.

    Each file is checked first (:func:`verified_yaml`). Refused (data/protected.py): a
    folder the tool reads, i.e. a folder of ``inputs``, ``profiles`` (--profiles/--prices),
    $ESTIMATOR_PROFILES/$ESTIMATOR_PRICES, or the built-in data; a new observation file
    there would be read as data by the next run."""
    if str(out).strip() == "":
        raise InputError("an empty path names no folder", key="out",
                         hint="Give a folder for the observation files, e.g. --out my-prices.")
    out = Path(out)
    if out.is_symlink() and not out.exists():
        raise InputError(f"{out} is a symbolic link to a missing path", key="out",
                         hint="Remove the link or choose another --out folder.")
    if out.exists() and not out.is_dir():
        raise InputError(f"{out} is a file, not a folder", key="out",
                         hint="--out names a folder for the observation files.")
    names = [file_name(r) for r in results]
    if len(set(names)) != len(names):
        raise InputError("two input files would write the same observation file",
                         key="file", hint="Rename one of the inputs.")
    texts = [verified_yaml(r, today or clock.today(), gpu_known) for r in results]
    targets = [check_target(out / n, force=force, inputs=inputs,
                            profiles=profiles) for n in names]
    make_folders(out.parent if not out.exists() else out)
    tmp = temp_folder(out if not out.exists() else out / ".import")
    try:
        for text, name in zip(texts, names):
            (tmp / name).write_text(text, encoding="utf-8")
        if not out.exists():
            os.rename(tmp, out)
            return targets
        for name, target in zip(names, targets):
            os.replace(tmp / name, target)
        return targets
    except OSError as exc:
        raise InputError(f"cannot write {out}: {exc.strerror}", key="out") from None
    finally:
        with contextlib.suppress(OSError):
            shutil.rmtree(tmp) if tmp.exists() else None
