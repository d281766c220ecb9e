"""Safe output files: atomic writes, never over an existing file without --force."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ..errors import InputError


def write_text(path, text: str, *, force: bool = False, inputs=()) -> None:
    """Write ``text`` to ``path`` atomically (temporary file in the same folder, then rename).

    Refuses to overwrite an existing file unless ``force``, and never writes over one of
    ``inputs`` (files the command read).
    """
    target = Path(path)
    resolved = target.resolve()
    if any(resolved == Path(p).resolve() for p in inputs):
        raise InputError(f"{target} is an input of this command; refusing to overwrite it",
                         key="out", hint="Choose another --out file.")
    if target.exists() and not force:
        raise InputError(f"{target} already exists", key="out",
                         hint="Use --force to replace it, or choose another --out file.")
    if not target.parent.exists():
        raise InputError(f"folder {target.parent} does not exist", key="out")
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        os.replace(tmp, target)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
