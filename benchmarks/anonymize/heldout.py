"""A SECOND, BLIND held-out corpus: files as Gifu City's offices and residents' groups produce
them, written without looking at the engine (only its public API) and frozen before the engine
was ever run on it. Fictitious people only (Faker ja_JP through ``irregular.Gen``, seeded).

It reuses the machinery of ``irregular.py`` (imported, not copied): the cell specs ``P`` / ``S`` /
``M`` / ``XSheet`` / ``XDate`` / ``JObj``, ``Doc`` (writing and ground truth by locator), the
neutral reader ``read_grid``, leak matching, ``score`` and ``format_table``, and the ``Gen``
generator of people. See irregular.py's docstring for the grid, the locators and the leak rule
(a personal value leaks when one of its keys survives in its output cell; a must-stay cell is
altered when its output text differs in any way).

Layouts (12, each seeded on its own):

- ``juki_export``: a 住民基本台帳-like export (CP932): a CSV with 宛名番号/世帯番号, names and
  half-width kana padded with trailing spaces, 7-digit era-coded birth dates (``3551201``),
  続柄 codes; and a fixed-width TXT of the same kind (one record a line, fields separated by one
  space, header and trailer records).
- ``kaigo_shogai``: 介護保険 care-manager list (XLSX: 被保険者番号 as text, birth dates as Excel
  dates with an era format, 事業所 names/numbers/phones that must stay) and a 障害福祉 受給者 list
  (CSV, UTF-8 BOM) with 相談支援専門員 and mixed 緊急連絡先 (a relative's name and phone, or a
  group home's public number).
- ``school_roster``: a nursery 園児名簿 (XLSX, one sheet per class, hiragana child names, 入園日
  dates that must stay next to birth dates, 緊急連絡先 "父携帯 …" / "母勤務先 …") and a
  primary-school 連絡網 (CP932 CSV: hiragana child names, "→ 2番 さとう さん").
- ``jichikai``: a 自治会 班名簿 (CSV: 住所 as 町+番地 only or 番地 only, 号室 column, local
  phone numbers without area code) and a 回覧板 確認表 (XLSX: surnames only, rooms, officers).
- ``minutes_txt``: 自治会 役員会 議事録 (UTF-8 and CP932 TXT): speakers 「○山田会長：…」,
  attendee lists of surnames, phone numbers in kanji digits, e-mails and birth dates in prose,
  public office contacts with 内線.
- ``complaints_txt``: 苦情・要望 受付記録 (EUC-JP TXT): labelled blocks (申出人, 連絡先,
  生年月日, 内容, 対応), anonymous callers described only by an era birth year.
- ``hinan_xlsx``: 避難行動要支援者名簿 (XLSX: a 集計 sheet of counts, a 名簿 sheet with
  name + phone in one cell separated by a line break, a HIDDEN birth-date column holding Excel
  serial numbers, a hidden 宛名番号 column, home phones stored as numbers without the leading
  zero, a 記入要領 sheet) and a 敬老会 対象者名簿 (XLSX: mixed date types in one column, and a
  hidden 作業用 sheet).
- ``webform_json``: web-form exports (JSON, English keys): nested ``applicant`` objects with
  ``name.family``/``name.given``, ``+81`` phones, arrays of family members, free-text answers;
  and a top-level array of 子育て相談 records.
- ``reservation_tsv``: 施設予約 TSV exports: romaji user names (``YAMADA Taro``), ``+81`` phones,
  member numbers, public facility/room/date/time/fee columns that must stay.
- ``operators_list``: a public 指定管理者 list (companies only: every cell must stay) and a
  小規模修繕 登録業者 list mixing 法人 (must stay) and 個人事業主 (personal name, home address
  and phone; a 屋号 without a surname must stay).
- ``notice_header5``: CSVs whose header is on row 5 after a 注意書き block (one cell with line
  breaks), a 「以下余白」 line and a signature block; 設置場所 such as ``長良福光2563番地先``
  (a public location, not a home) must stay.
- ``cp932_legacy``: CP932 exports of an older system: half-width kana headers (ｼﾒｲ, ｾｲﾈﾝｶﾞｯﾋﾟ),
  ①② headers and remarks, ㈱/㈲ company names, variant kanji in surnames (髙橋, 山﨑, 德永,
  渡邊, 濵田: keys include the common form too), bank account numbers and half-width holders.

Ground-truth decisions (documented because a careful human could argue either way):

- PERSONAL: natural persons' names in any script (kanji, kana, half-width kana, hiragana,
  romaji, surname alone), home addresses (also just 町+番地, just 番地, or 号室), personal phones
  (home, mobile, a parent's workplace number given as an emergency contact), personal e-mails,
  full birth dates (any spelling, Excel serials, era codes), personal identifiers (宛名番号,
  世帯番号, 被保険者番号, 受給者証番号, 会員番号, bank account numbers).
- MUST STAY: headers, titles, notices, company / corporation / facility names (also when they
  contain a surname: 有限会社鈴木商店, 髙橋内科), office addresses and phones, 事業所番号, 指定期間,
  認定有効期間, reception / completion / event / 入園 dates, counts, fees, time slots, codes
  (続柄, 行政区), public locations (``…番地先``, ``…交差点付近``), public office contacts with 内線.
- NOT SCORED either way: quasi-identifiers (sex, age, postal code, city, 要介護度 and other
  categories), dates of moving (異動日), submission timestamps, application ids; an age hint such
  as 「昭和三十年生まれの男性」 (a birth YEAR is not a date of birth: neither leaked nor damaged);
  the name of a company's representative (代表取締役 …: public in the commercial register); the
  staff surname of a city office's signature block (担当：山田, customarily published); an
  apartment's building name alone (建物名 column) and the rooms of a 回覧板 確認表 that names no
  building (the room AND building of a 班名簿 household are its home address: personal).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from .corpus import TOWNS
from .irregular import (
    KD,
    Doc,
    Gen,
    JObj,
    M,
    P,
    Person,
    S,
    XDate,
    XSheet,
    _header,
    _n,
    date_text,
    dob_keys,
    format_table,
    half_kana,
    hiragana,
    run_engine,
    score,
    write_corpus,
)

SEED = 20270315
__all__ = ["LAYOUT_NAMES", "build", "evaluate", "format_table", "write_corpus"]

# ── small helpers ──────────────────────────────────────────────────────────────────────────

DISTRICTS = [
    "長良",
    "長良東",
    "長良西",
    "岩野田",
    "鷺山",
    "早田",
    "則武",
    "島",
    "本荘",
    "加納",
    "鏡島",
    "芥見",
    "日置江",
    "柳津",
]
CARE_WORDS = [
    "あおぞら",
    "ひだまり",
    "さくら",
    "なごみ",
    "ゆうゆう",
    "こもれび",
    "つばさ",
    "わかば",
    "せせらぎ",
    "やすらぎ",
]
SHELTERS = [
    "長良小学校 体育館",
    "長良東小学校 体育館",
    "長良中学校 武道場",
    "長良公民館",
    "岩野田小学校 体育館",
    "鷺山小学校 体育館",
    "早田小学校 体育館",
    "岐阜市立岐阜商業高等学校 体育館",
]
VARIANT_SURNAMES = [
    ("髙橋", "高橋", "タカハシ", "Takahashi"),
    ("山﨑", "山崎", "ヤマザキ", "Yamazaki"),
    ("宮﨑", "宮崎", "ミヤザキ", "Miyazaki"),
    ("髙木", "高木", "タカギ", "Takagi"),
    ("德永", "徳永", "トクナガ", "Tokunaga"),
    ("渡邊", "渡辺", "ワタナベ", "Watanabe"),
    ("渡邉", "渡辺", "ワタナベ", "Watanabe"),
    ("濵田", "浜田", "ハマダ", "Hamada"),
    ("柳澤", "柳沢", "ヤナギサワ", "Yanagisawa"),
    ("髙田", "高田", "タカダ", "Takada"),
]


def pad_fw(text: str, width: int) -> str:
    """Full-width padding of fixed-length text fields (trailing U+3000)."""
    return text + "　" * max(0, width - len(text))


def pad_hw(text: str, width: int) -> str:
    return text + " " * max(0, width - len(text))


def fullname(per: Person, sep: str = "　") -> str:
    return f"{per.last}{sep}{per.first}"


def name_p(per: Person, sep: str = "　", text: str | None = None, extra=()) -> P:
    full = fullname(per, sep)
    return P(text if text is not None else full, (full, per.last, per.first, *extra), "name")


def sur_p(per: Person) -> P:
    return P(per.last, (per.last,), "name")


def hira_p(per: Person, sep: str = " ", surname_only: bool = False) -> P:
    last, first = hiragana(per.last_kana), hiragana(per.first_kana)
    if surname_only:
        return P(last, (last,), "kana")
    return P(f"{last}{sep}{first}", (f"{last}{sep}{first}", last, first), "kana")


def hw_kana_p(per: Person, width: int = 0) -> P:
    last, first = half_kana(per.last_kana), half_kana(per.first_kana)
    core = f"{last} {first}"
    return P(pad_hw(core, width), (core, last, first), "kana")


def romaji_p(g: Gen, per: Person) -> P:
    last, first = per.last_romaji, per.first_romaji
    text = g.pick(
        [
            f"{last.upper()} {first}",
            f"{last.upper()} {first}",
            f"{first} {last}",
            f"{last.upper()} {first.upper()}",
            f"{last}, {first}",
        ]
    )
    return P(text, (text, last, first, last.upper(), first.upper()), "name")


def dob_p(per: Person, text: str) -> P:
    return P(text, (text, *dob_keys(per.dob)), "dob")


def id_p(text: str) -> P:
    digits = "".join(c for c in text if c.isdigit())
    return P(text, (text, digits) if digits and digits != text else (text,), "id")


def digits_id(g: Gen, n: int, prefix: str = "") -> str:
    return prefix + "".join(str(g.rnd.randint(0, 9)) for _ in range(n - len(prefix)))


def phone_parts(per: Person, which: str):
    d = per.mobile if which == "mobile" else per.home
    return d, ((d[:3], d[3:7], d[7:]) if which == "mobile" else (d[:3], d[3:6], d[6:]))


def intl_phone(g: Gen, per: Person, which: str = "mobile") -> P:
    d, (a, b, c) = phone_parts(per, which)
    n = a[1:]
    text = g.pick(
        [f"+81-{n}-{b}-{c}", f"+81 {n} {b} {c}", f"+81{n}{b}{c}", f"+81({n}){b}-{c}", f"+81-{n}{b}{c}"]
    )
    return P(text, (text, d, f"{a}-{b}-{c}", f"{n}-{b}-{c}", f"{b}-{c}"), "phone")


def kanji_digits(s: str) -> str:
    return "".join(KD[int(ch)] for ch in s)


def kanji_phone(g: Gen, per: Person, which: str = "mobile") -> P:
    d, (a, b, c) = phone_parts(per, which)
    sep = g.pick(["の", "ー", "、", "−" if g.euc else "－"])
    text = sep.join(kanji_digits(x) for x in (a, b, c))
    return P(text, (text, kanji_digits(b) + sep + kanji_digits(c), d, f"{a}-{b}-{c}"), "phone")


def int_phone(per: Person, which: str) -> P:
    """A phone number typed into Excel as a number: the leading zero is gone."""
    d, (a, b, c) = phone_parts(per, which)
    return P(d[1:], (d[1:], d, f"{a}-{b}-{c}"), "phone", int(d[1:]))


def serial(d: date) -> int:
    return (d - date(1899, 12, 30)).days


def town_block(g: Gen, per: Person, town: bool = True) -> P:
    """How 自治会 lists write addresses: 町 + dashed 番地 (or 番地 alone), no city."""
    if per.block[0] == "chome":
        _, a, b, c = per.block
        block = g.pick([f"{a}-{b}-{c}", f"{a}-{b}-{c}", f"{a}丁目{b}-{c}"])
    else:
        _, n, sub = per.block
        block = f"{n}-{sub}" if sub else f"{n}"
    text = (per.town if town else "") + block
    return P(text, (text,), "address")


def room_p(per: Person) -> P | None:
    if not per.building:
        return None
    room = per.building.split()[-1]
    return P(room, (room, room.replace("号室", "")), "address")


def variant_person(g: Gen, **kw) -> tuple[Person, tuple]:
    """A person whose surname is written with a variant kanji (髙, 﨑, 德, 邊, 濵, 澤)."""
    var, std, kana, rom = g.pick(VARIANT_SURNAMES)
    per = g.person(last=(var, kana, rom), **kw)
    return per, (f"{std}{per.first}", f"{std}　{per.first}", f"{std} {per.first}", std)


def care_office(g: Gen) -> tuple[str, str, str]:
    """(name, 事業所番号, phone) of a care / welfare provider: public."""
    w = g.pick(CARE_WORDS)
    name = g.pick(
        [
            f"ケアプランセンター{w}",
            f"{g.company()} 居宅介護支援事業所",
            f"{g.pick(TOWNS)}地域包括支援センター",
            f"デイサービスセンター{w}",
            f"{g.company()} 訪問介護ステーション{w}",
            f"相談支援事業所{w}",
            f"{g.company()} 就労支援センター{w}",
        ]
    )
    return name, digits_id(g, 10, "21701"), g.office_phone()


def public_day(g: Gen, start=date(2025, 4, 1), end=date(2025, 9, 30)) -> date:
    return g.day(start, end)


WEEK = "月火水木金土日"
# Surnames that are also place names of this corpus (岩崎, 加納, 早田 …): a leak key "岩崎" would
# match the town of a kept address in the same cell, so such people are not generated.
PLACE_WORDS = "".join(TOWNS + DISTRICTS + SHELTERS + CARE_WORDS) + "長良金華鷺山岐阜"


class HGen(Gen):
    """Gen whose people never carry a surname that is also a place of this corpus."""

    def person(self, sex=None, born=(1935, 2004), last=None, local=False) -> Person:
        while True:
            per = super().person(sex, born, last, local)
            if last is not None or per.last not in PLACE_WORDS:
                return per


@dataclass
class HDoc(Doc):
    """An XLSX Doc with hidden columns / sheets and wrapped cells (written on top of Doc)."""

    hidden_cols: dict = field(default_factory=dict)  # sheet index -> column letters
    hidden_sheets: tuple = ()

    def _write_xlsx(self, path: str) -> None:
        super()._write_xlsx(path)
        import openpyxl
        from openpyxl.styles import Alignment

        wb = openpyxl.load_workbook(path)
        for s, ws in enumerate(wb.worksheets):
            for col in self.hidden_cols.get(s, ()):
                ws.column_dimensions[col].hidden = True
            for row in ws.iter_rows():
                for cell in row:
                    if isinstance(cell.value, str) and "\n" in cell.value:
                        cell.alignment = Alignment(wrap_text=True, vertical="top")
            if s in self.hidden_sheets:
                ws.sheet_state = "hidden"
        wb.save(path)


# ── 1. 住民基本台帳-like export ──────────────────────────────────────────────────────────────

ZOKU = {
    "世帯主": "01",
    "妻": "02",
    "夫": "03",
    "長男": "11",
    "長女": "11",
    "次男": "11",
    "次女": "11",
    "母": "21",
    "父": "21",
    "孫": "31",
}
ZOKU_NAME = {"長男": "子", "長女": "子", "次男": "子", "次女": "子"}
IDO = [("A01", "転入"), ("A02", "出生"), ("B11", "転居"), ("C01", "職権記載"), ("A05", "国外からの転入")]


def _household(g: Gen, born=(1940, 1985)) -> list[tuple[Person, str]]:
    head = g.person(born=born, local=True)
    members = [(head, "世帯主")]
    if g.chance(0.7):
        members.append(
            (g.relative(head, "妻" if head.sex == "男" else "夫"), "妻" if head.sex == "男" else "夫")
        )
    for rel in g.rnd.sample(["長男", "長女", "次男", "次女"], g.rnd.randint(0, 2)):
        members.append((g.relative(head, rel), rel))
    if g.chance(0.15) and head.dob.year > 1955:
        members.append((g.relative(head, "母"), "母"))
    return members


def _juki_address(g: Gen, per: Person) -> P:
    core = per.town + g.block_text(per, "jp")
    text = "岐阜市" + per.town + g.fw(g.block_text(per, "jp"))
    return P(text, (text, core), "address")


def juki_export(g: Gen, scale: float) -> list[Doc]:
    docs = []
    # (a) CSV with a header, padded fields
    header = [
        "宛名番号",
        "世帯番号",
        "氏名",
        "氏名カナ",
        "性別",
        "生年月日",
        "続柄コード",
        "続柄",
        "郵便番号",
        "住所",
        "方書",
        "行政区コード",
        "行政区",
        "異動事由",
        "異動年月日",
    ]
    rows = [_header(header)]
    for _ in range(_n(7, scale)):
        hh = digits_id(g, 8, "00")
        dist_code, dist = g.rnd.randint(101, 150), g.pick(DISTRICTS)
        code, reason = g.pick(IDO)
        moved = date_text(public_day(g, date(2024, 4, 1), date(2025, 3, 31)), "code7")
        zipc = f"50{g.rnd.randint(0, 2)}-{g.rnd.randint(8000, 8999)}"
        for per, rel in _household(g):
            addr = _juki_address(g, per)
            name = fullname(per)
            rows.append(
                [
                    id_p(digits_id(g, 10, "000")),
                    id_p(hh),
                    P(pad_fw(name, 10), (name, per.last, per.first), "name"),
                    hw_kana_p(per, 24),
                    "1" if per.sex == "男" else "2",
                    dob_p(per, date_text(per.dob, "code7")),
                    S(ZOKU[rel]),
                    S(ZOKU_NAME.get(rel, rel)),
                    zipc,
                    P(pad_fw(addr.text, 20), addr.keys, "address"),
                    P(pad_fw(per.building, 12), (per.building,), "address") if per.building else "",
                    S(str(dist_code)),
                    S(dist),
                    S(reason),
                    moved,
                ]
            )
    docs.append(Doc("juki_export", "jumin_ido_R0704.csv", encoding="cp932", rows=rows))

    # (b) fixed-width TXT: H record, D records (fields separated by one space), T record
    run = date_text(date(2025, 4, 1), "code7")
    lines = [[S(f"H 212016 {pad_fw('岐阜市', 6)} {pad_fw('住民記録異動分', 10)} {run} 0001")]]
    count = 0
    for _ in range(_n(5, scale)):
        hh = digits_id(g, 8, "00")
        code, _reason = g.pick(IDO)
        moved = date_text(public_day(g, date(2025, 3, 1), date(2025, 3, 31)), "code7")
        for per, rel in _household(g):
            addr = _juki_address(g, per)
            name = fullname(per)
            kana = f"{half_kana(per.last_kana)} {half_kana(per.first_kana)}"
            parts = [
                "D ",
                id_p(digits_id(g, 10, "000")),
                " ",
                id_p(hh),
                " ",
                P(name, (name, per.last, per.first), "name"),
                "　" * (10 - len(name)),
                " ",
                P(kana, (kana, half_kana(per.last_kana), half_kana(per.first_kana)), "kana"),
                " " * (24 - len(kana)),
                " ",
                "1" if per.sex == "男" else "2",
                " ",
                dob_p(per, date_text(per.dob, "code7")),
                " ",
                ZOKU[rel],
                " ",
                addr,
                "　" * max(0, 20 - len(addr.text)),
                " ",
            ]
            if per.building:
                parts += [P(per.building, (per.building,), "address"), "　" * max(0, 12 - len(per.building))]
            else:
                parts += ["　" * 12]
            parts += [" ", moved, " ", code]
            lines.append([M(*parts)])
            count += 1
    lines.append([S(f"T {count:06d}")])
    docs.append(Doc("juki_export", "JUKI_IDO_20250401.txt", encoding="cp932", rows=lines))
    return docs


# ── 2. 介護保険 / 障害福祉 case lists ──────────────────────────────────────────────────────────

KAIGO_REMARKS = [
    "通所介護 週2回",
    "福祉用具貸与（車いす）",
    "住宅改修 申請中",
    "短期入所 月1回",
    "訪問看護 週1回",
    "区分変更申請予定",
    "特になし",
    "サービス担当者会議 令和7年7月予定",
]


def kaigo_shogai(g: Gen, scale: float) -> list[Doc]:
    docs = []
    offices = [care_office(g) for _ in range(6)]
    rows = [
        [S("令和7年6月1日現在　居宅介護支援 担当者一覧（長良地域包括支援センター）")],
        _header(
            [
                "No",
                "被保険者番号",
                "被保険者氏名",
                "フリガナ",
                "生年月日",
                "年齢",
                "要介護度",
                "認定有効期間",
                "居宅介護支援事業所",
                "事業所番号",
                "事業所電話",
                "ケアマネ担当者",
                "住所",
                "備考",
            ]
        ),
    ]
    managers = [g.person(born=(1960, 1995)) for _ in range(4)]
    for i in range(_n(14, scale)):
        per = g.person(born=(1925, 1955), local=True)
        office, number, tel = g.pick(offices)
        start = date(g.pick([2024, 2025]), g.rnd.randint(1, 12), 1)
        period = f"{date_text(start, 'initial')}～{date_text(date(start.year + 2, start.month, 1) - timedelta(days=1), 'initial')}"
        if g.chance(0.4):
            rel = g.relative(per, g.pick(["長男", "長女", "次女"]))
            remark = M(g.pick(["キーパーソン：", "主介護者 "]), name_p(rel, " "), "（", g.phone(rel), "）")
        else:
            remark = S(g.pick(KAIGO_REMARKS))
        rows.append(
            [
                S(i + 1),
                id_p(digits_id(g, 10, "00")),
                name_p(per, g.pick([" ", "　"])),
                g.kana(per, "kata", "　"),
                g.dob_cell(per, g.pick(["yyyy/m/d", '[$-ja-JP-x-gannen]ggge"年"m"月"d"日"'])),
                2025 - per.dob.year,
                g.pick(["要支援2", "要介護1", "要介護2", "要介護3", "要介護4"]),
                S(period),
                S(office),
                S(number),
                S(tel),
                name_p(g.pick(managers), " "),
                g.address(per, prefix="none", building=True),
                remark,
            ]
        )
    docs.append(
        Doc("kaigo_shogai", "kyotaku_tantousha_R070601.xlsx", sheets=[XSheet(S("担当一覧"), rows, ["A1:N1"])])
    )

    services = [
        ("生活介護", "22日/月"),
        ("就労継続支援B型", "23日/月"),
        ("放課後等デイサービス", "23日/月"),
        ("居宅介護", "30時間/月"),
        ("短期入所", "7日/月"),
        ("共同生活援助", "31日/月"),
    ]
    soudan = [g.person(born=(1965, 1995)) for _ in range(3)]
    rows = [
        _header(
            [
                "受給者証番号",
                "氏名",
                "氏名カナ",
                "生年月日",
                "障害支援区分",
                "サービス種類",
                "支給量",
                "利用事業所",
                "事業所電話",
                "相談支援専門員",
                "相談支援事業所",
                "支給決定期間",
                "保護者・緊急連絡先",
            ]
        )
    ]
    for _ in range(_n(14, scale)):
        per = g.person(born=(1955, 2016), local=True)
        service, amount = g.pick(services)
        office, _, tel = g.pick(offices)
        s_office = g.pick(offices)[0]
        start = date(2025, g.pick([4, 7, 10]), 1)
        r = g.rnd.random()
        if r < 0.5:
            label = "母" if per.dob.year > 1990 else g.pick(["長男", "長女"])
            rel = g.relative(per, label)
            contact = M(label + " ", name_p(rel, " "), " ", g.phone(rel, g.pick(["mobile", "home"])))
        elif r < 0.75:
            contact = S(f"グループホーム{g.pick(CARE_WORDS)}（{g.office_phone()}）")
        else:
            contact = S("")
        rows.append(
            [
                id_p(digits_id(g, 10, "21")),
                name_p(per, g.pick(["", " "])),
                g.kana(per),
                g.dob(per, g.pick(["initial", "era", "slash"])),
                f"区分{g.rnd.randint(1, 6)}",
                S(service),
                S(amount),
                S(office),
                S(tel),
                name_p(g.pick(soudan), " "),
                S(s_office),
                S(f"{start:%Y/%m/%d}～{date(start.year + 1, start.month, 1) - timedelta(days=1):%Y/%m/%d}"),
                contact,
            ]
        )
    docs.append(Doc("kaigo_shogai", "shogai_jukyusha_ichiran.csv", encoding="utf-8-sig", rows=rows))
    return docs


# ── 3. 保育園・小学校 名簿 ───────────────────────────────────────────────────────────────────


def school_roster(g: Gen, scale: float) -> list[Doc]:
    docs = []
    sheets = []
    for title, years in (
        ("ひよこ組(0歳児)", (2024, 2024)),
        ("りす組(1歳児)", (2023, 2023)),
        ("ぞう組(5歳児)", (2019, 2019)),
    ):
        rows = [
            [S(f"令和7年度　岐阜市立長良保育所　園児名簿　{title}")],
            _header(
                [
                    "番号",
                    "じどうめい",
                    "児童氏名",
                    "性別",
                    "生年月日",
                    "入園日",
                    "保護者氏名",
                    "住所",
                    "緊急連絡先1",
                    "緊急連絡先2",
                    "アレルギー",
                ]
            ),
        ]
        for i in range(_n(6, scale)):
            child = g.person(born=years, local=True)
            mother, father = g.relative(child, "母"), g.relative(child, "父")
            parent = g.pick([mother, father])
            enter = g.day(max(child.dob + timedelta(days=60), date(2024, 4, 1)), date(2025, 4, 1))
            c1 = (
                M("父携帯 ", g.phone(father, "mobile", "dash"))
                if g.chance(0.6)
                else M("母携帯 ", g.phone(mother, "mobile", "dash"))
            )
            work = g.office_phone()
            r = g.rnd.random()
            if r < 0.45:
                c2 = M("母勤務先 ", P(work, (work,), "phone"), f"（{g.company()}）")
            elif r < 0.75:
                gm = g.relative(mother, "母")
                c2 = M("祖母宅 ", g.phone(gm, "home", "dash"))
            else:
                c2 = M("父勤務先 ", P(work, (work,), "phone"))
            rows.append(
                [
                    S(i + 1),
                    hira_p(child),
                    name_p(child, g.pick([" ", "　"])),
                    child.sex,
                    g.dob_cell(child, "yyyy/m/d"),
                    S(XDate(datetime(enter.year, enter.month, enter.day))),
                    name_p(parent, " "),
                    g.address(child, prefix="city", building=True),
                    c1,
                    c2,
                    g.pick(["なし", "なし", "卵", "乳", "小麦"]),
                ]
            )
        sheets.append(XSheet(S(title), rows))
    docs.append(Doc("school_roster", "enji_meibo_R7.xlsx", sheets=sheets))

    rows = [
        [S("令和7年度 岐阜市立長良東小学校 3年2組 緊急連絡網（配布用・取扱注意）")],
        [S("学校 → 1番へ連絡します。学校代表 058-231-5512（職員室）")],
        _header(["順", "児童名", "保護者名", "電話番号", "連絡先の種類", "次へ回す先"]),
    ]
    kids = [g.person(born=(2016, 2016), local=True) for _ in range(_n(16, scale))]
    for i, kid in enumerate(kids):
        parent = g.relative(kid, g.pick(["母", "母", "父"]))
        which = g.pick(["mobile", "mobile", "home"])
        kind = ("母" if parent.sex == "女" else "父") + ("携帯" if which == "mobile" else "自宅")
        nxt = (
            M(f"→ {i + 2}番 ", hira_p(kids[i + 1], surname_only=True), " さん")
            if i + 1 < len(kids)
            else S("→ 学校へ戻す")
        )
        rows.append(
            [
                S(str(i + 1)),
                hira_p(kid, g.pick([" ", "　"])),
                name_p(parent, " "),
                g.phone(parent, which, g.pick(["dash", "dash", "plain", "fw"])),
                S(kind),
                nxt,
            ]
        )
    docs.append(Doc("school_roster", "renrakumou_3-2.csv", encoding="cp932", rows=rows))
    return docs


# ── 4. 自治会 班名簿 / 回覧板 ─────────────────────────────────────────────────────────────────

HAN_REMARKS = [
    "ゴミ当番（5月）",
    "ゴミ当番（9月）",
    "回覧板は郵便受けへ",
    "",
    "",
    "新規加入（令和7年4月）",
    "資源回収 協力世帯",
    "防災倉庫の鍵 保管",
]


def jichikai(g: Gen, scale: float) -> list[Doc]:
    docs = []
    town = g.pick(TOWNS)
    han = g.rnd.randint(1, 9)
    rows = [
        [S(f"令和7年度 {town}自治会 第{han}班 班員名簿（取扱注意・班内配布のみ）")],
        _header(["班", "役", "世帯主", "ふりがな", "住所", "建物名", "号室", "電話", "世帯人数", "備考"]),
    ]
    roles = ["班長", "副班長", "会計", "", "", "", "", ""]
    for i in range(_n(14, scale)):
        per = g.person(born=(1935, 1990), local=True)
        per.town = town
        rp = room_p(per)
        phone = g.phone(per, g.pick(["home", "home", "mobile"]), g.pick(["local", "dash", "dash", "fw"]))
        if g.chance(0.2):
            label = g.pick(["長男", "長女"])
            rel = g.relative(per, label)
            remark = M("日中不在・", label, "（", g.phone(rel, "mobile"), "）に連絡")
        else:
            remark = S(g.pick(HAN_REMARKS))
        rows.append(
            [
                S(f"{han}班"),
                S(roles[i] if i < len(roles) else ""),
                name_p(per, g.pick([" ", "　", ""])),
                hira_p(per, "　"),
                town_block(g, per, town=g.chance(0.7)),
                per.building.split()[0] if per.building else "",
                rp if rp else "",
                phone,
                g.rnd.randint(1, 5),
                remark,
            ]
        )
    rows.append([S("※世帯人数は4月1日現在。変更があれば班長までお知らせください。")])
    docs.append(Doc("jichikai", f"han{han}_meibo_R7.csv", encoding="utf-8-sig", rows=rows))

    # 回覧板 確認表 (XLSX): surnames only; an 役員 sheet
    town2 = g.pick(TOWNS)
    rows = [
        [S("回覧板 確認表")],
        [S(f"回覧文書：防災訓練のお知らせ（令和7年9月7日（日）午前9時 {town2}公民館集合）")],
        [S("見終わったら押印のうえ、速やかに次の方へ回してください。")],
        _header(["順番", "部屋", "氏名", "確認印", "回覧日"]),
    ]
    residents = [g.person(born=(1940, 1995), local=True) for _ in range(_n(16, scale))]
    for i, per in enumerate(residents):
        rows.append([S(i + 1), f"{g.rnd.randint(1, 5)}0{g.rnd.randint(1, 8)}号室", sur_p(per), "", ""])
    leader = g.person(born=(1950, 1980), local=True)
    rows.append([M("最後の方は班長 ", sur_p(leader), " 宅（", town_block(g, leader), "）へお戻しください。")])
    officers = [S("役職"), S("氏名"), S("電話")]
    sheet2 = [[S(f"{town2}自治会 令和7年度 役員名簿")], officers]
    for role in ["会長", "副会長", "会計", "書記", "防災部長", "環境部長", "監事"]:
        per = g.person(born=(1940, 1975), local=True)
        sheet2.append([S(role), name_p(per, " "), g.phone(per, g.pick(["home", "mobile"]))])
    sheet2.append([S("自治会連合会事務局：岐阜市 地域協働推進課 058-214-2154")])
    docs.append(
        Doc(
            "jichikai",
            "kairanban_kakunin.xlsx",
            sheets=[XSheet(S("確認表"), rows, ["A1:E1"]), XSheet(S("役員"), sheet2)],
        )
    )
    return docs


# ── 5. 議事録 (TXT) ─────────────────────────────────────────────────────────────────────────

OFFICE_SPEECH = [
    "○事務局（地域協働推進課）：補助金の申請期限は6月30日です。問い合わせは市役所 058-214-2154（内線3215）まで。",
    "○事務局（防災政策課）：防災訓練の資機材の貸出しは058-214-6135へ申し込んでください。",
    "○事務局（地域協働推進課）：自治会加入促進のチラシを各班に10部ずつ配付します。",
    "○事務局（ごみ減量・資源化推進課）：集積所の新設は申請書を7月末までに提出してください。",
]
PUBLIC_SPEECH = [
    "本日はお忙しいところありがとうございます。定刻になりましたので始めます。",
    "夏祭りのテント設営は7月26日（土）午前8時集合でお願いします。",
    "会費の集金は各班長にお願いします。未納は現在3世帯です。",
    "防犯灯の球切れは市に連絡済みです。",
    "資源回収の収益は42,300円でした。子ども会に全額寄付します。",
    "ごみ集積所のネットを2枚新調します。予算は8,000円以内とします。",
    "異議なしと認めます。",
    "防災訓練の参加者は昨年より12名多い58名でした。",
]


def _speech(g: Gen, people: list[Person]) -> list:
    """The body of one utterance: public text or a piece of personal information in prose."""
    kind = g.rnd.randrange(9)
    other = g.pick(people)
    if kind == 0:
        return ["急ぎの連絡は私の携帯、", kanji_phone(g, other), "までお願いします。"]
    if kind == 1:
        return ["写真データは ", g.email(other), " まで送ってください。"]
    if kind == 2:
        return [
            name_p(other, ""),
            "さん（",
            g.address(other, prefix="none", building=False),
            "）宅の前のごみ集積所が荒らされているとの相談がありました。",
        ]
    if kind == 3:
        return ["3班の", "昭和三十年生まれの男性", "が一人暮らしで心配なので、民生委員さんに相談します。"]
    if kind == 4:
        d = date_text(other.dob, g.pick(["era_kanji", "era", "era1"]))
        return [sur_p(other), "さん（", dob_p(other, d), "生まれ）が入院されたので、見守りは当面不要です。"]
    if kind == 5:
        return [
            "自宅の電話は",
            g.phone(other, "home", g.pick(["dash", "fw", "local"])),
            "です。留守電に入れてください。",
        ]
    return [g.pick(PUBLIC_SPEECH)]


def minutes_txt(g: Gen, scale: float) -> list[Doc]:
    docs = []
    for k, (enc, dash) in enumerate((("utf-8", "～"), ("cp932", "～"))):
        town = g.pick(TOWNS)
        roles = ["会長", "副会長", "会計", "書記", "防災部長", "1班班長", "2班班長"]
        officers = [(g.person(born=(1940, 1980), local=True), r) for r in roles]
        residents = [g.person(born=(1930, 1990), local=True) for _ in range(6)]
        day = public_day(g)
        rows = [
            [S(f"令和7年度 第{k + 2}回 {town}自治会 役員会 議事録")],
            [S(f"日時：令和7年{day.month}月{day.day}日（{WEEK[day.weekday()]}）午前10時00分{dash}11時30分")],
            [S(f"場所：{town}公民館 2階 第1会議室")],
        ]
        att = ["出席者："]
        for i, (per, role) in enumerate(officers[:-1]):
            att += [sur_p(per), role + ("、" if i < len(officers) - 2 else "")]
        att.append(f"（以上{len(officers) - 1}名）")
        rows.append([M(*att)])
        rows.append([M("欠席者：", sur_p(officers[-1][0]), f"（{officers[-1][1]}）")])
        rows.append([S("事務局：岐阜市 地域協働推進課（058-214-2154 内線3215）")])
        rows.append([S("議題")])
        rows.append([S("１．夏祭りの準備について")])
        n = _n(34, scale)
        for i in range(n):
            if i in (n // 3, 2 * n // 3):
                rows.append([S("２．防災訓練について" if i == n // 3 else "３．その他")])
            if g.chance(0.06):
                rows.append([S(g.pick(["（休憩）", "（資料2を配付）", "※この件は次回継続審議とする。"]))])
                continue
            if g.chance(0.08):
                rows.append([S(g.pick(OFFICE_SPEECH))])
                continue
            if g.chance(0.08):
                rows.append(
                    ["（ここで昭和三十年生まれの男性1名が傍聴のため入室）"]
                )  # an age hint: not scored
                continue
            per, role = g.pick(officers[:-1])
            body = _speech(g, residents + [p for p, _ in officers])
            rows.append([M("○", sur_p(per), f"{role}：", *body)])
        rows.append([S("以上で閉会とする。")])
        rows.append([S(f"次回：令和7年{day.month + 1}月{min(day.day, 28)}日 午前10時 {town}公民館")])
        rows.append([M("記録：", name_p(officers[3][0], " "), "（書記）")])
        docs.append(
            Doc(
                "minutes_txt",
                f"yakuinkai_gijiroku_{k + 1}.txt",
                encoding=enc,
                newline=g.pick(["\r\n", "\n"]),
                rows=rows,
            )
        )
    return docs


# ── 6. 苦情・要望 受付記録 (EUC-JP TXT) ───────────────────────────────────────────────────────

COMPLAINT_TOPICS = [
    ("側溝の蓋のがたつき", "道路維持課", "現地確認のうえ蓋を交換した。"),
    ("街路樹の落ち葉", "公園整備課", "清掃業者に依頼済み。"),
    ("ごみ集積所のカラス被害", "ごみ減量・資源化推進課", "防鳥ネットを貸与した。"),
    ("公園遊具の破損", "公園整備課", "使用禁止の表示をし、修繕を手配した。"),
    ("騒音（深夜の工事）", "環境保全課", "事業者に指導した。"),
    ("空き家の雑草", "住宅課", "所有者に適正管理を文書で依頼した。"),
    ("カーブミラーの向き", "道路維持課", "調整済み。"),
]


def complaints_txt(g: Gen, scale: float) -> list[Doc]:
    g.euc = True
    rows = [[S("苦情・要望 受付記録簿（令和7年度）　岐阜市 市民相談課")]]
    for i in range(_n(24, scale)):
        topic, section, answer = g.pick(COMPLAINT_TOPICS)
        day = public_day(g)
        rows.append([S("━━━━━━━━━━━━━━━━━━━━")])
        rows.append(
            [
                S(
                    f"受付番号：R7-{100 + i * 7:04d}　受付日：令和7年{day.month}月{day.day}日（{WEEK[day.weekday()]}）"
                    f"{g.rnd.randint(9, 16)}時{g.pick(['00', '15', '20', '40'])}分"
                )
            ]
        )
        rows.append(
            [
                S(
                    f"受付方法：{g.pick(['電話', '来庁', 'メール', '市長への手紙'])}　受付者：{section}（内線{g.rnd.randint(3000, 3999)}）"
                )
            ]
        )
        per = g.person(born=(1935, 1995))
        if g.chance(0.2):
            rows.append(["申出人：匿名希望（昭和三十年代生まれの男性とのこと）"])
        else:
            rows.append(
                [
                    M(
                        "申出人：",
                        name_p(per, g.pick([" ", "　", ""])),
                        " 様（",
                        g.address(per, prefix=g.pick(["city", "none"]), building=True),
                        "）",
                    )
                ]
            )
            r = g.rnd.random()
            if r < 0.35:
                rows.append([M("連絡先：自宅 ", g.phone(per, "home"), "／携帯 ", g.phone(per, "mobile"))])
            elif r < 0.55:
                rows.append([M("連絡先：", kanji_phone(g, per, "mobile"), "（本人申告のまま）")])
            elif r < 0.8:
                rows.append([M("連絡先：", g.phone(per, "mobile"))])
            else:
                rows.append([M("回答方法：メール（", g.email(per), "）で回答を希望")])
            if g.chance(0.3):
                rows.append(
                    [
                        M(
                            "生年月日：",
                            g.dob(per, g.pick(["era", "initial", "slash", "era_kanji"])),
                            "（本人より聴取）",
                        )
                    ]
                )
        rows.append([S(f"件名：{topic}")])
        if g.chance(0.35):
            nb = g.person(born=(1940, 1990))
            rows.append(
                [
                    M(
                        "内容：隣家の",
                        sur_p(nb),
                        "さん宅（",
                        town_block(g, nb),
                        "）の",
                        topic,
                        "について、何度言っても改善されないとのこと。",
                    )
                ]
            )
        else:
            rows.append([S(f"内容：{g.pick(TOWNS)}地内の{topic}について、早急に対応してほしいとの要望。")])
        done = day + timedelta(days=g.rnd.randint(2, 20))
        rows.append([S(f"対応：令和7年{done.month}月{done.day}日 {answer}")])
    rows.append([S("━━━━━━━━━━━━━━━━━━━━")])
    rows.append([S("（この記録簿は岐阜市個人情報保護条例に基づき管理する。）")])
    g.euc = False
    return [Doc("complaints_txt", "kujo_youbou_kiroku_R7.txt", encoding="euc_jp", newline="\n", rows=rows)]


# ── 7. 避難行動要支援者名簿 / 敬老会 (XLSX, several sheets, hidden parts) ───────────────────────


def hinan_xlsx(g: Gen, scale: float) -> list[Doc]:
    docs = []
    dists = g.rnd.sample(DISTRICTS, 5)
    summary = [
        [S("避難行動要支援者 地区別集計（令和7年4月1日現在）")],
        [""],
        _header(["地区", "要支援者数", "うち同意者数", "個別避難計画 作成済", "作成率"]),
    ]
    tot = [0, 0, 0]
    for d in dists:
        n = g.rnd.randint(80, 400)
        c = g.rnd.randint(n // 2, n)
        p = g.rnd.randint(c // 4, c)
        tot = [tot[0] + n, tot[1] + c, tot[2] + p]
        summary.append([S(d), S(n), S(c), S(p), S(f"{p / n * 100:.1f}%")])
    summary.append([S("合計"), S(tot[0]), S(tot[1]), S(tot[2]), S(f"{tot[2] / tot[0] * 100:.1f}%")])
    dist = dists[0]
    roster = [
        [S(f"避難行動要支援者名簿（{dist}地区）※避難支援等関係者への提供用")],
        _header(
            [
                "No",
                "自治会",
                "氏名・連絡先",
                "住所",
                "生年月日",
                "自宅電話",
                "要件",
                "避難支援者",
                "避難先",
                "同意",
                "宛名番号",
            ]
        ),
    ]
    for i in range(_n(18, scale)):
        per = g.person(born=(1928, 1950), local=True)
        tel = g.phone(per, "mobile", "dash")
        if g.chance(0.5):
            label = g.pick(["長男", "長女", "次男"])
            rel = g.relative(per, label)
            helper = M(g.pick([label, "親族"]) + " ", name_p(rel, " "), "\n", g.phone(rel, "mobile", "dash"))
        elif g.chance(0.5):
            helper = M("民生委員 ", name_p(g.person(born=(1945, 1965), local=True), " "))
        else:
            helper = S("")
        roster.append(
            [
                S(i + 1),
                S(f"{per.town}自治会"),
                M(name_p(per, " "), "\n", tel),
                g.address(per, prefix="none", style=g.pick(["jp", "dash"])),
                P(str(serial(per.dob)), (str(serial(per.dob)), *dob_keys(per.dob)), "dob", serial(per.dob)),
                int_phone(per, "home"),
                g.pick(["要介護3", "要介護4", "身体障害者手帳1級", "75歳以上単身", "療育手帳A"]),
                helper,
                S(g.pick(SHELTERS)),
                S(g.pick(["同意", "同意", "未同意"])),
                id_p(digits_id(g, 10, "000")),
            ]
        )
    guide = [
        [S("記入要領")],
        [S("1 この名簿は災害対策基本法第49条の11に基づき、避難支援等関係者に提供するものです。")],
        [S("2 名簿は施錠できる場所に保管し、複製しないでください。")],
        [S("3 生年月日欄は非表示にしています（平常時は提供対象外）。")],
        [S("4 問い合わせ先：岐阜市 防災政策課 058-214-6135")],
    ]
    docs.append(
        HDoc(
            "hinan_xlsx",
            "hinan_shien_meibo_R7.xlsx",
            sheets=[
                XSheet(S("集計"), summary, ["A1:E1"]),
                XSheet(S("名簿"), roster, ["A1:K1"]),
                XSheet(S("記入要領"), guide),
            ],
            hidden_cols={1: ["E", "K"]},
        )
    )

    # 敬老会 対象者名簿: mixed date types; a hidden 作業用 sheet
    summary = [[S("敬老会 記念品 対象者数")], _header(["区分", "人数"])]
    bands = [("77歳（喜寿）", 31), ("88歳（米寿）", 17), ("99歳（白寿）", 2), ("100歳以上", 3)]
    for b, n in bands:
        summary.append([S(b), S(n)])
    summary.append([S("計"), S(sum(n for _, n in bands))])
    people = []
    roster = [_header(["No", "氏名", "ふりがな", "生年月日", "住所", "電話", "記念品", "受取"])]
    for i in range(_n(14, scale)):
        per = g.person(born=(1924, 1948), local=True)
        people.append(per)
        r = g.rnd.random()
        dob = g.dob_cell(per, "yyyy/mm/dd") if r < 0.5 else g.dob(per, g.pick(["initial", "era", "initial0"]))
        roster.append(
            [
                S(i + 1),
                name_p(per, "　"),
                hira_p(per),
                dob,
                g.address(per, prefix="none"),
                g.phone(per, "home", g.pick(["dash", "dash", "plain"])),
                S(g.pick(["記念品A（タオル）", "記念品B（お茶）", "商品券"])),
                S(g.pick(["済", "未", "済"])),
            ]
        )
    work = [[S("作業用（氏名｜生年月日）")]]
    for per in people[: max(3, len(people) // 2)]:
        work.append([M(name_p(per, ""), "｜", dob_p(per, date_text(per.dob, "ymd8")))])
    docs.append(
        HDoc(
            "hinan_xlsx",
            "keirou_taishousha.xlsx",
            sheets=[XSheet(S("集計"), summary), XSheet(S("対象者"), roster), XSheet(S("作業用"), work)],
            hidden_sheets=(2,),
        )
    )
    return docs


# ── 8. web-form exports (JSON) ──────────────────────────────────────────────────────────────


def _family_member(g: Gen, head: Person) -> JObj:
    rel = g.pick(["spouse", "child", "child", "parent"])
    jp = {"spouse": "妻" if head.sex == "男" else "夫", "child": g.pick(["長男", "長女"]), "parent": "母"}[
        rel
    ]
    m = g.relative(head, jp)
    return JObj(
        [
            ("relation", S(rel)),
            ("name", name_p(m, " ")),
            ("age", 2025 - m.dob.year),
            ("birthdate", dob_p(m, m.dob.isoformat()) if g.chance(0.5) else S("")),
        ]
    )


def webform_json(g: Gen, scale: float) -> list[Doc]:
    docs = []
    entries = []
    for i in range(_n(12, scale)):
        per = g.person(born=(1950, 2005))
        name = JObj([("family", sur_p(per)), ("given", P(per.first, (per.first,), "name"))])
        address = JObj(
            [
                ("postal_code", f"50{g.rnd.randint(0, 2)}-{g.rnd.randint(8000, 8999)}"),
                ("prefecture", per.city[:3]),
                ("city", per.city[3:]),
                (
                    "street",
                    P(
                        per.town + g.block_text(per, "dash"),
                        (per.town + g.block_text(per, "dash"),),
                        "address",
                    ),
                ),
                ("building", P(per.building, (per.building,), "address") if per.building else S("")),
            ]
        )
        contact = JObj(
            [
                ("tel", intl_phone(g, per) if g.chance(0.6) else g.phone(per, "mobile")),
                ("email", g.email(per)),
                ("preferred", S(g.pick(["email", "tel"]))),
            ]
        )
        applicant = JObj(
            [
                ("name", name),
                ("name_kana", g.kana(per, "kata", " ")),
                ("birthdate", dob_p(per, per.dob.isoformat())),
                ("age", 2025 - per.dob.year),
                ("gender", g.pick(["male", "female", "no_answer"])),
                ("address", address),
                ("contact", contact),
            ]
        )
        family = [_family_member(g, per) for _ in range(g.rnd.randint(0, 3))]
        friend = g.person()
        answer = (
            M("友人の ", name_p(friend, " "), "（", g.phone(friend, "mobile"), "）と一緒に参加します。")
            if g.chance(0.3)
            else S(g.pick(["特になし", "駐車場はありますか。", "昨年も参加しました。", "力仕事も可能です。"]))
        )
        shifts = [
            S(s)
            for s in g.rnd.sample(["7/26 午前", "7/26 午後", "7/27 午前", "7/27 午後"], g.rnd.randint(1, 3))
        ]
        entries.append(
            JObj(
                [
                    ("entry_id", f"E{2025000 + i * 13}"),
                    (
                        "submitted_at",
                        f"2025-06-{g.rnd.randint(1, 28):02d}T"
                        f"{g.rnd.randint(7, 23):02d}:{g.rnd.randint(0, 59):02d}:00+09:00",
                    ),
                    ("status", S(g.pick(["accepted", "accepted", "waitlisted"]))),
                    ("applicant", applicant),
                    ("family", family),
                    ("shifts", shifts),
                    (
                        "answers",
                        [
                            JObj([("question", S("参加の動機・ご質問")), ("answer", answer)]),
                            JObj(
                                [("question", S("Tシャツのサイズ")), ("answer", S(g.pick(["M", "L", "XL"])))]
                            ),
                        ],
                    ),
                    ("consent", JObj([("privacy", True), ("photo", g.chance(0.5))])),
                ]
            )
        )
    obj = JObj(
        [
            (
                "form",
                JObj(
                    [
                        ("id", S("nagaragawa-natsu-2025")),
                        ("title", S("長良川夏まつり ボランティア申込フォーム")),
                        ("owner", S("岐阜市 観光コンベンション課")),
                        ("contact", S("058-214-2191")),
                        ("exported_at", S("2025-06-30T09:00:00+09:00")),
                    ]
                ),
            ),
            ("entries", entries),
        ]
    )
    docs.append(Doc("webform_json", "volunteer_form_export.json", obj=obj))

    records = []
    for i in range(_n(12, scale)):
        parent = g.person(born=(1980, 1998))
        child = g.relative(parent, g.pick(["長男", "長女"]))
        child.dob = g.day(date(2019, 1, 1), date(2024, 12, 31))
        msg = g.pick(
            [
                S("夜泣きがひどく、相談したいです。"),
                S("離乳食の進め方について教えてください。"),
                S("一時預かりの空き状況を知りたい。"),
                M("保育園の送迎を祖母の ", name_p(g.relative(parent, "母"), ""), " に頼んでいます。"),
                M("日中は ", g.phone(parent, "mobile"), " に電話してください。"),
            ]
        )
        records.append(
            JObj(
                [
                    ("id", f"KS-2025-{300 + i:04d}"),
                    ("received", f"2025-05-{g.rnd.randint(1, 31):02d} {g.rnd.randint(8, 20):02d}:00"),
                    ("category", S(g.pick(["子育て相談", "一時預かり", "発達相談"]))),
                    (
                        "child",
                        JObj(
                            [
                                ("name_hiragana", hira_p(child)),
                                ("birthday", dob_p(child, date_text(child.dob, "slash"))),
                                ("sex", child.sex),
                            ]
                        ),
                    ),
                    (
                        "parent",
                        JObj(
                            [
                                ("name", name_p(parent, " ")),
                                ("phone", g.phone(parent, "mobile", "plain")),
                                ("mail", g.email(parent)),
                            ]
                        ),
                    ),
                    ("message", msg),
                    ("assigned_to", S("子ども支援課 子育て相談係")),
                    ("followup", S(g.pick(["電話で回答済み", "面談予約（6月10日）", "保健師へ引継ぎ"]))),
                ]
            )
        )
    docs.append(Doc("webform_json", "kosodate_soudan_records.json", obj=records))
    return docs


# ── 9. 施設予約 TSV ────────────────────────────────────────────────────────────────────────

FACILITIES = [
    ("長良川国際会議場", ["会議室A", "会議室B", "大会議室"]),
    ("岐阜市民会館", ["第1会議室", "和室"]),
    ("みんなの森 ぎふメディアコスモス", ["スタジオ", "研修室1"]),
    ("長良公民館", ["講堂", "調理室", "和室"]),
    ("岐阜市北西部運動公園", ["テニスコート1", "テニスコート2", "多目的広場"]),
]
GROUPS = [
    "長良川カヌークラブ",
    "岐阜囲碁同好会",
    "個人利用",
    "個人利用",
    "鷺山フラダンス教室",
    "岐阜市民合唱団",
    "金華山ハイキングの会",
    "早田子ども会",
]
PURPOSES = [
    ("会議", "1,200"),
    ("練習", "2,400"),
    ("講座", "3,600"),
    ("演奏会", "8,500"),
    ("調理実習", "1,800"),
]


def reservation_tsv(g: Gen, scale: float) -> list[Doc]:
    docs = []
    rows = [
        _header(
            [
                "予約番号",
                "受付日時",
                "施設名",
                "室場",
                "利用日",
                "時間帯",
                "利用者名",
                "団体名",
                "電話",
                "メール",
                "人数",
                "利用目的",
                "料金",
                "支払",
                "備考",
            ]
        )
    ]
    for i in range(_n(20, scale)):
        per = g.person(born=(1950, 2000))
        fac, rooms = g.pick(FACILITIES)
        use = public_day(g, date(2025, 6, 1), date(2025, 6, 30))
        purpose, fee = g.pick(PURPOSES)
        h = g.pick([9, 13, 18])
        remark = g.pick(
            [
                S(""),
                S("駐車券2枚"),
                S("プロジェクター使用"),
                M("当日の連絡先は代理の ", name_p(g.person(), " "), " さん"),
            ]
        )
        rows.append(
            [
                S(f"R2506-{i * 17 + 101:05d}"),
                f"2025-05-{g.rnd.randint(1, 31):02d} {g.rnd.randint(0, 23):02d}:{g.rnd.randint(0, 59):02d}:{g.rnd.randint(0, 59):02d}",
                S(fac),
                S(g.pick(rooms)),
                S(use.isoformat()),
                S(f"{h:02d}:00-{h + 3 if h < 18 else 21:02d}:00"),
                romaji_p(g, per),
                S(g.pick(GROUPS)),
                intl_phone(g, per, g.pick(["mobile", "mobile", "home"])),
                g.email(per),
                S(str(g.rnd.randint(2, 40))),
                S(purpose),
                S(fee),
                S(g.pick(["済", "未", "済"])),
                remark,
            ]
        )
    docs.append(Doc("reservation_tsv", "shisetsu_yoyaku_202506.tsv", newline="\n", rows=rows))

    rows = [
        _header(
            [
                "reserve_id",
                "created",
                "facility",
                "court",
                "date",
                "start",
                "end",
                "user_name",
                "user_kana",
                "tel",
                "member_no",
                "note",
            ]
        )
    ]
    for i in range(_n(18, scale)):
        per = g.person(born=(1950, 2005))
        use = public_day(g, date(2025, 7, 1), date(2025, 7, 31))
        h = g.rnd.randint(8, 19)
        rows.append(
            [
                S(f"{70000 + i * 3}"),
                f"2025/06/{g.rnd.randint(1, 30):02d} {g.rnd.randint(0, 23)}:{g.rnd.randint(0, 59):02d}",
                S("岐阜メモリアルセンター"),
                S(g.pick(["テニス1番", "テニス2番", "屋内A面", "屋内B面"])),
                S(f"{use:%Y/%m/%d}"),
                S(f"{h}:00"),
                S(f"{h + 2}:00"),
                name_p(per, g.pick([" ", "　"])),
                hw_kana_p(per),
                g.phone(per, "mobile", g.pick(["dash", "plain"])),
                id_p(f"GM{g.rnd.randint(100000, 999999)}"),
                S(g.pick(["", "", "雨天時キャンセル可", "照明利用"])),
            ]
        )
    docs.append(Doc("reservation_tsv", "memorial_court_log.tsv", encoding="cp932", rows=rows))
    return docs


# ── 10. 指定管理者 / 登録事業者 ────────────────────────────────────────────────────────────────

PUBLIC_FACILITIES = [
    "岐阜市北部コミュニティセンター",
    "岐阜市南部コミュニティセンター",
    "岐阜市畜産センター公園",
    "岐阜市少年自然の家",
    "岐阜市民総合体育館",
    "岐阜市歴史博物館分館",
    "岐阜市老人福祉センター",
    "岐阜市ぎふ金華山ロープウェー",
    "岐阜市芥見東児童館",
    "岐阜市長良川球技メドウ",
    "岐阜市三田洞神仏温泉",
    "岐阜市柳津地域交流センター",
    "岐阜市大洞緑山自然公園",
    "岐阜市子ども・若者総合支援センター",
]
TRADES = ["建築", "電気", "管", "塗装", "内装", "屋根", "建具", "造園", "設備修繕"]
YAGOU = [
    "ナガラ電設",
    "金華塗装",
    "清流設備",
    "ぎふ建具工房",
    "ミナト内装",
    "ひだまり造園",
    "アカネ屋根工業",
    "サギヤマ住設",
]


def _contractor(g: Gen) -> str:
    """A repair contractor's corporate name (some with a surname in it: public all the same)."""
    return g.pick(
        [
            f"株式会社{g.pick(['ぎふ住宅サービス', 'テクノ長良', '岐阜リフォーム', '清流ハウジング'])}",
            f"有限会社{g.fake.last_name()}{g.pick(['工務店', '建設', '電気工事', '塗装'])}",
            f"{g.pick(['長良', '金華', '清流', '鵜飼'])}{g.pick(['建設', '設備工業', '興業'])}株式会社",
            f"株式会社{g.fake.last_name()}組",
        ]
    )


def operators_list(g: Gen, scale: float) -> list[Doc]:
    docs = []
    rows = [
        [S("岐阜市 公の施設 指定管理者一覧（令和7年4月1日現在）")],
        _header(["施設名", "施設所在地", "指定管理者", "指定管理者所在地", "電話番号", "指定期間", "議決日"]),
    ]
    for fac in g.rnd.sample(PUBLIC_FACILITIES, min(len(PUBLIC_FACILITIES), _n(12, scale))):
        start = g.pick([2021, 2022, 2023, 2024])
        name = g.pick(
            [
                g.company(),
                g.company(),
                f"特定非営利活動法人 {g.pick(['長良川自然学校', 'ぎふNPOセンター', 'こどもの森'])}",
                f"{g.company()}・{g.company()} 共同事業体",
                f"公益財団法人岐阜市{g.pick(['教育文化振興', 'スポーツ'])}事業団",
            ]
        )
        rows.append(
            [
                S(fac),
                S(g.public_address()),
                S(name),
                S(g.public_address(building=g.chance(0.4))),
                S(g.office_phone()),
                S(f"令和{start - 2018}年4月1日～令和{start - 2013}年3月31日"),
                S(f"令和{start - 2019}年12月{g.rnd.randint(10, 22)}日"),
            ]
        )
    docs.append(Doc("operators_list", "shitei_kanrisha_ichiran.csv", encoding="utf-8-sig", rows=rows))

    rows = [
        [S("岐阜市 小規模修繕契約希望者 登録名簿（令和7・8年度）")],
        _header(["登録番号", "区分", "商号又は名称", "代表者", "所在地", "電話番号", "登録業種", "登録日"]),
    ]
    for i in range(_n(24, scale)):
        reg = S(f"小修-{i + 1:03d}")
        day = g.day(date(2025, 3, 1), date(2025, 5, 31))
        trade = S("・".join(g.rnd.sample(TRADES, g.rnd.randint(1, 3))))
        regday = S(f"令和7年{day.month}月{day.day}日")
        if g.chance(0.5):
            rep = g.person(born=(1950, 1985))
            rows.append(
                [
                    reg,
                    S("法人"),
                    S(_contractor(g)),
                    f"代表取締役 {fullname(rep, ' ')}",
                    S(g.public_address(building=g.chance(0.3))),
                    S(g.office_phone()),
                    trade,
                    regday,
                ]
            )
        else:
            per = g.person(born=(1950, 1995))
            if g.chance(0.5):
                shop, rep = S(g.pick(YAGOU)), name_p(per, g.pick([" ", "　"]))
            else:
                shop, rep = name_p(per, g.pick([" ", "　"])), S("")
            rows.append(
                [
                    reg,
                    S("個人"),
                    shop,
                    rep,
                    g.address(per, prefix=g.pick(["full", "city"])),
                    g.phone(per, g.pick(["home", "mobile"]), g.pick(["dash", "dash", "paren"])),
                    trade,
                    regday,
                ]
            )
    rows.append([S("※個人事業主の所在地・電話番号は本人の同意を得て掲載（※公開時は要確認）")])
    docs.append(Doc("operators_list", "shokibo_shuzen_touroku.csv", encoding="cp932", rows=rows))
    return docs


# ── 11. header on row 5, 以下余白, signature ────────────────────────────────────────────────

LIGHT_PLACES = [
    "{town}{n}番地先",
    "{town}{n}番地先 電柱付近",
    "{school}北側交差点付近",
    "{town}{c}丁目 公民館前",
    "{town}{c}丁目 バス停「{town}」横",
    "{town}地内 市道{n}号線沿い",
]
LIGHT_REQUESTS = [
    "球切れ",
    "点滅している",
    "昼間も点灯している",
    "灯具が傾いている",
    "新設希望（通学路で暗い）",
]


def notice_header5(g: Gen, scale: float) -> list[Doc]:
    docs = []
    for k, (enc, title, office, tel) in enumerate(
        (
            (
                "cp932",
                "防犯灯 修繕要望 受付一覧（令和7年度 第1四半期）",
                "岐阜市 市民協働推進課 地域安全係",
                "058-265-4141（内線3361）",
            ),
            (
                "utf-8",
                "ごみステーション 新設・移設 申請一覧（令和7年度上半期）",
                "岐阜市 ごみ減量・資源化推進課",
                "058-214-2174",
            ),
        )
    ):
        rows = [
            [S(title)],
            [
                S(
                    "※本一覧は自治会連合会への情報提供用です。申請者の個人情報の取扱いには十分注意してください。"
                )
            ],
            [S("※対応状況の凡例\n　済：対応完了\n　手配中：業者手配済み\n　調査中：現地確認待ち")],
            [S(f"作成日：令和7年7月1日　作成：{office}")],
        ]
        if k == 0:
            rows.append(
                _header(
                    [
                        "受付番号",
                        "受付日",
                        "自治会",
                        "設置場所",
                        "電柱番号",
                        "要望者",
                        "要望者住所",
                        "連絡先",
                        "要望内容",
                        "対応状況",
                        "完了日",
                    ]
                )
            )
        else:
            rows.append(
                _header(
                    [
                        "受付番号",
                        "受付日",
                        "自治会",
                        "設置場所",
                        "利用世帯数",
                        "申請者（班長）",
                        "申請者住所",
                        "連絡先",
                        "申請内容",
                        "対応状況",
                        "完了日",
                    ]
                )
            )
        for i in range(_n(16, scale)):
            per = g.person(born=(1940, 1990), local=True)
            town = g.pick(TOWNS)
            day = g.day(date(2025, 4, 1), date(2025, 6, 30))
            place = g.pick(LIGHT_PLACES).format(
                town=town,
                n=g.rnd.randint(100, 2999),
                c=g.rnd.randint(1, 5),
                school=g.pick(["長良小学校", "鏡島小学校", "則武小学校", "加納中学校"]),
            )
            status = g.pick(["済", "済", "手配中", "調査中"])
            done = (
                S(f"R7.{(day + timedelta(days=20)).month}.{(day + timedelta(days=20)).day}")
                if status == "済"
                else S("")
            )
            if k == 0:
                what = (
                    S(g.pick(LIGHT_REQUESTS))
                    if g.chance(0.75)
                    else M("自宅（", town_block(g, per), "）前の灯が", g.pick(["球切れ", "点滅"]))
                )
                middle = [S(f"中部 {town[:2]} {g.rnd.randint(1, 300)}")]
            else:
                what = S(
                    g.pick(
                        [
                            "新設（12世帯）",
                            "移設（道路拡幅のため）",
                            "ネットの追加",
                            "新設（集合住宅建設に伴う）",
                        ]
                    )
                )
                middle = [S(str(g.rnd.randint(5, 30)))]
            rows.append(
                [
                    S(f"{'防' if k == 0 else 'ご'}-{i + 1:03d}"),
                    S(f"{day:%Y/%m/%d}"),
                    S(f"{town}自治会"),
                    S(place),
                    *middle,
                    name_p(per, g.pick([" ", "　", ""])),
                    g.address(per, prefix=g.pick(["none", "city"])),
                    g.phone(per, g.pick(["home", "mobile"])),
                    what,
                    S(status),
                    done,
                ]
            )
        staff = g.person(born=(1970, 1995))
        rows += [[S("以下余白")], [""], [""], [S(office)], [S(f"TEL {tel}")], [f"担当：{staff.last}"]]
        docs.append(
            Doc(
                "notice_header5",
                f"{'bouhantou_youbou' if k == 0 else 'gomi_station_shinsei'}.csv",
                encoding=enc,
                rows=rows,
            )
        )
    return docs


# ── 12. CP932 legacy: half-width kana headers, ①②, ㈱, variant kanji ─────────────────────────

LEGACY_OFFICES = [
    "㈱ケアサービス岐阜",
    "㈲長良介護センター",
    "(福)岐阜市社会福祉事業団",
    "㈱ぎふ在宅ケア",
    "㈲ひだまり薬局",
    "医療法人社団清流会 髙橋内科",
    "㈱メディカル金華",
]
BANKS = [
    "十六銀行 長良支店",
    "大垣共立銀行 岐阜支店",
    "岐阜信用金庫 本店営業部",
    "ゆうちょ銀行 二〇八店",
    "ぎふ農業協同組合 長良支店",
]


def cp932_legacy(g: Gen, scale: float) -> list[Doc]:
    docs = []
    rows = [
        [
            S(h)
            for h in [
                "ｼﾝｾｲﾊﾞﾝｺﾞｳ",
                "ｼﾒｲ",
                "ｼﾒｲｶﾅ",
                "ｾｲﾍﾞﾂ",
                "ｾｲﾈﾝｶﾞｯﾋﾟ",
                "ﾕｳﾋﾞﾝﾊﾞﾝｺﾞｳ",
                "ｼﾞｭｳｼｮ",
                "ﾃﾞﾝﾜﾊﾞﾝｺﾞｳ",
                "ｼﾞｷﾞｮｳｼｮ",
                "ｷﾝﾕｳｷｶﾝ",
                "ｺｳｻﾞﾊﾞﾝｺﾞｳ",
                "ｺｳｻﾞﾒｲｷﾞ",
                "ｹｯﾃｲﾋﾞ",
                "ﾋﾞｺｳ",
            ]
        ]
    ]
    for i in range(_n(18, scale)):
        if g.chance(0.45):
            per, extra = variant_person(g, born=(1925, 1950), local=True)
        else:
            per, extra = g.person(born=(1925, 1950), local=True), ()
        holder = per if g.chance(0.5) else g.relative(per, g.pick(["長男", "長女"]))
        if g.chance(0.4):
            rel = g.relative(per, "長女")
            remark = M("①申請書 ②家族連絡先 ", g.phone(rel, "mobile", g.pick(["dash", "plain"])))
        else:
            remark = S(
                g.pick(["①申請書 ②診断書 受理", "①更新", "②住所変更あり（届出済）", "①新規 ②おむつ券", ""])
            )
        decided = g.day(date(2025, 4, 1), date(2025, 6, 30))
        rows.append(
            [
                f"{2025}{i + 1:05d}",
                name_p(per, g.pick(["　", " "]), extra=extra),
                hw_kana_p(per),
                "1" if per.sex == "男" else "2",
                g.dob(per, g.pick(["initial0", "ymd8", "code7", "initial"])),
                f"50{g.rnd.randint(0, 2)}-{g.rnd.randint(8000, 8999)}",
                g.address(per, prefix="city"),
                g.phone(per, "home", g.pick(["dash", "plain", "paren"])),
                S(g.pick(LEGACY_OFFICES)),
                S(g.pick(BANKS)),
                id_p(f"{g.rnd.randint(1000000, 9999999)}"),
                hw_kana_p(holder),
                S(date_text(decided, "initial0")),
                remark,
            ]
        )
    docs.append(Doc("cp932_legacy", "omutsu_kyufu_shinseisha.csv", encoding="cp932", rows=rows))

    rows = [
        [S("緊急通報システム 登録者台帳（高齢福祉課）")],
        [
            S(h)
            for h in [
                "①ﾌﾘｶﾞﾅ",
                "②氏名",
                "③生年月日",
                "④住所",
                "⑤電話",
                "⑥協力員1",
                "⑦協力員1電話",
                "⑧協力員2",
                "⑨協力員2電話",
                "⑩かかりつけ医",
                "⑪設置業者",
            ]
        ],
    ]
    for _ in range(_n(14, scale)):
        if g.chance(0.45):
            per, extra = variant_person(g, born=(1925, 1950), local=True)
        else:
            per, extra = g.person(born=(1925, 1950), local=True), ()
        helpers = []
        for _ in range(2):
            if g.chance(0.8):
                h = g.person(born=(1940, 1980), local=True)
                helpers += [name_p(h, g.pick(["", " "])), g.phone(h, g.pick(["home", "mobile"]), "dash")]
            else:
                helpers += [S(""), S("")]
        rows.append(
            [
                g.kana(per, "kata", "　"),
                name_p(per, "　", extra=extra),
                g.dob(per, g.pick(["era", "initial", "nen"]), wide=g.chance(0.4)),
                g.address(per, prefix="none"),
                g.phone(per, "home", g.pick(["dash", "fw"])),
                *helpers,
                S(g.pick(LEGACY_OFFICES[5:] + ["岐阜市民病院", "医療法人社団恵愛会 德永クリニック"])),
                S(g.pick(["㈱ぎふ安心センター", "㈱セーフティ長良"])),
            ]
        )
    docs.append(Doc("cp932_legacy", "kinkyu_tsuho_daicho.csv", encoding="cp932", rows=rows))
    return docs


# ── the corpus ─────────────────────────────────────────────────────────────────────────────

LAYOUTS = {
    "juki_export": juki_export,
    "kaigo_shogai": kaigo_shogai,
    "school_roster": school_roster,
    "jichikai": jichikai,
    "minutes_txt": minutes_txt,
    "complaints_txt": complaints_txt,
    "hinan_xlsx": hinan_xlsx,
    "webform_json": webform_json,
    "reservation_tsv": reservation_tsv,
    "operators_list": operators_list,
    "notice_header5": notice_header5,
    "cp932_legacy": cp932_legacy,
}
LAYOUT_NAMES = list(LAYOUTS)


def build(seed: int = SEED, scale: float = 1.0) -> list[Doc]:
    """Every file of every layout; each layout seeded on its own."""
    docs = []
    for name, fn in LAYOUTS.items():
        docs += [d.finalize() for d in fn(HGen(f"{seed}:{name}"), scale)]
    return docs


def evaluate(engine, workdir: str, scale: float = 1.0, seed: int = SEED) -> dict:
    """Generate the corpus into workdir/in, scrub it into workdir/out with ``engine``, score it."""
    docs = build(seed, scale)
    src_dir, dst_dir = os.path.join(workdir, "in"), os.path.join(workdir, "out")
    write_corpus(docs, src_dir)
    t0 = time.perf_counter()
    outcome = run_engine(engine, docs, src_dir, dst_dir)
    seconds = time.perf_counter() - t0
    result = score(docs, outcome, dst_dir)
    result.update(
        seconds=seconds,
        scale=scale,
        seed=seed,
        engine_layouts={n: o[1].get("layout") for n, o in outcome.items() if o[0] == "ok"},
    )
    return result


def main(argv=None) -> int:
    """Stand-alone: generate (and self-check) the corpus, print its size per layout."""
    import argparse

    ap = argparse.ArgumentParser(description="write the held-out corpus and print its size")
    ap.add_argument("folder")
    ap.add_argument("--scale", type=float, default=1.0)
    args = ap.parse_args(argv)
    docs = build(scale=args.scale)
    write_corpus(docs, args.folder)
    sizes = {}
    for d in docs:
        s = sizes.setdefault(d.layout, [0, 0, 0, {}])
        s[0] += 1
        s[1] += len(d.pii)
        s[2] += len(d.stay)
        for _, kind, _ in d.pii:
            s[3][kind] = s[3].get(kind, 0) + 1
    for name, (files, pii, stay, kinds) in sizes.items():
        print(f"{name:<18} files {files:>3}  PII {pii:>5}  must-stay {stay:>5}  {kinds}")
    print(
        f"{'total':<18} files {len(docs):>3}  PII {sum(s[1] for s in sizes.values()):>5}  "
        f"must-stay {sum(s[2] for s in sizes.values()):>5}"
    )
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main())
