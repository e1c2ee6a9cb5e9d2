"""Golden values for every signal, predicate, guard, chart and composition.

Each expected value is worked out by hand from the formula in the comment next
to it; ``trace`` steps the condition exactly as a rule does.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest

from crisisops.errors import InvalidTypeError, ValidationError
from crisisops.monitoring.conditions import (
    Above,
    AllOf,
    AnyOf,
    Below,
    Calibrated,
    Change,
    CUSUMChart,
    EWMAChart,
    FixedReference,
    Guards,
    LevelShift,
    Not,
    Outside,
    PreviousValue,
    Raw,
    RollingZScore,
    SeasonalLag,
    Side,
    Threshold,
    TrailingMean,
    TrailingMedian,
    WarmupReference,
)
from crisisops.monitoring.monitor import trace
from crisisops.monitoring.thresholds import ThresholdSet

from .build import days, panel

NAN = math.nan
GMV = "sales.gmv"


def _signal(condition: Any, series: list[float]) -> list[float]:
    result = trace(condition, panel({GMV: series}))
    return [float(v) for v in result.signal[:, 0]]


def _assert_close(expected: list[float], actual: list[float]) -> None:
    assert len(expected) == len(actual)
    for e, a in zip(expected, actual, strict=True):
        if math.isnan(e):
            assert math.isnan(a), (expected, actual)
        else:
            assert e == pytest.approx(a, rel=1e-12, abs=1e-12), (expected, actual)


def _below(signal: Any, bound: float = -0.05) -> Threshold:
    return Threshold(signal=signal, predicate=Below(bound))


# --- signals ----------------------------------------------------------------


def test_change_against_the_previous_value_is_day_over_day() -> None:
    # (90-100)/100, (81-90)/90, (81-81)/81, (0-81)/81, baseline 0 -> unknown
    expected = [NAN, -0.1, -0.1, 0.0, -1.0, NAN]

    actual = _signal(_below(Change(metric=GMV)), [100, 90, 81, 81, 0, 10])

    _assert_close(expected, actual)


def test_absolute_change_is_in_the_metrics_unit() -> None:
    condition = _below(Change(metric=GMV, relative=False))

    _assert_close(
        [NAN, -10, -9, 0, -81, 10], _signal(condition, [100, 90, 81, 81, 0, 10])
    )


def test_trailing_mean_excludes_today_and_respects_min_periods() -> None:
    # t2: mean(10, 20) = 15, so the change is (30 - 15) / 15 = 1;
    # t3: mean(10, 20, 30) = 20, change 1; t4: today missing, unknown;
    # t5: mean of the 2 valid values 30 and 40 = 35, change 15 / 35.
    condition = _below(
        Change(metric=GMV, baseline=TrailingMean(window=3, min_periods=2))
    )

    actual = _signal(condition, [10, 20, 30, 40, NAN, 50])

    _assert_close([NAN, NAN, 1.0, 1.0, NAN, 15 / 35], actual)


def test_trailing_mean_baseline_is_reported() -> None:
    condition = _below(Change(metric=GMV, baseline=TrailingMean(window=2)))

    result = trace(condition, panel({GMV: [10, 20, 40]}))

    _assert_close([NAN, NAN, 15.0], [float(v) for v in result.baseline[:, 0]])


def test_trailing_median_resists_a_spike() -> None:
    # t3: median(1, 5, 2) = 2 -> (100-2)/2 = 49; t4: median(5, 2, 100) = 5 -> -0.4
    condition = _below(Change(metric=GMV, baseline=TrailingMedian(window=3)))

    _assert_close([NAN, NAN, NAN, 49.0, -0.4], _signal(condition, [1, 5, 2, 100, 3]))


def test_seasonal_lag_compares_with_the_same_phase_last_season() -> None:
    # period 2: t2 vs t0: (11-10)/10; t3 vs t1: (18-20)/20
    condition = _below(Change(metric=GMV, baseline=SeasonalLag(period=2, seasons=1)))

    _assert_close([NAN, NAN, 0.1, -0.1], _signal(condition, [10, 20, 11, 18]))


def test_weekday_baseline_uses_the_value_seven_days_back() -> None:
    series = [float(v) for v in range(10, 24)]  # 14 days
    condition = _below(Change(metric=GMV, baseline=SeasonalLag()))

    actual = _signal(condition, series)

    _assert_close([NAN] * 7 + [7 / (10 + i) for i in range(7)], actual)


def test_rolling_z_score_uses_the_sample_std_of_the_past_window() -> None:
    # window (1, 2, 3, 4): mean 2.5, sample sd sqrt(5/3) -> z = 7.5 / sqrt(5/3)
    condition = Threshold(
        signal=RollingZScore(metric=GMV, window=4), predicate=Outside(-3.0, 3.0)
    )

    actual = _signal(condition, [1, 2, 3, 4, 10])

    _assert_close([NAN] * 4 + [7.5 / math.sqrt(5 / 3)], actual)


def test_robust_z_score_uses_median_and_mad() -> None:
    # t4: window (1,2,3,4): median 2.5, MAD 1 -> (100-2.5)/1.4826
    # t5: window (2,3,4,100): median 3.5, |dev| (1.5,.5,.5,96.5) -> MAD 1
    #     -> (3-3.5)/1.4826
    condition = Threshold(
        signal=RollingZScore(metric=GMV, window=4, robust=True),
        predicate=Above(3.0),
    )

    actual = _signal(condition, [1, 2, 3, 4, 100, 3])

    _assert_close([NAN] * 4 + [97.5 / 1.4826, -0.5 / 1.4826], actual)


def test_z_score_of_a_flat_window_is_unknown_not_infinite() -> None:
    condition = Threshold(
        signal=RollingZScore(metric=GMV, window=3), predicate=Above(3.0)
    )

    result = trace(condition, panel({GMV: [5, 5, 5, 9]}))

    assert not result.known[3, 0]
    assert not result.breach[3, 0]


def test_level_shift_is_causal_median_of_last_w_versus_the_w_before() -> None:
    # w = 2. t3: older (1, 1) -> 1, recent (1, 5) -> 3: shift 2;
    # t4: older (1, 1) -> 1, recent (5, 5) -> 5: shift 4
    condition = _below(LevelShift(metric=GMV, window=2, relative=False), -1.0)

    _assert_close([NAN, NAN, NAN, 2.0, 4.0], _signal(condition, [1, 1, 1, 5, 5]))


def test_level_shift_is_reported_when_it_becomes_knowable_never_before() -> None:
    series = [10.0] * 6 + [5.0] * 6
    condition = _below(LevelShift(metric=GMV, window=3), -0.3)

    result = trace(condition, panel({GMV: series}))

    first = int(np.flatnonzero(result.breach[:, 0])[0])
    # The recent median turns to 5 once two of the last three values are 5.
    assert 7 == first
    assert not result.breach[:6, 0].any()


def test_raw_value_has_no_baseline() -> None:
    result = trace(
        Threshold(signal=Raw(GMV), predicate=Below(3.0)), panel({GMV: [1, 5]})
    )

    assert [True, False] == result.breach[:, 0].tolist()
    assert np.isnan(result.baseline).all()


# --- predicates, guards, bounds ---------------------------------------------


def test_predicates_are_strict_and_unknown_on_missing_data() -> None:
    series = [1.0, 2.0, 3.0, NAN]
    below = trace(
        Threshold(signal=Raw(GMV), predicate=Below(2.0)), panel({GMV: series})
    )
    above = trace(
        Threshold(signal=Raw(GMV), predicate=Above(2.0)), panel({GMV: series})
    )
    outside = trace(
        Threshold(signal=Raw(GMV), predicate=Outside(1.5, 2.5)), panel({GMV: series})
    )

    assert [True, False, False, False] == below.breach[:, 0].tolist()
    assert [False, False, True, False] == above.breach[:, 0].tolist()
    assert [True, False, True, False] == outside.breach[:, 0].tolist()
    assert [True, True, True, False] == below.known[:, 0].tolist()
    assert [1.5, 2.5, 2.5, 2.5] == outside.bound[:, 0].tolist()


def test_guards_stop_low_volume_entities_firing_on_noise() -> None:
    # sku-small falls 2 -> 1 (-50 %) but its baseline is under 20;
    # sku-big falls 100 -> 60 (-40 %) with a change of 40 >= 10.
    condition = Threshold(
        signal=Change(metric=GMV),
        predicate=Below(-0.3),
        guards=Guards(min_baseline=20.0, min_abs_change=10.0),
    )
    data = panel({GMV: [[2, 100], [1, 60]]}, entities=("sku-small", "sku-big"))

    result = trace(condition, data)

    assert [False, True] == result.breach[1].tolist()
    assert [True, True] == result.known[1].tolist()


def test_min_abs_change_guard_alone() -> None:
    condition = Threshold(
        signal=Change(metric=GMV),
        predicate=Below(-0.3),
        guards=Guards(min_abs_change=5.0),
    )

    result = trace(condition, panel({GMV: [10, 6, 2]}))

    # 10 -> 6: -40 %, change 4 < 5 (guarded); 6 -> 2: -67 %, change 4 < 5 (guarded)
    assert [False, False, False] == result.breach[:, 0].tolist()


def test_calibrated_bounds_come_from_the_active_threshold_set() -> None:
    stamps = days(4)
    early = ThresholdSet(
        version="v1",
        fitted_through=stamps[0] - (stamps[1] - stamps[0]),
        valid_from=stamps[0],
        entities=("sku-1",),
        bounds={"floor": [5.0]},
    )
    later = ThresholdSet(
        version="v2",
        fitted_through=stamps[1],
        valid_from=stamps[2],
        entities=("sku-1",),
        bounds={"floor": [2.0]},
    )
    condition = Threshold(signal=Raw(GMV), predicate=Below(Calibrated("floor")))

    result = trace(condition, panel({GMV: [4, 4, 4, 1]}), thresholds=[later, early])

    assert [5.0, 5.0, 2.0, 2.0] == result.bound[:, 0].tolist()
    assert [True, True, False, True] == result.breach[:, 0].tolist()


def test_calibrated_bound_without_a_threshold_set_is_unknown() -> None:
    condition = Threshold(signal=Raw(GMV), predicate=Below(Calibrated("floor")))

    result = trace(condition, panel({GMV: [1, 2]}))

    assert not result.known.any()


# --- control charts ---------------------------------------------------------


def test_ewma_statistic_follows_the_textbook_recursion_and_limits() -> None:
    # lambda = 0.5, mu0 = 10, sigma = 1.
    # t1: z = 10 -> 0.  t2: z = 11, factor sqrt(1/3 * (1 - .5**4)) -> 1 / factor.
    # t3: z = 12.5, factor sqrt(1/3 * (1 - .5**6)) -> 2.5 / factor  (> 3: breach)
    chart = EWMAChart(
        metric=GMV, reference=FixedReference(mean=10.0, sigma=1.0), lam=0.5
    )

    result = trace(chart, panel({GMV: [10, 12, 14]}))

    expected = [
        0.0,
        1 / math.sqrt(1 / 3 * (1 - 0.5**4)),
        2.5 / math.sqrt(1 / 3 * (1 - 0.5**6)),
    ]
    _assert_close(expected, [float(v) for v in result.signal[:, 0]])
    assert [False, False, True] == result.breach[:, 0].tolist()


def test_ewma_defaults_are_lambda_0_2_and_l_3() -> None:
    chart = EWMAChart(metric=GMV, reference=FixedReference(mean=0.0, sigma=1.0))

    assert (0.2, 3.0, Side.BOTH) == (chart.lam, chart.limit, chart.side)


def test_ewma_lower_side_ignores_upward_moves() -> None:
    chart = EWMAChart(
        metric=GMV,
        reference=FixedReference(mean=10.0, sigma=1.0),
        lam=0.5,
        side=Side.LOWER,
    )

    up = trace(chart, panel({GMV: [10, 12, 14]}))
    down = trace(chart, panel({GMV: [10, 8, 6]}))

    assert not up.breach.any()
    assert [False, False, True] == down.breach[:, 0].tolist()


def test_ewma_holds_its_statistic_over_missing_values() -> None:
    chart = EWMAChart(
        metric=GMV, reference=FixedReference(mean=10.0, sigma=1.0), lam=0.5
    )

    with_gap = trace(chart, panel({GMV: [10, NAN, 12, 14]}))
    without = trace(chart, panel({GMV: [10, 12, 14]}))

    assert not with_gap.known[1, 0]
    _assert_close(
        [float(v) for v in without.signal[:, 0]],
        [float(v) for v in with_gap.signal[[0, 2, 3], 0]],
    )


def test_tabular_cusum_accumulates_and_restarts_after_a_signal() -> None:
    # mu0 = 0, sigma = 1, K = 0.5, H = 1.2.
    # C+: 0.5, 1.0, 1.5 (> 1.2: signal, restart), then max(0, 0 - .5 + 0) = 0
    chart = CUSUMChart(
        metric=GMV, reference=FixedReference(mean=0.0, sigma=1.0), k=0.5, h=1.2
    )

    result = trace(chart, panel({GMV: [1, 1, 1, 0]}))

    _assert_close([0.5, 1.0, 1.5, 0.0], [float(v) for v in result.signal[:, 0]])
    assert [False, False, True, False] == result.breach[:, 0].tolist()


def test_cusum_lower_side_detects_a_fall() -> None:
    # C-: (0-.5)-(-1)+0 = .5, 1.0, 1.5 ... H = 5 reached at t10 (C- = 5.5)
    chart = CUSUMChart(
        metric=GMV, reference=FixedReference(mean=0.0, sigma=1.0), side=Side.LOWER
    )

    result = trace(chart, panel({GMV: [-1.0] * 12}))

    assert 10 == int(np.flatnonzero(result.breach[:, 0])[0])


def test_cusum_defaults_are_k_0_5_and_h_5() -> None:
    chart = CUSUMChart(metric=GMV, reference=FixedReference(mean=0.0, sigma=1.0))

    assert (0.5, 5.0) == (chart.k, chart.h)


def test_warmup_reference_learns_mean_and_sigma_then_charts() -> None:
    # warm-up on (1, 2, 3): mean 2, sample sd 1. lambda = 1 makes z = x:
    # t3: factor sqrt(1/1 * (1 - 0)) = 1 -> (2 - 2)/1 = 0; t4: (6 - 2)/1 = 4
    chart = EWMAChart(metric=GMV, reference=WarmupReference(3), lam=1.0)

    result = trace(chart, panel({GMV: [1, 2, 3, 2, 6]}))

    _assert_close([NAN, NAN, NAN, 0.0, 4.0], [float(v) for v in result.signal[:, 0]])
    assert [False, False, False, False, True] == result.breach[:, 0].tolist()


# --- composition ------------------------------------------------------------


def _raw(bound: float) -> Threshold:
    return Threshold(signal=Raw(GMV), predicate=Above(bound))


def test_all_of_any_of_and_not_follow_kleene_logic() -> None:
    # The complaints metric is missing in the last period: unknown there.
    data = panel({GMV: [5, 5, 5], "feedback.complaints": [1, 10, NAN]})
    high_gmv = _raw(4.0)
    many = Threshold(signal=Raw("feedback.complaints"), predicate=Above(5.0))
    low_gmv = _raw(6.0)

    both = trace(AllOf([high_gmv, many]), data)
    either = trace(AnyOf([low_gmv, many]), data)
    neither = trace(AllOf([low_gmv, many]), data)
    negated = trace(Not(many), data)

    assert [False, True, False] == both.breach[:, 0].tolist()
    assert [True, True, False] == both.known[:, 0].tolist()  # T and unknown = unknown
    assert [False, True, False] == either.breach[:, 0].tolist()
    assert [True, True, False] == either.known[:, 0].tolist()  # F or unknown = unknown
    assert [True, True, True] == neither.known[:, 0].tolist()  # F and unknown = F
    assert [True, False, False] == negated.breach[:, 0].tolist()
    assert [True, True, False] == negated.known[:, 0].tolist()


def test_composite_conditions_list_their_metrics() -> None:
    many = Threshold(signal=Raw("feedback.complaints"), predicate=Above(5.0))

    assert (GMV, "feedback.complaints") == AnyOf([_raw(1.0), many, _raw(2.0)]).metrics


# --- bad input --------------------------------------------------------------


@pytest.mark.parametrize(
    ("build", "error", "field"),
    [
        (lambda: TrailingMean(window=0), ValidationError, "window"),
        (lambda: TrailingMean(window=-3), ValidationError, "window"),
        (lambda: TrailingMean(window=3, min_periods=4), ValidationError, "min_periods"),
        (lambda: TrailingMean(window=2.5), InvalidTypeError, "window"),  # type: ignore[arg-type]
        (lambda: TrailingMedian(window=True), InvalidTypeError, "window"),
        (lambda: SeasonalLag(period=0), ValidationError, "period"),
        (lambda: Change(metric="Sales GMV"), ValidationError, "metric"),
        (lambda: Change(metric=GMV, baseline=7), InvalidTypeError, "baseline"),  # type: ignore[arg-type]
        (lambda: RollingZScore(metric=GMV, window=1), ValidationError, "min_periods"),
        (lambda: LevelShift(metric=GMV, window=0), ValidationError, "window"),
        (lambda: Below(math.nan), ValidationError, "bound"),
        (lambda: Above(math.inf), ValidationError, "bound"),
        (lambda: Below("low"), InvalidTypeError, "bound"),  # type: ignore[arg-type]
        (lambda: Outside(3.0, 1.0), ValidationError, "high"),
        (lambda: Guards(min_baseline=-1.0), ValidationError, "min_baseline"),
        (lambda: Guards(min_abs_change=math.nan), ValidationError, "min_abs_change"),
        (
            lambda: Threshold(signal=GMV, predicate=Below(1.0)),  # type: ignore[arg-type]
            InvalidTypeError,
            "signal",
        ),
        (
            lambda: Threshold(signal=Raw(GMV), predicate=1.0),  # type: ignore[arg-type]
            InvalidTypeError,
            "predicate",
        ),
        (lambda: FixedReference(mean=0.0, sigma=0.0), ValidationError, "sigma"),
        (lambda: FixedReference(mean=math.nan, sigma=1.0), ValidationError, "mean"),
        (lambda: WarmupReference(1), ValidationError, "periods"),
        (
            lambda: EWMAChart(metric=GMV, reference=WarmupReference(5), lam=0.0),
            ValidationError,
            "lam",
        ),
        (
            lambda: EWMAChart(metric=GMV, reference=WarmupReference(5), lam=1.5),
            ValidationError,
            "lam",
        ),
        (
            lambda: EWMAChart(metric=GMV, reference=WarmupReference(5), limit=0.0),
            ValidationError,
            "limit",
        ),
        (lambda: EWMAChart(metric=GMV, reference=None), InvalidTypeError, "reference"),  # type: ignore[arg-type]
        (
            lambda: CUSUMChart(metric=GMV, reference=WarmupReference(5), h=0.0),
            ValidationError,
            "h",
        ),
        (
            lambda: CUSUMChart(metric=GMV, reference=WarmupReference(5), side="lower"),  # type: ignore[arg-type]
            InvalidTypeError,
            "side",
        ),
        (lambda: AllOf([]), ValidationError, "conditions"),
        (lambda: AnyOf([Raw(GMV)]), InvalidTypeError, "conditions[0]"),
        (lambda: Not(Raw(GMV)), InvalidTypeError, "condition"),  # type: ignore[arg-type]
        (lambda: Calibrated("Floor Bound"), ValidationError, "name"),
    ],
)
def test_bad_condition_input_is_refused_naming_the_field(
    build: Any,
    error: type[Exception],
    field: str,
) -> None:
    with pytest.raises(error) as caught:
        build()

    assert f"'{field}'" in str(caught.value)


def test_guards_need_a_signal_with_a_baseline() -> None:
    with pytest.raises(ValidationError, match="'guards'"):
        Threshold(
            signal=Raw(GMV), predicate=Below(1.0), guards=Guards(min_baseline=1.0)
        )


def test_previous_value_is_the_default_baseline() -> None:
    assert PreviousValue() == Change(metric=GMV).baseline


def test_ewma_limits_widen_to_the_textbook_steady_state() -> None:
    # With lambda = 0.2 the limit factor sqrt(l/(2-l) * (1 - (1-l)^(2t))) tends
    # to sqrt(0.2/1.8) = 1/3 (Montgomery): after many in-control periods a
    # value one sigma above the mean moves z by 0.2 sigma, i.e. 0.6 limit units.
    chart = EWMAChart(metric=GMV, reference=FixedReference(mean=0.0, sigma=1.0))
    series = [0.0] * 200 + [1.0]

    result = trace(chart, panel({GMV: series}))

    assert pytest.approx(0.6, rel=1e-9) == float(result.signal[-1, 0])


def test_inclusive_predicates_count_the_bound_itself() -> None:
    series = [1.0, 2.0, 3.0]
    at_most = Threshold(signal=Raw(GMV), predicate=Below(2.0, inclusive=True))
    at_least = Threshold(signal=Raw(GMV), predicate=Above(2.0, inclusive=True))

    assert [True, True, False] == trace(at_most, panel({GMV: series})).breach[
        :, 0
    ].tolist()
    assert [False, True, True] == trace(at_least, panel({GMV: series})).breach[
        :, 0
    ].tolist()


def test_a_composition_explains_itself_by_the_part_that_decided() -> None:
    # AnyOf breached by its second part reports the second part's numbers;
    # AllOf failed by its second part reports that part's numbers.
    data = panel({GMV: [5.0], "feedback.complaints": [10.0]})
    low_gmv = Threshold(signal=Raw(GMV), predicate=Below(1.0))  # not breached
    many = Threshold(signal=Raw("feedback.complaints"), predicate=Above(5.0))
    few = Threshold(signal=Raw("feedback.complaints"), predicate=Below(5.0))
    high_gmv = Threshold(signal=Raw(GMV), predicate=Above(1.0))

    either = trace(AnyOf([low_gmv, many]), data)
    both = trace(AllOf([high_gmv, few]), data)

    assert [10.0, 5.0] == [float(either.observed[0, 0]), float(either.bound[0, 0])]
    assert [10.0, 5.0] == [float(both.observed[0, 0]), float(both.bound[0, 0])]
