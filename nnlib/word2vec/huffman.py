"""A Huffman tree over the vocabulary, the structure behind hierarchical softmax.

Chapter: book/representation/word2vec-training.md.
"""

import heapq

import numpy as np


class HuffmanTree:
    """Binary Huffman tree built from word counts: frequent words get short root-to-leaf paths.

    ``counts`` (V,) positive, V >= 2. The V leaves are the words; the V - 1 inner nodes are
    numbered 0 .. V-2, the root being V-2. For word w, ``codes[w]`` holds the branch taken at each
    inner node on the way from the root (0 = left, 1 = right) and ``points[w]`` the inner nodes
    visited; both have shape (L_w,), with L_w the path length. Hierarchical softmax gives
    p(w | h) = prod_j sigmoid((1 - 2 codes[w][j]) * u[points[w][j]] . h).
    The same paths flattened, for vectorised lookups: ``offsets`` (V + 1,), and
    ``flat_points`` / ``flat_codes`` (sum L_w,) with word w's path at offsets[w]:offsets[w + 1].
    Chapter: book/representation/word2vec-training.md.
    """

    def __init__(self, counts):
        counts = np.asarray(counts)
        if counts.ndim != 1 or counts.size < 2:
            raise ValueError(f"counts must have shape (V,) with V >= 2, got shape {counts.shape}")
        if counts.min() <= 0:
            raise ValueError(f"counts must be positive, got minimum {counts.min()}")
        V = counts.size
        # heap of (count, tie-breaker, node); leaves are 0..V-1, inner node k is V + k
        heap = [(int(c), i, i) for i, c in enumerate(counts)]
        heapq.heapify(heap)
        parent = np.empty(2 * V - 1, dtype=np.int64)
        branch = np.zeros(2 * V - 1, dtype=np.int8)
        for k in range(V - 1):
            count_a, _, a = heapq.heappop(heap)
            count_b, _, b = heapq.heappop(heap)
            parent[a], parent[b] = V + k, V + k
            branch[b] = 1
            heapq.heappush(heap, (count_a + count_b, V + k, V + k))
        root = 2 * V - 2
        self.codes, self.points = [], []
        for word in range(V):
            node, code, points = word, [], []
            while node != root:
                code.append(branch[node])
                node = parent[node]
                points.append(node - V)
            self.codes.append(np.array(code[::-1], dtype=np.int8))
            self.points.append(np.array(points[::-1], dtype=np.int64))
        lengths = np.array([len(c) for c in self.codes])
        self.offsets = np.concatenate([[0], np.cumsum(lengths)])
        self.flat_points = np.concatenate(self.points)
        self.flat_codes = np.concatenate(self.codes)
        self.n_inner = V - 1

    @property
    def path_lengths(self):
        """Number of inner nodes (binary decisions) on each word's path, shape (V,)."""
        return np.diff(self.offsets)

    def paths(self, words):
        """Inner nodes, codes and the owning row for the paths of ``words`` (B,), concatenated.

        Returns (nodes (M,), codes (M,), rows (M,)) with M = sum of the words' path lengths and
        rows[m] the position in ``words`` that node m belongs to; no Python loop over the words.
        """
        words = np.asarray(words)
        lengths = self.offsets[words + 1] - self.offsets[words]
        rows = np.repeat(np.arange(words.size), lengths)
        starts = np.repeat(self.offsets[words] - (np.cumsum(lengths) - lengths), lengths)
        flat = starts + np.arange(rows.size)
        return self.flat_points[flat], self.flat_codes[flat], rows
