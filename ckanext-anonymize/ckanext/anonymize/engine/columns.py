"""Column policies: which operator a column's cells get. Never whether they are read.

Every cell of every column is analyzed; the policy decides what happens to what is found:

- transform: a column of personal data (氏名, 生年月日, 個人番号 ...): every non-empty cell goes,
  whatever the analyzer found in it. An owner column of a public list (開設者, 代表者 ...) is
  transformed unless the row's owner is an organisation.
- analyze: free or unknown text: what the analyzer finds is replaced, the rest stays.
- keep: codes, quantities, dates that are not birth dates, quasi-identifiers, the public columns
  of facility lists: kept *after* the analyzer found nothing personal in the cell. ``allow``
  names what the column legitimately holds (a facility's address in its 所在地 column); anything
  else found is replaced.

``public_contacts``: in public lists the contact details of organisations are data (an office's
phone in a 備考), those of persons are not (a mobile, a phone next to a person's name).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from ckanext.jatext import wareki
from ckanext.jatext.headers import header_key
from ckanext.jatext.width import fold

from .entities import CONTACT, LABELS
from .layouts import Layout
from .recognizers import my_number, phone
from .recognizers.address import TOWN_BLOCK_REGEX
from .recognizers.email import EMAIL_REGEX
from .vocabulary import header_entity, is_free_text, is_keep_header, is_org_contact, is_quasi, owner_role

KEEP, TRANSFORM, ANALYZE = "keep", "transform", "analyze"
POLICIES = (KEEP, TRANSFORM, ANALYZE)
ALL_ENTITIES = frozenset(e for e in LABELS if e != "PII")

_STRUCTURED = re.compile(r"[0-9A-Za-z\-_./:,+%#()年月日時分秒 ]+")
_EMAIL = re.compile(EMAIL_REGEX)
_NUMBERISH = re.compile(r"[0-9][0-9 \-.]{10,14}[0-9]")
_TOWN_BLOCK = re.compile(TOWN_BLOCK_REGEX)
# An address without its city, as ledgers keep it: town, then 丁目 / 番地 / 号 or 1-2-3 numbers.
_TOWN_ADDRESS = re.compile(
    r"[一-龥々ヶケノ]{1,10}(?:[0-9一二三四五六七八九十]+丁目)?[0-9]+"
    r"(?:(?:番地?|号|の|-)[0-9]*){1,3}"
)
# Columns that name a facility, a shop or a group: a surname inside the name is part of it.
NAME_COLUMNS = (
    "名称",
    "施設名",
    "店舗名",
    "事業所名",
    "団体名",
    "法人名",
    "会社名",
    "商号",
    "屋号",
    "イベント名",
    "事業名",
    "医療機関名",
    "名前",
)


@dataclass
class ColumnPolicy:
    policy: str
    reason: str
    entity: str | None = None  # transform: the entity type of every cell
    allow: frozenset = frozenset()  # entity types this column may hold in public
    public_contacts: bool = False  # organisations' contact details stay
    owner: str | None = None  # owner role (開設者 ...): unless the row's owner is an organisation
    adopted: bool = False  # a plain contact column taken for the owner's on its left
    anchors: tuple = ()  # adopted: the columns naming whose contact it is
    name_column: bool = False  # public list: the column naming what each row is about
    by_values: bool = False  # transform decided from values, not from the header
    quasi: bool = False
    stats: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        d: dict[str, Any] = {"policy": self.policy, "reason": self.reason}
        if self.entity:
            d["entity"] = self.entity
        if self.allow:
            d["allowed"] = sorted(self.allow)
        if self.owner:
            d["owner_role"] = self.owner
        if self.quasi:
            d["quasi_identifier"] = True
        return d


def _share(values: Sequence[str], test) -> float:
    return sum(1 for v in values if test(v)) / len(values) if values else 0.0


def _identifier_entity(values: Sequence[str]) -> str | None:
    """A column of structured values that are in fact personal identifiers."""
    if _share(values, lambda v: bool(_NUMBERISH.fullmatch(fold(v).strip())) and my_number.is_valid(v)) >= 0.5:
        return "MY_NUMBER"
    if _share(values, lambda v: bool(_EMAIL.fullmatch(fold(v).strip()))) >= 0.5:
        return "EMAIL_ADDRESS"
    return None


# Entities whose values always hold digits (of either width, or kanji numerals in dates).
SHAPED = frozenset(
    {
        "PHONE_NUMBER",
        "DATE_OF_BIRTH",
        "JP_POSTAL_CODE",
        "MY_NUMBER",
        "JP_BANK_ACCOUNT",
        "JP_DRIVERS_LICENSE",
        "JP_PASSPORT",
        "JP_RESIDENCE_CARD",
        "PERSONAL_ID",
    }
)
_ANY_DIGIT = re.compile(r"[0-9０-９〇一二三四五六七八九十]")


_LONG_NUMBER = re.compile(r"[0-9]{7,12}")


def _personal_number(value: str) -> bool:
    """A zero-padded number of 7 to 12 digits (宛名番号 0005011299, 世帯番号 00402997)."""
    return bool(_LONG_NUMBER.fullmatch(fold(value).strip())) and _date(value) is None


def _sentence(value: str) -> bool:
    """Several words with digits and Japanese text: a phrase, not one value."""
    v = value.strip()
    return (
        len(v) >= 12
        and _has_digit(v)
        and bool(re.search(r"[一-龥ぁ-んァ-ヴ]", v))
        and bool(re.search(r"[\s（(、,：:]", v))
    )


def _has_digit(value: str) -> bool:
    return bool(_ANY_DIGIT.search(value))


def _date(value: str):
    return wareki.parse(value, strict=False) or wareki.parse_code(value)


_TIME_OF_DAY = re.compile(r"[0-9]{1,2}:[0-9]{2}")


def _birth_dates(values: Sequence[str]) -> bool:
    """A column of dates that may be dates of birth: not timestamps, and spread over years
    (受付日 and 申請日 of one register fall within a year or two; birth dates do not)."""
    dates = [_date(v) for v in values]
    found = [d for d in dates if d is not None]
    if len(found) < 0.8 * len(values) or not found:
        return False
    if sum(1 for v in values if _TIME_OF_DAY.search(fold(v))) >= 0.5 * len(values):
        return False
    years = sorted(d.year for d in found)
    return len(found) < 3 or years[-1] - years[0] >= 4


def _is_name_column(h: str) -> bool:
    return any(h == w or h.endswith(w) for w in NAME_COLUMNS)


def decide(
    header: str,
    values: Sequence[str],
    layout: Layout,
    analyzer=None,
    override: str | None = None,
    quasi_extra: Sequence[str] = (),
    person_table: bool = False,
) -> ColumnPolicy:
    """The policy of one column from its header, the table layout and a sample of its values.

    ``person_table``: other columns of the sheet hold persons (a date column without a telling
    header is then a date of birth).
    """
    h = header_key(header)
    values = [v for v in values if v and v.strip()]
    quasi = is_quasi(header) or any(header_key(w) == h for w in quasi_extra)
    entity = header_entity(header)
    role = owner_role(header)
    if override:
        return _overridden(override, entity, values, analyzer, quasi)
    if is_org_contact(header):
        allow = {entity, "JP_POSTAL_CODE"} if entity == "JP_ADDRESS" else {entity}
        return ColumnPolicy(
            KEEP,
            f"見出し「{header}」は団体・事業所の連絡先（携帯・個人の連絡先は置換）/ an "
            "organisation's contact details (mobiles and persons' contacts replaced)",
            allow=frozenset(allow),
            public_contacts=True,
        )
    if entity in SHAPED and values and _share(values, _has_digit) < 0.2:
        # 「連絡先の種類」 holds 父自宅, 母携帯: the header names a phone, the values are not phones.
        entity = None
    if entity in ("PERSON", "PHONE_NUMBER") and not role and _share(values, _sentence) >= 0.5:
        # 「緊急連絡先」 holds 「長男 田中 聡太郎 058-…」 and 「グループホームひだまり（058-…）」: text
        # about several things, analyzed cell by cell (an office's number stays, a person's goes).
        return ColumnPolicy(
            ANALYZE,
            f"見出し「{header}」の値は文（各セルを検査）/ the values under 「{header}」 "
            "are phrases (every cell checked)",
        )
    identifier = _identifier_entity(values)
    if identifier == "MY_NUMBER" and entity != "MY_NUMBER":
        return ColumnPolicy(
            TRANSFORM,
            "値の過半が検査数字の正しい個人番号 / most values are valid My Numbers",
            entity="MY_NUMBER",
        )
    if layout.public:
        public = _public_column(header, h, entity, role, layout)
        if public is not None:
            return public
    if (
        entity == "DATE_OF_BIRTH"
        and h.startswith("生年")
        and h != "生年月日"
        and _share(values, lambda v: len(re.sub(r"\D", "", fold(v))) <= 4) >= 0.8
    ):
        return ColumnPolicy(KEEP, "生年のみ（準識別子）/ birth year only (quasi-identifier)", quasi=True)
    if entity:
        return ColumnPolicy(
            TRANSFORM, f"見出し「{header}」は個人情報の列 / header names personal data", entity=entity
        )
    if role:
        return ColumnPolicy(
            TRANSFORM, f"見出し「{header}」は個人（{role}）の列 / header names a person", entity="PERSON"
        )
    if identifier == "EMAIL_ADDRESS":
        return ColumnPolicy(
            TRANSFORM,
            "値の過半がメールアドレス / most values are e-mail addresses",
            entity="EMAIL_ADDRESS",
            by_values=True,
        )
    if quasi:
        # 町丁目, 地区: place names, which the analyzer may take for surnames (鷺山, 加納).
        return ColumnPolicy(
            KEEP,
            "準識別子（k-匿名性で確認）/ quasi-identifier (checked for k)",
            allow=frozenset({"PERSON", "JP_ADDRESS"}),
            quasi=True,
        )
    if not values:
        return ColumnPolicy(ANALYZE, "標本が空（各セルを検査）/ empty sample (every cell checked)")
    if not is_free_text(header) and _place_column(values, analyzer):
        return ColumnPolicy(
            KEEP,
            "地区・町名の列（準識別子として確認）/ district or town names (checked as a quasi-identifier)",
            allow=frozenset({"PERSON", "JP_ADDRESS"}),
            quasi=True,
        )
    by_values = _by_values(h, values, analyzer, person_table)
    if by_values is not None:
        return by_values
    if is_free_text(header):
        return ColumnPolicy(ANALYZE, "自由記述（各セルを検査）/ free text (every cell checked)")
    structured = _share(values, lambda v: bool(_STRUCTURED.fullmatch(fold(v)))) >= 0.98
    if structured:
        why = "見出しが識別子・コード・数量" if is_keep_header(header) else "値がすべて数値・コード・日付"
        return ColumnPolicy(
            KEEP, f"{why}（各セルを検査済み）/ identifiers, codes, numbers or dates (every cell checked)"
        )
    return ColumnPolicy(
        ANALYZE, "自由記述または不明な文字列（各セルを検査）/ free or unknown text (every cell checked)"
    )


def _overridden(
    override: str, entity: str | None, values: Sequence[str], analyzer, quasi: bool
) -> ColumnPolicy:
    if override not in POLICIES:
        raise ValueError(override)
    reason = "利用者の指定 / set by the user"
    if override == TRANSFORM:
        return ColumnPolicy(TRANSFORM, reason, entity=entity or "PII")
    if override == KEEP:
        # Staff say this column's content is public (names of award winners): what the column
        # holds stays; anything else found in it (a phone number in a name column) still goes.
        own = {entity} if entity else set()
        top = _dominant_entity(values, analyzer) if analyzer is not None else None
        if top:
            own.add(top)
        if "JP_ADDRESS" in own:
            own.add("JP_POSTAL_CODE")
        return ColumnPolicy(KEEP, reason, allow=frozenset(own), quasi=quasi)
    return ColumnPolicy(ANALYZE, reason)


def _public_column(
    header: str, h: str, entity: str | None, role: str | None, layout: Layout
) -> ColumnPolicy | None:
    """Policies of the columns of a public list (facilities, events, permits); None: as any table."""
    if role and (entity in (None, "PERSON") or entity in CONTACT):
        return ColumnPolicy(
            TRANSFORM,
            f"{role}の列: 法人・団体でなければ個人情報 / {role}: personal "
            "unless the owner is an organisation",
            entity=entity or "PERSON",
            owner=role,
            public_contacts=True,
        )
    if layout.is_free_text(header) or is_free_text(header):
        return ColumnPolicy(
            ANALYZE,
            f"{layout.name} の自由記述（団体の連絡先は残し、個人の連絡先は置換）"
            " / free text of a public list (organisations' contacts stay)",
            public_contacts=True,
        )
    if entity in CONTACT:
        allow = {entity, "JP_POSTAL_CODE"} if entity == "JP_ADDRESS" else {entity}
        return ColumnPolicy(
            KEEP,
            f"{layout.name} の連絡先列（携帯・個人の連絡先は置換）/ contact column of "
            f"{layout.name} (mobiles and persons' contacts replaced)",
            allow=frozenset(allow),
            public_contacts=True,
        )
    if _is_name_column(h) and entity in (None, "PERSON"):
        # A facility's or a shop's name is the public data of the list, surname or not
        # (ヘアーサロン山田, 佐藤医院).
        return ColumnPolicy(
            KEEP,
            f"{layout.name} の名称列（各セルを検査済み）/ name column of {layout.name} (every cell checked)",
            allow=frozenset({"PERSON"}),
            public_contacts=True,
            name_column=True,
        )
    if entity is None:
        # A code column (電柱番号 「中部 今沢 71」) may hold place names that are surnames too.
        return ColumnPolicy(
            KEEP,
            f"{layout.name} の公開列（各セルを検査済み）/ public column of "
            f"{layout.name} (every cell checked)",
            allow=frozenset({"PERSON"}) if is_keep_header(header) else frozenset(),
            public_contacts=True,
        )
    return None


def _by_values(h: str, values: Sequence[str], analyzer, person_table: bool) -> ColumnPolicy | None:
    """A column whose values say what it is, whatever (or whether) its header says."""
    structured = _share(values, lambda v: bool(_STRUCTURED.fullmatch(fold(v)))) >= 0.98
    if (
        structured
        and _share(values, lambda v: phone.is_valid(v) and ("-" in fold(v) or fold(v).startswith("0"))) >= 0.5
    ):
        return ColumnPolicy(
            TRANSFORM,
            "値の過半が電話番号 / most values are phone numbers",
            entity="PHONE_NUMBER",
            by_values=True,
        )
    if person_table and not is_keep_header(h) and _birth_dates(values):
        return ColumnPolicy(
            TRANSFORM,
            "個人の表で見出しのない日付列（生年月日とみなす）/ dates in a table of "
            "persons, no telling header (taken as dates of birth)",
            entity="DATE_OF_BIRTH",
            by_values=True,
        )
    if person_table and not h and _share(values, _personal_number) >= 0.8:
        return ColumnPolicy(
            TRANSFORM,
            "個人の表で見出しのない7桁以上の番号（宛名番号などの個人IDとみなす）/ long "
            "numbers in a table of persons, no header (taken as personal IDs)",
            entity="PERSONAL_ID",
            by_values=True,
        )
    if (
        not is_keep_header(h)
        and _share(
            values, lambda v: bool(_TOWN_BLOCK.search(fold(v)) or _TOWN_ADDRESS.match(fold(v).strip()))
        )
        >= 0.6
    ):
        return ColumnPolicy(
            TRANSFORM,
            "値の過半が町名と番地 / most values are town names with block numbers",
            entity="JP_ADDRESS",
            by_values=True,
        )
    if analyzer is not None and not structured:
        top = _dominant_entity(values, analyzer)
        if top:
            return ColumnPolicy(
                TRANSFORM, f"値の過半が {top} / most values are {top}", entity=top, by_values=True
            )
    return None


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
        # Names are nearly all different; a column of a few repeated values is a category
        # (districts such as 本荘, 日野 are surnames too).
        if n >= 0.6 * len(sample) and (entity != "PERSON" or len(set(sample)) >= 0.5 * len(sample)):
            return entity
    return None


PLACE_TAG = "名詞-固有名詞-地名"


def _place_column(values: Sequence[str], analyzer) -> bool:
    """A column of district or town names (長良, 本荘, 鷺山 …) repeated over the rows. Many of them
    are surnames too, so the dictionary tags some as names; but a column of surnames repeats
    without any value the dictionary knows only as a place, and a column of full names does not
    repeat at all."""
    if analyzer is None or len(values) < 5:
        return False
    distinct = sorted({v.strip() for v in values})
    if len(distinct) == len(values) or max(len(v) for v in distinct) > 8:
        return False
    places = 0
    for value in distinct:
        tokens = list(analyzer.nlp_engine.tokenize(value))
        if (len(tokens) == 1 and tokens[0].tag_.startswith(PLACE_TAG)) or value.endswith(
            ("町", "地区", "校区")
        ):
            places += 1
    return places >= max(1, 0.25 * len(distinct))
