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

The data are the case's: `crisisops.scenarios.traffic_case` is a synthetic
shop of 200 SKUs in five categories with hourly data from 20 July to 21
September 2026 (China Standard Time, prices in CNY). On Tuesday 15 September
at 10:00 a viral post wrongly ties the shop to a competitor's counterfeit
scandal: the visits to every SKU fall to half, stay there for two days and
come back over the next day. ``traffic_case().simulate(seed=2026)`` draws
the hours. This script tells the response as the event log of one
`crisisops.response.Crisis`:

1. the case's rule (visits against the same hour of the day before, two
   hours in a row) is evaluated on the shop row of the simulated panel and
   raises one alert; its `Origin` keeps the signal onset and the detection
   time, so time to detect exists. The alert clears a day later, not
   because the visits are back but because "yesterday" is then down too:
   from then on the team reads the visits against the week before;
2. the crisis is declared from the alert with a rate card frozen into it,
   the team takes its roles, the root cause is confirmed, and the crisis
   type's default playbook (流量恢復預案) is activated;
3. messages follow a communication plan (`plan_communication`) to the
   case's stakeholders, feedback comes in from social media, the hotline,
   online service and data reports (read off the panel), and
   `suggest_adjustments` is consulted at five moments: it proposes one
   escalation, one reallocation of a slipped critical action, one overdue
   update and one de-escalation; the lead acts on each;
4. losses are recorded from the panel's GMV; the crisis is contained when
   the fall stops, recovers when the visits are back to the week before
   (18 September, as the data say) and is resolved;
5. it prints the timeline, the action list, the metrics (`measure`), the
   response cost and the business loss (kept apart), the case's own drill
   (`BookCase.drill`) on the same data, and rebuilds the crisis from its
   JSON event log.

The team, its messages and the feedback from people are the story's; the
times follow the case's alert (10:00 onset, 11:00 alert) and its data.
Deterministic: fixed seeds, no clock, no files. With ``--plots DIR`` (needs
``pip install 'crisisops[viz]'``) it also saves figures there as PNG: the
shop's hourly visits around the rumour with the alert, next to the same hour
a week before (why the alert cleared early and when the visits were really
back), and the crisis timeline: the level band escalating and
de-escalating, the actions with the critical path and the slipped one.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import textwrap
import unicodedata
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, TypeVar

import numpy as np
import numpy.typing as npt
from _plots import plots_directory, save_figures

from crisisops.monitoring import (
    Alert,
    Below,
    Threshold,
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
from crisisops.scenarios import (
    SHOP_ENTITY,
    DemandShift,
    DrillReport,
    ShopRun,
    traffic_case,
)
from crisisops.serialization import from_data, to_data
from crisisops.stakeholders import (
    CommunicationPlan,
    UpdateCadence,
    default_kinds,
    plan_communication,
)
from crisisops.taxonomy import ResponseLevel, default_catalog
from crisisops.viz import crisis_timeline, kpi_chart

if TYPE_CHECKING:
    from matplotlib.figure import Figure

T = TypeVar("T")
FloatArray = npt.NDArray[np.float64]

#: The book's case two: the shop, the viral rumour and the rule that sees it.
CASE = traffic_case()
#: The seed of the simulated hours (and of the case's drill).
SEED = 2026
CRISIS_TYPE = CASE.shock.crisis_type
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
WEEK = dt.timedelta(days=7)


def expect(value: T | None) -> T:
    """Return ``value``, which the story guarantees is set."""
    if value is None:
        raise RuntimeError("the story expected a value here")
    return value


def rumour() -> DemandShift:
    """Return the case's shock: the viral rumour, a `DemandShift` on traffic."""
    shock = CASE.shock
    if not isinstance(shock, DemandShift):
        raise TypeError("the traffic case's shock is a DemandShift")
    return shock


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """Return ``hour:minute`` on ``day`` of the rumour's month, in the shop's zone."""
    onset = rumour().onset
    return dt.datetime(onset.year, onset.month, day, hour, minute, tzinfo=onset.tzinfo)


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

#: Hourly cost per role in the shop's currency, frozen into the crisis when
#: it is declared.
RATES = RateCard(
    currency="CNY",
    hourly={
        "crisis_lead": Decimal(350),
        "data_analyst": Decimal(200),
        "marketing_pr": Decimal(190),
        "ops_expert": Decimal(220),
        "customer_service": Decimal(130),
        "comms_liaison": Decimal(180),
        "scribe": Decimal(110),
    },
)

#: Two days of the shop's usual ad budget, moved to social ads and a live
#: stream (21,000 for the case's CNY 10,691.93 a day, to the thousand).
EXTRA_ADS = Decimal(round(2 * CASE.profile.marketing.ad_spend_per_day, -3))


# --- 1. the data and the alert (book §3 關鍵指標監控) ----------------------------


class ShopData:
    """The case's simulated hours, as the data analyst reads them."""

    def __init__(self, run: ShopRun) -> None:
        """Keep the run's panel (SKUs and the shop row) and the shop row alone."""
        self.run = run
        self.panel = run.panel()
        self.shop = self.panel.select(entities=[SHOP_ENTITY])

    def series(self, metric: str) -> FloatArray:
        """Return the shop row of ``metric``, one value per hour."""
        return self.shop.metric_values(metric)[:, 0]

    def value(self, metric: str, hour: dt.datetime) -> float:
        """Return the shop's ``metric`` in the hour starting at ``hour``."""
        return float(self.series(metric)[self.shop.index_at(hour)])

    def visits_share(self, hour: dt.datetime, lag: dt.timedelta) -> float:
        """Return the hour's visits as a share of the visits ``lag`` earlier."""
        return self.value("traffic.visits", hour) / self.value(
            "traffic.visits", hour - lag
        )

    def gmv(self, start: dt.datetime, end: dt.datetime) -> float:
        """Return the shop's GMV over the hours ``[start, end)``."""
        low, high = self.shop.index_at(start), self.shop.index_at(end)
        return float(self.series("sales.gmv")[low:high].sum())

    def kpis(self, hour: dt.datetime) -> dict[str, float]:
        """Return the hour's visits and conversion, as a data report carries them."""
        return {
            "traffic.visits": self.value("traffic.visits", hour),
            "sales.conversion_rate": round(
                self.value("sales.conversion_rate", hour), 4
            ),
        }

    def category_changes(
        self, start: dt.datetime, end: dt.datetime
    ) -> tuple[dict[str, float], FloatArray]:
        """Compare visits over ``[start, end)`` with the same hours a day before.

        Returns the change per product category and the change per SKU.
        """
        visits = self.panel.metric_values("traffic.visits")
        now = visits[self.panel.index_at(start) : self.panel.index_at(end)].sum(0)
        before = visits[
            self.panel.index_at(start - DAY) : self.panel.index_at(end - DAY)
        ].sum(0)
        by_category: dict[str, float] = {}
        for category, skus in CASE.profile.sku_groups("category").items():
            columns = [self.panel.entity_index(sku) for sku in skus]
            by_category[category] = (
                float(now[columns].sum() / before[columns].sum()) - 1
            )
        size = len(CASE.profile.assortment.skus)  # the SKU columns come first
        return by_category, now[:size] / before[:size] - 1


def traffic_rule() -> TriggerRule:
    """Return the case's rule: visits against the same hour yesterday, 2 h running."""
    (rule,) = CASE.policy.rules
    return rule


def detect(data: ShopData) -> tuple[Alert, ...]:
    """Evaluate the case's rule on every hour of the shop row."""
    return evaluate([traffic_rule()], data.shop).alerts


# --- 2. declaring and organising ------------------------------------------------


def communication_plan() -> CommunicationPlan:
    """Plan messages to the case's stakeholders at the shop's own rhythm (§5.3)."""
    # Level III's defaults (after PagerDuty) update every hour; this shop
    # updates staff every 2 h and buyers every 3 h, and twice a day once the
    # crisis has run for 8 hours.
    return plan_communication(
        CRISIS_TYPE,
        ResponseLevel.III,
        CASE.policy.stakeholders,  # the shop's staff and buyers
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
    """The crisis as it moves, the data it reads, and what the rules suggested."""

    def __init__(self, crisis: Crisis, plan: CommunicationPlan, data: ShopData) -> None:
        """Start from a declared crisis, its communication plan and the data."""
        self.crisis = crisis
        self.plan = plan
        self.data = data
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

    def report(self, moment: dt.datetime, hour: dt.datetime, lag: dt.timedelta) -> None:
        """Record the data analyst's report on a finished hour of the panel."""
        against = "yesterday" if lag == DAY else "the same hour a week before"
        share = self.data.visits_share(hour, lag)
        self.hear(
            moment,
            "hao",
            FeedbackChannel.DATA_REPORT,
            volume=1,
            kpis=self.data.kpis(hour),
            note=f"{hour:%H}:00 hour: visits {share:.0%} of {against}",
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
            f"Visits fell {-alert.evidence.signal:.0%} against the same hour "
            "yesterday; social posts tie the shop to another seller's "
            "counterfeit goods."
        ),
    )


def organise(run: Response) -> None:
    """Assign roles, send the first messages, confirm, start the playbook (§5.1)."""
    for role, member in ROLES.items():
        run.crisis = run.crisis.assign_role(
            role, member, at=at(15, 11, 20), actor="mei"
        )
    share = run.data.visits_share(at(15, 10), DAY)
    run.tell(
        at(15, 11, 30),
        "employees",
        f"Emergency meeting: visits at {share:.0%} of yesterday since 10:00; war "
        "room open; do not comment on the rumour in public.",
        next_update=at(15, 13, 30),
    )
    run.crisis = run.crisis.confirm(
        at=at(15, 11, 45),
        actor="mei",
        root_cause=(
            "A viral post wrongly links the shop to a competitor's counterfeit "
            "goods; buyers stay away from the whole shop."
        ),
    )
    run.crisis = run.crisis.activate_playbook(PLAYBOOK, at=at(15, 12, 0), actor="mei")
    run.crisis = run.crisis.start_action(
        "traffic_recovery.diagnose_traffic", at=at(15, 12, 5), actor="hao"
    )
    run.tell(
        at(15, 12, 10),
        "customers",
        "Our goods are genuine and tested; we are looking into the posts and will "
        "publish the test reports.",
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
    run.report(at(15, 12, 40), at(15, 11), DAY)
    run.check(at(15, 12, 45))  # within Level III's bounds: nothing
    run.hear(
        at(15, 13, 10), "yu", FeedbackChannel.SOCIAL_MEDIA, volume=1200,
        sentiment=-0.60, negative_share=0.70,
        note="an influencer reposts the claim",
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
    run.report(at(15, 15, 0), at(15, 14), DAY)
    run.tell(
        at(15, 15, 0),
        "customers",
        "Test reports for our best sellers are online; orders ship as usual.",
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
        "Test reports published; diagnosis of the traffic loss still running.",
        next_update=at(15, 17, 30),
    )


def diagnosis(data: ShopData) -> str:
    """Say where the visits fell, 10:00 to 17:00 against the same hours yesterday."""
    by_category, by_sku = data.category_changes(at(15, 10), at(15, 17))
    categories = ", ".join(
        f"{category} {change:+.0%}" for category, change in sorted(by_category.items())
    )
    down = int((by_sku <= -0.25).sum())
    return (
        f"every category down alike ({categories}); {down} of {by_sku.size} SKUs "
        "down by a quarter or more: the shop's name, not a few listings"
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
        note=diagnosis(run.data),
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
            "Put the extra ad budget into social ads and a live stream that answer "
            "the rumour, not into search ads for single listings."
        ),
        reason="the drop is shop-wide: the rumour, not the listings (diagnosis)",
        families=[StrategyFamily.RESOURCES, StrategyFamily.COMMUNICATION],
    )
    run.crisis = run.crisis.reallocate_resources(
        at=at(15, 17, 15),
        actor="mei",
        amounts={"budget.ads_cny": float(EXTRA_ADS)},
        reason="two days of the usual ad budget for social ads and a live stream",
    )
    run.hear(
        at(15, 17, 30), "yu", FeedbackChannel.SOCIAL_MEDIA, volume=640,
        sentiment=-0.45, negative_share=0.55,
        note="the test reports are being shared, the claim too",
    )  # fmt: skip
    run.tell(
        at(15, 17, 30),
        "employees",
        "Cause found: the rumour, shop-wide. Promotions and a live stream start "
        "tonight.",
        next_update=at(15, 19, 30),
    )


def estimated_lost_sales(data: ShopData) -> tuple[Decimal, str]:
    """Estimate at 19:00: today's fall since 10:00, for two days of yesterday's GMV."""
    today = data.gmv(at(15, 10), at(15, 19))
    yesterday = data.gmv(at(14, 10), at(14, 19))
    fall = 1 - today / yesterday
    whole_day = data.gmv(at(14, 0), at(15, 0))
    amount = Decimal(round(2 * whole_day * fall, -3))
    note = (
        f"GMV 10:00-19:00 CNY {today:,.0f} against {yesterday:,.0f} the same hours "
        f"yesterday (-{fall:.0%}); if it lasts two days: 2 × {whole_day:,.0f} "
        f"(yesterday) × {fall:.0%}"
    )
    return amount, note


def evening(run: Response) -> None:
    """Send a late update, watch feedback calm down, lower the level again."""
    (late,) = run.check(at(15, 18, 15))
    run.tell(
        at(15, 18, 20),
        expect(late.audience),
        "Tonight 20:00: a live stream with our buyers and the test lab; 15% off to "
        "thank you for staying with us.",
        next_update=at(15, 21, 20),
    )
    run.hear(
        at(15, 18, 30), "yu", FeedbackChannel.SOCIAL_MEDIA, volume=520,
        sentiment=-0.28, negative_share=0.42,
        note="the marketplace confirms the shop is not involved",
    )  # fmt: skip
    amount, note = estimated_lost_sales(run.data)
    run.crisis = run.crisis.record_loss(
        at=at(15, 19, 0),
        actor="mei",
        category=LossCategory.LOST_SALES,
        amount=amount,
        note=note,
    )
    run.crisis = run.crisis.complete_action(
        "traffic_recovery.social_response",
        at=at(15, 19, 0),
        actor="yu",
        note="statement, test reports and the marketplace's reply pinned; top "
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
        note="live stream: 2,400 viewers",
    )  # fmt: skip
    run.report(at(15, 21, 0), at(15, 20), DAY)
    holding = run.data.visits_share(at(15, 20), DAY)
    run.crisis = run.crisis.mark_contained(
        at=at(15, 21, 0),
        actor="mei",
        summary=(
            f"no new claims; visits holding at {holding:.0%} of yesterday, "
            "no further fall"
        ),
    )
    run.tell(
        at(15, 21, 0),
        "customers",
        "Thank you for watching; the marketplace has confirmed our goods are "
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
        amount=EXTRA_ADS,
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


def the_long_tail(run: Response) -> None:
    """Fix search and pages; the visits stay at half until the rumour fades."""
    run.tell(
        at(16, 7, 30),
        "employees",
        "Quiet night; search and page fixes go live this morning.",
        next_update=at(16, 19, 30),
    )
    run.tell(
        at(16, 9, 0),
        "customers",
        "The marketplace's statement is on every product page; ask us anything "
        "on chat.",
        next_update=at(16, 21, 0),
    )
    run.report(at(16, 9, 30), at(16, 8), WEEK)
    run.crisis = run.crisis.complete_action(
        "traffic_recovery.optimise_search",
        at=at(16, 10, 0),
        actor="wei",
        note="titles, pages and search keywords improved",
    )
    run.crisis = run.crisis.start_action(
        "traffic_recovery.track_traffic", at=at(16, 10, 30), actor="hao"
    )
    run.crisis = run.crisis.complete_action(
        "traffic_recovery.track_traffic",
        at=at(16, 14, 0),
        actor="hao",
        note="daily report: visits by category against yesterday and a week before",
    )
    still = run.data.visits_share(at(16, 18), WEEK)
    run.tell(
        at(16, 19, 30),
        "employees",
        f"Visits still at {still:.0%} of last week at 18:00; keep the live-stream "
        "schedule.",
        next_update=at(17, 7, 30),
    )
    run.tell(
        at(16, 21, 0),
        "customers",
        "Second live stream tonight; the 15% thank-you offer runs until Friday.",
        next_update=at(17, 9, 0),
    )
    run.tell(
        at(17, 7, 30),
        "employees",
        "Day three: the rumour is fading from the feeds; watch visits against "
        "last week.",
        next_update=at(17, 19, 30),
    )
    run.tell(
        at(17, 9, 0),
        "customers",
        "Independent test results for every category are on our home page.",
        next_update=at(17, 21, 0),
    )
    run.report(at(17, 19, 0), at(17, 18), WEEK)
    share = run.data.visits_share(at(17, 18), WEEK)
    run.tell(
        at(17, 19, 30),
        "employees",
        f"Visits climbing back since noon: {share:.0%} of last week at 18:00.",
        next_update=at(18, 7, 30),
    )
    run.tell(
        at(17, 21, 0),
        "customers",
        "Thank you for coming back to us.",
        next_update=at(18, 9, 0),
    )


def lost_sales(data: ShopData) -> tuple[Decimal, str]:
    """Measure lost GMV: 72 hours from 15 September 10:00 against a week before."""
    start, end = at(15, 10), at(18, 10)
    during = data.gmv(start, end)
    before = data.gmv(start - WEEK, end - WEEK)
    note = (
        f"GMV {start:%m-%d %H:%M} to {end:%m-%d %H:%M} CNY {during:,.0f} against "
        f"{before:,.0f} the same hours a week before"
    )
    return Decimal(f"{before - during:.2f}"), note


def recovery(run: Response) -> None:
    """See the visits back to the week before, count the losses and resolve."""
    early = run.data.visits_share(at(18, 6), WEEK)
    run.tell(
        at(18, 7, 30),
        "employees",
        f"Visits at {early:.0%} of last week at 06:00; prepare to stand down.",
        next_update=at(18, 19, 30),
    )
    run.tell(
        at(18, 9, 0),
        "customers",
        "Our thank-you offer ends today; thank you for your trust.",
        next_update=at(18, 21, 0),
    )
    run.report(at(18, 12, 30), at(18, 11), WEEK)
    ten, eleven = (run.data.visits_share(at(18, h), WEEK) for h in (10, 11))
    run.crisis = run.crisis.mark_recovered(
        at=at(18, 12, 30),
        actor="mei",
        summary=(
            f"visits back to last week's: {ten:.0%} and {eleven:.0%} of the same "
            "hours a week before at 10:00 and 11:00"
        ),
    )
    amount, note = lost_sales(run.data)
    run.crisis = run.crisis.record_loss(
        at=at(18, 15, 0),
        actor="mei",
        category=LossCategory.LOST_SALES,
        amount=amount,
        estimate=False,
        note=note,
    )
    run.crisis = run.crisis.resolve(
        at=at(18, 16, 0), actor="mei", summary="traffic stable; war room closed"
    )
    run.tell(at(18, 16, 10), "employees", "Crisis resolved; review on 22 September.")
    run.tell(at(18, 16, 10), "customers", "Thank you: everything is back to normal.")


def respond(alert: Alert, data: ShopData) -> Response:
    """Run the whole response and return it."""
    run = Response(declare(alert), communication_plan(), data)
    organise(run)
    first_hours(run)
    the_slip(run)
    evening(run)
    the_long_tail(run)
    recovery(run)
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
        f"{RATES.currency} {money(event.amount)} ({kind}): {event.note}"
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


def print_case() -> None:
    """Print the case's header: section, title, the book's words and a gloss."""
    labels = CASE.labels
    print(f"{CASE.section} {labels.en} · {labels.zh_hant}")
    for sentence in CASE.quote.replace("。", "。\n").splitlines():
        print(f"  {sentence}")  # one of the book's sentences a line
    for line in textwrap.wrap(CASE.gloss, width=100):
        print(f"  {line}")


def tiers_text(rule: TriggerRule) -> str:
    """Say at which fall each tier of ``rule`` fires, e.g. ``III -35%``."""
    tiers = []
    for tier in rule.tiers:
        condition = tier.condition
        if isinstance(condition, Threshold) and isinstance(condition.predicate, Below):
            tiers.append(f"{tier.level.value} {condition.predicate.bound:+.0%}")
    return ", ".join(tiers)


def print_data(data: ShopData) -> None:
    """Describe the simulated shop, the shock's ground truth and the first hours."""
    run = data.run
    stamps = run.timestamps
    shock = rumour()
    truth = run.truth(shock.key)
    skus = [entity for entity in truth.entities if entity != SHOP_ENTITY]
    offset = expect(stamps[0].utcoffset()) / HOUR
    recovery = shock.recovery / DAY
    print(f"Case data (traffic_case().simulate(seed={SEED}))")
    print(
        f"  {len(CASE.profile.assortment.skus)} SKUs and the shop row, "
        f"{CASE.profile.period.value} from {when(stamps[0])} to {when(stamps[-1])} "
        f"({len(stamps):,} hours), CNY, {stamps[0]:%Z} (UTC+{offset:g})"
    )
    print(
        f"  shock {truth.shock} ({truth.kind}, {truth.crisis_type}, Level "
        f"{expect(truth.level).value}): traffic × {shock.traffic_factor:g} on all "
        f"{len(skus)} SKUs"
    )
    print(
        f"    from {when(truth.onset)} to {when(truth.end)}, back over "
        f"{recovery:g} day{'' if recovery == 1 else 's'} (ground truth)"
    )
    onset = truth.onset
    print(f"  {'shop visits':<11} {onset - DAY:%m-%d} {onset:%m-%d} {'change':>7}")
    for hour in (8, 9, 10, 11):
        stamp = at(onset.day, hour)
        before = data.value("traffic.visits", stamp - DAY)
        now = data.value("traffic.visits", stamp)
        change = now / before - 1
        print(f"  {stamp:%H:%M}       {before:>5,.0f} {now:>5,.0f} {change:>+7.1%}")


def print_alert(alerts: tuple[Alert, ...], data: ShopData) -> Alert:
    """Say what the monitoring rule saw, and return its one alert."""
    rule = traffic_rule()
    print("Alert (book §3 關鍵指標監控)")
    print(
        f"  rule {rule.name} ({tiers_text(rule)}) on the shop row, all "
        f"{data.shop.n_periods:,} hours: {len(alerts)} alert"
    )
    (alert,) = alerts  # the story has exactly one
    evidence = alert.evidence
    print(
        f"  {alert.id}: traffic.visits {evidence.observed:,.0f} against "
        f"{evidence.baseline:,.0f} the same hour yesterday ({evidence.signal:+.0%}), "
        f"Level {level_text(expect(alert.level))}"
    )
    print(
        f"  first breach {when(alert.first_breach_at)}, fired {when(alert.fired_at)} "
        f"(rule: {rule.description})"
    )
    cleared = alert.resolved_at
    if cleared is not None:
        share = data.visits_share(cleared, WEEK)
        print(
            f"  cleared {when(cleared)}: yesterday was down too, not a recovery "
            f"(visits {share:.0%} of the same hour a week before)"
        )
    return alert


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


def print_drill(report: DrillReport, shop_run: ShopRun, measured: Decimal) -> None:
    """Print the case's own drill on the same hours (book §4 模擬演練).

    The drill knows the truth: its loss is GMV lost against the shop's
    unshocked drivers, plus orders lost to stock-outs over the whole run.
    """
    summary = report.summary
    base, now = shop_run.baseline, shop_run.drivers
    shortfall = base.traffic * base.conversion * base.price - (
        now.traffic * now.conversion * now.price
    )
    to_rumour = float(np.clip(shortfall, 0.0, None).sum())
    to_stockouts = float((shop_run.lost_orders * now.price).sum())
    print(f"Drill of the case (book §4 模擬演練): CASE.drill(seed={SEED}), same hours")
    print(
        f"  detected after {duration(summary.mean_detection_lag)}, "
        f"{summary.missed} missed, {summary.false_crises} false crises; "
        f"{summary.actions_late} of {summary.actions} actions late"
    )
    print(
        f"  estimated loss {summary.estimated_loss:,.2f} = {to_rumour:,.2f} to the "
        f"rumour (true drivers) + {to_stockouts:,.2f} to ordinary stock-outs"
    )
    print(f"  the team measured {money(measured)} against the week before")


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


# --- the figures (--plots DIR) ---------------------------------------------------


def figures(data: ShopData, alert: Alert, crisis: Crisis) -> dict[str, Figure]:
    """Draw the visits around the rumour with the alert, and the crisis timeline."""
    from matplotlib.dates import date2num  # noqa: PLC0415  only with --plots

    onset = rumour().onset
    start = onset - 5 * DAY
    shown = data.shop.slice(start=start)
    visits = kpi_chart(
        shown,
        "traffic.visits",
        SHOP_ENTITY,
        alerts=[alert],
        title=f"Shop visits per hour, {start:%d} – {shown.timestamps[-1]:%d %B}",
    )
    axes = visits.axes[0]
    low = data.shop.index_at(start - WEEK)
    axes.plot(
        date2num(shown.timestamps),  # type: ignore[no-untyped-call]
        data.series("traffic.visits")[low : low + shown.n_periods],
        color="tab:green",
        linewidth=0.8,
        alpha=0.8,
        label="the same hour a week before",
    )
    axes.legend(loc="best", fontsize=8)
    # From the rumour to the resolution (the review's deadline, weeks later,
    # falls outside), and the first day: Level III, II from 13:25, III again
    # from 22:05.
    resolved = expect(crisis.milestones.resolved)
    return {
        "traffic_visits.png": visits,
        "traffic_timeline.png": crisis_timeline(
            crisis, window=(onset - 2 * HOUR, resolved + 6 * HOUR)
        ),
        "traffic_first_day.png": crisis_timeline(
            crisis, window=(onset - HOUR, onset + 16 * HOUR)
        ),
    }


def main(argv: Sequence[str] | None = None) -> None:
    """Simulate the case, detect, respond and print what the crisis team would read."""
    plots = plots_directory(argv, __doc__)
    print_case()
    print()
    shop_run = CASE.simulate(seed=SEED)
    data = ShopData(shop_run)
    print_data(data)
    print()
    alert = print_alert(detect(data), data)
    print()
    run = respond(alert, data)
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
    measured = business_loss(crisis).best_known[LossCategory.LOST_SALES]
    print_drill(CASE.drill(seed=SEED, run=shop_run), shop_run, measured)
    print()
    print_round_trip(crisis)
    if plots is not None:
        save_figures(plots, figures(data, alert, crisis))


if __name__ == "__main__":
    main()
