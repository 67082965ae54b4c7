"""Student answers for the round trip of assignment softmax_cross_entropy, by solution cell (grade_id).

Each case lists the answers that differ from the instructor's and the test cells it must fail."""

# (c) A typical mistake: log-softmax as the log of the softmax. Right for moderate logits, -inf once a
# probability underflows (logits of 1000), and the loss built on it then turns into NaN.
MISTAKE = {
    "log_softmax": '''
def log_softmax(Z):
    return np.log(softmax(Z))
''',
}
MISTAKE_FAILS = {"test_log_softmax", "test_cross_entropy"}

# (d) Correct but written differently: log-sum-exp by ufunc reduction, loops, einsum, other symbolic forms.
EQUIVALENT = {
    "softmax": '''
def softmax(Z):
    rows = []
    for row in Z:
        rows.append(np.exp(row - np.logaddexp.reduce(row)))
    return np.array(rows)
''',
    "log_softmax": '''
def log_softmax(Z):
    return Z - np.logaddexp.reduce(Z, axis=1, keepdims=True)
''',
    "softmax_jacobian": '''
def softmax_jacobian(Z):
    return np.stack([np.diag(p) - np.outer(p, p) for p in softmax(Z)])
''',
    "cross_entropy": '''
def cross_entropy(Z, Y):
    total = 0.0
    for logits, target in zip(log_softmax(Z), Y):
        total -= float(logits @ target)
    return total / Z.shape[0]
''',
    "cross_entropy_grad": '''
def cross_entropy_grad(Z, Y):
    n = Z.shape[0]
    return np.exp(log_softmax(Z)) / n - Y / n
''',
    "dense_cross_entropy_backward": '''
def dense_cross_entropy_backward(A, W, b, Y):
    delta = cross_entropy_grad(np.einsum("nm,mk->nk", A, W) + b[None, :], Y)
    return {"A": np.einsum("nk,mk->nm", delta, W), "W": np.einsum("nm,nk->mk", A, delta), "b": np.einsum("nk->k", delta)}
''',
    "symbolic_answers": '''
total = sp.exp(z1) + sp.exp(z2) + sp.exp(z3)
p = sp.Matrix([sp.exp(z1), sp.exp(z2), sp.exp(z3)]) / total
jacobian_K3 = sp.diag(*p) - p * p.T
dl_dz_K3 = sp.Matrix([p[0] * (y1 + y2 + y3) - y1, p[1] * (y1 + y2 + y3) - y2, p[2] * (y1 + y2 + y3) - y3])
''',
}

# (e) Correct values, but the Jacobian comes from nnlib (imported inside the function): it earns nothing.
USES_NNLIB = {
    "softmax_jacobian": '''
def softmax_jacobian(Z):
    import nnlib
    return np.stack([nnlib.softmax_jacobian(row) for row in Z])
''',
}
USES_NNLIB_FAILS = {"test_softmax_jacobian"}

# A broken submission: the Jacobian of the first sample only, gradients in a tuple, a symbol from nowhere.
BROKEN = {
    "softmax_jacobian": '''
def softmax_jacobian(Z):
    p = softmax(Z)[0]
    return np.diag(p) - np.outer(p, p)
''',
    "dense_cross_entropy_backward": '''
def dense_cross_entropy_backward(A, W, b, Y):
    dZ = cross_entropy_grad(A @ W + b, Y)
    return A.T @ dZ, dZ.sum(axis=0), dZ @ W.T
''',
    "symbolic_answers": '''
p = sp.Symbol("p")
jacobian_K3 = sp.Matrix(3, 3, lambda a, b: sp.exp((z1, z2, z3)[a]) * 0)
dl_dz_K3 = sp.Matrix([p - y1, p - y2, p - y3])
''',
}
BROKEN_FAILS = {"test_softmax_jacobian", "test_dense_cross_entropy_backward", "test_symbolic_jacobian",
                "test_symbolic_cross_entropy"}
BROKEN_MESSAGES = ("AssertionError: softmax_jacobian of a (1, 3) array has shape (3, 3), expected (1, 3, 3).",
                   "AssertionError: dense_cross_entropy_backward should return a dict of gradients, got tuple.",
                   "HiddenTestFailure: AssertionError: jacobian_K3[0, 0] is not equivalent to the expected answer.",
                   "HiddenTestFailure: AssertionError: dl_dz_K3 uses p; write it with")
