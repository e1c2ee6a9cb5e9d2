"""Assessment cycles, overdue risks, snapshots and trends (book §3 定期進行風險評估)."""

from __future__ import annotations

import calendar
import datetime as dt
import json
import math
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from crisisops._time import Frequency, Recurrence
from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    NaiveDatetimeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.risk.register import Assessment, AssessmentKind, Risk, RiskRegister
from crisisops.risk.schedule import (
    AssessmentSchedule,
    MonthEnd,
    RegisterSnapshot,
    RuleCycle,
    ScoreTrends,
    score_trends,
)
from crisisops.serialization import from_data, to_data

TAIPEI = dt.timezone(dt.timedelta(hours=8))
NEW_YORK = ZoneInfo("America/New_York")
UTC = dt.timezone.utc
NAIVE = dt.datetime(2026, 4, 1)  # noqa: DTZ001  a naive datetime, to be refused


def _tp(year: int, month: int, day: int, hour: int = 9) -> dt.datetime:
    return dt.datetime(year, month, day, hour, tzinfo=TAIPEI)


def _dates(moments: tuple[dt.datetime, ...]) -> list[str]:
    return [moment.date().isoformat() for moment in moments]


def _json_round_trip(value: object) -> Any:
    return from_data(
        type(value), json.loads(json.dumps(to_data(value), allow_nan=False))
    )


# --- due dates -----------------------------------------------------------------------


def test_quarterly_due_dates_keep_the_wall_clock_and_zone() -> None:
    cycle = AssessmentSchedule.quarterly(_tp(2026, 1, 15))

    assert [
        "2026-01-15T09:00:00+08:00",
        "2026-04-15T09:00:00+08:00",
        "2026-07-15T09:00:00+08:00",
        "2026-10-15T09:00:00+08:00",
        "2027-01-15T09:00:00+08:00",
    ] == [moment.isoformat() for moment in cycle.first(5)]


def test_quarterly_due_dates_follow_daylight_saving_time() -> None:
    cycle = AssessmentSchedule.quarterly(dt.datetime(2026, 1, 15, 9, tzinfo=NEW_YORK))

    # 09:00 local all year: EST (−05:00) in January, EDT (−04:00) April–October
    assert ["-05:00", "-04:00", "-04:00", "-04:00", "-05:00"] == [
        moment.isoformat()[-6:] for moment in cycle.first(5)
    ]
    assert all(moment.hour == 9 for moment in cycle.first(5))


@pytest.mark.parametrize(
    ("start", "make", "expected"),
    [
        # quarterly from 31 January: April and October have 30 days
        (
            dt.datetime(2026, 1, 31, 9, tzinfo=TAIPEI),
            AssessmentSchedule.quarterly,
            ["2026-01-31", "2026-04-30", "2026-07-31", "2026-10-31", "2027-01-31"],
        ),
        # quarterly from 30 November: February 2027 has 28 days
        (
            dt.datetime(2026, 11, 30, 9, tzinfo=TAIPEI),
            AssessmentSchedule.quarterly,
            ["2026-11-30", "2027-02-28", "2027-05-30", "2027-08-30", "2027-11-30"],
        ),
        # half-yearly from 31 August: 2028 is a leap year
        (
            dt.datetime(2027, 8, 31, 9, tzinfo=TAIPEI),
            AssessmentSchedule.half_yearly,
            ["2027-08-31", "2028-02-29", "2028-08-31", "2029-02-28", "2029-08-31"],
        ),
    ],
)
def test_month_ends_fall_back_to_the_last_day_of_the_month(
    start: dt.datetime,
    make: Callable[[dt.datetime], AssessmentSchedule],
    expected: list[str],
) -> None:
    cycle = make(start)

    assert expected == _dates(cycle.first(5))
    assert all(moment.hour == 9 for moment in cycle.first(5))


def test_skip_keeps_the_rfc_5545_behaviour_of_recurrence() -> None:
    start = _tp(2026, 1, 31)
    cycle = AssessmentSchedule.quarterly(start, month_end=MonthEnd.SKIP)

    assert ["2026-01-31", "2026-07-31", "2026-10-31", "2027-01-31"] == _dates(
        cycle.first(4)
    )
    assert Recurrence.quarterly(start).first(4) == cycle.first(4)


def test_yearly_from_29_february_and_monthly_from_the_29th() -> None:
    leap = AssessmentSchedule(
        cycle=Recurrence(frequency=Frequency.YEARLY, start=_tp(2024, 2, 29))
    )
    monthly = AssessmentSchedule(
        cycle=Recurrence(frequency=Frequency.MONTHLY, start=_tp(2026, 1, 29))
    )

    assert ["2024-02-29", "2025-02-28", "2026-02-28", "2027-02-28", "2028-02-29"] == (
        _dates(leap.first(5))
    )
    assert ["2026-01-29", "2026-02-28", "2026-03-29", "2026-04-29"] == _dates(
        monthly.first(4)
    )


def test_next_and_last_due_at_the_edges() -> None:
    cycle = AssessmentSchedule.quarterly(_tp(2026, 1, 15))
    april = _tp(2026, 4, 15)
    same_instant_in_utc = dt.datetime(2026, 4, 15, 1, 0, tzinfo=UTC)
    just_before = april - dt.timedelta(microseconds=1)

    assert _tp(2026, 7, 15) == cycle.next_due(april)  # strictly after
    assert _tp(2026, 7, 15) == cycle.next_due(same_instant_in_utc)
    assert april == cycle.next_due(just_before)
    assert april == cycle.last_due(april)  # at or before
    assert april == cycle.last_due(same_instant_in_utc)
    assert _tp(2026, 1, 15) == cycle.last_due(just_before)
    assert cycle.last_due(_tp(2026, 1, 14)) is None
    assert _tp(2026, 1, 15) == cycle.next_due(_tp(2025, 12, 31))


def test_due_dates_include_both_ends() -> None:
    cycle = AssessmentSchedule.quarterly(_tp(2026, 1, 15))

    assert ["2026-04-15", "2026-07-15", "2026-10-15"] == _dates(
        cycle.due_dates(_tp(2026, 4, 15), _tp(2026, 10, 15))
    )
    assert () == cycle.due_dates(_tp(2026, 4, 16), _tp(2026, 7, 14))
    assert ["2026-07-15"] == _dates(cycle.due_dates(_tp(2026, 7, 15), _tp(2026, 7, 15)))


def test_count_and_until_end_the_cycle() -> None:
    counted = AssessmentSchedule.quarterly(_tp(2026, 1, 31), count=3)
    bounded = AssessmentSchedule.half_yearly(_tp(2026, 1, 1), until=_tp(2027, 1, 1))

    assert ["2026-01-31", "2026-04-30", "2026-07-31"] == _dates(counted.first(10))
    assert counted.first(2) == counted.first(np.int64(2))
    assert counted.next_due(_tp(2026, 7, 31)) is None
    assert ["2026-01-01", "2026-07-01", "2027-01-01"] == _dates(bounded.first(10))


def test_any_rfc_5545_rule() -> None:
    quarter_ends = AssessmentSchedule.from_rule(
        dt.datetime(2026, 1, 1, 18, tzinfo=UTC),
        "FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1",
    )
    first_mondays = AssessmentSchedule.from_rule(
        dt.datetime(2026, 1, 1, 10, 0, 0, 250_000, tzinfo=TAIPEI),
        "RRULE:FREQ=MONTHLY;INTERVAL=6;BYDAY=1MO",
    )

    assert ["2026-03-31", "2026-06-30", "2026-09-30", "2026-12-31"] == _dates(
        quarter_ends.first(4)
    )
    assert quarter_ends.start == dt.datetime(2026, 1, 1, 18, tzinfo=UTC)
    # 1 January 2026 is a Thursday: first Mondays 5 January and 6 July
    assert ["2026-01-05", "2026-07-06"] == _dates(first_mondays.first(2))
    assert 250_000 == first_mondays.first(1)[0].microsecond


# --- overdue risks -------------------------------------------------------------------


def _rated(likelihood: int, impact: int, at: dt.datetime) -> Assessment:
    return Assessment(
        likelihood=likelihood,
        impacts={"financial": impact},
        assessed_at=at,
        assessor="panel",
    )


def _risk(key: str) -> Risk:
    return Risk(key=key, title=key, crisis_type="market.competition")


def _assessment_register() -> RiskRegister:
    register = RiskRegister()
    for key, day in (("a", 2), ("b", 3), ("e", 4)):
        register = register.add(_risk(key), at=_tp(2026, 1, day), by="ops")
    register = register.add(_risk("c"), at=_tp(2026, 2, 1), by="ops")
    register = register.assess(
        "a", _rated(3, 3, _tp(2026, 3, 15)), at=_tp(2026, 3, 15), by="p"
    )
    april = dt.datetime(2026, 4, 1, tzinfo=TAIPEI)
    register = register.assess("b", _rated(2, 2, april), at=april, by="p")
    register = register.add(_risk("d"), at=_tp(2026, 4, 5), by="ops")
    return register.retire("e", at=_tp(2026, 4, 6), by="ops", reason="merged into a")


def test_overdue_means_not_assessed_since_the_last_due_date() -> None:
    cycle = AssessmentSchedule.quarterly(dt.datetime(2026, 1, 1, tzinfo=TAIPEI))
    register = _assessment_register()

    # last due 1 April 00:00: a was assessed 15 March, b exactly on the due
    # date, c never (added 1 February), d never but added after the due date
    assert ["a", "c"] == [
        risk.key for risk in cycle.overdue(register, _tp(2026, 4, 10))
    ]
    # last due 1 January: c was added after it, a assessed since
    assert () == cycle.overdue(register.as_of(_tp(2026, 3, 31)), _tp(2026, 3, 31))
    assert () == cycle.overdue(register, dt.datetime(2025, 12, 31, tzinfo=TAIPEI))
    # on 1 July everything not assessed since 1 July is late, d included
    assert ["a", "b", "c", "d"] == [
        risk.key for risk in cycle.overdue(register, _tp(2026, 7, 1))
    ]
    # the register rebuilt from its history answers the same
    replayed = RiskRegister(history=register.history)
    assert cycle.overdue(register, _tp(2026, 4, 10)) == cycle.overdue(
        replayed, _tp(2026, 4, 10)
    )


# --- snapshots and trends ------------------------------------------------------------


def _quarters() -> tuple[list[RegisterSnapshot], RiskRegister]:
    """Three quarter-end registers, scores by hand (L × worst impact).

    Q1: a 4 × 3 = 12, b 2 × 3 = 6. Q2: a 2 × 4 = 8, b retired, c 1 × 4 = 4.
    Q3: a still 8, c 3 × 5 = 15, d added but not assessed.
    """
    register = RiskRegister().add(_risk("a"), at=_tp(2026, 1, 5), by="ops")
    register = register.add(_risk("b"), at=_tp(2026, 1, 6), by="ops")
    register = register.assess(
        "a", _rated(4, 3, _tp(2026, 3, 20)), at=_tp(2026, 3, 20), by="p"
    )
    register = register.assess(
        "b", _rated(2, 3, _tp(2026, 3, 21)), at=_tp(2026, 3, 21), by="p"
    )
    q1 = register
    register = register.retire(
        "b", at=_tp(2026, 4, 2), by="ops", reason="supplier replaced"
    )
    register = register.add(_risk("c"), at=_tp(2026, 5, 1), by="ops")
    register = register.assess(
        "a", _rated(2, 4, _tp(2026, 6, 20)), at=_tp(2026, 6, 20), by="p"
    )
    register = register.assess(
        "c", _rated(1, 4, _tp(2026, 6, 21)), at=_tp(2026, 6, 21), by="p"
    )
    q2 = register
    register = register.assess(
        "c", _rated(3, 5, _tp(2026, 9, 20)), at=_tp(2026, 9, 20), by="p"
    )
    register = register.add(_risk("d"), at=_tp(2026, 9, 25), by="ops")
    q3 = register
    snapshots = [
        RegisterSnapshot(at=_tp(2026, 3, 31, 23), register=q1),
        RegisterSnapshot(at=_tp(2026, 6, 30, 23), register=q2),
        RegisterSnapshot(at=_tp(2026, 9, 30, 23), register=q3),
    ]
    return snapshots, register


def test_score_trends_over_three_quarters() -> None:
    snapshots, _ = _quarters()

    trends = score_trends([snapshots[2], snapshots[0], snapshots[1]])  # any order

    assert ("a", "b", "c", "d") == trends.keys
    assert [s.at for s in snapshots] == list(trends.dates)
    assert [12.0, 8.0, 8.0] == trends["a"].tolist()
    np.testing.assert_array_equal([6.0, np.nan, np.nan], trends["b"])
    np.testing.assert_array_equal([np.nan, 4.0, 15.0], trends["c"])
    assert np.isnan(trends["d"]).all()
    assert (4, 3) == trends.scores.shape
    assert not trends.scores.flags.writeable
    change = trends.change()
    assert -4.0 == change["a"]
    assert 11.0 == change["c"]
    assert math.isnan(change["b"])
    assert math.isnan(change["d"])
    assert list(trends.by_key()) == ["a", "b", "c", "d"]


def test_snapshots_rebuilt_from_history_give_the_same_trends() -> None:
    snapshots, register = _quarters()

    rebuilt = RegisterSnapshot.from_history(register, [s.at for s in snapshots])

    assert [s.register.risks for s in snapshots] == [s.register.risks for s in rebuilt]
    assert score_trends(snapshots) == score_trends(rebuilt)
    assert 0 == len(score_trends([]).keys)


def test_trends_of_another_assessment_kind_are_absent_when_unassessed() -> None:
    snapshots, _ = _quarters()

    trends = score_trends(snapshots, which=AssessmentKind.TARGET)

    assert np.isnan(trends.scores).all()


def test_a_snapshot_cannot_hold_changes_from_its_future() -> None:
    _, register = _quarters()

    with pytest.raises(ValidationError, match="'register'"):
        RegisterSnapshot(at=_tp(2026, 6, 30), register=register)


@pytest.mark.parametrize(
    ("call", "error", "field"),
    [
        (lambda: AssessmentSchedule(cycle="quarterly"), InvalidTypeError, "'cycle'"),  # type: ignore[arg-type]
        (
            lambda: AssessmentSchedule(
                cycle=Recurrence.quarterly(_tp(2026, 1, 1)),
                month_end="clamp",  # type: ignore[arg-type]
            ),
            InvalidTypeError,
            "'month_end'",
        ),
        (lambda: AssessmentSchedule.quarterly(NAIVE), NaiveDatetimeError, "'start'"),
        (
            lambda: AssessmentSchedule.half_yearly(_tp(2026, 1, 1), count=0),
            ValidationError,
            "'count'",
        ),
        (
            lambda: AssessmentSchedule.quarterly(_tp(2026, 1, 1)).first(-1),
            ValidationError,
            "'n'",
        ),
        (
            lambda: AssessmentSchedule.quarterly(_tp(2026, 1, 1)).first(1.5),  # type: ignore[arg-type]
            InvalidTypeError,
            "'n'",
        ),
        (
            lambda: AssessmentSchedule.quarterly(_tp(2026, 1, 1)).next_due(NAIVE),
            NaiveDatetimeError,
            "'after'",
        ),
        (
            lambda: AssessmentSchedule.quarterly(_tp(2026, 1, 1)).last_due("2026"),  # type: ignore[arg-type]
            InvalidTypeError,
            "'as_of'",
        ),
        (
            lambda: AssessmentSchedule.quarterly(_tp(2026, 1, 1)).due_dates(
                _tp(2026, 5, 1), _tp(2026, 4, 1)
            ),
            ValidationError,
            "'end'",
        ),
        (
            lambda: AssessmentSchedule.quarterly(_tp(2026, 1, 1)).due_dates(
                NAIVE, _tp(2026, 4, 1)
            ),
            NaiveDatetimeError,
            "'start'",
        ),
        (
            lambda: AssessmentSchedule.quarterly(_tp(2026, 1, 1)).overdue(
                "register",  # type: ignore[arg-type]
                _tp(2026, 4, 1),
            ),
            InvalidTypeError,
            "'register'",
        ),
        (
            lambda: AssessmentSchedule.quarterly(_tp(2026, 1, 1)).overdue(
                RiskRegister(), NAIVE
            ),
            NaiveDatetimeError,
            "'as_of'",
        ),
        (
            lambda: AssessmentSchedule.from_rule(_tp(2026, 1, 1), "FREQ=BOGUS"),
            ValidationError,
            "'rule'",
        ),
        (
            lambda: AssessmentSchedule.from_rule(_tp(2026, 1, 1), ""),
            ValidationError,
            "'rule'",
        ),
        (
            lambda: AssessmentSchedule.from_rule(_tp(2026, 1, 1), 3),  # type: ignore[arg-type]
            InvalidTypeError,
            "'rule'",
        ),
        (
            lambda: AssessmentSchedule.from_rule(
                _tp(2026, 1, 1), "DTSTART:20260101T000000Z\nRRULE:FREQ=DAILY"
            ),
            ValidationError,
            "'rule'",
        ),
        (
            lambda: AssessmentSchedule.from_rule(
                _tp(2026, 1, 1), "FREQ=MONTHLY;UNTIL=20270101T000000"
            ),
            ValidationError,
            "UTC",
        ),
        (
            # dateutil would return dates without the start's time zone
            lambda: AssessmentSchedule.from_rule(
                _tp(2026, 1, 1), "RDATE:20260301T000000"
            ),
            ValidationError,
            "RRULE only",
        ),
        (
            # dateutil would repeat the start for ever
            lambda: AssessmentSchedule.from_rule(
                _tp(2026, 1, 1), "FREQ=MONTHLY;interval=0"
            ),
            ValidationError,
            "INTERVAL >= 1",
        ),
        (
            lambda: RuleCycle(start=NAIVE, rule="FREQ=DAILY"),
            NaiveDatetimeError,
            "'start'",
        ),
        (
            lambda: RegisterSnapshot(at=NAIVE, register=RiskRegister()),
            NaiveDatetimeError,
            "'at'",
        ),
        (
            lambda: RegisterSnapshot(at=_tp(2026, 1, 1), register="x"),  # type: ignore[arg-type]
            InvalidTypeError,
            "'register'",
        ),
        (
            lambda: RegisterSnapshot.from_history("x", []),  # type: ignore[arg-type]
            InvalidTypeError,
            "'register'",
        ),
        (
            lambda: RegisterSnapshot.from_history(RiskRegister(), "2026"),  # type: ignore[arg-type]
            InvalidTypeError,
            "'moments'",
        ),
        (
            lambda: RegisterSnapshot.from_history(RiskRegister(), [NAIVE]),
            NaiveDatetimeError,
            r"'moments\[0\]'",
        ),
        (lambda: score_trends("snapshots"), InvalidTypeError, "'snapshots'"),  # type: ignore[arg-type]
        (lambda: score_trends([1]), InvalidTypeError, r"'snapshots\[0\]'"),  # type: ignore[list-item]
        (
            lambda: score_trends(
                [RegisterSnapshot(at=_tp(2026, 1, 1), register=RiskRegister())] * 2
            ),
            ValidationError,
            "'snapshots'",
        ),
        (lambda: score_trends([], matrix="5x5"), InvalidTypeError, "'matrix'"),  # type: ignore[arg-type]
        (lambda: score_trends([], rule="max"), InvalidTypeError, "'rule'"),  # type: ignore[arg-type]
        (lambda: score_trends([], which="current"), InvalidTypeError, "'which'"),  # type: ignore[arg-type]
    ],
)
def test_bad_input_is_refused_naming_the_field(
    call: Callable[[], object], error: type[Exception], field: str
) -> None:
    with pytest.raises(error, match=field):
        call()


@pytest.mark.parametrize(
    ("fields", "error", "field"),
    [
        (
            {"dates": [_tp(2026, 2, 1), _tp(2026, 1, 1)]},
            ValidationError,
            r"'dates\[1\]'",
        ),
        ({"dates": [NAIVE, _tp(2026, 5, 1)]}, NaiveDatetimeError, r"'dates\[0\]'"),
        ({"keys": ["a", "a"]}, DuplicateKeyError, "'a'"),
        ({"dates": 2026}, InvalidTypeError, "'dates'"),
        ({"keys": 3}, InvalidTypeError, "'keys'"),
        ({"keys": ["A", "b"]}, ValidationError, r"'keys\[0\]'"),
        ({"scores": [[1.0, 2.0]]}, ValidationError, "'scores'"),
        ({"scores": "high"}, ValidationError, "'scores'"),
        ({"scores": [[1.0, math.inf], [1.0, 2.0]]}, ValidationError, "'scores'"),
    ],
)
def test_score_trends_refuse_bad_fields(
    fields: dict[str, Any], error: type[Exception], field: str
) -> None:
    values: dict[str, Any] = {
        "dates": [_tp(2026, 1, 1), _tp(2026, 4, 1)],
        "keys": ["a", "b"],
        "scores": [[1.0, 2.0], [math.nan, 3.0]],
        **fields,
    }
    with pytest.raises(error, match=field):
        ScoreTrends(**values)


def test_looking_up_an_unknown_trend_suggests_keys() -> None:
    trends = score_trends(_quarters()[0])

    with pytest.raises(UnknownKeyError, match="did you mean 'a'"):
        trends["aa"]
    with pytest.raises(InvalidTypeError, match="'key'"):
        trends[1]  # type: ignore[index]


# --- properties ----------------------------------------------------------------------

_zones = st.sampled_from(
    [UTC, TAIPEI, dt.timezone(dt.timedelta(hours=-5, minutes=-30))]
)
_starts = st.datetimes(
    min_value=dt.datetime(2000, 1, 1),  # noqa: DTZ001  bounds for hypothesis only
    max_value=dt.datetime(2100, 1, 1),  # noqa: DTZ001  bounds for hypothesis only
    timezones=_zones,
)


@st.composite
def recurrences(draw: st.DrawFn) -> Recurrence:
    start = draw(_starts)
    ending = draw(st.sampled_from(["open", "count", "until"]))
    return Recurrence(
        frequency=draw(st.sampled_from(Frequency)),
        start=start,
        interval=draw(st.integers(1, 4)),
        count=draw(st.integers(1, 20)) if ending == "count" else None,
        until=(
            start + draw(st.timedeltas(dt.timedelta(0), dt.timedelta(days=2000)))
            if ending == "until"
            else None
        ),
    )


@settings(max_examples=60, deadline=None)
@given(recurrences())
def test_skip_walks_exactly_the_recurrence(recurrence: Recurrence) -> None:
    schedule = AssessmentSchedule(cycle=recurrence, month_end=MonthEnd.SKIP)

    assert recurrence.first(12) == schedule.first(12)
    probe = recurrence.start + dt.timedelta(days=100)
    assert recurrence.next_after(probe) == schedule.next_due(probe)


_MONTH_STEPS = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.HALF_YEARLY: 6,
    Frequency.YEARLY: 12,
}


@settings(max_examples=60, deadline=None)
@given(
    _starts.filter(lambda d: d.year < 2090),
    st.sampled_from(list(_MONTH_STEPS)),
    st.integers(1, 3),
)
def test_clamped_cycles_never_lose_a_period(
    start: dt.datetime, frequency: Frequency, interval: int
) -> None:
    schedule = AssessmentSchedule(
        cycle=Recurrence(frequency=frequency, start=start, interval=interval)
    )

    due = schedule.first(8)

    assert 8 == len(due)
    step = _MONTH_STEPS[frequency] * interval
    for index, moment in enumerate(due):
        months = start.month - 1 + index * step
        year, month = start.year + months // 12, months % 12 + 1
        last_day = calendar.monthrange(year, month)[1]
        # the k-th date is k·step months on, on the start's day or the month's last
        assert (year, month, min(start.day, last_day)) == (
            moment.year,
            moment.month,
            moment.day,
        )
        assert start.timetz() == moment.timetz()


@settings(max_examples=30, deadline=None)
@given(recurrences(), st.sampled_from(MonthEnd))
def test_schedules_round_trip_through_plain_data(
    recurrence: Recurrence, month_end: MonthEnd
) -> None:
    schedule = AssessmentSchedule(cycle=recurrence, month_end=month_end)
    rule = AssessmentSchedule.from_rule(
        recurrence.start, "FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1"
    )

    assert schedule == _json_round_trip(schedule)
    assert rule == _json_round_trip(rule)
    assert rule.first(3) == _json_round_trip(rule).first(3)


def test_snapshots_and_trends_round_trip_through_plain_data() -> None:
    snapshots, _ = _quarters()
    trends = score_trends(snapshots)

    assert snapshots[1] == _json_round_trip(snapshots[1])
    restored = _json_round_trip(trends)
    assert trends == restored
    np.testing.assert_array_equal(trends.scores, restored.scores)
    assert MonthEnd.CLAMP is _json_round_trip(MonthEnd.CLAMP)
