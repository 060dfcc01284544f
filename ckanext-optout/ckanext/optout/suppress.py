"""Row suppression, pure: which rows of a table belong to residents who opted out.

No CKAN imports; the publishing stage (``stage.py``) feeds it the registry from the database and
the rows from the pipeline.

How a row is matched. A resource names its subject-key columns, e.g. ``{"name": "氏名",
"birth_date": "生年月日"}`` (the resource's attributes R). A row uses the attributes whose cells have
a value that normalises (R' ⊆ R). An opt-out that gave attributes A matches the row when the keyed
digest of the row's values over ``C = A ∩ R'`` equals the opt-out's digest over ``C``. So a resident
who gave 氏名 + 生年月日 + 住所 matches a register keyed by 氏名 + 生年月日 on those two, and a row
whose 生年月日 is blank is matched on 氏名 alone: when in doubt, suppress.

The registry side is precomputed once per resource (:class:`SuppressionIndex`); per row the cost is
the normalisation of the key cells and one HMAC per distinct ``C`` (usually one).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from functools import lru_cache

from ckanext.jatext.headers import header_key

from .keys import ATTRIBUTES, KeyedHasher, NormalisationError, combinations, normalize


class ColumnError(ValueError):
    """A configured subject-key column is not in the table's header."""

    def __init__(self, missing: list[str]):
        super().__init__(", ".join(missing))
        self.missing = missing


def column_indexes(header: list[str], subject_columns: Mapping[str, str]) -> dict[str, int]:
    """Map attributes to column positions; headers compare as the text core's header keys (the
    scrubber reads headers the same way).

    >>> column_indexes(["番号", "氏 名", "生年月日"], {"name": "氏名", "birth_date": "生年月日"})
    {'name': 1, 'birth_date': 2}
    """
    positions: dict[str, int] = {}
    for index, title in enumerate(header):
        positions.setdefault(header_key(title), index)
    found: dict[str, int] = {}
    missing: list[str] = []
    for attr, column in subject_columns.items():
        at = positions.get(header_key(column))
        if at is None:
            missing.append(column)
        else:
            found[attr] = at
    if missing:
        raise ColumnError(missing)
    return found


class SuppressionIndex:
    """The active opt-outs in scope of one resource, arranged for matching its rows.

    ``entries`` yields ``(attributes, {combination: hex digest})`` for each active opt-out, as
    stored in the registry (``combination`` like ``"birth_date+name"``); only combinations made of
    the resource's attributes are needed.
    """

    def __init__(
        self, resource_attributes: Iterable[str], entries: Iterable[tuple[Iterable[str], Mapping[str, str]]]
    ):
        self.attributes = frozenset(resource_attributes)
        unknown = self.attributes - set(ATTRIBUTES)
        if unknown:
            raise ValueError(f"unknown attributes: {sorted(unknown)}")
        # R' (the attributes a row has, sorted tuple) -> C (sorted tuple) -> digests (bytes)
        subsets = combinations(self.attributes)
        sets: dict[tuple[str, ...], dict[tuple[str, ...], set[bytes]]] = defaultdict(dict)
        self.size = 0
        for attributes, digests in entries:
            given = frozenset(attributes)
            self.size += 1
            for row_attrs in subsets:
                common = tuple(a for a in row_attrs if a in given)
                if not common:
                    continue
                digest = digests.get("+".join(common))
                if digest:
                    sets[row_attrs].setdefault(common, set()).add(bytes.fromhex(digest))
        # For each R', the combinations worth hashing and their digests.
        self._plans: dict[tuple[str, ...], list[tuple[tuple[int, ...], set[bytes]]]] = {
            row_attrs: [
                (tuple(row_attrs.index(a) for a in combo), found) for combo, found in by_combo.items()
            ]
            for row_attrs, by_combo in sets.items()
        }

    def __len__(self) -> int:
        return self.size

    def matches_pairs(self, hasher: KeyedHasher, pairs: list[tuple[str, str]]) -> bool:
        """Whether a row with these ``(attribute, normalised value)`` pairs, sorted by attribute,
        belongs to an opted-out resident."""
        plans = self._plans.get(tuple(a for a, _ in pairs))
        if not plans:
            return False
        for positions, digests in plans:
            if hasher.digest_pairs([pairs[i] for i in positions]) in digests:
                return True
        return False

    def matches_digests(self, attributes: Iterable[str], digests: Mapping[str, str]) -> bool:
        """Like :meth:`matches_pairs` for a row whose digests were computed already (hex, per
        combination of its attributes, ``"birth_date+name"``): the filter phase of the pipeline."""
        row_attrs = tuple(sorted(attributes))
        plans = self._plans.get(row_attrs)
        if not plans:
            return False
        for positions, found in plans:
            digest = digests.get("+".join(row_attrs[i] for i in positions))
            if digest and bytes.fromhex(digest) in found:
                return True
        return False

    def matches(self, hasher: KeyedHasher, normalised: Mapping[str, str]) -> bool:
        """Whether a row with these normalised key values belongs to an opted-out resident."""
        return self.matches_pairs(hasher, sorted(normalised.items()))


@lru_cache(maxsize=65536)
def normalize_cell(attribute: str, value: str) -> str | None:
    """A cell's value normalised as ``attribute``, or None when it cannot be (kept, not matched).
    Cached: the same names and dates recur down a column."""
    try:
        return normalize(attribute, value)
    except NormalisationError:
        return None


class Counts:
    """What the stage reports: counts only, never a value."""

    def __init__(self):
        self.rows_in = 0
        self.rows_dropped = 0
        self.rows_without_key = 0  # no key cell had a usable value: kept

    def as_dict(self) -> dict[str, int]:
        return {
            "rows_in": self.rows_in,
            "rows_dropped": self.rows_dropped,
            "rows_kept": self.rows_in - self.rows_dropped,
            "rows_without_key": self.rows_without_key,
        }


def filter_rows(
    rows: Iterable[list[str]],
    columns: Mapping[str, int],
    index: SuppressionIndex,
    hasher: KeyedHasher,
    counts: Counts,
    usable: Callable[[str], bool] | None = None,
) -> Iterator[list[str]]:
    """Yield the rows that do not belong to an opted-out resident (streaming). ``usable``: which
    cell values may be matched at all (after the scrub: not a replacement label)."""
    plan = sorted(columns.items())  # sorted by attribute: the digest's message order
    check = len(index) > 0
    for row in rows:
        counts.rows_in += 1
        pairs = []
        width = len(row)
        for attr, position in plan:
            if position >= width:
                continue
            cell = row[position]
            if cell is None or cell == "" or (usable is not None and not usable(str(cell))):
                continue
            value = normalize_cell(attr, cell if isinstance(cell, str) else str(cell))
            if value:
                pairs.append((attr, value))
        if not pairs:
            counts.rows_without_key += 1
            yield row
            continue
        if check and index.matches_pairs(hasher, pairs):
            counts.rows_dropped += 1
            continue
        yield row
