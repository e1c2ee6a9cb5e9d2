"""Portfolio learning: speed, recurrence, follow-through, triggers, playbooks."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    NaiveDatetimeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.labels import Labels
from crisisops.monitoring import (
    Alert,
    AlertKind,
    Below,
    Consecutive,
    Evidence,
    Raw,
    Threshold,
    Tier,
    TriggerRule,
    evaluate,
)
from crisisops.planning import Cause, CauseAnalysis, CauseFamily, Playbook, PlaybookStep
from crisisops.response import Crisis, CrisisMode, Origin, OriginKind
from crisisops.review.lessons import ImprovementAction, ImprovementKind
from crisisops.review.portfolio import (
    QUARTER,
    TIMING_GROUPINGS,
    AlertOutcome,
    ImprovementProgress,
    MetricTiming,
    ProgressCounts,
    Recurrence,
    RecurrenceEntry,
    RecurrenceKind,
    StepFeedback,
    TimingGroup,
    TriggerQuality,
    TriggerQualityReport,
    detected_at,
    improvement_progress,
    playbook_feedback,
    recurrence,
    response_times,
    trigger_quality,
)
from crisisops.review.record import Review
from crisisops.serialization import from_data, to_data
from crisisops.taxonomy import ResponseLevel
from tests.monitoring.build import panel

UTC = dt.timezone.utc
TAIPEI = dt.timezone(dt.timedelta(hours=8))
T0 = dt.datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
HOUR = dt.timedelta(hours=1)
DAY = dt.timedelta(days=1)
CS = "other.customer_service_failure"
TRAFFIC = "market.traffic_swing"
L = ResponseLevel


def _json(document: dict[str, Any]) -> Any:
    return json.loads(json.dumps(document, allow_nan=False))


def round_trips(value: Any) -> bool:
    return bool(value == from_data(type(value), _json(to_data(value))))


def resolved(
    key: str,
    *,
    crisis_type: str = CS,
    at: dt.datetime = T0,
    resolve_hours: float = 10.0,
    impact_before: dt.timedelta | None = None,
    mode: CrisisMode = CrisisMode.REAL,
    escalate: bool = False,
    origins: Sequence[Origin] = (),
    playbook: Playbook | None = None,
) -> Crisis:
    """A crisis detected and declared at ``at``, confirmed +1 h, contained +2 h,
    recovered +3 h and resolved ``resolve_hours`` after ``at``."""
    crisis = Crisis.declare(
        key,
        title=f"Crisis {key}",
        crisis_type=crisis_type,
        level=L.III,
        at=at,
        actor="monitor",
        lead="mei",
        mode=mode,
        origins=origins,
        impact_started_at=None if impact_before is None else at - impact_before,
    )
    crisis = crisis.confirm(at=at + HOUR, actor="mei", root_cause="found")
    if playbook is not None:
        crisis = crisis.activate_playbook(playbook, at=at + HOUR, actor="mei")
    if escalate:
        crisis = crisis.escalate(at=at + HOUR, actor="mei", reason="worse")
    crisis = crisis.mark_contained(at=at + 2 * HOUR, actor="mei")
    crisis = crisis.mark_recovered(at=at + 3 * HOUR, actor="mei")
    return crisis.resolve(at=at + resolve_hours * HOUR, actor="mei")


def review_of(
    crisis: Crisis,
    *,
    key: str | None = None,
    roots: Sequence[str] = (),
    after: dt.timedelta = HOUR,
) -> Review:
    """Draft the review of ``crisis`` ``after`` its end, naming root causes."""
    causes = None
    if roots:
        causes = CauseAnalysis(
            crisis_key=crisis.key,
            causes=[
                *(
                    Cause(
                        key=root,
                        family=CauseFamily.SUPPLY_CHAIN_STABILITY,
                        description=f"Root {root} of {crisis.key}",
                        is_root=True,
                        contributes_to=["queue_overflow"],
                    )
                    for root in roots
                ),
                # the effect the roots lead to: a contributing cause, not a root
                Cause(
                    key="queue_overflow",
                    family=CauseFamily.PRODUCT_SERVICE_QUALITY,
                    description="Queues overflowed",
                ),
            ],
        )
    ended = crisis.ended_at
    assert ended is not None
    return Review.draft(
        crisis,
        key=key or f"review_{crisis.key}",
        at=ended + after,
        owner="mei",
        summary=f"What happened in {crisis.key}.",
        causes=causes,
    )


# --- response times -------------------------------------------------------------


def _three_service_crises() -> list[Crisis]:
    # Detected one QUARTER apart; resolved after 10 h, 8 h, 6 h.
    return [
        resolved("cs_1", at=T0, resolve_hours=10, impact_before=HOUR),
        resolved("cs_2", at=T0 + QUARTER, resolve_hours=8, impact_before=3 * HOUR),
        resolved("cs_3", at=T0 + 2 * QUARTER, resolve_hours=6),
    ]


def test_response_times_by_type_are_worked_by_hand() -> None:
    crises = [*_three_service_crises(), resolved("tr_1", crisis_type=TRAFFIC)]

    groups = response_times(crises)

    assert ["market.traffic_swing", CS] == [g.group for g in groups]
    service = groups[1]
    assert ("cs_1", "cs_2", "cs_3") == service.crises
    assert 3 == service.count
    assert T0 == service.first_detected
    assert T0 + 2 * QUARTER == service.last_detected
    resolve = service.time_to_resolve
    # 10, 8, 6 hours: mean 8 h, median 8 h; p90 (linear) 8 + 0.8 × 2 = 9.6 h
    assert 3 == resolve.stats.count
    assert 8 * 3600 == pytest.approx(resolve.stats.mean)
    assert 8 * 3600 == pytest.approx(resolve.stats.median)
    assert 9.6 * 3600 == pytest.approx(resolve.stats.p90)
    assert dt.timedelta(hours=8) == resolve.mean
    # x = 0, 1, 2 quarters; y = 10, 8, 6 h: slope −2 h a quarter
    assert -7200 == pytest.approx(resolve.trend)
    # contained 2 h after detection every time: no change
    assert 0 == pytest.approx(service.time_to_contain.trend, abs=1e-6)
    # time to detect is known for two crises only (1 h and 3 h): no trend
    detect = service.time_to_detect
    assert 2 == detect.stats.count
    assert 2 * 3600 == pytest.approx(detect.stats.mean)
    assert detect.trend is None
    assert service.metric("time_to_acknowledge") is service.time_to_acknowledge


def test_response_times_by_level_use_the_peak_level_most_severe_first() -> None:
    crises = [resolved("a", escalate=True), resolved("b"), resolved("c", at=T0 + DAY)]

    groups = response_times(crises, by="level")

    assert [("II", ("a",)), ("III", ("b", "c"))] == [
        (g.group, g.crises) for g in groups
    ]


def test_response_times_by_quarter_read_the_detection_in_its_own_offset() -> None:
    # 00:30 on 1 April in Taipei is still 31 March in UTC: quarter 2 as written
    crises = [
        resolved("q1", at=dt.datetime(2026, 3, 31, 12, 0, tzinfo=UTC)),
        resolved("q2", at=dt.datetime(2026, 4, 1, 0, 30, tzinfo=TAIPEI)),
    ]

    groups = response_times(crises, by="quarter")

    assert [("2026-Q1", ("q1",)), ("2026-Q2", ("q2",))] == [
        (g.group, g.crises) for g in groups
    ]
    assert ("q1", "q2") == response_times(crises, by="all")[0].crises


def test_response_times_count_only_finished_real_responses() -> None:
    drill = resolved("drill", mode=CrisisMode.DRILL)
    active = Crisis.declare(
        "active",
        title="Still on",
        crisis_type=CS,
        level=L.III,
        at=T0,
        actor="m",
        lead="mei",
    )
    dismissed = active.dismiss(at=T0 + HOUR, actor="mei", reason="false alarm")
    real = resolved("real")

    assert ("real",) == response_times([drill, active, real])[0].crises
    assert ("drill", "real") == response_times(
        [drill, active, real], include_drills=True
    )[0].crises
    assert () == response_times([drill, dismissed])


def test_response_times_reject_bad_input() -> None:
    crisis = resolved("x")
    with pytest.raises(InvalidTypeError, match="'crises'"):
        response_times(crisis)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match=r"'crises\[1\]'"):
        response_times([crisis, "y"])  # type: ignore[list-item]
    with pytest.raises(DuplicateKeyError, match="'x'"):
        response_times([crisis, crisis])
    with pytest.raises(UnknownKeyError, match="did you mean 'level'"):
        response_times([crisis], by="levle")
    with pytest.raises(InvalidTypeError, match="'include_drills'"):
        response_times([crisis], include_drills=1)  # type: ignore[arg-type]


def test_timing_values_check_their_fields() -> None:
    group = response_times(_three_service_crises())[0]
    with pytest.raises(ValidationError, match="'trend'"):
        attrs.evolve(group.time_to_detect, trend=1.0)  # two crises cannot make a trend
    with pytest.raises(ValidationError, match=r"'time_to_detect\.metric'"):
        attrs.evolve(group, time_to_detect=group.time_to_resolve)
    with pytest.raises(UnknownKeyError, match="grouping"):
        attrs.evolve(group, by="weekday")
    with pytest.raises(UnknownKeyError, match="duration metric"):
        group.metric("time_to_lunch")
    with pytest.raises(UnknownKeyError, match="duration metric"):
        MetricTiming(metric="speed", stats=group.time_to_detect.stats, trend=None)


HOURS = st.lists(st.integers(min_value=4, max_value=60), min_size=1, max_size=5)


@settings(max_examples=15, deadline=None)
@given(hours=HOURS, by=st.sampled_from(TIMING_GROUPINGS))
def test_response_times_partition_the_crises_and_bound_their_statistics(
    hours: list[int], by: str
) -> None:
    crises = [
        resolved(
            f"c{i}",
            crisis_type=CS if i % 2 else TRAFFIC,
            at=T0 + i * 40 * DAY,
            resolve_hours=h,
            escalate=i % 3 == 0,
        )
        for i, h in enumerate(hours)
    ]

    groups = response_times(crises, by=by)

    assert sorted(c.key for c in crises) == sorted(k for g in groups for k in g.crises)
    for group in groups:
        stats = group.time_to_resolve.stats
        spans = [hours[int(key[1:])] * 3600 for key in group.crises]
        assert min(spans) - 1e-6 <= stats.median <= max(spans) + 1e-6  # type: ignore[operator]
        assert min(spans) - 1e-6 <= stats.mean <= max(spans) + 1e-6  # type: ignore[operator]
        assert (group.time_to_resolve.trend is None) == (group.count < 3)
        assert round_trips(group)


# --- recurrence -----------------------------------------------------------------


def test_recurrence_counts_types_and_root_causes_with_their_intervals() -> None:
    one = resolved("cs_1", at=T0)
    two = resolved("cs_2", at=T0 + 10 * DAY)
    three = resolved("tr_1", crisis_type=TRAFFIC, at=T0 + 30 * DAY)
    reviews = [
        review_of(three, roots=["single_supplier"]),
        review_of(one, roots=["single_supplier", "no_backup_queue"]),
        review_of(two, roots=["no_backup_queue"]),
    ]

    report = recurrence(reviews)

    assert ("cs_1", "cs_2", "tr_1") == report.crises  # oldest first
    assert 0 == report.excluded
    service, traffic = report.by_crisis_type
    assert (CS, 2, ("cs_1", "cs_2")) == (service.key, service.count, service.crises)
    assert dt.timedelta(days=10) == service.mean_interval
    assert (T0, T0 + 10 * DAY) == (service.first_seen, service.last_seen)
    assert (TRAFFIC, None, False) == (
        traffic.key,
        traffic.mean_interval,
        traffic.recurred,
    )
    # both root causes occurred twice: ties go by key
    queue, supplier = report.by_root_cause
    assert ("no_backup_queue", ("cs_1", "cs_2")) == (queue.key, queue.crises)
    assert ("single_supplier", ("cs_1", "tr_1")) == (supplier.key, supplier.crises)
    # gaps 30 days between cs_1 and tr_1
    assert dt.timedelta(days=30) == supplier.mean_interval
    assert "Root single_supplier of tr_1" == supplier.description  # latest review
    assert CauseFamily.SUPPLY_CHAIN_STABILITY is supplier.family
    assert {CS, "no_backup_queue", "single_supplier"} == {
        e.key for e in report.recurring()
    }
    assert round_trips(report)


def test_recurrence_leaves_out_false_alarms_drills_and_superseded_reviews() -> None:
    alarm = Crisis.declare(
        "alarm",
        title="Alarm",
        crisis_type=CS,
        level=L.III,
        at=T0,
        actor="m",
        lead="mei",
    ).dismiss(at=T0 + HOUR, actor="mei", reason="noise")
    drill = resolved("drill", mode=CrisisMode.DRILL)
    real = resolved("real")
    reviews = [
        review_of(alarm),
        review_of(drill),
        review_of(real, key="first_look"),
        review_of(real, key="second_look", after=2 * HOUR, roots=["late_hire"]),
    ]

    report = recurrence(reviews)

    assert ("real",) == report.crises
    assert 3 == report.excluded
    assert ("late_hire",) == tuple(e.key for e in report.by_root_cause)
    with_drills = recurrence(reviews, include_drills=True)
    assert ("drill", "real") == with_drills.crises


def test_recurrence_rejects_bad_input() -> None:
    review = review_of(resolved("x"))
    with pytest.raises(InvalidTypeError, match="'reviews'"):
        recurrence(review)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match=r"'reviews\[0\]'"):
        recurrence([resolved("y")])  # type: ignore[list-item]
    with pytest.raises(DuplicateKeyError, match="review"):
        recurrence([review, review])
    with pytest.raises(InvalidTypeError, match="'include_drills'"):
        recurrence([review], include_drills="yes")  # type: ignore[arg-type]


def test_recurrence_values_check_their_fields() -> None:
    entry = RecurrenceEntry(
        kind=RecurrenceKind.CRISIS_TYPE,
        key=CS,
        crises=["a", "b"],
        first_seen=T0,
        last_seen=T0 + DAY,
        mean_interval=DAY,
    )
    assert entry.recurred
    with pytest.raises(ValidationError, match="'mean_interval'"):
        attrs.evolve(entry, mean_interval=None)
    with pytest.raises(ValidationError, match="'last_seen'"):
        attrs.evolve(entry, last_seen=T0 - DAY)
    with pytest.raises(ValidationError, match=r"'by_root_cause\[0\]\.kind'"):
        Recurrence(crises=["a"], excluded=0, by_crisis_type=[], by_root_cause=[entry])
    assert RecurrenceKind.ROOT_CAUSE.labels.zh_hant == "根本原因"


def test_detected_at_recovers_the_detection_of_a_resolved_crisis() -> None:
    crisis = resolved("x", at=dt.datetime(2026, 5, 1, 9, 0, tzinfo=TAIPEI))
    review = review_of(crisis)

    assert dt.datetime(2026, 5, 1, 9, 0, tzinfo=TAIPEI) == detected_at(review)
    with pytest.raises(InvalidTypeError, match="'review'"):
        detected_at(crisis)  # type: ignore[arg-type]


# --- improvement progress -------------------------------------------------------


def _action(
    key: str,
    kind: ImprovementKind,
    *,
    owner: str = "chen",
    created: dt.datetime = T0,
    due_days: int = 10,
    done_days: int | None = None,
    cancelled_days: int | None = None,
) -> ImprovementAction:
    action = ImprovementAction(
        key=key,
        title=f"Do {key}",
        kind=kind,
        owner=owner,
        created_at=created,
        due_at=created + due_days * DAY,
    )
    if done_days is not None:
        action = action.complete(at=created + done_days * DAY)
    if cancelled_days is not None:
        action = action.cancel(at=created + cancelled_days * DAY, note="moot")
    return action


def _with_actions(review: Review, *actions: ImprovementAction) -> Review:
    return attrs.evolve(review, improvements=actions)


def test_improvement_progress_is_worked_by_hand() -> None:
    base = review_of(resolved("x", at=T0 - 5 * DAY))
    first = _with_actions(
        base,
        _action("alert", ImprovementKind.DETECT, done_days=5),  # on time
        _action("retune", ImprovementKind.DETECT, done_days=15),  # late
        _action("backup", ImprovementKind.PREVENT, owner="lin", due_days=3),  # overdue
        _action("drill", ImprovementKind.TRAINING, cancelled_days=2),
    )
    second = _with_actions(
        attrs.evolve(base, key="other_review"),
        _action("hire", ImprovementKind.PREVENT, owner="lin", due_days=30),  # open
        _action("audit", ImprovementKind.PROCESS, done_days=25),  # done after as_of
        _action("later", ImprovementKind.PROCESS, created=T0 + 40 * DAY),  # future
    )
    as_of = T0 + 20 * DAY

    progress = improvement_progress([first, second], as_of=as_of)

    totals = progress.totals
    # 6 exist; done: alert, retune; cancelled: drill; outstanding: backup,
    # hire, audit (done only on day 25); overdue: backup (due day 3) and
    # audit (due day 10) — hire is due on day 30
    assert (6, 2, 1, 1, 3, 2) == (
        totals.total,
        totals.done,
        totals.done_on_time,
        totals.cancelled,
        totals.outstanding,
        totals.overdue,
    )
    assert 2 / 5 == totals.completion_rate
    assert 1 / 2 == totals.on_time_rate
    assert 2 / 5 == totals.overdue_rate
    assert [
        ImprovementKind.DETECT,
        ImprovementKind.PREVENT,
        ImprovementKind.PROCESS,
        ImprovementKind.TRAINING,
    ] == list(progress.by_kind)
    detect = progress.by_kind[ImprovementKind.DETECT]
    assert (2, 2, 1.0) == (detect.total, detect.done, detect.completion_rate)
    training = progress.by_kind[ImprovementKind.TRAINING]
    assert (1, 1, None) == (
        training.total,
        training.cancelled,
        training.completion_rate,
    )
    assert ["chen", "lin"] == list(progress.by_owner)
    assert 2 == progress.by_owner["lin"].outstanding
    # most overdue first: backup was due on day 3, audit on day 10
    assert ("review_x/backup", "other_review/audit") == progress.overdue
    assert 2 == progress.reviews
    assert round_trips(progress)


def test_improvement_progress_of_no_actions_has_no_rates() -> None:
    progress = improvement_progress([review_of(resolved("x"))], as_of=T0 + DAY)

    assert (0, None, None) == (
        progress.totals.total,
        progress.totals.completion_rate,
        progress.totals.overdue_rate,
    )
    assert {} == dict(progress.by_kind)


def test_improvement_progress_rejects_bad_input() -> None:
    review = review_of(resolved("x"))
    with pytest.raises(NaiveDatetimeError):
        improvement_progress([review], as_of=dt.datetime(2026, 1, 1))  # noqa: DTZ001
    with pytest.raises(InvalidTypeError, match="'as_of'"):
        improvement_progress([review], as_of="2026-01-01")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'reviews'"):
        improvement_progress(None, as_of=T0)  # type: ignore[arg-type]
    with pytest.raises(DuplicateKeyError):
        improvement_progress([review, review], as_of=T0)


def test_progress_counts_check_their_arithmetic() -> None:
    counts = ProgressCounts(
        total=3,
        done=1,
        done_on_time=1,
        cancelled=1,
        outstanding=1,
        overdue=0,
        completion_rate=0.5,
        on_time_rate=1.0,
        overdue_rate=0.0,
    )
    with pytest.raises(ValidationError, match="'total'"):
        attrs.evolve(counts, total=4)
    with pytest.raises(ValidationError, match="'completion_rate'"):
        attrs.evolve(counts, completion_rate=0.4)
    with pytest.raises(ValidationError, match="'overdue'"):
        attrs.evolve(counts, overdue=2)
    with pytest.raises(ValidationError, match="'overdue'"):
        ImprovementProgress(
            as_of=T0, reviews=0, totals=counts, by_kind={}, by_owner={}, overdue=["a"]
        )


PLANS = st.lists(
    st.tuples(
        st.sampled_from(ImprovementKind),
        st.integers(min_value=0, max_value=30),  # created, days after T0
        st.integers(min_value=0, max_value=30),  # due, days after created
        st.sampled_from(["open", "done", "cancelled"]),
        st.integers(min_value=0, max_value=30),  # finished, days after created
    ),
    max_size=12,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(plans=PLANS, days=st.integers(min_value=0, max_value=70))
def test_improvement_progress_adds_up_and_only_grows_with_time(
    plans: list[tuple[ImprovementKind, int, int, str, int]], days: int
) -> None:
    actions = []
    for i, (kind, created, due, fate, finished) in enumerate(plans):
        start = T0 + created * DAY
        action = ImprovementAction(
            key=f"a{i}",
            title="Do it",
            kind=kind,
            owner=f"o{i % 3}",
            created_at=start,
            due_at=start + due * DAY,
        )
        if fate == "done":
            action = action.complete(at=start + finished * DAY)
        elif fate == "cancelled":
            action = action.cancel(at=start + finished * DAY)
        actions.append(action)
    review = _with_actions(review_of(resolved("x", at=T0 - 3 * DAY)), *actions)

    now = improvement_progress([review], as_of=T0 + days * DAY)
    later = improvement_progress([review], as_of=T0 + (days + 5) * DAY)

    for progress in (now, later):
        parts = [*progress.by_kind.values()]
        assert progress.totals.total == sum(p.total for p in parts)
        assert progress.totals.overdue == sum(p.overdue for p in parts)
        assert progress.totals.total == sum(p.total for p in progress.by_owner.values())
    assert now.totals.done <= later.totals.done
    assert now.totals.total <= later.totals.total
    assert round_trips(now)


# --- trigger quality ------------------------------------------------------------


def alert(
    rule: str,
    entity: str,
    *,
    crisis_type: str = CS,
    first_breach: dt.datetime,
    fired: dt.datetime,
    episode: int = 1,
    kind: AlertKind = AlertKind.BREACH,
) -> Alert:
    level = None if kind is AlertKind.NO_DATA else L.III
    return Alert(
        kind=kind,
        rule=rule,
        entity=entity,
        episode=episode,
        crisis_type=crisis_type,
        level=level,
        fired_level=level,
        peak_level=level,
        first_breach_at=first_breach,
        fired_at=fired,
        evidence=Evidence(
            observed=30, signal=-0.4, baseline=50, bound=-0.3, run_length=2
        ),
    )


def declared_from(key: str, *origins: Origin, crisis_type: str = CS) -> Crisis:
    """A crisis declared on its origins (detected at the earliest), then confirmed."""
    moments = [o.detected_at for o in origins if o.detected_at is not None]
    crisis = Crisis.declare(
        key,
        title=f"Crisis {key}",
        crisis_type=crisis_type,
        level=L.III,
        at=max(moments),
        actor="monitor",
        lead="mei",
        origins=origins,
    )
    return crisis.confirm(at=max(moments) + HOUR, actor="mei", root_cause="found")


def _portfolio() -> tuple[list[Alert], list[Crisis]]:
    """The hand-built alerts and crises of the trigger-quality tests.

    complaint_surge (customer service):
      a1 shop_a/1 breach 08:00, fired 10:00 → c1, confirmed (caught: lead 2 h)
      a2 shop_b/1 → c2, dismissed as a false alarm
      a3 shop_c/1 → nobody declared a crisis (unlinked)
      a4 shop_a/2 breach day 2 06:00, fired 12:00 → c3, which a customer
         report had detected at 09:00: the rule was late
    gmv_drop (traffic):
      a5 shop_a/1 → c4, still being triaged (pending)
      a6 shop_a/1 no-data alert
    c5 (customer service) came from a report only: no rule caught it.
    """
    t = T0.replace(hour=8)
    a1 = alert("complaint_surge", "shop_a", first_breach=t, fired=t + 2 * HOUR)
    a2 = alert("complaint_surge", "shop_b", first_breach=t, fired=t + 3 * HOUR)
    a3 = alert("complaint_surge", "shop_c", first_breach=t, fired=t + 4 * HOUR)
    day2 = t + DAY
    a4 = alert(
        "complaint_surge",
        "shop_a",
        episode=2,
        first_breach=day2 - 2 * HOUR,
        fired=day2 + 4 * HOUR,
    )
    a5 = alert(
        "gmv_drop", "shop_a", crisis_type=TRAFFIC, first_breach=t, fired=t + HOUR
    )
    a6 = alert(
        "gmv_drop",
        "shop_a",
        crisis_type=TRAFFIC,
        first_breach=t,
        fired=t + 5 * HOUR,
        kind=AlertKind.NO_DATA,
    )
    report = Origin(
        kind=OriginKind.REPORT, reference="ticket_1", detected_at=day2 + HOUR
    )
    c1 = declared_from("c1", Origin.from_alert(a1))
    c2 = Crisis.declare(
        "c2",
        title="c2",
        crisis_type=CS,
        level=L.III,
        at=t + 3 * HOUR,
        actor="m",
        lead="mei",
        origins=[Origin.from_alert(a2)],
    ).dismiss(at=t + 4 * HOUR, actor="mei", reason="a bot wave")
    c3 = declared_from("c3", report, Origin.from_alert(a4))
    c4 = Crisis.declare(
        "c4",
        title="c4",
        crisis_type=TRAFFIC,
        level=L.III,
        at=t + HOUR,
        actor="m",
        lead="mei",
        origins=[Origin.from_alert(a5)],
    )
    c5 = declared_from(
        "c5",
        Origin(kind=OriginKind.REPORT, reference="ticket_2", detected_at=t + 2 * DAY),
    )
    return [a1, a2, a3, a4, a5, a6], [c1, c2, c3, c4, c5]


def test_trigger_quality_is_worked_by_hand() -> None:
    alerts, crises = _portfolio()

    report = trigger_quality(alerts, crises)

    assert ["complaint_surge", "gmv_drop"] == [q.rule for q in report]
    surge = report.rule("complaint_surge")
    assert (4, 2, 1, 0, 1) == (
        surge.alerts,
        surge.confirmed,
        surge.dismissed,
        surge.pending,
        surge.unlinked,
    )
    assert 2 / 4 == surge.precision  # the unlinked alert counts as a false alarm
    assert 2 / 3 == surge.triaged_precision
    # customer-service crises confirmed: c1, c3 (report 09:00, alert 12:00), c5
    assert 3 == surge.crises
    assert ("c1",) == surge.caught
    assert ("c3",) == surge.late
    assert ("c3", "c5") == surge.missed
    assert 1 / 3 == surge.recall
    # c1: detected at a1's firing (10:00), first breach 08:00 → lead 2 h
    assert 2 * HOUR == surge.mean_lead_time
    # detection delay: c1 fired 10:00 − impact 08:00 = 2 h; c3 fired 12:00 −
    # impact (a4's first breach) 06:00 = 6 h: mean 4 h
    assert 4 * HOUR == surge.mean_detection_delay
    drop = report.rule("gmv_drop")
    assert (2, 1, 1, None, None) == (
        drop.alerts,
        drop.pending,
        drop.no_data,
        drop.precision,
        drop.recall,
    )
    assert AlertOutcome.UNLINKED is report.outcomes["complaint_surge/shop_c/1"]
    assert AlertOutcome.NO_DATA is report.outcomes["gmv_drop/shop_a/1/no_data"]
    assert ("c1", "c3", "c5") == report.confirmed_crises
    assert ("c3", "c5") == report.missed
    assert 1 / 3 == report.recall
    assert 2 == len(report)
    assert surge is report[0]
    assert round_trips(report)


def test_a_lead_time_limit_makes_a_slow_alert_late() -> None:
    alerts, crises = _portfolio()

    report = trigger_quality(alerts, crises, lead_time_limit=HOUR)

    surge = report.rule("complaint_surge")
    assert () == surge.caught  # c1's alert fired 2 h into the impact
    assert ("c1", "c3") == surge.late
    assert 0.0 == surge.recall
    assert surge.mean_lead_time is None
    assert HOUR == report.lead_time_limit


def test_rules_that_never_fired_are_reported_with_recall_zero() -> None:
    alerts, crises = _portfolio()
    quiet = TriggerRule(
        name="service_backlog",
        crisis_type=CS,
        tiers=[Tier(L.III, Threshold(signal=Raw("cs.backlog"), predicate=Below(1.0)))],
    )

    report = trigger_quality(alerts, crises, rules=[quiet])

    backlog = report.rule("service_backlog")
    assert (0, None, 3, 0.0) == (
        backlog.alerts,
        backlog.precision,
        backlog.crises,
        backlog.recall,
    )
    with pytest.raises(UnknownKeyError, match="did you mean 'gmv_drop'"):
        report.rule("gmv_dorp")


def test_merged_crises_count_for_their_target_and_drills_are_left_out() -> None:
    t = T0.replace(hour=8)
    first = alert("complaint_surge", "shop_a", first_breach=t, fired=t + HOUR)
    second = alert("complaint_surge", "shop_b", first_breach=t, fired=t + 2 * HOUR)
    practice = alert("complaint_surge", "shop_c", first_breach=t, fired=t + HOUR)
    target = declared_from("target", Origin.from_alert(first))
    merged = Crisis.declare(
        "dup",
        title="dup",
        crisis_type=CS,
        level=L.III,
        at=t + 2 * HOUR,
        actor="m",
        lead="mei",
        origins=[Origin.from_alert(second)],
    ).merge_into("target", at=t + 3 * HOUR, actor="mei", reason="same crisis")
    drill = Crisis.declare(
        "drill",
        title="drill",
        crisis_type=CS,
        level=L.III,
        at=t + HOUR,
        actor="m",
        lead="mei",
        origins=[Origin.from_alert(practice)],
        mode=CrisisMode.DRILL,
    ).confirm(at=t + 2 * HOUR, actor="mei", root_cause="practice")

    report = trigger_quality([first, second, practice], [target, merged, drill])
    with_drills = trigger_quality(
        [first, second, practice], [target, merged, drill], include_drills=True
    )

    assert AlertOutcome.CONFIRMED is report.outcomes[second.id]
    assert AlertOutcome.EXCLUDED is report.outcomes[practice.id]
    assert ("target",) == report.confirmed_crises
    assert AlertOutcome.CONFIRMED is with_drills.outcomes[practice.id]
    assert ("target", "drill") == with_drills.confirmed_crises
    # merged into a crisis not given: the outcome is unknown
    alone = trigger_quality([second], [merged])
    assert AlertOutcome.PENDING is alone.outcomes[second.id]


def test_trigger_quality_reads_alerts_from_monitoring_evaluate() -> None:
    gmv = [[100, 100], [100, 100], [40, 100], [40, 100], [100, 100], [100, 30]]
    data = panel({"sales.gmv": gmv}, entities=("shop_a", "shop_b"))
    slump = TriggerRule(
        name="gmv_slump",
        crisis_type="market.demand_shift",
        tiers=[Tier(L.III, Threshold(signal=Raw("sales.gmv"), predicate=Below(50.0)))],
        persistence=Consecutive(2),
    )
    alerts = evaluate([slump], data).alerts
    (shop_a,) = [a for a in alerts if a.entity == "shop_a"]
    crisis = declared_from(
        "gmv_drop", Origin.from_alert(shop_a), crisis_type="market.demand_shift"
    )

    quality = trigger_quality(alerts, [crisis]).rule("gmv_slump")

    # fired on day 4 after breaching from day 3: lead one day, caught
    assert ("gmv_drop",) == quality.caught
    assert DAY == quality.mean_lead_time
    assert (1, 0) == (quality.confirmed, quality.dismissed)


def test_a_rule_answers_for_its_sub_types_and_the_crises_it_raised() -> None:
    # The definitions retune uses too: a rule of the crisis type "other"
    # answers for an "other.customer_service_failure" crisis; complaint_surge
    # answers for a crisis its alert raised that was confirmed as a traffic
    # swing. Impact start unknown (the origin has no signal onset): the
    # detection delay runs from the crisis's detection.
    t = T0.replace(hour=8)
    surge = alert("complaint_surge", "shop_a", first_breach=t, fired=t + 2 * HOUR)
    broad = alert("other_any", "shop_b", first_breach=t, fired=t + HOUR)
    bare = Origin(
        kind=OriginKind.ALERT, reference=surge.id, detected_at=t + HOUR
    )  # detected by a person an hour before the alert fired
    traffic = declared_from("traffic", bare, crisis_type=TRAFFIC)
    service = declared_from("service", Origin.from_alert(broad))
    other = TriggerRule(
        name="other_any",
        crisis_type="other",
        tiers=[Tier(L.III, Threshold(signal=Raw("cs.backlog"), predicate=Below(1.0)))],
    )
    complaint = TriggerRule(
        name="complaint_surge",
        crisis_type=CS,
        tiers=[Tier(L.III, Threshold(signal=Raw("cs.backlog"), predicate=Below(1.0)))],
    )

    report = trigger_quality(
        [surge, broad], [traffic, service], rules=[other, complaint]
    )

    by_sub_type = report.rule("other_any")
    assert (1, ("service",), ()) == (
        by_sub_type.crises,
        by_sub_type.caught,
        by_sub_type.missed,
    )
    raised = report.rule("complaint_surge")
    # "service" is of its type (caught by the other rule, missed by this one);
    # "traffic" its alert raised, but it fired 1 h after the crisis was
    # detected: late, 1 h after the onset (the detection)
    assert (2, (), ("traffic",)) == (raised.crises, raised.caught, raised.late)
    assert ("traffic", "service") == raised.missed
    assert HOUR == raised.mean_detection_delay
    assert ("traffic",) == report.missed


def test_trigger_quality_rejects_bad_input() -> None:
    alerts, crises = _portfolio()
    with pytest.raises(InvalidTypeError, match="'alerts'"):
        trigger_quality(alerts[0], crises)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match=r"'alerts\[1\]'"):
        trigger_quality([alerts[0], crises[0]], crises)  # type: ignore[list-item]
    with pytest.raises(DuplicateKeyError, match="alert"):
        trigger_quality([alerts[0], alerts[0]], crises)
    with pytest.raises(DuplicateKeyError, match="crisis"):
        trigger_quality(alerts, [crises[0], crises[0]])
    with pytest.raises(ValidationError, match="'lead_time_limit'"):
        trigger_quality(alerts, crises, lead_time_limit=-HOUR)
    with pytest.raises(InvalidTypeError, match="'lead_time_limit'"):
        trigger_quality(alerts, crises, lead_time_limit=3600)  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match=r"'rules\[0\]'"):
        trigger_quality(alerts, crises, rules=["complaint_surge"])  # type: ignore[list-item]
    with pytest.raises(InvalidTypeError, match="'include_drills'"):
        trigger_quality(alerts, crises, include_drills=None)  # type: ignore[arg-type]
    renamed = attrs.evolve(alerts[1], crisis_type=TRAFFIC)
    with pytest.raises(ValidationError, match=r"'alerts\[1\].crisis_type'"):
        trigger_quality([alerts[0], renamed], crises)


def test_trigger_quality_values_check_their_arithmetic() -> None:
    alerts, crises = _portfolio()
    surge = trigger_quality(alerts, crises).rule("complaint_surge")
    with pytest.raises(ValidationError, match="'alerts'"):
        attrs.evolve(surge, alerts=5)
    with pytest.raises(ValidationError, match="'precision'"):
        attrs.evolve(surge, precision=0.75)
    with pytest.raises(ValidationError, match="'crises'"):
        attrs.evolve(surge, crises=4)
    with pytest.raises(ValidationError, match="'missed'"):
        attrs.evolve(surge, late=("c1",))
    with pytest.raises(ValidationError, match="'missed'"):
        TriggerQualityReport(
            rules=[surge],
            outcomes={},
            confirmed_crises=["c1"],
            missed=["zz"],
            recall=None,
            lead_time_limit=None,
        )
    assert "誤報" == AlertOutcome.DISMISSED.labels.zh_hant


OUTCOMES = st.lists(
    st.sampled_from(["confirmed", "dismissed", "unlinked", "pending"]),
    min_size=1,
    max_size=8,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(fates=OUTCOMES)
def test_precision_is_the_share_of_confirmed_alerts(fates: list[str]) -> None:
    t = T0.replace(hour=8)
    alerts, crises = [], []
    for i, fate in enumerate(fates):
        found = alert("surge", f"e{i}", first_breach=t, fired=t + HOUR)
        alerts.append(found)
        origin = Origin.from_alert(found)
        if fate == "confirmed":
            crises.append(declared_from(f"c{i}", origin))
        elif fate in ("dismissed", "pending"):
            crisis = Crisis.declare(
                f"c{i}",
                title="c",
                crisis_type=CS,
                level=L.III,
                at=t + HOUR,
                actor="m",
                lead="mei",
                origins=[origin],
            )
            if fate == "dismissed":
                crisis = crisis.dismiss(at=t + 2 * HOUR, actor="mei", reason="noise")
            crises.append(crisis)

    quality = trigger_quality(alerts, crises).rule("surge")

    good, bad = fates.count("confirmed"), fates.count("dismissed")
    judged = good + bad + fates.count("unlinked")
    assert len(fates) == quality.alerts
    assert (good / judged if judged else None) == quality.precision
    assert (1.0 if good else None) == quality.recall  # every crisis came from its alert
    assert round_trips(quality)


# --- playbook feedback ----------------------------------------------------------


PLAYBOOK = Playbook(
    key="service.surge",
    labels=Labels(en="Service surge", zh_hant="客服激增", zh_hans="客服激增"),
    steps=(
        PlaybookStep(
            key="add_agents",
            title="Add agents",
            owner_role="scribe",
            deadline=dt.timedelta(hours=2),
            duration=dt.timedelta(hours=1),
            done_when="Agents on shift",
        ),
        PlaybookStep(
            key="apologise",
            title="Publish an apology",
            owner_role="scribe",
            deadline=dt.timedelta(hours=4),
            duration=dt.timedelta(hours=1),
            done_when="Apology posted",
        ),
        PlaybookStep(
            key="faq",
            title="Update the FAQ",
            owner_role="scribe",
            deadline=dt.timedelta(hours=6),
            duration=dt.timedelta(hours=1),
            done_when="FAQ live",
        ),
    ),
    min_level=L.IV,
    max_level=L.I,
)


def _with_playbook(
    key: str, plan: dict[str, str], *, mode: CrisisMode = CrisisMode.REAL
) -> Crisis:
    """Activate the playbook at +1 h and settle each step as ``plan`` says.

    ``"on_time"`` is done 1 h after activation, ``"late"`` 5 h after (past the
    2 h and 4 h deadlines), ``"cancel"`` cancelled, ``"start"`` started only;
    other steps stay open.
    """
    at = T0
    crisis = Crisis.declare(
        key,
        title=key,
        crisis_type=CS,
        level=L.III,
        at=at,
        actor="m",
        lead="mei",
        mode=mode,
    )
    crisis = crisis.confirm(at=at + HOUR, actor="mei", root_cause="queue")
    crisis = crisis.activate_playbook(PLAYBOOK, at=at + HOUR, actor="mei")
    # starts and cancellations at +1 h, punctual completions at +2 h, late
    # ones at +6 h: the log only moves forward in time
    for step, fate in plan.items():
        action = f"service.surge.{step}"
        if fate in ("on_time", "late", "start"):
            crisis = crisis.start_action(action, at=at + HOUR, actor="mei")
        if fate == "cancel":
            crisis = crisis.cancel_action(
                action, at=at + HOUR, actor="mei", reason="moot"
            )
    for finish, hours in (("on_time", 2), ("late", 6)):
        for step, fate in plan.items():
            if fate == finish:
                crisis = crisis.complete_action(
                    f"service.surge.{step}", at=at + hours * HOUR, actor="mei"
                )
    crisis = crisis.mark_contained(at=at + 7 * HOUR, actor="mei")
    crisis = crisis.mark_recovered(at=at + 8 * HOUR, actor="mei")
    return crisis.resolve(at=at + 9 * HOUR, actor="mei")


def test_playbook_feedback_puts_the_worst_step_first() -> None:
    crises = [
        _with_playbook(
            "p1", {"add_agents": "late", "apologise": "on_time", "faq": "cancel"}
        ),
        _with_playbook("p2", {"add_agents": "late", "apologise": "on_time"}),
        _with_playbook(
            "p3", {"add_agents": "on_time", "apologise": "late", "faq": "start"}
        ),
    ]

    feedback = playbook_feedback(crises)

    assert [
        "service.surge.faq",
        "service.surge.add_agents",
        "service.surge.apologise",
    ] == [f.key for f in feedback]
    faq, agents, apology = feedback
    # faq: cancelled in p1, never started in p2, unfinished in p3 — 3 of 3
    assert (3, 0, 1, 1, 1, 1.0) == (
        faq.activated,
        faq.done,
        faq.cancelled,
        faq.never_started,
        faq.unfinished,
        faq.problem_rate,
    )
    assert faq.late_rate is None
    assert 1 / 3 == faq.skip_rate
    # add_agents: due 2 h after activation (at +3 h), done at +6 h twice: 3 h late
    assert ("service.surge", "add_agents") == (agents.playbook, agents.step)
    assert (3, 2, 2 / 3, 2 / 3) == (
        agents.done,
        agents.done_late,
        agents.late_rate,
        agents.problem_rate,
    )
    assert 3 * HOUR == agents.mean_delay
    # apologise: due at +5 h, done at +6 h once: 1 h late
    assert (1, HOUR) == (apology.done_late, apology.mean_delay)
    assert ("p1", "p2", "p3") == agents.crises
    assert all(round_trips(f) for f in feedback)


def test_playbook_feedback_counts_drills_unless_asked_not_to() -> None:
    drill = _with_playbook("d", {"add_agents": "late"}, mode=CrisisMode.DRILL)
    active = Crisis.declare(
        "active", title="a", crisis_type=CS, level=L.III, at=T0, actor="m", lead="mei"
    ).confirm(at=T0 + HOUR, actor="mei", root_cause="x")
    active = active.activate_playbook(PLAYBOOK, at=T0 + HOUR, actor="mei")

    assert 3 == len(playbook_feedback([drill, active]))
    assert () == playbook_feedback([drill, active], include_drills=False)


def test_playbook_feedback_rejects_bad_input() -> None:
    crisis = resolved("x")
    with pytest.raises(InvalidTypeError, match="'crises'"):
        playbook_feedback("x")  # type: ignore[arg-type]
    with pytest.raises(DuplicateKeyError):
        playbook_feedback([crisis, crisis])
    with pytest.raises(InvalidTypeError, match="'include_drills'"):
        playbook_feedback([crisis], include_drills=0)  # type: ignore[arg-type]


def test_step_feedback_checks_its_arithmetic() -> None:
    step = playbook_feedback([_with_playbook("p", {"add_agents": "late"})])[0]
    with pytest.raises(ValidationError, match="'key'"):
        attrs.evolve(step, step="other")
    with pytest.raises(ValidationError, match="'crises'"):
        attrs.evolve(step, done=0)
    with pytest.raises(ValidationError, match="'mean_delay'"):
        attrs.evolve(step, mean_delay=None)
    assert isinstance(step, StepFeedback)


def test_group_and_report_types_round_trip_through_plain_data() -> None:
    alerts, crises = _portfolio()
    values: list[Any] = [
        response_times(_three_service_crises())[0],
        trigger_quality(alerts, crises),
    ]
    for value in values:
        assert isinstance(value, (TimingGroup, TriggerQualityReport))
        assert round_trips(value)
    assert isinstance(values[1].rules[0], TriggerQuality)
