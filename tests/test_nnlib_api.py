"""The public API the chapters are written against: names, signatures, docstrings, no global randomness."""

import inspect

import numpy as np
import pytest

import nnlib

# name -> the parameters the contract fixes: "name" (required) or "name=default" (default's repr without spaces);
# "*" marks the start of keyword-only parameters
CONTRACT = {
    "sigmoid": "z", "sigmoid_derivative": "z", "tanh": "z", "tanh_derivative": "z", "relu": "z",
    "relu_derivative": "z", "leaky_relu": "z alpha=0.01", "leaky_relu_derivative": "z alpha=0.01",
    "softmax": "Z", "log_softmax": "Z", "softmax_jacobian": "z",
    "Dense": "in_features out_features * rng init='xavier_uniform'",
    "LeakyReLU": "alpha=0.01", "PReLU": "n_units=None alpha_init=0.25", "Dropout": "p * rng",
    "BatchNorm": "n_features momentum=0.9 eps=1e-05", "Sequential": "layers",
    "mlp": "sizes activation * rng init='xavier_uniform'",
    "SquaredError": "reduction='mean'", "BinaryCrossEntropy": "from_logits=False",
    "l2_penalty": "weights lam", "l1_penalty": "weights lam",
    "SGD": "lr=0.01", "Momentum": "lr=0.01 beta=0.9", "Nesterov": "lr=0.01 beta=0.9",
    "AdaGrad": "lr=0.01 eps=1e-08", "AdaDelta": "rho=0.95 eps=1e-06", "RMSprop": "lr=0.001 rho=0.9 eps=1e-08",
    "Adam": "lr=0.001 beta1=0.9 beta2=0.999 eps=1e-08", "clip_by_global_norm": "grads max_norm",
    "fit": "model loss optimizer X Y * epochs batch_size rng validation=None l1=0.0 l2=0.0 clip_norm=None "
           "early_stopping=None callbacks=() verbose=False",
    "EarlyStopping": "patience=5 min_delta=0.0 restore_best=True", "accuracy": "model X y",
    "train_val_test_split": "X y * rng fractions=(0.6,0.2,0.2)", "minibatches": "X Y batch_size * rng=None",
    "one_hot": "y k", "load_digits": "", "make_moons": "n * rng noise=0.1", "make_xor": "n * rng noise=0.1",
    "make_spirals": "n * rng noise=0.1 classes=2", "make_blobs2d": "n * rng separation=3.0",
    "Perceptron": "n_features * lr=1.0 rng=None", "numerical_gradient": "f x h=1e-06",
    "relative_error": "a b", "check_layer": "layer X * rng", "check_loss": "loss Y_hat Y",
    "check_model": "model loss X Y", "verify": "name rng",
}


def described(obj):
    """The leading parameters of obj's signature in the CONTRACT notation (only as many as the contract lists)."""
    parts, keyword_only = [], False
    for p in inspect.signature(obj).parameters.values():
        if p.kind is p.KEYWORD_ONLY and not keyword_only:
            parts.append("*")
            keyword_only = True
        parts.append(p.name if p.default is p.empty else f"{p.name}={p.default!r}".replace(" ", ""))
    return parts


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_signature(name):
    wanted = CONTRACT[name].split()
    assert described(getattr(nnlib, name))[:len(wanted)] == wanted


def test_method_signatures():
    rng = np.random.default_rng(0)
    layer = nnlib.Dense(2, 2, rng=rng)
    assert list(inspect.signature(layer.forward).parameters) == ["X", "training"]
    assert inspect.signature(layer.forward).parameters["training"].default is False
    assert list(inspect.signature(layer.backward).parameters) == ["dY"]
    model = nnlib.Sequential([layer])
    for method in ("forward", "backward", "predict", "parameters", "gradients"):
        assert callable(getattr(model, method))
    assert list(inspect.signature(nnlib.SGD().step).parameters) == ["params", "grads"]
    entry = nnlib.REGISTRY["sigmoid"]
    assert list(inspect.signature(entry.check_numeric).parameters) == ["rng", "n_points"]
    for field in ("name", "symbols", "expr", "stated_derivative", "numeric", "numeric_derivative", "chapter"):
        assert hasattr(entry, field)
    for field in ("train_loss", "val_loss", "train_accuracy", "val_accuracy", "step_loss", "best_epoch",
                  "stopped_epoch"):
        assert hasattr(nnlib.History(), field)
    assert {"zeros", "constant", "normal", "uniform", "xavier_uniform", "xavier_normal", "he_uniform",
            "he_normal"} <= set(dir(nnlib.init))


@pytest.mark.parametrize("name", nnlib.__all__)
def test_docstring_names_a_chapter(name):
    doc = inspect.getdoc(getattr(nnlib, name)) if name != "REGISTRY" else nnlib.symbolic.__doc__
    assert doc and ("book/" in doc or "Part II" in doc or name == "REGISTRY"), name


def test_no_global_random_state_is_used():
    np.random.seed(0)
    before = np.random.get_state()[1].copy()
    rng = np.random.default_rng(1)
    X, y = nnlib.make_moons(60, rng=rng)
    model = nnlib.Sequential([nnlib.Dense(2, 8, rng=rng), nnlib.ReLU(), nnlib.Dropout(0.2, rng=rng),
                              nnlib.Dense(8, 2, rng=rng)])
    nnlib.fit(model, nnlib.SoftmaxCrossEntropy(), nnlib.Adam(), X, y, epochs=2, batch_size=16, rng=rng)
    nnlib.train_val_test_split(X, y, rng=rng)
    np.testing.assert_array_equal(np.random.get_state()[1], before)


def test_same_seed_same_training():
    def run():
        rng = np.random.default_rng(5)
        X, y = nnlib.make_spirals(90, rng=rng, classes=3)
        model = nnlib.Sequential([nnlib.Dense(2, 16, rng=rng), nnlib.Tanh(), nnlib.Dropout(0.1, rng=rng),
                                  nnlib.Dense(16, 3, rng=rng)])
        return nnlib.fit(model, nnlib.SoftmaxCrossEntropy(), nnlib.Adam(0.01), X, y, epochs=3, batch_size=10,
                         rng=rng).step_loss

    assert run() == run()
