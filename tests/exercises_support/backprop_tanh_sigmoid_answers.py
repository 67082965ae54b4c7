"""Student answers for the round trip of assignment backprop_tanh_sigmoid, by solution cell (grade_id).

Each case lists the answers that differ from the instructor's and the test cells it must fail."""

# (c) A typical mistake: the tanh derivative (1 - h^2) is left out of the backward pass.
MISTAKE = {
    "backward": '''
def backward(X, Y, params):
    H, A = forward_layers(X, params)
    dZ2 = (A - Y) / len(X)
    dZ1 = dZ2 @ params["W2"].T
    return {"W2": H.T @ dZ2, "b2": dZ2.sum(axis=0), "W1": X.T @ dZ1, "b1": dZ1.sum(axis=0)}
''',
}
MISTAKE_FAILS = {"test_backward_hidden"}

# (d) Correct but written differently: per-sample loops, other names, expanded symbolic forms.
EQUIVALENT = {
    "network_description": '''
PARAMETER_SHAPES = dict(b2=[2], W2=(1, 2), b1=(1,), W1=(2, 1))
N_PARAMETERS = 2 + 1 + 2 + 2
''',
    "forward": '''
def one_sample(x, p):
    hidden = np.tanh(x[0] * p["W1"][0, 0] + x[1] * p["W1"][1, 0] + p["b1"][0])
    outs = [1.0 / (1.0 + np.exp(-(hidden * p["W2"][0, k] + p["b2"][k]))) for k in range(2)]
    return hidden, outs

def forward(X, params):
    rows = []
    for x in X:
        rows.append(one_sample(x, params)[1])
    return np.array(rows)
''',
    "loss": '''
def loss(X, Y, params):
    P = forward(X, params)
    return -(Y * np.log(P) + (1 - Y) * np.log(1 - P)).sum(axis=1).mean()
''',
    "backward": '''
def backward(X, Y, params):
    g = {"W1": np.zeros((2, 1)), "b1": np.zeros(1), "W2": np.zeros((1, 2)), "b2": np.zeros(2)}
    n = X.shape[0]
    for x, t in zip(X, Y):
        hidden, outs = one_sample(x, params)
        back_to_hidden = 0.0
        for k in range(2):
            delta = (outs[k] - t[k]) / n
            g["b2"][k] += delta
            g["W2"][0, k] += hidden * delta
            back_to_hidden += delta * params["W2"][0, k]
        through_tanh = back_to_hidden * (1 - np.tanh(np.arctanh(hidden)) ** 2)
        g["b1"][0] += through_tanh
        for i in range(2):
            g["W1"][i, 0] += x[i] * through_tanh
    return g
''',
    "symbolic_derivatives": '''
dl_dz2 = [-(y1 - a1), sp.expand(a2 - y2)]
dl_dw1_11 = sp.expand(x1 * (1 - h) * (1 + h) * (w2_11 * a1 + w2_12 * a2 - w2_11 * y1 - w2_12 * y2))
''',
}

# (e) Correct values, but the backward pass calls nnlib: it earns nothing.
USES_NNLIB = {
    "backward": '''
def backward(X, Y, params):
    import nnlib
    squash = getattr(nnlib, "sigmoid", sigmoid)
    H = np.tanh(X @ params["W1"] + params["b1"])
    A = squash(H @ params["W2"] + params["b2"])
    dZ2 = (A - Y) / len(X)
    dZ1 = (dZ2 @ params["W2"].T) * (1.0 - H ** 2)
    return {"W2": H.T @ dZ2, "b2": dZ2.sum(axis=0), "W1": X.T @ dZ1, "b1": dZ1.sum(axis=0)}
''',
}
USES_NNLIB_FAILS = {"test_backward_output", "test_backward_hidden"}

# A broken submission: gradients in a list, a symbolic answer with a symbol it may not use, shapes as a string.
BROKEN = {
    "network_description": 'PARAMETER_SHAPES = "W1 is 2 by 1"\nN_PARAMETERS = 7\n',
    "backward": '''
def backward(X, Y, params):
    return [np.zeros_like(value) for value in params.values()]
''',
    "symbolic_derivatives": '''
z = sp.Symbol("z")
dl_dz2 = [a1 - y1, a2 - y2]
dl_dw1_11 = ((a1 - y1) * w2_11 + (a2 - y2) * w2_12) * (1 - sp.tanh(z) ** 2) * x1
''',
}
BROKEN_FAILS = {"test_network_description", "test_backward_output", "test_backward_hidden", "test_symbolic_weight"}
BROKEN_MESSAGES = ("AssertionError: PARAMETER_SHAPES should be a dict.",
                   "AssertionError: backward should return a dict of gradients, got list.",
                   "HiddenTestFailure: AssertionError: dl_dw1_11 uses z; write it with")
