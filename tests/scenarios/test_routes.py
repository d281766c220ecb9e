"""Issue 22, item 5: alternative descriptions of one run (`route:` on stages) are never summed."""

import pytest

import estimator
from estimator.scenarios import load_scenario
from tests.conftest import FIXTURES

TWO_ROUTES = FIXTURES / "scenarios" / "issue22" / "deepseek-v3-two-routes.yaml"


def test_each_claim_is_judged_on_its_own_route():
    result = load_scenario(TWO_ROUTES).run()
    gpu_hours, flop = result.claims
    assert gpu_hours.verdict == flop.verdict == "reproduced"
    assert gpu_hours.computed.stated == 2_788_000
    assert flop.computed.stated == pytest.approx(6 * 37e9 * 14.8e12)
    # the scenario total is one route's (the first in the file), never the two added
    assert result.totals["gpu_hours"].stated == 2_788_000


def _without_claim_stages(tmp_path, drop="    stages: [six-nd]\n"):
    path = tmp_path / TWO_ROUTES.name
    path.write_text(TWO_ROUTES.read_text().replace(drop, "", 1))
    return path


def test_a_claim_without_stages_on_a_file_with_routes_is_an_error(tmp_path, run):
    path = _without_claim_stages(tmp_path)
    with pytest.raises(estimator.DataFileError) as info:
        load_scenario(path)
    line = path.read_text().splitlines().index(
        '  - text: "6 x 37B activated parameters x 14.8T tokens"') + 1
    assert str(info.value).startswith(
        f"{path}:{line}: claims[1].stages: the stages describe one run in alternative ways "
        "(routes reported, work), so the claim must say which stages it covers")
    assert "stages: [reported-hours]" in info.value.hint
    code, _, err = run("check", path)
    assert code == 2 and "claims[1].stages" in err
    # following the advice makes the file run
    fixed = path.read_text().replace(
        '    derived: true\n', '    derived: true\n    stages: [reported-hours]\n', 1)
    path.write_text(fixed)
    assert [c.verdict for c in load_scenario(path).run().claims][0] == "reproduced"


def test_a_claim_across_two_routes_is_an_error(tmp_path):
    path = tmp_path / TWO_ROUTES.name
    path.write_text(TWO_ROUTES.read_text().replace("stages: [six-nd]",
                                                   "stages: [six-nd, reported-hours]"))
    with pytest.raises(estimator.DataFileError, match="different routes .reported, work."):
        load_scenario(path)


def test_without_routes_the_stages_are_summed_as_before(tmp_path):
    # The trap the key closes: the same two stages without route: add up.
    path = tmp_path / TWO_ROUTES.name
    path.write_text(TWO_ROUTES.read_text().replace("    route: reported\n", "")
                    .replace("    route: work\n", "").replace("    stages: [reported-hours]\n", "")
                    .replace("    stages: [six-nd]\n", ""))
    gpu_hours, _ = load_scenario(path).run().claims
    assert gpu_hours.computed.stated > 2_788_000 or gpu_hours.verdict != "reproduced"
