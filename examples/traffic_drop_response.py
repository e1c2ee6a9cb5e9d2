"""A traffic drop handled from the first alert to resolution (book §5.4 案例二).

Run it with ``python examples/traffic_drop_response.py``. The book's second
case study (案例二:流量波動應對策略) reads:

    某電商平臺因突發事件導致流量波動,面臨流量驟降的風險。平臺迅速啟動廣告推廣和
    營銷活動,吸引用戶注意力,同時優化搜索引擎排名和用戶體驗,提高用戶粘性。此外,
    平臺還利用社交媒體進行危機公關,積極回應用戶關切,重塑品牌形象。

    (A sudden event made an e-commerce platform's traffic swing and threatened
    a sharp drop. It quickly launched advertising and promotions, improved its
    search ranking and user experience, and used social media for crisis PR,
    answering users' concerns and rebuilding its image.)

This script tells that story for a tea shop on a marketplace, as the event
log of one `crisisops.response.Crisis`:

1. an hourly panel of visits, a `TriggerRule` (visits against the same hour
   of the day before) and `evaluate` raise the alert; its `Origin` keeps the
   signal onset and the detection time, so time to detect exists;
2. the crisis is declared from the alert with a rate card frozen into it,
   the team takes its roles, the root cause is confirmed, and the crisis
   type's default playbook (流量恢復預案) is activated;
3. messages follow a communication plan (`plan_communication`), feedback
   comes in from social media, the hotline, online service and data reports,
   and `suggest_adjustments` is consulted at five moments: it proposes one
   escalation, one reallocation of a slipped critical action, one overdue
   update and one de-escalation; the lead acts on each;
4. losses are recorded; the crisis is contained, recovers and is resolved;
5. it prints the timeline, the action list, the metrics (`measure`), the
   response cost and the business loss (kept apart), and rebuilds the crisis
   from its JSON event log.

Everything is fixed (times, numbers): no clock, no randomness, no files.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import textwrap
import unicodedata
from decimal import Decimal
from typing import TypeVar

import numpy as np

from crisisops.monitoring import (
    Alert,
    Below,
    Change,
    Consecutive,
    Panel,
    SeasonalLag,
    Threshold,
    Tier,
    TriggerRule,
    evaluate,
)
from crisisops.planning import (
    Playbook,
    StrategyFamily,
    default_playbooks,
    default_roles,
)
from crisisops.response import (
    DURATION_METRICS,
    ActionCompleted,
    ActionReassigned,
    ActionStarted,
    CommunicationRecorded,
    Crisis,
    CrisisConfirmed,
    CrisisContained,
    CrisisDeclared,
    CrisisEvent,
    CrisisRecovered,
    CrisisResolved,
    FeedbackChannel,
    FeedbackRecorded,
    LevelDeEscalated,
    LevelEscalated,
    LossCategory,
    LossRecorded,
    Origin,
    PlaybookActivated,
    RateCard,
    ResourcesReallocated,
    RoleAssigned,
    RoleRelinquished,
    StrategyAdjusted,
    Suggestion,
    business_loss,
    measure,
    response_cost,
    suggest_adjustments,
)
from crisisops.serialization import from_data, to_data
from crisisops.stakeholders import (
    CommunicationPlan,
    Stakeholder,
    StakeholderGraph,
    UpdateCadence,
    default_kinds,
    plan_communication,
)
from crisisops.taxonomy import ResponseLevel, default_catalog

T = TypeVar("T")
TAIPEI = dt.timezone(dt.timedelta(hours=8))
CRISIS_TYPE = "market.traffic_swing"


def expect(value: T | None) -> T:
    """Return ``value``, which the story guarantees is set."""
    if value is None:
        raise RuntimeError("the story expected a value here")
    return value


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """Return ``hour:minute`` on September ``day``, 2026, Taipei time."""
    return dt.datetime(2026, 9, day, hour, minute, tzinfo=TAIPEI)


#: The crisis team: member key -> name (English, 繁體).
TEAM = {
    "mei": "Lin Mei 林美",
    "hao": "Wu Hao 吳浩",
    "jun": "Chen Jun 陳俊",
    "yu": "Fang Yu 方宇",
    "wei": "Wang Wei 王偉",
    "lan": "Zhang Lan 張蘭",
    "wen": "Li Wen 李文",
    "kai": "Zhou Kai 周凱",
}

#: Who holds which role from the start (the lead is named at declaration).
ROLES = {
    "data_analyst": "hao",
    "marketing_pr": "yu",
    "ops_expert": "wei",
    "customer_service": "lan",
    "comms_liaison": "wen",
    "scribe": "kai",
}

#: Hourly cost per role, frozen into the crisis when it is declared.
RATES = RateCard(
    currency="TWD",
    hourly={
        "crisis_lead": Decimal(1500),
        "data_analyst": Decimal(900),
        "marketing_pr": Decimal(850),
        "ops_expert": Decimal(1000),
        "customer_service": Decimal(600),
        "comms_liaison": Decimal(800),
        "scribe": Decimal(500),
    },
)


# --- 1. the alert (book §3 關鍵指標監控) -----------------------------------------

#: Visits per hour of an ordinary day, midnight first.
HOURLY_VISITS = (
    6200, 4100, 2800, 2000, 1700, 1900, 3300, 6400, 9800, 12500, 14000, 14600,
    15100, 14800, 14200, 13900, 14300, 15200, 16100, 17800, 19900, 21500, 18700,
    12400,
)  # fmt: skip
#: On 15 September a viral post wrongly ties the shop to a competitor's
#: counterfeit-tea scandal: visits fall from 10:00.
DROP = {10: 0.58, 11: 0.52}


def build_panel() -> Panel:
    """Return hourly visits from 14 September 00:00 to 15 September 11:00."""
    hours = 24 + 12
    stamps = [at(14, 0) + dt.timedelta(hours=h) for h in range(hours)]
    visits = np.array([HOURLY_VISITS[h % 24] for h in range(hours)], dtype=float)
    for hour, factor in DROP.items():
        visits[24 + hour] *= factor
    return Panel.from_metric_arrays(
        stamps, ["shop"], {"traffic.visits": visits[:, np.newaxis]}
    )


def traffic_rule() -> TriggerRule:
    """Return the rule: visits down against the same hour yesterday, 2 h running."""
    fall = Change(metric="traffic.visits", baseline=SeasonalLag(period=24))

    def down_by(share: float) -> Threshold:
        return Threshold(signal=fall, predicate=Below(-share, inclusive=True))

    return TriggerRule(
        name="traffic_drop",
        crisis_type=CRISIS_TYPE,
        tiers=[
            Tier(ResponseLevel.IV, down_by(0.20)),
            Tier(ResponseLevel.III, down_by(0.35)),
            Tier(ResponseLevel.II, down_by(0.55)),
        ],
        persistence=Consecutive(2),
        description="visits down against the same hour yesterday, 2 hours in a row",
    )


def detect() -> Alert:
    """Evaluate the rule on the panel and return the one alert it raises."""
    evaluation = evaluate([traffic_rule()], build_panel())
    (alert,) = evaluation.alerts
    return alert


# --- 2. declaring and organising ------------------------------------------------


def communication_plan() -> CommunicationPlan:
    """Plan messages to staff and customers at the shop's own rhythm (book §5.3)."""
    graph = StakeholderGraph(
        stakeholders=[
            Stakeholder(
                key="staff", name="Shop staff", kind="employees", power=0.5,
                legitimacy=0.9, urgency=0.8, interest=0.9,
            ),
            Stakeholder(
                key="buyers", name="Buyers", kind="customers", power=0.6,
                legitimacy=0.9, urgency=0.9, interest=0.8,
            ),
        ]
    )  # fmt: skip
    # Level III's defaults (after PagerDuty) update every hour; this shop
    # updates staff every 2 h and buyers every 3 h, and twice a day once the
    # crisis has run for 8 hours.
    return plan_communication(
        CRISIS_TYPE,
        ResponseLevel.III,
        graph,
        at=at(15, 11, 15),
        internal_cadence=UpdateCadence(
            first_within=dt.timedelta(minutes=30),
            every=dt.timedelta(hours=2),
            long_after=dt.timedelta(hours=8),
            long_every=dt.timedelta(hours=12),
        ),
        external_cadence=UpdateCadence(
            first_within=dt.timedelta(hours=1),
            every=dt.timedelta(hours=3),
            long_after=dt.timedelta(hours=8),
            long_every=dt.timedelta(hours=12),
        ),
    )


def traffic_playbook() -> Playbook:
    """Return the crisis type's first default playbook: 流量恢復預案."""
    crisis_type = default_catalog()[CRISIS_TYPE]
    return default_playbooks().defaults_for(crisis_type)[0]


PLAYBOOK = traffic_playbook()


class Response:
    """The crisis as it moves, and what the rules suggested along the way."""

    def __init__(self, crisis: Crisis, plan: CommunicationPlan) -> None:
        """Start from a declared crisis and its communication plan."""
        self.crisis = crisis
        self.plan = plan
        self.suggestions: list[tuple[dt.datetime, tuple[Suggestion, ...]]] = []

    def check(self, moment: dt.datetime) -> tuple[Suggestion, ...]:
        """Ask the rules what to adjust, and keep the answer for the timeline."""
        found = suggest_adjustments(self.crisis, as_of=moment, plan=self.plan)
        self.suggestions.append((moment, found))
        return found

    def tell(
        self,
        moment: dt.datetime,
        audience: str,
        summary: str,
        next_update: dt.datetime | None = None,
    ) -> None:
        """Send a message to a plan group, on the group's first channel."""
        step = self.plan.step(audience)
        self.crisis = self.crisis.record_communication(
            at=moment,
            actor=self.crisis.holders(step.owner_role)[0],
            audience=audience,
            channel=step.channels[0],
            internal=step.internal,
            summary=summary,
            next_update_at=next_update,
            final=next_update is None,
        )

    def hear(  # noqa: PLR0913  one keyword per field of the batch
        self,
        moment: dt.datetime,
        actor: str,
        channel: FeedbackChannel,
        *,
        volume: int,
        sentiment: float | None = None,
        negative_share: float | None = None,
        kpis: dict[str, float] | None = None,
        note: str = "",
    ) -> None:
        """Record a batch of feedback (book §5.2 實時反饋機制)."""
        self.crisis = self.crisis.record_feedback(
            at=moment,
            actor=actor,
            channel=channel,
            volume=volume,
            sentiment=sentiment,
            negative_share=negative_share,
            kpis=kpis,
            note=note,
        )


def declare(alert: Alert) -> Crisis:
    """Declare the crisis from the alert, at the level the alert reached."""
    origin = Origin.from_alert(alert)
    return Crisis.declare(
        "traffic_drop_0915",
        title="Visits down by half after a counterfeit rumour",
        crisis_type=CRISIS_TYPE,
        level=expect(origin.level),  # a breach alert carries its level
        at=at(15, 11, 15),
        actor="wei",
        lead="mei",
        origins=[origin],
        rates=RATES,
        summary=(
            "Visits fell 48% against the same hour yesterday; social posts tie "
            "the shop to another seller's counterfeit tea."
        ),
    )


def organise(run: Response) -> None:
    """Assign roles, send the first messages, confirm, start the playbook (§5.1)."""
    for role, member in ROLES.items():
        run.crisis = run.crisis.assign_role(
            role, member, at=at(15, 11, 20), actor="mei"
        )
    run.tell(
        at(15, 11, 30),
        "employees",
        "Emergency meeting: visits halved since 10:00; war room open; do not "
        "comment on the rumour in public.",
        next_update=at(15, 13, 30),
    )
    run.crisis = run.crisis.confirm(
        at=at(15, 11, 45),
        actor="mei",
        root_cause=(
            "A viral post wrongly links the shop to a competitor's counterfeit "
            "tea; the marketplace demoted the shop's listings in search."
        ),
    )
    run.crisis = run.crisis.activate_playbook(PLAYBOOK, at=at(15, 12, 0), actor="mei")
    run.crisis = run.crisis.start_action(
        "traffic_recovery.diagnose_traffic", at=at(15, 12, 5), actor="hao"
    )
    run.tell(
        at(15, 12, 10),
        "customers",
        "Our tea is genuine and tested; we are looking into the posts and will "
        "publish the lab reports.",
        next_update=at(15, 15, 10),
    )


# --- 3. responding: feedback, suggestions, adjustments (book §5.2) --------------


def first_hours(run: Response) -> None:
    """Escalate when sentiment sours, as the rules suggest (book §5.2)."""
    run.hear(
        at(15, 12, 30), "yu", FeedbackChannel.SOCIAL_MEDIA, volume=400,
        sentiment=-0.30, negative_share=0.45,
        note="posts repeat the counterfeit claim",
    )  # fmt: skip
    run.hear(
        at(15, 12, 40), "hao", FeedbackChannel.DATA_REPORT, volume=1,
        kpis={"traffic.visits": 7550, "sales.conversion_rate": 0.018},
        note="12:00 hour: visits 50% of yesterday",
    )  # fmt: skip
    run.check(at(15, 12, 45))  # within Level III's bounds: nothing
    run.hear(
        at(15, 13, 10), "yu", FeedbackChannel.SOCIAL_MEDIA, volume=1200,
        sentiment=-0.60, negative_share=0.70,
        note="a tea influencer reposts the claim",
    )  # fmt: skip
    run.hear(
        at(15, 13, 15), "lan", FeedbackChannel.HOTLINE, volume=100,
        sentiment=-0.50, negative_share=0.60,
        note="callers ask whether their orders are genuine",
    )  # fmt: skip
    (escalate,) = run.check(at(15, 13, 20))
    run.crisis = run.crisis.escalate(
        at=at(15, 13, 25),
        actor="mei",
        to=escalate.target_level,
        reason=f"{escalate.rule}: the repost spreads; hotline swamped",
    )
    run.tell(
        at(15, 13, 30),
        "employees",
        "Now Level II: all hands on hotline and chat; 6 agents moved from after-sales.",
        next_update=at(15, 15, 30),
    )
    run.crisis = run.crisis.reallocate_resources(
        at=at(15, 13, 40),
        actor="mei",
        amounts={"people.service_agents": 6},
        reason="hotline and chat queues above 10 minutes",
    )
    run.hear(
        at(15, 15, 0), "hao", FeedbackChannel.DATA_REPORT, volume=1,
        kpis={"traffic.visits": 7900, "sales.conversion_rate": 0.017},
        note="14:00 hour: visits 56% of yesterday",
    )  # fmt: skip
    run.tell(
        at(15, 15, 0),
        "customers",
        "Lab reports for our three best sellers are online; orders ship as usual.",
        next_update=at(15, 18, 0),
    )
    run.hear(
        at(15, 15, 30), "lan", FeedbackChannel.ONLINE_SERVICE, volume=260,
        sentiment=-0.42, negative_share=0.55,
        note="chat: refund requests on the rumour",
    )  # fmt: skip
    run.tell(
        at(15, 15, 30),
        "employees",
        "Lab reports published; diagnosis of the traffic loss still running.",
        next_update=at(15, 17, 30),
    )


def the_slip(run: Response) -> None:
    """Reassign the diagnosis: on the critical path, it missed its deadline."""
    (slipped,) = run.check(at(15, 16, 15))
    run.crisis = run.crisis.assign_role(
        "data_analyst", "jun", at=at(15, 16, 20), actor="mei",
        reason="a second analyst for the slipped diagnosis",
    )  # fmt: skip
    run.crisis = run.crisis.reassign_action(
        expect(slipped.action),
        at=at(15, 16, 20),
        actor="mei",
        owner="jun",
        reason=f"{slipped.rule}: hao is rebuilding the broken referral dashboard",
    )
    run.crisis = run.crisis.complete_action(
        expect(slipped.action),
        at=at(15, 17, 0),
        actor="jun",
        note="38 listings demoted in search; search visits -61%, social -48%",
    )
    run.crisis = run.crisis.relinquish_role(
        "data_analyst", "jun", at=at(15, 17, 5), actor="jun", reason="diagnosis done"
    )
    for key, owner in (("launch_promotions", "yu"), ("social_response", "yu")):
        run.crisis = run.crisis.start_action(
            f"traffic_recovery.{key}", at=at(15, 17, 5), actor=owner
        )
    run.crisis = run.crisis.start_action(
        "traffic_recovery.optimise_search", at=at(15, 17, 10), actor="wei"
    )
    run.crisis = run.crisis.adjust_strategy(
        at=at(15, 17, 15),
        actor="mei",
        summary=(
            "Move the ad budget from marketplace search to social ads and a live "
            "stream until the listings are restored."
        ),
        reason="search demotion is the main cause of the loss (diagnosis)",
        families=[StrategyFamily.RESOURCES, StrategyFamily.COMMUNICATION],
    )
    run.crisis = run.crisis.reallocate_resources(
        at=at(15, 17, 15),
        actor="mei",
        amounts={"budget.ads_twd": 60000},
        reason="social ads and a live stream replace search ads",
    )
    run.hear(
        at(15, 17, 30), "yu", FeedbackChannel.SOCIAL_MEDIA, volume=640,
        sentiment=-0.45, negative_share=0.55,
        note="the lab reports are being shared, the claim too",
    )  # fmt: skip
    run.tell(
        at(15, 17, 30),
        "employees",
        "Cause found: search demotion. Promotions and a live stream start tonight.",
        next_update=at(15, 19, 30),
    )


def evening(run: Response) -> None:
    """Send a late update, watch feedback calm down, lower the level again."""
    (late,) = run.check(at(15, 18, 15))
    run.tell(
        at(15, 18, 20),
        expect(late.audience),
        "Tonight 20:00: live tasting with the tea farmer; 15% off to thank you "
        "for staying with us.",
        next_update=at(15, 21, 20),
    )
    run.hear(
        at(15, 18, 30), "yu", FeedbackChannel.SOCIAL_MEDIA, volume=520,
        sentiment=-0.28, negative_share=0.42,
        note="the marketplace confirms the shop is not involved",
    )  # fmt: skip
    run.crisis = run.crisis.record_loss(
        at=at(15, 19, 0),
        actor="mei",
        category=LossCategory.LOST_SALES,
        amount=Decimal(420000),
        note="visits -45% for 9 h at 2.1% conversion and TWD 1,150 a basket",
    )
    run.crisis = run.crisis.complete_action(
        "traffic_recovery.social_response",
        at=at(15, 19, 0),
        actor="yu",
        note="statement, lab reports and the marketplace's reply pinned; top "
        "200 comments answered",
    )
    run.hear(
        at(15, 19, 30), "lan", FeedbackChannel.ONLINE_SERVICE, volume=180,
        sentiment=-0.20, negative_share=0.35,
        note="chat: questions turn to the live stream",
    )  # fmt: skip
    run.tell(
        at(15, 19, 30),
        "employees",
        "Sentiment is turning; live stream at 20:00; night shift on the hotline.",
        next_update=at(16, 7, 30),
    )
    run.hear(
        at(15, 20, 30), "yu", FeedbackChannel.SOCIAL_MEDIA, volume=450,
        sentiment=-0.15, negative_share=0.30,
        note="live stream: 12,000 viewers",
    )  # fmt: skip
    run.hear(
        at(15, 21, 0), "hao", FeedbackChannel.DATA_REPORT, volume=1,
        kpis={"traffic.visits": 18500, "sales.conversion_rate": 0.021},
        note="20:00 hour: visits 93% of yesterday",
    )  # fmt: skip
    run.crisis = run.crisis.mark_contained(
        at=at(15, 21, 0),
        actor="mei",
        summary="visits back above 90% of yesterday and rising; no new claims",
    )
    run.tell(
        at(15, 21, 0),
        "customers",
        "Thank you for watching; the marketplace has confirmed our tea is "
        "genuine. Next update tomorrow morning.",
        next_update=at(16, 9, 0),
    )
    run.crisis = run.crisis.complete_action(
        "traffic_recovery.launch_promotions",
        at=at(15, 21, 30),
        actor="yu",
        note="social ads, coupons and the live stream are live",
    )
    run.crisis = run.crisis.record_loss(
        at=at(15, 21, 30),
        actor="yu",
        category=LossCategory.RECOVERY_SPEND,
        amount=Decimal(60000),
        estimate=False,
        note="social ads and live-stream coupons",
    )
    run.hear(
        at(15, 21, 30), "lan", FeedbackChannel.HOTLINE, volume=40,
        sentiment=-0.10, negative_share=0.25,
        note="evening calls back to the usual questions",
    )  # fmt: skip
    (calm,) = run.check(at(15, 22, 0))
    run.crisis = run.crisis.de_escalate(
        at=at(15, 22, 5),
        actor="mei",
        to=calm.target_level,
        reason=f"{calm.rule}: four calm batches since 18:00",
    )


def next_day(run: Response) -> None:
    """Fix search, recover, count the losses and resolve the crisis."""
    run.tell(
        at(16, 7, 30),
        "employees",
        "Quiet night; search fix in review with the marketplace.",
        next_update=at(16, 19, 30),
    )
    run.tell(
        at(16, 9, 0),
        "customers",
        "All listings are back; thank you for your trust.",
        next_update=at(16, 21, 0),
    )
    run.hear(
        at(16, 9, 30), "hao", FeedbackChannel.DATA_REPORT, volume=1,
        kpis={"traffic.visits": 9650, "sales.conversion_rate": 0.023},
        note="08:00 hour: visits 98% of the day before the drop",
    )  # fmt: skip
    run.crisis = run.crisis.complete_action(
        "traffic_recovery.optimise_search",
        at=at(16, 10, 0),
        actor="wei",
        note="the marketplace lifted the demotion; titles and pages improved",
    )
    run.crisis = run.crisis.mark_recovered(
        at=at(16, 10, 30),
        actor="mei",
        summary="visits and conversion back to normal",
    )
    run.crisis = run.crisis.start_action(
        "traffic_recovery.track_traffic", at=at(16, 10, 30), actor="hao"
    )
    run.crisis = run.crisis.complete_action(
        "traffic_recovery.track_traffic",
        at=at(16, 14, 0),
        actor="hao",
        note="daily traffic report by channel in place",
    )
    run.crisis = run.crisis.record_loss(
        at=at(16, 15, 0),
        actor="mei",
        category=LossCategory.LOST_SALES,
        amount=Decimal("386500.00"),
        estimate=False,
        note="orders against the same hours of the week before",
    )
    run.crisis = run.crisis.resolve(
        at=at(16, 16, 0), actor="mei", summary="traffic stable; war room closed"
    )
    run.tell(at(16, 16, 10), "employees", "Crisis resolved; review on 22 September.")
    run.tell(at(16, 16, 10), "customers", "Thank you: everything is back to normal.")


def respond(alert: Alert) -> Response:
    """Run the whole response and return it."""
    run = Response(declare(alert), communication_plan())
    organise(run)
    first_hours(run)
    the_slip(run)
    evening(run)
    next_day(run)
    return run


# --- printing -----------------------------------------------------------------


def display_width(text: str) -> int:
    """Count terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, width: int) -> str:
    """Left-align ``text`` in ``width`` terminal columns."""
    return text + " " * max(width - display_width(text), 0)


def when(moment: dt.datetime) -> str:
    """Format a moment as ``09-15 13:20``."""
    return f"{moment:%m-%d %H:%M}"


def level_text(level: ResponseLevel) -> str:
    """Format a level as ``III 較大``: its numeral and its 繁體 label."""
    return f"{level.value} {level.labels.zh_hant}"


def duration(span: dt.timedelta | None) -> str:
    """Format a duration as ``29 h 00 min``; ``-`` when unknown."""
    if span is None:
        return "-"
    minutes = int(span.total_seconds()) // 60
    return f"{minutes // 60} h {minutes % 60:02d} min"


def share(value: float | None) -> str:
    """Format a share as ``92.3%``; ``-`` when there is nothing to measure."""
    return "-" if value is None else f"{value:.1%}"


def money(amount: Decimal) -> str:
    """Format money as ``386,500.00``: thousands separated, cents shown."""
    return f"{amount.quantize(Decimal('0.01')):,}"


def short(key: str) -> str:
    """Return ``diagnose_traffic`` for ``traffic_recovery.diagnose_traffic``."""
    return key.rsplit(".", 1)[-1]


def step_label(action: str) -> str:
    """Return the 繁體 label of the playbook step an action came from."""
    step = PLAYBOOK.step(short(action))
    return step.title if step.labels is None else step.labels.zh_hant


@functools.singledispatch
def describe(event: CrisisEvent) -> str:
    """Say in one line what an event did (one function per event type)."""
    return type(event).__name__


@describe.register
def _declared(event: CrisisDeclared) -> str:
    kind = default_catalog()[event.crisis_type].labels.zh_hant
    return (
        f"declared {kind} {event.crisis_type} at Level {level_text(event.level)}, "
        f"lead {event.lead}, from alert {event.origins[0].reference}"
    )


@describe.register
def _role(event: RoleAssigned) -> str:
    label = default_roles()[event.role].labels.zh_hant
    return f"role {label} {event.role}: {event.member}"


@describe.register
def _role_ended(event: RoleRelinquished) -> str:
    return f"{event.member} leaves role {event.role}: {event.reason}"


@describe.register
def _confirmed(event: CrisisConfirmed) -> str:
    return f"confirmed 已確認: {event.root_cause}"


@describe.register
def _activated(event: PlaybookActivated) -> str:
    label = PLAYBOOK.labels.zh_hant
    return f"playbook {label} {event.playbook}: {len(event.actions)} actions"


@describe.register
def _started(event: ActionStarted) -> str:
    return f"started {short(event.action)} {step_label(event.action)}"


@describe.register
def _completed(event: ActionCompleted) -> str:
    return f"done {short(event.action)}: {event.note}"


@describe.register
def _reassigned(event: ActionReassigned) -> str:
    return f"reassigned {short(event.action)} to {event.owner}: {event.reason}"


@describe.register
def _message(event: CommunicationRecorded) -> str:
    group = default_kinds()[event.audience].labels.zh_hant
    promise = "final" if event.final else f"next {event.next_update_at:%m-%d %H:%M}"
    return (
        f"message to {group} {event.audience} by {event.channel.value} "
        f"({promise}): {event.summary}"
    )


@describe.register
def _feedback(event: FeedbackRecorded) -> str:
    parts = [f"{event.channel.labels.zh_hant} {event.channel.value}"]
    if event.sentiment is not None:
        parts.append(f"{event.volume:,} items, sentiment {event.sentiment:+.2f}")
    if event.negative_share is not None:
        parts.append(f"{event.negative_share:.0%} negative")
    parts += [f"{key} {value:,g}" for key, value in event.kpis.items()]
    note = f" ({event.note})" if event.note else ""
    return "feedback " + ", ".join(parts) + note


@describe.register
def _escalated(event: LevelEscalated) -> str:
    return (
        f"escalated {level_text(event.previous)} -> {level_text(event.level)}: "
        f"{event.reason}"
    )


@describe.register
def _de_escalated(event: LevelDeEscalated) -> str:
    return (
        f"de-escalated {level_text(event.previous)} -> {level_text(event.level)}: "
        f"{event.reason}"
    )


@describe.register
def _adjusted(event: StrategyAdjusted) -> str:
    families = ", ".join(family.labels.zh_hant for family in event.families)
    return f"strategy adjusted ({families}): {event.summary}"


@describe.register
def _reallocated(event: ResourcesReallocated) -> str:
    amounts = ", ".join(f"{key} {value:,g}" for key, value in event.amounts.items())
    return f"resources committed: {amounts} ({event.reason})"


@describe.register
def _loss(event: LossRecorded) -> str:
    kind = "estimate" if event.estimate else "actual"
    return (
        f"loss {event.category.labels.zh_hant} {event.category.value} "
        f"TWD {money(event.amount)} ({kind}): {event.note}"
    )


@describe.register
def _contained(event: CrisisContained) -> str:
    return f"contained 已控制: {event.summary}"


@describe.register
def _recovered(event: CrisisRecovered) -> str:
    return f"recovered 恢復 (now recovering 恢復中): {event.summary}"


@describe.register
def _resolved(event: CrisisResolved) -> str:
    return f"resolved 已解決: {event.summary}"


def suggestion_text(found: tuple[Suggestion, ...]) -> str:
    """Say what the rules suggested at a check, or that they were quiet."""
    if not found:
        return "rules: no adjustment suggested"
    return " | ".join(
        f"rules suggest {s.kind.labels.zh_hant} {s.rule}: {s.reason}" for s in found
    )


WRAP = textwrap.TextWrapper(width=110, subsequent_indent=" " * 21)


def print_alert(alert: Alert) -> None:
    """Say what the monitoring rule saw."""
    evidence = alert.evidence
    print("Alert (book §3 關鍵指標監控)")
    print(
        f"  {alert.id}: traffic.visits {evidence.observed:,.0f} against "
        f"{evidence.baseline:,.0f} the same hour yesterday ({evidence.signal:+.0%}), "
        f"Level {level_text(alert.level or ResponseLevel.IV)}"
    )
    print(
        f"  first breach {when(alert.first_breach_at)}, fired {when(alert.fired_at)} "
        f"(rule: {traffic_rule().description})"
    )


def print_team(crisis: Crisis) -> None:
    """List who held which role."""
    roles = default_roles()
    print("Team (book §5.1 組建專業危機應對團隊)")
    for assignment in crisis.role_assignments:
        label = roles[assignment.role].labels.zh_hant
        ended = assignment.relinquished_at
        span = f"{when(assignment.assumed_at)} – {'' if ended is None else when(ended)}"
        name = pad(TEAM[assignment.member], 14)
        print(f"  {pad(label, 26)} {assignment.role:<17} {name} {span}".rstrip())


def print_timeline(run: Response) -> None:
    """Print one line per event, and the rules' suggestions where they were asked."""
    print(f"Timeline ({run.crisis.version} events; ⚑ = suggest_adjustments)")
    checks = list(run.suggestions)

    def print_checks_before(moment: dt.datetime | None) -> None:
        while checks and (moment is None or checks[0][0] < moment):
            asked, found = checks.pop(0)
            print(WRAP.fill(f"  {when(asked)}  ⚑     {suggestion_text(found)}"))

    for event in run.crisis.events:
        print_checks_before(event.at)
        print(WRAP.fill(f"  {when(event.at)}  {event.actor:<4}  {describe(event)}"))
    print_checks_before(None)


def print_actions(crisis: Crisis) -> None:
    """List the actions: owner, deadline, outcome (明確責任人及執行時間)."""
    print("Actions (明確責任人及執行時間; * = critical path)")
    for action in crisis.actions:
        star = "*" if action.critical else " "
        done = action.completed_at
        outcome = action.status.labels.zh_hant
        if done is not None:
            outcome += f" {when(done)}, " + (
                "on time" if action.finished_on_time else "late"
            )
        label = step_label(action.key)
        print(
            f"  {star}{short(action.key):<17} {pad(label, 34)} {action.owner:<4} "
            f"due {when(action.due_at)}  {outcome}"
        )


def print_metrics(crisis: Crisis, plan: CommunicationPlan) -> None:
    """Print time to detect … resolve, time per level, on-time rate, cadence."""
    metrics = measure(crisis, as_of=crisis.last_event_at, plan=plan)
    print(f"Metrics (measure, as of {when(metrics.as_of)})")
    for name in DURATION_METRICS:
        print(f"  {name.replace('_', ' '):<21} {duration(metrics.duration(name))}")
    for level, span in metrics.time_at_level.items():
        print(f"  time at Level {pad(level_text(level), 8)} {duration(span)}")
    print(
        f"  actions: {metrics.actions_total} in all, {metrics.actions_done} done, "
        f"{metrics.actions_overdue} overdue; on time {share(metrics.on_time_rate)}"
    )
    adherence = share(metrics.communication_adherence)
    print(f"  communication cadence adherence {adherence}")


def print_cost(crisis: Crisis) -> None:
    """Print the response cost and the business loss, side by side, never added."""
    cost = response_cost(crisis)
    print(
        f"Response cost ({cost.currency}, rates frozen at declaration; "
        "hours after the first 24 count 8 a day)"
    )
    for line in cost.lines:
        print(
            f"  {line.role:<17} {line.member:<4} {line.hours:>10} h × {line.weight:<4} "
            f"× {line.rate:>5} = {money(line.amount):>10}"
        )
    print(f"  total {money(cost.total)}")
    loss = business_loss(crisis)
    print("Business loss (kept apart from the response cost)")
    for category, amount in loss.best_known.items():
        estimate = loss.estimate.get(category)
        note = (
            f" (estimate was {money(estimate)})"
            if estimate is not None and category in loss.actual
            else ""
        )
        print(
            f"  {pad(category.labels.zh_hant, 10)} {category.value:<15} "
            f"{money(amount):>10}{note}"
        )
    print(f"  total {money(loss.total_best_known)}")


def print_round_trip(crisis: Crisis) -> None:
    """Store the log as JSON, read it back and replay it."""
    text = json.dumps(to_data(crisis), ensure_ascii=False, allow_nan=False)
    stored = from_data(Crisis, json.loads(text))
    rebuilt = Crisis.from_events(stored.events)
    print(
        f"Stored as {len(text.encode()):,} bytes of JSON; "
        f"Crisis.from_events(...) == crisis: {rebuilt == crisis}; "
        f"status {rebuilt.status.value} {rebuilt.status.labels.zh_hant}"
    )


def main() -> None:
    """Detect, respond and print what the crisis team would read."""
    alert = detect()
    print_alert(alert)
    print()
    run = respond(alert)
    crisis = run.crisis
    print_team(crisis)
    print()
    print_timeline(run)
    print()
    print_actions(crisis)
    print()
    print_metrics(crisis, run.plan)
    print()
    print_cost(crisis)
    print()
    print_round_trip(crisis)


if __name__ == "__main__":
    main()
