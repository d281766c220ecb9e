"""GPU names as newsrooms and papers write them (issue 22): "Nvidia H100", "NVIDIA H100 80GB",
"H100s", "A100 GPUs" resolve to a profile; near-misses ("H1OO") get suggestions, never a
silent guess.

The index (ProfileSet) maps normal names (lower case, no spaces, hyphens or underscores) to
profile ids. A name not found as written is tried, in order, without a vendor prefix, without a
trailing "GPU(s)" / "chip(s)" word or plural "s", and without a memory size ("80GB") when the
profile found has exactly that memory. Suggestions compare names with the look-alike
characters O/o -> 0 and I/l -> 1 folded, then by similarity (difflib).
"""

from __future__ import annotations

import difflib
import re

VENDORS = ("nvidia", "amd", "intel", "google", "habana")
"""Vendor prefixes a source may put before a GPU name."""

_TRAILING_WORD = re.compile(r"(gpus?|chips?|accelerators?|cards?)$")
_MEMORY = re.compile(r"(\d+)gb$")
_LOOKALIKE = str.maketrans({"o": "0", "i": "1", "l": "1"})


def resolve(normal: str, index: dict, memory_gb) -> str | None:
    """The profile id for a normal name (see module docstring), or None.

    ``memory_gb(id)`` gives a profile's memory [GB] (None if unknown)."""
    for candidate in _variants(normal):
        if candidate in index:
            return index[candidate]
    for candidate in _variants(normal):
        for prefix, gb in _memory_splits(candidate):
            if prefix in index and memory_gb(index[prefix]) == gb:
                return index[prefix]
    return None


def _memory_splits(name: str) -> list[tuple[str, float]]:
    """'h10080gb' -> [('h1008', 0.0)...]: every (name, memory [GB]) split of a trailing
    '<digits>gb' (spaces are gone, so 'h100' + '80' and 'h1008' + '0' are both tried)."""
    match = _MEMORY.search(name)
    if not match:
        return []
    digits, start = match.group(1), match.start()
    return [(name[:start + i], float(digits[i:])) for i in range(len(digits))
            if digits[i] != "0"]


def _variants(normal: str) -> list[str]:
    """The name, without vendor prefix, without a trailing word or plural s, in that order."""
    names = [normal]
    for vendor in VENDORS:
        if normal.startswith(vendor) and len(normal) > len(vendor):
            names.append(normal[len(vendor):])
    out = []
    for name in names:
        out.append(name)
        stripped = _TRAILING_WORD.sub("", name)
        if stripped and stripped != name:
            out.append(stripped)
            name = stripped
        if name.endswith("s") and len(name) > 2 and name[-2].isdigit():
            out.append(name[:-1])                  # "h100s" (not "l40s")
    return list(dict.fromkeys(out))


def suggestions(normal: str, index: dict, labels: dict, limit: int = 3) -> list[str]:
    """Display names (``labels``: profile id -> label) of the profiles closest to ``normal``:
    look-alike characters folded first ("h1oo" -> "h100"), then difflib similarity."""
    folded = {key.translate(_LOOKALIKE): pid for key, pid in index.items()}
    found = []
    for candidate in _variants(normal.translate(_LOOKALIKE)):
        if candidate in folded:
            found.append(folded[candidate])
    close = difflib.get_close_matches(normal, list(index), n=limit, cutoff=0.6)
    found += [index[c] for c in close]
    return [labels[pid] for pid in dict.fromkeys(found)][:limit]
