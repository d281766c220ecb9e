"""A small on-disk cache of parsed data files, so the CLI starts fast.

Parsing two dozen profiles with the strict YAML loader takes about 0.2 s; unpickling the
result takes about 1 ms. The cache key is every input file's path, size and modification
time, plus the package version, so any edit invalidates it. The cache lives in
``$ESTIMATOR_CACHE_DIR`` or ``~/.cache/estimator`` (user-owned); ``ESTIMATOR_NO_CACHE=1``
turns it off. Any problem reading or writing it is ignored: the files are parsed instead.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from pathlib import Path

from . import __version__


def cache_dir() -> Path | None:
    if os.environ.get("ESTIMATOR_NO_CACHE"):
        return None
    base = os.environ.get("ESTIMATOR_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "estimator")
    return Path(base)


def fingerprint(files) -> str:
    digest = hashlib.sha256(__version__.encode())
    for f in files:
        st = os.stat(f)
        digest.update(f"{os.path.abspath(f)}|{st.st_size}|{st.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:32]


def cached(name: str, files, build):
    """``build()``, or its pickled result from an earlier call with the same input files."""
    folder = cache_dir()
    if folder is None:
        return build()
    try:
        path = folder / f"{name}-{fingerprint(files)}.pickle"
        if path.is_file() and path.stat().st_uid == os.getuid():
            with open(path, "rb") as handle:
                return pickle.load(handle)
    except Exception:  # a stale or unreadable cache is never an error
        pass
    value = build()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".part")
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(value, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)
    except Exception:
        pass
    return value
