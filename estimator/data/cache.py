"""A small on-disk cache of parsed data files, so the CLI starts fast.

Parsing two dozen profiles with the strict YAML loader takes about 0.2 s; rebuilding them from
the cached JSON takes a few ms. Safety rules:

* the format is JSON (see :mod:`estimator.data.plaindata`): an entry can only hold data, never code;
* the key is a SHA-256 of the bytes actually read from every input file (and of the code that
  shapes the data, and the package version), so any edit invalidates it, whatever its size or
  modification time, and the value cached is built from exactly those bytes;
* the folder (``$ESTIMATOR_CACHE_DIR``, else ``$XDG_CACHE_HOME/estimator`` or
  ``~/.cache/estimator``) is used only if it is ours and not writable by group or others,
  checked on the open folder; entries are opened relative to it with ``O_NOFOLLOW`` and used
  only if the open file is a regular file of ours, not writable by others;
* an entry that is unreadable, corrupt, of the wrong type or for another key is rebuilt;
  temporary files are always removed; entries for older inputs are pruned.

``ESTIMATOR_NO_CACHE=1`` turns the cache off. Any problem with it is ignored: the files are
parsed instead.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import secrets
import stat
import time
from pathlib import Path

from estimator import __version__

FORMAT = "estimator-cache-2"
"""Written into every entry and its key; change it when the entry layout changes."""

MAX_ENTRY_BYTES = 64 << 20
"""Largest cache entry read [bytes]; the built-in profiles take about 0.3 MB."""

KEEP_PER_FAMILY = 8
"""Most recently written entries kept per family (e.g. one per set of profile folders)."""

STALE_PART_S = 600
"""A temporary ``.part`` file older than this was left by a killed process [s]."""

_O = {name: getattr(os, name, 0) for name in ("O_NOFOLLOW", "O_NONBLOCK", "O_CLOEXEC",
                                              "O_DIRECTORY", "O_BINARY")}


def cache_dir() -> Path | None:
    """The cache folder, or None when ``ESTIMATOR_NO_CACHE`` is set."""
    if os.environ.get("ESTIMATOR_NO_CACHE"):
        return None
    base = os.environ.get("ESTIMATOR_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "estimator")
    return Path(base)


def fingerprint(parts) -> str:
    """SHA-256 (hex, 32 digits) of the version, the format and every part (bytes or text)."""
    digest = hashlib.sha256(f"{FORMAT}|{__version__}".encode())
    for part in parts:
        data = part if isinstance(part, bytes) else str(part).encode("utf-8", "surrogatepass")
        digest.update(len(data).to_bytes(8, "little") + data)   # length-prefixed: no ambiguity
    return digest.hexdigest()[:32]


def cached(family: str, scope: str, parts, build, *, encode, decode):
    """``build()``, or the value cached by an earlier call with the same ``parts``.

    ``family`` and ``scope`` name the entry (scope: e.g. the folder list, so two folder lists
    do not evict each other); ``parts`` are the bytes the value is built from.
    ``encode(value)`` gives JSON-able data and ``decode(data)`` the value back (raising on
    anything malformed, which then counts as a miss).
    """
    folder = cache_dir()
    dfd = _open_folder(folder) if folder is not None else None
    if dfd is None:
        return build()
    try:
        key = fingerprint(parts)
        name = f"{family}-{fingerprint([scope])[:12]}"
        value = _read_entry(dfd, f"{name}-{key}.json", key, decode)
        if value is _MISS:
            value = build()
            _write_entry(dfd, f"{name}-{key}.json", key, value, encode)
            _prune(dfd, family, name, key)
        return value
    finally:
        os.close(dfd)


_MISS = object()


def _open_folder(folder: Path) -> int | None:
    """A descriptor of the cache folder, or None if it cannot be made or is not safe."""
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        dfd = os.open(folder, os.O_RDONLY | _O["O_DIRECTORY"] | _O["O_CLOEXEC"])
    except (OSError, ValueError):
        return None
    if _trusted(os.fstat(dfd), stat.S_ISDIR):
        return dfd
    os.close(dfd)
    return None


def _trusted(st: os.stat_result, kind) -> bool:
    """Of the right kind, owned by this user and not writable by group or others."""
    return kind(st.st_mode) and st.st_uid == os.getuid() and not st.st_mode & 0o022


def _read_entry(dfd: int, entry: str, key: str, decode):
    try:
        fd = os.open(entry, os.O_RDONLY | _O["O_NOFOLLOW"] | _O["O_NONBLOCK"]
                     | _O["O_CLOEXEC"] | _O["O_BINARY"], dir_fd=dfd)
    except OSError:                 # missing, or a symlink (ELOOP), or unreadable
        return _MISS
    try:
        if not _trusted(os.fstat(fd), stat.S_ISREG):
            return _MISS
        raw = _read_at_most(fd, MAX_ENTRY_BYTES + 1)
        if len(raw) > MAX_ENTRY_BYTES:
            return _MISS
        data = json.loads(raw)
        if data.get("format") != FORMAT or data.get("key") != key:
            return _MISS
        return decode(data["value"])
    except Exception:  # noqa: BLE001 -- corrupt, truncated or wrong-typed: rebuild it
        return _MISS
    finally:
        os.close(fd)


def _read_at_most(fd: int, limit: int) -> bytes:
    chunks, total = [], 0
    while total < limit:
        chunk = os.read(fd, min(1 << 20, limit - total))
        if not chunk:
            break
        chunks.append(chunk)
        total += len(chunk)
    return b"".join(chunks)


def _write_entry(dfd: int, entry: str, key: str, value, encode) -> None:
    """Write atomically (a private temporary file, then a rename); never raises."""
    try:
        payload = json.dumps({"format": FORMAT, "key": key, "value": encode(value)},
                             separators=(",", ":")).encode()
    except Exception:  # noqa: BLE001 -- a value the format cannot hold is not cached
        return
    tmp = f".{entry}.{secrets.token_hex(8)}.part"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | _O["O_NOFOLLOW"]
                     | _O["O_CLOEXEC"] | _O["O_BINARY"], 0o600, dir_fd=dfd)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, entry, src_dir_fd=dfd, dst_dir_fd=dfd)
        tmp = None
    except OSError:
        pass
    finally:
        if tmp is not None:
            _remove(dfd, tmp)


def _prune(dfd: int, family: str, name: str, key: str) -> None:
    """Remove entries of ``name`` for other keys, old-format ``.pickle`` files, ``.part``
    files left by killed processes, and all but the newest KEEP_PER_FAMILY entries."""
    mine = re.compile(re.escape(family) + r"-[0-9a-f]{12}-[0-9a-f]{32}\.json")
    current, kept = f"{name}-{key}.json", []
    try:
        names = os.listdir(dfd)
    except OSError:
        return
    for entry in names:
        other_key = entry.startswith(f"{name}-") and mine.fullmatch(entry) and entry != current
        if other_key or (entry.startswith(f"{family}-") and entry.endswith(".pickle")):
            _remove(dfd, entry)
        elif entry.startswith(f".{family}-") and entry.endswith(".part"):
            if _age_s(dfd, entry) > STALE_PART_S:
                _remove(dfd, entry)
        elif mine.fullmatch(entry):
            kept.append((_age_s(dfd, entry), entry))
    for _, entry in sorted(kept)[KEEP_PER_FAMILY:]:        # youngest first: the new one
        _remove(dfd, entry)


def _age_s(dfd: int, entry: str) -> float:
    try:
        return time.time() - os.stat(entry, dir_fd=dfd, follow_symlinks=False).st_mtime
    except OSError:
        return 0.0


def _remove(dfd: int, entry: str) -> None:
    try:
        os.unlink(entry, dir_fd=dfd)
    except OSError:                 # gone already, or a folder: leave it
        pass
