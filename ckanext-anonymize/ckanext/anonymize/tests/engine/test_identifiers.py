"""Postal code, e-mail, driver's licence, passport, residence card, bank account, address."""

import pytest

from ckanext.anonymize.engine.recognizers import (
    AddressRecognizer,
    BankAccountRecognizer,
    DriversLicenseRecognizer,
    EmailRecognizer,
    PassportRecognizer,
    PostalCodeRecognizer,
    ResidenceCardRecognizer,
)
from ckanext.jatext.width import fold


def found(recognizer, text):
    entity = recognizer.supported_entities[0]
    return [text[r.start : r.end] for r in recognizer.analyze(fold(text), [entity]) if r.score >= 0.5]


@pytest.mark.parametrize(
    "cls,text,expected",
    [
        (PostalCodeRecognizer, "〒500-8701 岐阜市", ["〒500-8701"]),
        (PostalCodeRecognizer, "郵便番号：５００－８７０１", ["５００－８７０１"]),
        (EmailRecognizer, "メールtaro@example.jpまで", ["taro@example.jp"]),
        (EmailRecognizer, "ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ", ["ｔａｒｏ＠ｅｘａｍｐｌｅ．ｊｐ"]),
        (DriversLicenseRecognizer, "運転免許証番号 301234567890", ["301234567890"]),
        (PassportRecognizer, "旅券番号：TK1234567", ["TK1234567"]),
        (ResidenceCardRecognizer, "在留カード番号 AB12345678CD", ["AB12345678CD"]),
        (BankAccountRecognizer, "十六銀行 本店 普通 1234567", ["1234567"]),
        (AddressRecognizer, "住所：岐阜県岐阜市長良福光2丁目3番4号", ["岐阜県岐阜市長良福光2丁目3番4号"]),
        (
            AddressRecognizer,
            "岐阜市今沢町18番地 コーポ今沢101号室に転居",
            ["岐阜市今沢町18番地 コーポ今沢101号室"],
        ),
    ],
)
def test_found_with_context(cls, text, expected):
    assert found(cls(), text) == expected


@pytest.mark.parametrize(
    "cls,text",
    [
        (PostalCodeRecognizer, "内線 123-4567"),
        (DriversLicenseRecognizer, "受付 301234567890"),
        (PassportRecognizer, "型番 TK1234567"),
        (BankAccountRecognizer, "人口 1234567 人"),
        (AddressRecognizer, "岐阜市の人口"),
    ],
)
def test_not_found_without_context_or_shape(cls, text):
    assert found(cls(), text) == []
