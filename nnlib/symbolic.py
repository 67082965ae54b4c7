"""SymPy derivations of every activation and loss, checked two ways.

Each :class:`SymbolicEntry` holds the function as a SymPy expression, the
derivative the book states in closed form, and the nnlib functions that
compute both numerically. Two checks:

(a) ``check_closed_form``: SymPy differentiates ``expr`` itself and
    ``simplify(derivative - stated_derivative)`` must be exactly 0;
(b) ``check_numeric``: nnlib's numeric derivative (the code the layers and
    losses use) must agree with the lambdified SymPy derivative at many
    random points.

``verify(name, rng)`` runs both and prints a one-line report; chapters call it
to show the check, tests call it for every entry of ``REGISTRY``.

The derivative of an entry is taken with respect to ``wrt`` (its first symbol
unless said otherwise): a scalar for one variable, a column vector (the
gradient) for several, and the Jacobian matrix when ``expr`` is a vector
(softmax). Losses are written for one sample; the per-sample derivative is
nnlib's backward for a batch of one. A layer whose rows interact (the Softmax
layer over a row, BatchNorm over a batch of three) is written as the scalar
sum_i g_i y_i for an upstream gradient g: its gradient is the layer's backward(g).
"""

from dataclasses import dataclass

import numpy as np
import sympy as sp

from . import activations as act
from . import sparsity
from .gradcheck import relative_error
from .layers import BatchNorm
from .losses import BinaryCrossEntropy, SoftmaxCrossEntropy, SquaredError


@dataclass
class SymbolicEntry:
    """One function with its SymPy form, its stated derivative and nnlib's numeric versions.

    Shown first in book/foundations/chain-rule.md; every chapter that states a derivative uses it.

    symbols: the SymPy symbols, in the order the numeric functions take them;
    expr: the function (scalar expression, or a Matrix for vector-valued softmax);
    stated_derivative: the closed form the book states (same shape as the derivative);
    numeric / numeric_derivative: nnlib callables taking one float per symbol;
    chapter: where the book teaches it;
    sample: rng, n -> list of n points, each a tuple of floats (one per symbol);
    default: every coordinate drawn from N(0, 2^2);
    wrt: the symbols differentiated (default: the first).
    """

    name: str
    symbols: tuple
    expr: object
    stated_derivative: object
    numeric: object
    numeric_derivative: object
    chapter: str
    sample: object = None
    wrt: tuple = None

    def derivative(self):
        """SymPy's own derivative of ``expr`` (scalar, gradient column, or Jacobian)."""
        wrt = self.wrt or self.symbols[:1]
        if isinstance(self.expr, sp.MatrixBase):
            return self.expr.jacobian(wrt)
        if len(wrt) == 1:
            return sp.diff(self.expr, wrt[0])
        return sp.Matrix([sp.diff(self.expr, s) for s in wrt])

    def check_closed_form(self):
        """True when simplify(SymPy's derivative - stated_derivative) is exactly zero."""
        difference = sp.simplify(self.derivative() - self.stated_derivative)
        if isinstance(difference, sp.MatrixBase):
            return all(entry == 0 for entry in difference)
        return difference == 0

    def check_numeric(self, rng, n_points=200):
        """Max relative error (per point, see gradcheck.relative_error) of nnlib vs lambdified SymPy.

        Both the function values and the derivatives are compared at ``n_points``
        random points drawn by ``sample``.
        """
        value_fn = sp.lambdify(self.symbols, self.expr, "numpy")
        derivative_fn = sp.lambdify(self.symbols, self.derivative(), "numpy")
        worst = 0.0
        if self.sample is not None:
            points = self.sample(rng, n_points)
        else:
            points = [tuple(p) for p in rng.normal(0.0, 2.0, (n_points, len(self.symbols)))]
        for point in points:
            for exact_fn, nnlib_fn in ((value_fn, self.numeric), (derivative_fn, self.numeric_derivative)):
                exact = np.asarray(exact_fn(*point), dtype=np.float64)
                ours = np.asarray(nnlib_fn(*point), dtype=np.float64).reshape(exact.shape)
                worst = max(worst, relative_error(ours, exact))
        return worst


def verify(name, rng, n_points=200, tol=1e-9):
    """Run both checks for REGISTRY[name]; print a one-line report, raise AssertionError on failure.

    Chapters call this right after stating a derivative (from book/foundations/chain-rule.md on).
    """
    entry = REGISTRY[name]
    closed = entry.check_closed_form()
    error = entry.check_numeric(rng, n_points)
    print(f"{name}: SymPy derivative {'equals' if closed else 'DIFFERS FROM'} the stated closed form; "
          f"nnlib vs SymPy max relative error {error:.1e} over {n_points} points")
    if not closed:
        raise AssertionError(f"{name}: simplify(diff(expr) - stated_derivative) is not 0; "
                             f"SymPy gives {entry.derivative()}, stated {entry.stated_derivative}")
    if not error < tol:
        raise AssertionError(f"{name}: nnlib differs from the SymPy derivative by {error:.3e} (tolerance {tol:.0e})")


# ---- numeric adapters: one sample in, nnlib's value / backward out -------------------------------

def _loss_numeric(make_loss):
    """(value, gradient) functions of one sample (y_hat, y) computed by a fresh nnlib loss object."""
    def value(y_hat, y):
        return make_loss().forward(np.array([y_hat], dtype=np.float64), np.array([y], dtype=np.float64))

    def gradient(y_hat, y):
        loss = make_loss()
        loss.forward(np.array([y_hat], dtype=np.float64), np.array([y], dtype=np.float64))
        return loss.backward()

    return value, gradient


def _prelu_layer(z, alpha):
    layer = act.PReLU(n_units=1, alpha_init=alpha)
    return layer, layer.forward(np.array([[z]]))


def _prelu_value(z, alpha):
    return _prelu_layer(z, alpha)[1]


def _prelu_gradient(z, alpha):
    layer, _ = _prelu_layer(z, alpha)
    dz = layer.backward(np.ones((1, 1)))
    return [dz[0, 0], layer.grads["alpha"][0]]


def _softmax_layer_value(z1, z2, z3, g1, g2, g3):
    return float(np.sum(np.array([g1, g2, g3]) * act.Softmax().forward(np.array([[z1, z2, z3]]))))


def _softmax_layer_gradient(z1, z2, z3, g1, g2, g3):
    layer = act.Softmax()
    layer.forward(np.array([[z1, z2, z3]]))
    return layer.backward(np.array([[g1, g2, g3]]))[0]


def _batchnorm_layer(x1, x2, x3, gamma, beta):
    """A one-feature BatchNorm (eps = BATCHNORM_EPS) run in training mode on the batch (x1, x2, x3)."""
    layer = BatchNorm(1, eps=BATCHNORM_EPS)
    layer.params["gamma"][:], layer.params["beta"][:] = gamma, beta
    return layer, layer.forward(np.array([[x1], [x2], [x3]]), training=True)


def _batchnorm_value(x1, x2, x3, gamma, beta, g1, g2, g3):
    return float(np.sum(np.array([[g1], [g2], [g3]]) * _batchnorm_layer(x1, x2, x3, gamma, beta)[1]))


def _batchnorm_gradient(x1, x2, x3, gamma, beta, g1, g2, g3):
    layer, _ = _batchnorm_layer(x1, x2, x3, gamma, beta)
    dX = layer.backward(np.array([[g1], [g2], [g3]]))
    return [*dX[:, 0], layer.grads["gamma"][0], layer.grads["beta"][0]]


BATCHNORM_EPS_EXACT = sp.Rational(1, 100_000)     # the eps of the "batchnorm" entry, exact for SymPy
BATCHNORM_EPS = float(BATCHNORM_EPS_EXACT)


def _one_hot_args(fn):
    """Adapt fn(z, y) to the entry's symbols (z1, z2, z3, y1, y2), with y3 = 1 - y1 - y2."""
    return lambda z1, z2, z3, y1, y2: fn([z1, z2, z3], [y1, y2, 1 - y1 - y2])


# ---- samplers -------------------------------------------------------------------------------------

def _uniform(low, high):
    return lambda rng, n: [(z,) for z in rng.uniform(low, high, n)]


def _away_from_zero(rng, n):
    z = rng.uniform(0.01, 10, n) * rng.choice([-1.0, 1.0], n)
    return z


def _with_alpha(rng, n):
    return list(zip(_away_from_zero(rng, n), rng.uniform(0.0, 0.5, n)))


def _prediction_and_label(rng, n, low, high):
    return list(zip(rng.uniform(low, high, n), rng.integers(0, 2, n).astype(np.float64)))


def _logits_and_one_hot(rng, n):
    z = rng.normal(0.0, 3.0, (n, 3))
    y = np.eye(3)[rng.integers(0, 3, n)]
    return [(*zi, yi[0], yi[1]) for zi, yi in zip(z, y)]


def _rho_hat_and_rho(rng, n):
    """Sparsity targets rho in [0.02, 0.3] and average activations rho_hat below or above them, never within
    a few per cent of rho (there KL vanishes quadratically and any float form loses relative digits)."""
    rho = rng.uniform(0.02, 0.3, n)
    below = rho * rng.uniform(0.01, 0.9, n)
    above = rho + (1 - rho) * rng.uniform(0.1, 0.99, n)
    return list(zip(np.where(rng.random(n) < 0.5, below, above), rho))


# ---- the registry ---------------------------------------------------------------------------------

def _build_registry():
    z, alpha, y, p = sp.symbols("z alpha y p", real=True)
    y_hat = sp.Symbol("yhat", real=True)
    sigma = 1 / (1 + sp.exp(-z))
    relu_expr = sp.Piecewise((z, z > 0), (0, True))
    leaky_expr = sp.Piecewise((z, z > 0), (alpha * z, True))
    leaky_slope = sp.Piecewise((1, z > 0), (alpha, True))

    zs = sp.symbols("z1:4", real=True)
    y1, y2 = sp.symbols("y1 y2", real=True)
    ys = [y1, y2, 1 - y1 - y2]                       # one-hot target: the entries sum to 1
    softmax_vec = sp.Matrix([sp.exp(v) for v in zs]) / sum(sp.exp(v) for v in zs)
    ce = -sum(yi * sp.log(pi) for yi, pi in zip(ys, softmax_vec))

    # BatchNorm on a batch of three rows, one feature; upstream gradient g: the scalar sum_i g_i y_i.
    xs, gs = sp.symbols("x1:4", real=True), sp.symbols("g1:4", real=True)
    gamma, beta = sp.symbols("gamma beta", real=True)
    mean = sum(xs) / 3
    std = sp.sqrt(sum((x - mean) ** 2 for x in xs) / 3 + BATCHNORM_EPS_EXACT)
    xhat = [(x - mean) / std for x in xs]
    bn_out = sum(g * (gamma * xh + beta) for g, xh in zip(gs, xhat))
    dxhat = [g * gamma for g in gs]
    sum_dxhat, sum_dxhat_xhat = sum(dxhat), sum(d * xh for d, xh in zip(dxhat, xhat))
    bn_stated = sp.Matrix([(3 * d - sum_dxhat - xh * sum_dxhat_xhat) / (3 * std) for d, xh in zip(dxhat, xhat)]
                          + [sum(g * xh for g, xh in zip(gs, xhat)), sum(gs)])

    squared_error = _loss_numeric(lambda: SquaredError("sum"))
    bce = _loss_numeric(BinaryCrossEntropy)
    bce_logits = _loss_numeric(lambda: BinaryCrossEntropy(from_logits=True))
    softmax_ce = [_one_hot_args(fn) for fn in _loss_numeric(SoftmaxCrossEntropy)]
    rho_hat, rho = sp.symbols("rho_hat rho", positive=True)
    kl = rho * sp.log(rho / rho_hat) + (1 - rho) * sp.log((1 - rho) / (1 - rho_hat))
    entries = [
        SymbolicEntry("sigmoid", (z,), sigma, sigma * (1 - sigma), act.sigmoid, act.sigmoid_derivative,
                      "book/foundations/sigmoid-tanh.md", _uniform(-30, 30)),
        SymbolicEntry("tanh", (z,), sp.tanh(z), 1 - sp.tanh(z) ** 2, act.tanh, act.tanh_derivative,
                      "book/foundations/sigmoid-tanh.md", _uniform(-20, 20)),
        SymbolicEntry("relu", (z,), relu_expr, sp.Piecewise((1, z > 0), (0, True)), act.relu,
                      act.relu_derivative, "book/foundations/relu.md",
                      lambda rng, n: [(v,) for v in _away_from_zero(rng, n)]),
        SymbolicEntry("leaky_relu", (z, alpha), leaky_expr, leaky_slope, act.leaky_relu,
                      act.leaky_relu_derivative, "book/foundations/relu.md", _with_alpha),
        SymbolicEntry("prelu", (z, alpha), leaky_expr,
                      sp.Matrix([leaky_slope, sp.Piecewise((0, z > 0), (z, True))]),
                      _prelu_value, _prelu_gradient, "book/foundations/relu.md", _with_alpha, wrt=(z, alpha)),
        SymbolicEntry("softmax", zs, softmax_vec,
                      sp.diag(*softmax_vec) - softmax_vec * softmax_vec.T,
                      lambda *v: act.softmax(np.array(v)), lambda *v: act.softmax_jacobian(np.array(v)),
                      "book/training/softmax-cross-entropy.md", lambda rng, n: [tuple(v) for v in rng.normal(0, 3, (n, 3))],
                      wrt=zs),
        SymbolicEntry("softmax_layer", (*zs, *gs), sum(g * s for g, s in zip(gs, softmax_vec)),
                      sp.Matrix([s * (g - sum(gj * sj for gj, sj in zip(gs, softmax_vec)))
                                 for g, s in zip(gs, softmax_vec)]),
                      _softmax_layer_value, _softmax_layer_gradient, "book/training/softmax-cross-entropy.md",
                      lambda rng, n: [tuple(v) for v in rng.normal(0, 3, (n, 6))], wrt=zs),
        SymbolicEntry("batchnorm", (*xs, gamma, beta, *gs), bn_out, bn_stated,
                      _batchnorm_value, _batchnorm_gradient, "book/training/batch-normalisation.md",
                      wrt=(*xs, gamma, beta)),
        SymbolicEntry("squared_error", (y_hat, y), (y - y_hat) ** 2, 2 * (y_hat - y),
                      *squared_error,
                      "book/foundations/training-a-neuron.md",
                      lambda rng, n: list(zip(rng.normal(0, 3, n), rng.normal(0, 3, n)))),
        SymbolicEntry("binary_cross_entropy", (p, y), -(y * sp.log(p) + (1 - y) * sp.log(1 - p)),
                      (p - y) / (p * (1 - p)),
                      *bce,
                      "book/foundations/training-a-neuron.md",
                      lambda rng, n: _prediction_and_label(rng, n, 0.001, 0.999)),
        SymbolicEntry("binary_cross_entropy_logits", (z, y),
                      -(y * sp.log(sigma) + (1 - y) * sp.log(1 - sigma)), sigma - y,
                      *bce_logits,
                      "book/foundations/training-a-neuron.md",
                      # |z| <= 8: beyond it SymPy's own log(1 - sigma(z)) loses digits in float64
                      lambda rng, n: _prediction_and_label(rng, n, -8, 8)),
        SymbolicEntry("softmax_cross_entropy", (*zs, y1, y2), ce, softmax_vec - sp.Matrix(ys),
                      *softmax_ce,
                      "book/training/softmax-cross-entropy.md", _logits_and_one_hot, wrt=zs),
        SymbolicEntry("kl_sparsity", (rho_hat, rho), kl, -rho / rho_hat + (1 - rho) / (1 - rho_hat),
                      sparsity.kl_sparsity, sparsity.kl_sparsity_derivative,
                      "book/representation/autoencoders.md", _rho_hat_and_rho),
    ]
    return {entry.name: entry for entry in entries}


REGISTRY = _build_registry()
