"""Serve MathJax 3 from the site itself, shipping only the files a page can ask for.

The PyPI package sphinx-mathjax-offline bundles the whole MathJax 3.2.2 distribution (24 MB: every
combined component, SVG and MathML bundles, node builds). Our pages load one component,
tex-chtml.js, which then fetches further files at run time. Watching the network in Chromium
(tests/browser/test_browser_site.py repeats the measurement on every test run) shows four kinds:

* CHTML fonts, one per glyph style a formula uses (bold, calligraphic, large delimiters, ...);
* TeX packages loaded on demand by `autoload`/`\\require` (\\boldsymbol, \\cancel, \\color, ...);
* the MathJax menu's accessibility options (explorer: input/mml.js, a11y/*.js and the speech rule
  engine's maps for the chosen language; "collapsible math": a11y/complexity.js);
* the menu's "Math Renderer: SVG" option (output/svg.js and its font).

This extension points Sphinx at mathjax/tex-chtml.js and copies exactly those files from the
installed package into _static/mathjax, removing anything else there (so a site built earlier with
the full bundle shrinks on the next build).
"""

from __future__ import annotations

import filecmp
import shutil
from importlib.metadata import distribution
from pathlib import Path

from sphinx.application import Sphinx
from sphinx.config import Config

MATHJAX_SOURCE = Path(str(distribution("sphinx-mathjax-offline").locate_file("sphinx-mathjax-offline/static/mathjax")))
ENTRY_POINT = "tex-chtml.js"
RUNTIME_FILES = (
    ENTRY_POINT,
    "output/chtml/fonts/woff-v2/*.woff",
    "input/tex/extensions/*.js",
    "input/mml.js",
    "a11y/*.js",
    "sre/mathmaps/*.json",
    "output/svg.js",
    "output/svg/fonts/tex.js",
)


def runtime_files(source: Path = MATHJAX_SOURCE) -> list[Path]:
    """Paths, relative to the MathJax folder, of every file tex-chtml.js can request."""
    files = sorted({path.relative_to(source) for pattern in RUNTIME_FILES for path in source.glob(pattern)})
    if Path(ENTRY_POINT) not in files:
        raise FileNotFoundError(f"MathJax's {ENTRY_POINT} is missing from {source}: reinstall sphinx-mathjax-offline")
    return files


def use_local_mathjax(app: Sphinx, config: Config) -> None:
    config.mathjax_path = f"mathjax/{ENTRY_POINT}"


def copy_runtime_files(app: Sphinx, exception: Exception | None) -> None:
    if exception is not None or app.builder.format != "html":
        return
    target = Path(app.outdir) / "_static" / "mathjax"
    wanted = runtime_files()
    for relative in wanted:
        source, destination = MATHJAX_SOURCE / relative, target / relative
        if not destination.is_file() or not filecmp.cmp(source, destination, shallow=True):
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, destination)
    keep = {target / relative for relative in wanted}
    for path in sorted(target.rglob("*"), reverse=True):
        if path.is_file() and path not in keep:
            path.unlink()
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def setup(app: Sphinx) -> dict:
    app.connect("config-inited", use_local_mathjax)
    app.connect("build-finished", copy_runtime_files)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
