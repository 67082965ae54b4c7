"""The judge: grades one submission at a time in a clean interpreter that student code never runs in.

A judge is a separate process (`python -I -m coursegrade.judge`, one per worker) that reads jobs (JSON
lines) on stdin and writes results on stdout. For each job it merges the instructor's notebook with the
submission (`coursegrade.plan`), starts a fresh sandbox (`coursegrade.sandbox`) and walks the cells:
student code runs in the sandbox; the instructor's helpers and test cells run here, in a fresh namespace.
When a test cell uses a name it does not define (`sigmoid_prime`, `PARAMETER_SHAPES`), the value is
fetched from the sandbox *as data* (`coursegrade.wire`); a function arrives as a proxy that sends its
arguments to the sandbox and receives the result as data. Arguments the submission's function changed in
place come back as data too and are changed here the same way (copy in, copy out), so a test that checks
"the arguments are unchanged" sees what it would see in a notebook. A test may pass its own functions to a
graded function (a step function to a training loop): the submission calls them back, only while that call
lasts, and the judge runs them here on the arguments decoded as data. So the tests are the ordinary nbgrader test
cells, unchanged, but `np.allclose`, the helpers and the verdict are the judge's own, beyond the reach of
monkeypatching, input transformers or anything else the submission does to its own interpreter.
A test passes when its cell raises nothing: output on stderr and warnings never decide it. Strings the
submission hands over are turned into SymPy expressions by `coursegrade.safesympy`, never by `eval`.
Time: each cell has a limit and each submission a budget; a sandbox that hangs or dies is replaced by a new
one that replays the student's cells so far, so one endless loop costs one cell, not the rest."""
import builtins
import copy
import io
import json
import os
import signal
import sys
import time
import traceback

import nbformat

from coursegrade import feedback
from coursegrade import plan as planning
from coursegrade import safesympy, wire
from coursegrade.sandbox import Limits, Sandbox, SandboxError

MAX_OUTPUT_TOTAL = 512 * 1024   # characters of output kept per submission (all cells together)
MAX_CELL_TEXT = 64 * 1024
MAX_RESTARTS = 4


class SubmissionError(Exception):
    """An exception raised by the submission's code, re-raised in the judge by name and message only."""


# A trusted cell ran over its time limit: raised by the alarm, never handed to the submission as a callback's
# error. Named TimeoutError, as the feedback has always shown it.
CellTimeout = type("TimeoutError", (TimeoutError,), {"__module__": "coursegrade.judge"})


def _exception_class(ename):
    base = getattr(builtins, ename, None) if isinstance(ename, str) and ename.isidentifier() else None
    if not (isinstance(base, type) and issubclass(base, Exception)):
        base = SubmissionError
    name = ename if isinstance(ename, str) and ename.isidentifier() else "SubmissionError"
    return type(name, (base,), {"__module__": "submission"})


class Budget:
    def __init__(self, cell_timeout, total):
        self.cell_timeout, self.deadline = cell_timeout, time.monotonic() + total

    def left(self):
        return self.deadline - time.monotonic()

    def for_cell(self):
        return max(min(self.cell_timeout, self.left()), 0.0)


class Output:
    """Validated notebook outputs, within the submission's output budget."""

    def __init__(self):
        self.left = MAX_OUTPUT_TOTAL

    def text(self, value):
        text = value if isinstance(value, str) else ""
        keep = text[:max(min(MAX_CELL_TEXT, self.left), 0)]
        self.left -= len(keep)
        return keep + ("\n[output limit reached: the rest is not shown]\n" if len(keep) < len(text) else "")

    def stream(self, name, text):
        return nbformat.v4.new_output("stream", name=name, text=self.text(text))

    def error(self, ename, evalue):
        ename, evalue = self.text(str(ename))[:200], self.text(str(evalue))
        return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])

    def from_runner(self, outputs):
        clean = []
        for output in outputs if isinstance(outputs, list) else []:
            if not isinstance(output, dict):
                continue
            kind = output.get("output_type")
            if kind == "stream" and output.get("name") in ("stdout", "stderr"):
                clean.append(self.stream(output["name"], output.get("text")))
            elif kind == "execute_result" and isinstance(output.get("data"), dict):
                clean.append(nbformat.v4.new_output("execute_result", data={"text/plain": self.text(output["data"].get("text/plain"))},
                                                    execution_count=None))
            elif kind == "error":
                lines = output.get("traceback")
                lines = [self.text(line) for line in lines[-20:] if isinstance(line, str)] if isinstance(lines, list) else []
                clean.append(nbformat.v4.new_output("error", ename=self.text(output.get("ename"))[:200],
                                                    evalue=self.text(output.get("evalue")), traceback=lines))
        return clean


class Student:
    """The submission's sandboxed process, restarted (its cells replayed) when it hangs or dies."""

    def __init__(self, limits, guarded, budget):
        self.limits, self.guarded, self.budget = limits, guarded, budget
        self.sandbox, self.history, self.generation, self.restarts = None, [], 0, 0
        self.capture = None       # where a graded call's prints go (None: dropped)
        self.callbacks, self.scopes, self.next_callback = {}, [], 0   # the judge's functions lent to a call

    def _ensure(self):
        if self.sandbox is not None:
            return
        if self.restarts > MAX_RESTARTS:
            raise SandboxError("the submission's process was restarted too often; grading of it stopped")
        self.restarts += 1
        self.generation += 1
        self.sandbox = Sandbox(self.limits, self.guarded).start()
        for source in list(self.history):
            try:
                self.sandbox.request({"op": "run", "source": source}, self.budget.for_cell())
            except SandboxError:
                self.history.remove(source)
                self.sandbox = None
                return self._ensure()

    def request(self, message):
        """Send message and return the reply, running the callbacks the submission asks for meanwhile."""
        if self.budget.left() <= 0:
            raise SandboxError("the submission used up its time budget")
        self._ensure()
        sandbox = self.sandbox
        try:
            sandbox.send(message)
            while True:
                reply = sandbox.receive(self.budget.for_cell())
                if reply.get("op") != "callback":
                    return reply
                answer = self.run_callback(reply)
                if self.sandbox is not sandbox:
                    raise SandboxError("the submission's process ended while the grader ran a callback")
                sandbox.send(answer)
        except BaseException:
            sandbox.stop()
            if self.sandbox is sandbox:
                self.sandbox = None
            raise

    def decode(self, data, origin=None):
        """A value the submission sent: its functions as proxies, the judge's own lent functions as themselves."""
        return wire.decode(data, lambda h, n: self.proxy(h, n, origin), self.lent)

    def lent(self, handle, name):
        if handle not in self.callbacks:
            raise wire.WireError("a function of the grader that is no longer available")
        return self.callbacks[handle]

    def lend(self, function):
        """Register one of the judge's functions as a callback for the graded call in progress."""
        if not self.scopes:
            raise TypeError("the grader's functions can only be passed to the submission during a call")
        self.next_callback += 1
        self.callbacks[self.next_callback] = function
        self.scopes[-1].append(self.next_callback)
        return self.next_callback

    def run_callback(self, message):
        """The reply to the submission's request to call a lent function: its result as data, or an error."""
        function = self.callbacks.get(message.get("h")) if type(message.get("h")) is int else None
        if function is None:
            return {"error": {"ename": "LookupError", "evalue": "this function of the grader is no longer available"}}
        try:
            args, kwargs = self.decode(message.get("args")), self.decode(message.get("kwargs"))
            if not (isinstance(args, list) and isinstance(kwargs, dict) and all(isinstance(k, str) for k in kwargs)):
                raise wire.WireError("the arguments are malformed")
        except (wire.WireError, safesympy.UnsafeExpression, ValueError) as error:
            return {"error": {"ename": "TypeError", "evalue": f"the grader cannot read these arguments ({error})"}}
        try:
            return {"value": wire.encode(function(*args, **kwargs), callback_of=self.lend)}
        except (CellTimeout, SandboxError):
            raise
        except Exception as error:
            return {"error": {"ename": type(error).__name__, "evalue": str(error)[:2000]}}

    def run(self, source, output):
        try:
            reply = self.request({"op": "run", "source": source})
        except SandboxError as error:
            return [output.error("TimeoutError" if "time" in str(error) else "ProcessEnded", str(error))]
        self.history.append(source)
        return output.from_runner(reply.get("outputs"))

    def get(self, name):
        reply = self.request({"op": "get", "name": name})
        if reply.get("missing") is True:
            return False, None
        try:
            return True, self.decode(reply.get("value"), origin=name)
        except (wire.WireError, safesympy.UnsafeExpression, ValueError):
            return True, wire.opaque("Undecodable")

    def proxy(self, handle, name, origin):
        """A real Python function standing for the submission's function; calling it calls the submission."""
        state = {"handle": handle, "generation": self.generation}

        def forward(args, kwargs):
            if state["generation"] != self.generation:  # the sandbox was restarted: look the function up again
                found, fresh = self.get(origin) if origin else (False, None)
                if not found or not hasattr(fresh, "coursegrade_handle"):
                    raise SubmissionError(f"{name} is no longer available (the submission's process was restarted)")
                state.update(handle=fresh.coursegrade_handle, generation=self.generation)
            return self.call(state["handle"], args, kwargs, origin)
        namespace = {"__builtins__": builtins, "__coursegrade_call__": forward}
        exec("def proxy(*args, **kwargs):\n    return __coursegrade_call__(args, kwargs)\n", namespace)
        function = namespace["proxy"]
        function.__name__ = function.__qualname__ = name
        function.coursegrade_handle = handle
        return function

    def call(self, handle, args, kwargs, origin):
        self.scopes.append([])
        try:
            return self._call(handle, args, kwargs)
        finally:
            for lent in self.scopes.pop():
                del self.callbacks[lent]

    def _call(self, handle, args, kwargs):
        try:
            message = {"op": "call", "h": handle, "args": wire.encode(list(args), callback_of=self.lend),
                       "kwargs": wire.encode(dict(kwargs), callback_of=self.lend)}
        except Exception as error:
            raise TypeError(f"the grader cannot pass these arguments to the submission ({error})") from None
        try:
            reply = self.request(message)
        except SandboxError as error:
            raise TimeoutError(str(error)) if "time" in str(error) else SubmissionError(str(error)) from None
        self.copy_back(reply.get("changed"), args, kwargs)
        if self.capture is not None:
            for name in ("stdout", "stderr"):
                if isinstance(reply.get(name), str) and reply[name]:
                    self.capture[name].write(reply[name])
        if isinstance(reply.get("error"), dict):
            error = reply["error"]
            raise _exception_class(error.get("ename"))(str(error.get("evalue", ""))[:2000])
        try:
            return self.decode(reply.get("value"))
        except (wire.WireError, safesympy.UnsafeExpression, ValueError) as error:
            raise SubmissionError(f"the submission returned data the grader cannot read ({error})") from None

    def copy_back(self, changed, args, kwargs):
        """Change the test's arguments the way the submission's function changed its copies of them."""
        for entry in changed if isinstance(changed, list) else []:
            if not (isinstance(entry, list) and len(entry) == 2):
                continue
            key, data = entry
            if type(key) is int and 0 <= key < len(args):
                target = args[key]
            elif isinstance(key, str) and key in kwargs:
                target = kwargs[key]
            else:
                continue
            try:
                update_in_place(target, self.decode(data))
            except (wire.WireError, safesympy.UnsafeExpression, ValueError):
                continue

    def stop(self):
        if self.sandbox is not None:
            self.sandbox.stop()
            self.sandbox = None


def update_in_place(target, new):
    """Make the container or array target equal to new by changing it in place; False where it cannot."""
    np = sys.modules.get("numpy")
    if np is not None and isinstance(target, np.ndarray):
        if not (isinstance(new, np.ndarray) and new.shape == target.shape and target.flags.writeable):
            return False
        try:
            np.copyto(target, new, casting="unsafe")
        except (TypeError, ValueError):
            return False
        return True
    if isinstance(target, dict) and isinstance(new, dict):
        for key in [key for key in target if key not in new]:
            del target[key]
        for key, value in new.items():
            if not (key in target and update_in_place(target[key], value)):
                target[key] = value
        return True
    if isinstance(target, list) and isinstance(new, list):
        kept = [target[index] if index < len(target) and update_in_place(target[index], value) else value
                for index, value in enumerate(new)]
        target[:] = kept
        return True
    if isinstance(target, set) and isinstance(new, set):
        target.clear()
        target.update(new)
        return True
    if isinstance(target, tuple) and isinstance(new, tuple) and len(target) == len(new):
        return all([update_in_place(old, value) or _equal(old, value) for old, value in zip(target, new)])
    return False


def _equal(a, b):
    try:
        return bool(a == b)
    except Exception:
        return False


class TestNamespace(dict):
    """The judge's globals: names it does not define are looked up in the submission, as data."""

    def __init__(self, student):
        super().__init__(__builtins__=builtins, __name__="__main__")
        self.student = student

    def __missing__(self, name):
        if name.startswith("__") or hasattr(builtins, name):
            raise KeyError(name)
        try:
            found, value = self.student.get(name)
        except SandboxError as error:
            raise NameError(f"name {name!r} could not be read from the submission ({error})") from None
        if not found:
            raise KeyError(name)
        return value

    def get(self, name, default=None):
        try:
            return self[name]
        except KeyError:
            return default


def _on_alarm(signum, frame):
    raise CellTimeout("the test ran longer than its time limit")


class TextCapture(io.StringIO):
    def write(self, text):
        return super().write(text) if self.tell() < MAX_CELL_TEXT else len(text)


def run_trusted(source, namespace, seconds, output, student=None, hidden=False):
    """Execute an instructor cell in the judge; (passed, outputs)."""
    streams = {"stdout": TextCapture(), "stderr": TextCapture()}
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = streams["stdout"], streams["stderr"]
    if student is not None:
        student.capture = None if hidden else streams   # prints during hidden tests could echo their inputs
    error = None
    signal.setitimer(signal.ITIMER_REAL, max(seconds, 0.01))
    try:
        exec(compile(source, "<test cell>", "exec"), namespace)
    except BaseException as raised:  # noqa: B902 (a test's verdict is any exception at all)
        error = raised
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        sys.stdout, sys.stderr = saved
        if student is not None:
            student.capture = None
    outputs = [output.stream(name, stream.getvalue()) for name, stream in streams.items() if stream.getvalue()]
    if error is not None:
        outputs.append(output.error(type(error).__name__, error))
    return error is None, outputs


def read_submission(path):
    """(notebook or None, note): the submission as a notebook, tolerating what editors and students do to it."""
    try:
        with open(path, encoding="utf-8") as handle:
            notebook = nbformat.read(handle, as_version=4)
        if not isinstance(notebook.get("cells"), list):
            raise ValueError("it has no list of cells")
    except FileNotFoundError:
        return None, "No notebook was submitted."
    except Exception as error:
        return None, f"The submission could not be read as a notebook ({type(error).__name__}); it earns no points."
    kernel = notebook.get("metadata", {}).get("kernelspec", {})
    note = None
    if isinstance(kernel, dict) and kernel.get("name") not in (None, "python3"):
        note = f"The notebook names the kernel {str(kernel.get('name'))[:40]!r}; it was graded with Python 3."
    return notebook, note


def grade(job):
    """Grade one submission. job: source, submission (paths), limits, cell_timeout, timeout, guarded."""
    started = time.monotonic()
    instructor = nbformat.read(job["source"], as_version=4)
    submission, note = read_submission(job["submission"])
    merged = planning.merge(instructor, submission)
    notes = ([note] if note else []) + merged.notes
    budget = Budget(job["cell_timeout"], job["timeout"])
    student = Student(Limits(**job["limits"]), job["guarded"], budget)
    namespace = TestNamespace(student)
    output = Output()
    passed = {}
    cells = []
    try:
        for step in merged.steps:
            cell = step.cell
            if step.kind == "student":
                cell.outputs = student.run(cell.source, output)
            elif step.kind == "shared":
                student.run(cell.source, Output())
                _, cell.outputs = run_trusted(cell.source, namespace, budget.for_cell(), output)
            elif step.kind == "test":
                if budget.left() <= 0:
                    ok, cell.outputs = False, [output.error("TimeoutError", "the submission used up its time budget")]
                else:
                    ok, cell.outputs = run_trusted(cell.source, namespace, budget.for_cell(), output, student, step.hidden)
                passed[step.grade_id] = ok
            cells.append(cell)
    finally:
        student.stop()
    scores = {grade_id: (points if passed.get(grade_id) else 0.0, points) for grade_id, points in merged.tests.items()}
    if budget.left() <= 0:
        notes.append("Grading stopped at the submission's time budget; the tests after that point earn nothing.")
    notebook = nbformat.v4.new_notebook(cells=cells, metadata=copy.deepcopy(instructor.metadata))
    html = feedback.render(notebook, scores, notes, job["notebook_name"], job["root"])
    return {"scores": scores, "notes": notes, "notebook": nbformat.writes(notebook), "html": html,
            "seconds": time.monotonic() - started}


def main():
    """Serve jobs: one JSON line in, one JSON line out, until stdin closes."""
    results = os.fdopen(os.dup(1), "w")
    devnull = open(os.devnull, "w")
    os.dup2(devnull.fileno(), 1)
    sys.stdout = devnull
    safesympy.install()
    signal.signal(signal.SIGALRM, _on_alarm)
    for line in sys.stdin:
        job = json.loads(line)
        try:
            result = grade(job)
        except Exception:
            result = {"failure": traceback.format_exc(limit=5)}
        results.write(json.dumps(result) + "\n")
        results.flush()


if __name__ == "__main__":
    main()
