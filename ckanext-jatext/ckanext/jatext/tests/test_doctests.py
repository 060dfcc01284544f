"""Every module of the text core documents itself with examples, and the examples hold."""
import doctest
import importlib
import pkgutil

import pytest

import ckanext.jatext as package

MODULES = sorted(m.name for m in pkgutil.iter_modules(package.__path__, package.__name__ + ".")
                 if not m.name.endswith(".tests"))


@pytest.mark.parametrize("name", MODULES)
def test_examples_exist_and_hold(name):
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{name} has no examples"
    assert result.failed == 0
