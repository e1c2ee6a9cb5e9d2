"""Benchmark: resource allocation of 10,000 demands over 100 resources (issue #5).

``crisisops.planning.resources.allocate`` shares every resource among its
demands in four phases (critical minimums; critical demands in full by
priority tier; other minimums; the rest by the rule) with numpy array code
over all demands at once. The reference measured in the same run is the
straightforward way to write the same rule: a plain-Python loop over the
resources, and within each resource over the phases and the demands, with
each short phase shared by sorting the demands by the level at which they
are satisfied and walking the water level up.

For each of the three rules (priority-weighted, proportional, max-min fair)
the script times both (best of ``REPEATS``, interleaved), prints the times
and the ratio, and checks that both give the same allocation (relative
difference at most 1e-9 of the demand's amount). Both start from the same
10,000 ``Demand`` values; reading their fields (which both must do) is timed
on its own and printed for context.

Run with ``python benchmarks/bench_planning_allocation.py``.
"""

from __future__ import annotations

import time
from collections import defaultdict
from collections.abc import Callable
from functools import partial
from itertools import groupby

import numpy as np

from crisisops.planning.resources import (
    AllocationRule,
    Demand,
    Resource,
    ResourceKind,
    ResourcePool,
    allocate,
)

SEED = 2026
DEMANDS = 10_000
RESOURCES = 100
REPEATS = 5
AGREEMENT = 1e-9

Weights = Callable[[Demand, float], float]


def build() -> tuple[ResourcePool, list[Demand]]:
    """Return 100 resources and 10,000 demands drawn from a fixed seed.

    Capacities are set so that about two thirds of the resources are short:
    each holds between 40% and 130% of what its demands ask for. One demand
    in ten is critical, half have a minimum, priorities run from 1 to 5, and
    one resource in five is external.
    """
    rng = np.random.default_rng(SEED)
    resource_of = rng.integers(0, RESOURCES, DEMANDS)
    amount = np.round(rng.lognormal(2.0, 1.0, DEMANDS), 3) + 0.001
    has_minimum = rng.random(DEMANDS) < 0.5
    minimum = np.round(amount * rng.uniform(0.1, 0.6, DEMANDS) * has_minimum, 3)
    priority = rng.integers(1, 6, DEMANDS)
    critical = rng.random(DEMANDS) < 0.1
    asked = np.bincount(resource_of, weights=amount, minlength=RESOURCES)
    capacity = np.round(asked * rng.uniform(0.4, 1.3, RESOURCES), 2)
    kinds = list(ResourceKind)
    pool = ResourcePool(
        [
            Resource(
                key=f"resource_{r:03d}",
                kind=kinds[r % 3],
                unit="units",
                capacity=float(capacity[r]),
                external=r % 5 == 0,
            )
            for r in range(RESOURCES)
        ]
    )
    demands = [
        Demand(
            key=f"demand_{i:05d}",
            resource=f"resource_{resource_of[i]:03d}",
            amount=float(amount[i]),
            minimum=float(minimum[i]),
            priority=int(priority[i]),
            critical=bool(critical[i]),
        )
        for i in range(DEMANDS)
    ]
    return pool, demands


# --- the plain-Python reference -------------------------------------------------


def weights_for(rule: AllocationRule) -> Weights:
    """Return the weight of a demand with a target, under ``rule``."""
    if rule is AllocationRule.PROPORTIONAL:
        return lambda _demand, target: target
    if rule is AllocationRule.PRIORITY_WEIGHTED:
        return lambda demand, target: demand.priority * target
    return lambda _demand, _target: 1.0


def share(
    items: list[tuple[Demand, float]], room: float, weight: Weights
) -> list[float]:
    """Give each (demand, target) min(target, level · weight), filling ``room``."""
    if sum(target for _, target in items) <= room:
        return [target for _, target in items]
    weighted = [(target, weight(d, target)) for d, target in items]
    order = sorted(range(len(items)), key=lambda i: weighted[i][0] / weighted[i][1])
    tail = sum(w for _, w in weighted)
    result = [0.0] * len(items)
    for position, i in enumerate(order):
        target, w = weighted[i]
        if target / w * tail <= room:
            result[i] = target
            room -= target
            tail -= w
            continue
        level = max(room, 0.0) / tail
        for j in order[position:]:
            result[j] = min(weighted[j][0], level * weighted[j][1])
        break
    return result


def reference(
    pool: ResourcePool, demands: list[Demand], rule: AllocationRule
) -> dict[str, float]:
    """Run the documented four phases, one resource at a time, in plain Python."""
    weight = weights_for(rule)
    by_resource: dict[str, list[Demand]] = defaultdict(list)
    for d in demands:
        by_resource[d.resource].append(d)
    result: dict[str, float] = {}
    for res in pool:
        mine = sorted(by_resource[res.key], key=lambda d: d.key)
        have = dict.fromkeys((d.key for d in mine), 0.0)
        left = res.capacity

        def serve(
            items: list[tuple[Demand, float]],
            room: float,
            have: dict[str, float] = have,
        ) -> float:
            items = [(d, t) for d, t in items if t > 0]
            if not items or room <= 0:
                return 0.0
            parts = share(items, room, weight)
            for (d, _), part in zip(items, parts, strict=True):
                have[d.key] += part
            return sum(parts)

        critical = [d for d in mine if d.critical]
        left -= serve([(d, d.minimum) for d in critical], left)
        critical.sort(key=lambda d: -d.priority)
        for _, tier in groupby(critical, key=lambda d: d.priority):
            left -= serve([(d, d.amount - have[d.key]) for d in tier], left)
        others = [d for d in mine if not d.critical]
        left -= serve([(d, d.minimum) for d in others], left)
        serve([(d, d.amount - have[d.key]) for d in mine], left)
        result.update(have)
    return result


# --- timing ---------------------------------------------------------------------


def best_of(function: Callable[[], object]) -> float:
    """Return the best wall time of one call, in seconds."""
    best = float("inf")
    for _ in range(REPEATS):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    """Time both implementations for every rule and check they agree."""
    pool, demands = build()
    short = sum(
        1
        for res in pool
        if res.capacity < sum(d.amount for d in demands if d.resource == res.key)
    )
    print(
        f"{DEMANDS:,} demands over {RESOURCES} resources "
        f"({short} short of what is asked), best of {REPEATS}"
    )
    reading = best_of(
        lambda: [
            (d.key, d.resource, d.amount, d.minimum, d.priority, d.critical)
            for d in demands
        ]
    )
    print(f"reading the six fields of every Demand alone: {reading * 1e3:7.2f} ms")
    print(
        f"{'rule':<18} {'allocate':>10} {'reference':>10} {'ratio':>8}  max difference"
    )
    for rule in AllocationRule:
        ours = allocate(pool, demands, rule=rule)
        theirs = reference(pool, demands, rule)
        amounts = np.array([d.amount for d in ours.demands])
        expected = np.array([theirs[d.key] for d in ours.demands])
        difference = float(np.max(np.abs(ours.allocated - expected) / amounts))
        assert difference <= AGREEMENT, (rule, difference)
        missing = {d.key for d in demands if theirs[d.key] < d.amount * (1 - AGREEMENT)}
        assert missing <= {s.demand for s in ours.shortfalls()}

        fast = slow = float("inf")
        for _ in range(2):  # interleaved, so both see the same machine load
            fast = min(fast, best_of(partial(allocate, pool, demands, rule=rule)))
            slow = min(slow, best_of(partial(reference, pool, demands, rule)))
        print(
            f"{rule.value:<18} {fast * 1e3:8.2f} ms {slow * 1e3:8.2f} ms "
            f"{slow / fast:7.1f}x  {difference:.1e}"
        )
    print("ratio = reference time / allocate time (higher: allocate is faster)")


if __name__ == "__main__":
    main()
