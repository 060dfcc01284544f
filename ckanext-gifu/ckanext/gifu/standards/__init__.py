"""自治体標準オープンデータセット: the standard's column specifications and a conformance checker.

Pure Python (no CKAN): the plugin's action and a command line call it alike.

- ``specs/*.yaml``      one file per standard dataset (columns in order, types, aliases, source)
- :mod:`.spec`          reads them
- :mod:`.values`        one cell against its column's type (ok / fixable / wrong)
- :mod:`.decode`        which encoding the bytes are in
- :mod:`.conformance`   :func:`check` (the report) and :func:`normalise` (the standard form;
                        :class:`RowNormaliser` does it row by row for the publishing pipeline)

``python -m ckanext.gifu.standards check|normalise --spec aed FILE [OUT]`` runs them on a file.
"""

from ckanext.gifu.standards.conformance import (
    Issue,
    Normalised,
    Report,
    RowNormaliser,
    check,
    find_header,
    normalise,
    unnormalisable,
)
from ckanext.gifu.standards.spec import Spec, SpecError, all_specs, by_title, ids, load

__all__ = [
    "Issue",
    "Normalised",
    "Report",
    "RowNormaliser",
    "Spec",
    "SpecError",
    "all_specs",
    "by_title",
    "check",
    "find_header",
    "ids",
    "load",
    "normalise",
    "unnormalisable",
]
