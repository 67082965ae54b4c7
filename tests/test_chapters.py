"""Every chapter keeps the book's promises: it uses nnlib instead of re-implementing it,
verifies a derivation with SymPy, and draws at least one captioned figure with alt text.

Chapters are the pages listed in _toc.yml under the content parts (not the front matter or
the assignments). Code is read from the MyST notebooks' `code-cell` blocks and parsed with ast.
"""
import ast
import re
from pathlib import Path

import pytest
import yaml

import nnlib

REPO = Path(__file__).resolve().parents[1]
CONTENT_PARTS = {"Foundations", "Training deep networks", "Representation learning"}
CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
CELL_OPTIONS = re.compile(r"\A---\n(.*?)\n---\n", re.DOTALL)
SYMBOLIC_CHECKS = {"simplify", "equals", "check_closed_form", "verify", "trigsimp", "expand", "cancel"}
NNLIB_PUBLIC = {name.lower() for name in dir(nnlib) if not name.startswith("_")} - {"nnlib"}


def chapter_paths():
    toc = yaml.safe_load((REPO / "_toc.yml").read_text())
    return [
        REPO / f"{entry['file']}.md"
        for part in toc.get("parts", [])
        if part.get("caption") in CONTENT_PARTS
        for entry in part.get("chapters", [])
    ]


def code_cells(path):
    """Return (options dict, source) for each code cell of a MyST notebook."""
    cells = []
    for body in CELL.findall(path.read_text()):
        match = CELL_OPTIONS.match(body)
        options = yaml.safe_load(match.group(1)) if match else {}
        cells.append((options or {}, body[match.end():] if match else body))
    return cells


def chapter_tree(path):
    source = "\n".join(src for _, src in code_cells(path))
    source = "\n".join(line for line in source.splitlines() if not line.lstrip().startswith(("%", "!")))
    return ast.parse(source, filename=str(path))


CHAPTERS = chapter_paths()
IDS = [p.stem for p in CHAPTERS]


def test_the_book_has_chapters():
    assert CHAPTERS, "no chapters listed under the content parts of _toc.yml"
    missing = [str(p.relative_to(REPO)) for p in CHAPTERS if not p.exists()]
    assert not missing, f"chapters listed in _toc.yml but missing: {missing}"


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_chapter_imports_nnlib(path):
    tree = chapter_tree(path)
    imported = {
        alias.name.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names
    } | {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
    assert "nnlib" in imported, f"{path.name} never imports nnlib"


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_chapter_defines_no_layer_activation_loss_or_optimiser(path):
    tree = chapter_tree(path)
    offences = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)) and node.name.lower() in NNLIB_PUBLIC:
            offences.append(f"line {node.lineno}: defines {node.name!r}, which nnlib provides")
        if isinstance(node, ast.ClassDef):
            methods = {item.name for item in node.body if isinstance(item, ast.FunctionDef)}
            if methods & {"forward", "backward"}:
                offences.append(f"line {node.lineno}: class {node.name!r} has forward/backward: a layer belongs in nnlib")
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Lambda):
            names = [t.id for t in node.targets if isinstance(t, ast.Name)]
            offences += [f"line {node.lineno}: lambda named {n!r}, which nnlib provides"
                         for n in names if n.lower() in NNLIB_PUBLIC]
    assert not offences, f"{path.name} re-implements nnlib:\n" + "\n".join(offences)


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_chapter_verifies_a_derivation_with_sympy(path):
    tree = chapter_tree(path)
    uses_sympy = any(
        (isinstance(n, ast.Import) and any(a.name == "sympy" for a in n.names))
        or (isinstance(n, ast.ImportFrom) and (n.module or "").startswith(("sympy", "nnlib.symbolic")))
        for n in ast.walk(tree)
    )
    assert uses_sympy, f"{path.name} never imports sympy or nnlib.symbolic"

    def symbolic_call(node):
        for call in ast.walk(node):
            if isinstance(call, ast.Call):
                func = call.func
                name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
                if name in SYMBOLIC_CHECKS:
                    return True
        return False

    checks = [n for n in ast.walk(tree) if isinstance(n, ast.Assert) and symbolic_call(n.test)]
    checks += [n for n in ast.walk(tree) if isinstance(n, ast.Expr) and isinstance(n.value, ast.Call)
               and getattr(n.value.func, "attr", getattr(n.value.func, "id", "")) == "verify"]
    assert checks, f"{path.name} has no asserted SymPy check (assert simplify(...) == 0, or nnlib.symbolic.verify)"


@pytest.mark.parametrize("path", CHAPTERS, ids=IDS)
def test_chapter_draws_a_captioned_figure_with_alt_text(path):
    figures = [
        options for options, source in code_cells(path)
        if options.get("mystnb", {}).get("figure", {}).get("caption")
        and options.get("mystnb", {}).get("image", {}).get("alt")
    ]
    assert figures, f"{path.name} has no code cell with mystnb.figure.caption and mystnb.image.alt"


def test_every_errata_box_is_listed_on_the_errata_page():
    label = re.compile(r"^\((errata-[\w-]+)\)=", re.MULTILINE)
    in_chapters = {name for path in CHAPTERS for name in label.findall(path.read_text())}
    errata_page = (REPO / "book" / "errata.md").read_text()
    assert in_chapters, "no chapter has an errata box"
    unlisted = sorted(name for name in in_chapters if f"<{name}>`" not in errata_page)
    assert not unlisted, f"errata boxes missing from book/errata.md: {unlisted}"
