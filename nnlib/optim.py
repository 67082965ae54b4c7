"""Optimisers and gradient clipping (Part II: optimisers).

``opt.step(params, grads)`` updates every array in the dict ``params`` IN
PLACE using ``grads[key]`` (same keys and shapes). Per-parameter state
(velocities, moment estimates) is kept in dicts keyed by the same keys.
Notation in the docstrings: theta a parameter, g its gradient, eta the
learning rate, t the step number starting at 1; operations are elementwise.

Input contract: hyper-parameters must be real numbers (``SGD(lr="0.1")`` is a
TypeError) in range (ValueError). ``step`` refuses parameters that are not
float NumPy arrays (an int array cannot take a fractional update in place),
converts gradients given as lists or int arrays to float, and refuses
gradients with NaN or inf (ValueError naming the key) before changing anything.
``fit`` checks its data once and runs every step under ``np.errstate(raise)``,
so it calls ``_step``, which skips these per-step checks.
"""

import math

import numpy as np

from . import _validate


class Optimizer:
    """Base class of the optimisers (Part II: optimisers).

    Holds the step counter ``t``, the per-parameter ``state``, and checks that
    params and grads have the same keys and shapes.
    """

    def __init__(self):
        self.t = 0        # number of steps taken so far
        self.state = {}   # state[key]: list of this parameter's state arrays, e.g. Adam's [m, v] for "0.W"

    def step(self, params, grads):
        """Update each params[key] in place from grads[key] (dicts with the same keys and shapes)."""
        self._step(params, _validate.as_gradients(grads, params))

    def _step(self, params, grads):
        """``step`` without the input checks (for ``fit``, whose gradients are finite by construction)."""
        self.t += 1
        for key, theta in params.items():
            self._update(key, theta, grads[key])

    def _slots(self, key, like, count):
        """The ``count`` state arrays of parameter ``key``, created as zeros shaped like ``like``."""
        slots = self.state.get(key)
        if slots is None:
            slots = self.state[key] = [np.zeros_like(like) for _ in range(count)]
        return slots


class SGD(Optimizer):
    """Plain gradient descent: theta <- theta - eta g (book/foundations/training-a-neuron.md)."""

    def __init__(self, lr=0.01):
        super().__init__()
        _validate.check_positive(lr, "lr")
        self.lr = lr

    def _update(self, key, theta, g):
        theta -= self.lr * g


class Momentum(Optimizer):
    """SGD with (heavy-ball) momentum: v <- beta v - eta g; theta <- theta + v. v starts at 0 (Part II: optimisers)."""

    def __init__(self, lr=0.01, beta=0.9):
        super().__init__()
        _validate.check_positive(lr, "lr")
        _validate.check_unit_interval(beta, "beta")
        self.lr, self.beta = lr, beta

    def _update(self, key, theta, g):
        v, = self._slots(key, theta, 1)
        v *= self.beta
        v -= self.lr * g
        theta += v


class Nesterov(Momentum):
    """Nesterov momentum, in the form that uses the gradient at the current theta (Part II: optimisers).

    v <- beta v - eta g; theta <- theta + beta v - eta g (with the new v). v starts at 0.
    This equals evaluating the gradient at the look-ahead point theta + beta v
    after the change of variables used by Sutskever et al. (2013). Only the last line differs from Momentum.
    """

    def _update(self, key, theta, g):
        v, = self._slots(key, theta, 1)
        v *= self.beta
        v -= self.lr * g
        theta += self.beta * v - self.lr * g


class AdaGrad(Optimizer):
    """AdaGrad (Duchi et al. 2011), Part II: optimisers.

    G <- G + g^2; theta <- theta - eta g / (sqrt(G) + eps). G starts at 0.
    """

    def __init__(self, lr=0.01, eps=1e-8):
        super().__init__()
        _validate.check_positive(lr, "lr")
        _validate.check_positive(eps, "eps")
        self.lr, self.eps = lr, eps

    def _update(self, key, theta, g):
        G, = self._slots(key, theta, 1)
        G += g * g
        theta -= self.lr * g / (np.sqrt(G) + self.eps)


class AdaDelta(Optimizer):
    """AdaDelta (Zeiler 2012), no learning rate (Part II: optimisers). Eg and Ed start at 0:

    Eg <- rho Eg + (1 - rho) g^2;
    delta <- -sqrt(Ed + eps) / sqrt(Eg + eps) * g;
    Ed <- rho Ed + (1 - rho) delta^2;
    theta <- theta + delta.
    On a noiseless problem it reaches the minimum and then drifts a little: as g -> 0,
    Eg decays while Ed stays, so the effective step sqrt(Ed + eps) / sqrt(Eg + eps) grows.
    """

    def __init__(self, rho=0.95, eps=1e-6):
        super().__init__()
        _validate.check_unit_interval(rho, "rho")
        _validate.check_positive(eps, "eps")
        self.rho, self.eps = rho, eps

    def _update(self, key, theta, g):
        Eg, Ed = self._slots(key, theta, 2)
        Eg *= self.rho
        Eg += (1 - self.rho) * g * g
        delta = -np.sqrt(Ed + self.eps) / np.sqrt(Eg + self.eps) * g
        Ed *= self.rho
        Ed += (1 - self.rho) * delta * delta
        theta += delta


class RMSprop(Optimizer):
    """RMSprop (Hinton, lecture 6e), Part II: optimisers.

    E <- rho E + (1 - rho) g^2; theta <- theta - eta g / (sqrt(E) + eps). E starts at 0.
    """

    def __init__(self, lr=0.001, rho=0.9, eps=1e-8):
        super().__init__()
        _validate.check_positive(lr, "lr")
        _validate.check_unit_interval(rho, "rho")
        _validate.check_positive(eps, "eps")
        self.lr, self.rho, self.eps = lr, rho, eps

    def _update(self, key, theta, g):
        E, = self._slots(key, theta, 1)
        E *= self.rho
        E += (1 - self.rho) * g * g
        theta -= self.lr * g / (np.sqrt(E) + self.eps)


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015) with bias correction and the paper's defaults (Part II: optimisers).

    m and v start at 0; t counts the calls to step:

    m <- beta1 m + (1 - beta1) g;  v <- beta2 v + (1 - beta2) g^2;
    mhat = m / (1 - beta1^t);  vhat = v / (1 - beta2^t);
    theta <- theta - eta mhat / (sqrt(vhat) + eps).

    The last line is computed as the paper's "more efficient" ordering (end of
    its section 2), the same number: with c1 = 1 - beta1^t, c2 = 1 - beta2^t,
    theta <- theta - (eta sqrt(c2) / c1) m / (sqrt(v) + eps sqrt(c2)),
    so the bias corrections are two scalars and one buffer holds the step.
    """

    def __init__(self, lr=0.001, beta1=0.9, beta2=0.999, eps=1e-8):
        super().__init__()
        _validate.check_positive(lr, "lr")
        _validate.check_unit_interval(beta1, "beta1")
        _validate.check_unit_interval(beta2, "beta2")
        _validate.check_positive(eps, "eps")
        self.lr, self.beta1, self.beta2, self.eps = lr, beta1, beta2, eps
        self._scratch = {}    # _scratch[key]: a buffer shaped like the parameter, where each step is built

    def _update(self, key, theta, g):
        m, v = self._slots(key, theta, 2)
        step = self._scratch.get(key)      # one buffer per parameter, reused: no temporary arrays per step
        if step is None:
            step = self._scratch[key] = np.empty_like(theta)
        m *= self.beta1
        m += np.multiply(g, 1 - self.beta1, out=step)
        v *= self.beta2
        np.multiply(g, g, out=step)
        step *= 1 - self.beta2
        v += step
        root_c2 = math.sqrt(1 - self.beta2 ** self.t)
        np.sqrt(v, out=step)
        step += self.eps * root_c2
        np.divide(m, step, out=step)
        step *= self.lr * root_c2 / (1 - self.beta1 ** self.t)
        theta -= step


def clip_by_global_norm(grads, max_norm):
    """Rescale all gradients together so their global L2 norm is at most ``max_norm`` (Part II: optimisers).

    norm = sqrt(sum over arrays of sum g^2); if norm > max_norm every g becomes
    g * max_norm / norm, else the gradients are returned unchanged.
    Returns (clipped: dict with the same keys and shapes, norm_before: float).
    Gradients given as lists or int arrays are converted to float; a NaN or inf
    gradient is refused with a ValueError naming its key (no rescaling can fix it).
    """
    _validate.check_positive(max_norm, "max_norm")
    _validate.check_dict(grads, "grads")
    grads = {key: _validate.as_float_array(g, f"grads[{key!r}]") for key, g in grads.items()}
    with np.errstate(over="ignore", invalid="ignore"):
        norm = math.sqrt(sum(float(np.sum(g * g)) for g in grads.values()))
    if not math.isfinite(norm):
        _validate.as_gradients(grads)        # raises, naming the gradient that holds NaN or inf
        biggest = max(float(np.max(np.abs(g))) for g in grads.values())     # all finite: the squares overflowed
        norm = biggest * math.sqrt(sum(float(np.sum(np.square(g / biggest))) for g in grads.values()))
    if norm <= max_norm:
        return grads, norm
    scale = max_norm / norm
    return {key: g * scale for key, g in grads.items()}, norm
