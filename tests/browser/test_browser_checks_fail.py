"""The page checks can fail: tiny broken pages, served and audited exactly like the book's pages.

Each fixture page carries one kind of fault a reader would hit (a broken image, a dead link or anchor,
a formula left as raw TeX, a script error, a request to another host). The checking functions used on
the real site must report each fault, and report nothing on a clean page.
"""

from __future__ import annotations

import struct
import zlib
from pathlib import Path

import pytest
from local_site import serve_directory
from page_checks import (
    LinkChecker,
    audit_page,
    image_problems,
    link_problems,
    loading_problems,
    math_problems,
    offline_problems,
)

pytestmark = pytest.mark.browser


def tiny_png() -> bytes:
    """A valid 2x2 white PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\xff\xff\xff" * 2 for _ in range(2))
    header = struct.pack(">IIBBBBB", 2, 2, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")


def html(body: str, head: str = "") -> str:
    return f'<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Fixture</title>' \
           f'<link rel="icon" href="data:,">{head}</head><body>{body}</body></html>'


MATHJAX = '<script defer src="mathjax/tex-chtml.js"></script>'

PAGES = {
    "clean.html": html(
        '<h1 id="top">Clean</h1><p>A <a href="target.html#present">link</a>, a <a href="#top">self link</a>'
        ' and a figure:</p><img src="ok.png" alt="A white square.">'
    ),
    "broken-image.html": html(
        '<img src="missing.png" alt="A plot that is not there.">'
        '<img src="ok.png">'
        '<img src="ok.png" alt="../_images/ok.png">'
    ),
    "broken-links.html": html(
        '<a href="nowhere.html">dead page</a> <a href="target.html#missing">dead anchor</a>'
        ' <a href="#not-here">dead local anchor</a> <a href="target.html#present">fine</a>'
    ),
    "untypeset.html": html(
        r"<p>The loss is $$ L = -\log p $$ and the input is \( x \).</p>"
        r'<p>Sigmoid: <span class="math notranslate nohighlight">\(\sigma(z)\)</span></p>'
    ),
    "tex-error.html": html(
        r'<p><span class="math">\(\sigma(z) = 1 / (1 + e^{-z})\)</span> and'
        r' <span class="math">\(\frac{1}{2}}\)</span></p>',
        head=MATHJAX,
    ),
    "script-errors.html": html("<script>console.error('boom')</script><script>notAFunction()</script>"),
    "external.html": html(
        '<img src="http://example.org/plot.png" alt="remote plot">',
        head='<script src="https://cdn.example.com/lib.js"></script>',
    ),
    "target.html": html('<h2 id="present">Present</h2>'),
}


@pytest.fixture(scope="module")
def fixture_site(tmp_path_factory, site_dir: Path):
    """The fixture pages in a folder of their own; tex-error.html borrows the book's MathJax."""
    root = tmp_path_factory.mktemp("broken-site")
    for name, text in PAGES.items():
        (root / name).write_text(text, encoding="utf-8")
    (root / "ok.png").write_bytes(tiny_png())
    (root / "mathjax").symlink_to(site_dir / "_static" / "mathjax", target_is_directory=True)
    with serve_directory(root) as url:
        yield url


@pytest.fixture(scope="module")
def audited(context, fixture_site):
    return lambda name: audit_page(context, fixture_site + name, allowed_origin=fixture_site)


def test_clean_page_passes_every_check(audited, fixture_site):
    page = audited("clean.html")
    checks = (loading_problems, offline_problems, math_problems, image_problems)
    assert [problem for check in checks for problem in check(page)] == []
    assert link_problems(page, LinkChecker(fixture_site)) == []


def test_broken_image_and_missing_alt_text_are_reported(audited):
    page = audited("broken-image.html")
    problems = image_problems(page)
    assert "image did not load: missing.png" in problems
    assert "image has no alt text: ok.png" in problems
    assert any("alt text is a file name" in p for p in problems)
    assert any("missing.png: HTTP 404" in p for p in loading_problems(page))


def test_dead_link_and_missing_anchors_are_reported(audited, fixture_site):
    problems = link_problems(audited("broken-links.html"), LinkChecker(fixture_site))
    assert problems == [
        f"broken anchor: {fixture_site}broken-links.html#not-here (no id 'not-here' on the target page)",
        f"broken link: {fixture_site}nowhere.html (HTTP 404)",
        f"broken anchor: {fixture_site}target.html#missing (no id 'missing' on the target page)",
    ]


def test_untypeset_formulas_are_reported(audited):
    problems = math_problems(audited("untypeset.html"))
    assert r"formula not typeset: \(\sigma(z)\)" in problems
    assert any(p.startswith("raw TeX in visible text") and "$$" in p for p in problems)
    assert any(p.startswith("raw TeX in visible text") and r"\( x" in p for p in problems)


def test_tex_errors_are_reported_and_good_formulas_pass(audited):
    page = audited("tex-error.html")
    assert page.math["typeset"] == 2, "MathJax from the built site should typeset both formulas"
    assert [p for p in math_problems(page) if p.startswith("MathJax error")] != []
    assert [p for p in math_problems(page) if not p.startswith("MathJax error")] == []


def test_script_errors_are_reported(audited):
    problems = loading_problems(audited("script-errors.html"))
    assert any("boom" in p for p in problems)
    assert any("uncaught exception" in p and "notAFunction" in p for p in problems)


def test_requests_to_other_hosts_are_blocked_and_reported(audited):
    problems = offline_problems(audited("external.html"))
    assert "request left the site: http://example.org/plot.png" in problems
    assert "request left the site: https://cdn.example.com/lib.js" in problems
