"""`estimator site`: a static fact-check site from a folder of scenario files.

Every scenario is loaded and run before anything is written, so bad input stops the build
with the usual located error and no site; pages are then rendered from Jinja2 templates
(autoescaping on) into a temporary folder that replaces ``out`` in one rename (publish.py).

Layout (relative links only, so the site works from ``file://`` and any static host):
``index.html``, ``<scenario-id>/index.html``, ``library/index.html``,
``hardware/index.html``, ``hardware/<profile-id>/index.html``, ``methods/index.html``,
``static/site.css``, ``static/site.js``.
"""

from __future__ import annotations

import datetime as dt
import shutil
from importlib import resources
from pathlib import Path

import estimator.site.charts as charts
import estimator.site.claimreview as claimreview
import estimator.site.labels as labels
import estimator.site.markdown as markdown
import estimator.site.pages as pages
from estimator import __version__, clock
from estimator.calc.tables import profile_detail
from estimator.data.profiles import load_profiles
from estimator.inputs.links import safe_href
from estimator.inputs.paths import path_list
from estimator.render.escaping import visible
from estimator.scenarios import builtin_scenario_dir, find_scenario_files, load_scenarios
from estimator.scenarios.placeholders import placeholder_errors
from estimator.site.numbers import human, money, quantity
from estimator.site.publish import staging_folder

STATIC_FILES = ("site.css", "site.js")


def load_results(paths=None, profiles=None) -> list:
    """Every scenario under ``paths`` (default: the built-in and library ones), run."""
    return [s.run(profiles) for s in sorted(load_scenarios(paths), key=lambda s: s.id)]


def build_site(paths=None, out="site", *, force: bool = False, profiles=None,
               with_library: bool = False, draft: bool = False) -> dict:
    """Build the site into ``out``; returns counts of what was written.

    ``paths``: scenario files, folders or built-in ids (default every built-in scenario,
    the library of public runs included); ``with_library``: publish the built-in claims
    beside those of ``paths`` (a file reusing a built-in id is a located error);
    ``profiles``: extra profile folders. A file with placeholders ("FILL IN",
    scenarios/placeholders.py) stops the build unless ``draft``, which marks every page with
    a draft banner.
    """
    if not draft:
        for path in find_scenario_files(paths):
            for error in placeholder_errors(path):
                raise error
    inputs = with_builtin(path_list(paths) or [], with_library)
    results = load_results(inputs or None, profiles)
    table = load_profiles(profiles)
    env = environment()
    env.globals["draft"] = draft
    with staging_folder(out, force=force, inputs=inputs, profiles=profiles) as tmp:
        counts = render_all(env, tmp, results, table)
    return counts


def with_builtin(inputs: list, with_library: bool) -> list:
    """``inputs`` plus the built-in scenario folder (once) when ``with_library`` is set."""
    builtin = builtin_scenario_dir()
    if not with_library or not inputs:
        return inputs
    if any(Path(p).resolve() == builtin.resolve() for p in inputs):
        return inputs
    return [*inputs, builtin]


def is_builtin(scenario) -> bool:
    """Is the scenario one of the built-in claims (its file under the built-in folder)?"""
    if not scenario.file:
        return False
    root = str(builtin_scenario_dir().resolve())
    return str(Path(scenario.file).resolve()).startswith(root.rstrip("/") + "/")


CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; "
                           "img-src 'self' data:; base-uri 'none'; object-src 'none'")
"""Every page's Content-Security-Policy (a <meta http-equiv>, as static pages have no headers;
https://www.w3.org/TR/CSP3/#meta-element): scripts and styles only from the site's own
files, so no inline script or event-handler attribute runs even if one slipped into a page."""


def environment():
    """The Jinja2 environment over the package's templates, autoescaping on."""
    import jinja2  # lazy: only `estimator site` needs Jinja2 (the what-if path must not load it)

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("estimator.site", "templates"),
        autoescape=jinja2.select_autoescape(["html", "j2"], default=True),
        trim_blocks=True, lstrip_blocks=True)   # optional data keys render as empty
    env.filters.update(human=human, money=money, quantity=quantity, plain=pages.plain,
                       parts=pages.text_parts, label=labels.label, words=labels.value_words,
                       in_words=labels.in_words, band_rule=labels.band_rule, href=safe_href,
                       visible_markup=_visible_markup)
    env.globals.update(version=__version__, verdicts=pages.VERDICTS,
                       csp=CONTENT_SECURITY_POLICY)
    return env


def _visible_markup(markup):
    """Escaped HTML with control and bidi characters written as escapes (page titles); the
    result is of the input's Markup type, so it is not escaped twice."""
    return type(markup)(visible(str(markup)))


def render_all(env, root: Path, results: list, table) -> dict:
    """Write every page and the static files under ``root``."""
    used_gpus = sorted({st.gpu_id for r in results for st in r.stages})
    profiles = list(table)
    rows = pages.index_rows(results)
    library = {r.scenario.id for r in results if is_builtin(r.scenario)}
    for row in rows:
        row["library"] = row["scenario"] in library
    _write(env, root, "index.html", "index.html.j2", depth=0, rows=rows, scenarios=len(results),
           mixed=len({row["library"] for row in rows}) > 1)
    for result in results:
        page = pages.scenario_page(result)
        reviews = claimreview.claim_reviews(page, clock.today())
        _write(env, root, f"{result.scenario.id}/index.html", "scenario.html.j2", depth=1,
               page=page, json_ld=claimreview.json_ld(reviews),
               share=claimreview.share_meta(page))
    _write(env, root, "library/index.html", "library.html.j2", depth=1,
           **library_page(results))
    _write(env, root, "hardware/index.html", "hardware_index.html.j2", depth=1,
           profiles=[profile_detail(p) for p in profiles], used=used_gpus)
    for profile in profiles:
        _write(env, root, f"hardware/{profile.id}/index.html", "hardware.html.j2", depth=2,
               **hardware_page(profile))
    _write(env, root, "methods/index.html", "methods.html.j2", depth=1,
           sections=markdown.method_sections())
    static = root / "static"
    static.mkdir()
    for name in STATIC_FILES:
        source = resources.files("estimator.site") / "static" / name
        with resources.as_file(source) as path:
            shutil.copyfile(path, static / name)
    return {"scenarios": len(results), "claims": sum(len(r.claims) for r in results),
            "hardware": len(profiles)}


def _write(env, root: Path, relative: str, template: str, *, depth: int, **context) -> None:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    html = env.get_template(template).render(root="../" * depth or "./", built=clock.today(),
                                             **context)
    path.write_text(html, encoding="utf-8")


def library_page(results: list) -> dict:
    """The runs with a date, oldest first, and the trend chart of their cost at the band of
    each run's own date."""
    rows = []
    for r in results:
        s, cost = r.scenario, r.totals["cost"]
        rows.append({"id": s.id, "title": visible(s.title), "date": s.date,
                     "hardware": sorted({st.gpu_id for st in r.stages}),
                     "gpu_hours": r.totals["gpu_hours"].typical, "cost": cost,
                     "verdicts": [c.verdict for c in r.claims]})
    rows.sort(key=lambda row: (row["date"] or dt.date.max, row["id"]))
    points = [{"date": row["date"], "y": row["cost"].typical, "low": row["cost"].low,
               "high": row["cost"].high, "label": f"{row['title']}: {money(row['cost'].typical)}"
               f" (range {money(row['cost'].low)} to {money(row['cost'].high)})",
               "href": f"../{row['id']}/index.html"} for row in rows]
    chart = charts.scatter(
        points, title="Training cost at the rental band of its date, by date of the run",
        description=f"{len(points)} runs; the dot is the cost at the typical price, the line "
                    "the range from the lowest to the highest price in the band. Log scale.",
        y_label="USD (log scale)", log_y=True)
    return {"rows": rows, "chart": chart}


def hardware_page(profile) -> dict:
    """Specs with sources and the rental price history, grouped by tier (or kind)."""
    detail = profile_detail(profile)
    history = [pages.observation(o) for o in profile.rental]
    tiers: dict = {}
    for o in sorted(history, key=lambda o: (o["raw_date"], o["provider"] or "")):
        tiers.setdefault(o["tier"] or "other", []).append(o)
    points = [{"date": o["raw_date"], "y": o["price_usd"], "series": labels.value_words(o["tier"]),
               "label": f"{o['provider']}, {labels.value_words(o['tier'])}, {o['date']}: "
                        f"{money(o['price_usd'])} per GPU-hour"}
              for o in history]
    chart = charts.scatter(
        points, title=f"{profile.name}: rental price observations by date",
        description=f"{len(points)} observations in USD per GPU-hour, one mark per "
                    "observation, grouped by tier: "
                    + ", ".join(labels.value_words(t) for t in tiers) + ".",
        y_label="USD per GPU-hour", log_y=False)
    return {"profile": detail, "tiers": tiers, "chart": chart,
            "purchases": [pages.observation(o) for o in profile.purchase],
            "specs": [{"name": k, **v, "source": pages.text_parts(v.get("source"))}
                      for k, v in detail["specs"].items()]}
