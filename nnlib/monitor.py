"""Callbacks for ``fit`` that watch training (Part II: a recipe for deep MLPs).

A callback is called as ``cb(epoch, model, history)`` after every epoch.
"""

import numpy as np

from .layers import Dense


class GradientNormMonitor:
    """Per-layer gradient norms ||dL/dW^[l]||_F of every Dense layer, once per epoch (Part II: a recipe for deep MLPs).

    Without a probe it records the gradients of the epoch's last mini-batch step (what the optimiser
    last received, before any penalty or clipping). With ``probe=(X, Y, loss)`` it runs one forward
    and backward pass on that fixed batch in inference mode (no dropout, BatchNorm running statistics
    unchanged), so the numbers of different epochs are comparable.

    After training, ``norms`` is an array (epochs, n_dense) and ``keys`` names its columns ("0.W", ...).
    Pass the monitor itself in ``fit(..., callbacks=[monitor])``.
    """

    def __init__(self, probe=None):
        if probe is not None and len(probe) != 3:
            raise ValueError("probe must be a tuple (X, Y, loss)")
        self.probe = probe
        self.keys, self._rows = None, []

    def __call__(self, epoch, model, history):
        if self.probe is not None:
            X, Y, loss = self.probe
            loss.forward(model.forward(X, training=False), Y)
            model.backward(loss.backward(), input_grad=False)
        grads = model.gradients()
        keys = [f"{i}.W" for i, layer in enumerate(model.layers) if isinstance(layer, Dense)]
        if self.keys is None:
            self.keys = keys
        elif keys != self.keys:
            raise ValueError(f"the model's Dense layers changed from {self.keys} to {keys} between epochs")
        self._rows.append([float(np.linalg.norm(grads[k])) for k in keys])

    @property
    def norms(self):
        """Array (epochs recorded, n_dense) of Frobenius norms, one column per Dense layer."""
        return np.array(self._rows).reshape(len(self._rows), len(self.keys or []))
