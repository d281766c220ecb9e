"""Which paths an output must never replace: every data file the tool reads.

That is each built-in profile, scenario and data table, every ``*.yaml`` in the
``$ESTIMATOR_PROFILES`` and ``--profiles`` folders, and the files or folders a command was
given. Paths are compared by their resolved real path and, where the target exists, by
inode (``os.path.samefile``), so a symlink or hard link to an input is caught too. A new
``*.yaml`` inside a folder of profiles (or of the command's inputs) is refused as well: the
next run would read it as a profile or scenario.
"""

from __future__ import annotations

import os
from importlib import resources
from pathlib import Path

from estimator.data.files import builtin_data_dir
from estimator.data.profiles import builtin_dir, profile_dirs

YAML_SUFFIXES = (".yaml", ".yml")


def protected_reason(target, *, inputs=(), profiles=None) -> str | None:
    """Why ``target`` must not be written, e.g. 'is a hardware profile', or None."""
    real = os.path.realpath(target)
    stat = _stat(target)
    is_yaml = Path(real).suffix.lower() in YAML_SUFFIXES
    parent = os.path.dirname(real)
    for reason, files, folder_reason, folders in protected_groups(inputs, profiles):
        if any(_same(real, stat, f) for f in files):
            return reason
        if is_yaml and any(parent == os.path.realpath(d) for d in folders):
            return folder_reason
    return None


def protected_groups(inputs, profiles):
    """(reason, files, reason, folders whose new *.yaml is refused) per kind of data."""
    given = _as_list(inputs)
    user_dirs = [d for d in profile_dirs(_as_list(profiles) or None)
                 if os.path.realpath(d) != os.path.realpath(builtin_dir())]
    data = Path(str(resources.files("estimator") / "data"))
    return [
        ("is an input of this command", _yaml_files(given, recursive=True) + given,
         "is in a folder this command reads", [p for p in given if Path(p).is_dir()]),
        ("is a hardware profile", _yaml_files([builtin_dir(), *user_dirs]),
         "is in a folder of hardware profiles (it would be read as one)",
         [builtin_dir(), *user_dirs]),
        ("is a built-in scenario", _yaml_files([builtin_data_dir("scenarios")], recursive=True),
         "is in the built-in scenarios folder", [builtin_data_dir("scenarios")]),
        ("is a built-in data file", _yaml_files([data]), "is in the built-in data folder",
         [data]),
    ]


def _as_list(value) -> list:
    if value is None:
        return []
    if isinstance(value, (str, os.PathLike)):
        return [value]
    return list(value)


def _yaml_files(folders, *, recursive: bool = False) -> list[Path]:
    found: list[Path] = []
    for folder in (Path(f) for f in folders):
        if not folder.is_dir():
            continue
        for suffix in YAML_SUFFIXES:
            found += (folder.rglob if recursive else folder.glob)(f"*{suffix}")
    return found


def _stat(path):
    try:
        return os.stat(path)
    except OSError:
        return None


def _same(real: str, stat, other) -> bool:
    if real == os.path.realpath(other):
        return True
    if stat is None:
        return False
    try:
        other_stat = os.stat(other)
    except OSError:
        return False
    return (stat.st_dev, stat.st_ino) == (other_stat.st_dev, other_stat.st_ino)
