"""Skip-gram with negative sampling: nnlib.word2vec beside gensim, speed and quality, in one run.

Both sides train on the same token lists (the Lee background corpus that ships with gensim) with
the same settings: skip-gram, 5 noise words, window 5, dimension 100, min_count 2, sample 1e-3,
20 epochs, learning rate 0.025 falling linearly to 1e-4; gensim with one worker thread.
Each side trains with two seeds, the runs interleaved (gensim, nnlib, gensim, nnlib).

Speed: corpus tokens x epochs per CPU second of the whole process (gensim's job-producer thread
included), and the ratio nnlib / gensim (target: at least 0.5).
Quality: Spearman correlation of cosine similarity with the human scores of wordsim353 (pairs
with both words in the vocabulary, the same pairs for every model), and the mean overlap of the
top-10 neighbour lists of the words seen at least 20 times. Each nnlib-vs-gensim figure is set
beside the same figure for gensim against itself with another seed: the noise floor.

Run:  .venv/bin/python benchmarks/bench_word2vec.py   (from the repository root; ~30 s)
"""

import argparse
import time

import numpy as np
from scipy.stats import spearmanr
from threadpoolctl import threadpool_limits

from nnlib.word2vec import Vocabulary, Word2Vec, load_lee_corpus, load_word_pairs


def train_gensim(sentences, settings, seed):
    from gensim.models import Word2Vec as GensimWord2Vec
    model = GensimWord2Vec(sentences, vector_size=settings["dim"], window=settings["window"],
                           min_count=settings["min_count"], sample=settings["sample"], sg=1, hs=0,
                           negative=settings["negative"], epochs=settings["epochs"], alpha=settings["lr"],
                           min_alpha=settings["min_lr"], workers=1, seed=seed)
    wv = model.wv
    return {word: wv[word] for word in wv.index_to_key}


def train_nnlib(sentences, settings, seed):
    vocabulary = Vocabulary(sentences, min_count=settings["min_count"])
    model = Word2Vec(vocabulary, dim=settings["dim"], rng=np.random.default_rng(seed), architecture="skipgram",
                     objective="negative", negative=settings["negative"], window=settings["window"],
                     sample=settings["sample"])
    model.train(sentences, epochs=settings["epochs"], lr=settings["lr"], min_lr=settings["min_lr"])
    return dict(zip(vocabulary.words, model.W_in))


def timed(train, sentences, settings, seed):
    cpu, wall = time.process_time(), time.perf_counter()
    vectors = train(sentences, settings, seed)
    return vectors, time.process_time() - cpu, time.perf_counter() - wall


def unit_matrix(vectors, words):
    M = np.array([vectors[w] for w in words], dtype=np.float64)
    return M / np.linalg.norm(M, axis=1, keepdims=True)


def spearman(vectors, pairs, scores, words):
    U = unit_matrix(vectors, words)
    row = {w: i for i, w in enumerate(words)}
    cos = [U[row[a]] @ U[row[b]] for a, b in pairs]
    return spearmanr(cos, scores).statistic


def top10_overlap(a, b, words, queries):
    """Mean share of common words in the two models' top-10 neighbour lists of each query word."""
    Ua, Ub = unit_matrix(a, words), unit_matrix(b, words)
    rows = [words.index(q) for q in queries]
    shares = []
    for i in rows:
        lists = []
        for U in (Ua, Ub):
            cos = U @ U[i]
            cos[i] = -np.inf
            lists.append(set(np.argsort(-cos)[:10]))
        shares.append(len(lists[0] & lists[1]) / 10)
    return float(np.mean(shares))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=20)
    parser.add_argument("--dim", type=int, default=100)
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads (nnlib side)")
    args = parser.parse_args(argv)
    settings = dict(dim=args.dim, window=5, min_count=2, sample=1e-3, negative=5, epochs=args.epochs,
                    lr=0.025, min_lr=1e-4)

    sentences = load_lee_corpus()
    n_tokens = sum(map(len, sentences))
    words = Vocabulary(sentences, min_count=settings["min_count"]).words
    vocab = set(words)
    all_pairs, all_scores = load_word_pairs("wordsim353.tsv")
    inside = [i for i, (a, b) in enumerate(all_pairs) if a in vocab and b in vocab]
    pairs, scores = [all_pairs[i] for i in inside], all_scores[inside]
    counts = Vocabulary(sentences, min_count=20).words
    print(f"Lee corpus: {len(sentences)} documents, {n_tokens} tokens, vocabulary {len(words)} words; "
          f"wordsim353 pairs in vocabulary: {len(pairs)} of {len(all_pairs)}; "
          f"neighbour queries: {len(counts)} words seen >= 20 times")
    print("settings:", settings)

    runs = {"gensim": [], "nnlib": []}
    with threadpool_limits(args.threads):
        for seed in (1, 2):
            for name, train in (("gensim", train_gensim), ("nnlib", train_nnlib)):
                vectors, cpu, wall = timed(train, sentences, settings, seed)
                assert set(vectors) == vocab, "both sides must build the same vocabulary"
                runs[name].append((vectors, cpu, wall))
                print(f"  {name:6s} seed {seed}: {cpu:5.2f} s CPU ({wall:5.2f} s wall), "
                      f"{n_tokens * settings['epochs'] / cpu:9.0f} words/s, wordsim353 Spearman "
                      f"{spearman(vectors, pairs, scores, words):+.3f}")

    rate = {name: n_tokens * settings["epochs"] / np.mean([cpu for _, cpu, _ in r]) for name, r in runs.items()}
    g1, g2 = runs["gensim"][0][0], runs["gensim"][1][0]
    n1, n2 = runs["nnlib"][0][0], runs["nnlib"][1][0]
    print()
    print(f"speed: nnlib {rate['nnlib']:.0f} words/s, gensim {rate['gensim']:.0f} words/s, "
          f"ratio {rate['nnlib'] / rate['gensim']:.2f} (target >= 0.5)")
    rho = {key: spearman(v, pairs, scores, words) for key, v in (("g1", g1), ("g2", g2), ("n1", n1), ("n2", n2))}
    print(f"wordsim353 Spearman: gensim {rho['g1']:+.3f} / {rho['g2']:+.3f}, nnlib {rho['n1']:+.3f} / "
          f"{rho['n2']:+.3f}; gensim seed-to-seed difference {abs(rho['g1'] - rho['g2']):.3f}, "
          f"nnlib-gensim difference of means {abs(rho['n1'] + rho['n2'] - rho['g1'] - rho['g2']) / 2:.3f}")
    print(f"top-10 neighbour overlap: gensim vs gensim {top10_overlap(g1, g2, words, counts):.3f}, "
          f"nnlib vs gensim {top10_overlap(n1, g1, words, counts):.3f}, "
          f"nnlib vs nnlib {top10_overlap(n1, n2, words, counts):.3f}")


if __name__ == "__main__":
    main()
