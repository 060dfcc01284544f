"""Format and encoding detection, before anything is parsed.

Strict decodes come first (UTF-8 with or without BOM, CP932, EUC-JP), because guessers mistake
repetitive CP932 for cp949. CP932 and EUC-JP bytes often both decode without error (EUC-JP kana
read as CP932 are half-width katakana), so when both succeed the more Japanese-looking text wins.
"""

from __future__ import annotations

import codecs
import os
import zipfile

from ..errors import InputError

SAMPLE_BYTES = 256 * 1024
EXTENSIONS = {
    ".csv": "csv",
    ".tsv": "tsv",
    ".tab": "tsv",
    ".xlsx": "xlsx",
    ".xlsm": "xlsx",
    ".json": "json",
    ".jsonl": "json",
    ".ndjson": "json",
    ".txt": "txt",
    ".text": "txt",
}
TEXT_FORMATS = ("csv", "tsv", "json", "txt")

# Files that cannot be scrubbed safely: markup and code can hide personal data where no reader
# of ours looks (attributes, comments, scripts) and run in a browser if served inline.
UNSAFE_EXTENSIONS = (
    ".svg",
    ".svgz",
    ".html",
    ".htm",
    ".xhtml",
    ".xht",
    ".shtml",
    ".xml",
    ".xsl",
    ".js",
    ".mjs",
    ".cjs",
    ".php",
    ".phtml",
    ".asp",
    ".aspx",
    ".jsp",
    ".py",
    ".rb",
    ".pl",
    ".sh",
    ".bash",
    ".bat",
    ".cmd",
    ".ps1",
    ".vbs",
    ".hta",
    ".swf",
    ".exe",
    ".dll",
    ".jar",
    ".msi",
    ".com",
    ".scr",
    ".pdf",
    ".doc",
    ".docx",
    ".ppt",
    ".pptx",
    ".odt",
    ".ods",
    ".rtf",
    ".mht",
    ".mhtml",
    ".eml",
    ".msg",
)
_MARKUP = (
    b"<svg",
    b"<?xml",
    b"<!doctype",
    b"<html",
    b"<head",
    b"<body",
    b"<script",
    b"<iframe",
    b"<object",
    b"<embed",
    b"<meta",
    b"<link",
    b"<style",
    b"<a ",
    b"<img",
    b"<div",
    b"<!--",
)
_SIGNATURES = {
    b"MZ": "exe",
    b"%PDF": "PDF",
    b"\x7fELF": "ELF",
    b"\x89PNG": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF8": "GIF",
    b"{\\rtf": "RTF",
    b"#!": "script",
}


def unsafe(message_detail: str) -> InputError:
    return InputError(
        "unsafe_type",
        f"この種類のファイル（{message_detail}）は匿名化できないため公開できません。SVG・HTML・スクリプト・"
        "PDF などは、見えない所に個人情報や実行される内容を含み得ます。CSV・Excel（.xlsx）・JSON・"
        "テキストに変換してからアップロードしてください。内容を確認したうえでそのまま公開する必要がある場合は、"
        "編集者が「添付ファイルとして公開」（画面に表示せずダウンロードのみ）を選べます。",
        f"Files of this kind ({message_detail}) cannot be scrubbed and are not published: SVG, "
        "HTML, scripts, PDF and the like can hold personal data out of sight and active content. "
        "Convert the data to CSV, Excel (.xlsx), JSON or plain text and upload it again. If the file "
        "must be published as it is, an editor who checked it can publish it as a download-only "
        "attachment.",
    )


def check_safe(sample: bytes, filename: str) -> None:
    """Refuse markup, code and binary formats by name and by content (whatever the name says).

    >>> check_safe(b"a,b\\n1,2\\n", "x.csv")
    >>> check_safe(b"<svg onload=alert(1)>", "chart.csv")
    Traceback (most recent call last):
    ...
    ckanext.anonymize.engine.errors.InputError: この種類のファイル（SVG/HTML/XML）は匿名化できないため公開できません。...
    """
    ext = os.path.splitext(filename or "")[1].lower()
    if ext in UNSAFE_EXTENSIONS:
        raise unsafe(ext.lstrip(".").upper())
    head = sample.lstrip(b"\xef\xbb\xbf \t\r\n")
    if head[:16].lower().startswith(_MARKUP):
        raise unsafe("SVG/HTML/XML")
    for signature, kind in _SIGNATURES.items():
        if sample.startswith(signature):
            raise unsafe(kind)


def read_sample(path: str) -> bytes:
    with open(path, "rb") as f:
        return f.read(SAMPLE_BYTES)


def check_size(path: str, max_bytes: int) -> int:
    if not os.path.exists(path):
        raise InputError("not_found", "ファイルが見つかりません。", "File not found.")
    size = os.path.getsize(path)
    if size > max_bytes:
        raise InputError(
            "too_large",
            f"ファイルが大きすぎます（{size:,} バイト、上限 {max_bytes:,} バイト）。",
            f"The file is too large ({size:,} bytes; the limit is {max_bytes:,} bytes).",
        )
    return size


def detect_format(sample: bytes, filename: str) -> str:
    """The format from the file name, checked against the first bytes.

    >>> detect_format(b"a,b\\n1,2\\n", "x.csv"), detect_format(b'[{"a": 1}]', "upload")
    ('csv', 'json')
    >>> detect_format(b"PK\\x03\\x04rest", "list.csv")
    Traceback (most recent call last):
    ...
    ckanext.anonymize.engine.errors.InputError: CSV と称するファイルの中身がバイナリ（ZIP/Excel 形式）です。 / The file claims to be CSV but holds binary (ZIP/Excel) data.
    """
    ext = os.path.splitext(filename or "")[1].lower()
    declared = EXTENSIONS.get(ext)
    stripped = sample.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        raise InputError("empty", "ファイルが空です。", "The file is empty.")
    if sample.startswith(b"PK\x03\x04"):
        if declared in (None, "xlsx"):
            return "xlsx"
        raise InputError(
            "binary",
            f"{declared.upper()} と称するファイルの中身がバイナリ（ZIP/Excel 形式）です。",
            f"The file claims to be {declared.upper()} but holds binary (ZIP/Excel) data.",
        )
    if sample.startswith(b"\xd0\xcf\x11\xe0"):
        raise InputError(
            "format",
            "旧形式の Excel（.xls）には対応していません。.xlsx で保存してください。",
            "Legacy Excel (.xls) is not supported; save the file as .xlsx.",
        )
    if declared == "xlsx":
        raise InputError("format", "XLSX ファイルとして読めません。", "The file is not a valid XLSX file.")
    if declared:
        return declared
    if stripped[:1] in (b"[", b"{"):
        return "json"
    first_line = stripped.split(b"\n", 1)[0]
    if first_line.count(b"\t") > first_line.count(b","):
        return "tsv"
    if b"," in first_line:
        return "csv"
    return "txt"


def _decodes(sample: bytes, encoding: str, final: bool) -> str | None:
    try:
        return codecs.getincrementaldecoder(encoding)("strict").decode(sample, final=final)
    except UnicodeDecodeError:
        return None


def _japanese_score(text: str) -> int:
    score = 0
    for ch in text:
        o = ord(ch)
        if 0x3040 <= o <= 0x30FF or 0x4E00 <= o <= 0x9FFF or 0x3000 <= o <= 0x303F:
            score += 2
        elif 0xFF61 <= o <= 0xFF9F or 0xE000 <= o <= 0xF8FF:  # half-width kana, private use
            score -= 3
    return score


def detect_encoding(sample: bytes, final: bool) -> str:
    """The encoding of a text file, from its first bytes (``final``: the sample is all of it).

    >>> detect_encoding("氏名,住所\\n".encode("cp932"), True)
    'cp932'
    >>> detect_encoding("氏名,住所\\n".encode("euc_jp"), True)
    'euc_jp'
    >>> detect_encoding(b"\\xef\\xbb\\xbfa,b\\n", True), detect_encoding(b"a,b\\n", True)
    ('utf-8-sig', 'utf-8')
    """
    if sample.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        if b"\x00" in sample:
            raise InputError(
                "binary", "テキストではなくバイナリのファイルです。", "The file is binary, not text."
            )
        found: str | None = None
        if _decodes(sample, "utf-8", final) is not None:
            found = "utf-8"
        else:
            tried = {enc: _decodes(sample, enc, final) for enc in ("cp932", "euc_jp")}
            decoded = {enc: text for enc, text in tried.items() if text is not None}
            if decoded:
                found = max(decoded, key=lambda enc: _japanese_score(decoded[enc]))
        if found is None:
            raise InputError(
                "encoding",
                "文字コードを判定できません（UTF-8、Shift_JIS(CP932)、EUC-JP のいずれでも読めません）。",
                "Cannot decode the file as UTF-8, Shift_JIS (CP932) or EUC-JP.",
            )
        encoding = found
    text = _decodes(sample, encoding, final) or ""
    controls = sum(1 for ch in text if ch < " " and ch not in "\t\r\n\f")
    if text and controls > max(2, len(text) // 100):
        raise InputError(
            "binary", "テキストではなくバイナリのファイルです。", "The file is binary, not text."
        )
    return encoding


def check_zip(path: str, max_uncompressed: int, max_ratio: int) -> None:
    """Refuse XLSX files that would expand past the limits (zip bombs) before openpyxl sees them."""
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
            names = {i.filename for i in infos}
    except (zipfile.BadZipFile, OSError) as exc:
        raise InputError(
            "format",
            "XLSX ファイルとして読めません（ZIP が壊れています）。",
            "The file is not a valid XLSX file (broken ZIP).",
        ) from exc
    total = sum(i.file_size for i in infos)
    worst = max((i.file_size / max(i.compress_size, 1) for i in infos if i.file_size > 1 << 20), default=0)
    if total > max_uncompressed or worst > max_ratio:
        raise InputError(
            "zip_bomb",
            f"XLSX の展開後サイズが異常です（{total:,} バイト、圧縮率 {worst:.0f} 倍）。ZIP 爆弾の疑いがあるため処理しません。",
            f"The XLSX expands abnormally ({total:,} bytes, ratio {worst:.0f}); refused as a "
            "possible zip bomb.",
        )
    if "xl/workbook.xml" not in names:
        raise InputError(
            "format",
            "XLSX ファイルとして読めません（ブックがありません）。",
            "The file is not a valid XLSX file (no workbook).",
        )
