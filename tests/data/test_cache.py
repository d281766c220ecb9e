"""The on-disk profile cache (estimator/cache.py) cannot be poisoned or go stale.

Each "planted" test first lets the cache write a real entry, then replaces it with something
an attacker or a crash could leave there: the cache must ignore it and return freshly parsed
data. Where a test writes a *valid* entry holding a wrong value ("poisoned"), a cache that
trusted the entry would return that value, so the test can fail.
"""

import json
import os
import time
from pathlib import Path

import pytest

from estimator.data import cache, profiles

PROFILE = """\
id: acme-z1
name: ACME Z1
vendor: ACME
architecture: Imaginary
launch_date: {value: "2025-06-01", source: "test fixture", as_of: "2025-06-01"}
specs:
  bf16_dense_tflops: {value: 1000, source: "test fixture", as_of: "2025-06-01"}
price_band: {low: 1.00, typical: TYPICAL, high: 3.00, source: "test fixture", as_of: "2025-06-01"}
"""


@pytest.fixture
def builtin_cache_folder(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("ESTIMATOR_CACHE_DIR", str(folder))
    monkeypatch.delenv("ESTIMATOR_NO_CACHE", raising=False)
    monkeypatch.delenv("ESTIMATOR_PROFILES", raising=False)
    profiles._load.cache_clear()
    yield folder
    profiles._load.cache_clear()


@pytest.fixture
def cache_folder(builtin_cache_folder, tmp_path, monkeypatch):
    """As builtin_cache_folder, but with no built-in profiles: only the test's own is parsed."""
    (tmp_path / "none").mkdir()
    monkeypatch.setattr(profiles, "builtin_dir", lambda: tmp_path / "none")
    return builtin_cache_folder


@pytest.fixture
def user_folder(tmp_path):
    folder = tmp_path / "gpus"
    folder.mkdir()
    (folder / "acme-z1.yaml").write_text(PROFILE.replace("TYPICAL", "2.00"))
    return folder


@pytest.fixture
def parses(monkeypatch):
    """Counts the calls that parse profile files (cache misses)."""
    calls = []
    real = profiles._parse_all
    monkeypatch.setattr(profiles, "_parse_all", lambda files: calls.append(1) or real(files))
    return calls


def typical_price(folder) -> float:
    """The ACME Z1 typical price [USD/GPU-h], loaded as a new process would (no memo)."""
    profiles._load.cache_clear()
    return profiles.load_profiles(folder).get("acme-z1").band().typical


def entries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def only_entry(folder: Path) -> Path:
    found = [p for p in folder.iterdir() if p.name.startswith("profiles-")]
    assert len(found) == 1, found
    return found[0]


def poison(entry: Path, target: Path) -> None:
    """Write at ``target`` a well-formed copy of ``entry`` whose typical price is 2.9 (still
    between low and high, so the entry decodes)."""
    text = entry.read_text()
    assert text.count('"typical":2.0,') == 1
    target.write_text(text.replace('"typical":2.0,', '"typical":2.9,'))


# ---- a working cache --------------------------------------------------------------------

def test_second_load_is_served_from_the_cache(cache_folder, user_folder, parses):
    assert typical_price(user_folder) == 2.0
    assert typical_price(user_folder) == 2.0
    assert len(parses) == 1
    assert only_entry(cache_folder).read_bytes().startswith(b'{"format":"estimator-cache-2"')


def test_cached_profiles_equal_freshly_parsed_ones(builtin_cache_folder, monkeypatch):
    profiles.load_profiles()                       # writes the entry
    profiles._load.cache_clear()
    from_cache = profiles.load_profiles()
    monkeypatch.setenv("ESTIMATOR_NO_CACHE", "1")
    profiles._load.cache_clear()
    fresh = profiles.load_profiles()
    assert from_cache._profiles == fresh._profiles
    assert from_cache._index == fresh._index
    assert isinstance(from_cache.get("H800").rental, tuple)


def test_no_cache_variable_turns_it_off(cache_folder, user_folder, parses, monkeypatch):
    monkeypatch.setenv("ESTIMATOR_NO_CACHE", "1")
    typical_price(user_folder)
    typical_price(user_folder)
    assert len(parses) == 2
    assert not cache_folder.exists()


def test_cache_folder_is_created_private(cache_folder, user_folder):
    typical_price(user_folder)
    assert cache_folder.stat().st_mode & 0o777 == 0o700
    assert only_entry(cache_folder).stat().st_mode & 0o777 == 0o600


# ---- never stale -----------------------------------------------------------------------

def test_same_size_edit_with_old_times_restored_gives_the_new_price(cache_folder, user_folder):
    path = user_folder / "acme-z1.yaml"
    before = path.stat()
    assert typical_price(user_folder) == 2.0
    path.write_text(PROFILE.replace("TYPICAL", "2.50"))         # same size: 4 characters
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))  # like `touch -r`
    assert path.stat().st_size == before.st_size
    assert typical_price(user_folder) == 2.5


def test_two_edits_within_one_second_give_the_newest_price(cache_folder, user_folder):
    path = user_folder / "acme-z1.yaml"
    second = int(time.time())
    for typical in ("2.00", "2.25", "2.75"):                   # a 1-second-timestamp filesystem
        path.write_text(PROFILE.replace("TYPICAL", typical))
        os.utime(path, (second, second))
        assert typical_price(user_folder) == float(typical)


# ---- never poisoned --------------------------------------------------------------------

def test_symlinked_entry_is_not_followed(cache_folder, user_folder, tmp_path, parses):
    typical_price(user_folder)
    entry = only_entry(cache_folder)
    elsewhere = tmp_path / "elsewhere.json"
    poison(entry, elsewhere)
    entry.unlink()
    entry.symlink_to(elsewhere)
    assert typical_price(user_folder) == 2.0
    assert len(parses) == 2
    assert not entry.is_symlink()                   # replaced by a fresh entry of our own
    assert '"typical":2.9,' in elsewhere.read_text()   # the link's target is left alone


def test_entry_writable_by_others_is_ignored(cache_folder, user_folder):
    typical_price(user_folder)
    entry = only_entry(cache_folder)
    poison(entry, entry)
    entry.chmod(0o666)
    assert typical_price(user_folder) == 2.0


@pytest.mark.skipif(os.getuid() != 0, reason="chown to another user needs root")
def test_entry_owned_by_someone_else_is_ignored(cache_folder, user_folder):
    typical_price(user_folder)
    entry = only_entry(cache_folder)
    poison(entry, entry)
    os.chown(entry, 12345, -1)
    assert typical_price(user_folder) == 2.0


def test_folder_owned_by_someone_else_is_not_used(cache_folder, user_folder, parses,
                                                  monkeypatch):
    typical_price(user_folder)
    entry = only_entry(cache_folder)
    poison(entry, entry)
    monkeypatch.setattr(os, "getuid", lambda: 12345)    # the folder's owner is not "us" now
    assert typical_price(user_folder) == 2.0
    assert typical_price(user_folder) == 2.0
    assert len(parses) == 3                             # no cache: parsed every time
    assert '"typical":2.9,' in entry.read_text()       # and nothing written there


@pytest.mark.parametrize("mode", [0o770, 0o707, 0o777], ids=oct)
def test_folder_writable_by_group_or_others_is_not_used(cache_folder, user_folder, parses,
                                                        mode):
    typical_price(user_folder)
    entry = only_entry(cache_folder)
    poison(entry, entry)
    cache_folder.chmod(mode)
    assert typical_price(user_folder) == 2.0
    assert len(parses) == 2
    assert entries(cache_folder) == [entry.name]


@pytest.mark.parametrize("damage", [
    lambda raw: raw[: len(raw) // 2],                                   # truncated
    lambda raw: b"\x80\x05\x95 not json",                               # an old pickle
    lambda raw: b"",                                                    # empty
    lambda raw: raw.replace(b'"$obj":"HardwareProfile"', b'"$obj":"Spec"', 1),  # wrong type
    lambda raw: json.dumps({**json.loads(raw), "value": "a text"}).encode(),  # wrong type
    lambda raw: json.dumps({**json.loads(raw), "value": [{"$dict": []}, {"$dict": []},
                                                         {"$dict": [[1, 2]]}]}).encode(),
    lambda raw: json.dumps({**json.loads(raw), "key": "0" * 32}).encode(),  # another key
    lambda raw: json.dumps({**json.loads(raw), "value": {"$obj": "Popen", "fields": {}}}
                           ).encode(),                                  # a class not listed
])
def test_corrupt_or_wrong_typed_entry_is_rebuilt(cache_folder, user_folder, parses, damage):
    typical_price(user_folder)
    entry = only_entry(cache_folder)
    entry.write_bytes(damage(entry.read_bytes()))
    assert typical_price(user_folder) == 2.0          # never an error, never exit 3
    assert typical_price(user_folder) == 2.0          # and the rebuilt entry is used
    assert len(parses) == 2


def test_folder_at_the_entry_path_leaves_no_part_files(cache_folder, user_folder):
    typical_price(user_folder)
    entry = only_entry(cache_folder)
    entry.unlink()
    entry.mkdir()
    for _ in range(3):
        assert typical_price(user_folder) == 2.0
    assert entries(cache_folder) == [entry.name]
    assert entry.is_dir()


def test_cli_uses_the_new_price_after_a_same_size_edit(cache_folder, user_folder, run):
    path = user_folder / "acme-z1.yaml"
    before = path.stat()
    args = ("cost", "--gpu", "acme-z1", "--count", "10", "--hours", "10", "--profiles",
            user_folder, "--format", "json")
    profiles._load.cache_clear()
    assert json.loads(run(*args)[1])[0]["cost_usd_typical"] == 200.0   # 100 GPU-h x $2.00
    path.write_text(PROFILE.replace("TYPICAL", "2.50"))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    profiles._load.cache_clear()
    assert json.loads(run(*args)[1])[0]["cost_usd_typical"] == 250.0   # 100 GPU-h x $2.50


# ---- pruned ----------------------------------------------------------------------------

def test_entries_for_older_contents_are_pruned(cache_folder, user_folder):
    path = user_folder / "acme-z1.yaml"
    typical_price(user_folder)
    first = only_entry(cache_folder).name
    path.write_text(PROFILE.replace("TYPICAL", "2.50"))
    typical_price(user_folder)
    second = only_entry(cache_folder).name
    assert first != second
    assert first.split("-")[1] == second.split("-")[1]      # same folder list, new contents


def test_leftovers_are_pruned_but_fresh_temporaries_kept(cache_folder, user_folder):
    cache_folder.mkdir(mode=0o700)
    old = time.time() - 3600
    for name in ("profiles-0123456789abcdef.pickle", ".profiles-x.json.aa.part",
                 ".profiles-y.json.bb.part"):
        (cache_folder / name).write_bytes(b"x")
    os.utime(cache_folder / ".profiles-x.json.aa.part", (old, old))
    typical_price(user_folder)
    names = entries(cache_folder)
    assert ".profiles-y.json.bb.part" in names                 # maybe another process's
    assert ".profiles-x.json.aa.part" not in names             # an hour old: a killed one
    assert "profiles-0123456789abcdef.pickle" not in names
    assert len(names) == 2


def test_at_most_eight_folder_lists_are_kept(cache_folder, tmp_path):
    written = []
    for i in range(10):
        folder = tmp_path / f"gpus{i}"
        folder.mkdir()
        (folder / "acme-z1.yaml").write_text(PROFILE.replace("TYPICAL", "2.00"))
        typical_price(folder)
        (new,) = set(entries(cache_folder)) - set(written)
        written.append(new)
        past = time.time() - 100 + i                # written in this order, i seconds apart
        os.utime(cache_folder / new, (past, past))
    assert cache.KEEP_PER_FAMILY == 8
    assert entries(cache_folder) == sorted(written[2:])     # the two oldest went



def test_a_poisoned_entry_passing_every_check_is_served(cache_folder, user_folder):
    """The control for the planted tests: poison() really changes what a trusted entry says."""
    typical_price(user_folder)
    entry = only_entry(cache_folder)
    poison(entry, entry)
    entry.chmod(0o600)
    assert typical_price(user_folder) == 2.9
