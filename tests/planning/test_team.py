"""Team assembly, chain of command, escalation and meetings (book §4.1, §4.4)."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops._crisis_types import ROLE_KEYS
from crisisops._time import Frequency, Recurrence
from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    NaiveDatetimeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.frozen import FrozenDict
from crisisops.labels import Labels
from crisisops.planning.roles import default_roles
from crisisops.planning.team import (
    AvailabilityWindow,
    EscalationChain,
    EscalationNotice,
    EscalationStep,
    MeetingCadence,
    Member,
    Roster,
    SpanOfControlWarning,
    StaffingPolicy,
    Team,
    assemble_team,
    default_escalation_chain,
)
from crisisops.serialization import from_data, to_data
from crisisops.taxonomy import (
    CrisisCategory,
    CrisisType,
    ResponseLevel,
    default_catalog,
)

TAIPEI = dt.timezone(dt.timedelta(hours=8))
NEW_YORK = ZoneInfo("America/New_York")
UTC = dt.timezone.utc
NAIVE = dt.datetime(2026, 11, 11, 9)  # noqa: DTZ001  a naive datetime, to be refused
AT = dt.datetime(2026, 11, 11, 9, tzinfo=TAIPEI)
HOUR = dt.timedelta(hours=1)
MINUTE = dt.timedelta(minutes=1)


def _tp(day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(2026, 11, day, hour, minute, tzinfo=TAIPEI)


def _window(start: dt.datetime, end: dt.datetime) -> AvailabilityWindow:
    return AvailabilityWindow(start=start, end=end)


def _member(key: str, *roles: str, **fields: Any) -> Member:
    return Member(key=key, name=key.title(), roles=roles, **fields)


def _round_trip(value: Any) -> Any:
    return from_data(
        type(value), json.loads(json.dumps(to_data(value), allow_nan=False))
    )


# --- availability and members ---------------------------------------------------------


def test_a_window_is_half_open() -> None:
    shift = _window(_tp(11, 8), _tp(11, 20))

    assert shift.contains(_tp(11, 8))
    assert shift.contains(_tp(11, 19, 59))
    assert not shift.contains(_tp(11, 20))
    assert not shift.contains(_tp(11, 7, 59))
    assert 12 * HOUR == shift.duration
    # the same instant in another zone: 12:00 UTC is 20:00 in Taipei
    assert not shift.contains(dt.datetime(2026, 11, 11, 12, tzinfo=UTC))


def test_a_window_compares_instants_in_the_hour_a_zone_falls_back() -> None:
    # New York repeats 01:00-02:00 on 1 November 2026: first EDT (fold=0),
    # then EST (fold=1). A shift from midnight to 01:40 EST (06:40 UTC)
    # contains 01:50 EDT (05:50 UTC), although its wall clock reads later.
    shift = _window(
        dt.datetime(2026, 11, 1, 0, 0, tzinfo=NEW_YORK),
        dt.datetime(2026, 11, 1, 1, 40, fold=1, tzinfo=NEW_YORK),
    )
    early = dt.datetime(2026, 11, 1, 1, 50, tzinfo=NEW_YORK)
    late = dt.datetime(2026, 11, 1, 1, 45, fold=1, tzinfo=NEW_YORK)

    assert shift.contains(early)
    assert not shift.contains(late)
    # Elapsed time, not wall time: 04:00 UTC to 06:40 UTC is 2 h 40 min.
    assert 160 * MINUTE == shift.duration
    # 01:50 EDT to 01:10 EST is a 20-minute window, not an empty one.
    short = _window(early, dt.datetime(2026, 11, 1, 1, 10, fold=1, tzinfo=NEW_YORK))
    assert 20 * MINUTE == short.duration
    with pytest.raises(ValidationError, match="'end'"):
        _window(late, early)


def test_a_member_without_windows_is_always_available() -> None:
    always = _member("chen", "crisis_lead")
    shifts = _member(
        "lin",
        availability=[_window(_tp(11, 8), _tp(11, 12)), _window(_tp(12), _tp(13))],
    )

    assert always.is_available(_tp(1))
    assert [True, False, True, False] == [
        shifts.is_available(moment)
        for moment in (_tp(11, 9), _tp(11, 12), _tp(12, 10), _tp(13))
    ]
    assert always.can_fill("crisis_lead")
    assert not always.can_fill("scribe")


def test_a_roster_looks_members_up_and_filters_them() -> None:
    roster = Roster(
        [
            _member("chen", "crisis_lead", "ops_expert"),
            _member("huang", "crisis_lead", availability=[_window(_tp(12), _tp(20))]),
        ]
    )

    assert "Chen" == roster["chen"].name
    assert ("chen", "huang") == tuple(m.key for m in roster.members)
    assert ("chen",) == tuple(m.key for m in roster.available_at(AT))
    assert ("chen", "huang") == tuple(
        m.key for m in roster.qualified_for("crisis_lead")
    )
    assert ("chen",) == tuple(m.key for m in roster.qualified_for("crisis_lead", at=AT))
    with pytest.raises(UnknownKeyError, match="did you mean 'chen'"):
        roster["chem"]
    with pytest.raises(DuplicateKeyError, match="duplicate roster member 'chen'"):
        roster.add(_member("chen"))


# --- the staffing policy --------------------------------------------------------------


def test_the_default_policy_adds_four_roles_at_the_serious_levels_only() -> None:
    policy = StaffingPolicy()
    serious = ("deputy_lead", "scribe", "comms_liaison", "legal_counsel")

    assert serious == policy.roles_for(ResponseLevel.I)
    assert serious == policy.roles_for(ResponseLevel.II)
    assert () == policy.roles_for(ResponseLevel.III)
    assert () == policy.roles_for(ResponseLevel.IV)
    assert 1 == policy.wanted("customer_service")
    assert 7 == policy.max_span


def test_a_level_missing_from_the_policy_adds_nothing() -> None:
    policy = StaffingPolicy(level_roles={ResponseLevel.I: ["scribe"]})

    assert ("scribe",) == policy.roles_for(ResponseLevel.I)
    assert () == policy.roles_for(ResponseLevel.II)


# --- hand-worked assemblies -----------------------------------------------------------

# Inventory crisis (supply_chain.inventory) at Level III: the type's roles are
# crisis_lead, supply_chain_lead, ops_expert, data_analyst; Level III adds none.
INVENTORY_ROSTER = Roster(
    [
        _member("chen", "crisis_lead", "ops_expert"),
        # on leave from 12 to 20 November
        _member(
            "huang",
            "crisis_lead",
            "supply_chain_lead",
            "data_analyst",
            availability=[_window(_tp(12), _tp(20))],
        ),
        # on shift 08:00-20:00 on 11 November only
        _member(
            "lin", "supply_chain_lead", availability=[_window(_tp(11, 8), _tp(11, 20))]
        ),
        _member("wang", "customer_service", "marketing_pr"),
        _member("zhao", "ops_expert"),
    ]
)


def test_hand_worked_inventory_team_with_an_unavailable_member() -> None:
    team = assemble_team(
        "supply_chain.inventory", ResponseLevel.III, INVENTORY_ROSTER, at=AT
    )

    # huang is on leave: chen is the only available lead; lin fills the supply
    # chain; ops_expert goes to zhao (no role yet) before chen (already lead);
    # nobody available is a data analyst; wang serves customers and does the
    # marketing (the inventory playbook has steps for both).
    assert (
        "crisis_lead",
        "supply_chain_lead",
        "ops_expert",
        "data_analyst",
        "customer_service",
        "marketing_pr",
    ) == team.required
    assert {
        "crisis_lead": ("chen",),
        "supply_chain_lead": ("lin",),
        "ops_expert": ("zhao",),
        "customer_service": ("wang",),
        "marketing_pr": ("wang",),
    } == dict(team.assignments)
    assert "chen" == team.lead
    assert team.deputy is None  # nobody else available can lead
    assert ("data_analyst",) == team.uncovered
    # of the whole roster only huang is a data analyst and only wang serves
    # customers and does marketing
    assert ("data_analyst", "customer_service", "marketing_pr") == (
        team.single_person_dependencies
    )
    # lin leads logistics, zhao leads planning, wang is public information
    # (command staff): all report to the lead
    assert {"lin": "chen", "zhao": "chen", "wang": "chen"} == dict(team.reports_to)
    assert ("chen", "lin", "zhao", "wang") == team.members()  # by first role
    assert "chen" == team.acting_for("data_analyst")
    assert not team.is_fully_staffed
    assert () == team.span_warnings


def test_the_same_roster_two_days_later_names_a_fallback_deputy() -> None:
    team = assemble_team(
        "supply_chain.inventory", ResponseLevel.III, INVENTORY_ROSTER, at=_tp(13, 10)
    )

    # huang is back and lin's shift is over: chen leads (first by key); huang
    # takes the supply chain (load 0), zhao ops (load 0), then huang the data
    # (load 1 beats nobody). deputy_lead is not required at Level III, so the
    # deputy is the other available member who can lead: huang.
    assert {
        "crisis_lead": ("chen",),
        "supply_chain_lead": ("huang",),
        "ops_expert": ("zhao",),
        "data_analyst": ("huang",),
        "customer_service": ("wang",),
        "marketing_pr": ("wang",),
    } == dict(team.assignments)
    assert "huang" == team.deputy
    assert () == team.uncovered
    assert {"huang": "chen", "zhao": "chen", "wang": "chen"} == dict(team.reports_to)
    assert ("supply_chain_lead", "data_analyst") == team.roles_of("huang")
    assert team.is_fully_staffed


# Data-security breach at Level II: the type's roles are crisis_lead,
# security_lead, tech_maintenance, legal_counsel, marketing_pr; Level II adds
# deputy_lead, scribe, comms_liaison (legal_counsel is already there).
BREACH_ROSTER = Roster(
    [
        _member("amy", "crisis_lead", "deputy_lead"),
        _member("bob", "crisis_lead"),
        _member("cat", "deputy_lead", "scribe", availability=[_window(_tp(1), _tp(2))]),
        _member("dan", "security_lead", "tech_maintenance"),
        _member("eve", "tech_maintenance"),
        _member("fay", "legal_counsel"),
        _member("gus", "marketing_pr", "comms_liaison"),
    ]
)


def test_hand_worked_breach_team_at_level_two() -> None:
    team = assemble_team(
        "technical.data_security_breach", ResponseLevel.II, BREACH_ROSTER, at=AT
    )

    assert (
        "crisis_lead",
        "security_lead",
        "tech_maintenance",
        "legal_counsel",
        "marketing_pr",
        "deputy_lead",
        "scribe",
        "comms_liaison",
    ) == team.required
    # cat is away, so amy is the only deputy: bob leads (amy, first by key,
    # would leave nobody to deputise). dan has security, so eve gets tech.
    assert {
        "crisis_lead": ("bob",),
        "security_lead": ("dan",),
        "tech_maintenance": ("eve",),
        "legal_counsel": ("fay",),
        "marketing_pr": ("gus",),
        "deputy_lead": ("amy",),
        "comms_liaison": ("gus",),
    } == dict(team.assignments)
    assert ("bob", "amy") == (team.lead, team.deputy)
    assert ("scribe",) == team.uncovered
    # roles one roster member alone can fill
    assert (
        "security_lead",
        "legal_counsel",
        "marketing_pr",
        "scribe",
        "comms_liaison",
    ) == team.single_person_dependencies
    # dan leads operations, eve reports to him; the officers report to bob
    assert {
        "amy": "bob",
        "dan": "bob",
        "eve": "dan",
        "fay": "bob",
        "gus": "bob",
    } == dict(team.reports_to)
    assert ("amy", "dan", "fay", "gus") == team.direct_reports("bob")
    assert ("eve", "dan", "bob") == team.chain_of_command("eve")
    assert ("bob",) == team.chain_of_command("bob")
    assert "bob" == team.acting_for("scribe")
    assert "gus" == team.member_for("comms_liaison")
    assert team.member_for("finance_lead") is None
    assert () == team.members_for("finance_lead")


def test_a_tighter_span_of_control_warns_about_the_lead() -> None:
    team = assemble_team(
        "technical.data_security_breach",
        ResponseLevel.II,
        BREACH_ROSTER,
        at=AT,
        policy=StaffingPolicy(max_span=3),
    )

    assert (
        SpanOfControlWarning(
            supervisor="bob", direct_reports=("amy", "dan", "fay", "gus"), limit=3
        ),
    ) == team.span_warnings
    assert 4 == team.span_warnings[0].count
    assert "'bob' has 4 direct reports" in team.span_warnings[0].message


def _service_roster(agents: int) -> Roster:
    return Roster(
        [
            _member("ada", "crisis_lead"),
            _member("ops", "ops_expert"),
            _member("pr", "marketing_pr"),
            *(_member(f"cs{n:02d}", "customer_service") for n in range(1, agents + 1)),
        ]
    )


def test_a_large_unit_makes_a_deep_tree_and_warns_above_seven_reports() -> None:
    # Customer-service failure (book case 4: add customer-service staff) at
    # Level IV: crisis_lead, customer_service, ops_expert, marketing_pr.
    policy = StaffingPolicy(headcount={"customer_service": 9})
    team = assemble_team(
        "other.customer_service_failure",
        ResponseLevel.IV,
        _service_roster(9),
        at=AT,
        policy=policy,
    )

    agents = tuple(f"cs{n:02d}" for n in range(1, 10))
    assert agents == team.members_for("customer_service")
    # cs01 leads the unit and reports to ada; cs02..cs09 report to cs01
    assert "ada" == team.reports_to["cs01"]
    assert agents[1:] == team.direct_reports("cs01")
    assert ("cs09", "cs01", "ada") == team.chain_of_command("cs09")
    assert ("cs01", "ops", "pr") == team.direct_reports("ada")
    (warning,) = team.span_warnings
    assert ("cs01", 8, 7) == (warning.supervisor, warning.count, warning.limit)


def test_seven_reports_is_within_the_span() -> None:
    policy = StaffingPolicy(headcount={"customer_service": 8})
    team = assemble_team(
        "other.customer_service_failure",
        ResponseLevel.IV,
        _service_roster(8),
        at=AT,
        policy=policy,
    )

    assert 7 == len(team.direct_reports("cs01"))
    assert () == team.span_warnings


def test_a_role_with_too_few_people_is_understaffed() -> None:
    policy = StaffingPolicy(headcount={"customer_service": 5})
    team = assemble_team(
        "other.customer_service_failure",
        ResponseLevel.IV,
        _service_roster(3),
        at=AT,
        policy=policy,
    )

    assert ("cs01", "cs02", "cs03") == team.members_for("customer_service")
    assert {"customer_service": 2} == dict(team.understaffed)
    assert () == team.uncovered
    assert not team.is_fully_staffed


def test_fewest_roles_first_then_key_spreads_the_load() -> None:
    # Product quality/safety at Level IV: crisis_lead, ops_expert, marketing_pr,
    # customer_service, legal_counsel.
    roster = Roster(
        [
            _member("a", "crisis_lead", "ops_expert", "marketing_pr"),
            _member("b", "ops_expert", "marketing_pr", "customer_service"),
            _member("c", "customer_service", "legal_counsel"),
        ]
    )
    team = assemble_team("product.quality_safety", ResponseLevel.IV, roster, at=AT)

    # lead a (1 role); ops_expert: b (0) before a (1); marketing_pr: a and b
    # both hold 1, a wins by key; customer_service: c (0) before b (1);
    # legal_counsel: c is the only one.
    assert {
        "crisis_lead": ("a",),
        "ops_expert": ("b",),
        "marketing_pr": ("a",),
        "customer_service": ("c",),
        "legal_counsel": ("c",),
    } == dict(team.assignments)
    # b leads planning; c's first role (customer service) is an officer's
    assert {"b": "a", "c": "a"} == dict(team.reports_to)
    assert ("ops_expert",) == team.roles_of("b")
    # only a can lead and only c is legal counsel; the rest have two people
    assert ("crisis_lead", "legal_counsel") == team.single_person_dependencies


def test_without_anybody_to_lead_the_team_has_no_chain_of_command() -> None:
    roster = Roster([_member("wang", "customer_service", "ops_expert")])
    team = assemble_team("product.design_defect", ResponseLevel.III, roster, at=AT)

    assert team.lead is None
    assert team.deputy is None
    # design defects also call a data analyst (to collect user feedback)
    assert ("crisis_lead", "data_analyst") == team.uncovered
    assert {} == dict(team.reports_to)
    assert team.acting_for("crisis_lead") is None
    assert "wang" == team.acting_for("ops_expert")


def test_the_lead_never_fills_deputy_lead() -> None:
    roster = Roster([_member("solo", "crisis_lead", "deputy_lead", "scribe")])
    team = assemble_team("financial.fx_risk", ResponseLevel.I, roster, at=AT)

    assert "solo" == team.lead
    assert team.deputy is None
    assert "deputy_lead" in team.uncovered
    assert ("solo",) == team.members_for("scribe")


def test_a_custom_crisis_type_and_role_catalog_can_be_used() -> None:
    from crisisops.planning.roles import ICSFunction, Role  # noqa: PLC0415

    warehouse = Role(
        key="warehouse_lead",
        labels=Labels(en="Warehouse lead", zh_hant="倉庫主管", zh_hans="仓库主管"),
        duties=["Run picking and packing"],
        ics_function=ICSFunction.OPERATIONS,
    )
    kind = CrisisType(
        key="supply_chain.warehouse_fire",
        category=CrisisCategory.SUPPLY_CHAIN,
        labels=Labels(en="Warehouse fire", zh_hant="倉庫火災", zh_hans="仓库火灾"),
        description=Labels(en="Fire.", zh_hant="火災。", zh_hans="火灾。"),
        book_section="§2.3 供應鏈危機",
        default_roles=("crisis_lead", "warehouse_lead"),
    )
    roster = [_member("chen", "crisis_lead"), _member("ma", "warehouse_lead")]
    team = assemble_team(
        kind, ResponseLevel.III, roster, at=AT, roles=default_roles().add(warehouse)
    )

    assert "ma" == team.member_for("warehouse_lead")
    with pytest.raises(UnknownKeyError, match="warehouse_lead"):
        assemble_team(kind, ResponseLevel.III, roster, at=AT)


# --- properties of assembly -----------------------------------------------------------

member_keys = st.from_regex(r"[a-z][a-z0-9]{0,4}", fullmatch=True)
offsets = st.integers(min_value=-48, max_value=48)
windows = st.builds(
    lambda start, hours: _window(AT + start * HOUR, AT + (start + hours) * HOUR),
    offsets,
    st.integers(min_value=1, max_value=72),
)
members = st.builds(
    Member,
    key=member_keys,
    name=st.just("Someone"),
    roles=st.lists(st.sampled_from(ROLE_KEYS), max_size=4, unique=True),
    availability=st.lists(windows, max_size=2),
)
rosters = st.lists(members, max_size=10, unique_by=lambda m: m.key)
crisis_keys = st.sampled_from(default_catalog().keys())
levels = st.sampled_from(ResponseLevel)
policies = st.builds(
    StaffingPolicy,
    headcount=st.dictionaries(
        st.sampled_from(
            [k for k in ROLE_KEYS if k not in ("crisis_lead", "deputy_lead")]
        ),
        st.integers(min_value=1, max_value=3),
        max_size=3,
    ),
    max_span=st.integers(min_value=1, max_value=7),
)


@settings(max_examples=60, deadline=None)
@given(
    crisis=crisis_keys,
    level=levels,
    people=rosters.flatmap(lambda r: st.tuples(st.just(r), st.permutations(r))),
    policy=policies,
)
def test_assembly_is_deterministic_and_ignores_roster_order(
    crisis: str,
    level: ResponseLevel,
    people: tuple[list[Member], list[Member]],
    policy: StaffingPolicy,
) -> None:
    original, shuffled = people
    first = assemble_team(crisis, level, original, at=AT, policy=policy)

    assert first == assemble_team(crisis, level, original, at=AT, policy=policy)
    assert first == assemble_team(crisis, level, shuffled, at=AT, policy=policy)


@settings(max_examples=80, deadline=None)
@given(
    crisis=crisis_keys,
    level=levels,
    people=rosters,
    policy=policies,
    offset=offsets,
)
def test_every_assigned_member_is_available_and_holds_the_role(
    crisis: str,
    level: ResponseLevel,
    people: list[Member],
    policy: StaffingPolicy,
    offset: int,
) -> None:
    at = AT + offset * HOUR
    roster = Roster(people)
    team = assemble_team(crisis, level, roster, at=at, policy=policy)

    for role, keys in team.assignments.items():
        assert len(keys) <= policy.wanted(role)
        for key in keys:
            assert roster[key].is_available(at)
            assert role in roster[key].roles
    for role in team.uncovered:
        able = [m for m in roster.qualified_for(role, at=at) if m.key != team.lead]
        assert not able
    if team.deputy is not None:
        assert team.deputy != team.lead
        assert roster[team.deputy].is_available(at)
        assert {"crisis_lead", "deputy_lead"} & set(roster[team.deputy].roles)
    if team.lead is None:
        assert {} == dict(team.reports_to)
    for key in team.members() if team.lead is not None else ():
        assert team.lead == team.chain_of_command(key)[-1]
    # Exactly the required roles only one roster member can fill, in order.
    assert (
        tuple(role for role in team.required if 1 == len(roster.qualified_for(role)))
        == team.single_person_dependencies
    )
    # A role below its headcount took everybody available who could fill it.
    for role, keys in team.assignments.items():
        missing = policy.wanted(role) - len(keys)
        assert (missing or None) == team.understaffed.get(role)
        if missing:
            fillers = {
                m.key
                for m in roster.qualified_for(role, at=at)
                if not (role == "deputy_lead" and m.key == team.lead)
            }
            assert fillers == set(keys)
    # Every supervisor above the span is warned about, and nobody else.
    over = [m for m in team.members() if len(team.direct_reports(m)) > policy.max_span]
    assert over == [warning.supervisor for warning in team.span_warnings]


@settings(max_examples=30, deadline=None)
@given(crisis=crisis_keys, level=levels, people=rosters, policy=policies)
def test_teams_round_trip(
    crisis: str, level: ResponseLevel, people: list[Member], policy: StaffingPolicy
) -> None:
    team = assemble_team(crisis, level, people, at=AT, policy=policy)

    assert team == _round_trip(team)
    assert Roster(people) == _round_trip(Roster(people))
    assert policy == _round_trip(policy)


def test_the_other_values_round_trip() -> None:
    warning = SpanOfControlWarning(supervisor="a", direct_reports=["b"], limit=1)
    notice = default_escalation_chain().schedule(ResponseLevel.I, AT)[1]

    for value in (
        warning,
        notice,
        default_escalation_chain(),
        MeetingCadence.for_level(ResponseLevel.I, AT),
        StaffingPolicy(),
        INVENTORY_ROSTER,
    ):
        assert value == _round_trip(value)


# --- a team checks itself -------------------------------------------------------------


def _team(**changes: Any) -> Team:
    fields: dict[str, Any] = {
        "crisis_type": "supply_chain.inventory",
        "level": ResponseLevel.III,
        "at": AT,
        "required": ["crisis_lead", "ops_expert", "scribe"],
        "assignments": {"crisis_lead": ["chen"], "ops_expert": ["zhao"]},
        "lead": "chen",
        "deputy": None,
        "reports_to": {"zhao": "chen"},
        "uncovered": ["scribe"],
    }
    fields.update(changes)
    return Team(**fields)


def test_a_hand_built_team_is_accepted_when_consistent() -> None:
    team = _team()

    assert ("chen", "zhao") == team.members()
    assert team == _round_trip(team)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        (
            {"assignments": {"crisis_lead": ["chen"], "finance_lead": ["x"]}},
            "assignments",
        ),
        ({"assignments": {"crisis_lead": []}}, "assignments['crisis_lead']"),
        (
            {"assignments": {"crisis_lead": ["chen", "chen"]}},
            "assignments['crisis_lead']",
        ),
        ({"uncovered": ["ops_expert", "scribe"]}, "uncovered"),
        ({"uncovered": []}, "uncovered"),
        ({"understaffed": {"scribe": 1}}, "understaffed"),
        ({"understaffed": {"ops_expert": 0}}, "understaffed['ops_expert']"),
        (
            {"single_person_dependencies": ["finance_lead"]},
            "single_person_dependencies",
        ),
        ({"lead": "zhao"}, "lead"),
        ({"lead": None}, "lead"),
        ({"deputy": "chen"}, "deputy"),
        ({"reports_to": {}}, "reports_to"),
        ({"reports_to": {"zhao": "chen", "chen": "zhao"}}, "reports_to['chen']"),
        ({"reports_to": {"zhao": "ghost"}}, "reports_to['zhao']"),
        ({"reports_to": {"zhao": "chen", "ghost": "chen"}}, "reports_to"),
        ({"required": ["crisis_lead", "crisis_lead"]}, "required"),
        ({"at": NAIVE}, "at"),
        ({"level": "III"}, "level"),
        ({"max_span": 0}, "max_span"),
    ],
)
def test_an_inconsistent_team_is_refused_naming_the_field(
    changes: dict[str, Any], field: str
) -> None:
    with pytest.raises((ValidationError, InvalidTypeError)) as caught:
        _team(**changes)
    assert field == caught.value.field  # type: ignore[attr-defined]


def test_a_cycle_below_the_lead_is_refused() -> None:
    with pytest.raises(ValidationError, match="cycle"):
        _team(
            required=["crisis_lead", "ops_expert", "scribe"],
            assignments={
                "crisis_lead": ["chen"],
                "ops_expert": ["zhao"],
                "scribe": ["lin"],
            },
            uncovered=[],
            reports_to={"zhao": "lin", "lin": "zhao"},
        )


def test_a_deputy_needs_a_lead_and_must_hold_deputy_lead_when_assigned() -> None:
    with pytest.raises(ValidationError, match="no lead"):
        _team(
            assignments={"ops_expert": ["zhao"]},
            uncovered=["crisis_lead", "scribe"],
            lead=None,
            deputy="zhao",
            reports_to={},
        )
    with pytest.raises(ValidationError, match="'deputy_lead'"):
        _team(
            required=["crisis_lead", "deputy_lead"],
            assignments={"crisis_lead": ["chen"], "deputy_lead": ["lin"]},
            uncovered=[],
            deputy="zhao",
            reports_to={"lin": "chen", "zhao": "chen"},
        )


def test_team_queries_refuse_bad_keys() -> None:
    team = _team()
    with pytest.raises(UnknownKeyError, match="team member"):
        team.roles_of("ghost")
    with pytest.raises(UnknownKeyError):
        team.direct_reports("ghost")
    with pytest.raises(UnknownKeyError):
        team.chain_of_command("ghost")
    with pytest.raises(ValidationError):
        team.members_for("Ops Expert")
    with pytest.raises(InvalidTypeError):
        team.member_for(3)  # type: ignore[arg-type]


# --- bad input for assembly and its values --------------------------------------------


def test_assemble_team_refuses_bad_arguments() -> None:
    roster = INVENTORY_ROSTER
    kind = "supply_chain.inventory"
    level = ResponseLevel.III
    with pytest.raises(NaiveDatetimeError):
        assemble_team(kind, level, roster, at=NAIVE)
    with pytest.raises(
        UnknownKeyError, match=r"did you mean 'supply_chain\.inventory'"
    ):
        assemble_team("supply_chain.inventroy", level, roster, at=AT)
    with pytest.raises(InvalidTypeError, match="crisis_type"):
        assemble_team(3, level, roster, at=AT)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="level"):
        assemble_team(kind, "III", roster, at=AT)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="roster"):
        assemble_team(kind, level, "chen", at=AT)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match=r"'roster\[1\]' must be a Member"):
        assemble_team(kind, level, [_member("a"), "chen"], at=AT)  # type: ignore[list-item]
    with pytest.raises(InvalidTypeError, match="'roster'"):
        assemble_team(kind, level, {"chen": _member("chen")}, at=AT)  # type: ignore[dict-item]
    with pytest.raises(DuplicateKeyError):
        assemble_team(kind, level, [_member("a"), _member("a")], at=AT)
    with pytest.raises(InvalidTypeError, match="roles"):
        assemble_team(kind, level, roster, at=AT, roles=["scribe"])  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="catalog"):
        assemble_team(kind, level, roster, at=AT, catalog={})  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="policy"):
        assemble_team(kind, level, roster, at=AT, policy={})  # type: ignore[arg-type]


def test_unknown_role_keys_are_refused_naming_where_they_are() -> None:
    typo = [_member("chen", "crisis_lead", "ops_expret")]
    with pytest.raises(UnknownKeyError) as caught:
        assemble_team("supply_chain.inventory", ResponseLevel.III, typo, at=AT)
    assert "roster['chen'].roles" in str(caught.value)
    assert ("ops_expert",) == caught.value.suggestions

    policy = StaffingPolicy(level_roles={ResponseLevel.I: ["scribbler"]})
    with pytest.raises(UnknownKeyError, match=r"policy.level_roles\[I\]"):
        assemble_team(
            "supply_chain.inventory", ResponseLevel.I, [], at=AT, policy=policy
        )
    policy = StaffingPolicy(headcount={"agent": 2})
    with pytest.raises(UnknownKeyError, match=r"policy\.headcount"):
        assemble_team(
            "supply_chain.inventory", ResponseLevel.I, [], at=AT, policy=policy
        )
    without_lead = default_roles().without("crisis_lead")
    with pytest.raises(UnknownKeyError, match="crisis_lead"):
        assemble_team(
            "supply_chain.inventory", ResponseLevel.I, [], at=AT, roles=without_lead
        )


def test_a_failed_assembly_changes_nothing() -> None:
    before = _round_trip(INVENTORY_ROSTER)
    with pytest.raises(NaiveDatetimeError):
        assemble_team(
            "supply_chain.inventory", ResponseLevel.III, INVENTORY_ROSTER, at=NAIVE
        )
    assert before == INVENTORY_ROSTER


@pytest.mark.parametrize(
    ("build", "error", "field"),
    [
        (lambda: _window(_tp(11, 9), _tp(11, 9)), ValidationError, "end"),
        (lambda: _window(_tp(11, 9), _tp(11, 8)), ValidationError, "end"),
        (lambda: _window(NAIVE, _tp(11, 9)), NaiveDatetimeError, "start"),
        (lambda: AvailabilityWindow(start=AT, end="tomorrow"), InvalidTypeError, "end"),  # type: ignore[arg-type]
        (lambda: Member(key="Chen", name="Chen"), ValidationError, "key"),
        (lambda: Member(key="chen", name=" "), ValidationError, "name"),
        (
            lambda: Member(key="c", name="C", roles=["ops.expert"]),
            ValidationError,
            "roles[0]",
        ),
        (
            lambda: Member(key="c", name="C", roles=["scribe", "scribe"]),
            ValidationError,
            "roles",
        ),
        (lambda: Member(key="c", name="C", roles="scribe"), InvalidTypeError, "roles"),
        (
            lambda: Member(key="c", name="C", skills=["a", "a"]),
            ValidationError,
            "skills",
        ),
        (
            lambda: Member(key="c", name="C", availability=[(AT, AT + HOUR)]),
            InvalidTypeError,
            "availability[0]",
        ),
        (
            lambda: StaffingPolicy(level_roles=["scribe"]),
            InvalidTypeError,
            "level_roles",
        ),
        (
            lambda: StaffingPolicy(level_roles={"I": ["scribe"]}),
            InvalidTypeError,
            "level_roles key",
        ),
        (
            lambda: StaffingPolicy(level_roles={ResponseLevel.I: ["scribe", "scribe"]}),
            ValidationError,
            "level_roles[I]",
        ),
        (
            lambda: StaffingPolicy(level_roles={ResponseLevel.I: ["Scribe"]}),
            ValidationError,
            "level_roles[I][0]",
        ),
        (
            lambda: StaffingPolicy(headcount={"scribe": 0}),
            ValidationError,
            "headcount['scribe']",
        ),
        (
            lambda: StaffingPolicy(headcount={"scribe": 1.5}),
            InvalidTypeError,
            "headcount['scribe']",
        ),
        (
            lambda: StaffingPolicy(headcount={"crisis_lead": 2}),
            ValidationError,
            "headcount['crisis_lead']",
        ),
        (lambda: StaffingPolicy(max_span=0), ValidationError, "max_span"),
        (lambda: StaffingPolicy(max_span=True), InvalidTypeError, "max_span"),
        (
            lambda: SpanOfControlWarning(supervisor="a", direct_reports=["b"], limit=0),
            ValidationError,
            "limit",
        ),
    ],
)
def test_bad_values_are_refused_naming_the_field(
    build: Any, error: type[Exception], field: str
) -> None:
    with pytest.raises(error) as caught:
        build()
    assert field == caught.value.field  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("call", "error"),
    [
        (lambda: _window(_tp(11), _tp(12)).contains(NAIVE), NaiveDatetimeError),
        (lambda: _member("c").is_available(NAIVE), NaiveDatetimeError),
        (lambda: _member("c").is_available("now"), InvalidTypeError),  # type: ignore[arg-type]
        (lambda: _member("c").can_fill("Scribe"), ValidationError),
        (lambda: INVENTORY_ROSTER.available_at(NAIVE), NaiveDatetimeError),
        (
            lambda: INVENTORY_ROSTER.qualified_for("scribe", at=NAIVE),
            NaiveDatetimeError,
        ),
        (lambda: INVENTORY_ROSTER.qualified_for("ops.expert"), ValidationError),
        (lambda: StaffingPolicy().roles_for("I"), InvalidTypeError),  # type: ignore[arg-type]
        (lambda: StaffingPolicy().wanted(""), ValidationError),
    ],
)
def test_bad_arguments_to_queries_are_refused(
    call: Any, error: type[Exception]
) -> None:
    with pytest.raises(error):
        call()


# --- escalation -----------------------------------------------------------------------


def _times(notices: tuple[EscalationNotice, ...]) -> list[tuple[str, tuple[str, ...]]]:
    return [(notice.at.isoformat(), notice.notify) for notice in notices]


def test_the_default_chain_by_hand_for_every_level() -> None:
    chain = default_escalation_chain()

    assert [
        (
            "2026-11-11T09:00:00+08:00",
            ("crisis_lead", "deputy_lead", "comms_liaison", "senior_management"),
        ),
        ("2026-11-11T09:15:00+08:00", ("legal_counsel",)),
    ] == _times(chain.schedule(ResponseLevel.I, AT))
    assert [
        ("2026-11-11T09:00:00+08:00", ("crisis_lead", "deputy_lead")),
        ("2026-11-11T09:30:00+08:00", ("senior_management", "comms_liaison")),
        ("2026-11-11T10:00:00+08:00", ("legal_counsel",)),
    ] == _times(chain.schedule(ResponseLevel.II, AT))
    assert [
        ("2026-11-11T09:00:00+08:00", ("crisis_lead",)),
        ("2026-11-11T11:00:00+08:00", ("senior_management",)),
    ] == _times(chain.schedule(ResponseLevel.III, AT))
    assert [
        ("2026-11-11T09:00:00+08:00", ("crisis_lead",)),
        ("2026-11-12T09:00:00+08:00", ("senior_management",)),
    ] == _times(chain.schedule(ResponseLevel.IV, AT))
    assert chain is chain.check_roles(default_roles())


def test_who_has_been_notified_by_a_moment() -> None:
    chain = default_escalation_chain()

    assert ("crisis_lead", "deputy_lead") == chain.notified_by(
        ResponseLevel.II, AT, AT + 29 * MINUTE + dt.timedelta(seconds=59)
    )
    assert (
        "crisis_lead",
        "deputy_lead",
        "senior_management",
        "comms_liaison",
    ) == chain.notified_by(ResponseLevel.II, AT, AT + 30 * MINUTE)
    assert () == chain.notified_by(ResponseLevel.II, AT, AT - MINUTE)
    assert 30 * MINUTE == chain.first_notice(ResponseLevel.II, "senior_management")
    assert chain.first_notice(ResponseLevel.III, "legal_counsel") is None


def test_who_has_been_notified_in_the_hour_a_zone_falls_back() -> None:
    # Declared at 01:20 EDT on 1 November 2026 at Level II: senior management
    # is due 30 minutes later, at 01:50 EDT. At 01:10 EST (40 minutes later in
    # real time, though its wall clock reads earlier) it has been notified.
    declared = dt.datetime(2026, 11, 1, 1, 20, tzinfo=NEW_YORK)
    later = dt.datetime(2026, 11, 1, 1, 10, fold=1, tzinfo=NEW_YORK)

    assert (
        "crisis_lead",
        "deputy_lead",
        "senior_management",
        "comms_liaison",
    ) == default_escalation_chain().notified_by(ResponseLevel.II, declared, later)


def test_escalation_delays_are_elapsed_time_across_daylight_saving() -> None:
    # New York springs forward at 02:00 on Sunday 8 March 2026: 24 hours after
    # Saturday 12:00 EST is Sunday 13:00 EDT.
    declared = dt.datetime(2026, 3, 7, 12, tzinfo=NEW_YORK)
    notices = default_escalation_chain().schedule(ResponseLevel.IV, declared)

    assert "2026-03-08T13:00:00-04:00" == notices[1].at.isoformat()
    # (instants in one ZoneInfo subtract as wall times; compare in UTC)
    assert 24 * HOUR == notices[1].at.astimezone(UTC) - notices[0].at.astimezone(UTC)


def _chain(**levels: list[EscalationStep]) -> EscalationChain:
    steps = {
        ResponseLevel.I: [EscalationStep(after=0 * MINUTE, notify=["crisis_lead"])],
        ResponseLevel.II: [EscalationStep(after=0 * MINUTE, notify=["crisis_lead"])],
        ResponseLevel.III: [EscalationStep(after=0 * MINUTE, notify=["crisis_lead"])],
        ResponseLevel.IV: [EscalationStep(after=0 * MINUTE, notify=["crisis_lead"])],
    }
    for name, value in levels.items():
        steps[ResponseLevel(name)] = value
    return EscalationChain(steps=steps)


def test_a_valid_custom_chain() -> None:
    chain = _chain(
        I=[
            EscalationStep(after=0 * MINUTE, notify=["crisis_lead"]),
            EscalationStep(after=5 * MINUTE, notify=["senior_management"]),
        ]
    )

    assert 5 * MINUTE == chain.first_notice(ResponseLevel.I, "senior_management")
    assert chain == _round_trip(chain)


@pytest.mark.parametrize(
    ("build", "error", "match"),
    [
        (
            lambda: EscalationChain(
                steps={ResponseLevel.I: [EscalationStep(after=HOUR, notify=["scribe"])]}
            ),
            ValidationError,
            "every level",
        ),
        (
            lambda: _chain(I=[]),
            ValidationError,
            r"steps\[I\]",
        ),
        (
            lambda: _chain(
                II=[
                    EscalationStep(after=HOUR, notify=["crisis_lead"]),
                    EscalationStep(after=HOUR, notify=["scribe"]),
                ]
            ),
            ValidationError,
            r"steps\[II\]\[1\].after",
        ),
        (
            lambda: _chain(
                II=[
                    EscalationStep(after=0 * HOUR, notify=["crisis_lead"]),
                    EscalationStep(after=HOUR, notify=["crisis_lead"]),
                ]
            ),
            ValidationError,
            "already notified",
        ),
        (
            lambda: _chain(III=[EscalationStep(after=HOUR, notify=["crisis_lead"])]),
            ValidationError,
            "less severe Level IV",
        ),
        (
            # Level IV reaches senior management; Level III, more severe,
            # would never reach it at all.
            lambda: _chain(
                IV=[
                    EscalationStep(after=0 * HOUR, notify=["crisis_lead"]),
                    EscalationStep(after=HOUR, notify=["senior_management"]),
                ]
            ),
            ValidationError,
            r"steps\[III\].*less severe Level IV notifies it",
        ),
        (
            lambda: _chain(I=["crisis_lead"]),  # type: ignore[list-item]
            InvalidTypeError,
            "an EscalationStep",
        ),
        (
            lambda: EscalationChain(steps={"I": []}),
            InvalidTypeError,
            "ResponseLevel",
        ),
        (lambda: EscalationChain(steps=[]), InvalidTypeError, "steps"),
        (
            lambda: EscalationStep(after=-MINUTE, notify=["crisis_lead"]),
            ValidationError,
            "after",
        ),
        (
            lambda: EscalationStep(after=15, notify=["crisis_lead"]),  # type: ignore[arg-type]
            InvalidTypeError,
            "after",
        ),
        (lambda: EscalationStep(after=MINUTE, notify=[]), ValidationError, "notify"),
        (
            lambda: EscalationStep(after=MINUTE, notify=["scribe", "scribe"]),
            ValidationError,
            "notify",
        ),
        (
            lambda: EscalationNotice(
                level=ResponseLevel.I, at=NAIVE, after=MINUTE, notify=["scribe"]
            ),
            NaiveDatetimeError,
            "at",
        ),
    ],
)
def test_a_bad_chain_is_refused(build: Any, error: type[Exception], match: str) -> None:
    with pytest.raises(error, match=match):
        build()


def test_chain_queries_refuse_bad_arguments() -> None:
    chain = default_escalation_chain()
    with pytest.raises(NaiveDatetimeError):
        chain.schedule(ResponseLevel.I, NAIVE)
    with pytest.raises(NaiveDatetimeError):
        chain.notified_by(ResponseLevel.I, AT, NAIVE)
    with pytest.raises(InvalidTypeError):
        chain.steps_for("I")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        chain.first_notice(ResponseLevel.I, "Crisis Lead")
    # One role vocabulary everywhere: a RoleCatalog or an iterable of keys.
    with pytest.raises(InvalidTypeError, match="'roles'"):
        chain.check_roles("crisis_lead")
    with pytest.raises(InvalidTypeError, match="'roles'"):
        chain.check_roles(default_catalog())  # type: ignore[arg-type]
    with pytest.raises(UnknownKeyError, match=r"steps\[I\]\[0\].notify"):
        chain.check_roles(["crisis_lead", "deputy_lead", "comms_liaison"])
    with pytest.raises(UnknownKeyError, match=r"steps\[I\]\[0\].notify"):
        chain.check_roles(default_roles().without("senior_management"))


# --- meeting cadence ------------------------------------------------------------------


def _clock(moments: tuple[dt.datetime, ...]) -> list[str]:
    return [moment.strftime("%d %H:%M") for moment in moments]


def test_level_one_meets_every_four_hours_around_the_clock() -> None:
    cadence = MeetingCadence.for_level(ResponseLevel.I, AT)

    assert 6 == len(cadence.series)
    assert _tp(11, 13) == cadence.next_meeting(_tp(11, 10, 30))
    assert _tp(11, 13) == cadence.next_meeting(_tp(11, 9))  # strictly after
    assert _tp(12, 1) == cadence.next_meeting(_tp(11, 21))
    assert [
        "11 09:00",
        "11 13:00",
        "11 17:00",
        "11 21:00",
        "12 01:00",
        "12 05:00",
        "12 09:00",
    ] == _clock(cadence.meetings(AT, AT + 24 * HOUR))


def test_the_other_levels_by_hand() -> None:
    second = MeetingCadence.for_level(ResponseLevel.II, AT)
    third = MeetingCadence.for_level(ResponseLevel.III, AT)
    fourth = MeetingCadence.for_level(ResponseLevel.IV, AT)

    assert ["11 09:00", "11 17:00", "12 01:00", "12 09:00"] == _clock(
        second.meetings(AT, AT + 24 * HOUR)
    )
    assert _tp(12) == third.next_meeting(AT)
    assert _tp(18) == fourth.next_meeting(AT)
    assert _tp(25) == fourth.next_meeting(_tp(18))
    assert MeetingCadence.every(ResponseLevel.IV, AT, hours=168) == fourth


def test_meetings_keep_their_wall_clock_time_across_daylight_saving() -> None:
    start = dt.datetime(2026, 3, 7, 9, tzinfo=NEW_YORK)
    cadence = MeetingCadence.for_level(ResponseLevel.III, start)
    following = cadence.next_meeting(start)

    assert following is not None
    assert "2026-03-08T09:00:00-04:00" == following.isoformat()


def test_a_cadence_can_end() -> None:
    cadence = MeetingCadence(
        level=ResponseLevel.III,
        series=[Recurrence(frequency=Frequency.DAILY, start=AT, count=2)],
    )

    assert _tp(12) == cadence.next_meeting(AT)
    assert cadence.next_meeting(_tp(12)) is None


@pytest.mark.parametrize(
    ("call", "error", "match"),
    [
        (
            lambda: MeetingCadence.every(ResponseLevel.I, AT, hours=5),
            ValidationError,
            "hours",
        ),
        (
            lambda: MeetingCadence.every(ResponseLevel.I, AT, hours=0),
            ValidationError,
            "hours",
        ),
        (
            lambda: MeetingCadence.every(ResponseLevel.I, AT, hours=36),
            ValidationError,
            "hours",
        ),
        (
            lambda: MeetingCadence.every(ResponseLevel.I, NAIVE, hours=4),
            NaiveDatetimeError,
            "start",
        ),
        (lambda: MeetingCadence.for_level("I", AT), InvalidTypeError, "level"),  # type: ignore[arg-type]
        (
            lambda: MeetingCadence(level=ResponseLevel.I, series=[]),
            ValidationError,
            "series",
        ),
        (
            lambda: MeetingCadence(
                level=ResponseLevel.I,
                series=[Recurrence(frequency=Frequency.DAILY, start=AT)] * 2,
            ),
            ValidationError,
            "without repeats",
        ),
        (
            lambda: MeetingCadence(level=ResponseLevel.I, series=[AT]),
            InvalidTypeError,
            "series",
        ),
        (
            lambda: MeetingCadence.for_level(ResponseLevel.I, AT).next_meeting(NAIVE),
            NaiveDatetimeError,
            "after",
        ),
        (
            lambda: MeetingCadence.for_level(ResponseLevel.I, AT).meetings(_tp(12), AT),
            ValidationError,
            "before",
        ),
    ],
)
def test_bad_cadences_are_refused(
    call: Any, error: type[Exception], match: str
) -> None:
    with pytest.raises(error, match=match):
        call()


def test_frozen_values_cannot_be_changed() -> None:
    team = _team()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        team.lead = "zhao"  # type: ignore[misc]
    assert isinstance(team.assignments, FrozenDict)
