"""Dates of birth (生年月日): a real date, 西暦 or 和暦, beside a birth context word.

Dates alone are public data (開設日, 更新日) and are never touched; only a date with 生年月日,
誕生日, 生まれ … near it, or in a birth-date column, is a date of birth.

>>> r = DateOfBirthRecognizer()
>>> [(x.start, x.end) for x in r.analyze("生年月日：S55.3.1", ["DATE_OF_BIRTH"]) if x.score >= 0.5]
[(5, 12)]
>>> [x.score >= 0.5 for x in r.analyze("令和元年5月1日に開設", ["DATE_OF_BIRTH"])]
[False]
"""

from __future__ import annotations

import datetime as dt

from presidio_analyzer import Pattern

from ckanext.jatext.wareki import ERA_DATE, WESTERN_DATE, parse

from .base import JaPatternRecognizer


class DateOfBirthRecognizer(JaPatternRecognizer):
    ENTITY = "DATE_OF_BIRTH"
    PATTERNS = [Pattern("era_date", ERA_DATE, 0.3), Pattern("western_date", WESTERN_DATE, 0.3)]
    CONTEXT = ["生年月日", "誕生日", "生まれ", "出生", "birth", "dob", "born"]
    CONTEXT_AFTER = ["生", "誕生"]
    WINDOW_BEFORE = 12

    def validate_result(self, pattern_text: str) -> bool | None:
        # Lenient: a birth date written across an era change (平成31年5月1日) is still one.
        date = parse(pattern_text, strict=False)
        return None if date and date <= dt.date.today() else False
