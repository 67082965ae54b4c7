"""What a reader's browser sees on one page, and the checks that turn it into a list of problems.

`audit_page` loads a page once in Chromium and gathers everything the tests look at; each `*_problems`
function returns human-readable problems (an empty list means the page passes). The same functions run
on the real book and on the deliberately broken fixture pages, so a passing book suite means the checks
were actually able to fail.
"""

from __future__ import annotations

import re
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from urllib.parse import unquote, urldefrag, urlsplit

from local_site import anchors_in_html
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, Request, Response, Route

# pydata-sphinx-theme logs this as console.error on a fresh profile (no stored colour mode); it is the
# theme's own start-up message, not a fault of the page.
THEME_MODE_MESSAGE = "Got invalid theme mode"

# TeX that survived into the visible text means a formula was not typeset.
RAW_TEX = re.compile(r"\$\$|\\\(|\\\)|\\\[|\\\]|\\begin\{|\$[^$\n]{0,80}\\[A-Za-z]+[^$\n]{0,80}\$")
DESKTOP = {"width": 1280, "height": 900}
IMAGE_FILE_NAME = re.compile(r"\.(png|jpe?g|gif|svg|webp)$", re.IGNORECASE)

WAIT_FOR_MATH_AND_FONTS = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) { await MathJax.startup.promise; }
  await document.fonts.ready;
}"""

WAIT_FOR_IMAGES = """async () => {
  const images = [...document.images];
  images.forEach(img => { img.loading = 'eager'; });
  const settled = Promise.all(images.map(img => img.decode().catch(() => null)));
  await Promise.race([settled, new Promise(done => setTimeout(done, 10000))]);
  return images.map(img => ({
    src: img.getAttribute('src') || '',
    loaded: img.complete && img.naturalWidth > 0,
    alt: img.getAttribute('alt'),
  }));
}"""

READ_MATH = """() => {
  const formulas = [...document.querySelectorAll('.math')];
  const skip = 'pre, code, script, style, textarea, kbd, mjx-container';
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const visibleText = [];
  while (walker.nextNode()) {
    const parent = walker.currentNode.parentElement;
    if (!parent || parent.closest(skip) || !parent.checkVisibility()) continue;
    visibleText.push(walker.currentNode.textContent);
  }
  return {
    formulas: formulas.length,
    typeset: document.querySelectorAll('mjx-container').length,
    untypeset: formulas.filter(el => !el.querySelector('mjx-container'))
                       .map(el => el.textContent.trim().slice(0, 80)),
    errors: [...document.querySelectorAll('mjx-merror, [data-mjx-error]')]
              .map(el => (el.getAttribute('data-mjx-error') || el.textContent).slice(0, 80)),
    text: visibleText.join(' '),
  };
}"""

READ_LINKS = """() => [...document.querySelectorAll('a[href]')].map(a => a.href)"""

READ_READER_FACTS = """() => {
  const visible = el => !!el && el.checkVisibility();
  const plainText = el => {
    const copy = el.cloneNode(true);
    copy.querySelectorAll('.headerlink').forEach(x => x.remove());
    return copy.textContent.replace(/\\s+/g, ' ').trim();
  };
  const href = selector => { const a = document.querySelector(selector); return a ? a.href : null; };
  const sidebar = document.querySelector('nav.bd-docs-nav');
  const pageToc = document.querySelector('#pst-secondary-sidebar nav.page-toc');
  return {
    title: document.title,
    headings: [...document.querySelectorAll('article.bd-article h1')].filter(visible).map(h => ({
      text: plainText(h),
      number: (h.querySelector('.section-number') || {textContent: ''}).textContent.trim(),
    })),
    articleText: (document.querySelector('article.bd-article') || document.body).innerText,
    prev: href('a.left-prev'),
    next: href('a.right-next'),
    sidebarVisible: visible(sidebar),
    sidebar: sidebar ? [...sidebar.querySelectorAll('a.reference')].map(a => ({
      url: a.href.split('#')[0], text: a.textContent.replace(/\\s+/g, ' ').trim()})) : [],
    pageTocVisible: visible(pageToc),
    pageToc: pageToc ? [...pageToc.querySelectorAll('a')].map(a => decodeURIComponent(a.hash.slice(1))) : [],
    sections: [...document.querySelectorAll('article.bd-article section > h2')].map(h => h.parentElement.id),
    notebookDownload: href('a.btn-download-notebook-button')
      || [href('a.btn-download-source-button')].find(url => url && url.endsWith('.ipynb')) || null,
    figures: [...document.querySelectorAll('article.bd-article figure')].map(f => ({
      id: f.id || (f.closest('[id]') || {id: ''}).id,
      caption: f.querySelector('figcaption') ? plainText(f.querySelector('figcaption')) : '',
      images: f.querySelectorAll('img').length,
    })),
    figureCells: [...document.querySelectorAll('article.bd-article div.cell')]
      .filter(cell => cell.querySelector('.cell_output img'))
      .map(cell => {
        const input = cell.querySelector('.cell_input');
        const images = [...cell.querySelectorAll('.cell_output img')];
        return {
          classes: cell.className,
          hasInput: !!input,
          inputVisible: visible(input),
          toggle: !!cell.querySelector('details > summary'),
          images: images.map(img => img.getAttribute('src')),
          uncaptioned: images.filter(img => {
            const figure = img.closest('figure');
            return !figure || !figure.querySelector('figcaption') || !plainText(figure.querySelector('figcaption'));
          }).map(img => img.getAttribute('src')),
        };
      }),
  };
}"""


@dataclass
class PageAudit:
    """Everything observed while one page loaded, with the problems found in each category."""

    url: str
    console_errors: list[str] = field(default_factory=list)
    failed_requests: list[str] = field(default_factory=list)
    external_requests: list[str] = field(default_factory=list)
    math: dict = field(default_factory=dict)
    images: list[dict] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    facts: dict = field(default_factory=dict)


class LinkChecker:
    """Fetches link targets on the local server once each and remembers status and anchors."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self._targets: dict[str, tuple[int, set[str]]] = {}

    def is_internal(self, url: str) -> bool:
        return urlsplit(url).netloc == urlsplit(self.base_url).netloc

    def target(self, url: str) -> tuple[int, set[str]]:
        """HTTP status of `url` (fragment dropped) and the anchors its HTML defines."""
        document, _ = urldefrag(url)
        if document not in self._targets:
            try:
                with urllib.request.urlopen(document, timeout=10) as response:
                    body = response.read()
                    is_html = response.headers.get_content_type() == "text/html"
                    anchors = anchors_in_html(body.decode("utf-8", "replace")) if is_html else set()
                    self._targets[document] = (response.status, anchors)
            except urllib.error.HTTPError as error:
                self._targets[document] = (error.code, set())
        return self._targets[document]


def audit_page(context: BrowserContext, url: str, allowed_origin: str) -> PageAudit:
    """Load `url` in a new tab, block and record every request outside `allowed_origin` (a base URL ending in "/")."""
    audit = PageAudit(url)
    page = context.new_page()
    recording = [True]  # closing the tab aborts requests still in flight: those are not the page's faults

    def keep_local(route: Route) -> None:
        request_url = route.request.url
        if request_url.startswith(allowed_origin) or request_url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            audit.external_requests.append(request_url)
            route.abort("blockedbyclient")

    def on_console(message: ConsoleMessage) -> None:
        if recording[0] and message.type == "error" and not message.text.startswith(THEME_MODE_MESSAGE):
            source = message.location.get("url", "")
            audit.console_errors.append(f"{message.text} ({source})" if source else message.text)

    def on_failed(request: Request) -> None:
        if recording[0] and request.url not in audit.external_requests:
            audit.failed_requests.append(f"{request.url}: {request.failure}")

    def on_response(response: Response) -> None:
        if recording[0] and response.status >= 400:
            audit.failed_requests.append(f"{response.url}: HTTP {response.status}")

    page.route("**/*", keep_local)
    page.on("console", on_console)
    page.on("pageerror", lambda error: audit.console_errors.append(f"uncaught exception: {error}"))
    page.on("requestfailed", on_failed)
    page.on("response", on_response)
    try:
        page.goto(url, wait_until="load")
        page.evaluate(WAIT_FOR_MATH_AND_FONTS)
        audit.images = page.evaluate(WAIT_FOR_IMAGES)
        audit.math = page.evaluate(READ_MATH)
        audit.links = page.evaluate(READ_LINKS)
        audit.facts = page.evaluate(READ_READER_FACTS)
        page.wait_for_load_state("networkidle")
    finally:
        recording[0] = False
        page.close()
    return audit


def loading_problems(audit: PageAudit) -> list[str]:
    """Console errors, uncaught exceptions and requests that failed or returned an HTTP error."""
    return [f"console error: {e}" for e in audit.console_errors] + [
        f"failed request: {r}" for r in audit.failed_requests
    ]


def offline_problems(audit: PageAudit) -> list[str]:
    """Requests to any host other than the local server (they were blocked)."""
    return [f"request left the site: {url}" for url in audit.external_requests]


def math_problems(audit: PageAudit) -> list[str]:
    """Formulas MathJax did not typeset, TeX errors, and raw TeX left in the visible text."""
    math = audit.math
    problems = [f"formula not typeset: {tex}" for tex in math["untypeset"]]
    problems += [f"MathJax error: {message}" for message in math["errors"]]
    if math["formulas"] and not math["typeset"]:
        problems.append(f"{math['formulas']} formulas but no MathJax output (mjx-container) at all")
    for match in RAW_TEX.finditer(math["text"]):
        start = max(match.start() - 30, 0)
        problems.append(f"raw TeX in visible text: ...{math['text'][start:match.end() + 30]}...")
    return problems


def image_problems(audit: PageAudit) -> list[str]:
    """Images that did not load, and images without a real text alternative."""
    problems = []
    for image in audit.images:
        if not image["loaded"]:
            problems.append(f"image did not load: {image['src']}")
        alt = (image["alt"] or "").strip()
        if not alt:
            problems.append(f"image has no alt text: {image['src']}")
        elif IMAGE_FILE_NAME.search(alt):
            problems.append(f"image alt text is a file name, not a description: {image['src']} (alt={alt!r})")
    return problems


def link_problems(audit: PageAudit, checker: LinkChecker) -> list[str]:
    """Internal links whose target is missing (HTTP error) or lacks the anchor the link points at."""
    problems = []
    for url in sorted(set(audit.links)):
        if not url.startswith(("http://", "https://")) or not checker.is_internal(url):
            continue
        status, anchors = checker.target(url)
        fragment = unquote(urldefrag(url).fragment)
        if status != 200:
            problems.append(f"broken link: {url} (HTTP {status})")
        elif fragment and fragment not in anchors:
            problems.append(f"broken anchor: {url} (no id {fragment!r} on the target page)")
    return problems


def new_context(browser: Browser, **options: object) -> BrowserContext:
    """A fresh reader profile with a desktop viewport (both sidebars visible); 15 s per action, 30 s per load."""
    context = browser.new_context(viewport=DESKTOP, **options)
    context.set_default_timeout(15_000)
    context.set_default_navigation_timeout(30_000)
    return context


def open_page(context: BrowserContext, url: str) -> Page:
    """A new tab on `url` with formulas typeset and fonts loaded; the caller closes it."""
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.evaluate(WAIT_FOR_MATH_AND_FONTS)
    return page
