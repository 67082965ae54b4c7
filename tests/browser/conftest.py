"""Shared fixtures of the browser suite: the built site served on 127.0.0.1 and one headless Chromium.

The site folder is NNBOOK_SITE (default: _build/html of this repository, what `make book` writes);
Chromium is CHROMIUM (default: Debian's /usr/bin/chromium). A missing site or browser is a failure with
the fix in the message, never a skip.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Iterator

import pytest
from local_site import REPO, serve_directory
from page_checks import LinkChecker, PageAudit, audit_page, new_context
from playwright.sync_api import Browser, BrowserContext, sync_playwright

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def site_dir() -> Path:
    """The built book (its index.html must exist)."""
    site = Path(os.environ.get("NNBOOK_SITE", REPO / "_build" / "html")).resolve()
    if not (site / "index.html").is_file():
        pytest.fail(f"No built site at {site} (index.html missing): run `make book` first.", pytrace=False)
    return site


@pytest.fixture(scope="session")
def screenshot_dir(site_dir: Path) -> Path:
    """_build/screenshots next to _build/html, for a person to look at."""
    folder = site_dir.parent / "screenshots"
    folder.mkdir(exist_ok=True)
    return folder


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    with serve_directory(site_dir) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail(
            f"Chromium not found at {CHROMIUM}. Run `make browser` (scripts/ensure-debian-package.sh), or "
            "`sudo apt-get install chromium`, or set CHROMIUM=/path/to/chromium. "
            "Do not run `playwright install`: the tests use the system Chromium.",
            pytrace=False,
        )
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def context(browser: Browser) -> Iterator[BrowserContext]:
    """The light-mode reader profile shared by the page tests."""
    reader = new_context(browser)
    yield reader
    reader.close()


@pytest.fixture(scope="session")
def link_checker(site_url: str) -> LinkChecker:
    return LinkChecker(site_url)


@pytest.fixture(scope="session")
def audit(context: BrowserContext, site_url: str) -> Callable[[str], PageAudit]:
    """audit(path) loads a page of the site once per session and returns what was observed."""
    audits: dict[str, PageAudit] = {}

    def audit_path(path: str) -> PageAudit:
        if path not in audits:
            audits[path] = audit_page(context, site_url + path, allowed_origin=site_url)
        return audits[path]

    return audit_path
