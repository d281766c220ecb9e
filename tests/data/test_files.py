"""Only regular files are read (estimator/datafiles.py): FIFOs, devices and sockets named *.yaml
are refused at once with exit 2, and reads are capped by the bytes actually read.

Every test runs under a 10 s alarm (repeated each second after that): a regression that
blocks on a FIFO fails instead of hanging the suite. An endless read of /dev/zero never
returns to Python to see the alarm, so those tests run the CLI in a child process with a
memory limit and a timeout.
"""

import os
import resource
import shutil
import signal
import socket
import subprocess
import sys

import pytest

import estimator
from estimator.data import profiles
from estimator.data.files import (
    MAX_FILE_BYTES,
    NotRegularFileError,
    list_data_files,
    read_data_file,
)
from estimator.data.yamlio import load_file
from estimator.errors import DataFileError
from estimator.scenarios.lint import lint
from tests.conftest import FIXTURES

USER_PROFILE = FIXTURES / "profiles" / "user" / "acme-x1.yaml"


class _TookTooLong(Exception):
    pass


@pytest.fixture(autouse=True)
def deadline():
    """Fail (not hang) if a test takes more than 10 s."""
    def _raise(signum, frame):
        raise _TookTooLong("blocked on a special file?")
    previous = signal.signal(signal.SIGALRM, _raise)
    signal.setitimer(signal.ITIMER_REAL, 10, 1)
    profiles._load.cache_clear()
    yield
    signal.setitimer(signal.ITIMER_REAL, 0)
    signal.signal(signal.SIGALRM, previous)
    profiles._load.cache_clear()


@pytest.fixture
def fifo_profiles(tmp_path):
    """A profile folder holding one good profile and a FIFO named bad.yaml."""
    folder = tmp_path / "profiles"
    folder.mkdir()
    shutil.copy(USER_PROFILE, folder)
    os.mkfifo(folder / "bad.yaml")
    return folder


@pytest.fixture
def fifo_scenarios(tmp_path):
    folder = tmp_path / "scenarios"
    folder.mkdir()
    os.mkfifo(folder / "claim.yaml")
    return folder


@pytest.fixture
def zero_link(tmp_path):
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    return link


def _assert_one_line_refusal(code, out, err, path, what):
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"Error: {path}: not a regular file ({what})")


# ---- the API ---------------------------------------------------------------------------

def test_fifo_in_a_profile_folder_is_refused(fifo_profiles):
    with pytest.raises(DataFileError, match=r"bad\.yaml: not a regular file \(a FIFO\)"):
        estimator.load_profiles(fifo_profiles)


def test_fifo_in_estimator_profiles_folder_is_refused(fifo_profiles, monkeypatch):
    monkeypatch.setenv("ESTIMATOR_PROFILES", str(fifo_profiles))
    with pytest.raises(NotRegularFileError, match="not a regular file"):
        estimator.load_profiles()


def test_fifo_in_a_scenario_folder_is_refused(fifo_scenarios):
    with pytest.raises(DataFileError, match=r"claim\.yaml: not a regular file \(a FIFO\)"):
        estimator.check([fifo_scenarios])


def test_fifo_given_to_lint_is_an_error_not_a_finding(fifo_profiles):
    with pytest.raises(NotRegularFileError, match="a FIFO"):
        lint([fifo_profiles])
    with pytest.raises(NotRegularFileError, match="a FIFO"):
        lint([fifo_profiles / "bad.yaml"])


def _in_child(code: str) -> subprocess.CompletedProcess:
    """Run ``code`` in a Python child limited to 2 GiB of address space and 60 s."""
    def limit_memory():
        resource.setrlimit(resource.RLIMIT_AS, (2 << 30, 2 << 30))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, preexec_fn=limit_memory, check=False)


def test_symlink_to_dev_zero_is_refused_without_reading(zero_link):
    child = _in_child(f"""
from estimator.errors import DataFileError
from estimator.data.yamlio import load_file
import estimator
for load in (load_file, estimator.load_scenario):
    try:
        load({str(zero_link)!r})
    except DataFileError as exc:
        print(exc)
""")
    message = (f"{zero_link}: not a regular file (a character device). Data files must be "
               "plain files; remove or rename it.")
    assert child.stdout.splitlines() == [message, message], child.stderr


def test_symlink_to_dev_urandom_in_a_profile_folder_is_refused(tmp_path):
    (tmp_path / "random.yaml").symlink_to("/dev/urandom")
    child = _in_child(f"""
import estimator
try:
    estimator.load_profiles({str(tmp_path)!r})
except estimator.EstimatorError as exc:
    print(type(exc).__name__, exc)
""")
    assert child.stdout.startswith(f"NotRegularFileError {tmp_path}/random.yaml: not a "
                                   "regular file (a character device)"), child.stderr


def test_socket_named_yaml_is_refused(tmp_path):
    path = tmp_path / "s.yaml"
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
        with pytest.raises(DataFileError, match=r"not a regular file \(a socket\)"):
            load_file(path)
    finally:
        server.close()


def test_reads_are_capped_by_bytes_read(tmp_path):
    path = tmp_path / "ten.yaml"
    path.write_bytes(b"a: 1234567")                  # 10 bytes
    assert read_data_file(path, limit=10) == b"a: 1234567"
    with pytest.raises(DataFileError, match="larger than 9 bytes"):
        read_data_file(path, limit=9)


def test_a_file_of_exactly_the_cap_is_read_and_one_byte_more_is_not(tmp_path):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: " + b"x" * (MAX_FILE_BYTES - 3))   # 1,000,000 bytes
    assert load_file(path) == {"a": "x" * (MAX_FILE_BYTES - 3)}
    path.write_bytes(b"a: " + b"x" * (MAX_FILE_BYTES - 2))   # 1,000,001 bytes
    with pytest.raises(DataFileError, match="larger than 1,000,000 bytes"):
        load_file(path)


def test_a_folder_given_as_a_file_is_refused(tmp_path):
    with pytest.raises(NotRegularFileError, match="is a directory"):
        load_file(tmp_path)


def test_listing_sorts_both_suffixes_and_keeps_odd_entries_to_refuse(tmp_path):
    (tmp_path / "b.yml").write_text("a: 1\n")
    (tmp_path / "a.yaml").write_text("a: 1\n")
    (tmp_path / "folder.yaml").mkdir()
    (tmp_path / "folder.yaml" / "c.yaml").write_text("a: 1\n")
    (tmp_path / "notes.txt").write_text("x\n")
    assert [p.name for p in list_data_files(tmp_path)] == ["a.yaml", "b.yml", "folder.yaml"]
    assert [p.relative_to(tmp_path).as_posix() for p in list_data_files(tmp_path, recursive=True)
            ] == ["a.yaml", "b.yml", "folder.yaml", "folder.yaml/c.yaml"]


# ---- the CLI ---------------------------------------------------------------------------

def test_cli_gpus_profiles_with_a_fifo(run, fifo_profiles):
    _assert_one_line_refusal(*run("gpus", "--profiles", fifo_profiles),
                             fifo_profiles / "bad.yaml", "a FIFO")


def test_cli_estimator_profiles_with_a_fifo(run, fifo_profiles, monkeypatch):
    monkeypatch.setenv("ESTIMATOR_PROFILES", str(fifo_profiles))
    _assert_one_line_refusal(*run("cost", "--gpu", "H800", "--count", "8", "--hours", "1"),
                             fifo_profiles / "bad.yaml", "a FIFO")


def test_cli_check_folder_and_file_with_a_fifo(run, fifo_scenarios):
    fifo = fifo_scenarios / "claim.yaml"
    _assert_one_line_refusal(*run("check", fifo_scenarios), fifo, "a FIFO")
    _assert_one_line_refusal(*run("check", fifo), fifo, "a FIFO")


def test_cli_lint_folder_and_file_with_a_fifo(run, fifo_profiles):
    fifo = fifo_profiles / "bad.yaml"
    _assert_one_line_refusal(*run("lint", fifo_profiles), fifo, "a FIFO")
    _assert_one_line_refusal(*run("lint", fifo), fifo, "a FIFO")


@pytest.mark.parametrize("command", ["check", "lint"])
def test_cli_symlink_to_dev_zero(zero_link, command):
    child = _in_child("import sys; from estimator.cli import main; "
                      f"sys.argv = ['estimator', {command!r}, {str(zero_link)!r}]; main()")
    _assert_one_line_refusal(child.returncode, child.stdout, child.stderr, zero_link,
                             "a character device")
