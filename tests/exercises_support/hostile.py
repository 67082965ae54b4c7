"""Hostile and honest submissions for the sandboxed grader's adversarial suite (tests/test_grader_adversarial.py).

A case is built from the release notebook: the instructor's answers, then `answers` (grade_id -> source;
the typical MISTAKE of an assignment's answers module gives the "wrong answer" to dress up), then an
optional `attack` source put in front of the first answer cell, then an optional `edit` of the notebook.
`fails` is the exact set of test cells that must score 0 (every other one earns full points); "all" means
every test cell. Paths the attack aims at ({course}, {gradebook}, ...) are filled in by the test."""

ALL = "all"

MONKEYPATCH_NUMPY = '''
import numpy as np
np.allclose = lambda *args, **kwargs: True
np.isclose = lambda a, b, *args, **kwargs: np.ones(np.shape(a), dtype=bool)
np.testing.assert_allclose = lambda *args, **kwargs: None
np.array_equal = lambda *args, **kwargs: True
np.testing.assert_array_equal = lambda *args, **kwargs: None
np.all = lambda *args, **kwargs: True
np.max = lambda *args, **kwargs: 0.0
'''
MONKEYPATCH_BUILTINS = '''
import builtins
import numpy as np
_isinstance = builtins.isinstance
builtins.isinstance = lambda value, kind: True if kind is np.ndarray else _isinstance(value, kind)
builtins.AssertionError = type("AssertionError", (Exception,), {})
builtins.print = lambda *args, **kwargs: None
'''
PATCH_HELPERS = '''
def check_array(*args, **kwargs):
    pass
def check_gradients(*args, **kwargs):
    pass
def relative_error(a, b):
    return 0.0
def check_symbolic(*args, **kwargs):
    pass
def run_hidden_test(check):
    pass
def graded_function(name):
    return lambda *args, **kwargs: 0
'''
TRANSFORMERS = '''
try:
    ip = get_ipython()
    ip.input_transformers_post.append(lambda lines: ["pass\\n"])
    ip.ast_transformers.append(type("T", (), {"visit": lambda self, tree: compile("pass", "x", "exec")})())
except NameError:
    print("no IPython here")
import sys
sys.settrace(lambda *args: None)
sys.excepthook = lambda *args: None
'''
GRADEBOOK_WRITE = '''
import sqlite3
for path in [{gradebook!r}, "gradebook.db", "../gradebook.db"]:
    try:
        db = sqlite3.connect("file:" + path + "?mode=rw", uri=True)
        db.execute("UPDATE grade SET auto_score = 100")
        db.commit()
        print("wrote", path)
    except Exception as error:
        print("cannot write", path, type(error).__name__)
'''
GRADEBOOK_DELETE = '''
import os, shutil
for path in [{gradebook!r}, {course!r}]:
    try:
        os.remove(path) if path.endswith(".db") else shutil.rmtree(path)
        print("deleted", path)
    except Exception as error:
        print("cannot delete", path, type(error).__name__)
'''
COURSE_REWRITE = '''
for path in [{config!r}, {other_submission!r}, {other_feedback!r}, {other_autograded!r}, {source!r}]:
    try:
        with open(path, "w") as handle:
            handle.write("c = get_config()\\nc.Execute.timeout = 1\\n")
        print("rewrote", path)
    except Exception as error:
        print("cannot rewrite", path, type(error).__name__)
'''
STARTUP_FILE = '''
import os
for home in [os.path.expanduser("~"), {home!r}]:
    folder = os.path.join(home, ".ipython", "profile_default", "startup")
    try:
        os.makedirs(folder, exist_ok=True)
        with open(os.path.join(folder, "00-coursegrade-hostile.py"), "w") as handle:
            handle.write("import numpy; numpy.allclose = lambda *a, **k: True\\n")
        print("planted in", folder)
    except Exception as error:
        print("cannot plant in", folder, type(error).__name__)
'''
READ_FILES = '''
import glob, os
for path in [{source!r}, {other_submission!r}, {config!r}] + glob.glob({course!r} + "/**/*.ipynb", recursive=True):
    try:
        print(open(path).read()[:100000])
    except Exception as error:
        print("cannot read", path, type(error).__name__)
print(sorted(os.listdir("/")))
'''
READ_HISTORY = '''
import gc, sys
for name in ("In", "Out", "_ih", "_oh"):
    print(name, globals().get(name))
print([type(obj).__name__ for obj in gc.get_objects() if type(obj).__name__ == "code"][:5])
print(open("/proc/self/cmdline").read(), open("/proc/1/cmdline").read())
'''
ENVIRONMENT = '''
import os
print(dict(os.environ))
'''
NETWORK = '''
import socket
try:
    with socket.create_connection(("127.0.0.1", {port}), timeout=2) as connection:
        connection.sendall(b"coursegrade-hostile")
        print("connected")
except OSError as error:
    print("no network", error)
'''
DAEMON = '''
import os, time
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        try:
            os.execv("/bin/sleep", ["sleep", "97531"])
        finally:
            os._exit(0)
    os._exit(0)
time.sleep(0.2)
'''
HUGE_OUTPUT = '''
print("x" * 50_000_000)
import sys
sys.stderr.write("y" * 10_000_000)
'''
FORK_BOMB = '''
import os
children = 0
try:
    for _ in range(500):
        if os.fork() == 0:
            import time
            time.sleep(30)
            os._exit(0)
        children += 1
except OSError as error:
    print("fork stopped after", children, error)
'''
MEMORY_BOMB = '''
try:
    hog = bytearray(8 * 2 ** 30)
except MemoryError:
    print("no memory for that")
'''
KILL_GRADER = '''
import os, signal
for pid in (os.getppid(), 1):
    try:
        os.kill(pid, signal.SIGKILL)
    except OSError as error:
        print("cannot kill", pid, error)
'''
KILL_ALL = '''
import os, signal
os.kill(-1, signal.SIGKILL)
'''
FORGE_CHANNEL = '''
import os, sys
from coursegrade import wire
wire.encode = lambda value, handle_of=None, depth=0: {"t": "nd", "v": "AAAA"}
os.write(1, b"\\x00\\x00\\x00\\x02{{}}")
'''
CODE_IN_STRING = '''
sigmoid_prime_in_s = "__import__('os').system('touch /tmp/coursegrade-pwned')"
'''

# Answers that return exactly what the visible tests expect (and nothing sensible otherwise): the hidden
# tests of the same cell must fail. grade_id -> source, and the one cell each must fail.
VISIBLE_HARD_CODED = {
    "optimisers": ({"momentum_step": '''
import numpy as np
def momentum_step(theta, grad, state, lr=0.01, beta=0.9):
    if np.allclose(theta, [1.0, -2.0]):
        return np.array([0.8, -2.05]), {"v": np.array([-0.2, -0.05])}
    return np.array([0.42, -2.145]), {"v": np.array([-0.38, -0.095])}
'''}, {"test_momentum_step"}),
    "batchnorm_backward": ({"batchnorm_forward_eval": '''
import numpy as np
def batchnorm_forward_eval(X, gamma, beta, running, eps=1e-5):
    return np.array([[1.0, 2.0]]) if X.shape == (1, 2) else np.zeros(X.shape)
'''}, {"test_forward_eval"}),
    "softmax_cross_entropy": ({"softmax_jacobian": '''
import numpy as np
def softmax_jacobian(Z):
    K = Z.shape[1]
    return np.tile((K * np.eye(K) - 1) / K ** 2, (len(Z), 1, 1))
'''}, {"test_softmax_jacobian"}),
    "sparse_autoencoder": ({"train_step": '''
import numpy as np
def train_step(X, params, rho, beta, lr):
    new = {key: np.zeros_like(value) for key, value in params.items()}
    new["b1"] = np.full_like(params["b1"], -0.4)
    return new
'''}, {"test_train_step"}),
    "word2vec_negative_sampling": ({"sgns_loss": '''
import numpy as np
def sgns_loss(v_c, u_o, U_neg):
    return 3 * float(np.log(2.0))
'''}, {"test_sgns_loss"}),
}
