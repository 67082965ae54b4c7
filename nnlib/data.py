"""Data helpers: splits, standardisation, mini-batches, and small datasets.

Rows are samples: X has shape (n, d), labels y have shape (n,).
Randomness comes only from an explicit ``rng`` (np.random.Generator).
Chapters: book/foundations/training-a-neuron.md (splits, standardisation,
mini-batches), book/foundations/neurons.md (the toy sets and the perceptron).

X may be a list or an int/bool array (converted to float64, see
:mod:`nnlib._validate`); an X with no rows is refused where a statistic or a
split of the rows is asked for.
"""

import numpy as np

from . import _validate


def _check_pair(X, y):
    X = _validate.as_float_array(X, "X")
    _validate.check_ndim(X, 2, "X")
    _validate.check_nonempty(X, "X", "there are no rows to split")
    _validate.check_finite(X, "X")
    y = np.asarray(y)
    if y.ndim == 0 or len(y) != len(X):
        raise ValueError(f"X and y must have the same number of rows, got {len(X)} and "
                         f"{len(y) if y.ndim else 'a scalar'}")
    return X, y


def train_val_test_split(X, y, *, rng, fractions=(0.6, 0.2, 0.2)):
    """Shuffle the rows and split them into train / validation / test parts (60/20/20 by default).

    X (n, d), y (n,) or (n, k). Returns (X_tr, y_tr, X_val, y_val, X_te, y_te);
    the train and validation sizes are round(fraction * n), the test part gets the rest.
    Chapter: book/foundations/training-a-neuron.md.
    """
    X, y = _check_pair(X, y)
    _validate.check_rng(rng)
    fractions = tuple(fractions)
    if len(fractions) != 3 or min(fractions) < 0 or not np.isclose(sum(fractions), 1.0):
        raise ValueError(f"fractions must be three non-negative numbers summing to 1, got {fractions}")
    n = len(X)
    order = rng.permutation(n)
    n_tr, n_val = round(fractions[0] * n), round(fractions[1] * n)
    parts = np.split(order, [n_tr, n_tr + n_val])
    return tuple(a[idx] for idx in parts for a in (X, y))


class Standardizer:
    """Per-column standardisation x' = (x - mean_) / std_ (book/foundations/training-a-neuron.md).

    fit(X) learns mean_ and std_ (shape (d,)) from X (n, d), usually the
    training split only; columns with zero variance keep scale 1 (std_ = 1).
    transform(X) applies them to any X (m, d).
    """

    def fit(self, X):
        """Learn mean_ and std_ from X (n, d), n >= 1; returns self."""
        X = _validate.as_float_array(X, "X")
        _validate.check_ndim(X, 2, "X")
        _validate.check_nonempty(X, "X", "the mean and standard deviation need at least one row")
        _validate.check_finite(X, "X")
        self.mean_ = X.mean(axis=0)
        std = X.std(axis=0)
        self.std_ = np.where(std > 0, std, 1.0).astype(X.dtype)
        return self

    def transform(self, X):
        """Return (X - mean_) / std_, shape (m, d)."""
        if not hasattr(self, "mean_"):
            raise RuntimeError("Standardizer.transform called before fit: run fit(X_train) first")
        X = _validate.as_float_array(X, "X")
        _validate.check_features(X, len(self.mean_), "X")
        _validate.check_finite(X, "X")
        return (X - self.mean_) / self.std_

    def fit_transform(self, X):
        """fit(X) then transform(X)."""
        return self.fit(X).transform(X)

    def inverse_transform(self, X):
        """Undo transform: X * std_ + mean_."""
        if not hasattr(self, "mean_"):
            raise RuntimeError("Standardizer.inverse_transform called before fit: run fit(X_train) first")
        X = _validate.as_float_array(X, "X")
        _validate.check_features(X, len(self.mean_), "X")
        return X * self.std_ + self.mean_


def minibatches(X, Y, batch_size, *, rng=None):
    """Yield (X_b, Y_b) mini-batches of ``batch_size`` rows (the last one may be smaller).

    With ``rng`` the rows are shuffled first (a fresh permutation per call, i.e.
    per epoch); without it they come in order. X (n, d), Y (n,) or (n, k); lists
    are turned into arrays (dtypes kept). An X with 0 rows yields no batches.
    Chapter: book/foundations/training-a-neuron.md.
    """
    _validate.check_positive_int(batch_size, "batch_size")
    if rng is not None:
        _validate.check_rng(rng)
    X, Y = np.asarray(X), np.asarray(Y)
    if X.ndim == 0 or Y.ndim == 0:
        raise ValueError(f"X and Y must be arrays with one row per sample, got shapes {X.shape} and {Y.shape}")
    n = len(X)
    if len(Y) != n:
        raise ValueError(f"X and Y must have the same number of rows, got {n} and {len(Y)}")
    if rng is not None:
        order = rng.permutation(n)
        X, Y = X[order], Y[order]
    for start in range(0, n, batch_size):
        yield X[start:start + batch_size], Y[start:start + batch_size]


def one_hot(y, k):
    """Integer labels y (n,) in [0, k) -> one-hot matrix (n, k) of float64 (Part II: softmax)."""
    y = np.asarray(y)
    _validate.check_positive_int(k, "k")
    _validate.check_labels(y, k, "y")
    Y = np.zeros((len(y), k))
    Y[np.arange(len(y)), y] = 1.0
    return Y


def load_digits():
    """The 8x8 handwritten digits shipped with scikit-learn (no download).

    Returns X (1797, 64) float64 with pixel values scaled to [0, 1] and
    y (1797,) int64 in 0..9. Used for real data from book/foundations/backpropagation.md on.
    """
    from sklearn.datasets import load_digits as _sklearn_digits

    bunch = _sklearn_digits()
    return bunch.data.astype(np.float64) / 16.0, bunch.target.astype(np.int64)


def _shuffled(X, y, rng):
    order = rng.permutation(len(X))
    return X[order], y[order]


def _class_sizes(n, classes):
    _validate.check_positive_int(n, "n")
    return [n // classes + (c < n % classes) for c in range(classes)]


def make_blobs2d(n, *, rng, separation=3.0):
    """Two linearly separable 2-D classes: X (n, 2), y (n,) in {0, 1}.

    Points are uniform in two unit discs whose centres lie ``separation``
    apart on the diagonal; separation > 2 guarantees a gap of width
    separation - 2 between the classes (so the perceptron converges). Chapter: book/foundations/neurons.md.
    """
    _validate.check_rng(rng)
    if not separation > 2:
        raise ValueError(f"separation must be > 2 for the discs to be separable, got {separation!r}")
    sizes = _class_sizes(n, 2)
    centre = np.array([1.0, 1.0]) * separation / (2 * np.sqrt(2))
    Xs = []
    for c, m in enumerate(sizes):
        radius, angle = np.sqrt(rng.random(m)), 2 * np.pi * rng.random(m)
        disc = radius[:, None] * np.column_stack([np.cos(angle), np.sin(angle)])
        Xs.append(disc + (centre if c == 1 else -centre))
    y = np.repeat([0, 1], sizes)
    return _shuffled(np.vstack(Xs), y, rng)


def make_moons(n, *, rng, noise=0.1):
    """Two interleaving half circles: X (n, 2), y (n,) in {0, 1}, plus N(0, noise^2) jitter.

    Not linearly separable; used for small MLPs from book/foundations/mlp-notation.md on.
    """
    _validate.check_rng(rng)
    _validate.check_non_negative(noise, "noise")
    m0, m1 = _class_sizes(n, 2)
    t0, t1 = np.pi * rng.random(m0), np.pi * rng.random(m1)
    upper = np.column_stack([np.cos(t0), np.sin(t0)])
    lower = np.column_stack([1 - np.cos(t1), 0.5 - np.sin(t1)])
    X = np.vstack([upper, lower]) + noise * rng.standard_normal((n, 2))
    return _shuffled(X, np.repeat([0, 1], [m0, m1]), rng)


def make_spirals(n, *, rng, noise=0.1, classes=2):
    """``classes`` interleaved spiral arms: X (n, 2), y (n,) in 0..classes-1.

    Arm c has points at radius r in [0, 1] and angle 3 pi r + 2 pi c / classes,
    plus N(0, noise^2) jitter on each coordinate. Used for small MLPs from book/foundations/mlp-notation.md on.
    """
    _validate.check_rng(rng)
    _validate.check_non_negative(noise, "noise")
    _validate.check_positive_int(classes, "classes")
    sizes = _class_sizes(n, classes)
    Xs = []
    for c, m in enumerate(sizes):
        r = rng.random(m)
        angle = 3 * np.pi * r + 2 * np.pi * c / classes
        Xs.append(r[:, None] * np.column_stack([np.cos(angle), np.sin(angle)]))
    X = np.vstack(Xs) + noise * rng.standard_normal((n, 2))
    return _shuffled(X, np.repeat(np.arange(classes), sizes), rng)


def make_xor(n, *, rng, noise=0.1):
    """The XOR problem: X (n, 2) around the corners (+-1, +-1), y = 1 when the corner's signs differ.

    Each point is a random corner plus N(0, noise^2) jitter; not linearly separable, so a
    single neuron cannot learn it (book/foundations/neurons.md).
    """
    _validate.check_rng(rng)
    _validate.check_non_negative(noise, "noise")
    _validate.check_positive_int(n, "n")
    corners = rng.choice([-1.0, 1.0], size=(n, 2))
    y = (corners[:, 0] != corners[:, 1]).astype(np.int64)
    return corners + noise * rng.standard_normal((n, 2)), y
