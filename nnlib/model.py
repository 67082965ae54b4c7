"""Sequential: a stack of layers applied in order (book/foundations/backpropagation.md).

The forward pass feeds each layer's output to the next (A^[0] = X,
A^[l] = layer_l(A^[l-1])); the backward pass walks the same list in reverse,
each layer turning dL/dA^[l] into dL/dA^[l-1] and filling its own grads.
"""

import numpy as np

from . import _validate
from .layers import Dense, Layer
from .sparsity import ActivityPenalty


class Sequential:
    """A list of layers applied in order (book/foundations/backpropagation.md).

    X has shape (n, d); the output shape is the last layer's.

    Parameters and gradients are exposed flat under keys "index.name", e.g.
    "0.W", "0.b", "2.W" for a Dense layer at positions 0 and 2; the values are
    the layers' live arrays, so an optimiser updating them in place trains the model.
    """

    def __init__(self, layers):
        self.layers = list(layers)
        if not self.layers:
            raise ValueError("Sequential needs at least one layer")
        for i, layer in enumerate(self.layers):
            if isinstance(layer, type) or not (callable(getattr(layer, "forward", None))
                                               and callable(getattr(layer, "backward", None))):
                raise TypeError(f"layers[{i}] must be a layer (an object with forward and backward, e.g. "
                                f"nnlib.Dense(...)), got {type(layer).__name__}")

    def forward(self, X, training=False):
        """Run every layer on X (n, d) and return the output; X must be finite."""
        X = _validate.as_float_array(X, "X")
        _validate.check_finite(X, "X")
        return self._forward(X, training)

    def _forward(self, X, training):
        """The forward pass without the input checks (the training loop checks its data once)."""
        for layer in self.layers:
            X = layer.forward(X, training)
        return X

    def backward(self, dY, *, input_grad=True):
        """Back-propagate dL/dY (the output's shape) and return dL/dX (n, d).

        With input_grad=False the first layer only fills its grads and None is
        returned, which saves the (unused) gradient with respect to the data.
        """
        for layer in reversed(self.layers[1:]):
            dY = layer.backward(dY)
        if input_grad:
            return self.layers[0].backward(dY)
        self.layers[0].param_grads(dY)
        return None

    def predict(self, X):
        """Inference-mode output: forward(X, training=False)."""
        return self.forward(X, training=False)

    def parameters(self):
        """Dict "index.name" -> live parameter array."""
        return {f"{i}.{name}": p for i, layer in enumerate(self.layers) for name, p in layer.params.items()}

    def gradients(self):
        """Dict "index.name" -> gradient array from the last backward pass (same keys as parameters())."""
        return {f"{i}.{name}": g for i, layer in enumerate(self.layers) for name, g in layer.grads.items()}

    def activity_penalty(self):
        """Sum of the ``penalty`` values of the ActivityPenalty layers (e.g. KLSparsity) after the last forward
        pass; 0.0 without such layers (book/representation/autoencoders.md)."""
        return float(sum(layer.penalty for layer in self.layers if isinstance(layer, ActivityPenalty)))

    def n_parameters(self):
        """Total number of scalar parameters."""
        return int(sum(np.size(p) for p in self.parameters().values()))

    def __repr__(self):
        inner = ",\n    ".join(repr(layer) for layer in self.layers)
        return f"Sequential([\n    {inner},\n])"


def mlp(sizes, activation, *, rng, init="xavier_uniform"):
    """A multi-layer perceptron: Dense layers of the given sizes, ``activation`` after each hidden one
    (book/foundations/mlp-notation.md).

    ``sizes`` = [d, m_1, ..., m_D]: X (n, d) -> output (n, m_D); the output layer is linear (its
    activation, if any, belongs to the loss). ``activation`` is a layer class such as ``ReLU`` or
    ``Tanh``, or a function returning a new layer (``lambda: LeakyReLU(0.1)``); ``init`` and ``rng`` go to every Dense. The layers are built input first, so the
    weights drawn from ``rng`` do not depend on how the network was written down.
    """
    sizes = list(sizes)
    if len(sizes) < 2:
        raise ValueError(f"mlp needs at least an input and an output size, got sizes={sizes}")
    if isinstance(activation, Layer) or not callable(activation):
        raise TypeError(f"activation must be a layer class such as nnlib.ReLU (not an instance), or a function "
                        f"returning a new layer, got {activation!r}")
    layers = []
    for fan_in, fan_out in zip(sizes[:-2], sizes[1:-1]):
        hidden = activation()
        if not isinstance(hidden, Layer):
            raise TypeError(f"activation() must return an nnlib layer, got {hidden!r}")
        layers += [Dense(fan_in, fan_out, rng=rng, init=init), hidden]
    layers.append(Dense(sizes[-2], sizes[-1], rng=rng, init=init))
    return Sequential(layers)
