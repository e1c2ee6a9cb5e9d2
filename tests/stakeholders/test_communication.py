"""Communication plans: groups, channels, owners, deadlines, cadences and checks."""

from __future__ import annotations

import datetime as dt
import json
import random
import zoneinfo

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops.errors import (
    InvalidTypeError,
    NaiveDatetimeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.frozen import FrozenDict
from crisisops.labels import Labels
from crisisops.serialization import from_data, to_data
from crisisops.stakeholders.communication import (
    DEFAULT_OWNER_ROLES,
    FALLBACK_OWNER_ROLE,
    CommunicationPlan,
    FindingKind,
    PlanCheck,
    PlanFinding,
    PlanStep,
    SentMessage,
    UpdateCadence,
    check_plan,
    default_cadence,
    plan_communication,
)
from crisisops.stakeholders.graph import (
    Channel,
    Stakeholder,
    StakeholderGraph,
    StakeholderKind,
    default_kinds,
)
from crisisops.stakeholders.scct import (
    MessageStrategy,
    ResponsePosture,
    ResponseStrategy,
    recommend_response,
)
from crisisops.taxonomy import ResponseLevel, SCCTCrisisType
from tests.strategies import aware_datetimes

TAIPEI = dt.timezone(dt.timedelta(hours=8))
AT = dt.datetime(2026, 3, 1, 10, 0, tzinfo=TAIPEI)
# A zone with daylight saving: clocks go forward 2026-03-29 01:00 UTC
# (02:00 CET -> 03:00 CEST) and back 2026-10-25 01:00 UTC (03:00 -> 02:00).
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")
UTC = dt.timezone.utc
MIN = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)
_ZERO = dt.timedelta(0)


def _person(
    key: str, kind: str, reach: int, channels: tuple[Channel, ...] = ()
) -> Stakeholder:
    # Every score at or above 0.5: all definitive stakeholders, so (with no
    # influence arcs) who_hears_first orders them by reach.
    return Stakeholder(
        key=key,
        name=key.title(),
        kind=kind,
        power=0.6,
        legitimacy=0.8,
        urgency=0.7,
        interest=0.9,
        reach=reach,
        channels=channels,
    )


SHOP = StakeholderGraph(
    stakeholders=[
        _person("buyers", "customers", 50_000, (Channel.EMAIL,)),
        _person("press", "media", 20_000),
        _person("vip", "customer_segment", 800),
        _person("acme", "suppliers", 10),
        _person("cac", "regulators", 1),
        _person("staff", "employees", 120),
        _person("warehouse", "employees", 30),
    ]
)


def _breach_plan(level: ResponseLevel = ResponseLevel.I) -> CommunicationPlan:
    recommendation = recommend_response(
        "technical.data_security_breach",
        history=False,
        prior_reputation="neutral",
        serious_harm=True,
    )
    return plan_communication(
        "technical.data_security_breach",
        level,
        SHOP,
        at=AT,
        recommendation=recommendation,
    )


# --- plans by hand --------------------------------------------------------------------


def test_a_level_i_breach_plan_by_hand() -> None:
    plan = _breach_plan()

    # internal first (book §5 內部溝通), then who_hears_first: reach order
    assert (
        "employees",
        "customers",
        "media",
        "customer_segment",
        "suppliers",
        "regulators",
    ) == plan.groups
    assert ("staff", "warehouse") == plan.step("employees").stakeholders
    # Level I: internal call within 5 min, first external post 5 min later
    assert AT + 5 * MIN == plan.step("employees").first_message_due
    assert [AT + 10 * MIN] * 5 == [s.first_message_due for s in plan.steps[1:]]
    assert {
        "employees": "comms_liaison",
        "customers": "customer_service",
        "media": "marketing_pr",
        "customer_segment": "customer_service",
        "suppliers": "supply_chain_lead",
        "regulators": "legal_counsel",
    } == {s.group: s.owner_role for s in plan.steps}
    # the kind's defaults, then the members' preferred channels
    assert (
        Channel.WEBSITE_NOTICE,
        Channel.SOCIAL_MEDIA,
        Channel.ONLINE_SERVICE,
        Channel.HOTLINE,
        Channel.EMAIL,
    ) == plan.step("customers").channels
    assert (Channel.INTERNAL_MEETING, Channel.EMAIL) == plan.step("employees").channels
    assert "員工" == plan.step("employees").labels.zh_hant
    assert plan.step("employees").internal
    assert not plan.step("media").internal


def test_every_group_gets_the_recommendations_message() -> None:
    plan = _breach_plan()

    # a data breach is product tampering (victim cluster): base response,
    # compensation for serious harm, victimage allowed
    message = plan.steps[0].message
    assert all(step.message == message for step in plan.steps)
    assert message.posture is None
    assert (ResponseStrategy.COMPENSATION,) == message.strategies
    assert ResponseStrategy.VICTIMAGE in message.supplementary
    assert plan.recommendation is not None
    assert SCCTCrisisType.PRODUCT_TAMPERING == plan.scct_type


def test_without_a_recommendation_the_message_is_the_base_response() -> None:
    plan = plan_communication("supply_chain.inventory", "III", SHOP, at=AT)

    assert MessageStrategy() == plan.steps[0].message
    assert plan.scct_type is None
    assert ResponseLevel.III == plan.level


def test_level_i_cadence_is_pagerdutys_20_minutes_then_hourly_after_two_hours() -> None:
    plan = _breach_plan()

    # every 20 min from the first post; an update sent 2 h 10 min in is in
    # the long-incident mode, so the next one is due an hour later
    assert (
        AT + 10 * MIN,
        AT + 30 * MIN,
        AT + 50 * MIN,
        AT + 70 * MIN,
        AT + 90 * MIN,
        AT + 110 * MIN,
        AT + 130 * MIN,
        AT + 190 * MIN,
    ) == plan.due_times("customers", AT + 190 * MIN)
    assert (AT + 5 * MIN, AT + 25 * MIN) == plan.due_times("employees", AT + 44 * MIN)


def test_level_iv_cadence_every_four_hours_then_daily() -> None:
    plan = plan_communication("technical.system_failure", "IV", SHOP, at=AT)

    assert AT + HOUR == plan.step("employees").first_message_due
    hours = [(t - AT) / HOUR for t in plan.due_times("customers", AT + 72 * HOUR)]
    assert [4, 8, 12, 16, 20, 24, 48, 72] == hours


@pytest.mark.parametrize(
    ("level", "internal", "external", "every", "long_after", "long_every"),
    [
        # level, internal first, external first, every, long after, long every
        (ResponseLevel.I, 5 * MIN, 10 * MIN, 20 * MIN, 2 * HOUR, HOUR),
        (ResponseLevel.II, 15 * MIN, 30 * MIN, 30 * MIN, 2 * HOUR, 2 * HOUR),
        (ResponseLevel.III, 30 * MIN, HOUR, HOUR, 8 * HOUR, 4 * HOUR),
        (ResponseLevel.IV, HOUR, 4 * HOUR, 4 * HOUR, 24 * HOUR, 24 * HOUR),
    ],
)
def test_default_cadences_per_level(
    level: ResponseLevel,
    internal: dt.timedelta,
    external: dt.timedelta,
    every: dt.timedelta,
    long_after: dt.timedelta,
    long_every: dt.timedelta,
) -> None:
    inside = default_cadence(level, internal=True)
    outside = default_cadence(level.value, internal=False)

    assert internal == inside.first_within
    assert external == outside.first_within
    assert inside.first_within < outside.first_within  # 內部溝通 first
    for cadence in (inside, outside):
        assert (every, long_after, long_every) == (
            cadence.every,
            cadence.long_after,
            cadence.long_every,
        )


def test_owners_and_cadences_can_be_overridden() -> None:
    slow = UpdateCadence(first_within=HOUR, every=2 * HOUR)
    kinds = default_kinds().add(
        StakeholderKind(
            key="bloggers",
            labels=Labels(en="Bloggers", zh_hant="部落客", zh_hans="博主"),
            internal=False,
            channels=("social_media",),
        )
    )
    graph = SHOP.with_stakeholder(_person("blog", "bloggers", 5))

    plan = plan_communication(
        "technical.system_failure",
        ResponseLevel.II,
        graph,
        at=AT,
        kinds=kinds,
        owners={"media": "crisis_lead"},
        external_cadence=slow,
    )

    assert "crisis_lead" == plan.step("media").owner_role
    assert FALLBACK_OWNER_ROLE == plan.step("bloggers").owner_role
    assert "customer_service" == DEFAULT_OWNER_ROLES["customers"]
    assert slow == plan.step("customers").cadence
    assert AT + HOUR == plan.step("customers").first_message_due
    assert AT + 15 * MIN == plan.step("employees").first_message_due


def test_a_deny_plan_for_an_unfounded_challenge() -> None:
    smear = recommend_response(
        "market.brand_damage",
        history=False,
        prior_reputation="favourable",
        claim_unfounded=True,
    )

    plan = plan_communication(
        "market.brand_damage", "II", SHOP, at=AT, recommendation=smear
    )

    assert {ResponsePosture.DENY} == {s.message.posture for s in plan.steps}


# --- the plan's own rules -------------------------------------------------------------


def _step(
    group: str, *, internal: bool, due: dt.datetime, **changes: object
) -> PlanStep:
    fields: dict[str, object] = {
        "group": group,
        "labels": Labels(en=group, zh_hant=group, zh_hans=group),
        "internal": internal,
        "stakeholders": (f"{group}_member",),
        "channels": ("email",),
        "owner_role": "comms_liaison",
        "message": MessageStrategy(),
        "first_message_due": due,
        "cadence": UpdateCadence(first_within=_ZERO, every=HOUR),
        **changes,
    }
    return PlanStep(**fields)  # type: ignore[arg-type]


def _plan(*steps: PlanStep, **changes: object) -> CommunicationPlan:
    fields: dict[str, object] = {
        "crisis_type": "market.brand_damage",
        "scct_type": SCCTCrisisType.CHALLENGE,
        "level": ResponseLevel.II,
        "at": AT,
        "steps": steps,
        **changes,
    }
    return CommunicationPlan(**fields)  # type: ignore[arg-type]


def test_a_plan_that_mixes_deny_with_rebuild_across_groups_is_rejected() -> None:
    deny = MessageStrategy(
        posture=ResponsePosture.DENY, strategies=(ResponseStrategy.DENIAL,)
    )
    rebuild = MessageStrategy(
        posture=ResponsePosture.REBUILD, strategies=(ResponseStrategy.APOLOGY,)
    )

    with pytest.raises(ValidationError, match="guideline 8"):
        _plan(
            _step("employees", internal=True, due=AT, message=deny),
            _step("customers", internal=False, due=AT, message=rebuild),
        )


@pytest.mark.parametrize(
    ("steps", "changes", "match"),
    [
        (
            [("customers", False, 0), ("employees", True, 0)],
            {},
            "internal groups before external",
        ),
        (
            [("employees", True, 30), ("customers", False, 10)],
            {},
            "no earlier than every internal",
        ),
        ([("customers", False, -1)], {}, "at or after the plan's start"),
        (
            [("customers", False, 0), ("customers", False, 0)],
            {},
            "not planned before",
        ),
        ([], {}, "at least 1"),
        (
            [("customers", False, 0)],
            {"scct_type": SCCTCrisisType.HUMAN_ERROR_ACCIDENT, "deny": True},
            "guideline 7",
        ),
        (
            [("customers", False, 0)],
            {"recommendation": "other"},
            "a recommendation for this crisis",
        ),
    ],
)
def test_communication_plan_rejects_broken_plans(
    steps: list[tuple[str, bool, int]], changes: dict[str, object], match: str
) -> None:
    deny = changes.pop("deny", False)
    message = (
        MessageStrategy(
            posture=ResponsePosture.DENY, strategies=(ResponseStrategy.DENIAL,)
        )
        if deny
        else MessageStrategy()
    )
    built = [
        _step(group, internal=internal, due=AT + minutes * MIN, message=message)
        for group, internal, minutes in steps
    ]
    if changes.get("recommendation") == "other":
        changes["recommendation"] = recommend_response(
            "technical.system_failure", history=False, prior_reputation="neutral"
        )

    with pytest.raises(ValidationError, match=match):
        _plan(*built, **changes)


def test_a_stakeholder_in_two_groups_is_rejected() -> None:
    with pytest.raises(ValidationError, match="one group only"):
        _plan(
            _step("employees", internal=True, due=AT, stakeholders=("x",)),
            _step("customers", internal=False, due=AT, stakeholders=("x",)),
        )


def test_plan_step_rejects_bad_input() -> None:
    with pytest.raises(ValidationError, match="'channels'"):
        _step("customers", internal=False, due=AT, channels=())
    with pytest.raises(ValidationError, match="'stakeholders'"):
        _step("customers", internal=False, due=AT, stakeholders=())
    with pytest.raises(UnknownKeyError, match=r"channels\[0\].*'fax'"):
        _step("customers", internal=False, due=AT, channels=("fax",))
    with pytest.raises(UnknownKeyError, match="did you mean 'hotline'"):
        _step("customers", internal=False, due=AT, channels=("hotlin",))
    with pytest.raises(InvalidTypeError, match=r"'channels\[0\]'"):
        _step("customers", internal=False, due=AT, channels=(3,))
    with pytest.raises(NaiveDatetimeError, match="'first_message_due'"):
        _step("customers", internal=False, due=AT.replace(tzinfo=None))
    with pytest.raises(InvalidTypeError, match="'cadence'"):
        _step("customers", internal=False, due=AT, cadence=HOUR)
    with pytest.raises(InvalidTypeError, match="'internal'"):
        _step("customers", internal=1, due=AT)  # type: ignore[arg-type]


# --- checking a plan against the log --------------------------------------------------


def _sent(
    group: str,
    minutes: float,
    promise: float | None = None,
    **changes: object,
) -> SentMessage:
    fields: dict[str, object] = {
        "group": group,
        "channel": "email",
        "sent_at": AT + minutes * MIN,
        "states_next_update_at": None if promise is None else AT + promise * MIN,
        **changes,
    }
    return SentMessage(**fields)  # type: ignore[arg-type]


def _two_group_plan() -> CommunicationPlan:
    graph = StakeholderGraph(
        stakeholders=[
            _person("buyers", "customers", 10),
            _person("staff", "employees", 1),
        ]
    )
    return plan_communication("technical.system_failure", "I", graph, at=AT)


def test_a_log_that_keeps_the_plan_is_fine() -> None:
    plan = _two_group_plan()  # employees due 10:05, customers 10:10, every 20 min
    log = [
        _sent("employees", 3, promise=23),
        _sent("employees", 23, promise=43),
        _sent("employees", 43, promise=63),
        _sent("customers", 10, promise=30),  # exactly on the deadline
        _sent("customers", 30, promise=45),  # an earlier promise binds
        _sent("customers", 44, promise=60),
    ]

    check = check_plan(plan, log, as_of=AT + 44 * MIN)

    assert check.ok
    assert () == check.findings
    assert AT + 63 * MIN == check.next_due["employees"]
    assert AT + 60 * MIN == check.next_due["customers"]  # min(44+20, promise 60)


def test_overdue_first_messages_sent_late_and_not_sent() -> None:
    plan = _two_group_plan()
    log = [_sent("customers", 25, promise=45)]

    check = check_plan(plan, log, as_of=AT + 30 * MIN)

    assert [
        PlanFinding(
            kind=FindingKind.OVERDUE_FIRST_MESSAGE,
            group="employees",
            due_at=AT + 5 * MIN,
            late_by=25 * MIN,
        ),
        PlanFinding(
            kind=FindingKind.OVERDUE_FIRST_MESSAGE,
            group="customers",
            due_at=AT + 10 * MIN,
            sent_at=AT + 25 * MIN,
            late_by=15 * MIN,
        ),
    ] == list(check.findings)
    assert check.overdue_first_messages == check.findings
    assert AT + 5 * MIN == check.next_due["employees"]


def test_missed_updates_sent_late_and_outstanding() -> None:
    plan = _two_group_plan()
    log = [
        _sent("employees", 5, promise=15),
        _sent("employees", 20, promise=40),  # promised 10:15: five minutes late
        _sent("customers", 10, promise=30),
    ]

    check = check_plan(plan, log, as_of=AT + 45 * MIN)

    assert [
        (FindingKind.MISSED_UPDATE, "employees", AT + 15 * MIN, 5 * MIN),
        (FindingKind.MISSED_UPDATE, "customers", AT + 30 * MIN, 15 * MIN),
        (FindingKind.MISSED_UPDATE, "employees", AT + 40 * MIN, 5 * MIN),
    ] == [(f.kind, f.group, f.due_at, f.late_by) for f in check.findings]
    assert [AT + 20 * MIN, None, None] == [f.sent_at for f in check.findings]
    assert check.missed_updates == check.findings


def test_a_later_promise_does_not_stretch_the_cadence() -> None:
    plan = _two_group_plan()
    log = [_sent("employees", 5, promise=90), _sent("customers", 10, promise=30)]

    check = check_plan(plan, log, as_of=AT + 26 * MIN)

    assert [("employees", AT + 25 * MIN)] == [
        (f.group, f.due_at) for f in check.missed_updates
    ]


def test_updates_that_do_not_say_when_the_next_comes() -> None:
    plan = _two_group_plan()
    log = [_sent("employees", 1), _sent("customers", 2, promise=20)]

    check = check_plan(plan, log, as_of=AT + 10 * MIN)

    assert [
        PlanFinding(
            kind=FindingKind.NEXT_UPDATE_NOT_STATED,
            group="employees",
            sent_at=AT + 1 * MIN,
        )
    ] == list(check.unstated_next_updates)
    assert check.unstated_next_updates == check.findings
    assert "未說明下次更新時間" == check.findings[0].kind.labels.zh_hant


def test_a_final_message_closes_the_group() -> None:
    plan = _two_group_plan()
    log = [
        _sent("employees", 5, promise=25),
        _sent("employees", 20, final=True),
        _sent("employees", 500),  # after the close: not checked
        _sent("customers", 10, final=True),
    ]

    check = check_plan(plan, log, as_of=AT + 48 * HOUR)

    assert check.ok
    assert FrozenDict({"employees": None, "customers": None}) == check.next_due


def test_messages_after_as_of_and_direct_messages_do_not_count() -> None:
    plan = _two_group_plan()
    log = [
        _sent("employees", 4, promise=20),
        _sent("customers", 8, promise=28, stakeholder="buyers"),  # direct
        _sent("customers", 40, promise=60),  # after as_of
    ]

    check = check_plan(plan, log, as_of=AT + 15 * MIN)

    assert [("customers", AT + 10 * MIN, None)] == [
        (f.group, f.due_at, f.sent_at) for f in check.overdue_first_messages
    ]
    assert 1 == len(check.findings)


def test_the_long_incident_rhythm_applies_from_two_hours_in() -> None:
    plan = _two_group_plan()
    log = [
        _sent("employees", 5, promise=300),
        *[_sent("employees", m, promise=300) for m in range(25, 125, 20)],
        _sent("employees", 125, promise=300),  # 2 h 5 min in: next due an hour on
        _sent("customers", 10, final=True),
    ]

    check = check_plan(plan, log, as_of=AT + 180 * MIN)

    assert check.ok
    assert AT + 185 * MIN == check.next_due["employees"]


def test_messages_logged_in_another_timezone_compare_as_moments() -> None:
    plan = _two_group_plan()
    utc = AT.astimezone(dt.timezone.utc)
    log = [
        SentMessage(group="employees", channel=Channel.INTERNAL_MEETING, sent_at=utc),
        SentMessage(
            group="customers",
            channel=Channel.WEBSITE_NOTICE,
            sent_at=utc + 10 * MIN,
            final=True,
        ),
    ]

    check = check_plan(plan, log, as_of=utc + 15 * MIN)

    assert [FindingKind.NEXT_UPDATE_NOT_STATED] == [f.kind for f in check.findings]


# --- daylight saving: deadlines are elapsed time, compared as instants ---------------


def _berlin(hour: int, minute: int, *, fold: int = 0) -> dt.datetime:
    """A moment on 2026-10-25 in Berlin; fold=1 is the repeated hour (CET)."""
    return dt.datetime(2026, 10, 25, hour, minute, fold=fold, tzinfo=BERLIN)


def _utc(hour: int, minute: int, day: int = 25, month: int = 10) -> dt.datetime:
    return dt.datetime(2026, month, day, hour, minute, tzinfo=UTC)


def _in_utc(moment: dt.datetime | None) -> dt.datetime | None:
    """The instant in UTC. Needed to compare: by PEP 495 a datetime in the
    repeated hour (fold=1) never equals one of another zone, even at the
    same instant."""
    return None if moment is None else moment.astimezone(UTC)


def _one_buyer_and_staff() -> StakeholderGraph:
    return StakeholderGraph(
        stakeholders=[
            _person("buyers", "customers", 10),
            _person("staff", "employees", 1),
        ]
    )


def test_first_deadlines_are_real_minutes_when_the_clocks_go_back() -> None:
    # Declared at 02:30 CEST (00:30 UTC), an hour before the clocks go back.
    # Level II by hand: staff within 15 min (00:45 UTC = 02:45 CEST), buyers
    # within 30 min (01:00 UTC = 02:00 CET, the repeated hour). Wall-clock
    # arithmetic would give 03:00 CET = 02:00 UTC: an hour and a half.
    plan = plan_communication(
        "technical.system_failure", "II", _one_buyer_and_staff(), at=_berlin(2, 30)
    )

    staff, buyers = plan.step("employees"), plan.step("customers")
    assert _utc(0, 45) == staff.first_message_due.astimezone(UTC)
    assert _utc(1, 0) == buyers.first_message_due.astimezone(UTC)
    assert (2, 0, 1) == (
        buyers.first_message_due.hour,
        buyers.first_message_due.minute,
        buyers.first_message_due.fold,
    )
    assert BERLIN is buyers.first_message_due.tzinfo  # the plan's own zone


def test_the_update_rhythm_counts_real_hours_when_the_clocks_go_forward() -> None:
    # Level IV from 2026-03-28 12:00 CET (11:00 UTC): external updates every
    # 4 h, daily from 24 h on. In UTC by hand: 15, 19, 23, 03, 07, 11 (24 h
    # in: the long rhythm starts) and 11 the next day. On the Berlin clock
    # the 03:00 UTC update reads 05:00 CEST: the skipped hour is not waited.
    at = dt.datetime(2026, 3, 28, 12, 0, tzinfo=BERLIN)
    plan = plan_communication("technical.system_failure", "IV", SHOP, at=at)

    times = plan.due_times("customers", at + dt.timedelta(hours=60))

    assert [4, 8, 12, 16, 20, 24, 48] == [
        (t.astimezone(UTC) - at.astimezone(UTC)) / HOUR for t in times
    ]
    assert ["16:00", "20:00", "00:00", "05:00", "09:00", "13:00", "13:00"] == [
        f"{t:%H:%M}" for t in times
    ]


def test_a_check_across_the_repeated_hour_compares_instants() -> None:
    plan = plan_communication(
        "technical.system_failure", "II", _one_buyer_and_staff(), at=_berlin(2, 30)
    )
    # staff met at 02:40 CEST (00:40 UTC) and promised 02:05 CET (01:05 UTC);
    # buyers heard at 02:50 CEST (00:50 UTC) -- on time for 01:00 UTC, though
    # "02:50" is later than "02:00" on the wall -- with a promise of 02:10 CET.
    log = [
        SentMessage(
            group="employees",
            channel="internal_meeting",
            sent_at=_berlin(2, 40),
            states_next_update_at=_berlin(2, 5, fold=1),
        ),
        SentMessage(
            group="customers",
            channel="website_notice",
            sent_at=_berlin(2, 50),
            states_next_update_at=_berlin(2, 10, fold=1),
        ),
    ]

    check = check_plan(plan, log, as_of=_berlin(2, 20, fold=1))  # 01:20 UTC

    # both promises broken, by hand: 01:20 - 01:05 and 01:20 - 01:10 (UTC)
    expected = [
        (FindingKind.MISSED_UPDATE, "employees", _utc(1, 5), 15 * MIN),
        (FindingKind.MISSED_UPDATE, "customers", _utc(1, 10), 10 * MIN),
    ]
    assert expected == [
        (f.kind, f.group, _in_utc(f.due_at), f.late_by) for f in check.findings
    ]
    # the same log written in UTC gives the same findings
    in_utc = [
        attrs.evolve(
            m,
            sent_at=m.sent_at.astimezone(UTC),
            states_next_update_at=_in_utc(m.states_next_update_at),
        )
        for m in log
    ]
    again = check_plan(plan, in_utc, as_of=_utc(1, 20))
    assert expected == [
        (f.kind, f.group, _in_utc(f.due_at), f.late_by) for f in again.findings
    ]


def test_promises_and_lateness_across_the_repeated_hour_are_real_time() -> None:
    # 02:50 CEST (00:50 UTC) then 02:10 CET (01:10 UTC): 20 minutes later,
    # although the wall clock reads 40 minutes earlier.
    message = SentMessage(
        group="customers",
        channel="email",
        sent_at=_berlin(2, 50),
        states_next_update_at=_berlin(2, 10, fold=1),
    )
    finding = PlanFinding(
        kind=FindingKind.MISSED_UPDATE,
        group="customers",
        due_at=_berlin(2, 50),
        sent_at=_berlin(2, 10, fold=1),
        late_by=20 * MIN,
    )

    assert _utc(1, 10) == _in_utc(message.states_next_update_at)
    assert 20 * MIN == finding.late_by
    with pytest.raises(ValidationError, match="after sent_at"):
        SentMessage(
            group="customers",
            channel="email",
            sent_at=_berlin(2, 10, fold=1),
            states_next_update_at=_berlin(2, 50),  # 00:50 UTC: before
        )


# --- properties -----------------------------------------------------------------------

levels = st.sampled_from(ResponseLevel)
# Fixed offsets, and a zone with daylight saving (no imaginary wall times).
any_zone_datetimes = st.one_of(
    aware_datetimes,
    st.datetimes(
        min_value=dt.datetime(2020, 1, 1),  # noqa: DTZ001  bounds for hypothesis only
        max_value=dt.datetime(2035, 1, 1),  # noqa: DTZ001  bounds for hypothesis only
        timezones=st.just(BERLIN),
        allow_imaginary=False,
    ),
)


def _perfect_log(plan: CommunicationPlan, as_of: dt.datetime) -> list[SentMessage]:
    return [
        SentMessage(
            group=group,
            channel=plan.step(group).channels[0],
            sent_at=moment,
            states_next_update_at=plan.next_update_due(group, moment),
        )
        for group in plan.groups
        for moment in plan.due_times(group, as_of)
    ]


@settings(max_examples=40, deadline=None)
@given(
    level=levels,
    at=any_zone_datetimes,
    hours=st.floats(min_value=0, max_value=30),
    seed=st.integers(0, 2**32 - 1),
)
def test_a_log_sent_on_every_deadline_is_fine_in_any_order(
    level: ResponseLevel, at: dt.datetime, hours: float, seed: int
) -> None:
    plan = plan_communication("technical.system_failure", level, SHOP, at=at)
    as_of = (at.astimezone(UTC) + dt.timedelta(hours=hours)).astimezone(at.tzinfo)
    log = _perfect_log(plan, as_of)
    random.Random(seed).shuffle(log)  # noqa: S311  a test's shuffle

    check = check_plan(plan, log, as_of)

    assert check.ok
    for group in plan.groups:
        times = plan.due_times(group, as_of)
        expected = (
            plan.next_update_due(group, times[-1])
            if times
            else plan.step(group).first_message_due
        )
        assert expected == check.next_due[group]
        assert check.next_due[group].astimezone(UTC) > as_of.astimezone(UTC)  # type: ignore[union-attr]


@settings(max_examples=40, deadline=None)
@given(
    level=levels,
    hours=st.floats(min_value=0, max_value=30),
    delay=st.integers(min_value=1, max_value=600),
    data=st.data(),
)
def test_delaying_the_last_message_of_a_group_is_reported(
    level: ResponseLevel, hours: float, delay: int, data: st.DataObject
) -> None:
    plan = plan_communication("technical.system_failure", level, SHOP, at=AT)
    log = _perfect_log(plan, AT + dt.timedelta(hours=hours))
    group = data.draw(st.sampled_from(sorted({m.group for m in log} or {"x"})))
    if group == "x":  # nothing was due yet
        return
    index = max(i for i, m in enumerate(log) if m.group == group)
    late = attrs.evolve(
        log[index],
        sent_at=log[index].sent_at + delay * MIN,
        states_next_update_at=None,
        final=True,
    )
    as_of = late.sent_at

    check = check_plan(plan, [*log[:index], late, *log[index + 1 :]], as_of)

    assert [(log[index].sent_at, late.sent_at, delay * MIN)] == [
        (f.due_at, f.sent_at, f.late_by) for f in check.findings if f.group == group
    ]
    assert check.next_due[group] is None


@settings(max_examples=25, deadline=None)
@given(level=levels, at=any_zone_datetimes, serious_harm=st.booleans())
def test_plans_keep_internal_groups_first_and_every_stakeholder_once(
    level: ResponseLevel,
    at: dt.datetime,
    serious_harm: bool,  # noqa: FBT001  hypothesis passes it positionally
) -> None:
    recommendation = recommend_response(
        "product.quality_safety",
        history=False,
        prior_reputation="neutral",
        serious_harm=serious_harm,
    )

    plan = plan_communication(
        "product.quality_safety", level, SHOP, at=at, recommendation=recommendation
    )

    internal = [s.internal for s in plan.steps]
    assert internal == sorted(internal, reverse=True)
    members = [key for step in plan.steps for key in step.stakeholders]
    assert sorted(SHOP.keys) == sorted(members)
    start = at.astimezone(UTC)
    due = {s.group: s.first_message_due.astimezone(UTC) for s in plan.steps}
    # first deadlines are the level's first_within after `at`, in real time
    assert all(due[s.group] - start == s.cadence.first_within for s in plan.steps)
    assert max(due[s.group] for s in plan.steps if s.internal) <= min(
        due[s.group] for s in plan.steps if not s.internal
    )


@settings(max_examples=25, deadline=None)
@given(level=levels, at=aware_datetimes, hours=st.floats(min_value=0, max_value=10))
def test_plans_checks_and_logs_round_trip_through_plain_data(
    level: ResponseLevel, at: dt.datetime, hours: float
) -> None:
    plan = _breach_plan(level)
    plan = attrs.evolve(
        plan,
        at=at,
        steps=[
            attrs.evolve(s, first_message_due=at + s.cadence.first_within)
            for s in plan.steps
        ],
    )
    as_of = at + dt.timedelta(hours=hours)
    log = _perfect_log(plan, as_of)[::2]
    check = check_plan(plan, log, as_of)

    for value, cls in (
        (plan, CommunicationPlan),
        (check, PlanCheck),
        *((m, SentMessage) for m in log[:3]),
    ):
        document = json.loads(json.dumps(to_data(value), allow_nan=False))
        assert value == from_data(cls, document)


# --- bad input ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("arguments", "error", "match"),
    [
        ({"crisis_type": 7}, InvalidTypeError, "'crisis_type'"),
        ({"crisis_type": "technical.sytem_failure"}, UnknownKeyError, "system"),
        ({"level": "V"}, UnknownKeyError, "response level"),
        ({"level": 2}, InvalidTypeError, "'level'"),
        ({"graph": [SHOP]}, InvalidTypeError, "'graph'"),
        ({"graph": StakeholderGraph()}, ValidationError, "'graph'"),
        ({"at": AT.replace(tzinfo=None)}, NaiveDatetimeError, "'at'"),
        ({"at": "2026-03-01T10:00+08:00"}, InvalidTypeError, "'at'"),
        ({"recommendation": "diminish"}, InvalidTypeError, "'recommendation'"),
        ({"kinds": {"customers": 1}}, InvalidTypeError, "'kinds'"),
        ({"kinds": default_kinds().without("media")}, UnknownKeyError, "media"),
        ({"catalog": []}, InvalidTypeError, "'catalog'"),
        ({"owners": ["media"]}, InvalidTypeError, "'owners'"),
        ({"owners": {"media": "PR Team"}}, ValidationError, "owners"),
        (
            {"owners": {"medias": "crisis_lead"}},
            UnknownKeyError,
            "did you mean 'media'",
        ),
        ({"internal_cadence": 5}, InvalidTypeError, "'internal_cadence'"),
        ({"external_cadence": HOUR}, InvalidTypeError, "'external_cadence'"),
        (
            {"internal_cadence": UpdateCadence(first_within=HOUR, every=HOUR)},
            ValidationError,
            "internal_cadence",
        ),
        (
            {
                "recommendation": recommend_response(
                    "product.quality_safety",
                    history=False,
                    prior_reputation="neutral",
                )
            },
            ValidationError,
            "a recommendation for this crisis",
        ),
        (
            {
                "crisis_type": "financial.cash_shortage",
                "recommendation": recommend_response(
                    "technical.system_failure",
                    history=False,
                    prior_reputation="neutral",
                ),
            },
            ValidationError,
            "a recommendation for this crisis",
        ),
    ],
)
def test_plan_communication_rejects_bad_input(
    arguments: dict[str, object], error: type[Exception], match: str
) -> None:
    call: dict[str, object] = {
        "crisis_type": "technical.system_failure",
        "level": ResponseLevel.II,
        "graph": SHOP,
        "at": AT,
        **arguments,
    }

    with pytest.raises(error, match=match):
        plan_communication(**call)  # type: ignore[arg-type]


def test_a_group_with_no_channel_is_rejected() -> None:
    kinds = default_kinds().add(
        StakeholderKind(
            key="silent",
            labels=Labels(en="Silent", zh_hant="沉默", zh_hans="沉默"),
            internal=False,
        )
    )
    graph = SHOP.with_stakeholder(_person("quiet", "silent", 0))

    with pytest.raises(ValidationError, match="silent"):
        plan_communication("technical.system_failure", "II", graph, at=AT, kinds=kinds)


@pytest.mark.parametrize(
    ("arguments", "error", "match"),
    [
        ({"plan": "plan"}, InvalidTypeError, "'plan'"),
        ({"sent": "log"}, InvalidTypeError, "'sent'"),
        ({"sent": 5}, InvalidTypeError, "'sent'"),
        ({"sent": [{"group": "customers"}]}, InvalidTypeError, r"'sent\[0\]'"),
        ({"sent": [_sent("media", 1)]}, UnknownKeyError, r"sent\[0\].group"),
        (
            {"sent": [_sent("customers", 1, stakeholder="staff")]},
            UnknownKeyError,
            r"sent\[0\].stakeholder",
        ),
        ({"as_of": AT.replace(tzinfo=None)}, NaiveDatetimeError, "'as_of'"),
        ({"as_of": None}, InvalidTypeError, "'as_of'"),
    ],
)
def test_check_plan_rejects_bad_input(
    arguments: dict[str, object], error: type[Exception], match: str
) -> None:
    call: dict[str, object] = {
        "plan": _two_group_plan(),
        "sent": [],
        "as_of": AT,
        **arguments,
    }

    with pytest.raises(error, match=match):
        check_plan(**call)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "error", "match"),
    [
        ({"sent_at": AT.replace(tzinfo=None)}, NaiveDatetimeError, "'sent_at'"),
        (
            {"states_next_update_at": AT.replace(tzinfo=None)},
            NaiveDatetimeError,
            "'states_next_update_at'",
        ),
        ({"states_next_update_at": AT}, ValidationError, "after sent_at"),
        (
            {"states_next_update_at": AT + HOUR, "final": True},
            ValidationError,
            "final",
        ),
        ({"channel": "fax"}, UnknownKeyError, r"channel \(in channel\) 'fax'"),
        ({"channel": "emial"}, UnknownKeyError, "did you mean 'email'"),
        ({"channel": 3}, InvalidTypeError, "'channel'"),
        ({"channel": None}, InvalidTypeError, "'channel'"),
        ({"group": "Customers"}, ValidationError, "'group'"),
        ({"stakeholder": ""}, ValidationError, "'stakeholder'"),
        ({"final": "yes"}, InvalidTypeError, "'final'"),
    ],
)
def test_sent_message_rejects_bad_input(
    changes: dict[str, object], error: type[Exception], match: str
) -> None:
    fields: dict[str, object] = {
        "group": "customers",
        "channel": "hotline",
        "sent_at": AT,
        **changes,
    }

    with pytest.raises(error, match=match):
        SentMessage(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "error", "match"),
    [
        ({"first_within": -MIN}, ValidationError, "'first_within'"),
        ({"first_within": 5}, InvalidTypeError, "'first_within'"),
        ({"every": _ZERO}, ValidationError, "'every'"),
        ({"long_after": HOUR}, ValidationError, "'long_every'"),
        ({"long_every": HOUR}, ValidationError, "'long_every'"),
        ({"long_after": HOUR, "long_every": MIN}, ValidationError, "at least"),
        ({"long_after": _ZERO, "long_every": HOUR}, ValidationError, "'long_after'"),
    ],
)
def test_update_cadence_rejects_bad_input(
    changes: dict[str, object], error: type[Exception], match: str
) -> None:
    fields: dict[str, object] = {"first_within": _ZERO, "every": 20 * MIN, **changes}

    with pytest.raises(error, match=match):
        UpdateCadence(**fields)  # type: ignore[arg-type]


def test_cadence_and_plan_queries_reject_bad_input() -> None:
    plan = _two_group_plan()
    cadence = default_cadence(ResponseLevel.I, internal=False)

    with pytest.raises(InvalidTypeError, match="'elapsed'"):
        cadence.interval_at(20)  # type: ignore[arg-type]
    with pytest.raises(UnknownKeyError, match="response level"):
        default_cadence("SEV1", internal=True)
    with pytest.raises(InvalidTypeError, match="'internal'"):
        default_cadence(ResponseLevel.I, internal=None)  # type: ignore[arg-type]
    with pytest.raises(UnknownKeyError, match="custmers"):
        plan.step("custmers")
    with pytest.raises(InvalidTypeError, match="'group'"):
        plan.step(3)  # type: ignore[arg-type]
    with pytest.raises(NaiveDatetimeError, match="'sent_at'"):
        plan.next_update_due("customers", AT.replace(tzinfo=None))
    with pytest.raises(NaiveDatetimeError, match="'states_next_update_at'"):
        plan.next_update_due("customers", AT, AT.replace(tzinfo=None))
    with pytest.raises(NaiveDatetimeError, match="'until'"):
        plan.due_times("customers", AT.replace(tzinfo=None))


@pytest.mark.parametrize(
    ("fields", "match"),
    [
        ({"kind": FindingKind.NEXT_UPDATE_NOT_STATED}, "'sent_at'"),
        (
            {"kind": FindingKind.NEXT_UPDATE_NOT_STATED, "sent_at": AT, "due_at": AT},
            "'due_at'",
        ),
        ({"kind": FindingKind.MISSED_UPDATE, "due_at": AT}, "'due_at'"),
        (
            {
                "kind": FindingKind.MISSED_UPDATE,
                "due_at": AT,
                "sent_at": AT + HOUR,
                "late_by": MIN,
            },
            "'late_by'",
        ),
        (
            {"kind": FindingKind.MISSED_UPDATE, "due_at": AT, "late_by": -MIN},
            "'late_by'",
        ),
        ({"kind": "missed_update", "due_at": AT, "late_by": MIN}, "'kind'"),
    ],
)
def test_plan_finding_rejects_inconsistent_fields(
    fields: dict[str, object], match: str
) -> None:
    with pytest.raises((ValidationError, InvalidTypeError), match=match):
        PlanFinding(group="customers", **fields)  # type: ignore[arg-type]


def test_plan_check_rejects_bad_input() -> None:
    with pytest.raises(NaiveDatetimeError, match="'as_of'"):
        PlanCheck(as_of=AT.replace(tzinfo=None))
    with pytest.raises(NaiveDatetimeError, match="next_due"):
        PlanCheck(as_of=AT, next_due={"customers": AT.replace(tzinfo=None)})
    with pytest.raises(InvalidTypeError, match="'findings"):
        PlanCheck(as_of=AT, findings=["late"])
