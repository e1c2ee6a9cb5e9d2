"""Old monitors keep their state: stepping never changes a monitor already made.

Monitors that descend from one another share their arrays and write in place
(Baker's rerooting, see ``crisisops.monitoring._store``); these tests drive
them in the orders that would expose a shared write: stepping an old monitor
again (branching), going back and forth between branches, reading an old
monitor's state after its successors moved on, and a step that fails.
"""

from __future__ import annotations

import copy
import math
import pickle

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops.errors import ValidationError
from crisisops.frozen import FrozenDict
from crisisops.monitoring.monitor import Monitor, evaluate
from crisisops.monitoring.panel import Observation, Panel

from .build import days
from .test_monitor import GMV, _mixed_rules

ENTITIES = ("sku-0", "sku-1", "sku-2")


def _observations(rows: list[list[float]], offset: int = 0) -> list[Observation]:
    stamps = days(len(rows) + offset)[offset:]
    values = np.asarray(rows, dtype=np.float64)[:, :, np.newaxis]
    panel = Panel(timestamps=stamps, entities=ENTITIES, metrics=(GMV,), values=values)
    return list(panel.observations())


def _reference(rows: list[list[float]]) -> Monitor:
    """The monitor after ``rows``, computed from scratch in batch."""
    rules = _mixed_rules()
    if not rows:
        return Monitor.start(rules, ENTITIES)
    stamps = days(len(rows))
    values = np.asarray(rows, dtype=np.float64)[:, :, np.newaxis]
    panel = Panel(timestamps=stamps, entities=ENTITIES, metrics=(GMV,), values=values)
    return evaluate(rules, panel).monitor


values = st.one_of(st.just(math.nan), st.floats(min_value=0.0, max_value=200.0))
rows_strategy = st.lists(
    st.lists(values, min_size=len(ENTITIES), max_size=len(ENTITIES)),
    min_size=1,
    max_size=14,
)


@settings(max_examples=40, deadline=None)
@given(rows_strategy, rows_strategy, st.data())
def test_branches_from_an_old_monitor_keep_their_own_histories(
    trunk: list[list[float]], branch: list[list[float]], data: st.DataObject
) -> None:
    rules = _mixed_rules()
    fork = data.draw(st.integers(min_value=0, max_value=len(trunk)))
    first = Monitor.start(rules, ENTITIES)
    history = [first]
    for observation in _observations(trunk):
        history.append(history[-1].step(observation).monitor)
    # Step the monitor at the fork again, with other data: a second branch.
    other_rows = trunk[:fork] + branch
    other = history[fork]
    for observation in _observations(other_rows)[fork:]:
        other = other.step(observation).monitor
    # Now read every monitor in an order that jumps between the branches.
    order = data.draw(st.permutations(range(len(history))))
    for index in order:
        expected = _reference(trunk[:index])
        assert expected.state == history[index].state
        assert _reference(other_rows).state == other.state


def test_stepping_an_old_monitor_twice_gives_the_same_result() -> None:
    rows = [[100.0, 50.0, 10.0], [40.0, 50.0, 12.0], [30.0, math.nan, 9.0]] * 3
    observations = _observations(rows)
    monitor = Monitor.start(_mixed_rules(), ENTITIES)
    for observation in observations[:-1]:
        monitor = monitor.step(observation).monitor
    once = monitor.step(observations[-1])
    twice = monitor.step(observations[-1])
    assert once.events == twice.events
    assert once.monitor.state == twice.monitor.state
    assert monitor.state == _reference(rows[:-1]).state


def test_a_failed_step_leaves_the_monitor_and_its_successors_unchanged() -> None:
    rows = [[100.0, 50.0, 10.0], [40.0, 50.0, 12.0], [30.0, 20.0, 9.0]]
    observations = _observations(rows)
    monitor = Monitor.start(_mixed_rules(), ENTITIES)
    for observation in observations:
        monitor = monitor.step(observation).monitor
    before = monitor.state
    with pytest.raises(ValidationError, match="timestamp"):
        monitor.step(observations[0])  # not after the last period
    assert before == monitor.state
    assert _reference(rows).state == monitor.state


def test_a_batch_run_leaves_the_monitor_it_started_from_unchanged() -> None:
    rows = [[100.0, 50.0, 10.0], [40.0, 50.0, 12.0], [30.0, 20.0, 9.0]] * 2
    head = Monitor.start(_mixed_rules(), ENTITIES)
    for observation in _observations(rows[:2]):
        head = head.step(observation).monitor
    before = head.state
    later = _observations(rows, offset=0)[2:]
    stamps = [o.timestamp for o in later]
    values = np.stack([o.values for o in later])
    panel = Panel(timestamps=stamps, entities=ENTITIES, metrics=(GMV,), values=values)
    result = head.run(panel)
    assert before == head.state
    assert _reference(rows).state == result.monitor.state
    # The run's result is an ordinary monitor: it steps and branches too.
    assert head.step(later[0]).monitor.state == _reference(rows[:3]).state


def test_monitors_copy_and_pickle_with_their_shared_state() -> None:
    rows = [[100.0, 50.0, 10.0], [40.0, 50.0, 12.0], [30.0, math.nan, 9.0]] * 2
    observations = _observations(rows)
    history = [Monitor.start(_mixed_rules(), ENTITIES)]
    for observation in observations:
        history.append(history[-1].step(observation).monitor)
    # The newest monitor holds the arrays; an older one holds undo records.
    for monitor in (history[-1], history[2]):
        for twin in (copy.deepcopy(monitor), pickle.loads(pickle.dumps(monitor))):  # noqa: S301  our own bytes
            assert monitor.state == twin.state
    # A copy steps on by itself and leaves the original as it was.
    twin = copy.deepcopy(history[2])
    after = twin.step(observations[2]).monitor
    assert history[3].state == after.state
    assert _reference(rows).state == history[-1].state


def test_a_state_saved_with_64_bit_run_lengths_still_resumes() -> None:
    # Run lengths are 32-bit integers in the live state; a state saved when
    # they were 64-bit resumes and carries on exactly as a 32-bit one.
    rows = [[100.0, 50.0, 80.0], [40.0, 52.0, 30.0], [30.0, 51.0, 20.0]]
    rows += [[20.0, 50.0, 90.0], [90.0, 10.0, 95.0], [95.0, 9.0, 20.0]]
    rules = _mixed_rules()
    observations = _observations(rows)
    start = Monitor.start(rules, ENTITIES)
    for observation in observations[:3]:
        start = start.step(observation).monitor
    saved = start.state
    runs = [key for key in saved.arrays if key.endswith(".run")]
    assert runs
    assert all(saved.arrays[key].dtype == np.int32 for key in runs)
    wider = {
        key: value.astype(np.int64) if key in runs else value
        for key, value in saved.arrays.items()
    }
    old = attrs.evolve(saved, arrays=FrozenDict(wider))
    resumed = Monitor.resume(rules, ENTITIES, old)
    for observation in observations[3:]:
        resumed = resumed.step(observation).monitor
    assert _reference(rows).state == resumed.state
