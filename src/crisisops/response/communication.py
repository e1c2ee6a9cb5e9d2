"""A crisis's communications checked against its communication plan (book §5).

Book §5 (保持與內外部利益相關者的溝通) asks a shop in crisis to tell its own
people first (內部溝通策略: 及時召開緊急會議), then customers, suppliers,
partners and the media (外部利益相關者溝通), and to keep doing so: "溝通不是
一次性的活動,而是一個持續的過程" (5.跟進與反饋) — communication is a process,
not a one-off. `crisisops.stakeholders.plan_communication` turns that into a
`CommunicationPlan`: per stakeholder group a first-message deadline and an
update cadence (after PagerDuty's external communication guidelines). A
`crisisops.response.Crisis` records what actually went out as
``CommunicationRecorded`` events. This module puts the two side by side:

* `sent_messages()` reads the crisis's communications as the stakeholders
  package's `SentMessage` log (audience → group, ``at`` → ``sent_at``, the
  promised ``next_update_at`` → ``states_next_update_at``);
* `check_communications()` runs `crisisops.stakeholders.check_plan` on that
  log, as of a moment: overdue first messages, missed updates, updates that
  did not say when the next one comes;
* `cadence_adherence()` condenses it into one number, the share of the
  plan's deadlines settled by a moment that were met on time — the
  "communication cadence adherence" metric of issue #7.

A deadline is **met on time** exactly when `check_plan` says so: a message to
the whole group at or before the deadline (a message exactly on it is on
time). After each message the next deadline runs from the message actually
sent (`CommunicationPlan.next_update_due`: the cadence's interval, or the
earlier time the message promised); a message long after a deadline counts
as one missed deadline, not one per interval; a final message closes the
group. Moments compare as instants, so a log may mix timezones.

References
----------
PagerDuty. "External Communication Guidelines." *PagerDuty Incident Response
Documentation*. https://response.pagerduty.com/during/external_communication_guidelines/.

Examples
--------
A Level II outage at a shop with staff and customers, declared at midnight
(Taipei time). Staff must hear within 15 minutes, customers within 30; both
then every 30 minutes.

>>> from datetime import datetime, timedelta, timezone
>>> from crisisops.response.communication import (
...     cadence_adherence,
...     check_communications,
... )
>>> from crisisops.response.crisis import Crisis
>>> from crisisops.stakeholders import (
...     Channel,
...     Stakeholder,
...     StakeholderGraph,
...     plan_communication,
... )
>>> from crisisops.taxonomy import ResponseLevel
>>> def member(key, kind):
...     return Stakeholder(
...         key=key,
...         name=key,
...         kind=kind,
...         power=0.5,
...         legitimacy=0.8,
...         urgency=0.8,
...         interest=0.7,
...     )
>>> shop = StakeholderGraph(
...     stakeholders=[member("buyers", "customers"), member("staff", "employees")]
... )
>>> taipei = timezone(timedelta(hours=8))
>>> start = datetime(2026, 11, 11, 0, 0, tzinfo=taipei)
>>> minutes = lambda m: start + timedelta(minutes=m)
>>> crisis = Crisis.declare(
...     "outage_1111",
...     title="Checkout down",
...     crisis_type="technical.system_failure",
...     level=ResponseLevel.II,
...     at=start,
...     actor="ops",
...     lead="alice",
... )
>>> plan = plan_communication(
...     "technical.system_failure", ResponseLevel.II, shop, at=start
... )

Staff meet at 00:10 and are promised an update by 00:40; customers hear at
00:45, fifteen minutes late.

>>> crisis = crisis.record_communication(
...     at=minutes(10),
...     actor="alice",
...     audience="employees",
...     channel=Channel.INTERNAL_MEETING,
...     internal=True,
...     summary="Checkout is down; all hands on the war-room call.",
...     next_update_at=minutes(40),
... )
>>> crisis = crisis.record_communication(
...     at=minutes(45),
...     actor="alice",
...     audience="customers",
...     channel=Channel.WEBSITE_NOTICE,
...     internal=False,
...     summary="We are fixing checkout; next update by 01:15.",
...     next_update_at=minutes(75),
... )
>>> check = check_communications(crisis, plan, as_of=minutes(50))
>>> [(f.kind.value, f.group, str(f.late_by)) for f in check.findings]
... # doctest: +NORMALIZE_WHITESPACE
[('overdue_first_message', 'customers', '0:15:00'),
 ('missed_update', 'employees', '0:10:00')]

By 00:50 three deadlines are settled — staff's first message (on time),
customers' first message (late) and staff's 00:40 update (passed unsent) —
one of them met on time:

>>> round(cadence_adherence(crisis, plan, as_of=minutes(50)), 4)
0.3333
>>> cadence_adherence(crisis, plan, as_of=minutes(5)) is None  # nothing due yet
True

The check reads the crisis's messages as a `SentMessage` log
(`sent_messages()`): the audience becomes the group, the promised update
its ``states_next_update_at``:

>>> from crisisops.response.communication import sent_messages
>>> [
...     (m.group, f"{m.sent_at:%H:%M}", f"{m.states_next_update_at:%H:%M}", m.final)
...     for m in sent_messages(crisis)
... ]
[('employees', '00:10', '00:40', False), ('customers', '00:45', '01:15', False)]
"""

from __future__ import annotations

import datetime as dt

from crisisops._time import instant
from crisisops._validation import check_aware
from crisisops.errors import InvalidTypeError, UnknownKeyError, ValidationError
from crisisops.response.crisis import Crisis, check_crisis
from crisisops.response.events import (
    CommunicationRecorded,
    CrisisConfirmed,
    CrisisDeclared,
)
from crisisops.stakeholders.communication import (
    CommunicationPlan,
    PlanCheck,
    SentMessage,
    check_plan,
)

__all__ = [
    "cadence_adherence",
    "check_communications",
    "sent_messages",
]


def _check_plan_type(plan: object) -> CommunicationPlan:
    if not isinstance(plan, CommunicationPlan):
        raise InvalidTypeError("plan", plan, "a CommunicationPlan")
    return plan


def sent_messages(crisis: Crisis) -> tuple[SentMessage, ...]:
    """Return the crisis's communications as a `SentMessage` log, in log order.

    Each ``CommunicationRecorded`` event becomes one whole-group message:
    ``group`` = the event's ``audience``, ``channel`` = its channel,
    ``sent_at`` = its ``at``, ``states_next_update_at`` = the
    ``next_update_at`` it promised, ``final`` = its ``final``. The event's
    ``internal`` flag, summary and strategy are not part of a plan check and
    are left out.

    The event checks its promise by the same rules as a `SentMessage`
    (strictly after the message, none on a final one), so every recorded
    message converts.

    Parameters
    ----------
    crisis
        The crisis.

    Returns
    -------
    tuple of SentMessage

    Raises
    ------
    InvalidTypeError
        If ``crisis`` is not a `Crisis`.
    ValidationError
        If an audience is not a plan group key (one lowercase word, e.g.
        ``"customers"``), which no plan could contain.
    """
    check_crisis(crisis)
    return tuple(_to_message(event) for event in crisis.communications)


def _to_message(event: CommunicationRecorded) -> SentMessage:
    return SentMessage(
        group=event.audience,
        channel=event.channel,
        sent_at=event.at,
        states_next_update_at=event.next_update_at,
        final=event.final,
    )


def _crisis_types_until(crisis: Crisis, as_of: dt.datetime) -> list[str]:
    """Return the crisis types the crisis had by ``as_of`` (declared, confirmed).

    The declared type always counts, even for an ``as_of`` before the
    declaration: the plan is made when the crisis is declared.
    """
    now = instant(as_of)
    return [
        event.crisis_type
        for event in crisis.events
        if isinstance(event, CrisisDeclared)
        or (isinstance(event, CrisisConfirmed) and instant(event.at) <= now)
    ]


def _checked_log(
    crisis: Crisis, plan: CommunicationPlan, as_of: dt.datetime
) -> tuple[SentMessage, ...]:
    """Validate the arguments of a plan check and return the message log."""
    check_crisis(crisis)
    _check_plan_type(plan)
    check_aware(as_of, "as_of")
    types = _crisis_types_until(crisis, as_of)
    if plan.crisis_type not in types:
        had = " or ".join(repr(t) for t in dict.fromkeys(types))
        raise ValidationError(
            "plan.crisis_type",
            plan.crisis_type,
            f"the type of crisis {crisis.key!r} ({had})",
        )
    log = sent_messages(crisis)
    groups = plan.groups
    for event, message in zip(crisis.communications, log, strict=True):
        if message.group not in groups:
            raise UnknownKeyError(
                f"plan group (audience of the communication at sequence "
                f"{event.sequence})",
                message.group,
                groups,
            )
    return log


def check_communications(
    crisis: Crisis, plan: CommunicationPlan, *, as_of: dt.datetime
) -> PlanCheck:
    """Check the crisis's communications against its plan, as of a moment.

    `check_plan` on `sent_messages()`: per group, an
    ``OVERDUE_FIRST_MESSAGE`` if the first message went out after
    `PlanStep.first_message_due` (or nothing went out and ``as_of`` is past
    it), a ``MISSED_UPDATE`` for each update sent after its deadline (or not
    sent by an ``as_of`` past it), a ``NEXT_UPDATE_NOT_STATED`` for a
    non-final message that did not promise its next update. Communications
    recorded after ``as_of`` are not counted, so an earlier ``as_of`` replays
    the check at that moment.

    Parameters
    ----------
    crisis
        The crisis.
    plan
        Its communication plan (`crisisops.stakeholders.plan_communication`).
        It must be for a type the crisis has had by ``as_of`` — the declared
        type, or the one confirmed (book §5.1 精準識別危機類型和根源), so a
        crisis re-typed at confirmation can still be checked against the plan
        made when it was declared.
    as_of
        The moment of the check; timezone-aware.

    Returns
    -------
    PlanCheck

    Raises
    ------
    InvalidTypeError
        For a crisis or plan of the wrong type.
    NaiveDatetimeError
        For a naive ``as_of``.
    ValidationError
        For a plan made for another crisis type.
    UnknownKeyError
        For a communication (at any time) to an audience the plan has no
        group for, naming the audience and the event's sequence number,
        with suggestions.
    """
    log = _checked_log(crisis, plan, as_of)
    return check_plan(plan, log, as_of)


def _settled_deadlines(
    plan: CommunicationPlan, log: tuple[SentMessage, ...], check: PlanCheck
) -> int:
    """Count the deadlines settled by ``check.as_of``, as `check_plan` sees them.

    Per group, every whole-group message counted by `check_plan` (sent by
    ``as_of``, up to and including the first final one) settles the deadline
    pending when it went out; the deadline still pending at ``as_of`` is
    settled too if ``as_of`` is past it (it is missed).
    """
    now = instant(check.as_of)
    settled = 0
    for step in plan.steps:
        messages = sorted(
            (
                m
                for m in log
                if m.group == step.group
                and m.stakeholder is None
                and instant(m.sent_at) <= now
            ),
            key=lambda m: instant(m.sent_at),
        )  # the same order as check_plan's
        for message in messages:
            settled += 1
            if message.final:
                break
        pending = check.next_due.get(step.group)
        if pending is not None and now > instant(pending):
            settled += 1
    return settled


def cadence_adherence(
    crisis: Crisis, plan: CommunicationPlan, *, as_of: dt.datetime
) -> float | None:
    """Return the share of the plan's settled deadlines that were met on time.

    Every group of the plan has a chain of deadlines: its first message
    (`PlanStep.first_message_due`), then one update after each message
    (`CommunicationPlan.next_update_due`: the cadence's interval from the
    message actually sent, or the earlier time it promised), until a final
    message closes the group. A deadline counts once it is **settled** as of
    ``as_of``:

    * a message to the whole group went out for it (at or before ``as_of``):
      met **on time** if sent at or before the deadline, late otherwise;
    * or ``as_of`` is past it and nothing went out: missed.

    The deadline still open at ``as_of`` (not yet passed, not yet met) does
    not count yet. "On time" is exactly `check_plan`'s: the late deadlines
    are its ``OVERDUE_FIRST_MESSAGE`` and ``MISSED_UPDATE`` findings, so

    ``adherence = 1 - late / settled``.

    A message sent before its deadline counts at once, even when the
    deadline itself lies after ``as_of``: the update was delivered. A
    message long after a deadline is one late deadline, not one per interval
    (the chain restarts from the late message). Whether a message stated its
    next update is not part of the number (see `check_communications()`).

    Parameters
    ----------
    crisis
        The crisis.
    plan
        Its communication plan; see `check_communications()`.
    as_of
        The moment of the measure; timezone-aware.

    Returns
    -------
    float or None
        In ``[0, 1]``; ``None`` if no deadline was settled yet (nothing sent
        and no deadline passed).

    Raises
    ------
    InvalidTypeError, NaiveDatetimeError, ValidationError, UnknownKeyError
        As `check_communications()`.
    """
    log = _checked_log(crisis, plan, as_of)
    check = check_plan(plan, log, as_of)
    settled = _settled_deadlines(plan, log, check)
    if settled == 0:
        return None
    late = len(check.overdue_first_messages) + len(check.missed_updates)
    return (settled - late) / settled
