"""Shared input checks with clear error messages: the one mechanism behind nnlib's input contract.

Every public entry point of nnlib calls these, so bad input fails early with a
``TypeError`` (wrong kind of thing) or ``ValueError`` (right kind, wrong value)
whose message names the argument, what was expected and what was given, instead
of a cryptic NumPy error or garbage three layers later. The rules
(tests/test_nnlib_contract.py lists them case by case):

* Numbers: float arrays are used as they are (float32 stays float32); Python
  lists and int or bool arrays are converted to float64; strings, complex
  numbers, dates and other objects are refused. Two places refuse integers:
  a loss's predictions (an integer array there is labels passed by mistake) and
  arrays that are changed in place (parameters, gradient-check inputs).
* Empty input: a mean over no samples (losses, BatchNorm's batch statistics,
  ``fit``, ``accuracy``, ``Standardizer.fit``) is refused; layers pass 0 rows through.
* Hyper-parameters: a number of the wrong type (``"0.1"``, ``True``, ``None``)
  is a TypeError, a number out of range a ValueError.

The hot path stays cheap: a float NumPy array passes ``as_float_array`` after
one type and one dtype test, layers only compare shapes, and the full
finiteness scan runs once per call at the boundaries (model input, loss
targets, optimiser steps called directly), never per layer or per step of ``fit``.
"""

import numpy as np

_KIND_NAMES = {"U": "strings", "S": "bytes", "c": "complex numbers", "O": "Python objects", "M": "dates",
               "m": "time spans", "V": "raw records", "b": "booleans", "i": "integers", "u": "integers"}


def _where(owner):
    return f"{type(owner).__name__}: " if owner is not None else ""


def describe(X):
    """Short description of an array's dtype for error messages, e.g. 'dtype <U3 (strings)'."""
    kind = _KIND_NAMES.get(X.dtype.kind)
    return f"dtype {X.dtype}" + (f" ({kind})" if kind else "")


def as_float_array(X, name="X", *, integers=True, owner=None):
    """Return ``X`` as a floating-point NumPy array.

    Float arrays are returned as they are (float32 stays float32). Python
    lists and int/bool arrays become float64, or with ``integers=False`` are
    refused (TypeError). Strings, complex numbers and objects are refused
    (TypeError); ragged nested lists too (ValueError). ``owner`` (a layer or
    loss) is named in the message.
    """
    if type(X) is np.ndarray and X.dtype.kind == "f":      # the hot path: one type test, one dtype test
        return X
    try:
        X = np.asarray(X)
    except ValueError as err:
        raise ValueError(f"{_where(owner)}{name} must be a rectangular array of numbers, "
                         f"got a ragged {type(X).__name__}") from err
    kind = X.dtype.kind
    if kind == "f":
        return X
    if kind in "biu":
        if integers:
            return X.astype(np.float64)
        raise TypeError(f"{_where(owner)}{name} must hold floating-point values, got {describe(X)}; "
                        "an integer array here is usually labels passed in the wrong place")
    raise TypeError(f"{_where(owner)}{name} must hold real numbers (float, int or bool), got {describe(X)}")


def check_array(X, name, owner=None):
    """Raise TypeError unless ``X`` is a NumPy array of real numbers (for arrays nnlib produces itself, e.g. dY)."""
    if type(X) is not np.ndarray or X.dtype.kind not in "biuf":
        got = describe(X) if isinstance(X, np.ndarray) else type(X).__name__
        raise TypeError(f"{_where(owner)}{name} must be a NumPy array of real numbers, got {got}")


def check_float_dtype(dtype, name="dtype"):
    """Raise TypeError unless ``dtype`` names a floating-point dtype (float32 or float64); return it."""
    try:
        kind = np.dtype(dtype).kind
    except TypeError as err:
        raise TypeError(f"{name} must be a floating-point dtype such as np.float64, got {dtype!r}") from err
    if kind != "f":
        raise TypeError(f"{name} must be a floating-point dtype such as np.float64, got {np.dtype(dtype)}")
    return dtype


def check_nonempty(X, name, why, owner=None):
    """Raise ValueError if ``X`` has no rows (or, for a 0-d array, no entries); ``why`` says what needs them."""
    if X.ndim == 0 or X.shape[0] == 0 or X.size == 0:
        raise ValueError(f"{_where(owner)}{name} is empty (shape {X.shape}): {why}")


def check_finite(X, name="X", owner=None):
    """Raise ValueError if ``X`` contains NaN or +/-inf.

    Fast path: any NaN or inf makes the sum non-finite, and summing needs no
    temporary array. Only when the sum is not finite (a bad value, or finite
    values whose sum overflows) are the entries examined one by one.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        total = np.sum(X)
    if not np.isfinite(total) and not np.isfinite(X).all():
        bad = int(np.size(X) - np.count_nonzero(np.isfinite(X)))
        raise ValueError(f"{_where(owner)}{name} contains {bad} non-finite value(s) (NaN or inf)")


def check_ndim(X, ndim, name="X", expected="(n, d)", owner=None):
    """Raise ValueError unless ``X.ndim == ndim``; ``expected`` describes the wanted shape."""
    if X.ndim != ndim:
        raise ValueError(f"{_where(owner)}{name} must have shape {expected}, got shape {X.shape}")


def check_features(X, n_features, name="X", owner=None):
    """Raise ValueError unless ``X`` has shape (n, n_features)."""
    if X.ndim != 2 or X.shape[1] != n_features:
        raise ValueError(f"{_where(owner)}{name} must have shape (n, {n_features}), got shape {X.shape}")


def check_same_shape(A, B, name_a, name_b):
    """Raise ValueError unless ``A`` and ``B`` have the same shape."""
    if A.shape != B.shape:
        raise ValueError(f"{name_b} must have the shape of {name_a}, expected {A.shape}, got {B.shape}")


def check_in_range(X, low, high, name, hint="", owner=None):
    """Raise ValueError unless every entry of ``X`` lies in [low, high]; ``hint`` is appended to the message."""
    lo, hi = X.min(), X.max()
    if lo < low or hi > high:
        raise ValueError(f"{_where(owner)}{name} must lie in [{low}, {high}], got values in [{lo:.4g}, {hi:.4g}]"
                         + (f"; {hint}" if hint else ""))


def check_real(value, name):
    """Raise TypeError unless ``value`` is a real number (int or float; not bool, str or None)."""
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise TypeError(f"{name} must be a real number, got {type(value).__name__} {value!r}")


def check_bool(value, name):
    """Raise TypeError unless ``value`` is True or False."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {type(value).__name__} {value!r}")


def check_positive(value, name):
    """Raise ValueError unless ``value`` is a finite number > 0 (TypeError if it is not a number)."""
    check_real(value, name)
    if not (np.isfinite(value) and value > 0):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")


def check_non_negative(value, name):
    """Raise ValueError unless ``value`` is a finite number >= 0 (TypeError if it is not a number)."""
    check_real(value, name)
    if not (np.isfinite(value) and value >= 0):
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")


def check_unit_interval(value, name):
    """Raise ValueError unless ``0 <= value < 1`` (dropout p, momentum beta, decay rho); TypeError if not a number."""
    check_real(value, name)
    if not (np.isfinite(value) and 0 <= value < 1):
        raise ValueError(f"{name} must lie in [0, 1), got {value!r}")


def check_positive_int(value, name):
    """Raise ValueError unless ``value`` is an integer >= 1 (TypeError if it is not a number at all)."""
    check_real(value, name)
    if not isinstance(value, (int, np.integer)) or value < 1:
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
        raise ValueError(f"{name} must hold integer class labels, got {describe(y)}")
    if y.size and (y.min() < 0 or y.max() >= n_classes):
        raise ValueError(f"{name} must hold labels in [0, {n_classes}), got values in [{y.min()}, {y.max()}]")


def check_dict(value, name):
    """Raise TypeError unless ``value`` is a dict (params, grads, weights: name -> array)."""
    if not isinstance(value, dict):
        raise TypeError(f"{name} must be a dict of name -> array, got {type(value).__name__}")


def as_gradients(grads, params=None):
    """Check a dict of gradients and return it with every value a finite float array.

    Lists and int arrays are converted (gradients are only read). With ``params``
    (the dict an optimiser updates in place) the keys must match, every
    parameter must be a float NumPy array (an int array cannot take a
    fractional update in place: refused) and each gradient must have its
    parameter's shape. NaN or inf in a gradient is refused, naming the key.
    """
    check_dict(grads, "grads")
    if params is not None:
        check_dict(params, "params")
        if params.keys() != grads.keys():
            raise ValueError(f"params and grads must have the same keys, got {sorted(params)} and {sorted(grads)}")
    checked = {}
    for key, g in grads.items():
        if type(g) is not np.ndarray or g.dtype.kind != "f":
            g = as_float_array(g, f"grads[{key!r}]")
        if params is not None:
            theta = params[key]
            if type(theta) is not np.ndarray or theta.dtype.kind != "f":
                got = describe(theta) if isinstance(theta, np.ndarray) else type(theta).__name__
                raise TypeError(f"params[{key!r}] must be a floating-point NumPy array (it is updated in place), "
                                f"got {got}")
            if g.shape != theta.shape:
                raise ValueError(f"grads[{key!r}] must have shape {theta.shape}, got {g.shape}")
        check_finite(g, f"grads[{key!r}]")
        checked[key] = g
    return checked
