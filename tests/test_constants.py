"""Every shared model constant is defined once (estimator/models/constants.py, issue 24)."""

import ast
from pathlib import Path

import yaml

from estimator.models import constants

PACKAGE = Path(__file__).resolve().parent.parent / "estimator"
SHARED = [name for name in vars(constants) if name.isupper()]


def assigned_names(path: Path) -> set:
    """Upper-case names a module assigns at module level."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = set()
    for node in tree.body:
        targets = node.targets if isinstance(node, ast.Assign) else (
            [node.target] if isinstance(node, ast.AnnAssign) else [])
        names |= {t.id for t in targets if isinstance(t, ast.Name)}
    return names


def test_shared_constants_have_one_home():
    assert {"DEFAULT_MFU", "MFU_RANGE", "HOURS_PER_YEAR", "INTERCONNECT_SHARE"} <= set(SHARED)
    for path in PACKAGE.rglob("*.py"):
        if path.name == "constants.py" and path.parent.name == "models":
            continue
        clash = assigned_names(path) & set(SHARED)
        assert not clash, f"{path.relative_to(PACKAGE.parent)} redefines {sorted(clash)}"


def test_the_mfu_default_is_epochs_median_and_interval():
    # Epoch AI (arXiv 2405.21015): MFU imputed at 0.375, the median of 33 known runs, and 0.65
    # the top of their 90% interval; 0.15 the project's floor, below GPT-3's 21.3% (PaLM Table 3)
    assert constants.DEFAULT_MFU == 0.375
    assert constants.MFU_RANGE == (0.15, 0.65)
    assert constants.MFU_RANGE[0] < 0.213 < constants.DEFAULT_MFU < constants.MFU_RANGE[1]
    assert constants.HOURS_PER_YEAR == 24 * 365.25


def test_every_constant_in_the_cost_tables_is_read():
    """cost_methods.yaml keeps only what the code reads (no constant that changes nothing)."""
    tables = yaml.safe_load((PACKAGE / "data" / "cost_methods.yaml").read_text())
    code = "\n".join(p.read_text(encoding="utf-8") for p in PACKAGE.parent.glob("*/**/*.py")
                     if "tests" not in p.parts)
    for name in tables["constants"]:
        assert f'"{name}"' in code, f"cost_methods.yaml constant {name} is never read"


def test_the_cost_tables_repeat_no_model_default():
    """cost_methods.yaml's PUE and power fraction tables hold only what differs from the
    package's defaults (models/energy.py): Epoch AI's 1.25 and 0.75 are defined once."""
    from estimator.calc.cost_methods import rules
    from estimator.models import energy

    tables = yaml.safe_load((PACKAGE / "data" / "cost_methods.yaml").read_text())
    assert "other" not in tables["pue"] and "gpu" not in tables["power_fraction"]
    assert rules.pue_for("Technology Innovation Institute") == energy.DEFAULT_PUE == 1.25
    assert rules.pue_for("Meta AI") == 1.1
    assert rules.power_fraction("NVIDIA A100") == energy.DEFAULT_POWER_FRACTION == 0.75
    assert rules.power_fraction("Google TPU v4") == 0.43
