"""k-anonymity over quasi-identifier columns, on the values as published.

Rule 62 of the enforcement regulation asks to delete or replace unusual values (特異な記述) and
to take measures by how records differ; no numeric k is prescribed. k is the size of the
smallest group of records sharing all quasi-identifier values: a group of one is a record that
a neighbour who knows someone's age, sex and 町丁目 can pick out.

>>> k = KAnonymity(["年齢", "性別"], threshold=2)
>>> for row in (["34", "男"], ["34", "男"], ["35", "女"], ["121", "女"]):
...     k.add(row)
>>> r = k.result(); r["k"], r["smallest_groups"], r["unusual_values"]["年齢"], r["warning"] is not None
(1, [1, 1, 2], 1, True)
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

_AGE = re.compile(r"[0-9]+")
SUGGESTIONS = {
    "年齢": "年齢を5歳または10歳階級にまとめる / band ages into 5- or 10-year groups",
    "生年": "生年を5年または10年単位にまとめる / band birth years",
    "町丁目": "町丁目を地区・校区単位にまとめる / coarsen 町丁目 to districts",
    "地区": "少人数の地区を統合する / merge small districts",
    "性別": "他の準識別子を粗くする / coarsen the other quasi-identifiers",
}


class KAnonymity:
    def __init__(
        self, columns: Sequence[str], threshold: int = 3, max_groups: int = 200_000, smallest: int = 5
    ):
        self.columns = list(columns)
        self.threshold = threshold
        self.max_groups = max_groups
        self.smallest = smallest
        self.groups: Counter = Counter()
        self.rows = 0
        self.overflow = False
        self.unusual: Counter[str] = Counter()
        self._age_cols = [i for i, c in enumerate(self.columns) if "年齢" in c or c.lower() == "age"]

    def add(self, values: Sequence[str]) -> None:
        self.rows += 1
        for i in self._age_cols:
            m = _AGE.fullmatch(values[i].strip()) if values[i] else None
            if m and int(m.group()) >= 100:
                self.unusual[self.columns[i]] += 1
        if self.overflow:
            return
        key = tuple(values)
        if key not in self.groups and len(self.groups) >= self.max_groups:
            self.overflow = True  # too many distinct combinations to count: treated as k = 1
            self.groups.clear()
            return
        self.groups[key] += 1

    def result(self) -> dict:
        if not self.columns:
            return {"applicable": False, "quasi_identifiers": [], "k": None, "warning": None}
        k: int | None
        groups: int | None
        if self.overflow:
            k, smallest, groups = 1, [1], None
        else:
            sizes = sorted(self.groups.values())
            k = sizes[0] if sizes else None
            smallest, groups = sizes[: self.smallest], len(sizes)
        under = sum(n for n in self.groups.values() if n < self.threshold) if not self.overflow else None
        warning = None
        if k is not None and k < self.threshold:
            warning = {
                "ja": f"準識別子（{'・'.join(self.columns)}）の組み合わせで {k} 件しかない集団があります（基準 k={self.threshold}）。"
                "値をまとめるか削除してください。",
                "en": f"Some combinations of quasi-identifiers ({', '.join(self.columns)}) hold only {k} "
                f"record(s) (threshold k={self.threshold}); generalise or suppress them.",
            }
        return {
            "applicable": True,
            "quasi_identifiers": self.columns,
            "k": k,
            "threshold": self.threshold,
            "rows": self.rows,
            "groups": groups,
            "smallest_groups": smallest,
            "records_in_groups_under_k": under,
            "unusual_values": dict(self.unusual),
            "warning": warning,
            "suggestions": [s for key, s in SUGGESTIONS.items() if any(key in c for c in self.columns)]
            if warning
            else [],
        }
