"""Learning across many crises: speed, recurrence, follow-through, triggers, playbooks.

One review looks back at one crisis; book §6 asks for more. 持續改進與優化危機
管理體系 begins "通過對過往危機事件的數據分析,我們能夠清晰地看到哪些環節存在
短板" — analysing *past crises* shows where the weak links are — and
預防未來危機的發生 starts from the history: "分析歷史數據,找出潛在風險點" and
"建立危機預警系統". This module reads a portfolio of crises, their reviews and
the monitoring alerts, and answers the questions a crisis-management lead asks
each quarter:

* `response_times()` – are we getting faster? Time to detect, acknowledge,
  contain, recover and resolve (`crisisops.response.measure`) per crisis
  type, peak level or quarter, with count, mean, median and 90th percentile
  and a least-squares trend in seconds per quarter (§6.1 評估危機處理效果:
  "應對措施的響應速度").
* `recurrence()` – which crisis types and which root causes keep coming
  back, when they were first and last seen and how far apart the repeats
  are (§6.4 "分析歷史數據,找出潛在風險點").
* `improvement_progress()` – are the improvement plans being carried out?
  Completion, on-time and overdue rates of the reviews' improvement actions,
  as of a moment, in total, per kind and per owner (§6.3 持續改進; Google
  SRE's action-item follow-up).
* `trigger_quality()` – how good is each monitoring trigger rule? Alerts
  that led to confirmed crises, alerts behind dismissed crises (false
  alarms), alerts nobody linked to a crisis, precision, recall and detection
  lead time, and the crises no rule caught in time (§6.4 建立危機預警系統;
  §6.2 識別危機的敏感性).
* `playbook_feedback()` – which playbook steps were repeatedly late,
  skipped or never started (§6.3 三、應急預案的動態更新).

Every statistic is numpy array code over the crises, actions or alerts
(count, mean, median, quantile, ``polyfit``, ``bincount``); the only Python
loops read the domain objects into arrays and walk the handful of groups,
rules and metrics.

Examples
--------
Parcels were late in January and May, both times because every parcel went
with one carrier; traffic dropped in March after a ranking change. Each
crisis is detected, confirmed, contained and resolved:

>>> import datetime as dt
>>> from crisisops.response import Crisis
>>> from crisisops.review.portfolio import response_times
>>> from crisisops.taxonomy import ResponseLevel
>>> h = dt.timedelta(hours=1)
>>> def closed(key, crisis_type, start, hours, root_cause):
...     crisis = Crisis.declare(
...         key,
...         title=key,
...         crisis_type=crisis_type,
...         level=ResponseLevel.III,
...         at=start,
...         actor="monitor",
...         lead="mei",
...     )
...     crisis = crisis.confirm(at=start + h, actor="mei", root_cause=root_cause)
...     crisis = crisis.mark_contained(at=start + 2 * h, actor="mei")
...     crisis = crisis.mark_recovered(at=start + 3 * h, actor="mei")
...     return crisis.resolve(at=start + hours * h, actor="mei")
>>> taipei = dt.timezone(dt.timedelta(hours=8))
>>> jan = dt.datetime(2026, 1, 5, 9, 0, tzinfo=taipei)
>>> delay, traffic = "other.logistics_delay", "market.traffic_swing"
>>> crises = [
...     closed("delay_jan", delay, jan, 10, "single_carrier"),
...     closed("traffic_mar", traffic, jan.replace(month=3), 4, "ranking_change"),
...     closed("delay_may", delay, jan.replace(month=5), 6, "single_carrier"),
... ]

**Speed** (`response_times()`), here per crisis type:

>>> groups = response_times(crises, by="crisis_type")
>>> [(g.group, g.count) for g in groups]
[('market.traffic_swing', 1), ('other.logistics_delay', 2)]
>>> delays = groups[1].time_to_resolve
>>> delays.stats.mean / 3600, delays.stats.median / 3600  # (10 + 6) / 2 hours
(8.0, 8.0)
>>> delays.trend is None  # a trend needs at least three crises
True

With all three crises in one group (``by="all"``, one of
`TIMING_GROUPINGS`) there is a trend: the least-squares slope of the time to
resolve against the detection date, in seconds per `QUARTER` — about three
hours faster each quarter (10 h in January, 4 h in March, 6 h in May):

>>> from crisisops.review.portfolio import QUARTER, TIMING_GROUPINGS, TimingGroup
>>> TIMING_GROUPINGS
('crisis_type', 'level', 'quarter', 'all')
>>> (everyone,) = response_times(crises, by="all")
>>> resolve = everyone.metric("time_to_resolve")
>>> str(resolve.mean), str(resolve.median), round(resolve.trend / 3600, 2)
('6:40:00', '6:00:00', -3.01)
>>> str(QUARTER)
'91 days, 7:30:00'
>>> [(g.group, g.count) for g in response_times(crises, by="quarter")]
[('2026-Q1', 2), ('2026-Q2', 1)]

Each group is a `TimingGroup`, kept for the quarterly report as plain data:

>>> from crisisops.serialization import from_data, to_data
>>> from_data(TimingGroup, to_data(everyone)) == everyone
True

**Recurrence** (`recurrence()`) reads the reviews: each names its root cause
in a cause analysis, with the same key every time the cause comes back. The
January review planned two improvement actions, a second carrier (Lin, due
in 30 days) and a delay alert (Chen, due in 14 days, done in 10); the May
review planned a carrier SLA (Lin, due in 7 days):

>>> from crisisops.planning import Cause, CauseAnalysis, CauseFamily
>>> from crisisops.review import ImprovementAction, ImprovementKind, Review
>>> from crisisops.review.portfolio import detected_at, recurrence
>>> def reviewed(crisis, family, *actions):
...     root = Cause(
...         key=crisis.root_cause,
...         family=family,
...         description=crisis.root_cause.replace("_", " "),
...         is_root=True,
...         contributes_to=["lost_orders"],
...     )
...     effect = Cause(
...         key="lost_orders",
...         family=CauseFamily.PRODUCT_SERVICE_QUALITY,
...         description="Orders were lost",
...     )
...     at = crisis.ended_at + h
...     review = Review.draft(
...         crisis,
...         key=f"review_{crisis.key}",
...         at=at,
...         owner="mei",
...         summary="What happened.",
...         causes=CauseAnalysis(crisis_key=crisis.key, causes=[root, effect]),
...     )
...     for key, owner, kind, days in actions:
...         action = ImprovementAction(
...             key=key,
...             title=key.replace("_", " "),
...             kind=kind,
...             owner=owner,
...             created_at=at,
...             due_at=at + dt.timedelta(days=days),
...         )
...         review = review.add_improvement(action, at=at, actor="mei")
...     return review
>>> supply, market = CauseFamily.SUPPLY_CHAIN_STABILITY, CauseFamily.MARKET_TREND
>>> january = reviewed(
...     crises[0],
...     supply,
...     ("second_carrier", "lin", ImprovementKind.PREVENT, 30),
...     ("delay_alert", "chen", ImprovementKind.DETECT, 14),
... )
>>> january = january.complete_improvement(
...     "delay_alert", at=jan + dt.timedelta(days=10), actor="chen"
... )
>>> may = reviewed(
...     crises[2], supply, ("carrier_sla", "lin", ImprovementKind.PROCESS, 7)
... )
>>> reviews = [january, reviewed(crises[1], market), may]
>>> detected_at(may).isoformat()  # in the crisis's own UTC offset
'2026-05-05T09:00:00+08:00'
>>> found = recurrence(reviews)
>>> [(e.key, e.count, str(e.mean_interval)) for e in found.by_crisis_type]
... # doctest: +NORMALIZE_WHITESPACE
[('other.logistics_delay', 2, '120 days, 0:00:00'),
 ('market.traffic_swing', 1, 'None')]
>>> [(e.key, e.family.value) for e in found.by_root_cause]
[('single_carrier', 'supply_chain_stability'), ('ranking_change', 'market_trend')]
>>> [(e.kind.value, e.key) for e in found.recurring()]
[('crisis_type', 'other.logistics_delay'), ('root_cause', 'single_carrier')]
>>> found.crises, found.excluded  # oldest first; nothing left out
(('delay_jan', 'traffic_mar', 'delay_may'), 0)

**Follow-through** (`improvement_progress()`) at the end of May: the delay
alert is done, both of Lin's actions are overdue:

>>> from crisisops.review.portfolio import ImprovementProgress, improvement_progress
>>> progress = improvement_progress(
...     reviews, as_of=dt.datetime(2026, 5, 31, tzinfo=taipei)
... )
>>> totals = progress.totals
>>> totals.total, totals.done, totals.overdue, round(totals.completion_rate, 3)
(3, 1, 2, 0.333)
>>> {owner: counts.overdue for owner, counts in progress.by_owner.items()}
{'chen': 0, 'lin': 2}
>>> progress.overdue  # most overdue first: the follow-up agenda
('review_delay_jan/second_carrier', 'review_delay_may/carrier_sla')

The overdue list and the totals must agree:

>>> import attrs
>>> from crisisops.errors import ValidationError
>>> try:
...     ImprovementProgress(**{**attrs.asdict(progress, recurse=False), "overdue": ()})
... except ValidationError as error:
...     error.expected
'2 action(s), as totals.overdue says'

References
----------
Beyer, Betsy, Chris Jones, Jennifer Petoff, and Niall Richard Murphy, eds.
2016. *Site Reliability Engineering*, ch. 15 "Postmortem Culture: Learning
from Failure". Sebastopol, CA: O'Reilly. (Reviewing postmortems across
incidents for trends; action-item follow-up.)
Lunney, John, Sue Lueder, and Gary O'Connor. 2017. "Postmortem Action Items:
Plan the Work and Work the Plan." *;login:* 42 (1).
Saito, Takaya, and Marc Rehmsmeier. 2015. "The Precision-Recall Plot Is More
Informative than the ROC Plot When Evaluating Binary Classifiers on
Imbalanced Datasets." *PLoS ONE* 10 (3): e0118432. (Precision and recall for
rare events such as crises.)
Hyndman, Rob J., and Yanan Fan. 1996. "Sample Quantiles in Statistical
Packages." *The American Statistician* 50 (4): 361–65 (the 90th percentile
is definition 7, numpy's default).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Iterator
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from crisisops._time import instant
from crisisops._validation import (
    check_aware,
    field_name,
    is_aware_datetime,
    is_enum,
    is_finite,
    is_instance,
    is_key,
    is_optional,
    is_text,
    is_tuple_of,
    is_unique,
    to_frozendict,
    to_str_tuple,
    to_tuple,
)
from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.frozen import FrozenDict
from crisisops.labels import Labels
from crisisops.monitoring import Alert, AlertKind, TriggerRule
from crisisops.planning import CauseFamily
from crisisops.response import (
    DURATION_METRICS,
    ActionStatus,
    Crisis,
    CrisisStatus,
    DurationStats,
    OriginKind,
    measure,
)
from crisisops.review._shared import (
    MICROSECOND,
    NEVER,
    Named,
    answers_for,
    check_unique_keys,
    crisis_list,
    detected,
    final_crisis,
    is_count,
    items_of,
    latest_reviews,
    micros,
    micros_of,
    onset,
    origin_alerts,
    peak_level,
    settled,
)
from crisisops.review.lessons import ImprovementKind
from crisisops.review.record import Review
from crisisops.taxonomy import ResponseLevel

__all__ = [
    "QUARTER",
    "TIMING_GROUPINGS",
    "AlertOutcome",
    "ImprovementProgress",
    "MetricTiming",
    "ProgressCounts",
    "Recurrence",
    "RecurrenceEntry",
    "RecurrenceKind",
    "StepFeedback",
    "TimingGroup",
    "TriggerQuality",
    "TriggerQualityReport",
    "detected_at",
    "improvement_progress",
    "playbook_feedback",
    "recurrence",
    "response_times",
    "trigger_quality",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

_labels = Labels.of

#: The ways `response_times()` can group crises.
TIMING_GROUPINGS: tuple[str, ...] = ("crisis_type", "level", "quarter", "all")

#: The length of a quarter for trends: a quarter of a Julian year, 91.3125 days.
QUARTER = dt.timedelta(days=365.25 / 4)

_ZERO = dt.timedelta(0)
# Crises whose response is over: the ones response times and playbook
# feedback can judge.
_CLOSED = frozenset({CrisisStatus.RESOLVED, CrisisStatus.REVIEWED})
_MIN_TREND_POINTS = 3


# --- shared checks --------------------------------------------------------------


def _span(micros: float) -> dt.timedelta:
    """Return a number of microseconds (a numpy float) as a timedelta."""
    return dt.timedelta(microseconds=round(float(micros)))


def _check_bool(value: object, field: str) -> bool:
    if not isinstance(value, bool):
        raise InvalidTypeError(field, value, "a bool")
    return value


def _review_list(reviews: object) -> list[Review]:
    """Validate an iterable of reviews with distinct keys."""
    items = items_of(reviews, "reviews", Review, "an iterable of Review")
    check_unique_keys(items, "review")
    return items


def _is_duration(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, dt.timedelta):
        raise InvalidTypeError(name, value, "a datetime.timedelta")
    if value < _ZERO:
        raise ValidationError(name, value, "a duration >= 0")


_SHARE = is_finite(low=0.0, high=1.0)
_OPTIONAL_SHARE = is_optional(_SHARE)
_OPTIONAL_DURATION = is_optional(_is_duration)
_KEYS = [is_tuple_of(is_text()), is_unique("key")]


def _share(part: int, whole: int) -> float | None:
    return None if whole == 0 else part / whole


def _check_share(value: float | None, field: str, part: int, whole: int) -> None:
    expected = _share(part, whole)
    same = (
        value is None
        if expected is None
        else value is not None and abs(value - expected) <= 1e-12
    )
    if not same:
        raise ValidationError(field, value, f"{part} / {whole} ({expected})")


# --- response times -------------------------------------------------------------


def _is_metric_name(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    if value not in DURATION_METRICS:
        raise UnknownKeyError(
            f"duration metric ({field_name(attribute)})", value, DURATION_METRICS
        )


@attrs.frozen(kw_only=True)
class MetricTiming:
    """One duration metric over a group of crises, with its trend.

    Attributes
    ----------
    metric
        The metric, one of `crisisops.response.DURATION_METRICS`, e.g.
        ``"time_to_resolve"``.
    stats
        Count, mean, median and 90th percentile in seconds over the crises
        that have the metric (`crisisops.response.DurationStats`).
    trend
        Least-squares slope of the metric against the crises' detection
        time, in seconds per `QUARTER` (``numpy.polyfit`` of degree 1):
        negative means the team is getting faster. ``None`` with fewer than
        three crises, or when all were detected at the same moment.

    Examples
    --------
    The time to resolve of the module example's three crises:

    >>> from crisisops.response import DurationStats
    >>> from crisisops.review.portfolio import MetricTiming
    >>> stats = DurationStats(count=3, mean=24000.0, median=21600.0, p90=33120.0)
    >>> timing = MetricTiming(metric="time_to_resolve", stats=stats, trend=-10834.7)
    >>> str(timing.mean), str(timing.median), str(timing.p90)
    ('6:40:00', '6:00:00', '9:12:00')

    Two crises make no trend:

    >>> two = DurationStats(count=2, mean=25200.0, median=25200.0, p90=27360.0)
    >>> MetricTiming(metric="time_to_resolve", stats=two, trend=-3600.0)
    Traceback (most recent call last):
    ...
    crisisops.errors.ValidationError: 'trend' must be None with fewer than 3 crises (stats.count is 2) (got -3600.0)
    """  # noqa: E501  doctest output is one line

    metric: str = attrs.field(validator=_is_metric_name)
    stats: DurationStats = attrs.field(
        validator=is_instance(DurationStats, "a DurationStats")
    )
    trend: float | None = attrs.field(validator=is_optional(is_finite()))

    def __attrs_post_init__(self) -> None:
        """Check that a trend needs at least three crises."""
        if self.trend is not None and self.stats.count < _MIN_TREND_POINTS:
            raise ValidationError(
                "trend",
                self.trend,
                f"None with fewer than {_MIN_TREND_POINTS} crises "
                f"(stats.count is {self.stats.count})",
            )

    @property
    def mean(self) -> dt.timedelta | None:
        """The mean as a duration, ``None`` without data."""
        return None if self.stats.mean is None else _seconds(self.stats.mean)

    @property
    def median(self) -> dt.timedelta | None:
        """The median as a duration, ``None`` without data."""
        return None if self.stats.median is None else _seconds(self.stats.median)

    @property
    def p90(self) -> dt.timedelta | None:
        """The 90th percentile as a duration, ``None`` without data."""
        return None if self.stats.p90 is None else _seconds(self.stats.p90)


def _seconds(value: float) -> dt.timedelta:
    return dt.timedelta(seconds=value)


_TIMING = is_instance(MetricTiming, "a MetricTiming")


@attrs.frozen(kw_only=True)
class TimingGroup:
    """Response times of one group of crises (a type, a peak level or a quarter).

    Attributes
    ----------
    by
        How the crises were grouped, one of `TIMING_GROUPINGS`.
    group
        The group: a crisis-type key, a level (``"I"`` … ``"IV"``), a
        quarter (``"2026-Q1"``) or ``"all"``.
    crises
        Keys of the crises in the group, in the order given.
    first_detected, last_detected
        The earliest and latest detection among them.
    time_to_detect, time_to_acknowledge, time_to_contain, time_to_recover, time_to_resolve
        Each a `MetricTiming`.
    """  # noqa: E501  the field list is one line

    by: str = attrs.field(validator=is_text())
    group: str = attrs.field(validator=is_text())
    crises: tuple[str, ...] = attrs.field(converter=to_str_tuple, validator=_KEYS)
    first_detected: dt.datetime = attrs.field(validator=is_aware_datetime())
    last_detected: dt.datetime = attrs.field(validator=is_aware_datetime())
    time_to_detect: MetricTiming = attrs.field(validator=_TIMING)
    time_to_acknowledge: MetricTiming = attrs.field(validator=_TIMING)
    time_to_contain: MetricTiming = attrs.field(validator=_TIMING)
    time_to_recover: MetricTiming = attrs.field(validator=_TIMING)
    time_to_resolve: MetricTiming = attrs.field(validator=_TIMING)

    def __attrs_post_init__(self) -> None:
        """Check the grouping, the crises and that each metric sits in its field."""
        if self.by not in TIMING_GROUPINGS:
            raise UnknownKeyError("grouping (by)", self.by, TIMING_GROUPINGS)
        if not self.crises:
            raise ValidationError("crises", self.crises, "at least one crisis key")
        if instant(self.last_detected) < instant(self.first_detected):
            raise ValidationError(
                "last_detected",
                self.last_detected,
                f"at or after first_detected ({self.first_detected.isoformat()})",
            )
        for name in DURATION_METRICS:
            timing: MetricTiming = getattr(self, name)
            if timing.metric != name:
                raise ValidationError(
                    f"{name}.metric", timing.metric, f"{name!r} (its field)"
                )
            if timing.stats.count > len(self.crises):
                raise ValidationError(
                    f"{name}.stats.count",
                    timing.stats.count,
                    f"at most the number of crises ({len(self.crises)})",
                )

    @property
    def count(self) -> int:
        """The number of crises in the group."""
        return len(self.crises)

    def metric(self, name: str) -> MetricTiming:
        """Return the timing of the duration metric ``name``.

        Raises
        ------
        UnknownKeyError
            For a name not in `crisisops.response.DURATION_METRICS`.
        """
        if name not in DURATION_METRICS:
            raise UnknownKeyError("duration metric", name, DURATION_METRICS)
        timing: MetricTiming = getattr(self, name)
        return timing


def _quarter_of(moment: dt.datetime) -> str:
    """Return the calendar quarter of ``moment`` as written (its own UTC offset)."""
    return f"{moment.year:04d}-Q{(moment.month - 1) // 3 + 1}"


def _group_of(crisis: Crisis, by: str) -> str:
    if by == "crisis_type":
        return crisis.crisis_type
    if by == "level":
        return peak_level(crisis).value
    if by == "quarter":
        return _quarter_of(detected(crisis.milestones))
    return "all"


def _group_order(by: str, groups: Iterable[str]) -> list[str]:
    if by == "level":
        order = [level.value for level in ResponseLevel]
        return sorted(groups, key=order.index)
    return sorted(groups)


def _column_stats(seconds: FloatArray) -> list[DurationStats]:
    """Count, mean, median and p90 of each column (NaN = missing), numpy reductions."""
    present = ~np.isnan(seconds)
    counts = np.count_nonzero(present, axis=0)
    has = counts > 0
    columns = seconds.shape[1]
    mean = np.full(columns, np.nan)
    median = np.full(columns, np.nan)
    p90 = np.full(columns, np.nan)
    if has.any():
        chosen = seconds[:, has]  # every chosen column has a value
        mean[has] = np.nanmean(chosen, axis=0)
        median[has] = np.nanmedian(chosen, axis=0)
        p90[has] = np.nanquantile(chosen, 0.9, axis=0)
    return [
        DurationStats(
            count=int(counts[i]),
            mean=float(mean[i]) if has[i] else None,
            median=float(median[i]) if has[i] else None,
            p90=float(p90[i]) if has[i] else None,
        )
        for i in range(columns)
    ]


def _trend(quarters: FloatArray, values: FloatArray) -> float | None:
    """Least-squares slope of ``values`` on ``quarters``, NaN values left out."""
    keep = ~np.isnan(values)
    x, y = quarters[keep], values[keep]
    if x.size < _MIN_TREND_POINTS or float(np.ptp(x)) == 0.0:
        return None
    slope = float(np.polyfit(x - x.min(), y, 1)[0])
    return slope if np.isfinite(slope) else None


def response_times(
    crises: Iterable[Crisis],
    *,
    by: str = "crisis_type",
    include_drills: bool = False,
) -> tuple[TimingGroup, ...]:
    """Return time to detect, acknowledge, contain, recover and resolve per group.

    Book §6.1 評估危機處理效果 evaluates "應對措施的響應速度" — how fast the
    response was; across many crises the question becomes whether the team
    is getting faster for each kind of crisis. Each crisis is measured with
    `crisisops.response.measure` at its last event (the durations come from
    its milestones, so the moment does not change them); its five durations
    form one row of a crises × metrics array of seconds, NaN where a
    milestone is missing (e.g. no known impact start: no time to detect),
    and every statistic is a NaN-aware numpy reduction over a group's rows.

    Only crises whose response is over count: status ``RESOLVED`` or
    ``REVIEWED``. Active crises (their times are not final), dismissed false
    alarms (no response) and merged crises (their target carries the
    response) are left out, and so are drills unless ``include_drills`` (as
    `crisisops.response.summarize` does). Each group lists the crises it
    counted.

    Parameters
    ----------
    crises
        The crises; distinct keys.
    by
        ``"crisis_type"`` (sorted by key), ``"level"`` — the *peak* level
        the crisis reached, most severe first — ``"quarter"`` — the calendar
        quarter of its detection, in the detection moment's own UTC offset,
        oldest first — or ``"all"`` (one group).
    include_drills
        Also count drills.

    Returns
    -------
    tuple of TimingGroup
        One per group that has at least one crisis; empty if none counts.
        Each metric carries a trend: the least-squares slope (numpy
        ``polyfit``, degree 1) of the metric's seconds against the detection
        time in `QUARTER` units, ``None`` with fewer than three crises.

    Raises
    ------
    InvalidTypeError
        For ``crises`` that is not an iterable of `crisisops.response.Crisis`
        (naming the index) or a non-bool ``include_drills``.
    DuplicateKeyError
        For a crisis key given twice.
    UnknownKeyError
        For a ``by`` not in `TIMING_GROUPINGS`.
    """
    items = crisis_list(crises)
    grouping: object = by
    if not isinstance(grouping, str) or grouping not in TIMING_GROUPINGS:
        raise UnknownKeyError("grouping (by)", grouping, TIMING_GROUPINGS)
    _check_bool(include_drills, "include_drills")
    kept = [
        crisis
        for crisis in items
        if crisis.status in _CLOSED
        and (include_drills or crisis.mode.counts_in_metrics)
    ]
    if not kept:
        return ()
    rows = []
    for crisis in kept:
        measured = measure(crisis, as_of=crisis.last_event_at)
        rows.append(
            [
                np.nan
                if (span := measured.duration(name)) is None
                # whole microseconds: exact in a float64 for any real span
                else (span // MICROSECOND) / 1e6
                for name in DURATION_METRICS
            ]
        )
    seconds = np.array(rows, dtype=np.float64)
    moments = [detected(crisis.milestones) for crisis in kept]
    detected_us = micros_of(moments)
    quarters = (detected_us - detected_us.min()) / (QUARTER / MICROSECOND)
    labels = np.array([_group_of(crisis, by) for crisis in kept], dtype=object)
    result = []
    for group in _group_order(by, set(labels.tolist())):
        rows_in = np.flatnonzero(labels == group)
        block = seconds[rows_in]
        stats = _column_stats(block)
        timings = {
            name: MetricTiming(
                metric=name,
                stats=stats[i],
                trend=_trend(quarters[rows_in], block[:, i]),
            )
            for i, name in enumerate(DURATION_METRICS)
        }
        first = int(rows_in[int(np.argmin(detected_us[rows_in]))])
        last = int(rows_in[int(np.argmax(detected_us[rows_in]))])
        result.append(
            TimingGroup(
                by=by,
                group=group,
                crises=tuple(kept[i].key for i in rows_in),
                first_detected=moments[first],
                last_detected=moments[last],
                **timings,
            )
        )
    return tuple(result)


# --- recurrence -----------------------------------------------------------------


class RecurrenceKind(enum.Enum):
    """What a `RecurrenceEntry` counts: a crisis type or a root cause.

    Examples
    --------
    >>> from crisisops.review.portfolio import RecurrenceKind
    >>> [(kind.value, kind.labels.zh_hant) for kind in RecurrenceKind]
    [('crisis_type', '危機類型'), ('root_cause', '根本原因')]
    """

    CRISIS_TYPE = "crisis_type"
    ROOT_CAUSE = "root_cause"

    @property
    def labels(self) -> Labels:
        """The kind's name in English, 繁體 and 简体."""
        return _RECURRENCE_LABELS[self]


_RECURRENCE_LABELS = {
    RecurrenceKind.CRISIS_TYPE: _labels("Crisis type", "危機類型", "危机类型"),
    RecurrenceKind.ROOT_CAUSE: _labels("Root cause", "根本原因", "根本原因"),
}


@attrs.frozen(kw_only=True)
class RecurrenceEntry:
    """How often one crisis type or root cause occurred, and how far apart.

    Attributes
    ----------
    kind
        Crisis type or root cause.
    key
        The crisis-type key, or the root cause's key (`crisisops.planning.Cause`
        key, as given in the reviews' cause analyses).
    description
        For a root cause, its description in the latest review that names
        it; for a crisis type, empty.
    family
        For a root cause, its `crisisops.planning.CauseFamily` in the latest
        review; ``None`` for a crisis type.
    crises
        Keys of the crises it occurred in, oldest first.
    first_seen, last_seen
        When the first and the latest of those crises were detected.
    mean_interval
        Mean time between consecutive occurrences; ``None`` for a single one.

    Examples
    --------
    A root cause behind two parcel delays, 90 days apart:

    >>> import datetime as dt
    >>> from crisisops.planning import CauseFamily
    >>> from crisisops.review.portfolio import RecurrenceEntry, RecurrenceKind
    >>> jan = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc)
    >>> entry = RecurrenceEntry(
    ...     kind=RecurrenceKind.ROOT_CAUSE,
    ...     key="single_carrier",
    ...     description="One carrier for every parcel",
    ...     family=CauseFamily.SUPPLY_CHAIN_STABILITY,
    ...     crises=["delay_jan", "delay_apr"],
    ...     first_seen=jan,
    ...     last_seen=jan.replace(month=4),
    ...     mean_interval=dt.timedelta(days=90),
    ... )
    >>> entry.count, entry.recurred, str(entry.mean_interval)
    (2, True, '90 days, 0:00:00')

    A repeat has an interval, a single occurrence none:

    >>> RecurrenceEntry(
    ...     kind=RecurrenceKind.CRISIS_TYPE,
    ...     key="other.logistics_delay",
    ...     crises=["delay_jan", "delay_apr"],
    ...     first_seen=jan,
    ...     last_seen=jan.replace(month=4),
    ...     mean_interval=None,
    ... )
    Traceback (most recent call last):
    ...
    crisisops.errors.ValidationError: 'mean_interval' must be a duration when the key occurred at least twice, else None (got None)
    """  # noqa: E501  doctest output is one line

    kind: RecurrenceKind = attrs.field(validator=is_enum(RecurrenceKind))
    key: str = attrs.field(validator=is_key())
    description: str = attrs.field(default="", validator=is_text(allow_empty=True))
    family: CauseFamily | None = attrs.field(
        default=None, validator=is_optional(is_enum(CauseFamily))
    )
    crises: tuple[str, ...] = attrs.field(converter=to_str_tuple, validator=_KEYS)
    first_seen: dt.datetime = attrs.field(validator=is_aware_datetime())
    last_seen: dt.datetime = attrs.field(validator=is_aware_datetime())
    mean_interval: dt.timedelta | None = attrs.field(validator=_OPTIONAL_DURATION)

    def __attrs_post_init__(self) -> None:
        """Check the crises, the order of the dates and the interval's presence."""
        if not self.crises:
            raise ValidationError("crises", self.crises, "at least one crisis key")
        if instant(self.last_seen) < instant(self.first_seen):
            raise ValidationError(
                "last_seen",
                self.last_seen,
                f"at or after first_seen ({self.first_seen.isoformat()})",
            )
        if (self.mean_interval is None) != (len(self.crises) < 2):
            raise ValidationError(
                "mean_interval",
                self.mean_interval,
                "a duration when the key occurred at least twice, else None",
            )

    @property
    def count(self) -> int:
        """How many crises it occurred in."""
        return len(self.crises)

    @property
    def recurred(self) -> bool:
        """Whether it occurred more than once."""
        return len(self.crises) > 1


def _entries(value: object, kind: RecurrenceKind, field: str) -> None:
    is_tuple_of(is_instance(RecurrenceEntry, "a RecurrenceEntry"))(
        None, Named(field), value
    )
    assert isinstance(value, tuple)  # noqa: S101  narrowing for mypy
    seen: set[str] = set()
    for index, entry in enumerate(value):
        if entry.kind is not kind:
            raise ValidationError(f"{field}[{index}].kind", entry.kind, str(kind))
        if entry.key in seen:
            raise DuplicateKeyError(kind.value, entry.key)
        seen.add(entry.key)


def _check_type_entries(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    _entries(value, RecurrenceKind.CRISIS_TYPE, field_name(attribute))


def _check_cause_entries(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    _entries(value, RecurrenceKind.ROOT_CAUSE, field_name(attribute))


@attrs.frozen(kw_only=True)
class Recurrence:
    """Which crisis types and root causes keep coming back (book §6.4).

    Attributes
    ----------
    crises
        Keys of the crises counted (one per crisis, from its latest review),
        oldest first.
    excluded
        Reviews given but not counted: of dismissed false alarms, of drills
        (unless ``include_drills``), or older reviews of a crisis reviewed
        again after a reopening.
    by_crisis_type
        One entry per crisis type, most frequent first (ties by key).
    by_root_cause
        One entry per root cause named in the reviews' cause analyses, most
        frequent first (ties by key).

    Examples
    --------
    >>> import datetime as dt
    >>> from crisisops.review.portfolio import (
    ...     Recurrence,
    ...     RecurrenceEntry,
    ...     RecurrenceKind,
    ... )
    >>> jan = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc)
    >>> def entry(kind, key, crises, interval):
    ...     return RecurrenceEntry(
    ...         kind=kind,
    ...         key=key,
    ...         crises=crises,
    ...         first_seen=jan,
    ...         last_seen=jan.replace(month=len(crises)),
    ...         mean_interval=interval,
    ...     )
    >>> found = Recurrence(
    ...     crises=["delay_jan", "traffic_feb"],
    ...     excluded=0,
    ...     by_crisis_type=[
    ...         entry(
    ...             RecurrenceKind.CRISIS_TYPE,
    ...             "other.logistics_delay",
    ...             ["delay_jan"],
    ...             None,
    ...         ),
    ...         entry(
    ...             RecurrenceKind.CRISIS_TYPE,
    ...             "market.traffic_swing",
    ...             ["traffic_feb"],
    ...             None,
    ...         ),
    ...     ],
    ...     by_root_cause=[
    ...         entry(
    ...             RecurrenceKind.ROOT_CAUSE,
    ...             "single_carrier",
    ...             ["delay_jan", "traffic_feb"],
    ...             dt.timedelta(days=31),
    ...         ),
    ...     ],
    ... )
    >>> [(e.kind.value, e.key) for e in found.recurring()]
    [('root_cause', 'single_carrier')]

    `recurrence()` builds one from reviews.
    """

    crises: tuple[str, ...] = attrs.field(converter=to_str_tuple, validator=_KEYS)
    excluded: int = attrs.field(validator=is_count)
    by_crisis_type: tuple[RecurrenceEntry, ...] = attrs.field(
        converter=to_tuple, validator=_check_type_entries
    )
    by_root_cause: tuple[RecurrenceEntry, ...] = attrs.field(
        converter=to_tuple, validator=_check_cause_entries
    )

    def recurring(self) -> tuple[RecurrenceEntry, ...]:
        """Return the crisis types and root causes that occurred more than once."""
        return tuple(
            entry
            for entry in (*self.by_crisis_type, *self.by_root_cause)
            if entry.recurred
        )


def _by_frequency(entries: list[RecurrenceEntry]) -> tuple[RecurrenceEntry, ...]:
    return tuple(sorted(entries, key=lambda entry: (-entry.count, entry.key)))


def recurrence(
    reviews: Iterable[Review], *, include_drills: bool = False
) -> Recurrence:
    """Return how often each crisis type and each root cause occurred.

    Book §6.4 預防未來危機的發生 starts with "分析歷史數據,找出潛在風險點": what
    keeps happening is where prevention pays. A crisis counts once, at the
    moment it was detected (its review's metrics), from its latest review
    (a reopened crisis may be reviewed again; the later review supersedes).
    Reviews of dismissed crises (false alarms — nothing occurred) and of
    drills (unless ``include_drills``) are left out.

    Root causes are the causes marked ``is_root`` in each review's cause
    analysis (`crisisops.planning.CauseAnalysis.root_causes`), identified by
    their key: give the same cause the same key in every review (e.g.
    ``"single_supplier"``) for its repeats to be counted. Contributing
    causes are not counted.

    Parameters
    ----------
    reviews
        The reviews; distinct keys.
    include_drills
        Also count reviews of drills.

    Returns
    -------
    Recurrence
        Counts, first and last seen and the mean interval between repeats
        (the mean of the gaps between consecutive detections, numpy
        ``diff``), per crisis type and per root cause.

    Raises
    ------
    InvalidTypeError
        For ``reviews`` that is not an iterable of `Review` (naming the index)
        or a non-bool ``include_drills``.
    DuplicateKeyError
        For a review key given twice.

    Examples
    --------
    The module example finds the parcel delays of January and May, and their
    root cause, a single carrier, recurring 120 days apart.
    """
    items = _review_list(reviews)
    _check_bool(include_drills, "include_drills")
    counted = [
        review
        for review in items
        if review.outcome is not CrisisStatus.DISMISSED
        and (include_drills or review.mode.counts_in_metrics)
    ]
    chosen = list(latest_reviews(counted).values())
    moments = [detected(review.milestones) for review in chosen]
    moments_us = micros_of(moments)
    order = np.argsort(moments_us, kind="stable")
    chosen = [chosen[i] for i in order]
    moments = [moments[i] for i in order]
    moments_us = moments_us[order]
    keys = [review.crisis for review in chosen]

    by_type: dict[str, list[int]] = {}
    by_cause: dict[str, list[int]] = {}
    described: dict[str, tuple[str, CauseFamily]] = {}
    for index, review in enumerate(chosen):
        by_type.setdefault(review.crisis_type, []).append(index)
        if review.causes is None:
            continue
        for cause in review.causes.root_causes():
            rows = by_cause.setdefault(cause.key, [])
            if not rows or rows[-1] != index:
                rows.append(index)
            described[cause.key] = (cause.description, cause.family)

    def entry(
        kind: RecurrenceKind,
        key: str,
        rows: list[int],
        cause: tuple[str, CauseFamily] | None = None,
    ) -> RecurrenceEntry:
        # rows are in detection order already: the gaps are consecutive repeats
        gaps = np.diff(moments_us[np.array(rows, dtype=np.intp)])
        return RecurrenceEntry(
            kind=kind,
            key=key,
            description="" if cause is None else cause[0],
            family=None if cause is None else cause[1],
            crises=tuple(keys[i] for i in rows),
            first_seen=moments[rows[0]],
            last_seen=moments[rows[-1]],
            mean_interval=_span(float(gaps.mean())) if gaps.size else None,
        )

    types = [
        entry(RecurrenceKind.CRISIS_TYPE, key, rows) for key, rows in by_type.items()
    ]
    causes = [
        entry(RecurrenceKind.ROOT_CAUSE, key, rows, described[key])
        for key, rows in by_cause.items()
    ]
    return Recurrence(
        crises=tuple(keys),
        excluded=len(items) - len(chosen),
        by_crisis_type=_by_frequency(types),
        by_root_cause=_by_frequency(causes),
    )


def detected_at(review: Review) -> dt.datetime:
    """Return when the crisis a review is about was detected.

    The review keeps the crisis's milestones as it ended: this is their
    ``detected`` moment (else the declaration), in its own UTC offset — the
    detection `response_times()` and `trigger_quality()` read from a crisis.

    Raises
    ------
    InvalidTypeError
        If ``review`` is not a `Review`.

    Examples
    --------
    The module example reads the detection of a May parcel delay, at 09:00
    (+08:00).
    """
    if not isinstance(review, Review):
        raise InvalidTypeError("review", review, "a Review")
    return detected(review.milestones)


# --- improvement progress -------------------------------------------------------


@attrs.frozen(kw_only=True)
class ProgressCounts:
    """How far a set of improvement actions has got, as of a moment.

    Attributes
    ----------
    total
        Actions created at or before the moment.
    done
        Of those, done by the moment.
    done_on_time
        Of the done ones, done by their due date.
    cancelled
        Cancelled by the moment ("not doing").
    outstanding
        Neither done nor cancelled by the moment.
    overdue
        Outstanding and past their due date at the moment.
    completion_rate
        ``done / (total − cancelled)``: the share of the committed work that
        is done; ``None`` when nothing is committed.
    on_time_rate
        ``done_on_time / done``; ``None`` when nothing is done.
    overdue_rate
        ``overdue / (total − cancelled)``; ``None`` when nothing is committed.

    Examples
    --------
    Three actions, one done on time, two overdue:

    >>> from crisisops.review.portfolio import ProgressCounts
    >>> counts = ProgressCounts(
    ...     total=3,
    ...     done=1,
    ...     done_on_time=1,
    ...     cancelled=0,
    ...     outstanding=2,
    ...     overdue=2,
    ...     completion_rate=1 / 3,
    ...     on_time_rate=1.0,
    ...     overdue_rate=2 / 3,
    ... )
    >>> round(counts.completion_rate, 3), round(counts.overdue_rate, 3)
    (0.333, 0.667)

    The rates must follow from the counts:

    >>> import attrs
    >>> attrs.evolve(counts, completion_rate=0.5)
    Traceback (most recent call last):
    ...
    crisisops.errors.ValidationError: 'completion_rate' must be 1 / 3 (0.3333333333333333) (got 0.5)
    """  # noqa: E501  doctest output is one line

    total: int = attrs.field(validator=is_count)
    done: int = attrs.field(validator=is_count)
    done_on_time: int = attrs.field(validator=is_count)
    cancelled: int = attrs.field(validator=is_count)
    outstanding: int = attrs.field(validator=is_count)
    overdue: int = attrs.field(validator=is_count)
    completion_rate: float | None = attrs.field(validator=_OPTIONAL_SHARE)
    on_time_rate: float | None = attrs.field(validator=_OPTIONAL_SHARE)
    overdue_rate: float | None = attrs.field(validator=_OPTIONAL_SHARE)

    def __attrs_post_init__(self) -> None:
        """Check that the counts add up and the rates follow from them."""
        if self.done + self.cancelled + self.outstanding != self.total:
            raise ValidationError(
                "total",
                self.total,
                "done + cancelled + outstanding "
                f"({self.done + self.cancelled + self.outstanding})",
            )
        if self.done_on_time > self.done:
            raise ValidationError(
                "done_on_time", self.done_on_time, f"at most done ({self.done})"
            )
        if self.overdue > self.outstanding:
            raise ValidationError(
                "overdue", self.overdue, f"at most outstanding ({self.outstanding})"
            )
        committed = self.total - self.cancelled
        _check_share(self.completion_rate, "completion_rate", self.done, committed)
        _check_share(self.on_time_rate, "on_time_rate", self.done_on_time, self.done)
        _check_share(self.overdue_rate, "overdue_rate", self.overdue, committed)


def _counts(
    total: int, done: int, on_time: int, cancelled: int, overdue: int
) -> ProgressCounts:
    committed = total - cancelled
    return ProgressCounts(
        total=total,
        done=done,
        done_on_time=on_time,
        cancelled=cancelled,
        outstanding=committed - done,
        overdue=overdue,
        completion_rate=_share(done, committed),
        on_time_rate=_share(on_time, done),
        overdue_rate=_share(overdue, committed),
    )


def _check_counts_map(key_type: type, kind: str) -> Any:  # noqa: ANN401  an attrs validator
    def validate(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
        name = field_name(attribute)
        if not isinstance(value, FrozenDict):
            raise InvalidTypeError(
                name, value, f"a mapping of {kind} to ProgressCounts"
            )
        for key, counts in value.items():
            if not isinstance(key, key_type):
                raise InvalidTypeError(f"{name} key", key, kind)
            if not isinstance(counts, ProgressCounts):
                raise InvalidTypeError(f"{name}[{key!r}]", counts, "a ProgressCounts")

    return validate


@attrs.frozen(kw_only=True)
class ImprovementProgress:
    """Follow-through on the continuous-improvement plans (book §6.3 持續改進).

    Attributes
    ----------
    as_of
        The moment the actions were judged at.
    reviews
        How many reviews were read.
    totals
        All their actions together.
    by_kind
        Per `crisisops.review.lessons.ImprovementKind`, in the enum's order;
        kinds without actions are left out.
    by_owner
        Per owner (member key), sorted by key.
    overdue
        The overdue actions as ``"review_key/action_key"``, most overdue
        first, so the list is the follow-up agenda.
    """

    as_of: dt.datetime = attrs.field(validator=is_aware_datetime())
    reviews: int = attrs.field(validator=is_count)
    totals: ProgressCounts = attrs.field(
        validator=is_instance(ProgressCounts, "a ProgressCounts")
    )
    by_kind: FrozenDict[ImprovementKind, ProgressCounts] = attrs.field(
        converter=to_frozendict,
        validator=_check_counts_map(ImprovementKind, "an ImprovementKind"),
    )
    by_owner: FrozenDict[str, ProgressCounts] = attrs.field(
        converter=to_frozendict, validator=_check_counts_map(str, "a member key")
    )
    overdue: tuple[str, ...] = attrs.field(converter=to_str_tuple, validator=_KEYS)

    def __attrs_post_init__(self) -> None:
        """Check that the overdue list matches the totals."""
        if len(self.overdue) != self.totals.overdue:
            raise ValidationError(
                "overdue",
                self.overdue,
                f"{self.totals.overdue} action(s), as totals.overdue says",
            )


def improvement_progress(
    reviews: Iterable[Review], *, as_of: dt.datetime
) -> ImprovementProgress:
    """Return completion, on-time and overdue rates of the reviews' improvement actions.

    Book §6.3 asks for a continuous-improvement plan; Lunney et al. (2017)
    warn that postmortem action items mostly fail by not being done. The
    figures are **as of** ``as_of``, from each action's own timestamps, so a
    report for the end of last quarter stays the same when read later:

    * an action counts once created (``created_at <= as_of``);
    * it is *done* if ``completed_at <= as_of``, *cancelled* if
      ``cancelled_at <= as_of``, else *outstanding*;
    * an outstanding action is *overdue* when its ``due_at`` is before
      ``as_of``; a done one is *on time* when ``completed_at <= due_at``.

    Rates are shares of the committed work (total − cancelled): completion
    rate ``done / committed`` and overdue rate ``overdue / committed``; the
    on-time rate is ``done_on_time / done``. The actions' timestamps become
    int64 microsecond arrays and every count is a numpy mask, summed in
    total and per kind and owner with ``bincount``.

    Parameters
    ----------
    reviews
        The reviews whose ``improvements`` to count; distinct keys. Drills'
        reviews count too: their actions are real work.
    as_of
        The moment to judge at (timezone-aware).

    Returns
    -------
    ImprovementProgress

    Raises
    ------
    InvalidTypeError
        For ``reviews`` that is not an iterable of `Review`, or an ``as_of``
        that is not a datetime.
    NaiveDatetimeError
        For a naive ``as_of``.
    DuplicateKeyError
        For a review key given twice.

    Examples
    --------
    The module example follows three improvement actions of two reviews to
    the end of May: one done on time, two overdue.
    """
    items = _review_list(reviews)
    moment = check_aware(as_of, "as_of")
    now = micros(moment)
    actions = [
        (review.key, action) for review in items for action in review.improvements
    ]

    def stamps(name: str) -> IntArray:
        return np.array(
            [
                NEVER if (value := getattr(a, name)) is None else micros(value)
                for _, a in actions
            ],
            dtype=np.int64,
        )

    created, due = stamps("created_at"), stamps("due_at")
    completed, cancelled_at = stamps("completed_at"), stamps("cancelled_at")
    exists = created <= now
    done = exists & (completed <= now)
    cancelled = exists & ~done & (cancelled_at <= now)
    outstanding = exists & ~done & ~cancelled
    overdue = outstanding & (due < now)
    on_time = done & (completed <= due)
    masks = (exists, done, on_time, cancelled, overdue)

    def tally(index: IntArray, size: int) -> list[ProgressCounts]:
        sums = [np.bincount(index, weights=mask, minlength=size) for mask in masks]
        return [_counts(*(int(s[i]) for s in sums)) for i in range(size)]

    kinds = list(ImprovementKind)
    kind_position = {kind: i for i, kind in enumerate(kinds)}
    kind_index = np.array(
        [kind_position[a.kind] for _, a in actions], dtype=np.int64
    ).reshape(-1)
    owners = sorted({a.owner for _, a in actions})
    owner_position = {owner: i for i, owner in enumerate(owners)}
    owner_index = np.array(
        [owner_position[a.owner] for _, a in actions], dtype=np.int64
    ).reshape(-1)
    present_kinds = np.bincount(kind_index[exists], minlength=len(kinds)) > 0
    present_owners = np.bincount(owner_index[exists], minlength=len(owners)) > 0
    per_kind = tally(kind_index, len(kinds))
    per_owner = tally(owner_index, len(owners))
    late = np.flatnonzero(overdue)
    late = late[np.argsort(due[late], kind="stable")]
    return ImprovementProgress(
        as_of=moment,
        reviews=len(items),
        totals=_counts(*(int(np.count_nonzero(mask)) for mask in masks)),
        by_kind={kind: per_kind[i] for i, kind in enumerate(kinds) if present_kinds[i]},
        by_owner={
            owner: per_owner[i] for i, owner in enumerate(owners) if present_owners[i]
        },
        overdue=tuple(f"{actions[i][0]}/{actions[i][1].key}" for i in late),
    )


# --- trigger quality ------------------------------------------------------------


class AlertOutcome(enum.Enum):
    """What became of an alert, judged from the crises that reference it.

    * ``CONFIRMED`` – it started (is an origin of) a crisis that was
      confirmed: a true alarm;
    * ``DISMISSED`` – every crisis it started was dismissed as a false alarm
      (誤報);
    * ``PENDING`` – a crisis it started is still being triaged (``DETECTED``),
      or was merged into a crisis not given;
    * ``UNLINKED`` – no crisis references it: nobody declared a crisis on it;
    * ``NO_DATA`` – a no-data alert (data stopped arriving), which predicts
      nothing and is judged apart;
    * ``EXCLUDED`` – it only started drills, which are left out.

    Examples
    --------
    >>> from crisisops.review.portfolio import AlertOutcome
    >>> [(outcome.value, outcome.labels.zh_hant) for outcome in AlertOutcome]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('confirmed', '確認危機'), ('dismissed', '誤報'), ('pending', '待研判'),
     ('unlinked', '未關聯危機'), ('no_data', '數據中斷'), ('excluded', '僅演練')]
    """

    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"
    PENDING = "pending"
    UNLINKED = "unlinked"
    NO_DATA = "no_data"
    EXCLUDED = "excluded"

    @property
    def labels(self) -> Labels:
        """The outcome's name in English, 繁體 and 简体."""
        return _OUTCOME_LABELS[self]


_OUTCOME_LABELS = {
    AlertOutcome.CONFIRMED: _labels("Confirmed crisis", "確認危機", "确认危机"),
    AlertOutcome.DISMISSED: _labels("False alarm", "誤報", "误报"),
    AlertOutcome.PENDING: _labels("Pending triage", "待研判", "待研判"),
    AlertOutcome.UNLINKED: _labels(
        "Not linked to a crisis", "未關聯危機", "未关联危机"
    ),
    AlertOutcome.NO_DATA: _labels("No data", "數據中斷", "数据中断"),
    AlertOutcome.EXCLUDED: _labels("Drill only", "僅演練", "仅演练"),
}


@attrs.frozen(kw_only=True)
class TriggerQuality:
    """How well one trigger rule warned of crises (book §6.4 建立危機預警系統).

    Attributes
    ----------
    rule
        The rule's name.
    crisis_type
        The crisis type the rule points to.
    alerts
        All its alerts given (breach and no-data).
    confirmed, dismissed, pending, unlinked, no_data, excluded
        Its alerts by `AlertOutcome`; they add up to ``alerts``.
    precision
        ``confirmed / (confirmed + dismissed + unlinked)``: an alert nobody
        declared a crisis on counts as a false alarm too. ``None`` when the
        denominator is 0.
    triaged_precision
        ``confirmed / (confirmed + dismissed)``: among the alerts someone
        triaged. ``None`` when the denominator is 0.
    crises
        Confirmed crises the rule answers for (the recall denominator): of
        its crisis type or a sub-type, or raised by one of its alerts.
    caught
        Those the rule caught in time, oldest first (see `trigger_quality`).
    late
        Those one of its alerts started, but not in time.
    missed
        Those it did not catch in time (``late`` included).
    recall
        ``len(caught) / crises``; ``None`` without crises of its type.
    mean_lead_time
        Mean of (crisis detected − the catching alert's first breach) over
        the caught crises: how long before detection the rule's signal
        began. ``None`` if none was caught.
    mean_detection_delay
        Mean of (the alert fired − the crisis's onset: its impact start,
        else its detection) over the caught and late crises: how long the
        impact ran before the rule fired. ``None`` if it started none.
    """

    rule: str = attrs.field(validator=is_key())
    crisis_type: str = attrs.field(validator=is_key())
    alerts: int = attrs.field(validator=is_count)
    confirmed: int = attrs.field(validator=is_count)
    dismissed: int = attrs.field(validator=is_count)
    pending: int = attrs.field(validator=is_count)
    unlinked: int = attrs.field(validator=is_count)
    no_data: int = attrs.field(validator=is_count)
    excluded: int = attrs.field(validator=is_count)
    precision: float | None = attrs.field(validator=_OPTIONAL_SHARE)
    triaged_precision: float | None = attrs.field(validator=_OPTIONAL_SHARE)
    crises: int = attrs.field(validator=is_count)
    caught: tuple[str, ...] = attrs.field(converter=to_str_tuple, validator=_KEYS)
    late: tuple[str, ...] = attrs.field(converter=to_str_tuple, validator=_KEYS)
    missed: tuple[str, ...] = attrs.field(converter=to_str_tuple, validator=_KEYS)
    recall: float | None = attrs.field(validator=_OPTIONAL_SHARE)
    mean_lead_time: dt.timedelta | None = attrs.field(
        validator=is_optional(is_instance(dt.timedelta, "a datetime.timedelta"))
    )
    mean_detection_delay: dt.timedelta | None = attrs.field(
        validator=is_optional(is_instance(dt.timedelta, "a datetime.timedelta"))
    )

    def __attrs_post_init__(self) -> None:
        """Check that the counts add up and the rates follow from them."""
        parts = (
            self.confirmed
            + self.dismissed
            + self.pending
            + self.unlinked
            + self.no_data
            + self.excluded
        )
        if parts != self.alerts:
            raise ValidationError(
                "alerts", self.alerts, f"the sum of the outcomes ({parts})"
            )
        if len(self.caught) + len(self.missed) != self.crises:
            raise ValidationError(
                "crises",
                self.crises,
                f"caught + missed ({len(self.caught) + len(self.missed)})",
            )
        if set(self.caught) & set(self.missed) or not set(self.late) <= set(
            self.missed
        ):
            raise ValidationError(
                "missed",
                self.missed,
                "the crises not caught, including every late one",
            )
        _check_share(
            self.precision,
            "precision",
            self.confirmed,
            self.confirmed + self.dismissed + self.unlinked,
        )
        _check_share(
            self.triaged_precision,
            "triaged_precision",
            self.confirmed,
            self.confirmed + self.dismissed,
        )
        _check_share(self.recall, "recall", len(self.caught), self.crises)


def _check_qualities(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    name = field_name(attribute)
    is_tuple_of(is_instance(TriggerQuality, "a TriggerQuality"))(
        None, Named(name), value
    )
    assert isinstance(value, tuple)  # noqa: S101  narrowing for mypy
    seen: set[str] = set()
    for quality in value:
        if quality.rule in seen:
            raise DuplicateKeyError("trigger rule", quality.rule)
        seen.add(quality.rule)


def _check_outcomes(_instance: object, attribute: Any, value: object) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, FrozenDict):
        raise InvalidTypeError(name, value, "a mapping of alert id to AlertOutcome")
    for key, outcome in value.items():
        if not isinstance(key, str) or not isinstance(outcome, AlertOutcome):
            raise InvalidTypeError(
                f"{name}[{key!r}]", outcome, "an AlertOutcome for an alert id (str)"
            )


@attrs.frozen(kw_only=True)
class TriggerQualityReport:
    """Trigger quality of every rule, and the crises no rule caught in time.

    Iterating over the report (or ``len``, indexing) goes over ``rules``,
    as over a tuple of `TriggerQuality`.

    Attributes
    ----------
    rules
        One `TriggerQuality` per rule, sorted by rule name.
    outcomes
        Every alert's `AlertOutcome`, by alert id (`crisisops.monitoring.Alert.id`).
    confirmed_crises
        Keys of the confirmed crises judged (drills left out unless asked).
    missed
        Those that no rule caught in time, oldest first.
    recall
        Share of ``confirmed_crises`` caught in time by some rule; ``None``
        without confirmed crises.
    lead_time_limit
        The limit used (see `trigger_quality`), ``None`` for none.
    """

    rules: tuple[TriggerQuality, ...] = attrs.field(
        converter=to_tuple, validator=_check_qualities
    )
    outcomes: FrozenDict[str, AlertOutcome] = attrs.field(
        converter=to_frozendict, validator=_check_outcomes
    )
    confirmed_crises: tuple[str, ...] = attrs.field(
        converter=to_str_tuple, validator=_KEYS
    )
    missed: tuple[str, ...] = attrs.field(converter=to_str_tuple, validator=_KEYS)
    recall: float | None = attrs.field(validator=_OPTIONAL_SHARE)
    lead_time_limit: dt.timedelta | None = attrs.field(validator=_OPTIONAL_DURATION)

    def __attrs_post_init__(self) -> None:
        """Check that the missed crises are among the confirmed ones."""
        if not set(self.missed) <= set(self.confirmed_crises):
            raise ValidationError("missed", self.missed, "keys among confirmed_crises")
        caught = len(self.confirmed_crises) - len(self.missed)
        _check_share(self.recall, "recall", caught, len(self.confirmed_crises))

    def __iter__(self) -> Iterator[TriggerQuality]:
        """Iterate over the rules' figures."""
        return iter(self.rules)

    def __len__(self) -> int:
        """Return the number of rules."""
        return len(self.rules)

    def __getitem__(self, index: int) -> TriggerQuality:
        """Return the rules' figures at ``index``."""
        return self.rules[index]

    def rule(self, name: str) -> TriggerQuality:
        """Return the figures of the rule ``name``.

        Raises
        ------
        UnknownKeyError
            For a rule not in the report (suggesting close names).
        """
        for quality in self.rules:
            if quality.rule == name:
                return quality
        raise UnknownKeyError("trigger rule", name, [q.rule for q in self.rules])


def _crisis_outcome(crisis: Crisis | None, include_drills: bool) -> AlertOutcome:  # noqa: FBT001  private helper
    """Return the outcome a crisis (after merges; ``None``: not given) gives."""
    if crisis is None:
        return AlertOutcome.PENDING
    if not include_drills and not crisis.mode.counts_in_metrics:
        return AlertOutcome.EXCLUDED
    verdict = settled(crisis.status)
    if verdict is None:
        return AlertOutcome.PENDING
    return AlertOutcome.CONFIRMED if verdict else AlertOutcome.DISMISSED


# The outcome an alert gets from several linked crises: the first that any has.
_OUTCOME_PRECEDENCE = (
    AlertOutcome.CONFIRMED,
    AlertOutcome.PENDING,
    AlertOutcome.DISMISSED,
    AlertOutcome.EXCLUDED,
)


def _check_limit(value: object) -> dt.timedelta | None:
    if value is None:
        return None
    if not isinstance(value, dt.timedelta):
        raise InvalidTypeError(
            "lead_time_limit", value, "a datetime.timedelta >= 0 or None"
        )
    if value < _ZERO:
        raise ValidationError("lead_time_limit", value, "a duration >= 0 or None")
    return value


def _rule_types(alerts: list[Alert], rules: object) -> dict[str, str]:
    """Return each rule's crisis type: from ``rules`` if given, else the alerts."""
    types: dict[str, str] = {}
    if rules is not None:
        for rule in items_of(rules, "rules", TriggerRule, "an iterable of TriggerRule"):
            if rule.name in types:
                raise DuplicateKeyError("trigger rule", rule.name)
            types[rule.name] = rule.crisis_type
    given = set(types)
    for index, alert in enumerate(alerts):
        if alert.rule in given:
            continue
        known = types.setdefault(alert.rule, alert.crisis_type)
        if known != alert.crisis_type:
            raise ValidationError(
                f"alerts[{index}].crisis_type",
                alert.crisis_type,
                f"{known!r}, the crisis type of rule {alert.rule!r}'s other "
                "alerts (pass rules=... to say which is current)",
            )
    return types


def trigger_quality(  # noqa: C901, PLR0912, PLR0915  one pass per quantity, in order
    alerts: Iterable[Alert],
    crises: Iterable[Crisis],
    *,
    lead_time_limit: dt.timedelta | None = None,
    rules: Iterable[TriggerRule] | None = None,
    include_drills: bool = False,
) -> TriggerQualityReport:
    """Return precision, recall and lead time of each trigger rule.

    Book §6.4 預防未來危機的發生 asks for a warning system that "迅速發出預警
    信號" when data move abnormally, and §6.2 for sensitivity to the signals
    (識別危機的敏感性); the review checks both against what happened. An alert
    is linked to a crisis when the crisis's origins reference it
    (`crisisops.response.Origin` of kind ``ALERT`` whose ``reference`` is the
    alert's ``id``; `crisisops.response.Origin.from_alert` builds one). A
    merged crisis stands for the crisis it was merged into.

    **Precision.** Each alert gets an `AlertOutcome` from the crises that
    reference it: confirmed if any of them was confirmed, else pending if
    one is still being triaged, else dismissed (a false alarm); unlinked if
    none references it. ``precision`` counts unlinked alerts as false alarms
    (nobody thought them worth a crisis); ``triaged_precision`` leaves them
    out. No-data alerts predict nothing and are counted apart.

    A crisis is *confirmed* from ``CONFIRMED`` to ``REVIEWED``, a *false
    alarm* when ``DISMISSED`` — the definitions `crisisops.review.retune`
    uses too (one private helper serves both).

    **Recall.** A confirmed crisis is *caught in time* by a rule when one of
    the rule's breach alerts linked to it fired at or before the crisis was
    detected (its ``detected`` milestone) and — with a ``lead_time_limit`` —
    no later than that limit after the crisis began (its onset: the
    ``impact_started`` milestone — by default the earliest first breach of
    its alert origins — else its detection). A linked alert that fails
    either test makes the crisis *late* for the rule. A rule's recall is the
    share of the confirmed crises it answers for that it caught in time: the
    crises of its crisis type or a sub-type of it, and those one of its
    alerts raised (whatever type they were confirmed as) — as in
    `crisisops.review.retune.retune`. A crisis that no rule caught in time
    is *missed*. Only the alerts given are judged: pass every alert of the
    period.

    **Lead time** of a caught crisis is crisis detected − the earliest
    catching alert's first breach (how long before detection the signal
    began, persistence included); the **detection delay** is that alert's
    firing − the crisis's onset (`crisisops.review.retune.RuleOutcome`'s
    ``delays`` measure the same). Means are numpy means of microsecond
    arrays.

    Parameters
    ----------
    alerts
        The alerts (`crisisops.monitoring.evaluate(...).alerts` or a
        monitor's); distinct ids.
    crises
        The crises of the same period; distinct keys.
    lead_time_limit
        The longest acceptable delay between the impact start and the alert
        firing for a catch to count as in time; ``None`` (the default)
        accepts any alert that fired by the detection.
    rules
        The trigger rules, so a rule that never fired is reported too (with
        recall 0 for the crises of its type) and its crisis type is the
        rule's current one; default: the rules named by the alerts.
    include_drills
        Also judge drills (their alerts are otherwise ``EXCLUDED``).

    Returns
    -------
    TriggerQualityReport
        Iterable over one `TriggerQuality` per rule, sorted by name.

    Raises
    ------
    InvalidTypeError
        For ``alerts``, ``crises`` or ``rules`` of the wrong type (naming the
        index), a ``lead_time_limit`` that is not a timedelta, or a non-bool
        ``include_drills``.
    ValidationError
        For a negative ``lead_time_limit``, or, without ``rules``, alerts of
        one rule that name different crisis types.
    DuplicateKeyError
        For an alert id, crisis key or rule name given twice.

    Examples
    --------
    A complaint-surge rule fired three times. Shop A's alert became a
    confirmed crisis, shop B's a crisis dismissed as a bot wave, and nobody
    declared anything on shop C's:

    >>> import datetime as dt
    >>> from crisisops.monitoring import Alert, AlertKind, Evidence
    >>> from crisisops.response import Crisis, Origin
    >>> from crisisops.review.portfolio import (
    ...     AlertOutcome,
    ...     TriggerQuality,
    ...     TriggerQualityReport,
    ...     trigger_quality,
    ... )
    >>> from crisisops.taxonomy import ResponseLevel
    >>> h = dt.timedelta(hours=1)
    >>> t0 = dt.datetime(2026, 1, 5, 8, 0, tzinfo=dt.timezone.utc)
    >>> def alert(entity, fired_after):
    ...     return Alert(
    ...         kind=AlertKind.BREACH,
    ...         rule="complaint_surge",
    ...         entity=entity,
    ...         episode=1,
    ...         crisis_type="other.customer_service_failure",
    ...         level=ResponseLevel.III,
    ...         fired_level=ResponseLevel.III,
    ...         peak_level=ResponseLevel.III,
    ...         first_breach_at=t0,
    ...         fired_at=t0 + fired_after * h,
    ...         evidence=Evidence(
    ...             observed=30, signal=-0.4, baseline=50, bound=-0.3, run_length=2
    ...         ),
    ...     )
    >>> shop_a, shop_b, shop_c = (
    ...     alert("shop_a", 2),
    ...     alert("shop_b", 3),
    ...     alert("shop_c", 4),
    ... )
    >>> def declared(key, alert):
    ...     return Crisis.declare(
    ...         key,
    ...         title=key,
    ...         crisis_type="other.customer_service_failure",
    ...         level=ResponseLevel.III,
    ...         at=alert.fired_at,
    ...         actor="monitor",
    ...         lead="mei",
    ...         origins=[Origin.from_alert(alert)],
    ...     )
    >>> queue_a = declared("queue_a", shop_a).confirm(
    ...     at=t0 + 3 * h, actor="mei", root_cause="Understaffed"
    ... )
    >>> queue_b = declared("queue_b", shop_b).dismiss(
    ...     at=t0 + 4 * h, actor="mei", reason="A bot wave"
    ... )
    >>> report = trigger_quality([shop_a, shop_b, shop_c], [queue_a, queue_b])
    >>> [(alert_id, outcome.value) for alert_id, outcome in report.outcomes.items()]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('complaint_surge/shop_a/1', 'confirmed'), ('complaint_surge/shop_b/1', 'dismissed'),
     ('complaint_surge/shop_c/1', 'unlinked')]
    >>> report.outcomes["complaint_surge/shop_c/1"] is AlertOutcome.UNLINKED
    True

    The unlinked alert counts as a false alarm in ``precision`` (1 of 3) but
    not in ``triaged_precision`` (1 of 2); the one confirmed crisis was caught,
    its signal two hours before the detection:

    >>> surge = report.rule("complaint_surge")
    >>> round(surge.precision, 3), surge.triaged_precision, surge.recall
    (0.333, 0.5, 1.0)
    >>> surge.caught, str(surge.mean_lead_time)
    (('queue_a',), '2:00:00')

    The figures are checked (the outcomes add up to the alerts), and a report
    is stored and read back as plain data:

    >>> import attrs
    >>> TriggerQuality(**{**attrs.asdict(surge, recurse=False), "alerts": 4})
    Traceback (most recent call last):
    ...
    crisisops.errors.ValidationError: 'alerts' must be the sum of the outcomes (3) (got 4)
    >>> from crisisops.serialization import from_data, to_data
    >>> from_data(TriggerQualityReport, to_data(report)) == report
    True
    """  # noqa: E501  doctest output is one line
    alert_list: list[Alert] = items_of(
        alerts, "alerts", Alert, "an iterable of monitoring.Alert"
    )
    crisis_items = crisis_list(crises)
    limit = _check_limit(lead_time_limit)
    _check_bool(include_drills, "include_drills")
    ids: set[str] = set()
    for alert in alert_list:
        if alert.id in ids:
            raise DuplicateKeyError("alert", alert.id)
        ids.add(alert.id)
    rule_types = _rule_types(alert_list, rules)

    by_key = {crisis.key: crisis for crisis in crisis_items}
    # alert id -> the crises (after merges) that reference it; crisis key ->
    # the rules whose alerts raised it (its own origins and its duplicates')
    linked: dict[str, list[Crisis | None]] = {}
    raised_by: dict[str, set[str]] = {}
    for crisis in crisis_items:
        final = final_crisis(crisis, by_key)
        for origin in crisis.origins:
            if origin.kind is OriginKind.ALERT:
                linked.setdefault(origin.reference, []).append(final)
        if final is not None:
            raised_by.setdefault(final.key, set()).update(
                origin_alerts(crisis.origins)[0]
            )

    outcomes: dict[str, AlertOutcome] = {}
    for alert in alert_list:
        if alert.kind is AlertKind.NO_DATA:
            outcomes[alert.id] = AlertOutcome.NO_DATA
            continue
        found = {
            _crisis_outcome(crisis, include_drills)
            for crisis in linked.get(alert.id, [])
        }
        outcomes[alert.id] = next(
            (o for o in _OUTCOME_PRECEDENCE if o in found), AlertOutcome.UNLINKED
        )

    confirmed = [
        crisis
        for crisis in crisis_items
        if crisis.status is not CrisisStatus.MERGED
        and _crisis_outcome(crisis, include_drills) is AlertOutcome.CONFIRMED
    ]
    confirmed.sort(key=lambda crisis: instant(detected(crisis.milestones)))
    confirmed_keys = {crisis.key for crisis in confirmed}

    # (rule, crisis key) -> the rule's breach alerts linked to that crisis
    catches: dict[tuple[str, str], list[Alert]] = {}
    for alert in alert_list:
        if outcomes[alert.id] is not AlertOutcome.CONFIRMED:
            continue
        for target in linked.get(alert.id, []):
            if target is not None and target.key in confirmed_keys:
                catches.setdefault((alert.rule, target.key), []).append(alert)

    # Each (rule, crisis) pair: the earliest linked alert, in time or not.
    in_time: dict[str, set[str]] = {}
    late: dict[str, set[str]] = {}
    leads: dict[str, list[int]] = {}
    delays: dict[str, list[int]] = {}
    for (rule, key), found_alerts in catches.items():
        crisis = by_key[key]
        first = min(found_alerts, key=lambda a: (instant(a.fired_at), a.id))
        found_at = detected(crisis.milestones)
        delay = instant(first.fired_at) - instant(onset(crisis.milestones))
        timely = instant(first.fired_at) <= instant(found_at) and (
            limit is None or delay <= limit
        )
        (in_time if timely else late).setdefault(rule, set()).add(key)
        delays.setdefault(rule, []).append(delay // MICROSECOND)
        if timely:
            lead = instant(found_at) - instant(first.first_breach_at)
            leads.setdefault(rule, []).append(lead // MICROSECOND)

    def mean_span(values: list[int] | None) -> dt.timedelta | None:
        if not values:
            return None
        return _span(float(np.mean(np.array(values, dtype=np.float64))))

    # Alerts per rule and outcome: one bincount over (rule, outcome) cells.
    names = sorted(rule_types)
    rule_position = {name: i for i, name in enumerate(names)}
    kinds = list(AlertOutcome)
    kind_position = {kind: i for i, kind in enumerate(kinds)}
    cells = np.array(
        [
            rule_position[a.rule] * len(kinds) + kind_position[outcomes[a.id]]
            for a in alert_list
        ],
        dtype=np.int64,
    ).reshape(-1)
    table = np.bincount(cells, minlength=len(names) * len(kinds)).reshape(
        len(names), len(kinds)
    )
    qualities = []
    for row, rule in enumerate(names):
        crisis_type = rule_types[rule]
        counts = {kind: int(table[row, i]) for i, kind in enumerate(kinds)}
        of_type = [
            crisis.key
            for crisis in confirmed
            if answers_for(
                rule, crisis_type, crisis.crisis_type, raised_by.get(crisis.key, ())
            )
        ]
        caught = [k for k in of_type if k in in_time.get(rule, set())]
        missed = [k for k in of_type if k not in in_time.get(rule, set())]
        late_keys = [k for k in of_type if k in late.get(rule, set())]
        good = counts[AlertOutcome.CONFIRMED]
        bad = counts[AlertOutcome.DISMISSED]
        loose = counts[AlertOutcome.UNLINKED]
        qualities.append(
            TriggerQuality(
                rule=rule,
                crisis_type=crisis_type,
                alerts=int(table[row].sum()),
                confirmed=good,
                dismissed=bad,
                pending=counts[AlertOutcome.PENDING],
                unlinked=loose,
                no_data=counts[AlertOutcome.NO_DATA],
                excluded=counts[AlertOutcome.EXCLUDED],
                precision=_share(good, good + bad + loose),
                triaged_precision=_share(good, good + bad),
                crises=len(of_type),
                caught=caught,
                late=late_keys,
                missed=missed,
                recall=_share(len(caught), len(of_type)),
                mean_lead_time=mean_span(leads.get(rule)),
                mean_detection_delay=mean_span(delays.get(rule)),
            )
        )
    caught_any = set().union(*in_time.values()) if in_time else set()
    missed_all = [c.key for c in confirmed if c.key not in caught_any]
    return TriggerQualityReport(
        rules=qualities,
        outcomes=outcomes,
        confirmed_crises=[c.key for c in confirmed],
        missed=missed_all,
        recall=_share(len(confirmed) - len(missed_all), len(confirmed)),
        lead_time_limit=limit,
    )


# --- playbook feedback ----------------------------------------------------------


@attrs.frozen(kw_only=True)
class StepFeedback:
    """How one playbook step went across the crises that activated it (§6.3).

    Attributes
    ----------
    key
        The action key, ``"<playbook key>.<step key>"``.
    playbook
        The playbook's key.
    step
        The step's key.
    crises
        Keys of the crises that activated it, in the order given.
    activated
        ``len(crises)``: how many times the step became an action.
    done
        Done by the end of the crisis.
    done_late
        Done after its first deadline (`crisisops.response.Action.first_due_at`:
        the deadline first committed to, which a reassignment never moves).
    cancelled
        Cancelled (skipped).
    never_started
        Still open when the crisis ended.
    unfinished
        Started (in progress or blocked) but not done when the crisis ended.
    late_rate
        ``done_late / done``; ``None`` when never done.
    skip_rate
        ``cancelled / activated``.
    problem_rate
        ``(done_late + cancelled + never_started + unfinished) / activated``:
        the share of activations that did not go to plan; the sort key.
    mean_delay
        Mean of (completed − first deadline) over the late completions;
        ``None`` if none was late.

    Examples
    --------
    A step activated in three crises, done every time but twice after its
    deadline, on average two hours late:

    >>> import datetime as dt
    >>> from crisisops.review.portfolio import StepFeedback
    >>> feedback = StepFeedback(
    ...     key="service.surge.add_agents",
    ...     playbook="service.surge",
    ...     step="add_agents",
    ...     crises=["surge_jan", "surge_mar", "surge_jun"],
    ...     done=3,
    ...     done_late=2,
    ...     cancelled=0,
    ...     never_started=0,
    ...     unfinished=0,
    ...     late_rate=2 / 3,
    ...     skip_rate=0.0,
    ...     problem_rate=2 / 3,
    ...     mean_delay=dt.timedelta(hours=2),
    ... )
    >>> feedback.activated, round(feedback.problem_rate, 3)
    (3, 0.667)

    Each activation has exactly one fate:

    >>> import attrs
    >>> attrs.evolve(feedback, done=2, late_rate=1.0)
    Traceback (most recent call last):
    ...
    crisisops.errors.ValidationError: 'crises' must be one per activation: done + cancelled + never started + unfinished = 2 (got ('surge_jan', 'surge_mar', 'surge_jun'))
    """  # noqa: E501  doctest output is one line

    key: str = attrs.field(validator=is_key())
    playbook: str = attrs.field(validator=is_key())
    step: str = attrs.field(validator=is_key())
    crises: tuple[str, ...] = attrs.field(converter=to_str_tuple, validator=_KEYS)
    done: int = attrs.field(validator=is_count)
    done_late: int = attrs.field(validator=is_count)
    cancelled: int = attrs.field(validator=is_count)
    never_started: int = attrs.field(validator=is_count)
    unfinished: int = attrs.field(validator=is_count)
    late_rate: float | None = attrs.field(validator=_OPTIONAL_SHARE)
    skip_rate: float = attrs.field(validator=_SHARE)
    problem_rate: float = attrs.field(validator=_SHARE)
    mean_delay: dt.timedelta | None = attrs.field(validator=_OPTIONAL_DURATION)

    def __attrs_post_init__(self) -> None:
        """Check the key's parts, that the counts add up and the rates follow."""
        if self.key != f"{self.playbook}.{self.step}":
            raise ValidationError(
                "key", self.key, f"'{self.playbook}.{self.step}' (playbook.step)"
            )
        if not self.crises:
            raise ValidationError("crises", self.crises, "at least one crisis key")
        parts = self.done + self.cancelled + self.never_started + self.unfinished
        if parts != self.activated:
            raise ValidationError(
                "crises",
                self.crises,
                f"one per activation: done + cancelled + never started + "
                f"unfinished = {parts}",
            )
        if self.done_late > self.done:
            raise ValidationError(
                "done_late", self.done_late, f"at most done ({self.done})"
            )
        if (self.mean_delay is None) != (self.done_late == 0):
            raise ValidationError(
                "mean_delay",
                self.mean_delay,
                "a duration when a completion was late, else None",
            )
        _check_share(self.late_rate, "late_rate", self.done_late, self.done)
        _check_share(self.skip_rate, "skip_rate", self.cancelled, self.activated)
        problems = self.done_late + self.cancelled + self.never_started
        _check_share(
            self.problem_rate,
            "problem_rate",
            problems + self.unfinished,
            self.activated,
        )

    @property
    def activated(self) -> int:
        """How many times the step was activated (``len(crises)``)."""
        return len(self.crises)


def playbook_feedback(
    crises: Iterable[Crisis], *, include_drills: bool = True
) -> tuple[StepFeedback, ...]:
    """Return, per playbook step, how often it was late, skipped or never started.

    Book §6.3 持續改進 asks to streamline the crisis process from the
    review's findings ("根據復盤結果,對現有的危機管理流程進行梳理和優化")
    and to keep the contingency plans current (應急預案的動態更新). Every
    action that came from an activated playbook (`crisisops.response.Action`
    with a ``playbook``; key ``"<playbook>.<step>"``) is one activation of
    its step; its fate as the crisis stands is judged: done (late if
    completed after the deadline first committed to,
    `crisisops.response.Action.finished_on_time`), cancelled (skipped),
    still open (never started) or started but unfinished.

    Only crises whose response is over (``RESOLVED`` or ``REVIEWED``) are
    judged: an active crisis's actions are not settled yet. Drills count by
    default — a drill (演練, book §4 培訓與演練) exists to find the steps that
    do not work — unlike in the timing figures; pass
    ``include_drills=False`` to leave them out.

    Parameters
    ----------
    crises
        The crises; distinct keys.
    include_drills
        Also judge drills (default ``True``).

    Returns
    -------
    tuple of StepFeedback
        Worst first: by ``problem_rate``, then by the number of problems,
        then by key.

    Raises
    ------
    InvalidTypeError
        For ``crises`` that is not an iterable of `crisisops.response.Crisis`,
        or a non-bool ``include_drills``.
    DuplicateKeyError
        For a crisis key given twice.

    Examples
    --------
    A two-step playbook for service surges (add agents within 2 hours, apologise
    within 4), run in three crises. The apology always went out within the
    hour; the agents came after 5, 3 and 1 hours:

    >>> import datetime as dt
    >>> from crisisops.labels import Labels
    >>> from crisisops.planning import Playbook, PlaybookStep
    >>> from crisisops.response import Crisis
    >>> from crisisops.review.portfolio import playbook_feedback
    >>> from crisisops.taxonomy import ResponseLevel
    >>> h = dt.timedelta(hours=1)
    >>> def step(key, title, hours):
    ...     return PlaybookStep(
    ...         key=key,
    ...         title=title,
    ...         owner_role="comms_liaison",
    ...         deadline=hours * h,
    ...         duration=h,
    ...         done_when=f"{title}: done",
    ...     )
    >>> playbook = Playbook(
    ...     key="service.surge",
    ...     labels=Labels(en="Service surge", zh_hant="客服激增", zh_hans="客服激增"),
    ...     steps=(
    ...         step("add_agents", "Add agents", 2),
    ...         step("apologise", "Apologise", 4),
    ...     ),
    ...     min_level=ResponseLevel.IV,
    ...     max_level=ResponseLevel.I,
    ... )
    >>> def surge(key, start, agents_after):
    ...     crisis = Crisis.declare(
    ...         key,
    ...         title=key,
    ...         crisis_type="other.customer_service_failure",
    ...         level=ResponseLevel.III,
    ...         at=start,
    ...         actor="monitor",
    ...         lead="mei",
    ...     )
    ...     crisis = crisis.confirm(at=start, actor="mei", root_cause="Understaffed")
    ...     crisis = crisis.activate_playbook(playbook, at=start, actor="mei")
    ...     crisis = crisis.complete_action(
    ...         "service.surge.apologise", at=start + h, actor="mei"
    ...     )
    ...     crisis = crisis.complete_action(
    ...         "service.surge.add_agents", at=start + agents_after * h, actor="mei"
    ...     )
    ...     crisis = crisis.mark_contained(at=start + 6 * h, actor="mei")
    ...     crisis = crisis.mark_recovered(at=start + 7 * h, actor="mei")
    ...     return crisis.resolve(at=start + 8 * h, actor="mei")
    >>> jan = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.timezone.utc)
    >>> crises = [
    ...     surge("surge_jan", jan, 5),
    ...     surge("surge_mar", jan.replace(month=3), 3),
    ...     surge("surge_jun", jan.replace(month=6), 1),
    ... ]
    >>> [
    ...     (f.step, f.done_late, round(f.problem_rate, 2), str(f.mean_delay))
    ...     for f in playbook_feedback(crises)
    ... ]
    [('add_agents', 2, 0.67, '2:00:00'), ('apologise', 0, 0.0, 'None')]
    """
    items = crisis_list(crises)
    _check_bool(include_drills, "include_drills")
    rows = [
        (crisis.key, action)
        for crisis in items
        if crisis.status in _CLOSED
        and (include_drills or crisis.mode.counts_in_metrics)
        for action in crisis.actions
        if action.playbook is not None
    ]
    if not rows:
        return ()
    statuses = list(ActionStatus)
    status_position = {status: i for i, status in enumerate(statuses)}
    status = np.array([status_position[a.status] for _, a in rows], dtype=np.int64)
    # Lateness is judged against the deadline first committed to, as
    # `crisisops.response.Action.finished_on_time` does: moving a deadline
    # after it slipped does not make a step punctual.
    due = np.array([micros(a.first_due_at) for _, a in rows], dtype=np.int64)
    completed = np.array(
        [NEVER if a.completed_at is None else micros(a.completed_at) for _, a in rows],
        dtype=np.int64,
    )
    keys = sorted({a.key for _, a in rows})
    key_position = {key: i for i, key in enumerate(keys)}
    step_index = np.array([key_position[a.key] for _, a in rows], dtype=np.int64)
    done = status == statuses.index(ActionStatus.DONE)
    late = done & (completed > due)
    masks = {
        "done": done,
        "done_late": late,
        "cancelled": status == statuses.index(ActionStatus.CANCELLED),
        "never_started": status == statuses.index(ActionStatus.OPEN),
        "unfinished": np.isin(
            status,
            [
                statuses.index(ActionStatus.IN_PROGRESS),
                statuses.index(ActionStatus.BLOCKED),
            ],
        ),
    }
    sums = {
        name: np.bincount(step_index, weights=mask, minlength=len(keys)).astype(
            np.int64
        )
        for name, mask in masks.items()
    }
    activated = np.bincount(step_index, minlength=len(keys))
    # completed − due where late, else 0 (never subtract the "never" sentinel)
    lateness = np.where(late, completed, due) - due
    delay_sum = np.bincount(step_index, weights=lateness, minlength=len(keys))
    feedback = []
    for i, key in enumerate(keys):
        found = np.flatnonzero(step_index == i)
        playbook = rows[int(found[0])][1].playbook
        assert playbook is not None  # noqa: S101  rows only hold playbook actions
        counts = {name: int(values[i]) for name, values in sums.items()}
        problems = (
            counts["done_late"]
            + counts["cancelled"]
            + counts["never_started"]
            + counts["unfinished"]
        )
        feedback.append(
            StepFeedback(
                key=key,
                playbook=playbook,
                step=key[len(playbook) + 1 :],
                crises=tuple(rows[int(j)][0] for j in found),
                **counts,
                late_rate=_share(counts["done_late"], counts["done"]),
                skip_rate=counts["cancelled"] / int(activated[i]),
                problem_rate=problems / int(activated[i]),
                mean_delay=(
                    _span(delay_sum[i] / counts["done_late"])
                    if counts["done_late"]
                    else None
                ),
            )
        )
    feedback.sort(
        key=lambda f: (
            -f.problem_rate,
            -(f.done_late + f.cancelled + f.never_started + f.unfinished),
            f.key,
        )
    )
    return tuple(feedback)
