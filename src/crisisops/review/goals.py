"""Goals against results: objectives, attainment, speed targets, feedback (book §6).

After the data (數據分析和效果評估), book §6 評估危機處理效果 asks for three more
judgements of how a crisis was handled; this module computes them:

* **對比預期目標與實際效果** — compare the goals set during the crisis (預期目標,
  e.g. 降低損失、恢復市場穩定: cut the loss, bring the market back) with the
  actual results, and analyse the gap (分析差距產生的原因). An `Objective`
  has a target and a `Direction`; `compare_goals()` judges each against its
  measured value (`ObjectiveResult`: attained or not, the gap, the ratio,
  the attainment) and weighs them into one `GoalReport`.
* **響應速度** — how fast the response was (應對措施的響應速度; §6.2
  建立快速反應機制, 通過減少響應時間). `SpeedTargets` give, per response level,
  how soon a crisis should be acknowledged, contained and resolved;
  `compare_speed()` judges a crisis's `ResponseMetrics` (from
  `crisisops.response.measure`) against them as a `GoalReport`.
* **綜合評估處理成果** — the feedback of internal staff (內部員工的反饋意見),
  partners (外部合作伙伴的建議) and consumers (消費者的反饋).
  `StakeholderFeedback` is one answer (a 1–5 satisfaction rating, a sentiment
  in [-1, 1], a 1–6 effort score, a comment); `summarize_feedback()` sums
  them up per stakeholder group (`FeedbackSummary`).

How an objective is judged
--------------------------
For an objective with target ``t`` and a measured value ``a``:

* **attained** — ``a >= t`` when higher is better, ``a <= t`` when lower is
  better;
* **gap** — ``a - t`` when higher is better, ``t - a`` when lower is better:
  ``>= 0`` exactly when attained, in the objective's unit;
* **ratio** — ``a / t`` when higher is better, ``t / a`` when lower is
  better: over 1 means the target was beaten by that factor. It is only a
  meaningful ratio for a positive target (``t > 0``; for lower-is-better
  ``t >= 0`` and ``a > 0``), and ``None`` otherwise;
* **attainment** — the ratio capped to [0, 1]: 1.0 when attained, the share
  of the target reached when not (4 h target, 8 h taken: 0.5). Where the
  ratio means nothing (a target of 0 or below, e.g. "sales change >= 0 %")
  attainment is all-or-nothing, 1.0 or 0.0; state such goals on a positive
  scale (sales as a share of the baseline, target 1.0) to earn partial
  credit;
* **overall** — the weighted mean of the attainments of the objectives that
  were measured; objectives without a measured value count neither for nor
  against (``None`` when none was measured).

Capping follows OKR grading, which scores each key result from 0.0 to 1.0
(Doerr 2018), so that beating one target by far cannot hide missing
another; the uncapped ratio is kept on each result for the report.

Examples
--------
Two goals of the book's customer-service case (§5 案例四): GMV back to 95 %
of its baseline (counted twice), and at most 40 complaints a day.

>>> from crisisops.monitoring import Direction
>>> objectives = [
...     Objective(
...         key="gmv_recovery",
...         description="GMV back to 95% of the pre-crisis baseline",
...         target=0.95,
...         direction=Direction.HIGHER_IS_BETTER,
...         weight=2.0,
...     ),
...     Objective(
...         key="complaints",
...         description="At most 40 complaints a day",
...         target=40,
...         direction=Direction.LOWER_IS_BETTER,
...         unit="complaints/day",
...     ),
... ]
>>> report = compare_goals(objectives, {"gmv_recovery": 0.98, "complaints": 50})
>>> [(r.objective.key, r.attained, r.attainment) for r in report.results]
[('gmv_recovery', True, 1.0), ('complaints', False, 0.8)]
>>> [round(r.gap, 2) for r in report.results]  # 0.98 - 0.95; 40 - 50
[0.03, -10.0]
>>> round(report.overall, 4)  # (2 × 1.0 + 1 × 0.8) / 3
0.9333

The response speed of a Level II crisis, against the default targets (30
minutes to acknowledge, 8 hours to contain, 3 days to resolve, each from
detection):

>>> import datetime as dt
>>> from crisisops.response import Crisis, measure
>>> from crisisops.taxonomy import ResponseLevel
>>> day = dt.datetime(2026, 6, 18, tzinfo=dt.timezone(dt.timedelta(hours=8)))
>>> at = lambda h, m=0: day + dt.timedelta(hours=h, minutes=m)
>>> crisis = Crisis.declare(
...     "service_backlog",
...     title="Customer-service backlog",
...     crisis_type="other.customer_service_failure",
...     level=ResponseLevel.II,
...     at=at(9),
...     actor="monitor",
...     lead="lin",
...     detected_at=at(8, 30),
... )
>>> crisis = crisis.confirm(at=at(9, 20), actor="lin", root_cause="Understaffed")
>>> crisis = crisis.mark_contained(at=at(18), actor="lin")
>>> crisis = crisis.mark_recovered(at=at(19), actor="lin")
>>> crisis = crisis.resolve(at=at(20), actor="lin")
>>> speed = compare_speed(measure(crisis, as_of=at(20)))
>>> [r.objective.key for r in speed.results]
['speed.time_to_acknowledge', 'speed.time_to_contain', 'speed.time_to_resolve']
>>> [r.actual / 60 for r in speed.results]  # minutes from detection at 08:30
[50.0, 570.0, 690.0]
>>> [r.attained for r in speed.results]
[False, False, True]
>>> round(speed.overall, 3)  # (30/50 + 480/570 + 1) / 3
0.814
>>> speed.results[1].objective.labels.zh_hant
'控制用時（II級）'

Stakeholder feedback, summed up per group:

>>> feedback = [
...     StakeholderFeedback(group="customers", at=at(21), rating=5, sentiment=0.6),
...     StakeholderFeedback(group="customers", at=at(21), rating=2, sentiment=-0.4),
...     StakeholderFeedback(group="employees", at=at(21), effort=5),
... ]
>>> summary = summarize_feedback(feedback)
>>> customers = summary.group("customers")
>>> customers.count, customers.mean_rating, customers.satisfied_share
(2, 3.5, 0.5)
>>> round(customers.mean_sentiment, 2), summary.group("employees").mean_effort
(0.1, 5.0)

References
----------
Doerr, John. 2018. *Measure What Matters*. New York: Portfolio/Penguin.
(OKR key results are graded from 0.0 to 1.0.)
Netflix Dispatch, ``FeedbackRating`` (five levels, very satisfied … very
dissatisfied) and ``ServiceFeedbackRating`` (six levels, no effort …
extreme effort); ``src/dispatch/feedback/incident/enums.py`` and
``src/dispatch/feedback/service/enums.py``.
PagerDuty analytics ``mean_seconds_to_first_ack`` and
``mean_seconds_to_resolve`` (PagerDuty/go-pagerduty, ``analytics.go``).
"""

from __future__ import annotations

import datetime as dt
import math
import sys
from collections.abc import Iterable, Mapping
from operator import attrgetter
from typing import Any

import attrs
import numpy as np

from crisisops._validation import (
    check_finite,
    field_name,
    is_aware_datetime,
    is_enum,
    is_instance,
    is_key,
    is_optional,
    is_text,
    to_frozendict,
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
from crisisops.monitoring import Direction
from crisisops.response import ResponseMetrics
from crisisops.review._shared import Named, is_count
from crisisops.stakeholders import StakeholderKindCatalog
from crisisops.taxonomy import ResponseLevel

__all__ = [
    "EFFORT_LABELS",
    "RATING_LABELS",
    "SPEED_METRICS",
    "FeedbackSummary",
    "GoalReport",
    "GroupFeedback",
    "Objective",
    "ObjectiveResult",
    "SpeedTarget",
    "SpeedTargets",
    "StakeholderFeedback",
    "compare_goals",
    "compare_speed",
    "summarize_feedback",
]

_labels = Labels.of

#: The response-speed metrics a `SpeedTarget` may set, in lifecycle order
#: (the names of the durations on `ResponseMetrics`).
SPEED_METRICS: tuple[str, ...] = (
    "time_to_detect",
    "time_to_acknowledge",
    "time_to_contain",
    "time_to_recover",
    "time_to_resolve",
)

_SPEED_LABELS: dict[str, Labels] = {
    "time_to_detect": _labels("Time to detect", "發現用時", "发现用时"),
    "time_to_acknowledge": _labels("Time to acknowledge", "確認用時", "确认用时"),
    "time_to_contain": _labels("Time to contain", "控制用時", "控制用时"),
    "time_to_recover": _labels("Time to recover", "恢復用時", "恢复用时"),
    "time_to_resolve": _labels("Time to resolve", "解決用時", "解决用时"),
}

#: The five satisfaction ratings (Dispatch's ``FeedbackRating``), 1 to 5.
RATING_LABELS: FrozenDict[int, Labels] = FrozenDict(
    {
        1: _labels("Very dissatisfied", "非常不滿意", "非常不满意"),
        2: _labels("Somewhat dissatisfied", "比較不滿意", "比较不满意"),
        3: _labels("Neither satisfied nor dissatisfied", "一般", "一般"),
        4: _labels("Somewhat satisfied", "比較滿意", "比较满意"),
        5: _labels("Very satisfied", "非常滿意", "非常满意"),
    }
)

#: The six effort scores (Dispatch's ``ServiceFeedbackRating``), 1 to 6.
EFFORT_LABELS: FrozenDict[int, Labels] = FrozenDict(
    {
        1: _labels("No effort", "毫不費力", "毫不费力"),
        2: _labels("Little effort", "略費力", "略费力"),
        3: _labels("Moderate effort", "一般費力", "一般费力"),
        4: _labels("Lots of effort", "很費力", "很费力"),
        5: _labels("Very high effort", "非常費力", "非常费力"),
        6: _labels("Extreme effort", "竭盡全力", "竭尽全力"),
    }
)

_RATING_SCALE = 5
_EFFORT_SCALE = 6
_SATISFIED_FROM = 4  # ratings 4 and 5 are "satisfied" (top-two-box CSAT)
_DISSATISFIED_TO = 2  # ratings 1 and 2 are "dissatisfied"
_JUST_BELOW_ONE = math.nextafter(1.0, 0.0)
_ZERO = dt.timedelta(0)


# --- shared checks ------------------------------------------------------------


def _to_float(value: Any) -> Any:  # noqa: ANN401  the validator reports the rest
    """Turn an int or a numpy number into a float; pass anything else through.

    An int too large for a float becomes an infinity, which the field's
    validator then refuses as not finite.
    """
    if isinstance(value, (np.integer, np.floating)):
        return float(value)
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return float(value)
        except OverflowError:
            return math.inf if value > 0 else -math.inf
    return value


def _to_optional_int(value: Any) -> Any:  # noqa: ANN401  the validator reports the rest
    """Turn a numpy integer into an int; pass anything else through."""
    return int(value) if isinstance(value, np.integer) else value


def _to_optional_float(value: Any) -> Any:  # noqa: ANN401  the validator reports the rest
    return None if value is None else _to_float(value)


def _real(value: object, field: str) -> float:
    """Return a finite real number (int, float or numpy number) as a float."""
    return check_finite(_to_float(value), field)


def _is_scale(high: int) -> Any:  # noqa: ANN401  an attrs validator
    """Validate ``None`` or an int score from 1 to ``high``."""

    def validate(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
        if value is None:
            return
        name = field_name(attribute)
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidTypeError(name, value, f"an int from 1 to {high}, or None")
        if not 1 <= value <= high:
            raise ValidationError(name, value, f"an int from 1 to {high}, or None")

    return validate


def _optional_range(low: float, high: float) -> Any:  # noqa: ANN401  an attrs validator
    def validate(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
        if value is not None:
            check_finite(value, field_name(attribute), low=low, high=high)

    return validate


def _check_iterable(value: object, field: str, expected: str) -> list[Any]:
    """Return the items of an iterable that is not text, a mapping or a value."""
    if (
        isinstance(value, (str, bytes, Mapping))
        or attrs.has(type(value))
        or not isinstance(value, Iterable)
    ):
        raise InvalidTypeError(field, value, expected)
    return list(value)


# --- objectives ----------------------------------------------------------------


def _is_target(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if value is None:
        raise ValidationError(
            name,
            value,
            "a finite target value: every objective needs a target (預期目標)",
        )
    check_finite(value, name)


def _is_weight(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if check_finite(value, name) <= 0.0:
        raise ValidationError(name, value, "a weight > 0")


@attrs.frozen(kw_only=True)
class Objective:
    """An expected goal of the crisis response (預期目標), with its target.

    Book §6 對比預期目標與實際效果: goals such as cutting the loss or bringing
    the market back (降低損失、恢復市場穩定) are set during the crisis and
    compared with the actual results afterwards.

    Attributes
    ----------
    key
        Stable key, e.g. ``"gmv_recovery"`` or ``"speed.time_to_resolve"``;
        the measured values given to `compare_goals()` are keyed by it.
    description
        What the goal is, in words.
    target
        The target value, a finite number in the objective's unit. Required:
        an objective without a target (``None``) is refused, naming
        ``target``.
    direction
        `Direction.HIGHER_IS_BETTER`: attained when the actual value is at
        or above the target; `Direction.LOWER_IS_BETTER`: at or below it.
    weight
        Weight in the overall attainment, > 0 (default 1).
    unit
        Unit of ``target`` and of the measured value, e.g. ``"s"`` or
        ``"complaints/day"`` (may be empty).
    labels
        Display name in English, 繁體 and 简体, if any.
    """

    key: str = attrs.field(validator=is_key())
    description: str = attrs.field(validator=is_text())
    target: float = attrs.field(converter=_to_optional_float, validator=_is_target)
    direction: Direction = attrs.field(validator=is_enum(Direction))
    weight: float = attrs.field(default=1.0, converter=_to_float, validator=_is_weight)
    unit: str = attrs.field(default="", validator=is_text(allow_empty=True))
    labels: Labels | None = attrs.field(
        default=None, validator=is_optional(is_instance(Labels, "a Labels or None"))
    )

    def judge(self, actual: float | None) -> ObjectiveResult:
        """Return the result of this objective for a measured value.

        Parameters
        ----------
        actual
            The measured value in the objective's unit, or ``None`` if it was
            not measured.

        Raises
        ------
        InvalidTypeError, ValidationError
            For an ``actual`` that is not a finite real number or ``None``.
        """
        return ObjectiveResult.of(self, actual)


def _saturate(value: float) -> float:
    """Clamp an overflowed float to the largest finite float of its sign."""
    if math.isinf(value):
        return math.copysign(sys.float_info.max, value)
    return value


def _judgement(
    objective: Objective, actual: float | None
) -> tuple[bool | None, float | None, float | None, float | None]:
    """Return (attained, gap, ratio, attainment) — see the module docstring."""
    if actual is None:
        return None, None, None, None
    target = objective.target
    higher = objective.direction is Direction.HIGHER_IS_BETTER
    attained = actual >= target if higher else actual <= target
    gap = _saturate(actual - target if higher else target - actual)
    ratio: float | None = None
    if higher and target > 0.0:
        ratio = actual / target
    elif not higher and target >= 0.0 and actual > 0.0:
        ratio = target / actual
    if ratio is not None and not math.isfinite(ratio):
        ratio = None  # overflowed: beaten by more than a float can say
    if attained:
        attainment = 1.0
    elif ratio is None:
        attainment = 0.0
    else:
        # A shortfall lost in the rounding of the ratio still counts as one.
        attainment = min(max(ratio, 0.0), _JUST_BELOW_ONE)
    return attained, gap, ratio, attainment


@attrs.frozen(kw_only=True)
class ObjectiveResult:
    """One objective against its measured value (see the module docstring).

    Build it with `ObjectiveResult.of` (or `Objective.judge`); the derived
    fields are checked against the objective and the value, so a stored
    result that was tampered with does not read back.

    Attributes
    ----------
    objective
        The objective.
    actual
        The measured value, or ``None`` if it was not measured.
    attained
        Whether the target was met; ``None`` when not measured.
    gap
        How far the actual value is on the good side of the target, in the
        objective's unit (``actual - target`` if higher is better, ``target -
        actual`` if lower is better): ``>= 0`` exactly when attained.
        ``None`` when not measured; an overflow saturates at the largest
        float.
    ratio
        ``actual / target`` if higher is better, ``target / actual`` if
        lower is better: over 1 when the target was beaten. ``None`` when not
        measured or when the quotient is not a meaningful ratio (a target of
        0 or below, or a lower-is-better actual of 0 or below).
    attainment
        The ratio capped to [0, 1]; 1.0 exactly when attained; 0.0 or 1.0
        when there is no ratio. ``None`` when not measured.

    Examples
    --------
    A crisis to be contained within 4 hours took 6: two hours short, two
    thirds of the target reached.

    >>> from crisisops.monitoring import Direction
    >>> from crisisops.review.goals import Objective, ObjectiveResult
    >>> contain = Objective(
    ...     key="contain_fast",
    ...     description="Contained within 4 hours",
    ...     target=4,
    ...     direction=Direction.LOWER_IS_BETTER,
    ...     unit="h",
    ... )
    >>> result = ObjectiveResult.of(contain, 6)
    >>> result.attained, result.gap, round(result.ratio, 3), round(result.attainment, 3)
    (False, -2.0, 0.667, 0.667)
    >>> ObjectiveResult.of(contain, None).measured  # not measured: no judgement
    False

    The derived fields must follow from the target and the value:

    >>> ObjectiveResult(
    ...     objective=contain,
    ...     actual=6,
    ...     attained=True,
    ...     gap=-2.0,
    ...     ratio=4 / 6,
    ...     attainment=4 / 6,
    ... )
    Traceback (most recent call last):
    ...
    crisisops.errors.ValidationError: 'attained' must be False, as follows from target 4.0 and actual 6.0 (build it with ObjectiveResult.of) (got True)
    """  # noqa: E501  doctest output is one line

    objective: Objective = attrs.field(validator=is_instance(Objective, "an Objective"))
    actual: float | None = attrs.field(converter=_to_optional_float)
    attained: bool | None
    gap: float | None
    ratio: float | None
    attainment: float | None

    def __attrs_post_init__(self) -> None:
        """Check the actual value and that the derived fields follow from it."""
        if self.actual is not None:
            check_finite(self.actual, "actual")
        expected = _judgement(self.objective, self.actual)
        names = ("attained", "gap", "ratio", "attainment")
        for name, want in zip(names, expected, strict=True):
            got = getattr(self, name)
            if type(got) is not type(want) or got != want:
                raise ValidationError(
                    name,
                    got,
                    f"{want!r}, as follows from target {self.objective.target!r} "
                    f"and actual {self.actual!r} (build it with ObjectiveResult.of)",
                )

    @classmethod
    def of(cls, objective: Objective, actual: float | None) -> ObjectiveResult:
        """Judge ``objective`` against the measured ``actual`` (``None``: not measured).

        Raises
        ------
        InvalidTypeError
            For an objective that is not an `Objective`, or an ``actual``
            that is not a real number or ``None``.
        ValidationError
            For an ``actual`` that is NaN or infinite.
        """
        if not isinstance(objective, Objective):
            raise InvalidTypeError("objective", objective, "an Objective")
        value = None if actual is None else _real(actual, "actual")
        attained, gap, ratio, attainment = _judgement(objective, value)
        return cls(
            objective=objective,
            actual=value,
            attained=attained,
            gap=gap,
            ratio=ratio,
            attainment=attainment,
        )

    @property
    def measured(self) -> bool:
        """Whether the objective was measured."""
        return self.actual is not None


def _overall(results: tuple[ObjectiveResult, ...]) -> float | None:
    """Weighted mean attainment of the measured results; ``None`` if none."""
    measured = [r for r in results if r.attainment is not None]
    if not measured:
        return None
    weights = np.array([r.objective.weight for r in measured], dtype=np.float64)
    scores = np.array([r.attainment for r in measured], dtype=np.float64)
    mean = float(np.dot(weights, scores) / weights.sum())
    return min(max(mean, 0.0), 1.0)


def _check_results(
    _instance: object,
    attribute: Any,  # noqa: ANN401
    value: Any,  # noqa: ANN401
) -> None:
    name = field_name(attribute)
    if not isinstance(value, tuple):
        raise InvalidTypeError(name, value, "a tuple (or list) of ObjectiveResult")
    if not value:
        raise ValidationError(name, value, "at least one ObjectiveResult")
    seen: set[str] = set()
    for index, result in enumerate(value):
        if not isinstance(result, ObjectiveResult):
            raise InvalidTypeError(f"{name}[{index}]", result, "an ObjectiveResult")
        if result.objective.key in seen:
            raise DuplicateKeyError("objective", result.objective.key)
        seen.add(result.objective.key)


@attrs.frozen(kw_only=True)
class GoalReport:
    """Goals against results (對比預期目標與實際效果): every objective and the whole.

    Attributes
    ----------
    results
        One `ObjectiveResult` per objective, in the order the objectives
        were given; distinct objective keys, at least one.
    measured_count
        Objectives with a measured value.
    attained_count
        Objectives whose target was met.
    overall
        Weighted mean attainment of the measured objectives (weights from
        `Objective.weight`), in [0, 1]; ``None`` when none was measured.

    Examples
    --------
    One goal missed, one not measured: only the measured one is weighed.

    >>> from crisisops.monitoring import Direction
    >>> from crisisops.review.goals import GoalReport, Objective, ObjectiveResult
    >>> contain = Objective(
    ...     key="contain_fast",
    ...     description="Contained within 4 hours",
    ...     target=4,
    ...     direction=Direction.LOWER_IS_BETTER,
    ... )
    >>> nps = Objective(
    ...     key="nps_back",
    ...     description="Net promoter score back to 30",
    ...     target=30,
    ...     direction=Direction.HIGHER_IS_BETTER,
    ... )
    >>> report = GoalReport.of(
    ...     [ObjectiveResult.of(contain, 6), ObjectiveResult.of(nps, None)]
    ... )
    >>> report.measured_count, report.attained_count, round(report.overall, 3)
    (1, 0, 0.667)
    >>> [r.objective.key for r in report.missed]
    ['contain_fast']
    >>> [r.objective.key for r in report.unmeasured]
    ['nps_back']
    >>> report.result("contain")
    Traceback (most recent call last):
    ...
    crisisops.errors.UnknownKeyError: unknown objective 'contain'; did you mean 'contain_fast'?
    """  # noqa: E501  doctest output is one line

    results: tuple[ObjectiveResult, ...] = attrs.field(
        converter=to_tuple, validator=_check_results
    )
    measured_count: int = attrs.field(validator=is_count)
    attained_count: int = attrs.field(validator=is_count)
    overall: float | None = attrs.field(converter=_to_optional_float)

    def __attrs_post_init__(self) -> None:
        """Check that the counts and the overall score follow from the results."""
        measured = sum(r.measured for r in self.results)
        attained = sum(r.attained is True for r in self.results)
        if self.measured_count != measured:
            raise ValidationError(
                "measured_count", self.measured_count, f"{measured} (from results)"
            )
        if self.attained_count != attained:
            raise ValidationError(
                "attained_count", self.attained_count, f"{attained} (from results)"
            )
        overall = _overall(self.results)
        if self.overall != overall:
            raise ValidationError(
                "overall", self.overall, f"{overall!r} (from results and weights)"
            )

    @classmethod
    def of(cls, results: Iterable[ObjectiveResult]) -> GoalReport:
        """Build the report of ``results``, counting and weighing them.

        Raises
        ------
        InvalidTypeError, ValidationError, DuplicateKeyError
            For results that are not `ObjectiveResult` values, none at all,
            or two for one objective key.
        """
        items = tuple(
            _check_iterable(results, "results", "an iterable of ObjectiveResult")
        )
        _check_results(None, Named("results"), items)
        return cls(
            results=items,
            measured_count=sum(r.measured for r in items),
            attained_count=sum(r.attained is True for r in items),
            overall=_overall(items),
        )

    def result(self, key: str) -> ObjectiveResult:
        """Return the result of the objective ``key``.

        Raises
        ------
        UnknownKeyError
            For a key no objective of the report has (with suggestions).
        """
        for result in self.results:
            if result.objective.key == key:
                return result
        raise UnknownKeyError("objective", key, [r.objective.key for r in self.results])

    @property
    def missed(self) -> tuple[ObjectiveResult, ...]:
        """The measured objectives whose target was not met, in report order."""
        return tuple(r for r in self.results if r.attained is False)

    @property
    def unmeasured(self) -> tuple[ObjectiveResult, ...]:
        """The objectives without a measured value, in report order."""
        return tuple(r for r in self.results if not r.measured)


def _check_objectives(objectives: object) -> list[Objective]:
    items = _check_iterable(objectives, "objectives", "an iterable of Objective")
    if not items:
        raise ValidationError("objectives", objectives, "at least one Objective")
    seen: set[str] = set()
    for index, objective in enumerate(items):
        if not isinstance(objective, Objective):
            raise InvalidTypeError(f"objectives[{index}]", objective, "an Objective")
        if objective.key in seen:
            raise DuplicateKeyError("objective", objective.key)
        seen.add(objective.key)
    return items


def _check_actuals(actuals: object, known: list[str]) -> dict[str, float | None]:
    if not isinstance(actuals, Mapping):
        raise InvalidTypeError(
            "actuals", actuals, "a mapping of objective key to measured value"
        )
    values: dict[str, float | None] = {}
    for key, value in actuals.items():
        if not isinstance(key, str):
            raise InvalidTypeError("actuals key", key, "an objective key (str)")
        if key not in known:
            raise UnknownKeyError("objective", key, known)
        field = f"actuals[{key!r}]"
        values[key] = None if value is None else _real(value, field)
    return values


def compare_goals(
    objectives: Iterable[Objective],
    actuals: Mapping[str, float | None],
) -> GoalReport:
    """Compare goals with results (book §6 對比預期目標與實際效果).

    Parameters
    ----------
    objectives
        The objectives, distinct keys, at least one.
    actuals
        Objective key → measured value (int, float or numpy number; finite).
        An objective with no entry, or with ``None``, was not measured: its
        result has ``attained`` ``None`` and it counts neither for nor
        against the overall attainment.

    Returns
    -------
    GoalReport
        One result per objective, in the order given.

    Raises
    ------
    InvalidTypeError
        For objectives that are not `Objective` values (naming the index),
        ``actuals`` that is not a mapping, or a value that is not a number.
    ValidationError
        For no objectives, or a measured value that is NaN or infinite
        (naming ``actuals['key']``).
    DuplicateKeyError
        For two objectives with one key.
    UnknownKeyError
        For a measured value whose key no objective has (a typo would
        otherwise leave the objective silently unmeasured).
    """
    items = _check_objectives(objectives)
    values = _check_actuals(actuals, [o.key for o in items])
    return GoalReport.of(ObjectiveResult.of(o, values.get(o.key)) for o in items)


# --- response speed --------------------------------------------------------------


def _is_positive_duration(required: bool) -> Any:  # noqa: ANN401, FBT001  a validator
    def validate(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
        name = field_name(attribute)
        if value is None and not required:
            return
        expected = "a datetime.timedelta > 0" + ("" if required else ", or None")
        if not isinstance(value, dt.timedelta):
            raise InvalidTypeError(name, value, expected)
        if value <= _ZERO:
            raise ValidationError(name, value, expected)

    return validate


@attrs.frozen(kw_only=True)
class SpeedTarget:
    """How fast a crisis of one response level should be handled.

    Every target counts, like `ResponseMetrics`, from detection, except
    ``time_to_detect`` (impact started → detected). The ones from detection
    follow the lifecycle, so they may not decrease: acknowledge ≤ contain ≤
    recover ≤ resolve.

    Attributes
    ----------
    time_to_acknowledge
        Detected → acknowledged (type and root cause confirmed), > 0.
    time_to_contain
        Detected → contained, > 0.
    time_to_resolve
        Detected → resolved, > 0.
    time_to_detect
        Impact started → detected, > 0, or ``None`` for no target.
    time_to_recover
        Detected → recovered, > 0, or ``None`` for no target.

    Examples
    --------
    Level II's default targets; `SPEED_METRICS` lists what a target may set:

    >>> import datetime as dt
    >>> from crisisops.review.goals import SPEED_METRICS, SpeedTarget
    >>> hour = dt.timedelta(hours=1)
    >>> target = SpeedTarget(
    ...     time_to_acknowledge=0.5 * hour,
    ...     time_to_contain=8 * hour,
    ...     time_to_resolve=72 * hour,
    ... )
    >>> [(metric, str(target.get(metric))) for metric in SPEED_METRICS]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('time_to_detect', 'None'), ('time_to_acknowledge', '0:30:00'),
     ('time_to_contain', '8:00:00'), ('time_to_recover', 'None'),
     ('time_to_resolve', '3 days, 0:00:00')]

    Containing cannot be due before acknowledging:

    >>> SpeedTarget(
    ...     time_to_acknowledge=10 * hour,
    ...     time_to_contain=8 * hour,
    ...     time_to_resolve=72 * hour,
    ... )
    Traceback (most recent call last):
    ...
    crisisops.errors.ValidationError: 'time_to_contain' must be at least time_to_acknowledge (10:00:00): the milestones from detection come in lifecycle order (got datetime.timedelta(seconds=28800))
    """  # noqa: E501  doctest output is one line

    time_to_acknowledge: dt.timedelta = attrs.field(
        validator=_is_positive_duration(required=True)
    )
    time_to_contain: dt.timedelta = attrs.field(
        validator=_is_positive_duration(required=True)
    )
    time_to_resolve: dt.timedelta = attrs.field(
        validator=_is_positive_duration(required=True)
    )
    time_to_detect: dt.timedelta | None = attrs.field(
        default=None, validator=_is_positive_duration(required=False)
    )
    time_to_recover: dt.timedelta | None = attrs.field(
        default=None, validator=_is_positive_duration(required=False)
    )

    def __attrs_post_init__(self) -> None:
        """Check that the targets from detection follow the lifecycle order."""
        previous: tuple[str, dt.timedelta] | None = None
        for name in SPEED_METRICS[1:]:
            value: dt.timedelta | None = getattr(self, name)
            if value is None:
                continue
            if previous is not None and value < previous[1]:
                raise ValidationError(
                    name,
                    value,
                    f"at least {previous[0]} ({previous[1]}): the milestones "
                    "from detection come in lifecycle order",
                )
            previous = (name, value)

    def get(self, metric: str) -> dt.timedelta | None:
        """Return the target for ``metric`` (one of `SPEED_METRICS`), or ``None``.

        Raises
        ------
        UnknownKeyError
            For a name not in `SPEED_METRICS`.
        """
        if metric not in SPEED_METRICS:
            raise UnknownKeyError("speed metric", metric, SPEED_METRICS)
        value: dt.timedelta | None = getattr(self, metric)
        return value


def _check_levels(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, FrozenDict):
        raise InvalidTypeError(name, value, "a mapping of ResponseLevel to SpeedTarget")
    if not value:
        raise ValidationError(name, value, "targets for at least one level")
    for level, target in value.items():
        if not isinstance(level, ResponseLevel):
            raise InvalidTypeError(f"{name} key", level, "a ResponseLevel")
        if not isinstance(target, SpeedTarget):
            raise InvalidTypeError(f"{name}[{level.value}]", target, "a SpeedTarget")


def _sorted_levels(value: Any) -> Any:  # noqa: ANN401  the validator reports the rest
    """Store the levels most severe first (Level I … IV), whatever the input order."""
    mapping: Any = to_frozendict(value)
    if not isinstance(mapping, FrozenDict) or not all(
        isinstance(level, ResponseLevel) for level in mapping
    ):
        return mapping
    return FrozenDict(
        {level: mapping[level] for level in ResponseLevel if level in mapping}
    )


_H = dt.timedelta(hours=1)
_MIN = dt.timedelta(minutes=1)
_D = dt.timedelta(days=1)


@attrs.frozen(kw_only=True)
class SpeedTargets:
    """Response-speed targets by response level (book §6.2 建立快速反應機制).

    The book asks for a fast-reaction mechanism that cuts the response time
    (通過減少響應時間); `compare_speed()` measures a crisis against the
    targets of its level. `SpeedTargets.default` gives a documented
    starting point; set your own from your history.

    Attributes
    ----------
    levels
        `ResponseLevel` → `SpeedTarget`, for at least one level; stored most
        severe first. Targets need not tighten with severity (a policy may
        differ), but the defaults do.

    Examples
    --------
    >>> import datetime as dt
    >>> from crisisops.review.goals import SpeedTarget, SpeedTargets
    >>> from crisisops.taxonomy import ResponseLevel
    >>> defaults = SpeedTargets.default()
    >>> [level.value for level in defaults.levels]
    ['I', 'II', 'III', 'IV']
    >>> str(defaults.for_level(ResponseLevel.I).time_to_contain)
    '4:00:00'

    A shop that sets targets for Level II only:

    >>> hour = dt.timedelta(hours=1)
    >>> own = SpeedTargets(
    ...     levels={
    ...         ResponseLevel.II: SpeedTarget(
    ...             time_to_acknowledge=hour,
    ...             time_to_contain=12 * hour,
    ...             time_to_resolve=96 * hour,
    ...         )
    ...     }
    ... )
    >>> own.for_level(ResponseLevel.I)
    Traceback (most recent call last):
    ...
    crisisops.errors.UnknownKeyError: unknown response level with speed targets 'I'; did you mean 'II'?
    """  # noqa: E501  doctest output is one line

    levels: FrozenDict[ResponseLevel, SpeedTarget] = attrs.field(
        converter=_sorted_levels, validator=_check_levels
    )

    @classmethod
    def default(cls) -> SpeedTargets:
        """Return the default targets, counted from detection.

        | Level         | acknowledge | contain  | resolve  |
        |---------------|-------------|----------|----------|
        | I 特別重大    | 15 minutes  | 4 hours  | 24 hours |
        | II 重大       | 30 minutes  | 8 hours  | 3 days   |
        | III 較大      | 2 hours     | 24 hours | 7 days   |
        | IV 一般       | 24 hours    | 7 days   | 30 days  |

        Acknowledge and contain follow the response and restore times common
        in service-desk priority matrices (P1: respond within 15 minutes,
        restore within 4 hours; P2: 30 minutes and 8 hours; P3: 2 hours and
        a day); resolve is the full recovery a crisis needs beyond the
        service being back. There are no default detect or recover targets.
        These are illustrative defaults, not a standard: calibrate them to
        your own history (e.g. the 90th percentiles of
        `crisisops.response.summarize`).
        """
        return cls(
            levels={
                ResponseLevel.I: SpeedTarget(
                    time_to_acknowledge=15 * _MIN,
                    time_to_contain=4 * _H,
                    time_to_resolve=24 * _H,
                ),
                ResponseLevel.II: SpeedTarget(
                    time_to_acknowledge=30 * _MIN,
                    time_to_contain=8 * _H,
                    time_to_resolve=3 * _D,
                ),
                ResponseLevel.III: SpeedTarget(
                    time_to_acknowledge=2 * _H,
                    time_to_contain=24 * _H,
                    time_to_resolve=7 * _D,
                ),
                ResponseLevel.IV: SpeedTarget(
                    time_to_acknowledge=24 * _H,
                    time_to_contain=7 * _D,
                    time_to_resolve=30 * _D,
                ),
            }
        )

    def for_level(self, level: ResponseLevel) -> SpeedTarget:
        """Return the targets of ``level``.

        Raises
        ------
        InvalidTypeError
            For a ``level`` that is not a `ResponseLevel`.
        UnknownKeyError
            For a level the targets do not cover.
        """
        if not isinstance(level, ResponseLevel):
            raise InvalidTypeError("level", level, "a ResponseLevel")
        if level not in self.levels:
            raise UnknownKeyError(
                "response level with speed targets",
                level.value,
                [known.value for known in self.levels],
            )
        return self.levels[level]


def _peak_level(metrics: ResponseMetrics, peak_level: object) -> ResponseLevel:
    if peak_level is None:
        if not metrics.time_at_level:
            raise ValidationError(
                "peak_level",
                None,
                "a ResponseLevel: the metrics record no level to take the peak of",
            )
        return max(metrics.time_at_level)
    if not isinstance(peak_level, ResponseLevel):
        raise InvalidTypeError("peak_level", peak_level, "a ResponseLevel or None")
    return peak_level


def compare_speed(
    metrics: ResponseMetrics,
    peak_level: ResponseLevel | None = None,
    targets: SpeedTargets | None = None,
) -> GoalReport:
    """Judge a crisis's response speed against the targets of its level.

    Each metric the level's `SpeedTarget` sets becomes a lower-is-better
    `Objective` keyed ``"speed.<metric>"`` (e.g. ``"speed.time_to_contain"``)
    with the target in seconds (unit ``"s"``), weight 1 and trilingual
    labels; the measured value is the metric's duration in seconds. A
    milestone the crisis never reached (a dismissed false alarm is never
    contained) leaves its objective unmeasured: it counts neither way. Use
    it on an ended crisis; on a running one, a milestone not reached yet is
    unmeasured too, not yet late. Drills are judged like real crises —
    measuring a drill against the targets is what it is for.

    Parameters
    ----------
    metrics
        The crisis's `ResponseMetrics` (`crisisops.response.measure`).
    peak_level
        The level whose targets apply; ``None`` (the default) takes the most
        severe level the crisis held (the keys of
        `ResponseMetrics.time_at_level`).
    targets
        The targets; ``None`` for `SpeedTargets.default`.

    Returns
    -------
    GoalReport
        One result per metric the level sets, in lifecycle order.

    Raises
    ------
    InvalidTypeError
        For metrics, a level or targets of the wrong type.
    UnknownKeyError
        For a level the targets do not cover.
    """
    if not isinstance(metrics, ResponseMetrics):
        raise InvalidTypeError("metrics", metrics, "a ResponseMetrics")
    if targets is None:
        targets = SpeedTargets.default()
    elif not isinstance(targets, SpeedTargets):
        raise InvalidTypeError("targets", targets, "a SpeedTargets or None")
    level = _peak_level(metrics, peak_level)
    target = targets.for_level(level)
    objectives: list[Objective] = []
    actuals: dict[str, float | None] = {}
    for metric in SPEED_METRICS:
        limit = target.get(metric)
        if limit is None:
            continue
        key = f"speed.{metric}"
        names = _SPEED_LABELS[metric]
        objectives.append(
            Objective(
                key=key,
                description=(
                    f"{names.en} of a Level {level.value} crisis at most {limit}"
                ),
                target=limit.total_seconds(),
                direction=Direction.LOWER_IS_BETTER,
                unit="s",
                labels=_labels(
                    f"{names.en} (Level {level.value})",
                    f"{names.zh_hant}（{level.value}級）",
                    f"{names.zh_hans}（{level.value}级）",
                ),
            )
        )
        measured: dt.timedelta | None = getattr(metrics, metric)
        actuals[key] = None if measured is None else measured.total_seconds()
    return compare_goals(objectives, actuals)


# --- stakeholder feedback --------------------------------------------------------


@attrs.frozen(kw_only=True)
class StakeholderFeedback:
    """One stakeholder's feedback on how a crisis was handled (book §6 綜合評估).

    Book §6 評估危機處理效果 weighs the feedback of internal staff (內部員工的
    反饋意見), external partners (外部合作伙伴的建議) and consumers (消費者的
    反饋). Each answer may carry a rating, a sentiment, an effort score and a
    comment; it must carry at least one of them.

    Attributes
    ----------
    group
        The stakeholder group, e.g. a stakeholder kind key of
        `crisisops.stakeholders.default_kinds` (``"customers"``,
        ``"employees"``, ``"partners"``).
    at
        When the feedback was given.
    rating
        Satisfaction on Dispatch's five-point scale, 1 (very dissatisfied) to
        5 (very satisfied) (`RATING_LABELS`), or ``None``.
    sentiment
        Sentiment in [-1, 1] (e.g. from text analysis), or ``None``.
    effort
        Effort the responder had to give, Dispatch's six-point scale, 1 (no
        effort) to 6 (extreme effort) (`EFFORT_LABELS`), or ``None``; asked
        of the staff who handled the crisis.
    comment
        Free text (may be empty).
    """

    group: str = attrs.field(validator=is_key())
    at: dt.datetime = attrs.field(validator=is_aware_datetime())
    rating: int | None = attrs.field(
        default=None, converter=_to_optional_int, validator=_is_scale(_RATING_SCALE)
    )
    sentiment: float | None = attrs.field(
        default=None, converter=_to_optional_float, validator=_optional_range(-1.0, 1.0)
    )
    effort: int | None = attrs.field(
        default=None, converter=_to_optional_int, validator=_is_scale(_EFFORT_SCALE)
    )
    comment: str = attrs.field(default="", validator=is_text(allow_empty=True))

    def __attrs_post_init__(self) -> None:
        """Check that the feedback says something."""
        if (
            self.rating is None
            and self.sentiment is None
            and self.effort is None
            and not self.comment.strip()
        ):
            raise ValidationError(
                "rating",
                None,
                "a rating, sentiment, effort or comment: feedback must say something",
            )


def _check_rating_counts(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, tuple) or len(value) != _RATING_SCALE:
        raise InvalidTypeError(
            name, value, f"a tuple of {_RATING_SCALE} counts (ratings 1 to 5)"
        )
    for index, count in enumerate(value):
        is_count(None, Named(f"{name}[{index}]"), count)


def _rating_figures(
    counts: tuple[int, ...],
) -> tuple[float | None, float | None, float | None]:
    """Mean rating, satisfied share and dissatisfied share from the 1–5 counts."""
    rated = sum(counts)
    if rated == 0:
        return None, None, None
    total = sum(score * n for score, n in enumerate(counts, start=1))
    satisfied = sum(counts[_SATISFIED_FROM - 1 :])
    dissatisfied = sum(counts[:_DISSATISFIED_TO])
    return total / rated, satisfied / rated, dissatisfied / rated


@attrs.frozen(kw_only=True)
class GroupFeedback:
    """The feedback of one stakeholder group (or of all), summed up.

    Attributes
    ----------
    group
        The group key; ``None`` for every group together.
    count
        Feedback answers.
    rating_counts
        How many answers gave each rating, ratings 1 to 5 in order.
    mean_rating
        Mean rating, 1–5; ``None`` without ratings.
    satisfied_share
        Share of the ratings that are 4 or 5 — the usual top-two-box CSAT;
        ``None`` without ratings.
    dissatisfied_share
        Share of the ratings that are 1 or 2; ``None`` without ratings.
    sentiment_count
        Answers with a sentiment.
    mean_sentiment
        Mean sentiment in [-1, 1]; ``None`` without sentiments.
    effort_count
        Answers with an effort score.
    mean_effort
        Mean effort, 1–6; ``None`` without effort scores.
    comments
        Answers with a comment.

    Examples
    --------
    Two customers: one very satisfied (5), one somewhat dissatisfied (2). The
    rating figures are checked against the counts; `RATING_LABELS` and
    `EFFORT_LABELS` name the scores:

    >>> from crisisops.review.goals import EFFORT_LABELS, RATING_LABELS, GroupFeedback
    >>> customers = GroupFeedback(
    ...     group="customers",
    ...     count=2,
    ...     rating_counts=(0, 1, 0, 0, 1),
    ...     mean_rating=3.5,
    ...     satisfied_share=0.5,
    ...     dissatisfied_share=0.5,
    ...     sentiment_count=2,
    ...     mean_sentiment=0.1,
    ...     effort_count=0,
    ...     mean_effort=None,
    ...     comments=0,
    ... )
    >>> customers.rated, RATING_LABELS[5].en, RATING_LABELS[2].zh_hant
    (2, 'Very satisfied', '比較不滿意')
    >>> EFFORT_LABELS[1].en, EFFORT_LABELS[6].en
    ('No effort', 'Extreme effort')
    >>> import attrs
    >>> attrs.evolve(customers, mean_rating=4.0)
    Traceback (most recent call last):
    ...
    crisisops.errors.ValidationError: 'mean_rating' must be 3.5 (from rating_counts) (got 4.0)
    """  # noqa: E501  doctest output is one line

    group: str | None = attrs.field(validator=is_optional(is_key()))
    count: int = attrs.field(validator=is_count)
    rating_counts: tuple[int, ...] = attrs.field(
        converter=to_tuple, validator=_check_rating_counts
    )
    mean_rating: float | None = attrs.field(
        converter=_to_optional_float, validator=_optional_range(1.0, 5.0)
    )
    satisfied_share: float | None = attrs.field(
        converter=_to_optional_float, validator=_optional_range(0.0, 1.0)
    )
    dissatisfied_share: float | None = attrs.field(
        converter=_to_optional_float, validator=_optional_range(0.0, 1.0)
    )
    sentiment_count: int = attrs.field(validator=is_count)
    mean_sentiment: float | None = attrs.field(
        converter=_to_optional_float, validator=_optional_range(-1.0, 1.0)
    )
    effort_count: int = attrs.field(validator=is_count)
    mean_effort: float | None = attrs.field(
        converter=_to_optional_float, validator=_optional_range(1.0, 6.0)
    )
    comments: int = attrs.field(validator=is_count)

    def __attrs_post_init__(self) -> None:
        """Check that the counts fit together and the rating figures follow."""
        for name in ("rated", "sentiment_count", "effort_count", "comments"):
            value = getattr(self, name)
            if value > self.count:
                raise ValidationError(name, value, f"at most count ({self.count})")
        expected = _rating_figures(self.rating_counts)
        names = ("mean_rating", "satisfied_share", "dissatisfied_share")
        for name, want in zip(names, expected, strict=True):
            if getattr(self, name) != want:
                raise ValidationError(
                    name, getattr(self, name), f"{want!r} (from rating_counts)"
                )
        for name, count_name in (
            ("mean_sentiment", "sentiment_count"),
            ("mean_effort", "effort_count"),
        ):
            if (getattr(self, name) is None) != (getattr(self, count_name) == 0):
                raise ValidationError(
                    name,
                    getattr(self, name),
                    f"set exactly when {count_name} > 0",
                )

    @property
    def rated(self) -> int:
        """Answers with a rating."""
        return sum(self.rating_counts)


def _check_groups(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, tuple):
        raise InvalidTypeError(name, value, "a tuple (or list) of GroupFeedback")
    seen: set[str] = set()
    for index, group in enumerate(value):
        if not isinstance(group, GroupFeedback):
            raise InvalidTypeError(f"{name}[{index}]", group, "a GroupFeedback")
        if group.group is None:
            raise ValidationError(
                f"{name}[{index}].group", None, "a group key (None is for overall)"
            )
        if group.group in seen:
            raise DuplicateKeyError("feedback group", group.group)
        seen.add(group.group)


@attrs.frozen(kw_only=True)
class FeedbackSummary:
    """Stakeholder feedback summed up per group and overall (book §6 綜合評估).

    Attributes
    ----------
    groups
        One `GroupFeedback` per group, ordered by group key.
    overall
        Every answer together (its ``group`` is ``None``); its counts are the
        sums of the groups' counts.

    Examples
    --------
    >>> import datetime as dt
    >>> from crisisops.review.goals import (
    ...     FeedbackSummary,
    ...     StakeholderFeedback,
    ...     summarize_feedback,
    ... )
    >>> at = dt.datetime(2026, 6, 18, 21, 0, tzinfo=dt.timezone.utc)
    >>> summary = summarize_feedback(
    ...     [
    ...         StakeholderFeedback(group="customers", at=at, rating=5, sentiment=0.6),
    ...         StakeholderFeedback(
    ...             group="customers", at=at, rating=2, comment="Refund took a week"
    ...         ),
    ...         StakeholderFeedback(group="partners", at=at, rating=4, effort=3),
    ...     ]
    ... )
    >>> summary.keys, summary.overall.count, summary.overall.rating_counts
    (('customers', 'partners'), 3, (0, 1, 0, 1, 1))
    >>> round(summary.overall.mean_rating, 2), summary.overall.comments
    (3.67, 1)

    The overall figures must be the sums of the groups':

    >>> FeedbackSummary(groups=summary.groups[:1], overall=summary.overall)
    Traceback (most recent call last):
    ...
    crisisops.errors.ValidationError: 'overall.count' must be 2, the sum over the groups (got 3)
    """  # noqa: E501  doctest output is one line

    groups: tuple[GroupFeedback, ...] = attrs.field(
        converter=to_tuple, validator=_check_groups
    )
    overall: GroupFeedback = attrs.field(
        validator=is_instance(GroupFeedback, "a GroupFeedback")
    )

    def __attrs_post_init__(self) -> None:
        """Check that the overall counts are the sums of the groups'."""
        if self.overall.group is not None:
            raise ValidationError(
                "overall.group", self.overall.group, "None (every group together)"
            )
        for name in ("count", "sentiment_count", "effort_count", "comments"):
            total = sum(getattr(g, name) for g in self.groups)
            if getattr(self.overall, name) != total:
                raise ValidationError(
                    f"overall.{name}",
                    getattr(self.overall, name),
                    f"{total}, the sum over the groups",
                )
        totals = tuple(
            sum(g.rating_counts[score] for g in self.groups)
            for score in range(_RATING_SCALE)
        )
        if self.overall.rating_counts != totals:
            raise ValidationError(
                "overall.rating_counts",
                self.overall.rating_counts,
                f"{totals}, the sums over the groups",
            )

    def group(self, key: str) -> GroupFeedback:
        """Return the summary of the group ``key``.

        Raises
        ------
        UnknownKeyError
            For a group no feedback came from (with suggestions).
        """
        for group in self.groups:
            if group.group == key:
                return group
        raise UnknownKeyError(
            "feedback group", key, [str(g.group) for g in self.groups]
        )

    @property
    def keys(self) -> tuple[str, ...]:
        """The group keys, in order."""
        return tuple(str(g.group) for g in self.groups)


def _check_feedback(feedback: object) -> list[StakeholderFeedback]:
    items = _check_iterable(feedback, "feedback", "an iterable of StakeholderFeedback")
    if set(map(type, items)) <= {StakeholderFeedback}:
        return items
    for index, item in enumerate(items):
        if not isinstance(item, StakeholderFeedback):
            raise InvalidTypeError(f"feedback[{index}]", item, "a StakeholderFeedback")
    return items


def _group_feedback(  # noqa: PLR0913  one keyword per figure of the group
    group: str | None,
    *,
    count: int,
    rating_counts: tuple[int, ...],
    sentiment: tuple[int, float],
    effort: tuple[int, float],
    comments: int,
) -> GroupFeedback:
    mean_rating, satisfied, dissatisfied = _rating_figures(rating_counts)
    n_sentiment, sum_sentiment = sentiment
    n_effort, sum_effort = effort
    return GroupFeedback(
        group=group,
        count=count,
        rating_counts=rating_counts,
        mean_rating=mean_rating,
        satisfied_share=satisfied,
        dissatisfied_share=dissatisfied,
        sentiment_count=n_sentiment,
        # Clipped: a mean of values in [-1, 1] stays there even after rounding.
        mean_sentiment=(
            None
            if n_sentiment == 0
            else min(max(sum_sentiment / n_sentiment, -1.0), 1.0)
        ),
        effort_count=n_effort,
        mean_effort=None if n_effort == 0 else sum_effort / n_effort,
        comments=comments,
    )


def summarize_feedback(
    feedback: Iterable[StakeholderFeedback],
    *,
    kinds: StakeholderKindCatalog | None = None,
) -> FeedbackSummary:
    """Sum up stakeholder feedback per group: ratings, sentiment, effort.

    The answers become numpy columns (a missing value is NaN) and every
    figure is a ``bincount`` over the group index, with no Python loop over
    the answers: the count of each rating 1–5, the mean rating, the share
    satisfied (4 or 5, the top-two-box CSAT) and dissatisfied (1 or 2), the
    mean sentiment and the mean effort, each over the answers that have it.

    Parameters
    ----------
    feedback
        The answers (any number, none included).
    kinds
        A stakeholder-kind catalog (`crisisops.stakeholders.default_kinds`);
        if given, every group must be one of its keys.

    Returns
    -------
    FeedbackSummary
        The groups in key order, and the overall figures.

    Raises
    ------
    InvalidTypeError
        For ``feedback`` that is not an iterable of `StakeholderFeedback`
        (naming the index), or ``kinds`` that is not a catalog.
    UnknownKeyError
        With ``kinds``, for a group that is not a kind of it.
    """
    items = _check_feedback(feedback)
    if kinds is not None:
        if not isinstance(kinds, StakeholderKindCatalog):
            raise InvalidTypeError("kinds", kinds, "a StakeholderKindCatalog or None")
        known = kinds.keys()
        unknown = sorted({item.group for item in items} - set(known))
        if unknown:
            raise UnknownKeyError("stakeholder kind", unknown[0], known)
    empty = (0,) * _RATING_SCALE
    if not items:
        return FeedbackSummary(
            groups=(),
            overall=_group_feedback(
                None,
                count=0,
                rating_counts=empty,
                sentiment=(0, 0.0),
                effort=(0, 0.0),
                comments=0,
            ),
        )
    keys, index = np.unique(
        np.array(list(map(attrgetter("group"), items)), dtype=str), return_inverse=True
    )
    index = index.reshape(-1)
    n_groups = len(keys)

    def column(name: str) -> np.ndarray[Any, np.dtype[np.float64]]:
        return np.array(list(map(attrgetter(name), items)), dtype=np.float64)

    ratings, sentiments, efforts = (
        column("rating"),
        column("sentiment"),
        column("effort"),
    )
    has_comment = np.array(
        list(map(str.strip, map(attrgetter("comment"), items))), dtype=bool
    )
    counts = np.bincount(index, minlength=n_groups)
    rated = ~np.isnan(ratings)
    cells = index[rated] * _RATING_SCALE + ratings[rated].astype(np.intp) - 1
    rating_counts = np.bincount(cells, minlength=n_groups * _RATING_SCALE).reshape(
        n_groups, _RATING_SCALE
    )

    def sums(values: np.ndarray[Any, np.dtype[np.float64]]) -> tuple[Any, Any]:
        present = ~np.isnan(values)
        number = np.bincount(index[present], minlength=n_groups)
        total = np.bincount(index[present], weights=values[present], minlength=n_groups)
        return number, total

    n_sent, sum_sent = sums(sentiments)
    n_effort, sum_effort = sums(efforts)
    n_comments = np.bincount(index[has_comment], minlength=n_groups)
    groups = tuple(
        _group_feedback(
            str(keys[g]),
            count=int(counts[g]),
            rating_counts=tuple(int(n) for n in rating_counts[g]),
            sentiment=(int(n_sent[g]), float(sum_sent[g])),
            effort=(int(n_effort[g]), float(sum_effort[g])),
            comments=int(n_comments[g]),
        )
        for g in range(n_groups)
    )
    sent_present = ~np.isnan(sentiments)
    effort_present = ~np.isnan(efforts)
    overall = _group_feedback(
        None,
        count=len(items),
        rating_counts=tuple(int(n) for n in rating_counts.sum(axis=0)),
        sentiment=(int(sent_present.sum()), float(sentiments[sent_present].sum())),
        effort=(int(effort_present.sum()), float(efforts[effort_present].sum())),
        comments=int(has_comment.sum()),
    )
    return FeedbackSummary(groups=groups, overall=overall)
