"""The standard's column specifications, read from ``specs/*.yaml`` (one file per dataset).

A spec lists the columns in the standard's order, each with its type, whether a value is
required, and the other names office exports use for it (aliases). Columns that every dataset
shares (全国地方公共団体コード, 緯度, 電話番号 ...) are defined once in ``specs/_common.yaml``; a
spec names them and may override any field.

>>> aed = load("aed")
>>> aed.title, aed.columns[0].name, aed.columns[0].type, aed.columns[0].required
('AED設置箇所一覧', '全国地方公共団体コード', 'municipality_code', True)
>>> by_title("AED設置箇所一覧") is aed, by_title("存在しない一覧")
(True, None)
>>> aed.column("小児対応設備の有無").values
('有', '無')
>>> aed.source["verified"]
False
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

SPECS = Path(__file__).parent / "specs"
COMMON = "_common"
# Column fields a spec may set; anything else is a typo that would silently be ignored.
COLUMN_FIELDS = {
    "name",
    "type",
    "required",
    "aliases",
    "values",
    "yes_value",
    "no_value",
    "min",
    "max",
    "pattern",
    "example",
}
TYPES = {
    "string",
    "katakana",
    "integer",
    "number",
    "municipality_code",
    "date",
    "time",
    "phone",
    "corporate_number",
    "enum",
    "url",
    "weekdays",
}


class SpecError(ValueError):
    """A spec file that does not describe columns the checker can use."""


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "string"
    required: bool = False
    aliases: tuple[str, ...] = ()
    values: tuple[str, ...] = ()  # enum: the standard's values
    yes_value: str | None = None  # enum: what 〇 / あり / はい become
    no_value: str | None = None  # enum: what × / なし / いいえ become
    min: float | None = None
    max: float | None = None
    pattern: str | None = None  # a regular expression the whole value must match
    example: str | None = None


@dataclass(frozen=True)
class ColumnPattern:
    """Columns that repeat (年齢別 counts): any header matching ``pattern`` is such a column."""

    pattern: str
    column: Column

    def matches(self, header: str) -> bool:
        return re.fullmatch(self.pattern, header) is not None


@dataclass(frozen=True)
class Spec:
    id: str
    title: str
    title_en: str
    source: dict[str, Any]
    columns: tuple[Column, ...]
    patterns: tuple[ColumnPattern, ...] = ()
    # The encoding the standard asks for: UTF-8 with a byte order mark (Excel opens it).
    encoding: str = "utf-8-sig"
    _by_name: dict[str, Column] = field(default_factory=dict, compare=False, repr=False)

    def column(self, name: str) -> Column:
        return self._by_name[name]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


def _read(name: str) -> dict[str, Any]:
    path = SPECS / f"{name}.yaml"
    with path.open(encoding="utf-8") as f:
        data = yaml.safe_load(f)
    if not isinstance(data, dict):
        raise SpecError(f"{path.name}: not a mapping")
    return data


def _column(raw: dict[str, Any], where: str) -> Column:
    unknown = set(raw) - COLUMN_FIELDS
    if unknown:
        raise SpecError(f"{where}: unknown fields {sorted(unknown)}")
    for key in ("aliases", "values"):
        # YAML 1.1 reads a bare NO, yes, on, off as booleans: quote them in the spec.
        if any(isinstance(v, bool) for v in raw.get(key, ())):
            raise SpecError(f"{where}: a {key} entry is a boolean; quote it")
    kind = raw.get("type", "string")
    if kind not in TYPES:
        raise SpecError(f"{where}: unknown type {kind!r}")
    values = tuple("" if v is None else str(v) for v in raw.get("values", ()))
    if kind == "enum" and not values:
        raise SpecError(f"{where}: an enum needs values")
    for key in ("yes_value", "no_value"):
        if key in raw and str(raw[key]) not in values:
            raise SpecError(f"{where}: {key} must be one of the values")
    if raw.get("pattern"):
        re.compile(raw["pattern"])
    return Column(
        name=str(raw["name"]),
        type=kind,
        required=bool(raw.get("required", False)),
        aliases=tuple(str(a) for a in raw.get("aliases", ())),
        values=values,
        yes_value=None if raw.get("yes_value") is None else str(raw["yes_value"]),
        no_value=None if raw.get("no_value") is None else str(raw["no_value"]),
        min=None if raw.get("min") is None else float(raw["min"]),
        max=None if raw.get("max") is None else float(raw["max"]),
        pattern=raw.get("pattern"),
        example=None if raw.get("example") is None else str(raw["example"]),
    )


@functools.cache
def _common() -> dict[str, dict[str, Any]]:
    return {str(k): dict(v, name=str(k)) for k, v in _read(COMMON).items()}


@functools.cache
def load(spec_id: str) -> Spec:
    """The spec ``specs/<spec_id>.yaml``; raises :class:`SpecError` when it is malformed."""
    if spec_id.startswith("_") or not re.fullmatch(r"[a-z0-9_]+", spec_id):
        raise SpecError(f"not a spec id: {spec_id!r}")
    data = _read(spec_id)
    common = _common()
    columns = []
    for i, entry in enumerate(data.get("columns") or []):
        raw = {"name": entry} if isinstance(entry, str) else dict(entry)
        name = str(raw.get("name", ""))
        if not name:
            raise SpecError(f"{spec_id}.yaml: column {i + 1} has no name")
        if isinstance(entry, str) and name not in common:
            raise SpecError(f"{spec_id}.yaml: {name} is not defined in {COMMON}.yaml")
        merged = {**common.get(name, {}), **raw}
        if "aliases" in raw and name in common:  # a spec adds aliases to the common ones
            merged["aliases"] = list(common[name].get("aliases", [])) + list(raw["aliases"])
        columns.append(_column(merged, f"{spec_id}.yaml: {name}"))
    if not columns:
        raise SpecError(f"{spec_id}.yaml: no columns")
    names = [c.name for c in columns]
    if len(set(names)) != len(names):
        raise SpecError(f"{spec_id}.yaml: a column is listed twice")
    patterns = tuple(
        ColumnPattern(
            str(p["pattern"]),
            _column(
                {k: v for k, v in p.items() if k != "pattern"} | {"name": p.get("example", p["pattern"])},
                f"{spec_id}.yaml: pattern {p['pattern']}",
            ),
        )
        for p in data.get("column_patterns") or []
    )
    for key in ("id", "title", "title_en", "source"):
        if not data.get(key):
            raise SpecError(f"{spec_id}.yaml: {key} is required")
    if data["id"] != spec_id:
        raise SpecError(f"{spec_id}.yaml: id {data['id']!r} differs from the file name")
    return Spec(
        id=spec_id,
        title=str(data["title"]),
        title_en=str(data["title_en"]),
        source=dict(data["source"]),
        columns=tuple(columns),
        patterns=patterns,
        encoding=str(data.get("encoding", "utf-8-sig")),
        _by_name={c.name: c for c in columns},
    )


def ids() -> list[str]:
    """Every spec shipped, by file name."""
    return sorted(p.stem for p in SPECS.glob("*.yaml") if not p.stem.startswith("_"))


def all_specs() -> list[Spec]:
    return [load(i) for i in ids()]


def by_title(title: str) -> Spec | None:
    """The spec of a standard dataset by its Japanese name (the schema's 準拠する標準)."""
    for spec in all_specs():
        if spec.title == title:
            return spec
    return None
