"""Round trip of every assignment through nbgrader (release) and coursegrade (grading), in a temporary course.

For each assignment: generate the student version once, then grade with `coursegrade` (sandboxed, in one
batch per assignment) and read the gradebook and the feedback for
(a) the instructor's answers, (b) the untouched student version, (c) a typical mistake, (d) a correct
but differently written solution, (e) a solution that uses nnlib, and (f) a broken submission. Scores
are read back from the gradebook and compared cell by cell."""
import importlib

import nbformat
import pytest
from nbgrader.api import Gradebook

from exercises_support.course import (ASSIGNMENTS, HIDDEN_MARKERS, SOLUTION_MARKERS, Course, fill_release,
                                      hidden_test_lines, instructor_answers, nbgrader_cells, solution_lines,
                                      source_notebook, unmarked_lines, visible_text)

# nbgrader 0.9.6's gradebook code triggers SQLAlchemy's "not in session" warning (a RuntimeWarning subclass,
# which this project turns into errors); it comes from nbgrader itself and does not affect the grades.
pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")

CASES = ("instructor", "untouched", "mistake", "equivalent", "uses_nnlib", "broken")
# Lines this short ("return A3", ")") may legitimately appear elsewhere; longer ones identify the code.
DISTINCTIVE = 12


def answers_module(assignment):
    return importlib.import_module(f"exercises_support.{assignment}_answers")


def distinctive(lines, public):
    """The lines that identify instructor code: long enough, and not also in what students may see."""
    return sorted({line for line in lines if len(line) >= DISTINCTIVE} - set(public))


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    return Course(tmp_path_factory.mktemp("course") / "exercises")


@pytest.fixture(scope="module")
def release(course):
    """release(assignment): the generated student version, generated once per test run."""
    generated = {}

    def get(assignment):
        if assignment not in generated:
            generated[assignment] = course.generate_release(assignment)
        return generated[assignment]
    return get


@pytest.fixture(scope="module")
def graded(course, release):
    """graded(assignment): every case submitted and graded in one coursegrade batch (once per test run)."""
    done = set()

    def get(assignment):
        if assignment not in done:
            for case in CASES:
                course.submit(assignment, f"student_{case}", submission(assignment, case, release(assignment)))
            rows = course.grade(assignment, [f"student_{case}" for case in CASES])
            assert not any(row["failed"] for row in rows.values()), rows
            done.add(assignment)
    return get


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_cases_answer_existing_cells(assignment):
    known = set(instructor_answers(assignment))
    answers = answers_module(assignment)
    for name in ("MISTAKE", "EQUIVALENT", "USES_NNLIB", "BROKEN"):
        unknown = set(getattr(answers, name)) - known
        assert not unknown, f"{assignment}.{name} answers cells that do not exist: {unknown}"


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_release_has_stubs_and_no_solutions_or_hidden_tests(assignment, release):
    student = nbformat.read(release(assignment), as_version=4)
    student_lines = {line.strip() for cell in student.cells for line in cell.source.splitlines()}
    for marker in SOLUTION_MARKERS + HIDDEN_MARKERS:
        assert marker not in student_lines, f"the student version of {assignment} contains {marker!r}"
    source = nbformat.read(source_notebook(assignment), as_version=4)
    for line in distinctive(solution_lines(source) + hidden_test_lines(source), unmarked_lines(source)):
        assert line not in student_lines, f"the student version of {assignment} contains instructor code: {line!r}"
    for cell in nbgrader_cells(student, solution=True):
        assert "raise NotImplementedError()" in cell.source, (
            f"solution cell {cell.metadata.nbgrader.grade_id} of {assignment} has no NotImplementedError stub")


def submission(assignment, case, release_path):
    """The notebook a student would hand in for one case."""
    if case == "untouched":
        return nbformat.read(release_path, as_version=4)
    answers = dict(instructor_answers(assignment))
    if case != "instructor":
        answers.update(getattr(answers_module(assignment), case.upper()))
    return fill_release(release_path, answers)


def expected_failures(assignment, case):
    """The test cells a case must fail (every one for the untouched student version)."""
    if case == "untouched":
        source = nbformat.read(source_notebook(assignment), as_version=4)
        return {cell.metadata.nbgrader.grade_id for cell in nbgrader_cells(source, grade=True)}
    if case in ("instructor", "equivalent"):
        return set()
    return getattr(answers_module(assignment), f"{case.upper()}_FAILS")


@pytest.mark.parametrize("case", CASES)
@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_autograde_and_feedback(assignment, case, course, release, graded):
    student = f"student_{case}"
    handed_in = submission(assignment, case, release(assignment))
    graded(assignment)
    with Gradebook(f"sqlite:///{course.root / 'gradebook.db'}") as gradebook:
        found = gradebook.find_submission(assignment, student)
        score, max_score = found.score, found.max_score
    by_cell = course.scores_by_cell(assignment, student)
    failed = {grade_id for grade_id, points in by_cell.items() if points == 0}
    expected = expected_failures(assignment, case)
    assert failed == expected, f"{assignment}, {case}: cells scored 0: {sorted(failed)}; expected {sorted(expected)}"
    assert 10 <= max_score <= 20
    if case in ("instructor", "equivalent"):
        assert score == max_score
    elif case == "untouched":
        assert score == 0
    else:
        assert 0 < score < max_score

    text = visible_text(course.feedback(assignment, student))
    assert f"{assignment} (Score: {score:.1f} / {max_score:.1f})" in text, f"feedback for {assignment} ({case}) does not show the score"
    source = nbformat.read(source_notebook(assignment), as_version=4)
    public = unmarked_lines(source) + [line.strip() for cell in handed_in.cells for line in cell.source.splitlines()]
    for line in distinctive(hidden_test_lines(source), public):
        assert line not in text, f"feedback for {assignment} ({case}) shows hidden test code: {line!r}"
    if case == "broken":
        for message in answers_module(assignment).BROKEN_MESSAGES:
            assert message in text, f"feedback for the broken {assignment} does not say {message!r}"
