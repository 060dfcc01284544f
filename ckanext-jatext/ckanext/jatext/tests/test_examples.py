"""Every module of the text core documents itself with examples (pytest runs them:
--doctest-modules in pytest.ini)."""

import doctest
import importlib
import pkgutil

import pytest

import ckanext.jatext as package

MODULES = sorted(
    m.name
    for m in pkgutil.iter_modules(package.__path__, package.__name__ + ".")
    if not m.name.endswith(".tests")
)


@pytest.mark.parametrize("name", MODULES)
def test_every_module_has_examples(name):
    found = doctest.DocTestFinder().find(importlib.import_module(name))
    assert sum(len(t.examples) for t in found) > 0, f"{name} has no examples"
