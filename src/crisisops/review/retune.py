r"""Re-tune trigger thresholds from what the reviews taught (book §6 → §3).

Book §6 closes the loop: 預防未來危機的發生 asks to learn from history
(分析歷史數據,找出潛在風險點) and to keep the warning system sharp
(建立危機預警系統: 當相關數據或指標出現異常波動時,系統能夠迅速發出預警信號);
§6.1 asks to reflect on how well the prevention mechanism worked
(反思危機預防機制的完善程度) and §6.2 to 重視數據分析與監控. The trigger points
themselves come from §3: set from history (通過對歷史數據 … 確定關鍵指標的合理範圍)
and re-assessed periodically (定期調整:定期重新評估和調整觸發點). `retune`
does that re-assessment with the reviewed crises as evidence and returns a
`RetuneProposal` for a person to accept — it never changes a monitor.

**Ground truth.** The reviews (`crisisops.review.record.Review`) say what
each crisis was (book §6.1 評估危機處理效果): a review of a crisis that was
``RESOLVED`` is a confirmed crisis (`CrisisVerdict.CONFIRMED`), of one that
was ``DISMISSED`` a false alarm (`CrisisVerdict.DISMISSED`, 誤報). Only
reviews written (created) at or before ``through`` count, the latest per
crisis (a reopened crisis may be reviewed again); drills are left out. A
reviewed crisis covers the closed window from its onset — impact start, else
detection, else declaration, from the review's milestones — to its end
(`crisisops.review.record.Review.ended_at`), widened by ``margin``, on the
entities of the alerts among its origins (every entity when none).

Crises known at ``through`` whose review is not written yet may be given
with ``crises=``: each is taken as it stood at ``through`` and is
`CrisisVerdict.PENDING` (its window, to its end else ``through``, is left out
of calibration and its alerts count neither way), except a crisis merged into
a reviewed one, which takes that review's verdict. A crisis given there that
was reopened after its review is pending again.

`crisisops.review.portfolio.trigger_quality` reads the same facts from the
crises (one private helper serves both): a reviewed resolved crisis is
confirmed there too, a dismissed one a false alarm; both take the same onset
and detection, and the same rule answers for a crisis (of its crisis type or
a sub-type, or raised by its alert). Here a crisis must also be reviewed by
``through``, so that nothing decided later leaks into the proposal.

**Candidates.** The bounds the rules read are refitted with
`crisisops.monitoring.calibrate` on the history up to ``through``, with the
windows of confirmed and pending crises left out (a crisis is not the
"reasonable range"), once per looseness factor ``f``. A factor moves each
bound away from where its rule breaches: a spread method (``MeanSigma`` and
``MedianMAD``'s ``k``, ``IQRFence``'s ``c``) is multiplied by ``f`` when its
side faces the predicate (a ``LOWER`` bound read with `Below`, an ``UPPER``
bound read with `Above`) and divided by ``f`` otherwise; a `Quantile` ``q``
read with `Below` becomes ``q / f``, read with `Above` ``1 − (1 − q) / f``
(kept within ``[0.001, 0.999]``); `Not` turns a reading around. ``f > 1``
loosens, ``f < 1`` tightens, ``f = 1`` refits the same method on newer data.
A bound read on both sides, only by a clear condition or only inside an SPC
chart is refitted unscaled. Bounds of the current set that no rule reads are
carried over unchanged.

**Scoring.** Every candidate and the current set are replayed over the
history with `crisisops.monitoring.evaluate` (the set valid from the first
replayed period, as `crisisops.monitoring.backtest` does). A breach alert
is *true* when it is firing at some moment of a confirmed crisis's window on
one of its entities, *pending* when it only meets pending crises, otherwise
a **false alarm** (it met a dismissed crisis or nothing at all). A rule
**catches** a confirmed crisis of its crisis type (or a sub-type, or one
started by an alert of the rule) when one of its alerts meets the crisis;
the **detection delay** is the first such alert's firing time minus the
crisis's onset (negative: it fired before the recorded impact start). These
are the precision, recall and detection time of alert quality (Beyer et al.
2018). A candidate's alerts never happened, so nobody linked them to a
crisis: they are matched by time and entity, where
`crisisops.review.portfolio.trigger_quality` judges the alerts that did
happen by the links people made (the crises' origins). The two can differ
for an alert that fired during a crisis nobody declared from it.

**Choice.** Rules that share a bound are tuned together; others apart. For
each group, a candidate is admissible when every rule still catches every
crisis it caught with the current set. Among the admissible candidates and
keeping the current bounds, the choice minimises, in order: false alarms;
minus crises caught; mean detection delay; the size of the change
(``|log f|``, keeping the current bounds first). So a too-tight rule is
loosened just enough to drop its false alarms, a late rule is tightened when
that costs no false alarm, and nothing changes without evidence. Everything
is measured in-sample (the candidates are fitted on the history they are
judged on), so the false-alarm counts are optimistic for live use.

**Point in time.** Only periods at or before ``through``, reviews created by
then (a review is written after its crisis ended, so its window lies before
``through`` too) and crisis events at or before it are used: changing
anything later changes nothing in the proposal (the idea of evaluation on a
rolling origin, Hyndman & Athanasopoulos 2021, §5.10).

Examples
--------
Sixty days of GMV for one shop with a four-day rhythm (100, 104, 100, 96) and
a crash to 40 on days 40–44; the trigger reads a ``mean − 1·σ`` bound fitted
on the first four weeks, so it also fires on every ordinary 96:

>>> import datetime as dt
>>> import numpy as np
>>> from crisisops.monitoring import (
...     Below,
...     BoundSpec,
...     Calibrated,
...     MeanSigma,
...     Panel,
...     Raw,
...     Side,
...     Threshold,
...     Tier,
...     TriggerRule,
...     calibrate,
... )
>>> from crisisops.response import Crisis
>>> from crisisops.review.record import Review
>>> from crisisops.review.retune import retune
>>> from crisisops.taxonomy import ResponseLevel
>>> day0 = dt.datetime(2026, 3, 2, tzinfo=dt.timezone.utc)
>>> days = [day0 + dt.timedelta(days=d) for d in range(60)]
>>> gmv = np.tile([100.0, 104.0, 100.0, 96.0], 15)
>>> gmv[40:45] = 40.0
>>> history = Panel.from_metric_arrays(days, ["shop"], {"sales.gmv": gmv[:, None]})
>>> spec = BoundSpec(
...     name="gmv_low", metric="sales.gmv", method=MeanSigma(1.0, side=Side.LOWER)
... )
>>> current = calibrate(history, [spec], version="v1", fitted_through=days[27])
>>> slump = TriggerRule(
...     name="gmv_slump",
...     crisis_type="market.demand_shift",
...     tiers=[
...         Tier(
...             ResponseLevel.IV,
...             Threshold(
...                 signal=Raw("sales.gmv"), predicate=Below(Calibrated("gmv_low"))
...             ),
...         )
...     ],
... )
>>> crash = Crisis.declare(
...     "gmv_crash",
...     title="GMV crashed",
...     crisis_type="market.demand_shift",
...     level=ResponseLevel.III,
...     at=days[40] + dt.timedelta(hours=2),
...     actor="duty",
...     lead="mei",
...     impact_started_at=days[40],
... )
>>> crash = crash.confirm(
...     at=days[40] + dt.timedelta(hours=3),
...     actor="mei",
...     root_cause="A rival's flash sale",
... )
>>> crash = crash.mark_contained(at=days[43], actor="mei")
>>> crash = crash.mark_recovered(at=days[44], actor="mei")
>>> crash = crash.resolve(at=days[45] + dt.timedelta(hours=9), actor="mei")
>>> review = Review.draft(
...     crash, key="review_gmv_crash", at=days[47], owner="mei", summary="A rival"
... )
>>> proposal = retune(
...     [slump],
...     [review],
...     history,
...     specs=[spec],
...     current=current,
...     through=days[59],
...     version="v2",
... )
>>> change = proposal.rule("gmv_slump")
>>> change.decision.value, change.factor
('loosen', 1.5)
>>> change.before.false_alarms, change.after.false_alarms
(13, 0)
>>> change.before.caught, change.after.caught
(('gmv_crash',), ('gmv_crash',))
>>> (
...     float(current.bound("gmv_low")[0].round(2)),
...     float(proposal.proposed.bound("gmv_low")[0].round(2)),
... )
(97.12, 95.64)

The proposal is only data; accepting it adds it to the sets a monitor uses:

>>> sets = proposal.accept([current], at=days[59] + dt.timedelta(hours=12))
>>> [s.version for s in sets]
['v1', 'v2']

The proposal keeps its evidence. Every factor of `DEFAULT_FACTORS` was
tried; from 1.5 on the rule raises no false alarm and still catches the
crash, and 1.5 is the smallest such change:

>>> from crisisops.review.retune import DEFAULT_FACTORS, RetuneProposal
>>> [c.factor for c in proposal.candidates] == list(DEFAULT_FACTORS)
True
>>> [(c.factor, c.outcome("gmv_slump").false_alarms) for c in proposal.candidates]
... # doctest: +NORMALIZE_WHITESPACE
[(0.5, 13), (0.75, 13), (1.0, 13), (1.25, 13), (1.5, 0), (2.0, 0), (3.0, 0),
 (4.0, 0)]
>>> [(w.crisis, w.verdict.value, f"{w.end:%m-%d %H:%M}") for w in proposal.crises]
[('gmv_crash', 'confirmed', '04-16 09:00')]
>>> round(change.before.precision, 3), change.after.precision  # 1 of 14; 1 of 1
(0.071, 1.0)
>>> proposal.changed, proposal.alerts_before, proposal.alerts_after
(True, 14, 1)

A proposal is data: stored while it waits for a person, it reads back
unchanged.

>>> from crisisops.serialization import from_data, to_data
>>> from_data(RetuneProposal, to_data(proposal)) == proposal
True

References
----------
Beyer, Betsy, Niall Richard Murphy, David K. Rensin, Kent Kawahara, and
Stephen Thorne, eds. 2018. *The Site Reliability Workbook*. O'Reilly. Chapter
5, "Alerting on SLOs" (precision, recall, detection time, reset time).
Hyndman, Rob J., and George Athanasopoulos. 2021. *Forecasting: Principles
and Practice*, 3rd ed. OTexts. §5.10 "Time series cross-validation".
https://otexts.com/fpp3/.
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

import attrs
import numpy as np
import numpy.typing as npt

from crisisops._time import instant
from crisisops._validation import (
    check_aware,
    check_finite,
    check_str,
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
from crisisops.monitoring import (
    Above,
    Alert,
    AlertKind,
    AllOf,
    AnyOf,
    Below,
    BoundSpec,
    Calibrated,
    CalibrationMethod,
    Condition,
    IQRFence,
    MeanSigma,
    MedianMAD,
    Not,
    Outside,
    Panel,
    Quantile,
    Side,
    Threshold,
    ThresholdSet,
    TriggerRule,
    calibrate,
    evaluate,
    exclusion_mask,
    replay_threshold_set,
)
from crisisops.response import Crisis, CrisisStatus
from crisisops.review._shared import (
    MICROSECOND,
    NEVER,
    answers_for,
    check_unique_keys,
    crisis_list,
    is_count,
    items_of,
    latest_reviews,
    micros,
    micros_of,
    onset,
    origin_alerts,
)
from crisisops.review.record import Review

__all__ = [
    "DEFAULT_FACTORS",
    "Candidate",
    "CrisisVerdict",
    "CrisisWindow",
    "RetuneDecision",
    "RetuneProposal",
    "RuleChange",
    "RuleOutcome",
    "retune",
]

#: The looseness factors `retune` tries by default: from twice as tight to
#: four times as loose (see the module docstring for what a factor does).
DEFAULT_FACTORS: Final = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0, 3.0, 4.0)

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_labels = Labels.of
_Q_MIN: Final = 0.001
_Q_MAX: Final = 0.999
_BELOW: Final = "below"
_ABOVE: Final = "above"
_MAX_FACTOR: Final = 1000.0


# --- vocabulary ---------------------------------------------------------------


class CrisisVerdict(enum.Enum):
    """What a crisis turned out to be, as known at the re-tuning date.

    * ``CONFIRMED`` 確認的危機 – reviewed, resolved: alerts during it are true;
    * ``DISMISSED`` 誤報 – reviewed, dismissed as a false alarm: alerts
      behind it are false alarms;
    * ``PENDING`` 未定 – known at the re-tuning date but not reviewed by then
      (given with ``crises=``): neither, and left out of calibration.

    Examples
    --------
    >>> from crisisops.review.retune import CrisisVerdict
    >>> [(verdict.value, verdict.labels.zh_hant) for verdict in CrisisVerdict]
    [('confirmed', '確認的危機'), ('dismissed', '誤報'), ('pending', '未定')]
    """

    CONFIRMED = "confirmed"
    DISMISSED = "dismissed"
    PENDING = "pending"

    def __str__(self) -> str:
        """Return the key, e.g. ``"dismissed"``."""
        return self.value

    @property
    def labels(self) -> Labels:
        """The verdict's name in English, 繁體 and 简体."""
        return _VERDICT_LABELS[self]


_VERDICT_LABELS = {
    CrisisVerdict.CONFIRMED: _labels("Confirmed crisis", "確認的危機", "确认的危机"),
    CrisisVerdict.DISMISSED: _labels("False alarm", "誤報", "误报"),
    CrisisVerdict.PENDING: _labels("Undecided", "未定", "未定"),
}


class RetuneDecision(enum.Enum):
    """What the proposal does to a rule's bounds (book §3 定期調整觸發點).

    * ``KEEP`` 維持 – keep the current bounds (no candidate does better
      without losing a crisis, or the rule reads no calibrated bound);
    * ``REFIT`` 重新校準 – the same methods refitted on newer history;
    * ``LOOSEN`` 放寬 – a looser factor (fewer false alarms);
    * ``TIGHTEN`` 收緊 – a tighter factor (earlier or more detections).

    Examples
    --------
    >>> from crisisops.review.retune import RetuneDecision
    >>> [(decision.value, decision.labels.zh_hant) for decision in RetuneDecision]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('keep', '維持現行閾值'), ('refit', '重新校準'), ('loosen', '放寬觸發點'),
     ('tighten', '收緊觸發點')]
    """

    KEEP = "keep"
    REFIT = "refit"
    LOOSEN = "loosen"
    TIGHTEN = "tighten"

    def __str__(self) -> str:
        """Return the key, e.g. ``"loosen"``."""
        return self.value

    @property
    def labels(self) -> Labels:
        """The decision's name in English, 繁體 and 简体."""
        return _DECISION_LABELS[self]


_DECISION_LABELS = {
    RetuneDecision.KEEP: _labels(
        "Keep the current bounds", "維持現行閾值", "维持现行阈值"
    ),
    RetuneDecision.REFIT: _labels("Re-calibrate", "重新校準", "重新校准"),
    RetuneDecision.LOOSEN: _labels("Loosen", "放寬觸發點", "放宽触发点"),
    RetuneDecision.TIGHTEN: _labels("Tighten", "收緊觸發點", "收紧触发点"),
}


def _decision_of(factor: float | None) -> RetuneDecision:
    if factor is None:
        return RetuneDecision.KEEP
    if factor == 1.0:
        return RetuneDecision.REFIT
    return RetuneDecision.LOOSEN if factor > 1.0 else RetuneDecision.TIGHTEN


# --- validators ---------------------------------------------------------------


def _positive_factor(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    number = check_finite(value, name)
    if not 0.0 < number <= _MAX_FACTOR:
        raise ValidationError(name, value, f"a number in (0, {_MAX_FACTOR:g}]")


def _as_float(value: Any) -> Any:  # noqa: ANN401  passes bad values to the validator
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _as_optional_float(value: Any) -> Any:  # noqa: ANN401
    return None if value is None else _as_float(value)


def _keys() -> Any:  # noqa: ANN401  an attrs validator
    return attrs.validators.and_(is_tuple_of(is_key()), is_unique("key"))


def _delays(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, Mapping):
        raise InvalidTypeError(name, value, "a mapping of crisis key to timedelta")
    for key, delay in value.items():
        if not isinstance(key, str):
            raise InvalidTypeError(name, value, "a mapping of crisis key to timedelta")
        if not isinstance(delay, dt.timedelta):
            raise InvalidTypeError(f"{name}[{key!r}]", delay, "a timedelta")


def _non_negative_span(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, dt.timedelta):
        raise InvalidTypeError(name, value, "a timedelta")
    if value < dt.timedelta(0):
        raise ValidationError(name, value, "a duration of zero or more")


# --- value classes ------------------------------------------------------------


@attrs.frozen(kw_only=True)
class CrisisWindow:
    """One crisis as the re-tuning saw it: verdict, window and scope.

    Attributes
    ----------
    crisis
        The crisis's key.
    crisis_type
        Its crisis-type key (as confirmed, else as declared).
    verdict
        Confirmed, dismissed or pending at the re-tuning date.
    start
        Start of the window: the impact start, else the detection, else the
        declaration.
    end
        End of the (closed) window: when the crisis ended, else the
        re-tuning date; at or after ``start``.
    entities
        The entities its alert origins name; empty means every entity.
    rules
        The rules whose alerts are among its origins.

    Examples
    --------
    A confirmed GMV crash on one shop, and an undecided crisis whose alerts
    named no entity (so it concerns every entity):

    >>> import datetime as dt
    >>> from crisisops.review.retune import CrisisVerdict, CrisisWindow
    >>> start = dt.datetime(2026, 4, 11, tzinfo=dt.timezone.utc)
    >>> crash = CrisisWindow(
    ...     crisis="gmv_crash",
    ...     crisis_type="market.demand_shift",
    ...     verdict=CrisisVerdict.CONFIRMED,
    ...     start=start,
    ...     end=start + dt.timedelta(days=5, hours=9),
    ...     entities=["shop_a"],
    ...     rules=["gmv_slump"],
    ... )
    >>> crash.covers("shop_a"), crash.covers("shop_b")
    (True, False)
    >>> pending = CrisisWindow(
    ...     crisis="refund_wave",
    ...     crisis_type="other.customer_service_failure",
    ...     verdict=CrisisVerdict.PENDING,
    ...     start=start,
    ...     end=start,
    ... )
    >>> pending.covers("shop_b")
    True
    """

    crisis: str = attrs.field(validator=is_key())
    crisis_type: str = attrs.field(validator=is_key())
    verdict: CrisisVerdict = attrs.field(validator=is_enum(CrisisVerdict))
    start: dt.datetime = attrs.field(validator=is_aware_datetime())
    end: dt.datetime = attrs.field(validator=is_aware_datetime())
    entities: tuple[str, ...] = attrs.field(
        default=(),
        converter=to_str_tuple,
        validator=attrs.validators.and_(is_tuple_of(is_text()), is_unique("entity")),
    )
    rules: tuple[str, ...] = attrs.field(
        default=(), converter=to_str_tuple, validator=_keys()
    )

    def __attrs_post_init__(self) -> None:
        """Check the window is not upside down."""
        if instant(self.end) < instant(self.start):
            raise ValidationError(
                "end", self.end, f"at or after start ({self.start.isoformat()})"
            )

    def covers(self, entity: str) -> bool:
        """Return whether the crisis concerns ``entity`` (all when none named)."""
        check_str(entity, "entity")
        return not self.entities or entity in self.entities


@attrs.frozen(kw_only=True)
class RuleOutcome:
    """What one rule would have done on the replayed history with one set.

    Attributes
    ----------
    rule
        The rule's name.
    alerts
        Breach-alert episodes (no-data alerts are not counted).
    true_alerts
        Alerts firing during a confirmed crisis on one of its entities.
    false_alarms
        Alerts that met no confirmed or pending crisis (alone, or behind a
        dismissed one).
    pending_alerts
        Alerts that met only undecided crises.
    caught
        Keys of the confirmed crises of the rule's type it caught.
    missed
        Keys of the confirmed crises of the rule's type, inside the replay,
        it did not catch.
    delays
        For each caught crisis, its first catching alert's firing time minus
        the crisis's start (negative: before the recorded impact start).
    alerts_per_entity_per_100_periods
        ``alerts / (entities × periods) × 100``, as in
        `crisisops.monitoring.RuleBacktest`.

    Examples
    --------
    The current set of the module example: 14 alerts in 60 days on one shop,
    one of them during the crash (fired a day before its recorded start):

    >>> import datetime as dt
    >>> from crisisops.review.retune import RuleOutcome
    >>> outcome = RuleOutcome(
    ...     rule="gmv_slump",
    ...     alerts=14,
    ...     true_alerts=1,
    ...     false_alarms=13,
    ...     pending_alerts=0,
    ...     caught=["gmv_crash"],
    ...     missed=[],
    ...     delays={"gmv_crash": -dt.timedelta(days=1)},
    ...     alerts_per_entity_per_100_periods=14 / 60 * 100,
    ... )
    >>> round(outcome.precision, 3), outcome.recall, str(outcome.mean_delay)
    (0.071, 1.0, '-1 day, 0:00:00')
    >>> round(outcome.alerts_per_entity_per_100_periods, 1)
    23.3

    The alerts must add up:

    >>> RuleOutcome(
    ...     rule="gmv_slump",
    ...     alerts=14,
    ...     true_alerts=1,
    ...     false_alarms=12,
    ...     pending_alerts=0,
    ...     caught=[],
    ...     missed=["gmv_crash"],
    ...     delays={},
    ...     alerts_per_entity_per_100_periods=23.3,
    ... )
    Traceback (most recent call last):
    ...
    crisisops.errors.ValidationError: 'alerts' must be true_alerts + false_alarms + pending_alerts (13) (got 14)
    """  # noqa: E501  doctest output is one line

    rule: str = attrs.field(validator=is_key())
    alerts: int = attrs.field(validator=is_count)
    true_alerts: int = attrs.field(validator=is_count)
    false_alarms: int = attrs.field(validator=is_count)
    pending_alerts: int = attrs.field(validator=is_count)
    caught: tuple[str, ...] = attrs.field(converter=to_str_tuple, validator=_keys())
    missed: tuple[str, ...] = attrs.field(converter=to_str_tuple, validator=_keys())
    delays: FrozenDict[str, dt.timedelta] = attrs.field(
        converter=to_frozendict, validator=_delays
    )
    alerts_per_entity_per_100_periods: float = attrs.field(
        converter=_as_float, validator=is_finite(low=0.0)
    )

    def __attrs_post_init__(self) -> None:
        """Check that the counts and the crisis lists agree."""
        total = self.true_alerts + self.false_alarms + self.pending_alerts
        if total != self.alerts:
            raise ValidationError(
                "alerts",
                self.alerts,
                f"true_alerts + false_alarms + pending_alerts ({total})",
            )
        both = sorted(set(self.caught) & set(self.missed))
        if both:
            raise ValidationError("missed", both, "crises not also listed as caught")
        if set(self.delays) != set(self.caught):
            raise ValidationError(
                "delays",
                sorted(self.delays),
                f"one delay per caught crisis ({sorted(self.caught)})",
            )

    @property
    def precision(self) -> float | None:
        """``true / (true + false)`` alerts; ``None`` without decided alerts."""
        decided = self.true_alerts + self.false_alarms
        return None if decided == 0 else self.true_alerts / decided

    @property
    def recall(self) -> float | None:
        """``caught / (caught + missed)``; ``None`` when no crisis of its type."""
        relevant = len(self.caught) + len(self.missed)
        return None if relevant == 0 else len(self.caught) / relevant

    @property
    def mean_delay(self) -> dt.timedelta | None:
        """Mean detection delay over the caught crises; ``None`` if none."""
        if not self.delays:
            return None
        total = sum(self.delays.values(), dt.timedelta(0))
        return total / len(self.delays)


@attrs.frozen(kw_only=True)
class Candidate:
    """One looseness factor tried: the specs it fitted and what they would do.

    Attributes
    ----------
    factor
        The looseness factor (``> 1`` looser, ``< 1`` tighter).
    specs
        The bound specs fitted for it (the rules' bounds, scaled).
    outcomes
        One `RuleOutcome` per re-tunable rule.

    Examples
    --------
    The factor 1.5 of the module example: the rule keeps the crash and drops
    its false alarms.

    >>> import datetime as dt
    >>> from crisisops.review.retune import Candidate, RuleOutcome
    >>> quiet = RuleOutcome(
    ...     rule="gmv_slump",
    ...     alerts=1,
    ...     true_alerts=1,
    ...     false_alarms=0,
    ...     pending_alerts=0,
    ...     caught=["gmv_crash"],
    ...     missed=[],
    ...     delays={"gmv_crash": dt.timedelta(0)},
    ...     alerts_per_entity_per_100_periods=100 / 60,
    ... )
    >>> candidate = Candidate(factor=1.5, specs=[], outcomes=[quiet])
    >>> candidate.outcome("gmv_slump").false_alarms
    0
    >>> candidate.outcome("gmv_slmp")
    Traceback (most recent call last):
    ...
    crisisops.errors.UnknownKeyError: unknown rule 'gmv_slmp'; did you mean 'gmv_slump'?
    """

    factor: float = attrs.field(converter=_as_float, validator=_positive_factor)
    specs: tuple[BoundSpec, ...] = attrs.field(
        converter=to_tuple,
        validator=is_tuple_of(is_instance(BoundSpec, "a BoundSpec")),
    )
    outcomes: tuple[RuleOutcome, ...] = attrs.field(
        converter=to_tuple,
        validator=is_tuple_of(is_instance(RuleOutcome, "a RuleOutcome")),
    )

    def outcome(self, rule: str) -> RuleOutcome:
        """Return the outcome of the rule called ``rule``.

        Raises
        ------
        UnknownKeyError
            If no outcome has that rule (with suggestions).
        """
        for outcome in self.outcomes:
            if outcome.rule == rule:
                return outcome
        raise UnknownKeyError("rule", rule, [o.rule for o in self.outcomes])


@attrs.frozen(kw_only=True)
class RuleChange:
    """The proposal for one rule: decision, factor, and before/after numbers.

    Attributes
    ----------
    rule
        The rule's name.
    bounds
        The calibrated bounds the rule reads.
    decision
        Keep, refit, loosen or tighten.
    factor
        The chosen looseness factor; ``None`` when the bounds are kept.
    before
        The rule's outcome with the current set.
    after
        The rule's outcome with the proposed set.
    reason
        Why, in words.

    Examples
    --------
    Loosening by 1.5 removes 13 false alarms and loses no crisis:

    >>> import datetime as dt
    >>> from crisisops.review.retune import RetuneDecision, RuleChange, RuleOutcome
    >>> def outcome(alerts, delay_days):
    ...     return RuleOutcome(
    ...         rule="gmv_slump",
    ...         alerts=alerts,
    ...         true_alerts=1,
    ...         false_alarms=alerts - 1,
    ...         pending_alerts=0,
    ...         caught=["gmv_crash"],
    ...         missed=[],
    ...         delays={"gmv_crash": dt.timedelta(days=delay_days)},
    ...         alerts_per_entity_per_100_periods=alerts / 60 * 100,
    ...     )
    >>> change = RuleChange(
    ...     rule="gmv_slump",
    ...     bounds=["gmv_low"],
    ...     decision=RetuneDecision.LOOSEN,
    ...     factor=1.5,
    ...     before=outcome(14, -1),
    ...     after=outcome(1, 0),
    ...     reason="13 false alarms fewer; the crash is still caught",
    ... )
    >>> change.false_alarms_removed, change.alerts_removed, change.crises_lost
    (13, 13, ())

    The decision follows from the factor:

    >>> RuleChange(
    ...     rule="gmv_slump",
    ...     bounds=["gmv_low"],
    ...     decision=RetuneDecision.TIGHTEN,
    ...     factor=1.5,
    ...     before=outcome(14, -1),
    ...     after=outcome(1, 0),
    ...     reason="wrong",
    ... )
    Traceback (most recent call last):
    ...
    crisisops.errors.ValidationError: 'decision' must be 'loosen' for factor 1.5 (got 'tighten')
    """  # noqa: E501  doctest output is one line

    rule: str = attrs.field(validator=is_key())
    bounds: tuple[str, ...] = attrs.field(converter=to_str_tuple, validator=_keys())
    decision: RetuneDecision = attrs.field(validator=is_enum(RetuneDecision))
    factor: float | None = attrs.field(
        converter=_as_optional_float, validator=is_optional(_positive_factor)
    )
    before: RuleOutcome = attrs.field(
        validator=is_instance(RuleOutcome, "a RuleOutcome")
    )
    after: RuleOutcome = attrs.field(
        validator=is_instance(RuleOutcome, "a RuleOutcome")
    )
    reason: str = attrs.field(validator=is_text())

    def __attrs_post_init__(self) -> None:
        """Check the decision matches the factor and the outcomes the rule."""
        expected = _decision_of(self.factor)
        if self.decision is not expected:
            raise ValidationError(
                "decision",
                self.decision.value,
                f"{expected.value!r} for factor {self.factor!r}",
            )
        for name in ("before", "after"):
            outcome: RuleOutcome = getattr(self, name)
            if outcome.rule != self.rule:
                raise ValidationError(
                    f"{name}.rule", outcome.rule, f"the rule {self.rule!r}"
                )

    @property
    def alerts_removed(self) -> int:
        """Alerts the proposal removes (negative: adds)."""
        return self.before.alerts - self.after.alerts

    @property
    def false_alarms_removed(self) -> int:
        """False alarms the proposal removes (negative: adds)."""
        return self.before.false_alarms - self.after.false_alarms

    @property
    def crises_gained(self) -> tuple[str, ...]:
        """Crises caught with the proposal that the current set missed."""
        return tuple(k for k in self.after.caught if k not in self.before.caught)

    @property
    def crises_lost(self) -> tuple[str, ...]:
        """Crises the current set caught that the proposal misses (never any)."""
        return tuple(k for k in self.before.caught if k not in self.after.caught)


def _check_proposed(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    is_instance(ThresholdSet, "a ThresholdSet")(_instance, attribute, value)


@attrs.frozen(kw_only=True)
class RetuneProposal:
    """A proposed new threshold set, with the evidence; never applied by itself.

    Attributes
    ----------
    version
        The proposed set's version.
    current_version
        The version of the set it would replace.
    through
        The re-tuning date: nothing after it was used.
    proposed
        The proposed `crisisops.monitoring.ThresholdSet`: the re-tuned
        bounds, and every other bound of the current set unchanged.
    specs
        The bound specs that fitted the refitted bounds (scaled).
    rules
        One `RuleChange` per rule, in the rules' order.
    candidates
        Every factor tried, in increasing order, with its outcomes.
    crises
        The crises as judged at ``through``, by start.
    margin
        How much every crisis window was widened on each side.
    replay_start
        First replayed period.
    replay_end
        Last replayed period (at or before ``through``).
    periods
        Number of replayed periods.
    entities
        Number of entities.
    """

    version: str = attrs.field(validator=is_text())
    current_version: str = attrs.field(validator=is_text())
    through: dt.datetime = attrs.field(validator=is_aware_datetime())
    proposed: ThresholdSet = attrs.field(validator=_check_proposed)
    specs: tuple[BoundSpec, ...] = attrs.field(
        converter=to_tuple,
        validator=is_tuple_of(is_instance(BoundSpec, "a BoundSpec")),
    )
    rules: tuple[RuleChange, ...] = attrs.field(
        converter=to_tuple,
        validator=is_tuple_of(is_instance(RuleChange, "a RuleChange")),
    )
    candidates: tuple[Candidate, ...] = attrs.field(
        converter=to_tuple,
        validator=is_tuple_of(is_instance(Candidate, "a Candidate")),
    )
    crises: tuple[CrisisWindow, ...] = attrs.field(
        converter=to_tuple,
        validator=is_tuple_of(is_instance(CrisisWindow, "a CrisisWindow")),
    )
    margin: dt.timedelta = attrs.field(validator=_non_negative_span)
    replay_start: dt.datetime = attrs.field(validator=is_aware_datetime())
    replay_end: dt.datetime = attrs.field(validator=is_aware_datetime())
    periods: int = attrs.field(validator=is_count)
    entities: int = attrs.field(validator=is_count)

    def __attrs_post_init__(self) -> None:
        """Check the proposal is consistent and uses nothing after ``through``."""
        if self.proposed.version != self.version:
            raise ValidationError(
                "proposed.version", self.proposed.version, f"{self.version!r}"
            )
        if self.version == self.current_version:
            raise ValidationError(
                "version", self.version, "a version other than the current one"
            )
        moment = instant(self.through)
        if instant(self.proposed.fitted_through) > moment:
            raise ValidationError(
                "proposed.fitted_through",
                self.proposed.fitted_through,
                f"at or before through ({self.through.isoformat()})",
            )
        if instant(self.proposed.valid_from) <= moment:
            raise ValidationError(
                "proposed.valid_from",
                self.proposed.valid_from,
                f"after through ({self.through.isoformat()})",
            )
        if instant(self.replay_end) > moment:
            raise ValidationError(
                "replay_end",
                self.replay_end,
                f"at or before through ({self.through.isoformat()})",
            )
        if instant(self.replay_end) < instant(self.replay_start):
            raise ValidationError(
                "replay_end",
                self.replay_end,
                f"at or after replay_start ({self.replay_start.isoformat()})",
            )
        names = [change.rule for change in self.rules]
        if len(set(names)) != len(names):
            raise ValidationError("rules", names, "one change per rule")

    @property
    def changed(self) -> bool:
        """Whether any rule's bounds would change (a decision other than keep)."""
        return any(c.decision is not RetuneDecision.KEEP for c in self.rules)

    @property
    def false_alarms_before(self) -> int:
        """False alarms of all rules with the current set."""
        return sum(c.before.false_alarms for c in self.rules)

    @property
    def false_alarms_after(self) -> int:
        """False alarms of all rules with the proposed set."""
        return sum(c.after.false_alarms for c in self.rules)

    @property
    def alerts_before(self) -> int:
        """Alerts of all rules with the current set."""
        return sum(c.before.alerts for c in self.rules)

    @property
    def alerts_after(self) -> int:
        """Alerts of all rules with the proposed set."""
        return sum(c.after.alerts for c in self.rules)

    def rule(self, name: str) -> RuleChange:
        """Return the change for the rule called ``name``.

        Raises
        ------
        UnknownKeyError
            If no rule has that name (with suggestions).
        """
        for change in self.rules:
            if change.rule == name:
                return change
        raise UnknownKeyError("rule", name, [c.rule for c in self.rules])

    def accept(
        self, sets: Iterable[ThresholdSet], *, at: dt.datetime
    ) -> tuple[ThresholdSet, ...]:
        """Accept the proposal: return ``sets`` with the proposed set appended.

        This is the explicit step a person takes (the proposal never changes
        a monitor by itself). Pass the result to
        `crisisops.monitoring.Monitor` or `crisisops.monitoring.evaluate`:
        the proposed set applies from its ``valid_from`` on, the earlier
        sets before it, so history is never rewritten.

        Parameters
        ----------
        sets
            The threshold sets in use (e.g. ``[current]``).
        at
            When the proposal is accepted: not before ``through`` (the data
            it was fitted on did not exist earlier) and not after the
            proposal's ``valid_from`` (it would apply retroactively; re-run
            `retune` with a later ``valid_from``).

        Raises
        ------
        InvalidTypeError, NaiveDatetimeError
            For a bad argument.
        ValidationError
            For ``at`` outside ``[through, valid_from]``, or a set already
            valid from the proposal's ``valid_from`` or later.
        DuplicateKeyError
            If a set already has the proposed version.
        """
        moment = instant(check_aware(at, "at"))
        if moment < instant(self.through):
            raise ValidationError(
                "at", at, f"at or after through ({self.through.isoformat()})"
            )
        valid_from = self.proposed.valid_from
        if moment > instant(valid_from):
            raise ValidationError(
                "at",
                at,
                f"at or before the proposal's valid_from ({valid_from.isoformat()}): "
                "accepted later it would apply retroactively; re-run retune with "
                "a later valid_from",
            )
        if isinstance(sets, ThresholdSet) or not isinstance(sets, Iterable):
            raise InvalidTypeError("sets", sets, "an iterable of ThresholdSet values")
        existing = tuple(sets)
        for index, item in enumerate(existing):
            if not isinstance(item, ThresholdSet):
                raise InvalidTypeError(f"sets[{index}]", item, "a ThresholdSet")
            if item.version == self.version:
                raise DuplicateKeyError("threshold set version", self.version)
            if instant(item.valid_from) >= instant(valid_from):
                raise ValidationError(
                    f"sets[{index}].valid_from",
                    item.valid_from,
                    f"before the proposal's valid_from ({valid_from.isoformat()}): "
                    "a later set would override the proposal",
                )
        return (*existing, self.proposed)


# --- reading the rules --------------------------------------------------------


class _RuleBounds:
    """The calibrated bounds one rule reads, and on which side its tiers do."""

    __slots__ = ("read", "sides")

    def __init__(self, rule: TriggerRule) -> None:
        self.read: dict[str, None] = {}
        self.sides: dict[str, set[str]] = {}
        for tier in rule.tiers:
            self._walk(tier.condition, negated=False, scaled=True)
        if rule.clear_condition is not None:
            self._walk(rule.clear_condition, negated=False, scaled=False)

    def _note(self, bound: object, side: str, *, negated: bool, scaled: bool) -> None:
        if not isinstance(bound, Calibrated):
            return
        self.read[bound.name] = None
        if scaled:
            flipped = {_BELOW: _ABOVE, _ABOVE: _BELOW}[side] if negated else side
            self.sides.setdefault(bound.name, set()).add(flipped)

    def _walk(self, condition: Condition, *, negated: bool, scaled: bool) -> None:
        if isinstance(condition, Threshold):
            predicate = condition.predicate
            if isinstance(predicate, Below):
                self._note(predicate.bound, _BELOW, negated=negated, scaled=scaled)
            elif isinstance(predicate, Above):
                self._note(predicate.bound, _ABOVE, negated=negated, scaled=scaled)
            else:
                assert isinstance(predicate, Outside)  # noqa: S101  exhaustive union
                self._note(predicate.low, _BELOW, negated=negated, scaled=scaled)
                self._note(predicate.high, _ABOVE, negated=negated, scaled=scaled)
        elif isinstance(condition, (AllOf, AnyOf)):
            for part in condition.conditions:
                self._walk(part, negated=negated, scaled=scaled)
        elif isinstance(condition, Not):
            self._walk(condition.condition, negated=not negated, scaled=scaled)
        # SPC charts (EWMAChart, CUSUMChart) read no calibrated bound


def _scaled_method(
    method: CalibrationMethod, side: str, factor: float
) -> CalibrationMethod:
    """Return ``method`` moved ``factor`` times further from the breach region."""
    if isinstance(method, Quantile):
        tail = method.q if side == _BELOW else 1.0 - method.q
        scaled_tail = tail / factor
        q = scaled_tail if side == _BELOW else 1.0 - scaled_tail
        return Quantile(min(max(q, _Q_MIN), _Q_MAX))
    assert isinstance(method, (MeanSigma, MedianMAD, IQRFence))  # noqa: S101
    facing = (method.side is Side.LOWER) == (side == _BELOW)
    scale = factor if facing else 1.0 / factor
    if isinstance(method, IQRFence):
        return attrs.evolve(method, c=method.c * scale)
    return attrs.evolve(method, k=method.k * scale)


def _scaled_spec(spec: BoundSpec, side: str | None, factor: float) -> BoundSpec:
    if side is None or factor == 1.0:
        return spec
    return attrs.evolve(spec, method=_scaled_method(spec.method, side, factor))


# --- ground truth -------------------------------------------------------------


def _as_of(crisis: Crisis, through: dt.datetime) -> Crisis | None:
    """Return the crisis as it stood at ``through``; ``None`` if not declared yet."""
    moment = instant(through)
    if instant(crisis.last_event_at) <= moment:
        return crisis
    events = crisis.events
    stamps = [instant(event.at) for event in events]
    count = bisect.bisect_right(stamps, moment)  # the log grows forward in time
    if count == 0:
        return None
    return Crisis.from_events(
        events[:count], roles=crisis.roles, catalog=crisis.catalog
    )


def _check_reviews(reviews: object) -> list[Review]:
    if isinstance(reviews, Crisis):
        raise InvalidTypeError("reviews", reviews, "an iterable of Review values")
    if isinstance(reviews, Iterable) and not isinstance(reviews, (str, bytes, Mapping)):
        reviews = list(reviews)
        for index, item in enumerate(reviews):
            if isinstance(item, Crisis):  # the crises of an older call
                raise InvalidTypeError(
                    f"reviews[{index}]",
                    item,
                    "a Review: draft the crisis's review (Review.draft), or "
                    "pass a crisis not reviewed yet with crises=",
                )
    items = items_of(reviews, "reviews", Review, "an iterable of Review values")
    check_unique_keys(items, "review")
    return items


def _reviewed_verdict(review: Review) -> CrisisVerdict:
    if review.outcome is CrisisStatus.RESOLVED:
        return CrisisVerdict.CONFIRMED
    return CrisisVerdict.DISMISSED


def _merged_verdict(
    crisis: Crisis, states: Mapping[str, Crisis], current: Mapping[str, Review]
) -> CrisisVerdict:
    """Judge a crisis without a review by its merge target's review, if any."""
    seen = {crisis.key}
    while crisis.status is CrisisStatus.MERGED and crisis.merged_into is not None:
        target = crisis.merged_into
        if target in current:
            return _reviewed_verdict(current[target])
        if target in seen or target not in states:
            break
        seen.add(target)
        crisis = states[target]
    return CrisisVerdict.PENDING


def _outgrown(state: Crisis, review: Review) -> bool:
    """Whether the crisis was reopened after its review: it no longer ends there."""
    ended = state.ended_at
    return ended is None or instant(ended) != instant(review.ended_at)


def _windows(
    reviews: list[Review], crises: list[Crisis], through: dt.datetime
) -> tuple[CrisisWindow, ...]:
    """Return the crisis windows: the reviewed crises and the undecided ones."""
    current = latest_reviews(reviews, as_of=through)
    states: dict[str, Crisis] = {}
    for crisis in crises:
        state = _as_of(crisis, through)
        if state is not None:
            states[crisis.key] = state
    outgrown = {
        key
        for key, review in current.items()
        if key in states and _outgrown(states[key], review)
    }
    windows: list[CrisisWindow] = []
    for key, review in current.items():
        if key in outgrown or not review.mode.counts_in_metrics:
            continue
        start = onset(review.milestones)
        rules, entities = origin_alerts(review.origins)
        windows.append(
            CrisisWindow(
                crisis=key,
                crisis_type=review.crisis_type,
                verdict=_reviewed_verdict(review),
                start=start,
                end=max(review.ended_at, start, key=instant),
                entities=entities,
                rules=rules,
            )
        )
    settled_reviews = {k: r for k, r in current.items() if k not in outgrown}
    for key, state in states.items():
        if key in settled_reviews or not state.mode.counts_in_metrics:
            continue
        start = onset(state.milestones)
        rules, entities = origin_alerts(state.origins)
        windows.append(
            CrisisWindow(
                crisis=key,
                crisis_type=state.crisis_type,
                verdict=_merged_verdict(state, states, settled_reviews),
                start=start,
                end=max(state.ended_at or through, start, key=instant),
                entities=entities,
                rules=rules,
            )
        )
    return tuple(sorted(windows, key=lambda w: (instant(w.start), w.crisis)))


class _Truth:
    """The crisis windows as arrays over the replay's entities.

    ``start`` and ``end`` are the widened, closed windows and ``onset`` the
    crises' own starts, in microseconds since the epoch; ``scope`` is
    ``(crises, entities)``: which entities each crisis concerns.
    """

    __slots__ = (
        "end",
        "entity_index",
        "in_replay",
        "onset",
        "scope",
        "start",
        "verdict",
        "windows",
    )

    def __init__(
        self,
        windows: tuple[CrisisWindow, ...],
        entities: tuple[str, ...],
        margin: dt.timedelta,
        replay: tuple[int, int],
    ) -> None:
        self.windows = windows
        self.entity_index = {entity: i for i, entity in enumerate(entities)}
        widen = margin // MICROSECOND
        self.onset = micros_of(w.start for w in windows)
        self.start = self.onset - widen
        self.end = micros_of(w.end for w in windows) + widen
        self.verdict = np.array([w.verdict.value for w in windows], dtype=object)
        scope = np.ones((len(windows), len(entities)), dtype=bool)
        for row, window in enumerate(windows):
            if window.entities:
                scope[row] = False
                named = [
                    self.entity_index[e]
                    for e in window.entities
                    if e in self.entity_index
                ]
                scope[row, named] = True
        self.scope = scope
        self.in_replay = (self.start <= replay[1]) & (self.end >= replay[0])

    def kind(self, verdict: CrisisVerdict) -> BoolArray:
        """Which windows have ``verdict``."""
        return np.asarray(self.verdict == verdict.value, dtype=bool)

    def relevant(self, rules: tuple[TriggerRule, ...]) -> BoolArray:
        """``(rules, crises)``: the confirmed crises each rule should catch."""
        mask = np.zeros((len(rules), len(self.windows)), dtype=bool)
        live = self.kind(CrisisVerdict.CONFIRMED) & self.in_replay
        for row, rule in enumerate(rules):
            mask[row] = [
                answers_for(rule.name, rule.crisis_type, w.crisis_type, w.rules)
                for w in self.windows
            ]
        return mask & live

    def exclusion(self, stamps: tuple[dt.datetime, ...]) -> BoolArray:
        """``(periods, entities)``: cells inside a confirmed or pending crisis."""
        keep = ~self.kind(CrisisVerdict.DISMISSED)
        periods = micros_of(stamps)
        rows = (periods[:, None] >= self.start[None, keep]) & (
            periods[:, None] <= self.end[None, keep]
        )
        hits = rows.astype(np.float64) @ self.scope[keep].astype(np.float64)
        return np.asarray(hits > 0, dtype=bool)


# --- scoring ------------------------------------------------------------------


def _outcomes(
    rules: tuple[TriggerRule, ...],
    alerts: Iterable[Alert],
    truth: _Truth,
    cells: int,
) -> tuple[RuleOutcome, ...]:
    """Score every rule's breach alerts against the crisis windows (vectorised)."""
    breaches = [a for a in alerts if a.kind is AlertKind.BREACH]
    index = {rule.name: i for i, rule in enumerate(rules)}
    n_rules, n_crises, count = len(rules), len(truth.windows), len(breaches)
    rule_of = np.fromiter((index[a.rule] for a in breaches), dtype=np.intp, count=count)
    entity = np.fromiter(
        (truth.entity_index[a.entity] for a in breaches), dtype=np.intp, count=count
    )
    fired = np.fromiter((micros(a.fired_at) for a in breaches), np.int64, count)
    resolved = np.fromiter(
        (NEVER if a.resolved_at is None else micros(a.resolved_at) for a in breaches),
        np.int64,
        count,
    )
    # alert a is firing over [fired, resolved); crisis c's window is closed
    overlap = (
        (fired[:, None] <= truth.end[None, :])
        & (resolved[:, None] > truth.start[None, :])
        & truth.scope[:, entity].T
    )
    true = (overlap & truth.kind(CrisisVerdict.CONFIRMED)).any(axis=1)
    waiting = ~true & (overlap & truth.kind(CrisisVerdict.PENDING)).any(axis=1)
    false = ~true & ~waiting
    relevant = truth.relevant(rules)
    hit_alert, hit_crisis = np.nonzero(overlap & relevant[rule_of])
    first = np.full((n_rules, n_crises), NEVER, dtype=np.int64)
    np.minimum.at(first, (rule_of[hit_alert], hit_crisis), fired[hit_alert])
    caught = first < NEVER
    totals = np.bincount(rule_of, minlength=n_rules)
    trues = np.bincount(rule_of[true], minlength=n_rules)
    falses = np.bincount(rule_of[false], minlength=n_rules)
    pendings = np.bincount(rule_of[waiting], minlength=n_rules)
    keys = [window.crisis for window in truth.windows]
    outcomes: list[RuleOutcome] = []
    for row, rule in enumerate(rules):
        hits = np.flatnonzero(caught[row])
        outcomes.append(
            RuleOutcome(
                rule=rule.name,
                alerts=int(totals[row]),
                true_alerts=int(trues[row]),
                false_alarms=int(falses[row]),
                pending_alerts=int(pendings[row]),
                caught=tuple(keys[c] for c in hits),
                missed=tuple(
                    keys[c] for c in np.flatnonzero(relevant[row] & ~caught[row])
                ),
                delays={
                    keys[c]: dt.timedelta(
                        microseconds=int(first[row, c] - truth.onset[c])
                    )
                    for c in hits
                },
                alerts_per_entity_per_100_periods=float(totals[row]) / cells * 100.0,
            )
        )
    return tuple(outcomes)


# --- input checks -------------------------------------------------------------


def _check_rules(rules: object, history: Panel) -> tuple[TriggerRule, ...]:
    items = tuple(
        items_of(rules, "rules", TriggerRule, "an iterable of TriggerRule values")
    )
    if not items:
        raise ValidationError("rules", items, "at least one TriggerRule")
    seen: set[str] = set()
    for index, rule in enumerate(items):
        if rule.name in seen:
            raise DuplicateKeyError("rule", rule.name)
        seen.add(rule.name)
        for metric in rule.metrics:
            if metric not in history.metrics:
                raise UnknownKeyError(
                    f"metric (rules[{index}])", metric, history.metrics
                )
    return items


def _check_specs(
    specs: object, read: Mapping[str, None], current: ThresholdSet, history: Panel
) -> dict[str, BoundSpec]:
    if isinstance(specs, (str, bytes, Mapping, BoundSpec)) or not isinstance(
        specs, Iterable
    ):
        raise InvalidTypeError("specs", specs, "an iterable of BoundSpec values")
    by_name: dict[str, BoundSpec] = {}
    known = [*read, *(name for name in current.bounds if name not in read)]
    for index, spec in enumerate(tuple(specs)):
        if not isinstance(spec, BoundSpec):
            raise InvalidTypeError(f"specs[{index}]", spec, "a BoundSpec")
        if spec.name in by_name:
            raise DuplicateKeyError("bound name in specs", spec.name)
        if spec.name not in read and spec.name not in current.bounds:
            raise UnknownKeyError(f"bound (specs[{index}].name)", spec.name, known)
        if spec.name in read and spec.metric not in history.metrics:
            raise UnknownKeyError(
                f"metric (specs[{index}].metric)", spec.metric, history.metrics
            )
        by_name[spec.name] = spec
    missing = [name for name in read if name not in by_name]
    if missing:
        raise ValidationError(
            "specs",
            missing,
            "a BoundSpec for every calibrated bound the rules read (missing the "
            "ones shown)",
        )
    return by_name


def _check_factors(factors: object) -> tuple[float, ...]:
    expected = "an iterable of positive numbers"
    if isinstance(factors, (str, bytes, Mapping)) or not isinstance(factors, Iterable):
        raise InvalidTypeError("factors", factors, expected)
    items = tuple(factors)
    if not items:
        raise ValidationError("factors", items, "at least one factor")
    values: list[float] = []
    for index, item in enumerate(items):
        value = check_finite(item, f"factors[{index}]")
        if not 0.0 < value <= _MAX_FACTOR:
            raise ValidationError(
                f"factors[{index}]", item, f"a number in (0, {_MAX_FACTOR:g}]"
            )
        values.append(value)
    if len(set(values)) != len(values):
        raise ValidationError("factors", items, "factors without repeats")
    return tuple(sorted(values))


def _user_exclusion(exclude: object, history: Panel, kept: Panel) -> BoolArray | None:
    """``exclude`` (as for `calibrate`, over ``history``) on the kept periods."""
    mask = exclusion_mask(exclude, history)
    return None if mask is None else mask[: kept.n_periods]


def _next_period(kept: Panel, through: dt.datetime) -> dt.datetime:
    """Return the first period boundary after ``through`` (typical spacing)."""
    if kept.n_periods < 2:
        raise ValidationError(
            "valid_from",
            None,
            "a datetime: the history up to through holds a single period, so "
            "there is no typical spacing to derive it from",
        )
    spacing = int(np.median(np.diff(micros_of(kept.timestamps))))
    last = kept.timestamps[-1]
    steps = (micros(through) - micros(last)) // spacing + 1
    moment = last + dt.timedelta(microseconds=steps * spacing)
    while instant(moment) <= instant(through):  # a daylight-saving edge
        moment += dt.timedelta(microseconds=spacing)
    return moment


# --- choosing -----------------------------------------------------------------


def _components(bounds: Sequence[_RuleBounds]) -> list[list[int]]:
    """Group the rules that read a common bound (they must be tuned together)."""
    parent = list(range(len(bounds)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for index, rule_bounds in enumerate(bounds):
        for name in rule_bounds.read:
            if name in owner:
                parent[find(index)] = find(owner[name])
            else:
                owner[name] = index
    groups: dict[int, list[int]] = {}
    for index, rule_bounds in enumerate(bounds):
        if rule_bounds.read:
            groups.setdefault(find(index), []).append(index)
    return list(groups.values())


def _score(outcomes: Sequence[RuleOutcome]) -> tuple[int, int, float]:
    delays = [d // MICROSECOND for o in outcomes for d in o.delays.values()]
    mean = sum(delays) / len(delays) if delays else math.inf
    return (
        sum(o.false_alarms for o in outcomes),
        -sum(len(o.caught) for o in outcomes),
        mean,
    )


class _Choice:
    __slots__ = ("admissible", "factor", "rules")

    def __init__(
        self, rules: list[int], factor: float | None, *, admissible: int
    ) -> None:
        self.rules = rules
        self.factor = factor
        self.admissible = admissible


def _choose(
    group: list[int],
    names: Sequence[str],
    before: Sequence[RuleOutcome],
    candidates: Sequence[Candidate],
) -> _Choice:
    """Pick the factor for one group of rules (see the module docstring)."""
    base = [before[i] for i in group]
    best: tuple[tuple[int, int, float, float, int], float | None] = (
        (*_score(base), 0.0, 0),
        None,
    )
    admissible = 0
    for candidate in candidates:
        outcomes = [candidate.outcome(names[i]) for i in group]
        if not all(
            set(new.caught) >= set(old.caught)
            for new, old in zip(outcomes, base, strict=True)
        ):
            continue
        admissible += 1
        key = (*_score(outcomes), abs(math.log(candidate.factor)), 1)
        if key < best[0]:
            best = (key, candidate.factor)
    return _Choice(group, best[1], admissible=admissible)


def _reason(  # noqa: PLR0913  the pieces of one explanation
    choice: _Choice | None,
    *,
    rule: int,
    names: Sequence[str],
    bounds: Sequence[str],
    before: RuleOutcome,
    after: RuleOutcome,
) -> str:
    if choice is None:
        return "reads no calibrated bound: nothing to re-tune"
    others = [names[i] for i in choice.rules if i != rule]
    jointly = (
        f"; chosen jointly with {', '.join(others)} (shared bounds)" if others else ""
    )
    if choice.factor is None:
        if choice.admissible == 0:
            why = "no candidate keeps catching every crisis the current set catches"
        else:
            why = (
                "no candidate does better on this history than the current bounds "
                "(false alarms, crises caught, detection delay)"
            )
        return f"kept the current bounds: {why}{jointly}"
    decision = _decision_of(choice.factor)
    return (
        f"{decision.labels.en.lower()} {', '.join(bounds)} ×{choice.factor:g}: "
        f"false alarms {before.false_alarms} → {after.false_alarms}, "
        f"alerts {before.alerts} → {after.alerts}, "
        f"crises caught {len(before.caught)} → {len(after.caught)}; keeps every "
        f"crisis the current set catches{jointly}"
    )


# --- the entry point ----------------------------------------------------------


class _Inputs:
    """The validated arguments of one `retune` call."""

    __slots__ = (
        "bounds",
        "current",
        "factors",
        "kept",
        "margin",
        "read",
        "replay",
        "rules",
        "sides",
        "specs",
        "through",
        "valid_from",
        "version",
    )

    def __init__(  # noqa: PLR0913  every argument of retune that needs a check
        self,
        rules: object,
        history: object,
        *,
        specs: object,
        current: object,
        through: object,
        version: object,
        factors: object,
        start: object,
        margin: object,
        valid_from: object,
        window: object,
        groups: object,
    ) -> None:
        if not isinstance(history, Panel):
            raise InvalidTypeError("history", history, "a Panel")
        if history.n_periods == 0:
            raise ValidationError("history", "no periods", "a panel with periods")
        if not isinstance(current, ThresholdSet):
            raise InvalidTypeError("current", current, "a ThresholdSet")
        self.through = check_aware(through, "through")
        self.version = check_str(version, "version")
        if self.version == current.version:
            raise ValidationError(
                "version", version, "a version other than the current set's"
            )
        self.current = current
        self.rules = _check_rules(rules, history)
        self.bounds = [_RuleBounds(rule) for rule in self.rules]
        self.read, self.sides = _read_bounds(self.bounds, current)
        self.specs = _check_specs(specs, self.read, current, history)
        self.factors = _check_factors(factors)
        if not isinstance(margin, dt.timedelta):
            raise InvalidTypeError("margin", margin, "a timedelta")
        if margin < dt.timedelta(0):
            raise ValidationError("margin", margin, "a duration of zero or more")
        self.margin = margin
        self.kept, self.replay = _periods(history, self.through, start)
        _check_calibration_knobs(window, groups)
        if valid_from is None:
            self.valid_from = _next_period(self.kept, self.through)
        else:
            self.valid_from = check_aware(valid_from, "valid_from")
            if instant(self.valid_from) <= instant(self.through):
                raise ValidationError(
                    "valid_from",
                    valid_from,
                    f"after through ({self.through.isoformat()})",
                )


def _check_calibration_knobs(window: object, groups: object) -> None:
    """Check ``window`` and ``groups`` as `calibrate` would, even if it never runs."""
    if window is not None:
        if isinstance(window, bool) or not isinstance(window, int):
            raise InvalidTypeError("window", window, "an int (periods) or None")
        if window <= 0:
            raise ValidationError("window", window, "a positive number of periods")
    if groups is not None:
        expected = "a mapping of entity key to group name (str to non-blank str)"
        if not isinstance(groups, Mapping):
            raise InvalidTypeError("groups", groups, expected)
        for key, name in groups.items():
            if not isinstance(key, str):
                raise InvalidTypeError("groups", groups, expected)
            check_str(name, f"groups[{key!r}]")


def _read_bounds(
    bounds: Sequence[_RuleBounds], current: ThresholdSet
) -> tuple[dict[str, None], dict[str, str | None]]:
    """Every bound the rules read, and the one side their tiers read it on."""
    read: dict[str, None] = {}
    sides: dict[str, set[str]] = {}
    for index, rule_bounds in enumerate(bounds):
        for name in rule_bounds.read:
            if name not in current.bounds:
                raise UnknownKeyError(
                    f"threshold bound of rules[{index}] (in current)",
                    name,
                    current.bounds.keys(),
                )
            read[name] = None
        for name, used in rule_bounds.sides.items():
            sides.setdefault(name, set()).update(used)
    one_side = {
        name: (next(iter(sides[name])) if len(sides.get(name, ())) == 1 else None)
        for name in read
    }
    return read, one_side


def _periods(
    history: Panel, through: dt.datetime, start: object
) -> tuple[Panel, Panel]:
    """Return the history up to ``through`` and the part of it to replay."""
    kept = history.slice(end=instant(through) + MICROSECOND)
    if kept.n_periods == 0:
        raise ValidationError(
            "through",
            through,
            f"at or after the history's first period "
            f"({history.timestamps[0].isoformat()})",
        )
    if start is None:
        return kept, kept
    moment = instant(check_aware(start, "start"))
    if moment > instant(through):
        raise ValidationError(
            "start", start, f"at or before through ({through.isoformat()})"
        )
    replay = kept.slice(start=moment)
    if replay.n_periods == 0:
        raise ValidationError(
            "start", start, "a moment with a period at or before through"
        )
    return kept, replay


def retune(  # noqa: PLR0913  the knobs of a re-tuning are keywords
    rules: Iterable[TriggerRule],
    reviews: Iterable[Review],
    history: Panel,
    *,
    specs: Iterable[BoundSpec],
    current: ThresholdSet,
    through: dt.datetime,
    version: str,
    crises: Iterable[Crisis] = (),
    factors: Iterable[float] = DEFAULT_FACTORS,
    start: dt.datetime | None = None,
    margin: dt.timedelta = dt.timedelta(0),
    valid_from: dt.datetime | None = None,
    window: int | None = None,
    exclude: npt.ArrayLike | Iterable[tuple[dt.datetime, dt.datetime]] | None = None,
    groups: Mapping[str, str] | None = None,
) -> RetuneProposal:
    """Propose re-tuned thresholds for ``rules`` from the reviews, on ``history``.

    See the module docstring for the ground truth, the candidates, the scoring
    and the choice. Nothing after ``through`` is used, and nothing is
    applied: accept the result with `RetuneProposal.accept`.

    Parameters
    ----------
    rules
        The trigger rules to re-tune (unique names). Rules that read no
        calibrated bound are reported and kept.
    reviews
        The reviews (`crisisops.review.record.Review`), the ground truth: a
        review of a resolved crisis is a confirmed crisis, of a dismissed one
        a false alarm. Only reviews created at or before ``through`` count,
        the latest per crisis; drills are left out. Distinct keys.
    history
        The KPI history the rules watch.
    specs
        How each calibrated bound the rules read is fitted (the specs of the
        current set; one per bound). Specs of other bounds of ``current``
        are accepted and ignored: those bounds are carried over unchanged.
    current
        The threshold set in force; every bound the rules read must be in it.
    through
        The re-tuning date: only periods, crisis events and reviews at or
        before it are used.
    version
        The proposed set's version (not ``current.version``).
    crises
        Crises (`crisisops.response.Crisis`) known at ``through`` whose
        review is not written yet, each taken as it stood at ``through``:
        they are *pending* (neither true nor false alarms, their windows left
        out of calibration), except one merged into a reviewed crisis, which
        takes that review's verdict. A crisis given here that has a review is
        judged by the review, unless it was reopened after it (the review no
        longer describes it: pending again). Drills are left out. Default
        none; distinct keys.
    factors
        Looseness factors to try (positive, no repeats); `DEFAULT_FACTORS`.
    start
        First replayed period (default the history's first).
    margin
        Widen every crisis window by this much on each side (default 0),
        for matching alerts and for leaving periods out of calibration.
    valid_from
        When the proposed set would apply; after ``through``. Default the
        first period boundary after ``through`` (the typical spacing of the
        history up to ``through``).
    window, exclude, groups
        As for `crisisops.monitoring.calibrate` (``exclude`` adds to the
        crisis windows; a mask is aligned with ``history``).

    Returns
    -------
    RetuneProposal
        The proposed set, one `RuleChange` per rule with the numbers before
        and after, every candidate tried and the crisis windows used.

    Raises
    ------
    InvalidTypeError, NaiveDatetimeError, ValidationError
        For a bad argument: the message names it (``through`` before the
        history, ``version`` equal to the current one, a ``factor`` ≤ 0, a
        ``valid_from`` not after ``through``, a missing spec, ...).
    UnknownKeyError
        For a bound the rules read that ``current`` lacks, a metric not in
        the history, or a spec for an unknown bound (with suggestions).
    DuplicateKeyError
        For two rules, reviews, crises or specs with the same name or key.
    """
    checked = _Inputs(
        rules,
        history,
        specs=specs,
        current=current,
        through=through,
        version=version,
        factors=factors,
        start=start,
        margin=margin,
        valid_from=valid_from,
        window=window,
        groups=groups,
    )
    assert isinstance(history, Panel)  # noqa: S101  checked above; narrowing
    windows = _windows(_check_reviews(reviews), crisis_list(crises), checked.through)
    kept, replay = checked.kept, checked.replay
    truth = _Truth(
        windows,
        replay.entities,
        checked.margin,
        (micros(replay.timestamps[0]), micros(replay.timestamps[-1])),
    )
    mask = truth.exclusion(kept.timestamps)
    extra = _user_exclusion(exclude, history, kept)
    if extra is not None:
        mask |= extra
    first = replay.timestamps[0]
    cells = replay.n_periods * replay.n_entities
    all_rules = checked.rules
    names = [rule.name for rule in all_rules]

    def fit(fitted_specs: tuple[BoundSpec, ...], name: str) -> ThresholdSet:
        return calibrate(
            kept,
            fitted_specs,
            version=name,
            fitted_through=checked.through,
            valid_from=checked.valid_from,
            window=window,
            exclude=mask,
            groups=groups,
        )

    def score(
        rule_set: tuple[TriggerRule, ...], sets: ThresholdSet
    ) -> tuple[RuleOutcome, ...]:
        replayed = replay_threshold_set(sets, first)
        return _outcomes(
            rule_set, evaluate(rule_set, replay, [replayed]).alerts, truth, cells
        )

    before = score(all_rules, checked.current)
    tunable = tuple(r for r, b in zip(all_rules, checked.bounds, strict=True) if b.read)
    candidates: list[Candidate] = []
    if tunable:
        for factor in checked.factors:
            scaled = tuple(
                _scaled_spec(checked.specs[name], checked.sides[name], factor)
                for name in checked.read
            )
            outcomes = score(tunable, fit(scaled, f"{checked.version}@x{factor:g}"))
            candidates.append(Candidate(factor=factor, specs=scaled, outcomes=outcomes))
    choices: dict[int, _Choice] = {}
    for group in _components(checked.bounds):
        choice = _choose(group, names, before, candidates)
        for index in group:
            choices[index] = choice
    factor_of: dict[str, float] = {}
    for index, rule_bounds in enumerate(checked.bounds):
        chosen = choices.get(index)
        if chosen is not None and chosen.factor is not None:
            for name in rule_bounds.read:
                factor_of[name] = chosen.factor
    refit = tuple(
        _scaled_spec(checked.specs[name], checked.sides[name], factor_of[name])
        for name in checked.read
        if name in factor_of
    )
    proposed = _proposed_set(checked, refit, factor_of, fit)
    after = score(all_rules, proposed)
    changes = tuple(
        RuleChange(
            rule=rule.name,
            bounds=tuple(checked.bounds[index].read),
            decision=_decision_of(choices[index].factor if index in choices else None),
            factor=choices[index].factor if index in choices else None,
            before=before[index],
            after=after[index],
            reason=_reason(
                choices.get(index),
                rule=index,
                names=names,
                bounds=tuple(checked.bounds[index].read),
                before=before[index],
                after=after[index],
            ),
        )
        for index, rule in enumerate(all_rules)
    )
    return RetuneProposal(
        version=checked.version,
        current_version=checked.current.version,
        through=checked.through,
        proposed=proposed,
        specs=refit,
        rules=changes,
        candidates=candidates,
        crises=windows,
        margin=checked.margin,
        replay_start=first,
        replay_end=replay.timestamps[-1],
        periods=replay.n_periods,
        entities=replay.n_entities,
    )


def _proposed_set(
    checked: _Inputs,
    refit: tuple[BoundSpec, ...],
    factor_of: Mapping[str, float],
    fit: Any,  # noqa: ANN401  the calibrate closure of retune
) -> ThresholdSet:
    """Fit the chosen specs and carry every other bound of the current set over."""
    current = checked.current
    kept = checked.kept
    fitted: ThresholdSet | None = fit(refit, checked.version) if refit else None
    carried = current.reordered(kept.entities)
    bounds: dict[str, Any] = {}
    notes: dict[str, str] = {}
    for name in current.bounds:
        if fitted is not None and name in fitted.bounds:
            original = checked.specs[name].method.describe()
            bounds[name] = fitted.bounds[name]
            notes[name] = (
                f"re-tuned ×{factor_of[name]:g} of {original}; {fitted.notes[name]}"
            )
        else:
            bounds[name] = carried[name]
            previous = current.notes.get(name)
            notes[name] = f"kept from {current.version}" + (
                f": {previous}" if previous else ""
            )
    return ThresholdSet(
        version=checked.version,
        fitted_through=kept.timestamps[-1] if fitted is None else fitted.fitted_through,
        valid_from=checked.valid_from,
        entities=kept.entities,
        bounds=bounds,
        notes=notes,
    )
