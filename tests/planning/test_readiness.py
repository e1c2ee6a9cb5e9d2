"""Readiness: staffing, step ownership and timeliness per crisis type and level."""

from __future__ import annotations

import datetime as dt
import re

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    NaiveDatetimeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.labels import Labels
from crisisops.planning.playbooks import (
    Playbook,
    PlaybookCatalog,
    PlaybookStep,
    StrategyFamily,
    activate,
    default_playbooks,
)
from crisisops.planning.readiness import (
    LevelReadiness,
    ReadinessReport,
    check_readiness,
)
from crisisops.planning.team import AvailabilityWindow, Member, assemble_team
from crisisops.serialization import from_data, to_data
from crisisops.taxonomy import ResponseLevel

TAIPEI = dt.timezone(dt.timedelta(hours=8))
AT = dt.datetime(2026, 11, 11, 9, tzinfo=TAIPEI)
STOCKOUT = "supply_chain.peak_season_stockout"


def _step(
    key: str, owner: str, hours: int, after: tuple[str, ...] = ()
) -> PlaybookStep:
    return PlaybookStep(
        key=key,
        title=key.replace("_", " "),
        owner_role=owner,
        duration=dt.timedelta(hours=hours),
        deadline=dt.timedelta(hours=hours + 1),
        depends_on=after,
        done_when=f"{key} done",
        families=[StrategyFamily.RESOURCES],
    )


def _catalog() -> PlaybookCatalog:
    """One plan for the peak-season stock-out, 30 hours along its critical path."""
    plan = Playbook(
        key="stockout_plan",
        labels=Labels(en="Stock-out plan", zh_hant="缺貨預案", zh_hans="缺货预案"),
        crisis_types=[STOCKOUT],
        steps=[
            _step("assess", "supply_chain_lead", 6),
            _step("call_suppliers", "supply_chain_lead", 12, ("assess",)),
            _step("forecast", "data_analyst", 12, ("call_suppliers",)),
            _step("tell_buyers", "customer_service", 2, ("assess",)),
        ],
    )
    return PlaybookCatalog([plan])


def _roster() -> list[Member]:
    away = AvailabilityWindow(
        start=AT + dt.timedelta(days=1), end=AT + dt.timedelta(days=5)
    )
    return [
        Member(key="lin", name="Lin", roles=["crisis_lead", "ops_expert"]),
        Member(key="wu", name="Wu", roles=["supply_chain_lead", "deputy_lead"]),
        Member(key="chen", name="Chen", roles=["customer_service", "marketing_pr"]),
        # The only data analyst is away until tomorrow.
        Member(key="ho", name="Ho", roles=["data_analyst"], availability=[away]),
    ]


def test_a_hand_worked_check_of_one_crisis_at_two_levels() -> None:
    report = check_readiness(
        _roster(),
        at=AT,
        playbooks=_catalog(),
        crisis_types=[STOCKOUT],
        levels=[ResponseLevel.IV, ResponseLevel.I],
    )
    result = report.crisis_type(STOCKOUT)
    assert (ResponseLevel.I, ResponseLevel.IV) == report.levels  # most severe first

    # Level IV: the type's own roles (crisis lead, supply-chain lead, ops
    # expert, customer service, data analyst). Only the data analyst is
    # missing: staffed 1 - 1/5 = 0.8. The forecast step has no available
    # owner: owned 1 - 1/4 = 0.75. The critical path assess 6 h +
    # call_suppliers 12 h + forecast 12 h = 30 h fits level IV's 7 days:
    # timely 1. Score (0.8 + 0.75 + 1) / 3 = 0.85.
    quiet = result.level(ResponseLevel.IV)
    assert ("data_analyst",) == quiet.uncovered_roles
    assert 5 == len(quiet.required_roles)
    assert 0.8 == pytest.approx(quiet.staffed_share)
    assert ("stockout_plan",) == quiet.playbooks
    assert 4 == quiet.steps
    assert [("stockout_plan", "forecast", "data_analyst")] == [
        (u.playbook, u.step, u.owner_role) for u in quiet.unowned_steps
    ]
    assert 0.75 == pytest.approx(quiet.owned_share)
    assert () == quiet.slow_playbooks
    assert 0.85 == pytest.approx(quiet.score)

    # Level I adds deputy, scribe, comms liaison and legal counsel (nine
    # roles); scribe, liaison, legal counsel and the data analyst are open:
    # staffed 1 - 4/9. 30 h exceeds level I's 24 h: timely 0.
    severe = result.level(ResponseLevel.I)
    assert 9 == len(severe.required_roles)
    assert {"data_analyst", "scribe", "comms_liaison", "legal_counsel"} == set(
        severe.uncovered_roles
    )
    assert 5 / 9 == pytest.approx(severe.staffed_share)
    assert ("stockout_plan",) == severe.slow_playbooks
    assert 0.0 == severe.timely_share
    assert (5 / 9 + 0.75 + 0.0) / 3 == pytest.approx(severe.score)
    assert (quiet.score + severe.score) / 2 == pytest.approx(result.score)


def test_tomorrow_the_analyst_is_back() -> None:
    report = check_readiness(
        _roster(),
        at=AT + dt.timedelta(days=2),
        playbooks=_catalog(),
        crisis_types=[STOCKOUT],
        levels=[ResponseLevel.IV],
    )
    level = report.crisis_type(STOCKOUT).level(ResponseLevel.IV)
    assert () == level.uncovered_roles
    assert () == level.unowned_steps
    assert level.is_ready
    assert 1.0 == level.score


def test_a_step_is_owned_only_if_the_assembled_team_fills_its_role() -> None:
    # supply_chain.inventory calls crisis lead, supply-chain lead, ops expert,
    # data analyst, customer service and marketing (every owner role of its
    # built-in plan); Level III adds nobody. Ho, the only analyst, is away, so
    # reforecast_demand has no owner. By hand: staffed 1 - 1/6, owned
    # 1 - 1/7, timely 1 (16 h <= 72 h); score (5/6 + 6/7 + 1) / 3.
    inventory = "supply_chain.inventory"
    report = check_readiness(
        _roster(), at=AT, crisis_types=[inventory], levels=[ResponseLevel.III]
    )
    level = report.crisis_type(inventory).level(ResponseLevel.III)

    assert [("reforecast_demand", "data_analyst")] == [
        (u.step, u.owner_role) for u in level.unowned_steps
    ]
    assert 5 / 6 == pytest.approx(level.staffed_share)
    assert 6 / 7 == pytest.approx(level.owned_share)
    assert (5 / 6 + 6 / 7 + 1.0) / 3 == pytest.approx(level.score)
    # ... which is exactly what activating the plan with that team gives.
    team = assemble_team(inventory, ResponseLevel.III, _roster(), at=AT)
    plan = activate(default_playbooks()["inventory_replenishment"], "c", AT, team)
    assert [u.step for u in level.unowned_steps] == [a.key for a in plan.unowned]


def test_a_role_the_crisis_does_not_call_leaves_its_step_unowned() -> None:
    # A custom plan gives a step to marketing, which the peak-season
    # stock-out does not call onto the team at level IV: Chen could do it,
    # but is not on the team, so activation (and readiness) finds no owner.
    plan = Playbook(
        key="stockout_with_ads",
        labels=Labels(
            en="Stock-out with ads", zh_hant="缺貨與廣告", zh_hans="缺货与广告"
        ),
        crisis_types=[STOCKOUT],
        steps=[
            _step("assess", "supply_chain_lead", 6),
            _step("pause_ads", "legal_counsel", 1),
        ],
    )
    roster = [*_roster(), Member(key="sun", name="Sun", roles=["legal_counsel"])]
    report = check_readiness(
        roster,
        at=AT,
        playbooks=PlaybookCatalog([plan]),
        crisis_types=[STOCKOUT],
        levels=[ResponseLevel.IV],
    )
    level = report.crisis_type(STOCKOUT).level(ResponseLevel.IV)
    assert [("pause_ads", "legal_counsel")] == [
        (u.step, u.owner_role) for u in level.unowned_steps
    ]
    team = assemble_team(STOCKOUT, ResponseLevel.IV, roster, at=AT)
    assert ["pause_ads"] == [a.key for a in activate(plan, "c", AT, team).unowned]


def test_a_type_without_a_playbook_scores_only_its_staffing() -> None:
    report = check_readiness(
        _roster(),
        at=AT,
        playbooks=_catalog(),
        crisis_types=["technical.system_failure"],
        levels=[ResponseLevel.III],
    )
    level = report.types[0].levels[0]
    assert not level.has_playbook
    assert 0.0 == level.owned_share
    assert 0.0 == level.timely_share
    assert level.staffed_share / 3 == pytest.approx(level.score)


def test_every_built_in_type_and_level_is_checked_with_the_default_plans() -> None:
    report = check_readiness(_roster(), at=AT)
    scores = report.scores()
    assert (len(report.types), 4) == scores.shape
    assert not scores.flags.writeable
    assert np.all((scores >= 0.0) & (scores <= 1.0))
    # Every built-in type has a default playbook for every level.
    assert all(level.has_playbook for t in report.types for level in t.levels)
    weakest = report.weakest(3)
    assert [t.score for t in weakest] == sorted(t.score for t in weakest)
    assert weakest[0].score == min(t.score for t in report.types)
    assert "legal_counsel" in report.uncovered_roles()


@settings(max_examples=25, deadline=None)
@given(st.permutations(range(4)))
def test_the_result_does_not_depend_on_roster_order(order: list[int]) -> None:
    roster = _roster()
    shuffled = [roster[i] for i in order]
    kwargs = {"at": AT, "playbooks": _catalog(), "crisis_types": [STOCKOUT]}
    assert check_readiness(roster, **kwargs) == check_readiness(shuffled, **kwargs)  # type: ignore[arg-type]


def test_reports_round_trip_through_plain_data() -> None:
    report = check_readiness(
        _roster(), at=AT, playbooks=_catalog(), crisis_types=[STOCKOUT]
    )
    assert report == from_data(ReadinessReport, to_data(report))


def test_bad_input_is_refused_naming_the_field() -> None:
    with pytest.raises(NaiveDatetimeError, match="'at'"):
        check_readiness(_roster(), at=dt.datetime(2026, 11, 11, 9))  # noqa: DTZ001
    with pytest.raises(InvalidTypeError, match="'roster'"):
        check_readiness("lin", at=AT)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match=r"'roster\[0\]'"):
        check_readiness(["lin"], at=AT)  # type: ignore[list-item]
    with pytest.raises(ValidationError, match="'levels'"):
        check_readiness(_roster(), at=AT, levels=[])
    with pytest.raises(InvalidTypeError, match=r"'levels\[0\]'"):
        check_readiness(_roster(), at=AT, levels=["I"])  # type: ignore[list-item]
    with pytest.raises(UnknownKeyError, match=r"supply_chain\.inventory"):
        check_readiness(_roster(), at=AT, crisis_types=["supply_chain.inventori"])
    with pytest.raises(ValidationError, match="'crisis_types'"):
        check_readiness(_roster(), at=AT, crisis_types=[])
    with pytest.raises(InvalidTypeError, match=r"'crisis_types\[0\]'"):
        check_readiness(_roster(), at=AT, crisis_types=[3])  # type: ignore[list-item]
    with pytest.raises(InvalidTypeError, match="'crisis_types'"):
        check_readiness(_roster(), at=AT, crisis_types=STOCKOUT)
    with pytest.raises(DuplicateKeyError, match=STOCKOUT):
        check_readiness(_roster(), at=AT, crisis_types=[STOCKOUT, STOCKOUT])
    with pytest.raises(InvalidTypeError, match="'roles'"):
        check_readiness(_roster(), at=AT, crisis_types=[STOCKOUT], roles=[])  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'policy'"):
        check_readiness(_roster(), at=AT, crisis_types=[STOCKOUT], policy={})  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'targets'"):
        check_readiness(_roster(), at=AT, crisis_types=[STOCKOUT], targets=[])  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'playbooks'"):
        check_readiness(_roster(), at=AT, playbooks=[])  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'catalog'"):
        check_readiness(_roster(), at=AT, catalog={})  # type: ignore[arg-type]
    report = check_readiness(
        _roster(), at=AT, playbooks=_catalog(), crisis_types=[STOCKOUT]
    )
    with pytest.raises(UnknownKeyError, match="crisis type"):
        report.crisis_type("technical.system_failure")
    with pytest.raises(ValidationError, match="'n'"):
        report.weakest(-1)
    with pytest.raises(InvalidTypeError, match="'n'"):
        report.weakest(n=True)
    with pytest.raises(InvalidTypeError, match="'n'"):
        report.weakest(2.0)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'key'"):
        report.crisis_type(3)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'level'"):
        report.types[0].level("I")  # type: ignore[arg-type]
    with pytest.raises(UnknownKeyError, match="response level"):
        check_readiness(
            _roster(),
            at=AT,
            playbooks=_catalog(),
            crisis_types=[STOCKOUT],
            levels=[ResponseLevel.I],
        ).types[0].level(ResponseLevel.IV)


def _level(**change: object) -> LevelReadiness:
    fields: dict[str, object] = {
        "crisis_type": STOCKOUT,
        "level": ResponseLevel.IV,
        "required_roles": ["crisis_lead"],
        "uncovered_roles": [],
        "playbooks": [],
        "steps": 0,
        "unowned_steps": [],
        "slow_playbooks": [],
        "staffed_share": 1.0,
        "owned_share": 0.0,
        "timely_share": 0.0,
        "score": 1 / 3,
    }
    return LevelReadiness(**{**fields, **change})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("change", "error", "field"),
    [
        ({"score": 1.5}, ValidationError, "score"),
        ({"staffed_share": float("nan")}, ValidationError, "staffed_share"),
        ({"steps": -1}, ValidationError, "steps"),
        ({"steps": True}, InvalidTypeError, "steps"),
        ({"required_roles": [3]}, InvalidTypeError, "required_roles[0]"),
        ({"required_roles": ["Crisis Lead"]}, ValidationError, "required_roles[0]"),
        ({"uncovered_roles": ["scribe", "scribe"]}, ValidationError, "uncovered_roles"),
        ({"playbooks": "stockout_plan"}, InvalidTypeError, "playbooks"),
        ({"slow_playbooks": [None]}, InvalidTypeError, "slow_playbooks[0]"),
        ({"unowned_steps": ["forecast"]}, InvalidTypeError, "unowned_steps[0]"),
    ],
)
def test_level_results_validate_their_fields(
    change: dict[str, object], error: type[Exception], field: str
) -> None:
    assert 1 / 3 == _level().score

    with pytest.raises(error, match=re.escape(f"'{field}'")):
        _level(**change)
