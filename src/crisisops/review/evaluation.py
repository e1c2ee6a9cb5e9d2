r"""Before/after KPI evaluation of a crisis (book §6 數據分析和效果評估).

Book §6 (后期復盤與經驗總結, 評估危機處理效果) starts the review from the data:
analyse how the key indicators — sales, visits, conversion (銷售額、用戶訪問量、
轉化率) — moved during the crisis, and compare the data before and after it
(通過對比分析危機前後的數據) to see what the response achieved. This module does
that over a `crisisops.monitoring.Panel`, vectorised over entities (SKUs, shops,
channels) and periods:

* `Windows` – three half-open windows ``[start, end)``: *before* (the
  reference), *during* (the crisis) and *after* (the recovery), in order and
  not overlapping; `Windows.around()` builds them around a `Crisis`
  (*during* runs from the impact start, else the detection, to the
  resolution, else the end) and can snap them to the panel's periods;
* a counterfactual **baseline** — what the KPI would have been without the
  crisis: `TrailingBaseline` (the mean, or median, of the last periods of
  the *before* window carried forward flat) or `SeasonalBaseline` (the
  *before* window's profile per position in a season of ``season`` periods,
  e.g. the weekday profile of daily data, repeated);
* `evaluate_effect()` – per entity: the mean of each window (missing values
  ignored), deltas and percentage changes, the **loss area** (the shortfall
  of the actuals against the baseline, in the metric's bad direction, summed
  over the *during* and *after* periods), the **recovery ratio** (after mean
  / before mean), the **time to recover** to a fraction of the baseline, and
  a two-sided **permutation test** of "the after mean equals the before
  mean", with an explicit ``rng``; `evaluate_effects()` does several metrics.

Conventions (all documented on the functions):

* A period belongs to a window when its timestamp lies in ``[start, end)``
  (as `Panel.slice`). Periods between two windows belong to neither.
* NaN marks a missing value. It is ignored in every mean and sum and left out
  of the permutation test; an entity with no observed value in a window has
  NaN for that window's mean (and a count of 0), and NaN for every result
  that needs it.
* The loss area is in metric units × periods (one period counts 1, whatever
  its length).

Examples
--------
Twelve days of GMV for one shop: four normal days at 100, a three-day crisis,
then five days of recovery.

>>> import datetime as dt
>>> from crisisops.monitoring import Panel
>>> def day(n):
...     return dt.datetime(2026, 5, 1, tzinfo=dt.timezone.utc) + dt.timedelta(days=n)
>>> gmv = [100, 100, 100, 100, 60, 70, 90, 92, 97, 99, 101, 100]
>>> panel = Panel.from_metric_arrays(
...     [day(n) for n in range(12)], ["shop"], {"sales.gmv": [[v] for v in gmv]}
... )
>>> windows = Windows(
...     before=(day(0), day(4)), during=(day(4), day(7)), after=(day(7), day(12))
... )
>>> effect = evaluate_effect(panel, "sales.gmv", windows, rng=2026)
>>> effect.before_mean.tolist(), effect.during_mean.round(2).tolist()
([100.0], [73.33])
>>> effect.after_mean.tolist(), effect.pct_after.round(1).tolist()
([97.8], [-2.2])

The baseline is 100 throughout (the before mean, carried forward). The loss
area is the shortfall below it over the eight days from the crisis on:
40 + 30 + 10 + 8 + 3 + 1 + 0 + 0 = 92 (CNY × days).

>>> effect.loss_area.tolist()
[92.0]

GMV is back at 95 % of the baseline (95) from 9 May on and stays there: one
day after the crisis window closed (8 May, 00:00).

>>> effect.recovered_at[0].date(), effect.time_to_recover
(datetime.date(2026, 5, 9), (datetime.timedelta(days=1),))
>>> effect.totals().loss_area
92.0

Either baseline model is a `Counterfactual`; here both agree, since the
shop sold 100 every day before the crisis:

>>> models: list[Counterfactual] = [TrailingBaseline(), SeasonalBaseline(season=2)]
>>> [
...     evaluate_effect(
...         panel, "sales.gmv", windows, baseline=model, permutations=0
...     ).loss_area.tolist()
...     for model in models
... ]
[[92.0], [92.0]]

The permutation test draws ``permutations`` random relabellings (2000 by
default, at most `MAX_PERMUTATIONS`); the p-value of "after equals before"
is computed with the explicit ``rng``. After the crisis GMV averaged 97.8
against 100 before, a gap the test does not tell from chance:

>>> effect.permutations, MAX_PERMUTATIONS
(2000, 1000000)
>>> round(float(effect.p_value[0]), 3)
0.351
>>> evaluate_effect(
...     panel, "sales.gmv", windows, permutations=MAX_PERMUTATIONS + 1, rng=1
... )
Traceback (most recent call last):
...
crisisops.errors.ValidationError: 'permutations' must be an int in [0, 1000000] (got 1000001)

The two baselines differ when the days before the crisis do. Eight days,
two shops: the first ran a promotion (180) on day 2 of four normal days at
100; the second sells 100 on even days and 60 on odd ones. The crisis takes
days 4 and 5:

>>> shops = {
...     "promo": [100, 100, 180, 100, 70, 80, 100, 100],
...     "rhythm": [100, 60, 100, 60, 80, 40, 100, 60],
... }
>>> eight = Panel.from_metric_arrays(
...     [day(n) for n in range(8)],
...     list(shops),
...     {"sales.gmv": [list(values) for values in zip(*shops.values())]},
... )
>>> short = Windows(
...     before=(day(0), day(4)), during=(day(4), day(6)), after=(day(6), day(8))
... )
>>> def judged(model):
...     effect = evaluate_effect(
...         eight, "sales.gmv", short, baseline=model, permutations=0
...     )
...     return effect.baseline[0].tolist(), effect.loss_area.tolist()

A `TrailingBaseline` carries the pre-crisis level forward flat. Its mean
(120) counts the promotion as normal: 50 + 40 + 20 + 20 lost. The median
shrugs it off (30 + 20); the last two days alone (180 and 100) make it worse:

>>> judged(TrailingBaseline())  # baselines and losses of promo, rhythm
([120.0, 80.0], [130.0, 60.0])
>>> judged(TrailingBaseline(statistic="median"))
([100.0, 80.0], [50.0, 60.0])
>>> judged(TrailingBaseline(periods=2))
([140.0, 80.0], [210.0, 60.0])

For the second shop the flat 80 sees a loss on every odd day, and day 7
(60) stays below 95 % of it: never recovered (-1). A `SeasonalBaseline`
(``season=2``) compares each day with its own position, 100 or 60: the loss
is 20 + 20 and the shop is back on day 6, the first after the crisis:

>>> seasonal = evaluate_effect(
...     eight, "sales.gmv", short, baseline=SeasonalBaseline(season=2), permutations=0
... )
>>> seasonal.baseline[:, 1].tolist(), float(seasonal.loss_area[1])
([100.0, 60.0, 100.0, 60.0], 40.0)
>>> flat = evaluate_effect(eight, "sales.gmv", short, permutations=0)
>>> int(seasonal.recovery_index[1]), int(flat.recovery_index[1])
(2, -1)

References
----------
Good, Phillip. 2005. *Permutation, Parametric, and Bootstrap Tests of
Hypotheses*. 3rd ed. New York: Springer. (Two-sample permutation test of a
difference in means.)
Phipson, Belinda, and Gordon K. Smyth. 2010. "Permutation P-values Should
Never Be Zero." *Statistical Applications in Genetics and Molecular Biology*
9 (1): Article 39. https://doi.org/10.2202/1544-6115.1585. (``(1 + b) / (1 +
m)`` for ``b`` of ``m`` random permutations at least as extreme.)
Brodersen, Kay H., et al. 2015. "Inferring Causal Impact Using Bayesian
Structural Time-Series Models." *Annals of Applied Statistics* 9 (1):
247–74. (The counterfactual-baseline view of an intervention's effect; we
use the simple trailing and seasonal baselines, not a fitted model.)
"""  # noqa: E501  doctest output is one line

from __future__ import annotations

import bisect
import datetime as dt
import enum
import itertools
import math
import operator
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, Literal, TypeAlias

import attrs
import numpy as np
import numpy.typing as npt

from crisisops._random import SeedLike, resolve_rng
from crisisops._time import instant
from crisisops._validation import (
    check_aware,
    check_finite,
    check_key,
    check_unique_texts,
    field_name,
    is_enum,
    is_finite,
    is_instance,
    is_key,
    is_optional,
    to_str_tuple,
    to_tuple,
)
from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.labels import Labels
from crisisops.monitoring import Direction, MetricCatalog, Panel, default_metrics
from crisisops.response import Crisis
from crisisops.review._shared import onset
from crisisops.review.record import Review

__all__ = [
    "MAX_PERMUTATIONS",
    "BaselineStatistic",
    "Counterfactual",
    "EffectTotals",
    "EvaluationWindow",
    "KPIEffect",
    "SeasonalBaseline",
    "TrailingBaseline",
    "Windows",
    "evaluate_effect",
    "evaluate_effects",
]

FloatArray: TypeAlias = npt.NDArray[np.float64]
IntArray: TypeAlias = npt.NDArray[np.int64]
BoolArray: TypeAlias = npt.NDArray[np.bool_]

#: Most permutations `evaluate_effect` accepts for its significance test.
MAX_PERMUTATIONS: Final = 1_000_000
_DEFAULT_PERMUTATIONS: Final = 2000
#: Elements of one ``(permutations, periods, entities)`` block: about 8 MB per
#: array, so a test over thousands of SKUs stays within tens of megabytes.
_BLOCK_ELEMENTS: Final = 1 << 20
#: Relative tolerance (of the entity's largest absolute value) under which two
#: permutation statistics count as tied, so rounding never breaks a true tie.
_TIE_TOLERANCE: Final = 1e-9

_labels = Labels.of


# --- vocabulary -----------------------------------------------------------------


class EvaluationWindow(enum.Enum):
    """The three windows of a before/after evaluation (對比分析危機前後的數據)."""

    BEFORE = "before"
    DURING = "during"
    AFTER = "after"

    @property
    def labels(self) -> Labels:
        """Name of the window in English, 繁體 and 简体."""
        return _WINDOW_LABELS[self]


_WINDOW_LABELS = {
    EvaluationWindow.BEFORE: _labels("Before the crisis", "危機前", "危机前"),
    EvaluationWindow.DURING: _labels("During the crisis", "危機期間", "危机期间"),
    EvaluationWindow.AFTER: _labels("After the crisis", "危機後", "危机后"),
}


class BaselineStatistic(enum.Enum):
    """How a baseline summarises the reference periods: mean or median.

    Examples
    --------
    >>> from crisisops.review.evaluation import BaselineStatistic
    >>> [(s.value, s.labels.zh_hant) for s in BaselineStatistic]
    [('mean', '平均值'), ('median', '中位數')]

    See `TrailingBaseline` for how the two differ on a promotion spike.
    """

    MEAN = "mean"
    MEDIAN = "median"

    @property
    def labels(self) -> Labels:
        """Name of the statistic in English, 繁體 and 简体."""
        return _STATISTIC_LABELS[self]


_STATISTIC_LABELS = {
    BaselineStatistic.MEAN: _labels("Mean", "平均值", "平均值"),
    BaselineStatistic.MEDIAN: _labels("Median", "中位數", "中位数"),
}


def _to_statistic(value: BaselineStatistic | str) -> BaselineStatistic:
    """Accept ``"mean"``/``"median"`` for the enum; pass anything else through."""
    if isinstance(value, str):
        try:
            return BaselineStatistic(value)
        except ValueError:
            return value  # type: ignore[return-value]  # the validator reports it
    return value


# --- windows --------------------------------------------------------------------

Window: TypeAlias = tuple[dt.datetime, dt.datetime]


def _to_window(value: Iterable[dt.datetime]) -> Window:
    """Turn a ``[start, end]`` list into a tuple; pass anything else through."""
    return to_tuple(value)  # the validator checks the shape


def _check_window(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not isinstance(value, tuple) or len(value) != 2:
        raise InvalidTypeError(
            name, value, "a (start, end) pair of timezone-aware datetimes"
        )
    start = check_aware(value[0], f"{name}[0]")
    end = check_aware(value[1], f"{name}[1]")
    if instant(end) <= instant(start):
        raise ValidationError(
            name,
            _text((start, end)),
            "a window [start, end) whose end is after its start",
        )


def _text(window: Window) -> str:
    """Write a window as ``[start, end)`` in ISO 8601, for error messages."""
    return f"[{window[0].isoformat()}, {window[1].isoformat()})"


@attrs.frozen(kw_only=True)
class Windows:
    """The before, during and after windows of a KPI evaluation.

    Each window is half-open, ``[start, end)``: a panel period belongs to it
    when its timestamp is at or after ``start`` and before ``end``. The
    windows are in order and never overlap (``before`` ends at or before
    ``during`` starts, ``during`` ends at or before ``after`` starts); gaps
    between them are allowed, and periods in a gap belong to no window (e.g.
    leave out a lead-in whose data are already disturbed).

    Whether the windows fit a panel is checked when a panel is evaluated
    (`evaluate_effect`): each must hold at least one of its periods and lie
    within the panel, from its first timestamp to one period (the last
    spacing of its timestamps) after its last.

    Attributes
    ----------
    before
        ``(start, end)`` of the reference window before the crisis.
    during
        ``(start, end)`` of the crisis.
    after
        ``(start, end)`` of the recovery window after it.

    Examples
    --------
    A gap of one day between the reference and the crisis:

    >>> import datetime as dt
    >>> def day(n):
    ...     return dt.datetime(2026, 5, n, tzinfo=dt.timezone.utc)
    >>> windows = Windows(
    ...     before=(day(1), day(7)), during=(day(8), day(11)), after=(day(11), day(25))
    ... )
    >>> windows.get(EvaluationWindow.AFTER)[1].date()
    datetime.date(2026, 5, 25)
    >>> Windows(
    ...     before=(day(1), day(9)), during=(day(8), day(11)), after=(day(11), day(25))
    ... )
    Traceback (most recent call last):
    ...
    crisisops.errors.ValidationError: 'during' must be a window starting at or after the end of 'before' (2026-05-09T00:00:00+00:00): windows are in order and do not overlap (got '[2026-05-08T00:00:00+00:00, 2026-05-11T00:00:00+00:00)')
    """  # noqa: E501  doctest output is one line

    before: Window = attrs.field(converter=_to_window, validator=_check_window)
    during: Window = attrs.field(converter=_to_window, validator=_check_window)
    after: Window = attrs.field(converter=_to_window, validator=_check_window)

    def __attrs_post_init__(self) -> None:
        """Check that the windows are in order and do not overlap."""
        if instant(self.during[0]) < instant(self.before[1]):
            raise ValidationError(
                "during",
                _text(self.during),
                f"a window starting at or after the end of 'before' "
                f"({self.before[1].isoformat()}): windows are in order and do not "
                "overlap",
            )
        if instant(self.after[0]) < instant(self.during[1]):
            raise ValidationError(
                "after",
                _text(self.after),
                f"a window starting at or after the end of 'during' "
                f"({self.during[1].isoformat()}): windows are in order and do not "
                "overlap",
            )

    def get(self, window: EvaluationWindow) -> Window:
        """Return the ``(start, end)`` of one window."""
        if not isinstance(window, EvaluationWindow):
            raise InvalidTypeError("window", window, "an EvaluationWindow")
        result: Window = getattr(self, window.value)
        return result

    @classmethod
    def around(
        cls,
        crisis: Crisis | Review,
        *,
        before: dt.timedelta,
        after: dt.timedelta,
        panel: Panel | None = None,
    ) -> Windows:
        """Build the windows around a crisis that has ended, or around its review.

        ``during`` runs from the crisis's onset — its impact start, else its
        detection, else its declaration — to its resolution (else the moment
        it ended: dismissed or merged). ``before`` is the ``before`` span up
        to the start of ``during``; ``after`` the ``after`` span from its
        end. Spans are added on the wall clock of each moment's own zone (14
        days are 14 calendar days). A `crisisops.review.record.Review` gives
        the same windows as its crisis: it keeps the crisis's milestones and
        end.

        With a ``panel``, ``during`` is first snapped outward to whole
        periods: its start to the timestamp of the period the impact began
        in (the last timestamp at or before it), its end to the first
        timestamp at or after the resolution. The period in which the crisis
        began is then not counted in the reference, and a crisis shorter
        than a period still holds one.

        Parameters
        ----------
        crisis
            A crisis with an end (``ended_at`` set): resolved, reviewed,
            dismissed or merged; or the review of one.
        before, after
            Lengths of the reference and recovery windows, > 0.
        panel
            The panel the windows are for, to snap to its periods.

        Raises
        ------
        ValidationError
            For a crisis that has not ended, a span that is not positive, or
            (with a panel) a crisis that began before the panel's first period
            or ended after its last one.
        InvalidTypeError
            For arguments of the wrong type.
        """
        if isinstance(crisis, Review):
            key, marks, ended = crisis.crisis, crisis.milestones, crisis.ended_at
        elif isinstance(crisis, Crisis):
            key, marks = crisis.key, crisis.milestones
            if crisis.ended_at is None:
                raise ValidationError(
                    "crisis",
                    crisis.key,
                    "a crisis that has ended (resolved, dismissed or merged); "
                    f"it is {crisis.status.value}",
                )
            ended = crisis.ended_at
        else:
            raise InvalidTypeError("crisis", crisis, "a Crisis or a Review")
        span_before = _check_span(before, "before")
        span_after = _check_span(after, "after")
        if panel is not None and not isinstance(panel, Panel):
            raise InvalidTypeError("panel", panel, "a Panel or None")
        start = onset(marks)
        end = marks.resolved or ended
        if panel is not None:
            start, end = _snap(panel, start, end)
        if instant(end) <= instant(start):
            raise ValidationError(
                "crisis",
                key,
                f"a crisis that lasted: it began {start.isoformat()} and ended "
                f"{end.isoformat()}; pass panel= to snap it to whole periods",
            )
        return cls(
            before=(start - span_before, start),
            during=(start, end),
            after=(end, end + span_after),
        )


def _check_span(value: object, name: str) -> dt.timedelta:
    if not isinstance(value, dt.timedelta):
        raise InvalidTypeError(name, value, "a datetime.timedelta")
    if value <= dt.timedelta(0):
        raise ValidationError(name, value, "a positive duration")
    return value


def _snap(
    panel: Panel, start: dt.datetime, end: dt.datetime
) -> tuple[dt.datetime, dt.datetime]:
    """Widen ``[start, end)`` to the whole periods of ``panel`` it touches."""
    stamps = panel.timestamps
    first = bisect.bisect_right(stamps, start) - 1
    if first < 0:
        where = stamps[0].isoformat() if stamps else "none"
        raise ValidationError(
            "crisis",
            start,
            f"a crisis that began within the panel (its first period: {where})",
        )
    last = bisect.bisect_left(stamps, end)
    if last >= len(stamps):
        raise ValidationError(
            "panel",
            stamps[-1],
            f"a panel with a period at or after the crisis's end "
            f"({end.isoformat()}), so that an 'after' window can follow it",
        )
    return stamps[first], stamps[last]


@attrs.frozen(kw_only=True)
class _Located:
    """Where the windows fall in a panel: ``[low, high)`` period positions."""

    before: tuple[int, int]
    during: tuple[int, int]
    after: tuple[int, int]


def _locate(windows: Windows, panel: Panel) -> _Located:
    """Find the windows' periods in ``panel``; name the window that does not fit."""
    stamps = panel.timestamps
    if len(stamps) < 3:
        raise ValidationError(
            "panel",
            len(stamps),
            "a panel with at least 3 periods (one per window at least)",
        )
    step = instant(stamps[-1]) - instant(stamps[-2])
    covered_end = instant(stamps[-1]) + step
    spans: dict[str, tuple[int, int]] = {}
    for window in EvaluationWindow:
        start, end = windows.get(window)
        name = f"windows.{window.value}"
        if instant(start) < instant(stamps[0]) or instant(end) > covered_end:
            raise ValidationError(
                name,
                _text((start, end)),
                f"a window inside the panel's periods [{stamps[0].isoformat()}, "
                f"{covered_end.astimezone(stamps[-1].tzinfo).isoformat()})",
            )
        low = bisect.bisect_left(stamps, start)
        high = bisect.bisect_left(stamps, end)
        if high <= low:
            raise ValidationError(
                name,
                _text((start, end)),
                "a window holding at least one period of the panel (widen it, or "
                "build the windows with Windows.around(..., panel=panel))",
            )
        spans[window.value] = (low, high)
    return _Located(**spans)


# --- counterfactual baselines ---------------------------------------------------


@attrs.frozen(kw_only=True)
class TrailingBaseline:
    """A flat baseline: the level of the last periods before the crisis.

    The baseline for every *during* and *after* period is the ``statistic``
    (mean or median, missing values ignored) of the last ``periods`` periods
    of the *before* window, per entity — the naive "carry the pre-crisis
    level forward" counterfactual. It suits a KPI without a strong weekly
    rhythm; use `SeasonalBaseline` for one with.

    Attributes
    ----------
    periods
        How many of the last periods of the *before* window to summarise, at
        least 1; ``None`` (the default) takes the whole window. It may not
        exceed the window's length.
    statistic
        `BaselineStatistic.MEAN` (default) or ``MEDIAN``, which shrugs off
        a one-day promotion spike; the strings ``"mean"`` and ``"median"``
        are accepted.

    Examples
    --------
    The module example compares the mean, the median and the last two days
    of a week with a promotion spike.
    """

    periods: int | None = attrs.field(
        default=None,
        validator=is_optional(is_instance(int, "an int >= 1 or None")),
    )
    statistic: BaselineStatistic = attrs.field(
        default=BaselineStatistic.MEAN,
        converter=_to_statistic,
        validator=is_enum(BaselineStatistic),
    )

    def __attrs_post_init__(self) -> None:
        """Check that ``periods`` is positive."""
        if self.periods is not None and self.periods < 1:
            raise ValidationError("periods", self.periods, "an int >= 1 or None")


@attrs.frozen(kw_only=True)
class SeasonalBaseline:
    """A seasonal baseline: the pre-crisis profile over a season, repeated.

    Each panel period has a position in the season: its index in the panel
    modulo ``season``. The baseline for a *during* or *after* period is the
    ``statistic`` of the *before* periods at the same position, per entity
    (missing values ignored). For a daily panel without gaps, ``season=7``
    is the weekday profile: a Saturday is compared with the Saturdays before
    the crisis. Positions are counted in panel periods, not in calendar
    time, so a panel with missing days should hold them as NaN rows.

    Attributes
    ----------
    season
        Length of the season in periods, at least 2 (default 7). The
        *before* window must hold at least one whole season.
    statistic
        `BaselineStatistic.MEAN` (default) or ``MEDIAN``.

    Examples
    --------
    The module example compares a shop that sells 100 on even days and 60 on
    odd ones with its own rhythm (``season=2``) and with a flat baseline.
    """

    season: int = attrs.field(
        default=7, validator=is_instance(int, "an int >= 2 (periods)")
    )
    statistic: BaselineStatistic = attrs.field(
        default=BaselineStatistic.MEAN,
        converter=_to_statistic,
        validator=is_enum(BaselineStatistic),
    )

    def __attrs_post_init__(self) -> None:
        """Check that the season has at least two positions."""
        if self.season < 2:
            raise ValidationError("season", self.season, "an int >= 2 (periods)")


#: A counterfactual baseline model: trailing or seasonal.
Counterfactual: TypeAlias = TrailingBaseline | SeasonalBaseline


# --- nan-aware statistics (axis 0, no warnings) ---------------------------------


def _nan_mean(values: FloatArray) -> tuple[FloatArray, IntArray]:
    """Return the mean over axis 0 ignoring NaN, and the count of values used."""
    observed = ~np.isnan(values)
    count = observed.sum(axis=0, dtype=np.int64)
    total = np.where(observed, values, 0.0).sum(axis=0)
    mean = np.full(total.shape, np.nan)
    np.divide(total, count, out=mean, where=count > 0)
    return mean, count


def _nan_median(values: FloatArray) -> FloatArray:
    """Return the median over axis 0 ignoring NaN (NaN where nothing is observed)."""
    ordered = np.sort(values, axis=0)  # NaN sorts last
    count = (~np.isnan(values)).sum(axis=0)
    low = np.maximum((count - 1) // 2, 0)[np.newaxis]
    high = np.maximum(count // 2, 0)[np.newaxis]
    middle = (
        np.take_along_axis(ordered, low, axis=0)[0]
        + np.take_along_axis(ordered, high, axis=0)[0]
    ) / 2.0
    return np.where(count > 0, middle, np.nan)


def _summarise(values: FloatArray, statistic: BaselineStatistic) -> FloatArray:
    if statistic is BaselineStatistic.MEDIAN:
        return _nan_median(values)
    return _nan_mean(values)[0]


def _baseline(
    model: Counterfactual,
    series: FloatArray,
    located: _Located,
    horizon: IntArray,
) -> FloatArray:
    """Return the ``(H, E)`` baseline for the horizon's period positions."""
    low, high = located.before
    length = high - low
    if isinstance(model, TrailingBaseline):
        periods = length if model.periods is None else model.periods
        level = _summarise(series[high - periods : high], model.statistic)
        flat: FloatArray = np.repeat(level[np.newaxis], len(horizon), axis=0)
        return flat
    season = model.season
    # Pad the before window at the front so that row r of the padded block
    # has position r % season, then fold it into (cycles, season, E).
    offset = low % season
    cycles = -(-(offset + length) // season)
    padded = np.full((cycles * season, series.shape[1]), np.nan)
    padded[offset : offset + length] = series[low:high]
    profile = _summarise(
        padded.reshape(cycles, season, series.shape[1]), model.statistic
    )
    result: FloatArray = profile[horizon % season]
    return result


# --- the permutation test -------------------------------------------------------


def _permutation_p_values(
    before: FloatArray,
    after: FloatArray,
    permutations: int,
    generator: np.random.Generator,
    block_elements: int = _BLOCK_ELEMENTS,
) -> FloatArray:
    """Two-sided permutation p-values of ``mean(after) - mean(before)`` per entity.

    Each column is one entity; NaN values are left out, so each entity's
    test permutes only its observed values, keeping its own group sizes.
    One uniform key per period and permutation is drawn (shape
    ``(permutations, periods)``, in blocks); an entity's permutation is the
    order of the keys of its observed periods, and the first ``n_before`` of
    them form the "before" group. The keys do not depend on the entities,
    so an entity's p-value does not depend on which other entities are
    evaluated, nor on the block size. The p-value is ``(1 + b) / (1 + m)``
    with ``b`` of ``m`` permutations at least as extreme (Phipson & Smyth
    2010); NaN for an entity without an observed value on either side.

    Entities observed in every period share one "before" membership matrix
    per block (the ``n_before`` smallest keys), so their drawn sums are one
    matrix product; the others sort their own keyed periods.
    """
    split = before.shape[0]
    pool = np.concatenate([before, after])
    observed = ~np.isnan(pool)
    center = _nan_mean(pool)[0]
    # Centred values: the statistic is shift-invariant, and sums stay exact.
    values = np.where(observed, pool - np.where(np.isnan(center), 0.0, center), 0.0)
    n_before = observed[:split].sum(axis=0)
    n_after = observed[split:].sum(axis=0)
    testable = (n_before > 0) & (n_after > 0)
    safe_before = np.maximum(n_before, 1)
    safe_after = np.maximum(n_after, 1)
    total = values.sum(axis=0)
    sum_before = values[:split].sum(axis=0)
    statistic = (total - sum_before) / safe_after - sum_before / safe_before
    tolerance = _TIE_TOLERANCE * np.abs(values).max(axis=0, initial=0.0)
    threshold = np.abs(statistic) - tolerance
    periods = pool.shape[0]
    complete = observed.all(axis=0)
    partial = np.flatnonzero(~complete)
    full_values = values[:, complete]
    part_values = values[:, partial]
    part_in_before = np.arange(periods)[:, np.newaxis] < n_before[partial]
    part_unobserved = np.where(observed[:, partial], 0.0, np.inf)
    per_permutation = periods * (1 + len(partial)) + int(complete.sum())
    size = max(1, block_elements // per_permutation)
    drawn_before = np.empty((size, pool.shape[1]))
    extreme = np.zeros(pool.shape[1], dtype=np.int64)
    for done in range(0, permutations, size):  # blocks of permutations
        keys = generator.random((min(size, permutations - done), periods))
        block = drawn_before[: keys.shape[0]]
        if full_values.size:
            chosen = np.argpartition(keys, split - 1, axis=1)[:, :split]
            member = np.zeros(keys.shape)
            np.put_along_axis(member, chosen, 1.0, axis=1)
            block[:, complete] = member @ full_values
        if partial.size:
            order = np.argsort(keys[:, :, np.newaxis] + part_unobserved, axis=1)
            ranked = part_values[order, np.arange(partial.size)]
            block[:, partial] = (ranked * part_in_before).sum(axis=1)
        drawn = (total - block) / safe_after - block / safe_before
        extreme += (np.abs(drawn) >= threshold).sum(axis=0)
    p_values = (1.0 + extreme) / (1.0 + permutations)
    return np.where(testable, p_values, np.nan)


# --- results --------------------------------------------------------------------


def _read_only_floats(value: npt.ArrayLike) -> FloatArray:
    try:
        array = np.array(value, dtype=np.float64, copy=True)
    except (TypeError, ValueError):
        return value  # type: ignore[return-value]  # the validator reports it
    array.setflags(write=False)
    return array


def _read_only_ints(value: npt.ArrayLike) -> IntArray:
    try:
        raw = np.asarray(value)
    except (TypeError, ValueError):
        return value  # type: ignore[return-value]  # the validator reports it
    if raw.dtype.kind not in "iu" and raw.size:
        return value  # type: ignore[return-value]  # the validator reports it
    array = np.array(raw, dtype=np.int64, copy=True)
    array.setflags(write=False)
    return array


def _same_array(left: npt.NDArray[Any], right: npt.NDArray[Any]) -> bool:
    return bool(np.array_equal(left, right, equal_nan=left.dtype.kind == "f"))


def _same_float(left: float, right: float) -> bool:
    return left == right or (math.isnan(left) and math.isnan(right))


def _to_stamps(value: Iterable[dt.datetime]) -> tuple[dt.datetime, ...]:
    return to_tuple(value)


def _check_shape(value: object, name: str, shape: tuple[int, ...], kind: str) -> None:
    if not isinstance(value, np.ndarray) or value.dtype.kind != kind:
        expected = "real numbers" if kind == "f" else "integers"
        raise InvalidTypeError(name, value, f"an array-like of {expected}")
    if value.shape != shape:
        raise ValidationError(name, value.shape, f"an array of shape {shape}")
    if kind == "f" and np.isinf(value).any():
        raise ValidationError(name, "inf", "finite numbers or NaN")


def _is_nan_float(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    """Validate a real number that may be NaN (not infinite)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise InvalidTypeError(field_name(attribute), value, "a real number or NaN")
    if math.isinf(value):
        raise ValidationError(field_name(attribute), value, "a finite number or NaN")


def _ratio(numerator: FloatArray, denominator: FloatArray) -> FloatArray:
    """Divide, NaN where the denominator is 0 or either side is NaN."""
    result = np.full(np.broadcast(numerator, denominator).shape, np.nan)
    np.divide(numerator, denominator, out=result, where=denominator != 0)
    return result


def _frozen(array: FloatArray) -> FloatArray:
    array.setflags(write=False)
    return array


def _offset(moment: dt.datetime) -> dt.timedelta | None:
    return moment.utcoffset()


def _percent(change: float, reference: float) -> float:
    if reference == 0 or math.isnan(reference) or math.isnan(change):
        return math.nan
    return 100.0 * change / abs(reference)


@attrs.frozen(kw_only=True)
class EffectTotals:
    """A KPI's evaluation aggregated across entities: one row of a KPI table.

    Only the *comparable* entities count: those with a before, during and
    after mean and a loss area (every one of them defined), so the totals
    compare like with like. ``how="sum"`` suits additive KPIs (GMV, orders,
    visits: the total per-period level and the total loss); ``how="mean"``
    suits rates and scores (the average entity).

    Attributes
    ----------
    metric
        The metric key.
    how
        ``"sum"`` or ``"mean"`` across entities.
    entities
        The comparable entities that were aggregated, in panel order.
    before_mean, during_mean, after_mean
        Aggregated per-period levels of the three windows; NaN if no entity
        is comparable.
    loss_area
        Aggregated loss area (metric units × periods); NaN if no entity is
        comparable.

    Examples
    --------
    Two shops summed: 200 a day before, 150 during, 190 after.

    >>> from crisisops.review.evaluation import EffectTotals
    >>> totals = EffectTotals(
    ...     metric="sales.gmv",
    ...     how="sum",
    ...     entities=["shop_a", "shop_b"],
    ...     before_mean=200.0,
    ...     during_mean=150.0,
    ...     after_mean=190.0,
    ...     loss_area=120.0,
    ... )
    >>> totals.delta_during, totals.pct_during, totals.pct_after, totals.recovery_ratio
    (-50.0, -25.0, -5.0, 0.95)

    `KPIEffect.totals` builds one from an evaluation.
    """

    metric: str = attrs.field(validator=is_key())
    how: Literal["sum", "mean"] = attrs.field()
    entities: tuple[str, ...] = attrs.field(converter=to_str_tuple)
    before_mean: float = attrs.field(
        validator=_is_nan_float, eq=attrs.cmp_using(eq=_same_float)
    )
    during_mean: float = attrs.field(
        validator=_is_nan_float, eq=attrs.cmp_using(eq=_same_float)
    )
    after_mean: float = attrs.field(
        validator=_is_nan_float, eq=attrs.cmp_using(eq=_same_float)
    )
    loss_area: float = attrs.field(
        validator=_is_nan_float, eq=attrs.cmp_using(eq=_same_float)
    )

    @how.validator
    def _check_how(self, _attribute: object, value: object) -> None:
        if value not in ("sum", "mean"):
            raise ValidationError("how", value, "'sum' or 'mean'")

    def __attrs_post_init__(self) -> None:
        """Check the entity keys (an empty tuple is allowed: none comparable)."""
        if not isinstance(self.entities, tuple):
            raise InvalidTypeError("entities", self.entities, "a tuple of entity keys")
        if self.entities:
            check_unique_texts(self.entities, "entities", "entity")

    @property
    def delta_during(self) -> float:
        """``during_mean - before_mean``."""
        return self.during_mean - self.before_mean

    @property
    def delta_after(self) -> float:
        """``after_mean - before_mean``."""
        return self.after_mean - self.before_mean

    @property
    def pct_during(self) -> float:
        """Percentage change during the crisis, ``100 × delta / |before|``."""
        return _percent(self.delta_during, self.before_mean)

    @property
    def pct_after(self) -> float:
        """Percentage change after the crisis, ``100 × delta / |before|``."""
        return _percent(self.delta_after, self.before_mean)

    @property
    def recovery_ratio(self) -> float:
        """``after_mean / before_mean``; NaN when the before level is 0."""
        if self.before_mean == 0 or math.isnan(self.before_mean):
            return math.nan
        return self.after_mean / self.before_mean


@attrs.frozen(kw_only=True)
class KPIEffect:
    """The before/after effect of a crisis on one KPI, per entity.

    Every array has one value per entity (in ``entities`` order), except
    ``actual`` and ``baseline``, which have one row per *horizon* period:
    the periods of the *during* window followed by those of the *after*
    window (``timestamps``). Arrays are read-only. Build one with
    `evaluate_effect`.

    Attributes
    ----------
    metric
        The metric key, e.g. ``"sales.gmv"``.
    direction
        Which way is good for the metric; orients the loss and the recovery.
    entities
        The entities evaluated, in panel order (or the order asked for).
    windows
        The windows evaluated.
    counterfactual
        The baseline model used (`TrailingBaseline` or `SeasonalBaseline`).
    recovery_fraction
        The fraction of the baseline that counts as recovered, in (0, 1].
    permutations
        Number of random permutations of the significance test (0: none).
    before_mean, during_mean, after_mean
        Mean of each window per entity, missing values ignored; NaN for an
        entity with no observed value in the window.
    before_count, during_count, after_count
        Observed (non-missing) periods per entity in each window.
    timestamps
        The horizon periods: those of *during*, then those of *after*.
    actual
        The observed values over the horizon, shape ``(H, E)``.
    baseline
        The counterfactual over the horizon, shape ``(H, E)``.
    loss_area
        Per entity, the sum over the horizon of the shortfall against the
        baseline in the bad direction — ``max(baseline - actual, 0)`` for a
        higher-is-better metric, ``max(actual - baseline, 0)`` for a
        lower-is-better one — in metric units × periods. Periods where the
        actual or the baseline is missing add nothing; NaN when no horizon
        period has both.
    recovery_index
        Per entity, the position in ``timestamps`` of the first period from
        which every observed value meets the recovery target to the end of
        the horizon: ``actual >= fraction × baseline`` for a
        higher-is-better metric, ``fraction × actual <= baseline`` for a
        lower-is-better one (the baseline / actual ratio is at least
        ``fraction``). ``-1`` when the entity is not back on target by the
        last observed period, or has no period to judge (baseline missing).
        The search covers *during* too, so a KPI already back before the
        crisis was declared over recovers at a *during* period.
    p_value
        Per entity, the two-sided permutation p-value of "the after mean
        equals the before mean" (see `evaluate_effect`); NaN without a test
        (``permutations=0``) or without an observed value on either side.

    Examples
    --------
    Two shops through a two-day crisis; every array has one value per shop,
    ``actual`` and ``baseline`` one row per horizon day:

    >>> import datetime as dt
    >>> from crisisops.monitoring import Panel
    >>> from crisisops.review.evaluation import KPIEffect, Windows, evaluate_effect
    >>> start = dt.datetime(2026, 5, 1, tzinfo=dt.timezone.utc)
    >>> def day(n):
    ...     return start + dt.timedelta(days=n)
    >>> shop_a = [100, 100, 100, 100, 60, 70, 95, 100]
    >>> shop_b = [50, 50, 50, 50, 45, 45, 50, 50]
    >>> panel = Panel.from_metric_arrays(
    ...     [day(n) for n in range(8)],
    ...     ["shop_a", "shop_b"],
    ...     {"sales.gmv": [[a, b] for a, b in zip(shop_a, shop_b)]},
    ... )
    >>> windows = Windows(
    ...     before=(day(0), day(4)), during=(day(4), day(6)), after=(day(6), day(8))
    ... )
    >>> effect = evaluate_effect(panel, "sales.gmv", windows, permutations=0)
    >>> isinstance(effect, KPIEffect), effect.entities, effect.actual.shape
    (True, ('shop_a', 'shop_b'), (4, 2))
    >>> effect.during_mean.tolist(), effect.loss_area.tolist()  # 40 + 30 + 5; 5 + 5
    ([65.0, 45.0], [75.0, 10.0])
    >>> [effect.timestamps[i].date().isoformat() for i in effect.recovery_index]
    ['2026-05-07', '2026-05-07']
    >>> effect.loss_area.flags.writeable  # read-only
    False

    `totals` sums the comparable shops into one `EffectTotals` row:

    >>> totals = effect.totals()
    >>> totals.before_mean, totals.during_mean, totals.loss_area
    (150.0, 110.0, 85.0)
    """

    metric: str = attrs.field(validator=is_key())
    direction: Direction = attrs.field(validator=is_enum(Direction))
    entities: tuple[str, ...] = attrs.field(converter=to_str_tuple)
    windows: Windows = attrs.field(validator=is_instance(Windows, "a Windows"))
    counterfactual: Counterfactual = attrs.field(
        validator=is_instance(
            (TrailingBaseline, SeasonalBaseline),
            "a TrailingBaseline or a SeasonalBaseline",
        )
    )
    recovery_fraction: float = attrs.field(validator=is_finite(low=0.0, high=1.0))
    permutations: int = attrs.field(
        validator=is_instance(int, f"an int in [0, {MAX_PERMUTATIONS}]")
    )
    before_mean: FloatArray = attrs.field(
        converter=_read_only_floats, eq=attrs.cmp_using(eq=_same_array), hash=False
    )
    during_mean: FloatArray = attrs.field(
        converter=_read_only_floats, eq=attrs.cmp_using(eq=_same_array), hash=False
    )
    after_mean: FloatArray = attrs.field(
        converter=_read_only_floats, eq=attrs.cmp_using(eq=_same_array), hash=False
    )
    before_count: IntArray = attrs.field(
        converter=_read_only_ints, eq=attrs.cmp_using(eq=_same_array), hash=False
    )
    during_count: IntArray = attrs.field(
        converter=_read_only_ints, eq=attrs.cmp_using(eq=_same_array), hash=False
    )
    after_count: IntArray = attrs.field(
        converter=_read_only_ints, eq=attrs.cmp_using(eq=_same_array), hash=False
    )
    timestamps: tuple[dt.datetime, ...] = attrs.field(converter=_to_stamps)
    actual: FloatArray = attrs.field(
        converter=_read_only_floats, eq=attrs.cmp_using(eq=_same_array), hash=False
    )
    baseline: FloatArray = attrs.field(
        converter=_read_only_floats, eq=attrs.cmp_using(eq=_same_array), hash=False
    )
    loss_area: FloatArray = attrs.field(
        converter=_read_only_floats, eq=attrs.cmp_using(eq=_same_array), hash=False
    )
    recovery_index: IntArray = attrs.field(
        converter=_read_only_ints, eq=attrs.cmp_using(eq=_same_array), hash=False
    )
    p_value: FloatArray = attrs.field(
        converter=_read_only_floats, eq=attrs.cmp_using(eq=_same_array), hash=False
    )

    def __attrs_post_init__(self) -> None:
        """Check the entities, the horizon and every array's shape."""
        check_unique_texts(self.entities, "entities", "entity")
        if self.recovery_fraction <= 0.0:
            raise ValidationError(
                "recovery_fraction", self.recovery_fraction, "a number in (0, 1]"
            )
        if not 0 <= self.permutations <= MAX_PERMUTATIONS:
            raise ValidationError(
                "permutations",
                self.permutations,
                f"an int in [0, {MAX_PERMUTATIONS}]",
            )
        self._check_horizon()
        n = len(self.entities)
        horizon = (len(self.timestamps), n)
        for name in ("before_mean", "during_mean", "after_mean", "loss_area"):
            _check_shape(getattr(self, name), name, (n,), "f")
        _check_shape(self.p_value, "p_value", (n,), "f")
        for name in ("actual", "baseline"):
            _check_shape(getattr(self, name), name, horizon, "f")
        for name in ("before_count", "during_count", "after_count"):
            _check_shape(getattr(self, name), name, (n,), "i")
        _check_shape(self.recovery_index, "recovery_index", (n,), "i")
        if n and (
            self.recovery_index.min() < -1
            or self.recovery_index.max() >= len(self.timestamps)
        ):
            raise ValidationError(
                "recovery_index",
                self.recovery_index.tolist(),
                f"positions in timestamps, [-1, {len(self.timestamps) - 1}]",
            )

    def _check_horizon(self) -> None:
        stamps: Any = self.timestamps
        if not isinstance(stamps, tuple) or not stamps:
            raise InvalidTypeError(
                "timestamps", stamps, "a non-empty tuple of the horizon's periods"
            )
        during_start = instant(self.windows.during[0])
        after_end = instant(self.windows.after[1])
        # Whole-tuple checks at C speed; the loop below only names the culprit.
        if (
            set(map(type, stamps)) <= {dt.datetime}
            and None not in set(map(_offset, stamps))
            and all(map(operator.lt, stamps, stamps[1:]))
            and instant(stamps[0]) >= during_start
            and instant(stamps[-1]) < after_end
        ):
            return
        previous: dt.datetime | None = None
        for index, stamp in enumerate(stamps):
            moment = instant(check_aware(stamp, f"timestamps[{index}]"))
            if (
                moment < during_start
                or moment >= after_end
                or (previous is not None and moment <= previous)
            ):
                raise ValidationError(
                    f"timestamps[{index}]",
                    stamp,
                    "increasing timestamps inside the during and after windows",
                )
            previous = moment

    # --- lookups ---------------------------------------------------------------

    def entity_index(self, key: str) -> int:
        """Return the position of entity ``key`` in every per-entity array.

        Raises
        ------
        UnknownKeyError
            If the entity was not evaluated (with suggestions).
        """
        if not isinstance(key, str):
            raise InvalidTypeError("key", key, "an entity key (str)")
        try:
            return self.entities.index(key)
        except ValueError:
            raise UnknownKeyError("entity", key, self.entities) from None

    def mean(self, window: EvaluationWindow) -> FloatArray:
        """Return the per-entity mean of one window."""
        if not isinstance(window, EvaluationWindow):
            raise InvalidTypeError("window", window, "an EvaluationWindow")
        result: FloatArray = getattr(self, f"{window.value}_mean")
        return result

    @property
    def during_periods(self) -> int:
        """How many of the horizon periods (the first ones) are *during* periods."""
        return bisect.bisect_left(self.timestamps, self.windows.during[1])

    # --- derived arrays --------------------------------------------------------

    @property
    def delta_during(self) -> FloatArray:
        """``during_mean - before_mean`` per entity."""
        return _frozen(self.during_mean - self.before_mean)

    @property
    def delta_after(self) -> FloatArray:
        """``after_mean - before_mean`` per entity."""
        return _frozen(self.after_mean - self.before_mean)

    @property
    def pct_during(self) -> FloatArray:
        """Percentage change during, ``100 × delta / |before|``; NaN if before is 0."""
        return _frozen(100.0 * _ratio(self.delta_during, np.abs(self.before_mean)))

    @property
    def pct_after(self) -> FloatArray:
        """Percentage change after, ``100 × delta / |before|``; NaN if before is 0."""
        return _frozen(100.0 * _ratio(self.delta_after, np.abs(self.before_mean)))

    @property
    def recovery_ratio(self) -> FloatArray:
        """``after_mean / before_mean`` per entity; NaN where the before mean is 0.

        Not oriented: for a lower-is-better metric (negative-review rate) a
        ratio at or below 1 is the good outcome.
        """
        return _frozen(_ratio(self.after_mean, self.before_mean))

    @property
    def shortfall(self) -> FloatArray:
        """The ``(H, E)`` shortfall whose sum over the horizon is ``loss_area``."""
        gap = self.baseline - self.actual
        if self.direction is Direction.LOWER_IS_BETTER:
            gap = -gap
        return _frozen(np.where(np.isnan(gap), 0.0, np.maximum(gap, 0.0)))

    @property
    def loss_during(self) -> FloatArray:
        """The part of ``loss_area`` in the *during* periods, per entity.

        ``loss_during + loss_after == loss_area``; NaN where ``loss_area`` is.
        """
        part = self.shortfall[: self.during_periods].sum(axis=0)
        return _frozen(np.where(np.isnan(self.loss_area), np.nan, part))

    @property
    def loss_after(self) -> FloatArray:
        """The part of ``loss_area`` in the *after* periods, per entity."""
        part = self.shortfall[self.during_periods :].sum(axis=0)
        return _frozen(np.where(np.isnan(self.loss_area), np.nan, part))

    @property
    def periods_to_recover(self) -> FloatArray:
        """Per entity, periods from the first *after* period to the recovery.

        0 means back on target from the first *after* period; negative means
        already back during the crisis; NaN means not recovered (see
        ``recovery_index``).
        """
        index = self.recovery_index.astype(np.float64) - self.during_periods
        return _frozen(np.where(self.recovery_index >= 0, index, np.nan))

    @property
    def recovered_at(self) -> tuple[dt.datetime | None, ...]:
        """Per entity, the timestamp of the recovery period, or ``None``."""
        stamps = self.timestamps
        return tuple(
            stamps[i] if i >= 0 else None for i in self.recovery_index.tolist()
        )

    @property
    def time_to_recover(self) -> tuple[dt.timedelta | None, ...]:
        """Per entity, the time from the end of *during* to the recovery, or ``None``.

        Measured between instants; negative when the KPI was back on target
        before the crisis was declared over.
        """
        end = instant(self.windows.during[1])
        return tuple(
            None if moment is None else instant(moment) - end
            for moment in self.recovered_at
        )

    def totals(self, how: Literal["sum", "mean"] = "sum") -> EffectTotals:
        """Aggregate the comparable entities into one row (see `EffectTotals`).

        Parameters
        ----------
        how
            ``"sum"`` (default; additive KPIs) or ``"mean"`` (rates, scores).

        Raises
        ------
        ValidationError
            For another ``how``.
        """
        if how not in ("sum", "mean"):
            raise ValidationError("how", how, "'sum' or 'mean'")
        stacked = np.stack(
            [self.before_mean, self.during_mean, self.after_mean, self.loss_area]
        )
        comparable = ~np.isnan(stacked).any(axis=0)
        mask: list[bool] = np.atleast_1d(comparable).tolist()
        chosen = stacked[:, comparable]
        if not comparable.any():
            levels = [math.nan] * 4
        elif how == "sum":
            levels = chosen.sum(axis=1).tolist()
        else:
            levels = chosen.mean(axis=1).tolist()
        return EffectTotals(
            metric=self.metric,
            how=how,
            entities=tuple(itertools.compress(self.entities, mask)),
            before_mean=levels[0],
            during_mean=levels[1],
            after_mean=levels[2],
            loss_area=levels[3],
        )


# --- evaluation -----------------------------------------------------------------


def _check_inputs(
    panel: object,
    windows: object,
    baseline: object,
    recovery_fraction: object,
    permutations: object,
) -> tuple[float, int]:
    if not isinstance(panel, Panel):
        raise InvalidTypeError("panel", panel, "a Panel")
    if not isinstance(windows, Windows):
        raise InvalidTypeError("windows", windows, "a Windows")
    if baseline is not None and not isinstance(
        baseline, (TrailingBaseline, SeasonalBaseline)
    ):
        raise InvalidTypeError(
            "baseline", baseline, "a TrailingBaseline, a SeasonalBaseline or None"
        )
    fraction = check_finite(recovery_fraction, "recovery_fraction", low=0.0, high=1.0)
    if fraction <= 0.0:
        raise ValidationError("recovery_fraction", fraction, "a number in (0, 1]")
    if isinstance(permutations, bool) or not isinstance(permutations, int):
        raise InvalidTypeError(
            "permutations", permutations, f"an int in [0, {MAX_PERMUTATIONS}]"
        )
    if not 0 <= permutations <= MAX_PERMUTATIONS:
        raise ValidationError(
            "permutations", permutations, f"an int in [0, {MAX_PERMUTATIONS}]"
        )
    return fraction, permutations


def _direction_of(
    metric: str, direction: object, catalog: object, name: str = "direction"
) -> Direction:
    if catalog is not None and not isinstance(catalog, MetricCatalog):
        raise InvalidTypeError("catalog", catalog, "a MetricCatalog or None")
    if direction is not None:
        if not isinstance(direction, Direction):
            raise InvalidTypeError(name, direction, "a Direction or None")
        return direction
    known = default_metrics() if catalog is None else catalog
    definition = known.get(metric)
    if definition is None:
        raise ValidationError(
            name,
            None,
            f"a Direction: metric {metric!r} is not in the metric catalog, so "
            "say which way is good",
        )
    return definition.direction


def _generator(rng: object, permutations: int) -> np.random.Generator | None:
    """Resolve ``rng``; ``None`` is fine only when no permutation is drawn."""
    if rng is None and permutations == 0:
        return None
    return resolve_rng(rng)  # type: ignore[arg-type]  # resolve_rng checks it


def _recovery_index(
    actual: FloatArray,
    baseline: FloatArray,
    direction: Direction,
    fraction: float,
) -> IntArray:
    judged = ~np.isnan(actual) & ~np.isnan(baseline)
    if direction is Direction.HIGHER_IS_BETTER:
        meets = actual >= fraction * baseline
    else:
        meets = fraction * actual <= baseline
    missed = judged & ~meets
    periods = actual.shape[0]
    last_missed = np.where(
        missed.any(axis=0), periods - 1 - np.argmax(missed[::-1], axis=0), -1
    )
    later = judged & (np.arange(periods)[:, np.newaxis] > last_missed[np.newaxis])
    return np.where(later.any(axis=0), np.argmax(later, axis=0), -1).astype(np.int64)


def evaluate_effect(  # noqa: PLR0913  keyword-only settings with defaults
    panel: Panel,
    metric: str,
    windows: Windows,
    *,
    baseline: Counterfactual | None = None,
    entities: Sequence[str] | None = None,
    direction: Direction | None = None,
    catalog: MetricCatalog | None = None,
    recovery_fraction: float = 0.95,
    permutations: int = _DEFAULT_PERMUTATIONS,
    rng: SeedLike | None = None,
) -> KPIEffect:
    r"""Evaluate a crisis's effect on one KPI, before vs during vs after.

    For every entity (vectorised: no Python loop over entities or periods):

    * the mean of each window, missing values ignored;
    * the counterfactual ``baseline`` over the *during* and *after* periods
      and the **loss area** between it and the actuals (see `KPIEffect`);
    * the **recovery**: the first period from which the KPI stays at or above
      ``recovery_fraction`` of the baseline (oriented by ``direction``);
    * the **significance** of the change: a two-sided permutation test of
      ``mean(after) - mean(before)`` (Good 2005). The before and after
      values of an entity are pooled, shuffled ``permutations`` times and
      split again into groups of the original sizes; the p-value is
      ``(1 + b) / (1 + permutations)`` where ``b`` shuffles give a difference
      at least as large in absolute value (Phipson & Smyth 2010). Missing
      values are left out. The test assumes the periods are exchangeable
      when nothing changed; KPI series are autocorrelated and seasonal, so
      read a small p-value as "the change is larger than the day-to-day
      noise", not as an exact error rate (aggregate to weeks to weaken the
      dependence). With few periods the smallest attainable p-value is
      ``1 / C(n_before + n_after, n_before)``.

    Parameters
    ----------
    panel
        KPI data; the windows must fit its periods (see `Windows`).
    metric
        The metric key to evaluate.
    windows
        The before, during and after windows.
    baseline
        The counterfactual model; default ``TrailingBaseline()`` (the mean of
        the whole *before* window).
    entities
        The entities to evaluate, in that order; default all of the panel's.
    direction
        Which way is good for the metric; default its direction in
        ``catalog``.
    catalog
        Where to look the direction up; default `default_metrics()`.
    recovery_fraction
        Fraction of the baseline that counts as recovered, in (0, 1]
        (default 0.95).
    permutations
        Random permutations for the test, 0 to `MAX_PERMUTATIONS` (default
        2000; 0 skips the test and leaves ``p_value`` NaN). They are drawn in
        blocks of bounded memory.
    rng
        An int seed or a `numpy.random.Generator` for the permutations;
        required unless ``permutations=0``. A seed gives the same p-values on
        every call; an entity's p-value does not depend on the other
        entities evaluated.

    Returns
    -------
    KPIEffect

    Raises
    ------
    InvalidTypeError
        For an argument of the wrong type.
    UnknownKeyError
        For a metric or entity not in the panel (with suggestions).
    ValidationError
        For a window that does not fit the panel (the message names it, e.g.
        ``windows.after``), a repeated entity, a metric without a known
        direction, a baseline longer than the *before* window, a fraction or
        permutation count out of range, or a missing ``rng``.
    """
    fraction, count = _check_inputs(
        panel, windows, baseline, recovery_fraction, permutations
    )
    model: Counterfactual = TrailingBaseline() if baseline is None else baseline
    column = panel.metric_index(metric)
    good = _direction_of(metric, direction, catalog)
    chosen = panel if entities is None else panel.select(entities=_keys(entities))
    generator = _generator(rng, count)
    located = _locate(windows, panel)
    _check_baseline_fits(model, located)
    return _evaluate(
        chosen,
        windows,
        located,
        column=column,
        metric=metric,
        model=model,
        direction=good,
        fraction=fraction,
        permutations=count,
        generator=generator,
    )


def _keys(entities: object) -> tuple[str, ...]:
    keys = to_tuple(entities)  # type: ignore[arg-type]  # checked below
    if not isinstance(keys, tuple):
        raise InvalidTypeError("entities", entities, "a sequence of entity keys")
    if not keys:
        raise ValidationError("entities", keys, "at least one entity key, or None")
    for index, key in enumerate(keys):
        if not isinstance(key, str):
            raise InvalidTypeError(f"entities[{index}]", key, "an entity key (str)")
    return keys


def _evaluate(  # noqa: PLR0913  the checked pieces of one evaluation
    panel: Panel,
    windows: Windows,
    located: _Located,
    *,
    column: int,
    metric: str,
    model: Counterfactual,
    direction: Direction,
    fraction: float,
    permutations: int,
    generator: np.random.Generator | None,
) -> KPIEffect:
    series = panel.values[:, :, column]
    blocks = {
        window: series[slice(*getattr(located, window.value))]
        for window in EvaluationWindow
    }
    means = {window: _nan_mean(block) for window, block in blocks.items()}
    horizon = np.concatenate(
        [np.arange(*located.during), np.arange(*located.after)]
    ).astype(np.int64)
    actual = series[horizon]
    expected = _baseline(model, series, located, horizon)
    gap = expected - actual
    if direction is Direction.LOWER_IS_BETTER:
        gap = -gap
    judged = ~np.isnan(gap)
    loss = np.maximum(np.where(judged, gap, 0.0), 0.0).sum(axis=0)
    loss = np.where(judged.any(axis=0), loss, np.nan)
    if generator is None or permutations == 0:
        p_values = np.full(series.shape[1], np.nan)
    else:
        p_values = _permutation_p_values(
            blocks[EvaluationWindow.BEFORE],
            blocks[EvaluationWindow.AFTER],
            permutations,
            generator,
        )
    stamps = panel.timestamps
    return KPIEffect(
        metric=metric,
        direction=direction,
        entities=panel.entities,
        windows=windows,
        counterfactual=model,
        recovery_fraction=fraction,
        permutations=permutations,
        before_mean=means[EvaluationWindow.BEFORE][0],
        during_mean=means[EvaluationWindow.DURING][0],
        after_mean=means[EvaluationWindow.AFTER][0],
        before_count=means[EvaluationWindow.BEFORE][1],
        during_count=means[EvaluationWindow.DURING][1],
        after_count=means[EvaluationWindow.AFTER][1],
        timestamps=stamps[slice(*located.during)] + stamps[slice(*located.after)],
        actual=actual,
        baseline=expected,
        loss_area=loss,
        recovery_index=_recovery_index(actual, expected, direction, fraction),
        p_value=p_values,
    )


def evaluate_effects(  # noqa: PLR0913  keyword-only settings with defaults
    panel: Panel,
    metrics: Iterable[str],
    windows: Windows,
    *,
    baseline: Counterfactual | None = None,
    entities: Sequence[str] | None = None,
    directions: Mapping[str, Direction] | None = None,
    catalog: MetricCatalog | None = None,
    recovery_fraction: float = 0.95,
    permutations: int = _DEFAULT_PERMUTATIONS,
    rng: SeedLike | None = None,
) -> tuple[KPIEffect, ...]:
    """Evaluate several KPIs over the same windows: a before/after KPI table.

    The same as calling `evaluate_effect` for each metric in order with the
    same arguments (an int ``rng`` seeds each metric alike; a Generator is
    shared and advances), except that everything is checked before anything
    is computed, so a bad metric late in the list leaves a shared Generator
    untouched.

    Parameters
    ----------
    panel, windows, baseline, entities, catalog, recovery_fraction, permutations, rng
        As for `evaluate_effect`.
    metrics
        The metric keys, at least one, no repeats.
    directions
        Which way is good, per metric key; metrics not in it take their
        direction from ``catalog``. Every key must be one of ``metrics``.

    Returns
    -------
    tuple of KPIEffect
        One per metric, in the order given.

    Raises
    ------
    DuplicateKeyError
        For a metric given twice.
    UnknownKeyError
        For a metric not in the panel, or a ``directions`` key not among
        ``metrics``.
    ValidationError, InvalidTypeError
        As for `evaluate_effect`, and for no metric at all.

    Examples
    --------
    GMV and the refund rate of one shop; a refund rate is better low, which
    ``directions`` says, so its loss is the excess over the baseline:

    >>> import datetime as dt
    >>> from crisisops.monitoring import Direction, Panel
    >>> from crisisops.review.evaluation import Windows, evaluate_effects
    >>> start = dt.datetime(2026, 5, 1, tzinfo=dt.timezone.utc)
    >>> def day(n):
    ...     return start + dt.timedelta(days=n)
    >>> gmv = [100, 100, 100, 100, 60, 70, 95, 100]
    >>> refunds = [0.02, 0.02, 0.02, 0.02, 0.08, 0.05, 0.03, 0.02]
    >>> panel = Panel.from_metric_arrays(
    ...     [day(n) for n in range(8)],
    ...     ["shop"],
    ...     {
    ...         "sales.gmv": [[v] for v in gmv],
    ...         "service.refund_rate": [[v] for v in refunds],
    ...     },
    ... )
    >>> windows = Windows(
    ...     before=(day(0), day(4)), during=(day(4), day(6)), after=(day(6), day(8))
    ... )
    >>> effects = evaluate_effects(
    ...     panel,
    ...     ["sales.gmv", "service.refund_rate"],
    ...     windows,
    ...     directions={"service.refund_rate": Direction.LOWER_IS_BETTER},
    ...     permutations=0,
    ... )
    >>> [(e.metric, round(float(e.loss_area[0]), 2)) for e in effects]
    [('sales.gmv', 75.0), ('service.refund_rate', 0.1)]
    >>> [e.direction.value for e in effects]
    ['higher_is_better', 'lower_is_better']
    """
    fraction, count = _check_inputs(
        panel, windows, baseline, recovery_fraction, permutations
    )
    keys: Any = to_tuple(metrics)
    if not isinstance(keys, tuple):
        raise InvalidTypeError("metrics", metrics, "an iterable of metric keys")
    if not keys:
        raise ValidationError("metrics", keys, "at least one metric key")
    for index, key in enumerate(keys):
        check_key(key, f"metrics[{index}]")
    if len(set(keys)) != len(keys):
        raise DuplicateKeyError(
            "metric", next(k for i, k in enumerate(keys) if k in keys[:i])
        )
    given: Mapping[str, Direction] = {} if directions is None else directions
    if not isinstance(given, Mapping):
        raise InvalidTypeError(
            "directions", directions, "a mapping of metric key to Direction"
        )
    for key in given:
        if key not in keys:
            raise UnknownKeyError("metric in directions", key, keys)
    columns = [panel.metric_index(key) for key in keys]
    goods = [
        _direction_of(key, given.get(key), catalog, f"directions[{key!r}]")
        for key in keys
    ]
    model: Counterfactual = TrailingBaseline() if baseline is None else baseline
    chosen = panel if entities is None else panel.select(entities=_keys(entities))
    located = _locate(windows, panel)
    _check_baseline_fits(model, located)
    _generator(rng, count)  # a bad or missing rng fails before any metric
    return tuple(
        _evaluate(
            chosen,
            windows,
            located,
            column=column,
            metric=key,
            model=model,
            direction=good,
            fraction=fraction,
            permutations=count,
            generator=_generator(rng, count),
        )
        for key, column, good in zip(keys, columns, goods, strict=True)
    )


def _check_baseline_fits(model: Counterfactual, located: _Located) -> None:
    """Raise what `_baseline` would raise, before anything is drawn."""
    length = located.before[1] - located.before[0]
    if isinstance(model, TrailingBaseline):
        if model.periods is not None and model.periods > length:
            raise ValidationError(
                "baseline.periods",
                model.periods,
                f"at most the {length} period(s) of the 'before' window",
            )
    elif model.season > length:
        raise ValidationError(
            "baseline.season",
            model.season,
            f"at most the {length} period(s) of the 'before' window (it must "
            "hold a whole season)",
        )
