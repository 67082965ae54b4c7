"""Student answers for the round trip of assignment word2vec_negative_sampling, by solution cell (grade_id).

Each case lists the answers that differ from the instructor's and the test cells it must fail."""

# (c) The classic mistake: the scatter back into the gradient matrices uses fancy-index `+=`, which
# applies only one update per repeated row. Right when no word repeats, wrong as soon as one does.
MISTAKE = {
    "sgns_batch_update": '''
def sgns_batch_update(W_in, W_out, centres, contexts, negatives, lr):
    B = len(centres)
    V_c, U_o, U_k = W_in[centres], W_out[contexts], W_out[negatives]
    g_o = (sigmoid(np.sum(U_o * V_c, axis=1)) - 1.0) / B
    g_k = sigmoid(np.einsum("bkn,bn->bk", U_k, V_c)) / B
    grad_in, grad_out = np.zeros_like(W_in), np.zeros_like(W_out)
    grad_in[centres] += g_o[:, None] * U_o + np.einsum("bk,bkn->bn", g_k, U_k)
    grad_out[contexts] += g_o[:, None] * V_c
    grad_out[negatives] += g_k[:, :, None] * V_c[:, None, :]
    return W_in - lr * grad_in, W_out - lr * grad_out
''',
}
MISTAKE_FAILS = {"test_batch_update_repeated"}

# (d) Correct but written differently: softplus by hand, loops over the negatives, the scatter as a
# product with one-hot matrices, other symbolic forms.
EQUIVALENT = {
    "sgns_loss": '''
def softplus(x):
    return np.maximum(x, 0.0) + np.log1p(np.exp(-np.abs(x)))

def sgns_loss(v_c, u_o, U_neg):
    total = softplus(-np.dot(u_o, v_c))
    for u_k in U_neg:
        total += softplus(np.dot(u_k, v_c))
    return float(total)
''',
    "sgns_grads": '''
def sgns_grads(v_c, u_o, U_neg):
    d_v = -sigmoid(-np.dot(u_o, v_c)) * u_o
    d_U = np.zeros_like(U_neg)
    for j in range(U_neg.shape[0]):
        weight = sigmoid(np.dot(U_neg[j], v_c))
        d_v = d_v + weight * U_neg[j]
        d_U[j] = weight * v_c
    return d_v, -sigmoid(-np.dot(u_o, v_c)) * v_c, d_U
''',
    "symbolic_gradients": '''
e = sp.exp
s_o = sum(u_sym[i] * v_sym[i] for i in range(2))
s_n = sum(w_sym[i] * v_sym[i] for i in range(2))
dl_dv = sp.Matrix([-u_sym[i] * e(-s_o) / (1 + e(-s_o)) + w_sym[i] / (1 + e(-s_n)) for i in range(2)])
dl_du = sp.Matrix([[-v_sym[0] / (1 + e(s_o)), -v_sym[1] / (1 + e(s_o))]])
dl_dw = sp.Matrix([[v_sym[0] * e(s_n) / (e(s_n) + 1), v_sym[1] * e(s_n) / (e(s_n) + 1)]])
''',
    "sgns_batch_update": '''
def sgns_batch_update(W_in, W_out, centres, contexts, negatives, lr):
    V = W_in.shape[0]
    B, K = negatives.shape
    v = W_in[centres]
    scores_o = np.einsum("bn,bn->b", W_out[contexts], v)
    scores_k = np.einsum("bkn,bn->bk", W_out[negatives], v)
    coef_o = -sigmoid(-scores_o) / B
    coef_k = sigmoid(scores_k) / B
    one_hot = np.eye(V)
    d_v = coef_o[:, None] * W_out[contexts] + np.einsum("bk,bkn->bn", coef_k, W_out[negatives])
    grad_in = one_hot[centres].T @ d_v
    rows = np.concatenate([contexts, negatives.ravel()])
    coefs = np.concatenate([coef_o, coef_k.ravel()])
    owners = np.concatenate([np.arange(B), np.repeat(np.arange(B), K)])
    grad_out = one_hot[rows].T @ (coefs[:, None] * v[owners])
    return W_in - lr * grad_in, W_out - lr * grad_out
''',
}

# (e) Correct values, but the loss uses nnlib's sigmoid (imported inside the function): it earns nothing.
USES_NNLIB = {
    "sgns_loss": '''
def sgns_loss(v_c, u_o, U_neg):
    import nnlib
    return float(np.logaddexp(0.0, -(u_o @ v_c)) + np.sum(np.logaddexp(0.0, U_neg @ v_c)) + 0 * nnlib.sigmoid(0.0))
''',
}
USES_NNLIB_FAILS = {"test_sgns_loss"}

# A broken submission: the loss overflows to inf for large scores, the gradients come back as a dict,
# the update returns only W_in, a symbolic answer uses a symbol of its own.
BROKEN = {
    "sgns_loss": '''
import warnings

def sgns_loss(v_c, u_o, U_neg):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return float(-np.log(1 / (1 + np.exp(-(u_o @ v_c)))) - np.sum(np.log(1 / (1 + np.exp(U_neg @ v_c)))))
''',
    "sgns_grads": '''
def sgns_grads(v_c, u_o, U_neg):
    g_o, g_neg = sigmoid(u_o @ v_c) - 1.0, sigmoid(U_neg @ v_c)
    return {"v_c": g_o * u_o + g_neg @ U_neg, "u_o": g_o * v_c, "U_neg": g_neg[:, None] * v_c}
''',
    "symbolic_gradients": '''
s = sp.Symbol("s")
dl_dv = (sym_sigmoid(s) - 1) * u_sym + sym_sigmoid((w_sym * v_sym.T)[0, 0]) * w_sym
dl_du = (sym_sigmoid((u_sym * v_sym.T)[0, 0]) - 1) * v_sym
dl_dw = sym_sigmoid((w_sym * v_sym.T)[0, 0]) * v_sym
''',
    "sgns_batch_update": '''
def sgns_batch_update(W_in, W_out, centres, contexts, negatives, lr):
    return W_in.copy()
''',
}
BROKEN_FAILS = {"test_sgns_loss", "test_sgns_grads", "test_symbolic_centre", "test_batch_update_distinct",
                "test_batch_update_repeated"}
BROKEN_MESSAGES = ("HiddenTestFailure: AssertionError: with a context score of -1000 and one negative scoring +1000 the loss is 2000, got inf.",
                   "AssertionError: sgns_grads should return a tuple (d_v_c, d_u_o, d_U_neg), got dict.",
                   "AssertionError: sgns_batch_update should return (new_W_in, new_W_out), got ndarray.",
                   "HiddenTestFailure: AssertionError: dl_dv[0, 0] uses s; write it with")
