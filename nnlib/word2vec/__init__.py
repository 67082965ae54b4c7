"""word2vec in NumPy: vocabulary, windows, the three output layers (full softmax, hierarchical
softmax, negative sampling), training, and queries on the trained vectors.

Chapters: book/representation/word2vec.md (16) and book/representation/word2vec-training.md (17).
One concept per module; everything is vectorised over mini-batches of (focus, context) pairs.
"""

from .data import load_lee_corpus, load_word_pairs
from .hierarchical_softmax import hierarchical_softmax_loss
from .huffman import HuffmanTree
from .negative_sampling import negative_sampling_loss
from .noise import NoiseSampler, noise_distribution
from .scatter import scatter_add
from .softmax import cbow_softmax_loss, skipgram_softmax_loss
from .training import Word2Vec, train_word2vec
from .vectors import WordVectors
from .vocabulary import Vocabulary, discard_probability, keep_probability
from .windows import context_pairs, context_windows

__all__ = [
    "HuffmanTree", "NoiseSampler", "Vocabulary", "Word2Vec", "WordVectors", "cbow_softmax_loss",
    "context_pairs", "context_windows", "discard_probability", "hierarchical_softmax_loss", "keep_probability",
    "load_lee_corpus", "load_word_pairs", "negative_sampling_loss", "noise_distribution", "scatter_add",
    "skipgram_softmax_loss", "train_word2vec",
]
