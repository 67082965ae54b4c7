"""The negative-sampling objective (Mikolov et al. 2013b): one true context word against k noise words.

Chapter: book/representation/word2vec-training.md.
"""

import numpy as np


def negative_sampling_loss(h, U):
    """Sum over rows b of -[log sigmoid(u_b0 . h_b) + sum_{k>=1} log sigmoid(-u_bk . h_b)].

    h (B, N): the hidden vectors (skip-gram: the focus word's input vector; CBOW: the mean of
    the context's); U (B, 1 + k, N): output vectors, column 0 the true word, columns 1..k the
    noise words. Returns (loss, dL/dh (B, N), dL/ds (B, 1 + k)) for the scores s_bk = u_bk . h_b:
    dL/ds_b0 = sigmoid(s_b0) - 1, dL/ds_bk = sigmoid(s_bk), and dL/du_bk = (dL/ds_bk) h_b.
    Chapter: book/representation/word2vec-training.md.
    """
    scores = np.einsum("bkn,bn->bk", U, h)
    # One exponential serves the loss and the gradient: with e = exp(-|s|) <= 1 (never overflows),
    # sigmoid(s) = 1/(1+e) for s >= 0 and e/(1+e) for s < 0, and
    # -log sigmoid(x) = log(1 + e) + max(-x, 0) for x = s (true word) or x = -s (noise words).
    e = np.exp(-np.abs(scores))
    log1p_e = np.log1p(e)
    loss = float(np.sum(log1p_e) + np.sum(np.maximum(-scores[:, 0], 0)) + np.sum(np.maximum(scores[:, 1:], 0)))
    dscores = np.where(scores >= 0, 1, e) / (1 + e)        # sigmoid(s)
    dscores[:, 0] -= 1
    return loss, np.einsum("bk,bkn->bn", dscores, U), dscores
