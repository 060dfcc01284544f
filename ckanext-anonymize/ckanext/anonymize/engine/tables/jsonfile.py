"""JSON: an array of records (streamed), an array of arrays, JSON Lines, or an object whose
record arrays become sheets.

Cells are text; each sheet's ``meta["kinds"]`` remembers which JSON kinds a column held so the
writer gives numbers, booleans, nulls and nested values back their type.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from itertools import chain
from typing import Any

from ..errors import InputError
from ..sheet import Sheet

_DECODER = json.JSONDecoder()
_CHUNK = 1 << 16


def _bad(detail: str) -> InputError:
    return InputError("format", f"JSON として読めません: {detail}", f"Not readable JSON: {detail}")


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, (dict, list)):
        return "nested"
    return "str"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def _stream_array(stream) -> Iterator[Any]:
    """The elements of a top-level JSON array, parsed one at a time from a text stream."""
    buf, pos = stream.read(_CHUNK), 0
    pos = len(buf) - len(buf.lstrip())
    if buf[pos : pos + 1] != "[":
        raise _bad("配列ではありません / not an array")
    pos += 1
    expect_value = True
    while True:
        while True:
            while pos < len(buf) and buf[pos] in " \t\r\n":
                pos += 1
            if pos < len(buf):
                break
            more = stream.read(_CHUNK)
            if not more:
                raise _bad("途中で終わっています / unexpected end")
            buf, pos = more, 0
        ch = buf[pos]
        if ch == "]":
            rest = (buf[pos + 1 :] + stream.read()).strip()
            if rest:
                raise _bad("配列の後に余分なデータ / extra data after the array")
            return
        if ch == "," and not expect_value:
            pos += 1
            expect_value = True
            continue
        while True:
            try:
                value, end = _DECODER.raw_decode(buf, pos)
                # A number at the buffer's end may continue in the next chunk.
                if end < len(buf) or isinstance(value, (dict, list, str)):
                    break
            except json.JSONDecodeError:
                pass
            more = stream.read(_CHUNK)
            if not more:
                try:
                    value, end = _DECODER.raw_decode(buf, pos)
                    break
                except json.JSONDecodeError as exc:
                    raise _bad(str(exc)) from exc
            buf, pos = buf[pos:] + more, 0
        yield value
        pos = end
        expect_value = False
        if pos > _CHUNK:
            buf, pos = buf[pos:], 0


def _records_sheet(name: str, items: Iterator[Any], sample_size: int, meta: dict) -> Sheet:
    sample = []
    for item in items:
        sample.append(item)
        if len(sample) >= sample_size:
            break
    if sample and all(isinstance(x, list) for x in sample):
        first = [_text(v) for v in sample[0]]
        body = chain(sample[1:], items)
        kinds: dict[int, set] = {}

        def rows_from_lists() -> Iterator[list[str]]:
            for number, item in enumerate(body, start=2):
                if not isinstance(item, list):
                    raise InputError(
                        "ragged_rows",
                        f"{number} 番目の要素が配列ではありません。",
                        f"Element {number} is not an array like the others.",
                    )
                for i, v in enumerate(item):
                    kinds.setdefault(i, set()).add(_kind(v))
                yield [_text(v) for v in item]

        # The first array may be a header or already a record: the engine decides ("row").
        return Sheet(
            name,
            first,
            rows_from_lists(),
            meta={**meta, "json_rows": "lists", "kinds": kinds, "header": "row"},
        )
    header: list[str] = []
    for item in sample:
        if not isinstance(item, dict):
            raise _bad("レコード（オブジェクト）の配列ではありません / not an array of records")
        for key in item:
            if key not in header:
                header.append(key)
    kinds = {}
    missing: dict[int, set] = {}

    def rows_from_records() -> Iterator[list[str]]:
        index = {key: i for i, key in enumerate(header)}
        for number, item in enumerate(chain(sample, items), start=1):
            if not isinstance(item, dict):
                raise _bad(
                    f"{number} 番目の要素がオブジェクトではありません / element {number} is not an object"
                )
            extra = [k for k in item if k not in index]
            if extra:
                raise InputError(
                    "ragged_rows",
                    f"{number} 番目のレコードに見出しにない項目があります。",
                    f"Record {number} has keys that the first records do not have.",
                )
            row = []
            for i, key in enumerate(header):
                if key in item:
                    kinds.setdefault(i, set()).add(_kind(item[key]))
                    row.append(_text(item[key]))
                else:
                    missing.setdefault(i, set()).add(number)
                    row.append("")
            yield row

    return Sheet(
        name,
        header,
        rows_from_records(),
        meta={**meta, "json_rows": "records", "kinds": kinds, "missing": missing, "header": "keys"},
    )


def read_sheets(path: str, encoding: str, name: str, sample_size: int = 1000) -> Iterator[Sheet]:
    raw = open(path, "rb")  # noqa: SIM115 - a streaming reader: closed when its rows end
    stream = io.TextIOWrapper(raw, encoding=encoding, errors="strict")
    try:
        head = stream.read(_CHUNK)
        stream.seek(0)
        stripped = head.lstrip()
        lines = path.lower().endswith((".jsonl", ".ndjson"))
        if lines or (stripped.startswith("{") and "\n{" in stripped and not _one_document(path, encoding)):
            items = (json.loads(line) for line in stream if line.strip())
            yield _records_sheet(name, items, sample_size, {"json_layout": "lines"})
        elif stripped.startswith("["):
            yield _records_sheet(name, _stream_array(stream), sample_size, {"json_layout": "array"})
        elif stripped.startswith("{"):
            doc = json.load(stream)
            keys = list(doc)
            tables = [
                k
                for k in keys
                if isinstance(doc[k], list) and doc[k] and all(isinstance(x, dict) for x in doc[k])
            ]
            others = [k for k in keys if k not in tables]
            # Keys are data too (an object keyed by residents' names): the writer rebuilds the
            # object from the scrubbed keys, in the original order (``positions``).
            layout = {"json_layout": "object"}
            if others:
                yield _records_sheet(
                    "$",
                    iter([{k: doc[k] for k in others}]),
                    1,
                    {**layout, "root": True, "positions": [keys.index(k) for k in others]},
                )
            for key in tables:
                yield _records_sheet(
                    key, iter(doc.pop(key)), sample_size, {**layout, "position": keys.index(key)}
                )
        else:
            raise _bad("配列またはオブジェクトではありません / neither an array nor an object")
    except UnicodeDecodeError as exc:
        raise InputError(
            "encoding",
            f"{encoding} として読めないバイトがあります。",
            f"The file holds bytes that are not valid {encoding}.",
        ) from exc
    except json.JSONDecodeError as exc:
        raise _bad(str(exc)) from exc
    finally:
        raw.close()


def _one_document(path: str, encoding: str) -> bool:
    try:
        with open(path, encoding=encoding) as f:
            json.load(f)
        return True
    except (json.JSONDecodeError, UnicodeDecodeError):
        return False


def _value(text: str, column_kinds: set, was_missing: bool) -> Any:
    if text == "" and "null" in column_kinds:
        return None
    if "number" in column_kinds:
        try:
            return json.loads(text) if text and text[0] in "-0123456789" else text
        except json.JSONDecodeError:
            return text
    if "bool" in column_kinds and text in ("true", "false"):
        return text == "true"
    if "nested" in column_kinds and text[:1] in ("{", "["):
        try:
            return json.loads(text)
        except json.JSONDecodeError:
            return text
    return text


def _unique(key: str, taken: set) -> str:
    """Two keys that were scrubbed to the same label must not overwrite each other."""
    out, n = key, 2
    while out in taken:
        out, n = f"{key}_{n}", n + 1
    taken.add(out)
    return out


def write_sheets(f, sheets) -> None:
    entries: list[tuple[int, str, Any]] | None = None
    for sheet in sheets:
        meta = sheet.meta
        layout = meta.get("json_layout", "array")
        kinds = meta.get("kinds", {})
        if layout == "object":
            entries = entries if entries is not None else []
            if meta.get("root"):
                values = [_value(v, kinds.get(i, set()), False) for i, v in enumerate(next(sheet.rows, []))]
                entries += [
                    (pos, key, value)
                    for pos, key, value in zip(meta.get("positions", []), sheet.header, values)
                ]
            else:
                entries.append(
                    (meta.get("position", len(entries)), sheet.name, list(_records(sheet, kinds, meta)))
                )
            continue
        if layout == "lines":
            for record in _records(sheet, kinds, meta):
                f.write(json.dumps(record, ensure_ascii=False) + "\n")
        else:
            f.write("[")
            first = True
            if meta.get("json_rows") == "lists":
                f.write(json.dumps(sheet.header, ensure_ascii=False))
                first = False
            for record in _records(sheet, kinds, meta):
                f.write(("\n" if first else ",\n") + json.dumps(record, ensure_ascii=False))
                first = False
            f.write("\n]\n")
        break  # an array or lines file holds one sheet
    if entries is not None:
        taken: set = set()
        root = {_unique(key, taken): value for _, key, value in sorted(entries, key=lambda e: e[0])}
        json.dump(root, f, ensure_ascii=False, indent=1)
        f.write("\n")


def _records(sheet: Sheet, kinds: dict, meta: dict) -> Iterator[Any]:
    missing = meta.get("missing", {})
    lists = meta.get("json_rows") == "lists"
    for number, row in enumerate(sheet.rows, start=1):
        values = [_value(v, kinds.get(i, set()), number in missing.get(i, ())) for i, v in enumerate(row)]
        if lists:
            yield values
        else:
            yield {
                key: value
                for i, (key, value) in enumerate(zip(sheet.header, values))
                if number not in missing.get(i, ())
            }
