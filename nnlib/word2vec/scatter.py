"""Scatter-add: adding per-pair gradient rows into the rows of an embedding matrix.

A mini-batch touches the same word many times (``the`` is the context of many pairs), so
``W[rows] += G`` would keep only one of the repeated updates; the repeats must be summed.
Chapter: book/representation/word2vec-training.md.
"""

import numpy as np
import scipy.sparse


def scatter_add(W, rows, H, *, weights=None, sources=None):
    """In place: W[rows[m]] += weights[m] * H[sources[m]] for every m, repeated rows summed.

    W (V, N); rows (M,) row ids of W; H (B, N); sources (M,) row ids of H (default: arange(M),
    so H is then (M, N)); weights (M,) (default: 1). The sum is one sparse-times-dense product
    A @ H with A[r, b] = the summed weights of the updates from H[b] to row r, stored by columns
    (no sorting needed). It never builds the (M, N) array of scaled rows, and was measured faster
    than ``np.add.at`` and ``np.bincount`` (book/representation/word2vec-training.md shows the timing).
    When the batch has fewer updates than W has rows, A keeps only the rows it touches.
    """
    rows = np.asarray(rows)
    M, V = rows.size, W.shape[0]
    sources = np.arange(M) if sources is None else np.asarray(sources)
    weights = np.ones(M, dtype=W.dtype) if weights is None else np.asarray(weights, dtype=W.dtype)
    if np.any(sources[1:] < sources[:-1]):                          # nnlib's callers pass them sorted
        order = np.argsort(sources, kind="stable")
        rows, sources, weights = rows[order], sources[order], weights[order]
    column_starts = np.concatenate([[0], np.cumsum(np.bincount(sources, minlength=H.shape[0]))])
    if M >= V:                                                      # dense (V, N) result: cheapest
        A = scipy.sparse.csc_matrix((weights, rows, column_starts), shape=(V, H.shape[0]))
        W += A @ H
        return
    touched = np.flatnonzero(np.bincount(rows, minlength=V))
    position = np.empty(V, dtype=np.int64)
    position[touched] = np.arange(touched.size)
    A = scipy.sparse.csc_matrix((weights, position[rows], column_starts),
                                shape=(touched.size, H.shape[0]))
    W[touched] += A @ H
