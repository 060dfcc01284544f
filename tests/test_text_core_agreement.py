"""The opt-out matcher and the scrubber read dates of birth with one text core: whatever a
resident may write on the opt-out form, the scrubber removes from a published file (and the
reverse). Pure: no CKAN, no services."""

import pytest

from ckanext.anonymize.engine.recognizers.date_of_birth import DateOfBirthRecognizer
from ckanext.jatext.fold import fold_map
from ckanext.optout.keys import NormalisationError, normalize_birth_date

SPELLINGS = [
    "昭和55年3月1日",
    "昭和五十五年三月一日",
    "㍼55年3月1日",
    "S55.3.1",
    "s55/3/1",
    "S.55.3.1",
    "昭和５５年３月１日",
    "1980/3/1",
    "１９８０年３月１日",
    "1980-03-01",
    "1980年03月01日",
    "平成元年1月8日",
    "H1.1.8",
    "令和元年5月1日",
    "R1.5.1",
    "平成元年十二月三十一日",
    "昭和二〇年八月十九日",
    "一九八〇年三月一日",
]


def scrubber_finds(text: str) -> set[str]:
    recognizer = DateOfBirthRecognizer()
    folded = fold_map(text)
    found = set()
    for r in recognizer.analyze(folded.text, ["DATE_OF_BIRTH"]):
        if r.score >= 0.5:
            start, end = folded.original_span(r.start, r.end)
            found.add(text[start:end])
    return found


@pytest.mark.parametrize("written", SPELLINGS)
def test_a_date_the_opt_out_form_accepts_is_one_the_scrubber_removes(written):
    assert normalize_birth_date(written)  # the form accepts it
    assert scrubber_finds(f"生年月日：{written}") == {written}
    assert scrubber_finds(f"{written}生まれの方") == {written}


@pytest.mark.parametrize("written", ["昭和", "55.3.1", "1980年2月30日", "そのうち"])
def test_what_neither_reads_as_a_date(written):
    with pytest.raises(NormalisationError):
        normalize_birth_date(written)
    assert scrubber_finds(f"生年月日：{written}") == set()
