"""Normalisation and keyed hashing of residents' identifying attributes (pure, no CKAN)."""

import doctest

import pytest

from ckanext.optout import keys
from ckanext.optout.keys import (
    KeyedHasher,
    NormalisationError,
    normalize_address,
    normalize_birth_date,
    normalize_kana,
    normalize_name,
)


def test_doctest_examples_hold():
    result = doctest.testmod(keys)
    assert result.attempted > 10
    assert result.failed == 0


@pytest.mark.parametrize(
    "written", ["山田　太郎", "山田 太郎", "山田太郎", " 山田\u3000\u3000太郎 ", "山田・太郎", "山田\t太郎"]
)
def test_a_name_with_full_or_half_width_spaces_is_one_name(written):
    assert normalize_name(written) == "山田太郎"


def test_variant_kanji_and_latin_case_fold():
    assert normalize_name("髙橋　﨑子") == normalize_name("高橋崎子")
    assert normalize_name("ＳＭＩＴＨ　John") == "smithjohn"


@pytest.mark.parametrize("written", ["ヤマダ タロウ", "やまだ　たろう", "ﾔﾏﾀﾞ ﾀﾛｳ", "ヤマダタロウ"])
def test_kana_in_any_script_and_width(written):
    assert normalize_kana(written) == "ヤマダタロウ"


def test_small_kana_long_vowels_and_old_kana_fold():
    assert normalize_kana("ジョーンズ") == normalize_kana("ジヨンズ")
    assert normalize_kana("ヴィクトリア") == normalize_kana("ビクトリア")
    assert normalize_kana("つづき") == normalize_kana("ツズキ")


@pytest.mark.parametrize(
    "written",
    [
        "昭和55年3月1日",
        "1980-03-01",
        "S55.3.1",
        "s55.3.1",
        "S.55.3.1",
        "S55/3/1",
        "S55-03-01",
        "昭和５５年３月１日",
        "昭和五十五年三月一日",
        "昭和55年03月01日生",
        "㍼55年3月1日",
        "1980/3/1",
        "１９８０年３月１日",
        "19800301",
        "1980-03-01 00:00:00",
        "1980-03-01T00:00:00",
    ],
)
def test_showa_55_march_1_is_1980_03_01_however_written(written):
    assert normalize_birth_date(written) == "1980-03-01"


@pytest.mark.parametrize(
    "written,iso",
    [
        ("令和元年5月1日", "2019-05-01"),
        ("R1.5.1", "2019-05-01"),
        ("平成元年1月8日", "1989-01-08"),
        ("H31.4.30", "2019-04-30"),
        ("昭和64年1月7日", "1989-01-07"),
        ("大正15年12月24日", "1926-12-24"),
        ("T1.7.30", "1912-07-30"),
        ("明治45年7月29日", "1912-07-29"),
        ("平成12年2月29日", "2000-02-29"),
    ],
)
def test_every_modern_era(written, iso):
    assert normalize_birth_date(written) == iso


@pytest.mark.parametrize(
    "written", ["", "昭和", "平成31年2月30日", "1980-13-01", "そのうち", "X55.3.1", "55.3.1"]
)
def test_what_is_not_a_date_is_refused(written):
    with pytest.raises(NormalisationError):
        normalize_birth_date(written)


@pytest.mark.parametrize(
    "written",
    [
        "岐阜市長良福光2-3-4",
        "岐阜県岐阜市長良福光2丁目3番4号",
        "岐阜市長良福光二丁目3番地の4",
        "岐阜市 長良福光２－３－４",
        "岐阜市長良福光2ー3ー4",
        "岐阜市長良福光2丁目3-4",
    ],
)
def test_address_notations_of_one_place_agree(written):
    assert normalize_address(written) == "岐阜市長良福光2-3-4"


def test_address_keeps_what_distinguishes_places():
    assert normalize_address("岐阜市長良福光2-3-4") != normalize_address("岐阜市長良福光2-3-5")
    assert normalize_address("岐阜県岐阜市今沢町18番地") == "岐阜市今沢町18"
    # Katakana long marks in place names are not numbers' hyphens.
    assert "センター" in normalize_address("岐阜市センター通り1-2")


def test_keyed_hash_is_stable_across_notations_and_keyed_by_the_secret():
    hasher = KeyedHasher("secret-a")
    a = hasher.subject_digest({"name": "山田　太郎", "birth_date": "昭和55年3月1日"})
    assert a == hasher.subject_digest({"name": "山田 太郎", "birth_date": "S55.3.1"})
    assert a == hasher.subject_digest({"birth_date": "1980-03-01", "name": "山田太郎"})
    assert a != hasher.subject_digest({"name": "山田太郎", "birth_date": "1980-03-02"})
    assert a != KeyedHasher("secret-b").subject_digest({"name": "山田太郎", "birth_date": "1980-03-01"})
    assert len(a) == 64 and int(a, 16) >= 0


def test_digest_does_not_contain_the_value_and_differs_per_attribute():
    hasher = KeyedHasher("secret-a")
    as_name = hasher.subject_digest({"name": "山田太郎"})
    as_kana = hasher.subject_digest({"name_kana": "山田太郎"})
    assert as_name != as_kana
    assert "山田" not in as_name


def test_subject_keys_cover_every_combination_of_given_attributes():
    hasher = KeyedHasher("k")
    subject = {"name": "山田太郎", "birth_date": "S55.3.1", "address": "岐阜市今沢町18"}
    result = hasher.subject_keys(subject)
    assert sorted(result) == [
        "address",
        "address+birth_date",
        "address+birth_date+name",
        "address+name",
        "birth_date",
        "birth_date+name",
        "name",
    ]
    assert result["birth_date+name"] == hasher.subject_digest(
        {"name": "山田 太郎", "birth_date": "1980-03-01"}
    )


def test_subject_keys_skip_blank_and_refuse_bad_values():
    hasher = KeyedHasher("k")
    assert sorted(hasher.subject_keys({"name": "山田太郎", "address": "  "})) == ["name"]
    with pytest.raises(NormalisationError):
        hasher.subject_keys({"name": "山田太郎", "birth_date": "いつか"})
    with pytest.raises(NormalisationError):
        hasher.subject_keys({"nickname": "たろちゃん"})


def test_tokens_hash_tolerantly_and_compare_in_constant_time():
    hasher = KeyedHasher("k")
    token = keys.new_token()
    stored = hasher.token_hash(token)
    assert token.replace("-", "") not in stored
    assert hasher.token_matches(token.lower().replace("-", " "), stored)
    assert not hasher.token_matches(keys.new_token(), stored)
    assert not hasher.token_matches(token, "")


def test_references_and_tokens_are_random_and_readable():
    refs = {keys.new_reference() for _ in range(200)}
    assert len(refs) == 200
    ref = refs.pop()
    assert ref.startswith("OPT-") and len(ref) == 13
    assert keys.format_reference(ref.lower().replace("-", "")) == ref
    assert len(keys.new_token().replace("-", "")) == 20


def test_empty_secret_is_refused():
    with pytest.raises(ValueError):
        KeyedHasher("")
