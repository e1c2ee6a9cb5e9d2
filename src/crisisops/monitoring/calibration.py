r"""Calibrate trigger points from history, back-test them, re-calibrate on a schedule.

The book sets trigger points from data (book §3 應急響應觸發點設定): analyse
history to find each key indicator's reasonable range (數據分析:通過對歷史數據、
行業數據等進行深入分析,確定關鍵指標的合理範圍), set a threshold per indicator
(設定閾值), and re-assess and adjust the trigger points periodically as the
market changes (定期調整:定期重新評估和調整觸發點,確保其有效性). This module
turns that advice into code:

* a **method** says how one number is fitted from a window of history, per
  entity: `Quantile` (e.g. each SKU's 5th percentile of daily GMV),
  `MeanSigma` (mean ± k·σ, the SPC limits), `MedianMAD`
  (median ± k·1.4826·MAD, robust to outliers) and `IQRFence` (Tukey's
  fences, ``c = 3`` as in ADTK's ``InterQuartileRangeAD``);
* a `BoundSpec` names the bound (the key a
  `Calibrated` bound refers to), the
  metric, the method, whether it is fitted per weekday, the minimum history
  and the prior used when an entity has too little of it;
* `calibrate()` fits every spec on the periods up to ``fitted_through``
  (optionally only the last ``window`` of them), with known crisis or
  promotion periods excluded, and returns a versioned
  `ThresholdSet` whose ``notes`` say
  how each bound was obtained;
* `backtest()` replays rules over the calibration history with that set and
  reports, per rule, the alert rate the rules would have had;
* `recalibrate()` fits a new version at every occurrence of a
  `Recurrence` (e.g. quarterly, 每季), each on the
  data before that date only, so replaying history with all of them uses, at
  every date, the version valid then — never one fitted on its own future.

Everything is numpy array code: a window of ``T`` periods × ``E`` entities is
fitted in a few sorts and reductions, with no Python loop over periods or
entities (only over the handful of bound specs and weekdays).

Examples
--------
Five weeks of daily GMV for two shops: shop_a had a promotion on 11 March,
shop_b opened three weeks in.

>>> from datetime import datetime, timedelta, timezone
>>> import numpy as np
>>> from crisisops.monitoring.conditions import Side
>>> from crisisops.monitoring.panel import Panel
>>> start = datetime(2026, 3, 2, tzinfo=timezone.utc)
>>> days = [start + timedelta(days=d) for d in range(35)]
>>> gmv = np.column_stack([100.0 + np.arange(35) % 7, 80.0 + np.arange(35) % 5])
>>> gmv[9, 0] = 400.0  # the promotion spike
>>> gmv[:21, 1] = np.nan  # shop_b has two weeks of history only
>>> panel = Panel.from_metric_arrays(days, ["shop_a", "shop_b"], {"sales.gmv": gmv})
>>> specs = [
...     BoundSpec(name="gmv_p5", metric="sales.gmv", method=Quantile(0.05)),
...     BoundSpec(
...         name="gmv_high",
...         metric="sales.gmv",
...         method=MeanSigma(3.0, side=Side.UPPER),
...         prior=150.0,
...     ),
... ]
>>> naive = calibrate(panel, specs, version="2026-04")
>>> naive.bound("gmv_high").round(1).tolist()  # the spike inflates shop_a's σ
[262.2, 150.0]
>>> promotion = [(days[9], days[10])]  # [start, end): 11 March only
>>> fitted = calibrate(panel, specs, version="2026-04", exclude=promotion)
>>> fitted.bound("gmv_high").round(1).tolist()  # shop_b gets the prior
[109.2, 150.0]
>>> fitted.bound("gmv_p5").tolist()  # no prior: shop_b has no bound
[100.0, nan]
>>> fitted.fitted_through.date(), fitted.valid_from.date()
(datetime.date(2026, 4, 5), datetime.date(2026, 4, 6))
>>> note = fitted.notes["gmv_high"].split("; ")
>>> note[0]
'mean + 3·sample std of sales.gmv'
>>> note[1].endswith("(35 periods, 2 entity-periods excluded)")
True
>>> note[-1]
'entities: 1 fitted, 0 from group, 1 from prior, 0 without bound'

With a group (e.g. the shops' category), an entity short of history gets the
bound fitted on the pooled history of the group members that have enough:

>>> tea = {"shop_a": "tea", "shop_b": "tea"}
>>> pooled = calibrate(panel, specs, version="2026-04", exclude=promotion, groups=tea)
>>> pooled.bound("gmv_p5").tolist()
[100.0, 100.0]

A back-test shows what that would have meant: shop_b sells less than shop_a,
so a slump rule on the pooled bound would have fired for it every day.

>>> from crisisops.monitoring.conditions import Below, Calibrated, Raw, Threshold
>>> from crisisops.monitoring.rules import Tier, TriggerRule
>>> from crisisops.taxonomy import ResponseLevel
>>> below_p5 = Threshold(signal=Raw("sales.gmv"), predicate=Below(Calibrated("gmv_p5")))
>>> slump = TriggerRule(
...     name="gmv_slump",
...     crisis_type="market.demand_shift",
...     tiers=[Tier(ResponseLevel.IV, below_p5)],
... )
>>> result = backtest([slump], panel, pooled).rule("gmv_slump")
>>> result.episodes, result.entities_alerted, result.firing_share
(1, 1, 0.2)

The four methods make up `CalibrationMethod`, what ``BoundSpec.method``
accepts:

>>> from typing import get_args
>>> from crisisops.monitoring import CalibrationMethod
>>> [method.__name__ for method in get_args(CalibrationMethod)]
['Quantile', 'MeanSigma', 'MedianMAD', 'IQRFence']

References
----------
Leys, Christophe, Christophe Ley, Olivier Klein, Philippe Bernard, and Laurent
Licata. 2013. "Detecting Outliers: Do Not Use Standard Deviation around the
Mean, Use Absolute Deviation around the Median." *Journal of Experimental
Social Psychology* 49 (4): 764–66. https://doi.org/10.1016/j.jesp.2013.03.013.
(MAD scaled by 1.4826 estimates σ for normal data.)
Tukey, John W. 1977. *Exploratory Data Analysis*. Reading, MA: Addison-Wesley.
(Fences at Q1 − c·IQR and Q3 + c·IQR.)
Hyndman, Rob J., and Yanan Fan. 1996. "Sample Quantiles in Statistical
Packages." *The American Statistician* 50 (4): 361–65.
https://doi.org/10.1080/00031305.1996.10473566. (Definition 7, numpy's
``"linear"``.)
ADTK, ``adtk.detector.InterQuartileRangeAD`` (default ``c = 3.0``).
https://adtk.readthedocs.io/.
"""

from __future__ import annotations

import bisect
import datetime as dt
import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from crisisops._time import Recurrence
from crisisops._validation import (
    check_aware,
    check_str,
    field_name,
    is_aware_datetime,
    is_finite,
    is_instance,
    is_key,
    is_optional,
    is_text,
    is_tuple_of,
    to_tuple,
)
from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.monitoring.conditions import Side
from crisisops.monitoring.monitor import Alert, AlertKind, evaluate
from crisisops.monitoring.panel import Panel
from crisisops.monitoring.rules import TriggerRule
from crisisops.monitoring.thresholds import ThresholdSet

__all__ = [
    "BacktestReport",
    "BoundSpec",
    "CalibrationMethod",
    "IQRFence",
    "MeanSigma",
    "MedianMAD",
    "Quantile",
    "RuleBacktest",
    "backtest",
    "calibrate",
    "exclusion_mask",
    "recalibrate",
    "replay_threshold_set",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.intp]
BoolArray = npt.NDArray[np.bool_]

#: 1 / Φ⁻¹(3/4): the MAD of a normal sample times this estimates σ.
_MAD_TO_SIGMA = 1.4826
_MAX_HISTORY = 1_000_000
_WEEKDAYS = 7
_EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.timezone.utc)
_MICROSECOND = dt.timedelta(microseconds=1)
_BACKTEST_SUFFIX = "@backtest"


# --- validators -------------------------------------------------------------


def _one_side(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    """Accept ``Side.LOWER`` or ``Side.UPPER``; a single bound has one side."""
    name = field_name(attribute)
    if not isinstance(value, Side):
        raise InvalidTypeError(name, value, "a Side (Side.LOWER or Side.UPPER)")
    if value is Side.BOTH:
        raise ValidationError(
            name,
            value,
            "Side.LOWER or Side.UPPER: one bound lies on one side "
            "(fit two bound specs for a band)",
        )


def _open_unit(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    """Accept a finite number strictly between 0 and 1."""
    name = field_name(attribute)
    is_finite(low=0.0, high=1.0)(_instance, attribute, value)
    assert isinstance(value, (int, float))  # noqa: S101  narrowing for mypy
    if not 0.0 < value < 1.0:
        raise ValidationError(name, value, "a number strictly between 0 and 1")


def _history_length(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(name, value, "an int")
    if not 1 <= value <= _MAX_HISTORY:
        raise ValidationError(name, value, f"a whole number from 1 to {_MAX_HISTORY}")


def _as_float(value: float) -> float:
    """Turn an int into a float; pass anything else on to the validator."""
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    return value


def _as_optional_float(value: float | None) -> float | None:
    """Like `_as_float()`, keeping ``None``."""
    return None if value is None else _as_float(value)


# --- methods ----------------------------------------------------------------


@attrs.frozen
class Quantile:
    """Fit the ``q`` quantile of each entity's history (e.g. its 5th percentile).

    The quantile is numpy's ``"linear"`` one (Hyndman & Fan definition 7, the
    default of ``numpy.nanquantile``): with ``n`` sorted values ``x₀ … xₙ₋₁``
    it interpolates between ``x⌊h⌋`` and ``x⌊h⌋₊₁`` at ``h = q·(n − 1)``. So
    the 0.25 quantile of ``[1, 2, 3, 4, 5]`` is ``x₁ = 2.0`` and the 0.05
    quantile of ``[10, 20]`` is ``10 + 0.05·10 = 10.5``.

    Attributes
    ----------
    q
        The quantile, strictly between 0 and 1 (0.05 for a 5th percentile).
    """

    q: float = attrs.field(converter=_as_float, validator=_open_unit)

    @property
    def minimum_points(self) -> int:
        """Fewest values the method can fit from."""
        return 1

    def describe(self) -> str:
        """Say in words what is fitted."""
        return f"quantile q={self.q:g} (linear interpolation)"


@attrs.frozen
class _SpreadBound:
    """Shared shape of a centre ± k·spread bound: ``k`` and the side."""

    k: float = attrs.field(
        default=3.0, converter=_as_float, validator=is_finite(low=0.0)
    )
    side: Side = attrs.field(kw_only=True, validator=_one_side)

    def _sign(self) -> str:
        return "-" if self.side is Side.LOWER else "+"


@attrs.frozen
class MeanSigma(_SpreadBound):
    """Fit ``mean − k·s`` (``Side.LOWER``) or ``mean + k·s`` (``Side.UPPER``).

    ``s`` is the sample standard deviation (``ddof = 1``), so the method needs
    at least two values; ``k = 3`` gives the classic 3σ control limit. Mean
    and σ are pulled by outliers: prefer `MedianMAD` or
    `IQRFence` when the history holds spikes that were not excluded.

    Attributes
    ----------
    k
        How many standard deviations from the mean (≥ 0; ``k = 0`` fits the
        mean itself, a baseline).
    side
        ``Side.LOWER`` or ``Side.UPPER`` (keyword).
    """

    @property
    def minimum_points(self) -> int:
        """Fewest values the method can fit from (a sample std needs two)."""
        return 2

    def describe(self) -> str:
        """Say in words what is fitted."""
        return f"mean {self._sign()} {self.k:g}·sample std"


@attrs.frozen
class MedianMAD(_SpreadBound):
    """Fit ``median ∓ k·1.4826·MAD``, a robust mean ± k·σ.

    ``MAD = median(|x − median(x)|)``; scaled by 1.4826 it estimates σ for
    normal data (Leys et al. 2013), yet one spike barely moves it. Medians are
    the linear 0.5 quantile. Example: ``[1, 2, 3, 4, 100]`` has median 3 and
    absolute deviations ``[2, 1, 0, 1, 97]``, whose median (the MAD) is 1; the
    ``k = 3`` lower bound is ``3 − 3·1.4826·1 = −1.4478``.

    Attributes
    ----------
    k
        How many scaled MADs from the median (≥ 0).
    side
        ``Side.LOWER`` or ``Side.UPPER`` (keyword).

    Examples
    --------
    The history above, fitted both ways: the spike of 100 drags the mean
    − 3σ bound far below zero, the median − 3·MAD bound stays near the data.

    >>> from datetime import datetime, timedelta, timezone
    >>> from crisisops.monitoring import (
    ...     BoundSpec,
    ...     MeanSigma,
    ...     MedianMAD,
    ...     Panel,
    ...     Side,
    ...     calibrate,
    ... )
    >>> start = datetime(2026, 3, 2, tzinfo=timezone.utc)
    >>> days = [start + timedelta(days=d) for d in range(5)]
    >>> gmv = [[1], [2], [3], [4], [100]]
    >>> panel = Panel.from_metric_arrays(days, ["shop"], {"sales.gmv": gmv})
    >>> def fit(method):
    ...     spec = BoundSpec(
    ...         name="low", metric="sales.gmv", method=method, min_history=5
    ...     )
    ...     return calibrate(panel, [spec], version="v1").bound("low").round(4).tolist()
    >>> fit(MedianMAD(3.0, side=Side.LOWER))
    [-1.4478]
    >>> fit(MeanSigma(3.0, side=Side.LOWER))
    [-108.853]
    >>> MedianMAD(3.0, side=Side.LOWER).describe()
    'median - 3·1.4826·MAD'
    """

    @property
    def minimum_points(self) -> int:
        """Fewest values the method can fit from."""
        return 1

    def describe(self) -> str:
        """Say in words what is fitted."""
        return f"median {self._sign()} {self.k:g}·1.4826·MAD"


@attrs.frozen
class IQRFence:
    """Fit Tukey's fence: ``Q1 − c·IQR`` (``LOWER``) or ``Q3 + c·IQR`` (``UPPER``).

    ``Q1`` and ``Q3`` are the linear 0.25 and 0.75 quantiles and ``IQR = Q3 −
    Q1``. ``c = 3`` is ADTK's ``InterQuartileRangeAD`` default (Tukey's "far
    out" fence); ``c = 1.5`` is the box-plot whisker. Example: ``[1, 2, 3, 4,
    5]`` has ``Q1 = 2``, ``Q3 = 4``, ``IQR = 2``, so the ``c = 3`` upper fence
    is ``4 + 3·2 = 10``.

    Attributes
    ----------
    c
        The fence's width in IQRs (≥ 0); 3 by default.
    side
        ``Side.LOWER`` or ``Side.UPPER`` (keyword).

    Examples
    --------
    The quartiles ignore how far out an outlier is: ``[1, 2, 3, 4, 100]``
    has the same fences as ``[1, 2, 3, 4, 5]``.

    >>> from datetime import datetime, timedelta, timezone
    >>> from crisisops.monitoring import BoundSpec, IQRFence, Panel, Side, calibrate
    >>> start = datetime(2026, 3, 2, tzinfo=timezone.utc)
    >>> days = [start + timedelta(days=d) for d in range(5)]
    >>> complaints = [[1, 1], [2, 2], [3, 3], [4, 4], [5, 100]]
    >>> panel = Panel.from_metric_arrays(
    ...     days, ["shop_a", "shop_b"], {"feedback.complaints": complaints}
    ... )
    >>> def fit(method):
    ...     spec = BoundSpec(
    ...         name="high", metric="feedback.complaints", method=method, min_history=5
    ...     )
    ...     return calibrate(panel, [spec], version="v1").bound("high").tolist()
    >>> fit(IQRFence(side=Side.UPPER))  # Q3 + 3·IQR = 4 + 3·2
    [10.0, 10.0]
    >>> fit(IQRFence(1.5, side=Side.UPPER))  # the box-plot whisker
    [7.0, 7.0]
    >>> IQRFence(side=Side.UPPER).describe()
    'Q3 + 3·IQR (IQR fence)'
    """

    c: float = attrs.field(
        default=3.0, converter=_as_float, validator=is_finite(low=0.0)
    )
    side: Side = attrs.field(kw_only=True, validator=_one_side)

    @property
    def minimum_points(self) -> int:
        """Fewest values the method can fit from."""
        return 1

    def describe(self) -> str:
        """Say in words what is fitted."""
        if self.side is Side.LOWER:
            return f"Q1 - {self.c:g}·IQR (IQR fence)"
        return f"Q3 + {self.c:g}·IQR (IQR fence)"


CalibrationMethod = Quantile | MeanSigma | MedianMAD | IQRFence
_METHOD_TYPES = (Quantile, MeanSigma, MedianMAD, IQRFence)


@attrs.frozen(kw_only=True)
class BoundSpec:
    """How to fit one named bound of a threshold set.

    **Minimum history.** An entity needs ``min_history`` non-missing,
    non-excluded values in the window for its own bound. With ``seasonal``
    the bound is fitted per weekday and each (weekday, entity) cell needs
    ``ceil(min_history / 7)`` values (4 for the default 28: four weeks). A
    method never fits from fewer values than it can use (two for
    `MeanSigma`).

    **Fallback** for an entity (or cell) below that: the bound fitted on the
    pooled history of its group (``groups`` of `calibrate()`, e.g. its
    category), using only group members that have enough history themselves;
    else ``prior``; else NaN, "no bound", which makes conditions on it unknown
    and so never fire. Pooling raw values across entities suits scale-free
    metrics (rates, ratios, changes); for volumes a prior is usually better.

    Attributes
    ----------
    name
        Key of the bound, the one a ``Calibrated(name)`` bound refers to, e.g.
        ``"gmv_p5"``.
    metric
        The metric to fit it on, e.g. ``"sales.gmv"``.
    method
        `Quantile`, `MeanSigma`, `MedianMAD` or
        `IQRFence`.
    seasonal
        Fit one bound per weekday (Monday = 0, in each timestamp's own UTC
        offset): the result has shape ``(7, entities)``.
    min_history
        Non-missing values an entity needs for its own bound (≥ 1); 28 by
        default, four weeks of daily data.
    prior
        The value used for entities without enough history (and no group
        bound), e.g. a category-wide or expert value; ``None`` for none.
    """

    name: str = attrs.field(validator=is_key())
    metric: str = attrs.field(validator=is_key())
    method: CalibrationMethod = attrs.field(
        validator=is_instance(
            _METHOD_TYPES,
            "a calibration method (Quantile, MeanSigma, MedianMAD or IQRFence)",
        )
    )
    seasonal: bool = attrs.field(default=False, validator=is_instance(bool, "a bool"))
    min_history: int = attrs.field(default=28, validator=_history_length)
    prior: float | None = attrs.field(
        default=None,
        converter=_as_optional_float,
        validator=is_optional(is_finite()),
    )

    @property
    def required(self) -> int:
        """Values an entity (or, when seasonal, a weekday cell) needs."""
        need = -(-self.min_history // _WEEKDAYS) if self.seasonal else self.min_history
        return max(need, self.method.minimum_points)


# --- grouped statistics -----------------------------------------------------


class _Segments:
    """Groups of non-missing values, each sorted ascending, stored back to back."""

    __slots__ = ("counts", "labels", "starts", "values")

    def __init__(self, values: FloatArray, counts: IntArray) -> None:
        self.values = values
        self.counts = counts
        self.starts = np.cumsum(counts) - counts
        self.labels = np.repeat(np.arange(counts.shape[0]), counts)

    @classmethod
    def from_columns(cls, columns: FloatArray) -> _Segments:
        """One group per column of a ``(periods, groups)`` array; NaN is dropped."""
        ordered = np.sort(columns.T, axis=1)  # NaN sorts last
        present = ~np.isnan(ordered)
        return cls(ordered[present], present.sum(axis=1).astype(np.intp))

    @classmethod
    def from_labels(
        cls, values: FloatArray, labels: IntArray, n_groups: int
    ) -> _Segments:
        """Group flat ``values`` by integer ``labels``; NaN is dropped."""
        present = ~np.isnan(values)
        kept_labels = labels[present]
        order = np.argsort(kept_labels, kind="stable")  # radix sort of integers
        counts = np.bincount(kept_labels, minlength=n_groups).astype(np.intp)
        return cls(_sort_within(values[present][order], counts), counts)

    def quantile(self, q: float) -> FloatArray:
        """Each group's ``q`` quantile, exactly as ``numpy.nanquantile`` (linear)."""
        counts = self.counts
        result = np.full(counts.shape[0], np.nan)
        filled = counts > 0
        if not filled.any():
            return result
        last = counts[filled] - 1
        virtual = last * q
        below = np.floor(virtual)
        gamma = virtual - below
        low = np.where(virtual >= last, last, below.astype(np.intp))
        high = np.where(virtual >= last, last, low + 1)
        starts = self.starts[filled]
        a = self.values[starts + low]
        b = self.values[starts + high]
        diff = b - a
        # numpy's _lerp: from the nearer end, for symmetry and exactness
        result[filled] = np.where(
            gamma >= 0.5, b - diff * (1 - gamma), a + diff * gamma
        )
        return result

    def mean(self) -> FloatArray:
        """Each group's mean (NaN for an empty group)."""
        sums = np.bincount(
            self.labels, weights=self.values, minlength=len(self.counts)
        ).astype(np.float64)
        return _divide(sums, self.counts, minimum=1)

    def sample_std(self, mean: FloatArray) -> FloatArray:
        """Each group's sample standard deviation (NaN below two values)."""
        deviation = self.values - mean[self.labels]
        squares = np.bincount(
            self.labels, weights=deviation * deviation, minlength=len(self.counts)
        ).astype(np.float64)
        return np.sqrt(_divide(squares, self.counts - 1, minimum=1))

    def absolute_deviations(self, center: FloatArray) -> _Segments:
        """``|x − center|`` per group, re-sorted within each group."""
        deviation = np.abs(self.values - center[self.labels])
        return _Segments(_sort_within(deviation, self.counts), self.counts)


def _sort_within(values: FloatArray, counts: IntArray) -> FloatArray:
    """Sort each run of ``counts[g]`` consecutive values, all runs at once.

    When padding every run to the longest costs at most about twice the data,
    the runs become the rows of a NaN-padded matrix sorted along its rows (the
    fast path, always taken for per-entity windows); otherwise a value sort is
    followed by a stable (radix) sort of the run numbers.
    """
    n_groups = counts.shape[0]
    longest = int(counts.max()) if n_groups else 0
    labels = np.repeat(np.arange(n_groups), counts)
    if n_groups * longest <= 2 * values.shape[0] + n_groups:
        starts = np.cumsum(counts) - counts
        position = np.arange(values.shape[0]) - starts[labels]
        padded = np.full((n_groups, longest), np.nan)
        padded[labels, position] = values
        padded.sort(axis=1)  # NaN padding sorts last
        return padded[np.arange(longest)[np.newaxis, :] < counts[:, np.newaxis]]
    by_value = np.argsort(values)
    return values[by_value[np.argsort(labels[by_value], kind="stable")]]


def _divide(
    numerator: FloatArray, denominator: IntArray, *, minimum: int
) -> FloatArray:
    result = np.full(numerator.shape, np.nan)
    ok = denominator >= minimum
    result[ok] = numerator[ok] / denominator[ok]
    return result


def _fit(method: CalibrationMethod, groups: _Segments) -> FloatArray:
    """Fit ``method`` on every group at once; NaN where a group cannot be fitted.

    A result that is not finite (values near the float64 limit overflow) is
    no usable bound either, so it is NaN too.
    """
    with np.errstate(over="ignore", invalid="ignore"):
        fitted = _fit_groups(method, groups)
    return np.where(np.isfinite(fitted), fitted, np.nan)


def _fit_groups(method: CalibrationMethod, groups: _Segments) -> FloatArray:
    if isinstance(method, Quantile):
        return groups.quantile(method.q)
    if isinstance(method, MeanSigma):
        mean = groups.mean()
        spread = method.k * groups.sample_std(mean)
        spread = np.where(groups.counts >= 2, spread, np.nan)
        return mean - spread if method.side is Side.LOWER else mean + spread
    if isinstance(method, MedianMAD):
        median = groups.quantile(0.5)
        mad = groups.absolute_deviations(median).quantile(0.5)
        spread = method.k * _MAD_TO_SIGMA * mad
        return median - spread if method.side is Side.LOWER else median + spread
    assert isinstance(method, IQRFence)  # noqa: S101  exhaustive union
    q1 = groups.quantile(0.25)
    q3 = groups.quantile(0.75)
    if method.side is Side.LOWER:
        return q1 - method.c * (q3 - q1)
    return q3 + method.c * (q3 - q1)


# --- input checks -----------------------------------------------------------


def _check_panel(panel: object) -> Panel:
    if not isinstance(panel, Panel):
        raise InvalidTypeError("panel", panel, "a Panel")
    if panel.n_periods == 0:
        raise ValidationError("panel", "no periods", "a panel with at least one period")
    if panel.n_entities == 0:
        raise ValidationError(
            "panel.entities", (), "at least one entity to calibrate for"
        )
    return panel


def _check_specs(specs: object, panel: Panel) -> tuple[tuple[BoundSpec, int], ...]:
    """Return each spec with the panel column of its metric."""
    if isinstance(specs, (str, bytes, Mapping, BoundSpec)) or not isinstance(
        specs, Iterable
    ):
        raise InvalidTypeError("specs", specs, "an iterable of BoundSpec values")
    items = tuple(specs)
    if not items:
        raise ValidationError("specs", items, "at least one BoundSpec")
    seen: set[str] = set()
    checked: list[tuple[BoundSpec, int]] = []
    for index, spec in enumerate(items):
        if not isinstance(spec, BoundSpec):
            raise InvalidTypeError(f"specs[{index}]", spec, "a BoundSpec")
        if spec.name in seen:
            raise DuplicateKeyError("bound name in specs", spec.name)
        seen.add(spec.name)
        if spec.metric not in panel.metrics:
            raise UnknownKeyError(
                f"metric (specs[{index}].metric)", spec.metric, panel.metrics
            )
        checked.append((spec, panel.metric_index(spec.metric)))
    return tuple(checked)


def _check_window(window: object, name: str = "window") -> int | None:
    if window is None:
        return None
    if isinstance(window, bool) or not isinstance(window, int):
        raise InvalidTypeError(name, window, "an int (periods) or None")
    if window <= 0:
        raise ValidationError(name, window, "a positive number of periods")
    return window


def _is_window_like(item: object) -> bool:
    return (
        isinstance(item, (tuple, list))
        and len(item) > 0
        and isinstance(item[0], dt.datetime)
    )


def _exclusion_mask(exclude: object, panel: Panel) -> BoolArray | None:
    """Turn ``exclude`` (mask or windows) into a ``(T, E)`` boolean mask."""
    if exclude is None:
        return None
    shape = (panel.n_periods, panel.n_entities)
    expected = (
        f"a boolean mask of shape (T, E) = {shape} aligned with the panel, "
        "or an iterable of (start, end) aware-datetime windows"
    )
    if isinstance(exclude, np.ndarray):
        return _mask_from_array(exclude, shape, expected)
    if isinstance(exclude, (str, bytes, Mapping)) or not isinstance(exclude, Iterable):
        raise InvalidTypeError("exclude", exclude, expected)
    items = list(exclude)
    if not items:
        return None
    if not any(_is_window_like(item) for item in items):
        return _mask_from_array(items, shape, expected)
    mask = np.zeros(shape, dtype=bool)
    for index, item in enumerate(items):
        if not isinstance(item, (tuple, list)) or len(item) != 2:
            raise ValidationError(
                f"exclude[{index}]", item, "a (start, end) pair of aware datetimes"
            )
        start = check_aware(item[0], f"exclude[{index}][0]")
        end = check_aware(item[1], f"exclude[{index}][1]")
        if end <= start:
            raise ValidationError(
                f"exclude[{index}][1]",
                end,
                f"after the window's start ({start.isoformat()}); "
                "windows are half-open [start, end)",
            )
        low = bisect.bisect_left(panel.timestamps, start)
        high = bisect.bisect_left(panel.timestamps, end)
        mask[low:high] = True
    return mask


def exclusion_mask(exclude: object, panel: Panel) -> BoolArray | None:
    """Return ``exclude`` as `calibrate` reads it: a ``(T, E)`` boolean mask.

    ``exclude`` is a boolean mask aligned with ``panel`` or an iterable of
    half-open ``[start, end)`` windows of aware datetimes (known crisis or
    promotion periods to leave out of a fit); ``None`` or an empty iterable
    gives ``None``. Code that builds its own exclusions on top of a user's
    (e.g. `crisisops.review.retune`) reads them the same way.

    Raises
    ------
    InvalidTypeError, ValidationError
        As `calibrate` does for a bad ``exclude``.

    Examples
    --------
    A promotion from 3 March up to (not including) 5 March, for both shops:

    >>> from datetime import datetime, timezone
    >>> from crisisops.monitoring import Panel, exclusion_mask
    >>> days = [datetime(2026, 3, d, tzinfo=timezone.utc) for d in range(2, 6)]
    >>> panel = Panel.from_metric_arrays(
    ...     days, ["shop_a", "shop_b"], {"sales.gmv": [[100, 80]] * 4}
    ... )
    >>> mask = exclusion_mask([(days[1], days[3])], panel)
    >>> mask.tolist()  # rows are days (2 to 5 March), columns shops
    [[False, False], [True, True], [True, True], [False, False]]
    >>> exclusion_mask([], panel) is None
    True
    """
    return _exclusion_mask(exclude, _check_panel(panel))


def _mask_from_array(value: object, shape: tuple[int, int], expected: str) -> BoolArray:
    try:
        array = np.asarray(value)
    except (TypeError, ValueError):
        raise InvalidTypeError("exclude", value, expected) from None
    if array.dtype != np.bool_:
        raise InvalidTypeError("exclude", value, expected)
    if array.shape != shape:
        raise ValidationError("exclude", array.shape, expected)
    return np.array(array, dtype=bool, copy=True)


def _group_ids(groups: object, panel: Panel) -> tuple[IntArray, int] | None:
    """Map each panel entity to a group number (-1: no group)."""
    if groups is None:
        return None
    expected = "a mapping of entity key to group name (str to non-blank str)"
    if not isinstance(groups, Mapping):
        raise InvalidTypeError("groups", groups, expected)
    for key, name in groups.items():
        if not isinstance(key, str):
            raise InvalidTypeError("groups", groups, expected)
        check_str(name, f"groups[{key!r}]")
    names = [groups.get(entity) for entity in panel.entities]
    known = sorted({name for name in names if name is not None})
    number = {name: i for i, name in enumerate(known)}
    ids = np.array(
        [-1 if name is None else number[name] for name in names], dtype=np.intp
    )
    return ids, len(known)


# --- fitting ----------------------------------------------------------------


class _Inputs:
    """Validated inputs shared by every fit of one call."""

    __slots__ = ("excluded", "groups", "panel", "specs")

    def __init__(
        self, panel: object, specs: object, exclude: object, groups: object
    ) -> None:
        self.panel = _check_panel(panel)
        self.specs = _check_specs(specs, self.panel)
        self.excluded = _exclusion_mask(exclude, self.panel)
        self.groups = _group_ids(groups, self.panel)


class _Counts:
    __slots__ = ("fitted", "from_group", "from_prior", "missing")

    def __init__(self, own: FloatArray, group: FloatArray, prior: FloatArray) -> None:
        fitted = np.isfinite(own)
        grouped = ~fitted & np.isfinite(group)
        priored = ~fitted & ~grouped & np.isfinite(prior)
        self.fitted = int(fitted.sum())
        self.from_group = int(grouped.sum())
        self.from_prior = int(priored.sum())
        self.missing = int(own.size) - self.fitted - self.from_group - self.from_prior


def _fit_bound(
    spec: BoundSpec,
    history: FloatArray,
    blocks: Sequence[BoolArray],
    groups: tuple[IntArray, int] | None,
) -> tuple[FloatArray, _Counts]:
    """Fit one spec on ``history`` (periods × entities, NaN = unusable).

    ``blocks`` selects the periods of each row of the result: one block of
    every period, or seven weekday blocks for a seasonal spec.
    """
    n_entities = history.shape[1]
    need = spec.required
    own = np.full((len(blocks), n_entities), np.nan)
    pooled = np.full((len(blocks), n_entities), np.nan)
    for row, rows in enumerate(blocks):
        values = history[rows]
        segments = _Segments.from_columns(values)
        enough = segments.counts >= need
        fitted = _fit(spec.method, segments)
        own[row] = np.where(enough, fitted, np.nan)
        if groups is None:
            continue
        ids, n_groups = groups
        donors = enough & (ids >= 0)
        donor_values = np.where(donors, values, np.nan)
        labels = np.broadcast_to(np.maximum(ids, 0), values.shape)
        by_group = _fit(
            spec.method,
            _Segments.from_labels(donor_values.ravel(), labels.ravel(), n_groups),
        )
        pooled[row] = np.append(by_group, np.nan)[ids]  # id -1 (no group) → NaN
    prior = np.full(own.shape, np.nan if spec.prior is None else spec.prior)
    bound = np.where(
        np.isfinite(own), own, np.where(np.isfinite(pooled), pooled, prior)
    )
    counts = _Counts(own, pooled, prior)
    return (bound if spec.seasonal else bound[0]), counts


def _typical_spacing(timestamps: tuple[dt.datetime, ...]) -> dt.timedelta | None:
    """Median gap between consecutive periods; ``None`` for a single period."""
    if len(timestamps) < 2:
        return None
    gaps = sorted(b - a for a, b in itertools.pairwise(timestamps))
    middle = len(gaps) // 2
    if len(gaps) % 2:
        return gaps[middle]
    return (gaps[middle - 1] + gaps[middle]) / 2


def _fit_set(  # noqa: PLR0913  the parts of one calibration
    inputs: _Inputs,
    *,
    version: str,
    stop: int,
    window: int | None,
    fitted_through: dt.datetime,
    valid_from: dt.datetime,
) -> ThresholdSet:
    """Fit every spec on periods ``[stop - window, stop)`` and build the set."""
    panel = inputs.panel
    start = 0 if window is None else max(0, stop - window)
    stamps = panel.timestamps[start:stop]
    excluded = None if inputs.excluded is None else inputs.excluded[start:stop]
    n_excluded = 0 if excluded is None else int(excluded.sum())
    every = [np.ones(len(stamps), dtype=bool)]
    weekdays: list[BoolArray] | None = None
    if any(spec.seasonal for spec, _ in inputs.specs):
        day = np.fromiter(
            (s.weekday() for s in stamps), dtype=np.intp, count=len(stamps)
        )
        weekdays = [day == d for d in range(_WEEKDAYS)]
    bounds: dict[str, FloatArray] = {}
    notes: dict[str, str] = {}
    for spec, column in inputs.specs:
        history = panel.values[start:stop, :, column]
        if excluded is not None:
            history = np.where(excluded, np.nan, history)
        blocks = weekdays if spec.seasonal and weekdays is not None else every
        bound, counts = _fit_bound(spec, history, blocks, inputs.groups)
        bounds[spec.name] = bound
        notes[spec.name] = _note(spec, stamps, n_excluded, counts)
    return ThresholdSet(
        version=version,
        fitted_through=fitted_through,
        valid_from=valid_from,
        entities=panel.entities,
        bounds=bounds,
        notes=notes,
    )


def _note(
    spec: BoundSpec,
    stamps: tuple[dt.datetime, ...],
    n_excluded: int,
    counts: _Counts,
) -> str:
    unit = "entity-weekday cell" if spec.seasonal else "entity"
    units = "entity-weekday cells" if spec.seasonal else "entities"
    seasonal = ", per weekday" if spec.seasonal else ""
    return (
        f"{spec.method.describe()} of {spec.metric}{seasonal}; "
        f"window {stamps[0].isoformat()} to {stamps[-1].isoformat()} "
        f"({len(stamps)} periods, {n_excluded} entity-periods excluded); "
        f"min_history {spec.min_history} ({spec.required} non-missing points per "
        f"{unit}); {units}: {counts.fitted} fitted, {counts.from_group} from group, "
        f"{counts.from_prior} from prior, {counts.missing} without bound"
    )


def calibrate(  # noqa: PLR0913  every knob of a calibration is a keyword
    panel: Panel,
    specs: Iterable[BoundSpec],
    *,
    version: str,
    fitted_through: dt.datetime | None = None,
    valid_from: dt.datetime | None = None,
    window: int | None = None,
    exclude: npt.ArrayLike | Iterable[tuple[dt.datetime, dt.datetime]] | None = None,
    groups: Mapping[str, str] | None = None,
) -> ThresholdSet:
    """Fit a versioned threshold set from history (book §3 合理範圍).

    Parameters
    ----------
    panel
        The KPI history.
    specs
        One `BoundSpec` per bound to fit (unique names).
    version
        The set's version, e.g. ``"2026-Q2"``; alerts quote it.
    fitted_through
        Use only periods with a timestamp at or before this moment; by
        default the panel's last timestamp. The set's ``fitted_through`` is
        the last period actually used (the latest timestamp not after it).
    valid_from
        When the set starts to apply; after ``fitted_through``. By default
        the first panel timestamp after ``fitted_through``, or, when there is
        none, ``fitted_through`` plus the panel's typical (median) spacing.
    window
        Use only the last ``window`` periods up to ``fitted_through``
        (``None``: all of them).
    exclude
        Known crisis, promotion or holiday periods to leave out (their
        values count as missing): a boolean mask of shape ``(T, E)`` aligned
        with the panel (``True`` = leave out), or an iterable of half-open
        ``(start, end)`` aware-datetime windows applying to every entity.
    groups
        Entity → group name (e.g. its category) for the group fallback of
        `BoundSpec`; entities not in it have no group, keys that are
        not panel entities are ignored.

    Returns
    -------
    ThresholdSet
        One bound per spec (shape ``(E,)``, or ``(7, E)`` when seasonal), NaN
        where an entity got no bound; ``notes[name]`` records the method, the
        window's first and last timestamps and how many entities were fitted,
        fell back to their group or the prior, or got no bound.

    Raises
    ------
    InvalidTypeError, NaiveDatetimeError, ValidationError
        For a bad argument; the message names it (e.g. ``fitted_through``
        before the first period, ``window`` ≤ 0, an ``exclude`` mask of the
        wrong shape, a ``valid_from`` not after ``fitted_through``).
    UnknownKeyError
        If a spec's metric is not in the panel (with suggestions).
    DuplicateKeyError
        If two specs share a name.
    """
    check_str(version, "version")
    if fitted_through is not None:
        check_aware(fitted_through, "fitted_through")
    if valid_from is not None:
        check_aware(valid_from, "valid_from")
    size = _check_window(window)
    inputs = _Inputs(panel, specs, exclude, groups)
    stamps = inputs.panel.timestamps
    requested = stamps[-1] if fitted_through is None else fitted_through
    if requested < stamps[0]:
        raise ValidationError(
            "fitted_through",
            requested,
            f"at or after the panel's first timestamp ({stamps[0].isoformat()})",
        )
    stop = bisect.bisect_right(stamps, requested)
    if valid_from is None:
        if stop < len(stamps):
            valid_from = stamps[stop]
        else:
            spacing = _typical_spacing(stamps)
            if spacing is None:
                raise ValidationError(
                    "valid_from",
                    None,
                    "a datetime: the panel has a single period, so there is no "
                    "typical spacing to derive it from",
                )
            valid_from = requested + spacing
    if valid_from <= requested:
        raise ValidationError(
            "valid_from",
            valid_from,
            f"a moment after fitted_through ({requested.isoformat()})",
        )
    return _fit_set(
        inputs,
        version=version,
        stop=stop,
        window=size,
        fitted_through=stamps[stop - 1],
        valid_from=valid_from,
    )


def recalibrate(  # noqa: PLR0913  the knobs of calibrate plus the schedule
    panel: Panel,
    specs: Iterable[BoundSpec],
    schedule: Recurrence,
    *,
    window: int | None,
    version_prefix: str = "v",
    exclude: npt.ArrayLike | Iterable[tuple[dt.datetime, dt.datetime]] | None = None,
    groups: Mapping[str, str] | None = None,
) -> tuple[ThresholdSet, ...]:
    """Re-calibrate at every scheduled date (book §3 定期調整觸發點).

    At each occurrence ``d`` of ``schedule`` after the panel's first timestamp
    and not after its last, a new version is fitted on the periods strictly
    before ``d`` (``fitted_through`` = the last of them), valid from ``d``,
    named ``f"{version_prefix}{d.date().isoformat()}"`` (the date in ``d``'s
    own offset). Pass all the sets to
    `evaluate()`: at every period the
    monitor uses the version valid then, so a replay of history never sees a
    bound fitted on its own future.

    Parameters
    ----------
    panel, specs, exclude, groups
        As for `calibrate()`.
    schedule
        When to re-calibrate, e.g. ``Recurrence.quarterly(start)``.
    window
        Periods of history each fit uses (a rolling window, e.g. 90 daily
        periods); ``None`` uses all earlier history (an expanding window).
    version_prefix
        Text before each version's date.

    Returns
    -------
    tuple of ThresholdSet
        One set per scheduled date, with increasing ``valid_from``; empty
        when no date falls inside the panel's span.

    Raises
    ------
    InvalidTypeError, ValidationError, UnknownKeyError, DuplicateKeyError
        As for `calibrate()`; ``schedule`` must be a ``Recurrence``.

    Examples
    --------
    Three weeks of daily GMV that steps up by 20 after the first week,
    re-calibrated every Monday on the week before:

    >>> from datetime import datetime, timedelta, timezone
    >>> import numpy as np
    >>> from crisisops import Frequency, Recurrence
    >>> from crisisops.monitoring import BoundSpec, Panel, Quantile, recalibrate
    >>> start = datetime(2026, 3, 2, tzinfo=timezone.utc)  # a Monday
    >>> days = [start + timedelta(days=d) for d in range(21)]
    >>> gmv = 100.0 + np.arange(21) % 7 + 20.0 * (np.arange(21) >= 7)
    >>> panel = Panel.from_metric_arrays(days, ["shop"], {"sales.gmv": gmv[:, None]})
    >>> spec = BoundSpec(
    ...     name="gmv_p5", metric="sales.gmv", method=Quantile(0.05), min_history=7
    ... )
    >>> weekly = Recurrence(frequency=Frequency.WEEKLY, start=start)
    >>> sets = recalibrate(panel, [spec], weekly, window=7)
    >>> [(s.version, s.fitted_through.day, s.valid_from.day) for s in sets]
    [('v2026-03-09', 8, 9), ('v2026-03-16', 15, 16)]
    >>> [s.bound("gmv_p5").round(1).tolist() for s in sets]  # 100 + 0.05·6·1
    [[100.3], [120.3]]
    """
    if not isinstance(schedule, Recurrence):
        raise InvalidTypeError("schedule", schedule, "a Recurrence")
    check_str(version_prefix, "version_prefix", allow_empty=True)
    size = _check_window(window)
    inputs = _Inputs(panel, specs, exclude, groups)
    stamps = inputs.panel.timestamps
    dates = [d for d in schedule.occurrences(stamps[0], stamps[-1]) if d > stamps[0]]
    sets: list[ThresholdSet] = []
    for date in dates:
        stop = bisect.bisect_left(stamps, date)
        sets.append(
            _fit_set(
                inputs,
                version=f"{version_prefix}{date.date().isoformat()}",
                stop=stop,
                window=size,
                fitted_through=stamps[stop - 1],
                valid_from=date,
            )
        )
    return tuple(sets)


# --- back-test --------------------------------------------------------------


def _non_negative(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(name, value, "an int")
    if value < 0:
        raise ValidationError(name, value, "a count of at least 0")


@attrs.frozen(kw_only=True)
class RuleBacktest:
    """How often one rule would have alerted on the replayed history.

    Attributes
    ----------
    rule
        The rule's name.
    episodes
        Breach-alert episodes that fired (no-data alerts are not counted).
    entities_alerted
        Entities with at least one episode.
    alerts_per_entity_per_100_periods
        ``episodes / (entities × periods) × 100``: the alert rate, e.g. 0.5
        means one alert per entity every 200 periods.
    firing_entity_periods
        (entity, period) pairs in which an alert of the rule was firing, from
        its firing period up to, not including, its resolving period.
    firing_share
        ``firing_entity_periods / (entities × periods)``.
    """

    rule: str = attrs.field(validator=is_key())
    episodes: int = attrs.field(validator=_non_negative)
    entities_alerted: int = attrs.field(validator=_non_negative)
    alerts_per_entity_per_100_periods: float = attrs.field(validator=is_finite(low=0.0))
    firing_entity_periods: int = attrs.field(validator=_non_negative)
    firing_share: float = attrs.field(validator=is_finite(low=0.0, high=1.0))


@attrs.frozen(kw_only=True)
class BacktestReport:
    """The alert rate rules would have had on history with a threshold set.

    Attributes
    ----------
    threshold_version
        Version of the threshold set that was replayed.
    replay_version
        Version of the replay copy (``threshold_version + "@backtest"``);
        the events of the replay quote it.
    start
        First replayed period.
    end
        Last replayed period.
    periods
        Number of replayed periods.
    entities
        Number of entities.
    in_sample
        Whether the replay overlaps the set's own fitting history (it starts
        at or before ``fitted_through``): the rates are then an in-sample,
        optimistic estimate of the live alert rate.
    rules
        One `RuleBacktest` per rule, in the rules' order.

    Examples
    --------
    Ten days of GMV for two shops; shop_a slumped on 7 and 8 March. Each
    shop's 20th percentile is its bound (92 for shop_a, 100 for shop_b):

    >>> from datetime import datetime, timedelta, timezone
    >>> import numpy as np
    >>> from crisisops.monitoring import (
    ...     BacktestReport,
    ...     Below,
    ...     BoundSpec,
    ...     Calibrated,
    ...     Panel,
    ...     Quantile,
    ...     Raw,
    ...     RuleBacktest,
    ...     Threshold,
    ...     Tier,
    ...     TriggerRule,
    ...     backtest,
    ...     calibrate,
    ... )
    >>> from crisisops.taxonomy import ResponseLevel
    >>> start = datetime(2026, 3, 2, tzinfo=timezone.utc)
    >>> days = [start + timedelta(days=d) for d in range(10)]
    >>> shop_a = [100, 102, 104, 106, 108, 60, 60, 100, 102, 104]
    >>> gmv = np.column_stack([shop_a, [100] * 10])
    >>> panel = Panel.from_metric_arrays(days, ["shop_a", "shop_b"], {"sales.gmv": gmv})
    >>> spec = BoundSpec(
    ...     name="gmv_p20", metric="sales.gmv", method=Quantile(0.2), min_history=10
    ... )
    >>> fitted = calibrate(panel, [spec], version="v1")
    >>> low = Threshold(signal=Raw("sales.gmv"), predicate=Below(Calibrated("gmv_p20")))
    >>> rule = TriggerRule(
    ...     name="gmv_slump",
    ...     crisis_type="market.demand_shift",
    ...     tiers=[Tier(ResponseLevel.IV, low)],
    ... )
    >>> report = backtest([rule], panel, fitted)

    One episode in 2 × 10 entity-days is 5 alerts per entity per 100 days;
    it fired for 2 of the 20 entity-days:

    >>> report == BacktestReport(
    ...     threshold_version="v1",
    ...     replay_version="v1@backtest",
    ...     start=days[0],
    ...     end=days[-1],
    ...     periods=10,
    ...     entities=2,
    ...     in_sample=True,  # replayed on the history the bounds were fitted on
    ...     rules=[
    ...         RuleBacktest(
    ...             rule="gmv_slump",
    ...             episodes=1,
    ...             entities_alerted=1,
    ...             alerts_per_entity_per_100_periods=5.0,
    ...             firing_entity_periods=2,
    ...             firing_share=0.1,
    ...         )
    ...     ],
    ... )
    True
    """

    threshold_version: str = attrs.field(validator=is_text())
    replay_version: str = attrs.field(validator=is_text())
    start: dt.datetime = attrs.field(validator=is_aware_datetime())
    end: dt.datetime = attrs.field(validator=is_aware_datetime())
    periods: int = attrs.field(validator=_non_negative)
    entities: int = attrs.field(validator=_non_negative)
    in_sample: bool = attrs.field(validator=is_instance(bool, "a bool"))
    rules: tuple[RuleBacktest, ...] = attrs.field(
        converter=to_tuple,
        validator=is_tuple_of(is_instance(RuleBacktest, "a RuleBacktest")),
    )

    def rule(self, name: str) -> RuleBacktest:
        """Return the result for the rule called ``name``.

        Raises
        ------
        UnknownKeyError
            If no rule has that name (with suggestions).
        """
        for result in self.rules:
            if result.rule == name:
                return result
        raise UnknownKeyError("rule", name, [r.rule for r in self.rules])


def replay_threshold_set(
    threshold_set: ThresholdSet, valid_from: dt.datetime
) -> ThresholdSet:
    """Return a copy of ``threshold_set`` usable from ``valid_from`` on, for replays.

    A threshold set is valid only after the history it was fitted on, so a
    monitor would never apply it to that history. A back-test does exactly
    that on purpose: the copy has the same bounds and notes, version
    ``version + "@backtest"``, ``valid_from`` as given and a nominal
    ``fitted_through`` one microsecond earlier. Results obtained with it on
    the fitting history are in-sample estimates.

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> from crisisops.monitoring import ThresholdSet, replay_threshold_set
    >>> march = ThresholdSet(
    ...     version="2026-03",
    ...     fitted_through=datetime(2026, 2, 28, tzinfo=timezone.utc),
    ...     valid_from=datetime(2026, 3, 1, tzinfo=timezone.utc),
    ...     entities=["shop"],
    ...     bounds={"gmv_p5": [90.0]},
    ... )
    >>> replay = replay_threshold_set(march, datetime(2026, 2, 1, tzinfo=timezone.utc))
    >>> replay.version, replay.valid_from.isoformat()
    ('2026-03@backtest', '2026-02-01T00:00:00+00:00')
    >>> replay.fitted_through.isoformat(), replay.bound("gmv_p5").tolist()
    ('2026-01-31T23:59:59.999999+00:00', [90.0])
    """
    if not isinstance(threshold_set, ThresholdSet):
        raise InvalidTypeError("threshold_set", threshold_set, "a ThresholdSet")
    check_aware(valid_from, "valid_from")
    return attrs.evolve(
        threshold_set,
        version=f"{threshold_set.version}{_BACKTEST_SUFFIX}",
        fitted_through=valid_from - _MICROSECOND,
        valid_from=valid_from,
    )


def _micros(stamps: Iterable[dt.datetime]) -> npt.NDArray[np.int64]:
    return np.fromiter(((s - _EPOCH) // _MICROSECOND for s in stamps), dtype=np.int64)


def backtest(
    rules: Iterable[TriggerRule],
    panel: Panel,
    threshold_set: ThresholdSet,
    *,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
) -> BacktestReport:
    """Replay ``rules`` over history: the alert rate they would have had.

    The book asks that trigger points be checked against history before they
    are trusted (數據分析 … 合理範圍); too many alerts and the team stops
    reading them, too few and a crisis slips through. This evaluates the rules
    with `evaluate()` over the periods
    ``start <= t < end`` of ``panel``, using `replay_threshold_set()`
    (the same bounds, valid from the first replayed period), and counts, per
    rule, alert episodes, the alert rate per entity per 100 periods and the
    share of entity-periods spent firing.

    By default the replay covers the calibration history: from the panel's
    first period through ``threshold_set.fitted_through``. Pass ``start`` to
    match a calibration ``window``. Replaying the data the bounds were fitted
    on is an **in-sample** estimate: a 5th-percentile bound breaches about 5 %
    of those periods by construction, and live data usually does somewhat
    worse. Each replay starts cold, so trailing windows of the rules warm up
    again at ``start``.

    Parameters
    ----------
    rules
        The trigger rules to replay.
    panel
        The KPI history.
    threshold_set
        The calibrated bounds the rules' ``Calibrated`` bounds refer to.
    start
        First moment replayed (inclusive); default the panel's start.
    end
        End of the replay (exclusive, as `Panel.slice()`); default just
        after ``threshold_set.fitted_through``, or the panel's end when
        ``start`` is later than that (an out-of-sample replay).

    Raises
    ------
    InvalidTypeError, NaiveDatetimeError, ValidationError
        For a bad argument, or a window that holds no period.
    """
    if isinstance(rules, TriggerRule) or not isinstance(rules, Iterable):
        raise InvalidTypeError("rules", rules, "an iterable of TriggerRule values")
    rule_list = tuple(rules)
    if not isinstance(panel, Panel):
        raise InvalidTypeError("panel", panel, "a Panel")
    if not isinstance(threshold_set, ThresholdSet):
        raise InvalidTypeError("threshold_set", threshold_set, "a ThresholdSet")
    if start is not None:
        check_aware(start, "start")
    start_index = 0 if start is None else bisect.bisect_left(panel.timestamps, start)
    if end is not None:
        check_aware(end, "end")
        end_index = bisect.bisect_left(panel.timestamps, end)
    elif start is not None and start > threshold_set.fitted_through:
        end_index = panel.n_periods  # an out-of-sample replay runs to the end
    else:
        end_index = bisect.bisect_right(panel.timestamps, threshold_set.fitted_through)
    if start is not None and end is not None and end < start:
        raise ValidationError("end", end, f"at or after 'start' ({start.isoformat()})")
    if end_index <= start_index:
        raise ValidationError(
            "start" if start is not None else "end",
            start if start is not None else end,
            "a replay window that holds at least one period of the panel",
        )
    replay = attrs.evolve(
        panel,
        timestamps=panel.timestamps[start_index:end_index],
        values=panel.values[start_index:end_index],
    )
    first = replay.timestamps[0]
    replay_set = replay_threshold_set(threshold_set, first)
    evaluation = evaluate(rule_list, replay, [replay_set])
    results = _rule_rates(rule_list, replay, evaluation.alerts)
    return BacktestReport(
        threshold_version=threshold_set.version,
        replay_version=replay_set.version,
        start=first,
        end=replay.timestamps[-1],
        periods=replay.n_periods,
        entities=replay.n_entities,
        in_sample=first <= threshold_set.fitted_through,
        rules=results,
    )


def _rule_rates(
    rules: tuple[TriggerRule, ...], replay: Panel, alerts: Iterable[Alert]
) -> tuple[RuleBacktest, ...]:
    rule_index = {rule.name: i for i, rule in enumerate(rules)}
    breaches = [a for a in alerts if a.kind is AlertKind.BREACH]
    n_rules = len(rules)
    periods = _micros(replay.timestamps)
    which = np.array([rule_index[a.rule] for a in breaches], dtype=np.intp)
    entity = np.array([replay.entity_index(a.entity) for a in breaches], dtype=np.intp)
    fired = _micros(a.fired_at for a in breaches)
    never = periods[-1] + 1  # still firing at the end of the replay
    resolved = np.fromiter(
        (
            never if a.resolved_at is None else (a.resolved_at - _EPOCH) // _MICROSECOND
            for a in breaches
        ),
        dtype=np.int64,
        count=len(breaches),
    )
    spans = np.searchsorted(periods, resolved, side="left") - np.searchsorted(
        periods, fired, side="left"
    )
    episodes = np.bincount(which, minlength=n_rules)
    firing = np.bincount(which, weights=spans, minlength=n_rules)
    pairs = np.unique(which * replay.n_entities + entity)
    alerted = np.bincount(pairs // replay.n_entities, minlength=n_rules)
    cells = replay.n_entities * replay.n_periods
    return tuple(
        RuleBacktest(
            rule=rule.name,
            episodes=int(episodes[i]),
            entities_alerted=int(alerted[i]),
            alerts_per_entity_per_100_periods=float(episodes[i]) / cells * 100.0,
            firing_entity_periods=int(firing[i]),
            firing_share=float(firing[i]) / cells,
        )
        for i, rule in enumerate(rules)
    )
