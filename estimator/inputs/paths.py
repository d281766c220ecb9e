"""One reading of a ``paths`` argument for every API function that takes files or folders:
one path (``str`` or ``os.PathLike``) or a list of them, never a string read one character
at a time (``check("deepseek-v3-final-run")`` is one scenario id, not 21 of them)."""

from __future__ import annotations

import os

from estimator.errors import InputError


def path_list(value, key: str = "paths") -> list | None:
    """``None`` stays None (the caller's default); one path becomes a one-item list."""
    if value is None:
        return None
    items = [value] if isinstance(value, (str, bytes, os.PathLike)) else list(value)
    for item in items:
        if not isinstance(item, (str, os.PathLike)):
            raise InputError(f"expected a path or id, got {type(item).__name__} {item!r}",
                             key=key, hint="Give a file, a folder or a scenario id, or a list.")
        if os.fspath(item) == "":
            raise InputError("an empty path names no file", key=key,
                             hint="Give a file, a folder or a scenario id.")
    return items


def one_path(value, key: str = "scenario"):
    """Exactly one path or id (``str`` or ``os.PathLike``), checked like path_list's items."""
    if not isinstance(value, (str, os.PathLike)):
        raise InputError(f"expected one path or id, got {type(value).__name__} {value!r}",
                         key=key, hint="Give a file or a scenario id.")
    return path_list(value, key)[0]
