"""Load each script once per page.

sphinx-thebe registers its inline configuration script (`const THEBE_JS_URL = ...`) on every
`env-before-read-docs` event, and Jupyter Book fires that event more than once per build. The second
copy re-declares a `const` and every page logs "Identifier 'THEBE_JS_URL' has already been declared".
Dropping exact duplicates (same file, same inline body, same attributes) fixes it for any extension
(sphinx-togglebutton's inline selector is registered twice the same way).
"""

from __future__ import annotations

from sphinx.application import Sphinx


def _script_key(script) -> tuple:
    # An inline script may be registered with filename None or "": the same thing.
    attributes = getattr(script, "attributes", {}) or {}
    return str(getattr(script, "filename", script) or ""), tuple(sorted((k, str(v)) for k, v in attributes.items()))


def drop_duplicate_scripts(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    scripts = context.get("script_files", [])
    seen: set[tuple] = set()
    unique = []
    for script in scripts:
        key = _script_key(script)
        if key not in seen:
            seen.add(key)
            unique.append(script)
    # In place: later handlers (sphinx.ext.mathjax) add their scripts to this same list.
    scripts[:] = unique


def setup(app: Sphinx) -> dict:
    # Early: the duplicates come from app.add_js_file, so they are already in the context, and
    # html-page-context stops at the first handler that returns a template name.
    app.connect("html-page-context", drop_duplicate_scripts, priority=100)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
