"""Loss functions and weight penalties.

A loss object has ``forward(Y_hat, Y) -> float`` (caches what it needs) and
``backward() -> dY_hat``, the gradient of that float with respect to Y_hat
(same shape as Y_hat). Rows are samples.

Chapters: book/foundations/training-a-neuron.md (squared error, binary
cross-entropy), Part II: softmax (softmax cross-entropy), Part II:
regularisation (L1/L2 penalties).

Input contract (``forward``): predictions Y_hat must be floating point (lists of
floats are converted; an int or bool array is refused with a TypeError, since
a model never outputs integers and an integer array there is almost always
labels passed in the wrong argument), finite, and not empty (a mean over 0
samples is undefined); targets Y may be lists, ints or bools (converted to
float64) and must be finite. Each loss adds its own range checks.
"""

import numpy as np

from . import _validate
from .activations import log_softmax, sigmoid


class Loss:
    """Base class of the losses (book/foundations/training-a-neuron.md).

    ``forward`` = ``check_predictions`` + ``check_targets`` (shapes, finiteness,
    labels, ranges) + ``_forward`` (the math).

    The training loop checks the whole target array once with ``check_targets``
    (and one row of the model's output with ``check_predictions``) and then calls
    ``_forward`` per mini-batch, so the checks stay out of the hot path.
    """

    _cache = None

    def forward(self, Y_hat, Y):
        """Loss value (float) for predictions Y_hat and targets Y; caches what ``backward`` needs."""
        Y_hat = self.check_predictions(Y_hat)
        return self._forward(Y_hat, self.check_targets(Y, Y_hat.shape))

    def check_predictions(self, Y_hat):
        """Check predictions Y_hat (floating point, finite, at least one entry); return them as an array."""
        Y_hat = _validate.as_float_array(Y_hat, "Y_hat", integers=False, owner=self)
        _validate.check_nonempty(Y_hat, "Y_hat", "a loss is a mean over at least one sample", owner=self)
        _validate.check_finite(Y_hat, "Y_hat", owner=self)
        return Y_hat

    def check_targets(self, Y, shape):
        """Check targets Y against predictions of shape ``shape`` (same shape, finite); return Y as floats."""
        Y = _validate.as_float_array(Y, "Y", owner=self)
        if Y.shape != tuple(shape):
            raise ValueError(f"{type(self).__name__}: targets Y must have the predictions' shape {tuple(shape)}, "
                             f"got {Y.shape}")
        _validate.check_finite(Y, "Y", owner=self)
        return Y

    def _cached(self):
        if self._cache is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward: run forward(Y_hat, Y) first")
        return self._cache

    def __repr__(self):
        return f"{type(self).__name__}()"


class SquaredError(Loss):
    """Squared error between predictions Y_hat and targets Y, both (n,) or (n, k).

    reduction="mean": L = (1/n) sum_i ||y_i - yhat_i||^2, dL/dyhat_i = (2/n) (yhat_i - y_i);
    reduction="sum" (the notes' form): L = sum_i ||y_i - yhat_i||^2, dL/dyhat_i = 2 (yhat_i - y_i).
    Chapter: book/foundations/training-a-neuron.md.
    """

    def __init__(self, reduction="mean"):
        if reduction not in ("mean", "sum"):
            raise ValueError(f"reduction must be 'mean' or 'sum', got {reduction!r}")
        self.reduction = reduction

    def _forward(self, Y_hat, Y):
        diff = Y_hat - Y
        scale = 1.0 / len(Y_hat) if self.reduction == "mean" else 1.0
        self._cache = (diff, scale)
        return float(scale * np.sum(diff * diff))

    def backward(self):
        """dL/dY_hat, same shape as Y_hat."""
        diff, scale = self._cached()
        return (2 * scale) * diff

    def __repr__(self):
        return f"SquaredError(reduction={self.reduction!r})"


class BinaryCrossEntropy(Loss):
    """Binary cross-entropy, averaged over all entries (samples and outputs).

    Y holds targets in [0, 1] with the shape of Y_hat ((n,) or (n, k)); N = Y.size.

    from_logits=True: Y_hat holds logits z and
    L = (1/N) sum [log(1 + e^z) - y z], computed with np.logaddexp (exactly
    stable, no log(0)); dL/dz = (sigma(z) - y) / N.

    from_logits=False: Y_hat holds probabilities p, clipped to [eps, 1 - eps] and
    L = -(1/N) sum [y log p + (1 - y) log(1 - p)];
    dL/dp = (p - y) / (p (1 - p)) / N evaluated at the clipped p (so a
    saturated prediction still gets a finite gradient). eps defaults to 1e-12
    for float64 and 1e-7 for float32.

    Refused with a ValueError: targets outside [0, 1], and with
    from_logits=False probabilities outside [0, 1] (clipping them would hide
    that the model outputs logits: pass from_logits=True for those).
    Chapter: book/foundations/training-a-neuron.md.
    """

    def __init__(self, from_logits=False, eps=None):
        _validate.check_bool(from_logits, "from_logits")
        if eps is not None:
            _validate.check_positive(eps, "eps")
        self.from_logits, self.eps = from_logits, eps

    def check_predictions(self, Y_hat):
        """As Loss.check_predictions; with from_logits=False the entries must also lie in [0, 1]."""
        Y_hat = super().check_predictions(Y_hat)
        if not self.from_logits:
            _validate.check_in_range(Y_hat, 0, 1, "probabilities Y_hat", owner=self,
                                     hint="for logits use BinaryCrossEntropy(from_logits=True)")
        return Y_hat

    def check_targets(self, Y, shape):
        """As Loss.check_targets; the targets must also lie in [0, 1]."""
        Y = super().check_targets(Y, shape)
        if Y.size:
            _validate.check_in_range(Y, 0, 1, "targets Y", owner=self)
        return Y

    def _forward(self, Y_hat, Y):
        N = Y.size
        if self.from_logits:
            self._cache = (Y_hat, Y, N)
            return float(np.sum(np.logaddexp(0, Y_hat) - Y * Y_hat) / N)
        eps = self.eps if self.eps is not None else (1e-12 if Y_hat.dtype == np.float64 else 1e-7)
        P = np.clip(Y_hat, eps, 1 - eps)
        self._cache = (P, Y, N)
        return float(-np.sum(Y * np.log(P) + (1 - Y) * np.log1p(-P)) / N)

    def backward(self):
        """dL/dY_hat, same shape as Y_hat."""
        A, Y, N = self._cached()
        if self.from_logits:
            return (sigmoid(A) - Y) / N
        return (A - Y) / (A * (1 - A) * N)

    def __repr__(self):
        return f"BinaryCrossEntropy(from_logits={self.from_logits})"


class SoftmaxCrossEntropy(Loss):
    """Softmax followed by cross-entropy, fused (Part II: softmax).

    Z: logits (n, k). Y: integer labels (n,) in [0, k) or one-hot rows (n, k)
    (soft targets allowed: any rows of entries in [0, 1] summing to 1, to within
    1e-6 in float64 and 1e-4 in float32; other rows are refused with a
    ValueError, since the loss would no longer be a cross-entropy and its
    gradient p - y would be wrong). With p_i = softmax(z_i):
    L = -(1/n) sum_i sum_j y_ij log p_ij, computed with log-softmax (stable);
    dL/dZ = (p - Y_onehot) / n.
    """

    def check_targets(self, Y, shape):
        """Labels (n,) in [0, k) or finite one-hot rows (n, k), for logits of shape (n, k)."""
        if len(shape) != 2:
            raise ValueError(f"SoftmaxCrossEntropy expects logits of shape (n, k), got {tuple(shape)}")
        Y = np.asarray(Y)
        if Y.ndim != 1:
            Y = super().check_targets(Y, shape)
            if Y.size:
                _validate.check_in_range(Y, 0, 1, "soft targets Y", owner=self)
                sums = Y.sum(axis=1)
                worst = int(np.argmax(np.abs(sums - 1)))
                if abs(sums[worst] - 1) > (1e-6 if Y.dtype == np.float64 else 1e-4):
                    raise ValueError(f"SoftmaxCrossEntropy: each row of the targets Y must sum to 1 (a "
                                     f"distribution over the {shape[1]} classes), got row {worst} summing "
                                     f"to {sums[worst]:.6g}")
            return Y
        n, k = shape
        if Y.shape != (n,):
            raise ValueError(f"SoftmaxCrossEntropy: labels must have shape ({n},), got {Y.shape}")
        _validate.check_labels(Y, k, "Y")
        return Y

    def _forward(self, Z, Y):
        n = len(Z)
        logp = log_softmax(Z)
        if Y.ndim == 1:
            picked = (np.arange(n), Y)
            self._cache = (logp, picked, n)
            return float(-logp[picked].sum() / n)
        self._cache = (logp, Y, n)
        return float(-np.sum(Y * logp) / n)

    def backward(self):
        """dL/dZ = (softmax(Z) - Y_onehot) / n, shape (n, k)."""
        logp, Y, n = self._cached()
        P = np.exp(logp)
        if isinstance(Y, tuple):
            P[Y] -= 1          # subtract the one-hot targets in place
            P /= n
            return P
        return (P - Y) / n


def l2_penalty(weights, lam):
    """L2 penalty (Part II: regularisation): value = lam * sum_W ||W||^2, grads[name] = 2 lam W.

    ``weights`` maps names to arrays of any shape; returns (value: float, grads: dict).
    """
    _validate.check_dict(weights, "weights")
    _validate.check_non_negative(lam, "lam")
    value = lam * sum(float(np.sum(W * W)) for W in weights.values())
    return value, {name: 2 * lam * W for name, W in weights.items()}


def l1_penalty(weights, lam):
    """L1 penalty (Part II: regularisation): value = lam * sum_W sum |W|, grads[name] = lam sign(W).

    sign(0) = 0 is used at the kink (a subgradient). Returns (value: float, grads: dict).
    """
    _validate.check_dict(weights, "weights")
    _validate.check_non_negative(lam, "lam")
    value = lam * sum(float(np.sum(np.abs(W))) for W in weights.values())
    return value, {name: lam * np.sign(W) for name, W in weights.items()}
