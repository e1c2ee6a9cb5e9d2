"""The events of a crisis: past-tense facts, appended to its log, never changed.

A `crisisops.response.crisis.Crisis` is the fold of its append-only event
log (event sourcing): every command — confirm, escalate, assign an action,
record feedback, resolve — checks itself against the crisis as it stands and
appends one event; replaying the log rebuilds the identical crisis. The
events are plain attrs values, so ``to_data`` turns a log into JSON a backend
stores and ``from_data`` reads it back (inside a tuple of the `CrisisEvent`
union each event carries its class name under ``"@type"``).

Every event has four fields:

* ``crisis`` – the key of the crisis it belongs to;
* ``sequence`` – its 0-based position in the log;
* ``at`` – when it happened (timezone-aware; never before the previous event);
* ``actor`` – who did or recorded it.

An event checks only itself (types, ranges, its own fields' order); whether
it fits the crisis — the status allows it, the action exists, the time is not
earlier than the last event — is checked when it is applied.

The book's steps map onto them: §5.1 組建團隊 (`RoleAssigned`), 精準識別危機類型
和根源 (`CrisisConfirmed`), 制定解決方案並明確責任人及執行時間
(`PlaybookActivated`, `ActionAssigned`), 迅速響應並控制事態發展
(`CrisisContained`), 靈活調整策略 (`StrategyAdjusted`,
`ResourcesReallocated`), 後期評估與恢復 (`CrisisRecovered`); §5.2 實時反饋
(`FeedbackRecorded`); §5.3 溝通 (`CommunicationRecorded`).

Examples
--------
>>> import datetime as dt
>>> from crisisops.response.events import FeedbackRecorded
>>> from crisisops.response.records import FeedbackChannel
>>> from crisisops.serialization import from_data, to_data
>>> event = FeedbackRecorded(
...     crisis="traffic_drop",
...     sequence=4,
...     at=dt.datetime(2026, 3, 1, 12, 0, tzinfo=dt.timezone.utc),
...     actor="data desk",
...     channel=FeedbackChannel.SOCIAL_MEDIA,
...     volume=320,
...     sentiment=-0.4,
...     kpis={"traffic.visits": 41000},
... )
>>> event.kpis["traffic.visits"]
41000.0
>>> from_data(FeedbackRecorded, to_data(event)) == event
True
>>> FeedbackRecorded.command
'record_feedback'

A whole crisis shows every kind of event. A regional parcel hub floods and
parcels are late (book §2 物流配送危機: 物流延遲); each command appends one
event to the log:

>>> from decimal import Decimal
>>> from crisisops.planning import StrategyFamily, default_playbooks
>>> from crisisops.response import Crisis, LossCategory, Origin, OriginKind
>>> from crisisops.stakeholders import Channel
>>> from crisisops.taxonomy import ResponseLevel
>>> t0 = dt.datetime(2026, 11, 12, 8, 0, tzinfo=dt.timezone.utc)
>>> def h(n):
...     return t0 + dt.timedelta(hours=n)
>>> crisis = Crisis.declare(
...     "parcel_delay",
...     title="Parcels stuck at a flooded hub",
...     crisis_type="other.logistics_delay",
...     level=ResponseLevel.III,
...     at=h(0),
...     actor="monitor",
...     lead="mei",
... )
>>> report = Origin(kind=OriginKind.REPORT, reference="ticket_881", detected_at=h(1))
>>> crisis = crisis.link_origin(report, at=h(1), actor="mei")
>>> crisis = crisis.confirm(at=h(1), actor="mei", root_cause="The hub flooded")
>>> crisis = crisis.escalate(at=h(2), actor="mei", reason="10,000 parcels late")
>>> crisis = crisis.assign_role("scribe", "bob", at=h(2), actor="mei")
>>> playbook = default_playbooks()["logistics_recovery"]
>>> crisis = crisis.activate_playbook(playbook, at=h(3), actor="mei")
>>> crisis = crisis.assign_action(
...     "refund_fees",
...     at=h(3),
...     actor="mei",
...     title="Refund the shipping fees",
...     owner="bob",
...     due_at=h(8),
...     done_when="Every late order has its fee refunded",
... )
>>> crisis = crisis.start_action("refund_fees", at=h(3), actor="bob")
>>> crisis = crisis.block_action(
...     "refund_fees", at=h(4), actor="bob", reason="Payment gateway rate limit"
... )
>>> crisis = crisis.reassign_action(
...     "refund_fees", at=h(4), actor="mei", reason="Finance batches it", owner="lin"
... )
>>> crisis = crisis.start_action("refund_fees", at=h(5), actor="lin")
>>> crisis = crisis.complete_action("refund_fees", at=h(6), actor="lin")
>>> crisis = crisis.cancel_action(
...     "logistics_recovery.switch_carrier",
...     at=h(6),
...     actor="mei",
...     reason="The hub reopens tomorrow",
... )
>>> crisis = crisis.record_communication(
...     at=h(6),
...     actor="mei",
...     audience="customers",
...     channel=Channel.WEBSITE_NOTICE,
...     internal=False,
...     summary="Parcels are late; shipping fees are refunded.",
... )
>>> crisis = crisis.record_feedback(
...     at=h(7), actor="bob", channel=FeedbackChannel.HOTLINE, volume=240
... )
>>> crisis = crisis.adjust_strategy(
...     at=h(7),
...     actor="mei",
...     summary="Add a coupon to the apology",
...     reason="Callers are still angry",
...     families=[StrategyFamily.COMMUNICATION],
... )
>>> crisis = crisis.reallocate_resources(
...     at=h(7), actor="mei", amounts={"hotline_agents": 12}, reason="Calls doubled"
... )
>>> crisis = crisis.record_loss(
...     at=h(8),
...     actor="mei",
...     category=LossCategory.REFUNDS_COMPENSATION,
...     amount=Decimal("18000"),
... )
>>> crisis = crisis.de_escalate(at=h(9), actor="mei", reason="Backlog moving")
>>> crisis = crisis.relinquish_role("scribe", "bob", at=h(9), actor="bob")
>>> crisis = crisis.mark_contained(at=h(10), actor="mei")
>>> crisis = crisis.mark_recovered(at=h(12), actor="mei")
>>> crisis = crisis.resolve(at=h(20), actor="mei")
>>> crisis = crisis.mark_reviewed(at=h(48), actor="mei")
>>> [type(event).__name__ for event in crisis.events]
... # doctest: +NORMALIZE_WHITESPACE
['CrisisDeclared', 'OriginLinked', 'CrisisConfirmed', 'LevelEscalated',
 'RoleAssigned', 'PlaybookActivated', 'ActionAssigned', 'ActionStarted',
 'ActionBlocked', 'ActionReassigned', 'ActionStarted', 'ActionCompleted',
 'ActionCancelled', 'CommunicationRecorded', 'FeedbackRecorded',
 'StrategyAdjusted', 'ResourcesReallocated', 'LossRecorded', 'LevelDeEscalated',
 'RoleRelinquished', 'CrisisContained', 'CrisisRecovered', 'CrisisResolved',
 'CrisisReviewed']

Each event keeps what its command was given. Picked out of the log by class
(imported from ``crisisops.response``, as a host would):

>>> from crisisops.response import (
...     CrisisConfirmed,
...     CrisisDeclared,
...     LevelDeEscalated,
...     LevelEscalated,
...     OriginLinked,
...     PlaybookActivated,
...     RoleAssigned,
...     RoleRelinquished,
... )
>>> def of(crisis, *kinds):
...     return [event for event in crisis.events if isinstance(event, kinds)]
>>> [(e.sequence, e.actor) for e in of(crisis, CrisisDeclared, CrisisConfirmed)]
[(0, 'monitor'), (2, 'mei')]
>>> [e.origin.reference for e in of(crisis, OriginLinked)]
['ticket_881']
>>> [(e.previous.value, e.level.value) for e in of(crisis, LevelEscalated)]
[('III', 'II')]
>>> [(e.previous.value, e.level.value) for e in of(crisis, LevelDeEscalated)]
[('II', 'III')]
>>> [(e.role, e.member) for e in of(crisis, RoleAssigned, RoleRelinquished)]
[('scribe', 'bob'), ('scribe', 'bob')]
>>> (activated,) = of(crisis, PlaybookActivated)
>>> len(activated.actions), activated.actions[2].key
(6, 'logistics_recovery.switch_carrier')

The refund action's life: assigned to bob, started, blocked, handed to lin,
resumed, done — and a playbook step dropped:

>>> from crisisops.response import (
...     ActionAssigned,
...     ActionBlocked,
...     ActionCancelled,
...     ActionCompleted,
...     ActionReassigned,
...     ActionStarted,
... )
>>> [e.action.owner for e in of(crisis, ActionAssigned)]
['bob']
>>> [str(e.at - t0) for e in of(crisis, ActionStarted)]
['3:00:00', '5:00:00']
>>> [e.reason for e in of(crisis, ActionBlocked)]
['Payment gateway rate limit']
>>> [(e.action, e.owner) for e in of(crisis, ActionReassigned)]
[('refund_fees', 'lin')]
>>> [(e.action, e.actor) for e in of(crisis, ActionCompleted)]
[('refund_fees', 'lin')]
>>> [e.action for e in of(crisis, ActionCancelled)]
['logistics_recovery.switch_carrier']

What went out, what changed, what it cost, and how it ended:

>>> from crisisops.response import (
...     CommunicationRecorded,
...     CrisisContained,
...     CrisisRecovered,
...     CrisisResolved,
...     CrisisReviewed,
...     LossRecorded,
...     ResourcesReallocated,
...     StrategyAdjusted,
... )
>>> [(e.audience, e.channel.value) for e in of(crisis, CommunicationRecorded)]
[('customers', 'website_notice')]
>>> [e.families[0].value for e in of(crisis, StrategyAdjusted)]
['communication']
>>> [dict(e.amounts) for e in of(crisis, ResourcesReallocated)]
[{'hotline_agents': 12.0}]
>>> [(e.category.value, e.amount, e.estimate) for e in of(crisis, LossRecorded)]
[('refunds_compensation', Decimal('18000'), True)]
>>> ends = CrisisContained, CrisisRecovered, CrisisResolved, CrisisReviewed
>>> [str(e.at - t0) for e in of(crisis, *ends)]
['10:00:00', '12:00:00', '20:00:00', '2 days, 0:00:00']

A second report on the same hub was dismissed as the usual Monday backlog,
then reopened and merged into the first crisis:

>>> duplicate = Crisis.declare(
...     "late_parcels",
...     title="Late parcels",
...     crisis_type="other.logistics_delay",
...     level=ResponseLevel.IV,
...     at=h(0.5),
...     actor="monitor",
...     lead="lin",
... )
>>> duplicate = duplicate.dismiss(at=h(1), actor="lin", reason="Monday backlog")
>>> duplicate = duplicate.reopen(at=h(2), actor="lin", reason="Same flooded hub")
>>> duplicate = duplicate.merge_into(
...     "parcel_delay", at=h(2), actor="lin", reason="Same incident"
... )
>>> from crisisops.response import CrisisDismissed, CrisisMerged, CrisisReopened
>>> [e.reason for e in of(duplicate, CrisisDismissed, CrisisReopened)]
['Monday backlog', 'Same flooded hub']
>>> [(e.into, duplicate.status.value) for e in of(duplicate, CrisisMerged)]
[('parcel_delay', 'merged')]

Together the two logs hold every class of `EVENT_TYPES`; every event is a
`CrisisEvent`, stored under its class name:

>>> from crisisops.response import EVENT_TYPES, CrisisEvent
>>> seen = {type(event) for event in crisis.events + duplicate.events}
>>> len(EVENT_TYPES), seen == set(EVENT_TYPES)
(26, True)
>>> all(isinstance(event, CrisisEvent) for event in crisis.events)
True
>>> to_data(crisis)["data"]["events"][5]["@type"]
'PlaybookActivated'
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, ClassVar, TypeAlias

import attrs

from crisisops._time import instant
from crisisops._validation import (
    check_finite,
    check_key,
    field_name,
    is_aware_datetime,
    is_enum,
    is_instance,
    is_key,
    is_optional,
    is_text,
    is_tuple_of,
    is_unique,
    to_tuple,
)
from crisisops.errors import InvalidTypeError, ValidationError
from crisisops.frozen import FrozenDict
from crisisops.planning import StrategyFamily
from crisisops.response._checks import (
    check_not_before,
    is_amount,
    to_decimal,
    to_float,
)
from crisisops.response.lifecycle import CrisisMode
from crisisops.response.records import (
    Action,
    ActionStatus,
    FeedbackChannel,
    LossCategory,
    Origin,
    RateCard,
)
from crisisops.stakeholders import Channel
from crisisops.taxonomy import ResponseLevel

__all__ = [
    "EVENT_TYPES",
    "ActionAssigned",
    "ActionBlocked",
    "ActionCancelled",
    "ActionCompleted",
    "ActionReassigned",
    "ActionStarted",
    "CommunicationRecorded",
    "CrisisConfirmed",
    "CrisisContained",
    "CrisisDeclared",
    "CrisisDismissed",
    "CrisisEvent",
    "CrisisMerged",
    "CrisisRecovered",
    "CrisisReopened",
    "CrisisResolved",
    "CrisisReviewed",
    "FeedbackRecorded",
    "LevelDeEscalated",
    "LevelEscalated",
    "LossRecorded",
    "OriginLinked",
    "PlaybookActivated",
    "ResourcesReallocated",
    "RoleAssigned",
    "RoleRelinquished",
    "StrategyAdjusted",
]

_OPTIONAL_MOMENT = is_optional(is_aware_datetime())
_TEXT = is_text()
_ANY_TEXT = is_text(allow_empty=True)


def _check_sequence(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(name, value, "an int >= 0")
    if value < 0:
        raise ValidationError(name, value, "an int >= 0 (the position in the log)")


@attrs.frozen(kw_only=True)
class _Event:
    """The four fields every crisis event has (see the module docstring)."""

    #: The `Crisis` method that appends this kind of event.
    command: ClassVar[str] = ""

    crisis: str = attrs.field(validator=is_key())
    sequence: int = attrs.field(validator=_check_sequence)
    at: dt.datetime = attrs.field(validator=is_aware_datetime())
    actor: str = attrs.field(validator=_TEXT)


# --- declaring and confirming --------------------------------------------------------


@attrs.frozen(kw_only=True)
class CrisisDeclared(_Event):
    """A crisis was declared: the first event of every log.

    Attributes
    ----------
    crisis, sequence, at, actor
        As on every event (``sequence`` is 0; ``at`` is the declaration).
    title
        A short name for the crisis.
    crisis_type
        Crisis-type key, e.g. ``"market.traffic_swing"``.
    level
        The declared response level.
    mode
        Real, drill or backfilled.
    lead
        Key of the member who leads (holds ``crisis_lead``) from the start.
    origins
        The alerts, risks or reports that started it.
    detected_at
        When the crisis was detected; at or before ``at``.
    impact_started_at
        When the impact began, if known; at or before ``detected_at``.
    rates
        The rate card frozen into the crisis for its response cost, if any.
    summary
        What is known so far.
    """

    command: ClassVar[str] = "declare"

    title: str = attrs.field(validator=_TEXT)
    crisis_type: str = attrs.field(validator=is_key())
    level: ResponseLevel = attrs.field(validator=is_enum(ResponseLevel))
    mode: CrisisMode = attrs.field(validator=is_enum(CrisisMode))
    lead: str = attrs.field(validator=is_key())
    origins: tuple[Origin, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=is_tuple_of(is_instance(Origin, "an Origin")),
    )
    detected_at: dt.datetime = attrs.field(validator=is_aware_datetime())
    impact_started_at: dt.datetime | None = attrs.field(
        default=None, validator=_OPTIONAL_MOMENT
    )
    rates: RateCard | None = attrs.field(
        default=None, validator=is_optional(is_instance(RateCard, "a RateCard"))
    )
    summary: str = attrs.field(default="", validator=_ANY_TEXT)

    def __attrs_post_init__(self) -> None:
        """Check impact started ≤ detected ≤ declared."""
        check_not_before(self.at, "at", self.detected_at, "detected_at")
        if self.impact_started_at is not None:
            check_not_before(
                self.detected_at,
                "detected_at",
                self.impact_started_at,
                "impact_started_at",
            )


@attrs.frozen(kw_only=True)
class CrisisConfirmed(_Event):
    """The crisis's type and root cause were identified (§5.1 精準識別危機類型和根源).

    Attributes
    ----------
    crisis, sequence, at, actor
        As on every event; ``at`` is the acknowledged milestone.
    crisis_type
        The confirmed crisis type (the declared one or a reclassification).
    root_cause
        The root cause found.
    """

    command: ClassVar[str] = "confirm"

    crisis_type: str = attrs.field(validator=is_key())
    root_cause: str = attrs.field(validator=_TEXT)


@attrs.frozen(kw_only=True)
class OriginLinked(_Event):
    """A further signal was linked to a crisis already declared.

    A crisis is often declared on one alert while others about the same
    trouble keep firing (another SKU, another indicator), or a report comes
    in later. Linking them keeps what detected the crisis complete, so trigger
    quality (which rule caught which crisis, how early) counts every alert
    that did. The milestones stay as declared: a signal linked later does
    not move the detection back in time.

    Attributes
    ----------
    crisis, sequence, at, actor
        As on every event.
    origin
        The signal linked; its ``detected_at``, if known, is at or before
        ``at`` (a signal cannot be linked before it was seen).
    """

    command: ClassVar[str] = "link_origin"

    origin: Origin = attrs.field(validator=is_instance(Origin, "an Origin"))

    def __attrs_post_init__(self) -> None:
        """Check that the signal was seen by the time it is linked."""
        if self.origin.detected_at is not None:
            check_not_before(
                self.at, "at", self.origin.detected_at, "origin.detected_at"
            )


# --- levels and roles -----------------------------------------------------------


@attrs.frozen(kw_only=True)
class _LevelMoved(_Event):
    """The fields and check shared by `LevelEscalated` and `LevelDeEscalated`."""

    #: Whether the move makes the level more severe.
    _up: ClassVar[bool] = True

    previous: ResponseLevel = attrs.field(validator=is_enum(ResponseLevel))
    level: ResponseLevel = attrs.field(validator=is_enum(ResponseLevel))
    reason: str = attrs.field(validator=_TEXT)

    def __attrs_post_init__(self) -> None:
        """Check that the level moved the way the event says."""
        up = self._up
        if (self.level > self.previous) != up or self.level is self.previous:
            direction = "more" if up else "less"
            raise ValidationError(
                "level",
                self.level,
                f"a level {direction} severe than the previous one ({self.previous})",
            )


@attrs.frozen(kw_only=True)
class LevelEscalated(_LevelMoved):
    """The response level became more severe.

    Attributes
    ----------
    crisis, sequence, at, actor
        As on every event.
    previous
        The level before.
    level
        The new level, more severe than ``previous``.
    reason
        Why.
    """

    command: ClassVar[str] = "escalate"
    _up: ClassVar[bool] = True


@attrs.frozen(kw_only=True)
class LevelDeEscalated(_LevelMoved):
    """The response level became less severe.

    Attributes
    ----------
    crisis, sequence, at, actor
        As on every event.
    previous
        The level before.
    level
        The new level, less severe than ``previous``.
    reason
        Why.
    """

    command: ClassVar[str] = "de_escalate"
    _up: ClassVar[bool] = False


@attrs.frozen(kw_only=True)
class RoleAssigned(_Event):
    """A member took a role; for the crisis lead, a hand-off.

    Attributes
    ----------
    crisis, sequence, at, actor
        As on every event.
    role
        The role's key.
    member
        The member's key.
    reason
        Why (may be empty).
    handoff_from
        For the ``crisis_lead`` role, the lead handing over (whose
        assignment ends at ``at``); ``None`` for every other role.
    """

    command: ClassVar[str] = "assign_role"

    role: str = attrs.field(validator=is_key(dotted=False))
    member: str = attrs.field(validator=is_key())
    reason: str = attrs.field(default="", validator=_ANY_TEXT)
    handoff_from: str | None = attrs.field(
        default=None, validator=is_optional(is_key())
    )

    def __attrs_post_init__(self) -> None:
        """Check that a hand-off goes to someone else."""
        if self.handoff_from == self.member:
            raise ValidationError(
                "handoff_from", self.handoff_from, "a member other than 'member'"
            )


@attrs.frozen(kw_only=True)
class RoleRelinquished(_Event):
    """A member gave up a role (never the crisis lead: that is a hand-off).

    Attributes
    ----------
    crisis, sequence, at, actor
        As on every event.
    role
        The role's key.
    member
        The member's key.
    reason
        Why (may be empty).
    """

    command: ClassVar[str] = "relinquish_role"

    role: str = attrs.field(validator=is_key(dotted=False))
    member: str = attrs.field(validator=is_key())
    reason: str = attrs.field(default="", validator=_ANY_TEXT)


# --- actions ----------------------------------------------------------------------


def _check_new_action(action: Action, field: str, at: dt.datetime) -> None:
    """Check that ``action`` is as an action is when it is assigned at ``at``."""
    if action.status is not ActionStatus.OPEN:
        raise ValidationError(f"{field}.status", action.status, "OPEN for a new action")
    if instant(action.created_at) != instant(at):
        raise ValidationError(
            f"{field}.created_at",
            action.created_at,
            f"the event's time ({at.isoformat()})",
        )


def _check_actions(instance: Any, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    is_tuple_of(is_instance(Action, "an Action"), min_length=1)(
        instance, attribute, value
    )
    keys = [action.key for action in value]
    if len(set(keys)) != len(keys):
        raise ValidationError(name, keys, "actions with unique keys")


@attrs.frozen(kw_only=True)
class PlaybookActivated(_Event):
    """A playbook (預案) was activated: one action per step, all at once.

    Attributes
    ----------
    crisis, sequence, at, actor
        As on every event.
    playbook
        The playbook's key.
    actions
        The new actions, one per step, keyed ``"<playbook>.<step>"``, each
        open, created at ``at`` and naming the playbook.
    """

    command: ClassVar[str] = "activate_playbook"

    playbook: str = attrs.field(validator=is_key())
    actions: tuple[Action, ...] = attrs.field(
        converter=to_tuple, validator=_check_actions
    )

    def __attrs_post_init__(self) -> None:
        """Check that every action is new, from this playbook, under its key."""
        prefix = f"{self.playbook}."
        for index, action in enumerate(self.actions):
            field = f"actions[{index}]"
            _check_new_action(action, field, self.at)
            if action.playbook != self.playbook:
                raise ValidationError(
                    f"{field}.playbook", action.playbook, f"{self.playbook!r}"
                )
            if not action.key.startswith(prefix):
                raise ValidationError(
                    f"{field}.key", action.key, f"a key starting with {prefix!r}"
                )


@attrs.frozen(kw_only=True)
class ActionAssigned(_Event):
    """An action was added ad hoc, with an owner and a deadline (§5.1).

    Attributes
    ----------
    crisis, sequence, at, actor
        As on every event.
    action
        The new action: open and created at ``at``.
    """

    command: ClassVar[str] = "assign_action"

    action: Action = attrs.field(validator=is_instance(Action, "an Action"))

    def __attrs_post_init__(self) -> None:
        """Check that the action is new."""
        _check_new_action(self.action, "action", self.at)


@attrs.frozen(kw_only=True)
class ActionStarted(_Event):
    """Work on an action started (or resumed after a block).

    Attributes
    ----------
    crisis, sequence, at, actor
        As on every event.
    action
        The action's key.
    """

    command: ClassVar[str] = "start_action"

    action: str = attrs.field(validator=is_key())


@attrs.frozen(kw_only=True)
class ActionCompleted(_Event):
    """An action was done: its "done when" criterion is met.

    Attributes
    ----------
    crisis, sequence, at, actor
        As on every event.
    action
        The action's key.
    note
        How it was verified (may be empty).
    """

    command: ClassVar[str] = "complete_action"

    action: str = attrs.field(validator=is_key())
    note: str = attrs.field(default="", validator=_ANY_TEXT)


@attrs.frozen(kw_only=True)
class ActionBlocked(_Event):
    """An action cannot go on.

    Attributes
    ----------
    crisis, sequence, at, actor
        As on every event.
    action
        The action's key.
    reason
        What blocks it.
    """

    command: ClassVar[str] = "block_action"

    action: str = attrs.field(validator=is_key())
    reason: str = attrs.field(validator=_TEXT)


@attrs.frozen(kw_only=True)
class ActionReassigned(_Event):
    """An outstanding action got a new owner or deadline (or both).

    Attributes
    ----------
    crisis, sequence, at, actor
        As on every event.
    action
        The action's key.
    owner
        The owner from now on (the same member when only the deadline moves).
    due_at
        The deadline from now on (the same moment when only the owner changes).
    reason
        Why.
    """

    command: ClassVar[str] = "reassign_action"

    action: str = attrs.field(validator=is_key())
    owner: str = attrs.field(validator=is_key())
    due_at: dt.datetime = attrs.field(validator=is_aware_datetime())
    reason: str = attrs.field(validator=_TEXT)


@attrs.frozen(kw_only=True)
class ActionCancelled(_Event):
    """An outstanding action was dropped.

    Attributes
    ----------
    crisis, sequence, at, actor
        As on every event.
    action
        The action's key.
    reason
        Why.
    """

    command: ClassVar[str] = "cancel_action"

    action: str = attrs.field(validator=is_key())
    reason: str = attrs.field(validator=_TEXT)


# --- communication, feedback, adjustment, loss -----------------------------------


@attrs.frozen(kw_only=True)
class CommunicationRecorded(_Event):
    """A message went out to a stakeholder group (book §5.3 溝通).

    Attributes
    ----------
    crisis, sequence, at, actor
        As on every event; ``at`` is when the message was sent.
    audience
        The communication-plan group key, e.g. ``"customers"``.
    channel
        The channel it went through.
    internal
        Whether the audience is inside the company.
    summary
        What it said.
    strategy
        The message strategy used (e.g. an SCCT response strategy), if any.
    next_update_at
        When the message promised the next update, if it did; strictly after
        ``at`` (PagerDuty: every update says when the next one comes). The
        same rule as a stakeholders `SentMessage`, so every recorded message
        converts to one.
    final
        Whether this is the last message to the group (the all-clear); a
        final message promises no next update.
    """

    command: ClassVar[str] = "record_communication"

    audience: str = attrs.field(validator=is_key(dotted=False))
    channel: Channel = attrs.field(validator=is_enum(Channel))
    internal: bool = attrs.field(validator=is_instance(bool, "a bool"))
    summary: str = attrs.field(validator=_TEXT)
    strategy: str | None = attrs.field(default=None, validator=is_optional(_TEXT))
    next_update_at: dt.datetime | None = attrs.field(
        default=None, validator=_OPTIONAL_MOMENT
    )
    final: bool = attrs.field(default=False, validator=is_instance(bool, "a bool"))

    def __attrs_post_init__(self) -> None:
        """Check that a promise is after the message and not on a final one."""
        if self.next_update_at is None:
            return
        if self.final:
            raise ValidationError(
                "next_update_at",
                self.next_update_at,
                "None on a final message (the all-clear promises no next update)",
            )
        if instant(self.next_update_at) <= instant(self.at):
            raise ValidationError(
                "next_update_at",
                self.next_update_at,
                f"a moment after at ({self.at.isoformat()})",
            )


def _to_float_map(value: Any) -> Any:  # noqa: ANN401  the validator reports the rest
    """Turn a mapping into a FrozenDict, ints (not bools) into floats."""
    if isinstance(value, Mapping):
        return FrozenDict(
            {
                key: float(item)
                if isinstance(item, int) and not isinstance(item, bool)
                else item
                for key, item in value.items()
            }
        )
    return value


def _float_map_validator(*, low: float | None, min_size: int) -> Any:  # noqa: ANN401
    def validate(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
        name = field_name(attribute)
        if not isinstance(value, FrozenDict):
            raise InvalidTypeError(name, value, "a mapping of key to number")
        if len(value) < min_size:
            raise ValidationError(name, value, f"at least {min_size} entry")
        for key, number in value.items():
            check_key(key, f"{name} key")
            check_finite(number, f"{name}[{key!r}]", low=low)

    return validate


def _check_volume(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(name, value, "an int >= 0")
    if value < 0:
        raise ValidationError(name, value, "an int >= 0")


def _optional_finite(low: float, high: float) -> Any:  # noqa: ANN401
    def validate(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
        if value is not None:
            check_finite(value, field_name(attribute), low=low, high=high)

    return validate


@attrs.frozen(kw_only=True)
class FeedbackRecorded(_Event):
    """A batch of feedback came in (book §5.2 實時反饋機制).

    Attributes
    ----------
    crisis, sequence, at, actor
        As on every event; ``at`` is when the batch was observed.
    channel
        Where it came from.
    volume
        How many items (posts, calls, chats, e-mails), >= 0.
    sentiment
        Mean sentiment of the batch in [-1, 1] (-1 all negative, +1 all
        positive), if measured.
    negative_share
        Share of negative items in [0, 1], if measured.
    kpis
        Metric key → reading, e.g. ``{"traffic.visits": 41000.0}``; finite.
    note
        A remark (may be empty).
    """

    command: ClassVar[str] = "record_feedback"

    channel: FeedbackChannel = attrs.field(validator=is_enum(FeedbackChannel))
    volume: int = attrs.field(validator=_check_volume)
    sentiment: float | None = attrs.field(
        default=None, converter=to_float, validator=_optional_finite(-1, 1)
    )
    negative_share: float | None = attrs.field(
        default=None, converter=to_float, validator=_optional_finite(0, 1)
    )
    kpis: FrozenDict[str, float] = attrs.field(
        factory=FrozenDict,
        converter=_to_float_map,
        validator=_float_map_validator(low=None, min_size=0),
    )
    note: str = attrs.field(default="", validator=_ANY_TEXT)


@attrs.frozen(kw_only=True)
class StrategyAdjusted(_Event):
    """The response strategy was adjusted (§5.2 調整策略的實踐方法).

    Attributes
    ----------
    crisis, sequence, at, actor
        As on every event.
    summary
        What changed.
    reason
        Why (e.g. the feedback that prompted it).
    families
        The strategy families of book §4 the change concerns.
    """

    command: ClassVar[str] = "adjust_strategy"

    summary: str = attrs.field(validator=_TEXT)
    reason: str = attrs.field(validator=_TEXT)
    families: tuple[StrategyFamily, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=[is_tuple_of(is_enum(StrategyFamily)), is_unique("strategy family")],
    )


@attrs.frozen(kw_only=True)
class ResourcesReallocated(_Event):
    """Resources were re-allocated (§5.2 優化資源配置).

    Attributes
    ----------
    crisis, sequence, at, actor
        As on every event.
    amounts
        Resource key → the amount committed from now on (finite, >= 0), at
        least one; resources not listed keep their amounts.
    reason
        Why.
    """

    command: ClassVar[str] = "reallocate_resources"

    amounts: FrozenDict[str, float] = attrs.field(
        converter=_to_float_map, validator=_float_map_validator(low=0.0, min_size=1)
    )
    reason: str = attrs.field(validator=_TEXT)


@attrs.frozen(kw_only=True)
class LossRecorded(_Event):
    """A business loss was recorded — kept apart from the response cost.

    Attributes
    ----------
    crisis, sequence, at, actor
        As on every event.
    category
        The kind of loss.
    amount
        How much, in the rate card's currency (exact, >= 0).
    estimate
        Whether it is an estimate (``False``: an actual, booked amount).
    note
        A remark (may be empty).
    """

    command: ClassVar[str] = "record_loss"

    category: LossCategory = attrs.field(validator=is_enum(LossCategory))
    amount: Decimal = attrs.field(converter=to_decimal, validator=is_amount)
    estimate: bool = attrs.field(default=True, validator=is_instance(bool, "a bool"))
    note: str = attrs.field(default="", validator=_ANY_TEXT)


# --- lifecycle ------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CrisisContained(_Event):
    """The situation is under control (§5.1 控制事態發展).

    Attributes
    ----------
    crisis, sequence, at, actor
        As on every event.
    summary
        What was done (may be empty).
    """

    command: ClassVar[str] = "mark_contained"

    summary: str = attrs.field(default="", validator=_ANY_TEXT)


@attrs.frozen(kw_only=True)
class CrisisRecovered(_Event):
    """Recovery was reached (§5.1 後期評估與恢復).

    Attributes
    ----------
    crisis, sequence, at, actor
        As on every event.
    summary
        What was done (may be empty).
    """

    command: ClassVar[str] = "mark_recovered"

    summary: str = attrs.field(default="", validator=_ANY_TEXT)


@attrs.frozen(kw_only=True)
class CrisisResolved(_Event):
    """The crisis is over.

    Attributes
    ----------
    crisis, sequence, at, actor
        As on every event.
    summary
        The outcome (may be empty).
    """

    command: ClassVar[str] = "resolve"

    summary: str = attrs.field(default="", validator=_ANY_TEXT)


@attrs.frozen(kw_only=True)
class CrisisDismissed(_Event):
    """The warning was a false alarm (誤報).

    Attributes
    ----------
    crisis, sequence, at, actor
        As on every event.
    reason
        Why it is not a crisis.
    """

    command: ClassVar[str] = "dismiss"

    reason: str = attrs.field(validator=_TEXT)


@attrs.frozen(kw_only=True)
class CrisisMerged(_Event):
    """The crisis was folded into another one (a duplicate).

    Attributes
    ----------
    crisis, sequence, at, actor
        As on every event.
    into
        Key of the crisis it was merged into.
    reason
        Why.
    """

    command: ClassVar[str] = "merge_into"

    into: str = attrs.field(validator=is_key())
    reason: str = attrs.field(validator=_TEXT)

    def __attrs_post_init__(self) -> None:
        """Check that a crisis is not merged into itself."""
        if self.into == self.crisis:
            raise ValidationError("into", self.into, "the key of another crisis")


@attrs.frozen(kw_only=True)
class CrisisReopened(_Event):
    """A resolved, reviewed or dismissed crisis was reopened.

    Attributes
    ----------
    crisis, sequence, at, actor
        As on every event.
    reason
        Why it is back.
    """

    command: ClassVar[str] = "reopen"

    reason: str = attrs.field(validator=_TEXT)


@attrs.frozen(kw_only=True)
class CrisisReviewed(_Event):
    """The post-crisis review was done (book §6 後期復盤).

    Attributes
    ----------
    crisis, sequence, at, actor
        As on every event.
    summary
        The review's conclusion (may be empty).
    review
        A reference to the review record (e.g. its key), if any.
    """

    command: ClassVar[str] = "mark_reviewed"

    summary: str = attrs.field(default="", validator=_ANY_TEXT)
    review: str | None = attrs.field(default=None, validator=is_optional(_TEXT))


#: Any crisis event; a type alias usable in annotations read by ``from_data``
#: (e.g. ``tuple[CrisisEvent, ...]``: each item is tagged with ``"@type"``).
CrisisEvent: TypeAlias = (
    CrisisDeclared
    | CrisisConfirmed
    | OriginLinked
    | LevelEscalated
    | LevelDeEscalated
    | RoleAssigned
    | RoleRelinquished
    | PlaybookActivated
    | ActionAssigned
    | ActionStarted
    | ActionCompleted
    | ActionBlocked
    | ActionReassigned
    | ActionCancelled
    | CommunicationRecorded
    | FeedbackRecorded
    | StrategyAdjusted
    | ResourcesReallocated
    | LossRecorded
    | CrisisContained
    | CrisisRecovered
    | CrisisResolved
    | CrisisDismissed
    | CrisisMerged
    | CrisisReopened
    | CrisisReviewed
)

#: Every event class, in the order of the `CrisisEvent` union.
EVENT_TYPES: tuple[type[_Event], ...] = (
    CrisisDeclared,
    CrisisConfirmed,
    OriginLinked,
    LevelEscalated,
    LevelDeEscalated,
    RoleAssigned,
    RoleRelinquished,
    PlaybookActivated,
    ActionAssigned,
    ActionStarted,
    ActionCompleted,
    ActionBlocked,
    ActionReassigned,
    ActionCancelled,
    CommunicationRecorded,
    FeedbackRecorded,
    StrategyAdjusted,
    ResourcesReallocated,
    LossRecorded,
    CrisisContained,
    CrisisRecovered,
    CrisisResolved,
    CrisisDismissed,
    CrisisMerged,
    CrisisReopened,
    CrisisReviewed,
)
