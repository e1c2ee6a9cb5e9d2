r"""Trigger rules: tiered response levels, persistence, hysteresis and missing data.

Book §3 (應急響應觸發點設定) sets trigger points per key indicator, tiers them
into response levels (層級劃分) and gives the example this module is built
around: *when sales fall more than a margin for three consecutive days, start
the sales-crisis plan* (當銷售額連續三日下降超過一定幅度時,應立即啟動銷售危機應急預案).

A `TriggerRule` names the crisis type it points to and holds ordered
tiers (`Tier`), each a condition mapped to a
`ResponseLevel` (e.g. −10 % → IV, −20 % → III,
−40 % → II); the highest tier whose persistence is met wins. Around the tiers:

* **persistence** – `Consecutive` (fire after N breaching periods in a
  row, Prometheus ``for``) or `MOfN` (M of the last N, Western
  Electric / Nelson style);
* **clearing** – resolve after ``clear_after`` clean periods, optionally only
  while a separate, stricter ``clear_condition`` holds (hysteresis);
* **cooldown** – periods after a resolution during which the rule cannot
  fire again;
* **missing data** – an explicit `MissingData` policy: break the run,
  hold state, treat as breach, treat as clear, or raise a no-data alert after
  ``max_gap`` periods. A rule never raises on gaps in the data.

Examples
--------
The book's own example, verbatim: sales down more than 5 % day over day for
three consecutive days starts the sales-crisis plan.

>>> from crisisops.monitoring.conditions import Below, Change, Threshold
>>> from crisisops.monitoring.rules import Consecutive, Tier, TriggerRule
>>> from crisisops.taxonomy import ResponseLevel
>>> rule = TriggerRule(
...     name="sales_crisis",
...     crisis_type="market.demand_shift",
...     tiers=[
...         Tier(
...             ResponseLevel.III,
...             Threshold(signal=Change(metric="sales.gmv"), predicate=Below(-0.05)),
...         )
...     ],
...     persistence=Consecutive(3),
... )
>>> rule.metrics
('sales.gmv',)

`Persistence` is what the ``persistence`` field accepts:

>>> from typing import get_args
>>> from crisisops.monitoring import Persistence
>>> [member.__name__ for member in get_args(Persistence)]
['Consecutive', 'MOfN']
"""

from __future__ import annotations

import enum
from typing import Any

import attrs

from crisisops._validation import (
    field_name,
    is_enum,
    is_instance,
    is_key,
    is_optional,
    is_str_mapping,
    is_text,
    is_tuple_of,
    to_frozendict,
    to_tuple,
)
from crisisops.errors import InvalidTypeError, ValidationError
from crisisops.frozen import FrozenDict
from crisisops.monitoring.conditions import (
    Above,
    AllOf,
    AnyOf,
    Below,
    Condition,
    CUSUMChart,
    EWMAChart,
    Not,
    Threshold,
)
from crisisops.taxonomy import ResponseLevel

__all__ = [
    "Consecutive",
    "MOfN",
    "MissingData",
    "Persistence",
    "Tier",
    "TriggerRule",
]

_CONDITION_TYPES = (Threshold, EWMAChart, CUSUMChart, AllOf, AnyOf, Not)
_MAX_PERIODS = 10_000


def _count(minimum: int) -> Any:  # noqa: ANN401  an attrs validator
    def validate(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
        name = field_name(attribute)
        if isinstance(value, bool) or not isinstance(value, int):
            raise InvalidTypeError(name, value, "an int")
        if not minimum <= value <= _MAX_PERIODS:
            raise ValidationError(
                name, value, f"a whole number from {minimum} to {_MAX_PERIODS}"
            )

    return validate


@attrs.frozen
class Consecutive:
    """Persistence: fire after ``n`` breaching periods in a row.

    ``Consecutive(1)`` fires on the first breach; ``Consecutive(3)`` is the
    book's three-day rule. A clean period resets the run.

    Attributes
    ----------
    n
        Breaching periods in a row needed (≥ 1).
    """

    n: int = attrs.field(default=1, validator=_count(1))


@attrs.frozen
class MOfN:
    """Persistence: fire when at least ``m`` of the last ``n`` periods breached.

    Western Electric's rule 2 is ``MOfN(2, 3)`` on a 2σ condition, rule 3
    ``MOfN(4, 5)`` on a 1σ condition.

    Attributes
    ----------
    m
        Breaching periods needed (≥ 1).
    n
        Length of the window (≥ m).

    Examples
    --------
    GMV under 80 on 1 and 3 March with a good day between: two of the last
    three days breached, so ``MOfN(2, 3)`` fires on 3 March, while
    ``Consecutive(2)`` never sees two breaches in a row.

    >>> from datetime import datetime, timezone
    >>> from crisisops.monitoring import Below, Consecutive, MOfN, Panel, Raw, Threshold
    >>> from crisisops.monitoring import Tier, TriggerRule, evaluate
    >>> from crisisops.taxonomy import ResponseLevel
    >>> days = [datetime(2026, 3, d, tzinfo=timezone.utc) for d in range(1, 5)]
    >>> gmv = [[70], [90], [75], [95]]
    >>> panel = Panel.from_metric_arrays(days, ["sku-1"], {"sales.gmv": gmv})
    >>> low = Threshold(signal=Raw("sales.gmv"), predicate=Below(80))
    >>> def events(persistence):
    ...     rule = TriggerRule(
    ...         name="gmv_low",
    ...         crisis_type="market.demand_shift",
    ...         tiers=[Tier(ResponseLevel.IV, low)],
    ...         persistence=persistence,
    ...     )
    ...     evaluation = evaluate([rule], panel)
    ...     return [(event.at.day, event.kind.value) for event in evaluation.events]
    >>> events(MOfN(2, 3))
    [(3, 'fired'), (4, 'resolved')]
    >>> events(Consecutive(2))
    []
    """

    m: int = attrs.field(validator=_count(1))
    n: int = attrs.field(validator=_count(1))

    def __attrs_post_init__(self) -> None:
        """Check that the window can hold ``m`` periods."""
        if self.m > self.n:
            raise ValidationError("n", self.n, f"at least m ({self.m})")


Persistence = Consecutive | MOfN


class MissingData(enum.Enum):
    """What a rule does in a period where one of its metrics is missing (NaN).

    * ``BREAK`` – the breach run restarts (Prometheus: a missed evaluation
      resets ``for``); a firing alert's clean count restarts too.
    * ``HOLD`` – the period is skipped: every counter keeps its value
      (Grafana's *keep last state*).
    * ``AS_BREACH`` – the period counts as a breach of the **lowest** tier only
      (missing data never escalates a crisis by itself).
    * ``AS_CLEAR`` – the period counts as clean.
    * ``NO_DATA`` – like ``HOLD``, and after ``max_gap`` missing periods in a
      row a no-data alert fires; it resolves when data returns.

    Examples
    --------
    A three-day rule (GMV under 80) and a day without data on 3 March:

    >>> from datetime import datetime, timezone
    >>> from crisisops.monitoring import Below, Consecutive, MissingData, Panel, Raw
    >>> from crisisops.monitoring import Threshold, Tier, TriggerRule, evaluate
    >>> from crisisops.taxonomy import ResponseLevel
    >>> nan = float("nan")
    >>> days = [datetime(2026, 3, d, tzinfo=timezone.utc) for d in range(1, 6)]
    >>> low = Threshold(signal=Raw("sales.gmv"), predicate=Below(80))
    >>> def events(gmv, missing, max_gap=None):
    ...     panel = Panel.from_metric_arrays(days, ["sku-1"], {"sales.gmv": gmv})
    ...     rule = TriggerRule(
    ...         name="gmv_low",
    ...         crisis_type="market.demand_shift",
    ...         tiers=[Tier(ResponseLevel.IV, low)],
    ...         persistence=Consecutive(3),
    ...         missing=missing,
    ...         max_gap=max_gap,
    ...     )
    ...     evaluation = evaluate([rule], panel)
    ...     return [(event.at.day, event.kind.value) for event in evaluation.events]
    >>> gap = [[70], [70], [nan], [70], [100]]
    >>> events(gap, MissingData.BREAK)  # the run restarts on 4 March
    []
    >>> events(gap, MissingData.HOLD)  # 3 March is skipped: 4 March is day 3
    [(4, 'fired'), (5, 'resolved')]
    >>> events(gap, MissingData.AS_BREACH)  # 3 March counts as a breach
    [(3, 'fired'), (5, 'resolved')]
    >>> events(gap, MissingData.AS_CLEAR)  # 3 March counts as clean
    []

    With ``NO_DATA`` a feed that stops raises its own alert after ``max_gap``
    missing periods:

    >>> outage = [[100], [nan], [nan], [nan], [100]]
    >>> events(outage, MissingData.NO_DATA, max_gap=2)
    [(3, 'no_data'), (5, 'data_resumed')]
    """

    BREAK = "break"
    HOLD = "hold"
    AS_BREACH = "as_breach"
    AS_CLEAR = "as_clear"
    NO_DATA = "no_data"


@attrs.frozen
class Tier:
    """One severity tier of a rule: a condition mapped to a response level.

    Attributes
    ----------
    level
        The `ResponseLevel` this tier starts.
    condition
        When the tier is breached.
    """

    level: ResponseLevel = attrs.field(validator=is_enum(ResponseLevel))
    condition: Condition = attrs.field(
        validator=is_instance(_CONDITION_TYPES, "a condition (Threshold, ...)")
    )


def _check_tiers(instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    is_tuple_of(is_instance(Tier, "a Tier"), min_length=1)(instance, attribute, value)
    levels = [tier.level for tier in value]
    for index in range(1, len(levels)):
        if not levels[index] > levels[index - 1]:
            raise ValidationError(
                f"{field_name(attribute)}[{index}].level",
                levels[index].name,
                f"more severe than the tier before ({levels[index - 1].name}); "
                "list tiers from the least to the most severe, e.g. IV, III, II",
            )
    _check_tier_bounds(value)


def _fixed_threshold(condition: Condition) -> tuple[Any, type, float] | None:
    """Return (signal, predicate type, bound) for a fixed-bound threshold."""
    if not isinstance(condition, Threshold):
        return None
    predicate = condition.predicate
    if isinstance(predicate, (Below, Above)) and isinstance(
        predicate.bound, (int, float)
    ):
        return condition.signal, type(predicate), float(predicate.bound)
    return None


def _check_tier_bounds(tiers: tuple[Tier, ...]) -> None:
    """More severe tiers on the same signal must have stricter bounds."""
    for index in range(1, len(tiers)):
        before = _fixed_threshold(tiers[index - 1].condition)
        after = _fixed_threshold(tiers[index].condition)
        if before is None or after is None:
            continue
        (signal_a, kind_a, bound_a), (signal_b, kind_b, bound_b) = before, after
        if signal_a != signal_b or kind_a is not kind_b:
            continue
        stricter = bound_b < bound_a if kind_a is Below else bound_b > bound_a
        if not stricter:
            word = "below" if kind_a is Below else "above"
            raise ValidationError(
                f"tiers[{index}].condition.predicate.bound",
                bound_b,
                f"a bound strictly {word} the less severe tier's ({bound_a:g})",
            )


@attrs.frozen(kw_only=True)
class TriggerRule:
    """A trigger rule: tiered conditions, persistence, clearing and missing data.

    Attributes
    ----------
    name
        Stable key of the rule, e.g. ``"sales_crisis"``; alerts carry it.
    crisis_type
        Key of the crisis type the rule points to, e.g.
        ``"market.demand_shift"`` (see `crisisops.taxonomy.default_catalog()`).
    tiers
        Tiers from the least to the most severe level; at least one. Tiers on
        the same signal with fixed bounds must get stricter with severity.
    persistence
        How long a tier must be breached before it fires.
    clear_after
        Clean periods in a row that resolve a firing alert (≥ 1).
    clear_condition
        Optional hysteresis: a period is clean only if no tier is breached
        **and** this condition holds (e.g. fire below −20 %, clear only above
        −5 %). It must not overlap the lowest tier's breach region.
    cooldown
        Periods after a resolution during which the rule cannot fire again.
    missing
        What a period with missing data means (`MissingData`).
    max_gap
        With ``MissingData.NO_DATA``: missing periods in a row that raise the
        no-data alert (required then, not allowed otherwise).
    labels
        Free labels for routing and grouping notifications, e.g.
        ``{"team": "sales"}``.
    description
        What the rule is for, in words.
    """

    name: str = attrs.field(validator=is_key())
    crisis_type: str = attrs.field(validator=is_key())
    tiers: tuple[Tier, ...] = attrs.field(converter=to_tuple, validator=_check_tiers)
    persistence: Persistence = attrs.field(
        factory=Consecutive,
        validator=is_instance((Consecutive, MOfN), "Consecutive or MOfN"),
    )
    clear_after: int = attrs.field(default=1, validator=_count(1))
    clear_condition: Condition | None = attrs.field(
        default=None,
        validator=is_optional(
            is_instance(_CONDITION_TYPES, "a condition (Threshold, ...)")
        ),
    )
    cooldown: int = attrs.field(default=0, validator=_count(0))
    missing: MissingData = attrs.field(
        default=MissingData.BREAK, validator=is_enum(MissingData)
    )
    max_gap: int | None = attrs.field(default=None, validator=is_optional(_count(1)))
    labels: FrozenDict[str, str] = attrs.field(
        factory=FrozenDict, converter=to_frozendict, validator=is_str_mapping()
    )
    description: str = attrs.field(default="", validator=is_text(allow_empty=True))

    def __attrs_post_init__(self) -> None:
        """Check the combinations a single field cannot check."""
        if self.missing is MissingData.NO_DATA and self.max_gap is None:
            raise ValidationError(
                "max_gap", None, "a number of periods when missing is NO_DATA"
            )
        if self.missing is not MissingData.NO_DATA and self.max_gap is not None:
            raise ValidationError(
                "max_gap", self.max_gap, "None unless missing is MissingData.NO_DATA"
            )
        self._check_clear_condition()

    def _check_clear_condition(self) -> None:
        """Check the clear condition leaves a dead band beyond the fire bound."""
        if self.clear_condition is None:
            return
        fire = _fixed_threshold(self.tiers[0].condition)
        clear = _fixed_threshold(self.clear_condition)
        if fire is None or clear is None or fire[0] != clear[0]:
            return
        (_, fire_kind, fire_bound), (_, clear_kind, clear_bound) = fire, clear
        if fire_kind is clear_kind:
            word = "Above" if fire_kind is Below else "Below"
            raise ValidationError(
                "clear_condition",
                self.clear_condition,
                f"the opposite side of the fire condition ({word}(...))",
            )
        overlaps = (
            clear_bound < fire_bound if fire_kind is Below else clear_bound > fire_bound
        )
        if overlaps:
            raise ValidationError(
                "clear_condition.predicate.bound",
                clear_bound,
                f"a bound that leaves a dead band beyond the fire bound "
                f"({fire_bound:g}); otherwise a value could breach and clear at once",
            )

    @property
    def metrics(self) -> tuple[str, ...]:
        """Every metric key the rule reads (tiers and clear condition)."""
        seen: dict[str, None] = {}
        conditions = [tier.condition for tier in self.tiers]
        if self.clear_condition is not None:
            conditions.append(self.clear_condition)
        for condition in conditions:
            for metric in condition.metrics:
                seen[metric] = None
        return tuple(seen)

    @property
    def levels(self) -> tuple[ResponseLevel, ...]:
        """The tiers' levels, least severe first."""
        return tuple(tier.level for tier in self.tiers)
