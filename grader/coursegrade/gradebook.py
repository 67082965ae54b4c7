"""Writing grades into nbgrader's gradebook (SQLite by default, PostgreSQL for a class), from the grader only.

Each submission is one transaction: a kill mid-batch loses nothing already recorded, and grading the same
submission again overwrites its auto scores (idempotent). Two grader processes may write disjoint students
into one database at once: the shared rows (assignment, notebook, cells) are created with retries."""
import random
import time

from nbgrader.api import Gradebook, InvalidEntry, MissingEntry
from sqlalchemy.exc import DBAPIError, IntegrityError

from coursegrade.plan import cell_role, nbgrader_meta

RETRIES = 8


def _retry(action):
    for attempt in range(RETRIES):
        try:
            return action()
        except (IntegrityError, InvalidEntry, DBAPIError):
            if attempt == RETRIES - 1:
                raise
            time.sleep(0.05 + random.random() * 0.2 * (attempt + 1))


class Book:
    def __init__(self, url, course_id):
        self.gradebook = _retry(lambda: Gradebook(url, course_id=course_id))
        self.ready = set()

    def close(self):
        self.gradebook.close()

    def ensure_assignment(self, assignment, notebooks):
        """notebooks: {name: instructor notebook}. Creates what is missing; never deletes anything."""
        if assignment in self.ready:
            return
        gb = self.gradebook

        def create():
            try:
                gb.update_or_create_assignment(assignment)
                for name, notebook in notebooks.items():
                    try:
                        gb.find_notebook(name, assignment)
                    except MissingEntry:
                        gb.add_notebook(name, assignment)
                    for cell in notebook.cells:
                        role, meta = cell_role(cell), nbgrader_meta(cell)
                        if role == "test":
                            gb.update_or_create_grade_cell(meta["grade_id"], name, assignment,
                                                           max_score=float(meta["points"]), cell_type=cell.cell_type)
                        elif role == "solution":
                            gb.update_or_create_solution_cell(meta["grade_id"], name, assignment)
            except Exception:
                gb.db.rollback()
                raise
        _retry(create)
        self.ready.add(assignment)

    def record(self, assignment, student, notebook_scores):
        """notebook_scores: {notebook name: {grade_id: (score, points)}}; one transaction."""
        gb = self.gradebook

        def write():
            try:
                gb.update_or_create_student(student)
                try:
                    gb.find_submission(assignment, student)
                except MissingEntry:
                    gb.add_submission(assignment, student)
                for name, scores in notebook_scores.items():
                    for grade_id, (score, _) in scores.items():
                        grade = gb.find_grade(grade_id, name, assignment, student)
                        grade.auto_score = score
                        grade.needs_manual_grade = grade.manual_score is not None
                gb.db.commit()
            except Exception:
                gb.db.rollback()
                raise
        _retry(write)

    def score(self, assignment, student):
        submission = self.gradebook.find_submission(assignment, student)
        return submission.score, submission.max_score
