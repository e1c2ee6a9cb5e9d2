"""The built-in playbooks: one per PLAYBOOK_KEYS entry, written from the book."""

from __future__ import annotations

import datetime as dt
import json

import networkx as nx
import pytest

from crisisops._crisis_types import PLAYBOOK_KEYS, ROLE_KEYS
from crisisops.planning._default_playbooks import BUILT_IN_PLAYBOOKS
from crisisops.planning.playbooks import (
    Playbook,
    PlaybookCatalog,
    StrategyFamily,
    activate,
    default_playbooks,
)
from crisisops.serialization import from_data, to_data
from crisisops.taxonomy import ResponseLevel, default_catalog

CATALOG = default_playbooks()
TYPES = default_catalog()
PLAYBOOKS = list(CATALOG)


class EveryRole:
    """A team in which every role has a member named after it."""

    def member_for(self, role_key: str) -> str | None:
        return f"member_{role_key}"


def test_there_is_one_playbook_per_playbook_key_in_order() -> None:
    assert PLAYBOOK_KEYS == CATALOG.keys()
    assert 23 == len(CATALOG)


def test_every_crisis_type_finds_its_default_playbooks() -> None:
    for crisis_type in TYPES:
        found = CATALOG.defaults_for(crisis_type)

        assert crisis_type.default_playbooks == tuple(p.key for p in found)
        assert set(crisis_type.default_playbooks) == set(
            CATALOG.for_crisis_type(crisis_type).keys()
        )


@pytest.mark.parametrize("plan", PLAYBOOKS, ids=lambda p: p.key)
def test_every_default_playbook_is_an_acyclic_graph_owned_by_known_roles(
    plan: Playbook,
) -> None:
    assert nx.is_directed_acyclic_graph(plan.graph())
    assert plan is plan.check_roles(ROLE_KEYS)
    assert set(plan.owner_roles()) <= set(ROLE_KEYS)


@pytest.mark.parametrize("plan", PLAYBOOKS, ids=lambda p: p.key)
def test_owners_are_roles_the_served_crisis_types_call_for(plan: Playbook) -> None:
    # A team assembled for ANY crisis type this plan serves can own every
    # step: each type calls for every owner role of each of its playbooks,
    # so activating a default plan never leaves a step unowned for want of
    # the role (only for want of a person).
    for key in plan.crisis_types:
        missing = set(plan.owner_roles()) - set(TYPES[key].default_roles)
        assert not missing, (key, sorted(missing))


@pytest.mark.parametrize("plan", PLAYBOOKS, ids=lambda p: p.key)
def test_the_plan_serves_exactly_the_types_that_name_it(plan: Playbook) -> None:
    naming = tuple(t.key for t in TYPES if plan.key in t.default_playbooks)

    assert naming == plan.crisis_types
    assert plan.crisis_types  # every plan serves some type


@pytest.mark.parametrize("plan", PLAYBOOKS, ids=lambda p: p.key)
def test_every_plan_is_written_in_three_languages_and_cites_the_book(
    plan: Playbook,
) -> None:
    assert plan.labels.zh_hant.endswith("預案")
    assert plan.description is not None
    assert plan.book_section is not None
    assert plan.book_section.startswith(("§2.", "§5.4"))
    for s in plan.steps:
        assert s.labels is not None
        assert s.title == s.labels.en
        assert s.labels.zh_hant.strip()
        assert s.labels.zh_hans.strip()
        assert s.families, s.key
        assert s.done_when.strip()


@pytest.mark.parametrize("plan", PLAYBOOKS, ids=lambda p: p.key)
def test_every_plan_covers_every_level_and_meets_its_targets(plan: Playbook) -> None:
    # The defaults are planned so that even Level I's 24 h target is met.
    assert all(plan.covers(level) for level in ResponseLevel)
    assert all(plan.meets_target(level) for level in ResponseLevel)
    assert plan.total_duration() <= dt.timedelta(hours=24)


@pytest.mark.parametrize("plan", PLAYBOOKS, ids=lambda p: p.key)
def test_every_plan_communicates_and_ends_with_a_review_and_drill(
    plan: Playbook,
) -> None:
    last = plan.steps[-1]

    assert plan.communication_steps()
    assert all(
        StrategyFamily.COMMUNICATION in s.families for s in plan.communication_steps()
    )
    assert "review_and_drill" == last.key
    assert (StrategyFamily.DRILLS,) == last.families
    assert "預案" in last.labels.zh_hant if last.labels else False
    assert last.key == plan.critical_path()[-1]
    # every other step leads to the review
    graph = plan.graph()
    assert set(plan.step_keys) - {last.key} == nx.ancestors(graph, last.key)


def test_every_strategy_family_appears_in_the_catalog() -> None:
    used = {f for plan in PLAYBOOKS for s in plan.steps for f in s.families}

    assert set(StrategyFamily) == used


@pytest.mark.parametrize("plan", PLAYBOOKS, ids=lambda p: p.key)
@pytest.mark.parametrize(
    "at",
    [
        dt.datetime(2026, 11, 10, 20, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))),
        dt.datetime(2026, 1, 31, 23, 30, tzinfo=dt.timezone.utc),
    ],
    ids=["double-eleven-eve", "month-end"],
)
def test_no_default_deadline_falls_before_its_step_can_finish(
    plan: Playbook, at: dt.datetime
) -> None:
    action_plan = activate(plan, "drill", at, EveryRole())

    assert () == action_plan.late
    assert () == action_plan.unowned


def _zh(plan_key: str) -> str:
    plan = CATALOG[plan_key]
    return " ".join(s.labels.zh_hant for s in plan.steps if s.labels)


@pytest.mark.parametrize(
    ("plan_key", "steps", "book_words"),
    [
        # §5.4 案例一: the peak-season inventory crisis
        (
            "inventory_replenishment",
            (
                "assess_stock",
                "contact_suppliers",
                "prioritise_orders",
                "adjust_marketing",
                "reforecast_demand",
            ),
            (
                "評估庫存現狀",
                "緊急聯繫供應商協調貨源",
                "緊急和重點客戶",
                "調整營銷策略",
            ),
        ),
        # §5.4 案例二: traffic drop after a sudden event
        (
            "traffic_recovery",
            ("launch_promotions", "optimise_search", "social_response"),
            ("廣告推廣和營銷活動", "優化搜索引擎排名和用戶體驗", "社交媒體"),
        ),
        # §5.4 案例三: the data-security breach
        (
            "security_incident",
            (
                "contain_attack",
                "strengthen_defences",
                "investigate_source",
                "inform_users",
            ),
            ("加強網絡安全防護", "調查攻擊來源", "發布公告"),
        ),
        ("data_restore", ("restore_backup",), ("從備份恢復數據",)),
        (
            "data_breach_notification",
            ("notify_users", "notify_regulator"),
            ("通知受影響用戶", "監管部門"),
        ),
        # §5.4 案例四: the customer-service failure
        (
            "service_recovery",
            ("add_staff", "retrain_agents", "collect_feedback", "respond_publicly"),
            ("增加客服人員配備", "加強培訓", "收集客戶反饋", "回應用戶關切"),
        ),
        # §2.2 質量安全問題: 產品召回、公開道歉
        ("product_recall", ("stop_sales", "announce_recall"), ("召回", "公開道歉")),
    ],
)
def test_the_case_studies_steps_follow_the_book(
    plan_key: str, steps: tuple[str, ...], book_words: tuple[str, ...]
) -> None:
    plan = CATALOG[plan_key]
    text = _zh(plan_key)

    assert set(steps) <= set(plan.step_keys)
    for words in book_words:
        assert words in text, words


def test_the_data_breach_regulator_deadline_is_72_hours() -> None:
    # GDPR Art. 33(1): notify the supervisory authority within 72 hours.
    notify = CATALOG["data_breach_notification"].step("notify_regulator")

    assert dt.timedelta(hours=72) == notify.deadline.delta
    assert notify.is_communication
    assert StrategyFamily.LEGAL_RISK in notify.families


def test_the_catalog_is_rebuilt_on_each_call_and_round_trips() -> None:
    again = default_playbooks()

    assert CATALOG == again
    assert CATALOG is not again
    assert BUILT_IN_PLAYBOOKS == CATALOG.entries
    document = json.loads(json.dumps(to_data(CATALOG), ensure_ascii=False))
    assert CATALOG == from_data(PlaybookCatalog, document)
