"""The registry entries for layer backward passes (Softmax layer, BatchNorm): they check the claim and catch errors."""

import dataclasses

import numpy as np
import pytest
import sympy as sp

import nnlib
from nnlib.symbolic import BATCHNORM_EPS, REGISTRY


@pytest.mark.parametrize("name", ["softmax_layer", "batchnorm"])
def test_entry_is_registered_with_its_chapter(name):
    assert REGISTRY[name].chapter.startswith("book/training/")


def test_batchnorm_entry_uses_the_layer_default_eps():
    assert BATCHNORM_EPS == nnlib.BatchNorm(1).eps


def test_batchnorm_stated_gradient_without_the_variance_term_is_caught():
    entry = REGISTRY["batchnorm"]
    x1, x2, x3, gamma, beta, *gs = entry.symbols
    wrong = entry.stated_derivative.copy()
    # Drop the term that flows through the batch variance: dx_j = gamma (g_j - mean g) / std
    mean = (x1 + x2 + x3) / 3
    std = sp.sqrt(sum((x - mean) ** 2 for x in (x1, x2, x3)) / 3 + sp.Rational(1, 100_000))
    for j in range(3):
        wrong[j] = gamma * (gs[j] - sum(gs) / 3) / std
    assert not dataclasses.replace(entry, stated_derivative=wrong).check_closed_form()


def test_batchnorm_backward_that_ignores_the_batch_statistics_is_caught():
    entry = REGISTRY["batchnorm"]

    def naive(x1, x2, x3, gamma, beta, g1, g2, g3):         # treats mu and sigma as constants
        grads = list(entry.numeric_derivative(x1, x2, x3, gamma, beta, g1, g2, g3))
        std = np.sqrt(np.var([x1, x2, x3]) + BATCHNORM_EPS)
        grads[:3] = [gamma * g / std for g in (g1, g2, g3)]
        return grads

    assert dataclasses.replace(entry, numeric_derivative=naive).check_numeric(np.random.default_rng(0), 20) > 1e-2


def test_softmax_layer_backward_without_the_coupling_term_is_caught():
    entry = REGISTRY["softmax_layer"]
    zs, gs = entry.symbols[:3], entry.symbols[3:]
    s = [sp.exp(z) / sum(sp.exp(v) for v in zs) for z in zs]
    diagonal_only = sp.Matrix([si * (1 - si) * gi for si, gi in zip(s, gs)])   # the "sigma_1(Z_1)" reading
    assert not dataclasses.replace(entry, stated_derivative=diagonal_only).check_closed_form()
