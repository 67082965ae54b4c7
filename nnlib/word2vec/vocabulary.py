"""The vocabulary: which words are kept, how often they occur, and how often they are subsampled.

Chapters: book/representation/word2vec.md (the vocabulary, one-hot inputs) and
book/representation/word2vec-training.md (min_count, subsampling of frequent words).
"""

from collections import Counter

import numpy as np

from .. import _validate


def keep_probability(frequencies, sample, *, variant="code"):
    """Probability of keeping each occurrence of a word whose relative frequency is ``f``; shape of f.

    ``variant="paper"``: 1 - P(discard) with Mikolov et al.'s (2013b) P(discard) = 1 - sqrt(t / f),
    clipped at 0 (a word rarer than ``t`` is always kept), i.e. min(1, sqrt(t / f)).
    ``variant="code"``: the rule of the original C code and of gensim,
    min(1, sqrt(t / f) + t / f), which keeps a little more of every frequent word.
    ``frequencies`` (V,) are counts divided by the total count; ``sample`` is t (0 disables).
    Chapter: book/representation/word2vec-training.md.
    """
    _validate.check_non_negative(sample, "sample")
    f = np.asarray(frequencies, dtype=np.float64)
    if f.size and (f.min() <= 0 or f.max() > 1):
        raise ValueError(f"frequencies must lie in (0, 1], got values in [{f.min()}, {f.max()}]")
    if sample == 0:
        return np.ones_like(f)
    if variant == "paper":
        return np.minimum(1.0, np.sqrt(sample / f))
    if variant == "code":
        return np.minimum(1.0, np.sqrt(sample / f) + sample / f)
    raise ValueError(f"variant must be 'paper' or 'code', got {variant!r}")


def discard_probability(frequencies, sample, *, variant="paper"):
    """1 - keep_probability: the chance that one occurrence is dropped, never negative; shape of f.

    With ``variant="paper"`` this is max(0, 1 - sqrt(t / f)); the unclipped formula of the notes
    is negative for every word with f < t. Chapter: book/representation/word2vec-training.md.
    """
    return 1.0 - keep_probability(frequencies, sample, variant=variant)


class Vocabulary:
    """Words seen at least ``min_count`` times, most frequent first, with their counts.

    ``sentences`` is an iterable of token lists. Attributes: ``words`` (list of V str),
    ``counts`` (V,) int64, ``index`` (dict word -> row), ``frequencies`` (V,) = counts / counts.sum().
    Ties in count are broken by first appearance, so the order is reproducible.
    Chapter: book/representation/word2vec-training.md.
    """

    def __init__(self, sentences, *, min_count=5):
        _validate.check_positive_int(min_count, "min_count")
        sentences = [list(s) for s in sentences]
        counter = Counter(token for sentence in sentences for token in sentence)
        if not counter:
            raise ValueError("sentences is empty: the corpus has no tokens to build a vocabulary from")
        kept = [(word, n) for word, n in counter.items() if n >= min_count]   # Counter keeps first-seen order
        if not kept:
            raise ValueError(f"min_count={min_count} removes every word: the most frequent word occurs "
                             f"{max(counter.values())} time(s)")
        kept.sort(key=lambda item: -item[1])                                  # stable: ties stay in order
        self.min_count = min_count
        self.words = [word for word, _ in kept]
        self.counts = np.array([n for _, n in kept], dtype=np.int64)
        self.index = {word: i for i, word in enumerate(self.words)}
        self.frequencies = self.counts / self.counts.sum()
        self.corpus_tokens = sum(counter.values())

    def __len__(self):
        return len(self.words)

    def __contains__(self, word):
        return word in self.index

    def encode(self, sentences):
        """Token ids of the in-vocabulary tokens and the sentence each came from: two arrays of shape (n,).

        Out-of-vocabulary tokens are dropped (as word2vec does), so windows reach past them.
        """
        ids, sentence_of = [], []
        for s, sentence in enumerate(sentences):
            row = [self.index[token] for token in sentence if token in self.index]
            ids.extend(row)
            sentence_of.extend([s] * len(row))
        return np.array(ids, dtype=np.int64), np.array(sentence_of, dtype=np.int64)

    def keep_probabilities(self, sample, *, variant="code"):
        """keep_probability of every vocabulary word, shape (V,)."""
        return keep_probability(self.frequencies, sample, variant=variant)
