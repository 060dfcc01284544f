"""The lifecycle table itself (pure, no CKAN): every illegal transition is refused with a message
in Japanese and English; preconditions are checked in order, and the costly one only when reached.
The same rules through the action API: test_transitions_api.py."""

import datetime as dt
import re
from dataclasses import replace

import pytest

from ckanext.optout import lifecycle
from ckanext.optout.lifecycle import NOTICE, OPEN, STOCK, TRANSITIONS, Facts, refusal

TODAY = dt.date(2026, 4, 1)
JAPANESE = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")


def ja_en(message: str) -> bool:
    """A message in Japanese followed by its English in brackets."""
    japanese, _, english = message.rpartition(" (")
    return bool(JAPANESE.search(japanese) and message.endswith(")") and re.match(r"[a-z]+ [a-z]+", english))


def allowed_facts(state: str) -> Facts:
    """Facts under which every precondition holds: only the state can refuse."""
    return Facts(
        state=state,
        today=TODAY,
        deadline=TODAY - dt.timedelta(days=1),
        new_deadline=TODAY + dt.timedelta(days=14),
    )


ILLEGAL = [
    (name, state)
    for name, transition in TRANSITIONS.items()
    for state in lifecycle.DATASET_STATES
    if state not in transition.sources
]


def test_the_illegal_transitions_are_the_expected_ones():
    assert sorted(ILLEGAL) == [
        ("hold", OPEN),
        ("hold", STOCK),
        ("notice", OPEN),
        ("release", OPEN),
        ("release", STOCK),
        ("unhold", OPEN),
        ("unhold", STOCK),
    ]


@pytest.mark.parametrize("name,state", ILLEGAL)
def test_each_illegal_transition_is_refused_in_japanese_and_english(name, state):
    found = refusal(name, allowed_facts(state))
    assert found is not None and found.field == "state"
    assert ja_en(found.message), found.message


@pytest.mark.parametrize(
    "name,state", [(n, s) for n, t in TRANSITIONS.items() for s in lifecycle.DATASET_STATES if s in t.sources]
)
def test_each_legal_transition_happens_when_its_preconditions_hold(name, state):
    assert refusal(name, allowed_facts(state)) is None


def test_a_dataset_outside_the_lifecycle_counts_by_its_visibility():
    assert lifecycle.current_state(None, private=True) == STOCK
    assert lifecycle.current_state(None, private=False) == OPEN
    assert refusal("notice", allowed_facts(lifecycle.current_state(None, private=False))).field == "state"


def test_only_release_leads_into_a_public_state_and_only_editing_is_guarded():
    into_public = [n for n, t in TRANSITIONS.items() if not lifecycle.STATES[t.target].private]
    assert into_public == ["release"]
    for state in (STOCK, NOTICE):
        found = lifecycle.edit_refusal(state, private=False)
        assert found is not None and found.field == "private" and ja_en(found.message)
        assert lifecycle.edit_refusal(state, private=True) is None
    assert lifecycle.edit_refusal(OPEN, private=False) is None
    assert lifecycle.edit_refusal(None, private=False) is None


def test_every_transition_is_asked_for_by_editors():
    assert {t.who for t in TRANSITIONS.values()} == {lifecycle.EDITORS}


def test_the_notice_lasts_at_least_the_minimum_period():
    facts = allowed_facts(STOCK)
    for days, allowed in ((13, False), (14, True), (30, True)):
        asked = replace(facts, new_deadline=TODAY + dt.timedelta(days=days))
        assert (refusal("notice", asked) is None) is allowed
    found = refusal("notice", replace(facts, new_deadline=TODAY + dt.timedelta(days=29), notice_min_days=30))
    assert found.field == "deadline" and "30日以上" in found.message and "at least 30 days" in found.message
    assert "2026-05-01" in found.message and ja_en(found.message)


def test_release_rules_in_order_each_in_japanese_and_english():
    notice = replace(allowed_facts(NOTICE), deadline=TODAY)  # objections still possible today
    cases = [
        (replace(notice, held=True, early=True, sysadmin=True, reason="急ぎ"), "held"),
        (notice, "deadline"),
        (replace(notice, early=True), None),  # not authorized: only sysadmins release early
        (replace(notice, early=True, sysadmin=True, reason="  "), "reason"),
        (
            replace(
                notice, early=True, sysadmin=True, reason="急ぎ", unkeyed_personal_resources=lambda: ["名簿"]
            ),
            "resources",
        ),
    ]
    for facts, field in cases:
        found = refusal("release", facts)
        assert found is not None and found.field == field, (facts, found)
        assert ja_en(found.message), found.message
    assert refusal("release", replace(notice, early=True, sysadmin=True, reason="急ぎ")) is None
    # Once the deadline has passed neither early nor a reason is needed, from anyone.
    assert refusal("release", replace(notice, deadline=TODAY - dt.timedelta(days=1))) is None


def test_the_personal_records_rule_names_the_resources_and_is_read_only_when_reached():
    asked: list[str] = []

    def unkeyed():
        asked.append("read")
        return ["名簿", "別表"]

    held = replace(allowed_facts(NOTICE), held=True, unkeyed_personal_resources=unkeyed)
    assert refusal("release", held).field == "held"
    assert asked == []  # the scrub reports are not read for a dataset refused anyway
    found = refusal("release", replace(held, held=False))
    assert found.field == "resources" and asked == ["read"]
    assert "「名簿」、「別表」" in found.message and "名簿, 別表" in found.message


def test_holding_sets_the_hold_and_every_other_transition_lifts_it():
    assert {name: t.held for name, t in TRANSITIONS.items()} == {
        "stock": False,
        "notice": False,
        "hold": True,
        "unhold": False,
        "release": False,
    }
