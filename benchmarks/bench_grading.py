"""Throughput of the sandboxed grader: submissions per minute for 1, 2 and 4 workers, and the sandbox's cost.

Builds a temporary course with 40 submissions of one assignment (the instructor's answers and the typical
mistake, alternating), grades them with `coursegrade.cli.grade_assignment` (sandbox on) for each worker
count, and reports wall-clock submissions per minute. The sandbox overhead per submission is measured
apart: the same runner process started with and without bubblewrap, each answering one cell, repeated.

Usage (from the repository root; several minutes on 2 cores):
    .venv/bin/python benchmarks/bench_grading.py [--submissions 40] [--workers 1 2 4] [--assignment NAME]
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

from coursegrade import wire  # noqa: E402
from coursegrade.cli import Course as GradedCourse, grade_assignment  # noqa: E402
from coursegrade.sandbox import Limits, Sandbox  # noqa: E402
from exercises_support.course import Course, fill_release, instructor_answers  # noqa: E402


def sandbox_overhead(repeats=20):
    """Median seconds (start + first cell + stop) with bubblewrap minus the same without it."""
    cell = {"op": "run", "source": "1 + 1"}  # no imports: what is left is the sandbox itself

    def once(sandboxed):
        started = time.perf_counter()
        sandbox = Sandbox(Limits())
        if sandboxed:
            sandbox.start()
            sandbox.request(cell, 60)
            sandbox.stop()
        else:
            command = sandbox.command()
            python = command.index(os.path.realpath(sys.executable))
            bootstrap = command[-1].replace("'/opt/coursegrade'", repr(str(Path(wire.__file__).parents[1])))
            process = subprocess.Popen(command[python:-1] + [bootstrap], stdin=subprocess.PIPE, stdout=subprocess.PIPE)
            wire.send(process.stdin, cell)
            wire.receive(process.stdout.read)
            process.stdin.close()
            process.wait()
        return time.perf_counter() - started

    with_bwrap, without = [], []
    for _ in range(repeats):  # interleaved, so machine load affects both alike
        with_bwrap.append(once(True))
        without.append(once(False))
    return statistics.median(with_bwrap), statistics.median(without)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=40)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--assignment", default="activation_derivatives")
    args = parser.parse_args()
    os.environ["PATH"] = os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"]

    sandboxed, bare = sandbox_overhead()
    print(f"sandbox: {sandboxed:.3f} s with bwrap, {bare:.3f} s without; overhead {sandboxed - bare:.3f} s per submission")

    scratch = Path(tempfile.mkdtemp(prefix="bench-grading-"))
    try:
        course = Course(scratch / "exercises")
        release = course.generate_release(args.assignment)
        mistake = __import__(f"exercises_support.{args.assignment}_answers", fromlist=["MISTAKE"]).MISTAKE
        students = [f"student{index:03d}" for index in range(args.submissions)]
        for index, student in enumerate(students):
            answers = dict(instructor_answers(args.assignment))
            if index % 2:
                answers.update(mistake)
            course.submit(args.assignment, student, fill_release(release, answers))
        print(f"{args.submissions} submissions of {args.assignment}, {os.cpu_count()} CPUs")
        print(f"{'workers':>7}  {'seconds':>8}  {'per minute':>10}")
        for workers in args.workers:
            started = time.perf_counter()
            rows = grade_assignment(GradedCourse(course.root), args.assignment, students, workers,
                                    cell_timeout=60, timeout=300)
            elapsed = time.perf_counter() - started
            assert not any(row["failed"] for row in rows.values())
            print(f"{workers:>7}  {elapsed:8.1f}  {60 * len(students) / elapsed:10.1f}")
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


if __name__ == "__main__":
    main()
