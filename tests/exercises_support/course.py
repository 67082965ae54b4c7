"""Drive the nbgrader course in exercises/ through nbgrader's Python API, in a temporary copy."""
import html
import os
import re
import shutil
import sys
from pathlib import Path

import nbformat
from nbgrader.api import Gradebook
from nbgrader.apps import NbGraderAPI
from traitlets.config.loader import PyFileConfigLoader

REPO = Path(__file__).resolve().parents[2]
COURSE = REPO / "exercises"
ASSIGNMENTS = ("backprop_three_layer", "backprop_tanh_sigmoid", "activation_derivatives", "softmax_cross_entropy",
               "optimisers", "batchnorm_backward", "sparse_autoencoder", "word2vec_negative_sampling")
GENERATED = ("release", "submitted", "autograded", "feedback", "gradebook.db", ".nbgrader.log")
SOLUTION_MARKERS = ("### BEGIN SOLUTION", "### END SOLUTION")
HIDDEN_MARKERS = ("### BEGIN HIDDEN TESTS", "### END HIDDEN TESTS")


def source_notebook(assignment):
    return COURSE / "source" / assignment / f"{assignment}.ipynb"


def nbgrader_cells(notebook, **flags):
    """The cells of notebook whose nbgrader metadata has every given flag (e.g. solution=True)."""
    return [cell for cell in notebook.cells
            if all(cell.metadata.get("nbgrader", {}).get(flag) == value for flag, value in flags.items())]


def solution_text(source):
    """The instructor's answer in a solution cell: the source with the solution markers removed."""
    return "\n".join(line for line in source.splitlines() if line.strip() not in SOLUTION_MARKERS)


def marked_lines(source, begin, end, inside=True):
    """The non-blank lines, stripped, between begin and end marker lines (or outside them: inside=False)."""
    lines, within = [], False
    for line in source.splitlines():
        if line.strip() in (begin, end):
            within = line.strip() == begin
        elif within == inside and line.strip():
            lines.append(line.strip())
    return lines


def hidden_test_lines(notebook):
    """Every line of hidden test code in a notebook's test cells."""
    return [line for cell in nbgrader_cells(notebook, grade=True)
            for line in marked_lines(cell.source, *HIDDEN_MARKERS)]


def unmarked_lines(notebook):
    """Every line of the notebook outside solution regions and hidden tests: what a student sees anyway."""
    lines = []
    for cell in notebook.cells:
        within = False
        for line in cell.source.splitlines():
            if line.strip() in SOLUTION_MARKERS + HIDDEN_MARKERS:
                within = line.strip() in (SOLUTION_MARKERS[0], HIDDEN_MARKERS[0])
            elif not within and line.strip():
                lines.append(line.strip())
    return lines


def solution_lines(notebook):
    """Every line of instructor code inside solution regions."""
    return [line for cell in nbgrader_cells(notebook, solution=True)
            for line in marked_lines(cell.source, *SOLUTION_MARKERS)]


def visible_text(html_page):
    """The text of an HTML page as a reader sees it: tags removed, entities decoded."""
    return html.unescape(re.sub(r"<[^>]+>", "", html_page))


class Course:
    """A copy of exercises/ in a temporary folder, with its own gradebook, driven by NbGraderAPI."""

    def __init__(self, root):
        self.root = Path(root)
        shutil.copytree(COURSE, self.root, ignore=shutil.ignore_patterns(*GENERATED, "__pycache__"))
        # nbgrader runs `alembic` as a command when it opens a gradebook: it must be on PATH.
        bindir = os.path.dirname(sys.executable)
        if bindir not in os.environ["PATH"].split(os.pathsep):
            os.environ["PATH"] = bindir + os.pathsep + os.environ["PATH"]
        config = PyFileConfigLoader("nbgrader_config.py", path=str(self.root)).load_config()
        config.CourseDirectory.root = str(self.root)
        config.Exchange.root = str(self.root.parent / "exchange")
        self.api = NbGraderAPI(config=config)

    def _check(self, result, what):
        assert result["success"], f"nbgrader {what} failed:\n{result.get('log', '')}\n{result.get('error', '')}"

    def generate_release(self, assignment):
        self._check(self.api.generate_assignment(assignment), f"generate_assignment {assignment}")
        return self.root / "release" / assignment / f"{assignment}.ipynb"

    def submit(self, assignment, student, notebook):
        folder = self.root / "submitted" / student / assignment
        folder.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, folder / f"{assignment}.ipynb")

    def grade(self, assignment, students=None, workers=2, db_url=None, cell_timeout=20.0, timeout=90.0):
        """Grade submissions with coursegrade (the sandboxed grader), in one batch; {student: row}."""
        from coursegrade.cli import Course as GradedCourse, grade_assignment
        graded = GradedCourse(self.root, db_url)
        students = graded.students(assignment) if students is None else students
        return grade_assignment(graded, assignment, students, workers, cell_timeout, timeout)

    def autograde(self, assignment, student):
        """Grade one submission; return (score, max_score) read back from the gradebook."""
        self.grade(assignment, [student], workers=1)
        with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}") as gradebook:
            submission = gradebook.find_submission(assignment, student)
            return submission.score, submission.max_score

    def feedback(self, assignment, student):
        """The feedback HTML coursegrade wrote for one graded submission."""
        return (self.root / "feedback" / student / assignment / f"{assignment}.html").read_text()

    def scores_by_cell(self, assignment, student):
        """{grade_id: score} for every graded test cell of one submission."""
        with Gradebook(f"sqlite:///{self.root / 'gradebook.db'}") as gradebook:
            notebook = gradebook.find_submission_notebook(assignment, assignment, student)
            return {grade.name: grade.score for grade in notebook.grades}


def fill_release(release, answers):
    """The release notebook with each solution cell's source replaced by answers[grade_id] when given."""
    notebook = nbformat.read(release, as_version=4)
    for cell in nbgrader_cells(notebook, solution=True):
        grade_id = cell.metadata.nbgrader.grade_id
        if grade_id in answers:
            cell.source = answers[grade_id]
    return notebook


def instructor_answers(assignment):
    """{grade_id: instructor answer} for every solution cell of the source notebook."""
    notebook = nbformat.read(source_notebook(assignment), as_version=4)
    return {cell.metadata.nbgrader.grade_id: solution_text(cell.source)
            for cell in nbgrader_cells(notebook, solution=True)}
