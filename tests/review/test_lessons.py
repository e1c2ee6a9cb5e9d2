from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops.errors import (
    InvalidTypeError,
    NaiveDatetimeError,
    TransitionError,
    ValidationError,
)
from crisisops.review.lessons import (
    IMPROVEMENT_TRANSITIONS,
    ImprovementAction,
    ImprovementKind,
    ImprovementStatus,
    Lesson,
    LessonKind,
    LessonTheme,
)
from crisisops.serialization import from_data, to_data
from tests.strategies import aware_datetimes, dotted_keys, texts

UTC = dt.timezone.utc
T0 = dt.datetime(2026, 3, 10, 9, 0, tzinfo=UTC)


def days(n: float) -> dt.datetime:
    return T0 + dt.timedelta(days=n)


def lesson(**changes: Any) -> Lesson:
    fields: dict[str, Any] = {
        "key": "late_alert",
        "kind": LessonKind.WENT_POORLY,
        "theme": LessonTheme.SENSITIVITY,
        "text": "The complaint-rate trigger fired two days late.",
    }
    fields.update(changes)
    return Lesson(**fields)


def action(**changes: Any) -> ImprovementAction:
    fields: dict[str, Any] = {
        "key": "retune_complaint_trigger",
        "title": "Re-calibrate the complaint-rate trigger",
        "kind": ImprovementKind.DETECT,
        "owner": "chen",
        "created_at": T0,
        "due_at": days(14),
    }
    fields.update(changes)
    return ImprovementAction(**fields)


# --- enums ----------------------------------------------------------------------


def test_themes_are_the_books_five_with_their_headings() -> None:
    # Book §6.2 總結經驗和教訓, points 一 to 五.
    assert [t.labels.zh_hant for t in LessonTheme] == [
        "識別危機的敏感性",
        "建立快速反應機制",
        "溝通與協作的重要性",
        "靈活調整策略",
        "重視數據分析與監控",
    ]
    assert all(t.book_section.startswith("§6.2 總結經驗和教訓") for t in LessonTheme)
    assert str(LessonTheme.DATA_MONITORING) == "data_monitoring"


def test_lesson_kinds_are_the_sre_three() -> None:
    assert [k.value for k in LessonKind] == ["went_well", "went_poorly", "lucky"]
    assert LessonKind.LUCKY.labels.en == "Where we got lucky"
    assert LessonKind.WENT_WELL.labels.zh_hant == "做得好的"


def test_improvement_kinds_and_their_horizon() -> None:
    assert [k.value for k in ImprovementKind] == [
        "investigate",
        "mitigate",
        "repair",
        "detect",
        "prevent",
        "process",
        "training",
    ]
    forward = {k for k in ImprovementKind if k.looks_forward}
    assert forward == {
        ImprovementKind.DETECT,
        ImprovementKind.PREVENT,
        ImprovementKind.PROCESS,
        ImprovementKind.TRAINING,
    }
    assert all(k.labels.zh_hans for k in ImprovementKind)


def test_status_outstanding_and_transition_table() -> None:
    outstanding = {s for s in ImprovementStatus if s.is_outstanding}
    assert outstanding == {ImprovementStatus.OPEN, ImprovementStatus.IN_PROGRESS}
    assert IMPROVEMENT_TRANSITIONS[ImprovementStatus.DONE] == ()
    assert IMPROVEMENT_TRANSITIONS[ImprovementStatus.CANCELLED] == ()
    assert all(s.labels.en for s in ImprovementStatus)


# --- lesson -----------------------------------------------------------------------


def test_lesson_defaults_and_fields() -> None:
    made = lesson()
    assert made.evidence == ""
    assert made.theme.labels.en == "Sensitivity to crisis signals"


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"key": "Late Alert"}, ValidationError, "key"),
        ({"key": None}, InvalidTypeError, "key"),
        ({"kind": "went_poorly"}, InvalidTypeError, "kind"),
        ({"theme": "speed"}, InvalidTypeError, "theme"),
        ({"text": "  "}, ValidationError, "text"),
        ({"evidence": None}, InvalidTypeError, "evidence"),
    ],
)
def test_lesson_rejects_bad_input(
    changes: dict[str, Any], error: type[Exception], field: str
) -> None:
    with pytest.raises(error) as caught:
        lesson(**changes)
    assert caught.value.field == field  # type: ignore[attr-defined]


# --- improvement action -----------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"owner": None}, InvalidTypeError, "owner"),  # an action needs an owner
        ({"owner": ""}, ValidationError, "owner"),
        ({"title": " "}, ValidationError, "title"),
        ({"kind": "detect"}, InvalidTypeError, "kind"),
        ({"due_at": days(-1)}, ValidationError, "due_at"),
        ({"due_at": dt.datetime(2026, 3, 20)}, NaiveDatetimeError, "due_at"),  # noqa: DTZ001
        ({"created_at": "2026-03-10"}, InvalidTypeError, "created_at"),
        ({"lesson": "Late"}, ValidationError, "lesson"),
        ({"trigger_rule": ""}, ValidationError, "trigger_rule"),
        ({"risk": 3}, InvalidTypeError, "risk"),
        ({"playbook_step": "add_agents"}, ValidationError, "playbook_step"),
        ({"playbook_step": "Bad.Step"}, ValidationError, "playbook_step"),
        ({"note": None}, InvalidTypeError, "note"),
        ({"status": ImprovementStatus.DONE}, ValidationError, "completed_at"),
        ({"status": ImprovementStatus.IN_PROGRESS}, ValidationError, "started_at"),
        ({"status": ImprovementStatus.CANCELLED}, ValidationError, "cancelled_at"),
        ({"completed_at": days(1)}, ValidationError, "completed_at"),
        (
            {
                "status": ImprovementStatus.DONE,
                "started_at": days(2),
                "completed_at": days(1),
            },
            ValidationError,
            "completed_at",
        ),
        (
            {"status": ImprovementStatus.IN_PROGRESS, "started_at": days(-1)},
            ValidationError,
            "started_at",
        ),
    ],
)
def test_improvement_rejects_bad_input(
    changes: dict[str, Any], error: type[Exception], field: str
) -> None:
    with pytest.raises(error) as caught:
        action(**changes)
    assert caught.value.field == field  # type: ignore[attr-defined]


def test_improvement_links() -> None:
    made = action(
        lesson="late_alert",
        trigger_rule="complaint_surge",
        risk="service.complaints",
        playbook_step="customer_service.add_agents",
    )
    assert made.playbook_step == "customer_service.add_agents"
    assert made.status is ImprovementStatus.OPEN


def test_is_overdue_by_hand() -> None:
    made = action()  # due T0 + 14 days
    assert not made.is_overdue(days(14))  # due at, not yet past
    assert made.is_overdue(days(14) + dt.timedelta(seconds=1))
    # Another timezone, same instant: 14 days + 1 h in UTC+8 is 14 days - 7 h UTC.
    plus8 = dt.timezone(dt.timedelta(hours=8))
    assert not made.is_overdue((days(14) + dt.timedelta(hours=1)).replace(tzinfo=plus8))
    assert not made.complete(at=days(3)).is_overdue(days(30))
    assert not made.cancel(at=days(3)).is_overdue(days(30))
    assert made.start(at=days(1)).is_overdue(days(15))


def test_is_overdue_rejects_bad_as_of() -> None:
    with pytest.raises(NaiveDatetimeError):
        action().is_overdue(dt.datetime(2026, 4, 1))  # noqa: DTZ001
    with pytest.raises(InvalidTypeError):
        action().is_overdue("2026-04-01")  # type: ignore[arg-type]


def test_lifecycle_and_finished_on_time() -> None:
    started = action().start(at=days(1))
    assert started.status is ImprovementStatus.IN_PROGRESS
    assert started.started_at == days(1)
    done = started.complete(at=days(10), note="Thresholds v2 live")
    assert (done.status, done.completed_at, done.note) == (
        ImprovementStatus.DONE,
        days(10),
        "Thresholds v2 live",
    )
    assert done.finished_on_time is True
    late = action().complete(at=days(20))  # straight from open, after the due date
    assert late.finished_on_time is False
    assert late.started_at is None
    assert started.finished_on_time is None
    cancelled = started.cancel(at=days(2), note="Replaced by the new rule")
    assert cancelled.cancelled_at == days(2)
    assert cancelled.note == "Replaced by the new rule"


def test_transitions_refused() -> None:
    done = action().complete(at=days(1))
    with pytest.raises(TransitionError) as caught:
        done.start(at=days(2))
    assert "done" in str(caught.value)
    with pytest.raises(TransitionError):
        done.cancel(at=days(2))
    with pytest.raises(TransitionError):
        action().start(at=days(1)).start(at=days(2))


def test_transitions_reject_bad_moments() -> None:
    with pytest.raises(ValidationError) as caught:
        action().start(at=days(-1))
    assert caught.value.field == "at"
    started = action().start(at=days(2))
    with pytest.raises(ValidationError):
        started.complete(at=days(1))  # before it started
    with pytest.raises(NaiveDatetimeError):
        action().complete(at=dt.datetime(2026, 3, 12))  # noqa: DTZ001
    with pytest.raises(InvalidTypeError):
        action().cancel(at=days(1), note=3)  # type: ignore[arg-type]


# A few fixed keys: the keys are not what these properties are about, and
# drawing them from a regex is what makes hypothesis slow here.
keys = st.sampled_from(["retune", "staff_plan", "customer_service.add_agents"])


@st.composite
def improvement_actions(draw: st.DrawFn) -> ImprovementAction:
    created = draw(aware_datetimes)
    offsets = st.timedeltas(min_value=dt.timedelta(0), max_value=dt.timedelta(days=60))
    made = ImprovementAction(
        key=draw(keys),
        title=draw(texts),
        kind=draw(st.sampled_from(ImprovementKind)),
        owner=draw(keys),
        created_at=created,
        due_at=created + draw(offsets),
        lesson=draw(st.none() | keys),
        trigger_rule=draw(st.none() | keys),
        risk=draw(st.none() | keys),
        playbook_step=draw(st.none() | st.just("customer_service.add_agents")),
        note=draw(st.text(max_size=10)),
    )
    targets = {
        "start": ImprovementStatus.IN_PROGRESS,
        "complete": ImprovementStatus.DONE,
        "cancel": ImprovementStatus.CANCELLED,
    }
    moves = draw(st.lists(st.sampled_from(sorted(targets)), max_size=3))
    moment = created
    for move in moves:
        moment = moment + draw(offsets)
        if targets[move] in IMPROVEMENT_TRANSITIONS[made.status]:
            made = getattr(made, move)(at=moment)
    return made


lessons = st.builds(
    Lesson,
    key=dotted_keys,
    kind=st.sampled_from(LessonKind),
    theme=st.sampled_from(LessonTheme),
    text=texts,
    evidence=st.text(max_size=20),
)


@settings(max_examples=40)
@given(lessons)
def test_lesson_round_trip(made: Lesson) -> None:
    assert from_data(Lesson, to_data(made)) == made


@settings(max_examples=40)
@given(improvement_actions())
def test_improvement_round_trip(made: ImprovementAction) -> None:
    assert from_data(ImprovementAction, to_data(made)) == made


@settings(max_examples=40)
@given(improvement_actions(), st.sampled_from(["start", "complete", "cancel"]))
def test_moves_follow_the_table(made: ImprovementAction, move: str) -> None:
    target = {
        "start": ImprovementStatus.IN_PROGRESS,
        "complete": ImprovementStatus.DONE,
        "cancel": ImprovementStatus.CANCELLED,
    }[move]
    moment = max(
        (m for m in (made.created_at, made.started_at) if m is not None),
        key=lambda m: m.astimezone(UTC),
    )
    if target in IMPROVEMENT_TRANSITIONS[made.status]:
        moved = getattr(made, move)(at=moment)
        assert moved.status is target
        assert moved.key == made.key
    else:
        with pytest.raises(TransitionError):
            getattr(made, move)(at=moment)


@settings(max_examples=40)
@given(improvement_actions(), aware_datetimes)
def test_overdue_only_when_outstanding_and_past_due(
    made: ImprovementAction, as_of: dt.datetime
) -> None:
    expected = made.status.is_outstanding and made.due_at.astimezone(
        UTC
    ) < as_of.astimezone(UTC)
    assert made.is_overdue(as_of) == expected
