"""Offer every executed page as a Jupyter notebook in the page's download menu.

Chapters are MyST Markdown notebooks, so the book theme's download menu only offers the .md source.
MyST-NB writes each executed notebook to <build>/jupyter_execute/<docname>.ipynb; this extension copies
it next to the page's source in _sources/ and sets `ipynb_source`, which sphinx-book-theme turns into
an ".ipynb" entry of the download menu. Pages that are not notebooks, and .ipynb pages (whose source
download already is the notebook), are left alone.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from sphinx.application import Sphinx


def offer_executed_notebook(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    executed = Path(app.outdir).parent / "jupyter_execute" / f"{pagename}.ipynb"
    if doctree is None or not executed.is_file() or context.get("page_source_suffix") == ".ipynb":
        return  # not a notebook, or its source download is already the notebook
    target = Path(app.outdir) / "_sources" / f"{pagename}.ipynb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(executed, target)
    context["ipynb_source"] = f"{pagename}.ipynb"


def setup(app: Sphinx) -> dict:
    # Before sphinx-book-theme builds its header buttons (priority 501).
    app.connect("html-page-context", offer_executed_notebook, priority=500)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
