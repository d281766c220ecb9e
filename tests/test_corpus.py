"""A corpus of malformed inputs: every one must be a clean, located error (exit code 2).

The cases are data, in tests/corpus/:

* ``profile_cases.yaml``: hardware profiles, each a valid base document plus an edit, a
  full replacement text, a real file (tests/corpus/files/, where the bytes matter) or a
  generated one (too big to keep); checked with ``estimator gpus --profiles DIR`` and
  ``estimator.load_profiles([DIR])``;
* ``scenario_cases.yaml``: scenario files in the same form; checked with
  ``estimator check FILE`` and ``estimator.check([FILE])``;
* ``cli_cases.yaml``: argument vectors (with files to set up first, where needed);
* ``api_cases.yaml``: calls of the Python API with bad arguments.

Each CLI case must exit 2 with exactly one ``Error: `` line on stderr and no traceback; a
file case's message names the file (and the line and key where the case gives them). Each
API case raises an ``estimator.EstimatorError`` that is also the builtin the docs name
(ValueError for bad values and files, LookupError for unknown names). No input file is
ever modified. A case that shows a bug in the tool keeps its expectation and carries
``xfail_cli`` / ``xfail_api: "bug: ..."`` (strict xfail).

The quick loop (``-m "not slow"``) runs a fixed, representative sample: the first case of
every section of each file (the ``# ----`` headings; for API cases, of every function) and
every :data:`SAMPLE_EVERY`-th case; the rest are marked ``slow`` and run with the full suite
(README's test command, CI). The sample depends only on the files, never on chance.
"""

from __future__ import annotations

import hashlib
import math
import os
import subprocess
import sys
import types
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import estimator
from estimator.cli import cli

CORPUS = Path(__file__).parent / "corpus"
FILES = CORPUS / "files"


class _CorpusLoader(yaml.SafeLoader):
    """PyYAML's safe loader without timestamps: dates in the corpus stay text ("2025-13-45")."""


_CorpusLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()}


def _load(name: str):
    with open(CORPUS / name, encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_CorpusLoader)  # noqa: S506 - a SafeLoader subclass


PROFILES = _load("profile_cases.yaml")
SCENARIOS = _load("scenario_cases.yaml")
CLI_CASES = _load("cli_cases.yaml")
API_CASES = _load("api_cases.yaml")

SAMPLE_EVERY = 10
"""Besides the first case of each section, every 10th case runs in the quick loop."""


def _sections(name: str) -> dict:
    """case name -> the ``# ----`` section heading it sits under in the corpus file."""
    section, out = "", {}
    for line in (CORPUS / name).read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("# ---"):
            section = stripped.strip("# -")
        elif stripped.startswith("- name:"):
            out[stripped[len("- name:"):].strip().strip("\"'")] = section
    return out


SECTIONS = {**_sections("profile_cases.yaml"), **_sections("scenario_cases.yaml"),
            **_sections("cli_cases.yaml")}


def in_quick_sample(cases: list) -> set:
    """Names of the cases the quick loop runs: first of each section, and every Nth."""
    chosen, seen = set(), set()
    for index, case in enumerate(cases):
        section = case["call"] if "call" in case else SECTIONS[case["name"]]
        if section not in seen or index % SAMPLE_EVERY == 0:
            chosen.add(case["name"])
        seen.add(section)
    return chosen


# ---------------------------------------------------------------- helpers


def invoke(args, env=None):
    """Run the CLI in-process like `estimator ...`: (exit_code, stdout, stderr).

    An exception that escapes the command group would be exit code 3 ("internal error")
    from the console script; here it is reported with its traceback so the test fails.
    """
    runner = CliRunner()
    result = runner.invoke(cli, [str(a) for a in args], catch_exceptions=True, env=env)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        import traceback

        tb = "".join(traceback.format_exception(*result.exc_info))
        return 3, result.stdout, result.stderr + "\nTraceback (escaped exception):\n" + tb
    return result.exit_code, result.stdout, result.stderr


def error_message(entry: str, *, args=(), call=None, env=None, builtin="ValueError") -> str:
    """The one runner: run a case through ``entry`` and return its one-line error message.

    ``"cli"`` runs ``estimator *args``: exit code 2, exactly one ``Error: `` line on stderr,
    no traceback. ``"api"`` calls ``call()``: it raises an ``estimator.EstimatorError`` that is
    also ``builtin`` (ValueError or LookupError), with a one-line message.
    """
    if entry == "cli":
        code, out, err = invoke(args, env=env)
        assert "Traceback" not in err and "Traceback" not in out, err
        assert code == 2, f"exit code {code}, stderr: {err!r}"
        errors = [text for text in err.splitlines() if text.startswith("Error: ")]
        assert len(errors) == 1, f"expected exactly one 'Error: ' line, got {err!r}"
        return errors[0]
    assert entry == "api", entry
    with pytest.raises(Exception) as info:
        call()
    exc = info.value
    assert isinstance(exc, estimator.EstimatorError), repr(exc)
    expected = {"ValueError": ValueError, "LookupError": LookupError}[builtin]
    assert isinstance(exc, expected), f"{type(exc).__name__} is not a {builtin}"
    assert "\n" not in str(exc)
    return str(exc)


def assert_names(message: str, *, words=(), file=None, line=None, key=None) -> None:
    """The error message names the file, the line (``:<line>:``), the key and the words."""
    if file is not None:
        assert str(file) in message, f"{file} not named in {message!r}"
    if line is not None:
        assert f":{line}:" in message, f"line {line} not in {message!r}"
    if key is not None:
        assert key in message, f"key {key!r} not in {message!r}"
    for word in words or ():
        assert word in message, f"{word!r} not in {message!r}"


def digest(root: Path) -> dict:
    """sha256 of every file under root (symlinks by their target text)."""
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_symlink():
            out[str(path)] = "link:" + str(path.readlink())
        elif path.is_file():
            out[str(path)] = hashlib.sha256(path.read_bytes()).hexdigest()
    return out


def case_text(spec: dict, case: dict) -> bytes:
    """The bytes of a case's main file: the base with the case's edit applied."""
    base = spec["base"]
    if "file" in case:
        return (FILES / case["file"]).read_bytes()
    if "generate" in case:
        return generate(case["generate"], base).encode("utf-8")
    if "text" in case:
        return case["text"].replace("{base}", base).encode("utf-8")
    text = base
    if "delete_lines" in case:
        first, last = case["delete_lines"]
        lines = text.splitlines(keepends=True)
        text = "".join(lines[: first - 1] + lines[last:])
    edits = case.get("edits") or ([case["edit"]] if "edit" in case else [])
    for old, new in edits:
        assert old in text, f"{case['name']}: {old!r} is not in the base document"
        text = text.replace(old, new, 1)
    if "prepend" in case:
        text = case["prepend"].replace("{base}", base) + text
    if "append" in case:
        text = text + case["append"].replace("{base}", base)
    if text == base and not case.get("unchanged"):
        raise AssertionError(f"{case['name']}: the case does not change the base document")
    return text.encode("utf-8")


def generate(what: dict, base: str) -> str:
    """Documents too large to keep in the corpus (kinds: huge, deep_list, deep_map, long_line)."""
    kind = what["kind"]
    if kind == "huge":            # a valid document padded past the size limit with comments
        pad = "# " + "x" * 98 + "\n"
        return base + pad * (what["bytes"] // len(pad) + 1)
    if kind == "huge_value":      # one enormous scalar
        return base + f"{what['key']}: \"" + "x" * what["bytes"] + "\"\n"
    if kind == "deep_list":
        depth = what["depth"]
        return base + f"{what['key']}: " + "[" * depth + "1" + "]" * depth + "\n"
    if kind == "deep_map":
        depth = what["depth"]
        return base + f"{what['key']}: " + "{a: " * depth + "1" + "}" * depth + "\n"
    if kind == "block_nest":      # block-style nesting, two spaces per level
        depth = what["depth"]
        lines = [f"{what['key']}:"] + [" " * (2 * i) + "k:" for i in range(1, depth)]
        return base + "\n".join(lines) + " 1\n"
    if kind == "wide_laughs":     # an alias bomb built from many anchors
        lines = ['l0: &l0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
        for i in range(1, what["levels"]):
            lines.append(f"l{i}: &l{i} [" + ", ".join([f"*l{i - 1}"] * 9) + "]")
        return "\n".join(lines) + "\n"
    raise AssertionError(f"unknown generator {kind!r}")


def params(spec_or_cases, kind: str):
    """pytest params for the cases; kind 'cli' or 'api' picks the xfail mark."""
    cases = spec_or_cases["cases"] if isinstance(spec_or_cases, dict) else spec_or_cases
    quick = in_quick_sample(cases)
    out = []
    for case in cases:
        reason = case.get(f"xfail_{kind}")
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        if case["name"] not in quick:
            marks.append(pytest.mark.slow)
        out.append(pytest.param(case, id=case["name"], marks=marks))
    return out


def materialise(spec: dict, case: dict, folder: Path) -> Path:
    """Write the case's files into folder; return the main file's path."""
    folder.mkdir(parents=True, exist_ok=True)
    name = case.get("filename", spec["filename"])
    path = folder / name
    if case.get("directory"):          # a folder where a file is expected
        path.mkdir(parents=True)
    elif case.get("dangling_link"):
        path.symlink_to(folder / "does-not-exist.yaml")
    else:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(case_text(spec, case))
    for extra_name, extra_text in (case.get("extra") or {}).items():
        target = folder / extra_name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(extra_text.replace("{base}", spec["base"]), encoding="utf-8")
    return path


def expectations(case: dict, path: Path, folder: Path) -> dict:
    """What the message must hold; `names` is relative to the case's folder."""
    file = folder / case["names"] if "names" in case else path
    return dict(words=case.get("words", ()), file=file, line=case.get("line"),
                key=case.get("key"))


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch):
    monkeypatch.delenv("ESTIMATOR_PROFILES", raising=False)
    monkeypatch.delenv("ESTIMATOR_DEBUG", raising=False)


# ---------------------------------------------------------------- the corpus itself


def test_corpus_is_big_and_names_are_unique():
    groups = [PROFILES["cases"], SCENARIOS["cases"], CLI_CASES, API_CASES]
    assert sum(len(g) for g in groups) >= 150
    for group in groups:
        names = [c["name"] for c in group]
        assert len(names) == len(set(names)), [n for n in names if names.count(n) > 1]


def test_quick_sample_covers_every_section_and_is_a_fraction():
    for group in (PROFILES["cases"], SCENARIOS["cases"], CLI_CASES):
        chosen = in_quick_sample(group)
        assert {SECTIONS[c["name"]] for c in group} == {SECTIONS[n] for n in chosen}
        assert len(group) / SAMPLE_EVERY < len(chosen) < len(group) / 3, (len(chosen), len(group))
    calls = {c["call"] for c in API_CASES}
    assert {c["call"] for c in API_CASES if c["name"] in in_quick_sample(API_CASES)} == calls
    # no chance involved: exactly every SAMPLE_EVERY-th case by position plus each section's first
    firsts = {}
    for case in CLI_CASES:
        firsts.setdefault(SECTIONS[case["name"]], case["name"])
    every_nth = {c["name"] for c in CLI_CASES[::SAMPLE_EVERY]}
    assert in_quick_sample(CLI_CASES) == every_nth | set(firsts.values())


def test_real_files_are_what_they_say():
    assert (FILES / "empty.yaml").read_bytes() == b""
    assert b"\x00" in (FILES / "binary-garbage.yaml").read_bytes()
    latin1 = (FILES / "latin1-profile.yaml").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        latin1.decode("utf-8")
    latin1.decode("latin-1")
    assert (FILES / "utf16-profile.yaml").read_bytes()[:2] == b"\xff\xfe"
    assert (FILES / "utf16-scenario.yaml").read_bytes()[:2] == b"\xff\xfe"


def test_profile_base_is_valid(tmp_path):
    path = materialise(PROFILES, {"name": "base", "text": PROFILES["base"]}, tmp_path / "p")
    code, out, err = invoke(["gpus", "--profiles", path.parent, "--format", "json"])
    assert code == 0, err
    assert "acme-x1" in out
    assert estimator.load_profiles([path.parent]).get("X1").id == "acme-x1"


def test_scenario_base_is_valid(tmp_path):
    path = materialise(SCENARIOS, {"name": "base", "text": SCENARIOS["base"]}, tmp_path)
    code, out, err = invoke(["check", path, "--format", "json"])
    assert code == 0, err
    frame = estimator.check([path])
    assert list(frame["verdict"]) == ["reproduced"]


# ---------------------------------------------------------------- files: profiles, scenarios


def scenario_target(case, path: Path, folder: Path) -> Path:
    """What to pass to `check`: the file, or the path the case names (relative to folder)."""
    return folder / case["check"] if "check" in case else path


FILE_KINDS = {
    # kind: (corpus, folder, the CLI's arguments, the API call) for a case's folder and target
    "profile": (PROFILES, "profiles",
                lambda folder, target: ["gpus", "--profiles", folder, "--format", "json"],
                lambda folder, target: estimator.load_profiles([folder])),
    "scenario": (SCENARIOS, "claims",
                 lambda folder, target: ["check", target, "--format", "json"],
                 lambda folder, target: estimator.check([target])),
}


def file_params() -> list:
    """One pytest param per (file kind, entry point, case)."""
    out = []
    for kind, (spec, *_) in FILE_KINDS.items():
        for entry in ("cli", "api"):
            out += [pytest.param(kind, entry, p.values[0], marks=p.marks,
                                 id=f"{kind}-{entry}-{p.id}") for p in params(spec, entry)]
    return out


@pytest.mark.parametrize("kind, entry, case", file_params())
def test_file_case(kind, entry, case, tmp_path):
    spec, folder_name, cli_args, api_call = FILE_KINDS[kind]
    folder = tmp_path / folder_name
    path = materialise(spec, case, folder)
    target = scenario_target(case, path, folder)
    before = digest(tmp_path)
    message = error_message(entry, args=cli_args(folder, target),
                            call=lambda: api_call(folder, target),
                            builtin=case.get("builtin", "ValueError"))
    assert_names(message, **expectations(case, path, folder))
    assert digest(tmp_path) == before


# ---------------------------------------------------------------- command lines


QUOTE_HEADER = ("date,gpu,provider,provider_class,tier,price,currency,unit,gpus_per_instance,"
                "source\n")


def _fill(text: str, tmp: Path) -> str:
    return (str(text).replace("{tmp}", str(tmp)).replace("{scenario}", SCENARIOS["base"])
            .replace("{files}", str(FILES)).replace("{long}", "x" * 131_073))


@pytest.mark.parametrize("case", params(CLI_CASES, "cli"))
def test_cli_case(case, tmp_path):
    for name, text in (case.get("files") or {}).items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if text is None:
            target.mkdir(exist_ok=True)
        elif text == "GENERATED":       # a valid quote sheet of generate_rows rows
            target.write_text(QUOTE_HEADER + "".join(
                f"2025-06-01,H100,Cloud {i},neocloud,on_demand,2.10,USD,gpu_hour,,offer {i}\n"
                for i in range(case["generate_rows"])), encoding="utf-8")
        else:
            target.write_text(_fill(text, tmp_path), encoding="utf-8")
    for name, points_to in (case.get("links") or {}).items():     # symbolic links
        (tmp_path / name).symlink_to(_fill(points_to, tmp_path))
    for name in case.get("fifos") or ():                           # named pipes
        os.mkfifo(tmp_path / name)
    before = digest(tmp_path)
    args = [_fill(a, tmp_path) for a in case["args"]]
    env = {k: _fill(v, tmp_path) for k, v in (case.get("env") or {}).items()} or None
    message = error_message("cli", args=args, env=env)
    names = _fill(case["names"], tmp_path) if "names" in case else None
    assert_names(message, words=[_fill(w, tmp_path) for w in case.get("words", ())],
                 file=names, key=case.get("key"))
    assert digest(tmp_path) == before          # nothing changed, nothing (not even a .part) left


# ---------------------------------------------------------------- Python API


def api_function(name: str):
    """estimator.<name> (the shadowing of it by a submodule is tested on its own below)."""
    function = getattr(estimator, name)
    if isinstance(function, types.ModuleType):
        function = getattr(function, name)
    return function


README_API = ["estimate", "compute", "own", "convert", "solve", "check", "load_scenario",
              "get_profile", "profiles_frame", "simulate", "sweep", "library", "load_profiles"]


def test_api_functions_stay_callable_after_every_submodule_is_imported():
    """Found by this corpus (since fixed): running `estimator solve` in-process imported the
    module estimator.solve, which then shadowed the API function estimator.solve."""
    code = ("import importlib, pkgutil, types, estimator\n"
            "for info in pkgutil.walk_packages(estimator.__path__, 'estimator.'):\n"
            "    importlib.import_module(info.name)\n"
            f"names = {README_API!r}\n"
            "bad = [n for n in names if isinstance(getattr(estimator, n), types.ModuleType)\n"
            "       or not callable(getattr(estimator, n))]\n"
            "assert not bad, bad\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr[-800:]


def _arg(value):
    """Corpus values are YAML; 'nan', 'inf' and '-inf' as {float: ...} become floats."""
    if isinstance(value, dict) and set(value) == {"float"}:
        return float(value["float"])
    if isinstance(value, list):
        return [_arg(v) for v in value]
    return value


@pytest.mark.parametrize("case", params(API_CASES, "api"))
def test_api_case(case, tmp_path):
    function = api_function(case["call"])
    args = [_arg(a) for a in case.get("args", [])]
    kwargs = {k: _arg(v) for k, v in (case.get("kwargs") or {}).items()}
    raised = []

    def call():
        try:
            function(*args, **kwargs)
        except Exception as exc:
            raised.append(exc)
            raise

    message = error_message("api", call=call, builtin=case.get("builtin", "ValueError"))
    assert_names(message, words=case.get("words", ()), key=case.get("key"))
    [exc] = raised
    if "raises" in case:
        assert type(exc).__name__ == case["raises"] or any(
            cls.__name__ == case["raises"] for cls in type(exc).__mro__), repr(exc)


def test_float_helper():
    assert math.isnan(_arg({"float": "nan"})) and _arg({"float": "-inf"}) == -math.inf
