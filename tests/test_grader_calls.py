"""Calls between the judge and the sandboxed submission: in-place changes of arguments, the judge's own functions
passed to a graded function (callbacks), and reproducible cell ids in what the judge writes.

A test cell sees a submission's function as it would in a notebook: an argument the function changes in place
is changed in the test too (the batch-norm and optimiser assignments grade "the arguments are unchanged"),
and a step or gradient function the test passes in is called (the optimisers' trajectory)."""
import subprocess
import sys

import nbformat
import pytest

import coursegrade
from coursegrade import judge as judging
from coursegrade import plan
from coursegrade.cli import JUDGE_BOOTSTRAP
from coursegrade.judge import Budget, Output, Student, run_trusted
from coursegrade.sandbox import Limits

SUBMISSION = '''
import numpy as np

def scale_in_place(x, state):
    x *= 2.0
    state["v"] = state["v"] + 1.0
    state["log"].append("called")
    return None

def pure(x, state):
    return x * 2.0, {"v": state["v"] + 1.0, "log": state["log"] + ["called"]}

kept = []

def run_loop(step, x0, n):
    xs, state = [x0], {"calls": 0}
    for _ in range(n):
        x, state = step(xs[-1], state)
        xs.append(x)
    kept.append(step)
    return np.stack(xs), state

def call_kept(x):
    return kept[0](x, {"calls": 0})

def first(functions):
    return functions[0]
'''


@pytest.fixture()
def judge():
    student = Student(Limits(), guarded=(), budget=Budget(10.0, 60.0))
    student.run(SUBMISSION, Output())
    yield judging.TestNamespace(student)
    student.stop()


def trusted(source, namespace):
    passed, outputs = run_trusted("import numpy as np\n" + source, namespace, 20.0, Output())
    assert passed, [output.get("evalue") for output in outputs if output.get("output_type") == "error"]


def test_in_place_changes_reach_the_test_and_pure_functions_change_nothing(judge):
    trusted('''
x, state = np.array([1.0, -2.0]), {"v": np.zeros(2), "log": []}
same_array, same_v = x, state["v"]
assert scale_in_place(x, state) is None
assert same_array is x and np.array_equal(x, [2.0, -4.0]), x
assert np.array_equal(state["v"], [1.0, 1.0]) and state["log"] == ["called"], state
y, z = np.array([1.0, 3.0]), {"v": np.zeros(2), "log": []}
new_y, new_z = pure(y, z)
assert np.array_equal(y, [1.0, 3.0]) and np.array_equal(z["v"], [0.0, 0.0]) and z["log"] == []
assert np.array_equal(new_y, [2.0, 6.0]) and new_z["log"] == ["called"]
''', judge)


def test_a_function_of_the_test_is_called_back_and_only_during_its_call(judge):
    trusted('''
seen = []

def halving_step(x, state):
    seen.append(float(np.sum(x)))
    return x / 2.0, {"calls": state["calls"] + 1}

path, state = run_loop(halving_step, np.array([8.0]), 3)
assert np.array_equal(path.ravel(), [8.0, 4.0, 2.0, 1.0]) and state == {"calls": 3}, (path, state)
assert seen == [8.0, 4.0, 2.0]
try:
    call_kept(np.ones(1))
except LookupError as error:
    assert "no longer available" in str(error)
else:
    raise AssertionError("a callback kept by the submission still worked after its call")
assert seen == [8.0, 4.0, 2.0]
functions = [halving_step, len]
assert first(functions) is halving_step and functions == [halving_step, len]
''', judge)


def test_cell_ids_are_reproducible_and_unique():
    instructor = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("# Title")])
    submission = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("notes"),
                                                 nbformat.v4.new_code_cell("x = 1"), nbformat.v4.new_code_cell("y = 2")])
    submission.cells[1]["id"] = submission.cells[0]["id"]   # a duplicated id (copy-paste between notebooks)
    del submission.cells[2]["id"]
    ids = [[step.cell["id"] for step in plan.merge(instructor, submission).steps] for _ in range(2)]
    assert ids[0] == ids[1]
    assert len(set(ids[0])) == len(ids[0]) == 3
    assert ids[0][0] == submission.cells[0]["id"]


def test_the_judge_process_runs_this_copy_of_the_grader():
    """`python -I -m coursegrade.judge` would import the environment's installed copy (another checkout's)."""
    probe = JUDGE_BOOTSTRAP.replace("from coursegrade.judge import main; main()", "import coursegrade; print(coursegrade.__file__)")
    assert probe != JUDGE_BOOTSTRAP
    found = subprocess.run([sys.executable, "-I", "-c", probe], capture_output=True, text=True, check=True, cwd="/")
    assert found.stdout.strip() == coursegrade.__file__
