"""全国地方公共団体コード (local government code, JIS X 0401/0402 with a check digit).

Six digits: two for the prefecture, three for the municipality and a check digit. The check
digit is ``(11 - sum(digit * weight) % 11) % 10`` with weights 6, 5, 4, 3, 2 (総務省 「全国地方公共
団体コード仕様」).

>>> validate('212016')  # 岐阜市
'212016'
>>> validate('２１２０１６')  # full-width digits are accepted
'212016'
>>> is_valid('212017')
False
>>> calc_check_digit('13000')  # 東京都
'1'
"""

from __future__ import annotations

import unicodedata

WEIGHTS = (6, 5, 4, 3, 2)


class InvalidCode(ValueError):
    """Not a valid 全国地方公共団体コード."""


def compact(code: str) -> str:
    """Fold full-width digits and drop spaces and hyphens."""
    return unicodedata.normalize("NFKC", str(code)).replace(" ", "").replace("-", "").strip()


def calc_check_digit(first_five: str) -> str:
    total = sum(int(d) * w for d, w in zip(first_five, WEIGHTS))
    return str((11 - total % 11) % 10)


def validate(code: str) -> str:
    """Return the compact code or raise :class:`InvalidCode`."""
    code = compact(code)
    if len(code) != 6 or not code.isascii() or not code.isdigit():
        raise InvalidCode("must be six digits")
    if not 1 <= int(code[:2]) <= 47:
        raise InvalidCode("unknown prefecture")
    if calc_check_digit(code[:5]) != code[5]:
        raise InvalidCode("wrong check digit")
    return code


def is_valid(code: str) -> bool:
    try:
        validate(code)
    except InvalidCode:
        return False
    return True
