"""Benchmark: the synthetic shop at scale (issue #9, "Benchmark").

The issue's case: 1,000 runs of a 2-year (730-day), 1,000-SKU daily shop
with one supplier-outage shock. This script times the generator (the
monitoring and drill stages are added by the later parts of issue #9) and
prints:

* runs per second and the total time of ``simulate_shop`` over all runs,
  split into chunks of ``--chunk`` runs (each with its own seed from one
  `numpy.random.SeedSequence`), so memory stays bounded;
* the reference measured in the same run, chunk for chunk and interleaved
  with the shop: one bare ``numpy`` Poisson draw of the same shape
  (runs × days × SKUs) around the shop's expected orders — the least any
  count generator of that shape costs — and the ratio;
* seconds per stage (calendar and baseline drivers, shocks, demand draws,
  stock recursion, fulfilment draws, SKU rows, shop row), measured by
  running the engine's stages one by one on ``--stage-chunks`` extra chunks;
* the process's peak resident memory (``resource.getrusage``), which stays
  bounded by the chunk size, not by the number of runs.

``--metrics supply`` generates only what a supply-chain watch needs
(orders, GMV, stock-out rate, days of cover); the default is all 25 KPIs.

Run with ``python benchmarks/bench_scenarios.py`` (about 10 minutes on a
loaded 2-core machine); ``--runs 40`` for a quick look.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import resource
import time
from typing import Any

import attrs
import numpy as np

from crisisops.scenarios import ShopProfile, SupplierOutage, simulate_shop
from crisisops.scenarios import _generator as engine
from crisisops.scenarios.shocks import ShockContext

SEED = 2026
START = dt.datetime(2025, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))
DAYS = 730
SKUS = 1_000
SUPPLY_WATCH = (
    "sales.orders",
    "sales.gmv",
    "supply.stockout_rate",
    "supply.inventory_days_of_cover",
)
MIB = 2**20


def scenario(metrics: str) -> tuple[ShopProfile, SupplierOutage]:
    """Return the issue's shop and its peak-season supplier outage."""
    profile = ShopProfile.default(START, skus=SKUS, days=DAYS, seed=SEED)
    if metrics == "supply":
        profile = attrs.evolve(profile, metrics=SUPPLY_WATCH)
    outage = SupplierOutage(
        key="supplier_fire",
        failed=["supplier-01"],
        onset=dt.datetime(2025, 10, 20, tzinfo=START.tzinfo),
        end=dt.datetime(2025, 11, 20, tzinfo=START.tzinfo),
        crisis_type="supply_chain.peak_season_stockout",
    )
    return profile, outage


def chunks(runs: int, size: int) -> list[int]:
    """Split ``runs`` into chunk sizes of at most ``size``."""
    full, rest = divmod(runs, size)
    return [size] * full + ([rest] if rest else [])


def stage_times(
    profile: ShopProfile,
    outage: SupplierOutage,
    runs: int,
    seed: Any,  # noqa: ANN401
) -> dict[str, float]:
    """Run the engine's stages one by one, as `simulate_shop` does; seconds each."""
    times: dict[str, float] = {}
    clock = time.perf_counter()

    def tick(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        times[name] = times.get(name, 0.0) + now - clock
        clock = now

    cal = engine.calendar(profile.start, profile.periods, hourly=False)
    baseline = engine.baseline_drivers(profile, cal)
    tick("calendar and baseline drivers")
    scene = ShockContext(profile, cal, runs, {k: v.copy() for k, v in baseline.items()})
    outage.check(scene, "shocks[0]")
    streams = engine.Streams(seed)
    outage.apply(scene, streams.for_shock(outage.key))
    tick("shocks")
    ordered = engine.time_major(scene.drivers)
    wanted = frozenset(profile.metrics)
    demand = engine.draw_demand(
        profile,
        ordered,
        runs,
        streams,
        browsing=bool(wanted & {"traffic.visits", "sales.conversion_rate"}),
    )
    tick("demand draws")
    planned = engine.expected_orders(baseline)[0]
    stock = engine.run_inventory(
        profile, cal, planned, ordered["restock"], demand.orders
    )
    tick("stock recursion (loop over days)")
    done = engine.draw_fulfilment(profile, ordered, stock.sales, streams, wanted)
    tick("fulfilment draws")
    engine.sku_level(profile, demand, stock, done)
    tick("SKU rows")
    engine.shop_level(
        profile,
        cal=cal,
        drivers=ordered,
        baseline=baseline,
        demand=demand,
        stock=stock,
        done=done,
        streams=streams,
    )
    tick("shop row")
    return times


def main() -> None:
    """Time the generator against the bare Poisson reference and print it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1_000)
    parser.add_argument("--chunk", type=int, default=4)
    parser.add_argument("--stage-chunks", type=int, default=3)
    parser.add_argument("--metrics", choices=("all", "supply"), default="all")
    args = parser.parse_args()

    profile, outage = scenario(args.metrics)
    sizes = chunks(args.runs, args.chunk)
    seeds = np.random.SeedSequence(SEED).spawn(len(sizes) + args.stage_chunks)
    baseline = engine.baseline_drivers(profile, profile._cal())  # noqa: SLF001
    expected = engine.expected_orders(baseline)  # (1, T, E)
    reference_rng = np.random.default_rng(seeds[-1])

    # Warm-up: first-touch memory and caches, untimed.
    simulate_shop(profile, [outage], seed=0, runs=sizes[0])
    reference_rng.poisson(np.broadcast_to(expected, (sizes[0], DAYS, SKUS)))
    gc.collect()

    shop_seconds = 0.0
    reference_seconds = 0.0
    orders_total = 0.0
    for size, child in zip(sizes, seeds, strict=False):
        shape = (size, DAYS, SKUS)
        start = time.perf_counter()
        reference_rng.poisson(np.broadcast_to(expected, shape))
        reference_seconds += time.perf_counter() - start
        start = time.perf_counter()
        run = simulate_shop(
            profile, [outage], seed=np.random.default_rng(child), runs=size
        )
        shop_seconds += time.perf_counter() - start
        orders_total += float(run.shop_kpis["sales.orders"].sum())
        del run
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux

    stages: dict[str, float] = {}
    stage_runs = 0
    for child in seeds[len(sizes) : len(sizes) + args.stage_chunks]:
        for name, seconds in stage_times(
            profile, outage, args.chunk, np.random.default_rng(child)
        ).items():
            stages[name] = stages.get(name, 0.0) + seconds
        stage_runs += args.chunk

    cells = args.runs * DAYS * SKUS
    print(
        f"synthetic shop: {args.runs:,} runs x {DAYS} days x {SKUS:,} SKUs "
        f"({cells / 1e9:.2f} billion SKU-days), one supplier outage, "
        f"{len(profile.metrics)} KPIs, chunks of {args.chunk} runs"
    )
    print(
        f"  simulate_shop   {shop_seconds:8.1f} s   "
        f"{args.runs / shop_seconds:7.2f} runs/s   "
        f"{shop_seconds / cells * 1e9:6.1f} ns per SKU-day"
    )
    print(
        f"  reference       {reference_seconds:8.1f} s   "
        f"{args.runs / reference_seconds:7.2f} runs/s   "
        f"(one numpy Poisson draw of the same shape)"
    )
    print(f"  ratio           {shop_seconds / reference_seconds:8.2f} x the reference")
    print(
        f"  peak resident memory {peak / MIB:,.0f} MiB "
        f"(one chunk of {args.chunk} runs: {args.chunk * DAYS * SKUS * 8 / MIB:.0f} "
        "MiB per float64 array)"
    )
    print(f"  mean orders per run {orders_total / args.runs:,.0f}")
    total = sum(stages.values())
    print(f"  seconds per run by stage ({stage_runs} runs, stage by stage):")
    for name, seconds in stages.items():
        share = 100 * seconds / total
        print(f"    {name:34s} {seconds / stage_runs:7.3f} s  {share:5.1f}%")


if __name__ == "__main__":
    main()
