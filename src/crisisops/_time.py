"""Timezone-aware time values and recurring schedules, shared by every stage.

crisisops never reads the clock (DESIGN principle 1, "pure domain"): every moment
is passed in as a timezone-aware `datetime.datetime`. This private module
holds the small pieces the stages share:

* `require_aware()` and `parse_datetime()` check and parse moments;
* `Frequency` and `Recurrence` describe repeating schedules such as
  the periodic risk assessment of §3 "定期進行風險評估" (the book recommends one
  "每季度或每半年", every quarter or every half year), review cycles and meeting
  cadences.

Recurrences follow RFC 5545 (iCalendar ``RRULE``) as implemented by
`dateutil.rrule`; see `Recurrence` for the exact rules.
"""

import datetime as dt
import enum
import itertools
from collections.abc import Iterator, Mapping
from types import MappingProxyType
from typing import Final, Literal, NamedTuple

import attrs
from dateutil import rrule as _rrule
from dateutil.parser import isoparse

from crisisops._validation import check_aware
from crisisops.errors import InvalidTypeError, NaiveDatetimeError, ValidationError
from crisisops.labels import Labels

__all__ = [
    "Frequency",
    "Recurrence",
    "after_elapsed",
    "instant",
    "parse_datetime",
    "require_aware",
    "wall_time",
]

_AWARE_EXPECTED: Final = "a timezone-aware datetime.datetime"
_UTC: Final = dt.timezone.utc


def instant(moment: dt.datetime) -> dt.datetime:
    """Return an aware ``moment`` in UTC: the form that compares as an instant.

    Python compares and subtracts two aware datetimes that share one
    ``tzinfo`` by their wall-clock readings, ignoring ``fold`` and the UTC
    offset: in the hour a zone falls back, 01:50 EDT (``fold=0``) counts as
    later than 01:10 EST (``fold=1``), forty minutes after it. Every check
    that orders moments or measures elapsed time goes through here.
    """
    return moment.astimezone(_UTC)


def after_elapsed(moment: dt.datetime, elapsed: dt.timedelta) -> dt.datetime:
    """Return the moment ``elapsed`` real time after ``moment``, in its zone.

    ``moment + elapsed`` adds to the wall clock: 30 minutes after 02:30 on
    the night the clocks go back would be 03:00, an hour and a half later in
    real time. This adds through UTC instead.
    """
    return (instant(moment) + elapsed).astimezone(moment.tzinfo)


def wall_time(moment: dt.datetime) -> dt.datetime:
    """Return ``moment`` as a real wall-clock time of its own zone.

    Calendar arithmetic on the wall clock (``relativedelta``) can land on a
    time the zone skips when it springs forward (02:30 on that Sunday in New
    York); such a time moves forward by the gap, as the zone's offset before
    the change reads it (02:30 EST is 03:30 EDT). A time that exists is
    returned unchanged; an ambiguous one keeps ``fold=0``, its first
    occurrence.
    """
    return instant(moment).astimezone(moment.tzinfo)


def span_text(span: dt.timedelta) -> str:
    """Write a duration for people: ``3 d``, ``1 d 4 h``, ``2 h 30 min``, ``45 s``.

    Seconds are shown only for spans under a day; a negative span gets a
    leading minus. Used wherever a message or a report states a duration.
    """
    seconds = int(span.total_seconds())
    sign, seconds = ("-", -seconds) if seconds < 0 else ("", seconds)
    days, rest = divmod(seconds, 86_400)
    hours, rest = divmod(rest, 3_600)
    minutes, secs = divmod(rest, 60)
    parts = [
        f"{value} {unit}"
        for value, unit in ((days, "d"), (hours, "h"), (minutes, "min"))
        if value
    ]
    if secs and not days:
        parts.append(f"{secs} s")
    return sign + (" ".join(parts) or "0 s")


def require_aware(value: object, field: str) -> dt.datetime:
    """Return ``value`` if it is a timezone-aware datetime, else raise.

    "Aware" means ``value.tzinfo`` is set and ``value.utcoffset()`` is not
    ``None``; crisisops never guesses a timezone.

    Parameters
    ----------
    value
        The value to check.
    field
        Name of the field or argument, used in the error message.

    Returns
    -------
    datetime.datetime
        ``value`` itself, unchanged.

    Raises
    ------
    InvalidTypeError
        If ``value`` is not a `datetime.datetime` (a plain
        `datetime.date` is rejected too).
    NaiveDatetimeError
        If ``value`` has no timezone.

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> require_aware(datetime(2026, 1, 15, tzinfo=timezone.utc), "start").year
    2026
    """
    return check_aware(value, field)


def parse_datetime(text: str, field: str) -> dt.datetime:
    """Parse an ISO 8601 timestamp that carries an explicit UTC offset.

    Parsing uses `dateutil.parser.isoparse()`, so both the extended form
    ``2026-01-15T09:00:00+08:00`` and the basic form ``20260115T0900Z`` are
    accepted. The offset (``Z`` or ``±hh:mm``) is required: a timestamp without
    one is ambiguous and is rejected. The result carries a fixed-offset
    `datetime.timezone` (``datetime.timezone.utc`` for a zero offset), so
    it is a plain standard-library value.

    Parameters
    ----------
    text
        The timestamp, e.g. ``"2026-01-15T09:00+08:00"``.
    field
        Name of the field or argument, used in the error message.

    Returns
    -------
    datetime.datetime
        The parsed, timezone-aware moment.

    Raises
    ------
    InvalidTypeError
        If ``text`` is not a `str`.
    ValidationError
        If ``text`` is not an ISO 8601 timestamp.
    NaiveDatetimeError
        If ``text`` has no UTC offset (a `ValidationError` too).

    Examples
    --------
    >>> parse_datetime("2026-01-15T09:00+08:00", "start").isoformat()
    '2026-01-15T09:00:00+08:00'
    >>> parse_datetime("2026-01-15T01:00Z", "start").isoformat()
    '2026-01-15T01:00:00+00:00'
    """
    if not isinstance(text, str):
        raise InvalidTypeError(field, text, "an ISO 8601 timestamp str")
    try:
        parsed = isoparse(text)
    except (ValueError, OverflowError) as err:
        raise ValidationError(
            field,
            text,
            "an ISO 8601 timestamp with a UTC offset, e.g. '2026-01-15T09:00+08:00'",
        ) from err
    offset = parsed.utcoffset()
    if offset is None:
        raise NaiveDatetimeError(field, text)
    tz = dt.timezone.utc if offset == dt.timedelta(0) else dt.timezone(offset)
    return parsed.replace(tzinfo=tz)


class Frequency(enum.Enum):
    """How often a `Recurrence` repeats.

    The values are stable lowercase strings, safe to store. ``QUARTERLY`` and
    ``HALF_YEARLY`` are the cycles the book recommends for a full risk assessment
    (§3 定期進行風險評估: "建議每季度或每半年進行一次全面的風險評估").

    Examples
    --------
    >>> Frequency("quarterly") is Frequency.QUARTERLY
    True
    >>> Frequency.HALF_YEARLY.labels.zh_hant
    '每半年'
    >>> Frequency.QUARTERLY.labels.get("zh-Hans")
    '每季'
    """

    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    HALF_YEARLY = "half_yearly"
    YEARLY = "yearly"

    @property
    def labels(self) -> Labels:
        """The frequency's name in English, Traditional and Simplified Chinese."""
        return _FREQUENCY_LABELS[self]


_FREQUENCY_LABELS: Final[Mapping[Frequency, Labels]] = MappingProxyType(
    {
        Frequency.DAILY: Labels(en="daily", zh_hant="每日", zh_hans="每日"),
        Frequency.WEEKLY: Labels(en="weekly", zh_hant="每週", zh_hans="每周"),
        Frequency.MONTHLY: Labels(en="monthly", zh_hant="每月", zh_hans="每月"),
        Frequency.QUARTERLY: Labels(en="quarterly", zh_hant="每季", zh_hans="每季"),
        Frequency.HALF_YEARLY: Labels(
            en="half-yearly", zh_hant="每半年", zh_hans="每半年"
        ),
        Frequency.YEARLY: Labels(en="yearly", zh_hant="每年", zh_hans="每年"),
    }
)


class _RuleSpec(NamedTuple):
    """How one `Frequency` maps onto an RFC 5545 ``FREQ`` and a step."""

    freq: Literal[0, 1, 2, 3]
    name: str
    step: int


_RULE_SPECS: Final[Mapping[Frequency, _RuleSpec]] = MappingProxyType(
    {
        Frequency.DAILY: _RuleSpec(_rrule.DAILY, "DAILY", 1),
        Frequency.WEEKLY: _RuleSpec(_rrule.WEEKLY, "WEEKLY", 1),
        Frequency.MONTHLY: _RuleSpec(_rrule.MONTHLY, "MONTHLY", 1),
        Frequency.QUARTERLY: _RuleSpec(_rrule.MONTHLY, "MONTHLY", 3),
        Frequency.HALF_YEARLY: _RuleSpec(_rrule.MONTHLY, "MONTHLY", 6),
        Frequency.YEARLY: _RuleSpec(_rrule.YEARLY, "YEARLY", 1),
    }
)


def _positive_int(value: object, field: str) -> None:
    """Raise unless ``value`` is an ``int`` (not a ``bool``) that is at least 1."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise InvalidTypeError(field, value, "an int >= 1")
    if value < 1:
        raise ValidationError(field, value, "an int >= 1")


def _check_frequency(
    _instance: object, attribute: "attrs.Attribute[Frequency]", value: Frequency
) -> None:
    if not isinstance(value, Frequency):
        raise InvalidTypeError(
            attribute.name, value, "a Frequency member, e.g. Frequency.QUARTERLY"
        )


def _check_aware(
    _instance: object, attribute: "attrs.Attribute[dt.datetime]", value: dt.datetime
) -> None:
    require_aware(value, attribute.name)


def _check_optional_aware(
    _instance: object,
    attribute: "attrs.Attribute[dt.datetime | None]",
    value: dt.datetime | None,
) -> None:
    if value is not None:
        require_aware(value, attribute.name)


def _check_interval(
    _instance: object, attribute: "attrs.Attribute[int]", value: int
) -> None:
    _positive_int(value, attribute.name)


def _check_count(
    _instance: object, attribute: "attrs.Attribute[int | None]", value: int | None
) -> None:
    if value is not None:
        _positive_int(value, attribute.name)


def _utc_stamp(moment: dt.datetime) -> str:
    """Format ``moment`` as an RFC 5545 UTC date-time, e.g. ``20261015T010000Z``."""
    utc = moment.astimezone(dt.timezone.utc)
    return (
        f"{utc.year:04d}{utc.month:02d}{utc.day:02d}"
        f"T{utc.hour:02d}{utc.minute:02d}{utc.second:02d}Z"
    )


@attrs.frozen(slots=True, kw_only=True)
class Recurrence:
    """A repeating schedule: assessment cycles, reviews, meeting cadences.

    The book asks for a periodic, full risk assessment (§3 定期進行風險評估,
    "每季度或每半年"), regular coordination meetings (§4 定期召開協調會議) and
    periodic re-calibration of trigger points; a ``Recurrence`` says when each of
    those happens. It holds plain values only, so it serialises like any other
    crisisops object, and it never reads the clock: every question ("what is due
    in this window?", "what comes after this moment?") takes the moment as an
    argument.

    Parameters
    ----------
    frequency
        The unit of repetition. ``QUARTERLY`` is every 3 months and
        ``HALF_YEARLY`` every 6 months, counted from ``start``.
    start
        The first occurrence; timezone-aware. Every occurrence keeps its
        ``tzinfo`` and its wall-clock time of day.
    interval
        Repeat every ``interval`` units (``>= 1``); e.g. ``MONTHLY`` with
        ``interval=2`` is every second month.
    count
        Stop after this many occurrences (``>= 1``). Cannot be combined with
        ``until``.
    until
        Last moment an occurrence may fall on (inclusive, ``>= start``).
        Cannot be combined with ``count``. With neither, the schedule is open
        ended (it stops at the year 9999, the end of `datetime`).

    Notes
    -----
    The rules are RFC 5545 ``RRULE`` semantics, computed by
    `dateutil.rrule`:

    * **Days a month lacks are skipped, not moved.** A monthly, quarterly or
      half-yearly schedule starting on the 31st has no occurrence in months
      without a 31st (monthly from 31 January gives 31 January, 31 March,
      31 May, ...; quarterly from 31 January skips April: 31 January, 31 July,
      31 October, ...). A yearly schedule starting on 29 February only occurs
      in leap years. Skipped dates do not use up ``count``. Start on day 1-28
      for a cycle that never skips.
    * **Wall-clock time is kept across DST changes.** In a zone with daylight
      saving, a daily 09:00 stays 09:00 local time; its UTC offset follows the
      zone. A wall time that does not exist on a transition day (e.g. 02:30 on
      a spring-forward day) is kept as is, with ``fold=0``.
    * Sub-second precision of ``start`` is kept on every occurrence
      (``dateutil`` itself works to whole seconds).
    * Queries walk the schedule from ``start``; that is instant for review
      cadences, even daily ones over decades.

    Examples
    --------
    >>> from datetime import datetime, timedelta, timezone
    >>> taipei = timezone(timedelta(hours=8))
    >>> cycle = Recurrence.quarterly(datetime(2026, 1, 15, 9, 0, tzinfo=taipei))
    >>> [d.date().isoformat() for d in cycle.first(4)]
    ['2026-01-15', '2026-04-15', '2026-07-15', '2026-10-15']
    >>> cycle.next_after(datetime(2026, 5, 1, tzinfo=taipei)).isoformat()
    '2026-07-15T09:00:00+08:00'
    >>> cycle.to_rrule_string()
    'FREQ=MONTHLY;INTERVAL=3'
    >>> weekly = Recurrence(
    ...     frequency=Frequency.WEEKLY,
    ...     start=datetime(2026, 3, 2, 10, 0, tzinfo=timezone.utc),
    ...     count=3,
    ... )
    >>> [d.day for d in weekly.first(10)]
    [2, 9, 16]
    """

    frequency: Frequency = attrs.field(validator=_check_frequency)
    start: dt.datetime = attrs.field(validator=_check_aware)
    interval: int = attrs.field(default=1, validator=_check_interval)
    count: int | None = attrs.field(default=None, validator=_check_count)
    until: dt.datetime | None = attrs.field(
        default=None, validator=_check_optional_aware
    )

    def __attrs_post_init__(self) -> None:
        """Check the rules that involve more than one field."""
        if self.count is not None and self.until is not None:
            raise ValidationError(
                "count",
                self.count,
                "None when 'until' is set ('count' and 'until' are mutually "
                "exclusive; give one or neither)",
            )
        if self.until is not None and self.until < self.start:
            raise ValidationError(
                "until", self.until, f"at or after 'start' ({self.start.isoformat()})"
            )

    @classmethod
    def quarterly(
        cls,
        start: dt.datetime,
        *,
        count: int | None = None,
        until: dt.datetime | None = None,
    ) -> "Recurrence":
        """Return a schedule every 3 months from ``start`` (每季).

        This is the first of the two assessment cycles the book recommends
        (§3 定期進行風險評估). ``count`` and ``until`` work as on the class.
        """
        return cls(frequency=Frequency.QUARTERLY, start=start, count=count, until=until)

    @classmethod
    def half_yearly(
        cls,
        start: dt.datetime,
        *,
        count: int | None = None,
        until: dt.datetime | None = None,
    ) -> "Recurrence":
        """Return a schedule every 6 months from ``start`` (每半年).

        This is the second of the two assessment cycles the book recommends
        (§3 定期進行風險評估). ``count`` and ``until`` work as on the class.
        """
        return cls(
            frequency=Frequency.HALF_YEARLY, start=start, count=count, until=until
        )

    def occurrences(
        self,
        after: dt.datetime,
        before: dt.datetime,
        *,
        inclusive: bool = True,
    ) -> tuple[dt.datetime, ...]:
        """Return the occurrences that fall in the window from ``after`` to ``before``.

        Parameters
        ----------
        after
            Start of the window; timezone-aware.
        before
            End of the window; timezone-aware, not earlier than ``after``.
        inclusive
            If true (the default) an occurrence exactly on ``after`` or
            ``before`` is included; if false both ends are excluded.

        Returns
        -------
        tuple of datetime.datetime
            The occurrences in increasing order, in the ``tzinfo`` of ``start``.

        Raises
        ------
        InvalidTypeError, NaiveDatetimeError
            If ``after`` or ``before`` is not an aware datetime.
        ValidationError
            If ``before`` is earlier than ``after``.
        """
        require_aware(after, "after")
        require_aware(before, "before")
        if not isinstance(inclusive, bool):
            raise InvalidTypeError("inclusive", inclusive, "a bool")
        if before < after:
            raise ValidationError(
                "before", before, f"at or after 'after' ({after.isoformat()})"
            )
        found: list[dt.datetime] = []
        for moment in self._iterate():
            if moment > before or (not inclusive and moment == before):
                break
            if moment > after or (inclusive and moment == after):
                found.append(moment)
        return tuple(found)

    def next_after(self, moment: dt.datetime) -> dt.datetime | None:
        """Return the first occurrence strictly after ``moment``.

        Returns ``None`` when the schedule has ended (its ``count`` is used up,
        ``until`` has passed, or the year 9999 is reached).

        Parameters
        ----------
        moment
            A timezone-aware datetime, typically "now" as known by the caller.

        Returns
        -------
        datetime.datetime or None
            The next occurrence, in the ``tzinfo`` of ``start``.
        """
        require_aware(moment, "moment")
        for occurrence in self._iterate():
            if occurrence > moment:
                return occurrence
        return None

    def first(self, n: int) -> tuple[dt.datetime, ...]:
        """Return the first ``n`` occurrences (fewer if the schedule ends sooner).

        Parameters
        ----------
        n
            How many occurrences to return, ``>= 0``.

        Returns
        -------
        tuple of datetime.datetime
            The occurrences in increasing order, starting with ``start``.
        """
        if isinstance(n, bool) or not isinstance(n, int):
            raise InvalidTypeError("n", n, "an int >= 0")
        if n < 0:
            raise ValidationError("n", n, "an int >= 0")
        return tuple(itertools.islice(self._iterate(), n))

    def to_rrule_string(self) -> str:
        """Return the schedule as an RFC 5545 ``RRULE`` value.

        The result has no ``RRULE:`` prefix and no ``DTSTART`` (``start`` is kept
        separately), e.g. ``FREQ=MONTHLY;INTERVAL=3`` for a quarterly cycle or
        ``FREQ=WEEKLY;INTERVAL=1;COUNT=4``. ``INTERVAL`` is always written.
        ``UNTIL`` is written in UTC, to the second, as RFC 5545 requires when
        the start has a timezone.
        """
        spec = _RULE_SPECS[self.frequency]
        parts = [f"FREQ={spec.name}", f"INTERVAL={spec.step * self.interval}"]
        if self.count is not None:
            parts.append(f"COUNT={self.count}")
        if self.until is not None:
            parts.append(f"UNTIL={_utc_stamp(self.until)}")
        return ";".join(parts)

    def _rule(self) -> _rrule.rrule:
        """Build the `dateutil.rrule.rrule` behind this schedule."""
        spec = _RULE_SPECS[self.frequency]
        return _rrule.rrule(
            spec.freq,
            dtstart=self.start.replace(microsecond=0),
            interval=spec.step * self.interval,
            count=self.count,
        )

    def _iterate(self) -> Iterator[dt.datetime]:
        """Yield every occurrence in order, honouring ``until`` and microseconds."""
        microsecond = self.start.microsecond
        until = self.until
        for occurrence in self._rule():
            moment = (
                occurrence.replace(microsecond=microsecond)
                if microsecond
                else occurrence
            )
            if until is not None and moment > until:
                return
            yield moment
