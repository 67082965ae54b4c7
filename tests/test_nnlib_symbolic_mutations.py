"""Mutation test of nnlib.symbolic: a wrong derivative in any REGISTRY entry makes ``verify`` fail.

For every entry (parametrised over the registry, so entries added later are
covered without editing this file) and every mutation (the derivative times
1.01, plus a constant, its sign flipped), two mutants are built:

* the stated closed form is wrong: check (a), SymPy's own derivative minus the
  stated one simplifying to 0, must catch it;
* nnlib's numeric derivative is wrong: check (b), nnlib against the lambdified
  SymPy derivative at random points, must catch it.

If a mutant passed, ``verify`` would be accepting a derivative the book must not state.
"""

import dataclasses

import numpy as np
import pytest
import sympy as sp

from nnlib.symbolic import REGISTRY, verify

C = sp.Rational(1, 10)      # the constant added by the "plus a constant" mutation

SYMBOLIC_MUTATIONS = {
    "times 1.01": lambda d: sp.Rational(101, 100) * d,
    "plus a constant": lambda d: d + (C * sp.ones(*d.shape) if isinstance(d, sp.MatrixBase) else C),
    "sign flipped": lambda d: -d,
}

NUMERIC_MUTATIONS = {
    "times 1.01": lambda v: 1.01 * v,
    "plus a constant": lambda v: v + float(C),
    "sign flipped": lambda v: -v,
}


def wrong_numeric(numeric_derivative, mutation):
    return lambda *point: mutation(np.asarray(numeric_derivative(*point), dtype=np.float64))


@pytest.mark.parametrize("mutation", sorted(SYMBOLIC_MUTATIONS))
@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_a_wrong_stated_derivative_fails_verify(name, mutation, monkeypatch):
    entry = REGISTRY[name]
    mutant = dataclasses.replace(entry, stated_derivative=SYMBOLIC_MUTATIONS[mutation](entry.stated_derivative))
    monkeypatch.setitem(REGISTRY, name, mutant)
    with pytest.raises(AssertionError, match="is not 0"):
        verify(name, np.random.default_rng(0), n_points=20)


@pytest.mark.parametrize("mutation", sorted(NUMERIC_MUTATIONS))
@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_a_wrong_numeric_derivative_fails_verify(name, mutation, monkeypatch):
    entry = REGISTRY[name]
    mutant = dataclasses.replace(entry, numeric_derivative=wrong_numeric(entry.numeric_derivative,
                                                                         NUMERIC_MUTATIONS[mutation]))
    monkeypatch.setitem(REGISTRY, name, mutant)
    with pytest.raises(AssertionError, match="differs from the SymPy derivative"):
        verify(name, np.random.default_rng(0), n_points=20)


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_the_unmutated_entry_passes(name):
    """The control: without a mutation the same call succeeds, so the failures above come from the mutation."""
    verify(name, np.random.default_rng(0), n_points=20)
