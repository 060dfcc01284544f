"""Subject keys: normalisation of a resident's identifying attributes and their keyed hashes.

Pure Python, no CKAN imports: the registry (when a resident files an opt-out) and the suppression
stage (for every row of a published file) call the same functions, so the same person written two
ways gives the same key.

Attributes and how they are normalised (every value first goes through NFKC, which folds
full-width letters/digits/spaces and half-width katakana, and loses control characters):

``name``        all spaces (half- and full-width) and middle dots removed, common variant kanji
                folded (髙→高, 﨑→崎, 邊→辺, 齋→斎 ...), Latin letters case-folded.

                >>> normalize_name("山田　太郎") == normalize_name("山田 太郎") == normalize_name("山田太郎")
                True
                >>> normalize_name("髙橋 一郎")
                '高橋一郎'

``name_kana``   hiragana → katakana, half-width → full-width, small kana → large, ヴァ/ヴ/ヂ/ヅ/ヲ →
                バ/ブ/ジ/ズ/オ, long-vowel marks, spaces and dots removed.

                >>> normalize_kana("やまだ　たろう") == normalize_kana("ﾔﾏﾀﾞ ﾀﾛｳ")
                True

``birth_date``  ISO ``YYYY-MM-DD`` from 西暦 or 和暦 (明治, 大正, 昭和, 平成, 令和, their initials
                M/T/S/H/R, 元年, kanji numerals).

                >>> normalize_birth_date("昭和55年3月1日")
                '1980-03-01'
                >>> normalize_birth_date("S55.3.1")
                '1980-03-01'
                >>> normalize_birth_date("令和元年5月1日")
                '2019-05-01'

``address``     prefecture dropped when a city/郡 follows, 大字 dropped, 丁目/番地/番/号/の between
                numbers written as hyphens, kanji numerals before them as digits.

                >>> normalize_address("岐阜県岐阜市今沢町１８番地")
                '岐阜市今沢町18'
                >>> normalize_address("岐阜市長良福光二丁目3番4号") == normalize_address("岐阜市長良福光2-3-4")
                True

Keyed hashing: HMAC-SHA256 with a key derived from the configured secret. A subject is stored as one
digest per non-empty combination of its attributes (``"birth_date+name"`` ...), so a resource that
identifies people by 氏名 + 生年月日 only is matched against exactly that combination; nothing in
the registry can be turned back into a name without the secret.

References and tokens (what the resident keeps) are Crockford base-32, typed back tolerantly.
"""

from __future__ import annotations

import hashlib
import hmac
import itertools
import re
import secrets
import unicodedata
from collections.abc import Iterable, Mapping

from ckanext.jatext import wareki
from ckanext.jatext.kana import reading_key
from ckanext.jatext.numbers import kanji_to_int

ATTRIBUTES = ("name", "name_kana", "birth_date", "address")

# Japanese labels of the attributes (forms, reports).
ATTRIBUTE_LABELS = {
    "name": "氏名",
    "name_kana": "氏名（フリガナ）",
    "birth_date": "生年月日",
    "address": "住所",
}


class NormalisationError(ValueError):
    """A value cannot be normalised (e.g. a date that is no date)."""


# ---------------------------------------------------------------------------------------------
# Common folding

_SPACES = re.compile(r"[\s\u3000\u200b\ufeff]+")
_DOTS = re.compile(r"[・･·•.\u2027]")


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def _base(value: object) -> str:
    """NFKC, without control characters, stripped."""
    text = unicodedata.normalize("NFKC", "" if value is None else str(value))
    return _CONTROL.sub("", text).strip()


# Variant kanji often found in personal names (異体字), folded to the common form. Folding only
# ever makes more strings equal: a rare false match suppresses a row, which is the safe direction.
_KANJI_VARIANTS = str.maketrans(
    {
        "髙": "高",
        "﨑": "崎",
        "嵜": "崎",
        "碕": "崎",
        "邊": "辺",
        "邉": "辺",
        "齋": "斎",
        "齊": "斉",
        "澤": "沢",
        "濱": "浜",
        "濵": "浜",
        "櫻": "桜",
        "廣": "広",
        "國": "国",
        "冨": "富",
        "德": "徳",
        "眞": "真",
        "惠": "恵",
        "瀨": "瀬",
        "槇": "槙",
        "藪": "薮",
        "龍": "竜",
        "會": "会",
        "榮": "栄",
        "實": "実",
        "壽": "寿",
        "彌": "弥",
        "淺": "浅",
        "萬": "万",
        "條": "条",
        "增": "増",
        "檜": "桧",
        "籠": "篭",
        "曾": "曽",
        "圓": "円",
        "戶": "戸",
        "黑": "黒",
        "學": "学",
        "兒": "児",
        "嶋": "島",
        "嶌": "島",
        "舘": "館",
    }
)


def normalize_name(value: object) -> str:
    """A personal name written in kanji, kana or Latin letters, folded for matching."""
    text = _base(value)
    text = _SPACES.sub("", text)
    text = _DOTS.sub("", text)
    return text.translate(_KANJI_VARIANTS).casefold()


def normalize_kana(value: object) -> str:
    """A reading (フリガナ / ふりがな) folded to large katakana without marks or spaces
    (the text core's reading key)."""
    return reading_key(value)


# ---------------------------------------------------------------------------------------------
# Dates: 西暦 and 和暦, read by the text core (the scrubber reads them with the same code)


def normalize_birth_date(value: object) -> str:
    """A date of birth in 西暦 or 和暦 as ISO ``YYYY-MM-DD``; raises :class:`NormalisationError`.

    >>> normalize_birth_date("1980/3/1"), normalize_birth_date("１９８０年３月１日")
    ('1980-03-01', '1980-03-01')
    >>> normalize_birth_date("昭和五十五年三月一日"), normalize_birth_date("㍼55年3月1日")
    ('1980-03-01', '1980-03-01')
    >>> normalize_birth_date("h1.1.8"), normalize_birth_date("19800301")
    ('1989-01-08', '1980-03-01')
    """
    # Lenient about era ends: a resident may write 平成31年5月1日 for 2019-05-01.
    date = wareki.parse(_base(value), strict=False)
    if date is None:
        raise NormalisationError("not a recognised date (西暦 or 和暦)")
    return date.isoformat()


# ---------------------------------------------------------------------------------------------
# Addresses

_HYPHENS = "-‐‑‒–—―−－ｰー─━"
_NUMBER_HYPHEN = re.compile("(\\d)[" + re.escape(_HYPHENS) + "](?=\\d)")
_PREFECTURE = re.compile(r"^(?:東京都|北海道|京都府|大阪府|[^\d\s市区町村郡]{2,3}県)(?=.+?[市郡区])")
_ADDRESS_KANJI_NUMBER = re.compile(r"[〇一二三四五六七八九十百]+(?=丁目|番地|番|号|の\d|-)")


def normalize_address(value: object) -> str:
    """An address folded so that notations of the same place compare equal."""
    text = _base(value)
    text = _SPACES.sub("", text)
    text = _PREFECTURE.sub("", text, count=1)
    text = text.replace("大字", "")
    text = _ADDRESS_KANJI_NUMBER.sub(lambda match: str(kanji_to_int(match.group(0))), text)
    text = _NUMBER_HYPHEN.sub(r"\1-", text)
    text = re.sub(r"(\d+)丁目", r"\1-", text)
    text = re.sub(r"(\d+)番地の?", r"\1-", text)
    text = re.sub(r"(\d+)番", r"\1-", text)
    text = re.sub(r"(\d+)号", r"\1-", text)
    text = re.sub(r"(\d)の(?=\d)", r"\1-", text)
    text = re.sub(r"-{2,}", "-", text)
    text = re.sub(r"-(?!\d)", "", text)  # 18- at the end or before a building
    return text.casefold()


NORMALIZERS = {
    "name": normalize_name,
    "name_kana": normalize_kana,
    "birth_date": normalize_birth_date,
    "address": normalize_address,
}


def normalize(attribute: str, value: object) -> str:
    """Normalise one attribute; raises :class:`NormalisationError` when nothing is left."""
    try:
        normalizer = NORMALIZERS[attribute]
    except KeyError:
        raise NormalisationError(f"unknown attribute: {attribute}") from None
    result = normalizer(value)
    if not result:
        raise NormalisationError(f"empty {attribute}")
    return result


# ---------------------------------------------------------------------------------------------
# Keyed hashes


def combination(attributes: Iterable[str]) -> str:
    """The name of an attribute combination, independent of order: ``"birth_date+name"``."""
    return "+".join(sorted(set(attributes)))


def combinations(attributes: Iterable[str]) -> list[tuple[str, ...]]:
    """Every non-empty combination of the given attributes (sorted tuples)."""
    attrs = sorted(set(attributes))
    return [c for n in range(1, len(attrs) + 1) for c in itertools.combinations(attrs, n)]


class KeyedHasher:
    """HMAC-SHA256 of normalised subject attributes and of request tokens.

    Two keys are derived from the configured secret, one for subjects and one for tokens, so a
    digest of one kind can never be confused with the other.

    >>> hasher = KeyedHasher("s3cret")
    >>> a = hasher.subject_digest({"name": "山田　太郎", "birth_date": "昭和55年3月1日"})
    >>> b = hasher.subject_digest({"birth_date": "1980-03-01", "name": "山田 太郎"})
    >>> a == b and len(a) == 64
    True
    >>> a == KeyedHasher("other").subject_digest({"name": "山田太郎", "birth_date": "S55.3.1"})
    False
    """

    def __init__(self, secret: str | bytes):
        if not secret:
            raise ValueError("ckanext.optout.secret is empty")
        raw = secret.encode("utf-8") if isinstance(secret, str) else secret
        self._subject_key = hmac.new(raw, b"ckanext.optout/subject/v1", hashlib.sha256).digest()
        self._token_key = hmac.new(raw, b"ckanext.optout/token/v1", hashlib.sha256).digest()
        # Names the secret without revealing it: stored with every request, so a changed secret
        # is noticed (digests made with another secret would silently stop matching).
        self.key_id = hmac.new(raw, b"ckanext.optout/key-id/v1", hashlib.sha256).hexdigest()[:16]

    def digest_bytes(self, normalised: Mapping[str, str]) -> bytes:
        """Digest (32 bytes) of attribute values that are already normalised."""
        message = "\x1f".join(f"{attr}={normalised[attr]}" for attr in sorted(normalised))
        return hmac.digest(self._subject_key, message.encode("utf-8"), "sha256")

    def digest_pairs(self, pairs: Iterable[tuple[str, str]]) -> bytes:
        """Like :meth:`digest_bytes` for ``(attribute, value)`` pairs already sorted by attribute
        (the suppression stage's hot path)."""
        message = "\x1f".join(f"{attr}={value}" for attr, value in pairs)
        return hmac.digest(self._subject_key, message.encode("utf-8"), "sha256")

    def digest_normalised(self, normalised: Mapping[str, str]) -> str:
        """Hex digest of attribute values that are already normalised (what the registry stores)."""
        return self.digest_bytes(normalised).hex()

    def subject_digest(self, subject: Mapping[str, object]) -> str:
        """Digest of the attributes given (all of them, normalised)."""
        return self.digest_normalised({a: normalize(a, v) for a, v in subject.items()})

    def subject_keys(self, subject: Mapping[str, object]) -> dict[str, str]:
        """One digest per non-empty combination of the non-empty attributes of ``subject``.

        Raises :class:`NormalisationError` for an unknown attribute or a value that does not
        normalise (a requester must give a real date of birth).
        """
        normalised = {a: normalize(a, v) for a, v in subject.items() if v is not None and str(v).strip()}
        if not normalised:
            raise NormalisationError("no attribute given")
        return {
            "+".join(combo): self.digest_normalised({a: normalised[a] for a in combo})
            for combo in combinations(normalised)
        }

    def token_hash(self, token: str) -> str:
        return hmac.new(self._token_key, normalize_code(token).encode("ascii"), hashlib.sha256).hexdigest()

    def token_matches(self, token: str, stored_hash: str) -> bool:
        return hmac.compare_digest(self.token_hash(token), stored_hash or "")


# ---------------------------------------------------------------------------------------------
# References and tokens: Crockford base-32 (no I, L, O, U), grouped for reading aloud.

_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_CODE_SEPARATORS = re.compile("[\\s" + re.escape(_HYPHENS) + "]")
_CODE_FOLD = str.maketrans({"O": "0", "I": "1", "L": "1"})


def _random_code(length: int) -> str:
    return "".join(secrets.choice(_CROCKFORD) for _ in range(length))


def _group(code: str, size: int = 4) -> str:
    return "-".join(code[i : i + size] for i in range(0, len(code), size))


def new_reference() -> str:
    """A request's reference number, e.g. ``OPT-7K3M-Q9XP`` (40 bits; not a secret)."""
    return "OPT-" + _group(_random_code(8))


def new_token() -> str:
    """A resident's secret token, e.g. ``4F7Q-...`` (20 symbols, 100 bits)."""
    return _group(_random_code(20))


def normalize_code(code: object) -> str:
    """A reference or token as typed (widths, case, spaces, hyphens, O/0, I/L/1) folded.

    >>> normalize_code(" opt-7k3m ｑ9ＸＰ") == normalize_code("OPT7K3MQ9XP")
    True
    """
    text = _base(code).upper()
    text = _CODE_SEPARATORS.sub("", text)
    if text.startswith("OPT"):
        return "OPT" + text[3:].translate(_CODE_FOLD)
    return text.translate(_CODE_FOLD)


def format_reference(code: object) -> str:
    """The canonical spelling of a reference as typed by someone (``OPT-XXXX-XXXX``)."""
    text = normalize_code(code)
    if text.startswith("OPT"):
        return "OPT-" + _group(text[3:])
    return text
