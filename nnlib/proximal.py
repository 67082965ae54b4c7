"""Proximal steps for non-smooth penalties (Part II: regularisation)."""

import numpy as np

from . import _validate


def soft_threshold(W, threshold):
    """The proximal step of threshold * |w|: sign(w) * max(|w| - threshold, 0), elementwise (Part II: regularisation).

    After a gradient step with learning rate eta on the data loss, soft_threshold(W, eta * lam) completes
    one proximal-gradient step for the L1 penalty lam * sum |W|; every |w| <= eta * lam becomes exactly 0.
    W: array of any shape; returns a new array of the same shape.
    """
    _validate.check_non_negative(threshold, "threshold")
    W = np.asarray(W, dtype=np.float64)
    return np.sign(W) * np.maximum(np.abs(W) - threshold, 0.0)
