"""The dataset lifecycle as one table: stock → notice → open, pure (no CKAN import).

``STATES`` says what each state means for the dataset's visibility; ``TRANSITIONS`` says, for each
lifecycle action, from which states it may start, where it leads, who may ask for it, what it does
to the hold and which preconditions must hold, in the order they are checked. The actions
(``logic/action/dataset.py``) and the ``IPackageController`` guard (``plugin.py``) both judge by it:
:func:`refusal` and :func:`edit_refusal` answer with the first rule broken, in Japanese and English.

A dataset outside the lifecycle (no row) counts as ``stock`` when private and ``open`` when public
(:func:`current_state`).

>>> from dataclasses import replace
>>> facts = Facts(state=STOCK, today=dt.date(2026, 4, 1))
>>> refusal("release", facts).field
'state'
>>> refusal("notice", replace(facts, new_deadline=dt.date(2026, 4, 15))) is None
True
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

# States (stored in ``optout_dataset.state``).
STOCK = "stock"  # closed (private); what the city holds
NOTICE = "notice"  # still private; a public notice invites objections until the deadline
OPEN = "open"  # public
DATASET_STATES = (STOCK, NOTICE, OPEN)

# Who may ask for a transition (auth.py maps each to its check).
EDITORS = "editors"  # editors of the dataset (package_update); sysadmins included


@dataclass(frozen=True)
class State:
    private: bool  # the dataset's visibility in CKAN while in this state
    label: str  # shown on the pages


STATES = {
    STOCK: State(private=True, label="ストック（非公開）"),
    NOTICE: State(private=True, label="公開予定（告知中）"),
    OPEN: State(private=False, label="公開"),
}


@dataclass(frozen=True)
class Refusal:
    """Why a transition may not happen: ``field`` is the key of the validation error, or None
    when the one asking may not do it (not authorized)."""

    field: str | None
    message: str  # Japanese (English)


@dataclass(frozen=True)
class Facts:
    """What a transition is judged on."""

    state: str  # the current state (see current_state)
    today: dt.date
    held: bool = False
    deadline: dt.date | None = None  # the notice's deadline for objections
    new_deadline: dt.date | None = None  # the deadline asked for (notice)
    notice_min_days: int = 14
    early: bool = False  # release before the deadline asked for
    reason: str = ""  # why (early release)
    sysadmin: bool = False
    # Names of the dataset's resources that hold personal records but name no subject-key
    # columns; called only when that rule is reached (it reads the scrub reports).
    unkeyed_personal_resources: Callable[[], Sequence[str]] = field(default=tuple)

    @property
    def due(self) -> bool:
        """The deadline has passed: residents could object until the deadline, inclusive."""
        return self.deadline is not None and self.deadline < self.today


Precondition = Callable[[Facts], Refusal | None]


def notice_long_enough(facts: Facts) -> Refusal | None:
    """A notice lasts at least ``notice_min_days``: the deadline is that many days away or later."""
    days = facts.notice_min_days
    earliest = facts.today + dt.timedelta(days=days)
    if facts.new_deadline is not None and facts.new_deadline >= earliest:
        return None
    return Refusal(
        "deadline",
        f"告知期間は{days}日以上必要です。申出の期限は {earliest.isoformat()} 以降の日付にして"
        f"ください (the notice period must be at least {days} days: the deadline must be "
        f"{earliest.isoformat()} or later)",
    )


def not_held(facts: Facts) -> Refusal | None:
    """A held dataset is released by no one, early or not."""
    if not facts.held:
        return None
    return Refusal(
        "held",
        "公開が保留されています。保留を解いてから公開してください "
        "(the dataset is held: lift the hold before releasing it)",
    )


def due_or_asked_early(facts: Facts) -> Refusal | None:
    """Released from the day after the deadline, unless an early release is asked for."""
    if facts.due or facts.early:
        return None
    return Refusal(
        "deadline",
        f"申出の期限（{facts.deadline}）が過ぎるまで公開できません。期限の翌日以降に公開され"
        f"ます (the deadline for objections, {facts.deadline}, has not passed: the dataset "
        f"can be released from the day after)",
    )


def early_only_by_sysadmins(facts: Facts) -> Refusal | None:
    """Before the deadline only a sysadmin may release."""
    if facts.due or facts.sysadmin:
        return None
    return Refusal(
        None,
        "期限前の公開はシステム管理者のみ行えます (only a sysadmin may release a dataset "
        "before its deadline)",
    )


def early_with_a_reason(facts: Facts) -> Refusal | None:
    """An early release says why (recorded in the audit log)."""
    if facts.due or facts.reason.strip():
        return None
    return Refusal(
        "reason",
        "期限前に公開する理由を入力してください (give the reason for releasing before the deadline)",
    )


def personal_records_keyed(facts: Facts) -> Refusal | None:
    """A resource that holds personal records names its subject-key columns, or an opt-out could
    remove no one from it."""
    missing = list(facts.unkeyed_personal_resources())
    if not missing:
        return None
    names = "、".join(f"「{name}」" for name in missing)
    return Refusal(
        "resources",
        f"個人の記録を含むリソース{names}に、個人を識別する列（オプトアウトの照合に使う列）が"
        f"設定されていません。設定してから公開してください (resources holding personal "
        f"records have no subject-key columns configured: {', '.join(missing)})",
    )


@dataclass(frozen=True)
class Transition:
    sources: tuple[str, ...]  # the states it may start from
    target: str
    held: bool  # the hold after it
    audit: str  # its name in the audit log
    who: str = EDITORS
    requires: tuple[Precondition, ...] = ()  # checked in this order
    refused_from: Refusal | None = None  # the answer when the current state is not a source


# Holding and lifting a hold are refused alike outside a notice.
ONLY_IN_NOTICE = Refusal(
    "state", "告知期間中のデータセットのみ保留できます (only a dataset in notice can be held)"
)

TRANSITIONS = {
    "stock": Transition(sources=DATASET_STATES, target=STOCK, held=False, audit="dataset_stock"),
    "notice": Transition(
        sources=(STOCK, NOTICE),
        target=NOTICE,
        held=False,
        audit="dataset_notice",
        requires=(notice_long_enough,),
        refused_from=Refusal(
            "state",
            "公開済みのデータセットは告知できません。先にストックに戻してください "
            "(an open dataset cannot be given notice; put it in stock first)",
        ),
    ),
    "hold": Transition(
        sources=(NOTICE,),
        target=NOTICE,
        held=True,
        audit="dataset_hold",
        refused_from=ONLY_IN_NOTICE,
    ),
    "unhold": Transition(
        sources=(NOTICE,),
        target=NOTICE,
        held=False,
        audit="dataset_unhold",
        refused_from=ONLY_IN_NOTICE,
    ),
    "release": Transition(
        sources=(NOTICE,),
        target=OPEN,
        held=False,
        audit="dataset_open",
        requires=(
            not_held,
            due_or_asked_early,
            early_only_by_sysadmins,
            early_with_a_reason,
            personal_records_keyed,
        ),
        refused_from=Refusal("state", "公開するには先に告知してください (give notice before releasing)"),
    ),
}


def current_state(stored: str | None, private: bool) -> str:
    """The state of a dataset: its stored state, or for one outside the lifecycle ``stock`` when
    private and ``open`` when public.

    >>> current_state(None, True), current_state(None, False), current_state(NOTICE, True)
    ('stock', 'open', 'notice')
    """
    return stored or (STOCK if private else OPEN)


def refusal(name: str, facts: Facts) -> Refusal | None:
    """The first rule of transition ``name`` that ``facts`` break, or None when it may happen.

    >>> from dataclasses import replace
    >>> notice = Facts(state=NOTICE, today=dt.date(2026, 4, 1), deadline=dt.date(2026, 4, 1))
    >>> refusal("release", notice).field  # residents may object on the deadline itself
    'deadline'
    >>> refusal("release", replace(notice, early=True)).field is None  # not authorized
    True
    >>> refusal("release", replace(notice, today=dt.date(2026, 4, 2))) is None
    True
    """
    transition = TRANSITIONS[name]
    if facts.state not in transition.sources:
        return transition.refused_from
    for precondition in transition.requires:
        found = precondition(facts)
        if found is not None:
            return found
    return None


# The guard's answer to an edit that would make a dataset in stock or notice public.
EDIT_REFUSAL = Refusal(
    "private",
    "このデータセットはストックまたは告知期間中のため公開できません。"
    "告知を経て「公開」操作で公開してください (a dataset in stock or notice is "
    "opened only by releasing it)",
)


def edit_refusal(stored: str | None, private: bool) -> Refusal | None:
    """Whether an edit may leave a dataset with this visibility: a dataset whose state keeps it
    private is made public only by a transition to a public state (``release``), never by
    editing it.

    >>> edit_refusal(STOCK, private=False).field
    'private'
    >>> edit_refusal(STOCK, private=True) is None, edit_refusal(None, False) is None
    (True, True)
    """
    if stored in STATES and STATES[stored].private and not private:
        return EDIT_REFUSAL
    return None
