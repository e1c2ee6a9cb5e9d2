"""Rule-based adjustment suggestions for a running crisis (book §5 實時反饋與調整策略).

Book §5 (實時反饋與調整策略) asks for a real-time feedback mechanism —
social media and online platforms, hotline, online service, e-mail, data
analysis and reports — and for adjusting on what it shows: "根據新收集的反饋
信息調整應對計劃 ... 包括對危機事件的評估、應對策略的制定以及資源的重新分配"
(re-assess the crisis, adjust the strategy, re-allocate resources), "靈活溝通策略"
(communicate as the public's mood demands) and "優化資源配置". Dispatch,
PagerDuty and Rootly leave those calls to people and to free-form workflows;
crisisops states them as four documented rules over the crisis's event log.
`suggest_adjustments()` returns what the rules find as `Suggestion` values —
data, not commands: the host (a person, a workflow) decides and, if it
agrees, issues ``crisis.escalate(...)``, ``crisis.reassign_action(...)`` or
``crisis.record_communication(...)`` itself.

The four rules, evaluated as of a moment ``as_of`` on the crisis as it stood
then (events after ``as_of`` are ignored):

1. **Escalate** (``escalate.bounds_breached``) when the feedback recorded in
   the last `AdjustmentPolicy.window` breaches the current level's bounds
   (`LevelBounds`): the volume-weighted mean sentiment is below
   ``sentiment_floor``, the pooled negative share is above
   ``negative_share_ceiling``, or a KPI reading is worse than its
   ``kpi_limits`` bound ("worse" per the metric's `Direction` in the
   `MetricCatalog`). Only feedback recorded after the last level change
   (and after the latest reopening) counts: the burst that justified one
   escalation cannot justify the next one minutes later — new feedback
   must show the new level is not enough. Target: one level more severe;
   nothing at Level I.
2. **De-escalate** (``de_escalate.recovered``) when the crisis has held its
   level for at least `AdjustmentPolicy.calm_period` since it last changed
   level or was reopened (time while resolved does not count), at least
   `AdjustmentPolicy.min_observations` feedback observations of the last
   calm period carry a measure the recovery bounds judge, and every one of
   them is within them (sentiment at or above ``recovery_sentiment``,
   negative share at or below ``recovery_negative_share``, each KPI at least
   as good as its ``recovery_kpis`` bound). Target: one level less severe;
   nothing at Level IV; never together with an escalation.
3. **Reallocate** (``reallocate.overdue`` / ``reallocate.at_risk``) for each
   outstanding action on the critical path — critical itself, or one that an
   outstanding critical action waits on, directly or through other
   outstanding actions — that is overdue, or is due within
   `AdjustmentPolicy.at_risk_within` and not under way (open or blocked).
   One suggestion per slipping action, naming it and its owner.
4. **Communicate**: with a `CommunicationPlan`, one suggestion per group
   whose first message (``communicate.first_message_overdue``) or next
   update (``communicate.update_overdue``) is past its deadline and still
   unsent (`check_communications`); without a plan
   (``communicate.silence``), when nothing was communicated for longer than
   the level's external update interval
   (``default_cadence(level, internal=False).every``) since the last
   communication, the declaration or the last reopening, whichever is latest
   (silence while the crisis was resolved is not a missed update).

Only an active crisis (detected to recovering) gets suggestions; a resolved,
reviewed, dismissed or merged one gets none. Sentiment is a score in
``[-1, 1]`` (-1 all negative, +1 all positive), the convention of lexicon
scores such as VADER's compound score (Hutto & Gilbert 2014), averaged over a
batch of feedback.

The default bounds (`AdjustmentPolicy.default()`) are crisisops' documented
choices, not the book's (it gives no numbers): a shop tunes them from its own
history, as it calibrates trigger points (book §3 找到合理範圍, 定期調整). The
recovery bounds are stricter than the escalation bounds of the same level and
of the level below (hysteresis), so a suggestion does not flip back and forth
on the same feedback.

References
----------
Hutto, C. J., and Eric Gilbert. 2014. "VADER: A Parsimonious Rule-Based Model
for Sentiment Analysis of Social Media Text." *Proceedings of the
International AAAI Conference on Web and Social Media* 8 (1): 216–25.

PagerDuty. "Severity Levels." *PagerDuty Incident Response Documentation*:
"If you are unsure which level an incident is, treat it as the higher one."
https://response.pagerduty.com/before/severity_levels/.

Examples
--------
A Level III traffic drop (book §5.4 案例二) declared at 09:00 UTC. Within the
hour, social media turns sour:

>>> from datetime import datetime, timedelta, timezone
>>> from crisisops.response.adjustments import suggest_adjustments
>>> from crisisops.response.crisis import Crisis
>>> from crisisops.response.records import FeedbackChannel
>>> from crisisops.taxonomy import ResponseLevel
>>> start = datetime(2026, 6, 18, 9, 0, tzinfo=timezone.utc)
>>> crisis = Crisis.declare(
...     "traffic_drop_0618",
...     title="Traffic fell by half",
...     crisis_type="market.traffic_swing",
...     level=ResponseLevel.III,
...     at=start,
...     actor="monitor",
...     lead="alice",
... )
>>> crisis = crisis.record_feedback(
...     at=start + timedelta(minutes=40),
...     actor="social_team",
...     channel=FeedbackChannel.SOCIAL_MEDIA,
...     volume=300,
...     sentiment=-0.55,
...     negative_share=0.62,
... )
>>> (suggestion,) = suggest_adjustments(crisis, as_of=start + timedelta(minutes=45))
>>> suggestion.rule, suggestion.kind.labels.zh_hant, suggestion.target_level.value
('escalate.bounds_breached', '升級響應級別', 'II')
>>> suggestion.evidence["sentiment"], suggestion.evidence["sentiment_floor"]
(-0.55, -0.4)

Level III allows a mean sentiment down to -0.4 and a negative share up to
0.5; both are breached, so the rules suggest Level II — the host decides.
Two hours in, the burst has left the one-hour window, but nobody has said a
word to the outside for longer than Level III's one-hour update interval:

>>> later = suggest_adjustments(crisis, as_of=start + timedelta(hours=2))
>>> [(s.kind.value, s.rule) for s in later]
[('communicate', 'communicate.silence')]
>>> later[0].evidence["silence_seconds"], later[0].evidence["limit_seconds"]
(7200.0, 3600.0)
"""

from __future__ import annotations

import bisect
import datetime as dt
import enum
import itertools
from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from crisisops._time import instant, span_text
from crisisops._validation import (
    check_aware,
    check_finite,
    check_key,
    field_name,
    is_aware_datetime,
    is_enum,
    is_finite,
    is_key,
    is_optional,
    is_text,
)
from crisisops.errors import InvalidTypeError, UnknownKeyError, ValidationError
from crisisops.frozen import FrozenDict
from crisisops.labels import Labels
from crisisops.monitoring.metrics import Direction, MetricCatalog, default_metrics
from crisisops.response._checks import (
    to_float,
)
from crisisops.response.communication import check_communications
from crisisops.response.crisis import Crisis, check_crisis
from crisisops.response.records import Action, ActionStatus
from crisisops.stakeholders.communication import (
    FALLBACK_OWNER_ROLE,
    CommunicationPlan,
    FindingKind,
    default_cadence,
)
from crisisops.taxonomy import ResponseLevel

__all__ = [
    "AdjustmentPolicy",
    "LevelBounds",
    "Suggestion",
    "SuggestionKind",
    "suggest_adjustments",
]

_labels = Labels.of
_ZERO = dt.timedelta(0)
_SECOND = dt.timedelta(seconds=1)


# --- suggestion kinds ---------------------------------------------------------------


class SuggestionKind(enum.Enum):
    """What a `Suggestion` proposes; the order of the members is the order of output.

    The four adjustments of book §5 (實時反饋與調整策略): re-assess the level
    (升級 / 降低響應級別), re-allocate resources (資源的重新分配), and
    communicate as the situation demands (靈活溝通策略, 跟進與反饋).

    Examples
    --------
    >>> from crisisops.response.adjustments import SuggestionKind
    >>> [(kind.value, kind.rank, kind.labels.zh_hant) for kind in SuggestionKind]
    ... # doctest: +NORMALIZE_WHITESPACE
    [('escalate', 0, '升級響應級別'), ('de_escalate', 1, '降低響應級別'),
     ('reallocate', 2, '重新調配資源'), ('communicate', 3, '補發溝通')]
    """

    ESCALATE = "escalate"
    DE_ESCALATE = "de_escalate"
    REALLOCATE = "reallocate"
    COMMUNICATE = "communicate"

    @property
    def labels(self) -> Labels:
        """Name of the adjustment in English, 繁體 and 简体."""
        return _KIND_LABELS[self]

    @property
    def rank(self) -> int:
        """Position in the output order: 0 for escalate ... 3 for communicate."""
        return _KIND_ORDER.index(self)


_KIND_ORDER = tuple(SuggestionKind)
_KIND_LABELS = {
    SuggestionKind.ESCALATE: _labels(
        "Escalate the response level", "升級響應級別", "升级响应级别"
    ),
    SuggestionKind.DE_ESCALATE: _labels(
        "De-escalate the response level", "降低響應級別", "降低响应级别"
    ),
    SuggestionKind.REALLOCATE: _labels(
        "Reallocate resources", "重新調配資源", "重新调配资源"
    ),
    SuggestionKind.COMMUNICATE: _labels("Communicate now", "補發溝通", "补发沟通"),
}


# --- shared validators --------------------------------------------------------------


def _to_float_mapping(value: Any) -> Any:  # noqa: ANN401  the validator reports odd input
    """Turn a mapping into a `FrozenDict` with ``int`` values made ``float``."""
    if not isinstance(value, Mapping):
        return value
    return FrozenDict((key, to_float(number)) for key, number in value.items())


def _float_mapping(*, keys: str) -> Any:  # noqa: ANN401  an attrs validator
    """Validate a FrozenDict of key (dotted) → finite float."""

    def validate(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
        name = field_name(attribute)
        if not isinstance(value, FrozenDict):
            raise InvalidTypeError(name, value, f"a mapping of {keys} to number")
        for key, number in value.items():
            if not isinstance(key, str):
                raise InvalidTypeError(f"{name} key", key, f"a {keys} (str)")
            check_finite(number, f"{name}[{key!r}]")

    return validate


def _metric_keys(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    for key in value:
        check_key(key, f"{field_name(attribute)} key")


def _check_duration(value: object, field: str, *, positive: bool) -> dt.timedelta:
    if not isinstance(value, dt.timedelta):
        raise InvalidTypeError(field, value, "a datetime.timedelta")
    if value < _ZERO or (positive and value == _ZERO):
        raise ValidationError(
            field, value, "a duration > 0" if positive else "a duration >= 0"
        )
    return value


def _positive_duration(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    _check_duration(value, field_name(attribute), positive=True)


def _non_negative_duration(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    _check_duration(value, field_name(attribute), positive=False)


def _at_least_as_good(recovery: float, limit: float, *, higher_is_better: bool) -> bool:
    return recovery >= limit if higher_is_better else recovery <= limit


# --- bounds -------------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class LevelBounds:
    """What one response level tolerates, and what counts as recovered from it.

    The escalation bounds say when the situation has outgrown the level
    (rule 1 of `suggest_adjustments()`); the recovery bounds say when it has
    calmed enough to step down (rule 2). Every bound is optional: an unset
    bound is not judged.

    Attributes
    ----------
    sentiment_floor
        Escalate when the volume-weighted mean sentiment of the feedback in
        the window is below this, in ``[-1, 1]``.
    negative_share_ceiling
        Escalate when the pooled negative share of the feedback in the
        window (negative items / items) is above this, in ``[0, 1]``.
    kpi_limits
        Metric key → escalation bound: escalate when a KPI reading in the
        window is worse than it (below it for a higher-is-better metric,
        above it for a lower-is-better one).
    recovery_sentiment
        Recovered when every observation of the calm period has a sentiment
        at or above this, in ``[-1, 1]``; at least ``sentiment_floor``.
    recovery_negative_share
        Recovered when every observation of the calm period has a negative
        share at or below this, in ``[0, 1]``; at most
        ``negative_share_ceiling``.
    recovery_kpis
        Metric key → recovery bound: recovered when every reading of the
        calm period is at least as good as it. That it is at least as good
        as the metric's escalation bound is checked against a metric
        catalog by `AdjustmentPolicy.check_metrics()` (the direction lives
        there).

    Raises
    ------
    ValidationError, InvalidTypeError
        For a bound out of range or not a number, a malformed metric key, or
        a recovery bound worse than the escalation bound it pairs with.

    Examples
    --------
    Level III's default bounds, plus a conversion-rate limit:

    >>> from crisisops.response.adjustments import LevelBounds
    >>> bounds = LevelBounds(
    ...     sentiment_floor=-0.4,
    ...     negative_share_ceiling=0.5,
    ...     kpi_limits={"sales.conversion_rate": 0.02},
    ...     recovery_sentiment=-0.1,
    ...     recovery_negative_share=0.3,
    ... )
    >>> bounds.escalates, bounds.recovers, bounds.metric_keys
    (True, True, ('sales.conversion_rate',))
    >>> LevelBounds().escalates  # nothing set: nothing judged
    False

    Recovery must be at least as good as the escalation bound it pairs with:

    >>> LevelBounds(sentiment_floor=-0.4, recovery_sentiment=-0.6)
    Traceback (most recent call last):
    ...
    crisisops.errors.ValidationError: 'recovery_sentiment' must be at least sentiment_floor (-0.4): recovery must be at least as good as the escalation bound (got -0.6)
    """  # noqa: E501  doctest output is one line

    sentiment_floor: float | None = attrs.field(
        default=None,
        converter=to_float,
        validator=is_optional(is_finite(low=-1.0, high=1.0)),
    )
    negative_share_ceiling: float | None = attrs.field(
        default=None,
        converter=to_float,
        validator=is_optional(is_finite(low=0.0, high=1.0)),
    )
    kpi_limits: FrozenDict[str, float] = attrs.field(
        factory=FrozenDict,
        converter=_to_float_mapping,
        validator=[_float_mapping(keys="metric key"), _metric_keys],
    )
    recovery_sentiment: float | None = attrs.field(
        default=None,
        converter=to_float,
        validator=is_optional(is_finite(low=-1.0, high=1.0)),
    )
    recovery_negative_share: float | None = attrs.field(
        default=None,
        converter=to_float,
        validator=is_optional(is_finite(low=0.0, high=1.0)),
    )
    recovery_kpis: FrozenDict[str, float] = attrs.field(
        factory=FrozenDict,
        converter=_to_float_mapping,
        validator=[_float_mapping(keys="metric key"), _metric_keys],
    )

    def __attrs_post_init__(self) -> None:
        """Check that each recovery bound is as good as its escalation bound."""
        floor, recovery = self.sentiment_floor, self.recovery_sentiment
        if floor is not None and recovery is not None and recovery < floor:
            raise ValidationError(
                "recovery_sentiment",
                recovery,
                f"at least sentiment_floor ({floor:g}): recovery must be at "
                "least as good as the escalation bound",
            )
        ceiling, share = self.negative_share_ceiling, self.recovery_negative_share
        if ceiling is not None and share is not None and share > ceiling:
            raise ValidationError(
                "recovery_negative_share",
                share,
                f"at most negative_share_ceiling ({ceiling:g}): recovery must be "
                "at least as good as the escalation bound",
            )

    @property
    def escalates(self) -> bool:
        """Whether any escalation bound is set."""
        return (
            self.sentiment_floor is not None
            or self.negative_share_ceiling is not None
            or bool(self.kpi_limits)
        )

    @property
    def recovers(self) -> bool:
        """Whether any recovery bound is set."""
        return (
            self.recovery_sentiment is not None
            or self.recovery_negative_share is not None
            or bool(self.recovery_kpis)
        )

    @property
    def metric_keys(self) -> tuple[str, ...]:
        """The metric keys bounded at this level, escalation ones first, each once."""
        return tuple(dict.fromkeys((*self.kpi_limits, *self.recovery_kpis)))


_HOUR = dt.timedelta(hours=1)

#: The default bounds per level: (sentiment floor, negative-share ceiling,
#: recovery sentiment, recovery negative share); None = not judged.
_DEFAULT_BOUNDS: dict[
    ResponseLevel, tuple[float | None, float | None, float | None, float | None]
] = {
    ResponseLevel.IV: (-0.2, 0.35, None, None),
    ResponseLevel.III: (-0.4, 0.5, -0.1, 0.3),
    ResponseLevel.II: (-0.6, 0.65, -0.3, 0.45),
    ResponseLevel.I: (None, None, -0.5, 0.6),
}


def _default_levels() -> FrozenDict[ResponseLevel, LevelBounds]:
    return FrozenDict(
        (
            level,
            LevelBounds(
                sentiment_floor=floor,
                negative_share_ceiling=ceiling,
                recovery_sentiment=recovery,
                recovery_negative_share=share,
            ),
        )
        for level, (floor, ceiling, recovery, share) in _DEFAULT_BOUNDS.items()
    )


def _to_levels(value: Any) -> Any:  # noqa: ANN401  the validator reports odd input
    if not isinstance(value, Mapping):
        return value
    converted: dict[Any, Any] = {}
    for key, bounds in value.items():
        level = key
        if isinstance(key, str):
            try:
                level = ResponseLevel(key)
            except ValueError:
                raise UnknownKeyError(
                    "response level (in levels)",
                    key,
                    [lv.value for lv in ResponseLevel],
                ) from None
        converted[level] = bounds
    return FrozenDict(converted)


def _check_levels(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, FrozenDict):
        raise InvalidTypeError(name, value, "a mapping of ResponseLevel to LevelBounds")
    for level, bounds in value.items():
        if not isinstance(level, ResponseLevel):
            raise InvalidTypeError(f"{name} key", level, "a ResponseLevel")
        if not isinstance(bounds, LevelBounds):
            raise InvalidTypeError(f"{name}[{level.value!r}]", bounds, "a LevelBounds")
    missing = [lv.value for lv in ResponseLevel if lv not in value]
    if missing:
        raise ValidationError(
            name,
            sorted(lv.value for lv in value),
            f"bounds for every level (missing {missing})",
        )


def _check_min_observations(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(name, value, "an int")
    if value < 1:
        raise ValidationError(name, value, "an int >= 1")


# Levels from least to most severe: each one's recovery bounds must be at least
# as good as the escalation bounds of the level below it.
_ASCENDING = (ResponseLevel.IV, ResponseLevel.III, ResponseLevel.II, ResponseLevel.I)


@attrs.frozen(kw_only=True)
class AdjustmentPolicy:
    """The bounds and time spans the rules of `suggest_adjustments()` use.

    The defaults (also `AdjustmentPolicy.default()`) are crisisops' choices
    for a mid-sized shop, to be tuned from its own history:

    ===== =============== ================= ================== ==================
    Level sentiment floor negative-share    recovery sentiment recovery negative
                          ceiling           (every batch)      share (every batch)
    ===== =============== ================= ================== ==================
    IV    -0.2            0.35              —                  —
    III   -0.4            0.50              -0.1               0.30
    II    -0.6            0.65              -0.3               0.45
    I     —               —                 -0.5               0.60
    ===== =============== ================= ================== ==================

    No KPI bounds by default: a conversion-rate bound means nothing without
    the shop's baseline; take them from the monitoring thresholds (book §3
    找到合理範圍). ``window`` 1 h, ``calm_period`` 4 h, ``min_observations``
    3, ``at_risk_within`` 1 h.

    Attributes
    ----------
    levels
        `LevelBounds` for each of the four levels (keys `ResponseLevel` or
        ``"I"`` ... ``"IV"``). Level I may not have escalation bounds (there
        is no level above it) and Level IV no recovery bounds (none below);
        they would be silently ignored.
    window
        How far back rule 1 (escalate) looks: the feedback recorded in
        ``(as_of - window, as_of]``; ``> 0``.
    calm_period
        How far back rule 2 (de-escalate) looks, and how long the crisis must
        have held its level first; ``> 0``.
    min_observations
        How many judged feedback observations rule 2 needs in the calm
        period, ``>= 1``.
    at_risk_within
        Rule 3 (reallocate): an action on the critical path due within this
        span and not under way is at risk; ``>= 0``.

    Raises
    ------
    ValidationError, InvalidTypeError, UnknownKeyError
        For a missing level, escalation bounds at Level I, recovery bounds
        at Level IV, a recovery bound of a level worse than the escalation
        bound of the level below it (the suggestion would flip back at
        once), or a bad duration or count.

    Examples
    --------
    >>> from crisisops.response.adjustments import AdjustmentPolicy, LevelBounds
    >>> from crisisops.taxonomy import ResponseLevel
    >>> policy = AdjustmentPolicy.default()
    >>> level_iii = policy.bounds(ResponseLevel.III)
    >>> level_iii.sentiment_floor, level_iii.negative_share_ceiling
    (-0.4, 0.5)
    >>> str(policy.window), str(policy.calm_period), policy.min_observations
    ('1:00:00', '4:00:00', 3)

    A shop whose customers complain readily escalates Level III sooner:

    >>> stricter = policy.with_bounds(
    ...     ResponseLevel.III,
    ...     LevelBounds(
    ...         sentiment_floor=-0.3,
    ...         negative_share_ceiling=0.5,
    ...         recovery_sentiment=-0.1,
    ...         recovery_negative_share=0.3,
    ...     ),
    ... )
    >>> stricter.bounds(ResponseLevel.III).sentiment_floor
    -0.3

    Lowering Level III's negative-share ceiling to 0.4 would clash with Level
    II's recovery bound (0.45): a crisis stepped down from II on a share of
    0.45 would be escalated straight back. The policy refuses it:

    >>> policy.with_bounds(
    ...     ResponseLevel.III,
    ...     LevelBounds(sentiment_floor=-0.4, negative_share_ceiling=0.4),
    ... )
    Traceback (most recent call last):
    ...
    crisisops.errors.ValidationError: "levels['II'].recovery_negative_share" must be at least as good as levels['III'].negative_share_ceiling (0.4), or a de-escalation would be escalated again on the same feedback (got 0.45)
    """  # noqa: E501  doctest output is one line

    levels: FrozenDict[ResponseLevel, LevelBounds] = attrs.field(
        factory=_default_levels, converter=_to_levels, validator=_check_levels
    )
    window: dt.timedelta = attrs.field(default=_HOUR, validator=_positive_duration)
    calm_period: dt.timedelta = attrs.field(
        default=4 * _HOUR, validator=_positive_duration
    )
    min_observations: int = attrs.field(default=3, validator=_check_min_observations)
    at_risk_within: dt.timedelta = attrs.field(
        default=_HOUR, validator=_non_negative_duration
    )

    def __attrs_post_init__(self) -> None:
        """Check the ends of the scale and the hysteresis between adjacent levels."""
        if self.levels[ResponseLevel.I].escalates:
            raise ValidationError(
                "levels['I']",
                self.levels[ResponseLevel.I],
                "no escalation bounds at Level I (there is no level above it)",
            )
        if self.levels[ResponseLevel.IV].recovers:
            raise ValidationError(
                "levels['IV']",
                self.levels[ResponseLevel.IV],
                "no recovery bounds at Level IV (there is no level below it)",
            )
        for lower, upper in itertools.pairwise(_ASCENDING):
            below, above = self.levels[lower], self.levels[upper]
            pairs = (
                ("recovery_sentiment", above.recovery_sentiment,
                 "sentiment_floor", below.sentiment_floor, True),
                ("recovery_negative_share", above.recovery_negative_share,
                 "negative_share_ceiling", below.negative_share_ceiling, False),
            )  # fmt: skip
            for rec_name, recovery, limit_name, limit, higher in pairs:
                if recovery is None or limit is None:
                    continue
                if not _at_least_as_good(recovery, limit, higher_is_better=higher):
                    raise ValidationError(
                        f"levels[{upper.value!r}].{rec_name}",
                        recovery,
                        f"at least as good as levels[{lower.value!r}].{limit_name} "
                        f"({limit:g}), or a de-escalation would be escalated again "
                        "on the same feedback",
                    )

    @classmethod
    def default(cls) -> AdjustmentPolicy:
        """Return the default policy (see the class docstring for its numbers)."""
        return cls()

    def bounds(self, level: ResponseLevel) -> LevelBounds:
        """Return the bounds of ``level``."""
        if not isinstance(level, ResponseLevel):
            raise InvalidTypeError("level", level, "a ResponseLevel")
        return self.levels[level]

    def with_bounds(
        self, level: ResponseLevel, bounds: LevelBounds
    ) -> AdjustmentPolicy:
        """Return a copy with the bounds of ``level`` replaced (validated again)."""
        if not isinstance(level, ResponseLevel):
            raise InvalidTypeError("level", level, "a ResponseLevel")
        if not isinstance(bounds, LevelBounds):
            raise InvalidTypeError("bounds", bounds, "a LevelBounds")
        return attrs.evolve(self, levels=self.levels.set(level, bounds))

    def check_metrics(self, metrics: MetricCatalog) -> None:
        """Check the KPI bounds against a metric catalog, which knows each direction.

        Every bounded metric must be in ``metrics``; each recovery bound must
        be at least as good as the escalation bound of the same metric at the
        same level and at the level below (as `LevelBounds` and the class
        check for sentiment and negative share).

        Raises
        ------
        InvalidTypeError
            If ``metrics`` is not a `MetricCatalog`.
        UnknownKeyError
            For a bounded metric the catalog does not have (with suggestions).
        ValidationError
            For a recovery bound worse than an escalation bound it pairs with.
        """
        if not isinstance(metrics, MetricCatalog):
            raise InvalidTypeError("metrics", metrics, "a MetricCatalog")
        known = [metric.key for metric in metrics]
        for level in _ASCENDING:
            bounds = self.levels[level]
            for field in ("kpi_limits", "recovery_kpis"):
                for key in getattr(bounds, field):
                    if key not in metrics:
                        raise UnknownKeyError(
                            f"metric (in levels[{level.value!r}].{field})", key, known
                        )
        for position, level in enumerate(_ASCENDING):
            bounds = self.levels[level]
            limits = [(level, bounds.kpi_limits)]
            if position > 0:
                lower = _ASCENDING[position - 1]
                limits.append((lower, self.levels[lower].kpi_limits))
            for key, recovery in bounds.recovery_kpis.items():
                higher = metrics[key].direction is Direction.HIGHER_IS_BETTER
                for other, kpi_limits in limits:
                    limit = kpi_limits.get(key)
                    if limit is None:
                        continue
                    if not _at_least_as_good(recovery, limit, higher_is_better=higher):
                        raise ValidationError(
                            f"levels[{level.value!r}].recovery_kpis[{key!r}]",
                            recovery,
                            f"at least as good as levels[{other.value!r}]"
                            f".kpi_limits[{key!r}] ({limit:g}; "
                            f"{metrics[key].direction.value})",
                        )


# --- suggestions --------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Suggestion:
    """One adjustment the rules propose; the host decides whether to act on it.

    Attributes
    ----------
    kind
        What is proposed (`SuggestionKind`).
    rule
        Dotted key of the rule that fired; its first word is the kind, e.g.
        ``"escalate.bounds_breached"``, ``"reallocate.overdue"``,
        ``"communicate.silence"`` (see `suggest_adjustments()`).
    reason
        Why, in a sentence a person can act on.
    as_of
        The moment the rules were evaluated at.
    target_level
        The level to move to (escalate and de-escalate only).
    action
        Key of the slipping action (reallocate only).
    owner
        Who is concerned: the slipping action's owner (reallocate), or the
        member who should send the message (communicate: a holder of the
        group's owner role, else of ``comms_liaison``, else the lead).
    audience
        The plan group to communicate with (communicate with a plan only).
    evidence
        The numbers behind the suggestion, by name (durations in seconds),
        e.g. ``{"sentiment": -0.55, "sentiment_floor": -0.4}``.

    Raises
    ------
    ValidationError, InvalidTypeError
        For a rule that does not start with the kind, or fields that do not
        fit the kind (a target level on a reallocation, no action on one, ...).

    Examples
    --------
    What rule 3 reports for a slipping action; `suggest_adjustments()` builds
    these, a host reads them:

    >>> import datetime as dt
    >>> from crisisops.response.adjustments import Suggestion, SuggestionKind
    >>> t0 = dt.datetime(2026, 6, 18, 9, 0, tzinfo=dt.timezone.utc)
    >>> suggestion = Suggestion(
    ...     kind=SuggestionKind.REALLOCATE,
    ...     rule="reallocate.overdue",
    ...     reason="Action 'restock' is 2 h past its deadline",
    ...     as_of=t0,
    ...     action="restock",
    ...     owner="lin",
    ...     evidence={"overdue_seconds": 7200},
    ... )
    >>> suggestion.subject, suggestion.sort_key, suggestion.evidence["overdue_seconds"]
    ('restock', (2, 'reallocate.overdue', 'restock'), 7200.0)

    The rule key must start with the kind:

    >>> Suggestion(
    ...     kind=SuggestionKind.COMMUNICATE,
    ...     rule="reallocate.overdue",
    ...     reason="Nothing said for two hours",
    ...     as_of=t0,
    ... )
    Traceback (most recent call last):
    ...
    crisisops.errors.ValidationError: 'rule' must be a rule key starting with 'communicate' (got 'reallocate.overdue')
    """  # noqa: E501  doctest output is one line

    kind: SuggestionKind = attrs.field(validator=is_enum(SuggestionKind))
    rule: str = attrs.field(validator=is_key())
    reason: str = attrs.field(validator=is_text())
    as_of: dt.datetime = attrs.field(validator=is_aware_datetime())
    target_level: ResponseLevel | None = attrs.field(
        default=None, validator=is_optional(is_enum(ResponseLevel))
    )
    action: str | None = attrs.field(default=None, validator=is_optional(is_key()))
    owner: str | None = attrs.field(default=None, validator=is_optional(is_key()))
    audience: str | None = attrs.field(
        default=None, validator=is_optional(is_key(dotted=False))
    )
    evidence: FrozenDict[str, float] = attrs.field(
        factory=FrozenDict,
        converter=_to_float_mapping,
        validator=_float_mapping(keys="name"),
    )

    def __attrs_post_init__(self) -> None:
        """Check that the rule and the fields fit the kind."""
        if self.rule.split(".", 1)[0] != self.kind.value:
            raise ValidationError(
                "rule", self.rule, f"a rule key starting with {self.kind.value!r}"
            )
        moves = self.kind in (SuggestionKind.ESCALATE, SuggestionKind.DE_ESCALATE)
        if moves != (self.target_level is not None):
            raise ValidationError(
                "target_level",
                self.target_level,
                "a level for escalate and de-escalate, None otherwise",
            )
        reallocates = self.kind is SuggestionKind.REALLOCATE
        if reallocates != (self.action is not None):
            raise ValidationError(
                "action", self.action, "an action key for reallocate, None otherwise"
            )
        if reallocates and self.owner is None:
            raise ValidationError("owner", None, "the owner of the slipping action")
        if moves and self.owner is not None:
            raise ValidationError("owner", self.owner, "None for a level change")
        if self.audience is not None and self.kind is not SuggestionKind.COMMUNICATE:
            raise ValidationError(
                "audience",
                self.audience,
                "None unless the suggestion is to communicate",
            )

    @property
    def subject(self) -> str | None:
        """The action or audience concerned, if any."""
        return self.action if self.action is not None else self.audience

    @property
    def sort_key(self) -> tuple[int, str, str]:
        """The output order: kind, then rule key, then action or audience key."""
        return (self.kind.rank, self.rule, self.subject or "")


# --- evaluation ---------------------------------------------------------------------


FloatArray = npt.NDArray[np.float64]


def _state_at(crisis: Crisis, as_of: dt.datetime) -> Crisis:
    """Return the crisis as it stood at ``as_of`` (its events up to then)."""
    now = instant(as_of)
    if instant(crisis.last_event_at) <= now:
        return crisis
    events = crisis.events
    count = bisect.bisect_right(events, now, key=lambda event: instant(event.at))
    return Crisis.from_events(
        events[:count], roles=crisis.roles, catalog=crisis.catalog
    )


@attrs.frozen
class _Feedback:
    """The crisis's feedback as arrays, one entry per observation."""

    at: npt.NDArray[np.datetime64]
    volume: FloatArray
    sentiment: FloatArray  # NaN where the batch has none (or no volume)
    negative_share: FloatArray  # likewise
    kpis: dict[str, FloatArray]  # only the bounded metrics; NaN where not read


def _naive_utc(moment: dt.datetime) -> dt.datetime:
    return instant(moment).replace(tzinfo=None)


def _feedback_arrays(crisis: Crisis, metric_keys: Iterable[str]) -> _Feedback:
    feedback = crisis.feedback
    nan = float("nan")
    at = np.array([_naive_utc(f.at) for f in feedback], dtype="datetime64[us]")
    volume = np.array([f.volume for f in feedback], dtype=np.float64)
    counted = volume > 0  # a batch of no items says nothing about the mood
    sentiment = np.array(
        [nan if f.sentiment is None else f.sentiment for f in feedback],
        dtype=np.float64,
    )
    share = np.array(
        [nan if f.negative_share is None else f.negative_share for f in feedback],
        dtype=np.float64,
    )
    kpis = {
        key: np.array([f.kpis.get(key, nan) for f in feedback], dtype=np.float64)
        for key in metric_keys
    }
    return _Feedback(
        at=at,
        volume=volume,
        sentiment=np.where(counted, sentiment, nan),
        negative_share=np.where(counted, share, nan),
        kpis=kpis,
    )


def _since(
    data: _Feedback, as_of: dt.datetime, span: dt.timedelta
) -> npt.NDArray[np.bool_]:
    """Mask of the observations recorded in ``(as_of - span, as_of]``."""
    end = np.datetime64(_naive_utc(as_of), "us")
    start = np.datetime64(_naive_utc(as_of) - span, "us")
    return (data.at > start) & (data.at <= end)


def _weighted(values: FloatArray, weights: FloatArray) -> float | None:
    """Volume-weighted mean of the non-NaN ``values``, or None without weight."""
    known = ~np.isnan(values)
    total = float(weights[known].sum())
    if total <= 0:
        return None
    return float((values[known] * weights[known]).sum() / total)


def _worst(values: FloatArray, *, higher_is_better: bool) -> float | None:
    known = values[~np.isnan(values)]
    if known.size == 0:
        return None
    return float(known.min() if higher_is_better else known.max())


def _higher(metrics: MetricCatalog, key: str) -> bool:
    return metrics[key].direction is Direction.HIGHER_IS_BETTER


def _seconds(span: dt.timedelta) -> float:
    return span / _SECOND


def _escalation(
    state: Crisis,
    as_of: dt.datetime,
    policy: AdjustmentPolicy,
    data: _Feedback,
    metrics: MetricCatalog,
) -> Suggestion | None:
    """Rule 1: the feedback of the window breaches the level's escalation bounds."""
    level = state.level
    bounds = policy.levels[level]
    if level is ResponseLevel.I or not bounds.escalates:
        return None
    # Only what was recorded since the level last changed judges this level.
    at_level = instant(as_of) - max(
        instant(state.level_changes[-1].at), _current_period_start(state)
    )
    recent = _since(data, as_of, min(policy.window, at_level))
    if not recent.any():
        return None
    evidence: dict[str, float] = {
        "observations": float(recent.sum()),
        "volume": float(data.volume[recent].sum()),
    }
    breaches: list[str] = []
    floor = bounds.sentiment_floor
    mean = _weighted(data.sentiment[recent], data.volume[recent])
    if floor is not None and mean is not None:
        evidence |= {"sentiment": mean, "sentiment_floor": floor}
        if mean < floor:
            breaches.append(
                f"volume-weighted sentiment {mean:.2f} is below the floor {floor:g}"
            )
    ceiling = bounds.negative_share_ceiling
    share = _weighted(data.negative_share[recent], data.volume[recent])
    if ceiling is not None and share is not None:
        evidence |= {"negative_share": share, "negative_share_ceiling": ceiling}
        if share > ceiling:
            breaches.append(
                f"negative share {share:.2f} is above the ceiling {ceiling:g}"
            )
    for key, limit in bounds.kpi_limits.items():
        higher = _higher(metrics, key)
        worst = _worst(data.kpis[key][recent], higher_is_better=higher)
        if worst is None:
            continue
        evidence |= {f"kpi.{key}": worst, f"kpi_limit.{key}": limit}
        if (worst < limit) if higher else (worst > limit):
            side = "below" if higher else "above"
            breaches.append(f"{key} read {worst:g}, {side} the bound {limit:g}")
    if not breaches:
        return None
    target = level.escalated()
    return Suggestion(
        kind=SuggestionKind.ESCALATE,
        rule="escalate.bounds_breached",
        reason=(
            f"Feedback over the last {span_text(policy.window)} breaches "
            f"Level {level.value}: "
            + "; ".join(breaches)
            + f". Escalate to Level {target.value}."
        ),
        as_of=as_of,
        target_level=target,
        evidence=evidence,
    )


def _judged_measures(
    data: _Feedback, bounds: LevelBounds
) -> list[tuple[str, FloatArray, float, bool]]:
    """Return (name, values, recovery bound, higher is better) of judged measures."""
    measures: list[tuple[str, FloatArray, float, bool]] = []
    if bounds.recovery_sentiment is not None:
        measures.append(("sentiment", data.sentiment, bounds.recovery_sentiment, True))
    if bounds.recovery_negative_share is not None:
        measures.append(
            (
                "negative_share",
                data.negative_share,
                bounds.recovery_negative_share,
                False,
            )
        )
    return measures


def _de_escalation(
    state: Crisis,
    as_of: dt.datetime,
    policy: AdjustmentPolicy,
    data: _Feedback,
    metrics: MetricCatalog,
) -> Suggestion | None:
    """Rule 2: every judged observation of the calm period is within recovery bounds."""
    level = state.level
    bounds = policy.levels[level]
    if level is ResponseLevel.IV or not bounds.recovers:
        return None
    held = instant(as_of) - max(
        instant(state.level_changes[-1].at), _current_period_start(state)
    )
    if held < policy.calm_period:
        return None
    calm = _since(data, as_of, policy.calm_period)
    measures = _judged_measures(data, bounds)
    measures += [
        (f"kpi.{key}", data.kpis[key], bound, _higher(metrics, key))
        for key, bound in bounds.recovery_kpis.items()
    ]
    judged = np.zeros(calm.shape, dtype=np.bool_)
    evidence: dict[str, float] = {}
    for name, values, bound, higher in measures:
        window = values[calm]
        known = ~np.isnan(window)
        judged[calm] |= known
        worst = _worst(window, higher_is_better=higher)
        if worst is None:
            continue
        if not _at_least_as_good(worst, bound, higher_is_better=higher):
            return None
        evidence |= {f"worst_{name}": worst, f"recovery_{name}": bound}
    observations = int(judged.sum())
    if observations < policy.min_observations:
        return None
    target = level.de_escalated()
    evidence |= {
        "observations": float(observations),
        "held_seconds": _seconds(held),
    }
    return Suggestion(
        kind=SuggestionKind.DE_ESCALATE,
        rule="de_escalate.recovered",
        reason=(
            f"All {observations} feedback observations of the last "
            f"{span_text(policy.calm_period)} are within Level {level.value}'s "
            f"recovery bounds, and the crisis has held Level {level.value} for "
            f"{span_text(held)}. "
            f"De-escalate to Level {target.value}."
        ),
        as_of=as_of,
        target_level=target,
        evidence=evidence,
    )


def _current_period_start(state: Crisis) -> dt.datetime:
    """Return when the current active period began (declaration or reopening)."""
    return instant(state.active_periods[-1][0])


def _critical_path(actions: tuple[Action, ...]) -> list[Action]:
    """Return the outstanding actions on the critical path, in creation order.

    Those are the critical ones and those an outstanding critical one waits on.

    Waiting is followed through outstanding actions only (a done action's
    dependencies are done too).
    """
    outstanding = {a.key: a for a in actions if a.status.is_outstanding}
    on_path: set[str] = set()
    stack = [key for key, action in outstanding.items() if action.critical]
    while stack:
        key = stack.pop()
        if key in on_path:
            continue
        on_path.add(key)
        stack += [dep for dep in outstanding[key].depends_on if dep in outstanding]
    return [action for key, action in outstanding.items() if key in on_path]


def _reallocations(
    state: Crisis, as_of: dt.datetime, policy: AdjustmentPolicy
) -> list[Suggestion]:
    """Rule 3: one suggestion per slipping action on the critical path."""
    now = instant(as_of)
    found: list[Suggestion] = []
    for action in _critical_path(state.actions):
        due = instant(action.due_at)
        why = "critical" if action.critical else "a critical action waits on it"
        evidence = {"critical": 1.0 if action.critical else 0.0}
        blocked = ""
        if action.status is ActionStatus.BLOCKED:
            evidence["blocked"] = 1.0
            blocked = f", blocked ({action.blocked_reason})"
        if action.is_overdue(as_of):
            late = now - due
            found.append(
                Suggestion(
                    kind=SuggestionKind.REALLOCATE,
                    rule="reallocate.overdue",
                    reason=(
                        f"Action {action.key!r} ({action.title}) owned by "
                        f"{action.owner} is {span_text(late)} overdue"
                        f"{blocked} and on the "
                        f"critical path ({why}). Reassign it or add resources."
                    ),
                    as_of=as_of,
                    action=action.key,
                    owner=action.owner,
                    evidence={**evidence, "overdue_seconds": _seconds(late)},
                )
            )
        elif (
            action.status is not ActionStatus.IN_PROGRESS
            and due - now <= policy.at_risk_within
        ):
            left = due - now
            found.append(
                Suggestion(
                    kind=SuggestionKind.REALLOCATE,
                    rule="reallocate.at_risk",
                    reason=(
                        f"Action {action.key!r} ({action.title}) owned by "
                        f"{action.owner} is due in {left} and not under way"
                        f"{blocked}; it is on the critical path ({why}). "
                        "Reassign it or add resources."
                    ),
                    as_of=as_of,
                    action=action.key,
                    owner=action.owner,
                    evidence={**evidence, "due_in_seconds": _seconds(left)},
                )
            )
    return found


def _sender(state: Crisis, role: str) -> str:
    """Return a holder of ``role``, else of the comms liaison, else the lead."""
    for candidate in (role, FALLBACK_OWNER_ROLE):
        try:
            holders = state.holders(candidate)
        except UnknownKeyError:  # a role outside the crisis's role catalog
            continue
        if holders:
            return holders[0]
    return state.lead


_OVERDUE_RULES = {
    FindingKind.OVERDUE_FIRST_MESSAGE: (
        "communicate.first_message_overdue",
        "first message",
    ),
    FindingKind.MISSED_UPDATE: ("communicate.update_overdue", "update"),
}


def _plan_communications(
    crisis: Crisis, state: Crisis, as_of: dt.datetime, plan: CommunicationPlan
) -> list[Suggestion]:
    """Rule 4 with a plan: one suggestion per group with an unsent, overdue message."""
    check = check_communications(crisis, plan, as_of=as_of)
    found: list[Suggestion] = []
    for finding in check.findings:
        if finding.sent_at is not None or finding.kind not in _OVERDUE_RULES:
            continue  # a late message already sent is history, not a to-do
        assert finding.late_by is not None  # noqa: S101  set for late findings
        assert finding.due_at is not None  # noqa: S101  set for late findings
        rule, what = _OVERDUE_RULES[finding.kind]
        step = plan.step(finding.group)
        found.append(
            Suggestion(
                kind=SuggestionKind.COMMUNICATE,
                rule=rule,
                reason=(
                    f"The {what} to {finding.group} was due at "
                    f"{finding.due_at.isoformat()} and is {span_text(finding.late_by)} "
                    f"overdue. Send it now ({step.owner_role}; channels: "
                    + ", ".join(c.value for c in step.channels)
                    + ") and say when the next update comes."
                ),
                as_of=as_of,
                owner=_sender(state, step.owner_role),
                audience=finding.group,
                evidence={"overdue_seconds": _seconds(finding.late_by)},
            )
        )
    return found


def _silence(state: Crisis, as_of: dt.datetime) -> list[Suggestion]:
    """Rule 4 without a plan: nothing said for longer than the level's interval."""
    communications = state.communications
    opened = _current_period_start(state)
    if communications and instant(communications[-1].at) >= opened:
        since, what = instant(communications[-1].at), "the last communication"
    elif state.reopen_count:
        since, what = opened, "the crisis was reopened"
    else:
        since, what = opened, "the declaration"
    silence = instant(as_of) - since
    limit = default_cadence(state.level, internal=False).every
    if silence <= limit:
        return []
    return [
        Suggestion(
            kind=SuggestionKind.COMMUNICATE,
            rule="communicate.silence",
            reason=(
                f"Nothing was communicated for {span_text(silence)} since {what}; "
                f"Level {state.level.value} calls for an update at least every "
                f"{span_text(limit)}. "
                "Send an update and say when the next one comes."
            ),
            as_of=as_of,
            owner=_sender(state, FALLBACK_OWNER_ROLE),
            evidence={
                "silence_seconds": _seconds(silence),
                "limit_seconds": _seconds(limit),
            },
        )
    ]


def suggest_adjustments(
    crisis: Crisis,
    *,
    as_of: dt.datetime,
    policy: AdjustmentPolicy | None = None,
    plan: CommunicationPlan | None = None,
    metrics: MetricCatalog | None = None,
) -> tuple[Suggestion, ...]:
    """Return the adjustments the rules suggest for a crisis, as of a moment.

    The rules (escalate, de-escalate, reallocate, communicate) are those of
    the module docstring, evaluated on the crisis as it stood at ``as_of``
    (events recorded later are ignored, so an earlier ``as_of`` replays what
    the rules said then). Only an active crisis gets suggestions.

    Parameters
    ----------
    crisis
        The crisis.
    as_of
        The moment of evaluation; timezone-aware, not before the crisis was
        declared.
    policy
        Bounds and time spans; `AdjustmentPolicy.default()` if ``None``.
    plan
        The crisis's communication plan, for rule 4; without one, rule 4
        watches for silence.
    metrics
        The metric catalog that gives each KPI's direction;
        `crisisops.monitoring.default_metrics()` if ``None``.

    Returns
    -------
    tuple of Suggestion
        In kind order (escalate, de-escalate, reallocate, communicate), then
        by rule key, then by action or audience key; never both an escalation
        and a de-escalation.

    Raises
    ------
    InvalidTypeError
        For arguments of the wrong type.
    NaiveDatetimeError
        For a naive ``as_of``.
    ValidationError
        For an ``as_of`` before the declaration, a plan for another crisis
        type, or KPI bounds inconsistent with the metrics' directions.
    UnknownKeyError
        For a bounded metric not in ``metrics``, or a communication to an
        audience the plan does not have.
    """
    check_crisis(crisis)
    check_aware(as_of, "as_of")
    policy = AdjustmentPolicy.default() if policy is None else policy
    if not isinstance(policy, AdjustmentPolicy):
        raise InvalidTypeError("policy", policy, "an AdjustmentPolicy or None")
    metrics = default_metrics() if metrics is None else metrics
    if not isinstance(metrics, MetricCatalog):
        raise InvalidTypeError("metrics", metrics, "a MetricCatalog or None")
    if plan is not None and not isinstance(plan, CommunicationPlan):
        raise InvalidTypeError("plan", plan, "a CommunicationPlan or None")
    policy.check_metrics(metrics)
    if instant(as_of) < instant(crisis.declared_at):
        raise ValidationError(
            "as_of",
            as_of,
            f"a moment at or after the declaration ({crisis.declared_at.isoformat()})",
        )
    state = _state_at(crisis, as_of)
    communicate = (
        _plan_communications(crisis, state, as_of, plan) if plan is not None else None
    )  # validates the plan against the crisis whatever the status
    if not state.status.is_active:
        return ()
    data = _feedback_arrays(state, policy.levels[state.level].metric_keys)
    found: list[Suggestion] = []
    escalate = _escalation(state, as_of, policy, data, metrics)
    if escalate is not None:
        found.append(escalate)
    else:
        de_escalate = _de_escalation(state, as_of, policy, data, metrics)
        if de_escalate is not None:
            found.append(de_escalate)
    found += _reallocations(state, as_of, policy)
    found += communicate if communicate is not None else _silence(state, as_of)
    return tuple(sorted(found, key=lambda s: s.sort_key))
