"""An alert's firing fields live in one record per cell, invisibly.

A rule group keeps what each alert remembers from its firing (episode, time,
tier, evidence, run, threshold version, peak level) in one structured array,
so a firing costs one recorded write; the fields are views of it. These tests
check that nothing outside can tell: the saved state has the same arrays as
before, and streaming, branching old monitors (rerooting through the undo
records), pickling, deep copies, resuming and batch runs all agree, on the
lean and the general path, under every missing-data policy.
"""

from __future__ import annotations

import copy
import math
import pickle

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops.monitoring.conditions import (
    Above,
    Below,
    Change,
    Outside,
    PreviousValue,
    Raw,
    RollingZScore,
    Threshold,
    TrailingMean,
)
from crisisops.monitoring.monitor import AlertEvent, Monitor, evaluate
from crisisops.monitoring.panel import Panel
from crisisops.monitoring.rules import Consecutive, MissingData, MOfN, Tier, TriggerRule
from crisisops.taxonomy import ResponseLevel

from .build import days

GMV = "sales.gmv"
REVIEWS = "feedback.negative_reviews"
POLICIES = tuple(MissingData)

#: The arrays a rule group saves, with their dtypes and shapes (cells = c).
_SAVED_GROUP_FIELDS = {
    "status": ("int8", 1),
    "busy": ("bool", 1),
    "level": ("int8", 1),
    "peak": ("int8", 1),
    "fired_tier": ("int8", 1),
    "clean": ("int64", 1),
    "cool": ("int64", 1),
    "episode": ("int64", 1),
    "since": ("int64", 1),
    "since_offset": ("int64", 1),
    "fired": ("int64", 1),
    "fired_offset": ("int64", 1),
    "evidence": ("float64", 2),
    "evidence_run": ("int64", 1),
    "evidence_version": ("int64", 1),
    "gap": ("int64", 1),
    "nodata": ("bool", 1),
    "nodata_episode": ("int64", 1),
    "nodata_at": ("int64", 1),
    "nodata_offset": ("int64", 1),
    "nodata_run": ("int64", 1),
    "nodata_version": ("int64", 1),
}


def _rules(policy: MissingData, *, lean_only: bool) -> list[TriggerRule]:
    low = Threshold(signal=Raw(GMV), predicate=Below(50.0))
    drop = Threshold(
        signal=Change(metric=GMV, baseline=TrailingMean(window=3, min_periods=2)),
        predicate=Below(-0.2, inclusive=True),
    )
    jump = Threshold(
        signal=Change(metric=GMV, baseline=PreviousValue()),
        predicate=Outside(-20.0, 20.0),
    )
    z = Threshold(
        signal=RollingZScore(metric=REVIEWS, window=4, min_periods=2),
        predicate=Outside(-1.0, 1.0),
    )
    high = Threshold(signal=Raw(REVIEWS), predicate=Above(60.0, inclusive=True))

    def rule(
        name: str,
        condition: Threshold,
        need: int,
        *,
        missing: MissingData = policy,
        cooldown: int = 0,
        max_gap: int | None = None,
        clear_condition: Threshold | None = None,
    ) -> TriggerRule:
        return TriggerRule(
            name=name,
            crisis_type="market.demand_shift",
            tiers=[Tier(ResponseLevel.IV, condition)],
            persistence=Consecutive(need),
            missing=missing,
            cooldown=cooldown,
            # No-data alerts need a gap length (the rule refuses none).
            max_gap=(max_gap or 2) if missing is MissingData.NO_DATA else None,
            clear_condition=clear_condition,
        )

    rules = [
        rule("low", low, 1),
        rule("drop", drop, 1),
        rule("low_3", low, 3),
        rule("z", z, 2),
        rule("jump", jump, 1),
    ]
    if lean_only:
        return rules
    return [
        *rules,
        rule("cooling", high, 1, cooldown=2),
        rule(
            "hysteresis",
            low,
            1,
            clear_condition=Threshold(signal=Raw(GMV), predicate=Above(70.0)),
        ),
        TriggerRule(
            name="tiered",
            crisis_type="market.demand_shift",
            tiers=[
                Tier(ResponseLevel.IV, low),
                Tier(
                    ResponseLevel.III,
                    Threshold(signal=Raw(GMV), predicate=Below(20.0)),
                ),
            ],
            missing=policy,
            max_gap=2 if policy is MissingData.NO_DATA else None,
        ),
        TriggerRule(
            name="m_of_n",
            crisis_type="market.demand_shift",
            tiers=[Tier(ResponseLevel.IV, high)],
            persistence=MOfN(m=2, n=3),
            missing=policy,
            max_gap=2 if policy is MissingData.NO_DATA else None,
        ),
        rule("no_data", low, 1, missing=MissingData.NO_DATA, max_gap=2),
    ]


values = st.one_of(
    st.just(math.nan),
    st.sampled_from([10.0, 40.0, 60.0, 90.0]),
    st.floats(0.0, 100.0, width=32),
)


def _panel(gmv: list[list[float]], reviews: list[list[float]]) -> Panel:
    entities = tuple(f"sku-{i}" for i in range(len(gmv[0])))
    return Panel.from_metric_arrays(
        days(len(gmv)),
        entities,
        {GMV: np.asarray(gmv), REVIEWS: np.asarray(reviews)},
    )


def _grid(n: int, t: int) -> st.SearchStrategy[list[list[float]]]:
    return st.lists(st.lists(values, min_size=n, max_size=n), min_size=t, max_size=t)


# Two panels of the same shape: the second is the branch taken from an old
# monitor (same timestamps, other values).
panel_pairs = st.integers(1, 4).flatmap(
    lambda n: st.integers(2, 24).flatmap(
        lambda t: st.tuples(_grid(n, t), _grid(n, t), _grid(n, t), _grid(n, t))
    )
)


def _stream(
    monitor: Monitor, panel: Panel, start: int = 0
) -> tuple[Monitor, list[AlertEvent]]:
    events: list[AlertEvent] = []
    for index, observation in enumerate(panel.observations()):
        if index < start:
            continue
        step = monitor.step(observation)
        events.extend(step.events)
        monitor = step.monitor
    return monitor, events


def test_the_saved_state_keeps_one_array_per_field() -> None:
    whole = _panel([[40.0, 80.0], [40.0, 80.0]], [[0.0, 0.0]] * 2)
    rules = _rules(MissingData.BREAK, lean_only=False)
    state = evaluate(rules, whole).monitor.state
    assert not [key for key in state.arrays if key.endswith("#record")]
    groups = {key.split(".")[0] for key in state.arrays if key.startswith("g")}
    assert groups
    for group in groups:
        keys = [key for key in state.arrays if key.startswith(f"{group}.")]
        fields = [key[len(group) + 1 :] for key in keys]
        # In the documented order, followed by the persistence arrays.
        assert fields[: len(_SAVED_GROUP_FIELDS)] == list(_SAVED_GROUP_FIELDS)
        cells = state.arrays[f"{group}.status"].shape[0]
        for field, (dtype, ndim) in _SAVED_GROUP_FIELDS.items():
            array = state.arrays[f"{group}.{field}"]
            assert str(array.dtype) == dtype
            assert array.shape == ((4, cells) if ndim == 2 else (cells,))
            assert array.flags.c_contiguous


@settings(max_examples=30, deadline=None)
@given(panel_pairs, st.sampled_from(POLICIES), st.booleans(), st.data())
def test_branches_copies_and_resumes_agree_with_batch(
    data: tuple[list[list[float]], ...],
    policy: MissingData,
    lean_only: bool,  # noqa: FBT001  a drawn flag
    draw: st.DataObject,
) -> None:
    whole = _panel(data[0], data[1])
    other = _panel(data[2], data[3])
    rules = _rules(policy, lean_only=lean_only)
    entities = whole.entities
    expected = evaluate(rules, whole)
    t = whole.n_periods
    fork = draw.draw(st.integers(0, t))
    later = draw.draw(st.integers(fork, t))

    # Stream to ``later`` through ``fork``, keeping the monitor at the fork.
    monitor = Monitor.start(rules, entities)
    at_fork = monitor
    streamed: list[AlertEvent] = []
    for index, observation in enumerate(whole.observations()):
        if index == later:
            break
        if index == fork:
            at_fork = monitor
        step = monitor.step(observation)
        streamed.extend(step.events)
        monitor = step.monitor
    if later == fork:
        at_fork = monitor
    at_later = monitor

    # Branch from the old monitor with other values (reroots the store).
    branched, branch_events = _stream(at_fork, other, fork)
    tail = other.slice(start=other.timestamps[fork]) if fork < t else None
    if tail is not None:
        with_other = Monitor.resume(rules, entities, at_fork.state).run(tail)
        assert tuple(branch_events) == with_other.events
        assert branched.state == with_other.monitor.state
        assert branched.open_alerts == with_other.monitor.open_alerts

    # Back to the later monitor, through a pickle and a deep copy.
    for revived in (
        at_later,
        pickle.loads(pickle.dumps(at_later)),  # noqa: S301  our own bytes
        copy.deepcopy(at_later),
        Monitor.resume(rules, entities, at_later.state),
    ):
        assert revived.open_alerts == at_later.open_alerts
        done, rest = _stream(revived, whole, later)
        assert expected.events == (*streamed, *rest)
        assert expected.monitor.state == done.state
        assert expected.monitor.open_alerts == done.open_alerts
        # A batch run from a streamed monitor (copies the live arrays).
        if later < t:
            run = revived.run(whole.slice(start=whole.timestamps[later]))
            assert expected.monitor.state == run.monitor.state
            assert expected.events[len(streamed) :] == run.events

    # The branch is still intact after all that.
    assert branched.state == (
        with_other.monitor.state if tail is not None else at_fork.state
    )
