"""全国地方公共団体コード check digits (pure module, no CKAN)."""

from __future__ import annotations

import doctest

import pytest

from ckanext.gifu import municipality


def test_module_examples():
    assert doctest.testmod(municipality).failed == 0


@pytest.mark.parametrize("code", ["212016", "210005", "130001", "011002", "271004"])
def test_published_codes_are_valid(code):
    # 岐阜市, 岐阜県, 東京都, 北海道, 大阪市
    assert municipality.is_valid(code)


@pytest.mark.parametrize("code", ["212010", "21201", "2120160", "482016", "21201a", ""])
def test_invalid_codes(code):
    assert not municipality.is_valid(code)
