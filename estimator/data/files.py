"""Finding and reading data files safely: only regular files, never more than a cap.

Every YAML file the tool reads (profiles, scenarios, FX and grid tables, files given to
``lint``) goes through :func:`read_data_file`, and every folder scan through
:func:`list_data_files`. A FIFO, device or socket named ``*.yaml`` is refused at once (a FIFO
would block a plain ``open()`` forever; ``/dev/zero`` would be read until memory runs out),
and the size cap counts bytes actually read, not the ``stat()`` size (which is 0 for devices).
"""

from __future__ import annotations

import errno
import os
import stat
from importlib import resources
from pathlib import Path

from estimator.errors import DataFileError

MAX_FILE_BYTES = 1_000_000
"""Largest data file read [bytes]; real profiles and scenarios are < 20 kB."""

SUFFIXES = (".yaml", ".yml")

_OPEN_FLAGS = (os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
               | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0))
"""O_NONBLOCK: opening a FIFO with no writer returns at once instead of waiting forever."""


class NotRegularFileError(DataFileError):
    """A data file path names a FIFO, device, socket or folder, not a regular file."""


def builtin_data_dir(name: str) -> Path:
    """The built-in data folder ``name`` ("hardware_profiles", "scenarios"): inside the wheel
    (``estimator/_builtin/<name>``), else the source checkout's top-level folder."""
    packaged = resources.files("estimator") / "_builtin" / name
    if packaged.is_dir():
        return Path(str(packaged))
    return Path(__file__).resolve().parents[2] / name


def list_data_files(folder: str | Path, *, recursive: bool = False) -> list[Path]:
    """The ``*.yaml`` and ``*.yml`` names in ``folder`` (and below if ``recursive``), sorted.

    Names only: whatever else they are (a folder, a FIFO, a device...) is refused by
    read_data_file, so a stray special file is an error, never silently skipped.
    """
    folder = Path(folder)
    found = []
    for suffix in SUFFIXES:
        found += folder.rglob(f"*{suffix}") if recursive else folder.glob(f"*{suffix}")
    return sorted(found)


def read_data_file(path: str | Path, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of the regular file ``path``; DataFileError if it is anything else,
    cannot be read, or holds more than ``limit`` bytes [bytes]."""
    name = str(path)
    _refuse_special(_stat(name), name)          # before opening: a device is never opened
    try:
        fd = os.open(name, _OPEN_FLAGS)
    except OSError as exc:
        raise _os_error(exc, name) from None
    try:
        _refuse_special(os.fstat(fd), name)     # the file actually opened (no swap race)
        return _read_capped(fd, name, limit)
    except OSError as exc:
        raise _os_error(exc, name) from None
    finally:
        os.close(fd)


def _stat(name: str) -> os.stat_result:
    try:
        return os.stat(name)
    except OSError as exc:
        raise _os_error(exc, name) from None


def _refuse_special(st: os.stat_result, name: str) -> None:
    if stat.S_ISREG(st.st_mode):
        return
    if stat.S_ISDIR(st.st_mode):
        raise NotRegularFileError("is a directory, not a YAML file", file=name)
    raise NotRegularFileError(f"not a regular file (a {_kind(st.st_mode)})", file=name,
                              hint="Data files must be plain files; remove or rename it.")


def _kind(mode: int) -> str:
    kinds = [(stat.S_ISFIFO, "FIFO"), (stat.S_ISCHR, "character device"),
             (stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket")]
    return next((word for test, word in kinds if test(mode)), "special file")


def _read_capped(fd: int, name: str, limit: int) -> bytes:
    """At most ``limit`` + 1 bytes from ``fd``; DataFileError if there are more."""
    chunks, total = [], 0
    while total <= limit:
        chunk = os.read(fd, min(1 << 16, limit + 1 - total))
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
    raise DataFileError(f"file is larger than {limit:,} bytes", file=name,
                        hint="Data files are small; is this the right file?")


def _os_error(exc: OSError, name: str) -> DataFileError:
    if exc.errno == errno.ENOENT:
        return DataFileError("no such file", file=name)
    if exc.errno == errno.EISDIR:
        return NotRegularFileError("is a directory, not a YAML file", file=name)
    if exc.errno == errno.ENXIO:                # open() of a socket
        return NotRegularFileError("not a regular file (a socket)", file=name,
                                   hint="Data files must be plain files; remove or rename it.")
    return DataFileError(f"cannot read file: {exc.strerror}", file=name)
