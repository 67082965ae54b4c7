"""The only channel between the sandboxed submission and the judge: length-prefixed JSON frames of plain data.

Values cross as data, never as objects: None, bools, numbers and strings as JSON; lists, tuples, dicts and
sets as tagged JSON; NumPy arrays as .npy bytes (no pickle); SymPy objects as their `srepr` text (parsed on the
judge's side by `coursegrade.safesympy`, never evaluated); a callable of the submission as a numbered handle
("fn") the judge may call; a callable of the judge (a test's step or gradient function handed to a graded
function) as a numbered callback ("cb") the submission may call back while the graded call lasts: the judge
runs its own function on the arguments decoded as data. Everything else arrives as an opaque stand-in that
only carries its type's name.

This module runs on both sides (it is bound read-only into the sandbox), so it imports only the standard
library at module level. `decode` is the judge's side and trusts nothing it reads."""
import base64
import io
import json
import re
import struct
import sys

MAX_FRAME = 16 * 2 ** 20      # bytes of one message; a larger one ends the conversation
MAX_DEPTH = 32                # nesting of containers
MAX_ITEMS = 100_000           # entries in one decoded value, all containers together
MAX_INT_DIGITS = 200
HEADER = struct.Struct(">I")


class WireError(Exception):
    """The other side sent something that is not a well-formed message."""


def send(stream, message):
    data = json.dumps(message, allow_nan=True, separators=(",", ":")).encode()
    if len(data) > MAX_FRAME:
        data = json.dumps({"error": {"ename": "OutputLimit", "evalue": "the reply was larger than the limit"}}).encode()
    stream.write(HEADER.pack(len(data)) + data)
    stream.flush()


def read_exactly(read, size):
    chunks, left = [], size
    while left:
        chunk = read(left)
        if not chunk:
            raise EOFError("the other side closed the channel")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def receive(read):
    """One message from read(n) (a file's read or a socket's recv)."""
    (size,) = HEADER.unpack(read_exactly(read, HEADER.size))
    if size > MAX_FRAME:
        raise WireError(f"a message of {size} bytes is over the limit of {MAX_FRAME}")
    try:
        message = json.loads(read_exactly(read, size))
    except ValueError as error:
        raise WireError(f"a message is not JSON ({error})") from None
    if not isinstance(message, dict):
        raise WireError("a message is not a JSON object")
    return message


# ---------------------------------------------------------------- encoding (either side)

def encode(value, handle_of=None, depth=0, callback_of=None):
    """Plain data for value. handle_of(callable) -> int registers a callable (the submission's side only);
    callback_of(callable) -> int registers one of the judge's callables as a callback (the judge's side only)."""
    if depth > MAX_DEPTH:
        return {"t": "obj", "type": "too deeply nested"}
    if value is None or isinstance(value, (bool, str)):
        return value
    if type(value) is int:
        return value if len(str(abs(value))) <= MAX_INT_DIGITS else {"t": "obj", "type": "int (too large)"}
    if type(value) is float:
        return {"t": "float", "v": repr(value)}
    if type(value) is complex:
        return {"t": "complex", "v": [repr(value.real), repr(value.imag)]}
    kind = {list: "list", tuple: "tuple", set: "set", frozenset: "set"}.get(type(value))
    if kind:
        return {"t": kind, "v": [encode(item, handle_of, depth + 1, callback_of) for item in value]}
    if type(value) is dict:
        return {"t": "dict", "v": [[encode(k, handle_of, depth + 1, callback_of), encode(v, handle_of, depth + 1, callback_of)]
                                   for k, v in value.items()]}
    np = sys.modules.get("numpy")
    if np is not None and isinstance(value, (np.ndarray, np.generic)) and not np.asarray(value).dtype.hasobject:
        buffer = io.BytesIO()
        np.save(buffer, np.asarray(value), allow_pickle=False)
        return {"t": "nd", "scalar": isinstance(value, np.generic), "v": base64.b64encode(buffer.getvalue()).decode()}
    sympy = sys.modules.get("sympy")
    if sympy is not None and (isinstance(value, (sympy.Basic, sympy.MatrixBase))
                              or isinstance(value, sympy.core.function.UndefinedFunction)):
        return {"t": "sym", "v": sympy.srepr(value)}
    if callable(value) and type(getattr(value, "coursegrade_callback", None)) is int:   # a callback, passed back
        return {"t": "cb", "h": value.coursegrade_callback, "name": _name_of(value)}
    if handle_of is not None and callable(value) and not isinstance(value, type):
        return {"t": "fn", "h": handle_of(value), "name": _name_of(value)}
    if callable(value) and hasattr(value, "coursegrade_handle"):
        return {"t": "fn", "h": value.coursegrade_handle, "name": value.__name__}
    if callback_of is not None and callable(value) and not isinstance(value, type):
        return {"t": "cb", "h": callback_of(value), "name": _name_of(value)}
    return {"t": "obj", "type": type(value).__name__}


# ---------------------------------------------------------------- decoding (the judge's side)

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,63}$")


class Opaque:
    """Stands in for a value of the submission that cannot cross as data (an object of its own class, say)."""

    def __repr__(self):
        return f"<{type(self).__name__} object from the submission>"


def opaque(type_name):
    name = type_name if isinstance(type_name, str) and _IDENTIFIER.match(type_name) else "Unknown"
    return type(name, (Opaque,), {})()


def _name_of(function):
    return str(getattr(function, "__name__", type(function).__name__))


def decode(data, make_function=None, make_callback=None):
    """The value that data (from `encode`, or forged) stands for. make_function(handle, name) builds the
    callables of "fn" handles, make_callback(handle, name) those of "cb" callbacks."""
    budget = [MAX_ITEMS]

    def walk(item, depth):
        budget[0] -= 1
        if budget[0] < 0 or depth > MAX_DEPTH:
            raise WireError("a value is too large or too deeply nested")
        if item is None or isinstance(item, (bool, str)):
            return item
        if type(item) is int:
            if len(str(abs(item))) > MAX_INT_DIGITS:
                raise WireError("an integer is too large")
            return item
        if type(item) is float:
            return item
        if not isinstance(item, dict) or not isinstance(item.get("t"), str):
            raise WireError("a value is not tagged")
        tag, value = item["t"], item.get("v")
        if tag == "float":
            return float(_text(value, 64))
        if tag == "complex":
            if not (isinstance(value, list) and len(value) == 2):
                raise WireError("a complex number is malformed")
            return complex(float(_text(value[0], 64)), float(_text(value[1], 64)))
        if tag in ("list", "tuple", "set"):
            if not isinstance(value, list):
                raise WireError(f"a {tag} is malformed")
            items = [walk(entry, depth + 1) for entry in value]
            if tag == "list":
                return items
            if tag == "tuple":
                return tuple(items)
            return set(_hashable(entry) for entry in items)
        if tag == "dict":
            if not isinstance(value, list) or not all(isinstance(p, list) and len(p) == 2 for p in value):
                raise WireError("a dict is malformed")
            return {_hashable(walk(k, depth + 1)): walk(v, depth + 1) for k, v in value}
        if tag == "nd":
            import numpy as np
            raw = base64.b64decode(_text(value, MAX_FRAME), validate=True)
            try:
                array = np.load(io.BytesIO(raw), allow_pickle=False)
            except Exception as error:  # a forged .npy: say so, never run it
                raise WireError(f"an array is malformed ({type(error).__name__})") from None
            return array[()] if item.get("scalar") is True and array.ndim == 0 else array
        if tag == "sym":
            from coursegrade.safesympy import from_srepr
            return from_srepr(_text(value, MAX_FRAME))
        if tag == "fn":
            handle, name = item.get("h"), item.get("name")
            if type(handle) is not int or make_function is None:
                raise WireError("a function handle is malformed")
            return make_function(handle, name if isinstance(name, str) and _IDENTIFIER.match(name) else "function")
        if tag == "cb":
            handle, name = item.get("h"), item.get("name")
            if type(handle) is not int or make_callback is None:
                raise WireError("a callback handle is malformed")
            return make_callback(handle, name if isinstance(name, str) and _IDENTIFIER.match(name) else "function")
        if tag == "obj":
            return opaque(item.get("type"))
        raise WireError(f"unknown tag {tag[:20]!r}")

    return walk(data, 0)


def _text(value, limit):
    if not isinstance(value, str) or len(value) > limit:
        raise WireError("a text field is malformed")
    return value


def _hashable(value):
    try:
        hash(value)
    except TypeError:
        raise WireError("a dict key or set entry is not hashable") from None
    return value
