"""Student answers for the round trip of assignment activation_derivatives, by solution cell (grade_id).

Each case lists the answers that differ from the instructor's and the test cells it must fail."""

# (c) A typical mistake: tanh'(z) written as 1 - z^2 (the tanh itself forgotten).
MISTAKE = {
    "tanh_prime": '''
def tanh_prime(Z):
    return 1.0 - Z ** 2
''',
}
MISTAKE_FAILS = {"test_tanh_prime"}

# (d) Correct but written differently: loops, other formulas, other symbolic forms.
EQUIVALENT = {
    "sigmoid_prime": '''
def sigmoid_prime(Z):
    E = np.exp(-np.abs(Z))
    return E / (1.0 + E) ** 2
''',
    "tanh_prime": '''
def tanh_prime(Z):
    return 1.0 / np.cosh(np.clip(Z, -350, 350)) ** 2
''',
    "relu_prime": '''
def relu_prime(Z):
    out = np.zeros(np.shape(Z))
    for index in np.ndindex(out.shape):
        if Z[index] > 0:
            out[index] = 1.0
    return out
''',
    "leaky_relu_prime": '''
def leaky_relu_prime(Z, alpha=0.01):
    positive = np.greater(Z, 0)
    return positive * 1.0 + (~positive) * alpha
''',
    "softmax": '''
def softmax(Z):
    rows = []
    for row in Z:
        log_norm = np.logaddexp.reduce(row)
        rows.append(np.exp(row - log_norm))
    return np.array(rows)
''',
    "softmax_jacobian": '''
def softmax_jacobian(Z):
    S = softmax(Z)
    return np.stack([np.diag(p) - np.outer(p, p) for p in S])
''',
    "symbolic_answers": '''
sigmoid_prime_in_s = s - s ** 2
tanh_prime_in_t = (1 - t) * (1 + t)
softmax_jacobian_in_s = sp.diag(s1, s2, s3) - sp.Matrix([s1, s2, s3]) * sp.Matrix([[s1, s2, s3]])
''',
}

# (e) Correct values, but ReLU' comes from nnlib (if it has one): it earns nothing.
USES_NNLIB = {
    "relu_prime": '''
import nnlib as helpers

def relu_prime(Z):
    own = getattr(helpers, "relu_prime", None)
    return own(Z) if own is not None else (np.asarray(Z) > 0).astype(float)
''',
}
USES_NNLIB_FAILS = {"test_relu_prime"}

# A broken submission: softmax overflows, leaky ReLU' returns a list, a symbolic answer uses z.
BROKEN = {
    "leaky_relu_prime": '''
def leaky_relu_prime(Z, alpha=0.01):
    return [1.0 if value > 0 else alpha for value in np.ravel(Z)]
''',
    "softmax": '''
import warnings

def softmax(Z):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        E = np.exp(Z)
        return E / E.sum(axis=1, keepdims=True)
''',
    "symbolic_answers": '''
sigmoid_prime_in_s = sp.exp(-z) / (1 + sp.exp(-z)) ** 2
tanh_prime_in_t = 1 - t ** 2
outputs = [s1, s2, s3]
softmax_jacobian_in_s = sp.Matrix(3, 3, lambda a, b: outputs[a] * ((1 if a == b else 0) - outputs[b]))
''',
}
BROKEN_FAILS = {"test_leaky_relu_prime", "test_softmax", "test_softmax_jacobian", "test_symbolic_sigmoid_tanh"}
BROKEN_MESSAGES = ("AssertionError: leaky_relu_prime(np.array([-2.0, 0.0, 3.0])) should be a NumPy array, got list.",
                   "HiddenTestFailure: AssertionError: softmax of [[1000, 1000, 0], [-1000, 0, -1000]] contains NaN or infinity.",
                   "HiddenTestFailure: AssertionError: sigmoid_prime_in_s should use the symbol s only.")
