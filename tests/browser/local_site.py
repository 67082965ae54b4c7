"""The book as files: which pages the table of contents promises, and a local web server for a built site.

Everything here is plain Python (no browser), so the checks can be pointed at the real site or at a
fixture folder in exactly the same way.
"""

from __future__ import annotations

import contextlib
import functools
import http.server
import os
import threading
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from typing import Iterator

import yaml

REPO = Path(__file__).resolve().parents[2]
# NNBOOK_TOC: a table of contents other than the repository's (for a site built with `--toc`).
TOC_FILE = Path(os.environ.get("NNBOOK_TOC", REPO / "_toc.yml"))
SOURCE_SUFFIXES = (".md", ".ipynb")


@dataclass(frozen=True)
class TocPage:
    """One page the table of contents lists.

    docname: source path without suffix, relative to the repository ("book/how-to-use").
    part: caption of the part it belongs to ("" for the root page).
    numbered: whether _toc.yml asks for this page to carry a chapter number.
    depth: 0 for the root, 1 for a chapter, 2 for a section inside a chapter, ...
    """

    docname: str
    part: str
    numbered: bool
    depth: int

    @property
    def html_path(self) -> str:
        return f"{self.docname}.html"

    def source_file(self, repo: Path = REPO) -> Path:
        for suffix in SOURCE_SUFFIXES:
            candidate = repo / f"{self.docname}{suffix}"
            if candidate.is_file():
                return candidate
        raise FileNotFoundError(f"_toc.yml lists {self.docname!r} but no {SOURCE_SUFFIXES} source exists")

    def is_notebook(self, repo: Path = REPO) -> bool:
        """True when the page is executed as a notebook (an .ipynb, or MyST Markdown with a kernelspec)."""
        source = self.source_file(repo)
        if source.suffix == ".ipynb":
            return True
        text = source.read_text(encoding="utf-8")
        if not text.startswith("---"):
            return False
        front_matter = yaml.safe_load(text.split("---", 2)[1]) or {}
        return "kernelspec" in front_matter


def _strip_suffix(file_entry: str) -> str:
    for suffix in SOURCE_SUFFIXES:
        if file_entry.endswith(suffix):
            return file_entry[: -len(suffix)]
    return file_entry


def toc_pages(toc_file: Path = TOC_FILE) -> list[TocPage]:
    """Every page of a jb-book _toc.yml in reading order: the root, then each `file:` entry, depth first."""
    toc = yaml.safe_load(toc_file.read_text(encoding="utf-8"))
    default_numbered = bool((toc.get("defaults") or {}).get("numbered", False))
    pages = [TocPage(_strip_suffix(toc["root"]), part="", numbered=False, depth=0)]

    def walk(entries: list[dict], part: str, numbered: bool, depth: int) -> None:
        for entry in entries or []:
            if "file" in entry:
                pages.append(TocPage(_strip_suffix(entry["file"]), part, numbered, depth))
            for key in ("sections", "chapters"):
                if key in entry:
                    walk(entry[key], part, bool(entry.get("numbered", numbered)), depth + 1)

    for part in toc.get("parts") or []:
        walk(part.get("chapters"), part.get("caption", ""), bool(part.get("numbered", default_numbered)), 1)
    walk(toc.get("chapters"), "", default_numbered, 1)
    return pages


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """Serves one folder; keeps the test output clean of access logs."""

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 (signature of the base class)
        pass


@contextlib.contextmanager
def serve_directory(root: Path) -> Iterator[str]:
    """Serve `root` on 127.0.0.1 with an ephemeral port; yields the base URL ending in '/'."""
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, name=f"serve {root}", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


class _AnchorCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.anchors: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if value and (name == "id" or (name == "name" and tag == "a")):
                self.anchors.add(value)


def anchors_in_html(html: str) -> set[str]:
    """Every fragment a link may target in this HTML: element ids and <a name=...>."""
    collector = _AnchorCollector()
    collector.feed(html)
    return collector.anchors
