"""ClaimReview JSON-LD and share tags on every claim page, checked against schema.org.

The vocabulary below is the part of schema.org the pages use: each type with its parent, each
property with the types schema.org lists it on ("Used on these types" / domainIncludes), from
the schema.org pages linked. A property on a type that (or whose ancestors) schema.org does not
list is an error, as is an unknown type or property.
"""

from __future__ import annotations

import datetime as dt
import json
import re

import jsonschema
import pytest

from estimator.site.claimreview import json_ld

TYPES = {  # type -> parent (https://schema.org/<Type>, "More specific Types" / breadcrumb)
    "Thing": None, "CreativeWork": "Thing", "Review": "CreativeWork",
    "ClaimReview": "Review", "Claim": "CreativeWork", "Intangible": "Thing",
    "Rating": "Intangible", "Organization": "Thing", "Person": "Thing",
}
PROPERTIES = {  # property -> (schema.org URL, types it is used on)
    "claimReviewed": ("https://schema.org/claimReviewed", {"ClaimReview"}),
    "itemReviewed": ("https://schema.org/itemReviewed", {"Review", "AggregateRating"}),
    "reviewRating": ("https://schema.org/reviewRating", {"Review"}),
    "reviewBody": ("https://schema.org/reviewBody", {"Review"}),
    "datePublished": ("https://schema.org/datePublished", {"CreativeWork"}),
    "author": ("https://schema.org/author", {"CreativeWork", "Rating"}),
    "appearance": ("https://schema.org/appearance", {"Claim"}),
    "headline": ("https://schema.org/headline", {"CreativeWork"}),
    "inLanguage": ("https://schema.org/inLanguage", {"CreativeWork"}),
    "name": ("https://schema.org/name", {"Thing"}),
    "alternateName": ("https://schema.org/alternateName", {"Thing"}),
    "url": ("https://schema.org/url", {"Thing"}),
    "ratingValue": ("https://schema.org/ratingValue", {"Rating"}),
    "bestRating": ("https://schema.org/bestRating", {"Rating"}),
    "worstRating": ("https://schema.org/worstRating", {"Rating"}),
}

PARTY = {"type": "object", "required": ["@type", "name"],
         "properties": {"@type": {"enum": ["Organization", "Person"]},
                        "name": {"type": "string", "minLength": 1}}}
DATE = {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
CLAIM_REVIEW = {
    "type": "object",
    "required": ["@context", "@type", "claimReviewed", "itemReviewed", "reviewRating",
                 "datePublished", "author"],
    "properties": {
        "@context": {"const": "https://schema.org"},
        "@type": {"const": "ClaimReview"},
        "claimReviewed": {"type": "string", "minLength": 1},
        "datePublished": DATE,
        "author": PARTY,
        "itemReviewed": {"type": "object", "required": ["@type", "author", "datePublished"],
                         "properties": {"@type": {"const": "Claim"}, "author": PARTY,
                                        "datePublished": DATE}},
        "reviewRating": {
            "type": "object",
            "required": ["@type", "ratingValue", "bestRating", "worstRating", "alternateName"],
            "properties": {"@type": {"const": "Rating"},
                           "ratingValue": {"type": "integer", "minimum": 1, "maximum": 3},
                           "bestRating": {"const": 3}, "worstRating": {"const": 1},
                           "alternateName": {"enum": ["Reproduced", "Consistent",
                                                      "Inconsistent"]}}},
    },
}
"""The structure a fact-check reader (a search engine) needs: every part present and typed."""

LD = re.compile(r'<script type="application/ld\+json">(.*?)</script>', re.S)


def is_a(kind: str, ancestor: str) -> bool:
    while kind is not None:
        if kind == ancestor:
            return True
        kind = TYPES[kind]
    return False


def vocabulary_errors(node, path="$") -> list[str]:
    """Every unknown type, unknown property or property on a type schema.org does not list."""
    errors = []
    if isinstance(node, list):
        for i, item in enumerate(node):
            errors += vocabulary_errors(item, f"{path}[{i}]")
        return errors
    if not isinstance(node, dict):
        return errors
    kind = node.get("@type")
    if kind not in TYPES:
        return [f"{path}: unknown type {kind!r}"]
    for key, value in node.items():
        if key.startswith("@"):
            continue
        if key not in PROPERTIES:
            errors.append(f"{path}.{key}: not a schema.org property used here")
        elif not any(is_a(kind, domain) for domain in PROPERTIES[key][1] if domain in TYPES):
            errors.append(f"{path}.{key}: schema.org does not list it on {kind}")
        errors += vocabulary_errors(value, f"{path}.{key}")
    return errors


def reviews(page_html: str) -> list[dict]:
    blocks = LD.findall(page_html)
    assert len(blocks) == 1
    return json.loads(blocks[0])


def test_every_claim_page_carries_a_valid_claim_review(built_site, check_frame):
    for scenario, claims in check_frame.groupby("scenario", sort=True):
        html = (built_site / scenario / "index.html").read_text("utf-8")
        data = reviews(html)
        assert len(data) == len(claims), scenario
        for review, (_, row) in zip(data, claims.iterrows()):
            jsonschema.validate(review, CLAIM_REVIEW)
            assert vocabulary_errors(review) == [], scenario
            assert review["claimReviewed"] == row["claim"]
            assert review["reviewRating"]["alternateName"].lower() == row["verdict"]
            rank = {"inconsistent": 1, "consistent": 2, "reproduced": 3}[row["verdict"]]
            assert review["reviewRating"]["ratingValue"] == rank


def test_claim_review_names_the_article_and_its_date():
    # deepseek-v3-60-million-sek: the claim appeared in Kinamedia on 2025-02-02 (its source).
    from estimator.scenarios import load_scenarios
    from estimator.site import claimreview, pages

    result = load_scenarios(["deepseek-v3-60-million-sek"])[0].run()
    page = pages.scenario_page(result)
    review = claimreview.claim_reviews(page, dt.date(2026, 12, 7))[0]
    assert review["itemReviewed"]["author"] == {"@type": "Organization",
                                                "name": "Kinamedia (Swedish newsletter on China)"}
    assert review["itemReviewed"]["datePublished"] == "2025-02-02"
    assert review["itemReviewed"]["appearance"]["inLanguage"] == "sv"
    assert review["datePublished"] == "2026-12-07"
    assert review["reviewRating"]["alternateName"] == "Reproduced"


def test_share_tags_carry_the_verdict(built_site):
    html = (built_site / "deepseek-v3-60-million-sek" / "index.html").read_text("utf-8")
    head = html.split("</head>", 1)[0]
    assert re.search(r'<meta property="og:description" content="Verdict — Reproduced: ', head)
    assert '<meta name="twitter:card" content="summary">' in head
    assert re.search(r'<meta property="og:title" content="[^"]+">', head)


@pytest.mark.parametrize("text", ["</script><script>alert(1)</script>", "a < b && c > d",
                                  "<!-- x -->"])
def test_json_ld_cannot_end_its_script_element(text):
    encoded = json_ld({"claimReviewed": text})
    assert "<" not in encoded and ">" not in encoded and "&" not in encoded
    assert json.loads(encoded) == {"claimReviewed": text}


def test_hostile_claim_text_stays_data_on_the_page(tmp_path):
    from estimator.scenarios import builtin_scenario_dir
    from estimator.site import build_site

    source = builtin_scenario_dir() / "deepseek-v3-60-million-sek.yaml"
    text = source.read_text("utf-8").replace("id: deepseek-v3-60-million-sek", "id: evil")
    text = re.sub(r'(\n  - text: ")|(\nclaim:\n  text: ")',
                  lambda m: m.group(0) + "</script><script>alert(1)</script> ", text, count=1)
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "evil.yaml").write_text(text, encoding="utf-8")
    build_site([tmp_path / "c"], tmp_path / "out")
    html = (tmp_path / "out" / "evil" / "index.html").read_text("utf-8")
    assert "<script>alert(1)</script>" not in html
    assert "\\u003c/script\\u003e\\u003cscript\\u003ealert(1)" in html
    assert reviews(html)[0]["claimReviewed"].startswith("</script><script>alert(1)</script>")


def test_only_web_addresses_become_the_claims_appearance():
    from estimator.site import claimreview

    claim = {"text": "x", "source": None, "explanation": "y", "badge": {"label": "Consistent"},
             "record": {"verdict": "consistent"}}
    for url, kept in (("https://example.org/a", True), ("javascript:alert(1)", False),
                      ("JAVASCRIPT:alert(1)", False), ("data:text/html,x", False)):
        page = {"headline_source": {"outlet": "O", "title": "T", "date": "2025-01-01",
                                    "url": url}, "claims": [claim]}
        review = claimreview.claim_review(page, claim, dt.date(2026, 1, 1))
        assert ("url" in review["itemReviewed"]["appearance"]) is kept, url
