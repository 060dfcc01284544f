"""The roundtable's vocabulary and its Japanese search key (pure: no CKAN).

Statuses of a data request, kinds of feedback on a dataset, and what a public item's
visibility may be, declared as data with their Japanese and English labels; the search key folds
the ways people write the same Japanese (full-/half-width letters and digits, half-width kana,
hiragana and katakana, case) so that 「ﾊﾞｽ停」 finds 「バス停」.

>>> search_key("ＡＥＤ の設置場所（ばすてい）")
'aed ノ設置場所(バステイ)'
>>> matches(search_key("岐阜市 バス停の時刻表"), "ばす停　時刻")
True
>>> matches(search_key("岐阜市 バス停の時刻表"), "駐輪場")
False
>>> status_label("declined")
'公開できない'
"""

from __future__ import annotations

from ckanext.jatext.fold import fold_map
from ckanext.jatext.kana import to_katakana

# Data request statuses, in the order staff move them (any order is allowed).
RECEIVED = "received"
CONSIDERING = "considering"
PLANNED = "planned"
PUBLISHED = "published"
DECLINED = "declined"
STATUSES: dict[str, tuple[str, str]] = {
    RECEIVED: ("受付", "received"),
    CONSIDERING: ("検討中", "under consideration"),
    PLANNED: ("公開予定", "to be published"),
    PUBLISHED: ("公開済", "published"),
    DECLINED: ("公開できない", "cannot be published"),
}
# Open requests: a linked dataset that becomes public answers them (公開済) by itself.
OPEN_STATUSES = (RECEIVED, CONSIDERING, PLANNED)
# A reason is required for these (shown publicly: no personal data).
REASON_REQUIRED = (DECLINED,)
# After these the requester's contact is no longer needed: erased once the mail is queued.
FINAL = (PUBLISHED, DECLINED)

# Kinds of feedback on a dataset.
FEEDBACK_KINDS: dict[str, tuple[str, str]] = {
    "wish": ("要望", "request"),
    "question": ("質問", "question"),
    "bug": ("不具合", "problem"),
    "thanks": ("感謝", "thanks"),
}

# Visibility of a request or comment written by the public.
CHECKING = "checking"  # waiting for the personal-data check (a background job)
HELD = "held"  # waiting for staff (see HOLD_REASONS)
PUBLIC = "public"
HIDDEN = "hidden"  # staff decided not to show it
VISIBILITIES = (CHECKING, HELD, PUBLIC, HIDDEN)
HOLD_REASONS: dict[str, tuple[str, str]] = {
    "moderation": ("職員の確認待ち", "waiting for moderation"),
    "personal_data": ("個人情報と思われる記載あり", "possible personal data found"),
    "check_unavailable": ("自動確認を実行できない", "personal-data check unavailable"),
    "check_failed": ("自動確認に失敗", "personal-data check failed"),
}


def status_label(status: str) -> str:
    return STATUSES.get(status, (status, status))[0]


def kind_label(kind: str | None) -> str:
    return FEEDBACK_KINDS.get(kind or "", (kind or "", ""))[0]


def hold_label(reason: str | None) -> str:
    return HOLD_REASONS.get(reason or "", (reason or "", ""))[0]


def search_key(text: str) -> str:
    """``text`` folded for substring search: ASCII and digits to half width, half-width kana to
    full width, hiragana to katakana, lower case."""
    return to_katakana(fold_map(text or "").text).casefold()


def query_terms(query: str) -> list[str]:
    """The folded terms of a search box entry (any kind of space separates them).

    >>> query_terms("  ﾊﾞｽ停\u3000時刻表 ")
    ['バス停', '時刻表']
    """
    return [term for term in search_key(query).split() if term]


def matches(key: str, query: str) -> bool:
    """Whether every term of ``query`` is inside ``key`` (what the database search does)."""
    return all(term in key for term in query_terms(query))
