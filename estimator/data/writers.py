"""Safe output files for every ``--out``: never over a data file the tool reads (with or
without ``force``), never over an existing file without ``force`` (atomically: of two writers
started together exactly one succeeds), no temporary file left behind on an error, SIGTERM or
Ctrl-C, and missing folders created (one rule for every command, like ``mkdir -p``)."""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from estimator.data.interrupts import cleanup_on_signals
from estimator.data.protected import protected_reason
from estimator.errors import InputError

TABLE_SUFFIXES = (".csv", ".parquet")


def check_target(path, *, force: bool = False, inputs=(), profiles=None) -> Path:
    """Validate an output path; returns it as a Path.

    ``inputs`` are files or folders this command reads besides the built-in data, the
    ``$ESTIMATOR_PROFILES`` folders and ``profiles`` (all protected, see protected.py).
    """
    target = Path(path)
    if str(path) == "" or target.name in ("", ".", ".."):
        raise InputError(f"{str(path)!r} is not a file name", key="out",
                         hint="Give a file name, e.g. --out result.csv.")
    reason = protected_reason(target, inputs=inputs, profiles=profiles)
    if reason:
        raise InputError(f"{target} {reason}; refusing to write there", key="out",
                         hint="Choose another --out file (--force does not change this).")
    if target.is_dir():
        raise InputError(f"{target} is a folder", key="out", hint="Give a file name.")
    if (target.exists() or target.is_symlink()) and not force:
        raise InputError(f"{target} already exists", key="out",
                         hint="Use --force to replace it, or choose another --out file.")
    _check_folder(target.parent)
    return target


def _check_folder(folder: Path) -> None:
    """Refuse a parent that exists but is not a folder (a missing one is created later)."""
    for part in [folder, *folder.parents]:
        if part.exists():
            if not part.is_dir():
                raise InputError(f"{part} is a file, not a folder", key="out",
                                 hint="Choose another --out path.")
            return


def part_prefix(target: Path) -> str:
    """The name prefix of ``target``'s temporary ``.part`` files and folders: the writing
    process's id is in it, so a later run can tell one left by a killed process."""
    return f".{target.name}.{os.getpid()}-"


def remove_stale_parts(target: Path) -> None:
    """Remove ``.part`` files and folders beside ``target`` that a process which no longer
    runs left behind (SIGKILL gives no chance to clean up); those of live processes (another
    import or site build writing right now) stay."""
    prefix = f".{target.name}."
    try:
        entries = list(os.scandir(target.parent))
    except OSError:
        return
    for entry in entries:
        if not (entry.name.startswith(prefix) and entry.name.endswith((".part", ".old"))):
            continue
        pid = entry.name[len(prefix):].partition("-")[0]
        if not pid.isdigit() or _running(int(pid)):
            continue
        with contextlib.suppress(OSError):
            if entry.is_dir(follow_symlinks=False):
                shutil.rmtree(entry.path)
            else:
                os.unlink(entry.path)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:             # exists, owned by someone else
        return True
    return True


def temp_folder(target: Path) -> Path:
    """A new empty ``.part`` folder beside ``target`` (stale ones removed first); an
    InputError naming --out when the folder cannot be written (/proc, read-only...)."""
    remove_stale_parts(target)
    try:
        return Path(tempfile.mkdtemp(prefix=part_prefix(target), suffix=".part",
                                     dir=target.parent))
    except OSError as exc:
        raise InputError(f"cannot write in folder {target.parent}: {exc.strerror}",
                         key="out") from None


def make_folders(folder: Path) -> list[Path]:
    """Create ``folder`` and missing parents; returns the ones created (deepest last)."""
    missing = []
    for part in [folder, *folder.parents]:
        if part.exists():
            break
        missing.append(part)
    for part in reversed(missing):
        try:
            part.mkdir()
        except FileExistsError:
            pass
        except OSError as exc:
            raise InputError(f"cannot create folder {part}: {exc.strerror}", key="out") from None
    return list(reversed(missing))


def _remove_empty(folders: list[Path]) -> None:
    for part in reversed(folders):
        with contextlib.suppress(OSError):
            part.rmdir()


@contextlib.contextmanager
def atomic_path(path, *, force: bool = False, inputs=(), profiles=None):
    """Yield a temporary path next to ``path``; publish it as ``path`` on success only.

    Without ``force`` the file is published with ``os.link``, which fails if ``path`` appeared
    meanwhile, so two writers cannot both succeed; with ``force``, ``os.replace``. The
    temporary file is removed on any error and on SIGTERM/SIGHUP/SIGINT (see interrupts.py).
    """
    target = check_target(path, force=force, inputs=inputs, profiles=profiles)
    with cleanup_on_signals():
        created = make_folders(target.parent)
        tmp = None
        try:
            fd, tmp = _temporary(target)
            os.close(fd)
            yield Path(tmp)
            os.chmod(tmp, _mode_for(target))
            _publish(tmp, target, force=force, inputs=inputs, profiles=profiles)
        except BaseException:
            if tmp is not None:
                with contextlib.suppress(OSError):
                    os.unlink(tmp)
            _remove_empty(created)
            raise
        if os.path.lexists(tmp):
            os.unlink(tmp)


def _temporary(target: Path):
    try:
        remove_stale_parts(target)
        return tempfile.mkstemp(prefix=part_prefix(target), suffix=".part", dir=target.parent)
    except OSError as exc:
        raise InputError(f"cannot write in folder {target.parent}: {exc.strerror}",
                         key="out") from None


def _publish(tmp: str, target: Path, *, force: bool, inputs, profiles) -> None:
    # Checked again: an input may have been linked to the target while we computed.
    check_target(target, force=force, inputs=inputs, profiles=profiles)
    try:
        if force:
            os.replace(tmp, target)
        else:
            _link_exclusive(tmp, target)
    except FileExistsError:
        raise InputError(f"{target} already exists", key="out",
                         hint="Use --force to replace it, or choose another --out file."
                         ) from None
    except IsADirectoryError:
        raise InputError(f"{target} is a folder", key="out", hint="Give a file name.") from None


def _link_exclusive(tmp: str, target: Path) -> None:
    """Publish ``tmp`` as ``target`` unless ``target`` exists (FileExistsError)."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise
    except OSError:              # no hard links here (some network or FAT file systems):
        fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)   # claim the name
        os.close(fd)
        os.replace(tmp, target)


def _mode_for(target: Path) -> int:
    """The permissions a plain open() would give (mkstemp makes files 0600)."""
    if target.exists():
        return target.stat().st_mode & 0o777
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


def write_text(path, text: str, *, force: bool = False, inputs=(), profiles=None) -> None:
    """Write ``text`` to ``path`` atomically."""
    with atomic_path(path, force=force, inputs=inputs, profiles=profiles) as tmp:
        tmp.write_text(text, encoding="utf-8")


def write_bytes(path, data: bytes, *, force: bool = False, inputs=(), profiles=None) -> None:
    with atomic_path(path, force=force, inputs=inputs, profiles=profiles) as tmp:
        tmp.write_bytes(data)


def _check_table_suffix(path) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise InputError(f"cannot write {suffix or 'a file without suffix'}", key="out",
                         hint="Use a .csv or .parquet file name.")
    return suffix


@contextlib.contextmanager
def chunk_writer(path, *, force: bool = False, profiles=None):
    """Yield write(frame) that appends DataFrame chunks to a .csv or .parquet file."""
    suffix = _check_table_suffix(path)
    if suffix == ".parquet":
        try:   # lazy: pyarrow is an optional extra, needed for .parquet only
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise InputError("writing Parquet needs pyarrow", key="out",
                             hint="pip install 'training-cost-estimator[parquet]', or use .csv."
                             ) from None
    with atomic_path(path, force=force, profiles=profiles) as tmp:
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
