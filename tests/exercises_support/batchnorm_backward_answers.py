"""Student answers for the round trip of assignment batchnorm_backward, by solution cell (grade_id).

Each case lists the answers that differ from the instructor's and the test cells it must fail."""

# (c) A typical mistake: the backward pass treats the batch mean and variance as constants, so dX is
# just dY * gamma / sqrt(var + eps). dgamma and dbeta stay right; dX does not (its columns do not sum to 0).
MISTAKE = {
    "batchnorm_backward": '''
def batchnorm_backward(dY, cache):
    X_hat, inv_std, gamma = cache
    return dY * gamma * inv_std, (dY * X_hat).sum(axis=0), dY.sum(axis=0)
''',
}
MISTAKE_FAILS = {"test_backward_x"}

# (d) Correct but written differently: column loops, the running mean as an interpolation, and the
# backward pass as a staged computational graph (mean, centred, variance, inverse std) with a dict cache.
EQUIVALENT = {
    "batchnorm_forward_train": '''
def batchnorm_forward_train(X, gamma, beta, running, momentum=0.9, eps=1e-5):
    n, d = X.shape
    mu, var = np.empty(d), np.empty(d)
    for j in range(d):
        mu[j] = sum(X[:, j]) / n
        var[j] = sum((X[:, j] - mu[j]) ** 2) / n
    centred = X - mu
    inv_std = (var + eps) ** -0.5
    Y = gamma * (centred * inv_std) + beta
    new_running = {"mean": running["mean"] + (1 - momentum) * (mu - running["mean"]),
                   "var": running["var"] + (1 - momentum) * (var - running["var"])}
    return Y, {"centred": centred, "inv_std": inv_std, "gamma": gamma, "eps": eps}, new_running
''',
    "batchnorm_forward_eval": '''
def batchnorm_forward_eval(X, gamma, beta, running, eps=1e-5):
    scale = gamma / np.sqrt(running["var"] + eps)
    return X * scale + (beta - running["mean"] * scale)
''',
    "batchnorm_backward": '''
def batchnorm_backward(dY, cache):
    centred, inv_std, gamma = cache["centred"], cache["inv_std"], cache["gamma"]
    n = dY.shape[0]
    x_hat = centred * inv_std
    dbeta = np.sum(dY, axis=0)
    dgamma = np.sum(dY * x_hat, axis=0)
    d_xhat = dY * gamma
    d_inv_std = np.sum(d_xhat * centred, axis=0)
    d_var = d_inv_std * -0.5 * inv_std ** 3
    d_centred = d_xhat * inv_std + d_var * 2.0 * centred / n
    d_mu = -np.sum(d_centred, axis=0)
    dX = d_centred + d_mu / n
    return dX, dgamma, dbeta
''',
}

# (e) Correct values, but inference mode runs nnlib's BatchNorm layer (imported inside the function).
USES_NNLIB = {
    "batchnorm_forward_eval": '''
def batchnorm_forward_eval(X, gamma, beta, running, eps=1e-5):
    from nnlib import BatchNorm
    layer = BatchNorm(X.shape[1], eps=eps)
    layer.params["gamma"], layer.params["beta"] = gamma, beta
    layer.running_mean, layer.running_var = running["mean"], running["var"]
    return layer.forward(X, training=False)
''',
}
USES_NNLIB_FAILS = {"test_forward_eval"}

# A broken submission: running averages updated in place, inference with batch statistics, gradients in a dict.
BROKEN = {
    "batchnorm_forward_train": '''
def batchnorm_forward_train(X, gamma, beta, running, momentum=0.9, eps=1e-5):
    mu, var = X.mean(axis=0), X.var(axis=0)
    inv_std = 1.0 / np.sqrt(var + eps)
    X_hat = (X - mu) * inv_std
    running["mean"] *= momentum
    running["mean"] += (1 - momentum) * mu
    running["var"] *= momentum
    running["var"] += (1 - momentum) * var
    return gamma * X_hat + beta, (X_hat, inv_std, gamma), running
''',
    "batchnorm_forward_eval": '''
def batchnorm_forward_eval(X, gamma, beta, running, eps=1e-5):
    return gamma * (X - X.mean(axis=0)) / np.sqrt(X.var(axis=0) + eps) + beta
''',
    "batchnorm_backward": '''
def batchnorm_backward(dY, cache):
    X_hat, inv_std, gamma = cache
    return {"X": dY * gamma * inv_std, "gamma": (dY * X_hat).sum(axis=0), "beta": dY.sum(axis=0)}
''',
}
BROKEN_FAILS = {"test_running_averages", "test_forward_eval", "test_backward_gamma_beta", "test_backward_x"}
BROKEN_MESSAGES = ("HiddenTestFailure: AssertionError: batchnorm_forward_train changed the running averages it was given in place",
                   "AssertionError: batchnorm_forward_eval of one sample contains NaN or infinity.",
                   "AssertionError: batchnorm_backward should return a tuple (dX, dgamma, dbeta), got dict.")
