"""Actions the gifu plugin adds or chains."""

from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.lib.search.common import SearchError, SolrConnectionError

UNAVAILABLE = (
    "検索は一時的に利用できません（検索サーバーに接続できません）。しばらくしてからお試しください。 / "
    "Search is temporarily unavailable (the search server cannot be reached); please try again later."
)


@tk.chained_action
@tk.side_effect_free
def package_search(next_action: Any, context: Any, data_dict: dict[str, Any]) -> Any:
    """CKAN answers a search while Solr is down with a server error (500) on the dataset pages
    and the API; said plainly instead: the pages show that search is unavailable and go on, the
    API answers 409 with the reason (its usual answer for a search that cannot run)."""
    try:
        return next_action(context, data_dict)
    except SolrConnectionError:
        raise SearchError(UNAVAILABLE) from None
