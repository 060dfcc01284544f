"""Table layouts recognised from their headers: 自治体標準オープンデータセット and facility lists.

The standard datasets (推奨データセット) are public by definition: a facility's name, address,
phone number, coordinates and 法人番号 are the data, not personal information. Two header
generations exist: the old one starts ``都道府県コード又は市区町村コード, NO, 都道府県名, ...``,
the current one ``全国地方公共団体コード, ID, 地方公共団体名, ...``.

>>> detect(["全国地方公共団体コード", "ID", "地方公共団体名", "名称", "住所", "緯度", "経度", "設置位置"]).name
'自治体標準ODS:AED'
>>> detect(["都道府県コード又は市区町村コード", "NO", "都道府県名", "市区町村名", "名称"]).name
'自治体標準ODS'
>>> detect(["氏名", "住所", "電話番号"]).name
'generic'
"""

from __future__ import annotations

from dataclasses import dataclass

from ckanext.jatext.headers import header_key

from . import vocabulary

OLD_MARKERS = ("都道府県コード又は市区町村コード", "no")
NEW_MARKERS = ("全国地方公共団体コード", "id", "地方公共団体名")

# Dataset kind → headers only that kind has (any one suffices); first match wins.
KINDS = [
    ("AED", ("設置位置", "小児対応設備の有無", "パッド")),
    ("指定緊急避難場所", ("指定緊急避難場所", "洪水", "崖崩れ、土石流及び地滑り", "想定収容人数")),
    ("公衆無線LAN", ("ssid", "設置箇所")),
    ("公衆トイレ", ("男性トイレ総数", "女性トイレ総数", "多機能トイレ数")),
    ("医療機関", ("診療科目", "病床数", "医療機関の種類")),
    ("介護サービス事業所", ("介護サービス", "事業所番号", "サービス種類")),
    ("子育て施設", ("受入年齢", "定員", "一時預かり")),
    ("文化財", ("文化財分類", "文化財名称", "種類")),
    ("観光施設", ("観光施設", "観光")),
    ("イベント", ("イベント名", "開始日", "終了日")),
    ("公共施設", ("poiコード", "施設分類", "開館時間", "駐車場情報")),
]

# Columns whose cells are free text even in public tables: checked for personal data.
FREE_TEXT = vocabulary.FREE_TEXT


# Header text for matching: the text core's header key (the opt-out matcher uses the same).
normalize = header_key


@dataclass(frozen=True)
class Layout:
    name: str  # "自治体標準ODS:AED", "自治体標準ODS", "施設一覧" or "generic"
    public: bool  # a public facility/standard table: contact columns are data
    reason: str

    def is_free_text(self, header: str) -> bool:
        h = normalize(header)
        return any(word in h for word in FREE_TEXT)


GENERIC = Layout("generic", False, "標準レイアウトではありません / not a standard layout")


def detect(header: list[str]) -> Layout:
    h = [normalize(x) for x in header]
    joined = "|".join(h)
    standard = all(m in h for m in NEW_MARKERS) or (OLD_MARKERS[0] in h and OLD_MARKERS[1] in h)
    if standard:
        kind = next((name for name, marks in KINDS if any(m in joined for m in marks)), None)
        return Layout(
            f"自治体標準ODS:{kind}" if kind else "自治体標準ODS",
            True,
            "自治体標準オープンデータセットの見出し / standard open-dataset header",
        )
    has_subject = any(any(m == x or x.endswith(m) for x in h) for m in vocabulary.PUBLIC_SUBJECTS)
    # Owner columns (開設者氏名, 代表者住所) belong to the facility's record: they do not make the
    # list a register of persons (their cells are personal unless the owner is an organisation).
    has_personal = any(
        vocabulary.is_personal_header(x)
        for x in h
        if not vocabulary.owner_role(x)
        and not any(x == m or x.endswith(m) for m in vocabulary.PUBLIC_SUBJECTS)
    )
    if has_subject and not has_personal:
        return Layout(
            "施設一覧",
            True,
            "施設・行事・団体の一覧で個人の列がない / a list of facilities, events or groups "
            "without personal columns",
        )
    return GENERIC
