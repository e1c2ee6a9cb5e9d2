"""Business impact analysis terms of ISO 22301: MTPD, RTO, RPO and MBCO.

Book §4 ends its impact analysis (分析危機原因和影響範圍) with the goal: "確保
在最短時間內恢復運營穩定,并最大限度地減少損失" (restore stable operations in
the shortest time and keep losses as small as possible). Business-continuity
practice makes "shortest time" precise for each critical activity (a
*prioritized activity* in ISO 22301:2019 §3) through a business impact
analysis (ISO 22301:2019 §8.2.2; ISO/TS 22317):

* **MTPD**, maximum tolerable period of disruption (最大可容忍中斷時間): the
  time after which the impacts of not resuming the activity become
  unacceptable (named in ISO 22301:2019 §8.2.2 d; defined in ISO 22300).
* **RTO**, recovery time objective (恢復時間目標): the period after a
  disruption within which the activity must be resumed, at least at its
  minimum level (ISO 22301:2019 §3). It must be **shorter than the MTPD**,
  leaving time to spare before the impacts become unacceptable.
* **RPO**, recovery point objective (恢復點目標): the point to which the
  information the activity uses must be restored, i.e. the most data, counted
  in time, that may be lost (ISO 22301:2019 §3).
* **MBCO**, minimum business continuity objective (最低業務連續性目標): the
  minimum level of service acceptable during a disruption (ISO 22301:2019
  §3), here a fraction of normal capacity and/or a description
  (`MinimumServiceLevel`).

This module holds them as validated values:

* `CriticalActivity` – one activity with its MTPD, RTO (< MTPD), RPO, MBCO,
  the activities it depends on and the resources it needs, and optionally
  the impacts of its disruption over time (`ImpactOverTime`), from which the
  MTPD can be read (ISO/TS 22317: assess impacts over time);
* `check_recovery()` – compares a planned recovery (time to resume, data lost,
  service level reached) with the objectives and reports each gap
  (`RecoveryCheck`, `RecoveryGap`);
* `BusinessImpactAnalysis` – the activities together: dependencies checked,
  activities in priority order, and dependencies that would come back later
  than the activity that needs them (`DependencyGap`).

Examples
--------
>>> from datetime import timedelta
>>> from crisisops.planning.continuity import CriticalActivity, check_recovery
>>> checkout = CriticalActivity(
...     key="checkout",
...     name="Checkout and payment",
...     mtpd=timedelta(hours=4),
...     rto=timedelta(hours=1),
...     rpo=timedelta(minutes=5),
... )
>>> check = check_recovery(
...     checkout, recovery_time=timedelta(hours=2), data_lost=timedelta(0)
... )
>>> check.meets_objectives
False
>>> [(gap.objective.name, str(gap.excess)) for gap in check.gaps]
[('RTO', '1:00:00')]
>>> str(check.mtpd_margin)
'2:00:00'

References
----------
ISO 22301:2019 *Security and resilience — Business continuity management
systems — Requirements*, §3 (terms and definitions: minimum business
continuity objective, prioritized activity, recovery point objective,
recovery time objective) and §8.2.2 (business impact analysis). Geneva: ISO.
ISO 22300:2021 *Security and resilience — Vocabulary* (maximum tolerable
period of disruption). Geneva: ISO.
ISO/TS 22317:2021 *Security and resilience — Business continuity management
systems — Guidelines for business impact analysis*. Geneva: ISO.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Mapping
from typing import Any

import attrs

from crisisops._validation import (
    check_finite,
    check_key,
    check_str,
    field_name,
    is_enum,
    is_finite,
    is_instance,
    is_key,
    is_optional,
    is_text,
    is_tuple_of,
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
from crisisops.planning.impact import IMPACT_SCORES, ImpactDimension

__all__ = [
    "BusinessImpactAnalysis",
    "ContinuityObjective",
    "CriticalActivity",
    "DependencyGap",
    "ImpactOverTime",
    "ImpactPoint",
    "MinimumServiceLevel",
    "RecoveryCheck",
    "RecoveryGap",
    "check_recovery",
]

_ZERO = dt.timedelta(0)


_labels = Labels.of


class ContinuityObjective(enum.Enum):
    """The four business-impact terms of ISO 22301, in order of severity of a miss.

    Missing the MTPD is the worst gap (the impacts are then unacceptable),
    then the RTO, the RPO and the MBCO; `RecoveryCheck.gaps` lists gaps in
    this order.

    Examples
    --------
    >>> [objective.name for objective in ContinuityObjective]
    ['MTPD', 'RTO', 'RPO', 'MBCO']
    >>> ContinuityObjective("rto").labels.zh_hant
    '恢復時間目標'
    """

    MTPD = "mtpd"
    RTO = "rto"
    RPO = "rpo"
    MBCO = "mbco"

    @property
    def labels(self) -> Labels:
        """The term spelled out in English, 繁體 and 简体."""
        return _OBJECTIVE_LABELS[self]


_OBJECTIVE_LABELS = {
    ContinuityObjective.MTPD: _labels(
        "Maximum tolerable period of disruption",
        "最大可容忍中斷時間",
        "最大可容忍中断时间",
    ),
    ContinuityObjective.RTO: _labels(
        "Recovery time objective", "恢復時間目標", "恢复时间目标"
    ),
    ContinuityObjective.RPO: _labels(
        "Recovery point objective", "恢復點目標", "恢复点目标"
    ),
    ContinuityObjective.MBCO: _labels(
        "Minimum business continuity objective",
        "最低業務連續性目標",
        "最低业务连续性目标",
    ),
}


# --- small checks ------------------------------------------------------------------


def _check_duration(
    value: object, field: str, *, positive: bool, optional: bool = False
) -> dt.timedelta | None:
    if value is None and optional:
        return None
    if not isinstance(value, dt.timedelta):
        kind = "a datetime.timedelta" + (" or None" if optional else "")
        raise InvalidTypeError(field, value, kind)
    if positive and value <= _ZERO:
        raise ValidationError(field, value, "a duration > 0")
    if value < _ZERO:
        raise ValidationError(field, value, "a duration >= 0")
    return value


def _is_positive_duration(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    _check_duration(value, field_name(attribute), positive=True)


def _is_duration(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    _check_duration(value, field_name(attribute), positive=False)


def _is_optional_duration(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    _check_duration(value, field_name(attribute), positive=False, optional=True)


def _to_float(value: Any) -> Any:  # noqa: ANN401
    """Store ints as floats so a value and its round trip compare equal."""
    return float(value) if type(value) is int else value


def _is_unique_keys(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, tuple):
        raise InvalidTypeError(name, value, "a tuple (or list) of keys")
    seen: set[str] = set()
    for index, key in enumerate(value):
        check_key(key, f"{name}[{index}]")
        if key in seen:
            raise DuplicateKeyError(f"key (in {name})", key)
        seen.add(key)


def _is_unique_names(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, tuple):
        raise InvalidTypeError(name, value, "a tuple (or list) of names")
    seen: set[str] = set()
    for index, item in enumerate(value):
        check_str(item, f"{name}[{index}]")
        if item in seen:
            raise DuplicateKeyError(f"name (in {name})", item)
        seen.add(item)


# --- minimum service level -----------------------------------------------------------


@attrs.frozen(kw_only=True)
class MinimumServiceLevel:
    """The minimum business continuity objective (MBCO) of an activity.

    ISO 22301:2019 §3 defines the MBCO as the minimum level of services or
    products acceptable to the organization during a disruption. Give it as
    a fraction of normal capacity, as a description, or both.

    Attributes
    ----------
    fraction
        Share of normal capacity, ``0 < fraction <= 1`` (e.g. ``0.6`` for 60 %
        of normal order throughput), or ``None`` if described only.
    description
        The level in words, e.g. ``"orders of key customers shipped within
        48 h"``; may be empty when ``fraction`` is given.

    Examples
    --------
    >>> MinimumServiceLevel(fraction=0.5).fraction
    0.5
    >>> MinimumServiceLevel(description="phone line answered").description
    'phone line answered'
    """

    fraction: float | None = attrs.field(
        default=None,
        converter=_to_float,
        validator=is_optional(is_finite(low=0.0, high=1.0)),
    )
    description: str = attrs.field(default="", validator=is_text(allow_empty=True))

    def __attrs_post_init__(self) -> None:
        """Check that the level is given, and that a fraction is above 0."""
        if self.fraction is None and not self.description.strip():
            raise ValidationError(
                "fraction", None, "a fraction in (0, 1] or a non-empty description"
            )
        if self.fraction is not None and self.fraction <= 0:
            raise ValidationError(
                "fraction",
                self.fraction,
                "a share of normal capacity above 0 and at most 1",
            )


# --- impacts over time ---------------------------------------------------------------


def _to_score_map(value: Any) -> Any:  # noqa: ANN401
    """Accept dimension values (``"brand"``) as keys; freeze the mapping.

    Raises `DuplicateKeyError` when a dimension is given twice, once as the
    enum member and once as its value.
    """
    if not isinstance(value, Mapping):
        return value
    by_value = {member.value: member for member in ImpactDimension}
    converted: dict[Any, Any] = {}
    for key, score in value.items():
        dimension = by_value.get(key, key) if isinstance(key, str) else key
        if dimension in converted:
            raise DuplicateKeyError(
                "dimension (in scores)", getattr(dimension, "value", dimension)
            )
        converted[dimension] = score
    return FrozenDict(converted)


def _is_score_map(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, FrozenDict):
        raise InvalidTypeError(name, value, "a mapping of ImpactDimension to score")
    if not value:
        raise ValidationError(name, {}, "at least one dimension's score")
    low, high = IMPACT_SCORES[0], IMPACT_SCORES[-1]
    for key, score in value.items():
        if not isinstance(key, ImpactDimension):
            raise UnknownKeyError(
                f"impact dimension (in {name})",
                key,
                [member.value for member in ImpactDimension],
            )
        where = f"{name}[{key.value!r}]"
        if isinstance(score, bool) or not isinstance(score, int):
            raise InvalidTypeError(where, score, f"an int score {low}..{high}")
        if not low <= score <= high:
            raise ValidationError(where, score, f"a score from {low} to {high}")


@attrs.frozen(kw_only=True)
class ImpactPoint:
    """The impact scores an activity's disruption has reached after some time.

    Attributes
    ----------
    elapsed
        Time since the disruption began, > 0.
    scores
        Score (1–5, as in `crisisops.planning.impact`) per `ImpactDimension`
        at that time; dimension values (``"brand"``) are accepted as keys.
    """

    elapsed: dt.timedelta = attrs.field(validator=_is_positive_duration)
    scores: FrozenDict[ImpactDimension, int] = attrs.field(
        converter=_to_score_map, validator=_is_score_map
    )


def _is_unacceptable_score(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    low, high = IMPACT_SCORES[1], IMPACT_SCORES[-1]
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(name, value, f"an int score {low}..{high}")
    if not low <= value <= high:
        raise ValidationError(name, value, f"a score from {low} to {high}")


@attrs.frozen(kw_only=True)
class ImpactOverTime:
    """How the impacts of disrupting an activity grow with time (ISO/TS 22317).

    A business impact analysis assesses the impacts of a disruption over time
    (ISO 22301:2019 §8.2.2 c) and takes as the MTPD the time frame after
    which not resuming becomes unacceptable (§8.2.2 d). Here the impacts are
    scored per dimension at increasing elapsed times; the MTPD the curve
    implies is the first elapsed time at which any dimension reaches the
    ``unacceptable`` score (`ImpactOverTime.first_unacceptable`).

    Attributes
    ----------
    points
        `ImpactPoint`s with strictly increasing ``elapsed``, each scoring the
        same dimensions; a dimension's score never falls over time (a
        disruption that goes on does not hurt less).
    unacceptable
        The score from which an impact is unacceptable, 2–5 (default 4,
        Major 嚴重).

    Examples
    --------
    >>> from datetime import timedelta
    >>> curve = ImpactOverTime(
    ...     points=[
    ...         ImpactPoint(elapsed=timedelta(hours=1), scores={"financial": 2}),
    ...         ImpactPoint(elapsed=timedelta(hours=4), scores={"financial": 3}),
    ...         ImpactPoint(elapsed=timedelta(hours=12), scores={"financial": 4}),
    ...     ]
    ... )
    >>> str(curve.first_unacceptable())
    '12:00:00'
    """

    points: tuple[ImpactPoint, ...] = attrs.field(
        converter=to_tuple,
        validator=is_tuple_of(is_instance(ImpactPoint, "an ImpactPoint"), min_length=1),
    )
    unacceptable: int = attrs.field(default=4, validator=_is_unacceptable_score)

    def __attrs_post_init__(self) -> None:
        """Check increasing times, the same dimensions, and scores that never fall."""
        first = self.points[0]
        for index in range(1, len(self.points)):
            before, point = self.points[index - 1], self.points[index]
            if point.elapsed <= before.elapsed:
                raise ValidationError(
                    f"points[{index}].elapsed",
                    point.elapsed,
                    f"a time after points[{index - 1}].elapsed ({before.elapsed})",
                )
            if point.scores.keys() != first.scores.keys():
                raise ValidationError(
                    f"points[{index}].scores",
                    sorted(d.value for d in point.scores),
                    "scores for the same dimensions as points[0] "
                    f"({sorted(d.value for d in first.scores)})",
                )
            for dimension, score in point.scores.items():
                if score < before.scores[dimension]:
                    raise ValidationError(
                        f"points[{index}].scores[{dimension.value!r}]",
                        score,
                        f"a score >= {before.scores[dimension]} (the score at "
                        f"points[{index - 1}]): impacts do not fall while the "
                        "disruption lasts",
                    )

    def first_unacceptable(self) -> dt.timedelta | None:
        """Return the first elapsed time with an unacceptable score, or ``None``."""
        for point in self.points:
            if max(point.scores.values()) >= self.unacceptable:
                return point.elapsed
        return None


# --- critical activities -------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CriticalActivity:
    """A prioritized activity with its ISO 22301 continuity objectives.

    Attributes
    ----------
    key
        Stable key, e.g. ``"checkout"`` or ``"fulfilment.picking"``.
    name
        Human-readable name.
    mtpd
        Maximum tolerable period of disruption, > 0.
    rto
        Recovery time objective, > 0 and **less than** ``mtpd``: the
        objective must leave time before the impacts become unacceptable
        (the ISO 22301 vocabulary notes that the RTO is less than the MTPD).
    rpo
        Recovery point objective: the most data, counted in time, that may be
        lost (≥ 0; ``timedelta(0)`` means no loss at all), or ``None`` for an
        activity without data of its own.
    mbco
        The minimum acceptable service level (`MinimumServiceLevel`), or
        ``None`` if not set yet.
    dependencies
        Keys of the other critical activities this one needs (in a
        `BusinessImpactAnalysis` they must exist); unique, not itself.
    resources
        Names of the resources it needs to resume (people, systems,
        suppliers; ISO 22301:2019 §8.2.2 g); unique.
    impacts
        How its disruption's impacts grow with time (`ImpactOverTime`), or
        ``None``. When given, ``mtpd`` must not exceed the first elapsed time
        at which an impact is unacceptable.
    notes
        Free text.

    Raises
    ------
    ValidationError
        Naming the field: a duration that is not positive, ``rto >= mtpd``,
        a negative ``rpo``, a dependency on itself, or an ``mtpd`` beyond
        the time the impacts become unacceptable.

    Examples
    --------
    >>> from datetime import timedelta
    >>> CriticalActivity(
    ...     key="checkout",
    ...     name="Checkout",
    ...     mtpd=timedelta(hours=2),
    ...     rto=timedelta(hours=2),
    ... )
    Traceback (most recent call last):
    ...
    crisisops.errors.ValidationError: 'rto' must be less than mtpd (2:00:00): the recovery time objective must leave time before the impacts become unacceptable (got datetime.timedelta(seconds=7200))
    """  # noqa: E501  doctest output is one line

    key: str = attrs.field(validator=is_key())
    name: str = attrs.field(validator=is_text())
    mtpd: dt.timedelta = attrs.field(validator=_is_positive_duration)
    rto: dt.timedelta = attrs.field(validator=_is_positive_duration)
    rpo: dt.timedelta | None = attrs.field(
        default=None, validator=_is_optional_duration
    )
    mbco: MinimumServiceLevel | None = attrs.field(
        default=None,
        validator=is_optional(
            is_instance(MinimumServiceLevel, "a MinimumServiceLevel")
        ),
    )
    dependencies: tuple[str, ...] = attrs.field(
        default=(), converter=to_str_tuple, validator=_is_unique_keys
    )
    resources: tuple[str, ...] = attrs.field(
        default=(), converter=to_str_tuple, validator=_is_unique_names
    )
    impacts: ImpactOverTime | None = attrs.field(
        default=None,
        validator=is_optional(is_instance(ImpactOverTime, "an ImpactOverTime")),
    )
    notes: str = attrs.field(default="", validator=is_text(allow_empty=True))

    def __attrs_post_init__(self) -> None:
        """Check RTO < MTPD, no self-dependency, and MTPD against the impacts."""
        if self.rto >= self.mtpd:
            raise ValidationError(
                "rto",
                self.rto,
                f"less than mtpd ({self.mtpd}): the recovery time objective must "
                "leave time before the impacts become unacceptable",
            )
        if self.key in self.dependencies:
            raise ValidationError(
                f"dependencies[{self.dependencies.index(self.key)}]",
                self.key,
                "the key of another activity (an activity cannot depend on itself)",
            )
        if self.impacts is not None:
            limit = self.impacts.first_unacceptable()
            if limit is not None and self.mtpd > limit:
                raise ValidationError(
                    "mtpd",
                    self.mtpd,
                    f"at most {limit}, when the impacts first reach the "
                    f"unacceptable score {self.impacts.unacceptable}",
                )


# --- checking a planned recovery -----------------------------------------------------


@attrs.frozen(kw_only=True)
class RecoveryGap:
    """One objective a planned recovery misses.

    Time objectives (MTPD, RTO, RPO) fill ``target`` and ``planned``; the
    MBCO fills ``target_level`` and ``planned_level``.

    Attributes
    ----------
    objective
        The `ContinuityObjective` missed.
    target, planned
        The objective's time and the plan's (time to resume, or data lost).
    target_level, planned_level
        The minimum service level and the level the plan reaches (fractions).

    Examples
    --------
    A time objective missed by an hour, and a service level 20 points short:

    >>> from datetime import timedelta
    >>> late = RecoveryGap(
    ...     objective=ContinuityObjective.RTO,
    ...     target=timedelta(hours=1),
    ...     planned=timedelta(hours=2),
    ... )
    >>> str(late.excess), late.shortfall
    ('1:00:00', None)
    >>> late.describe()
    'RTO missed by 1:00:00 (2:00:00 vs 1:00:00)'
    >>> thin = RecoveryGap(
    ...     objective=ContinuityObjective.MBCO, target_level=0.6, planned_level=0.4
    ... )
    >>> thin.describe()
    'MBCO missed by 20% (40% vs 60% of capacity)'
    """

    objective: ContinuityObjective = attrs.field(validator=is_enum(ContinuityObjective))
    target: dt.timedelta | None = attrs.field(
        default=None, validator=_is_optional_duration
    )
    planned: dt.timedelta | None = attrs.field(
        default=None, validator=_is_optional_duration
    )
    target_level: float | None = attrs.field(
        default=None,
        converter=_to_float,
        validator=is_optional(is_finite(low=0.0, high=1.0)),
    )
    planned_level: float | None = attrs.field(
        default=None,
        converter=_to_float,
        validator=is_optional(is_finite(low=0.0, high=1.0)),
    )

    @property
    def excess(self) -> dt.timedelta | None:
        """How much longer than the objective (time objectives only)."""
        if self.target is None or self.planned is None:
            return None
        return self.planned - self.target

    @property
    def shortfall(self) -> float | None:
        """How far below the minimum service level (MBCO only)."""
        if self.target_level is None or self.planned_level is None:
            return None
        return self.target_level - self.planned_level

    def describe(self) -> str:
        """Say what is missed and by how much, in one English sentence."""
        name = self.objective.name
        if self.excess is not None:
            return f"{name} missed by {self.excess} ({self.planned} vs {self.target})"
        return (
            f"{name} missed by {self.shortfall:.0%} "
            f"({self.planned_level:.0%} vs {self.target_level:.0%} of capacity)"
        )


@attrs.frozen(kw_only=True)
class RecoveryCheck:
    """A planned recovery compared with an activity's objectives.

    Attributes
    ----------
    activity
        Key of the `CriticalActivity` checked.
    recovery_time
        Planned time to resume the activity.
    mtpd, rto
        The activity's objectives, kept for the margins.
    gaps
        The objectives missed (`RecoveryGap`), most severe first (MTPD, RTO,
        RPO, MBCO); empty when the plan meets every checked objective.
    unchecked
        Objectives the activity sets that the plan gave nothing to check
        against (no data loss, or no service level, given; or an MBCO
        given only as a description).

    Examples
    --------
    A plan that resumes checkout in 30 minutes but restores a backup two
    hours old meets the RTO and misses the RPO; the service level is not
    given, so the MBCO stays unchecked:

    >>> from datetime import timedelta
    >>> checkout = CriticalActivity(
    ...     key="checkout",
    ...     name="Checkout",
    ...     mtpd=timedelta(hours=4),
    ...     rto=timedelta(hours=1),
    ...     rpo=timedelta(minutes=15),
    ...     mbco=MinimumServiceLevel(fraction=0.5),
    ... )
    >>> check: RecoveryCheck = check_recovery(
    ...     checkout,
    ...     recovery_time=timedelta(minutes=30),
    ...     data_lost=timedelta(hours=2),
    ... )
    >>> check.meets_objectives, str(check.rto_margin), str(check.mtpd_margin)
    (False, '0:30:00', '3:30:00')
    >>> str(check.gap(ContinuityObjective.RPO).excess)
    '1:45:00'
    >>> check.gap(ContinuityObjective.RTO) is None, check.unchecked
    (True, (<ContinuityObjective.MBCO: 'mbco'>,))
    """

    activity: str = attrs.field(validator=is_key())
    recovery_time: dt.timedelta = attrs.field(validator=_is_duration)
    mtpd: dt.timedelta = attrs.field(validator=_is_positive_duration)
    rto: dt.timedelta = attrs.field(validator=_is_positive_duration)
    gaps: tuple[RecoveryGap, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=is_tuple_of(is_instance(RecoveryGap, "a RecoveryGap")),
    )
    unchecked: tuple[ContinuityObjective, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=is_tuple_of(is_enum(ContinuityObjective)),
    )

    @property
    def meets_objectives(self) -> bool:
        """Whether no checked objective is missed."""
        return not self.gaps

    @property
    def rto_margin(self) -> dt.timedelta:
        """Time to spare before the RTO (negative when late)."""
        return self.rto - self.recovery_time

    @property
    def mtpd_margin(self) -> dt.timedelta:
        """Time to spare before the MTPD (negative: impacts turn unacceptable)."""
        return self.mtpd - self.recovery_time

    def gap(self, objective: ContinuityObjective) -> RecoveryGap | None:
        """Return the gap on ``objective``, or ``None`` if it is met or unchecked."""
        if not isinstance(objective, ContinuityObjective):
            raise InvalidTypeError("objective", objective, "a ContinuityObjective")
        for gap in self.gaps:
            if gap.objective is objective:
                return gap
        return None


def check_recovery(
    activity: CriticalActivity,
    *,
    recovery_time: dt.timedelta,
    data_lost: dt.timedelta | None = None,
    service_level: float | None = None,
) -> RecoveryCheck:
    """Check a planned recovery against an activity's objectives; report the gaps.

    The rules, each a gap when broken:

    * MTPD: ``recovery_time <= mtpd`` (resuming exactly at the MTPD is the
      limit, still tolerable);
    * RTO: ``recovery_time <= rto``;
    * RPO: ``data_lost <= rpo`` (checked when both are given);
    * MBCO: ``service_level >= mbco.fraction`` (checked when both are given).

    A plan later than the MTPD also misses the RTO (the RTO is shorter), so it
    reports both gaps.

    Parameters
    ----------
    activity
        The `CriticalActivity`.
    recovery_time
        Planned time from the disruption until the activity is resumed, ≥ 0.
    data_lost
        Data the plan loses, counted in time back from the disruption (e.g.
        the age of the last backup it restores), ≥ 0; ``None`` if unknown.
    service_level
        Share of normal capacity the plan reaches on resuming, in [0, 1];
        ``None`` if unknown.

    Returns
    -------
    RecoveryCheck
        The gaps, the objectives that could not be checked, and the margins.

    Raises
    ------
    InvalidTypeError, ValidationError
        Naming the argument: a non-activity, a negative or non-timedelta
        time, a service level outside [0, 1].
    """
    if not isinstance(activity, CriticalActivity):
        raise InvalidTypeError("activity", activity, "a CriticalActivity")
    planned = _check_duration(recovery_time, "recovery_time", positive=False)
    assert planned is not None  # noqa: S101  narrowing for mypy
    lost = _check_duration(data_lost, "data_lost", positive=False, optional=True)
    level = (
        None
        if service_level is None
        else check_finite(service_level, "service_level", low=0.0, high=1.0)
    )
    gaps: list[RecoveryGap] = []
    unchecked: list[ContinuityObjective] = []
    if planned > activity.mtpd:
        gaps.append(
            RecoveryGap(
                objective=ContinuityObjective.MTPD,
                target=activity.mtpd,
                planned=planned,
            )
        )
    if planned > activity.rto:
        gaps.append(
            RecoveryGap(
                objective=ContinuityObjective.RTO, target=activity.rto, planned=planned
            )
        )
    if activity.rpo is not None:
        if lost is None:
            unchecked.append(ContinuityObjective.RPO)
        elif lost > activity.rpo:
            gaps.append(
                RecoveryGap(
                    objective=ContinuityObjective.RPO, target=activity.rpo, planned=lost
                )
            )
    if activity.mbco is not None:
        minimum = activity.mbco.fraction
        if minimum is None or level is None:
            unchecked.append(ContinuityObjective.MBCO)
        elif level < minimum:
            gaps.append(
                RecoveryGap(
                    objective=ContinuityObjective.MBCO,
                    target_level=minimum,
                    planned_level=level,
                )
            )
    return RecoveryCheck(
        activity=activity.key,
        recovery_time=planned,
        mtpd=activity.mtpd,
        rto=activity.rto,
        gaps=gaps,
        unchecked=unchecked,
    )


# --- the analysis as a whole ---------------------------------------------------------


@attrs.frozen(kw_only=True)
class DependencyGap:
    """An activity whose dependency is due back later than the activity itself.

    If checkout must resume within 1 hour (RTO) but the payment gateway it
    depends on only within 4 hours, checkout's RTO cannot be met: the
    dependency's RTO must not exceed the dependent's (ISO 22301:2019
    §8.2.2 h, dependencies; ISO/TS 22317).

    Attributes
    ----------
    activity, dependency
        Keys of the activity and of the activity it depends on.
    activity_rto, dependency_rto
        Their recovery time objectives.

    Examples
    --------
    >>> from datetime import timedelta
    >>> gap = DependencyGap(
    ...     activity="checkout",
    ...     dependency="payments",
    ...     activity_rto=timedelta(hours=1),
    ...     dependency_rto=timedelta(hours=4),
    ... )
    >>> str(gap.excess)
    '3:00:00'
    """

    activity: str = attrs.field(validator=is_key())
    dependency: str = attrs.field(validator=is_key())
    activity_rto: dt.timedelta = attrs.field(validator=_is_positive_duration)
    dependency_rto: dt.timedelta = attrs.field(validator=_is_positive_duration)

    @property
    def excess(self) -> dt.timedelta:
        """How much later the dependency is due than the activity needs it."""
        return self.dependency_rto - self.activity_rto


@attrs.frozen(kw_only=True)
class BusinessImpactAnalysis:
    """The critical activities of a business impact analysis, checked together.

    Attributes
    ----------
    activities
        The `CriticalActivity`s, at least one, unique keys; every dependency
        names one of them (an unknown key is reported with suggestions).
        Mutual dependencies are allowed: activities can depend on each other.

    Examples
    --------
    >>> from datetime import timedelta
    >>> hours = lambda n: timedelta(hours=n)
    >>> bia = BusinessImpactAnalysis(
    ...     activities=[
    ...         CriticalActivity(
    ...             key="checkout",
    ...             name="Checkout",
    ...             mtpd=hours(4),
    ...             rto=hours(1),
    ...             dependencies=["payments"],
    ...         ),
    ...         CriticalActivity(
    ...             key="payments", name="Payments", mtpd=hours(8), rto=hours(3)
    ...         ),
    ...     ]
    ... )
    >>> [activity.key for activity in bia.priority_order()]
    ['checkout', 'payments']
    >>> [
    ...     (gap.activity, gap.dependency, str(gap.excess))
    ...     for gap in bia.dependency_gaps()
    ... ]
    [('checkout', 'payments', '2:00:00')]
    """

    activities: tuple[CriticalActivity, ...] = attrs.field(
        converter=to_tuple,
        validator=is_tuple_of(
            is_instance(CriticalActivity, "a CriticalActivity"), min_length=1
        ),
    )
    _by_key: FrozenDict[str, CriticalActivity] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        """Check unique keys and known dependencies."""
        by_key: dict[str, CriticalActivity] = {}
        for activity in self.activities:
            if activity.key in by_key:
                raise DuplicateKeyError("critical activity", activity.key)
            by_key[activity.key] = activity
        for index, activity in enumerate(self.activities):
            for position, key in enumerate(activity.dependencies):
                if key not in by_key:
                    raise UnknownKeyError(
                        f"critical activity (in activities[{index}]"
                        f".dependencies[{position}])",
                        key,
                        by_key,
                    )
        object.__setattr__(self, "_by_key", FrozenDict(by_key))

    def activity(self, key: str) -> CriticalActivity:
        """Return the activity with ``key`` (`UnknownKeyError` with suggestions)."""
        if not isinstance(key, str):
            raise InvalidTypeError("key", key, "an activity key (str)")
        if key not in self._by_key:
            raise UnknownKeyError("critical activity", key, self._by_key)
        return self._by_key[key]

    def priority_order(self) -> tuple[CriticalActivity, ...]:
        """Return the activities in resumption order: by RTO, then MTPD, then order."""
        ranked = sorted(
            enumerate(self.activities),
            key=lambda item: (item[1].rto, item[1].mtpd, item[0]),
        )
        return tuple(activity for _, activity in ranked)

    def dependency_gaps(self) -> tuple[DependencyGap, ...]:
        """Return every dependency whose RTO is longer than its dependent's."""
        return tuple(
            DependencyGap(
                activity=activity.key,
                dependency=key,
                activity_rto=activity.rto,
                dependency_rto=self._by_key[key].rto,
            )
            for activity in self.activities
            for key in activity.dependencies
            if self._by_key[key].rto > activity.rto
        )

    def check_plan(
        self,
        recovery_times: Mapping[str, dt.timedelta],
        *,
        data_lost: Mapping[str, dt.timedelta] | None = None,
        service_levels: Mapping[str, float] | None = None,
    ) -> tuple[RecoveryCheck, ...]:
        """Run `check_recovery()` for every activity of a recovery plan.

        Parameters
        ----------
        recovery_times
            Planned time to resume, per activity key; every activity needs one.
        data_lost, service_levels
            Optional data lost and service level reached, per activity key.

        Returns
        -------
        tuple of RecoveryCheck
            One check per activity, in the analysis's order.

        Raises
        ------
        UnknownKeyError
            For a key that names no activity.
        ValidationError
            For an activity without a recovery time, or a bad value (named by
            its key, e.g. ``recovery_times['checkout']``).
        """
        extras = data_lost if data_lost is not None else {}
        levels = service_levels if service_levels is not None else {}
        for name, mapping in (
            ("recovery_times", recovery_times),
            ("data_lost", extras),
            ("service_levels", levels),
        ):
            if not isinstance(mapping, Mapping):
                raise InvalidTypeError(name, mapping, "a mapping of activity key")
            for key in mapping:
                if key not in self._by_key:
                    raise UnknownKeyError(
                        f"critical activity (in {name})", key, self._by_key
                    )
        missing = [key for key in self._by_key if key not in recovery_times]
        if missing:
            raise ValidationError(
                "recovery_times",
                missing,
                "a planned recovery time for every activity",
            )
        checks: list[RecoveryCheck] = []
        for activity in self.activities:
            key = activity.key
            try:
                checks.append(
                    check_recovery(
                        activity,
                        recovery_time=recovery_times[key],
                        data_lost=extras.get(key),
                        service_level=levels.get(key),
                    )
                )
            except (InvalidTypeError, ValidationError) as error:
                mapping_name = {
                    "recovery_time": "recovery_times",
                    "service_level": "service_levels",
                }.get(error.field, error.field)
                raise type(error)(
                    f"{mapping_name}[{key!r}]", error.value, error.expected
                ) from None
        return tuple(checks)
