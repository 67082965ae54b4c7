"""Training throughput of nnlib beside a plain hand-written NumPy loop of the same network.

Both sides train the same MLP (Dense-ReLU-...-Dense, softmax cross-entropy,
Adam with the paper's defaults) from the same initial weights on the same
data with the same per-epoch shuffles, and must end with the same weights
(checked), so the only difference is nnlib's structure: layer objects, dicts
of parameters, input checks, the history it records.

Times are process CPU time with one BLAS thread, so other programs running on
the machine distort the figures less than wall-clock time would.

Run:  .venv/bin/python benchmarks/bench_training.py   (from the repository root; ~1 minute)
"""

import argparse
import statistics
import time

import numpy as np
from threadpoolctl import threadpool_limits

import nnlib


def make_model(sizes, seed):
    """nnlib MLP with He-normal init: Dense, ReLU, ..., Dense."""
    return nnlib.mlp(sizes, nnlib.ReLU, rng=np.random.default_rng(seed), init="he_normal")


def train_nnlib(model, X, y, epochs, batch_size, seed):
    nnlib.fit(model, nnlib.SoftmaxCrossEntropy(), nnlib.Adam(), X, y,
              epochs=epochs, batch_size=batch_size, rng=np.random.default_rng(seed))
    return [p.copy() for p in model.parameters().values()]


def train_plain(weights, X, y, epochs, batch_size, seed, lr=1e-3, b1=0.9, b2=0.999, eps=1e-8):
    """The same training written as one flat NumPy loop (weights: [W1, b1, W2, b2, ...], copied)."""
    params = [w.copy() for w in weights]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    rng = np.random.default_rng(seed)
    n_layers = len(params) // 2
    t = 0
    for _ in range(epochs):
        order = rng.permutation(len(X))
        Xs, ys = X[order], y[order]
        for start in range(0, len(X), batch_size):
            xb, yb = Xs[start:start + batch_size], ys[start:start + batch_size]
            nb = len(xb)
            # forward
            acts = [xb]
            for k in range(n_layers):
                z = acts[-1] @ params[2 * k] + params[2 * k + 1]
                acts.append(np.maximum(z, 0) if k < n_layers - 1 else z)
            z = acts[-1]
            shifted = z - z.max(axis=1, keepdims=True)
            logp = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
            loss = -logp[np.arange(nb), yb].mean()
            if not np.isfinite(loss):
                raise FloatingPointError("loss is not finite")
            # backward
            dz = np.exp(logp)
            dz[np.arange(nb), yb] -= 1
            dz /= nb
            grads = [None] * len(params)
            for k in reversed(range(n_layers)):
                grads[2 * k] = acts[k].T @ dz
                grads[2 * k + 1] = dz.sum(axis=0)
                if k > 0:
                    dz = (dz @ params[2 * k].T) * (acts[k] > 0)
            # Adam
            t += 1
            for p, g, mi, vi in zip(params, grads, m, v):
                mi *= b1
                mi += (1 - b1) * g
                vi *= b2
                vi += (1 - b2) * g * g
                p -= lr * (mi / (1 - b1 ** t)) / (np.sqrt(vi / (1 - b2 ** t)) + eps)
    return params


def measure(name, sizes, X, y, epochs, batch_size, repeats):
    seed = 0
    times = {"nnlib": [], "plain": []}
    for _ in range(repeats):      # interleaved, so both see the same machine load
        model = make_model(sizes, seed)
        start_weights = [p.copy() for p in model.parameters().values()]
        t0 = time.process_time()
        ours = train_nnlib(model, X, y, epochs, batch_size, seed)
        times["nnlib"].append(time.process_time() - t0)
        t0 = time.process_time()
        plain = train_plain(start_weights, X, y, epochs, batch_size, seed)
        times["plain"].append(time.process_time() - t0)
        for a, b in zip(ours, plain):
            np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)
    samples = epochs * len(X)
    rate = {k: samples / statistics.median(v) for k, v in times.items()}
    overhead = 100 * (rate["plain"] / rate["nnlib"] - 1)
    return name, rate["nnlib"], rate["plain"], overhead


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="timed runs per side (median is reported)")
    parser.add_argument("--threads", type=int, default=1, help="BLAS threads (1 = stable numbers)")
    args = parser.parse_args()

    X_digits, y_digits = nnlib.load_digits()
    rng = np.random.default_rng(1)
    X_syn = rng.standard_normal((8192, 784))
    y_syn = (X_syn @ rng.standard_normal((784, 10))).argmax(axis=1)

    with threadpool_limits(args.threads):
        rows = [measure("digits 64-128-64-10, batch 64", [64, 128, 64, 10], X_digits, y_digits,
                        epochs=5, batch_size=64, repeats=args.repeats),
                measure("synthetic 784-256-128-10, batch 128", [784, 256, 128, 10], X_syn, y_syn,
                        epochs=1, batch_size=128, repeats=args.repeats)]

    print(f"BLAS threads: {args.threads}; samples per CPU-second (process time), median of {args.repeats} "
          "interleaved runs; Adam; float64")
    print(f"{'network':<38} {'nnlib samples/s':>16} {'plain samples/s':>16} {'overhead':>9}")
    for name, ours, plain, overhead in rows:
        print(f"{name:<38} {ours:>16,.0f} {plain:>16,.0f} {overhead:>8.1f}%")


if __name__ == "__main__":
    main()
