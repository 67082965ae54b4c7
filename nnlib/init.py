"""Weight initialisers (Part II: init).

Each initialiser is ``f(fan_in, fan_out, rng) -> W`` with W of shape
(fan_in, fan_out) in float64, matching :class:`nnlib.layers.Dense`'s W.
``rng`` is a np.random.Generator (ignored by the deterministic ones).
Variance of each rule, with U(-a, a) having variance a^2 / 3:

=================  =========================================  ===========================
name               distribution                               variance
=================  =========================================  ===========================
zeros              all 0                                      0
constant           all ``value``                              0
normal             N(0, std^2), std = 0.01                    std^2
uniform            U(-1/sqrt(fan_in), 1/sqrt(fan_in))         1 / (3 fan_in)
xavier_uniform     U(-a, a), a = sqrt(6 / (fan_in + fan_out)) 2 / (fan_in + fan_out)
xavier_normal      N(0, 2 / (fan_in + fan_out))               2 / (fan_in + fan_out)
he_uniform         U(-a, a), a = sqrt(6 / fan_in)             2 / fan_in
he_normal          N(0, 2 / fan_in)                           2 / fan_in
=================  =========================================  ===========================

zeros and constant give every unit of a layer the same weights, so the units
stay identical during training (the symmetry problem the chapter demonstrates).

Every initialiser checks its arguments first: fan_in and fan_out must be
integers >= 1 (a layer with no inputs or outputs has no weights to draw, and
1/sqrt(0) is not a scale), and the random ones need a np.random.Generator.
"""

import numpy as np

from . import _validate


def _check(fan_in, fan_out, rng=None, *, random=True):
    _validate.check_positive_int(fan_in, "fan_in")
    _validate.check_positive_int(fan_out, "fan_out")
    if random:
        _validate.check_rng(rng)


def zeros(fan_in, fan_out, rng=None):
    """All-zero weights of shape (fan_in, fan_out)."""
    _check(fan_in, fan_out, random=False)
    return np.zeros((fan_in, fan_out))


def constant(fan_in, fan_out, rng=None, *, value=0.5):
    """Every weight equal to ``value``, shape (fan_in, fan_out)."""
    _check(fan_in, fan_out, random=False)
    _validate.check_real(value, "value")
    return np.full((fan_in, fan_out), float(value))


def normal(fan_in, fan_out, rng, std=0.01):
    """Weights drawn from N(0, std^2), shape (fan_in, fan_out)."""
    _check(fan_in, fan_out, rng)
    _validate.check_non_negative(std, "std")
    return rng.normal(0.0, std, size=(fan_in, fan_out))


def uniform(fan_in, fan_out, rng):
    """Weights drawn from U(-1/sqrt(fan_in), 1/sqrt(fan_in)), shape (fan_in, fan_out)."""
    _check(fan_in, fan_out, rng)
    a = 1.0 / np.sqrt(fan_in)
    return rng.uniform(-a, a, size=(fan_in, fan_out))


def xavier_uniform(fan_in, fan_out, rng):
    """Glorot & Bengio (2010): U(-a, a), a = sqrt(6 / (fan_in + fan_out)); shape (fan_in, fan_out)."""
    _check(fan_in, fan_out, rng)
    a = np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-a, a, size=(fan_in, fan_out))


def xavier_normal(fan_in, fan_out, rng):
    """Glorot & Bengio (2010): N(0, s^2), s = sqrt(2 / (fan_in + fan_out)); shape (fan_in, fan_out)."""
    _check(fan_in, fan_out, rng)
    return rng.normal(0.0, np.sqrt(2.0 / (fan_in + fan_out)), size=(fan_in, fan_out))


def he_uniform(fan_in, fan_out, rng):
    """He et al. (2015): U(-a, a), a = sqrt(6 / fan_in); shape (fan_in, fan_out)."""
    _check(fan_in, fan_out, rng)
    a = np.sqrt(6.0 / fan_in)
    return rng.uniform(-a, a, size=(fan_in, fan_out))


def he_normal(fan_in, fan_out, rng):
    """He et al. (2015): N(0, s^2), s = sqrt(2 / fan_in); shape (fan_in, fan_out)."""
    _check(fan_in, fan_out, rng)
    return rng.normal(0.0, np.sqrt(2.0 / fan_in), size=(fan_in, fan_out))


INITIALIZERS = {f.__name__: f for f in (zeros, constant, normal, uniform, xavier_uniform,
                                         xavier_normal, he_uniform, he_normal)}


def get_initializer(name):
    """Return the initialiser called ``name`` (a key of ``INITIALIZERS``), used by Dense's ``init`` (Part II: init)."""
    if not isinstance(name, str) or name not in INITIALIZERS:
        raise ValueError(f"unknown initialiser {name!r}; choose one of {sorted(INITIALIZERS)}")
    return INITIALIZERS[name]
