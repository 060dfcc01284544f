"""My Number: check digit, separators, both digit widths, context."""

import pytest

from ckanext.anonymize.engine.recognizers.my_number import MyNumberRecognizer, is_valid

VALID = [
    "123456789018",
    "1234 5678 9018",
    "1234-5678-9018",
    "1234.5678.9018",
    "１２３４５６７８９０１８",
    "１２３４－５６７８－９０１８",
]
INVALID = ["123456789017", "123456789010", "1234 5678 9011", "12345678901", "1234567890180"]


@pytest.mark.parametrize("number", VALID)
def test_valid_numbers_pass_the_check_digit(number):
    assert is_valid(number)


@pytest.mark.parametrize("number", INVALID)
def test_wrong_check_digit_or_length_fails(number):
    assert not is_valid(number)


def _found(text):
    from ckanext.jatext.width import fold

    return [
        text[r.start : r.end]
        for r in MyNumberRecognizer().analyze(fold(text), ["MY_NUMBER"])
        if r.score >= 0.5
    ]


def test_found_inside_japanese_text_without_word_boundaries():
    assert _found("マイナンバー123456789018を確認") == ["123456789018"]


def test_found_in_full_width_with_separators():
    assert _found("個人番号：１２３４　５６７８　９０１８") == ["１２３４　５６７８　９０１８"]


def test_invalid_number_is_not_reported_even_with_context():
    assert _found("マイナンバー123456789017") == []


def test_part_of_a_longer_number_is_not_a_my_number():
    assert _found("1234567890180") == []
