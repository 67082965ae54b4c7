"""The corpus and word-similarity sets that ship with gensim (no download).

Chapter: book/representation/word2vec-training.md.
"""

import re

import numpy as np

TOKEN = re.compile(r"[a-z]+")


def tokenize(text):
    """Lower-cased alphabetic tokens of ``text`` (one-letter tokens dropped), as a list of str."""
    return [token for token in TOKEN.findall(text.lower()) if len(token) > 1]


def load_lee_corpus():
    """The Lee background corpus (300 news documents, ~58k tokens): a list of token lists, one per document.

    Chapter: book/representation/word2vec-training.md.
    """
    from gensim.test.utils import datapath
    with open(datapath("lee_background.cor"), encoding="utf8") as f:
        return [tokenize(line) for line in f if line.strip()]


def load_word_pairs(name="wordsim353.tsv"):
    """Human similarity judgements: (pairs, scores) with pairs a list of (word, word) and scores (n,).

    ``name``: "wordsim353.tsv" or "simlex999.txt" (both shipped with gensim); words lower-cased.
    Chapter: book/representation/word2vec-training.md.
    """
    from gensim.test.utils import datapath
    pairs, scores = [], []
    with open(datapath(name), encoding="utf8") as f:
        for line in f:
            fields = line.strip().split("\t")
            if line.startswith("#") or len(fields) < 3:
                continue
            try:
                score = float(fields[2])
            except ValueError:                       # a header line
                continue
            pairs.append((fields[0].lower(), fields[1].lower()))
            scores.append(score)
    return pairs, np.array(scores)
