"""The suite's module boundaries, checked on the source (pure: no CKAN, no services).

- no import cycle inside the suite, imports inside functions included;
- the pure modules (PII engine, pipeline, Japanese text core, opt-out key normalisation and
  row filtering, municipality codes) import no CKAN, web, database or queue library, directly
  or through another suite module;
- plugins talk through CKAN: optout and gifu reach anonymize only through ``interfaces.py``;
  anonymize imports no other plugin; roundtable imports none (it calls anonymize's
  ``anonymize_text_preview`` action through CKAN); the text core imports none.
"""

from __future__ import annotations

import textwrap

import imports
import pytest

PURE = (
    "ckanext.jatext",
    "ckanext.anonymize.engine",
    "ckanext.anonymize.pipeline",
    "ckanext.anonymize.stagetypes",
    "ckanext.optout.keys",
    "ckanext.optout.suppress",
    "ckanext.optout.lifecycle",
    "ckanext.optout.personal_records",
    "ckanext.gifu.municipality",
    "ckanext.gifu.standards",
    "ckanext.roundtable.terms",
)
NOT_PURE = ("ckan", "flask", "sqlalchemy", "redis", "rq", "werkzeug")
PLUGINS = ("ckanext.anonymize", "ckanext.optout", "ckanext.gifu", "ckanext.roundtable")
# The one door between plugins: anonymize's declared interface, imported (guarded, so each loads
# alone) by optout for its suppression filter and by gifu for its normalisation stages.
DOORS = {
    ("ckanext.optout", "ckanext.anonymize.interfaces"),
    ("ckanext.gifu", "ckanext.anonymize.interfaces"),
}


@pytest.fixture(scope="module")
def graph():
    return imports.graph()


def _under(name: str, prefixes: tuple[str, ...]) -> bool:
    return any(name == p or name.startswith(p + ".") for p in prefixes)


def test_the_suite_has_no_import_cycle(graph):
    assert imports.cycles(graph) == []


@pytest.mark.parametrize("package", PURE)
def test_pure_code_imports_no_ckan(graph, package):
    chains = [c for m in graph if _under(m, (package,)) for c in imports.reaches(graph, m, NOT_PURE)]
    assert chains == [], "\n".join(" -> ".join(c) for c in chains)


def test_plugins_reach_each_other_only_through_declared_interfaces(graph):
    crossings = sorted(
        (module, target)
        for module, targets in graph.items()
        for target in targets
        for own in PLUGINS + ("ckanext.jatext",)
        if _under(module, (own,))
        for other in PLUGINS
        if other != own and _under(target, (other,)) and (own, target) not in DOORS
    )
    assert crossings == []


def test_the_checker_sees_imports_inside_functions_and_relative_ones(tmp_path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "a.py").write_text(
        textwrap.dedent("""
            from typing import TYPE_CHECKING
            from . import b
            if TYPE_CHECKING:
                from pkg import c
            def later():
                import ckan.model
        """)
    )
    known = {"pkg": package / "__init__.py", "pkg.a": package / "a.py", "pkg.b": package / "a.py"}
    found = imports.imports_of("pkg.a", package / "a.py", known)
    assert found == {"typing", "pkg.b", "ckan.model"}


def test_the_checker_finds_a_cycle_and_a_chain_to_ckan():
    edges = {"x.a": {"x.b"}, "x.b": {"x.c"}, "x.c": {"x.a", "ckan.model"}, "x.d": {"x.a"}}
    assert imports.cycles(edges) == [["x.a", "x.b", "x.c"]]
    assert imports.reaches(edges, "x.d", NOT_PURE) == [["x.d", "x.a", "x.b", "x.c", "ckan.model"]]
