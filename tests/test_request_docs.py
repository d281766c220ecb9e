"""The API functions share one text for the request keywords (estimator/calc/request_docs.py)."""

import inspect

import pytest

import estimator
from estimator.calc.request_docs import PLACEHOLDER, REQUEST_PARAMETERS

FUNCTIONS = ["estimate", "compute", "own", "solve", "sweep", "simulate"]


@pytest.mark.parametrize("name", FUNCTIONS)
def test_each_request_keyword_is_documented_with_the_shared_text(name):
    function = getattr(estimator, name)
    doc = inspect.cleandoc(function.__doc__)
    assert PLACEHOLDER not in doc
    accepted = [k for k in REQUEST_PARAMETERS if k in inspect.signature(function).parameters]
    assert {"as_of", "currency", "fx_date", "profiles"} <= set(accepted)
    for keyword in accepted:
        assert REQUEST_PARAMETERS[keyword] in doc, (name, keyword)
        assert doc.count(f"\n{keyword} : ") == 1, (name, keyword)


def test_plan_documents_its_request_keywords_with_the_shared_text():
    doc = inspect.cleandoc(estimator.plan.__doc__)
    assert PLACEHOLDER not in doc
    for keyword in ("as_of", "fx_date", "profiles"):
        assert REQUEST_PARAMETERS[keyword] in doc and doc.count(f"\n{keyword} : ") == 1


def test_the_deflator_entry_names_both_indexes():
    # it said {"ppi"} in four functions after CPI-U shipped (issue 24)
    assert '{"ppi", "cpi"}' in REQUEST_PARAMETERS["deflator"]
    from estimator.calc.deflator import INDEXES
    assert set(INDEXES) == {"ppi", "cpi"}
