r"""A portfolio of risks simulated together: correlation, common shocks, tail analytics.

The book's risk assessment looks at the shop as a whole: which risks matter
most, and how bad a year can get when several go wrong at once (book §3
構建風險評估體系 and 風險量化與等級劃分; §2 供應鏈危機 names natural disasters,
supplier failures and logistics delays as causes that strike together:
供應商生產問題、物流運輸延誤、自然災害等因素都可能造成供應鏈斷裂). A portfolio
simulation adds up each year's losses of every risk and answers those
questions with numbers:

* `Portfolio` – the risks (each a `FAIRModel` or `CompoundLossModel` under
  its key), an optional `RankCorrelation` between them, and `CommonShock`
  events.
* `CommonShock` – an event with an annual probability (a typhoon, a platform
  outage) that, in the simulated years it happens, multiplies the event
  frequency and/or the per-event loss of the risks it affects
  (`ShockEffect`); e.g. a typhoon raising logistics delays and supplier
  failures together.
* `simulate_portfolio` – simulate every risk for the same ``trials`` years
  and return a `PortfolioLoss`: the ``(R, T)`` losses of each risk in each
  year and the portfolio total as a `LossDistribution` (mean, VaR, TVaR,
  exceedance curve).
* `PortfolioLoss` analytics, all plain data a UI can chart:
  `PortfolioLoss.tail_contributions` (each risk's share of the portfolio's
  expected shortfall), `PortfolioLoss.diversification` (sum of stand-alone
  VaR minus portfolio VaR) and `PortfolioLoss.tornado` (one-at-a-time
  sensitivity).

How a simulation runs, and why it does not depend on the order of anything:

1. Each shock's occurrence in each year is a Bernoulli draw from its own
   stream, ``risk_generator(seed, "common_shock:" + key)``.
2. Each risk is drawn with ``risk_generator(seed, key)``, with the per-year
   frequency and magnitude multipliers of the shocks that affect it (the
   product of their multipliers in the years they strike; none at all when
   no shock touches it, so a shock with probability 0 changes nothing).
3. If a correlation is given, the risks it names are reordered by
   `iman_conover` with its own stream
   (``risk_generator(seed, "rank_correlation:iman_conover")``). Reordering
   all years at once would scatter the shock years of the affected risks
   and undo the shocks, so years are grouped by which shocks struck them
   and each group is reordered on its own: the target rank correlation
   holds within each group (in ordinary years, in particular), the shocks
   add their co-movement on top, and every risk keeps exactly the losses it
   drew.
4. Risks, shocks and correlation keys are processed in sorted key order
   and the total is summed in that order, so the result is bit-for-bit the
   same whatever order the portfolio lists them in.

Examples
--------
A typhoon season (颱風, probability 0.2 a year) triples logistics delays
and doubles what a supplier stoppage costs:

>>> from crisisops.risk.distributions import PERT, Bernoulli, Poisson
>>> from crisisops.risk.simulation import CompoundLossModel
>>> delays = CompoundLossModel(
...     frequency=Poisson(rate=2.0),
...     severity=PERT(low=5_000.0, mode=20_000.0, high=80_000.0),
... )
>>> stoppage = CompoundLossModel(
...     frequency=Bernoulli(probability=0.1),
...     severity=PERT(low=50_000.0, mode=200_000.0, high=900_000.0),
... )
>>> typhoon = CommonShock(
...     key="natural.typhoon",
...     title="Typhoon season",
...     probability=0.2,
...     effects={
...         "logistics.delay": ShockEffect(frequency=3.0),
...         "supply_chain.supplier_stoppage": ShockEffect(magnitude=2.0),
...     },
... )
>>> from crisisops.risk.simulation import LossModel
>>> risks: dict[str, LossModel] = {  # any FAIRModel or CompoundLossModel
...     "logistics.delay": delays,
...     "supply_chain.supplier_stoppage": stoppage,
... }
>>> shop = Portfolio(risks=risks, shocks=[typhoon])
>>> result = simulate_portfolio(shop, trials=20_000, seed=2026)
>>> result.losses.shape
(2, 20000)
>>> tail = result.tail_contributions(0.95)
>>> bool(abs(tail.contributions.sum() - result.total.expected_shortfall(0.95)) < 1e-6)
True
>>> result.diversification(0.95).benefit >= 0.0
True
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from crisisops._validation import (
    check_finite,
    check_key,
    check_unique_texts,
    field_name,
    is_finite,
    is_instance,
    is_key,
    is_optional,
    is_text,
    is_tuple_of,
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
from crisisops.risk.correlation import (
    RankCorrelation,
    iman_conover,
    spearman_matrix,
)
from crisisops.risk.simulation import (
    CompoundLossModel,
    FAIRModel,
    LossDistribution,
    LossModel,
    _check_probability_level,
    _check_trials,
    _seed_sequence,
    _tail_rank,
    risk_generator,
)

__all__ = [
    "MAX_SHOCK_MULTIPLIER",
    "CommonShock",
    "Diversification",
    "Portfolio",
    "PortfolioLoss",
    "ShockEffect",
    "TailContributions",
    "Tornado",
    "simulate_portfolio",
]

FloatArray = npt.NDArray[np.float64]

#: Largest frequency or magnitude multiplier a shock may apply.
MAX_SHOCK_MULTIPLIER = 1e6
#: Stream name prefixes; ``:`` never occurs in a risk key, so no risk's
#: stream can coincide with a shock's or the correlation's.
_SHOCK_STREAM = "common_shock:"
_CORRELATION_STREAM = "rank_correlation:iman_conover"


def _as_float(value: Any) -> Any:  # noqa: ANN401  anything; the validator checks
    """Turn an int or numpy number into a float; pass anything else on."""
    if isinstance(value, (int, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    ):
        return float(value)
    return value


def _to_float(value: float) -> float:
    """Convert a float field's value (typed for mypy's attrs plugin)."""
    result: float = _as_float(value)
    return result


def _to_optional_float(value: float | None) -> float | None:
    return None if value is None else _to_float(value)


def _read_only_copy(value: Any) -> Any:  # noqa: ANN401  the validator reports junk
    """Copy numbers into a read-only float64 array; pass anything else on."""
    if (
        isinstance(value, np.ndarray)
        and value.dtype == np.float64
        and not value.flags.writeable
        and value.flags.c_contiguous
        and (
            value.flags.owndata
            or (isinstance(value.base, np.ndarray) and not value.base.flags.writeable)
        )
    ):
        return value  # already locked: no copy of a large simulation result
    if isinstance(value, (str, bytes, bool, Mapping)) or value is None:
        return value
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError):
        return value
    if raw.dtype.kind not in "iuf":
        return value
    array = np.array(raw, dtype=np.float64, order="C", copy=True)
    array.setflags(write=False)
    return array


def _equal_arrays(a: object, b: object) -> bool:
    if isinstance(a, np.ndarray) and isinstance(b, np.ndarray):
        return a.shape == b.shape and bool(np.array_equal(a, b))
    return a is b


def _check_keys(keys: tuple[str, ...], field: str, kind: str) -> None:
    check_unique_texts(keys, field, kind)
    for index, key in enumerate(keys):
        check_key(key, f"{field}[{index}]")


def _risk_keys(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    _check_keys(value, field_name(attribute), "risk key")


def _check_vector(value: object, field: str, size: int, *, low: float | None) -> None:
    """Check a 1-D float array of ``size`` finite numbers (``>= low``)."""
    if not isinstance(value, np.ndarray):
        raise InvalidTypeError(field, value, f"an array of {size} numbers")
    if value.shape != (size,):
        raise ValidationError(
            field, value.shape, f"one value per risk, shape ({size},)"
        )
    if not np.isfinite(value).all():
        raise ValidationError(field, value, "finite numbers")
    if low is not None and size and float(value.min()) < low:
        raise ValidationError(field, value, f"numbers >= {low:g}")


# --- common shocks ------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ShockEffect:
    """What a common shock does to one risk in the years it strikes.

    Both multipliers are ``>= 1`` (a shock raises risk; a control lowers it)
    and default to 1 (no change). They are passed to the risk's loss model as
    the per-year ``frequency_scale`` and ``magnitude_scale``.

    Attributes
    ----------
    frequency
        Multiplier of the expected number of loss events (for a `Bernoulli`
        frequency the probability, capped at 1), in [1, `MAX_SHOCK_MULTIPLIER`].
    magnitude
        Multiplier of the loss of every event, in [1, `MAX_SHOCK_MULTIPLIER`].

    Examples
    --------
    >>> ShockEffect(frequency=3)
    ShockEffect(frequency=3.0, magnitude=1.0)

    A multiplier stops at `MAX_SHOCK_MULTIPLIER`:

    >>> from crisisops.errors import ValidationError
    >>> try:
    ...     ShockEffect(magnitude=2 * MAX_SHOCK_MULTIPLIER)
    ... except ValidationError as error:
    ...     error.field, error.expected
    ('magnitude', 'a number in [1, 1e+06]')
    """

    frequency: float = attrs.field(
        default=1.0,
        converter=_to_float,
        validator=is_finite(low=1.0, high=MAX_SHOCK_MULTIPLIER),
    )
    magnitude: float = attrs.field(
        default=1.0,
        converter=_to_float,
        validator=is_finite(low=1.0, high=MAX_SHOCK_MULTIPLIER),
    )


def _check_effects(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, FrozenDict):
        raise InvalidTypeError(name, value, "a mapping of risk key to ShockEffect")
    if not value:
        raise ValidationError(name, value, "at least one affected risk")
    for key, effect in value.items():
        check_key(key, f"{name} key")
        if not isinstance(effect, ShockEffect):
            raise InvalidTypeError(f"{name}[{key!r}]", effect, "a ShockEffect")


@attrs.frozen(kw_only=True)
class CommonShock:
    """An event that, in the years it happens, raises several risks at once.

    A common shock models dependence with a cause: a typhoon (颱風) delays
    logistics and stops suppliers in the same year; a platform outage costs
    sales and floods customer service. Each simulated year it strikes with
    probability `probability`, independently of everything else, and
    multiplies the affected risks' frequency and/or magnitude by the
    `ShockEffect` given for each. When several shocks strike a risk in the
    same year, their multipliers multiply.

    Attributes
    ----------
    key
        Identifier, e.g. ``"natural.typhoon"``; unique in a portfolio.
    title
        A short name for people, e.g. ``"Typhoon season"``.
    probability
        Chance it strikes in a year, in [0, 1].
    effects
        ``{risk key: ShockEffect}`` for each risk it raises (at least one).

    Examples
    --------
    >>> outage = CommonShock(
    ...     key="tech.platform_outage",
    ...     title="Platform outage",
    ...     probability=0.05,
    ...     effects={"customer_service.backlog": ShockEffect(frequency=4.0)},
    ... )
    >>> outage.effects["customer_service.backlog"].frequency
    4.0
    """

    key: str = attrs.field(validator=is_key())
    title: str = attrs.field(validator=is_text())
    probability: float = attrs.field(
        converter=_to_float, validator=is_finite(low=0.0, high=1.0)
    )
    effects: FrozenDict[str, ShockEffect] = attrs.field(
        converter=to_frozendict, validator=_check_effects
    )


# --- the portfolio ------------------------------------------------------------


def _check_risks(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, FrozenDict):
        raise InvalidTypeError(name, value, "a mapping of risk key to loss model")
    if not value:
        raise ValidationError(name, value, "at least one risk")
    for key, model in value.items():
        check_key(key, f"{name} key")
        if not isinstance(model, (FAIRModel, CompoundLossModel)):
            raise InvalidTypeError(
                f"{name}[{key!r}]", model, "a FAIRModel or CompoundLossModel"
            )


@attrs.frozen(kw_only=True)
class Portfolio:
    """Risks to simulate together, with their correlation and common shocks.

    Attributes
    ----------
    risks
        ``{risk key: loss model}``: each a `FAIRModel` or `CompoundLossModel`.
        The order does not change any result.
    correlation
        Optional target rank correlation between some or all of the risks;
        a risk it does not name is simulated independently of the others.
    shocks
        Common shocks; keys unique, every affected risk in `risks`.

    Raises
    ------
    UnknownKeyError
        If the correlation or a shock names a risk that is not in `risks`
        (with the closest keys as suggestions).
    DuplicateKeyError
        If two shocks share a key.
    """

    risks: FrozenDict[str, LossModel] = attrs.field(
        converter=to_frozendict, validator=_check_risks
    )
    correlation: RankCorrelation | None = attrs.field(
        default=None,
        validator=is_optional(is_instance(RankCorrelation, "a RankCorrelation")),
    )
    shocks: tuple[CommonShock, ...] = attrs.field(
        default=(),
        converter=to_tuple,
        validator=is_tuple_of(is_instance(CommonShock, "a CommonShock")),
    )

    def __attrs_post_init__(self) -> None:
        """Check that the correlation and the shocks name known risks."""
        known = tuple(self.risks)
        if self.correlation is not None:
            for key in self.correlation.risks:
                if key not in self.risks:
                    raise UnknownKeyError("risk", key, known)
        seen: set[str] = set()
        for shock in self.shocks:
            if shock.key in seen:
                raise DuplicateKeyError("common shock", shock.key)
            seen.add(shock.key)
            for key in shock.effects:
                if key not in self.risks:
                    raise UnknownKeyError("risk", key, known)


# --- results ------------------------------------------------------------------


def _check_loss_matrix(instance: PortfolioLoss, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, np.ndarray):
        raise InvalidTypeError(name, value, "an (R, T) array of annual losses")
    size = len(instance.risks)
    if value.ndim != 2 or value.shape[0] != size or value.shape[1] == 0:
        raise ValidationError(
            name,
            value.shape,
            f"shape ({size}, T): one row of T >= 1 annual losses per risk",
        )
    low, high = float(value.min()), float(value.max())
    if not (low >= 0.0 and math.isfinite(high)):
        raise ValidationError(name, value, "finite losses >= 0")


def _check_total(instance: PortfolioLoss, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, LossDistribution):
        raise InvalidTypeError(name, value, "a LossDistribution")
    expected = instance.losses.sum(axis=0)
    if value.losses.shape != expected.shape or not np.allclose(
        value.losses, expected, rtol=1e-9, atol=1e-9 * float(expected.max())
    ):
        raise ValidationError(
            name, value, "the per-trial sum of the risks' losses (losses.sum(axis=0))"
        )


@attrs.frozen(kw_only=True)
class TailContributions:
    r"""Each risk's contribution to the portfolio's expected shortfall.

    With the years sorted by their total loss, `LossDistribution`'s
    expected shortfall ``ES_α`` is the average total over the worst
    ``n(1 − α)`` years, the boundary year counted with the fractional weight
    ``k + 1 − nα`` (``k = ⌊nα⌋``; Acerbi & Tasche 2002). A risk's
    contribution is *its* average loss over the same years with the same
    weights (years tied with the boundary share its weight equally), so

    ``Σᵢ contributionᵢ = ES_α(total)``

    exactly, up to floating-point rounding (the Euler allocation of expected
    shortfall, Tasche 1999). Without ties this is the mean of each risk's
    loss in the years beyond ``VaR_α``, the "co-TVaR".

    Attributes
    ----------
    alpha
        The confidence level, strictly between 0 and 1.
    risks
        The risk keys, in the portfolio's order.
    contributions
        Each risk's contribution (same currency as the losses), shape ``(R,)``.
    value_at_risk
        ``VaR_α`` of the portfolio total.
    expected_shortfall
        ``ES_α`` (TVaR) of the portfolio total: the sum of `contributions`.

    Examples
    --------
    Four simulated years of two risks; the totals are 0, 20, 10 and 40. At
    ``alpha = 0.5`` the worst two years are the second and the fourth, so
    ``ES = (20 + 40) / 2 = 30``, of which the outage brings ``(0 + 30) / 2``
    and the recall ``(20 + 10) / 2``:

    >>> result = PortfolioLoss.from_losses(
    ...     ["outage", "recall"], [[0, 0, 10, 30], [0, 20, 0, 10]]
    ... )
    >>> tail: TailContributions = result.tail_contributions(0.5)
    >>> tail.contributions.tolist(), tail.expected_shortfall
    ([15.0, 15.0], 30.0)
    >>> tail.shares.tolist()
    [0.5, 0.5]
    """

    alpha: float = attrs.field(
        converter=_to_float, validator=is_finite(low=0.0, high=1.0)
    )
    risks: tuple[str, ...] = attrs.field(converter=to_str_tuple, validator=_risk_keys)
    contributions: FloatArray = attrs.field(
        converter=_read_only_copy, eq=attrs.cmp_using(eq=_equal_arrays), hash=False
    )
    value_at_risk: float = attrs.field(converter=_to_float, validator=is_finite())
    expected_shortfall: float = attrs.field(converter=_to_float, validator=is_finite())

    def __attrs_post_init__(self) -> None:
        """Check the keys, one contribution per risk, and that they add up to ES."""
        _check_probability_level(self.alpha)
        _check_vector(self.contributions, "contributions", len(self.risks), low=None)
        # Both sides are sums over up to MAX_TRIALS years, rounded differently;
        # 1e-6 of the largest term is far above their rounding and far below
        # any real inconsistency.
        total = math.fsum(self.contributions.tolist())
        scale = max(abs(self.expected_shortfall), *np.abs(self.contributions).tolist())
        if abs(total - self.expected_shortfall) > 1e-6 * max(scale, 1e-300):
            raise ValidationError(
                "expected_shortfall",
                self.expected_shortfall,
                f"the sum of the contributions ({total:g})",
            )
        if self.value_at_risk > self.expected_shortfall * (1.0 + 1e-12):
            raise ValidationError(
                "value_at_risk",
                self.value_at_risk,
                f"at most expected_shortfall ({self.expected_shortfall:g})",
            )

    @property
    def shares(self) -> FloatArray:
        """Each contribution as a share of `expected_shortfall` (they sum to 1)."""
        if self.expected_shortfall == 0.0:
            return np.zeros_like(self.contributions)
        result: FloatArray = self.contributions / self.expected_shortfall
        return result


@attrs.frozen(kw_only=True)
class Diversification:
    """Stand-alone VaR of each risk against the portfolio's VaR.

    The diversification benefit is ``Σᵢ VaR_α(riskᵢ) − VaR_α(total)``: how
    much less capital the portfolio needs than its risks would each on their
    own, because their bad years do not all coincide. Correlation and common
    shocks shrink it; VaR is not sub-additive, so with strong dependence or
    very skewed risks it can even be negative.

    Attributes
    ----------
    alpha
        The confidence level, strictly between 0 and 1.
    risks
        The risk keys, in the portfolio's order.
    standalone
        ``VaR_α`` of each risk on its own, shape ``(R,)``.
    portfolio
        ``VaR_α`` of the portfolio total.

    Examples
    --------
    Two risks that are never bad in the same year: each has a stand-alone
    ``VaR_0.75`` of 30 (the third of its four years), but every year costs
    the portfolio 50 in total:

    >>> result = PortfolioLoss.from_losses(
    ...     ["outage", "recall"], [[10, 20, 30, 40], [40, 30, 20, 10]]
    ... )
    >>> spread: Diversification = result.diversification(0.75)
    >>> spread.standalone.tolist(), spread.portfolio
    ([30.0, 30.0], 50.0)
    >>> spread.standalone_total, spread.benefit
    (60.0, 10.0)
    """

    alpha: float = attrs.field(
        converter=_to_float, validator=is_finite(low=0.0, high=1.0)
    )
    risks: tuple[str, ...] = attrs.field(converter=to_str_tuple, validator=_risk_keys)
    standalone: FloatArray = attrs.field(
        converter=_read_only_copy, eq=attrs.cmp_using(eq=_equal_arrays), hash=False
    )
    portfolio: float = attrs.field(converter=_to_float, validator=is_finite(low=0.0))

    def __attrs_post_init__(self) -> None:
        """Check the keys and one stand-alone VaR per risk."""
        _check_probability_level(self.alpha)
        _check_vector(self.standalone, "standalone", len(self.risks), low=0.0)

    @property
    def standalone_total(self) -> float:
        """``Σᵢ VaR_α(riskᵢ)``."""
        return float(self.standalone.sum())

    @property
    def benefit(self) -> float:
        """``Σᵢ VaR_α(riskᵢ) − VaR_α(total)``."""
        return self.standalone_total - self.portfolio


@attrs.frozen(kw_only=True)
class Tornado:
    """One-at-a-time sensitivity of a portfolio statistic, ready for a chart.

    For each risk, the change of the statistic (the mean, or a percentile, of
    the portfolio's annual total) when that risk alone is removed, or its
    magnitude (every loss) is multiplied by `low_factor` or `high_factor`.
    The risks are sorted by `swing`, largest first: the order of the bars of
    a tornado chart.

    Attributes
    ----------
    percentile
        The percentile of the total in [0, 100], or ``None`` for the mean.
    low_factor, high_factor
        The magnitude multipliers, ``0 <= low_factor <= high_factor``.
    baseline
        The statistic of the portfolio as simulated.
    risks
        The risk keys, largest swing first.
    removed, low, high
        The change of the statistic (new − baseline) for each risk when it
        is removed, scaled by `low_factor`, scaled by `high_factor`.

    Examples
    --------
    The mean total is ``(0 + 20 + 10 + 40) / 4 = 17.5``. The outage
    averages 10 a year: removing it lowers the mean by 10, ±50 % moves it by
    ±5. The recall averages 7.5:

    >>> result = PortfolioLoss.from_losses(
    ...     ["recall", "outage"], [[0, 20, 0, 10], [0, 0, 10, 30]]
    ... )
    >>> chart: Tornado = result.tornado(low=0.5, high=1.5)
    >>> chart.statistic, chart.baseline, chart.risks  # largest swing first
    ('mean', 17.5, ('outage', 'recall'))
    >>> chart.removed.tolist(), chart.low.tolist(), chart.high.tolist()
    ([-10.0, -7.5], [-5.0, -3.75], [5.0, 3.75])
    >>> chart.swing.tolist()
    [15.0, 11.25]
    """

    percentile: float | None = attrs.field(
        converter=_to_optional_float,
        validator=is_optional(is_finite(low=0.0, high=100.0)),
    )
    low_factor: float = attrs.field(converter=_to_float, validator=is_finite(low=0.0))
    high_factor: float = attrs.field(converter=_to_float, validator=is_finite(low=0.0))
    baseline: float = attrs.field(converter=_to_float, validator=is_finite())
    risks: tuple[str, ...] = attrs.field(converter=to_str_tuple, validator=_risk_keys)
    removed: FloatArray = attrs.field(
        converter=_read_only_copy, eq=attrs.cmp_using(eq=_equal_arrays), hash=False
    )
    low: FloatArray = attrs.field(
        converter=_read_only_copy, eq=attrs.cmp_using(eq=_equal_arrays), hash=False
    )
    high: FloatArray = attrs.field(
        converter=_read_only_copy, eq=attrs.cmp_using(eq=_equal_arrays), hash=False
    )

    def __attrs_post_init__(self) -> None:
        """Check factor order and one value per risk in each array."""
        if self.high_factor < self.low_factor:
            raise ValidationError(
                "high_factor",
                self.high_factor,
                f"a factor >= low_factor ({self.low_factor:g})",
            )
        size = len(self.risks)
        _check_vector(self.removed, "removed", size, low=None)
        _check_vector(self.low, "low", size, low=None)
        _check_vector(self.high, "high", size, low=None)

    @property
    def statistic(self) -> str:
        """``"mean"`` or e.g. ``"percentile 95"``, for a chart's title."""
        return "mean" if self.percentile is None else f"percentile {self.percentile:g}"

    @property
    def swing(self) -> FloatArray:
        """Width of each risk's bar: the range of 0, removed, low and high."""
        stacked = np.vstack(
            [self.removed, self.low, self.high, np.zeros(len(self.risks))]
        )
        result: FloatArray = stacked.max(axis=0) - stacked.min(axis=0)
        return result


@attrs.frozen(kw_only=True)
class PortfolioLoss:
    """Simulated annual losses of every risk of a portfolio, and their total.

    Attributes
    ----------
    risks
        The risk keys, in the portfolio's order (row order of `losses`).
    losses
        Read-only float64 array of shape ``(R, T)``: ``losses[i, t]`` is risk
        ``i``'s loss in simulated year ``t``. Rows keep each risk's own
        distribution exactly (correlation only reorders years).
    total
        The portfolio's annual loss, ``losses.sum(axis=0)``, as a
        `LossDistribution`.
    """

    risks: tuple[str, ...] = attrs.field(converter=to_str_tuple, validator=_risk_keys)
    losses: FloatArray = attrs.field(
        converter=_read_only_copy,
        validator=_check_loss_matrix,
        eq=attrs.cmp_using(eq=_equal_arrays),
        hash=False,
    )
    total: LossDistribution = attrs.field(validator=_check_total)

    @classmethod
    def from_losses(
        cls, risks: tuple[str, ...] | list[str], losses: npt.ArrayLike
    ) -> PortfolioLoss:
        """Build the result from per-risk losses, summing the total.

        Examples
        --------
        >>> result = PortfolioLoss.from_losses(["a", "b"], [[1.0, 0.0], [2.0, 5.0]])
        >>> result.total.losses.tolist()
        [3.0, 5.0]
        """
        matrix = _read_only_copy(losses)
        if not isinstance(matrix, np.ndarray) or matrix.ndim != 2:
            raise ValidationError(
                "losses", losses, "an (R, T) array: one row of annual losses per risk"
            )
        total = matrix.sum(axis=0)
        return cls(risks=risks, losses=matrix, total=LossDistribution(losses=total))

    @property
    def trials(self) -> int:
        """Number of simulated years ``T``."""
        return int(self.losses.shape[1])

    def _row(self, key: str) -> FloatArray:
        if key not in self.risks:
            raise UnknownKeyError("risk", key, self.risks)
        row: FloatArray = self.losses[self.risks.index(key)]
        return row

    def risk(self, key: str) -> LossDistribution:
        """Return one risk's annual losses as a `LossDistribution`.

        Raises
        ------
        UnknownKeyError
            If ``key`` is not one of `risks` (with suggestions).
        """
        return LossDistribution(losses=self._row(key))

    def rank_correlation(self) -> FloatArray:
        """Return the Spearman rank correlation between the risks, ``(R, R)``.

        Mid-ranks for ties; a risk that lost the same amount every year has
        NaN correlations. Needs at least two trials.
        """
        return spearman_matrix(self.losses)

    def _tail_weights(self, level: float) -> FloatArray:
        """Per-year weights of ``ES_α`` of the total; they sum to ``n(1 − α)``."""
        totals = self.total.losses
        n = totals.size
        product = _tail_rank(n, level)
        k = min(n - 1, math.floor(product))
        boundary = float(np.partition(totals, k)[k])
        above = totals > boundary
        tied = totals == boundary
        count_above = int(np.count_nonzero(above))
        share = (n - count_above - product) / int(np.count_nonzero(tied))
        weights: FloatArray = np.where(above, 1.0, np.where(tied, share, 0.0))
        return weights

    def tail_contributions(self, alpha: float) -> TailContributions:
        """Return each risk's contribution to the total's ``ES_α``.

        See `TailContributions` for the definition; the contributions add up
        to ``total.expected_shortfall(alpha)``.

        Parameters
        ----------
        alpha
            The confidence level, strictly between 0 and 1 (e.g. 0.95).

        Raises
        ------
        InvalidTypeError, ValidationError
            If ``alpha`` is not a number strictly between 0 and 1.
        """
        level = _check_probability_level(alpha)
        weights = self._tail_weights(level)
        # the weights sum to n(1 − α), the denominator of ES_α
        mass = self.trials - _tail_rank(self.trials, level)
        contributions = (self.losses @ weights) / mass
        return TailContributions(
            alpha=level,
            risks=self.risks,
            contributions=contributions,
            value_at_risk=self.total.value_at_risk(level),
            expected_shortfall=self.total.expected_shortfall(level),
        )

    def diversification(self, alpha: float) -> Diversification:
        """Return each risk's stand-alone ``VaR_α`` and the portfolio's.

        A risk's row keeps its own distribution, so its stand-alone VaR is
        the VaR of its row.

        Raises
        ------
        InvalidTypeError, ValidationError
            If ``alpha`` is not a number strictly between 0 and 1.
        """
        level = _check_probability_level(alpha)
        standalone = np.array(
            [LossDistribution(losses=row).value_at_risk(level) for row in self.losses]
        )
        return Diversification(
            alpha=level,
            risks=self.risks,
            standalone=standalone,
            portfolio=self.total.value_at_risk(level),
        )

    def tornado(
        self,
        *,
        low: float = 0.5,
        high: float = 1.5,
        percentile: float | None = None,
    ) -> Tornado:
        """Return one-at-a-time sensitivity data for a tornado chart.

        For each risk in turn, the portfolio is re-evaluated on common random
        numbers with that risk removed, or its magnitude multiplied by
        ``low`` or ``high``; every other risk keeps its draws and its years.
        Multiplying a risk's magnitude multiplies each of its annual losses
        (that is how `FAIRModel` and `CompoundLossModel` apply a magnitude
        scale) and keeps their ranks, so the Iman–Conover reordering is
        unchanged: re-simulating with the same seed would give the stored
        row times the factor. The re-run is therefore computed from the
        stored losses, ``total + (factor − 1)·row`` (removal is factor 0),
        without new draws.

        Parameters
        ----------
        low, high
            Magnitude multipliers, ``0 <= low <= high`` (defaults ±50%).
        percentile
            Which statistic of the total to compare: ``None`` for the mean
            (expected annual loss), or a percentile in [0, 100].

        Raises
        ------
        InvalidTypeError, ValidationError
            For factors that are not finite numbers ``>= 0`` or out of
            order, or a percentile outside [0, 100].
        """
        low_factor = check_finite(_as_float(low), "low", low=0.0)
        high_factor = check_finite(_as_float(high), "high", low=0.0)
        if high_factor < low_factor:
            raise ValidationError("high", high, f"a factor >= low ({low_factor:g})")
        level = (
            None
            if percentile is None
            else check_finite(_as_float(percentile), "percentile", low=0.0, high=100.0)
        )

        def statistic(values: FloatArray) -> float:
            if level is None:
                return float(values.mean())
            return float(np.percentile(values, level))

        total = self.total.losses
        baseline = self.total.mean if level is None else self.total.percentile(level)
        size = len(self.risks)
        changes = np.empty((3, size))
        for index in range(size):  # a handful of risks, each O(T)
            row = self.losses[index]
            for which, factor in enumerate((0.0, low_factor, high_factor)):
                changes[which, index] = (
                    statistic(total + (factor - 1.0) * row) - baseline
                )
        spread = np.vstack([changes, np.zeros(size)])
        swing = spread.max(axis=0) - spread.min(axis=0)
        order = sorted(range(size), key=lambda i: (-swing[i], self.risks[i]))
        return Tornado(
            percentile=level,
            low_factor=low_factor,
            high_factor=high_factor,
            baseline=baseline,
            risks=[self.risks[i] for i in order],
            removed=changes[0, order],
            low=changes[1, order],
            high=changes[2, order],
        )


# --- simulation ---------------------------------------------------------------


def _check_seed(seed: object) -> np.random.SeedSequence:
    return _seed_sequence(
        seed,
        "seed",
        "an int seed >= 0 or a numpy.random.SeedSequence (a portfolio derives "
        "one stream per risk key from it, which a Generator cannot give)",
    )


def _multipliers(
    key: str,
    shocks: list[CommonShock],
    strikes: npt.NDArray[np.bool_],
) -> tuple[FloatArray | None, FloatArray | None]:
    """Per-year frequency and magnitude multipliers of one risk (None: all 1)."""
    frequency: FloatArray | None = None
    magnitude: FloatArray | None = None
    for index, shock in enumerate(shocks):  # a handful of shocks
        effect = shock.effects.get(key)
        if effect is None or not strikes[index].any():
            continue
        if effect.frequency != 1.0:
            factor = np.where(strikes[index], effect.frequency, 1.0)
            frequency = factor if frequency is None else frequency * factor
        if effect.magnitude != 1.0:
            factor = np.where(strikes[index], effect.magnitude, 1.0)
            magnitude = factor if magnitude is None else magnitude * factor
    return frequency, magnitude


def _year_groups(
    names: list[str],
    shocks: list[CommonShock],
    strikes: npt.NDArray[np.bool_],
) -> npt.NDArray[np.intp]:
    """Label each year by which of the shocks touching ``names`` struck it."""
    relevant = [
        s for s, shock in enumerate(shocks) if any(k in shock.effects for k in names)
    ]
    if not relevant:
        return np.zeros(strikes.shape[1], dtype=np.intp)
    _, group = np.unique(strikes[relevant].T, axis=0, return_inverse=True)
    labels: npt.NDArray[np.intp] = group.reshape(-1).astype(np.intp)
    return labels


def _correlate(
    rows: FloatArray,
    members: list[int],
    target: FloatArray,
    groups: npt.NDArray[np.intp],
    generator: np.random.Generator,
) -> None:
    """Reorder the ``members`` rows in place, each group of years on its own."""
    index = np.asarray(members, dtype=np.intp)
    trials = rows.shape[1]
    years = np.argsort(groups, kind="stable")
    start = 0
    for stop in np.cumsum(np.bincount(groups)).tolist():  # one per shock pattern
        chosen = years[start:stop]
        if chosen.size == trials:
            rows[index] = iman_conover(rows[index], target, generator)
        else:
            block = np.ix_(index, chosen)
            rows[block] = iman_conover(rows[block], target, generator)
        start = stop


def simulate_portfolio(
    portfolio: Portfolio,
    trials: int,
    seed: int | np.random.SeedSequence,
) -> PortfolioLoss:
    """Simulate every risk of a portfolio over the same ``trials`` years.

    See the module docstring for the steps: shocks, per-risk draws with
    ``risk_generator(seed, key)``, Iman–Conover within groups of years with
    the same shocks, a total summed in sorted key order. The result does not
    depend on the order of the risks, shocks or correlation keys, and a
    risk's draws do not depend on which other risks are in the portfolio
    (before correlation reorders them).

    Parameters
    ----------
    portfolio
        The risks, correlation and shocks.
    trials
        Number of simulated years, 1 to `MAX_TRIALS`.
    seed
        An int ``>= 0`` or a `numpy.random.SeedSequence`. Not a Generator:
        each risk's stream is derived from the seed and its key.

    Returns
    -------
    PortfolioLoss

    Raises
    ------
    InvalidTypeError, ValidationError
        For a ``portfolio`` that is not a `Portfolio`, a bad ``trials`` or
        ``seed``.
    """
    if not isinstance(portfolio, Portfolio):
        raise InvalidTypeError("portfolio", portfolio, "a Portfolio")
    n = _check_trials(trials)
    root = _check_seed(seed)
    order = sorted(portfolio.risks)
    shocks = sorted(portfolio.shocks, key=lambda shock: shock.key)
    strikes = np.empty((len(shocks), n), dtype=np.bool_)
    for index, shock in enumerate(shocks):
        stream = risk_generator(root, _SHOCK_STREAM + shock.key)
        strikes[index] = stream.random(n) < shock.probability
    rows = np.empty((len(order), n))
    for index, key in enumerate(order):  # one vectorised draw per risk
        frequency, magnitude = _multipliers(key, shocks, strikes)
        rows[index] = portfolio.risks[key].sample(
            risk_generator(root, key),
            n,
            frequency_scale=frequency,
            magnitude_scale=magnitude,
        )
    correlation = portfolio.correlation
    named = () if correlation is None else correlation.risks
    members = [i for i, key in enumerate(order) if key in named]
    if correlation is not None and len(members) >= 2:
        names = [order[i] for i in members]
        _correlate(
            rows,
            members,
            correlation.reordered(names),
            _year_groups(names, shocks, strikes),
            risk_generator(root, _CORRELATION_STREAM),
        )
    total = rows.sum(axis=0)
    total.setflags(write=False)
    if order == list(portfolio.risks):
        losses = rows
    else:
        position = {key: index for index, key in enumerate(order)}
        losses = rows[[position[key] for key in portfolio.risks]]
    losses.setflags(write=False)
    return PortfolioLoss(
        risks=tuple(portfolio.risks),
        losses=losses,
        total=LossDistribution(losses=total),
    )
