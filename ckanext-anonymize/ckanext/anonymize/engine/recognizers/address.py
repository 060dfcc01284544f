"""Japanese addresses (住所): 都道府県, 市区町村, 町名, then 丁目/番地/号 or 1-2-3 numbers.

Rules, not NER: GiNZA reads an isolated 「岐阜市長良福光1234」 as a person. The part that
identifies a home (town and block numbers, a building and room) is what must go.

>>> import re; m = re.search(ADDRESS_REGEX, "住所は岐阜県岐阜市長良福光1234番地の3です")
>>> m.group()
'岐阜県岐阜市長良福光1234番地の3'
>>> re.search(ADDRESS_REGEX, "東京都港区芝公園4-2-8 メゾン芝302号室").group()
'東京都港区芝公園4-2-8 メゾン芝302号室'
>>> re.search(ADDRESS_REGEX, "岐阜市役所本庁舎1階で受付") is None
True
"""

from __future__ import annotations

from presidio_analyzer import Pattern

from .base import JaPatternRecognizer

PREFECTURES = (
    "北海道|青森県|岩手県|宮城県|秋田県|山形県|福島県|茨城県|栃木県|群馬県|埼玉県|千葉県|東京都|"
    "神奈川県|新潟県|富山県|石川県|福井県|山梨県|長野県|岐阜県|静岡県|愛知県|三重県|滋賀県|京都府|"
    "大阪府|兵庫県|奈良県|和歌山県|鳥取県|島根県|岡山県|広島県|山口県|徳島県|香川県|愛媛県|高知県|"
    "福岡県|佐賀県|長崎県|熊本県|大分県|宮崎県|鹿児島県|沖縄県"
)
_KANJI = r"[一-龥々〆ヵヶ]"
_NAME = r"[一-龥々〆ヵヶぁ-んァ-ヴー]"
# Kanji names (with the ケ/ノ of 袖ケ浦, 一ノ宮) and the few written in kana.
_MUNICIPALITY = (
    r"(?:[一-龥々〆ヵヶケノ]{1,6}?|さいたま|つくば|いわき|ひたちなか|かすみがうら|"
    r"みどり|あきる野|うきは|えびの|かほく|みやま|たつの|いなべ|むつ|つがる|あわら|"
    r"南あわじ|いちき串木野|みよし|ときがわ|みなかみ)(?:市|区|町|村|郡)"
)
_KANJI_NUM = r"[一二三四五六七八九十]+"
_SEP = r" ?(?:丁目|番地?|号|の|-)+ ?"
_BLOCK = (
    r"(?:"
    + _KANJI_NUM
    + r"丁目 ?)?[0-9]+(?:"
    + _SEP
    + r"[0-9]+){0,3}(?:丁目|番地?|号)?"
    + r"|"
    + _KANJI_NUM
    + r"丁目(?: ?"
    + _KANJI_NUM
    + r"番(?:地)?(?: ?"
    + _KANJI_NUM
    + r"号)?)?"
)
# A number followed by a counter is a floor, a count or a time, not a block (「市役所本庁舎1階」).
_NOT_COUNTER = r"(?![0-9]|階|F|人|名|件|回|時|分|秒|日|年|月|歳|円|%|校|台|か所|箇所|部|棟|期|種|点|割)"
_BUILDING = r"(?:[ ]?[ァ-ヴー一-龥ぁ-んA-Za-z・]{2,15}[ ]?[0-9]{1,4}(?:号室|号|F|階)?)?"
ADDRESS_REGEX = (
    r"(?:"
    + PREFECTURES
    + r")?(?:"
    + _MUNICIPALITY
    + r"){1,3}"
    + _NAME
    + r"{0,10}?"
    + r"(?:"
    + _BLOCK
    + r")"
    + _NOT_COUNTER
    + _BUILDING
    + r"(?![0-9])"
)
TOWN_BLOCK_REGEX = r"(?<!" + _NAME + r")" + _KANJI + r"{2,8}" + r"[0-9]+(?:-[0-9]+){1,2}" + r"(?![0-9\-])"


# A town and its block without the city (早田1540番地3, 黒野7丁目10-14, 岩崎1623 コーポ岩崎 101号室):
# a home address only where a person or a home is mentioned right before it.
TOWN_ADDRESS_REGEX = (
    r"(?<![一-龥々ヶ])[一-龥々ヶ]{1,6}(?:[0-9]+丁目)?[0-9]+(?:(?:番地?|号|-|の)[0-9]+){0,3}"
    r"(?:番地?|号)?" + _NOT_COUNTER + _BUILDING + r"(?![0-9])"
)


# A named apartment building with a room number (コーポ長良 302号室): a home, wherever it stands.
BUILDING_ROOM_REGEX = (
    r"(?:[一-龥ァ-ヴーA-Za-z]{0,10}(?:ハイツ|コーポ|メゾン|マンション|アパート|レジデンス|パレス|"
    r"シャトー|グランドール|荘|寮)[一-龥ァ-ヴーA-Za-z]{0,8}[ 　]?[0-9]{1,4}(?:号室|号)?"
    r"|[一-龥ァ-ヴーA-Za-z]{1,10}(?:ヴィラ|コート|ハウス|団地)[一-龥ァ-ヴーA-Za-z]{0,8}[ 　]?[0-9]{1,4}号室)"
    r"(?![0-9\-－])"
)


class AddressRecognizer(JaPatternRecognizer):
    ENTITY = "JP_ADDRESS"
    PATTERNS = [
        Pattern("jp_address", ADDRESS_REGEX, 0.6),
        Pattern("jp_town_block", TOWN_BLOCK_REGEX, 0.3),
        Pattern("jp_town_address", TOWN_ADDRESS_REGEX, 0.2),
        Pattern("jp_building_room", BUILDING_ROOM_REGEX, 0.55),
    ]
    CONTEXT = [
        "住所",
        "所在地",
        "住まい",
        "自宅",
        "居住",
        "転居",
        "address",
        "さん（",
        "様（",
        "宅（",
        "氏（",
        "さん(",
        "様(",
        "宅(",
        "氏(",
        "在住",
        "方（",
        "方(",
    ]
