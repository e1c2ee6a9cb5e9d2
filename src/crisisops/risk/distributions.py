r"""Value and count distributions for Monte Carlo risk loss, in plain numpy.

The book asks for the probability and the impact of each risk to be
quantified (book §3 構建風險評估體系: 通過收集相關數據,對風險的概率、影響程度
進行量化評估). An expert rarely knows either number exactly; what they can
say is a range: "an outage costs us between 50k and 400k, most likely 120k".
A distribution turns such a range into something a simulation can draw from.

Value distributions (a loss, a rate of events per year, a probability):

* `PERT` – the classic beta-PERT of a three-point estimate ``low``, ``mode``,
  ``high`` (Malcolm et al. 1959), with Vose's optional shape ``gamma``
  (4 by default): mean ``(low + gamma·mode + high) / (gamma + 2)``, and the
  mode really is ``mode``.
* `Triangular`, `Uniform`, `Constant` – the simpler three-point, two-point and
  one-point estimates.
* `LogNormal` – a heavy right tail; `LogNormal.from_interval` fits it to a
  90% interval ``[low, high]`` (the 5th and 95th percentiles), the calibrated
  estimator's convention (Hubbard & Seiersen 2016; riskquant).
* `TruncatedNormal` – a normal cut (not clipped) to ``[low, high]``, sampled
  exactly by inversion.
* `Empirical` – past losses, optionally weighted, drawn with replacement.

Count distributions (how many events happen in a year):

* `Bernoulli` – at most one event, with an annual probability.
* `Poisson` – events at a constant rate.
* `NegativeBinomial` – events in clusters (over-dispersed): the mean and a
  dispersion ``k`` with variance ``mean + mean²/k``.

Every distribution is an immutable attrs value with ``sample(rng, size)``
(a float64 array), a closed-form ``mean`` and ``variance``, a ``support``
(the smallest and largest value it can take) and ``scaled(factor)``, the
distribution of every value multiplied by ``factor`` (how an impact control
shrinks losses). Counts also have ``thinned(keep)``: the count of events that
remain when each event is kept with probability ``keep`` (how a likelihood
control removes events), and ``sample_counts`` (int64 counts, optionally with
a per-trial rate multiplier).

Examples
--------
>>> import numpy as np
>>> from crisisops.risk.distributions import PERT, LogNormal, Poisson
>>> outage_cost = PERT(low=50_000.0, mode=120_000.0, high=400_000.0)
>>> outage_cost.mean  # (50k + 4·120k + 400k) / 6
155000.0
>>> draws = outage_cost.sample(np.random.default_rng(2026), 200_000)
>>> bool(abs(draws.mean() - 155_000.0) < 1_000.0)
True
>>> fine = LogNormal.from_interval(low=10_000.0, high=200_000.0)
>>> round(fine.median)  # the geometric middle of the 90% interval
44721
>>> Poisson(rate=2.0).thinned(0.25)  # a control that stops 3 events in 4
Poisson(rate=0.5)

`Distribution` and `CountDistribution` name the two families, for type
hints and ``isinstance`` checks; expected annual loss is the mean count
times the mean loss:

>>> from crisisops.risk.distributions import (
...     MAX_RATE,
...     MAX_SIZE,
...     CountDistribution,
...     Distribution,
... )
>>> def expected_loss(count: CountDistribution, loss: Distribution) -> float:
...     return count.mean * loss.mean
>>> expected_loss(Poisson(rate=2.0), outage_cost)
310000.0
>>> [member.__name__ for member in CountDistribution.__args__]
['Bernoulli', 'Poisson', 'NegativeBinomial']
>>> isinstance(outage_cost, Distribution), isinstance(outage_cost, CountDistribution)
(True, False)

Rates stop at `MAX_RATE` events a year and one ``sample`` call at
`MAX_SIZE` draws:

>>> from crisisops.errors import ValidationError
>>> try:
...     Poisson(rate=2 * MAX_RATE)
... except ValidationError as error:
...     error.field, error.expected
('rate', 'a number in [0, 1e+06]')
>>> try:
...     outage_cost.sample(np.random.default_rng(1), MAX_SIZE + 1)
... except ValidationError as error:
...     error.field, error.expected
('size', 'a whole number from 0 to 1,000,000,000')

References
----------
Malcolm, D. G., J. H. Roseboom, C. E. Clark, and W. Fazar. 1959.
"Application of a Technique for Research and Development Program
Evaluation." *Operations Research* 7 (5): 646–69.
https://doi.org/10.1287/opre.7.5.646.
Vose, David. 2008. *Risk Analysis: A Quantitative Guide*. 3rd ed. Chichester:
Wiley. (PERT with shape γ, "modified PERT".)
Hubbard, Douglas W., and Richard Seiersen. 2016. *How to Measure Anything in
Cybersecurity Risk*. Hoboken: Wiley. (Lognormal from a 90% interval.)
Acklam, Peter J. 2003, and Cody, W. J. 1969: the normal quantile and
``erfc`` used by `TruncatedNormal`'s inversion (see ``crisisops.risk._normal``).
Hilbe, Joseph M. 2011. *Negative Binomial Regression*. 2nd ed. Cambridge
University Press. (The NB2 parametrisation by mean and dispersion.)
"""

from __future__ import annotations

import math
import warnings
from typing import Any, TypeAlias

import attrs
import numpy as np
import numpy.typing as npt

from crisisops._validation import check_finite, field_name, is_finite
from crisisops.errors import InvalidTypeError, ValidationError
from crisisops.risk._normal import normal_cdf, normal_pdf, normal_quantile

__all__ = [
    "MAX_RATE",
    "MAX_SIZE",
    "PERT",
    "Bernoulli",
    "Constant",
    "CountDistribution",
    "Distribution",
    "Empirical",
    "LogNormal",
    "NegativeBinomial",
    "Poisson",
    "Triangular",
    "TruncatedNormal",
    "Uniform",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Largest number of draws one ``sample`` call makes (8 GB of float64).
MAX_SIZE = 1_000_000_000
#: Largest expected number of events per year a count distribution may have.
MAX_RATE = 1e6
#: Above this ratio ``high / low`` a lognormal's mean is dominated by its tail.
LOGNORMAL_WIDE_RATIO = 1000.0
#: Largest expected count a per-trial ``scale`` may lead to.
_MAX_SCALED_RATE = 1e9
#: Standardised values are kept within ±this: ``Φ⁻¹`` of the smallest double.
_Z_LIMIT = 38.5
#: ``log`` of the largest float: ``exp`` of anything above overflows.
_LOG_FLOAT_MAX = math.log(np.finfo(np.float64).max)


# --- shared checks ------------------------------------------------------------


def _as_float(value: Any) -> Any:  # noqa: ANN401  anything; the validator checks
    """Turn an int or numpy number into a float; pass anything else on."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, np.floating):
        return float(value)
    return value


def _to_float(value: float) -> float:
    """Convert a float field's value (typed for mypy's attrs plugin)."""
    result: float = _as_float(value)
    return result


def _check_rng(rng: object) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise InvalidTypeError(
            "rng",
            rng,
            "a numpy.random.Generator (e.g. numpy.random.default_rng(2026))",
        )
    return rng


def _check_size(size: object, field: str = "size") -> int:
    if isinstance(size, (bool, np.bool_)) or not isinstance(size, (int, np.integer)):
        raise InvalidTypeError(field, size, "an int")
    number = int(size)
    if not 0 <= number <= MAX_SIZE:
        raise ValidationError(field, size, f"a whole number from 0 to {MAX_SIZE:,}")
    return number


def _check_factor(factor: object, field: str = "factor") -> float:
    return check_finite(_as_float(factor), field, low=0.0)


def _check_multipliers(value: object, size: int, field: str) -> FloatArray:
    """Return a per-trial multiplier array: shape ``(size,)``, finite, ``>= 0``."""
    expected = f"an array of {size} numbers >= 0"
    if isinstance(value, (bool, str, bytes)):
        raise InvalidTypeError(field, value, expected)
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError):
        raise InvalidTypeError(field, value, expected) from None
    if raw.dtype.kind not in "iuf":  # bools, text, None, objects
        raise InvalidTypeError(field, value, expected)
    array = raw.astype(np.float64, copy=False)
    if array.shape != (size,):
        raise ValidationError(
            field, value, f"a 1-D array of shape ({size},) (got shape {array.shape})"
        )
    if size:
        low, high = float(array.min()), float(array.max())
        if not (low >= 0.0 and math.isfinite(high)):
            raise ValidationError(field, value, "finite numbers >= 0")
    return array


def _scaled_rate(rate: float, factor: object) -> float:
    """Return ``rate·factor``, refusing a factor that takes it past `MAX_RATE`."""
    k = _check_factor(factor)
    if rate * k > MAX_RATE:
        raise ValidationError(
            "factor",
            factor,
            f"at most {MAX_RATE / rate:g} so that the expected count "
            f"{rate:g}·factor stays <= MAX_RATE ({MAX_RATE:g})",
        )
    return rate * k


def _finite_number(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    check_finite(value, field_name(attribute))


def _non_nan_number(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    """Accept a real number, ``±inf`` included, but not NaN."""
    name = field_name(attribute)
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidTypeError(name, value, "a real number")
    if math.isnan(value):
        raise ValidationError(name, value, "a number (not NaN)")


def _positive(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    number = check_finite(value, name, low=0.0)
    if number <= 0.0:
        raise ValidationError(name, value, "a finite number > 0")


def _rate(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    check_finite(value, field_name(attribute), low=0.0, high=MAX_RATE)


def _check_order(low: float, mode: float | None, high: float) -> None:
    """Check ``low <= mode <= high`` and ``low < high`` (naming the culprit)."""
    if not low < high:
        raise ValidationError(
            "high",
            high,
            f"a number greater than low={low:g} (use Constant for one value)",
        )
    if not math.isfinite(high - low):
        raise ValidationError(
            "high",
            high,
            f"a number whose distance from low={low:g} is a finite float",
        )
    if mode is not None and not low <= mode <= high:
        raise ValidationError(
            "mode", mode, f"a number in [low, high] = [{low:g}, {high:g}]"
        )


class _Sampler:
    """Shared ``sample`` entry point: validate, then draw (``_draw``)."""

    __slots__ = ()

    def _draw(self, rng: np.random.Generator, size: int) -> FloatArray:
        raise NotImplementedError  # pragma: no cover

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        """Draw ``size`` independent values.

        Parameters
        ----------
        rng
            The `numpy.random.Generator` to draw from (its state advances).
        size
            How many values, ``0 <= size <= MAX_SIZE``.

        Returns
        -------
        numpy.ndarray
            A new float64 array of shape ``(size,)``.

        Raises
        ------
        InvalidTypeError
            If ``rng`` is not a Generator or ``size`` not an int.
        ValidationError
            If ``size`` is negative or too large.
        """
        return self._draw(_check_rng(rng), _check_size(size))


# --- value distributions ------------------------------------------------------


@attrs.frozen(kw_only=True)
class PERT(_Sampler):
    r"""The classic beta-PERT distribution of a three-point estimate.

    A scaled beta distribution on ``[low, high]`` with shapes
    ``α = 1 + γ·(mode − low)/(high − low)`` and
    ``β = 1 + γ·(high − mode)/(high − low)`` (Malcolm et al. 1959; ``γ = 4``
    is the classic PERT, other ``γ`` Vose's "modified PERT"). Its mode is
    ``mode`` and its mean ``(low + γ·mode + high)/(γ + 2)``. Unlike pyfair's
    moment-matched "BetaPERT", the shapes are never below 1, so the density
    never piles up at a bound and the most likely value stays where the expert
    put it.

    Attributes
    ----------
    low
        The smallest possible value.
    mode
        The most likely value, ``low <= mode <= high``.
    high
        The largest possible value, ``> low``.
    gamma
        The weight of the mode (``> 0``); larger means more peaked.

    Examples
    --------
    >>> PERT(low=1.0, mode=5.0, high=20.0).mean  # (1 + 4·5 + 20) / 6
    6.833333333333333
    >>> PERT(low=0.0, mode=1.0, high=4.0, gamma=2.0).alpha
    1.5
    """

    low: float = attrs.field(converter=_to_float, validator=_finite_number)
    mode: float = attrs.field(converter=_to_float, validator=_finite_number)
    high: float = attrs.field(converter=_to_float, validator=_finite_number)
    gamma: float = attrs.field(default=4.0, converter=_to_float, validator=_positive)

    def __attrs_post_init__(self) -> None:
        """Check ``low <= mode <= high`` and ``low < high``."""
        _check_order(self.low, self.mode, self.high)

    @property
    def alpha(self) -> float:
        """First beta shape ``1 + γ·(mode − low)/(high − low)``."""
        return 1.0 + self.gamma * (self.mode - self.low) / (self.high - self.low)

    @property
    def beta(self) -> float:
        """Second beta shape ``1 + γ·(high − mode)/(high − low)``."""
        return 1.0 + self.gamma * (self.high - self.mode) / (self.high - self.low)

    @property
    def mean(self) -> float:
        """``(low + γ·mode + high) / (γ + 2)``."""
        return (self.low + self.gamma * self.mode + self.high) / (self.gamma + 2.0)

    @property
    def variance(self) -> float:
        """``(mean − low)(high − mean) / (γ + 3)``."""
        mean = self.mean
        return (mean - self.low) * (self.high - mean) / (self.gamma + 3.0)

    @property
    def support(self) -> tuple[float, float]:
        """``(low, high)``."""
        return (self.low, self.high)

    def scaled(self, factor: float) -> PERT | Constant:
        """Return the PERT of every value times ``factor`` (``Constant(0)`` for 0)."""
        k = _check_factor(factor)
        if k == 0.0:
            return Constant(value=0.0)
        return PERT(
            low=self.low * k, mode=self.mode * k, high=self.high * k, gamma=self.gamma
        )

    def _draw(self, rng: np.random.Generator, size: int) -> FloatArray:
        out: FloatArray = rng.beta(self.alpha, self.beta, size)
        out *= self.high - self.low
        out += self.low
        return out


@attrs.frozen(kw_only=True)
class Triangular(_Sampler):
    """The triangular distribution of a three-point estimate.

    Its density rises linearly from ``low`` to ``mode`` and falls to ``high``;
    mean ``(low + mode + high)/3``. It gives the extremes more weight than
    `PERT` does.

    Attributes
    ----------
    low
        The smallest possible value.
    mode
        The most likely value, ``low <= mode <= high``.
    high
        The largest possible value, ``> low``.

    Examples
    --------
    >>> Triangular(low=0.0, mode=3.0, high=6.0).mean
    3.0
    """

    low: float = attrs.field(converter=_to_float, validator=_finite_number)
    mode: float = attrs.field(converter=_to_float, validator=_finite_number)
    high: float = attrs.field(converter=_to_float, validator=_finite_number)

    def __attrs_post_init__(self) -> None:
        """Check ``low <= mode <= high`` and ``low < high``."""
        _check_order(self.low, self.mode, self.high)

    @property
    def mean(self) -> float:
        """``(low + mode + high) / 3``."""
        return (self.low + self.mode + self.high) / 3.0

    @property
    def variance(self) -> float:
        """``(a² + b² + c² − ab − ac − bc) / 18``."""
        a, c, b = self.low, self.mode, self.high
        return (a * a + b * b + c * c - a * b - a * c - b * c) / 18.0

    @property
    def support(self) -> tuple[float, float]:
        """``(low, high)``."""
        return (self.low, self.high)

    def scaled(self, factor: float) -> Triangular | Constant:
        """Return the triangle of every value times ``factor`` (0: ``Constant``)."""
        k = _check_factor(factor)
        if k == 0.0:
            return Constant(value=0.0)
        return Triangular(low=self.low * k, mode=self.mode * k, high=self.high * k)

    def _draw(self, rng: np.random.Generator, size: int) -> FloatArray:
        out: FloatArray = rng.triangular(self.low, self.mode, self.high, size)
        return out


@attrs.frozen(kw_only=True)
class Uniform(_Sampler):
    """Every value in ``[low, high)`` equally likely.

    Attributes
    ----------
    low
        The smallest value.
    high
        The upper end, ``> low``.

    Examples
    --------
    >>> Uniform(low=2.0, high=4.0).mean
    3.0
    """

    low: float = attrs.field(converter=_to_float, validator=_finite_number)
    high: float = attrs.field(converter=_to_float, validator=_finite_number)

    def __attrs_post_init__(self) -> None:
        """Check ``low < high``."""
        _check_order(self.low, None, self.high)

    @property
    def mean(self) -> float:
        """``(low + high) / 2``."""
        return (self.low + self.high) / 2.0

    @property
    def variance(self) -> float:
        """``(high − low)² / 12``."""
        return (self.high - self.low) ** 2 / 12.0

    @property
    def support(self) -> tuple[float, float]:
        """``(low, high)``."""
        return (self.low, self.high)

    def scaled(self, factor: float) -> Uniform | Constant:
        """Return the uniform of every value times ``factor`` (0 gives ``Constant``)."""
        k = _check_factor(factor)
        if k == 0.0:
            return Constant(value=0.0)
        return Uniform(low=self.low * k, high=self.high * k)

    def _draw(self, rng: np.random.Generator, size: int) -> FloatArray:
        out: FloatArray = rng.uniform(self.low, self.high, size)
        return out


@attrs.frozen(kw_only=True)
class LogNormal(_Sampler):
    r"""``exp(N(mu, sigma²))``: positive values with a heavy right tail.

    Mean ``exp(mu + sigma²/2)``, median ``exp(mu)``. Build it from an expert's
    90% interval with `from_interval`.

    Attributes
    ----------
    mu
        Mean of the logarithm.
    sigma
        Standard deviation of the logarithm (``>= 0``).

    Examples
    --------
    >>> import math
    >>> math.isclose(LogNormal(mu=0.0, sigma=1.0).mean, math.exp(0.5))
    True
    """

    mu: float = attrs.field(converter=_to_float, validator=_finite_number)
    sigma: float = attrs.field(converter=_to_float, validator=is_finite(low=0.0))

    def __attrs_post_init__(self) -> None:
        """Check that the mean is a finite float."""
        if self.mu + self.sigma * self.sigma / 2.0 > 700.0:
            raise ValidationError(
                "sigma",
                self.sigma,
                f"a value with a finite mean: mu + sigma²/2 <= 700 (mu={self.mu:g})",
            )

    @classmethod
    def from_interval(
        cls, low: float, high: float, confidence: float = 0.90
    ) -> LogNormal:
        """Fit the lognormal whose central ``confidence`` interval is ``[low, high]``.

        With ``z = Φ⁻¹((1 + confidence)/2)`` (1.6448536269514722 for 90%):
        ``mu = (ln low + ln high)/2`` and ``sigma = (ln high − ln low)/(2z)``.
        So ``low`` and ``high`` are the 5th and 95th percentiles of a 90%
        interval, the convention of calibrated estimation (Hubbard & Seiersen
        2016) and of riskquant.

        Parameters
        ----------
        low
            Lower end of the interval, ``> 0``.
        high
            Upper end, ``> low``.
        confidence
            Probability inside the interval, strictly between 0 and 1.

        Warns
        -----
        UserWarning
            When ``high / low > 1000``: ``sigma`` is then so large that the
            mean is driven by the far tail (it can even fall as ``low``
            rises; riskquant issue #11). Consider a `PERT` or a
            `TruncatedNormal` instead.

        Raises
        ------
        ValidationError
            For ``low <= 0``, ``high <= low``, a non-finite bound or a
            confidence outside (0, 1).

        Examples
        --------
        >>> fitted = LogNormal.from_interval(low=1_000.0, high=100_000.0)
        >>> round(fitted.sigma, 6)  # ln(100) / (2 · 1.6448536)
        1.399872
        """
        lo = check_finite(_as_float(low), "low")
        hi = check_finite(_as_float(high), "high")
        level = check_finite(_as_float(confidence), "confidence", low=0.0, high=1.0)
        if lo <= 0.0:
            raise ValidationError("low", low, "a number > 0 (a lognormal is positive)")
        if not hi > lo:
            raise ValidationError("high", high, f"a number greater than low={lo:g}")
        if not 0.0 < level < 1.0:
            raise ValidationError(
                "confidence", confidence, "a number strictly between 0 and 1"
            )
        ratio = hi / lo
        if ratio > LOGNORMAL_WIDE_RATIO:
            warnings.warn(
                f"the lognormal interval [{lo:g}, {hi:g}] spans a factor of "
                f"{ratio:,.0f} (> {LOGNORMAL_WIDE_RATIO:g}): its mean is driven by "
                "the far tail; check the estimate or use PERT/TruncatedNormal",
                UserWarning,
                stacklevel=2,
            )
        z = float(normal_quantile((1.0 + level) / 2.0))
        log_low, log_high = math.log(lo), math.log(hi)
        return cls(
            mu=(log_low + log_high) / 2.0, sigma=(log_high - log_low) / (2.0 * z)
        )

    @property
    def mean(self) -> float:
        """``exp(mu + sigma²/2)``."""
        return math.exp(self.mu + self.sigma * self.sigma / 2.0)

    @property
    def median(self) -> float:
        """``exp(mu)``."""
        return math.exp(self.mu)

    @property
    def variance(self) -> float:
        """``(exp(sigma²) − 1)·exp(2mu + sigma²)``; ``inf`` beyond the float range.

        Computed through its logarithm, so a wide lognormal whose variance
        exceeds the largest float gives ``math.inf`` instead of an
        ``OverflowError``.
        """
        s2 = self.sigma * self.sigma
        if s2 == 0.0:
            return 0.0
        # log(e^{s2} − 1) = s2 + log(1 − e^{−s2}), exact for large s2 too
        log_variance = s2 + math.log(-math.expm1(-s2)) + 2.0 * self.mu + s2
        if log_variance >= _LOG_FLOAT_MAX:
            return math.inf
        return math.exp(log_variance)

    @property
    def support(self) -> tuple[float, float]:
        """``(0, inf)``."""
        return (0.0, math.inf)

    def scaled(self, factor: float) -> LogNormal | Constant:
        """Return ``LogNormal(mu + ln factor, sigma)`` (``Constant(0)`` for 0)."""
        k = _check_factor(factor)
        if k == 0.0:
            return Constant(value=0.0)
        return LogNormal(mu=self.mu + math.log(k), sigma=self.sigma)

    def _draw(self, rng: np.random.Generator, size: int) -> FloatArray:
        out: FloatArray = rng.lognormal(self.mu, self.sigma, size)
        return out


@attrs.frozen(kw_only=True)
class TruncatedNormal(_Sampler):
    r"""A normal ``N(mu, sigma²)`` conditioned on ``low <= X <= high``.

    Truncated, not clipped: no probability piles up at a bound (pyfair clips
    its normals to ``[0, ∞)``, putting the whole negative half at exactly 0).
    ``mu`` and ``sigma`` are the parameters of the normal *before*
    truncation (as for `LogNormal`); `mean` is the mean after it.

    Sampling is exact inversion: with ``a = (low − mu)/sigma`` and
    ``b = (high − mu)/sigma``,
    ``X = mu + sigma·Φ⁻¹(Φ(a) + U·(Φ(b) − Φ(a)))`` for a uniform ``U``;
    when ``a > 0`` the mirror image ``[−b, −a]`` is sampled instead, so an
    interval far in the upper tail keeps its precision. ``Φ`` and ``Φ⁻¹``
    are the numpy implementations of ``crisisops.risk._normal`` (Cody's
    ``erfc``; Acklam's quantile refined by one Halley step): relative error
    below 5e-15 for ``Φ``, and a quantile within ``2e-15·max(1, |x|)`` of the
    exact one. A draw is therefore exact up to floating-point rounding;
    draws are finally clipped to ``[low, high]`` to absorb that rounding.
    No rejection loop: one uniform per draw, whatever the truncation.

    Attributes
    ----------
    mu
        Mean of the normal before truncation.
    sigma
        Standard deviation of the normal before truncation, ``> 0``.
    low
        Lower truncation point; ``-inf`` (the default) for none.
    high
        Upper truncation point, ``> low``; ``inf`` (the default) for none.
        The interval must hold probability under the normal, i.e. come
        within about 37 standard deviations of ``mu``.

    Examples
    --------
    A loss that is normal around 100 with sd 50, but never negative:

    >>> loss = TruncatedNormal(mu=100.0, sigma=50.0, low=0.0)
    >>> round(loss.mean, 2)  # 100 + 50·φ(2)/Φ(2)
    102.76
    """

    mu: float = attrs.field(converter=_to_float, validator=_finite_number)
    sigma: float = attrs.field(converter=_to_float, validator=_positive)
    low: float = attrs.field(
        default=-math.inf, converter=_to_float, validator=_non_nan_number
    )
    high: float = attrs.field(
        default=math.inf, converter=_to_float, validator=_non_nan_number
    )

    def __attrs_post_init__(self) -> None:
        """Check the bounds: ordered, and holding probability."""
        if self.low == math.inf:
            raise ValidationError("low", self.low, "a finite number or -inf")
        if self.high == -math.inf:
            raise ValidationError("high", self.high, "a finite number or inf")
        if not self.low < self.high:
            raise ValidationError(
                "high", self.high, f"a number greater than low={self.low:g}"
            )
        if self._mass() <= 0.0:
            raise ValidationError(
                "low",
                self.low,
                f"an interval [low, high] with probability under N({self.mu:g}, "
                f"{self.sigma:g}²), i.e. within about 37 sigma of mu",
            )

    def _bounds(self) -> tuple[float, float, bool]:
        """Standardised bounds, mirrored to the lower side when both are above 0."""
        a = (self.low - self.mu) / self.sigma
        b = (self.high - self.mu) / self.sigma
        if a > 0.0:
            return (-b, -a, True)
        return (a, b, False)

    def _mass(self) -> float:
        a, b, _ = self._bounds()
        return float(normal_cdf(b)) - float(normal_cdf(a))

    @property
    def mean(self) -> float:
        """Mean after truncation, ``mu + sigma·(φ(a) − φ(b))/(Φ(b) − Φ(a))``."""
        a, b, mirrored = self._bounds()
        shift = (_pdf_or_zero(a) - _pdf_or_zero(b)) / self._mass()
        return (
            self.mu - self.sigma * shift if mirrored else self.mu + self.sigma * shift
        )

    @property
    def variance(self) -> float:
        """``sigma²·[1 + (aφ(a) − bφ(b))/Z − ((φ(a) − φ(b))/Z)²]``.

        ``Z = Φ(b) − Φ(a)`` is the probability of the interval.
        """
        a, b, _ = self._bounds()
        z = self._mass()
        pa, pb = _pdf_or_zero(a), _pdf_or_zero(b)
        ta = a * pa if math.isfinite(a) else 0.0
        tb = b * pb if math.isfinite(b) else 0.0
        shift = (pa - pb) / z
        return self.sigma * self.sigma * max(0.0, 1.0 + (ta - tb) / z - shift * shift)

    @property
    def support(self) -> tuple[float, float]:
        """``(low, high)``."""
        return (self.low, self.high)

    def scaled(self, factor: float) -> TruncatedNormal | Constant:
        """Return the truncated normal of every value times ``factor``.

        ``mu``, ``sigma`` and both bounds are multiplied; ``Constant(0)`` for 0.
        """
        k = _check_factor(factor)
        if k == 0.0:
            return Constant(value=0.0)
        return TruncatedNormal(
            mu=self.mu * k, sigma=self.sigma * k, low=self.low * k, high=self.high * k
        )

    def _draw(self, rng: np.random.Generator, size: int) -> FloatArray:
        a, b, mirrored = self._bounds()
        p_low = float(normal_cdf(a))
        p_high = float(normal_cdf(b))
        out: FloatArray = rng.random(size)
        out *= p_high - p_low
        out += p_low
        np.clip(out, 0.0, 1.0, out=out)
        z: FloatArray = normal_quantile(out)
        np.clip(z, -_Z_LIMIT, _Z_LIMIT, out=z)  # p == 0 exactly would give -inf
        z *= -self.sigma if mirrored else self.sigma
        z += self.mu
        np.clip(z, self.low, self.high, out=z)
        return z


def _pdf_or_zero(x: float) -> float:
    return 0.0 if math.isinf(x) else float(normal_pdf(x))


@attrs.frozen(kw_only=True)
class Constant(_Sampler):
    """One value, always.

    Attributes
    ----------
    value
        The value.

    Examples
    --------
    >>> Constant(value=0.3).scaled(0.5)
    Constant(value=0.15)
    """

    value: float = attrs.field(converter=_to_float, validator=_finite_number)

    @property
    def mean(self) -> float:
        """``value``."""
        return self.value

    @property
    def variance(self) -> float:
        """0."""
        return 0.0

    @property
    def support(self) -> tuple[float, float]:
        """``(value, value)``."""
        return (self.value, self.value)

    def scaled(self, factor: float) -> Constant:
        """Return ``Constant(value·factor)``."""
        return Constant(value=self.value * _check_factor(factor))

    def _draw(self, rng: np.random.Generator, size: int) -> FloatArray:  # noqa: ARG002
        return np.full(size, self.value)


def _to_values(value: npt.ArrayLike) -> FloatArray:
    """Copy an array-like of numbers into a read-only float64 array; else pass it on."""
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


def _to_optional_values(value: npt.ArrayLike | None) -> FloatArray | None:
    return None if value is None else _to_values(value)


def _check_values(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, np.ndarray) or value.dtype != np.float64:
        raise InvalidTypeError(name, value, "a 1-D array (or list) of real numbers")
    if value.ndim != 1 or value.size == 0:
        raise ValidationError(name, value, "a non-empty 1-D array of numbers")
    if not np.isfinite(value).all():
        raise ValidationError(name, value, "finite numbers (no NaN or infinity)")


def _check_weights(instance: Empirical, attribute: Any, value: Any) -> None:  # noqa: ANN401
    if value is None:
        return
    _check_values(instance, attribute, value)
    assert isinstance(value, np.ndarray)  # noqa: S101  narrowing for mypy
    name = field_name(attribute)
    if value.shape != instance.values.shape:
        raise ValidationError(
            name, value, f"one weight per value ({instance.values.size} weights)"
        )
    if float(value.min()) < 0.0 or float(value.sum()) <= 0.0:
        raise ValidationError(name, value, "weights >= 0 with a positive sum")


def _same_array(a: FloatArray | None, b: FloatArray | None) -> bool:
    if a is None or b is None:
        return a is b
    return bool(np.array_equal(a, b))


@attrs.frozen(kw_only=True)
class Empirical(_Sampler):
    """Observed values (e.g. past incident losses), resampled with replacement.

    Attributes
    ----------
    values
        The observed values (stored as a read-only float64 array).
    weights
        Optional non-negative weight per value (e.g. to favour recent
        years); equal weights when ``None``. They need not sum to 1.

    Examples
    --------
    >>> past = Empirical(values=[12_000.0, 30_000.0, 18_000.0])
    >>> past.mean
    20000.0
    >>> Empirical(values=[1.0, 3.0], weights=[3.0, 1.0]).mean
    1.5
    """

    values: FloatArray = attrs.field(
        converter=_to_values,
        validator=_check_values,
        eq=attrs.cmp_using(eq=_same_array),
        hash=False,
    )
    weights: FloatArray | None = attrs.field(
        default=None,
        converter=_to_optional_values,
        validator=_check_weights,
        eq=attrs.cmp_using(eq=_same_array),
        hash=False,
    )

    def _probabilities(self) -> FloatArray | None:
        if self.weights is None:
            return None
        result: FloatArray = self.weights / self.weights.sum()
        return result

    @property
    def mean(self) -> float:
        """The (weighted) average of ``values``."""
        return float(np.average(self.values, weights=self.weights))

    @property
    def variance(self) -> float:
        """The (weighted) population variance of ``values``."""
        mean = self.mean
        return float(np.average((self.values - mean) ** 2, weights=self.weights))

    @property
    def support(self) -> tuple[float, float]:
        """``(min(values), max(values))`` (over values with positive weight)."""
        values = self.values if self.weights is None else self.values[self.weights > 0]
        return (float(values.min()), float(values.max()))

    def scaled(self, factor: float) -> Empirical:
        """Return the empirical distribution of every value times ``factor``."""
        return Empirical(
            values=self.values * _check_factor(factor), weights=self.weights
        )

    def _draw(self, rng: np.random.Generator, size: int) -> FloatArray:
        if self.weights is None:
            index = rng.integers(0, self.values.size, size)
        else:
            cumulative = np.cumsum(self.weights)
            cumulative /= cumulative[-1]
            index = np.searchsorted(cumulative, rng.random(size), side="right")
            np.minimum(index, self.values.size - 1, out=index)
        out: FloatArray = self.values[index]
        return out


#: Any value distribution (a loss, a rate, a probability).
Distribution: TypeAlias = (
    PERT | Triangular | Uniform | LogNormal | TruncatedNormal | Constant | Empirical
)


# --- count distributions ------------------------------------------------------


class _Counter:
    """Shared entry points of count distributions."""

    __slots__ = ()

    def _draw_counts(
        self, rng: np.random.Generator, size: int, scale: FloatArray | None
    ) -> IntArray:
        raise NotImplementedError  # pragma: no cover

    def sample_counts(
        self,
        rng: np.random.Generator,
        size: int,
        scale: npt.ArrayLike | None = None,
    ) -> IntArray:
        """Draw ``size`` independent annual event counts as int64.

        Parameters
        ----------
        rng
            The `numpy.random.Generator` to draw from.
        size
            How many counts (trials).
        scale
            Optional per-trial multiplier of the expected count (shape
            ``(size,)``, finite, ``>= 0``): trial ``t`` draws from the
            distribution with its rate times ``scale[t]``. For `Bernoulli`
            the probability ``p·scale[t]`` is capped at 1.

        Returns
        -------
        numpy.ndarray
            int64 counts of shape ``(size,)``.
        """
        generator = _check_rng(rng)
        n = _check_size(size)
        multipliers = None if scale is None else _check_multipliers(scale, n, "scale")
        if multipliers is not None and n:
            largest = float(multipliers.max()) * float(getattr(self, "mean", 0.0))
            if largest > _MAX_SCALED_RATE:
                raise ValidationError(
                    "scale",
                    scale,
                    f"multipliers keeping the expected count <= {_MAX_SCALED_RATE:g} "
                    f"(the largest gives {largest:g})",
                )
        return self._draw_counts(generator, n, multipliers)

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        """Draw ``size`` annual event counts, as float64 (see `sample_counts`)."""
        return self.sample_counts(rng, size).astype(np.float64)


@attrs.frozen(kw_only=True)
class Bernoulli(_Counter):
    """At most one event a year, with annual probability ``probability``.

    Attributes
    ----------
    probability
        Chance that the event happens in a year, in ``[0, 1]``.

    Examples
    --------
    >>> Bernoulli(probability=0.2).thinned(0.5)
    Bernoulli(probability=0.1)
    """

    probability: float = attrs.field(
        converter=_to_float, validator=is_finite(low=0.0, high=1.0)
    )

    @property
    def mean(self) -> float:
        """``probability``."""
        return self.probability

    @property
    def variance(self) -> float:
        """``p·(1 − p)``."""
        return self.probability * (1.0 - self.probability)

    @property
    def support(self) -> tuple[float, float]:
        """``(0, 1)``."""
        return (0.0, 1.0)

    def thinned(self, keep: float) -> Bernoulli:
        """Return ``Bernoulli(probability·keep)``, ``keep`` in [0, 1]."""
        k = check_finite(_as_float(keep), "keep", low=0.0, high=1.0)
        return Bernoulli(probability=self.probability * k)

    def scaled(self, factor: float) -> Bernoulli:
        """Return ``Bernoulli(probability·factor)``; the product must stay <= 1.

        For a count, "every value times ``factor``" is not a count again, so
        ``scaled`` scales the expected number of events instead (for
        ``factor <= 1`` it is `thinned`).
        """
        k = _check_factor(factor)
        if self.probability * k > 1.0 + 1e-12:
            raise ValidationError(
                "factor",
                factor,
                f"at most {1.0 / self.probability:g} so that the probability "
                f"{self.probability:g}·factor stays <= 1",
            )
        return Bernoulli(probability=min(1.0, self.probability * k))

    def _draw_counts(
        self, rng: np.random.Generator, size: int, scale: FloatArray | None
    ) -> IntArray:
        uniforms = rng.random(size)
        if scale is None:
            hits = uniforms < self.probability
        else:
            hits = uniforms < scale * self.probability
        return hits.astype(np.int64)


@attrs.frozen(kw_only=True)
class Poisson(_Counter):
    """Events at a constant rate: ``rate`` expected events a year.

    Attributes
    ----------
    rate
        Expected number of events per year, ``0 <= rate <= MAX_RATE``.

    Examples
    --------
    >>> Poisson(rate=3.0).variance
    3.0
    """

    rate: float = attrs.field(converter=_to_float, validator=_rate)

    @property
    def mean(self) -> float:
        """``rate``."""
        return self.rate

    @property
    def variance(self) -> float:
        """``rate``."""
        return self.rate

    @property
    def support(self) -> tuple[float, float]:
        """``(0, inf)``."""
        return (0.0, math.inf)

    def thinned(self, keep: float) -> Poisson:
        """Return ``Poisson(rate·keep)`` (a thinned Poisson process stays Poisson)."""
        k = check_finite(_as_float(keep), "keep", low=0.0, high=1.0)
        return Poisson(rate=self.rate * k)

    def scaled(self, factor: float) -> Poisson:
        """Return ``Poisson(rate·factor)``: the expected count times ``factor``."""
        return Poisson(rate=_scaled_rate(self.rate, factor))

    def _draw_counts(
        self, rng: np.random.Generator, size: int, scale: FloatArray | None
    ) -> IntArray:
        if scale is None:
            counts: IntArray = rng.poisson(self.rate, size)
        else:
            counts = rng.poisson(scale * self.rate)
        return counts


@attrs.frozen(kw_only=True)
class NegativeBinomial(_Counter):
    r"""Over-dispersed (clustered) event counts, by mean and dispersion.

    Parametrised as NB2 (Hilbe 2011): mean ``mean = μ`` and dispersion
    ``k > 0`` with variance ``μ + μ²/k``; small ``k`` means bursty years,
    ``k → ∞`` tends to `Poisson`. It is the Poisson count of a year whose
    rate is itself gamma-distributed with shape ``k`` and mean ``μ``, and
    it is sampled that way. In numpy's ``negative_binomial(n, p)`` terms
    ``n = k`` and ``p = k/(k + μ)``.

    Thinning (each event kept with probability ``keep``) gives
    ``NegativeBinomial(μ·keep, k)``: the gamma-mixed rate is just scaled.

    Attributes
    ----------
    mean
        Expected number of events per year, ``0 <= mean <= MAX_RATE``.
    dispersion
        The shape ``k`` of the gamma-distributed rate, ``> 0``.

    Examples
    --------
    >>> NegativeBinomial(mean=2.0, dispersion=0.5).variance  # 2 + 4/0.5
    10.0
    """

    mean: float = attrs.field(converter=_to_float, validator=_rate)
    dispersion: float = attrs.field(converter=_to_float, validator=_positive)

    @property
    def variance(self) -> float:
        """``mean + mean²/dispersion``."""
        return self.mean + self.mean * self.mean / self.dispersion

    @property
    def support(self) -> tuple[float, float]:
        """``(0, inf)``."""
        return (0.0, math.inf)

    def thinned(self, keep: float) -> NegativeBinomial:
        """Return ``NegativeBinomial(mean·keep, dispersion)``."""
        k = check_finite(_as_float(keep), "keep", low=0.0, high=1.0)
        return NegativeBinomial(mean=self.mean * k, dispersion=self.dispersion)

    def scaled(self, factor: float) -> NegativeBinomial:
        """Return ``NegativeBinomial(mean·factor, dispersion)``."""
        return NegativeBinomial(
            mean=_scaled_rate(self.mean, factor), dispersion=self.dispersion
        )

    def _draw_counts(
        self, rng: np.random.Generator, size: int, scale: FloatArray | None
    ) -> IntArray:
        rates = rng.standard_gamma(self.dispersion, size)
        rates *= self.mean / self.dispersion
        if scale is not None:
            rates *= scale
        counts: IntArray = rng.poisson(rates)
        return counts


#: Any count distribution (events per year).
CountDistribution: TypeAlias = Bernoulli | Poisson | NegativeBinomial
