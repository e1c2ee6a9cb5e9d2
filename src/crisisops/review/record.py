"""The post-crisis review record and its workflow (book §6 後期復盤與經驗總結).

Book §6 opens with 評估危機處理效果: once a crisis is over, look at how it was
handled — the data, the speed and firmness of the response, the feedback —
then 總結經驗和教訓 (sum up the lessons) and write a 持續改進計劃 (a
continuous-improvement plan). Incident tools do the same with a postmortem:
the Google SRE template (summary, impact, root causes, trigger, resolution,
detection, lessons learned, action items, timeline), PagerDuty's
postmortem process (status draft → in review → reviewed → closed, a meeting
within 3 calendar days for SEV-1 and 5 business days for SEV-2, an owner
assigned by the incident commander). This module is that record:

* `Review.draft` builds a review from a resolved or dismissed
  `crisisops.response.Crisis`: the timeline (one readable line per event,
  the lifecycle, level and lead hand-off events pinned as *key*), the
  responders, the response metrics measured when the crisis ended, the
  business loss and the response cost, the trigger, detection and
  resolution (derived from the crisis unless given), the origins and the
  milestones (so the review alone tells when the crisis ran and which alerts
  started it), the peak level and the due date (`review_due`, table
  `REVIEW_DEADLINES`);
* lessons (`crisisops.review.lessons.Lesson`) and improvement actions
  (`crisisops.review.lessons.ImprovementAction`) are added while the review
  is a draft or in review; the actions then progress (start, complete,
  cancel) in any status, also after the review is closed — Google's
  "Complete, action items in progress";
* the workflow `ReviewStatus`: ``DRAFT → IN_REVIEW → REVIEWED → CLOSED``, and
  ``IN_REVIEW → DRAFT`` when the reviewers send it back; every change is kept
  with who made it and when (`StatusChange`), every edit too
  (`ReviewActivity`);
* `close_crisis` hands the closed review back to the crisis, which becomes
  ``REVIEWED`` (`crisisops.response.Crisis.mark_reviewed`).

A `Review` is immutable: every command returns a new review and a refused
command (`TransitionError` for a move the workflow does not allow,
`ValidationError`, `UnknownKeyError`, `DuplicateKeyError`, `InvalidTypeError`
for a bad value) changes nothing. Commands take ``at`` (aware, never before
the review's last recorded moment) and ``actor`` (who did it, any text).

Examples
--------
A Level III traffic drop (book §5.4 案例二 流量波動), resolved in a day:

>>> import datetime as dt
>>> from crisisops.response import Crisis
>>> from crisisops.review import (
...     ImprovementAction,
...     ImprovementKind,
...     Lesson,
...     LessonKind,
...     LessonTheme,
... )
>>> from crisisops.review.record import Review, close_crisis
>>> from crisisops.taxonomy import ResponseLevel
>>> t0 = dt.datetime(2026, 6, 18, 8, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
>>> def at(hours):
...     return t0 + dt.timedelta(hours=hours)
>>> crisis = Crisis.declare(
...     "traffic_drop_0618",
...     title="Traffic fell by half",
...     crisis_type="market.traffic_swing",
...     level=ResponseLevel.III,
...     at=at(1),
...     actor="monitor",
...     lead="lin",
...     impact_started_at=t0,
... )
>>> crisis = crisis.confirm(at=at(2), actor="lin", root_cause="Ranking lost")
>>> crisis = crisis.mark_contained(at=at(6), actor="lin")
>>> crisis = crisis.mark_recovered(at=at(12), actor="lin")
>>> crisis = crisis.resolve(at=at(24), actor="lin", summary="Traffic back")
>>> review = Review.draft(
...     crisis,
...     key="review_0618",
...     at=at(26),
...     owner="mei",
...     summary="Search traffic halved for a day after a ranking change.",
... )
>>> review.status.value, review.peak_level.value, review.due_at.isoformat()
('draft', 'III', '2026-06-29T08:00:00+08:00')
>>> [entry.text for entry in review.timeline if entry.key][:2]
["Declared 'Traffic fell by half' (market.traffic_swing) at Level III, lead lin", 'Confirmed as market.traffic_swing; root cause: Ranking lost']
>>> str(review.metrics.time_to_detect)
'1:00:00'
>>> review = review.add_lesson(
...     Lesson(
...         key="slow_signal",
...         kind=LessonKind.WENT_POORLY,
...         theme=LessonTheme.SENSITIVITY,
...         text="Nobody watched organic search traffic.",
...     ),
...     at=at(27),
...     actor="mei",
... )
>>> review = review.submit(at=at(28), actor="mei")
>>> review = review.approve(at=at(30), actor="lin")
>>> review = review.close(at=at(31), actor="mei")
>>> close_crisis(crisis, review).status.value
'reviewed'

The review went through the workflow of `REVIEW_TRANSITIONS`, each step a
`StatusChange`; a closed review is no longer editable:

>>> from crisisops.review.record import (
...     REVIEW_TRANSITIONS,
...     ReviewActivity,
...     ReviewStatus,
...     StatusChange,
...     TimelineEntry,
... )
>>> [(change.status.value, change.actor) for change in review.status_changes]
[('draft', 'mei'), ('in_review', 'mei'), ('reviewed', 'lin'), ('closed', 'mei')]
>>> review.status_changes[-1] == StatusChange(
...     status=ReviewStatus.CLOSED, at=at(31), actor="mei"
... )
True
>>> [status.value for status in REVIEW_TRANSITIONS[ReviewStatus.IN_REVIEW]]
['reviewed', 'draft']
>>> ReviewStatus.IN_REVIEW.is_editable, ReviewStatus.CLOSED.is_editable
(True, False)

Every edit of the content is a `ReviewActivity`, and the timeline holds one
`TimelineEntry` per event of the crisis:

>>> review.activity == (
...     ReviewActivity(
...         at=at(27), actor="mei", action="add_lesson", subject="slow_signal"
...     ),
... )
True
>>> review.timeline[1] == TimelineEntry(
...     at=at(2),
...     actor="lin",
...     kind="CrisisConfirmed",
...     text="Confirmed as market.traffic_swing; root cause: Ranking lost",
...     key=True,
... )
True

Only a crisis that ended — `REVIEWABLE_OUTCOMES`, resolved or dismissed —
can be reviewed, and the review is due by its peak level (`REVIEW_DEADLINES`:
ten calendar days for Level III, hence 29 June above):

>>> from crisisops.review.record import REVIEW_DEADLINES, REVIEWABLE_OUTCOMES
>>> [status.value for status in REVIEWABLE_OUTCOMES]
['resolved', 'dismissed']
>>> REVIEW_DEADLINES[ResponseLevel.III], REVIEW_DEADLINES[ResponseLevel.II]
((10, 'calendar'), (5, 'business'))
>>> reopened = crisis.reopen(at=at(40), actor="lin", reason="Traffic fell again")
>>> Review.draft(reopened, key="review_0618b", at=at(41), owner="mei", summary="...")
Traceback (most recent call last):
...
crisisops.errors.ValidationError: 'crisis.status' must be resolved or dismissed: only those crises can be reviewed (got 'responding')
"""  # noqa: E501  doctest output is one line

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from types import MappingProxyType
from typing import Any, Final

import attrs
import numpy as np

from crisisops._time import instant, span_text, wall_time
from crisisops._validation import (
    check_aware,
    check_key,
    check_str,
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
    to_tuple,
)
from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    TransitionError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.labels import Labels
from crisisops.planning import CauseAnalysis
from crisisops.response import (
    LEAD_ROLE,
    ActionAssigned,
    ActionBlocked,
    ActionCancelled,
    ActionCompleted,
    ActionReassigned,
    ActionStarted,
    BusinessLoss,
    CommunicationRecorded,
    Crisis,
    CrisisConfirmed,
    CrisisContained,
    CrisisDeclared,
    CrisisDismissed,
    CrisisEvent,
    CrisisMerged,
    CrisisMode,
    CrisisRecovered,
    CrisisReopened,
    CrisisResolved,
    CrisisReviewed,
    CrisisStatus,
    FeedbackRecorded,
    LevelDeEscalated,
    LevelEscalated,
    LossRecorded,
    Milestones,
    Origin,
    PlaybookActivated,
    ResourcesReallocated,
    ResponseCost,
    ResponseMetrics,
    RoleAssigned,
    RoleRelinquished,
    StrategyAdjusted,
    business_loss,
    measure,
    response_cost,
)
from crisisops.review._shared import check_not_before, check_unique_keys, peak_level
from crisisops.review.lessons import (
    ImprovementAction,
    ImprovementStatus,
    Lesson,
    LessonKind,
)
from crisisops.taxonomy import ResponseLevel

__all__ = [
    "REVIEWABLE_OUTCOMES",
    "REVIEW_DEADLINES",
    "REVIEW_TRANSITIONS",
    "Review",
    "ReviewActivity",
    "ReviewStatus",
    "StatusChange",
    "TimelineEntry",
    "close_crisis",
    "review_due",
]

_labels = Labels.of

#: The crisis statuses a review can be drafted for: a crisis that ran its
#: course (resolved) or turned out a false alarm (dismissed). A merged crisis
#: is reviewed through the crisis it was merged into.
REVIEWABLE_OUTCOMES: Final = (CrisisStatus.RESOLVED, CrisisStatus.DISMISSED)


# --- status and workflow -------------------------------------------------------


class ReviewStatus(enum.Enum):
    """Where a review stands: PagerDuty's postmortem statuses.

    ``DRAFT`` (the owner writes it) → ``IN_REVIEW`` (the reviewers read it;
    they may send it back to ``DRAFT``) → ``REVIEWED`` (approved; the content
    is frozen) → ``CLOSED`` (done; the crisis can be marked reviewed). See
    `REVIEW_TRANSITIONS`.
    """

    DRAFT = "draft"
    IN_REVIEW = "in_review"
    REVIEWED = "reviewed"
    CLOSED = "closed"

    def __str__(self) -> str:
        """Return the key, e.g. ``"in_review"`` (used in error messages)."""
        return self.value

    @property
    def labels(self) -> Labels:
        """The status's name in English, 繁體 and 简体."""
        return _STATUS_LABELS[self]

    @property
    def is_editable(self) -> bool:
        """Whether lessons, improvements and texts may still be added or revised."""
        return self in _EDITABLE


_STATUS_LABELS = {
    ReviewStatus.DRAFT: _labels("Draft", "草稿", "草稿"),
    ReviewStatus.IN_REVIEW: _labels("In review", "審閱中", "审阅中"),
    ReviewStatus.REVIEWED: _labels("Reviewed", "已審閱", "已审阅"),
    ReviewStatus.CLOSED: _labels("Closed", "已結案", "已结案"),
}
_EDITABLE = frozenset({ReviewStatus.DRAFT, ReviewStatus.IN_REVIEW})

#: The workflow: each status and the statuses that may follow it.
REVIEW_TRANSITIONS: Final[Mapping[ReviewStatus, tuple[ReviewStatus, ...]]] = (
    MappingProxyType(
        {
            ReviewStatus.DRAFT: (ReviewStatus.IN_REVIEW,),
            ReviewStatus.IN_REVIEW: (ReviewStatus.REVIEWED, ReviewStatus.DRAFT),
            ReviewStatus.REVIEWED: (ReviewStatus.CLOSED,),
            ReviewStatus.CLOSED: (),
        }
    )
)

_DONE_STATUSES = frozenset({ReviewStatus.REVIEWED, ReviewStatus.CLOSED})
# Levels whose review must carry at least one improvement action.
_ACTION_LEVELS = frozenset({ResponseLevel.I, ResponseLevel.II})


# --- due dates -----------------------------------------------------------------

#: How long after a crisis ends its review is due, by peak level: ``(n,
#: "calendar")`` is n calendar days, ``(n, "business")`` n business days
#: (Monday to Friday). Levels I and II follow PagerDuty's postmortem process
#: (SEV-1: 3 calendar days, SEV-2: 5 business days); III and IV are
#: crisisops' choice (10 and 20 calendar days), for reviews that can wait for
#: the monthly and the quarterly improvement meeting.
REVIEW_DEADLINES: Final[Mapping[ResponseLevel, tuple[int, str]]] = MappingProxyType(
    {
        ResponseLevel.I: (3, "calendar"),
        ResponseLevel.II: (5, "business"),
        ResponseLevel.III: (10, "calendar"),
        ResponseLevel.IV: (20, "calendar"),
    }
)


def review_due(level: ResponseLevel, ended_at: dt.datetime) -> dt.datetime:
    """Return when the review of a crisis that peaked at ``level`` is due.

    Days are counted on the wall clock of ``ended_at``'s own timezone and
    keep its time of day (a crisis that ended at 18:00 on a Friday in Taipei
    has a Level I review due at 18:00 on Monday, Taipei time, even across a
    daylight-saving change; a time the zone skips moves forward by the gap).
    Business days are Monday to Friday with no holidays: the count starts
    from ``ended_at``'s day, or, for a crisis that ended on a weekend, from
    the Friday before — 5 business days after a Saturday is the next Friday.
    See `REVIEW_DEADLINES`.

    Parameters
    ----------
    level
        The most severe level the crisis reached (`Review.peak_level`).
    ended_at
        When the crisis ended (resolved or dismissed), timezone-aware.

    Returns
    -------
    datetime.datetime
        The due moment, in ``ended_at``'s timezone.

    Raises
    ------
    InvalidTypeError
        If ``level`` is not a `ResponseLevel` or ``ended_at`` not a datetime.
    NaiveDatetimeError
        If ``ended_at`` is naive.

    Examples
    --------
    >>> import datetime as dt
    >>> from crisisops.taxonomy import ResponseLevel
    >>> friday = dt.datetime(2026, 3, 6, 18, 0, tzinfo=dt.timezone.utc)
    >>> review_due(ResponseLevel.I, friday).isoformat()  # 3 calendar days
    '2026-03-09T18:00:00+00:00'
    >>> review_due(ResponseLevel.II, friday).isoformat()  # 5 business days
    '2026-03-13T18:00:00+00:00'
    """
    if not isinstance(level, ResponseLevel):
        names = ", ".join(member.name for member in ResponseLevel)
        raise InvalidTypeError("level", level, f"a ResponseLevel ({names})")
    check_aware(ended_at, "ended_at")
    days, kind = REVIEW_DEADLINES[level]
    start = ended_at.date()
    if kind == "business":
        shifted = np.busday_offset(np.datetime64(start, "D"), days, roll="backward")
        target: dt.date = shifted.astype(dt.date)
    else:
        target = start + dt.timedelta(days=days)
    moved = ended_at.replace(year=target.year, month=target.month, day=target.day)
    return wall_time(moved)


# --- value classes ---------------------------------------------------------------


@attrs.frozen(kw_only=True)
class TimelineEntry:
    """One line of a review's timeline: one event of the crisis.

    Attributes
    ----------
    at
        When it happened.
    actor
        Who did or recorded it.
    kind
        The event's class name, e.g. ``"LevelEscalated"``.
    text
        A readable one-line description.
    key
        Whether the entry is pinned as a key moment: lifecycle changes
        (declared, confirmed, contained, recovered, resolved, dismissed,
        merged, reopened, reviewed), level changes and hand-offs of the
        crisis lead.
    """

    at: dt.datetime = attrs.field(validator=is_aware_datetime())
    actor: str = attrs.field(validator=is_text())
    kind: str = attrs.field(validator=is_text())
    text: str = attrs.field(validator=is_text())
    key: bool = attrs.field(default=False, validator=is_instance(bool, "a bool"))


@attrs.frozen(kw_only=True)
class StatusChange:
    """One status a review had: which, when, who moved it there and why.

    Attributes
    ----------
    status
        The status entered.
    at
        When.
    actor
        Who moved it.
    note
        Why (required when a review is sent back; may be empty otherwise).
    """

    status: ReviewStatus = attrs.field(validator=is_enum(ReviewStatus))
    at: dt.datetime = attrs.field(validator=is_aware_datetime())
    actor: str = attrs.field(validator=is_text())
    note: str = attrs.field(default="", validator=is_text(allow_empty=True))


@attrs.frozen(kw_only=True)
class ReviewActivity:
    """One edit of a review's content: who added, revised or moved what, and when.

    Attributes
    ----------
    at
        When.
    actor
        Who.
    action
        The command, e.g. ``"add_lesson"``, ``"complete_improvement"``,
        ``"revise"``.
    subject
        What it concerned: a lesson or improvement key, or the revised
        fields' names joined by commas.
    note
        A remark (may be empty).
    """

    at: dt.datetime = attrs.field(validator=is_aware_datetime())
    actor: str = attrs.field(validator=is_text())
    action: str = attrs.field(validator=is_key(dotted=False))
    subject: str = attrs.field(validator=is_text())
    note: str = attrs.field(default="", validator=is_text(allow_empty=True))


# --- timeline lines ----------------------------------------------------------------


def _with(text: str, extra: str, joiner: str = ": ") -> str:
    """Return ``text`` followed by ``extra`` when ``extra`` is not blank."""
    return f"{text}{joiner}{extra}" if extra.strip() else text


def _origin_text(origin: Origin) -> str:
    """Return an origin as ``"monitoring alert rule/entity/2: summary"``."""
    return _with(f"{origin.kind.labels.en.lower()} {origin.reference}", origin.summary)


def _event_line(event: CrisisEvent, currency: str | None) -> tuple[str, bool]:  # noqa: C901, PLR0911, PLR0912  one branch per event type
    """Return the readable line of ``event`` and whether it is a key moment."""
    if isinstance(event, CrisisDeclared):
        text = (
            f"Declared {event.title!r} ({event.crisis_type}) at Level "
            f"{event.level.value}, lead {event.lead}"
        )
        if event.mode is not CrisisMode.REAL:
            text += f" [{event.mode.value}]"
        if event.origins:
            text += "; from " + "; ".join(_origin_text(o) for o in event.origins)
        return text, True
    if isinstance(event, CrisisConfirmed):
        return (
            f"Confirmed as {event.crisis_type}; root cause: {event.root_cause}",
            True,
        )
    if isinstance(event, LevelEscalated):
        return (
            (
                f"Escalated from Level {event.previous.value} to Level "
                f"{event.level.value}: {event.reason}"
            ),
            True,
        )
    if isinstance(event, LevelDeEscalated):
        return (
            (
                f"De-escalated from Level {event.previous.value} to Level "
                f"{event.level.value}: {event.reason}"
            ),
            True,
        )
    if isinstance(event, RoleAssigned):
        if event.handoff_from is not None:
            text = f"Lead handed off from {event.handoff_from} to {event.member}"
            return _with(text, event.reason), True
        return _with(f"{event.member} took the role {event.role}", event.reason), (
            event.role == LEAD_ROLE
        )
    if isinstance(event, RoleRelinquished):
        return _with(f"{event.member} left the role {event.role}", event.reason), False
    if isinstance(event, PlaybookActivated):
        count = len(event.actions)
        plural = "" if count == 1 else "s"
        return f"Activated playbook {event.playbook} ({count} action{plural})", False
    if isinstance(event, ActionAssigned):
        action = event.action
        return (
            (
                f"Action {action.key} assigned to {action.owner}, due "
                f"{action.due_at.isoformat()}: {action.title}"
            ),
            False,
        )
    if isinstance(event, ActionStarted):
        return f"Action {event.action} started", False
    if isinstance(event, ActionCompleted):
        return _with(f"Action {event.action} done", event.note), False
    if isinstance(event, ActionBlocked):
        return f"Action {event.action} blocked: {event.reason}", False
    if isinstance(event, ActionReassigned):
        return (
            (
                f"Action {event.action} reassigned to {event.owner}, due "
                f"{event.due_at.isoformat()}: {event.reason}"
            ),
            False,
        )
    if isinstance(event, ActionCancelled):
        return f"Action {event.action} cancelled: {event.reason}", False
    if isinstance(event, CommunicationRecorded):
        scope = "internal" if event.internal else "external"
        text = f"Message to {event.audience} ({scope}, {event.channel.value})"
        if event.final:
            text += " [final]"
        return f"{text}: {event.summary}", False
    if isinstance(event, FeedbackRecorded):
        text = f"Feedback from {event.channel.value}: {event.volume} items"
        if event.sentiment is not None:
            text += f", sentiment {event.sentiment:+.2f}"
        if event.negative_share is not None:
            text += f", {event.negative_share:.0%} negative"
        return _with(text, event.note), False
    if isinstance(event, StrategyAdjusted):
        return f"Strategy adjusted: {event.summary} (why: {event.reason})", False
    if isinstance(event, ResourcesReallocated):
        amounts = ", ".join(f"{k}={v:g}" for k, v in event.amounts.items())
        return f"Resources reallocated: {amounts} (why: {event.reason})", False
    if isinstance(event, LossRecorded):
        kind = "estimated" if event.estimate else "actual"
        unit = "" if currency is None else f" {currency}"
        text = f"Loss recorded ({kind}): {event.category.value} {event.amount}{unit}"
        return _with(text, event.note), False
    if isinstance(event, CrisisContained):
        return _with("Contained", event.summary), True
    if isinstance(event, CrisisRecovered):
        return _with("Recovered", event.summary), True
    if isinstance(event, CrisisResolved):
        return _with("Resolved", event.summary), True
    if isinstance(event, CrisisDismissed):
        return f"Dismissed as a false alarm: {event.reason}", True
    if isinstance(event, CrisisMerged):
        return f"Merged into {event.into}: {event.reason}", True
    if isinstance(event, CrisisReopened):
        return f"Reopened: {event.reason}", True
    if isinstance(event, CrisisReviewed):
        return _with("Marked reviewed", event.summary), True
    # An event type added to response later: name its command.
    command = str(getattr(event, "command", "") or type(event).__name__)
    return command.replace("_", " ").capitalize(), False


def _timeline(crisis: Crisis) -> tuple[TimelineEntry, ...]:
    """Return one timeline entry per event of ``crisis``, oldest first."""
    currency = None if crisis.rates is None else crisis.rates.currency
    entries = []
    for event in crisis.events:
        text, key = _event_line(event, currency)
        entries.append(
            TimelineEntry(
                at=event.at,
                actor=event.actor,
                kind=type(event).__name__,
                text=text,
                key=key,
            )
        )
    return tuple(entries)


# --- the drafted texts -------------------------------------------------------------


def _trigger_text(crisis: Crisis) -> str:
    """Describe what started the crisis, from its origins."""
    if crisis.origins:
        return "; ".join(_origin_text(origin) for origin in crisis.origins)
    declared = crisis.events[0]
    return f"Declared by {declared.actor} (no recorded alert, risk or report)"


def _detection_text(crisis: Crisis, metrics: ResponseMetrics) -> str:
    """Describe how and when the crisis was detected."""
    detected = crisis.milestones.detected
    text = "Detected" if detected is None else f"Detected at {detected.isoformat()}"
    sources = sorted({origin.kind.labels.en.lower() for origin in crisis.origins})
    if sources:
        text += " by " + " and ".join(sources)
    if metrics.time_to_detect is not None:
        text += f", {span_text(metrics.time_to_detect)} after the impact started"
    else:
        text += " (impact start unknown: no time to detect)"
    return text


def _resolution_text(crisis: Crisis) -> str:
    """Describe how the crisis ended, from its last ending event."""
    for event in reversed(crisis.events):
        if isinstance(event, CrisisDismissed):
            return (
                f"Dismissed as a false alarm at {event.at.isoformat()}: {event.reason}"
            )
        if isinstance(event, CrisisResolved):
            return _with(f"Resolved at {event.at.isoformat()}", event.summary)
    return "Not resolved"  # unreachable for a reviewable crisis


def _as_ended(crisis: Crisis, ended_at: dt.datetime) -> Crisis:
    """Return the crisis as it stood when it ended (the events up to ``ended_at``).

    Communications, feedback and losses may be recorded on a resolved crisis
    after it ended; the response metrics are measured without them, at the
    end, so they do not depend on when the review is drafted.
    """
    end = instant(ended_at)
    events = crisis.events
    count = len(events)
    while count > 1 and instant(events[count - 1].at) > end:
        count -= 1
    if count == len(events):
        return crisis
    return Crisis.from_events(
        events[:count], roles=crisis.roles, catalog=crisis.catalog
    )


# --- review ------------------------------------------------------------------------


def _check_outcome(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    """Check that the outcome is one a review can be drafted for."""
    name = field_name(attribute)
    if not isinstance(value, CrisisStatus):
        raise InvalidTypeError(name, value, "a CrisisStatus (RESOLVED or DISMISSED)")
    if value not in REVIEWABLE_OUTCOMES:
        raise ValidationError(name, value, "RESOLVED or DISMISSED")


@attrs.frozen(kw_only=True)
class Review:
    """The post-crisis review of one crisis (book §6 後期復盤與經驗總結).

    Sections follow the Google SRE postmortem template (summary, impact, root
    causes, trigger, resolution, detection, lessons learned, action items,
    timeline) with PagerDuty's responders, owner, due date and status. Build
    one with `draft`; change it with its commands, each returning a new
    review.

    Invariants (checked on construction, so ``from_data`` refuses a review
    that no sequence of commands could have made):

    * ``outcome`` is ``RESOLVED`` or ``DISMISSED``; the review was created
      at or after the crisis ended;
    * lesson keys and improvement keys are unique; an improvement's
      ``lesson`` names a lesson of the review; no improvement is due before
      the review was created;
    * ``status_changes`` start with ``DRAFT`` at ``created_at``, follow
      `REVIEW_TRANSITIONS` in non-decreasing time, and end with ``status``;
      ``closed_at`` is the time of the ``CLOSED`` change (``None`` before);
    * a ``REVIEWED`` or ``CLOSED`` review has at least one lesson and, for a
      crisis that peaked at Level I or II, at least one improvement action
      (the completeness rule, checked when the review is approved);
    * the timeline is in time order; responders are unique; the metrics,
      loss and cost are the crisis's; the metrics were measured at the end
      the milestones and the outcome describe (a resolved crisis's
      ``resolved`` milestone is ``metrics.as_of``; a dismissed one has none).

    Attributes
    ----------
    key
        Key of the review, e.g. ``"review_traffic_drop_0618"``.
    crisis
        Key of the crisis reviewed.
    crisis_type
        The crisis's type key (as confirmed).
    peak_level
        The most severe level the crisis reached.
    mode
        Real, drill or backfilled: drills are reviewed too, and keep their
        mode so portfolio figures can leave them out.
    outcome
        How the crisis ended: ``RESOLVED`` or ``DISMISSED`` (a false alarm —
        still worth a review of the trigger that raised it).
    summary
        What happened, in a few sentences.
    impact
        Who and what was affected, how much (may be empty).
    causes
        Root and contributing causes (`crisisops.planning.CauseAnalysis`),
        if analysed. Its ``crisis_key`` may be any identifier the planning
        work used; it is not checked against ``crisis``.
    trigger
        What started the crisis (by default from its origins).
    detection
        How and when it was detected (by default from its milestones).
    resolution
        How it ended (by default from the resolving or dismissing event).
    origins
        The alerts, risks or reports that started the crisis
        (`crisisops.response.Origin`; an alert's ``reference`` is its id):
        what the portfolio and `crisisops.review.retune.retune` link alerts
        and trigger rules to the crisis by.
    milestones
        The crisis's lifecycle timestamps as it stood when it ended
        (`crisisops.response.Milestones`): impact start, detection,
        declaration, … resolution. The portfolio and the re-tuning read the
        crisis's window and its detection from them, so a review is enough to
        know when the crisis ran.
    timeline
        One entry per event of the crisis, oldest first.
    responders
        Keys of the members who held a role, in the order they first took one.
    metrics
        The response metrics (`crisisops.response.measure`) as the crisis
        stood when it ended, measured at its end.
    business_loss
        The recorded business loss, if the crisis recorded any.
    response_cost
        The response cost, if the crisis had a rate card.
    lessons
        The lessons learned, in the order added.
    improvements
        The improvement actions, in the order added, as they stand now.
    status
        Where the review stands.
    owner
        Key of the member who owns (writes) the review.
    created_at
        When the review was drafted (at or after the crisis ended).
    due_at
        When the review is due (`review_due` of the peak level and the end).
    status_changes
        Every status the review had, oldest first.
    activity
        Every content edit (lessons, improvements, revisions), oldest first.
    closed_at
        When the review was closed; ``None`` before.
    """

    key: str = attrs.field(validator=is_key())
    crisis: str = attrs.field(validator=is_key())
    crisis_type: str = attrs.field(validator=is_key())
    peak_level: ResponseLevel = attrs.field(validator=is_enum(ResponseLevel))
    mode: CrisisMode = attrs.field(validator=is_enum(CrisisMode))
    outcome: CrisisStatus = attrs.field(validator=_check_outcome)
    summary: str = attrs.field(validator=is_text())
    impact: str = attrs.field(validator=is_text(allow_empty=True))
    causes: CauseAnalysis | None = attrs.field(
        validator=is_optional(is_instance(CauseAnalysis, "a CauseAnalysis"))
    )
    trigger: str = attrs.field(validator=is_text())
    detection: str = attrs.field(validator=is_text())
    resolution: str = attrs.field(validator=is_text())
    origins: tuple[Origin, ...] = attrs.field(
        converter=to_tuple,
        validator=is_tuple_of(is_instance(Origin, "an Origin")),
    )
    milestones: Milestones = attrs.field(
        validator=is_instance(Milestones, "a Milestones")
    )
    timeline: tuple[TimelineEntry, ...] = attrs.field(
        converter=to_tuple,
        validator=is_tuple_of(is_instance(TimelineEntry, "a TimelineEntry")),
    )
    responders: tuple[str, ...] = attrs.field(
        converter=to_str_tuple,
        validator=[is_tuple_of(is_key()), is_unique("responder")],
    )
    metrics: ResponseMetrics = attrs.field(
        validator=is_instance(ResponseMetrics, "a ResponseMetrics")
    )
    business_loss: BusinessLoss | None = attrs.field(
        validator=is_optional(is_instance(BusinessLoss, "a BusinessLoss"))
    )
    response_cost: ResponseCost | None = attrs.field(
        validator=is_optional(is_instance(ResponseCost, "a ResponseCost"))
    )
    lessons: tuple[Lesson, ...] = attrs.field(
        converter=to_tuple, validator=is_tuple_of(is_instance(Lesson, "a Lesson"))
    )
    improvements: tuple[ImprovementAction, ...] = attrs.field(
        converter=to_tuple,
        validator=is_tuple_of(is_instance(ImprovementAction, "an ImprovementAction")),
    )
    status: ReviewStatus = attrs.field(validator=is_enum(ReviewStatus))
    owner: str = attrs.field(validator=is_key())
    created_at: dt.datetime = attrs.field(validator=is_aware_datetime())
    due_at: dt.datetime = attrs.field(validator=is_aware_datetime())
    status_changes: tuple[StatusChange, ...] = attrs.field(
        converter=to_tuple,
        validator=is_tuple_of(
            is_instance(StatusChange, "a StatusChange"), min_length=1
        ),
    )
    activity: tuple[ReviewActivity, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=is_tuple_of(is_instance(ReviewActivity, "a ReviewActivity")),
    )
    closed_at: dt.datetime | None = attrs.field(
        default=None, validator=is_optional(is_aware_datetime())
    )

    def __attrs_post_init__(self) -> None:
        """Check the invariants listed in the class docstring."""
        self._check_parts()
        self._check_workflow()
        if self.status in _DONE_STATUSES:
            self._check_complete(strict=False)

    def _check_parts(self) -> None:
        for name in ("metrics", "business_loss", "response_cost"):
            part = getattr(self, name)
            if part is not None and part.crisis != self.crisis:
                raise ValidationError(
                    f"{name}.crisis",
                    part.crisis,
                    f"the reviewed crisis {self.crisis!r}",
                )
        self._check_end()
        for index in range(1, len(self.timeline)):
            previous, entry = self.timeline[index - 1], self.timeline[index]
            check_not_before(
                entry.at, f"timeline[{index}].at", previous.at, f"timeline[{index - 1}]"
            )
        check_unique_keys(self.lessons, "lesson")
        check_unique_keys(self.improvements, "improvement")
        lesson_keys = [lesson.key for lesson in self.lessons]
        for index, action in enumerate(self.improvements):
            if action.lesson is not None and action.lesson not in lesson_keys:
                raise UnknownKeyError(
                    f"lesson (in improvements[{index}].lesson)",
                    action.lesson,
                    lesson_keys,
                )
            check_not_before(
                action.due_at,
                f"improvements[{index}].due_at",
                self.created_at,
                "the review's created_at",
            )

    def _check_end(self) -> None:
        """Check that metrics, milestones and outcome describe one end."""
        check_not_before(
            self.created_at, "created_at", self.metrics.as_of, "the crisis's end"
        )
        if self.metrics.status is not self.outcome:
            raise ValidationError(
                "metrics.status",
                self.metrics.status.value,
                f"the outcome ({self.outcome.value}): metrics measured at the end",
            )
        marks = self.milestones
        if marks.declared is None:
            raise ValidationError(
                "milestones.declared", None, "the moment the crisis was declared"
            )
        if marks.reviewed is not None:
            raise ValidationError(
                "milestones.reviewed",
                marks.reviewed,
                "None: the milestones are the crisis's as it ended",
            )
        resolved = marks.resolved
        if self.outcome is CrisisStatus.RESOLVED:
            if resolved is None or instant(resolved) != instant(self.metrics.as_of):
                raise ValidationError(
                    "milestones.resolved",
                    resolved,
                    f"the end the metrics were measured at "
                    f"({self.metrics.as_of.isoformat()})",
                )
        elif resolved is not None:
            raise ValidationError(
                "milestones.resolved", resolved, "None for a dismissed crisis"
            )

    def _check_workflow(self) -> None:
        changes = self.status_changes
        first = changes[0]
        if first.status is not ReviewStatus.DRAFT:
            raise ValidationError(
                "status_changes[0].status",
                first.status,
                "DRAFT: a review starts as one",
            )
        if instant(first.at) != instant(self.created_at):
            raise ValidationError(
                "status_changes[0].at", first.at, "the review's created_at"
            )
        for index in range(1, len(changes)):
            previous, change = changes[index - 1], changes[index]
            allowed = REVIEW_TRANSITIONS[previous.status]
            if change.status not in allowed:
                raise TransitionError(
                    f"review {self.key!r} (status_changes[{index}])",
                    previous.status,
                    change.status,
                    allowed,
                )
            check_not_before(
                change.at,
                f"status_changes[{index}].at",
                previous.at,
                f"status_changes[{index - 1}]",
            )
        last = changes[-1]
        if self.status is not last.status:
            raise ValidationError(
                "status",
                self.status,
                f"the last status change's status ({last.status})",
            )
        for index, entry in enumerate(self.activity):
            check_not_before(
                entry.at, f"activity[{index}].at", self.created_at, "created_at"
            )
        if self.status is ReviewStatus.CLOSED:
            if self.closed_at is None or instant(self.closed_at) != instant(last.at):
                raise ValidationError(
                    "closed_at", self.closed_at, "the time of the CLOSED status change"
                )
        elif self.closed_at is not None:
            raise ValidationError("closed_at", self.closed_at, "None until closed")

    def _check_complete(self, *, strict: bool) -> None:
        """Check the completeness rule; ``strict`` ignores cancelled actions."""
        if not self.lessons:
            raise ValidationError(
                "lessons",
                self.lessons,
                "at least one lesson before the review is approved",
            )
        if self.peak_level in _ACTION_LEVELS:
            actions = [
                a
                for a in self.improvements
                if not strict or a.status is not ImprovementStatus.CANCELLED
            ]
            if not actions:
                raise ValidationError(
                    "improvements",
                    self.improvements,
                    f"at least one {'not cancelled ' if strict else ''}improvement "
                    f"action for a Level {self.peak_level.value} crisis before the "
                    "review is approved",
                )

    # --- building --------------------------------------------------------------

    @classmethod
    def draft(  # noqa: PLR0913  one keyword per section of the review
        cls,
        crisis: Crisis,
        *,
        key: str,
        at: dt.datetime,
        owner: str,
        summary: str,
        impact: str = "",
        causes: CauseAnalysis | None = None,
        trigger: str | None = None,
        detection: str | None = None,
        resolution: str | None = None,
        actor: str | None = None,
    ) -> Review:
        """Draft the review of a resolved or dismissed crisis.

        Everything the crisis knows is filled in: type, peak level, mode,
        outcome, the timeline (one entry per event; `TimelineEntry`), the
        responders (members with any role, in the order they first took one,
        from `crisisops.response.Crisis.role_assignments`), the response
        metrics (`crisisops.response.measure` as the crisis stood when it
        ended, at `crisisops.response.Crisis.ended_at`: later messages or
        losses on a resolved crisis do not change them), the business loss
        (`crisisops.response.business_loss`, the whole log, when the crisis
        recorded a loss), the response cost (`crisisops.response.response_cost`
        over the whole log, when the crisis has a rate card) and the due date
        (`review_due` of the peak level and the end), the origins and the
        milestones as the crisis ended (what `crisisops.review.retune.retune`
        and the portfolio read the crisis's window from). ``trigger``,
        ``detection`` and ``resolution`` default to lines derived from the
        crisis's origins, milestones and ending event.

        Parameters
        ----------
        crisis
            The crisis, ``RESOLVED`` or ``DISMISSED``.
        key
            The review's key.
        at
            When the review is drafted: at or after the crisis ended.
        owner
            Key of the member who owns the review.
        summary
            What happened, in a few sentences.
        impact
            Who and what was affected (may be empty; the loss and metrics
            sections carry the numbers).
        causes
            The cause analysis, if done (it can be added later with `revise`).
        trigger, detection, resolution
            The texts of those sections, to replace the derived ones.
        actor
            Who drafted it (default ``owner``).

        Raises
        ------
        InvalidTypeError
            If ``crisis`` is not a `crisisops.response.Crisis`, or another
            argument has the wrong type.
        ValidationError
            If the crisis is not resolved or dismissed (a merged crisis is
            reviewed through the crisis it was merged into; a reviewed one
            already has its review), ``at`` is before the crisis ended, or a
            text is blank or a key malformed.
        UnknownKeyError
            For a role the crisis's rate card has no rate for (from
            `crisisops.response.response_cost`).
        """
        if not isinstance(crisis, Crisis):
            raise InvalidTypeError("crisis", crisis, "a crisisops.response.Crisis")
        status = crisis.status
        if status not in REVIEWABLE_OUTCOMES:
            hint = {
                CrisisStatus.MERGED: (
                    f"; it was merged into {crisis.merged_into!r}: review that crisis"
                ),
                CrisisStatus.REVIEWED: "; it has already been reviewed",
            }.get(status, "")
            raise ValidationError(
                "crisis.status",
                status.value,
                f"resolved or dismissed: only those crises can be reviewed{hint}",
            )
        ended_at = crisis.ended_at
        assert ended_at is not None  # noqa: S101  resolved and dismissed crises ended
        check_aware(at, "at")
        check_not_before(at, "at", ended_at, "the crisis's end")
        check_key(key, "key")
        check_key(owner, "owner")
        check_str(summary, "summary")
        who = owner if actor is None else check_str(actor, "actor")
        ended = _as_ended(crisis, ended_at)
        metrics = measure(ended, as_of=ended_at)
        peak = peak_level(crisis)
        responders: dict[str, None] = {}
        for assignment in crisis.role_assignments:
            responders.setdefault(assignment.member, None)
        return cls(
            key=key,
            crisis=crisis.key,
            crisis_type=crisis.crisis_type,
            peak_level=peak,
            mode=crisis.mode,
            outcome=status,
            summary=summary,
            impact=impact,
            causes=causes,
            trigger=_trigger_text(crisis) if trigger is None else trigger,
            detection=_detection_text(crisis, metrics)
            if detection is None
            else detection,
            resolution=_resolution_text(crisis) if resolution is None else resolution,
            origins=crisis.origins,
            milestones=ended.milestones,
            timeline=_timeline(crisis),
            responders=tuple(responders),
            metrics=metrics,
            business_loss=business_loss(crisis) if crisis.losses else None,
            response_cost=None if crisis.rates is None else response_cost(crisis),
            lessons=(),
            improvements=(),
            status=ReviewStatus.DRAFT,
            owner=owner,
            created_at=at,
            due_at=review_due(peak, ended_at),
            status_changes=(StatusChange(status=ReviewStatus.DRAFT, at=at, actor=who),),
        )

    # --- reading ---------------------------------------------------------------

    @property
    def ended_at(self) -> dt.datetime:
        """When the crisis ended (resolved or dismissed): ``metrics.as_of``."""
        return self.metrics.as_of

    @property
    def last_at(self) -> dt.datetime:
        """The latest recorded moment: status change or edit (commands start here)."""
        moments = [change.at for change in self.status_changes]
        moments.extend(entry.at for entry in self.activity)
        return max(moments, key=instant)

    @property
    def key_timeline(self) -> tuple[TimelineEntry, ...]:
        """The pinned timeline entries (lifecycle, level and lead changes)."""
        return tuple(entry for entry in self.timeline if entry.key)

    def lesson(self, key: str) -> Lesson:
        """Return the lesson ``key``.

        Raises
        ------
        UnknownKeyError
            If the review has no such lesson (suggesting close keys).
        """
        check_str(key, "key")
        for lesson in self.lessons:
            if lesson.key == key:
                return lesson
        raise UnknownKeyError("lesson", key, [lesson.key for lesson in self.lessons])

    def improvement(self, key: str) -> ImprovementAction:
        """Return the improvement action ``key``.

        Raises
        ------
        UnknownKeyError
            If the review has no such action (suggesting close keys).
        """
        check_str(key, "key")
        for action in self.improvements:
            if action.key == key:
                return action
        raise UnknownKeyError(
            "improvement", key, [action.key for action in self.improvements]
        )

    def lessons_of(self, kind: LessonKind) -> tuple[Lesson, ...]:
        """Return the lessons of one kind (went well, went poorly, lucky).

        Raises
        ------
        InvalidTypeError
            If ``kind`` is not a `LessonKind`.
        """
        if not isinstance(kind, LessonKind):
            raise InvalidTypeError("kind", kind, "a LessonKind")
        return tuple(lesson for lesson in self.lessons if lesson.kind is kind)

    def unanswered_lessons(self) -> tuple[Lesson, ...]:
        """Return the went-poorly and lucky lessons no improvement action answers.

        An action answers a lesson when its ``lesson`` names it (cancelled
        actions do not count). What went well needs no action.
        """
        answered = {
            action.lesson
            for action in self.improvements
            if action.status is not ImprovementStatus.CANCELLED
        }
        return tuple(
            lesson
            for lesson in self.lessons
            if lesson.kind is not LessonKind.WENT_WELL and lesson.key not in answered
        )

    def overdue_improvements(self, as_of: dt.datetime) -> tuple[ImprovementAction, ...]:
        """Return the outstanding improvement actions past their due date at ``as_of``.

        Raises
        ------
        InvalidTypeError, NaiveDatetimeError
            If ``as_of`` is not a timezone-aware datetime.
        """
        check_aware(as_of, "as_of")
        return tuple(a for a in self.improvements if a.is_overdue(as_of))

    def is_overdue(self, as_of: dt.datetime) -> bool:
        """Return whether the review is past its due date and not yet approved.

        A review is done when it is ``REVIEWED`` or ``CLOSED``; a draft or a
        review still in review after ``due_at`` is overdue.

        Raises
        ------
        InvalidTypeError, NaiveDatetimeError
            If ``as_of`` is not a timezone-aware datetime.
        """
        check_aware(as_of, "as_of")
        return self.status not in _DONE_STATUSES and instant(self.due_at) < instant(
            as_of
        )

    # --- commands --------------------------------------------------------------

    def _check_command(self, at: dt.datetime, actor: str) -> None:
        """Check the moment (aware, not before `last_at`) and the actor."""
        check_aware(at, "at")
        check_not_before(at, "at", self.last_at, "the review's last change")
        check_str(actor, "actor")

    def _check_editable(self, command: str) -> None:
        if not self.status.is_editable:
            allowed = ", ".join(s.value for s in ReviewStatus if s.is_editable)
            raise TransitionError(
                f"review {self.key!r}",
                self.status,
                f"{command} (allowed while {allowed})",
                REVIEW_TRANSITIONS[self.status],
            )

    def _logged(
        self, at: dt.datetime, actor: str, action: str, subject: str, note: str = ""
    ) -> tuple[ReviewActivity, ...]:
        entry = ReviewActivity(
            at=at, actor=actor, action=action, subject=subject, note=note
        )
        return (*self.activity, entry)

    def add_lesson(self, lesson: Lesson, *, at: dt.datetime, actor: str) -> Review:
        """Return the review with ``lesson`` added (book §6.2 總結經驗和教訓).

        Raises
        ------
        InvalidTypeError
            If ``lesson`` is not a `crisisops.review.lessons.Lesson`.
        DuplicateKeyError
            If the review already has a lesson with its key.
        TransitionError
            Unless the review is a draft or in review.
        ValidationError
            If ``at`` is before the review's last change, or ``actor`` blank.
        """
        if not isinstance(lesson, Lesson):
            raise InvalidTypeError("lesson", lesson, "a Lesson")
        self._check_editable("add_lesson")
        self._check_command(at, actor)
        if any(existing.key == lesson.key for existing in self.lessons):
            raise DuplicateKeyError("lesson", lesson.key)
        return attrs.evolve(
            self,
            lessons=(*self.lessons, lesson),
            activity=self._logged(at, actor, "add_lesson", lesson.key),
        )

    def add_improvement(
        self, action: ImprovementAction, *, at: dt.datetime, actor: str
    ) -> Review:
        """Return the review with an improvement action added (book §6.3 持續改進).

        The action must have an owner (its class requires one), be due at or
        after ``at``, have a key new to the review, and name an existing
        lesson if it names one.

        Raises
        ------
        InvalidTypeError
            If ``action`` is not a `crisisops.review.lessons.ImprovementAction`.
        DuplicateKeyError
            If the review already has an action with its key.
        UnknownKeyError
            If ``action.lesson`` names no lesson of the review.
        TransitionError
            Unless the review is a draft or in review.
        ValidationError
            If ``action.due_at`` is before ``at``, ``at`` is before the
            review's last change, or ``actor`` is blank.
        """
        if not isinstance(action, ImprovementAction):
            raise InvalidTypeError("action", action, "an ImprovementAction")
        self._check_editable("add_improvement")
        self._check_command(at, actor)
        check_not_before(action.due_at, "action.due_at", at, "the moment it is added")
        if any(existing.key == action.key for existing in self.improvements):
            raise DuplicateKeyError("improvement", action.key)
        if action.lesson is not None:
            self.lesson(action.lesson)
        return attrs.evolve(
            self,
            improvements=(*self.improvements, action),
            activity=self._logged(at, actor, "add_improvement", action.key),
        )

    def _improvement_moved(
        self,
        key: str,
        moved: ImprovementAction,
        at: dt.datetime,
        actor: str,
        command: str,
    ) -> Review:
        improvements = tuple(
            moved if action.key == key else action for action in self.improvements
        )
        return attrs.evolve(
            self,
            improvements=improvements,
            activity=self._logged(at, actor, command, key, moved.note),
        )

    def start_improvement(self, key: str, *, at: dt.datetime, actor: str) -> Review:
        """Return the review with improvement ``key`` in progress.

        Allowed in any review status: actions are worked on after the review
        closes.

        Raises
        ------
        UnknownKeyError
            For an unknown action.
        TransitionError
            Unless the action is open.
        ValidationError
            If ``at`` is before the review's last change or the action's
            creation, or ``actor`` is blank.
        """
        action = self.improvement(key)
        self._check_command(at, actor)
        return self._improvement_moved(
            key, action.start(at=at), at, actor, "start_improvement"
        )

    def complete_improvement(
        self, key: str, *, at: dt.datetime, actor: str, note: str | None = None
    ) -> Review:
        """Return the review with improvement ``key`` done at ``at``.

        Allowed in any review status. ``note`` (e.g. where the change is)
        replaces the action's note when given.

        Raises
        ------
        UnknownKeyError
            For an unknown action.
        TransitionError
            Unless the action is open or in progress.
        ValidationError
            If ``at`` is before the review's last change or the action's
            start, or ``actor`` is blank.
        """
        action = self.improvement(key)
        self._check_command(at, actor)
        return self._improvement_moved(
            key, action.complete(at=at, note=note), at, actor, "complete_improvement"
        )

    def cancel_improvement(
        self, key: str, *, at: dt.datetime, actor: str, note: str | None = None
    ) -> Review:
        """Return the review with improvement ``key`` cancelled ("not doing").

        Allowed in any review status; ``note`` says why.

        Raises
        ------
        UnknownKeyError
            For an unknown action.
        TransitionError
            Unless the action is open or in progress.
        ValidationError
            If ``at`` is before the review's last change or the action's
            start, or ``actor`` is blank.
        """
        action = self.improvement(key)
        self._check_command(at, actor)
        return self._improvement_moved(
            key, action.cancel(at=at, note=note), at, actor, "cancel_improvement"
        )

    def revise(  # noqa: PLR0913  one keyword per revisable section
        self,
        *,
        at: dt.datetime,
        actor: str,
        summary: str | None = None,
        impact: str | None = None,
        causes: CauseAnalysis | None = None,
        trigger: str | None = None,
        detection: str | None = None,
        resolution: str | None = None,
    ) -> Review:
        """Return the review with some sections rewritten (draft or in review).

        Only the sections given change; at least one must be given.

        Raises
        ------
        TransitionError
            Unless the review is a draft or in review.
        ValidationError
            If nothing is given, a text is blank (``impact`` may be empty),
            ``at`` is before the review's last change, or ``actor`` is blank.
        InvalidTypeError
            For a value of the wrong type.
        """
        self._check_editable("revise")
        self._check_command(at, actor)
        given: dict[str, Any] = {
            name: value
            for name, value in (
                ("summary", summary),
                ("impact", impact),
                ("causes", causes),
                ("trigger", trigger),
                ("detection", detection),
                ("resolution", resolution),
            )
            if value is not None
        }
        if not given:
            raise ValidationError(
                "revise", None, "at least one section to revise (summary, impact, ...)"
            )
        return attrs.evolve(
            self, **given, activity=self._logged(at, actor, "revise", ", ".join(given))
        )

    def _moved(
        self, target: ReviewStatus, at: dt.datetime, actor: str, note: str = ""
    ) -> Review:
        allowed = REVIEW_TRANSITIONS[self.status]
        if target not in allowed:
            raise TransitionError(f"review {self.key!r}", self.status, target, allowed)
        self._check_command(at, actor)
        change = StatusChange(status=target, at=at, actor=actor, note=note)
        return attrs.evolve(
            self,
            status=target,
            status_changes=(*self.status_changes, change),
            closed_at=at if target is ReviewStatus.CLOSED else None,
        )

    def submit(self, *, at: dt.datetime, actor: str, note: str = "") -> Review:
        """Submit the draft for review (``DRAFT`` → ``IN_REVIEW``).

        Raises
        ------
        TransitionError
            Unless the review is a draft.
        ValidationError
            If ``at`` is before the review's last change, or ``actor`` blank.
        """
        return self._moved(ReviewStatus.IN_REVIEW, at, actor, note)

    def send_back(self, *, at: dt.datetime, actor: str, note: str) -> Review:
        """Send the review back to its owner (``IN_REVIEW`` → ``DRAFT``), saying why.

        Raises
        ------
        TransitionError
            Unless the review is in review.
        ValidationError
            If ``note`` is blank, ``at`` is before the review's last change,
            or ``actor`` is blank.
        """
        check_str(note, "note")
        return self._moved(ReviewStatus.DRAFT, at, actor, note)

    def approve(self, *, at: dt.datetime, actor: str, note: str = "") -> Review:
        """Approve the review (``IN_REVIEW`` → ``REVIEWED``); its content freezes.

        The completeness rule: the review has at least one lesson and, for a
        crisis that peaked at Level I or II, at least one improvement action
        that is not cancelled. (Closing needs an approved review, so a closed
        review is complete too.)

        Raises
        ------
        TransitionError
            Unless the review is in review.
        ValidationError
            If the review is not complete, ``at`` is before the review's last
            change, or ``actor`` is blank.
        """
        allowed = REVIEW_TRANSITIONS[self.status]
        if ReviewStatus.REVIEWED in allowed:
            self._check_complete(strict=True)
        return self._moved(ReviewStatus.REVIEWED, at, actor, note)

    def close(self, *, at: dt.datetime, actor: str, note: str = "") -> Review:
        """Close the approved review (``REVIEWED`` → ``CLOSED``) at ``at``.

        Hand it to `close_crisis` to mark the crisis reviewed. Improvement
        actions keep progressing after closing.

        Raises
        ------
        TransitionError
            Unless the review is reviewed.
        ValidationError
            If ``at`` is before the review's last change, or ``actor`` blank.
        """
        return self._moved(ReviewStatus.CLOSED, at, actor, note)


def close_crisis(crisis: Crisis, review: Review) -> Crisis:
    """Hand a closed review back to its crisis: the crisis becomes ``REVIEWED``.

    Calls ``crisis.mark_reviewed(at=review.closed_at, actor=review.owner,
    review=review.key, summary=review.summary)``. A dismissed crisis has no
    reviewed status in the response lifecycle (``DISMISSED`` is terminal), so
    for one the crisis is returned unchanged: the closed review is its record.

    Parameters
    ----------
    crisis
        The reviewed crisis, ``RESOLVED`` (or ``DISMISSED``), as it ended
        when the review was drafted.
    review
        Its review, ``CLOSED``.

    Returns
    -------
    Crisis
        The crisis with a ``CrisisReviewed`` event appended.

    Raises
    ------
    InvalidTypeError
        If ``crisis`` or ``review`` has the wrong type.
    ValidationError
        If the review is not closed, is of another crisis, or was drafted
        before the crisis was reopened and ended again (its metrics describe
        an earlier end: draft a new review); or, from the crisis, the review
        closed before the crisis's last event.
    TransitionError
        From the crisis, unless it is ``RESOLVED`` (or ``DISMISSED``, above).
    """
    if not isinstance(crisis, Crisis):
        raise InvalidTypeError("crisis", crisis, "a crisisops.response.Crisis")
    if not isinstance(review, Review):
        raise InvalidTypeError("review", review, "a Review")
    if review.status is not ReviewStatus.CLOSED or review.closed_at is None:
        raise ValidationError("review.status", review.status.value, "closed")
    if review.crisis != crisis.key:
        raise ValidationError(
            "review.crisis", review.crisis, f"the crisis's key {crisis.key!r}"
        )
    ended_at = crisis.ended_at
    if ended_at is not None and instant(ended_at) != instant(review.metrics.as_of):
        raise ValidationError(
            "review.metrics.as_of",
            review.metrics.as_of,
            f"the crisis's end ({ended_at.isoformat()}): the crisis ended again "
            "after the review was drafted; draft a new review",
        )
    if crisis.status is CrisisStatus.DISMISSED:
        return crisis
    return crisis.mark_reviewed(
        at=review.closed_at,
        actor=review.owner,
        summary=review.summary,
        review=review.key,
    )
