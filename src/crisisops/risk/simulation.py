r"""Monte Carlo loss of one risk: two named models and their result.

The book asks for each risk's probability and impact to be quantified (book
§3 構建風險評估體系: 對風險的概率、影響程度進行量化評估) and for risks to be
ranked by how serious they are (§3 定期進行風險評估: 3. 風險量化與等級劃分).
A Monte Carlo simulation does both at once: it draws many possible years,
and the spread of their losses says how likely each size of loss is.

Two models of a year's loss, named for what they compute:

* `FAIRModel` – the **FAIR product**: annual loss = loss-event frequency ×
  loss magnitude, one draw of each per simulated year (Open FAIR, as pyfair
  computes it; see the class for exactly how and where we differ).
* `CompoundLossModel` – the **compound frequency–severity** (collective risk)
  model: draw the number of events ``N`` in the year, draw a separate loss
  for each event, and add them up. It also gives the largest single event of
  each year (`CompoundLossModel.sample_detail`).

Both have ``sample(rng, trials, *, frequency_scale=None,
magnitude_scale=None)``; the optional per-trial multipliers let a portfolio
raise several risks at once in the years a common shock strikes.

Results are a `LossDistribution`: the simulated annual losses, with the
expected annual loss (mean), sd, Monte Carlo standard error, percentiles,
value at risk, expected shortfall (TVaR), exceedance probabilities and the
loss-exceedance curve as arrays.

Randomness is always explicit (DESIGN principle 1): `simulate` takes a seed,
and `risk_generator` derives one independent stream per risk key from a
seed, so a risk draws the same numbers wherever it sits in a portfolio.

Examples
--------
>>> from crisisops.risk.distributions import PERT, Poisson
>>> outage = FAIRModel(
...     loss_event_frequency=PERT(low=1.0, mode=4.0, high=13.0),
...     loss_magnitude=PERT(low=2_000.0, mode=5_000.0, high=14_000.0),
... )
>>> outage.expected_loss  # E[LEF]·E[LM] = 5 · 6,000
30000.0
>>> result = simulate(outage, trials=100_000, seed=2026)
>>> bool(abs(result.mean - 30_000.0) < 4 * result.standard_error)
True
>>> result.value_at_risk(0.95) <= result.expected_shortfall(0.95)
True
>>> refunds = CompoundLossModel(
...     frequency=Poisson(rate=2.0),
...     severity=PERT(low=2_000.0, mode=5_000.0, high=14_000.0),
... )
>>> refunds.expected_loss  # E[N]·E[X] = 2 · 6,000
12000.0

`CompoundLossModel.sample_detail` keeps each year's total, largest event and
number of events, as a `CompoundSample`; its totals are exactly `sample`'s:

>>> import numpy as np
>>> detail = refunds.sample_detail(np.random.default_rng(7), 5)
>>> isinstance(detail, CompoundSample)
True
>>> bool(np.array_equal(detail.annual, refunds.sample(np.random.default_rng(7), 5)))
True
>>> bool((detail.largest <= detail.annual).all())
True

A loss-exceedance curve has at most `MAX_CURVE_POINTS` grid points:

>>> losses, above = result.exceedance_curve(5)
>>> len(losses), float(above[-1])  # nothing exceeds the largest loss
(5, 0.0)
>>> MAX_CURVE_POINTS
100000

References
----------
The Open Group. 2013. *Risk Taxonomy (O-RT), Version 2.0*. Open Group
Standard C13K; and *Risk Analysis (O-RA)*, C13G. (Risk = loss-event
frequency × loss magnitude; LEF = threat-event frequency × vulnerability.)
Freund, Jack, and Jack Jones. 2014. *Measuring and Managing Information
Risk: A FAIR Approach*. Oxford: Butterworth-Heinemann.
pyfair (Hive-Systems/pyfair), ``pyfair/model/model_calc.py`` and
``model_input.py``: how pyfair multiplies and derives the FAIR nodes.
Klugman, Stuart A., Harry H. Panjer, and Gordon E. Willmot. 2012. *Loss
Models: From Data to Decisions*. 4th ed. Hoboken: Wiley. (The collective
risk model ``S = X₁ + … + X_N``; ``E[S] = E[N]·E[X]``.)
Acerbi, Carlo, and Dirk Tasche. 2002. "On the Coherence of Expected
Shortfall." *Journal of Banking & Finance* 26 (7): 1487–503.
https://doi.org/10.1016/S0378-4266(02)00283-2.
Hyndman, Rob J., and Yanan Fan. 1996. "Sample Quantiles in Statistical
Packages." *The American Statistician* 50 (4): 361–65. (Definition 7 for
`LossDistribution.percentile`.)
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Callable
from typing import Any, TypeAlias

import attrs
import numpy as np
import numpy.typing as npt

from crisisops._random import resolve_rng
from crisisops._validation import (
    check_finite,
    check_progress,
    check_str,
    field_name,
)
from crisisops.errors import InvalidTypeError, ValidationError
from crisisops.risk.distributions import (
    PERT,
    Bernoulli,
    Constant,
    CountDistribution,
    Distribution,
    Empirical,
    LogNormal,
    NegativeBinomial,
    Poisson,
    Triangular,
    TruncatedNormal,
    Uniform,
    _check_multipliers,
    _check_rng,
)

__all__ = [
    "MAX_CURVE_POINTS",
    "MAX_TRIALS",
    "CompoundLossModel",
    "CompoundSample",
    "FAIRModel",
    "LossDistribution",
    "LossModel",
    "risk_generator",
    "simulate",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Most trials one simulation may run (800 MB of float64 losses).
MAX_TRIALS = 100_000_000
#: Most grid points `LossDistribution.exceedance_curve` computes from a count.
MAX_CURVE_POINTS = 100_000

_VALUE_TYPES = (
    PERT,
    Triangular,
    Uniform,
    LogNormal,
    TruncatedNormal,
    Constant,
    Empirical,
)
_COUNT_TYPES = (Bernoulli, Poisson, NegativeBinomial)
_VALUE_NAMES = (
    "a value distribution (PERT, Triangular, Uniform, LogNormal, "
    "TruncatedNormal, Constant or Empirical)"
)
_COUNT_NAMES = "a count distribution (Bernoulli, Poisson or NegativeBinomial)"
_EPS = np.finfo(np.float64).eps


# --- checks and array helpers -------------------------------------------------


def _check_trials(trials: object) -> int:
    """Return ``trials`` as an int in [1, `MAX_TRIALS`] (``bool`` is refused)."""
    if isinstance(trials, (bool, np.bool_)) or not isinstance(
        trials, (int, np.integer)
    ):
        raise InvalidTypeError("trials", trials, "an int")
    number = int(trials)
    if not 1 <= number <= MAX_TRIALS:
        raise ValidationError(
            "trials", trials, f"a whole number from 1 to {MAX_TRIALS:,}"
        )
    return number


def _check_unit(value: object, field: str) -> float:
    number = value
    if isinstance(value, (int, np.integer, np.floating)) and not isinstance(
        value, bool
    ):
        number = float(value)
    return check_finite(number, field, low=0.0, high=1.0)


def _optional_multipliers(value: object, trials: int, field: str) -> FloatArray | None:
    return None if value is None else _check_multipliers(value, trials, field)


def _read_only(array: npt.NDArray[Any]) -> npt.NDArray[Any]:
    array.setflags(write=False)
    return array


def _segment_reduce(
    ufunc: np.ufunc, events: FloatArray, counts: IntArray, trials: int
) -> FloatArray:
    """Reduce ``events`` over consecutive segments of ``counts[t]`` events per trial.

    Trials without events get 0. One ``reduceat`` over the non-empty
    segments: no loop over trials, no ``(events,)``-sized index array.
    """
    out = np.zeros(trials)
    if events.size:
        nonzero = np.flatnonzero(counts)
        sizes = counts[nonzero]
        starts = np.cumsum(sizes)
        starts -= sizes
        out[nonzero] = ufunc.reduceat(events, starts)
    return out


def _check_support(
    distribution: Distribution, field: str, low: float, high: float = math.inf
) -> None:
    lowest, highest = distribution.support
    if lowest < low or highest > high:
        where = f"[{low:g}, {high:g}]" if math.isfinite(high) else f">= {low:g}"
        raise ValidationError(
            field,
            distribution,
            f"a distribution of values {where} (its support is "
            f"[{lowest:g}, {highest:g}]; use TruncatedNormal or PERT to bound it)",
        )


def _is_value_distribution(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    if not isinstance(value, _VALUE_TYPES):
        raise InvalidTypeError(field_name(attribute), value, _VALUE_NAMES)


def _is_optional_value_distribution(
    instance: object,
    attribute: Any,  # noqa: ANN401
    value: Any,  # noqa: ANN401
) -> None:
    if value is not None:
        _is_value_distribution(instance, attribute, value)


def _is_count_distribution(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    if not isinstance(value, _COUNT_TYPES):
        raise InvalidTypeError(field_name(attribute), value, _COUNT_NAMES)


# --- results ------------------------------------------------------------------


def _to_losses(value: npt.ArrayLike) -> FloatArray:
    """Keep a read-only float64 vector that owns its data; copy anything else.

    Simulations hand over their fresh, locked result without a copy (a
    million trials are 8 MB); a caller's writable array is copied, so
    changing it later cannot change the distribution.
    """
    if (
        isinstance(value, np.ndarray)
        and value.dtype == np.float64
        and value.ndim == 1
        and not value.flags.writeable
        and value.flags.c_contiguous
        and (
            value.flags.owndata
            or (isinstance(value.base, np.ndarray) and not value.base.flags.writeable)
        )
    ):
        return value
    if isinstance(value, (str, bytes)) or value is None:
        return value  # type: ignore[return-value]  # the validator reports it
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError):
        return value  # type: ignore[return-value]  # the validator reports it
    if raw.dtype.kind not in "iuf":
        return value  # type: ignore[return-value]  # the validator reports it
    array = np.array(raw, dtype=np.float64, order="C", copy=True)
    array.setflags(write=False)
    return array


def _check_losses(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, np.ndarray) or value.dtype != np.float64:
        raise InvalidTypeError(name, value, "a 1-D array of annual losses")
    if value.ndim != 1 or value.size == 0:
        raise ValidationError(name, value, "a non-empty 1-D array of losses")
    low, high = float(value.min()), float(value.max())
    if not (low >= 0.0 and math.isfinite(high)):
        raise ValidationError(name, value, "finite losses >= 0")


def _same_array(a: npt.NDArray[Any], b: npt.NDArray[Any]) -> bool:
    return bool(np.array_equal(a, b))


def _check_probability_level(alpha: object, field: str = "alpha") -> float:
    number = _check_unit(alpha, field)
    if not 0.0 < number < 1.0:
        raise ValidationError(
            field, alpha, "a level strictly between 0 and 1, e.g. 0.95"
        )
    return number


def _tail_rank(trials: int, alpha: float) -> float:
    """``n·α``, snapped to a whole number when it is one up to rounding.

    The result stays strictly below ``n``, so the tail ``n − n·α`` of
    `LossDistribution.expected_shortfall` is never empty, even for an ``α``
    within rounding of 1 (its ES is then the largest loss).
    """
    product = trials * alpha
    nearest = round(product)
    if nearest < trials and abs(product - nearest) <= 4.0 * _EPS * max(1.0, product):
        return float(nearest)
    return min(product, math.nextafter(float(trials), 0.0))


@attrs.frozen(kw_only=True)
class LossDistribution:
    r"""Simulated annual losses of a risk or portfolio, and what they imply.

    The quantified assessment (量化評估) of book §3 構建風險評估體系 as data:
    not one number but the whole spread of possible years, from which the
    expected loss, a bad year's loss and the chance of any loss follow.

    Definitions (``n`` trials, ``x₍₁₎ ≤ … ≤ x₍ₙ₎`` the sorted losses):

    * `mean` – the expected annual loss (EAL / ALE), with its Monte Carlo
      `standard_error` ``sd/√n``; `sd` uses ``n − 1``.
    * `percentile` – numpy's default linear interpolation (Hyndman & Fan
      definition 7), e.g. the 50th percentile of ``[1, 2, 3, 4]`` is 2.5.
    * `value_at_risk` – ``VaR_α = inf{x : F(x) ≥ α}``, the textbook lower
      α-quantile of the empirical distribution: ``x₍⌈nα⌉₎``.
    * `expected_shortfall` (TVaR) – the mean of the worst ``1 − α`` of the
      years, ``ES_α = (1/(1 − α))·∫_α^1 VaR_u du`` on the empirical
      distribution (Acerbi & Tasche 2002): with ``k = ⌊nα⌋``,
      ``ES_α = [(k + 1 − nα)·x₍ₖ₊₁₎ + Σ_{i>k+1} x₍ᵢ₎] / (n(1 − α))``. It is
      coherent, never below `value_at_risk`, and treats ties (many loss-free
      years) correctly, unlike "the mean of losses ≥ VaR".
    * `exceedance_probability` – ``P(L > x)``, the share of years losing
      strictly more than ``x``; `exceedance_curve` tabulates it.

    Attributes
    ----------
    losses
        One annual loss per trial, ``>= 0``, as a read-only float64 array. A
        read-only array that owns its data is kept as is; anything else is
        copied.

    Examples
    --------
    Ten years, losses 1 to 10 (hand-computed: k = ⌊10·0.8⌋ = 8, so ES is the
    mean of the two worst years):

    >>> years = LossDistribution(
    ...     losses=[3.0, 1.0, 4.0, 10.0, 5.0, 9.0, 2.0, 6.0, 8.0, 7.0]
    ... )
    >>> years.mean, years.value_at_risk(0.8), years.expected_shortfall(0.8)
    (5.5, 8.0, 9.5)
    >>> years.percentile(50.0), years.exceedance_probability(7.0)
    (5.5, 0.3)
    """

    losses: FloatArray = attrs.field(
        converter=_to_losses,
        validator=_check_losses,
        eq=attrs.cmp_using(eq=_same_array),
        hash=False,
    )

    @property
    def trials(self) -> int:
        """Number of simulated years."""
        return int(self.losses.size)

    @property
    def mean(self) -> float:
        """Expected annual loss: the average over trials."""
        return float(self.losses.mean())

    @property
    def sd(self) -> float:
        """Sample standard deviation of the annual loss (``ddof = 1``; 0 if n = 1)."""
        if self.losses.size < 2:
            return 0.0
        return float(self.losses.std(ddof=1))

    @property
    def standard_error(self) -> float:
        """Monte Carlo standard error of `mean`: ``sd / √trials``."""
        return self.sd / math.sqrt(self.losses.size)

    def percentile(self, q: npt.ArrayLike) -> Any:  # noqa: ANN401  float or array
        """Return the ``q``-th percentile(s), ``q`` in [0, 100].

        Linear interpolation between order statistics (numpy's default,
        Hyndman & Fan definition 7).

        Parameters
        ----------
        q
            A percentile or an array of them, each in [0, 100].

        Returns
        -------
        float or numpy.ndarray
            A float for a scalar ``q``, otherwise an array of ``q``'s shape.

        Raises
        ------
        InvalidTypeError, ValidationError
            If ``q`` is not numeric, is NaN or lies outside [0, 100].
        """
        levels = _check_levels(q, "q", 100.0)
        result = np.percentile(self.losses, levels)
        if np.ndim(result) == 0:
            return float(result)
        return result

    def value_at_risk(self, alpha: float) -> float:
        """Return ``VaR_α``: the smallest loss ``x`` with ``P(L ≤ x) ≥ α``.

        Parameters
        ----------
        alpha
            The confidence level, strictly between 0 and 1 (e.g. 0.95: a
            loss exceeded in at most one year in twenty).
        """
        level = _check_probability_level(alpha)
        n = self.losses.size
        rank = min(n, max(1, math.ceil(_tail_rank(n, level))))
        return float(np.partition(self.losses, rank - 1)[rank - 1])

    def expected_shortfall(self, alpha: float) -> float:
        """Return ``ES_α`` (TVaR): the mean loss of the worst ``1 − α`` of years.

        Parameters
        ----------
        alpha
            The confidence level, strictly between 0 and 1.
        """
        level = _check_probability_level(alpha)
        n = self.losses.size
        product = _tail_rank(n, level)
        k = min(n - 1, math.floor(product))
        ordered = np.partition(self.losses, k)
        tail = ordered[k + 1 :]
        total = (k + 1 - product) * float(ordered[k]) + float(tail.sum())
        # A weighted mean of the tail: it lies between its smallest and largest
        # loss. Rounding (e.g. of subnormal losses) must not push it outside.
        lowest = float(ordered[k])
        highest = float(tail.max()) if tail.size else lowest
        return min(max(total / (n - product), lowest), highest)

    def exceedance_probability(self, x: npt.ArrayLike) -> Any:  # noqa: ANN401  float or array
        """Return ``P(L > x)``: the share of years losing strictly more than ``x``.

        Parameters
        ----------
        x
            A loss or an array of losses (real numbers, not NaN).

        Returns
        -------
        float or numpy.ndarray
            A float for a scalar ``x``, otherwise an array of ``x``'s shape.
        """
        points = _check_points(x, "x")
        n = self.losses.size
        if points.ndim == 0:
            return float(np.count_nonzero(self.losses > points)) / n
        ordered = np.sort(self.losses)
        above = n - np.searchsorted(ordered, points, side="right")
        result: FloatArray = above / n
        return result

    def exceedance_curve(
        self, points: int | npt.ArrayLike = 101
    ) -> tuple[FloatArray, FloatArray]:
        """Return the loss-exceedance curve as arrays ``(losses, probabilities)``.

        Parameters
        ----------
        points
            Either the number of grid points (an int from 2 to
            `MAX_CURVE_POINTS`), placed at the percentiles
            ``0, 100/(points − 1), …, 100`` of the losses so the grid follows
            the mass of the distribution; or a non-empty 1-D array of losses
            to evaluate. A single float is refused (it is neither a count
            nor a grid).

        Returns
        -------
        tuple of numpy.ndarray
            The loss grid and ``P(L > x)`` at each grid point. For an
            increasing grid the probabilities never increase.

        Raises
        ------
        InvalidTypeError, ValidationError
            For a count outside [2, `MAX_CURVE_POINTS`], a float, bools,
            NaN, or an array that is not 1-D and non-empty.

        Examples
        --------
        >>> years = LossDistribution(losses=[0.0, 0.0, 10.0, 20.0])
        >>> grid, probability = years.exceedance_curve([0.0, 10.0, 20.0])
        >>> probability.tolist()  # P(L > 0) = 2/4, P(L > 10) = 1/4, P(L > 20) = 0
        [0.5, 0.25, 0.0]
        """
        if isinstance(points, (int, np.integer)) and not isinstance(points, bool):
            count = int(points)
            if not 2 <= count <= MAX_CURVE_POINTS:
                raise ValidationError(
                    "points", points, f"a whole number from 2 to {MAX_CURVE_POINTS:,}"
                )
            ordered = np.sort(self.losses)
            grid: FloatArray = np.percentile(ordered, np.linspace(0.0, 100.0, count))
        else:
            grid = _check_points(points, "points")
            if grid.ndim != 1 or grid.size == 0:
                raise ValidationError(
                    "points",
                    points,
                    "a whole number of grid points (an int) or a non-empty 1-D "
                    "array of losses",
                )
            ordered = np.sort(self.losses)
        n = ordered.size
        probabilities: FloatArray = (
            n - np.searchsorted(ordered, grid, side="right")
        ) / n
        return grid, probabilities


def _numeric_array(value: object, field: str, expected: str) -> FloatArray:
    """Return ``value`` as a float64 array; refuse bools, text and objects."""
    if isinstance(value, (bool, np.bool_, str, bytes)):
        raise InvalidTypeError(field, value, expected)
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError):
        raise InvalidTypeError(field, value, expected) from None
    if raw.dtype.kind not in "iuf":
        raise InvalidTypeError(field, value, expected)
    return raw.astype(np.float64, copy=False)


def _check_levels(value: object, field: str, top: float) -> FloatArray:
    array = _numeric_array(
        value, field, f"a number in [0, {top:g}] or an array of them"
    )
    if not ((array >= 0.0) & (array <= top)).all():
        raise ValidationError(field, value, f"numbers in [0, {top:g}] (not NaN)")
    return array


def _check_points(value: object, field: str) -> FloatArray:
    array = _numeric_array(value, field, "a number or an array of numbers")
    if np.isnan(array).any():
        raise ValidationError(field, value, "numbers (not NaN)")
    return array


def _to_counts(value: npt.ArrayLike) -> IntArray:
    if (
        isinstance(value, np.ndarray)
        and value.dtype == np.int64
        and not value.flags.writeable
    ):
        return value
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError):
        return value  # type: ignore[return-value]  # the validator reports it
    if raw.dtype.kind not in "iu":
        return value  # type: ignore[return-value]  # the validator reports it
    array = np.array(raw, dtype=np.int64, copy=True)
    array.setflags(write=False)
    return array


def _check_counts(instance: CompoundSample, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, np.ndarray) or value.dtype != np.int64:
        raise InvalidTypeError(name, value, "a 1-D array of whole event counts")
    if value.shape != instance.annual.shape:
        raise ValidationError(
            name, value, f"one count per trial ({instance.annual.size})"
        )
    if value.size and int(value.min()) < 0:
        raise ValidationError(name, value, "counts >= 0")


def _check_largest(instance: CompoundSample, attribute: Any, value: Any) -> None:  # noqa: ANN401
    _check_losses(instance, attribute, value)
    if value.shape != instance.annual.shape:
        raise ValidationError(
            field_name(attribute),
            value,
            f"one value per trial ({instance.annual.size})",
        )


@attrs.frozen(kw_only=True)
class CompoundSample:
    """Per-trial detail of a compound simulation: total, largest event, count.

    Attributes
    ----------
    annual
        The aggregate loss of each simulated year (the sum of its events).
    largest
        The largest single event loss of each year (0 in a year without
        events).
    counts
        The number of events of each year (int64).

    Examples
    --------
    >>> import numpy as np
    >>> from crisisops.risk.distributions import Constant, Poisson
    >>> model = CompoundLossModel(
    ...     frequency=Poisson(rate=3.0), severity=Constant(value=2.0)
    ... )
    >>> detail = model.sample_detail(np.random.default_rng(1), 5)
    >>> bool((detail.annual == 2.0 * detail.counts).all())
    True
    """

    annual: FloatArray = attrs.field(
        converter=_to_losses,
        validator=_check_losses,
        eq=attrs.cmp_using(eq=_same_array),
        hash=False,
    )
    largest: FloatArray = attrs.field(
        converter=_to_losses,
        validator=_check_largest,
        eq=attrs.cmp_using(eq=_same_array),
        hash=False,
    )
    counts: IntArray = attrs.field(
        converter=_to_counts,
        validator=_check_counts,
        eq=attrs.cmp_using(eq=_same_array),
        hash=False,
    )

    @property
    def aggregate(self) -> LossDistribution:
        """Distribution of the annual total (its exceedance curve is the AEP)."""
        return LossDistribution(losses=self.annual)

    @property
    def occurrence(self) -> LossDistribution:
        """Distribution of each year's largest event (its exceedance: the OEP)."""
        return LossDistribution(losses=self.largest)


# --- loss models --------------------------------------------------------------


def _to_vulnerability(value: float | Distribution | None) -> Distribution | None:
    """Turn a plain probability into a `Constant`; pass anything else on."""
    if isinstance(value, (int, float, np.integer, np.floating)) and not isinstance(
        value, (bool, np.bool_)
    ):
        number = float(value)
        if math.isfinite(number) and 0.0 <= number <= 1.0:
            return Constant(value=number)
        raise ValidationError("vulnerability", value, "a probability in [0, 1]")
    return value  # type: ignore[return-value]  # a bool is reported by the validator


@attrs.frozen(kw_only=True)
class FAIRModel:
    r"""FAIR-style annual loss: loss-event frequency × loss magnitude.

    Open FAIR (O-RT) defines risk as the probable frequency and probable
    magnitude of future loss, with loss-event frequency
    ``LEF = TEF × Vulnerability``: the threat-event frequency times the
    probability that a threat event becomes a loss event. Exactly how each
    trial ``t`` (one simulated year) is computed here:

    1. the frequency ``F_t``: a draw from `loss_event_frequency`; or, with
       `threat_event_frequency` and `vulnerability` instead,
       ``F_t = TEF_t × V_t`` with ``TEF_t`` and ``V_t`` drawn independently
       **per trial** (so a year with a weak control and a year with a strong
       one differ);
    2. the magnitude ``M_t``: one draw from `loss_magnitude`, the loss of a
       typical event that year (primary and secondary loss folded into one
       distribution);
    3. annual loss ``F_t × M_t`` (continuous: 2.5 loss events a year is a
       rate, not a count). Hence ``E[loss] = E[F]·E[M]``.

    This is what pyfair computes (its ``FairCalculations`` multiplies the
    LEF and LM columns trial by trial), with these differences:

    * **vulnerability** – pyfair derives it from threat capability and
      control strength as the share of *all* trials with ``TCap > CS``: one
      scalar broadcast to every trial (``_calculate_step_average``; pyfair
      issue #17). Here ``V`` is always a per-trial draw from a distribution
      on [0, 1]; a plain number is taken as `Constant`.
    * **no clipping** – pyfair clips draws to [0, 1] or [0, ∞), piling mass
      on the bound; here a distribution whose support leaves the allowed
      range is refused (use `TruncatedNormal` or `PERT`).
    * **PERT keeps its mode** – the PyPI pyfair 0.1a13 "BetaPERT" is moment
      matched and moves the mode; `PERT` here is the classic one.
    * **explicit randomness** – pyfair seeds numpy's global generator; here
      every draw comes from the Generator passed in.

    The product uses one magnitude for all events of a year. It gets the mean
    right, but a year with many events is less spread than when each event
    has its own loss: use `CompoundLossModel` when the tail of the annual
    total matters.

    Attributes
    ----------
    loss_magnitude
        Loss per loss event (a value distribution, support ``>= 0``).
    loss_event_frequency
        Loss events per year (support ``>= 0``); or ``None`` when
        `threat_event_frequency` and `vulnerability` are given.
    threat_event_frequency
        Threat events per year (support ``>= 0``), with `vulnerability`.
    vulnerability
        Probability that a threat event becomes a loss event: a distribution
        with support in [0, 1], or a plain probability (stored as
        `Constant`). Only with `threat_event_frequency`.

    Examples
    --------
    >>> from crisisops.risk.distributions import PERT
    >>> phishing = FAIRModel(
    ...     threat_event_frequency=PERT(low=10.0, mode=24.0, high=60.0),
    ...     vulnerability=PERT(low=0.05, mode=0.1, high=0.3),
    ...     loss_magnitude=PERT(low=2_000.0, mode=8_000.0, high=40_000.0),
    ... )
    >>> round(phishing.frequency_mean, 3)  # E[TEF]·E[V] = 27.667 · 0.125
    3.458
    """

    loss_magnitude: Distribution = attrs.field(validator=_is_value_distribution)
    loss_event_frequency: Distribution | None = attrs.field(
        default=None, validator=_is_optional_value_distribution
    )
    threat_event_frequency: Distribution | None = attrs.field(
        default=None, validator=_is_optional_value_distribution
    )
    vulnerability: Distribution | None = attrs.field(
        default=None,
        converter=_to_vulnerability,
        validator=_is_optional_value_distribution,
    )

    def __attrs_post_init__(self) -> None:
        """Check that the frequency is given one way, and every support."""
        lef, tef, vuln = (
            self.loss_event_frequency,
            self.threat_event_frequency,
            self.vulnerability,
        )
        if lef is None and tef is None:
            raise ValidationError(
                "loss_event_frequency",
                None,
                "a distribution, or threat_event_frequency and vulnerability instead",
            )
        if lef is not None and tef is not None:
            raise ValidationError(
                "threat_event_frequency",
                tef,
                "None when loss_event_frequency is given (give one or the other)",
            )
        if lef is not None and vuln is not None:
            raise ValidationError(
                "vulnerability",
                vuln,
                "None when loss_event_frequency is given (it already counts loss "
                "events; give threat_event_frequency to use a vulnerability)",
            )
        if tef is not None and vuln is None:
            raise ValidationError(
                "vulnerability",
                None,
                "a probability or distribution in [0, 1] when "
                "threat_event_frequency is given",
            )
        if lef is not None:
            _check_support(lef, "loss_event_frequency", 0.0)
        if tef is not None:
            _check_support(tef, "threat_event_frequency", 0.0)
        if vuln is not None:
            _check_support(vuln, "vulnerability", 0.0, 1.0)
        _check_support(self.loss_magnitude, "loss_magnitude", 0.0)

    @property
    def frequency_mean(self) -> float:
        """Expected loss events per year: ``E[LEF]`` or ``E[TEF]·E[V]``."""
        if self.loss_event_frequency is not None:
            return self.loss_event_frequency.mean
        assert self.threat_event_frequency is not None  # noqa: S101  checked on init
        assert self.vulnerability is not None  # noqa: S101  checked on init
        return self.threat_event_frequency.mean * self.vulnerability.mean

    @property
    def expected_loss(self) -> float:
        """Expected annual loss ``E[F]·E[M]`` (independent draws)."""
        return self.frequency_mean * self.loss_magnitude.mean

    def _frequency(self, rng: np.random.Generator, trials: int) -> FloatArray:
        if self.loss_event_frequency is not None:
            return self.loss_event_frequency.sample(rng, trials)
        assert self.threat_event_frequency is not None  # noqa: S101  checked on init
        assert self.vulnerability is not None  # noqa: S101  checked on init
        frequency = self.threat_event_frequency.sample(rng, trials)
        if isinstance(self.vulnerability, Constant):
            frequency *= self.vulnerability.value
        else:
            frequency *= self.vulnerability.sample(rng, trials)
        return frequency

    def sample(
        self,
        rng: np.random.Generator,
        trials: int,
        *,
        frequency_scale: npt.ArrayLike | None = None,
        magnitude_scale: npt.ArrayLike | None = None,
    ) -> FloatArray:
        """Return ``trials`` simulated annual losses.

        Parameters
        ----------
        rng
            The Generator to draw from: frequency first, then magnitude.
        trials
            Number of simulated years, 1 to `MAX_TRIALS`.
        frequency_scale
            Optional per-trial multiplier of the loss-event frequency
            (shape ``(trials,)``, finite, ``>= 0``).
        magnitude_scale
            Optional per-trial multiplier of the loss magnitude.

        Returns
        -------
        numpy.ndarray
            A new float64 array of shape ``(trials,)``.
        """
        generator = _check_rng(rng)
        n = _check_trials(trials)
        f_scale = _optional_multipliers(frequency_scale, n, "frequency_scale")
        m_scale = _optional_multipliers(magnitude_scale, n, "magnitude_scale")
        losses = self._frequency(generator, n)
        if f_scale is not None:
            losses *= f_scale
        losses *= self.loss_magnitude.sample(generator, n)
        if m_scale is not None:
            losses *= m_scale
        return losses

    def sample_paired(
        self,
        rng: np.random.Generator,
        trials: int,
        *,
        frequency_factor: float,
        magnitude_factor: float,
    ) -> tuple[FloatArray, FloatArray]:
        """Return losses before and after a reduction, on common random numbers.

        The "before" losses are exactly ``sample(rng, trials)``; the "after"
        losses reuse the same draws with the frequency times
        ``frequency_factor`` and the magnitude times ``magnitude_factor``
        (how `crisisops.risk.controls` applies controls), so every trial's
        "after" is at most its "before".

        Parameters
        ----------
        rng
            The Generator to draw from.
        trials
            Number of simulated years.
        frequency_factor, magnitude_factor
            Multipliers in [0, 1].

        Returns
        -------
        tuple of numpy.ndarray
            ``(before, after)``, each of shape ``(trials,)``.
        """
        generator = _check_rng(rng)
        n = _check_trials(trials)
        keep = _check_unit(frequency_factor, "frequency_factor")
        shrink = _check_unit(magnitude_factor, "magnitude_factor")
        frequency = self._frequency(generator, n)
        magnitude = self.loss_magnitude.sample(generator, n)
        before = frequency * magnitude
        frequency *= keep
        magnitude *= shrink
        frequency *= magnitude
        return before, frequency


@attrs.frozen(kw_only=True)
class CompoundLossModel:
    r"""Compound frequency–severity loss: the sum of each year's event losses.

    The collective risk model of insurance (Klugman, Panjer & Willmot 2012):
    a year has ``N`` events, ``N`` drawn from `frequency`, and each event
    its own loss ``Xᵢ`` drawn independently from `severity`; the annual loss
    is ``S = X₁ + … + X_N`` (0 when ``N = 0``). So ``E[S] = E[N]·E[X]`` and
    ``Var[S] = E[N]·Var[X] + Var[N]·E[X]²``.

    Unlike the `FAIRModel` product, a year with three events draws three
    losses, so the spread of bad years is right; and the largest single event
    of each year is known too (`sample_detail`), which gives the occurrence
    exceedance curve (OEP) beside the aggregate one (AEP).

    Vectorised: all counts in one draw, all ``ΣN`` event losses in one draw,
    then the per-year sums (and maxima) by one ``numpy.add.reduceat`` over
    the years that had events. No loop over trials.

    Attributes
    ----------
    frequency
        Events per year: `Bernoulli`, `Poisson` or `NegativeBinomial`.
    severity
        Loss per event (a value distribution, support ``>= 0``).

    Examples
    --------
    >>> from crisisops.risk.distributions import Bernoulli, LogNormal
    >>> recall = CompoundLossModel(
    ...     frequency=Bernoulli(probability=0.1),
    ...     severity=LogNormal.from_interval(low=50_000.0, high=500_000.0),
    ... )
    >>> round(recall.expected_loss, -2)  # 0.1 · E[X]
    20200.0
    """

    frequency: CountDistribution = attrs.field(validator=_is_count_distribution)
    severity: Distribution = attrs.field(validator=_is_value_distribution)

    def __attrs_post_init__(self) -> None:
        """Check that event losses cannot be negative."""
        _check_support(self.severity, "severity", 0.0)

    @property
    def frequency_mean(self) -> float:
        """Expected events per year ``E[N]``."""
        return self.frequency.mean

    @property
    def expected_loss(self) -> float:
        """Expected annual loss ``E[N]·E[X]``."""
        return self.frequency.mean * self.severity.mean

    def _events(
        self, rng: np.random.Generator, trials: int, scale: FloatArray | None
    ) -> tuple[IntArray, FloatArray]:
        counts = self.frequency.sample_counts(rng, trials, scale)
        total = int(counts.sum())
        if total > MAX_TRIALS * 10:
            raise ValidationError(
                "trials",
                trials,
                f"a number of trials whose events fit in memory ({total:,} events "
                f"drawn; at most {MAX_TRIALS * 10:,})",
            )
        return counts, self.severity.sample(rng, total)

    def _prepare(
        self,
        rng: object,
        trials: object,
        frequency_scale: object,
        magnitude_scale: object,
    ) -> tuple[np.random.Generator, int, FloatArray | None, FloatArray | None]:
        generator = _check_rng(rng)
        n = _check_trials(trials)
        f_scale = _optional_multipliers(frequency_scale, n, "frequency_scale")
        m_scale = _optional_multipliers(magnitude_scale, n, "magnitude_scale")
        return generator, n, f_scale, m_scale

    def sample(
        self,
        rng: np.random.Generator,
        trials: int,
        *,
        frequency_scale: npt.ArrayLike | None = None,
        magnitude_scale: npt.ArrayLike | None = None,
    ) -> FloatArray:
        """Return ``trials`` simulated annual (aggregate) losses.

        Parameters
        ----------
        rng
            The Generator to draw from: the counts first, then the event
            losses in trial order.
        trials
            Number of simulated years, 1 to `MAX_TRIALS`.
        frequency_scale
            Optional per-trial multiplier of the expected event count (shape
            ``(trials,)``, finite, ``>= 0``; a `Bernoulli` probability is
            capped at 1).
        magnitude_scale
            Optional per-trial multiplier of every event loss of that year.

        Returns
        -------
        numpy.ndarray
            A new float64 array of shape ``(trials,)``.
        """
        generator, n, f_scale, m_scale = self._prepare(
            rng, trials, frequency_scale, magnitude_scale
        )
        counts, events = self._events(generator, n, f_scale)
        annual = _segment_reduce(np.add, events, counts, n)
        if m_scale is not None:
            annual *= m_scale
        return annual

    def sample_detail(
        self,
        rng: np.random.Generator,
        trials: int,
        *,
        frequency_scale: npt.ArrayLike | None = None,
        magnitude_scale: npt.ArrayLike | None = None,
    ) -> CompoundSample:
        """Return each year's total, largest event and event count.

        Same draws as `sample` for the same generator state, so
        ``sample_detail(...).annual`` equals ``sample(...)``.

        Returns
        -------
        CompoundSample
            ``annual``, ``largest`` and ``counts``, each of shape ``(trials,)``.
        """
        generator, n, f_scale, m_scale = self._prepare(
            rng, trials, frequency_scale, magnitude_scale
        )
        counts, events = self._events(generator, n, f_scale)
        annual = _segment_reduce(np.add, events, counts, n)
        largest = _segment_reduce(np.maximum, events, counts, n)
        if m_scale is not None:
            annual *= m_scale
            largest *= m_scale
        return CompoundSample(
            annual=_read_only(annual),
            largest=_read_only(largest),
            counts=_read_only(counts),
        )

    def sample_paired(
        self,
        rng: np.random.Generator,
        trials: int,
        *,
        frequency_factor: float,
        magnitude_factor: float,
    ) -> tuple[FloatArray, FloatArray]:
        """Return losses before and after a reduction, on common random numbers.

        The "before" losses are exactly ``sample(rng, trials)``. For "after",
        each of those same events is kept with probability
        ``frequency_factor`` (independent thinning, one extra uniform per
        event drawn after everything else) and its loss multiplied by
        ``magnitude_factor``. The kept count per year is then distributed as
        ``frequency.thinned(frequency_factor)``, so "after" has the
        distribution of the controlled model, and every trial's "after" is at
        most its "before".

        Returns
        -------
        tuple of numpy.ndarray
            ``(before, after)``, each of shape ``(trials,)``.
        """
        generator = _check_rng(rng)
        n = _check_trials(trials)
        keep = _check_unit(frequency_factor, "frequency_factor")
        shrink = _check_unit(magnitude_factor, "magnitude_factor")
        counts, events = self._events(generator, n, None)
        before = _segment_reduce(np.add, events, counts, n)
        reduced = events * shrink
        if keep < 1.0:
            reduced *= generator.random(events.size) < keep
        after = _segment_reduce(np.add, reduced, counts, n)
        return before, after


#: Either loss model.
LossModel: TypeAlias = FAIRModel | CompoundLossModel


# --- seeds and the top-level entry point --------------------------------------


_SEED_EXPECTED = "an int seed >= 0 or a numpy.random.SeedSequence"


def _seed_sequence(
    seed: object, field: str = "seed", expected: str = _SEED_EXPECTED
) -> np.random.SeedSequence:
    """Return ``seed`` as a `numpy.random.SeedSequence` (an int or one already).

    The one check behind every entry point that derives streams by name
    (`risk_generator`, `crisisops.risk.portfolio.simulate_portfolio`):
    ``None`` is a `ValidationError` (randomness must be explicit, DESIGN
    principle 1), any other type an `InvalidTypeError`, ``bool`` included.
    """
    if isinstance(seed, np.random.SeedSequence):
        return seed
    if seed is None:
        raise ValidationError(field, seed, expected)
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise InvalidTypeError(field, seed, expected)
    if int(seed) < 0:
        raise ValidationError(field, seed, expected)
    return np.random.SeedSequence(int(seed))


def _generator(seed: object, field: str = "seed") -> np.random.Generator:
    """Return a Generator for an int seed, a SeedSequence or a Generator.

    The one check behind every entry point that takes one stream (`simulate`,
    `crisisops.risk.controls.compare_controls`,
    `crisisops.risk.correlation.iman_conover`): an int or a SeedSequence
    gives ``numpy.random.default_rng(seed)`` (the two agree:
    ``default_rng(7)`` is ``default_rng(SeedSequence(7))``); a Generator is
    used as is, its state advancing.
    """
    if isinstance(seed, np.random.Generator):
        return seed
    if isinstance(seed, np.random.SeedSequence):
        return np.random.default_rng(seed)
    expected = f"{_SEED_EXPECTED} or a numpy.random.Generator"
    if seed is None:
        raise ValidationError(field, seed, expected)
    if isinstance(seed, (bool, np.bool_)) or not isinstance(seed, (int, np.integer)):
        raise InvalidTypeError(field, seed, expected)
    number = int(seed)
    if number < 0:
        raise ValidationError(field, seed, expected)
    return resolve_rng(number, field)


def risk_generator(seed: int | np.random.SeedSequence, key: str) -> np.random.Generator:
    """Return the random stream of one risk, derived from a seed and its key.

    The key's SHA-256 digest (``hashlib``, stable across runs and machines,
    unlike ``hash()``) is appended to the seed's ``spawn_key``, so each key
    gets an independent PCG64 stream, as ``SeedSequence.spawn`` would give,
    but addressed by name rather than by position: a risk draws the same
    numbers whether it is first or fiftieth in a portfolio, and adding or
    removing another risk changes nothing for it.

    Parameters
    ----------
    seed
        An int ``>= 0`` or a `numpy.random.SeedSequence` (its entropy and
        spawn key are both used).
    key
        The risk's key, e.g. ``"supply_chain.breakage"`` (non-empty text).

    Examples
    --------
    >>> a = risk_generator(2026, "technical.outage").random()
    >>> b = risk_generator(2026, "technical.outage").random()
    >>> c = risk_generator(2026, "supply_chain.breakage").random()
    >>> a == b, a == c
    (True, False)
    """
    base = _seed_sequence(seed)
    name = check_str(key, "key")
    digest = hashlib.sha256(name.encode("utf-8")).digest()
    words = tuple(int.from_bytes(digest[i : i + 4], "little") for i in range(0, 16, 4))
    child = np.random.SeedSequence(
        entropy=base.entropy,
        spawn_key=(*base.spawn_key, *words),
        pool_size=base.pool_size,
    )
    return np.random.Generator(np.random.PCG64(child))


def _check_chunk(chunk_trials: object) -> int | None:
    """Return ``chunk_trials`` as an int >= 1, or ``None`` (one chunk)."""
    if chunk_trials is None:
        return None
    if isinstance(chunk_trials, (bool, np.bool_)) or not isinstance(
        chunk_trials, (int, np.integer)
    ):
        raise InvalidTypeError("chunk_trials", chunk_trials, "an int >= 1, or None")
    if chunk_trials < 1:
        raise ValidationError("chunk_trials", chunk_trials, "an int >= 1, or None")
    return int(chunk_trials)


def simulate(
    model: LossModel,
    trials: int,
    seed: int | np.random.SeedSequence | np.random.Generator,
    *,
    chunk_trials: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> LossDistribution:
    """Simulate ``trials`` years of a loss model and return the losses.

    Parameters
    ----------
    model
        A `FAIRModel` or `CompoundLossModel`.
    trials
        Number of simulated years, 1 to `MAX_TRIALS`.
    seed
        An int seed ``>= 0``, a `numpy.random.SeedSequence`, or a Generator
        (whose state advances). The same seed always gives the same losses:
        ``model.sample(numpy.random.default_rng(seed), trials)``.
    chunk_trials
        Draw the trials in chunks of this many years (the last may be
        smaller), one vectorised ``model.sample`` per chunk, all from the
        one stream of ``seed``, chunk after chunk. ``None`` (the default)
        draws them all at once. A chunk's temporary arrays (a compound
        model's event losses) are a chunk's size, and ``progress`` is told
        after each chunk. The draws come in another order than in one
        chunk, so the losses depend on ``chunk_trials`` (reproducibly: the
        same seed and chunk size always give the same losses); they never
        depend on ``progress``.
    progress
        Optional ``progress(done, total)``, called after each chunk with the
        trials drawn so far and ``trials`` (once, ``(trials, trials)``,
        without chunks). The library never prints; a progress bar is the
        caller's (e.g. ``tqdm``'s ``update``).

    Returns
    -------
    LossDistribution

    Raises
    ------
    InvalidTypeError, ValidationError
        For a bad ``model``, ``trials``, ``seed`` or ``chunk_trials``, or a
        ``progress`` that is not callable; checked before anything is drawn.

    Examples
    --------
    >>> from crisisops.risk.distributions import Bernoulli, Constant
    >>> breach = CompoundLossModel(
    ...     frequency=Bernoulli(probability=0.25), severity=Constant(value=100.0)
    ... )
    >>> result = simulate(breach, trials=40_000, seed=7)
    >>> round(result.exceedance_probability(0.0), 2)  # P(a breach in a year)
    0.25

    In chunks of 10,000 years, telling a progress callback after each:

    >>> seen = []
    >>> chunked = simulate(
    ...     breach,
    ...     trials=40_000,
    ...     seed=7,
    ...     chunk_trials=10_000,
    ...     progress=lambda done, total: seen.append(f"{done}/{total}"),
    ... )
    >>> seen
    ['10000/40000', '20000/40000', '30000/40000', '40000/40000']
    >>> chunked == simulate(breach, trials=40_000, seed=7, chunk_trials=10_000)
    True
    """
    if not isinstance(model, (FAIRModel, CompoundLossModel)):
        raise InvalidTypeError("model", model, "a FAIRModel or CompoundLossModel")
    n = _check_trials(trials)
    chunk = _check_chunk(chunk_trials)
    report = check_progress(progress)
    rng = _generator(seed)
    if chunk is None or chunk >= n:
        losses = model.sample(rng, n)
        if report is not None:
            report(n, n)
        return LossDistribution(losses=_read_only(losses))
    losses = np.empty(n)
    # A loop over chunks (a handful), each drawn by vectorised numpy code.
    for start in range(0, n, chunk):
        stop = min(start + chunk, n)
        losses[start:stop] = model.sample(rng, stop - start)
        if report is not None:
            report(stop, n)
    return LossDistribution(losses=_read_only(losses))
