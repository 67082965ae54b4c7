"""The submission's side: runs inside the sandbox, executes cells, and answers the judge's requests.

Started as `python -I -S -B -c <bootstrap>` by `coursegrade.sandbox`; stdin/stdout carry `coursegrade.wire`
frames, nothing else. Everything here is under the student's control once their first cell has run (they
may replace any of it), so nothing this process says is believed: the judge only takes data from it.

Requests: {"op": "run", "source"} executes a cell like a notebook kernel (the value of a last expression is
displayed, stdout/stderr captured, an exception becomes an error output); {"op": "get", "name"} returns a
global as data; {"op": "call", "h", "args", "kwargs"} calls a function handed out earlier. A call's reply
also lists the arguments the function changed in place (as data: the judge changes its own copies the same
way, so a test sees in-place changes as it would in a notebook). While a call runs, a callback the judge
passed (a test's step function, say) sends {"op": "callback", "h", "args", "kwargs"} to the judge and waits
for its result, answering any requests the judge makes meanwhile."""
import ast
import builtins
import io
import os
import sys
import traceback

from coursegrade import wire

MAX_STREAM = 64 * 1024


class Capture(io.TextIOBase):
    """A text stream that keeps at most MAX_STREAM characters."""

    def __init__(self):
        self.parts, self.size, self.dropped = [], 0, 0

    def writable(self):
        return True

    def write(self, text):
        text = str(text)
        room = MAX_STREAM - self.size
        self.parts.append(text[:max(room, 0)])
        self.size += min(len(text), max(room, 0))
        self.dropped += max(len(text) - max(room, 0), 0)
        return len(text)

    def value(self):
        tail = f"\n[{self.dropped} more characters not shown]\n" if self.dropped else ""
        return "".join(self.parts) + tail


class Namespace:
    """The notebook's globals, the handles given to the judge, and the forbidden helpers' guard."""

    def __init__(self, guarded):
        self.globals = {"__name__": "__main__", "__builtins__": builtins}
        self.handles = []
        self.guarded = set(guarded)
        self.in_graded_call = False
        self.count = 0

    def handle_of(self, value):
        self.handles.append(value)
        return len(self.handles) - 1

    def guard_helpers(self):
        """Helpers the rules forbid in graded functions raise while the judge calls a graded function."""
        for name in self.guarded:
            helper = self.globals.get(name)
            if callable(helper) and not getattr(helper, "coursegrade_guarded", False):
                self.globals[name] = self._guarded(name, helper)

    def _guarded(self, name, helper):
        def guarded(*args, **kwargs):
            if self.in_graded_call:
                raise RuntimeError(f"{name} may not be used in a graded function")
            return helper(*args, **kwargs)
        guarded.coursegrade_guarded = True
        guarded.__name__ = name
        return guarded


def without_magics(source):
    """IPython magics and shell escapes (%matplotlib, !pip) mean nothing when grading: drop those lines."""
    return "\n".join("" if line.lstrip().startswith(("%", "!")) else line for line in source.splitlines())


def run_cell(namespace, source):
    namespace.count += 1
    filename = f"<cell {namespace.count}>"
    out, err = Capture(), Capture()
    outputs, result = [], None
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = out, err
    try:
        tree = ast.parse(without_magics(source), filename)
        last = tree.body.pop() if tree.body and isinstance(tree.body[-1], ast.Expr) else None
        exec(compile(tree, filename, "exec"), namespace.globals)
        if last is not None:
            value = eval(compile(ast.Expression(last.value), filename, "eval"), namespace.globals)
            if value is not None:
                result = repr(value)[:MAX_STREAM]
    except BaseException as error:  # SystemExit and KeyboardInterrupt too: a cell may not end the grading
        lines = traceback.format_exception(type(error), error, error.__traceback__)
        outputs.append({"output_type": "error", "ename": type(error).__name__, "evalue": str(error)[:MAX_STREAM],
                        "traceback": [line for line in lines if "coursegrade" not in line][-20:]})
    finally:
        sys.stdout, sys.stderr = saved
    streams = [{"output_type": "stream", "name": name, "text": capture.value()}
               for name, capture in (("stdout", out), ("stderr", err)) if capture.parts]
    if result is not None:
        streams.append({"output_type": "execute_result", "data": {"text/plain": result}})
    namespace.guard_helpers()
    return {"outputs": streams + outputs}


MUTABLE = (list, dict, set, tuple)


def changed_arguments(namespace, args, kwargs, sent):
    """[[position or keyword, new value as data]] for the arguments that no longer encode as they were sent."""
    np = sys.modules.get("numpy")
    mutable = MUTABLE + ((np.ndarray,) if np is not None else ())
    before = dict(enumerate(sent[0]["v"]))
    before.update((key, value) for key, value in sent[1]["v"])
    changed = []
    for key, value in list(enumerate(args)) + list(kwargs.items()):
        if isinstance(value, mutable):
            after = wire.encode(value, namespace.handle_of)
            if after != before.get(key):
                changed.append([key, after])
    return changed


def call(namespace, handle, args, kwargs, sent):
    if type(handle) is not int or not 0 <= handle < len(namespace.handles):
        return {"error": {"ename": "LookupError", "evalue": "no such function"}}
    out, err = Capture(), Capture()
    saved, saved_flag = (sys.stdout, sys.stderr), namespace.in_graded_call
    sys.stdout, sys.stderr = out, err
    namespace.in_graded_call = True
    try:
        value = namespace.handles[handle](*args, **kwargs)
        reply = {"value": wire.encode(value, namespace.handle_of)}
    except BaseException as error:
        reply = {"error": {"ename": type(error).__name__, "evalue": str(error)[:2000]}}
    finally:
        namespace.in_graded_call = saved_flag
        sys.stdout, sys.stderr = saved
    try:
        reply["changed"] = changed_arguments(namespace, args, kwargs, sent)
    except Exception:
        reply["changed"] = []
    reply["stdout"], reply["stderr"] = out.value(), err.value()
    return reply


class Channel:
    """The pipes to the judge, and the requests they carry in both directions."""

    def __init__(self, inbox, outbox, namespace):
        self.inbox, self.outbox, self.namespace = inbox, outbox, namespace

    def own_function(self, handle, name):
        """The judge passes back a function it was given: the function itself."""
        if not 0 <= handle < len(self.namespace.handles):
            raise wire.WireError("no such function")
        return self.namespace.handles[handle]

    def callback(self, handle, name):
        """A function that calls the judge's callback handle and returns its result, as data."""
        def callback(*args, **kwargs):
            wire.send(self.outbox, {"op": "callback", "h": handle, "args": wire.encode(list(args), self.namespace.handle_of),
                                    "kwargs": wire.encode(dict(kwargs), self.namespace.handle_of)})
            while True:
                message = self.receive()
                if "op" in message:       # the judge's own requests while it runs the callback
                    self.answer(message)
                    continue
                if isinstance(message.get("error"), dict):
                    ename, evalue = message["error"].get("ename"), str(message["error"].get("evalue", ""))
                    base = getattr(builtins, ename, None) if isinstance(ename, str) and ename.isidentifier() else None
                    raise (base if isinstance(base, type) and issubclass(base, Exception) else RuntimeError)(evalue)
                return wire.decode(message.get("value"), self.own_function, self.callback)
        callback.__name__ = callback.__qualname__ = name
        callback.coursegrade_callback = handle   # passed back to the judge, it is the judge's function again
        return callback

    def receive(self):
        return wire.receive(self.inbox.read)

    def answer(self, request):
        op = request.get("op")
        if op == "run":
            reply = run_cell(self.namespace, str(request.get("source", "")))
        elif op == "get":
            name = str(request.get("name"))
            if name in self.namespace.globals:
                reply = {"value": wire.encode(self.namespace.globals[name], self.namespace.handle_of)}
            else:
                reply = {"missing": True}
        elif op == "call":
            try:
                args = wire.decode(request.get("args"), self.own_function, self.callback)
                kwargs = wire.decode(request.get("kwargs"), self.own_function, self.callback)
            except wire.WireError as error:
                reply = {"error": {"ename": "ValueError", "evalue": str(error)}}
            else:
                reply = call(self.namespace, request.get("h"), args, kwargs, (request.get("args"), request.get("kwargs")))
        else:
            reply = {"error": {"ename": "ValueError", "evalue": "unknown request"}}
        wire.send(self.outbox, reply)


def serve(inbox, outbox, guarded):
    channel = Channel(inbox, outbox, Namespace(guarded))
    while True:
        try:
            request = channel.receive()
        except EOFError:
            return
        channel.answer(request)


def main():
    inbox, outbox = sys.stdin.buffer, sys.stdout.buffer
    # The cells' own prints go to captures; nothing may write to the channel but serve().
    sys.stdin = open(os.devnull)
    sys.stdout = sys.stderr = open(os.devnull, "w")
    guarded = [name for name in os.environ.get("COURSEGRADE_GUARDED", "").split(",") if name]
    os.environ.pop("COURSEGRADE_GUARDED", None)
    serve(inbox, outbox, guarded)
