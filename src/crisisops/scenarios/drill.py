"""Drills that run the whole loop on a synthetic shop, scored against the truth.

Book §4 asks a crisis team to rehearse (培訓與演練, 模擬演練): run a plausible
crisis end to end and see where the response breaks. `run_drill` does that on
one `ShopRun` of `crisisops.scenarios.shop`, whose shocks know when and where
they struck (`GroundTruth`):

1. **Warning** (book §3 關鍵指標監控): a rule set is calibrated with
   `crisisops.monitoring.calibrate` on a warm-up window that precedes every
   shock (mean ± k·σ per entity, the SPC limits) and evaluated in batch on the
   panel after it. The default rules watch GMV falling (``market.demand_shift``),
   the stock-out rate rising (``supply_chain.breakage``), the negative-review
   rate rising (``product.quality_safety``) and availability falling
   (``technical.system_failure``), each for ``persistence`` periods in a row.
2. **Declaration**: the alerts of one crisis type within the dedup window
   form one crisis (mode ``DRILL``), declared ``acknowledge_after`` +
   ``declare_after`` after the first alert fired; later alerts of the group
   are linked to it (`Crisis.link_origin`).
3. **Strategy** (book §4): a team is assembled (`assemble_team`) from the
   policy's roster, the crisis type's default playbook is activated, and its
   actions start as soon as their dependencies are done and take a sampled
   time (lognormal around the step's planned duration).
4. **Communication** (book §5.3): a plan from `plan_communication` is
   followed; every message slips by an exponential delay.
5. **Resolution and review** (book §6): the crisis is contained when its
   alerts clear, recovers when the true shock has also ended, is resolved
   then (or after ``max_duration``) and reviewed: late detection, late actions
   and missed updates each become a lesson with an improvement action.

The `DrillReport` scores the drill against the ground truth: per shock the
detection lag (first alert of a crisis of the shock's family, i.e. the part
of the crisis type before the dot, minus the onset), the missed shocks, the
false crises (crises none of whose alerts falls on an entity the shock moved
within ``[onset, end + match_after]``), late actions, communication cadence
met (`crisisops.response.cadence_adherence`) and the GMV lost to the shocks
and to stock-outs.

A panel period is stamped with its start; like `Origin.from_alert`, the drill
takes an alert as seen at its period's timestamp, so a rule that needs ``n``
periods in a row detects a shock that starts a period ``n - 1`` periods after
its onset.

Examples
--------
>>> import datetime as dt
>>> from crisisops.scenarios import DemandShift, ShopProfile, simulate_shop
>>> from crisisops.scenarios.drill import DrillPolicy, run_drill
>>> start = dt.datetime(2026, 3, 2, tzinfo=dt.timezone(dt.timedelta(hours=8)))
>>> profile = ShopProfile.default(start, skus=40, days=90)
>>> slump = DemandShift(
...     key="slump",
...     onset=start + dt.timedelta(days=70),
...     end=start + dt.timedelta(days=80),
...     traffic_factor=0.3,
... )
>>> run = simulate_shop(profile, [slump], seed=1)
>>> report = run_drill(run, seed=7)
>>> (score,) = report.shocks
>>> score.detection_lag  # GMV below its bound two days running: 1 day
datetime.timedelta(days=1)
>>> report.false_crises, report.missed_shocks
((), ())
>>> report.crises[0].status.value
'reviewed'

The report is plain data: a `ShockScore` per shock, a `CrisisScore` per
crisis, a `DrillSummary` of the whole drill. A `DrillScope` says which rows
the rules watch (the shop row by default).

>>> from crisisops.scenarios.drill import CrisisScore, DrillReport, DrillScope
>>> from crisisops.scenarios.drill import DrillSummary, ShockScore
>>> isinstance(score, ShockScore), score.crises
(True, ('drill_001',))
>>> (crisis_score,) = report.scores
>>> isinstance(crisis_score, CrisisScore), crisis_score.is_false
(True, False)
>>> summary = report.summary
>>> isinstance(summary, DrillSummary), summary.detected, summary.false_crises
(True, 1, 0)
>>> report.policy.scope is DrillScope.SHOP
True
>>> from crisisops.serialization import from_data, to_data
>>> from_data(DrillReport, to_data(report)) == report
True

References
----------
Montgomery, Douglas C. 2019. *Introduction to Statistical Quality Control*.
8th ed. Hoboken, NJ: Wiley. §6. (Mean ± k·σ control limits.)
Law, Averill M. 2015. *Simulation Modeling and Analysis*. 5th ed. New York:
McGraw-Hill. §6.2. (Lognormal task durations.)
PagerDuty. *Incident Response Documentation*. https://response.pagerduty.com/.
(Acknowledge, declare, update cadence, post-mortem.)
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from crisisops._random import SeedLike, resolve_rng
from crisisops._time import span_text
from crisisops._validation import (
    check_progress,
    field_name,
    is_enum,
    is_finite,
    is_instance,
    is_key,
    is_optional,
    is_tuple_of,
    to_tuple,
)
from crisisops.errors import InvalidTypeError, ValidationError
from crisisops.monitoring import (
    Above,
    Alert,
    AllOf,
    Below,
    BoundSpec,
    Calibrated,
    Consecutive,
    MeanSigma,
    Raw,
    Side,
    Threshold,
    Tier,
    TriggerRule,
    calibrate,
    evaluate,
)
from crisisops.planning import Member, Playbook, assemble_team, default_playbooks
from crisisops.response import (
    Crisis,
    CrisisMode,
    Origin,
    cadence_adherence,
)
from crisisops.review import (
    ImprovementAction,
    ImprovementKind,
    Lesson,
    LessonKind,
    LessonTheme,
    Review,
    close_crisis,
)
from crisisops.scenarios.shocks import GroundTruth
from crisisops.scenarios.shop import ShopRun
from crisisops.stakeholders import (
    CommunicationPlan,
    Stakeholder,
    StakeholderGraph,
    plan_communication,
)
from crisisops.taxonomy import ResponseLevel, default_catalog

FloatArray = npt.NDArray[np.float64]

__all__ = [
    "CrisisScore",
    "DrillPolicy",
    "DrillReport",
    "DrillScope",
    "DrillSummary",
    "ShockScore",
    "default_drill_roster",
    "default_drill_rules",
    "run_drill",
]

_DAY = dt.timedelta(days=1)
_MINUTE = dt.timedelta(minutes=1)


# --- validators -----------------------------------------------------------------------


def _int_at_least(low: int) -> Any:  # noqa: ANN401  an attrs validator
    def validate(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
        name = field_name(attribute)
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidTypeError(name, value, "an int")
        if value < low:
            raise ValidationError(name, value, f"an int >= {low}")

    return validate


def _span(*, positive: bool) -> Any:  # noqa: ANN401  an attrs validator
    def validate(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
        name = field_name(attribute)
        if not isinstance(value, dt.timedelta):
            raise InvalidTypeError(name, value, "a datetime.timedelta")
        if value < dt.timedelta(0) or (positive and value == dt.timedelta(0)):
            raise ValidationError(
                name, value, "a duration > 0" if positive else "a duration >= 0"
            )

    return validate


def _to_float(value: Any) -> Any:  # noqa: ANN401  the validator reports odd input
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _positive_float(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    is_finite(low=0.0)(_instance, attribute, value)
    if value <= 0:
        raise ValidationError(field_name(attribute), value, "a number > 0")


def _check_rules(instance: DrillPolicy, attribute: Any, value: Any) -> None:  # noqa: ANN401
    is_tuple_of(is_instance(TriggerRule, "a TriggerRule"))(instance, attribute, value)
    names = [rule.name for rule in value]
    for index, name in enumerate(names):
        if name in names[:index]:
            raise ValidationError(f"rules[{index}].name", name, "a unique rule name")


def _check_roster(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    is_tuple_of(is_instance(Member, "a planning.Member"))(_instance, attribute, value)
    keys = [member.key for member in value]
    for index, key in enumerate(keys):
        if key in keys[:index]:
            raise ValidationError(f"roster[{index}].key", key, "a unique member key")


# --- the policy -----------------------------------------------------------------------


class DrillScope(enum.Enum):
    """Which panel rows the rules watch.

    ``SHOP`` watches the shop row only (one alert stream per rule: few false
    alarms, but a shock on a few SKUs may hide in the total); ``ALL`` watches
    every SKU as well.
    """

    SHOP = "shop"
    ALL = "all"


#: One member per role of `crisisops.planning.default_roles()`: key, name, roles.
_ROSTER: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("mei", "Lin Mei 林美", ("crisis_lead", "senior_management")),
    ("jun", "Chen Jun 陳俊", ("deputy_lead", "crisis_lead")),
    ("wei", "Wang Wei 王偉", ("ops_expert", "supply_chain_lead")),
    ("yu", "Fang Yu 方宇", ("marketing_pr", "comms_liaison")),
    ("lan", "Zhang Lan 張蘭", ("customer_service",)),
    ("kai", "Zhou Kai 周凱", ("tech_maintenance", "security_lead")),
    ("hao", "Wu Hao 吳浩", ("data_analyst", "scribe")),
    ("lin", "Xu Lin 徐琳", ("legal_counsel", "finance_lead")),
)


def default_drill_roster() -> tuple[Member, ...]:
    """Return the drill's default roster: eight people covering every default role.

    Examples
    --------
    >>> [member.key for member in default_drill_roster()][:3]
    ['mei', 'jun', 'wei']
    """
    return tuple(
        Member(key=key, name=name, roles=roles) for key, name, roles in _ROSTER
    )


def _default_graph() -> StakeholderGraph:
    return StakeholderGraph(
        stakeholders=[
            Stakeholder(
                key="staff", name="Shop staff", kind="employees", power=0.5,
                legitimacy=0.9, urgency=0.8, interest=0.9,
            ),
            Stakeholder(
                key="buyers", name="Buyers", kind="customers", power=0.6,
                legitimacy=0.9, urgency=0.9, interest=0.8,
            ),
        ]
    )  # fmt: skip


@attrs.frozen(kw_only=True)
class DrillPolicy:
    """How a drill detects, declares, responds, communicates and closes.

    Attributes
    ----------
    warmup_days
        Days at the start of the run used to calibrate the rules (default 56:
        eight weeks); every shock must start after them, and rules are only
        evaluated after them.
    k
        The ``k`` of the calibrated mean ± k·σ bounds (default 4.0: about one
        false breach in 30,000 periods for normal noise, so a year of four
        rules with two-period persistence raises no false crisis).
    persistence
        Periods in a row a bound must be breached before an alert fires
        (default 2).
    stockout_floor
        The stock-out rate the default stock-out rule needs as well as its
        calibrated bound (default 0.1: a tenth of the SKUs out), since the
        calibrated bound of a shop that never runs out is about zero.
    level
        The response level the default rules fire at (default ``III``).
    scope
        Which rows the rules watch (default `DrillScope.SHOP`).
    rules
        Rules to use instead of the defaults (with ``bounds``); empty for
        `default_drill_rules`.
    bounds
        The `BoundSpec` values ``rules`` refer to (calibrated on the warm-up
        window); ignored with the default rules.
    dedup_window
        An alert of a crisis type joins that type's last crisis if it fires
        at most this long after the crisis resolves (default 3 days).
    acknowledge_after, declare_after
        From the alert to its acknowledgement (default 30 min), and from there
        to the declaration (default 90 min).
    confirm_after
        From declaration to confirmation and playbook activation (default
        1 h).
    action_sigma
        σ of the log of an action's duration; its median is the step's planned
        duration (default 0.5).
    message_lead
        How long before an update is due its owner aims to send it (default
        15 min).
    message_slip
        Mean of the exponential delay of every message after the moment its
        owner aimed for (default 10 min): a message is late with probability
        ``exp(-message_lead / message_slip)``, 22% by default.
    match_after
        How long after a shock ends its effects may still raise an alert that
        counts for it (default 14 days: stock takes time to refill).
    max_duration
        A crisis is resolved at most this long after its declaration (default
        30 days).
    late_detection
        A detection lag above this is late: the review asks for a DETECT
        improvement (default 2 days).
    review_after
        From resolution to the review (default 2 days).
    roster
        The people the team is assembled from (default `default_drill_roster`).
    stakeholders
        The stakeholder graph the communication plan addresses (default: shop
        staff and buyers).
    """

    warmup_days: int = attrs.field(default=56, validator=_int_at_least(14))
    k: float = attrs.field(default=4.0, converter=_to_float, validator=_positive_float)
    persistence: int = attrs.field(default=2, validator=_int_at_least(1))
    stockout_floor: float = attrs.field(
        default=0.1, converter=_to_float, validator=is_finite(low=0.0, high=1.0)
    )
    level: ResponseLevel = attrs.field(
        default=ResponseLevel.III, validator=is_enum(ResponseLevel)
    )
    scope: DrillScope = attrs.field(
        default=DrillScope.SHOP, validator=is_enum(DrillScope)
    )
    rules: tuple[TriggerRule, ...] = attrs.field(
        default=(), converter=to_tuple, validator=_check_rules
    )
    bounds: tuple[BoundSpec, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=is_tuple_of(is_instance(BoundSpec, "a BoundSpec")),
    )
    dedup_window: dt.timedelta = attrs.field(
        default=dt.timedelta(days=3), validator=_span(positive=False)
    )
    acknowledge_after: dt.timedelta = attrs.field(
        default=dt.timedelta(minutes=30), validator=_span(positive=False)
    )
    declare_after: dt.timedelta = attrs.field(
        default=dt.timedelta(minutes=90), validator=_span(positive=False)
    )
    confirm_after: dt.timedelta = attrs.field(
        default=dt.timedelta(hours=1), validator=_span(positive=True)
    )
    action_sigma: float = attrs.field(
        default=0.5, converter=_to_float, validator=is_finite(low=0.0, high=3.0)
    )
    message_lead: dt.timedelta = attrs.field(
        default=dt.timedelta(minutes=15), validator=_span(positive=False)
    )
    message_slip: dt.timedelta = attrs.field(
        default=dt.timedelta(minutes=10), validator=_span(positive=False)
    )
    match_after: dt.timedelta = attrs.field(
        default=dt.timedelta(days=14), validator=_span(positive=False)
    )
    max_duration: dt.timedelta = attrs.field(
        default=dt.timedelta(days=30), validator=_span(positive=True)
    )
    late_detection: dt.timedelta = attrs.field(
        default=dt.timedelta(days=2), validator=_span(positive=False)
    )
    review_after: dt.timedelta = attrs.field(
        default=dt.timedelta(days=2), validator=_span(positive=True)
    )
    roster: tuple[Member, ...] = attrs.field(
        factory=default_drill_roster, converter=to_tuple, validator=_check_roster
    )
    stakeholders: StakeholderGraph = attrs.field(
        factory=_default_graph,
        validator=is_instance(StakeholderGraph, "a StakeholderGraph"),
    )

    def __attrs_post_init__(self) -> None:
        """Check that custom bounds come with custom rules and have unique names."""
        if self.bounds and not self.rules:
            raise ValidationError(
                "bounds", len(self.bounds), "no bounds without custom rules"
            )
        names = [spec.name for spec in self.bounds]
        for index, name in enumerate(names):
            if name in names[:index]:
                raise ValidationError(f"bounds[{index}].name", name, "a unique name")

    def rule_set(self) -> tuple[tuple[TriggerRule, ...], tuple[BoundSpec, ...]]:
        """Return the rules and bound specs the drill uses."""
        if self.rules:
            return self.rules, self.bounds
        return default_drill_rules(
            k=self.k,
            persistence=self.persistence,
            stockout_floor=self.stockout_floor,
            level=self.level,
        )


def default_drill_rules(
    *,
    k: float = 4.0,
    persistence: int = 2,
    stockout_floor: float = 0.1,
    level: ResponseLevel = ResponseLevel.III,
) -> tuple[tuple[TriggerRule, ...], tuple[BoundSpec, ...]]:
    """Return the default drill rules and the bounds to calibrate for them.

    Four rules, one per family of book §2 that the shop's KPIs show at once:
    GMV below mean − k·σ (``market.demand_shift``), stock-out rate above
    mean + k·σ and ``stockout_floor`` (``supply_chain.breakage``), negative
    review rate above mean + k·σ (``product.quality_safety``), availability
    below mean − k·σ (``technical.system_failure``); each for
    ``persistence`` periods in a row, at ``level``.

    Examples
    --------
    >>> rules, bounds = default_drill_rules()
    >>> [rule.name for rule in rules]
    ['gmv_slump', 'stockout_surge', 'negative_reviews_up', 'availability_down']
    >>> bounds[0].name, bounds[0].metric
    ('gmv_low', 'sales.gmv')
    """
    policy = DrillPolicy(
        k=k, persistence=persistence, stockout_floor=stockout_floor, level=level
    )
    watched = (
        ("gmv_slump", "sales.gmv", "gmv_low", Side.LOWER, "market.demand_shift"),
        (
            "stockout_surge",
            "supply.stockout_rate",
            "stockout_high",
            Side.UPPER,
            "supply_chain.breakage",
        ),
        (
            "negative_reviews_up",
            "feedback.negative_review_rate",
            "negative_high",
            Side.UPPER,
            "product.quality_safety",
        ),
        (
            "availability_down",
            "tech.availability",
            "availability_low",
            Side.LOWER,
            "technical.system_failure",
        ),
    )
    rules: list[TriggerRule] = []
    bounds: list[BoundSpec] = []
    for name, metric, bound, side, crisis_type in watched:
        bounds.append(
            BoundSpec(name=bound, metric=metric, method=MeanSigma(policy.k, side=side))
        )
        predicate = (
            Below(Calibrated(bound)) if side is Side.LOWER else Above(Calibrated(bound))
        )
        condition: Any = Threshold(signal=Raw(metric), predicate=predicate)
        if name == "stockout_surge":
            floor = Threshold(
                signal=Raw(metric),
                predicate=Above(policy.stockout_floor, inclusive=True),
            )
            condition = AllOf([condition, floor])
        direction = "below" if side is Side.LOWER else "above"
        rules.append(
            TriggerRule(
                name=name,
                crisis_type=crisis_type,
                tiers=[Tier(policy.level, condition)],
                persistence=Consecutive(policy.persistence),
                description=(
                    f"{metric} {direction} its calibrated mean "
                    f"{'-' if side is Side.LOWER else '+'} {policy.k:g}·σ, "
                    f"{policy.persistence} periods in a row"
                ),
            )
        )
    return tuple(rules), tuple(bounds)


# --- the report -----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ShockScore:
    """How the drill did against one shock.

    Attributes
    ----------
    shock
        The shock's key.
    crisis_type
        Its true crisis type.
    onset
        When it started.
    detected_at
        When the first alert of a crisis of the shock's family that matches
        it fired; ``None`` if missed.
    crises
        Keys of the crises that match it (any family).
    """

    shock: str = attrs.field(validator=is_key())
    crisis_type: str = attrs.field(validator=is_key())
    onset: dt.datetime = attrs.field(validator=is_instance(dt.datetime, "a datetime"))
    detected_at: dt.datetime | None = attrs.field(
        validator=is_optional(is_instance(dt.datetime, "a datetime"))
    )
    crises: tuple[str, ...] = attrs.field(
        converter=to_tuple, validator=is_tuple_of(is_key())
    )

    @property
    def detected(self) -> bool:
        """Whether a crisis of the right family matched the shock."""
        return self.detected_at is not None

    @property
    def detection_lag(self) -> dt.timedelta | None:
        """``detected_at - onset``; ``None`` if missed."""
        return None if self.detected_at is None else self.detected_at - self.onset


@attrs.frozen(kw_only=True)
class CrisisScore:
    """How one drill crisis went.

    Attributes
    ----------
    crisis
        The crisis's key.
    crisis_type
        The type it was declared with (its rule's).
    shocks
        Keys of the shocks it matches; empty for a false crisis.
    actions
        Actions of its playbook.
    actions_late
        Actions completed after their due time or not completed at all.
    cadence_adherence
        Share of the plan's update deadlines met (`cadence_adherence` at
        resolution); ``None`` when none was settled.
    """

    crisis: str = attrs.field(validator=is_key())
    crisis_type: str = attrs.field(validator=is_key())
    shocks: tuple[str, ...] = attrs.field(
        converter=to_tuple, validator=is_tuple_of(is_key())
    )
    actions: int = attrs.field(validator=_int_at_least(0))
    actions_late: int = attrs.field(validator=_int_at_least(0))
    cadence_adherence: float | None = attrs.field(
        validator=is_optional(is_finite(low=0.0, high=1.0))
    )

    @property
    def is_false(self) -> bool:
        """Whether the crisis matches no shock (a false alarm)."""
        return not self.shocks


@attrs.frozen(kw_only=True)
class DrillSummary:
    """The drill in a handful of numbers.

    Attributes
    ----------
    shocks, detected, missed, crises, false_crises
        Counts.
    mean_detection_lag
        Mean lag over the detected shocks; ``None`` if none was.
    actions, actions_late
        Playbook actions over every crisis, and how many were late.
    cadence_adherence
        Mean adherence over the crises that have one; ``None`` if none has.
    estimated_loss
        GMV lost to the shocks and to stock-outs
        (`DrillReport.estimated_loss`).
    """

    shocks: int
    detected: int
    missed: int
    crises: int
    false_crises: int
    mean_detection_lag: dt.timedelta | None
    actions: int
    actions_late: int
    cadence_adherence: float | None
    estimated_loss: float


@attrs.frozen(kw_only=True)
class DrillReport:
    """A drill as plain data: the crises, their reviews and the score.

    Attributes
    ----------
    run_index
        Which run of the `ShopRun` was drilled.
    policy
        The policy used.
    crises
        The drill crises (mode ``DRILL``), reviewed, in declaration order.
    reviews
        Their reviews (closed), in the same order.
    shocks
        One `ShockScore` per shock of the run.
    scores
        One `CrisisScore` per crisis.
    estimated_loss
        GMV lost to the shocks and to stock-outs: expected demand under the
        baseline drivers minus under the shocked ones (traffic × conversion
        × price, where positive), plus every order lost to a stock-out at its
        price. Ordinary stock-outs count too, so a run without a shock
        reports a small loss; compare against a no-shock run of the same
        seed to isolate what the shocks cost.
    """

    run_index: int = attrs.field(validator=_int_at_least(0))
    policy: DrillPolicy = attrs.field(
        validator=is_instance(DrillPolicy, "a DrillPolicy")
    )
    crises: tuple[Crisis, ...] = attrs.field(
        converter=to_tuple, validator=is_tuple_of(is_instance(Crisis, "a Crisis"))
    )
    reviews: tuple[Review, ...] = attrs.field(
        converter=to_tuple, validator=is_tuple_of(is_instance(Review, "a Review"))
    )
    shocks: tuple[ShockScore, ...] = attrs.field(
        converter=to_tuple,
        validator=is_tuple_of(is_instance(ShockScore, "a ShockScore")),
    )
    scores: tuple[CrisisScore, ...] = attrs.field(
        converter=to_tuple,
        validator=is_tuple_of(is_instance(CrisisScore, "a CrisisScore")),
    )
    estimated_loss: float = attrs.field(
        converter=_to_float, validator=is_finite(low=0.0)
    )

    @property
    def missed_shocks(self) -> tuple[str, ...]:
        """Keys of the shocks no crisis of their family detected."""
        return tuple(score.shock for score in self.shocks if not score.detected)

    @property
    def false_crises(self) -> tuple[str, ...]:
        """Keys of the crises that match no shock."""
        return tuple(score.crisis for score in self.scores if score.is_false)

    @property
    def summary(self) -> DrillSummary:
        """The drill in a handful of numbers."""
        lags = [s.detection_lag for s in self.shocks if s.detection_lag is not None]
        adherence = [
            s.cadence_adherence for s in self.scores if s.cadence_adherence is not None
        ]
        return DrillSummary(
            shocks=len(self.shocks),
            detected=len(lags),
            missed=len(self.missed_shocks),
            crises=len(self.crises),
            false_crises=len(self.false_crises),
            mean_detection_lag=(
                sum(lags, dt.timedelta(0)) / len(lags) if lags else None
            ),
            actions=sum(s.actions for s in self.scores),
            actions_late=sum(s.actions_late for s in self.scores),
            cadence_adherence=(float(np.mean(adherence)) if adherence else None),
            estimated_loss=self.estimated_loss,
        )


# --- the drill ------------------------------------------------------------------------


def _family(crisis_type: str) -> str:
    return crisis_type.split(".", 1)[0]


@attrs.define
class _Group:
    """Alerts of one crisis type that make one crisis."""

    crisis_type: str
    alerts: list[Alert]
    shocks: list[GroundTruth]
    first: dt.datetime
    clear: dt.datetime
    close: dt.datetime


def _matches(alert: Alert, truth: GroundTruth, policy: DrillPolicy) -> bool:
    return (
        alert.entity in truth.entities
        and truth.onset <= alert.first_breach_at
        and alert.fired_at <= truth.end + policy.match_after
    )


def _close_times(
    group: _Group, policy: DrillPolicy, horizon: dt.datetime
) -> tuple[dt.datetime, dt.datetime]:
    """Return when the group's KPIs clear and when its crisis resolves."""
    clear = max(
        (horizon if alert.resolved_at is None else alert.resolved_at)
        for alert in group.alerts
    )
    ended = max([clear, *(truth.end for truth in group.shocks)])
    declared = group.first + policy.acknowledge_after + policy.declare_after
    return clear, min(ended, declared + policy.max_duration)


def _group_alerts(
    alerts: Iterable[Alert],
    truths: tuple[GroundTruth, ...],
    policy: DrillPolicy,
    horizon: dt.datetime,
) -> list[_Group]:
    groups: list[_Group] = []
    last: dict[str, _Group] = {}
    for alert in sorted(alerts, key=lambda a: (a.fired_at, a.rule, a.entity)):
        matched = [t for t in truths if _matches(alert, t, policy)]
        group = last.get(alert.crisis_type)
        if group is not None and alert.fired_at <= group.close + policy.dedup_window:
            declared = group.first + policy.acknowledge_after + policy.declare_after
            if alert.fired_at < declared + policy.max_duration:
                group.alerts.append(alert)
                group.shocks.extend(t for t in matched if t not in group.shocks)
                group.clear, group.close = _close_times(group, policy, horizon)
                continue
        group = _Group(
            alert.crisis_type, [alert], matched, alert.fired_at, horizon, horizon
        )
        group.clear, group.close = _close_times(group, policy, horizon)
        groups.append(group)
        last[alert.crisis_type] = group
    return groups


def _playbook(crisis_type: str, level: ResponseLevel) -> Playbook | None:
    found = default_playbooks().defaults_for(default_catalog()[crisis_type])
    return next((p for p in found if p.covers(level)), None)


class _Timeline:
    """Commands on one crisis, collected out of order and applied in time order.

    Each item names a `Crisis` command and its keyword arguments; ties at the
    same moment go by ``rank`` (e.g. completing an action before starting the
    one that depends on it), then by insertion.
    """

    def __init__(self) -> None:
        self.items: list[tuple[dt.datetime, int, int, str, dict[str, Any]]] = []

    def add(self, at: dt.datetime, rank: int, command: str, **arguments: Any) -> None:  # noqa: ANN401
        self.items.append((at, rank, len(self.items), command, {"at": at, **arguments}))

    def apply(self, crisis: Crisis) -> Crisis:
        for _at, _rank, _order, command, arguments in sorted(
            self.items, key=lambda item: item[:3]
        ):
            crisis = getattr(crisis, command)(**arguments)
        return crisis


def _schedule_actions(
    playbook: Playbook,
    activated: dt.datetime,
    rng: np.random.Generator,
    sigma: float,
) -> dict[str, tuple[dt.datetime, dt.datetime]]:
    """Return ``{step: (start, done)}`` in dependency order, sampled durations."""
    steps = {step.key: step for step in playbook.steps}
    order: list[str] = []
    pending = list(steps)
    while pending:  # a handful of steps; the playbook is acyclic
        ready = [
            key for key in pending if all(dep in order for dep in steps[key].depends_on)
        ]
        order.extend(ready)
        pending = [key for key in pending if key not in ready]
    hours = np.array([steps[key].duration / dt.timedelta(hours=1) for key in order])
    sampled = hours * np.exp(sigma * rng.standard_normal(len(order)))
    times: dict[str, tuple[dt.datetime, dt.datetime]] = {}
    for key, length in zip(order, sampled, strict=True):
        start = max(
            [activated + _MINUTE, *(times[dep][1] for dep in steps[key].depends_on)]
        )
        done = start + dt.timedelta(hours=float(max(length, 1 / 60)))
        times[key] = (start, done)
    return times


def _messages(
    plan: CommunicationPlan,
    resolve_at: dt.datetime,
    rng: np.random.Generator,
    lead: dt.timedelta,
    slip: dt.timedelta,
) -> dict[str, list[dt.datetime]]:
    """Return the message times of every group: aimed early, then slipping."""
    mean = slip / dt.timedelta(minutes=1)
    sent: dict[str, list[dt.datetime]] = {}
    for group in plan.groups:
        start = plan.at
        times: list[dt.datetime] = []
        due = plan.step(group).first_message_due
        while due < resolve_at and len(times) < 500:
            delay = dt.timedelta(minutes=float(rng.exponential(mean or 0.0)))
            moment = max(due - lead + delay, start)
            if moment >= resolve_at:
                break
            times.append(moment)
            start = moment
            due = plan.next_update_due(group, moment)
        sent[group] = times
    return sent


def _holder(assignments: Mapping[str, tuple[str, ...]], role: str, lead: str) -> str:
    members = assignments.get(role, ())
    return members[0] if members else lead


def _lessons(  # noqa: PLR0913  what the review derives lessons from
    review: Review,
    crisis: Crisis,
    *,
    lag: dt.timedelta | None,
    late: int,
    adherence: float | None,
    false_alarm: bool,
    policy: DrillPolicy,
    at: dt.datetime,
) -> Review:
    lead = crisis.lead
    due = at + dt.timedelta(days=14)
    found: list[tuple[Lesson, ImprovementKind | None, str]] = []
    if false_alarm:
        found.append(
            (
                Lesson(
                    key="false_alarm",
                    kind=LessonKind.WENT_POORLY,
                    theme=LessonTheme.SENSITIVITY,
                    text="The crisis matched no shock: its trigger fired on noise.",
                ),
                ImprovementKind.DETECT,
                "Re-tune the trigger that fired without a crisis",
            )
        )
    if lag is not None and lag > policy.late_detection:
        found.append(
            (
                Lesson(
                    key="late_detection",
                    kind=LessonKind.WENT_POORLY,
                    theme=LessonTheme.DATA_MONITORING,
                    text=f"Detected {span_text(lag)} after the shock began.",
                ),
                ImprovementKind.DETECT,
                "Add an earlier indicator for this crisis type",
            )
        )
    if late:
        found.append(
            (
                Lesson(
                    key="late_actions",
                    kind=LessonKind.WENT_POORLY,
                    theme=LessonTheme.SPEED,
                    text=f"{late} playbook action(s) finished after their deadline.",
                ),
                ImprovementKind.PROCESS,
                "Revisit the playbook's deadlines and staffing",
            )
        )
    if adherence is not None and adherence < 1.0:
        found.append(
            (
                Lesson(
                    key="missed_updates",
                    kind=LessonKind.WENT_POORLY,
                    theme=LessonTheme.COMMUNICATION,
                    text=f"Updates met their cadence {adherence:.0%} of the time.",
                ),
                ImprovementKind.TRAINING,
                "Rehearse the update cadence with the comms owners",
            )
        )
    if not found:
        found.append(
            (
                Lesson(
                    key="on_plan",
                    kind=LessonKind.WENT_WELL,
                    theme=LessonTheme.SPEED,
                    text="Detected in time; every action and update met its deadline.",
                ),
                None,
                "",
            )
        )
    for lesson, kind, title in found:
        review = review.add_lesson(lesson, at=at, actor=lead)
        if kind is not None:
            action = ImprovementAction(
                key=f"improve_{lesson.key}",
                title=title,
                kind=kind,
                owner=lead,
                created_at=at,
                due_at=due,
                lesson=lesson.key,
            )
            review = review.add_improvement(action, at=at, actor=lead)
    return review


@attrs.frozen(kw_only=True)
class _Setup:
    """What a crisis starts with: when, who, which plans."""

    key: str
    group: _Group
    level: ResponseLevel
    lead: str
    assignments: dict[str, tuple[str, ...]]
    declared: dt.datetime
    confirmed: dt.datetime
    resolve_at: dt.datetime
    plan: CommunicationPlan


def _declare(
    key: str, group: _Group, policy: DrillPolicy, horizon: dt.datetime
) -> tuple[Crisis, _Setup]:
    declared = group.first + policy.acknowledge_after + policy.declare_after
    origins = [Origin.from_alert(a) for a in group.alerts if a.fired_at <= declared]
    first = group.alerts[0].level
    level = policy.level if first is None else first
    team = assemble_team(group.crisis_type, level, policy.roster, at=declared)
    lead = team.lead or policy.roster[0].key
    crisis = Crisis.declare(
        key,
        title=f"Drill: {group.crisis_type} on {group.alerts[0].entity}",
        crisis_type=group.crisis_type,
        level=level,
        at=declared,
        actor=lead,
        lead=lead,
        mode=CrisisMode.DRILL,
        origins=origins,
        summary=f"{len(origins)} alert(s): " + ", ".join(o.summary for o in origins),
    )
    confirmed = declared + policy.confirm_after
    _, resolve_at = _close_times(group, policy, horizon)
    setup = _Setup(
        key=key,
        group=group,
        level=level,
        lead=lead,
        assignments=dict(team.assignments),
        declared=declared,
        confirmed=confirmed,
        resolve_at=max(resolve_at, confirmed + 3 * _MINUTE),
        plan=plan_communication(
            group.crisis_type, level, policy.stakeholders, at=declared
        ),
    )
    return crisis, setup


def _organise(setup: _Setup, timeline: _Timeline) -> None:
    """Staff the crisis and confirm it."""
    lead = setup.lead
    for role, members in setup.assignments.items():
        for member in members:
            if role != "crisis_lead" or member != lead:
                timeline.add(
                    setup.declared + _MINUTE,
                    0,
                    "assign_role",
                    role=role,
                    member=member,
                    actor=lead,
                )
    cause = ", ".join(t.kind for t in setup.group.shocks) or "no cause found"
    timeline.add(
        setup.confirmed, 0, "confirm", actor=lead, root_cause=f"drill: {cause}"
    )


def _respond(
    setup: _Setup, timeline: _Timeline, rng: np.random.Generator, policy: DrillPolicy
) -> None:
    """Activate the playbook and run its actions on sampled durations."""
    playbook = _playbook(setup.group.crisis_type, setup.level)
    if playbook is None:
        return
    owners = {
        role: members[0] for role, members in setup.assignments.items() if members
    }
    timeline.add(
        setup.confirmed,
        1,
        "activate_playbook",
        playbook=playbook,
        actor=setup.lead,
        owners=owners,
    )
    times = _schedule_actions(playbook, setup.confirmed, rng, policy.action_sigma)
    for step in playbook.steps:
        start, done = times[step.key]
        name = f"{playbook.key}.{step.key}"
        owner = _holder(setup.assignments, step.owner_role, setup.lead)
        if start < setup.resolve_at:
            timeline.add(start, 3, "start_action", key=name, actor=owner)
        if done < setup.resolve_at:
            timeline.add(done, 2, "complete_action", key=name, actor=owner)


def _link_and_tell(
    setup: _Setup, timeline: _Timeline, rng: np.random.Generator, policy: DrillPolicy
) -> None:
    """Link later alerts and send the plan's messages."""
    for alert in setup.group.alerts:
        if setup.declared < alert.fired_at < setup.resolve_at:
            timeline.add(
                max(alert.fired_at, setup.confirmed),
                4,
                "link_origin",
                origin=Origin.from_alert(alert),
                actor=setup.lead,
            )
    plan = setup.plan
    sent = _messages(
        plan, setup.resolve_at, rng, policy.message_lead, policy.message_slip
    )
    for audience, moments in sent.items():
        step = plan.step(audience)
        for moment in moments:
            timeline.add(
                moment,
                5,
                "record_communication",
                actor=_holder(setup.assignments, step.owner_role, setup.lead),
                audience=audience,
                channel=step.channels[0],
                internal=step.internal,
                summary=f"Drill update to {audience}.",
                next_update_at=plan.next_update_due(audience, moment),
            )


def _close(crisis: Crisis, setup: _Setup) -> Crisis:
    """Cancel what is unfinished, contain, recover, tell everyone, resolve."""
    lead = setup.lead
    end = max(setup.resolve_at, crisis.last_event_at + 3 * _MINUTE)
    for action in crisis.actions:
        if action.completed_at is None and action.cancelled_at is None:
            crisis = crisis.cancel_action(
                action.key,
                at=end - 3 * _MINUTE,
                actor=lead,
                reason="the crisis was resolved before it was done",
            )
    contained = min(max(setup.group.clear, crisis.last_event_at), end - 2 * _MINUTE)
    crisis = crisis.mark_contained(at=contained, actor=lead, summary="alerts cleared")
    crisis = crisis.mark_recovered(at=end - _MINUTE, actor=lead, summary="KPIs back")
    plan = setup.plan
    for audience in plan.groups:
        step = plan.step(audience)
        crisis = crisis.record_communication(
            at=end,
            actor=_holder(setup.assignments, step.owner_role, lead),
            audience=audience,
            channel=step.channels[0],
            internal=step.internal,
            summary=f"Drill over: {audience} informed.",
            final=True,
        )
    return crisis.resolve(at=end, actor=lead, summary="drill resolved")


def _run_crisis(  # noqa: PLR0913  one crisis from alerts to review
    key: str,
    group: _Group,
    policy: DrillPolicy,
    rng: np.random.Generator,
    *,
    lag: dt.timedelta | None,
    horizon: dt.datetime,
) -> tuple[Crisis, Review, CrisisScore]:
    crisis, setup = _declare(key, group, policy, horizon)
    timeline = _Timeline()
    _organise(setup, timeline)
    _respond(setup, timeline, rng, policy)
    _link_and_tell(setup, timeline, rng, policy)
    crisis = _close(timeline.apply(crisis), setup)
    end = crisis.last_event_at
    adherence = cadence_adherence(crisis, setup.plan, as_of=end)
    late = sum(
        1
        for action in crisis.actions
        if action.completed_at is None or action.completed_at > action.due_at
    )
    shock_keys = tuple(t.shock for t in group.shocks)
    review_at = end + policy.review_after
    review = Review.draft(
        crisis,
        key=f"review_{key}",
        at=review_at,
        owner=setup.lead,
        summary=(
            f"Drill of {group.crisis_type}: "
            + (f"shock(s) {', '.join(shock_keys)}." if shock_keys else "a false alarm.")
        ),
    )
    review = _lessons(
        review,
        crisis,
        lag=lag,
        late=late,
        adherence=adherence,
        false_alarm=not shock_keys,
        policy=policy,
        at=review_at,
    )
    review = review.submit(at=review_at, actor=setup.lead)
    review = review.approve(at=review_at, actor=setup.lead)
    review = review.close(at=review_at, actor=setup.lead)
    score = CrisisScore(
        crisis=key,
        crisis_type=group.crisis_type,
        shocks=shock_keys,
        actions=len(crisis.actions),
        actions_late=late,
        cadence_adherence=adherence,
    )
    return close_crisis(crisis, review), review, score


def estimated_losses(run: ShopRun, index: int | None = None) -> FloatArray:
    """Return the GMV lost to the shocks and to stock-outs, per run.

    Expected demand under the baseline drivers minus under the shocked ones
    (traffic × conversion × price, where positive), plus every order lost to
    a stock-out at its price; for every run of ``run`` (``index=None``) or
    only for run ``index``. A driver with a run axis of length 1 is shared by
    all runs. Used by `run_drill` and, over whole batches, by the what-ifs.
    """
    pick = slice(None) if index is None else slice(index, index + 1)

    def rows(array: Any) -> Any:  # noqa: ANN401  a driver array
        return array if array.shape[0] == 1 else array[pick]

    base, now = run.baseline, run.drivers
    wanted = rows(base.traffic) * rows(base.conversion) * rows(base.price)
    got = rows(now.traffic) * rows(now.conversion) * rows(now.price)
    shortfall = np.clip(wanted - got, 0.0, None)
    lost = rows(run.lost_orders) * rows(now.price)
    total: FloatArray = shortfall.sum(axis=(1, 2)) + lost.sum(axis=(1, 2))
    count = run.n_runs if index is None else 1
    losses: FloatArray = np.broadcast_to(total, (count,)).copy()
    return losses


def _check_run_inputs(
    run: object, policy: object, run_index: object
) -> tuple[ShopRun, DrillPolicy, int]:
    if not isinstance(run, ShopRun):
        raise InvalidTypeError("run", run, "a ShopRun")
    chosen = DrillPolicy() if policy is None else policy
    if not isinstance(chosen, DrillPolicy):
        raise InvalidTypeError("policy", policy, "a DrillPolicy")
    if isinstance(run_index, bool) or not isinstance(run_index, int):
        raise InvalidTypeError("run_index", run_index, "an int")
    if not 0 <= run_index < run.n_runs:
        raise ValidationError(
            "run_index", run_index, f"a run index in [0, {run.n_runs - 1}]"
        )
    periods_per_day = run.profile.periods_per_day
    warmup = chosen.warmup_days * periods_per_day
    if warmup >= run.profile.periods:
        raise ValidationError(
            "policy.warmup_days",
            chosen.warmup_days,
            f"fewer days than the run has ({run.profile.periods // periods_per_day})",
        )
    warm_end = run.timestamps[warmup]
    for index, truth in enumerate(run.ground_truth):
        if truth.onset < warm_end:
            raise ValidationError(
                "policy.warmup_days",
                chosen.warmup_days,
                f"a warm-up that ends before shocks[{index}] ({truth.shock}) "
                f"starts at {truth.onset.isoformat()}",
            )
    return run, chosen, warmup


def run_drill(
    run: ShopRun,
    *,
    policy: DrillPolicy | None = None,
    seed: SeedLike,
    run_index: int = 0,
    progress: Callable[[int, int], None] | None = None,
) -> DrillReport:
    """Run a drill over one run of a synthetic shop and score it (book §4 模擬演練).

    The steps are in the module docstring: calibrate on the warm-up window,
    evaluate the rules in batch after it, group alerts into crises, respond,
    communicate, resolve, review, score.

    Parameters
    ----------
    run
        The simulated shop, with its shocks and their ground truth.
    policy
        The drill policy (default ``DrillPolicy()``).
    seed
        Seed or Generator for action durations and message slippage.
    run_index
        Which run of ``run`` to drill (default 0).
    progress
        Optional ``progress(done, total)``: called once the rules have been
        evaluated (``done = 1``), then after each crisis has been run and
        reviewed; ``total`` is 1 + the number of crises (known once the
        alerts are grouped). It changes nothing in the report.

    Returns
    -------
    DrillReport
        The crises, reviews and scores.

    Raises
    ------
    InvalidTypeError
        For a ``run``, ``policy`` or ``run_index`` of the wrong type, or a
        ``progress`` that is not callable.
    ValidationError
        For a run index out of range, or a warm-up that reaches a shock's
        onset or the run's end (field ``policy.warmup_days``).
    UnknownKeyError
        If a custom rule or bound names a metric the run did not generate.
    """
    run, chosen, warmup = _check_run_inputs(run, policy, run_index)
    report = check_progress(progress)
    rng = resolve_rng(seed, "seed")
    panel = run.panel(run_index, shop_only=chosen.scope is DrillScope.SHOP)
    rules, bounds = chosen.rule_set()
    warm_end = run.timestamps[warmup]
    history = panel.slice(end=warm_end)
    thresholds = [calibrate(history, bounds, version="drill-warmup")] if bounds else []
    evaluation = evaluate(rules, panel.slice(start=warm_end), thresholds)
    horizon = run.profile.end
    truths = run.ground_truth
    groups = _group_alerts(evaluation.alerts, truths, chosen, horizon)
    steps = 1 + len(groups)
    if report is not None:
        report(1, steps)
    detected: dict[str, tuple[dt.datetime, str]] = {}
    for index, group in enumerate(groups):
        for truth in group.shocks:
            if _family(group.crisis_type) != _family(truth.crisis_type):
                continue
            fired = min(a.fired_at for a in group.alerts if _matches(a, truth, chosen))
            known = detected.get(truth.shock)
            if known is None or fired < known[0]:
                detected[truth.shock] = (fired, f"drill_{index + 1:03d}")
    crises: list[Crisis] = []
    reviews: list[Review] = []
    scores: list[CrisisScore] = []
    for index, group in enumerate(groups):
        key = f"drill_{index + 1:03d}"
        lags = [
            detected[t.shock][0] - t.onset
            for t in group.shocks
            if t.shock in detected and detected[t.shock][1] == key
        ]
        crisis, review, score = _run_crisis(
            key, group, chosen, rng, lag=max(lags) if lags else None, horizon=horizon
        )
        crises.append(crisis)
        reviews.append(review)
        scores.append(score)
        if report is not None:
            report(index + 2, steps)
    shock_scores = tuple(
        ShockScore(
            shock=truth.shock,
            crisis_type=truth.crisis_type,
            onset=truth.onset,
            detected_at=detected[truth.shock][0] if truth.shock in detected else None,
            crises=tuple(s.crisis for s in scores if truth.shock in s.shocks),
        )
        for truth in truths
    )
    return DrillReport(
        run_index=run_index % run.n_runs,
        policy=chosen,
        crises=crises,
        reviews=reviews,
        shocks=shock_scores,
        scores=scores,
        estimated_loss=float(estimated_losses(run, run_index)[0]),
    )
