"""The pages speak Japanese: every message of the templates has a Japanese translation, and the
compiled catalogue (.mo, what CKAN loads) says the same as its source (.po). Pure: no CKAN."""

from __future__ import annotations

import re
from pathlib import Path

from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

HERE = Path(__file__).resolve().parents[1]
CATALOGUE = HERE / "i18n" / "ja" / "LC_MESSAGES" / "ckanext-roundtable"
MESSAGE = re.compile(r"""_\(\s*'([^']+)'\s*\)|_\(\s*"([^"]+)"\s*\)""")


def template_messages() -> set[str]:
    found = set()
    for path in (HERE / "templates").rglob("*.html"):
        for single, double in MESSAGE.findall(path.read_text(encoding="utf-8")):
            found.add(single or double)
    return found


def translations(catalog) -> dict[str, str]:
    return {m.id: m.string for m in catalog if m.id}


def test_every_template_message_has_a_japanese_translation():
    with open(f"{CATALOGUE}.po", "rb") as f:
        po = translations(read_po(f))
    messages = template_messages()
    assert len(messages) > 50
    missing = sorted(m for m in messages if not po.get(m))
    assert missing == []
    assert all(re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", po[m]) for m in messages)


def test_the_compiled_catalogue_matches_its_source():
    with open(f"{CATALOGUE}.po", "rb") as f:
        po = translations(read_po(f))
    with open(f"{CATALOGUE}.mo", "rb") as f:
        mo = translations(read_mo(f))
    assert po == mo, "run: pybabel compile -i ckanext-roundtable.po -o ckanext-roundtable.mo"
