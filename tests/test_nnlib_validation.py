"""Bad input gets a clear ValueError (or RuntimeError/TypeError) that names the problem."""

import numpy as np
import pytest

import nnlib

rng = np.random.default_rng(0)


def test_dense_wrong_input_shape_names_expected_and_received():
    layer = nnlib.Dense(4, 2, rng=rng)
    with pytest.raises(ValueError, match=r"\(n, 4\).*\(3, 5\)"):
        layer.forward(np.zeros((3, 5)))
    with pytest.raises(ValueError, match=r"\(n, 4\).*\(4,\)"):
        layer.forward(np.zeros(4))


@pytest.mark.parametrize("layer", [nnlib.BatchNorm(3), nnlib.PReLU(3)])
def test_feature_count_checked(layer):
    with pytest.raises(ValueError, match=r"\(n, 3\).*\(2, 4\)"):
        layer.forward(np.zeros((2, 4)))


def test_backward_gradient_shape_checked():
    layer = nnlib.Dense(4, 2, rng=rng)
    layer.forward(np.zeros((3, 4)))
    with pytest.raises(ValueError, match=r"\(3, 2\).*\(3, 3\)"):
        layer.backward(np.zeros((3, 3)))


@pytest.mark.parametrize("layer", [nnlib.Dense(2, 2, rng=rng), nnlib.Sigmoid(), nnlib.Tanh(), nnlib.ReLU(),
                                   nnlib.LeakyReLU(), nnlib.PReLU(), nnlib.Softmax(), nnlib.BatchNorm(2),
                                   nnlib.Dropout(0.5, rng=rng)], ids=repr)
def test_backward_before_forward(layer):
    with pytest.raises(RuntimeError, match="before forward"):
        layer.backward(np.zeros((1, 2)))


@pytest.mark.parametrize("loss", [nnlib.SquaredError(), nnlib.BinaryCrossEntropy(), nnlib.SoftmaxCrossEntropy()],
                         ids=repr)
def test_loss_backward_before_forward(loss):
    with pytest.raises(RuntimeError, match="before forward"):
        loss.backward()


def test_model_input_with_nan_or_inf():
    model = nnlib.Sequential([nnlib.Dense(2, 1, rng=rng)])
    for bad in (np.nan, np.inf):
        with pytest.raises(ValueError, match="non-finite"):
            model.forward(np.array([[1.0, bad]]))


def test_loss_shapes_and_targets():
    with pytest.raises(ValueError, match=r"\(4, 2\).*\(4,\)"):
        nnlib.SquaredError().forward(np.zeros((4, 2)), np.zeros(4))
    with pytest.raises(ValueError, match="non-finite"):
        nnlib.BinaryCrossEntropy().forward(np.full(2, 0.5), np.array([1.0, np.nan]))
    with pytest.raises(ValueError, match=r"\[0, 3\)"):
        nnlib.SoftmaxCrossEntropy().forward(np.zeros((2, 3)), np.array([0, 3]))
    with pytest.raises(ValueError, match=r"\(2,\).*\(3,\)"):
        nnlib.SoftmaxCrossEntropy().forward(np.zeros((2, 3)), np.array([0, 1, 2]))
    with pytest.raises(ValueError, match="integer"):
        nnlib.SoftmaxCrossEntropy().forward(np.zeros((2, 3)), np.array([0.0, 1.0]))
    with pytest.raises(ValueError, match=r"\(n, k\)"):
        nnlib.SoftmaxCrossEntropy().forward(np.zeros(3), np.array([0]))
    with pytest.raises(ValueError, match="reduction"):
        nnlib.SquaredError("max")


@pytest.mark.parametrize("p", [1.0, -0.1, 1.5, float("nan")])
def test_dropout_probability(p):
    with pytest.raises(ValueError, match=r"\[0, 1\)"):
        nnlib.Dropout(p, rng=rng)


def test_other_hyper_parameters():
    with pytest.raises(ValueError, match="momentum"):
        nnlib.BatchNorm(3, momentum=1.0)
    with pytest.raises(ValueError, match="eps"):
        nnlib.BatchNorm(3, eps=0.0)
    with pytest.raises(ValueError, match="in_features"):
        nnlib.Dense(0, 3, rng=rng)
    with pytest.raises(ValueError, match="unknown initialiser"):
        nnlib.Dense(2, 3, rng=rng, init="glorot")
    with pytest.raises(ValueError, match=r"\(2, 3\)"):
        nnlib.Dense(2, 3, rng=rng, init=lambda fi, fo, r: np.zeros((fo, fi)))
    with pytest.raises(TypeError, match="Generator"):
        nnlib.Dense(2, 3, rng=0)
    with pytest.raises(ValueError, match="alpha"):
        nnlib.LeakyReLU(alpha=-0.1)


def make_problem():
    model = nnlib.Sequential([nnlib.Dense(3, 2, rng=np.random.default_rng(0))])
    X, y = np.random.default_rng(1).standard_normal((10, 3)), np.arange(10) % 2
    return model, X, y


@pytest.mark.parametrize("kwargs, match", [
    (dict(epochs=0), "epochs"), (dict(batch_size=0), "batch_size"), (dict(batch_size=2.5), "batch_size"),
    (dict(l2=-1.0), "l2"), (dict(l1=float("nan")), "l1"), (dict(clip_norm=0.0), "clip_norm"),
    (dict(early_stopping=nnlib.EarlyStopping()), "validation"),
])
def test_fit_arguments(kwargs, match):
    model, X, y = make_problem()
    args = dict(epochs=1, batch_size=4, rng=np.random.default_rng(0)) | kwargs
    with pytest.raises(ValueError, match=match):
        nnlib.fit(model, nnlib.SoftmaxCrossEntropy(), nnlib.SGD(), X, y, **args)


def test_fit_rejects_nan_data_and_mismatched_lengths():
    model, X, y = make_problem()
    X[3, 1] = np.nan
    with pytest.raises(ValueError, match="non-finite"):
        nnlib.fit(model, nnlib.SoftmaxCrossEntropy(), nnlib.SGD(), X, y, epochs=1, batch_size=4,
                  rng=np.random.default_rng(0))
    with pytest.raises(ValueError, match="10 and 9"):
        nnlib.fit(model, nnlib.SoftmaxCrossEntropy(), nnlib.SGD(), np.zeros((10, 3)), y[:9], epochs=1,
                  batch_size=4, rng=np.random.default_rng(0))
    with pytest.raises(TypeError, match="Generator"):
        nnlib.fit(model, nnlib.SoftmaxCrossEntropy(), nnlib.SGD(), np.zeros((10, 3)), y, epochs=1,
                  batch_size=4, rng=42)


def test_finite_check_is_exact():
    big = nnlib.Sequential([nnlib.Dense(20, 1, rng=rng, init="zeros")])
    assert big.forward(np.full((1, 20), 1e307)).shape == (1, 1)     # finite, although the sum overflows
    model = nnlib.Sequential([nnlib.Dense(2, 1, rng=rng)])
    for bad in ([np.inf, -np.inf], [np.nan, 0.0], [-np.inf, 1.0]):
        with pytest.raises(ValueError, match="non-finite"):
            model.forward(np.array([bad]))
