"""Skip-gram and CBOW with a full softmax over the vocabulary: the models as the notes define them.

Each training step costs O(V N): every word's output vector enters the normaliser. Used for
teaching and checking; chapter 17's objectives replace it. Chapter: book/representation/word2vec.md.
"""

import numpy as np

from ..activations import log_softmax, softmax


def _softmax_head(h, W_out, targets):
    """Loss sum_b -log softmax(h_b W_out)[targets_b], dL/dh (B, N) and dL/dW_out (N, V)."""
    S = h @ W_out                                        # (B, V) scores
    loss = -float(np.sum(log_softmax(S)[np.arange(len(targets)), targets]))
    G = softmax(S)                                       # dL/dS = softmax(S) - one_hot(targets)
    G[np.arange(len(targets)), targets] -= 1
    return loss, G @ W_out.T, h.T @ G


def skipgram_softmax_loss(W_in, W_out, focus, context):
    """Skip-gram, full softmax: sum over pairs of -log p(context | focus).

    W_in (V, N) is the notes' input matrix (row w = the hidden layer for one-hot input w),
    W_out (N, V) the output matrix; focus (B,), context (B,) word ids. Returns
    (loss, dL/dW_in (V, N), dL/dW_out (N, V)). Chapter: book/representation/word2vec.md.
    """
    focus, context = np.asarray(focus), np.asarray(context)
    loss, dh, dW_out = _softmax_head(W_in[focus], W_out, context)
    dW_in = np.zeros_like(W_in)
    np.add.at(dW_in, focus, dh)
    return loss, dW_in, dW_out


def cbow_softmax_loss(W_in, W_out, contexts, focus, mask=None):
    """CBOW, full softmax: sum over rows of -log p(focus | mean of the context words' input vectors).

    W_in (V, N), W_out (N, V); contexts (B, C) word ids, focus (B,), mask (B, C) bool marking
    real context words (default: all). Returns (loss, dL/dW_in (V, N), dL/dW_out (N, V)).
    Chapter: book/representation/word2vec.md.
    """
    contexts, focus = np.asarray(contexts), np.asarray(focus)
    weights = np.ones(contexts.shape) if mask is None else np.asarray(mask, dtype=np.float64)
    weights = weights / weights.sum(axis=1, keepdims=True)               # (B, C): 1 / |context|
    h = np.einsum("bc,bcn->bn", weights, W_in[contexts])
    loss, dh, dW_out = _softmax_head(h, W_out, focus)
    dW_in = np.zeros_like(W_in)
    np.add.at(dW_in, contexts.ravel(), (weights[:, :, None] * dh[:, None, :]).reshape(-1, W_in.shape[1]))
    return loss, dW_in, dW_out
