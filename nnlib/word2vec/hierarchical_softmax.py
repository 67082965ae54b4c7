"""The hierarchical-softmax objective (Morin and Bengio 2005; Mikolov et al. 2013b).

Chapter: book/representation/word2vec-training.md.
"""

import numpy as np

from ..activations import sigmoid
from .scatter import scatter_add


def hierarchical_softmax_loss(h, U, codes, rows):
    """Sum over path nodes m of -log sigmoid((1 - 2 codes_m) u_m . h_{rows_m}).

    One binary decision per inner node on each target word's Huffman path (``HuffmanTree.paths``):
    h (B, N) hidden vectors; U (M, N) the inner nodes' vectors; codes (M,) 0/1 branch taken;
    rows (M,) the row of h each node belongs to. Returns (loss, dL/dh (B, N), dL/ds (M,)) for the
    scores s_m = u_m . h_{rows_m}; dL/du_m = (dL/ds_m) h_{rows_m}.
    Chapter: book/representation/word2vec-training.md.
    """
    signs = 1 - 2 * np.asarray(codes, dtype=h.dtype)
    x = signs * np.einsum("mn,mn->m", U, h[rows])
    loss = float(np.sum(np.logaddexp(0, -x)))
    dscores = -signs * sigmoid(-x)                    # d(-log sigmoid(x)) / ds, with x = sign * s
    dh = np.zeros_like(h)
    scatter_add(dh, rows, U, weights=dscores)
    return loss, dh, dscores
