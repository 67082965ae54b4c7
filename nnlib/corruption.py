"""Input corruption for denoising autoencoders (book/representation/autoencoders.md).

A denoising autoencoder is trained to map a corrupted input x~ back to the clean x. Two
corruptions, both drawn from an explicit ``rng`` and returning a new array shaped like X (n, d):

* Gaussian noise: x~ = x + sigma * eps, eps ~ N(0, 1) entrywise;
* masking noise (Vincent et al. 2008): each entry is set to 0 independently with probability
  ``rate`` and otherwise kept unchanged. Unlike :class:`nnlib.layers.Dropout` the kept entries
  are NOT rescaled: the corrupted digit is what a sensor with dead pixels would deliver.

Float32 input stays float32; anything else becomes float64.
"""


from . import _validate


def _checked(X):
    X = _validate.as_float_array(X, "X")
    _validate.check_ndim(X, 2, "X")
    _validate.check_finite(X, "X")
    return X


def gaussian_noise(X, std, *, rng):
    """X + std * N(0, 1) noise, entrywise: X (n, d) -> (n, d), a new array (book/representation/autoencoders.md).

    ``std`` >= 0 is the noise's standard deviation (0 returns a copy of X).
    """
    X = _checked(X)
    _validate.check_non_negative(std, "std")
    _validate.check_rng(rng)
    return X + X.dtype.type(std) * rng.standard_normal(X.shape, dtype=X.dtype)


def masking_noise(X, rate, *, rng):
    """Set each entry of X (n, d) to 0 with probability ``rate``, keep it otherwise; returns (n, d).

    0 <= rate < 1; the kept entries are not rescaled. The number of zeroed entries is
    Binomial(n d, rate). Chapter: book/representation/autoencoders.md.
    """
    X = _checked(X)
    _validate.check_unit_interval(rate, "rate")
    _validate.check_rng(rng)
    keep = rng.random(X.shape) >= rate
    return X * keep
