"""Gradient checking with centred finite differences (book/foundations/backpropagation.md).

The analytic gradient from ``backward`` is compared with
(f(x + h e_i) - f(x - h e_i)) / (2h) for every entry i; the error of that
estimate is O(h^2), so in float64 with h = 1e-6 a correct backward agrees to
about 1e-8 or better in relative terms, while a wrong one is off by O(1).
Use float64 throughout: in float32 the rounding error swamps the estimate.
The checks (check_layer, check_model) therefore refuse parameters that are
not float64 with a TypeError rather than silently giving a meaningless
verdict; numerical_gradient itself also takes a float32 ``x`` (the chapter
shows on purpose what float32 does to the estimate) but refuses integer
arrays, which cannot hold x + h. Inputs that are copied (X, Y_hat) may be
lists or int arrays and are converted to float64.
"""

import numpy as np

from . import _validate


def numerical_gradient(f, x, h=1e-6):
    """Centred-difference gradient of the scalar function ``f()`` with respect to the array ``x``.

    ``f`` takes no arguments and reads ``x``; each entry of ``x`` (a float
    array, float64 unless you want to see float32's rounding) is perturbed in
    place by +h and -h and then restored. Returns a float64 array shaped like x.
    Chapter: book/foundations/backpropagation.md.
    """
    if not callable(f):
        raise TypeError(f"f must be a function of no arguments returning a float, got {type(f).__name__}")
    if type(x) is not np.ndarray or not np.issubdtype(x.dtype, np.floating):
        got = _validate.describe(x) if isinstance(x, np.ndarray) else type(x).__name__
        raise TypeError(f"x must be a float NumPy array, float64 for a meaningful estimate (it is perturbed in "
                        f"place by h; an integer array cannot hold x + h), got {got}")
    _validate.check_positive(h, "h")
    grad = np.zeros(x.shape)
    for i in np.ndindex(x.shape):
        original = x[i]
        x[i] = original + h
        f_plus = f()
        x[i] = original - h
        f_minus = f()
        x[i] = original
        grad[i] = (f_plus - f_minus) / (2 * h)
    return grad


def relative_error(a, b):
    """Scale-aware error between two arrays of the same shape:

    max_i |a_i - b_i| / max( max_i (|a_i| + |b_i|), 1e-300 ).

    It is 0 for identical arrays, at most 1, and small entries of a large
    gradient are judged against the gradient's overall scale (so an entry
    that should be 1e-12 is not failed for being 1e-11). Chapter: book/foundations/backpropagation.md.
    """
    a = _validate.as_float_array(a, "a").astype(np.float64, copy=False)
    b = _validate.as_float_array(b, "b").astype(np.float64, copy=False)
    if a.shape != b.shape:
        raise ValueError(f"a and b must have the same shape, got {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    scale = max(float(np.max(np.abs(a) + np.abs(b))), 1e-300)
    return float(np.max(np.abs(a - b)) / scale)


def _as_float64_copy(X, name):
    """A float64 copy of X (lists and int arrays converted; strings, complex numbers refused)."""
    return _validate.as_float_array(X, name).astype(np.float64)


def _check_float64_parameters(params, owner):
    """Refuse parameters that are not float64: a check in float32 would give a meaningless verdict."""
    for name, p in params.items():
        if not (isinstance(p, np.ndarray) and p.dtype == np.float64):
            raise TypeError(f"{owner}: parameter {name!r} must be a float64 NumPy array to be checked (in float32 "
                            f"the finite-difference estimate is dominated by rounding), got "
                            f"{_validate.describe(p) if isinstance(p, np.ndarray) else type(p).__name__}")


class _FrozenRandomness:
    """Restores the state of every layer's ``rng`` before each forward, so Dropout draws the same mask."""

    def __init__(self, layers):
        self.saved = [(layer.rng, layer.rng.bit_generator.state) for layer in layers if hasattr(layer, "rng")]

    def reset(self):
        for rng, state in self.saved:
            rng.bit_generator.state = state


def check_layer(layer, X, *, rng, training=True):
    """Relative errors of a layer's backward: {"X": error of dX, name: error of grads[name], ...}.

    X (n, d) is copied to float64. The scalar checked is f = sum(forward(X) * G)
    for a random G (same shape as the output) drawn from ``rng``, whose exact
    gradients are backward(G) and the filled grads. Chapter: book/foundations/backpropagation.md.
    """
    _validate.check_rng(rng)
    _check_float64_parameters(layer.params, "check_layer")
    X = _as_float64_copy(X, "X")
    frozen = _FrozenRandomness([layer])
    G = rng.standard_normal(layer.forward(X, training).shape)

    def f():
        frozen.reset()
        return float(np.sum(layer.forward(X, training) * G))

    f()
    dX = layer.backward(G)
    grads = {name: g.copy() for name, g in layer.grads.items()}
    errors = {"X": relative_error(dX, numerical_gradient(f, X))}
    for name, p in layer.params.items():
        errors[name] = relative_error(grads[name], numerical_gradient(f, p))
    return errors


def check_loss(loss, Y_hat, Y):
    """Relative error of loss.backward() against finite differences of loss.forward(Y_hat, Y).

    Y_hat (n,) or (n, k) is copied to float64; Y as the loss expects. Chapter: book/foundations/backpropagation.md.
    """
    Y_hat = _as_float64_copy(Y_hat, "Y_hat")
    loss.forward(Y_hat, Y)
    analytic = loss.backward()
    return relative_error(analytic, numerical_gradient(lambda: loss.forward(Y_hat, Y), Y_hat))


def check_model(model, loss, X, Y, *, training=True):
    """Relative error of every parameter gradient of ``model`` under ``loss``: {"0.W": error, ...}.

    The scalar checked is loss.forward(model.forward(X, training), Y) plus model.activity_penalty(). Layers
    with an ``rng`` (Dropout) see the same random draws in every evaluation.
    X (n, d) is copied to float64. Chapter: book/foundations/backpropagation.md.
    """
    _check_float64_parameters(model.parameters(), "check_model")
    X = _as_float64_copy(X, "X")
    frozen = _FrozenRandomness(model.layers)

    def f():
        frozen.reset()
        return loss.forward(model.forward(X, training), Y) + model.activity_penalty()

    f()
    model.backward(loss.backward())
    grads = {key: g.copy() for key, g in model.gradients().items()}
    return {key: relative_error(grads[key], numerical_gradient(f, p)) for key, p in model.parameters().items()}
