"""Shared input checks with clear error messages.

Every public entry point of nnlib calls these, so a wrong shape, a NaN or an
invalid hyper-parameter fails early with a ``ValueError`` that names the
problem, instead of producing garbage three layers later. The checks are cheap
(shape comparisons); the full finiteness scan runs once per call at the
boundaries (model input, loss targets, data helpers), never inside the
per-layer hot path.
"""

import numpy as np


def as_float_array(X, name="X"):
    """Return ``X`` as a floating-point array: float32/float64 kept, anything else becomes float64."""
    X = np.asarray(X)
    if X.dtype.kind != "f":
        X = X.astype(np.float64)
    return X


def check_finite(X, name="X"):
    """Raise ValueError if ``X`` contains NaN or +/-inf.

    Fast path: any NaN or inf makes the sum non-finite, and summing needs no
    temporary array. Only when the sum is not finite (a bad value, or finite
    values whose sum overflows) are the entries examined one by one.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        total = np.sum(X)
    if not np.isfinite(total) and not np.isfinite(X).all():
        bad = int(np.size(X) - np.count_nonzero(np.isfinite(X)))
        raise ValueError(f"{name} contains {bad} non-finite value(s) (NaN or inf)")


def check_ndim(X, ndim, name="X", expected="(n, d)"):
    """Raise ValueError unless ``X.ndim == ndim``; ``expected`` describes the wanted shape."""
    if X.ndim != ndim:
        raise ValueError(f"{name} must have shape {expected}, got shape {X.shape}")


def check_features(X, n_features, name="X"):
    """Raise ValueError unless ``X`` has shape (n, n_features)."""
    if X.ndim != 2 or X.shape[1] != n_features:
        raise ValueError(f"{name} must have shape (n, {n_features}), got shape {X.shape}")


def check_same_shape(A, B, name_a, name_b):
    """Raise ValueError unless ``A`` and ``B`` have the same shape."""
    if A.shape != B.shape:
        raise ValueError(f"{name_b} must have the shape of {name_a}, expected {A.shape}, got {B.shape}")


def check_positive(value, name):
    """Raise ValueError unless ``value`` is a finite number > 0."""
    if not (np.isscalar(value) and np.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")


def check_non_negative(value, name):
    """Raise ValueError unless ``value`` is a finite number >= 0."""
    if not (np.isscalar(value) and np.isfinite(value) and value >= 0):
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")


def check_unit_interval(value, name):
    """Raise ValueError unless ``0 <= value < 1`` (dropout p, momentum beta, decay rho)."""
    if not (np.isscalar(value) and np.isfinite(value) and 0 <= value < 1):
        raise ValueError(f"{name} must lie in [0, 1), got {value!r}")


def check_positive_int(value, name):
    """Raise ValueError unless ``value`` is an integer >= 1."""
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < 1:
        raise ValueError(f"{name} must be an integer >= 1, got {value!r}")


def check_rng(rng, name="rng"):
    """Raise TypeError unless ``rng`` is a ``np.random.Generator`` (nnlib never uses global random state)."""
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"{name} must be a np.random.Generator (e.g. np.random.default_rng(0)), "
                        f"got {type(rng).__name__}")


def check_labels(y, n_classes, name="y"):
    """Raise ValueError unless ``y`` is a 1-D integer array with values in [0, n_classes)."""
    if y.ndim != 1:
        raise ValueError(f"{name} must be integer labels of shape (n,), got shape {y.shape}")
    if y.dtype.kind not in "iu":
        raise ValueError(f"{name} must hold integer class labels, got dtype {y.dtype}")
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        raise ValueError(f"{name} must hold labels in [0, {n_classes}), got values in [{y.min()}, {y.max()}]")
