"""Student answers for the round trip of assignment optimisers, by solution cell (grade_id).

Each case lists the answers that differ from the instructor's and the test cells it must fail."""

# (c) A typical mistake: Adam without bias correction. The first step still has the right sign but is
# far too small, and every iterate of the trajectory is off.
MISTAKE = {
    "adam_step": '''
def adam_step(theta, grad, state, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    m = beta1 * state["m"] + (1 - beta1) * grad
    v = beta2 * state["v"] + (1 - beta2) * grad ** 2
    return theta - lr * m / (np.sqrt(v) + eps), {"m": m, "v": v, "t": state["t"] + 1}
''',
}
MISTAKE_FAILS = {"test_adam_step"}

# (d) Correct but written differently: in-place updates on copies, Nesterov expanded, the running mean
# as an interpolation, other symbolic forms.
EQUIVALENT = {
    "momentum_step": '''
def momentum_step(theta, grad, state, lr=0.01, beta=0.9):
    velocity = state["v"].copy()
    velocity *= beta
    velocity -= lr * grad
    new_theta = theta.copy()
    new_theta += velocity
    return new_theta, dict(v=velocity)
''',
    "nesterov_step": '''
def nesterov_step(theta, grad, state, lr=0.01, beta=0.9):
    old = state["v"]
    return theta + beta * beta * old - (1 + beta) * lr * grad, {"v": beta * old - lr * grad}
''',
    "rmsprop_step": '''
def rmsprop_step(theta, grad, state, lr=0.001, rho=0.9, eps=1e-8):
    E = state["E"] + (1.0 - rho) * (np.square(grad) - state["E"])
    return np.subtract(theta, np.divide(lr * grad, np.sqrt(E) + eps)), {"E": E}
''',
    "adam_step": '''
def adam_step(theta, grad, state, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
    new = {"t": state["t"] + 1}
    new["m"] = state["m"] + (1 - beta1) * (grad - state["m"])
    new["v"] = state["v"] + (1 - beta2) * (grad * grad - state["v"])
    m_hat = new["m"] / (1.0 - np.power(beta1, new["t"]))
    v_hat = new["v"] / (1.0 - np.power(beta2, new["t"]))
    return theta - lr * m_hat / (v_hat ** 0.5 + eps), new
''',
    "trajectory": '''
def trajectory(step, init_state, theta0, grad_fn, n_steps, **hyper):
    path = np.empty((n_steps + 1,) + np.shape(theta0))
    path[0] = theta0
    state = init_state(theta0)
    for k in range(n_steps):
        new_theta, state = step(path[k], grad_fn(path[k]), state, **hyper)
        path[k + 1] = new_theta
    return path
''',
    "bias_correction": '''
m_t_constant = g - g * beta1 ** t
bias_correction_1 = -(beta1 ** t - 1)
bias_correction_2 = (1 - beta2 ** (t / 2)) * (1 + beta2 ** (t / 2))
''',
}

# (e) Correct values, but RMSprop runs nnlib's optimiser (imported inside the function): it earns nothing.
USES_NNLIB = {
    "rmsprop_step": '''
def rmsprop_step(theta, grad, state, lr=0.001, rho=0.9, eps=1e-8):
    import nnlib
    E = rho * state["E"] + (1 - rho) * grad ** 2
    opt = nnlib.RMSprop(lr=lr, rho=rho, eps=eps)
    opt.state["p"] = [state["E"].copy()]
    params = {"p": theta.copy()}
    opt.step(params, {"p": grad})
    return params["p"], {"E": E}
''',
}
USES_NNLIB_FAILS = {"test_rmsprop_step"}

# A broken submission: momentum updates its arguments in place, Nesterov returns only theta, the
# trajectory is a list, and a bias correction depends on g.
BROKEN = {
    "momentum_step": '''
def momentum_step(theta, grad, state, lr=0.01, beta=0.9):
    state["v"] *= beta
    state["v"] -= lr * grad
    theta += state["v"]
    return theta, state
''',
    "nesterov_step": '''
def nesterov_step(theta, grad, state, lr=0.01, beta=0.9):
    v = beta * state["v"] - lr * grad
    return theta + beta * v - lr * grad
''',
    "trajectory": '''
def trajectory(step, init_state, theta0, grad_fn, n_steps, **hyper):
    theta, state, out = theta0, init_state(theta0), [theta0]
    for _ in range(n_steps):
        theta, state = step(theta, grad_fn(theta), state, **hyper)
        out.append(theta)
    return out
''',
    "bias_correction": '''
m_t_constant = g * (1 - beta1 ** t)
bias_correction_1 = m_t_constant / g
bias_correction_2 = g * (1 - beta2 ** t)
''',
}
BROKEN_FAILS = {"test_momentum_step", "test_nesterov_step", "test_trajectory", "test_bias_correction"}
BROKEN_MESSAGES = ("HiddenTestFailure: AssertionError: momentum_step on the quadratic changed its theta or grad argument in place",
                   "AssertionError: nesterov_step should return a pair (new_theta, new_state), got ndarray.",
                   "AssertionError: trajectory with n_steps = 3 and theta0 of shape (1,) should be a NumPy array, got list.",
                   "HiddenTestFailure: AssertionError: bias_correction_2 uses g; write it with beta2, t only.")
