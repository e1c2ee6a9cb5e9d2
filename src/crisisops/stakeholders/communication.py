"""Communication plans: who hears what, through which channel, by when (book §5).

Book §5 (保持與內外部利益相關者的溝通) orders crisis communication in two
steps. First **internal communication** (1.內部溝通策略): "在危機發生時,企業內部
信息的流通至關重要。運營團隊需及時召開緊急會議,確保所有部門了解危機的真實情況、
可能的影響以及應對措施" — an emergency meeting so that every department knows
the facts before anyone outside hears them. Then the **external stakeholders**
(2.外部利益相關者溝通): customers through the official website and social media,
suppliers and partners to keep supply stable, the media so that reports are
accurate. Throughout, the attitude is sincere and transparent (3.真誠透明的溝通
態度), and communication is "not a one-off activity but a continuous process"
(5.跟進與反饋: 溝通不是一次性的活動,而是一個持續的過程).

`plan_communication()` turns that into a `CommunicationPlan` from the crisis
type, its response level and the stakeholder graph: one `PlanStep` per
stakeholder group (the stakeholders of one kind), internal groups first, each
with

* its **channels** — the kind's default channels, then the members' preferred
  ones (`crisisops.stakeholders.graph.Channel`);
* its **owner role** — a role key of the response team (book §4.1: customer
  service soothes consumers, marketing/PR handles the media, ...; see
  `DEFAULT_OWNER_ROLES`);
* its **message strategy** — the SCCT `MessageStrategy` of the
  recommendation, the same for every group (guideline 8: stay consistent); a
  plan never mixes deny with diminish or rebuild;
* its **first-message deadline** and **update cadence** (`UpdateCadence`).

Default cadences follow PagerDuty's external communication guidelines (see
`default_cadence()`): the first message fast, then updates on a fixed rhythm,
a slower rhythm once the incident runs long, and every update saying when the
next one comes. The cadence is a `datetime.timedelta` interval rather than a
`crisisops._time.Recurrence`, because a recurrence repeats daily at the
finest, and because each deadline runs from the update actually sent.

`check_plan()` compares a plan with the log of `SentMessage` entries and
reports, as of a moment, overdue first messages, missed updates and updates
that did not say when the next one comes (`PlanCheck`).

Deadlines are elapsed time and every comparison is between instants: a
30-minute update is due 30 real minutes later even across a daylight-saving
change, and a log kept in UTC checks the same as one kept in local time
(Python would otherwise compare two datetimes of one zone by their wall
clocks). Deadlines are expressed in the zone of the moment they count from.

References
----------
PagerDuty. "External Communication Guidelines." *PagerDuty Incident Response
Documentation*. https://response.pagerduty.com/during/external_communication_guidelines/.

Coombs, W. Timothy. 2007. "Protecting Organization Reputations During a
Crisis: The Development and Application of Situational Crisis Communication
Theory." *Corporate Reputation Review* 10 (3): 163–76.
https://doi.org/10.1057/palgrave.crr.1550049.

Examples
--------
A Level II outage at a small shop with staff, customers and one newspaper:

>>> from datetime import datetime, timedelta, timezone
>>> from crisisops.stakeholders.communication import CommunicationPlan, FindingKind
>>> from crisisops.stakeholders.communication import PlanFinding, PlanStep, SentMessage
>>> from crisisops.stakeholders.communication import check_plan, plan_communication
>>> from crisisops.stakeholders.graph import Stakeholder, StakeholderGraph
>>> from crisisops.taxonomy import ResponseLevel
>>> def member(key, kind, urgency):
...     return Stakeholder(
...         key=key,
...         name=key,
...         kind=kind,
...         power=0.5,
...         legitimacy=0.8,
...         urgency=urgency,
...         interest=0.7,
...     )
>>> shop = StakeholderGraph(
...     stakeholders=[
...         member("buyers", "customers", 0.9),
...         member("daily_news", "media", 0.6),
...         member("staff", "employees", 0.8),
...     ]
... )
>>> taipei = timezone(timedelta(hours=8))
>>> start = datetime(2026, 11, 11, 0, 0, tzinfo=taipei)
>>> plan: CommunicationPlan = plan_communication(
...     "technical.system_failure", ResponseLevel.II, shop, at=start
... )
>>> plan.groups, plan.scct_type.value  # internal first (book §5 內部溝通)
(('employees', 'customers', 'media'), 'technical_error_accident')
>>> [f"{step.first_message_due:%H:%M}" for step in plan.steps]
['00:15', '00:30', '00:30']
>>> [step.owner_role for step in plan.steps]
['comms_liaison', 'customer_service', 'marketing_pr']

Each group's `PlanStep` says through which channels it hears, what the SCCT
message is, and how often it hears again:

>>> customers: PlanStep = plan.step("customers")
>>> customers.internal, customers.stakeholders
(False, ('buyers',))
>>> [c.value for c in customers.channels]
['website_notice', 'social_media', 'online_service', 'hotline']
>>> [response.value for response in customers.message.base_response]
['instructing_information', 'adjusting_information']
>>> str(customers.cadence.every), str(customers.cadence.long_every)
('0:30:00', '2:00:00')

The customers' deadlines if each is met exactly (every 30 minutes, every two
hours once the incident is two hours old), and an update promised earlier
than the cadence, which is held to its promise:

>>> until = start + timedelta(hours=4, minutes=30)
>>> [f"{due:%H:%M}" for due in plan.due_times("customers", until)]
['00:30', '01:00', '01:30', '02:00', '04:00']
>>> sent = start + timedelta(minutes=30)
>>> plan.next_update_due("customers", sent).strftime("%H:%M")
'01:00'
>>> promise = start + timedelta(minutes=45)
>>> plan.next_update_due("customers", sent, promise).strftime("%H:%M")
'00:45'

The log so far: staff met on time, customers heard late, and the one update
to customers did not say when the next comes; the media heard nothing.

>>> log = [
...     SentMessage(
...         group="employees",
...         channel="internal_meeting",
...         sent_at=start + timedelta(minutes=10),
...         states_next_update_at=start + timedelta(minutes=40),
...     ),
...     SentMessage(
...         group="customers",
...         channel="website_notice",
...         sent_at=start + timedelta(minutes=45),
...     ),
... ]
>>> check = check_plan(plan, log, as_of=start + timedelta(minutes=50))
>>> [f.kind.value for f in check.findings]  # doctest: +NORMALIZE_WHITESPACE
['overdue_first_message', 'overdue_first_message', 'missed_update',
 'next_update_not_stated']
>>> [f.group for f in check.findings]
['customers', 'media', 'employees', 'customers']
>>> [str(f.late_by) for f in check.findings]
['0:15:00', '0:20:00', '0:10:00', 'None']
>>> check.next_due["customers"].strftime("%H:%M")
'01:15'

The `PlanCheck` sorts its `PlanFinding` entries by `FindingKind`. A finding
about a message not yet sent has no ``sent_at`` and is late as of the check:

>>> check.ok
False
>>> [f.group for f in check.overdue_first_messages]
['customers', 'media']
>>> [f.group for f in check.missed_updates]
['employees']
>>> [f.group for f in check.unstated_next_updates]
['customers']
>>> media: PlanFinding = check.overdue_first_messages[1]
>>> media.kind is FindingKind.OVERDUE_FIRST_MESSAGE
True
>>> f"{media.due_at:%H:%M}", media.sent_at, str(media.late_by)
('00:30', None, '0:20:00')
>>> media.moment == media.due_at
True

Owner roles come from `DEFAULT_OWNER_ROLES`; a stakeholder kind of your
own gets `FALLBACK_OWNER_ROLE`:

>>> from crisisops.labels import Labels
>>> from crisisops.stakeholders.communication import (
...     DEFAULT_OWNER_ROLES,
...     FALLBACK_OWNER_ROLE,
... )
>>> from crisisops.stakeholders.graph import StakeholderKind, default_kinds
>>> podcasters = StakeholderKind(
...     key="podcasters",
...     labels=Labels.of("Podcasters", "播客", "播客"),
...     internal=False,
...     channels=["social_media"],
... )
>>> wider = shop.with_stakeholder(member("tea_talk", "podcasters", 0.4))
>>> plan = plan_communication(
...     "technical.system_failure",
...     ResponseLevel.II,
...     wider,
...     at=start,
...     kinds=default_kinds().add(podcasters),
... )
>>> DEFAULT_OWNER_ROLES["media"], plan.step("media").owner_role
('marketing_pr', 'marketing_pr')
>>> FALLBACK_OWNER_ROLE, plan.step("podcasters").owner_role
('comms_liaison', 'comms_liaison')
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from crisisops._time import after_elapsed, instant
from crisisops._validation import (
    check_aware,
    check_key,
    field_name,
    is_aware_datetime,
    is_enum,
    is_instance,
    is_key,
    is_optional,
    is_tuple_of,
    is_unique,
    to_frozendict,
    to_str_tuple,
    to_tuple,
)
from crisisops.errors import InvalidTypeError, UnknownKeyError, ValidationError
from crisisops.frozen import FrozenDict
from crisisops.labels import Labels
from crisisops.stakeholders.classification import who_hears_first
from crisisops.stakeholders.graph import (
    Channel,
    StakeholderGraph,
    StakeholderKindCatalog,
    _check_channel,
    _to_channel,
    _to_channels,
    default_kinds,
)
from crisisops.stakeholders.scct import (
    MessageStrategy,
    ResponsePosture,
    ResponseRecommendation,
    check_strategies,
)
from crisisops.taxonomy import (
    CrisisType,
    CrisisTypeCatalog,
    ResponseLevel,
    SCCTCrisisType,
    default_catalog,
)

__all__ = [
    "DEFAULT_OWNER_ROLES",
    "FALLBACK_OWNER_ROLE",
    "CommunicationPlan",
    "FindingKind",
    "PlanCheck",
    "PlanFinding",
    "PlanStep",
    "SentMessage",
    "UpdateCadence",
    "check_plan",
    "default_cadence",
    "plan_communication",
]

_ZERO = dt.timedelta(0)
_DENY_TYPES = frozenset({SCCTCrisisType.RUMOR, SCCTCrisisType.CHALLENGE})


_labels = Labels.of


# --- validators -------------------------------------------------------------------


def _check_duration(value: object, field: str, *, positive: bool) -> dt.timedelta:
    if not isinstance(value, dt.timedelta):
        raise InvalidTypeError(field, value, "a datetime.timedelta")
    if value < _ZERO or (positive and value == _ZERO):
        bound = "> 0" if positive else ">= 0"
        raise ValidationError(field, value, f"a duration {bound}")
    return value


def _positive_duration(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    _check_duration(value, field_name(attribute), positive=True)


def _optional_positive_duration(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    if value is not None:
        _check_duration(value, field_name(attribute), positive=True)


def _non_negative_duration(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    _check_duration(value, field_name(attribute), positive=False)


def _check_bool(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    if not isinstance(value, bool):
        raise InvalidTypeError(field_name(attribute), value, "a bool")


# --- cadence ----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class UpdateCadence:
    """When a group hears first, and how often it hears again.

    Attributes
    ----------
    first_within
        How long after the plan's start (``at``) the first message is due,
        ``>= 0``.
    every
        Update interval: after each message the next one is due this long
        later (or earlier, if the message promised an earlier time), ``> 0``.
    long_after
        When the incident counts as long, measured from the plan's start; from
        then on updates follow ``long_every``. ``None`` (with ``long_every``
        ``None``) keeps ``every`` for good.
    long_every
        Update interval of a long incident, at least ``every``.

    Raises
    ------
    ValidationError
        For a negative or zero duration where a positive one is needed, only
        one of ``long_after`` and ``long_every``, or ``long_every`` shorter
        than ``every``.

    Examples
    --------
    Level I for external groups: first within 10 minutes, then every 20
    minutes, hourly once the incident is two hours old:

    >>> from datetime import timedelta
    >>> from crisisops.taxonomy import ResponseLevel
    >>> cadence = default_cadence(ResponseLevel.I, internal=False)
    >>> cadence == UpdateCadence(
    ...     first_within=timedelta(minutes=10),
    ...     every=timedelta(minutes=20),
    ...     long_after=timedelta(hours=2),
    ...     long_every=timedelta(hours=1),
    ... )
    True
    >>> (
    ...     str(cadence.interval_at(timedelta(hours=1))),
    ...     str(cadence.interval_at(timedelta(hours=3))),
    ... )
    ('0:20:00', '1:00:00')
    """

    first_within: dt.timedelta = attrs.field(validator=_non_negative_duration)
    every: dt.timedelta = attrs.field(validator=_positive_duration)
    long_after: dt.timedelta | None = attrs.field(
        default=None, validator=_optional_positive_duration
    )
    long_every: dt.timedelta | None = attrs.field(
        default=None, validator=_optional_positive_duration
    )

    def __attrs_post_init__(self) -> None:
        """Check that the long-incident fields come together and slow down."""
        if (self.long_after is None) != (self.long_every is None):
            raise ValidationError(
                "long_every",
                self.long_every,
                "set together with 'long_after' (both or neither)",
            )
        if self.long_every is not None and self.long_every < self.every:
            raise ValidationError(
                "long_every", self.long_every, f"at least 'every' ({self.every})"
            )

    def interval_at(self, elapsed: dt.timedelta) -> dt.timedelta:
        """Return the update interval ``elapsed`` after the plan's start.

        Parameters
        ----------
        elapsed
            Time since the plan's start (may be negative for a message sent
            before it; the normal interval applies then).
        """
        if not isinstance(elapsed, dt.timedelta):
            raise InvalidTypeError("elapsed", elapsed, "a datetime.timedelta")
        if self.long_after is not None and elapsed >= self.long_after:
            assert self.long_every is not None  # noqa: S101  checked on construction
            return self.long_every
        return self.every


_MINUTE = dt.timedelta(minutes=1)
_HOUR = dt.timedelta(hours=1)

# level: (internal first, external first, every, long after, long every)
_DEFAULT_CADENCES: dict[
    ResponseLevel,
    tuple[dt.timedelta, dt.timedelta, dt.timedelta, dt.timedelta, dt.timedelta],
] = {
    ResponseLevel.I: (5 * _MINUTE, 10 * _MINUTE, 20 * _MINUTE, 2 * _HOUR, _HOUR),
    ResponseLevel.II: (15 * _MINUTE, 30 * _MINUTE, 30 * _MINUTE, 2 * _HOUR, 2 * _HOUR),
    ResponseLevel.III: (30 * _MINUTE, _HOUR, _HOUR, 8 * _HOUR, 4 * _HOUR),
    ResponseLevel.IV: (_HOUR, 4 * _HOUR, 4 * _HOUR, 24 * _HOUR, 24 * _HOUR),
}


def _resolve_level(level: object) -> ResponseLevel:
    if isinstance(level, ResponseLevel):
        return level
    if isinstance(level, str):
        try:
            return ResponseLevel(level)
        except ValueError:
            raise UnknownKeyError(
                "response level", level, [lv.value for lv in ResponseLevel]
            ) from None
    raise InvalidTypeError("level", level, "a ResponseLevel (or 'I' ... 'IV')")


def default_cadence(level: ResponseLevel | str, *, internal: bool) -> UpdateCadence:
    """Return the default cadence of a response level, for internal or external groups.

    Level I (特別重大, SEV1) follows PagerDuty's guidelines for a major
    incident: the first external post goes out "within 5 minutes of kicking
    off the incident call"; updates come "at least every 20 minutes" for the
    first two hours; after two hours the incident is long and may be updated
    "with reduced frequency"; every update gives "an expectation of when the
    next update will be posted". Our choices around them: the incident call
    is the internal emergency meeting (book §5 緊急會議), held within 5
    minutes of the declaration, so the external post is due 10 minutes in;
    a long incident is updated hourly. Lower levels stretch the same shape
    (crisisops' choice, not PagerDuty's):

    ===== ======== ======== ======== ========== ==========
    Level internal external every    long after long every
    ===== ======== ======== ======== ========== ==========
    I     5 min    10 min   20 min   2 h        1 h
    II    15 min   30 min   30 min   2 h        2 h
    III   30 min   1 h      1 h      8 h        4 h
    IV    1 h      4 h      4 h      24 h       24 h
    ===== ======== ======== ======== ========== ==========

    Internal groups always hear first (book §5: 內部溝通 before 外部利益相關者
    溝通); both follow the same update rhythm.

    Parameters
    ----------
    level
        The crisis's response level (or its value, ``"I"`` ... ``"IV"``).
    internal
        ``True`` for internal groups (employees), ``False`` for the others.

    Examples
    --------
    >>> from crisisops.taxonomy import ResponseLevel
    >>> default_cadence(ResponseLevel.I, internal=False).first_within
    datetime.timedelta(seconds=600)
    >>> default_cadence("IV", internal=True).every
    datetime.timedelta(seconds=14400)
    """
    resolved = _resolve_level(level)
    if not isinstance(internal, bool):
        raise InvalidTypeError("internal", internal, "a bool")
    internal_first, external_first, every, long_after, long_every = _DEFAULT_CADENCES[
        resolved
    ]
    return UpdateCadence(
        first_within=internal_first if internal else external_first,
        every=every,
        long_after=long_after,
        long_every=long_every,
    )


# --- owners -----------------------------------------------------------------------

#: Default owner role of each stakeholder kind, after book §4.1's duties:
#: customer service soothes consumers (客戶服務團隊負責消費者溝通與安撫),
#: marketing/PR handles brand communication and public relations (市場營銷人員
#: 負責危機中的品牌傳播與公關工作), legal counsel advises (法律顧問), and the
#: supply-chain lead keeps suppliers and partners on side (保持供應鏈的穩定性).
#: Employees hear from the communications liaison (PagerDuty's internal
#: liaison), investors from the finance lead, the platform from the
#: e-commerce operations expert (電商運營專家).
DEFAULT_OWNER_ROLES: FrozenDict[str, str] = FrozenDict(
    {
        "customers": "customer_service",
        "customer_segment": "customer_service",
        "suppliers": "supply_chain_lead",
        "logistics_partners": "supply_chain_lead",
        "partners": "supply_chain_lead",
        "platform": "ops_expert",
        "media": "marketing_pr",
        "influencers": "marketing_pr",
        "public": "marketing_pr",
        "employees": "comms_liaison",
        "regulators": "legal_counsel",
        "investors": "finance_lead",
    }
)

#: Owner role of a kind without a default (a kind you added to the catalog).
FALLBACK_OWNER_ROLE = "comms_liaison"


# --- plan -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class PlanStep:
    """What one stakeholder group hears, through which channels, and when.

    Attributes
    ----------
    group
        The group's key: the stakeholder kind of its members, e.g.
        ``"customers"``.
    labels
        The group's name in English, 繁體 and 简体 (the kind's labels).
    internal
        Whether the group is inside the company (heard first, book §5).
    stakeholders
        Keys of the group's members in the graph, at least one.
    channels
        Channels to use, in order of preference, at least one.
    owner_role
        Key of the response-team role that owns this group's messages, e.g.
        ``"customer_service"``.
    message
        The SCCT message strategy: base response first, then the posture's
        strategies.
    first_message_due
        Deadline of the first message (timezone-aware).
    cadence
        How often the group hears again; see `UpdateCadence`.

    Raises
    ------
    ValidationError, InvalidTypeError, NaiveDatetimeError
        For a malformed key, no member or no channel, a repeated channel or
        member, or a naive deadline.
    UnknownKeyError
        For a channel key that names no `Channel` (with suggestions).

    Examples
    --------
    `plan_communication()` builds the steps; the module example reads the
    customers' step of a Level II plan (channels, SCCT message, cadence).
    """

    group: str = attrs.field(validator=is_key(dotted=False))
    labels: Labels = attrs.field(validator=is_instance(Labels, "a Labels"))
    internal: bool = attrs.field(validator=_check_bool)
    stakeholders: tuple[str, ...] = attrs.field(
        converter=to_str_tuple,
        validator=[is_tuple_of(is_key(), min_length=1), is_unique("stakeholder")],
    )
    channels: tuple[Channel, ...] = attrs.field(
        converter=_to_channels,
        validator=[is_tuple_of(_check_channel, min_length=1), is_unique("channel")],
    )
    owner_role: str = attrs.field(validator=is_key(dotted=False))
    message: MessageStrategy = attrs.field(
        validator=is_instance(MessageStrategy, "a MessageStrategy")
    )
    first_message_due: dt.datetime = attrs.field(validator=is_aware_datetime())
    cadence: UpdateCadence = attrs.field(
        validator=is_instance(UpdateCadence, "an UpdateCadence")
    )


def _check_steps(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    is_tuple_of(is_instance(PlanStep, "a PlanStep"), min_length=1)(
        _instance, attribute, value
    )
    groups: set[str] = set()
    members: dict[str, str] = {}
    for index, step in enumerate(value):
        if step.group in groups:
            raise ValidationError(
                f"{name}[{index}].group", step.group, "a group not planned before"
            )
        groups.add(step.group)
        for key in step.stakeholders:
            if key in members:
                raise ValidationError(
                    f"{name}[{index}].stakeholders",
                    key,
                    f"a stakeholder in one group only (already in {members[key]!r})",
                )
            members[key] = step.group


@attrs.frozen(kw_only=True)
class CommunicationPlan:
    """The communication plan of one crisis: one `PlanStep` per stakeholder group.

    Build it with `plan_communication()`; check it against what was sent with
    `check_plan()`.

    Attributes
    ----------
    crisis_type
        Key of the crisis type.
    scct_type
        Its SCCT crisis type, or ``None`` if SCCT does not apply.
    level
        The response level the cadences were chosen for.
    at
        When the plan starts (the crisis was declared); timezone-aware.
    steps
        The groups, internal ones first; each group and each stakeholder once.
    recommendation
        The SCCT recommendation the message strategies come from, if any.

    Raises
    ------
    ValidationError
        If an external group comes before an internal one or is due to hear
        first (book §5: 內部溝通 first), a first message is due before ``at``,
        the strategies of the plan mix deny with diminish or rebuild
        (Coombs 2007, guideline 8), deny is used outside a rumor or challenge
        crisis (guideline 7), or the recommendation is for another crisis.

    Examples
    --------
    The module example plans a Level II outage for staff, customers and the
    media, lists the customers' deadlines with `due_times()` and holds an
    early promise with `next_update_due()`.
    """

    crisis_type: str = attrs.field(validator=is_key())
    scct_type: SCCTCrisisType | None = attrs.field(
        validator=is_optional(is_enum(SCCTCrisisType))
    )
    level: ResponseLevel = attrs.field(validator=is_enum(ResponseLevel))
    at: dt.datetime = attrs.field(validator=is_aware_datetime())
    steps: tuple[PlanStep, ...] = attrs.field(
        converter=to_tuple, validator=_check_steps
    )
    recommendation: ResponseRecommendation | None = attrs.field(
        default=None,
        validator=is_optional(
            is_instance(ResponseRecommendation, "a ResponseRecommendation")
        ),
    )

    def __attrs_post_init__(self) -> None:
        """Check internal-first order, deadlines, and SCCT consistency."""
        self._check_order()
        strategies = {s for step in self.steps for s in step.message.strategies}
        supplements = {s for step in self.steps for s in step.message.supplementary}
        check_strategies(
            sorted(strategies | supplements, key=lambda s: s.value), "steps.message"
        )
        uses_deny = any(
            step.message.posture is ResponsePosture.DENY for step in self.steps
        )
        if uses_deny and self.scct_type not in _DENY_TYPES:
            raise ValidationError(
                "steps.message",
                ResponsePosture.DENY.value,
                "no deny posture outside a rumor or challenge crisis "
                "(Coombs 2007, guideline 7)",
            )
        rec = self.recommendation
        if rec is not None and (
            rec.scct_type is not self.scct_type
            or rec.crisis_type not in (None, self.crisis_type)
        ):
            raise ValidationError(
                "recommendation",
                rec.crisis_type or rec.scct_type.value,
                f"a recommendation for this crisis ({self.crisis_type!r})",
            )

    def _check_order(self) -> None:
        seen_external = False
        latest_internal: dt.datetime | None = None
        start = instant(self.at)
        for index, step in enumerate(self.steps):
            due = instant(step.first_message_due)
            if due < start:
                raise ValidationError(
                    f"steps[{index}].first_message_due",
                    step.first_message_due,
                    f"a moment at or after the plan's start ({self.at.isoformat()})",
                )
            if step.internal:
                if seen_external:
                    raise ValidationError(
                        f"steps[{index}]",
                        step.group,
                        "internal groups before external ones (book §5: 內部溝通 "
                        "first)",
                    )
                if latest_internal is None or due > instant(latest_internal):
                    latest_internal = step.first_message_due
            else:
                seen_external = True
                if latest_internal is not None and due < instant(latest_internal):
                    raise ValidationError(
                        f"steps[{index}].first_message_due",
                        step.first_message_due,
                        "no earlier than every internal group's first message "
                        f"({latest_internal.isoformat()}; book §5: 內部溝通 first)",
                    )

    @property
    def groups(self) -> tuple[str, ...]:
        """The group keys, in plan order."""
        return tuple(step.group for step in self.steps)

    def step(self, group: str) -> PlanStep:
        """Return the step of ``group``.

        Raises
        ------
        UnknownKeyError
            If the plan has no such group (with suggestions).
        """
        if not isinstance(group, str):
            raise InvalidTypeError("group", group, "a group key (str)")
        for step in self.steps:
            if step.group == group:
                return step
        raise UnknownKeyError("plan group", group, self.groups)

    def next_update_due(
        self,
        group: str,
        sent_at: dt.datetime,
        states_next_update_at: dt.datetime | None = None,
    ) -> dt.datetime:
        """Return when the update after a message to ``group`` is due.

        The deadline is ``sent_at`` plus the cadence's interval at that point
        of the crisis (`UpdateCadence.interval_at`, measured from ``at``); a
        message that promised an earlier next update is held to its promise.
        A later promise does not extend the cadence. Intervals are elapsed
        time: across a daylight-saving change a 30-minute update is due 30
        real minutes later, whatever the wall clock says. The deadline is in
        ``sent_at``'s timezone (or the promise's, when the promise decides).

        Raises
        ------
        UnknownKeyError
            For an unknown group.
        NaiveDatetimeError
            For a naive ``sent_at`` or ``states_next_update_at``.
        """
        step = self.step(group)
        check_aware(sent_at, "sent_at")
        elapsed = instant(sent_at) - instant(self.at)
        due = after_elapsed(sent_at, step.cadence.interval_at(elapsed))
        if states_next_update_at is not None:
            check_aware(states_next_update_at, "states_next_update_at")
            if instant(states_next_update_at) < instant(due):
                due = states_next_update_at
        return due

    def due_times(self, group: str, until: dt.datetime) -> tuple[dt.datetime, ...]:
        """Return the deadlines of ``group`` up to ``until`` if each is met exactly.

        The first is `PlanStep.first_message_due`; each next one is
        `next_update_due` of the one before, sent on its deadline with no
        earlier promise. Useful to show a plan as a timetable.

        Raises
        ------
        UnknownKeyError, NaiveDatetimeError
            For an unknown group or a naive ``until``.
        """
        step = self.step(group)
        check_aware(until, "until")
        moments: list[dt.datetime] = []
        due = step.first_message_due
        end = instant(until)
        while instant(due) <= end:
            moments.append(due)
            due = self.next_update_due(group, due)
        return tuple(moments)


def _resolve_crisis_type(crisis_type: object, catalog: object) -> CrisisType:
    if isinstance(crisis_type, CrisisType):
        return crisis_type
    if not isinstance(crisis_type, str):
        raise InvalidTypeError(
            "crisis_type", crisis_type, "a crisis-type key or a CrisisType"
        )
    if catalog is None:
        catalog = default_catalog()
    if not isinstance(catalog, CrisisTypeCatalog):
        raise InvalidTypeError("catalog", catalog, "a CrisisTypeCatalog")
    return catalog[crisis_type]


def _resolve_owners(owners: object, kinds: StakeholderKindCatalog) -> Mapping[str, str]:
    """Merge ``owners`` over the defaults; every key must be a kind of ``kinds``.

    A key that names no kind (``"medias"``) would silently leave the real
    kind with its default owner, so it is refused with suggestions.
    """
    if owners is None:
        return DEFAULT_OWNER_ROLES
    if not isinstance(owners, Mapping):
        raise InvalidTypeError("owners", owners, "a mapping of kind key to role key")
    for kind, role in owners.items():
        check_key(kind, "owners key", dotted=False)
        if kind not in kinds:
            raise UnknownKeyError("stakeholder kind (in owners)", kind, kinds.keys())
        check_key(role, f"owners[{kind!r}]", dotted=False)
    return DEFAULT_OWNER_ROLES.merge(owners)


def _check_cadence(value: object, field: str) -> UpdateCadence | None:
    if value is not None and not isinstance(value, UpdateCadence):
        raise InvalidTypeError(field, value, "an UpdateCadence or None")
    return value


def plan_communication(  # noqa: PLR0913  the plan's inputs, all but three keyword-only
    crisis_type: str | CrisisType,
    level: ResponseLevel | str,
    graph: StakeholderGraph,
    *,
    at: dt.datetime,
    recommendation: ResponseRecommendation | None = None,
    kinds: StakeholderKindCatalog | None = None,
    catalog: CrisisTypeCatalog | None = None,
    owners: Mapping[str, str] | None = None,
    internal_cadence: UpdateCadence | None = None,
    external_cadence: UpdateCadence | None = None,
) -> CommunicationPlan:
    """Generate the communication plan of a crisis from its type, level and graph.

    One `PlanStep` per stakeholder kind present in ``graph``:

    * **order** — internal groups first (book §5: 內部溝通 then 外部利益相關者溝通),
      then the external ones; within each, groups and their members follow
      `crisisops.stakeholders.classification.who_hears_first` (salience
      group, then influence, then reach): a group comes where its first
      member comes;
    * **channels** — the kind's default channels, then every member's
      preferred channels not yet listed;
    * **owner role** — ``owners`` over `DEFAULT_OWNER_ROLES`, else
      `FALLBACK_OWNER_ROLE`;
    * **message** — ``recommendation.message`` for every group (SCCT
      guideline 8: one consistent response); without a recommendation, the
      base response alone (instructing and adjusting information), which
      every SCCT response starts with;
    * **deadline and cadence** — ``internal_cadence`` / ``external_cadence``,
      else `default_cadence()` of ``level``; the first message is due
      ``first_within`` after ``at``.

    Parameters
    ----------
    crisis_type
        A crisis-type key of ``catalog`` or a `CrisisType`.
    level
        The response level (`ResponseLevel` or ``"I"`` ... ``"IV"``).
    graph
        The stakeholders; at least one, every kind in ``kinds``.
    at
        When the crisis was declared; timezone-aware.
    recommendation
        The SCCT recommendation (`recommend_response`) for this crisis type.
    kinds
        The stakeholder-kind catalog; `default_kinds()` if ``None``.
    catalog
        The crisis-type catalog for a key; `default_catalog()` if ``None``.
    owners
        Owner role per kind key, overriding the defaults; every key must be a
        kind of ``kinds``.
    internal_cadence, external_cadence
        Cadences overriding the level's defaults. The internal first message
        may not be due after the external one.

    Returns
    -------
    CommunicationPlan

    Raises
    ------
    InvalidTypeError
        For arguments of the wrong type.
    NaiveDatetimeError
        For a naive ``at``.
    UnknownKeyError
        For an unknown crisis-type key, level, or a stakeholder kind not in
        ``kinds`` (in the graph or in ``owners``).
    ValidationError
        For an empty graph, a group with no channel, a recommendation for
        another crisis, or an internal cadence whose first message is due
        after the external one.
    """
    resolved_level = _resolve_level(level)
    if not isinstance(graph, StakeholderGraph):
        raise InvalidTypeError("graph", graph, "a StakeholderGraph")
    check_aware(at, "at")
    kinds = default_kinds() if kinds is None else kinds
    if not isinstance(kinds, StakeholderKindCatalog):
        raise InvalidTypeError("kinds", kinds, "a StakeholderKindCatalog")
    entry = _resolve_crisis_type(crisis_type, catalog)
    if recommendation is not None and not isinstance(
        recommendation, ResponseRecommendation
    ):
        raise InvalidTypeError(
            "recommendation", recommendation, "a ResponseRecommendation or None"
        )
    owner_of = _resolve_owners(owners, kinds)
    internal = _check_cadence(internal_cadence, "internal_cadence") or default_cadence(
        resolved_level, internal=True
    )
    external = _check_cadence(external_cadence, "external_cadence") or default_cadence(
        resolved_level, internal=False
    )
    if internal.first_within > external.first_within:
        raise ValidationError(
            "internal_cadence",
            internal.first_within,
            f"a first_within no later than the external one ({external.first_within}"
            "; book §5: 內部溝通 first)",
        )
    if len(graph) == 0:
        raise ValidationError("graph", graph, "a graph with at least one stakeholder")
    graph.check_kinds(kinds)

    hearing = who_hears_first(graph, kinds=kinds)
    members: dict[str, list[str]] = {}
    channels: dict[str, list[Channel]] = {}
    for key in hearing:  # groups and members in the order they must hear
        person = graph.stakeholder(key)
        if person.kind not in members:
            members[person.kind] = []
            channels[person.kind] = list(kinds[person.kind].default_channels)
        members[person.kind].append(person.key)
    for person in graph.stakeholders:  # preferred channels in node order
        channels[person.kind] += [
            c for c in person.channels if c not in channels[person.kind]
        ]
    order = sorted(members, key=lambda k: not kinds[k].internal)  # stable

    message = (
        recommendation.message if recommendation is not None else MessageStrategy()
    )
    steps: list[PlanStep] = []
    for group in order:
        kind = kinds[group]
        if not channels[group]:
            raise ValidationError(
                f"channels of group {group!r}",
                (),
                "at least one channel: give the kind default channels or its "
                "stakeholders preferred channels",
            )
        cadence = internal if kind.internal else external
        steps.append(
            PlanStep(
                group=group,
                labels=kind.labels,
                internal=kind.internal,
                stakeholders=members[group],
                channels=channels[group],
                owner_role=owner_of.get(group, FALLBACK_OWNER_ROLE),
                message=message,
                first_message_due=after_elapsed(at, cadence.first_within),
                cadence=cadence,
            )
        )
    return CommunicationPlan(
        crisis_type=entry.key,
        scct_type=entry.scct_type,
        level=resolved_level,
        at=at,
        steps=steps,
        recommendation=recommendation,
    )


# --- the log and its check ----------------------------------------------------------


@attrs.frozen(kw_only=True)
class SentMessage:
    """One message that went out: to which group, on which channel, when.

    Attributes
    ----------
    group
        Key of the plan group the message was for, e.g. ``"customers"``.
    channel
        The channel used (a `Channel`, or its key such as ``"hotline"``).
    sent_at
        When it went out; timezone-aware.
    states_next_update_at
        When the message said the next update will come (PagerDuty: every
        update gives that expectation), or ``None`` if it did not say.
        After ``sent_at``.
    stakeholder
        Key of the one stakeholder addressed, or ``None`` for a message to
        the whole group. Only whole-group messages count for the group's
        deadlines; direct messages are kept for the record.
    final
        Whether this is the closing message for the group (resolution): no
        update is due after it, and it need not state a next one.

    Raises
    ------
    ValidationError
        For a naive datetime, a promise not after ``sent_at`` (compared as
        instants), or a promise on a final message.
    UnknownKeyError
        For a channel key that names no `Channel` (with suggestions).
    """

    group: str = attrs.field(validator=is_key(dotted=False))
    channel: Channel = attrs.field(converter=_to_channel, validator=_check_channel)
    sent_at: dt.datetime = attrs.field(validator=is_aware_datetime())
    states_next_update_at: dt.datetime | None = attrs.field(
        default=None, validator=is_optional(is_aware_datetime())
    )
    stakeholder: str | None = attrs.field(default=None, validator=is_optional(is_key()))
    final: bool = attrs.field(default=False, validator=_check_bool)

    def __attrs_post_init__(self) -> None:
        """Check that a promised next update lies after the message."""
        promise = self.states_next_update_at
        if promise is None:
            return
        if self.final:
            raise ValidationError(
                "states_next_update_at",
                promise,
                "None on a final message (no update follows it)",
            )
        if instant(promise) <= instant(self.sent_at):
            raise ValidationError(
                "states_next_update_at",
                promise,
                f"a moment after sent_at ({self.sent_at.isoformat()})",
            )


class FindingKind(enum.Enum):
    """What `check_plan()` found wrong with the messages of a group.

    Examples
    --------
    >>> [(kind.value, kind.labels.zh_hant) for kind in FindingKind]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('overdue_first_message', '首次通報逾期'), ('missed_update', '未按時更新'),
     ('next_update_not_stated', '未說明下次更新時間')]
    """

    OVERDUE_FIRST_MESSAGE = "overdue_first_message"
    MISSED_UPDATE = "missed_update"
    NEXT_UPDATE_NOT_STATED = "next_update_not_stated"

    @property
    def labels(self) -> Labels:
        """Name of the finding in English, 繁體 and 简体."""
        return _FINDING_LABELS[self]


_FINDING_LABELS = {
    FindingKind.OVERDUE_FIRST_MESSAGE: _labels(
        "First message overdue", "首次通報逾期", "首次通报逾期"
    ),
    FindingKind.MISSED_UPDATE: _labels("Missed update", "未按時更新", "未按时更新"),
    FindingKind.NEXT_UPDATE_NOT_STATED: _labels(
        "Next update time not stated", "未說明下次更新時間", "未说明下次更新时间"
    ),
}


@attrs.frozen(kw_only=True)
class PlanFinding:
    """One problem `check_plan()` found.

    Attributes
    ----------
    kind
        What went wrong.
    group
        The plan group concerned.
    due_at
        The deadline that was missed (``None`` for
        ``NEXT_UPDATE_NOT_STATED``).
    sent_at
        When the late message, or the message that did not state its next
        update, went out; ``None`` when the overdue message has not been sent.
    late_by
        How late the message was, or is as of the check if still unsent
        (``None`` for ``NEXT_UPDATE_NOT_STATED``); ``> 0``.

    Examples
    --------
    `check_plan()` reports the findings (see the module example). A late
    message's ``late_by`` is ``sent_at - due_at``; an unsent one has no
    ``sent_at`` and is late as of the check:

    >>> from datetime import datetime, timedelta, timezone
    >>> due = datetime(2026, 11, 11, 0, 20, tzinfo=timezone.utc)
    >>> missed = PlanFinding(
    ...     kind=FindingKind.MISSED_UPDATE,
    ...     group="employees",
    ...     due_at=due,
    ...     late_by=timedelta(minutes=10),
    ... )
    >>> missed.moment == due, missed.sent_at
    (True, None)
    >>> PlanFinding(
    ...     kind=FindingKind.MISSED_UPDATE,
    ...     group="employees",
    ...     due_at=due,
    ...     sent_at=due + timedelta(minutes=4),
    ...     late_by=timedelta(minutes=10),
    ... )  # doctest: +ELLIPSIS
    Traceback (most recent call last):
        ...
    crisisops.errors.ValidationError: 'late_by' must be sent_at - due_at (0:04:00) ...
    """

    kind: FindingKind = attrs.field(validator=is_enum(FindingKind))
    group: str = attrs.field(validator=is_key(dotted=False))
    due_at: dt.datetime | None = attrs.field(
        default=None, validator=is_optional(is_aware_datetime())
    )
    sent_at: dt.datetime | None = attrs.field(
        default=None, validator=is_optional(is_aware_datetime())
    )
    late_by: dt.timedelta | None = attrs.field(
        default=None, validator=_optional_positive_duration
    )

    def __attrs_post_init__(self) -> None:
        """Check that the fields fit the kind of finding."""
        if self.kind is FindingKind.NEXT_UPDATE_NOT_STATED:
            if self.sent_at is None:
                raise ValidationError(
                    "sent_at", None, "the moment of the message that did not say"
                )
            if self.due_at is not None or self.late_by is not None:
                raise ValidationError(
                    "due_at", self.due_at, "None (with late_by None) for this kind"
                )
            return
        if self.due_at is None or self.late_by is None:
            raise ValidationError(
                "due_at", self.due_at, "a deadline and late_by for a late message"
            )
        if self.sent_at is not None:
            elapsed = instant(self.sent_at) - instant(self.due_at)
            if elapsed != self.late_by:
                raise ValidationError(
                    "late_by", self.late_by, f"sent_at - due_at ({elapsed})"
                )

    @property
    def moment(self) -> dt.datetime:
        """When the problem arose: the deadline, or the message that did not say."""
        moment = self.due_at if self.due_at is not None else self.sent_at
        assert moment is not None  # noqa: S101  checked on construction
        return moment


def _to_next_due(value: Any) -> Any:  # noqa: ANN401  the validator reports odd input
    return to_frozendict(value)


def _check_next_due(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, FrozenDict):
        raise InvalidTypeError(name, value, "a mapping of group key to datetime")
    for key, moment in value.items():
        check_key(key, f"{name} key", dotted=False)
        if moment is not None:
            check_aware(moment, f"{name}[{key!r}]")


@attrs.frozen(kw_only=True)
class PlanCheck:
    """The result of checking a plan against the message log, as of a moment.

    Attributes
    ----------
    as_of
        The moment of the check; messages sent later are not counted.
    findings
        The problems, in the order they arose (ties in plan order).
    next_due
        Per group, the deadline pending as of ``as_of`` (the first message or
        the next update; possibly already past, see ``findings``), or
        ``None`` once a final message closed the group.

    Examples
    --------
    `check_plan()` builds it (see the module example); the properties sort
    the findings by kind:

    >>> from datetime import datetime, timedelta, timezone
    >>> as_of = datetime(2026, 11, 11, 0, 50, tzinfo=timezone.utc)
    >>> PlanCheck(as_of=as_of).ok
    True
    >>> unsent = PlanFinding(
    ...     kind=FindingKind.OVERDUE_FIRST_MESSAGE,
    ...     group="media",
    ...     due_at=as_of - timedelta(minutes=20),
    ...     late_by=timedelta(minutes=20),
    ... )
    >>> check = PlanCheck(as_of=as_of, findings=[unsent], next_due={"media": None})
    >>> check.ok, [f.group for f in check.overdue_first_messages]
    (False, ['media'])
    >>> check.missed_updates, check.unstated_next_updates
    ((), ())
    """

    as_of: dt.datetime = attrs.field(validator=is_aware_datetime())
    findings: tuple[PlanFinding, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=is_tuple_of(is_instance(PlanFinding, "a PlanFinding")),
    )
    next_due: FrozenDict[str, dt.datetime | None] = attrs.field(
        factory=FrozenDict, converter=_to_next_due, validator=_check_next_due
    )

    @property
    def ok(self) -> bool:
        """Whether nothing is wrong."""
        return not self.findings

    def _of(self, kind: FindingKind) -> tuple[PlanFinding, ...]:
        return tuple(f for f in self.findings if f.kind is kind)

    @property
    def overdue_first_messages(self) -> tuple[PlanFinding, ...]:
        """First messages sent late, or not sent by their deadline."""
        return self._of(FindingKind.OVERDUE_FIRST_MESSAGE)

    @property
    def missed_updates(self) -> tuple[PlanFinding, ...]:
        """Updates sent late, or not sent by their deadline."""
        return self._of(FindingKind.MISSED_UPDATE)

    @property
    def unstated_next_updates(self) -> tuple[PlanFinding, ...]:
        """Messages that did not say when the next update comes."""
        return self._of(FindingKind.NEXT_UPDATE_NOT_STATED)


def _check_log(plan: CommunicationPlan, sent: object) -> tuple[SentMessage, ...]:
    if isinstance(sent, (str, bytes, Mapping)) or not isinstance(sent, Iterable):
        raise InvalidTypeError("sent", sent, "an iterable of SentMessage")
    log = tuple(sent)
    for index, message in enumerate(log):
        if not isinstance(message, SentMessage):
            raise InvalidTypeError(f"sent[{index}]", message, "a SentMessage")
        if message.group not in plan.groups:
            raise UnknownKeyError(
                f"plan group (in sent[{index}].group)", message.group, plan.groups
            )
        members = plan.step(message.group).stakeholders
        if message.stakeholder is not None and message.stakeholder not in members:
            raise UnknownKeyError(
                f"stakeholder of {message.group!r} (in sent[{index}].stakeholder)",
                message.stakeholder,
                members,
            )
    return log


def _late(
    kind: FindingKind,
    group: str,
    due: dt.datetime,
    sent_at: dt.datetime | None,
    as_of: dt.datetime,
) -> PlanFinding:
    late_by = instant(sent_at if sent_at is not None else as_of) - instant(due)
    return PlanFinding(
        kind=kind, group=group, due_at=due, sent_at=sent_at, late_by=late_by
    )


def check_plan(
    plan: CommunicationPlan, sent: Iterable[SentMessage], as_of: dt.datetime
) -> PlanCheck:
    """Check a plan against the messages sent, as of a moment.

    For each group, its whole-group messages sent at or before ``as_of`` are
    taken in time order (the order of ``sent`` does not matter):

    * the first must go out by `PlanStep.first_message_due`; if it went out
      later, or nothing went out and ``as_of`` is past the deadline, the
      group has an ``OVERDUE_FIRST_MESSAGE``;
    * after each message the next is due by
      `CommunicationPlan.next_update_due` (the cadence's interval, or an
      earlier promised time); a later one, or none by ``as_of`` past the
      deadline, is a ``MISSED_UPDATE``;
    * a message that does not say when the next update comes
      (``states_next_update_at`` is ``None``) is a ``NEXT_UPDATE_NOT_STATED``
      unless it is final;
    * a final message closes the group: nothing is due after it, and later
      messages are not checked.

    A message exactly on its deadline is on time. Sending a message long
    after a deadline counts as one missed deadline, not one per interval.
    Moments are compared as instants (through UTC), so the log may mix
    timezones and a daylight-saving change is counted in real time.

    Parameters
    ----------
    plan
        The plan.
    sent
        The message log (`SentMessage` entries), in any order. Passing the
        whole log with an earlier ``as_of`` replays the check at that moment.
    as_of
        The moment of the check; timezone-aware.

    Returns
    -------
    PlanCheck

    Raises
    ------
    InvalidTypeError
        For a plan or log entries of the wrong type.
    NaiveDatetimeError
        For a naive ``as_of``.
    UnknownKeyError
        For a message to a group the plan does not have, or to a stakeholder
        outside its group.
    """
    if not isinstance(plan, CommunicationPlan):
        raise InvalidTypeError("plan", plan, "a CommunicationPlan")
    log = _check_log(plan, sent)
    check_aware(as_of, "as_of")

    findings: list[tuple[dt.datetime, int, int, PlanFinding]] = []
    next_due: dict[str, dt.datetime | None] = {}
    now = instant(as_of)
    for position, step in enumerate(plan.steps):
        messages = sorted(
            (
                m
                for m in log
                if m.group == step.group
                and m.stakeholder is None
                and instant(m.sent_at) <= now
            ),
            key=lambda m: instant(m.sent_at),
        )
        due: dt.datetime | None = step.first_message_due
        kind = FindingKind.OVERDUE_FIRST_MESSAGE
        found: list[PlanFinding] = []
        for message in messages:
            assert due is not None  # noqa: S101  the loop stops once closed
            if instant(message.sent_at) > instant(due):
                found.append(_late(kind, step.group, due, message.sent_at, as_of))
            kind = FindingKind.MISSED_UPDATE
            if message.final:
                due = None
                break
            if message.states_next_update_at is None:
                found.append(
                    PlanFinding(
                        kind=FindingKind.NEXT_UPDATE_NOT_STATED,
                        group=step.group,
                        sent_at=message.sent_at,
                    )
                )
            due = plan.next_update_due(
                step.group, message.sent_at, message.states_next_update_at
            )
        if due is not None and now > instant(due):
            found.append(_late(kind, step.group, due, None, as_of))
        next_due[step.group] = due
        findings += [
            (instant(finding.moment), position, order, finding)
            for order, finding in enumerate(found)
        ]
    findings.sort(key=lambda item: (item[0], item[1], item[2]))
    return PlanCheck(
        as_of=as_of,
        findings=tuple(item[3] for item in findings),
        next_due=FrozenDict(next_due),
    )
