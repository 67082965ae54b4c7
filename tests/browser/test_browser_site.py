"""Whole-site behaviour a reader relies on: search, notebook downloads, dark mode, offline MathJax.

Also saves full-page screenshots (landing page, one chapter in light and dark mode) under
_build/screenshots/ for a person to look at.
"""

from __future__ import annotations

import re
import struct
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest
from local_site import TocPage, toc_pages
from page_checks import (
    WAIT_FOR_MATH_AND_FONTS,
    PageAudit,
    loading_problems,
    new_context,
    offline_problems,
    open_page,
)

pytestmark = pytest.mark.browser

PAGES = toc_pages()
NOTEBOOK_PAGES = [p for p in PAGES if p.is_notebook()]
PREFERRED_SEARCH_TERM = "sigmoid"
MATHJAX_BUDGET_BYTES = 10 * 2**20

READ_STYLE = """selector => {
  const style = getComputedStyle(document.querySelector(selector));
  return {background: style.backgroundColor, padding: parseFloat(style.paddingTop),
          radius: parseFloat(style.borderTopLeftRadius)};
}"""

READ_TEXT_CONTRAST = """() => {
  const rgb = c => c.match(/[\\d.]+/g).map(Number);
  const opaqueBackground = el => {
    for (; el; el = el.parentElement) {
      const c = rgb(getComputedStyle(el).backgroundColor);
      if (c.length < 4 || c[3] > 0) return c.slice(0, 3);
    }
    return [255, 255, 255];
  };
  const luminance = c => {
    const [r, g, b] = c.map(v => v / 255).map(v => v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const p = document.querySelector('article.bd-article p');
  const [a, b] = [luminance(rgb(getComputedStyle(p).color)), luminance(opaqueBackground(p))];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
}"""


def all_audits(audit) -> dict[TocPage, PageAudit]:
    return {page: audit(page.html_path) for page in PAGES}


def showcase_chapter(audit) -> TocPage:
    """The first notebook chapter with a figure (else the first notebook, else the first chapter)."""
    with_figures = [p for p in NOTEBOOK_PAGES if audit(p.html_path).facts["figureCells"]]
    return (with_figures or NOTEBOOK_PAGES or PAGES[1:] or PAGES)[0]


def search_term(audits: dict[TocPage, PageAudit]) -> str:
    """'sigmoid' when the book uses it; otherwise the longest word of the last page, so search has a target."""
    text = " ".join(a.facts["articleText"] for a in audits.values()).lower()
    if PREFERRED_SEARCH_TERM in text:
        return PREFERRED_SEARCH_TERM
    words = re.findall(r"[a-z]{6,}", list(audits.values())[-1].facts["articleText"].lower())
    assert words, "no page has enough text to search for"
    return max(words, key=len)


def test_search_finds_a_term_and_links_to_a_page_containing_it(context, audit, site_url):
    term = search_term(all_audits(audit))
    page = context.new_page()
    try:
        page.goto(f"{site_url}search.html?q={term}", wait_until="load")
        page.wait_for_function("() => /found/i.test(document.querySelector('#search-results')?.innerText || '')")
        results = page.eval_on_selector_all("#search-results ul.search li a", "links => links.map(a => a.href)")
        assert results, f"searching for {term!r} found nothing"
        first_result = page.locator("#search-results ul.search li a").first
        first_result.click()
        page.wait_for_load_state("load")
        assert page.url.split("?")[0] in [site_url + p.html_path for p in PAGES]
        assert term in page.locator("article.bd-article").inner_text().lower()
    finally:
        page.close()


def read_notebook(path: Path) -> nbformat.NotebookNode:
    notebook = nbformat.reads(path.read_text(encoding="utf-8"), as_version=4)
    nbformat.validate(notebook)
    return notebook


def notebook_problems(chapter: TocPage, notebook: nbformat.NotebookNode, audit) -> list[str]:
    """The downloaded notebook is this page's, executed."""
    problems = []
    heading = audit(chapter.html_path).facts["headings"][0]["text"]
    markdown = " ".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    if heading.split(". ", 1)[-1] not in markdown:
        problems.append(f"{chapter.docname}: the notebook does not contain the page's title {heading!r}")
    code = [c for c in notebook.cells if c.cell_type == "code"]
    if not any(c.outputs for c in code):
        problems.append(f"{chapter.docname}: the notebook has no executed code cell")
    return problems


@pytest.mark.parametrize("path", ["search.html?q=gradient", "genindex.html"])
def test_search_and_index_pages_load_cleanly_offline(path: str, audit):
    found = audit(path)
    assert loading_problems(found) + offline_problems(found) == []


def test_notebook_download_button_gives_a_valid_executed_notebook(browser, audit, tmp_path):
    """Click the page's download menu, then '.ipynb', as a reader would; the file is a valid notebook."""
    assert NOTEBOOK_PAGES, "no page in _toc.yml is a notebook (MyST with a kernelspec, or .ipynb)"
    chapter = showcase_chapter(audit)
    link = audit(chapter.html_path).facts["notebookDownload"]
    assert link, f"{chapter.docname}: no .ipynb in the download menu"
    context = new_context(browser, accept_downloads=True)
    downloads = []
    context.on("page", lambda tab: tab.on("download", lambda download: downloads.append(download)))
    try:
        page = context.new_page()
        page.goto(audit(chapter.html_path).url, wait_until="load")
        page.click(".dropdown-download-buttons button.dropdown-toggle")
        page.click(f"a.dropdown-item[href$='{Path(link).name}']")
        deadline = time.monotonic() + 15
        while not downloads and time.monotonic() < deadline:
            page.wait_for_timeout(100)
        assert downloads, f"{chapter.docname}: the .ipynb button started no download"
        assert downloads[0].suggested_filename.endswith(".ipynb")
        saved = tmp_path / downloads[0].suggested_filename
        downloads[0].save_as(saved)
    finally:
        context.close()
    assert notebook_problems(chapter, read_notebook(saved), audit) == []


def test_every_notebook_page_offers_its_notebook(audit, tmp_path):
    problems = []
    for chapter in NOTEBOOK_PAGES:
        link = audit(chapter.html_path).facts["notebookDownload"]
        if not link:
            problems.append(f"{chapter.docname}: no .ipynb in the download menu")
            continue
        saved = tmp_path / Path(link).name
        with urllib.request.urlopen(link, timeout=10) as response:
            saved.write_bytes(response.read())
        problems += notebook_problems(chapter, read_notebook(saved), audit)
    assert NOTEBOOK_PAGES and problems == []


def test_dark_mode_is_readable_and_puts_figures_on_a_light_card(browser, audit, site_url, screenshot_dir):
    chapter = showcase_chapter(audit)
    context = new_context(browser)
    context.add_init_script("localStorage.setItem('mode', 'dark'); localStorage.setItem('theme', 'dark');")
    try:
        page = open_page(context, site_url + chapter.html_path)
        assert page.evaluate("document.documentElement.dataset.theme") == "dark"
        assert page.evaluate(READ_TEXT_CONTRAST) >= 4.5, "body text is hard to read in dark mode"
        # A figure output as MyST-NB writes it, so the CSS is checked even before a chapter has figures.
        page.evaluate("""() => document.querySelector('article.bd-article').insertAdjacentHTML('beforeend',
            '<div class="cell_output docutils container"><img id="probe" src="../_static/favicon.svg" alt="probe"></div>')""")
        card = page.evaluate(READ_STYLE, "#probe")
        assert card["background"] == "rgb(255, 255, 255)" and card["padding"] > 0 and card["radius"] > 0, card
        for index in range(page.locator(".cell_output img, figure img").count()):
            style = page.evaluate(
                "i => { const s = getComputedStyle(document.querySelectorAll('.cell_output img, figure img')[i]);"
                " return s.backgroundColor; }", index)
            assert style == "rgb(255, 255, 255)", f"figure {index} of {chapter.docname} has no light card"
        page.evaluate("document.getElementById('probe').parentElement.remove()")
        save_full_page(page, screenshot_dir / f"{chapter.docname.replace('/', '-')}-dark.png")
        page.close()
    finally:
        context.close()


def test_folded_figure_code_opens_on_click(context, audit, site_url):
    """The code behind a figure is folded, and one click on its toggle shows it."""
    chapters = [p for p in PAGES if any(c["toggle"] for c in audit(p.html_path).facts["figureCells"])]
    assert chapters, "no page has a figure whose code is folded behind a toggle"
    page = open_page(context, site_url + chapters[0].html_path)
    try:
        cell = page.locator("div.cell:has(.cell_output img):has(details > summary)").first
        code = cell.locator(".cell_input")
        assert not code.is_visible()
        cell.locator("details > summary").first.click()
        assert code.is_visible()
    finally:
        page.close()


def test_light_mode_is_readable(context, site_url, audit):
    page = open_page(context, site_url + showcase_chapter(audit).html_path)
    try:
        assert page.evaluate("document.documentElement.dataset.theme") == "light"
        assert page.evaluate(READ_TEXT_CONTRAST) >= 4.5, "body text is hard to read in light mode"
    finally:
        page.close()


def png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", data[16:24])


def save_full_page(page, path: Path) -> None:
    page.evaluate("() => Promise.all([...document.images].map(i => i.decode().catch(() => null)))")
    page.screenshot(path=str(path), full_page=True, animations="disabled", caret="hide")
    width, height = png_size(path)
    assert width >= 1000 and height >= 600, f"{path.name} is only {width}x{height}"


def test_screenshots_of_the_landing_page_and_a_chapter(context, audit, site_url, screenshot_dir):
    """Light-mode screenshots; the dark-mode one is saved by the dark-mode test."""
    chapter = showcase_chapter(audit)
    for shown, filename in [(PAGES[0], "landing.png"), (chapter, f"{chapter.docname.replace('/', '-')}.png")]:
        page = open_page(context, site_url + shown.html_path)
        try:
            save_full_page(page, screenshot_dir / filename)
        finally:
            page.close()


def math_page(audit) -> TocPage:
    pages = [p for p in PAGES if audit(p.html_path).math["formulas"]]
    assert pages, "no page of the book has a formula"
    return pages[0]


FORMULA_WITH_ON_DEMAND_PACKAGES = (
    r"\(\boldsymbol{W} \cancel{x} \color{red}{y} \mathbb{R} \mathcal{L} \mathfrak{g} \bbox[2px]{z}"
    r" \operatorname{softmax} \mathbf{x} \mathsf{x} \mathtt{x} \Bigg( \tfrac12 \xrightarrow{f} \Bigg)\)"
)


def test_offline_mathjax_serves_everything_it_asks_for(browser, audit, site_url):
    """On-demand TeX packages, every font, and the MathJax menu's options load from the site itself.

    This is the measurement behind book/_ext/mathjax_local.py: if MathJax asks for a file the trimmed
    copy lacks, this test sees the failed request.
    """
    failures, requested = [], []
    # A profile of its own: MathJax stores menu choices in localStorage, and they must not leak.
    context = new_context(browser)
    page = open_page(context, site_url + math_page(audit).html_path)
    page.on("requestfailed", lambda request: failures.append(request.url))
    page.on("request", lambda request: requested.append(request.url))

    def on_response(response) -> None:
        if response.status >= 400:
            failures.append(f"{response.url} HTTP {response.status}")

    page.on("response", on_response)
    try:
        page.evaluate(
            """async tex => { const el = document.createElement('span'); el.className = 'math'; el.textContent = tex;
               document.querySelector('article.bd-article').appendChild(el);
               await MathJax.typesetPromise([el]); await document.fonts.ready; }""",
            FORMULA_WITH_ON_DEMAND_PACKAGES,
        )
        menu_options = {"explorer": ("true", "a11y/explorer.js"), "collapsible": ("true", "a11y/complexity.js"),
                        "renderer": ("'SVG'", "output/svg/fonts/tex.js")}
        for option, (value, last_file) in menu_options.items():
            with page.expect_response(lambda r, name=last_file: r.url.endswith(name)):
                page.evaluate(f"MathJax.startup.document.menu.menu.pool.lookup('{option}').setValue({value})")
        page.wait_for_timeout(500)  # the re-render after the last menu change may fetch more fonts
        page.evaluate(WAIT_FOR_MATH_AND_FONTS)
        assert failures == []
        assert not page.locator("mjx-merror").count()
        assert any(url.endswith("input/tex/extensions/boldsymbol.js") for url in requested)
    finally:
        context.close()


def test_mathjax_copy_stays_small(site_dir: Path):
    mathjax = site_dir / "_static" / "mathjax"
    size = sum(f.stat().st_size for f in mathjax.rglob("*") if f.is_file())
    assert (mathjax / "tex-chtml.js").is_file()
    assert size <= MATHJAX_BUDGET_BYTES, f"_static/mathjax is {size / 2**20:.1f} MB: unused MathJax bundles shipped"
