"""Rules, conditions, thresholds and alerts round-trip through plain data."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops.errors import SerializationError
from crisisops.monitoring import (
    Above,
    AllOf,
    AnyOf,
    Below,
    Calibrated,
    Change,
    Condition,
    Consecutive,
    CUSUMChart,
    EWMAChart,
    FixedReference,
    Guards,
    LevelShift,
    MissingData,
    MOfN,
    Not,
    Outside,
    PreviousValue,
    Raw,
    RollingZScore,
    SeasonalLag,
    Side,
    Threshold,
    ThresholdSet,
    Tier,
    TrailingMean,
    TrailingMedian,
    TriggerRule,
    WarmupReference,
    evaluate,
)
from crisisops.serialization import from_data, to_data
from crisisops.taxonomy import ResponseLevel

from .build import days, panel

METRICS = st.sampled_from(["sales.gmv", "sales.orders", "feedback.rating"])
WINDOWS = st.integers(min_value=2, max_value=30)
NUMBERS = st.floats(min_value=-1e6, max_value=1e6, allow_nan=False)

baselines = st.one_of(
    st.just(PreviousValue()),
    st.builds(TrailingMean, window=WINDOWS),
    st.builds(TrailingMedian, window=WINDOWS),
    st.builds(SeasonalLag, period=st.integers(1, 7), seasons=st.integers(1, 3)),
)
signals = st.one_of(
    st.builds(Raw, METRICS),
    st.builds(Change, metric=METRICS, baseline=baselines, relative=st.booleans()),
    st.builds(RollingZScore, metric=METRICS, window=WINDOWS, robust=st.booleans()),
    st.builds(LevelShift, metric=METRICS, window=WINDOWS, relative=st.booleans()),
)
bounds = st.one_of(NUMBERS, st.builds(Calibrated, st.sampled_from(["p5", "floor"])))
predicates = st.one_of(
    st.builds(Below, bounds, inclusive=st.booleans()),
    st.builds(Above, bounds, inclusive=st.booleans()),
    st.builds(Outside, st.just(-2.0), st.just(2.0)),
)
references = st.one_of(
    st.builds(
        FixedReference,
        mean=NUMBERS,
        sigma=st.floats(min_value=0.1, max_value=100.0),
    ),
    st.builds(WarmupReference, st.integers(2, 30)),
)


@st.composite
def thresholds(draw: st.DrawFn) -> Threshold:
    signal = draw(signals)
    guards = Guards()
    if not isinstance(signal, Raw) and draw(st.booleans()):
        guards = Guards(min_baseline=20.0, min_abs_change=5.0)
    return Threshold(signal=signal, predicate=draw(predicates), guards=guards)


leaves = st.one_of(
    thresholds(),
    st.builds(
        EWMAChart, metric=METRICS, reference=references, side=st.sampled_from(Side)
    ),
    st.builds(
        CUSUMChart, metric=METRICS, reference=references, side=st.sampled_from(Side)
    ),
)
conditions: st.SearchStrategy[Condition] = st.recursive(
    leaves,
    lambda inner: st.one_of(
        st.builds(AllOf, st.lists(inner, min_size=1, max_size=3)),
        st.builds(AnyOf, st.lists(inner, min_size=1, max_size=3)),
        st.builds(Not, inner),
    ),
    max_leaves=5,
)


@st.composite
def rules(draw: st.DrawFn) -> TriggerRule:
    count = draw(st.integers(1, 3))
    levels = sorted(
        draw(
            st.lists(
                st.sampled_from(ResponseLevel),
                min_size=count,
                max_size=count,
                unique=True,
            )
        )
    )
    tiers = [Tier(level, draw(leaves)) for level in levels]
    missing = draw(st.sampled_from(MissingData))
    try:
        return TriggerRule(
            name="rule",
            crisis_type="market.demand_shift",
            tiers=tiers,
            persistence=draw(
                st.one_of(
                    st.builds(Consecutive, st.integers(1, 5)), st.just(MOfN(2, 3))
                )
            ),
            clear_after=draw(st.integers(1, 3)),
            cooldown=draw(st.integers(0, 3)),
            missing=missing,
            max_gap=2 if missing is MissingData.NO_DATA else None,
            labels=draw(
                st.dictionaries(
                    st.sampled_from(["team", "channel"]), st.text(max_size=5)
                )
            ),
        )
    except ValueError:
        # Random tier bounds may be out of order; such rules are refused.
        return TriggerRule(
            name="rule",
            crisis_type="market.demand_shift",
            tiers=tiers[:1],
        )


def _round_trip(value: Any) -> Any:
    document = json.loads(json.dumps(to_data(value), allow_nan=False))
    return from_data(type(value), document)


@settings(max_examples=80)
@given(conditions)
def test_conditions_round_trip(condition: Condition) -> None:
    assert condition == _round_trip(condition)


@settings(max_examples=60)
@given(rules())
def test_rules_round_trip(rule: TriggerRule) -> None:
    assert rule == _round_trip(rule)


def test_a_calibrated_bound_and_a_number_are_told_apart() -> None:
    numeric = to_data(Below(-0.3))
    calibrated = to_data(Below(Calibrated("p5")))

    assert -0.3 == numeric["data"]["bound"]
    assert {"@type": "Calibrated", "name": "p5"} == calibrated["data"]["bound"]


def test_a_bound_of_the_wrong_kind_is_refused_with_its_path() -> None:
    document = to_data(Below(-0.3))
    document["data"]["bound"] = "low"

    with pytest.raises(SerializationError) as caught:
        from_data(Below, document)

    assert "$.data.bound" == caught.value.path


def test_threshold_sets_round_trip() -> None:
    stamps = days(2)
    bounds = ThresholdSet(
        version="2026-Q1",
        fitted_through=stamps[0],
        valid_from=stamps[1],
        entities=("a", "b"),
        bounds={"p5": [1.0, float("nan")], "weekday": [[1.0, 2.0]] * 7},
        notes={"p5": "quantile 0.05"},
    )

    assert bounds == _round_trip(bounds)


def test_alerts_and_events_round_trip() -> None:
    rule = TriggerRule(
        name="low",
        crisis_type="market.demand_shift",
        tiers=[
            Tier(
                ResponseLevel.III,
                Threshold(signal=Raw("sales.gmv"), predicate=Below(50.0)),
            )
        ],
    )
    result = evaluate([rule], panel({"sales.gmv": [60, 40, 40, 60]}))

    for event in result.events:
        assert event == _round_trip(event)
    for alert in result.alerts:
        assert alert == _round_trip(alert)
    assert isinstance(result.alerts[0].fired_at, dt.datetime)
