"""fit(): end to end on digits, the history it records, early stopping, penalties, clipping, divergence."""

import re

import numpy as np
import pytest
from threadpoolctl import threadpool_limits

import nnlib


def mlp(sizes, rng):
    return nnlib.mlp(sizes, nnlib.ReLU, rng=rng, init="he_normal")


def test_mlp_on_digits_reaches_96_percent():
    rng = np.random.default_rng(0)
    X, y = nnlib.load_digits()
    X_tr, y_tr, X_val, y_val, X_te, y_te = nnlib.train_val_test_split(X, y, rng=rng)
    model = mlp([64, 128, 64, 10], rng)
    with threadpool_limits(1):      # small matrices: one BLAS thread is fastest and reproducible
        history = nnlib.fit(model, nnlib.SoftmaxCrossEntropy(), nnlib.Adam(), X_tr, y_tr, epochs=30,
                            batch_size=64, rng=rng, validation=(X_val, y_val))
    test_accuracy = nnlib.accuracy(model, X_te, y_te)
    print(f"digits test accuracy {test_accuracy:.4f}")
    assert test_accuracy >= 0.96
    assert history.train_loss[-1] < history.train_loss[0] / 10
    assert len(history.train_loss) == len(history.val_loss) == len(history.val_accuracy) == 30
    assert len(history.step_loss) == 30 * int(np.ceil(len(X_tr) / 64))


def test_history_train_metrics_are_batch_averages():
    rng = np.random.default_rng(1)
    X, y = rng.standard_normal((10, 3)), np.arange(10) % 3
    history = nnlib.fit(mlp([3, 3], rng), nnlib.SoftmaxCrossEntropy(), nnlib.SGD(0.1), X, y,
                        epochs=2, batch_size=4, rng=rng)
    weights = np.array([4, 4, 2])
    assert history.train_loss[0] == pytest.approx(np.dot(history.step_loss[:3], weights) / 10)
    assert history.train_loss[1] == pytest.approx(np.dot(history.step_loss[3:], weights) / 10)
    assert history.val_loss == [] and history.best_epoch is None and history.stopped_epoch is None
    assert len(history.train_accuracy) == 2


def test_regression_records_no_accuracy():
    rng = np.random.default_rng(2)
    X = rng.standard_normal((40, 2))
    y = X @ np.array([[1.0], [-2.0]]) + 0.5
    model = nnlib.Sequential([nnlib.Dense(2, 1, rng=rng)])
    history = nnlib.fit(model, nnlib.SquaredError(), nnlib.SGD(0.1), X, y, epochs=100, batch_size=8, rng=rng)
    assert history.train_accuracy == []
    np.testing.assert_allclose(model.layers[0].params["W"], [[1.0], [-2.0]], atol=1e-6)
    np.testing.assert_allclose(model.layers[0].params["b"], [0.5], atol=1e-6)


def test_binary_classification_accuracy_thresholds():
    rng = np.random.default_rng(3)
    X, y = nnlib.make_blobs2d(100, rng=rng)
    logits = nnlib.Sequential([nnlib.Dense(2, 1, rng=rng)])
    nnlib.fit(logits, nnlib.BinaryCrossEntropy(from_logits=True), nnlib.SGD(0.5), X, y[:, None],
              epochs=20, batch_size=10, rng=rng)
    assert nnlib.accuracy(logits, X, y) == 1.0
    probs = nnlib.Sequential([nnlib.Dense(2, 1, rng=rng), nnlib.Sigmoid()])
    history = nnlib.fit(probs, nnlib.BinaryCrossEntropy(), nnlib.SGD(0.5), X, y[:, None],
                        epochs=20, batch_size=10, rng=rng)
    assert nnlib.accuracy(probs, X, y) == 1.0 and history.train_accuracy[-1] == 1.0


def test_accuracy_by_hand():
    model = nnlib.Sequential([nnlib.Dense(2, 3, rng=np.random.default_rng(0), init="zeros")])
    model.layers[0].params["W"][:] = np.eye(2, 3)
    X = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, -1.0]])        # argmax -> 0, 1, 2
    assert nnlib.accuracy(model, X, np.array([0, 1, 1])) == pytest.approx(2 / 3)
    assert nnlib.accuracy(model, X, np.eye(3)) == 1.0


def test_early_stopping_restores_the_best_epoch():
    rng = np.random.default_rng(4)
    X, y = rng.standard_normal((60, 5)), rng.integers(0, 2, 60)     # pure noise: validation loss soon rises
    X_val, y_val = rng.standard_normal((30, 5)), rng.integers(0, 2, 30)
    model = mlp([5, 64, 2], rng)
    snapshots = []
    stopper = nnlib.EarlyStopping(patience=3)
    history = nnlib.fit(model, nnlib.SoftmaxCrossEntropy(), nnlib.Adam(0.01), X, y, epochs=200, batch_size=10,
                        rng=rng, validation=(X_val, y_val), early_stopping=stopper,
                        callbacks=[lambda e, m, h: snapshots.append({k: p.copy() for k, p in m.parameters().items()})])
    best, stopped = history.best_epoch, history.stopped_epoch
    assert stopped is not None and stopped < 199 and len(history.val_loss) == stopped + 1
    assert best == int(np.argmin(history.val_loss)) and stopped - best == 3
    for key, p in model.parameters().items():
        np.testing.assert_array_equal(p, snapshots[best][key])


def test_callbacks_and_verbose(capsys):
    rng = np.random.default_rng(5)
    X, y = rng.standard_normal((20, 2)), rng.integers(0, 2, 20)
    seen = []
    nnlib.fit(mlp([2, 2], rng), nnlib.SoftmaxCrossEntropy(), nnlib.SGD(), X, y, epochs=3, batch_size=5, rng=rng,
              validation=(X, y), callbacks=[lambda e, m, h: seen.append((e, len(h.train_loss)))], verbose=True)
    assert seen == [(0, 1), (1, 2), (2, 3)]
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 3 and lines[2].startswith("epoch 3/3") and "val_accuracy" in lines[2]


def test_l2_penalty_shrinks_weights_but_not_biases():
    rng = np.random.default_rng(6)
    X, y = rng.standard_normal((50, 4)), rng.integers(0, 3, 50)
    norms = []
    for l2 in (0.0, 0.1):
        model = mlp([4, 8, 3], np.random.default_rng(7))
        nnlib.fit(model, nnlib.SoftmaxCrossEntropy(), nnlib.SGD(0.1), X, y, epochs=30, batch_size=10,
                  rng=np.random.default_rng(8), l2=l2)
        norms.append(sum(np.sum(model.parameters()[k] ** 2) for k in ("0.W", "2.W")))
    assert norms[1] < 0.5 * norms[0]


def test_l2_penalty_gradient_is_added():
    # one SGD step on one batch: W <- W - lr (dL/dW + 2 l2 W); the bias gets no penalty term
    rng = np.random.default_rng(9)
    X, y = rng.standard_normal((4, 3)), np.array([0, 1, 0, 1])
    reference = mlp([3, 2], np.random.default_rng(10))
    model = mlp([3, 2], np.random.default_rng(10))
    loss = nnlib.SoftmaxCrossEntropy()
    order = np.random.default_rng(11).permutation(4)
    loss.forward(reference.forward(X[order]), y[order])
    reference.backward(loss.backward())
    W0, b0 = reference.layers[0].params["W"].copy(), reference.layers[0].params["b"].copy()
    dW, db = reference.layers[0].grads["W"], reference.layers[0].grads["b"]
    nnlib.fit(model, loss, nnlib.SGD(0.1), X, y, epochs=1, batch_size=4, rng=np.random.default_rng(11), l2=0.5)
    np.testing.assert_allclose(model.layers[0].params["W"], W0 - 0.1 * (dW + 2 * 0.5 * W0))
    np.testing.assert_allclose(model.layers[0].params["b"], b0 - 0.1 * db)


def test_clip_norm_limits_each_step():
    rng = np.random.default_rng(12)
    X, y = 100 * rng.standard_normal((8, 3)), rng.integers(0, 2, 8)
    model = mlp([3, 2], rng)
    before = {k: p.copy() for k, p in model.parameters().items()}
    nnlib.fit(model, nnlib.SoftmaxCrossEntropy(), nnlib.SGD(1.0), X, y, epochs=1, batch_size=8, rng=rng,
              clip_norm=0.01)
    moved = np.sqrt(sum(np.sum((p - before[k]) ** 2) for k, p in model.parameters().items()))
    assert moved == pytest.approx(0.01)          # SGD with lr 1 moves by exactly the clipped norm


def test_nan_loss_names_epoch_and_batch():
    rng = np.random.default_rng(13)
    X, y = rng.standard_normal((20, 2)), rng.integers(0, 2, 20)
    model = mlp([2, 2], rng)

    def poison(epoch, model, history):
        if epoch == 1:
            model.layers[0].params["W"][0, 0] = np.nan

    with pytest.raises(FloatingPointError, match=r"epoch 2, batch 0\b"):
        nnlib.fit(model, nnlib.SoftmaxCrossEntropy(), nnlib.SGD(), X, y, epochs=5, batch_size=5, rng=rng,
                  callbacks=[poison])


def test_overflow_names_epoch_and_batch():
    # One huge but finite row: its squared error overflows to inf in the batch that contains it.
    X = np.ones((40, 1))
    X[17, 0] = 1e200
    y = np.zeros((40, 1))
    seed, batch_size = 21, 8
    position = int(np.flatnonzero(np.random.default_rng(seed).permutation(40) == 17)[0])
    model = nnlib.Sequential([nnlib.Dense(1, 1, rng=np.random.default_rng(0), init="constant")])
    with pytest.raises(FloatingPointError) as info:
        nnlib.fit(model, nnlib.SquaredError(), nnlib.SGD(1e-3), X, y, epochs=3, batch_size=batch_size,
                  rng=np.random.default_rng(seed))
    assert re.search(rf"epoch 0, batch {position // batch_size}\b", str(info.value)), str(info.value)


def test_diverging_learning_rate_is_stopped():
    rng = np.random.default_rng(14)
    X = rng.standard_normal((64, 3))
    y = X @ rng.standard_normal((3, 1))
    model = nnlib.Sequential([nnlib.Dense(3, 1, rng=rng)])
    with pytest.raises(FloatingPointError, match=r"epoch \d+, batch \d+"):
        nnlib.fit(model, nnlib.SquaredError(), nnlib.SGD(50.0), X, y, epochs=500, batch_size=8, rng=rng)
