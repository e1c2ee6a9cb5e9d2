"""The monitor: alert lifecycle, the book's examples, batch == streaming."""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.monitoring.conditions import (
    Above,
    Below,
    Calibrated,
    Change,
    CUSUMChart,
    EWMAChart,
    Raw,
    RollingZScore,
    Side,
    Threshold,
    TrailingMean,
    WarmupReference,
)
from crisisops.monitoring.monitor import (
    Alert,
    AlertEvent,
    AlertKind,
    EventKind,
    Monitor,
    MonitorState,
    evaluate,
)
from crisisops.monitoring.panel import Observation, Panel
from crisisops.monitoring.rules import (
    Consecutive,
    MissingData,
    MOfN,
    Tier,
    TriggerRule,
)
from crisisops.monitoring.thresholds import ThresholdSet
from crisisops.serialization import from_data, to_data
from crisisops.taxonomy import ResponseLevel

from .build import TAIPEI, days, panel

NAN = math.nan
GMV = "sales.gmv"
LOW = Threshold(signal=Raw(GMV), predicate=Below(50.0))


def _rule(**changes: Any) -> TriggerRule:
    fields: dict[str, Any] = {
        "name": "low_sales",
        "crisis_type": "market.demand_shift",
        "tiers": [Tier(ResponseLevel.III, LOW)],
    }
    fields.update(changes)
    return TriggerRule(**fields)


def _kinds(rule: TriggerRule, series: list[float]) -> list[tuple[int, str]]:
    """(day index, event kind) for every event of a one-entity series."""
    result = evaluate([rule], panel({GMV: series}))
    stamps = days(len(series))
    return [(stamps.index(e.at), e.kind.value) for e in result.events]


def _book_sales_rule() -> TriggerRule:
    """Sales down more than 5 % day over day, three days in a row."""
    fall = Threshold(signal=Change(metric=GMV), predicate=Below(-0.05))
    return TriggerRule(
        name="sales_crisis",
        crisis_type="market.demand_shift",
        tiers=[Tier(ResponseLevel.III, fall)],
        persistence=Consecutive(3),
    )


# --- the book's examples ----------------------------------------------------


def test_book_example_sales_falling_three_days_in_a_row_starts_the_plan() -> None:
    # 當銷售額連續三日下降超過一定幅度時,應立即啟動銷售危機應急預案 (book §3):
    # sales fall 10 %, 10 %, 10 % day over day -> fire on the third day.
    rule = _book_sales_rule()
    series = [100, 100, 90, 81, 72.9, 72.9, 72.9]

    result = evaluate([rule], panel({GMV: series}))

    fired = [e for e in result.events if e.kind is EventKind.FIRED]
    assert 1 == len(fired)
    assert days(7)[4] == fired[0].at
    assert "market.demand_shift" == fired[0].crisis_type
    assert 3 == fired[0].evidence.run_length
    assert pytest.approx(-0.1) == fired[0].evidence.signal
    assert 81.0 == fired[0].evidence.baseline
    assert days(7)[2] == result.alerts[0].first_breach_at


def test_book_example_two_days_of_falls_are_not_enough() -> None:
    rule = _book_sales_rule()

    result = evaluate([rule], panel({GMV: [100, 90, 81, 85, 80, 76]}))

    assert () == result.events


def test_book_example_negative_review_surge_starts_an_investigation() -> None:
    # 當負面評價數量激增時,應立即調查產品問題或客戶服務問題 (book §3):
    # more than double the trailing-week average, on at least 10 more reviews.
    reviews = "feedback.negative_reviews"
    surge = Threshold(
        signal=Change(metric=reviews, baseline=TrailingMean(window=7, min_periods=5)),
        predicate=Above(1.0),
    )
    rule = TriggerRule(
        name="review_surge",
        crisis_type="product.quality_safety",
        tiers=[Tier(ResponseLevel.IV, surge)],
    )
    series = [10, 12, 9, 11, 10, 8, 10, 31, 12]

    result = evaluate([rule], panel({reviews: series}))

    fired = [e for e in result.events if e.kind is EventKind.FIRED]
    assert [days(9)[7]] == [e.at for e in fired]
    assert 10.0 == fired[0].evidence.baseline  # mean of 10,12,9,11,10,8,10
    assert pytest.approx(2.1) == fired[0].evidence.signal  # (31 - 10) / 10
    assert "product.quality_safety" == fired[0].crisis_type


# --- tiers and levels -------------------------------------------------------


def _tiered() -> TriggerRule:
    drop = Change(metric=GMV)

    def tier(level: ResponseLevel, bound: float) -> Tier:
        return Tier(level, Threshold(signal=drop, predicate=Below(bound)))

    return TriggerRule(
        name="sales_crisis",
        crisis_type="market.demand_shift",
        tiers=[
            tier(ResponseLevel.IV, -0.10),
            tier(ResponseLevel.III, -0.20),
            tier(ResponseLevel.II, -0.40),
        ],
    )


def test_the_highest_breached_tier_sets_the_level_and_changes_are_recorded() -> None:
    # day over day: -12 % (IV), -25 % (III), -45 % (II), -15 % (IV), +10 % (clean)
    series = [100.0, 88.0, 66.0, 36.3, 30.855, 33.9405]

    result = evaluate([_tiered()], panel({GMV: series}))

    levels = [(e.kind.value, e.level) for e in result.events]
    assert [
        ("fired", ResponseLevel.IV),
        ("level_changed", ResponseLevel.III),
        ("level_changed", ResponseLevel.II),
        ("level_changed", ResponseLevel.IV),
        ("resolved", ResponseLevel.IV),
    ] == levels
    (alert,) = result.alerts
    assert ResponseLevel.II == alert.peak_level
    assert ResponseLevel.IV == alert.level
    assert [ResponseLevel.III, ResponseLevel.II, ResponseLevel.IV] == [
        change.level for change in alert.level_changes
    ]
    assert days(6)[5] == alert.resolved_at


def test_a_first_breach_beyond_several_tiers_fires_at_the_highest() -> None:
    result = evaluate([_tiered()], panel({GMV: [100.0, 50.0]}))

    assert ResponseLevel.II == result.events[0].level


# --- persistence, clearing, cooldown ----------------------------------------


def test_consecutive_persistence_needs_an_unbroken_run() -> None:
    # runs: 0, 1, 0, 1, 2 (fire), then a clean day resolves
    rule = _rule(persistence=Consecutive(2))

    assert [(4, "fired"), (5, "resolved")] == _kinds(rule, [60, 40, 60, 40, 40, 60])


def test_m_of_n_fires_on_m_breaches_within_the_window() -> None:
    rule = _rule(persistence=MOfN(2, 3))

    assert [(3, "fired"), (4, "resolved")] == _kinds(rule, [60, 40, 60, 40, 60])
    assert [] == _kinds(rule, [60, 40, 60, 60, 40, 60])


def test_clear_after_needs_that_many_clean_periods() -> None:
    rule = _rule(clear_after=2)

    # clean counts after firing: 1, then a breach resets it, then 1, 2 (resolve)
    assert [(1, "fired"), (5, "resolved")] == _kinds(rule, [60, 40, 60, 40, 60, 60])


def test_a_clear_condition_gives_hysteresis() -> None:
    # Fire below 50; clear only above 80. 60 is neither a breach nor clean.
    rule = _rule(clear_condition=Threshold(signal=Raw(GMV), predicate=Above(80.0)))

    assert [(1, "fired"), (4, "resolved")] == _kinds(rule, [100, 40, 60, 70, 90])


def test_cooldown_blocks_refiring_then_a_new_episode_starts() -> None:
    rule = _rule(cooldown=2)
    series = [100, 40, 60, 40, 40, 40]

    result = evaluate([rule], panel({GMV: series}))

    kinds = [(days(6).index(e.at), e.kind.value, e.episode) for e in result.events]
    assert [(1, "fired", 1), (2, "resolved", 1), (5, "fired", 2)] == kinds
    assert ["low_sales/sku-1/1", "low_sales/sku-1/2"] == [a.id for a in result.alerts]


def test_entities_are_judged_independently() -> None:
    data = panel({GMV: [[60, 40, 60], [40, 40, 60], [40, 60, 40]]}, ("a", "b", "c"))

    result = evaluate([_rule()], data)

    fired = sorted(
        (e.entity, days(3).index(e.at))
        for e in result.events
        if e.kind is EventKind.FIRED
    )
    # rows are days: a breaches on days 1-2, b on days 0-1, c on day 2
    assert [("a", 1), ("b", 0), ("c", 2)] == fired


# --- missing data -----------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "expected"),
    [
        (MissingData.BREAK, []),  # runs 1, 2, 0, 1, 2
        (MissingData.HOLD, [(3, "fired")]),  # runs 1, 2, (2), 3
        (MissingData.AS_BREACH, [(2, "fired")]),  # runs 1, 2, 3
        (MissingData.AS_CLEAR, []),  # runs 1, 2, 0, 1, 2
    ],
)
def test_missing_data_policies_on_a_three_period_run(
    policy: MissingData, expected: list[tuple[int, str]]
) -> None:
    rule = _rule(persistence=Consecutive(3), missing=policy)

    assert expected == _kinds(rule, [40, 40, NAN, 40, 40])


def test_missing_periods_and_the_clean_count_of_a_firing_alert() -> None:
    # HOLD skips the gap, BREAK restarts the clean count at the gap, AS_CLEAR
    # counts the gap as clean.
    series = [40, NAN, 60, 60]
    hold = _rule(missing=MissingData.HOLD, clear_after=2)
    brk = _rule(missing=MissingData.BREAK, clear_after=2)
    as_clear = _rule(missing=MissingData.AS_CLEAR, clear_after=2)

    assert [(0, "fired"), (3, "resolved")] == _kinds(hold, series)
    assert [(0, "fired"), (3, "resolved")] == _kinds(brk, series)
    assert [(0, "fired"), (2, "resolved")] == _kinds(as_clear, series)


def test_missing_data_never_escalates_beyond_the_lowest_tier() -> None:
    rule = TriggerRule(
        name="sales_crisis",
        crisis_type="market.demand_shift",
        tiers=[
            Tier(ResponseLevel.IV, Threshold(signal=Raw(GMV), predicate=Below(50.0))),
            Tier(ResponseLevel.II, Threshold(signal=Raw(GMV), predicate=Below(10.0))),
        ],
        missing=MissingData.AS_BREACH,
    )

    result = evaluate([rule], panel({GMV: [NAN]}))

    assert ResponseLevel.IV == result.events[0].level


def test_no_data_alert_fires_after_the_maximum_gap_and_resolves_on_data() -> None:
    rule = _rule(missing=MissingData.NO_DATA, max_gap=2)

    result = evaluate([rule], panel({GMV: [60, NAN, NAN, NAN, 60]}))

    assert [(2, "no_data"), (4, "data_resumed")] == [
        (days(5).index(e.at), e.kind.value) for e in result.events
    ]
    (alert,) = result.alerts
    assert AlertKind.NO_DATA == alert.kind
    assert alert.level is None
    assert "low_sales/sku-1/1/no_data" == alert.id
    assert 2 == result.events[0].evidence.run_length


def test_interior_gaps_never_raise() -> None:
    series = [NAN, 40, NAN, NAN, 60, NAN]
    for policy in MissingData:
        gap = 1 if policy is MissingData.NO_DATA else None
        evaluate([_rule(missing=policy, max_gap=gap)], panel({GMV: series}))


# --- explanations and timing ------------------------------------------------


def test_alerts_carry_the_threshold_version_in_force() -> None:
    stamps = days(3)
    floor = ThresholdSet(
        version="2026-Q1",
        fitted_through=stamps[0] - dt.timedelta(days=1),
        valid_from=stamps[0],
        entities=("sku-1",),
        bounds={"floor": [50.0]},
    )
    rule = _rule(
        tiers=[
            Tier(
                ResponseLevel.III,
                Threshold(signal=Raw(GMV), predicate=Below(Calibrated("floor"))),
            )
        ]
    )

    result = evaluate([rule], panel({GMV: [60, 40, 40]}), thresholds=[floor])

    assert "2026-Q1" == result.events[0].evidence.threshold_version
    assert 50.0 == result.events[0].evidence.bound


def test_first_breach_is_reported_in_the_periods_own_offset() -> None:
    result = evaluate([_rule(persistence=Consecutive(2))], panel({GMV: [60, 40, 40]}))

    alert = result.alerts[0]
    assert TAIPEI == alert.first_breach_at.tzinfo
    assert days(3)[1] == alert.first_breach_at
    assert days(3)[2] == alert.fired_at


# --- batch == streaming, resume ---------------------------------------------


def _mixed_rules() -> list[TriggerRule]:
    drop = Change(metric=GMV, baseline=TrailingMean(window=3, min_periods=2))
    return [
        TriggerRule(
            name="drop",
            crisis_type="market.demand_shift",
            tiers=[
                Tier(ResponseLevel.IV, Threshold(signal=drop, predicate=Below(-0.1))),
                Tier(ResponseLevel.III, Threshold(signal=drop, predicate=Below(-0.3))),
            ],
            persistence=Consecutive(2),
            clear_after=2,
            cooldown=1,
            missing=MissingData.HOLD,
        ),
        TriggerRule(
            name="z",
            crisis_type="market.demand_shift",
            tiers=[
                Tier(
                    ResponseLevel.IV,
                    Threshold(
                        signal=RollingZScore(
                            metric=GMV, window=4, min_periods=3, robust=True
                        ),
                        predicate=Below(-2.0),
                    ),
                )
            ],
            persistence=MOfN(2, 3),
            missing=MissingData.NO_DATA,
            max_gap=2,
        ),
        TriggerRule(
            name="charts",
            crisis_type="market.demand_shift",
            tiers=[
                Tier(
                    ResponseLevel.IV,
                    EWMAChart(
                        metric=GMV, reference=WarmupReference(3), side=Side.LOWER
                    ),
                ),
                Tier(
                    ResponseLevel.III,
                    CUSUMChart(
                        metric=GMV, reference=WarmupReference(3), side=Side.LOWER, h=3.0
                    ),
                ),
            ],
            missing=MissingData.AS_BREACH,
        ),
    ]


panels = st.integers(min_value=1, max_value=4).flatmap(
    lambda n: st.integers(min_value=1, max_value=25).flatmap(
        lambda t: st.lists(
            st.lists(
                st.one_of(
                    st.just(NAN), st.floats(min_value=0.0, max_value=200.0, width=32)
                ),
                min_size=n,
                max_size=n,
            ),
            min_size=t,
            max_size=t,
        )
    )
)


def _panel_from(rows: list[list[float]]) -> Panel:
    entities = tuple(f"sku-{i}" for i in range(len(rows[0])))
    return panel({GMV: rows}, entities)


@settings(max_examples=60, deadline=None)
@given(panels, st.data())
def test_streaming_equals_batch_and_resume_equals_never_stopping(
    rows: list[list[float]], data: st.DataObject
) -> None:
    whole = _panel_from(rows)
    rules = _mixed_rules()
    batch = evaluate(rules, whole)
    split = data.draw(st.integers(min_value=0, max_value=whole.n_periods))

    monitor = Monitor.start(rules, whole.entities)
    streamed: list[AlertEvent] = []
    for index, observation in enumerate(whole.observations()):
        if index == split:
            saved = json.loads(json.dumps(to_data(monitor.state), allow_nan=False))
            monitor = Monitor.resume(
                rules, whole.entities, from_data(MonitorState, saved)
            )
        step = monitor.step(observation)
        assert all(event.at == observation.timestamp for event in step.events)
        streamed.extend(step.events)
        monitor = step.monitor

    assert batch.events == tuple(streamed)
    assert batch.monitor.state == monitor.state
    for alert in batch.alerts:
        assert alert.first_breach_at <= alert.fired_at
        assert alert.resolved_at is None or alert.fired_at < alert.resolved_at


@settings(max_examples=30, deadline=None)
@given(panels)
def test_batch_over_halves_equals_batch_over_the_whole(rows: list[list[float]]) -> None:
    whole = _panel_from(rows)
    rules = _mixed_rules()
    middle = whole.timestamps[len(whole.timestamps) // 2]

    first = evaluate(rules, whole.slice(None, middle))
    second = first.monitor.run(whole.slice(middle, None))

    assert evaluate(rules, whole).events == first.events + second.events


def test_open_alerts_survive_a_save_and_restore() -> None:
    data = panel({GMV: [40, 40]})
    rules = [_rule()]
    first = Monitor.start(rules, data.entities).run(data.slice(None, days(2)[1]))

    restored = Monitor.resume(
        rules, data.entities, from_data(MonitorState, to_data(first.monitor.state))
    )

    assert first.monitor.open_alerts == restored.open_alerts
    assert 1 == len(restored.open_alerts)
    assert isinstance(restored.open_alerts[0], Alert)


# --- bad input --------------------------------------------------------------


def test_monitor_refuses_duplicate_rules_and_entities() -> None:
    with pytest.raises(DuplicateKeyError, match="duplicate rule 'low_sales'"):
        Monitor.start([_rule(), _rule()], ["a"])
    with pytest.raises(DuplicateKeyError, match="duplicate entity 'a'"):
        Monitor.start([_rule()], ["a", "a"])
    with pytest.raises(ValidationError, match="'rules'"):
        Monitor.start([], ["a"])


def test_periods_must_move_forward() -> None:
    data = panel({GMV: [60, 60]})
    monitor = Monitor.start([_rule()], data.entities).run(data).monitor

    with pytest.raises(ValidationError, match="'timestamp'"):
        monitor.step(data.period(1))


def test_observations_must_list_the_monitors_entities() -> None:
    monitor = Monitor.start([_rule()], ["a", "b"])
    wrong = Observation.from_mapping(days(1)[0], ["b", "a"], {GMV: [1.0, 2.0]})

    with pytest.raises(ValidationError, match=r"'observation\.entities'"):
        monitor.step(wrong)
    with pytest.raises(InvalidTypeError, match="'observation'"):
        monitor.step("today")  # type: ignore[arg-type]


def test_a_metric_the_rules_read_must_be_in_the_data() -> None:
    data = panel({"sales.orders": [1, 2]})

    with pytest.raises(UnknownKeyError, match=r"'sales\.gmv'"):
        evaluate([_rule()], data)


def test_resume_refuses_a_state_made_for_other_rules() -> None:
    data = panel({GMV: [60]})
    state = evaluate([_rule()], data).monitor.state
    other = _rule(name="other", persistence=MOfN(2, 3))

    with pytest.raises(ValidationError, match=r"'state\.arrays'"):
        Monitor.resume([other], data.entities, state)
    with pytest.raises(InvalidTypeError, match="'state'"):
        Monitor.resume([_rule()], data.entities, {"periods": 1})  # type: ignore[arg-type]


def test_evaluate_needs_a_panel() -> None:
    with pytest.raises(InvalidTypeError, match="'panel'"):
        evaluate([_rule()], np.zeros((2, 1)))  # type: ignore[arg-type]


def test_an_unknown_verdict_is_no_evidence_of_recovery() -> None:
    # Day-over-day rule with HOLD: the gap is skipped, and the day after it
    # has no previous value, so its verdict is unknown. It must not count as
    # clean: the alert resolves only on the first known clean day.
    rule = TriggerRule(
        name="sales_crisis",
        crisis_type="market.demand_shift",
        tiers=[
            Tier(
                ResponseLevel.IV,
                Threshold(signal=Change(metric=GMV), predicate=Below(-0.1)),
            )
        ],
        missing=MissingData.HOLD,
    )

    kinds = _kinds(rule, [100, 80, NAN, 70, 62, 62])

    # day 1 fires (-20 %); day 3 is unknown; day 4 (-11 %) still breaches;
    # day 5 (0 %) is the first known clean day
    assert [(1, "fired"), (5, "resolved")] == kinds


def test_threshold_sets_may_not_share_a_start() -> None:
    stamps = days(2)

    def version(name: str) -> ThresholdSet:
        return ThresholdSet(
            version=name,
            fitted_through=stamps[0],
            valid_from=stamps[1],
            entities=("sku-1",),
            bounds={"floor": [1.0]},
        )

    with pytest.raises(DuplicateKeyError, match="valid_from"):
        Monitor.start([_rule()], ["sku-1"], [version("a"), version("b")])
