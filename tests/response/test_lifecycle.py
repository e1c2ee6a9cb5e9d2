from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from crisisops.errors import InvalidTypeError, NaiveDatetimeError, ValidationError
from crisisops.labels import Labels
from crisisops.response.lifecycle import (
    TRANSITIONS,
    CrisisMode,
    CrisisStatus,
    Milestone,
    Milestones,
    allowed_next,
)
from crisisops.serialization import from_data, to_data
from tests.strategies import aware_datetimes

UTC = dt.timezone.utc
T0 = dt.datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
S = CrisisStatus


# --- statuses and the transition table ----------------------------------------------


def test_the_transition_table_is_the_documented_one() -> None:
    expected = {
        S.DETECTED: (S.CONFIRMED, S.DISMISSED, S.MERGED),
        S.CONFIRMED: (S.RESPONDING, S.CONTAINED, S.MERGED),
        S.RESPONDING: (S.CONTAINED, S.MERGED),
        S.CONTAINED: (S.RECOVERING, S.MERGED),
        S.RECOVERING: (S.RESOLVED, S.MERGED),
        S.RESOLVED: (S.REVIEWED, S.RESPONDING),
        S.REVIEWED: (S.RESPONDING,),
        S.DISMISSED: (S.RESPONDING,),
        S.MERGED: (),
    }

    assert expected == dict(TRANSITIONS)
    assert list(CrisisStatus) == list(TRANSITIONS)
    for status, targets in expected.items():
        assert targets == allowed_next(status)


def test_every_active_status_can_be_merged_and_nothing_leaves_merged() -> None:
    for status in CrisisStatus:
        assert (S.MERGED in allowed_next(status)) == status.is_active
    assert () == allowed_next(S.MERGED)


def test_active_and_terminal_statuses() -> None:
    active = {s for s in CrisisStatus if s.is_active}
    terminal = {s for s in CrisisStatus if s.is_terminal}

    assert {S.DETECTED, S.CONFIRMED, S.RESPONDING, S.CONTAINED, S.RECOVERING} == active
    assert {S.REVIEWED, S.DISMISSED, S.MERGED} == terminal
    # RESOLVED is neither: closed, yet it still moves on to REVIEWED.
    assert not S.RESOLVED.is_active
    assert not S.RESOLVED.is_terminal


def test_terminal_statuses_only_move_by_reopen() -> None:
    for status in CrisisStatus:
        if status.is_terminal:
            assert set(allowed_next(status)) <= {S.RESPONDING}


def test_status_values_are_their_keys_and_print_as_keys() -> None:
    assert "responding" == S.RESPONDING.value
    assert "responding" == str(S.RESPONDING)
    assert S("merged") is S.MERGED


@pytest.mark.parametrize(
    "member", [*CrisisStatus, *Milestone, *CrisisMode], ids=lambda m: m.name
)
def test_every_member_has_three_labels(member: CrisisStatus) -> None:
    labels = member.labels

    assert isinstance(labels, Labels)
    assert labels.en
    assert labels.zh_hant
    assert labels.zh_hans


def test_book_terms_in_the_labels() -> None:
    assert "預警" == S.DETECTED.labels.zh_hant
    assert "已控制" == S.CONTAINED.labels.zh_hant
    assert "誤報" == S.DISMISSED.labels.zh_hant
    assert "演練" == CrisisMode.DRILL.labels.zh_hant
    assert "补录" == CrisisMode.BACKFILLED.labels.zh_hans


def test_allowed_next_rejects_other_values() -> None:
    with pytest.raises(InvalidTypeError, match="'status'"):
        allowed_next("detected")  # type: ignore[arg-type]


def test_only_drills_are_kept_out_of_metrics() -> None:
    assert CrisisMode.REAL.counts_in_metrics
    assert CrisisMode.BACKFILLED.counts_in_metrics
    assert not CrisisMode.DRILL.counts_in_metrics


# --- milestones -------------------------------------------------------------------


def test_milestones_are_in_lifecycle_order() -> None:
    assert [
        "impact_started",
        "detected",
        "declared",
        "acknowledged",
        "contained",
        "recovered",
        "resolved",
        "reviewed",
    ] == [m.value for m in Milestone]
    assert [m.value for m in Milestone] == [f.name for f in Milestones.__attrs_attrs__]


def test_between_measures_real_time_between_set_milestones() -> None:
    marks = Milestones(
        impact_started=T0,
        detected=T0 + dt.timedelta(minutes=40),
        declared=T0 + dt.timedelta(hours=1),
        acknowledged=T0 + dt.timedelta(hours=1, minutes=30),
        contained=T0 + dt.timedelta(hours=7),
    )

    # 40 minutes from onset to detection: time to detect.
    assert dt.timedelta(minutes=40) == marks.between(
        Milestone.IMPACT_STARTED, Milestone.DETECTED
    )
    # 09:40 → 16:00 is 6 h 20 min: detection to containment.
    assert dt.timedelta(hours=6, minutes=20) == marks.between(
        Milestone.DETECTED, Milestone.CONTAINED
    )
    assert marks.between(Milestone.DETECTED, Milestone.RESOLVED) is None
    assert marks.between(Milestone.REVIEWED, Milestone.DETECTED) is None
    assert T0 + dt.timedelta(hours=7) == marks.get(Milestone.CONTAINED)
    assert marks.get(Milestone.RECOVERED) is None


def test_between_ignores_a_daylight_saving_change() -> None:
    # New York falls back on 2026-11-01 at 02:00 EDT: 00:30 EDT to 03:30 EST
    # is 4 real hours, not the 3 the wall clock shows.
    new_york = ZoneInfo("America/New_York")
    marks = Milestones(
        detected=dt.datetime(2026, 11, 1, 0, 30, tzinfo=new_york),
        declared=dt.datetime(2026, 11, 1, 3, 30, tzinfo=new_york),
    )

    assert dt.timedelta(hours=4) == marks.between(
        Milestone.DETECTED, Milestone.DECLARED
    )


def test_equal_milestones_are_in_order_and_unset_ones_are_skipped() -> None:
    marks = Milestones(detected=T0, declared=T0, contained=T0 + dt.timedelta(hours=1))

    assert marks.acknowledged is None
    assert dt.timedelta(0) == marks.between(Milestone.DETECTED, Milestone.DECLARED)


@pytest.mark.parametrize(
    ("fields", "culprit"),
    [
        ({"impact_started": T0 + dt.timedelta(hours=1), "detected": T0}, "detected"),
        ({"detected": T0 + dt.timedelta(hours=1), "declared": T0}, "declared"),
        ({"declared": T0, "resolved": T0 - dt.timedelta(seconds=1)}, "resolved"),
        ({"contained": T0, "reviewed": T0 - dt.timedelta(days=1)}, "reviewed"),
    ],
)
def test_milestones_out_of_order_are_refused(
    fields: dict[str, dt.datetime], culprit: str
) -> None:
    with pytest.raises(ValidationError, match=f"'{culprit}' must be at or after"):
        Milestones(**fields)


def test_milestones_reject_naive_and_non_datetimes() -> None:
    with pytest.raises(NaiveDatetimeError, match="'detected'"):
        Milestones(detected=dt.datetime(2026, 3, 1))  # noqa: DTZ001  on purpose
    with pytest.raises(InvalidTypeError, match="'declared'"):
        Milestones(declared="2026-03-01")  # type: ignore[arg-type]


def test_milestone_queries_reject_other_values() -> None:
    marks = Milestones(declared=T0)

    with pytest.raises(InvalidTypeError, match="'milestone'"):
        marks.get("declared")  # type: ignore[arg-type]
    with pytest.raises(InvalidTypeError, match="'milestone'"):
        marks.between(Milestone.DECLARED, "resolved")  # type: ignore[arg-type]


@st.composite
def ordered_milestones(draw: st.DrawFn) -> Milestones:
    moments = sorted(
        draw(st.lists(aware_datetimes, min_size=8, max_size=8)),
        key=lambda m: m.astimezone(UTC),
    )
    keep = draw(st.lists(st.booleans(), min_size=8, max_size=8))
    fields = {
        milestone.value: moment if kept else None
        for milestone, moment, kept in zip(Milestone, moments, keep, strict=True)
    }
    return Milestones(**fields)


@given(ordered_milestones())
def test_milestones_round_trip_through_plain_data(marks: Milestones) -> None:
    assert marks == from_data(Milestones, to_data(marks))


@given(ordered_milestones())
def test_between_is_never_negative_in_lifecycle_order(marks: Milestones) -> None:
    order = list(Milestone)
    for i, start in enumerate(order):
        for end in order[i:]:
            span = marks.between(start, end)
            assert span is None or span >= dt.timedelta(0)


@pytest.mark.parametrize("kind", [CrisisStatus, Milestone, CrisisMode])
def test_enums_round_trip_through_plain_data(kind: type[CrisisStatus]) -> None:
    for member in kind:
        assert member is from_data(kind, to_data(member))
