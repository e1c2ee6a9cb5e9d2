"""The book's data-security case: who to tell, what to say, and how fast it spreads.

Case three of book §5.4 (案例三:數據安全危機應對實踐): after a network attack a
shop faces a leak of customer data. It contains the attack, restores from
backup, investigates the source, and tells its users what happened and what
it is doing (通過發布公告和積極溝通的方式告知用戶情況). Book §5 adds: talk to
internal and external stakeholders sincerely and transparently, because a
small incident spreads fast online. This script, for one shop:

1. builds the stakeholder graph: who influences whom, and how strongly;
2. classifies every stakeholder by salience (Mitchell, Agle & Wood 1997) and
   on the power–interest grid (Mendelow 1991);
3. asks Situational Crisis Communication Theory (Coombs 2007) what to say;
4. generates the communication plan: channels, owners, first deadlines and
   update cadence, employees first; then checks it against the messages sent;
5. simulates how the negative story spreads from the first angry buyers,
   with and without the plan, on the same random draws.

Run it with ``python examples/data_breach_communication.py``.
"""

from __future__ import annotations

import datetime as dt
import unicodedata

from crisisops.stakeholders import (
    Channel,
    Influence,
    Intervention,
    SentMessage,
    Stakeholder,
    StakeholderGraph,
    check_plan,
    classify,
    compare_interventions,
    key_influencers,
    plan_communication,
    recommend_response,
    who_hears_first,
)
from crisisops.taxonomy import ResponseLevel

TAIPEI = dt.timezone(dt.timedelta(hours=8))
DECLARED = dt.datetime(2026, 6, 18, 9, 0, tzinfo=TAIPEI)
CRISIS = "technical.data_security_breach"
RUNS = 4_000
SEED = 2026

# key, kind, power, legitimacy, urgency, interest, sentiment, reach
PEOPLE: list[tuple[str, str, float, float, float, float, float, int]] = [
    ("staff", "employees", 0.5, 0.9, 0.9, 0.9, 0.2, 80),
    ("buyers", "customers", 0.6, 0.9, 0.9, 0.9, -0.4, 120_000),
    ("vip_buyers", "customer_segment", 0.7, 0.9, 0.8, 0.9, -0.2, 900),
    ("angry_buyers", "customer_segment", 0.3, 0.8, 1.0, 1.0, -0.9, 40),
    ("netizens", "public", 0.4, 0.3, 0.6, 0.5, -0.5, 2_000_000),
    ("tea_kol", "influencers", 0.6, 0.4, 0.7, 0.6, 0.0, 350_000),
    ("daily_news", "media", 0.7, 0.6, 0.6, 0.7, 0.0, 300_000),
    ("marketplace", "platform", 0.9, 0.8, 0.7, 0.6, 0.0, 1),
    ("cyberspace_office", "regulators", 0.9, 0.9, 0.7, 0.8, 0.0, 1),
    ("oolong_farm", "suppliers", 0.4, 0.8, 0.2, 0.4, 0.3, 5),
    ("investors", "investors", 0.8, 0.7, 0.2, 0.6, 0.0, 3),
]

# Who passes the story on to whom, with the chance they do (0-1).
ARCS = [
    ("angry_buyers", "netizens", 0.6),
    ("angry_buyers", "buyers", 0.3),
    ("angry_buyers", "tea_kol", 0.4),
    ("netizens", "buyers", 0.3),
    ("netizens", "daily_news", 0.3),
    ("tea_kol", "netizens", 0.5),
    ("tea_kol", "buyers", 0.4),
    ("tea_kol", "vip_buyers", 0.3),
    ("daily_news", "buyers", 0.4),
    ("daily_news", "investors", 0.3),
    ("daily_news", "cyberspace_office", 0.5),
    ("buyers", "marketplace", 0.3),
    ("buyers", "vip_buyers", 0.2),
    ("vip_buyers", "marketplace", 0.2),
    ("staff", "buyers", 0.1),
]


def heading(text: str) -> None:
    """Print a section heading, underlined to its width on screen."""
    width = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    print(f"\n{text}\n{'-' * width}")


def build_graph() -> StakeholderGraph:
    """Return the shop's stakeholders and who influences whom."""
    stakeholders = [
        Stakeholder(
            key=key,
            name=key.replace("_", " ").title(),
            kind=kind,
            power=power,
            legitimacy=legitimacy,
            urgency=urgency,
            interest=interest,
            sentiment=sentiment,
            reach=reach,
            channels=[Channel.HOTLINE] if key == "vip_buyers" else [],
        )
        for key, kind, power, legitimacy, urgency, interest, sentiment, reach in PEOPLE
    ]
    influences = [
        Influence(source=source, target=target, weight=weight)
        for source, target, weight in ARCS
    ]
    return StakeholderGraph(stakeholders=stakeholders, influences=influences)


def main() -> None:
    """Plan the communication for the breach and print what the team reads."""
    graph = build_graph()
    print(f"Data-security breach, declared {DECLARED:%Y-%m-%d %H:%M} (+08:00)")
    print(f"{len(graph.keys)} stakeholders, {len(graph.influences)} influence arcs")
    print(f"Key spreaders (PageRank): {', '.join(key_influencers(graph, top=3))}")

    heading("Salience and power-interest (利益相關者)")
    snapshot = classify(graph, at=DECLARED)
    print(f"  {'stakeholder':<18} {'salience':<13} {'group':<11} grid")
    for key in graph.keys:
        salience = snapshot.salience.class_of(key)
        grid = snapshot.power_interest.quadrant_of(key)
        print(
            f"  {key:<18} {salience.value:<13} {salience.group.value:<11} "
            f"{grid.value} ({grid.labels.zh_hant})"
        )

    heading("What to say (SCCT, Coombs 2007)")
    advice = recommend_response(
        CRISIS, history=False, prior_reputation="favourable", serious_harm=True
    )
    posture = advice.posture.value if advice.posture else "base response only"
    print(f"  cluster {advice.cluster.value}, posture: {posture}")
    print(f"  steps: {', '.join(step.labels.en for step in advice.steps)}")
    print(f"  guidelines: {[g.number for g in advice.guidelines]}")

    heading("Communication plan (溝通計劃)")
    plan = plan_communication(
        CRISIS, ResponseLevel.I, graph, at=DECLARED, recommendation=advice
    )
    for step in plan.steps:
        channels = ", ".join(channel.value for channel in step.channels)
        print(
            f"  {step.group:<17} first by {step.first_message_due:%H:%M}  "
            f"{step.owner_role:<18} {channels}"
        )
    print(f"  who hears first: {', '.join(who_hears_first(graph)[:5])} ...")

    heading("Plan check at 10:00")
    as_of = DECLARED + dt.timedelta(hours=1)
    sent: list[SentMessage] = []
    for step in plan.steps:
        times = plan.due_times(step.group, as_of)
        if step.group == "regulators":
            # The legal counsel's first e-mail went out 15 minutes late and
            # did not say when the next update would come.
            late = step.first_message_due + dt.timedelta(minutes=15)
            sent.append(
                SentMessage(group=step.group, channel=Channel.EMAIL, sent_at=late)
            )
            continue
        if step.group == "customers":
            times = times[:2]  # the website notice stopped after 09:30
        for index, moment in enumerate(times):
            upcoming = times[index + 1] if index + 1 < len(times) else None
            sent.append(
                SentMessage(
                    group=step.group,
                    channel=step.channels[0],
                    sent_at=moment,
                    states_next_update_at=upcoming or moment + dt.timedelta(minutes=20),
                )
            )
    check = check_plan(plan, sent, as_of)
    print(f"  {len(sent)} messages sent; findings:")
    for finding in check.findings:
        delay = f" (late by {finding.late_by})" if finding.late_by else ""
        print(f"  {finding.kind.value:<24} {finding.group}{delay}")

    heading("Spread of the negative story (信息傳播速度極快)")
    # Our message reaches buyers, VIP buyers and the KOL before step 1 of the
    # spread (the notice goes up within 10 minutes): they stop passing it on.
    reached_first = Intervention(nodes=["buyers", "vip_buyers", "tea_kol"], step=1)
    comparison = compare_interventions(
        graph, ["angry_buyers"], [reached_first], rng=SEED, runs=RUNS
    )
    without, with_plan = comparison.baseline, comparison.plan
    print(f"  {RUNS:,} runs from the angry buyers, same random draws for both:")
    print(
        f"  without the plan: {without.mean_reach:.2f} stakeholders "
        f"(+/- {without.standard_error:.2f})"
    )
    print(
        f"  with the plan:    {with_plan.mean_reach:.2f} stakeholders "
        f"(+/- {with_plan.standard_error:.2f})"
    )
    print(
        f"  reduction {comparison.mean_reduction:.2f} "
        f"(+/- {comparison.reduction_standard_error:.2f}, paired)"
    )
    for key in ("daily_news", "cyberspace_office", "marketplace", "investors"):
        before = without.probability(key)
        after = with_plan.probability(key)
        print(f"  P({key} hears it): {before:5.1%} -> {after:5.1%}")


if __name__ == "__main__":
    main()
