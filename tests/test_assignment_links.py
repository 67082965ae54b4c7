"""Every assignment page names the chapter it practises, and that chapter links back to the assignment."""
import re

import pytest

from exercises_support.course import ASSIGNMENTS, REPO

DOC_LINK = re.compile(r"\{doc\}`(?:[^`<]*<)?([^`>]+)>?`")


def doc_links(page, root=REPO):
    """The pages a MyST page links with {doc}, as paths relative to root (without .md)."""
    return {(page.parent / target).resolve().relative_to(root).with_suffix("").as_posix()
            for target in DOC_LINK.findall(page.read_text())}


def practised_chapters(assignment):
    page = REPO / "book" / "assignments" / f"{assignment}.md"
    return sorted(link for link in doc_links(page) if not link.startswith("book/assignments/"))


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_assignment_page_links_the_chapter_it_practises(assignment):
    assert practised_chapters(assignment), f"book/assignments/{assignment}.md links no chapter"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_some_practised_chapter_links_back(assignment):
    back = [chapter for chapter in practised_chapters(assignment)
            if f"book/assignments/{assignment}" in doc_links(REPO / f"{chapter}.md")]
    assert back, f"none of {practised_chapters(assignment)} links book/assignments/{assignment}"


def test_doc_links_are_resolved_relative_to_the_page(tmp_path):
    page = tmp_path / "book" / "part" / "page.md"
    page.parent.mkdir(parents=True)
    page.write_text("See {doc}`../assignments/x` and {doc}`the chapter <other>`.")
    assert doc_links(page, root=tmp_path) == {"book/assignments/x", "book/part/other"}
