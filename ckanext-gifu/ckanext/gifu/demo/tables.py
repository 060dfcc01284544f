"""Synthetic CSV tables for the demo catalogue, in the column layouts of the 自治体標準オープンデータセット.

Every table is generated from a random generator seeded with its name, so the bytes are the same on
every run (load-demo compares them to decide whether a resource changed). UTF-8 with BOM, CRLF:
what the standard recommends and what Excel opens without mojibake.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
import zlib
from collections.abc import Callable, Iterable

from ckanext.gifu.demo import places as pl

Table = tuple[list[str], list[list[object]]]
AS_OF = dt.date(2025, 4, 1)


def to_csv(table: Table) -> bytes:
    header, rows = table
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def rng(name: str) -> random.Random:
    return random.Random(zlib.crc32(name.encode("utf-8")))


def _coords(r: random.Random) -> tuple[float, float]:
    lat, lon = pl.CENTRE
    return round(lat + r.uniform(-0.045, 0.05), 6), round(lon + r.uniform(-0.05, 0.045), 6)


def _address(r: random.Random) -> str:
    return f"{pl.PREFECTURE}{pl.MUNICIPALITY}{r.choice(pl.TOWNS)}{r.randint(1, 9)}丁目{r.randint(1, 40)}番地"


def _phone(r: random.Random) -> str:
    # Gifu's area code with exchange 000, which is never assigned: shaped like a real number, but
    # no random digits can reach a real line.
    return f"058-000-{r.randint(1000, 9999)}"


_HEAD = ["全国地方公共団体コード", "ID", "地方公共団体名"]


def _facilities(
    name: str,
    names: Iterable[tuple[str, str]],
    extra_header: list[str],
    extra: Callable[[random.Random, str], list[object]],
) -> Table:
    """The common facility layout (公共施設一覧 and relatives): code, ID, name, kana, address, lat/lon..."""
    r = rng(name)
    header = (
        _HEAD + ["名称", "名称_カナ", "住所", "方書", "緯度", "経度", "電話番号"] + extra_header + ["備考"]
    )
    rows = []
    for i, (title, kana) in enumerate(names, 1):
        lat, lon = _coords(r)
        rows.append(
            [
                pl.CODE,
                f"{i:06d}",
                pl.MUNICIPALITY,
                title,
                kana,
                _address(r),
                "",
                lat,
                lon,
                _phone(r),
                *extra(r, title),
                "",
            ]
        )
    return header, rows


def _district_facilities(kind: str, kana: str, districts: int = 30) -> list[tuple[str, str]]:
    return [(f"{d}{kind}", kana) for d in pl.DISTRICTS[:districts]]


def _hours(r: random.Random) -> list[object]:
    return ["月火水木金", "08:30", "17:15", "祝日・年末年始を除く"]


def aed() -> Table:
    names = [(n, k) for n, k, *_ in pl.LANDMARKS] + _district_facilities(
        "コミュニティセンター", "コミュニティセンター"
    )
    return _facilities(
        "aed",
        names,
        ["設置位置", "利用可能曜日", "開始時間", "終了時間", "利用可能日時特記事項", "小児対応設備の有無"],
        lambda r, t: [
            r.choice(["1階正面玄関", "1階事務室前", "2階ロビー", "受付横"]),
            *_hours(r),
            r.choice(["有", "無"]),
        ],
    )


def evacuation_sites() -> Table:
    r = rng("evacuation")
    header = [
        "市区町村コード",
        "NO",
        "指定緊急避難場所名称",
        "住所",
        "緯度",
        "経度",
        "標高",
        "災害種別_洪水",
        "災害種別_崖崩れ、土石流及び地滑り",
        "災害種別_地震",
        "災害種別_大規模な火事",
        "災害種別_内水氾濫",
        "指定避難所との住所同一",
        "想定収容人数",
        "対象となる町会・自治会",
        "備考",
    ]
    rows = []
    for _i, d in enumerate(pl.DISTRICTS, 1):
        for kind in ("小学校", "公園"):
            lat, lon = _coords(r)
            flood = "" if kind == "公園" and r.random() < 0.5 else 1
            rows.append(
                [
                    pl.CODE,
                    len(rows) + 1,
                    f"岐阜市立{d}{kind}" if kind == "小学校" else f"{d}公園",
                    _address(r),
                    lat,
                    lon,
                    round(r.uniform(9, 40), 1),
                    flood,
                    "" if r.random() < 0.8 else 1,
                    1,
                    1,
                    flood,
                    1 if kind == "小学校" else "",
                    r.randint(200, 1500),
                    f"{d}地区自治会連合会",
                    "",
                ]
            )
    return header, rows


def public_facilities() -> Table:
    names = [(n, k) for n, k, *_ in pl.LANDMARKS] + _district_facilities(
        "コミュニティセンター", "コミュニティセンター", 50
    )
    kinds = {n: kind for n, _k, _a, _la, _lo, kind in pl.LANDMARKS}
    return _facilities(
        "public-facilities",
        names,
        [
            "POIコード",
            "種別",
            "利用可能曜日",
            "開始時間",
            "終了時間",
            "利用可能日時特記事項",
            "バリアフリー情報",
        ],
        lambda r, t: [
            r.choice(["1101", "1201", "1304"]),
            kinds.get(t, "集会施設"),
            *_hours(r),
            r.choice(["多目的トイレ・スロープあり", "エレベーターあり", "段差あり"]),
        ],
    )


def population_by_area_age() -> Table:
    r = rng("population-age")
    bands = [f"{a}-{a + 4}歳" for a in range(0, 100, 5)] + ["100歳以上"]
    header = [
        "全国地方公共団体コード",
        "地方公共団体名",
        "調査年月日",
        "地域コード",
        "地域名",
        "総数",
        "男",
        "女",
    ]
    header += [f"{b}_{s}" for b in bands for s in ("男", "女")]
    rows = []
    for i, d in enumerate(pl.DISTRICTS, 1):
        counts = []
        for j, _b in enumerate(bands):
            base = max(0, int(r.gauss(380 - abs(j - 10) * 25, 40)))
            counts += [base + r.randint(-30, 30) if base > 30 else base, base + r.randint(-20, 40)]
        counts = [max(0, c) for c in counts]
        male, female = sum(counts[0::2]), sum(counts[1::2])
        rows.append(
            [
                pl.CODE,
                pl.MUNICIPALITY,
                AS_OF.isoformat(),
                f"{i:03d}",
                f"{d}地区",
                male + female,
                male,
                female,
                *counts,
            ]
        )
    return header, rows


def childcare() -> Table:
    names = []
    for d in pl.DISTRICTS[:36]:
        names.append((f"{d}保育所", "ホイクショ"))
        if len(names) % 3 == 0:
            names.append((f"{d}児童館", "ジドウカン"))
    return _facilities(
        "childcare",
        names,
        ["種別", "定員", "受入年齢", "一時預かり", "延長保育"],
        lambda r, t: [
            "児童館" if t.endswith("児童館") else r.choice(["認可保育所", "認定こども園"]),
            r.choice([60, 90, 120, 150]),
            "0歳6か月～就学前" if "保育" in t else "0～18歳",
            r.choice(["有", "無"]),
            r.choice(["有", "無"]),
        ],
    )


def cultural_properties() -> Table:
    r = rng("cultural")
    header = _HEAD + [
        "名称",
        "名称_カナ",
        "文化財分類",
        "種類",
        "指定日",
        "所在地",
        "緯度",
        "経度",
        "説明",
        "備考",
    ]
    items = [
        ("岐阜城跡", "ギフジョウアト", "国指定", "史跡"),
        ("長良川の鵜飼漁の技術", "ナガラガワノウカイリョウノギジュツ", "国指定", "重要無形民俗文化財"),
        ("金華山の原生林", "キンカザンノゲンセイリン", "市指定", "天然記念物"),
        ("岐阜提灯の製作技術", "ギフチョウチンノセイサクギジュツ", "市指定", "無形文化財"),
        ("加納城跡", "カノウジョウアト", "国指定", "史跡"),
        ("伊奈波神社の石灯籠", "イナバジンジャノイシドウロウ", "市指定", "有形文化財"),
        ("正法寺の大仏（岐阜大仏）", "ショウボウジノダイブツ", "県指定", "有形文化財"),
        ("岐阜和傘の製作技術", "ギフワガサノセイサクギジュツ", "市指定", "無形文化財"),
    ]
    rows = []
    for i, (name, kana, cls, kind) in enumerate(items, 1):
        lat, lon = _coords(r)
        rows.append(
            [
                pl.CODE,
                f"{i:06d}",
                pl.MUNICIPALITY,
                name,
                kana,
                cls,
                kind,
                dt.date(1950 + r.randint(0, 60), r.randint(1, 12), r.randint(1, 28)).isoformat(),
                _address(r),
                lat,
                lon,
                f"{name}（デモ用の説明文）",
                "",
            ]
        )
    return header, rows


def tourist_facilities() -> Table:
    names = [
        (n, k) for n, k, _a, _la, _lo, kind in pl.LANDMARKS if kind in ("観光施設", "公園", "史跡", "博物館")
    ]
    names += [
        ("長良川温泉", "ナガラガワオンセン"),
        ("川原町の町並み", "カワラマチノマチナミ"),
        ("伊奈波神社", "イナバジンジャ"),
        ("正法寺（岐阜大仏）", "ショウボウジ"),
        ("岐阜県庁展望ロビー", "ギフケンチョウテンボウロビー"),
    ]
    return _facilities(
        "tourism",
        names,
        ["カテゴリ", "料金（基本）", "駐車場情報"],
        lambda r, t: [
            r.choice(["歴史", "自然", "体験", "温泉"]),
            r.choice(["無料", "200円", "500円"]),
            r.choice(["有（有料）", "有（無料）", "無"]),
        ],
    )


def events() -> Table:
    r = rng("events")
    header = _HEAD + [
        "イベント名",
        "イベント名_カナ",
        "開始日",
        "終了日",
        "場所名称",
        "住所",
        "緯度",
        "経度",
        "料金",
        "問い合わせ先",
        "備考",
    ]
    items = [
        ("長良川鵜飼 開幕", "ナガラガワウカイカイマク", "長良川鵜飼観覧船事務所"),
        ("ぎふ信長まつり", "ギフノブナガマツリ", "岐阜駅"),
        ("全国花火大会", "ゼンコクハナビタイカイ", "長良川国際会議場"),
        ("岐阜ちょうちん祭り", "ギフチョウチンマツリ", "岐阜公園"),
        ("柳ケ瀬サンデービルヂングマーケット", "ヤナガセサンデービルヂングマーケット", "柳ケ瀬商店街"),
        ("金華山 登山マラソン", "キンカザントザンマラソン", "岐阜公園"),
        ("メディアコスモス 本の日", "メディアコスモスホンノヒ", "みんなの森 ぎふメディアコスモス"),
    ]
    rows = []
    places = {n: (a, la, lo) for n, _k, a, la, lo, _kind in pl.LANDMARKS}
    for i, (name, kana, place) in enumerate(items, 1):
        start = AS_OF + dt.timedelta(days=r.randint(10, 300))
        addr, lat, lon = places[place]
        rows.append(
            [
                pl.CODE,
                f"{i:06d}",
                pl.MUNICIPALITY,
                name,
                kana,
                start.isoformat(),
                (start + dt.timedelta(days=r.randint(0, 2))).isoformat(),
                place,
                f"岐阜県岐阜市{addr}",
                lat,
                lon,
                r.choice(["無料", "有料"]),
                _phone(r),
                "",
            ]
        )
    return header, rows


def wifi() -> Table:
    names = [(n, k) for n, k, *_ in pl.LANDMARKS]
    return _facilities(
        "wifi",
        names,
        ["SSID", "設置者", "利用可能時間"],
        lambda r, t: [
            "Gifu_City_Free_Wi-Fi",
            pl.MUNICIPALITY,
            "24時間" if r.random() < 0.3 else "施設の開館時間",
        ],
    )


def toilets() -> Table:
    names = [(f"{d}公園トイレ", "コウエントイレ") for d in pl.DISTRICTS[:25]] + [
        ("岐阜公園 総合案内所前トイレ", "ギフコウエントイレ")
    ]
    return _facilities(
        "toilets",
        names,
        ["男性トイレ総数", "女性トイレ総数", "バリアフリートイレ数", "オムツ替えシート"],
        lambda r, t: [r.randint(1, 4), r.randint(1, 5), r.randint(0, 2), r.choice(["有", "無"])],
    )


def fire_water() -> Table:
    r = rng("fire-water")
    header = _HEAD + ["種別", "住所", "緯度", "経度", "口径", "備考"]
    rows = []
    for i in range(1, 121):
        lat, lon = _coords(r)
        rows.append(
            [
                pl.CODE,
                f"{i:06d}",
                pl.MUNICIPALITY,
                r.choice(["消火栓", "防火水槽"]),
                _address(r),
                lat,
                lon,
                r.choice(["65", "75", "100", ""]),
                "",
            ]
        )
    return header, rows


def medical() -> Table:
    names = [(f"{d}クリニック", "クリニック") for d in pl.DISTRICTS[:30]] + [
        ("岐阜市民病院", "ギフシミンビョウイン")
    ]
    return _facilities(
        "medical",
        names,
        ["診療科目", "病床数", "休診日"],
        lambda r, t: [
            "内科・小児科" if r.random() < 0.5 else "内科・外科・整形外科",
            400 if t == "岐阜市民病院" else 0,
            r.choice(["日曜・祝日", "木曜午後・日曜・祝日"]),
        ],
    )


def care() -> Table:
    names = [(f"デイサービス{d}", "デイサービス") for d in pl.DISTRICTS[10:40]]
    return _facilities(
        "care",
        names,
        ["サービス種別", "定員", "事業所番号"],
        lambda r, t: [
            r.choice(["通所介護", "訪問介護", "居宅介護支援"]),
            r.choice([15, 20, 30]),
            f"21{r.randint(10000000, 99999999)}",
        ],
    )


def food_permits() -> Table:
    r = rng("food-permits")
    header = _HEAD + ["営業所名称", "営業所所在地", "業種", "許可番号", "許可年月日", "有効期限", "備考"]
    rows = []
    for i in range(1, 81):
        issued = AS_OF - dt.timedelta(days=r.randint(0, 1500))
        rows.append(
            [
                pl.CODE,
                f"{i:06d}",
                pl.MUNICIPALITY,
                # A trade name and its branch: 「食堂ながら 司町店」
                f"{r.choice(['食堂', '菓子処', '弁当', 'カフェ', '鮎料理'])}"
                f"{r.choice(['ながら', 'きんか', 'みなと', 'つかさ', 'かのう', 'やなぎ'])} {r.choice(pl.TOWNS)}店",
                _address(r),
                r.choice(["飲食店営業", "菓子製造業", "そうざい製造業"]),
                f"岐阜市指令 第{r.randint(1000, 9999)}号",
                issued.isoformat(),
                (issued + dt.timedelta(days=365 * 6)).isoformat(),
                "",
            ]
        )
    return header, rows


def school_lunch() -> Table:
    r = rng("school-lunch")
    header = _HEAD + ["提供日", "献立名", "主食", "主菜", "副菜", "汁物", "牛乳", "エネルギー(kcal)", "備考"]
    mains = ["鮎の甘露煮", "鶏の照り焼き", "さばの味噌煮", "ハンバーグ", "肉じゃが", "麻婆豆腐", "鶏ちゃん"]
    rows = []
    day = AS_OF + dt.timedelta(days=7)
    for i in range(1, 41):
        while day.weekday() >= 5:
            day += dt.timedelta(days=1)
        main = r.choice(mains)
        rows.append(
            [
                pl.CODE,
                f"{i:06d}",
                pl.MUNICIPALITY,
                day.isoformat(),
                f"{main}献立",
                r.choice(["ごはん", "パン", "麦ごはん"]),
                main,
                r.choice(["ごまあえ", "切り干し大根の煮物", "サラダ"]),
                r.choice(["みそ汁", "すまし汁", "けんちん汁"]),
                "牛乳",
                r.randint(580, 680),
                "",
            ]
        )
        day += dt.timedelta(days=1)
    return header, rows


def open_data_list(catalogue: list[dict]) -> Table:
    header = _HEAD + ["データ名称", "データ概要", "ライセンス", "更新頻度", "準拠する標準", "URL"]
    rows = [
        [
            pl.CODE,
            f"{i:06d}",
            pl.MUNICIPALITY,
            d["title"],
            d["notes"].split("。")[0] + "。",
            d["license_id"],
            d["frequency"],
            d.get("conforms_to", ""),
            f"/dataset/{d['name']}",
        ]
        for i, d in enumerate(catalogue, 1)
        if not d.get("private")
    ]
    return header, rows


def monthly_series(
    name: str, columns: list[str], base: list[int], months: int = 24, start: dt.date = dt.date(2023, 4, 1)
) -> Table:
    """A monthly statistic with a seasonal swing (tourism peaks in summer and autumn)."""
    r = rng(name)
    rows = []
    for m in range(months):
        month = dt.date(start.year + (start.month - 1 + m) // 12, (start.month - 1 + m) % 12 + 1, 1)
        season = 1.0 + 0.35 * (month.month in (7, 8, 10, 11)) - 0.25 * (month.month in (1, 2))
        rows.append([month.strftime("%Y-%m"), *[int(b * season * r.uniform(0.9, 1.1)) for b in base]])
    return ["年月", *columns], rows


def ukai_passengers() -> Table:
    return monthly_series("ukai", ["乗船者数", "うち外国人"], [18000, 2100])


def kinkazan_visitors() -> Table:
    return monthly_series("kinkazan", ["ロープウェー利用者数", "岐阜城入場者数"], [60000, 38000])


def tourist_visitors() -> Table:
    return monthly_series("visitors", ["岐阜公園", "長良川温泉", "柳ケ瀬"], [120000, 45000, 80000])


def population_monthly() -> Table:
    r = rng("population-monthly")
    rows, pop, households = [], 400_500, 180_200
    for m in range(36):
        month = dt.date(2022 + (3 + m) // 12, (3 + m) % 12 + 1, 1)
        pop += r.randint(-260, 60)
        households += r.randint(-20, 90)
        male = pop * 48 // 100 + r.randint(-100, 100)
        rows.append([month.isoformat(), pl.CODE, pl.MUNICIPALITY, pop, male, pop - male, households])
    return ["調査年月日", "全国地方公共団体コード", "地方公共団体名", "総人口", "男", "女", "世帯数"], rows


def households_by_district() -> Table:
    r = rng("households")
    header = ["調査年月日", "地区名", "世帯数", "人口", "男", "女"]
    rows = []
    for d in pl.DISTRICTS:
        pop = r.randint(3000, 16000)
        male = pop * r.randint(46, 50) // 100
        rows.append([AS_OF.isoformat(), d, pop * 10 // r.randint(21, 26), pop, male, pop - male])
    return header, rows


def flood_zones() -> Table:
    r = rng("flood")
    header = [
        "河川名",
        "地区名",
        "想定最大規模降雨の浸水深(m)",
        "計画規模降雨の浸水深(m)",
        "浸水継続時間(時間)",
        "家屋倒壊等氾濫想定区域",
    ]
    return header, [
        [
            river,
            d,
            round(r.uniform(0.3, 6.0), 1),
            round(r.uniform(0.0, 3.0), 1),
            r.choice([12, 24, 72]),
            r.choice(["該当", "非該当", "非該当"]),
        ]
        for river in pl.RIVERS[:3]
        for d in r.sample(pl.DISTRICTS, 12)
    ]


def bus_stops() -> Table:
    r = rng("bus")
    header = ["停留所ID", "停留所名", "停留所名_カナ", "路線名", "緯度", "経度", "上屋", "ベンチ"]
    rows = []
    for i, d in enumerate(pl.DISTRICTS[:40], 1):
        lat, lon = _coords(r)
        rows.append(
            [
                f"C{i:04d}",
                f"{d}コミュニティセンター前",
                "コミュニティセンターマエ",
                f"{r.choice(['長森', '芥見', '三輪', '西部', '南部'])}コミュニティバス",
                lat,
                lon,
                r.choice(["有", "無"]),
                r.choice(["有", "無"]),
            ]
        )
    return header, rows


def bicycle_parking() -> Table:
    names = [
        ("岐阜駅北口駐輪場", "ギフエキキタグチチュウリンジョウ"),
        ("岐阜駅南口駐輪場", "ギフエキミナミグチチュウリンジョウ"),
        ("名鉄岐阜駅駐輪場", "メイテツギフエキチュウリンジョウ"),
        ("柳ケ瀬駐輪場", "ヤナガセチュウリンジョウ"),
        ("西岐阜駅駐輪場", "ニシギフエキチュウリンジョウ"),
        ("長森駅駐輪場", "ナガモリエキチュウリンジョウ"),
    ]
    return _facilities(
        "bicycle",
        names,
        ["収容台数", "料金", "利用可能時間"],
        lambda r, t: [r.choice([300, 500, 1200]), r.choice(["無料", "1回100円"]), "24時間"],
    )


def parks() -> Table:
    names = [
        ("岐阜公園", "ギフコウエン"),
        ("畜産センター公園", "チクサンセンターコウエン"),
        ("長良公園", "ナガラコウエン"),
        ("清水緑地", "シミズリョクチ"),
        ("金華山緑地", "キンカザンリョクチ"),
        ("長良川河畔公園", "ナガラガワカハンコウエン"),
    ]
    names += [(f"{d}公園", "コウエン") for d in pl.DISTRICTS[:24]]
    return _facilities(
        "parks",
        names,
        ["種別", "面積(ha)", "遊具"],
        lambda r, t: [
            r.choice(["街区公園", "近隣公園", "総合公園", "風致公園"]),
            round(r.uniform(0.1, 30), 2),
            r.choice(["有", "無"]),
        ],
    )


def garbage_schedule() -> Table:
    header = [
        "地区名",
        "燃やすごみ",
        "プラスチック製容器包装",
        "ペットボトル",
        "びん・缶",
        "不燃ごみ",
        "古紙・古布",
    ]
    r = rng("garbage")
    days = ["月・木", "火・金", "水・土"]
    return header, [
        [
            d,
            r.choice(days),
            r.choice(["月", "火", "水", "木", "金"]),
            f"第{r.randint(1, 2)}・第{r.randint(3, 4)}水",
            f"第{r.randint(1, 4)}金",
            f"第{r.randint(1, 4)}火",
            f"第{r.randint(1, 4)}土",
        ]
        for d in pl.DISTRICTS
    ]


def air_quality() -> Table:
    r = rng("air")
    stations = ["岐阜中央", "岐阜南部", "岐阜北部", "岐阜明徳（自排）"]
    header = [
        "測定局",
        "年月",
        "二酸化窒素(ppm)",
        "光化学オキシダント(ppm)",
        "浮遊粒子状物質(mg/m3)",
        "微小粒子状物質PM2.5(μg/m3)",
    ]
    rows = []
    for s in stations:
        for m in range(12):
            rows.append(
                [
                    s,
                    f"2024-{m + 1:02d}",
                    round(r.uniform(0.004, 0.02), 3),
                    round(r.uniform(0.02, 0.05), 3),
                    round(r.uniform(0.008, 0.025), 3),
                    round(r.uniform(5, 15), 1),
                ]
            )
    return header, rows


def budget() -> Table:
    r = rng("budget")
    items = [
        "議会費",
        "総務費",
        "民生費",
        "衛生費",
        "労働費",
        "農林水産業費",
        "商工費",
        "土木費",
        "消防費",
        "教育費",
        "公債費",
        "予備費",
    ]
    header = ["会計", "款", "令和6年度当初予算額(千円)", "令和7年度当初予算額(千円)"]
    return header, [
        ["一般会計", item, v, int(v * r.uniform(0.95, 1.08))]
        for item in items
        for v in [r.randint(800_000, 70_000_000)]
    ]


def _person(r: random.Random, born_from: int = 1940, born_to: int = 2000) -> tuple[str, str, str, str, str]:
    """A synthetic resident: name, reading, birth date, address, phone (see award_recipients)."""
    (fam, fam_k), (giv, giv_k) = r.choice(pl.FAMILY_NAMES), r.choice(pl.GIVEN_NAMES)
    born = dt.date(r.randint(born_from, born_to), r.randint(1, 12), r.randint(1, 28))
    return (
        f"{fam} {giv}",
        f"{fam_k} {giv_k}",
        born.isoformat(),
        f"岐阜県岐阜市{r.choice(pl.TOWNS)}{r.randint(1, 9)}丁目{r.randint(1, 30)}番{r.randint(1, 20)}号",
        f"058-000-{r.randint(1000, 9999)}",
    )


def award_recipients() -> Table:
    """市民表彰 受賞者名簿: synthetic people for the opt-out and anonymisation demos.

    Names are random combinations of common family and given names, birth dates random, addresses
    a real town name with made-up numbers, phone numbers in the non-existent local exchange 000.
    """
    r = rng("award-recipients")
    header = ["氏名", "フリガナ", "生年月日", "住所", "電話番号", "受賞名", "受賞年度", "功績の概要"]
    awards = [
        ("市民栄誉賞", "長年にわたる地域スポーツの振興"),
        ("まちづくり功労賞", "自治会活動と防災訓練の企画運営"),
        ("文化功労賞", "岐阜提灯の技術継承"),
        ("環境美化功労賞", "長良川河川敷の清掃活動"),
        ("福祉功労賞", "子ども食堂の運営"),
        ("教育功労賞", "放課後学習支援ボランティア"),
    ]
    rows = []
    for _i in range(60):
        person = _person(r)
        award, merit = r.choice(awards)
        rows.append([*person, award, f"{r.randint(2019, 2024)}年度", merit])
    return header, rows


def disaster_volunteers() -> Table:
    """災害ボランティア登録者名簿 (synthetic people, as award_recipients)."""
    r = rng("disaster-volunteers")
    header = ["氏名", "フリガナ", "生年月日", "住所", "電話番号", "活動地区", "登録年月日", "資格・技能"]
    skills = ["防災士", "普通救命講習修了", "看護師", "重機操作", "手話", "なし", "なし"]
    rows = []
    for _i in range(40):
        person = _person(r, 1950, 2004)
        registered = AS_OF - dt.timedelta(days=r.randint(30, 2000))
        rows.append([*person, r.choice(pl.DISTRICTS), registered.isoformat(), r.choice(skills)])
    return header, rows


def barber_shops() -> Table:
    """理容所・美容所一覧 with the holder of each licence: many are sole proprietors, so the holder's
    name is personal data (synthetic people, made-up shop names)."""
    r = rng("barber-shops")
    header = ["施設名", "種別", "所在地", "開設者氏名", "開設届出年月日"]
    rows = []
    for _i in range(30):
        name = _person(r)[0]
        kind = r.choice(["理容所", "美容所"])
        shop = f"{r.choice(['ヘアサロン', 'バーバー', '美容室', 'カットハウス'])}{r.choice(pl.DISTRICTS)}"
        opened = dt.date(r.randint(1975, 2024), r.randint(1, 12), r.randint(1, 28))
        rows.append(
            [
                shop,
                kind,
                f"{pl.PREFECTURE}{pl.MUNICIPALITY}{r.choice(pl.TOWNS)}{r.randint(1, 99)}番地",
                name,
                opened.isoformat(),
            ]
        )
    return header, rows
