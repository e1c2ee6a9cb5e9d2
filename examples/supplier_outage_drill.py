"""A supplier outage before Double 11, drilled; and what a second supplier buys.

Run it with ``python examples/supplier_outage_drill.py``. The book's first
case study (§5.4 案例一:庫存危機應對實踐) reads:

    某電商企業在銷售高峰期遭遇了庫存危機,面臨斷貨風險。企業迅速啟動應急預案,
    首先準確評估庫存現狀,然後緊急聯系供應商協調貨源。

    (In its peak season an e-commerce business ran into an inventory crisis
    and risked selling out. It started its contingency plan at once: first
    an accurate picture of the stock, then urgent calls to suppliers to find
    goods.)

Book §4 asks the team to rehearse such a crisis (定期進行培訓和模擬演練), and
book §2.3 names the cure for a single point of failure: 多元化供應鏈管理,
分散供應商風險 (diversify the supply chain, spread the supplier risk). This
script does both on the case as `crisisops.scenarios.inventory_case`
encodes it:

1. The shop and the shock are the case's: a year (2026) of daily data for
   50 SKUs and six suppliers, with the 618 and Double 11 peaks. On
   20 October a fire stops ``supplier-01`` for four weeks, three weeks
   before Double 11: the twelve SKUs it supplies get less (or no)
   restocking, and run dry just as the peak comes.
2. `BookCase.drill` runs the whole loop on one run of it with the case's
   policy — calibrated triggers, a drill crisis declared, staffed and run
   with the ``inventory_replenishment`` playbook, updates sent, the crisis
   resolved and reviewed — and scores it against the ground truth:
   detection lag, late actions, update cadence, loss.
3. `compare_alternatives` reruns the case with an uncertain outage length
   (PERT from half to one and a half times the case's four weeks), once as
   the shop is and once with a backup supplier taking half of
   ``supplier-01``'s share (the case's profile, edited), on common random
   numbers, and prints percentiles and the paired difference.

Deterministic: fixed dates and seeds; no clock, no files. The what-if
shows a progress bar on stderr when ``tqdm`` is installed (stdout stays the
same). With ``--plots DIR`` (needs ``pip install 'crisisops[viz]'``) it also
saves figures there as PNG: the drilled run's stock-out rate around the
fire, with the drill's calibrated bound and alert, next to the same draws
with the backup supplier; and the what-if's losses of both alternatives as
loss-exceedance curves.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import math
import sys
import textwrap
from collections.abc import Callable, Iterator, Sequence
from typing import TYPE_CHECKING

import attrs
import numpy as np
from _plots import plots_directory, save_figures

from crisisops.monitoring import Alert, Panel, ThresholdSet, calibrate, evaluate
from crisisops.risk import (
    PERT,
    LossDistribution,
    SupplyLink,
    SupplyNetwork,
    SupplyNode,
)
from crisisops.scenarios import (
    SHOP_ENTITY,
    Alternative,
    BookCase,
    DrillReport,
    ShopProfile,
    ShopRun,
    SupplierOutage,
    Uncertain,
    WhatIfReport,
    compare_alternatives,
    inventory_case,
    simulate_shop,
)
from crisisops.viz import kpi_chart, loss_exceedance_curve

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SHOP_SEED = 11  # the shop's draws (examples/inventory_crisis_plan.py plans this run)
DRILL_SEED = 5  # the drill's action durations and message delays
WHATIF_SEED = 2026  # the what-if's outage lengths and per-run seeds
BACKUP = "supplier-07"
RUNS = 6
DAY = dt.timedelta(days=1)


def when(moment: dt.datetime | None) -> str:
    """Format a moment as ``MM-DD HH:MM`` (the shop keeps UTC+8), or ``-``."""
    return "-" if moment is None else f"{moment:%m-%d %H:%M}"


def number(value: float | None, digits: int = 0) -> str:
    """Format a number with thousands separators, or ``-`` for none."""
    if value is None or math.isnan(value):
        return "-"
    return f"{value:,.{digits}f}"


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Print a plain table: the first column left-aligned, the rest right."""
    widths = [
        max(len(str(row[i])) for row in (headers, *rows)) for i in range(len(headers))
    ]

    def line(cells: Sequence[str]) -> str:
        first = str(cells[0]).ljust(widths[0])
        rest = [str(c).rjust(w) for c, w in zip(cells[1:], widths[1:], strict=True)]
        return "  ".join([first, *rest])

    print(line(headers))
    print("  ".join("-" * width for width in widths))
    for row in rows:
        print(line(row))


def outage_of(case: BookCase) -> SupplierOutage:
    """Return the case's shock, which for case one is a `SupplierOutage`."""
    outage = case.shock
    assert isinstance(outage, SupplierOutage)  # noqa: S101  fixed by the case
    return outage


def with_backup_supplier(profile: ShopProfile, failed: str) -> ShopProfile:
    """Return the same shop with a backup supplier taking half of ``failed``'s share."""
    network = profile.network
    assert network is not None  # noqa: S101  the default shop has one
    links: list[SupplyLink] = []
    for link in network.links:
        if link.source == failed:
            links.append(attrs.evolve(link, share=link.share / 2))
            links.append(
                SupplyLink(source=BACKUP, target=link.target, share=link.share / 2)
            )
        else:
            links.append(link)
    backup = SupplyNode(key=BACKUP, kind="supplier", region="jiangsu")
    return attrs.evolve(
        profile,
        network=SupplyNetwork(
            nodes=[*network.nodes, backup], links=links, tiers=network.tiers
        ),
    )


def show_case(case: BookCase) -> None:
    """Print the case's section, title and the book's words."""
    print(f"{case.section} · {case.labels.en} · {case.labels.zh_hant}")
    print(
        textwrap.fill(case.quote, width=40, initial_indent="  ", subsequent_indent="  ")
    )
    print(
        textwrap.fill(
            f"({case.gloss})", width=78, initial_indent="  ", subsequent_indent="  "
        )
    )


def show_shop(case: BookCase) -> None:
    """Print the case's shop, its peaks and the shock's ground truth."""
    profile, outage = case.profile, outage_of(case)
    print()
    print("== The shop ==")
    suppliers = profile.sku_groups("supplier")
    print(
        f"{profile.assortment.size} SKUs, {profile.periods} days from "
        f"{profile.start.date()}, {len(suppliers)} suppliers"
    )
    peaks = ", ".join(
        f"{key} {when(moment)[:5]}" for key, moment in profile.promotion_peaks()
    )
    print(f"promotion peaks: {peaks}")
    truth = outage.ground_truth(profile)
    skus = [entity for entity in truth.entities if entity != SHOP_ENTITY]
    print()
    print("== The shock (ground truth) ==")
    print(
        f"{truth.shock}: {truth.kind} of {', '.join(outage.failed)}, "
        f"true type {truth.crisis_type}"
    )
    print(f"from {when(truth.onset)} to {when(truth.end)}; drivers {truth.drivers}")
    print(f"{len(skus)} SKUs cut off: {', '.join(skus)}")


def show_kpis(run: ShopRun, backup: ShopRun) -> None:
    """Print the shop row's stock-out rate and GMV, week by week, with the backup."""
    print()
    print(
        "== What the KPIs showed (shop row, weekly means; "
        f"with {BACKUP} on the same draws) =="
    )
    first = run.timestamps.index(run.ground_truth[0].onset) - 14
    rows = []
    for week in range(8):
        span = slice(first + 7 * week, first + 7 * week + 7)
        cells = [when(run.timestamps[span.start])[:5]]
        for shop in (run, backup):
            stockout = shop.shop_kpis["supply.stockout_rate"][0]
            gmv = shop.shop_kpis["sales.gmv"][0]
            cells += [f"{stockout[span].mean():.1%}", number(float(gmv[span].mean()))]
        rows.append(cells)
    table(
        ["week of", "stock-out rate", "GMV / day", "backup: stock-out", "GMV / day"],
        rows,
    )


def show_drill(report: DrillReport) -> None:
    """Print the drill report as tables."""
    summary = report.summary
    print()
    print(f"== The drill (shop seed {SHOP_SEED}, drill seed {DRILL_SEED}) ==")
    lag = summary.mean_detection_lag
    table(
        ["score", "value"],
        [
            ["shocks detected", f"{summary.detected} of {summary.shocks}"],
            ["false crises", str(summary.false_crises)],
            ["detection lag", "-" if lag is None else f"{lag.days} d"],
            ["actions late", f"{summary.actions_late} of {summary.actions}"],
            [
                "update cadence met",
                "-"
                if summary.cadence_adherence is None
                else f"{summary.cadence_adherence:.0%}",
            ],
            ["estimated loss (CNY)", number(summary.estimated_loss)],
        ],
    )
    for crisis, review in zip(report.crises, report.reviews, strict=True):
        stones = crisis.milestones
        print()
        print(
            f"Crisis {crisis.key} ({crisis.crisis_type}, {crisis.level.name}), "
            f"lead {crisis.lead}: {crisis.status.value}"
        )
        print(
            f"detected {when(stones.detected)}, declared {when(stones.declared)}, "
            f"contained {when(stones.contained)}, resolved {when(stones.resolved)}, "
            f"reviewed {when(stones.reviewed)}"
        )
        print()
        table(
            ["playbook action", "owner", "due", "done", ""],
            [
                [
                    action.key.split(".", 1)[1],
                    action.owner or "-",
                    when(action.due_at),
                    when(action.completed_at),
                    "late"
                    if action.completed_at is None
                    or action.completed_at > action.due_at
                    else "on time",
                ]
                for action in crisis.actions
            ],
        )
        print()
        table(
            ["lesson", "kind", "theme", "finding"],
            [
                [lesson.key, lesson.kind.value, lesson.theme.value, lesson.text]
                for lesson in review.lessons
            ],
        )
        print()
        table(
            ["improvement", "kind", "owner", "due"],
            [
                [item.key, item.kind.value, item.owner, when(item.due_at)]
                for item in review.improvements
            ],
        )


def show_whatif(report: WhatIfReport, single: ShopRun, backup: ShopRun) -> None:
    """Print percentiles per alternative and the paired loss difference."""
    print()
    print(
        f"== What if: a second supplier? ({report.runs} runs, common random numbers) =="
    )
    days = report.draws[0]
    print(
        f"outage length drawn: p10 {np.percentile(days, 10):.1f} d, "
        f"p50 {np.percentile(days, 50):.1f} d, p90 {np.percentile(days, 90):.1f} d"
    )
    rows = []
    for alternative in report.alternatives:
        for metric, digits in (
            ("loss", 0),
            ("detection_lag_days", 1),
            ("recovery_days", 1),
            ("crises", 1),
        ):
            stats = report.summary(alternative, metric)
            rows.append(
                [
                    f"{alternative} {metric}",
                    str(stats.count),
                    number(stats.mean, digits),
                    number(stats.p10, digits),
                    number(stats.p50, digits),
                    number(stats.p90, digits),
                ]
            )
    table(["alternative, metric", "runs", "mean", "p10", "p50", "p90"], rows)
    diff = report.difference("single_source", "second_supplier", "loss")
    print()
    print(
        f"loss, second_supplier - single_source: mean {number(diff.mean)}, "
        f"p10 {number(diff.p10)}, p90 {number(diff.p90)}; "
        f"second supplier better in {diff.alternative_better:.0%} of runs"
    )

    def runs_with(metric: str) -> int:
        return int((report.per_run("second_supplier", metric) > 0).sum())

    backup_crises, backup_false = runs_with("crises"), runs_with("false_crises")
    backup_missed = runs_with("missed")
    worst = [
        float(run.shop_kpis["supply.stockout_rate"][0].max())
        for run in (single, backup)
    ]
    declared = (
        f"a crisis declared in {backup_crises} of {report.runs} runs "
        f"({backup_false} of them false)"
        if backup_crises
        else f"no crisis declared in {report.runs} runs"
    )
    print(
        f"with the backup: {declared}; the drill counts the outage as missed in "
        f"{backup_missed}: "
        "stock-outs still happen but seldom stay above the rule's bound two days "
        f"in a row (the drilled run's worst day: {worst[1]:.0%} of SKUs out, "
        f"single-sourced {worst[0]:.0%})"
    )


# --- progress and figures ------------------------------------------------------------


@contextlib.contextmanager
def progress_bar(what: str) -> Iterator[Callable[[int, int], None] | None]:
    """Yield a ``progress(done, total)`` that draws a tqdm bar on stderr.

    Without tqdm it yields ``None``: no bar, and stdout is the same either way.
    """
    try:
        from tqdm import tqdm  # noqa: PLC0415  optional
    except ImportError:
        yield None
        return
    with tqdm(desc=what, unit="run", file=sys.stderr) as bar:

        def update(done: int, total: int) -> None:
            bar.total = total
            bar.update(done - bar.n)

        yield update


def drill_watch(
    case: BookCase, run: ShopRun, report: DrillReport
) -> tuple[Panel, ThresholdSet, Alert]:
    """Redo the drill's watch: the shop row, its bounds and the crisis's alert.

    The drill (`run_drill`) calibrates the policy's bounds on the warm-up
    weeks and evaluates the rules after them; its report keeps the crises,
    not the alerts, so the figure repeats those two steps and picks the
    alert the crisis came from (its origin's reference is the alert's id).
    """
    policy = case.policy
    rules, bounds = policy.rule_set()
    panel = run.panel(shop_only=True)
    warm_end = run.timestamps[policy.warmup_days]
    thresholds = calibrate(panel.slice(end=warm_end), bounds, version="drill-warmup")
    evaluation = evaluate(rules, panel.slice(start=warm_end), [thresholds])
    reference = report.crises[0].origins[0].reference
    (alert,) = (a for a in evaluation.alerts if a.id == reference)
    return panel, thresholds, alert


def figures(
    case: BookCase,
    runs: tuple[ShopRun, ShopRun],
    report: DrillReport,
    whatif: WhatIfReport,
) -> dict[str, Figure]:
    """Draw the drilled run's stock-out rate and the what-if's loss curves."""
    from matplotlib.dates import date2num  # noqa: PLC0415  only with --plots

    run, backup = runs
    panel, thresholds, alert = drill_watch(case, run, report)
    _, bounds = case.policy.rule_set()
    (spec,) = (s for s in bounds if s.metric == "supply.stockout_rate")
    truth = run.ground_truth[0]
    window = panel.slice(start=truth.onset - 28 * DAY, end=truth.end + 28 * DAY)
    stockouts = kpi_chart(
        window,
        spec.metric,
        SHOP_ENTITY,
        alerts=[alert],
        thresholds=thresholds,
        bounds=[spec.name],
        title=(
            f"Stock-out rate of the drilled run (shop seed {SHOP_SEED}), "
            f"and with {BACKUP}"
        ),
    )
    axes = stockouts.axes[0]
    first, last = run.timestamps.index(window.timestamps[0]), len(window.timestamps)
    axes.plot(
        date2num(window.timestamps),  # type: ignore[no-untyped-call]
        backup.shop_kpis[spec.metric][0][first : first + last],
        color="tab:green",
        linewidth=1.0,
        label=f"with {BACKUP} (same draws)",
    )
    axes.axvline(
        float(date2num(truth.onset)),  # type: ignore[no-untyped-call]
        color="black",
        linestyle="--",
        linewidth=1.0,
        label=f"fire at {', '.join(outage_of(case).failed)} {when(truth.onset)[:5]}",
    )
    axes.legend(loc="upper left", fontsize=8)
    losses = loss_exceedance_curve(
        {
            key: LossDistribution(losses=whatif.per_run(key, "loss"))
            for key in whatif.alternatives
        },
        title=f"What if: a second supplier? Loss per run ({whatif.runs} runs, CNY)",
    )
    return {"outage_stockouts.png": stockouts, "outage_whatif_losses.png": losses}


def main(argv: Sequence[str] | None = None) -> None:
    """Simulate the case's shop, drill the outage, compare the alternatives."""
    plots = plots_directory(argv, __doc__)
    case = inventory_case()
    outage = outage_of(case)
    (failed,) = outage.failed
    backup_profile = with_backup_supplier(case.profile, failed)
    show_case(case)
    show_shop(case)
    run = case.simulate(seed=SHOP_SEED)
    backup_run = simulate_shop(backup_profile, case.shocks, seed=SHOP_SEED)
    show_kpis(run, backup_run)
    drill = case.drill(seed=DRILL_SEED, run=run)
    show_drill(drill)
    weeks = (outage.end - outage.onset) / dt.timedelta(days=1)
    length = Uncertain(
        key="outage_days",
        target=outage.key,
        field="duration",
        distribution=PERT(low=weeks / 2, mode=weeks, high=weeks * 1.5),
    )
    with progress_bar("what-if runs") as progress:
        whatif = compare_alternatives(
            case.profile,
            case.shocks,
            [
                Alternative(
                    key="single_source",
                    description="the shop as it is",
                    policy=case.policy,
                ),
                Alternative(
                    key="second_supplier",
                    description=f"{BACKUP} takes half of {failed}'s share",
                    profile=backup_profile,
                    policy=case.policy,
                ),
            ],
            parameters=[length],
            runs=RUNS,
            seed=WHATIF_SEED,
            progress=progress,
        )
    show_whatif(whatif, run, backup_run)
    if plots is not None:
        save_figures(plots, figures(case, (run, backup_run), drill, whatif))


if __name__ == "__main__":
    main()
