"""自治体標準オープンデータセット: the standard's column specifications.

Pure Python (no CKAN).

- ``specs/*.yaml``      one file per standard dataset (columns in order, types, aliases, source)
- :mod:`.spec`          reads them
"""

from ckanext.gifu.standards.spec import Spec, SpecError, all_specs, by_title, ids, load

__all__ = ["Spec", "SpecError", "all_specs", "by_title", "ids", "load"]
