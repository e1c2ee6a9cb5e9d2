from __future__ import annotations

import contextlib
import datetime as dt
import functools
import zoneinfo
from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    NaiveDatetimeError,
    SerializationError,
    TransitionError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.planning import Cause, CauseAnalysis, CauseFamily, default_playbooks
from crisisops.response import (
    Crisis,
    CrisisMode,
    CrisisReviewed,
    CrisisStatus,
    FeedbackChannel,
    LossCategory,
    Origin,
    OriginKind,
    RateCard,
    measure,
)
from crisisops.review.lessons import (
    ImprovementAction,
    ImprovementKind,
    ImprovementStatus,
    Lesson,
    LessonKind,
    LessonTheme,
)
from crisisops.review.record import (
    REVIEW_DEADLINES,
    REVIEW_TRANSITIONS,
    Review,
    ReviewActivity,
    ReviewStatus,
    StatusChange,
    TimelineEntry,
    close_crisis,
    review_due,
)
from crisisops.serialization import from_data, to_data
from crisisops.stakeholders import Channel
from crisisops.taxonomy import ResponseLevel
from tests.strategies import aware_datetimes

TZ = dt.timezone(dt.timedelta(hours=8))
UTC = dt.timezone.utc
T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)  # a Monday, Taipei time


def h(n: float) -> dt.datetime:
    return T0 + dt.timedelta(hours=n)


# --- fixtures: the book's customer-service case (§5.4 案例四) -------------------


@functools.cache
def service_crisis() -> Crisis:
    """A complaint surge: Level III, escalated to II, resolved 30 h after declaring."""
    origin = Origin(
        kind=OriginKind.ALERT,
        reference="complaint_surge/shop/1",
        signal_onset=h(-6),
        detected_at=h(-1),
        crisis_type="other.customer_service_failure",
        level=ResponseLevel.III,
        summary="breach of rule complaint_surge on shop",
    )
    rates = RateCard(
        currency="TWD",
        hourly={"crisis_lead": Decimal(1000), "customer_service": Decimal(500)},
        default_hourly=Decimal(400),
    )
    c = Crisis.declare(
        "cs_0302",
        title="Customer complaints surge",
        crisis_type="other.customer_service_failure",
        level=ResponseLevel.III,
        at=h(0),
        actor="monitor",
        lead="lin",
        origins=[origin],
        rates=rates,
    )
    c = c.confirm(at=h(1), actor="lin", root_cause="Too few agents for the promotion")
    c = c.escalate(at=h(2), actor="lin", reason="Complaints doubled")
    c = c.assign_role("customer_service", "wu", at=h(2), actor="lin")
    c = c.assign_action(
        "add_agents",
        at=h(3),
        actor="lin",
        title="Add ten agents",
        owner="wu",
        due_at=h(8),
        done_when="Ten more agents online",
    )
    c = c.start_action("add_agents", at=h(4), actor="wu")
    c = c.record_communication(
        at=h(5),
        actor="mei",
        audience="customers",
        channel=Channel.WEBSITE_NOTICE,
        internal=False,
        summary="We are adding agents",
    )
    c = c.record_feedback(
        at=h(6),
        actor="wu",
        channel=FeedbackChannel.HOTLINE,
        volume=120,
        sentiment=-0.4,
        negative_share=0.6,
    )
    c = c.complete_action("add_agents", at=h(7), actor="wu", note="12 agents")
    c = c.assign_role("crisis_lead", "mei", at=h(8), actor="lin", reason="shift change")
    c = c.mark_contained(at=h(10), actor="mei")
    c = c.de_escalate(at=h(11), actor="mei", reason="Queue back under 5 min")
    c = c.record_loss(
        at=h(12),
        actor="fin",
        category=LossCategory.REFUNDS_COMPENSATION,
        amount=Decimal("12000.50"),
    )
    c = c.mark_recovered(at=h(20), actor="mei")
    c = c.resolve(at=h(30), actor="mei", summary="Queue normal for a day")
    # A late, booked loss after the resolution (allowed on a resolved crisis).
    return c.record_loss(
        at=h(40),
        actor="fin",
        category=LossCategory.LOST_SALES,
        amount=Decimal(30000),
        estimate=False,
    )


def simple_crisis(
    *, level: ResponseLevel = ResponseLevel.IV, mode: CrisisMode = CrisisMode.REAL
) -> Crisis:
    """A plain crisis resolved at h(5), no origin, no rates, no losses."""
    c = Crisis.declare(
        "small_one",
        title="Small glitch",
        crisis_type="technical.system_failure",
        level=level,
        at=h(0),
        actor="duty manager",
        lead="lin",
        mode=mode,
    )
    c = c.confirm(at=h(1), actor="lin", root_cause="Cache expiry")
    c = c.mark_contained(at=h(2), actor="lin")
    c = c.mark_recovered(at=h(3), actor="lin")
    return c.resolve(at=h(5), actor="lin")


def dismissed_crisis() -> Crisis:
    c = Crisis.declare(
        "false_alarm",
        title="Sales dip",
        crisis_type="market.demand_shift",
        level=ResponseLevel.IV,
        at=h(0),
        actor="monitor",
        lead="lin",
    )
    return c.dismiss(at=h(2), actor="lin", reason="Holiday effect")


def draft(crisis: Crisis | None = None, **changes: Any) -> Review:
    fields: dict[str, Any] = {
        "key": "review_cs_0302",
        "at": h(48),
        "owner": "mei",
        "summary": "Complaints surged during the promotion.",
    }
    fields.update(changes)
    return Review.draft(service_crisis() if crisis is None else crisis, **fields)


LESSON = Lesson(
    key="too_few_agents",
    kind=LessonKind.WENT_POORLY,
    theme=LessonTheme.SPEED,
    text="Staffing did not follow the promotion calendar.",
)
GOOD = Lesson(
    key="clear_notice",
    kind=LessonKind.WENT_WELL,
    theme=LessonTheme.COMMUNICATION,
    text="The website notice went out within five hours.",
)


def improvement(**changes: Any) -> ImprovementAction:
    fields: dict[str, Any] = {
        "key": "staff_plan",
        "title": "Tie the agent roster to the promotion calendar",
        "kind": ImprovementKind.PROCESS,
        "owner": "wu",
        "created_at": h(49),
        "due_at": h(49 + 24 * 14),
        "lesson": "too_few_agents",
    }
    fields.update(changes)
    return ImprovementAction(**fields)


def complete_review() -> Review:
    review = draft()
    review = review.add_lesson(LESSON, at=h(49), actor="mei")
    review = review.add_lesson(GOOD, at=h(49), actor="mei")
    return review.add_improvement(improvement(), at=h(49), actor="mei")


# --- due dates ------------------------------------------------------------------------


def test_deadline_table() -> None:
    assert dict(REVIEW_DEADLINES) == {
        ResponseLevel.I: (3, "calendar"),
        ResponseLevel.II: (5, "business"),
        ResponseLevel.III: (10, "calendar"),
        ResponseLevel.IV: (20, "calendar"),
    }


@pytest.mark.parametrize(
    ("level", "ended", "due"),
    [
        # Friday 18:00 + 3 calendar days = Monday 18:00.
        (ResponseLevel.I, dt.datetime(2026, 3, 6, 18, tzinfo=TZ), (2026, 3, 9, 18)),
        # Friday + 5 business days (Mon..Fri) = next Friday.
        (ResponseLevel.II, dt.datetime(2026, 3, 6, 18, tzinfo=TZ), (2026, 3, 13, 18)),
        # Wednesday + 5 business days = next Wednesday.
        (ResponseLevel.II, dt.datetime(2026, 3, 4, 9, tzinfo=TZ), (2026, 3, 11, 9)),
        # Saturday: counted from the Friday before, so the next Friday.
        (ResponseLevel.II, dt.datetime(2026, 3, 7, 10, tzinfo=TZ), (2026, 3, 13, 10)),
        # Sunday: same.
        (ResponseLevel.II, dt.datetime(2026, 3, 8, 10, tzinfo=TZ), (2026, 3, 13, 10)),
        (ResponseLevel.III, dt.datetime(2026, 3, 6, 18, tzinfo=TZ), (2026, 3, 16, 18)),
        (ResponseLevel.IV, dt.datetime(2026, 3, 6, 18, tzinfo=TZ), (2026, 3, 26, 18)),
    ],
)
def test_review_due_by_hand(
    level: ResponseLevel, ended: dt.datetime, due: tuple[int, int, int, int]
) -> None:
    assert review_due(level, ended) == dt.datetime(*due, tzinfo=TZ)


def test_review_due_keeps_wall_clock_across_dst() -> None:
    new_york = zoneinfo.ZoneInfo("America/New_York")
    # DST starts on Sunday 2026-03-08: Friday 18:00 EST → Monday 18:00 EDT
    # (71 real hours, not 72).
    ended = dt.datetime(2026, 3, 6, 18, tzinfo=new_york)
    due = review_due(ResponseLevel.I, ended)
    assert (due.day, due.hour, due.utcoffset()) == (9, 18, dt.timedelta(hours=-4))
    assert due.astimezone(UTC) - ended.astimezone(UTC) == dt.timedelta(hours=71)
    # 02:30 on 2026-03-08 does not exist in New York: moved forward to 03:30 EDT.
    skipped = review_due(
        ResponseLevel.I, dt.datetime(2026, 3, 5, 2, 30, tzinfo=new_york)
    )
    assert (skipped.day, skipped.hour, skipped.minute) == (8, 3, 30)


def test_review_due_rejects_bad_input() -> None:
    with pytest.raises(InvalidTypeError) as caught:
        review_due("I", h(0))  # type: ignore[arg-type]
    assert caught.value.field == "level"
    with pytest.raises(NaiveDatetimeError):
        review_due(ResponseLevel.I, dt.datetime(2026, 3, 6))  # noqa: DTZ001
    with pytest.raises(InvalidTypeError):
        review_due(ResponseLevel.I, "2026-03-06")  # type: ignore[arg-type]


@settings(max_examples=60)
@given(st.sampled_from(ResponseLevel), aware_datetimes)
def test_review_due_properties(level: ResponseLevel, ended: dt.datetime) -> None:
    due = review_due(level, ended)
    days, kind = REVIEW_DEADLINES[level]
    assert due.tzinfo is ended.tzinfo
    assert due.time() == ended.time()  # fixed-offset zones: the same wall time
    if kind == "calendar":
        assert due.date() - ended.date() == dt.timedelta(days=days)
    else:
        assert due.weekday() < 5  # Monday..Friday
        start = np.datetime64(ended.date(), "D")
        weekday = bool(np.is_busday(start))
        # Business days strictly after the (rolled-back) start, up to due.
        counted = np.busday_count(start, np.datetime64(due.date(), "D"))
        assert counted == (days if weekday else days - 1)


# --- draft ----------------------------------------------------------------------------


def test_draft_fills_every_section() -> None:
    review = draft()
    assert (review.key, review.crisis, review.crisis_type) == (
        "review_cs_0302",
        "cs_0302",
        "other.customer_service_failure",
    )
    assert review.peak_level is ResponseLevel.II  # III → II → III
    assert review.mode is CrisisMode.REAL
    assert review.outcome is CrisisStatus.RESOLVED
    assert review.status is ReviewStatus.DRAFT
    assert review.responders == ("lin", "wu", "mei")  # first-assumed order
    assert review.created_at == h(48)
    # Resolved Tuesday 2026-03-03 15:00 (h(30)); Level II: 5 business days.
    assert review.due_at == dt.datetime(2026, 3, 10, 15, tzinfo=TZ)
    assert review.status_changes == (
        StatusChange(status=ReviewStatus.DRAFT, at=h(48), actor="mei"),
    )
    assert review.closed_at is None
    assert review.lessons == ()
    assert review.improvements == ()
    assert review.trigger == (
        "monitoring alert complaint_surge/shop/1: "
        "breach of rule complaint_surge on shop"
    )
    # Detected at h(-1) (the alert), impact from h(-6): 5 hours to detect.
    assert review.detection == (
        "Detected at 2026-03-02T08:00:00+08:00 by monitoring alert, "
        "5 h after the impact started"
    )
    assert review.resolution == (
        "Resolved at 2026-03-03T15:00:00+08:00: Queue normal for a day"
    )


def test_draft_keeps_the_origins_and_the_milestones_as_the_crisis_ended() -> None:
    review = draft()
    crisis = service_crisis()
    assert review.origins == crisis.origins
    assert review.origins[0].reference == "complaint_surge/shop/1"
    # The milestones the retune and the portfolio read the crisis's window from:
    # impact from the alert's first breach h(-6), detected h(-1), resolved h(30).
    marks = review.milestones
    assert (marks.impact_started, marks.detected, marks.declared) == (
        h(-6),
        h(-1),
        h(0),
    )
    assert (marks.contained, marks.resolved, marks.reviewed) == (h(10), h(30), None)
    assert review.ended_at == h(30) == review.metrics.as_of
    dismissed = draft(dismissed_crisis(), at=h(3))
    assert dismissed.origins == ()
    assert dismissed.milestones.resolved is None
    assert dismissed.ended_at == h(2)


def test_a_review_refuses_milestones_and_metrics_of_different_ends() -> None:
    review = draft()
    cases: list[tuple[dict[str, Any], str]] = [
        ({"milestones": attrs.evolve(review.milestones, resolved=h(31))}, "resolved"),
        ({"milestones": attrs.evolve(review.milestones, reviewed=h(47))}, "reviewed"),
        ({"milestones": attrs.evolve(review.milestones, declared=None)}, "declared"),
        ({"outcome": CrisisStatus.DISMISSED}, "metrics.status"),
        ({"created_at": h(29)}, "created_at"),
    ]
    for changes, field in cases:
        with pytest.raises(ValidationError) as caught:
            attrs.evolve(review, **changes)
        assert caught.value.field.endswith(field)
    dismissed = draft(dismissed_crisis(), at=h(3))
    with pytest.raises(ValidationError) as resolved:
        attrs.evolve(dismissed, milestones=review.milestones)
    assert resolved.value.field == "milestones.resolved"
    with pytest.raises(InvalidTypeError) as origins:
        attrs.evolve(review, origins=("complaint_surge/shop/1",))
    assert origins.value.field == "origins[0]"


def test_draft_metrics_loss_and_cost() -> None:
    review = draft()
    crisis = service_crisis()
    # Measured as the crisis stood when it ended (h(30)), not with the late loss.
    assert review.metrics.as_of == h(30)
    assert review.metrics.time_to_detect == dt.timedelta(hours=5)
    assert review.metrics.time_to_resolve == dt.timedelta(hours=31)  # h(-1)..h(30)
    assert review.metrics.time_in_status[CrisisStatus.RESOLVED] == dt.timedelta(0)
    ended = Crisis.from_events(crisis.events[:-1])
    assert measure(ended, as_of=h(30)) == review.metrics
    # The loss takes the whole log: 12000.50 estimated refunds + 30000 actual sales.
    assert review.business_loss is not None
    assert review.business_loss.total_best_known == Decimal("42000.50")
    assert review.response_cost is not None
    assert review.response_cost.currency == "TWD"
    assert review.response_cost.total > 0


def test_timeline_one_readable_line_per_event() -> None:
    review = draft()
    crisis = service_crisis()
    assert len(review.timeline) == len(crisis.events)
    assert [e.kind for e in review.timeline] == [
        type(e).__name__ for e in crisis.events
    ]
    assert [e.at for e in review.timeline] == [e.at for e in crisis.events]
    lines = {(e.kind, e.text): e.key for e in review.timeline}
    expected = {
        (
            "CrisisDeclared",
            (
                "Declared 'Customer complaints surge' (other.customer_service_failure) "
                "at Level III, lead lin; from monitoring alert complaint_surge/shop/1: "
                "breach of rule complaint_surge on shop"
            ),
        ): True,
        (
            "CrisisConfirmed",
            (
                "Confirmed as other.customer_service_failure; "
                "root cause: Too few agents for the promotion"
            ),
        ): True,
        (
            "LevelEscalated",
            "Escalated from Level III to Level II: Complaints doubled",
        ): True,
        ("RoleAssigned", "wu took the role customer_service"): False,
        (
            "ActionAssigned",
            (
                "Action add_agents assigned to wu, due 2026-03-02T17:00:00+08:00: "
                "Add ten agents"
            ),
        ): False,
        ("ActionStarted", "Action add_agents started"): False,
        (
            "CommunicationRecorded",
            "Message to customers (external, website_notice): We are adding agents",
        ): False,
        (
            "FeedbackRecorded",
            "Feedback from hotline: 120 items, sentiment -0.40, 60% negative",
        ): False,
        ("ActionCompleted", "Action add_agents done: 12 agents"): False,
        ("RoleAssigned", "Lead handed off from lin to mei: shift change"): True,
        ("CrisisContained", "Contained"): True,
        (
            "LevelDeEscalated",
            "De-escalated from Level II to Level III: Queue back under 5 min",
        ): True,
        (
            "LossRecorded",
            "Loss recorded (estimated): refunds_compensation 12000.50 TWD",
        ): False,
        ("CrisisRecovered", "Recovered"): True,
        ("CrisisResolved", "Resolved: Queue normal for a day"): True,
        ("LossRecorded", "Loss recorded (actual): lost_sales 30000 TWD"): False,
    }
    assert lines == expected
    assert [e.kind for e in review.key_timeline] == [
        e.kind for e in review.timeline if e.key
    ]


def test_timeline_covers_the_other_events() -> None:
    c = Crisis.declare(
        "busy_one",
        title="Site slow",
        crisis_type="technical.system_failure",
        level=ResponseLevel.III,
        at=h(0),
        actor="duty manager",
        lead="lin",
        mode=CrisisMode.DRILL,
    )
    c = c.confirm(at=h(1), actor="lin", root_cause="Bad deploy")
    c = c.assign_role("scribe", "ann", at=h(1), actor="lin")
    c = c.relinquish_role("scribe", "ann", at=h(2), actor="lin", reason="off shift")
    c = c.activate_playbook(
        default_playbooks()["incident_recovery"], at=h(2), actor="lin"
    )
    c = c.assign_action(
        "rollback", at=h(2), actor="lin", title="Roll back", owner="bo",
        due_at=h(3), done_when="Old build live",
    )  # fmt: skip
    c = c.block_action("rollback", at=h(2), actor="bo", reason="No access")
    c = c.reassign_action(
        "rollback", at=h(3), actor="lin", owner="cy", due_at=h(4), reason="Has access"
    )
    c = c.cancel_action("rollback", at=h(3), actor="lin", reason="Hotfix instead")
    c = c.adjust_strategy(at=h(3), actor="lin", summary="Hotfix", reason="Faster")
    c = c.reallocate_resources(
        at=h(3), actor="lin", amounts={"engineers": 4}, reason="More hands"
    )
    c = c.mark_contained(at=h(4), actor="lin", summary="Errors stopped")
    c = c.mark_recovered(at=h(5), actor="lin")
    c = c.resolve(at=h(6), actor="lin")
    c = c.reopen(at=h(7), actor="lin", reason="Errors back")
    c = c.mark_contained(at=h(8), actor="lin")
    c = c.mark_recovered(at=h(9), actor="lin")
    c = c.resolve(at=h(10), actor="lin")
    review = Review.draft(c, key="busy_review", at=h(10), owner="lin", summary="S")
    assert review.mode is CrisisMode.DRILL  # a drill is reviewed and stays a drill
    texts = [e.text for e in review.timeline]
    assert texts[0] == (
        "Declared 'Site slow' (technical.system_failure) at Level III, lead lin [drill]"
    )
    steps = len(default_playbooks()["incident_recovery"].steps)
    assert f"Activated playbook incident_recovery ({steps} actions)" in texts
    assert "ann took the role scribe" in texts
    assert "ann left the role scribe: off shift" in texts
    assert "Action rollback blocked: No access" in texts
    assert (
        "Action rollback reassigned to cy, due 2026-03-02T13:00:00+08:00: Has access"
        in texts
    )
    assert "Action rollback cancelled: Hotfix instead" in texts
    assert "Strategy adjusted: Hotfix (why: Faster)" in texts
    assert "Resources reallocated: engineers=4 (why: More hands)" in texts
    assert "Contained: Errors stopped" in texts
    assert "Reopened: Errors back" in texts
    assert (
        review.trigger == "Declared by duty manager (no recorded alert, risk or report)"
    )
    assert review.detection == (
        "Detected at 2026-03-02T09:00:00+08:00 "
        "(impact start unknown: no time to detect)"
    )
    # Measured at the last end (h(10)), after the reopening.
    assert review.metrics.as_of == h(10)
    assert review.resolution == "Resolved at 2026-03-02T19:00:00+08:00"
    assert review.business_loss is None
    assert review.response_cost is None


def test_draft_of_a_dismissed_crisis() -> None:
    review = Review.draft(
        dismissed_crisis(), key="dip_review", at=h(3), owner="lin", summary="Dip"
    )
    assert review.outcome is CrisisStatus.DISMISSED
    assert review.resolution == (
        "Dismissed as a false alarm at 2026-03-02T11:00:00+08:00: Holiday effect"
    )
    assert review.timeline[-1].text == "Dismissed as a false alarm: Holiday effect"
    assert review.due_at == h(2) + dt.timedelta(days=20)  # Level IV


def test_draft_takes_given_texts_and_causes() -> None:
    causes = CauseAnalysis(
        crisis_key="cs_0302",
        causes=[
            Cause(
                key="no_staffing_plan",
                family=CauseFamily.PRODUCT_SERVICE_QUALITY,
                description="No staffing plan for promotions",
                is_root=True,
            )
        ],
    )
    review = draft(
        causes=causes,
        trigger="The promotion",
        detection="Customers told us",
        resolution="More agents",
        impact="3,000 customers waited over an hour",
        actor="lin",
    )
    assert (review.trigger, review.detection, review.resolution) == (
        "The promotion",
        "Customers told us",
        "More agents",
    )
    assert review.causes == causes
    assert review.status_changes[0].actor == "lin"


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"key": "Review 1"}, ValidationError, "key"),
        ({"owner": ""}, ValidationError, "owner"),
        ({"owner": None}, InvalidTypeError, "owner"),
        ({"summary": " "}, ValidationError, "summary"),
        ({"at": h(29)}, ValidationError, "at"),  # before the crisis ended (h(30))
        ({"at": dt.datetime(2026, 3, 5)}, NaiveDatetimeError, "at"),  # noqa: DTZ001
        ({"impact": None}, InvalidTypeError, "impact"),
        ({"trigger": ""}, ValidationError, "trigger"),
        ({"causes": "bad staffing"}, InvalidTypeError, "causes"),
        ({"actor": " "}, ValidationError, "actor"),
    ],
)
def test_draft_rejects_bad_input(
    changes: dict[str, Any], error: type[Exception], field: str
) -> None:
    with pytest.raises(error) as caught:
        draft(**changes)
    assert caught.value.field == field  # type: ignore[attr-defined]


def test_draft_rejects_crises_that_cannot_be_reviewed() -> None:
    with pytest.raises(InvalidTypeError) as caught:
        Review.draft("cs_0302", key="r", at=h(48), owner="mei", summary="S")  # type: ignore[arg-type]
    assert caught.value.field == "crisis"
    active = Crisis.declare(
        "live_one",
        title="Live",
        crisis_type="market.demand_shift",
        level=ResponseLevel.IV,
        at=h(0),
        actor="monitor",
        lead="lin",
    )
    with pytest.raises(ValidationError) as refused:
        draft(active)
    assert refused.value.field == "crisis.status"
    assert refused.value.value == "detected"
    merged = active.merge_into("cs_0302", at=h(1), actor="lin", reason="Same surge")
    with pytest.raises(ValidationError, match="review that crisis"):
        draft(merged)
    reviewed = simple_crisis().mark_reviewed(at=h(6), actor="lin")
    with pytest.raises(ValidationError, match="already been reviewed"):
        draft(reviewed)


# --- lessons and improvements ---------------------------------------------------------


def test_add_lessons_and_improvements() -> None:
    review = complete_review()
    assert review.lessons == (LESSON, GOOD)
    assert review.improvements == (improvement(),)
    assert review.lesson("clear_notice") == GOOD
    assert review.improvement("staff_plan") == improvement()
    assert review.lessons_of(LessonKind.WENT_WELL) == (GOOD,)
    assert review.unanswered_lessons() == ()
    assert [(a.action, a.subject) for a in review.activity] == [
        ("add_lesson", "too_few_agents"),
        ("add_lesson", "clear_notice"),
        ("add_improvement", "staff_plan"),
    ]
    assert review.last_at == h(49)


def test_unanswered_lessons() -> None:
    lucky = Lesson(
        key="no_outage",
        kind=LessonKind.LUCKY,
        theme=LessonTheme.DATA_MONITORING,
        text="The chat system held up under triple load.",
    )
    review = complete_review().add_lesson(lucky, at=h(50), actor="mei")
    assert review.unanswered_lessons() == (lucky,)
    review = review.cancel_improvement("staff_plan", at=h(51), actor="wu", note="x")
    assert review.unanswered_lessons() == (LESSON, lucky)


def test_add_rejects_bad_input_and_changes_nothing() -> None:
    review = complete_review()
    before = to_data(review)
    with pytest.raises(DuplicateKeyError):
        review.add_lesson(LESSON, at=h(50), actor="mei")
    with pytest.raises(InvalidTypeError) as caught:
        review.add_lesson("a lesson", at=h(50), actor="mei")  # type: ignore[arg-type]
    assert caught.value.field == "lesson"
    with pytest.raises(ValidationError) as early:
        review.add_lesson(attrs.evolve(LESSON, key="other"), at=h(48), actor="mei")
    assert early.value.field == "at"  # before the review's last change (h(49))
    with pytest.raises(ValidationError) as blank:
        review.add_lesson(attrs.evolve(LESSON, key="other"), at=h(50), actor=" ")
    assert blank.value.field == "actor"
    with pytest.raises(DuplicateKeyError):
        review.add_improvement(improvement(), at=h(50), actor="mei")
    with pytest.raises(UnknownKeyError) as unknown:
        review.add_improvement(
            improvement(key="x", lesson="too_few_agent"), at=h(50), actor="mei"
        )
    assert "too_few_agents" in str(unknown.value)  # suggested
    with pytest.raises(ValidationError) as due:
        # Due before the moment it is added.
        review.add_improvement(
            improvement(key="x", due_at=h(49.5)), at=h(50), actor="mei"
        )
    assert due.value.field == "action.due_at"
    with pytest.raises(InvalidTypeError) as wrong:
        review.add_improvement(LESSON, at=h(50), actor="mei")  # type: ignore[arg-type]
    assert wrong.value.field == "action"
    with pytest.raises(UnknownKeyError):
        review.lesson("nope")
    with pytest.raises(UnknownKeyError):
        review.improvement("nope")
    with pytest.raises(InvalidTypeError):
        review.lessons_of("lucky")  # type: ignore[arg-type]
    assert to_data(review) == before


def test_improvements_progress_in_any_status() -> None:
    review = complete_review().submit(at=h(50), actor="mei")
    review = review.approve(at=h(51), actor="lin").close(at=h(52), actor="mei")
    review = review.start_improvement("staff_plan", at=h(60), actor="wu")
    assert review.improvement("staff_plan").status is ImprovementStatus.IN_PROGRESS
    review = review.complete_improvement(
        "staff_plan", at=h(100), actor="wu", note="Roster v2"
    )
    done = review.improvement("staff_plan")
    assert (done.status, done.completed_at, done.note) == (
        ImprovementStatus.DONE,
        h(100),
        "Roster v2",
    )
    assert review.activity[-1] == ReviewActivity(
        at=h(100),
        actor="wu",
        action="complete_improvement",
        subject="staff_plan",
        note="Roster v2",
    )
    assert review.status is ReviewStatus.CLOSED
    with pytest.raises(TransitionError):
        review.cancel_improvement("staff_plan", at=h(101), actor="wu")
    with pytest.raises(UnknownKeyError):
        review.start_improvement("staf_plan", at=h(101), actor="wu")
    with pytest.raises(ValidationError):
        review.start_improvement("staff_plan", at=h(99), actor="wu")


def test_overdue_improvements_and_review() -> None:
    review = complete_review()
    due = improvement().due_at
    assert review.overdue_improvements(due) == ()
    later = due + dt.timedelta(seconds=1)
    assert review.overdue_improvements(later) == (improvement(),)
    # The review itself is due at 2026-03-10 15:00 (h(198)).
    assert not review.is_overdue(review.due_at)
    assert review.is_overdue(review.due_at + dt.timedelta(minutes=1))
    approved = review.submit(at=h(50), actor="mei").approve(at=h(51), actor="lin")
    assert not approved.is_overdue(review.due_at + dt.timedelta(days=30))
    with pytest.raises(NaiveDatetimeError):
        review.is_overdue(dt.datetime(2026, 4, 1))  # noqa: DTZ001
    with pytest.raises(InvalidTypeError):
        review.overdue_improvements("2026-04-01")  # type: ignore[arg-type]


def test_revise() -> None:
    review = draft().revise(
        at=h(49), actor="mei", impact="3,000 customers", trigger="T"
    )
    assert (review.impact, review.trigger) == ("3,000 customers", "T")
    assert review.activity[-1].subject == "impact, trigger"
    with pytest.raises(ValidationError) as nothing:
        review.revise(at=h(50), actor="mei")
    assert nothing.value.field == "revise"
    with pytest.raises(ValidationError) as blank:
        review.revise(at=h(50), actor="mei", summary=" ")
    assert blank.value.field == "summary"


# --- workflow -------------------------------------------------------------------------


def test_full_workflow_with_a_send_back() -> None:
    review = draft()
    review = review.add_lesson(LESSON, at=h(49), actor="mei")
    review = review.submit(at=h(50), actor="mei")
    review = review.send_back(at=h(51), actor="lin", note="Needs an action")
    assert review.status is ReviewStatus.DRAFT
    review = review.add_improvement(
        improvement(created_at=h(52)), at=h(52), actor="mei"
    )
    review = review.submit(at=h(53), actor="mei")
    review = review.add_lesson(GOOD, at=h(54), actor="lin")  # edits in review allowed
    review = review.approve(at=h(55), actor="lin")
    review = review.close(at=h(56), actor="mei")
    assert review.status is ReviewStatus.CLOSED
    assert review.closed_at == h(56)
    assert [(c.status, c.at, c.actor, c.note) for c in review.status_changes] == [
        (ReviewStatus.DRAFT, h(48), "mei", ""),
        (ReviewStatus.IN_REVIEW, h(50), "mei", ""),
        (ReviewStatus.DRAFT, h(51), "lin", "Needs an action"),
        (ReviewStatus.IN_REVIEW, h(53), "mei", ""),
        (ReviewStatus.REVIEWED, h(55), "lin", ""),
        (ReviewStatus.CLOSED, h(56), "mei", ""),
    ]


def test_workflow_refuses_moves_off_the_table() -> None:
    review = complete_review()
    with pytest.raises(TransitionError):
        review.approve(at=h(50), actor="lin")
    with pytest.raises(TransitionError):
        review.close(at=h(50), actor="lin")
    with pytest.raises(TransitionError):
        review.send_back(at=h(50), actor="lin", note="why")
    submitted = review.submit(at=h(50), actor="mei")
    with pytest.raises(TransitionError):
        submitted.submit(at=h(51), actor="mei")
    with pytest.raises(ValidationError) as note:
        submitted.send_back(at=h(51), actor="lin", note=" ")
    assert note.value.field == "note"
    approved = submitted.approve(at=h(51), actor="lin")
    with pytest.raises(TransitionError, match="add_lesson"):
        approved.add_lesson(attrs.evolve(LESSON, key="late"), at=h(52), actor="mei")
    with pytest.raises(TransitionError):
        approved.add_improvement(improvement(key="y"), at=h(52), actor="mei")
    with pytest.raises(TransitionError):
        approved.revise(at=h(52), actor="mei", impact="x")
    closed = approved.close(at=h(52), actor="mei")
    for command in (closed.submit, closed.approve, closed.close):
        with pytest.raises(TransitionError):
            command(at=h(53), actor="mei")
    with pytest.raises(ValidationError) as early:
        approved.close(at=h(50), actor="mei")
    assert early.value.field == "at"


def test_approval_needs_a_complete_review() -> None:
    empty = draft().submit(at=h(49), actor="mei")
    with pytest.raises(ValidationError) as no_lesson:
        empty.approve(at=h(50), actor="lin")
    assert no_lesson.value.field == "lessons"
    # Level II peak: at least one improvement action.
    lesson_only = draft().add_lesson(LESSON, at=h(49), actor="mei")
    with pytest.raises(ValidationError) as no_action:
        lesson_only.submit(at=h(50), actor="mei").approve(at=h(51), actor="lin")
    assert no_action.value.field == "improvements"
    cancelled = complete_review().cancel_improvement("staff_plan", at=h(50), actor="wu")
    with pytest.raises(ValidationError, match="not cancelled"):
        cancelled.submit(at=h(51), actor="mei").approve(at=h(52), actor="lin")
    # A Level IV crisis needs a lesson but no action.
    small = Review.draft(simple_crisis(), key="r4", at=h(6), owner="lin", summary="S")
    small = small.add_lesson(GOOD, at=h(6), actor="lin").submit(at=h(6), actor="lin")
    assert small.approve(at=h(7), actor="lin").status is ReviewStatus.REVIEWED


def test_transition_table() -> None:
    assert REVIEW_TRANSITIONS[ReviewStatus.IN_REVIEW] == (
        ReviewStatus.REVIEWED,
        ReviewStatus.DRAFT,
    )
    assert REVIEW_TRANSITIONS[ReviewStatus.CLOSED] == ()
    assert ReviewStatus.IN_REVIEW.labels.zh_hant == "審閱中"
    assert [s for s in ReviewStatus if s.is_editable] == [
        ReviewStatus.DRAFT,
        ReviewStatus.IN_REVIEW,
    ]


# --- invariants on construction -------------------------------------------------------


def test_construction_checks_invariants() -> None:
    review = complete_review()
    with pytest.raises(ValidationError) as outcome:
        attrs.evolve(review, outcome=CrisisStatus.RESPONDING)
    assert outcome.value.field == "outcome"
    with pytest.raises(ValidationError) as status:
        attrs.evolve(review, status=ReviewStatus.IN_REVIEW)
    assert status.value.field == "status"
    with pytest.raises(ValidationError) as closed:
        attrs.evolve(review, closed_at=h(60))
    assert closed.value.field == "closed_at"
    with pytest.raises(DuplicateKeyError):
        attrs.evolve(review, lessons=(LESSON, LESSON))
    with pytest.raises(UnknownKeyError):
        attrs.evolve(review, lessons=(GOOD,))  # the improvement's lesson is gone
    with pytest.raises(ValidationError) as crisis:
        attrs.evolve(review, crisis="other_crisis")
    assert crisis.value.field == "metrics.crisis"
    jump = (
        *review.status_changes,
        StatusChange(status=ReviewStatus.CLOSED, at=h(60), actor="x"),
    )
    with pytest.raises(TransitionError):
        attrs.evolve(review, status_changes=jump, status=ReviewStatus.CLOSED)
    first = StatusChange(status=ReviewStatus.IN_REVIEW, at=h(48), actor="mei")
    with pytest.raises(ValidationError):
        attrs.evolve(review, status_changes=(first,), status=ReviewStatus.IN_REVIEW)
    with pytest.raises(ValidationError) as order:
        attrs.evolve(review, timeline=tuple(reversed(review.timeline)))
    assert order.value.field == "timeline[1].at"
    with pytest.raises(ValidationError) as responders:
        attrs.evolve(review, responders=("lin", "lin"))
    assert responders.value.field == "responders"
    with pytest.raises(ValidationError) as early_due:
        attrs.evolve(
            review,
            improvements=(improvement(created_at=h(40), due_at=h(41)),),
        )
    assert early_due.value.field == "improvements[0].due_at"


def test_tampered_data_is_refused() -> None:
    data = to_data(complete_review())
    data["data"]["status"] = "closed"
    with pytest.raises(SerializationError):
        from_data(Review, data)


def test_value_classes_reject_bad_input() -> None:
    with pytest.raises(ValidationError):
        TimelineEntry(at=h(0), actor="x", kind="E", text=" ")
    with pytest.raises(InvalidTypeError):
        TimelineEntry(at=h(0), actor="x", kind="E", text="t", key="yes")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError):
        StatusChange(status="draft", at=h(0), actor="x")  # type: ignore[arg-type]
    with pytest.raises(ValidationError):
        ReviewActivity(at=h(0), actor="x", action="Add Lesson", subject="k")


# --- closing the crisis ---------------------------------------------------------------


def closed_review() -> Review:
    review = complete_review().submit(at=h(50), actor="mei")
    return review.approve(at=h(51), actor="lin").close(at=h(52), actor="mei")


def test_close_crisis_marks_it_reviewed() -> None:
    crisis = close_crisis(service_crisis(), closed_review())
    assert crisis.status is CrisisStatus.REVIEWED
    last = crisis.events[-1]
    assert isinstance(last, CrisisReviewed)
    assert (last.at, last.actor, last.review, last.summary) == (
        h(52),
        "mei",
        "review_cs_0302",
        "Complaints surged during the promotion.",
    )
    assert crisis.milestones.reviewed == h(52)


def test_close_crisis_of_a_dismissed_crisis_returns_it_unchanged() -> None:
    crisis = dismissed_crisis()
    review = Review.draft(crisis, key="dip", at=h(3), owner="lin", summary="Dip")
    review = review.add_lesson(GOOD, at=h(3), actor="lin").submit(at=h(3), actor="lin")
    review = review.approve(at=h(4), actor="lin").close(at=h(4), actor="lin")
    assert close_crisis(crisis, review) is crisis


def test_close_crisis_rejects_bad_input() -> None:
    crisis = service_crisis()
    with pytest.raises(ValidationError) as open_review:
        close_crisis(crisis, complete_review())
    assert open_review.value.field == "review.status"
    with pytest.raises(ValidationError) as other:
        close_crisis(simple_crisis(), closed_review())
    assert other.value.field == "review.crisis"
    with pytest.raises(InvalidTypeError) as wrong:
        close_crisis(crisis, "review")  # type: ignore[arg-type]
    assert wrong.value.field == "review"
    with pytest.raises(InvalidTypeError):
        close_crisis("cs_0302", closed_review())  # type: ignore[arg-type]
    # Reopened and resolved again after the review was drafted: stale review.
    again = crisis.reopen(at=h(41), actor="mei", reason="Complaints back")
    again = again.mark_contained(at=h(42), actor="mei")
    again = again.mark_recovered(at=h(43), actor="mei")
    again = again.resolve(at=h(44), actor="mei")
    with pytest.raises(ValidationError) as stale:
        close_crisis(again, closed_review())
    assert stale.value.field == "review.metrics.as_of"
    # Already reviewed: the crisis refuses a second mark.
    with pytest.raises(TransitionError):
        close_crisis(close_crisis(crisis, closed_review()), closed_review())


# --- round trips and workflow properties ----------------------------------------------

COMMANDS = (
    "lesson",
    "improvement",
    "submit",
    "send_back",
    "approve",
    "close",
    "start",
    "complete",
    "cancel",
)


def apply(review: Review, command: str, at: dt.datetime, index: int) -> Review:
    """Apply one command; refused commands raise crisisops errors."""
    if command == "lesson":
        kind = list(LessonKind)[index % 3]
        lesson = Lesson(
            key=f"lesson_{index}", kind=kind, theme=LessonTheme.SPEED, text="t"
        )
        return review.add_lesson(lesson, at=at, actor="mei")
    if command == "improvement":
        action = improvement(
            key=f"action_{index}",
            lesson=None,
            created_at=at,
            due_at=at + dt.timedelta(days=7),
        )
        return review.add_improvement(action, at=at, actor="mei")
    if command == "send_back":
        return review.send_back(at=at, actor="lin", note="more")
    if command in {"submit", "approve", "close"}:
        method = getattr(review, command)
        return method(at=at, actor="lin")  # type: ignore[no-any-return]
    if not review.improvements:
        return review
    key = review.improvements[index % len(review.improvements)].key
    method = getattr(review, f"{command}_improvement")
    return method(key, at=at, actor="wu")  # type: ignore[no-any-return]


@functools.cache
def base_review() -> Review:
    return draft()


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(COMMANDS), st.integers(0, 120), st.integers(0, 5)),
        max_size=12,
    )
)
def test_command_sequences_keep_invariants_and_round_trip(
    steps: list[tuple[str, int, int]],
) -> None:
    review = base_review()
    moment = review.created_at
    for index, (command, minutes, pick) in enumerate(steps):
        moment = moment + dt.timedelta(minutes=minutes)
        # A refused command raises and leaves ``review`` as it was (immutable).
        with contextlib.suppress(
            TransitionError, ValidationError, DuplicateKeyError, UnknownKeyError
        ):
            review = apply(review, command, moment, index * 10 + pick)
    assert review.status is review.status_changes[-1].status
    assert (review.closed_at is not None) == (review.status is ReviewStatus.CLOSED)
    moments = [c.at for c in review.status_changes] + [a.at for a in review.activity]
    assert all(m >= review.created_at for m in moments)
    if review.status in {ReviewStatus.REVIEWED, ReviewStatus.CLOSED}:
        assert review.lessons
        assert review.improvements  # Level II peak
    assert from_data(Review, to_data(review)) == review


@settings(max_examples=30)
@given(
    at=aware_datetimes,
    text=st.text(min_size=1, max_size=10).filter(str.strip),
    key=st.booleans(),
)
def test_small_values_round_trip(at: dt.datetime, text: str, *, key: bool) -> None:
    entry = TimelineEntry(at=at, actor=text, kind="CrisisResolved", text=text, key=key)
    assert from_data(TimelineEntry, to_data(entry)) == entry
    change = StatusChange(status=ReviewStatus.IN_REVIEW, at=at, actor=text, note=text)
    assert from_data(StatusChange, to_data(change)) == change
    activity = ReviewActivity(at=at, actor=text, action="add_lesson", subject=text)
    assert from_data(ReviewActivity, to_data(activity)) == activity


def test_full_review_round_trip_with_causes_loss_and_cost() -> None:
    causes = CauseAnalysis(
        crisis_key="cs_0302",
        causes=[
            Cause(
                key="no_staffing_plan",
                family=CauseFamily.PRODUCT_SERVICE_QUALITY,
                description="No staffing plan for promotions",
                is_root=True,
            )
        ],
    )
    review = closed_review()
    review = attrs.evolve(review, causes=causes)
    assert review.business_loss is not None
    assert review.response_cost is not None
    assert from_data(Review, to_data(review)) == review
