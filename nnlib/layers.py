"""The layer protocol and the layers that hold parameters: Dense, Dropout, BatchNorm.

Every layer follows one protocol (chapter: book/foundations/backpropagation.md):

* ``forward(X, training=False) -> Y`` computes the output and caches what the
  backward pass needs;
* ``backward(dY) -> dX`` receives dL/dY (same shape as Y), fills ``grads``
  (same keys and shapes as ``params``) and returns dL/dX (same shape as X);
* ``params`` / ``grads`` map names to arrays (empty dicts if the layer has none).

Rows are samples: X has shape (n, d_in) and Y has shape (n, d_out).
Activation layers live in :mod:`nnlib.activations`.

Input contract (shared by every layer, through :mod:`nnlib._validate`):
``forward`` converts Python lists and int/bool arrays to float64 (so a layer
computes the same for ``[[1, 2]]`` as for ``[[1.0, 2.0]]``), keeps float32 as
float32, and refuses strings, complex numbers and objects with a TypeError;
a batch of 0 rows passes through (0 rows out), except where a mean over the
batch is needed (BatchNorm in training). ``backward`` takes a NumPy array.
"""

import numpy as np

from . import _validate
from .init import get_initializer


class Layer:
    """Base class of the layer protocol (book/foundations/backpropagation.md): empty ``params``/``grads``
    and the cache check shared by all layers. X has shape (n, d_in), Y and dY (n, d_out).
    """

    def __init__(self):
        self.params = {}
        self.grads = {}
        self._cache = None

    def forward(self, X, training=False):
        """Compute Y from X of shape (n, d_in); cache what ``backward`` needs."""
        raise NotImplementedError(f"{type(self).__name__} must implement forward")

    def backward(self, dY):
        """Return dL/dX given dL/dY; fill ``self.grads``."""
        raise NotImplementedError(f"{type(self).__name__} must implement backward")

    def param_grads(self, dY):
        """Fill ``self.grads`` only; layers whose dX is costly override this to skip computing it."""
        self.backward(dY)

    def _input(self, X, n_features=None):
        """X as a float array (lists, int and bool arrays become float64; see the module docstring),
        checked to have shape (n, n_features) when ``n_features`` is given."""
        X = _validate.as_float_array(X, "X", owner=self)
        if n_features is not None:
            _validate.check_features(X, n_features, "X", owner=self)
        return X

    def _cached(self, dY):
        """Return the forward cache, checking that forward ran and that dY is an array of the output's shape."""
        if self._cache is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward: run forward(X) first")
        _validate.check_array(dY, "dY", owner=self)
        if dY.shape != self._out_shape:
            raise ValueError(f"{type(self).__name__}.backward: dY must have the output's shape "
                             f"{self._out_shape}, got {dY.shape}")
        return self._cache

    def __repr__(self):
        return f"{type(self).__name__}()"


class Dense(Layer):
    """Affine layer Z = X W + b (chapter: book/foundations/mlp-notation.md).

    Shapes: X (n, in_features), W (in_features, out_features), b (out_features,),
    Z (n, out_features). Entry W[i, j] is the book's w_ij: the weight from unit i
    of the previous layer to unit j of this one.

    Backward (book/foundations/backpropagation.md):
    dW = X^T dZ, db = sum over rows of dZ, dX = dZ W^T.

    ``init`` is a name from :mod:`nnlib.init` or a callable
    ``(fan_in, fan_out, rng) -> array (fan_in, fan_out)``. Biases start at 0.
    ``dtype`` sets the parameters' dtype (a float dtype): with the float64 default a float32 X
    gives a float64 Z (NumPy promotion); build with dtype=np.float32 for a float32 model.
    A batch of 0 rows gives Z of shape (0, out_features) and zero gradients.
    """

    def __init__(self, in_features, out_features, *, rng, init="xavier_uniform", dtype=np.float64):
        super().__init__()
        _validate.check_positive_int(in_features, "in_features")
        _validate.check_positive_int(out_features, "out_features")
        _validate.check_rng(rng)
        _validate.check_float_dtype(dtype)
        initializer = get_initializer(init) if isinstance(init, str) else init
        if not callable(initializer):
            raise TypeError(f"init must be an initialiser name or a callable (fan_in, fan_out, rng) -> W, "
                            f"got {type(init).__name__}")
        W = np.asarray(initializer(in_features, out_features, rng), dtype=dtype)
        if W.shape != (in_features, out_features):
            raise ValueError(f"initialiser must return shape {(in_features, out_features)}, got {W.shape}")
        self.in_features, self.out_features = in_features, out_features
        self.params = {"W": W, "b": np.zeros(out_features, dtype=dtype)}

    def forward(self, X, training=False):
        X = self._input(X, self.in_features)
        self._cache = X
        self._out_shape = (X.shape[0], self.out_features)
        Z = X @ self.params["W"]
        Z += self.params["b"]
        return Z

    def param_grads(self, dY):
        X = self._cached(dY)
        self.grads = {"W": X.T @ dY, "b": dY.sum(axis=0)}

    def backward(self, dY):
        self.param_grads(dY)
        return dY @ self.params["W"].T

    def __repr__(self):
        return f"Dense({self.in_features}, {self.out_features})"


class Dropout(Layer):
    """Inverted dropout (Part II: regularisation).

    ``p`` is the probability of DROPPING a unit, 0 <= p < 1. In training each
    entry of X is kept with probability 1 - p and the kept entries are scaled by
    1/(1 - p), so E[Y] = X and inference needs no rescaling:
    Y = X * M, M_ij = 1[U_ij >= p] / (1 - p), U_ij ~ Uniform[0, 1).
    With ``training=False`` the layer is the identity. Shapes: X, Y (n, d).
    The mask is drawn from ``rng`` (a np.random.Generator).
    """

    def __init__(self, p, *, rng):
        super().__init__()
        _validate.check_unit_interval(p, "dropout p")
        _validate.check_rng(rng)
        self.p, self.rng = p, rng

    def forward(self, X, training=False):
        X = self._input(X)
        self._out_shape = X.shape
        if not training or self.p == 0:
            self._cache = 1.0
            return X
        keep = self.rng.random(X.shape, dtype=X.dtype) >= self.p
        mask = keep.astype(X.dtype) / X.dtype.type(1 - self.p)
        self._cache = mask
        return X * mask

    def backward(self, dY):
        return dY * self._cached(dY)

    def __repr__(self):
        return f"Dropout(p={self.p})"


class BatchNorm(Layer):
    """Batch normalisation over the rows of X (Part II: batchnorm).

    Training: mu = mean_i X_i, var = mean_i (X_i - mu)^2 (batch statistics, biased),
    Xhat = (X - mu) / sqrt(var + eps), Y = gamma * Xhat + beta, and the running
    statistics are updated as running = momentum * running + (1 - momentum) * batch.
    Inference: the same formula with running_mean / running_var instead of the
    batch statistics.

    Shapes: X, Y (n, n_features); gamma, beta, running_mean, running_var (n_features,).
    Backward in training mode (gradient through the batch statistics):
    dXhat = dY * gamma, dX = (n dXhat - sum_i dXhat - Xhat sum_i (dXhat * Xhat)) / (n sqrt(var + eps)).

    Training needs a batch of at least 2 finite rows: with one row var = 0 and
    Xhat = 0 whatever X is (the layer would output beta and pull running_var
    towards 0), with none the statistics are 0/0, and a NaN or inf would be
    written into the running statistics; all three are refused with a ValueError
    before any state changes. Inference (training=False) works on any batch, 0 or 1 rows included.
    """

    def __init__(self, n_features, momentum=0.9, eps=1e-5, dtype=np.float64):
        super().__init__()
        _validate.check_positive_int(n_features, "n_features")
        _validate.check_unit_interval(momentum, "momentum")
        _validate.check_positive(eps, "eps")
        _validate.check_float_dtype(dtype)
        self.n_features, self.momentum, self.eps = n_features, momentum, eps
        self.params = {"gamma": np.ones(n_features, dtype=dtype), "beta": np.zeros(n_features, dtype=dtype)}
        self.running_mean = np.zeros(n_features, dtype=dtype)
        self.running_var = np.ones(n_features, dtype=dtype)

    def forward(self, X, training=False):
        X = self._input(X, self.n_features)
        if training:
            if len(X) < 2:
                raise ValueError(f"BatchNorm: training needs a batch of at least 2 rows to estimate the batch "
                                 f"statistics, got X of shape {X.shape}; use training=False (the running "
                                 "statistics) for single samples")
            _validate.check_finite(X, "X", owner=self)
            mu, var = X.mean(axis=0), X.var(axis=0)
            m = self.momentum
            self.running_mean = m * self.running_mean + (1 - m) * mu
            self.running_var = m * self.running_var + (1 - m) * var
        else:
            mu, var = self.running_mean, self.running_var
        inv_std = 1.0 / np.sqrt(var + self.eps)
        Xhat = (X - mu) * inv_std
        self._cache = (Xhat, inv_std, training)
        self._out_shape = X.shape
        return self.params["gamma"] * Xhat + self.params["beta"]

    def backward(self, dY):
        Xhat, inv_std, training = self._cached(dY)
        self.grads = {"gamma": (dY * Xhat).sum(axis=0), "beta": dY.sum(axis=0)}
        dXhat = dY * self.params["gamma"]
        if not training:
            return dXhat * inv_std
        n = dY.shape[0]
        return (n * dXhat - dXhat.sum(axis=0) - Xhat * (dXhat * Xhat).sum(axis=0)) * (inv_std / n)

    def __repr__(self):
        return f"BatchNorm({self.n_features})"
