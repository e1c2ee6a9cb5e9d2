"""Quickstart: one crisis through the whole loop, from the first signal to re-tuning.

Run it with ``python examples/quickstart.py``. The story is the book's first
case study (§5.4 案例一:庫存危機應對實踐): in its peak season a shop runs
out of stock. The shop is the default synthetic shop of
`crisisops.scenarios` (`inventory_case`): 50 SKUs, six suppliers, a year of
daily KPIs with the 618 and Double 11 peaks. On 20 October a fire stops
``supplier-01`` for four weeks, three weeks before Double 11.

Each step is one stage of the book and one package of crisisops:

1. **Warning** (§3 危機預警, `crisisops.monitoring`): trigger rules are
   calibrated on eight weeks of history (mean ± 4σ per KPI) and evaluated
   over the year; the stock-out rule fires.
2. **Assessment** (§4 分析危機原因和影響範圍, `crisisops.risk` network,
   `crisisops.scenarios`): which SKUs the failed supplier feeds and how
   much of the shop's GMV they make.
3. **Strategy** (§4 成立危機應對小組, 制定應急預案, `crisisops.planning`): the
   crisis is declared from the alert (`crisisops.response`), the team is
   assembled from the roster and the inventory playbook becomes a dated
   action plan.
4. **Communication** (§5 保持溝通, `crisisops.stakeholders`): the plan says
   who hears first, on which channel, how often; the updates are sent.
5. **Execution** (§5 執行, `crisisops.response`): the actions run (one
   slips: the suppliers are slow before Double 11), the crisis is
   contained, recovers and is resolved; response metrics.
6. **Review** (§6 復盤, `crisisops.review`): lessons and improvement
   actions; the crisis is marked reviewed.
7. **Re-tuning** (§3 定期調整, §6 持續改進): the reviewed crisis is the
   ground truth for a proposal to re-fit the triggers, checked by replaying
   the year.

Deterministic: fixed dates and seeds, no clock, no files; about 3 seconds.
With ``--plots DIR`` (needs ``pip install 'crisisops[viz]'``) it also saves
figures there as PNG: the KPI that fired, with its calibrated bound and the
alert, and the crisis timeline (the actions as a Gantt chart, the critical
path, the response level), whole and zoomed on the first days.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from _plots import plots_directory, save_figures

import crisisops
from crisisops import ResponseLevel, default_catalog, from_data, to_data
from crisisops.monitoring import (
    Alert,
    Below,
    BoundSpec,
    Calibrated,
    Consecutive,
    MeanSigma,
    Raw,
    Side,
    Threshold,
    ThresholdSet,
    Tier,
    TriggerRule,
    calibrate,
    evaluate,
)
from crisisops.planning import assemble_team, default_playbooks
from crisisops.response import Crisis, Origin, cadence_adherence, measure
from crisisops.review import (
    ImprovementAction,
    ImprovementKind,
    Lesson,
    LessonKind,
    LessonTheme,
    Review,
    close_crisis,
    retune,
)
from crisisops.scenarios import (
    SHOP_ENTITY,
    BookCase,
    ShopRun,
    SupplierOutage,
    default_drill_roster,
    inventory_case,
)
from crisisops.stakeholders import (
    CommunicationPlan,
    UpdateCadence,
    plan_communication,
)
from crisisops.viz import crisis_timeline, kpi_chart

SEED = 2026
WARMUP_DAYS = 56
MINUTE = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)


# --- printing helpers -----------------------------------------------------------------


def width(text: str) -> int:
    """Count terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """Print an aligned table, indented by two spaces."""
    widths = [
        max(width(str(row[i])) for row in (headers, *rows)) for i in range(len(headers))
    ]
    for number, row in enumerate((headers, *rows)):
        cells = [
            str(cell) + " " * (w - width(str(cell)))
            for cell, w in zip(row, widths, strict=True)
        ]
        print("  " + "  ".join(cells).rstrip())
        if number == 0:
            print("  " + "  ".join("-" * w for w in widths))


def when(moment: dt.datetime | None) -> str:
    """Format a moment as ``10-20 09:30``; ``-`` when there is none."""
    return "-" if moment is None else f"{moment:%m-%d %H:%M}"


def span(length: dt.timedelta | None) -> str:
    """Format a duration in days and hours, e.g. ``13 d 2 h``."""
    if length is None:
        return "-"
    days, rest = divmod(round(length / HOUR), 24)
    if days and rest:
        return f"{days} d {rest} h"
    return f"{days} d" if days else f"{rest} h"


def heading(number: int, text: str) -> None:
    """Print a numbered section heading."""
    print(f"\n{number}. {text}")


# --- 1. warning -----------------------------------------------------------------------


def warn(case: BookCase, run: ShopRun) -> tuple[ThresholdSet, Alert]:
    """Calibrate the case's rules on the warm-up weeks, evaluate, return the alert."""
    panel = run.panel().select(entities=[SHOP_ENTITY])
    warm_end = run.timestamps[WARMUP_DAYS]
    thresholds = calibrate(panel.slice(end=warm_end), case.policy.bounds, version="v1")
    evaluation = evaluate(case.policy.rules, panel.slice(start=warm_end), [thresholds])
    heading(1, "Warning: trigger rules on the shop's KPIs (§3 關鍵指標監控)")
    print(
        f"  bounds fitted on {when(run.timestamps[0])[:5]} – "
        f"{when(warm_end - DAY)[:5]}, threshold set {thresholds.version}:"
    )
    table(
        ["rule", "bound", "fires when"],
        [
            [
                rule.name,
                f"{float(thresholds.bound(spec.name)[0]):.4g}",
                rule.description,
            ]
            for rule, spec in zip(case.policy.rules, case.policy.bounds, strict=True)
        ],
    )
    print()
    print(f"  {len(evaluation.alerts)} alert(s) over the rest of the year:")
    table(
        ["alert", "type", "level", "first breach", "fired", "value"],
        [
            [
                f"{a.rule} #{a.episode}",
                a.crisis_type,
                a.level.name if a.level else "-",
                when(a.first_breach_at),
                when(a.fired_at),
                f"{a.evidence.observed:.3f} > {a.evidence.bound:.3f}",
            ]
            for a in evaluation.alerts
        ],
    )
    return thresholds, evaluation.alerts[0]


# --- 2. assessment --------------------------------------------------------------------


def assess(case: BookCase, run: ShopRun, alert: Alert) -> str:
    """Print who is cut off and what share of GMV they make; return the summary."""
    truth = run.ground_truth[0]
    skus = [entity for entity in truth.entities if entity != SHOP_ENTITY]
    gmv = run.panel().metric_values("sales.gmv")
    before = slice(
        case.profile.timestamps.index(truth.onset) - 28,
        case.profile.timestamps.index(truth.onset),
    )
    columns = [run.entities.index(sku) for sku in skus]
    share = gmv[before][:, columns].sum() / gmv[before][:, -1].sum()
    heading(2, "Assessment: cause and reach (§4 分析危機原因和影響範圍)")
    supplier = truth_supplier(case)
    print(
        f"  the alert's signal began {when(alert.first_breach_at)[:5]}; the cause: "
        f"{supplier} stopped on {when(truth.onset)[:5]}"
    )
    print(
        f"  {len(skus)} of {case.profile.assortment.size} SKUs buy from it; they made "
        f"{share:.0%} of GMV in the four weeks before"
    )
    return f"{len(skus)} SKUs cut off from their main supplier, {share:.0%} of GMV"


# --- 3. strategy ----------------------------------------------------------------------


def truth_supplier(case: BookCase) -> str:
    """Return the supplier the case's outage stops."""
    outage = case.shock
    assert isinstance(outage, SupplierOutage)  # noqa: S101  case one is an outage
    (supplier,) = outage.failed
    return supplier


def declare(
    alert: Alert, impact: str, onset: dt.datetime
) -> tuple[Crisis, dict[str, str]]:
    """Declare the crisis from the alert, staff it, confirm it, activate the playbook.

    The assessment found when the supplier stopped: that is when the impact
    started, two weeks before the alert's own signal.
    """
    declared = alert.fired_at + 9 * HOUR  # the morning after the overnight alert
    level = alert.level or ResponseLevel.III  # the tier that fired
    team = assemble_team(alert.crisis_type, level, default_drill_roster(), at=declared)
    lead = team.lead or "mei"
    crisis = Crisis.declare(
        "stockout_2026_11",
        title="Stock-outs before Double 11",
        crisis_type=alert.crisis_type,
        level=level,
        at=declared,
        actor=lead,
        lead=lead,
        origins=[Origin.from_alert(alert)],
        impact_started_at=onset,
        summary=impact,
    )
    holders = {lead: "crisis_lead"}
    for role, members in team.assignments.items():
        for member in members:
            if member != lead:
                crisis = crisis.assign_role(role, member, at=declared, actor=lead)
                holders.setdefault(member, role)
    crisis = crisis.confirm(
        at=declared + HOUR, actor=lead, root_cause="supplier-01 stopped by a fire"
    )
    (playbook,) = default_playbooks().defaults_for(
        default_catalog()[crisis.crisis_type]
    )
    owners = {role: members[0] for role, members in team.assignments.items()}
    crisis = crisis.activate_playbook(
        playbook, at=declared + HOUR, actor=lead, owners=owners
    )
    heading(3, "Strategy: team and action plan (§4 成立危機應對小組, 應急預案)")
    print(
        f"  declared {when(declared)}, Level {crisis.level.name} "
        f"({crisis.level.labels.zh_hant}), lead {lead}; playbook {playbook.key} "
        f"({playbook.labels.zh_hant})"
    )
    table(["member", "role"], [[member, role] for member, role in holders.items()])
    print()
    table(
        ["action", "owner", "after", "due", "critical"],
        [
            [
                action.key.split(".", 1)[1],
                action.owner,
                ", ".join(d.split(".", 1)[1] for d in action.depends_on) or "-",
                when(action.due_at),
                "yes" if action.critical else "",
            ]
            for action in crisis.actions
        ],
    )
    return crisis, owners


# --- 4. communication -----------------------------------------------------------------


def communicate(case: BookCase, crisis: Crisis) -> CommunicationPlan:
    """Plan who hears what, when and how often, and print the plan."""
    plan = plan_communication(
        crisis.crisis_type,
        crisis.level,
        case.policy.stakeholders,
        at=crisis.declared_at,
        internal_cadence=UpdateCadence(first_within=HOUR, every=DAY),
        external_cadence=UpdateCadence(first_within=4 * HOUR, every=2 * DAY),
    )
    heading(4, "Communication: who hears what, when (§5 保持與利益相關者的溝通)")
    table(
        ["group", "channel", "owner role", "first message", "then every"],
        [
            [
                step.group,
                step.channels[0].value,
                step.owner_role,
                when(step.first_message_due),
                span(step.cadence.every),
            ]
            for step in plan.steps
        ],
    )
    return plan


# --- 5. execution ---------------------------------------------------------------------


def execute(
    crisis: Crisis, plan: CommunicationPlan, owners: dict[str, str], alert: Alert
) -> Crisis:
    """Run the actions and the updates in time order, then close the crisis."""
    lead = crisis.lead
    start = crisis.last_event_at
    # Every step takes its planned time, except that the suppliers, busy
    # before Double 11, take three times as long to answer.
    slow = {"contact_suppliers": 3}
    finish: dict[str, dt.datetime] = {}
    timeline: list[tuple[dt.datetime, int, str, dict[str, object]]] = []
    (playbook,) = (p for p in default_playbooks() if p.key in crisis.playbooks)
    for step in playbook.steps:
        begin = max([start, *(finish[d] for d in step.depends_on)])
        finish[step.key] = begin + step.duration * slow.get(step.key, 1)
        key = f"{playbook.key}.{step.key}"
        actor = owners.get(step.owner_role, lead)
        timeline.append((begin, 1, "start_action", {"key": key, "actor": actor}))
        timeline.append(
            (finish[step.key], 0, "complete_action", {"key": key, "actor": actor})
        )
    assert alert.resolved_at is not None  # noqa: S101  the stock comes back in the story
    resolved = alert.resolved_at + DAY
    for group in plan.steps:
        moment = max(group.first_message_due - 15 * MINUTE, start)
        while moment < resolved:
            timeline.append(
                (
                    moment,
                    2,
                    "record_communication",
                    {
                        "actor": owners.get(group.owner_role, lead),
                        "audience": group.group,
                        "channel": group.channels[0],
                        "internal": group.internal,
                        "summary": f"Update to {group.group}",
                        "next_update_at": plan.next_update_due(group.group, moment),
                    },
                )
            )
            moment = plan.next_update_due(group.group, moment) - 15 * MINUTE
    # Contained when the stock-out rate is back under its bound, recovered
    # and resolved a day later.
    for at, command, summary in (
        (alert.resolved_at, "mark_contained", "stock-out rate back under its bound"),
        (resolved - HOUR, "mark_recovered", "shelves restocked"),
        (resolved, "resolve", "supplier back, stock rebuilt"),
    ):
        timeline.append((at, 3, command, {"actor": lead, "summary": summary}))
    for at, _rank, command, arguments in sorted(timeline, key=lambda item: item[:2]):
        crisis = getattr(crisis, command)(at=at, **arguments)
    metrics = measure(crisis, as_of=resolved, plan=plan)
    heading(5, "Execution: actions, updates, resolution (§5 執行危機應對策略)")
    table(
        ["action", "owner", "due", "done", ""],
        [
            [
                action.key.split(".", 1)[1],
                action.owner,
                when(action.due_at),
                when(action.completed_at),
                "late"
                if action.completed_at and action.completed_at > action.due_at
                else "on time",
            ]
            for action in crisis.actions
        ],
    )
    print()
    table(
        ["measure", "value"],
        [
            ["time to detect (impact → alert)", span(metrics.time_to_detect)],
            ["time to contain (declared → contained)", span(metrics.time_to_contain)],
            ["time to resolve (declared → resolved)", span(metrics.time_to_resolve)],
            [
                "actions on time",
                f"{metrics.on_time_rate:.0%}"
                if metrics.on_time_rate is not None
                else "-",
            ],
            ["updates sent", str(len(crisis.communications))],
            [
                "update cadence met",
                f"{cadence_adherence(crisis, plan, as_of=resolved):.0%}",
            ],
        ],
    )
    return crisis


# --- 6. review -----------------------------------------------------------------------

# (key, kind, theme, finding, improvement kind or None, improvement title)
LESSONS = (
    (
        "detected_late",
        LessonKind.WENT_POORLY,
        LessonTheme.DATA_MONITORING,
        "The stock-out rule saw the fire only when shelves were empty, {lag} later.",
        ImprovementKind.DETECT,
        "Watch days of cover, not only stock-outs",
    ),
    (
        "suppliers_slow",
        LessonKind.WENT_POORLY,
        LessonTheme.SPEED,
        "Contacting the suppliers took three times its plan: they were busy too.",
        ImprovementKind.PROCESS,
        "Agree emergency allocations with suppliers before each peak season",
    ),
    (
        "single_source",
        LessonKind.WENT_POORLY,
        LessonTheme.FLEXIBILITY,
        "A fifth of GMV hung on one supplier (§2.3 多元化供應鏈管理).",
        ImprovementKind.PREVENT,
        "Qualify a second supplier for supplier-01's SKUs",
    ),
    (
        "updates_kept",
        LessonKind.WENT_WELL,
        LessonTheme.COMMUNICATION,
        "Staff and customers heard from us on time, every time.",
        None,
        "",
    ),
)


def review_crisis(crisis: Crisis, run: ShopRun) -> tuple[Crisis, Review]:
    """Draft, fill, approve and close the review; mark the crisis reviewed."""
    lead = crisis.lead
    at = crisis.last_event_at + 2 * DAY
    resolved = crisis.milestones.resolved
    assert resolved is not None  # noqa: S101  the crisis was resolved above
    review = Review.draft(
        crisis,
        key="review_stockout_2026_11",
        at=at,
        owner=lead,
        summary="Stock-outs before Double 11 after a fire at supplier-01.",
        impact=crisis.origins[0].summary,
    )
    lag = span(
        crisis.origins[0].detected_at - run.ground_truth[0].onset
        if crisis.origins[0].detected_at
        else None
    )
    for key, kind, theme, text, improvement, title in LESSONS:
        lesson = Lesson(key=key, kind=kind, theme=theme, text=text.format(lag=lag))
        review = review.add_lesson(lesson, at=at, actor=lead)
        if improvement is not None:
            action = ImprovementAction(
                key=f"improve_{key}",
                title=title,
                kind=improvement,
                owner=lead,
                created_at=at,
                due_at=at + 30 * DAY,
                lesson=key,
            )
            review = review.add_improvement(action, at=at, actor=lead)
    review = review.submit(at=at + HOUR, actor=lead)
    review = review.approve(at=at + 2 * HOUR, actor="mei")
    review = review.close(at=at + 3 * HOUR, actor=lead)
    crisis = close_crisis(crisis, review)
    heading(6, "Review: what we learned (§6 復盤與經驗總結)")
    print(f"  review {review.key}: {review.status.value}; crisis {crisis.status.value}")
    improvements = {item.lesson: item for item in review.improvements}
    table(
        ["lesson", "theme", "finding", "improvement"],
        [
            [
                f"{lesson.kind.value}",
                lesson.theme.labels.zh_hant,
                lesson.text,
                improvements[lesson.key].kind.value
                if lesson.key in improvements
                else "-",
            ]
            for lesson in review.lessons
        ],
    )
    return crisis, review


# --- 7. re-tuning ---------------------------------------------------------------------


def retune_triggers(
    case: BookCase, run: ShopRun, thresholds: ThresholdSet, review: Review
) -> None:
    """Propose new thresholds with the review as ground truth, and print why."""
    panel = run.panel().select(entities=[SHOP_ENTITY])
    through = review.last_at
    proposal = retune(
        case.policy.rules,
        [review],
        panel.slice(end=through + DAY),
        specs=case.policy.bounds,
        current=thresholds,
        through=through,
        version="v2",
    )
    heading(7, "Re-tuning the triggers (§3 定期調整觸發點, §6 持續改進)")
    print(
        f"  proposal {proposal.current_version} → {proposal.version}, replaying "
        f"{when(proposal.replay_start)[:5]} – {when(proposal.replay_end)[:5]} "
        "with the review as the ground truth (nothing changes until accepted):"
    )
    table(
        ["rule", "decision", "bound", "alerts", "caught", "delay"],
        [
            [
                change.rule,
                change.decision.value,
                " ".join(
                    f"{float(thresholds.bound(name)[0]):.4g} → "
                    f"{float(proposal.proposed.bound(name)[0]):.4g}"
                    for name in change.bounds
                ),
                f"{change.before.alerts} → {change.after.alerts}",
                f"{len(change.before.caught)} → {len(change.after.caught)}",
                f"{span(change.before.mean_delay)} → {span(change.after.mean_delay)}",
            ]
            for change in proposal.rules
        ],
    )
    for change in proposal.rules:
        if change.decision.value != "keep" or change.before.caught:
            print(f"  {change.rule}: {change.reason}")


def try_new_indicator(run: ShopRun, review: Review) -> None:
    """Try the review's DETECT improvement: days of cover, per SKU, on the same year."""
    panel = run.panel()
    warm_end = run.timestamps[WARMUP_DAYS]
    spec = BoundSpec(
        name="cover_low",
        metric="supply.inventory_days_of_cover",
        method=MeanSigma(4.0, side=Side.LOWER),
    )
    rule = TriggerRule(
        name="cover_low",
        crisis_type="supply_chain.peak_season_stockout",
        tiers=[
            Tier(
                ResponseLevel.III,
                Threshold(
                    signal=Raw(spec.metric), predicate=Below(Calibrated(spec.name))
                ),
            )
        ],
        persistence=Consecutive(3),
    )
    fitted = calibrate(panel.slice(end=warm_end), [spec], version="candidate")
    alerts = evaluate([rule], panel.slice(start=warm_end), [fitted]).alerts
    truth = run.ground_truth[0]
    true = [
        a
        for a in alerts
        if a.entity in truth.entities and truth.onset <= a.first_breach_at < truth.end
    ]
    first = min(a.fired_at for a in true)
    item = review.improvement("improve_detected_late")
    print()
    print(f"  {item.key} ({item.kind.value}): {item.title}. Tried on the same year,")
    print(
        f"  days of cover below mean - 4σ, per SKU, 3 days running, fires on "
        f"{when(first)[:5]} ({span(crisis_alert_gap(first, review))} before the "
        f"stock-out rule) on {len({a.entity for a in true})} cut-off SKUs,"
    )
    print(
        f"  but also {len(alerts) - len(true)} times on other SKUs over the year: "
        "earlier, noisier; the team decides."
    )


def crisis_alert_gap(first: dt.datetime, review: Review) -> dt.timedelta:
    """How much earlier ``first`` is than the reviewed crisis's detection."""
    detected = review.milestones.detected
    assert detected is not None  # noqa: S101  the crisis came from an alert
    return detected - first


def save_plots(
    directory: Path,
    case: BookCase,
    run: ShopRun,
    warning: tuple[ThresholdSet, Alert],
    crisis: Crisis,
) -> None:
    """Save the KPI chart of the alert and the crisis timeline as PNG files."""
    thresholds, alert = warning
    spec = dict(
        zip((r.name for r in case.policy.rules), case.policy.bounds, strict=True)
    )[alert.rule]
    figures = {
        "quickstart_kpi.png": kpi_chart(
            run.panel().select(entities=[SHOP_ENTITY]),
            spec.metric,
            SHOP_ENTITY,
            alerts=[alert],
            thresholds=thresholds,
            bounds=[spec.name],
        ),
        "quickstart_timeline.png": crisis_timeline(crisis),
        # The same crisis, zoomed on the first days, when the actions ran.
        "quickstart_actions.png": crisis_timeline(
            crisis,
            window=(
                crisis.declared_at - 3 * HOUR,
                max(a.completed_at or a.due_at for a in crisis.actions) + 6 * HOUR,
            ),
        ),
    }
    save_figures(directory, figures)


def main(argv: Sequence[str] | None = None) -> None:
    """Run the whole loop and print the story (and save the figures if asked)."""
    plots = plots_directory(argv, __doc__)
    case = inventory_case()
    run = case.simulate(seed=SEED)
    truth = run.ground_truth[0]
    print(
        f"crisisops {crisisops.__version__} quickstart: {case.section} "
        f"{case.labels.zh_hant} ({case.labels.en})"
    )
    print(
        f"  the shop: {case.profile.assortment.size} SKUs, {case.profile.periods} "
        f"days from {case.profile.start.date()}; the shock: {truth.kind} from "
        f"{when(truth.onset)[:5]} to {when(truth.end)[:5]}"
    )
    thresholds, alert = warn(case, run)
    impact = assess(case, run, alert)
    crisis, owners = declare(alert, impact, truth.onset)
    plan = communicate(case, crisis)
    crisis = execute(crisis, plan, owners, alert)
    crisis, review = review_crisis(crisis, run)
    retune_triggers(case, run, thresholds, review)
    try_new_indicator(run, review)
    document = to_data(crisis)
    print()
    print(
        f"The crisis is a log of {len(crisis.events)} events; to_data gives "
        f"{len(json.dumps(document)):,} characters of JSON for a shop backend, "
        f"and from_data rebuilds it: {from_data(Crisis, document) == crisis}."
    )
    if plots is not None:
        save_plots(plots, case, run, (thresholds, alert), crisis)


if __name__ == "__main__":
    main()
