"""Training word2vec: CBOW or skip-gram, with negative sampling or hierarchical softmax.

Mini-batches of (focus, context) pairs; every batch gathers the rows it needs, computes the
objective's gradient for all its pairs at once and scatter-adds the updates (no Python loop
per pair). Chapter: book/representation/word2vec-training.md.
"""

import numpy as np

from .. import _validate
from .hierarchical_softmax import hierarchical_softmax_loss
from .huffman import HuffmanTree
from .negative_sampling import negative_sampling_loss
from .noise import NoiseSampler
from .scatter import scatter_add
from .vectors import WordVectors
from .vocabulary import Vocabulary
from .windows import context_pairs, context_windows

ARCHITECTURES = ("skipgram", "cbow")
OBJECTIVES = ("negative", "hierarchical")
CBOW_UPDATES = ("word2vec", "gradient")


class Word2Vec:
    """word2vec's two matrices and the update rule for one mini-batch.

    W_in (V, N): input vectors (the notes' V x N matrix; these are the word vectors).
    W_out: output vectors as rows, (V, N) for negative sampling (the columns of the notes' N x V
    matrix) or (V - 1, N) for hierarchical softmax (one per inner node of the Huffman tree).
    W_in starts uniform on [-1/N, 1/N) as in gensim 4 (the C code draws from [-0.5/N, 0.5/N)), W_out at 0
    as in both.
    ``architecture``: "skipgram" or "cbow"; ``objective``: "negative" (``negative`` noise words per
    pair, from counts^0.75) or "hierarchical". float32 unless ``dtype`` says otherwise.
    ``cbow_update`` (CBOW only; h is the mean of the context rows either way): "gradient" gives each
    context row its exact share of the step, dL/dh / |context|; "word2vec" adds the whole step along
    dL/dh to every context row, as the C code and gensim (``cbow_mean=1``) do: |context| times the
    gradient, the rule word2vec's CBOW learning rate 0.05 is tuned for. With "word2vec", a batch in
    which a word recurs many times (a tiny vocabulary) sums steps that are |context| times larger and
    can diverge. ``gradients`` always returns the exact gradient.
    Chapter: book/representation/word2vec-training.md.
    """

    def __init__(self, vocabulary, *, dim=100, rng, architecture="skipgram", objective="negative",
                 negative=5, window=5, sample=1e-3, cbow_update="gradient", dtype=np.float32):
        _validate.check_positive_int(dim, "dim")
        _validate.check_positive_int(window, "window")
        _validate.check_non_negative(sample, "sample")
        _validate.check_rng(rng)
        if architecture not in ARCHITECTURES:
            raise ValueError(f"architecture must be one of {ARCHITECTURES}, got {architecture!r}")
        if objective not in OBJECTIVES:
            raise ValueError(f"objective must be one of {OBJECTIVES}, got {objective!r}")
        if cbow_update not in CBOW_UPDATES:
            raise ValueError(f"cbow_update must be one of {CBOW_UPDATES}, got {cbow_update!r}")
        if objective == "negative":
            _validate.check_positive_int(negative, "negative")
        self.vocabulary, self.dim, self.rng = vocabulary, dim, rng
        self.architecture, self.objective, self.negative = architecture, objective, negative
        self.window, self.sample, self.cbow_update = window, sample, cbow_update
        V = len(vocabulary)
        self.W_in = ((2 * rng.random((V, dim)) - 1) / dim).astype(dtype)
        if objective == "negative":
            self.noise = NoiseSampler(vocabulary.counts)
            self.W_out = np.zeros((V, dim), dtype=dtype)
        else:
            if V < 2:
                raise ValueError("hierarchical softmax needs a vocabulary of at least 2 words")
            self.tree = HuffmanTree(vocabulary.counts)
            self.W_out = np.zeros((V - 1, dim), dtype=dtype)
        self.keep = vocabulary.keep_probabilities(sample)

    @property
    def wv(self):
        """The trained word vectors (rows of W_in) with query helpers.

        Each access builds a new WordVectors (it normalises all V rows): keep it in a variable for many queries.
        """
        return WordVectors(self.vocabulary.words, self.W_in)

    def examples(self, tokens, sentence_ids):
        """One epoch's training examples after subsampling: (inputs (B, C), weights (B, C), targets (B,)).

        Skip-gram: C = 1, inputs the focus words, targets their context words. CBOW: C = 2 * window,
        inputs the context words, weights 1 / |context| (0 for padding), targets the focus words.
        """
        kept = self.rng.random(tokens.size) < self.keep[tokens]
        tokens, sentence_ids = tokens[kept], sentence_ids[kept]
        if self.architecture == "skipgram":
            focus, context = context_pairs(tokens, sentence_ids, self.window, rng=self.rng)
            return focus[:, None], np.ones((focus.size, 1), dtype=self.W_in.dtype), context
        focus, contexts, mask = context_windows(tokens, sentence_ids, self.window, rng=self.rng)
        weights = (mask / mask.sum(axis=1, keepdims=True)).astype(self.W_in.dtype)
        return contexts, weights, focus

    def _forward_backward(self, inputs, weights, targets, noise):
        """Loss, hidden vectors h (B, N), dL/dh, and the output rows, their sources in h and dL/ds."""
        if inputs.shape[1] == 1:
            h = self.W_in[inputs[:, 0]]                     # a copy: scaling it leaves W_in alone
            h *= weights
        else:
            h = np.einsum("bc,bcn->bn", weights, self.W_in[inputs])
        if self.objective == "negative":
            out_rows = np.concatenate([targets[:, None], noise], axis=1)
            loss, dh, dscores = negative_sampling_loss(h, self.W_out[out_rows])
            out_sources = np.repeat(np.arange(targets.size), out_rows.shape[1])
            return loss, h, dh, out_rows.ravel(), out_sources, dscores.ravel()
        out_rows, codes, out_sources = self.tree.paths(targets)
        loss, dh, dscores = hierarchical_softmax_loss(h, self.W_out[out_rows], codes, out_sources)
        return loss, h, dh, out_rows, out_sources, dscores

    def _accumulate(self, D_in, D_out, inputs, weights, targets, noise, scale, input_shares):
        """Add ``scale`` times the batch gradient to D_in (like W_in) and D_out (like W_out); return the loss.

        Input row inputs[b, c] receives input_shares[b, c] * dL/dh_b ((B, C); ``weights`` for the gradient).
        """
        loss, h, dh, out_rows, out_sources, dscores = self._forward_backward(inputs, weights, targets, noise)
        in_sources = np.repeat(np.arange(targets.size), inputs.shape[1])
        scatter_add(D_in, inputs.ravel(), dh, weights=scale * input_shares.ravel(), sources=in_sources)
        scatter_add(D_out, out_rows, h, weights=scale * dscores, sources=out_sources)
        return loss

    def gradients(self, inputs, weights, targets, noise=None):
        """Loss of one batch and its dense gradients (loss, dL/dW_in, dL/dW_out), for checking.

        inputs, weights (B, C) and targets (B,) as ``examples`` returns them; ``noise`` (B, k)
        noise word ids for negative sampling.
        """
        dW_in, dW_out = np.zeros_like(self.W_in), np.zeros_like(self.W_out)
        loss = self._accumulate(dW_in, dW_out, inputs, weights, targets, noise, 1.0, weights)
        return loss, dW_in, dW_out

    def loss(self, inputs, weights, targets, noise=None):
        """The objective of one batch (summed over its examples), as ``gradients`` differentiates it."""
        return self._forward_backward(inputs, weights, targets, noise)[0]

    def step(self, inputs, weights, targets, lr):
        """One SGD step on a batch (the pairs' gradients summed, as word2vec's per-pair SGD); returns its loss.

        For CBOW with ``cbow_update="word2vec"`` every context row takes the whole step along dL/dh.
        """
        noise = self.noise.sample((targets.size, self.negative), self.rng) if self.objective == "negative" else None
        shares = (weights > 0).astype(weights.dtype) if self.cbow_update == "word2vec" else weights
        return self._accumulate(self.W_in, self.W_out, inputs, weights, targets, noise, -lr, shares)

    def train(self, sentences, *, epochs=5, lr=0.025, min_lr=1e-4, batch_size=None):
        """Train on ``sentences`` (token lists); returns the mean loss per example of each epoch (epochs,).

        The learning rate falls linearly from ``lr`` to ``min_lr`` over all batches, as in word2vec.
        ``batch_size`` (pairs per step) defaults to 4096 for negative sampling and 1024 for
        hierarchical softmax: the root of the Huffman tree is on every path, so a batch sums
        batch_size updates of the root's vector, and too large a sum makes training diverge.
        """
        _validate.check_positive_int(epochs, "epochs")
        if batch_size is None:
            batch_size = 4096 if self.objective == "negative" else 1024
        _validate.check_positive_int(batch_size, "batch_size")
        _validate.check_positive(lr, "lr")
        _validate.check_non_negative(min_lr, "min_lr")
        tokens, sentence_ids = self.vocabulary.encode(sentences)
        if tokens.size == 0:
            raise ValueError("sentences contain no word of the vocabulary")
        losses = []
        for epoch in range(epochs):
            inputs, weights, targets = self.examples(tokens, sentence_ids)
            total, n = 0.0, targets.size
            for start in range(0, n, batch_size):
                progress = (epoch + start / max(n, 1)) / epochs
                stop = start + batch_size
                total += self.step(inputs[start:stop], weights[start:stop], targets[start:stop],
                                   lr - (lr - min_lr) * progress)
            losses.append(total / max(n, 1))
        return np.array(losses)


def train_word2vec(sentences, *, rng, dim=100, window=5, min_count=5, sample=1e-3, architecture="skipgram",
                   objective="negative", negative=5, epochs=5, lr=0.025, min_lr=1e-4, batch_size=None,
                   cbow_update="gradient"):
    """Build the vocabulary of ``sentences`` (token lists), train a Word2Vec model on them and return it.

    Defaults as gensim's ``Word2Vec(sg=1, negative=5)``; for CBOW gensim and word2vec use lr=0.05 with
    ``cbow_update="word2vec"`` (see Word2Vec).
    The model's mean loss per example in each epoch is kept in ``model.history`` (epochs,).
    Chapter: book/representation/word2vec-training.md.
    """
    sentences = [list(s) for s in sentences]
    model = Word2Vec(Vocabulary(sentences, min_count=min_count), dim=dim, rng=rng, architecture=architecture,
                     objective=objective, negative=negative, window=window, sample=sample, cbow_update=cbow_update)
    model.history = model.train(sentences, epochs=epochs, lr=lr, min_lr=min_lr, batch_size=batch_size)
    return model
