"""The classic perceptron (Rosenblatt): a step-activation neuron and its learning rule.

Chapter: book/foundations/neurons.md.
"""

import numpy as np

from . import _validate


class Perceptron:
    """Perceptron with weights w (n_features,) and bias b (a float) (book/foundations/neurons.md).

    predict(X) for X (n, d) returns yhat = step(X w + b) in {0, 1}, with step(a) = 1 if a >= 0 else 0.
    Learning rule, applied to one sample (x, y) at a time:
    w <- w + lr (y - yhat) x,  b <- b + lr (y - yhat).
    Weights start at 0, or at N(0, 0.01^2) draws when ``rng`` is given.
    """

    def __init__(self, n_features, *, lr=1.0, rng=None):
        _validate.check_positive_int(n_features, "n_features")
        _validate.check_positive(lr, "lr")
        self.lr = lr
        if rng is None:
            self.w = np.zeros(n_features)
        else:
            _validate.check_rng(rng)
            self.w = rng.normal(0.0, 0.01, size=n_features)
        self.b = 0.0

    def _check_X(self, X):
        X = _validate.as_float_array(X, "X")
        _validate.check_features(X, len(self.w), "X")
        _validate.check_finite(X, "X")
        return X

    def predict(self, X):
        """Labels in {0, 1} for X (n, d): 1 where X w + b >= 0. Returns int array (n,)."""
        X = self._check_X(X)
        return (X @ self.w + self.b >= 0).astype(np.int64)

    def fit(self, X, y, *, max_epochs=100):
        """Sweep the samples in order, applying the rule; stop after the first epoch without mistakes.

        X (n, d), y (n,) in {0, 1}. Returns the list of mistakes made in each epoch.
        """
        X = self._check_X(X)
        y = np.asarray(y)
        if y.shape != (len(X),) or not np.isin(y, (0, 1)).all():
            raise ValueError(f"y must be labels in {{0, 1}} of shape ({len(X)},), got shape {y.shape}")
        _validate.check_positive_int(max_epochs, "max_epochs")
        mistakes = []
        for _ in range(max_epochs):
            errors = 0
            for x, target in zip(X, y):
                update = self.lr * float(target - (x @ self.w + self.b >= 0))
                if update:
                    self.w += update * x
                    self.b += update
                    errors += 1
            mistakes.append(errors)
            if errors == 0:
                break
        return mistakes
