"""Every page the table of contents lists, loaded in Chromium from a local server with no network."""

from __future__ import annotations

from pathlib import Path

import pytest
from local_site import TocPage, toc_pages
from page_checks import image_problems, link_problems, loading_problems, math_problems, offline_problems

pytestmark = pytest.mark.browser

PAGES = toc_pages()
BOOK_TITLE = "Neural Networks, Derived and Checked"


def by_page(pages: list[TocPage] = PAGES):
    return pytest.mark.parametrize("page", pages, ids=[p.docname for p in pages])


@by_page()
def test_page_was_built(page: TocPage, site_dir: Path):
    assert (site_dir / page.html_path).is_file(), f"{page.docname} is in _toc.yml but {page.html_path} was not built"


@by_page()
def test_page_loads_without_errors(page: TocPage, audit):
    assert loading_problems(audit(page.html_path)) == []


@by_page()
def test_page_stays_on_the_local_site(page: TocPage, audit):
    assert offline_problems(audit(page.html_path)) == []


@by_page()
def test_math_is_typeset(page: TocPage, audit):
    assert math_problems(audit(page.html_path)) == []


@by_page()
def test_images_load_and_have_alt_text(page: TocPage, audit):
    assert image_problems(audit(page.html_path)) == []


@by_page()
def test_internal_links_and_anchors_resolve(page: TocPage, audit, link_checker):
    found = audit(page.html_path)
    assert found.links, "the page has no links at all (not even the sidebar): did it render?"
    assert link_problems(found, link_checker) == []


@by_page()
def test_page_has_one_heading_and_a_matching_title(page: TocPage, audit):
    facts = audit(page.html_path).facts
    assert len(facts["headings"]) == 1, f"expected one visible h1, found {facts['headings']}"
    heading = facts["headings"][0]["text"]
    assert heading and heading in facts["title"], f"title {facts['title']!r} does not name the page {heading!r}"
    assert BOOK_TITLE in facts["title"]


@by_page()
def test_sidebar_lists_the_whole_book_in_order(page: TocPage, audit, site_url):
    facts = audit(page.html_path).facts
    assert facts["sidebarVisible"], "the table of contents sidebar is not visible on a desktop screen"
    expected = [site_url + p.html_path for p in PAGES]
    listed = list(dict.fromkeys(link["url"] for link in facts["sidebar"]))
    assert listed == expected


@by_page()
def test_on_this_page_lists_the_sections(page: TocPage, audit):
    facts = audit(page.html_path).facts
    if not facts["sections"]:
        assert not facts["pageTocVisible"], "an empty 'on this page' sidebar is shown on a page without sections"
        return
    assert facts["pageTocVisible"], "the right-hand 'on this page' sidebar is not visible on a desktop screen"
    assert set(facts["sections"]) <= set(facts["pageToc"]), "'on this page' misses some sections"


@by_page([p for p in PAGES if p.depth > 0])
def test_chapter_numbers_follow_the_toc(page: TocPage, audit):
    """Pages of a part marked `numbered: true` in _toc.yml show their number; other pages show none."""
    facts = audit(page.html_path).facts
    number = facts["headings"][0]["number"]
    own_link = [link["text"] for link in facts["sidebar"] if link["url"].endswith(page.html_path)]
    if page.numbered:
        assert number, f"{page.docname} is in a numbered part but its heading has no number"
        assert own_link and own_link[0].startswith(number), f"sidebar entry {own_link} lacks the number {number}"
    else:
        assert not number, f"{page.docname} is in an unnumbered part but shows the number {number!r}"


def test_chapters_are_numbered_in_reading_order(audit):
    """Numbered chapters count up in TOC order (1, 2, 3, ... across parts)."""
    chapters = [p for p in PAGES if p.numbered and p.depth == 1]
    numbers = [audit(p.html_path).facts["headings"][0]["number"].rstrip(".") for p in chapters]
    assert numbers == [str(i) for i in range(1, len(chapters) + 1)]


def test_the_book_numbers_its_chapters():
    """Reader feature: chapters carry numbers (`numbered: true` on their parts in _toc.yml).

    Front and back matter (how to use the book, errata) may stay unnumbered, so the rule is that the
    numbered chapters are the bulk of the book.
    """
    chapters = [p for p in PAGES if p.depth == 1]
    numbered = [p for p in chapters if p.numbered]
    assert numbered, "no part of _toc.yml has `numbered: true`"
    assert 2 * len(numbered) >= len(chapters), f"only {len(numbered)} of {len(chapters)} chapters are numbered"


def test_previous_next_walks_the_book_in_toc_order(audit, site_url):
    expected = [site_url + p.html_path for p in PAGES]
    forward, url = [], expected[0]
    while url and len(forward) <= len(expected):
        forward.append(url)
        url = audit(url.removeprefix(site_url)).facts["next"]
    assert forward == expected, "following 'next' from the first page does not visit the TOC in order"
    backward, url = [], expected[-1]
    while url and len(backward) <= len(expected):
        backward.append(url)
        url = audit(url.removeprefix(site_url)).facts["prev"]
    assert backward == expected[::-1], "following 'previous' from the last page does not retrace the TOC"


def test_site_root_redirects_to_the_first_page(context, site_url):
    page = context.new_page()
    try:
        page.goto(site_url, wait_until="load")
        page.wait_for_url(site_url + PAGES[0].html_path)
        assert BOOK_TITLE in page.title()
    finally:
        page.close()


@by_page()
def test_figures_have_captions(page: TocPage, audit):
    facts = audit(page.html_path).facts
    uncaptioned = [f["id"] or "(no id)" for f in facts["figures"] if not f["caption"]]
    assert uncaptioned == [], "figure elements without a caption (figcaption)"
    plots = [src for cell in facts["figureCells"] for src in cell["uncaptioned"]]
    assert plots == [], "cell outputs drawn as images outside a captioned figure (give the cell mystnb.figure.caption)"


@by_page()
def test_cells_that_draw_figures_have_their_code_collapsed(page: TocPage, audit):
    """A cell whose output is a figure shows the figure; its code is folded (hide-input) or removed."""
    for cell in audit(page.html_path).facts["figureCells"]:
        if cell["hasInput"]:
            assert not cell["inputVisible"], f"the code drawing {cell['images']} is shown: tag the cell hide-input"
            assert cell["toggle"], f"the code drawing {cell['images']} is hidden with no toggle to show it"
