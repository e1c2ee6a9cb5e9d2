"""Where a streaming monitoring step's time goes (a development aid).

Runs the issue #3 benchmark's four rules on its synthetic sales, one day at a
time, and steps the hand-written numpy reference of ``bench_monitoring`` on
the same day right before each monitor step. Both are timed per day and
summed, so a slow spell of a shared machine hits both alike; the ratio is
steadier than timing whole runs (about ±0.05 between runs), which makes it the
better tool for comparing two builds. Being interleaved, both run with the
other's data in the caches, so the ratio is lower than
``bench_monitoring.py``'s, which times whole runs of each.

The monitor's parts are timed by wrapping private methods for the duration of
the run: the signals (every window and chart), the thresholds, a rule group's
step (which includes the thresholds it evaluates and its events) and the
events of lean groups. Each is printed in units of the reference's step.

Run with ``python benchmarks/profile_monitoring_step.py [entities] [days]``;
with 100 entities nearly all of the time is per-call cost.
"""

from __future__ import annotations

import functools
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from bench_monitoring import ReferenceStream, rules, workload

from crisisops.monitoring import _engine, monitor
from crisisops.monitoring.monitor import Monitor

#: The parts timed, as (class, method, label); nested parts are inside others.
PARTS: tuple[tuple[type[Any], str, str], ...] = (
    (_engine.Program, "step_nodes", "signals"),
    (_engine.Program, "evaluate", "thresholds (inside rule groups)"),
    (monitor._CompiledGroup, "step", "rule groups (with thresholds, events)"),  # noqa: SLF001
    (monitor._CompiledGroup, "_lean_events", "events of lean groups"),  # noqa: SLF001
)


@contextmanager
def timed_parts(totals: dict[str, float]) -> Iterator[None]:
    """Add each part's time to ``totals`` while the block runs."""
    saved = [(cls, name, getattr(cls, name)) for cls, name, _ in PARTS]

    def timer(method: Callable[..., Any], label: str) -> Callable[..., Any]:
        @functools.wraps(method)
        def timed(*args: Any, **kwargs: Any) -> Any:  # noqa: ANN401  any method
            start = time.perf_counter()
            try:
                return method(*args, **kwargs)
            finally:
                totals[label] += time.perf_counter() - start

        return timed

    for (cls, name, label), (_, _, method) in zip(PARTS, saved, strict=True):
        setattr(cls, name, timer(method, label))
    try:
        yield
    finally:
        for cls, name, method in saved:
            setattr(cls, name, method)


def main() -> None:
    """Print the monitor's parts in units of the reference's per-day step."""
    entities = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    days = int(sys.argv[2]) if len(sys.argv) > 2 else 365
    sales, names, panel, floor, thresholds = workload(entities, days)
    observations = list(panel.observations())
    best: dict[str, float] | None = None
    for _ in range(3):
        totals: dict[str, float] = defaultdict(float)
        stream = ReferenceStream(entities, floor)
        current = Monitor.start(rules(), names, [thresholds])
        with timed_parts(totals):
            for day, observation in enumerate(observations):
                began = time.perf_counter()
                stream.step(sales[day])
                middle = time.perf_counter()
                current = current.step(observation).monitor
                totals["reference step"] += middle - began
                totals["monitor step"] += time.perf_counter() - middle
        ratio = totals["monitor step"] / totals["reference step"]
        if best is None or ratio < best["monitor step"] / best["reference step"]:
            best = totals
    assert best is not None  # three runs above
    reference = best["reference step"]
    print(f"{entities:,} entities x {days} days, interleaved day by day (best of 3)")
    labels = ["reference step", "monitor step", *(label for *_, label in PARTS)]
    for label in labels:
        per_day = best[label] / days * 1e6
        print(f"{label:40s} {per_day:8.0f} us/day {best[label] / reference:6.2f}x")


if __name__ == "__main__":
    main()
