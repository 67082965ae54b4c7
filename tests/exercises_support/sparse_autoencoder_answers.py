"""Student answers for the round trip of assignment sparse_autoencoder, by solution cell (grade_id).

Each case lists the answers that differ from the instructor's and the test cells it must fail."""

# (c) A typical mistake: the penalty's gradient is added to the hidden delta without the sigmoid
# derivative (as if it acted on Z1 rather than on H). The penalty and its derivative are right; its
# contribution to the backward pass, the encoder gradients and the training step are not.
MISTAKE = {
    "sparsity_delta": '''
def sparsity_delta(H, rho, beta):
    return np.tile(kl_penalty_grad(H.mean(axis=0), rho, beta) / H.shape[0], (H.shape[0], 1))
''',
}
MISTAKE_FAILS = {"test_sparsity_delta", "test_backward_encoder", "test_train_step"}

# (d) Correct but written differently: loops over units, log1p, the sigmoid derivative recomputed from
# Z1, the chain rule through rho_hat written out, a loop for the step.
EQUIVALENT = {
    "kl_penalty": '''
def kl_penalty(rho_hat, rho, beta):
    total = 0.0
    for q in rho_hat:
        total += rho * np.log(rho) - rho * np.log(q) + (1 - rho) * (np.log1p(-rho) - np.log1p(-q))
    return beta * total
''',
    "kl_penalty_grad": '''
def kl_penalty_grad(rho_hat, rho, beta):
    return beta * (rho_hat - rho) / (rho_hat * (1.0 - rho_hat))
''',
    "symbolic_kl": '''
dkl_drho_hat = (rho_hat_sym - rho_sym) / (rho_hat_sym - rho_hat_sym ** 2)
''',
    "autoencoder_loss": '''
def autoencoder_loss(X, params, rho, beta):
    H, X_hat = forward(X, params)
    n = X.shape[0]
    reconstruction = sum(0.5 * float(r @ r) for r in (X_hat - X)) / n
    return reconstruction + kl_penalty(np.sum(H, axis=0) / n, rho, beta)
''',
    "sparsity_delta": '''
def sparsity_delta(H, rho, beta):
    n, h = H.shape
    d_rho_hat = kl_penalty_grad(H.mean(axis=0), rho, beta)
    d_H = np.ones((n, 1)) @ d_rho_hat[None, :] / n
    return d_H * (H - H ** 2)
''',
    "autoencoder_backward": '''
def autoencoder_backward(X, params, rho, beta):
    Z1 = X @ params["W1"] + params["b1"]
    H = sigmoid(Z1)
    X_hat = H @ params["W2"] + params["b2"]
    n = X.shape[0]
    g = {"W2": np.einsum("ij,ik->jk", H, X_hat - X) / n, "b2": np.mean(X_hat - X, axis=0)}
    d_H = (X_hat - X) @ params["W2"].T / n
    delta = d_H * sigmoid(Z1) * sigmoid(-Z1) + sparsity_delta(H, rho, beta)
    g["W1"] = np.einsum("ij,ik->jk", X, delta)
    g["b1"] = np.einsum("ik->k", delta)
    return g
''',
    "train_step": '''
def train_step(X, params, rho, beta, lr):
    grads = autoencoder_backward(X, params, rho, beta)
    new = {}
    for key in params:
        new[key] = params[key].copy()
        new[key] -= lr * grads[key]
    return new
''',
}

# (e) Correct values, but the reconstruction error comes from nnlib's squared-error loss (imported inside
# the function; SquaredError is (1/n) sum ||X_hat - X||^2, twice the notebook's term): that part earns nothing.
USES_NNLIB = {
    "autoencoder_loss": '''
def autoencoder_loss(X, params, rho, beta):
    import nnlib
    H, X_hat = forward(X, params)
    reconstruction = 0.5 * nnlib.SquaredError().forward(X_hat, X)
    return float(reconstruction + kl_penalty(H.mean(axis=0), rho, beta))
''',
}
USES_NNLIB_FAILS = {"test_autoencoder_loss"}

# A broken submission: the derivative summed to one number, a training step that changes params in place
# and returns nothing, and a symbolic answer in a symbol that is not defined for it.
BROKEN = {
    "kl_penalty_grad": '''
def kl_penalty_grad(rho_hat, rho, beta):
    return float(np.sum(beta * (-rho / rho_hat + (1 - rho) / (1 - rho_hat))))
''',
    "train_step": '''
def train_step(X, params, rho, beta, lr):
    grads = autoencoder_backward(X, params, rho, beta)
    for key in params:
        params[key] -= lr * grads[key]
''',
    "symbolic_kl": '''
q = sp.Symbol("q")
dkl_drho_hat = -rho_sym / q + (1 - rho_sym) / (1 - q)
''',
}
BROKEN_FAILS = {"test_kl_penalty_grad", "test_sparsity_delta", "test_backward_encoder", "test_train_step",
                "test_symbolic_kl"}
BROKEN_MESSAGES = ("AssertionError: kl_penalty_grad of two mean activations should be a NumPy array, got float.",
                   "AssertionError: train_step should return a dict of gradients, got NoneType.",
                   "HiddenTestFailure: AssertionError: dkl_drho_hat uses q; write it with")
