"""Before/after KPI evaluation over a panel (book §6 數據分析和效果評估)."""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    NaiveDatetimeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.monitoring import Direction, Panel, default_metrics
from crisisops.response import Crisis
from crisisops.review.evaluation import (
    MAX_PERMUTATIONS,
    BaselineStatistic,
    EffectTotals,
    EvaluationWindow,
    KPIEffect,
    SeasonalBaseline,
    TrailingBaseline,
    Windows,
    _permutation_p_values,
    evaluate_effect,
    evaluate_effects,
)
from crisisops.review.record import Review
from crisisops.serialization import from_data, to_data
from crisisops.taxonomy import ResponseLevel

UTC = dt.timezone.utc
TAIPEI = dt.timezone(dt.timedelta(hours=8))
NAN = math.nan
HIGHER = Direction.HIGHER_IS_BETTER
LOWER = Direction.LOWER_IS_BETTER


def day(n: float, tz: dt.tzinfo = UTC) -> dt.datetime:
    """Midnight of 1 May 2026 (a Friday) plus ``n`` days."""
    return dt.datetime(2026, 5, 1, tzinfo=tz) + dt.timedelta(days=n)


def daily(columns: dict[str, Any], entities: tuple[str, ...] = ("shop",)) -> Panel:
    """A daily panel from ``{metric: (T,) or (T, E) values}``."""
    arrays = {}
    for metric, values in columns.items():
        array = np.asarray(values, dtype=np.float64)
        arrays[metric] = array[:, np.newaxis] if array.ndim == 1 else array
    length = next(iter(arrays.values())).shape[0]
    return Panel.from_metric_arrays([day(n) for n in range(length)], entities, arrays)


def windows(before: int, during: int, after: int, *, gap: int = 0) -> Windows:
    """Back-to-back windows of ``before``, ``during`` and ``after`` days from day 0."""
    b = before
    d = b + gap + during
    return Windows(
        before=(day(0), day(b)),
        during=(day(b + gap), day(d)),
        after=(day(d), day(d + after)),
    )


def _json(document: dict[str, Any]) -> Any:
    return json.loads(json.dumps(document, allow_nan=False))


# The book's story: four normal days at 100, a three-day crisis, five days back.
GMV = [100, 100, 100, 100, 60, 70, 90, 92, 97, 99, 101, 100]


@pytest.fixture
def gmv_effect() -> KPIEffect:
    return evaluate_effect(
        daily({"sales.gmv": GMV}), "sales.gmv", windows(4, 3, 5), rng=7
    )


# --- hand-worked series ------------------------------------------------------


def test_means_deltas_and_percentages_of_the_hand_worked_series(
    gmv_effect: KPIEffect,
) -> None:
    # before: (100 × 4) / 4 = 100; during: (60 + 70 + 90) / 3 = 73.33...;
    # after: (92 + 97 + 99 + 101 + 100) / 5 = 489 / 5 = 97.8.
    assert [100.0] == gmv_effect.before_mean.tolist()
    assert pytest.approx([220 / 3]) == gmv_effect.during_mean.tolist()
    assert pytest.approx([97.8]) == gmv_effect.after_mean.tolist()
    assert ([4], [3], [5]) == (
        gmv_effect.before_count.tolist(),
        gmv_effect.during_count.tolist(),
        gmv_effect.after_count.tolist(),
    )
    # delta during: 73.33 - 100 = -26.67 (-26.67 %); after: -2.2 (-2.2 %).
    assert pytest.approx([220 / 3 - 100]) == gmv_effect.delta_during.tolist()
    assert pytest.approx([-2.2]) == gmv_effect.delta_after.tolist()
    assert pytest.approx([-80 / 3]) == gmv_effect.pct_during.tolist()
    assert pytest.approx([-2.2]) == gmv_effect.pct_after.tolist()
    assert pytest.approx([0.978]) == gmv_effect.recovery_ratio.tolist()
    assert pytest.approx([97.8]) == gmv_effect.mean(EvaluationWindow.AFTER).tolist()


def test_loss_area_is_the_shortfall_below_the_baseline(gmv_effect: KPIEffect) -> None:
    # Baseline: the before mean, 100, for all eight horizon days.
    # Shortfall: 40, 30, 10, 8, 3, 1, 0 (101 is above), 0 -> 92 CNY × days.
    assert [[100.0]] * 8 == gmv_effect.baseline.tolist()
    assert [[v] for v in GMV[4:]] == gmv_effect.actual.tolist()
    assert [[40.0], [30.0], [10.0], [8.0], [3.0], [1.0], [0.0], [0.0]] == (
        gmv_effect.shortfall.tolist()
    )
    assert [92.0] == gmv_effect.loss_area.tolist()
    assert tuple(day(n) for n in range(4, 12)) == gmv_effect.timestamps
    assert 3 == gmv_effect.during_periods
    # The three during days lose 40 + 30 + 10 = 80; the after days 8 + 3 + 1 = 12.
    assert [80.0] == gmv_effect.loss_during.tolist()
    assert [12.0] == gmv_effect.loss_after.tolist()


def test_time_to_recover_on_the_hand_worked_series(gmv_effect: KPIEffect) -> None:
    # Target 0.95 × 100 = 95: 60, 70, 90, 92 miss; 97, 99, 101, 100 meet.
    # The last miss is horizon period 3 (day 7), so recovery is period 4
    # (day 8): one day after the crisis ended (day 7).
    assert [4] == gmv_effect.recovery_index.tolist()
    assert (day(8),) == gmv_effect.recovered_at
    assert (dt.timedelta(days=1),) == gmv_effect.time_to_recover
    assert [1.0] == gmv_effect.periods_to_recover.tolist()


def test_a_dip_after_a_first_recovery_moves_the_recovery_later() -> None:
    # 96 meets 95 at day 7, but 94 at day 9 misses: recovery is day 10.
    series = [100, 100, 100, 100, 50, 96, 97, 94, 96, 97]
    effect = evaluate_effect(
        daily({"sales.gmv": series}), "sales.gmv", windows(4, 1, 5), permutations=0
    )
    assert (day(8),) == effect.recovered_at
    assert (dt.timedelta(days=3),) == effect.time_to_recover


def test_a_recovery_fraction_of_one_needs_the_full_baseline() -> None:
    effect = evaluate_effect(
        daily({"sales.gmv": GMV}),
        "sales.gmv",
        windows(4, 3, 5),
        recovery_fraction=1.0,
        permutations=0,
    )
    # 99 at day 9 is the last value below 100: recovery at day 10.
    assert (day(10),) == effect.recovered_at


def test_a_kpi_that_never_recovers_has_no_recovery() -> None:
    series = [100, 100, 50, 60, 70]
    effect = evaluate_effect(
        daily({"sales.gmv": series}), "sales.gmv", windows(2, 1, 2), permutations=0
    )
    assert [-1] == effect.recovery_index.tolist()
    assert ((None,), (None,)) == (effect.recovered_at, effect.time_to_recover)
    assert math.isnan(effect.periods_to_recover[0])


def test_a_kpi_back_before_the_crisis_ended_recovers_at_a_during_period() -> None:
    # Back at 98 on the second crisis day (day 3) and stays: recovered one
    # day before the crisis ended on day 4 (a negative time to recover).
    series = [100, 100, 50, 98, 99, 100]
    effect = evaluate_effect(
        daily({"sales.gmv": series}), "sales.gmv", windows(2, 2, 2), permutations=0
    )
    assert (day(3),) == effect.recovered_at
    assert (dt.timedelta(days=-1),) == effect.time_to_recover
    assert [-1.0] == effect.periods_to_recover.tolist()


def test_lower_is_better_metric_counts_rises_as_loss() -> None:
    # feedback.complaints is lower-is-better. Baseline 10.
    # Shortfall (actual - 10)+: 20, 10, 2, 1, 0, 0, 0, 0 -> loss 33.
    # Target: 0.95 × actual <= 10, i.e. actual <= 10.53: 30, 20, 12, 11 miss,
    # 10 meets at day 8 and after: one day after the crisis ended.
    series = [10, 10, 10, 10, 30, 20, 12, 11, 10, 9, 10, 10]
    effect = evaluate_effect(
        daily({"feedback.complaints": series}),
        "feedback.complaints",
        windows(4, 3, 5),
        permutations=0,
    )
    assert LOWER is effect.direction
    assert [33.0] == effect.loss_area.tolist()
    assert (dt.timedelta(days=1),) == effect.time_to_recover
    assert pytest.approx([1.0]) == effect.recovery_ratio.tolist()  # 10 / 10


def test_missing_values_are_ignored_in_means_loss_and_recovery() -> None:
    series = [100, NAN, 100, 100, 60, NAN, 90, 92, NAN, 99, 101, 100]
    effect = evaluate_effect(
        daily({"sales.gmv": series}), "sales.gmv", windows(4, 3, 5), rng=1
    )
    # Means by hand: before 300 / 3 = 100, during 150 / 2 = 75, after 392 / 4 = 98.
    assert [100.0, 75.0, 98.0] == [
        effect.before_mean[0],
        effect.during_mean[0],
        effect.after_mean[0],
    ]
    assert ([3], [2], [4]) == (
        effect.before_count.tolist(),
        effect.during_count.tolist(),
        effect.after_count.tolist(),
    )
    # Loss: 40 + 10 + 8 + 1 = 59 (the two missing days add nothing).
    assert [59.0] == effect.loss_area.tolist()
    # Last miss is 92 on day 7; day 8 is missing: recovery at day 9.
    assert (day(9),) == effect.recovered_at
    assert 0.0 < effect.p_value[0] <= 1.0


def test_an_entity_without_data_in_a_window_gets_nan() -> None:
    values = np.column_stack(
        [
            [100, 100, 50, 90, 100],
            [NAN, NAN, 5, 6, 7],  # "new" opened during the crisis
            [10, 10, NAN, 10, 10],  # "quiet" has no data during it
        ]
    )
    effect = evaluate_effect(
        daily({"sales.gmv": values}, ("old", "new", "quiet")),
        "sales.gmv",
        windows(2, 1, 2),
        rng=3,
        permutations=50,
    )
    assert [2, 0, 2] == effect.before_count.tolist()
    assert [1, 1, 0] == effect.during_count.tolist()
    assert math.isnan(effect.before_mean[1])
    assert math.isnan(effect.during_mean[2])
    # "new" has no baseline: no loss, no recovery, no test.
    assert math.isnan(effect.loss_area[1])
    assert -1 == effect.recovery_index[1]
    assert math.isnan(effect.p_value[1])
    assert math.isnan(effect.pct_after[1])
    # "quiet" has a baseline and after data: loss 0, recovered from day 3.
    assert 0.0 == effect.loss_area[2]
    assert day(3) == effect.recovered_at[2]
    assert 1 == effect.entity_index("new")


# --- baselines -----------------------------------------------------------------


def test_trailing_baseline_of_the_last_periods_and_the_median() -> None:
    series = [100, 300, 90, 110, 50, 80]
    panel = daily({"sales.gmv": series})
    last_two = evaluate_effect(
        panel,
        "sales.gmv",
        windows(4, 1, 1),
        baseline=TrailingBaseline(periods=2),
        permutations=0,
    )
    # Mean of the last two before days: (90 + 110) / 2 = 100.
    assert [[100.0], [100.0]] == last_two.baseline.tolist()
    # The loss by hand is (100 - 50) + (100 - 80) = 70.
    assert [70.0] == last_two.loss_area.tolist()
    median = evaluate_effect(
        panel,
        "sales.gmv",
        windows(4, 1, 1),
        baseline=TrailingBaseline(statistic="median"),
        permutations=0,
    )
    # Median of 90, 100, 110, 300 = (100 + 110) / 2 = 105: the spike is ignored.
    assert [[105.0], [105.0]] == median.baseline.tolist()
    assert BaselineStatistic.MEDIAN is median.counterfactual.statistic


def test_median_baseline_ignores_missing_values() -> None:
    series = [NAN, 7, 1, NAN, 3, 0]
    effect = evaluate_effect(
        daily({"sales.gmv": series}),
        "sales.gmv",
        windows(4, 1, 1),
        baseline=TrailingBaseline(statistic=BaselineStatistic.MEDIAN),
        permutations=0,
    )
    # Median of 1 and 7 = 4.
    assert [[4.0], [4.0]] == effect.baseline.tolist()


def test_seasonal_baseline_repeats_the_profile_per_position() -> None:
    # Positions (panel index mod 2) 0, 1, 0, 1 before: 10, 20, 12, 22.
    # Profile: position 0 -> (10 + 12) / 2 = 11, position 1 -> (20 + 22) / 2 = 21.
    # Horizon: indices 4, 5 (during), 6, 7 (after) -> 11, 21, 11, 21.
    series = [10, 20, 12, 22, 5, 10, 11, 20]
    effect = evaluate_effect(
        daily({"sales.gmv": series}),
        "sales.gmv",
        windows(4, 2, 2),
        baseline=SeasonalBaseline(season=2),
        permutations=0,
    )
    assert [[11.0], [21.0], [11.0], [21.0]] == effect.baseline.tolist()
    # The loss by hand is (11 - 5) + (21 - 10) + 0 + (21 - 20) = 18.
    assert [18.0] == effect.loss_area.tolist()
    # Target 0.95 × baseline: 10.45, 19.95 -> 11 and 20 meet from index 6.
    assert (day(6),) == effect.recovered_at


def test_seasonal_positions_follow_the_panel_index_not_the_window() -> None:
    # The before window starts at index 1 (after a one-day lead-in).
    # Indices 1..4 hold 20, 12, 22, 14: position 1 -> 21, position 0 -> 13.
    # Horizon indices 5..8 -> positions 1, 0, 1, 0 -> 21, 13, 21, 13.
    series = [999, 20, 12, 22, 14, 0, 0, 0, 0]
    panel = daily({"sales.gmv": series})
    frame = Windows(
        before=(day(1), day(5)), during=(day(5), day(7)), after=(day(7), day(9))
    )
    effect = evaluate_effect(
        panel,
        "sales.gmv",
        frame,
        baseline=SeasonalBaseline(season=2),
        permutations=0,
    )
    assert [[21.0], [13.0], [21.0], [13.0]] == effect.baseline.tolist()


def test_seasonal_median_profile_over_three_cycles() -> None:
    # Season 3 over indices 0..8: position 0 -> 1, 5, 100 (median 5);
    # position 1 -> 2, 2, 2 (2); position 2 -> 9, NaN, 3 (median (3 + 9) / 2 = 6).
    series = [1, 2, 9, 5, 2, NAN, 100, 2, 3, 0, 0, 0]
    effect = evaluate_effect(
        daily({"sales.gmv": series}),
        "sales.gmv",
        windows(9, 2, 1),
        baseline=SeasonalBaseline(season=3, statistic="median"),
        permutations=0,
    )
    assert [[5.0], [2.0], [6.0]] == effect.baseline.tolist()


def test_weekday_profile_of_a_daily_panel() -> None:
    # Two weeks before: weekdays 100, weekends 200 (1 May 2026 is a Friday,
    # so indices 1, 2 are Saturday and Sunday). The third week repeats them.
    pattern = [100, 200, 200, 100, 100, 100, 100]
    series = pattern * 3
    effect = evaluate_effect(
        daily({"sales.gmv": series}),
        "sales.gmv",
        windows(14, 3, 4),
        baseline=SeasonalBaseline(),
        permutations=0,
    )
    assert [[v] for v in pattern] == effect.baseline.tolist()
    assert [0.0] == effect.loss_area.tolist()


def test_baselines_round_trip_and_accept_the_statistic_by_name() -> None:
    for model in (
        TrailingBaseline(),
        TrailingBaseline(periods=3, statistic="median"),
        SeasonalBaseline(season=7, statistic=BaselineStatistic.MEDIAN),
    ):
        assert model == from_data(type(model), _json(to_data(model)))
    assert "中位數" == BaselineStatistic.MEDIAN.labels.zh_hant


@pytest.mark.parametrize(
    ("build", "error"),
    [
        (lambda: TrailingBaseline(periods=0), ValidationError),
        (lambda: TrailingBaseline(periods=True), InvalidTypeError),
        (lambda: TrailingBaseline(periods=2.0), InvalidTypeError),  # type: ignore[arg-type]
        (lambda: TrailingBaseline(statistic="mode"), InvalidTypeError),
        (lambda: SeasonalBaseline(season=1), ValidationError),
        (lambda: SeasonalBaseline(season="7"), InvalidTypeError),  # type: ignore[arg-type]
        (lambda: SeasonalBaseline(statistic=None), InvalidTypeError),  # type: ignore[arg-type]
    ],
)
def test_bad_baselines_are_refused(build: Any, error: type[Exception]) -> None:
    with pytest.raises(error):
        build()


# --- the permutation test --------------------------------------------------------


def _reference_p_values(
    before: np.ndarray[Any, Any], after: np.ndarray[Any, Any], count: int, seed: int
) -> list[float]:
    """The permutation test written plainly, one permutation at a time."""
    keys = np.random.default_rng(seed).random((count, len(before) + len(after)))
    pool = np.concatenate([before, after])
    result = []
    for column in pool.T:
        observed = np.flatnonzero(~np.isnan(column))
        n_before = int((observed < len(before)).sum())
        values = column[observed]
        if n_before == 0 or n_before == len(values):
            result.append(NAN)
            continue
        statistic = values[n_before:].mean() - values[:n_before].mean()
        tolerance = 1e-9 * np.abs(values - values.mean()).max()
        extreme = 0
        for row in keys:
            order = np.argsort(row[observed])
            drawn = values[order[n_before:]].mean() - values[order[:n_before]].mean()
            extreme += abs(drawn) >= abs(statistic) - tolerance
        result.append((1 + extreme) / (1 + count))
    return result


def test_permutation_test_matches_a_plain_reference() -> None:
    before = np.array([[1.0, 1.0, 5.0], [2.0, NAN, 5.0], [3.0, 3.0, 5.0]])
    after = np.array([[4.0, 4.0, 5.0], [5.0, 5.0, 5.0], [6.0, NAN, 5.0]])
    expected = _reference_p_values(before, after, 300, seed=11)
    actual = _permutation_p_values(before, after, 300, np.random.default_rng(11))
    assert pytest.approx(expected) == actual.tolist()
    # A constant entity never changes: p = 1.
    assert 1.0 == actual[2]


def test_permutation_p_value_estimates_the_exact_one() -> None:
    # 1, 2, 3 before and 4, 5, 6 after: of the C(6, 3) = 20 splits, only this
    # one and its mirror reach |difference| = 3, so the exact p-value is 0.1.
    panel = daily({"sales.gmv": [1, 2, 3, 50, 4, 5, 6]})
    effect = evaluate_effect(
        panel, "sales.gmv", windows(3, 1, 3), rng=2026, permutations=4000
    )
    standard_error = math.sqrt(0.1 * 0.9 / 4000)
    assert abs(effect.p_value[0] - 0.1) < 4 * standard_error + 1 / 4001


def test_permutation_results_do_not_depend_on_blocks_or_other_entities() -> None:
    rng = np.random.default_rng(5)
    before = rng.normal(100, 5, (10, 6))
    after = rng.normal(103, 5, (8, 6))
    before[2, 1] = NAN
    after[0, 4] = NAN
    whole = _permutation_p_values(before, after, 500, np.random.default_rng(9))
    small_blocks = _permutation_p_values(
        before, after, 500, np.random.default_rng(9), block_elements=40
    )
    alone = _permutation_p_values(
        before[:, [4]], after[:, [4]], 500, np.random.default_rng(9)
    )
    assert whole.tolist() == small_blocks.tolist()
    assert whole[4] == alone[0]


def test_a_seed_repeats_and_a_generator_advances() -> None:
    panel = daily({"sales.gmv": [1, 4, 2, 9, 5, 3, 8, 6]})
    frame = windows(3, 1, 4)
    first = evaluate_effect(panel, "sales.gmv", frame, rng=42, permutations=200)
    again = evaluate_effect(panel, "sales.gmv", frame, rng=42, permutations=200)
    assert first == again
    shared = np.random.default_rng(42)
    one = evaluate_effect(panel, "sales.gmv", frame, rng=shared, permutations=200)
    two = evaluate_effect(panel, "sales.gmv", frame, rng=shared, permutations=200)
    assert one == first
    assert one.p_value.tolist() != two.p_value.tolist()


def test_no_permutations_needs_no_rng_and_leaves_p_values_missing() -> None:
    panel = daily({"sales.gmv": GMV})
    effect = evaluate_effect(panel, "sales.gmv", windows(4, 3, 5), permutations=0)
    assert math.isnan(effect.p_value[0])
    seeded = evaluate_effect(
        panel, "sales.gmv", windows(4, 3, 5), permutations=0, rng=3
    )
    assert math.isnan(seeded.p_value[0])


def test_a_permutation_test_needs_an_explicit_rng() -> None:
    with pytest.raises(ValidationError, match="explicit randomness"):
        evaluate_effect(daily({"sales.gmv": GMV}), "sales.gmv", windows(4, 3, 5))


# --- totals ----------------------------------------------------------------------


def test_totals_sum_or_average_the_comparable_entities() -> None:
    values = np.column_stack(
        [
            [100, 100, 60, 100, 100],  # loss 40
            [50, 50, 40, 50, 50],  # loss 10
            [NAN, NAN, 1, 1, 1],  # no before data: not comparable
        ]
    )
    effect = evaluate_effect(
        daily({"sales.gmv": values}, ("a", "b", "c")),
        "sales.gmv",
        windows(2, 1, 2),
        permutations=0,
    )
    total = effect.totals()
    # Sum over a and b: before 150, during 100, after 150, loss 50.
    assert (
        EffectTotals(
            metric="sales.gmv",
            how="sum",
            entities=("a", "b"),
            before_mean=150.0,
            during_mean=100.0,
            after_mean=150.0,
            loss_area=50.0,
        )
        == total
    )
    assert (-50.0, 0.0, 1.0) == (
        total.delta_during,
        total.delta_after,
        total.recovery_ratio,
    )
    assert pytest.approx(-100 / 3) == total.pct_during
    assert 0.0 == total.pct_after
    average = effect.totals("mean")
    assert (75.0, 25.0) == (average.before_mean, average.loss_area)


def test_totals_without_a_comparable_entity_are_missing() -> None:
    effect = evaluate_effect(
        daily({"sales.gmv": [NAN, NAN, 1, 1, 1]}),
        "sales.gmv",
        windows(2, 1, 2),
        permutations=0,
    )
    total = effect.totals()
    assert () == total.entities
    assert math.isnan(total.before_mean)
    assert math.isnan(total.pct_after)
    assert math.isnan(total.recovery_ratio)
    assert total == from_data(EffectTotals, _json(to_data(total)))


def test_bad_totals_are_refused(gmv_effect: KPIEffect) -> None:
    with pytest.raises(ValidationError, match="'how'"):
        gmv_effect.totals("median")  # type: ignore[arg-type]
    good: dict[str, Any] = {
        "metric": "sales.gmv",
        "how": "sum",
        "entities": ("a",),
        "before_mean": 1.0,
        "during_mean": 1.0,
        "after_mean": 1.0,
        "loss_area": 0.0,
    }
    for field, value, error in [
        ("how", "max", ValidationError),
        ("before_mean", math.inf, ValidationError),
        ("loss_area", "0", InvalidTypeError),
        ("entities", ("a", "a"), DuplicateKeyError),
        ("metric", "Sales GMV", ValidationError),
    ]:
        with pytest.raises(error):
            EffectTotals(**{**good, field: value})


# --- windows -------------------------------------------------------------------


def test_windows_accept_lists_and_gaps() -> None:
    frame = Windows(
        before=[day(0), day(3)], during=[day(4), day(6)], after=[day(6), day(9)]
    )
    assert (day(0), day(3)) == frame.before
    assert frame.get(EvaluationWindow.DURING) == frame.during
    assert "危機後" == EvaluationWindow.AFTER.labels.zh_hant
    assert frame == from_data(Windows, _json(to_data(frame)))


def test_windows_compare_as_instants_across_zones() -> None:
    # 08:00 in Taipei is midnight UTC: "during" starts exactly where "before" ends.
    frame = Windows(
        before=(day(0), day(3)),
        during=(day(3, TAIPEI) + dt.timedelta(hours=8), day(5)),
        after=(day(5), day(6)),
    )
    assert frame.during[0].utcoffset() == dt.timedelta(hours=8)


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"before": (day(3), day(3))}, ValidationError, "'before'"),
        ({"during": (day(6), day(4))}, ValidationError, "'during'"),
        ({"during": (day(2), day(6))}, ValidationError, "'during'"),
        ({"after": (day(5), day(9))}, ValidationError, "'after'"),
        ({"after": (day(6),)}, InvalidTypeError, "'after'"),
        ({"before": "2026-05-01/2026-05-03"}, InvalidTypeError, "'before'"),
        (
            {"before": (dt.datetime(2026, 5, 1), day(3))},  # noqa: DTZ001  on purpose
            NaiveDatetimeError,
            "'before\\[0\\]'",
        ),
        ({"during": (day(4), "2026-05-06")}, InvalidTypeError, "'during\\[1\\]'"),
    ],
)
def test_bad_windows_name_the_window(
    changes: dict[str, Any], error: type[Exception], field: str
) -> None:
    good: dict[str, Any] = {
        "before": (day(0), day(3)),
        "during": (day(4), day(6)),
        "after": (day(6), day(9)),
    }
    with pytest.raises(error, match=field):
        Windows(**{**good, **changes})


def test_windows_get_refuses_a_name() -> None:
    with pytest.raises(InvalidTypeError):
        windows(1, 1, 1).get("before")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("frame", "field"),
    [
        # Starts a day before the panel's first period.
        (
            Windows(
                before=(day(-1), day(3)),
                during=(day(3), day(5)),
                after=(day(5), day(8)),
            ),
            "windows.before",
        ),
        # Ends two days after the last period (day 9): the panel covers to day 10.
        (
            Windows(
                before=(day(0), day(3)),
                during=(day(3), day(5)),
                after=(day(5), day(11)),
            ),
            "windows.after",
        ),
        # Inside the panel but between two daily periods.
        (
            Windows(
                before=(day(0), day(3)),
                during=(day(3.25), day(3.75)),
                after=(day(5), day(8)),
            ),
            "windows.during",
        ),
    ],
)
def test_windows_must_fit_the_panel(frame: Windows, field: str) -> None:
    panel = daily({"sales.gmv": np.arange(10.0)})
    with pytest.raises(ValidationError, match=field):
        evaluate_effect(panel, "sales.gmv", frame, permutations=0)


def test_a_window_may_end_one_period_after_the_last() -> None:
    panel = daily({"sales.gmv": np.arange(10.0)})
    frame = Windows(
        before=(day(0), day(3)), during=(day(3), day(5)), after=(day(5), day(10))
    )
    effect = evaluate_effect(panel, "sales.gmv", frame, permutations=0)
    assert [5] == effect.after_count.tolist()


def test_a_panel_needs_three_periods() -> None:
    panel = daily({"sales.gmv": [1.0, 2.0]})
    frame = Windows(
        before=(day(0), day(1)), during=(day(1), day(1.5)), after=(day(1.5), day(2))
    )
    with pytest.raises(ValidationError, match="'panel'"):
        evaluate_effect(panel, "sales.gmv", frame, permutations=0)


# --- windows around a crisis -----------------------------------------------------


def _crisis(
    *, impact: dt.datetime | None = None, resolve: bool = True, dismiss: bool = False
) -> Crisis:
    crisis = Crisis.declare(
        "gmv_drop",
        title="GMV fell after a rumour",
        crisis_type="market.traffic_swing",
        level=ResponseLevel.III,
        at=day(4.5),
        actor="duty manager",
        lead="mei",
        detected_at=day(4.25),
        impact_started_at=impact,
    )
    if dismiss:
        return crisis.dismiss(at=day(4.75), actor="mei", reason="A data glitch")
    crisis = crisis.confirm(at=day(4.6), actor="mei", root_cause="A rumour spread")
    crisis = crisis.mark_contained(at=day(5.5), actor="mei")
    crisis = crisis.mark_recovered(at=day(6), actor="mei")
    if resolve:
        crisis = crisis.resolve(at=day(6.5), actor="mei")
    return crisis


def test_windows_around_a_resolved_crisis() -> None:
    crisis = _crisis(impact=day(4.125))
    frame = Windows.around(
        crisis, before=dt.timedelta(days=4), after=dt.timedelta(days=7)
    )
    assert (day(0.125), day(4.125)) == frame.before
    assert (day(4.125), day(6.5)) == frame.during
    assert (day(6.5), day(13.5)) == frame.after


def test_windows_around_use_the_detection_without_an_impact_start() -> None:
    frame = Windows.around(
        _crisis(), before=dt.timedelta(days=2), after=dt.timedelta(days=2)
    )
    assert (day(4.25), day(6.5)) == frame.during


def test_windows_around_a_dismissed_crisis_end_when_it_was_dismissed() -> None:
    frame = Windows.around(
        _crisis(dismiss=True), before=dt.timedelta(days=2), after=dt.timedelta(days=2)
    )
    assert (day(4.25), day(4.75)) == frame.during


def test_windows_around_snap_to_the_panel_periods() -> None:
    # Impact began at 03:00 on day 4 and the crisis ended at 12:00 on day 6:
    # during covers the whole of days 4, 5 and 6, [day 4, day 7).
    panel = daily({"sales.gmv": np.arange(14.0)})
    frame = Windows.around(
        _crisis(impact=day(4.125)),
        before=dt.timedelta(days=4),
        after=dt.timedelta(days=7),
        panel=panel,
    )
    assert (
        Windows(
            before=(day(0), day(4)), during=(day(4), day(7)), after=(day(7), day(14))
        )
        == frame
    )
    effect = evaluate_effect(panel, "sales.gmv", frame, permutations=0)
    assert ([4], [3], [7]) == (
        effect.before_count.tolist(),
        effect.during_count.tolist(),
        effect.after_count.tolist(),
    )


def test_windows_around_a_review_are_those_around_its_crisis() -> None:
    # A review keeps the crisis's milestones and end: same windows, also for a
    # dismissed crisis, and snapped alike.
    panel = daily({"sales.gmv": np.arange(14.0)})
    before, after = dt.timedelta(days=4), dt.timedelta(days=7)
    for crisis in (_crisis(impact=day(4.125)), _crisis(dismiss=True)):
        review = Review.draft(
            crisis, key="review", at=day(7), owner="mei", summary="A rumour"
        )
        for grid in (None, panel):
            assert Windows.around(
                crisis, before=before, after=after, panel=grid
            ) == Windows.around(review, before=before, after=after, panel=grid)


def test_a_crisis_ending_on_a_period_boundary_leaves_that_period_out() -> None:
    panel = daily({"sales.gmv": np.arange(10.0)})
    crisis = _crisis(impact=day(4))
    crisis = Crisis.from_events(crisis.events[:-1]).resolve(at=day(6), actor="mei")
    frame = Windows.around(
        crisis, before=dt.timedelta(days=2), after=dt.timedelta(days=2), panel=panel
    )
    assert (day(4), day(6)) == frame.during


def test_bad_arguments_to_windows_around() -> None:
    days = dt.timedelta(days=2)
    with pytest.raises(ValidationError, match=r"'crisis'.*ended"):
        Windows.around(_crisis(resolve=False), before=days, after=days)
    with pytest.raises(InvalidTypeError, match="'crisis'"):
        Windows.around("gmv_drop", before=days, after=days)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="'before'"):
        Windows.around(_crisis(), before=dt.timedelta(0), after=days)
    with pytest.raises(InvalidTypeError, match="'after'"):
        Windows.around(_crisis(), before=days, after=2)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'panel'"):
        Windows.around(_crisis(), before=days, after=days, panel="p")  # type: ignore[arg-type]
    late = Panel.from_metric_arrays(
        [day(5), day(6), day(7)], ["shop"], {"sales.gmv": [[1.0], [2.0], [3.0]]}
    )
    with pytest.raises(ValidationError, match=r"'crisis'.*began within"):
        Windows.around(_crisis(), before=days, after=days, panel=late)
    short = daily({"sales.gmv": np.arange(6.0)})
    with pytest.raises(ValidationError, match="'panel'"):
        Windows.around(_crisis(), before=days, after=days, panel=short)


# --- bad input to evaluate_effect ----------------------------------------------------


@pytest.fixture
def panel() -> Panel:
    return daily(
        {"sales.gmv": np.column_stack([GMV, GMV]), "ops.custom": np.ones((12, 2))},
        ("a", "b"),
    )


@pytest.mark.parametrize(
    ("arguments", "error", "field"),
    [
        ({"panel": "panel"}, InvalidTypeError, "'panel'"),
        ({"metric": "sales.gvm"}, UnknownKeyError, "sales.gmv"),
        ({"windows": (1, 2, 3)}, InvalidTypeError, "'windows'"),
        ({"baseline": "trailing"}, InvalidTypeError, "'baseline'"),
        (
            {"baseline": TrailingBaseline(periods=5)},
            ValidationError,
            "baseline.periods",
        ),
        ({"baseline": SeasonalBaseline(season=7)}, ValidationError, "baseline.season"),
        ({"entities": ["a", "z"]}, UnknownKeyError, "'z'"),
        ({"entities": ["a", "a"]}, ValidationError, "entities"),
        ({"entities": []}, ValidationError, "'entities'"),
        ({"entities": "a"}, InvalidTypeError, "'entities'"),
        ({"entities": [1]}, InvalidTypeError, "entities\\[0\\]"),
        ({"direction": "higher"}, InvalidTypeError, "'direction'"),
        ({"metric": "ops.custom"}, ValidationError, "'direction'"),
        ({"catalog": {"sales.gmv": HIGHER}}, InvalidTypeError, "'catalog'"),
        ({"catalog": "metrics", "direction": HIGHER}, InvalidTypeError, "'catalog'"),
        ({"recovery_fraction": 0.0}, ValidationError, "'recovery_fraction'"),
        ({"recovery_fraction": 1.5}, ValidationError, "'recovery_fraction'"),
        ({"recovery_fraction": NAN}, ValidationError, "'recovery_fraction'"),
        ({"recovery_fraction": True}, InvalidTypeError, "'recovery_fraction'"),
        ({"permutations": -1}, ValidationError, "'permutations'"),
        ({"permutations": MAX_PERMUTATIONS + 1}, ValidationError, "'permutations'"),
        ({"permutations": 10.0}, InvalidTypeError, "'permutations'"),
        ({"permutations": True}, InvalidTypeError, "'permutations'"),
        ({"rng": -1}, ValidationError, "'rng'"),
        ({"rng": 1.5}, InvalidTypeError, "'rng'"),
        ({"rng": None}, ValidationError, "'rng'"),
    ],
)
def test_bad_input_to_evaluate_effect(
    panel: Panel, arguments: dict[str, Any], error: type[Exception], field: str
) -> None:
    call: dict[str, Any] = {
        "panel": panel,
        "metric": "sales.gmv",
        "windows": windows(4, 3, 5),
        "rng": 1,
        "permutations": 20,
        **arguments,
    }
    if "catalog" in arguments:
        call["metric"] = "ops.custom"
    with pytest.raises(error, match=field):
        evaluate_effect(
            call.pop("panel"), call.pop("metric"), call.pop("windows"), **call
        )


def test_a_custom_metric_takes_its_direction_from_the_argument(panel: Panel) -> None:
    effect = evaluate_effect(
        panel, "ops.custom", windows(4, 3, 5), direction=LOWER, permutations=0
    )
    assert [0.0, 0.0] == effect.loss_area.tolist()
    complaints = default_metrics()["feedback.complaints"]
    catalog = default_metrics().add(attrs.evolve(complaints, key="ops.custom"))
    custom = evaluate_effect(
        panel, "ops.custom", windows(4, 3, 5), catalog=catalog, permutations=0
    )
    assert LOWER is custom.direction


def test_entities_are_evaluated_in_the_order_given(panel: Panel) -> None:
    effect = evaluate_effect(
        panel, "sales.gmv", windows(4, 3, 5), entities=["b", "a"], rng=4
    )
    assert ("b", "a") == effect.entities
    with pytest.raises(UnknownKeyError, match="did you mean 'a'"):
        effect.entity_index("aa")


def test_a_failed_call_leaves_the_generator_untouched(panel: Panel) -> None:
    shared = np.random.default_rng(8)
    state = shared.bit_generator.state
    with pytest.raises(ValidationError):
        evaluate_effect(
            panel,
            "sales.gmv",
            windows(4, 3, 5),
            baseline=SeasonalBaseline(season=9),
            rng=shared,
        )
    with pytest.raises(ValidationError):
        evaluate_effects(
            panel, ["sales.gmv", "ops.custom"], windows(4, 3, 5), rng=shared
        )
    assert state == shared.bit_generator.state


# --- several metrics ---------------------------------------------------------------


def test_evaluate_effects_equals_one_call_per_metric(panel: Panel) -> None:
    frame = windows(4, 3, 5)
    table = evaluate_effects(
        panel,
        ["sales.gmv", "ops.custom"],
        frame,
        directions={"ops.custom": HIGHER},
        rng=5,
        permutations=100,
    )
    assert (
        evaluate_effect(panel, "sales.gmv", frame, rng=5, permutations=100),
        evaluate_effect(
            panel, "ops.custom", frame, direction=HIGHER, rng=5, permutations=100
        ),
    ) == table


def test_evaluate_effects_shares_a_generator_in_order(panel: Panel) -> None:
    frame = windows(4, 3, 5)
    first = np.random.default_rng(6)
    table = evaluate_effects(
        panel,
        ["sales.gmv", "ops.custom"],
        frame,
        directions={"ops.custom": LOWER},
        rng=first,
        permutations=50,
    )
    second = np.random.default_rng(6)
    assert (
        evaluate_effect(panel, "sales.gmv", frame, rng=second, permutations=50),
        evaluate_effect(
            panel,
            "ops.custom",
            frame,
            direction=LOWER,
            rng=second,
            permutations=50,
        ),
    ) == table
    assert first.bit_generator.state == second.bit_generator.state


@pytest.mark.parametrize(
    ("arguments", "error", "field"),
    [
        ({"metrics": []}, ValidationError, "'metrics'"),
        ({"metrics": "sales.gmv"}, InvalidTypeError, "'metrics'"),
        ({"metrics": ["sales.gmv", "sales.gmv"]}, DuplicateKeyError, "sales.gmv"),
        ({"metrics": ["Sales"]}, ValidationError, "metrics\\[0\\]"),
        ({"metrics": ["sales.gmv", "sales.gvm"]}, UnknownKeyError, "sales.gvm"),
        ({"directions": {"sales.orders": HIGHER}}, UnknownKeyError, "sales.orders"),
        ({"directions": [("sales.gmv", HIGHER)]}, InvalidTypeError, "'directions'"),
        (
            {"directions": {"sales.gmv": "up"}},
            InvalidTypeError,
            "directions\\['sales.gmv'\\]",
        ),
        ({"metrics": ["sales.gmv", "ops.custom"]}, ValidationError, "ops.custom"),
        ({"panel": None}, InvalidTypeError, "'panel'"),
        ({"rng": "seed"}, InvalidTypeError, "'rng'"),
    ],
)
def test_bad_input_to_evaluate_effects(
    panel: Panel, arguments: dict[str, Any], error: type[Exception], field: str
) -> None:
    call: dict[str, Any] = {
        "panel": panel,
        "metrics": ["sales.gmv"],
        "windows": windows(4, 3, 5),
        "rng": 1,
        "permutations": 10,
        **arguments,
    }
    with pytest.raises(error, match=field):
        evaluate_effects(
            call.pop("panel"), call.pop("metrics"), call.pop("windows"), **call
        )


# --- the value class ---------------------------------------------------------------


def test_kpi_effect_arrays_are_read_only(gmv_effect: KPIEffect) -> None:
    for array in (
        gmv_effect.before_mean,
        gmv_effect.actual,
        gmv_effect.baseline,
        gmv_effect.recovery_index,
        gmv_effect.p_value,
        gmv_effect.pct_after,
        gmv_effect.shortfall,
    ):
        with pytest.raises(ValueError, match="read-only"):
            array[0] = 0


def test_kpi_effect_round_trips(gmv_effect: KPIEffect) -> None:
    document = _json(to_data(gmv_effect))
    assert "TrailingBaseline" == document["data"]["counterfactual"]["@type"]
    assert gmv_effect == from_data(KPIEffect, document)


def _fields(effect: KPIEffect) -> dict[str, Any]:
    return {
        field.name: getattr(effect, field.name) for field in KPIEffect.__attrs_attrs__
    }


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("before_mean", [1.0, 2.0], ValidationError),
        ("actual", [[1.0]], ValidationError),
        ("p_value", ["x"], InvalidTypeError),
        ("loss_area", [math.inf], ValidationError),
        ("before_count", [1.5], InvalidTypeError),
        ("recovery_index", [8], ValidationError),
        ("recovery_index", [-2], ValidationError),
        ("timestamps", (), InvalidTypeError),
        ("timestamps", (day(0),) * 8, ValidationError),
        ("timestamps", tuple(day(n) for n in range(11, 3, -1)), ValidationError),
        ("entities", ("shop", "shop"), DuplicateKeyError),
        ("recovery_fraction", 0.0, ValidationError),
        ("permutations", -5, ValidationError),
        ("counterfactual", "trailing", InvalidTypeError),
        ("direction", "higher", InvalidTypeError),
        ("windows", None, InvalidTypeError),
    ],
)
def test_kpi_effect_checks_its_fields(
    gmv_effect: KPIEffect, field: str, value: object, error: type[Exception]
) -> None:
    named = {"entities": "entity"}.get(field, field)  # "duplicate entity 'shop'"
    with pytest.raises(error, match=named):
        KPIEffect(**{**_fields(gmv_effect), field: value})


def test_kpi_effect_lookups_refuse_bad_keys(gmv_effect: KPIEffect) -> None:
    with pytest.raises(InvalidTypeError):
        gmv_effect.entity_index(0)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError):
        gmv_effect.mean("after")  # type: ignore[arg-type]


# --- properties ------------------------------------------------------------------

finite = st.floats(min_value=-1000, max_value=1000, allow_nan=False)
maybe_missing = st.one_of(finite, st.just(NAN))


@st.composite
def evaluations(draw: st.DrawFn) -> tuple[Panel, Windows, Direction]:
    entities = draw(st.integers(1, 3))
    before = draw(st.integers(1, 5))
    during = draw(st.integers(1, 3))
    after = draw(st.integers(1, 5))
    gap = draw(st.integers(0, 1))
    length = before + gap + during + after
    values = draw(
        st.lists(maybe_missing, min_size=length * entities, max_size=length * entities)
    )
    array = np.array(values).reshape(length, entities)
    names = tuple(f"e{i}" for i in range(entities))
    return (
        daily({"sales.gmv": array}, names),
        windows(before, during, after, gap=gap),
        draw(st.sampled_from(Direction)),
    )


@settings(max_examples=60, deadline=None)
@given(evaluations(), st.integers(0, 2**32 - 1))
def test_properties_of_an_evaluation(
    case: tuple[Panel, Windows, Direction], seed: int
) -> None:
    panel, frame, direction = case
    effect = evaluate_effect(
        panel, "sales.gmv", frame, direction=direction, rng=seed, permutations=30
    )
    for window in EvaluationWindow:
        block = panel.slice(*frame.get(window)).metric_values("sales.gmv")
        counts = (~np.isnan(block)).sum(axis=0)
        assert counts.tolist() == getattr(effect, f"{window.value}_count").tolist()
        for column in range(block.shape[1]):
            values = block[:, column][~np.isnan(block[:, column])]
            mean = effect.mean(window)[column]
            if values.size:
                assert pytest.approx(values.mean(), abs=1e-9) == mean
            else:
                assert math.isnan(mean)
    # The loss is never negative and is the sum of the shortfall.
    loss = effect.loss_area
    assert bool((np.isnan(loss) | (loss >= 0)).all())
    judged = ~np.isnan(effect.actual) & ~np.isnan(effect.baseline)
    summed = effect.shortfall.sum(axis=0)
    assert np.allclose(np.where(judged.any(axis=0), summed, NAN), loss, equal_nan=True)
    # From the recovery on, every judged value meets the target.
    target = effect.recovery_fraction * effect.baseline
    if direction is HIGHER:
        meets = effect.actual >= target
    else:
        meets = effect.recovery_fraction * effect.actual <= effect.baseline
    for column, index in enumerate(effect.recovery_index.tolist()):
        if index >= 0:
            assert bool((meets[index:, column] | ~judged[index:, column]).all())
            assert judged[index, column]
            earlier = np.flatnonzero(judged[:index, column])
            if earlier.size:
                assert not meets[earlier[-1], column]
    # p-values lie in [1 / (B + 1), 1] where there is a test.
    p = effect.p_value
    assert bool((np.isnan(p) | ((p >= 1 / 31) & (p <= 1.0))).all())
    testable = (effect.before_count > 0) & (effect.after_count > 0)
    assert (~np.isnan(p)).tolist() == testable.tolist()
    assert effect == from_data(KPIEffect, _json(to_data(effect)))
    assert frame == from_data(Windows, _json(to_data(frame)))
    totals = effect.totals()
    assert totals == from_data(EffectTotals, _json(to_data(totals)))


@settings(max_examples=40, deadline=None)
@given(evaluations())
def test_each_entity_is_evaluated_as_if_alone(
    case: tuple[Panel, Windows, Direction],
) -> None:
    panel, frame, direction = case
    together = evaluate_effect(
        panel, "sales.gmv", frame, direction=direction, rng=3, permutations=20
    )
    last = panel.entities[-1]
    alone = evaluate_effect(
        panel,
        "sales.gmv",
        frame,
        direction=direction,
        rng=3,
        permutations=20,
        entities=[last],
    )
    index = together.entity_index(last)
    for name in (
        "before_mean",
        "after_mean",
        "loss_area",
        "recovery_index",
        "p_value",
        "baseline",
    ):
        whole = getattr(together, name)
        part = getattr(alone, name)
        column = whole[..., index] if whole.ndim == 2 else whole[index]
        single = part[..., 0] if part.ndim == 2 else part[0]
        if name in {"recovery_index", "p_value"}:  # decisions and counts: exact
            assert np.array_equal(column, single, equal_nan=True)
        else:  # numpy may sum one column in another order: the last bit may differ
            np.testing.assert_allclose(column, single, rtol=1e-12, equal_nan=True)


@settings(max_examples=40, deadline=None)
@given(evaluations())
def test_mirroring_the_series_and_the_direction_keeps_the_loss(
    case: tuple[Panel, Windows, Direction],
) -> None:
    panel, frame, direction = case
    mirrored = daily({"sales.gmv": -panel.metric_values("sales.gmv")}, panel.entities)
    other = HIGHER if direction is LOWER else LOWER
    effect = evaluate_effect(
        panel, "sales.gmv", frame, direction=direction, permutations=0
    )
    mirror = evaluate_effect(
        mirrored, "sales.gmv", frame, direction=other, permutations=0
    )
    assert np.allclose(effect.loss_area, mirror.loss_area, equal_nan=True)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.integers(-20, 20), min_size=3, max_size=8),
    st.lists(st.integers(-20, 20), min_size=1, max_size=8),
    st.integers(-1000, 1000),
    st.sampled_from([0.25, 1.0, 8.0]),
)
def test_p_values_do_not_change_with_the_unit_or_the_origin(
    before: list[int], after: list[int], shift: int, scale: float
) -> None:
    first = np.array(before, dtype=np.float64)[:, np.newaxis]
    second = np.array(after, dtype=np.float64)[:, np.newaxis]
    plain = _permutation_p_values(first, second, 60, np.random.default_rng(1))
    moved = _permutation_p_values(
        first * scale + shift, second * scale + shift, 60, np.random.default_rng(1)
    )
    assert plain.tolist() == moved.tolist()


@settings(max_examples=40, deadline=None)
@given(
    st.sampled_from([None, 1, 2]),
    st.sampled_from(BaselineStatistic),
    st.integers(2, 7),
    st.sampled_from(BaselineStatistic),
    st.sampled_from(Direction),
    st.floats(min_value=0.01, max_value=1.0),
)
def test_baselines_and_windows_round_trip(
    periods: int | None,
    statistic: BaselineStatistic,
    season: int,
    seasonal_statistic: BaselineStatistic,
    direction: Direction,
    fraction: float,
) -> None:
    trailing = TrailingBaseline(periods=periods, statistic=statistic)
    seasonal = SeasonalBaseline(season=season, statistic=seasonal_statistic)
    assert trailing == from_data(TrailingBaseline, _json(to_data(trailing)))
    assert seasonal == from_data(SeasonalBaseline, _json(to_data(seasonal)))
    series = np.arange(24.0) % 5
    panel = daily({"sales.gmv": series})
    effect = evaluate_effect(
        panel,
        "sales.gmv",
        windows(14, 3, 7),
        baseline=seasonal,
        direction=direction,
        recovery_fraction=fraction,
        permutations=0,
    )
    assert effect == from_data(KPIEffect, _json(to_data(effect)))
    assert effect.totals("mean") == from_data(
        EffectTotals, _json(to_data(effect.totals("mean")))
    )
