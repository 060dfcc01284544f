"""Organisations, as opposed to persons: 法人格, public bodies, trade names.

An owner column of a facility list (開設者, 代表者, ...) holds a person's name or an organisation's;
only the person is personal data. A name that sits inside an organisation's name
(株式会社木村工務店, 茜部本郷コミュニティセンター) is part of that name, not a person.

>>> is_organisation("株式会社ササキ"), is_organisation("（有）ヤマダ理容"), is_organisation("岐阜市")
(True, True, True)
>>> is_organisation("山田 花子"), is_organisation("")
(False, False)
>>> inside_organisation("株式会社木村工務店", 4, 6), inside_organisation("木村 一郎", 0, 2)
(True, False)
>>> inside_organisation("株式会社ササキ", 0, 7), inside_organisation("医療法人社団恵愛会", 6, 8)
(True, True)
>>> inside_organisation("則武環境を守る会", 0, 2), inside_organisation("山田太郎会長", 0, 4)
(True, False)
>>> inside_organisation("伊藤病院前バス停", 0, 5), inside_organisation("長森コミュニティバス", 0, 2)
(True, True)
>>> [inside_organisation(t, 0, 2) for t in ("加納5丁目 バス停", "鏡島地内の街路樹", "小修-001", "山田 5人",
...                                          "山本 058-296-5298")]
[True, True, True, False, False]
>>> inside_organisation("岩崎1丁目10番14号パレス岩崎", 14, 16)
True
>>> inside_organisation("茜部本郷コミュニティセンター", 0, 4), inside_organisation("山田様方", 0, 2)
(True, False)
"""

from __future__ import annotations

import re
import unicodedata

# 法人格 and their abbreviations, public bodies, associations.
LEGAL_FORMS = (
    "株式会社",
    "有限会社",
    "合同会社",
    "合資会社",
    "合名会社",
    "(株)",
    "(有)",
    "(合)",
    "(同)",
    "医療法人",
    "社会福祉法人",
    "社団法人",
    "財団法人",
    "社団",
    "財団",
    "一般社団",
    "公益社団",
    "一般財団",
    "公益財団",
    "特定非営利活動法人",
    "npo法人",
    "学校法人",
    "宗教法人",
    "独立行政法人",
    "協同組合",
    "農業協同組合",
    "生活協同組合",
    "組合",
    "協会",
    "連合会",
    "商工会",
    "振興会",
    "法人",
    "inc.",
    "co.,ltd",
    "ltd.",
    "llc",
    "corporation",
    "company",
)
PUBLIC_BODIES = (
    "岐阜市",
    "岐阜県",
    "市役所",
    "県庁",
    "役場",
    "市長",
    "教育委員会",
    "消防本部",
    "警察署",
    "国土交通省",
    "厚生労働省",
    "省",
    "庁",
)
# Words that end the name of a business, a facility or a group: a surname before them is part
# of that name (木村工務店, 佐藤病院, 長良自治会).
NAME_SUFFIXES = (
    "工務店",
    "商店",
    "商会",
    "工業",
    "建設",
    "興業",
    "産業",
    "物産",
    "製作所",
    "事務所",
    "薬局",
    "病院",
    "医院",
    "歯科",
    "クリニック",
    "診療所",
    "整骨院",
    "接骨院",
    "治療院",
    "理容",
    "美容",
    "理髪",
    "サロン",
    "商事",
    "看板",
    "電気",
    "設備",
    "運輸",
    "不動産",
    "自治会",
    "町内会",
    "子ども会",
    "老人クラブ",
    "保存会",
    "後援会",
    "協議会",
    "委員会",
    "センター",
    "会館",
    "公民館",
    "公園",
    "神社",
    "寺",
    "学校",
    "小学校",
    "中学校",
    "高校",
    "幼稚園",
    "保育園",
    "保育所",
    "こども園",
    "図書館",
    "体育館",
    "株式会社",
    "有限会社",
    "合同会社",
    "店",
    "屋",
    "堂",
    "園",
    "館",
    "荘",
    "苑",
    "庵",
    "亭",
    "酒造",
    "本舗",
    "農園",
    "牧場",
    "旅館",
    "ホテル",
    "ハイツ",
    "マンション",
    "アパート",
    "コーポ",
    "ビル",
    "駅",
    "バス",
    "温泉",
    "造園",
    "こども食堂",
    "食堂",
    "クラブ",
    "橋",
    "川",
    "山",
    "町",
    "通り",
    "線",
    "地区",
    "校区",
    "団地",
    "グループ",
    "ファーム",
    "組",
)
_NOT_ORG_SUFFIX = ("様方", "方", "宅", "様", "さん", "氏")
# A place (加納5丁目, 鏡島地内, 茜部本郷1314番地先) or a code (小修-001), not a person.
_PLACE_OR_CODE_AFTER = re.compile(
    r"(?: ?[1-9一二三四五六七八九十][0-9一二三四五六七八九十]* ?(?:丁目|番地|番|号|-[1-9]|の[1-9])|地内|地先|番地先|"
    r"付近|周辺|一帯|地区|方面|沿い|-[0-9A-Za-z])"
)
_PLACE_BEFORE = re.compile(r"(?:バス停|駅|停留所|交差点|通り|公園|橋)[「『]?$")
# A katakana word glued before it: a building's or a shop's name (パレス岩崎, サンハイツ柳津).
_KATAKANA_BEFORE = re.compile(r"[ァ-ヴー]{3,}$")
_LONG_SUFFIXES = tuple(w for w in NAME_SUFFIXES if len(w) >= 2)
GROUP_ENDINGS = (
    "会",
    "クラブ",
    "隊",
    "団",
    "食堂",
    "サークル",
    "教室",
    "同好会",
    "保存会",
    "連合会",
    "協議会",
    "委員会",
    "センター",
    "広場",
    "まつり",
    "祭り",
    "大会",
)
_GROUP_NAME = re.compile(
    r"[^\s、，,。()（）:：]{0,12}?(?:" + "|".join(GROUP_ENDINGS) + r")(?=$|[\s、，,。()（）])"
)
_LEGAL_BEFORE = re.compile(
    "(?:"
    + "|".join(
        re.escape(w) for w in LEGAL_FORMS if w.isascii() is False and not w.startswith(("組合", "協会"))
    )
    + r"|[(（][株有][)）]|㈱|㈲)[一-龥々ァ-ヴーぁ-ん]{0,4}$"
)
_KATAKANA_THEN_SUFFIX = re.compile(
    "[ァ-ヴー]{1,12}(?:" + "|".join(re.escape(s) for s in NAME_SUFFIXES if len(s) >= 2) + ")"
)


def _norm(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").casefold().replace(" ", "")


def is_organisation(text: str) -> bool:
    """Whether a value names an organisation (法人格, public body, trade name with a suffix)."""
    t = _norm(text)
    if not t:
        return False
    if any(w in t for w in LEGAL_FORMS) or any(w in t for w in PUBLIC_BODIES):
        return True
    return t.endswith(tuple(s for s in NAME_SUFFIXES if len(s) >= 2) + GROUP_ENDINGS)


def is_business(text: str) -> bool:
    """An organisation whose phone is a business line: a legal person, a public body or a trade
    name (株式会社…, 岐阜市…, …工務店); not an informal group (…の会, …教室), whose contact is
    usually a member's own phone.

    >>> is_business("株式会社ササキ"), is_business("鷺山フラダンス教室"), is_business("ひだまり造園")
    (True, False, True)
    """
    t = _norm(text)
    if not t:
        return False
    if any(w in t for w in LEGAL_FORMS) or any(w in t for w in PUBLIC_BODIES):
        return True
    return t.endswith(tuple(s for s in NAME_SUFFIXES if len(s) >= 2 and s not in GROUP_ENDINGS))


def inside_organisation(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` (a name found by the analyzer) is part of an organisation's
    or a place's name: a legal form right before it, or a name suffix right after it."""
    span = _norm(text[start:end])
    if is_organisation(span) or any(w in span[1:] for w in _LONG_SUFFIXES):
        return True  # a company's or a place's name (伊藤病院前), not a person
    if span.endswith("地") and text[end : end + 1] in ("内", "先"):
        return True  # 鏡島地|内
    if _PLACE_BEFORE.search(text[max(0, start - 6) : start]):
        return True  # バス停「茜部本郷」
    after = _norm(text[end : end + 12])
    if after.startswith(_NOT_ORG_SUFFIX):
        return False
    if _KATAKANA_BEFORE.search(text[max(0, start - 12) : start]) and end - start <= 3:
        return True
    # A legal form before it, with nothing but name characters in between (医療法人社団恵愛会).
    if _LEGAL_BEFORE.search(text[max(0, start - 14) : start]):
        return True
    if after.startswith(NAME_SUFFIXES) or _PLACE_OR_CODE_AFTER.match(after):
        return True
    # The name of a group that ends the phrase (則武環境を守る会, 鏡島こども食堂).
    if _GROUP_NAME.match(after):
        return True
    # A katakana word between the name and a longer suffix (茜部本郷コミュニティセンター).
    return bool(_KATAKANA_THEN_SUFFIX.match(after))
