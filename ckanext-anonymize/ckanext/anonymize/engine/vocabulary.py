"""The words of column headers, as data: what a header announces, and whether a cell is one.

Headers are compared as the text core's header keys (``header_key``: widths, case, spaces and
brackets folded). ``exact`` words must be the whole header (one-character words such as 姓 would
match too much inside others); ``parts`` may stand anywhere in it.

>>> header_entity("氏名（漢字）"), header_entity("生年月日"), header_entity("名称"), header_entity("Mobile")
('PERSON', 'DATE_OF_BIRTH', None, 'PHONE_NUMBER')
>>> header_entity("連絡先 住所"), header_entity("宛名1"), header_entity("氏 名"), header_entity("①ﾌﾘｶﾞﾅ")
('JP_ADDRESS', 'PERSON', 'PERSON', 'PERSON')
>>> header_entity("ｾｲﾈﾝｶﾞｯﾋﾟ"), header_entity("member_no"), is_org_contact("事業所電話")
('DATE_OF_BIRTH', 'PERSONAL_ID', True)
>>> header_entity("Tel1"), header_entity("hotel"), is_quasi("message"), is_quasi("age"), header_entity("userName")
('PHONE_NUMBER', None, False, True, 'PERSON')
>>> owner_role("開設者住所"), owner_role("代表者氏名"), owner_role("施設名"), owner_role("ロープウェー利用者数")
('開設者', '代表者', None, None)
>>> is_header_word("生年月日"), is_header_word("山田太郎"), is_header_word("No."), is_header_word("合計")
(True, False, True, True)
"""

from __future__ import annotations

import re

from ckanext.jatext.headers import header_key

_TRAILING_NUMBER = re.compile(r"[0-9]+$")
# 「①ﾌﾘｶﾞﾅ」「(2)氏名」「3.住所」: the ordinal of a header is not part of its word.
_LEADING_ORDINAL = re.compile(r"^(?:[0-9]+[.)．、:：]?|[(（][0-9]+[)）])")

# Personal columns: (entity, parts, exact). First match wins.
PII_HEADERS: list[tuple[str, tuple[str, ...], tuple[str, ...]]] = [
    ("MY_NUMBER", ("個人番号", "マイナンバー", "mynumber"), ()),
    ("JP_DRIVERS_LICENSE", ("免許証番号", "運転免許"), ()),
    ("JP_PASSPORT", ("旅券番号", "パスポート", "passport"), ()),
    ("JP_RESIDENCE_CARD", ("在留カード", "特別永住者証明書"), ()),
    ("JP_BANK_ACCOUNT", ("口座番号", "口座", "コウザバンゴウ"), ("account", "accountno")),
    (
        "PERSONAL_ID",
        (
            "被保険者番号",
            "住民票コード",
            "宛名番号",
            "世帯番号",
            "個人コード",
            "受給者番号",
            "受給者証番号",
            "保険証番号",
            "学籍番号",
            "会員番号",
            "患者番号",
            "利用者番号",
            "利用者id",
            "会員id",
            "memberno",
            "memberid",
            "membershipno",
            "customerno",
            "customerid",
            "patientid",
            "カルテ番号",
            "診察券番号",
            "会員no",
            "アテナバンゴウ",
            "セタイバンゴウ",
        ),
        ("userid", "会員"),
    ),
    (
        "DATE_OF_BIRTH",
        ("生年月日", "誕生日", "birth", "dob", "生年", "誕生", "セイネンガッピ", "タンジョウビ"),
        ("生まれ",),
    ),
    ("EMAIL_ADDRESS", ("メール", "mail", "email"), ()),
    (
        "PHONE_NUMBER",
        (
            "電話",
            "携帯",
            "ファクス",
            "ファックス",
            "連絡先",
            "phone",
            "mobile",
            "tel",
            "fax",
            "ケータイ",
            "デンワ",
        ),
        ("cell", "keitai", "denwa"),
    ),
    ("JP_POSTAL_CODE", ("郵便番号", "〒", "postal", "zip", "postcode", "ユウビンバンゴウ"), ()),
    (
        "JP_ADDRESS",
        (
            "住所",
            "居所",
            "所在地",
            "本籍",
            "address",
            "送付先",
            "居住地",
            "addr",
            "方書",
            "番地",
            "現住所",
            "自宅",
            "号室",
            "部屋番号",
            "street",
            "building",
            "apartment",
            "ジュウショ",
            "ショザイチ",
        ),
        ("所在", "jusho", "juusho", "room", "番", "号"),
    ),
    (
        "PERSON",
        (
            "氏名",
            "名前",
            "姓名",
            "ふりがな",
            "フリガナ",
            "よみがな",
            "ヨミガナ",
            "カナ氏名",
            "申請者",
            "世帯主",
            "保護者",
            "代表者氏名",
            "担当者",
            "患者名",
            "利用者名",
            "契約者",
            "届出人",
            "相談者",
            "児童名",
            "生徒名",
            "fullname",
            "person",
            "furigana",
            "kana",
            "firstname",
            "lastname",
            "givenname",
            "familyname",
            "surname",
            "お名前",
            "本人",
            "世帯員",
            "家族",
            "続柄氏名",
            "受給者",
            "対象者",
            "被保険者",
            "利用者",
            "名義",
            "username",
            "専門員",
            "相談員",
            "支援員",
            "協力員",
            "民生委員",
            "ケアマネ",
            "保証人",
            "後見人",
            "代理人",
            "シメイ",
            "ナマエ",
            "メイギ",
            "しめい",
            "なまえ",
            "じどうめい",
            "えんじめい",
            "おなまえ",
            "child",
            "kids",
            "member",
            "hiragana",
            "katakana",
            "applicant",
            "guardian",
            "parent",
            "resident",
            "contactperson",
            "フリガナ",
            "kananame",
            "namekana",
            "児童",
            "園児",
            "生徒",
            "family",
            "given",
        ),
        (
            "姓",
            "名",
            "氏",
            "名字",
            "苗字",
            "せい",
            "めい",
            "name",
            "セイ",
            "メイ",
            "カナ",
            "yomi",
            "shimei",
            "namae",
            "宛名",
            "宛先",
            "受取人",
            "first",
            "last",
        ),
    ),
]

# A count or a rate of something is never that something (利用者数, 会員数, 人口率).
COUNT_SUFFIXES = ("数", "率", "額", "割合", "件数", "人数", "数量", "count", "total", "num")

# Owner / representative / contact-person roles in facility and permit lists: personal unless
# the value is an organisation (see ``organisation.is_organisation``).
OWNER_ROLES = (
    "開設者",
    "代表者",
    "管理者",
    "申請者",
    "届出者",
    "届出人",
    "所有者",
    "担当者",
    "設置者",
    "経営者",
    "事業主",
    "店主",
    "責任者",
    "施設長",
    "院長",
    "園長",
    "施主",
    "占用者",
    "使用者",
    "許可者",
    "申込者",
    "連絡者",
    "世話人",
    "要望者",
    "依頼者",
    "通報者",
    "申出者",
    "申出人",
    "報告者",
    "記入者",
    "回答者",
    "相談者",
    "利用者",
    "契約者",
)
# Contact columns of an organisation (事業所電話, 勤務先住所): its office's details, not a person's.
ORG_CONTACT_PREFIXES = (
    "事業所",
    "施設",
    "会社",
    "法人",
    "勤務先",
    "学校",
    "園",
    "店舗",
    "事務所",
    "団体",
    "病院",
    "医療機関",
    "窓口",
    "担当課",
    "所管課",
    "office",
    "company",
)

# Never personal text on their own (codes, quantities, dates that are not birth dates, ...).
KEEP_HEADERS = (
    "id",
    "no",
    "番号",
    "コード",
    "code",
    "緯度",
    "経度",
    "lat",
    "lon",
    "lng",
    "法人番号",
    "日付",
    "年月日",
    "日時",
    "年度",
    "時刻",
    "時間",
    "開始",
    "終了",
    "件数",
    "人数",
    "金額",
    "面積",
    "人口",
    "url",
    "ホームページ",
    "区分",
    "種別",
    "分類",
    "数量",
    "単位",
    "率",
    "割合",
    "合計",
    "曜日",
    "受付日",
    "交付日",
    "申請日",
    "届出日",
    "許可日",
    "確認日",
    "開催日",
    "更新日",
    "登録日",
    "設置日",
    "実施日",
    "支給日",
    "受診日",
)
# Quasi-identifiers: kept, then counted for k-anonymity (rule 62: unusual values, group sizes).
QI_HEADERS = (
    "年齢",
    "年代",
    "性別",
    "男女",
    "町丁目",
    "町名",
    "地区",
    "校区",
    "行政区",
    "国籍",
    "職業",
    "続柄",
    "世帯人数",
    "学年",
    "age",
    "sex",
    "gender",
)
# Free text, in any table: every cell analyzed.
FREE_TEXT = (
    "備考",
    "特記事項",
    "説明",
    "概要",
    "補足",
    "コメント",
    "注意事項",
    "注記",
    "メモ",
    "記録",
    "内容",
    "相談内容",
    "経過",
    "note",
    "remarks",
    "comment",
    "memo",
    "問合せ",
    "問い合わせ",
    "お問合せ",
    "お問い合わせ",
)
# Things that public lists are about: facilities, events, organisations, places.
PUBLIC_SUBJECTS = (
    "施設名",
    "名称",
    "事業所名",
    "店舗名",
    "法人番号",
    "緯度",
    "経度",
    "団体名",
    "法人名",
    "イベント名",
    "催し",
    "行事名",
    "事業名",
    "会場",
    "開催場所",
    "場所",
    "表示場所",
    "施設所在地",
    "設置場所",
    "設置位置",
    "会社名",
    "商号",
    "屋号",
    "医療機関名",
    "facility",
    "venue",
    "event",
)
# Words of personal registers: a table with one of these is about people.
PERSONAL_HEADERS = (
    "氏名",
    "生年月日",
    "性別",
    "年齢",
    "個人番号",
    "マイナンバー",
    "フリガナ",
    "ふりがな",
    "世帯",
    "続柄",
    "誕生日",
    "保護者",
    "患者",
    "児童名",
    "名前",
    "住民",
    "会員",
    "利用者氏名",
    "受給者",
    "被保険者",
    "対象者",
)
# Lines of a table that are not records: totals, footnotes.
SUMMARY_WORDS = ("合計", "計", "小計", "総計", "以下余白", "以上", "総数", "平均", "注", "※")
# Other frequent header words (help to recognise a header row; no policy of their own).
OTHER_HEADERS = (
    "項目",
    "内容",
    "摘要",
    "状況",
    "結果",
    "対応",
    "種類",
    "定員",
    "料金",
    "対象",
    "期間",
    "開館時間",
    "休館日",
    "駐車場",
    "受付",
    "担当課",
    "所管課",
    "課名",
    "部署",
    "回数",
    "status",
    "type",
    "category",
    "date",
    "title",
    "value",
    "item",
)


_WORD = re.compile(r"[A-Za-z]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def _ascii_words(header: str) -> set[str]:
    """The English words of a header (user_name, birthDate, Tel1 → user, name, birth, date, tel)."""
    return {w.lower() for w in _WORD.findall(_CAMEL.sub(" ", str(header or "")))}


def _match(
    h: str, parts: tuple[str, ...], exact: tuple[str, ...] = (), words: set[str] | None = None
) -> bool:
    """Japanese words anywhere in the key; a short English word only as a word of its own
    at its start (「tel」 in 「Tel1」 and 「telephone」, not in 「hotel」; 「age」 not in 「message」)."""
    if h in exact:
        return True
    for p in parts:
        if p.isascii() and len(p) <= 5:
            if words is not None and any(w == p or w.startswith(p) for w in words):
                return True
        elif p in h:
            return True
    return False


def _key(header: str) -> str:
    """The header key without an ordinal before it or a number after it (①氏名, 住所1)."""
    key = header_key(header)
    return _TRAILING_NUMBER.sub("", _LEADING_ORDINAL.sub("", key)) or key


def core(cell: str) -> str:
    """A header cell without its ordinal and number, for judging what it is."""
    return _key(cell)


def is_org_contact(header: str) -> bool:
    """事業所電話, 勤務先住所: the contact details of an organisation named in the row."""
    h = _key(header)
    return any(h.startswith(p) for p in ORG_CONTACT_PREFIXES) and header_entity(h) in (
        "PHONE_NUMBER",
        "JP_ADDRESS",
        "JP_POSTAL_CODE",
        "EMAIL_ADDRESS",
    )


def header_entity(header: str) -> str | None:
    """The personal entity a header announces, if any. Of a two-row header (「連絡先 住所」)
    the field's own word decides before its category's."""
    words = str(header or "").split()
    if len(words) > 1:
        own = header_entity(words[-1])
        if own:
            return own
    h = _key(header)
    if not h or h.endswith(COUNT_SUFFIXES):
        return None
    ascii_words = _ascii_words(header)
    for entity, parts, exact in PII_HEADERS:
        if _match(h, parts, exact, ascii_words):
            return entity
    return None


def owner_role(header: str) -> str | None:
    """The owner / representative role a header names (開設者住所 → 開設者)."""
    h = _key(header)
    if not h or h.endswith(COUNT_SUFFIXES):  # 利用者数: a count of users, not a user
        return None
    return next((role for role in OWNER_ROLES if role in h), None)


def is_keep_header(header: str) -> bool:
    h = header_key(header)
    return any(h == w or h.endswith(w) or h.startswith(w) for w in KEEP_HEADERS)


def is_quasi(header: str) -> bool:
    return _match(header_key(header), QI_HEADERS, (), _ascii_words(header))


def is_free_text(header: str) -> bool:
    return _match(header_key(header), FREE_TEXT, (), _ascii_words(header))


def is_summary(cell: str) -> bool:
    h = header_key(cell)
    return bool(h) and (h in SUMMARY_WORDS or h.startswith(("※", "注", "合計", "計")))


def is_personal_header(header: str) -> bool:
    """A header of a register of persons (氏名, 生年月日, 会員番号); counts are not (会員数)."""
    h = _key(header)
    if not h or h.endswith(("数", "率", "割合")):
        return False
    return header_entity(h) in ("PERSON", "DATE_OF_BIRTH", "MY_NUMBER", "PERSONAL_ID") or any(
        w in h for w in PERSONAL_HEADERS
    )


def is_vocabulary(text: str) -> bool:
    """Whether a text is one of the words above itself (a finding 「カナ」 inside 「氏名カナ」 is the
    header's word, not a person).

    >>> is_vocabulary("カナ"), is_vocabulary("氏名"), is_vocabulary("山田")
    (True, True, False)
    """
    h = _key(text)
    return bool(h) and h in _ALL_WORDS


def is_header_word(cell: str) -> bool:
    """Whether a cell reads as a column header (used to find header rows and forms)."""
    h = _key(cell)
    if not h or len(h) > 24:
        return False
    words = (
        KEEP_HEADERS
        + QI_HEADERS
        + FREE_TEXT
        + PUBLIC_SUBJECTS
        + PERSONAL_HEADERS
        + OTHER_HEADERS
        + OWNER_ROLES
        + SUMMARY_WORDS
    )
    if h in words or h.rstrip(".") in words:
        return True
    if header_entity(h) is not None or owner_role(h) is not None:
        return True
    return any(len(w) >= 2 and (h.startswith(w) or h.endswith(w)) for w in words)


_ALL_WORDS = frozenset(
    [w for _, parts, exact in PII_HEADERS for w in parts + exact]
    + list(OWNER_ROLES)
    + list(KEEP_HEADERS + QI_HEADERS + FREE_TEXT + PUBLIC_SUBJECTS + PERSONAL_HEADERS + OTHER_HEADERS)
)
