"""Tests for crisisops._time: aware datetimes, ISO parsing and recurrences."""

import itertools
import json
import re
from datetime import date, datetime, timedelta, timezone, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import cattrs
import pytest
from dateutil.rrule import rrulestr
from hypothesis import given
from hypothesis import strategies as st

from crisisops._time import (
    Frequency,
    Recurrence,
    after_elapsed,
    instant,
    parse_datetime,
    require_aware,
    span_text,
    wall_time,
)
from crisisops.errors import InvalidTypeError, NaiveDatetimeError, ValidationError

TAIPEI = ZoneInfo("Asia/Taipei")
NEW_YORK = ZoneInfo("America/New_York")
LONDON = ZoneInfo("Europe/London")
UTC = timezone.utc
PLUS_0800 = timezone(timedelta(hours=8))


def field_pattern(field: str) -> str:
    """Return a regex that finds ``'field'`` quoted in an error message."""
    return re.escape(repr(field))


class _NoOffset(tzinfo):
    """A tzinfo that exists but does not know its offset (so: naive)."""

    def utcoffset(self, _dt: datetime | None) -> timedelta | None:
        return None

    def dst(self, _dt: datetime | None) -> timedelta | None:
        return None

    def tzname(self, _dt: datetime | None) -> str | None:
        return None


# --------------------------------------------------------------------------
# require_aware
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [
        datetime(2026, 1, 15, 9, tzinfo=UTC),
        datetime(2026, 1, 15, 9, tzinfo=TAIPEI),
        datetime(2026, 1, 15, 9, tzinfo=PLUS_0800),
    ],
)
def test_require_aware_returns_the_same_object(value: datetime) -> None:
    assert require_aware(value, "start") is value


@pytest.mark.parametrize(
    "value",
    [
        date(2026, 1, 15),
        "2026-01-15T09:00+08:00",
        None,
        1_768_438_800,
    ],
)
def test_require_aware_rejects_non_datetimes(value: object) -> None:
    with pytest.raises(InvalidTypeError, match=field_pattern("start")) as info:
        require_aware(value, "start")
    assert info.value.field == "start"
    assert isinstance(info.value, TypeError)


@pytest.mark.parametrize(
    "value",
    [
        datetime(2026, 1, 15, 9),  # noqa: DTZ001  naive on purpose
        datetime(2026, 1, 15, 9, tzinfo=_NoOffset()),
    ],
)
def test_require_aware_rejects_naive_datetimes(value: datetime) -> None:
    with pytest.raises(NaiveDatetimeError, match=field_pattern("review_at")) as info:
        require_aware(value, "review_at")
    assert info.value.field == "review_at"
    assert isinstance(info.value, ValueError)


# --------------------------------------------------------------------------
# parse_datetime
# --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-01-15T09:00+08:00", datetime(2026, 1, 15, 9, tzinfo=PLUS_0800)),
        ("2026-01-15T09:00:00+08:00", datetime(2026, 1, 15, 9, tzinfo=PLUS_0800)),
        ("20260115T0900+0800", datetime(2026, 1, 15, 9, tzinfo=PLUS_0800)),
        ("2026-01-15T01:00Z", datetime(2026, 1, 15, 1, tzinfo=UTC)),
        (
            "2026-01-15T09:00:00.250000-05:00",
            datetime(
                2026, 1, 15, 9, 0, 0, 250_000, tzinfo=timezone(-timedelta(hours=5))
            ),
        ),
    ],
)
def test_parse_datetime_reads_iso_8601_with_offset(
    text: str, expected: datetime
) -> None:
    parsed = parse_datetime(text, "start")
    assert parsed == expected
    assert parsed.utcoffset() == expected.utcoffset()
    assert isinstance(parsed.tzinfo, timezone)


def test_parse_datetime_gives_the_stdlib_utc_for_z() -> None:
    assert parse_datetime("2026-01-15T01:00Z", "start").tzinfo is timezone.utc
    assert parse_datetime("2026-01-15T01:00+00:00", "start").tzinfo is timezone.utc


@pytest.mark.parametrize("text", ["2026-01-15T09:00", "2026-01-15", "20260115T0900"])
def test_parse_datetime_rejects_a_missing_offset(text: str) -> None:
    with pytest.raises(NaiveDatetimeError, match=field_pattern("start")) as info:
        parse_datetime(text, "start")
    assert info.value.value == text
    assert text in str(info.value)


@pytest.mark.parametrize(
    "text", ["", "garbage", "2026-13-01T00:00Z", "2026-02-30T00:00Z", "15/01/2026"]
)
def test_parse_datetime_rejects_unparsable_text(text: str) -> None:
    with pytest.raises(ValidationError, match=field_pattern("opened_at")) as info:
        parse_datetime(text, "opened_at")
    assert type(info.value) is ValidationError
    assert repr(text) in str(info.value)
    assert info.value.field == "opened_at"


@pytest.mark.parametrize(
    "value", [None, b"2026-01-15T09:00Z", datetime(2026, 1, 15, tzinfo=UTC), 20260115]
)
def test_parse_datetime_rejects_non_str(value: Any) -> None:
    with pytest.raises(InvalidTypeError, match=field_pattern("opened_at")):
        parse_datetime(value, "opened_at")


@given(
    st.datetimes(
        min_value=datetime(1900, 1, 1),  # noqa: DTZ001  hypothesis bound
        max_value=datetime(2200, 1, 1),  # noqa: DTZ001  hypothesis bound
        timezones=st.builds(
            timezone,
            st.timedeltas(
                min_value=timedelta(hours=-23), max_value=timedelta(hours=23)
            ).map(lambda d: timedelta(minutes=d // timedelta(minutes=1))),
        ),
    )
)
def test_parse_datetime_round_trips_isoformat(moment: datetime) -> None:
    parsed = parse_datetime(moment.isoformat(), "moment")
    assert parsed == moment
    assert parsed.utcoffset() == moment.utcoffset()
    assert parsed.replace(tzinfo=None) == moment.replace(tzinfo=None)


# --------------------------------------------------------------------------
# Frequency
# --------------------------------------------------------------------------


def test_frequency_values_are_stable_lowercase_strings() -> None:
    assert {f.name: f.value for f in Frequency} == {
        "DAILY": "daily",
        "WEEKLY": "weekly",
        "MONTHLY": "monthly",
        "QUARTERLY": "quarterly",
        "HALF_YEARLY": "half_yearly",
        "YEARLY": "yearly",
    }
    assert Frequency("half_yearly") is Frequency.HALF_YEARLY


def test_frequency_labels_use_the_books_terms() -> None:
    assert Frequency.QUARTERLY.labels.zh_hant == "每季"
    assert Frequency.HALF_YEARLY.labels.zh_hant == "每半年"
    assert Frequency.WEEKLY.labels.zh_hans == "每周"
    assert Frequency.QUARTERLY.labels.get("en") == "quarterly"
    for frequency in Frequency:
        labels = frequency.labels
        assert labels.en
        assert labels.zh_hant
        assert labels.zh_hans


# --------------------------------------------------------------------------
# Concrete Recurrence schedules
# --------------------------------------------------------------------------


def test_quarterly_from_mid_january_in_taipei() -> None:
    start = datetime(2026, 1, 15, 9, 0, tzinfo=TAIPEI)
    cycle = Recurrence.quarterly(start)
    got = cycle.first(5)
    assert got == (
        datetime(2026, 1, 15, 9, 0, tzinfo=TAIPEI),
        datetime(2026, 4, 15, 9, 0, tzinfo=TAIPEI),
        datetime(2026, 7, 15, 9, 0, tzinfo=TAIPEI),
        datetime(2026, 10, 15, 9, 0, tzinfo=TAIPEI),
        datetime(2027, 1, 15, 9, 0, tzinfo=TAIPEI),
    )
    assert all(d.tzinfo is TAIPEI for d in got)
    assert all(d.utcoffset() == timedelta(hours=8) for d in got)
    assert cycle.frequency is Frequency.QUARTERLY
    assert cycle.interval == 1


def test_half_yearly_from_a_utc_start() -> None:
    start = datetime(2026, 1, 15, 1, 0, tzinfo=UTC)
    cycle = Recurrence.half_yearly(start, count=3)
    assert cycle.first(10) == (
        datetime(2026, 1, 15, 1, 0, tzinfo=UTC),
        datetime(2026, 7, 15, 1, 0, tzinfo=UTC),
        datetime(2027, 1, 15, 1, 0, tzinfo=UTC),
    )
    assert all(d.tzinfo is UTC for d in cycle.first(10))


def test_quarterly_with_interval_two_is_every_six_months() -> None:
    start = datetime(2026, 2, 1, tzinfo=UTC)
    cycle = Recurrence(frequency=Frequency.QUARTERLY, start=start, interval=2)
    assert [d.month for d in cycle.first(4)] == [2, 8, 2, 8]
    assert cycle.to_rrule_string() == "FREQ=MONTHLY;INTERVAL=6"


def test_daily_weekly_and_yearly_steps() -> None:
    start = datetime(2026, 3, 2, 10, 30, tzinfo=PLUS_0800)
    daily = Recurrence(frequency=Frequency.DAILY, start=start, interval=2)
    weekly = Recurrence(frequency=Frequency.WEEKLY, start=start)
    yearly = Recurrence(frequency=Frequency.YEARLY, start=start)
    assert [d.day for d in daily.first(3)] == [2, 4, 6]
    assert [d.date() for d in weekly.first(3)] == [
        date(2026, 3, 2),
        date(2026, 3, 9),
        date(2026, 3, 16),
    ]
    assert [d.year for d in yearly.first(3)] == [2026, 2027, 2028]


def test_monthly_from_the_31st_skips_short_months() -> None:
    # RFC 5545: a date that does not exist in a month is skipped, not moved.
    start = datetime(2026, 1, 31, 9, tzinfo=TAIPEI)
    monthly = Recurrence(frequency=Frequency.MONTHLY, start=start, count=6)
    assert [d.date() for d in monthly.first(10)] == [
        date(2026, 1, 31),
        date(2026, 3, 31),
        date(2026, 5, 31),
        date(2026, 7, 31),
        date(2026, 8, 31),
        date(2026, 10, 31),
    ]


def test_quarterly_from_the_31st_skips_april() -> None:
    start = datetime(2026, 1, 31, 9, tzinfo=TAIPEI)
    cycle = Recurrence.quarterly(start)
    assert [d.date() for d in cycle.first(4)] == [
        date(2026, 1, 31),
        date(2026, 7, 31),
        date(2026, 10, 31),
        date(2027, 1, 31),
    ]


def test_half_yearly_from_august_31st_skips_february() -> None:
    start = datetime(2026, 8, 31, tzinfo=UTC)
    cycle = Recurrence.half_yearly(start)
    assert [d.date() for d in cycle.first(3)] == [
        date(2026, 8, 31),
        date(2027, 8, 31),
        date(2028, 8, 31),
    ]


def test_yearly_from_february_29th_only_hits_leap_years() -> None:
    start = datetime(2024, 2, 29, 12, tzinfo=UTC)
    cycle = Recurrence(frequency=Frequency.YEARLY, start=start)
    assert [d.year for d in cycle.first(3)] == [2024, 2028, 2032]


def test_daily_keeps_wall_clock_time_across_spring_forward() -> None:
    # New York moves from UTC-5 to UTC-4 on 2026-03-08.
    start = datetime(2026, 3, 7, 9, tzinfo=NEW_YORK)
    daily = Recurrence(frequency=Frequency.DAILY, start=start, count=3)
    got = daily.first(3)
    assert [d.hour for d in got] == [9, 9, 9]
    assert [d.utcoffset() for d in got] == [
        timedelta(hours=-5),
        timedelta(hours=-4),
        timedelta(hours=-4),
    ]
    assert all(d.tzinfo is NEW_YORK for d in got)


def test_weekly_keeps_wall_clock_time_across_autumn_fall_back() -> None:
    # London moves from BST (UTC+1) to GMT on 2026-10-25.
    start = datetime(2026, 10, 19, 8, 30, tzinfo=LONDON)
    weekly = Recurrence(frequency=Frequency.WEEKLY, start=start)
    first, second = weekly.first(2)
    assert (first.hour, first.minute) == (second.hour, second.minute) == (8, 30)
    assert first.utcoffset() == timedelta(hours=1)
    assert second.utcoffset() == timedelta(0)
    assert second - first == timedelta(days=7)  # same zone: wall-clock difference
    utc_gap = second.astimezone(UTC) - first.astimezone(UTC)
    assert utc_gap == timedelta(days=7, hours=1)


def test_window_may_be_given_in_another_zone() -> None:
    cycle = Recurrence.quarterly(datetime(2026, 1, 15, 9, tzinfo=TAIPEI))
    # 2026-04-15 09:00 in Taipei is 01:00 UTC the same day.
    after = datetime(2026, 4, 15, 1, 0, tzinfo=UTC)
    before = datetime(2026, 7, 15, 0, 59, tzinfo=UTC)
    assert cycle.occurrences(after, before) == (
        datetime(2026, 4, 15, 9, tzinfo=TAIPEI),
    )
    assert cycle.occurrences(after, before, inclusive=False) == ()


def test_occurrences_inclusive_and_exclusive_ends() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    monthly = Recurrence(frequency=Frequency.MONTHLY, start=start)
    after = datetime(2026, 2, 1, tzinfo=UTC)
    before = datetime(2026, 4, 1, tzinfo=UTC)
    assert [d.month for d in monthly.occurrences(after, before)] == [2, 3, 4]
    assert [d.month for d in monthly.occurrences(after, before, inclusive=False)] == [3]
    assert monthly.occurrences(after, after) == (after,)
    assert monthly.occurrences(after, after, inclusive=False) == ()


def test_occurrences_window_before_start_is_empty() -> None:
    start = datetime(2026, 1, 1, tzinfo=UTC)
    cycle = Recurrence.quarterly(start)
    assert (
        cycle.occurrences(
            datetime(2020, 1, 1, tzinfo=UTC), start - timedelta(seconds=1)
        )
        == ()
    )
    assert cycle.occurrences(datetime(2020, 1, 1, tzinfo=UTC), start) == (start,)


def test_next_after() -> None:
    start = datetime(2026, 1, 15, 9, tzinfo=TAIPEI)
    cycle = Recurrence.quarterly(start, count=2)
    assert cycle.next_after(datetime(2025, 1, 1, tzinfo=UTC)) == start
    assert cycle.next_after(start) == datetime(2026, 4, 15, 9, tzinfo=TAIPEI)
    assert cycle.next_after(start - timedelta(microseconds=1)) == start
    assert cycle.next_after(datetime(2026, 4, 15, 9, tzinfo=TAIPEI)) is None


def test_until_is_inclusive_and_ends_the_schedule() -> None:
    start = datetime(2026, 1, 15, 9, tzinfo=TAIPEI)
    until = datetime(2026, 10, 15, 9, tzinfo=TAIPEI)
    cycle = Recurrence.quarterly(start, until=until)
    assert cycle.first(10)[-1] == until
    assert len(cycle.first(10)) == 4
    assert cycle.next_after(until) is None
    shorter = attrs.evolve(cycle, until=until - timedelta(seconds=1))
    assert len(shorter.first(10)) == 3


def test_until_equal_to_start_gives_one_occurrence() -> None:
    start = datetime(2026, 1, 15, tzinfo=UTC)
    once = Recurrence(frequency=Frequency.DAILY, start=start, until=start)
    assert once.first(5) == (start,)


def test_count_limits_the_schedule() -> None:
    start = datetime(2026, 1, 15, tzinfo=UTC)
    cycle = Recurrence(frequency=Frequency.WEEKLY, start=start, count=4)
    assert len(cycle.first(100)) == 4
    assert cycle.first(0) == ()
    assert cycle.first(2) == cycle.first(4)[:2]


def test_sub_second_start_is_kept_on_every_occurrence() -> None:
    start = datetime(2026, 1, 15, 9, 0, 0, 500_000, tzinfo=UTC)
    daily = Recurrence(frequency=Frequency.DAILY, start=start)
    got = daily.first(3)
    assert got[0] == start
    assert all(d.microsecond == 500_000 for d in got)
    # until half a second before the second occurrence excludes it.
    second = got[1]
    bounded = attrs.evolve(daily, until=second - timedelta(microseconds=1))
    assert bounded.first(5) == (start,)
    assert attrs.evolve(daily, until=second).first(5) == got[:2]


def test_to_rrule_string() -> None:
    start = datetime(2026, 1, 15, 9, tzinfo=TAIPEI)
    assert Recurrence.quarterly(start).to_rrule_string() == "FREQ=MONTHLY;INTERVAL=3"
    assert Recurrence.half_yearly(start).to_rrule_string() == "FREQ=MONTHLY;INTERVAL=6"
    weekly = Recurrence(frequency=Frequency.WEEKLY, start=start, count=4)
    assert weekly.to_rrule_string() == "FREQ=WEEKLY;INTERVAL=1;COUNT=4"
    daily = Recurrence(
        frequency=Frequency.DAILY,
        start=start,
        interval=2,
        until=datetime(2026, 12, 31, 23, 59, 59, tzinfo=TAIPEI),
    )
    assert daily.to_rrule_string() == "FREQ=DAILY;INTERVAL=2;UNTIL=20261231T155959Z"
    yearly = Recurrence(frequency=Frequency.YEARLY, start=start)
    assert yearly.to_rrule_string() == "FREQ=YEARLY;INTERVAL=1"


def test_recurrence_is_frozen_slotted_and_hashable() -> None:
    start = datetime(2026, 1, 15, tzinfo=UTC)
    cycle = Recurrence.quarterly(start)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        cycle.interval = 2  # type: ignore[misc]
    assert not hasattr(cycle, "__dict__")
    assert cycle == Recurrence(frequency=Frequency.QUARTERLY, start=start)
    assert len({cycle, Recurrence.quarterly(start)}) == 1


def test_recurrence_round_trips_through_a_generic_cattrs_converter() -> None:
    converter = cattrs.Converter()
    converter.register_unstructure_hook(datetime, datetime.isoformat)
    converter.register_structure_hook(
        datetime, lambda value, _: parse_datetime(value, "datetime")
    )
    cycle = Recurrence(
        frequency=Frequency.HALF_YEARLY,
        start=datetime(2026, 1, 15, 9, tzinfo=PLUS_0800),
        interval=2,
        until=datetime(2030, 1, 1, tzinfo=UTC),
    )
    data = converter.unstructure(cycle)
    assert data == {
        "frequency": "half_yearly",
        "start": "2026-01-15T09:00:00+08:00",
        "interval": 2,
        "count": None,
        "until": "2030-01-01T00:00:00+00:00",
    }
    back = converter.structure(json.loads(json.dumps(data)), Recurrence)
    assert back == cycle
    assert back.first(10) == cycle.first(10)


# --------------------------------------------------------------------------
# Bad input to Recurrence
# --------------------------------------------------------------------------

START = datetime(2026, 1, 15, 9, tzinfo=TAIPEI)
NAIVE = datetime(2026, 1, 15, 9)  # noqa: DTZ001  naive on purpose


@pytest.mark.parametrize(
    ("changes", "error", "field"),
    [
        ({"frequency": "quarterly"}, InvalidTypeError, "frequency"),
        ({"frequency": None}, InvalidTypeError, "frequency"),
        ({"start": NAIVE}, NaiveDatetimeError, "start"),
        ({"start": date(2026, 1, 15)}, InvalidTypeError, "start"),
        ({"start": "2026-01-15T09:00+08:00"}, InvalidTypeError, "start"),
        ({"interval": 0}, ValidationError, "interval"),
        ({"interval": -3}, ValidationError, "interval"),
        ({"interval": True}, InvalidTypeError, "interval"),
        ({"interval": 1.0}, InvalidTypeError, "interval"),
        ({"count": 0}, ValidationError, "count"),
        ({"count": False}, InvalidTypeError, "count"),
        ({"count": "3"}, InvalidTypeError, "count"),
        ({"until": NAIVE}, NaiveDatetimeError, "until"),
        ({"until": date(2027, 1, 1)}, InvalidTypeError, "until"),
        ({"until": START - timedelta(seconds=1)}, ValidationError, "until"),
        ({"count": 3, "until": START + timedelta(days=365)}, ValidationError, "count"),
    ],
)
def test_recurrence_rejects_bad_fields(
    changes: dict[str, Any], error: type[Exception], field: str
) -> None:
    kwargs: dict[str, Any] = {"frequency": Frequency.QUARTERLY, "start": START}
    kwargs.update(changes)
    with pytest.raises(error, match=field_pattern(field)) as info:
        Recurrence(**kwargs)
    assert getattr(info.value, "field", None) == field


def test_count_and_until_message_names_both_fields() -> None:
    with pytest.raises(ValidationError) as info:
        Recurrence.quarterly(START, count=3, until=START + timedelta(days=365))
    assert "'count'" in str(info.value)
    assert "'until'" in str(info.value)


def test_evolve_revalidates() -> None:
    cycle = Recurrence.quarterly(START)
    with pytest.raises(ValidationError, match=field_pattern("interval")):
        attrs.evolve(cycle, interval=0)


@pytest.mark.parametrize("constructor", [Recurrence.quarterly, Recurrence.half_yearly])
def test_convenience_constructors_validate(constructor: Any) -> None:
    with pytest.raises(NaiveDatetimeError, match=field_pattern("start")):
        constructor(NAIVE)
    with pytest.raises(ValidationError, match=field_pattern("count")):
        constructor(START, count=0)
    with pytest.raises(ValidationError, match=field_pattern("until")):
        constructor(START, until=START - timedelta(days=1))


@pytest.mark.parametrize(
    ("after", "before", "error", "field"),
    [
        (NAIVE, START, NaiveDatetimeError, "after"),
        (START, NAIVE, NaiveDatetimeError, "before"),
        ("2026-01-01", START, InvalidTypeError, "after"),
        (START, date(2027, 1, 1), InvalidTypeError, "before"),
        (START, START - timedelta(seconds=1), ValidationError, "before"),
    ],
)
def test_occurrences_rejects_bad_windows(
    after: Any, before: Any, error: type[Exception], field: str
) -> None:
    cycle = Recurrence.quarterly(START)
    with pytest.raises(error, match=field_pattern(field)):
        cycle.occurrences(after, before)


def test_occurrences_rejects_a_non_bool_inclusive() -> None:
    cycle = Recurrence.quarterly(START)
    flag: Any = "yes"
    with pytest.raises(InvalidTypeError, match=field_pattern("inclusive")):
        cycle.occurrences(START, START, inclusive=flag)


@pytest.mark.parametrize(
    ("moment", "error"),
    [
        (NAIVE, NaiveDatetimeError),
        ("2026-01-01T00:00Z", InvalidTypeError),
        (None, InvalidTypeError),
    ],
)
def test_next_after_rejects_bad_moments(moment: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match=field_pattern("moment")):
        Recurrence.quarterly(START).next_after(moment)


@pytest.mark.parametrize(
    ("n", "error"),
    [
        (-1, ValidationError),
        (True, InvalidTypeError),
        (1.5, InvalidTypeError),
        ("3", InvalidTypeError),
    ],
)
def test_first_rejects_bad_counts(n: Any, error: type[Exception]) -> None:
    with pytest.raises(error, match=field_pattern("n")):
        Recurrence.quarterly(START).first(n)


# --------------------------------------------------------------------------
# Properties of Recurrence (hypothesis)
# --------------------------------------------------------------------------

ZONES: list[tzinfo] = [
    UTC,
    TAIPEI,
    NEW_YORK,
    LONDON,
    timezone(timedelta(hours=5, minutes=30)),
]
FIXED_ZONES: list[tzinfo] = [UTC, TAIPEI, PLUS_0800, timezone(-timedelta(hours=3))]


def starts(zones: list[tzinfo]) -> st.SearchStrategy[datetime]:
    return st.datetimes(
        min_value=datetime(2000, 1, 1),  # noqa: DTZ001  hypothesis bound
        max_value=datetime(2060, 12, 31),  # noqa: DTZ001  hypothesis bound
        timezones=st.sampled_from(zones),
        allow_imaginary=False,
    )


@st.composite
def recurrences(draw: st.DrawFn, zones: list[tzinfo] = ZONES) -> Recurrence:
    start = draw(starts(zones))
    end = draw(st.sampled_from(["count", "until", "open"]))
    count = draw(st.integers(1, 30)) if end == "count" else None
    until = None
    if end == "until":
        until = start + draw(st.timedeltas(timedelta(0), timedelta(days=2000)))
    return Recurrence(
        frequency=draw(st.sampled_from(Frequency)),
        start=start,
        interval=draw(st.integers(1, 4)),
        count=count,
        until=until,
    )


@given(recurrences())
def test_first_is_strictly_increasing_from_start(rule: Recurrence) -> None:
    got = rule.first(40)
    assert got
    assert got[0] == rule.start
    assert all(a < b for a, b in itertools.pairwise(got))
    assert all(d >= rule.start for d in got)
    assert all(d.tzinfo is rule.start.tzinfo for d in got)
    if rule.count is not None:
        assert len(got) == min(40, rule.count)
    if rule.until is not None:
        assert all(d <= rule.until for d in got)


_MONTHS_PER_UNIT = {
    Frequency.MONTHLY: 1,
    Frequency.QUARTERLY: 3,
    Frequency.HALF_YEARLY: 6,
    Frequency.YEARLY: 12,
}


@given(recurrences())
def test_spacing_follows_the_frequency(rule: Recurrence) -> None:
    got = rule.first(25)
    wall = [d.replace(tzinfo=None) for d in got]
    start = wall[0]
    for later in wall[1:]:
        assert later.time() == start.time()
    if rule.frequency is Frequency.DAILY:
        step = timedelta(days=rule.interval)
        assert all(b - a == step for a, b in itertools.pairwise(wall))
    elif rule.frequency is Frequency.WEEKLY:
        step = timedelta(weeks=rule.interval)
        assert all(b - a == step for a, b in itertools.pairwise(wall))
    else:
        unit = _MONTHS_PER_UNIT[rule.frequency] * rule.interval
        for later in wall[1:]:
            months = (later.year - start.year) * 12 + later.month - start.month
            assert months > 0
            assert months % unit == 0
            assert later.day == start.day


@given(
    recurrences(),
    st.timedeltas(timedelta(days=-400), timedelta(days=3 * 365)),
    st.timedeltas(timedelta(0), timedelta(days=3 * 365)),
    st.sampled_from([UTC, TAIPEI, NEW_YORK]),
    st.booleans(),
)
def test_occurrences_match_a_filter_of_the_full_schedule(
    rule: Recurrence,
    offset: timedelta,
    span: timedelta,
    window_zone: tzinfo,
    inclusive: bool,  # noqa: FBT001  hypothesis passes it positionally
) -> None:
    after = (rule.start + offset).astimezone(window_zone)
    before = after + span
    got = rule.occurrences(after, before, inclusive=inclusive)
    reference = rule.first(2500)
    assert len(reference) < 2500 or reference[-1] > before
    if inclusive:
        expected = tuple(d for d in reference if after <= d <= before)
    else:
        expected = tuple(d for d in reference if after < d < before)
    assert got == expected
    assert all(a < b for a, b in itertools.pairwise(got))


@given(recurrences())
def test_next_after_walks_the_schedule(rule: Recurrence) -> None:
    got = rule.first(12)
    for current, following in itertools.pairwise(got):
        assert rule.next_after(current) == following
        assert rule.next_after(current - timedelta(microseconds=1)) == current
    if rule.count is not None and rule.count <= 12:
        assert rule.next_after(got[-1]) is None


@given(recurrences(zones=FIXED_ZONES))
def test_rrule_string_reproduces_the_schedule_in_dateutil(rule: Recurrence) -> None:
    rule = attrs.evolve(
        rule,
        start=rule.start.replace(microsecond=0),
        until=None if rule.until is None else rule.until.replace(microsecond=0),
    )
    parsed = rrulestr(rule.to_rrule_string(), dtstart=rule.start)
    assert tuple(itertools.islice(parsed, 30)) == rule.first(30)


# --- instants across daylight-saving changes ------------------------------


def test_instants_order_the_repeated_hour_of_a_fall_back_day() -> None:
    # 1 November 2026: New York falls back at 02:00 EDT to 01:00 EST, so
    # 01:50 EDT (fold=0) comes forty minutes BEFORE 01:10 EST (fold=1),
    # though its wall clock reads later.
    first = datetime(2026, 11, 1, 1, 50, tzinfo=NEW_YORK)
    second = datetime(2026, 11, 1, 1, 10, fold=1, tzinfo=NEW_YORK)
    assert first > second  # Python compares the wall clocks
    assert instant(first) < instant(second)
    assert timedelta(minutes=20) == instant(second) - instant(first)


def test_after_elapsed_adds_real_time_not_wall_clock_time() -> None:
    # 30 real minutes after 01:50 EDT on the fall-back night is 01:20 EST.
    start = datetime(2026, 11, 1, 1, 50, tzinfo=NEW_YORK)
    later = after_elapsed(start, timedelta(minutes=30))
    assert (1, 20, 1) == (later.hour, later.minute, later.fold)
    assert timedelta(minutes=30) == instant(later) - instant(start)
    assert NEW_YORK is later.tzinfo


def test_wall_time_moves_a_skipped_time_forward_and_keeps_real_ones() -> None:
    # 8 March 2026: New York springs forward from 02:00 EST to 03:00 EDT;
    # 02:30 does not exist and reads, at the EST offset, as 03:30 EDT.
    skipped = datetime(2026, 3, 8, 2, 30, tzinfo=NEW_YORK)
    moved = wall_time(skipped)
    assert (3, 30) == (moved.hour, moved.minute)
    real = datetime(2026, 3, 8, 9, 0, tzinfo=NEW_YORK)
    assert real == wall_time(real)


@pytest.mark.parametrize(
    ("span", "text"),
    [
        (timedelta(days=3), "3 d"),
        (timedelta(days=1, hours=4, minutes=30), "1 d 4 h 30 min"),
        (timedelta(days=1, seconds=5), "1 d"),  # seconds only under a day
        (timedelta(hours=2, seconds=5), "2 h 5 s"),
        (timedelta(seconds=45), "45 s"),
        (timedelta(0), "0 s"),
        (timedelta(minutes=-90), "-1 h 30 min"),
    ],
)
def test_spans_read_like_a_person_wrote_them(span: timedelta, text: str) -> None:
    assert text == span_text(span)
