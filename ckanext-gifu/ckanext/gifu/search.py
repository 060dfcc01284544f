"""Query tuning for Japanese search (used by ``IPackageController.before_dataset_search``).

The Solr schema (``solr/schema.xml``) indexes Japanese text three ways: as Kuromoji words
(``title``, ``text``, ``tags_ja``...), as CJK bigrams (``title_cjk``, ``text_cjk``) and as loosely
matched words (``text_loose``). Stock CKAN only searches ``name title tags groups text``, so it would
never look at the other fields; these defaults add them.
Whole words weigh most (a query word Kuromoji splits must match as a phrase there), bigrams are the
safety net for compounds segmented differently (金華山), and ``text_loose`` (any part of the word)
comes last, so 避難所 still finds 避難場所 without 岐阜駅 ranking everything about 岐阜 first.
"""

from __future__ import annotations

import json
from typing import Any

QUERY_FIELDS = (
    "name^4 title^4 title_cjk^3 tags^2 tags_ja^2 groups^2 groups_ja organization_ja "
    "text text_cjk^0.5 text_loose^0.2"
)
# Whitespace-separated words a resident types are all wanted (「岐阜 公園」), with some slack once a
# query grows long. CKAN's stock value ('2<-1 5<80%') drops a word from two-word queries, which in
# Japanese mostly brings noise (「子育て 施設」 matching every 施設).
MINIMUM_MATCH = "4<-1 6<80%"
TIE = "0.1"


def tune_search_params(search_params: dict[str, Any]) -> dict[str, Any]:
    """Set Japanese-aware ``qf``/``mm``/``tie`` unless the caller chose their own.

    Fielded queries (``q`` with ``:``) go to Solr's standard parser in CKAN, which ignores ``qf``,
    so they are left untouched; so are other query parsers a caller asked for.
    """
    q = search_params.get("q") or ""
    if ":" in q or search_params.get("defType", "dismax") != "dismax":
        return search_params
    search_params.setdefault("qf", QUERY_FIELDS)
    search_params.setdefault("mm", MINIMUM_MATCH)
    search_params.setdefault("tie", TIE)
    return search_params


def add_titles_for_search(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """Index the organization and group titles (「岐阜市 消防本部」) beside their URL names.

    CKAN puts only the names (``gifu-city``) into ``organization``/``groups``; residents search by
    what the portal shows. Read from the validated dict CKAN has already put in the document.
    """
    try:
        data = json.loads(pkg_dict.get("validated_data_dict") or "{}")
    except ValueError:
        return pkg_dict
    # Single strings: on a schema without these fields Solr's catch-all dynamic field is
    # single-valued, and indexing must not fail there.
    org = data.get("organization") or {}
    if org.get("title"):
        pkg_dict["organization_ja"] = org["title"]
    titles = [g.get("title") or g.get("display_name") for g in data.get("groups") or []]
    if any(titles):
        pkg_dict["groups_ja"] = "\n".join(t for t in titles if t)
    return pkg_dict
