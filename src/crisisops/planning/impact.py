"""Impact assessment over the book's five dimensions (book §4 確定影響範圍).

Book §4 (分析危機原因和影響範圍, 2. 確定影響範圍; the book itself writes
影響范圍) says that knowing how far a crisis reaches is essential to choosing
the response, and lists five things to assess (the `ImpactDimension`
members):

* 財務影響 (financial) – the effect on revenue, profit and cash flow;
* 品牌聲譽 (brand reputation) – the harm to the brand image, and the cost and
  time needed to restore its credibility;
* 市場地位 (market position) – the short- and long-term effect on market
  share and position;
* 供應鏈風險 (supply chain) – whether key suppliers and logistics channels are
  hit, and the possible knock-on effects (連鎖反應);
* 客戶關係 (customer relationships) – the effect on customer trust and loyalty,
  and the remedies it may need.

An `ImpactAssessment` holds one `DimensionImpact` per assessed dimension: a
score on the 1–5 impact scale, money estimates (`MoneyEstimate`, each of a
`MoneyKind` and a currency), the recovery time, the share points lost, the
partners or SKUs hit directly and by knock-on, notes and `Evidence`. It
combines the scores into an overall score by a documented rule (the worst
dimension, or a weighted mean) and suggests a `ResponseLevel` by documented
score bands (`LevelBands`).

**The score scale.** Scores are the levels 1–5 (`IMPACT_SCORES`) of
``crisisops.risk.scales.default_impact_scale()``: 1 Insignificant 可忽略,
2 Minor 輕微, 3 Moderate 中等, 4 Major 嚴重, 5 Catastrophic 災難性. A
dimension that is not hit at all is scored 1 or left out; a dimension left
out is *not assessed* (`ImpactAssessment.unassessed()`), not "no impact".

Examples
--------
>>> from datetime import datetime, timezone
>>> from crisisops.planning.impact import (
...     DimensionImpact,
...     ImpactAssessment,
...     MoneyEstimate,
...     MoneyKind,
... )
>>> assessment = ImpactAssessment(
...     crisis_key="peak_2026.stockout",
...     assessed_at=datetime(2026, 11, 11, 10, 0, tzinfo=timezone.utc),
...     impacts=[
...         DimensionImpact(
...             dimension="financial",
...             score=4,
...             estimates=[
...                 MoneyEstimate(
...                     kind=MoneyKind.PROFIT_LOSS, amount=120_000, currency="CNY"
...                 ),
...             ],
...         ),
...         DimensionImpact(dimension="customer_relationship", score=3),
...     ],
... )
>>> assessment.overall_score()
4.0
>>> str(assessment.suggested_level())
'Level II 重大 (orange)'
>>> dict(assessment.total_money())
{'CNY': 120000.0}
"""

from __future__ import annotations

import datetime as dt
import enum
import math
import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from crisisops._validation import (
    check_finite,
    check_str,
    field_name,
    is_aware_datetime,
    is_enum,
    is_finite,
    is_instance,
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
from crisisops.planning.causes import Evidence
from crisisops.taxonomy import ImpactDimension, ResponseLevel

__all__ = [
    "DEFAULT_BANDS",
    "IMPACT_SCORES",
    "DimensionImpact",
    "ImpactAssessment",
    "ImpactDimension",
    "LevelBands",
    "MoneyEstimate",
    "MoneyKind",
    "OverallRule",
    "check_currency",
]

#: The impact scores, the levels of ``crisisops.risk.scales.default_impact_scale()``.
IMPACT_SCORES: tuple[int, ...] = (1, 2, 3, 4, 5)
_LOWEST, _HIGHEST = IMPACT_SCORES[0], IMPACT_SCORES[-1]
_CURRENCY = re.compile(r"[A-Z]{3}")


_labels = Labels.of


def check_currency(value: object, field: str = "currency") -> str:
    """Return ``value`` if it is an ISO 4217 alphabetic code such as ``"CNY"``.

    Only the shape is checked (three capital letters), not the list of codes
    in use, so a new or private currency code is accepted.

    Raises
    ------
    InvalidTypeError
        If ``value`` is not a ``str``.
    ValidationError
        If it is not three capital ASCII letters.

    Examples
    --------
    >>> check_currency("TWD")
    'TWD'
    >>> check_currency("rmb")
    Traceback (most recent call last):
    ...
    crisisops.errors.ValidationError: 'currency' must be an ISO 4217 code of three capital letters, e.g. 'CNY' (got 'rmb')
    """  # noqa: E501  doctest output is one line
    if not isinstance(value, str):
        raise InvalidTypeError(field, value, "a currency code (str), e.g. 'CNY'")
    if not _CURRENCY.fullmatch(value):
        raise ValidationError(
            field, value, "an ISO 4217 code of three capital letters, e.g. 'CNY'"
        )
    return value


def _is_currency(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    check_currency(value, field_name(attribute))


def _to_dimension(value: Any) -> Any:  # noqa: ANN401
    """Accept a dimension's value (``"brand"``) for the enum member."""
    if isinstance(value, str):
        for member in ImpactDimension:
            if member.value == value:
                return member
    return value


def _check_dimension(value: object, field: str) -> ImpactDimension:
    if isinstance(value, ImpactDimension):
        return value
    known = [member.value for member in ImpactDimension]
    if isinstance(value, str):
        raise UnknownKeyError(f"impact dimension (in {field})", value, known)
    raise InvalidTypeError(field, value, f"an ImpactDimension ({', '.join(known)})")


def _is_dimension(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    _check_dimension(value, field_name(attribute))


def _check_score(value: object, field: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(field, value, f"an int score {_LOWEST}..{_HIGHEST}")
    if not _LOWEST <= value <= _HIGHEST:
        raise ValidationError(
            field,
            value,
            f"a score from {_LOWEST} (insignificant) to {_HIGHEST} (catastrophic)",
        )
    return value


def _is_score(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    _check_score(value, field_name(attribute))


# --- money --------------------------------------------------------------------------


class MoneyKind(enum.Enum):
    """What a `MoneyEstimate` measures, and on which dimension it belongs.

    The book's financial impact is "收入、利潤及現金流" (revenue, profit and
    cash flow); brand reputation has a cost to restore (恢復品牌信譽所需的
    成本); customer relationships may need remedies (補救措施). The other kinds
    are crisisops' names for the costs the book's cases incur: winning back
    traffic and share (promotions, search optimisation, book §5 case 2) and
    emergency supply (book §5 case 1). ``OTHER_COST`` fits any dimension.

    **Counting a total** (`MoneyKind.in_default_total`). Lost revenue, lost
    profit and a cash-flow shortfall are three views of the same hit: adding
    them would count the money two or three times. Lost revenue overstates
    the cost by the cost of the goods not sold, and a cash-flow shortfall is
    a matter of timing. So the default total counts
    ``PROFIT_LOSS`` and the costs (recovery, remediation, extra supply cost,
    other) and leaves ``REVENUE_LOSS`` and ``CASH_FLOW_SHORTFALL`` out; pass
    ``kinds=`` to `ImpactAssessment.total_money()` to count otherwise.
    """

    REVENUE_LOSS = "revenue_loss"
    PROFIT_LOSS = "profit_loss"
    CASH_FLOW_SHORTFALL = "cash_flow_shortfall"
    BRAND_RECOVERY_COST = "brand_recovery_cost"
    MARKET_RECOVERY_COST = "market_recovery_cost"
    SUPPLY_EXTRA_COST = "supply_extra_cost"
    REMEDIATION_COST = "remediation_cost"
    OTHER_COST = "other_cost"

    @property
    def labels(self) -> Labels:
        """Name of the kind in English, 繁體 and 简体."""
        return _MONEY_KINDS[self][0]

    @property
    def dimension(self) -> ImpactDimension | None:
        """The dimension the kind belongs to (``None``: any dimension)."""
        return _MONEY_KINDS[self][1]

    @property
    def in_default_total(self) -> bool:
        """Whether the default total counts it (not revenue, not cash flow)."""
        return _MONEY_KINDS[self][2]


_MONEY_KINDS: dict[MoneyKind, tuple[Labels, ImpactDimension | None, bool]] = {
    MoneyKind.REVENUE_LOSS: (
        _labels("Lost revenue", "收入損失", "收入损失"),
        ImpactDimension.FINANCIAL,
        False,
    ),
    MoneyKind.PROFIT_LOSS: (
        _labels("Lost profit", "利潤損失", "利润损失"),
        ImpactDimension.FINANCIAL,
        True,
    ),
    MoneyKind.CASH_FLOW_SHORTFALL: (
        _labels("Cash-flow shortfall", "現金流缺口", "现金流缺口"),
        ImpactDimension.FINANCIAL,
        False,
    ),
    MoneyKind.BRAND_RECOVERY_COST: (
        _labels("Cost to restore the brand", "恢復品牌信譽成本", "恢复品牌信誉成本"),
        ImpactDimension.BRAND,
        True,
    ),
    MoneyKind.MARKET_RECOVERY_COST: (
        _labels("Cost to win back share", "挽回市場份額成本", "挽回市场份额成本"),
        ImpactDimension.MARKET_POSITION,
        True,
    ),
    MoneyKind.SUPPLY_EXTRA_COST: (
        _labels("Extra supply-chain cost", "供應鏈額外成本", "供应链额外成本"),
        ImpactDimension.SUPPLY_CHAIN,
        True,
    ),
    MoneyKind.REMEDIATION_COST: (
        _labels("Cost of customer remedies", "客戶補救成本", "客户补救成本"),
        ImpactDimension.CUSTOMER_RELATIONSHIP,
        True,
    ),
    MoneyKind.OTHER_COST: (
        _labels("Other cost", "其他成本", "其他成本"),
        None,
        True,
    ),
}


def _to_money_kind(value: Any) -> Any:  # noqa: ANN401
    if isinstance(value, str):
        for member in MoneyKind:
            if member.value == value:
                return member
    return value


def _check_money_kind(value: object, field: str) -> MoneyKind:
    if isinstance(value, MoneyKind):
        return value
    known = [member.value for member in MoneyKind]
    if isinstance(value, str):
        raise UnknownKeyError(f"money kind (in {field})", value, known)
    raise InvalidTypeError(field, value, f"a MoneyKind ({', '.join(known)})")


def _is_money_kind(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    _check_money_kind(value, field_name(attribute))


def _to_float(value: Any) -> Any:  # noqa: ANN401
    """Store ints as floats so a value and its round trip compare equal."""
    if type(value) is int:
        return float(value)
    return value


def _is_amount(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if isinstance(value, (int, float)) and not isinstance(value, bool) and value < 0:
        raise ValidationError(
            name, value, "an amount >= 0 (a loss or a cost is a positive amount)"
        )
    check_finite(value, name, low=0.0)


@attrs.frozen(kw_only=True)
class MoneyEstimate:
    """An estimated amount of money of one `MoneyKind`, in one currency.

    Attributes
    ----------
    kind
        What the amount measures; its value (``"profit_loss"``) is accepted.
    amount
        The amount, a finite number ≥ 0 (a loss or a cost is positive).
    currency
        ISO 4217 code, e.g. ``"CNY"``, ``"TWD"``, ``"USD"``.
    note
        How it was estimated; may be empty.
    """

    kind: MoneyKind = attrs.field(converter=_to_money_kind, validator=_is_money_kind)
    amount: float = attrs.field(converter=_to_float, validator=_is_amount)
    currency: str = attrs.field(validator=_is_currency)
    note: str = attrs.field(default="", validator=is_text(allow_empty=True))


def _sum_by_currency(
    estimates: Iterable[MoneyEstimate], kinds: frozenset[MoneyKind] | None
) -> FrozenDict[str, float]:
    amounts: dict[str, list[float]] = {}
    for estimate in estimates:
        counted = (
            estimate.kind.in_default_total if kinds is None else estimate.kind in kinds
        )
        if counted:
            amounts.setdefault(estimate.currency, []).append(estimate.amount)
    return FrozenDict(
        (currency, math.fsum(amounts[currency])) for currency in sorted(amounts)
    )


def _check_kinds(kinds: object) -> frozenset[MoneyKind] | None:
    if kinds is None:
        return None
    if isinstance(kinds, (str, bytes, Mapping)) or not isinstance(kinds, Iterable):
        raise InvalidTypeError("kinds", kinds, "an iterable of MoneyKind, or None")
    return frozenset(
        _check_money_kind(_to_money_kind(kind), f"kinds[{index}]")
        for index, kind in enumerate(kinds)
    )


# --- one dimension ------------------------------------------------------------------


def _check_recovery_time(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    if value is None:
        return
    name = field_name(attribute)
    if not isinstance(value, dt.timedelta):
        raise InvalidTypeError(name, value, "a datetime.timedelta or None")
    if value < dt.timedelta(0):
        raise ValidationError(name, value, "a duration >= 0")


def _check_names(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, tuple):
        raise InvalidTypeError(name, value, "a tuple (or list) of names")
    seen: set[str] = set()
    for index, item in enumerate(value):
        check_str(item, f"{name}[{index}]")
        if item in seen:
            raise DuplicateKeyError(f"name (in {name})", item)
        seen.add(item)


@attrs.frozen(kw_only=True)
class DimensionImpact:
    """The impact of a crisis on one `ImpactDimension`.

    Attributes
    ----------
    dimension
        The dimension; its value (``"supply_chain"``) is accepted.
    score
        Impact score on the 1–5 scale (`IMPACT_SCORES`, the levels of
        ``default_impact_scale()``): 1 insignificant … 5 catastrophic.
    estimates
        Money estimates. Each kind must belong to this dimension
        (`MoneyKind.dimension`; ``OTHER_COST`` fits any), and a kind appears
        at most once per currency.
    recovery_time
        How long until this dimension is back to normal, e.g. the time to
        restore the brand's credibility (book: 恢復品牌信譽所需的...時間) or to
        win back market share (the long-term effect); ``None`` if unknown.
    share_points_lost
        Market share lost, in percentage points (0–100); only on
        ``MARKET_POSITION``.
    affected
        Who or what is hit directly: key suppliers, logistics channels and
        SKUs for the supply chain, customer segments for customer
        relationships, channels or categories for market position.
    knock_on
        Who or what is hit second-hand, by knock-on effects (連鎖反應), e.g.
        the SKUs that share a hit supplier's parts; none of them also in
        ``affected``.
    notes
        Free text.
    evidence
        The `Evidence` behind the score.
    """

    dimension: ImpactDimension = attrs.field(
        converter=_to_dimension, validator=_is_dimension
    )
    score: int = attrs.field(validator=_is_score)
    estimates: tuple[MoneyEstimate, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=is_tuple_of(is_instance(MoneyEstimate, "a MoneyEstimate")),
    )
    recovery_time: dt.timedelta | None = attrs.field(
        default=None, validator=_check_recovery_time
    )
    share_points_lost: float | None = attrs.field(
        default=None,
        converter=_to_float,
        validator=is_optional(is_finite(low=0.0, high=100.0)),
    )
    affected: tuple[str, ...] = attrs.field(
        default=(), converter=to_str_tuple, validator=_check_names
    )
    knock_on: tuple[str, ...] = attrs.field(
        default=(), converter=to_str_tuple, validator=_check_names
    )
    notes: str = attrs.field(default="", validator=is_text(allow_empty=True))
    evidence: tuple[Evidence, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=is_tuple_of(is_instance(Evidence, "an Evidence")),
    )

    def __attrs_post_init__(self) -> None:
        """Check estimate kinds against the dimension, repeats and overlaps."""
        seen: set[tuple[MoneyKind, str]] = set()
        for index, estimate in enumerate(self.estimates):
            home = estimate.kind.dimension
            if home is not None and home is not self.dimension:
                raise ValidationError(
                    f"estimates[{index}].kind",
                    estimate.kind.value,
                    f"a money kind of the {self.dimension.value!r} dimension "
                    f"({', '.join(_kinds_of(self.dimension))}); "
                    f"{estimate.kind.value!r} belongs to {home.value!r}",
                )
            pair = (estimate.kind, estimate.currency)
            if pair in seen:
                raise DuplicateKeyError(
                    f"money estimate (in estimates[{index}])",
                    f"{estimate.kind.value} in {estimate.currency}",
                )
            seen.add(pair)
        if (
            self.share_points_lost is not None
            and self.dimension is not ImpactDimension.MARKET_POSITION
        ):
            raise ValidationError(
                "share_points_lost",
                self.share_points_lost,
                "None: share points lost belong to the 'market_position' "
                f"dimension, not {self.dimension.value!r}",
            )
        both = sorted(set(self.affected) & set(self.knock_on))
        if both:
            raise ValidationError(
                "knock_on",
                both[0],
                "names not already in 'affected' (a direct hit is not a "
                "knock-on effect)",
            )

    def total_money(
        self, *, kinds: Iterable[MoneyKind | str] | None = None
    ) -> FrozenDict[str, float]:
        """Return the estimates summed per currency (currencies sorted).

        Parameters
        ----------
        kinds
            The kinds to count; by default those with
            `MoneyKind.in_default_total` (profit lost and costs, not revenue
            or cash flow, which would count the same money twice).
        """
        return _sum_by_currency(self.estimates, _check_kinds(kinds))


def _kinds_of(dimension: ImpactDimension) -> list[str]:
    return [kind.value for kind in MoneyKind if kind.dimension in (dimension, None)]


# --- combining the dimensions -------------------------------------------------------


class OverallRule(enum.Enum):
    """How an `ImpactAssessment` combines its dimension scores into one.

    * ``MAX`` (default): the worst assessed dimension. A crisis that ruins
      the brand is serious even if it costs little money; this is the usual
      practice with multi-criteria consequence tables (ISO 31000:2018
      §6.4.3; IEC 31010:2019, consequence/likelihood matrix).
    * ``WEIGHTED``: the weighted mean ``Σ wᵢ·sᵢ / Σ wᵢ`` over the assessed
      dimensions (weights renormalised over them). It lies between the
      lowest and the highest score; one dimension at 5 among four at 1 gives
      1.8 with equal weights, so use it only where dimensions may offset
      each other.

    Examples
    --------
    The book's case of one dimension at 5 among four at 1:

    >>> from datetime import datetime, timezone
    >>> scores = {
    ...     "financial": 5,
    ...     "brand": 1,
    ...     "market_position": 1,
    ...     "supply_chain": 1,
    ...     "customer_relationship": 1,
    ... }
    >>> impacts = [DimensionImpact(dimension=d, score=s) for d, s in scores.items()]
    >>> when = datetime(2026, 11, 11, tzinfo=timezone.utc)
    >>> worst = ImpactAssessment(crisis_key="c1", assessed_at=when, impacts=impacts)
    >>> mean = ImpactAssessment(
    ...     crisis_key="c1",
    ...     assessed_at=when,
    ...     impacts=impacts,
    ...     rule=OverallRule.WEIGHTED,
    ...     weights=dict.fromkeys(scores, 1),
    ... )
    >>> worst.overall_score(), mean.overall_score()
    (5.0, 1.8)
    >>> OverallRule("weighted").labels.zh_hant
    '加權平均'
    """

    MAX = "max"
    WEIGHTED = "weighted"

    @property
    def labels(self) -> Labels:
        """Name of the rule in English, 繁體 and 简体."""
        return _RULE_LABELS[self]


_RULE_LABELS = {
    OverallRule.MAX: _labels("Worst dimension", "取最嚴重維度", "取最严重维度"),
    OverallRule.WEIGHTED: _labels("Weighted mean", "加權平均", "加权平均"),
}


@attrs.frozen(kw_only=True)
class LevelBands:
    """Score bands that turn an overall score into a suggested `ResponseLevel`.

    Each attribute is the lowest overall score of its level; bands are
    half-open, the lower edge included. The defaults put the edges half way
    between whole scores, so a whole score maps as 1–2 → Level IV 一般,
    3 → Level III 較大, 4 → Level II 重大, 5 → Level I 特別重大, and a weighted
    mean is rounded half up (2.5 → Level III, 2.49 → Level IV):

    | overall score s | suggested level      |
    |-----------------|----------------------|
    | 1 ≤ s < 2.5     | IV 一般 (blue)        |
    | 2.5 ≤ s < 3.5   | III 較大 (yellow)     |
    | 3.5 ≤ s < 4.5   | II 重大 (orange)      |
    | 4.5 ≤ s ≤ 5     | I 特別重大 (red)       |

    These are crisisops' documented choice (mirroring how
    ``crisisops.risk.scales.default_matrix()`` maps grades to levels), not a
    standard's; the level is a *suggestion* for the crisis lead, who may
    escalate (``ResponseLevel.escalated()``).

    Attributes
    ----------
    level_iii, level_ii, level_i
        Lowest score of Level III, II and I; ``1 < level_iii < level_ii <
        level_i <= 5``.

    Examples
    --------
    `DEFAULT_BANDS` on each of the `IMPACT_SCORES`, and at an edge:

    >>> [DEFAULT_BANDS.level_for(score).name for score in IMPACT_SCORES]
    ['IV', 'IV', 'III', 'II', 'I']
    >>> DEFAULT_BANDS.level_for(2.49).name, DEFAULT_BANDS.level_for(2.5).name
    ('IV', 'III')

    Stricter bands move every edge down by half a score:

    >>> strict = LevelBands(level_iii=2.0, level_ii=3.0, level_i=4.0)
    >>> [strict.level_for(score).name for score in IMPACT_SCORES]
    ['IV', 'III', 'II', 'I', 'I']
    """

    level_iii: float = attrs.field(default=2.5, converter=_to_float)
    level_ii: float = attrs.field(default=3.5, converter=_to_float)
    level_i: float = attrs.field(default=4.5, converter=_to_float)

    def __attrs_post_init__(self) -> None:
        """Check ``1 < level_iii < level_ii < level_i <= 5``."""
        low = float(_LOWEST)
        for name in ("level_iii", "level_ii", "level_i"):
            value = getattr(self, name)
            check_finite(value, name, low=_LOWEST, high=_HIGHEST)
            if value <= low:
                raise ValidationError(
                    name,
                    value,
                    f"a score above {low:g} (bands rise from Level IV to Level I)",
                )
            low = value

    def level_for(self, score: float) -> ResponseLevel:
        """Return the suggested level for an overall ``score`` in [1, 5]."""
        value = check_finite(score, "score", low=_LOWEST, high=_HIGHEST)
        if value >= self.level_i:
            return ResponseLevel.I
        if value >= self.level_ii:
            return ResponseLevel.II
        if value >= self.level_iii:
            return ResponseLevel.III
        return ResponseLevel.IV


def _to_rule(value: Any) -> Any:  # noqa: ANN401
    """Accept a rule's value (``"weighted"``) for the enum member."""
    if isinstance(value, str):
        for member in OverallRule:
            if member.value == value:
                return member
    return value


#: The default bands (see `LevelBands`).
DEFAULT_BANDS = LevelBands()


def _to_weights(value: Any) -> Any:  # noqa: ANN401
    """Accept dimension values as keys and ints as weights; freeze the mapping.

    Raises `DuplicateKeyError` when a dimension is given twice, once as the
    enum member and once as its value (``ImpactDimension.BRAND`` and
    ``"brand"``).
    """
    if not isinstance(value, Mapping):
        return value
    converted: dict[Any, Any] = {}
    for key, weight in value.items():
        dimension = _to_dimension(key)
        if dimension in converted:
            raise DuplicateKeyError("dimension (in weights)", dimension.value)
        converted[dimension] = _to_float(weight)
    return FrozenDict(converted)


def _check_weights(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, FrozenDict):
        raise InvalidTypeError(name, value, "a mapping of ImpactDimension to weight")
    for key, weight in value.items():
        dimension = _check_dimension(key, name)
        check_finite(weight, f"{name}[{dimension.value!r}]", low=0.0)


@attrs.frozen(kw_only=True)
class ImpactAssessment:
    """How far a crisis reaches: one `DimensionImpact` per assessed dimension.

    Attributes
    ----------
    crisis_key
        Identifier of the crisis assessed: any non-blank text, e.g.
        ``"peak_2026.stockout"`` or a ticket number ``"INC-2026-0042"`` (the
        same identifier every planning value of one crisis carries).
    assessed_at
        When the assessment was made (timezone-aware). Re-assess as the
        crisis moves; each assessment is a new value.
    impacts
        One `DimensionImpact` per assessed dimension, at least one, no
        dimension twice.
    rule
        How the scores combine (`OverallRule`); ``MAX`` by default.
    weights
        Weight ≥ 0 per dimension for the ``WEIGHTED`` rule (dimension values
        such as ``"brand"`` are accepted as keys): every assessed dimension
        needs one and at least one of them must be positive. Empty for
        ``MAX``.
    notes
        Free text.

    Raises
    ------
    DuplicateKeyError
        For a dimension assessed twice.
    UnknownKeyError
        For a weight keyed by an unknown dimension.
    ValidationError
        For weights with ``MAX``, or ``WEIGHTED`` weights that miss an
        assessed dimension or are all 0 on the assessed dimensions.
    """

    crisis_key: str = attrs.field(validator=is_text())
    assessed_at: dt.datetime = attrs.field(validator=is_aware_datetime())
    impacts: tuple[DimensionImpact, ...] = attrs.field(
        converter=to_tuple,
        validator=is_tuple_of(
            is_instance(DimensionImpact, "a DimensionImpact"), min_length=1
        ),
    )
    rule: OverallRule = attrs.field(
        default=OverallRule.MAX, converter=_to_rule, validator=is_enum(OverallRule)
    )
    weights: FrozenDict[ImpactDimension, float] = attrs.field(
        factory=FrozenDict, converter=_to_weights, validator=_check_weights
    )
    notes: str = attrs.field(default="", validator=is_text(allow_empty=True))

    def __attrs_post_init__(self) -> None:
        """Check unique dimensions and that the weights fit the rule."""
        seen: set[ImpactDimension] = set()
        for impact in self.impacts:
            if impact.dimension in seen:
                raise DuplicateKeyError("assessed dimension", impact.dimension.value)
            seen.add(impact.dimension)
        weights = {key.value: weight for key, weight in self.weights.items()}
        if self.rule is OverallRule.MAX:
            if self.weights:
                raise ValidationError(
                    "weights", weights, "empty for the MAX rule (it uses no weights)"
                )
            return
        missing = [
            impact.dimension.value
            for impact in self.impacts
            if impact.dimension not in self.weights
        ]
        if missing:
            raise ValidationError(
                "weights",
                weights,
                f"a weight for every assessed dimension (missing: {missing})",
            )
        if not any(self.weights[impact.dimension] > 0 for impact in self.impacts):
            raise ValidationError(
                "weights",
                weights,
                "a positive weight on at least one assessed dimension",
            )

    @classmethod
    def from_scores(
        cls,
        crisis_key: str,
        assessed_at: dt.datetime,
        scores: Mapping[Any, int],
    ) -> ImpactAssessment:
        """Return a score-only assessment, e.g. ``{"financial": 4, "brand": 2}``.

        Keys are `ImpactDimension` members or their values; the rule is
        ``MAX``.
        """
        if not isinstance(scores, Mapping):
            raise InvalidTypeError("scores", scores, "a mapping of dimension to score")
        return cls(
            crisis_key=crisis_key,
            assessed_at=assessed_at,
            impacts=[
                DimensionImpact(dimension=dimension, score=score)
                for dimension, score in scores.items()
            ],
        )

    def impact(self, dimension: ImpactDimension | str) -> DimensionImpact | None:
        """Return the impact on ``dimension``, or ``None`` if it was not assessed.

        Raises
        ------
        UnknownKeyError, InvalidTypeError
            If ``dimension`` is not a dimension or a dimension's value.
        """
        wanted = _check_dimension(_to_dimension(dimension), "dimension")
        for impact in self.impacts:
            if impact.dimension is wanted:
                return impact
        return None

    def scores(self) -> FrozenDict[ImpactDimension, int]:
        """Return the score per assessed dimension, in `ImpactDimension` order."""
        by_dimension = {impact.dimension: impact.score for impact in self.impacts}
        return FrozenDict(
            (dimension, by_dimension[dimension])
            for dimension in ImpactDimension
            if dimension in by_dimension
        )

    def unassessed(self) -> tuple[ImpactDimension, ...]:
        """Return the dimensions of the book's five that were not assessed."""
        assessed = {impact.dimension for impact in self.impacts}
        return tuple(d for d in ImpactDimension if d not in assessed)

    def overall_score(self) -> float:
        """Return the overall score in [1, 5] by the assessment's `rule`.

        ``MAX``: the highest dimension score. ``WEIGHTED``: the weighted mean
        over the assessed dimensions, ``Σ wᵢ·sᵢ / Σ wᵢ``, clipped to the
        lowest and highest score against rounding noise.
        """
        scores = [impact.score for impact in self.impacts]
        if self.rule is OverallRule.MAX:
            return float(max(scores))
        weights = [self.weights[impact.dimension] for impact in self.impacts]
        mean = math.fsum(w * s for w, s in zip(weights, scores, strict=True)) / (
            math.fsum(weights)
        )
        return min(max(mean, float(min(scores))), float(max(scores)))

    def suggested_level(self, bands: LevelBands | None = None) -> ResponseLevel:
        """Return the `ResponseLevel` the overall score suggests.

        Parameters
        ----------
        bands
            Score bands; `DEFAULT_BANDS` if ``None`` (1–2 → IV, 3 → III,
            4 → II, 5 → I for whole scores; edges at 2.5, 3.5 and 4.5).
        """
        if bands is None:
            bands = DEFAULT_BANDS
        if not isinstance(bands, LevelBands):
            raise InvalidTypeError("bands", bands, "a LevelBands or None")
        return bands.level_for(self.overall_score())

    def total_money(
        self, *, kinds: Iterable[MoneyKind | str] | None = None
    ) -> FrozenDict[str, float]:
        """Return every dimension's estimates summed per currency.

        Currencies are never converted into each other: each gets its own
        total, currencies sorted.

        Parameters
        ----------
        kinds
            The `MoneyKind`s to count (values such as ``"revenue_loss"`` are
            accepted); by default those with `MoneyKind.in_default_total`
            (lost profit and the costs; lost revenue and cash-flow shortfall
            would count the same money again).

        Raises
        ------
        InvalidTypeError, UnknownKeyError
            If ``kinds`` is not an iterable of money kinds.
        """
        chosen = _check_kinds(kinds)
        return _sum_by_currency(
            (estimate for impact in self.impacts for estimate in impact.estimates),
            chosen,
        )
