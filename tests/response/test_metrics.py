"""Response metrics of one crisis and summaries over many."""

from __future__ import annotations

import datetime as dt
import json
import math
from typing import Any

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
from crisisops.frozen import FrozenDict
from crisisops.response.communication import cadence_adherence
from crisisops.response.crisis import Crisis
from crisisops.response.lifecycle import CrisisMode, CrisisStatus
from crisisops.response.metrics import (
    DURATION_METRICS,
    DurationStats,
    MetricsSummary,
    ResponseMetrics,
    measure,
    summarize,
)
from crisisops.serialization import from_data, to_data
from crisisops.stakeholders import (
    Channel,
    Stakeholder,
    StakeholderGraph,
    plan_communication,
)
from crisisops.taxonomy import ResponseLevel

UTC = dt.timezone.utc
DAY = dt.datetime(2026, 6, 18, tzinfo=UTC)
MINUTE = dt.timedelta(minutes=1)
HOUR = dt.timedelta(hours=1)
S = CrisisStatus
L = ResponseLevel


def at(hour: int, minute: int = 0) -> dt.datetime:
    return DAY + dt.timedelta(hours=hour, minutes=minute)


def _json(document: dict[str, Any]) -> Any:
    return json.loads(json.dumps(document, allow_nan=False))


def _declare(
    key: str = "traffic_drop",
    *,
    declared: dt.datetime | None = None,
    detected: dt.datetime | None = None,
    impact: dt.datetime | None = None,
    mode: CrisisMode = CrisisMode.REAL,
    level: ResponseLevel = L.III,
    crisis_type: str = "market.traffic_swing",
) -> Crisis:
    return Crisis.declare(
        key,
        title="Traffic drop after a platform outage",
        crisis_type=crisis_type,
        level=level,
        at=declared or at(8, 40),
        actor="monitor",
        lead="lin",
        mode=mode,
        detected_at=detected or at(8, 30),
        impact_started_at=impact,
    )


def _worked() -> Crisis:
    """The hand-worked crisis of the tests below (all times on 18 June, UTC).

    08:00 impact starts · 08:30 detected · 08:40 declared, Level III
    09:00 confirmed · 09:10 action ``restore`` (due 11:00) → responding
    09:20 ``promo`` (due 10:00) · 09:30 ``notify`` (due 12:00)
    09:40 ``extra`` (due 20:00) · 09:45 ``restore`` started
    10:00 escalated to Level II · 10:30 ``restore`` done (on time)
    10:40 ``promo`` started · 11:00 ``promo`` done (an hour late)
    11:30 ``extra`` cancelled · 12:00 de-escalated to Level III
    13:00 contained · 15:00 recovered · 17:00 resolved
    ``notify`` stays open.
    """
    crisis = _declare(impact=at(8))
    crisis = crisis.confirm(at=at(9), actor="lin", root_cause="Search ranking lost")
    for minute, key, due in (
        (10, "restore", at(11)),
        (20, "promo", at(10)),
        (30, "notify", at(12)),
        (40, "extra", at(20)),
    ):
        crisis = crisis.assign_action(
            key,
            at=at(9, minute),
            actor="lin",
            title=f"Do {key}",
            owner="lin",
            due_at=due,
            done_when=f"{key} is done",
        )
    crisis = crisis.start_action("restore", at=at(9, 45), actor="lin")
    crisis = crisis.escalate(at=at(10), actor="lin", reason="GMV still falling")
    crisis = crisis.complete_action("restore", at=at(10, 30), actor="lin")
    crisis = crisis.start_action("promo", at=at(10, 40), actor="lin")
    crisis = crisis.complete_action("promo", at=at(11), actor="lin")
    crisis = crisis.cancel_action("extra", at=at(11, 30), actor="lin", reason="moot")
    crisis = crisis.de_escalate(at=at(12), actor="lin", reason="traffic back")
    crisis = crisis.mark_contained(at=at(13), actor="lin")
    crisis = crisis.mark_recovered(at=at(15), actor="lin")
    return crisis.resolve(at=at(17), actor="lin")


# --- one crisis, by hand -----------------------------------------------------


def test_durations_of_the_worked_crisis() -> None:
    metrics = measure(_worked(), as_of=at(18))

    # detect: 08:00 → 08:30; the others from detection at 08:30:
    # acknowledged (confirmed) 09:00, contained 13:00, recovered 15:00,
    # resolved 17:00
    assert 30 * MINUTE == metrics.time_to_detect
    assert 30 * MINUTE == metrics.time_to_acknowledge
    assert 4 * HOUR + 30 * MINUTE == metrics.time_to_contain
    assert 6 * HOUR + 30 * MINUTE == metrics.time_to_recover
    assert 8 * HOUR + 30 * MINUTE == metrics.time_to_resolve
    assert metrics.time_to_resolve == metrics.duration("time_to_resolve")


def test_time_at_each_level_of_the_worked_crisis() -> None:
    metrics = measure(_worked(), as_of=at(18))

    # III 08:40 → 10:00 (1 h 20) and 12:00 → 17:00 (resolved; 5 h): 6 h 20
    # II 10:00 → 12:00: 2 h
    assert {L.II: 2 * HOUR, L.III: 6 * HOUR + 20 * MINUTE} == dict(
        metrics.time_at_level
    )
    assert [L.II, L.III] == list(metrics.time_at_level)  # ResponseLevel order


def test_time_in_each_status_of_the_worked_crisis() -> None:
    metrics = measure(_worked(), as_of=at(18))

    # detected 08:40 → 09:00; confirmed 09:00 → 09:10 (first action);
    # responding 09:10 → 13:00; contained 13:00 → 15:00;
    # recovering 15:00 → 17:00; resolved 17:00 → as_of 18:00
    assert {
        S.DETECTED: 20 * MINUTE,
        S.CONFIRMED: 10 * MINUTE,
        S.RESPONDING: 3 * HOUR + 50 * MINUTE,
        S.CONTAINED: 2 * HOUR,
        S.RECOVERING: 2 * HOUR,
        S.RESOLVED: HOUR,
    } == dict(metrics.time_in_status)
    assert S.RESOLVED == metrics.status


def test_actions_of_the_worked_crisis() -> None:
    metrics = measure(_worked(), as_of=at(18))

    # 4 actions: restore done on time, promo done late, extra cancelled,
    # notify open past 12:00. On time: 1 of (2 done + 1 overdue) = 1/3.
    assert (4, 2, 1, 1) == (
        metrics.actions_total,
        metrics.actions_done,
        metrics.actions_cancelled,
        metrics.actions_overdue,
    )
    assert metrics.on_time_rate == pytest.approx(1 / 3)


def test_metrics_before_anything_is_due() -> None:
    crisis = _declare()
    crisis = crisis.confirm(at=at(9), actor="lin", root_cause="Search ranking lost")
    crisis = crisis.assign_action(
        "restore",
        at=at(9, 10),
        actor="lin",
        title="Restore ranking",
        owner="lin",
        due_at=at(12),
        done_when="Ranking restored",
    )

    metrics = measure(crisis, as_of=at(10))

    # No impact start → no time to detect; not contained yet.
    assert metrics.time_to_detect is None
    assert metrics.time_to_contain is None
    assert 30 * MINUTE == metrics.time_to_acknowledge
    # Level III from 08:40 to as_of 10:00, still active
    assert {L.III: HOUR + 20 * MINUTE} == dict(metrics.time_at_level)
    assert metrics.on_time_rate is None  # nothing done, nothing overdue
    assert (1, 0, 0, 0) == (
        metrics.actions_total,
        metrics.actions_done,
        metrics.actions_cancelled,
        metrics.actions_overdue,
    )
    assert metrics.communication_adherence is None
    assert S.RESPONDING == metrics.status


def test_a_drill_does_not_count_in_metrics() -> None:
    metrics = measure(_declare(mode=CrisisMode.DRILL), as_of=at(9))

    assert CrisisMode.DRILL == metrics.mode
    assert metrics.counts_in_metrics is False
    assert measure(_declare(), as_of=at(9)).counts_in_metrics is True


def test_reopening_adds_to_the_earlier_statuses() -> None:
    crisis = _declare()
    crisis = crisis.dismiss(at=at(9), actor="lin", reason="looked like noise")
    crisis = crisis.reopen(at=at(10), actor="lin", reason="it was real")

    metrics = measure(crisis, as_of=at(11))

    # detected 08:40 → 09:00; dismissed 09:00 → 10:00; responding 10:00 → 11:00
    assert {
        S.DETECTED: 20 * MINUTE,
        S.RESPONDING: HOUR,
        S.DISMISSED: HOUR,
    } == dict(metrics.time_in_status)
    assert S.RESPONDING == metrics.status == crisis.status


def test_time_at_level_leaves_out_the_gap_before_a_reopening() -> None:
    # The worked crisis is active 08:40 → 17:00 (resolved); reopened at
    # 09:00 the next day (16 h later), escalated at 10:00, measured at 11:00.
    crisis = _worked().reopen(at=at(33), actor="lin", reason="ranking lost again")
    crisis = crisis.escalate(at=at(34), actor="lin", reason="spreading")

    metrics = measure(crisis, as_of=at(35))

    # III: 6 h 20 before the resolution + 1 h after the reopening (09:00 →
    # 10:00); II: 2 h before + 1 h after (10:00 → 11:00). The 16 h while
    # resolved count at no level.
    assert {L.II: 3 * HOUR, L.III: 7 * HOUR + 20 * MINUTE} == dict(
        metrics.time_at_level
    )
    # ... but in the resolved status: 17:00 → 09:00 the next day.
    assert 16 * HOUR == metrics.time_in_status[S.RESOLVED]
    assert S.RESPONDING == metrics.status


def test_an_ended_crisis_judges_its_actions_when_it_ended() -> None:
    crisis = _declare()
    crisis = crisis.confirm(at=at(9), actor="lin", root_cause="Search ranking lost")
    crisis = crisis.assign_action(
        "restore",
        at=at(9),
        actor="lin",
        title="Restore ranking",
        owner="lin",
        due_at=at(20),
        done_when="Ranking restored",
    )
    crisis = crisis.mark_contained(at=at(12), actor="lin")
    crisis = crisis.mark_recovered(at=at(13), actor="lin")
    crisis = crisis.resolve(at=at(14), actor="lin")

    # "restore" was still open, but not due, when the crisis was resolved at
    # 14:00; no work can be recorded on it any more, so a week later it is
    # still not overdue.
    at_the_end = measure(crisis, as_of=at(14))
    a_week_later = measure(crisis, as_of=at(14) + 7 * 24 * HOUR)
    assert (0, None) == (a_week_later.actions_overdue, a_week_later.on_time_rate)
    assert at_the_end.actions_overdue == a_week_later.actions_overdue


def _audience(key: str, kind: str) -> Stakeholder:
    return Stakeholder(
        key=key,
        name=key,
        kind=kind,
        power=0.5,
        legitimacy=0.8,
        urgency=0.8,
        interest=0.7,
    )


def test_communication_adherence_comes_from_the_plan() -> None:
    shop = StakeholderGraph(
        stakeholders=[_audience("buyers", "customers"), _audience("staff", "employees")]
    )
    crisis = _declare(
        crisis_type="technical.system_failure", level=L.II, declared=at(8, 40)
    )
    plan = plan_communication("technical.system_failure", L.II, shop, at=at(8, 40))
    crisis = crisis.record_communication(
        at=at(8, 50),
        actor="lin",
        audience="employees",
        channel=Channel.INTERNAL_MEETING,
        internal=True,
        summary="Checkout is down; war room now.",
        next_update_at=at(9, 20),
    )

    metrics = measure(crisis, as_of=at(10), plan=plan)

    expected = cadence_adherence(crisis, plan, as_of=at(10))
    assert expected is not None
    assert expected == metrics.communication_adherence
    assert 0 <= expected <= 1


# --- properties --------------------------------------------------------------


@st.composite
def level_histories(draw: st.DrawFn) -> tuple[Crisis, dt.datetime]:
    """A crisis escalated and de-escalated at random, maybe resolved."""
    crisis = _declare(level=draw(st.sampled_from(L)))
    moment = at(8, 40)
    for _ in range(draw(st.integers(min_value=0, max_value=6))):
        moment += dt.timedelta(minutes=draw(st.integers(min_value=0, max_value=300)))
        level = crisis.level
        choices = []
        if level is not L.I:
            choices.append("escalate")
        if level is not L.IV:
            choices.append("de_escalate")
        command = draw(st.sampled_from(choices))
        crisis = getattr(crisis, command)(at=moment, actor="lin", reason="moved")
    if draw(st.booleans()):
        for command in ("mark_contained", "mark_recovered", "resolve"):
            moment += dt.timedelta(minutes=draw(st.integers(min_value=0, max_value=90)))
            if command == "mark_contained":
                crisis = crisis.confirm(at=moment, actor="lin", root_cause="known")
            crisis = getattr(crisis, command)(at=moment, actor="lin")
        if draw(st.booleans()):  # reopened after a while, maybe escalated
            moment += dt.timedelta(
                minutes=draw(st.integers(min_value=0, max_value=900))
            )
            crisis = crisis.reopen(at=moment, actor="lin", reason="back")
            if crisis.level is not L.I and draw(st.booleans()):
                moment += dt.timedelta(minutes=draw(st.integers(0, 90)))
                crisis = crisis.escalate(at=moment, actor="lin", reason="worse")
    as_of = moment + dt.timedelta(minutes=draw(st.integers(min_value=0, max_value=600)))
    return crisis, as_of


@settings(max_examples=40, deadline=None)
@given(level_histories())
def test_time_at_level_sums_to_the_active_time(
    history: tuple[Crisis, dt.datetime],
) -> None:
    crisis, as_of = history

    metrics = measure(crisis, as_of=as_of)

    # Summed over the levels: the time the crisis was active; that is, the
    # time in the active statuses, here counted from the status history.
    active = sum(
        (span for status, span in metrics.time_in_status.items() if status.is_active),
        dt.timedelta(),
    )
    assert active == sum(metrics.time_at_level.values(), dt.timedelta())
    if crisis.reopen_count == 0:
        end = crisis.ended_at if crisis.ended_at is not None else as_of
        assert end - crisis.declared_at == active
    assert {c.level for c in crisis.level_changes} == set(metrics.time_at_level)
    assert as_of - crisis.declared_at == sum(
        metrics.time_in_status.values(), dt.timedelta()
    )


_STEPS: dict[CrisisStatus, tuple[str, ...]] = {
    S.DETECTED: ("confirm", "dismiss", "escalate_or_record"),
    S.CONFIRMED: ("assign_action", "mark_contained", "escalate_or_record"),
    S.RESPONDING: ("mark_contained", "assign_action", "escalate_or_record"),
    S.CONTAINED: ("mark_recovered", "escalate_or_record"),
    S.RECOVERING: ("resolve",),
    S.RESOLVED: ("mark_reviewed", "reopen"),
    S.REVIEWED: ("reopen",),
    S.DISMISSED: ("reopen",),
}


def _step(crisis: Crisis, command: str, moment: dt.datetime) -> Crisis:
    actor = "lin"
    if command == "confirm":
        return crisis.confirm(at=moment, actor=actor, root_cause="known")
    if command in ("dismiss", "reopen"):
        reasoned: Crisis = getattr(crisis, command)(at=moment, actor=actor, reason="x")
        return reasoned
    if command == "assign_action":
        key = f"action_{crisis.version}"
        return crisis.assign_action(
            key,
            at=moment,
            actor=actor,
            title="Act",
            owner="lin",
            due_at=moment + HOUR,
            done_when="done",
        )
    if command == "escalate_or_record":
        if crisis.level is L.I:
            return crisis.de_escalate(at=moment, actor=actor, reason="better")
        return crisis.escalate(at=moment, actor=actor, reason="worse")
    moved: Crisis = getattr(crisis, command)(at=moment, actor=actor)
    return moved


@settings(max_examples=40, deadline=None)
@given(st.data())
def test_replayed_statuses_match_the_crisis_after_every_event(
    data: st.DataObject,
) -> None:
    crisis = _declare()
    moment = at(8, 40)
    for _ in range(data.draw(st.integers(min_value=0, max_value=12))):
        moment += dt.timedelta(
            minutes=data.draw(st.integers(min_value=0, max_value=60))
        )
        command = data.draw(st.sampled_from(_STEPS[crisis.status]))
        crisis = _step(crisis, command, moment)

    events = tuple(crisis.events)
    for length in range(1, len(events) + 1):
        prefix = Crisis.from_events(events[:length])
        last = events[length - 1].at
        metrics = measure(prefix, as_of=last)
        assert prefix.status == metrics.status
        assert prefix.status in metrics.time_in_status
    final = measure(crisis, as_of=moment + HOUR)
    assert moment + HOUR - crisis.declared_at == sum(
        final.time_in_status.values(), dt.timedelta()
    )


@settings(max_examples=25, deadline=None)
@given(level_histories())
def test_metrics_round_trip_through_plain_data(
    history: tuple[Crisis, dt.datetime],
) -> None:
    crisis, as_of = history
    metrics = measure(crisis, as_of=as_of)

    assert metrics == from_data(ResponseMetrics, _json(to_data(metrics)))


# --- many crises -------------------------------------------------------------


def _resolved_after(
    key: str,
    hours: int,
    *,
    impact: bool = True,
    mode: CrisisMode = CrisisMode.REAL,
) -> Crisis:
    """Detected 08:30, confirmed 08:45, resolved ``hours`` after detection."""
    crisis = _declare(key, impact=at(8) if impact else None, mode=mode)
    crisis = crisis.confirm(at=at(8, 45), actor="lin", root_cause="known")
    end = at(8, 30) + hours * HOUR
    crisis = crisis.mark_contained(at=end, actor="lin")
    crisis = crisis.mark_recovered(at=end, actor="lin")
    return crisis.resolve(at=end, actor="lin")


def test_summary_is_worked_out_by_hand() -> None:
    crises = [
        _resolved_after("one", 1),
        _resolved_after("two", 2, impact=False),
        _resolved_after("six", 6),
        _resolved_after("drill", 50, mode=CrisisMode.DRILL),
    ]

    summary = summarize(crises, as_of=at(23))

    # The drill is left out; time to resolve over 3600, 7200, 21600 s:
    # mean 10800, median 7200, p90 at position 0.9·2 = 1.8:
    # 7200 + 0.8·(21600 − 7200) = 18720
    assert ("one", "two", "six") == summary.crises
    assert (3, 1) == (summary.count, summary.excluded)
    resolve = summary.time_to_resolve
    assert (3, 10800.0, 7200.0) == (resolve.count, resolve.mean, resolve.median)
    assert resolve.p90 == pytest.approx(18720.0)
    # "two" has no impact start, so time to detect is over two crises: 1800 s each
    assert DurationStats(count=2, mean=1800.0, median=1800.0, p90=1800.0) == (
        summary.time_to_detect
    )
    # confirmed 15 min after detection, everywhere
    assert 900.0 == summary.stats("time_to_acknowledge").mean


def test_summary_can_include_drills() -> None:
    crises = [
        _resolved_after("one", 1),
        _resolved_after("drill", 3, mode=CrisisMode.DRILL),
    ]

    summary = summarize(crises, as_of=at(23), include_drills=True)

    # mean of 1 h and 3 h: 7200 s
    assert (2, 0) == (summary.count, summary.excluded)
    assert 7200.0 == summary.time_to_resolve.mean


def test_summary_of_no_crises_is_empty() -> None:
    summary = summarize([], as_of=at(23))

    assert 0 == summary.count
    for name in DURATION_METRICS:
        assert DurationStats(count=0, mean=None, median=None, p90=None) == (
            summary.stats(name)
        )


def test_summary_of_a_metric_no_crisis_has() -> None:
    summary = summarize([_declare("open_one")], as_of=at(23))

    assert 1 == summary.count
    assert 0 == summary.time_to_resolve.count
    assert summary.time_to_resolve.mean is None


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(min_value=1, max_value=12), st.booleans()),
        max_size=6,
    )
)
def test_summary_statistics_lie_within_the_data(
    specs: list[tuple[int, bool]],
) -> None:
    crises = [
        _resolved_after(f"c{i}", hours, impact=impact)
        for i, (hours, impact) in enumerate(specs)
    ]

    summary = summarize(crises, as_of=at(23))

    seconds = [h * 3600.0 for h, _ in specs]
    stats = summary.time_to_resolve
    assert len(specs) == stats.count == summary.count
    if seconds:
        assert stats.mean is not None
        assert stats.median is not None
        assert stats.p90 is not None
        assert min(seconds) <= stats.median <= stats.p90 <= max(seconds)
        assert math.isclose(sum(seconds) / len(seconds), stats.mean)
    assert sum(impact for _, impact in specs) == summary.time_to_detect.count
    assert summary == from_data(MetricsSummary, _json(to_data(summary)))


# --- bad input -----------------------------------------------------------------


def test_measure_needs_a_crisis() -> None:
    with pytest.raises(InvalidTypeError, match="'crisis'"):
        measure("traffic_drop", as_of=at(9))  # type: ignore[arg-type]


def test_measure_needs_an_aware_as_of() -> None:
    with pytest.raises(NaiveDatetimeError):
        measure(_declare(), as_of=dt.datetime(2026, 6, 18, 9))  # noqa: DTZ001
    with pytest.raises(InvalidTypeError, match="'as_of'"):
        measure(_declare(), as_of=None)  # type: ignore[arg-type]


def test_measure_refuses_an_as_of_before_the_last_event() -> None:
    with pytest.raises(ValidationError) as caught:
        measure(_worked(), as_of=at(16))

    assert "as_of" == caught.value.field
    assert "last event" in str(caught.value)


def test_measure_refuses_a_plan_of_the_wrong_type() -> None:
    with pytest.raises(InvalidTypeError, match="'plan'"):
        measure(_declare(), as_of=at(9), plan="plan")  # type: ignore[arg-type]


def test_unknown_duration_metrics_are_named() -> None:
    metrics = measure(_declare(), as_of=at(9))

    with pytest.raises(UnknownKeyError) as caught:
        metrics.duration("time_to_resolved")

    assert ("time_to_resolve",) == caught.value.suggestions[:1]
    with pytest.raises(UnknownKeyError):
        summarize([], as_of=at(9)).stats("mttr")


@pytest.mark.parametrize(
    ("crises", "error", "words"),
    [
        ("traffic_drop", InvalidTypeError, "'crises'"),
        (42, InvalidTypeError, "'crises'"),
        ([None], InvalidTypeError, r"'crises\[0\]'"),
    ],
)
def test_summarize_needs_crises(
    crises: object, error: type[Exception], words: str
) -> None:
    with pytest.raises(error, match=words):
        summarize(crises, as_of=at(9))  # type: ignore[arg-type]


def test_summarize_refuses_a_single_crisis_and_duplicates() -> None:
    crisis = _declare()

    with pytest.raises(InvalidTypeError, match="'crises'"):
        summarize(crisis, as_of=at(9))  # type: ignore[arg-type]
    with pytest.raises(DuplicateKeyError, match="traffic_drop"):
        summarize([crisis, crisis], as_of=at(9))


def test_summarize_checks_its_options() -> None:
    with pytest.raises(InvalidTypeError, match="'include_drills'"):
        summarize([], as_of=at(9), include_drills=1)  # type: ignore[arg-type]
    with pytest.raises(NaiveDatetimeError):
        summarize([], as_of=dt.datetime(2026, 6, 18))  # noqa: DTZ001
    with pytest.raises(ValidationError, match="as_of"):
        summarize([_worked()], as_of=at(9))


def _metrics_values(**changes: Any) -> dict[str, Any]:
    values: dict[str, Any] = {
        "crisis": "traffic_drop",
        "as_of": at(9),
        "mode": CrisisMode.REAL,
        "counts_in_metrics": True,
        "status": S.DETECTED,
        "time_to_detect": None,
        "time_to_acknowledge": None,
        "time_to_contain": None,
        "time_to_recover": None,
        "time_to_resolve": None,
        "time_at_level": FrozenDict({L.III: 20 * MINUTE}),
        "time_in_status": FrozenDict({S.DETECTED: 20 * MINUTE}),
        "actions_total": 0,
        "actions_done": 0,
        "actions_cancelled": 0,
        "actions_overdue": 0,
        "on_time_rate": None,
        "communication_adherence": None,
    }
    values.update(changes)
    return values


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"counts_in_metrics": False}, ValidationError, "counts_in_metrics"),
        ({"time_to_detect": -MINUTE}, ValidationError, "time_to_detect"),
        ({"time_to_detect": 60}, InvalidTypeError, "time_to_detect"),
        ({"time_at_level": {"III": MINUTE}}, InvalidTypeError, "time_at_level key"),
        (
            {"time_in_status": {S.DETECTED: -MINUTE}},
            ValidationError,
            "time_in_status[detected]",
        ),
        ({"actions_done": 1}, ValidationError, "actions_total"),
        ({"actions_total": -1}, ValidationError, "actions_total"),
        ({"on_time_rate": 1.5}, ValidationError, "on_time_rate"),
        (
            {"communication_adherence": math.nan},
            ValidationError,
            "communication_adherence",
        ),
        ({"mode": "real"}, InvalidTypeError, "mode"),
    ],
)
def test_response_metrics_refuse_bad_fields(
    changes: dict[str, Any], error: type[Exception], field: str
) -> None:
    with pytest.raises(error) as caught:
        ResponseMetrics(**_metrics_values(**changes))

    assert field == caught.value.field  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("values", "field"),
    [
        ({"count": 0, "mean": 1.0, "median": None, "p90": None}, "count"),
        ({"count": 2, "mean": 1.0, "median": None, "p90": 1.0}, "median"),
        ({"count": 1, "mean": -1.0, "median": 1.0, "p90": 1.0}, "mean"),
        ({"count": -1, "mean": None, "median": None, "p90": None}, "count"),
    ],
)
def test_duration_stats_refuse_inconsistent_values(
    values: dict[str, Any], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        DurationStats(**values)

    assert field == caught.value.field


def test_metrics_summaries_refuse_inconsistent_counts() -> None:
    empty = DurationStats(count=0, mean=None, median=None, p90=None)
    one = DurationStats(count=1, mean=1.0, median=1.0, p90=1.0)
    values: dict[str, Any] = dict.fromkeys(DURATION_METRICS, empty)

    with pytest.raises(ValidationError, match="'count'"):
        MetricsSummary(as_of=at(9), crises=("a",), excluded=0, count=2, **values)
    with pytest.raises(ValidationError, match="'crises'"):
        MetricsSummary(as_of=at(9), crises=("a", "a"), excluded=0, count=2, **values)
    values["time_to_detect"] = one
    with pytest.raises(ValidationError, match=r"time_to_detect\.count"):
        MetricsSummary(as_of=at(9), crises=(), excluded=0, count=0, **values)
