"""A site folder written all at once: built in a temporary folder beside ``--out``, then renamed.

The rules of every ``--out`` (data/writers.py, data/protected.py), for a folder:

* never over, or around, a file the tool reads: the target may not be an input, and may not
  contain one (``--out scenarios/..`` would delete the scenarios on ``--force``);
* an existing folder is replaced only with ``force``, and only if it is empty or holds a site
  this command built (it carries the marker file :data:`MARKER`), so ``--force`` cannot delete
  a folder of someone's own files;
* on any error, SIGTERM or Ctrl-C the temporary folder is removed and the old site (if any)
  is left as it was.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from pathlib import Path

from estimator.data.interrupts import cleanup_on_signals
from estimator.data.protected import protected_groups, protected_reason
from estimator.data.writers import make_folders, part_prefix, temp_folder
from estimator.errors import InputError

MARKER = ".estimator-site"
"""The file that marks a folder as a site built by `estimator site` (safe to replace)."""


def check_site_target(out, *, force: bool = False, inputs=(), profiles=None) -> Path:
    """Validate ``out`` as a site folder; returns it as a Path."""
    target = Path(out)
    if str(out) == "" or target.name in ("", ".", ".."):
        raise InputError(f"{str(out)!r} is not a folder name", key="out",
                         hint="Give a new folder, e.g. --out site.")
    reason = protected_reason(target, inputs=inputs, profiles=profiles) or \
        _holds_inputs(target, inputs, profiles)
    if reason:
        raise InputError(f"{target} {reason}; refusing to write there", key="out",
                         hint="Choose another --out folder (--force does not change this).")
    if target.exists() or target.is_symlink():
        _check_replaceable(target, force)
    for part in target.parents:
        if part.exists():
            if not part.is_dir():
                raise InputError(f"{part} is a file, not a folder", key="out",
                                 hint="Choose another --out path.")
            break
    return target


def _holds_inputs(target: Path, inputs, profiles) -> str | None:
    """Why replacing the folder ``target`` would delete data the tool reads, or None."""
    real = os.path.realpath(target)
    for reason, files, _, folders in protected_groups(inputs, profiles):
        for path in [*files, *folders]:
            inside = os.path.realpath(path)
            if inside == real or inside.startswith(real.rstrip(os.sep) + os.sep):
                return f"holds {path}, which {reason.removeprefix('is ')}"
    return None


def _check_replaceable(target: Path, force: bool) -> None:
    if target.is_symlink() or not target.is_dir():
        raise InputError(f"{target} exists and is not a folder", key="out",
                         hint="Choose another --out folder.")
    if not any(target.iterdir()):
        return
    if not force:
        raise InputError(f"{target} already exists", key="out",
                         hint="Use --force to replace it, or choose another --out folder.")
    if not (target / MARKER).is_file():
        raise InputError(f"{target} is not a site built by estimator (no {MARKER} file); "
                         "refusing to replace it", key="out",
                         hint="Choose a new --out folder (--force replaces only a built site).")


@contextlib.contextmanager
def staging_folder(out, *, force: bool = False, inputs=(), profiles=None):
    """Yield an empty temporary folder beside ``out``; on success it becomes ``out``."""
    target = check_site_target(out, force=force, inputs=inputs, profiles=profiles)
    with cleanup_on_signals():
        created = make_folders(target.parent)
        tmp = None
        try:
            tmp = temp_folder(target)
            yield tmp
            (tmp / MARKER).write_text("built by `estimator site`; --force may replace this "
                                      "folder\n", encoding="utf-8")
            os.chmod(tmp, _folder_mode())
            check_site_target(target, force=force, inputs=inputs, profiles=profiles)
            _swap(tmp, target)
        except BaseException:
            if tmp is not None:
                shutil.rmtree(tmp, ignore_errors=True)
            for part in reversed(created):
                with contextlib.suppress(OSError):
                    part.rmdir()
            raise


def _swap(tmp: Path, target: Path) -> None:
    """Rename ``tmp`` to ``target``; an old site is moved aside first and removed after."""
    old = None
    if target.exists():
        old = Path(tempfile.mkdtemp(prefix=part_prefix(target), suffix=".old",
                                    dir=target.parent))
        os.rename(target, old / "site")
    try:
        os.rename(tmp, target)
    except OSError as exc:
        if old is not None:
            os.rename(old / "site", target)
            shutil.rmtree(old, ignore_errors=True)
        raise InputError(f"cannot create {target}: {exc.strerror}", key="out") from None
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)


def _folder_mode() -> int:
    """The permissions a plain mkdir gives (mkdtemp makes folders 0700)."""
    umask = os.umask(0)
    os.umask(umask)
    return 0o777 & ~umask
