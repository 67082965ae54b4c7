"""Training throughput of nnlib beside PyTorch's CPU eager loop, and beside the floor (the GEMMs alone).

Both sides train the same network (Dense-ReLU-...-Dense, softmax cross-entropy,
Adam with the same hyper-parameters) from the same initial weights, with the
same per-epoch shuffles, in float32, on one thread each, and must reach the
same test accuracy (checked). The floor is the time of the matrix products of
the same steps alone (NumPy, the BLAS nnlib uses), measured in the same run:
no step of nnlib can be faster than its GEMMs.

Times are process CPU time; the three contestants alternate run by run, so
load from other programs on the machine affects all of them alike.

Run:  make bench   (installs the pinned PyTorch into .venv on first use), or
      .venv/bin/python benchmarks/bench_pytorch.py [--repeats 7]   (from the repository root; ~2 minutes)
"""

import argparse
import statistics
import time
from dataclasses import dataclass

import numpy as np
import torch
from threadpoolctl import threadpool_limits

import nnlib

LR, BETAS, EPS = 1e-3, (0.9, 0.999), 1e-8        # Adam's hyper-parameters, the same on both sides


@dataclass
class Case:
    name: str
    sizes: list
    data: tuple          # (X_train, y_train, X_test, y_test), X float32
    batch_size: int
    epochs: int
    accuracy_tolerance: float = 0.01


def initial_weights(sizes, seed):
    """He-normal weights (fan_in, fan_out) and zero biases, float32: the one start both sides copy."""
    rng = np.random.default_rng(seed)
    return [(nnlib.init.he_normal(i, o, rng).astype(np.float32), np.zeros(o, np.float32))
            for i, o in zip(sizes[:-1], sizes[1:])]


def nnlib_model(weights):
    layers = []
    for W, b in weights:
        dense = nnlib.Dense(*W.shape, rng=np.random.default_rng(0), init="zeros", dtype=np.float32)
        dense.params["W"][...], dense.params["b"][...] = W, b
        layers += [dense, nnlib.ReLU()]
    return nnlib.Sequential(layers[:-1])


def torch_model(weights):
    layers = []
    for W, b in weights:
        linear = torch.nn.Linear(*W.shape)
        with torch.no_grad():
            linear.weight.copy_(torch.from_numpy(W.T))      # torch stores (out, in)
            linear.bias.copy_(torch.from_numpy(b))
        layers += [linear, torch.nn.ReLU()]
    return torch.nn.Sequential(*layers[:-1])


def train_nnlib(case, weights, seed):
    X, y, X_test, y_test = case.data
    model = nnlib_model(weights)
    nnlib.fit(model, nnlib.SoftmaxCrossEntropy(), nnlib.Adam(lr=LR, beta1=BETAS[0], beta2=BETAS[1], eps=EPS),
              X, y, epochs=case.epochs, batch_size=case.batch_size, rng=np.random.default_rng(seed))
    return model, lambda: nnlib.accuracy(model, X_test, y_test)


def train_torch(case, weights, seed):
    """The loop a PyTorch user writes: shuffle, forward, loss, zero_grad, backward, step; loss.item() kept."""
    X, y, X_test, y_test = (torch.from_numpy(a) for a in case.data)
    model = torch_model(weights)
    optimizer = torch.optim.Adam(model.parameters(), lr=LR, betas=BETAS, eps=EPS)
    rng = np.random.default_rng(seed)
    step_loss = []
    for _ in range(case.epochs):
        order = torch.from_numpy(rng.permutation(len(X)))        # the same shuffle as nnlib.minibatches
        Xs, ys = X[order], y[order]
        for start in range(0, len(X), case.batch_size):
            loss = torch.nn.functional.cross_entropy(model(Xs[start:start + case.batch_size]),
                                                     ys[start:start + case.batch_size])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            step_loss.append(loss.item())

    def accuracy():
        with torch.no_grad():
            return float((model(X_test).argmax(dim=1) == y_test).float().mean())
    return model, accuracy


def gemm_floor(case, weights, seed):
    """The GEMMs of the same steps alone: forward Z = A W per layer, then dW = A^T dZ per layer and
    dA = dZ W^T below the top layer (nnlib.fit never forms the gradient of the input)."""
    X, Ws = case.data[0], [W for W, _ in weights]
    for _ in range(case.epochs):
        for start in range(0, len(X), case.batch_size):
            acts = [X[start:start + case.batch_size]]
            for W in Ws:
                acts.append(acts[-1] @ W)
            dZ = acts[-1]
            for k in reversed(range(len(Ws))):
                acts[k].T @ dZ
                if k > 0:
                    dZ = dZ @ Ws[k].T


def measure(case, repeats):
    times = {"nnlib": [], "torch": [], "floor": []}
    accuracies = {}
    for repeat in range(repeats):          # interleaved, so all three see the same machine load
        weights = initial_weights(case.sizes, seed=repeat)
        for side, run in (("nnlib", train_nnlib), ("torch", train_torch), ("floor", gemm_floor)):
            t0 = time.process_time()
            result = run(case, weights, seed=repeat)
            times[side].append(time.process_time() - t0)
            if side != "floor":
                accuracies.setdefault(side, []).append(result[1]())
    for a, b in zip(accuracies["nnlib"], accuracies["torch"]):
        assert abs(a - b) <= case.accuracy_tolerance, f"{case.name}: test accuracy nnlib {a:.4f} vs torch {b:.4f}"
    samples = case.epochs * len(case.data[0])
    rate = {side: samples / statistics.median(t) for side, t in times.items()}
    return rate, {side: statistics.mean(acc) for side, acc in accuracies.items()}


def check_cost(case, repeats):
    """CPU time per nnlib step with and without the input checks that stay on the hot path (the
    per-layer type/dtype tests and shape comparisons of nnlib._validate), best of ``repeats``."""
    from nnlib import _validate
    checks = {name: getattr(_validate, name) for name in ("as_float_array", "check_features", "check_array")}
    unchecked = {"as_float_array": lambda X, *args, **kwargs: X,
                 "check_features": lambda *args, **kwargs: None, "check_array": lambda *args, **kwargs: None}
    steps = case.epochs * -(-len(case.data[0]) // case.batch_size)
    best = {"with checks": np.inf, "without": np.inf}
    weights = initial_weights(case.sizes, seed=0)
    try:
        for _ in range(repeats):
            for label, functions in (("with checks", checks), ("without", unchecked)):
                for name, function in functions.items():
                    setattr(_validate, name, function)
                t0 = time.process_time()
                train_nnlib(case, weights, seed=0)
                best[label] = min(best[label], (time.process_time() - t0) / steps * 1e6)
    finally:
        for name, function in checks.items():
            setattr(_validate, name, function)
    return best


def digits():
    X, y = nnlib.load_digits()
    X_tr, y_tr, _, _, X_te, y_te = nnlib.train_val_test_split(X, y, rng=np.random.default_rng(0),
                                                              fractions=(0.8, 0.0, 0.2))
    return X_tr.astype(np.float32), y_tr, X_te.astype(np.float32), y_te


def synthetic(n_train=8192, n_test=2048, d=784, k=10):
    """Gaussian inputs labelled by a random linear teacher (learnable, so accuracy means something)."""
    rng = np.random.default_rng(1)
    X = rng.standard_normal((n_train + n_test, d)).astype(np.float32)
    y = (X @ rng.standard_normal((d, k)).astype(np.float32)).argmax(axis=1)
    return X[:n_train], y[:n_train], X[n_train:], y[n_train:]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7, help="timed runs per side (median is reported)")
    parser.add_argument("--check-cost", action="store_true",
                        help="also time nnlib's steps with its hot-path input checks switched off")
    args = parser.parse_args()
    torch.set_num_threads(1)

    digit_data = digits()
    cases = [Case("digits 64-128-64-10, batch 64", [64, 128, 64, 10], digit_data, 64, epochs=5),
             Case("synthetic 784-256-128-10, batch 128", [784, 256, 128, 10], synthetic(), 128, epochs=1),
             Case("digits 64-128-64-10, batch 1", [64, 128, 64, 10], digit_data, 1, epochs=1,
                  accuracy_tolerance=0.02)]
    print(f"samples per CPU-second (process time), median of {args.repeats} interleaved runs; float32; "
          f"1 thread each (torch {torch.__version__}, numpy {np.__version__}); Adam lr={LR}")
    print(f"{'case':<38} {'nnlib':>9} {'torch':>9} {'nnlib/torch':>11} {'floor':>10} {'nnlib/floor':>11}"
          f" {'test acc nnlib / torch':>23}")
    with threadpool_limits(1):
        for case in cases:
            rate, acc = measure(case, args.repeats)
            print(f"{case.name:<38} {rate['nnlib']:>9,.0f} {rate['torch']:>9,.0f} "
                  f"{rate['nnlib'] / rate['torch']:>10.2f}x {rate['floor']:>10,.0f} "
                  f"{rate['nnlib'] / rate['floor']:>11.0%} {acc['nnlib']:>14.4f} / {acc['torch']:.4f}", flush=True)
        if args.check_cost:
            print("\ninput checks on the hot path: CPU time per nnlib step, best of", 2 * args.repeats)
            for case in cases:
                best = check_cost(case, 2 * args.repeats)
                print(f"{case.name:<38} {best['with checks']:>8.1f} us with, {best['without']:>8.1f} us without "
                      f"({best['with checks'] / best['without'] - 1:+.1%})", flush=True)


if __name__ == "__main__":
    main()
