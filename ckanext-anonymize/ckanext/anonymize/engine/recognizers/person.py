"""Personal names (氏名), kanji, kana or Latin, from GiNZA: Sudachi's 人名 tags first, NER to confirm.

The tokenizer's dictionary tags surnames and given names (名詞-固有名詞-人名-姓/名) at thousands of
texts a second; the NER model costs ~15 ms a text. So a name is taken from the tags when they
are unambiguous (surname + given name, or a name before an honorific such as さん/様/氏, or
after a word such as 氏名/担当), and NER (``Person`` entities) is asked only about a lone name-like
token with no such cue: :meth:`PersonRecognizer.needs_ner` tells the engine which texts those are.
"""

from __future__ import annotations

import itertools
import re

from presidio_analyzer import EntityRecognizer, RecognizerResult

ENTITY = "PERSON"
NAME_TAG = "名詞-固有名詞-人名"
NER_LABELS = ("Person",)
HONORIFICS = (
    "さん",
    "様",
    "さま",
    "氏",
    "君",
    "くん",
    "ちゃん",
    "殿",
    "先生",
    "議員",
    "委員",
    "委員長",
    "会長",
    "議長",
    "市長",
    "町長",
    "村長",
    "社長",
    "部長",
    "課長",
    "係長",
    "主任",
    "教諭",
    "医師",
    "弁護士",
    "容疑者",
    "被告",
    "方",
    "宛",
    "あて",
    "夫妻",
    "一家",
    "宅",
    "家",
)
# Family relations written before a member's name (世帯員：妻 花子、長男 一郎).
RELATIONS = (
    "父",
    "母",
    "妻",
    "夫",
    "長男",
    "長女",
    "次男",
    "次女",
    "三男",
    "三女",
    "祖父",
    "祖母",
    "孫",
    "兄",
    "姉",
    "弟",
    "妹",
    "義父",
    "義母",
    "子",
)
CONTEXT = (
    "氏名",
    "名前",
    "お名前",
    "担当",
    "申請者",
    "代表者",
    "届出人",
    "相談者",
    "患者",
    "保護者",
    "世帯主",
    "契約者",
    "利用者",
    "本人",
    "児童",
    "生徒",
    "Mr",
    "Ms",
    "Mrs",
    "name",
) + RELATIONS
CERTAIN, CUED, UNSURE = 0.85, 0.75, 0.35
# Words after which a name usually follows or before which one stands: NER is asked when
# they occur and the tags found nothing.
CUE_WORDS = ("さん", "様", "氏名", "本人", "担当", "申請者", "名義", "代表者", "保護者", "届出人", "相談者")
_KATAKANA = re.compile(r"[ァ-ヴー]+")
_GROUP_ROLE = re.compile(r"[0-9０-９]+班(?:班長|長|員)?")  # 「山口1班班長」
_WEEKDAYS = re.compile(r"[月火水木金土日祝・、 ]+")
_LATIN = re.compile(r"[A-Z][a-z]+")


# Nouns that follow a surname without being a given name (「佐藤病院」, 「田中課長」).
NOT_GIVEN = frozenset(
    (
        "病院",
        "医院",
        "歯科",
        "商店",
        "会館",
        "公園",
        "工業",
        "建設",
        "組",
        "家",
        "様方",
        "町",
        "駅",
        "店",
        "橋",
        "川",
        "山",
        "邸",
        "宅",
        "線",
        "通り",
        "自治会",
        "地区",
        "小学校",
        "中学校",
        "高校",
        "保育所",
        "幼稚園",
    )
)
_GIVEN = re.compile(r"[一-龥々ぁ-んァ-ヴー]{1,4}")
_SURNAME = re.compile(r"[一-龥々]{1,3}")


def _is_name(token) -> bool:
    return token.tag_.startswith(NAME_TAG)


def _is_space(token) -> bool:
    return token.is_space or token.tag_.startswith("空白")


def _joinable(token) -> bool:
    # Kana or Latin halves that the dictionary does not know (ヤマシタ サトミ, John Smith).
    text = token.text
    return bool(_KATAKANA.fullmatch(text) or _LATIN.fullmatch(text)) and len(text) <= 12


def _given_like(token) -> bool:
    """A short noun right after a surname: a given name the dictionary does not tag (太一, 零).
    A single kana is not one (「森 ぎふ」 is split 森 | ぎ | ふ)."""
    tag, text = token.tag_, token.text
    if len(text) == 1 and not re.match(r"[一-龥々]", text):
        return False
    return (
        tag.startswith("名詞")
        and "助数詞" not in tag
        and bool(_GIVEN.fullmatch(text))
        and text not in HONORIFICS
        and text not in NOT_GIVEN
        and text not in CONTEXT
        and not (tag.startswith("名詞-数詞") and not re.search(r"[一-龥]", text))
    )


def _surname_like(token) -> bool:
    """A short kanji noun right before a tagged given name (林 裕樹)."""
    return (
        token.tag_.startswith(("名詞-普通名詞-一般", "名詞-固有名詞"))
        and bool(_SURNAME.fullmatch(token.text))
        and token.text not in CONTEXT
    )


def candidates(doc) -> list[tuple[int, int, float]]:
    """(start_char, end_char, score) of name runs found by the tags and cues, NER aside."""
    spans = []
    tokens = list(doc)
    n = len(tokens)
    i = 0
    while i < n:
        if not _is_name(tokens[i]):
            i += 1
            continue
        first, last, names = i, i, 1
        # Extend to the right over names, kana/Latin halves and an untagged given name.
        j = i + 1
        while j < n:
            k = j + 1 if _is_space(tokens[j]) else j
            if k >= n:
                break
            t, prev = tokens[k], tokens[last]
            if (
                _is_name(t)
                or (_joinable(t) and (_joinable(prev) or _is_name(prev)))
                or (names == 1 and not prev.tag_.endswith("-名") and _given_like(t))
            ):
                pass
            else:
                break
            last, names, j = k, names + 1, k + 1
        # A surname or kana half on the left that the dictionary did not tag.
        if tokens[first].tag_.endswith("-名") or _KATAKANA.fullmatch(tokens[first].text):
            k = first - 1
            if k >= 0 and _is_space(tokens[k]):
                k -= 1
            if (
                k >= 0
                and not _is_name(tokens[k])
                and (_surname_like(tokens[k]) or (_joinable(tokens[k]) and _joinable(tokens[first])))
            ):
                first, names = k, names + 1
        start, end = tokens[first].idx, tokens[last].idx + len(tokens[last].text)
        if _WEEKDAYS.fullmatch(doc.text[start:end]):
            i = last + 1
            continue  # 「月火水木金」: days of the week, not 木 + 金
        after = doc.text[end : end + 6]
        before = doc.text[max(0, start - 8) : start]
        if names >= 2 or after.lstrip(" ").startswith(HONORIFICS) or _GROUP_ROLE.match(after):
            score = CERTAIN
        elif any(c.lower() in before.lower() for c in CONTEXT):
            score = CUED
        else:
            score = UNSURE
        spans.append((start, end, score))
        i = last + 1
    return spans + _households(tokens) + _relatives(tokens, doc.text) + _speakers(doc.text)


# Minutes: 「○石川会長：」「○山口1班班長：」 — the speaker's name before a role and a colon.
_SPEAKER = re.compile(
    r"(?:^|\n)[○◯〇●◎] ?([一-龥々]{1,4}?)(?:[0-9]+班)?(?:副?会長|班長|委員長?|部長|会計|書記|監事|理事|"
    r"幹事|顧問|議長|副議長|代表|事務局長)?[：:]"
)
_NOT_SPEAKER = ("事務局", "司会", "議長", "会長", "委員", "市", "全員", "一同", "参加者", "出席者", "欠席者")


def _speakers(text: str) -> list[tuple[int, int, float]]:
    spans = []
    for m in _SPEAKER.finditer(text):
        name = m.group(1)
        if name and name not in _NOT_SPEAKER and not name.endswith(("課", "係", "室", "局", "部", "会")):
            spans.append((m.start(1), m.end(1), CUED))
    return spans


# 「松本宅」「佐藤方」: a proper noun (a surname that is also a place) before 宅 / 方 is a household.
HOUSEHOLD = ("宅", "方", "様方", "さん宅", "様宅")
# Roles that follow a person's name (石川会長, 山口班長): a place-name surname before them is a person.
PERSON_ROLES = (
    "会長",
    "副会長",
    "班長",
    "委員",
    "委員長",
    "部長",
    "理事",
    "監事",
    "会計",
    "書記",
    "幹事",
    "顧問",
    "さん",
    "様",
    "氏",
    "先生",
    "君",
    "くん",
    "ちゃん",
)
_SHORT_NAME = re.compile(r"[一-龥々]{1,3}|[ぁ-んァ-ヴー]{2,5}")
# Words after a relation that are not a member's name (父自宅, 母携帯, 妻名義).
NOT_A_MEMBER = frozenset(
    (
        "自宅",
        "携帯",
        "勤務先",
        "職場",
        "会社",
        "実家",
        "名義",
        "同居",
        "別居",
        "不明",
        "なし",
        "無し",
        "本人",
        "代理",
        "死亡",
        "宛",
        "あて",
        "様",
        "方",
        "宅",
        "方面",
        "家",
        "子",
        "兄弟",
        "姉妹",
        "連絡",
        "電話",
        "同上",
        "以下",
        "及び",
    )
)
_ENDS = ("、", ",", "，", "）", ")", "(", "（", "・", "/", "／", "。", " ", "　")


def _households(tokens) -> list[tuple[int, int, float]]:
    spans = []
    for t, nxt in itertools.pairwise(tokens):
        if (
            t.tag_.startswith("名詞-固有名詞")
            and not t.tag_.startswith(NAME_TAG)
            and nxt.text in HOUSEHOLD + PERSON_ROLES
            and _SHORT_NAME.fullmatch(t.text)
        ):
            spans.append((t.idx, t.idx + len(t.text), CERTAIN))
    return spans


def _relatives(tokens, text: str) -> list[tuple[int, int, float]]:
    """「世帯員：妻 花子、長男 一郎」: a short noun after a family relation, standing alone (a
    delimiter or the end after it), is a member's given name the dictionary may not tag (幹)."""
    spans = []
    for k, t in enumerate(tokens[:-1]):
        if t.text not in RELATIONS:
            continue
        j = k + 1
        if _is_space(tokens[j]) and j + 1 < len(tokens):
            j += 1
        name = tokens[j]
        end = name.idx + len(name.text)
        if (
            not name.tag_.startswith("名詞")
            or not _SHORT_NAME.fullmatch(name.text)
            or name.text in RELATIONS
            or name.text in HONORIFICS
            or name.text in NOT_A_MEMBER
            or _is_name(name)
        ):
            continue
        if end < len(text) and not text[end:].startswith(_ENDS + HONORIFICS):
            continue
        spans.append((name.idx, end, CUED))
    return spans


def cue_without_name(doc) -> bool:
    """A person cue (「本人は」, 「様」) in a text where the tags found no name: NER should look."""
    text = doc.text
    return any(w in text for w in CUE_WORDS)


class PersonRecognizer(EntityRecognizer):
    """PERSON from the spaCy doc that the engine computed (tags always; NER entities when run)."""

    def __init__(self, supported_language: str = "ja", threshold: float = 0.5):
        super().__init__(
            supported_entities=[ENTITY], name="JaPersonRecognizer", supported_language=supported_language
        )
        self.threshold = threshold

    def load(self) -> None:  # the model is loaded by the engine, once
        pass

    def needs_ner(self, doc) -> bool:
        """Whether NER should look at this doc: a name-like token that the tags cannot decide."""
        found = candidates(doc)
        if not found:
            return cue_without_name(doc)
        return any(score < self.threshold for _, _, score in found)

    def analyze(self, text: str, entities: list[str], nlp_artifacts=None) -> list[RecognizerResult]:
        if nlp_artifacts is None or nlp_artifacts.tokens is None:
            return []
        doc = nlp_artifacts.tokens
        results = []
        ner = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in NER_LABELS]
        for start, end in ner:
            results.append(self._result(start, end, CERTAIN, "ner"))
        for start, end, score in candidates(doc):
            if score < self.threshold and any(s < end and start < e for s, e in ner):
                continue  # NER has spoken for this one
            results.append(self._result(start, end, score, "tags"))
        return results

    def _result(self, start: int, end: int, score: float, how: str) -> RecognizerResult:
        return RecognizerResult(
            ENTITY,
            start,
            end,
            score,
            recognition_metadata={
                RecognizerResult.RECOGNIZER_NAME_KEY: self.name,
                RecognizerResult.RECOGNIZER_IDENTIFIER_KEY: self.id,
                RecognizerResult.IS_SCORE_ENHANCED_BY_CONTEXT_KEY: True,
                "source": how,
            },
        )
