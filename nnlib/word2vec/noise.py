"""The noise distribution of negative sampling: unigram counts raised to the power 3/4.

Chapter: book/representation/word2vec-training.md.
"""

import numpy as np

from .. import _validate


def noise_distribution(counts, power=0.75):
    """P_n(w) = count(w)^power / sum_v count(v)^power, shape (V,).

    power = 1 is the unigram distribution, 0 the uniform one; word2vec uses 3/4, which moves
    probability from the most frequent words to rarer ones. Chapter: book/representation/word2vec-training.md.
    """
    _validate.check_non_negative(power, "power")
    counts = np.asarray(counts, dtype=np.float64)
    if counts.ndim != 1 or counts.size == 0 or counts.min() <= 0:
        raise ValueError("counts must be a non-empty (V,) array of positive counts")
    weights = counts ** power
    return weights / weights.sum()


class NoiseSampler:
    """Draws negative words from noise_distribution(counts, power) through a lookup table.

    As in the original C code, a table of about ``table_size`` word ids holds word w in a share
    P_n(w) of its entries (at least one entry each), so one draw is one uniform random index:
    no search. ``sample(shape, rng)`` returns int64 word ids of the given shape. ``probabilities``
    (V,) is the exact distribution, ``table_probabilities`` (V,) the one the table realises.
    Chapter: book/representation/word2vec-training.md.
    """

    def __init__(self, counts, power=0.75, table_size=1_000_000):
        self.probabilities = noise_distribution(counts, power)
        _validate.check_positive_int(table_size, "table_size")
        entries = np.maximum(1, np.round(self.probabilities * table_size)).astype(np.int64)
        self.table = np.repeat(np.arange(entries.size, dtype=np.int32), entries)
        self.table_probabilities = entries / entries.sum()

    def sample(self, shape, rng):
        _validate.check_rng(rng)
        return self.table[rng.integers(0, self.table.size, size=shape)].astype(np.int64)
