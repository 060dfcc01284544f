"""Column policies: transform every cell, analyze each cell, or keep; decided from the header
words, the table layout and a sample of values.

- transform: a column of personal data (氏名, 生年月日, 個人番号 ...): every non-empty cell goes.
- analyze: free text or unknown text: each cell is searched and only findings are replaced.
- keep: identifiers, codes, coordinates, quantities, dates that are not birth dates, public
  facility columns of standard layouts, and quasi-identifiers (kept, then checked for k).

Fail closed: an unknown column with text in it is analyzed, never kept unread.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Sequence

from .entities import CONTACT
from .layouts import Layout, normalize
from .recognizers import my_number, phone
from .recognizers.email import EMAIL_REGEX
from .width import fold

KEEP, TRANSFORM, ANALYZE = "keep", "transform", "analyze"
POLICIES = (KEEP, TRANSFORM, ANALYZE)

# Header words of personal columns, first match wins (exact: the whole header; part: contained).
PII_HEADERS: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    ("MY_NUMBER", ("個人番号", "マイナンバー", "mynumber"), ()),
    ("JP_DRIVERS_LICENSE", ("免許証番号", "運転免許"), ()),
    ("JP_PASSPORT", ("旅券番号", "パスポート", "passport"), ()),
    ("JP_RESIDENCE_CARD", ("在留カード", "特別永住者証明書"), ()),
    ("JP_BANK_ACCOUNT", ("口座番号", "口座"), ()),
    ("PERSONAL_ID", ("被保険者番号", "住民票コード", "宛名番号", "世帯番号", "個人コード",
                     "受給者番号", "受給者証番号", "保険証番号", "学籍番号", "会員番号", "患者番号"), ()),
    ("DATE_OF_BIRTH", ("生年月日", "誕生日", "birth", "dob"), ()),
    ("EMAIL_ADDRESS", ("メール", "mail"), ()),
    ("PHONE_NUMBER", ("電話", "携帯", "ファクス", "ファックス", "連絡先", "phone"), ("tel", "fax")),
    ("JP_POSTAL_CODE", ("郵便番号", "〒", "postal", "zip"), ()),
    ("JP_ADDRESS", ("住所", "居所", "所在地", "本籍", "address", "送付先", "居住地"), ()),
    ("PERSON", ("氏名", "名前", "姓名", "ふりがな", "フリガナ", "よみがな", "ヨミガナ", "カナ氏名",
                "申請者", "世帯主", "保護者", "代表者氏名", "担当者", "患者名", "利用者名", "契約者",
                "届出人", "相談者", "児童名", "生徒名", "fullname", "person"),
     ("姓", "名", "氏", "名字", "苗字", "せい", "めい", "name", "セイ", "メイ", "カナ")),
]

# Header words of columns that are never personal text on their own.
KEEP_HEADERS = ("id", "no", "番号", "コード", "code", "緯度", "経度", "lat", "lon", "lng",
                "法人番号", "日付", "年月日", "日時", "年度", "時刻", "時間", "開始", "終了", "件数",
                "人数", "金額", "面積", "人口", "url", "ホームページ", "区分", "種別", "分類",
                "数量", "単位", "率", "割合", "合計", "曜日")
# Quasi-identifiers: kept, then counted for k-anonymity (rule 62: unusual values, group sizes).
QI_HEADERS = ("年齢", "年代", "性別", "男女", "町丁目", "町名", "地区", "校区", "行政区", "国籍",
              "職業", "生年", "続柄", "世帯人数", "学年", "age", "sex", "gender")

_STRUCTURED = re.compile(r"[0-9A-Za-z\-_./:,+%#()年月日時分秒 ]+")
_EMAIL = re.compile(EMAIL_REGEX)
_NUMBERISH = re.compile(r"[0-9][0-9 \-.]{10,14}[0-9]")


@dataclass
class ColumnPolicy:
    policy: str
    reason: str
    entity: str | None = None                 # transform: the entity type of every cell
    entities: tuple[str, ...] | None = None   # analyze: restrict to these (None: all)
    quasi: bool = False
    stats: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        d = {"policy": self.policy, "reason": self.reason}
        if self.entity:
            d["entity"] = self.entity
        if self.entities is not None:
            d["entities"] = list(self.entities)
        if self.quasi:
            d["quasi_identifier"] = True
        return d


def header_entity(header: str) -> str | None:
    """The personal entity a header announces, if any.

    >>> header_entity("氏名（漢字）"), header_entity("生年月日"), header_entity("名称"), header_entity("姓")
    ('PERSON', 'DATE_OF_BIRTH', None, 'PERSON')
    """
    h = normalize(header)
    for entity, parts, exact in PII_HEADERS:
        if h in exact or any(p in h for p in parts):
            return entity
    return None


def _is_keep_header(h: str) -> bool:
    return any(h == w or h.endswith(w) or h.startswith(w) for w in KEEP_HEADERS)


def _share(values: Sequence[str], test) -> float:
    return sum(1 for v in values if test(v)) / len(values) if values else 0.0


def _identifier_entity(values: Sequence[str]) -> str | None:
    """A column of structured values that are in fact personal identifiers."""
    if _share(values, lambda v: bool(_NUMBERISH.fullmatch(fold(v).strip())) and my_number.is_valid(v)) >= 0.5:
        return "MY_NUMBER"
    if _share(values, lambda v: bool(_EMAIL.fullmatch(fold(v).strip()))) >= 0.5:
        return "EMAIL_ADDRESS"
    return None


def decide(header: str, values: Sequence[str], layout: Layout, analyzer=None,
           override: str | None = None, quasi_extra: Sequence[str] = ()) -> ColumnPolicy:
    """The policy of one column from its header, the table layout and a sample of its values."""
    h = normalize(header)
    values = [v for v in values if v and v.strip()]
    quasi = any(w in h for w in QI_HEADERS) or any(normalize(w) == h for w in quasi_extra)
    entity = header_entity(header)
    if override:
        if override not in POLICIES:
            raise ValueError(override)
        return ColumnPolicy(override, "利用者の指定 / set by the user",
                            entity=(entity or "PII") if override == TRANSFORM else None,
                            quasi=quasi and override == KEEP)
    identifier = _identifier_entity(values)
    if identifier == "MY_NUMBER" and entity != "MY_NUMBER":
        return ColumnPolicy(TRANSFORM, "値の過半が検査数字の正しい個人番号 / most values are valid My Numbers",
                            entity="MY_NUMBER")
    if layout.public:
        if layout.is_free_text(header):
            personal = tuple(e for e in _ALL_ENTITIES() if e not in CONTACT)
            return ColumnPolicy(ANALYZE, f"{layout.name} の自由記述列（施設の連絡先は公開情報として残す）"
                                " / free text of a public layout (facility contacts stay)",
                                entities=personal)
        if entity is None or entity in CONTACT or entity == "PERSON" and h in ("名称", "団体名"):
            return ColumnPolicy(KEEP, f"{layout.name} の公開列 / public column of {layout.name}")
    if entity == "DATE_OF_BIRTH" and h.startswith("生年") and h not in ("生年月日",) \
            and _share(values, lambda v: len(re.sub(r"\D", "", fold(v))) <= 4) >= 0.8:
        return ColumnPolicy(KEEP, "生年のみ（準識別子）/ birth year only (quasi-identifier)", quasi=True)
    if entity:
        return ColumnPolicy(TRANSFORM, f"見出し「{header}」は個人情報の列 / header names personal data",
                            entity=entity)
    structured = bool(values) and _share(values, lambda v: bool(_STRUCTURED.fullmatch(fold(v)))) >= 0.98
    if identifier == "EMAIL_ADDRESS":
        return ColumnPolicy(TRANSFORM, "値の過半がメールアドレス / most values are e-mail addresses",
                            entity="EMAIL_ADDRESS")
    if quasi:
        return ColumnPolicy(KEEP, "準識別子（k-匿名性で確認）/ quasi-identifier (checked for k)", quasi=True)
    if structured and _share(values, lambda v: phone.is_valid(v) and "-" in fold(v)) >= 0.5 \
            and not layout.public:
        return ColumnPolicy(TRANSFORM, "値の過半が電話番号 / most values are phone numbers",
                            entity="PHONE_NUMBER")
    if not values:
        return ColumnPolicy(ANALYZE, "標本が空（各セルを検査）/ empty sample (every cell checked)")
    if structured:
        why = "見出しが識別子・コード・数量" if _is_keep_header(h) else "値がすべて数値・コード・日付"
        return ColumnPolicy(KEEP, f"{why} / identifiers, codes, numbers or dates")
    if analyzer is not None:
        top = _dominant_entity(values, analyzer)
        if top:
            return ColumnPolicy(TRANSFORM, f"値の過半が {top} / most values are {top}", entity=top)
    return ColumnPolicy(ANALYZE, "自由記述または不明な文字列（各セルを検査）/ free or unknown text (every cell checked)",
                        entities=tuple(e for e in _ALL_ENTITIES() if e not in CONTACT)
                        if layout.public else None)


def _dominant_entity(values: Sequence[str], analyzer) -> str | None:
    """The entity that fills most cells on its own (a name column under an unknown header)."""
    counts: dict[str, int] = {}
    sample = list(values)[:100]
    for value, findings in zip(sample, analyzer.analyze_many(sample)):
        body = len(value.strip())
        for f in findings:
            if body and (f.end - f.start) >= 0.7 * body:
                counts[f.entity_type] = counts.get(f.entity_type, 0) + 1
                break
    if counts and len(sample) >= 3:
        entity, n = max(counts.items(), key=lambda kv: kv[1])
        if n >= 0.6 * len(sample):
            return entity
    return None


def _ALL_ENTITIES() -> tuple[str, ...]:
    from .entities import LABELS
    return tuple(e for e in LABELS if e not in ("PII",))
