"""Data helpers and toy datasets, and the perceptron that the toy sets are made for."""

import numpy as np
import pytest

import nnlib


def test_split_sizes_and_disjointness():
    X = np.arange(100.0).reshape(50, 2)
    y = np.arange(50)
    parts = nnlib.train_val_test_split(X, y, rng=np.random.default_rng(0))
    X_tr, y_tr, X_val, y_val, X_te, y_te = parts
    assert (len(X_tr), len(X_val), len(X_te)) == (30, 10, 10)
    assert sorted(np.concatenate([y_tr, y_val, y_te]).tolist()) == list(range(50))
    np.testing.assert_array_equal(X_tr[:, 0], 2 * y_tr)          # rows stay paired with their labels
    with pytest.raises(ValueError, match="fractions"):
        nnlib.train_val_test_split(X, y, rng=np.random.default_rng(0), fractions=(0.5, 0.2, 0.2))


def test_standardizer():
    X = np.array([[1.0, 5.0, 2.0], [3.0, 5.0, 4.0], [5.0, 5.0, 9.0]])
    s = nnlib.Standardizer().fit(X)
    Z = s.transform(X)
    np.testing.assert_allclose(Z.mean(axis=0), 0, atol=1e-15)
    np.testing.assert_allclose(Z.std(axis=0), [1, 0, 1])
    assert s.std_[1] == 1.0                                          # zero variance: scale 1
    np.testing.assert_allclose(s.inverse_transform(Z), X)
    with pytest.raises(ValueError, match=r"\(n, 3\).*\(2, 2\)"):
        s.transform(np.zeros((2, 2)))
    with pytest.raises(RuntimeError, match="before fit"):
        nnlib.Standardizer().transform(X)


def test_minibatches():
    X, Y = np.arange(10.0)[:, None], np.arange(10)
    batches = list(nnlib.minibatches(X, Y, 4))
    assert [len(b[1]) for b in batches] == [4, 4, 2]
    np.testing.assert_array_equal(np.concatenate([b[1] for b in batches]), Y)
    shuffled = list(nnlib.minibatches(X, Y, 4, rng=np.random.default_rng(0)))
    order = np.concatenate([b[1] for b in shuffled])
    assert sorted(order.tolist()) == list(range(10)) and order.tolist() != list(range(10))
    assert all((xb[:, 0] == yb).all() for xb, yb in shuffled)
    with pytest.raises(ValueError, match="batch_size"):
        list(nnlib.minibatches(X, Y, 0))


def test_one_hot():
    np.testing.assert_array_equal(nnlib.one_hot([2, 0], 3), [[0, 0, 1], [1, 0, 0]])
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        nnlib.one_hot([3], 3)


def test_load_digits():
    X, y = nnlib.load_digits()
    assert X.shape == (1797, 64) and X.dtype == np.float64 and y.shape == (1797,)
    assert X.min() == 0.0 and X.max() == 1.0
    assert set(np.unique(y)) == set(range(10))


@pytest.mark.parametrize("make, classes", [(nnlib.make_blobs2d, 2), (nnlib.make_moons, 2),
                                           (nnlib.make_xor, 2),
                                           (lambda n, rng: nnlib.make_spirals(n, rng=rng, classes=3), 3)])
def test_toy_sets(make, classes):
    X, y = make(101, rng=np.random.default_rng(0))
    assert X.shape == (101, 2) and y.shape == (101,)
    assert set(np.unique(y)) == set(range(classes))
    X2, y2 = make(101, rng=np.random.default_rng(0))
    np.testing.assert_array_equal(X, X2)


def test_xor_labels():
    X, y = nnlib.make_xor(200, rng=np.random.default_rng(0), noise=0.0)
    np.testing.assert_array_equal(y, (X[:, 0] * X[:, 1] < 0).astype(int))


def test_perceptron_rule_by_hand():
    p = nnlib.Perceptron(2, lr=0.5)
    X, y = np.array([[1.0, 2.0], [-1.0, 0.0]]), np.array([0, 1])
    mistakes = p.fit(X, y, max_epochs=1)
    # sample 1: yhat = step(0) = 1, wrong -> w = -0.5*[1, 2] = [-0.5, -1], b = -0.5
    # sample 2: yhat = step(0.5 - 0.5) = step(0) = 1, right -> unchanged
    assert mistakes == [1]
    np.testing.assert_allclose(p.w, [-0.5, -1.0])
    assert p.b == -0.5


def test_perceptron_converges_on_separable_blobs():
    X, y = nnlib.make_blobs2d(200, rng=np.random.default_rng(1))
    p = nnlib.Perceptron(2)
    mistakes = p.fit(X, y)
    assert mistakes[-1] == 0 and len(mistakes) < 100
    np.testing.assert_array_equal(p.predict(X), y)


def test_perceptron_cannot_fit_xor():
    X, y = nnlib.make_xor(100, rng=np.random.default_rng(2))
    mistakes = nnlib.Perceptron(2).fit(X, y, max_epochs=20)
    assert len(mistakes) == 20 and min(mistakes) > 0
