"""Finite-difference gradient checks (float64, relative error < 1e-7) for every layer, activation and loss.

Inputs stay out of the saturated ranges (|z| of a few units): where a true gradient is ~1e-5,
the centred difference's rounding error (~1e-10) alone would exceed a relative 1e-7.
Hypothesis is derandomised, so every run checks the same generated cases.
"""

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import nnlib
from nnlib.gradcheck import check_layer, check_loss, check_model, numerical_gradient, relative_error

TOL = 1e-7
shapes = st.tuples(st.integers(1, 6), st.integers(1, 5))
seeds = st.integers(0, 2**32 - 1)
few = settings(max_examples=12, deadline=None, derandomize=True)


def away_from_kink(X):
    """Move entries away from 0 so a centred difference never straddles the ReLU kink."""
    return np.sign(X) * (np.abs(X) + 0.01) + (X == 0) * 0.5


def assert_small(errors):
    for name, err in errors.items():
        assert err < TOL, f"{name}: relative error {err:.2e}"


@few
@given(shape=shapes, d_out=st.integers(1, 5), seed=seeds)
def test_dense(shape, d_out, seed):
    rng = np.random.default_rng(seed)
    layer = nnlib.Dense(shape[1], d_out, rng=rng, init="he_normal")
    layer.params["b"][:] = rng.standard_normal(d_out)
    errors = check_layer(layer, rng.standard_normal(shape), rng=rng)
    assert set(errors) == {"X", "W", "b"}
    assert_small(errors)


@few
@given(shape=shapes, seed=seeds)
def test_smooth_activation_layers(shape, seed):
    rng = np.random.default_rng(seed)
    for layer in (nnlib.Sigmoid(), nnlib.Tanh(), nnlib.Softmax()):
        assert_small(check_layer(layer, rng.uniform(-2.5, 2.5, shape), rng=rng))


@few
@given(shape=shapes, seed=seeds, alpha=st.floats(0.0, 0.5))
def test_piecewise_linear_layers(shape, seed, alpha):
    rng = np.random.default_rng(seed)
    X = away_from_kink(rng.standard_normal(shape))
    for layer in (nnlib.ReLU(), nnlib.LeakyReLU(alpha), nnlib.PReLU(alpha_init=alpha),
                  nnlib.PReLU(n_units=shape[1], alpha_init=alpha)):
        errors = check_layer(layer, X, rng=rng)
        assert set(errors) == {"X"} | set(layer.params)
        assert_small(errors)


@few
@given(shape=shapes, seed=seeds)
def test_dropout_in_training_mode(shape, seed):
    rng = np.random.default_rng(seed)
    layer = nnlib.Dropout(0.4, rng=np.random.default_rng(seed + 1))
    assert_small(check_layer(layer, rng.standard_normal(shape), rng=rng, training=True))


@few
@given(n=st.integers(3, 8), d=st.integers(1, 4), seed=seeds, training=st.booleans())
def test_batchnorm(n, d, seed, training):
    # n >= 3: with two rows the normalised output is +-1 whatever X is, so dX is ~0 and nothing is checked
    rng = np.random.default_rng(seed)
    layer = nnlib.BatchNorm(d)
    layer.params["gamma"][:] = rng.uniform(0.5, 2.0, d)
    layer.params["beta"][:] = rng.standard_normal(d)
    layer.running_mean[:] = rng.standard_normal(d)
    layer.running_var[:] = rng.uniform(0.5, 2.0, d)
    errors = check_layer(layer, 2 * rng.standard_normal((n, d)) + 1, rng=rng, training=training)
    assert set(errors) == {"X", "gamma", "beta"}
    assert_small(errors)


@few
@given(shape=shapes, seed=seeds)
def test_functional_derivatives(shape, seed):
    rng = np.random.default_rng(seed)
    z = away_from_kink(rng.uniform(-3, 3, shape))
    pairs = [(nnlib.sigmoid, nnlib.sigmoid_derivative), (nnlib.tanh, nnlib.tanh_derivative),
             (nnlib.relu, nnlib.relu_derivative), (nnlib.leaky_relu, nnlib.leaky_relu_derivative)]
    for f, f_prime in pairs:
        numeric = numerical_gradient(lambda: float(np.sum(f(z))), z)   # elementwise f: d sum f / dz_i = f'(z_i)
        assert relative_error(f_prime(z), numeric) < TOL, f.__name__


@few
@given(k=st.integers(1, 6), seed=seeds)
def test_softmax_jacobian(k, seed):
    rng = np.random.default_rng(seed)
    z = rng.standard_normal(k)
    # row j of the Jacobian is the gradient of softmax(z)_j with respect to z
    numeric = np.array([numerical_gradient(lambda: float(nnlib.softmax(z)[j]), z) for j in range(k)])
    assert relative_error(nnlib.softmax_jacobian(z), numeric) < TOL


@few
@given(shape=shapes, seed=seeds)
def test_losses(shape, seed):
    rng = np.random.default_rng(seed)
    n, k = shape
    Z = rng.uniform(-3, 3, shape)
    targets01 = rng.integers(0, 2, shape).astype(float)
    soft = rng.uniform(0.05, 0.95, shape)      # soft targets, with logits at least 0.5 away from logit(soft)
    soft_logits = np.log(soft / (1 - soft)) + rng.choice([-1.0, 1.0], shape) * rng.uniform(0.5, 2.0, shape)
    cases = [
        (nnlib.SquaredError("mean"), Z, rng.standard_normal(shape)),
        (nnlib.SquaredError("sum"), Z, rng.standard_normal(shape)),
        (nnlib.SquaredError(), Z[:, 0], rng.standard_normal(n)),
        (nnlib.BinaryCrossEntropy(from_logits=True), Z, targets01),
        (nnlib.BinaryCrossEntropy(from_logits=True), soft_logits, soft),
        (nnlib.BinaryCrossEntropy(), rng.uniform(0.05, 0.95, shape), targets01),
        (nnlib.SoftmaxCrossEntropy(), Z, rng.integers(0, k, n)),
        (nnlib.SoftmaxCrossEntropy(), Z, np.eye(k)[rng.integers(0, k, n)]),
    ]
    for loss, Y_hat, Y in cases:
        err = check_loss(loss, Y_hat, Y)
        assert err < TOL, f"{loss!r}: relative error {err:.2e}"


@settings(max_examples=6, deadline=None, derandomize=True)
@given(seed=seeds)
def test_model_with_every_layer_type(seed):
    rng = np.random.default_rng(seed)
    model = nnlib.Sequential([
        nnlib.Dense(4, 6, rng=rng), nnlib.Tanh(), nnlib.BatchNorm(6),
        nnlib.Dense(6, 5, rng=rng), nnlib.PReLU(5), nnlib.Dropout(0.3, rng=rng),
        nnlib.Dense(5, 5, rng=rng), nnlib.Sigmoid(), nnlib.Dense(5, 3, rng=rng),
    ])
    X, y = rng.standard_normal((7, 4)), rng.integers(0, 3, 7)
    errors = check_model(model, nnlib.SoftmaxCrossEntropy(), X, y)
    assert set(errors) == set(model.parameters())
    assert_small(errors)


def test_relative_error_definition():
    a, b = np.array([1.0, -2.0, 0.0]), np.array([1.0, -2.5, 0.0])
    # max |a-b| = 0.5 ; max(|a|+|b|) = 4.5
    assert relative_error(a, b) == 0.5 / 4.5
    assert relative_error(np.zeros(3), np.zeros(3)) == 0.0


def test_gradient_check_detects_a_wrong_backward():
    class WrongSigmoid(nnlib.Sigmoid):
        def backward(self, dY):
            return 1.1 * super().backward(dY)

    rng = np.random.default_rng(0)
    assert check_layer(WrongSigmoid(), rng.standard_normal((3, 2)), rng=rng)["X"] > 1e-3


def test_numerical_gradient_works_in_float32_but_only_roughly():
    """float32 is accepted (the backpropagation chapter shows its rounding on purpose) and is far less exact."""
    from nnlib import numerical_gradient
    x64 = np.array([0.3, -1.2, 2.0])
    x32 = x64.astype(np.float32)
    grad32 = numerical_gradient(lambda: float(np.sum(x32.astype(np.float64) ** 3)), x32, h=1e-3)
    grad64 = numerical_gradient(lambda: float(np.sum(x64 ** 3)), x64, h=1e-6)
    exact = 3 * x64 ** 2
    assert x32.dtype == np.float32 and np.array_equal(x32, x64.astype(np.float32))   # restored, dtype kept
    assert np.max(np.abs(grad64 - exact)) < 1e-8 < np.max(np.abs(grad32 - exact)) < 1e-2
