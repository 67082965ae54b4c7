"""The autoencoder pieces of nnlib: input corruption, the KL sparsity penalty, and its use from fit."""

import numpy as np
import pytest

import nnlib
from nnlib.gradcheck import check_model, numerical_gradient, relative_error

TOL = 1e-7


# ---- corruption ------------------------------------------------------------------------------------

def test_gaussian_noise_has_the_requested_spread_and_keeps_the_input():
    X = np.linspace(0, 1, 400 * 50).reshape(400, 50)
    before = X.copy()
    noisy = nnlib.gaussian_noise(X, 0.3, rng=np.random.default_rng(0))
    noise = noisy - X
    assert noisy.shape == X.shape and noisy.dtype == np.float64
    # 20000 draws: the sample std is within 3 % of 0.3, the mean within 5 standard errors of 0
    assert abs(noise.std() - 0.3) < 0.03 * 0.3
    assert abs(noise.mean()) < 5 * 0.3 / np.sqrt(noise.size)
    np.testing.assert_array_equal(X, before)
    np.testing.assert_array_equal(nnlib.gaussian_noise(X, 0.0, rng=np.random.default_rng(0)), X)


def test_masking_noise_zeroes_the_requested_fraction_without_rescaling():
    X = np.full((500, 40), 0.7)
    for rate in (0.0, 0.1, 0.5, 0.9):
        masked = nnlib.masking_noise(X, rate, rng=np.random.default_rng(1))
        assert masked.shape == X.shape
        zeroed = np.mean(masked == 0)
        assert abs(zeroed - rate) < 5 * np.sqrt(rate * (1 - rate) / X.size) + 1e-12
        np.testing.assert_array_equal(masked[masked != 0], 0.7)      # kept entries are unchanged
    np.testing.assert_array_equal(X, 0.7)                             # the input is not modified


def test_corruption_keeps_float32_and_is_determined_by_the_rng():
    X = np.random.default_rng(2).random((30, 8)).astype(np.float32)
    for corrupt, level in ((nnlib.gaussian_noise, 0.2), (nnlib.masking_noise, 0.3)):
        first = corrupt(X, level, rng=np.random.default_rng(7))
        again = corrupt(X, level, rng=np.random.default_rng(7))
        other = corrupt(X, level, rng=np.random.default_rng(8))
        assert first.dtype == np.float32
        np.testing.assert_array_equal(first, again)
        assert not np.array_equal(first, other)


@pytest.mark.parametrize("rate", [-0.1, 1.0, 1.5, float("nan")])
def test_masking_noise_refuses_bad_rates(rate):
    with pytest.raises(ValueError, match="rate"):
        nnlib.masking_noise(np.ones((3, 2)), rate, rng=np.random.default_rng(0))


@pytest.mark.parametrize("std", [-0.1, float("inf"), float("nan")])
def test_gaussian_noise_refuses_bad_std(std):
    with pytest.raises(ValueError, match="std"):
        nnlib.gaussian_noise(np.ones((3, 2)), std, rng=np.random.default_rng(0))


@pytest.mark.parametrize("corrupt", [nnlib.gaussian_noise, nnlib.masking_noise])
def test_corruption_refuses_bad_inputs(corrupt):
    with pytest.raises(ValueError, match=r"X must have shape \(n, d\)"):
        corrupt(np.ones(5), 0.1, rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="non-finite"):
        corrupt(np.array([[1.0, np.nan]]), 0.1, rng=np.random.default_rng(0))
    with pytest.raises(TypeError, match="Generator"):
        corrupt(np.ones((2, 2)), 0.1, rng=0)


# ---- the KL divergence and its derivative ----------------------------------------------------------

def bernoulli_kl(rho, q):
    """The definition, written out independently of nnlib."""
    return rho * np.log(rho / q) + (1 - rho) * np.log((1 - rho) / (1 - q))


def test_kl_sparsity_is_the_bernoulli_kl_and_vanishes_only_at_rho():
    q = np.array([0.01, 0.05, 0.1, 0.3, 0.9])
    np.testing.assert_allclose(nnlib.kl_sparsity(q, 0.1), bernoulli_kl(0.1, q), rtol=1e-12)
    values = nnlib.kl_sparsity(q, 0.1)
    assert values[2] == pytest.approx(0.0, abs=1e-15)
    assert np.all(np.delete(values, 2) > 0)
    assert nnlib.kl_sparsity_derivative(np.array([0.1]), 0.1)[0] == pytest.approx(0.0, abs=1e-12)


def test_kl_sparsity_derivative_matches_finite_differences():
    q = np.array([0.02, 0.08, 0.15, 0.4, 0.75, 0.97])
    numeric = numerical_gradient(lambda: float(np.sum(nnlib.kl_sparsity(q, 0.1))), q)
    assert relative_error(nnlib.kl_sparsity_derivative(q, 0.1), numeric) < TOL


@pytest.mark.parametrize("rho", [0.0, 1.0, -0.2, float("nan")])
def test_kl_sparsity_refuses_rho_outside_the_open_unit_interval(rho):
    with pytest.raises(ValueError, match="rho"):
        nnlib.kl_sparsity(np.array([0.5]), rho)
    with pytest.raises(ValueError, match="rho"):
        nnlib.KLSparsity(rho, beta=1.0)


def test_kl_sparsity_refuses_average_activations_outside_the_open_unit_interval():
    for q in (0.0, 1.0, 1.2):
        with pytest.raises(ValueError, match="rho_hat"):
            nnlib.kl_sparsity_derivative(np.array([0.3, q]), 0.1)


# ---- the KLSparsity layer ---------------------------------------------------------------------------

def penalised_value(layer, A, G):
    """The scalar whose gradient the layer's backward must return: sum(Y * G) + penalty."""
    return float(np.sum(layer.forward(A, True) * G)) + layer.penalty


@pytest.mark.parametrize("seed", range(5))
def test_kl_sparsity_layer_gradient_matches_finite_differences(seed):
    rng = np.random.default_rng(seed)
    n, d = rng.integers(1, 8), rng.integers(1, 6)
    A = nnlib.sigmoid(rng.normal(0, 1.5, (n, d)))
    G = rng.standard_normal((n, d))
    layer = nnlib.KLSparsity(rho=0.1, beta=rng.uniform(0.5, 3.0))
    penalised_value(layer, A, G)
    analytic = layer.backward(G)
    numeric = numerical_gradient(lambda: penalised_value(layer, A, G), A)
    assert relative_error(analytic, numeric) < TOL


def test_kl_sparsity_layer_is_the_identity_with_the_stated_penalty():
    rng = np.random.default_rng(3)
    A = nnlib.sigmoid(rng.standard_normal((20, 6)))
    layer = nnlib.KLSparsity(rho=0.1, beta=2.0)
    np.testing.assert_array_equal(layer.forward(A), A)
    assert layer.penalty == pytest.approx(2.0 * bernoulli_kl(0.1, A.mean(axis=0)).sum(), rel=1e-12)
    dY = rng.standard_normal(A.shape)
    extra = layer.backward(dY) - dY
    expected_row = 2.0 / 20 * (-0.1 / A.mean(axis=0) + 0.9 / (1 - A.mean(axis=0)))
    np.testing.assert_allclose(extra, np.tile(expected_row, (20, 1)), rtol=1e-12)


def test_kl_sparsity_layer_refuses_activations_outside_the_unit_interval():
    layer = nnlib.KLSparsity(rho=0.1, beta=1.0)
    with pytest.raises(ValueError, match="Sigmoid"):
        layer.forward(np.full((4, 3), 2.0))
    with pytest.raises(ValueError, match="beta"):
        nnlib.KLSparsity(rho=0.1, beta=-1.0)
    with pytest.raises(RuntimeError, match="before forward"):
        nnlib.KLSparsity(rho=0.1, beta=1.0).backward(np.ones((2, 2)))


def sparse_autoencoder(rng, d=8, hidden=12, rho=0.1, beta=1.0):
    return nnlib.Sequential([nnlib.Dense(d, hidden, rng=rng), nnlib.Sigmoid(), nnlib.KLSparsity(rho, beta),
                             nnlib.Dense(hidden, d, rng=rng)])


@pytest.mark.parametrize("seed", range(3))
def test_every_weight_gradient_of_a_sparse_autoencoder_matches_finite_differences(seed):
    rng = np.random.default_rng(seed)
    X = rng.random((10, 8))
    model = sparse_autoencoder(rng, beta=3.0)
    errors = check_model(model, nnlib.SquaredError(), X, X)
    assert max(errors.values()) < TOL, errors


def test_the_penalty_reaches_the_encoder_gradient():
    rng = np.random.default_rng(4)
    X = rng.random((10, 8))
    grads = {}
    for beta in (0.0, 3.0):
        model = sparse_autoencoder(np.random.default_rng(0), beta=beta)
        loss = nnlib.SquaredError()
        loss.forward(model.forward(X), X)
        model.backward(loss.backward())
        grads[beta] = model.gradients()
    assert not np.allclose(grads[0.0]["0.W"], grads[3.0]["0.W"])     # encoder: changed by the penalty
    np.testing.assert_array_equal(grads[0.0]["3.W"], grads[3.0]["3.W"])   # decoder: untouched


def test_fit_reports_the_penalty_in_the_training_loss():
    rng = np.random.default_rng(5)
    X = rng.random((16, 8))
    model = sparse_autoencoder(np.random.default_rng(1), beta=2.0)
    expected = nnlib.SquaredError().forward(model.forward(X), X) + model.activity_penalty()
    assert model.activity_penalty() > 0
    history = nnlib.fit(model, nnlib.SquaredError(), nnlib.SGD(1e-3), X, X, epochs=1, batch_size=16, rng=rng)
    assert history.step_loss[0] == pytest.approx(expected, rel=1e-12)
    assert nnlib.Sequential([nnlib.Dense(2, 2, rng=rng)]).activity_penalty() == 0.0


def test_fit_with_the_penalty_drives_the_mean_activation_to_rho():
    X, _ = nnlib.load_digits()
    X = X[:600]
    rho = 0.1
    mean_activation = {}
    for beta in (0.0, 3.0):
        model = sparse_autoencoder(np.random.default_rng(0), d=64, hidden=40, rho=rho, beta=beta)
        nnlib.fit(model, nnlib.SquaredError(), nnlib.Adam(0.01), X, X, epochs=30, batch_size=60,
                  rng=np.random.default_rng(1))
        hidden = model.layers[1].forward(model.layers[0].forward(X))
        mean_activation[beta] = hidden.mean(axis=0)           # rho_hat_j over the data, shape (40,)
    without, with_penalty = (np.abs(mean_activation[b] - rho) for b in (0.0, 3.0))
    assert without.mean() > 0.1                                # unpenalised units sit far from rho
    assert with_penalty.mean() < 0.01 and with_penalty.max() < 0.03


# ---- the public API the chapter is written against --------------------------------------------------

@pytest.mark.parametrize("name, wanted", [
    ("gaussian_noise", "X std * rng"), ("masking_noise", "X rate * rng"), ("KLSparsity", "rho beta"),
    ("kl_sparsity", "rho_hat rho"), ("kl_sparsity_derivative", "rho_hat rho"),
])
def test_signature(name, wanted):
    from test_nnlib_api import described
    assert described(getattr(nnlib, name)) == wanted.split()
