"""Activity penalties: the KL sparsity penalty of sparse autoencoders (book/representation/autoencoders.md).

The sparsity target is on each hidden unit's AVERAGE activation over the data,
rho_hat_j = (1/n) sum_i a_ij, which the penalty pulls towards a small rho:

    P(A) = beta * sum_j KL(rho || rho_hat_j),
    KL(rho || q) = rho log(rho / q) + (1 - rho) log((1 - rho) / (1 - q)),
    dKL/dq = -rho / q + (1 - rho) / (1 - q),
    dP/da_ij = (beta / n) * dKL/dq evaluated at q = rho_hat_j.

Design: the penalty is a layer, :class:`KLSparsity`, placed right after the activation it
constrains (``Sigmoid``). Its forward pass is the identity and stores the penalty's value in
``penalty``; its backward pass adds dP/dA to the gradient flowing through. So the penalty's
gradient reaches every weight below it by ordinary backpropagation, ``fit`` needs no hook and
no knowledge of which layer is penalised, and the only thing a caller must do is add the value
to the reported loss: :meth:`nnlib.model.Sequential.activity_penalty` sums the ``penalty`` of
every :class:`ActivityPenalty` layer, and ``fit`` and ``check_model`` add it to the loss.
The alternative, a hook argument of ``fit`` naming a layer, would put the penalty's math in the
training loop and would not be seen by ``check_model`` or a hand-written loop.

In ``fit`` rho_hat is measured on each mini-batch (the notes' full-batch rho_hat is the
batch_size = n case); use batches of a few dozen rows or more so that the estimate is stable.
"""

import numpy as np

from . import _validate
from .layers import Layer


def _check_rho(rho):
    if not (np.isscalar(rho) and np.isfinite(rho) and 0 < rho < 1):
        raise ValueError(f"rho must lie in the open interval (0, 1), got {rho!r}")


def _check_rho_hat(rho_hat):
    rho_hat = _validate.as_float_array(rho_hat, "rho_hat")
    if not np.all((rho_hat > 0) & (rho_hat < 1)):
        raise ValueError("rho_hat must lie in the open interval (0, 1) (average activations of sigmoid units), "
                         f"got values in [{np.min(rho_hat)}, {np.max(rho_hat)}]")
    return rho_hat


def kl_sparsity(rho_hat, rho):
    """KL(rho || rho_hat) between Bernoulli(rho) and Bernoulli(rho_hat), elementwise over rho_hat.

    rho_hat: array of any shape with entries in (0, 1); rho: a number in (0, 1).
    Returns rho log(rho / rho_hat) + (1 - rho) log((1 - rho) / (1 - rho_hat)), shaped like rho_hat;
    it is >= 0 and 0 only at rho_hat = rho. Chapter: book/representation/autoencoders.md.
    """
    _check_rho(rho)
    q = _check_rho_hat(rho_hat)
    return rho * (np.log(rho) - np.log(q)) + (1 - rho) * (np.log1p(-rho) - np.log1p(-q))


def kl_sparsity_derivative(rho_hat, rho):
    """d KL(rho || rho_hat) / d rho_hat = -rho / rho_hat + (1 - rho) / (1 - rho_hat), elementwise.

    Shapes and ranges as :func:`kl_sparsity`. Chapter: book/representation/autoencoders.md.
    """
    _check_rho(rho)
    q = _check_rho_hat(rho_hat)
    return -rho / q + (1 - rho) / (1 - q)


class ActivityPenalty(Layer):
    """An identity layer that penalises the activations passing through it (book/representation/autoencoders.md).

    Forward: Y = X (n, d); sets ``penalty`` (a float) from X. Backward: dX = dY + dP/dX.
    Subclasses implement ``_penalty(X) -> (value, dP/dX)``. ``Sequential.activity_penalty()``
    sums the penalties of the last forward pass; ``fit`` adds them to the loss.
    """

    penalty = 0.0

    def forward(self, X, training=False):
        X = self._input(X)
        self.penalty, grad = self._penalty(X)
        self._cache, self._out_shape = grad, X.shape
        return X

    def backward(self, dY):
        return dY + self._cached(dY)

    def _penalty(self, X):
        raise NotImplementedError(f"{type(self).__name__} must implement _penalty")


class KLSparsity(ActivityPenalty):
    """KL sparsity penalty beta * sum_j KL(rho || rho_hat_j) on the average activations (book/representation/autoencoders.md).

    Place it after a ``Sigmoid`` hidden layer: X (n, d) holds activations in [0, 1] and
    rho_hat = X.mean(axis=0) has shape (d,). The backward pass adds
    (beta / n) * kl_sparsity_derivative(rho_hat, rho) to every row of dY. rho_hat is clipped
    to [eps, 1 - eps] (eps = 1e-12 for float64, 1e-6 for float32) so that a saturated unit gets a
    large but finite penalty; the gradient is evaluated at the clipped value.
    A batch whose average activation lies outside [0, 1] raises ValueError.
    """

    def __init__(self, rho, beta):
        super().__init__()
        _check_rho(rho)
        _validate.check_non_negative(beta, "beta")
        self.rho, self.beta = rho, beta

    def _penalty(self, X):
        if X.ndim != 2 or len(X) == 0:
            raise ValueError(f"KLSparsity expects activations of shape (n, d) with n >= 1, got {X.shape}")
        rho_hat = X.mean(axis=0)
        if not np.all((rho_hat >= 0) & (rho_hat <= 1)):
            raise ValueError("KLSparsity needs activations in [0, 1] (put it after a Sigmoid); average "
                             f"activations lie in [{rho_hat.min()}, {rho_hat.max()}]")
        eps = 1e-12 if X.dtype == np.float64 else 1e-6
        q = np.clip(rho_hat, eps, 1 - eps)
        value = self.beta * float(np.sum(kl_sparsity(q, self.rho)))
        grad_row = (self.beta / len(X)) * kl_sparsity_derivative(q, self.rho)
        return value, np.broadcast_to(grad_row.astype(X.dtype), X.shape)

    def __repr__(self):
        return f"KLSparsity(rho={self.rho}, beta={self.beta})"
