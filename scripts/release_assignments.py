"""Generate the student version of every assignment into book/assignments/student/ for the book.

Runs nbgrader's generate_assignment in a temporary copy of exercises/ (so the real course folder and
its gradebook are untouched), then copies each release notebook out. The book links to these files.

Usage: .venv/bin/python scripts/release_assignments.py
"""
import os
import shutil
import sys
import tempfile
from pathlib import Path

from nbgrader.apps import NbGraderAPI
from traitlets.config.loader import PyFileConfigLoader

REPO = Path(__file__).resolve().parents[1]
COURSE = REPO / "exercises"
OUTPUT = REPO / "book" / "assignments" / "student"
SOLUTION_AND_HIDDEN_MARKERS = ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS", "END HIDDEN TESTS")


def release_all(output=OUTPUT):
    """Write <assignment>.ipynb (the student version) for every assignment in exercises/source into output."""
    # nbgrader runs `alembic` as a command when it opens a gradebook: the venv's bin must be on PATH.
    os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]
    assignments = sorted(path.name for path in (COURSE / "source").iterdir() if path.is_dir())
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch) / "exercises"
        shutil.copytree(COURSE / "source", root / "source")
        shutil.copy(COURSE / "nbgrader_config.py", root)
        config = PyFileConfigLoader("nbgrader_config.py", path=str(root)).load_config()
        config.CourseDirectory.root = str(root)
        config.Exchange.root = str(Path(scratch) / "exchange")
        api = NbGraderAPI(config=config)
        if output.exists():
            shutil.rmtree(output)
        output.mkdir(parents=True)
        for assignment in assignments:
            result = api.generate_assignment(assignment)
            if not result["success"]:
                sys.exit(f"release_assignments: nbgrader could not release {assignment}:\n{result.get('log', '')}")
            notebook = root / "release" / assignment / f"{assignment}.ipynb"
            text = notebook.read_text()
            leaked = [marker for marker in SOLUTION_AND_HIDDEN_MARKERS if marker in text]
            if leaked:
                sys.exit(f"release_assignments: the student version of {assignment} still contains {leaked}")
            shutil.copy(notebook, output / notebook.name)
            print(f"released {assignment} -> {(output / notebook.name).relative_to(REPO)}")


if __name__ == "__main__":
    release_all()
