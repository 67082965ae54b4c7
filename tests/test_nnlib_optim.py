"""Optimisers: the first two steps equal the stated update rules computed by hand; convergence; hyper-parameters."""

import math

import numpy as np
import pytest

import nnlib

THETA0 = np.array([1.0, -2.0])
G1 = np.array([0.5, -1.5])
G2 = np.array([-0.3, 0.8])


def two_steps(opt):
    """Apply gradients G1 then G2 to a copy of THETA0 under key "w"; return theta after each step."""
    params = {"w": THETA0.copy()}
    opt.step(params, {"w": G1.copy()})
    after_one = params["w"].copy()
    opt.step(params, {"w": G2.copy()})
    return after_one, params["w"].copy()


def hand(fn):
    """Apply a scalar rule elementwise to (theta0, g1, g2) and return the two thetas as arrays."""
    pairs = [fn(t, a, b) for t, a, b in zip(THETA0, G1, G2)]
    return np.array([p[0] for p in pairs]), np.array([p[1] for p in pairs])


def sgd_rule(t0, g1, g2, lr=0.1):
    t1 = t0 - lr * g1
    return t1, t1 - lr * g2


def momentum_rule(t0, g1, g2, lr=0.1, beta=0.8):
    v1 = beta * 0.0 - lr * g1
    t1 = t0 + v1
    v2 = beta * v1 - lr * g2
    return t1, t1 + v2


def nesterov_rule(t0, g1, g2, lr=0.1, beta=0.8):
    v1 = beta * 0.0 - lr * g1
    t1 = t0 + beta * v1 - lr * g1
    v2 = beta * v1 - lr * g2
    return t1, t1 + beta * v2 - lr * g2


def adagrad_rule(t0, g1, g2, lr=0.1, eps=1e-8):
    G1_ = g1 ** 2
    t1 = t0 - lr * g1 / (math.sqrt(G1_) + eps)
    G2_ = G1_ + g2 ** 2
    return t1, t1 - lr * g2 / (math.sqrt(G2_) + eps)


def adadelta_rule(t0, g1, g2, rho=0.9, eps=1e-6):
    Eg = (1 - rho) * g1 ** 2
    d1 = -math.sqrt(0.0 + eps) / math.sqrt(Eg + eps) * g1
    Ed = (1 - rho) * d1 ** 2
    t1 = t0 + d1
    Eg = rho * Eg + (1 - rho) * g2 ** 2
    d2 = -math.sqrt(Ed + eps) / math.sqrt(Eg + eps) * g2
    return t1, t1 + d2


def rmsprop_rule(t0, g1, g2, lr=0.1, rho=0.8, eps=1e-8):
    E = (1 - rho) * g1 ** 2
    t1 = t0 - lr * g1 / (math.sqrt(E) + eps)
    E = rho * E + (1 - rho) * g2 ** 2
    return t1, t1 - lr * g2 / (math.sqrt(E) + eps)


def adam_rule(t0, g1, g2, lr=0.1, b1=0.8, b2=0.95, eps=1e-8):
    m = (1 - b1) * g1
    v = (1 - b2) * g1 ** 2
    t1 = t0 - lr * (m / (1 - b1)) / (math.sqrt(v / (1 - b2)) + eps)
    m = b1 * m + (1 - b1) * g2
    v = b2 * v + (1 - b2) * g2 ** 2
    return t1, t1 - lr * (m / (1 - b1 ** 2)) / (math.sqrt(v / (1 - b2 ** 2)) + eps)


CASES = [
    (nnlib.SGD(lr=0.1), sgd_rule),
    (nnlib.Momentum(lr=0.1, beta=0.8), momentum_rule),
    (nnlib.Nesterov(lr=0.1, beta=0.8), nesterov_rule),
    (nnlib.AdaGrad(lr=0.1, eps=1e-8), adagrad_rule),
    (nnlib.AdaDelta(rho=0.9, eps=1e-6), adadelta_rule),
    (nnlib.RMSprop(lr=0.1, rho=0.8, eps=1e-8), rmsprop_rule),
    (nnlib.Adam(lr=0.1, beta1=0.8, beta2=0.95, eps=1e-8), adam_rule),
]


@pytest.mark.parametrize("opt, rule", CASES, ids=[type(o).__name__ for o, _ in CASES])
def test_first_two_steps_match_the_stated_rule(opt, rule):
    got1, got2 = two_steps(opt)
    want1, want2 = hand(rule)
    np.testing.assert_allclose(got1, want1, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(got2, want2, rtol=1e-12, atol=1e-15)


def test_adam_defaults_are_the_papers():
    adam = nnlib.Adam()
    assert (adam.lr, adam.beta1, adam.beta2, adam.eps) == (1e-3, 0.9, 0.999, 1e-8)


def test_adadelta_has_zeilers_defaults_and_no_learning_rate():
    opt = nnlib.AdaDelta()
    assert (opt.rho, opt.eps) == (0.95, 1e-6) and not hasattr(opt, "lr")


# Convex quadratic f(theta) = 1/2 theta^T A theta - b^T theta, minimum at A^{-1} b.
A = np.array([[3.0, 1.0], [1.0, 2.0]])
B = np.array([1.0, -1.0])
OPTIMUM = np.linalg.solve(A, B)

CONVERGENCE = [
    (lambda: nnlib.SGD(lr=0.2), 300, 1e-8),
    (lambda: nnlib.Momentum(lr=0.05, beta=0.9), 500, 1e-8),
    (lambda: nnlib.Nesterov(lr=0.05, beta=0.9), 500, 1e-8),
    (lambda: nnlib.AdaGrad(lr=0.5), 2000, 1e-6),
    (lambda: nnlib.RMSprop(lr=0.001), 5000, 1e-2),
    (lambda: nnlib.Adam(lr=0.01), 3000, 1e-4),
]


@pytest.mark.parametrize("make, steps, tol", CONVERGENCE,
                         ids=["SGD", "Momentum", "Nesterov", "AdaGrad", "RMSprop", "Adam"])
def test_converges_on_a_convex_quadratic(make, steps, tol):
    opt, params = make(), {"theta": np.zeros(2)}
    for _ in range(steps):
        opt.step(params, {"theta": A @ params["theta"] - B})
    assert np.linalg.norm(params["theta"] - OPTIMUM) < tol


def test_adadelta_reaches_the_minimum_of_a_convex_quadratic():
    # Without gradient noise AdaDelta reaches the minimum, then drifts: as g -> 0 the decaying E[g^2]
    # shrinks while E[dx^2] remains, so its effective step grows (its docstring says so). We check
    # that it gets there, and that it stays close for a while.
    opt, params = nnlib.AdaDelta(rho=0.95, eps=1e-6), {"theta": np.zeros(2)}
    distances = []
    for _ in range(1000):
        opt.step(params, {"theta": A @ params["theta"] - B})
        distances.append(np.linalg.norm(params["theta"] - OPTIMUM))
    assert min(distances) < 1e-8
    assert max(distances[500:]) < 0.02


def test_state_is_kept_per_key():
    opt = nnlib.Momentum(lr=0.1, beta=0.5)
    params = {"a": np.zeros(1), "b": np.zeros(1)}
    opt.step(params, {"a": np.ones(1), "b": -np.ones(1)})
    opt.step(params, {"a": np.ones(1), "b": -np.ones(1)})
    # v_a: -0.1, then 0.5*(-0.1) - 0.1 = -0.15 ; a = -0.25 ; b mirrors it
    np.testing.assert_allclose(params["a"], [-0.25])
    np.testing.assert_allclose(params["b"], [0.25])


def test_updates_in_place():
    w = np.ones(3)
    nnlib.SGD(lr=0.5).step({"w": w}, {"w": np.ones(3)})
    np.testing.assert_array_equal(w, 0.5 * np.ones(3))


@pytest.mark.parametrize("make", [
    lambda: nnlib.SGD(lr=0), lambda: nnlib.SGD(lr=-1), lambda: nnlib.Momentum(lr=0.0),
    lambda: nnlib.Momentum(beta=1.0), lambda: nnlib.Nesterov(beta=-0.1), lambda: nnlib.AdaGrad(lr=-0.1),
    lambda: nnlib.AdaGrad(eps=0), lambda: nnlib.AdaDelta(rho=1.0), lambda: nnlib.AdaDelta(eps=-1),
    lambda: nnlib.RMSprop(rho=1.5), lambda: nnlib.RMSprop(lr=0), lambda: nnlib.Adam(lr=0),
    lambda: nnlib.Adam(beta1=1.0), lambda: nnlib.Adam(beta2=-0.5), lambda: nnlib.Adam(eps=0),
    lambda: nnlib.SGD(lr=float("nan")),
])
def test_invalid_hyper_parameters(make):
    with pytest.raises(ValueError, match="must"):
        make()


def test_mismatched_params_and_grads():
    with pytest.raises(ValueError, match="same keys"):
        nnlib.SGD().step({"w": np.zeros(2)}, {"v": np.zeros(2)})
    with pytest.raises(ValueError, match=r"\(2,\).*\(3,\)"):
        nnlib.SGD().step({"w": np.zeros(2)}, {"w": np.zeros(3)})


def test_clip_by_global_norm():
    grads = {"a": np.array([3.0, 0.0]), "b": np.array([[4.0]])}      # global norm 5
    clipped, norm = nnlib.clip_by_global_norm(grads, 1.0)
    assert norm == 5.0
    np.testing.assert_allclose(clipped["a"], [0.6, 0.0])
    np.testing.assert_allclose(clipped["b"], [[0.8]])
    unchanged, norm = nnlib.clip_by_global_norm(grads, 10.0)
    assert norm == 5.0 and unchanged["a"] is grads["a"]
    np.testing.assert_array_equal(grads["a"], [3.0, 0.0])       # the input is not modified
    with pytest.raises(ValueError):
        nnlib.clip_by_global_norm(grads, 0)
