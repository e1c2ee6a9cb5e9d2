"""Playbooks (預案): steps, the critical path method, activation (book §4, §5)."""

from __future__ import annotations

import datetime as dt
import itertools
import json
import re
from typing import Any
from zoneinfo import ZoneInfo

import networkx as nx
import numpy as np
import pytest
from dateutil import tz
from dateutil.relativedelta import FR, relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops._crisis_types import ROLE_KEYS
from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    NaiveDatetimeError,
    SerializationError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.labels import Labels
from crisisops.planning.playbooks import (
    TARGET_RESPONSE,
    ActionPlan,
    DeadlineOffset,
    PlannedAction,
    Playbook,
    PlaybookCatalog,
    PlaybookStep,
    Schedule,
    StrategyFamily,
    activate,
    default_playbooks,
)
from crisisops.planning.roles import default_roles
from crisisops.serialization import from_data, to_data
from crisisops.taxonomy import ResponseLevel, default_catalog
from tests.strategies import aware_datetimes, labels, texts

TAIPEI = dt.timezone(dt.timedelta(hours=8))
UTC = dt.timezone.utc


def hours(n: float) -> dt.timedelta:
    return dt.timedelta(hours=n)


def _name(text: str) -> Labels:
    return Labels(en=text, zh_hant=text, zh_hans=text)


def step(
    key: str,
    duration: float = 1,
    after: tuple[str, ...] = (),
    *,
    owner: str = "crisis_lead",
    deadline: Any = None,
    communication: bool = False,
    resources: dict[str, float] | None = None,
) -> PlaybookStep:
    return PlaybookStep(
        key=key,
        title=f"Do {key}",
        owner_role=owner,
        deadline=hours(48) if deadline is None else deadline,
        duration=hours(duration),
        depends_on=after,
        done_when=f"{key} is done",
        is_communication=communication,
        resources=resources or {},
        families=[StrategyFamily.TEAM],
    )


def playbook(*steps: PlaybookStep, key: str = "drill", **fields: Any) -> Playbook:
    return Playbook(key=key, labels=_name(key), steps=steps, **fields)


class Team:
    """A tiny stand-in for planning.team.Team: only member_for."""

    def __init__(self, members: dict[str, str]) -> None:
        self.members = members
        self.asked: list[str] = []

    def member_for(self, role_key: str) -> str | None:
        self.asked.append(role_key)
        return self.members.get(role_key)


# The hand-worked network: A(3) → B(2), A → C(4), B → D(1), C → D, D → E(2),
# and F(1) on its own. Forward pass: A 0–3, B 3–5, C 3–7, D max(5, 7)=7–8,
# E 8–10, F 0–1; total 10 h. Backward pass from 10: E 8–10, D 7–8, C 3–7,
# B 5–7 (latest start = D's 7 − 2), A min(5, 3) − 3 = 0–3, F 9–10.
# Slack (LS − ES): A 0, B 2, C 0, D 0, E 0, F 9; critical path A C D E.
HAND = playbook(
    step("a", 3),
    step("b", 2, ("a",)),
    step("c", 4, ("a",)),
    step("d", 1, ("b", "c")),
    step("e", 2, ("d",)),
    step("f", 1),
)


# --- strategy families ---------------------------------------------------------


def test_the_five_strategy_families_carry_the_book_terms() -> None:
    terms = {family: family.labels.zh_hant for family in StrategyFamily}

    assert {
        StrategyFamily.COMMUNICATION: "溝通策略",
        StrategyFamily.TEAM: "危機處理團隊組建",
        StrategyFamily.RESOURCES: "資源調配",
        StrategyFamily.LEGAL_RISK: "法律風險防控",
        StrategyFamily.DRILLS: "預案制定與演練",
    } == terms
    assert "资源调配" == StrategyFamily.RESOURCES.labels.zh_hans
    assert StrategyFamily.DRILLS.book_section.startswith("§4")


# --- deadline offsets ------------------------------------------------------------


def test_offsets_come_from_timedeltas_and_relativedeltas() -> None:
    assert DeadlineOffset(delta=hours(4)) == DeadlineOffset.of(hours(4))
    # 1 year 2 months = 14 calendar months; 3 days 4 hours stay as the delta
    assert DeadlineOffset(
        months=14, delta=dt.timedelta(days=3, hours=4)
    ) == DeadlineOffset.of(relativedelta(years=1, months=2, days=3, hours=4))
    offset = DeadlineOffset(months=1)
    assert offset is DeadlineOffset.of(offset)
    assert (
        relativedelta(months=1, days=2)
        == DeadlineOffset(months=1, delta=dt.timedelta(days=2)).to_relativedelta()
    )


@pytest.mark.parametrize(
    ("offset", "text"),
    [
        (DeadlineOffset(), "PT0S"),
        (DeadlineOffset(months=1), "P1M"),
        (DeadlineOffset(delta=dt.timedelta(days=2, hours=3, minutes=5)), "P2DT3H5M"),
        (DeadlineOffset(months=2, delta=dt.timedelta(seconds=7)), "P2MT7S"),
        (DeadlineOffset(delta=dt.timedelta(seconds=1, microseconds=5)), "PT1.000005S"),
    ],
)
def test_offsets_print_as_iso_8601_durations(offset: DeadlineOffset, text: str) -> None:
    assert text == str(offset)


@pytest.mark.parametrize(
    ("at", "offset", "due"),
    [
        # month ends clip to the last day of the shorter month (dateutil rules)
        (
            dt.datetime(2026, 1, 31, 9, tzinfo=TAIPEI),
            relativedelta(months=1),
            dt.datetime(2026, 2, 28, 9, tzinfo=TAIPEI),
        ),
        (
            dt.datetime(2028, 1, 31, 9, tzinfo=TAIPEI),
            relativedelta(months=1),
            dt.datetime(2028, 2, 29, 9, tzinfo=TAIPEI),
        ),
        (
            dt.datetime(2026, 3, 31, 18, tzinfo=UTC),
            relativedelta(months=1, hours=12),
            dt.datetime(2026, 5, 1, 6, tzinfo=UTC),  # 30 April 18:00 + 12 h
        ),
        (
            dt.datetime(2026, 12, 31, 23, tzinfo=UTC),
            dt.timedelta(hours=2),
            dt.datetime(2027, 1, 1, 1, tzinfo=UTC),
        ),
    ],
)
def test_due_dates_are_worked_out_on_the_calendar(
    at: dt.datetime, offset: Any, due: dt.datetime
) -> None:
    actual = DeadlineOffset.of(offset).apply(at)

    assert due == actual
    assert at.tzinfo is actual.tzinfo


@pytest.mark.parametrize(
    "bad",
    [
        dt.timedelta(hours=-1),
        relativedelta(days=-1),
        relativedelta(months=1, days=-1),  # "a month less a day" is refused too
        relativedelta(years=-1),
    ],
)
def test_negative_offsets_are_rejected(bad: Any) -> None:
    with pytest.raises(ValidationError, match="'deadline'"):
        DeadlineOffset.of(bad)
    with pytest.raises(ValidationError, match="'deadline'"):
        step("x", deadline=bad)


@pytest.mark.parametrize(
    "bad", [relativedelta(day=31), relativedelta(weekday=FR), relativedelta(leapdays=1)]
)
def test_absolute_relativedelta_fields_are_rejected(bad: relativedelta) -> None:
    with pytest.raises(ValidationError, match="a relative offset"):
        DeadlineOffset.of(bad)


def test_bad_offsets_are_rejected() -> None:
    with pytest.raises(InvalidTypeError, match="'deadline'"):
        DeadlineOffset.of(5)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'deadline'"):
        step("x", deadline="P1D")
    with pytest.raises(ValidationError, match="'months'"):
        DeadlineOffset(months=-1)
    with pytest.raises(InvalidTypeError, match="'months'"):
        DeadlineOffset(months=True)
    with pytest.raises(InvalidTypeError, match="'delta'"):
        DeadlineOffset(delta=5)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="'delta'"):
        DeadlineOffset(delta=hours(-2))
    with pytest.raises(NaiveDatetimeError, match="'at'"):
        DeadlineOffset(months=1).apply(dt.datetime(2026, 1, 1))  # noqa: DTZ001
    with pytest.raises(ValidationError, match="'at'"):
        DeadlineOffset(months=1).apply(dt.datetime(9999, 12, 15, tzinfo=UTC))


# --- steps ----------------------------------------------------------------------


def test_a_step_keeps_what_it_was_given() -> None:
    made = step(
        "notify_users",
        2,
        ("scope",),
        owner="marketing_pr",
        deadline=relativedelta(days=3),
        communication=True,
        resources={"people.customer_service": 16},
    )

    assert DeadlineOffset(delta=dt.timedelta(days=3)) == made.deadline
    assert ("scope",) == made.depends_on
    assert {"people.customer_service": 16.0} == made.resources
    assert isinstance(made.resources["people.customer_service"], float)
    assert made.is_communication
    assert None is made.labels


@pytest.mark.parametrize(
    ("field", "value", "error"),
    [
        ("key", "Assess", ValidationError),
        ("key", "assess.stock", ValidationError),
        ("title", " ", ValidationError),
        ("owner_role", "crisis lead", ValidationError),
        ("owner_role", 7, InvalidTypeError),
        ("duration", hours(-1), ValidationError),
        ("duration", 3600, InvalidTypeError),
        ("done_when", "", ValidationError),
        ("depends_on", ["a", "a"], ValidationError),
        ("depends_on", "a", InvalidTypeError),
        ("resources", {"people": -1}, ValidationError),
        ("resources", {"people": float("nan")}, ValidationError),
        ("resources", {"People Hours": 1}, ValidationError),
        ("resources", {"people": "many"}, InvalidTypeError),
        ("resources", [("people", 1)], InvalidTypeError),
        ("is_communication", "yes", InvalidTypeError),
        ("families", ["communication"], InvalidTypeError),
        ("families", [StrategyFamily.TEAM, StrategyFamily.TEAM], ValidationError),
        ("labels", "Assess", InvalidTypeError),
    ],
)
def test_bad_steps_are_rejected_naming_the_field(
    field: str, value: object, error: type[Exception]
) -> None:
    fields: dict[str, Any] = {
        "key": "assess",
        "title": "Assess",
        "owner_role": "crisis_lead",
        "deadline": hours(4),
        "duration": hours(1),
        "done_when": "Assessed",
    }
    fields[field] = value

    with pytest.raises(error, match=re.escape(field)):
        PlaybookStep(**fields)


def test_a_step_cannot_depend_on_itself() -> None:
    with pytest.raises(ValidationError, match="cannot depend on itself"):
        step("a", 1, ("a",))


# --- the critical path method, by hand ---------------------------------------------


def test_the_hand_worked_network() -> None:
    schedule = HAND.schedule()
    timings = {t.key: t for t in schedule.timings()}

    assert ("a", "c", "d", "e") == schedule.critical_path
    assert ("a", "c", "d", "e") == HAND.critical_path()
    assert hours(10) == schedule.total_duration == HAND.total_duration()
    assert {
        "a": (0, 3, 0, 3),
        "b": (3, 5, 5, 7),
        "c": (3, 7, 3, 7),
        "d": (7, 8, 7, 8),
        "e": (8, 10, 8, 10),
        "f": (0, 1, 9, 10),
    } == {
        key: tuple(
            int(x / hours(1))
            for x in (
                t.earliest_start,
                t.earliest_finish,
                t.latest_start,
                t.latest_finish,
            )
        )
        for key, t in timings.items()
    }
    assert {"a": 0, "b": 2, "c": 0, "d": 0, "e": 0, "f": 9} == {
        key: t.slack / hours(1) for key, t in timings.items()
    }
    assert ("a", "c", "d", "e") == schedule.critical_steps
    assert timings["c"].critical
    assert not timings["b"].critical
    assert [0, 2, 0, 0, 0, 9] == (schedule.slack_us // 3_600_000_000).tolist()


def test_ties_go_to_the_earlier_step() -> None:
    # A(1) → B(2) → D(1) and A → C(2) → D: both paths last 4 h. Both B and C
    # have zero slack; the path takes B, the earlier of the two.
    tied = playbook(
        step("a", 1),
        step("b", 2, ("a",)),
        step("c", 2, ("a",)),
        step("d", 1, ("b", "c")),
    )

    assert ("a", "b", "d") == tied.critical_path()
    assert ("a", "b", "c", "d") == tied.schedule().critical_steps


def test_zero_duration_milestones_end_the_path() -> None:
    # start (0 h) → work (2 h) → done (0 h): the milestone "done" finishes at 2 h
    milestones = playbook(
        step("start", 0), step("work", 2, ("start",)), step("done", 0, ("work",))
    )

    assert ("start", "work", "done") == milestones.critical_path()
    assert hours(2) == milestones.total_duration()


def test_a_single_step_is_its_own_critical_path() -> None:
    single = playbook(step("only", 1.5))

    assert ("only",) == single.critical_path()
    assert hours(1.5) == single.total_duration()


def test_the_target_response_times_are_our_documented_choice() -> None:
    assert {
        ResponseLevel.I: hours(24),
        ResponseLevel.II: hours(48),
        ResponseLevel.III: hours(72),
        ResponseLevel.IV: dt.timedelta(days=7),
    } == dict(TARGET_RESPONSE)


def test_meets_target_compares_the_critical_path_with_the_level() -> None:
    long = playbook(step("a", 20), step("b", 10, ("a",)))  # 30 h

    assert HAND.meets_target(ResponseLevel.I)  # 10 h <= 24 h
    assert not long.meets_target(ResponseLevel.I)  # 30 h > 24 h
    assert long.meets_target(ResponseLevel.II)  # 30 h <= 48 h
    assert not long.meets_target(
        ResponseLevel.IV, targets={ResponseLevel.IV: hours(29)}
    )
    exact = playbook(step("a", 24))
    assert exact.meets_target(ResponseLevel.I)  # the target itself fits


def test_meets_target_rejects_bad_input() -> None:
    with pytest.raises(InvalidTypeError, match="'level'"):
        HAND.meets_target("I")  # type: ignore[arg-type]
    with pytest.raises(UnknownKeyError, match="response level"):
        HAND.meets_target(ResponseLevel.I, targets={ResponseLevel.II: hours(1)})
    with pytest.raises(InvalidTypeError, match="targets"):
        HAND.meets_target(ResponseLevel.I, targets={ResponseLevel.I: 24})  # type: ignore[dict-item]
    with pytest.raises(InvalidTypeError, match="'targets'"):
        HAND.meets_target(ResponseLevel.I, targets=[hours(1)])  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match=r"'targets\[I\]'"):
        HAND.meets_target(ResponseLevel.I, targets={ResponseLevel.I: -hours(1)})


# --- playbook validation ---------------------------------------------------------


def test_a_cycle_is_named_in_the_error() -> None:
    with pytest.raises(ValidationError) as caught:
        playbook(
            step("start"),
            step("a", 1, ("start", "c")),
            step("b", 1, ("a",)),
            step("c", 1, ("b",)),
            step("after", 1, ("c",)),  # downstream of the cycle, not in it
        )

    named = caught.value.value
    assert named in {"a → b → c → a", "b → c → a → b", "c → a → b → c"}
    assert "'steps'" in str(caught.value)
    assert named in str(caught.value)
    assert "after" not in named


def test_a_two_step_cycle_is_named() -> None:
    with pytest.raises(ValidationError, match=r"x → y → x|y → x → y"):
        playbook(step("x", 1, ("y",)), step("y", 1, ("x",)))


def test_unknown_dependencies_get_suggestions() -> None:
    with pytest.raises(UnknownKeyError) as caught:
        playbook(step("assess_stock"), step("contact", 1, ("asess_stock",)))

    assert ("assess_stock",) == caught.value.suggestions
    assert "steps[1].depends_on" in str(caught.value)


def test_repeated_step_keys_are_rejected() -> None:
    with pytest.raises(DuplicateKeyError, match="'a'"):
        playbook(step("a"), step("a"))


@pytest.mark.parametrize(
    ("fields", "error", "field"),
    [
        ({"key": "Bad Key"}, ValidationError, "key"),
        ({"labels": "Drill"}, InvalidTypeError, "labels"),
        ({"steps": []}, ValidationError, "steps"),
        ({"steps": ["a"]}, InvalidTypeError, "steps[0]"),
        ({"steps": "a"}, InvalidTypeError, "steps"),
        ({"crisis_types": ["Market"]}, ValidationError, "crisis_types[0]"),
        ({"crisis_types": ["market.x", "market.x"]}, ValidationError, "crisis_types"),
        ({"min_level": "IV"}, InvalidTypeError, "min_level"),
        ({"max_level": 1}, InvalidTypeError, "max_level"),
        (
            {"min_level": ResponseLevel.I, "max_level": ResponseLevel.III},
            ValidationError,
            "min_level",
        ),
        ({"description": "text"}, InvalidTypeError, "description"),
        ({"book_section": "chapter 4"}, ValidationError, "book_section"),
        ({"book_section": 4}, InvalidTypeError, "book_section"),
    ],
)
def test_bad_playbooks_are_rejected_naming_the_field(
    fields: dict[str, Any], error: type[Exception], field: str
) -> None:
    arguments: dict[str, Any] = {
        "key": "drill",
        "labels": _name("Drill"),
        "steps": [step("a")],
        **fields,
    }

    with pytest.raises(error, match=re.escape(f"'{field}'")):
        Playbook(**arguments)


def test_owner_roles_are_checked_against_a_vocabulary() -> None:
    plan = playbook(step("a", owner="ops_expert"), step("b", owner="suply_chain_lead"))

    fine = playbook(step("a", owner="ops_expert"))
    assert fine is fine.check_roles(ROLE_KEYS)
    with pytest.raises(UnknownKeyError) as caught:
        plan.check_roles(ROLE_KEYS)
    assert ("supply_chain_lead",) == caught.value.suggestions
    assert "steps[1].owner_role" in str(caught.value)

    # Any iterable of keys is a vocabulary, and so is a RoleCatalog.
    assert plan is plan.check_roles({"ops_expert", "suply_chain_lead"})
    assert fine is fine.check_roles(default_roles())
    with pytest.raises(UnknownKeyError, match=r"steps\[1\]\.owner_role"):
        plan.check_roles(default_roles())
    with pytest.raises(InvalidTypeError, match="'known'"):
        plan.check_roles("ops_expert")
    with pytest.raises(InvalidTypeError, match=r"'known\[0\]'"):
        plan.check_roles([1, 2])  # type: ignore[list-item]
    # A catalog of something other than roles is a mistake, not a vocabulary.
    with pytest.raises(InvalidTypeError, match="'known'"):
        plan.check_roles(default_catalog())  # type: ignore[arg-type]


def test_reading_a_playbook() -> None:
    plan = playbook(
        step("a", owner="ops_expert", resources={"people.ops_expert": 2}),
        step("b", 1, ("a",), owner="marketing_pr", communication=True),
        step("c", 1, ("a",), owner="ops_expert", resources={"people.ops_expert": 3}),
        min_level=ResponseLevel.III,
        max_level=ResponseLevel.II,
    )

    assert ("a", "b", "c") == plan.step_keys
    assert "marketing_pr" == plan.step("b").owner_role
    assert ("ops_expert", "marketing_pr") == plan.owner_roles()
    assert ("b",) == tuple(s.key for s in plan.communication_steps())
    assert {"people.ops_expert": 5.0} == plan.resource_totals()
    assert [False, True, True, False] == [plan.covers(level) for level in ResponseLevel]
    with pytest.raises(UnknownKeyError, match="did you mean 'b'"):
        plan.step("bb")
    with pytest.raises(InvalidTypeError, match="'key'"):
        plan.step(1)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'level'"):
        plan.covers("II")  # type: ignore[arg-type]


def test_the_graph_is_a_fresh_networkx_copy() -> None:
    graph = HAND.graph()

    assert {("a", "b"), ("a", "c"), ("b", "d"), ("c", "d"), ("d", "e")} == set(
        graph.edges
    )
    assert hours(4) == graph.nodes["c"]["duration"]
    graph.add_edge("e", "a")
    assert nx.is_directed_acyclic_graph(HAND.graph())


# --- the schedule value ------------------------------------------------------------


def test_schedule_timing_rejects_unknown_steps() -> None:
    schedule = HAND.schedule()

    with pytest.raises(UnknownKeyError, match="did you mean 'e'"):
        schedule.timing("ee")
    with pytest.raises(InvalidTypeError, match="'key'"):
        schedule.timing(3)  # type: ignore[arg-type]


def _schedule_fields() -> dict[str, Any]:
    return {
        "step_keys": ("a", "b"),
        "duration_us": [1, 2],
        "earliest_start_us": [0, 1],
        "earliest_finish_us": [1, 3],
        "latest_start_us": [0, 1],
        "latest_finish_us": [1, 3],
        "critical_path": ("a", "b"),
    }


@pytest.mark.parametrize(
    ("change", "error", "field"),
    [
        ({"duration_us": [1, 2, 3]}, ValidationError, "duration_us"),
        ({"duration_us": [[1, 2]]}, InvalidTypeError, "duration_us"),
        ({"duration_us": ["x", "y"]}, InvalidTypeError, "duration_us"),
        ({"earliest_finish_us": [1, 4]}, ValidationError, "earliest_finish_us"),
        (
            {"latest_start_us": [0, 0], "latest_finish_us": [1, 2]},
            ValidationError,
            "latest_start_us",
        ),
        ({"critical_path": ("a", "z")}, UnknownKeyError, "critical_path[1]"),
        ({"step_keys": ("a", "a")}, DuplicateKeyError, "'a'"),
        ({"step_keys": ()}, ValidationError, "step_keys"),
        (
            {
                "duration_us": [-1, 2],
                "earliest_finish_us": [-1, 3],
                "latest_finish_us": [-1, 3],
            },
            ValidationError,
            "duration_us",
        ),
    ],
)
def test_bad_schedules_are_rejected(
    change: dict[str, Any], error: type[Exception], field: str
) -> None:
    with pytest.raises(error, match=re.escape(field)):
        Schedule(**{**_schedule_fields(), **change})


def test_schedule_arrays_are_read_only() -> None:
    schedule = Schedule(**_schedule_fields())

    assert not schedule.earliest_start_us.flags.writeable
    assert np.int64 == schedule.duration_us.dtype
    with pytest.raises(ValueError, match="read-only"):
        schedule.duration_us[0] = 5


# --- property tests over random DAGs ------------------------------------------------


_DEADLINES = st.one_of(
    st.builds(dt.timedelta, hours=st.integers(0, 500)),
    st.builds(relativedelta, months=st.integers(0, 14), days=st.integers(0, 40)),
)
_RESOURCES = st.dictionaries(
    st.sampled_from(["people.agents", "money.budget", "stock"]),
    st.floats(0, 1e6, allow_nan=False),
    max_size=2,
)


@st.composite
def random_dags(
    draw: st.DrawFn, max_steps: int = 18, *, rich: bool = False
) -> Playbook:
    """Draw a playbook whose dependencies are a random DAG.

    Steps get a random topological position; each may depend on up to three
    steps placed before it. Step order in the playbook is a random
    permutation, so dependencies point both ways in the tuple. ``rich``
    also draws every optional field (for round trips); otherwise only the
    graph, durations and owners vary (fast, for the CPM properties).
    """
    n = draw(st.integers(1, max_steps))
    minutes = draw(st.lists(st.integers(0, 600), min_size=n, max_size=n))
    deps = [
        draw(st.lists(st.integers(0, i - 1), unique=True, max_size=3)) if i else []
        for i in range(n)
    ]
    owners = draw(st.lists(st.sampled_from(ROLE_KEYS[:5]), min_size=n, max_size=n))
    order = draw(st.permutations(range(n)))
    names = [f"s{i}" for i in range(n)]
    steps = []
    for i in range(n):
        extra: dict[str, Any] = {}
        if rich:
            extra = {
                "deadline": draw(_DEADLINES),
                "is_communication": draw(st.booleans()),
                "families": draw(
                    st.lists(st.sampled_from(StrategyFamily), unique=True)
                ),
                "resources": draw(_RESOURCES),
                "labels": draw(st.none() | labels),
            }
        steps.append(
            PlaybookStep(
                key=names[i],
                title=f"step {i}",
                owner_role=owners[i],
                duration=dt.timedelta(minutes=minutes[i]),
                depends_on=[names[j] for j in deps[i]],
                done_when="done",
                **{"deadline": dt.timedelta(hours=3 * i), **extra},
            )
        )
    rich_fields: dict[str, Any] = {}
    if rich:
        rich_fields = {
            "labels": draw(labels),
            "crisis_types": draw(
                st.lists(st.sampled_from(_TYPE_KEYS), unique=True, max_size=2)
            ),
            "description": draw(st.none() | labels),
        }
    return Playbook(
        key="random",
        labels=rich_fields.pop("labels", _name("random")),
        steps=[steps[i] for i in order],
        **rich_fields,
    )


_TYPE_KEYS = default_catalog().keys()


def _networkx_longest(plan: Playbook) -> dt.timedelta:
    """Longest path by node duration, via networkx: durations on edges out."""
    graph = nx.DiGraph()
    for s in plan.steps:
        weight = s.duration // dt.timedelta(microseconds=1)
        graph.add_edge("<start>", s.key, weight=0)
        graph.add_edge(s.key, "<end>", weight=weight)
        for dependency in s.depends_on:
            graph.add_edge(
                dependency,
                s.key,
                weight=plan.step(dependency).duration // dt.timedelta(microseconds=1),
            )
    return dt.timedelta(microseconds=nx.dag_longest_path_length(graph, weight="weight"))


@settings(max_examples=60, deadline=None)
@given(random_dags())
def test_cpm_invariants_hold_on_random_dags(plan: Playbook) -> None:
    schedule = plan.schedule()
    es, ef = schedule.earliest_start_us, schedule.earliest_finish_us
    ls, lf = schedule.latest_start_us, schedule.latest_finish_us
    position = {key: i for i, key in enumerate(schedule.step_keys)}
    total = schedule.total_duration // dt.timedelta(microseconds=1)

    # the critical path length is the largest earliest finish ...
    assert ef.max() == total
    path = [position[key] for key in schedule.critical_path]
    assert total == int(schedule.duration_us[path].sum())
    # ... and equals networkx's longest path
    assert _networkx_longest(plan) == schedule.total_duration
    # the path is a chain of dependencies with zero slack, from 0 to the end
    assert es[path[0]] == 0
    assert ef[path[-1]] == total
    for before, after in itertools.pairwise(schedule.critical_path):
        assert before in plan.step(after).depends_on
        assert ef[position[before]] == es[position[after]]
    assert (ls[path] == es[path]).all()
    # every step starts after its dependencies finish, slack is never negative
    for s in plan.steps:
        for dependency in s.depends_on:
            assert es[position[s.key]] >= ef[position[dependency]]
            assert lf[position[dependency]] <= ls[position[s.key]]
    assert (ls >= es).all()
    assert (lf <= total).all()


@settings(max_examples=30, deadline=None)
@given(random_dags(max_steps=12), aware_datetimes.filter(lambda d: d.year < 2150))
def test_activation_follows_the_schedule(plan: Playbook, at: dt.datetime) -> None:
    roles = list(dict.fromkeys(s.owner_role for s in plan.steps))
    team = Team({role: f"m_{role}" for role in roles[::2]})

    action_plan = activate(plan, "crisis-1", at, team)

    assert len(plan.steps) == len(action_plan.actions)
    assert len(set(team.asked)) == len(team.asked)  # one question per role
    schedule = plan.schedule()
    for action, s, timing in zip(
        action_plan.actions, plan.steps, schedule.timings(), strict=True
    ):
        assert s.key == action.key
        assert at + timing.earliest_start == action.scheduled_start
        assert at + timing.earliest_finish == action.scheduled_finish
        assert s.deadline.apply(at) == action.due
        assert team.members.get(s.owner_role) == action.owner
        assert timing.slack == action.slack
    unowned = {a.key for a in action_plan.unowned}
    assert {s.key for s in plan.steps if s.owner_role not in team.members} == unowned


# --- round trips -------------------------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(random_dags(max_steps=8, rich=True))
def test_playbooks_and_schedules_round_trip(plan: Playbook) -> None:
    document = json.loads(json.dumps(to_data(plan), allow_nan=False))
    back = from_data(Playbook, document)

    assert plan == back
    assert plan.schedule() == back.schedule()
    assert plan.schedule() == from_data(Schedule, to_data(plan.schedule()))
    for s in plan.steps:
        assert s == from_data(PlaybookStep, to_data(s))
        assert s.deadline == from_data(DeadlineOffset, to_data(s.deadline))


@settings(max_examples=20, deadline=None)
@given(
    random_dags(max_steps=6, rich=True),
    aware_datetimes.filter(lambda d: d.year < 2150),
    texts,
)
def test_action_plans_round_trip(plan: Playbook, at: dt.datetime, crisis: str) -> None:
    action_plan = activate(plan, crisis, at, Team({"crisis_lead": "ann"}))

    document = json.loads(json.dumps(to_data(action_plan)))

    assert action_plan == from_data(ActionPlan, document)
    first = action_plan.actions[0]
    assert first == from_data(PlannedAction, to_data(first))


def test_bad_documents_are_refused_with_their_path() -> None:
    document = to_data(HAND)
    document["data"]["steps"][1]["deadline"]["months"] = -1

    with pytest.raises(SerializationError, match=r"steps\[1\]\.deadline\.months"):
        from_data(Playbook, document)

    cyclic = to_data(HAND)
    cyclic["data"]["steps"][0]["depends_on"] = ["e"]
    with pytest.raises(SerializationError, match="no cycle"):
        from_data(Playbook, cyclic)


# --- activation ---------------------------------------------------------------------


def _stockout() -> Playbook:
    return playbook(
        step("assess_stock", 2, owner="supply_chain_lead", deadline=hours(4)),
        step(
            "contact_suppliers",
            6,
            ("assess_stock",),
            owner="supply_chain_lead",
            deadline=hours(12),
        ),
        step(
            "inform_customers",
            1,
            ("assess_stock",),
            owner="customer_service",
            deadline=hours(2),  # finishes at 3 h: late by design
            communication=True,
        ),
        step(
            "review",
            2,
            ("contact_suppliers", "inform_customers"),
            owner="crisis_lead",
            deadline=relativedelta(months=1),
        ),
        key="stockout",
    )


def test_activation_dates_by_hand_with_a_month_end() -> None:
    at = dt.datetime(2026, 1, 31, 20, 0, tzinfo=TAIPEI)
    team = Team({"supply_chain_lead": "mei", "crisis_lead": "lin"})

    plan = activate(_stockout(), "2026-01-peak", at, team)

    by_key = {a.key: a for a in plan.actions}
    # assess 20:00–22:00, due 20:00 + 4 h = 1 Feb 00:00
    assert (
        dt.datetime(2026, 1, 31, 22, tzinfo=TAIPEI)
        == by_key["assess_stock"].scheduled_finish
    )
    assert dt.datetime(2026, 2, 1, 0, tzinfo=TAIPEI) == by_key["assess_stock"].due
    # contact 22:00 → 04:00 next day; due 20:00 + 12 h = 08:00
    assert (
        dt.datetime(2026, 1, 31, 22, tzinfo=TAIPEI)
        == by_key["contact_suppliers"].scheduled_start
    )
    assert (
        dt.datetime(2026, 2, 1, 4, tzinfo=TAIPEI)
        == by_key["contact_suppliers"].scheduled_finish
    )
    assert dt.datetime(2026, 2, 1, 8, tzinfo=TAIPEI) == by_key["contact_suppliers"].due
    # review 04:00 → 06:00; one month after 31 January is 28 February
    assert (
        dt.datetime(2026, 2, 1, 6, tzinfo=TAIPEI) == by_key["review"].scheduled_finish
    )
    assert dt.datetime(2026, 2, 28, 20, tzinfo=TAIPEI) == by_key["review"].due
    # owners, the unowned action kept, lateness, the path
    assert ("mei", "mei", None, "lin") == tuple(a.owner for a in plan.actions)
    assert ("inform_customers",) == tuple(a.key for a in plan.unowned)
    assert ("inform_customers",) == tuple(a.key for a in plan.late)
    assert ("inform_customers",) == tuple(a.key for a in plan.communications)
    assert ("assess_stock", "contact_suppliers", "review") == plan.critical_path
    assert by_key["contact_suppliers"].critical
    assert not by_key["inform_customers"].critical
    assert hours(5) == by_key["inform_customers"].slack
    assert dt.datetime(2026, 2, 1, 6, tzinfo=TAIPEI) == plan.finish
    assert ("assess_stock", "contact_suppliers") == tuple(
        a.key for a in plan.by_owner("mei")
    )
    assert "2026-01-peak" == plan.crisis_key
    assert "stockout" == plan.playbook_key
    assert at == plan.activated_at
    assert "inform_customers" == plan.action("inform_customers").key
    assert not plan.action("inform_customers").is_owned


def test_activation_across_a_daylight_saving_change() -> None:
    # New York springs forward at 02:00 on Sunday 8 March 2026 (EST → EDT).
    new_york = tz.gettz("America/New_York")
    assert new_york is not None
    at = dt.datetime(2026, 3, 7, 20, 0, tzinfo=new_york)

    plan = activate(_stockout(), "dst", at, Team({}))

    contact = plan.action("contact_suppliers")
    # schedule is elapsed time: 22:00 EST + 6 h = 05:00 EDT (04:00 EST)
    assert dt.datetime(2026, 3, 8, 5, 0, tzinfo=new_york) == contact.scheduled_finish
    assert dt.timedelta(hours=-4) == contact.scheduled_finish.utcoffset()
    assert hours(8) == contact.scheduled_finish.astimezone(UTC) - at.astimezone(UTC)
    # deadlines are wall-clock (dateutil): 20:00 + 12 h = 08:00 local, 11 real hours
    assert dt.datetime(2026, 3, 8, 8, 0, tzinfo=new_york) == contact.due
    assert hours(11) == contact.due.astimezone(UTC) - at.astimezone(UTC)
    assert 4 == len(plan.unowned)


def test_activation_across_the_hour_a_zone_falls_back() -> None:
    # New York falls back at 02:00 EDT on Sunday 1 November 2026 to 01:00 EST,
    # so 01:00-02:00 happens twice. Activated at 00:55 EDT, step a runs
    # 00:55-01:45 EDT and step b the next 30 minutes: 01:45 EDT to 01:15 EST.
    # Python compares two times of one ZoneInfo by their wall clock, so a
    # check written naively saw b finish (01:15) before it starts (01:45).
    new_york = ZoneInfo("America/New_York")
    at = dt.datetime(2026, 11, 1, 0, 55, tzinfo=new_york)
    plan = playbook(
        step("a", 50 / 60, deadline=hours(1)),
        step("b", 0.5, ("a",), deadline=hours(1)),
    )

    actions = activate(plan, "fall-back", at, Team({"crisis_lead": "lin"}))

    b = actions.action("b")
    assert "2026-11-01T01:45:00-04:00" == b.scheduled_start.isoformat()
    assert "2026-11-01T01:15:00-05:00" == b.scheduled_finish.isoformat()
    # Deadlines are wall clock: 00:55 + 1 h = 01:55, its first (EDT) occurrence,
    # which is 20 minutes before b's finish in real time (01:15 EST = 02:15 EDT).
    assert "2026-11-01T01:55:00-04:00" == b.due.isoformat()
    assert b.is_late
    assert ("b",) == tuple(action.key for action in actions.late)
    # The plan finishes at b's finish, the later instant despite its wall clock.
    assert b.scheduled_finish == actions.finish
    assert hours(80 / 60) == actions.finish.astimezone(UTC) - at.astimezone(UTC)


def test_a_deadline_in_the_spring_forward_gap_moves_on_by_the_gap() -> None:
    # 00:30 EST + 2 h on the wall clock is 02:30, a time New York skips on
    # 8 March 2026; it becomes 03:30 EDT, the same instant as 02:30 EST, which
    # is exactly when a 2-hour step started at 00:30 finishes: not late.
    new_york = ZoneInfo("America/New_York")
    at = dt.datetime(2026, 3, 8, 0, 30, tzinfo=new_york)

    action = activate(
        playbook(step("a", 2, deadline=hours(2))), "gap", at, Team({})
    ).action("a")

    assert "2026-03-08T03:30:00-04:00" == action.due.isoformat()
    assert action.due.astimezone(UTC) == action.scheduled_finish.astimezone(UTC)
    assert not action.is_late
    assert "2026-03-08T03:30:00-04:00" == (
        DeadlineOffset.of(hours(2)).apply(at).isoformat()
    )


def test_every_zero_slack_action_is_critical_even_off_the_reported_path() -> None:
    # Two equally long chains, a(2) -> b(1) and c(1) -> d(2), both 3 h: the
    # schedule reports one critical path, but all four steps have no slack,
    # so all four actions are critical; e(1) has 2 h of slack.
    plan = playbook(
        step("a", 2),
        step("b", 1, ("a",)),
        step("c", 1),
        step("d", 2, ("c",)),
        step("e", 1),
    )
    at = dt.datetime(2026, 1, 1, tzinfo=UTC)

    actions = activate(plan, "ties", at, Team({}))

    assert ("a", "b") == actions.critical_path
    assert ["a", "b", "c", "d"] == [a.key for a in actions.actions if a.critical]
    assert hours(2) == actions.action("e").slack
    assert all(
        action.critical == plan.schedule().timing(action.key).critical
        for action in actions.actions
    )


def test_activation_rejects_bad_input() -> None:
    at = dt.datetime(2026, 1, 1, tzinfo=UTC)
    plan = _stockout()

    with pytest.raises(InvalidTypeError, match="'playbook'"):
        activate("stockout", "c", at, Team({}))  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="'crisis_key'"):
        activate(plan, " ", at, Team({}))
    with pytest.raises(InvalidTypeError, match="'crisis_key'"):
        activate(plan, 7, at, Team({}))  # type: ignore[arg-type]
    with pytest.raises(NaiveDatetimeError, match="'at'"):
        activate(plan, "c", dt.datetime(2026, 1, 1), Team({}))  # noqa: DTZ001
    with pytest.raises(InvalidTypeError, match="'at'"):
        activate(plan, "c", dt.date(2026, 1, 1), Team({}))  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'team'"):
        activate(plan, "c", at, {"crisis_lead": "lin"})  # type: ignore[arg-type]
    with pytest.raises(
        InvalidTypeError, match=r"team.member_for\('supply_chain_lead'\)"
    ):
        activate(plan, "c", at, Team({"supply_chain_lead": 7}))  # type: ignore[dict-item]
    with pytest.raises(ValidationError, match=r"team\.member_for"):
        activate(plan, "c", at, Team({"supply_chain_lead": ""}))
    with pytest.raises(ValidationError, match="'at'"):
        activate(plan, "c", dt.datetime(9999, 12, 31, 20, tzinfo=UTC), Team({}))


def test_activation_takes_owners_from_an_assembled_team() -> None:
    # The real Team (planning.team) satisfies the MemberLookup protocol.
    team_module = pytest.importorskip("crisisops.planning.team")
    at = dt.datetime(2026, 11, 10, 20, 0, tzinfo=TAIPEI)
    roster = team_module.Roster(
        [
            team_module.Member(key="mei", name="Mei", roles=["supply_chain_lead"]),
            team_module.Member(key="lin", name="Lin", roles=["crisis_lead"]),
            team_module.Member(key="raj", name="Raj", roles=["data_analyst"]),
        ]
    )
    team = team_module.assemble_team(
        "supply_chain.inventory", ResponseLevel.III, roster, at=at
    )

    plan = activate(default_playbooks()["inventory_replenishment"], "peak", at, team)

    for action in plan.actions:
        assert team.member_for(action.owner_role) == action.owner
    assert "mei" == plan.action("assess_stock").owner
    assert {"customer_service", "marketing_pr"} <= {a.owner_role for a in plan.unowned}


def _action(**change: Any) -> PlannedAction:
    at = dt.datetime(2026, 1, 1, tzinfo=UTC)
    fields: dict[str, Any] = {
        "key": "a",
        "title": "A",
        "owner_role": "crisis_lead",
        "owner": None,
        "due": at,
        "scheduled_start": at,
        "scheduled_finish": at,
        "done_when": "done",
        **change,
    }
    return PlannedAction(**fields)


@pytest.mark.parametrize(
    ("change", "error", "field"),
    [
        ({"due": dt.datetime(2026, 1, 1)}, NaiveDatetimeError, "due"),  # noqa: DTZ001
        ({"owner": ""}, ValidationError, "owner"),
        ({"owner": 3}, InvalidTypeError, "owner"),
        (
            {"scheduled_finish": dt.datetime(2025, 1, 1, tzinfo=UTC)},
            ValidationError,
            "scheduled_finish",
        ),
        ({"slack": hours(-1)}, ValidationError, "slack"),
        ({"critical": 1}, InvalidTypeError, "critical"),
    ],
)
def test_bad_planned_actions_are_rejected(
    change: dict[str, Any], error: type[Exception], field: str
) -> None:
    with pytest.raises(error, match=re.escape(f"'{field}'")):
        _action(**change)


def test_bad_action_plans_are_rejected() -> None:
    at = dt.datetime(2026, 1, 1, tzinfo=UTC)
    base: dict[str, Any] = {
        "crisis_key": "c",
        "playbook_key": "p",
        "activated_at": at,
        "actions": [_action(), _action(key="b", depends_on=["a"])],
    }

    assert ("a", "b") == tuple(a.key for a in ActionPlan(**base).actions)
    with pytest.raises(DuplicateKeyError, match="'a'"):
        ActionPlan(**{**base, "actions": [_action(), _action()]})
    with pytest.raises(UnknownKeyError, match=r"actions\[1\]\.depends_on"):
        ActionPlan(
            **{**base, "actions": [_action(), _action(key="b", depends_on=["z"])]}
        )
    with pytest.raises(UnknownKeyError, match=r"critical_path\[0\]"):
        ActionPlan(**{**base, "critical_path": ["z"]})
    with pytest.raises(ValidationError, match="'actions'"):
        ActionPlan(**{**base, "actions": []})
    with pytest.raises(InvalidTypeError, match=r"'actions\[0\]'"):
        ActionPlan(**{**base, "actions": ["a"]})
    with pytest.raises(NaiveDatetimeError, match="'activated_at'"):
        ActionPlan(**{**base, "activated_at": dt.datetime(2026, 1, 1)})  # noqa: DTZ001
    plan = ActionPlan(**base)
    with pytest.raises(UnknownKeyError, match="did you mean 'a'"):
        plan.action("aa")
    with pytest.raises(InvalidTypeError, match="'key'"):
        plan.action(1)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="'member'"):
        plan.by_owner("")


# --- the catalog --------------------------------------------------------------------


def test_the_catalog_finds_playbooks_for_a_crisis_type_and_level() -> None:
    catalog = default_playbooks()
    breach = default_catalog()["technical.data_security_breach"]
    narrow = playbook(
        step("a"),
        key="narrow",
        crisis_types=["technical.data_security_breach"],
        min_level=ResponseLevel.IV,
        max_level=ResponseLevel.III,
    )
    mine = catalog.add(narrow)

    assert ("security_incident", "data_breach_notification", "data_restore") == (
        catalog.for_crisis_type(breach).keys()
    )
    assert (
        "security_incident",
        "data_breach_notification",
        "data_restore",
        "narrow",
    ) == mine.for_crisis_type("technical.data_security_breach").keys()
    assert "narrow" not in mine.for_crisis_type(breach, ResponseLevel.I)
    assert "narrow" in mine.for_crisis_type(breach, ResponseLevel.IV)
    assert ("security_incident", "data_restore", "data_breach_notification") == tuple(
        p.key for p in catalog.defaults_for(breach)
    )
    assert catalog is catalog.check_roles(ROLE_KEYS)
    assert isinstance(mine, PlaybookCatalog)


def test_the_catalog_rejects_bad_input() -> None:
    catalog = default_playbooks()
    stray = playbook(step("a", owner="chef"), key="stray")

    with pytest.raises(InvalidTypeError, match="'crisis_type'"):
        catalog.for_crisis_type(5)  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="'crisis_type'"):
        catalog.for_crisis_type("Supply Chain")
    with pytest.raises(InvalidTypeError, match="'level'"):
        catalog.for_crisis_type("supply_chain.inventory", "I")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'crisis_type'"):
        catalog.defaults_for("supply_chain.inventory")  # type: ignore[arg-type]
    with pytest.raises(UnknownKeyError, match="inventory_replenishment"):
        catalog.without("inventory_replenishment").defaults_for(
            default_catalog()["supply_chain.inventory"]
        )
    with pytest.raises(DuplicateKeyError, match="sales_recovery"):
        catalog.add(catalog["sales_recovery"])
    with pytest.raises(InvalidTypeError, match=r"entries\[0\]"):
        PlaybookCatalog(["sales_recovery"])
    with pytest.raises(UnknownKeyError, match="playbook 'stray'"):
        catalog.add(stray).check_roles(ROLE_KEYS)
    with pytest.raises(UnknownKeyError, match="did you mean 'sales_recovery'"):
        catalog["sales_recovry"]
