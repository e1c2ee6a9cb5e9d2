"""Monitor a fleet of shops with one rule set, on a local Dask cluster (book §3).

Run it with ``python examples/fleet_monitoring.py`` (needs the ``dask`` extra:
``pip install 'crisisops[dask]'``; ``tqdm``, if installed, draws the progress
bar). The book's key-indicator monitoring (關鍵指標監控與應急響應觸發點設定)
watches every SKU of a shop; a marketplace or a group of shops watches
thousands of them with the same rules. This script

1. simulates four shops of 300 to 700 SKUs (2,000 SKUs in all, 100 days),
   each with its own crisis: a demand slump on part of the range, a
   supplier outage, or both;
2. calibrates the drill's four trigger rules per shop on the first eight
   weeks (mean ± 4σ per SKU, book §3 找到合理範圍);
3. evaluates every shop on a local Dask cluster
   (``distributed.LocalCluster(processes=False)``, or Dask's thread pool when
   ``distributed`` is missing), each shop cut into partitions of SKUs, with a
   progress bar, and prints a table per shop;
4. checks each shop's result against the single-process
   ``crisisops.monitoring.evaluate``: the same alerts, events and final state;
5. does the same for the marketplace as one panel of all shops' SKUs,
   partitioned by shop with ``evaluate_fleet``.

The output is the same on every run: fixed seeds, no timings (the progress
bar goes to stderr). With ``--plots DIR`` (needs ``pip install
'crisisops[viz]'``) it also saves figures of one shop, Taipei, there as PNG:
the shop row's stock-out rate with its calibrated bound and the outage's
alert, and the GMV of the first SKU its slump alert caught, with that SKU's
own bound (each SKU is calibrated on its own history).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING, Any

import numpy as np
from _plots import plots_directory, save_figures

from crisisops.fleet import evaluate_fleet, evaluate_shops
from crisisops.monitoring import (
    Evaluation,
    Panel,
    ThresholdSet,
    TriggerRule,
    calibrate,
    evaluate,
)
from crisisops.scenarios import (
    DemandShift,
    Shock,
    ShopProfile,
    SupplierOutage,
    simulate_shop,
)
from crisisops.scenarios.drill import default_drill_rules
from crisisops.viz import kpi_chart

if TYPE_CHECKING:
    from matplotlib.figure import Figure

TAIPEI = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2026, 3, 2, tzinfo=TAIPEI)
DAYS = 100
WARMUP_DAYS = 56
#: Each shop: SKUs, seed, and the crisis it will have.
SHOPS: dict[str, tuple[int, int, tuple[str, ...]]] = {
    "taipei": (700, 11, ("slump", "outage")),
    "taichung": (550, 12, ("outage",)),
    "kaohsiung": (450, 13, ("slump",)),
    "hualien": (300, 14, ()),
}
#: Partitions per shop: a few per worker keeps both workers busy.
PARTITIONS = 3


def day(offset: int) -> dt.datetime:
    """Return midnight of day ``offset`` of the scenario (UTC+08:00)."""
    return START + dt.timedelta(days=offset)


# --- 1. the shops ---------------------------------------------------------------


def shocks_of(profile: ShopProfile, kinds: tuple[str, ...]) -> list[Shock]:
    """Return the shop's crises: a slump on a tenth of the SKUs, an outage."""
    shocks: list[Shock] = []
    if "slump" in kinds:
        skus = profile.assortment.skus
        shocks.append(
            DemandShift(
                key="slump",
                onset=day(70),
                end=day(80),
                traffic_factor=0.15,
                entities=skus[: len(skus) // 10],
            )
        )
    if "outage" in kinds:
        shocks.append(
            SupplierOutage(
                key="outage", failed=["supplier-02"], onset=day(82), end=day(95)
            )
        )
    return shocks


def simulate_fleet() -> dict[str, Panel]:
    """Return each shop's KPI panel (its SKUs, then the shop as a whole)."""
    panels: dict[str, Panel] = {}
    for name, (skus, seed, kinds) in SHOPS.items():
        profile = ShopProfile.default(START, skus=skus, days=DAYS, seed=seed)
        run = simulate_shop(profile, shocks_of(profile, kinds), seed=seed)
        panels[name] = run.panel()
    return panels


# --- 2. rules and thresholds ------------------------------------------------------


def calibrated(
    panels: dict[str, Panel],
) -> tuple[tuple[TriggerRule, ...], dict[str, Panel], dict[str, list[ThresholdSet]]]:
    """Calibrate the drill rules per shop; return the rules and what to watch."""
    rules, specs = default_drill_rules()
    watched: dict[str, Panel] = {}
    thresholds: dict[str, list[ThresholdSet]] = {}
    for name, panel in panels.items():
        history = panel.slice(end=day(WARMUP_DAYS))
        thresholds[name] = [calibrate(history, specs, version=f"{name}-warmup")]
        watched[name] = panel.slice(start=day(WARMUP_DAYS))
    return rules, watched, thresholds


# --- 3. Dask and the progress bar ---------------------------------------------------


@contextlib.contextmanager
def dask_scheduler() -> Iterator[tuple[Any, str]]:
    """Yield a local Dask cluster's client, or Dask's thread pool without one."""
    try:
        import distributed  # noqa: PLC0415  optional: the dask extra brings it
    except ImportError:
        yield "threads", "Dask's local thread pool (distributed is not installed)"
        return
    dask_distributed: Any = distributed  # typed loosely: an optional extra
    cluster = dask_distributed.LocalCluster(
        processes=False, n_workers=2, threads_per_worker=1, dashboard_address=None
    )
    with cluster, dask_distributed.Client(cluster) as client:
        yield client, "a local Dask cluster (2 workers, in this process)"


@contextlib.contextmanager
def progress_bar(what: str) -> Iterator[Callable[[int, int], None]]:
    """Yield a ``progress(done, total)``: a tqdm bar on stderr if tqdm is there."""
    try:
        from tqdm import tqdm  # noqa: PLC0415  optional
    except ImportError:

        def plain(done: int, total: int) -> None:
            print(f"  {what}: {done}/{total}", file=sys.stderr)

        yield plain
        return
    with tqdm(desc=what, unit="partition", file=sys.stderr) as bar:

        def update(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        yield update


# --- 4. checks and the table ------------------------------------------------------


def same(expected: Evaluation, actual: Evaluation) -> bool:
    """Whether two evaluations agree in events, alerts and final monitor state."""
    return (
        expected.events == actual.events
        and expected.alerts == actual.alerts
        and expected.monitor.state == actual.monitor.state
    )


def print_shop(name: str, panel: Panel, result: Evaluation, *, identical: bool) -> None:
    """Print one shop's alerts, by rule, and its first alert."""
    by_rule = Counter(alert.rule for alert in result.alerts)
    skus = panel.n_entities - 1  # the last entity is the shop as a whole
    print(
        f"{name:<10} {skus:>4} SKUs  {len(result.alerts):>3} alert(s), "
        f"{len(result.firing())} still firing at the end; "
        f"same as evaluate(): {'yes' if identical else 'NO'}"
    )
    for rule, count in sorted(by_rule.items()):
        first = min(
            (a for a in result.alerts if a.rule == rule),
            key=lambda a: (a.fired_at, a.entity),
        )
        level = first.level.name if first.level is not None else "-"
        print(
            f"    {rule:<20} {count:>3}   first {first.fired_at:%m-%d} "
            f"{first.entity} (level {level})"
        )
    if not by_rule:
        print("    no alert")


# --- 5. the marketplace as one panel ------------------------------------------------


def marketplace(
    panels: dict[str, Panel], thresholds: dict[str, list[ThresholdSet]]
) -> tuple[Panel, list[ThresholdSet], dict[str, str]]:
    """Join every shop's entities into one panel, ``shop/sku``, and its bounds."""
    first = next(iter(panels.values()))
    entities = [f"{name}/{e}" for name, panel in panels.items() for e in panel.entities]
    values = np.concatenate(
        [panel.select(metrics=first.metrics).values for panel in panels.values()],
        axis=1,
    )
    joined = Panel(
        timestamps=first.timestamps,
        entities=entities,
        metrics=first.metrics,
        values=values,
    )
    sets = [sets[0] for sets in thresholds.values()]
    bounds = {
        key: np.concatenate([s.bound(key) for s in sets]) for key in sets[0].bounds
    }
    merged = ThresholdSet(
        version="marketplace-warmup",
        fitted_through=sets[0].fitted_through,
        valid_from=sets[0].valid_from,
        entities=[
            f"{name}/{e}"
            for name, s in zip(panels, sets, strict=True)
            for e in s.entities
        ],
        bounds=bounds,
    )
    shop_of = {entity: entity.split("/")[0] for entity in entities}
    return joined, [merged], shop_of


# --- 6. the figures (--plots DIR) ----------------------------------------------------

#: The shop whose figures are drawn: it has both crises.
PLOTTED_SHOP = "taipei"


def figures(
    panel: Panel, thresholds: list[ThresholdSet], result: Evaluation
) -> dict[str, Figure]:
    """Draw one shop: its stock-out rate, and the GMV of its first slumping SKU."""
    _, specs = default_drill_rules()
    bound = {spec.metric: spec.name for spec in specs}
    shop_row = panel.entities[-1]  # the last entity is the shop as a whole
    slumping = min(
        (a for a in result.alerts if a.rule == "gmv_slump"),
        key=lambda a: (a.fired_at, a.entity),
    ).entity
    drawn: dict[str, Figure] = {}
    for entity, metric in ((shop_row, "supply.stockout_rate"), (slumping, "sales.gmv")):
        name = f"fleet_{PLOTTED_SHOP}_{entity}_{metric.split('.')[1]}.png"
        drawn[name] = kpi_chart(
            panel,
            metric,
            entity,
            alerts=result.alerts,
            thresholds=thresholds,
            bounds=[bound[metric]],
            title=f"{PLOTTED_SHOP} · {entity} · {metric}",
        )
    return drawn


def main(argv: Sequence[str] | None = None) -> None:
    """Simulate, calibrate, evaluate on Dask, compare, print."""
    plots = plots_directory(argv, __doc__)
    panels = simulate_fleet()
    rules, watched, thresholds = calibrated(panels)
    skus = sum(panel.n_entities - 1 for panel in panels.values())
    print("Fleet monitoring on Dask (book §3 關鍵指標監控, at fleet scale)")
    print(
        f"{len(panels)} shops, {skus:,} SKUs, {DAYS} days; "
        f"the rules are calibrated per shop on the first {WARMUP_DAYS} days"
    )
    print(f"rules: {', '.join(rule.name for rule in rules)}")
    print()
    with dask_scheduler() as (scheduler, described):
        print(f"1. Each shop on {described}, {PARTITIONS} partitions per shop")
        with progress_bar("shops") as progress:
            results = evaluate_shops(
                rules,
                watched,
                thresholds,
                partitions=PARTITIONS,
                scheduler=scheduler,
                progress=progress,
            )
        for name, panel in watched.items():
            reference = evaluate(rules, panel, thresholds[name])
            print_shop(
                name, panel, results[name], identical=same(reference, results[name])
            )
        print()
        joined, joined_thresholds, shop_of = marketplace(watched, thresholds)
        print(
            f"2. The marketplace as one panel: {joined.n_entities:,} entities, "
            f"partitioned by shop"
        )
        with progress_bar("marketplace") as progress:
            fleet = evaluate_fleet(
                rules,
                joined,
                joined_thresholds,
                partitions=shop_of,
                scheduler=scheduler,
                progress=progress,
            )
    whole = evaluate(rules, joined, joined_thresholds)
    total = sum(len(result.alerts) for result in results.values())
    identical = "yes" if same(whole, fleet) else "NO"
    print(
        f"{len(fleet.alerts)} alert(s) ({total} in the shops' own runs); "
        f"same as evaluate() on the whole panel: {identical}"
    )
    if plots is not None:
        save_figures(
            plots,
            figures(
                panels[PLOTTED_SHOP], thresholds[PLOTTED_SHOP], results[PLOTTED_SHOP]
            ),
        )


if __name__ == "__main__":
    main()
