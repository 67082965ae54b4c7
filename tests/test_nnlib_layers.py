"""Layer behaviour beyond gradients: dropout, batch norm, Sequential bookkeeping, dtypes."""

import numpy as np
import pytest

import nnlib


def test_dense_computes_xw_plus_b():
    rng = np.random.default_rng(0)
    layer = nnlib.Dense(2, 3, rng=rng)
    layer.params["W"][:] = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    layer.params["b"][:] = [0.5, 0.0, -0.5]
    out = layer.forward(np.array([[1.0, 1.0], [2.0, 0.0]]))
    np.testing.assert_allclose(out, [[5.5, 7.0, 8.5], [2.5, 4.0, 5.5]])


def test_dense_accepts_an_initialiser_callable():
    layer = nnlib.Dense(3, 2, rng=np.random.default_rng(0), init=lambda fi, fo, rng: np.full((fi, fo), 7.0))
    np.testing.assert_array_equal(layer.params["W"], np.full((3, 2), 7.0))
    np.testing.assert_array_equal(layer.params["b"], np.zeros(2))


def test_dropout_is_the_identity_at_inference():
    X = np.random.default_rng(0).standard_normal((5, 4))
    layer = nnlib.Dropout(0.5, rng=np.random.default_rng(1))
    np.testing.assert_array_equal(layer.forward(X, training=False), X)
    np.testing.assert_array_equal(layer.backward(np.ones_like(X)), np.ones_like(X))


def test_inverted_dropout_keeps_the_expectation():
    p, X = 0.3, np.ones((400, 500))
    out = nnlib.Dropout(p, rng=np.random.default_rng(2)).forward(X, training=True)
    kept = out != 0
    np.testing.assert_allclose(out[kept], 1 / (1 - p))                # kept units are scaled by 1/(1-p)
    assert abs(kept.mean() - (1 - p)) < 4 * np.sqrt(p * (1 - p) / X.size)
    assert abs(out.mean() - 1.0) < 0.01                               # E[Y] = X


def test_dropout_backward_uses_the_same_mask():
    layer = nnlib.Dropout(0.5, rng=np.random.default_rng(3))
    out = layer.forward(np.ones((6, 6)), training=True)
    np.testing.assert_array_equal(layer.backward(np.ones((6, 6))), out)


def test_batchnorm_uses_batch_statistics_in_training():
    rng = np.random.default_rng(0)
    X = 3 * rng.standard_normal((50, 4)) + 5
    bn = nnlib.BatchNorm(4)
    out = bn.forward(X, training=True)
    np.testing.assert_allclose(out.mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(out.var(axis=0), X.var(axis=0) / (X.var(axis=0) + 1e-5))
    # running statistics moved 10 % of the way from (0, 1) towards the batch statistics
    np.testing.assert_allclose(bn.running_mean, 0.1 * X.mean(axis=0))
    np.testing.assert_allclose(bn.running_var, 0.9 + 0.1 * X.var(axis=0))


def test_batchnorm_uses_running_statistics_at_inference():
    rng = np.random.default_rng(1)
    bn = nnlib.BatchNorm(3, momentum=0.9)
    for _ in range(100):
        bn.forward(2 * rng.standard_normal((64, 3)) - 1, training=True)
    X = rng.standard_normal((5, 3))
    expected = (X - bn.running_mean) / np.sqrt(bn.running_var + 1e-5)
    np.testing.assert_allclose(bn.forward(X, training=False), expected)
    np.testing.assert_allclose(bn.running_mean, -1, atol=0.3)
    np.testing.assert_allclose(bn.running_var, 4, rtol=0.3)
    # one sample at inference is fine, and does not touch the running statistics
    before = bn.running_mean.copy()
    bn.forward(X[:1], training=False)
    np.testing.assert_array_equal(bn.running_mean, before)


def test_activation_layers_match_the_functions():
    Z = np.linspace(-3, 3, 12).reshape(3, 4)
    for layer, f in [(nnlib.Sigmoid(), nnlib.sigmoid), (nnlib.Tanh(), nnlib.tanh), (nnlib.ReLU(), nnlib.relu),
                     (nnlib.LeakyReLU(0.1), lambda z: nnlib.leaky_relu(z, 0.1)),
                     (nnlib.PReLU(alpha_init=0.2), lambda z: nnlib.leaky_relu(z, 0.2)),
                     (nnlib.Softmax(), nnlib.softmax)]:
        np.testing.assert_allclose(layer.forward(Z), f(Z))


def test_sequential_parameters_and_gradients():
    rng = np.random.default_rng(0)
    model = nnlib.Sequential([nnlib.Dense(4, 3, rng=rng), nnlib.ReLU(), nnlib.Dense(3, 2, rng=rng),
                              nnlib.PReLU(2)])
    params = model.parameters()
    assert list(params) == ["0.W", "0.b", "2.W", "2.b", "3.alpha"]
    assert params["0.W"] is model.layers[0].params["W"]                 # live arrays
    X = rng.standard_normal((5, 4))
    out = model.forward(X, training=True)
    assert out.shape == (5, 2)
    dX = model.backward(np.ones_like(out))
    assert dX.shape == X.shape
    grads = model.gradients()
    assert list(grads) == list(params)
    assert all(grads[k].shape == params[k].shape for k in params)
    assert model.backward(np.ones_like(out), input_grad=False) is None
    np.testing.assert_array_equal(model.predict(X), model.forward(X, training=False))
    assert model.n_parameters() == 4 * 3 + 3 + 3 * 2 + 2 + 2


def test_float32_stays_float32():
    rng = np.random.default_rng(0)
    X = rng.standard_normal((8, 3)).astype(np.float32)
    model = nnlib.Sequential([nnlib.Dense(3, 5, rng=rng, dtype=np.float32), nnlib.BatchNorm(5, dtype=np.float32),
                              nnlib.Tanh(), nnlib.Dropout(0.2, rng=rng), nnlib.Dense(5, 2, rng=rng, dtype=np.float32)])
    out = model.forward(X, training=True)
    assert out.dtype == np.float32
    loss = nnlib.SoftmaxCrossEntropy()
    loss.forward(out, rng.integers(0, 2, 8))
    dout = loss.backward()
    assert dout.dtype == np.float32
    assert model.backward(dout).dtype == np.float32
    assert all(g.dtype == np.float32 for g in model.gradients().values())
    nnlib.fit(model, loss, nnlib.Adam(), X, rng.integers(0, 2, 8), epochs=2, batch_size=4, rng=rng)
    assert all(p.dtype == np.float32 for p in model.parameters().values())


def test_mlp_stacks_dense_and_activation_layers_like_the_hand_written_network():
    built = nnlib.mlp([4, 8, 6, 3], nnlib.Tanh, rng=np.random.default_rng(3), init="he_normal")
    rng = np.random.default_rng(3)
    by_hand = nnlib.Sequential([nnlib.Dense(4, 8, rng=rng, init="he_normal"), nnlib.Tanh(),
                                nnlib.Dense(8, 6, rng=rng, init="he_normal"), nnlib.Tanh(),
                                nnlib.Dense(6, 3, rng=rng, init="he_normal")])
    assert [type(layer) for layer in built.layers] == [type(layer) for layer in by_hand.layers]
    assert built.parameters().keys() == by_hand.parameters().keys()
    for key, value in by_hand.parameters().items():
        np.testing.assert_array_equal(built.parameters()[key], value)
    assert built.forward(np.ones((5, 4))).shape == (5, 3)


def test_mlp_rejects_sizes_without_an_output():
    with pytest.raises(ValueError, match="sizes"):
        nnlib.mlp([4], nnlib.ReLU, rng=np.random.default_rng(0))


def test_mlp_takes_a_function_that_builds_each_hidden_activation():
    net = nnlib.mlp([3, 4, 4, 2], lambda: nnlib.LeakyReLU(0.2), rng=np.random.default_rng(0))
    hidden = [layer for layer in net.layers if isinstance(layer, nnlib.LeakyReLU)]
    assert len(hidden) == 2 and hidden[0] is not hidden[1] and all(layer.alpha == 0.2 for layer in hidden)
