"""The floor under issue #3's streaming target: a hand-fused step (a development aid).

Issue #3 asks a streaming `Monitor` period to cost under 2x the hand-written
numpy reference step of ``bench_monitoring.py``. That reference computes the
four rules' breach flags and nothing else. The monitor also runs each alert's
lifecycle and explains every event, and on the benchmark's data about 2,100
alerts fire or resolve each day.

This script measures how much of that is the work itself. `FusedStep` is the
same four rules written by hand for this one rule set: whole-array numpy,
updated in place, with no immutability, validation, generality or
bookkeeping for undo. It produces the same events as the monitor, which the
script checks (kind, rule, entity, episode, run length and evidence, every
day of the year, on the first 1,000 SKUs). It is timed in three stages:

1. the signals and thresholds (the reference's work);
2. plus the alert state machine (runs, firing, first-breach times);
3. plus the events with their evidence and the firing records.

Each stage is printed in units of the reference step, next to the monitor,
both as whole runs (as the benchmark does) and interleaved day by day.

Run with ``python benchmarks/floor_monitoring_step.py [entities] [days]``.
"""

from __future__ import annotations

import math
import sys
import time
from collections.abc import Callable
from typing import Any

import numpy as np
from bench_monitoring import ReferenceStream, rules, workload

from crisisops.monitoring.monitor import AlertEvent, Monitor
from crisisops.monitoring.panel import Observation

Array = np.ndarray[Any, Any]

#: The rules in the benchmark's order and the run each needs to fire.
RULES = ("below_p5", "drop_30", "below_p5_3_days", "z_28")
NEED = np.array([1, 1, 3, 1], dtype=np.int32)[:, np.newaxis]

#: What a firing alert keeps (the monitor keeps the same, and more).
RECORD = np.dtype(
    [("episode", "i8"), ("fired", "i8"), ("evidence", "f8", 4), ("run", "i8")]
)

#: One event as compared with the monitor's: kind, rule, entity, episode,
#: run length, then observed, signal, baseline and bound.
Event = tuple[Any, ...]


class FusedStep:
    """The benchmark's four rules, lifecycle and events, fused by hand."""

    def __init__(self, n: int, floor: Array) -> None:
        """Start with empty windows and every alert inactive."""
        self.n = n
        self.floor = floor
        zero = np.zeros(n)
        self.ring7 = [zero] * 7
        self.valid7 = [zero] * 7
        self.ring28 = [zero] * 28
        self.valid28 = [zero] * 28
        self.centre = np.full(n, np.nan)
        self.sum7 = np.zeros(n)
        self.count7 = np.zeros(n)
        self.sum28 = np.zeros(n)
        self.squares28 = np.zeros(n)
        self.count28 = np.zeros(n)
        cells = len(RULES) * n
        self.run = np.zeros(cells, dtype=np.int32)
        self.firing = np.zeros(cells, dtype=bool)
        self.busy = np.zeros(cells, dtype=bool)
        self.since = np.full(cells, -1, dtype=np.int64)
        self.episode = np.zeros(cells, dtype=np.int64)
        self.records = np.zeros(cells, dtype=RECORD)
        # Whole records are copied as opaque items (fields one by one is slow).
        self.opaque = np.dtype((np.void, RECORD.itemsize))
        self.breach = np.empty((len(RULES), n), dtype=bool)
        self.known = np.empty((len(RULES), n), dtype=bool)
        self.rule_starts = 2 * n * np.arange(len(RULES) + 1)
        self.no_baseline = np.full(n, np.nan)
        self.period = -1

    def step(self, x: Array, stage: int = 3) -> dict[str, Array] | None:  # noqa: PLR0915  one fused period
        """Advance one period; return the events' columns at stage 3."""
        n = self.n
        self.period += 1
        with np.errstate(all="ignore"):
            missing = np.isnan(x)
            if np.isnan(self.centre).any():
                self.centre = np.where(np.isnan(self.centre) & ~missing, x, self.centre)
            centre = self.centre
            # Signals against the windows before this period.
            baseline7 = self.sum7 / self.count7
            baseline7[self.count7 < 5] = np.nan
            baseline7 += centre
            change = (x - baseline7) / np.abs(baseline7)
            mean = self.sum28 / self.count28
            variance = self.squares28 - self.sum28 * mean
            variance /= self.count28 - 1
            mean[self.count28 < 20] = np.nan
            centre28 = mean + centre
            z = (x - centre28) / np.sqrt(variance)
            # This period enters both windows; the oldest leaves.
            enter = x - centre
            gaps = np.flatnonzero(missing)
            enter[gaps] = 0.0
            valid = np.ones(n)
            valid[gaps] = 0.0
            self.sum7 = self.sum7 + enter - self.ring7[0]
            self.count7 = self.count7 + valid - self.valid7[0]
            self.ring7 = [*self.ring7[1:], enter]
            self.valid7 = [*self.valid7[1:], valid]
            old = self.ring28[0]
            self.sum28 = self.sum28 + enter - old
            self.squares28 = self.squares28 + enter * enter - old * old
            self.count28 = self.count28 + valid - self.valid28[0]
            self.ring28 = [*self.ring28[1:], enter]
            self.valid28 = [*self.valid28[1:], valid]
            # Thresholds, written rule by rule into one (rules, n) block.
            breach, known = self.breach, self.known
            np.less(x, self.floor, out=breach[0])
            np.equal(x, x, out=known[0])
            np.less_equal(change, -0.30, out=breach[1])
            np.equal(change, change, out=known[1])
            breach[2] = breach[0]
            known[2] = known[0]
            np.greater(np.abs(z), 3.0, out=breach[3])
            np.equal(z, z, out=known[3])
        if stage == 1:
            return None
        # The state machine: runs grow on a breach, fire at their need,
        # resolve on a clean period; a first-breach time when a run starts.
        grows = breach.ravel()
        clean = np.greater(known.ravel(), grows)
        run = self.run + 1
        run *= grows
        was_firing = self.firing
        firing = np.greater(was_firing, clean)
        firing |= (run.reshape(len(RULES), n) >= NEED).ravel()
        busy = grows | firing
        self.since[np.flatnonzero(np.greater(busy, self.busy))] = self.period
        self.run, self.firing, self.busy = run, firing, busy
        if stage == 2:
            return None
        # The events, rule by rule, resolutions first, in entity order.
        flips = np.empty((len(RULES), 2, n), dtype=bool)
        before, after = was_firing.reshape(len(RULES), n), firing.reshape(-1, n)
        np.greater(before, after, out=flips[:, 0])
        np.greater(after, before, out=flips[:, 1])
        key = np.flatnonzero(flips)
        kind_row, entity = np.divmod(key, n)
        rule = kind_row >> 1
        fired = kind_row & 1
        cells = entity + n * rule
        episode = self.episode[cells] + fired
        bounds = np.searchsorted(key, self.rule_starts).tolist()
        band = np.where(z < -3.0, -3.0, 3.0)
        signals = (x, change, x, z)
        baselines = (self.no_baseline, baseline7, self.no_baseline, centre28)
        floors = (self.floor, None, self.floor, band)
        evidence = np.empty((4, key.size))
        evidence[0] = x[entity]
        for row in range(len(RULES)):
            part = slice(bounds[row], bounds[row + 1])
            where = entity[part]
            evidence[1, part] = signals[row][where]
            evidence[2, part] = baselines[row][where]
            bound = floors[row]
            evidence[3, part] = -0.30 if bound is None else bound[where]
        fire_at = np.flatnonzero(fired)
        newly = cells[fire_at]
        self.episode[newly] = episode[fire_at]
        since = np.full(key.size, -1, dtype=np.int64)
        since[fire_at] = self.since[newly]
        runs = np.ones(key.size, dtype=np.int32)
        runs[fire_at] = run[newly]
        record = np.zeros(fire_at.size, dtype=RECORD)
        record["episode"] = episode[fire_at]
        record["fired"] = self.period
        record["evidence"] = evidence[:, fire_at].T
        record["run"] = runs[fire_at]
        self.records.view(self.opaque)[newly] = record.view(self.opaque)
        return {
            "rule": rule,
            "entity": entity,
            "fired": fired,
            "episode": episode,
            "since": since,
            "run": runs,
            "evidence": evidence,
        }


def _fused_events(columns: dict[str, Array]) -> list[Event]:
    evidence = columns["evidence"].T.tolist()
    return [
        ("fired" if fired else "resolved", RULES[rule], entity, episode, run, *numbers)
        for rule, entity, fired, episode, run, numbers in zip(
            columns["rule"].tolist(),
            columns["entity"].tolist(),
            columns["fired"].tolist(),
            columns["episode"].tolist(),
            columns["run"].tolist(),
            evidence,
            strict=True,
        )
    ]


def _monitor_events(events: tuple[AlertEvent, ...], names: list[str]) -> list[Event]:
    number = {name: index for index, name in enumerate(names)}
    return [
        (
            event.kind.value,
            event.rule,
            number[event.entity],
            event.episode,
            event.evidence.run_length,
            event.evidence.observed,
            event.evidence.signal,
            event.evidence.baseline,
            event.evidence.bound,
        )
        for event in events
    ]


def _same(mine: list[Event], theirs: list[Event]) -> bool:
    """Compare events field by field, NaN equal to NaN."""
    if len(mine) != len(theirs):
        return False
    for a, b in zip(mine, theirs, strict=True):
        for u, v in zip(a, b, strict=True):
            both_nan = (
                isinstance(u, float)
                and isinstance(v, float)
                and math.isnan(u)
                and math.isnan(v)
            )
            if u != v and not both_nan:
                return False
    return True


def check(entities: int, days: int) -> int:
    """Assert the fused events equal the monitor's every day; return their count."""
    sales, names, panel, floor, thresholds = workload(entities, days)
    fused = FusedStep(entities, floor)
    monitor = Monitor.start(rules(), names, [thresholds])
    total = 0
    for day, observation in enumerate(panel.observations()):
        columns = fused.step(sales[day])
        assert columns is not None  # stage 3
        result = monitor.step(observation)
        monitor = result.monitor
        mine = _fused_events(columns)
        assert _same(mine, _monitor_events(result.events, names)), f"day {day}"
        total += len(mine)
    return total


def main() -> None:
    """Check the fused step, then time its stages against the reference."""
    entities = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    days = int(sys.argv[2]) if len(sys.argv) > 2 else 365
    checked = min(entities, 1_000)
    count = check(checked, days)
    print(f"fused events equal the monitor's: {count:,} events, {checked:,} SKUs")

    sales, names, panel, floor, thresholds = workload(entities, days)
    observations: list[Observation] = list(panel.observations())

    def fused(stage: int) -> Callable[[], None]:
        def run() -> None:
            step = FusedStep(entities, floor)
            for day in range(days):
                step.step(sales[day], stage)

        return run

    def reference() -> None:
        stream = ReferenceStream(entities, floor)
        for day in range(days):
            stream.step(sales[day])

    def monitor() -> None:
        current = Monitor.start(rules(), names, [thresholds])
        for observation in observations:
            current = current.step(observation).monitor

    labels = (
        "reference step",
        "fused 1: signals, thresholds",
        "fused 2: + alert state machine",
        "fused 3: + events, firing records",
        "crisisops Monitor.step",
    )
    actions = (reference, fused(1), fused(2), fused(3), monitor)
    whole = [float("inf")] * len(actions)
    for _ in range(5):
        for index, action in enumerate(actions):
            began = time.perf_counter()
            action()
            whole[index] = min(whole[index], time.perf_counter() - began)

    # Day by day: every implementation steps the same day in turn.
    daily = [0.0] * len(actions)
    stream = ReferenceStream(entities, floor)
    steps = [FusedStep(entities, floor) for _ in range(3)]
    current = Monitor.start(rules(), names, [thresholds])
    for day in range(days):
        x = sales[day]
        began = time.perf_counter()
        stream.step(x)
        marks = [began, time.perf_counter()]
        for stage, step in enumerate(steps, start=1):
            step.step(x, stage)
            marks.append(time.perf_counter())
        current = current.step(observations[day]).monitor
        marks.append(time.perf_counter())
        for index in range(len(actions)):
            daily[index] += marks[index + 1] - marks[index]

    print(f"{entities:,} entities x {days} days; per period, in reference steps:")
    print(f"{'':36s} {'whole runs':>20s} {'day by day':>20s}")
    for label, whole_run, by_day in zip(labels, whole, daily, strict=True):
        print(
            f"{label:36s} {whole_run / days * 1e6:8.0f} us {whole_run / whole[0]:6.2f}x"
            f" {by_day / days * 1e6:8.0f} us {by_day / daily[0]:6.2f}x"
        )


if __name__ == "__main__":
    main()
