"""The text core stays pure: nothing but the standard library and jaconv, so both plugins (and
their tests) can use it without CKAN. Checked on the source, so an import added inside a
function counts too."""

import ast
import pathlib
import sys

import ckanext.jatext as package

ALLOWED = set(sys.stdlib_module_names) | {"jaconv", "__future__"}
ROOT = pathlib.Path(package.__file__).parent


def _imports(path: pathlib.Path):
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0:
            yield node.module


def test_the_text_core_imports_only_the_standard_library_and_jaconv():
    modules = list(ROOT.glob("*.py"))
    assert len(modules) >= 6
    outside = {(p.name, name) for p in modules for name in _imports(p) if name.split(".")[0] not in ALLOWED}
    assert outside == set()
