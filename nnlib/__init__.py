"""nnlib: the small NumPy neural-network library behind the book.

Every chapter imports its layers, losses and optimisers from here; no chapter
re-implements one. Rows are samples: an input batch ``X`` has shape ``(n, d)``.
Randomness only through an explicit ``rng`` (a ``np.random.Generator``).
"""

__version__ = "0.1.0"

from .activations import (LeakyReLU, PReLU, ReLU, Sigmoid, Softmax, Tanh, leaky_relu, leaky_relu_derivative,
                          log_softmax, relu, relu_derivative, sigmoid, sigmoid_derivative, softmax,
                          softmax_jacobian, tanh, tanh_derivative)
from .augment import augment, random_shift_rotate, transform_images
from .corruption import gaussian_noise, masking_noise
from .data import (Standardizer, load_digits, make_blobs2d, make_moons, make_spirals, make_xor, minibatches,
                   one_hot, train_val_test_split)
from .gradcheck import check_layer, check_loss, check_model, numerical_gradient, relative_error
from .init import get_initializer
from .layers import BatchNorm, Dense, Dropout, Layer
from .losses import BinaryCrossEntropy, Loss, SoftmaxCrossEntropy, SquaredError, l1_penalty, l2_penalty
from .model import Sequential, mlp
from .monitor import GradientNormMonitor
from .optim import SGD, AdaDelta, AdaGrad, Adam, Momentum, Nesterov, Optimizer, RMSprop, clip_by_global_norm
from .perceptron import Perceptron
from .proximal import soft_threshold
from .sparsity import ActivityPenalty, KLSparsity, kl_sparsity, kl_sparsity_derivative
from .symbolic import REGISTRY, SymbolicEntry, verify
from .training import EarlyStopping, History, accuracy, fit
from . import word2vec

__all__ = [
    "AdaDelta", "AdaGrad", "Adam", "BatchNorm", "BinaryCrossEntropy", "Dense",
    "Dropout", "EarlyStopping", "History", "Layer", "LeakyReLU", "Loss",
    "Momentum", "Nesterov", "Optimizer", "PReLU", "Perceptron", "REGISTRY",
    "RMSprop", "ReLU", "SGD", "Sequential", "Sigmoid", "Softmax",
    "SoftmaxCrossEntropy", "SquaredError", "Standardizer", "SymbolicEntry", "Tanh", "accuracy",
    "check_layer", "check_loss", "check_model", "clip_by_global_norm", "fit", "get_initializer",
    "l1_penalty", "l2_penalty", "leaky_relu", "leaky_relu_derivative", "load_digits", "log_softmax",
    "make_blobs2d", "make_moons", "make_spirals", "make_xor", "minibatches", "mlp", "numerical_gradient",
    "one_hot", "relative_error", "relu", "relu_derivative", "sigmoid", "sigmoid_derivative",
    "softmax", "softmax_jacobian", "tanh", "tanh_derivative", "train_val_test_split", "verify",
    "GradientNormMonitor", "augment", "random_shift_rotate", "soft_threshold", "transform_images",
    "ActivityPenalty", "KLSparsity", "gaussian_noise", "kl_sparsity", "kl_sparsity_derivative", "masking_noise",
    "word2vec",
]
