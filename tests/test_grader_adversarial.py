"""The sandboxed grader (coursegrade) against hostile submissions, and honest ones it must not punish.

One temporary course; every assignment is released; three bystanders (the instructor's answers) are
graded first; then every case below is graded in one batch per assignment (two workers). Each case asserts
its exact per-cell outcome; then: the bystanders' grades are unchanged, the course files are unchanged
(checksums), no feedback or autograded notebook contains instructor code (solutions, hidden tests), no
process of a submission is left, nothing reached the network, and each submission stayed within its time."""
import hashlib
import importlib
import json
import os
import socket
import threading
from pathlib import Path

import nbformat
import pytest
from nbgrader.api import Gradebook

from exercises_support import hostile
from exercises_support.course import (ASSIGNMENTS, Course, fill_release, hidden_test_lines, instructor_answers,
                                      nbgrader_cells, solution_lines, source_notebook, unmarked_lines, visible_text)

pytestmark = pytest.mark.filterwarnings("ignore::sqlalchemy.exc.SAWarning")
CELL_TIMEOUT, TIMEOUT = 8.0, 30.0
DISTINCTIVE = 12
A, T, THREE = "activation_derivatives", "backprop_tanh_sigmoid", "backprop_three_layer"
NEW = ("softmax_cross_entropy", "optimisers", "batchnorm_backward", "sparse_autoencoder", "word2vec_negative_sampling")
BYSTANDERS = ("bystander_1", "bystander_2", "bystander_3")


def mistake(assignment):
    answers = importlib.import_module(f"exercises_support.{assignment}_answers")
    return answers.MISTAKE, set(answers.MISTAKE_FAILS)


def defined_functions(source):
    return {line[4:].split("(")[0] for line in source.splitlines() if line.startswith("def ")}


def patched_helpers(assignment):
    """hostile.PATCH_HELPERS, and every other helper of the assignment's locked cells that its answers do not call
    (check_step, check_backward_result, ...), made to accept anything."""
    source = nbformat.read(source_notebook(assignment), as_version=4)
    names = set().union(*(defined_functions(cell.source) for cell in nbgrader_cells(source, locked=True, grade=False)
                          if cell.cell_type == "code"))
    answers = "\n".join(instructor_answers(assignment).values())
    names = {name for name in names if f"{name}(" not in answers} - defined_functions(hostile.PATCH_HELPERS)
    return hostile.PATCH_HELPERS + "".join(f"def {name}(*args, **kwargs):\n    return None\n" for name in sorted(names))


def broken(assignment, grade_id):
    """One answer of the assignment's broken submission."""
    return {grade_id: importlib.import_module(f"exercises_support.{assignment}_answers").BROKEN[grade_id]}


def infinite_loops(assignment):
    """Every answer cell: functions that never return."""
    loops = {}
    for grade_id, source in instructor_answers(assignment).items():
        names = [line.split("(")[0][4:] for line in source.splitlines() if line.startswith("def ")]
        loops[grade_id] = "".join(f"def {name}(*args, **kwargs):\n    while True:\n        pass\n" for name in names) or source
    return loops


def strip_metadata(notebook):
    for cell in notebook.cells:
        cell.metadata.pop("nbgrader", None)
    return notebook


def duplicate_test_cell(grade_id):
    def edit(notebook):
        index = next(i for i, cell in enumerate(notebook.cells) if cell.metadata.get("nbgrader", {}).get("grade_id") == grade_id)
        notebook.cells.insert(index + 1, nbformat.from_dict(json.loads(json.dumps(notebook.cells[index]))))
        return notebook
    return edit


def delete_test_cells(notebook):
    notebook.cells = [cell for cell in notebook.cells if not cell.metadata.get("nbgrader", {}).get("grade")]
    return notebook


def edit_test_cells(notebook):
    for cell in nbgrader_cells(notebook, grade=True):
        cell.source = "pass  # every test passes now"
    return notebook


def rename_grade_ids(notebook):
    for cell in nbgrader_cells(notebook, grade=True):
        cell.metadata.nbgrader.grade_id += "_mine"
        cell.metadata.nbgrader.points = 100
    notebook.cells.append(nbformat.v4.new_code_cell("print('free points')", metadata={"nbgrader": {
        "grade": True, "grade_id": "bonus", "locked": True, "points": 1000, "schema_version": 3, "solution": False}}))
    return notebook


def wrong_kernel(notebook):
    notebook.metadata.kernelspec = {"name": "evil-kernel", "display_name": "Evil", "language": "python"}
    return notebook


def corrupt(notebook):
    return "this is {not a notebook"


def case(name, assignment, answers=None, attack="", edit=None, fails=(), wrong=False):
    """A submission; wrong=True adds the assignment's typical mistake (and its failing cells)."""
    answers = dict(answers or {})
    fails = set(fails) if fails != hostile.ALL else fails
    if wrong:
        extra, extra_fails = mistake(assignment)
        answers.update(extra)
        fails |= extra_fails
    return dict(name=name, assignment=assignment, answers=answers, attack=attack, edit=edit, fails=fails)


CASES = [
    # Verdicts: monkeypatching numpy, builtins, the helpers; IPython transformers and hooks.
    case("numpy_patched", A, attack=hostile.MONKEYPATCH_NUMPY, wrong=True),
    case("numpy_patched_t", T, attack=hostile.MONKEYPATCH_NUMPY, wrong=True),
    case("numpy_patched_3", THREE, attack=hostile.MONKEYPATCH_NUMPY, wrong=True),
    case("builtins_patched", A, attack=hostile.MONKEYPATCH_BUILTINS, wrong=True),
    case("helpers_patched", T, attack=hostile.PATCH_HELPERS, wrong=True),
    case("helpers_patched_3", THREE, attack=hostile.PATCH_HELPERS, wrong=True),
    case("transformers", A, attack=hostile.TRANSFORMERS, wrong=True),
    # The gradebook and the course.
    case("gradebook_write", A, attack=hostile.GRADEBOOK_WRITE, wrong=True),
    case("gradebook_delete", T, attack=hostile.GRADEBOOK_DELETE, wrong=True),
    case("course_rewrite", THREE, attack=hostile.COURSE_REWRITE, wrong=True),
    case("startup_file", A, attack=hostile.STARTUP_FILE, wrong=True),
    # Reading what it may not: sources, other submissions, history, environment; the network.
    case("read_files", T, attack=hostile.READ_FILES),
    case("read_history", THREE, attack=hostile.READ_HISTORY),
    case("environment", A, attack=hostile.ENVIRONMENT),
    case("network", T, attack=hostile.NETWORK),
    # Processes, output, time, the grader itself.
    case("daemon", THREE, attack=hostile.DAEMON),
    case("huge_output", A, attack=hostile.HUGE_OUTPUT),
    case("fork_bomb", T, attack=hostile.FORK_BOMB),
    case("memory_bomb", THREE, attack=hostile.MEMORY_BOMB),
    case("endless_loops", A, answers=infinite_loops(A), fails=hostile.ALL),
    case("sleep_in_function", T, answers={"forward": "import time\ndef forward(X, params):\n    time.sleep(1000)\n"},
         fails={"test_forward", "test_backward_output", "test_backward_hidden"}),
    case("kill_grader", THREE, attack=hostile.KILL_GRADER),
    case("kill_all", A, answers={"tanh_prime": hostile.KILL_ALL + instructor_answers(A)["tanh_prime"]},
         fails={"test_tanh_prime"}),
    # The nnlib / numerical_gradient rule, by hiding the reference.
    case("nnlib_in_list", A, answers={"relu_prime": "import importlib\nmods = [importlib]\n"
                                      "def relu_prime(Z):\n    return mods[0].import_module('nnlib').relu_prime(Z)\n"},
         fails={"test_relu_prime"}),
    case("numerical_gradient_in_dict", T, answers={"backward": '''
TOOLS = {"grad": numerical_gradient}

def backward(X, Y, params):
    params = {key: value.copy() for key, value in params.items()}
    return {key: TOOLS["grad"](lambda: loss(X, Y, params), params[key]) for key in params}
'''}, fails={"test_backward_output", "test_backward_hidden"}),
    # Broken notebooks and edits.
    case("corrupt_notebook", A, edit=corrupt, fails=hostile.ALL),
    case("wrong_kernel", T, edit=wrong_kernel),
    case("sys_exit", THREE, answers={"forward": "import sys\nsys.exit(3)\n" + instructor_answers(THREE)["forward"]},
         fails={"test_forward", "test_loss_squared", "test_backward_squared_output", "test_backward_squared_hidden",
                "test_loss_cross_entropy", "test_backward_cross_entropy"}),
    case("os_exit", A, answers={"tanh_prime": "import os\nos._exit(0)\n"}, fails={"test_tanh_prime"}),
    case("tests_deleted", T, edit=delete_test_cells, wrong=True),
    case("tests_edited", THREE, edit=edit_test_cells, wrong=True),
    case("grade_ids_changed", A, edit=rename_grade_ids, wrong=True),
    case("visible_hard_coded", A, answers={"tanh_prime": "import numpy as np\ndef tanh_prime(Z):\n"
                                           "    return np.array([1.0, 0.41997434161402614])\n"}, fails={"test_tanh_prime"}),
    case("forged_sympy_object", A, answers={"symbolic_answers": '''
class Anything(sp.Expr):
    def __eq__(self, other):
        return True
    __hash__ = sp.Expr.__hash__
sigmoid_prime_in_s = tanh_prime_in_t = Anything()
softmax_jacobian_in_s = sp.zeros(3, 3)
'''}, fails={"test_symbolic_sigmoid_tanh", "test_symbolic_softmax_jacobian"}),
    case("code_in_string", A, answers={"symbolic_answers": instructor_answers(A)["symbolic_answers"] + hostile.CODE_IN_STRING},
         fails={"test_symbolic_sigmoid_tanh"}),
    # Writing a forged frame into its own channel desynchronises only its own answers (here: the cell it is in).
    case("forged_channel", T, attack=hostile.FORGE_CHANNEL, wrong=True, fails={"test_network_description"}),
    # Honest students: full marks.
    case("honest_stderr", A, answers={"sigmoid_prime": "import sys\ndef sigmoid_prime(Z):\n"
                                      "    print('debugging', Z.shape, file=sys.stderr)\n    S = sigmoid(Z)\n    return S * (1.0 - S)\n"}),
    case("honest_warning", T, answers={"loss": '''
import warnings

def loss(X, Y, params):
    warnings.warn("I am not sure about this loss")
    A = forward(X, params)
    np.log(np.zeros(1))  # a RuntimeWarning (divide by zero), harmless here
    return float(np.mean(-(Y * np.log(A) + (1 - Y) * np.log(1 - A)).sum(axis=1)))
'''}),
    case("honest_copy_pasted_test", THREE, edit=duplicate_test_cell("test_forward")),
    case("honest_stripped_metadata", A, edit=strip_metadata),
    case("honest_magic", T, answers={"forward": "%matplotlib inline\n" + instructor_answers(T)["forward"]}),
    # The assignments written for plain nbgrader: comparisons and helpers patched around the typical mistake,
    # the visible tests' outputs hard-coded, and in-place changes hidden behind a patched np.array_equal.
    *[case(f"numpy_patched_{assignment}", assignment, attack=hostile.MONKEYPATCH_NUMPY, wrong=True,
           # np.max patched to 0 also removes the shift of the submission's own stable softmax: logits of 1000 overflow.
           fails={"test_softmax", "test_softmax_jacobian", "test_cross_entropy_grad"} if assignment == "softmax_cross_entropy" else ())
      for assignment in NEW],
    *[case(f"helpers_patched_{assignment}", assignment, attack=patched_helpers(assignment), wrong=True) for assignment in NEW],
    *[case(f"visible_hard_coded_{assignment}", assignment, answers=hostile.VISIBLE_HARD_CODED[assignment][0],
           fails=hostile.VISIBLE_HARD_CODED[assignment][1]) for assignment in NEW],
    case("in_place_numpy_patched", "optimisers", answers=broken("optimisers", "momentum_step"),
         attack=hostile.MONKEYPATCH_NUMPY, fails={"test_momentum_step"}),
    case("in_place_numpy_patched_bn", "batchnorm_backward", answers=broken("batchnorm_backward", "batchnorm_forward_train"),
         attack=hostile.MONKEYPATCH_NUMPY, fails={"test_running_averages"}),
]


def build(assignment, release, spec, paths):
    answers = dict(instructor_answers(assignment))
    answers.update(spec["answers"])
    if spec["attack"]:
        first = next(iter(instructor_answers(assignment)))
        attack = spec["attack"]
        for key, value in paths.items():
            attack = attack.replace("{" + key + "}", value).replace("{" + key + "!r}", repr(value))
        answers[first] = attack + "\n" + answers[first]
    notebook = fill_release(release, answers)
    return spec["edit"](notebook) if spec["edit"] else notebook


def checksums(root, exclude):
    sums = {}
    for path in sorted(Path(root).rglob("*")):
        if path.is_file() and not any(part in exclude for part in path.relative_to(root).parts):
            sums[str(path.relative_to(root))] = hashlib.sha256(path.read_bytes()).hexdigest()
    return sums


def processes_with(marker):
    found = []
    for pid in os.listdir("/proc"):
        try:
            if pid.isdigit() and marker in Path(f"/proc/{pid}/cmdline").read_bytes():
                found.append(pid)
        except OSError:
            pass
    return found


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile") / "exercises"
    course = Course(root)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(5)
    listener.settimeout(0.2)
    received = []

    def accept():
        while listener.fileno() != -1:
            try:
                received.append(listener.accept())
            except OSError:
                continue
    threading.Thread(target=accept, daemon=True).start()
    os.environ["COURSEGRADE_TEST_SECRET"] = "s3cr3t-value-of-the-grader"
    releases = {assignment: course.generate_release(assignment) for assignment in ASSIGNMENTS}
    for assignment in ASSIGNMENTS:
        for student in BYSTANDERS:
            course.submit(assignment, student, fill_release(releases[assignment], instructor_answers(assignment)))
        course.grade(assignment, list(BYSTANDERS), workers=2, cell_timeout=CELL_TIMEOUT, timeout=TIMEOUT)
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gradebook:
        before = {(a, s): gradebook.find_submission(a, s).score for a in ASSIGNMENTS for s in BYSTANDERS}
    paths = dict(course=str(root), gradebook=str(root / "gradebook.db"), config=str(root / "nbgrader_config.py"),
                 source=str(source_notebook(A)).replace(str(source_notebook(A).parents[3]), str(root)),
                 other_submission=str(root / "submitted" / "bystander_1" / A / f"{A}.ipynb"),
                 other_feedback=str(root / "feedback" / "bystander_1" / A / f"{A}.html"),
                 other_autograded=str(root / "autograded" / "bystander_1" / A / f"{A}.ipynb"),
                 home=os.path.expanduser("~"), port=str(listener.getsockname()[1]))
    for spec in CASES:
        notebook = build(spec["assignment"], releases[spec["assignment"]], spec, paths)
        folder = root / "submitted" / spec["name"] / spec["assignment"]
        folder.mkdir(parents=True)
        target = folder / f"{spec['assignment']}.ipynb"
        target.write_text(notebook) if isinstance(notebook, str) else nbformat.write(notebook, target)
    protected = checksums(root, exclude={"gradebook.db", ".nbgrader.log"} | {spec["name"] for spec in CASES})
    rows = {}
    for assignment in ASSIGNMENTS:
        names = [spec["name"] for spec in CASES if spec["assignment"] == assignment]
        rows.update(course.grade(assignment, names, workers=2, cell_timeout=CELL_TIMEOUT, timeout=TIMEOUT))
    listener.close()
    return dict(course=course, root=root, rows=rows, before=before, protected=protected, paths=paths,
                received=received)


def test_there_are_enough_hostile_cases():
    hostile_cases = [spec for spec in CASES if not spec["name"].startswith("honest")]
    assert len(hostile_cases) >= 30
    assert {spec["assignment"] for spec in hostile_cases} == set(ASSIGNMENTS)


@pytest.mark.parametrize("spec", CASES, ids=[spec["name"] for spec in CASES])
def test_exact_outcome(spec, graded):
    assignment, student = spec["assignment"], spec["name"]
    row = graded["rows"][student]
    assert not row["failed"], row
    with Gradebook(f"sqlite:///{graded['root'] / 'gradebook.db'}") as gradebook:
        notebook = gradebook.find_submission_notebook(assignment, assignment, student)
        by_cell = {grade.name: (grade.score, grade.max_score) for grade in notebook.grades}
    source = nbformat.read(source_notebook(assignment), as_version=4)
    tests = {cell.metadata.nbgrader.grade_id for cell in nbgrader_cells(source, grade=True)}
    assert set(by_cell) == tests, "the gradebook must hold exactly the instructor's test cells"
    expected = tests if spec["fails"] == hostile.ALL else spec["fails"]
    failed = {grade_id for grade_id, (score, _) in by_cell.items() if score == 0}
    assert failed == expected, f"{student}: cells scored 0: {sorted(failed)}; expected {sorted(expected)}"
    assert all(score == points for grade_id, (score, points) in by_cell.items() if grade_id not in expected)
    assert row["seconds"] <= TIMEOUT + 15, f"{student} took {row['seconds']:.0f} s"


def test_bystanders_grades_are_unchanged(graded):
    with Gradebook(f"sqlite:///{graded['root'] / 'gradebook.db'}") as gradebook:
        after = {key: gradebook.find_submission(*key).score for key in graded["before"]}
        assert after == graded["before"]
        assert all(gradebook.find_submission(*key).score == gradebook.find_submission(*key).max_score for key in after)


def test_course_files_are_unchanged(graded):
    now = checksums(graded["root"], exclude={"gradebook.db", ".nbgrader.log"} | {spec["name"] for spec in CASES})
    assert now == graded["protected"]
    home_startup = Path(graded["paths"]["home"]) / ".ipython" / "profile_default" / "startup" / "00-coursegrade-hostile.py"
    assert not home_startup.exists()
    assert not Path("/tmp/coursegrade-pwned").exists()


def test_no_instructor_code_or_grader_secret_in_any_output(graded):
    for spec in CASES:
        assignment, student = spec["assignment"], spec["name"]
        source = nbformat.read(source_notebook(assignment), as_version=4)
        try:
            handed_in = nbformat.read(graded["root"] / "submitted" / student / assignment / f"{assignment}.ipynb", 4)
            own = {line.strip() for cell in handed_in.cells for line in cell.source.splitlines()}
        except Exception:  # the corrupt notebook
            own = set()
        secret_lines = {line for line in hidden_test_lines(source) + solution_lines(source) if len(line) >= DISTINCTIVE}
        secret_lines -= set(unmarked_lines(source)) | own
        text = visible_text((graded["root"] / "feedback" / student / assignment / f"{assignment}.html").read_text())
        leaked = [line for line in secret_lines if line in text]
        assert not leaked, f"the feedback of {student} shows instructor code: {leaked[:3]}"
        assert "s3cr3t-value-of-the-grader" not in text and "COURSEGRADE_TEST_SECRET" not in text
        assert len(text) < 2_000_000, f"the feedback of {student} is {len(text)} characters"


def test_no_process_left_and_nothing_reached_the_network(graded):
    assert not processes_with(b"97531"), "a daemon started by a submission is still running"
    assert graded["received"] == []


def test_regrading_is_idempotent(graded):
    course, student = graded["course"], "numpy_patched"
    with Gradebook(f"sqlite:///{graded['root'] / 'gradebook.db'}") as gradebook:
        first = gradebook.find_submission(A, student).score
    rows = course.grade(A, [student], workers=1, cell_timeout=CELL_TIMEOUT, timeout=TIMEOUT)
    with Gradebook(f"sqlite:///{graded['root'] / 'gradebook.db'}") as gradebook:
        assert gradebook.find_submission(A, student).score == first == rows[student]["score"]
        assert len([s for s in gradebook.assignment_submissions(A) if s.student_id == student]) == 1
