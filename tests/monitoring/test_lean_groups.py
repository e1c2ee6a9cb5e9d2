"""The lean whole-array path gives exactly the general path's results.

Rule groups of the simplest shape (one tier, a consecutive run, resolution on
the first clean period, no cooldown, no clear condition, no no-data alerts)
run a small state machine on whole arrays instead of picking out the active
cells. Every test here runs the same rules with that path turned off (the
general path, which the rest of the suite checks against the documented
semantics) and on, and requires identical events, alerts and saved state, in
batch and streaming, across a save and resume, next to groups of every other
shape, and after a resume from a hand-made state the lean path cannot take.
"""

from __future__ import annotations

import contextlib
import json
import math
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops.monitoring import monitor as monitor_module
from crisisops.monitoring.conditions import (
    Above,
    AnyOf,
    Below,
    Change,
    Condition,
    LevelShift,
    Outside,
    PreviousValue,
    Raw,
    RollingZScore,
    Threshold,
    TrailingMean,
)
from crisisops.monitoring.monitor import (
    AlertEvent,
    Evaluation,
    Monitor,
    MonitorState,
    evaluate,
)
from crisisops.monitoring.panel import Panel
from crisisops.monitoring.rules import Consecutive, MissingData, MOfN, Tier, TriggerRule
from crisisops.serialization import from_data, to_data
from crisisops.taxonomy import ResponseLevel

from .build import days

GMV = "sales.gmv"
REVIEWS = "feedback.negative_reviews"
LEAN_POLICIES = (
    MissingData.BREAK,
    MissingData.HOLD,
    MissingData.AS_BREACH,
    MissingData.AS_CLEAR,
)


@contextlib.contextmanager
def _general_path() -> Iterator[None]:
    """Compile monitors without the lean path while the block runs."""
    saved = monitor_module._LEAN_PATH
    monitor_module._LEAN_PATH = False
    try:
        yield
    finally:
        monitor_module._LEAN_PATH = saved


def _both(run: Callable[[], Any]) -> tuple[Any, Any]:
    """Return ``run()`` on the general path, then on the lean path."""
    with _general_path():
        general = run()
    return general, run()


def _lean_flags(monitor: Monitor) -> list[bool]:
    return [group.lean for group in monitor._compiled[1]]


def _same_evaluation(general: Evaluation, lean: Evaluation) -> None:
    assert general.events == lean.events
    assert general.alerts == lean.alerts
    assert general.monitor.state == lean.monitor.state
    assert general.monitor.open_alerts == lean.monitor.open_alerts


def _rule(
    name: str,
    condition: Condition,
    need: int,
    policy: MissingData,
    **options: Any,
) -> TriggerRule:
    return TriggerRule(
        name=name,
        crisis_type="market.demand_shift",
        tiers=[Tier(ResponseLevel.IV, condition)],
        persistence=Consecutive(need),
        missing=policy,
        **options,
    )


def _conditions() -> list[Condition]:
    """Signals with and without history, on one metric, another, or both.

    A level shift and an any-of on both metrics can be known across a gap
    (the lean path then applies the missing-data policy itself); the others
    cannot (it relies on the unknown verdict).
    """
    return [
        Threshold(signal=Raw(GMV), predicate=Below(50.0)),
        Threshold(signal=Raw(REVIEWS), predicate=Above(60.0, inclusive=True)),
        Threshold(
            signal=Change(metric=GMV, baseline=TrailingMean(window=3, min_periods=2)),
            predicate=Below(-0.2, inclusive=True),
        ),
        Threshold(
            signal=Change(metric=GMV, baseline=PreviousValue()),
            predicate=Outside(-20.0, 20.0),
        ),
        Threshold(
            signal=RollingZScore(metric=REVIEWS, window=4, min_periods=2),
            predicate=Outside(-1.0, 1.0),
        ),
        Threshold(
            signal=LevelShift(metric=GMV, window=2, min_periods=1),
            predicate=Below(-0.2),
        ),
        AnyOf(
            [
                Threshold(signal=Raw(GMV), predicate=Below(20.0)),
                Threshold(signal=Raw(REVIEWS), predicate=Above(80.0)),
            ]
        ),
    ]


values = st.one_of(
    st.just(math.nan),
    st.sampled_from([10.0, 40.0, 60.0, 90.0]),
    st.floats(0.0, 100.0, width=32),
)
lean_rules = st.lists(
    st.tuples(
        st.integers(0, len(_conditions()) - 1),  # condition
        st.integers(1, 3),  # run needed
    ),
    min_size=1,
    max_size=4,
)


def _panel(gmv: list[list[float]], reviews: list[list[float]]) -> Panel:
    entities = tuple(f"sku-{i}" for i in range(len(gmv[0])))
    return Panel.from_metric_arrays(
        days(len(gmv)),
        entities,
        {GMV: np.asarray(gmv), REVIEWS: np.asarray(reviews)},
    )


panels = st.integers(1, 4).flatmap(
    lambda n: st.integers(1, 30).flatmap(
        lambda t: st.tuples(
            st.lists(st.lists(values, min_size=n, max_size=n), min_size=t, max_size=t),
            st.lists(st.lists(values, min_size=n, max_size=n), min_size=t, max_size=t),
        )
    )
)


def _build(shapes: list[tuple[int, int]], policy: MissingData) -> list[TriggerRule]:
    conditions = _conditions()
    return [
        _rule(f"rule_{i}", conditions[which], need, policy)
        for i, (which, need) in enumerate(shapes)
    ]


@settings(max_examples=80, deadline=None)
@given(panels, lean_rules, st.sampled_from(LEAN_POLICIES))
def test_lean_batch_equals_the_general_path(
    data: tuple[list[list[float]], list[list[float]]],
    shapes: list[tuple[int, int]],
    policy: MissingData,
) -> None:
    # Random values with NaN gaps, every missing-data policy a lean group
    # can have, one to four rules per group (on one metric or two, with
    # different run lengths), so runs, firings and resolutions cross gaps.
    whole = _panel(*data)
    rules = _build(shapes, policy)
    general, lean = _both(lambda: evaluate(rules, whole))
    _same_evaluation(general, lean)
    assert all(_lean_flags(lean.monitor))
    assert not any(_lean_flags(general.monitor))


@settings(max_examples=50, deadline=None)
@given(panels, lean_rules, st.sampled_from(LEAN_POLICIES), st.data())
def test_lean_streaming_and_resume_equal_the_general_batch(
    data: tuple[list[list[float]], list[list[float]]],
    shapes: list[tuple[int, int]],
    policy: MissingData,
    draw: st.DataObject,
) -> None:
    whole = _panel(*data)
    rules = _build(shapes, policy)
    with _general_path():
        general = evaluate(rules, whole)
    split = draw.draw(st.integers(0, whole.n_periods))
    monitor = Monitor.start(rules, whole.entities)
    streamed: list[AlertEvent] = []
    for index, observation in enumerate(whole.observations()):
        if index == split:
            saved = json.loads(json.dumps(to_data(monitor.state), allow_nan=False))
            monitor = Monitor.resume(
                rules, whole.entities, from_data(MonitorState, saved)
            )
            assert all(_lean_flags(monitor))
        step = monitor.step(observation)
        streamed.extend(step.events)
        monitor = step.monitor
    assert general.events == tuple(streamed)
    assert general.monitor.state == monitor.state


def _mixed(policy: MissingData) -> list[TriggerRule]:
    """Lean rules next to groups of every other shape, interleaved by index.

    Rules group by tiers, persistence, policy and clear condition, so the
    rules with a cooldown or a longer clearing use another policy here to
    get a group of their own (in one group with lean rules, the whole group
    takes the general path).
    """
    other = LEAN_POLICIES[(LEAN_POLICIES.index(policy) + 1) % len(LEAN_POLICIES)]
    low = Threshold(signal=Raw(GMV), predicate=Below(50.0))
    high = Threshold(signal=Raw(GMV), predicate=Below(20.0))
    reviews = Threshold(signal=Raw(REVIEWS), predicate=Above(60.0))
    recovered = Threshold(signal=Raw(GMV), predicate=Above(70.0))
    return [
        _rule("lean_a", low, 1, policy),
        _rule("cooling", low, 1, other, cooldown=2),
        _rule("lean_b", reviews, 2, policy),
        _rule("slow_clear", low, 2, other, clear_after=2),
        _rule("hysteresis", low, 1, policy, clear_condition=recovered),
        TriggerRule(
            name="tiered",
            crisis_type="market.demand_shift",
            tiers=[Tier(ResponseLevel.IV, low), Tier(ResponseLevel.III, high)],
            missing=policy,
        ),
        TriggerRule(
            name="m_of_n",
            crisis_type="market.demand_shift",
            tiers=[Tier(ResponseLevel.IV, low)],
            persistence=MOfN(m=2, n=3),
            missing=policy,
        ),
        _rule(
            "no_data", low, 1, MissingData.NO_DATA, max_gap=2
        ),  # never lean: it raises no-data alerts
        _rule("lean_c", low, 3, policy),
    ]


@settings(max_examples=60, deadline=None)
@given(panels, st.sampled_from(LEAN_POLICIES))
def test_lean_groups_next_to_every_other_shape(
    data: tuple[list[list[float]], list[list[float]]], policy: MissingData
) -> None:
    # Cooldowns, slower clearing, hysteresis, tiers, M-of-N and no-data
    # alerts keep the general path; their events interleave with the lean
    # group's in the documented order.
    whole = _panel(*data)
    rules = _mixed(policy)
    general, lean = _both(lambda: evaluate(rules, whole))
    _same_evaluation(general, lean)
    flags = dict(
        zip(
            [tuple(r.name for r in g.rules) for g in lean.monitor._compiled[1]],
            _lean_flags(lean.monitor),
            strict=True,
        )
    )
    assert flags == {
        ("lean_a", "lean_b", "lean_c"): True,
        ("cooling", "slow_clear"): False,
        ("hysteresis",): False,
        ("tiered",): False,
        ("m_of_n",): False,
        ("no_data",): False,
    }


def test_a_concrete_run_fires_and_resolves_on_the_lean_path() -> None:
    # By hand: need 2 below 50. sku-0: 40, 40 (fires day 2, run 2), 60
    # (resolves day 3, one clean period), NaN (BREAK: nothing firing), 40,
    # 40 (fires again day 6, episode 2). sku-1 never breaches.
    whole = _panel(
        [[40, 80], [40, 80], [60, 80], [math.nan, 80], [40, 80], [40, 80]],
        [[0, 0]] * 6,
    )
    rule = _rule(
        "low", Threshold(signal=Raw(GMV), predicate=Below(50.0)), 2, MissingData.BREAK
    )
    result = evaluate([rule], whole)
    stamps = whole.timestamps
    got = [
        (e.kind.value, stamps.index(e.at), e.entity, e.episode, e.evidence.run_length)
        for e in result.events
    ]
    assert [
        ("fired", 1, "sku-0", 1, 2),
        ("resolved", 2, "sku-0", 1, 1),
        ("fired", 5, "sku-0", 2, 2),
    ] == got
    (alert,) = result.monitor.open_alerts
    assert stamps[4] == alert.first_breach_at
    assert 40.0 == alert.evidence.observed


def test_a_hand_made_state_the_lean_path_cannot_take_uses_the_general_path() -> None:
    # A clean count of 1 on an inactive cell cannot arise from these rules,
    # but `resume` accepts any state of the right shapes: the group then
    # takes the general path, whose results it must keep giving.
    whole = _panel([[40.0], [40.0], [60.0], [40.0]], [[0.0]] * 4)
    rule = _rule(
        "low", Threshold(signal=Raw(GMV), predicate=Below(50.0)), 1, MissingData.BREAK
    )
    start = Monitor.start([rule], whole.entities)
    arrays = dict(start.state.arrays)
    (clean_key,) = [key for key in arrays if key.endswith(".clean")]
    arrays[clean_key] = np.ones_like(arrays[clean_key])
    odd = MonitorState(periods=0, last_timestamp=None, arrays=arrays)

    resumed = Monitor.resume([rule], whole.entities, odd)
    assert [False] == _lean_flags(resumed)
    with _general_path():
        general = Monitor.resume([rule], whole.entities, odd).run(whole)
    _same_evaluation(general, resumed.run(whole))

    ordinary = Monitor.resume([rule], whole.entities, start.state)
    assert [True] == _lean_flags(ordinary)


@settings(max_examples=40, deadline=None)
@given(panels, lean_rules, st.sampled_from(LEAN_POLICIES))
def test_lean_batch_over_halves_equals_the_whole(
    data: tuple[list[list[float]], list[list[float]]],
    shapes: list[tuple[int, int]],
    policy: MissingData,
) -> None:
    whole = _panel(*data)
    rules = _build(shapes, policy)
    middle = whole.timestamps[len(whole.timestamps) // 2]
    first = evaluate(rules, whole.slice(None, middle))
    second = first.monitor.run(whole.slice(middle, None))
    assert evaluate(rules, whole).events == first.events + second.events
    with _general_path():
        general = evaluate(rules, whole)
    assert general.monitor.state == second.monitor.state


def test_which_groups_may_rely_on_gaps_being_unknown() -> None:
    # A gap makes a raw value, a change or a z-score unknown, so under BREAK
    # the lean path needs no missing-data mask; a level shift (medians over
    # several periods) and an any-of on two metrics can still decide across
    # a gap, and so can any policy other than BREAK rely on its own rule.
    raw, _, change, _, z, shift, either = _conditions()
    flags = {}
    for label, condition, policy in (
        ("raw", raw, MissingData.BREAK),
        ("change", change, MissingData.BREAK),
        ("z", z, MissingData.BREAK),
        ("shift", shift, MissingData.BREAK),
        ("either", either, MissingData.BREAK),
        ("raw held", raw, MissingData.HOLD),
    ):
        monitor = Monitor.start([_rule("r", condition, 2, policy)], ["sku-0"])
        (group,) = monitor._compiled[1]
        assert group.lean
        flags[label] = group.gaps_break_unknown
    assert {
        "raw": True,
        "change": True,
        "z": True,
        "shift": False,
        "either": False,
        "raw held": False,
    } == flags
