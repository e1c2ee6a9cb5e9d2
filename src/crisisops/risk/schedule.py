"""Periodic risk assessment: cycles, due dates, snapshots, trends (book §3).

The book's second step of risk assessment, 定期進行風險評估 (assess risks
regularly), starts by setting the cycle: "結合企業的實際運營情況和市場環境,
建議每季度或每半年進行一次全面的風險評估" — a full assessment every quarter
or every half year. This module turns that advice into values:

* `AssessmentSchedule` – the cycle: a `Recurrence` (quarterly, half-yearly
  or any frequency and interval), or any RFC 5545 rule (`RuleCycle`,
  e.g. the last day of every quarter). It answers `next_due`,
  `due_dates`, `last_due` and, for a register, which risks are `overdue`:
  those not assessed since the last due date.
* `RegisterSnapshot` – the register as it stood at a date (dated copies, or
  `RegisterSnapshot.from_history`, which rebuilds them from the register's
  own history).
* `score_trends` – each risk's score L × I across the snapshots, as a numpy
  array with NaN where the risk was absent or unassessed: plain data for a
  chart of how the quarterly assessments moved.

Month ends: RFC 5545 skips a date a month lacks (quarterly from 31 January
has no April date). An assessment cycle must not lose a quarter, so by
default (`MonthEnd.CLAMP`) a day past the 28th falls back to the month's
last day: quarterly from 31 January is due 30 April, 31 July, 31 October.
`MonthEnd.SKIP` keeps the RFC 5545 behaviour of `Recurrence`.

Examples
--------
>>> from datetime import datetime, timedelta, timezone
>>> taipei = timezone(timedelta(hours=8))
>>> cycle = AssessmentSchedule.quarterly(datetime(2026, 1, 31, 9, 0, tzinfo=taipei))
>>> [d.date().isoformat() for d in cycle.first(4)]
['2026-01-31', '2026-04-30', '2026-07-31', '2026-10-31']
>>> cycle.next_due(datetime(2026, 5, 1, tzinfo=taipei)).isoformat()
'2026-07-31T09:00:00+08:00'
>>> cycle.last_due(datetime(2026, 5, 1, tzinfo=taipei)).date().isoformat()
'2026-04-30'

A stock-out risk is assessed at the end of Q1 and again at the end of Q2,
when an outage risk is also added. `RegisterSnapshot.from_history` replays
the register's history at each quarter end:

>>> from crisisops.risk.register import Assessment, Risk, RiskRegister
>>> q1 = datetime(2026, 3, 31, tzinfo=timezone.utc)
>>> q2 = datetime(2026, 6, 30, tzinfo=timezone.utc)
>>> def rated(likelihood, impact, at):
...     return Assessment(
...         likelihood=likelihood,
...         impacts={"financial": impact},
...         assessed_at=at,
...         assessor="ops",
...     )
>>> stockout = Risk(
...     key="stockout",
...     title="Stock-out",
...     crisis_type="supply_chain.peak_season_stockout",
... )
>>> outage = Risk(
...     key="outage", title="Platform down", crisis_type="technical.platform_outage"
... )
>>> register = (
...     RiskRegister()
...     .add(stockout, at=q1, by="ops")
...     .assess("stockout", rated(4, 4, q1), at=q1, by="ops")
...     .assess("stockout", rated(3, 4, q2), at=q2, by="ops")
...     .add(outage, at=q2, by="ops")
... )
>>> snapshots = RegisterSnapshot.from_history(register, [q1, q2])
>>> [(s.at.date().isoformat(), s.register.keys()) for s in snapshots]
[('2026-03-31', ('stockout',)), ('2026-06-30', ('stockout', 'outage'))]
>>> snapshots[0].register["stockout"].current.likelihood
4

A snapshot cannot hold changes made after its date:

>>> from crisisops.errors import ValidationError
>>> try:
...     RegisterSnapshot(at=q1, register=register)
... except ValidationError as error:
...     error.field
'register'

`score_trends()` scores every snapshot: the stock-out falls from 4 × 4 to
3 × 4; the outage was added in Q2 but not assessed yet (NaN):

>>> trends = score_trends(snapshots)
>>> trends.keys, trends.scores.tolist()
(('stockout', 'outage'), [[16.0, 12.0], [nan, nan]])
>>> trends.change()
{'stockout': -4.0, 'outage': nan}

References
----------
RFC 5545 (2009) *Internet Calendaring and Scheduling Core Object
Specification (iCalendar)*, §3.3.10 (RRULE), as implemented by
``dateutil.rrule``.
ISO 31000:2018 *Risk management — Guidelines*, §6.6 (monitoring and
review: planned, periodic checking). Geneva: ISO.
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
import math
import re
from collections.abc import Iterable, Iterator
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt
from dateutil import rrule as _rrule

from crisisops._time import Frequency, Recurrence
from crisisops._validation import (
    check_aware,
    check_key,
    check_str,
    field_name,
    is_aware_datetime,
    is_enum,
    is_instance,
    to_str_tuple,
    to_tuple,
)
from crisisops.errors import (
    DuplicateKeyError,
    InvalidTypeError,
    UnknownKeyError,
    ValidationError,
)
from crisisops.labels import Labels
from crisisops.risk.register import AssessmentKind, Risk, RiskRegister
from crisisops.risk.scales import ImpactRule, RiskMatrix, default_matrix

__all__ = [
    "AssessmentSchedule",
    "MonthEnd",
    "RegisterSnapshot",
    "RuleCycle",
    "ScoreTrends",
    "score_trends",
]

FloatArray = npt.NDArray[np.float64]

#: RFC 5545 frequency and month step of each `Frequency` (a copy of the
#: mapping `Recurrence` uses, so both walk the same calendar).
_RULES: dict[Frequency, tuple[Literal[0, 1, 2, 3], int]] = {
    Frequency.DAILY: (_rrule.DAILY, 1),
    Frequency.WEEKLY: (_rrule.WEEKLY, 1),
    Frequency.MONTHLY: (_rrule.MONTHLY, 1),
    Frequency.QUARTERLY: (_rrule.MONTHLY, 3),
    Frequency.HALF_YEARLY: (_rrule.MONTHLY, 6),
    Frequency.YEARLY: (_rrule.YEARLY, 1),
}
_SHORTEST_MONTH = 28
_RULE_EXAMPLE = "an RFC 5545 RRULE value such as 'FREQ=MONTHLY;INTERVAL=3'"
_RRULE_PREFIX = "RRULE:"
_ZERO_INTERVAL = re.compile(r"(?:^|;)\s*INTERVAL\s*=\s*0*\s*(?:;|$)", re.IGNORECASE)


class MonthEnd(enum.Enum):
    """What a monthly-based cycle does on a day some months lack (29th–31st).

    * ``CLAMP`` (default) – fall back to the month's last day, so no cycle is
      ever lost: quarterly from 31 January is due 30 April.
    * ``SKIP`` – RFC 5545: skip that month, as `Recurrence` does (quarterly
      from 31 January has no date in April).

    Examples
    --------
    Quarterly from 31 January; April has no 31st:

    >>> from datetime import datetime, timezone
    >>> start = datetime(2026, 1, 31, 9, 0, tzinfo=timezone.utc)
    >>> def dates(month_end):
    ...     cycle = AssessmentSchedule.quarterly(start, month_end=month_end)
    ...     return [d.date().isoformat() for d in cycle.first(3)]
    >>> dates(MonthEnd.CLAMP)
    ['2026-01-31', '2026-04-30', '2026-07-31']
    >>> dates(MonthEnd.SKIP)
    ['2026-01-31', '2026-07-31', '2026-10-31']
    """

    CLAMP = "clamp"
    SKIP = "skip"

    @property
    def labels(self) -> Labels:
        """Name of the policy in English, 繁體 and 简体."""
        return _MONTH_END_LABELS[self]


_MONTH_END_LABELS = {
    MonthEnd.CLAMP: Labels(
        en="Fall back to the month's last day",
        zh_hant="順延至月底",
        zh_hans="顺延至月底",
    ),
    MonthEnd.SKIP: Labels(
        en="Skip months without the day",
        zh_hant="跳過無此日的月份",
        zh_hans="跳过无此日的月份",
    ),
}


def _check_rule_text(instance: RuleCycle, attribute: Any, value: Any) -> None:  # noqa: ANN401
    name = field_name(attribute)
    text = check_str(value, name)
    if "\n" in text or "\r" in text or "DTSTART" in text.upper():
        raise ValidationError(
            name, value, f"{_RULE_EXAMPLE}: one line, without DTSTART (use start)"
        )
    body = (
        text[len(_RRULE_PREFIX) :] if text.upper().startswith(_RRULE_PREFIX) else text
    )
    if ":" in body:
        # RDATE, EXDATE, EXRULE: dateutil would build a rule set whose dates
        # lack the start's time zone and could not be compared.
        raise ValidationError(
            name, value, f"{_RULE_EXAMPLE}: an RRULE only (no RDATE, EXDATE, EXRULE)"
        )
    if _ZERO_INTERVAL.search(body):
        # dateutil accepts INTERVAL=0 and repeats the start for ever.
        raise ValidationError(name, value, f"{_RULE_EXAMPLE}: INTERVAL >= 1")
    try:
        _rrule.rrulestr(text, dtstart=instance.start.replace(microsecond=0))
    except (ValueError, TypeError, OverflowError) as err:
        raise ValidationError(name, value, f"{_RULE_EXAMPLE} ({err})") from None


@attrs.frozen(kw_only=True)
class RuleCycle:
    """Any RFC 5545 recurrence rule from a start, for cycles `Recurrence` lacks.

    E.g. ``"FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1"``: the last day of
    every calendar quarter; ``"FREQ=MONTHLY;INTERVAL=6;BYDAY=1MO"``: the
    first Monday of every sixth month. Parsed by ``dateutil.rrule.rrulestr``
    (no code is evaluated). ``UNTIL`` must be written in UTC (``...Z``), as
    RFC 5545 requires for a start with a timezone. One RRULE only: no
    ``RDATE``, ``EXDATE`` or ``EXRULE`` lines, and ``INTERVAL`` ≥ 1 (dateutil
    would repeat the start for ever on ``INTERVAL=0``).

    Attributes
    ----------
    start
        DTSTART, timezone-aware; occurrences keep its ``tzinfo`` and, unless
        the rule says otherwise, its time of day.
    rule
        The RRULE value (without ``RRULE:`` is fine, without ``DTSTART``).

    Examples
    --------
    The last day of every calendar quarter:

    >>> from datetime import datetime, timezone
    >>> quarter_ends = RuleCycle(
    ...     start=datetime(2026, 1, 1, 9, 0, tzinfo=timezone.utc),
    ...     rule="FREQ=MONTHLY;BYMONTH=3,6,9,12;BYMONTHDAY=-1",
    ... )
    >>> cycle = AssessmentSchedule(cycle=quarter_ends)
    >>> [d.date().isoformat() for d in cycle.first(4)]
    ['2026-03-31', '2026-06-30', '2026-09-30', '2026-12-31']
    >>> from crisisops.errors import ValidationError
    >>> try:
    ...     RuleCycle(start=quarter_ends.start, rule="FREQ=MONTHLY;INTERVAL=0")
    ... except ValidationError as error:
    ...     error.expected.split(": ")[-1]
    'INTERVAL >= 1'
    """

    start: dt.datetime = attrs.field(validator=is_aware_datetime())
    rule: str = attrs.field(validator=_check_rule_text)

    def moments(self) -> Iterator[dt.datetime]:
        """Yield the occurrences in order (open-ended rules stop at year 9999)."""
        microsecond = self.start.microsecond
        parsed = _rrule.rrulestr(self.rule, dtstart=self.start.replace(microsecond=0))
        for moment in parsed:
            yield moment.replace(microsecond=microsecond) if microsecond else moment


def _check_cycle(_instance: object, attribute: Any, value: Any) -> None:  # noqa: ANN401
    if not isinstance(value, (Recurrence, RuleCycle)):
        raise InvalidTypeError(
            field_name(attribute), value, "a Recurrence or a RuleCycle"
        )


@attrs.frozen(kw_only=True)
class AssessmentSchedule:
    """When risk assessments are due: the book's quarterly or half-yearly cycle.

    Queries never read the clock: each takes the moment it is asked about.
    Due dates keep the ``tzinfo`` and time of day of the start, so a
    09:00 Taipei cycle is due at 09:00 Taipei time, whatever zone the
    question is asked in.

    Attributes
    ----------
    cycle
        A `Recurrence` (frequency, interval, start, count or until) or a
        `RuleCycle` (any RFC 5545 rule).
    month_end
        `MonthEnd.CLAMP` (default) or ``SKIP``, for a `Recurrence` whose
        start day is past the 28th; a `RuleCycle` says what it means itself.

    Examples
    --------
    >>> from datetime import datetime, timezone
    >>> half = AssessmentSchedule.half_yearly(
    ...     datetime(2026, 1, 10, tzinfo=timezone.utc)
    ... )
    >>> [
    ...     d.date().isoformat()
    ...     for d in half.due_dates(
    ...         datetime(2026, 1, 1, tzinfo=timezone.utc),
    ...         datetime(2027, 12, 31, tzinfo=timezone.utc),
    ...     )
    ... ]
    ['2026-01-10', '2026-07-10', '2027-01-10', '2027-07-10']
    """

    cycle: Recurrence | RuleCycle = attrs.field(validator=_check_cycle)
    month_end: MonthEnd = attrs.field(
        default=MonthEnd.CLAMP, validator=is_enum(MonthEnd)
    )

    @classmethod
    def quarterly(
        cls,
        start: dt.datetime,
        *,
        count: int | None = None,
        until: dt.datetime | None = None,
        month_end: MonthEnd = MonthEnd.CLAMP,
    ) -> AssessmentSchedule:
        """Return a cycle every 3 months from ``start`` (每季度, book §3)."""
        return cls(
            cycle=Recurrence.quarterly(start, count=count, until=until),
            month_end=month_end,
        )

    @classmethod
    def half_yearly(
        cls,
        start: dt.datetime,
        *,
        count: int | None = None,
        until: dt.datetime | None = None,
        month_end: MonthEnd = MonthEnd.CLAMP,
    ) -> AssessmentSchedule:
        """Return a cycle every 6 months from ``start`` (每半年, book §3)."""
        return cls(
            cycle=Recurrence.half_yearly(start, count=count, until=until),
            month_end=month_end,
        )

    @classmethod
    def from_rule(cls, start: dt.datetime, rule: str) -> AssessmentSchedule:
        """Return a cycle following any RFC 5545 RRULE from ``start``.

        Raises
        ------
        ValidationError
            If ``rule`` is not a valid RRULE value.
        """
        return cls(cycle=RuleCycle(start=start, rule=rule))

    @property
    def start(self) -> dt.datetime:
        """The first moment of the cycle (DTSTART)."""
        return self.cycle.start

    def moments(self) -> Iterator[dt.datetime]:
        """Yield every due date in order, from the start.

        An open-ended cycle ends at the year 9999 (the end of `datetime`);
        stop iterating when you have what you need.
        """
        if isinstance(self.cycle, RuleCycle):
            yield from self.cycle.moments()
            return
        recurrence = self.cycle
        freq, step = _RULES[recurrence.frequency]
        start = recurrence.start
        extra: dict[str, Any] = {}
        clamp = (
            self.month_end is MonthEnd.CLAMP
            and start.day > _SHORTEST_MONTH
            and freq in (_rrule.MONTHLY, _rrule.YEARLY)
        )
        if clamp:
            # The last of the days 28..start.day that the month has:
            # start.day itself where it exists, else the month's last day.
            extra["bymonthday"] = tuple(range(_SHORTEST_MONTH, start.day + 1))
            extra["bysetpos"] = -1
            if freq == _rrule.YEARLY:
                extra["bymonth"] = start.month
        rule = _rrule.rrule(
            freq,
            dtstart=start.replace(microsecond=0),
            interval=step * recurrence.interval,
            count=recurrence.count,
            **extra,
        )
        microsecond = start.microsecond
        until = recurrence.until
        for occurrence in rule:
            moment = (
                occurrence.replace(microsecond=microsecond)
                if microsecond
                else occurrence
            )
            if until is not None and moment > until:
                return
            yield moment

    def first(self, n: int) -> tuple[dt.datetime, ...]:
        """Return the first ``n`` due dates (fewer if the cycle ends sooner)."""
        if isinstance(n, np.integer):
            n = int(n)
        if isinstance(n, bool) or not isinstance(n, int):
            raise InvalidTypeError("n", n, "an int >= 0")
        if n < 0:
            raise ValidationError("n", n, "an int >= 0")
        return tuple(itertools.islice(self.moments(), n))

    def next_due(self, after: dt.datetime) -> dt.datetime | None:
        """Return the first due date strictly after ``after``, or ``None`` if ended."""
        moment = check_aware(after, "after")
        for due in self.moments():
            if due > moment:
                return due
        return None

    def last_due(self, as_of: dt.datetime) -> dt.datetime | None:
        """Return the latest due date at or before ``as_of`` (``None``: none yet)."""
        moment = check_aware(as_of, "as_of")
        last: dt.datetime | None = None
        for due in self.moments():
            if due > moment:
                break
            last = due
        return last

    def due_dates(
        self, start: dt.datetime, end: dt.datetime
    ) -> tuple[dt.datetime, ...]:
        """Return the due dates from ``start`` to ``end``, both included.

        Raises
        ------
        ValidationError
            If ``end`` is before ``start``.
        """
        low = check_aware(start, "start")
        high = check_aware(end, "end")
        if high < low:
            raise ValidationError("end", end, f"at or after start ({low.isoformat()})")
        found: list[dt.datetime] = []
        for due in self.moments():
            if due > high:
                break
            if due >= low:
                found.append(due)
        return tuple(found)

    def overdue(self, register: RiskRegister, as_of: dt.datetime) -> tuple[Risk, ...]:
        """Return the open risks not assessed since the last due date.

        With ``d`` = `last_due` (``as_of``), a risk is overdue when its
        `Risk.last_assessed` is before ``d``; a risk never assessed is
        overdue when it was added to the register before ``d`` (one added
        after the last due date waits for the next). Nothing is overdue
        before the first due date. An assessment exactly at ``d`` counts as
        done.

        The register is taken as it is: to ask about a past moment ``t``,
        pass ``register.as_of(t)`` so that later assessments do not count.
        """
        if not isinstance(register, RiskRegister):
            raise InvalidTypeError("register", register, "a RiskRegister")
        due = self.last_due(as_of)
        if due is None:
            return ()
        late: list[Risk] = []
        for risk in register:
            reference = risk.last_assessed
            if reference is None:
                reference = register.added_at(risk.key)
            if reference < due:
                late.append(risk)
        return tuple(late)


# --- snapshots and trends ----------------------------------------------------------


def _check_iterable(value: object, field: str, expected: str) -> None:
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise InvalidTypeError(field, value, expected)


@attrs.frozen(kw_only=True)
class RegisterSnapshot:
    """The register as it stood at one moment, e.g. the close of a quarter.

    Attributes
    ----------
    at
        The moment of the snapshot (timezone-aware).
    register
        The register; its history must not hold a change after ``at``.

    Examples
    --------
    The module example replays a register's history at two quarter ends
    with `from_history` and shows that a snapshot cannot hold later changes.
    """

    at: dt.datetime = attrs.field(validator=is_aware_datetime())
    register: RiskRegister = attrs.field(
        validator=is_instance(RiskRegister, "a RiskRegister")
    )

    def __attrs_post_init__(self) -> None:
        """Check that the register does not know the future."""
        history = self.register.history
        if history and history[-1].at > self.at:
            raise ValidationError(
                "register",
                history[-1].at,
                f"a register without changes after the snapshot "
                f"({self.at.isoformat()})",
            )

    @classmethod
    def from_history(
        cls, register: RiskRegister, moments: Iterable[dt.datetime]
    ) -> tuple[RegisterSnapshot, ...]:
        """Return a snapshot of ``register`` at each moment, rebuilt from its history.

        Uses `RiskRegister.as_of`: the register replayed up to that moment.
        Pass e.g. an `AssessmentSchedule`'s `due_dates`.
        """
        if not isinstance(register, RiskRegister):
            raise InvalidTypeError("register", register, "a RiskRegister")
        _check_iterable(moments, "moments", "an iterable of datetimes")
        return tuple(
            cls(
                at=moment, register=register.as_of(check_aware(moment, f"moments[{i}]"))
            )
            for i, moment in enumerate(moments)
        )


def _equal_scores(a: object, b: object) -> bool:
    return (
        isinstance(a, np.ndarray)
        and isinstance(b, np.ndarray)
        and np.array_equal(a, b, equal_nan=True)
    )


def _to_scores(value: Any) -> Any:  # noqa: ANN401  the validator checks it
    try:
        array = np.array(value, dtype=np.float64)
    except (TypeError, ValueError):
        return value
    array.setflags(write=False)
    return array


@attrs.frozen(kw_only=True)
class ScoreTrends:
    """Each risk's score across dated snapshots: plain arrays for a chart.

    Attributes
    ----------
    dates
        The snapshot moments, strictly increasing.
    keys
        The risk keys, in order of first appearance.
    scores
        Read-only float64 array, shape ``(len(keys), len(dates))``:
        ``scores[k, t]`` is the score L × I of risk ``keys[k]`` at
        ``dates[t]``, NaN where the risk was not in the register or had no
        such assessment.

    Examples
    --------
    Built by hand (`score_trends()` builds it from snapshots); NaN marks a
    quarter where the risk was not in the register:

    >>> from datetime import datetime, timezone
    >>> quarter_ends = [datetime(2026, m, 28, tzinfo=timezone.utc) for m in (3, 6, 9)]
    >>> nan = float("nan")
    >>> trends = ScoreTrends(
    ...     dates=quarter_ends,
    ...     keys=["stockout", "outage"],
    ...     scores=[[16, 12, 8], [nan, 10, 15]],
    ... )
    >>> trends["outage"].tolist()
    [nan, 10.0, 15.0]
    >>> trends.change()  # last score minus first
    {'stockout': -8.0, 'outage': 5.0}
    """

    dates: tuple[dt.datetime, ...] = attrs.field(converter=to_tuple)
    keys: tuple[str, ...] = attrs.field(converter=to_str_tuple)
    scores: FloatArray = attrs.field(
        converter=_to_scores, eq=attrs.cmp_using(eq=_equal_scores)
    )

    def __attrs_post_init__(self) -> None:
        """Check dates, keys and the shape of the scores."""
        if not isinstance(self.dates, tuple):
            raise InvalidTypeError(
                "dates", self.dates, "a tuple (or list) of datetimes"
            )
        if not isinstance(self.keys, tuple):
            raise InvalidTypeError("keys", self.keys, "a tuple (or list) of risk keys")
        for index, moment in enumerate(self.dates):
            check_aware(moment, f"dates[{index}]")
            if index and moment <= self.dates[index - 1]:
                raise ValidationError(
                    f"dates[{index}]", moment, "a moment after the previous date"
                )
        seen: set[str] = set()
        for index, key in enumerate(self.keys):
            check_key(key, f"keys[{index}]")
            if key in seen:
                raise DuplicateKeyError("risk", key)
            seen.add(key)
        shape = (len(self.keys), len(self.dates))
        scores: object = self.scores
        if not isinstance(scores, np.ndarray) or scores.shape != shape:
            raise ValidationError(
                "scores",
                getattr(self.scores, "shape", self.scores),
                f"a float array of shape {shape} (keys × dates)",
            )
        if np.isinf(self.scores).any():
            raise ValidationError("scores", "inf", "finite scores or NaN (absent)")

    def __getitem__(self, key: str) -> FloatArray:
        """Return the scores of one risk over the dates (NaN where absent)."""
        if not isinstance(key, str):
            raise InvalidTypeError("key", key, "a str risk key")
        if key not in self.keys:
            raise UnknownKeyError("risk", key, self.keys)
        row: FloatArray = self.scores[self.keys.index(key)]
        return row

    def by_key(self) -> dict[str, FloatArray]:
        """Return ``{risk key: scores over the dates}``."""
        return {key: self.scores[index] for index, key in enumerate(self.keys)}

    def change(self) -> dict[str, float]:
        """Return each risk's last score minus its first one (NaN if < 2 scores)."""
        result: dict[str, float] = {}
        for index, key in enumerate(self.keys):
            row = self.scores[index]
            present = row[~np.isnan(row)]
            result[key] = (
                float(present[-1] - present[0]) if present.size >= 2 else math.nan
            )
        return result


def score_trends(
    snapshots: Iterable[RegisterSnapshot],
    matrix: RiskMatrix | None = None,
    *,
    rule: ImpactRule | None = None,
    which: AssessmentKind = AssessmentKind.CURRENT,
) -> ScoreTrends:
    """Return each risk's score L × I across the snapshots, in date order.

    Parameters
    ----------
    snapshots
        The dated registers; any order (they are sorted by date), but no
        two at the same moment.
    matrix, rule, which
        How to score: the matrix (`default_matrix()` if ``None``), the
        impact rule (worst dimension if ``None``) and which assessment
        (current by default).

    Returns
    -------
    ScoreTrends
        ``trends[key]`` is the array of that risk's scores, NaN where the
        risk was absent or not assessed.

    Raises
    ------
    ValidationError
        For two snapshots at the same moment.
    UnknownKeyError
        For a level that is not on the matrix's scales (naming the risk).

    Examples
    --------
    The module example follows a stock-out's score from 16 to 12 over two
    quarters, and an outage added but not yet assessed.
    """
    _check_iterable(snapshots, "snapshots", "an iterable of RegisterSnapshot")
    items = tuple(snapshots)
    for index, snapshot in enumerate(items):
        if not isinstance(snapshot, RegisterSnapshot):
            raise InvalidTypeError(
                f"snapshots[{index}]", snapshot, "a RegisterSnapshot"
            )
    ordered = sorted(items, key=lambda snapshot: snapshot.at)
    for index in range(1, len(ordered)):
        if ordered[index].at == ordered[index - 1].at:
            raise ValidationError(
                "snapshots",
                ordered[index].at,
                "snapshots at distinct moments (two share this one)",
            )
    grid = default_matrix() if matrix is None else matrix
    if not isinstance(grid, RiskMatrix):
        raise InvalidTypeError("matrix", matrix, "a RiskMatrix (or None: the default)")
    if rule is not None and not isinstance(rule, ImpactRule):
        raise InvalidTypeError("rule", rule, "an ImpactRule (or None)")
    if not isinstance(which, AssessmentKind):
        raise InvalidTypeError("which", which, "an AssessmentKind")
    per_date = [
        snapshot.register.scores(grid, rule=rule, which=which) for snapshot in ordered
    ]
    keys: dict[str, None] = {}
    for snapshot in ordered:
        keys.update(dict.fromkeys(snapshot.register.keys()))
    order = {key: index for index, key in enumerate(keys)}
    scores = np.full((len(keys), len(ordered)), np.nan)
    for column, found in enumerate(per_date):
        rows = np.array([order[key] for key in found], dtype=np.intp)
        scores[rows, column] = np.array(list(found.values()), dtype=np.float64)
    return ScoreTrends(
        dates=tuple(snapshot.at for snapshot in ordered),
        keys=tuple(keys),
        scores=scores,
    )
