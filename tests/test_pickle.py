"""Domain objects pickle cleanly and compare equal after a round trip.

Dask (and any process pool) moves values between processes with pickle: a
fleet evaluation sends panels, rules and threshold sets to its workers and
gets event columns and monitor states back. Every value here is built the
way the other tests and the examples build it, pickled with the highest
protocol, and compared with the original. (``crisisops.serialization`` stays
the format for storage and untrusted input; pickle is only for moving values
between one's own processes.)
"""

from __future__ import annotations

import datetime as dt
import functools
import math
import pickle
from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops.monitoring import (
    BoundSpec,
    Evaluation,
    MeanSigma,
    MonitorState,
    Panel,
    Side,
    ThresholdSet,
    TriggerRule,
    calibrate,
    evaluate,
)
from crisisops.risk import Bernoulli, CompoundLossModel, Constant
from crisisops.risk.register import Assessment, Risk, RiskRegister, RiskStatus
from crisisops.scenarios import DemandShift, ShopProfile, ShopRun, simulate_shop
from crisisops.scenarios.drill import DrillReport, default_drill_rules, run_drill
from crisisops.stakeholders import Influence, Stakeholder, StakeholderGraph

TAIPEI = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2026, 3, 2, tzinfo=TAIPEI)


def _round_trip(value: Any) -> Any:
    return pickle.loads(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))  # noqa: S301  our own bytes


@functools.cache
def _run() -> ShopRun:
    """The drill module's own example: a 10-day slump in a 90-day shop."""
    profile = ShopProfile.default(START, skus=10, days=90)
    slump = DemandShift(
        key="slump",
        onset=START + dt.timedelta(days=70),
        end=START + dt.timedelta(days=80),
        traffic_factor=0.3,
    )
    return simulate_shop(profile, [slump], seed=1)


@functools.cache
def _drill() -> DrillReport:
    """The slump, detected, handled and reviewed."""
    return run_drill(_run(), seed=7)


@functools.cache
def _evaluation() -> tuple[Panel, tuple[TriggerRule, ...], ThresholdSet, Evaluation]:
    """The slump's shop with the drill rules, calibrated on its first eight weeks."""
    panel = _run().panel()
    rules, specs = default_drill_rules()
    history = panel.slice(end=panel.timestamps[56])
    thresholds = calibrate(history, specs, version="2026-Q2")
    evaluation = evaluate(rules, panel.slice(start=panel.timestamps[56]), [thresholds])
    return panel, rules, thresholds, evaluation


def _register() -> RiskRegister:
    risk = Risk(
        key="stockout",
        title="Peak-season stock-out",
        crisis_type="supply_chain.peak_season_stockout",
        source="supply.disruption",
        owner_role="supply_chain_lead",
        status=RiskStatus.ASSESSED,
        current=Assessment(
            likelihood=4,
            impacts={"financial": 4, "customer_relationship": 3},
            assessed_at=START,
            assessor="risk_panel",
            loss_model=CompoundLossModel(
                frequency=Bernoulli(probability=0.5), severity=Constant(value=300.0)
            ),
        ),
        tags=("peak",),
    )
    return RiskRegister().add(risk, at=START, by="ops_lead")


def _graph() -> StakeholderGraph:
    def person(key: str, kind: str, reach: int) -> Stakeholder:
        return Stakeholder(
            key=key,
            name=key.title(),
            kind=kind,
            power=0.5,
            legitimacy=0.5,
            urgency=0.5,
            interest=0.5,
            reach=reach,
        )

    return StakeholderGraph(
        stakeholders=[
            person("kol", "influencers", 200_000),
            person("buyers", "customers", 8_000),
            person("press", "media", 50_000),
        ],
        influences=[
            Influence(source="kol", target="buyers", weight=0.5),
            Influence(source="press", target="buyers", weight=0.8),
        ],
    )


VALUES: dict[str, Callable[[], object]] = {
    "panel": lambda: _evaluation()[0],
    "trigger rule": lambda: _evaluation()[1][0],
    "threshold set": lambda: _evaluation()[2],
    "alert": lambda: _evaluation()[3].alerts[0],
    "alert event": lambda: _evaluation()[3].events[-1],
    "monitor state": lambda: _evaluation()[3].monitor.state,
    "crisis with events": lambda: _drill().crises[0],
    "review": lambda: _drill().reviews[0],
    "risk register": _register,
    "stakeholder graph": _graph,
    "shop profile": lambda: ShopProfile.default(START, skus=5, days=30),
    "drill report": _drill,
}


@pytest.mark.parametrize("name", list(VALUES))
def test_a_domain_value_pickles_and_compares_equal(name: str) -> None:
    value = VALUES[name]()
    copy = _round_trip(value)
    assert type(value) is type(copy)
    assert value == copy


def test_the_drill_values_are_the_interesting_ones() -> None:
    report = _drill()
    crisis = report.crises[0]
    assert len(crisis.events) > 10
    assert crisis.events == _round_trip(crisis).events
    assert report.reviews[0].lessons
    assert _evaluation()[3].alerts


def test_an_evaluation_pickles_with_its_events_alerts_and_monitor() -> None:
    panel, rules, _, evaluation = _evaluation()
    copy: Evaluation = _round_trip(evaluation)
    assert evaluation.events == copy.events
    assert evaluation.alerts == copy.alerts
    assert evaluation.monitor.state == copy.monitor.state
    assert isinstance(copy.monitor.state, MonitorState)
    # The unpickled monitor goes on exactly like the original.
    more = (
        simulate_shop(ShopProfile.default(START, skus=10, days=100), seed=4)
        .panel()
        .slice(start=panel.timestamps[-1] + dt.timedelta(hours=1))
    )
    assert evaluation.monitor.run(more).events == copy.monitor.run(more).events
    assert rules == copy.monitor.rules


@settings(max_examples=25, deadline=None)
@given(
    st.integers(min_value=1, max_value=4).flatmap(
        lambda n: st.lists(
            st.lists(
                st.one_of(st.just(math.nan), st.floats(0.0, 1e6, width=32)),
                min_size=n,
                max_size=n,
            ),
            min_size=1,
            max_size=8,
        )
    )
)
def test_any_panel_and_its_threshold_set_round_trip(rows: list[list[float]]) -> None:
    days = [START + dt.timedelta(days=i) for i in range(len(rows))]
    entities = [f"sku-{i}" for i in range(len(rows[0]))]
    panel = Panel.from_metric_arrays(days, entities, {"sales.gmv": rows})
    copy = _round_trip(panel)
    assert panel == copy
    assert not copy.values.flags.writeable
    spec = BoundSpec(
        name="low",
        metric="sales.gmv",
        method=MeanSigma(2.0, side=Side.LOWER),
        min_history=1,
    )
    fitted = calibrate(
        panel, [spec], version="v1", valid_from=days[-1] + dt.timedelta(days=1)
    )
    assert fitted == _round_trip(fitted)
    np.testing.assert_array_equal(fitted.bound("low"), _round_trip(fitted).bound("low"))
