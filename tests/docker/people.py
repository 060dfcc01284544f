"""Synthetic registers of people for the live Docker tests: CSV exports as a city office makes
them (Shift_JIS / CP932, CRLF), big enough that the portal hands them to a background worker
(more than ckanext.anonymize.sync_max_bytes, 1 MiB). Every person is made up."""

from __future__ import annotations

import csv
import io

FAMILY = [
    ("長良", "ナガラ"),
    ("金華", "キンカ"),
    ("柳瀬", "ヤナセ"),
    ("加納", "カノウ"),
    ("則武", "ノリタケ"),
    ("鏡島", "カガシマ"),
    ("早田", "ソウデン"),
    ("本荘", "ホンジョウ"),
    ("日野", "ヒノ"),
    ("芥見", "アクタミ"),
    ("岩野田", "イワノダ"),
    ("三輪", "ミワ"),
    ("黒野", "クロノ"),
    ("網代", "アジロ"),
    ("島田", "シマダ"),
    ("茜部", "アカナベ"),
    ("鶉", "ウズラ"),
    ("市橋", "イチハシ"),
    ("七郷", "ナナサト"),
    ("合渡", "ゴウド"),
]
GIVEN = [
    ("花子", "ハナコ"),
    ("太郎", "タロウ"),
    ("美咲", "ミサキ"),
    ("健一", "ケンイチ"),
    ("陽菜", "ヒナ"),
    ("大輔", "ダイスケ"),
    ("結衣", "ユイ"),
    ("翔太", "ショウタ"),
    ("真由美", "マユミ"),
    ("浩二", "コウジ"),
    ("千尋", "チヒロ"),
    ("直樹", "ナオキ"),
    ("彩", "アヤ"),
    ("誠", "マコト"),
    ("葵", "アオイ"),
]
TOWNS = [
    "司町",
    "神田町",
    "長良福光",
    "加納本町",
    "柳津町本郷",
    "鏡島中",
    "早田東町",
    "日野南",
    "芥見大般若",
    "茜部本郷",
]
AWARDS = ["市民文化賞", "市民スポーツ賞", "地域福祉功労賞", "環境保全功労賞", "防災功労賞"]
NOTES = [
    "長年にわたり地域の子ども会の運営に尽力し、青少年の健全育成に大きく貢献した。",
    "河川清掃活動を二十年以上続け、長良川の美しい景観を守る活動の中心となった。",
    "自主防災組織の訓練を毎年企画し、地域の防災力の向上に貢献した。",
    "高齢者の見守り活動を立ち上げ、地域福祉の充実に長く携わった。",
    "伝統芸能の継承に努め、後進の指導と発表の場づくりに力を尽くした。",
]
HEADER = ["氏名", "フリガナ", "生年月日", "住所", "電話番号", "受賞名", "功績"]
# Row 0 is the only person of this family name: an opt-out for them removes exactly one row.
FIRST = ("鵜飼 千代", "ウカイ チヨ", "1958-07-14")


def register(rows: int, seed: int = 0) -> list[list[str]]:
    people = []
    for i in range(rows):
        if i == 0:
            name, kana, born = FIRST
        else:
            (family, family_kana), (given, given_kana) = (
                FAMILY[(i + seed) % len(FAMILY)],
                GIVEN[(i // 7 + seed) % len(GIVEN)],
            )
            name, kana = f"{family} {given}", f"{family_kana} {given_kana}"
            born = f"{1940 + (i * 7 + seed) % 60}-{1 + i % 12:02d}-{1 + (i * 3) % 28:02d}"
        address = f"岐阜市{TOWNS[i % len(TOWNS)]}{1 + i % 9}丁目{1 + (i * 13) % 40}番{1 + i % 20}号"
        phone = f"058-{200 + (i * 37 + seed) % 700:03d}-{(i * 7919 + seed) % 10000:04d}"
        people.append([name, kana, born, address, phone, AWARDS[i % len(AWARDS)], NOTES[i % len(NOTES)]])
    return people


def cp932_csv(people: list[list[str]]) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(people)
    return out.getvalue().encode("cp932")


def rows_of(body: bytes) -> list[list[str]]:
    """Rows of a published CSV (the portal publishes UTF-8, with or without a BOM)."""
    text = body.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text)))
