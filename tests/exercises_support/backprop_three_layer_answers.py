"""Student answers for the round trip of assignment backprop_three_layer, by solution cell (grade_id).

Each case lists the answers that differ from the instructor's and the test cells it must fail."""

# (c) A typical mistake: the sigmoid derivative at the output is left out of the squared-loss backward pass.
MISTAKE = {
    "backward_squared": '''
def backward_squared(X, y, params):
    A1, A2, A3 = forward_layers(X, params)
    dZ3 = (A3 - y) / len(X)
    return backward_from_output(X, params, A1, A2, dZ3)


def backward_from_output(X, params, A1, A2, dZ3):
    dZ2 = (dZ3 @ params["W3"].T) * A2 * (1.0 - A2)
    dZ1 = (dZ2 @ params["W2"].T) * (A1 > 0)
    return {
        "W3": A2.T @ dZ3, "b3": dZ3.sum(axis=0),
        "W2": A1.T @ dZ2, "b2": dZ2.sum(axis=0),
        "W1": X.T @ dZ1, "b1": dZ1.sum(axis=0),
    }
''',
}
MISTAKE_FAILS = {"test_backward_squared_output", "test_backward_squared_hidden"}

# (d) Correct but written differently: loops over samples and units, other names, other symbolic forms.
EQUIVALENT = {
    "network_description": '''
import numpy as np
PARAMETER_SHAPES = {"b3": (1,), "W3": (2, 1), "b2": (2,), "W2": (2, 2), "b1": (2,), "W1": (3, 2)}
N_PARAMETERS = sum(np.prod(shape) for shape in PARAMETER_SHAPES.values())
''',
    "forward": '''
import math

def logistic(t):
    return 1.0 / (1.0 + math.exp(-t)) if t >= 0 else math.exp(t) / (1.0 + math.exp(t))

def layer_values(x, P):
    h1 = [max(0.0, sum(x[i] * P["W1"][i, j] for i in range(3)) + P["b1"][j]) for j in range(2)]
    h2 = [logistic(sum(h1[i] * P["W2"][i, j] for i in range(2)) + P["b2"][j]) for j in range(2)]
    out = logistic(h2[0] * P["W3"][0, 0] + h2[1] * P["W3"][1, 0] + P["b3"][0])
    return h1, h2, out

def forward(X, params):
    return np.array([[layer_values(row, params)[2]] for row in X])
''',
    "forward_symbolic": '''
e = sp.exp
u = [sp.Max(0, sum(x_sym[k] * W1_sym[k, j] for k in range(3)) + b1_sym[j]) for j in range(2)]
v = [1 / (1 + e(-(u[0] * W2_sym[0, j] + u[1] * W2_sym[1, j] + b2_sym[j]))) for j in range(2)]
yhat_expr = 1 / (1 + e(-(W3_sym[0, 0] * v[0] + W3_sym[1, 0] * v[1] + b3_sym[0, 0])))
''',
    "loss_squared": '''
def loss_squared(X, y, params):
    total = 0.0
    for row, target in zip(X, y):
        total += (layer_values(row, params)[2] - target[0]) ** 2
    return total / (2 * len(X))
''',
    "backward_squared": '''
def per_sample_gradients(x, target, P, output_delta):
    h1, h2, out = layer_values(x, P)
    g = {key: np.zeros_like(value) for key, value in P.items()}
    d3 = output_delta(out, target)
    g["b3"][0] = d3
    d2 = [0.0, 0.0]
    for i in range(2):
        g["W3"][i, 0] = h2[i] * d3
        d2[i] = d3 * P["W3"][i, 0] * h2[i] * (1.0 - h2[i])
    d1 = [0.0, 0.0]
    for j in range(2):
        g["b2"][j] = d2[j]
        for i in range(2):
            g["W2"][i, j] = h1[i] * d2[j]
    for i in range(2):
        d1[i] = sum(P["W2"][i, j] * d2[j] for j in range(2)) if h1[i] > 0 else 0.0
    for j in range(2):
        g["b1"][j] = d1[j]
        for i in range(3):
            g["W1"][i, j] = x[i] * d1[j]
    return g

def mean_gradients(X, y, params, output_delta):
    total = {key: np.zeros_like(value) for key, value in params.items()}
    for row, target in zip(X, y):
        for key, value in per_sample_gradients(row, target[0], params, output_delta).items():
            total[key] += value / len(X)
    return total

def backward_squared(X, y, params):
    return mean_gradients(X, y, params, lambda out, t: (out - t) * out * (1.0 - out))
''',
    "loss_cross_entropy": '''
def loss_cross_entropy(X, y, params):
    p = forward(X, params)
    return -np.mean(y * np.log(p) + (1 - y) * np.log(1 - p))
''',
    "backward_cross_entropy": '''
def backward_cross_entropy(X, y, params):
    return mean_gradients(X, y, params, lambda out, t: out - t)
''',
    "output_gradients_symbolic": '''
s = 1 / (1 + sp.exp(-z))
dl_dz_squared = (s - y) * sp.exp(-z) / (1 + sp.exp(-z)) ** 2
dl_dz_cross_entropy = (1 - y) - sp.exp(-z) / (1 + sp.exp(-z))
''',
}

# (e) Correct values, but computed with nnlib: those parts earn nothing. The first refers to nnlib by name
# (caught by reading the function's code); the second imports it at call time (caught while it runs).
USES_NNLIB = {
    "backward_cross_entropy": '''
import nnlib

def backward_cross_entropy(X, y, params):
    squash = getattr(nnlib, "sigmoid", sigmoid)
    A1, A2, _ = forward_layers(X, params)
    A3 = squash(A2 @ params["W3"] + params["b3"])
    return backward_from_output(X, params, A1, A2, (A3 - y) / len(X))
''',
    "loss_squared": '''
import importlib

def loss_squared(X, y, params):
    library = importlib.import_module("nn" + "lib")
    return float(np.mean(0.5 * (forward(X, params) - y) ** 2))
''',
}
USES_NNLIB_FAILS = {"test_backward_cross_entropy", "test_loss_squared"}

# A broken submission: a syntax error, gradients of the wrong shape, NaN gradients, a number for a formula.
BROKEN = {
    "network_description": 'PARAMETER_SHAPES = {"W1": (3, 2)\nN_PARAMETERS = 17\n',
    "backward_squared": '''
def backward_squared(X, y, params):
    return {key: np.zeros((1,) + value.shape) for key, value in params.items()}
''',
    "backward_cross_entropy": '''
def backward_cross_entropy(X, y, params):
    return {key: np.full(value.shape, np.nan) for key, value in params.items()}
''',
    "output_gradients_symbolic": '''
dl_dz_squared = (sym_sigmoid(z) - y) * sym_sigmoid(z) * (1 - sym_sigmoid(z))
dl_dz_cross_entropy = 0.5
''',
}
BROKEN_FAILS = {"test_network_description", "test_backward_squared_output", "test_backward_squared_hidden",
                "test_backward_cross_entropy", "test_output_gradient_cross_entropy"}
# What the feedback must say about the broken parts.
BROKEN_MESSAGES = ("was never closed", "NameError: name 'PARAMETER_SHAPES' is not defined",
                   "backward_squared: gradient of W1 has shape (1, 3, 2), expected (3, 2).",
                   "backward_cross_entropy: gradient of W1 contains NaN or infinity.",
                   "HiddenTestFailure: AssertionError: dl_dz_cross_entropy is not equivalent to the expected answer.")
