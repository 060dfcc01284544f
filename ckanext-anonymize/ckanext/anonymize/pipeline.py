"""The publishing pipeline: original → transforms → scrubbed cache → filters → derivative.

Two phases, so that a change of the opt-out registry costs a filter, not a new PII scan:

1. **transform** (slow; depends on the original, the column policy and the engine): the original
   is read with the engine's readers (format and encoding detected), passed through the
   transform stages in order (the PII scrub, ...), and written to a *scrubbed cache* in closed
   storage with every row. While the original rows stream past, each *filter* stage computes a
   key per row from the values as held (e.g. keyed digests of 氏名 + 生年月日) into the cache.
2. **filter** (fast; depends on registries that change often): the cache is read, each filter
   stage keeps or drops each row (its key and the scrubbed row at hand), and the derivative is
   written in the original's shape.

The engine writes exactly one output row per input row, in order, so row *i* of the cache is
row *i* of the original and its key lines up. Memory stays flat: rows stream through both
phases. Free of CKAN imports (the stage types live in the pure ``stagetypes.py``); the CKAN
side is ``service.py``.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, TypeGuard

from ckanext.anonymize.engine import Engine, open_table, write_table
from ckanext.anonymize.engine.sheet import Sheet
from ckanext.anonymize.stagetypes import FilterStage, Stage, TransformStage

SCRUB_ORDER = 500
CACHE_VERSION = 1


@dataclass
class Context:
    resource: dict[str, Any]
    dataset: dict[str, Any]
    report: dict[str, Any] = field(default_factory=dict)


class ScrubStage:
    """The PII scrub as a pipeline stage (this plugin's own stage)."""

    name = "scrub"
    order = SCRUB_ORDER

    def __init__(self, engine: Engine, columns: dict[str, str] | None = None):
        self.engine = engine
        self.columns = columns or None

    def applies_to(self, resource: dict[str, Any]) -> bool:
        return True

    def process(self, sheets: Iterable[Sheet], ctx: Context) -> Iterator[Sheet]:
        out, report = self.engine.scrub_sheets(sheets, columns=self.columns)
        yield from out
        # The engine fills its report as the rows stream through: read it once they all have.
        ctx.report.update(report.to_dict())


def is_filter(stage: Stage) -> TypeGuard[FilterStage]:
    return bool(getattr(stage, "filter", False))


def is_transform(stage: Stage) -> TypeGuard[TransformStage]:
    return not is_filter(stage)


def inputs_key(
    original_sha256: str,
    stages: list[Stage],
    resource: dict[str, Any],
    dataset: dict[str, Any],
    extra: Any = None,
) -> str:
    """What the scrubbed cache depends on: the original, the transform stages (their names and
    settings), the keys the filters take (``tap_version``) and ``extra`` (the column policy,
    the engine's configuration). Equal keys: the cache can be filtered again as it is."""
    parts = [CACHE_VERSION, original_sha256, extra]
    for stage in sorted(stages, key=lambda s: (s.order, s.name)):
        if not stage.applies_to(resource):
            continue
        version = (
            stage.tap_version(resource, dataset) if is_filter(stage) else getattr(stage, "version", None)
        )
        parts.append([stage.name, version])
    return hashlib.sha256(
        json.dumps(parts, ensure_ascii=False, sort_keys=True, default=str).encode("utf-8")
    ).hexdigest()


# ------------------------------------------------------------------------------------- phase 1
def transform(
    src: str,
    filename: str,
    cache: str,
    stages: list[Stage],
    resource: dict[str, Any],
    dataset: dict[str, Any],
) -> dict[str, Any]:
    """Phase 1: original → transforms → the scrubbed cache (with the filters' row keys).
    Returns the report (format, encoding, each transform stage's part).

    Raises the engine's InputError for unreadable input and a stage's StageError when a stage
    refuses; the caller keeps the resource closed in both cases."""
    table = open_table(src, filename=filename)
    applicable = [s for s in stages if s.applies_to(resource)]
    filters = [s for s in applicable if is_filter(s)]
    keyers = [(s.name, s.keyer(resource, dataset)) for s in filters]
    keys: list[list[dict[str, Any]]] = []  # per sheet, per physical row

    def tapped(sheets: Iterable[Sheet]) -> Iterator[Sheet]:
        for sheet in sheets:
            per_sheet: list[dict[str, Any]] = []
            keys.append(per_sheet)
            takers = [(name, keyer.sheet(sheet.name)) for name, keyer in keyers]
            per_sheet.append({name: take(list(sheet.header)) for name, take in takers})

            def rows(source=sheet.rows, takers=takers, per_sheet=per_sheet) -> Iterator[list[str]]:
                for row in source:
                    per_sheet.append({name: take(row) for name, take in takers})
                    yield row

            yield sheet.with_rows(rows())

    sheets: Iterable[Any] = tapped(table.sheets)
    contexts: list[tuple[str, Context]] = []
    for stage in sorted((s for s in applicable if is_transform(s)), key=lambda s: s.order):
        ctx = Context(resource=resource, dataset=dataset)
        sheets = stage.process(sheets, ctx)
        contexts.append((stage.name, ctx))
    _write_cache(cache, table.format, table.encoding, sheets, keys)
    report: dict[str, Any] = {
        "format": table.format,
        "encoding": table.encoding,
        "stages": {name: ctx.report for name, ctx in contexts},
    }
    scrub = report["stages"].get(ScrubStage.name, {})
    report["high_risk"] = sorted(set(scrub.get("high_risk") or []))
    return report


def _jsonable(meta: dict[str, Any]) -> dict[str, Any]:
    """Sheet meta with sets as sorted lists and int keys as strings (JSON)."""

    def convert(value: Any) -> Any:
        if isinstance(value, (set, frozenset)):
            return {"__set__": sorted(convert(v) for v in value)}
        if isinstance(value, dict):
            return {"__dict__": [[k, convert(v)] for k, v in value.items()]}
        if isinstance(value, (list, tuple)):
            return [convert(v) for v in value]
        return value

    return convert(meta)


def _restored(value: Any) -> Any:
    if isinstance(value, dict):
        if "__set__" in value:
            return {_restored(v) for v in value["__set__"]}
        if "__dict__" in value:
            return {(k if not isinstance(k, list) else tuple(k)): _restored(v) for k, v in value["__dict__"]}
        return {k: _restored(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_restored(v) for v in value]
    return value


def meta_path(cache: str) -> str:
    return cache + ".meta.json"


def _write_cache(
    path: str, fmt: str, encoding: str | None, sheets: Iterable[Sheet], keys: list[list[dict[str, Any]]]
) -> None:
    """The rows as JSON lines (per sheet a ``sheet`` line, then per physical row ``r``: the
    cells, ``k``: the filters' keys), and beside them a small JSON file with the format and each
    sheet's meta (complete only once its rows are read). Both are written to temporary files and
    renamed at the end, so a failure part-way leaves no cache."""
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(prefix=".scrubbed-", dir=folder)
    metas: list[Any] = []
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            for index, sheet in enumerate(sheets):
                out.write(json.dumps({"sheet": sheet.name}, ensure_ascii=False) + "\n")
                # The engine reads ahead before it yields: every key of a row it wrote is there.
                out.write(
                    json.dumps({"r": list(sheet.header), "k": keys[index][0]}, ensure_ascii=False) + "\n"
                )
                for n, row in enumerate(sheet.rows, start=1):
                    out.write(json.dumps({"r": row, "k": keys[index][n]}, ensure_ascii=False) + "\n")
                metas.append(_jsonable(dict(sheet.meta)))
        with open(tmp + ".meta", "w", encoding="utf-8") as out:
            json.dump(
                {"cache": CACHE_VERSION, "format": fmt, "encoding": encoding, "sheets": metas},
                out,
                ensure_ascii=False,
            )
        os.replace(tmp + ".meta", meta_path(path))
        os.replace(tmp, path)
    except BaseException:
        for leftover in (tmp, tmp + ".meta"):
            if os.path.exists(leftover):
                os.unlink(leftover)
        raise


# ------------------------------------------------------------------------------------- phase 2
def _read_cache(path: str) -> tuple[dict[str, Any], Iterator[tuple[str, Iterator[tuple[list, dict]]]]]:
    """The head (format, metas) and the sheets as (name, stream of (cells, keys)), header first."""
    with open(meta_path(path), encoding="utf-8") as f:
        head = json.load(f)
    if head.get("cache") != CACHE_VERSION:
        raise ValueError("scrubbed cache of another version")

    def sheets() -> Iterator[tuple[str, Iterator[tuple[list, dict]]]]:
        with open(path, encoding="utf-8") as f:
            line = f.readline()
            while line:
                name = json.loads(line)["sheet"]

                def pairs() -> Iterator[tuple[list, dict]]:
                    nonlocal line
                    while True:
                        line = f.readline()
                        if not line:
                            break
                        item = json.loads(line)
                        if "sheet" in item:
                            break
                        yield item["r"], item["k"]

                stream = pairs()
                yield name, stream
                for _ in stream:  # a consumer that stopped early: skip to the next sheet
                    pass

    return head, sheets()


def filter_cache(
    cache: str, dst: str, stages: list[Stage], resource: dict[str, Any], dataset: dict[str, Any]
) -> dict[str, Any]:
    """Phase 2: the scrubbed cache → filters → the derivative. Returns each filter's report."""
    head, cached = _read_cache(cache)
    filters = [s for s in stages if is_filter(s) and s.applies_to(resource)]
    contexts = [(s, Context(resource=resource, dataset=dataset)) for s in filters]
    metas = [_restored(m) or {} for m in head["sheets"]]

    def sheets() -> Iterator[Sheet]:
        for index, (name, pairs) in enumerate(cached):
            kept: Iterable[tuple[list[str], dict[str, Any]]] = pairs
            for stage, ctx in contexts:
                kept = stage.select(name, kept, ctx)
            kept = iter(kept)
            first = next(kept, None)
            header = first[0] if first is not None else []
            yield Sheet(name, header, (row for row, _ in kept), metas[index])

    write_table(dst, head["format"], sheets())
    return {stage.name: ctx.report for stage, ctx in contexts}


def run(
    src: str,
    filename: str,
    dst: str,
    stages: list[Stage],
    resource: dict[str, Any],
    dataset: dict[str, Any],
    cache: str | None = None,
) -> dict[str, Any]:
    """Both phases. ``cache``: where the scrubbed cache is kept (a temporary file if None)."""
    own = cache is None
    if cache is None:
        fd, cache = tempfile.mkstemp(prefix=".scrubbed-", dir=os.path.dirname(os.path.abspath(dst)))
        os.close(fd)
    try:
        report = transform(src, filename, cache, stages, resource, dataset)
        report["stages"].update(filter_cache(cache, dst, stages, resource, dataset))
        return report
    finally:
        if own and os.path.exists(cache):
            os.unlink(cache)
