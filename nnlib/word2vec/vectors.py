"""Querying trained word vectors: cosine similarity and nearest neighbours.

Chapter: book/representation/word2vec-training.md.
"""

import numpy as np


class WordVectors:
    """Word vectors with lookups by word. ``words`` (V,) list of str, ``vectors`` (V, N).

    Every query raises ``KeyError`` naming the word when it is not in the vocabulary.
    Chapter: book/representation/word2vec-training.md.
    """

    def __init__(self, words, vectors):
        vectors = np.asarray(vectors)
        if vectors.ndim != 2 or vectors.shape[0] != len(words):
            raise ValueError(f"vectors must have shape ({len(words)}, N), got shape {vectors.shape}")
        self.words, self.vectors = list(words), vectors
        self.index = {word: i for i, word in enumerate(self.words)}
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        self.unit = vectors / np.where(norms > 0, norms, 1)

    def __contains__(self, word):
        return word in self.index

    def __len__(self):
        return len(self.words)

    def row(self, word):
        """Row index of ``word``; KeyError naming it if it is not in the vocabulary."""
        try:
            return self.index[word]
        except KeyError:
            raise KeyError(f"word {word!r} is not in the vocabulary") from None

    def __getitem__(self, word):
        return self.vectors[self.row(word)]

    def similarity(self, word_a, word_b):
        """Cosine similarity of two words' vectors, a float in [-1, 1]."""
        return float(self.unit[self.row(word_a)] @ self.unit[self.row(word_b)])

    def most_similar(self, word, topn=10):
        """The ``topn`` words with the highest cosine similarity to ``word`` (itself excluded): [(word, cos)]."""
        if isinstance(topn, bool) or not isinstance(topn, (int, np.integer)) or topn < 1:
            raise ValueError(f"topn must be an integer >= 1, got {topn!r}")
        i = self.row(word)
        cos = self.unit @ self.unit[i]
        cos[i] = -np.inf
        best = np.argsort(-cos, kind="stable")[:topn]
        return [(self.words[j], float(cos[j])) for j in best]
