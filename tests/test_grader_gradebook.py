"""The gradebook under coursegrade: a real PostgreSQL 15 server (started here, in a temporary folder) written
by two grader processes at once, and a grader killed mid-batch (nothing recorded is lost; re-running is
idempotent). Needs Debian's PostgreSQL (`make grader-tools` installs it)."""
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
from nbgrader.api import Gradebook

from exercises_support.course import Course, fill_release, instructor_answers
from exercises_support.activation_derivatives_answers import MISTAKE

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")
PGBIN = Path(os.environ.get("PGBIN", "/usr/lib/postgresql/15/bin"))
ASSIGNMENT = "activation_derivatives"
FULL, PARTIAL = 16.0, 14.0   # the instructor's answers; the typical mistake (tanh' wrong, 2 points)


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def as_postgres(*command):
    runner = [] if os.getuid() != 0 else ["runuser", "-u", "postgres", "--"]
    return subprocess.run(runner + [str(part) for part in command], check=True, capture_output=True, text=True)


@pytest.fixture(scope="module")
def postgres():
    if not (PGBIN / "initdb").exists():
        pytest.fail(f"PostgreSQL is missing at {PGBIN}: run `make grader-tools`")
    folder = Path(tempfile.mkdtemp(prefix="coursegrade-pg-"))  # not under pytest's root-only folder
    data = folder / "data"
    data.mkdir()
    if os.getuid() == 0:
        shutil.chown(folder, "postgres")
        shutil.chown(data, "postgres")
    port = free_port()
    as_postgres(PGBIN / "initdb", "-D", data, "-A", "trust", "-U", "grader")
    as_postgres(PGBIN / "pg_ctl", "-D", data, "-o", f"-p {port} -k {data} -c listen_addresses=127.0.0.1",
                "-l", data / "log", "-w", "start")
    as_postgres(PGBIN / "createdb", "-h", "127.0.0.1", "-p", port, "-U", "grader", "gradebook")
    yield f"postgresql+psycopg2://grader@127.0.0.1:{port}/gradebook"
    as_postgres(PGBIN / "pg_ctl", "-D", data, "stop", "-m", "fast")
    shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    course = Course(tmp_path_factory.mktemp("pgcourse") / "exercises")
    release = course.generate_release(ASSIGNMENT)
    for index in range(8):  # s0..s3: the two PostgreSQL graders; s4..s7: the killed one
        answers = dict(instructor_answers(ASSIGNMENT))
        if index % 2:
            answers.update(MISTAKE)
        course.submit(ASSIGNMENT, f"s{index}", fill_release(release, answers))
    return course


def expected(student):
    return PARTIAL if int(student[1:]) % 2 else FULL


def coursegrade(course, students, db_url):
    env = dict(os.environ, PATH=os.path.dirname(sys.executable) + os.pathsep + os.environ["PATH"])
    command = [os.path.join(os.path.dirname(sys.executable), "coursegrade"), ASSIGNMENT, "--course", str(course.root),
               "--db", db_url, "--cell-timeout", "20", "--timeout", "90"]
    for student in students:
        command += ["--student", student]
    return subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def scores(db_url, students):
    with Gradebook(db_url) as gradebook:
        found = {}
        for student in students:
            try:
                found[student] = gradebook.find_submission(ASSIGNMENT, student).score
            except Exception:
                pass
        return found


def test_two_graders_write_disjoint_students_into_one_postgres_database(course, postgres):
    first = coursegrade(course, ["s0", "s1"], postgres)
    second = coursegrade(course, ["s2", "s3"], postgres)
    for process in (first, second):
        out, err = process.communicate(timeout=300)
        assert process.returncode == 0, out + err
    students = [f"s{index}" for index in range(4)]
    assert scores(postgres, students) == {student: expected(student) for student in students}
    with Gradebook(postgres) as gradebook:
        assert [assignment.name for assignment in gradebook.assignments] == [ASSIGNMENT]
        assert len(gradebook.assignment_submissions(ASSIGNMENT)) == 4


def test_a_killed_grader_loses_nothing_and_rerunning_is_idempotent(course, tmp_path):
    db_url = f"sqlite:///{tmp_path / 'gradebook.db'}"
    students = ["s4", "s5", "s6", "s7"]
    process = coursegrade(course, students, db_url)
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline and process.poll() is None:
        if (tmp_path / "gradebook.db").exists() and len(scores(db_url, students)) >= 1:
            break
        time.sleep(0.2)
    process.send_signal(signal.SIGKILL)  # a power cut: no clean-up runs
    process.wait()
    recorded = scores(db_url, students)
    assert 1 <= len(recorded) < len(students), "the grader was not killed mid-batch"
    assert recorded == {student: expected(student) for student in recorded}
    rerun = coursegrade(course, students, db_url)
    out, err = rerun.communicate(timeout=300)
    assert rerun.returncode == 0, out + err
    again = scores(db_url, students)
    assert again == {student: expected(student) for student in students}
    with Gradebook(db_url) as gradebook:
        assert len(gradebook.assignment_submissions(ASSIGNMENT)) == len(students)
