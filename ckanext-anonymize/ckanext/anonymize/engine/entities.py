"""Entity types the engine knows: their Japanese labels, and which ones block publishing."""

from __future__ import annotations

# The replacement label of each entity type (operator ``replace``), Japanese first.
LABELS: dict[str, str] = {
    "PERSON": "〈氏名〉",
    "JP_ADDRESS": "〈住所〉",
    "PHONE_NUMBER": "〈電話番号〉",
    "MY_NUMBER": "〈個人番号〉",
    "JP_POSTAL_CODE": "〈郵便番号〉",
    "DATE_OF_BIRTH": "〈生年月日〉",
    "EMAIL_ADDRESS": "〈メールアドレス〉",
    "JP_DRIVERS_LICENSE": "〈運転免許証番号〉",
    "JP_PASSPORT": "〈旅券番号〉",
    "JP_RESIDENCE_CARD": "〈在留カード番号〉",
    "JP_BANK_ACCOUNT": "〈口座番号〉",
    "CREDIT_CARD": "〈クレジットカード番号〉",
    "IBAN_CODE": "〈口座番号〉",
    "IP_ADDRESS": "〈IPアドレス〉",
    "US_SSN": "〈社会保障番号〉",
    "PERSONAL_ID": "〈個人ID〉",
    "PII": "〈個人情報〉",
}

# 個人識別符号 and financial identifiers: finding one means the file must not be published as is
# (rule 62, step 2: delete all individual identification codes).
HIGH_RISK: frozenset[str] = frozenset(
    {
        "MY_NUMBER",
        "JP_DRIVERS_LICENSE",
        "JP_PASSPORT",
        "JP_RESIDENCE_CARD",
        "JP_BANK_ACCOUNT",
        "CREDIT_CARD",
        "IBAN_CODE",
        "US_SSN",
    }
)

# Contact details: public in facility lists (a facility's phone), personal elsewhere.
CONTACT: frozenset[str] = frozenset(
    {
        "PHONE_NUMBER",
        "JP_ADDRESS",
        "JP_POSTAL_CODE",
        "EMAIL_ADDRESS",
    }
)


def label(entity_type: str) -> str:
    """The replacement label of an entity type.

    >>> label("PERSON"), label("SOMETHING_NEW")
    ('〈氏名〉', '〈SOMETHING_NEW〉')
    """
    return LABELS.get(entity_type, f"〈{entity_type}〉")
