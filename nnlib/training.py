"""The training loop: mini-batches, epochs, validation, early stopping (book/foundations/training-a-neuron.md).

One step on a mini-batch (X_b, Y_b):
forward -> loss (+ L1/L2 penalty on the Dense weights) -> backward -> (clip) -> optimiser step.
Epochs and mini-batches are counted from 0, so ``history.val_loss[history.best_epoch]``
is the best validation loss.
"""

import math
from dataclasses import dataclass, field

import numpy as np

from . import _validate
from .activations import Sigmoid
from .data import minibatches
from .layers import Dense
from .losses import BinaryCrossEntropy, SoftmaxCrossEntropy, l1_penalty, l2_penalty
from .optim import clip_by_global_norm


@dataclass
class History:
    """What ``fit`` measured (book/foundations/training-a-neuron.md). Per-epoch lists (one entry per epoch run):

    train_loss / train_accuracy: averages over the epoch's mini-batches as seen
    during training (weighted by batch size; the loss includes the penalty);
    val_loss / val_accuracy: on the validation set after the epoch (inference mode).
    step_loss: the loss of every mini-batch. Accuracy lists stay empty for
    non-classification losses, validation lists without validation data.
    best_epoch / stopped_epoch: set by early stopping (else None).
    """

    train_loss: list = field(default_factory=list)
    val_loss: list = field(default_factory=list)
    train_accuracy: list = field(default_factory=list)
    val_accuracy: list = field(default_factory=list)
    step_loss: list = field(default_factory=list)
    best_epoch: int | None = None
    stopped_epoch: int | None = None


class EarlyStopping:
    """Stop when the validation loss has not improved by more than ``min_delta`` for ``patience`` epochs.

    With restore_best=True the parameters of the best epoch are copied back
    into the model when training ends. Pass to ``fit(..., early_stopping=...)``
    together with validation data (Part II: regularisation).
    """

    def __init__(self, patience=5, min_delta=0.0, restore_best=True):
        _validate.check_positive_int(patience, "patience")
        _validate.check_non_negative(min_delta, "min_delta")
        _validate.check_bool(restore_best, "restore_best")
        self.patience, self.min_delta, self.restore_best = patience, min_delta, restore_best

    def start(self):
        """Reset the state before a run."""
        self.best_loss, self.best_epoch, self.best_params, self.wait = np.inf, None, None, 0

    def update(self, epoch, val_loss, model):
        """Record epoch ``epoch``'s validation loss; return True when training should stop."""
        if val_loss < self.best_loss - self.min_delta:
            self.best_loss, self.best_epoch, self.wait = val_loss, epoch, 0
            if self.restore_best:
                self.best_params = {k: p.copy() for k, p in model.parameters().items()}
            return False
        self.wait += 1
        return self.wait >= self.patience

    def restore(self, model):
        """Copy the best epoch's parameters back into the model (in place)."""
        if self.restore_best and self.best_params is not None:
            for key, p in model.parameters().items():
                p[...] = self.best_params[key]


def _count_correct(out, Y, threshold):
    """Number of rows whose predicted class matches Y.

    out (n, k): the predicted class is the argmax; out (n,) or (n, 1): 1 where out >= threshold.
    Y: labels (n,) or (n, 1), or one-hot rows (n, k).
    """
    predicted = out.argmax(axis=1) if out.ndim == 2 and out.shape[1] > 1 else out.reshape(len(out)) >= threshold
    labels = Y.argmax(axis=1) if Y.ndim == 2 and Y.shape[1] > 1 else Y.reshape(len(Y))
    return int(np.count_nonzero(predicted == labels))


def accuracy(model, X, y):
    """Fraction of rows of X (n, d) classified correctly (book/foundations/training-a-neuron.md).

    Multi-class outputs (n, k): the predicted class is the argmax. A single
    output (n,) or (n, 1) is a probability thresholded at 0.5 when the model
    ends in a Sigmoid layer, otherwise a logit thresholded at 0.
    y: labels (n,) or one-hot (n, k).
    """
    threshold = 0.5 if isinstance(model.layers[-1], Sigmoid) else 0.0
    out, y = model.predict(X), np.asarray(y)
    _validate.check_nonempty(out, "X", "accuracy is a fraction of at least one sample")
    if y.ndim == 0 or len(y) != len(out):
        raise ValueError(f"X and y must have the same number of rows, got {len(out)} and "
                         f"{len(y) if y.ndim else 'a scalar'}")
    return _count_correct(out, y, threshold) / len(y)


def _loss_threshold(loss):
    """Decision threshold for single-output accuracy, or None when the loss is not a classification loss."""
    if isinstance(loss, SoftmaxCrossEntropy):
        return 0.0
    if isinstance(loss, BinaryCrossEntropy):
        return 0.0 if loss.from_logits else 0.5
    return None


def fit(model, loss, optimizer, X, Y, *, epochs, batch_size, rng, validation=None, l1=0.0, l2=0.0,
        clip_norm=None, early_stopping=None, callbacks=(), verbose=False):
    """Train ``model`` on X (n, d), Y (n,) or (n, k) with mini-batch gradient descent; return a History.

    Each epoch shuffles the rows with ``rng`` and takes one optimiser step per
    mini-batch of ``batch_size`` rows. ``l1`` / ``l2`` add lam*sum|W| / lam*sum W^2
    over the Dense weights "W" (not biases); activity penalties (a KLSparsity layer) add their value to the
    training loss and their gradient through backward. ``clip_norm`` clips the global
    gradient norm. ``validation=(X_val, Y_val)`` is evaluated after every epoch;
    ``early_stopping`` (an EarlyStopping) needs it. Each callback is called as
    cb(epoch, model, history) after every epoch. ``verbose`` prints one line per epoch.

    Raises FloatingPointError naming the epoch and batch if the loss becomes NaN or inf,
    or if any operation of a step overflows. Bad input is refused before the first
    step: X and Y with no rows, non-finite X, targets the loss refuses, and a
    model whose output the loss refuses (e.g. logits given to BinaryCrossEntropy
    with from_logits=False). Chapter: book/foundations/training-a-neuron.md.
    """
    X, Y = _checked_data(model, loss, X, Y, "X", "Y")
    _validate.check_positive_int(epochs, "epochs")
    _validate.check_positive_int(batch_size, "batch_size")
    _validate.check_rng(rng)
    _validate.check_non_negative(l1, "l1")
    _validate.check_non_negative(l2, "l2")
    if clip_norm is not None:
        _validate.check_positive(clip_norm, "clip_norm")
    _validate.check_bool(verbose, "verbose")
    if early_stopping is not None and validation is None:
        raise ValueError("early_stopping needs validation=(X_val, Y_val)")
    if validation is not None:
        if not (isinstance(validation, (tuple, list)) and len(validation) == 2):
            raise TypeError(f"validation must be a pair (X_val, Y_val), got {type(validation).__name__}")
        validation = _checked_data(model, loss, *validation, "X_val", "Y_val")
        if early_stopping is not None:
            early_stopping.start()

    threshold = _loss_threshold(loss)
    params = model.parameters()
    weight_keys = [f"{i}.W" for i, layer in enumerate(model.layers) if isinstance(layer, Dense)]
    history = History()

    for epoch in range(epochs):
        total_loss, outputs, targets = 0.0, [], []
        # Overflow or 0/0 anywhere in a step raises instead of silently training on inf/NaN.
        with np.errstate(over="raise", invalid="raise", divide="raise"):
            for batch, (X_b, Y_b) in enumerate(minibatches(X, Y, batch_size, rng=rng)):
                try:
                    value, out = _train_step(model, loss, optimizer, params, weight_keys, X_b, Y_b,
                                             l1, l2, clip_norm)
                except FloatingPointError as err:
                    raise FloatingPointError(f"numerical error ({err}) at epoch {epoch}, batch {batch} "
                                             f"(counted from 0); {_ADVICE}") from err
                history.step_loss.append(value)
                total_loss += value * len(X_b)
                if threshold is not None:     # scored once per epoch below (no layer edits its output later)
                    outputs.append(out)
                    targets.append(Y_b)
        history.train_loss.append(total_loss / len(X))
        if threshold is not None:
            correct = _count_correct(np.concatenate(outputs), np.concatenate(targets), threshold)
            history.train_accuracy.append(correct / len(X))

        if validation is not None:
            out_val = model._forward(validation[0], False)
            history.val_loss.append(loss._forward(out_val, validation[1]))
            if threshold is not None:
                history.val_accuracy.append(_count_correct(out_val, validation[1], threshold) / len(out_val))
        if verbose:
            print(_progress_line(epoch, epochs, history), flush=True)
        for callback in callbacks:
            callback(epoch, model, history)
        if early_stopping is not None and early_stopping.update(epoch, history.val_loss[-1], model):
            history.stopped_epoch = epoch
            break

    if early_stopping is not None:
        history.best_epoch = early_stopping.best_epoch
        early_stopping.restore(model)
    return history


def _checked_data(model, loss, X, Y, x_name, y_name):
    """Check X (finite, at least one row, one row per target), all targets Y and one row of the model's
    output once, before training; return X and Y."""
    X = _validate.as_float_array(X, x_name)
    _validate.check_nonempty(X, x_name, "training and validation need at least one sample")
    _validate.check_finite(X, x_name)
    Y = np.asarray(Y)
    if Y.ndim == 0 or len(Y) != len(X):
        raise ValueError(f"{x_name} and {y_name} must have the same number of rows, got {len(X)} and "
                         f"{len(Y) if Y.ndim else 'a scalar'}")
    out = loss.check_predictions(model._forward(X[:1], False))   # one inference pass: the output's width and kind
    return X, loss.check_targets(Y, (len(X), *out.shape[1:]))


_ADVICE = "try a smaller learning rate, gradient clipping, or check the data"


def _train_step(model, loss, optimizer, params, weight_keys, X_b, Y_b, l1, l2, clip_norm):
    """One optimiser step on a mini-batch; returns (loss value incl. penalties, model output)."""
    out = model._forward(X_b, True)
    value = loss._forward(out, Y_b) + model.activity_penalty()     # targets were checked once, up front
    if not math.isfinite(value):
        raise FloatingPointError(f"loss is {value}")
    model.backward(loss.backward(), input_grad=False)
    grads = model.gradients()
    for lam, penalty in ((l1, l1_penalty), (l2, l2_penalty)):
        if lam:
            extra, extra_grads = penalty({k: params[k] for k in weight_keys}, lam)
            value += extra
            for k, g in extra_grads.items():
                grads[k] = grads[k] + g
    if clip_norm is not None:
        grads, _ = clip_by_global_norm(grads, clip_norm)
    optimizer._step(params, grads)      # finite by construction: fit's data are checked, the step runs under errstate
    return value, out


def _progress_line(epoch, epochs, history):
    parts = [f"epoch {epoch + 1}/{epochs}", f"train_loss {history.train_loss[-1]:.4f}"]
    for name in ("train_accuracy", "val_loss", "val_accuracy"):
        values = getattr(history, name)
        if values:
            parts.append(f"{name} {values[-1]:.4f}")
    return "  ".join(parts)
