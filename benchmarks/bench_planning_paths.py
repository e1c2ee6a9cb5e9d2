"""Benchmark: the critical path of a 5,000-step playbook against networkx (issue #5).

A random playbook of 5,000 steps, each depending on up to three random
earlier steps (durations 10 minutes to 10 hours), built once with a fixed
seed. Timed in the same run, best of 5 runs each, interleaved:

* ours: ``Playbook.critical_path()`` — both passes of the critical path
  method (Kahn's levels as numpy array operations) plus the path walk;
  ``Playbook.schedule()`` (every step's earliest/latest times and slack, as
  arrays) is timed too;
* reference: ``networkx.dag_longest_path`` on the same graph, durations as
  edge weights (each edge out of a step weighs the step's duration, and every
  step has an edge to an end node), built beforehand and not timed.

Both must find the same length (the script asserts it) and our path must be
a chain of dependencies whose durations add up to it. A second, deliberately
deep network (every step also depends on the one before it: 5,000 levels, the
worst case for level-by-level array code) is printed for information: each
level costs a fixed number of numpy calls, so there ours is slower than
networkx's plain Python pass (about 1.3-1.5x on the development machine);
real playbooks have tens of steps and a handful of levels.

Run with ``python benchmarks/bench_planning_paths.py``.
"""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import time
from collections.abc import Callable
from typing import Any

import networkx as nx
import numpy as np

from crisisops.labels import Labels
from crisisops.planning.playbooks import Playbook, PlaybookStep

SEED = 2026
STEPS = 5_000
MAX_DEPENDENCIES = 3
REPEATS = 5
MICROSECOND = dt.timedelta(microseconds=1)


def random_playbook(*, deep: bool) -> Playbook:
    """Return a random DAG playbook; ``deep`` also chains every step to the last."""
    rng = np.random.default_rng(SEED)
    minutes = rng.integers(10, 600, size=STEPS)
    counts = rng.integers(0, MAX_DEPENDENCIES + 1, size=STEPS)
    steps = []
    for i in range(STEPS):
        chosen = (
            set(rng.integers(0, i, size=min(int(counts[i]), i)).tolist())
            if i
            else set()
        )
        if deep and i:
            chosen.add(i - 1)
        steps.append(
            PlaybookStep(
                key=f"s{i}",
                title=f"step {i}",
                owner_role="crisis_lead",
                deadline=dt.timedelta(days=30),
                duration=dt.timedelta(minutes=int(minutes[i])),
                depends_on=[f"s{j}" for j in sorted(chosen)],
                done_when="done",
            )
        )
    return Playbook(
        key="bench",
        labels=Labels(en="Bench", zh_hant="基準", zh_hans="基准"),
        steps=steps,
    )


def networkx_graph(playbook: Playbook) -> nx.DiGraph:
    """Build the same network for networkx: a step's duration on every edge out."""
    graph = nx.DiGraph()
    for step in playbook.steps:
        weight = step.duration // MICROSECOND
        graph.add_edge(step.key, "<end>", weight=weight)
        for dependency in step.depends_on:
            weight_in = playbook.step(dependency).duration // MICROSECOND
            graph.add_edge(dependency, step.key, weight=weight_in)
    return graph


def call_time(function: Callable[[], Any]) -> float:
    """Return the wall time of one call, in seconds."""
    gc.collect()
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def run(name: str, *, deep: bool) -> None:
    """Build, check and time one case; print the ratio."""
    start = time.perf_counter()
    playbook = random_playbook(deep=deep)
    built = time.perf_counter() - start
    graph = networkx_graph(playbook)
    edges = sum(len(step.depends_on) for step in playbook.steps)

    ours = playbook.critical_path()
    reference = nx.dag_longest_path(graph, weight="weight")
    reference_length = nx.dag_longest_path_length(graph, weight="weight")
    total = playbook.total_duration() // MICROSECOND
    assert total == reference_length, (total, reference_length)
    assert sum(playbook.step(key).duration // MICROSECOND for key in ours) == total
    for before, after in itertools.pairwise(ours):
        assert before in playbook.step(after).depends_on

    ours_times, schedule_times, reference_times = [], [], []
    for _ in range(REPEATS):
        ours_times.append(call_time(playbook.critical_path))
        schedule_times.append(call_time(playbook.schedule))
        reference_times.append(
            call_time(lambda: nx.dag_longest_path(graph, weight="weight"))
        )
    mine, schedule, theirs = min(ours_times), min(schedule_times), min(reference_times)
    # levels of the graph: the longest path counted in steps (an edge to the
    # end node is counted too, so it equals the number of steps on it)
    levels = nx.dag_longest_path_length(graph, weight="steps", default_weight=1)
    print(
        f"{name}: {STEPS:,} steps, {edges:,} dependencies, critical path "
        f"{len(ours)} steps / {dt.timedelta(microseconds=total)} "
        f"(networkx path {len(reference) - 1} steps, same length), "
        f"{levels:,} levels deep; playbook built in {built * 1e3:.0f} ms"
    )
    print(
        f"  Playbook.critical_path()      {mine * 1e3:8.2f} ms\n"
        f"  Playbook.schedule()           {schedule * 1e3:8.2f} ms\n"
        f"  networkx.dag_longest_path     {theirs * 1e3:8.2f} ms\n"
        f"  ratio ours / networkx         {mine / theirs:8.2f}x "
        f"(schedule {schedule / theirs:.2f}x)"
    )


def main() -> None:
    """Run the random case (the issue's) and the deep, informational one."""
    run("random DAG", deep=False)
    run("deep DAG (informational)", deep=True)


if __name__ == "__main__":
    main()
