"""Trigger conditions: what counts as a breach in one period (book §3 觸發點).

A condition looks at one metric for every entity (SKU, shop, channel …) at once
and answers, per entity and per period, *breached*, *not breached* or *unknown*
(missing data, not enough history). Conditions are immutable values; the
monitor compiles them into causal numpy step functions, so the same condition
gives identical results in batch and in streaming evaluation.

Building blocks:

* **signals** turn a metric into a number to judge: `Raw` value,
  `Change` against a baseline (previous value, trailing mean or median,
  the same period k seasons ago), `RollingZScore` (mean/std or robust
  median/MAD), `LevelShift` (median of the last w periods vs the w
  before);
* **predicates** compare the signal with bounds: `Below`,
  `Above`, `Outside`; a bound is a number or
  `Calibrated`, a per-entity bound from a fitted threshold set;
* `Guards` stop low-volume entities firing on noise (book §3: a
  "reasonable range", 合理範圍);
* conditions: `Threshold` (signal + predicate + guards), the SPC charts
  `EWMAChart` and `CUSUMChart`, and the compositions
  `AllOf`, `AnyOf` and `Not` (Kleene three-valued logic).

Every window is causal: a baseline never includes the current period, and
nothing looks at future data.

Examples
--------
The book's kind of trigger point, GMV down more than 30 % day over day, as a
condition. `crisisops.monitoring.monitor.trace` shows its numbers for every
period (one row per day, one column per entity):

>>> from datetime import datetime, timezone
>>> from crisisops.monitoring import Below, Change, Panel, Threshold, trace
>>> days = [datetime(2026, 3, d, tzinfo=timezone.utc) for d in range(1, 6)]
>>> gmv = [[100], [80], [100], [60], [100]]  # one shop, five days
>>> panel = Panel.from_metric_arrays(days, ["shop"], {"sales.gmv": gmv})
>>> fall = Threshold(signal=Change(metric="sales.gmv"), predicate=Below(-0.3))
>>> result = trace(fall, panel)
>>> result.signal[:, 0].round(2).tolist()  # (x - previous) / previous
[nan, -0.2, 0.25, -0.4, 0.67]
>>> result.breach[:, 0].tolist()  # only 4 March fell by more than 30 %
[False, False, False, True, False]
>>> result.known[:, 0].tolist()  # 1 March has no previous day: unknown
[False, True, True, True, True]

`Baseline`, `Signal`, `Predicate`, `Reference` and `Condition` are the
unions of the classes a field of that kind accepts (in plain data a member
names its class under ``"@type"``, see `crisisops.serialization`):

>>> from typing import get_args
>>> from crisisops.monitoring import Baseline, Condition, Predicate, Reference, Signal
>>> [member.__name__ for member in get_args(Baseline)]
['PreviousValue', 'TrailingMean', 'TrailingMedian', 'SeasonalLag']
>>> [member.__name__ for member in get_args(Signal)]
['Raw', 'Change', 'RollingZScore', 'LevelShift']
>>> [member.__name__ for member in get_args(Predicate)]
['Below', 'Above', 'Outside']
>>> [member.__name__ for member in get_args(Reference)]
['FixedReference', 'WarmupReference']
>>> [member.__name__ for member in get_args(Condition)]
['Threshold', 'EWMAChart', 'CUSUMChart', 'AllOf', 'AnyOf', 'Not']

References
----------
Montgomery, Douglas C. 2019. *Introduction to Statistical Quality Control*.
8th ed. Hoboken, NJ: Wiley. (EWMA: λ = 0.2, L = 3; tabular CUSUM: k = 0.5σ,
h = 5σ.)
Page, E. S. 1954. "Continuous Inspection Schemes." *Biometrika* 41 (1/2):
100–115. https://doi.org/10.1093/biomet/41.1-2.100.
Lucas, James M., and Michael S. Saccucci. 1990. "Exponentially Weighted Moving
Average Control Schemes: Properties and Enhancements." *Technometrics* 32 (1):
1–12. https://doi.org/10.1080/00401706.1990.10484583.
"""

from __future__ import annotations

import enum
from typing import Any

import attrs

from crisisops._validation import (
    check_finite,
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

__all__ = [
    "Above",
    "AllOf",
    "AnyOf",
    "Baseline",
    "Below",
    "CUSUMChart",
    "Calibrated",
    "Change",
    "Condition",
    "EWMAChart",
    "FixedReference",
    "Guards",
    "LevelShift",
    "Not",
    "Outside",
    "Predicate",
    "PreviousValue",
    "Raw",
    "Reference",
    "RollingZScore",
    "SeasonalLag",
    "Side",
    "Signal",
    "Threshold",
    "TrailingMean",
    "TrailingMedian",
    "WarmupReference",
]

_MAX_WINDOW = 10_000


def _positive_int(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(name, value, "an int")
    if not 1 <= value <= _MAX_WINDOW:
        raise ValidationError(name, value, f"a whole number from 1 to {_MAX_WINDOW}")


def _check_min_periods(window: int, min_periods: int | None) -> None:
    if min_periods is not None and min_periods > window:
        raise ValidationError(
            "min_periods", min_periods, f"at most the window ({window})"
        )


# --- baselines --------------------------------------------------------------


@attrs.frozen
class PreviousValue:
    """Baseline: the metric's value in the previous period (day-over-day).

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> from crisisops.monitoring import (
    ...     Below,
    ...     Change,
    ...     Panel,
    ...     PreviousValue,
    ...     Threshold,
    ...     trace,
    ... )
    >>> days = [datetime(2026, 3, d, tzinfo=timezone.utc) for d in (1, 2, 3)]
    >>> gmv = [[100], [80], [100]]
    >>> panel = Panel.from_metric_arrays(days, ["shop"], {"sales.gmv": gmv})
    >>> day_over_day = Change(metric="sales.gmv", baseline=PreviousValue())
    >>> result = trace(Threshold(signal=day_over_day, predicate=Below(-0.1)), panel)
    >>> result.baseline[:, 0].tolist()  # yesterday's value; none on day one
    [nan, 100.0, 80.0]
    >>> result.signal[:, 0].tolist()
    [nan, -0.2, 0.25]
    """


@attrs.frozen(kw_only=True)
class _TrailingWindow:
    """Shared shape of the trailing-window baselines: a window and a minimum."""

    window: int = attrs.field(validator=_positive_int)
    min_periods: int | None = attrs.field(
        default=None, validator=is_optional(_positive_int)
    )

    def __attrs_post_init__(self) -> None:
        """Check ``min_periods`` fits in the window."""
        _check_min_periods(self.window, self.min_periods)

    @property
    def required(self) -> int:
        """Fewest non-missing values needed."""
        return self.window if self.min_periods is None else self.min_periods


@attrs.frozen(kw_only=True)
class TrailingMean(_TrailingWindow):
    """Baseline: mean of the ``window`` periods before the current one.

    Attributes
    ----------
    window
        How many past periods (the current one is never included).
    min_periods
        Fewest non-missing values needed; with fewer the baseline is unknown.
        Defaults to the whole window.

    Examples
    --------
    A promotion day (400) inflates the mean of the three days before 4 March,
    so the fall to 60 looks like −70 %; the median (`TrailingMedian`) ignores
    the spike and shows the −40 % it really is:

    >>> from datetime import datetime, timezone
    >>> from crisisops.monitoring import Below, Change, Panel, Threshold, trace
    >>> from crisisops.monitoring import TrailingMean, TrailingMedian
    >>> days = [datetime(2026, 3, d, tzinfo=timezone.utc) for d in (1, 2, 3, 4)]
    >>> gmv = [[100], [400], [100], [60]]
    >>> panel = Panel.from_metric_arrays(days, ["shop"], {"sales.gmv": gmv})
    >>> def traced(baseline):
    ...     signal = Change(metric="sales.gmv", baseline=baseline)
    ...     return trace(Threshold(signal=signal, predicate=Below(-0.3)), panel)
    >>> mean = traced(TrailingMean(window=3))
    >>> mean.baseline[:, 0].tolist()  # (100 + 400 + 100) / 3
    [nan, nan, nan, 200.0]
    >>> mean.signal[:, 0].round(2).tolist()  # (60 - 200) / 200
    [nan, nan, nan, -0.7]
    >>> median = traced(TrailingMedian(window=3))
    >>> median.baseline[:, 0].tolist()  # median of 100, 400, 100
    [nan, nan, nan, 100.0]
    >>> median.signal[:, 0].round(2).tolist()  # (60 - 100) / 100
    [nan, nan, nan, -0.4]
    """


@attrs.frozen(kw_only=True)
class TrailingMedian(_TrailingWindow):
    """Baseline: median of the ``window`` periods before the current one.

    Attributes
    ----------
    window
        How many past periods (the current one is never included).
    min_periods
        Fewest non-missing values needed; defaults to the whole window.

    Examples
    --------
    `TrailingMean`'s example compares the two on a week with a promotion
    spike: the median ignores it.
    """


@attrs.frozen(kw_only=True)
class SeasonalLag:
    """Baseline: the same period ``seasons`` seasons ago (e.g. same weekday).

    With daily data and ``period=7``, ``SeasonalLag(seasons=1)`` compares today
    with the same weekday last week.

    Attributes
    ----------
    period
        Length of one season in periods (7 for weekdays in daily data).
    seasons
        How many seasons back.

    Examples
    --------
    >>> SeasonalLag().lag, SeasonalLag(seasons=2).lag  # same weekday, 1 or 2 weeks
    (7, 14)

    A shop whose days alternate quiet and busy (a season of two periods): each
    day is compared with the same kind of day, so only 5 March's 6 is a fall.

    >>> from datetime import datetime, timezone
    >>> from crisisops.monitoring import (
    ...     Below,
    ...     Change,
    ...     Panel,
    ...     SeasonalLag,
    ...     Threshold,
    ...     trace,
    ... )
    >>> days = [datetime(2026, 3, d, tzinfo=timezone.utc) for d in range(1, 6)]
    >>> gmv = [[10], [50], [12], [55], [6]]
    >>> panel = Panel.from_metric_arrays(days, ["shop"], {"sales.gmv": gmv})
    >>> signal = Change(metric="sales.gmv", baseline=SeasonalLag(period=2))
    >>> result = trace(Threshold(signal=signal, predicate=Below(-0.3)), panel)
    >>> result.baseline[:, 0].tolist()  # the value two periods back
    [nan, nan, 10.0, 50.0, 12.0]
    >>> result.breach[:, 0].tolist()  # 6 vs 12 is -50 %
    [False, False, False, False, True]
    """

    period: int = attrs.field(default=7, validator=_positive_int)
    seasons: int = attrs.field(default=1, validator=_positive_int)

    @property
    def lag(self) -> int:
        """How many periods back the baseline value lies."""
        return self.period * self.seasons


Baseline = PreviousValue | TrailingMean | TrailingMedian | SeasonalLag
_BASELINE_TYPES = (PreviousValue, TrailingMean, TrailingMedian, SeasonalLag)


# --- signals ----------------------------------------------------------------


@attrs.frozen
class Raw:
    """Signal: the metric's value itself.

    Attributes
    ----------
    metric
        The metric key, e.g. ``"sales.gmv"``.

    Examples
    --------
    The value is judged as it is, so no history is needed (always known):

    >>> from datetime import datetime, timezone
    >>> from crisisops.monitoring import Above, Panel, Raw, Threshold, trace
    >>> days = [datetime(2026, 3, d, tzinfo=timezone.utc) for d in (1, 2, 3)]
    >>> refund_rate = [[0.02], [0.09], [0.03]]
    >>> panel = Panel.from_metric_arrays(
    ...     days, ["shop"], {"feedback.refund_rate": refund_rate}
    ... )
    >>> high = Threshold(signal=Raw("feedback.refund_rate"), predicate=Above(0.05))
    >>> result = trace(high, panel)
    >>> result.signal[:, 0].tolist(), result.breach[:, 0].tolist()
    ([0.02, 0.09, 0.03], [False, True, False])
    """

    metric: str = attrs.field(validator=is_key())


@attrs.frozen(kw_only=True)
class Change:
    """Signal: change of the metric against a baseline.

    ``relative=True`` (default) gives ``(x - b) / |b|`` (−0.3 is a 30 % fall);
    ``relative=False`` gives ``x - b`` in the metric's unit. A zero baseline
    makes a relative change unknown.

    Attributes
    ----------
    metric
        The metric key.
    baseline
        `PreviousValue`, `TrailingMean`, `TrailingMedian`
        or `SeasonalLag`.
    relative
        Relative (fraction) or absolute change.

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> from crisisops.monitoring import Below, Change, Panel, Threshold, trace
    >>> days = [datetime(2026, 3, d, tzinfo=timezone.utc) for d in (1, 2, 3)]
    >>> gmv = [[100], [80], [100]]
    >>> panel = Panel.from_metric_arrays(days, ["shop"], {"sales.gmv": gmv})
    >>> def signal(change):
    ...     condition = Threshold(signal=change, predicate=Below(-0.1))
    ...     return trace(condition, panel).signal[:, 0].tolist()
    >>> signal(Change(metric="sales.gmv"))  # relative: -20 %, then +25 %
    [nan, -0.2, 0.25]
    >>> signal(Change(metric="sales.gmv", relative=False))  # in the metric's unit
    [nan, -20.0, 20.0]
    """

    metric: str = attrs.field(validator=is_key())
    baseline: Baseline = attrs.field(
        factory=PreviousValue,
        validator=is_instance(_BASELINE_TYPES, "a baseline (PreviousValue, ...)"),
    )
    relative: bool = attrs.field(default=True, validator=is_instance(bool, "a bool"))


@attrs.frozen(kw_only=True)
class RollingZScore:
    """Signal: z-score of the value against the trailing window.

    ``(x - mean) / std`` over the ``window`` periods before the current one
    (sample std, ddof = 1); with ``robust=True``, ``(x - median) / (1.4826 ·
    MAD)``. A window with zero spread gives an unknown score, never infinity.

    Attributes
    ----------
    metric
        The metric key.
    window
        How many past periods.
    min_periods
        Fewest non-missing values needed (at least 2); defaults to the window.
    robust
        Use median and MAD instead of mean and standard deviation.

    Examples
    --------
    After 10, 12 and 14 (mean 12, std 2), a value of 30 is 9 standard
    deviations out; the robust score uses 1.4826 · MAD = 1.4826 · 2:

    >>> from datetime import datetime, timezone
    >>> from crisisops.monitoring import Above, Panel, RollingZScore, Threshold, trace
    >>> days = [datetime(2026, 3, d, tzinfo=timezone.utc) for d in (1, 2, 3, 4)]
    >>> complaints = [[10], [12], [14], [30]]
    >>> panel = Panel.from_metric_arrays(
    ...     days, ["shop"], {"feedback.complaints": complaints}
    ... )
    >>> def scores(z):
    ...     condition = Threshold(signal=z, predicate=Above(3.0))
    ...     return trace(condition, panel).signal[:, 0].round(2).tolist()
    >>> scores(RollingZScore(metric="feedback.complaints", window=3))
    [nan, nan, nan, 9.0]
    >>> scores(RollingZScore(metric="feedback.complaints", window=3, robust=True))
    [nan, nan, nan, 6.07]
    """

    metric: str = attrs.field(validator=is_key())
    window: int = attrs.field(validator=_positive_int)
    min_periods: int | None = attrs.field(
        default=None, validator=is_optional(_positive_int)
    )
    robust: bool = attrs.field(default=False, validator=is_instance(bool, "a bool"))

    def __attrs_post_init__(self) -> None:
        """Check the window can hold a spread estimate."""
        _check_min_periods(self.window, self.min_periods)
        if self.required < 2:
            raise ValidationError("min_periods", self.required, "at least 2")

    @property
    def required(self) -> int:
        """Fewest non-missing values needed."""
        return self.window if self.min_periods is None else self.min_periods


@attrs.frozen(kw_only=True)
class LevelShift:
    """Signal: causal level shift, median of the last w periods vs the w before.

    At period t the signal is ``median(x[t-w+1 .. t]) - median(x[t-2w+1 ..
    t-w])`` (relative to the older median when ``relative``). It uses only data
    up to t, so a shift is reported when it becomes knowable, never back-dated
    (unlike ADTK's ``LevelShiftAD``, whose right window looks ahead).

    Attributes
    ----------
    metric
        The metric key.
    window
        w, the length of each half.
    min_periods
        Fewest non-missing values needed in each half; defaults to w.
    relative
        Divide by the older median's magnitude.

    Examples
    --------
    Sales step down from 100 to 60 on 4 March. With ``window=2`` the shift
    shows half on 4 March (median of 100 and 60 is 80) and fully on 5 March:

    >>> from datetime import datetime, timezone
    >>> from crisisops.monitoring import Below, LevelShift, Panel, Threshold, trace
    >>> days = [datetime(2026, 3, d, tzinfo=timezone.utc) for d in range(1, 6)]
    >>> gmv = [[100], [100], [100], [60], [60]]
    >>> panel = Panel.from_metric_arrays(days, ["shop"], {"sales.gmv": gmv})
    >>> shift = LevelShift(metric="sales.gmv", window=2)
    >>> result = trace(Threshold(signal=shift, predicate=Below(-0.3)), panel)
    >>> result.signal[:, 0].tolist()
    [nan, nan, nan, -0.2, -0.4]
    >>> result.breach[:, 0].tolist()
    [False, False, False, False, True]
    """

    metric: str = attrs.field(validator=is_key())
    window: int = attrs.field(validator=_positive_int)
    min_periods: int | None = attrs.field(
        default=None, validator=is_optional(_positive_int)
    )
    relative: bool = attrs.field(default=True, validator=is_instance(bool, "a bool"))

    def __attrs_post_init__(self) -> None:
        """Check ``min_periods`` fits in the window."""
        _check_min_periods(self.window, self.min_periods)

    @property
    def required(self) -> int:
        """Fewest non-missing values needed in each half."""
        return self.window if self.min_periods is None else self.min_periods


Signal = Raw | Change | RollingZScore | LevelShift
_SIGNAL_TYPES = (Raw, Change, RollingZScore, LevelShift)


# --- bounds and predicates --------------------------------------------------


@attrs.frozen
class Calibrated:
    """A per-entity bound taken from the active `ThresholdSet`.

    Attributes
    ----------
    name
        Name of the bound in the threshold set, e.g. ``"gmv_p5"``.

    Examples
    --------
    One rule, a bound per shop: 85 is low for shop_a, 25 is fine for shop_b.

    >>> from datetime import datetime, timezone
    >>> from crisisops.monitoring import (
    ...     Below,
    ...     Calibrated,
    ...     Panel,
    ...     Raw,
    ...     Threshold,
    ...     ThresholdSet,
    ...     trace,
    ... )
    >>> day = datetime(2026, 3, 1, tzinfo=timezone.utc)
    >>> p5 = ThresholdSet(
    ...     version="2026-03",
    ...     fitted_through=datetime(2026, 2, 28, tzinfo=timezone.utc),
    ...     valid_from=day,
    ...     entities=["shop_a", "shop_b"],
    ...     bounds={"gmv_p5": [90.0, 20.0]},
    ... )
    >>> panel = Panel.from_metric_arrays(
    ...     [day], ["shop_a", "shop_b"], {"sales.gmv": [[85, 25]]}
    ... )
    >>> low = Threshold(signal=Raw("sales.gmv"), predicate=Below(Calibrated("gmv_p5")))
    >>> result = trace(low, panel, [p5])
    >>> result.bound[0].tolist(), result.breach[0].tolist()
    ([90.0, 20.0], [True, False])
    """

    name: str = attrs.field(validator=is_key())


def _check_bound(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    if isinstance(value, Calibrated):
        return
    check_finite(value, field_name(attribute))


Bound = float | Calibrated


@attrs.frozen
class _OneSided:
    """Shared shape of `Below` and `Above`: one bound, strict or inclusive."""

    bound: Bound = attrs.field(validator=_check_bound)
    inclusive: bool = attrs.field(
        default=False, kw_only=True, validator=is_instance(bool, "a bool")
    )


@attrs.frozen
class Below(_OneSided):
    """Predicate: breached when the signal is below ``bound``.

    Strictly below by default; ``inclusive=True`` also counts the bound itself
    ("a drop of at least 30 %" is ``Below(-0.30, inclusive=True)``).

    Attributes
    ----------
    bound
        A finite number or a `Calibrated` bound.
    inclusive
        Whether a signal equal to the bound counts as a breach.

    Examples
    --------
    GMV falls from 100 to 70, exactly −30 %:

    >>> from datetime import datetime, timezone
    >>> from crisisops.monitoring import Below, Change, Panel, Threshold, trace
    >>> days = [datetime(2026, 3, d, tzinfo=timezone.utc) for d in (1, 2)]
    >>> panel = Panel.from_metric_arrays(days, ["shop"], {"sales.gmv": [[100], [70]]})
    >>> def breached(predicate):
    ...     condition = Threshold(
    ...         signal=Change(metric="sales.gmv"), predicate=predicate
    ...     )
    ...     return bool(trace(condition, panel).breach[1, 0])
    >>> breached(Below(-0.3)), breached(Below(-0.3, inclusive=True))
    (False, True)
    """


@attrs.frozen
class Above(_OneSided):
    """Predicate: breached when the signal is above ``bound``.

    Strictly above by default; ``inclusive=True`` also counts the bound itself.

    Attributes
    ----------
    bound
        A finite number or a `Calibrated` bound.
    inclusive
        Whether a signal equal to the bound counts as a breach.

    Examples
    --------
    Complaints rise from 100 to 130, exactly +30 %:

    >>> from datetime import datetime, timezone
    >>> from crisisops.monitoring import Above, Change, Panel, Threshold, trace
    >>> days = [datetime(2026, 3, d, tzinfo=timezone.utc) for d in (1, 2)]
    >>> values = {"feedback.complaints": [[100], [130]]}
    >>> panel = Panel.from_metric_arrays(days, ["shop"], values)
    >>> def breached(predicate):
    ...     signal = Change(metric="feedback.complaints")
    ...     condition = Threshold(signal=signal, predicate=predicate)
    ...     return bool(trace(condition, panel).breach[1, 0])
    >>> breached(Above(0.3)), breached(Above(0.3, inclusive=True))
    (False, True)
    """


@attrs.frozen
class Outside:
    """Predicate: breached when the signal is below ``low`` or above ``high``.

    Attributes
    ----------
    low
        Lower bound (number or `Calibrated`).
    high
        Upper bound (number or `Calibrated`); at least ``low`` when both
        are numbers.

    Examples
    --------
    The bounds themselves are inside the band:

    >>> from datetime import datetime, timezone
    >>> from crisisops.monitoring import Outside, Panel, Raw, Threshold, trace
    >>> days = [datetime(2026, 3, d, tzinfo=timezone.utc) for d in (1, 2, 3, 4)]
    >>> orders = [[100], [40], [160], [150]]
    >>> panel = Panel.from_metric_arrays(days, ["shop"], {"sales.orders": orders})
    >>> band = Threshold(signal=Raw("sales.orders"), predicate=Outside(50, 150))
    >>> trace(band, panel).breach[:, 0].tolist()
    [False, True, True, False]
    """

    low: Bound = attrs.field(validator=_check_bound)
    high: Bound = attrs.field(validator=_check_bound)

    def __attrs_post_init__(self) -> None:
        """Check the band is not upside down."""
        if (
            isinstance(self.low, (int, float))
            and isinstance(self.high, (int, float))
            and self.low > self.high
        ):
            raise ValidationError("high", self.high, f"at least low ({self.low})")


Predicate = Below | Above | Outside
_PREDICATE_TYPES = (Below, Above, Outside)


@attrs.frozen(kw_only=True)
class Guards:
    """Guards that keep small numbers from firing a rule on noise.

    A guarded entity is judged *not breached* (known), so a low-volume SKU whose
    sales fall from 2 to 1 (−50 %) does not start a crisis.

    Attributes
    ----------
    min_baseline
        The baseline must be at least this large (e.g. 20 orders a day).
    min_abs_change
        The absolute difference between value and baseline must be at least
        this large.

    Examples
    --------
    Both SKUs fall by more than 30 %; only the one selling at least 20 a day
    breaches:

    >>> from datetime import datetime, timezone
    >>> from crisisops.monitoring import Below, Change, Guards, Panel, Threshold, trace
    >>> days = [datetime(2026, 3, d, tzinfo=timezone.utc) for d in (1, 2)]
    >>> orders = [[1000, 2], [600, 1]]  # columns: big, tiny
    >>> panel = Panel.from_metric_arrays(
    ...     days, ["big", "tiny"], {"sales.orders": orders}
    ... )
    >>> guarded = Threshold(
    ...     signal=Change(metric="sales.orders"),
    ...     predicate=Below(-0.3),
    ...     guards=Guards(min_baseline=20),
    ... )
    >>> result = trace(guarded, panel)
    >>> result.signal[1].tolist(), result.breach[1].tolist()
    ([-0.4, -0.5], [True, False])
    """

    min_baseline: float | None = attrs.field(
        default=None, validator=is_optional(is_finite(low=0.0))
    )
    min_abs_change: float | None = attrs.field(
        default=None, validator=is_optional(is_finite(low=0.0))
    )


# --- conditions -------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Threshold:
    """Condition: a signal compared with a predicate, behind optional guards.

    Attributes
    ----------
    signal
        What to judge (`Raw`, `Change`, ...).
    predicate
        `Below`, `Above` or `Outside`.
    guards
        Volume guards; ``Guards()`` means none.

    Examples
    --------
    Conversion rate below 2 %, judged per entity and period:

    >>> from datetime import datetime, timezone
    >>> from crisisops.monitoring import Below, Panel, Raw, Threshold, trace
    >>> days = [datetime(2026, 3, d, tzinfo=timezone.utc) for d in (1, 2)]
    >>> rate = [[0.031, 0.018], [0.015, 0.024]]  # columns: app, web
    >>> panel = Panel.from_metric_arrays(
    ...     days, ["app", "web"], {"sales.conversion_rate": rate}
    ... )
    >>> low = Threshold(signal=Raw("sales.conversion_rate"), predicate=Below(0.02))
    >>> low.metrics
    ('sales.conversion_rate',)
    >>> trace(low, panel).breach.tolist()  # rows are days, columns entities
    [[False, True], [True, False]]
    """

    signal: Signal = attrs.field(
        validator=is_instance(_SIGNAL_TYPES, "a signal (Raw, Change, ...)")
    )
    predicate: Predicate = attrs.field(
        validator=is_instance(_PREDICATE_TYPES, "a predicate (Below, Above, Outside)")
    )
    guards: Guards = attrs.field(
        factory=Guards, validator=is_instance(Guards, "Guards")
    )

    def __attrs_post_init__(self) -> None:
        """Check that guards have a baseline to look at."""
        has_guards = (
            self.guards.min_baseline is not None
            or self.guards.min_abs_change is not None
        )
        if has_guards and isinstance(self.signal, Raw):
            raise ValidationError(
                "guards",
                self.guards,
                "no guards with a Raw signal (guards compare with a baseline; "
                "use Change, RollingZScore or LevelShift)",
            )

    @property
    def metrics(self) -> tuple[str, ...]:
        """The metric keys this condition reads."""
        return (self.signal.metric,)


class Side(enum.Enum):
    """Which departure from the reference a control chart watches.

    Examples
    --------
    GMV runs 2σ below its in-control mean for four days; a chart watching
    the lower side signals, one watching the upper side does not:

    >>> from datetime import datetime, timezone
    >>> from crisisops.monitoring import CUSUMChart, FixedReference, Panel, Side, trace
    >>> days = [datetime(2026, 3, d, tzinfo=timezone.utc) for d in (1, 2, 3, 4)]
    >>> panel = Panel.from_metric_arrays(days, ["shop"], {"sales.gmv": [[80]] * 4})
    >>> def breaches(side):
    ...     chart = CUSUMChart(
    ...         metric="sales.gmv",
    ...         reference=FixedReference(mean=100, sigma=10),
    ...         side=side,
    ...     )
    ...     return trace(chart, panel).breach[:, 0].tolist()
    >>> breaches(Side.LOWER)
    [False, False, False, True]
    >>> breaches(Side.UPPER)
    [False, False, False, False]
    >>> [side.value for side in Side]
    ['lower', 'upper', 'both']
    """

    LOWER = "lower"
    UPPER = "upper"
    BOTH = "both"


@attrs.frozen(kw_only=True)
class FixedReference:
    """In-control mean and standard deviation given as numbers (SPC Phase I done).

    Attributes
    ----------
    mean
        In-control mean μ₀.
    sigma
        In-control standard deviation σ (> 0).

    Examples
    --------
    The chart is judged against the given μ₀ from the first period on:

    >>> from datetime import datetime, timezone
    >>> from crisisops.monitoring import EWMAChart, FixedReference, Panel, trace
    >>> days = [datetime(2026, 3, d, tzinfo=timezone.utc) for d in (1, 2)]
    >>> panel = Panel.from_metric_arrays(days, ["shop"], {"sales.gmv": [[140], [100]]})
    >>> reference = FixedReference(mean=100, sigma=10)
    >>> chart = EWMAChart(metric="sales.gmv", reference=reference, lam=0.5)
    >>> result = trace(chart, panel)
    >>> result.baseline[:, 0].tolist(), result.known[:, 0].tolist()
    ([100.0, 100.0], [True, True])
    """

    mean: float = attrs.field(validator=is_finite())
    sigma: float = attrs.field(validator=is_finite(low=0.0))

    def __attrs_post_init__(self) -> None:
        """Check the spread is positive."""
        if self.sigma <= 0:
            raise ValidationError("sigma", self.sigma, "a positive number")


@attrs.frozen
class WarmupReference:
    """Estimate μ₀ and σ per entity from its first ``periods`` observations.

    The chart's statistic is unknown during warm-up; afterwards μ₀ is the mean
    and σ the sample standard deviation of the warm-up values. Missing values
    do not count towards the warm-up.

    Attributes
    ----------
    periods
        How many non-missing observations the warm-up needs (at least 2).

    Examples
    --------
    Three warm-up days (98, 100, 102: μ₀ = 100, σ = 2), then a jump to 130.
    With λ = 0.2 the first EWMA is 0.2·130 + 0.8·100 = 106 and its limit
    sigma is 2·sqrt(0.2/1.8·(1 − 0.8²)) = 0.4, so the statistic is 6/0.4 = 15:

    >>> from datetime import datetime, timezone
    >>> from crisisops.monitoring import EWMAChart, Panel, WarmupReference, trace
    >>> days = [datetime(2026, 3, d, tzinfo=timezone.utc) for d in (1, 2, 3, 4)]
    >>> gmv = [[98], [100], [102], [130]]
    >>> panel = Panel.from_metric_arrays(days, ["shop"], {"sales.gmv": gmv})
    >>> chart = EWMAChart(metric="sales.gmv", reference=WarmupReference(3))
    >>> result = trace(chart, panel)
    >>> result.known[:, 0].tolist()  # unknown during the warm-up
    [False, False, False, True]
    >>> result.signal[:, 0].round(6).tolist()
    [nan, nan, nan, 15.0]
    """

    periods: int = attrs.field(validator=_positive_int)

    def __attrs_post_init__(self) -> None:
        """Check the warm-up can estimate a spread (two values at least)."""
        if self.periods < 2:
            raise ValidationError("periods", self.periods, "at least 2")


Reference = FixedReference | WarmupReference
_REFERENCE_TYPES = (FixedReference, WarmupReference)


@attrs.frozen(kw_only=True)
class EWMAChart:
    """Condition: an EWMA control chart (exponentially weighted moving average).

    ``z_t = λ·x_t + (1 − λ)·z_{t−1}`` with ``z_0 = μ₀``; breached when z leaves
    ``μ₀ ± L·σ·sqrt(λ/(2 − λ)·[1 − (1 − λ)^{2t}])`` on the watched side. The
    signal reported is ``(z − μ₀) / (σ·sqrt(...))``, in units of the limit's
    sigma, so it is directly comparable with L. Missing values leave z and t
    unchanged.

    Attributes
    ----------
    metric
        The metric key.
    lam
        Smoothing weight λ in (0, 1]; 0.2 by default (Montgomery).
    limit
        L, the width of the control limits in sigmas; 3 by default.
    side
        Which side to watch.
    reference
        Where μ₀ and σ come from.

    Examples
    --------
    μ₀ = 100, σ = 10, λ = 0.5. A day at 140 gives z₁ = 0.5·140 + 0.5·100 =
    120 with limit sigma 10·sqrt(0.5/1.5·(1 − 0.5²)) = 5, a statistic of 4
    (beyond L = 3); back at 100, z₂ = 110 and the statistic falls to 1.79:

    >>> from datetime import datetime, timezone
    >>> from crisisops.monitoring import EWMAChart, FixedReference, Panel, trace
    >>> days = [datetime(2026, 3, d, tzinfo=timezone.utc) for d in (1, 2)]
    >>> panel = Panel.from_metric_arrays(days, ["shop"], {"sales.gmv": [[140], [100]]})
    >>> chart = EWMAChart(
    ...     metric="sales.gmv",
    ...     reference=FixedReference(mean=100, sigma=10),
    ...     lam=0.5,
    ... )
    >>> result = trace(chart, panel)
    >>> result.signal[:, 0].round(2).tolist(), result.breach[:, 0].tolist()
    ([4.0, 1.79], [True, False])
    """

    metric: str = attrs.field(validator=is_key())
    reference: Reference = attrs.field(
        validator=is_instance(_REFERENCE_TYPES, "a FixedReference or WarmupReference")
    )
    lam: float = attrs.field(default=0.2, validator=is_finite(low=0.0, high=1.0))
    limit: float = attrs.field(default=3.0, validator=is_finite(low=0.0))
    side: Side = attrs.field(default=Side.BOTH, validator=is_enum(Side))

    def __attrs_post_init__(self) -> None:
        """λ must be positive and L must be positive."""
        if self.lam <= 0:
            raise ValidationError("lam", self.lam, "a number in (0, 1]")
        if self.limit <= 0:
            raise ValidationError("limit", self.limit, "a positive number")

    @property
    def metrics(self) -> tuple[str, ...]:
        """The metric keys this condition reads."""
        return (self.metric,)


@attrs.frozen(kw_only=True)
class CUSUMChart:
    """Condition: a tabular CUSUM chart (Page 1954).

    ``C⁺_t = max(0, x_t − (μ₀ + K) + C⁺_{t−1})`` and ``C⁻_t = max(0, (μ₀ − K) −
    x_t + C⁻_{t−1})`` with ``K = k·σ`` and ``H = h·σ``; breached when the
    watched sum exceeds H, after which that sum restarts from 0. The signal
    reported is the larger watched sum in units of σ. Missing values leave the
    sums unchanged.

    Attributes
    ----------
    metric
        The metric key.
    k
        Allowance in sigmas; 0.5 by default (tuned to a 1σ shift).
    h
        Decision interval in sigmas; 5 by default.
    side
        Which side to watch.
    reference
        Where μ₀ and σ come from.

    Examples
    --------
    μ₀ = 100, σ = 10, so K = 5 and H = 50. Each day at 120 adds 120 − 105 =
    15 to C⁺: 15, 30, 45, 60 (> 50, breach), then the sum restarts:

    >>> from datetime import datetime, timezone
    >>> from crisisops.monitoring import CUSUMChart, FixedReference, Panel, trace
    >>> days = [datetime(2026, 3, d, tzinfo=timezone.utc) for d in range(1, 6)]
    >>> panel = Panel.from_metric_arrays(days, ["shop"], {"sales.gmv": [[120]] * 5})
    >>> chart = CUSUMChart(
    ...     metric="sales.gmv", reference=FixedReference(mean=100, sigma=10)
    ... )
    >>> result = trace(chart, panel)
    >>> result.signal[:, 0].tolist()  # C⁺ in units of σ
    [1.5, 3.0, 4.5, 6.0, 1.5]
    >>> result.breach[:, 0].tolist()
    [False, False, False, True, False]
    """

    metric: str = attrs.field(validator=is_key())
    reference: Reference = attrs.field(
        validator=is_instance(_REFERENCE_TYPES, "a FixedReference or WarmupReference")
    )
    k: float = attrs.field(default=0.5, validator=is_finite(low=0.0))
    h: float = attrs.field(default=5.0, validator=is_finite(low=0.0))
    side: Side = attrs.field(default=Side.BOTH, validator=is_enum(Side))

    def __attrs_post_init__(self) -> None:
        """H must be positive."""
        if self.h <= 0:
            raise ValidationError("h", self.h, "a positive number")

    @property
    def metrics(self) -> tuple[str, ...]:
        """The metric keys this condition reads."""
        return (self.metric,)


def _check_conditions(instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    is_tuple_of(
        is_instance(_condition_types(), "a condition (Threshold, AllOf, ...)"),
        min_length=1,
    )(instance, attribute, value)


def _check_one(instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    is_instance(_condition_types(), "a condition (Threshold, AllOf, ...)")(
        instance, attribute, value
    )


@attrs.frozen
class _Composite:
    """Shared shape of `AllOf` and `AnyOf`: a tuple of parts."""

    conditions: tuple[Condition, ...] = attrs.field(
        converter=to_tuple, validator=_check_conditions
    )

    @property
    def metrics(self) -> tuple[str, ...]:
        """The metric keys this condition reads."""
        return _union_metrics(self.conditions)


@attrs.frozen
class AllOf(_Composite):
    """Condition: breached when every part is (Kleene AND).

    Unknown parts make the result unknown unless another part is known false.
    Its evidence is the first part's, or, when it fails, the first part known
    false.

    Attributes
    ----------
    conditions
        The parts (at least one).

    Examples
    --------
    Low GMV and low conversion, for three shops: a has both, b has low GMV
    but no conversion data, c has good GMV and no conversion data.

    >>> from datetime import datetime, timezone
    >>> import numpy as np
    >>> from crisisops.monitoring import AllOf, AnyOf, Not
    >>> from crisisops.monitoring import Below, Panel, Raw, Threshold, trace
    >>> day = datetime(2026, 3, 1, tzinfo=timezone.utc)
    >>> values = {
    ...     "sales.gmv": [[40, 40, 90]],
    ...     "sales.conversion_rate": [[0.01, np.nan, np.nan]],
    ... }
    >>> panel = Panel.from_metric_arrays([day], ["a", "b", "c"], values)
    >>> low_gmv = Threshold(signal=Raw("sales.gmv"), predicate=Below(50))
    >>> low_rate = Threshold(signal=Raw("sales.conversion_rate"), predicate=Below(0.02))
    >>> result = trace(AllOf([low_gmv, low_rate]), panel)
    >>> result.breach[0].tolist()
    [True, False, False]
    >>> result.known[0].tolist()  # c is known not breached: its GMV is fine
    [True, False, True]

    With `AnyOf`, b breaches on GMV alone, and c's missing conversion leaves
    the result unknown. `Not` breaches where its part is known not breached;
    unknown stays unknown:

    >>> result = trace(AnyOf([low_gmv, low_rate]), panel)
    >>> result.breach[0].tolist(), result.known[0].tolist()
    ([True, True, False], [True, True, False])
    >>> trace(Not(low_gmv), panel).breach[0].tolist()
    [False, False, True]
    >>> result = trace(Not(low_rate), panel)
    >>> result.breach[0].tolist(), result.known[0].tolist()
    ([False, False, False], [True, False, False])
    """


@attrs.frozen
class AnyOf(_Composite):
    """Condition: breached when any part is (Kleene OR).

    Unknown parts make the result unknown unless another part is known true.
    Its evidence is that of the first part that breached.

    Attributes
    ----------
    conditions
        The parts (at least one).

    Examples
    --------
    The `AllOf` example also combines its two thresholds with `AnyOf`.
    """


@attrs.frozen
class Not:
    """Condition: breached when the part is known not breached.

    Attributes
    ----------
    condition
        The part to negate; unknown stays unknown.

    Examples
    --------
    The `AllOf` example also negates a threshold whose metric is missing for
    two shops: the result stays unknown there.
    """

    condition: Condition = attrs.field(validator=_check_one)

    @property
    def metrics(self) -> tuple[str, ...]:
        """The metric keys this condition reads."""
        return self.condition.metrics


Condition = Threshold | EWMAChart | CUSUMChart | AllOf | AnyOf | Not


def _condition_types() -> tuple[type, ...]:
    return (Threshold, EWMAChart, CUSUMChart, AllOf, AnyOf, Not)


def _union_metrics(conditions: tuple[Condition, ...]) -> tuple[str, ...]:
    seen: dict[str, None] = {}
    for condition in conditions:
        for metric in condition.metrics:
            seen[metric] = None
    return tuple(seen)
