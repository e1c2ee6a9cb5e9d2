"""The four case studies of book §5.4 as runnable scenarios (案例分析).

Book §5.4 (案例分析:成功應對電商危機的實踐) tells four short stories of shops
that came through a crisis. Each is a `BookCase` here: a synthetic shop
(`ShopProfile`), the shock that breaks it (with its `GroundTruth`), and a
`DrillPolicy` whose trigger rules watch the indicators the case needs, so
that `BookCase.drill` runs the whole loop on it (warning, declaration,
team, playbook, communication, resolution, review) and scores the response.

* 案例一 `inventory_case`: a supplier fire three weeks before Double 11
  (`SupplierOutage`); the stock-out rate rises above its calibrated bound.
* 案例二 `traffic_case`: a viral rumour halves the visits from 10:00 (hourly
  data, `DemandShift`); visits fall against the same hour a day before.
* 案例三 `data_breach_case`: customer data leaks and the story spreads over
  the stakeholder graph (`DataBreach`); mentions rise above their bound.
* 案例四 `customer_service_case`: a new helpdesk vendor drops tickets
  (`ServiceFailure`); complaints rise above their calibrated bound.

Every case is fixed data (dates, shop, shock, rules); randomness enters
only through the seed given to `BookCase.simulate` or `BookCase.drill`.
The examples of the earlier packages take their data from these cases:
``examples/inventory_crisis_plan.py`` and ``examples/supplier_outage_drill.py``
(一), ``examples/traffic_drop_response.py`` (二),
``examples/data_breach_communication.py`` (三) and
``examples/customer_service_review.py`` (四).

Examples
--------
>>> from crisisops.scenarios import book_cases, customer_service_case
>>> [(case.number, case.key) for case in book_cases()]
[(1, 'inventory'), (2, 'traffic'), (3, 'data_breach'), (4, 'customer_service')]
>>> case = customer_service_case(skus=20)
>>> case.labels.zh_hant
'客戶服務危機應對實踐'
>>> report = case.drill(seed=4)
>>> score = report.shocks[0]
>>> score.crisis_type, score.detected
('other.customer_service_failure', True)
>>> report.false_crises
()
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from crisisops._random import SeedLike, resolve_rng
from crisisops._validation import (
    field_name,
    is_instance,
    is_key,
    is_text,
    to_tuple,
)
from crisisops.errors import InvalidTypeError, ValidationError
from crisisops.labels import Labels
from crisisops.monitoring import (
    Above,
    Below,
    BoundSpec,
    Calibrated,
    Change,
    Consecutive,
    MeanSigma,
    Raw,
    SeasonalLag,
    Side,
    Threshold,
    Tier,
    TriggerRule,
)
from crisisops.scenarios.drill import (
    DrillPolicy,
    DrillReport,
    default_drill_rules,
    run_drill,
)
from crisisops.scenarios.shocks import (
    DataBreach,
    DemandShift,
    ServiceFailure,
    Shock,
    SupplierOutage,
    is_shock,
)
from crisisops.scenarios.shop import PeriodLength, ShopProfile, ShopRun, simulate_shop
from crisisops.stakeholders import Channel, Influence, Stakeholder, StakeholderGraph
from crisisops.taxonomy import ResponseLevel

__all__ = [
    "BookCase",
    "book_cases",
    "customer_service_case",
    "data_breach_case",
    "inventory_case",
    "traffic_case",
]

#: The shops of the cases keep China Standard Time (UTC+8).
CST = dt.timezone(dt.timedelta(hours=8), "CST")


def _number(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(name, value, "an int")
    if not 1 <= value <= 4:
        raise ValidationError(name, value, "a case number from 1 to 4")


def _check_skus(skus: object) -> None:
    """Reject a shop size the default shop cannot build (six suppliers)."""
    if isinstance(skus, bool) or not isinstance(skus, int):
        raise InvalidTypeError("skus", skus, "an int")
    if skus < 6:
        raise ValidationError("skus", skus, "at least 6 SKUs (one per supplier)")


def _shocks(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    if not value:
        raise ValidationError(name, value, "at least one shock")
    for index, shock in enumerate(value):
        if not is_shock(shock):
            raise InvalidTypeError(f"{name}[{index}]", shock, "a shock")


@attrs.frozen(kw_only=True)
class BookCase:
    """One case study of book §5.4, as a shop, a shock and a drill policy.

    Attributes
    ----------
    key
        Short key (``inventory``, ``traffic``, ``data_breach``,
        ``customer_service``).
    number
        The case's number in the book, 1 to 4 (案例一 … 案例四).
    labels
        The case's title in English, 繁體 and 简体.
    section
        Where it is in the book, e.g. ``§5.4 案例一``.
    quote
        The case as the book tells it (Traditional Chinese).
    gloss
        The quote in English.
    profile
        The synthetic shop.
    shocks
        The shock(s) that make the crisis; the first is the case's own.
    policy
        The drill policy: rules that watch the case's indicators, the
        stakeholders the communication plan addresses.

    Examples
    --------
    >>> case: BookCase = customer_service_case(skus=6)
    >>> case.number, case.section, case.labels.en
    (4, '§5.4 案例四', 'Handling a customer-service crisis')
    >>> case.shock is case.shocks[0], case.shock.crisis_type
    (True, 'other.customer_service_failure')
    >>> [rule.name for rule in case.policy.rules][-1]  # the case's own rule
    'complaint_surge'

    A case drills only its own runs:

    >>> from crisisops.errors import ValidationError
    >>> other = data_breach_case(skus=6).simulate(seed=1)
    >>> try:
    ...     case.drill(seed=1, run=other)
    ... except ValidationError as error:
    ...     error.field, error.expected
    ('run', 'a run of the customer_service case')
    """

    key: str = attrs.field(validator=is_key())
    number: int = attrs.field(validator=_number)
    labels: Labels = attrs.field(validator=is_instance(Labels, "a Labels"))
    section: str = attrs.field(validator=is_text())
    quote: str = attrs.field(validator=is_text())
    gloss: str = attrs.field(validator=is_text())
    profile: ShopProfile = attrs.field(
        validator=is_instance(ShopProfile, "a ShopProfile")
    )
    shocks: tuple[Shock, ...] = attrs.field(converter=to_tuple, validator=_shocks)
    policy: DrillPolicy = attrs.field(
        validator=is_instance(DrillPolicy, "a DrillPolicy")
    )

    @property
    def shock(self) -> Shock:
        """The case's own shock (the first)."""
        return self.shocks[0]

    def simulate(self, *, seed: SeedLike, runs: int | None = None) -> ShopRun:
        """Simulate the case's shop with its shocks (`simulate_shop`).

        Raises
        ------
        InvalidTypeError, ValidationError
            For a bad ``seed`` or ``runs``.
        """
        return simulate_shop(self.profile, self.shocks, seed=seed, runs=runs)

    def drill(
        self, *, seed: SeedLike, run: ShopRun | None = None, run_index: int = 0
    ) -> DrillReport:
        """Drill the case (`run_drill` with the case's policy).

        Parameters
        ----------
        seed
            Seed or Generator; without ``run`` it draws the shop first
            (`simulate`), then the drill's action durations and messages.
        run
            A run of this case to drill instead of simulating one.
        run_index
            Which run of ``run`` to drill (default 0).

        Raises
        ------
        InvalidTypeError
            For a ``run`` that is not a `ShopRun`, or a bad ``seed``.
        ValidationError
            For a ``run`` of another shop or with other shocks (field
            ``run``), or a run index out of range.
        """
        rng = resolve_rng(seed, "seed")
        if run is None:
            run = self.simulate(seed=rng)
        elif not isinstance(run, ShopRun):
            raise InvalidTypeError("run", run, "a ShopRun")
        elif run.profile is not self.profile and (
            run.profile.timestamps != self.profile.timestamps
            or run.profile.entities != self.profile.entities
        ):
            raise ValidationError("run", "ShopRun", f"a run of the {self.key} case")
        shocks = tuple(truth.shock for truth in run.ground_truth)
        if shocks != tuple(shock.key for shock in self.shocks):
            raise ValidationError(
                "run", shocks, f"a run with the shocks of the {self.key} case"
            )
        return run_drill(run, policy=self.policy, seed=rng, run_index=run_index)


# --- shared pieces --------------------------------------------------------------------


def _with_rule(
    policy: DrillPolicy,
    rule: TriggerRule | None = None,
    *extra: BoundSpec,
    retype: dict[str, str] | None = None,
) -> DrillPolicy:
    """Return ``policy`` with the default rules (some re-typed) plus ``rule``.

    ``extra`` are the bounds ``rule`` reads.
    ``retype`` maps a default rule's name to the crisis type it should
    declare instead of its own.
    """
    rules, bounds = default_drill_rules(
        k=policy.k,
        persistence=policy.persistence,
        stockout_floor=policy.stockout_floor,
        level=policy.level,
    )
    renamed = retype or {}
    kept = [
        attrs.evolve(r, crisis_type=renamed[r.name]) if r.name in renamed else r
        for r in rules
    ]
    return attrs.evolve(
        policy,
        rules=(*kept, rule) if rule is not None else kept,
        bounds=(*bounds, *extra),
    )


def _calibrated_rule(  # noqa: PLR0913  one rule, spelled out
    *,
    name: str,
    metric: str,
    side: Side,
    crisis_type: str,
    policy: DrillPolicy,
    description: str,
    persistence: int | None = None,
) -> tuple[TriggerRule, BoundSpec]:
    """Return a rule on ``metric`` beyond its calibrated mean ± k·σ, with its bound."""
    bound = BoundSpec(
        name=f"{name}_bound", metric=metric, method=MeanSigma(policy.k, side=side)
    )
    predicate = (
        Below(Calibrated(bound.name))
        if side is Side.LOWER
        else Above(Calibrated(bound.name))
    )
    rule = TriggerRule(
        name=name,
        crisis_type=crisis_type,
        tiers=[Tier(policy.level, Threshold(signal=Raw(metric), predicate=predicate))],
        persistence=Consecutive(
            policy.persistence if persistence is None else persistence
        ),
        description=description,
    )
    return rule, bound


# --- case 1: inventory ----------------------------------------------------------------


def inventory_case(*, skus: int = 50) -> BookCase:
    """Case one (案例一:庫存危機應對實踐): a supplier fire before Double 11.

    A year (2026) of daily data for ``skus`` SKUs and six suppliers, with the
    618 and Double 11 peaks. On 20 October a fire stops ``supplier-01`` for
    four weeks, three weeks before Double 11: the SKUs it supplies get less
    (or no) restocking and run dry as the peak comes. The stock-out rule
    declares a ``supply_chain.peak_season_stockout`` crisis (playbook
    ``inventory_replenishment``: assess the stock, call the suppliers,
    serve key customers first, re-forecast).

    Raises
    ------
    ValidationError, InvalidTypeError
        For fewer than 6 SKUs (every supplier must supply one).

    Examples
    --------
    With 12 SKUs, ``supplier-01`` is the only source of two of them (a third
    of the revenue); during the fire they get no restocking and run dry on
    about half of the 28 days, never before:

    >>> case = inventory_case(skus=12)
    >>> impact = case.profile.network.outage_impact(["supplier-01"])
    >>> impact.fully_lost, round(impact.revenue_share, 2)
    (('sku-002', 'sku-004'), 0.33)
    >>> truth = case.shock.ground_truth(case.profile)
    >>> truth.crisis_type, truth.onset.date().isoformat(), truth.entities
    ('supply_chain.peak_season_stockout', '2026-10-20', ('sku-002', 'sku-004', 'shop'))
    >>> run = case.simulate(seed=1)
    >>> fire = run.timestamps.index(case.shock.onset)
    >>> stockout = run.kpi("supply.stockout_rate")[0][:, [1, 3]]  # sku-002, sku-004
    >>> before, during = stockout[:fire], stockout[fire : fire + 28]
    >>> before.sum(axis=0).tolist(), during.sum(axis=0).tolist()  # days out of stock
    ([0.0, 0.0], [14.0, 13.0])
    """
    _check_skus(skus)
    start = dt.datetime(2026, 1, 1, tzinfo=CST)
    profile = ShopProfile.default(start, skus=skus, days=365)
    outage = SupplierOutage(
        key="supplier_fire",
        failed=["supplier-01"],
        onset=dt.datetime(2026, 10, 20, tzinfo=CST),
        end=dt.datetime(2026, 11, 17, tzinfo=CST),
        crisis_type="supply_chain.peak_season_stockout",
    )
    policy = _with_rule(
        DrillPolicy(),
        retype={"stockout_surge": "supply_chain.peak_season_stockout"},
    )
    return BookCase(
        key="inventory",
        number=1,
        labels=Labels(
            en="Handling an inventory crisis",
            zh_hant="庫存危機應對實踐",
            zh_hans="库存危机应对实践",
        ),
        section="§5.4 案例一",
        quote=(
            "某電商企業在銷售高峰期遭遇了庫存危機,面臨斷貨風險。企業迅速啟動應急預案,"
            "首先準確評估庫存現狀,然後緊急聯系供應商協調貨源。同時,企業調整營銷策略,"
            "優先處理訂單中的緊急和重點客戶,確保客戶滿意度。此外,企業還利用大數據分析"
            "預測未來需求趨勢,及時調整采購計劃,避免了再次發生庫存危機。"
        ),
        gloss=(
            "In its peak season a shop ran into an inventory crisis and risked "
            "selling out. It started its contingency plan at once: an accurate "
            "picture of the stock, urgent calls to suppliers, marketing adjusted, "
            "urgent and key customers served first, demand re-forecast with data "
            "and purchasing adjusted so that it would not happen again."
        ),
        profile=profile,
        shocks=[outage],
        policy=policy,
    )


# --- case 2: traffic ------------------------------------------------------------------


def _traffic_rule() -> TriggerRule:
    """Visits down against the same hour the day before, two hours running."""
    fall = Change(metric="traffic.visits", baseline=SeasonalLag(period=24))

    def down_by(share: float) -> Threshold:
        return Threshold(signal=fall, predicate=Below(-share, inclusive=True))

    return TriggerRule(
        name="traffic_drop",
        crisis_type="market.traffic_swing",
        tiers=[
            Tier(ResponseLevel.IV, down_by(0.25)),
            Tier(ResponseLevel.III, down_by(0.35)),
            Tier(ResponseLevel.II, down_by(0.55)),
        ],
        persistence=Consecutive(2),
        description="visits down against the same hour yesterday, 2 hours in a row",
    )


def traffic_case(*, skus: int = 200) -> BookCase:
    """Case two (案例二:流量波動應對策略): a viral rumour halves the visits.

    Hourly data for ``skus`` SKUs from 20 July to 21 September 2026. On
    Tuesday 15 September at 10:00 a viral post wrongly ties the shop to a
    competitor's scandal: visits to every SKU fall to half, stay there for
    two days and come back over the next day. The rule ``traffic_drop``
    compares each hour's visits with the same hour the day before (so the
    daily rhythm cancels) and fires after two hours in a row down by 25%
    (Level IV), 35% (III) or 55% (II); it declares a
    ``market.traffic_swing`` crisis (playbook ``traffic_recovery``).

    Raises
    ------
    ValidationError, InvalidTypeError
        For fewer than 6 SKUs.

    Examples
    --------
    The rumour starts at 10:00; the rule needs two hours in a row down, so
    the drill declares the crisis at 11:00, one hour after the onset:

    >>> case = traffic_case(skus=6)
    >>> case.profile.period.name, case.profile.periods  # 64 days of hours
    ('HOURLY', 1536)
    >>> case.shock.onset.isoformat()
    '2026-09-15T10:00:00+08:00'
    >>> report = case.drill(seed=1)
    >>> score = report.shocks[0]
    >>> str(score.detected_at - score.onset), report.false_crises
    ('1:00:00', ())
    """
    _check_skus(skus)
    start = dt.datetime(2026, 7, 20, tzinfo=CST)
    profile = ShopProfile.default(start, skus=skus, days=64, period=PeriodLength.HOURLY)
    rumour = DemandShift(
        key="viral_rumour",
        onset=dt.datetime(2026, 9, 15, 10, tzinfo=CST),
        end=dt.datetime(2026, 9, 17, 10, tzinfo=CST),
        recovery=dt.timedelta(days=1),
        traffic_factor=0.5,
        crisis_type="market.traffic_swing",
        level=ResponseLevel.III,
    )
    # Only the traffic rule: the default rules compare each period with one
    # mean ± k·σ, which on hourly data measures the daily rhythm, not a crisis.
    policy = DrillPolicy(rules=[_traffic_rule()])
    return BookCase(
        key="traffic",
        number=2,
        labels=Labels(
            en="Responding to a traffic swing",
            zh_hant="流量波動應對策略",
            zh_hans="流量波动应对策略",
        ),
        section="§5.4 案例二",
        quote=(
            "某電商平臺因突發事件導致流量波動,面臨流量驟降的風險。平臺迅速啟動廣告推廣和"
            "營銷活動,吸引用戶注意力,同時優化搜索引擎排名和用戶體驗,提高用戶粘性。此外,"
            "平臺還利用社交媒體進行危機公關,積極回應用戶關切,重塑品牌形象。"
        ),
        gloss=(
            "A sudden event made a platform's traffic swing and threatened a "
            "sharp drop. It launched advertising and promotions, improved its "
            "search ranking and user experience, and used social media for "
            "crisis PR, answering users' concerns and rebuilding its image."
        ),
        profile=profile,
        shocks=[rumour],
        policy=policy,
    )


# --- case 3: data breach --------------------------------------------------------------

# Each stakeholder: key, kind, then power, legitimacy, urgency, interest,
# sentiment and reach (see `Stakeholder`).
_PEOPLE = (
    ("staff", "employees", 0.5, 0.9, 0.6, 0.9, 0.2, 2),
    ("angry_buyers", "customers", 0.3, 0.9, 0.9, 1.0, -0.8, 4),
    ("buyers", "customers", 0.6, 0.9, 0.5, 0.7, 0.1, 4),
    ("vip_buyers", "customers", 0.5, 0.9, 0.6, 0.8, 0.4, 3),
    ("netizens", "public", 0.2, 0.4, 0.5, 0.5, -0.1, 5),
    ("tea_kol", "influencers", 0.6, 0.5, 0.6, 0.6, 0.0, 5),
    ("daily_news", "media", 0.7, 0.6, 0.8, 0.7, 0.0, 5),
    ("marketplace", "platform", 0.9, 0.9, 0.6, 0.7, 0.0, 3),
    ("cyberspace_office", "regulators", 0.9, 0.9, 0.7, 0.8, 0.0, 1),
    ("oolong_farm", "suppliers", 0.4, 0.8, 0.2, 0.4, 0.3, 5),
    ("investors", "investors", 0.8, 0.7, 0.2, 0.6, 0.0, 3),
)

# Who passes the story on to whom, with the chance they do (0-1).
_ARCS = (
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
)


def _breach_graph() -> StakeholderGraph:
    """Return the tea shop's stakeholders and who passes the story to whom."""
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
        for key, kind, power, legitimacy, urgency, interest, sentiment, reach in _PEOPLE
    ]
    influences = [
        Influence(source=source, target=target, weight=weight)
        for source, target, weight in _ARCS
    ]
    return StakeholderGraph(stakeholders=stakeholders, influences=influences)


def data_breach_case(*, skus: int = 50) -> BookCase:
    """Case three (案例三:數據安全危機應對實踐): customer data leaks.

    Daily data for ``skus`` SKUs of a tea shop from 2 March to 31 May 2026
    (before the 618 rush). On 4 May an attack leaks customer data; the
    story spreads from
    the angry buyers over the shop's stakeholder graph (netizens, a tea
    KOL, a daily paper, the marketplace, the regulator …), one cascade step
    a day, until the breach is contained and answered on 18 May. Sentiment
    falls, mentions rise and traffic drops with the share of stakeholders
    who turned negative. The social-listening rule ``mentions_surge``
    (mentions above their calibrated mean + k·σ; book §5.2 監控社交媒體)
    declares a ``technical.data_security_breach``
    crisis (playbook ``security_incident``), and the communication plan
    addresses the whole graph.

    Raises
    ------
    ValidationError, InvalidTypeError
        For fewer than 6 SKUs.

    Examples
    --------
    The story starts with the angry buyers and spreads over 11 stakeholders
    one step a day; mentions climb to about six times their level:

    >>> case = data_breach_case(skus=6)
    >>> case.shock.seeds, len(case.shock.stakeholders.keys)
    (('angry_buyers',), 11)
    >>> [rule.name for rule in case.policy.rules][-1]
    'mentions_surge'
    >>> run = case.simulate(seed=1)
    >>> leak = run.timestamps.index(case.shock.onset)
    >>> (run.drivers.mentions / run.baseline.mentions)[0, leak - 1 : leak + 4].round(
    ...     1
    ... ).tolist()
    [1.0, 2.7, 4.5, 6.2, 6.2]
    """
    _check_skus(skus)
    start = dt.datetime(2026, 3, 2, tzinfo=CST)
    profile = ShopProfile.default(start, skus=skus, days=91)
    graph = _breach_graph()
    breach = DataBreach(
        key="customer_data_leak",
        onset=dt.datetime(2026, 5, 4, tzinfo=CST),
        end=dt.datetime(2026, 5, 18, tzinfo=CST),
        recovery=dt.timedelta(days=7),
        stakeholders=graph,
        seeds=["angry_buyers"],
        level=ResponseLevel.II,
    )
    base = DrillPolicy(stakeholders=graph, level=ResponseLevel.II)
    rule, bound = _calibrated_rule(
        name="mentions_surge",
        metric="social.mentions",
        side=Side.UPPER,
        crisis_type="technical.data_security_breach",
        policy=base,
        description=(
            f"social.mentions above its calibrated mean + {base.k:g}·σ, "
            f"{base.persistence} periods in a row"
        ),
    )
    return BookCase(
        key="data_breach",
        number=3,
        labels=Labels(
            en="Handling a data-security crisis",
            zh_hant="數據安全危機應對實踐",
            zh_hans="数据安全危机应对实践",
        ),
        section="§5.4 案例三",
        quote=(
            "某電商企業在遭受網絡攻擊后,面臨數據泄露風險。企業立即啟動安全應急機制,"
            "包括加強網絡安全防護、恢復數據備份、調查攻擊來源等。同時,企業還通過發布公告"
            "和積極溝通的方式告知用戶情況,并采取措施保護用戶權益不受損害。"
        ),
        gloss=(
            "After a network attack a shop faced a leak of customer data. It "
            "started its security response at once: stronger defences, data "
            "restored from backup, the source of the attack investigated; and "
            "it told its users what happened through notices and open "
            "communication, and protected their rights."
        ),
        profile=profile,
        shocks=[breach],
        policy=_with_rule(base, rule, bound),
    )


# --- case 4: customer service ---------------------------------------------------------


def customer_service_case(*, skus: int = 50) -> BookCase:
    """Case four (案例四:客戶服務危機應對實踐): the helpdesk drops tickets.

    Daily data for ``skus`` SKUs of a small-appliance shop in Hangzhou from
    2 February to 1 June 2026 (before the 618 rush). On Monday 13 April the
    helpdesk moves to a new outsourced vendor and chat and e-mail tickets
    land in a queue nobody watches: over three days the share of badly
    served orders climbs to 15%, stays there until 4 May and eases over the
    following week.
    Complaints, negative reviews and the rating follow. The rule
    ``complaint_surge`` (complaints above their calibrated mean + k·σ three
    days in a row, so that a busy day does not fire it)
    declares an ``other.customer_service_failure`` crisis (playbook
    ``service_recovery``: add agents, streamline, retrain, collect
    feedback, answer in public).

    Raises
    ------
    ValidationError, InvalidTypeError
        For fewer than 6 SKUs.
    """
    _check_skus(skus)
    start = dt.datetime(2026, 2, 2, tzinfo=CST)
    profile = ShopProfile.default(start, skus=skus, days=119)
    failure = ServiceFailure(
        key="helpdesk_vendor_switch",
        onset=dt.datetime(2026, 4, 13, tzinfo=CST),
        end=dt.datetime(2026, 5, 4, tzinfo=CST),
        ramp=dt.timedelta(days=3),
        recovery=dt.timedelta(days=7),
        service_failure_rate=0.15,
    )
    base = DrillPolicy()
    # Complaints are counts and rise with orders: on a promotion day they
    # double. Three days in a row (the book's own persistence, §3) tell a
    # service failure, which lasts for weeks, from a busy day.
    rule, bound = _calibrated_rule(
        name="complaint_surge",
        metric="feedback.complaints",
        side=Side.UPPER,
        crisis_type="other.customer_service_failure",
        policy=base,
        persistence=3,
        description=(
            f"feedback.complaints above their calibrated mean + {base.k:g}·σ, "
            "3 days in a row"
        ),
    )
    policy = _with_rule(base, rule, bound)
    return BookCase(
        key="customer_service",
        number=4,
        labels=Labels(
            en="Handling a customer-service crisis",
            zh_hant="客戶服務危機應對實踐",
            zh_hans="客户服务危机应对实践",
        ),
        section="§5.4 案例四",
        quote=(
            "某電商企業在客戶服務環節出現問題時,迅速意識到危機的嚴重性。企業立即優化客戶"
            "服務流程,增加客服人員配備,加強培訓提升服務水平;同時積極收集客戶反饋意見,"
            "針對問題制定改進措施。此外,企業還通過社交媒體和客服渠道與用戶進行互動溝通,"
            "及時回應關切,有效緩解了客戶服務危機帶來的負面影響。"
        ),
        gloss=(
            "When its customer service failed, a shop quickly saw how serious "
            "the crisis was. It streamlined the service process, added agents "
            "and training, collected customer feedback and set improvements for "
            "each problem, and answered users on social media and its service "
            "channels."
        ),
        profile=profile,
        shocks=[failure],
        policy=policy,
    )


def book_cases() -> tuple[BookCase, ...]:
    """Return the four cases of book §5.4 in the book's order (default sizes)."""
    return (
        inventory_case(),
        traffic_case(),
        data_breach_case(),
        customer_service_case(),
    )
