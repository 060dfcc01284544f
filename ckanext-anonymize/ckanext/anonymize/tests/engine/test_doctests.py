"""The examples in the engine's docstrings (check digits, era dates, regexes) are tests too."""
import doctest
import importlib
import pkgutil

import pytest

import ckanext.anonymize.engine as engine_pkg

MODULES = sorted(m.name for m in pkgutil.walk_packages(engine_pkg.__path__, engine_pkg.__name__ + "."))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0
