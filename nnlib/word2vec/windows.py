"""Context windows: which (focus, context) pairs a corpus produces.

Chapters: book/representation/word2vec.md (windows of the notes' example sentence) and
book/representation/word2vec-training.md (dynamic windows, subsampling before windowing).
"""

import numpy as np

from .. import _validate


def _window_sizes(n, window, rng):
    """Per-position window radius: ``window`` for all, or uniform on 1..window (word2vec's dynamic window)."""
    if rng is None:
        return np.full(n, window)
    _validate.check_rng(rng)
    return rng.integers(1, window + 1, size=n)


def context_pairs(tokens, sentence_ids, window, *, rng=None):
    """All (focus, context) pairs of a tokenised corpus, in corpus order of the focus word.

    ``tokens`` (n,) word ids and ``sentence_ids`` (n,) (windows never cross a sentence end);
    a context word is at most ``window`` positions from its focus word. With an ``rng`` each
    focus word draws its own radius uniformly from 1..window, as word2vec does, which weights
    near words more. Returns (focus (P,), context (P,)) word ids; a loop over the 2 * window
    offsets only, never over words. Chapters: book/representation/word2vec.md,
    book/representation/word2vec-training.md.
    """
    _validate.check_positive_int(window, "window")
    tokens, sentence_ids = np.asarray(tokens), np.asarray(sentence_ids)
    n = tokens.size
    radius = _window_sizes(n, window, rng)
    positions, partners = [], []
    for offset in range(1, window + 1):
        for sign in (-1, 1):
            i = np.arange(max(0, -sign * offset), min(n, n - sign * offset))
            j = i + sign * offset
            ok = (sentence_ids[i] == sentence_ids[j]) & (radius[i] >= offset)
            positions.append(i[ok])
            partners.append(j[ok])
    positions, partners = np.concatenate(positions), np.concatenate(partners)
    order = np.argsort(positions, kind="stable")
    return tokens[positions[order]], tokens[partners[order]]


def context_windows(tokens, sentence_ids, window, *, rng=None):
    """For CBOW: each focus word with its whole context, padded to a fixed width.

    Returns (focus (m,), contexts (m, 2 * window) word ids, mask (m, 2 * window) bool), one row
    per position that has at least one context word; masked-out entries of ``contexts`` are 0.
    Radii as in ``context_pairs``. Chapters: book/representation/word2vec.md,
    book/representation/word2vec-training.md.
    """
    _validate.check_positive_int(window, "window")
    tokens, sentence_ids = np.asarray(tokens), np.asarray(sentence_ids)
    n = tokens.size
    radius = _window_sizes(n, window, rng)
    offsets = np.concatenate([np.arange(-window, 0), np.arange(1, window + 1)])
    j = np.arange(n)[:, None] + offsets[None, :]
    inside = (j >= 0) & (j < n)
    j_safe = np.where(inside, j, 0)
    mask = inside & (sentence_ids[j_safe] == sentence_ids[:, None]) & (np.abs(offsets) <= radius[:, None])
    has_context = mask.any(axis=1)
    contexts = np.where(mask, tokens[j_safe], 0)
    return tokens[has_context], contexts[has_context], mask[has_context]
