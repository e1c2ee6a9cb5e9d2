"""Benchmark: the synthetic shop and its monitoring at scale (issue #9, "Benchmark").

The issue's case: 1,000 runs of a 2-year (730-day), 1,000-SKU daily shop
with one supplier-outage shock, including monitoring; the aim is the whole
batch in under a minute on a 2-core machine. The runs go in chunks of
``--chunk`` runs (each chunk with its own seed from one
`numpy.random.SeedSequence`, so memory stays bounded), and every chunk goes
through the whole pipeline:

1. **generation** – ``simulate_shop`` draws the chunk's runs at once;
2. **panel building** – one monitoring `Panel` whose entities are the
   chunk's (run, row) pairs, ``"r0002/sku-0417"``, ``"r0002/shop"``, …,
   holding the KPIs the rules watch;
3. **calibration** – ``calibrate`` fits the bounds of
   ``default_drill_rules()`` (mean ± 4σ per entity) on the warm-up window,
   the first 56 days, as ``run_drill`` does;
4. **evaluation** – ``evaluate`` runs the rules over the remaining 674 days;
5. **alert values** – ``Evaluation.alerts``, the alerts as Python values;
6. **drill** – ``run_drill`` (default policy: shop row only, the whole
   response loop) on the first ``--drill`` runs (default 20), one run after
   another: a drill is sequential by nature. Its seconds per drill are
   reported; the pipeline's runs per second (stages 1-5) exclude it, and a
   second figure adds one drill per run.

Stages 2-5 are the *whole-assortment* watch: every SKU row and the shop row
of every run is watched (as with ``DrillScope.ALL``), with one vectorised
``calibrate`` and one ``evaluate`` per chunk. ``run_drill`` watches only the
shop row by default (``DrillScope.SHOP``); the heavier watch is the one
benchmarked here. At start-up the script checks, on 3 runs × 20 SKUs × 120
days, that the stacked panel gives exactly the bounds and alerts (evidence
included) of calibrating and evaluating each run's own panel, so it cannot
silently measure the wrong thing.

The script prints runs per second for the pipeline, a table of the seconds
and share of time per stage, the reference measured in the same run (one
bare ``numpy`` Poisson draw of the chunk's shape, runs × days × SKUs, around
the shop's expected orders, interleaved chunk for chunk: the least any count
generator of that shape costs) with its ratio, the process's peak resident
memory (``resource.getrusage``; bounded by the chunk size, not the number of
runs), alerts per run (a sanity figure) and the generator's own stages
(calendar and drivers, shocks, demand draws, stock recursion, fulfilment,
SKU rows, shop row), measured by running the engine's stages one by one on
``--stage-chunks`` extra chunks.

``--metrics supply`` generates only what a supply-chain watch needs
(orders, GMV, stock-out rate, days of cover); the rules are then the two
default rules whose KPI is generated (GMV slump, stock-out surge). The
default is all 25 KPIs and all four rules.

Run with ``python benchmarks/bench_scenarios.py`` (about 15 minutes on a
loaded 2-core machine); ``--runs 40`` for a quick look.
"""

from __future__ import annotations

import argparse
import collections
import datetime as dt
import gc
import resource
import time
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import numpy as np

from crisisops.monitoring import (
    Alert,
    AlertKind,
    BoundSpec,
    Evaluation,
    Panel,
    ThresholdSet,
    TriggerRule,
    calibrate,
    evaluate,
)
from crisisops.scenarios import (
    SHOP_ENTITY,
    DrillPolicy,
    ShopProfile,
    ShopRun,
    SupplierOutage,
    default_drill_rules,
    run_drill,
    simulate_shop,
)
from crisisops.scenarios import _generator as engine
from crisisops.scenarios.shocks import ShockContext

SEED = 2026
START = dt.datetime(2025, 1, 1, tzinfo=dt.timezone(dt.timedelta(hours=8)))
DAYS = 730
SKUS = 1_000
WARMUP_DAYS = 56  # DrillPolicy().warmup_days: eight weeks
SUPPLY_WATCH = (
    "sales.orders",
    "sales.gmv",
    "supply.stockout_rate",
    "supply.inventory_days_of_cover",
)
MIB = 2**20
STAGES = (
    "generation",
    "panel building",
    "calibration",
    "evaluation",
    "alert values",
    "drill",
)


def scenario(
    metrics: str, *, skus: int = SKUS, days: int = DAYS
) -> tuple[ShopProfile, SupplierOutage]:
    """Return the issue's shop and its peak-season supplier outage.

    A shorter horizon (the start-up check) moves the outage to days 70-90.
    """
    profile = ShopProfile.default(START, skus=skus, days=days, seed=SEED)
    if metrics == "supply":
        profile = attrs.evolve(profile, metrics=SUPPLY_WATCH)
    if days == DAYS:
        onset = dt.datetime(2025, 10, 20, tzinfo=START.tzinfo)
        end = dt.datetime(2025, 11, 20, tzinfo=START.tzinfo)
    else:
        onset = START + dt.timedelta(days=70)
        end = START + dt.timedelta(days=90)
    outage = SupplierOutage(
        key="supplier_fire",
        failed=["supplier-01"],
        onset=onset,
        end=end,
        crisis_type="supply_chain.peak_season_stockout",
    )
    return profile, outage


def watch(
    profile: ShopProfile,
) -> tuple[tuple[TriggerRule, ...], tuple[BoundSpec, ...], tuple[str, ...]]:
    """Return the default drill rules whose KPI the profile generates.

    Also returns their bound specs and the KPIs they read, in panel order.
    """
    rules, bounds = default_drill_rules()
    kept = [
        (rule, spec)
        for rule, spec in zip(rules, bounds, strict=True)
        if spec.metric in profile.metrics
    ]
    metrics = tuple(
        key for key in profile.metrics if any(s.metric == key for _, s in kept)
    )
    return tuple(r for r, _ in kept), tuple(s for _, s in kept), metrics


def chunks(runs: int, size: int) -> list[int]:
    """Split ``runs`` into chunk sizes of at most ``size``."""
    full, rest = divmod(runs, size)
    return [size] * full + ([rest] if rest else [])


def stacked_entities(run: ShopRun) -> list[str]:
    """Name the (run, row) pairs of a chunk: ``r0000/sku-0001`` … ``r0003/shop``."""
    return [f"r{i:04d}/{row}" for i in range(run.n_runs) for row in run.entities]


def stacked_panel(run: ShopRun, metrics: Sequence[str]) -> Panel:
    """Return every run of ``run`` as one panel of (run, row) entities.

    The values are ``(T, runs × (SKUs + 1), M)``: run 0's SKUs and shop row,
    then run 1's, … (the rows of ``run.panel(i)``, one run after another).
    """
    runs, periods = run.n_runs, run.profile.periods
    skus = run.profile.assortment.size
    values = np.empty((periods, runs, skus + 1, len(metrics)))
    for column, key in enumerate(metrics):
        if key in run.sku_kpis:
            values[:, :, :skus, column] = np.swapaxes(run.sku_kpis[key], 0, 1)
        else:
            values[:, :, :skus, column] = np.nan  # shop-only KPI
        values[:, :, skus, column] = run.shop_kpis[key].T
    return Panel.from_arrays(
        run.timestamps,
        stacked_entities(run),
        metrics,
        values.reshape(periods, runs * (skus + 1), len(metrics)),
    )


def monitor(
    panel: Panel,
    rules: Sequence[TriggerRule],
    bounds: Sequence[BoundSpec],
    warm_end: dt.datetime,
) -> tuple[ThresholdSet, Evaluation]:
    """Calibrate on the periods before ``warm_end``, evaluate on the rest."""
    thresholds = calibrate(panel.slice(end=warm_end), bounds, version="warmup")
    return thresholds, evaluate(rules, panel.slice(start=warm_end), [thresholds])


def check_stacking(metrics: str) -> int:
    """Assert that the stacked panel gives each run's own alerts and bounds.

    3 runs × 20 SKUs × 120 days, calibrated and evaluated once stacked and
    once run by run; the alerts must be equal value for value (evidence
    included) once the run prefix is taken off the entity. Returns the
    number of alerts compared.
    """
    profile, outage = scenario(metrics, skus=20, days=120)
    rules, bounds, watched = watch(profile)
    run = simulate_shop(profile, [outage], seed=SEED, runs=3)
    warm_end = run.timestamps[WARMUP_DAYS]
    stacked_set, stacked = monitor(stacked_panel(run, watched), rules, bounds, warm_end)
    per_run: dict[int, list[Alert]] = collections.defaultdict(list)
    for alert in stacked.alerts:
        prefix, row = alert.entity.split("/", 1)
        per_run[int(prefix[1:])].append(attrs.evolve(alert, entity=row))
    rows = len(run.entities)
    compared = 0
    for index in range(run.n_runs):
        own = run.panel(index).select(metrics=watched)
        own_set, evaluation = monitor(own, rules, bounds, warm_end)
        for spec in bounds:
            fitted = stacked_set.bound(spec.name)[index * rows : (index + 1) * rows]
            assert np.array_equal(fitted, own_set.bound(spec.name), equal_nan=True), (
                f"run {index}: bound {spec.name} differs when stacked"
            )
        expected = sorted(evaluation.alerts, key=lambda a: a.id)
        actual = sorted(per_run[index], key=lambda a: a.id)
        assert expected == actual, f"run {index}: stacked alerts differ"
        compared += len(expected)
    assert compared > 0, "the start-up check saw no alert: it would prove nothing"
    return compared


def count_alerts(alerts: Iterable[Alert], counts: collections.Counter[str]) -> None:
    """Add breach alerts per rule (and on the shop rows) and no-data alerts."""
    for alert in alerts:
        if alert.kind is AlertKind.NO_DATA:
            counts["no-data"] += 1
            continue
        counts[alert.rule] += 1
        if alert.entity.endswith(f"/{SHOP_ENTITY}"):
            counts[f"{alert.rule} (shop row)"] += 1


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


class Stopwatch:
    """Accumulate seconds per stage between successive `lap` calls."""

    def __init__(self) -> None:
        """Start with every stage at zero."""
        self.seconds = dict.fromkeys(STAGES, 0.0)
        self.clock = time.perf_counter()

    def restart(self) -> None:
        """Start timing from now (after untimed work)."""
        self.clock = time.perf_counter()

    def lap(self, stage: str) -> None:
        """Charge the time since the last lap to ``stage``."""
        now = time.perf_counter()
        self.seconds[stage] += now - self.clock
        self.clock = now


def main() -> None:  # noqa: PLR0915  one measurement, printed in order
    """Time the pipeline against the bare Poisson reference and print it."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=1_000)
    parser.add_argument("--chunk", type=int, default=4)
    parser.add_argument("--drill", type=int, default=20)
    parser.add_argument("--stage-chunks", type=int, default=3)
    parser.add_argument("--metrics", choices=("all", "supply"), default="all")
    args = parser.parse_args()

    checked = check_stacking(args.metrics)
    profile, outage = scenario(args.metrics)
    rules, bounds, watched = watch(profile)
    # The drill's default policy when every default rule's KPI is generated.
    every_rule = len(rules) == len(default_drill_rules()[0])
    policy = None if every_rule else DrillPolicy(rules=rules, bounds=bounds)
    warm_end = profile.timestamps[WARMUP_DAYS]
    sizes = chunks(args.runs, args.chunk)
    seeds = np.random.SeedSequence(SEED).spawn(len(sizes) + args.stage_chunks + 2)
    drill_seeds = seeds[-2].spawn(max(args.drill, 0))
    baseline = engine.baseline_drivers(profile, profile._cal())  # noqa: SLF001
    expected = engine.expected_orders(baseline)  # (1, T, E)
    reference_rng = np.random.default_rng(seeds[-1])

    # Warm-up: first-touch memory and caches, untimed.
    warm = simulate_shop(profile, [outage], seed=0, runs=min(sizes[0], 2))
    monitor(stacked_panel(warm, watched), rules, bounds, warm_end)[1].alerts  # noqa: B018
    reference_rng.poisson(np.broadcast_to(expected, (sizes[0], DAYS, SKUS)))
    del warm
    gc.collect()

    watch_time = Stopwatch()
    reference_seconds = 0.0
    orders_total = 0.0
    alerts: collections.Counter[str] = collections.Counter()
    drills: list[float] = []
    detected = 0
    lags: list[float] = []
    for size, child in zip(sizes, seeds, strict=False):
        shape = (size, DAYS, SKUS)
        start = time.perf_counter()
        reference_rng.poisson(np.broadcast_to(expected, shape))
        reference_seconds += time.perf_counter() - start
        watch_time.restart()
        run = simulate_shop(
            profile, [outage], seed=np.random.default_rng(child), runs=size
        )
        watch_time.lap("generation")
        panel = stacked_panel(run, watched)
        watch_time.lap("panel building")
        thresholds = calibrate(panel.slice(end=warm_end), bounds, version="warmup")
        watch_time.lap("calibration")
        evaluation = evaluate(rules, panel.slice(start=warm_end), [thresholds])
        watch_time.lap("evaluation")
        found = evaluation.alerts
        watch_time.lap("alert values")
        count_alerts(found, alerts)
        orders_total += float(run.shop_kpis["sales.orders"].sum())
        del panel, thresholds, evaluation, found
        for index in range(min(size, args.drill - len(drills))):
            start = time.perf_counter()
            report = run_drill(
                run,
                policy=policy,
                seed=np.random.default_rng(drill_seeds[len(drills)]),
                run_index=index,
            )
            drills.append(time.perf_counter() - start)
            (score,) = report.shocks
            if score.detection_lag is not None:
                detected += 1
                lags.append(score.detection_lag / dt.timedelta(days=1))
        del run
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    watch_time.seconds["drill"] = sum(drills)

    generator: dict[str, float] = {}
    stage_runs = 0
    for child in seeds[len(sizes) : len(sizes) + args.stage_chunks]:
        for name, spent in stage_times(
            profile, outage, args.chunk, np.random.default_rng(child)
        ).items():
            generator[name] = generator.get(name, 0.0) + spent
        stage_runs += args.chunk

    seconds = watch_time.seconds
    pipeline = sum(seconds[stage] for stage in STAGES if stage != "drill")
    per_drill = seconds["drill"] / len(drills) if drills else float("nan")
    cells = args.runs * DAYS * SKUS
    names = [rule.name for rule in rules]
    breaches = sum(alerts[name] for name in names)
    print(
        f"synthetic shop + monitoring: {args.runs:,} runs x {DAYS} days x "
        f"{SKUS:,} SKUs ({cells / 1e9:.2f} billion SKU-days), one supplier "
        f"outage, {len(profile.metrics)} KPIs, chunks of {args.chunk} runs"
    )
    print(
        f"  watch: {len(rules)} default drill rules ({', '.join(names)})"
        f" on every SKU row and the shop row of every run ({SKUS + 1:,} rows x "
        f"{args.runs:,} runs; the drill's default watches the shop row only), "
        f"calibrated on days 1-{WARMUP_DAYS}, evaluated on days "
        f"{WARMUP_DAYS + 1}-{DAYS}; one calibrate + one evaluate per chunk"
    )
    print(
        f"  start-up check: stacked panel == per-run panels on 3 runs x 20 SKUs x "
        f"120 days ({checked} alerts, bounds and alerts equal)"
    )
    print(
        f"  pipeline        {pipeline:8.1f} s   {args.runs / pipeline:7.2f} runs/s   "
        f"(generation to alert values; 1,000 runs would take "
        f"{pipeline / args.runs * 1000:,.0f} s, aim 60 s)"
    )
    if drills:
        with_drills = pipeline / args.runs + per_drill
        print(
            f"  drill           {per_drill:8.2f} s per drill ({len(drills)} drills, "
            f"run one after another); pipeline + a drill on every run: "
            f"{1 / with_drills:5.2f} runs/s"
        )
        print(
            f"    shock detected in {detected}/{len(drills)} drills, mean "
            f"detection lag {np.mean(lags) if lags else float('nan'):.1f} days"
        )
    print(
        f"  reference       {reference_seconds:8.1f} s   "
        f"{args.runs / reference_seconds:7.2f} runs/s   "
        f"(one numpy Poisson draw of the same shape)"
    )
    print(
        f"  ratio           {seconds['generation'] / reference_seconds:8.2f} x the "
        f"reference (generation), {pipeline / reference_seconds:.2f} x (pipeline)"
    )
    total = sum(seconds.values())
    print("  stage                    total s    s/run   share")
    for stage in STAGES:
        count = len(drills) if stage == "drill" else args.runs
        if not count:
            continue  # --drill 0
        per = seconds[stage] / count
        note = f"  (per drill, {len(drills)} drills)" if stage == "drill" else ""
        print(
            f"    {stage:20s} {seconds[stage]:9.2f} {per:8.3f}  "
            f"{100 * seconds[stage] / total:5.1f}%{note}"
        )
    print(f"    {'total':20s} {total:9.2f}")
    print(
        f"  peak resident memory {peak / MIB:,.0f} MiB "
        f"(one chunk of {args.chunk} runs: {args.chunk * DAYS * SKUS * 8 / MIB:.0f} "
        "MiB per float64 array)"
    )
    print(f"  mean orders per run {orders_total / args.runs:,.0f}")
    print(f"  alerts per run (breach episodes, all rows): {breaches / args.runs:,.1f}")
    for name in sorted(alerts):
        print(f"    {name:34s} {alerts[name] / args.runs:10.3f}")
    gen_total = sum(generator.values())
    print(f"  generation by stage ({stage_runs} runs, stage by stage):")
    for name, value in generator.items():
        share = 100 * value / gen_total
        print(f"    {name:34s} {value / stage_runs:7.3f} s  {share:5.1f}%")


if __name__ == "__main__":
    main()
