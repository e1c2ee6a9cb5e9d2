"""Expert opinion and past cases turned into levels (book §3 專家意見 + 歷史案例).

The book's risk-evaluation system quantifies each risk's probability and
impact from data and then folds in expert opinion and past cases
(結合專家意見和歷史案例,對風險進行定性分析,確保評估結果的準確性). This module
gives each of those a documented rule:

* **Expert opinion** – several experts rate a risk (`ExpertRating`: a
  likelihood level, an impact level or per-dimension `ImpactRating`, and a
  weight for their expertise). `aggregate_ratings()` combines them by
  weighted mean, weighted median or weighted geometric mean into an
  `ExpertConsensus` with a real-valued and a rounded level for each axis, the
  dispersion of the ratings, and a Delphi-style flag asking for another
  round when the experts disagree too much (Dalkey & Helmer 1963).
* **Past cases** – `likelihood_from_history()` turns incident counts over a
  number of years into a likelihood level through the scale's frequency
  bands (`crisisops.risk.scales.Scale.level_for_frequency`).
* **Blending** – `blend()` weighs the expert likelihood against the
  historical one; `history_weight()` gives the weight a history of so many
  years deserves (a Bühlmann credibility factor, ``years / (years + k)``).

Every rule rounds real-valued levels half up
(`crisisops.risk.scales.round_half_up`: 2.5 → 3).

Examples
--------
Three experts rate a payment-gateway outage on the default 5 × 5 scales; the
operations lead's view counts double.

>>> from crisisops.risk.scoring import (
...     Aggregation,
...     ExpertRating,
...     aggregate_ratings,
...     blend,
...     history_weight,
...     likelihood_from_history,
... )
>>> from crisisops.risk.scales import default_likelihood_scale
>>> ratings = [
...     ExpertRating(expert="ops_lead", likelihood=3, impact=4, weight=2.0),
...     ExpertRating(expert="cto", likelihood=2, impact=4),
...     ExpertRating(expert="cs_manager", likelihood=4, impact=5),
... ]
>>> consensus = aggregate_ratings(ratings)
>>> consensus.likelihood, consensus.likelihood_level  # (2·3 + 2 + 4) / 4
(3.0, 3)
>>> consensus.impact_level, round(consensus.impact, 2)  # (2·4 + 4 + 5) / 4
(4, 4.25)
>>> consensus.needs_another_round
False

The shop logged 5 outages in 3 years (1.67 a year: "Likely", level 4).
Three years of history weigh half (k = 3):

>>> history = likelihood_from_history(5, 3.0, default_likelihood_scale())
>>> history
4
>>> blended = blend(consensus.likelihood, history, history_weight(3.0))
>>> blended.level, blended.value
(4, 3.5)

References
----------
Dalkey, Norman, and Olaf Helmer. 1963. "An Experimental Application of the
Delphi Method to the Use of Experts." *Management Science* 9 (3): 458–67.
https://doi.org/10.1287/mnsc.9.3.458.
Aczél, János, and Thomas L. Saaty. 1983. "Procedures for Synthesizing Ratio
Judgements." *Journal of Mathematical Psychology* 27 (1): 93–102.
https://doi.org/10.1016/0022-2496(83)90028-7. (The weighted geometric mean as
the way to pool judgements.)
von der Gracht, Heiko A. 2012. "Consensus Measurement in Delphi Studies."
*Technological Forecasting and Social Change* 79 (8): 1525–36.
https://doi.org/10.1016/j.techfore.2012.04.013. (Dispersion thresholds as
the stopping rule between rounds.)
Bühlmann, Hans. 1967. "Experience Rating and Credibility." *ASTIN Bulletin*
4 (3): 199–207. https://doi.org/10.1017/S0515036100008989.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Iterable
from typing import Any, overload

import attrs
import numpy as np
import numpy.typing as npt

from crisisops._validation import (
    check_finite,
    field_name,
    is_enum,
    is_finite,
    is_optional,
    is_text,
    is_tuple_of,
    to_str_tuple,
)
from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    ValidationError,
)
from crisisops.labels import Labels
from crisisops.risk.scales import (
    ImpactRating,
    ImpactRule,
    Scale,
    round_half_up,
)

__all__ = [
    "Aggregation",
    "BlendedLikelihood",
    "ExpertConsensus",
    "ExpertRating",
    "aggregate_ratings",
    "blend",
    "history_weight",
    "likelihood_from_history",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Relative tolerance when comparing cumulative weights with half the total
#: (weighted median), so 0.1 + 0.2 counts as 0.3.
_WEIGHT_TOLERANCE = 1e-12


_labels = Labels.of


def _plain(value: object) -> Any:  # noqa: ANN401  numbers of any kind pass through
    if isinstance(value, np.generic) and not isinstance(value, np.bool_):
        return value.item()
    return value


def _check_level(value: object, field: str) -> int:
    number = _plain(value)
    if isinstance(number, bool) or not isinstance(number, int):
        raise InvalidTypeError(field, value, "an int level >= 1")
    if number < 1:
        raise ValidationError(field, value, "an int level >= 1")
    return number


def _check_real_level(value: object, field: str) -> float:
    """Return a real-valued level ≥ 1 (an int level or a consensus value)."""
    number = check_finite(_plain(value), field)
    if number < 1:
        raise ValidationError(field, value, "a level >= 1")
    return number


def _is_level(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    _check_level(value, field_name(attribute))


def _is_real_level(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    _check_real_level(value, field_name(attribute))


def _is_positive(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    number = check_finite(value, name)
    if number <= 0:
        raise ValidationError(name, value, "a finite number > 0")


def _is_impact(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    if isinstance(value, ImpactRating):
        return
    _check_level(value, field_name(attribute))


def _to_float(value: object) -> Any:  # noqa: ANN401  the validator checks the type
    number = _plain(value)
    if type(number) is int:
        return float(number)
    return number


# --- expert ratings ------------------------------------------------------------


@attrs.frozen(kw_only=True)
class ExpertRating:
    """One expert's rating of one risk (專家意見).

    Attributes
    ----------
    expert
        Who rated, e.g. a person's or role's identifier; unique per round.
    likelihood
        Likelihood level (1 … n of the likelihood scale).
    impact
        Impact level (1 … n of the impact scale), or an `ImpactRating` per
        book §4 dimension that an `ImpactRule` combines.
    weight
        How much this expert's view counts, a finite number > 0 (e.g. years
        of experience with this kind of risk, or 2 for the owner of the
        process). Only ratios matter.
    note
        The expert's reasoning, shown to the others in a Delphi round.
    """

    expert: str = attrs.field(validator=is_text())
    likelihood: int = attrs.field(converter=_plain, validator=_is_level)
    impact: int | ImpactRating = attrs.field(converter=_plain, validator=_is_impact)
    weight: float = attrs.field(
        default=1.0, converter=_to_float, validator=_is_positive
    )
    note: str | None = attrs.field(default=None, validator=is_optional(is_text()))

    def impact_value(self, rule: ImpactRule | None = None) -> float:
        """Return the expert's impact as one real-valued level.

        A plain level is returned as is; an `ImpactRating` is combined with
        ``rule`` (default: `ImpactRule.maximum()`) *before rounding*
        (`ImpactRule.value`), so aggregation loses nothing to rounding twice.
        """
        chosen = ImpactRule.maximum() if rule is None else rule
        if not isinstance(chosen, ImpactRule):
            raise InvalidTypeError("rule", rule, "an ImpactRule or None")
        if isinstance(self.impact, ImpactRating):
            return chosen.value(self.impact)
        return float(self.impact)


class Aggregation(enum.Enum):
    """How `aggregate_ratings` pools several experts' levels.

    * ``WEIGHTED_MEAN`` – ``Σ wᵢxᵢ / Σ wᵢ``: the default; every rating moves
      the result.
    * ``MEDIAN`` – the weighted median: the level where the cumulative weight
      (ratings sorted) first reaches half the total; when it reaches exactly
      half, the midpoint of that level and the next (so equal weights give
      the ordinary median). Robust to one extreme expert.
    * ``GEOMETRIC_MEAN`` – ``exp(Σ wᵢ ln xᵢ / Σ wᵢ)``: the pooling rule of
      Aczél & Saaty (1983) for ratio judgements; pulls towards the lower
      ratings.
    """

    WEIGHTED_MEAN = "weighted_mean"
    MEDIAN = "median"
    GEOMETRIC_MEAN = "geometric_mean"

    @property
    def labels(self) -> Labels:
        """Name of the method in English, 繁體 and 简体."""
        return _AGGREGATION_LABELS[self]


_AGGREGATION_LABELS = {
    Aggregation.WEIGHTED_MEAN: _labels("Weighted mean", "加權平均", "加权平均"),
    Aggregation.MEDIAN: _labels("Weighted median", "加權中位數", "加权中位数"),
    Aggregation.GEOMETRIC_MEAN: _labels(
        "Weighted geometric mean", "加權幾何平均", "加权几何平均"
    ),
}


def _check_rounded(instance: ExpertConsensus, field: str, real: float) -> None:
    level = getattr(instance, field)
    if level != round_half_up(real):
        raise ValidationError(
            field,
            level,
            f"{round_half_up(real)}, the value {real:g} rounded half up",
        )


@attrs.frozen(kw_only=True)
class ExpertConsensus:
    """The pooled view of several experts on one risk.

    Attributes
    ----------
    method
        The `Aggregation` used.
    likelihood, impact
        The pooled real-valued levels, between the lowest and the highest
        rating.
    likelihood_level, impact_level
        The same rounded half up to a level (`round_half_up`).
    likelihood_dispersion, impact_dispersion
        How far the experts disagree: the weighted population standard
        deviation of their ratings about the weighted mean, in levels
        (``sqrt(Σ wᵢ(xᵢ − x̄)² / Σ wᵢ)``), whatever the method. 0 means
        they all agree; two equal-weight experts one level apart give 0.5.
    max_dispersion
        The consensus threshold: above it on either axis, the experts
        disagree (`needs_another_round`).
    experts
        Who rated, in the order given.
    total_weight
        The sum of the experts' weights.

    Examples
    --------
    Two equal-weight experts agree on the impact; on the likelihood they
    are two levels apart (dispersion 1), then four (dispersion 2, above the
    default threshold of 1: another Delphi round):

    >>> close: ExpertConsensus = aggregate_ratings(
    ...     [
    ...         ExpertRating(expert="ops", likelihood=2, impact=4),
    ...         ExpertRating(expert="cto", likelihood=4, impact=4),
    ...     ]
    ... )
    >>> close.likelihood, close.likelihood_dispersion, close.impact_dispersion
    (3.0, 1.0, 0.0)
    >>> close.max_dispersion, close.needs_another_round
    (1.0, False)
    >>> apart = aggregate_ratings(
    ...     [
    ...         ExpertRating(expert="ops", likelihood=1, impact=4),
    ...         ExpertRating(expert="cto", likelihood=5, impact=4),
    ...     ]
    ... )
    >>> apart.dispersion, apart.needs_another_round
    (2.0, True)
    """

    method: Aggregation = attrs.field(validator=is_enum(Aggregation))
    likelihood: float = attrs.field(converter=_to_float, validator=_is_real_level)
    impact: float = attrs.field(converter=_to_float, validator=_is_real_level)
    likelihood_level: int = attrs.field(validator=_is_level)
    impact_level: int = attrs.field(validator=_is_level)
    likelihood_dispersion: float = attrs.field(
        converter=_to_float,
        validator=is_finite(low=0.0),
    )
    impact_dispersion: float = attrs.field(
        converter=_to_float,
        validator=is_finite(low=0.0),
    )
    max_dispersion: float = attrs.field(
        converter=_to_float,
        validator=is_finite(low=0.0),
    )
    experts: tuple[str, ...] = attrs.field(
        converter=to_str_tuple, validator=is_tuple_of(is_text(), min_length=1)
    )
    total_weight: float = attrs.field(converter=_to_float, validator=_is_positive)

    def __attrs_post_init__(self) -> None:
        """Check that the levels are the rounded values and experts unique."""
        _check_rounded(self, "likelihood_level", self.likelihood)
        _check_rounded(self, "impact_level", self.impact)
        if len(set(self.experts)) != len(self.experts):
            seen: set[str] = set()
            for expert in self.experts:
                if expert in seen:
                    raise DuplicateKeyError("expert", expert)
                seen.add(expert)

    @property
    def dispersion(self) -> float:
        """The larger of the two dispersions."""
        return max(self.likelihood_dispersion, self.impact_dispersion)

    @property
    def needs_another_round(self) -> bool:
        """Whether the experts disagree beyond ``max_dispersion`` (Delphi).

        In the Delphi method (Dalkey & Helmer 1963) the experts then see the
        pooled result and each other's anonymous reasons (`ExpertRating.note`)
        and rate again, until the dispersion falls below the threshold or the
        rounds stop changing it.
        """
        return self.dispersion > self.max_dispersion


def _pool(
    values: FloatArray, weights: FloatArray, method: Aggregation
) -> tuple[float, float]:
    """Return the pooled value and the weighted standard deviation of ``values``.

    The pairs are sorted first, so the result does not depend on the order of
    the experts, not even in the last bit of a floating-point sum.
    """
    order = np.lexsort((weights, values))
    x, w = values[order], weights[order]
    w = w / w.max()  # only ratios matter; this keeps sums of huge weights finite
    total = w.sum()
    mean = float(np.clip(w @ x / total, x[0], x[-1]))
    if method is Aggregation.WEIGHTED_MEAN:
        pooled = mean
    elif method is Aggregation.GEOMETRIC_MEAN:
        pooled = float(np.exp(w @ np.log(x) / total))
    else:
        cumulative = np.cumsum(w)
        half = total / 2
        tolerance = _WEIGHT_TOLERANCE * total
        lower = x[int(np.searchsorted(cumulative, half - tolerance, side="left"))]
        upper = x[int(np.searchsorted(cumulative, half + tolerance, side="right"))]
        pooled = float(lower + upper) / 2
    pooled = float(np.clip(pooled, x[0], x[-1]))
    spread = float(np.sqrt(max(float(w @ (x - mean) ** 2 / total), 0.0)))
    return pooled, spread


def _rating_tuple(ratings: object) -> tuple[ExpertRating, ...]:
    """Return the ratings as a tuple: at least one, all ExpertRating, no repeats."""
    if isinstance(ratings, (str, bytes)) or not isinstance(ratings, Iterable):
        raise InvalidTypeError("ratings", ratings, "an iterable of ExpertRating")
    items = tuple(ratings)
    if not items:
        raise ValidationError("ratings", [], "at least one ExpertRating")
    seen: set[str] = set()
    for index, rating in enumerate(items):
        if not isinstance(rating, ExpertRating):
            raise InvalidTypeError(f"ratings[{index}]", rating, "an ExpertRating")
        if rating.expert in seen:
            raise DuplicateKeyError("expert", rating.expert)
        seen.add(rating.expert)
    return items


def aggregate_ratings(  # noqa: PLR0913  the scales and rule are optional keywords
    ratings: Iterable[ExpertRating],
    method: Aggregation = Aggregation.WEIGHTED_MEAN,
    *,
    impact_rule: ImpactRule | None = None,
    likelihood_scale: Scale | None = None,
    impact_scale: Scale | None = None,
    max_dispersion: float = 1.0,
) -> ExpertConsensus:
    """Pool several experts' ratings of one risk into an `ExpertConsensus`.

    Likelihood and impact are pooled separately with ``method`` (see
    `Aggregation`), weighting each expert by ``weight``. An expert's
    `ImpactRating` is first combined into one real-valued impact with
    ``impact_rule`` (`ExpertRating.impact_value`). The pooled values are
    rounded half up to levels; the dispersion is the weighted standard
    deviation of the ratings (see `ExpertConsensus`).

    Parameters
    ----------
    ratings
        One `ExpertRating` per expert (at least one; no expert twice).
    method
        `Aggregation.WEIGHTED_MEAN` (default), ``MEDIAN`` or
        ``GEOMETRIC_MEAN``.
    impact_rule
        How per-dimension impact ratings are combined; default
        `ImpactRule.maximum()` (the worst dimension).
    likelihood_scale, impact_scale
        When given, every rating must be a level of its scale.
    max_dispersion
        Consensus threshold in levels (default 1.0): a larger weighted
        standard deviation on either axis sets `needs_another_round`. With
        two equal-weight experts, ratings two levels apart (2 and 4) give
        exactly 1.0 and pass; three apart (1 and 4) give 1.5 and do not.
        von der Gracht (2012) surveys such thresholds.

    Raises
    ------
    InvalidTypeError
        For a rating that is not an `ExpertRating`, or a bad argument type.
    ValidationError
        For no ratings or a negative ``max_dispersion``.
    DuplicateKeyError
        For an expert who rated twice.
    UnknownKeyError
        For a level that is not on the scale given.
    """
    items = _rating_tuple(ratings)
    if not isinstance(method, Aggregation):
        raise InvalidTypeError("method", method, "an Aggregation")
    rule = ImpactRule.maximum() if impact_rule is None else impact_rule
    if not isinstance(rule, ImpactRule):
        raise InvalidTypeError("impact_rule", impact_rule, "an ImpactRule")
    for name, scale in (
        ("likelihood_scale", likelihood_scale),
        ("impact_scale", impact_scale),
    ):
        if scale is not None and not isinstance(scale, Scale):
            raise InvalidTypeError(name, scale, "a Scale or None")
    threshold = check_finite(_plain(max_dispersion), "max_dispersion", low=0.0)
    for index, rating in enumerate(items):
        if likelihood_scale is not None:
            likelihood_scale.check_value(
                rating.likelihood, f"ratings[{index}].likelihood"
            )
        if impact_scale is not None:
            if isinstance(rating.impact, ImpactRating):
                rating.impact.check_scale(impact_scale, f"ratings[{index}].impact")
            else:
                impact_scale.check_value(rating.impact, f"ratings[{index}].impact")
    weights = np.array([rating.weight for rating in items], dtype=np.float64)
    try:
        total_weight = math.fsum(weights)  # exact, so order-independent
    except OverflowError:
        total_weight = math.inf
    if not math.isfinite(total_weight):
        raise ValidationError(
            "ratings",
            [rating.weight for rating in items],
            "weights whose sum is a finite number (only their ratios matter)",
        )
    likelihoods = np.array([rating.likelihood for rating in items], dtype=np.float64)
    impacts = np.array([rating.impact_value(rule) for rating in items])
    likelihood, likelihood_spread = _pool(likelihoods, weights, method)
    impact, impact_spread = _pool(impacts, weights, method)
    return ExpertConsensus(
        method=method,
        likelihood=likelihood,
        impact=impact,
        likelihood_level=round_half_up(likelihood),
        impact_level=round_half_up(impact),
        likelihood_dispersion=likelihood_spread,
        impact_dispersion=impact_spread,
        max_dispersion=threshold,
        experts=tuple(rating.expert for rating in items),
        total_weight=total_weight,
    )


# --- past cases ----------------------------------------------------------------


def _check_scale_with_bands(scale: object) -> Scale:
    if not isinstance(scale, Scale):
        raise InvalidTypeError("scale", scale, "a Scale")
    if not scale.has_bands:
        raise ValidationError(
            "scale",
            scale.key,
            "a likelihood scale whose levels have frequency bands",
        )
    return scale


def _as_array(values: object, field: str, expected: str) -> npt.NDArray[Any]:
    """``numpy.asarray``, with a ragged or otherwise unreadable input refused."""
    try:
        return np.asarray(values)
    except (TypeError, ValueError):
        raise InvalidTypeError(field, values, expected) from None


def _count_array(values: object, field: str) -> IntArray:
    array = _as_array(values, field, "whole numbers of incidents (ints)")
    if array.size and array.dtype.kind not in "iu":
        raise InvalidTypeError(field, values, "whole numbers of incidents (ints)")
    counts = array.astype(np.int64)
    bad = counts < 0
    if bad.any():
        flat = int(np.flatnonzero(bad.reshape(-1))[0])
        where = "".join(f"[{i}]" for i in np.unravel_index(flat, counts.shape))
        raise ValidationError(
            f"{field}{where}", int(counts.reshape(-1)[flat]), "an int >= 0"
        )
    return counts


def _years_array(values: object, field: str) -> FloatArray:
    array = _as_array(values, field, "years as real numbers > 0")
    if array.size and (array.dtype.kind not in "iuf"):
        raise InvalidTypeError(field, values, "years as real numbers > 0")
    years = array.astype(np.float64)
    bad = ~np.isfinite(years) | (years <= 0)
    if bad.any():
        flat = int(np.flatnonzero(bad.reshape(-1))[0])
        where = "".join(f"[{i}]" for i in np.unravel_index(flat, years.shape))
        raise ValidationError(
            f"{field}{where}", float(years.reshape(-1)[flat]), "a finite number > 0"
        )
    return years


@overload
def likelihood_from_history(incidents: int, years: float, scale: Scale) -> int: ...
@overload
def likelihood_from_history(
    incidents: npt.ArrayLike, years: npt.ArrayLike, scale: Scale
) -> int | IntArray: ...
def likelihood_from_history(
    incidents: npt.ArrayLike, years: npt.ArrayLike, scale: Scale
) -> int | IntArray:
    """Turn past incidents into a likelihood level (歷史案例).

    The observed rate ``incidents / years`` (events per year) is looked up in
    the scale's frequency bands, half-open ``[low, high)``: on the default
    scale, 1 incident in 10 years (0.1 a year) is level 2, "Unlikely", not
    level 1. Zero incidents give the lowest level. The observed rate of a
    short history is noisy; `blend()` with `history_weight()` lets experts
    temper it.

    Parameters
    ----------
    incidents
        Number of incidents, an int ≥ 0, or an integer array (one per risk).
    years
        Length of the history in years, > 0; a number or an array
        broadcasting with ``incidents``.
    scale
        A likelihood `Scale` with frequency bands.

    Returns
    -------
    int or numpy.ndarray
        The level value; an int64 array when an argument is an array.

    Raises
    ------
    InvalidTypeError
        For non-integer incident counts (e.g. 2.5 or True) or a non-Scale.
    ValidationError
        For negative counts, years ≤ 0 or not finite, a scale without bands,
        or shapes that do not broadcast.

    Examples
    --------
    >>> from crisisops.risk.scales import default_likelihood_scale
    >>> scale = default_likelihood_scale()
    >>> likelihood_from_history(0, 5, scale), likelihood_from_history(1, 10, scale)
    (1, 2)
    >>> likelihood_from_history(
    ...     [0, 1, 2, 8], 2.0, scale
    ... ).tolist()  # 0, 0.5, 1, 4 a year
    [1, 3, 4, 5]
    """
    chosen = _check_scale_with_bands(scale)
    counts_in = _as_array(incidents, "incidents", "an int >= 0 or an array of them")
    years_in = _as_array(years, "years", "a number > 0 or an array of them")
    if counts_in.ndim == 0 and years_in.ndim == 0:
        count = _plain(incidents)
        if isinstance(count, bool) or not isinstance(count, int):
            raise InvalidTypeError("incidents", incidents, "an int >= 0")
        if count < 0:
            raise ValidationError("incidents", incidents, "an int >= 0")
        span = check_finite(_plain(years), "years")
        rate = count / span if span > 0 else math.inf
        if not math.isfinite(rate):
            raise ValidationError(
                "years", years, "a finite number > 0 (giving a finite rate)"
            )
        return chosen.level_for_frequency(rate).value
    counts = _count_array(incidents, "incidents")
    spans = _years_array(years, "years")
    try:
        counts_b, spans_b = np.broadcast_arrays(counts, spans)
    except ValueError:
        raise ValidationError(
            "years",
            spans.shape,
            f"a number or an array broadcasting with incidents {counts.shape}",
        ) from None
    with np.errstate(over="ignore"):
        rates = counts_b / spans_b
    infinite = ~np.isfinite(rates)
    if infinite.any():
        flat = int(np.flatnonzero(infinite.reshape(-1))[0])
        where = "".join(f"[{i}]" for i in np.unravel_index(flat, rates.shape))
        raise ValidationError(
            f"years{where}",
            float(spans_b.reshape(-1)[flat]),
            "a number of years giving a finite rate",
        )
    return chosen.levels_for_frequencies(rates)


# --- blending ------------------------------------------------------------------


def history_weight(years: float, half_weight_years: float = 3.0) -> float:
    """Return the weight a history of ``years`` years deserves against experts.

    A Bühlmann credibility factor ``Z = years / (years + k)`` with
    ``k = half_weight_years``: no history weighs 0, ``k`` years weigh as much
    as the experts (0.5), and the weight grows towards 1 as the history
    lengthens (9 years with k = 3: 0.75). The default k = 3 years (twelve
    quarterly assessments, book §3 每季度) is crisisops' documented choice.

    Raises
    ------
    ValidationError
        If ``years`` is negative or ``half_weight_years`` not > 0.

    Examples
    --------
    >>> history_weight(0.0), history_weight(3.0), history_weight(9.0)
    (0.0, 0.5, 0.75)
    """
    span = check_finite(_plain(years), "years", low=0.0)
    k = check_finite(_plain(half_weight_years), "half_weight_years")
    if k <= 0:
        raise ValidationError("half_weight_years", half_weight_years, "a number > 0")
    return span / (span + k)


@attrs.frozen(kw_only=True)
class BlendedLikelihood:
    """A likelihood level from experts and past cases, and how it was obtained.

    ``value = (1 − history_weight) · expert_likelihood + history_weight ·
    historical_likelihood`` and ``level = round_half_up(value)``.

    Attributes
    ----------
    level
        The blended level.
    value
        The blended real value before rounding.
    expert_likelihood
        The experts' (real-valued) likelihood, e.g. `ExpertConsensus.likelihood`.
    historical_likelihood
        The level from past cases (`likelihood_from_history`).
    history_weight
        The weight of history, in [0, 1].

    Examples
    --------
    Experts say 2, three years of history say 3, each weighs half; 2.5
    rounds half up to 3:

    >>> blended: BlendedLikelihood = blend(2.0, 3, 0.5)
    >>> blended.value, blended.level
    (2.5, 3)
    >>> blended.explanation
    '0.50 × experts (2.00) + 0.50 × history (level 3) = 2.50 → level 3 (half up)'

    Built by hand, the level must follow from the inputs:

    >>> from crisisops.errors import ValidationError
    >>> try:
    ...     BlendedLikelihood(
    ...         level=2,
    ...         value=2.5,
    ...         expert_likelihood=2.0,
    ...         historical_likelihood=3,
    ...         history_weight=0.5,
    ...     )
    ... except ValidationError as error:
    ...     error.field, error.expected
    ('level', '3, the value 2.5 rounded half up')
    """

    level: int = attrs.field(validator=_is_level)
    value: float = attrs.field(converter=_to_float, validator=_is_real_level)
    expert_likelihood: float = attrs.field(
        converter=_to_float,
        validator=_is_real_level,
    )
    historical_likelihood: int = attrs.field(validator=_is_level)
    history_weight: float = attrs.field(
        converter=_to_float,
        validator=is_finite(low=0.0, high=1.0),
    )

    def __attrs_post_init__(self) -> None:
        """Check that the value and level follow from the inputs."""
        expected = (
            1.0 - self.history_weight
        ) * self.expert_likelihood + self.history_weight * self.historical_likelihood
        if not math.isclose(self.value, expected, rel_tol=1e-9, abs_tol=1e-12):
            raise ValidationError(
                "value",
                self.value,
                f"{expected:g}, the weighted mean of the expert and historical "
                "likelihoods",
            )
        if self.level != round_half_up(self.value):
            raise ValidationError(
                "level",
                self.level,
                f"{round_half_up(self.value)}, the value {self.value:g} rounded "
                "half up",
            )

    @property
    def explanation(self) -> str:
        """How the level was obtained, in one line of English."""
        w = self.history_weight
        return (
            f"{1 - w:.2f} × experts ({self.expert_likelihood:.2f}) + "
            f"{w:.2f} × history (level {self.historical_likelihood}) = "
            f"{self.value:.2f} → level {self.level} (half up)"
        )


def blend(
    expert_likelihood: float,
    historical_likelihood: int,
    history_weight: float,
    *,
    scale: Scale | None = None,
) -> BlendedLikelihood:
    """Blend the experts' likelihood with the one from past cases.

    The rule: the weighted mean of the two levels,
    ``(1 − w) · expert + w · history``, rounded half up. Choose ``w`` with
    `history_weight()` (it grows with the years of history) or set it
    yourself: 0 trusts the experts only, 1 the record only.

    Parameters
    ----------
    expert_likelihood
        The experts' likelihood, real-valued (``ExpertConsensus.likelihood``)
        or a level.
    historical_likelihood
        The level from `likelihood_from_history()`.
    history_weight
        Weight of history in [0, 1].
    scale
        When given, both inputs must lie on it.

    Raises
    ------
    InvalidTypeError, ValidationError
        For levels below 1, a weight outside [0, 1], non-numbers.
    UnknownKeyError
        For a historical level not on ``scale``.

    Examples
    --------
    >>> b = blend(2.4, 4, 0.25)
    >>> b.level
    3
    >>> b.explanation
    '0.75 × experts (2.40) + 0.25 × history (level 4) = 2.80 → level 3 (half up)'
    """
    expert = _check_real_level(expert_likelihood, "expert_likelihood")
    history = _check_level(historical_likelihood, "historical_likelihood")
    weight = check_finite(_plain(history_weight), "history_weight", low=0.0, high=1.0)
    if scale is not None:
        if not isinstance(scale, Scale):
            raise InvalidTypeError("scale", scale, "a Scale or None")
        scale.check_value(history, "historical_likelihood")
        if expert > scale.size:
            raise ValidationError(
                "expert_likelihood", expert_likelihood, f"a level in [1, {scale.size}]"
            )
    value = (1.0 - weight) * expert + weight * history
    return BlendedLikelihood(
        level=round_half_up(value),
        value=value,
        expert_likelihood=expert,
        historical_likelihood=history,
        history_weight=weight,
    )
