"""nnlib's input contract, as two tables: what is refused (and how), and what is converted (and to what).

REFUSED: each row is a call a user might make with bad input, the exception it
must raise (TypeError: the wrong kind of thing; ValueError: the right kind, a
wrong value), and a phrase its message must contain; the phrases name the
argument, what was expected and what was given. CONVERTED: each row is a call
with input nnlib accepts by converting it, and the call with plain float input
whose result it must equal exactly. The decisions behind both tables are
stated in the docstrings of nnlib._validate and of each module:

* numbers: lists, int and bool arrays are converted to float64; strings,
  complex numbers and objects are refused; a loss's predictions, parameters
  given to an optimiser and arrays perturbed by gradcheck must already be float;
* empty input: layers pass 0 rows through; a mean over 0 samples is refused;
* BatchNorm trains only on batches of at least 2 finite rows;
* BinaryCrossEntropy: probabilities and targets in [0, 1]; SoftmaxCrossEntropy:
  soft-target rows in [0, 1] summing to 1;
* hyper-parameters: wrong type is a TypeError, out of range a ValueError;
* gradients with NaN or inf are refused by optimiser steps and by clipping,
  before anything is changed.
"""

import re

import numpy as np
import pytest

import nnlib
from nnlib import init


def rng():
    return np.random.default_rng(0)


X3 = np.arange(6.0).reshape(2, 3) - 2.5          # a float batch of 2 rows, 3 features
STRINGS = np.array([["a", "b", "c"]])
COMPLEX = np.ones((2, 3)) * 1j
OBJECTS = np.array([[None, None, None]], dtype=object)
RAGGED = [[1.0, 2.0, 3.0], [4.0]]


def layers():
    """One of every layer, each taking X of shape (n, 3)."""
    return {"Dense": nnlib.Dense(3, 2, rng=rng()), "Sigmoid": nnlib.Sigmoid(), "Tanh": nnlib.Tanh(),
            "ReLU": nnlib.ReLU(), "LeakyReLU": nnlib.LeakyReLU(0.1), "PReLU": nnlib.PReLU(3),
            "Softmax": nnlib.Softmax(), "BatchNorm": nnlib.BatchNorm(3), "Dropout": nnlib.Dropout(0.5, rng=rng())}


def forwarded(layer, X, training=False):
    layer.forward(X, training)
    return layer


def step(opt, params, grads):
    opt.step(params, grads)
    return params


def tiny_fit(X=None, Y=None, loss=None, **kwargs):
    model = nnlib.Sequential([nnlib.Dense(3, 2, rng=rng())])
    X = np.ones((4, 3)) if X is None else X
    Y = np.array([0, 1, 0, 1]) if Y is None else Y
    args = dict(epochs=1, batch_size=2, rng=rng()) | kwargs
    return nnlib.fit(model, loss or nnlib.SoftmaxCrossEntropy(), nnlib.SGD(), X, Y, **args)


def constant_init(value):
    return lambda fan_in, fan_out, r: np.full((fan_in, fan_out), value)


# ---- REFUSED: (id, call, exception, phrase the message contains) -------------------------------------------

REFUSED = [
    # Arrays of the wrong kind, given to any layer directly: refused, naming the layer, X and the dtype.
    *[(f"{name} given {kind}", (lambda n=name, bad=bad: layers()[n].forward(bad, True)), error, phrase)
      for name in layers()
      for kind, bad, error, phrase in [
          ("strings", STRINGS, TypeError, "X must hold real numbers (float, int or bool), got dtype <U1 (strings)"),
          ("complex numbers", COMPLEX, TypeError, "got dtype complex128 (complex numbers)"),
          ("objects", OBJECTS, TypeError, "got dtype object (Python objects)"),
          ("a ragged list", RAGGED, ValueError, "X must be a rectangular array of numbers, got a ragged list")]],
    ("Dense names itself", lambda: nnlib.Dense(3, 2, rng=rng()).forward(STRINGS), TypeError, "Dense: X must"),
    ("Dense wrong width", lambda: nnlib.Dense(3, 2, rng=rng()).forward(np.ones((2, 4))), ValueError,
     "Dense: X must have shape (n, 3), got shape (2, 4)"),
    ("Dense zero-width input", lambda: nnlib.Dense(3, 2, rng=rng()).forward(np.ones((2, 0))), ValueError,
     "X must have shape (n, 3), got shape (2, 0)"),
    ("backward given a list", lambda: forwarded(nnlib.ReLU(), X3).backward([[1.0] * 3] * 2), TypeError,
     "ReLU: dY must be a NumPy array of real numbers, got list"),
    ("backward given strings", lambda: forwarded(nnlib.Tanh(), X3).backward(np.full((2, 3), "a")), TypeError,
     "Tanh: dY must be a NumPy array of real numbers, got dtype <U1 (strings)"),

    # BatchNorm's batch statistics need at least 2 finite rows (no NaN is ever written into the running ones).
    ("BatchNorm training on 1 row", lambda: nnlib.BatchNorm(3).forward(np.ones((1, 3)), True), ValueError,
     "training needs a batch of at least 2 rows to estimate the batch statistics, got X of shape (1, 3)"),
    ("BatchNorm training on 0 rows", lambda: nnlib.BatchNorm(3).forward(np.ones((0, 3)), True), ValueError,
     "at least 2 rows"),
    ("BatchNorm training on NaN", lambda: nnlib.BatchNorm(3).forward(X3 * np.nan, True), ValueError,
     "BatchNorm: X contains 6 non-finite value(s)"),
    ("BatchNorm zero-width", lambda: nnlib.BatchNorm(3).forward(np.ones((2, 0))), ValueError, "(n, 3)"),

    # Softmax over zero classes is undefined.
    ("softmax of zero classes", lambda: nnlib.softmax(np.ones((2, 0))), ValueError,
     "Z must have shape (n, k) or (k,) with k >= 1 classes, got shape (2, 0)"),
    ("log_softmax of zero classes", lambda: nnlib.log_softmax(np.ones(0)), ValueError, "k >= 1"),
    ("Softmax layer, zero classes", lambda: nnlib.Softmax().forward(np.ones((2, 0))), ValueError, "k >= 1"),
    ("relu of strings", lambda: nnlib.relu(["a"]), TypeError, "z must hold real numbers"),
    ("sigmoid of complex", lambda: nnlib.sigmoid(np.array([1j])), TypeError, "complex numbers"),
    ("leaky_relu alpha a string", lambda: nnlib.leaky_relu(X3, alpha="0.1"), TypeError,
     "alpha must be a real number, got str '0.1'"),

    # Layer hyper-parameters: the wrong type is a TypeError, a wrong value a ValueError.
    ("Dense in_features a string", lambda: nnlib.Dense("3", 2, rng=rng()), TypeError,
     "in_features must be a real number, got str '3'"),
    ("Dense in_features 2.5", lambda: nnlib.Dense(2.5, 2, rng=rng()), ValueError,
     "in_features must be an integer >= 1, got 2.5"),
    ("Dense integer dtype", lambda: nnlib.Dense(3, 2, rng=rng(), dtype=np.int64), TypeError,
     "dtype must be a floating-point dtype such as np.float64, got int64"),
    ("Dense init not callable", lambda: nnlib.Dense(3, 2, rng=rng(), init=42), TypeError,
     "init must be an initialiser name or a callable"),
    ("Dropout p a string", lambda: nnlib.Dropout("0.5", rng=rng()), TypeError, "dropout p must be a real number"),
    ("LeakyReLU alpha None", lambda: nnlib.LeakyReLU(None), TypeError, "alpha must be a real number, got NoneType"),
    ("PReLU alpha_init a string", lambda: nnlib.PReLU(alpha_init="0.25"), TypeError, "alpha_init must be a real"),
    ("BatchNorm momentum True", lambda: nnlib.BatchNorm(3, momentum=True), TypeError,
     "momentum must be a real number, got bool True"),
    ("BatchNorm integer dtype", lambda: nnlib.BatchNorm(3, dtype=int), TypeError, "floating-point dtype"),
    ("Sequential given a class", lambda: nnlib.Sequential([nnlib.Dense(3, 2, rng=rng()), nnlib.ReLU]), TypeError,
     "layers[1] must be a layer (an object with forward and backward"),
    ("Sequential given an array", lambda: nnlib.Sequential([np.ones(3)]), TypeError, "got ndarray"),
    ("mlp given an activation instance", lambda: nnlib.mlp([3, 4, 2], nnlib.ReLU(), rng=rng()), TypeError,
     "activation must be a layer class such as nnlib.ReLU (not an instance)"),
    ("mlp given a factory returning a non-layer", lambda: nnlib.mlp([3, 4, 2], lambda: np.tanh, rng=rng()),
     TypeError, "activation() must return an nnlib layer"),

    # Initialisers: no weights to draw for an empty layer, and randomness only from a Generator.
    ("he_normal fan_in 0", lambda: init.he_normal(0, 3, rng()), ValueError, "fan_in must be an integer >= 1, got 0"),
    ("xavier_uniform fan_out 0", lambda: init.xavier_uniform(3, 0, rng()), ValueError, "fan_out must be an integer"),
    ("uniform fan_in 0", lambda: init.uniform(0, 0, rng()), ValueError, "fan_in"),
    ("zeros fan_in 0", lambda: init.zeros(0, 3), ValueError, "fan_in"),
    ("constant fan_out -1", lambda: init.constant(3, -1), ValueError, "fan_out"),
    ("he_uniform without rng", lambda: init.he_uniform(3, 2, None), TypeError,
     "rng must be a np.random.Generator (e.g. np.random.default_rng(0)), got NoneType"),
    ("xavier_normal seed as rng", lambda: init.xavier_normal(3, 2, 42), TypeError, "got int"),
    ("normal std negative", lambda: init.normal(3, 2, rng(), std=-1.0), ValueError, "std must be a finite number >= 0"),
    ("constant value a string", lambda: init.constant(3, 2, value="1"), TypeError, "value must be a real number"),
    ("get_initializer of a list", lambda: init.get_initializer(["he_normal"]), ValueError, "unknown initialiser"),

    # Losses: predictions must be finite floats (integers look like labels), and there must be at least one.
    ("SquaredError, integer predictions", lambda: nnlib.SquaredError().forward(np.array([1, 2]), [1.0, 2.0]),
     TypeError, "SquaredError: Y_hat must hold floating-point values, got dtype int64"),
    ("BCE, boolean predictions", lambda: nnlib.BinaryCrossEntropy().forward(np.array([True]), [1.0]), TypeError,
     "Y_hat must hold floating-point values, got dtype bool"),
    ("SoftmaxCE, integer logits", lambda: nnlib.SoftmaxCrossEntropy().forward(np.ones((2, 3), int), [0, 1]),
     TypeError, "labels passed in the wrong place"),
    ("loss of strings", lambda: nnlib.SquaredError().forward(["a"], [1.0]), TypeError, "Y_hat must hold real"),
    ("loss of complex targets", lambda: nnlib.SquaredError().forward([1.0], [1j]), TypeError,
     "SquaredError: Y must hold real numbers"),
    ("loss of NaN predictions", lambda: nnlib.SquaredError().forward([np.nan, 1.0], [1.0, 1.0]), ValueError,
     "Y_hat contains 1 non-finite value(s)"),
    ("SquaredError, empty batch", lambda: nnlib.SquaredError().forward(np.ones((0, 1)), np.ones((0, 1))),
     ValueError, "Y_hat is empty (shape (0, 1)): a loss is a mean over at least one sample"),
    ("BCE, empty batch", lambda: nnlib.BinaryCrossEntropy().forward(np.ones(0), np.ones(0)), ValueError, "empty"),
    ("SoftmaxCE, empty batch", lambda: nnlib.SoftmaxCrossEntropy().forward(np.ones((0, 3)), np.ones(0, int)),
     ValueError, "empty"),
    ("SoftmaxCE, zero classes", lambda: nnlib.SoftmaxCrossEntropy().forward(np.ones((2, 0)), [0, 0]), ValueError,
     "Y_hat is empty (shape (2, 0))"),
    ("SquaredError, zero-width", lambda: nnlib.SquaredError().forward(np.ones((2, 0)), np.ones((2, 0))),
     ValueError, "empty"),

    # BinaryCrossEntropy: probabilities and targets in [0, 1].
    ("BCE, probability above 1", lambda: nnlib.BinaryCrossEntropy().forward([0.2, 1.5], [0.0, 1.0]), ValueError,
     "probabilities Y_hat must lie in [0, 1], got values in [0.2, 1.5]; for logits use "
     "BinaryCrossEntropy(from_logits=True)"),
    ("BCE, probability below 0", lambda: nnlib.BinaryCrossEntropy().forward([-0.1], [0.0]), ValueError,
     "probabilities Y_hat must lie in [0, 1]"),
    ("BCE, target 2", lambda: nnlib.BinaryCrossEntropy().forward([0.5, 0.5], [2, 0]), ValueError,
     "targets Y must lie in [0, 1], got values in [0, 2]"),
    ("BCE logits, target -1", lambda: nnlib.BinaryCrossEntropy(from_logits=True).forward([3.0], [-1.0]), ValueError,
     "targets Y must lie in [0, 1]"),
    ("BCE from_logits a string", lambda: nnlib.BinaryCrossEntropy(from_logits="yes"), TypeError,
     "from_logits must be True or False, got str 'yes'"),
    ("BCE eps a string", lambda: nnlib.BinaryCrossEntropy(eps="1e-7"), TypeError, "eps must be a real number"),

    # SoftmaxCrossEntropy: soft targets are distributions.
    ("SoftmaxCE, a row summing to 1.5",
     lambda: nnlib.SoftmaxCrossEntropy().forward(np.zeros((2, 3)), [[1.0, 0, 0], [0.5, 0.5, 0.5]]), ValueError,
     "each row of the targets Y must sum to 1 (a distribution over the 3 classes), got row 1 summing to 1.5"),
    ("SoftmaxCE, a negative soft target",
     lambda: nnlib.SoftmaxCrossEntropy().forward(np.zeros((1, 3)), [[1.5, -0.5, 0.0]]), ValueError,
     "soft targets Y must lie in [0, 1], got values in [-0.5, 1.5]"),
    ("SoftmaxCE, float labels", lambda: nnlib.SoftmaxCrossEntropy().forward(np.zeros((2, 3)), [0.0, 1.0]),
     ValueError, "Y must hold integer class labels, got dtype float64"),
    ("SoftmaxCE, label out of range", lambda: nnlib.SoftmaxCrossEntropy().forward(np.zeros((2, 3)), [0, 3]),
     ValueError, "Y must hold labels in [0, 3), got values in [0, 3]"),
    ("l2_penalty given a list", lambda: nnlib.l2_penalty([np.ones(3)], 0.1), TypeError,
     "weights must be a dict of name -> array, got list"),
    ("l1_penalty lam a string", lambda: nnlib.l1_penalty({"W": np.ones(3)}, "0.1"), TypeError,
     "lam must be a real number"),

    # Optimisers: typed hyper-parameters; float parameters (updated in place); finite gradients.
    ('SGD(lr="0.1")', lambda: nnlib.SGD(lr="0.1"), TypeError, "lr must be a real number, got str '0.1'"),
    ("Adam(lr=None)", lambda: nnlib.Adam(lr=None), TypeError, "lr must be a real number, got NoneType None"),
    ("Adam(beta1=True)", lambda: nnlib.Adam(beta1=True), TypeError, "beta1 must be a real number, got bool"),
    ("RMSprop(rho='0.9')", lambda: nnlib.RMSprop(rho="0.9"), TypeError, "rho must be a real number"),
    ("Momentum(beta=1.0)", lambda: nnlib.Momentum(beta=1.0), ValueError, "beta must lie in [0, 1), got 1.0"),
    ("AdaGrad(lr=-1)", lambda: nnlib.AdaGrad(lr=-1), ValueError, "lr must be a finite number > 0, got -1"),
    ("step on integer parameters", lambda: step(nnlib.SGD(), {"w": np.zeros(3, int)}, {"w": np.ones(3)}),
     TypeError, "params['w'] must be a floating-point NumPy array (it is updated in place), got dtype int64"),
    ("step on a list parameter", lambda: step(nnlib.Adam(), {"w": [0.0, 0.0]}, {"w": [1.0, 1.0]}), TypeError,
     "params['w'] must be a floating-point NumPy array (it is updated in place), got list"),
    ("step with params a list", lambda: step(nnlib.SGD(), [np.zeros(3)], {"w": np.ones(3)}), TypeError,
     "params must be a dict of name -> array, got list"),
    ("step with NaN gradient", lambda: step(nnlib.Adam(), {"w": np.zeros(3)}, {"w": np.array([1, np.nan, 1])}),
     ValueError, "grads['w'] contains 1 non-finite value(s) (NaN or inf)"),
    ("step with inf gradient", lambda: step(nnlib.Momentum(), {"w": np.zeros(2)}, {"w": [np.inf, -np.inf]}),
     ValueError, "grads['w'] contains 2 non-finite value(s)"),
    ("step with string gradients", lambda: step(nnlib.SGD(), {"w": np.zeros(1)}, {"w": ["1"]}), TypeError,
     "grads['w'] must hold real numbers"),
    ("step, keys differ", lambda: step(nnlib.SGD(), {"w": np.zeros(1)}, {"v": np.zeros(1)}), ValueError,
     "params and grads must have the same keys, got ['w'] and ['v']"),
    ("step, shapes differ", lambda: step(nnlib.SGD(), {"w": np.zeros(3)}, {"w": np.zeros(2)}), ValueError,
     "grads['w'] must have shape (3,), got (2,)"),
    ("clipping a NaN gradient", lambda: nnlib.clip_by_global_norm({"a": np.ones(2), "b": [np.nan, 1.0]}, 1.0),
     ValueError, "grads['b'] contains 1 non-finite value(s)"),
    ("clipping an inf gradient", lambda: nnlib.clip_by_global_norm({"a": np.array([np.inf])}, 1.0), ValueError,
     "grads['a'] contains 1 non-finite"),
    ("clipping, max_norm a string", lambda: nnlib.clip_by_global_norm({"a": np.ones(2)}, "1"), TypeError,
     "max_norm must be a real number"),
    ("clipping a list of gradients", lambda: nnlib.clip_by_global_norm([np.ones(2)], 1.0), TypeError,
     "grads must be a dict"),

    # fit: at least one sample, the right kinds of arguments, and a model output the loss accepts.
    ("fit on 0 rows", lambda: tiny_fit(np.ones((0, 3)), np.ones(0, int)), ValueError,
     "X is empty (shape (0, 3)): training and validation need at least one sample"),
    ("fit on zero-width X", lambda: tiny_fit(np.ones((4, 0))), ValueError, "X is empty (shape (4, 0))"),
    ("fit on empty validation", lambda: tiny_fit(validation=(np.ones((0, 3)), np.ones(0, int))), ValueError,
     "X_val is empty"),
    ("fit on strings", lambda: tiny_fit(np.full((4, 3), "1")), TypeError, "X must hold real numbers"),
    ("fit, Y a scalar", lambda: tiny_fit(Y=np.int64(1)), ValueError,
     "X and Y must have the same number of rows, got 4 and a scalar"),
    ('fit, batch_size="2"', lambda: tiny_fit(batch_size="2"), TypeError, "batch_size must be a real number"),
    ("fit, epochs=2.5", lambda: tiny_fit(epochs=2.5), ValueError, "epochs must be an integer >= 1, got 2.5"),
    ("fit, verbose a string", lambda: tiny_fit(verbose="no"), TypeError, "verbose must be True or False"),
    ("fit, validation not a pair", lambda: tiny_fit(validation=np.ones((4, 3))), TypeError,
     "validation must be a pair (X_val, Y_val), got ndarray"),
    ("fit, logits given to BCE on probabilities",
     lambda: nnlib.fit(nnlib.Sequential([nnlib.Dense(3, 1, rng=rng(), init=constant_init(2.0))]),
                       nnlib.BinaryCrossEntropy(), nnlib.SGD(), np.ones((4, 3)), np.ones((4, 1)),
                       epochs=1, batch_size=2, rng=rng()),
     ValueError, "probabilities Y_hat must lie in [0, 1], got values in [6, 6]; for logits use"),
    ("fit, soft targets not distributions", lambda: tiny_fit(Y=np.ones((4, 2))), ValueError,
     "got row 0 summing to 2"),
    ("accuracy on 0 rows", lambda: nnlib.accuracy(nnlib.Sequential([nnlib.Dense(3, 2, rng=rng())]),
                                                  np.ones((0, 3)), []),
     ValueError, "X is empty (shape (0, 2)): accuracy is a fraction of at least one sample"),
    ("EarlyStopping restore_best a string", lambda: nnlib.EarlyStopping(restore_best="yes"), TypeError,
     "restore_best must be True or False"),

    # Data helpers.
    ("Standardizer on 0 rows", lambda: nnlib.Standardizer().fit(np.ones((0, 3))), ValueError,
     "X is empty (shape (0, 3)): the mean and standard deviation need at least one row"),
    ("Standardizer on strings", lambda: nnlib.Standardizer().fit([["1", "2"]]), TypeError, "X must hold real"),
    ("inverse_transform before fit", lambda: nnlib.Standardizer().inverse_transform(X3), RuntimeError,
     "before fit"),
    ("split 0 rows", lambda: nnlib.train_val_test_split(np.ones((0, 2)), [], rng=rng()), ValueError,
     "X is empty"),
    ("split, y a scalar", lambda: nnlib.train_val_test_split(X3, 1, rng=rng()), ValueError,
     "X and y must have the same number of rows"),
    ("minibatches, seed as rng", lambda: list(nnlib.minibatches(X3, [0, 1], 1, rng=0)), TypeError,
     "rng must be a np.random.Generator"),
    ('minibatches, batch_size="1"', lambda: list(nnlib.minibatches(X3, [0, 1], "1")), TypeError,
     "batch_size must be a real number"),
    ("minibatches, lengths differ", lambda: list(nnlib.minibatches(X3, [0, 1, 2], 1)), ValueError,
     "X and Y must have the same number of rows, got 2 and 3"),
    ("one_hot of floats", lambda: nnlib.one_hot([0, 1.5], 3), ValueError, "y must hold integer class labels"),
    ('one_hot, k="3"', lambda: nnlib.one_hot([0, 1], "3"), TypeError, "k must be a real number"),
    ('make_moons, noise="0.1"', lambda: nnlib.make_moons(10, rng=rng(), noise="0.1"), TypeError,
     "noise must be a real number"),
    ("make_xor, n=0", lambda: nnlib.make_xor(0, rng=rng()), ValueError, "n must be an integer >= 1, got 0"),
    ('Perceptron, lr="1"', lambda: nnlib.Perceptron(2, lr="1"), TypeError, "lr must be a real number"),

    # Gradient checking: arrays perturbed in place must be float (float64 in the checks); copied inputs converted.
    ("numerical_gradient of an int array", lambda: nnlib.numerical_gradient(lambda: 0.0, np.zeros(3, int)),
     TypeError, "x must be a float NumPy array, float64 for a meaningful estimate (it is perturbed in place by h"),
    ("numerical_gradient of a bool array", lambda: nnlib.numerical_gradient(lambda: 0.0, np.zeros(3, bool)),
     TypeError, "got dtype bool"),
    ("numerical_gradient of a list", lambda: nnlib.numerical_gradient(lambda: 0.0, [0.0]), TypeError, "got list"),
    ("numerical_gradient, f not callable", lambda: nnlib.numerical_gradient(0.0, np.zeros(3)), TypeError,
     "f must be a function of no arguments"),
    ('numerical_gradient, h="1e-6"', lambda: nnlib.numerical_gradient(lambda: 0.0, np.zeros(3), h="1e-6"),
     TypeError, "h must be a real number"),
    ("check_layer on float32 parameters",
     lambda: nnlib.check_layer(nnlib.Dense(3, 2, rng=rng(), dtype=np.float32), X3, rng=rng()), TypeError,
     "parameter 'W' must be a float64 NumPy array to be checked"),
    ("check_model on float32 parameters",
     lambda: nnlib.check_model(nnlib.Sequential([nnlib.Dense(3, 1, rng=rng(), dtype=np.float32)]),
                               nnlib.SquaredError(), X3, np.zeros((2, 1))), TypeError,
     "check_model: parameter '0.W' must be a float64 NumPy array"),
    ("check_layer on strings", lambda: nnlib.check_layer(nnlib.ReLU(), STRINGS, rng=rng()), TypeError,
     "X must hold real numbers"),
    ("check_loss on complex", lambda: nnlib.check_loss(nnlib.SquaredError(), [1j], [1.0]), TypeError,
     "Y_hat must hold real numbers"),
    ("relative_error of complex", lambda: nnlib.relative_error([1j], [1.0]), TypeError, "a must hold real numbers"),
]


@pytest.mark.parametrize("call, error, phrase", [row[1:] for row in REFUSED], ids=[row[0] for row in REFUSED])
def test_refused(call, error, phrase):
    with pytest.raises(error, match=re.escape(phrase)):
        call()


# ---- CONVERTED: (id, call, the float call whose result it must equal exactly) --------------------------------

INTS = np.array([[-2, 0, 3], [1, -1, 2]])
BOOLS = INTS > 0
ONE_HOT = np.array([[1, 0, 0], [0, 0, 1]])
OPT_START = {"w": np.array([0.5, -0.5])}


def fresh(layer_name):
    return lambda X, training=True: layers()[layer_name].forward(X, training)


def adam_step(grads):
    params = {"w": OPT_START["w"].copy()}
    nnlib.Adam(lr=0.1).step(params, grads)
    return params["w"]


CONVERTED = [
    # Every layer given an int array, a bool array or a list computes what it computes for the same floats.
    *[(f"{name} given {kind}", (lambda n=name, v=value: fresh(n)(v)),
       (lambda n=name, v=value: fresh(n)(np.asarray(v, dtype=np.float64))))
      for name in layers()
      for kind, value in [("ints", INTS), ("bools", BOOLS), ("a list", INTS.tolist())]],
    *[(f"{fn.__name__} given ints", (lambda f=fn: f(INTS)), (lambda f=fn: f(INTS.astype(float))))
      for fn in (nnlib.sigmoid, nnlib.sigmoid_derivative, nnlib.tanh, nnlib.tanh_derivative, nnlib.relu,
                 nnlib.relu_derivative, nnlib.leaky_relu, nnlib.leaky_relu_derivative, nnlib.softmax,
                 nnlib.log_softmax)],
    ("float32 stays float32", lambda: nnlib.ReLU().forward(INTS.astype(np.float32)).dtype, lambda: np.float32),

    # Targets may be ints, bools or lists; SoftmaxCrossEntropy's integer one-hot rows equal its labels.
    ("SquaredError, int targets", lambda: nnlib.SquaredError().forward(X3, INTS),
     lambda: nnlib.SquaredError().forward(X3, INTS.astype(float))),
    ("BCE, bool targets", lambda: nnlib.BinaryCrossEntropy().forward(np.full(3, 0.25), [True, False, True]),
     lambda: nnlib.BinaryCrossEntropy().forward(np.full(3, 0.25), np.array([1.0, 0.0, 1.0]))),
    ("SoftmaxCE, int one-hot targets", lambda: nnlib.SoftmaxCrossEntropy().forward(X3, ONE_HOT),
     lambda: nnlib.SoftmaxCrossEntropy().forward(X3, np.array([0, 2]))),
    ("SoftmaxCE, predictions as a list", lambda: nnlib.SoftmaxCrossEntropy().forward(X3.tolist(), [0, 2]),
     lambda: nnlib.SoftmaxCrossEntropy().forward(X3, np.array([0, 2]))),

    # Gradients are only read: lists and int arrays are converted.
    ("Adam step, gradient a list", lambda: adam_step({"w": [1, -2]}), lambda: adam_step({"w": np.array([1.0, -2.0])})),
    ("clipping a list gradient", lambda: nnlib.clip_by_global_norm({"w": [3, 4]}, 1.0)[0]["w"],
     lambda: nnlib.clip_by_global_norm({"w": np.array([3.0, 4.0])}, 1.0)[0]["w"]),

    # 0 rows pass through the layers (no mean over the batch is needed there).
    *[(f"{name} passes 0 rows", (lambda n=name: fresh(n)(np.ones((0, 3)), n != "BatchNorm").shape),
       (lambda n=name: (0, 2) if n == "Dense" else (0, 3))) for name in layers()],
    # Zero-width input (no features) passes through the layers that do not fix the width.
    *[(f"{name} passes zero-width input", (lambda n=name: fresh(n)(np.ones((2, 0))).shape), lambda: (2, 0))
      for name in ("Sigmoid", "Tanh", "ReLU", "LeakyReLU", "Dropout")],
    ("Dense backward on 0 rows: zero gradients",
     lambda: forwarded(nnlib.Dense(3, 2, rng=rng()), np.ones((0, 3))).backward(np.ones((0, 2))).shape, lambda: (0, 3)),
    ("minibatches of 0 rows: no batches", lambda: list(nnlib.minibatches(np.ones((0, 3)), [], 4)), lambda: []),
]


@pytest.mark.parametrize("call, reference", [row[1:] for row in CONVERTED], ids=[row[0] for row in CONVERTED])
def test_converted(call, reference):
    got, want = call(), reference()
    if isinstance(want, (list, tuple, type)):
        assert got == want
    else:
        np.testing.assert_array_equal(got, want)
        assert np.asarray(got).dtype.kind == "f"


# ---- refused input changes nothing ------------------------------------------------------------------------

def test_refused_batchnorm_calls_leave_running_statistics_unchanged():
    bn = nnlib.BatchNorm(3)
    for bad in (np.ones((1, 3)), np.ones((0, 3)), np.full((4, 3), np.nan), np.full((4, 3), np.inf)):
        with pytest.raises(ValueError):
            bn.forward(bad, training=True)
    np.testing.assert_array_equal(bn.running_mean, np.zeros(3))
    np.testing.assert_array_equal(bn.running_var, np.ones(3))
    assert bn.forward(np.ones((1, 3))).shape == (1, 3)      # a single sample is fine at inference


def test_refused_step_changes_no_parameter_and_no_state():
    opt = nnlib.Adam()
    params = {"a": np.ones(2), "b": np.ones(2)}
    with pytest.raises(ValueError, match="grads\\['b'\\]"):
        opt.step(params, {"a": np.ones(2), "b": np.array([1.0, np.nan])})
    assert opt.t == 0 and opt.state == {}
    np.testing.assert_array_equal(params["a"], np.ones(2))


def test_clipping_finite_gradients_whose_squares_overflow():
    clipped, norm = nnlib.clip_by_global_norm({"w": np.array([3e300, 4e300])}, 1.0)
    assert norm == pytest.approx(5e300)
    np.testing.assert_allclose(clipped["w"], [0.6, 0.8], rtol=1e-15)


def test_dense_backward_on_zero_rows_gives_zero_gradients():
    layer = forwarded(nnlib.Dense(3, 2, rng=rng()), np.ones((0, 3)))
    layer.backward(np.ones((0, 2)))
    np.testing.assert_array_equal(layer.grads["W"], np.zeros((3, 2)))
    np.testing.assert_array_equal(layer.grads["b"], np.zeros(2))

