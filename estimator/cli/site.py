"""`estimator site`: a static fact-check site from a folder of scenario files."""

from __future__ import annotations

import click

from estimator.cli.common import OutPath, note, profiles_arg, profiles_option
from estimator.site import build_site


@click.command("site")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--out", required=True, type=OutPath(),
              help="Folder to write the site into (created; built beside it, then renamed).")
@click.option("--force", is_flag=True,
              help="Replace an existing site folder (only one built by `estimator site`).")
@click.option("--with-library", is_flag=True,
              help="Publish the built-in claims beside those in PATHS.")
@click.option("--draft", is_flag=True, help="Build from files that still hold placeholders "
                                            "('FILL IN'); every page says it is a draft.")
@profiles_option
def site_command(paths, out, force, profiles, with_library, draft):
    """Build a static fact-check site: an index of every claim, a page per scenario, the
    library, hardware pages and how we compute.

    PATHS are scenario files, folders or built-in ids; none means every built-in scenario
    (the library of public runs included). The site needs no server: open OUT/index.html,
    or publish the folder on any static host. Bad input stops the build with exit 2 and
    writes nothing; so does a placeholder ("FILL IN") left in a file, unless --draft.

    \b
    Examples:
      estimator site --out site
      estimator site my-claims/ --out public --force
      estimator site my-claims/ --with-library --out public
    """
    counts = build_site(list(paths) or None, out, force=force, profiles=profiles_arg(profiles),
                        with_library=with_library, draft=draft)
    note(f"{counts['claims']} claim(s) in {counts['scenarios']} scenario(s) and "
         f"{counts['hardware']} hardware page(s) written to {out}/ (open {out}/index.html).")


COMMANDS = [site_command]
