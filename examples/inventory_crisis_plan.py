"""The book's peak-season inventory crisis, planned with crisisops (book §4, §5.4).

Case one of book §5.4 (案例一:庫存危機應對實踐): at the height of the selling
season a shop is about to run out of stock. It assesses its stock, contacts
suppliers for emergency supply, serves urgent and key customers first,
adjusts its marketing and re-forecasts demand. The data come from the case
as `crisisops.scenarios.inventory_case` encodes it: the default synthetic
shop (50 SKUs, six suppliers, 2026 with the 618 and Double 11 peaks), where
a fire stops ``supplier-01`` from 20 October to 17 November. The case's
drill (`BookCase.drill`, on the same run as ``examples/supplier_outage_drill.py``)
sees the stock-out rate rise and declares the crisis; this script plans the
response from that moment the way book §4 asks:

1. assess the impact on the five dimensions, with the case's evidence (who
   is cut off, the plan's GMV at risk), and let it suggest a level;
2. assemble the crisis team from the case's roster at that moment (this
   script adds one fact the case does not have: the only legal counsel is
   on leave for two days);
3. activate the inventory playbook when the drill did: a dated action plan
   with owners and the critical path;
4. allocate a backup supplier's units to the orders ``supplier-01`` would
   have supplied, Double 11 first, and re-allocate once the shop stops
   promoting what it cannot supply (調整營銷策略);
5. check how ready the same roster is for every other crisis.

Run it with ``python examples/inventory_crisis_plan.py``. Deterministic:
fixed dates and seeds; no clock, no files. With ``--plots DIR`` (needs
``pip install 'crisisops[viz]'``) it also saves figures there as PNG: the
shop's stock-out rate around the fire, with the drill's calibrated bound, its
alert and the day the supplier stopped (the detection lag at a glance), and
the first day of the drill's response as a Gantt chart, the critical path in
red and each action's deadline ticked.
"""

from __future__ import annotations

import datetime as dt
import textwrap
import unicodedata
from collections.abc import Sequence
from typing import TYPE_CHECKING

import attrs
import numpy as np
import numpy.typing as npt
from _plots import plots_directory, save_figures

from crisisops.monitoring import Alert, Panel, ThresholdSet, calibrate, evaluate
from crisisops.planning import (
    AllocationRule,
    AvailabilityWindow,
    Demand,
    DimensionImpact,
    ImpactAssessment,
    Member,
    MoneyEstimate,
    MoneyKind,
    Resource,
    ResourceKind,
    ResourcePool,
    Team,
    activate,
    allocate,
    assemble_team,
    check_readiness,
    default_playbooks,
    reallocate,
)
from crisisops.response import Crisis
from crisisops.scenarios import (
    DOUBLE_ELEVEN,
    SHOP_ENTITY,
    BookCase,
    DrillReport,
    ShopRun,
    SupplierOutage,
    inventory_case,
    simulate_shop,
)
from crisisops.taxonomy import ResponseLevel
from crisisops.viz import crisis_timeline, kpi_chart

if TYPE_CHECKING:
    from matplotlib.figure import Figure

FloatArray = npt.NDArray[np.float64]

SHOP_SEED = 11  # the shop's draws: the run examples/supplier_outage_drill.py drills
DRILL_SEED = 5  # the drill's action durations and message delays
ON_LEAVE = "lin"  # Xu Lin, the roster's only legal counsel
BACKUP_SHARE = 0.5  # a backup supplier takes half of the failed supplier's share
DAY = dt.timedelta(days=1)
HOUR = dt.timedelta(hours=1)


# --- printing -------------------------------------------------------------------------


def columns(text: str) -> int:
    """Count terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int) -> str:
    """Left-align ``text`` in ``width`` terminal columns."""
    return text + " " * max(width - columns(text), 0)


def heading(text: str) -> None:
    """Print a section heading, underlined to its width on screen."""
    print(f"\n{text}\n{'=' * columns(text)}")


def when(moment: dt.datetime) -> str:
    """Format a moment as ``MM-DD HH:MM`` (the shop keeps UTC+8)."""
    return f"{moment:%m-%d %H:%M}"


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


# --- the case's data ------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Facts:
    """What the team knows when the crisis is declared, all from the case."""

    case: BookCase
    run: ShopRun
    crisis: Crisis  # the drill's crisis
    failed: str  # the supplier that stopped
    skus: tuple[str, ...]  # the SKUs it supplies
    shares: dict[str, float]  # per SKU, the share of its supply it made
    back: dt.datetime  # when the failed supplier's goods land again

    @property
    def start(self) -> dt.datetime:
        """When the crisis was declared."""
        return self.crisis.declared_at

    def day(self, moment: dt.datetime) -> int:
        """Return the index of the day ``moment`` falls on."""
        midnight = moment.replace(hour=0, minute=0)
        return self.run.timestamps.index(midnight)


def gather(case: BookCase, run: ShopRun, report: DrillReport) -> Facts:
    """Collect the facts of the case: the crisis, the cut-off SKUs, the gap."""
    outage = case.shock
    assert isinstance(outage, SupplierOutage)  # noqa: S101  case one is an outage
    (failed,) = outage.failed
    network = case.profile.network
    assert network is not None  # noqa: S101  the default shop has one
    truth = run.truth(outage.key)
    goods = case.profile.assortment
    # Once it restarts, its goods take the lead time of the SKUs it mainly
    # supplies to land.
    mainly = case.profile.sku_groups("supplier")[failed]
    lead = int(goods.lead_time_days[goods.skus.index(mainly[0])])
    return Facts(
        case=case,
        run=run,
        crisis=report.crises[0],
        failed=failed,
        skus=tuple(entity for entity in truth.entities if entity != SHOP_ENTITY),
        shares={
            link.target: link.share for link in network.links if link.source == failed
        },
        back=truth.end + lead * DAY,
    )


def planned(run: ShopRun) -> tuple[FloatArray, FloatArray]:
    """Return the plan's orders and GMV per day and SKU, each ``(days, SKUs)``.

    The plan is the run's baseline drivers: what the shop expected before any
    shock, the promotions included. Orders are visits × conversion, GMV is
    orders × the average order value.
    """
    base = run.baseline
    orders: FloatArray = base.traffic[0] * base.conversion[0]
    return orders, orders * base.price[0]


def of_share(values: FloatArray, run: ShopRun, shares: dict[str, float]) -> FloatArray:
    """Return, per day, the part of ``values`` that ``shares`` of each SKU make."""
    skus = run.profile.assortment.skus
    picked = [skus.index(sku) for sku in shares]
    result: FloatArray = values[:, picked] @ np.array(list(shares.values()))
    return result


# --- the steps ------------------------------------------------------------------------


def show_alert(facts: Facts, report: DrillReport) -> None:
    """Print the alert the drill saw, the declaration and the drill's score."""
    heading(f"0. The alert (the case's drill, seeds {SHOP_SEED} and {DRILL_SEED})")
    crisis = facts.crisis
    origin = crisis.origins[0]
    name = origin.reference.split("/")[0]  # rule/entity/episode
    (rule,) = (r for r in facts.case.policy.rules if r.name == name)
    fired = origin.detected_at
    assert fired is not None  # noqa: S101  an alert's origin is dated
    stockout = facts.run.shop_kpis["supply.stockout_rate"][0]
    seen = facts.day(fired)
    floor = facts.case.policy.stockout_floor
    print(f"  rule {rule.name}: {rule.description}, and at least {floor:.0%}")
    print(
        f"  stock-out rate {stockout[seen - 1]:.0%} on "
        f"{facts.run.timestamps[seen - 1]:%m-%d}, {stockout[seen]:.0%} on "
        f"{fired:%m-%d}: alert {when(fired)}"
    )
    print(
        f"  declared {crisis.crisis_type}, Level {crisis.level.value}, "
        f"{crisis.declared_at:%A} {when(crisis.declared_at)}"
    )
    summary = report.summary
    lag = summary.mean_detection_lag
    print(
        f"  drill: detected {'never' if lag is None else f'{lag.days} d'} after the "
        f"fire, {summary.false_crises} false crises, estimated loss "
        f"CNY {summary.estimated_loss:,.0f}"
    )


def assess(facts: Facts) -> ResponseLevel:
    """Print the five-dimension impact with its evidence; return the level."""
    heading("1. Impact (分析危機原因和影響範圍)")
    run, start = facts.run, facts.start
    _, gmv = planned(run)
    gap = slice(facts.day(start), facts.day(facts.back))
    at_risk = float(of_share(gmv, run, facts.shares)[gap].sum())
    share = at_risk / float(gmv[gap].sum())
    # The scores are the team's judgement (1-5, `default_impact_scale`); the
    # numbers behind them come from the case.
    impact = ImpactAssessment(
        crisis_key=facts.crisis.key,
        assessed_at=start,
        impacts=[
            DimensionImpact(
                dimension="financial",
                score=4,
                estimates=[
                    MoneyEstimate(
                        kind=MoneyKind.REVENUE_LOSS,
                        amount=round(at_risk),
                        currency="CNY",
                        note=f"the plan's GMV of {facts.failed}'s share of its SKUs",
                    )
                ],
            ),
            DimensionImpact(dimension="brand", score=3),
            DimensionImpact(dimension="market_position", score=3),
            DimensionImpact(
                dimension="supply_chain",
                score=4,
                affected=[facts.failed, *facts.skus],
                recovery_time=facts.back - start,
            ),
            DimensionImpact(dimension="customer_relationship", score=4),
        ],
    )
    for dimension, score in impact.scores().items():
        print(
            f"  {pad(dimension.labels.zh_hant, 10)} {dimension.labels.en:<24} {score}"
        )
    only = [sku for sku in facts.skus if facts.shares[sku] == 1.0]
    goods = facts.case.profile.assortment
    print(
        f"  {facts.failed} stopped {when(run.ground_truth[0].onset)[:5]}, restarts "
        f"{when(run.ground_truth[0].end)[:5]}; its goods land again "
        f"{when(facts.back)[:5]}"
    )
    print(
        f"  {len(facts.skus)} of {goods.size} SKUs buy from it, {len(only)} only "
        "from it"
    )
    print(
        f"  revenue at risk {when(start)[:5]} – {when(facts.back - DAY)[:5]}: "
        f"CNY {at_risk:,.0f}, {share:.0%} of the plan's GMV"
    )
    level = impact.suggested_level()
    print(
        f"  overall {impact.overall_score()} -> response level {level.value} "
        f"(the drill declared {facts.crisis.level.value})"
    )
    return level


def staff(facts: Facts, level: ResponseLevel) -> tuple[list[Member], Team]:
    """Print the team assembled at the declaration; return the roster and team."""
    heading("2. Crisis team (成立危機應對小組)")
    start = facts.start
    back_from = start.replace(hour=9, minute=0) + 2 * DAY
    roster = [
        attrs.evolve(
            member,
            availability=[
                AvailabilityWindow(start=back_from, end=back_from + 60 * DAY)
            ],
        )
        if member.key == ON_LEAVE
        else member
        for member in facts.case.policy.roster
    ]
    names = {member.key: member.name for member in roster}
    print(
        f"  the case's roster ({len(roster)} people); {names[ON_LEAVE]} is on leave "
        f"until {back_from:%A %m-%d %H:%M}"
    )
    team = assemble_team(facts.crisis.crisis_type, level, roster, at=start)
    for role in team.required:
        holders = ", ".join(names[key] for key in team.members_for(role)) or "-"
        print(f"  {role:<18} {holders}")
    lead = names[team.lead] if team.lead else "nobody"
    deputy = names[team.deputy] if team.deputy else "nobody"
    print(f"  lead {lead}, deputy {deputy}")
    if team.uncovered:
        print(f"  uncovered now: {', '.join(team.uncovered)}")
    if team.single_person_dependencies:
        single = ", ".join(team.single_person_dependencies)
        print(f"  only one person can fill: {single}")
    return roster, team


def plan_actions(facts: Facts, level: ResponseLevel, team: Team) -> None:
    """Print the playbook's dated action plan, activated when the drill did."""
    heading("3. Action plan (預案)")
    playbook = default_playbooks()["inventory_replenishment"]
    activated = facts.crisis.playbooks[playbook.key]
    plan = activate(playbook, facts.crisis.key, activated, team)
    names = {member.key: member.name for member in facts.case.policy.roster}
    print(f"  {playbook.key}, activated {when(activated)}")
    print(f"  {'due':<12} {'owner':<14} {'step':<19} action")
    for action in sorted(plan.actions, key=lambda a: (a.due, a.key)):
        owner = names.get(action.owner or "", "UNOWNED")
        mark = "*" if action.critical else " "
        print(
            f"  {when(action.due)}  {pad(owner, 14)} {mark}{action.key:<18} "
            f"{action.labels.zh_hant if action.labels else action.title}"
        )
    print(f"  * critical path: {' -> '.join(plan.critical_path)}")
    print(f"  all steps finish by {plan.finish:%Y-%m-%d %H:%M}")
    target = "meets" if playbook.meets_target(level) else "MISSES"
    print(f"  {target} the level {level.value} target response time")


def order_groups(facts: Facts, orders: FloatArray) -> list[Demand]:
    """Split the failed supplier's share of ``orders`` into three order groups.

    The shop's data have no customer tiers, so urgency is by date: the orders
    of Double 11 itself are critical, the run-up to it comes next, the weeks
    after it last.
    """
    run = facts.run
    wanted = of_share(orders, run, facts.shares)
    peak = facts.day(dict(facts.case.profile.promotion_peaks())[DOUBLE_ELEVEN.key])
    groups = (
        ("double_eleven_orders", slice(peak, peak + 1), 3, True),
        ("ramp_up_orders", slice(facts.day(facts.start), peak), 2, False),
        ("after_peak_orders", slice(peak + 1, facts.day(facts.back)), 1, False),
    )
    return [
        Demand(
            key=key,
            resource="backup_units",
            amount=round(float(wanted[days].sum())),
            priority=priority,
            critical=critical,
            step="prioritise_orders",
        )
        for key, days, priority, critical in groups
    ]


def ration(facts: Facts) -> None:
    """Print the backup supplier's units allocated, then re-allocated."""
    heading("4. Emergency stock (資源調配)")
    orders, _ = planned(facts.run)
    demands = order_groups(facts, orders)
    needed = sum(demand.amount for demand in demands)
    pool = ResourcePool(
        [
            Resource(
                key="backup_units",
                kind=ResourceKind.MATERIAL,
                unit="units",
                capacity=round(BACKUP_SHARE * needed),
                external=True,
            )
        ]
    )
    (backup,) = pool
    print(
        f"  {facts.failed}'s share of the plan's orders until its goods are back: "
        f"{needed:,.0f} units"
    )
    print(
        f"  a backup supplier (external) takes {BACKUP_SHARE:.0%} of that share: "
        f"{backup.capacity:,.0f} units"
    )
    first = allocate(pool, demands, rule=AllocationRule.PRIORITY_WEIGHTED)
    for demand in demands:
        got = first.allocated_to(demand.key)
        print(f"  {demand.key:<22} asked {demand.amount:>6,.0f}  got {got:>6,.0f}")
    for shortfall in first.shortfalls():
        print(f"  short: {shortfall.demand} lacks {shortfall.shortfall:,.0f}")
    # Adjust the marketing (the playbook's adjust_marketing step): stop
    # promoting the SKUs that cannot be supplied. Their demand is then what
    # the plan expects without Double 11: the same shop without that promotion.
    profile = facts.case.profile
    quiet = attrs.evolve(
        profile,
        demand=attrs.evolve(
            profile.demand,
            promotions=[
                p for p in profile.demand.promotions if p.key != DOUBLE_ELEVEN.key
            ],
        ),
    )
    quiet_orders, _ = planned(simulate_shop(quiet, seed=SHOP_SEED))
    update = reallocate(first, pool, order_groups(facts, quiet_orders))
    print("  after the cut-off SKUs' Double 11 promotion is paused:")
    for before, after in zip(demands, update.current.demands, strict=True):
        print(
            f"    {after.key:<22} asked {before.amount:>6,.0f} -> {after.amount:>6,.0f}"
            f"  got {first.allocated_to(after.key):>6,.0f} -> "
            f"{update.current.allocated_to(after.key):>6,.0f}"
        )
    left = update.current.left()[backup.key]
    short = len(update.current.shortfalls())
    print(f"    {short or 'no'} shortfalls; {left:,.0f} units left")


def readiness(facts: Facts, roster: list[Member]) -> None:
    """Print how ready the roster is, at the declaration, for every crisis."""
    heading("5. Readiness for every crisis (培訓與演練)")
    report = check_readiness(roster, at=facts.start)
    print(f"  checked {len(report.types)} crisis types at 4 levels")
    for result in report.weakest(3):
        print(f"  {result.crisis_type:<34} score {result.score:.2f}")
    print(f"  roles nobody can fill now: {', '.join(report.uncovered_roles())}")


# --- the figures (--plots DIR) --------------------------------------------------------


def drill_watch(facts: Facts) -> tuple[Panel, ThresholdSet, Alert]:
    """Redo the drill's watch: the shop row, its bounds and the crisis's alert.

    The drill (`run_drill`) calibrates the policy's bounds on the warm-up
    weeks and evaluates the rules after them; its report keeps the crises,
    not the alerts, so the figure repeats those two steps and picks the
    alert the crisis came from (its origin's reference is the alert's id).
    """
    policy = facts.case.policy
    rules, bounds = policy.rule_set()
    panel = facts.run.panel(shop_only=True)
    warm_end = facts.run.timestamps[policy.warmup_days]
    thresholds = calibrate(panel.slice(end=warm_end), bounds, version="drill-warmup")
    evaluation = evaluate(rules, panel.slice(start=warm_end), [thresholds])
    (alert,) = (
        a for a in evaluation.alerts if a.id == facts.crisis.origins[0].reference
    )
    return panel, thresholds, alert


def figures(facts: Facts) -> dict[str, Figure]:
    """Draw the stock-out rate around the fire and the first day of the response."""
    from matplotlib.dates import date2num  # noqa: PLC0415  only with --plots

    panel, thresholds, alert = drill_watch(facts)
    _, bounds = facts.case.policy.rule_set()
    (spec,) = (s for s in bounds if s.metric == "supply.stockout_rate")
    fire = facts.run.ground_truth[0].onset
    stockouts = kpi_chart(
        panel.slice(start=fire - 28 * DAY, end=facts.back + 21 * DAY),
        spec.metric,
        SHOP_ENTITY,
        alerts=[alert],
        thresholds=thresholds,
        bounds=[spec.name],
    )
    axes = stockouts.axes[0]
    axes.axvline(
        float(date2num(fire)),  # type: ignore[no-untyped-call]
        color="black",
        linestyle="--",
        linewidth=1.0,
        label=f"{facts.failed} stops (fire) {when(fire)[:5]}",
    )
    axes.legend(loc="upper left", fontsize=8)
    # The drill's response, zoomed on the day its actions ran: the review's
    # deadline, a month later, falls outside.
    crisis = facts.crisis
    done = [a.completed_at or a.due_at for a in crisis.actions]
    response = crisis_timeline(
        crisis,
        window=(crisis.declared_at - 2 * HOUR, max(done) + 4 * HOUR),
        title=f"{crisis.key}: the inventory playbook's first day",
    )
    return {"inventory_stockouts.png": stockouts, "inventory_response.png": response}


def main(argv: Sequence[str] | None = None) -> None:
    """Plan the response to the case's crisis and print what the team reads."""
    plots = plots_directory(argv, __doc__)
    case = inventory_case()
    run = case.simulate(seed=SHOP_SEED)
    report = case.drill(seed=DRILL_SEED, run=run)
    facts = gather(case, run, report)
    show_case(case)
    show_alert(facts, report)
    level = assess(facts)
    roster, team = staff(facts, level)
    plan_actions(facts, level, team)
    ration(facts)
    readiness(facts, roster)
    if plots is not None:
        save_figures(plots, figures(facts))


if __name__ == "__main__":
    main()
