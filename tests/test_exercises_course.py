"""The nbgrader course in exercises/: valid metadata, clean notebooks, and every instructor notebook runs.

Executing a source notebook runs its visible and hidden tests against the instructor's solution, so
this is also the check that the reference solutions pass their own tests."""
import re
from pathlib import Path

import nbformat
import pytest
from nbgrader.nbgraderformat import MetadataValidator
from nbmake.nb_run import NotebookRun
from traitlets.config.loader import PyFileConfigLoader

from exercises_support.course import (ASSIGNMENTS, COURSE, HIDDEN_MARKERS, SOLUTION_MARKERS, REPO, nbgrader_cells,
                                      source_notebook)

GRADE_ID = re.compile(r"^[A-Za-z0-9_-]+$")


def test_every_source_assignment_is_tested():
    folders = sorted(path.name for path in (COURSE / "source").iterdir() if path.is_dir())
    assert folders == sorted(ASSIGNMENTS), f"exercises/source has {folders}; the tests know {sorted(ASSIGNMENTS)}"


def test_config_sets_what_grading_relies_on():
    config = PyFileConfigLoader("nbgrader_config.py", path=str(COURSE)).load_config()
    assert config.Execute.timeout > 0, "Execute.timeout (not ExecutePreprocessor.timeout) limits a cell at grading"
    assert config.OverwriteCells.add_missing_cells is True, "deleted test cells must be restored when grading"
    feedback = [pp.__name__ for pp in config.GenerateFeedback.preprocessors]
    assert "ClearHiddenTests" in feedback and feedback.index("ShortenTestTracebacks") < feedback.index("ClearHiddenTests")


def test_generated_course_folders_are_ignored_by_git():
    ignored = (REPO / ".gitignore").read_text().splitlines()
    for generated in ("release/", "submitted/", "autograded/", "feedback/", "gradebook.db"):
        assert f"exercises/{generated}" in ignored, f"exercises/{generated} is not in .gitignore"
    assert "book/assignments/student/" in ignored


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_notebook_is_clean_and_has_valid_nbgrader_metadata(assignment):
    notebook = nbformat.read(source_notebook(assignment), as_version=4)
    nbformat.validate(notebook)
    validator = MetadataValidator()
    grade_ids = []
    for cell in notebook.cells:
        if cell.cell_type == "code":
            assert not cell.outputs and cell.execution_count is None, f"{assignment}: a code cell is stored with outputs"
        if "nbgrader" not in cell.metadata:
            continue
        validator.validate_cell(cell)
        meta = cell.metadata.nbgrader
        grade_ids.append(meta.grade_id)
        assert GRADE_ID.match(meta.grade_id), f"{assignment}: bad grade_id {meta.grade_id!r}"
        if meta.solution:
            assert SOLUTION_MARKERS[0] in cell.source and SOLUTION_MARKERS[1] in cell.source, (
                f"{assignment}: solution cell {meta.grade_id} has no solution markers")
        if meta.grade:
            assert meta.locked and not meta.solution and meta.points > 0, f"{assignment}: test cell {meta.grade_id}"
        if HIDDEN_MARKERS[0] in cell.source:
            assert meta.grade, f"{assignment}: hidden tests outside a test cell ({meta.grade_id})"
    assert len(grade_ids) == len(set(grade_ids)), f"{assignment}: duplicate grade_id"
    validator.validate_nb(notebook)
    points = sum(cell.metadata.nbgrader.points for cell in nbgrader_cells(notebook, grade=True))
    assert 10 <= points <= 20, f"{assignment} is worth {points} points"


def test_grading_helpers_are_the_same_in_every_notebook():
    helpers = {}
    for assignment in ASSIGNMENTS:
        notebook = nbformat.read(source_notebook(assignment), as_version=4)
        cells = [cell.source for cell in notebook.cells
                 if cell.metadata.get("nbgrader", {}).get("grade_id") == "grading_helpers"]
        assert len(cells) == 1 and cells[0], f"{assignment} has no grading_helpers cell"
        helpers[assignment] = cells[0]
    assert len(set(helpers.values())) == 1, "the grading_helpers cells differ between notebooks: keep them identical"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_notebook_never_imports_nnlib(assignment):
    for cell in nbformat.read(source_notebook(assignment), as_version=4).cells:
        assert not re.search(r"^\s*(import|from)\s+nnlib", cell.source, flags=re.M), (
            f"{assignment} imports nnlib: the grading kernel need not have it")


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_instructor_notebook_passes_its_own_tests(assignment):
    """nbmake's runner executes the instructor version: visible and hidden tests against the solution."""
    result = NotebookRun(Path(source_notebook(assignment)), 120).execute()
    assert result.error is None, f"{assignment} failed in cell {result.error.failing_cell_index}:\n{result.error.trace}"
