"""Benchmark: independent cascade on a 100,000-node Barabási–Albert graph (issue #6).

The issue's benchmark. A Barabási–Albert graph (networkx, n = 100,000,
m = 5, seed 12345) with each edge as two arcs (999,950 arcs); 10 seed nodes
drawn with ``numpy.random.default_rng(7)``; 1,000 Monte Carlo runs in three
settings: uniform p = 0.01 (subcritical), the weighted cascade
p(u, v) = 1/indeg(v), and uniform p = 0.05 (supercritical, bimodal reach).

Compared in the same run:

* crisisops: ``simulate_spread`` on a ``DiffusionNetwork`` (the whole public
  call, result object included);
* a straightforward pure-Python breadth-first search over adjacency lists,
  one ``random.Random`` draw per tried arc (an arc to a node not yet
  negative);
* NDlib's ``IndependentCascadesModel`` where it imports (``pip install ndlib
  six``; ndlib 6.0.1 imports ``six`` without declaring it). It takes the arc
  probability as a per-arc parameter named ``threshold`` (a full map, or it
  silently falls back to 1/outdeg(u)) and is stepped with
  ``iteration(node_status=False)`` until no node is infected. NDlib costs
  about 45 ms per step at this size whatever the frontier, so it is timed on
  ``NDLIB_RUNS`` runs per setting (10, 6 and 20: the supercritical setting
  mixes short and giant cascades, so it needs more) and its time for 1,000
  runs is extrapolated from the mean per-run time (printed as such).

crisisops and the Python BFS are each timed on 1,000 runs, ``REPEATS`` times,
interleaved; the median time is reported and the ratio is taken per repeat
(paired) and its median printed. Targets (issue #6): >= 3x faster than the
Python BFS in every setting, >= 1,000x faster than NDlib.

Agreement: the ``REPEATS`` blocks of 1,000 runs are pooled (3,000 runs each
by default, as the issue asks: reach is heavy-tailed) and the mean reach of
crisisops and of the Python BFS are compared by a z-score; the benchmark
fails if ``|z| > 4``. NDlib's mean reach is printed from its few runs, for
information only.

Run with ``python benchmarks/bench_diffusion.py``; about two to three
minutes on a 2-core machine (most of it the Python BFS in the supercritical
setting and NDlib). Peak memory is about 1 GB, mostly NDlib's networkx
graph and its per-arc parameter map.
"""

from __future__ import annotations

import functools
import importlib
import math
import random
import statistics
import time
import warnings
from collections.abc import Callable
from typing import Any

import networkx as nx
import numpy as np

from crisisops.stakeholders.diffusion import DiffusionNetwork, simulate_spread

Array = np.ndarray[Any, Any]

NODES = 100_000
ATTACH = 5
GRAPH_SEED = 12345
SEED_COUNT = 10
SEED_STREAM = 7
RUNS = 1_000
REPEATS = 3
NDLIB_RUNS = {"uniform p=0.01": 10, "weighted cascade": 6, "uniform p=0.05": 20}
PYTHON_TARGET = 3.0
NDLIB_TARGET = 1_000.0
MAX_Z = 4.0


# --- the graph ------------------------------------------------------------------


def build_graph() -> tuple[Any, Array, Array, Array]:
    """Return the BA graph and its arcs (both directions) as sorted CSR arrays."""
    graph = nx.barabasi_albert_graph(NODES, ATTACH, seed=GRAPH_SEED)
    edges = np.array(graph.edges(), dtype=np.int64)
    sources = np.concatenate([edges[:, 0], edges[:, 1]])
    targets = np.concatenate([edges[:, 1], edges[:, 0]])
    order = np.lexsort((targets, sources))
    sources, targets = sources[order], targets[order]
    indptr = np.zeros(NODES + 1, dtype=np.int64)
    np.cumsum(np.bincount(sources, minlength=NODES), out=indptr[1:])
    return graph, indptr, sources, targets


# --- the straightforward pure-Python reference ---------------------------------


def python_uniform(
    adjacency: list[list[int]], seeds: list[int], p: float, rng: random.Random
) -> int:
    """One IC run, one draw per tried arc, the same probability on every arc."""
    draw = rng.random
    negative = set(seeds)
    frontier = list(seeds)
    while frontier:
        reached = []
        for u in frontier:
            for v in adjacency[u]:
                if v not in negative and draw() < p:
                    negative.add(v)
                    reached.append(v)
        frontier = reached
    return len(negative)


def python_per_arc(
    adjacency: list[list[int]],
    probability: list[list[float]],
    seeds: list[int],
    rng: random.Random,
) -> int:
    """One IC run, one draw per tried arc, each arc with its own probability."""
    draw = rng.random
    negative = set(seeds)
    frontier = list(seeds)
    while frontier:
        reached = []
        for u in frontier:
            for v, p in zip(adjacency[u], probability[u], strict=True):
                if v not in negative and draw() < p:
                    negative.add(v)
                    reached.append(v)
        frontier = reached
    return len(negative)


def repeat_runs(
    run: Callable[[random.Random], int], rng: random.Random, times: int
) -> list[int]:
    """Return the reach of ``times`` runs of ``run`` on one stream."""
    return [run(rng) for _ in range(times)]


# --- NDlib ------------------------------------------------------------------------


def ndlib_runner(
    graph: Any,  # noqa: ANN401  a networkx graph
    arcs: tuple[Array, Array],
    weights: Array,
    seeds: list[int],
) -> Callable[[int], list[int]] | None:
    """Return a function running NDlib ``k`` times, or None if NDlib is missing."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            epidemics = importlib.import_module("ndlib.models.epidemics")
            configuration = importlib.import_module("ndlib.models.ModelConfig")
    except ImportError as error:
        print(f"NDlib skipped: cannot import it ({error})")
        return None
    directed = graph.to_directed()
    model = epidemics.IndependentCascadesModel(directed)
    config = configuration.Configuration()
    config.add_model_initial_configuration("Infected", seeds)
    sources, targets = arcs
    config.add_edge_set_configuration(
        "threshold",
        dict(
            zip(
                zip(sources.tolist(), targets.tolist(), strict=True),
                weights.tolist(),
                strict=True,
            )
        ),
    )
    model.set_initial_status(config)

    def run(times: int) -> list[int]:
        reach = []
        for _ in range(times):
            model.reset(seeds)
            while True:
                counts = model.iteration(node_status=False)["node_count"]
                if counts[1] == 0:
                    break
            reach.append(counts[1] + counts[2])
        return reach

    return run


# --- measuring ------------------------------------------------------------------


def mean_and_se(values: list[int] | Array) -> tuple[float, float]:
    """Return the mean and its standard error."""
    array = np.asarray(values, dtype=np.float64)
    return float(array.mean()), float(array.std(ddof=1) / math.sqrt(array.size))


def timed(function: Callable[[], Any]) -> tuple[float, Any]:
    """Return the wall time of one call and its result."""
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def main() -> None:  # noqa: PLR0915  one report, top to bottom
    """Build the graph, run the three settings, print times, ratios and reach."""
    start = time.perf_counter()
    graph, indptr, sources, targets = build_graph()
    seeds = sorted(
        np.random.default_rng(SEED_STREAM)
        .choice(NODES, SEED_COUNT, replace=False)
        .tolist()
    )
    print(
        f"Barabási–Albert graph: {NODES:,} nodes, m = {ATTACH}, "
        f"{targets.size:,} arcs (built in {time.perf_counter() - start:.1f} s)"
    )
    print(f"seeds: {' '.join(map(str, seeds))}")
    base = DiffusionNetwork.from_csr(indptr, targets, np.full(targets.size, 0.01))
    indegree = np.bincount(targets, minlength=NODES)
    adjacency = [targets[indptr[i] : indptr[i + 1]].tolist() for i in range(NODES)]
    seed_keys = [str(s) for s in seeds]
    settings: list[tuple[str, DiffusionNetwork, float | None]] = [
        ("uniform p=0.01", base, 0.01),
        ("weighted cascade", base.with_weighted_cascade(), None),
        ("uniform p=0.05", base.with_uniform_probability(0.05), 0.05),
    ]
    rows = []
    verdicts = []
    for name, network, p in settings:
        print(f"\n== {name} ==")
        python: Callable[[random.Random], int]
        if p is None:
            weights = 1.0 / indegree[targets]
            per_arc = [
                weights[indptr[i] : indptr[i + 1]].tolist() for i in range(NODES)
            ]
            python = functools.partial(python_per_arc, adjacency, per_arc, seeds)
        else:
            weights = np.full(targets.size, p)
            python = functools.partial(python_uniform, adjacency, seeds, p)
        ours_times, python_times, ratios = [], [], []
        ours_reach: list[Array] = []
        python_reach: list[int] = []
        for repeat in range(REPEATS):
            seconds, result = timed(
                functools.partial(
                    simulate_spread, network, seed_keys, runs=RUNS, rng=2026 + repeat
                )
            )
            ours_times.append(seconds)
            ours_reach.append(result.reach)
            stream = random.Random(9_000 + repeat)  # noqa: S311  a benchmark
            python_seconds, reach = timed(
                functools.partial(repeat_runs, python, stream, RUNS)
            )
            python_times.append(python_seconds)
            python_reach.extend(reach)
            ratios.append(python_seconds / seconds)
        ours_mean, ours_se = mean_and_se(np.concatenate(ours_reach))
        python_mean, python_se = mean_and_se(python_reach)
        z = (ours_mean - python_mean) / math.hypot(ours_se, python_se)
        ours_median = statistics.median(ours_times)
        python_median = statistics.median(python_times)
        ratio = statistics.median(ratios)
        print(
            f"crisisops    {ours_median:8.4f} s / {RUNS:,} runs "
            f"[{min(ours_times):.4f}-{max(ours_times):.4f}]"
        )
        print(
            f"Python BFS   {python_median:8.4f} s / {RUNS:,} runs "
            f"[{min(python_times):.4f}-{max(python_times):.4f}]"
        )
        print(
            f"ratio Python BFS / crisisops: {ratio:.1f}x "
            f"(per repeat: {', '.join(f'{r:.1f}' for r in ratios)}; "
            f"target >= {PYTHON_TARGET:g}x)"
        )
        pooled = REPEATS * RUNS
        print(
            f"mean reach ({pooled:,} runs each): crisisops {ours_mean:.2f} ± "
            f"{ours_se:.2f}, Python BFS {python_mean:.2f} ± {python_se:.2f}, "
            f"z = {z:+.2f}"
        )
        verdicts.append((name, "Python BFS", ratio, PYTHON_TARGET))
        ndlib_ratio = math.nan
        runner = ndlib_runner(graph, (sources, targets), weights, seeds)
        if runner is not None:
            count = NDLIB_RUNS[name]
            runner(1)  # warm-up: first-call costs are not the model's
            ndlib_seconds, reach = timed(functools.partial(runner, count))
            per_run = ndlib_seconds / count
            ndlib_ratio = per_run * RUNS / ours_median
            ndlib_mean, ndlib_se = mean_and_se(reach) if count > 1 else (reach[0], 0.0)
            print(
                f"NDlib        {per_run * 1e3:8.1f} ms per run ({count} runs), "
                f"about {per_run * RUNS:,.0f} s / {RUNS:,} runs (extrapolated)"
            )
            print(
                f"ratio NDlib / crisisops: {ndlib_ratio:,.0f}x "
                f"(target >= {NDLIB_TARGET:,.0f}x); NDlib mean reach "
                f"{ndlib_mean:.1f} ± {ndlib_se:.1f} ({count} runs, information only)"
            )
            verdicts.append((name, "NDlib", ndlib_ratio, NDLIB_TARGET))
        rows.append((name, ours_median, python_median, ratio, ndlib_ratio, z))
        assert abs(z) <= MAX_Z, f"{name}: mean reach disagrees, z = {z:+.2f}"

    print("\nsetting            crisisops s  Python s   Python/ours  NDlib/ours  z")
    for name, ours, python_time, ratio, ndlib_ratio, z in rows:
        print(
            f"{name:18s} {ours:10.4f} {python_time:9.4f} {ratio:10.1f}x "
            f"{ndlib_ratio:11,.0f}x {z:+5.2f}"
        )
    for name, other, ratio, target in verdicts:
        status = "met" if ratio >= target else "MISSED"
        print(f"target {name} vs {other}: {ratio:,.1f}x >= {target:,.0f}x {status}")


if __name__ == "__main__":
    main()
