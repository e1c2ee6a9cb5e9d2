"""How fast and how well a crisis was handled: response metrics, one and many.

The book's review starts from the response itself: "對危機應對措施的執行情況
進行評估,如應對措施的響應速度、執行力度等" (§6 評估危機處理效果 — evaluate how
the measures were carried out: how fast the response was, how firmly it was
executed), and §5 asks for a fast response (迅速響應並控制事態發展) with
concrete actions that have an owner and a deadline (明確責任人及執行時間).
Incident tools measure the same with their "MTTx" figures (PagerDuty's mean
seconds to acknowledge and resolve, FireHydrant's and Rootly's time to
detect, mitigate and resolve); crisisops computes them as pure functions of a
crisis's event log, as of a moment that is passed in:

* `measure()` gives one crisis's `ResponseMetrics`:

  - **durations** between lifecycle milestones (`Milestones`): time to
    detect (impact started → detected), and time to acknowledge, contain,
    recover and resolve (each from detection); ``None`` when a milestone is
    missing, e.g. no known impact start means no time to detect;
  - **time at each level** (`ResponseLevel`), from the crisis's level
    changes, counting only the time the crisis was active
    (`Crisis.active_periods`: not the weeks between a resolution and a
    reopening); **time in each status** (`CrisisStatus`), from
    `Crisis.status_changes`;
  - **actions**: how many, done, cancelled, overdue, and the on-time rate;
  - **communication cadence adherence** against a `CommunicationPlan`
    (`crisisops.response.communication.cadence_adherence`), when a plan is
    given;
* `summarize()` gives a portfolio's `MetricsSummary`: for each duration the
  count, mean, median and 90th percentile over the crises that have it
  (numpy, NaN-aware), leaving drills out (issue #7: drills are kept out of
  metrics; `CrisisMode.counts_in_metrics`).

Examples
--------
A traffic drop (book §5 案例二 流量波動) starts at 08:00, an alert fires at
08:30 and the crisis is declared at 08:40 at Level III; it is confirmed at
09:00, escalated to Level II at 10:00, contained at 12:00, recovered at
14:00 and resolved at 16:00.

>>> import datetime as dt
>>> from crisisops.response.crisis import Crisis
>>> from crisisops.response.lifecycle import CrisisStatus
>>> from crisisops.response.metrics import measure
>>> from crisisops.taxonomy import ResponseLevel
>>> day = dt.datetime(2026, 6, 18, tzinfo=dt.timezone(dt.timedelta(hours=8)))
>>> at = lambda h, m=0: day + dt.timedelta(hours=h, minutes=m)
>>> crisis = Crisis.declare(
...     "traffic_drop_0618",
...     title="Traffic drop after a platform outage",
...     crisis_type="market.traffic_swing",
...     level=ResponseLevel.III,
...     at=at(8, 40),
...     actor="monitor",
...     lead="lin",
...     detected_at=at(8, 30),
...     impact_started_at=at(8),
... )
>>> crisis = crisis.confirm(at=at(9), actor="lin", root_cause="Search ranking lost")
>>> crisis = crisis.escalate(at=at(10), actor="lin", reason="GMV still falling")
>>> crisis = crisis.mark_contained(at=at(12), actor="lin")
>>> crisis = crisis.mark_recovered(at=at(14), actor="lin")
>>> crisis = crisis.resolve(at=at(16), actor="lin")
>>> metrics = measure(crisis, as_of=at(18))
>>> str(metrics.time_to_detect), str(metrics.time_to_acknowledge)
('0:30:00', '0:30:00')
>>> str(metrics.time_to_contain), str(metrics.time_to_resolve)
('3:30:00', '7:30:00')

Level III from 08:40 to 10:00, Level II from 10:00 until the crisis ended
at 16:00:

>>> {level.value: str(span) for level, span in metrics.time_at_level.items()}
{'II': '6:00:00', 'III': '1:20:00'}
>>> metrics.time_in_status[CrisisStatus.RESOLVED]  # 16:00 to as_of, 18:00
datetime.timedelta(seconds=7200)

`DURATION_METRICS` names the five durations, and `ResponseMetrics.duration`
reads one by name:

>>> from crisisops.response.metrics import DURATION_METRICS
>>> [str(metrics.duration(name)) for name in DURATION_METRICS]
['0:30:00', '0:30:00', '3:30:00', '5:30:00', '7:30:00']

`summarize()` condenses a portfolio into a `MetricsSummary`. A second
traffic drop two days later is resolved five hours after its detection; a
drill is left out:

>>> from crisisops.response.lifecycle import CrisisMode
>>> from crisisops.response.metrics import MetricsSummary, summarize
>>> other = Crisis.declare(
...     "traffic_drop_0620",
...     title="Traffic drop after a ranking change",
...     crisis_type="market.traffic_swing",
...     level=ResponseLevel.III,
...     at=at(57),
...     actor="monitor",
...     lead="lin",
...     detected_at=at(56),
... )
>>> other = other.confirm(at=at(58), actor="lin", root_cause="Ranking change")
>>> other = other.mark_contained(at=at(59), actor="lin")
>>> other = other.mark_recovered(at=at(60), actor="lin")
>>> other = other.resolve(at=at(61), actor="lin")
>>> drill = Crisis.declare(
...     "drill_0619",
...     title="Quarterly traffic drill",
...     crisis_type="market.traffic_swing",
...     level=ResponseLevel.III,
...     at=at(33),
...     actor="trainer",
...     lead="lin",
...     mode=CrisisMode.DRILL,
... )
>>> summary = summarize([crisis, other, drill], as_of=at(62))
>>> summary.crises, summary.excluded
(('traffic_drop_0618', 'traffic_drop_0620'), 1)
>>> summary.time_to_resolve.mean / 3600  # (7.5 h + 5 h) / 2
6.25
>>> summary.time_to_resolve.p90 / 3600  # 5 h + 0.9 × (7.5 h - 5 h)
7.25
>>> summary.stats("time_to_detect").count  # only the first knows its impact start
1

A stored summary reads back unchanged:

>>> from crisisops.serialization import from_data, to_data
>>> from_data(MetricsSummary, to_data(summary)) == summary
True

References
----------
PagerDuty analytics fields ``mean_seconds_to_first_ack`` and
``mean_seconds_to_resolve`` (PagerDuty/go-pagerduty, ``analytics.go``);
FireHydrant's lifecycle milestones (docs.firehydrant.com, "Lifecycle
Phases"). Hyndman, Rob J., and Yanan Fan. 1996. "Sample Quantiles in
Statistical Packages." *The American Statistician* 50 (4): 361–65 (the 90th
percentile is definition 7, numpy's default ``"linear"``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

import attrs
import numpy as np

from crisisops._time import instant
from crisisops._validation import (
    check_aware,
    field_name,
    is_aware_datetime,
    is_enum,
    is_finite,
    is_instance,
    is_optional,
    is_text,
    is_tuple_of,
    to_frozendict,
    to_str_tuple,
)
from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.frozen import FrozenDict
from crisisops.response.communication import cadence_adherence
from crisisops.response.crisis import Crisis, check_crisis
from crisisops.response.lifecycle import CrisisMode, CrisisStatus, Milestone
from crisisops.response.records import ActionStatus
from crisisops.stakeholders.communication import CommunicationPlan
from crisisops.taxonomy import ResponseLevel

__all__ = [
    "DURATION_METRICS",
    "DurationStats",
    "MetricsSummary",
    "ResponseMetrics",
    "measure",
    "summarize",
]

#: The duration metrics, in lifecycle order: the field names on
#: `ResponseMetrics` and `MetricsSummary`.
DURATION_METRICS: tuple[str, ...] = (
    "time_to_detect",
    "time_to_acknowledge",
    "time_to_contain",
    "time_to_recover",
    "time_to_resolve",
)

# Each duration metric as (from milestone, to milestone).
_SPANS: dict[str, tuple[Milestone, Milestone]] = {
    "time_to_detect": (Milestone.IMPACT_STARTED, Milestone.DETECTED),
    "time_to_acknowledge": (Milestone.DETECTED, Milestone.ACKNOWLEDGED),
    "time_to_contain": (Milestone.DETECTED, Milestone.CONTAINED),
    "time_to_recover": (Milestone.DETECTED, Milestone.RECOVERED),
    "time_to_resolve": (Milestone.DETECTED, Milestone.RESOLVED),
}

_ZERO = dt.timedelta(0)


# --- validators -------------------------------------------------------------


def _is_duration(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, dt.timedelta):
        raise InvalidTypeError(name, value, "a datetime.timedelta")
    if value < _ZERO:
        raise ValidationError(name, value, "a duration >= 0")


def _is_count(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(name, value, "an int")
    if value < 0:
        raise ValidationError(name, value, "a count >= 0")


def _durations_by(key_type: type) -> Any:  # noqa: ANN401  an attrs validator
    def validate(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
        name = field_name(attribute)
        if not isinstance(value, FrozenDict):
            raise InvalidTypeError(
                name, value, f"a mapping of {key_type.__name__} to timedelta"
            )
        for key, span in value.items():
            if not isinstance(key, key_type):
                raise InvalidTypeError(f"{name} key", key, f"a {key_type.__name__}")
            _is_duration(None, _Field(f"{name}[{key.value}]"), span)  # type: ignore[attr-defined]

    return validate


class _Field:
    """Stand-in attribute so a nested check names ``field[key]``."""

    __slots__ = ("alias", "name")

    def __init__(self, name: str) -> None:
        self.name = name
        self.alias = name


_OPTIONAL_DURATION = is_optional(_is_duration)
_OPTIONAL_SHARE = is_optional(is_finite(low=0.0, high=1.0))


# --- one crisis -------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ResponseMetrics:
    """The response metrics of one crisis as of a moment.

    Attributes
    ----------
    crisis
        The crisis key.
    as_of
        The moment measured at (at or after the crisis's last event).
    mode
        The crisis's mode (real, drill, backfilled).
    counts_in_metrics
        Whether portfolio metrics include it (``mode.counts_in_metrics``:
        drills do not).
    status
        Its status at ``as_of``.
    time_to_detect
        Impact started → detected; ``None`` if either is unknown.
    time_to_acknowledge
        Detected → acknowledged (confirmed: type and root cause known).
    time_to_contain
        Detected → contained.
    time_to_recover
        Detected → recovered.
    time_to_resolve
        Detected → resolved.
    time_at_level
        Time spent at each level the crisis had, in `ResponseLevel` order,
        while the crisis was active (`Crisis.active_periods`). A level's time
        runs from its change to the next change, else to ``as_of``, and only
        its part inside an active period counts; a level held twice adds up.
        The values sum to the crisis's active time up to ``as_of`` (for a
        crisis never reopened: its end, or ``as_of``, minus the declaration).
    time_in_status
        Time spent in each status the crisis had, in `CrisisStatus` order,
        from the declaration to ``as_of`` (they sum to ``as_of`` minus the
        declaration), from `Crisis.status_changes`.
    actions_total
        Actions of the crisis (from playbooks or ad hoc).
    actions_done
        Actions done.
    actions_cancelled
        Actions cancelled.
    actions_overdue
        Actions outstanding (open, in progress, blocked) past their deadline
        at ``as_of`` — or, for a crisis that has ended, at its end
        (`Crisis.ended_at`): no work can be recorded on a closed crisis, so
        a later ``as_of`` must not change its figures.
    on_time_rate
        Done by their first deadline (`Action.first_due_at`: a deadline
        moved after it slipped does not count) / (done + overdue); ``None``
        when no action is done or overdue. Cancelled actions and actions not
        yet due are left out.
    communication_adherence
        Share of the communication plan's settled deadlines met on time
        (`cadence_adherence`); ``None`` without a plan or before any deadline
        is settled.

    Examples
    --------
    A drill with two actions, one done on time and one past its deadline:

    >>> import datetime as dt
    >>> from crisisops.response.crisis import Crisis
    >>> from crisisops.response.lifecycle import CrisisMode
    >>> from crisisops.response.metrics import ResponseMetrics, measure
    >>> from crisisops.taxonomy import ResponseLevel
    >>> t0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.timezone.utc)
    >>> hour = dt.timedelta(hours=1)
    >>> drill = Crisis.declare(
    ...     "stockout_drill",
    ...     title="Stock-out drill",
    ...     crisis_type="supply_chain.inventory",
    ...     level=ResponseLevel.III,
    ...     at=t0,
    ...     actor="trainer",
    ...     lead="mei",
    ...     mode=CrisisMode.DRILL,
    ... )
    >>> for key, due in (("call_supplier", 1), ("post_notice", 2)):
    ...     drill = drill.assign_action(
    ...         key,
    ...         at=t0,
    ...         actor="mei",
    ...         title=key.replace("_", " "),
    ...         owner="lin",
    ...         due_at=t0 + due * hour,
    ...         done_when="done",
    ...     )
    >>> drill = drill.complete_action("post_notice", at=t0 + hour, actor="lin")
    >>> metrics = measure(drill, as_of=t0 + 3 * hour)
    >>> metrics.actions_total, metrics.actions_done, metrics.actions_overdue
    (2, 1, 1)
    >>> metrics.on_time_rate  # 1 done on time / (1 done + 1 overdue)
    0.5
    >>> metrics.mode.value, metrics.counts_in_metrics
    ('drill', False)
    >>> metrics.duration("time_to_acknowledge") is None  # never confirmed
    True

    The counts must agree:

    >>> import attrs
    >>> attrs.evolve(metrics, actions_total=1)
    Traceback (most recent call last):
    ...
    crisisops.errors.ValidationError: 'actions_total' must be at least done + cancelled + overdue (2) (got 1)
    >>> from crisisops.serialization import from_data, to_data
    >>> from_data(ResponseMetrics, to_data(metrics)) == metrics
    True
    """  # noqa: E501  doctest output is one line

    crisis: str = attrs.field(validator=is_text())
    as_of: dt.datetime = attrs.field(validator=is_aware_datetime())
    mode: CrisisMode = attrs.field(validator=is_enum(CrisisMode))
    counts_in_metrics: bool = attrs.field(validator=is_instance(bool, "a bool"))
    status: CrisisStatus = attrs.field(validator=is_enum(CrisisStatus))
    time_to_detect: dt.timedelta | None = attrs.field(validator=_OPTIONAL_DURATION)
    time_to_acknowledge: dt.timedelta | None = attrs.field(validator=_OPTIONAL_DURATION)
    time_to_contain: dt.timedelta | None = attrs.field(validator=_OPTIONAL_DURATION)
    time_to_recover: dt.timedelta | None = attrs.field(validator=_OPTIONAL_DURATION)
    time_to_resolve: dt.timedelta | None = attrs.field(validator=_OPTIONAL_DURATION)
    time_at_level: FrozenDict[ResponseLevel, dt.timedelta] = attrs.field(
        converter=to_frozendict, validator=_durations_by(ResponseLevel)
    )
    time_in_status: FrozenDict[CrisisStatus, dt.timedelta] = attrs.field(
        converter=to_frozendict, validator=_durations_by(CrisisStatus)
    )
    actions_total: int = attrs.field(validator=_is_count)
    actions_done: int = attrs.field(validator=_is_count)
    actions_cancelled: int = attrs.field(validator=_is_count)
    actions_overdue: int = attrs.field(validator=_is_count)
    on_time_rate: float | None = attrs.field(validator=_OPTIONAL_SHARE)
    communication_adherence: float | None = attrs.field(validator=_OPTIONAL_SHARE)

    def __attrs_post_init__(self) -> None:
        """Check that the flags and counts agree."""
        if self.counts_in_metrics is not self.mode.counts_in_metrics:
            raise ValidationError(
                "counts_in_metrics",
                self.counts_in_metrics,
                f"{self.mode.counts_in_metrics} for mode {self.mode.value!r}",
            )
        parts = self.actions_done + self.actions_cancelled + self.actions_overdue
        if parts > self.actions_total:
            raise ValidationError(
                "actions_total",
                self.actions_total,
                f"at least done + cancelled + overdue ({parts})",
            )

    def duration(self, metric: str) -> dt.timedelta | None:
        """Return the duration metric named ``metric`` (one of `DURATION_METRICS`).

        Raises
        ------
        UnknownKeyError
            For a name not in `DURATION_METRICS`.
        """
        return _duration_of(self, metric)


def _duration_of(metrics: ResponseMetrics, metric: str) -> dt.timedelta | None:
    if metric not in _SPANS:
        raise UnknownKeyError("duration metric", metric, DURATION_METRICS)
    value: dt.timedelta | None = getattr(metrics, metric)
    return value


def _check_as_of(crisis: Crisis, as_of: object) -> dt.datetime:
    moment = check_aware(as_of, "as_of")
    last = crisis.last_event_at
    if instant(moment) < instant(last):
        raise ValidationError(
            "as_of",
            as_of,
            f"at or after the last event of crisis {crisis.key!r} "
            f"({last.isoformat()}); to measure it earlier, rebuild it from the "
            "events up to that moment",
        )
    return moment


def _time_at_level(
    crisis: Crisis, as_of: dt.datetime
) -> FrozenDict[ResponseLevel, dt.timedelta]:
    changes = crisis.level_changes
    stops = [change.at for change in changes[1:]] + [as_of]
    spent: dict[ResponseLevel, dt.timedelta] = {}
    for change, stop in zip(changes, stops, strict=True):
        span = crisis.active_time(change.at, stop)
        spent[change.level] = spent.get(change.level, _ZERO) + span
    return FrozenDict(
        {level: spent[level] for level in ResponseLevel if level in spent}
    )


def _time_in_status(
    crisis: Crisis, as_of: dt.datetime
) -> FrozenDict[CrisisStatus, dt.timedelta]:
    changes = crisis.status_changes
    stops = [instant(moment) for moment, _ in changes[1:]] + [instant(as_of)]
    spent: dict[CrisisStatus, dt.timedelta] = {}
    for (start, status), stop in zip(changes, stops, strict=True):
        spent[status] = spent.get(status, _ZERO) + max(stop - instant(start), _ZERO)
    return FrozenDict(
        {status: spent[status] for status in CrisisStatus if status in spent}
    )


def measure(
    crisis: Crisis,
    *,
    as_of: dt.datetime,
    plan: CommunicationPlan | None = None,
) -> ResponseMetrics:
    """Return the response metrics of one crisis as of a moment.

    Durations come from the crisis's `Milestones` (`Milestones.between`,
    measured between instants); time at each level from
    `Crisis.level_changes` cut to `Crisis.active_periods`; time in each
    status from `Crisis.status_changes` (each status lasts from its change
    to the next, the last one to ``as_of``); the action figures from
    `Crisis.actions` (deadlines as they stand now, after any reassignment),
    judged at ``as_of`` or, once the crisis has ended, at its end.

    Parameters
    ----------
    crisis
        The crisis.
    as_of
        The moment to measure at; timezone-aware and not before the crisis's
        last event (to measure a crisis as it was earlier, rebuild it from
        the events up to that moment with `Crisis.from_events`).
    plan
        The crisis's `CommunicationPlan`, to measure cadence adherence; see
        `crisisops.response.communication.cadence_adherence` for what it
        must match.

    Returns
    -------
    ResponseMetrics

    Raises
    ------
    InvalidTypeError
        For a crisis or plan of the wrong type, or an ``as_of`` that is not a
        datetime.
    NaiveDatetimeError
        For a naive ``as_of``.
    ValidationError
        For an ``as_of`` before the crisis's last event, or a plan made for
        another crisis type.
    UnknownKeyError
        For a communication to an audience the plan has no group for.
    """
    check_crisis(crisis)
    moment = _check_as_of(crisis, as_of)
    if plan is not None and not isinstance(plan, CommunicationPlan):
        raise InvalidTypeError("plan", plan, "a CommunicationPlan or None")
    adherence = None if plan is None else cadence_adherence(crisis, plan, as_of=moment)
    marks = crisis.milestones
    durations = {name: marks.between(*span) for name, span in _SPANS.items()}
    # Outstanding actions of an ended crisis are judged when it ended: no
    # work can be recorded on them afterwards.
    judged_at = crisis.ended_at if crisis.ended_at is not None else moment
    actions = crisis.actions
    done = [a for a in actions if a.status is ActionStatus.DONE]
    overdue = sum(a.is_overdue(judged_at) for a in actions)
    judged = len(done) + overdue
    on_time = sum(a.finished_on_time is True for a in done)
    cancelled = sum(a.status is ActionStatus.CANCELLED for a in actions)
    return ResponseMetrics(
        crisis=crisis.key,
        as_of=moment,
        mode=crisis.mode,
        counts_in_metrics=crisis.mode.counts_in_metrics,
        status=crisis.status,
        time_to_detect=durations["time_to_detect"],
        time_to_acknowledge=durations["time_to_acknowledge"],
        time_to_contain=durations["time_to_contain"],
        time_to_recover=durations["time_to_recover"],
        time_to_resolve=durations["time_to_resolve"],
        time_at_level=_time_at_level(crisis, moment),
        time_in_status=_time_in_status(crisis, moment),
        actions_total=len(actions),
        actions_done=len(done),
        actions_cancelled=cancelled,
        actions_overdue=overdue,
        on_time_rate=None if judged == 0 else on_time / judged,
        communication_adherence=adherence,
    )


# --- many crises ------------------------------------------------------------


@attrs.frozen(kw_only=True)
class DurationStats:
    """One duration metric over a portfolio of crises, in seconds.

    Crises without the metric (a milestone missing) are left out, so
    ``count`` may be below the number of crises.

    Attributes
    ----------
    count
        Crises that have the metric.
    mean
        Mean, in seconds; ``None`` when ``count`` is 0.
    median
        Median, in seconds; ``None`` when ``count`` is 0.
    p90
        90th percentile (linear interpolation, Hyndman & Fan definition 7),
        in seconds; ``None`` when ``count`` is 0.

    Examples
    --------
    The time to resolve of two crises, 7.5 h and 5 h (the portfolio of the
    module example): the 90th percentile interpolates 5 h + 0.9 × 2.5 h.

    >>> from crisisops.response.metrics import DurationStats
    >>> stats = DurationStats(count=2, mean=22500.0, median=22500.0, p90=26100.0)
    >>> stats.mean / 3600, stats.p90 / 3600
    (6.25, 7.25)
    >>> DurationStats(count=0, mean=None, median=None, p90=None).mean is None
    True
    >>> DurationStats(count=2, mean=22500.0, median=None, p90=None)
    Traceback (most recent call last):
    ...
    crisisops.errors.ValidationError: 'median' must be set when count is 2 (got None)
    """

    count: int = attrs.field(validator=_is_count)
    mean: float | None = attrs.field(validator=is_optional(is_finite(low=0.0)))
    median: float | None = attrs.field(validator=is_optional(is_finite(low=0.0)))
    p90: float | None = attrs.field(validator=is_optional(is_finite(low=0.0)))

    def __attrs_post_init__(self) -> None:
        """Check that the statistics are present exactly when there is data."""
        missing = [
            name for name in ("mean", "median", "p90") if getattr(self, name) is None
        ]
        if self.count == 0 and len(missing) != 3:
            raise ValidationError(
                "count", self.count, "> 0 when mean, median and p90 are set"
            )
        if self.count > 0 and missing:
            raise ValidationError(missing[0], None, f"set when count is {self.count}")


_STATS = is_instance(DurationStats, "a DurationStats")


@attrs.frozen(kw_only=True)
class MetricsSummary:
    """Response metrics over a portfolio of crises, as of a moment.

    Attributes
    ----------
    as_of
        The moment measured at.
    crises
        Keys of the crises summarised, in the order given.
    excluded
        How many crises given were left out (drills, unless
        ``include_drills``).
    count
        ``len(crises)``.
    time_to_detect, time_to_acknowledge, time_to_contain, time_to_recover, time_to_resolve
        Each a `DurationStats` over the crises that have the metric.
    """  # noqa: E501  the field list is one line

    as_of: dt.datetime = attrs.field(validator=is_aware_datetime())
    crises: tuple[str, ...] = attrs.field(
        converter=to_str_tuple, validator=is_tuple_of(is_text())
    )
    excluded: int = attrs.field(validator=_is_count)
    count: int = attrs.field(validator=_is_count)
    time_to_detect: DurationStats = attrs.field(validator=_STATS)
    time_to_acknowledge: DurationStats = attrs.field(validator=_STATS)
    time_to_contain: DurationStats = attrs.field(validator=_STATS)
    time_to_recover: DurationStats = attrs.field(validator=_STATS)
    time_to_resolve: DurationStats = attrs.field(validator=_STATS)

    def __attrs_post_init__(self) -> None:
        """Check the count and that no metric counts more crises than there are."""
        if self.count != len(self.crises):
            raise ValidationError(
                "count", self.count, f"the number of crises ({len(self.crises)})"
            )
        if len(set(self.crises)) != len(self.crises):
            raise ValidationError("crises", self.crises, "distinct crisis keys")
        for name in DURATION_METRICS:
            stats: DurationStats = getattr(self, name)
            if stats.count > self.count:
                raise ValidationError(
                    f"{name}.count", stats.count, f"at most count ({self.count})"
                )

    def stats(self, metric: str) -> DurationStats:
        """Return the statistics of the duration metric named ``metric``.

        Raises
        ------
        UnknownKeyError
            For a name not in `DURATION_METRICS`.
        """
        if metric not in _SPANS:
            raise UnknownKeyError("duration metric", metric, DURATION_METRICS)
        value: DurationStats = getattr(self, metric)
        return value


def _portfolio(crises: object, include_drills: object) -> tuple[list[Crisis], int]:
    """Validate the crises and return those to summarise and the number left out."""
    if not isinstance(include_drills, bool):
        raise InvalidTypeError("include_drills", include_drills, "a bool")
    if isinstance(crises, (Crisis, str, bytes)) or not isinstance(crises, Iterable):
        raise InvalidTypeError("crises", crises, "an iterable of Crisis")
    given = list(crises)
    seen: set[str] = set()
    for index, crisis in enumerate(given):
        check_crisis(crisis, f"crises[{index}]")
        if crisis.key in seen:
            raise DuplicateKeyError("crisis", crisis.key)
        seen.add(crisis.key)
    kept = [c for c in given if include_drills or c.mode.counts_in_metrics]
    return kept, len(given) - len(kept)


def _stats_columns(seconds: np.ndarray[Any, Any]) -> list[DurationStats]:
    """Count, mean, median and p90 of each column of ``seconds`` (NaN = missing)."""
    counts = np.count_nonzero(~np.isnan(seconds), axis=0)
    has = counts > 0
    mean = np.full(seconds.shape[1], np.nan)
    median = np.full(seconds.shape[1], np.nan)
    p90 = np.full(seconds.shape[1], np.nan)
    if has.any():
        present = seconds[:, has]  # every column has a value: no empty-slice warnings
        mean[has] = np.nanmean(present, axis=0)
        median[has] = np.nanmedian(present, axis=0)
        p90[has] = np.nanquantile(present, 0.9, axis=0)

    def value(column: np.ndarray[Any, Any], index: int) -> float | None:
        return float(column[index]) if has[index] else None

    return [
        DurationStats(
            count=int(counts[i]),
            mean=value(mean, i),
            median=value(median, i),
            p90=value(p90, i),
        )
        for i in range(seconds.shape[1])
    ]


def summarize(
    crises: Iterable[Crisis],
    *,
    as_of: dt.datetime,
    include_drills: bool = False,
) -> MetricsSummary:
    """Summarise the duration metrics of many crises: count, mean, median, p90.

    Each crisis is measured with `measure()` at ``as_of``; its durations
    form one row of a crises × metrics array of seconds, NaN where the
    crisis lacks the milestone, and every statistic is a NaN-aware numpy
    reduction over that array (``nanmean``, ``nanmedian``, ``nanquantile``
    at 0.9, linear): a crisis without a milestone is left out of that metric
    only. Drills are left out unless ``include_drills`` (issue #7: drills are
    kept out of metrics); real and backfilled crises count.

    Parameters
    ----------
    crises
        The crises; distinct keys.
    as_of
        The moment to measure at; timezone-aware and not before any crisis's
        last event.
    include_drills
        Also summarise drills.

    Returns
    -------
    MetricsSummary

    Raises
    ------
    InvalidTypeError
        For ``crises`` that is not an iterable of `Crisis` (naming the
        index), or a non-bool ``include_drills``.
    DuplicateKeyError
        For a crisis key given twice.
    NaiveDatetimeError, ValidationError
        For a bad ``as_of`` (see `measure()`).
    """
    kept, excluded = _portfolio(crises, include_drills)
    moment = check_aware(as_of, "as_of")
    measured = [measure(crisis, as_of=moment) for crisis in kept]
    rows = [
        [
            np.nan if (span := getattr(m, name)) is None else span.total_seconds()
            for name in DURATION_METRICS
        ]
        for m in measured
    ]
    seconds = np.array(rows, dtype=np.float64).reshape(len(rows), len(DURATION_METRICS))
    stats = dict(zip(DURATION_METRICS, _stats_columns(seconds), strict=True))
    return MetricsSummary(
        as_of=moment,
        crises=tuple(crisis.key for crisis in kept),
        excluded=excluded,
        count=len(kept),
        time_to_detect=stats["time_to_detect"],
        time_to_acknowledge=stats["time_to_acknowledge"],
        time_to_contain=stats["time_to_contain"],
        time_to_recover=stats["time_to_recover"],
        time_to_resolve=stats["time_to_resolve"],
    )
