"""The built-in crisis-type catalog: every type of book §2 and every §5.4 case."""

from __future__ import annotations

import pytest

from crisisops._crisis_types import (
    BUILT_IN_CRISIS_TYPES,
    INDICATOR_KEYS,
    PLAYBOOK_KEYS,
    ROLE_KEYS,
)
from crisisops.taxonomy import (
    CrisisCategory,
    CrisisType,
    SCCTCluster,
    SCCTCrisisType,
    default_catalog,
)

MARKET = "§2.1 市場危機"
PRODUCT = "§2.2 產品危機"
SUPPLY_CHAIN = "§2.3 供應鏈危機"
FINANCIAL = "§2.4 財務危機"
TECHNICAL = "§2.5 技術危機"
OTHER = "§2.6 其他常見危機類型"
CASES = "§5.4 案例分析:成功應對電商危機的實踐"

# (key, category, book section, the book's own term in zh-Hant), in display order.
EXPECTED_TYPES: list[tuple[str, CrisisCategory, str, str]] = [
    ("market.demand_shift", CrisisCategory.MARKET, MARKET, "市場需求變化帶來的危機"),
    ("market.competition", CrisisCategory.MARKET, MARKET, "市場競爭加劇"),
    ("market.sudden_event", CrisisCategory.MARKET, MARKET, "市場突發事件"),
    ("market.policy_change", CrisisCategory.MARKET, MARKET, "政策變化"),
    ("market.natural_disaster", CrisisCategory.MARKET, MARKET, "自然災害"),
    ("market.brand_damage", CrisisCategory.MARKET, MARKET, "品牌形象受損"),
    ("market.traffic_swing", CrisisCategory.MARKET, CASES, "流量波動"),
    ("product.quality_safety", CrisisCategory.PRODUCT, PRODUCT, "質量安全問題"),
    ("product.performance", CrisisCategory.PRODUCT, PRODUCT, "性能問題"),
    ("product.design_defect", CrisisCategory.PRODUCT, PRODUCT, "設計缺陷"),
    ("product.supply_issue", CrisisCategory.PRODUCT, PRODUCT, "產品供應鏈問題"),
    ("supply_chain.breakage", CrisisCategory.SUPPLY_CHAIN, SUPPLY_CHAIN, "供應鏈斷裂"),
    ("supply_chain.inventory", CrisisCategory.SUPPLY_CHAIN, SUPPLY_CHAIN, "庫存危機"),
    (
        "supply_chain.quality_control",
        CrisisCategory.SUPPLY_CHAIN,
        SUPPLY_CHAIN,
        "產品質量問題",
    ),
    (
        "supply_chain.peak_season_stockout",
        CrisisCategory.SUPPLY_CHAIN,
        CASES,
        "銷售高峰期庫存危機",
    ),
    ("financial.cash_shortage", CrisisCategory.FINANCIAL, FINANCIAL, "資金短缺危機"),
    ("financial.risk_control", CrisisCategory.FINANCIAL, FINANCIAL, "財務風險控制危機"),
    ("financial.market_risk", CrisisCategory.FINANCIAL, FINANCIAL, "市場風險"),
    ("financial.credit_risk", CrisisCategory.FINANCIAL, FINANCIAL, "信貸風險"),
    ("financial.fx_risk", CrisisCategory.FINANCIAL, FINANCIAL, "匯率風險"),
    ("financial.profit_decline", CrisisCategory.FINANCIAL, FINANCIAL, "利潤下滑危機"),
    ("financial.cash_chain", CrisisCategory.FINANCIAL, FINANCIAL, "資金鏈管理危機"),
    ("technical.system_failure", CrisisCategory.TECHNICAL, TECHNICAL, "系統故障危機"),
    ("technical.network_security", CrisisCategory.TECHNICAL, TECHNICAL, "網絡安全危機"),
    (
        "technical.data_loss_leak",
        CrisisCategory.TECHNICAL,
        TECHNICAL,
        "數據丟失與泄露危機",
    ),
    ("technical.data_security_breach", CrisisCategory.TECHNICAL, CASES, "數據安全危機"),
    ("other.market_change", CrisisCategory.OTHER, OTHER, "市場變化危機"),
    ("other.technology_lag", CrisisCategory.OTHER, OTHER, "技術風險危機"),
    ("other.brand_image", CrisisCategory.OTHER, OTHER, "品牌形象危機"),
    ("other.logistics", CrisisCategory.OTHER, OTHER, "物流配送危機"),
    ("other.logistics_delay", CrisisCategory.OTHER, OTHER, "物流延遲"),
    ("other.logistics_damage", CrisisCategory.OTHER, OTHER, "貨物損壞"),
    ("other.logistics_misdelivery", CrisisCategory.OTHER, OTHER, "配送錯誤"),
    ("other.customer_service_failure", CrisisCategory.OTHER, CASES, "客戶服務危機"),
]

# The four case studies of §5.4 and the broader type each one specialises.
EXPECTED_CASES: list[tuple[str, str | None]] = [
    ("supply_chain.peak_season_stockout", "supply_chain.inventory"),  # case 1
    ("market.traffic_swing", None),  # case 2
    ("technical.data_security_breach", "technical.data_loss_leak"),  # case 3
    ("other.customer_service_failure", None),  # case 4
]

EXPECTED_CHILDREN: dict[str, tuple[str, ...]] = {
    "market.sudden_event": ("market.policy_change", "market.natural_disaster"),
    "supply_chain.inventory": ("supply_chain.peak_season_stockout",),
    "financial.risk_control": (
        "financial.market_risk",
        "financial.credit_risk",
        "financial.fx_risk",
    ),
    "technical.data_loss_leak": ("technical.data_security_breach",),
    "other.logistics": (
        "other.logistics_delay",
        "other.logistics_damage",
        "other.logistics_misdelivery",
    ),
}

EXPECTED_INDICATOR_KEYS = (
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

EXPECTED_ROLE_KEYS = (
    "crisis_lead",
    "deputy_lead",
    "ops_expert",
    "marketing_pr",
    "customer_service",
    "tech_maintenance",
    "legal_counsel",
    "scribe",
    "comms_liaison",
    "supply_chain_lead",
    "finance_lead",
    "data_analyst",
    "security_lead",
)

EXPECTED_PLAYBOOK_KEYS = (
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

# Characters that only occur in Traditional script; Simplified text must not use them.
TRADITIONAL_ONLY = frozenset(
    "機產鏈財務險數據網絡質貨誤滯變係們與對為發應業從書"
    "關單號區國場這會東車長門問題時說實專體雙經營運銷戶紀錄價類"
)

ALL_TYPES = list(BUILT_IN_CRISIS_TYPES)


def _type_id(entry: CrisisType) -> str:
    return entry.key


# --- every book type is in the default catalog ------------------------------------


@pytest.mark.parametrize(
    ("key", "category", "book_section", "zh_hant"),
    EXPECTED_TYPES,
    ids=[row[0] for row in EXPECTED_TYPES],
)
def test_default_catalog_has_book_type_by_key(
    key: str, category: CrisisCategory, book_section: str, zh_hant: str
) -> None:
    catalog = default_catalog()

    entry = catalog[key]

    assert category is entry.category
    assert book_section == entry.book_section
    assert zh_hant == entry.labels.zh_hant


@pytest.mark.parametrize(
    ("key", "category", "book_section", "zh_hant"),
    EXPECTED_TYPES,
    ids=[row[3] for row in EXPECTED_TYPES],
)
def test_default_catalog_finds_book_type_by_its_zh_hant_term(
    key: str, category: CrisisCategory, book_section: str, zh_hant: str
) -> None:
    catalog = default_catalog()

    entry = catalog.by_label(zh_hant)

    assert key == entry.key
    assert category is entry.category
    assert book_section == entry.book_section


@pytest.mark.parametrize(
    ("key", "parent"), EXPECTED_CASES, ids=[row[0] for row in EXPECTED_CASES]
)
def test_each_case_study_is_a_type_of_section_5_4(key: str, parent: str | None) -> None:
    entry = default_catalog()[key]

    assert entry.book_section == CASES
    assert parent == entry.parent


def test_catalog_holds_exactly_the_listed_types_in_display_order() -> None:
    catalog = default_catalog()

    assert len(catalog) == 34
    assert len(BUILT_IN_CRISIS_TYPES) == 34
    assert tuple(row[0] for row in EXPECTED_TYPES) == catalog.keys()


def test_inventory_crisis_keeps_the_book_term() -> None:
    labels = default_catalog()["supply_chain.inventory"].labels

    assert (
        labels.en,
        labels.zh_hant,
        labels.zh_hans,
    ) == ("Inventory crisis", "庫存危機", "库存危机")


def test_by_label_also_finds_simplified_and_english_labels() -> None:
    catalog = default_catalog()

    assert catalog.by_label("库存危机").key == "supply_chain.inventory"
    assert catalog.by_label("inventory crisis").key == "supply_chain.inventory"
    assert catalog.by_label("系统故障危机").key == "technical.system_failure"


def test_every_category_of_chapter_2_has_types() -> None:
    assert tuple(CrisisCategory) == default_catalog().categories()


# --- keys and vocabularies --------------------------------------------------------


@pytest.mark.parametrize("entry", ALL_TYPES, ids=_type_id)
def test_key_starts_with_its_category(entry: CrisisType) -> None:
    assert entry.key.startswith(f"{entry.category.value}.")


@pytest.mark.parametrize("entry", ALL_TYPES, ids=_type_id)
def test_indicators_come_from_the_indicator_vocabulary(entry: CrisisType) -> None:
    assert 1 <= len(entry.indicators) <= 5
    assert set(entry.indicators) <= set(EXPECTED_INDICATOR_KEYS)


@pytest.mark.parametrize("entry", ALL_TYPES, ids=_type_id)
def test_roles_come_from_the_role_vocabulary_and_include_the_lead(
    entry: CrisisType,
) -> None:
    # The lead plus the roles that own the steps of the type's playbooks: at
    # most 7, the span of control ICS recommends for one supervisor.
    assert 2 <= len(entry.default_roles) <= 7
    assert "crisis_lead" in entry.default_roles
    assert set(entry.default_roles) <= set(EXPECTED_ROLE_KEYS)


@pytest.mark.parametrize("entry", ALL_TYPES, ids=_type_id)
def test_playbooks_come_from_the_playbook_vocabulary(entry: CrisisType) -> None:
    assert 1 <= len(entry.default_playbooks) <= 3
    assert set(entry.default_playbooks) <= set(EXPECTED_PLAYBOOK_KEYS)


def test_vocabularies_are_the_published_keys() -> None:
    assert EXPECTED_INDICATOR_KEYS == INDICATOR_KEYS
    assert EXPECTED_ROLE_KEYS == ROLE_KEYS
    assert EXPECTED_PLAYBOOK_KEYS == PLAYBOOK_KEYS


@pytest.mark.parametrize("vocabulary", [INDICATOR_KEYS, ROLE_KEYS, PLAYBOOK_KEYS])
def test_vocabularies_have_no_repeats(vocabulary: tuple[str, ...]) -> None:
    assert len(vocabulary) == len(set(vocabulary))


def test_book_section_4_team_roles_are_in_the_role_vocabulary() -> None:
    book_team = {
        "ops_expert",  # 電商運營專家
        "marketing_pr",  # 市場營銷人員
        "customer_service",  # 客戶服務團隊代表
        "tech_maintenance",  # 技術維護人員
        "legal_counsel",  # 法律顧問
    }

    assert book_team <= set(ROLE_KEYS)


# --- parents and sub-types --------------------------------------------------------


@pytest.mark.parametrize(
    ("parent", "children"),
    list(EXPECTED_CHILDREN.items()),
    ids=list(EXPECTED_CHILDREN),
)
def test_children_are_the_listed_sub_types(
    parent: str, children: tuple[str, ...]
) -> None:
    catalog = default_catalog()

    found = catalog.children(parent)

    assert children == tuple(entry.key for entry in found)
    assert all(entry.category is catalog[parent].category for entry in found)


def test_only_the_listed_types_have_a_parent() -> None:
    expected = {
        child: parent
        for parent, children in EXPECTED_CHILDREN.items()
        for child in children
    }

    actual = {e.key: e.parent for e in BUILT_IN_CRISIS_TYPES if e.parent is not None}

    assert expected == actual


@pytest.mark.parametrize("entry", ALL_TYPES, ids=_type_id)
def test_a_parent_comes_before_its_sub_types(entry: CrisisType) -> None:
    keys = default_catalog().keys()

    if entry.parent is not None:
        assert keys.index(entry.parent) < keys.index(entry.key)


# --- labels and descriptions ------------------------------------------------------


@pytest.mark.parametrize("entry", ALL_TYPES, ids=_type_id)
def test_labels_and_description_are_given_in_three_languages(
    entry: CrisisType,
) -> None:
    for text in (entry.labels, entry.description):
        assert text.en.strip()
        assert text.zh_hant.strip()
        assert text.zh_hans.strip()


@pytest.mark.parametrize("entry", ALL_TYPES, ids=_type_id)
def test_simplified_texts_use_no_traditional_only_characters(
    entry: CrisisType,
) -> None:
    for text in (entry.labels, entry.description):
        assert set() == set(text.zh_hans) & TRADITIONAL_ONLY
        if set(text.zh_hant) & TRADITIONAL_ONLY:
            assert text.zh_hant != text.zh_hans


@pytest.mark.parametrize("entry", ALL_TYPES, ids=_type_id)
def test_description_is_one_paragraph_of_two_to_four_sentences(
    entry: CrisisType,
) -> None:
    description = entry.description

    assert "\n" not in description.en + description.zh_hant + description.zh_hans
    assert 2 <= description.zh_hant.count("。") <= 4
    assert description.zh_hant.count("。") == description.zh_hans.count("。")


def test_labels_are_unique_in_every_language() -> None:
    english = [e.labels.en.casefold() for e in BUILT_IN_CRISIS_TYPES]
    chinese = [
        text
        for e in BUILT_IN_CRISIS_TYPES
        for text in {e.labels.zh_hant, e.labels.zh_hans}
    ]

    assert len(english) == len(set(english))
    assert len(chinese) == len(set(chinese))


# --- SCCT mapping -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "scct_type", "cluster"),
    [
        (
            "technical.system_failure",
            SCCTCrisisType.TECHNICAL_ERROR_ACCIDENT,
            SCCTCluster.ACCIDENTAL,
        ),
        (
            "market.natural_disaster",
            SCCTCrisisType.NATURAL_DISASTER,
            SCCTCluster.VICTIM,
        ),
        (
            "technical.data_security_breach",
            SCCTCrisisType.PRODUCT_TAMPERING,
            SCCTCluster.VICTIM,
        ),
        (
            "product.supply_issue",
            SCCTCrisisType.TECHNICAL_ERROR_PRODUCT_HARM,
            SCCTCluster.ACCIDENTAL,
        ),
        (
            "product.quality_safety",
            SCCTCrisisType.HUMAN_ERROR_PRODUCT_HARM,
            SCCTCluster.PREVENTABLE,
        ),
        ("other.brand_image", SCCTCrisisType.CHALLENGE, SCCTCluster.ACCIDENTAL),
        (
            "other.customer_service_failure",
            SCCTCrisisType.HUMAN_ERROR_ACCIDENT,
            SCCTCluster.PREVENTABLE,
        ),
        ("financial.cash_shortage", None, None),
        ("financial.fx_risk", None, None),
        ("market.demand_shift", None, None),
    ],
)
def test_scct_assignment_of_named_types(
    key: str, scct_type: SCCTCrisisType | None, cluster: SCCTCluster | None
) -> None:
    entry = default_catalog()[key]

    assert scct_type is entry.scct_type
    assert cluster is entry.scct_cluster


def test_no_financial_crisis_has_an_scct_type() -> None:
    financial = default_catalog().in_category(CrisisCategory.FINANCIAL)

    assert [e.key for e in financial if e.scct_type is not None] == []
