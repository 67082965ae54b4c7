"""Offer every executed page as a Jupyter notebook, outputs included, in the page's download menu.

Chapters are MyST Markdown notebooks, so the book theme's download menu only offers the .md source.
MyST-NB writes each page's notebook to <build>/jupyter_execute/<docname>.ipynb, but with
`execute_notebooks: cache` a page served from the cache is written without its outputs (MyST-NB 1.4
merges the cached outputs into a copy and writes the original). This extension merges the cached
outputs back in (as MyST-NB does for rendering), writes the result next to the page's source in
_sources/, and sets `ipynb_source`, which sphinx-book-theme turns into an ".ipynb" entry of the
download menu. Pages that are not notebooks, and .ipynb pages (whose source download already is the
notebook), are left alone.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
from jupyter_cache import get_cache
from sphinx.application import Sphinx


def executed_notebook(app: Sphinx, pagename: str) -> nbformat.NotebookNode | None:
    """The page's notebook with the outputs of its last execution, or None if it is not a notebook."""
    written = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if not written.is_file():
        return None
    notebook = nbformat.read(written, as_version=4)
    config = app.env.mystnb_config
    if config.execution_mode == "cache" and Path(config.execution_cache_path).is_dir():
        try:
            _, notebook = get_cache(config.execution_cache_path).merge_match_into_notebook(notebook)
        except KeyError:
            pass  # no cached execution matches: the notebook as MyST-NB wrote it (freshly executed or not)
    return notebook


def offer_executed_notebook(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    if doctree is None or context.get("page_source_suffix") == ".ipynb":
        return
    notebook = executed_notebook(app, pagename)
    if notebook is None:
        return
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def setup(app: Sphinx) -> dict:
    # Before sphinx-book-theme builds its header buttons (priority 501).
    app.connect("html-page-context", offer_executed_notebook, priority=500)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
