"""nbgrader configuration for the course. Run nbgrader commands from this folder (exercises/)."""
from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor
from nbgrader.preprocessors import ClearHiddenTests, GetGrades, NbGraderPreprocessor


class ShortenTestTracebacks(NbGraderPreprocessor):
    """In feedback, an error in a test cell with hidden tests shows only its type and message.

    A full traceback prints the lines around the failing one, which may belong to a hidden test."""

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "code" and "BEGIN HIDDEN TESTS" in cell.source:
            for output in cell.outputs:
                if output.output_type == "error":
                    output.traceback = [f"{output.ename}: {output.evalue}"]
        return cell, resources


c = get_config()  # noqa: F821 (provided by nbgrader when it loads this file)

c.CourseDirectory.course_id = "nn-derived"
# Paths are relative to this folder: source/<assignment>/<notebook>.ipynb, release/, submitted/, autograded/,
# feedback/ and the SQLite gradebook (gradebook.db) all live here; the generated ones are ignored by git.
c.CourseDirectory.source_directory = "source"
c.CourseDirectory.release_directory = "release"
c.CourseDirectory.submitted_directory = "submitted"
c.CourseDirectory.autograded_directory = "autograded"
c.CourseDirectory.feedback_directory = "feedback"

# Seconds a single cell may run when grading (nbgrader 0.9 ignores ExecutePreprocessor.timeout).
c.Execute.timeout = 60
# A student who deletes a test cell gets it back (and is graded on it) instead of losing it silently.
c.OverwriteCells.add_missing_cells = True
# The stub that replaces every solution region in the student version.
c.ClearSolutions.code_stub = {"python": "# YOUR CODE HERE\nraise NotImplementedError()"}
# Feedback shows the results of hidden tests (their messages) but not their code.
c.GenerateFeedback.preprocessors = [GetGrades, ShortenTestTracebacks, ClearHiddenTests, CSSHTMLHeaderPreprocessor]
