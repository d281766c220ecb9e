"""Machine-readable fact-check markup for a claim page: schema.org ClaimReview as JSON-LD,
and Open Graph / Twitter card tags so a shared link shows the verdict.

ClaimReview (https://schema.org/ClaimReview) is the vocabulary fact-checkers publish with each
check: the claim reviewed, who made it and when (``itemReviewed``, a https://schema.org/Claim),
the verdict (``reviewRating``, a https://schema.org/Rating whose ``alternateName`` is the
verdict in words) and who reviewed it when (``author``, ``datePublished``). Only core
schema.org terms are used (tests/site/test_claimreview.py lists each with its URL).

The JSON-LD is data inside a ``<script type="application/ld+json">`` element, never executed;
:func:`json_ld` escapes ``<``, ``>`` and ``&`` as ``\\u003c``, ``\\u003e``, ``\\u0026`` so no
claim text can close the element.
"""

from __future__ import annotations

import datetime as dt
import json

from estimator.site.labels import in_words

PUBLISHER = "Training-cost fact-checks"
"""The name the site publishes under (the page header's brand)."""

RATINGS = {"inconsistent": 1, "consistent": 2, "reproduced": 3}
"""The verdicts as a 1-3 scale (worst to best: the arithmetic contradicts, allows, or gives the
claim), for Rating.ratingValue; the words go in Rating.alternateName."""


def _party(name: str | None, kind: str = "Organization") -> dict | None:
    return {"@type": kind, "name": name} if name else None


def claim_review(page: dict, claim: dict, published: dt.date) -> dict:
    """The ClaimReview of one claim of a scenario page (pages.scenario_page)."""
    source = page["headline_source"]
    appearance = {"@type": "CreativeWork", "headline": source.get("title")}
    if str(source.get("url") or "").lower().startswith(("https://", "http://")):
        appearance["url"] = source["url"]          # only web addresses, never javascript: etc.
    if source.get("language"):
        appearance["inLanguage"] = source["language"]
    author = _party(source.get("author"), "Person") or _party(source.get("outlet"))
    item = {"@type": "Claim", "author": author, "appearance": appearance}
    if claim.get("source"):           # the person or body the article quotes
        item["author"] = _party(claim["source"], "Person")
        appearance["author"] = _party(source.get("outlet"))
    if source.get("date"):
        item["datePublished"] = str(source["date"])
    record = claim["record"]
    verdict = record["verdict"]
    return {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "name": f"Fact-check: {claim['text']}",
        "claimReviewed": claim["text"],
        "itemReviewed": {k: v for k, v in item.items() if v is not None},
        "reviewRating": {"@type": "Rating", "ratingValue": RATINGS[verdict],
                         "bestRating": max(RATINGS.values()),
                         "worstRating": min(RATINGS.values()),
                         "alternateName": claim["badge"]["label"]},
        "reviewBody": in_words(claim["explanation"]),
        "datePublished": published.isoformat(),
        "author": {"@type": "Organization", "name": PUBLISHER},
    }


def claim_reviews(page: dict, published: dt.date) -> list[dict]:
    """One ClaimReview per claim of the page."""
    return [claim_review(page, c, published) for c in page["claims"]]


def json_ld(data) -> str:
    """JSON for a <script type="application/ld+json"> element: ``<``, ``>`` and ``&`` escaped
    as JSON unicode escapes, so the text cannot end the element or start markup."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def share_meta(page: dict) -> list[dict]:
    """Open Graph and Twitter card tags ({'attr', 'name', 'content'}): the title and the
    verdicts, so a shared link reads 'Inconsistent: ...'."""
    verdicts = "; ".join(f"{c['badge']['label']}: {c['text']}" for c in page["claims"])
    description = f"Verdict — {verdicts}" if verdicts else page["title"]
    tags = [("property", "og:type", "article"), ("property", "og:title", page["title"]),
            ("property", "og:description", description),
            ("property", "og:site_name", PUBLISHER),
            ("name", "twitter:card", "summary"), ("name", "twitter:title", page["title"]),
            ("name", "twitter:description", description),
            ("name", "description", description)]
    return [{"attr": a, "name": n, "content": c} for a, n, c in tags]
