"""A static fact-check site from a folder of scenario files (`estimator site`).

    >>> from estimator.site import build_site
    >>> build_site(["my-claims/"], "site")        # doctest: +SKIP
"""

from estimator.site.builder import build_site, load_results

__all__ = ["build_site", "load_results"]
