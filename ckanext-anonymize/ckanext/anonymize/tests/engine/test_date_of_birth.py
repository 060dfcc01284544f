"""Dates of birth: 西暦 and 和暦 with names, initials and 元年; other dates are left alone."""

import datetime as dt

import pytest

from ckanext.anonymize.engine.recognizers.date_of_birth import DateOfBirthRecognizer
from ckanext.jatext.wareki import parse
from ckanext.jatext.width import fold


@pytest.mark.parametrize(
    "text,date",
    [
        ("令和元年5月1日", dt.date(2019, 5, 1)),
        ("R1.5.1", dt.date(2019, 5, 1)),
        ("S55.3.1", dt.date(1980, 3, 1)),
        ("昭和55年3月1日", dt.date(1980, 3, 1)),
        ("Ｓ５５．３．１", dt.date(1980, 3, 1)),
        ("H1.1.8", dt.date(1989, 1, 8)),
        ("平成元年1月8日", dt.date(1989, 1, 8)),
        ("T15.12.24", dt.date(1926, 12, 24)),
        ("大正元年7月30日", dt.date(1912, 7, 30)),
        ("1980年3月1日", dt.date(1980, 3, 1)),
        ("1980/03/01", dt.date(1980, 3, 1)),
        ("１９８０－０３－０１", dt.date(1980, 3, 1)),
    ],
)
def test_dates_parse(text, date):
    assert parse(text) == date


@pytest.mark.parametrize(
    "text",
    ["令和元年4月30日", "平成31年5月1日", "昭和64年1月8日", "平成元年1月7日", "S55.2.30", "令和0年5月1日"],
)
def test_dates_outside_their_era_or_calendar_are_not_dates(text):
    assert parse(text) is None


def _dob(text):
    r = DateOfBirthRecognizer()
    return [text[x.start : x.end] for x in r.analyze(fold(text), ["DATE_OF_BIRTH"]) if x.score >= 0.5]


@pytest.mark.parametrize(
    "text,expected",
    [
        ("生年月日：S55.3.1", "S55.3.1"),
        ("昭和55年3月1日生", "昭和55年3月1日"),
        ("令和元年5月1日生まれの長女", "令和元年5月1日"),
        ("誕生日は１９８０年３月１日です", "１９８０年３月１日"),
    ],
)
def test_birth_dates_with_context_are_found(text, expected):
    assert _dob(text) == [expected]


@pytest.mark.parametrize("text", ["令和元年5月1日に開設", "更新日 2024/04/01", "S55.3.1 竣工"])
def test_other_dates_are_left_alone(text):
    assert _dob(text) == []
