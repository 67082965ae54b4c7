"""The built site publishes the student version of each assignment and nothing of the instructor's.

Needs the site built by `make book` (which also generates the student notebooks) in _build/html."""

import nbformat
import pytest

from exercises_support.course import (ASSIGNMENTS, HIDDEN_MARKERS, REPO, SOLUTION_MARKERS, hidden_test_lines,
                                      solution_lines, source_notebook, unmarked_lines, visible_text)

SITE = REPO / "_build" / "html"
TEXT_SUFFIXES = {".html", ".js", ".txt", ".ipynb", ".md", ".json", ".py", ".css", ".xml"}


@pytest.fixture(scope="module")
def site():
    if not (SITE / "index.html").exists():
        pytest.fail(f"no built site at {SITE}: run `make book` first (make test does it)")
    return SITE


def site_texts(site):
    for path in sorted(site.rglob("*")):
        if path.is_file() and path.suffix in TEXT_SUFFIXES:
            yield path, path.read_text(errors="replace")


def instructor_only_lines(assignment):
    """Lines of solution code and hidden tests long enough to identify them, that students never see."""
    source = nbformat.read(source_notebook(assignment), as_version=4)
    public = set(unmarked_lines(source))
    return sorted({line for line in solution_lines(source) + hidden_test_lines(source)
                   if len(line) >= 12} - public)


def test_no_file_in_the_site_has_solution_or_hidden_test_markers(site):
    for path, text in site_texts(site):
        for marker in SOLUTION_MARKERS + HIDDEN_MARKERS:
            assert marker not in text, f"{path.relative_to(site)} contains {marker!r}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_assignment_page_links_the_student_notebook(site, assignment):
    page = site / "book" / "assignments" / f"{assignment}.html"
    assert page.exists(), f"no page for {assignment} in the site"
    downloads = list((site / "_downloads").rglob(f"{assignment}.ipynb"))
    assert len(downloads) == 1, f"the site should hold exactly one download of {assignment}.ipynb, found {downloads}"
    href = downloads[0].relative_to(site).as_posix()
    assert href in page.read_text(), f"the page of {assignment} does not link {href}"
    student = nbformat.read(downloads[0], as_version=4)
    stubs = [cell for cell in student.cells if "raise NotImplementedError()" in cell.source]
    assert stubs, f"the published {assignment}.ipynb has no exercise stubs: is it the student version?"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_assignment_pages_and_downloads_hold_no_instructor_code(site, assignment):
    lines = instructor_only_lines(assignment)
    assert lines, f"found no instructor-only code in {assignment} to look for"
    published = [site / "book" / "assignments" / f"{name}.html" for name in ("index",) + ASSIGNMENTS]
    published += list((site / "_downloads").rglob("*.ipynb"))
    for path in published:
        raw = path.read_text()
        text = visible_text(raw) if path.suffix == ".html" else "\n".join(
            cell.source for cell in nbformat.reads(raw, as_version=4).cells)
        shown = {line.strip() for line in text.splitlines()}
        for line in lines:
            assert line not in shown, f"{path.relative_to(site)} contains instructor code of {assignment}: {line!r}"
