"""The lifecycle of a crisis: statuses, the transition table, milestones, mode.

Book §5 (危機執行與應對實踐) walks a crisis from the first warning to recovery:
identify its type and root cause (精準識別危機類型和根源), respond and bring it
under control (迅速響應並控制事態發展), adjust as it moves, then evaluate and
recover (後期評估與恢復); §6 reviews it (後期復盤). crisisops gives that walk an
explicit status set and transition table, in the manner of the incident
tools the issue names (Rootly's fixed statuses, incident.io's categories,
Dispatch's reopen of a closed incident)::

    DETECTED ──confirm──▶ CONFIRMED ──first playbook / action──▶ RESPONDING
        │                     │                                      │
        │ dismiss             └──────────── mark_contained ──────────┤
        ▼                                                            ▼
    DISMISSED                                                    CONTAINED
                                                                     │ mark_recovered
    REVIEWED ◀──mark_reviewed── RESOLVED ◀────── resolve ─────── RECOVERING

    reopen:     RESOLVED, REVIEWED, DISMISSED ──▶ RESPONDING
    merge_into: any active status (DETECTED … RECOVERING) ──▶ MERGED (final)

* `CrisisStatus` – the nine statuses; `TRANSITIONS` and `allowed_next()`
  give the table. ``RESOLVED`` is closed but may still be reviewed or
  reopened; ``REVIEWED``, ``DISMISSED`` and ``MERGED`` are terminal and change
  only through ``reopen`` (``MERGED`` never changes).
* `Milestone` and `Milestones` – the lifecycle timestamps, kept apart from
  the status and always in order: impact started ≤ detected ≤ declared ≤
  acknowledged ≤ contained ≤ recovered ≤ resolved ≤ reviewed (FireHydrant's
  rule "a milestone is at or after the previous one"). Time to detect is
  ``between(IMPACT_STARTED, DETECTED)``.
* `CrisisMode` – a real crisis, a drill (演練, book §4 培訓與演練) or one
  recorded after the fact (補錄); only real and backfilled crises count in
  metrics.

Examples
--------
>>> from crisisops.response.lifecycle import CrisisStatus, allowed_next
>>> [status.value for status in allowed_next(CrisisStatus.DETECTED)]
['confirmed', 'dismissed', 'merged']
>>> CrisisStatus.RESOLVED.is_terminal, CrisisStatus.REVIEWED.is_terminal
(False, True)
>>> CrisisStatus.CONTAINED.labels.zh_hant
'已控制'

`TRANSITIONS` is the whole table; a resolved crisis may still be reviewed
or reopened, and nothing follows a merge:

>>> from crisisops.response.lifecycle import TRANSITIONS
>>> [status.value for status in TRANSITIONS[CrisisStatus.RESOLVED]]
['reviewed', 'responding']
>>> [status.value for status, following in TRANSITIONS.items() if not following]
['merged']
>>> import datetime as dt
>>> from crisisops.response.lifecycle import Milestone, Milestones
>>> t0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone.utc)
>>> marks = Milestones(
...     impact_started=t0,
...     detected=t0 + dt.timedelta(minutes=40),
...     declared=t0 + dt.timedelta(hours=1),
... )
>>> marks.between(Milestone.IMPACT_STARTED, Milestone.DETECTED)
datetime.timedelta(seconds=2400)
>>> Milestones(detected=t0 + dt.timedelta(hours=2), declared=t0)
Traceback (most recent call last):
...
crisisops.errors.ValidationError: 'declared' must be at or after detected (2026-03-01T11:00:00+00:00): milestones are in lifecycle order (got datetime.datetime(2026, 3, 1, 9, 0, tzinfo=datetime.timezone.utc))
"""  # noqa: E501  doctest output is one line

from __future__ import annotations

import datetime as dt
import enum

import attrs

from crisisops._time import instant
from crisisops._validation import is_aware_datetime, is_optional
from crisisops.errors import InvalidTypeError, ValidationError
from crisisops.frozen import FrozenDict
from crisisops.labels import Labels

__all__ = [
    "TRANSITIONS",
    "CrisisMode",
    "CrisisStatus",
    "Milestone",
    "Milestones",
    "allowed_next",
]

_labels = Labels.of


class CrisisStatus(enum.Enum):
    """Where a crisis stands in its lifecycle (book §5); the value is its key.

    * ``DETECTED`` 預警 – a warning or report is in, not yet confirmed;
    * ``CONFIRMED`` 已確認 – type and root cause identified
      (§5.1 精準識別危機類型和根源);
    * ``RESPONDING`` 應對中 – a playbook or action is under way;
    * ``CONTAINED`` 已控制 – the situation is under control (控制事態發展);
    * ``RECOVERING`` 恢復中 – service is restored (the ``recovered``
      milestone) and the business is recovering: sales, traffic and trust
      come back (後期評估與恢復) until the crisis is resolved;
    * ``RESOLVED`` 已解決 – over; may still be reviewed or reopened;
    * ``REVIEWED`` 已復盤 – the §6 review is done;
    * ``DISMISSED`` 誤報 – a false alarm;
    * ``MERGED`` 已合併 – folded into another crisis.
    """

    DETECTED = "detected"
    CONFIRMED = "confirmed"
    RESPONDING = "responding"
    CONTAINED = "contained"
    RECOVERING = "recovering"
    RESOLVED = "resolved"
    REVIEWED = "reviewed"
    DISMISSED = "dismissed"
    MERGED = "merged"

    def __str__(self) -> str:
        """Return the key, e.g. ``"responding"`` (used in error messages)."""
        return self.value

    @property
    def labels(self) -> Labels:
        """The status's name in English, 繁體 and 简体."""
        return _STATUS_LABELS[self]

    @property
    def is_active(self) -> bool:
        """Whether the crisis is being handled: ``DETECTED`` to ``RECOVERING``."""
        return self in _ACTIVE

    @property
    def is_terminal(self) -> bool:
        """Whether only ``reopen`` can move the crisis on.

        ``REVIEWED``, ``DISMISSED`` and ``MERGED`` (which cannot even be
        reopened). ``RESOLVED`` is closed but not terminal: it still moves to
        ``REVIEWED``.
        """
        return self in _TERMINAL


_ACTIVE = frozenset(
    {
        CrisisStatus.DETECTED,
        CrisisStatus.CONFIRMED,
        CrisisStatus.RESPONDING,
        CrisisStatus.CONTAINED,
        CrisisStatus.RECOVERING,
    }
)
_TERMINAL = frozenset(
    {CrisisStatus.REVIEWED, CrisisStatus.DISMISSED, CrisisStatus.MERGED}
)

_STATUS_LABELS = {
    CrisisStatus.DETECTED: _labels("Detected", "預警", "预警"),
    CrisisStatus.CONFIRMED: _labels("Confirmed", "已確認", "已确认"),
    CrisisStatus.RESPONDING: _labels("Responding", "應對中", "应对中"),
    CrisisStatus.CONTAINED: _labels("Contained", "已控制", "已控制"),
    CrisisStatus.RECOVERING: _labels("Recovering", "恢復中", "恢复中"),
    CrisisStatus.RESOLVED: _labels("Resolved", "已解決", "已解决"),
    CrisisStatus.REVIEWED: _labels("Reviewed", "已復盤", "已复盘"),
    CrisisStatus.DISMISSED: _labels("Dismissed (false alarm)", "誤報", "误报"),
    CrisisStatus.MERGED: _labels("Merged", "已合併", "已合并"),
}

_S = CrisisStatus

#: The transition table: each status and the statuses that may follow it.
#:
#: ===========  ==========================================================
#: from         to (by command)
#: ===========  ==========================================================
#: DETECTED     CONFIRMED (confirm), DISMISSED (dismiss), MERGED (merge_into)
#: CONFIRMED    RESPONDING (the first activate_playbook, assign_action or
#:              start_action), CONTAINED (mark_contained), MERGED
#: RESPONDING   CONTAINED, MERGED
#: CONTAINED    RECOVERING (mark_recovered), MERGED
#: RECOVERING   RESOLVED (resolve), MERGED
#: RESOLVED     REVIEWED (mark_reviewed), RESPONDING (reopen)
#: REVIEWED     RESPONDING (reopen)
#: DISMISSED    RESPONDING (reopen: the false alarm was real after all)
#: MERGED       nothing
#: ===========  ==========================================================
TRANSITIONS: FrozenDict[CrisisStatus, tuple[CrisisStatus, ...]] = FrozenDict(
    {
        _S.DETECTED: (_S.CONFIRMED, _S.DISMISSED, _S.MERGED),
        _S.CONFIRMED: (_S.RESPONDING, _S.CONTAINED, _S.MERGED),
        _S.RESPONDING: (_S.CONTAINED, _S.MERGED),
        _S.CONTAINED: (_S.RECOVERING, _S.MERGED),
        _S.RECOVERING: (_S.RESOLVED, _S.MERGED),
        _S.RESOLVED: (_S.REVIEWED, _S.RESPONDING),
        _S.REVIEWED: (_S.RESPONDING,),
        _S.DISMISSED: (_S.RESPONDING,),
        _S.MERGED: (),
    }
)


def allowed_next(status: CrisisStatus) -> tuple[CrisisStatus, ...]:
    """Return the statuses that may follow ``status`` (see `TRANSITIONS`).

    Raises
    ------
    InvalidTypeError
        If ``status`` is not a `CrisisStatus`.
    """
    if not isinstance(status, CrisisStatus):
        raise InvalidTypeError("status", status, "a CrisisStatus")
    return TRANSITIONS[status]


class Milestone(enum.Enum):
    """A lifecycle timestamp, in the order the lifecycle reaches them.

    The milestones follow FireHydrant's and Rootly's named timestamps
    (started, detected, acknowledged, mitigated, resolved, retrospective) and
    the issue's order: impact started ≤ detected ≤ declared ≤ acknowledged ≤
    contained ≤ recovered ≤ resolved ≤ reviewed. The value is the field name
    on `Milestones`.
    """

    IMPACT_STARTED = "impact_started"
    DETECTED = "detected"
    DECLARED = "declared"
    ACKNOWLEDGED = "acknowledged"
    CONTAINED = "contained"
    RECOVERED = "recovered"
    RESOLVED = "resolved"
    REVIEWED = "reviewed"

    @property
    def labels(self) -> Labels:
        """The milestone's name in English, 繁體 and 简体."""
        return _MILESTONE_LABELS[self]


_MILESTONE_LABELS = {
    Milestone.IMPACT_STARTED: _labels("Impact started", "影響開始", "影响开始"),
    Milestone.DETECTED: _labels("Detected", "發現", "发现"),
    Milestone.DECLARED: _labels("Declared", "宣告", "宣告"),
    Milestone.ACKNOWLEDGED: _labels("Acknowledged", "確認", "确认"),
    Milestone.CONTAINED: _labels("Contained", "控制", "控制"),
    Milestone.RECOVERED: _labels("Recovered", "恢復", "恢复"),
    Milestone.RESOLVED: _labels("Resolved", "解決", "解决"),
    Milestone.REVIEWED: _labels("Reviewed", "復盤", "复盘"),
}

_OPTIONAL_MOMENT = is_optional(is_aware_datetime())


@attrs.frozen(kw_only=True)
class Milestones:
    """The lifecycle timestamps of a crisis, each set once reached.

    The set ones are in `Milestone` order (compared as instants; equal
    moments are fine); an unset one (``None``) is skipped, e.g. a false
    alarm reopened later has no ``acknowledged``. A reopened crisis clears
    ``contained`` to ``reviewed``; its events keep the old ones.

    Attributes
    ----------
    impact_started
        When the impact began (e.g. the alert's first breach), if known.
    detected
        When the signal was detected (e.g. the alert fired).
    declared
        When the crisis was declared.
    acknowledged
        When it was confirmed (type and root cause identified).
    contained
        When it was brought under control.
    recovered
        When service was restored (`Crisis.mark_recovered`): the shop works
        again, and the business starts recovering (status ``RECOVERING``).
        Time to recover ends here; time to resolve ends when the business
        is back to normal.
    resolved
        When it was resolved.
    reviewed
        When its review was done.
    """

    impact_started: dt.datetime | None = attrs.field(
        default=None, validator=_OPTIONAL_MOMENT
    )
    detected: dt.datetime | None = attrs.field(default=None, validator=_OPTIONAL_MOMENT)
    declared: dt.datetime | None = attrs.field(default=None, validator=_OPTIONAL_MOMENT)
    acknowledged: dt.datetime | None = attrs.field(
        default=None, validator=_OPTIONAL_MOMENT
    )
    contained: dt.datetime | None = attrs.field(
        default=None, validator=_OPTIONAL_MOMENT
    )
    recovered: dt.datetime | None = attrs.field(
        default=None, validator=_OPTIONAL_MOMENT
    )
    resolved: dt.datetime | None = attrs.field(default=None, validator=_OPTIONAL_MOMENT)
    reviewed: dt.datetime | None = attrs.field(default=None, validator=_OPTIONAL_MOMENT)

    def __attrs_post_init__(self) -> None:
        """Check that the set milestones are in lifecycle order."""
        previous: tuple[Milestone, dt.datetime] | None = None
        for milestone in Milestone:
            moment: dt.datetime | None = getattr(self, milestone.value)
            if moment is None:
                continue
            if previous is not None and instant(moment) < instant(previous[1]):
                raise ValidationError(
                    milestone.value,
                    moment,
                    f"at or after {previous[0].value} ({previous[1].isoformat()}): "
                    "milestones are in lifecycle order",
                )
            previous = (milestone, moment)

    def get(self, milestone: Milestone) -> dt.datetime | None:
        """Return the moment of ``milestone``, or ``None`` if not reached."""
        if not isinstance(milestone, Milestone):
            raise InvalidTypeError("milestone", milestone, "a Milestone")
        moment: dt.datetime | None = getattr(self, milestone.value)
        return moment

    def between(self, start: Milestone, end: Milestone) -> dt.timedelta | None:
        """Return the real time from ``start`` to ``end``; ``None`` if either is unset.

        Measured between instants, so a daylight-saving change in between
        does not add or lose an hour.
        """
        begin = self.get(start)
        finish = self.get(end)
        if begin is None or finish is None:
            return None
        return instant(finish) - instant(begin)


class CrisisMode(enum.Enum):
    """Whether a crisis is real, a drill or recorded after the fact.

    Incident tools keep test and backfilled incidents apart (incident.io
    ``retrospective``/``test``, Rootly ``test``/``backfilled``, Dispatch's
    ``exclude_from_metrics``). A drill (演練, book §4 培訓與演練) behaves
    exactly like a real crisis; only metrics leave it out.

    Examples
    --------
    >>> from crisisops.response.lifecycle import CrisisMode
    >>> [(mode.value, mode.counts_in_metrics) for mode in CrisisMode]
    [('real', True), ('drill', False), ('backfilled', True)]
    >>> CrisisMode.DRILL.labels.zh_hant
    '演練'
    """

    REAL = "real"
    DRILL = "drill"
    BACKFILLED = "backfilled"

    @property
    def labels(self) -> Labels:
        """The mode's name in English, 繁體 and 简体."""
        return _MODE_LABELS[self]

    @property
    def counts_in_metrics(self) -> bool:
        """Whether response metrics include crises of this mode (not drills)."""
        return self is not CrisisMode.DRILL


_MODE_LABELS = {
    CrisisMode.REAL: _labels("Real", "真實", "真实"),
    CrisisMode.DRILL: _labels("Drill", "演練", "演练"),
    CrisisMode.BACKFILLED: _labels("Backfilled", "補錄", "补录"),
}
