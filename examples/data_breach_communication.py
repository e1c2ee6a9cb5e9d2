"""The book's data-security case: who to tell, what to say, and how fast it spreads.

Case three of book §5.4 (案例三:數據安全危機應對實踐): after a network attack a
shop faces a leak of customer data. It contains the attack, restores from
backup, investigates the source, and tells its users what happened and what
it is doing (通過發布公告和積極溝通的方式告知用戶情況). Book §5 adds: talk to
internal and external stakeholders sincerely and transparently, because a
small incident spreads fast online. The data all come from the case as
`crisisops.scenarios.data_breach_case` encodes it: a tea shop whose customer
data leaks on 4 May 2026; the story spreads from the angry buyers over the
shop's stakeholder graph, one step a day. This script:

1. drills the case (`BookCase.drill`): the social-listening rule sees the
   mentions rise and the drill declares the crisis; its declaration time and
   level are the ones used below;
2. takes the stakeholder graph the story spreads on (the shock's own) and
   classifies every stakeholder by salience (Mitchell, Agle & Wood 1997) and
   on the power–interest grid (Mendelow 1991);
3. asks Situational Crisis Communication Theory (Coombs 2007) what to say;
4. generates the communication plan: channels, owners, first deadlines and
   update cadence, employees first; then checks it against the messages the
   drill's team sent in its first hour;
5. simulates how the negative story spreads from the angry buyers, with and
   without the plan, on the same random draws, the plan taking effect at the
   first step of the spread after the drill's messages went out; and what a
   day's earlier or later detection would have changed.

Run it with ``python examples/data_breach_communication.py``. Deterministic:
fixed dates and seeds; no clock, no files. With ``--plots DIR`` (needs
``pip install 'crisisops[viz]'``) it also saves, as PNG files there, the
stakeholder graph coloured by salience and by sentiment, and the spread of
the story with and without the plan.
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
import unicodedata
from collections.abc import Sequence

from _plots import plots_directory, save_figures

from crisisops.response import Crisis
from crisisops.scenarios import (
    SHOP_ENTITY,
    BookCase,
    DataBreach,
    DrillReport,
    ShopRun,
    data_breach_case,
)
from crisisops.stakeholders import (
    CommunicationPlan,
    Intervention,
    SentMessage,
    SpreadComparison,
    StakeholderGraph,
    check_plan,
    classify,
    compare_interventions,
    key_influencers,
    plan_communication,
    recommend_response,
    who_hears_first,
)
from crisisops.viz import opinion_spread, stakeholder_graph

SEED = 1  # the shop's draws, the drill's, and the spread's
RUNS = 4_000
WATCHED = ("daily_news", "cyberspace_office", "marketplace", "investors")


def heading(text: str) -> None:
    """Print a section heading, underlined to its width on screen."""
    width = sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
    print(f"\n{text}\n{'-' * width}")


def when(moment: dt.datetime | None) -> str:
    """Format a moment as ``MM-DD HH:MM`` (the shop keeps UTC+8), or ``-``."""
    return "-" if moment is None else f"{moment:%m-%d %H:%M}"


def seconds(span: dt.timedelta) -> dt.timedelta:
    """Round a duration to whole seconds for printing."""
    return dt.timedelta(seconds=round(span.total_seconds()))


def breach_of(case: BookCase) -> DataBreach:
    """Return the case's shock, which for case three is a `DataBreach`."""
    shock = case.shock
    assert isinstance(shock, DataBreach)  # noqa: S101  fixed by the case
    return shock


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


def show_drill(case: BookCase, run: ShopRun, report: DrillReport) -> Crisis:
    """Print what the drill saw and did; return its crisis."""
    breach = breach_of(case)
    heading(f"The case's drill (seed {SEED})")
    truth = breach.ground_truth(case.profile)
    skus = [entity for entity in truth.entities if entity != SHOP_ENTITY]
    print(
        f"  {truth.shock}: {truth.kind} from {truth.onset:%Y-%m-%d} to "
        f"{truth.end:%m-%d}, true type {truth.crisis_type}"
    )
    print(
        f"  it moves {', '.join(truth.drivers)} of all {len(skus)} SKUs; "
        f"the story starts with {', '.join(breach.seeds)}"
    )
    (rule,) = (r for r in case.policy.rules if r.name == "mentions_surge")
    print(f"  rule {rule.name}: {rule.description}")
    start = run.timestamps.index(breach.onset) - 2
    mentions = run.shop_kpis["social.mentions"][0]
    days = " | ".join(
        f"{run.timestamps[i]:%m-%d} {mentions[i]:.0f}" for i in range(start, start + 5)
    )
    print(f"  social.mentions (shop): {days}")
    crisis = report.crises[0]
    first = crisis.origins[0]
    print(
        f"  alert: first breach {first.signal_onset:%m-%d}, fired "
        f"{when(first.detected_at)}; declared Level {crisis.level.value} "
        f"at {when(crisis.declared_at)}"
    )
    summary = report.summary
    (score,) = report.shocks
    lag = score.detection_lag
    adherence = summary.cadence_adherence
    detected = "never" if lag is None else f"after {lag.days} days"
    print(
        f"  drill: detected {detected}, {summary.false_crises} false crises, "
        f"{summary.missed} missed"
    )
    met = "-" if adherence is None else f"{adherence:.0%}"
    print(
        f"  response: {summary.actions_late} of {summary.actions} playbook actions "
        f"late, {met} of update deadlines met"
    )
    return crisis


def show_graph(graph: StakeholderGraph, crisis: Crisis) -> None:
    """Print the graph and where every stakeholder stands at the declaration."""
    print(
        f"\nData-security breach ({crisis.crisis_type}), declared "
        f"{crisis.declared_at:%Y-%m-%d %H:%M} (+08:00) at Level {crisis.level.value}"
    )
    print(f"{len(graph.keys)} stakeholders, {len(graph.influences)} influence arcs")
    print(f"Key spreaders (PageRank): {', '.join(key_influencers(graph, top=3))}")

    heading("Salience and power-interest (利益相關者)")
    snapshot = classify(graph, at=crisis.declared_at)
    print(f"  {'stakeholder':<18} {'salience':<13} {'group':<11} grid")
    for key in graph.keys:
        salience = snapshot.salience.class_of(key)
        grid = snapshot.power_interest.quadrant_of(key)
        print(
            f"  {key:<18} {salience.value:<13} {salience.group.value:<11} "
            f"{grid.value} ({grid.labels.zh_hant})"
        )


def make_plan(graph: StakeholderGraph, crisis: Crisis) -> CommunicationPlan:
    """Print the SCCT advice and the plan it leads to; return the plan."""
    heading("What to say (SCCT, Coombs 2007)")
    advice = recommend_response(
        crisis.crisis_type,
        history=False,
        prior_reputation="favourable",
        serious_harm=True,
    )
    posture = advice.posture.value if advice.posture else "base response only"
    print(f"  cluster {advice.cluster.value}, posture: {posture}")
    print(f"  steps: {', '.join(step.labels.en for step in advice.steps)}")
    print(f"  guidelines: {[g.number for g in advice.guidelines]}")

    heading("Communication plan (溝通計劃)")
    plan = plan_communication(
        crisis.crisis_type,
        crisis.level,
        graph,
        at=crisis.declared_at,
        recommendation=advice,
    )
    for step in plan.steps:
        channels = ", ".join(channel.value for channel in step.channels)
        print(
            f"  {step.group:<17} first by {step.first_message_due:%H:%M}  "
            f"{step.owner_role:<18} {channels}"
        )
    print(f"  who hears first: {', '.join(who_hears_first(graph)[:5])} ...")
    return plan


def check_first_hour(plan: CommunicationPlan, crisis: Crisis) -> None:
    """Check the plan against the messages the drill's team really sent."""
    as_of = crisis.declared_at + dt.timedelta(hours=1)
    heading(f"Plan check at {as_of:%H:%M}, one hour in")
    # The drill's owners aim 15 minutes before each deadline and slip by an
    # exponential delay (mean 10 minutes): some messages are late. Every
    # update of theirs says when the next one comes.
    sent = [
        SentMessage(
            group=message.audience,
            channel=message.channel,
            sent_at=message.at,
            states_next_update_at=message.next_update_at,
            final=message.final,
        )
        for message in crisis.communications
        if message.at <= as_of
    ]
    check = check_plan(plan, sent, as_of)
    print(f"  {len(sent)} messages sent; findings:")
    for finding in check.findings:
        late = finding.late_by
        delay = f" (late by {seconds(late)})" if late else ""
        print(f"  {finding.kind.value:<24} {finding.group}{delay}")


def show_spread(
    breach: DataBreach, plan: CommunicationPlan, crisis: Crisis
) -> SpreadComparison:
    """Compare the spread with and without the plan on the same draws."""
    heading("Spread of the negative story (信息傳播速度極快)")
    # Step k of the spread comes k days (`breach.step`) after the onset. We
    # assume a group that has heard from us passes the story on no further
    # (book §5: answer concerns early, 避免不實報道的擴散): from step k, the
    # first step after the group's first message in the drill.
    first_sent: dict[str, dt.datetime] = {}
    for message in crisis.communications:
        first_sent.setdefault(message.audience, message.at)
    reached = [
        Intervention(
            nodes=step.stakeholders,
            step=math.ceil((first_sent[step.group] - breach.onset) / breach.step),
        )
        for step in plan.steps
    ]
    steps = sorted({item.step for item in reached})
    print(
        f"  the drill's messages take effect from step "
        f"{', '.join(map(str, steps))} ({when(breach.onset + steps[0] * breach.step)})"
    )
    # The same graph, seeds and cascade model as the case's shock.
    comparison = compare_interventions(
        breach.stakeholders,
        breach.seeds,
        reached,
        rng=SEED,
        runs=RUNS,
        model=breach.model,
    )
    without, with_plan = comparison.baseline, comparison.plan
    origin = ", ".join(breach.seeds)
    print(f"  {RUNS:,} runs from {origin}, same random draws for both:")
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
    for key in WATCHED:
        before = without.probability(key)
        after = with_plan.probability(key)
        print(f"  P({key} hears it): {before:5.1%} -> {after:5.1%}")

    # The drill declared its crisis 2 h after the alert and sent its first
    # messages within the hour: detected d days after the onset, the plan
    # takes effect from step d + 1. The rule needs two days above its bound,
    # so d >= 1 and step 2 is the earliest this rule set allows.
    print("  if the whole plan took effect from step k (detected k - 1 days in):")
    everyone = list(breach.stakeholders.keys)
    for step in (2, 3, 4):
        other = compare_interventions(
            breach.stakeholders,
            breach.seeds,
            [Intervention(nodes=everyone, step=step)],
            rng=SEED,
            runs=RUNS,
            model=breach.model,
        )
        mark = "  <- this drill" if [step] == steps else ""
        print(f"    k = {step}: {other.plan.mean_reach:.2f} stakeholders{mark}")
    return comparison


def main(argv: Sequence[str] | None = None) -> None:
    """Drill the breach, plan its communication and print what the team reads."""
    plots = plots_directory(argv, __doc__)
    case = data_breach_case()
    breach = breach_of(case)
    show_case(case)
    run = case.simulate(seed=SEED)
    report = case.drill(seed=SEED, run=run)
    crisis = show_drill(case, run, report)
    graph = breach.stakeholders
    show_graph(graph, crisis)
    plan = make_plan(graph, crisis)
    check_first_hour(plan, crisis)
    comparison = show_spread(breach, plan, crisis)
    if plots is not None:
        save_figures(
            plots,
            {
                "breach_salience.png": stakeholder_graph(graph, colour_by="salience"),
                "breach_sentiment.png": stakeholder_graph(graph, colour_by="sentiment"),
                "breach_spread.png": opinion_spread(comparison),
            },
        )


if __name__ == "__main__":
    main()
