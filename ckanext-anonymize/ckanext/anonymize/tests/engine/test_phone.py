"""Phone numbers in both widths and with the usual separators; dates and codes are not phones."""

import pytest

from ckanext.anonymize.engine.recognizers.phone import PhoneRecognizer
from ckanext.jatext.width import fold


def _found(text):
    return [
        text[r.start : r.end]
        for r in PhoneRecognizer().analyze(fold(text), ["PHONE_NUMBER"])
        if r.score >= 0.5
    ]


@pytest.mark.parametrize(
    "text,number",
    [
        ("電話058-265-4141まで", "058-265-4141"),
        ("携帯０９０－１２３４－５６７８", "０９０－１２３４－５６７８"),
        ("TEL０５８ー２６５ー４１４１", "０５８ー２６５ー４１４１"),
        ("(058)265-4141", "(058)265-4141"),
        ("連絡先 09012345678", "09012345678"),
        ("+81-58-265-4141", "+81-58-265-4141"),
    ],
)
def test_phone_numbers_are_found(text, number):
    assert _found(text) == [number]


@pytest.mark.parametrize("text", ["2024-04-01", "35.4231", "136.7606", "212016", "第12-345号"])
def test_non_phones_are_not_found(text):
    assert _found(text) == []
