"""Built-in crisis-type catalog data: every crisis type of book §2 and §5.4.

This module is catalog **data**, not logic: `BUILT_IN_CRISIS_TYPES` is the
tuple `crisisops.taxonomy.default_catalog()` wraps in a
`CrisisTypeCatalog`. Users who need other types add
their own to that catalog; nothing here is special (DESIGN.md principle 7).

Book sections
-------------
``book_section`` names where the book describes a type. Chapter 二
(電商運營中的危機類型) has six unnumbered sections, numbered here in book order:
§2.1 市場危機, §2.2 產品危機, §2.3 供應鏈危機, §2.4 財務危機, §2.5 技術危機 and
§2.6 其他常見危機類型. The case-study section of chapter 五 is §5.4
案例分析:成功應對電商危機的實踐 (the fourth section of the chapter); its four
cases give ``market.traffic_swing`` (case 2), ``supply_chain.peak_season_stockout``
(case 1), ``technical.data_security_breach`` (case 3) and
``other.customer_service_failure`` (case 4). The ``zh_hant`` label is the book's
own term and the ``zh_hant`` description condenses the book's wording; ``en`` is
a translation and ``zh_hans`` the same text in simplified script.

SCCT mapping
------------
Each type's ``scct_type`` maps it to a crisis type of Coombs' Situational Crisis
Communication Theory (Coombs 2007, Table 1), and so to a cluster. This mapping is
crisisops' documented choice, **not part of SCCT**; a comment above each
``scct_type`` gives the reason. The rules used:

* outside events and attackers: natural disaster → ``NATURAL_DISASTER``; an
  external breach or attack → ``PRODUCT_TAMPERING`` (malevolence, victim
  cluster; treat it as preventable if negligence is shown);
* failures of technology or a supplier's product: peak-load outage, data lost by
  the shop's own systems → ``TECHNICAL_ERROR_ACCIDENT``; supplier defects and
  unintended product shortfalls → ``TECHNICAL_ERROR_PRODUCT_HARM``;
* failures the shop could have prevented: unsafe listings and lax quality
  control → ``HUMAN_ERROR_PRODUCT_HARM``; mishandled deliveries and failed
  customer service → ``HUMAN_ERROR_ACCIDENT``;
* negative news and loss of trust in the brand → ``CHALLENGE``; when the cause
  is known (e.g. a product defect), classify the crisis by the cause's type;
* ``None`` for purely internal or business crises where stakeholders attribute
  no reputational responsibility: demand shift, competition, policy change,
  traffic swing, inventory and supply disruption, all financial crises and
  technology lag.

Vocabularies
------------
`INDICATOR_KEYS`, `ROLE_KEYS` and `PLAYBOOK_KEYS` are the keys
the types refer to. Later packages define the entries behind them, and their
tests check that those catalogs contain every key listed here.

References
----------
Coombs, W. Timothy. 2007. "Protecting Organization Reputations During a Crisis:
The Development and Application of Situational Crisis Communication Theory."
*Corporate Reputation Review* 10 (3): 163–76.
https://doi.org/10.1057/palgrave.crr.1550049.
"""

from __future__ import annotations

from crisisops.labels import Labels
from crisisops.taxonomy import CrisisCategory, CrisisType, SCCTCrisisType

__all__ = [
    "BUILT_IN_CRISIS_TYPES",
    "INDICATOR_KEYS",
    "PLAYBOOK_KEYS",
    "ROLE_KEYS",
]

# Key indicators (關鍵指標, book §3); defined by the KPI catalog of
# ``crisisops.monitoring``.
INDICATOR_KEYS: tuple[str, ...] = (
    "sales.gmv",
    "sales.orders",
    "sales.conversion_rate",
    "sales.average_order_value",
    "traffic.visits",
    "feedback.negative_review_rate",
    "feedback.rating",
    "feedback.complaints",
    "feedback.refund_rate",
    "supply.inventory_days_of_cover",
    "supply.stockout_rate",
    "logistics.on_time_delivery_rate",
    "logistics.delay_rate",
    "marketing.ad_spend",
    "marketing.roi",
    "marketing.ctr",
    "social.mentions",
    "social.sentiment",
    "tech.error_rate",
    "tech.latency_p95",
    "tech.payment_failure_rate",
    "cash.balance",
    "cash.runway_days",
)

# Response-team roles (危機應對小組, book §4); defined by the role catalog of
# ``crisisops.planning``.
ROLE_KEYS: tuple[str, ...] = (
    "crisis_lead",
    "deputy_lead",
    "ops_expert",  # 電商運營專家
    "marketing_pr",  # 市場營銷人員
    "customer_service",  # 客戶服務團隊代表
    "tech_maintenance",  # 技術維護人員
    "legal_counsel",  # 法律顧問
    "scribe",
    "comms_liaison",
    "supply_chain_lead",
    "finance_lead",
    "data_analyst",
    "security_lead",
)

# Contingency plans (預案, book §4); defined by the playbook catalog of
# ``crisisops.planning``.
PLAYBOOK_KEYS: tuple[str, ...] = (
    "sales_recovery",
    "competitive_response",
    "policy_adaptation",
    "business_continuity",
    "brand_repair",
    "traffic_recovery",
    "product_recall",
    "quality_investigation",
    "product_improvement",
    "supplier_switch",
    "inventory_replenishment",
    "supplier_quality_audit",
    "cash_preservation",
    "financial_risk_hedging",
    "cost_reduction",
    "incident_recovery",
    "peak_load_scaling",
    "security_incident",
    "data_breach_notification",
    "data_restore",
    "technology_upgrade",
    "logistics_recovery",
    "service_recovery",
)

#: Every crisis type of book §2 plus the case-study crises of §5.4, in display
#: order; a sub-type follows its parent.
BUILT_IN_CRISIS_TYPES: tuple[CrisisType, ...] = (
    # --- §2.1 市場危機 (market) ------------------------------------------------
    CrisisType(
        key="market.demand_shift",
        category=CrisisCategory.MARKET,
        labels=Labels(
            en="Crisis from shifting market demand",
            zh_hant="市場需求變化帶來的危機",
            zh_hans="市场需求变化带来的危机",
        ),
        description=Labels(
            en=(
                "Consumer demand keeps changing, driven by social trends, popular "
                "culture, economic conditions and other factors. If operators fail to "
                "read these shifts and adjust their product and market strategies in "
                "time, sales can stall or even fall, setting off a market crisis. "
                "Operators therefore need to watch market dynamics closely so that "
                "they can react quickly."
            ),
            zh_hant=(
                "消費者需求是不斷變化的,這種變化可能由社會趨勢、流行文化、"
                "經濟狀況等多種因素引起。如果運營者不能準確把握市場需求的變動,"
                "及時調整產品策略和市場策略,就可能導致銷售停滯甚至下滑,"
                "從而引發市場危機。因此運營者需要密切關注市場動態,以便快速做出反應。"
            ),
            zh_hans=(
                "消费者需求是不断变化的,这种变化可能由社会趋势、流行文化、"
                "经济状况等多种因素引起。如果运营者不能准确把握市场需求的变动,"
                "及时调整产品策略和市场策略,就可能导致销售停滞甚至下滑,"
                "从而引发市场危机。因此运营者需要密切关注市场动态,以便快速做出反应。"
            ),
        ),
        book_section="§2.1 市場危機",
        indicators=(
            "sales.gmv",
            "sales.orders",
            "sales.conversion_rate",
            "traffic.visits",
        ),
        default_roles=("crisis_lead", "ops_expert", "marketing_pr", "data_analyst"),
        default_playbooks=("sales_recovery",),
        # SCCT: none; a business risk for which stakeholders blame nobody
        scct_type=None,
    ),
    CrisisType(
        key="market.competition",
        category=CrisisCategory.MARKET,
        labels=Labels(
            en="Intensifying market competition",
            zh_hant="市場競爭加劇",
            zh_hans="市场竞争加剧",
        ),
        description=Labels(
            en=(
                "As the internet spreads and e-commerce grows fast, market competition "
                "becomes ever fiercer. Operators who cannot respond effectively risk "
                "losing market share to competitors. The response is to study "
                "competitors' marketing strategies and product features, adjust one's "
                "own strategy to match and make the products more competitive."
            ),
            zh_hant=(
                "隨著互聯網的普及和電子商務的快速發展,市場競爭變得越來越激烈。"
                "如果電商運營者不能有效地應對競爭,"
                "就可能面臨市場份額被競爭對手奪走的風險。"
                "為此運營者需要了解競爭對手的營銷策略、產品特點等,"
                "並根據自身情況調整策略,提高產品的競爭力。"
            ),
            zh_hans=(
                "随着互联网的普及和电子商务的快速发展,市场竞争变得越来越激烈。"
                "如果电商运营者不能有效地应对竞争,"
                "就可能面临市场份额被竞争对手夺走的风险。"
                "为此运营者需要了解竞争对手的营销策略、产品特点等,"
                "并根据自身情况调整策略,提高产品的竞争力。"
            ),
        ),
        book_section="§2.1 市場危機",
        indicators=(
            "sales.gmv",
            "sales.conversion_rate",
            "marketing.roi",
            "marketing.ctr",
        ),
        default_roles=("crisis_lead", "ops_expert", "marketing_pr", "data_analyst"),
        default_playbooks=("competitive_response", "sales_recovery"),
        # SCCT: none; losing share to rivals is a business risk, not a reputational one
        scct_type=None,
    ),
    CrisisType(
        key="market.sudden_event",
        category=CrisisCategory.MARKET,
        labels=Labels(
            en="Sudden market event",
            zh_hant="市場突發事件",
            zh_hans="市场突发事件",
        ),
        description=Labels(
            en=(
                "Sudden market events, such as policy changes and natural disasters, "
                "can also bring crisis to e-commerce operations. Such events are "
                "usually unpredictable and put higher demands on the operator's speed "
                "of reaction and decision-making."
            ),
            zh_hant=(
                "市場突發事件,如政策變化、自然災害等,也可能給電商運營帶來危機。"
                "這些突發事件往往具有不可預測性,"
                "對運營者的反應速度和決策能力提出了更高的要求。"
            ),
            zh_hans=(
                "市场突发事件,如政策变化、自然灾害等,也可能给电商运营带来危机。"
                "这些突发事件往往具有不可预测性,"
                "对运营者的反应速度和决策能力提出了更高的要求。"
            ),
        ),
        book_section="§2.1 市場危機",
        indicators=("sales.gmv", "sales.orders", "traffic.visits", "social.mentions"),
        default_roles=(
            "crisis_lead",
            "ops_expert",
            "marketing_pr",
            "comms_liaison",
            "supply_chain_lead",
            "customer_service",
        ),
        default_playbooks=("business_continuity",),
        # SCCT: none at this level; it depends on the event, see the sub-types
        scct_type=None,
    ),
    CrisisType(
        key="market.policy_change",
        category=CrisisCategory.MARKET,
        labels=Labels(en="Policy change", zh_hant="政策變化", zh_hans="政策变化"),
        description=Labels(
            en=(
                "A change in policy can affect an e-commerce platform's operating "
                "model and business development. Like other sudden market events it is "
                "hard to foresee, so operators need to follow policy trends closely "
                "and adjust their business strategy in time."
            ),
            zh_hant=(
                "政策的變化可能影響到電商平臺的運營模式和業務發展。"
                "與其他市場突發事件一樣,政策變化往往具有不可預測性,"
                "運營者需要及時了解政策動向,調整業務策略。"
            ),
            zh_hans=(
                "政策的变化可能影响到电商平台的运营模式和业务发展。"
                "与其他市场突发事件一样,政策变化往往具有不可预测性,"
                "运营者需要及时了解政策动向,调整业务策略。"
            ),
        ),
        book_section="§2.1 市場危機",
        indicators=("sales.gmv", "sales.orders"),
        default_roles=("crisis_lead", "ops_expert", "legal_counsel"),
        default_playbooks=("policy_adaptation",),
        # SCCT: none; a market-wide rule change, nobody blames the shop
        scct_type=None,
        parent="market.sudden_event",
    ),
    CrisisType(
        key="market.natural_disaster",
        category=CrisisCategory.MARKET,
        labels=Labels(en="Natural disaster", zh_hant="自然災害", zh_hans="自然灾害"),
        description=Labels(
            en=(
                "A natural disaster is one of the sudden market events that can bring "
                "crisis to e-commerce operations; it is usually unpredictable and puts "
                "higher demands on the operator's speed of reaction and "
                "decision-making. A natural disaster can also break the supply chain, "
                "leaving goods short or impossible to deliver on time."
            ),
            zh_hant=(
                "自然災害屬於可能給電商運營帶來危機的市場突發事件,往往具有不可預測性,"
                "對運營者的反應速度和決策能力提出了更高的要求。"
                "自然災害還可能造成供應鏈斷裂,導致商品短缺或無法按時交付。"
            ),
            zh_hans=(
                "自然灾害属于可能给电商运营带来危机的市场突发事件,往往具有不可预测性,"
                "对运营者的反应速度和决策能力提出了更高的要求。"
                "自然灾害还可能造成供应链断裂,导致商品短缺或无法按时交付。"
            ),
        ),
        book_section="§2.1 市場危機",
        indicators=(
            "sales.orders",
            "supply.stockout_rate",
            "logistics.on_time_delivery_rate",
            "logistics.delay_rate",
        ),
        default_roles=(
            "crisis_lead",
            "ops_expert",
            "supply_chain_lead",
            "customer_service",
            "comms_liaison",
        ),
        default_playbooks=("business_continuity", "logistics_recovery"),
        # SCCT: natural disaster (victim cluster); the shop is a victim of the event
        scct_type=SCCTCrisisType.NATURAL_DISASTER,
        parent="market.sudden_event",
    ),
    CrisisType(
        key="market.brand_damage",
        category=CrisisCategory.MARKET,
        labels=Labels(
            en="Brand image damage",
            zh_hant="品牌形象受損",
            zh_hans="品牌形象受损",
        ),
        description=Labels(
            en=(
                "Brand image is one of the core competitive strengths of e-commerce "
                "operations. Damage to it erodes consumers' trust and loyalty and so "
                "drives sales down; causes include product-quality problems, poor "
                "service and negative news coverage. Operators therefore need to "
                "invest in building and maintaining the brand and raise product "
                "quality and service levels."
            ),
            zh_hant=(
                "品牌形象是電商運營的核心競爭力之一。如果品牌形象受損,"
                "就可能影響到消費者的信任和忠誠度,從而導致銷售下滑;"
                "受損的原因可能包括產品質量問題、服務不佳、負面新聞報道等。"
                "因此電商運營者需要注重品牌建設和維護,提高產品質量和服務水平。"
            ),
            zh_hans=(
                "品牌形象是电商运营的核心竞争力之一。如果品牌形象受损,"
                "就可能影响到消费者的信任和忠诚度,从而导致销售下滑;"
                "受损的原因可能包括产品质量问题、服务不佳、负面新闻报道等。"
                "因此电商运营者需要注重品牌建设和维护,提高产品质量和服务水平。"
            ),
        ),
        book_section="§2.1 市場危機",
        indicators=(
            "social.sentiment",
            "social.mentions",
            "feedback.negative_review_rate",
            "feedback.rating",
            "sales.gmv",
        ),
        default_roles=(
            "crisis_lead",
            "marketing_pr",
            "customer_service",
            "legal_counsel",
        ),
        default_playbooks=("brand_repair",),
        # SCCT: challenge; negative news claims the shop acts badly
        scct_type=SCCTCrisisType.CHALLENGE,
    ),
    # §5.4 case 2 流量波動應對策略
    CrisisType(
        key="market.traffic_swing",
        category=CrisisCategory.MARKET,
        labels=Labels(en="Traffic swing", zh_hant="流量波動", zh_hans="流量波动"),
        description=Labels(
            en=(
                "A sudden event made an e-commerce platform's traffic swing, with the "
                "risk of a sharp drop. The platform quickly launched advertising and "
                "marketing campaigns to win back users' attention, improved its "
                "search-engine ranking and user experience to raise stickiness, and "
                "used social media for crisis PR, answering users' concerns and "
                "reshaping its brand image; in this way it steadied the impact of the "
                "swing."
            ),
            zh_hant=(
                "某電商平臺因突發事件導致流量波動,面臨流量驟降的風險。"
                "平臺迅速啟動廣告推廣和營銷活動吸引用戶注意力,"
                "同時優化搜索引擎排名和用戶體驗、提高用戶粘性,"
                "並利用社交媒體進行危機公關,積極回應用戶關切,重塑品牌形象,"
                "成功穩定了流量波動帶來的衝擊。"
            ),
            zh_hans=(
                "某电商平台因突发事件导致流量波动,面临流量骤降的风险。"
                "平台迅速启动广告推广和营销活动吸引用户注意力,"
                "同时优化搜索引擎排名和用户体验、提高用户粘性,"
                "并利用社交媒体进行危机公关,积极回应用户关切,重塑品牌形象,"
                "成功稳定了流量波动带来的冲击。"
            ),
        ),
        book_section="§5.4 案例分析:成功應對電商危機的實踐",
        indicators=(
            "traffic.visits",
            "sales.conversion_rate",
            "marketing.ctr",
            "marketing.ad_spend",
            "social.sentiment",
        ),
        default_roles=(
            "crisis_lead",
            "ops_expert",
            "marketing_pr",
            "data_analyst",
            "legal_counsel",
            "customer_service",
        ),
        default_playbooks=("traffic_recovery", "brand_repair"),
        # SCCT: none; traffic lost to an outside event is a business impact
        scct_type=None,
    ),
    # --- §2.2 產品危機 (product) -----------------------------------------------
    CrisisType(
        key="product.quality_safety",
        category=CrisisCategory.PRODUCT,
        labels=Labels(
            en="Quality and safety problem",
            zh_hant="質量安全問題",
            zh_hans="质量安全问题",
        ),
        description=Labels(
            en=(
                "When a product endangers consumers' health or personal safety it "
                "draws public attention at once, for example excess additives in food "
                "or radiation from electronic products. Once such a problem appears, "
                "the platform must start its emergency response at once, with measures "
                "such as a product recall and a public apology."
            ),
            zh_hant=(
                "當產品存在危害消費者身體健康或人身安全的問題時,會立即引發公眾關注,"
                "如食品行業中的添加劑超標、電子產品中的輻射問題等。一旦出現此類問題,"
                "電商平臺需迅速啟動應急響應機制,進行產品召回、公開道歉等措施。"
            ),
            zh_hans=(
                "当产品存在危害消费者身体健康或人身安全的问题时,会立即引发公众关注,"
                "如食品行业中的添加剂超标、电子产品中的辐射问题等。一旦出现此类问题,"
                "电商平台需迅速启动应急响应机制,进行产品召回、公开道歉等措施。"
            ),
        ),
        book_section="§2.2 產品危機",
        indicators=(
            "feedback.complaints",
            "feedback.refund_rate",
            "feedback.negative_review_rate",
            "social.mentions",
            "social.sentiment",
        ),
        default_roles=(
            "crisis_lead",
            "ops_expert",
            "marketing_pr",
            "customer_service",
            "legal_counsel",
            "supply_chain_lead",
        ),
        default_playbooks=("product_recall", "quality_investigation", "brand_repair"),
        # SCCT: human-error product harm; an unsafe listing checks should stop
        scct_type=SCCTCrisisType.HUMAN_ERROR_PRODUCT_HARM,
    ),
    CrisisType(
        key="product.performance",
        category=CrisisCategory.PRODUCT,
        labels=Labels(en="Performance problem", zh_hant="性能問題", zh_hans="性能问题"),
        description=Labels(
            en=(
                "A product whose performance falls short of consumers' expectations "
                "can also trigger a crisis, for example a short battery life or slow "
                "operation. If many users report such problems, the brand image and "
                "sales suffer badly. The operations team must collect user feedback "
                "promptly, analyse the cause and optimise or improve the product."
            ),
            zh_hant=(
                "產品的性能不符合消費者預期也可能引發危機,例如電池壽命短、"
                "運行速度緩慢等。這類性能問題若被大量用戶反饋,"
                "將嚴重影響品牌形象和銷售業績。運營團隊需及時收集用戶反饋,"
                "分析原因並進行產品優化或改進。"
            ),
            zh_hans=(
                "产品的性能不符合消费者预期也可能引发危机,例如电池寿命短、"
                "运行速度缓慢等。这类性能问题若被大量用户反馈,"
                "将严重影响品牌形象和销售业绩。运营团队需及时收集用户反馈,"
                "分析原因并进行产品优化或改进。"
            ),
        ),
        book_section="§2.2 產品危機",
        indicators=(
            "feedback.negative_review_rate",
            "feedback.rating",
            "feedback.complaints",
            "feedback.refund_rate",
        ),
        default_roles=(
            "crisis_lead",
            "ops_expert",
            "customer_service",
            "data_analyst",
            "marketing_pr",
            "supply_chain_lead",
        ),
        default_playbooks=("quality_investigation", "product_improvement"),
        # SCCT: technical-error product harm; an unintended technical shortfall
        scct_type=SCCTCrisisType.TECHNICAL_ERROR_PRODUCT_HARM,
    ),
    CrisisType(
        key="product.design_defect",
        category=CrisisCategory.PRODUCT,
        labels=Labels(en="Design defect", zh_hant="設計缺陷", zh_hans="设计缺陷"),
        description=Labels(
            en=(
                "Flaws in a product's design, such as an unattractive appearance or "
                "awkward use, likewise leave consumers dissatisfied. This kind of "
                "crisis is usually answered by redesigning the product and launching "
                "an improved version."
            ),
            zh_hant=(
                "產品設計上的缺陷,如外觀不美觀、使用不便等,同樣會導致消費者不滿。"
                "這種危機通常需要通過重新設計、推出改進版產品等方式來應對。"
            ),
            zh_hans=(
                "产品设计上的缺陷,如外观不美观、使用不便等,同样会导致消费者不满。"
                "这种危机通常需要通过重新设计、推出改进版产品等方式来应对。"
            ),
        ),
        book_section="§2.2 產品危機",
        indicators=(
            "feedback.negative_review_rate",
            "feedback.rating",
            "feedback.refund_rate",
        ),
        default_roles=("crisis_lead", "ops_expert", "customer_service", "data_analyst"),
        default_playbooks=("product_improvement",),
        # SCCT: technical-error product harm; an unintended flaw, fixed by redesign
        scct_type=SCCTCrisisType.TECHNICAL_ERROR_PRODUCT_HARM,
    ),
    CrisisType(
        key="product.supply_issue",
        category=CrisisCategory.PRODUCT,
        labels=Labels(
            en="Product supply-chain problem",
            zh_hant="產品供應鏈問題",
            zh_hans="产品供应链问题",
        ),
        description=Labels(
            en=(
                "A problem at any link of the supply chain, such as unstable product "
                "quality at a supplier or production delays, can spill over into the "
                "brand image and sales. The platform needs stable working "
                "relationships with its suppliers, together with stronger quality "
                "control and risk management."
            ),
            zh_hant=(
                "供應鏈中的任何環節出現問題,如供應商產品質量不穩定、生產延誤等,"
                "都可能波及品牌形象和銷售業績。對於這種情況,"
                "電商平臺需要與供應商建立穩定的合作關係,同時加強質量控制和風險管理。"
            ),
            zh_hans=(
                "供应链中的任何环节出现问题,如供应商产品质量不稳定、生产延误等,"
                "都可能波及品牌形象和销售业绩。对于这种情况,"
                "电商平台需要与供应商建立稳定的合作关系,同时加强质量控制和风险管理。"
            ),
        ),
        book_section="§2.2 產品危機",
        indicators=(
            "feedback.complaints",
            "feedback.refund_rate",
            "supply.stockout_rate",
        ),
        default_roles=(
            "crisis_lead",
            "supply_chain_lead",
            "ops_expert",
            "customer_service",
        ),
        default_playbooks=("supplier_quality_audit", "supplier_switch"),
        # SCCT: technical-error product harm; a supplier defect (supplier recall)
        scct_type=SCCTCrisisType.TECHNICAL_ERROR_PRODUCT_HARM,
    ),
    # --- §2.3 供應鏈危機 (supply chain) ----------------------------------------
    CrisisType(
        key="supply_chain.breakage",
        category=CrisisCategory.SUPPLY_CHAIN,
        labels=Labels(
            en="Supply-chain breakage",
            zh_hant="供應鏈斷裂",
            zh_hans="供应链断裂",
        ),
        description=Labels(
            en=(
                "A fault at any link of e-commerce operations can unsettle the whole "
                "supply chain. Supplier production problems, transport delays, natural "
                "disasters and similar factors can break the supply chain, leaving "
                "goods short or impossible to deliver on time. Diversifying the supply "
                "chain and spreading supplier risk reduce the risk of breakage to a "
                "degree."
            ),
            zh_hant=(
                "在電商運營過程中,任何環節的故障都可能影響整個供應鏈的穩定性。"
                "供應商生產問題、物流運輸延誤、自然災害等因素都可能造成供應鏈斷裂,"
                "導致商品短缺或無法按時交付。通過多元化供應鏈管理、分散供應商風險,"
                "可以在一定程度上減輕供應鏈斷裂風險。"
            ),
            zh_hans=(
                "在电商运营过程中,任何环节的故障都可能影响整个供应链的稳定性。"
                "供应商生产问题、物流运输延误、自然灾害等因素都可能造成供应链断裂,"
                "导致商品短缺或无法按时交付。通过多元化供应链管理、分散供应商风险,"
                "可以在一定程度上减轻供应链断裂风险。"
            ),
        ),
        book_section="§2.3 供應鏈危機",
        indicators=(
            "supply.stockout_rate",
            "supply.inventory_days_of_cover",
            "logistics.delay_rate",
            "sales.orders",
        ),
        default_roles=(
            "crisis_lead",
            "supply_chain_lead",
            "ops_expert",
            "customer_service",
            "comms_liaison",
        ),
        default_playbooks=("supplier_switch", "business_continuity"),
        # SCCT: none; upstream disruption, its visible effects have own types
        scct_type=None,
    ),
    CrisisType(
        key="supply_chain.inventory",
        category=CrisisCategory.SUPPLY_CHAIN,
        labels=Labels(en="Inventory crisis", zh_hant="庫存危機", zh_hans="库存危机"),
        description=Labels(
            en=(
                "Poor inventory management is a common form of supply-chain crisis. "
                "Too much stock raises operating costs, too little hurts sales and "
                "customer satisfaction; in peak season or when a sudden event strikes, "
                "an inventory crisis can appear quickly. The remedy is to forecast "
                "inventory from sales data and market trends and to use techniques "
                "such as real-time stock monitoring and smart replenishment."
            ),
            zh_hant=(
                "庫存管理不善是供應鏈危機的常見表現。庫存積壓過多會增加運營成本,"
                "庫存不足則會影響銷售並損害客戶滿意度;"
                "尤其是在銷售旺季或突發事件發生時,庫存危機可能迅速顯現。"
                "應對時需結合銷售數據和市場趨勢進行庫存預測,並採用實時庫存監控、"
                "智能補貨等技術。"
            ),
            zh_hans=(
                "库存管理不善是供应链危机的常见表现。库存积压过多会增加运营成本,"
                "库存不足则会影响销售并损害客户满意度;"
                "尤其是在销售旺季或突发事件发生时,库存危机可能迅速显现。"
                "应对时需结合销售数据和市场趋势进行库存预测,并采用实时库存监控、"
                "智能补货等技术。"
            ),
        ),
        book_section="§2.3 供應鏈危機",
        indicators=(
            "supply.inventory_days_of_cover",
            "supply.stockout_rate",
            "sales.orders",
        ),
        default_roles=(
            "crisis_lead",
            "supply_chain_lead",
            "ops_expert",
            "data_analyst",
            "customer_service",
            "marketing_pr",
        ),
        default_playbooks=("inventory_replenishment",),
        # SCCT: none; an internal stock-management problem, not a reputational one
        scct_type=None,
    ),
    CrisisType(
        key="supply_chain.quality_control",
        category=CrisisCategory.SUPPLY_CHAIN,
        labels=Labels(
            en="Product quality problem",
            zh_hant="產品質量問題",
            zh_hans="产品质量问题",
        ),
        description=Labels(
            en=(
                "Product quality bears directly on consumer satisfaction and brand "
                "image. If quality control in the supply chain is lax and quality "
                "problems appear, consumer trust suffers and a wave of returns and a "
                "brand-image crisis may follow. The response is strict checks on "
                "product quality, a quality-monitoring system and regular evaluation "
                "and supervision of suppliers."
            ),
            zh_hant=(
                "產品質量直接關係到消費者滿意度和品牌形象。"
                "如果供應鏈中的產品質量控制不嚴格,出現質量問題,不僅會影響消費者信任度,"
                "還可能引發退貨潮和品牌形象危機。應對時要對產品質量進行嚴格把關,"
                "建立質量監控體系,對供應商進行定期評估和監督。"
            ),
            zh_hans=(
                "产品质量直接关系到消费者满意度和品牌形象。"
                "如果供应链中的产品质量控制不严格,出现质量问题,不仅会影响消费者信任度,"
                "还可能引发退货潮和品牌形象危机。应对时要对产品质量进行严格把关,"
                "建立质量监控体系,对供应商进行定期评估和监督。"
            ),
        ),
        book_section="§2.3 供應鏈危機",
        indicators=(
            "feedback.refund_rate",
            "feedback.complaints",
            "feedback.negative_review_rate",
        ),
        default_roles=(
            "crisis_lead",
            "supply_chain_lead",
            "customer_service",
            "marketing_pr",
            "ops_expert",
        ),
        default_playbooks=("supplier_quality_audit", "quality_investigation"),
        # SCCT: human-error product harm; the shop's quality control was lax
        scct_type=SCCTCrisisType.HUMAN_ERROR_PRODUCT_HARM,
    ),
    # §5.4 case 1 庫存危機應對實踐
    CrisisType(
        key="supply_chain.peak_season_stockout",
        category=CrisisCategory.SUPPLY_CHAIN,
        labels=Labels(
            en="Peak-season inventory crisis",
            zh_hant="銷售高峰期庫存危機",
            zh_hans="销售高峰期库存危机",
        ),
        description=Labels(
            en=(
                "An e-commerce business hit an inventory crisis at its sales peak and "
                "faced running out of stock. It started its contingency plan at once, "
                "assessed its current stock accurately and urgently contacted "
                "suppliers to secure goods, while adjusting its marketing to serve "
                "urgent and key customers' orders first and keep customers satisfied. "
                "It also used big-data analysis to forecast demand and adjusted "
                "purchasing in time, so that the inventory crisis did not recur."
            ),
            zh_hant=(
                "某電商企業在銷售高峰期遭遇了庫存危機,面臨斷貨風險。"
                "企業迅速啟動應急預案,準確評估庫存現狀,緊急聯繫供應商協調貨源,"
                "同時調整營銷策略,優先處理訂單中的緊急和重點客戶,確保客戶滿意度。此外,"
                "企業還利用大數據分析預測未來需求趨勢,及時調整採購計劃,"
                "避免了再次發生庫存危機。"
            ),
            zh_hans=(
                "某电商企业在销售高峰期遭遇了库存危机,面临断货风险。"
                "企业迅速启动应急预案,准确评估库存现状,紧急联系供应商协调货源,"
                "同时调整营销策略,优先处理订单中的紧急和重点客户,确保客户满意度。此外,"
                "企业还利用大数据分析预测未来需求趋势,及时调整采购计划,"
                "避免了再次发生库存危机。"
            ),
        ),
        book_section="§5.4 案例分析:成功應對電商危機的實踐",
        indicators=(
            "supply.stockout_rate",
            "supply.inventory_days_of_cover",
            "sales.orders",
            "feedback.complaints",
        ),
        default_roles=(
            "crisis_lead",
            "supply_chain_lead",
            "customer_service",
            "marketing_pr",
            "data_analyst",
        ),
        default_playbooks=("inventory_replenishment",),
        # SCCT: none, like its parent; selling out at a peak is a business problem
        scct_type=None,
        parent="supply_chain.inventory",
    ),
    # --- §2.4 財務危機 (financial) ---------------------------------------------
    CrisisType(
        key="financial.cash_shortage",
        category=CrisisCategory.FINANCIAL,
        labels=Labels(
            en="Cash shortage crisis",
            zh_hant="資金短缺危機",
            zh_hans="资金短缺危机",
        ),
        description=Labels(
            en=(
                "Funds are the foundation of e-commerce operations; once cash runs "
                "short, the business cannot pay its day-to-day operating costs, and "
                "even purchasing and logistics are affected. As competition in "
                "e-commerce grows fiercer, the cash-shortage crisis stands out all the "
                "more. A business must assess its own funding position soundly and "
                "plan in advance how to raise and deploy funds."
            ),
            zh_hant=(
                "資金是電商運營的基礎,一旦資金短缺,會導致企業無法支付日常運營成本,"
                "甚至影響到商品的採購和物流運作。在電商行業競爭日益激烈的背景下,"
                "資金短缺危機尤為突出。因此,企業需合理評估自身資金狀況,"
                "並提前規劃資金籌措和調度方案。"
            ),
            zh_hans=(
                "资金是电商运营的基础,一旦资金短缺,会导致企业无法支付日常运营成本,"
                "甚至影响到商品的采购和物流运作。在电商行业竞争日益激烈的背景下,"
                "资金短缺危机尤为突出。因此,企业需合理评估自身资金状况,"
                "并提前规划资金筹措和调度方案。"
            ),
        ),
        book_section="§2.4 財務危機",
        indicators=("cash.balance", "cash.runway_days"),
        default_roles=(
            "crisis_lead",
            "finance_lead",
            "ops_expert",
            "legal_counsel",
            "supply_chain_lead",
        ),
        default_playbooks=("cash_preservation",),
        # SCCT: none; an internal financial crisis with no reputational attribution
        scct_type=None,
    ),
    CrisisType(
        key="financial.risk_control",
        category=CrisisCategory.FINANCIAL,
        labels=Labels(
            en="Financial risk-control crisis",
            zh_hant="財務風險控制危機",
            zh_hans="财务风险控制危机",
        ),
        description=Labels(
            en=(
                "The financial risks of e-commerce operations include market risk, "
                "credit risk and exchange-rate risk. A business that lacks effective "
                "identification and control of them may see its financial position "
                "deteriorate. A sound financial-risk warning mechanism and "
                "risk-control system are therefore vital, with regular risk "
                "assessments and audits to find and address potential financial risks "
                "in time."
            ),
            zh_hant=(
                "電商運營中涉及的財務風險包括市場風險、信貸風險、匯率風險等。"
                "若企業對這些風險缺乏有效識別和控制,可能導致財務狀況惡化。因此,"
                "建立健全的財務風險預警機制和風險控制體系至關重要,"
                "通過定期風險評估和審計,企業可以及時發現並應對潛在財務風險。"
            ),
            zh_hans=(
                "电商运营中涉及的财务风险包括市场风险、信贷风险、汇率风险等。"
                "若企业对这些风险缺乏有效识别和控制,可能导致财务状况恶化。因此,"
                "建立健全的财务风险预警机制和风险控制体系至关重要,"
                "通过定期风险评估和审计,企业可以及时发现并应对潜在财务风险。"
            ),
        ),
        book_section="§2.4 財務危機",
        indicators=("cash.balance", "cash.runway_days"),
        default_roles=("crisis_lead", "finance_lead", "legal_counsel"),
        default_playbooks=("financial_risk_hedging",),
        # SCCT: none; an internal financial crisis with no reputational attribution
        scct_type=None,
    ),
    CrisisType(
        key="financial.market_risk",
        category=CrisisCategory.FINANCIAL,
        labels=Labels(en="Market risk", zh_hant="市場風險", zh_hans="市场风险"),
        description=Labels(
            en=(
                "Market risk is one of the financial risks of e-commerce operations; a "
                "financial crisis can stem from a sudden change in the market "
                "environment or from intensifying competition. If the business lacks "
                "effective identification and control of this risk, its financial "
                "position may deteriorate, so a financial-risk warning mechanism and "
                "regular risk assessments should catch it in time."
            ),
            zh_hant=(
                "市場風險是電商運營中涉及的財務風險之一,財務危機可能源於市場環境突變、"
                "競爭加劇等。若企業對市場風險缺乏有效識別和控制,可能導致財務狀況惡化,"
                "因此需通過財務風險預警機制和定期風險評估及時發現並應對。"
            ),
            zh_hans=(
                "市场风险是电商运营中涉及的财务风险之一,财务危机可能源于市场环境突变、"
                "竞争加剧等。若企业对市场风险缺乏有效识别和控制,可能导致财务状况恶化,"
                "因此需通过财务风险预警机制和定期风险评估及时发现并应对。"
            ),
        ),
        book_section="§2.4 財務危機",
        indicators=("sales.gmv", "cash.balance"),
        default_roles=("crisis_lead", "finance_lead", "data_analyst", "legal_counsel"),
        default_playbooks=("financial_risk_hedging",),
        # SCCT: none; a financial exposure with no reputational attribution
        scct_type=None,
        parent="financial.risk_control",
    ),
    CrisisType(
        key="financial.credit_risk",
        category=CrisisCategory.FINANCIAL,
        labels=Labels(en="Credit risk", zh_hant="信貸風險", zh_hans="信贷风险"),
        description=Labels(
            en=(
                "Credit risk is one of the financial risks of e-commerce operations. "
                "If the business lacks effective identification and control of it, its "
                "financial position may deteriorate. The business needs a "
                "financial-risk warning mechanism and risk-control system, and closer "
                "cooperation with financial institutions to widen its financing "
                "channels."
            ),
            zh_hant=(
                "信貸風險是電商運營中涉及的財務風險之一。"
                "若企業對信貸風險缺乏有效識別和控制,可能導致財務狀況惡化。"
                "企業需建立財務風險預警機制和風險控制體系,並加強與金融機構的合作,"
                "拓寬融資渠道。"
            ),
            zh_hans=(
                "信贷风险是电商运营中涉及的财务风险之一。"
                "若企业对信贷风险缺乏有效识别和控制,可能导致财务状况恶化。"
                "企业需建立财务风险预警机制和风险控制体系,并加强与金融机构的合作,"
                "拓宽融资渠道。"
            ),
        ),
        book_section="§2.4 財務危機",
        indicators=("cash.balance", "cash.runway_days"),
        default_roles=(
            "crisis_lead",
            "finance_lead",
            "legal_counsel",
            "ops_expert",
            "supply_chain_lead",
        ),
        default_playbooks=("financial_risk_hedging", "cash_preservation"),
        # SCCT: none; a financial exposure with no reputational attribution
        scct_type=None,
        parent="financial.risk_control",
    ),
    CrisisType(
        key="financial.fx_risk",
        category=CrisisCategory.FINANCIAL,
        labels=Labels(en="Exchange-rate risk", zh_hant="匯率風險", zh_hans="汇率风险"),
        description=Labels(
            en=(
                "Exchange-rate risk is one of the financial risks of e-commerce "
                "operations. If the business lacks effective identification and "
                "control of it, its financial position may deteriorate. The business "
                "needs a financial-risk warning mechanism and risk-control system, "
                "with regular risk assessments and audits to find and address it in "
                "time."
            ),
            zh_hant=(
                "匯率風險是電商運營中涉及的財務風險之一。"
                "若企業對匯率風險缺乏有效識別和控制,可能導致財務狀況惡化。"
                "企業需建立財務風險預警機制和風險控制體系,"
                "通過定期風險評估和審計及時發現並應對。"
            ),
            zh_hans=(
                "汇率风险是电商运营中涉及的财务风险之一。"
                "若企业对汇率风险缺乏有效识别和控制,可能导致财务状况恶化。"
                "企业需建立财务风险预警机制和风险控制体系,"
                "通过定期风险评估和审计及时发现并应对。"
            ),
        ),
        book_section="§2.4 財務危機",
        indicators=("cash.balance",),
        default_roles=("crisis_lead", "finance_lead", "legal_counsel"),
        default_playbooks=("financial_risk_hedging",),
        # SCCT: none; a financial exposure with no reputational attribution
        scct_type=None,
        parent="financial.risk_control",
    ),
    CrisisType(
        key="financial.profit_decline",
        category=CrisisCategory.FINANCIAL,
        labels=Labels(
            en="Profit decline crisis",
            zh_hant="利潤下滑危機",
            zh_hans="利润下滑危机",
        ),
        description=Labels(
            en=(
                "In a fiercely competitive market an e-commerce business may face "
                "falling sales and rising costs, and so a decline in profit. The "
                "business must adjust its operating strategy, cut costs and raise its "
                "competitiveness, while using data analysis and market research to "
                "read market trends, seize opportunities and transform and upgrade its "
                "business."
            ),
            zh_hant=(
                "在市場競爭激烈的環境下,電商企業可能面臨銷售額下降、成本上升等問題,"
                "導致利潤下滑。企業需調整運營策略,降低成本,提高市場競爭力;"
                "同時通過數據分析和市場調研洞察市場趨勢,抓住機遇,實現業務轉型和升級。"
            ),
            zh_hans=(
                "在市场竞争激烈的环境下,电商企业可能面临销售额下降、成本上升等问题,"
                "导致利润下滑。企业需调整运营策略,降低成本,提高市场竞争力;"
                "同时通过数据分析和市场调研洞察市场趋势,抓住机遇,实现业务转型和升级。"
            ),
        ),
        book_section="§2.4 財務危機",
        indicators=(
            "sales.gmv",
            "sales.average_order_value",
            "marketing.roi",
            "marketing.ad_spend",
        ),
        default_roles=(
            "crisis_lead",
            "finance_lead",
            "ops_expert",
            "data_analyst",
            "supply_chain_lead",
            "marketing_pr",
        ),
        default_playbooks=("cost_reduction", "sales_recovery"),
        # SCCT: none; an internal financial crisis with no reputational attribution
        scct_type=None,
    ),
    CrisisType(
        key="financial.cash_chain",
        category=CrisisCategory.FINANCIAL,
        labels=Labels(
            en="Cash-chain management crisis",
            zh_hant="資金鏈管理危機",
            zh_hans="资金链管理危机",
        ),
        description=Labels(
            en=(
                "The cash chain is the lifeline of an e-commerce business; if it is "
                "mismanaged it may break and seriously disrupt operations. The "
                "business must optimise its capital structure and strengthen cash-flow "
                "management to keep the cash chain stable, and lower inventory costs "
                "and raise operating efficiency through effective supply-chain "
                "management."
            ),
            zh_hant=(
                "資金鏈是電商企業運營的生命線。若管理不善,可能導致資金鏈斷裂,"
                "嚴重影響企業運營。因此,企業需優化資本結構,加強現金流管理,"
                "確保資金鏈穩定;此外,通過建立高效的供應鏈管理,降低庫存成本,"
                "提高運營效率。"
            ),
            zh_hans=(
                "资金链是电商企业运营的生命线。若管理不善,可能导致资金链断裂,"
                "严重影响企业运营。因此,企业需优化资本结构,加强现金流管理,"
                "确保资金链稳定;此外,通过建立高效的供应链管理,降低库存成本,"
                "提高运营效率。"
            ),
        ),
        book_section="§2.4 財務危機",
        indicators=(
            "cash.balance",
            "cash.runway_days",
            "supply.inventory_days_of_cover",
        ),
        default_roles=(
            "crisis_lead",
            "finance_lead",
            "supply_chain_lead",
            "ops_expert",
            "legal_counsel",
            "data_analyst",
        ),
        default_playbooks=("cash_preservation", "cost_reduction"),
        # SCCT: none; an internal financial crisis with no reputational attribution
        scct_type=None,
    ),
    # --- §2.5 技術危機 (technical) ---------------------------------------------
    CrisisType(
        key="technical.system_failure",
        category=CrisisCategory.TECHNICAL,
        labels=Labels(
            en="System failure crisis",
            zh_hant="系統故障危機",
            zh_hans="系统故障危机",
        ),
        description=Labels(
            en=(
                "System failure is one of the common crises of e-commerce operations. "
                "Because e-commerce platforms run under high concurrency, the system "
                "may crash or slow down when it faces heavy traffic. Such failures "
                "hurt the user experience and can delay order processing or show wrong "
                "product information, which in turn hurts sales and user trust."
            ),
            zh_hant=(
                "系統故障是電商運營中常見的危機之一。由於電商平臺的高並發特性,"
                "系統在面對大量訪問時可能會出現崩潰或運行緩慢的情況。"
                "這種故障不僅影響用戶體驗,還可能造成訂單處理延遲、"
                "商品信息展示錯誤等問題,進而影響銷售和用戶信任度。"
            ),
            zh_hans=(
                "系统故障是电商运营中常见的危机之一。由于电商平台的高并发特性,"
                "系统在面对大量访问时可能会出现崩溃或运行缓慢的情况。"
                "这种故障不仅影响用户体验,还可能造成订单处理延迟、"
                "商品信息展示错误等问题,进而影响销售和用户信任度。"
            ),
        ),
        book_section="§2.5 技術危機",
        indicators=(
            "tech.error_rate",
            "tech.latency_p95",
            "tech.payment_failure_rate",
            "sales.orders",
        ),
        default_roles=(
            "crisis_lead",
            "tech_maintenance",
            "customer_service",
            "comms_liaison",
        ),
        default_playbooks=("incident_recovery", "peak_load_scaling"),
        # SCCT: technical-error accident; a peak-load outage is a tech failure
        scct_type=SCCTCrisisType.TECHNICAL_ERROR_ACCIDENT,
    ),
    CrisisType(
        key="technical.network_security",
        category=CrisisCategory.TECHNICAL,
        labels=Labels(
            en="Network security crisis",
            zh_hant="網絡安全危機",
            zh_hans="网络安全危机",
        ),
        description=Labels(
            en=(
                "Network security is a core issue of e-commerce operations. As attack "
                "techniques keep advancing, platforms face many network-security risks "
                "such as phishing, malware intrusion and theft of user data. These "
                "security problems can lead to leaked user information, financial loss "
                "and even damage to the company's reputation."
            ),
            zh_hant=(
                "網絡安全是電商運營中的核心問題。隨著網絡攻擊手段的不斷升級,"
                "電商平臺面臨著諸多網絡安全風險,如釣魚攻擊、惡意軟件入侵、"
                "用戶數據竊取等。這些安全問題可能導致用戶信息泄露、財產損失,"
                "甚至企業聲譽受損。"
            ),
            zh_hans=(
                "网络安全是电商运营中的核心问题。随着网络攻击手段的不断升级,"
                "电商平台面临着诸多网络安全风险,如钓鱼攻击、恶意软件入侵、"
                "用户数据窃取等。这些安全问题可能导致用户信息泄露、财产损失,"
                "甚至企业声誉受损。"
            ),
        ),
        book_section="§2.5 技術危機",
        indicators=("tech.error_rate", "social.mentions", "feedback.complaints"),
        default_roles=(
            "crisis_lead",
            "security_lead",
            "tech_maintenance",
            "legal_counsel",
            "marketing_pr",
        ),
        default_playbooks=("security_incident",),
        # SCCT: product tampering/malevolence; outside attackers
        scct_type=SCCTCrisisType.PRODUCT_TAMPERING,
    ),
    CrisisType(
        key="technical.data_loss_leak",
        category=CrisisCategory.TECHNICAL,
        labels=Labels(
            en="Data loss and leak crisis",
            zh_hant="數據丟失與泄露危機",
            zh_hans="数据丢失与泄露危机",
        ),
        description=Labels(
            en=(
                "E-commerce platforms store large amounts of user information and "
                "transaction data, whose security is vital. Losing or leaking this "
                "data can harm users' privacy and also bring legal risk and a crisis "
                "of credibility. Platforms must therefore take effective technical and "
                "management measures to keep data secure."
            ),
            zh_hant=(
                "電商平臺上存儲著大量用戶信息和交易數據,這些數據的安全至關重要。"
                "一旦發生數據丟失或泄露,不僅可能導致用戶隱私受損,"
                "還可能引發法律風險和信譽危機。因此,"
                "電商平臺需要採取有效的技術手段和管理措施確保數據安全。"
            ),
            zh_hans=(
                "电商平台上存储着大量用户信息和交易数据,这些数据的安全至关重要。"
                "一旦发生数据丢失或泄露,不仅可能导致用户隐私受损,"
                "还可能引发法律风险和信誉危机。因此,"
                "电商平台需要采取有效的技术手段和管理措施确保数据安全。"
            ),
        ),
        book_section="§2.5 技術危機",
        indicators=("tech.error_rate", "feedback.complaints", "social.mentions"),
        default_roles=(
            "crisis_lead",
            "security_lead",
            "tech_maintenance",
            "legal_counsel",
            "marketing_pr",
        ),
        default_playbooks=("data_restore", "data_breach_notification"),
        # SCCT: technical-error accident; data lost or leaked by own systems
        scct_type=SCCTCrisisType.TECHNICAL_ERROR_ACCIDENT,
    ),
    # §5.4 case 3 數據安全危機應對實踐
    CrisisType(
        key="technical.data_security_breach",
        category=CrisisCategory.TECHNICAL,
        labels=Labels(
            en="Data security crisis",
            zh_hant="數據安全危機",
            zh_hans="数据安全危机",
        ),
        description=Labels(
            en=(
                "After a cyber-attack, an e-commerce business faced the risk of a data "
                "leak. It started its security emergency mechanism at once, "
                "strengthening network defences, restoring data from backups and "
                "investigating the source of the attack. At the same time it told "
                "users what had happened through announcements and active "
                "communication and took measures to protect their rights and "
                "interests."
            ),
            zh_hant=(
                "某電商企業在遭受網絡攻擊後,面臨數據泄露風險。"
                "企業立即啟動安全應急機制,包括加強網絡安全防護、恢復數據備份、"
                "調查攻擊來源等。同時,企業還通過發布公告和積極溝通的方式告知用戶情況,"
                "並採取措施保護用戶權益不受損害。"
            ),
            zh_hans=(
                "某电商企业在遭受网络攻击后,面临数据泄露风险。"
                "企业立即启动安全应急机制,包括加强网络安全防护、恢复数据备份、"
                "调查攻击来源等。同时,企业还通过发布公告和积极沟通的方式告知用户情况,"
                "并采取措施保护用户权益不受损害。"
            ),
        ),
        book_section="§5.4 案例分析:成功應對電商危機的實踐",
        indicators=(
            "tech.error_rate",
            "social.mentions",
            "social.sentiment",
            "feedback.complaints",
        ),
        default_roles=(
            "crisis_lead",
            "security_lead",
            "tech_maintenance",
            "legal_counsel",
            "marketing_pr",
        ),
        default_playbooks=(
            "security_incident",
            "data_restore",
            "data_breach_notification",
        ),
        # SCCT: product tampering/malevolence; an external breach
        scct_type=SCCTCrisisType.PRODUCT_TAMPERING,
        parent="technical.data_loss_leak",
    ),
    # --- §2.6 其他常見危機類型 (other) -----------------------------------------
    CrisisType(
        key="other.market_change",
        category=CrisisCategory.OTHER,
        labels=Labels(
            en="Market change crisis",
            zh_hant="市場變化危機",
            zh_hans="市场变化危机",
        ),
        description=Labels(
            en=(
                "Markets keep changing, and so do consumers' needs and preferences. "
                "The market-change crisis mainly covers sudden shifts in market "
                "trends, intensifying competition and changing consumer behaviour: a "
                "business that cannot keep up with a sudden shift may land in "
                "difficulty, competition can erode its market share, and changed "
                "consumer behaviour calls for a quick change of marketing strategy, or "
                "the business may lose its head start."
            ),
            zh_hant=(
                "市場是不斷變化的,消費者的需求和偏好也在不斷變化。"
                "市場變化危機主要包括市場趨勢突變、競爭加劇和消費者行為變化等:"
                "市場趨勢突變時,企業不能及時跟上就可能陷入困境;"
                "競爭加劇可能使市場份額被侵蝕;"
                "消費者行為的改變則要求企業迅速調整營銷策略,否則可能失去市場先機。"
            ),
            zh_hans=(
                "市场是不断变化的,消费者的需求和偏好也在不断变化。"
                "市场变化危机主要包括市场趋势突变、竞争加剧和消费者行为变化等:"
                "市场趋势突变时,企业不能及时跟上就可能陷入困境;"
                "竞争加剧可能使市场份额被侵蚀;"
                "消费者行为的改变则要求企业迅速调整营销策略,否则可能失去市场先机。"
            ),
        ),
        book_section="§2.6 其他常見危機類型",
        indicators=(
            "sales.gmv",
            "sales.conversion_rate",
            "traffic.visits",
            "marketing.roi",
        ),
        default_roles=("crisis_lead", "ops_expert", "marketing_pr", "data_analyst"),
        default_playbooks=("competitive_response", "sales_recovery"),
        # SCCT: none; a business risk for which stakeholders blame nobody
        scct_type=None,
    ),
    CrisisType(
        key="other.technology_lag",
        category=CrisisCategory.OTHER,
        labels=Labels(
            en="Technology risk crisis",
            zh_hant="技術風險危機",
            zh_hans="技术风险危机",
        ),
        description=Labels(
            en=(
                "Network technology is renewed at great speed, and operators who do "
                "not follow how new technology develops and is applied may face a "
                "technology-risk crisis. It mainly covers network-security problems, "
                "lagging technology updates and the challenge of emerging "
                "technologies: lagging updates can cost the business its competitive "
                "edge, and the spread of emerging technologies such as artificial "
                "intelligence and big data demands constant innovation and adaptation."
            ),
            zh_hant=(
                "網絡技術的更新換代速度極快,電商運營者需要關注新技術的發展和應用,"
                "否則可能面臨技術風險危機。這種危機主要包括網絡安全問題、"
                "技術更新滯後以及新興技術的挑戰等:"
                "技術更新滯後可能使企業在競爭中失去優勢,而人工智能、"
                "大數據等新興技術的普及和應用,要求企業不斷創新和適應。"
            ),
            zh_hans=(
                "网络技术的更新换代速度极快,电商运营者需要关注新技术的发展和应用,"
                "否则可能面临技术风险危机。这种危机主要包括网络安全问题、"
                "技术更新滞后以及新兴技术的挑战等:"
                "技术更新滞后可能使企业在竞争中失去优势,而人工智能、"
                "大数据等新兴技术的普及和应用,要求企业不断创新和适应。"
            ),
        ),
        book_section="§2.6 其他常見危機類型",
        indicators=("sales.conversion_rate", "tech.latency_p95", "tech.error_rate"),
        default_roles=("crisis_lead", "tech_maintenance", "ops_expert"),
        default_playbooks=("technology_upgrade",),
        # SCCT: none; lagging technology is a competitive, not reputational, risk
        scct_type=None,
    ),
    CrisisType(
        key="other.brand_image",
        category=CrisisCategory.OTHER,
        labels=Labels(
            en="Brand image crisis",
            zh_hant="品牌形象危機",
            zh_hans="品牌形象危机",
        ),
        description=Labels(
            en=(
                "Brand image is an intangible asset of an e-commerce business and an "
                "important part of its competitiveness. Brand-image crises mainly "
                "include negative news and crises of trust set off by product-quality "
                "problems. Once one breaks out, the company's reputation and image can "
                "be badly damaged, along with consumers' trust and loyalty, so "
                "operators must take care to build and protect the brand image and "
                "respond promptly."
            ),
            zh_hant=(
                "品牌形象是電商企業的無形資產,也是企業競爭力的重要組成部分。"
                "品牌形象危機主要包括負面新聞、產品質量問題引發的信任危機等。"
                "一旦發生品牌形象危機,企業的聲譽和形象可能受到嚴重損害,"
                "影響消費者的信任和忠誠度;因此電商運營者需要重視品牌形象的塑造和保護,"
                "及時應對和處理。"
            ),
            zh_hans=(
                "品牌形象是电商企业的无形资产,也是企业竞争力的重要组成部分。"
                "品牌形象危机主要包括负面新闻、产品质量问题引发的信任危机等。"
                "一旦发生品牌形象危机,企业的声誉和形象可能受到严重损害,"
                "影响消费者的信任和忠诚度;因此电商运营者需要重视品牌形象的塑造和保护,"
                "及时应对和处理。"
            ),
        ),
        book_section="§2.6 其他常見危機類型",
        indicators=(
            "social.sentiment",
            "social.mentions",
            "feedback.negative_review_rate",
            "feedback.rating",
        ),
        default_roles=(
            "crisis_lead",
            "marketing_pr",
            "customer_service",
            "legal_counsel",
            "comms_liaison",
        ),
        default_playbooks=("brand_repair",),
        # SCCT: challenge, as market.brand_damage; negative news, lost trust
        scct_type=SCCTCrisisType.CHALLENGE,
    ),
    CrisisType(
        key="other.logistics",
        category=CrisisCategory.OTHER,
        labels=Labels(
            en="Logistics and delivery crisis",
            zh_hant="物流配送危機",
            zh_hans="物流配送危机",
        ),
        description=Labels(
            en=(
                "Logistics and delivery are a key link in e-commerce operations and a "
                "major factor in consumer satisfaction and loyalty. The logistics "
                "crisis mainly covers delays, damaged goods and delivery errors, which "
                "can cause dissatisfaction and complaints and harm the company's "
                "reputation and image. Operators therefore need reliable logistics "
                "partners and a complete delivery system so that goods reach consumers "
                "on time and intact."
            ),
            zh_hant=(
                "物流配送是電商運營中的重要環節,"
                "也是影響消費者滿意度和忠誠度的重要因素。物流配送危機主要包括物流延遲、"
                "貨物損壞和配送錯誤等,這些危機可能導致消費者的不滿和投訴,"
                "影響企業的聲譽和形象。因此,電商運營者需要與可靠的物流公司合作,"
                "建立完善的物流配送體系,確保商品能夠準時、安全地送達消費者手中。"
            ),
            zh_hans=(
                "物流配送是电商运营中的重要环节,"
                "也是影响消费者满意度和忠诚度的重要因素。物流配送危机主要包括物流延迟、"
                "货物损坏和配送错误等,这些危机可能导致消费者的不满和投诉,"
                "影响企业的声誉和形象。因此,电商运营者需要与可靠的物流公司合作,"
                "建立完善的物流配送体系,确保商品能够准时、安全地送达消费者手中。"
            ),
        ),
        book_section="§2.6 其他常見危機類型",
        indicators=(
            "logistics.on_time_delivery_rate",
            "logistics.delay_rate",
            "feedback.complaints",
        ),
        default_roles=(
            "crisis_lead",
            "supply_chain_lead",
            "customer_service",
            "ops_expert",
            "marketing_pr",
        ),
        default_playbooks=("logistics_recovery", "service_recovery"),
        # SCCT: human-error accident; delivery mishandled by shop or chosen carrier
        scct_type=SCCTCrisisType.HUMAN_ERROR_ACCIDENT,
    ),
    CrisisType(
        key="other.logistics_delay",
        category=CrisisCategory.OTHER,
        labels=Labels(en="Logistics delay", zh_hant="物流延遲", zh_hans="物流延迟"),
        description=Labels(
            en=(
                "A logistics delay is one form of the logistics and delivery crisis: "
                "goods do not reach consumers on time, which can cause dissatisfaction "
                "and complaints and harm the company's reputation and image. Operators "
                "need reliable logistics partners and a complete delivery system so "
                "that goods arrive on time."
            ),
            zh_hant=(
                "物流延遲是物流配送危機的一種:商品未能準時送達消費者手中,"
                "可能導致消費者的不滿和投訴,影響企業的聲譽和形象。"
                "電商運營者需要與可靠的物流公司合作,建立完善的物流配送體系,"
                "確保商品準時送達。"
            ),
            zh_hans=(
                "物流延迟是物流配送危机的一种:商品未能准时送达消费者手中,"
                "可能导致消费者的不满和投诉,影响企业的声誉和形象。"
                "电商运营者需要与可靠的物流公司合作,建立完善的物流配送体系,"
                "确保商品准时送达。"
            ),
        ),
        book_section="§2.6 其他常見危機類型",
        indicators=(
            "logistics.delay_rate",
            "logistics.on_time_delivery_rate",
            "feedback.complaints",
        ),
        default_roles=(
            "crisis_lead",
            "supply_chain_lead",
            "customer_service",
            "ops_expert",
        ),
        default_playbooks=("logistics_recovery",),
        # SCCT: human-error accident, as parent (disaster delays: natural_disaster)
        scct_type=SCCTCrisisType.HUMAN_ERROR_ACCIDENT,
        parent="other.logistics",
    ),
    CrisisType(
        key="other.logistics_damage",
        category=CrisisCategory.OTHER,
        labels=Labels(en="Damaged goods", zh_hant="貨物損壞", zh_hans="货物损坏"),
        description=Labels(
            en=(
                "Damaged goods are one form of the logistics and delivery crisis: "
                "goods are damaged in transit and do not reach consumers intact, which "
                "can cause dissatisfaction and complaints and harm the company's "
                "reputation and image. Operators need reliable logistics partners so "
                "that goods are delivered safely."
            ),
            zh_hant=(
                "貨物損壞是物流配送危機的一種:商品在配送途中受損,"
                "未能安全地送達消費者手中,可能導致消費者的不滿和投訴,"
                "影響企業的聲譽和形象。電商運營者需要與可靠的物流公司合作,"
                "確保商品安全送達。"
            ),
            zh_hans=(
                "货物损坏是物流配送危机的一种:商品在配送途中受损,"
                "未能安全地送达消费者手中,可能导致消费者的不满和投诉,"
                "影响企业的声誉和形象。电商运营者需要与可靠的物流公司合作,"
                "确保商品安全送达。"
            ),
        ),
        book_section="§2.6 其他常見危機類型",
        indicators=(
            "feedback.refund_rate",
            "feedback.complaints",
            "feedback.negative_review_rate",
        ),
        default_roles=(
            "crisis_lead",
            "supply_chain_lead",
            "customer_service",
            "ops_expert",
            "marketing_pr",
        ),
        default_playbooks=("logistics_recovery", "service_recovery"),
        # SCCT: human-error accident, as parent; goods mishandled in transit
        scct_type=SCCTCrisisType.HUMAN_ERROR_ACCIDENT,
        parent="other.logistics",
    ),
    CrisisType(
        key="other.logistics_misdelivery",
        category=CrisisCategory.OTHER,
        labels=Labels(en="Delivery error", zh_hant="配送錯誤", zh_hans="配送错误"),
        description=Labels(
            en=(
                "A delivery error is one form of the logistics and delivery crisis: "
                "the wrong goods are sent or goods go to the wrong recipient, which "
                "can cause dissatisfaction and complaints and harm the company's "
                "reputation and image. Operators need a complete delivery system so "
                "that goods reach the right consumer."
            ),
            zh_hant=(
                "配送錯誤是物流配送危機的一種:送錯商品或送錯收件人,"
                "可能導致消費者的不滿和投訴,影響企業的聲譽和形象。"
                "電商運營者需要建立完善的物流配送體系,確保商品準確送達消費者手中。"
            ),
            zh_hans=(
                "配送错误是物流配送危机的一种:送错商品或送错收件人,"
                "可能导致消费者的不满和投诉,影响企业的声誉和形象。"
                "电商运营者需要建立完善的物流配送体系,确保商品准确送达消费者手中。"
            ),
        ),
        book_section="§2.6 其他常見危機類型",
        indicators=("feedback.complaints", "feedback.refund_rate"),
        default_roles=(
            "crisis_lead",
            "supply_chain_lead",
            "customer_service",
            "ops_expert",
            "marketing_pr",
        ),
        default_playbooks=("logistics_recovery", "service_recovery"),
        # SCCT: human-error accident, as parent; picking or address mistake
        scct_type=SCCTCrisisType.HUMAN_ERROR_ACCIDENT,
        parent="other.logistics",
    ),
    # §5.4 case 4 客戶服務危機應對實踐
    CrisisType(
        key="other.customer_service_failure",
        category=CrisisCategory.OTHER,
        labels=Labels(
            en="Customer service crisis",
            zh_hant="客戶服務危機",
            zh_hans="客户服务危机",
        ),
        description=Labels(
            en=(
                "When problems arose in an e-commerce business's customer service, it "
                "quickly recognised how serious the crisis was. It immediately "
                "streamlined its service process, added service staff and training to "
                "raise service levels, collected customer feedback and set "
                "improvements for each problem. It also engaged users through social "
                "media and service channels, answering their concerns promptly, and so "
                "effectively eased the negative impact of the customer-service crisis."
            ),
            zh_hant=(
                "某電商企業在客戶服務環節出現問題時,迅速意識到危機的嚴重性。"
                "企業立即優化客戶服務流程,增加客服人員配備,加強培訓提升服務水平;"
                "同時積極收集客戶反饋意見,針對問題制定改進措施。此外,"
                "企業還通過社交媒體和客服渠道與用戶進行互動溝通,及時回應關切,"
                "有效緩解了客戶服務危機帶來的負面影響。"
            ),
            zh_hans=(
                "某电商企业在客户服务环节出现问题时,迅速意识到危机的严重性。"
                "企业立即优化客户服务流程,增加客服人员配备,加强培训提升服务水平;"
                "同时积极收集客户反馈意见,针对问题制定改进措施。此外,"
                "企业还通过社交媒体和客服渠道与用户进行互动沟通,及时回应关切,"
                "有效缓解了客户服务危机带来的负面影响。"
            ),
        ),
        book_section="§5.4 案例分析:成功應對電商危機的實踐",
        indicators=(
            "feedback.complaints",
            "feedback.rating",
            "feedback.negative_review_rate",
            "social.sentiment",
        ),
        default_roles=("crisis_lead", "customer_service", "ops_expert", "marketing_pr"),
        default_playbooks=("service_recovery",),
        # SCCT: human-error accident; the shop's own service process failed
        scct_type=SCCTCrisisType.HUMAN_ERROR_ACCIDENT,
    ),
)
