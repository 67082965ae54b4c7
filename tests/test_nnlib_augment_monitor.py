"""Augmentation of 8x8 digits, the L1 proximal step and the per-layer gradient-norm monitor (Part II)."""

import numpy as np
import pytest

import nnlib


def test_integer_shift_moves_pixels_exactly_with_zero_fill():
    img = np.arange(1.0, 65.0).reshape(8, 8)
    right = nnlib.transform_images(img.reshape(1, 64), dx=1).reshape(8, 8)
    np.testing.assert_array_equal(right[:, 1:], img[:, :-1])
    np.testing.assert_array_equal(right[:, 0], 0.0)
    down_left = nnlib.transform_images(img.reshape(1, 64), dx=-2, dy=1).reshape(8, 8)
    np.testing.assert_array_equal(down_left[1:, :-2], img[:-1, 2:])
    np.testing.assert_array_equal(down_left[0], 0.0)


def test_rotation_by_quarter_turns_matches_rot90_and_zero_is_identity():
    rng = np.random.default_rng(0)
    X = rng.random((3, 64))
    np.testing.assert_allclose(nnlib.transform_images(X, degrees=0.0), X, atol=1e-12)
    turned = nnlib.transform_images(X, degrees=90.0).reshape(3, 8, 8)
    np.testing.assert_allclose(turned, np.rot90(X.reshape(3, 8, 8), axes=(1, 2)), atol=1e-12)
    back = nnlib.transform_images(nnlib.transform_images(X, degrees=30.0), degrees=-30.0)
    centre = np.zeros((8, 8), bool)
    centre[3:5, 3:5] = True                       # the centre survives a round trip almost unchanged
    assert np.abs(back.reshape(3, 8, 8)[:, centre] - X.reshape(3, 8, 8)[:, centre]).max() < 0.5


def test_per_image_parameters_and_small_rotation_keeps_ink():
    X, _ = nnlib.load_digits()
    X = X[:50]
    out = nnlib.transform_images(X, degrees=np.linspace(-10, 10, 50), dx=0, dy=0)
    np.testing.assert_allclose(out[25], nnlib.transform_images(X[25:26], degrees=np.linspace(-10, 10, 50)[25])[0])
    ratio = out.sum(axis=1) / X.sum(axis=1)
    assert np.all((ratio > 0.85) & (ratio < 1.1))      # digits sit inside the frame: little ink is lost


def test_random_shift_rotate_and_augment():
    X, y = nnlib.load_digits()
    X, y = X[:40], y[:40]
    A = nnlib.random_shift_rotate(X, rng=np.random.default_rng(1), max_shift=1, max_degrees=0.0)
    # with no rotation every image is one of the 9 integer shifts of its original
    for a, x in zip(A, X):
        assert any(np.array_equal(a, nnlib.transform_images(x[None], dx=i, dy=j)[0])
                   for i in (-1, 0, 1) for j in (-1, 0, 1))
    X_aug, y_aug = nnlib.augment(X, y, rng=np.random.default_rng(2), copies=2)
    assert X_aug.shape == (120, 64) and np.array_equal(y_aug, np.tile(y, 3))
    np.testing.assert_array_equal(X_aug[:40], X)
    assert not np.allclose(X_aug[40:80], X_aug[80:])        # two different random copies


def test_augment_rejects_bad_input():
    with pytest.raises(ValueError, match="64 columns"):
        nnlib.transform_images(np.zeros((2, 10)))
    with pytest.raises(ValueError, match="degrees"):
        nnlib.transform_images(np.zeros((2, 64)), degrees=[1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="max_shift"):
        nnlib.random_shift_rotate(np.zeros((2, 64)), rng=np.random.default_rng(0), max_shift=0.5)
    with pytest.raises(ValueError, match="same number of rows"):
        nnlib.augment(np.zeros((2, 64)), [0], rng=np.random.default_rng(0))


def test_gradient_norm_monitor_records_last_step_and_probe():
    rng = np.random.default_rng(3)
    X, y = rng.standard_normal((40, 5)), rng.integers(0, 3, 40)
    model = nnlib.mlp([5, 8, 8, 3], nnlib.ReLU, rng=rng)
    last = nnlib.GradientNormMonitor()
    seen = []
    probe = nnlib.GradientNormMonitor(probe=(X, y, nnlib.SoftmaxCrossEntropy()))
    nnlib.fit(model, nnlib.SoftmaxCrossEntropy(), nnlib.SGD(0.1), X, y, epochs=4, batch_size=16, rng=rng,
              callbacks=[lambda e, m, h: seen.append(np.linalg.norm(m.gradients()["2.W"])), last, probe])
    assert last.keys == ["0.W", "2.W", "4.W"] and last.norms.shape == (4, 3)
    np.testing.assert_allclose(last.norms[:, 1], seen)         # the last mini-batch's gradient
    # the probe's last row is the full-batch gradient of the trained model, computed independently here
    loss = nnlib.SoftmaxCrossEntropy()
    loss.forward(model.forward(X), y)
    model.backward(loss.backward())
    np.testing.assert_allclose(probe.norms[-1], [np.linalg.norm(model.gradients()[k]) for k in probe.keys])
    assert not np.allclose(probe.norms[-1], last.norms[-1])
    with pytest.raises(ValueError, match="probe"):
        nnlib.GradientNormMonitor(probe=(X, y))


def test_soft_threshold_is_the_l1_proximal_step():
    W = np.array([-2.0, -0.3, 0.0, 0.1, 0.5, 3.0])
    np.testing.assert_allclose(nnlib.soft_threshold(W, 0.5), [-1.5, 0.0, 0.0, 0.0, 0.0, 2.5])
    # it minimises 0.5 (u - w)^2 + t |u| for each entry: compare with a fine grid search
    grid = np.linspace(-4, 4, 80001)
    for w in W:
        best = grid[np.argmin(0.5 * (grid - w) ** 2 + 0.5 * np.abs(grid))]
        assert abs(nnlib.soft_threshold(np.array([w]), 0.5)[0] - best) < 1e-4
    with pytest.raises(ValueError, match="threshold"):
        nnlib.soft_threshold(W, -1.0)
