"""Goals against results, response-speed targets and stakeholder feedback (§6)."""

from __future__ import annotations

import datetime as dt
import json
import math
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    NaiveDatetimeError,
    SerializationError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.labels import Labels
from crisisops.monitoring import Direction
from crisisops.response import Crisis, ResponseMetrics, measure
from crisisops.review.goals import (
    EFFORT_LABELS,
    RATING_LABELS,
    SPEED_METRICS,
    FeedbackSummary,
    GoalReport,
    GroupFeedback,
    Objective,
    ObjectiveResult,
    SpeedTarget,
    SpeedTargets,
    StakeholderFeedback,
    compare_goals,
    compare_speed,
    summarize_feedback,
)
from crisisops.serialization import from_data, to_data
from crisisops.stakeholders import default_kinds
from crisisops.taxonomy import ResponseLevel
from tests.strategies import aware_datetimes, dotted_keys, texts

UTC = dt.timezone.utc
DAY = dt.datetime(2026, 6, 18, tzinfo=UTC)
MINUTE = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)
HIGHER = Direction.HIGHER_IS_BETTER
LOWER = Direction.LOWER_IS_BETTER
L = ResponseLevel


def at(hour: int, minute: int = 0) -> dt.datetime:
    return DAY + dt.timedelta(hours=hour, minutes=minute)


def _json(document: dict[str, Any]) -> Any:
    return json.loads(json.dumps(document, allow_nan=False))


def _round_trip(value: Any) -> Any:
    return from_data(type(value), _json(to_data(value)))


def _objective(
    key: str = "gmv_recovery",
    *,
    target: float = 200.0,
    direction: Direction = HIGHER,
    weight: float = 1.0,
) -> Objective:
    return Objective(
        key=key,
        description=f"Goal {key}",
        target=target,
        direction=direction,
        weight=weight,
    )


# --- attainment arithmetic, by hand --------------------------------------------


def test_a_missed_higher_is_better_goal() -> None:
    # GMV target 200, actual 150: gap 150 - 200 = -50, ratio 150 / 200 = 0.75.
    result = _objective(target=200.0).judge(150.0)

    assert (False, -50.0, 0.75, 0.75) == (
        result.attained,
        result.gap,
        result.ratio,
        result.attainment,
    )


def test_a_missed_lower_is_better_goal() -> None:
    # Contain within 4 h (14,400 s), took 8 h (28,800 s): ratio 14400 / 28800.
    result = _objective(target=14_400.0, direction=LOWER).judge(28_800)

    assert (False, -14_400.0, 0.5, 0.5) == (
        result.attained,
        result.gap,
        result.ratio,
        result.attainment,
    )


def test_a_beaten_target_keeps_its_ratio_but_attainment_is_capped() -> None:
    # At most 40 complaints a day, 20 came: gap 40 - 20 = 20, ratio 40 / 20 = 2.
    result = _objective(target=40.0, direction=LOWER).judge(20)

    assert (True, 20.0, 2.0, 1.0) == (
        result.attained,
        result.gap,
        result.ratio,
        result.attainment,
    )


def test_hitting_the_target_exactly_attains_it() -> None:
    result = _objective(target=0.95).judge(0.95)

    assert (True, 0.0, 1.0, 1.0) == (
        result.attained,
        result.gap,
        result.ratio,
        result.attainment,
    )


@pytest.mark.parametrize(
    ("target", "direction", "actual", "attained", "ratio", "attainment"),
    [
        # "Net sentiment >= 0": a target of 0 has no ratio, all-or-nothing.
        (0.0, HIGHER, -0.2, False, None, 0.0),
        (0.0, HIGHER, 0.1, True, None, 1.0),
        # "Sales change >= -5 %": a negative target has no ratio either.
        (-0.05, HIGHER, -0.10, False, None, 0.0),
        # "No leaked records": target 0, 5 leaked → ratio 0 / 5 = 0.
        (0.0, LOWER, 5.0, False, 0.0, 0.0),
        # None leaked: 0 / 0 has no ratio; attained.
        (0.0, LOWER, 0.0, True, None, 1.0),
        # At most 10 complaints, none came: 10 / 0 has no ratio; attained.
        (10.0, LOWER, 0.0, True, None, 1.0),
        # A negative actual against a positive target: ratio -20 / 100, floor 0.
        (100.0, HIGHER, -20.0, False, -0.2, 0.0),
    ],
)
def test_targets_without_a_meaningful_ratio(
    target: float,
    direction: Direction,
    actual: float,
    attained: bool,  # noqa: FBT001  a parametrised expectation
    ratio: float | None,
    attainment: float,
) -> None:
    result = _objective(target=target, direction=direction).judge(actual)

    assert (attained, ratio, attainment) == (
        result.attained,
        result.ratio,
        result.attainment,
    )


def test_an_overflowing_ratio_and_gap_saturate() -> None:
    result = _objective(target=1e-300).judge(1e308)

    assert result.attained is True
    assert result.ratio is None  # 1e308 / 1e-300 is beyond a float
    assert 1.0 == result.attainment
    big = _objective(target=-1e308).judge(1e308)
    assert big.gap is not None
    assert math.isfinite(big.gap)


def test_an_unmeasured_objective_has_no_judgement() -> None:
    result = _objective().judge(None)

    assert not result.measured
    assert (None, None, None, None) == (
        result.attained,
        result.gap,
        result.ratio,
        result.attainment,
    )


def test_compare_goals_weighs_the_measured_objectives() -> None:
    objectives = [
        _objective("gmv_recovery", target=200.0, weight=3.0),
        _objective("contain_time", target=14_400.0, direction=LOWER),
        _objective("complaints", target=40.0, direction=LOWER, weight=5.0),
    ]

    report = compare_goals(objectives, {"gmv_recovery": 150, "contain_time": 28_800})

    # (3 × 0.75 + 1 × 0.5) / (3 + 1) = 2.75 / 4; "complaints" is not measured.
    assert 0.6875 == report.overall
    assert (2, 0) == (report.measured_count, report.attained_count)
    assert ["gmv_recovery", "contain_time"] == [r.objective.key for r in report.missed]
    assert ["complaints"] == [r.objective.key for r in report.unmeasured]
    assert 0.5 == report.result("contain_time").attainment


def test_an_explicit_none_is_the_same_as_no_value() -> None:
    objectives = [_objective("a"), _objective("b")]

    with_none = compare_goals(objectives, {"a": 250.0, "b": None})
    without = compare_goals(objectives, {"a": 250.0})

    assert with_none == without
    assert 1.0 == with_none.overall


def test_a_report_where_nothing_was_measured_has_no_overall() -> None:
    report = compare_goals([_objective()], {})

    assert report.overall is None
    assert (0, 0) == (report.measured_count, report.attained_count)


def test_numpy_numbers_are_accepted_as_values() -> None:
    report = compare_goals(
        [_objective("a"), _objective("b")],
        {"a": np.float64(150.0), "b": np.int64(300)},
    )

    assert [150.0, 300.0] == [r.actual for r in report.results]
    assert all(type(r.actual) is float for r in report.results)


# --- response speed ---------------------------------------------------------------


def _worked_crisis() -> Crisis:
    """Impact 08:00, detected 08:30, declared 08:40 at Level III, confirmed 09:00.

    Escalated to Level II at 10:00, contained 12:00, recovered 14:00,
    resolved 16:00 (all on 18 June, UTC).
    """
    crisis = Crisis.declare(
        "traffic_drop",
        title="Traffic drop after a platform outage",
        crisis_type="market.traffic_swing",
        level=L.III,
        at=at(8, 40),
        actor="monitor",
        lead="lin",
        detected_at=at(8, 30),
        impact_started_at=at(8),
    )
    crisis = crisis.confirm(at=at(9), actor="lin", root_cause="Search ranking lost")
    crisis = crisis.escalate(at=at(10), actor="lin", reason="GMV still falling")
    crisis = crisis.mark_contained(at=at(12), actor="lin")
    crisis = crisis.mark_recovered(at=at(14), actor="lin")
    return crisis.resolve(at=at(16), actor="lin")


def _worked_metrics() -> ResponseMetrics:
    return measure(_worked_crisis(), as_of=at(18))


def test_speed_against_the_default_level_ii_targets() -> None:
    # Peak level II (escalated from III). From detection at 08:30: acknowledged
    # after 30 min (target 30 min), contained after 3 h 30 (target 8 h),
    # resolved after 7 h 30 (target 3 days): all attained.
    report = compare_speed(_worked_metrics())

    assert [
        "speed.time_to_acknowledge",
        "speed.time_to_contain",
        "speed.time_to_resolve",
    ] == [r.objective.key for r in report.results]
    assert [1_800.0, 12_600.0, 27_000.0] == [r.actual for r in report.results]
    assert [1_800.0, 28_800.0, 259_200.0] == [
        r.objective.target for r in report.results
    ]
    assert [0.0, 16_200.0, 232_200.0] == [r.gap for r in report.results]
    assert 1.0 == report.overall
    assert all(r.objective.direction is LOWER for r in report.results)
    assert all(r.objective.unit == "s" for r in report.results)
    assert "確認用時（II級）" == report.results[0].objective.labels.zh_hant  # type: ignore[union-attr]


def test_speed_against_custom_targets_with_detect_and_recover() -> None:
    targets = SpeedTargets(
        levels={
            L.II: SpeedTarget(
                time_to_detect=15 * MINUTE,
                time_to_acknowledge=20 * MINUTE,
                time_to_contain=3 * HOUR,
                time_to_recover=6 * HOUR,
                time_to_resolve=6 * HOUR,
            )
        }
    )

    report = compare_speed(_worked_metrics(), targets=targets)

    # detect: 15 / 30 min; acknowledge: 20 / 30 min; contain: 3 h / 3 h 30;
    # recover: 5 h 30 ≤ 6 h; resolve: 6 h / 7 h 30.
    expected = [0.5, 2 / 3, 10_800 / 12_600, 1.0, 0.8]
    assert [f"speed.{m}" for m in SPEED_METRICS] == [
        r.objective.key for r in report.results
    ]
    assert expected == pytest.approx([r.attainment for r in report.results])
    assert sum(expected) / 5 == pytest.approx(report.overall)
    assert 1 == report.attained_count


def test_speed_for_an_explicit_level() -> None:
    report = compare_speed(_worked_metrics(), L.III)

    # Level III targets: 2 h, 24 h, 7 days.
    assert [7_200.0, 86_400.0, 604_800.0] == [
        r.objective.target for r in report.results
    ]


def test_speed_of_a_dismissed_false_alarm_measures_only_what_it_reached() -> None:
    crisis = Crisis.declare(
        "false_alarm",
        title="Sales dip that was a tracking bug",
        crisis_type="market.demand_shift",
        level=L.IV,
        at=at(9),
        actor="monitor",
        lead="lin",
        detected_at=at(9),
        impact_started_at=at(7),
    )
    crisis = crisis.dismiss(at=at(10), actor="lin", reason="tracking bug")
    targets = SpeedTargets(
        levels={
            L.IV: SpeedTarget(
                time_to_detect=HOUR,
                time_to_acknowledge=HOUR,
                time_to_contain=2 * HOUR,
                time_to_resolve=3 * HOUR,
            )
        }
    )

    report = compare_speed(measure(crisis, as_of=at(10)), targets=targets)

    # Only detection (07:00 → 09:00, 2 h against 1 h) was reached: 0.5.
    assert 1 == report.measured_count
    assert 0.5 == report.overall
    assert 3 == len(report.unmeasured)


def test_default_targets_tighten_with_severity() -> None:
    default = SpeedTargets.default()
    levels = list(default.levels)

    assert [L.I, L.II, L.III, L.IV] == levels
    for metric in ("time_to_acknowledge", "time_to_contain", "time_to_resolve"):
        spans = [default.for_level(level).get(metric) for level in levels]
        assert spans == sorted(spans)  # type: ignore[type-var]
    assert 15 * MINUTE == default.for_level(L.I).time_to_acknowledge
    assert dt.timedelta(days=30) == default.for_level(L.IV).time_to_resolve


def test_speed_targets_are_stored_most_severe_first() -> None:
    target = SpeedTarget(
        time_to_acknowledge=HOUR, time_to_contain=HOUR, time_to_resolve=HOUR
    )

    targets = SpeedTargets(levels={L.IV: target, L.I: target})

    assert [L.I, L.IV] == list(targets.levels)


# --- stakeholder feedback ----------------------------------------------------------


def _answer(group: str, **fields: Any) -> StakeholderFeedback:
    return StakeholderFeedback(group=group, at=at(20), **fields)


def test_feedback_summed_up_by_hand() -> None:
    feedback = [
        _answer("customers", rating=5, sentiment=0.5),
        _answer("customers", rating=4, comment="Refund was quick"),
        _answer("customers", rating=1, sentiment=-0.9),
        _answer("employees", effort=5, comment="Long night"),
        _answer("employees", effort=2, rating=3),
        _answer("partners", sentiment=0.2),
    ]

    summary = summarize_feedback(feedback)

    assert ("customers", "employees", "partners") == summary.keys
    customers = summary.group("customers")
    # Ratings 5, 4, 1: mean 10 / 3; 4 and 5 satisfied (2 / 3); 1 dissatisfied.
    assert (3, (1, 0, 0, 1, 1)) == (customers.count, customers.rating_counts)
    assert 10 / 3 == customers.mean_rating
    assert (2 / 3, 1 / 3) == (customers.satisfied_share, customers.dissatisfied_share)
    # Sentiments 0.5 and -0.9: mean -0.2.
    assert 2 == customers.sentiment_count
    assert -0.2 == pytest.approx(customers.mean_sentiment)
    assert (0, None, 1) == (
        customers.effort_count,
        customers.mean_effort,
        customers.comments,
    )
    employees = summary.group("employees")
    assert (2, 3.5, 1, 3.0, 0.0, 0.0) == (
        employees.effort_count,
        employees.mean_effort,
        employees.rated,
        employees.mean_rating,
        employees.satisfied_share,
        employees.dissatisfied_share,
    )
    partners = summary.group("partners")
    assert (1, 0, None, 0.2) == (
        partners.count,
        partners.rated,
        partners.mean_rating,
        partners.mean_sentiment,
    )
    overall = summary.overall
    # Ratings 5, 4, 1, 3: mean 13 / 4; sentiments 0.5, -0.9, 0.2: mean -0.2 / 3.
    assert overall.group is None
    assert (6, (1, 0, 1, 1, 1), 13 / 4, 0.5, 0.25) == (
        overall.count,
        overall.rating_counts,
        overall.mean_rating,
        overall.satisfied_share,
        overall.dissatisfied_share,
    )
    assert -0.2 / 3 == pytest.approx(overall.mean_sentiment)
    assert (2, 3.5, 2) == (overall.effort_count, overall.mean_effort, overall.comments)


def test_no_feedback_gives_an_empty_summary() -> None:
    summary = summarize_feedback([])

    assert () == summary.groups
    assert 0 == summary.overall.count
    assert summary.overall.mean_rating is None
    assert summary.overall.mean_sentiment is None


def test_feedback_groups_can_be_checked_against_the_stakeholder_kinds() -> None:
    kinds = default_kinds()

    summary = summarize_feedback([_answer("customers", rating=4)], kinds=kinds)

    assert ("customers",) == summary.keys
    with pytest.raises(UnknownKeyError, match="'customer'; did you mean 'customers'"):
        summarize_feedback([_answer("customer", rating=4)], kinds=kinds)


def test_rating_and_effort_scales_have_trilingual_labels() -> None:
    assert [1, 2, 3, 4, 5] == list(RATING_LABELS)
    assert [1, 2, 3, 4, 5, 6] == list(EFFORT_LABELS)
    assert "非常滿意" == RATING_LABELS[5].zh_hant
    assert "No effort" == EFFORT_LABELS[1].en


def test_numpy_integers_are_accepted_as_ratings() -> None:
    answer = _answer("customers", rating=np.int64(4), effort=np.int32(2))

    assert (4, 2) == (answer.rating, answer.effort)
    assert type(answer.rating) is int


# --- properties ----------------------------------------------------------------------

finite = st.floats(min_value=-1e9, max_value=1e9, allow_nan=False)
directions = st.sampled_from(list(Direction))
weights = st.floats(min_value=0.01, max_value=100.0, allow_nan=False)


@st.composite
def objectives(draw: st.DrawFn, key: str | None = None) -> Objective:
    return Objective(
        key=key or draw(dotted_keys),
        description=draw(texts),
        target=draw(finite),
        direction=draw(directions),
        weight=draw(weights),
        unit=draw(st.sampled_from(["", "s", "CNY", "complaints/day"])),
        labels=draw(
            st.none() | st.builds(Labels, en=texts, zh_hant=texts, zh_hans=texts)
        ),
    )


@st.composite
def reports(draw: st.DrawFn) -> GoalReport:
    n = draw(st.integers(min_value=1, max_value=4))
    items = [draw(objectives(key=f"goal_{i}")) for i in range(n)]
    actuals = {o.key: draw(st.none() | finite) for o in items}
    return compare_goals(items, actuals)


@settings(max_examples=30, deadline=None)
@given(objectives(), finite)
def test_attained_exactly_when_the_gap_is_not_negative_and_attainment_is_one(
    objective: Objective, actual: float
) -> None:
    result = objective.judge(actual)

    assert result.attainment is not None
    assert result.gap is not None
    assert 0.0 <= result.attainment <= 1.0
    assert result.attained is (result.gap >= 0.0)
    assert result.attained is (result.attainment == 1.0)
    if result.ratio is not None:
        assert result.attained is (result.ratio >= 1.0)


@settings(max_examples=30, deadline=None)
@given(objectives(), finite, finite)
def test_a_better_actual_never_lowers_attainment(
    objective: Objective, first: float, second: float
) -> None:
    worse, better = sorted((first, second))
    if objective.direction is LOWER:
        worse, better = better, worse

    low = objective.judge(worse).attainment
    high = objective.judge(better).attainment

    assert low is not None
    assert high is not None
    assert low <= high


@settings(max_examples=30, deadline=None)
@given(reports())
def test_overall_lies_between_the_measured_attainments(report: GoalReport) -> None:
    scores = [r.attainment for r in report.results if r.attainment is not None]

    if not scores:
        assert report.overall is None
    else:
        assert report.overall is not None
        assert min(scores) - 1e-12 <= report.overall <= max(scores) + 1e-12
    assert report.attained_count == len([r for r in report.results if r.attained])


@settings(max_examples=30, deadline=None)
@given(reports(), st.randoms(use_true_random=False), weights)
def test_overall_ignores_the_order_and_the_scale_of_the_weights(
    report: GoalReport, rng: Any, factor: float
) -> None:
    items = [r.objective for r in report.results]
    actuals = {r.objective.key: r.actual for r in report.results}
    rng.shuffle(items)
    scaled = [
        Objective(
            key=o.key,
            description=o.description,
            target=o.target,
            direction=o.direction,
            weight=o.weight * factor,
        )
        for o in items
    ]

    other = compare_goals(scaled, actuals)

    if report.overall is None:
        assert other.overall is None
    else:
        assert report.overall == pytest.approx(other.overall, rel=1e-9, abs=1e-12)


feedbacks = st.builds(
    StakeholderFeedback,
    group=st.sampled_from(["customers", "employees", "partners", "media.press"]),
    at=aware_datetimes,
    rating=st.none() | st.integers(min_value=1, max_value=5),
    sentiment=st.none() | st.floats(min_value=-1.0, max_value=1.0, allow_nan=False),
    effort=st.none() | st.integers(min_value=1, max_value=6),
    comment=st.just("noted"),
)


@settings(max_examples=30, deadline=None)
@given(st.lists(feedbacks, max_size=30), st.randoms(use_true_random=False))
def test_feedback_summary_matches_a_naive_count_whatever_the_order(
    answers: list[StakeholderFeedback], rng: Any
) -> None:
    summary = summarize_feedback(answers)
    shuffled = list(answers)
    rng.shuffle(shuffled)
    again = summarize_feedback(shuffled)

    assert sorted({a.group for a in answers}) == list(summary.keys)
    assert len(answers) == summary.overall.count
    for group in summary.groups:
        mine = [a for a in answers if a.group == group.group]
        ratings = [a.rating for a in mine if a.rating is not None]
        sentiments = [a.sentiment for a in mine if a.sentiment is not None]
        assert len(mine) == group.count
        assert tuple(ratings.count(k) for k in range(1, 6)) == group.rating_counts
        if ratings:
            assert sum(ratings) / len(ratings) == pytest.approx(group.mean_rating)
        if sentiments:
            assert group.mean_sentiment is not None
            assert -1.0 <= group.mean_sentiment <= 1.0
            assert float(np.mean(sentiments)) == pytest.approx(
                group.mean_sentiment, abs=1e-12
            )
        other = again.group(str(group.group))
        assert (group.count, group.rating_counts, group.mean_rating) == (
            other.count,
            other.rating_counts,
            other.mean_rating,
        )


# --- round trips ---------------------------------------------------------------------


speed_targets = st.builds(
    lambda spans, detect, recover: SpeedTarget(
        time_to_acknowledge=spans[0],
        time_to_contain=spans[1],
        time_to_resolve=spans[3],
        time_to_detect=detect,
        time_to_recover=spans[2] if recover else None,
    ),
    st.lists(
        st.integers(min_value=1, max_value=10**7).map(
            lambda s: dt.timedelta(seconds=s)
        ),
        min_size=4,
        max_size=4,
    ).map(sorted),
    st.none()
    | st.integers(min_value=1, max_value=10**6).map(lambda s: dt.timedelta(seconds=s)),
    st.booleans(),
)


@settings(max_examples=30, deadline=None)
@given(objectives(), st.none() | finite)
def test_objectives_and_results_round_trip(
    objective: Objective, actual: float | None
) -> None:
    result = objective.judge(actual)

    assert objective == _round_trip(objective)
    assert result == _round_trip(result)


@settings(max_examples=30, deadline=None)
@given(reports())
def test_goal_reports_round_trip(report: GoalReport) -> None:
    assert report == _round_trip(report)


@settings(max_examples=30, deadline=None)
@given(st.dictionaries(st.sampled_from(list(ResponseLevel)), speed_targets, min_size=1))
def test_speed_targets_round_trip(levels: dict[ResponseLevel, SpeedTarget]) -> None:
    targets = SpeedTargets(levels=levels)

    assert targets == _round_trip(targets)
    for target in targets.levels.values():
        assert target == _round_trip(target)


@settings(max_examples=30, deadline=None)
@given(st.lists(feedbacks, max_size=12))
def test_feedback_and_summaries_round_trip(answers: list[StakeholderFeedback]) -> None:
    summary = summarize_feedback(answers)

    assert summary == _round_trip(summary)
    assert summary.overall == _round_trip(summary.overall)
    for answer in answers:
        assert answer == _round_trip(answer)


def test_the_speed_report_of_a_crisis_round_trips() -> None:
    report = compare_speed(_worked_metrics())

    assert report == _round_trip(report)


def test_a_tampered_result_does_not_read_back() -> None:
    document = _json(to_data(_objective(target=200.0).judge(150.0)))
    document["data"]["attained"] = True

    with pytest.raises(SerializationError, match=r"\$\.data\.attained"):
        from_data(ObjectiveResult, document)


def test_an_objective_without_a_target_does_not_read_back() -> None:
    document = _json(to_data(_objective()))
    del document["data"]["target"]

    with pytest.raises(SerializationError, match=r"\$\.data\.target"):
        from_data(Objective, document)


# --- bad input ------------------------------------------------------------------


def _build_objective(**changes: Any) -> Objective:
    fields: dict[str, Any] = {
        "key": "gmv_recovery",
        "description": "GMV back",
        "target": 0.95,
        "direction": HIGHER,
    }
    fields.update(changes)
    return Objective(**fields)


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"target": None}, ValidationError, "'target' must be a finite target value"),
        ({"target": math.nan}, ValidationError, "'target'"),
        ({"target": math.inf}, ValidationError, "'target'"),
        ({"target": 10**400}, ValidationError, "'target'"),
        ({"target": "0.95"}, InvalidTypeError, "'target'"),
        ({"target": True}, InvalidTypeError, "'target'"),
        ({"key": "GMV Recovery"}, ValidationError, "'key'"),
        ({"description": " "}, ValidationError, "'description'"),
        ({"direction": "higher_is_better"}, InvalidTypeError, "'direction'"),
        ({"weight": 0.0}, ValidationError, "'weight' must be a weight > 0"),
        ({"weight": -1}, ValidationError, "'weight'"),
        ({"unit": None}, InvalidTypeError, "'unit'"),
        ({"labels": "GMV"}, InvalidTypeError, "'labels'"),
    ],
)
def test_objectives_refuse_bad_fields(
    changes: dict[str, Any], error: type[Exception], field: str
) -> None:
    with pytest.raises(error, match=field):
        _build_objective(**changes)


def test_judging_refuses_bad_values() -> None:
    objective = _build_objective()

    with pytest.raises(ValidationError, match="'actual'"):
        objective.judge(math.nan)
    with pytest.raises(InvalidTypeError, match="'actual'"):
        objective.judge("0.9")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'objective'"):
        ObjectiveResult.of("gmv", 0.9)  # type: ignore[arg-type]


def test_results_refuse_derived_fields_that_do_not_follow() -> None:
    good = _build_objective().judge(0.9)

    for name, value in (
        ("attained", True),
        ("gap", 0.0),
        ("ratio", None),
        ("attainment", 1),
    ):
        fields: dict[str, Any] = {
            "objective": good.objective,
            "actual": good.actual,
            "attained": good.attained,
            "gap": good.gap,
            "ratio": good.ratio,
            "attainment": good.attainment,
            name: value,
        }
        with pytest.raises(ValidationError, match=f"'{name}'"):
            ObjectiveResult(**fields)
    with pytest.raises(ValidationError, match="'actual'"):
        ObjectiveResult(
            objective=good.objective,
            actual=math.inf,
            attained=None,
            gap=None,
            ratio=None,
            attainment=None,
        )


def test_goal_reports_refuse_inconsistent_figures() -> None:
    report = compare_goals([_objective("a"), _objective("b")], {"a": 100.0})
    fields: dict[str, Any] = {
        "results": report.results,
        "measured_count": report.measured_count,
        "attained_count": report.attained_count,
        "overall": report.overall,
    }

    for name, value in (
        ("measured_count", 2),
        ("attained_count", 1),
        ("overall", 0.9),
        ("measured_count", -1),
    ):
        with pytest.raises(ValidationError, match=f"'{name}'"):
            GoalReport(**{**fields, name: value})
    with pytest.raises(ValidationError, match="'results'"):
        GoalReport(**{**fields, "results": ()})
    with pytest.raises(DuplicateKeyError, match="'a'"):
        GoalReport.of([report.results[0], report.results[0]])
    with pytest.raises(InvalidTypeError, match=r"'results\[1\]'"):
        GoalReport.of([report.results[0], "b"])  # type: ignore[list-item]
    with pytest.raises(InvalidTypeError, match="'results'"):
        GoalReport.of(report.results[0])  # type: ignore[arg-type]
    with pytest.raises(UnknownKeyError, match="did you mean 'a'"):
        report.result("aa")


@pytest.mark.parametrize(
    ("objectives", "actuals", "error", "match"),
    [
        ("gmv", {}, InvalidTypeError, "'objectives'"),
        (None, {}, InvalidTypeError, "'objectives'"),
        ([], {}, ValidationError, "'objectives' must be at least one Objective"),
        (["gmv"], {}, InvalidTypeError, r"'objectives\[0\]'"),
        (
            [_objective("a"), _objective("a")],
            {},
            DuplicateKeyError,
            "duplicate objective 'a'",
        ),
        ([_objective("gmv")], [("gmv", 1.0)], InvalidTypeError, "'actuals'"),
        (
            [_objective("gmv_recovery")],
            {"gmv_recovry": 1.0},
            UnknownKeyError,
            "did you mean 'gmv_recovery'",
        ),
        ([_objective("gmv")], {1: 1.0}, InvalidTypeError, "'actuals key'"),
        ([_objective("gmv")], {"gmv": math.nan}, ValidationError, r"actuals\['gmv'\]"),
        ([_objective("gmv")], {"gmv": "1"}, InvalidTypeError, r"actuals\['gmv'\]"),
        ([_objective("gmv")], {"gmv": True}, InvalidTypeError, r"actuals\['gmv'\]"),
    ],
)
def test_compare_goals_refuses_bad_input(
    objectives: Any, actuals: Any, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        compare_goals(objectives, actuals)


@pytest.mark.parametrize(
    ("changes", "error", "match"),
    [
        ({"time_to_acknowledge": dt.timedelta(0)}, ValidationError, "> 0"),
        ({"time_to_contain": -HOUR}, ValidationError, "'time_to_contain'"),
        ({"time_to_resolve": 3600}, InvalidTypeError, "'time_to_resolve'"),
        ({"time_to_resolve": None}, InvalidTypeError, "'time_to_resolve'"),
        ({"time_to_detect": dt.timedelta(0)}, ValidationError, "'time_to_detect'"),
        ({"time_to_recover": "1h"}, InvalidTypeError, "'time_to_recover'"),
        # Contained before acknowledged cannot be: the order is the lifecycle's.
        ({"time_to_contain": 10 * MINUTE}, ValidationError, "at least"),
        ({"time_to_recover": 30 * HOUR}, ValidationError, "'time_to_resolve'"),
    ],
)
def test_speed_targets_refuse_bad_spans(
    changes: dict[str, Any], error: type[Exception], match: str
) -> None:
    fields: dict[str, Any] = {
        "time_to_acknowledge": 15 * MINUTE,
        "time_to_contain": 4 * HOUR,
        "time_to_resolve": 24 * HOUR,
    }
    fields.update(changes)

    with pytest.raises(error, match=match):
        SpeedTarget(**fields)


def test_speed_target_sets_refuse_bad_levels() -> None:
    target = SpeedTargets.default().for_level(L.I)

    with pytest.raises(ValidationError, match="'levels'"):
        SpeedTargets(levels={})
    with pytest.raises(InvalidTypeError, match="'levels key'"):
        SpeedTargets(levels={"I": target})
    with pytest.raises(InvalidTypeError, match=r"'levels\[I\]'"):
        SpeedTargets(levels={L.I: "fast"})
    with pytest.raises(InvalidTypeError, match="'levels'"):
        SpeedTargets(levels=[target])
    with pytest.raises(UnknownKeyError, match="'III'"):
        SpeedTargets(levels={L.I: target}).for_level(L.III)
    with pytest.raises(InvalidTypeError, match="'level'"):
        SpeedTargets.default().for_level("I")  # type: ignore[arg-type]
    with pytest.raises(UnknownKeyError, match="did you mean 'time_to_resolve'"):
        target.get("time_to_reslove")


def test_compare_speed_refuses_bad_input() -> None:
    metrics = _worked_metrics()
    only_level_i = SpeedTargets(levels={L.I: SpeedTargets.default().for_level(L.I)})

    with pytest.raises(InvalidTypeError, match="'metrics'"):
        compare_speed(_worked_crisis())  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'peak_level'"):
        compare_speed(metrics, "II")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'targets'"):
        compare_speed(metrics, targets={})  # type: ignore[arg-type]
    with pytest.raises(UnknownKeyError, match="'II'"):
        compare_speed(metrics, targets=only_level_i)


@pytest.mark.parametrize(
    ("changes", "error", "match"),
    [
        ({"rating": 0}, ValidationError, "'rating' must be an int from 1 to 5"),
        ({"rating": 6}, ValidationError, "'rating'"),
        ({"rating": 4.0}, InvalidTypeError, "'rating'"),
        ({"rating": True}, InvalidTypeError, "'rating'"),
        ({"effort": 7}, ValidationError, "'effort' must be an int from 1 to 6"),
        ({"sentiment": 1.5}, ValidationError, "'sentiment'"),
        ({"sentiment": math.nan}, ValidationError, "'sentiment'"),
        ({"group": "Customers"}, ValidationError, "'group'"),
        ({"comment": None}, InvalidTypeError, "'comment'"),
        ({"at": dt.datetime(2026, 6, 18)}, NaiveDatetimeError, "'at'"),  # noqa: DTZ001
        ({"rating": None}, ValidationError, "feedback must say something"),
        ({"rating": None, "comment": "   "}, ValidationError, "must say something"),
    ],
)
def test_feedback_refuses_bad_fields(
    changes: dict[str, Any], error: type[Exception], match: str
) -> None:
    fields: dict[str, Any] = {"group": "customers", "at": at(20), "rating": 4}
    fields.update(changes)

    with pytest.raises(error, match=match):
        StakeholderFeedback(**fields)


def test_summarize_feedback_refuses_bad_input() -> None:
    answer = _answer("customers", rating=4)

    with pytest.raises(InvalidTypeError, match="'feedback'"):
        summarize_feedback(answer)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'feedback'"):
        summarize_feedback("customers")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match=r"'feedback\[1\]'"):
        summarize_feedback([answer, {"group": "customers"}])  # type: ignore[list-item]
    with pytest.raises(InvalidTypeError, match="'kinds'"):
        summarize_feedback([answer], kinds=["customers"])  # type: ignore[arg-type]


def _group(**changes: Any) -> GroupFeedback:
    fields: dict[str, Any] = {
        "group": "customers",
        "count": 2,
        "rating_counts": (0, 0, 0, 1, 1),
        "mean_rating": 4.5,
        "satisfied_share": 1.0,
        "dissatisfied_share": 0.0,
        "sentiment_count": 0,
        "mean_sentiment": None,
        "effort_count": 0,
        "mean_effort": None,
        "comments": 0,
    }
    fields.update(changes)
    return GroupFeedback(**fields)


@pytest.mark.parametrize(
    ("changes", "error", "match"),
    [
        ({"count": 1}, ValidationError, "'rated' must be at most count"),
        ({"rating_counts": (0, 0, 1, 1)}, InvalidTypeError, "'rating_counts'"),
        ({"rating_counts": (0, 0, 0, 1, -1)}, ValidationError, r"rating_counts\[4\]"),
        ({"mean_rating": 4.0}, ValidationError, "'mean_rating'"),
        ({"satisfied_share": 0.5}, ValidationError, "'satisfied_share'"),
        ({"mean_rating": 6.0}, ValidationError, "'mean_rating'"),
        ({"mean_sentiment": 0.5}, ValidationError, "'mean_sentiment'"),
        ({"effort_count": 1}, ValidationError, "'mean_effort'"),
        ({"comments": 3}, ValidationError, "'comments'"),
        ({"group": "Customers"}, ValidationError, "'group'"),
    ],
)
def test_group_feedback_refuses_inconsistent_figures(
    changes: dict[str, Any], error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        _group(**changes)


def test_feedback_summaries_refuse_inconsistent_groups() -> None:
    customers = _group()
    overall = _group(group=None)
    build: Callable[..., FeedbackSummary] = FeedbackSummary

    assert customers == build(groups=[customers], overall=overall).group("customers")
    with pytest.raises(DuplicateKeyError, match="'customers'"):
        build(groups=[customers, customers], overall=overall)
    with pytest.raises(ValidationError, match=r"'groups\[0\]\.group'"):
        build(groups=[overall], overall=overall)
    with pytest.raises(ValidationError, match=r"'overall\.group'"):
        build(groups=[customers], overall=customers)
    with pytest.raises(ValidationError, match=r"'overall\.count'"):
        build(groups=[customers], overall=_group(group=None, count=3))
    with pytest.raises(ValidationError, match=r"'overall\.rating_counts'"):
        build(
            groups=[customers],
            overall=_group(
                group=None,
                rating_counts=(0, 0, 0, 0, 2),
                mean_rating=5.0,
            ),
        )
    with pytest.raises(InvalidTypeError, match=r"'groups\[0\]'"):
        build(groups=["customers"], overall=overall)
    with pytest.raises(UnknownKeyError, match="did you mean 'customers'"):
        build(groups=[customers], overall=overall).group("customer")
