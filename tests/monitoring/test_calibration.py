"""Calibration from history: methods, fallbacks, point in time, back-test, schedule."""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from crisisops._time import Frequency, Recurrence
from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    NaiveDatetimeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.monitoring.calibration import (
    BacktestReport,
    BoundSpec,
    CalibrationMethod,
    IQRFence,
    MeanSigma,
    MedianMAD,
    Quantile,
    RuleBacktest,
    backtest,
    calibrate,
    exclusion_mask,
    recalibrate,
    replay_threshold_set,
)
from crisisops.monitoring.conditions import (
    Above,
    Below,
    Calibrated,
    Raw,
    Side,
    Threshold,
)
from crisisops.monitoring.monitor import EventKind, evaluate
from crisisops.monitoring.panel import Panel
from crisisops.monitoring.rules import Consecutive, Tier, TriggerRule
from crisisops.monitoring.thresholds import ThresholdSet, active_threshold_set
from crisisops.serialization import from_data, to_data
from crisisops.taxonomy import ResponseLevel

FloatArray = npt.NDArray[np.float64]

UTC = dt.timezone.utc
TAIPEI = dt.timezone(dt.timedelta(hours=8))
NAN = float("nan")
DAY = dt.timedelta(days=1)
MONDAY = dt.datetime(2026, 3, 2, tzinfo=UTC)  # 2 March 2026 is a Monday
GMV = "sales.gmv"


def _days(n: int, start: dt.datetime = MONDAY) -> list[dt.datetime]:
    return [start + i * DAY for i in range(n)]


def _panel(
    values: npt.ArrayLike,
    *,
    entities: list[str] | None = None,
    start: dt.datetime = MONDAY,
) -> Panel:
    """A daily GMV panel; ``values`` has shape (T, E) (or (T,) for one entity)."""
    array = np.asarray(values, dtype=np.float64)
    if array.ndim == 1:
        array = array[:, np.newaxis]
    names = entities or [f"shop_{i}" for i in range(array.shape[1])]
    return Panel.from_metric_arrays(_days(array.shape[0], start), names, {GMV: array})


def _spec(
    method: CalibrationMethod,
    *,
    name: str = "bound",
    min_history: int = 1,
    seasonal: bool = False,
    prior: float | None = None,
) -> BoundSpec:
    return BoundSpec(
        name=name,
        metric=GMV,
        method=method,
        min_history=min_history,
        seasonal=seasonal,
        prior=prior,
    )


#: A valid_from after any test panel, for panels that may have one period.
LATER = MONDAY + 1000 * DAY


def _fit_one(method: CalibrationMethod, values: list[float]) -> float:
    """Fit ``method`` on one entity's history and return its bound."""
    fitted = calibrate(_panel(values), [_spec(method)], version="t", valid_from=LATER)
    return float(fitted.bound("bound")[0])


# --- golden values, one per method ------------------------------------------


@pytest.mark.parametrize(
    ("q", "values", "expected"),
    [
        # h = 0.25·(5 − 1) = 1 → x₁ = 2
        (0.25, [1.0, 2.0, 3.0, 4.0, 5.0], 2.0),
        # h = 0.05·(2 − 1) = 0.05 → 10 + 0.05·(20 − 10) = 10.5
        (0.05, [20.0, 10.0], 10.5),
        # h = 0.9·4 = 3.6 → x₃ + 0.6·(x₄ − x₃) = 4 + 0.6 = 4.6
        (0.9, [5.0, 4.0, 3.0, 2.0, 1.0], 4.6),
        # one value: every quantile is that value
        (0.5, [7.0], 7.0),
    ],
)
def test_quantile_golden_values(q: float, values: list[float], expected: float) -> None:
    assert expected == pytest.approx(_fit_one(Quantile(q), values), abs=1e-12)


def test_quantile_skips_missing_values() -> None:
    # NaN is missing: the 0.5 quantile of [1, 3] is 2
    assert 2.0 == _fit_one(Quantile(0.5), [1.0, NAN, 3.0])


@pytest.mark.parametrize(
    ("method", "expected"),
    [
        # [1, 2, 3, 4, 5]: mean 3, squares 4+1+0+1+4 = 10, s² = 10/4 = 2.5
        (MeanSigma(2.0, side=Side.UPPER), 3.0 + 2.0 * math.sqrt(2.5)),
        (MeanSigma(2.0, side=Side.LOWER), 3.0 - 2.0 * math.sqrt(2.5)),
        (MeanSigma(0.0, side=Side.LOWER), 3.0),
        # Q1 = x₁ = 2, Q3 = x₃ = 4, IQR = 2
        (IQRFence(side=Side.UPPER), 4.0 + 3.0 * 2.0),
        (IQRFence(side=Side.LOWER), 2.0 - 3.0 * 2.0),
        (IQRFence(1.5, side=Side.UPPER), 4.0 + 1.5 * 2.0),
    ],
)
def test_mean_sigma_and_iqr_golden_values(
    method: CalibrationMethod, expected: float
) -> None:
    assert expected == pytest.approx(_fit_one(method, [1.0, 2.0, 3.0, 4.0, 5.0]))


@pytest.mark.parametrize(
    ("method", "values", "expected"),
    [
        # median 3, |x − 3| = [2, 1, 0, 1, 97] → MAD 1 → 3 − 3·1.4826·1
        (MedianMAD(3.0, side=Side.LOWER), [1.0, 2.0, 3.0, 4.0, 100.0], -1.4478),
        (MedianMAD(3.0, side=Side.UPPER), [1.0, 2.0, 3.0, 4.0, 100.0], 7.4478),
        # median 2.5, |x − 2.5| = [1.5, .5, .5, 1.5] → MAD 1 → 2.5 + 1·1.4826
        (MedianMAD(1.0, side=Side.UPPER), [1.0, 2.0, 3.0, 4.0], 3.9826),
    ],
)
def test_median_mad_golden_values(
    method: CalibrationMethod, values: list[float], expected: float
) -> None:
    assert expected == pytest.approx(_fit_one(method, values))


def test_mean_sigma_needs_two_values() -> None:
    # a sample standard deviation needs two values, whatever min_history says
    assert math.isnan(_fit_one(MeanSigma(side=Side.LOWER), [5.0]))
    assert 2 == _spec(MeanSigma(side=Side.LOWER), min_history=1).required


def test_robust_methods_resist_a_spike_that_mean_sigma_does_not() -> None:
    values = [10.0, 11.0, 12.0, 11.0, 10.0, 12.0, 11.0, 500.0]
    mean_sigma = _fit_one(MeanSigma(3.0, side=Side.UPPER), values)
    mad = _fit_one(MedianMAD(3.0, side=Side.UPPER), values)
    fence = _fit_one(IQRFence(side=Side.UPPER), values)

    assert mean_sigma > 500.0
    assert mad < 20.0
    assert fence < 20.0


def test_entities_are_fitted_independently() -> None:
    values = [[1.0, 10.0], [2.0, 20.0], [3.0, 30.0], [4.0, 40.0], [5.0, 50.0]]
    fitted = calibrate(_panel(values), [_spec(Quantile(0.25))], version="t")

    assert [2.0, 20.0] == fitted.bound("bound").tolist()


# --- the vectorised fit equals numpy, column by column ----------------------

history_arrays = hnp.arrays(
    np.float64,
    st.tuples(st.integers(1, 30), st.integers(1, 5)),
    elements=st.one_of(
        st.floats(-1e6, 1e6, allow_nan=False),
        st.just(NAN),
    ),
)


def _usable(values: FloatArray, need: int) -> npt.NDArray[np.bool_]:
    return np.asarray((~np.isnan(values)).sum(axis=0) >= need)


@settings(max_examples=150, deadline=None)
@given(history_arrays, st.floats(0.001, 0.999))
def test_quantile_equals_numpy_nanquantile_exactly(
    values: FloatArray, q: float
) -> None:
    fitted = calibrate(
        _panel(values), [_spec(Quantile(q))], version="t", valid_from=LATER
    )
    usable = _usable(values, 1)
    bound = fitted.bound("bound")

    expected = np.nanquantile(values[:, usable], q, axis=0, method="linear")
    assert expected.tolist() == bound[usable].tolist()
    assert np.isnan(bound[~usable]).all()


@settings(max_examples=100, deadline=None)
@given(history_arrays, st.floats(0.0, 5.0), st.sampled_from([Side.LOWER, Side.UPPER]))
def test_other_methods_match_numpy_reference(
    values: FloatArray, k: float, side: Side
) -> None:
    sign = -1.0 if side is Side.LOWER else 1.0
    panel = _panel(values)
    specs = [
        _spec(MeanSigma(k, side=side), name="sigma"),
        _spec(MedianMAD(k, side=side), name="mad"),
        _spec(IQRFence(k, side=side), name="fence"),
    ]
    fitted = calibrate(panel, specs, version="t", valid_from=LATER)
    two = _usable(values, 2)
    one = _usable(values, 1)
    assert np.isnan(fitted.bound("sigma")[~two]).all()
    assert np.isnan(fitted.bound("mad")[~one]).all()
    if not one.any():
        return
    x = values[:, one]
    median = np.nanmedian(x, axis=0)
    mad = np.nanmedian(np.abs(x - median), axis=0)
    q1, q3 = np.nanquantile(x, [0.25, 0.75], axis=0)
    mean = np.nanmean(values[:, two], axis=0)
    std = np.nanstd(values[:, two], axis=0, ddof=1)
    edge = q1 - k * (q3 - q1) if side is Side.LOWER else q3 + k * (q3 - q1)

    np.testing.assert_allclose(
        mean + sign * k * std, fitted.bound("sigma")[two], rtol=1e-9, atol=1e-6
    )
    np.testing.assert_allclose(
        median + sign * k * 1.4826 * mad, fitted.bound("mad")[one], atol=1e-6
    )
    np.testing.assert_allclose(edge, fitted.bound("fence")[one], atol=1e-6)


# --- seasonal (weekday) bounds ----------------------------------------------


def _weekday_values(weeks: int) -> FloatArray:
    """Daily values from a Monday: 10·weekday + week number."""
    day = np.arange(7 * weeks)
    return np.asarray(10.0 * (day % 7) + day // 7, dtype=np.float64)


def test_seasonal_bound_is_fitted_per_weekday() -> None:
    # weekday d, two weeks: values 10·d and 10·d + 1 → mean 10·d + 0.5
    panel = _panel(_weekday_values(2))
    spec = _spec(MeanSigma(0.0, side=Side.UPPER), seasonal=True, min_history=14)
    fitted = calibrate(panel, [spec], version="t")
    bound = fitted.bound("bound")

    assert (7, 1) == bound.shape
    assert [10.0 * d + 0.5 for d in range(7)] == bound[:, 0].tolist()
    assert fitted.is_seasonal("bound")


def test_seasonal_weekday_comes_from_each_timestamps_own_offset() -> None:
    # 01:00 in Taipei on Monday 2 March is still Sunday 1 March in UTC
    start = dt.datetime(2026, 3, 2, 1, 0, tzinfo=TAIPEI)
    panel = _panel(_weekday_values(2), start=start)
    spec = _spec(Quantile(0.5), seasonal=True, min_history=14)
    fitted = calibrate(panel, [spec], version="t")

    assert 0.5 == fitted.bound("bound")[0, 0]  # Monday: values 0 and 1
    monday = fitted.aligned(["shop_0"], start + 7 * DAY)["bound"]
    assert [0.5] == monday.tolist()


def test_seasonal_min_history_is_per_weekday_rounded_up() -> None:
    # min_history 15 → ceil(15 / 7) = 3 values per weekday; two weeks give 2
    spec = _spec(Quantile(0.5), seasonal=True, min_history=15)
    short = calibrate(_panel(_weekday_values(2)), [spec], version="t")
    enough = calibrate(_panel(_weekday_values(3)), [spec], version="t")

    assert 3 == spec.required
    assert np.isnan(short.bound("bound")).all()
    assert [10.0 * d + 1.0 for d in range(7)] == enough.bound("bound")[:, 0].tolist()


def test_seasonal_cells_fall_back_one_by_one() -> None:
    values = _weekday_values(2)
    values[0] = NAN  # Monday has one value left
    spec = _spec(Quantile(0.5), seasonal=True, min_history=14, prior=-1.0)
    fitted = calibrate(_panel(values), [spec], version="t")

    assert -1.0 == fitted.bound("bound")[0, 0]
    assert 10.5 == fitted.bound("bound")[1, 0]
    assert (
        "entity-weekday cells: 6 fitted, 0 from group, 1 from prior"
        in (fitted.notes["bound"])
    )


# --- window and exclusion ---------------------------------------------------


def test_window_uses_only_the_last_periods() -> None:
    panel = _panel(np.arange(1.0, 11.0))  # 1 … 10
    fitted = calibrate(panel, [_spec(Quantile(0.5))], version="t", window=4)

    # median of [7, 8, 9, 10]
    assert [8.5] == fitted.bound("bound").tolist()
    assert (
        f"window {panel.timestamps[6].isoformat()} to "
        f"{panel.timestamps[9].isoformat()} (4 periods" in fitted.notes["bound"]
    )


def test_window_ends_at_fitted_through() -> None:
    panel = _panel(np.arange(1.0, 11.0))
    fitted = calibrate(
        panel,
        [_spec(Quantile(0.5))],
        version="t",
        fitted_through=panel.timestamps[5],
        window=3,
    )

    assert [5.0] == fitted.bound("bound").tolist()  # median of [4, 5, 6]
    assert panel.timestamps[5] == fitted.fitted_through
    assert panel.timestamps[6] == fitted.valid_from


def test_window_longer_than_history_uses_all_of_it() -> None:
    panel = _panel(np.arange(1.0, 6.0))
    fitted = calibrate(panel, [_spec(Quantile(0.5))], version="t", window=100)

    assert [3.0] == fitted.bound("bound").tolist()


def _promotion_panel() -> Panel:
    values = np.array([10.0, 11.0, 12.0, 11.0, 10.0, 90.0, 12.0, 11.0, 10.0, 11.0])
    return _panel(np.column_stack([values, values]))


def test_excluding_a_promotion_spike_lowers_an_upper_bound() -> None:
    panel = _promotion_panel()
    spec = _spec(MeanSigma(3.0, side=Side.UPPER))
    promotion = [(panel.timestamps[5], panel.timestamps[6])]  # [start, end)

    with_spike = calibrate(panel, [spec], version="t")
    without = calibrate(panel, [spec], version="t", exclude=promotion)

    clean = np.array([10.0, 11.0, 12.0, 11.0, 10.0, 12.0, 11.0, 10.0, 11.0])
    expected = clean.mean() + 3.0 * clean.std(ddof=1)
    assert with_spike.bound("bound")[0] > 90.0
    assert expected == pytest.approx(without.bound("bound")[0])
    assert "2 entity-periods excluded" in without.notes["bound"]


def test_exclusion_mask_and_windows_agree() -> None:
    panel = _promotion_panel()
    spec = _spec(Quantile(0.95))
    mask = np.zeros((10, 2), dtype=bool)
    mask[5] = True
    windows = [(panel.timestamps[5], panel.timestamps[6])]

    assert calibrate(panel, [spec], version="t", exclude=mask) == calibrate(
        panel, [spec], version="t", exclude=windows
    )
    assert calibrate(panel, [spec], version="t", exclude=mask.tolist()) == (
        calibrate(panel, [spec], version="t", exclude=windows)
    )


def test_exclusion_mask_can_target_one_entity() -> None:
    panel = _promotion_panel()
    mask = np.zeros((10, 2), dtype=bool)
    mask[5, 1] = True  # only shop_1's promotion is known
    fitted = calibrate(panel, [_spec(Quantile(1 - 1e-9))], version="t", exclude=mask)

    assert 90.0 == pytest.approx(fitted.bound("bound")[0])
    assert 12.0 == pytest.approx(fitted.bound("bound")[1])


def test_empty_exclusion_is_no_exclusion() -> None:
    panel = _promotion_panel()
    spec = _spec(Quantile(0.5))

    assert calibrate(panel, [spec], version="t") == calibrate(
        panel, [spec], version="t", exclude=[]
    )


def test_excluded_points_count_as_missing_for_min_history() -> None:
    panel = _panel(np.arange(1.0, 6.0))
    spec = _spec(Quantile(0.5), min_history=5)
    window = [(panel.timestamps[0], panel.timestamps[1])]

    assert [3.0] == calibrate(panel, [spec], version="t").bound("bound").tolist()
    fitted = calibrate(panel, [spec], version="t", exclude=window)
    assert np.isnan(fitted.bound("bound")).all()


# --- minimum history and fallbacks ------------------------------------------

FALLBACK_ENTITIES = ["a", "b", "c", "d", "e"]


def _fallback_panel() -> Panel:
    """a: 1…4, b: 5…8 (enough history); c, d, e: one value each (too little)."""
    values = np.full((4, 5), NAN)
    values[:, 0] = [1.0, 2.0, 3.0, 4.0]
    values[:, 1] = [5.0, 6.0, 7.0, 8.0]
    values[3, 2:] = 100.0
    return _panel(values, entities=FALLBACK_ENTITIES)


GROUPS = {"a": "tea", "b": "tea", "c": "tea", "e": "coffee", "zz": "unused"}


def test_fallback_to_group_then_prior() -> None:
    spec = _spec(Quantile(0.5), min_history=4, prior=-1.0)
    fitted = calibrate(_fallback_panel(), [spec], version="t", groups=GROUPS)

    # a: median 2.5, b: 6.5; c: pooled tea history [1 … 8] → 4.5;
    # d has no group and e's group has no member with enough history → prior
    assert [2.5, 6.5, 4.5, -1.0, -1.0] == fitted.bound("bound").tolist()
    assert (
        "entities: 2 fitted, 1 from group, 2 from prior, 0 without bound"
        in (fitted.notes["bound"])
    )


def test_fallback_without_prior_leaves_no_bound() -> None:
    spec = _spec(Quantile(0.5), min_history=4)
    fitted = calibrate(_fallback_panel(), [spec], version="t", groups=GROUPS)

    assert [2.5, 6.5, 4.5] == fitted.bound("bound")[:3].tolist()
    assert np.isnan(fitted.bound("bound")[3:]).all()
    assert (
        "entities: 2 fitted, 1 from group, 0 from prior, 2 without bound"
        in (fitted.notes["bound"])
    )


def test_fallback_without_groups_uses_the_prior() -> None:
    spec = _spec(Quantile(0.5), min_history=4, prior=9.0)
    fitted = calibrate(_fallback_panel(), [spec], version="t")

    assert [2.5, 6.5, 9.0, 9.0, 9.0] == fitted.bound("bound").tolist()
    assert (
        "entities: 2 fitted, 0 from group, 3 from prior, 0 without bound"
        in (fitted.notes["bound"])
    )


def test_group_pool_uses_the_groups_method() -> None:
    # pooled tea history [1 … 8]: mean 4.5, s² = 42 / 7 = 6
    spec = _spec(MeanSigma(1.0, side=Side.LOWER), min_history=4)
    fitted = calibrate(_fallback_panel(), [spec], version="t", groups=GROUPS)

    assert 4.5 - math.sqrt(6.0) == pytest.approx(fitted.bound("bound")[2])


def test_entity_with_enough_history_never_falls_back() -> None:
    spec = _spec(Quantile(0.5), min_history=1, prior=-1.0)
    fitted = calibrate(_fallback_panel(), [spec], version="t", groups=GROUPS)

    assert [2.5, 6.5, 100.0, 100.0, 100.0] == fitted.bound("bound").tolist()


# --- notes, version, validity -----------------------------------------------


def test_notes_record_method_window_and_counts() -> None:
    panel = _panel(np.arange(1.0, 6.0))
    fitted = calibrate(
        panel,
        [
            _spec(Quantile(0.05), name="gmv_p5", min_history=5),
            _spec(IQRFence(side=Side.UPPER), name="gmv_high", min_history=6),
        ],
        version="2026-Q1",
    )

    assert {"gmv_p5", "gmv_high"} == set(fitted.notes)
    assert (
        "quantile q=0.05 (linear interpolation) of sales.gmv; "
        "window 2026-03-02T00:00:00+00:00 to 2026-03-06T00:00:00+00:00 "
        "(5 periods, 0 entity-periods excluded); "
        "min_history 5 (5 non-missing points per entity); "
        "entities: 1 fitted, 0 from group, 0 from prior, 0 without bound"
    ) == fitted.notes["gmv_p5"]
    assert fitted.notes["gmv_high"].startswith("Q3 + 3·IQR (IQR fence) of sales.gmv")
    assert fitted.notes["gmv_high"].endswith(
        "entities: 0 fitted, 0 from group, 0 from prior, 1 without bound"
    )
    assert "2026-Q1" == fitted.version
    assert panel.entities == fitted.entities


@pytest.mark.parametrize(
    ("method", "words"),
    [
        (Quantile(0.05), "quantile q=0.05"),
        (MeanSigma(2.0, side=Side.LOWER), "mean - 2·sample std"),
        (MeanSigma(3.0, side=Side.UPPER), "mean + 3·sample std"),
        (MedianMAD(3.0, side=Side.LOWER), "median - 3·1.4826·MAD"),
        (IQRFence(side=Side.LOWER), "Q1 - 3·IQR"),
        (IQRFence(side=Side.UPPER), "Q3 + 3·IQR"),
    ],
)
def test_methods_describe_themselves(method: CalibrationMethod, words: str) -> None:
    assert method.describe().startswith(words)


def test_valid_from_defaults_to_the_next_period() -> None:
    panel = _panel(np.arange(1.0, 6.0))
    fitted = calibrate(
        panel, [_spec(Quantile(0.5))], version="t", fitted_through=panel.timestamps[2]
    )

    assert panel.timestamps[2] == fitted.fitted_through
    assert panel.timestamps[3] == fitted.valid_from
    assert [2.0] == fitted.bound("bound").tolist()  # median of [1, 2, 3]


def test_valid_from_after_the_last_period_adds_the_median_spacing() -> None:
    # gaps of 1, 1 and 3 days: the median gap is 1 day
    stamps = [MONDAY, MONDAY + DAY, MONDAY + 2 * DAY, MONDAY + 5 * DAY]
    panel = Panel.from_metric_arrays(stamps, ["a"], {GMV: [[1.0], [2.0], [3.0], [4.0]]})
    fitted = calibrate(panel, [_spec(Quantile(0.5))], version="t")

    assert stamps[-1] == fitted.fitted_through
    assert stamps[-1] + DAY == fitted.valid_from


def test_fitted_through_between_periods_snaps_to_the_last_period_used() -> None:
    panel = _panel(np.arange(1.0, 6.0))
    moment = panel.timestamps[2] + dt.timedelta(hours=12)
    fitted = calibrate(
        panel, [_spec(Quantile(0.5))], version="t", fitted_through=moment
    )

    assert panel.timestamps[2] == fitted.fitted_through
    assert panel.timestamps[3] == fitted.valid_from


def test_fitted_through_after_the_panel_steps_from_the_requested_moment() -> None:
    panel = _panel(np.arange(1.0, 6.0))
    moment = panel.timestamps[-1] + 10 * DAY
    fitted = calibrate(
        panel, [_spec(Quantile(0.5))], version="t", fitted_through=moment
    )

    assert panel.timestamps[-1] == fitted.fitted_through
    assert moment + DAY == fitted.valid_from


def test_explicit_valid_from_is_kept() -> None:
    panel = _panel(np.arange(1.0, 6.0))
    later = dt.datetime(2026, 4, 1, tzinfo=TAIPEI)
    fitted = calibrate(panel, [_spec(Quantile(0.5))], version="t", valid_from=later)

    assert later == fitted.valid_from


def test_single_period_panel_needs_an_explicit_valid_from() -> None:
    panel = _panel([5.0])
    spec = _spec(Quantile(0.5))

    with pytest.raises(ValidationError) as caught:
        calibrate(panel, [spec], version="t")
    assert "valid_from" == caught.value.field
    fitted = calibrate(panel, [spec], version="t", valid_from=MONDAY + DAY)
    assert [5.0] == fitted.bound("bound").tolist()


# --- point in time ----------------------------------------------------------


@st.composite
def calibration_cases(
    draw: st.DrawFn,
) -> tuple[Panel, int, FloatArray, npt.NDArray[np.bool_]]:
    """A panel, a fitted-through index, replacement values and an exclusion mask."""
    periods = draw(st.integers(2, 30))
    entities = draw(st.integers(1, 4))
    elements = st.one_of(st.floats(-1e6, 1e6, allow_nan=False), st.just(NAN))
    values = draw(hnp.arrays(np.float64, (periods, entities), elements=elements))
    other = draw(hnp.arrays(np.float64, (periods, entities), elements=elements))
    mask = draw(hnp.arrays(np.bool_, (periods, entities)))
    cut = draw(st.integers(0, periods - 2))
    offset = draw(st.sampled_from([UTC, TAIPEI]))
    stamps = _days(periods, MONDAY.astimezone(offset))
    names = [f"sku_{i}" for i in range(entities)]
    panel = Panel.from_metric_arrays(stamps, names, {GMV: values})
    return panel, cut, other, mask


POINT_IN_TIME_SPECS = [
    _spec(Quantile(0.05), name="p5", min_history=3, prior=0.0),
    _spec(MeanSigma(2.0, side=Side.UPPER), name="sigma", min_history=2),
    _spec(MedianMAD(3.0, side=Side.LOWER), name="mad", min_history=3),
    _spec(IQRFence(side=Side.UPPER), name="fence", seasonal=True, min_history=7),
]


@settings(max_examples=100, deadline=None)
@given(calibration_cases(), st.one_of(st.none(), st.integers(1, 10)))
def test_data_after_fitted_through_never_changes_the_set(
    case: tuple[Panel, int, FloatArray, npt.NDArray[np.bool_]], window: int | None
) -> None:
    panel, cut, other, mask = case
    groups = dict.fromkeys(panel.entities[::2], "all")
    through = panel.timestamps[cut]
    changed_values = panel.metric_values(GMV).copy()
    changed_values[cut + 1 :] = other[cut + 1 :]
    changed = Panel.from_metric_arrays(
        panel.timestamps, panel.entities, {GMV: changed_values}
    )
    changed_mask = mask.copy()
    changed_mask[cut + 1 :] = ~mask[cut + 1 :]

    def fit(data: Panel, exclude: npt.NDArray[np.bool_]) -> ThresholdSet:
        return calibrate(
            data,
            POINT_IN_TIME_SPECS,
            version="t",
            fitted_through=through,
            window=window,
            exclude=exclude,
            groups=groups,
        )

    original = fit(panel, mask)
    assert original == fit(changed, changed_mask)
    assert through == original.fitted_through
    # the same as fitting a panel that simply ends at fitted_through
    truncated = panel.slice(end=panel.timestamps[cut + 1])
    alone = calibrate(
        truncated,
        POINT_IN_TIME_SPECS,
        version="t",
        valid_from=original.valid_from,
        window=window,
        exclude=mask[: cut + 1],
        groups=groups,
    )
    assert original == alone


# --- scheduled re-calibration -----------------------------------------------


def _half_year() -> Panel:
    """Daily GMV from 1 January to 30 June 2026; the level rises every month."""
    start = dt.datetime(2026, 1, 1, tzinfo=UTC)
    stamps = [start + i * DAY for i in range(181)]
    month = np.array([s.month for s in stamps], dtype=np.float64)
    base = 100.0 * month + np.arange(181) % 7
    values = np.column_stack([base, 2.0 * base])
    return Panel.from_metric_arrays(stamps, ["shop_a", "shop_b"], {GMV: values})


MONTHLY = Recurrence(
    frequency=Frequency.MONTHLY, start=dt.datetime(2026, 1, 15, tzinfo=UTC)
)
P5 = BoundSpec(name="gmv_p5", metric=GMV, method=Quantile(0.05), min_history=14)


def test_recalibrate_makes_one_version_per_scheduled_date() -> None:
    panel = _half_year()
    sets = recalibrate(panel, [P5], MONTHLY, window=28)

    expected = [dt.datetime(2026, m, 15, tzinfo=UTC) for m in range(1, 7)]
    assert expected == [s.valid_from for s in sets]
    assert [f"v2026-0{m}-15" for m in range(1, 7)] == [s.version for s in sets]
    assert [d - DAY for d in expected] == [s.fitted_through for s in sets]


def test_recalibrate_fits_each_version_on_earlier_data_only() -> None:
    panel = _half_year()
    sets = recalibrate(
        panel, [P5], MONTHLY, window=28, version_prefix="gmv-", groups={"x": "y"}
    )

    for fitted in sets:
        before = panel.slice(end=fitted.valid_from)
        alone = calibrate(
            before,
            [P5],
            version=fitted.version,
            valid_from=fitted.valid_from,
            window=28,
        )
        assert alone == fitted
        assert fitted.version.startswith("gmv-")


def test_recalibrate_skips_dates_outside_the_panel() -> None:
    panel = _half_year()
    quarterly = Recurrence.quarterly(dt.datetime(2025, 10, 1, tzinfo=UTC))
    sets = recalibrate(panel, [P5], quarterly, window=None)

    # 1 Oct (before), 1 Jan (the first period: nothing to fit on), 1 Jul (after)
    assert ["v2026-04-01"] == [s.version for s in sets]
    assert dt.datetime(2026, 3, 31, tzinfo=UTC) == sets[0].fitted_through


def test_recalibrate_uses_the_date_in_the_schedules_own_offset() -> None:
    panel = _half_year()
    # 00:30 on 1 April in Taipei is 16:30 on 31 March in UTC
    schedule = Recurrence.quarterly(
        dt.datetime(2026, 4, 1, 0, 30, tzinfo=TAIPEI), count=1
    )
    (fitted,) = recalibrate(panel, [P5], schedule, window=28)

    assert "v2026-04-01" == fitted.version
    assert dt.datetime(2026, 3, 31, tzinfo=UTC) == fitted.fitted_through


def test_recalibrate_with_no_date_in_the_panel_returns_nothing() -> None:
    schedule = Recurrence.quarterly(dt.datetime(2030, 1, 1, tzinfo=UTC))

    assert () == recalibrate(_half_year(), [P5], schedule, window=28)


def test_replay_uses_the_version_valid_at_each_date() -> None:
    panel = _half_year()
    values = panel.metric_values(GMV).copy()
    dips = [10, 40, 70, 100, 130, 160, 170]  # dips under every version
    values[dips, 0] = 1.0
    panel = Panel.from_metric_arrays(panel.timestamps, panel.entities, {GMV: values})
    sets = recalibrate(panel, [P5], MONTHLY, window=28)
    rule = TriggerRule(
        name="gmv_slump",
        crisis_type="market.demand_shift",
        tiers=[
            Tier(
                ResponseLevel.IV,
                Threshold(signal=Raw(GMV), predicate=Below(Calibrated("gmv_p5"))),
            )
        ],
        persistence=Consecutive(1),
    )

    evaluation = evaluate([rule], panel, sets)

    fired = [e for e in evaluation.events if e.kind is EventKind.FIRED]
    # the dip on 11 January comes before the first version: no bound, no alert
    assert [panel.timestamps[d] for d in dips[1:]] == [e.at for e in fired]
    versions = set()
    for event in evaluation.events:
        active = active_threshold_set(sets, event.at)
        assert active is not None
        assert active.version == event.evidence.threshold_version
        expected_bound = active.aligned(panel.entities, event.at)["gmv_p5"][0]
        if event.kind is EventKind.FIRED:
            assert expected_bound == event.evidence.bound
        versions.add(event.evidence.threshold_version)
    assert {f"v2026-0{m}-15" for m in range(1, 7)} == versions


# --- back-test --------------------------------------------------------------


def _backtest_panel() -> Panel:
    a = [10.0, 4.0, 10.0, 10.0, 4.0, 4.0, 10.0, 10.0, 10.0, 10.0, 4.0, 4.0]
    b = [10.0] * 9 + [4.0, 10.0, 10.0]
    return _panel(np.column_stack([a, b]), entities=["a", "b"])


def _backtest_rules() -> list[TriggerRule]:
    low = Threshold(signal=Raw(GMV), predicate=Below(Calibrated("low")))
    high = Threshold(signal=Raw(GMV), predicate=Above(Calibrated("high")))
    return [
        TriggerRule(
            name="slump",
            crisis_type="market.demand_shift",
            tiers=[Tier(ResponseLevel.IV, low)],
        ),
        TriggerRule(
            name="surge",
            crisis_type="market.demand_shift",
            tiers=[Tier(ResponseLevel.IV, high)],
        ),
    ]


def _backtest_set(panel: Panel) -> ThresholdSet:
    return ThresholdSet(
        version="2026-03",
        fitted_through=panel.timestamps[9],
        valid_from=panel.timestamps[10],
        entities=panel.entities,
        bounds={"low": [5.0, 5.0], "high": [50.0, 50.0]},
    )


def test_backtest_counts_alerts_on_the_calibration_window() -> None:
    panel = _backtest_panel()
    report = backtest(_backtest_rules(), panel, _backtest_set(panel))

    # default window: periods 0 … 9 (through fitted_through), 2 entities.
    # a breaches at 1 (resolves at 2) and at 4–5 (resolves at 6): 2 episodes,
    # firing 1 + 2 periods; b breaches at 9 and still fires at the end: 1 period.
    slump = report.rule("slump")
    assert 3 == slump.episodes
    assert 2 == slump.entities_alerted
    assert 3 / 20 * 100 == pytest.approx(slump.alerts_per_entity_per_100_periods)
    assert 4 == slump.firing_entity_periods
    assert 4 / 20 == pytest.approx(slump.firing_share)
    surge = report.rule("surge")
    assert (0, 0, 0.0, 0, 0.0) == (
        surge.episodes,
        surge.entities_alerted,
        surge.alerts_per_entity_per_100_periods,
        surge.firing_entity_periods,
        surge.firing_share,
    )
    assert ("slump", "surge") == tuple(r.rule for r in report.rules)
    assert (10, 2) == (report.periods, report.entities)
    assert (panel.timestamps[0], panel.timestamps[9]) == (report.start, report.end)
    assert ("2026-03", "2026-03@backtest") == (
        report.threshold_version,
        report.replay_version,
    )
    assert report.in_sample


def test_backtest_window_can_be_chosen() -> None:
    panel = _backtest_panel()
    report = backtest(
        _backtest_rules(),
        panel,
        _backtest_set(panel),
        start=panel.timestamps[3],
        end=panel.timestamps[10],
    )

    # periods 3 … 9: a fires at 4 (2 periods), b at 9 (1 period)
    slump = report.rule("slump")
    assert (7, 2, 3) == (report.periods, slump.episodes, slump.firing_entity_periods)
    assert 2 / 14 * 100 == pytest.approx(slump.alerts_per_entity_per_100_periods)


def test_backtest_after_the_fit_is_out_of_sample() -> None:
    panel = _backtest_panel()
    report = backtest(
        _backtest_rules(),
        panel,
        _backtest_set(panel),
        start=panel.timestamps[10],
        end=None,
    )

    assert not report.in_sample
    assert (panel.timestamps[10], panel.timestamps[11]) == (report.start, report.end)
    assert 1 == report.rule("slump").episodes


def test_backtest_of_a_calibrated_quantile_fires_about_that_often() -> None:
    rng = np.random.default_rng(7)
    values = rng.normal(100.0, 10.0, size=(400, 5))
    panel = _panel(values)
    fitted = calibrate(
        panel, [_spec(Quantile(0.05), name="low", min_history=28)], version="q"
    )
    rule = TriggerRule(
        name="slump",
        crisis_type="market.demand_shift",
        tiers=[
            Tier(
                ResponseLevel.IV,
                Threshold(signal=Raw(GMV), predicate=Below(Calibrated("low"))),
            )
        ],
    )
    report = backtest([rule], panel, fitted)

    # In sample: h = 0.05·399 = 19.95, so the 20 smallest of each entity's 400
    # distinct values lie strictly below its bound: 5 % of the entity-periods.
    # A breach fires at once and resolves the next clean period, so the firing
    # periods are exactly the breaching ones; adjacent breaches share an episode.
    slump = report.rule("slump")
    assert 100 == slump.firing_entity_periods
    assert 0.05 == pytest.approx(slump.firing_share)
    assert 5 == slump.entities_alerted
    assert slump.episodes <= 100
    assert slump.episodes / 2000 * 100 == pytest.approx(
        slump.alerts_per_entity_per_100_periods
    )


def test_replay_threshold_set_is_valid_from_the_given_moment() -> None:
    panel = _backtest_panel()
    original = _backtest_set(panel)
    replay = replay_threshold_set(original, panel.timestamps[0])

    assert "2026-03@backtest" == replay.version
    assert panel.timestamps[0] == replay.valid_from
    assert replay.fitted_through < replay.valid_from
    assert original.bounds.keys() == replay.bounds.keys()
    assert np.array_equal(original.bound("low"), replay.bound("low"))


# --- plain data -------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        BoundSpec(name="gmv_p5", metric=GMV, method=Quantile(0.05), prior=10.0),
        BoundSpec(
            name="gmv_high",
            metric=GMV,
            method=MedianMAD(3.0, side=Side.UPPER),
            seasonal=True,
        ),
        BoundSpec(name="a", metric=GMV, method=IQRFence(side=Side.LOWER)),
        BoundSpec(name="b", metric=GMV, method=MeanSigma(2.0, side=Side.LOWER)),
    ],
)
def test_bound_specs_round_trip_through_plain_data(value: BoundSpec) -> None:
    document = json.loads(json.dumps(to_data(value), allow_nan=False))

    assert value == from_data(BoundSpec, document)


def test_backtest_report_round_trips_through_plain_data() -> None:
    panel = _backtest_panel()
    report = backtest(_backtest_rules(), panel, _backtest_set(panel))
    document = json.loads(json.dumps(to_data(report), allow_nan=False))

    assert report == from_data(BacktestReport, document)


def test_ints_become_floats() -> None:
    assert isinstance(Quantile(0.5).q, float)
    assert isinstance(MeanSigma(3, side=Side.LOWER).k, float)
    assert isinstance(_spec(Quantile(0.5), prior=3).prior, float)


# --- bad input --------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "error", "field"),
    [
        (lambda: Quantile(0.0), ValidationError, "q"),
        (lambda: Quantile(1.0), ValidationError, "q"),
        (lambda: Quantile(1.5), ValidationError, "q"),
        (lambda: Quantile(NAN), ValidationError, "q"),
        (lambda: Quantile("0.5"), InvalidTypeError, "q"),  # type: ignore[arg-type]
        (lambda: Quantile(q=True), InvalidTypeError, "q"),
        (lambda: MeanSigma(-1.0, side=Side.LOWER), ValidationError, "k"),
        (lambda: MeanSigma(math.inf, side=Side.LOWER), ValidationError, "k"),
        (lambda: MeanSigma(3.0, side=Side.BOTH), ValidationError, "side"),
        (lambda: MeanSigma(3.0, side="lower"), InvalidTypeError, "side"),  # type: ignore[arg-type]
        (lambda: MedianMAD(-0.5, side=Side.UPPER), ValidationError, "k"),
        (lambda: MedianMAD(3.0, side=Side.BOTH), ValidationError, "side"),
        (lambda: IQRFence(-3.0, side=Side.UPPER), ValidationError, "c"),
        (lambda: IQRFence(side=Side.BOTH), ValidationError, "side"),
        (lambda: IQRFence(side=None), InvalidTypeError, "side"),  # type: ignore[arg-type]
    ],
)
def test_bad_methods_are_rejected(
    build: Any, error: type[Exception], field: str
) -> None:
    with pytest.raises(error) as caught:
        build()
    assert field == caught.value.field  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"name": "Gmv P5"}, ValidationError, "name"),
        ({"name": ""}, ValidationError, "name"),
        ({"metric": "Sales GMV"}, ValidationError, "metric"),
        ({"method": "quantile"}, InvalidTypeError, "method"),
        ({"seasonal": 1}, InvalidTypeError, "seasonal"),
        ({"min_history": 0}, ValidationError, "min_history"),
        ({"min_history": 2.5}, InvalidTypeError, "min_history"),
        ({"min_history": True}, InvalidTypeError, "min_history"),
        ({"prior": NAN}, ValidationError, "prior"),
        ({"prior": math.inf}, ValidationError, "prior"),
        ({"prior": "10"}, InvalidTypeError, "prior"),
    ],
)
def test_bad_bound_specs_are_rejected(
    changes: dict[str, Any], error: type[Exception], field: str
) -> None:
    fields: dict[str, Any] = {"name": "gmv_p5", "metric": GMV, "method": Quantile(0.05)}
    fields.update(changes)

    with pytest.raises(error) as caught:
        BoundSpec(**fields)
    assert field == caught.value.field  # type: ignore[attr-defined]


GOOD = _panel(np.arange(1.0, 11.0))
NAIVE = dt.datetime(2026, 3, 3)  # noqa: DTZ001  deliberately naive


@pytest.mark.parametrize(
    ("arguments", "error", "field"),
    [
        ({"panel": "not a panel"}, InvalidTypeError, "panel"),
        ({"panel": GOOD.slice(end=MONDAY)}, ValidationError, "panel"),
        ({"specs": []}, ValidationError, "specs"),
        ({"specs": "gmv"}, InvalidTypeError, "specs"),
        ({"specs": _spec(Quantile(0.5))}, InvalidTypeError, "specs"),
        ({"specs": [Quantile(0.5)]}, InvalidTypeError, "specs[0]"),
        ({"version": ""}, ValidationError, "version"),
        ({"version": 3}, InvalidTypeError, "version"),
        ({"fitted_through": NAIVE}, NaiveDatetimeError, "fitted_through"),
        ({"fitted_through": "2026-03-03"}, InvalidTypeError, "fitted_through"),
        ({"fitted_through": MONDAY - DAY}, ValidationError, "fitted_through"),
        ({"valid_from": NAIVE}, NaiveDatetimeError, "valid_from"),
        ({"valid_from": MONDAY + 9 * DAY}, ValidationError, "valid_from"),
        (
            {"fitted_through": MONDAY + 3 * DAY, "valid_from": MONDAY + DAY},
            ValidationError,
            "valid_from",
        ),
        ({"window": 0}, ValidationError, "window"),
        ({"window": -3}, ValidationError, "window"),
        ({"window": 2.5}, InvalidTypeError, "window"),
        ({"window": True}, InvalidTypeError, "window"),
        ({"exclude": np.zeros((9, 1), dtype=bool)}, ValidationError, "exclude"),
        ({"exclude": np.zeros((10,), dtype=bool)}, ValidationError, "exclude"),
        ({"exclude": np.zeros((10, 1))}, InvalidTypeError, "exclude"),
        ({"exclude": "promotion"}, InvalidTypeError, "exclude"),
        ({"exclude": 5}, InvalidTypeError, "exclude"),
        ({"exclude": [(NAIVE, MONDAY)]}, NaiveDatetimeError, "exclude[0][0]"),
        ({"exclude": [(MONDAY, NAIVE)]}, NaiveDatetimeError, "exclude[0][1]"),
        ({"exclude": [(MONDAY + DAY, MONDAY)]}, ValidationError, "exclude[0][1]"),
        ({"exclude": [(MONDAY, MONDAY)]}, ValidationError, "exclude[0][1]"),
        ({"exclude": [(MONDAY,)]}, ValidationError, "exclude[0]"),
        (
            {"exclude": [(MONDAY, MONDAY + DAY), "x"]},
            ValidationError,
            "exclude[1]",
        ),
        ({"groups": ["shop_0"]}, InvalidTypeError, "groups"),
        ({"groups": {"shop_0": ""}}, ValidationError, "groups['shop_0']"),
        ({"groups": {"shop_0": 1}}, InvalidTypeError, "groups['shop_0']"),
        ({"groups": {1: "tea"}}, InvalidTypeError, "groups"),
    ],
)
def test_bad_calibrate_arguments_are_rejected(
    arguments: dict[str, Any], error: type[Exception], field: str
) -> None:
    call: dict[str, Any] = {
        "panel": GOOD,
        "specs": [_spec(Quantile(0.5))],
        "version": "t",
    }
    call.update(arguments)
    panel = call.pop("panel")
    specs = call.pop("specs")

    with pytest.raises(error) as caught:
        calibrate(panel, specs, **call)
    assert field == caught.value.field  # type: ignore[attr-defined]


def test_unknown_metric_is_rejected_with_suggestions() -> None:
    spec = BoundSpec(name="gmv_p5", metric="sales.gmw", method=Quantile(0.05))

    with pytest.raises(UnknownKeyError) as caught:
        calibrate(GOOD, [spec], version="t")
    assert ("sales.gmv",) == caught.value.suggestions
    assert "specs[0].metric" in str(caught.value)


def test_duplicate_spec_names_are_rejected() -> None:
    specs = [_spec(Quantile(0.05)), _spec(Quantile(0.95))]

    with pytest.raises(DuplicateKeyError) as caught:
        calibrate(GOOD, specs, version="t")
    assert "bound" == caught.value.key


def test_panel_without_entities_is_rejected() -> None:
    empty = Panel.from_arrays(_days(3), [], [GMV], np.zeros((3, 0, 1)))

    with pytest.raises(ValidationError) as caught:
        calibrate(empty, [_spec(Quantile(0.5))], version="t")
    assert "panel.entities" == caught.value.field


@pytest.mark.parametrize(
    ("arguments", "error", "field"),
    [
        ({"schedule": "quarterly"}, InvalidTypeError, "schedule"),
        ({"window": 0}, ValidationError, "window"),
        ({"window": "28"}, InvalidTypeError, "window"),
        ({"version_prefix": 1}, InvalidTypeError, "version_prefix"),
        ({"panel": None}, InvalidTypeError, "panel"),
        ({"specs": []}, ValidationError, "specs"),
        ({"exclude": np.ones((3, 3), dtype=bool)}, ValidationError, "exclude"),
        ({"groups": {"shop_a": None}}, InvalidTypeError, "groups['shop_a']"),
    ],
)
def test_bad_recalibrate_arguments_are_rejected(
    arguments: dict[str, Any], error: type[Exception], field: str
) -> None:
    call: dict[str, Any] = {
        "panel": _half_year(),
        "specs": [P5],
        "schedule": MONTHLY,
        "window": 28,
    }
    call.update(arguments)

    with pytest.raises(error) as caught:
        recalibrate(call.pop("panel"), call.pop("specs"), call.pop("schedule"), **call)
    assert field == caught.value.field  # type: ignore[attr-defined]


def test_recalibrate_reports_an_unknown_metric() -> None:
    spec = BoundSpec(name="p", metric="sales.orders", method=Quantile(0.5))

    with pytest.raises(UnknownKeyError):
        recalibrate(_half_year(), [spec], MONTHLY, window=28)


@pytest.mark.parametrize(
    ("arguments", "error", "field"),
    [
        ({"rules": _backtest_rules()[0]}, InvalidTypeError, "rules"),
        ({"rules": 3}, InvalidTypeError, "rules"),
        ({"panel": "panel"}, InvalidTypeError, "panel"),
        ({"threshold_set": {"low": [5.0]}}, InvalidTypeError, "threshold_set"),
        ({"start": NAIVE}, NaiveDatetimeError, "start"),
        ({"end": NAIVE}, NaiveDatetimeError, "end"),
        ({"start": MONDAY + 5 * DAY, "end": MONDAY + DAY}, ValidationError, "end"),
        ({"start": MONDAY + 30 * DAY}, ValidationError, "start"),
        ({"end": MONDAY}, ValidationError, "end"),
    ],
)
def test_bad_backtest_arguments_are_rejected(
    arguments: dict[str, Any], error: type[Exception], field: str
) -> None:
    panel = _backtest_panel()
    call: dict[str, Any] = {
        "rules": _backtest_rules(),
        "panel": panel,
        "threshold_set": _backtest_set(panel),
    }
    call.update(arguments)

    with pytest.raises(error) as caught:
        backtest(
            call.pop("rules"), call.pop("panel"), call.pop("threshold_set"), **call
        )
    assert field == caught.value.field  # type: ignore[attr-defined]


def test_backtest_rule_lookup_suggests_names() -> None:
    panel = _backtest_panel()
    report = backtest(_backtest_rules(), panel, _backtest_set(panel))

    with pytest.raises(UnknownKeyError) as caught:
        report.rule("slum")
    assert ("slump",) == caught.value.suggestions


def test_bad_replay_threshold_set_arguments_are_rejected() -> None:
    panel = _backtest_panel()

    with pytest.raises(InvalidTypeError) as not_a_set:
        replay_threshold_set("2026-03", MONDAY)  # type: ignore[arg-type]
    assert "threshold_set" == not_a_set.value.field
    with pytest.raises(NaiveDatetimeError) as naive:
        replay_threshold_set(_backtest_set(panel), NAIVE)
    assert "valid_from" == naive.value.field


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"episodes": -1}, "episodes"),
        ({"entities_alerted": 1.5}, "entities_alerted"),
        ({"firing_share": 1.5}, "firing_share"),
        (
            {"alerts_per_entity_per_100_periods": NAN},
            "alerts_per_entity_per_100_periods",
        ),
        ({"rule": "Bad Rule"}, "rule"),
    ],
)
def test_bad_rule_backtests_are_rejected(changes: dict[str, Any], field: str) -> None:
    good = RuleBacktest(
        rule="slump",
        episodes=1,
        entities_alerted=1,
        alerts_per_entity_per_100_periods=5.0,
        firing_entity_periods=1,
        firing_share=0.05,
    )

    with pytest.raises((ValidationError, InvalidTypeError)) as caught:
        attrs.evolve(good, **changes)
    assert field == getattr(caught.value, "field", None)


def test_a_failed_calibration_changes_nothing() -> None:
    panel = _promotion_panel()
    before = panel.values.copy()
    mask = np.zeros((10, 2), dtype=bool)

    with pytest.raises(ValidationError):
        calibrate(panel, [_spec(Quantile(0.5))], version="t", window=0, exclude=mask)
    fitted = calibrate(panel, [_spec(Quantile(0.5))], version="t", exclude=mask)
    assert np.array_equal(before, panel.values)
    assert not mask.any()
    assert not fitted.bound("bound").flags.writeable


def test_exclusion_mask_reads_windows_and_masks_as_calibrate_does() -> None:
    utc = dt.timezone.utc
    days = [dt.datetime(2026, 3, d, tzinfo=utc) for d in range(1, 6)]
    panel = Panel.from_metric_arrays(days, ["a", "b"], {"sales.gmv": np.ones((5, 2))})
    # [3 Mar, 5 Mar) covers periods 2 and 3, for every entity.
    mask = exclusion_mask([(days[2], days[4])], panel)
    assert mask is not None
    expected = [[False, False]] * 2 + [[True, True]] * 2 + [[False, False]]
    assert expected == mask.tolist()
    given_mask = np.zeros((5, 2), dtype=bool)
    given_mask[0, 1] = True
    assert given_mask.tolist() == exclusion_mask(given_mask, panel).tolist()  # type: ignore[union-attr]
    assert exclusion_mask(None, panel) is None
    assert exclusion_mask([], panel) is None
    with pytest.raises(ValidationError, match=r"'exclude\[0\]\[1\]'"):
        exclusion_mask([(days[3], days[1])], panel)
    with pytest.raises(ValidationError, match="'exclude'"):
        exclusion_mask(np.zeros((4, 2), dtype=bool), panel)
    with pytest.raises(InvalidTypeError, match="'exclude'"):
        exclusion_mask("March", panel)
