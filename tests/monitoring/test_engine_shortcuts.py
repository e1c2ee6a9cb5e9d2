"""The engine's shortcuts give the results of the plain definitions.

The monitor skips work it can prove changes nothing: quiet cells with missing
data, a second trailing window on a metric whose centre is already known,
known-ness of one-sided thresholds, undo copies of fancy-indexed writes,
masked divisions (a plain one, then a closer look at infinite quotients). Each
test here checks one shortcut against an independent, plainly written
reference (or against the same rule evaluated without the shortcut).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops.monitoring._engine import _change, _safe_divide
from crisisops.monitoring._store import Journal
from crisisops.monitoring.conditions import (
    Below,
    Calibrated,
    Change,
    Outside,
    Raw,
    RollingZScore,
    Threshold,
    TrailingMean,
)
from crisisops.monitoring.monitor import (
    AlertEvent,
    Monitor,
    MonitorState,
    evaluate,
    trace,
)
from crisisops.monitoring.rules import Consecutive, MissingData, Tier, TriggerRule
from crisisops.monitoring.thresholds import ThresholdSet
from crisisops.taxonomy import ResponseLevel

from .build import days, panel

GMV = "sales.gmv"
POLICIES = (
    MissingData.BREAK,
    MissingData.HOLD,
    MissingData.AS_BREACH,
    MissingData.AS_CLEAR,
)


@dataclasses.dataclass
class _Cell:
    run: int = 0
    status: str = "inactive"
    clean: int = 0
    cool: int = 0
    episode: int = 0


def _reference_events(  # noqa: PLR0912  the state machine, written out plainly
    rule: TriggerRule, bound: float, rows: list[list[float]]
) -> list[tuple[str, int, int, int, int]]:
    """One Consecutive one-tier ``Raw < bound`` rule, cell by cell, period by period.

    Every cell is stepped every period (no active set), straight from the
    rule's documented semantics.
    """
    need = rule.persistence.n
    cells = [_Cell() for _ in rows[0]]
    events: list[tuple[str, int, int, int, int]] = []
    for period, row in enumerate(rows):
        for entity, (x, cell) in enumerate(zip(row, cells, strict=True)):
            missing = math.isnan(x)
            breach = (not missing) and x < bound
            known = not missing
            update, reset = True, False
            if missing and rule.missing is MissingData.HOLD:
                update = False
            elif missing and rule.missing is MissingData.BREAK:
                reset = True
            elif missing and rule.missing is MissingData.AS_BREACH:
                breach = True
            run = cell.run + 1 if breach else 0
            if not update:
                run = cell.run
            if reset:
                run = 0
            firing = cell.status == "firing"
            clean_now = (not breach) and known
            if missing and rule.missing is MissingData.AS_CLEAR:
                clean_now = True
            clean_now = clean_now and update and not reset
            clean = (
                (cell.clean + 1 if clean_now else 0)
                if firing and update
                else cell.clean
            )
            resolve = firing and clean >= rule.clear_after
            blocked = cell.cool > 0
            fire = not firing and run >= need and not blocked
            if resolve:
                events.append(("resolved", period, entity, cell.episode, clean))
                run = 0
            if fire:
                cell.episode += 1
                events.append(("fired", period, entity, cell.episode, run))
            if fire or (firing and not resolve):
                cell.status = "firing"
            elif run > 0:
                cell.status = "pending"
            else:
                cell.status = "inactive"
            cell.cool = cell.cool - 1 if blocked else 0
            if resolve:
                cell.cool = rule.cooldown
            cell.clean = 0 if fire or resolve else clean
            cell.run = run
    return events


values = st.one_of(
    st.just(math.nan), st.sampled_from([10.0, 40.0, 60.0, 90.0]), st.floats(0.0, 100.0)
)
settings_of_a_rule = st.tuples(
    st.integers(1, 3),  # run needed
    st.integers(1, 3),  # clear after
    st.integers(0, 2),  # cooldown
    st.sampled_from([30.0, 50.0, 70.0]),  # bound
)


@settings(max_examples=80, deadline=None)
@given(
    st.integers(1, 4).flatmap(
        lambda n: st.lists(
            st.lists(values, min_size=n, max_size=n), min_size=1, max_size=25
        )
    ),
    st.lists(settings_of_a_rule, min_size=1, max_size=3),
    st.sampled_from(POLICIES),
)
def test_consecutive_rules_match_a_cell_by_cell_reference(
    rows: list[list[float]],
    shapes: list[tuple[int, int, int, float]],
    policy: MissingData,
) -> None:
    # Rules of one shape run as one group that skips quiet cells, even ones
    # with missing data; the reference steps every cell every period.
    rules = [
        TriggerRule(
            name=f"rule_{i}",
            crisis_type="market.demand_shift",
            tiers=[
                Tier(
                    ResponseLevel.IV,
                    Threshold(signal=Raw(GMV), predicate=Below(bound)),
                )
            ],
            persistence=Consecutive(need),
            clear_after=clear_after,
            cooldown=cooldown,
            missing=policy,
        )
        for i, (need, clear_after, cooldown, bound) in enumerate(shapes)
    ]
    entities = tuple(f"sku-{i}" for i in range(len(rows[0])))
    result = evaluate(rules, panel({GMV: rows}, entities))
    stamps = days(len(rows))
    for rule, (_, _, _, bound) in zip(rules, shapes, strict=True):
        got = [
            (
                event.kind.value,
                stamps.index(event.at),
                entities.index(event.entity),
                event.episode,
                event.evidence.run_length,
            )
            for event in result.events
            if event.rule == rule.name
        ]
        expected = _reference_events(rule, bound, rows)
        assert sorted(got, key=lambda e: (e[1], e[0] != "resolved", e[2])) == got
        assert sorted(got) == sorted(expected)


def _window_rules() -> list[TriggerRule]:
    """Two trailing windows on one metric (they share their centre)."""
    drop = Change(metric=GMV, baseline=TrailingMean(window=3, min_periods=2))
    z = RollingZScore(metric=GMV, window=4, min_periods=2)
    return [
        TriggerRule(
            name="drop",
            crisis_type="market.demand_shift",
            tiers=[
                Tier(ResponseLevel.IV, Threshold(signal=drop, predicate=Below(-0.2)))
            ],
        ),
        TriggerRule(
            name="z",
            crisis_type="market.demand_shift",
            tiers=[
                Tier(
                    ResponseLevel.IV, Threshold(signal=z, predicate=Outside(-1.5, 1.5))
                )
            ],
            missing=MissingData.HOLD,
        ),
    ]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.lists(values, min_size=3, max_size=3), min_size=1, max_size=20),
    st.data(),
)
def test_windows_sharing_a_centre_give_each_rule_its_own_results(
    rows: list[list[float]], data: st.DataObject
) -> None:
    entities = ("a", "b", "c")
    whole = panel({GMV: rows}, entities)
    rules = _window_rules()
    together = evaluate(rules, whole)
    for rule in rules:
        alone = evaluate([rule], whole)
        assert alone.events == tuple(e for e in together.events if e.rule == rule.name)
    # Resuming from saved state (separate arrays) shares them again.
    split = data.draw(st.integers(0, whole.n_periods))
    monitor = Monitor.start(rules, entities)
    streamed: list[AlertEvent] = []
    for index, observation in enumerate(whole.observations()):
        if index == split:
            monitor = Monitor.resume(rules, entities, monitor.state)
        step = monitor.step(observation)
        streamed.extend(step.events)
        monitor = step.monitor
    assert tuple(streamed) == together.events
    assert monitor.state == together.monitor.state


def test_windows_with_different_centres_are_fed_separately() -> None:
    rows = [[100.0], [110.0], [90.0], [105.0], [40.0], [100.0]]
    whole = panel({GMV: rows})
    rules = _window_rules()
    first = Monitor.start(rules, ("sku-1",)).run(whole.slice(None, whole.timestamps[3]))
    arrays = dict(first.monitor.state.arrays)
    centres = sorted(key for key in arrays if key.endswith(".centre"))
    assert len(centres) == 2
    # A hand-made state whose two centres differ: each window keeps its own.
    arrays[centres[1]] = arrays[centres[1]] + 7.0
    state = MonitorState(
        periods=first.monitor.state.periods,
        last_timestamp=first.monitor.state.last_timestamp,
        arrays=arrays,
        open_alerts=first.monitor.state.open_alerts,
    )
    rest = whole.slice(whole.timestamps[3], None)
    together = Monitor.resume(rules, ("sku-1",), state).run(rest)
    after = together.monitor.state.arrays
    assert not np.array_equal(after[centres[0]], after[centres[1]])
    np.testing.assert_array_equal(after[centres[1]], arrays[centres[1]])
    np.testing.assert_array_equal(after[centres[0]], arrays[centres[0]])


def _bounds(
    version: str, day: int, entities: tuple[str, ...], **bounds: list[float]
) -> ThresholdSet:
    """A threshold set valid from ``days(...)[day]``, fitted the day before."""
    valid_from = days(day + 1)[day]
    return ThresholdSet(
        version=version,
        fitted_through=valid_from - dt.timedelta(days=1),
        valid_from=valid_from,
        entities=entities,
        bounds=bounds,
    )


def test_a_band_with_one_missing_calibrated_side_is_unknown() -> None:
    rows = [[5.0, 5.0, 200.0, 50.0]]
    entities = ("a", "b", "c", "d")
    bounds = _bounds("v1", 0, entities, low=[math.nan, 10.0, math.nan, 10.0])
    condition = Threshold(signal=Raw(GMV), predicate=Outside(Calibrated("low"), 100.0))
    traced = trace(condition, panel({GMV: rows}, entities), [bounds])
    # a: below a missing low bound; b: below the low bound; c: above the high
    # bound but the low one is missing; d: inside the band.
    assert traced.known.tolist() == [[False, True, False, True]]
    assert traced.breach.tolist() == [[False, True, False, False]]


@pytest.mark.parametrize(
    "index",
    [slice(1, 3), np.array([1, 2]), (np.array([3]),)],
    ids=["basic index (a view)", "fancy index", "tuple of arrays"],
)
def test_a_journal_scatter_undoes_exactly(index: object) -> None:
    state = {"a": np.arange(5, dtype=np.int64)}
    journal = Journal(state, record=True)
    journal.scatter("a", index, 0)
    assert state["a"].tolist() != [0, 1, 2, 3, 4]
    journal.rollback()
    assert state["a"].tolist() == [0, 1, 2, 3, 4]


def test_a_bound_without_nan_is_remembered_per_array_not_per_name() -> None:
    # The first set's "floor" has no NaN, so the program stops checking it;
    # the second set (valid from day 3) has a NaN for "b" under the same
    # name, which must make b unknown from then on. Hand-worked: values 5
    # are below both floors, so every known cell breaches.
    entities = ("a", "b")
    first = _bounds("v1", 0, entities, floor=[10.0, 10.0])
    second = _bounds("v2", 2, entities, floor=[10.0, math.nan])
    condition = Threshold(signal=Raw(GMV), predicate=Below(Calibrated("floor")))
    traced = trace(condition, panel({GMV: [[5.0, 5.0]] * 4}, entities), [first, second])
    assert traced.known.tolist() == [[True, True]] * 2 + [[True, False]] * 2
    assert traced.breach.tolist() == [[True, True]] * 2 + [[True, False]] * 2
    # Through a monitor: both fire on day 1; from day 3 b's verdict is
    # unknown, which is not a clean period, so b keeps firing.
    rule = TriggerRule(
        name="floor",
        crisis_type="market.demand_shift",
        tiers=[Tier(ResponseLevel.IV, condition)],
    )
    result = evaluate([rule], panel({GMV: [[5.0, 5.0]] * 4}, entities), [first, second])
    assert [(e.entity, e.kind.value) for e in result.events] == [
        ("a", "fired"),
        ("b", "fired"),
    ]


_SPECIAL = st.sampled_from(
    [0.0, -0.0, 1.0, -2.5, math.inf, -math.inf, math.nan, 5e-324, 1e308, -1e308]
)
_NUMBERS = st.one_of(_SPECIAL, st.floats(allow_nan=True, allow_infinity=True))
_PAIRS = st.lists(st.tuples(_NUMBERS, _NUMBERS), min_size=1, max_size=40)


def _plain_quotient(top: np.ndarray, bottom: np.ndarray, ok: np.ndarray) -> list[float]:
    """The masked division the engine's shortcut replaces."""
    out = np.full(top.shape, np.nan)
    with np.errstate(over="ignore"):
        np.divide(top, bottom, out=out, where=ok)
    quotients: list[float] = out.tolist()
    return quotients


@settings(max_examples=300, deadline=None)
@given(_PAIRS)
def test_the_safe_division_is_the_masked_division(
    pairs: list[tuple[float, float]],
) -> None:
    # NaN wherever the denominator is zero or not finite or the numerator is
    # not finite; elsewhere the quotient, ±inf where it overflows.
    top = np.array([p[0] for p in pairs])
    bottom = np.array([p[1] for p in pairs])
    ok = (bottom != 0) & np.isfinite(bottom) & np.isfinite(top)
    with np.errstate(all="ignore"):  # as inside `Program.step_nodes`
        got = _safe_divide(top, bottom).tolist()
    expected = _plain_quotient(top, bottom, ok)
    assert np.array_equal(expected, got, equal_nan=True)


@settings(max_examples=300, deadline=None)
@given(_PAIRS)
def test_the_relative_change_is_the_masked_division(
    pairs: list[tuple[float, float]],
) -> None:
    # Observations are finite or NaN (a panel refuses infinities); baselines
    # may be anything. NaN where the difference is not finite or the
    # baseline's size is not positive.
    x = np.array([p[0] if not math.isinf(p[0]) else math.nan for p in pairs])
    baseline = np.array([p[1] for p in pairs])
    with np.errstate(all="ignore"):
        difference = x - baseline
        size = np.abs(baseline)
        ok = np.isfinite(difference) & (size > 0)
        got = _change(x, baseline, relative=True).tolist()
    expected = _plain_quotient(difference, size, ok)
    assert np.array_equal(expected, got, equal_nan=True)
