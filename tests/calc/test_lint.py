"""The data linter (estimator/lint.py) on the built-in data and on broken fixtures."""

import datetime as dt
from pathlib import Path

from estimator.calc.lint import lint
from tests.conftest import FIXTURES

LINT = FIXTURES / "lint"


def test_builtin_data_is_clean(run, monkeypatch):
    # lint also checks bands at today's date; pinned to the release day so that the verdict
    # does not depend on the day the tests run (estimator/clock.py)
    monkeypatch.setenv("ESTIMATOR_TODAY", "2026-12-07")
    frame = lint()
    assert frame.empty, frame.to_string()
    code, _, err = run("lint")
    assert code == 0 and "No problems" in err


def test_broken_profiles_are_caught():
    frame = lint([LINT / "profiles"], today=dt.date(2026, 11, 24))
    problems = " | ".join(frame["problem"])
    assert "2031-01-01 is in the future" in problems
    assert "2099-06-01 is in the future" in problems
    assert "$17.60 per GPU-hour is 8.0x the median" in problems
    assert "alias 'X1' is also used by" in problems
    line = frame[frame["problem"].str.contains("per GPU-hour")].iloc[0]
    assert line["key"] == "rental_prices[2]" and line["line"] == 15


def test_broken_fx_and_scenarios_are_caught():
    frame = lint([LINT / "fx", LINT / "scenarios"], today=dt.date(2026, 11, 24))
    problems = " | ".join(frame["problem"])
    assert "1117.5 SEK/USD is far from the median" in problems
    assert "2099-01-01 is in the future" in problems
    assert "unknown GPU 'H900'" in problems


def test_unsourced_number(tmp_path):
    text = (FIXTURES / "profiles" / "user" / "acme-x1.yaml").read_text()
    bad = tmp_path / "acme-x1.yaml"
    sourced = '  memory_gb: {value: 96, source: "ref:sheet", as_of: "2025-06-01"}'
    bad.write_text(text.replace(sourced, '  memory_gb: {value: 96}'))
    frame = lint([bad])
    assert "specs.memory_gb" in " ".join(frame["key"].astype(str))


def test_cli_exit_code(run):
    code, out, err = run("lint", LINT / "profiles")
    assert code == 1 and "problem(s)" in err


def test_broken_observation_file_is_caught():
    frame = lint([LINT / "observations"], today=dt.date(2026, 11, 24))
    found = {(Path(f).name, line, key): problem for f, line, key, problem in frame.itertuples(
        index=False)}
    # 31.464 is an 8-GPU instance price: 31.464 / 3.34 (median of the built-in H100 SXM
    # non-spot observations, with the archived neocloud price pages of issue 23) = 9.4x; the
    # 40.0 RunPod row says why ('outlier') and passes
    assert found[("broken.yaml", 7, "observations[0]")].startswith(
        "$31.46 per GPU-hour is 9.4x the median $3.34 of nvidia-h100-sxm5-80gb")
    assert "unknown GPU 'H900'" in found[("broken.yaml", 16, "observations[1].gpu")]
    assert "2099-01-01 is in the future" in found[("broken.yaml", 31, "observations[2].date")]
    assert found[("unsourced.yaml", 7, "observations[0].price_per_gpu_hour")] == \
        "number without source and as_of"
    assert "missing required key 'as_of'" in found[("unsourced.yaml", 3, "observations[0]")]
    assert not any("observations[3]" in str(key) for _, _, key in found)
    assert len(frame) == 6


def test_imported_observation_file_is_clean(tmp_path):
    from estimator.calc.prices import import_prices

    import_prices(FIXTURES / "prices" / "runpod-vms.csv", "skypilot", tmp_path / "out",
                  as_of="2025-09-01")
    assert lint([tmp_path / "out"], today=dt.date(2026, 11, 24)).empty


def test_a_stale_band_at_a_scenario_date_is_a_warning(tmp_path):
    # two providers' prices of 2020, a scenario dated 2022-06-01 naming the GPU: the newest
    # price is over 365 days old at that date (estimator.bands.STALE_DAYS)
    rows = "".join(
        f'  - {{provider: {p}, tier: on_demand, provider_class: neocloud, price_per_gpu_hour: {v},'
        f' date: "2020-0{m}-01", source: "https://example.org/{p}", as_of: "2020-0{m}-01"}}\n'
        for p, v, m in (("P1", 1.0, 1), ("P2", 1.2, 2), ("P3", 1.1, 3)))
    (tmp_path / "acme-z6.yaml").write_text(
        'id: acme-z6\nname: ACME Z6\nvendor: ACME\narchitecture: Imaginary\n'
        'references:\n  sheet: {title: sheet}\n'
        'launch_date: {value: "2019-01-01", source: "ref:sheet", as_of: "2019-01-01"}\n'
        'specs:\n  bf16_dense_tflops: {value: 100, source: "ref:sheet", as_of: "2019-01-01"}\n'
        "rental_prices:\n" + rows)
    (tmp_path / "claim.yaml").write_text(
        'id: claim\ntitle: t\ndate: "2022-06-01"\nsources:\n  - {outlet: o, title: t, '
        'date: "2022-06-01", role: article}\nclaim: {text: t, quantity: cost, value: "1000 USD"}\n'
        'stages:\n  - {name: s, gpu: acme-z6, count: 8, hours: 100}\n')
    frame = lint([tmp_path], today=dt.date(2022, 6, 2))
    [problem] = [p for p in frame["problem"] if "stale" in p]
    assert "2022-06-01 (range from 3 observations (3 providers), newest 2020-03-01; stale)" \
        in problem
