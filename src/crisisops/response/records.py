"""The values a crisis records: origins, actions, levels, roles, feedback, rates.

Book §5.1 執行危機應對策略 asks for concrete solutions "明確責任人及執行時間" —
with an owner and a time — and §5.2 實時反饋與調整策略 for feedback from every
channel; the issue adds what incident tools learned the hard way: keep the
origin of a crisis (so time to detect exists), keep every level change with
who, when and why, keep role hand-offs with their times, and freeze the cost
rates into the crisis. The values here are carried inside the events of
`crisisops.response.events` and exposed by `crisisops.response.crisis.Crisis`:

* `Origin` (`OriginKind`) – the alert, risk or report that started a crisis,
  with the signal onset and detection times;
* `Action` (`ActionStatus`, `ActionPriority`) – a concrete solution with an
  owner, a deadline, dependencies and a "done when" criterion;
* `LevelChange` – one response level the crisis had, with who, when and why;
* `RoleAssignment` – who held a role, from when to when (Dispatch's
  ``assumed_at``/``renounced_at``);
* `FeedbackChannel` – the feedback channels of §5.2; `LossCategory` – the
  kinds of business loss, kept apart from the response cost;
* `RateCard` – hourly cost per role and Dispatch's engagement weights, frozen
  into a crisis when it is declared, so changing rates later never rewrites an
  old crisis's cost.

Examples
--------
>>> import datetime as dt
>>> from crisisops.response.records import Action, ActionStatus
>>> t0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone.utc)
>>> action = Action(
...     key="promote",
...     title="Launch advertising and promotions",
...     owner="lin",
...     created_at=t0,
...     due_at=t0 + dt.timedelta(hours=12),
...     done_when="Campaigns are live on the channels that lost traffic",
... )
>>> action.status is ActionStatus.OPEN, action.is_overdue(t0 + dt.timedelta(days=1))
(True, True)
>>> from decimal import Decimal
>>> from crisisops.response.records import RateCard
>>> rates = RateCard(currency="TWD", hourly={"crisis_lead": Decimal(1200)})
>>> rates.rate_for("crisis_lead"), rates.weight_for("scribe")
(Decimal('1200'), Decimal('0.75'))
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from crisisops._time import instant
from crisisops._validation import (
    check_amount,
    check_aware,
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
    to_str_tuple,
)
from crisisops.errors import InvalidTypeError, UnknownKeyError, ValidationError
from crisisops.frozen import FrozenDict
from crisisops.labels import Labels
from crisisops.monitoring import Alert
from crisisops.planning import check_currency
from crisisops.response._checks import (
    check_not_before,
    is_amount,
    is_optional_amount,
    to_decimal,
)
from crisisops.risk import Risk
from crisisops.taxonomy import ResponseLevel

__all__ = [
    "Action",
    "ActionPriority",
    "ActionStatus",
    "FeedbackChannel",
    "LevelChange",
    "LossCategory",
    "Origin",
    "OriginKind",
    "RateCard",
    "RoleAssignment",
]

_labels = Labels.of

_OPTIONAL_MOMENT = is_optional(is_aware_datetime())


# --- origin -----------------------------------------------------------------------


class OriginKind(enum.Enum):
    """What started a crisis: an alert, a known risk, or a report.

    Examples
    --------
    >>> from crisisops.response.records import OriginKind
    >>> [(kind.value, kind.labels.zh_hant) for kind in OriginKind]
    [('alert', '監控預警'), ('risk', '已識別風險'), ('report', '報告')]
    """

    ALERT = "alert"
    RISK = "risk"
    REPORT = "report"

    @property
    def labels(self) -> Labels:
        """The kind's name in English, 繁體 and 简体."""
        return _ORIGIN_LABELS[self]


_ORIGIN_LABELS = {
    OriginKind.ALERT: _labels("Monitoring alert", "監控預警", "监控预警"),
    OriginKind.RISK: _labels("Known risk", "已識別風險", "已识别风险"),
    OriginKind.REPORT: _labels("Report", "報告", "报告"),
}


@attrs.frozen(kw_only=True)
class Origin:
    """The alert, risk or report that started a crisis (book §3 → §5).

    Keeping the signal onset and the detection time is what makes time to
    detect measurable — Dispatch's lifecycle lacks it (its issue #877).

    Attributes
    ----------
    kind
        Alert, risk or report.
    reference
        What it refers to: an alert's id (``"rule/entity/episode"``, see
        `crisisops.monitoring.Alert.id`), a risk key, or a report id.
    signal_onset
        When the signal first showed (an alert's ``first_breach_at``), if known.
    detected_at
        When it was detected (an alert's ``fired_at``), if known; at or after
        ``signal_onset``.
    crisis_type
        The crisis-type key the origin points to, if any.
    level
        The response level the origin suggests, if any.
    summary
        A line describing it.

    Examples
    --------
    A GMV alert whose signal began at 09:00 and fired at 11:00: two hours to
    detect, which the crisis's milestones keep.

    >>> import datetime as dt
    >>> from crisisops.response.records import Origin, OriginKind
    >>> from crisisops.taxonomy import ResponseLevel
    >>> t0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone.utc)
    >>> origin = Origin(
    ...     kind=OriginKind.ALERT,
    ...     reference="gmv_drop/shop/1",
    ...     signal_onset=t0,
    ...     detected_at=t0 + dt.timedelta(hours=2),
    ...     level=ResponseLevel.III,
    ... )
    >>> str(origin.detected_at - origin.signal_onset), origin.level.value
    ('2:00:00', 'III')

    Detection cannot come before the signal's onset:

    >>> Origin(
    ...     kind=OriginKind.REPORT,
    ...     reference="ticket_7",
    ...     signal_onset=t0 + dt.timedelta(hours=1),
    ...     detected_at=t0,
    ... )
    Traceback (most recent call last):
    ...
    crisisops.errors.ValidationError: 'detected_at' must be a moment at or after signal_onset (2026-03-01T10:00:00+00:00) (got datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.timezone.utc))
    """  # noqa: E501  doctest output is one line

    kind: OriginKind = attrs.field(validator=is_enum(OriginKind))
    reference: str = attrs.field(validator=is_text())
    signal_onset: dt.datetime | None = attrs.field(
        default=None, validator=_OPTIONAL_MOMENT
    )
    detected_at: dt.datetime | None = attrs.field(
        default=None, validator=_OPTIONAL_MOMENT
    )
    crisis_type: str | None = attrs.field(default=None, validator=is_optional(is_key()))
    level: ResponseLevel | None = attrs.field(
        default=None, validator=is_optional(is_enum(ResponseLevel))
    )
    summary: str = attrs.field(default="", validator=is_text(allow_empty=True))

    def __attrs_post_init__(self) -> None:
        """Check that detection does not come before the signal's onset."""
        if self.signal_onset is not None:
            check_not_before(
                self.detected_at, "detected_at", self.signal_onset, "signal_onset"
            )

    @classmethod
    def from_alert(cls, alert: Alert) -> Origin:
        """Return the origin of a crisis started by a monitoring alert.

        ``reference`` is the alert's ``id``, ``signal_onset`` its
        ``first_breach_at``, ``detected_at`` its ``fired_at``, ``crisis_type``
        its rule's crisis type and ``level`` its current ``level`` (``None``
        for a no-data alert).

        Raises
        ------
        InvalidTypeError
            If ``alert`` is not a `crisisops.monitoring.Alert`.
        """
        if not isinstance(alert, Alert):
            raise InvalidTypeError("alert", alert, "a crisisops.monitoring.Alert")
        return cls(
            kind=OriginKind.ALERT,
            reference=alert.id,
            signal_onset=alert.first_breach_at,
            detected_at=alert.fired_at,
            crisis_type=alert.crisis_type,
            level=alert.level,
            summary=f"{alert.kind.value} of rule {alert.rule} on {alert.entity}",
        )

    @classmethod
    def from_risk(
        cls, risk: Risk, *, at: dt.datetime, level: ResponseLevel | None = None
    ) -> Origin:
        """Return the origin of a crisis that a registered risk turned into.

        ``reference`` is the risk's key, ``detected_at`` is ``at`` (when the
        risk was seen to materialise), ``crisis_type`` the risk's crisis type
        and ``summary`` its title; a risk has no signal onset.

        Raises
        ------
        InvalidTypeError
            If ``risk`` is not a `crisisops.risk.Risk`, or ``at`` is not a
            datetime.
        ValidationError
            If ``at`` is naive.
        """
        if not isinstance(risk, Risk):
            raise InvalidTypeError("risk", risk, "a crisisops.risk.Risk")
        return cls(
            kind=OriginKind.RISK,
            reference=risk.key,
            detected_at=at,
            crisis_type=risk.crisis_type,
            level=level,
            summary=risk.title,
        )


# --- actions ----------------------------------------------------------------------


class ActionStatus(enum.Enum):
    """Where an action stands (Rootly's open / in progress / done / cancelled).

    ``DONE`` and ``CANCELLED`` are final.
    """

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    BLOCKED = "blocked"
    DONE = "done"
    CANCELLED = "cancelled"

    def __str__(self) -> str:
        """Return the key, e.g. ``"in_progress"`` (used in error messages)."""
        return self.value

    @property
    def labels(self) -> Labels:
        """The status's name in English, 繁體 and 简体."""
        return _ACTION_STATUS_LABELS[self]

    @property
    def is_outstanding(self) -> bool:
        """Whether work remains: open, in progress or blocked."""
        return self in _OUTSTANDING


_OUTSTANDING = frozenset(
    {ActionStatus.OPEN, ActionStatus.IN_PROGRESS, ActionStatus.BLOCKED}
)
_ACTION_STATUS_LABELS = {
    ActionStatus.OPEN: _labels("Open", "待辦", "待办"),
    ActionStatus.IN_PROGRESS: _labels("In progress", "進行中", "进行中"),
    ActionStatus.BLOCKED: _labels("Blocked", "受阻", "受阻"),
    ActionStatus.DONE: _labels("Done", "已完成", "已完成"),
    ActionStatus.CANCELLED: _labels("Cancelled", "已取消", "已取消"),
}


class ActionPriority(enum.Enum):
    """How urgent an action is — apart from the crisis's severity level.

    The issue lists "severity vs priority confusion" among the mistakes to
    avoid: the `ResponseLevel` grades the crisis, the priority orders the
    work inside it (Dispatch and Rootly keep the two apart too).

    Examples
    --------
    >>> from crisisops.response.records import ActionPriority
    >>> queue = [ActionPriority.LOW, ActionPriority.HIGH, ActionPriority.MEDIUM]
    >>> [p.value for p in sorted(queue, key=lambda priority: priority.rank)]
    ['high', 'medium', 'low']
    >>> ActionPriority.HIGH.labels.zh_hant
    '高'
    """

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"

    @property
    def labels(self) -> Labels:
        """The priority's name in English, 繁體 and 简体."""
        return _PRIORITY_LABELS[self]

    @property
    def rank(self) -> int:
        """0 for high, 1 for medium, 2 for low (sort ascending: most urgent first)."""
        return _PRIORITY_ORDER.index(self)


_PRIORITY_ORDER = (ActionPriority.HIGH, ActionPriority.MEDIUM, ActionPriority.LOW)
_PRIORITY_LABELS = {
    ActionPriority.HIGH: _labels("High", "高", "高"),
    ActionPriority.MEDIUM: _labels("Medium", "中", "中"),
    ActionPriority.LOW: _labels("Low", "低", "低"),
}


@attrs.frozen(kw_only=True)
class Action:
    """A concrete solution with an owner and a deadline (book §5.1).

    "解決方案需具體、可行,並明確責任人及執行時間" — a solution must be concrete
    and feasible, with a named owner and a time. An action comes from an
    activated playbook step or is added ad hoc; its ``done_when`` says how
    to verify it is done. Its timestamps agree with its status: ``OPEN`` has
    none, ``IN_PROGRESS`` a ``started_at``, ``BLOCKED`` a ``blocked_reason``
    (and ``started_at`` if it had started), ``DONE`` ``started_at`` and
    ``completed_at``, ``CANCELLED`` a ``cancelled_at``.

    Attributes
    ----------
    key
        Dotted key, unique within the crisis; playbook actions are
        ``"<playbook key>.<step key>"``.
    title
        What to do.
    owner
        Key of the member who owns it.
    due_at
        Deadline, at or after ``created_at``; a reassignment may move it.
    created_at
        When it was assigned.
    done_when
        The verification criterion ("done when").
    depends_on
        Keys of the actions that must be done before this one starts.
    owner_role
        The role that owns it (a playbook step's owner role), if any.
    priority
        How urgent it is within the crisis.
    critical
        Whether it is on its playbook's critical path.
    playbook
        Key of the playbook it came from, if any.
    status
        Where it stands.
    started_at, completed_at, cancelled_at
        When it started, was done, was cancelled; at or after ``created_at``.
    blocked_reason
        Why it is blocked, while ``BLOCKED``.
    first_due_at
        The deadline first committed to, which a reassignment never moves
        (defaults to ``due_at``). Whether an action was done on
        time is judged against it, so moving a deadline that has slipped
        does not turn a late action into a punctual one.
    """

    key: str = attrs.field(validator=is_key())
    title: str = attrs.field(validator=is_text())
    owner: str = attrs.field(validator=is_key())
    due_at: dt.datetime = attrs.field(validator=is_aware_datetime())
    created_at: dt.datetime = attrs.field(validator=is_aware_datetime())
    done_when: str = attrs.field(validator=is_text())
    depends_on: tuple[str, ...] = attrs.field(
        default=(),
        converter=to_str_tuple,
        validator=[is_tuple_of(is_key()), is_unique("dependency")],
    )
    owner_role: str | None = attrs.field(
        default=None, validator=is_optional(is_key(dotted=False))
    )
    priority: ActionPriority = attrs.field(
        default=ActionPriority.MEDIUM, validator=is_enum(ActionPriority)
    )
    critical: bool = attrs.field(default=False, validator=is_instance(bool, "a bool"))
    playbook: str | None = attrs.field(default=None, validator=is_optional(is_key()))
    status: ActionStatus = attrs.field(
        default=ActionStatus.OPEN, validator=is_enum(ActionStatus)
    )
    started_at: dt.datetime | None = attrs.field(
        default=None, validator=_OPTIONAL_MOMENT
    )
    completed_at: dt.datetime | None = attrs.field(
        default=None, validator=_OPTIONAL_MOMENT
    )
    cancelled_at: dt.datetime | None = attrs.field(
        default=None, validator=_OPTIONAL_MOMENT
    )
    blocked_reason: str | None = attrs.field(
        default=None, validator=is_optional(is_text())
    )
    first_due_at: dt.datetime = attrs.field(
        default=attrs.Factory(lambda action: action.due_at, takes_self=True),
        validator=is_aware_datetime(),
    )

    def __attrs_post_init__(self) -> None:
        """Check the deadline, the timestamps' order and their fit with the status."""
        if self.key in self.depends_on:
            raise ValidationError(
                "depends_on",
                self.depends_on,
                f"keys other than the action's {self.key!r}",
            )
        created = self.created_at
        check_not_before(self.due_at, "due_at", created, "created_at")
        check_not_before(self.first_due_at, "first_due_at", created, "created_at")
        for name in ("started_at", "completed_at", "cancelled_at"):
            check_not_before(getattr(self, name), name, created, "created_at")
        if self.started_at is not None:
            check_not_before(
                self.completed_at, "completed_at", self.started_at, "started_at"
            )
        self._check_status_fields()

    def _check_status_fields(self) -> None:
        status = self.status
        required = _REQUIRED_FIELDS[status]
        forbidden = _FORBIDDEN_FIELDS[status]
        for name in required:
            if getattr(self, name) is None:
                raise ValidationError(
                    name, None, f"set for an action with status {status.value!r}"
                )
        for name in forbidden:
            value = getattr(self, name)
            if value is not None:
                raise ValidationError(
                    name, value, f"None for an action with status {status.value!r}"
                )

    def is_overdue(self, as_of: dt.datetime) -> bool:
        """Return whether the action is outstanding and past its deadline at ``as_of``.

        Raises
        ------
        InvalidTypeError, ValidationError
            If ``as_of`` is not an aware datetime.
        """
        check_aware(as_of, "as_of")
        return self.status.is_outstanding and instant(self.due_at) < instant(as_of)

    @property
    def finished_on_time(self) -> bool | None:
        """For a done action, whether it was done by its first deadline; else ``None``.

        The first deadline (`first_due_at`) is the commitment: an action whose
        deadline was moved after it slipped is still late.
        """
        if self.status is not ActionStatus.DONE or self.completed_at is None:
            return None
        return instant(self.completed_at) <= instant(self.first_due_at)

    @property
    def slipped(self) -> bool:
        """Whether the deadline was moved from the one first committed to."""
        return instant(self.due_at) != instant(self.first_due_at)


_REQUIRED_FIELDS: dict[ActionStatus, tuple[str, ...]] = {
    ActionStatus.OPEN: (),
    ActionStatus.IN_PROGRESS: ("started_at",),
    ActionStatus.BLOCKED: ("blocked_reason",),
    ActionStatus.DONE: ("started_at", "completed_at"),
    ActionStatus.CANCELLED: ("cancelled_at",),
}
_FORBIDDEN_FIELDS: dict[ActionStatus, tuple[str, ...]] = {
    ActionStatus.OPEN: ("started_at", "completed_at", "cancelled_at", "blocked_reason"),
    ActionStatus.IN_PROGRESS: ("completed_at", "cancelled_at", "blocked_reason"),
    ActionStatus.BLOCKED: ("completed_at", "cancelled_at"),
    ActionStatus.DONE: ("cancelled_at", "blocked_reason"),
    ActionStatus.CANCELLED: ("completed_at", "blocked_reason"),
}


# --- levels and roles -------------------------------------------------------------


@attrs.frozen(kw_only=True)
class LevelChange:
    """One response level a crisis had: who set it, when and why.

    A crisis's ``level_changes`` start with the declared level (``previous``
    ``None``), then one entry per escalation or de-escalation, so the time
    spent at each level can be measured.

    Attributes
    ----------
    at
        When the level was set.
    actor
        Who set it.
    level
        The level from then on.
    previous
        The level before, ``None`` for the declared level.
    reason
        Why (``"declared"`` for the first entry).

    Examples
    --------
    >>> import datetime as dt
    >>> from crisisops.response.records import LevelChange
    >>> from crisisops.taxonomy import ResponseLevel
    >>> t0 = dt.datetime(2026, 3, 1, 10, 0, tzinfo=dt.timezone.utc)
    >>> change = LevelChange(
    ...     at=t0,
    ...     actor="mei",
    ...     level=ResponseLevel.II,
    ...     previous=ResponseLevel.III,
    ...     reason="GMV still falling",
    ... )
    >>> change.previous.value, change.level.value
    ('III', 'II')
    >>> LevelChange(
    ...     at=t0,
    ...     actor="mei",
    ...     level=ResponseLevel.II,
    ...     previous=ResponseLevel.II,
    ...     reason="no change",
    ... )
    Traceback (most recent call last):
    ...
    crisisops.errors.ValidationError: 'level' must be a level other than the previous (Level II 重大 (orange)) (got <ResponseLevel.II: 'II'>)
    """  # noqa: E501  doctest output is one line

    at: dt.datetime = attrs.field(validator=is_aware_datetime())
    actor: str = attrs.field(validator=is_text())
    level: ResponseLevel = attrs.field(validator=is_enum(ResponseLevel))
    previous: ResponseLevel | None = attrs.field(
        validator=is_optional(is_enum(ResponseLevel))
    )
    reason: str = attrs.field(validator=is_text())

    def __attrs_post_init__(self) -> None:
        """Check that a change changes the level."""
        if self.previous is self.level:
            raise ValidationError(
                "level",
                self.level,
                f"a level other than the previous ({self.previous})",
            )


@attrs.frozen(kw_only=True)
class RoleAssignment:
    """One member holding one role of a crisis for a time.

    Dispatch keeps ``assumed_at`` and ``renounced_at`` per participant role;
    crisisops does the same and marks a crisis-lead hand-off with the previous
    holder, so "two commanders after a hand-off" cannot happen.

    Attributes
    ----------
    role
        The role's key, e.g. ``"crisis_lead"``.
    member
        The member's key.
    assumed_at
        When the member took the role.
    relinquished_at
        When the member gave it up; ``None`` while held.
    handoff_from
        The previous holder when this assignment is a lead hand-off.

    Examples
    --------
    Mei led from 09:00 and handed the lead to Lin at 17:00; at the hand-off
    moment Lin holds the role and Mei no longer does.

    >>> import datetime as dt
    >>> from crisisops.response.records import RoleAssignment
    >>> t0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone.utc)
    >>> handoff = t0 + dt.timedelta(hours=8)
    >>> mei = RoleAssignment(
    ...     role="crisis_lead", member="mei", assumed_at=t0, relinquished_at=handoff
    ... )
    >>> lin = RoleAssignment(
    ...     role="crisis_lead", member="lin", assumed_at=handoff, handoff_from="mei"
    ... )
    >>> mei.held_at(t0), mei.held_at(handoff), lin.held_at(handoff)
    (True, False, True)
    """

    role: str = attrs.field(validator=is_key(dotted=False))
    member: str = attrs.field(validator=is_key())
    assumed_at: dt.datetime = attrs.field(validator=is_aware_datetime())
    relinquished_at: dt.datetime | None = attrs.field(
        default=None, validator=_OPTIONAL_MOMENT
    )
    handoff_from: str | None = attrs.field(
        default=None, validator=is_optional(is_key())
    )

    def __attrs_post_init__(self) -> None:
        """Check that the role is given up no earlier than it was taken."""
        check_not_before(
            self.relinquished_at, "relinquished_at", self.assumed_at, "assumed_at"
        )
        if self.handoff_from == self.member:
            raise ValidationError(
                "handoff_from", self.handoff_from, "a member other than 'member'"
            )

    def held_at(self, moment: dt.datetime) -> bool:
        """Return whether the role was held at ``moment``.

        Held means ``assumed_at <= moment < relinquished_at`` (or no end yet),
        compared as instants: at a hand-off the new holder holds the role and
        the old one no longer does.
        """
        when = instant(check_aware(moment, "moment"))
        if when < instant(self.assumed_at):
            return False
        return self.relinquished_at is None or when < instant(self.relinquished_at)


# --- feedback and loss ------------------------------------------------------------


class FeedbackChannel(enum.Enum):
    """Where real-time feedback comes from (book §5.2 實時反饋機制).

    The book lists social-media monitoring, online platforms' user feedback,
    the hotline, online service and e-mail (建立多渠道溝通機制: 電話熱線、在線
    客服、電子郵件) and data analysis with reports (數據分析與報告).

    Examples
    --------
    >>> from crisisops.response.records import FeedbackChannel
    >>> [(channel.value, channel.labels.zh_hant) for channel in FeedbackChannel]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('social_media', '社交媒體'), ('online_platform', '在線平臺'),
     ('hotline', '電話熱線'), ('online_service', '在線客服'), ('email', '電子郵件'),
     ('data_report', '數據分析與報告')]
    """

    SOCIAL_MEDIA = "social_media"
    ONLINE_PLATFORM = "online_platform"
    HOTLINE = "hotline"
    ONLINE_SERVICE = "online_service"
    EMAIL = "email"
    DATA_REPORT = "data_report"

    @property
    def labels(self) -> Labels:
        """The channel's name in English, 繁體 and 简体."""
        return _FEEDBACK_LABELS[self]


_FEEDBACK_LABELS = {
    FeedbackChannel.SOCIAL_MEDIA: _labels("Social media", "社交媒體", "社交媒体"),
    FeedbackChannel.ONLINE_PLATFORM: _labels("Online platform", "在線平臺", "在线平台"),
    FeedbackChannel.HOTLINE: _labels("Hotline", "電話熱線", "电话热线"),
    FeedbackChannel.ONLINE_SERVICE: _labels("Online service", "在線客服", "在线客服"),
    FeedbackChannel.EMAIL: _labels("E-mail", "電子郵件", "电子邮件"),
    FeedbackChannel.DATA_REPORT: _labels(
        "Data analysis and reports", "數據分析與報告", "数据分析与报告"
    ),
}


class LossCategory(enum.Enum):
    """A kind of business loss, kept apart from the cost of responding.

    Following Dispatch's cost types (each tagged with a FAIR form of loss),
    the issue asks for lost sales, refunds and compensation, penalties and
    recovery spend.

    Examples
    --------
    >>> from crisisops.response.records import LossCategory
    >>> [(category.value, category.labels.zh_hant) for category in LossCategory]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('lost_sales', '銷售損失'), ('refunds_compensation', '退款與賠償'),
     ('penalties', '罰款與違約金'), ('recovery_spend', '恢復支出'),
     ('other', '其他損失')]
    """

    LOST_SALES = "lost_sales"
    REFUNDS_COMPENSATION = "refunds_compensation"
    PENALTIES = "penalties"
    RECOVERY_SPEND = "recovery_spend"
    OTHER = "other"

    @property
    def labels(self) -> Labels:
        """The category's name in English, 繁體 and 简体."""
        return _LOSS_LABELS[self]


_LOSS_LABELS = {
    LossCategory.LOST_SALES: _labels("Lost sales", "銷售損失", "销售损失"),
    LossCategory.REFUNDS_COMPENSATION: _labels(
        "Refunds and compensation", "退款與賠償", "退款与赔偿"
    ),
    LossCategory.PENALTIES: _labels("Penalties", "罰款與違約金", "罚款与违约金"),
    LossCategory.RECOVERY_SPEND: _labels("Recovery spend", "恢復支出", "恢复支出"),
    LossCategory.OTHER: _labels("Other loss", "其他損失", "其他损失"),
}


# --- rate card --------------------------------------------------------------------


def _to_decimal_map(value: Any) -> Any:  # noqa: ANN401  the validator reports the rest
    if isinstance(value, Mapping):
        return FrozenDict({key: to_decimal(item) for key, item in value.items()})
    return value


def _is_role_amounts(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, FrozenDict):
        raise InvalidTypeError(name, value, "a mapping of role key to Decimal")
    for key, amount in value.items():
        check_key(key, f"{name} key", dotted=False)
        check_amount(amount, f"{name}[{key!r}]")


def _check_day_hours(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    check_amount(value, name)
    if value > 24:
        raise ValidationError(name, value, "a number of hours from 0 to 24")


_CLASSIC_ENGAGEMENT: FrozenDict[str, Decimal] = FrozenDict(
    {
        "crisis_lead": Decimal(1),
        "scribe": Decimal("0.75"),
        "comms_liaison": Decimal("0.75"),
    }
)


@attrs.frozen(kw_only=True)
class RateCard:
    """Hourly cost of people per role, frozen into a crisis when it is declared.

    The response cost of a crisis is role-weighted hours × rates, after
    Netflix Dispatch's classic cost model: the incident commander counts fully
    (weight 1), the scribe and the liaison at 0.75, other participants at 0.5,
    and time beyond the first 24 hours counts 8 hours a day. The card is
    stored in the ``CrisisDeclared`` event, so a later change of rates never
    rewrites an old crisis's cost (a complaint about Dispatch's costs being
    silently recomputed). Amounts are exact `decimal.Decimal`.

    Attributes
    ----------
    currency
        ISO 4217 code, three capital letters, e.g. ``"TWD"``.
    hourly
        Role key → rate per hour (finite, >= 0); ints are taken as Decimals.
    default_hourly
        The rate for roles not in ``hourly``; ``None`` makes such roles an
        error when costed.
    engagement
        Role key → engagement weight (Dispatch: ``crisis_lead`` 1,
        ``scribe`` 0.75, ``comms_liaison`` 0.75).
    default_engagement
        The weight of roles not in ``engagement`` (Dispatch: 0.5).
    daily_hours_after_first_day
        Hours counted per day after the first 24 hours of an assignment
        (Dispatch: 8), from 0 to 24.
    """

    currency: str = attrs.field()
    hourly: FrozenDict[str, Decimal] = attrs.field(
        converter=_to_decimal_map, validator=_is_role_amounts
    )
    default_hourly: Decimal | None = attrs.field(
        default=None, converter=to_decimal, validator=is_optional_amount
    )
    engagement: FrozenDict[str, Decimal] = attrs.field(
        default=_CLASSIC_ENGAGEMENT,
        converter=_to_decimal_map,
        validator=_is_role_amounts,
    )
    default_engagement: Decimal = attrs.field(
        default=Decimal("0.5"), converter=to_decimal, validator=is_amount
    )
    daily_hours_after_first_day: Decimal = attrs.field(
        default=Decimal(8), converter=to_decimal, validator=_check_day_hours
    )

    @currency.validator
    def _check_currency(self, _attribute: Any, value: object) -> None:  # noqa: ANN401
        check_currency(value, "currency")

    def rate_for(self, role: str) -> Decimal:
        """Return the hourly rate of ``role``.

        Raises
        ------
        UnknownKeyError
            If ``role`` has no rate and there is no ``default_hourly``.
        """
        check_key(role, "role", dotted=False)
        rate = self.hourly.get(role, self.default_hourly)
        if rate is None:
            raise UnknownKeyError("role with an hourly rate", role, self.hourly.keys())
        return rate

    def weight_for(self, role: str) -> Decimal:
        """Return the engagement weight of ``role`` (default if not listed)."""
        check_key(role, "role", dotted=False)
        return self.engagement.get(role, self.default_engagement)
