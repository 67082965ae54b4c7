"""The book build fails loudly on a broken chapter, and re-executes chapters when nnlib changes.

Each test builds a tiny throw-away book with the same script `make book` uses.
"""
import subprocess
import sys
import textwrap
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[1]
BUILD_SCRIPT = REPO / "scripts" / "build_book.py"

NOTEBOOK_HEADER = """\
---
jupytext:
  text_representation:
    extension: .md
    format_name: myst
kernelspec:
  display_name: Python 3
  language: python
  name: python3
---
"""


def make_book(root: Path, pages: dict[str, str]) -> None:
    """Write a minimal Jupyter Book with the repository's execution settings and the given pages."""
    repo_config = yaml.safe_load((REPO / "_config.yml").read_text())
    config = {
        "title": "A tiny book",
        "only_build_toc_files": True,
        "execute": repo_config["execute"],
        "sphinx": {"config": {"nb_execution_raise_on_error": repo_config["sphinx"]["config"]["nb_execution_raise_on_error"]}},
    }
    (root / "_config.yml").write_text(yaml.safe_dump(config))
    chapters = "".join(f"  - file: {name}\n" for name in pages if name != "index")
    (root / "_toc.yml").write_text(f"format: jb-book\nroot: index\nchapters:\n{chapters}")
    (root / "index.md").write_text("# A tiny book\n")
    for name, body in pages.items():
        if name != "index":
            (root / f"{name}.md").write_text(NOTEBOOK_HEADER + textwrap.dedent(body))


def build(root: Path, *watch: str) -> subprocess.CompletedProcess:
    command = [sys.executable, str(BUILD_SCRIPT), "--source", str(root), "--watch", *watch]
    return subprocess.run(command, capture_output=True, text=True, timeout=300)


def test_a_raising_cell_fails_the_build_and_names_the_notebook(tmp_path):
    make_book(tmp_path, {"broken-chapter": """
        # Broken

        ```{code-cell} ipython3
        raise ValueError("deliberate failure in a chapter cell")
        ```
        """})
    result = build(tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0, output[-2000:]
    assert "broken-chapter" in output
    assert "deliberate failure in a chapter cell" in output


def test_a_broken_cross_reference_fails_the_build(tmp_path):
    make_book(tmp_path, {"chapter": """
        # Chapter

        See {ref}`a-label-that-does-not-exist`.
        """})
    result = build(tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    assert "a-label-that-does-not-exist" in output


def test_a_change_in_the_library_re_executes_unchanged_chapters(tmp_path):
    library = tmp_path / "fakelib"
    library.mkdir()
    (library / "__init__.py").write_text("ANSWER = 'first-version-of-the-library'\n")
    make_book(tmp_path, {"uses-library": """
        # Uses the library

        ```{code-cell} ipython3
        import fakelib
        print(fakelib.ANSWER)
        ```
        """})
    first = build(tmp_path, "fakelib")
    assert first.returncode == 0, first.stdout[-2000:] + first.stderr[-2000:]
    page = tmp_path / "_build" / "html" / "uses-library.html"
    assert "first-version-of-the-library" in page.read_text()

    (library / "__init__.py").write_text("ANSWER = 'second-version-of-the-library'\n")
    second = build(tmp_path, "fakelib")
    assert second.returncode == 0, second.stdout[-2000:] + second.stderr[-2000:]
    assert "re-executing every page" in second.stdout
    html = page.read_text()
    assert "second-version-of-the-library" in html
    assert "first-version-of-the-library" not in html
