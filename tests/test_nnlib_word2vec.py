"""nnlib.word2vec: gradients of every objective, the Huffman tree, the noise table, subsampling,
bad input, and a training run that must recover a corpus's two topics."""

import numpy as np
import pytest

from nnlib.gradcheck import numerical_gradient, relative_error
from nnlib.word2vec import (HuffmanTree, NoiseSampler, Vocabulary, Word2Vec, WordVectors, cbow_softmax_loss,
                            context_pairs, context_windows, discard_probability, hierarchical_softmax_loss,
                            keep_probability, negative_sampling_loss, noise_distribution, scatter_add,
                            skipgram_softmax_loss, train_word2vec)

TOL = 1e-7


def check(f, x, analytic):
    return relative_error(analytic, numerical_gradient(f, x))


# ---------------------------------------------------------------- objectives: finite differences

def test_skipgram_softmax_gradients():
    rng = np.random.default_rng(0)
    W_in, W_out = rng.normal(size=(7, 3)), rng.normal(size=(3, 7))
    focus, context = np.array([0, 3, 3, 6]), np.array([1, 1, 5, 0])      # repeated focus word 3
    _, dW_in, dW_out = skipgram_softmax_loss(W_in, W_out, focus, context)
    f = lambda: skipgram_softmax_loss(W_in, W_out, focus, context)[0]
    assert check(f, W_in, dW_in) < TOL
    assert check(f, W_out, dW_out) < TOL


def test_cbow_softmax_gradients_with_padding():
    rng = np.random.default_rng(1)
    W_in, W_out = rng.normal(size=(6, 4)), rng.normal(size=(4, 6))
    contexts = np.array([[1, 2, 0, 0], [3, 3, 4, 5]])
    mask = np.array([[True, True, False, False], [True, True, True, True]])
    focus = np.array([0, 2])
    _, dW_in, dW_out = cbow_softmax_loss(W_in, W_out, contexts, focus, mask)
    f = lambda: cbow_softmax_loss(W_in, W_out, contexts, focus, mask)[0]
    assert check(f, W_in, dW_in) < TOL
    assert check(f, W_out, dW_out) < TOL
    assert np.all(dW_in[0] == 0)          # the padding entries (word 0) get no gradient


def test_negative_sampling_gradients():
    rng = np.random.default_rng(2)
    h, U = rng.normal(size=(5, 4)), rng.normal(size=(5, 4, 4))
    _, dh, dscores = negative_sampling_loss(h, U)
    f = lambda: negative_sampling_loss(h, U)[0]
    assert check(f, h, dh) < TOL
    assert check(f, U, dscores[:, :, None] * h[:, None, :]) < TOL


def test_negative_sampling_loss_is_the_stated_formula():
    rng = np.random.default_rng(3)
    h, U = rng.normal(size=(2, 3)), rng.normal(size=(2, 3, 3))
    sig = lambda x: 1 / (1 + np.exp(-x))
    s = np.einsum("bkn,bn->bk", U, h)
    expected = -np.sum(np.log(sig(s[:, 0])) + np.sum(np.log(sig(-s[:, 1:])), axis=1))
    assert negative_sampling_loss(h, U)[0] == pytest.approx(expected, rel=1e-12)


def test_hierarchical_softmax_gradients():
    rng = np.random.default_rng(4)
    tree = HuffmanTree(np.array([9, 5, 4, 2, 1, 1]))
    nodes, codes, rows = tree.paths(np.array([0, 4, 4, 2]))
    h, U = rng.normal(size=(4, 3)), rng.normal(size=(tree.n_inner, 3))
    def f():
        return hierarchical_softmax_loss(h, U[nodes], codes, rows)[0]
    _, dh, dscores = hierarchical_softmax_loss(h, U[nodes], codes, rows)
    dU = np.zeros_like(U)
    np.add.at(dU, nodes, dscores[:, None] * h[rows])
    assert check(f, h, dh) < TOL
    assert check(f, U, dU) < TOL


@pytest.mark.parametrize("architecture", ["skipgram", "cbow"])
@pytest.mark.parametrize("objective", ["negative", "hierarchical"])
def test_model_batch_gradients_with_repeated_words(architecture, objective):
    """The scatter-added sparse gradient equals finite differences of the batch loss (words repeat)."""
    rng = np.random.default_rng(5)
    sentences = [list("abcabdaeab"), list("bcdeedcb")]
    model = Word2Vec(Vocabulary(sentences, min_count=1), dim=3, rng=rng, architecture=architecture,
                     objective=objective, window=2, sample=0, dtype=np.float64)
    model.W_out[:] = rng.normal(size=model.W_out.shape)
    tokens, sentence_ids = model.vocabulary.encode(sentences)
    inputs, weights, targets = model.examples(tokens, sentence_ids)
    noise = model.noise.sample((targets.size, 3), rng) if objective == "negative" else None
    _, dW_in, dW_out = model.gradients(inputs, weights, targets, noise)
    f = lambda: model.loss(inputs, weights, targets, noise)
    assert check(f, model.W_in, dW_in) < TOL
    assert check(f, model.W_out, dW_out) < TOL


@pytest.mark.parametrize("rule, share", [("gradient", lambda C: 1.0 / C), ("word2vec", lambda C: 1.0)])
def test_cbow_step_gives_each_context_row_its_share(rule, share):
    """A CBOW step moves W_out by -lr dL/dW_out and each context row by -lr share dL/dh:
    the exact share 1/C, or (as the C code and gensim) the whole dL/dh."""
    rng = np.random.default_rng(13)
    sentences = [list("abcdefg")]
    model = Word2Vec(Vocabulary(sentences, min_count=1), dim=4, rng=rng, architecture="cbow",
                     objective="hierarchical", window=2, sample=0, cbow_update=rule, dtype=np.float64)
    model.W_out[:] = rng.normal(size=model.W_out.shape)
    inputs, mask = np.array([[1, 2, 4, 5]]), np.ones((1, 4), dtype=bool)       # four distinct context words
    weights, targets, lr = mask / 4.0, np.array([3]), 0.1
    _, dW_in, dW_out = model.gradients(inputs, weights, targets)
    dh = 4 * dW_in[1]                                                           # exact gradient: dL/dh / C
    W_in, W_out = model.W_in.copy(), model.W_out.copy()
    model.step(inputs, weights, targets, lr)
    np.testing.assert_allclose(model.W_out, W_out - lr * dW_out, rtol=1e-12, atol=1e-15)
    expected = W_in.copy()
    expected[[1, 2, 4, 5]] -= lr * share(4) * dh
    np.testing.assert_allclose(model.W_in, expected, rtol=1e-12, atol=1e-15)


def test_scatter_add_sums_repeated_rows():
    rng = np.random.default_rng(6)
    for V, M, B in [(8, 40, 10), (100, 30, 30)]:          # dense path (M >= V) and compact path
        W, H = rng.normal(size=(V, 3)), rng.normal(size=(B, 3))
        rows, sources, weights = rng.integers(0, V, M), rng.integers(0, B, M), rng.normal(size=M)
        expected = W.copy()
        for r, s, w in zip(rows, sources, weights):
            expected[r] += w * H[s]
        scatter_add(W, rows, H, weights=weights, sources=sources)
        np.testing.assert_allclose(W, expected, rtol=1e-12, atol=1e-12)


# ---------------------------------------------------------------- Huffman tree

def test_huffman_tree_is_a_prefix_code_with_huffman_lengths():
    counts = np.array([45, 13, 12, 16, 9, 5])                 # the textbook example (CLRS): lengths 1,3,3,3,4,4
    tree = HuffmanTree(counts)
    words = ["".join(map(str, c)) for c in tree.codes]
    assert len(set(words)) == len(words)
    assert not any(a != b and b.startswith(a) for a in words for b in words)
    assert sorted(tree.path_lengths.tolist()) == [1, 3, 3, 3, 4, 4]
    assert tree.path_lengths[0] == 1                           # the most frequent word is nearest the root
    assert int(np.sum(counts * tree.path_lengths)) == 224      # the optimal weighted length for these counts
    assert sum(2.0 ** -tree.path_lengths) == pytest.approx(1.0)  # Kraft equality: a full binary tree
    assert all(p[0] == tree.n_inner - 1 for p in tree.points)  # every path starts at the root


def test_hierarchical_softmax_probabilities_sum_to_one():
    rng = np.random.default_rng(7)
    counts = rng.integers(1, 1000, size=40)
    tree = HuffmanTree(counts)
    U, h = rng.normal(size=(tree.n_inner, 5)), rng.normal(size=(1, 5))
    words = np.arange(40)
    nodes, codes, rows = tree.paths(words)
    x = (1 - 2 * codes) * (U[nodes] @ h[0])
    log_p = np.bincount(rows, weights=-np.logaddexp(0, -x))
    assert np.exp(log_p).sum() == pytest.approx(1.0, abs=1e-12)


# ---------------------------------------------------------------- noise and subsampling

def test_noise_distribution_is_counts_to_the_three_quarters():
    counts = np.array([81, 16, 1])
    p = noise_distribution(counts)
    np.testing.assert_allclose(p, np.array([27, 8, 1]) / 36, rtol=1e-12)
    np.testing.assert_allclose(noise_distribution(counts, power=1.0), counts / 98)


def test_noise_table_draws_match_the_distribution():
    counts = np.array([1000, 300, 100, 30, 10, 3, 1])
    sampler = NoiseSampler(counts)
    np.testing.assert_allclose(sampler.table_probabilities, sampler.probabilities, atol=2e-6)
    n = 400_000
    draws = sampler.sample((n,), np.random.default_rng(8))
    freq = np.bincount(draws, minlength=counts.size) / n
    se = np.sqrt(sampler.probabilities * (1 - sampler.probabilities) / n)
    assert np.all(np.abs(freq - sampler.probabilities) < 5 * se)


def test_noise_table_gives_every_word_an_entry():
    sampler = NoiseSampler(np.array([10**9, 1, 1]), table_size=100)
    assert np.all(sampler.table_probabilities > 0)


def test_subsampling_probabilities():
    t = 1e-3
    f = np.array([1e-5, 1e-3, 4e-3, 0.25])
    np.testing.assert_allclose(discard_probability(f, t, variant="paper"), [0, 0, 0.5, 1 - np.sqrt(t / 0.25)])
    assert np.all(discard_probability(f, t) >= 0)               # clipped: the notes' formula is negative here
    assert 1 - np.sqrt(t / f[0]) < 0
    code = keep_probability(f, t, variant="code")
    np.testing.assert_allclose(code, [1, 1, np.sqrt(0.25) + 0.25, np.sqrt(t / 0.25) + t / 0.25])
    assert np.all(keep_probability(f, 0) == 1)


def test_vocabulary_counts_min_count_and_order():
    vocab = Vocabulary([["b", "a", "b"], ["c", "a", "b", "d"]], min_count=2)
    assert vocab.words == ["b", "a"]
    np.testing.assert_array_equal(vocab.counts, [3, 2])
    ids, sentence_ids = vocab.encode([["a", "x", "b"], ["b"]])
    np.testing.assert_array_equal(ids, [1, 0, 0])
    np.testing.assert_array_equal(sentence_ids, [0, 0, 1])


def test_windows_of_the_notes_sentence():
    words = "the cat sat on the wall".split()
    vocab = Vocabulary([words], min_count=1)
    ids, sids = vocab.encode([words])
    focus, context = context_pairs(ids, sids, 2)
    pairs = [(vocab.words[a], vocab.words[b]) for a, b in zip(focus, context)]
    assert pairs[:2] == [("the", "cat"), ("the", "sat")]
    assert len(pairs) == 2 * (2 + 3 + 4 + 4 + 3 + 2) // 2     # every word pairs with each neighbour within 2
    focus, contexts, mask = context_windows(ids, sids, 2)
    assert mask.sum(axis=1).tolist() == [2, 3, 4, 4, 3, 2]
    # windows never cross sentences
    focus, context = context_pairs(np.array([0, 1, 2, 3]), np.array([0, 0, 1, 1]), 5)
    assert sorted(zip(focus.tolist(), context.tolist())) == [(0, 1), (1, 0), (2, 3), (3, 2)]


# ---------------------------------------------------------------- bad input

def test_bad_input_errors():
    rng = np.random.default_rng(9)
    with pytest.raises(ValueError, match="empty"):
        Vocabulary([])
    with pytest.raises(ValueError, match="empty"):
        Vocabulary([[], []])
    with pytest.raises(ValueError, match="min_count=5 removes every word"):
        Vocabulary([["a", "b", "a"]], min_count=5)
    vocab = Vocabulary([list("abcab")], min_count=1)
    for kwargs, name in [({"window": 0}, "window"), ({"window": -2}, "window"), ({"dim": 0}, "dim"),
                         ({"negative": 0}, "negative"), ({"negative": -1}, "negative"),
                         ({"architecture": "glove"}, "architecture"), ({"objective": "nce"}, "objective"),
                         ({"cbow_update": "sum"}, "cbow_update")]:
        with pytest.raises(ValueError, match=name):
            Word2Vec(vocab, rng=rng, **kwargs)
    with pytest.raises(TypeError, match="rng"):
        Word2Vec(vocab, rng=0)
    with pytest.raises(ValueError, match="no word of the vocabulary"):
        Word2Vec(vocab, rng=rng).train([["zzz"]])
    with pytest.raises(ValueError, match="min_count"):
        train_word2vec([["a"]], rng=rng, min_count=0)


def test_queries_raise_key_error_naming_the_word():
    wv = WordVectors(["cat", "dog"], np.eye(2))
    with pytest.raises(KeyError, match="'unicorn'"):
        wv.most_similar("unicorn")
    with pytest.raises(KeyError, match="'unicorn'"):
        wv.similarity("cat", "unicorn")
    with pytest.raises(KeyError, match="'unicorn'"):
        wv["unicorn"]
    assert wv.similarity("cat", "dog") == 0.0
    assert wv.most_similar("cat", topn=1) == [("dog", 0.0)]


# ---------------------------------------------------------------- training recovers structure

def two_topic_corpus(rng, n_sentences=400, length=8):
    animals = "cat dog horse cow sheep goat pig duck".split()
    vehicles = "car bus train truck bike tram van ship".split()
    sentences = [list(rng.choice(animals if i % 2 else vehicles, size=length)) for i in range(n_sentences)]
    return sentences, animals, vehicles


@pytest.mark.parametrize("architecture", ["skipgram", "cbow"])
@pytest.mark.parametrize("objective", ["negative", "hierarchical"])
def test_training_separates_two_topics(architecture, objective):
    rng = np.random.default_rng(10)
    sentences, animals, vehicles = two_topic_corpus(rng)
    model = train_word2vec(sentences, rng=rng, dim=10, window=3, min_count=1, sample=0, epochs=5,
                           architecture=architecture, objective=objective, batch_size=256, lr=0.05)
    wv = model.wv
    within = np.mean([wv.similarity(a, b) for group in (animals, vehicles) for a in group for b in group if a != b])
    across = np.mean([wv.similarity(a, b) for a in animals for b in vehicles])
    assert within > across + 0.5, (within, across)
    assert all(word in animals for word, _ in wv.most_similar("cat", topn=5))
    assert model.history[-1] < model.history[0]


def test_same_seed_same_vectors_and_no_global_state():
    np.random.seed(0)
    before = np.random.get_state()[1].copy()
    runs = [train_word2vec(two_topic_corpus(np.random.default_rng(11))[0], rng=np.random.default_rng(12),
                           dim=5, min_count=1, epochs=1).W_in for _ in range(2)]
    np.testing.assert_array_equal(runs[0], runs[1])
    np.testing.assert_array_equal(np.random.get_state()[1], before)
