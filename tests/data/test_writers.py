"""estimator/writers.py: --out files never replace data files, are created exclusively,
leave no temporary file behind (errors, SIGTERM, Ctrl-C) and get missing folders made."""

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from estimator.data.profiles import builtin_dir
from estimator.data.writers import atomic_path, write_text
from estimator.errors import InputError
from estimator.scenarios import builtin_scenario_dir

H800 = builtin_dir() / "nvidia-h800-sxm5-80gb.yaml"


def digest(path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


@pytest.fixture
def profile_dir(tmp_path):
    folder = tmp_path / "my-gpus"
    folder.mkdir()
    (folder / H800.name).write_bytes(H800.read_bytes())
    return folder


@pytest.mark.parametrize("target, reason", [
    (H800, "is a hardware profile"),
    (builtin_scenario_dir() / "deepseek-v3-final-run.yaml", "is a built-in scenario"),
    (builtin_scenario_dir() / "public" / "dbrx-2024.yaml", "is a built-in scenario"),
])
def test_builtin_data_files_are_never_replaced_even_with_force(target, reason):
    before = digest(target)
    with pytest.raises(InputError, match=reason):
        write_text(target, "not a profile", force=True)
    assert digest(target) == before


def test_builtin_data_table_is_never_replaced():
    from importlib import resources

    fx = Path(str(resources.files("estimator") / "data" / "grid_intensity.yaml"))
    with pytest.raises(InputError, match="is a built-in data file"):
        write_text(fx, "x", force=True)


def test_user_profiles_from_option_and_environment_are_protected(profile_dir, monkeypatch):
    before = digest(profile_dir / H800.name)
    with pytest.raises(InputError, match="is a hardware profile"):
        write_text(profile_dir / H800.name, "x", force=True, profiles=[profile_dir])
    with pytest.raises(InputError, match="is a hardware profile"):
        write_text(profile_dir / H800.name, "x", force=True, profiles=str(profile_dir))
    monkeypatch.setenv("ESTIMATOR_PROFILES", str(profile_dir))
    with pytest.raises(InputError, match="is a hardware profile"):
        write_text(profile_dir / H800.name, "x", force=True)
    assert digest(profile_dir / H800.name) == before


def test_a_new_yaml_in_a_profile_folder_is_refused_other_files_are_not(profile_dir):
    with pytest.raises(InputError, match="folder of hardware profiles"):
        write_text(profile_dir / "new.yaml", "x", profiles=[profile_dir])
    assert not (profile_dir / "new.yaml").exists()
    write_text(profile_dir / "notes.md", "fine", profiles=[profile_dir])
    assert (profile_dir / "notes.md").read_text() == "fine"


def test_inputs_are_compared_by_real_path_and_inode(tmp_path):
    scenario = tmp_path / "base.yaml"
    scenario.write_text("id: base\n")
    (tmp_path / "link.png").symlink_to(scenario)
    os.link(scenario, tmp_path / "hard.png")
    for target in (scenario, tmp_path / "link.png", tmp_path / "hard.png",
                   tmp_path / "sub" / ".." / "base.yaml"):
        with pytest.raises(InputError, match="is an input of this command"):
            write_text(target, "PNG", force=True, inputs=[scenario])
    with pytest.raises(InputError, match="is an input of this command"):   # a folder given
        write_text(scenario, "PNG", force=True, inputs=[tmp_path])
    assert scenario.read_text() == "id: base\n"


def test_force_replaces_and_keeps_the_mode(tmp_path):
    out = tmp_path / "r.md"
    out.write_text("old")
    out.chmod(0o640)
    with pytest.raises(InputError, match="already exists"):
        write_text(out, "new")
    write_text(out, "new", force=True)
    assert out.read_text() == "new" and out.stat().st_mode & 0o777 == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.md"]


def test_two_writers_started_together_exactly_one_succeeds(tmp_path):
    """Both pass the 'already exists' check before either publishes (a barrier holds them)."""
    out = tmp_path / "same.csv"
    barrier = threading.Barrier(2, timeout=30)
    results = {}

    def writer(name):
        try:
            with atomic_path(out) as tmp:
                tmp.write_text(name)
                barrier.wait()
            results[name] = "ok"
        except InputError as exc:
            results[name] = str(exc)

    threads = [threading.Thread(target=writer, args=(n,)) for n in ("first", "second")]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    winners = [n for n, r in results.items() if r == "ok"]
    assert len(winners) == 1, results
    [loser] = [r for r in results.values() if r != "ok"]
    assert "already exists" in loser
    assert out.read_text() == winners[0]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["same.csv"]


def test_missing_folders_are_created_and_removed_again_on_failure(tmp_path):
    write_text(tmp_path / "a" / "b" / "x.md", "text")
    assert (tmp_path / "a" / "b" / "x.md").read_text() == "text"
    with pytest.raises(RuntimeError):
        with atomic_path(tmp_path / "c" / "d" / "x.csv") as tmp:
            tmp.write_text("half")
            raise RuntimeError("computation failed")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a"]


@pytest.mark.parametrize("bad, message", [("", "is not a file name"),
                                          (".", "is not a file name")])
def test_paths_that_name_no_file(bad, message):
    with pytest.raises(InputError, match=message):
        write_text(bad, "x")


def test_a_file_where_a_folder_should_be(tmp_path):
    (tmp_path / "f").write_text("")
    with pytest.raises(InputError, match="is a file, not a folder"):
        write_text(tmp_path / "f" / "x.md", "x")


def test_signal_handlers_are_restored_after_writing(tmp_path):
    before = signal.getsignal(signal.SIGTERM)
    with atomic_path(tmp_path / "x.md") as tmp:
        assert signal.getsignal(signal.SIGTERM) is not before        # ours while writing
        tmp.write_text("x")
    assert signal.getsignal(signal.SIGTERM) is before


@pytest.mark.parametrize("signum, returncode", [(signal.SIGTERM, -signal.SIGTERM),
                                                (signal.SIGINT, 1)])   # click: "Aborted!"
def test_a_signal_during_sweep_out_leaves_no_part_file(tmp_path, signum, returncode):
    out = tmp_path / "big.csv"
    proc = subprocess.Popen(
        [sys.executable, "-m", "estimator", "sweep", "--gpu", "H800,H100,A100",
         "--count", "1..4096", "--hours", "1..2000", "--chunk-rows", "100000", "--out", str(out)],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while not list(tmp_path.glob(".big.csv.*.part")):
            assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read()
            time.sleep(0.05)
        time.sleep(0.2)                                  # some chunks are written
        proc.send_signal(signum)
        assert proc.wait(60) == returncode
    finally:
        if proc.poll() is None:
            proc.kill()
    assert list(tmp_path.iterdir()) == []
