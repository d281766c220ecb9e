"""Built-in and user hardware profiles (estimator/profiles.py, hardware_profiles/)."""

import math
import re

import pytest

import estimator
from estimator.data.profiles import ENV_VAR, builtin_dir, load_profiles
from estimator.data.yamlio import load_file
from estimator.errors import DataFileError, UnknownNameError
from tests.conftest import FIXTURES

REQUIRED = ["nvidia-h800-sxm5-80gb", "nvidia-h100-sxm5-80gb", "nvidia-h100-pcie-80gb",
            "nvidia-a100-sxm4-80gb", "nvidia-a100-sxm4-40gb", "nvidia-a100-pcie-80gb",
            "nvidia-a800-sxm4-80gb"]
BUILTIN_FILES = sorted(builtin_dir().glob("*.yaml"))


def test_required_profiles_exist():
    ids = load_profiles().ids()
    for pid in REQUIRED:
        assert pid in ids


@pytest.mark.parametrize("alias, pid", [
    ("H800", "nvidia-h800-sxm5-80gb"), ("h800-sxm", "nvidia-h800-sxm5-80gb"),
    ("H100", "nvidia-h100-sxm5-80gb"), ("h100 pcie", "nvidia-h100-pcie-80gb"),
    ("A100", "nvidia-a100-sxm4-80gb"), ("A800", "nvidia-a800-sxm4-80gb"),
    ("NVIDIA H800 SXM5 80GB", "nvidia-h800-sxm5-80gb"),
])
def test_aliases(alias, pid):
    assert estimator.get_profile(alias).id == pid


def test_datasheet_figures():
    # NVIDIA H100 datasheet, dense (the sheet quotes sparsity at 2x): BF16 989 TFLOPS,
    # FP8 1979, 700 W; A100: BF16 312, no FP8; H800 NVLink 400 GB/s (arXiv 2505.09343).
    h100 = estimator.get_profile("H100")
    assert h100.peak_tflops("bf16") == pytest.approx(989, abs=1)
    assert h100.peak_tflops("fp8") == pytest.approx(1979, abs=1)
    assert h100.tdp_w == 700
    a100 = estimator.get_profile("A100")
    assert a100.peak_tflops("bf16") == 312
    with pytest.raises(ValueError, match="no FP8"):
        a100.peak_tflops("fp8")
    assert estimator.get_profile("H800").spec("nvlink_gb_per_s") == 400


def test_unknown_gpu_message():
    with pytest.raises(UnknownNameError) as info:
        estimator.get_profile("H900")
    text = str(info.value)
    assert text.startswith("unknown GPU 'H900'; did you mean H800")
    assert "Known: " in text and "H100" in text


def _numbers_without_provenance(node, path=""):
    """Paths of numbers in a raw profile that do not sit in a mapping with source and as_of."""
    bad = []
    if isinstance(node, dict):
        has_source = "source" in node and "as_of" in node
        for key, value in node.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                if not has_source:
                    bad.append(f"{path}.{key}")
            else:
                bad += _numbers_without_provenance(value, f"{path}.{key}")
    elif isinstance(node, list):
        for i, value in enumerate(node):
            bad += _numbers_without_provenance(value, f"{path}[{i}]")
    return bad


@pytest.mark.parametrize("path", BUILTIN_FILES, ids=lambda p: p.stem)
def test_every_number_has_source_and_as_of(path):
    assert _numbers_without_provenance(load_file(path)) == []


@pytest.mark.parametrize("path", BUILTIN_FILES, ids=lambda p: p.stem)
def test_every_profile_has_a_price_band_or_says_why(path):
    profile = load_profiles().get(path.stem)
    band = profile.band()
    if band is None:
        assert profile.notes, f"{path.name}: no band and no note saying why"
    else:
        assert 0 < band.low <= band.typical <= band.high < 100
        assert all(math.isfinite(x) for x in (band.low, band.high))


def test_user_folder_adds_and_overrides(tmp_path, monkeypatch):
    profiles = load_profiles([FIXTURES / "profiles" / "user"])
    assert profiles.get("X1").name == "ACME X1 96GB"
    override = tmp_path / "nvidia-h800-sxm5-80gb.yaml"
    text = (builtin_dir() / "nvidia-h800-sxm5-80gb.yaml").read_text()
    override.write_text(re.sub(r"(?m)^name: .*$", "name: My H800", text, count=1))
    monkeypatch.setenv(ENV_VAR, str(tmp_path))
    assert load_profiles().get("H800").name.startswith("My H800")


def test_malformed_profile_names_file_line_and_key():
    with pytest.raises(DataFileError) as info:
        load_profiles([FIXTURES / "profiles" / "broken"])
    text = str(info.value)
    assert "acme-bad.yaml:8: specs.tdp_watts: unknown key; did you mean tdp_w?" in text


def test_missing_folder():
    with pytest.raises(DataFileError, match="does not exist"):
        load_profiles(["/nonexistent/folder"])
