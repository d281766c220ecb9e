"""Price importers (issue 14): every catalog trap, with hand-computed numbers from the
fixtures in tests/fixtures/prices/."""

import datetime as dt
from pathlib import Path

import pytest

from estimator.data.importers.epoch import epoch_observations
from estimator.data.importers.quotes import read_quotes
from estimator.data.importers.skypilot import read_skypilot
from estimator.data.importers.writer import write_folder
from estimator.data.profiles import load_profiles
from estimator.errors import DataFileError, InputError

FIX = Path(__file__).parents[2] / "fixtures" / "prices"
DAY = dt.date(2025, 9, 1)


def by(result, gpu, tier):
    [obs] = [o for o in result.observations if o["gpu"] == gpu and o["tier"] == tier]
    return obs


def test_aws_per_instance_prices_become_per_gpu_and_traps_are_counted():
    r = read_skypilot(FIX / "aws-vms.csv", date=DAY, skip_unknown=True)
    h100 = by(r, "nvidia-h100-sxm5-80gb", "on_demand")
    # 55.04 / 8 = 6.88 and 60.0 / 8 = 7.5: median 7.19
    assert (h100["price_per_gpu_hour"], h100["price_min_per_gpu_hour"],
            h100["price_max_per_gpu_hour"]) == (7.19, 6.88, 7.5)
    assert h100["provider"] == "AWS" and h100["provider_class"] == "hyperscaler"
    assert "aws-vms.csv rows 2-3" in h100["source"] and h100["date"] == DAY
    # spot 22 / 8 = 2.75; the us-west-2 spot 64 > on-demand 60 is left out
    assert by(r, "nvidia-h100-sxm5-80gb", "spot")["price_per_gpu_hour"] == 2.75
    assert r.dropped["SpotPrice above Price (spot left out)"] == 1
    # H200 without on-demand price: spot only (16 / 8 = 2.0)
    assert by(r, "nvidia-h200-sxm-141gb", "spot")["price_per_gpu_hour"] == 2.0
    assert not [o for o in r.observations if o["gpu"] == "nvidia-h200-sxm-141gb"
                and o["tier"] == "on_demand"]
    assert r.dropped["no Price (0 or empty)"] == 1 and r.dropped["no SpotPrice (0 or empty)"] == 1
    assert r.unknown == {"V100": 1}


def test_unknown_accelerator_fails_with_row_column_and_did_you_mean():
    with pytest.raises(DataFileError) as err:
        read_skypilot(FIX / "aws-vms.csv", date=DAY)
    text = str(err.value)
    assert "aws-vms.csv:5:" in text and "AcceleratorName" in text and "'V100'" in text
    assert "did you mean" in text.lower()


def test_unknown_accelerator_mapped_by_the_user():
    r = read_skypilot(FIX / "aws-vms.csv", date=DAY,
                      extra_names={"V100": "nvidia-v100-sxm2-32gb"})
    assert by(r, "nvidia-v100-sxm2-32gb", "on_demand")["price_per_gpu_hour"] == 3.06


def test_gcp_host_plus_accelerator_tpu_chips_placeholders_duplicates():
    r = read_skypilot(FIX / "gcp-vms.csv", date=DAY)
    # a2-highgpu-1g host 0.73948 + A100 x1 2.93391 = 3.67339 (SOURCE.md example)
    assert by(r, "nvidia-a100-sxm4-40gb", "on_demand")["price_per_gpu_hour"] == 3.67339
    assert by(r, "nvidia-a100-sxm4-40gb", "spot")["price_per_gpu_hour"] == 1.2
    # tpu-v4-8 = 8 TensorCores = 4 chips: 12.88 / 4 = 3.22; the duplicate row read once
    v4 = by(r, "google-tpu-v4", "on_demand")
    assert v4["price_per_gpu_hour"] == 3.22 and v4["rows_used"] == 1
    assert r.dropped["duplicate rows"] == 1
    # tpu-v6e-4 = 4 chips: 10.8 / 4 = 2.7; the 700.0 placeholders are left out
    assert by(r, "google-tpu-v6e", "on_demand")["price_per_gpu_hour"] == 2.7
    assert r.dropped["placeholder Price 700.0"] == 1
    # the B200 host (a4-highgpu-8g) is 0.0: no VM price, left out and counted
    assert not [o for o in r.observations if o["gpu"] == "nvidia-b200-sxm-180gb"]
    assert r.dropped["no priced GCP host row (Price)"] == 1


def test_runpod_crlf_own_names_and_swapped_l40s_flagged():
    r = read_skypilot(FIX / "runpod-vms.csv", date=DAY)
    # RunPod's H100 is the PCIe card: 4.78 / 2 = 2.39
    assert by(r, "nvidia-h100-pcie-80gb", "on_demand")["price_per_gpu_hour"] == 2.39
    l40s = by(r, "nvidia-l40s-48gb", "on_demand")
    assert l40s["price_per_gpu_hour"] == 0.43 and "look swapped" in l40s["note"]
    assert not [o for o in r.observations if o["tier"] == "spot" and "l40s" in o["gpu"]]


def test_epoch_bom_dollar_text_and_tiers():
    r = epoch_observations(FIX / "Hardware prices.csv")
    tiers = {o["tier"]: o["price_per_gpu_hour"] for o in r.observations}
    assert tiers == {"on_demand": 2.49, "commit_1y": 1.89}      # "$2.49", "$1.89"
    assert r.observations[0]["provider"] == "Lambda Labs"
    assert r.observations[0]["date"] == dt.date(2024, 3, 1)
    assert "row 2" in r.observations[0]["source"]
    assert r.dropped["no rental price (purchase only)"] == 1


def test_quote_sheet_instance_hours_and_zero_price():
    r = read_quotes(FIX / "quotes.csv", load_profiles())
    prices = [(o["tier"], o["price_per_gpu_hour"]) for o in r.observations]
    assert prices == [("commit_1y", 2.10), ("on_demand", 3.0)]     # 24.00 / 8 GPUs
    assert r.observations[1]["provider_class"] == "neocloud"
    assert r.dropped["no price (0 or empty)"] == 1


@pytest.mark.parametrize("text, where", [
    ("2025-06-01,H100,A,neocloud,on_demand,-2,USD,gpu_hour,,x", ":2: price:"),
    ("2025-06-01,H100,A,neocloud,on_demand,2,XYZ,gpu_hour,,x", ":2: currency:"),
    ("2025-06-01,H1OO,A,neocloud,on_demand,2,USD,gpu_hour,,x", ":2: gpu:"),
    ("2025-06-01,H100,A,neocloud,on_demand,2,USD,instance_hour,,x", ":2: gpus_per_instance:"),
])
def test_quote_sheet_bad_cells_name_row_and_column(tmp_path, text, where):
    path = tmp_path / "q.csv"
    path.write_text("date,gpu,provider,provider_class,tier,price,currency,unit,"
                    "gpus_per_instance,source\n" + text + "\n")
    with pytest.raises(DataFileError) as err:
        read_quotes(path, load_profiles())
    assert where in str(err.value)


def test_wrong_format_names_the_missing_column():
    with pytest.raises(DataFileError, match="missing column 'AcceleratorName'"):
        read_skypilot(FIX / "quotes.csv", date=DAY, provider="aws")


def test_negative_catalog_price(tmp_path):
    path = tmp_path / "aws-vms.csv"
    path.write_text("InstanceType,AcceleratorName,AcceleratorCount,Price,SpotPrice,Region\n"
                    "p5,H100,8.0,-1,,us-east-1\n")
    with pytest.raises(DataFileError,
                       match=r"aws-vms.csv:2: Price: a price cannot be negative, got -1\. "):
        read_skypilot(path, date=DAY)


def test_written_folder_layers_onto_the_history(tmp_path):
    out = tmp_path / "prices"
    write_folder([read_quotes(FIX / "quotes.csv", load_profiles())], out)
    h100 = load_profiles([out]).get("H100")
    mine = [o for o in h100.rental if o.origin]
    assert [(o.tier, o.price_usd_per_gpu_hour) for o in mine] == [("commit_1y", 2.10),
                                                                   ("on_demand", 3.0)]
    band = h100.band(dt.date(2025, 6, 2), tier="commit_1y", provider_class="neocloud")
    assert any(o.provider == "Acme GPU" for o in band.used)


def test_nothing_written_on_error(tmp_path):
    out = tmp_path / "prices"
    write_folder([read_quotes(FIX / "quotes.csv", load_profiles())], out)
    with pytest.raises(InputError, match="already exists"):
        write_folder([read_quotes(FIX / "quotes.csv", load_profiles())], out)   # exists
    assert sorted(p.name for p in out.iterdir()) == ["quotes.yaml"]
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".part")]
