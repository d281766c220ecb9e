"""Safe output files: atomic writes (temporary file, then rename), never over an existing
file without ``force``, never over an input of the command."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from .errors import InputError

TABLE_SUFFIXES = (".csv", ".parquet")


def check_target(path, *, force: bool = False, inputs=()) -> Path:
    """Validate an output path; returns it as a Path."""
    target = Path(path)
    resolved = target.resolve()
    if any(resolved == Path(p).resolve() for p in inputs):
        raise InputError(f"{target} is an input of this command; refusing to overwrite it",
                         key="out", hint="Choose another --out file.")
    if target.is_dir():
        raise InputError(f"{target} is a folder", key="out", hint="Give a file name.")
    if target.exists() and not force:
        raise InputError(f"{target} already exists", key="out",
                         hint="Use --force to replace it, or choose another --out file.")
    if not target.parent.exists():
        raise InputError(f"folder {target.parent} does not exist", key="out")
    return target


@contextlib.contextmanager
def atomic_path(path, *, force: bool = False, inputs=()):
    """Yield a temporary path next to ``path``; rename it over ``path`` on success only."""
    target = check_target(path, force=force, inputs=inputs)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    try:
        yield Path(tmp)
        os.chmod(tmp, _mode_for(target))
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def _mode_for(target: Path) -> int:
    """The permissions a plain open() would give (mkstemp makes files 0600)."""
    if target.exists():
        return target.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_text(path, text: str, *, force: bool = False, inputs=()) -> None:
    """Write ``text`` to ``path`` atomically."""
    with atomic_path(path, force=force, inputs=inputs) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_bytes(path, data: bytes, *, force: bool = False, inputs=()) -> None:
    with atomic_path(path, force=force, inputs=inputs) as tmp:
        tmp.write_bytes(data)


@contextlib.contextmanager
def chunk_writer(path, *, force: bool = False):
    """Yield write(frame) that appends DataFrame chunks to a .csv or .parquet file."""
    suffix = Path(path).suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise InputError(f"cannot write {suffix or 'a file without suffix'}", key="out",
                         hint="Use a .csv or .parquet file name.")
    if suffix == ".parquet":
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise InputError("writing Parquet needs pyarrow", key="out",
                             hint="pip install 'training-cost-estimator[parquet]', or use .csv."
                             ) from None
    with atomic_path(path, force=force) as tmp:
        if suffix == ".csv":
            with open(tmp, "w", encoding="utf-8", newline="") as handle:
                first = [True]

                def write(frame):
                    frame.to_csv(handle, header=first[0], index=False)
                    first[0] = False

                yield write
        else:
            holder: dict = {}

            def write(frame):
                table = pa.Table.from_pandas(frame, preserve_index=False)
                if "writer" not in holder:
                    holder["writer"] = pq.ParquetWriter(tmp, table.schema)
                holder["writer"].write_table(table)

            try:
                yield write
            finally:
                if "writer" in holder:
                    holder["writer"].close()
