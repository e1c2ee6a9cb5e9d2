"""A crisis's communications checked against its plan: messages, check, adherence."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops.errors import (
    InvalidTypeError,
    NaiveDatetimeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.response.communication import (
    cadence_adherence,
    check_communications,
    sent_messages,
)
from crisisops.response.crisis import Crisis
from crisisops.stakeholders import (
    Channel,
    CommunicationPlan,
    FindingKind,
    SentMessage,
    Stakeholder,
    StakeholderGraph,
    check_plan,
    plan_communication,
)
from crisisops.taxonomy import ResponseLevel

UTC = dt.timezone.utc
TAIPEI = dt.timezone(dt.timedelta(hours=8))
START = dt.datetime(2026, 11, 11, 0, 0, tzinfo=TAIPEI)
TYPE = "technical.system_failure"


def minutes(m: float) -> dt.datetime:
    return START + dt.timedelta(minutes=m)


def member(key: str, kind: str) -> Stakeholder:
    return Stakeholder(
        key=key,
        name=key,
        kind=kind,
        power=0.5,
        legitimacy=0.8,
        urgency=0.8,
        interest=0.7,
    )


SHOP = StakeholderGraph(
    stakeholders=[member("buyers", "customers"), member("staff", "employees")]
)


def make_plan(
    crisis_type: str = TYPE, level: ResponseLevel = ResponseLevel.II
) -> CommunicationPlan:
    # Level II defaults: employees first due 00:15, customers 00:30; every 30 min,
    # 2 h after the start every 2 h.
    return plan_communication(crisis_type, level, SHOP, at=START)


def declared(crisis_type: str = TYPE) -> Crisis:
    return Crisis.declare(
        "outage_1111",
        title="Checkout down",
        crisis_type=crisis_type,
        level=ResponseLevel.II,
        at=START,
        actor="ops",
        lead="alice",
    )


def say(
    crisis: Crisis,
    at: dt.datetime,
    audience: str,
    *,
    next_update_at: dt.datetime | None = None,
    final: bool = False,
    channel: Channel = Channel.WEBSITE_NOTICE,
) -> Crisis:
    return crisis.record_communication(
        at=at,
        actor="alice",
        audience=audience,
        channel=channel,
        internal=audience == "employees",
        summary=f"update to {audience}",
        next_update_at=next_update_at,
        final=final,
    )


def story() -> Crisis:
    """Employees told at 00:10 (promise 00:40) and 00:40; customers late at 00:45."""
    crisis = say(
        declared(),
        minutes(10),
        "employees",
        next_update_at=minutes(40),
        channel=Channel.INTERNAL_MEETING,
    )
    crisis = say(crisis, minutes(40), "employees", channel=Channel.INTERNAL_MEETING)
    return say(crisis, minutes(45), "customers", next_update_at=minutes(75))


# --- sent_messages --------------------------------------------------------------------


def test_sent_messages_map_each_communication_to_a_whole_group_message() -> None:
    expected = (
        SentMessage(
            group="employees",
            channel=Channel.INTERNAL_MEETING,
            sent_at=minutes(10),
            states_next_update_at=minutes(40),
        ),
        SentMessage(
            group="employees", channel=Channel.INTERNAL_MEETING, sent_at=minutes(40)
        ),
        SentMessage(
            group="customers",
            channel=Channel.WEBSITE_NOTICE,
            sent_at=minutes(45),
            states_next_update_at=minutes(75),
        ),
    )

    assert expected == sent_messages(story())


def test_sent_messages_of_a_silent_crisis_are_empty() -> None:
    assert () == sent_messages(declared())


def test_a_message_cannot_promise_its_next_update_for_the_same_moment() -> None:
    # The event follows the SentMessage rule, so every recorded message converts.
    with pytest.raises(ValidationError, match="next_update_at"):
        say(declared(), minutes(10), "customers", next_update_at=minutes(10))


def test_sent_messages_reject_a_crisis_of_the_wrong_type() -> None:
    with pytest.raises(InvalidTypeError, match="crisis"):
        sent_messages("outage_1111")  # type: ignore[arg-type]


# --- check_communications -------------------------------------------------------------


def test_check_at_0050_finds_the_late_customers_and_nothing_else() -> None:
    # employees: 00:10 <= 00:15 on time; 00:40 <= 00:40 on time (exactly on the
    # promise); next due 00:40 + 30 min = 01:10, not yet passed at 00:50.
    # customers: first due 00:30, sent 00:45: late by 15 min; next due 01:15.
    # The 00:40 message to employees said nothing about the next update.
    check = check_communications(story(), make_plan(), as_of=minutes(50))

    assert [
        (FindingKind.OVERDUE_FIRST_MESSAGE, "customers", dt.timedelta(minutes=15)),
        (FindingKind.NEXT_UPDATE_NOT_STATED, "employees", None),
    ] == [(f.kind, f.group, f.late_by) for f in check.findings]  # by moment
    assert minutes(70) == check.next_due["employees"]
    assert minutes(75) == check.next_due["customers"]


def test_check_equals_check_plan_on_the_sent_messages() -> None:
    crisis, plan = story(), make_plan()
    for as_of in (minutes(5), minutes(31), minutes(50), minutes(80), minutes(300)):
        expected = check_plan(plan, sent_messages(crisis), as_of)

        assert expected == check_communications(crisis, plan, as_of=as_of)


def test_check_with_an_earlier_as_of_ignores_later_messages() -> None:
    # At 00:20 only the employees' 00:10 message counts; nothing is late yet
    # (customers' first message is due 00:30).
    check = check_communications(story(), make_plan(), as_of=minutes(20))

    assert check.ok
    assert minutes(40) == check.next_due["employees"]
    assert minutes(30) == check.next_due["customers"]


def test_check_rejects_a_plan_for_another_crisis_type() -> None:
    with pytest.raises(ValidationError, match=r"plan\.crisis_type"):
        check_communications(
            story(), make_plan("market.traffic_swing"), as_of=minutes(50)
        )


def test_check_accepts_the_declared_plan_after_a_re_typing_confirmation() -> None:
    crisis = declared().confirm(
        at=minutes(5),
        actor="alice",
        root_cause="a bad deploy",
        crisis_type="technical.network_security",
    )
    crisis = say(crisis, minutes(10), "employees", next_update_at=minutes(35))
    new_plan = make_plan("technical.network_security")

    # Employees heard at 00:10 (due 00:15); customers are due at 00:30.
    assert check_communications(crisis, make_plan(), as_of=minutes(25)).ok
    assert check_communications(crisis, new_plan, as_of=minutes(25)).ok
    with pytest.raises(ValidationError, match=r"technical\.system_failure"):
        check_communications(crisis, new_plan, as_of=minutes(4))


def test_check_names_an_audience_the_plan_does_not_have() -> None:
    crisis = say(story(), minutes(46), "customer")

    with pytest.raises(UnknownKeyError, match="'customer'") as caught:
        check_communications(crisis, make_plan(), as_of=minutes(50))

    assert ("customers",) == caught.value.suggestions
    assert "sequence 4" in str(caught.value)


def test_check_rejects_an_unknown_audience_even_after_as_of() -> None:
    crisis = say(story(), minutes(60), "suppliers")

    with pytest.raises(UnknownKeyError, match="suppliers"):
        check_communications(crisis, make_plan(), as_of=minutes(50))


@pytest.mark.parametrize(
    ("crisis", "plan", "as_of", "error"),
    [
        (None, "plan", minutes(1), InvalidTypeError),
        ("crisis", None, minutes(1), InvalidTypeError),
        ("crisis", "plan", dt.datetime(2026, 11, 11), NaiveDatetimeError),  # noqa: DTZ001
        ("crisis", "plan", "00:50", InvalidTypeError),
    ],
)
def test_check_and_adherence_reject_bad_input(
    crisis: object, plan: object, as_of: object, error: type[Exception]
) -> None:
    real_crisis = story() if crisis == "crisis" else crisis
    real_plan = make_plan() if plan == "plan" else plan
    for function in (check_communications, cadence_adherence):
        with pytest.raises(error):
            function(real_crisis, real_plan, as_of=as_of)  # type: ignore[arg-type]


# --- cadence_adherence ----------------------------------------------------------------


def test_adherence_is_none_before_anything_is_settled() -> None:
    # Nothing sent and no deadline passed (employees' first is due 00:15).
    assert cadence_adherence(declared(), make_plan(), as_of=minutes(14)) is None


def test_adherence_is_none_exactly_at_an_unmet_deadline() -> None:
    # check_plan: a message exactly on its deadline is on time, so at 00:15 the
    # employees' deadline is still open.
    assert cadence_adherence(declared(), make_plan(), as_of=minutes(15)) is None


def test_adherence_counts_a_deadline_missed_once_passed() -> None:
    # At 00:16 the employees' first message (due 00:15) is missed: 0 of 1.
    assert 0.0 == cadence_adherence(declared(), make_plan(), as_of=minutes(16))


def test_adherence_of_the_story_by_hand() -> None:
    crisis, plan = story(), make_plan()
    # At 00:50 — employees: first (00:10, on time), update due 00:40 (sent 00:40,
    # on time); customers: first due 00:30 (sent 00:45, late). 2 of 3 on time.
    assert 2 / 3 == cadence_adherence(crisis, plan, as_of=minutes(50))
    # At 01:20 — as above, plus employees' update due 01:10 (passed, unsent) and
    # customers' update due 01:15 (passed, unsent): 2 of 5.
    assert 2 / 5 == cadence_adherence(crisis, plan, as_of=minutes(80))


def test_adherence_counts_an_early_message_before_its_deadline_passes() -> None:
    # Employees told at 00:05 (due 00:15): settled and on time at 00:06 already.
    crisis = say(declared(), minutes(5), "employees", next_update_at=minutes(30))

    assert 1.0 == cadence_adherence(crisis, make_plan(), as_of=minutes(6))


def test_a_final_message_closes_the_group() -> None:
    # customers: 00:20 first (on time), 00:40 final (due 00:50, on time); then
    # nothing is due for customers. employees: first due 00:15 missed, and at
    # 05:00 still open and missed (one deadline, not one per interval): 2 of 3.
    crisis = say(declared(), minutes(20), "customers", next_update_at=minutes(50))
    crisis = say(crisis, minutes(40), "customers", final=True)

    assert 2 / 3 == cadence_adherence(crisis, make_plan(), as_of=minutes(300))
    assert (
        check_communications(crisis, make_plan(), as_of=minutes(300)).next_due[
            "customers"
        ]
        is None
    )


def test_a_late_message_restarts_the_chain_from_when_it_was_sent() -> None:
    # employees: first due 00:15 sent 01:00 (late: one missed deadline, not
    # three); next due 01:00 + 30 min = 01:30, sent 01:20 on time. 1 of 2.
    # customers: first due 00:30, nothing sent by 01:25: missed. 1 of 3 in all.
    crisis = say(declared(), minutes(60), "employees", next_update_at=minutes(90))
    crisis = say(crisis, minutes(80), "employees", next_update_at=minutes(110))

    assert 1 / 3 == cadence_adherence(crisis, make_plan(), as_of=minutes(85))
    check = check_communications(crisis, make_plan(), as_of=minutes(85))
    assert [
        ("employees", minutes(15), minutes(60)),
        ("customers", minutes(30), None),
    ] == [(f.group, f.due_at, f.sent_at) for f in check.findings]


def test_a_log_kept_in_utc_checks_the_same_as_one_in_local_time() -> None:
    def in_utc(moment: dt.datetime) -> dt.datetime:
        return moment.astimezone(UTC)

    crisis = say(
        declared(),
        in_utc(minutes(10)),
        "employees",
        next_update_at=in_utc(minutes(40)),
        channel=Channel.INTERNAL_MEETING,
    )
    crisis = say(crisis, in_utc(minutes(40)), "employees")
    crisis = say(crisis, in_utc(minutes(45)), "customers", next_update_at=minutes(75))

    for as_of in (minutes(50), in_utc(minutes(80))):
        assert cadence_adherence(story(), make_plan(), as_of=as_of) == (
            cadence_adherence(crisis, make_plan(), as_of=as_of)
        )


# --- properties -----------------------------------------------------------------------


@st.composite
def message_logs(draw: st.DrawFn) -> list[tuple[int, str, int | None, bool]]:
    """(minute, audience, promise in minutes after, final), minutes non-decreasing."""
    count = draw(st.integers(min_value=0, max_value=8))
    minute = 0
    log = []
    for _ in range(count):
        minute += draw(st.integers(min_value=0, max_value=90))
        audience = draw(st.sampled_from(["employees", "customers"]))
        promise = draw(st.none() | st.integers(min_value=1, max_value=120))
        final = draw(st.booleans())
        log.append((minute, audience, None if final else promise, final))
    return log


def build(log: list[tuple[int, str, int | None, bool]]) -> Crisis:
    crisis = declared()
    for minute, audience, promise, final in log:
        crisis = say(
            crisis,
            minutes(minute),
            audience,
            next_update_at=None if promise is None else minutes(minute + promise),
            final=final,
        )
    return crisis


def reference_adherence(
    plan: CommunicationPlan,
    log: list[tuple[int, str, int | None, bool]],
    as_of: int,
) -> float | None:
    """The definition, spelled out: walk each group's chain of deadlines."""
    on_time = settled = 0
    for step in plan.steps:
        sent = [entry for entry in log if entry[1] == step.group and entry[0] <= as_of]
        due: dt.datetime | None = step.first_message_due
        for minute, _, promise, final in sent:  # already in time order
            assert due is not None
            settled += 1
            on_time += minutes(minute) <= due
            if final:
                due = None
                break
            due = plan.next_update_due(
                step.group,
                minutes(minute),
                None if promise is None else minutes(minute + promise),
            )
        if due is not None and minutes(as_of) > due:
            settled += 1
    return None if settled == 0 else on_time / settled


@settings(max_examples=60, deadline=None)
@given(log=message_logs(), as_of=st.integers(min_value=0, max_value=900))
def test_adherence_follows_the_chain_of_deadlines(
    log: list[tuple[int, str, int | None, bool]], as_of: int
) -> None:
    crisis, plan = build(log), make_plan()
    moment = minutes(as_of)

    share = cadence_adherence(crisis, plan, as_of=moment)

    assert reference_adherence(plan, log, as_of) == share
    check = check_communications(crisis, plan, as_of=moment)
    late = len(check.overdue_first_messages) + len(check.missed_updates)
    assert (share is None or share == 1.0) == (late == 0)


@settings(max_examples=40, deadline=None)
@given(offsets=st.lists(st.integers(min_value=0, max_value=15), min_size=1, max_size=6))
def test_messages_always_before_their_deadlines_adhere_fully(
    offsets: list[int],
) -> None:
    # Each message goes to both groups, `early` minutes before the earlier of
    # their pending deadlines, and promises the next one 30 minutes later.
    plan = make_plan()
    crisis = declared()
    due = {step.group: step.first_message_due for step in plan.steps}
    for early in offsets:
        moment = min(due.values()) - dt.timedelta(minutes=early)
        moment = max(moment, crisis.last_event_at)
        for group in ("employees", "customers"):
            crisis = say(
                crisis, moment, group, next_update_at=moment + dt.timedelta(minutes=30)
            )
            due[group] = plan.next_update_due(
                group, moment, moment + dt.timedelta(minutes=30)
            )
    last = crisis.last_event_at

    assert 1.0 == cadence_adherence(crisis, plan, as_of=last)


@settings(max_examples=40, deadline=None)
@given(log=message_logs(), cut=st.integers(min_value=0, max_value=900))
def test_an_earlier_as_of_replays_the_shorter_log(
    log: list[tuple[int, str, int | None, bool]], cut: int
) -> None:
    crisis, plan = build(log), make_plan()
    shorter = build([entry for entry in log if entry[0] <= cut])

    assert cadence_adherence(shorter, plan, as_of=minutes(cut)) == cadence_adherence(
        crisis, plan, as_of=minutes(cut)
    )
    assert check_communications(
        shorter, plan, as_of=minutes(cut)
    ) == check_communications(crisis, plan, as_of=minutes(cut))
