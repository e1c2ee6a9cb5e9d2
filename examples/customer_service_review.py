"""A customer-service crisis reviewed with data; its late trigger re-tuned (book §6).

Run it with ``python examples/customer_service_review.py``. The book's fourth
case study (§5.4 案例四:客戶服務危機應對實踐) reads:

    某電商企業在客戶服務環節出現問題時,迅速意識到危機的嚴重性。企業立即優化客戶
    服務流程,增加客服人員配備,加強培訓提升服務水平;同時積極收集客戶反饋意見,
    針對問題制定改進措施。此外,企業還通過社交媒體和客服渠道與用戶進行互動溝通,
    及時回應關切,有效緩解了客戶服務危機帶來的負面影響。

    (When its customer service failed, an e-commerce business quickly saw how
    serious the crisis was. It streamlined the service process, added agents
    and training, collected customer feedback and set improvements for each
    problem, and answered users on social media and its service channels.)

Book §6 (后期復盤與經驗總結) then asks what the handling achieved and what to
learn from it. This script tells both halves on the book case's own data,
`crisisops.scenarios.customer_service_case`: a small-appliance shop in
Hangzhou (50 SKUs) whose helpdesk moved to a new outsourced vendor on Monday
13 April 2026. Chat and e-mail tickets landed in a queue nobody watched: the
share of badly served orders climbed to 15% over three days, stayed there
until the vendor fixed the routing on 4 May and eased over the next week.

1. The case's shop, simulated with a fixed seed: 2 February – 31 May, daily,
   its shop row. Two of the case's rules watch it, with bounds fitted on the
   case's eight-week warm-up (2 February – 29 March): ``complaint_surge``
   (the case's mean + 4σ, three days in a row: it fired on 16 April, three
   days after the switch, as the first day's complaints stayed under the
   bound) and ``negative_reviews_up`` at the shop's own mean + 1σ (too
   tight: false alarms on 1 and 7 April, then ignored when it fired on the
   switch's first day). One line sums up the case's drill on the same data
   with the case's own policy.
2. The two false alarms are declared and dismissed; the crisis is declared
   from the complaint alert and run with the ``service_recovery`` playbook
   (add agents, streamline the process, retrain, collect feedback, answer in
   public), escalated, contained when the vendor's routing fix went live,
   de-escalated and resolved. Its loss is the coupons: one per complaint.
3. Its `Review` (§6): drafted from the crisis, root and contributing causes
   from a `CauseAnalysis`, lessons (went well / poorly / lucky, by the book's
   five themes), typed improvement actions with owners and due dates, sent
   back once, approved and closed; the crisis is marked reviewed.
4. The evaluation: before / during / after KPI table with a weekday baseline,
   loss areas, recovery times and permutation p-values (the failure moved
   complaints, negative reviews and the rating; sales held); goals against
   results and response speed; stakeholder feedback; trigger quality.
5. The re-tuning proposal for both triggers, with before/after numbers and
   reasons — accepted explicitly at the end, never applied by itself.

Deterministic: fixed times and seeds; no clock, no files. With ``--plots DIR``
(needs ``pip install 'crisisops[viz]'``) it also saves figures there as PNG:
the review's before/after chart of the KPIs the failure moved (and of GMV,
which held), and each rule's KPI with its bound and alerts: the daily
complaints, whose rule fired three days after the switch, and the
negative-review rate under its too-tight bound, with its false alarms and
its firing on the switch's first day.
"""

from __future__ import annotations

import datetime as dt
import math
import textwrap
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from _plots import plots_directory, save_figures

from crisisops.labels import Labels
from crisisops.monitoring import (
    Alert,
    BoundSpec,
    MeanSigma,
    Panel,
    Side,
    ThresholdSet,
    TriggerRule,
    calibrate,
    default_metrics,
    evaluate,
)
from crisisops.monitoring import Direction as Good
from crisisops.planning import Cause, CauseAnalysis, CauseFamily, default_playbooks
from crisisops.response import (
    Crisis,
    FeedbackChannel,
    LossCategory,
    Origin,
    RateCard,
)
from crisisops.review import (
    RATING_LABELS,
    EvaluationWindow,
    FeedbackSummary,
    GoalReport,
    ImprovementAction,
    ImprovementKind,
    KPIEffect,
    Lesson,
    LessonKind,
    LessonTheme,
    Objective,
    RetuneProposal,
    Review,
    SeasonalBaseline,
    SpeedTarget,
    SpeedTargets,
    StakeholderFeedback,
    TriggerQualityReport,
    Windows,
    close_crisis,
    compare_goals,
    compare_speed,
    evaluate_effects,
    improvement_progress,
    playbook_feedback,
    retune,
    summarize_feedback,
    trigger_quality,
)
from crisisops.scenarios import (
    SHOP_ENTITY,
    BookCase,
    DrillReport,
    ShopRun,
    customer_service_case,
)
from crisisops.stakeholders import Channel
from crisisops.taxonomy import ResponseLevel
from crisisops.viz import before_after, kpi_chart

if TYPE_CHECKING:
    from matplotlib.figure import Figure

#: The book's case 四: the shop, the helpdesk shock and the drill policy.
CASE = customer_service_case()
#: What really happened (the answer key): onset 13 April, end 4 May, every SKU.
TRUTH = CASE.shock.ground_truth(CASE.profile)
SEED = 288  # the case's simulation seed (and the drill's)
HANGZHOU = dt.timezone(dt.timedelta(hours=8))
H = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
COUPON = Decimal(50)  # CNY per complaint


def at(month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    """Return a moment of 2026, Hangzhou time (UTC+08:00)."""
    return dt.datetime(2026, month, day, hour, minute, tzinfo=HANGZHOU)


IMPACT = TRUTH.onset  # Monday 13 April: the helpdesk moved to the new vendor
#: The last day of the case's warm-up (eight weeks from 2 February): the
#: bounds in force are fitted on it, as the case's drill fits its own.
FITTED_THROUGH = CASE.profile.timestamps[CASE.policy.warmup_days - 1]

#: The crisis team and the reviewers: member key -> name (English, 繁體).
TEAM = {
    "mei": "Lin Mei 林美",
    "hao": "Wu Hao 吳浩",
    "lan": "Zhang Lan 張蘭",
    "wei": "Wang Wei 王偉",
    "yu": "Fang Yu 方宇",
    "chen": "Chen Jie 陳傑",
}

RATES = RateCard(
    currency="CNY",
    hourly={
        "crisis_lead": Decimal(400),
        "customer_service": Decimal(150),
        "ops_expert": Decimal(300),
        "marketing_pr": Decimal(250),
        "data_analyst": Decimal(280),
    },
)


# --- 1. the history and the triggers (book §3 關鍵指標監控) ----------------------


def simulate() -> tuple[ShopRun, Panel]:
    """Simulate the case (seeded) and return the run and its shop row as a panel."""
    run = CASE.simulate(seed=SEED)
    return run, run.panel().select(entities=[SHOP_ENTITY])


def reading(history: Panel, metric: str, day: dt.datetime) -> float:
    """Return the shop's ``metric`` on ``day``."""
    return float(history.metric_values(metric)[history.timestamps.index(day), 0])


def daily(history: Panel, metric: str, start: dt.datetime, end: dt.datetime) -> str:
    """Return ``metric`` on the days ``start`` to ``end`` (inclusive): ``13, 19``."""
    values = history.slice(start, end + DAY).metric_values(metric)[:, 0]
    return ", ".join(f"{value:.0f}" for value in values)


def mean(history: Panel, metric: str, start: dt.datetime, end: dt.datetime) -> float:
    """Return the mean of ``metric`` over the days ``start`` to ``end`` (inclusive)."""
    return float(history.slice(start, end + DAY).metric_values(metric).mean())


def total(history: Panel, metric: str, start: dt.datetime, end: dt.datetime) -> int:
    """Return the sum of ``metric`` over the days ``start`` to ``end`` (inclusive)."""
    return round(float(history.slice(start, end + DAY).metric_values(metric).sum()))


def case_rule(name: str) -> TriggerRule:
    """Return one of the case's trigger rules by name."""
    return next(rule for rule in CASE.policy.rules if rule.name == name)


#: The two rules of the case that watch customer feedback: complaints above
#: their calibrated bound three days in a row (crisis type
#: ``other.customer_service_failure``), and the negative-review rate above
#: its bound two days in a row (``product.quality_safety``).
RULES = (case_rule("complaint_surge"), case_rule("negative_reviews_up"))

#: How the two bounds are fitted (book §3 找到合理範圍): the case's own
#: mean + 4σ for complaints; the shop's tighter mean + 1σ for the
#: negative-review rate, meant to catch a quality problem early.
SPECS = (
    next(spec for spec in CASE.policy.bounds if spec.name == "complaint_surge_bound"),
    BoundSpec(
        name="negative_high",
        metric="feedback.negative_review_rate",
        method=MeanSigma(1.0, side=Side.UPPER),
    ),
)


def current_thresholds(history: Panel) -> ThresholdSet:
    """Fit the thresholds in force on the warm-up; valid from 30 March."""
    return calibrate(history, SPECS, version="2026-03", fitted_through=FITTED_THROUGH)


# --- 2. false alarms and the crisis (book §5.4 案例四) ----------------------------


def dismissed(alert: Alert, history: Panel) -> Crisis:
    """Declare a crisis from a negative-review alert and dismiss it the same morning."""
    day = alert.fired_at
    negative = reading(history, "feedback.negative_reviews", day)
    rate = reading(history, "feedback.negative_review_rate", day)
    crisis = Crisis.declare(
        f"negative_reviews_{day:%m%d}",
        title="Negative-review rate above its bound",
        crisis_type=alert.crisis_type,
        level=alert.level or ResponseLevel.IV,
        at=day + 9 * H,
        actor="hao",
        lead="mei",
        origins=[Origin.from_alert(alert)],
    )
    return crisis.dismiss(
        at=day + 11 * H,
        actor="mei",
        reason=(
            f"{negative:.0f} negative reviews of {negative / rate:.0f} "
            f"({rate:.1%}): a small sample; no defect found, service queues normal"
        ),
    )


PLAYBOOK = default_playbooks()["service_recovery"]  # 客戶服務補救預案


def respond(alert: Alert, history: Panel) -> Crisis:
    """Run the crisis from the complaint alert to its resolution (book §5).

    Every figure quoted in the log is read from the case's data.
    """
    complaints = "feedback.complaints"
    usual = mean(history, complaints, CASE.profile.timestamps[0], FITTED_THROUGH)
    crisis = Crisis.declare(
        "helpdesk_0416",
        title="Tickets unanswered after the helpdesk vendor switch",
        crisis_type=alert.crisis_type,
        level=alert.level or ResponseLevel.III,  # the alert's tier
        at=at(4, 16, 9, 30),
        actor="hao",
        lead="mei",
        origins=[Origin.from_alert(alert)],
        impact_started_at=IMPACT,  # complaints have risen since Monday
        rates=RATES,
        summary=(
            f"Complaints {daily(history, complaints, IMPACT, at(4, 15))} on "
            f"13–15 April against about {usual:.0f} a day."
        ),
    )
    for role, member in (
        ("customer_service", "lan"),
        ("ops_expert", "wei"),
        ("marketing_pr", "yu"),
        ("data_analyst", "hao"),
    ):
        crisis = crisis.assign_role(role, member, at=at(4, 16, 9, 35), actor="mei")
    crisis = crisis.confirm(
        at=at(4, 16, 10, 30),
        actor="mei",
        root_cause=(
            "The new vendor's helpdesk routes chat and e-mail tickets to a queue "
            "no agent watches"
        ),
    )
    crisis = crisis.activate_playbook(PLAYBOOK, at=at(4, 16, 10, 45), actor="mei")
    since_monday = total(history, complaints, IMPACT, at(4, 15))
    crisis = crisis.record_feedback(
        at=at(4, 16, 11, 0), actor="lan", channel=FeedbackChannel.ONLINE_SERVICE,
        volume=since_monday, sentiment=-0.55, negative_share=0.68,
        note=f"{since_monday} complaints on 13–15 April",
    )  # fmt: skip
    crisis = crisis.start_action(
        "service_recovery.assess_backlog", at=at(4, 16, 11, 0), actor="lan"
    )
    crisis = crisis.complete_action(
        "service_recovery.assess_backlog", at=at(4, 16, 12, 30), actor="lan",
        note="tickets in the vendor's default queue since 13 April",
    )  # fmt: skip
    for key, owner in (("add_staff", "lan"), ("respond_publicly", "yu")):
        crisis = crisis.start_action(
            f"service_recovery.{key}", at=at(4, 16, 13, 5), actor=owner
        )
    crisis = crisis.record_communication(
        at=at(4, 16, 14, 0), actor="yu", audience="customers",
        channel=Channel.SOCIAL_MEDIA, internal=False,
        summary="We are sorry: our new helpdesk lost messages; every one will "
        "be answered, and every complaint earns a CNY 50 coupon.",
        next_update_at=at(4, 16, 20, 0),
    )  # fmt: skip
    crisis = crisis.record_communication(
        at=at(4, 16, 14, 10), actor="mei", audience="employees",
        channel=Channel.INTERNAL_MEETING, internal=True,
        summary="After-sales agents join the chat queue today.",
        next_update_at=at(4, 17, 9, 0),
    )  # fmt: skip
    crisis = crisis.complete_action(
        "service_recovery.respond_publicly", at=at(4, 16, 15, 0), actor="yu",
        note="apology pinned on the shop page and the service channels",
    )  # fmt: skip
    crisis = crisis.complete_action(
        "service_recovery.add_staff", at=at(4, 16, 17, 30), actor="lan",
        note="after-sales staff empty the unwatched queue by hand twice a day",
    )  # fmt: skip
    crisis = crisis.record_communication(
        at=at(4, 16, 20, 0), actor="yu", audience="customers",
        channel=Channel.SOCIAL_MEDIA, internal=False,
        summary="Every message found in the lost queue today has been answered.",
    )  # fmt: skip
    crisis = crisis.record_communication(
        at=at(4, 17, 9, 0), actor="mei", audience="employees",
        channel=Channel.INTERNAL_MEETING, internal=True,
        summary="The vendor must fix the routing; until then we work its queue.",
    )  # fmt: skip
    for key, owner in (("streamline_process", "wei"), ("collect_feedback", "lan")):
        crisis = crisis.start_action(
            f"service_recovery.{key}", at=at(4, 17, 9, 0), actor=owner
        )
    crisis = crisis.start_action(
        "service_recovery.retrain_agents", at=at(4, 17, 10, 0), actor="lan"
    )
    crisis = crisis.record_loss(
        at=at(4, 17, 16, 0), actor="mei",
        category=LossCategory.REFUNDS_COMPENSATION, amount=Decimal(25_000),
        note="about 25 complaints a day for 20 days, a CNY 50 coupon each",
    )  # fmt: skip
    crisis = crisis.complete_action(
        "service_recovery.collect_feedback", at=at(4, 18, 16, 0), actor="lan",
        note="top 3 problems: no reply, refund status, delivery date",
    )  # fmt: skip
    crisis = crisis.record_feedback(
        at=at(4, 20, 9, 0), actor="hao", channel=FeedbackChannel.DATA_REPORT,
        volume=1,
        kpis={
            metric: reading(history, metric, at(4, 19))
            for metric in (complaints, "feedback.negative_review_rate",
                           "feedback.rating")
        },
        note="19 April: complaints and negative reviews still high",
    )  # fmt: skip
    crisis = crisis.escalate(
        at=at(4, 20, 9, 30),
        actor="mei",
        reason=(
            f"complaints {daily(history, complaints, at(4, 17), at(4, 19))} on "
            "17–19 April, with the extra agents: the routing is still broken"
        ),
    )
    crisis = crisis.complete_action(
        "service_recovery.retrain_agents", at=at(4, 20, 17, 0), actor="lan",
        note="every agent trained on the new helpdesk",
    )  # fmt: skip
    crisis = crisis.complete_action(
        "service_recovery.streamline_process", at=at(5, 4, 17, 0), actor="wei",
        note="the vendor's routing fix is live: every ticket reaches an agent",
    )  # fmt: skip
    crisis = crisis.mark_contained(
        at=at(5, 4, 18, 0),
        actor="mei",
        summary="every ticket routed to an agent since the vendor's fix",
    )
    crisis = crisis.record_communication(
        at=at(5, 4, 20, 0), actor="yu", audience="customers",
        channel=Channel.SOCIAL_MEDIA, internal=False,
        summary="The fault that lost your messages is fixed; coupons are sent.",
        next_update_at=at(5, 7, 20, 0),
    )  # fmt: skip
    crisis = crisis.record_communication(
        at=at(5, 7, 19, 50), actor="yu", audience="customers",
        channel=Channel.SOCIAL_MEDIA, internal=False,
        summary="Replies now come within minutes again.",
    )  # fmt: skip
    crisis = crisis.de_escalate(
        at=at(5, 9, 10, 0),
        actor="mei",
        reason=(
            f"complaints {daily(history, complaints, at(5, 6), at(5, 8))} on "
            "6–8 May: falling since the fix"
        ),
    )
    crisis = crisis.mark_recovered(
        at=at(5, 11, 9, 0),
        actor="mei",
        summary=(
            f"complaints {daily(history, complaints, at(5, 10), at(5, 10))} on "
            f"10 May, about the usual {usual:.0f}"
        ),
    )
    crisis = crisis.record_communication(
        at=at(5, 11, 10, 0), actor="yu", audience="customers",
        channel=Channel.SOCIAL_MEDIA, internal=False,
        summary="Thank you for your patience: service is back to normal.",
        final=True,
    )  # fmt: skip
    crisis = crisis.cancel_action(
        "service_recovery.review_and_drill", at=at(5, 11, 11, 0), actor="mei",
        reason="done as the post-crisis review and its improvement plan",
    )  # fmt: skip
    coupons = total(history, complaints, IMPACT, at(5, 10))
    crisis = crisis.record_loss(
        at=at(5, 11, 11, 30), actor="lan",
        category=LossCategory.REFUNDS_COMPENSATION, amount=coupons * COUPON,
        estimate=False, note=f"{coupons} coupons of CNY 50, one per complaint",
    )  # fmt: skip
    return crisis.resolve(at=at(5, 11, 12, 0), actor="mei", summary="war room closed")


# --- 3. the review (book §6 后期復盤與經驗總結) ------------------------------------

CAUSES = CauseAnalysis(
    crisis_key="helpdesk_0416",
    causes=[
        Cause(
            key="vendor_switch_untested",
            family=CauseFamily.PRODUCT_SERVICE_QUALITY,
            description="The helpdesk moved to a new vendor with no routing test",
            is_root=True,
            contributes_to=["tickets_misrouted"],
        ),
        Cause(
            key="tickets_misrouted",
            family=CauseFamily.TECHNOLOGY_SECURITY,
            description="Chat and e-mail tickets landed in an unwatched queue",
        ),
        Cause(
            key="no_fix_deadline",
            family=CauseFamily.OTHER,
            description="The vendor's contract set no deadline to fix a routing fault",
            is_root=True,
            contributes_to=["slow_fix"],
        ),
        Cause(
            key="slow_fix",
            family=CauseFamily.TECHNOLOGY_SECURITY,
            description="The routing stayed broken for three weeks, until 4 May",
        ),
    ],
)


def lessons(history: Panel, current: ThresholdSet) -> tuple[Lesson, ...]:
    """Return the lessons of the first draft, with the data they rest on."""
    bound = float(current.bound("complaint_surge_bound")[0])
    first_day = reading(history, "feedback.complaints", IMPACT)
    return (
        Lesson(
            key="agents_within_hours",
            kind=LessonKind.WENT_WELL,
            theme=LessonTheme.SPEED,
            text="After-sales agents were answering 8 hours after the crisis "
            "was declared.",
            evidence="add_staff done 16 April 17:30",
        ),
        Lesson(
            key="public_apology",
            kind=LessonKind.WENT_WELL,
            theme=LessonTheme.COMMUNICATION,
            text="The apology and the coupon went out the day the crisis was declared.",
        ),
        Lesson(
            key="late_alert",
            kind=LessonKind.WENT_POORLY,
            theme=LessonTheme.SENSITIVITY,
            text=f"The complaint trigger fired on 16 April, three days after the "
            f"switch: the first day's {first_day:.0f} complaints stayed under its "
            f"bound of {bound:.2f}, and it waits for three days in a row.",
            evidence=(
                f"complaints {daily(history, 'feedback.complaints', IMPACT, at(4, 16))}"
                " on 13–16 April"
            ),
        ),
        Lesson(
            key="untested_switch",
            kind=LessonKind.WENT_POORLY,
            theme=LessonTheme.FLEXIBILITY,
            text="The helpdesk was switched with no routing test and no rollback "
            "plan; the vendor took three weeks to fix the routing.",
        ),
        Lesson(
            key="tickets_kept",
            kind=LessonKind.LUCKY,
            theme=LessonTheme.DATA_MONITORING,
            text="The misrouted tickets were kept, not dropped: every one could be "
            "answered. Nothing checked that.",
        ),
    )


def ignored_alert(alerts: Sequence[Alert]) -> Lesson:
    """Return the lesson the reviewer asked for: the alert nobody acted on."""
    negative = [a.fired_at for a in alerts if a.rule == "negative_reviews_up"]
    before = [str(day.day) for day in negative if day < IMPACT]
    first = min(day for day in negative if day >= IMPACT)
    return Lesson(
        key="ignored_alert",
        kind=LessonKind.WENT_POORLY,
        theme=LessonTheme.DATA_MONITORING,
        text=f"The negative-review trigger fired on {first.day} {first:%B}, the "
        f"switch's first day, and nobody acted: it had raised false alarms on "
        f"{' and '.join(before)} April.",
    )


def improvements(created: dt.datetime) -> tuple[ImprovementAction, ...]:
    """Return the continuous-improvement plan (持續改進計劃): typed, owned, due."""
    untested = "untested_switch"
    return (
        ImprovementAction(
            key="refund_lost_tickets", kind=ImprovementKind.REPAIR,
            title="Answer every order behind a lost ticket",
            owner="lan", created_at=created, due_at=at(5, 15, 18), lesson=untested,
        ),
        ImprovementAction(
            key="vendor_sla", kind=ImprovementKind.INVESTIGATE,
            title="Review the vendor's contract: a deadline to fix routing faults",
            owner="mei", created_at=created, due_at=at(5, 22, 18), lesson=untested,
        ),
        ImprovementAction(
            key="cutover_checklist", kind=ImprovementKind.PROCESS,
            title="Routing test and rollback plan before any helpdesk change",
            owner="wei", created_at=created, due_at=at(5, 29, 18), lesson=untested,
            playbook_step="service_recovery.streamline_process",
        ),
        ImprovementAction(
            key="helpdesk_training", kind=ImprovementKind.TRAINING,
            title="Train every agent on a new tool before go-live",
            owner="lan", created_at=created, due_at=at(5, 29, 18), lesson=untested,
        ),
        ImprovementAction(
            key="unrouted_queue_check", kind=ImprovementKind.PREVENT,
            title="Alert on any queue with tickets older than one hour",
            owner="wei", created_at=created, due_at=at(6, 30, 18),
            lesson="tickets_kept", risk="service_overload",
        ),
        ImprovementAction(
            key="retune_complaint_trigger", kind=ImprovementKind.DETECT,
            title="Re-tune complaint_surge on the crises so far",
            owner="hao", created_at=created, due_at=at(6, 5, 18),
            lesson="late_alert", trigger_rule="complaint_surge",
        ),
    )  # fmt: skip


def retune_negative_action(created: dt.datetime) -> ImprovementAction:
    """Return the action the reviewer asked for: fix the noisy trigger."""
    return ImprovementAction(
        key="retune_negative_trigger",
        title="Re-tune negative_reviews_up so its alerts are trusted again",
        kind=ImprovementKind.DETECT,
        owner="hao",
        created_at=created,
        due_at=at(6, 5, 18),
        lesson="ignored_alert",
        trigger_rule="negative_reviews_up",
    )


def review_crisis(
    crisis: Crisis, history: Panel, current: ThresholdSet, alerts: Sequence[Alert]
) -> Review:
    """Draft, fill, send back, approve and close the crisis's review."""
    complaints = "feedback.complaints"
    before = mean(history, complaints, IMPACT - 28 * DAY, IMPACT - DAY)
    during = mean(history, complaints, at(4, 14), at(5, 3))
    coupons = total(history, complaints, IMPACT, at(5, 10))
    review = Review.draft(
        crisis,
        key="review_helpdesk_0416",
        at=at(5, 12, 10),
        owner="mei",
        summary=(
            "After the helpdesk moved to a new vendor on 13 April, chat and e-mail "
            "tickets went to an unwatched queue until the vendor fixed the routing "
            f"on 4 May; complaints rose from about {before:.0f} to {during:.0f} a "
            "day. Sales held."
        ),
        impact=f"{coupons} complaints from 13 April to 10 May, each with a coupon.",
        causes=CAUSES,
    )
    moment = at(5, 13, 10)
    for lesson in lessons(history, current):
        review = review.add_lesson(lesson, at=moment, actor="mei")
    for action in improvements(moment):
        review = review.add_improvement(action, at=at(5, 13, 11), actor="mei")
    review = review.submit(at=at(5, 13, 15), actor="mei")
    review = review.send_back(
        at=at(5, 14, 10),
        actor="chen",
        note="The negative-review alert of 13 April was ignored: say why, and fix it.",
    )
    review = review.add_lesson(ignored_alert(alerts), at=at(5, 14, 14), actor="mei")
    review = review.add_improvement(
        retune_negative_action(at(5, 14, 14)), at=at(5, 14, 14), actor="mei"
    )
    review = review.submit(at=at(5, 14, 16), actor="mei")
    review = review.complete_improvement(
        "refund_lost_tickets", at=at(5, 15, 9), actor="lan", note="all answered"
    )
    review = review.approve(at=at(5, 15, 10), actor="chen")
    review = review.close(at=at(5, 18, 9), actor="mei")
    review = review.start_improvement("cutover_checklist", at=at(5, 20, 9), actor="wei")
    review = review.complete_improvement(
        "vendor_sla", at=at(5, 21, 17), actor="mei", note="a 24-hour fix deadline"
    )
    review = review.start_improvement("helpdesk_training", at=at(5, 25, 9), actor="lan")
    review = review.complete_improvement(
        "cutover_checklist", at=at(5, 27, 17), actor="wei"
    )
    return review.start_improvement(
        "retune_complaint_trigger", at=at(5, 28, 9), actor="hao"
    )


def review_false_alarm(crisis: Crisis) -> Review:
    """Review a dismissed alert briefly: the trigger is what it reviews."""
    ended = crisis.ended_at or crisis.last_event_at
    review = Review.draft(
        crisis,
        key=f"review_{crisis.key}",
        at=ended + 2 * H,
        owner="hao",
        summary="The negative-review trigger fired on an ordinary day.",
    )
    review = review.add_lesson(
        Lesson(
            key="noisy_trigger",
            kind=LessonKind.WENT_POORLY,
            theme=LessonTheme.DATA_MONITORING,
            text="A mean + 1σ bound fires on ordinary noise.",
        ),
        at=ended + 2 * H,
        actor="hao",
    )
    review = review.submit(at=ended + 3 * H, actor="hao")
    review = review.approve(at=ended + 4 * H, actor="mei")
    return review.close(at=ended + 4 * H, actor="hao")


# --- 4. evaluation (數據分析和效果評估, 對比預期目標與實際效果) ----------------------

KPIS = (
    "sales.gmv",
    "traffic.visits",
    "sales.conversion_rate",
    "feedback.negative_review_rate",
    "feedback.rating",
    "feedback.complaints",
)


def evaluate_kpis(crisis: Crisis, history: Panel) -> tuple[KPIEffect, ...]:
    """Four weeks before, the crisis, the rest of the data after; weekday baseline."""
    windows = Windows.around(
        crisis,
        before=dt.timedelta(days=28),
        after=CASE.profile.end - at(5, 12),  # 12 May to the end of the data
        panel=history,
    )
    return evaluate_effects(
        history, KPIS, windows, baseline=SeasonalBaseline(season=7), rng=SEED
    )


OBJECTIVES = (
    Objective(
        key="gmv_recovery",
        description="GMV after the crisis at 97% of the four weeks before",
        target=0.97,
        direction=Good.HIGHER_IS_BETTER,
        weight=2.0,
        unit="ratio",
        labels=Labels.of("GMV recovery", "銷售額恢復", "销售额恢复"),
    ),
    Objective(
        key="complaints_per_day",
        description="At most 8 complaints a day after the crisis",
        target=8,
        direction=Good.LOWER_IS_BETTER,
        unit="complaints/day",
        labels=Labels.of("Complaints a day", "每日投訴量", "每日投诉量"),
    ),
    Objective(
        key="negative_review_rate",
        description="Negative-review rate back to 7% or less",
        target=0.07,
        direction=Good.LOWER_IS_BETTER,
        unit="ratio",
        labels=Labels.of("Negative-review rate", "負面評價率", "负面评价率"),
    ),
    Objective(
        key="compensation",
        description="Coupons within the CNY 25,000 estimated on 17 April",
        target=25_000,
        direction=Good.LOWER_IS_BETTER,
        unit="CNY",
        labels=Labels.of("Compensation", "補償支出", "补偿支出"),
    ),
)


#: The shop's own response-speed targets (book §6.2 建立快速反應機制), counted
#: from detection except time to detect (impact → detection).
SPEED = SpeedTargets(
    levels={
        ResponseLevel.II: SpeedTarget(
            time_to_detect=dt.timedelta(days=1),
            time_to_acknowledge=2 * H,
            time_to_contain=24 * H,
            time_to_resolve=dt.timedelta(days=5),
        ),
        ResponseLevel.III: SpeedTarget(
            time_to_detect=dt.timedelta(days=2),
            time_to_acknowledge=4 * H,
            time_to_contain=48 * H,
            time_to_resolve=dt.timedelta(days=10),
        ),
    }
)


def compare(effects: Sequence[KPIEffect], review: Review) -> GoalReport:
    """Judge the goals set during the crisis against what the data say."""
    by_metric = {effect.metric: effect for effect in effects}
    loss = review.business_loss
    compensation = (
        None if loss is None else loss.best_known.get(LossCategory.REFUNDS_COMPENSATION)
    )
    return compare_goals(
        OBJECTIVES,
        {
            "gmv_recovery": float(by_metric["sales.gmv"].recovery_ratio[0]),
            "complaints_per_day": float(by_metric["feedback.complaints"].after_mean[0]),
            "negative_review_rate": float(
                by_metric["feedback.negative_review_rate"].after_mean[0]
            ),
            "compensation": None if compensation is None else float(compensation),
        },
    )


def feedback() -> FeedbackSummary:
    """Sum up the survey of customers, agents and the helpdesk vendor."""
    survey = at(5, 20, 12)
    answers = [
        StakeholderFeedback(group="customers", at=survey, rating=r, sentiment=s)
        for r, s in (
            (5, 0.6), (4, 0.4), (4, 0.3), (4, 0.2), (3, 0.0),
            (3, -0.1), (2, -0.4), (5, 0.7), (1, -0.8), (4, 0.3),
        )
    ]  # fmt: skip
    answers += [
        StakeholderFeedback(group="employees", at=survey, rating=r, effort=e)
        for r, e in ((4, 5), (3, 6), (4, 4), (5, 5))
    ]
    answers += [
        StakeholderFeedback(
            group="partners", at=survey, rating=3,
            comment="routing rules were not in the hand-over",
        ),
        StakeholderFeedback(group="partners", at=survey, rating=4),
    ]  # fmt: skip
    return summarize_feedback(answers)


# --- 5. learning: trigger quality and the re-tuning (book §6.4 → §3) ----------


def propose(
    history: Panel, current: ThresholdSet, reviews: Sequence[Review]
) -> RetuneProposal:
    """Propose re-tuned thresholds from the reviews, on the history to 31 May.

    The reviews are the ground truth: a review of a resolved crisis is a
    confirmed crisis, of a dismissed one a false alarm. Only a proposal.
    """
    return retune(
        RULES,
        reviews,
        history,
        specs=SPECS,
        current=current,
        through=history.timestamps[-1],
        version="2026-06",
    )


# --- printing -----------------------------------------------------------------


def width(text: str) -> int:
    """Count terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, columns: int) -> str:
    """Left-align ``text`` in ``columns`` terminal columns."""
    return text + " " * max(columns - width(text), 0)


def when(moment: dt.datetime | None) -> str:
    """Format a moment as ``05-21 09:30``; ``-`` when unknown."""
    return "-" if moment is None else f"{moment:%m-%d %H:%M}"


def hours(span: dt.timedelta | None) -> str:
    """Format a duration as ``33.5 h``; ``-`` when unknown."""
    return "-" if span is None else f"{span.total_seconds() / 3600:.1f} h"


def in_days(span: dt.timedelta | None) -> str:
    """Format a duration in days, e.g. ``3 d`` or ``-1.5 d``; ``-`` when unknown."""
    if span is None:
        return "-"
    value = span.total_seconds() / 86_400
    return f"{value:g} d"


def number(value: float, metric: str) -> str:
    """Format a KPI value: rates as percentages, the rest with separators."""
    if math.isnan(value):
        return "-"
    if metric.endswith("_rate"):
        return f"{value:.2%}"
    if metric == "feedback.rating":
        return f"{value:.2f}"
    return f"{value:,.0f}"


def share(value: float | None) -> str:
    """Format a share as ``66.7%``; ``-`` when undefined."""
    return "-" if value is None else f"{value:.1%}"


def metric_label(metric: str) -> str:
    """Return a metric's 繁體 label, e.g. ``消費者投訴量``."""
    definition = default_metrics().get(metric)
    return metric if definition is None else definition.labels.zh_hant


def print_case(case: BookCase, run: ShopRun) -> None:
    """Print the case's header: section, titles, the book's words, the data."""
    print(f"Book {case.section} {case.labels.zh_hant} · {case.labels.en}")
    for line in textwrap.wrap(case.quote, 38):
        print(f"  {line}")
    for line in textwrap.wrap(f"({case.gloss})", 76):
        print(f"  {line}")
    (truth,) = run.ground_truth
    days = run.timestamps
    print(
        f"Data: {case.key} case simulated with seed {SEED}: {len(days)} days "
        f"{days[0]:%m-%d} – {days[-1]:%m-%d}, {len(run.entities) - 1} SKUs and "
        f"the shop row; shock {truth.shock} ({truth.kind}) "
        f"{when(truth.onset)} – {when(truth.end)}, {truth.crisis_type}"
    )


def print_alerts(alerts: Sequence[Alert], current: ThresholdSet) -> None:
    """List the bounds in force and the alerts they raised."""
    print(
        f"Alerts with the thresholds in force ({current.version}, fitted "
        f"{CASE.profile.timestamps[0]:%m-%d} – {current.fitted_through:%m-%d}, "
        f"valid from {current.valid_from:%m-%d})"
    )
    for spec in SPECS:
        bound = float(current.bound(spec.name)[0])
        k = spec.method.k if isinstance(spec.method, MeanSigma) else math.nan
        value = f"{bound:.2%}" if spec.metric.endswith("_rate") else f"{bound:.2f}"
        print(f"  {spec.name} = {value} (mean + {k:g}σ of {spec.metric})")
    for alert in alerts:
        level = alert.level.value if alert.level is not None else "-"
        print(
            f"  {alert.id:<28} first breach {when(alert.first_breach_at)}  "
            f"fired {when(alert.fired_at)}  Level {level}"
        )


def print_drill(report: DrillReport) -> None:
    """Sum up the case's own drill of the same run in one line."""
    summary = report.summary
    kinds = ", ".join(score.crisis_type for score in report.scores)
    print(
        f"The case's drill on the same data (its own rules, every bound at mean "
        f"+ {report.policy.k:g}σ): detected after "
        f"{in_days(summary.mean_detection_lag)}, {summary.crises} crises "
        f"({kinds}), {summary.false_crises} false crises"
    )


def print_crisis(crisis: Crisis) -> None:
    """Say how the crisis ran: status, milestones and the playbook's actions."""
    marks = crisis.milestones
    print(f"Crisis {crisis.key}: {crisis.status.value} {crisis.status.labels.zh_hant}")
    print(
        f"  impact {when(marks.impact_started)}, detected {when(marks.detected)}, "
        f"declared {when(marks.declared)}, contained {when(marks.contained)}, "
        f"resolved {when(marks.resolved)}, reviewed {when(marks.reviewed)}"
    )
    for action in crisis.actions:
        step = PLAYBOOK.step(action.key.rsplit(".", 1)[-1])
        label = step.title if step.labels is None else step.labels.zh_hant
        done = action.completed_at
        outcome = action.status.labels.zh_hant
        if done is not None:
            outcome += f" {when(done)} " + (
                "on time" if action.finished_on_time else "late"
            )
        print(
            f"  {pad(label, 36)} {action.owner:<4} due {when(action.due_at)}  {outcome}"
        )


def print_slipped_steps(crisis: Crisis) -> None:
    """Name the playbook steps that did not go to plan (應急預案的動態更新)."""
    slipped = [step for step in playbook_feedback([crisis]) if step.problem_rate > 0]
    names = ", ".join(
        f"{step.step} ({'skipped' if step.cancelled else 'late'})" for step in slipped
    )
    print(f"  playbook steps off plan: {names}")


def print_review(review: Review) -> None:
    """Print the review record: workflow, causes, lessons and the plan."""
    print(
        f"Review {review.key} ({review.status.labels.zh_hant} {review.status.value}); "
        f"peak Level {review.peak_level.value}, due {when(review.due_at)}, "
        f"owner {review.owner}"
    )
    print(f"  workflow: {workflow(review)}")
    print(f"  responders: {', '.join(TEAM[key] for key in review.responders)}")
    print(f"  detection: {review.detection}")
    if review.causes is not None:
        for cause in review.causes.causes:
            kind = "root" if cause.is_root else "contributing"
            print(
                f"  cause ({kind}) {pad(cause.family.labels.zh_hant, 14)} "
                f"{cause.description}"
            )
    loss, cost = review.business_loss, review.response_cost
    if loss is not None and cost is not None:
        kinds = ", ".join(
            f"{category.labels.zh_hant} {amount:,.0f}"
            for category, amount in loss.best_known.items()
        )
        print(
            f"  business loss {loss.currency} {loss.total_best_known:,.0f} ({kinds}); "
            f"response cost {cost.currency} {cost.total:,.0f}"
        )
    print("Lessons (總結經驗和教訓)")
    for lesson in review.lessons:
        print(
            f"  {pad(lesson.kind.labels.zh_hant, 10)} "
            f"{pad(lesson.theme.labels.zh_hant, 18)} {lesson.key}: {lesson.text}"
        )
    unanswered = [lesson.key for lesson in review.unanswered_lessons()]
    print(f"  lessons without an action: {', '.join(unanswered) or 'none'}")
    print("Improvement plan (持續改進計劃)")
    for item in review.improvements:
        target = item.trigger_rule or item.risk or item.playbook_step or ""
        print(
            f"  {pad(item.kind.labels.zh_hant, 10)} {item.key:<25} {item.owner:<4} "
            f"due {when(item.due_at)}  {pad(item.status.labels.zh_hant, 6)} {target}"
        )


def workflow(review: Review) -> str:
    """Write the status changes as ``draft 05-29 10:00 (mei) → ...``."""
    return " → ".join(
        f"{change.status.value} {when(change.at)} ({change.actor})"
        for change in review.status_changes
    )


def print_kpi_table(effects: Sequence[KPIEffect]) -> None:
    """Print the before / during / after table (對比分析危機前後的數據)."""
    windows = effects[0].windows
    spans = ", ".join(
        f"{w.labels.zh_hant} {windows.get(w)[0]:%m-%d}–"
        f"{windows.get(w)[1] - dt.timedelta(days=1):%m-%d}"
        for w in EvaluationWindow
    )
    print(f"KPIs before, during and after (數據分析和效果評估): {spans}")
    print(
        f"  {pad('指標', 16)} {'before':>9} {'during':>9} {'after':>9} "
        f"{'during':>8} {'after':>7} {'loss area':>10} {'recovered':>10} "
        f"{'p':>6}"
    )
    for effect in effects:
        metric = effect.metric
        recovered = effect.recovered_at[0]
        print(
            f"  {pad(metric_label(metric), 16)} "
            f"{number(float(effect.before_mean[0]), metric):>9} "
            f"{number(float(effect.during_mean[0]), metric):>9} "
            f"{number(float(effect.after_mean[0]), metric):>9} "
            f"{float(effect.pct_during[0]):>+7.1f}% "
            f"{float(effect.pct_after[0]):>+6.1f}% "
            f"{loss_text(effect):>10} "
            f"{'-' if recovered is None else f'{recovered:%m-%d}':>10} "
            f"{float(effect.p_value[0]):>6.3f}"
        )
    by_metric = {effect.metric: effect for effect in effects}
    complaints = by_metric["feedback.complaints"]
    back = complaints.recovered_at[0]
    print(
        f"  complaints {float(complaints.before_mean[0]):.1f} a day before, "
        f"{float(complaints.during_mean[0]):.1f} during, "
        f"{float(complaints.after_mean[0]):.1f} after (after against before: p "
        f"{float(complaints.p_value[0]):.3f}); "
        + (
            "not back within 5% of the weekday baseline for good by the data's end"
            if back is None
            else f"within 5% of the weekday baseline for good from {back:%m-%d}"
        )
    )
    gmv = by_metric["sales.gmv"]
    area, during = float(gmv.loss_area[0]), float(gmv.loss_during[0])
    print(
        f"  GMV {float(gmv.pct_during[0]):+.1f}% during the crisis: its loss area "
        f"CNY {area:,.0f} ({during:,.0f} during, {area - during:,.0f} after) is "
        f"ordinary days below the weekday baseline; the shock moved only "
        f"{', '.join(TRUTH.drivers)}"
    )


def loss_text(effect: KPIEffect) -> str:
    """Format the loss area in the metric's own units × days."""
    area = float(effect.loss_area[0])
    if effect.metric.endswith("_rate") or effect.metric == "feedback.rating":
        return f"{area:.3f}"
    return f"{area:,.0f}"


def value(amount: float, objective: Objective) -> str:
    """Format an objective's value in its unit: seconds as hours, money whole."""
    if objective.unit == "s":
        return hours(dt.timedelta(seconds=amount))
    if abs(amount) >= 1_000:
        return f"{amount:,.0f}"
    return f"{amount:.4g}"


def print_goals(report: GoalReport, title: str) -> None:
    """Print objectives against results, and the overall attainment."""
    print(title)
    for result in report.results:
        objective = result.objective
        name = objective.labels.zh_hant if objective.labels else objective.key
        actual = "-" if result.actual is None else value(result.actual, objective)
        mark = {True: "attained", False: "missed", None: "not measured"}[
            result.attained
        ]
        attainment = "-" if result.attainment is None else f"{result.attainment:.2f}"
        print(
            f"  {pad(name, 24)} target {value(objective.target, objective):>9}  actual "
            f"{actual:>10}  {mark:<8} attainment {attainment}"
        )
    overall = "-" if report.overall is None else f"{report.overall:.3f}"
    print(f"  overall attainment {overall} ({report.attained_count} attained)")


def print_feedback(summary: FeedbackSummary) -> None:
    """Print the stakeholder feedback per group (綜合評估處理成果)."""
    print("Stakeholder feedback (內部員工、合作伙伴、消費者的反饋)")
    for group in summary.groups:
        rating = "-" if group.mean_rating is None else f"{group.mean_rating:.2f}"
        sentiment = (
            "-" if group.mean_sentiment is None else f"{group.mean_sentiment:+.2f}"
        )
        effort = "-" if group.mean_effort is None else f"{group.mean_effort:.2f}"
        print(
            f"  {group.group!s:<10} {group.count:>2} answers  rating {rating} "
            f"({share(group.satisfied_share)} satisfied)  sentiment {sentiment}  "
            f"effort {effort}"
        )
    overall = summary.overall
    if overall.mean_rating is not None:
        label = RATING_LABELS[round(overall.mean_rating)].zh_hant
        print(
            f"  all {overall.count} answers: mean rating "
            f"{overall.mean_rating:.2f} ({label})"
        )


def print_trigger_quality(report: TriggerQualityReport) -> None:
    """Print precision, recall and the crises no rule caught in time."""
    limit = report.lead_time_limit
    print(f"Trigger quality (alerts in time: within {in_days(limit)} of the impact)")
    for rule in report:
        print(
            f"  {rule.rule:<20} alerts {rule.alerts}: {rule.confirmed} confirmed, "
            f"{rule.dismissed} false alarms, {rule.unlinked} ignored; precision "
            f"{share(rule.precision)}, recall {share(rule.recall)}, late "
            f"{', '.join(rule.late) or '-'}, detection delay "
            f"{in_days(rule.mean_detection_delay)}"
        )
    print(f"  crises no rule caught in time: {', '.join(report.missed) or 'none'}")


def print_proposal(proposal: RetuneProposal, current: ThresholdSet) -> None:
    """Print the re-tuning proposal: decisions, numbers before and after, reasons."""
    print(
        f"Re-tuning proposal {proposal.current_version} → {proposal.version} "
        f"(data through {when(proposal.through)[:5]}, {proposal.periods} days; "
        "a proposal: nothing changes until it is accepted)"
    )
    print(
        f"  both sets replayed over {when(proposal.replay_start)[:5]} – "
        f"{when(proposal.replay_end)[:5]}; the reviews are the ground truth"
    )
    for crisis in proposal.crises:
        print(
            f"  evidence: {crisis.crisis:<22} {pad(crisis.verdict.labels.zh_hant, 10)} "
            f"{when(crisis.start)} – {when(crisis.end)}"
        )
    for change in proposal.rules:
        before, after = change.before, change.after
        factor = "-" if change.factor is None else f"×{change.factor:g}"
        print(
            f"  {change.rule:<20} {pad(change.decision.labels.zh_hant, 10)} "
            f"{change.decision.value} {factor}"
        )
        for name in change.bounds:
            old = float(current.bound(name)[0])
            new = float(proposal.proposed.bound(name)[0])
            print(f"    {name}: {old:.4g} → {new:.4g}")
        print(
            f"    alerts {before.alerts} → {after.alerts}, false alarms "
            f"{before.false_alarms} → {after.false_alarms}, caught "
            f"{len(before.caught)} → {len(after.caught)}, detection delay "
            f"{in_days(before.mean_delay)} → {in_days(after.mean_delay)}"
        )
        print(f"    why: {change.reason}")


# --- the figures (--plots DIR) ---------------------------------------------------

#: The KPIs of the before/after figure: what the failure moved, then GMV.
PLOTTED = (
    "feedback.complaints",
    "feedback.negative_review_rate",
    "feedback.rating",
    "sales.gmv",
)


def figures(
    history: Panel,
    current: ThresholdSet,
    alerts: Sequence[Alert],
    effects: Sequence[KPIEffect],
) -> dict[str, Figure]:
    """Draw the before/after review and the two watched KPIs with their alerts.

    Each rule's alerts go on the KPI it watches, under its own bound: all
    are Level III, so on one chart their spans would share a colour.
    """
    by_metric = {effect.metric: effect for effect in effects}
    complaint_bound, negative_bound = (spec.name for spec in SPECS)
    complaint_rule, negative_rule = (rule.name for rule in RULES)
    return {
        "service_before_after.png": before_after(
            [by_metric[metric] for metric in PLOTTED]
        ),
        "service_complaints.png": kpi_chart(
            history,
            "feedback.complaints",
            SHOP_ENTITY,
            alerts=[a for a in alerts if a.rule == complaint_rule],
            thresholds=current,
            bounds=[complaint_bound],
        ),
        "service_negative_reviews.png": kpi_chart(
            history,
            "feedback.negative_review_rate",
            SHOP_ENTITY,
            alerts=[a for a in alerts if a.rule == negative_rule],
            thresholds=current,
            bounds=[negative_bound],
        ),
    }


def main(argv: Sequence[str] | None = None) -> None:
    """Tell the crisis, review it, evaluate it and propose the re-tuning."""
    plots = plots_directory(argv, __doc__)
    run, history = simulate()
    print_case(CASE, run)
    print()
    current = current_thresholds(history)
    alerts = evaluate(RULES, history, [current]).alerts
    print_alerts(alerts, current)
    print_drill(CASE.drill(seed=SEED, run=run))
    complaint = next(a for a in alerts if a.rule == "complaint_surge")
    false_alarms = [
        dismissed(a, history)
        for a in alerts
        if a.rule == "negative_reviews_up" and a.fired_at < IMPACT
    ]
    crisis = respond(complaint, history)
    review = review_crisis(crisis, history, current, alerts)
    crisis = close_crisis(crisis, review)
    print()
    print_crisis(crisis)
    print_slipped_steps(crisis)
    print()
    print_review(review)
    print()
    effects = evaluate_kpis(crisis, history)
    print_kpi_table(effects)
    print()
    print_goals(
        compare(effects, review), "Goals against results (對比預期目標與實際效果)"
    )
    print()
    print_goals(
        compare_speed(review.metrics, targets=SPEED), "Response speed (響應速度)"
    )
    print()
    print_feedback(feedback())
    print()
    crises = [*false_alarms, crisis]
    reviews = [*(review_false_alarm(c) for c in false_alarms), review]
    print_trigger_quality(
        trigger_quality(alerts, crises, lead_time_limit=DAY, rules=RULES)
    )
    print()
    proposal = propose(history, current, reviews)
    print_proposal(proposal, current)
    print()
    accepted = at(5, 31, 18)
    sets = proposal.accept([current], at=accepted)
    for key in ("retune_complaint_trigger", "retune_negative_trigger"):
        if review.improvement(key).status.is_outstanding:
            review = review.complete_improvement(
                key, at=accepted, actor="hao", note=f"{proposal.version} accepted"
            )
    print(
        f"Accepted by hao at {when(accepted)}: threshold sets "
        f"{[s.version for s in sets]}, {proposal.version} valid from "
        f"{when(proposal.proposed.valid_from)}"
    )
    progress = improvement_progress([review], as_of=accepted)
    totals = progress.totals
    print(
        f"Improvement plan as of {when(accepted)}: {totals.done} of {totals.total} "
        f"done ({share(totals.completion_rate)}), {totals.overdue} overdue, "
        f"{totals.outstanding} outstanding"
    )
    if plots is not None:
        save_figures(plots, figures(history, current, alerts, effects))


if __name__ == "__main__":
    main()
