"""`coursegrade <assignment> [--student S] [--workers N] [--db URL]`: grade submitted/ in the sandbox.

Run it in the course folder (where nbgrader_config.py is), or pass --course. For every submission it
writes the grades into the gradebook (one transaction per student), autograded/<student>/<assignment>/
and feedback/<student>/<assignment>/, then prints one row per student (a progress bar first, on a
terminal). Exit status 0 when every submission was graded (whatever its score), 1 otherwise."""
import argparse
import json
import queue
import select
import subprocess
import sys
import time
import warnings
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

import nbformat
from sqlalchemy.exc import SAWarning

from coursegrade import feedback
from coursegrade.gradebook import Book
from coursegrade.sandbox import Limits, bwrap_available

JUDGE_ENV = {"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1",
             "MPLBACKEND": "Agg"}


# The judge is this very copy of the package: `python -I -m coursegrade.judge` would import whichever copy the
# environment has installed (another checkout's, with an editable install), not the one grading.
JUDGE_BOOTSTRAP = (f"import sys; sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r}); "
                   "from coursegrade.judge import main; main()")


class Judge:
    """A `coursegrade.judge` process serving jobs; replaced when it dies or overruns."""

    def __init__(self):
        self.process = subprocess.Popen([sys.executable, "-I", "-c", JUDGE_BOOTSTRAP], stdin=subprocess.PIPE,
                                        stdout=subprocess.PIPE, text=True, env=JUDGE_ENV, cwd="/")

    def grade(self, job, timeout):
        try:
            self.process.stdin.write(json.dumps(job) + "\n")
            self.process.stdin.flush()
            ready, _, _ = select.select([self.process.stdout], [], [], timeout)
            line = self.process.stdout.readline() if ready else ""
        except (BrokenPipeError, OSError):
            line = ""
        if not line:
            self.close(kill=True)
            return {"failure": "the grader's judge process did not finish this submission"}
        return json.loads(line)

    def close(self, kill=False):
        if kill:
            self.process.kill()
        else:
            self.process.stdin.close()
        self.process.wait()


class Course:
    def __init__(self, root, db_url=None):
        self.root = Path(root).resolve()
        config = feedback.course_config(self.root)
        folders = config.get("CourseDirectory", {})
        self.source = self.root / folders.get("source_directory", "source")
        self.submitted = self.root / folders.get("submitted_directory", "submitted")
        self.autograded = self.root / folders.get("autograded_directory", "autograded")
        self.feedback = self.root / folders.get("feedback_directory", "feedback")
        self.course_id = folders.get("course_id", "default_course")
        self.db_url = db_url or folders.get("db_url") or f"sqlite:///{self.root / 'gradebook.db'}"
        self.guarded = list(config.get("CourseGrade", {}).get("guarded_helpers", ["numerical_gradient"]))

    def notebooks(self, assignment):
        paths = sorted((self.source / assignment).glob("*.ipynb"))
        if not paths:
            raise SystemExit(f"coursegrade: no notebooks in {self.source / assignment}")
        return {path.stem: path for path in paths}

    def students(self, assignment, only=None):
        found = sorted(path.parent.name for path in self.submitted.glob(f"*/{assignment}") if path.is_dir())
        return [student for student in found if not only or student in only]


def grade_assignment(course, assignment, students, workers=1, cell_timeout=30.0, timeout=180.0, limits=None,
                     progress=None):
    """Grade students' submissions of assignment; {student: row} with score, max_score, notes, seconds."""
    notebooks = course.notebooks(assignment)
    limits = limits or Limits()
    book = Book(course.db_url, course.course_id)
    book.ensure_assignment(assignment, {name: nbformat.read(path, as_version=4) for name, path in notebooks.items()})
    judges = queue.Queue()
    for _ in range(workers):
        judges.put(Judge())

    def work(student, name, path):
        job = {"source": str(path), "submission": str(course.submitted / student / assignment / f"{name}.ipynb"),
               "limits": limits.__dict__, "cell_timeout": cell_timeout, "timeout": timeout,
               "guarded": course.guarded, "root": str(course.root), "notebook_name": name}
        judge = judges.get()
        try:
            result = judge.grade(job, timeout + 60)
        finally:
            judges.put(judge if judge.process.poll() is None else Judge())
        return student, name, result

    rows = {student: {"score": 0.0, "max_score": 0.0, "notes": [], "seconds": 0.0, "failed": False}
            for student in students}
    scores = {student: {} for student in students}
    left = {student: len(notebooks) for student in students}
    done = 0
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(work, student, name, path) for student in students for name, path in notebooks.items()]
        for future in as_completed(futures):
            student, name, result = future.result()
            row = rows[student]
            if "failure" in result:
                row["failed"] = True
                row["notes"].append(f"{name}: grading failed ({result['failure'].strip().splitlines()[-1][:200]})")
                result = {"scores": {}, "notes": [], "notebook": None, "seconds": 0.0}
            scores[student][name] = result["scores"]
            row["notes"] += result["notes"]
            row["seconds"] += result["seconds"]
            if result["notebook"] is not None:
                notebook = nbformat.reads(result["notebook"], as_version=4)
                target = course.autograded / student / assignment
                target.mkdir(parents=True, exist_ok=True)
                nbformat.write(notebook, target / f"{name}.ipynb")
                target = course.feedback / student / assignment
                target.mkdir(parents=True, exist_ok=True)
                (target / f"{name}.html").write_text(result["html"])
            left[student] -= 1
            if left[student] == 0 and not row["failed"]:
                book.record(assignment, student, scores[student])
                row["score"], row["max_score"] = book.score(assignment, student)
            done += 1
            if progress:
                progress(done, len(futures))
    while not judges.empty():
        judges.get().close()
    book.close()
    return rows


def progress_bar(done, total, stream=sys.stderr):
    width = 30
    filled = int(width * done / total)
    stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
    stream.flush()
    if done == total:
        stream.write("\n")


def table(assignment, rows):
    lines = [f"{'student':<24} {'score':>13}  {'time':>6}  notes"]
    for student, row in sorted(rows.items()):
        score = "FAILED" if row["failed"] else f"{row['score']:.1f} / {row['max_score']:.1f}"
        notes = "; ".join(note[:70] for note in row["notes"][:3])
        lines.append(f"{student:<24} {score:>13}  {row['seconds']:5.1f}s  {notes}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="coursegrade", description=__doc__.splitlines()[0])
    parser.add_argument("assignment")
    parser.add_argument("--student", action="append", help="grade only this student (repeatable)")
    parser.add_argument("--workers", type=int, default=1, help="submissions graded in parallel (default 1)")
    parser.add_argument("--db", help="gradebook URL (default: the course's, sqlite:///gradebook.db); "
                                     "PostgreSQL: postgresql+psycopg2://user@host:port/db")
    parser.add_argument("--course", default=".", help="the course folder (default: the current folder)")
    parser.add_argument("--cell-timeout", type=float, default=30.0, help="seconds one cell may run (default 30)")
    parser.add_argument("--timeout", type=float, default=180.0, help="seconds one submission may take (default 180)")
    parser.add_argument("--memory", type=int, default=Limits.memory_mb, help="MB of memory for a submission")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore", category=SAWarning)  # nbgrader's own gradebook code; grades unaffected
    if not bwrap_available():
        raise SystemExit("coursegrade: bubblewrap (bwrap) is missing; install it: sudo apt-get install bubblewrap")
    course = Course(args.course, args.db)
    students = course.students(args.assignment, args.student)
    if not students:
        raise SystemExit(f"coursegrade: no submissions of {args.assignment} in {course.submitted}")
    started = time.monotonic()
    rows = grade_assignment(course, args.assignment, students, args.workers, args.cell_timeout, args.timeout,
                            Limits(memory_mb=args.memory, cpu_seconds=int(args.timeout)),
                            progress=progress_bar if sys.stderr.isatty() else None)
    print(table(args.assignment, rows))
    elapsed = time.monotonic() - started
    print(f"{len(rows)} submissions of {args.assignment} in {elapsed:.1f} s "
          f"({60 * len(rows) / elapsed:.1f} per minute, {args.workers} worker(s))")
    return 1 if any(row["failed"] for row in rows.values()) else 0


if __name__ == "__main__":
    sys.exit(main())
