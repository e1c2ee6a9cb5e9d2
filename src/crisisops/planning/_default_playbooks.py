"""Built-in playbook data: a contingency plan (預案) for every key of `PLAYBOOK_KEYS`.

This module is catalog **data**: `BUILT_IN_PLAYBOOKS` is the tuple
`crisisops.planning.playbooks.default_playbooks()` wraps in a
`PlaybookCatalog`. Users add or replace plans in that catalog; nothing here is
special (DESIGN.md principle 7).

Sources
-------
Each plan is written from the book: the comment above it quotes the passage
it follows. The four case studies of §5.4 (案例分析:成功應對電商危機的實踐) give
``inventory_replenishment`` (案例一), ``traffic_recovery`` (案例二),
``security_incident``, ``data_breach_notification`` and ``data_restore``
(案例三) and ``service_recovery`` (案例四); the others follow the response
strategies of the crisis types in chapter 二 (§2.1–§2.6). Each step's
``zh_hant`` label is the book's wording where the book has one; ``en`` is a
translation and ``zh_hans`` the same text in simplified script.

Choices that are crisisops', not the book's
-------------------------------------------
* ``crisis_types`` of each plan are the crisis types whose
  ``default_playbooks`` name it (`crisisops._crisis_types`), so the two
  catalogs never disagree.
* Owners are keys of ``ROLE_KEYS``, chosen from the duties of §4 (明確小組職責
  與分工): the operations expert analyses and adjusts operations, marketing/PR
  handles public communication, customer service talks to consumers,
  technical maintenance keeps the platform running, legal counsel advises;
  supply-chain, finance, data and security leads own their fields.
* Durations (hours of work) and deadlines (offsets from activation) are
  planning defaults, chosen so that every plan's critical path fits the 24 h
  target of Level I (`TARGET_RESPONSE`) and every deadline falls at or after
  the step's earliest finish. Shops tune them with `attrs.evolve` and
  `PlaybookCatalog.replace`.
* Each plan ends with the §4/§6 step "復盤應對過程，更新預案並安排演練"
  (review, update the plan, schedule a drill; "應急預案的動態更新…定期進行預案
  演練"), due one calendar month after activation.
* Resource amounts are person-hours, keyed ``people.<role key>``; material
  and money depend on the shop and are left to it.
* The regulator deadline of ``data_breach_notification`` is 72 hours, after
  GDPR Art. 33(1) ("not later than 72 hours after having become aware of
  it"); PIPL Art. 57 asks for notice "立即" (immediately), so shops under it
  shorten the offset.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from dateutil.relativedelta import relativedelta

from crisisops._crisis_types import BUILT_IN_CRISIS_TYPES
from crisisops.labels import Labels
from crisisops.planning.playbooks import Playbook, PlaybookStep, StrategyFamily

__all__ = ["BUILT_IN_PLAYBOOKS"]

COMMUNICATION = StrategyFamily.COMMUNICATION
TEAM = StrategyFamily.TEAM
RESOURCES = StrategyFamily.RESOURCES
LEGAL_RISK = StrategyFamily.LEGAL_RISK
DRILLS = StrategyFamily.DRILLS


def _hours(n: float) -> dt.timedelta:
    return dt.timedelta(hours=n)


def _weeks(n: int) -> dt.timedelta:
    return dt.timedelta(weeks=n)


def _months(n: int) -> relativedelta:
    return relativedelta(months=n)


def _served_by(playbook_key: str) -> tuple[str, ...]:
    """Keys of the built-in crisis types that name ``playbook_key``."""
    return tuple(
        crisis_type.key
        for crisis_type in BUILT_IN_CRISIS_TYPES
        if playbook_key in crisis_type.default_playbooks
    )


def _step(  # noqa: PLR0913  one keyword per field of a step
    key: str,
    labels: Labels,
    *,
    owner: str,
    duration: dt.timedelta,
    deadline: dt.timedelta | relativedelta,
    families: tuple[StrategyFamily, ...],
    done_when: str,
    after: tuple[str, ...] = (),
    communication: bool = False,
    resources: Mapping[str, float] | None = None,
) -> PlaybookStep:
    return PlaybookStep(
        key=key,
        title=labels.en,
        labels=labels,
        owner_role=owner,
        deadline=deadline,
        duration=duration,
        depends_on=after,
        resources=resources or {},
        done_when=done_when,
        is_communication=communication,
        families=families,
    )


def _review(*, after: tuple[str, ...]) -> PlaybookStep:
    """Build the closing step of every built-in plan (book §4 培訓與演練, §6)."""
    return _step(
        "review_and_drill",
        Labels(
            en="Review the response, update this plan and schedule a drill",
            zh_hant="復盤應對過程，更新預案並安排演練",
            zh_hans="复盘应对过程，更新预案并安排演练",
        ),
        owner="crisis_lead",
        duration=_hours(2),
        deadline=_months(1),
        after=after,
        families=(DRILLS,),
        done_when="Lessons are written into this plan and the next drill is scheduled",
    )


BUILT_IN_PLAYBOOKS: tuple[Playbook, ...] = (
    # sales_recovery — §2.1: 調整產品策略、加強市場推廣、提高客戶服務水平; §3:
    # 銷售額連續三日下降 → 銷售危機應急預案
    Playbook(
        key="sales_recovery",
        labels=Labels(
            en="Sales recovery plan",
            zh_hant="銷售恢復預案",
            zh_hans="销售恢复预案",
        ),
        description=Labels(
            en=(
                "Sales stall or fall as demand shifts: analyse the drop, "
                "adjust the product strategy, strengthen promotion and "
                "service, and track the recovery."
            ),
            zh_hant=(
                "市場需求變化導致銷售停滯或下滑時：分析下滑原因，"
                "調整產品策略，加強市場推廣和客戶服務，"
                "並追蹤恢復情況。"
            ),
            zh_hans=(
                "市场需求变化导致销售停滞或下滑时：分析下滑原因，"
                "调整产品策略，加强市场推广和客户服务，"
                "并追踪恢复情况。"
            ),
        ),
        book_section="§2.1 市場危機",
        crisis_types=_served_by("sales_recovery"),
        steps=(
            _step(
                "analyse_sales_drop",
                Labels(
                    en="Analyse the sales drop by product, channel and cause",
                    zh_hant="按產品、渠道分析銷售下滑及其原因",
                    zh_hans="按产品、渠道分析销售下滑及其原因",
                ),
                owner="data_analyst",
                duration=_hours(4),
                deadline=_hours(8),
                families=(TEAM,),
                done_when=(
                    "The drop is broken down by product and channel, with "
                    "its likely cause"
                ),
            ),
            _step(
                "adjust_product_strategy",
                Labels(
                    en="Adjust the product strategy to current demand",
                    zh_hant="調整產品策略以貼合當前需求",
                    zh_hans="调整产品策略以贴合当前需求",
                ),
                owner="ops_expert",
                duration=_hours(6),
                deadline=_hours(24),
                after=("analyse_sales_drop",),
                families=(RESOURCES,),
                done_when=(
                    "Assortment, listings and prices are changed for the "
                    "products that fell"
                ),
            ),
            _step(
                "strengthen_promotion",
                Labels(
                    en="Strengthen marketing and promotion",
                    zh_hant="加強市場推廣",
                    zh_hans="加强市场推广",
                ),
                owner="marketing_pr",
                duration=_hours(4),
                deadline=_hours(24),
                after=("analyse_sales_drop",),
                families=(RESOURCES,),
                done_when=(
                    "Promotions for the affected products are live with a budget"
                ),
            ),
            _step(
                "improve_service",
                Labels(
                    en="Raise the customer-service level for hesitant buyers",
                    zh_hant="提高客戶服務水平，挽留猶豫的顧客",
                    zh_hans="提高客户服务水平，挽留犹豫的顾客",
                ),
                owner="ops_expert",
                duration=_hours(4),
                deadline=_hours(24),
                after=("analyse_sales_drop",),
                families=(RESOURCES, COMMUNICATION),
                communication=True,
                done_when="Service scripts and response-time targets are updated",
            ),
            _step(
                "track_recovery",
                Labels(
                    en="Track daily sales against the recovery target",
                    zh_hant="每日追蹤銷售恢復情況",
                    zh_hans="每日追踪销售恢复情况",
                ),
                owner="data_analyst",
                duration=_hours(2),
                deadline=_hours(48),
                after=("adjust_product_strategy", "strengthen_promotion"),
                families=(TEAM,),
                done_when="A daily report compares sales with the recovery target",
            ),
            _review(after=("improve_service", "track_recovery")),
        ),
    ),
    # competitive_response — §2.1: 了解競爭對手的營銷策略、產品特點等，
    # 並根據自身情況調整策略，提高產品的競爭力
    Playbook(
        key="competitive_response",
        labels=Labels(
            en="Competitive response plan",
            zh_hant="競爭應對預案",
            zh_hans="竞争应对预案",
        ),
        description=Labels(
            en=(
                "Competition intensifies: study competitors' marketing "
                "and products, then adjust prices, offers and "
                "positioning to stay competitive."
            ),
            zh_hant=(
                "市場競爭加劇時：了解競爭對手的營銷策略和產品特點，"
                "調整價格、優惠與定位，提高產品的競爭力。"
            ),
            zh_hans=(
                "市场竞争加剧时：了解竞争对手的营销策略和产品特点，"
                "调整价格、优惠与定位，提高产品的竞争力。"
            ),
        ),
        book_section="§2.1 市場危機",
        crisis_types=_served_by("competitive_response"),
        steps=(
            _step(
                "analyse_competitors",
                Labels(
                    en="Analyse competitors' marketing and product moves",
                    zh_hant="分析競爭對手的營銷策略與產品特點",
                    zh_hans="分析竞争对手的营销策略与产品特点",
                ),
                owner="ops_expert",
                duration=_hours(6),
                deadline=_hours(24),
                families=(TEAM,),
                done_when=(
                    "Each competitor move is listed with the products and "
                    "customers it targets"
                ),
            ),
            _step(
                "adjust_pricing",
                Labels(
                    en="Adjust prices and offers to stay competitive",
                    zh_hant="調整價格與優惠策略",
                    zh_hans="调整价格与优惠策略",
                ),
                owner="ops_expert",
                duration=_hours(4),
                deadline=_hours(48),
                after=("analyse_competitors",),
                families=(RESOURCES,),
                done_when="New prices and offers are live on the targeted products",
            ),
            _step(
                "sharpen_differentiation",
                Labels(
                    en="Sharpen product differentiation",
                    zh_hant="提升產品差異化與競爭力",
                    zh_hans="提升产品差异化与竞争力",
                ),
                owner="ops_expert",
                duration=_hours(6),
                deadline=_weeks(1),
                after=("analyse_competitors",),
                families=(RESOURCES,),
                done_when="A differentiation plan with owners and dates is agreed",
            ),
            _step(
                "refresh_messages",
                Labels(
                    en="Refresh marketing messages to stress our strengths",
                    zh_hant="更新營銷信息，突出自身優勢",
                    zh_hans="更新营销信息，突出自身优势",
                ),
                owner="marketing_pr",
                duration=_hours(4),
                deadline=_hours(72),
                after=("adjust_pricing",),
                families=(COMMUNICATION,),
                communication=True,
                done_when="Updated messages run on every channel",
            ),
            _step(
                "track_market_share",
                Labels(
                    en="Track market share and conversion",
                    zh_hant="追蹤市場份額與轉化率",
                    zh_hans="追踪市场份额与转化率",
                ),
                owner="data_analyst",
                duration=_hours(2),
                deadline=_weeks(1),
                after=("refresh_messages", "sharpen_differentiation"),
                families=(TEAM,),
                done_when="A weekly share-and-conversion report is in place",
            ),
            _review(after=("track_market_share",)),
        ),
    ),
    # policy_adaptation — §2.1: 政策的變化可能影響到電商平臺的運營模式和業務發展，
    # 運營者需要及時了解政策動向，調整業務策略
    Playbook(
        key="policy_adaptation",
        labels=Labels(
            en="Policy adaptation plan",
            zh_hant="政策調整應對預案",
            zh_hans="政策调整应对预案",
        ),
        description=Labels(
            en=(
                "A policy change affects the business model: interpret "
                "the policy, assess its impact, bring operations into "
                "line and tell customers and partners."
            ),
            zh_hant=(
                "政策變化影響電商平臺的運營模式時：解讀政策，"
                "評估影響，調整業務策略以符合要求，"
                "並告知客戶與合作伙伴。"
            ),
            zh_hans=(
                "政策变化影响电商平台的运营模式时：解读政策，"
                "评估影响，调整业务策略以符合要求，"
                "并告知客户与合作伙伴。"
            ),
        ),
        book_section="§2.1 市場危機",
        crisis_types=_served_by("policy_adaptation"),
        steps=(
            _step(
                "interpret_policy",
                Labels(
                    en="Interpret the new policy and the duties it brings",
                    zh_hant="解讀新政策及其合規要求",
                    zh_hans="解读新政策及其合规要求",
                ),
                owner="legal_counsel",
                duration=_hours(4),
                deadline=_hours(24),
                families=(LEGAL_RISK, TEAM),
                done_when="A written note lists every duty and its effective date",
            ),
            _step(
                "assess_business_impact",
                Labels(
                    en="Assess which operations and products are affected",
                    zh_hant="評估政策對業務模式與商品的影響",
                    zh_hans="评估政策对业务模式与商品的影响",
                ),
                owner="ops_expert",
                duration=_hours(4),
                deadline=_hours(24),
                after=("interpret_policy",),
                families=(TEAM,),
                done_when=(
                    "Affected operations and products are listed with the "
                    "change each needs"
                ),
            ),
            _step(
                "adjust_operations",
                Labels(
                    en="Adjust operations and listings to comply",
                    zh_hant="調整業務策略與商品上架以符合政策",
                    zh_hans="调整业务策略与商品上架以符合政策",
                ),
                owner="ops_expert",
                duration=_hours(8),
                deadline=_hours(72),
                after=("assess_business_impact",),
                families=(RESOURCES, LEGAL_RISK),
                done_when="Every listed change is made and checked by legal counsel",
            ),
            _step(
                "inform_partners",
                Labels(
                    en="Tell customers and partners what changes",
                    zh_hant="向客戶與合作伙伴說明調整內容",
                    zh_hans="向客户与合作伙伴说明调整内容",
                ),
                owner="ops_expert",
                duration=_hours(2),
                deadline=_weeks(1),
                after=("adjust_operations",),
                families=(COMMUNICATION,),
                communication=True,
                done_when="Customers and partners have received the notice",
            ),
            _review(after=("inform_partners",)),
        ),
    ),
    # business_continuity — §2.1 市場突發事件; §2.3: 應急預案，包括危機識別、
    # 評估、響應和恢復等環節
    Playbook(
        key="business_continuity",
        labels=Labels(
            en="Business continuity plan",
            zh_hant="業務連續性預案",
            zh_hans="业务连续性预案",
        ),
        description=Labels(
            en=(
                "A sudden event (natural disaster, policy shock, supply "
                "break) disrupts operations: assess the disruption, keep "
                "critical operations running, reroute supply and keep "
                "customers informed."
            ),
            zh_hant=(
                "突發事件（自然災害、政策變化、供應鏈斷裂）"
                "擾亂運營時：評估影響範圍，保障關鍵業務持續運行，"
                "啟用備用貨源與線路，並及時告知客戶。"
            ),
            zh_hans=(
                "突发事件（自然灾害、政策变化、供应链断裂）"
                "扰乱运营时：评估影响范围，保障关键业务持续运行，"
                "启用备用货源与线路，并及时告知客户。"
            ),
        ),
        book_section="§2.1 市場危機",
        crisis_types=_served_by("business_continuity"),
        steps=(
            _step(
                "assess_disruption",
                Labels(
                    en="Assess which operations the event has disrupted",
                    zh_hant="評估突發事件對運營的影響範圍",
                    zh_hans="评估突发事件对运营的影响范围",
                ),
                owner="ops_expert",
                duration=_hours(2),
                deadline=_hours(4),
                families=(TEAM,),
                done_when="Disrupted operations, regions and products are listed",
            ),
            _step(
                "secure_critical_operations",
                Labels(
                    en=(
                        "Keep critical operations running: orders, payment, fulfilment"
                    ),
                    zh_hant="保障訂單、支付、履約等關鍵業務持續運行",
                    zh_hans="保障订单、支付、履约等关键业务持续运行",
                ),
                owner="ops_expert",
                duration=_hours(6),
                deadline=_hours(12),
                after=("assess_disruption",),
                families=(RESOURCES,),
                done_when="Orders can be taken, paid and fulfilled again",
            ),
            _step(
                "reroute_supply",
                Labels(
                    en="Switch to backup suppliers, warehouses or routes",
                    zh_hant="啟用備用供應商、倉庫或物流線路",
                    zh_hans="启用备用供应商、仓库或物流线路",
                ),
                owner="supply_chain_lead",
                duration=_hours(8),
                deadline=_hours(24),
                after=("assess_disruption",),
                families=(RESOURCES,),
                done_when="Every disrupted flow has a working alternative",
            ),
            _step(
                "notify_customers",
                Labels(
                    en="Tell customers about delays and their options",
                    zh_hant="向客戶通報延誤情況及可選方案",
                    zh_hans="向客户通报延误情况及可选方案",
                ),
                owner="customer_service",
                duration=_hours(2),
                deadline=_hours(8),
                after=("assess_disruption",),
                families=(COMMUNICATION,),
                communication=True,
                done_when="Every customer with an affected order has been told",
            ),
            _step(
                "public_statement",
                Labels(
                    en="Publish a statement on the impact and our actions",
                    zh_hant="發布聲明，說明影響與應對措施",
                    zh_hans="发布声明，说明影响与应对措施",
                ),
                owner="comms_liaison",
                duration=_hours(2),
                deadline=_hours(8),
                after=("assess_disruption",),
                families=(COMMUNICATION,),
                communication=True,
                done_when="The statement is on the site and social channels",
            ),
            _review(
                after=(
                    "secure_critical_operations",
                    "reroute_supply",
                    "notify_customers",
                    "public_statement",
                )
            ),
        ),
    ),
    # brand_repair — §2.1 品牌形象受損; §2.2:
    # 公開透明地通報情況…主動傳播正面信息; §5 真誠透明的溝通態度; §5.4 案例二:
    # 危機公關，重塑品牌形象
    Playbook(
        key="brand_repair",
        labels=Labels(
            en="Brand repair plan",
            zh_hant="品牌修復預案",
            zh_hans="品牌修复预案",
        ),
        description=Labels(
            en=(
                "Negative news or a quality scandal damages trust: "
                "establish the facts, respond sincerely and "
                "transparently, answer customers and spread positive "
                "information."
            ),
            zh_hant=(
                "負面新聞或質量問題損害品牌形象時：查明事實，"
                "真誠透明地公開回應，回應顧客關切，"
                "並通過媒體和社交平臺傳播正面信息。"
            ),
            zh_hans=(
                "负面新闻或质量问题损害品牌形象时：查明事实，"
                "真诚透明地公开回应，回应顾客关切，"
                "并通过媒体和社交平台传播正面信息。"
            ),
        ),
        book_section="§2.1 市場危機",
        crisis_types=_served_by("brand_repair"),
        steps=(
            _step(
                "monitor_sentiment",
                Labels(
                    en="Monitor social media and reviews to gauge the damage",
                    zh_hant="監控社交媒體與評價，評估品牌受損程度",
                    zh_hans="监控社交媒体与评价，评估品牌受损程度",
                ),
                owner="marketing_pr",
                duration=_hours(2),
                deadline=_hours(4),
                families=(TEAM,),
                done_when="Volume, sentiment and main complaints are measured",
            ),
            _step(
                "establish_facts",
                Labels(
                    en="Establish the facts behind the negative reports",
                    zh_hant="查明負面報道背後的事實",
                    zh_hans="查明负面报道背后的事实",
                ),
                owner="crisis_lead",
                duration=_hours(4),
                deadline=_hours(12),
                after=("monitor_sentiment",),
                families=(TEAM,),
                done_when="A fact sheet separates what is true, false and unknown",
            ),
            _step(
                "legal_review",
                Labels(
                    en="Review the statement and claims for legal risk",
                    zh_hant="審核聲明內容及相關法律風險",
                    zh_hans="审核声明内容及相关法律风险",
                ),
                owner="legal_counsel",
                duration=_hours(2),
                deadline=_hours(16),
                after=("establish_facts",),
                families=(LEGAL_RISK,),
                done_when="Legal counsel has approved the statement",
            ),
            _step(
                "public_response",
                Labels(
                    en="Respond publicly, sincerely and transparently",
                    zh_hant="真誠透明地公開回應",
                    zh_hans="真诚透明地公开回应",
                ),
                owner="marketing_pr",
                duration=_hours(2),
                deadline=_hours(24),
                after=("legal_review",),
                families=(COMMUNICATION,),
                communication=True,
                done_when="The response is published on every official channel",
            ),
            _step(
                "answer_customers",
                Labels(
                    en="Answer customers' concerns through service channels",
                    zh_hant="通過客服渠道回應顧客關切",
                    zh_hans="通过客服渠道回应顾客关切",
                ),
                owner="customer_service",
                duration=_hours(4),
                deadline=_hours(48),
                after=("public_response",),
                families=(COMMUNICATION,),
                communication=True,
                resources={"people.customer_service": 16},
                done_when="Every open enquiry about the issue has an answer",
            ),
            _step(
                "spread_positive_news",
                Labels(
                    en=(
                        "Spread positive information through media and social platforms"
                    ),
                    zh_hant="通過媒體和社交平臺傳播正面信息",
                    zh_hans="通过媒体和社交平台传播正面信息",
                ),
                owner="marketing_pr",
                duration=_hours(4),
                deadline=_weeks(1),
                after=("public_response",),
                families=(COMMUNICATION,),
                communication=True,
                done_when=(
                    "Planned positive stories are published and sentiment is tracked"
                ),
            ),
            _review(after=("answer_customers", "spread_positive_news")),
        ),
    ),
    # traffic_recovery — §5.4 案例二:
    # 迅速啟動廣告推廣和營銷活動…優化搜索引擎排名和用戶體驗…利用社交媒體進行危機公
    # 關
    Playbook(
        key="traffic_recovery",
        labels=Labels(
            en="Traffic recovery plan",
            zh_hant="流量恢復預案",
            zh_hans="流量恢复预案",
        ),
        description=Labels(
            en=(
                "A sudden event makes traffic drop: launch advertising "
                "and promotions, improve search ranking and user "
                "experience, and answer users on social media."
            ),
            zh_hant=(
                "突發事件導致流量驟降時：啟動廣告推廣和營銷活動，"
                "優化搜索引擎排名和用戶體驗，並利用社交媒體積極回應用"
                "戶關切。"
            ),
            zh_hans=(
                "突发事件导致流量骤降时：启动广告推广和营销活动，"
                "优化搜索引擎排名和用户体验，并利用社交媒体积极回应用"
                "户关切。"
            ),
        ),
        book_section="§5.4 案例二:流量波動應對策略",
        crisis_types=_served_by("traffic_recovery"),
        steps=(
            _step(
                "diagnose_traffic",
                Labels(
                    en="Find where traffic dropped: channels, pages, search",
                    zh_hant="定位流量下滑的渠道、頁面與搜索來源",
                    zh_hans="定位流量下滑的渠道、页面与搜索来源",
                ),
                owner="data_analyst",
                duration=_hours(2),
                deadline=_hours(4),
                families=(TEAM,),
                done_when="The drop is attributed to channels and pages",
            ),
            _step(
                "launch_promotions",
                Labels(
                    en="Launch advertising and promotional campaigns",
                    zh_hant="啟動廣告推廣和營銷活動",
                    zh_hans="启动广告推广和营销活动",
                ),
                owner="marketing_pr",
                duration=_hours(4),
                deadline=_hours(12),
                after=("diagnose_traffic",),
                families=(RESOURCES,),
                done_when="Campaigns are live on the channels that lost traffic",
            ),
            _step(
                "optimise_search",
                Labels(
                    en="Improve search-engine ranking and user experience",
                    zh_hant="優化搜索引擎排名和用戶體驗",
                    zh_hans="优化搜索引擎排名和用户体验",
                ),
                owner="ops_expert",
                duration=_hours(8),
                deadline=_hours(48),
                after=("diagnose_traffic",),
                families=(RESOURCES,),
                done_when="Search fixes and page improvements are released",
            ),
            _step(
                "social_response",
                Labels(
                    en="Answer users' concerns on social media",
                    zh_hant="利用社交媒體積極回應用戶關切",
                    zh_hans="利用社交媒体积极回应用户关切",
                ),
                owner="marketing_pr",
                duration=_hours(2),
                deadline=_hours(8),
                after=("diagnose_traffic",),
                families=(COMMUNICATION,),
                communication=True,
                done_when="Posts answer the main concerns; replies are monitored",
            ),
            _step(
                "track_traffic",
                Labels(
                    en="Track visits and conversion until traffic is stable",
                    zh_hant="追蹤訪問量與轉化率直至流量穩定",
                    zh_hans="追踪访问量与转化率直至流量稳定",
                ),
                owner="data_analyst",
                duration=_hours(2),
                deadline=_hours(72),
                after=("launch_promotions", "optimise_search"),
                families=(TEAM,),
                done_when="A daily traffic report is in place",
            ),
            _review(after=("social_response", "track_traffic")),
        ),
    ),
    # product_recall — §2.2 質量安全問題: 迅速啟動應急響應機制，進行產品召回、
    # 公開道歉等措施
    Playbook(
        key="product_recall",
        labels=Labels(
            en="Product recall plan",
            zh_hant="產品召回預案",
            zh_hans="产品召回预案",
        ),
        description=Labels(
            en=(
                "A product endangers health or safety: take it off sale, "
                "find the buyers, recall it with a public apology and "
                "meet the legal duties."
            ),
            zh_hant=(
                "產品存在危害消費者健康或安全的問題時：立即下架，"
                "確定購買者，進行產品召回、公開道歉，並履行法定義務。"
            ),
            zh_hans=(
                "产品存在危害消费者健康或安全的问题时：立即下架，"
                "确定购买者，进行产品召回、公开道歉，并履行法定义务。"
            ),
        ),
        book_section="§2.2 產品危機",
        crisis_types=_served_by("product_recall"),
        steps=(
            _step(
                "stop_sales",
                Labels(
                    en="Take the affected products off sale",
                    zh_hant="下架受影響產品",
                    zh_hans="下架受影响产品",
                ),
                owner="ops_expert",
                duration=_hours(1),
                deadline=_hours(2),
                families=(RESOURCES,),
                done_when="No affected product can be bought",
            ),
            _step(
                "identify_buyers",
                Labels(
                    en="Identify the affected batches and buyers",
                    zh_hant="確定受影響批次與購買者",
                    zh_hans="确定受影响批次与购买者",
                ),
                owner="ops_expert",
                duration=_hours(3),
                deadline=_hours(8),
                after=("stop_sales",),
                families=(TEAM,),
                done_when="Every affected order is listed with the buyer's contact",
            ),
            _step(
                "confirm_legal_duties",
                Labels(
                    en=(
                        "Confirm recall and reporting duties under "
                        "product-safety and consumer law"
                    ),
                    zh_hant="確認產品安全及消費者權益法規下的召回與報告義務",
                    zh_hans="确认产品安全及消费者权益法规下的召回与报告义务",
                ),
                owner="legal_counsel",
                duration=_hours(3),
                deadline=_hours(8),
                after=("stop_sales",),
                families=(LEGAL_RISK,),
                done_when="The duties and their deadlines are written down",
            ),
            _step(
                "report_to_authorities",
                Labels(
                    en="Report the recall to the market regulator",
                    zh_hant="向市場監管部門報告召回",
                    zh_hans="向市场监管部门报告召回",
                ),
                owner="legal_counsel",
                duration=_hours(2),
                deadline=_hours(24),
                after=("confirm_legal_duties",),
                families=(LEGAL_RISK, COMMUNICATION),
                communication=True,
                done_when="The regulator has acknowledged the report",
            ),
            _step(
                "announce_recall",
                Labels(
                    en="Announce the recall and apologise publicly",
                    zh_hant="公告召回並公開道歉",
                    zh_hans="公告召回并公开道歉",
                ),
                owner="marketing_pr",
                duration=_hours(2),
                deadline=_hours(12),
                after=("identify_buyers", "confirm_legal_duties"),
                families=(COMMUNICATION,),
                communication=True,
                done_when="The recall notice and apology are published",
            ),
            _step(
                "contact_buyers",
                Labels(
                    en="Contact buyers to arrange returns and refunds",
                    zh_hant="聯繫購買者安排退貨與退款",
                    zh_hans="联系购买者安排退货与退款",
                ),
                owner="customer_service",
                duration=_hours(8),
                deadline=_hours(48),
                after=("announce_recall",),
                families=(COMMUNICATION, RESOURCES),
                communication=True,
                resources={"people.customer_service": 32},
                done_when="Every buyer has a return and refund arranged",
            ),
            _review(after=("report_to_authorities", "contact_buyers")),
        ),
    ),
    # quality_investigation — §2.2: 立即啟動應急響應計劃，進行內部調查、
    # 公開透明地通報情況、積極與消費者溝通、妥善處理投訴和反饋; §3:
    # 負面評價數量激增時，應立即調查產品問題
    Playbook(
        key="quality_investigation",
        labels=Labels(
            en="Quality investigation plan",
            zh_hant="質量調查預案",
            zh_hans="质量调查预案",
        ),
        description=Labels(
            en=(
                "Complaints point to a product problem: investigate "
                "internally, report openly, handle complaints and "
                "feedback, and agree corrective actions."
            ),
            zh_hant=(
                "投訴指向產品問題時：進行內部調查，"
                "公開透明地通報情況，積極與消費者溝通，"
                "妥善處理投訴和反饋，並確定整改措施。"
            ),
            zh_hans=(
                "投诉指向产品问题时：进行内部调查，"
                "公开透明地通报情况，积极与消费者沟通，"
                "妥善处理投诉和反馈，并确定整改措施。"
            ),
        ),
        book_section="§2.2 產品危機",
        crisis_types=_served_by("quality_investigation"),
        steps=(
            _step(
                "collect_complaints",
                Labels(
                    en="Collect complaints, reviews and returns about the product",
                    zh_hant="收集產品相關的投訴、評價與退貨",
                    zh_hans="收集产品相关的投诉、评价与退货",
                ),
                owner="customer_service",
                duration=_hours(2),
                deadline=_hours(4),
                families=(TEAM,),
                done_when="All complaints about the product are in one list",
            ),
            _step(
                "investigate_cause",
                Labels(
                    en=(
                        "Investigate the cause internally: test samples, trace batches"
                    ),
                    zh_hant="內部調查原因：抽檢樣品、追溯批次",
                    zh_hans="内部调查原因：抽检样品、追溯批次",
                ),
                owner="ops_expert",
                duration=_hours(8),
                deadline=_hours(24),
                after=("collect_complaints",),
                families=(TEAM,),
                done_when=(
                    "The cause is found or narrowed to named batches or suppliers"
                ),
            ),
            _step(
                "inform_consumers",
                Labels(
                    en="Tell consumers openly what is known and being done",
                    zh_hant="公開透明地通報已知情況與處理進展",
                    zh_hans="公开透明地通报已知情况与处理进展",
                ),
                owner="marketing_pr",
                duration=_hours(2),
                deadline=_hours(8),
                after=("collect_complaints",),
                families=(COMMUNICATION,),
                communication=True,
                done_when="A notice is published and pinned on the product page",
            ),
            _step(
                "handle_complaints",
                Labels(
                    en="Handle complaints and compensation case by case",
                    zh_hant="妥善處理投訴與賠償",
                    zh_hans="妥善处理投诉与赔偿",
                ),
                owner="customer_service",
                duration=_hours(6),
                deadline=_hours(48),
                after=("inform_consumers",),
                families=(COMMUNICATION, RESOURCES),
                communication=True,
                resources={"people.customer_service": 24},
                done_when="Every complaint is answered and settled",
            ),
            _step(
                "agree_corrective_actions",
                Labels(
                    en="Agree corrective actions with production or the supplier",
                    zh_hant="與生產方或供應商確定整改措施",
                    zh_hans="与生产方或供应商确定整改措施",
                ),
                owner="supply_chain_lead",
                duration=_hours(4),
                deadline=_hours(72),
                after=("investigate_cause",),
                families=(RESOURCES,),
                done_when="Corrective actions are signed off with dates",
            ),
            _review(after=("handle_complaints", "agree_corrective_actions")),
        ),
    ),
    # product_improvement — §2.2 性能問題: 及時收集用戶反饋，
    # 分析原因並進行產品優化或改進; 設計缺陷: 重新設計、推出改進版產品
    Playbook(
        key="product_improvement",
        labels=Labels(
            en="Product improvement plan",
            zh_hant="產品改進預案",
            zh_hans="产品改进预案",
        ),
        description=Labels(
            en=(
                "Performance or design falls short: collect user "
                "feedback, analyse causes, offer remedies and plan the "
                "optimisation or redesign."
            ),
            zh_hant=(
                "產品性能或設計未達預期時：及時收集用戶反饋，"
                "分析原因，為用戶提供補救，並進行產品優化或重新設計。"
            ),
            zh_hans=(
                "产品性能或设计未达预期时：及时收集用户反馈，"
                "分析原因，为用户提供补救，并进行产品优化或重新设计。"
            ),
        ),
        book_section="§2.2 產品危機",
        crisis_types=_served_by("product_improvement"),
        steps=(
            _step(
                "gather_feedback",
                Labels(
                    en="Gather user feedback on the performance or design problem",
                    zh_hant="收集用戶對性能或設計問題的反饋",
                    zh_hans="收集用户对性能或设计问题的反馈",
                ),
                owner="customer_service",
                duration=_hours(3),
                deadline=_hours(8),
                families=(TEAM,),
                done_when="Feedback is grouped by problem with counts",
            ),
            _step(
                "analyse_causes",
                Labels(
                    en="Analyse the causes and how many users are affected",
                    zh_hant="分析問題原因與受影響用戶數",
                    zh_hans="分析问题原因与受影响用户数",
                ),
                owner="data_analyst",
                duration=_hours(4),
                deadline=_hours(24),
                after=("gather_feedback",),
                families=(TEAM,),
                done_when="Causes are ranked by the number of users affected",
            ),
            _step(
                "offer_remedy",
                Labels(
                    en="Offer affected users a fix, exchange or refund",
                    zh_hant="為受影響用戶提供修復、換貨或退款",
                    zh_hans="为受影响用户提供修复、换货或退款",
                ),
                owner="customer_service",
                duration=_hours(3),
                deadline=_hours(24),
                after=("gather_feedback",),
                families=(COMMUNICATION, RESOURCES),
                communication=True,
                done_when="Every affected user has been offered a remedy",
            ),
            _step(
                "plan_improvement",
                Labels(
                    en="Plan the product optimisation or redesign",
                    zh_hant="制定產品優化或重新設計方案",
                    zh_hans="制定产品优化或重新设计方案",
                ),
                owner="ops_expert",
                duration=_hours(6),
                deadline=_weeks(1),
                after=("analyse_causes",),
                families=(RESOURCES,),
                done_when="The improvement plan has owners, budget and dates",
            ),
            _step(
                "announce_improvement",
                Labels(
                    en="Announce the improved version and its timetable",
                    zh_hant="公布改進版產品及時間表",
                    zh_hans="公布改进版产品及时间表",
                ),
                owner="ops_expert",
                duration=_hours(2),
                deadline=_weeks(2),
                after=("plan_improvement",),
                families=(COMMUNICATION,),
                communication=True,
                done_when="The announcement is published",
            ),
            _review(after=("offer_remedy", "announce_improvement")),
        ),
    ),
    # supplier_switch — §2.3 多元化供應鏈管理：分散供應商風險; §4:
    # 與供應商建立緊急合作關係以保障關鍵物資的供應; §5: 對於供應鏈危機，
    # 可能需要尋找新的供應商
    Playbook(
        key="supplier_switch",
        labels=Labels(
            en="Supplier switch plan",
            zh_hant="更換供應商預案",
            zh_hans="更换供应商预案",
        ),
        description=Labels(
            en=(
                "A supplier fails or the supply chain breaks: size the "
                "gap, bring in alternative suppliers and keep customers "
                "with open orders informed."
            ),
            zh_hant=(
                "供應商出問題或供應鏈斷裂時：評估供貨缺口，"
                "啟用替代供應商，並告知有未完成訂單的客戶。"
            ),
            zh_hans=(
                "供应商出问题或供应链断裂时：评估供货缺口，"
                "启用替代供应商，并告知有未完成订单的客户。"
            ),
        ),
        book_section="§2.3 供應鏈危機",
        crisis_types=_served_by("supplier_switch"),
        steps=(
            _step(
                "assess_supply_gap",
                Labels(
                    en="Assess the supply gap: items, quantities and dates",
                    zh_hant="評估供貨缺口（商品、數量、時間）",
                    zh_hans="评估供货缺口（商品、数量、时间）",
                ),
                owner="supply_chain_lead",
                duration=_hours(3),
                deadline=_hours(8),
                families=(TEAM,),
                done_when="The gap is listed per item with quantities and dates",
            ),
            _step(
                "contact_alternates",
                Labels(
                    en="Contact alternative and backup suppliers",
                    zh_hant="聯繫替代及備用供應商",
                    zh_hans="联系替代及备用供应商",
                ),
                owner="supply_chain_lead",
                duration=_hours(6),
                deadline=_hours(24),
                after=("assess_supply_gap",),
                families=(RESOURCES,),
                done_when="At least one alternative supplier has quoted per item",
            ),
            _step(
                "qualify_supplier",
                Labels(
                    en="Check the new supplier's quality and terms",
                    zh_hant="核查新供應商的質量與合作條款",
                    zh_hans="核查新供应商的质量与合作条款",
                ),
                owner="ops_expert",
                duration=_hours(4),
                deadline=_hours(48),
                after=("contact_alternates",),
                families=(RESOURCES,),
                done_when="Samples and terms of the chosen supplier are approved",
            ),
            _step(
                "place_orders",
                Labels(
                    en="Place emergency orders and confirm delivery",
                    zh_hant="下達緊急訂單並確認交付時間",
                    zh_hans="下达紧急订单并确认交付时间",
                ),
                owner="supply_chain_lead",
                duration=_hours(3),
                deadline=_hours(72),
                after=("qualify_supplier",),
                families=(RESOURCES,),
                done_when="Orders are confirmed with delivery dates",
            ),
            _step(
                "update_customers",
                Labels(
                    en="Tell customers with open orders the new delivery dates",
                    zh_hant="告知未完成訂單的客戶新的交付時間",
                    zh_hans="告知未完成订单的客户新的交付时间",
                ),
                owner="customer_service",
                duration=_hours(2),
                deadline=_hours(12),
                after=("assess_supply_gap",),
                families=(COMMUNICATION,),
                communication=True,
                done_when="Every customer with an open order has been told",
            ),
            _review(after=("place_orders", "update_customers")),
        ),
    ),
    # inventory_replenishment — §5.4 案例一: 準確評估庫存現狀，
    # 然後緊急聯繫供應商協調貨源…調整營銷策略，
    # 優先處理訂單中的緊急和重點客戶…利用大數據分析預測未來需求趨勢，
    # 及時調整采購計劃
    Playbook(
        key="inventory_replenishment",
        labels=Labels(
            en="Inventory replenishment plan",
            zh_hant="庫存補貨預案",
            zh_hans="库存补货预案",
        ),
        description=Labels(
            en=(
                "Stock runs short, e.g. in the peak season: assess "
                "stock, contact suppliers for emergency supply, "
                "prioritise urgent and key-customer orders, adjust "
                "marketing and re-forecast demand to adjust purchasing."
            ),
            zh_hant=(
                "庫存不足（如銷售高峰期斷貨）時：準確評估庫存現狀，"
                "緊急聯繫供應商協調貨源，優先處理緊急和重點客戶訂單，"
                "調整營銷策略，並利用大數據預測需求、調整采購計劃。"
            ),
            zh_hans=(
                "库存不足（如销售高峰期断货）时：准确评估库存现状，"
                "紧急联系供应商协调货源，优先处理紧急和重点客户订单，"
                "调整营销策略，并利用大数据预测需求、调整采购计划。"
            ),
        ),
        book_section="§5.4 案例一:庫存危機應對實踐",
        crisis_types=_served_by("inventory_replenishment"),
        steps=(
            _step(
                "assess_stock",
                Labels(
                    en="Assess current stock and the shortfall per SKU",
                    zh_hant="準確評估庫存現狀與各商品缺口",
                    zh_hans="准确评估库存现状与各商品缺口",
                ),
                owner="supply_chain_lead",
                duration=_hours(2),
                deadline=_hours(4),
                families=(TEAM,),
                done_when="Stock, open orders and the shortfall are known per SKU",
            ),
            _step(
                "contact_suppliers",
                Labels(
                    en="Contact suppliers urgently to secure supply",
                    zh_hant="緊急聯繫供應商協調貨源",
                    zh_hans="紧急联系供应商协调货源",
                ),
                owner="supply_chain_lead",
                duration=_hours(6),
                deadline=_hours(12),
                after=("assess_stock",),
                families=(RESOURCES,),
                done_when="Emergency supply is confirmed with quantities and dates",
            ),
            _step(
                "prioritise_orders",
                Labels(
                    en="Prioritise urgent and key-customer orders",
                    zh_hant="優先處理緊急和重點客戶訂單",
                    zh_hans="优先处理紧急和重点客户订单",
                ),
                owner="customer_service",
                duration=_hours(4),
                deadline=_hours(12),
                after=("assess_stock",),
                families=(RESOURCES,),
                resources={"people.customer_service": 16},
                done_when=(
                    "Available stock is allocated to urgent and key-customer "
                    "orders first"
                ),
            ),
            _step(
                "adjust_marketing",
                Labels(
                    en="Adjust marketing: pause promotion of short items",
                    zh_hant="調整營銷策略，暫停缺貨商品的推廣",
                    zh_hans="调整营销策略，暂停缺货商品的推广",
                ),
                owner="marketing_pr",
                duration=_hours(2),
                deadline=_hours(8),
                after=("assess_stock",),
                families=(RESOURCES,),
                done_when="No campaign promotes an item that is short",
            ),
            _step(
                "inform_customers",
                Labels(
                    en="Tell affected customers when their orders will ship",
                    zh_hant="告知受影響客戶發貨時間",
                    zh_hans="告知受影响客户发货时间",
                ),
                owner="customer_service",
                duration=_hours(2),
                deadline=_hours(24),
                after=("prioritise_orders",),
                families=(COMMUNICATION,),
                communication=True,
                done_when="Every delayed order's buyer has a ship date",
            ),
            _step(
                "reforecast_demand",
                Labels(
                    en=(
                        "Re-forecast demand from sales data and adjust the "
                        "purchase plan"
                    ),
                    zh_hant="利用大數據預測需求趨勢並調整采購計劃",
                    zh_hans="利用大数据预测需求趋势并调整采购计划",
                ),
                owner="data_analyst",
                duration=_hours(6),
                deadline=_hours(48),
                after=("contact_suppliers",),
                families=(TEAM, RESOURCES),
                done_when=(
                    "A new forecast and purchase plan cover the rest of the season"
                ),
            ),
            _review(
                after=("adjust_marketing", "inform_customers", "reforecast_demand")
            ),
        ),
    ),
    # supplier_quality_audit — §2.3 嚴格質量控制：
    # 對供應鏈中的產品質量進行嚴格把關…建立質量監控體系，
    # 對供應商進行定期評估和監督
    Playbook(
        key="supplier_quality_audit",
        labels=Labels(
            en="Supplier quality audit plan",
            zh_hant="供應商質量審核預案",
            zh_hans="供应商质量审核预案",
        ),
        description=Labels(
            en=(
                "Goods from a supplier fail quality checks: hold the "
                "stock, inspect batches, audit the supplier's controls "
                "and agree corrections."
            ),
            zh_hant=(
                "供應商產品質量不穩定時：暫扣可疑庫存，抽檢批次，"
                "審核供應商質量控制體系，並確定整改措施。"
            ),
            zh_hans=(
                "供应商产品质量不稳定时：暂扣可疑库存，抽检批次，"
                "审核供应商质量控制体系，并确定整改措施。"
            ),
        ),
        book_section="§2.3 供應鏈危機",
        crisis_types=_served_by("supplier_quality_audit"),
        steps=(
            _step(
                "hold_stock",
                Labels(
                    en="Hold suspect stock from the supplier",
                    zh_hant="暫扣可疑供應商的庫存",
                    zh_hans="暂扣可疑供应商的库存",
                ),
                owner="supply_chain_lead",
                duration=_hours(2),
                deadline=_hours(4),
                families=(RESOURCES,),
                done_when="Suspect stock is blocked from sale",
            ),
            _step(
                "inspect_batches",
                Labels(
                    en="Inspect samples of the supplier's batches",
                    zh_hant="抽檢供應商各批次樣品",
                    zh_hans="抽检供应商各批次样品",
                ),
                owner="ops_expert",
                duration=_hours(8),
                deadline=_hours(24),
                after=("hold_stock",),
                families=(TEAM,),
                done_when="Each batch is passed or failed",
            ),
            _step(
                "audit_supplier",
                Labels(
                    en="Audit the supplier's quality controls",
                    zh_hant="審核供應商的質量控制體系",
                    zh_hans="审核供应商的质量控制体系",
                ),
                owner="supply_chain_lead",
                duration=_hours(6),
                deadline=_hours(72),
                after=("hold_stock",),
                families=(TEAM,),
                done_when="Audit findings are written up",
            ),
            _step(
                "notify_buyers",
                Labels(
                    en="Tell buyers of failed batches about returns",
                    zh_hant="告知購買不合格批次的客戶退換安排",
                    zh_hans="告知购买不合格批次的客户退换安排",
                ),
                owner="customer_service",
                duration=_hours(3),
                deadline=_hours(48),
                after=("inspect_batches",),
                families=(COMMUNICATION,),
                communication=True,
                done_when="Every buyer of a failed batch has been told",
            ),
            _step(
                "corrective_plan",
                Labels(
                    en="Agree a corrective plan or suspend the supplier",
                    zh_hant="與供應商確定整改計劃或暫停合作",
                    zh_hans="与供应商确定整改计划或暂停合作",
                ),
                owner="supply_chain_lead",
                duration=_hours(3),
                deadline=_weeks(1),
                after=("inspect_batches", "audit_supplier"),
                families=(RESOURCES,),
                done_when="A signed corrective plan or a suspension notice exists",
            ),
            _review(after=("notify_buyers", "corrective_plan")),
        ),
    ),
    # cash_preservation — §2.4: 合理評估自身資金狀況，
    # 並提前規劃資金籌措和調度方案…加強與金融機構的合作，拓寬融資渠道; §4:
    # 資金短缺時優先保障供應鏈的穩定
    Playbook(
        key="cash_preservation",
        labels=Labels(
            en="Cash preservation plan",
            zh_hant="資金保全預案",
            zh_hans="资金保全预案",
        ),
        description=Labels(
            en=(
                "Cash runs short: assess the funding gap, pay first what "
                "keeps the supply chain stable, defer other spending and "
                "widen financing."
            ),
            zh_hant=(
                "資金短缺時：評估資金缺口，優先保障供應鏈穩定所需的付"
                "款，暫緩其他支出，並拓寬融資渠道。"
            ),
            zh_hans=(
                "资金短缺时：评估资金缺口，优先保障供应链稳定所需的付"
                "款，暂缓其他支出，并拓宽融资渠道。"
            ),
        ),
        book_section="§2.4 財務危機",
        crisis_types=_served_by("cash_preservation"),
        steps=(
            _step(
                "assess_cash",
                Labels(
                    en="Assess the cash position and the short-term funding gap",
                    zh_hant="評估資金狀況與短期資金缺口",
                    zh_hans="评估资金状况与短期资金缺口",
                ),
                owner="finance_lead",
                duration=_hours(4),
                deadline=_hours(8),
                families=(TEAM,),
                done_when="A 13-week cash forecast shows the gap",
            ),
            _step(
                "prioritise_payments",
                Labels(
                    en="Pay first what keeps the supply chain stable",
                    zh_hant="優先保障供應鏈穩定所需的付款",
                    zh_hans="优先保障供应链稳定所需的付款",
                ),
                owner="finance_lead",
                duration=_hours(3),
                deadline=_hours(24),
                after=("assess_cash",),
                families=(RESOURCES,),
                done_when="A payment priority list is approved",
            ),
            _step(
                "defer_spending",
                Labels(
                    en="Defer non-essential spending",
                    zh_hant="暫緩非必要支出",
                    zh_hans="暂缓非必要支出",
                ),
                owner="ops_expert",
                duration=_hours(3),
                deadline=_hours(24),
                after=("assess_cash",),
                families=(RESOURCES,),
                done_when="Deferred items and the cash they save are listed",
            ),
            _step(
                "arrange_financing",
                Labels(
                    en="Arrange bridge financing with banks and other funders",
                    zh_hant="與金融機構洽談過橋融資",
                    zh_hans="与金融机构洽谈过桥融资",
                ),
                owner="finance_lead",
                duration=_hours(8),
                deadline=_hours(72),
                after=("assess_cash",),
                families=(RESOURCES,),
                done_when="A financing offer covers the gap",
            ),
            _step(
                "review_contracts",
                Labels(
                    en="Review payment terms and covenants for legal risk",
                    zh_hant="審查付款條款與合約中的法律風險",
                    zh_hans="审查付款条款与合约中的法律风险",
                ),
                owner="legal_counsel",
                duration=_hours(4),
                deadline=_hours(72),
                after=("assess_cash",),
                families=(LEGAL_RISK,),
                done_when="Risky terms and covenants are listed with advice",
            ),
            _step(
                "agree_supplier_terms",
                Labels(
                    en="Agree payment schedules with key suppliers",
                    zh_hant="與重點供應商協商付款安排",
                    zh_hans="与重点供应商协商付款安排",
                ),
                owner="supply_chain_lead",
                duration=_hours(3),
                deadline=_hours(48),
                after=("prioritise_payments",),
                families=(COMMUNICATION,),
                communication=True,
                done_when="Key suppliers have agreed the schedules",
            ),
            _review(
                after=(
                    "defer_spending",
                    "arrange_financing",
                    "review_contracts",
                    "agree_supplier_terms",
                )
            ),
        ),
    ),
    # financial_risk_hedging — §2.4 財務風險控制危機: 市場風險、信貸風險、
    # 匯率風險…建立健全的財務風險預警機制和風險控制體系…通過定期風險評估和審計
    Playbook(
        key="financial_risk_hedging",
        labels=Labels(
            en="Financial risk hedging plan",
            zh_hant="財務風險對沖預案",
            zh_hans="财务风险对冲预案",
        ),
        description=Labels(
            en=(
                "Market, credit or currency risk threatens the accounts: "
                "measure the exposure, set limits and hedges, tighten "
                "credit and audit the controls."
            ),
            zh_hant=(
                "市場、信貸或匯率風險威脅財務狀況時：計量風險敞口，"
                "設定限額與對沖，收緊信用條款，並審計內部控制。"
            ),
            zh_hans=(
                "市场、信贷或汇率风险威胁财务状况时：计量风险敞口，"
                "设定限额与对冲，收紧信用条款，并审计内部控制。"
            ),
        ),
        book_section="§2.4 財務危機",
        crisis_types=_served_by("financial_risk_hedging"),
        steps=(
            _step(
                "measure_exposure",
                Labels(
                    en="Measure the market, credit and currency exposure",
                    zh_hant="計量市場、信貸與匯率風險敞口",
                    zh_hans="计量市场、信贷与汇率风险敞口",
                ),
                owner="finance_lead",
                duration=_hours(4),
                deadline=_hours(8),
                families=(TEAM,),
                resources={"people.data_analyst": 4},
                done_when="Exposures are measured by type and counterparty",
            ),
            _step(
                "set_limits_and_hedges",
                Labels(
                    en="Set limits and hedges for the largest exposures",
                    zh_hant="為最大敞口設定限額與對沖",
                    zh_hans="为最大敞口设定限额与对冲",
                ),
                owner="finance_lead",
                duration=_hours(4),
                deadline=_hours(24),
                after=("measure_exposure",),
                families=(RESOURCES,),
                done_when="Limits are approved and hedges placed",
            ),
            _step(
                "tighten_credit",
                Labels(
                    en="Tighten credit terms for risky counterparties",
                    zh_hant="收緊高風險交易對手的信用條款",
                    zh_hans="收紧高风险交易对手的信用条款",
                ),
                owner="finance_lead",
                duration=_hours(3),
                deadline=_hours(48),
                after=("measure_exposure",),
                families=(RESOURCES, LEGAL_RISK),
                done_when="New terms are sent to the risky counterparties",
            ),
            _step(
                "legal_review",
                Labels(
                    en="Review contracts for legal and compliance risk",
                    zh_hant="審查合約中的法律與合規風險",
                    zh_hans="审查合约中的法律与合规风险",
                ),
                owner="legal_counsel",
                duration=_hours(4),
                deadline=_hours(72),
                after=("measure_exposure",),
                families=(LEGAL_RISK,),
                done_when="Contract risks are listed with advice",
            ),
            _step(
                "audit_controls",
                Labels(
                    en="Audit internal controls and report to management",
                    zh_hant="審計內部控制並向管理層匯報",
                    zh_hans="审计内部控制并向管理层汇报",
                ),
                owner="finance_lead",
                duration=_hours(4),
                deadline=_weeks(1),
                after=("set_limits_and_hedges", "tighten_credit"),
                families=(TEAM, COMMUNICATION),
                communication=True,
                done_when="Management has the audit report",
            ),
            _review(after=("legal_review", "audit_controls")),
        ),
    ),
    # cost_reduction — §2.4 利潤下滑危機: 調整運營策略，降低成本，
    # 提高市場競爭力…通過數據分析和市場調研，洞察市場趨勢; 資金鏈管理:
    # 降低庫存成本，提高運營效率
    Playbook(
        key="cost_reduction",
        labels=Labels(
            en="Cost reduction plan",
            zh_hant="成本削減預案",
            zh_hans="成本削减预案",
        ),
        description=Labels(
            en=(
                "Profit declines: analyse margins, cut low-return "
                "spending, lower inventory cost and steer operations "
                "towards profitable lines."
            ),
            zh_hant=(
                "利潤下滑時：分析利潤結構，削減低回報支出，"
                "降低庫存成本，並調整運營策略，聚焦盈利商品。"
            ),
            zh_hans=(
                "利润下滑时：分析利润结构，削减低回报支出，"
                "降低库存成本，并调整运营策略，聚焦盈利商品。"
            ),
        ),
        book_section="§2.4 財務危機",
        crisis_types=_served_by("cost_reduction"),
        steps=(
            _step(
                "analyse_margins",
                Labels(
                    en="Analyse margins by product, channel and cost item",
                    zh_hant="按產品、渠道與成本項目分析利潤",
                    zh_hans="按产品、渠道与成本项目分析利润",
                ),
                owner="data_analyst",
                duration=_hours(4),
                deadline=_hours(12),
                families=(TEAM,),
                done_when="Margins are known per product and channel",
            ),
            _step(
                "cut_costs",
                Labels(
                    en="Cut low-return spending: ads, promotions, overheads",
                    zh_hant="削減低回報支出（廣告、促銷、管理費用）",
                    zh_hans="削减低回报支出（广告、促销、管理费用）",
                ),
                owner="finance_lead",
                duration=_hours(4),
                deadline=_hours(48),
                after=("analyse_margins",),
                families=(RESOURCES,),
                done_when="Cuts are approved with the savings they bring",
            ),
            _step(
                "reduce_inventory_cost",
                Labels(
                    en="Lower inventory holding cost",
                    zh_hant="降低庫存成本",
                    zh_hans="降低库存成本",
                ),
                owner="supply_chain_lead",
                duration=_hours(6),
                deadline=_weeks(1),
                after=("analyse_margins",),
                families=(RESOURCES,),
                done_when="Slow stock has a clearance or return plan",
            ),
            _step(
                "refocus_operations",
                Labels(
                    en="Steer operations towards profitable lines",
                    zh_hant="調整運營策略，聚焦盈利商品",
                    zh_hans="调整运营策略，聚焦盈利商品",
                ),
                owner="ops_expert",
                duration=_hours(6),
                deadline=_weeks(1),
                after=("analyse_margins",),
                families=(RESOURCES,),
                done_when="Traffic and budget move to profitable lines",
            ),
            _step(
                "brief_staff",
                Labels(
                    en="Explain the cost measures to staff",
                    zh_hant="向員工說明成本措施",
                    zh_hans="向员工说明成本措施",
                ),
                owner="crisis_lead",
                duration=_hours(1),
                deadline=_hours(72),
                after=("cut_costs",),
                families=(COMMUNICATION,),
                communication=True,
                done_when="Every team has been briefed",
            ),
            _review(
                after=("reduce_inventory_cost", "refocus_operations", "brief_staff")
            ),
        ),
    ),
    # incident_recovery — §2.5 系統故障危機: 崩潰或運行緩慢…訂單處理延遲、
    # 商品信息展示錯誤; 應對策略 1. 建立完善的技術監測系統; §4:
    # 技術維護人員負責網站和平臺的穩定運行，確保服務不中斷
    Playbook(
        key="incident_recovery",
        labels=Labels(
            en="System incident recovery plan",
            zh_hant="系統故障恢復預案",
            zh_hans="系统故障恢复预案",
        ),
        description=Labels(
            en=(
                "The platform crashes or slows down: triage, restore "
                "service, keep users informed, repair delayed orders and "
                "find the root cause."
            ),
            zh_hant=(
                "平臺崩潰或運行緩慢時：判定故障範圍，恢復服務，"
                "及時告知用戶，處理延遲訂單，並查明根因、"
                "完善技術監測。"
            ),
            zh_hans=(
                "平台崩溃或运行缓慢时：判定故障范围，恢复服务，"
                "及时告知用户，处理延迟订单，并查明根因、"
                "完善技术监测。"
            ),
        ),
        book_section="§2.5 技術危機",
        crisis_types=_served_by("incident_recovery"),
        steps=(
            _step(
                "triage_outage",
                Labels(
                    en="Triage the failure: affected services and users",
                    zh_hant="判定故障範圍（受影響服務與用戶）",
                    zh_hans="判定故障范围（受影响服务与用户）",
                ),
                owner="tech_maintenance",
                duration=_hours(0.5),
                deadline=_hours(1),
                families=(TEAM,),
                done_when="Affected services and the share of users hit are known",
            ),
            _step(
                "restore_service",
                Labels(
                    en="Restore service: roll back, fail over or restart",
                    zh_hant="恢復服務（回滾、切換或重啟）",
                    zh_hans="恢复服务（回滚、切换或重启）",
                ),
                owner="tech_maintenance",
                duration=_hours(2),
                deadline=_hours(4),
                after=("triage_outage",),
                families=(RESOURCES,),
                done_when="Error rate and latency are back to normal",
            ),
            _step(
                "post_status",
                Labels(
                    en="Post a status notice and keep it updated",
                    zh_hant="發布故障公告並持續更新",
                    zh_hans="发布故障公告并持续更新",
                ),
                owner="comms_liaison",
                duration=_hours(0.5),
                deadline=_hours(2),
                after=("triage_outage",),
                families=(COMMUNICATION,),
                communication=True,
                done_when="The notice is live and updated until recovery",
            ),
            _step(
                "repair_orders",
                Labels(
                    en="Repair delayed orders and wrong listings with customers",
                    zh_hant="與客戶一起處理延遲訂單與錯誤商品信息",
                    zh_hans="与客户一起处理延迟订单与错误商品信息",
                ),
                owner="customer_service",
                duration=_hours(4),
                deadline=_hours(24),
                after=("restore_service",),
                families=(COMMUNICATION, RESOURCES),
                communication=True,
                resources={"people.customer_service": 16},
                done_when="Every affected order is fixed and its buyer told",
            ),
            _step(
                "find_root_cause",
                Labels(
                    en="Find the root cause and add monitoring",
                    zh_hant="查明根因並完善技術監測",
                    zh_hans="查明根因并完善技术监测",
                ),
                owner="tech_maintenance",
                duration=_hours(6),
                deadline=_hours(72),
                after=("restore_service",),
                families=(TEAM,),
                done_when="The root cause is written up and an alert covers it",
            ),
            _review(after=("post_status", "repair_orders", "find_root_cause")),
        ),
    ),
    # peak_load_scaling — §2.5 系統故障危機: 由於電商平臺的高並發特性，
    # 系統在面對大量訪問時可能會出現崩潰或運行緩慢的情況
    Playbook(
        key="peak_load_scaling",
        labels=Labels(
            en="Peak load scaling plan",
            zh_hant="高峰擴容預案",
            zh_hans="高峰扩容预案",
        ),
        description=Labels(
            en=(
                "Peak traffic overloads the platform: measure load, add "
                "capacity, protect checkout, tell users and load-test "
                "before the next peak."
            ),
            zh_hant=(
                "高並發訪問使平臺超載時：測量負載，擴充容量，"
                "保護下單流程，告知用戶，並在下一個高峰前進行壓力測試"
                "。"
            ),
            zh_hans=(
                "高并发访问使平台超载时：测量负载，扩充容量，"
                "保护下单流程，告知用户，并在下一个高峰前进行压力测试"
                "。"
            ),
        ),
        book_section="§2.5 技術危機",
        crisis_types=_served_by("peak_load_scaling"),
        steps=(
            _step(
                "measure_load",
                Labels(
                    en="Measure load against capacity",
                    zh_hant="測量負載與容量",
                    zh_hans="测量负载与容量",
                ),
                owner="tech_maintenance",
                duration=_hours(0.5),
                deadline=_hours(1),
                families=(TEAM,),
                done_when="The bottleneck and its headroom are known",
            ),
            _step(
                "protect_checkout",
                Labels(
                    en="Protect checkout: queue or throttle non-essential traffic",
                    zh_hant="保護下單流程：排隊或限流非關鍵流量",
                    zh_hans="保护下单流程：排队或限流非关键流量",
                ),
                owner="tech_maintenance",
                duration=_hours(1),
                deadline=_hours(2),
                after=("measure_load",),
                families=(RESOURCES,),
                done_when="Checkout success rate is back to normal",
            ),
            _step(
                "add_capacity",
                Labels(
                    en="Add capacity: servers, bandwidth, caching",
                    zh_hant="擴充容量（服務器、帶寬、緩存）",
                    zh_hans="扩充容量（服务器、带宽、缓存）",
                ),
                owner="tech_maintenance",
                duration=_hours(2),
                deadline=_hours(4),
                after=("measure_load",),
                families=(RESOURCES,),
                resources={"people.tech_maintenance": 6},
                done_when="Capacity exceeds the peak load with margin",
            ),
            _step(
                "notify_users",
                Labels(
                    en="Tell users about slowness and queueing",
                    zh_hant="告知用戶訪問緩慢與排隊情況",
                    zh_hans="告知用户访问缓慢与排队情况",
                ),
                owner="comms_liaison",
                duration=_hours(0.5),
                deadline=_hours(2),
                after=("measure_load",),
                families=(COMMUNICATION,),
                communication=True,
                done_when="A notice explains the queue and expected wait",
            ),
            _step(
                "load_test",
                Labels(
                    en="Load-test before the next peak",
                    zh_hant="在下一個高峰前進行壓力測試",
                    zh_hans="在下一个高峰前进行压力测试",
                ),
                owner="tech_maintenance",
                duration=_hours(6),
                deadline=_weeks(1),
                after=("add_capacity",),
                families=(DRILLS,),
                done_when="The platform passes a test at the expected next peak",
            ),
            _review(after=("protect_checkout", "notify_users", "load_test")),
        ),
    ),
    # security_incident — §5.4 案例三: 立即啟動安全應急機制，
    # 包括加強網絡安全防護、恢復數據備份、調查攻擊來源等…通過發布公告和積極溝通的
    # 方式告知用戶情況; §2.5 網絡安全危機
    Playbook(
        key="security_incident",
        labels=Labels(
            en="Security incident response plan",
            zh_hant="網絡安全事件應急預案",
            zh_hans="网络安全事件应急预案",
        ),
        description=Labels(
            en=(
                "A network attack hits the platform: contain it, "
                "strengthen defences, investigate the source, secure the "
                "legal position and inform users."
            ),
            zh_hant=(
                "平臺遭受網絡攻擊時：遏制攻擊，加強網絡安全防護，"
                "調查攻擊來源，評估法律責任，並告知用戶情況。"
            ),
            zh_hans=(
                "平台遭受网络攻击时：遏制攻击，加强网络安全防护，"
                "调查攻击来源，评估法律责任，并告知用户情况。"
            ),
        ),
        book_section="§5.4 案例三:數據安全危機應對實踐",
        crisis_types=_served_by("security_incident"),
        steps=(
            _step(
                "contain_attack",
                Labels(
                    en="Contain the attack: isolate systems, revoke access",
                    zh_hant="遏制攻擊：隔離受影響系統並撤銷訪問權限",
                    zh_hans="遏制攻击：隔离受影响系统并撤销访问权限",
                ),
                owner="security_lead",
                duration=_hours(2),
                deadline=_hours(4),
                families=(RESOURCES,),
                done_when="The attacker has no remaining access",
            ),
            _step(
                "strengthen_defences",
                Labels(
                    en="Strengthen network-security protection",
                    zh_hant="加強網絡安全防護",
                    zh_hans="加强网络安全防护",
                ),
                owner="tech_maintenance",
                duration=_hours(4),
                deadline=_hours(12),
                after=("contain_attack",),
                families=(RESOURCES,),
                done_when="Patches, rules and credentials are updated",
            ),
            _step(
                "investigate_source",
                Labels(
                    en="Investigate the source and extent of the attack",
                    zh_hant="調查攻擊來源與範圍",
                    zh_hans="调查攻击来源与范围",
                ),
                owner="security_lead",
                duration=_hours(8),
                deadline=_hours(24),
                after=("contain_attack",),
                families=(TEAM,),
                done_when="Entry point, timeline and affected data are established",
            ),
            _step(
                "assess_legal_duties",
                Labels(
                    en="Assess legal duties and preserve evidence",
                    zh_hant="評估法律義務並保全證據",
                    zh_hans="评估法律义务并保全证据",
                ),
                owner="legal_counsel",
                duration=_hours(2),
                deadline=_hours(12),
                after=("contain_attack",),
                families=(LEGAL_RISK,),
                done_when="Evidence is preserved and duties are listed",
            ),
            _step(
                "inform_users",
                Labels(
                    en=(
                        "Publish a notice telling users what happened and how to "
                        "protect themselves"
                    ),
                    zh_hant="發布公告告知用戶情況及防護建議",
                    zh_hans="发布公告告知用户情况及防护建议",
                ),
                owner="marketing_pr",
                duration=_hours(2),
                deadline=_hours(24),
                after=("assess_legal_duties",),
                families=(COMMUNICATION,),
                communication=True,
                done_when="The notice is published on every official channel",
            ),
            _review(
                after=("strengthen_defences", "investigate_source", "inform_users")
            ),
        ),
    ),
    # data_breach_notification — §2.5 數據丟失與泄露危機: 用戶隱私受損，
    # 還可能引發法律風險和信譽危機; §5.4 案例三:
    # 發布公告和積極溝通的方式告知用戶情況，並採取措施保護用戶權益. Regulator
    # deadline: 72 h, GDPR Art. 33(1)
    Playbook(
        key="data_breach_notification",
        labels=Labels(
            en="Data breach notification plan",
            zh_hant="數據洩露通報預案",
            zh_hans="数据泄露通报预案",
        ),
        description=Labels(
            en=(
                "Personal data has leaked: scope the breach, assess and "
                "meet the duty to notify regulators and users, and "
                "protect users' rights."
            ),
            zh_hant=(
                "用戶數據洩露時：確定洩露範圍，"
                "評估並履行向監管機構和用戶通報的義務，"
                "並採取措施保護用戶權益。"
            ),
            zh_hans=(
                "用户数据泄露时：确定泄露范围，"
                "评估并履行向监管机构和用户通报的义务，"
                "并采取措施保护用户权益。"
            ),
        ),
        book_section="§5.4 案例三:數據安全危機應對實踐",
        crisis_types=_served_by("data_breach_notification"),
        steps=(
            _step(
                "scope_breach",
                Labels(
                    en="Determine which data and which users are affected",
                    zh_hant="確定洩露的數據類型與受影響用戶",
                    zh_hans="确定泄露的数据类型与受影响用户",
                ),
                owner="security_lead",
                duration=_hours(4),
                deadline=_hours(12),
                families=(TEAM,),
                done_when="Data categories and the list of affected users are known",
            ),
            _step(
                "assess_notification_duties",
                Labels(
                    en="Assess the duty to notify regulators and users",
                    zh_hant="評估向監管機構和用戶通報的義務",
                    zh_hans="评估向监管机构和用户通报的义务",
                ),
                owner="legal_counsel",
                duration=_hours(2),
                deadline=_hours(24),
                after=("scope_breach",),
                families=(LEGAL_RISK,),
                done_when=(
                    "Which regulators and users must be told, and by when, "
                    "is written down"
                ),
            ),
            _step(
                "notify_regulator",
                Labels(
                    en="Notify the data-protection regulator",
                    zh_hant="向個人信息保護監管部門報告",
                    zh_hans="向个人信息保护监管部门报告",
                ),
                owner="legal_counsel",
                duration=_hours(2),
                deadline=_hours(72),
                after=("assess_notification_duties",),
                families=(LEGAL_RISK, COMMUNICATION),
                communication=True,
                done_when="The regulator has the notification",
            ),
            _step(
                "notify_users",
                Labels(
                    en="Notify affected users with advice and remedies",
                    zh_hant="通知受影響用戶並提供建議與補救措施",
                    zh_hans="通知受影响用户并提供建议与补救措施",
                ),
                owner="marketing_pr",
                duration=_hours(3),
                deadline=_hours(72),
                after=("assess_notification_duties",),
                families=(COMMUNICATION,),
                communication=True,
                done_when="Every affected user has been notified",
            ),
            _step(
                "protect_users",
                Labels(
                    en="Protect users: reset credentials, watch for fraud",
                    zh_hant="保護用戶權益：重置憑證、監控欺詐",
                    zh_hans="保护用户权益：重置凭证、监控欺诈",
                ),
                owner="tech_maintenance",
                duration=_hours(4),
                deadline=_hours(24),
                after=("scope_breach",),
                families=(RESOURCES,),
                done_when="Exposed credentials are reset and fraud monitoring is on",
            ),
            _review(after=("notify_regulator", "notify_users", "protect_users")),
        ),
    ),
    # data_restore — §5.4 案例三: 恢復數據備份; §2.5 應對策略 3:
    # 定期進行數據安全演練，提高應對數據丟失和泄露的應急處理能力
    Playbook(
        key="data_restore",
        labels=Labels(
            en="Data restore plan",
            zh_hant="數據恢復預案",
            zh_hans="数据恢复预案",
        ),
        description=Labels(
            en=(
                "Data is lost or corrupted: stop the loss, restore from "
                "the last clean backup, verify the data and tell "
                "affected users."
            ),
            zh_hant=(
                "數據丟失或損壞時：阻止數據繼續丟失，"
                "從最近的可用備份恢復數據，校驗數據，"
                "並告知受影響用戶。"
            ),
            zh_hans=(
                "数据丢失或损坏时：阻止数据继续丢失，"
                "从最近的可用备份恢复数据，校验数据，"
                "并告知受影响用户。"
            ),
        ),
        book_section="§5.4 案例三:數據安全危機應對實踐",
        crisis_types=_served_by("data_restore"),
        steps=(
            _step(
                "stop_data_loss",
                Labels(
                    en="Stop further data loss and freeze affected stores",
                    zh_hant="阻止數據繼續丟失並凍結受影響存儲",
                    zh_hans="阻止数据继续丢失并冻结受影响存储",
                ),
                owner="tech_maintenance",
                duration=_hours(1),
                deadline=_hours(2),
                families=(RESOURCES,),
                done_when="No further writes reach the affected stores",
            ),
            _step(
                "choose_backup",
                Labels(
                    en="Select the last clean backup and measure the data gap",
                    zh_hant="選定最近的可用備份並核定數據缺口",
                    zh_hans="选定最近的可用备份并核定数据缺口",
                ),
                owner="tech_maintenance",
                duration=_hours(2),
                deadline=_hours(4),
                after=("stop_data_loss",),
                families=(TEAM,),
                done_when="The backup and the lost time window are known",
            ),
            _step(
                "restore_backup",
                Labels(
                    en="Restore data from the backup",
                    zh_hant="從備份恢復數據",
                    zh_hans="从备份恢复数据",
                ),
                owner="tech_maintenance",
                duration=_hours(4),
                deadline=_hours(12),
                after=("choose_backup",),
                families=(RESOURCES,),
                done_when="The restored stores serve traffic again",
            ),
            _step(
                "verify_data",
                Labels(
                    en="Verify the restored data and reconcile orders",
                    zh_hant="校驗恢復的數據並核對訂單",
                    zh_hans="校验恢复的数据并核对订单",
                ),
                owner="security_lead",
                duration=_hours(3),
                deadline=_hours(24),
                after=("restore_backup",),
                families=(TEAM,),
                done_when="Checksums match and orders reconcile with payments",
            ),
            _step(
                "inform_affected_users",
                Labels(
                    en="Tell affected users what was restored or lost",
                    zh_hant="告知受影響用戶數據恢復或丟失情況",
                    zh_hans="告知受影响用户数据恢复或丢失情况",
                ),
                owner="marketing_pr",
                duration=_hours(2),
                deadline=_hours(48),
                after=("verify_data",),
                families=(COMMUNICATION,),
                communication=True,
                done_when="Every affected user has been told",
            ),
            _review(after=("inform_affected_users",)),
        ),
    ),
    # technology_upgrade — §2.6 技術風險危機:
    # 技術更新滯後則可能使企業在競爭中失去優勢…要求企業不斷創新和適應; §2.5
    # 應對策略 2: 定期更新安全軟件和防護措施
    Playbook(
        key="technology_upgrade",
        labels=Labels(
            en="Technology upgrade plan",
            zh_hant="技術升級預案",
            zh_hans="技术升级预案",
        ),
        description=Labels(
            en=(
                "Technology lags behind competitors: assess the gap, "
                "apply security updates, prioritise upgrades, fund them, "
                "tell staff and users, and start a pilot."
            ),
            zh_hant=(
                "技術更新滯後時：評估技術差距，更新安全軟件，"
                "排定升級優先次序，落實預算與人員，向員工與用戶說明，"
                "並啟動試點。"
            ),
            zh_hans=(
                "技术更新滞后时：评估技术差距，更新安全软件，"
                "排定升级优先次序，落实预算与人员，向员工与用户说明，"
                "并启动试点。"
            ),
        ),
        book_section="§2.6 其他常見危機類型",
        crisis_types=_served_by("technology_upgrade"),
        steps=(
            _step(
                "assess_technology_gap",
                Labels(
                    en="Assess the technology gap against competitors",
                    zh_hant="評估與競爭對手的技術差距",
                    zh_hans="评估与竞争对手的技术差距",
                ),
                owner="tech_maintenance",
                duration=_hours(4),
                deadline=_hours(24),
                families=(TEAM,),
                done_when="The gaps are listed with their business effect",
            ),
            _step(
                "apply_security_updates",
                Labels(
                    en="Apply pending security updates",
                    zh_hant="更新安全軟件與防護措施",
                    zh_hans="更新安全软件与防护措施",
                ),
                owner="tech_maintenance",
                duration=_hours(4),
                deadline=_hours(72),
                after=("assess_technology_gap",),
                families=(RESOURCES,),
                done_when="No known security update is pending",
            ),
            _step(
                "prioritise_upgrades",
                Labels(
                    en="Prioritise upgrades by business value",
                    zh_hant="按業務價值排定升級優先次序",
                    zh_hans="按业务价值排定升级优先次序",
                ),
                owner="ops_expert",
                duration=_hours(3),
                deadline=_hours(72),
                after=("assess_technology_gap",),
                families=(TEAM,),
                done_when="A ranked upgrade list is agreed",
            ),
            _step(
                "fund_upgrades",
                Labels(
                    en="Secure budget and people for the upgrades",
                    zh_hant="為升級落實預算與人員",
                    zh_hans="为升级落实预算与人员",
                ),
                owner="crisis_lead",
                duration=_hours(2),
                deadline=_weeks(1),
                after=("prioritise_upgrades",),
                families=(RESOURCES,),
                done_when="The top upgrades have budget and staff",
            ),
            _step(
                "start_pilot",
                Labels(
                    en="Start a pilot of the first upgrade",
                    zh_hant="啟動首項升級的試點",
                    zh_hans="启动首项升级的试点",
                ),
                owner="tech_maintenance",
                duration=_hours(8),
                deadline=_months(1),
                after=("fund_upgrades",),
                families=(RESOURCES,),
                done_when="The pilot runs with success measures",
            ),
            _step(
                "announce_changes",
                Labels(
                    en="Tell staff and users what the upgrades change and when",
                    zh_hant="向員工與用戶說明升級內容與時間",
                    zh_hans="向员工与用户说明升级内容与时间",
                ),
                owner="ops_expert",
                duration=_hours(2),
                deadline=_weeks(2),
                after=("fund_upgrades",),
                families=(COMMUNICATION,),
                communication=True,
                done_when="Staff and users have the upgrade notice",
            ),
            _review(
                after=("apply_security_updates", "start_pilot", "announce_changes")
            ),
        ),
    ),
    # logistics_recovery — §2.6 物流配送危機: 物流延遲、
    # 貨物損壞和配送錯誤…與可靠的物流公司合作，建立完善的物流配送體系，
    # 確保商品能夠準時、安全地送達
    Playbook(
        key="logistics_recovery",
        labels=Labels(
            en="Logistics recovery plan",
            zh_hant="物流恢復預案",
            zh_hans="物流恢复预案",
        ),
        description=Labels(
            en=(
                "Deliveries are delayed, damaged or misdelivered: locate "
                "the shipments, work with the carrier or a backup, "
                "reship and tell customers."
            ),
            zh_hant=(
                "物流延遲、貨物損壞或配送錯誤時：查明相關包裹，"
                "與物流公司溝通或轉用備用物流商，補發商品，"
                "並告知客戶。"
            ),
            zh_hans=(
                "物流延迟、货物损坏或配送错误时：查明相关包裹，"
                "与物流公司沟通或转用备用物流商，补发商品，"
                "并告知客户。"
            ),
        ),
        book_section="§2.6 其他常見危機類型",
        crisis_types=_served_by("logistics_recovery"),
        steps=(
            _step(
                "locate_shipments",
                Labels(
                    en="Locate delayed, damaged or misdelivered shipments",
                    zh_hant="查明延遲、損壞或錯送的包裹",
                    zh_hans="查明延迟、损坏或错送的包裹",
                ),
                owner="supply_chain_lead",
                duration=_hours(2),
                deadline=_hours(4),
                families=(TEAM,),
                done_when="Every affected shipment is listed with its status",
            ),
            _step(
                "escalate_with_carrier",
                Labels(
                    en="Escalate with the carrier and agree a fix",
                    zh_hant="與物流公司溝通並商定解決方案",
                    zh_hans="与物流公司沟通并商定解决方案",
                ),
                owner="supply_chain_lead",
                duration=_hours(3),
                deadline=_hours(12),
                after=("locate_shipments",),
                families=(RESOURCES,),
                done_when="The carrier has committed to a fix and dates",
            ),
            _step(
                "switch_carrier",
                Labels(
                    en="Move volume to a backup carrier where needed",
                    zh_hant="必要時轉用備用物流商",
                    zh_hans="必要时转用备用物流商",
                ),
                owner="supply_chain_lead",
                duration=_hours(4),
                deadline=_hours(24),
                after=("escalate_with_carrier",),
                families=(RESOURCES,),
                done_when="Volume the carrier cannot handle is with a backup carrier",
            ),
            _step(
                "reship_orders",
                Labels(
                    en="Reship or replace damaged and wrong items",
                    zh_hant="為損壞及錯送商品補發或更換",
                    zh_hans="为损坏及错送商品补发或更换",
                ),
                owner="ops_expert",
                duration=_hours(4),
                deadline=_hours(24),
                after=("locate_shipments",),
                families=(RESOURCES,),
                done_when="Replacements are on their way",
            ),
            _step(
                "notify_customers",
                Labels(
                    en="Tell affected customers the new delivery date",
                    zh_hant="告知受影響客戶新的送達時間",
                    zh_hans="告知受影响客户新的送达时间",
                ),
                owner="customer_service",
                duration=_hours(2),
                deadline=_hours(8),
                after=("locate_shipments",),
                families=(COMMUNICATION,),
                communication=True,
                done_when="Every affected customer has a new delivery date",
            ),
            _review(after=("switch_carrier", "reship_orders", "notify_customers")),
        ),
    ),
    # service_recovery — §5.4 案例四: 立即優化客戶服務流程，增加客服人員配備，
    # 加強培訓提升服務水平；同時積極收集客戶反饋意見，
    # 針對問題制定改進措施…通過社交媒體和客服渠道與用戶進行互動溝通，及時回應關切
    Playbook(
        key="service_recovery",
        labels=Labels(
            en="Customer service recovery plan",
            zh_hant="客戶服務補救預案",
            zh_hans="客户服务补救预案",
        ),
        description=Labels(
            en=(
                "Customer service fails: add staff, streamline the "
                "process, retrain agents, collect feedback and respond "
                "publicly."
            ),
            zh_hant=(
                "客戶服務出現問題時：增加客服人員配備，優化服務流程，"
                "加強培訓，收集客戶反饋，並通過社交媒體和客服渠道回應"
                "關切。"
            ),
            zh_hans=(
                "客户服务出现问题时：增加客服人员配备，优化服务流程，"
                "加强培训，收集客户反馈，并通过社交媒体和客服渠道回应"
                "关切。"
            ),
        ),
        book_section="§5.4 案例四:客戶服務危機應對實踐",
        crisis_types=_served_by("service_recovery"),
        steps=(
            _step(
                "assess_backlog",
                Labels(
                    en="Assess the complaint backlog and waiting times",
                    zh_hant="評估投訴積壓與等待時間",
                    zh_hans="评估投诉积压与等待时间",
                ),
                owner="customer_service",
                duration=_hours(1),
                deadline=_hours(2),
                families=(TEAM,),
                done_when="Backlog size and waiting times are known per channel",
            ),
            _step(
                "add_staff",
                Labels(
                    en="Add customer-service staff",
                    zh_hant="增加客服人員配備",
                    zh_hans="增加客服人员配备",
                ),
                owner="customer_service",
                duration=_hours(4),
                deadline=_hours(8),
                after=("assess_backlog",),
                families=(RESOURCES,),
                resources={"people.customer_service": 32},
                done_when="Extra agents are answering",
            ),
            _step(
                "streamline_process",
                Labels(
                    en="Streamline the service process",
                    zh_hant="優化客戶服務流程",
                    zh_hans="优化客户服务流程",
                ),
                owner="ops_expert",
                duration=_hours(6),
                deadline=_hours(48),
                after=("assess_backlog",),
                families=(RESOURCES,),
                done_when="The changed process is in use",
            ),
            _step(
                "retrain_agents",
                Labels(
                    en="Retrain agents to raise the service level",
                    zh_hant="加強培訓，提升服務水平",
                    zh_hans="加强培训，提升服务水平",
                ),
                owner="customer_service",
                duration=_hours(4),
                deadline=_hours(72),
                after=("add_staff",),
                families=(DRILLS,),
                done_when="Every agent has done the refresher",
            ),
            _step(
                "collect_feedback",
                Labels(
                    en="Collect customer feedback and act on recurring problems",
                    zh_hant="收集客戶反饋並針對問題制定改進措施",
                    zh_hans="收集客户反馈并针对问题制定改进措施",
                ),
                owner="customer_service",
                duration=_hours(4),
                deadline=_hours(48),
                after=("assess_backlog",),
                families=(TEAM, COMMUNICATION),
                communication=True,
                done_when="Top problems have an improvement measure",
            ),
            _step(
                "respond_publicly",
                Labels(
                    en="Respond to concerns on social media and service channels",
                    zh_hant="通過社交媒體和客服渠道回應用戶關切",
                    zh_hans="通过社交媒体和客服渠道回应用户关切",
                ),
                owner="marketing_pr",
                duration=_hours(2),
                deadline=_hours(8),
                after=("assess_backlog",),
                families=(COMMUNICATION,),
                communication=True,
                done_when="A public response is posted and replies are answered",
            ),
            _review(
                after=(
                    "streamline_process",
                    "retrain_agents",
                    "collect_feedback",
                    "respond_publicly",
                )
            ),
        ),
    ),
)
