"""Initialisers: shapes, and sample variances matching their formulas (statistical checks)."""

import numpy as np
import pytest

import nnlib
from nnlib import init

FAN_IN, FAN_OUT = 300, 200
N = FAN_IN * FAN_OUT

# (name, expected variance written from the formula, half-width for uniform rules or None)
RULES = [
    ("normal", 0.01 ** 2, None),
    ("uniform", (1 / np.sqrt(FAN_IN)) ** 2 / 3, 1 / np.sqrt(FAN_IN)),
    ("xavier_uniform", (np.sqrt(6 / (FAN_IN + FAN_OUT))) ** 2 / 3, np.sqrt(6 / (FAN_IN + FAN_OUT))),
    ("xavier_normal", 2 / (FAN_IN + FAN_OUT), None),
    ("he_uniform", (np.sqrt(6 / FAN_IN)) ** 2 / 3, np.sqrt(6 / FAN_IN)),
    ("he_normal", 2 / FAN_IN, None),
]


@pytest.mark.parametrize("name, variance, half_width", RULES, ids=[r[0] for r in RULES])
def test_variance_matches_the_formula(name, variance, half_width):
    W = nnlib.get_initializer(name)(FAN_IN, FAN_OUT, np.random.default_rng(0))
    assert W.shape == (FAN_IN, FAN_OUT) and W.dtype == np.float64
    # sampling error of the variance: sd = variance * sqrt(2/N) (normal), smaller for uniform; allow 5 sd
    assert abs(W.var() - variance) < 5 * variance * np.sqrt(2 / N)
    assert abs(W.mean()) < 5 * np.sqrt(variance / N)
    if half_width is not None:
        assert -half_width <= W.min() and W.max() <= half_width
        assert W.max() > 0.99 * half_width


def test_deterministic_rules_and_symmetry():
    np.testing.assert_array_equal(init.zeros(3, 2), np.zeros((3, 2)))
    np.testing.assert_array_equal(init.constant(3, 2, value=0.7), np.full((3, 2), 0.7))
    assert np.ptp(init.constant(4, 4)) == 0


def test_seeded_and_independent_of_global_state():
    a = init.he_normal(5, 4, np.random.default_rng(3))
    np.random.seed(123)
    b = init.he_normal(5, 4, np.random.default_rng(3))
    np.testing.assert_array_equal(a, b)


def test_registry_names():
    assert set(init.INITIALIZERS) == {"zeros", "constant", "normal", "uniform", "xavier_uniform",
                                      "xavier_normal", "he_uniform", "he_normal"}
    with pytest.raises(ValueError, match="he_normal"):
        nnlib.get_initializer("kaiming")
