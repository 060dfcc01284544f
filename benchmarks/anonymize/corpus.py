"""A synthetic Japanese benchmark corpus (Faker ja_JP; no real persons), with ground truth.

Files:
- residents.csv (CP932): a register of residents; personal columns, quasi-identifiers, codes,
  a 備考 column that is sometimes free text with embedded PII and sometimes public text.
- consultations.csv (UTF-8 BOM): 相談記録 with a free-text column full of embedded PII in both
  digit widths and every date style (西暦, 和暦, S/H/R initials, 元年).
- memo.txt (EUC-JP): free text, one record per line.
- aed.csv (new 自治体標準 header) and evacuation.csv (old header): public, must stay intact.
- facilities.csv: a non-standard public facility list: must stay intact.
- aed_list.xlsx: the AED list again, as an Excel export with a title row above the header.

Ground truth per file: ``pii`` = (row, col, leak keys: strings whose presence in the output
cell means the value leaked) and ``stay`` = (row, col) cells that must come out unchanged.
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field

from faker import Faker
from stdnum.jp import cn, in_

FW = str.maketrans("0123456789-", "０１２３４５６７８９－")
ERAS = [("令和", "R", 2019), ("平成", "H", 1989), ("昭和", "S", 1926), ("大正", "T", 1912)]
TOWNS = [
    "長良福光",
    "今沢町",
    "司町",
    "金町",
    "湊町",
    "鹿島町",
    "柳津町",
    "則武",
    "岩崎",
    "日野南",
    "芥見",
    "茜部本郷",
    "北一色",
    "六条南",
    "鏡島",
    "黒野",
    "西改田",
    "早田",
    "加納",
    "本荘",
]
TOPICS = [
    "児童手当",
    "介護保険",
    "国民健康保険",
    "住民票の写し",
    "ごみの分別",
    "道路の補修",
    "保育所の入所",
    "市民税",
    "転入手続",
    "防災訓練",
]
PUBLIC_TEXT = [
    "特になし",
    "",
    "書類確認済み",
    "要確認",
    "窓口で手続きを案内した。",
    "{topic}について問い合わせがあった。資料を送付済み。",
    "令和6年4月1日から受付開始。",
    "長良川国際会議場で説明会を開催予定。",
    "金華山ロープウェーの運休について問い合わせ。",
    "岐阜城の開館時間を案内した。",
    "定員20名。対象は市内在住の方。",
    "{topic}の制度改正に関する一般的な質問。",
    "受付時間は8時45分から17時30分まで。",
    "電話での問い合わせは受け付けていません。",
    "令和7年度から制度が変わります。",
    "第2会議室で実施。",
    "市内の小学校3校で実施。",
    "申請書は窓口にて配布。",
    "高齢福祉課（内線1234）へ引き継ぎ。",
    "岐阜市役所本庁舎1階で受付。",
    # Surnames that are also places and facilities; added last, not tuned for.
    "松本城と犬山城を巡るツアーの案内。",
    "中島公園で清掃活動を実施。",
    "吉田川の河川敷の草刈り。",
    "伊藤病院前バス停の移設について。",
    "長良北町バス停から徒歩5分。",
    "山田川沿いの桜並木。",
]


@dataclass
class Table:
    name: str
    header: list[str]
    rows: list[list[str]] = field(default_factory=list)
    pii: list[tuple[int, int, list[str]]] = field(default_factory=list)
    stay: list[tuple[int, int]] = field(default_factory=list)
    encoding: str = "utf-8"
    text: bool = False

    @property
    def cells(self) -> int:
        return sum(len(r) for r in self.rows)

    def write(self, path: str) -> None:
        if path.endswith(".xlsx"):
            import openpyxl

            wb = openpyxl.Workbook()
            ws = wb.active
            ws.title = "AED"
            for row in [self.header] + self.rows:
                ws.append([v or None for v in row])
            wb.save(path)
            return
        with open(path, "w", encoding=self.encoding, newline="") as f:
            if self.text:
                for row in self.rows:
                    f.write(row[0] + "\n")
            else:
                w = csv.writer(f, lineterminator="\r\n")
                w.writerow(self.header)
                w.writerows(self.rows)


class People:
    """Synthetic people and their identifiers, in the styles Japanese files mix."""

    def __init__(self, seed: int):
        self.fake = Faker("ja_JP")
        self.fake.seed_instance(seed)
        self.rnd = random.Random(seed)

    def name(self):
        last, last_kana, _ = self.fake.last_name_pair()
        first, first_kana, _ = self.fake.first_name_pair()
        sep = self.rnd.choice([" ", "　", ""])
        return f"{last}{sep}{first}", f"{last_kana} {first_kana}", [last, first]

    def wide(self, text: str) -> str:
        return text.translate(FW) if self.rnd.random() < 0.4 else text

    def dob(self):
        y, m, d = self.rnd.randint(1925, 2020), self.rnd.randint(1, 12), self.rnd.randint(1, 28)
        if y == 1989 and m == 1:
            d = self.rnd.randint(8, 28)  # 平成 starts on the 8th
        if y == 2019 and m < 5:
            m = self.rnd.randint(5, 12)  # 令和 starts in May
        if y == 1926 and m == 12:
            m = 11
        era, initial, start = next(e for e in ERAS if y >= e[2])
        ey = y - start + 1
        style = self.rnd.randrange(6)
        if style == 0:
            return self.wide(f"{y}-{m:02d}-{d:02d}")
        if style == 1:
            return self.wide(f"{y}/{m}/{d}")
        if style == 2:
            return self.wide(f"{y}年{m}月{d}日")
        if style == 3:
            return (
                f"{era}{'元' if ey == 1 else self.wide(str(ey))}年{self.wide(str(m))}月{self.wide(str(d))}日"
            )
        if style == 4:
            return self.wide(f"{initial}{ey}.{m}.{d}")
        return f"{era}{'元' if ey == 1 else ey}年{m}月{d}日"

    def phone(self):
        if self.rnd.random() < 0.5:
            n = f"0{self.rnd.choice('789')}0-{self.rnd.randint(1000, 9999)}-{self.rnd.randint(1000, 9999)}"
        else:
            n = f"058-{self.rnd.randint(200, 399)}-{self.rnd.randint(1000, 9999)}"
        r = self.rnd.random()
        if r < 0.3:
            return n.translate(FW)
        if r < 0.4:
            return n.replace("-", "ー").translate(FW)
        if r < 0.5:
            return n.replace("-", "")
        return n

    def address(self):
        town = self.rnd.choice(TOWNS)
        style = self.rnd.randrange(3)
        if style == 0:
            block = f"{self.rnd.randint(1, 9)}丁目{self.rnd.randint(1, 30)}番{self.rnd.randint(1, 20)}号"
        elif style == 1:
            block = f"{self.rnd.randint(1, 3000)}番地{self.rnd.choice(['', str(self.rnd.randint(1, 9))])}"
        else:
            block = self.wide(f"{self.rnd.randint(1, 9)}-{self.rnd.randint(1, 30)}-{self.rnd.randint(1, 20)}")
        core = town + block
        prefix = self.rnd.choice(["岐阜県岐阜市", "岐阜市", "岐阜県岐阜市"])
        building = ""
        if self.rnd.random() < 0.3:
            building = f" {self.fake.building_name()}{town[:2]}{self.rnd.randint(101, 909)}"
        return prefix + core + building, [core]

    def my_number(self):
        body = "".join(str(self.rnd.randint(0, 9)) for _ in range(11))
        n = body + in_.calc_check_digit(body)
        style = self.rnd.randrange(3)
        n = n if style == 0 else f"{n[:4]} {n[4:8]} {n[8:]}" if style == 1 else f"{n[:4]}-{n[4:8]}-{n[8:]}"
        return self.wide(n)

    def email(self):
        return self.fake.email()

    def zipcode(self):
        return self.wide(f"50{self.rnd.randint(0, 9)}-{self.rnd.randint(0, 9999):04d}")


def _free_text(p: People):
    """A sentence with embedded PII, and the leak keys of each value in it."""
    name, kana, parts = p.name()
    topic = p.rnd.choice(TOPICS)
    t = p.rnd.randrange(15)
    if t == 0:
        dob, phone = p.dob(), p.phone()
        return f"{name}さん（{dob}生）から{topic}について相談。連絡先は{phone}。", [
            [name] + parts,
            [dob],
            [phone],
        ]
    if t == 1:
        addr, core = p.address()
        phone = p.phone()
        return f"{name}様より電話あり。住所は{addr}。折り返し{phone}へ。", [
            [name] + parts,
            [addr] + core,
            [phone],
        ]
    if t == 2:
        mn, mail = p.my_number(), p.email()
        return f"申請者：{name}、マイナンバー {mn}、メール {mail}", [[name] + parts, [mn], [mail]]
    if t == 3:
        return f"担当の{name}が{topic}の件で訪問予定。", [[name] + parts]
    if t == 4:
        pp = f"T{p.rnd.choice('KRZ')}{p.rnd.randint(1000000, 9999999)}"
        rc = f"{p.rnd.choice(['AB', 'CD', 'EF'])}{p.rnd.randint(10000000, 99999999)}{p.rnd.choice(['GH', 'JK'])}"
        return f"{name}さんの旅券番号 {pp} と在留カード {rc} を確認。", [[name] + parts, [pp], [rc]]
    if t == 5:
        acct = str(p.rnd.randint(1000000, 9999999))
        return f"振込先：十六銀行 岐阜支店 普通 {acct}（{kana}）", [[acct], [kana]]
    if t == 6:
        z = p.zipcode()
        addr, core = p.address()
        return f"〒{z} {addr} {name}", [[z], [addr] + core, [name] + parts]
    if t == 7:
        dl = f"{p.rnd.randint(10, 97)}{p.rnd.randint(0, 99):02d}{p.rnd.randint(0, 99999999):08d}"
        return f"運転免許証番号 {dl} を確認済み。本人は{name}。", [[dl], [name] + parts]
    if t == 8:
        dob = p.dob()
        return f"生年月日：{dob}、氏名：{name}", [[dob], [name] + parts]
    # Phrasings written after the engine's rules, as a check against tuning to the corpus.
    if t == 9:
        return (f"{name}（{p.rnd.randint(20, 90)}歳）が来庁し、{topic}を申請。", [[name] + parts])
    if t == 10:
        phone = p.phone()
        return f"ご本人様 {name}、TEL:{phone}", [[name] + parts, [phone]]
    if t == 11:
        mail = p.email()
        return f"連絡者 {kana} / {mail}", [[kana], [mail]]
    if t == 12:
        addr, core = p.address()
        return f"{addr}在住の{name}氏より{topic}について意見。", [[addr] + core, [name] + parts]
    if t == 13:
        addr, core = p.address()
        phone = p.phone()
        return (f"お名前：{name}　ご住所：{addr}　お電話：{phone}", [[name] + parts, [addr] + core, [phone]])
    mn = p.my_number().replace(" ", "").replace("-", "").replace("－", "")
    dob = p.dob()
    return f"{name}（{dob}生まれ）の個人番号{mn}を確認。", [[name] + parts, [dob], [mn]]


def _public_text(p: People) -> str:
    return p.rnd.choice(PUBLIC_TEXT).format(topic=p.rnd.choice(TOPICS))


def residents(p: People, n: int) -> Table:
    header = [
        "整理番号",
        "氏名",
        "フリガナ",
        "性別",
        "生年月日",
        "年齢",
        "郵便番号",
        "住所",
        "電話番号",
        "メールアドレス",
        "個人番号",
        "町丁目",
        "受付日",
        "備考",
    ]
    t = Table("residents.csv", header, encoding="cp932")
    for i in range(n):
        name, kana, parts = p.name()
        addr, core = p.address()
        row = [
            f"{i + 1:06d}",
            name,
            kana,
            p.rnd.choice(["男", "女"]),
            p.dob(),
            str(p.rnd.randint(0, 99)),
            p.zipcode(),
            addr,
            p.phone(),
            p.email(),
            p.my_number(),
            p.rnd.choice(TOWNS),
            f"2024-{p.rnd.randint(1, 12):02d}-{p.rnd.randint(1, 28):02d}",
            "",
        ]
        pii_cols = {
            1: [name] + parts,
            2: [kana] + kana.split(),
            4: [row[4]],
            6: [row[6]],
            7: [addr] + core,
            8: [row[8]],
            9: [row[9]],
            10: [row[10]],
        }
        if p.rnd.random() < 0.4:
            row[13], keys = _free_text(p)
            for k in keys:
                t.pii.append((i, 13, k))
        else:
            row[13] = _public_text(p)
            t.stay.append((i, 13))
        for c, keys in pii_cols.items():
            t.pii.append((i, c, keys))
        t.stay += [(i, c) for c in (0, 3, 5, 11, 12)]
        t.rows.append(row)
    return t


def consultations(p: People, n: int) -> Table:
    header = ["受付番号", "受付日", "分類", "内容", "対応"]
    t = Table("consultations.csv", header, encoding="utf-8-sig")
    for i in range(n):
        topic = p.rnd.choice(TOPICS)
        row = [
            f"R6-{i + 1:05d}",
            f"令和6年{p.rnd.randint(1, 12)}月{p.rnd.randint(1, 28)}日",
            topic,
            "",
            p.rnd.choice(["資料送付", "窓口案内", "担当課へ回付", "完了"]),
        ]
        if p.rnd.random() < 0.75:
            row[3], keys = _free_text(p)
            for k in keys:
                t.pii.append((i, 3, k))
        else:
            row[3] = _public_text(p)
            t.stay.append((i, 3))
        t.stay += [(i, 0), (i, 1), (i, 2), (i, 4)]
        t.rows.append(row)
    return t


def _euc(text: str) -> str:
    # EUC-JP has no full-width hyphen-minus; files in it use the ASCII one.
    return text.replace("－", "-")


def memo(p: People, n: int) -> Table:
    t = Table("memo.txt", ["text"], encoding="euc_jp", text=True)
    for i in range(n):
        if p.rnd.random() < 0.7:
            text, keys = _free_text(p)
            for k in keys:
                t.pii.append((i, 0, [_euc(x) for x in k]))
        else:
            text = _public_text(p) or "（空欄）"
            t.stay.append((i, 0))
        t.rows.append([_euc(text)])
    return t


FACILITY_KINDS = [
    "小学校",
    "中学校",
    "公民館",
    "コミュニティセンター",
    "体育館",
    "図書館",
    "保育所",
    "児童館",
]


def _facility(p: People, i: int):
    town = p.rnd.choice(TOWNS)
    name = (
        f"岐阜市立{town}{p.rnd.choice(FACILITY_KINDS)}" if i % 3 else f"{town}{p.rnd.choice(FACILITY_KINDS)}"
    )
    addr = f"岐阜県岐阜市{town}{p.rnd.randint(1, 3000)}番地{p.rnd.choice(['', str(p.rnd.randint(1, 9))])}"
    phone = f"058-{p.rnd.randint(200, 399)}-{p.rnd.randint(1000, 9999)}"
    lat, lon = f"{35.38 + p.rnd.random() * 0.1:.6f}", f"{136.70 + p.rnd.random() * 0.1:.6f}"
    body = "".join(str(p.rnd.randint(0, 9)) for _ in range(12))
    corp = cn.calc_check_digit(body) + body if i % 4 == 0 else ""
    return name, addr, phone, lat, lon, corp


def aed(p: People, n: int) -> Table:
    header = [
        "全国地方公共団体コード",
        "ID",
        "地方公共団体名",
        "名称",
        "名称_カナ",
        "名称_英字",
        "住所",
        "方書",
        "緯度",
        "経度",
        "設置位置",
        "電話番号",
        "内線番号",
        "法人番号",
        "団体名",
        "利用可能曜日",
        "開始時間",
        "終了時間",
        "利用可能日時特記事項",
        "小児対応設備の有無",
        "URL",
        "備考",
    ]
    t = Table("aed.csv", header)
    for i in range(n):
        name, addr, phone, lat, lon, corp = _facility(p, i)
        row = [
            "212016",
            f"{i + 1:04d}",
            "岐阜県岐阜市",
            name,
            "",
            "",
            addr,
            p.rnd.choice(["", "2階", "別館"]),
            lat,
            lon,
            p.rnd.choice(["1階正面玄関横", "体育館入口", "事務室前", "受付カウンター"]),
            phone,
            p.rnd.choice(["", str(p.rnd.randint(100, 999))]),
            corp,
            "岐阜市",
            p.rnd.choice(["月火水木金", "月火水木金土日", "火水木金土日"]),
            "08:30",
            "17:15",
            p.rnd.choice(["", "土日祝日は利用不可", "年末年始を除く", "24時間"]),
            p.rnd.choice(["有", "無"]),
            p.rnd.choice(["", "https://www.city.gifu.lg.jp/"]),
            p.rnd.choice(
                [
                    "",
                    "正面玄関から入って右手",
                    f"問い合わせは{phone}へ",
                    "夜間は警備員室で対応",
                    "令和5年4月1日設置",
                    "パッドの使用期限は2026年3月",
                ]
            ),
        ]
        t.rows.append(row)
        t.stay += [(i, c) for c in range(len(header))]
    return t


def evacuation(p: People, n: int) -> Table:
    header = [
        "都道府県コード又は市区町村コード",
        "NO",
        "都道府県名",
        "市区町村名",
        "名称",
        "名称_カナ",
        "住所",
        "方書",
        "緯度",
        "経度",
        "高度",
        "洪水",
        "崖崩れ、土石流及び地滑り",
        "高潮",
        "地震",
        "津波",
        "大規模な火事",
        "内水氾濫",
        "火山現象",
        "指定避難所との住所同一",
        "電話番号",
        "想定収容人数",
        "対象となる町会・自治会",
        "URL",
        "備考",
    ]
    t = Table("evacuation.csv", header, encoding="cp932")
    for i in range(n):
        name, addr, phone, lat, lon, _ = _facility(p, i)
        flags = [p.rnd.choice(["1", ""]) for _ in range(8)]
        row = [
            "212016",
            str(i + 1),
            "岐阜県",
            "岐阜市",
            name,
            "",
            addr,
            "",
            lat,
            lon,
            f"{p.rnd.randint(5, 60)}.{p.rnd.randint(0, 9)}",
            *flags,
            p.rnd.choice(["1", ""]),
            phone,
            str(p.rnd.randint(50, 2000)),
            f"{p.rnd.choice(TOWNS)}自治会",
            "",
            p.rnd.choice(["", "体育館を使用", "ペット同行避難可", "駐車場なし"]),
        ]
        t.rows.append(row)
        t.stay += [(i, c) for c in range(len(header))]
    return t


def facilities(p: People, n: int) -> Table:
    header = ["施設名", "所在地", "電話番号", "FAX番号", "緯度", "経度", "開館時間", "休館日", "駐車場"]
    t = Table("facilities.csv", header)
    for i in range(n):
        name, addr, phone, lat, lon, _ = _facility(p, i)
        fax = phone[:-4] + f"{p.rnd.randint(1000, 9999)}"
        row = [
            name,
            addr,
            phone,
            fax,
            lat,
            lon,
            "9:00～17:00",
            p.rnd.choice(["月曜日", "年末年始", "第3火曜日"]),
            p.rnd.choice(["あり（20台）", "なし", "あり"]),
        ]
        t.rows.append(row)
        t.stay += [(i, c) for c in range(len(header))]
    return t


def titled_xlsx(p: People, n: int) -> Table:
    """The AED list as staff export it from Excel: a title row and a blank row above the header."""
    inner = aed(p, n)
    width = len(inner.header)
    title = ["岐阜市AED設置場所一覧（令和6年4月1日現在）"] + [""] * (width - 1)
    t = Table("aed_list.xlsx", title, rows=[[""] * width, inner.header] + inner.rows)
    t.stay = [(r, c) for r in range(len(t.rows)) for c in range(width)]
    return t


def build(seed: int = 20261126, scale: float = 1.0) -> list[Table]:
    p = People(seed)
    s = lambda n: max(10, int(n * scale))  # noqa: E731
    return [
        residents(p, s(2000)),
        consultations(p, s(800)),
        memo(p, s(400)),
        aed(p, s(300)),
        evacuation(p, s(200)),
        facilities(p, s(200)),
        titled_xlsx(p, s(100)),
    ]


def big_rows(seed: int, n: int):
    """Rows of a 10-column register for the speed run (pools keep generation fast)."""
    p = People(seed)
    names = [p.name() for _ in range(3000)]
    texts = [_free_text(p)[0] for _ in range(2000)]
    yield ["受付番号", "氏名", "フリガナ", "性別", "生年月日", "年齢", "住所", "電話番号", "町丁目", "備考"]
    for i in range(n):
        name, kana, _ = names[p.rnd.randrange(len(names))]
        r = p.rnd.random()
        note = (
            texts[p.rnd.randrange(len(texts))]
            if r < 0.2
            else _free_text(p)[0]
            if r < 0.3
            else _public_text(p)
        )
        yield [
            f"{i + 1:07d}",
            name,
            kana,
            p.rnd.choice(["男", "女"]),
            p.dob(),
            str(p.rnd.randint(0, 99)),
            p.address()[0],
            p.phone(),
            p.rnd.choice(TOWNS),
            note,
        ]
