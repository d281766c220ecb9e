"""The market data of issue 23: new profiles, corrected rows, public sources, the catalog list."""

import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

import estimator
from estimator.data.profiles import builtin_dir, load_profiles
from estimator.data.yamlio import load_file

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("alias, pid, bf16, memory_gb", [
    # stas00/ml-engineering's dense table (AMD's, NVIDIA's and Google's dense figures)
    ("B300", "nvidia-b300-sxm-288gb", 2250, 288),
    ("HGX B300", "nvidia-b300-sxm-288gb", 2250, 288),
    ("GB300", "nvidia-gb300-288gb", 2500, 287.5),
    ("GH200", "nvidia-gh200-96gb", 989, 96),
    ("MI355X", "amd-mi355x", 2500, 288),
    ("Trainium2", "aws-trainium2", 667, 96),
    ("trn2", "aws-trainium2", 667, 96),
    ("Ironwood", "google-tpu-v7", 2307, 192),
    ("TPU v7", "google-tpu-v7", 2307, 192),
])
def test_new_profiles_resolve_with_sourced_specs(alias, pid, bf16, memory_gb):
    profile = estimator.get_profile(alias)
    assert profile.id == pid
    assert profile.peak_tflops("bf16") == bf16
    assert profile.spec("memory_gb") == memory_gb


def test_a_cost_on_a_new_gpu_needs_only_a_price():
    frame = estimator.estimate(gpu="B300", gpu_hours=1e6, price=3.0)
    assert frame["cost_usd_typical"].iloc[0] == pytest.approx(3e6)


def test_no_source_points_at_a_private_reference_file():
    for path in sorted(builtin_dir().glob("*.yaml")):
        text = path.read_text(encoding="utf-8")
        assert "hardware-more.md" not in text and "facts.md" not in text, path.name
        assert "project reference" not in text.lower(), path.name


def _observations(pid, **match):
    return [o for o in load_profiles().get(pid).rental
            if all(getattr(o, k) == v for k, v in match.items())]


def test_lambda_june_2023_199_is_filed_as_h100_pcie():
    # Lambda's $1.99 of 2023-06-20 was its 1x H100 PCIe price (issue 23)
    day = dt.date(2023, 6, 20)
    assert _observations("nvidia-h100-pcie-80gb", date=day, price_per_gpu_hour=1.99)
    assert not _observations("nvidia-h100-sxm5-80gb", date=day, price_per_gpu_hour=1.99)


def test_databricks_reserved_price_is_not_on_demand():
    rows = _observations("nvidia-h100-sxm5-80gb", date=dt.date(2023, 6, 22),
                         price_per_gpu_hour=5.0)
    assert [o.tier for o in rows] == ["commit_1y"]
    assert "reserved" in rows[0].note


def test_china_server_rental_is_an_index_not_the_marketplace_tier():
    rows = [o for o in load_profiles().get("H100").rental if o.provider.startswith("China")]
    assert [(o.tier, o.provider_class) for o in rows] == [("on_demand", "index")]
    # CNY 75,000 a month / 730 h / 8 GPUs = CNY 12.84 per GPU-hour
    assert rows[0].price_per_gpu_hour == pytest.approx(75000 / 730 / 8, rel=1e-3)


def test_catalog_rows_are_read_and_cite_a_dated_commit():
    rows = [o for o in load_profiles().get("A100-40GB").rental
            if "the-full-stack/website/blob/" in o.source]
    assert rows
    spot = [o for o in rows if o.tier == "spot" and o.provider.startswith("AWS p4d")]
    # AWS p4d.24xlarge spot 9.83 per 8-GPU instance in the table's 2022-08-04 version
    assert spot and spot[0].price_usd_per_gpu_hour == pytest.approx(9.83 / 8)
    assert spot[0].date == spot[0].as_of == dt.date(2022, 8, 4)


def _git(repo, *args, date=None):
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@t", "PATH": "/usr/bin:/bin"}
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, env=env)


def test_import_full_stack_dates_each_price_by_its_first_commit(tmp_path):
    sys.path.insert(0, str(ROOT / "tools"))
    import import_full_stack as tool

    repo = tmp_path / "site"
    (repo / "docs" / "cloud-gpus").mkdir(parents=True)
    _git(repo, "init", "-q")
    header = "Cloud,GPU Type,GPU Arch,GPUs,GPU RAM,vCPUs,RAM,On-demand,Per-GPU,Spot,Name\n"
    rows = ["AWS,A100 (40 GB),Ampere,8,320,96,1152,32.77,4.10,9.83,p4d.24xlarge\n",
            "Lambda,H100 (80 GB),Hopper,1,80,26,200,2.40,2.40,,\n",
            "Acme,A100 (80 GB),Ampere,1,80,8,64,1.00,1.00,,\n"]          # form unknown: left out
    csv = repo / tool.CATALOG
    for date, text in (("2023-05-12T12:00:00", header + "".join(rows)),
                       ("2023-06-20T12:00:00", header + rows[0] + rows[1].replace("2.40", "1.99")
                        + rows[2])):
        csv.write_text(text)
        _git(repo, "add", "-A")
        _git(repo, "commit", "-q", "-m", "prices", date=date)
    found = tool.observations(repo / ".git")
    assert sorted(found) == ["nvidia-a100-sxm4-40gb", "nvidia-h100-pcie-80gb"]
    a100 = found["nvidia-a100-sxm4-40gb"]
    assert [(o["tier"], o["date"]) for o in a100] == [("on_demand", "2023-05-12"),
                                                       ("spot", "2023-05-12")]
    assert a100[0]["price_per_instance_hour"] == 32.77 and a100[0]["gpus_per_instance"] == 8
    h100 = found["nvidia-h100-pcie-80gb"]
    assert [(o["price_per_gpu_hour"], o["date"]) for o in h100] == [(2.4, "2023-05-12"),
                                                                     (1.99, "2023-06-20")]
    assert h100[1]["source"].startswith("https://github.com/the-full-stack/website/blob/")


def test_every_new_observation_has_a_public_source():
    for path in sorted(builtin_dir().glob("*.yaml")):
        doc = load_file(path)
        for key in ("rental_prices", "catalog_rental_prices"):
            for row in doc.get(key) or []:
                source = row["source"]
                public = ("http" in source or source.startswith("ref:")
                          or "arXiv" in source)            # a paper, by its arXiv number
                assert public, (path.name, source)
