"""Activation functions, their derivatives, and the matching layers.

Functional forms take an array z of any shape (softmax: rows of a 2-D array,
or one 1-D vector) and return an array of the same shape and float dtype
(float32 stays float32; lists, integers and booleans become float64, so an
integer input gives exactly the float result; strings and complex numbers are
refused with a TypeError). The layers wrap them in the forward/backward
protocol of :mod:`nnlib.layers` and convert their input the same way.

Chapters: book/foundations/sigmoid-tanh.md (sigmoid, tanh),
book/foundations/relu.md (ReLU, leaky ReLU, PReLU), Part II: softmax.
"""

import numpy as np

from . import _validate
from .layers import Layer


def _float(z):
    return _validate.as_float_array(z, "z")


def sigmoid(z):
    """Logistic sigmoid 1 / (1 + exp(-z)), elementwise (book/foundations/sigmoid-tanh.md).

    Stable for any finite z: with e = exp(-|z|) <= 1 it returns 1/(1+e) for
    z >= 0 and e/(1+e) for z < 0, so exp never overflows.
    """
    z = _float(z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1, e) / (1 + e)


def sigmoid_derivative(z):
    """sigma'(z) = sigma(z) (1 - sigma(z)), elementwise (book/foundations/sigmoid-tanh.md).

    Computed as sigma(z) * sigma(-z), the same value without the cancellation
    in 1 - sigma(z) for large z.
    """
    z = _float(z)
    return sigmoid(z) * sigmoid(-z)


def tanh(z):
    """Hyperbolic tangent, elementwise (book/foundations/sigmoid-tanh.md)."""
    return np.tanh(_float(z))


def tanh_derivative(z):
    """tanh'(z) = 1 - tanh(z)^2, elementwise (book/foundations/sigmoid-tanh.md)."""
    t = np.tanh(_float(z))
    return 1 - t * t


def relu(z):
    """ReLU max(0, z), elementwise (book/foundations/relu.md)."""
    z = _float(z)
    return np.maximum(z, 0)


def relu_derivative(z):
    """ReLU'(z) = 1 if z > 0 else 0 (book/foundations/relu.md).

    ReLU has no derivative at 0; we use 0 there, which is a valid subgradient
    (any value in [0, 1] is).
    """
    z = _float(z)
    return (z > 0).astype(z.dtype)


def leaky_relu(z, alpha=0.01):
    """Leaky ReLU: z if z > 0 else alpha z, elementwise (book/foundations/relu.md)."""
    z = _float(z)
    _validate.check_real(alpha, "alpha")
    return np.where(z > 0, z, alpha * z)


def leaky_relu_derivative(z, alpha=0.01):
    """1 if z > 0 else alpha; at z = 0 we use alpha (a subgradient) (book/foundations/relu.md)."""
    z = _float(z)
    _validate.check_real(alpha, "alpha")
    return np.where(z > 0, 1, alpha).astype(z.dtype)


def _logits(Z):
    """Z as floats of shape (n, k) or (k,) with k >= 1: a softmax over no classes is undefined."""
    Z = _float(Z)
    if Z.ndim == 0 or Z.shape[-1] == 0:
        raise ValueError(f"Z must have shape (n, k) or (k,) with k >= 1 classes, got shape {Z.shape}")
    return Z


def softmax(Z):
    """Row-wise softmax p_j = exp(z_j) / sum_l exp(z_l) (Part II: softmax).

    Z has shape (n, k) (one distribution per row) or (k,), k >= 1 (0 rows give 0 rows). Stable: the row
    maximum is subtracted first (log-sum-exp trick), so exp never overflows.
    """
    Z = _logits(Z)
    E = np.exp(Z - Z.max(axis=-1, keepdims=True))
    return E / E.sum(axis=-1, keepdims=True)


def log_softmax(Z):
    """Row-wise log of the softmax, z_j - logsumexp(z), shapes as :func:`softmax` (Part II: softmax)."""
    Z = _logits(Z)
    shifted = Z - Z.max(axis=-1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=-1, keepdims=True))


def softmax_jacobian(z):
    """Jacobian dp/dz = diag(p) - p p^T of the softmax of one vector z (k,) -> (k, k) (Part II: softmax)."""
    z = _float(z)
    _validate.check_ndim(z, 1, "z", "(k,)")
    p = softmax(z)
    return np.diag(p) - np.outer(p, p)


class Sigmoid(Layer):
    """Sigmoid layer: Y = sigma(X); dX = dY * Y (1 - Y). Shapes: X, Y (n, d) (book/foundations/sigmoid-tanh.md)."""

    def forward(self, X, training=False):
        Y = sigmoid(self._input(X))
        self._cache, self._out_shape = Y, Y.shape
        return Y

    def backward(self, dY):
        Y = self._cached(dY)
        return dY * Y * (1 - Y)


class Tanh(Layer):
    """Tanh layer: Y = tanh(X); dX = dY * (1 - Y^2). Shapes: X, Y (n, d) (book/foundations/sigmoid-tanh.md)."""

    def forward(self, X, training=False):
        Y = np.tanh(self._input(X))
        self._cache, self._out_shape = Y, Y.shape
        return Y

    def backward(self, dY):
        Y = self._cached(dY)
        return dY * (1 - Y * Y)


class ReLU(Layer):
    """ReLU layer: Y = max(0, X); dX = dY * 1[X > 0]. Shapes: X, Y (n, d) (book/foundations/relu.md)."""

    def forward(self, X, training=False):
        X = self._input(X)
        self._cache, self._out_shape = X, X.shape
        return np.maximum(X, 0)

    def backward(self, dY):
        return dY * (self._cached(dY) > 0)


class LeakyReLU(Layer):
    """Leaky ReLU layer: Y = X if X > 0 else alpha X; dX = dY * (1 if X > 0 else alpha).

    Shapes: X, Y (n, d) (book/foundations/relu.md).
    """

    def __init__(self, alpha=0.01):
        super().__init__()
        _validate.check_non_negative(alpha, "alpha")
        self.alpha = alpha

    def forward(self, X, training=False):
        X = self._input(X)
        slope = np.where(X > 0, 1, self.alpha).astype(X.dtype)
        self._cache, self._out_shape = slope, X.shape
        return X * slope

    def backward(self, dY):
        return dY * self._cached(dY)

    def __repr__(self):
        return f"LeakyReLU(alpha={self.alpha})"


class PReLU(Layer):
    """Parametric ReLU with a learned slope (book/foundations/relu.md).

    Y = X if X > 0 else alpha X, with ``params["alpha"]`` of shape (n_units,)
    (one slope per column of X) or (1,) shared by all units when n_units is None.
    Backward: dX = dY * (1 if X > 0 else alpha); dalpha = sum of dY * X over the
    entries with X <= 0 (summed over rows, and over columns when shared).
    Shapes: X, Y (n, d).
    """

    def __init__(self, n_units=None, alpha_init=0.25, dtype=np.float64):
        super().__init__()
        if n_units is not None:
            _validate.check_positive_int(n_units, "n_units")
        _validate.check_real(alpha_init, "alpha_init")
        _validate.check_float_dtype(dtype)
        self.n_units = n_units
        self.params = {"alpha": np.full(1 if n_units is None else n_units, alpha_init, dtype=dtype)}

    def forward(self, X, training=False):
        X = self._input(X)
        if X.ndim != 2 or (self.n_units is not None and X.shape[1] != self.n_units):
            expected = "(n, d)" if self.n_units is None else f"(n, {self.n_units})"
            raise ValueError(f"PReLU: X must have shape {expected}, got shape {X.shape}")
        positive = X > 0
        self._cache, self._out_shape = (X, positive), X.shape
        return np.where(positive, X, self.params["alpha"] * X)

    def backward(self, dY):
        X, positive = self._cached(dY)
        per_unit = np.where(positive, 0, dY * X).sum(axis=0)
        self.grads = {"alpha": per_unit if self.n_units is not None else per_unit.sum(keepdims=True)}
        return np.where(positive, dY, self.params["alpha"] * dY)

    def __repr__(self):
        return f"PReLU(n_units={self.n_units})"


class Softmax(Layer):
    """Softmax layer over the rows of X (Part II: softmax), for inference and display.

    Y = softmax(X); dX_i = Y_i * (dY_i - <dY_i, Y_i>) per row. Shapes: X, Y (n, k).
    For training use :class:`nnlib.losses.SoftmaxCrossEntropy` on the logits
    instead: it fuses both steps into the stable gradient p - y.
    """

    def forward(self, X, training=False):
        Y = softmax(self._input(X))
        self._cache, self._out_shape = Y, Y.shape
        return Y

    def backward(self, dY):
        Y = self._cached(dY)
        return Y * (dY - (dY * Y).sum(axis=-1, keepdims=True))
