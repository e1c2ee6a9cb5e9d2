"""The book's peak-season inventory crisis, planned with crisisops (book §4, §5.4).

Case one of book §5.4 (案例一:庫存危機應對實踐): at the height of the selling
season a shop is about to run out of stock. It assesses its stock, contacts
suppliers for emergency supply, serves urgent and key customers first,
adjusts its marketing and re-forecasts demand. This script plans that
response the way book §4 asks:

1. assess the impact on the five dimensions and let it suggest a level;
2. assemble the crisis team from the roster available at that moment;
3. activate the inventory playbook: a dated action plan with owners and
   the critical path;
4. allocate the emergency stock and budget, critical demands first, and
   re-allocate when a second supplier comes through;
5. check how ready the same roster is for every other crisis.

Run it with ``python examples/inventory_crisis_plan.py``.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from crisisops.planning import (
    AllocationRule,
    AvailabilityWindow,
    Demand,
    ImpactAssessment,
    Member,
    Resource,
    ResourceKind,
    ResourcePool,
    activate,
    allocate,
    assemble_team,
    check_readiness,
    default_playbooks,
    reallocate,
)
from crisisops.taxonomy import default_catalog

TAIPEI = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2026, 11, 9, 10, tzinfo=TAIPEI)  # two days before 11.11
CRISIS = "supply_chain.peak_season_stockout"

ROSTER = [
    Member(key="lin", name="Lin Mei", roles=["crisis_lead", "ops_expert"]),
    Member(key="wu", name="Wu Hao", roles=["deputy_lead", "supply_chain_lead"]),
    Member(key="chen", name="Chen Jie", roles=["customer_service"]),
    Member(key="zhao", name="Zhao Yun", roles=["marketing_pr", "comms_liaison"]),
    Member(key="ho", name="Ho Ling", roles=["data_analyst"]),
    Member(key="kao", name="Kao Wen", roles=["scribe", "finance_lead"]),
    Member(
        key="sun",
        name="Sun Li",
        roles=["legal_counsel"],
        # The shop's lawyer is only reachable from Wednesday.
        availability=[
            AvailabilityWindow(
                start=START + dt.timedelta(days=2), end=START + dt.timedelta(days=9)
            )
        ],
    ),
    Member(key="fang", name="Fang Yu", roles=["supply_chain_lead", "data_analyst"]),
]


def heading(text: str) -> None:
    """Print a section heading, underlined to its width on screen."""
    width = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    print(f"\n{text}\n{'=' * width}")


def main() -> None:
    """Plan the response and print what the crisis team reads."""
    crisis = default_catalog()[CRISIS]
    print(f"{crisis.labels.en} ({crisis.labels.zh_hant}), {START:%Y-%m-%d %H:%M}")

    heading("1. Impact (分析危機原因和影響範圍)")
    impact = ImpactAssessment.from_scores(
        CRISIS,
        START,
        {
            "financial": 4,
            "brand": 3,
            "market_position": 3,
            "supply_chain": 4,
            "customer_relationship": 4,
        },
    )
    for dimension, score in impact.scores().items():
        print(f"  {dimension.labels.zh_hant:<6} {dimension.labels.en:<24} {score}")
    level = impact.suggested_level()
    print(f"  overall {impact.overall_score()} -> response level {level.value}")

    heading("2. Crisis team (成立危機應對小組)")
    team = assemble_team(CRISIS, level, ROSTER, at=START)
    names = {member.key: member.name for member in ROSTER}
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

    heading("3. Action plan (預案)")
    playbook = default_playbooks()["inventory_replenishment"]
    plan = activate(playbook, "stockout-2026-11", START, team)
    print(f"  {'due':<12} {'owner':<9} {'step':<19} action")
    for action in sorted(plan.actions, key=lambda a: (a.due, a.key)):
        owner = names.get(action.owner or "", "UNOWNED")
        mark = "*" if action.critical else " "
        print(
            f"  {action.due:%m-%d %H:%M}  {owner:<9} {mark}{action.key:<18} "
            f"{action.labels.zh_hant if action.labels else action.title}"
        )
    print(f"  * critical path: {' -> '.join(plan.critical_path)}")
    print(f"  all steps finish by {plan.finish:%Y-%m-%d %H:%M}")
    target = "meets" if playbook.meets_target(level) else "MISSES"
    print(f"  {target} the level {level.value} target response time")

    heading("4. Emergency stock and budget (資源調配)")
    pool = ResourcePool(
        [
            Resource(
                key="oolong_units",
                kind=ResourceKind.MATERIAL,
                unit="boxes",
                capacity=1_200,
            ),
            Resource(
                key="budget", kind=ResourceKind.MONEY, unit="CNY", capacity=80_000
            ),
        ]
    )
    demands = [
        Demand(
            key="vip_orders",
            resource="oolong_units",
            amount=400,
            priority=3,
            critical=True,
        ),
        Demand(
            key="preorders",
            resource="oolong_units",
            amount=600,
            priority=2,
            minimum=200,
        ),
        Demand(key="new_orders", resource="oolong_units", amount=900, priority=1),
        Demand(
            key="air_freight",
            resource="budget",
            amount=50_000,
            priority=3,
            critical=True,
            minimum=30_000,
        ),
        Demand(key="ads_for_substitutes", resource="budget", amount=40_000, priority=1),
    ]
    first = allocate(pool, demands, rule=AllocationRule.PRIORITY_WEIGHTED)
    for demand in demands:
        got = first.allocated_to(demand.key)
        print(f"  {demand.key:<20} asked {demand.amount:>8,.0f}  got {got:>8,.0f}")
    for shortfall in first.shortfalls():
        print(f"  short: {shortfall.demand} lacks {shortfall.shortfall:,.0f}")
    second = pool.with_capacity("oolong_units", 1_700)  # a second supplier delivers
    update = reallocate(first, second, demands)
    print("  after a second supplier adds 500 boxes:")
    for change in update.changes():
        print(
            f"    {change.demand:<20} {change.before:>6,.0f} -> {change.after:>6,.0f}"
        )

    heading("5. Readiness for every crisis (培訓與演練)")
    report = check_readiness(ROSTER, at=START)
    print(f"  checked {len(report.types)} crisis types at 4 levels")
    for result in report.weakest(3):
        print(f"  {result.crisis_type:<34} score {result.score:.2f}")
    print(f"  roles nobody can fill now: {', '.join(report.uncovered_roles())}")


if __name__ == "__main__":
    main()
