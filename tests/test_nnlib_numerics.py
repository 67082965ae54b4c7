"""Activations and losses: defining values, float32 preservation, and stability for |z| up to 1e4.

pytest turns RuntimeWarning into errors (pyproject), so any overflow/invalid warning fails these tests;
np.errstate(over/invalid/divide="raise") additionally catches operations that would be silent.
"""

import numpy as np
import pytest

import nnlib



def strict():
    return np.errstate(over="raise", invalid="raise", divide="raise")

EXTREMES = np.array([-1e4, -800.0, -50.0, -1e-9, 0.0, 1e-9, 50.0, 800.0, 1e4])


def test_defining_values():
    z = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_allclose(nnlib.sigmoid(z), 1 / (1 + np.exp(-z)))
    np.testing.assert_allclose(nnlib.sigmoid_derivative(z), nnlib.sigmoid(z) * (1 - nnlib.sigmoid(z)))
    np.testing.assert_allclose(nnlib.tanh_derivative(z), 1 - np.tanh(z) ** 2)
    np.testing.assert_array_equal(nnlib.relu(z), [0.0, 0.0, 3.0])
    np.testing.assert_array_equal(nnlib.leaky_relu(z), [-0.02, 0.0, 3.0])
    p = nnlib.softmax(z)
    np.testing.assert_allclose(p, np.exp(z) / np.exp(z).sum())
    np.testing.assert_allclose(nnlib.log_softmax(z), np.log(p))
    np.testing.assert_allclose(nnlib.softmax_jacobian(z), np.diag(p) - np.outer(p, p))


def test_subgradients_at_zero():
    assert nnlib.relu_derivative(np.array([0.0]))[0] == 0.0
    assert nnlib.leaky_relu_derivative(np.array([0.0]), alpha=0.05)[0] == 0.05
    assert nnlib.leaky_relu_derivative(np.array([1.0, -1.0])).tolist() == [1.0, 0.01]


def test_softmax_rows_and_shift_invariance():
    Z = np.random.default_rng(0).standard_normal((4, 5))
    P = nnlib.softmax(Z)
    np.testing.assert_allclose(P.sum(axis=1), 1.0)
    np.testing.assert_allclose(nnlib.softmax(Z + 1000.0), P)


@pytest.mark.parametrize("f", [nnlib.sigmoid, nnlib.sigmoid_derivative, nnlib.tanh, nnlib.tanh_derivative,
                               nnlib.relu, nnlib.relu_derivative, nnlib.leaky_relu, nnlib.leaky_relu_derivative,
                               nnlib.softmax, nnlib.log_softmax])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_preserved(f, dtype):
    assert f(np.linspace(-2, 2, 6).astype(dtype)).dtype == dtype


def test_integers_become_float64():
    assert nnlib.sigmoid(np.array([0, 1])).dtype == np.float64


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_is_stable(dtype):
    z = EXTREMES.astype(dtype)
    with strict():
        s, ds = nnlib.sigmoid(z), nnlib.sigmoid_derivative(z)
    assert np.isfinite(s).all() and np.isfinite(ds).all()
    assert s[0] == 0.0 and s[-1] == 1.0 and s[4] == 0.5
    assert ((0 <= s) & (s <= 1)).all() and (ds >= 0).all()
    assert nnlib.sigmoid(np.array([-50.0]))[0] == pytest.approx(np.exp(-50.0), rel=1e-12)


def test_softmax_is_stable():
    Z = np.array([[1e4, -1e4, 0.0], [1e4, 1e4, -1e4], [-1e4, -1e4, -1e4]])
    with strict():
        P, logP = nnlib.softmax(Z), nnlib.log_softmax(Z)
        J = nnlib.softmax_jacobian(Z[0])
    assert np.isfinite(P).all() and np.isfinite(logP).all() and np.isfinite(J).all()
    np.testing.assert_allclose(P, [[1, 0, 0], [0.5, 0.5, 0], [1 / 3, 1 / 3, 1 / 3]])
    assert logP[0, 1] == -2e4


def test_softmax_cross_entropy_is_stable():
    Z = np.array([[1e4, -1e4, 0.0], [-1e4, 1e4, 0.0]])
    loss = nnlib.SoftmaxCrossEntropy()
    with strict():
        right = loss.forward(Z, np.array([0, 1]))
        g_right = loss.backward()
        wrong = loss.forward(Z, np.array([1, 0]))
        g_wrong = loss.backward()
    assert right == 0.0 and wrong == pytest.approx(2e4)
    assert np.isfinite(g_right).all() and np.isfinite(g_wrong).all()
    np.testing.assert_allclose(g_wrong, [[0.5, -0.5, 0.0], [-0.5, 0.5, 0.0]])


def test_binary_cross_entropy_from_logits_is_stable():
    z = np.array([1e4, -1e4, 1e4, -1e4])
    y = np.array([1.0, 0.0, 0.0, 1.0])
    loss = nnlib.BinaryCrossEntropy(from_logits=True)
    with strict():
        value = loss.forward(z, y)
        grad = loss.backward()
    assert value == pytest.approx(2e4 / 4)             # two confident mistakes cost 1e4 each
    np.testing.assert_allclose(grad, [0.0, 0.0, 0.25, -0.25])


def test_binary_cross_entropy_on_saturated_probabilities_is_finite():
    p, y = np.array([0.0, 1.0, 1.0, 0.0]), np.array([1.0, 0.0, 1.0, 0.0])
    loss = nnlib.BinaryCrossEntropy()
    with strict():
        value = loss.forward(p, y)
        grad = loss.backward()
    assert np.isfinite(value) and np.isfinite(grad).all()
    assert value == pytest.approx(-2 * np.log(1e-12) / 4, rel=1e-6)
    p32 = p.astype(np.float32)
    with strict():
        loss.forward(p32, y.astype(np.float32))
        assert np.isfinite(loss.backward()).all()


def test_loss_values():
    Y_hat, Y = np.array([[1.0, 2.0], [0.0, 0.0]]), np.array([[0.0, 0.0], [0.0, 1.0]])
    assert nnlib.SquaredError().forward(Y_hat, Y) == (1 + 4 + 1) / 2
    assert nnlib.SquaredError("sum").forward(Y_hat, Y) == 6
    p, y = np.array([0.8, 0.4]), np.array([1.0, 0.0])
    assert nnlib.BinaryCrossEntropy().forward(p, y) == pytest.approx(-(np.log(0.8) + np.log(0.6)) / 2)
    z = np.log(p / (1 - p))
    assert nnlib.BinaryCrossEntropy(from_logits=True).forward(z, y) == pytest.approx(
        -(np.log(0.8) + np.log(0.6)) / 2)
    Z = np.array([[2.0, 1.0, 0.0], [0.0, 0.0, 0.0]])
    expected = -(np.log(np.exp(2) / np.exp([2, 1, 0]).sum()) + np.log(1 / 3)) / 2
    sce = nnlib.SoftmaxCrossEntropy()
    assert sce.forward(Z, np.array([0, 2])) == pytest.approx(expected)
    assert sce.forward(Z, np.eye(3)[[0, 2]]) == pytest.approx(expected)
    P = np.exp(Z) / np.exp(Z).sum(axis=1, keepdims=True)
    np.testing.assert_allclose(sce.backward(), (P - np.eye(3)[[0, 2]]) / 2)


def test_penalties():
    W = {"a": np.array([[1.0, -2.0]]), "b": np.array([3.0])}
    value, grads = nnlib.l2_penalty(W, 0.1)
    assert value == pytest.approx(0.1 * 14)
    np.testing.assert_allclose(grads["a"], [[0.2, -0.4]])
    value, grads = nnlib.l1_penalty(W, 0.1)
    assert value == pytest.approx(0.6)
    np.testing.assert_allclose(grads["b"], [0.1])
    with pytest.raises(ValueError):
        nnlib.l2_penalty(W, -1.0)
