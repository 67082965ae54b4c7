"""The SymPy registry: each entry's stated derivative equals SymPy's, and nnlib's numerics agree with SymPy."""

import numpy as np
import pytest
import sympy as sp

import nnlib
from nnlib.symbolic import REGISTRY, SymbolicEntry, verify

REQUIRED = {"sigmoid", "tanh", "relu", "leaky_relu", "prelu", "softmax", "squared_error",
            "binary_cross_entropy", "softmax_cross_entropy"}


def test_registry_covers_every_activation_and_loss():
    assert REQUIRED <= set(REGISTRY)
    for name, entry in REGISTRY.items():
        assert entry.name == name and entry.chapter


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_closed_form(name):
    assert REGISTRY[name].check_closed_form()


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_numeric(name):
    assert REGISTRY[name].check_numeric(np.random.default_rng(1), n_points=200) < 1e-9


@pytest.mark.parametrize("name", sorted(REGISTRY))
def test_verify_reports_one_line(name, capsys):
    verify(name, np.random.default_rng(2), n_points=20)
    out = capsys.readouterr().out
    assert out.count("\n") == 1 and out.startswith(name)


def test_known_closed_forms():
    z = sp.Symbol("z", real=True)
    s = 1 / (1 + sp.exp(-z))
    assert sp.simplify(REGISTRY["sigmoid"].stated_derivative - s * (1 - s)) == 0
    assert sp.simplify(REGISTRY["tanh"].stated_derivative - (1 - sp.tanh(z) ** 2)) == 0


def wrong_sigmoid_entry(**changes):
    good = REGISTRY["sigmoid"]
    fields = dict(name="wrong", symbols=good.symbols, expr=good.expr, stated_derivative=good.stated_derivative,
                  numeric=good.numeric, numeric_derivative=good.numeric_derivative, chapter=good.chapter,
                  sample=good.sample)
    fields.update(changes)
    return SymbolicEntry(**fields)


def test_a_wrong_stated_derivative_is_caught(monkeypatch):
    z = REGISTRY["sigmoid"].symbols[0]
    entry = wrong_sigmoid_entry(stated_derivative=REGISTRY["sigmoid"].expr ** 2)
    assert not entry.check_closed_form()
    monkeypatch.setitem(REGISTRY, "wrong", entry)
    with pytest.raises(AssertionError, match="stated"):
        verify("wrong", np.random.default_rng(0))
    assert z in entry.symbols


def test_a_wrong_numeric_derivative_is_caught(monkeypatch):
    entry = wrong_sigmoid_entry(numeric_derivative=lambda z: 1.01 * nnlib.sigmoid_derivative(z))
    assert entry.check_numeric(np.random.default_rng(0), n_points=10) > 1e-3
    monkeypatch.setitem(REGISTRY, "wrong", entry)
    with pytest.raises(AssertionError, match="differs"):
        verify("wrong", np.random.default_rng(0))


def test_an_entry_written_in_a_chapter_needs_no_sampler():
    z = sp.Symbol("z", real=True)
    entry = SymbolicEntry("softplus", (z,), sp.log(1 + sp.exp(z)), 1 / (1 + sp.exp(-z)),
                          lambda v: np.logaddexp(0, v), nnlib.sigmoid, "book/foundations/relu.md")
    assert entry.check_closed_form()
    assert entry.check_numeric(np.random.default_rng(0), n_points=50) < 1e-12
